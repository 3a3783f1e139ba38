// The report form's map: a click, a tap or the keyboard puts a pin, which fills
// the hidden lat/long fields. Without JavaScript, or if base tiles fail to load,
// the address and postcode fields still do the job.
(function () {
  "use strict";
  function setUp() {
    var el = document.getElementById("map");
    if (!el || !window.L) { return; }
    var lat = document.getElementById("lat");
    var lng = document.getElementById("long");
    var status = document.getElementById("map-status");
    var centre = (el.dataset.centre || "").split(",").map(Number);
    var map = window.L.map(el, { keyboard: true, attributionControl: true });
    el.setAttribute("role", "application");
    el.setAttribute("aria-label", el.dataset.label || "Map");
    el.setAttribute("tabindex", "0");
    if (el.dataset.tiles) {
      window.L.tileLayer(el.dataset.tiles, { maxZoom: 19, attribution: el.dataset.attribution || "" }).addTo(map);
    }
    var marker = null;
    function place(latlng, announce) {
      var rounded = window.L.latLng(Math.round(latlng.lat * 1e6) / 1e6, Math.round(latlng.lng * 1e6) / 1e6);
      if (marker) { marker.setLatLng(rounded); } else {
        marker = window.L.marker(rounded, { keyboard: false, alt: "" }).addTo(map);
      }
      lat.value = rounded.lat;
      lng.value = rounded.lng;
      if (announce && status) { status.textContent = el.dataset.pinned || ""; }
    }
    if (centre.length === 3 && !isNaN(centre[0])) {
      map.setView([centre[0], centre[1]], centre[2]);
    } else {
      map.setView([52.43, -1.51], 13);
    }
    fetch(el.dataset.wards, { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (geo) {
        if (!geo || !geo.features.length) { return; }
        var layer = window.L.geoJSON(geo, {
          style: { color: "#1d70b8", weight: 2, fillOpacity: 0.05 },
          interactive: false
        }).addTo(map);
        if (!(centre.length === 3 && !isNaN(centre[0]))) { map.fitBounds(layer.getBounds()); }
      })
      .catch(function () { /* the map still works without ward outlines */ });
    if (lat.value && lng.value) { place(window.L.latLng(Number(lat.value), Number(lng.value)), false); }
    map.on("click", function (e) { place(e.latlng, true); });
    el.addEventListener("keydown", function (e) {
      if (e.key === "Enter" || e.key === " ") {
        e.preventDefault();
        place(map.getCenter(), true);
      }
    });
    el.dataset.ready = "true";
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
