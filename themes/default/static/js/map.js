/* Balai maps: draws every [data-map] element with the vendored Leaflet, makes
 * [data-map-picker] boxes pick a point into a form, and makes
 * [data-locate] links "near me" links. Progressive enhancement: without this file
 * the map stays hidden and the page's list of places is the content; a near-me
 * link stays hidden too. The tile server and its attribution come from the city's
 * settings (data-tiles, data-attribution); the page's CSP allows that host only. */
(function () {
  "use strict";
  // The file may be included twice (a map and a near-me link on one page).
  if (window.balaiMaps) return;
  window.balaiMaps = true;

  function escapeText(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function drawMap(element) {
    var data = element.querySelector("script.map-markers");
    var markers = data ? JSON.parse(data.textContent) : [];
    if (!window.L || !markers.length) return;
    element.hidden = false;
    var map = L.map(element, { scrollWheelZoom: false });
    L.tileLayer(element.getAttribute("data-tiles"), {
      maxZoom: 19,
      attribution: escapeText(element.getAttribute("data-attribution") || ""),
    }).addTo(map);
    var points = [];
    markers.forEach(function (m) {
      var marker = L.marker([m.lat, m.lon], { title: m.label, alt: m.label }).addTo(map);
      var popup = document.createElement("span");
      if (m.href) {
        var link = document.createElement("a");
        link.href = m.href;
        link.textContent = m.label;
        popup.appendChild(link);
      } else {
        popup.textContent = m.label;
      }
      marker.bindPopup(popup);
      points.push([m.lat, m.lon]);
    });
    if (points.length === 1) {
      map.setView(points[0], Number(element.getAttribute("data-zoom")) || 16);
    } else {
      map.fitBounds(points, { padding: [24, 24], maxZoom: 17 });
    }
    if (element.hasAttribute("data-line")) {
      L.polyline(points, { weight: 4 }).addTo(map);
    }
  }

  function nearMe(link) {
    if (!("geolocation" in navigator)) return;
    link.hidden = false;
    link.addEventListener("click", function (event) {
      event.preventDefault();
      var status = document.getElementById(link.getAttribute("data-locate-status") || "");
      if (status) status.textContent = link.getAttribute("data-locate-wait") || "";
      navigator.geolocation.getCurrentPosition(
        function (position) {
          var url = new URL(link.href, window.location.href);
          url.searchParams.set("lat", position.coords.latitude.toFixed(5));
          url.searchParams.set("lon", position.coords.longitude.toFixed(5));
          url.searchParams.delete("page");
          window.location.assign(url.toString());
        },
        function () {
          if (status) status.textContent = link.getAttribute("data-locate-error") || "";
        },
        { enableHighAccuracy: false, timeout: 15000, maximumAge: 300000 }
      );
    });
  }

  // A picker (ui.map_picker): a tap places or moves the one marker and writes the
  // point into the form's coordinate inputs, which then stay out of sight.
  function picker(box) {
    var lat = document.getElementById(box.getAttribute("data-lat"));
    var lon = document.getElementById(box.getAttribute("data-lon"));
    var fields = box.parentNode.querySelector("[data-picker-fields]");
    if (!window.L || !lat || !lon || !fields) return;
    var status = box.querySelector("[data-picker-status]");
    var problems = [];
    fields.querySelectorAll(".field-error").forEach(function (p) {
      problems.push(p.textContent.trim());
    });
    box.hidden = false;
    fields.hidden = true;
    status.textContent = problems.join(" ");
    var element = box.querySelector(".map");
    var map = L.map(element, { scrollWheelZoom: false });
    L.tileLayer(box.getAttribute("data-tiles"), {
      maxZoom: 19,
      attribution: escapeText(box.getAttribute("data-attribution") || ""),
    }).addTo(map);
    var marker = null;
    function markAt(point) {
      if (marker) {
        marker.setLatLng(point);
        return;
      }
      marker = L.marker(point, { draggable: true, alt: element.getAttribute("aria-label") });
      marker.on("dragend", function () {
        place(marker.getLatLng());
      });
      marker.addTo(map);
    }
    function place(latlng) {
      var point = latlng.wrap();
      lat.value = point.lat.toFixed(6);
      lon.value = point.lng.toFixed(6);
      markAt(point);
      status.textContent = (box.getAttribute("data-picked") || "")
        .replace("{lat}", lat.value)
        .replace("{lon}", lon.value);
    }
    map.on("click", function (event) {
      place(event.latlng);
    });
    var known = [parseFloat(lat.value), parseFloat(lon.value)];
    var bounds = (box.getAttribute("data-bounds") || "").split(",").map(Number);
    var boxed = bounds.length === 4 && bounds.every(isFinite);
    var inside =
      !boxed ||
      (known[0] >= bounds[0] && known[0] <= bounds[2] && known[1] >= bounds[1] && known[1] <= bounds[3]);
    // A point refused as outside the city is not where the map opens again.
    if (isFinite(known[0]) && isFinite(known[1]) && Math.abs(known[0]) <= 90 && inside) {
      map.setView(known, 17);
      markAt(known);
    } else if (boxed) {
      map.fitBounds([[bounds[0], bounds[1]], [bounds[2], bounds[3]]]);
    } else {
      map.setView([-2.5, 118], 4); // Indonesia
    }
    var locate = box.querySelector("[data-picker-locate]");
    if (!locate || !("geolocation" in navigator)) return;
    locate.hidden = false;
    locate.addEventListener("click", function () {
      status.textContent = box.getAttribute("data-locate-wait") || "";
      navigator.geolocation.getCurrentPosition(
        function (position) {
          var here = L.latLng(position.coords.latitude, position.coords.longitude);
          map.setView(here, 17);
          place(here);
        },
        function () {
          status.textContent = box.getAttribute("data-locate-error") || "";
        },
        { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 }
      );
    });
  }

  function start() {
    document.querySelectorAll("[data-map]").forEach(drawMap);
    document.querySelectorAll("[data-map-picker]").forEach(picker);
    document.querySelectorAll("[data-locate]").forEach(nearMe);
  }

  // Deferred scripts run before DOMContentLoaded, in document order: wait for it so
  // that Leaflet (also deferred, maybe later in the page) is there.
  if (document.readyState === "complete") {
    start();
  } else {
    document.addEventListener("DOMContentLoaded", start);
  }
})();
