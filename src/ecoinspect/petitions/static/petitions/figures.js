// The petition figures page's charts, drawn from the JSON the page carries (no inline script: the CSP forbids it).
(function () {
  "use strict";
  var data = EcoCharts.data("chart-data"), make = EcoCharts.make;
  make("chart-days", {
    tooltip: { trigger: "axis" },
    legend: { data: [data.labels.count, data.labels.total], bottom: 0 },
    grid: { left: 8, right: 16, top: 16, bottom: 32, containLabel: true },
    xAxis: { type: "category", data: data.days.labels },
    yAxis: [{ type: "value", minInterval: 1 }, { type: "value", minInterval: 1, splitLine: { show: false } }],
    series: [
      { name: data.labels.count, type: "bar", data: data.days.count, itemStyle: { color: "#0d6efd" } },
      { name: data.labels.total, type: "line", yAxisIndex: 1, data: data.days.total, itemStyle: { color: "#198754" } }
    ]
  });
  make("chart-channels", EcoCharts.pie(data.channels));
  make("chart-verdicts", EcoCharts.pie(data.verdicts));
  make("chart-closures", EcoCharts.pie(data.closures));
  make("chart-types", EcoCharts.bars(data.types, false));
  make("chart-units", EcoCharts.bars(data.units.slice().reverse(), true));
  make("chart-towns", EcoCharts.bars(data.towns.slice().reverse(), true));
})();
