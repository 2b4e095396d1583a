// Rapport dashboard, offers page: draws each <figure data-offer-chart="ID">
// from the JSON in the element with that id, with Chart.js
// (vendor/chartjs). Two kinds: "interval" (a value per offer with its 95%
// interval, as a floating bar and a mark) and "series" (several series per
// period, as grouped bars or lines). The page works without this file:
// every chart's numbers are in a table.
(function () {
  "use strict";
  var palette = ["#0b5cad", "#1e6b35", "#8a5a00", "#8c2f28", "#6a3d9a"];

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

  function series(data) {
    return {
      type: data.type,
      data: {
        labels: data.labels,
        datasets: data.series.map(function (s, i) {
          return { label: s.label, data: s.values, backgroundColor: palette[i % palette.length],
            borderColor: palette[i % palette.length], pointRadius: 3, tension: 0 };
        })
      },
      options: {
        responsive: true, maintainAspectRatio: false, animation: false,
        plugins: { legend: { display: true, position: "bottom" } },
        scales: { y: data.percent ? { min: 0, max: 100 } : { beginAtZero: true, ticks: { precision: 0 } } }
      }
    };
  }

  function draw(figure) {
    var source = document.getElementById(figure.getAttribute("data-offer-chart"));
    var box = figure.querySelector(".chart-box");
    var canvas = figure.querySelector("canvas");
    if (!source || !box || !canvas || typeof Chart === "undefined") {
      return;
    }
    var data = JSON.parse(source.textContent);
    if (!data || !data.labels || data.labels.length === 0) {
      return;
    }
    var config = data.kind === "interval" ? interval(data) : series(data);
    if (data.kind === "interval") {
      // One row per offer, however many there are.
      box.style.height = Math.max(14, 3 + 2.2 * data.labels.length) + "rem";
    }
    box.hidden = false;
    new Chart(canvas, config);
    figure.classList.add("charted");
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("figure[data-offer-chart]").forEach(draw);
  });
})();
