// Charts drawn with the vendored ECharts (load vendor/echarts-5.6.0/echarts.min.js first). Shared by every
// page that draws charts: EcoCharts.data(id) reads the JSON a view put on the page with json_script,
// EcoCharts.make(elementId, option) draws one chart in the site's font and resizes it with the window,
// EcoCharts.bars(series, horizontal) and EcoCharts.pie(series) build the common options from a list of
// {name, value, colour} (common.charts.series on the server).
(function () {
  "use strict";
  var font = '"PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif';
  var charts = [];
  function data(id) {
    var el = document.getElementById(id || "chart-data");
    return el ? JSON.parse(el.textContent) : {};
  }
  function make(id, option) {
    var el = document.getElementById(id);
    if (!el || !window.echarts) { return null; }
    var chart = echarts.init(el, null, { renderer: "canvas" });
    option.textStyle = { fontFamily: font };
    // Tooltips drawn on the canvas: ECharts' HTML tooltips are written with style="…" attributes, which the
    // Content-Security-Policy refuses.
    if (option.tooltip) { option.tooltip.renderMode = "richText"; }
    chart.setOption(option);
    charts.push(chart);
    return chart;
  }
  function bars(series, horizontal) {
    var names = series.map(function (d) { return d.name; });
    var values = series.map(function (d) { return { value: d.value, itemStyle: { color: d.colour } }; });
    var category = { type: "category", data: names, axisLabel: { interval: 0, rotate: horizontal ? 0 : 30 } };
    var value = { type: "value", minInterval: 1 };
    return {
      tooltip: { trigger: "axis" },
      grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
      xAxis: horizontal ? value : category,
      yAxis: horizontal ? category : value,
      series: [{ type: "bar", data: values, label: { show: true, position: horizontal ? "right" : "top" } }]
    };
  }
  function pie(series) {
    return {
      tooltip: { trigger: "item", formatter: "{b}：{c}（{d}%）" },
      legend: { bottom: 0, type: "scroll" },
      series: [{
        type: "pie", radius: ["40%", "68%"], center: ["50%", "45%"],
        data: series.filter(function (d) { return d.value > 0; }).map(function (d) { return { name: d.name, value: d.value, itemStyle: { color: d.colour } }; }),
        label: { show: true, position: "inside", formatter: "{c}", color: "#fff", fontWeight: "bold" }
      }]
    };
  }
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
  window.EcoCharts = { data: data, make: make, bars: bars, pie: pie, font: font };
})();
