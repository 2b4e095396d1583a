// Rapport dashboard charts: draws each <figure data-chart="ID"> from the
// JSON in the element with that id, with Chart.js (vendor/chartjs). The
// data's kind is the chart: "bar" (a value per label), "series" (several
// series over the same labels, as grouped or stacked bars or lines),
// "stages" (a stage over time) or "interval" (a value per label with its
// 95% interval, as a floating bar and a mark). Pages work without this
// file: every chart's numbers are in a table next to it.
(function () {
  "use strict";
  var palette = ["#1e6b35", "#3f7d20", "#8a5a00", "#8c2f28", "#0b5cad", "#5b6670", "#b3261e", "#6a3d9a"];
  // The Offers page's series (palette "offers") start with blue.
  var offerPalette = ["#0b5cad", "#1e6b35", "#8a5a00", "#8c2f28", "#6a3d9a"];

  function day(ms) {
    return new Date(ms).toISOString().slice(0, 10);
  }

  function bar(data) {
    return {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: [{ label: data.label, data: data.values, backgroundColor: palette }]
      },
      options: {
        responsive: true, maintainAspectRatio: false, animation: false,
        plugins: { legend: { display: false } },
        scales: { y: { beginAtZero: true, ticks: { precision: 0 } } }
      }
    };
  }

  // series draws several series over the same labels: grouped or stacked
  // bars, or lines; a null value is a gap.
  function series(data) {
    var colors = data.palette === "offers" ? offerPalette : palette;
    var y = data.unit === "percent" ? { min: 0, max: 100 }
      : { beginAtZero: true, ticks: data.unit === "money" ? {} : { precision: 0 } };
    y.stacked = !!data.stacked;
    return {
      type: data.type,
      data: {
        labels: data.labels,
        datasets: data.series.map(function (s, i) {
          var color = colors[i % colors.length];
          return { label: s.label, data: s.values, backgroundColor: color, borderColor: color, pointRadius: 3, tension: 0 };
        })
      },
      options: {
        responsive: true, maintainAspectRatio: false, animation: false,
        plugins: { legend: { display: true, position: "bottom" } },
        scales: { x: { stacked: !!data.stacked }, y: y }
      }
    };
  }

  // interval draws a value per label with its interval, a row each: the
  // interval as a floating bar, the value as a mark on it.
  function interval(data) {
    var ranges = data.labels.map(function (_, i) { return [data.lows[i], data.highs[i]]; });
    return {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: [
          { type: "bar", label: "95% interval", data: ranges, backgroundColor: "rgba(11, 92, 173, 0.25)",
            borderColor: "#0b5cad", borderWidth: 1, barPercentage: 0.6, order: 2 },
          { type: "line", label: data.label, data: data.values, showLine: false, indexAxis: "y",
            pointStyle: "rectRot", pointRadius: 6, borderColor: "#1b1f23", backgroundColor: "#1b1f23", order: 1 }
        ]
      },
      options: {
        indexAxis: "y", responsive: true, maintainAspectRatio: false, animation: false,
        plugins: { legend: { display: true, position: "bottom" } },
        scales: { x: { title: { display: true, text: data.label } } }
      }
    };
  }

  function stages(data) {
    return {
      type: "line",
      data: {
        datasets: [{
          label: data.label, data: data.points, stepped: "before",
          borderColor: "#0b5cad", backgroundColor: "#0b5cad", pointRadius: 4
        }]
      },
      options: {
        responsive: true, maintainAspectRatio: false, animation: false, parsing: true,
        plugins: {
          legend: { display: false },
          tooltip: { callbacks: {
            title: function (items) { return day(items[0].parsed.x); },
            label: function (item) { return data.stages[item.parsed.y]; }
          } }
        },
        scales: {
          x: { type: "linear", ticks: { callback: day, maxTicksLimit: 6 } },
          y: { min: 0, max: data.stages.length - 1, ticks: { stepSize: 1, autoSkip: false,
            callback: function (v) { return data.stages[v]; } } }
        }
      }
    };
  }

  // kinds are the charts by the kind their data names; bar is the default.
  var kinds = { bar: bar, series: series, stages: stages, interval: interval };

  // empty reports whether a series or interval chart has nothing to draw:
  // no labels (no period, offer or vendor), or no series (no vendor's
  // leads in a distribution). The table next to it says so.
  function empty(data) {
    var labelled = data.kind === "series" || data.kind === "interval";
    return labelled && (!data.labels || data.labels.length === 0) || data.kind === "series" && !data.series;
  }

  function draw(figure) {
    var source = document.getElementById(figure.getAttribute("data-chart"));
    var box = figure.querySelector(".chart-box");
    var canvas = figure.querySelector("canvas");
    if (!source || !box || !canvas || typeof Chart === "undefined") {
      return;
    }
    var data = JSON.parse(source.textContent);
    if (!data || empty(data)) {
      return;
    }
    var config = (kinds[data.kind] || bar)(data);
    if (data.kind === "interval") {
      // One row per label, however many there are.
      box.style.height = Math.max(14, 3 + 2.2 * data.labels.length) + "rem";
    }
    box.hidden = false;
    new Chart(canvas, config);
    figure.classList.add("charted");
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("figure[data-chart]").forEach(draw);
  });
})();
