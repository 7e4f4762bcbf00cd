/* Balai maps: draws every [data-map] element with the vendored Leaflet, and makes
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

  function start() {
    document.querySelectorAll("[data-map]").forEach(drawMap);
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
