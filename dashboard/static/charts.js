// Rapport dashboard charts: draws each <figure data-chart="ID"> from the
// JSON in the element with that id, with Chart.js (vendor/chartjs). Pages
// work without this file: every chart's numbers are in a table next to it.
(function () {
  "use strict";
  var palette = ["#1e6b35", "#3f7d20", "#8a5a00", "#8c2f28", "#0b5cad", "#5b6670", "#b3261e", "#6a3d9a"];

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

  // bars draws several series over the same labels, grouped or stacked
  // (kind "bars": the vendors page's scorecards and distributions).
  function bars(data) {
    return {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: data.datasets.map(function (s, i) {
          return { label: s.label, data: s.values, backgroundColor: palette[i % palette.length] };
        })
      },
      options: {
        responsive: true, maintainAspectRatio: false, animation: false,
        plugins: { legend: { display: true, position: "bottom" } },
        scales: {
          x: { stacked: !!data.stacked },
          y: { stacked: !!data.stacked, beginAtZero: true, ticks: data.unit === "money" ? {} : { precision: 0 } }
        }
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

  function draw(figure) {
    var source = document.getElementById(figure.getAttribute("data-chart"));
    var box = figure.querySelector(".chart-box");
    var canvas = figure.querySelector("canvas");
    if (!source || !box || !canvas || typeof Chart === "undefined") {
      return;
    }
    var data = JSON.parse(source.textContent);
    if (!data) {
      return;
    }
    var config = data.kind === "stages" ? stages(data) : data.kind === "bars" ? bars(data) : bar(data);
    box.hidden = false;
    new Chart(canvas, config);
    figure.classList.add("charted");
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("figure[data-chart]").forEach(draw);
  });
})();
