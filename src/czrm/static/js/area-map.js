// The team page's map: draws the GeoJSON typed in the area field, and redraws
// it as the field changes. Without JavaScript, Leaflet or tiles the field
// alone does the job; the server checks what is saved.
(function () {
  "use strict";
  function setUp() {
    var el = document.getElementById("area-map");
    var field = document.getElementById("area");
    if (!el || !field || !window.L) { return; }
    var map = window.L.map(el, { keyboard: true, attributionControl: true });
    el.setAttribute("role", "region");
    el.setAttribute("aria-label", el.dataset.label || "Map");
    if (el.dataset.tiles) {
      window.L.tileLayer(el.dataset.tiles, { maxZoom: 19, attribution: el.dataset.attribution || "" }).addTo(map);
    }
    map.setView([52.43, -1.51], 11);
    var layer = null;
    function draw() {
      var geo = null;
      try { geo = JSON.parse(field.value); } catch (e) { geo = null; }
      if (layer) { map.removeLayer(layer); layer = null; }
      if (!geo) { return; }
      try {
        layer = window.L.geoJSON(geo, { style: { color: "#1d70b8", weight: 2, fillOpacity: 0.1 }, interactive: false }).addTo(map);
        var bounds = layer.getBounds();
        if (bounds.isValid()) { map.fitBounds(bounds); }
      } catch (e) { layer = null; }
    }
    var timer = null;
    field.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(draw, 400);
    });
    draw();
    el.dataset.ready = "true";
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
