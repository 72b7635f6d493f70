/* Draws the embedded chart from the JSON in #chart-data and tells the framing page how tall
   the document is, whenever that changes:
   window.parent.postMessage({type: "ntm-embed:resize", chart: "<chart-id>", height: <px>}, "*")
   (the height is not secret; the portal's script checks where messages come from). */
(function () {
  "use strict";

  var chartId = document.body.getAttribute("data-chart") || "";
  var lastHeight = -1;

  function postHeight() {
    var height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height === lastHeight || height <= 0) {
      return;
    }
    lastHeight = height;
    if (window.parent && window.parent !== window) {
      window.parent.postMessage({ type: "ntm-embed:resize", chart: chartId, height: height }, "*");
    }
  }

  function draw() {
    var holder = document.getElementById("chart");
    var source = document.getElementById("chart-data");
    if (!holder || !source || !window.Plotly) {
      return;
    }
    var figure = JSON.parse(source.textContent);
    var config = { displaylogo: false, responsive: true, displayModeBar: false };
    window.Plotly.newPlot(holder, figure.data || [], figure.layout || {}, config).then(postHeight);
  }

  if (window.ResizeObserver) {
    new window.ResizeObserver(postHeight).observe(document.body);
  } else {
    window.addEventListener("resize", postHeight);
  }
  window.addEventListener("load", postHeight);
  draw();
  postHeight();
})();
