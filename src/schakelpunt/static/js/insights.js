/* Inzicht: draw a chart above each table that has one. The data comes from a json_script
   element next to the table (no inline script: CSP). Without JavaScript, or without Chart.js,
   the tables alone tell everything. */
(function () {
  "use strict";

  // Blue and orange first: apart for most colour vision; then darker tones.
  var COLOURS = ["#1f5f99", "#d0661a", "#2d7d46", "#7b3f98", "#8a6d00", "#535353"];
  var ROW_HEIGHT = 28;

  function valueAxis(percent) {
    var axis = { beginAtZero: true, ticks: { precision: 0 } };
    if (percent) {
      axis.max = 100;
      axis.ticks.callback = function (value) { return value + "%"; };
    }
    return axis;
  }

  function draw(holder) {
    var source = document.getElementById(holder.getAttribute("data-chart"));
    if (!source || typeof window.Chart === "undefined") {
      return;
    }
    var data = JSON.parse(source.textContent);
    var horizontal = data.type === "horizontal";
    if (horizontal) {
      holder.style.height = Math.max(160, data.labels.length * ROW_HEIGHT * data.datasets.length + 80) + "px";
    }
    var canvas = document.createElement("canvas");
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-label", holder.getAttribute("data-title"));
    holder.appendChild(canvas);
    holder.hidden = false;
    var scales = {};
    scales[horizontal ? "x" : "y"] = valueAxis(data.percent);
    new window.Chart(canvas, {
      type: data.type === "line" ? "line" : "bar",
      data: {
        labels: data.labels,
        datasets: data.datasets.map(function (set, index) {
          var colour = COLOURS[index % COLOURS.length];
          return { label: set.label, data: set.data, backgroundColor: colour, borderColor: colour, spanGaps: false };
        })
      },
      options: {
        indexAxis: horizontal ? "y" : "x",
        maintainAspectRatio: false,
        animation: false,
        scales: scales,
        plugins: { legend: { display: data.datasets.length > 1 } }
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-chart]").forEach(draw);
  });
})();
