/* The district map (dashboard/components/maps.py) is a Plotly choropleth on our own district
 * boundaries with the base map switched off. Plotly still asks for its world base map
 * (topojson from cdn.plot.ly) before drawing any geo chart; the application must not load
 * anything from the internet (intranet, CSP). An empty base map for every scope Plotly may ask
 * for is registered here, before any chart is drawn, so nothing is fetched. */
(function () {
  "use strict";
  var assets = (window.PlotlyGeoAssets = window.PlotlyGeoAssets || { topojson: {} });
  assets.topojson = assets.topojson || {};
  var empty = { type: "Topology", objects: {}, arcs: [] };
  ["world", "usa", "europe", "asia", "africa", "north-america", "south-america"].forEach(
    function (scope) {
      ["110m", "50m"].forEach(function (resolution) {
        var name = scope + "_" + resolution;
        if (!assets.topojson[name]) {
          assets.topojson[name] = empty;
        }
      });
    }
  );
})();
