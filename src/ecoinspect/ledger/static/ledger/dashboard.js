// The ledger dashboard's charts, drawn from the JSON the page carries (no inline script: the CSP forbids it).
(function () {
  "use strict";
  var data = EcoCharts.data("chart-data"), make = EcoCharts.make, bars = EcoCharts.bars, pie = EcoCharts.pie;
  make("chart-status", bars(data.status, false));
  make("chart-warning", pie(data.warning));
  make("chart-source", pie(data.source));
  make("chart-type", bars(data.type, false));
  make("chart-trend", {
    tooltip: { trigger: "axis" },
    legend: { data: [data.labels.registered, data.labels.closed], bottom: 0 },
    grid: { left: 8, right: 16, top: 16, bottom: 32, containLabel: true },
    xAxis: { type: "category", data: data.trend.weeks, boundaryGap: false },
    yAxis: { type: "value", minInterval: 1 },
    series: [
      { name: data.labels.registered, type: "line", smooth: false, data: data.trend.registered, itemStyle: { color: "#0d6efd" }, areaStyle: { opacity: 0.08 } },
      { name: data.labels.closed, type: "line", smooth: false, data: data.trend.closed, itemStyle: { color: "#198754" }, areaStyle: { opacity: 0.08 } }
    ]
  });
  var units = data.units.slice().reverse();
  make("chart-units", {
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
    legend: { data: [data.labels.completion, data.labels.overdue], bottom: 0 },
    grid: { left: 8, right: 24, top: 8, bottom: 32, containLabel: true },
    xAxis: { type: "value", max: 100, axisLabel: { formatter: "{value}%" } },
    yAxis: { type: "category", data: units.map(function (u) { return u.name; }) },
    series: [
      { name: data.labels.completion, type: "bar", data: units.map(function (u) { return u.completion; }), itemStyle: { color: "#198754" }, label: { show: true, position: "right", formatter: "{c}%" } },
      { name: data.labels.overdue, type: "bar", data: units.map(function (u) { return u.overdue; }), itemStyle: { color: "#dc3545" } }
    ]
  });
})();
