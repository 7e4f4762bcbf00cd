/* The gate page's extras: scan with the camera, and keep admitting when the network is gone.
 *
 * Without this script the page works as a form (type the code, the server answers). With it:
 * - a "Scan" button reads QR codes with the camera (BarcodeDetector where the browser has it,
 *   else the vendored jsQR, loaded only then) and submits what it read;
 * - when the browser is offline, a scanned payload is checked here: its Ed25519 signature
 *   with the city's public key (WebCrypto), its city, its slot against the clock, and this
 *   gate's own earlier admissions; an admission is kept in localStorage and sent to the
 *   server (sinkron) when the network is back, which flags a ticket admitted twice.
 * Typed codes (not signed payloads) cannot be checked offline: the page says so.
 */
(function () {
  "use strict";

  var form = document.getElementById("gate-form");
  if (!form) return;
  var page = document.getElementById("gate-offline");
  var status = document.getElementById("gate-queue");
  var QUEUE_KEY = "balai-gate-queue:" + form.dataset.city;
  var SEEN_KEY = "balai-gate-seen:" + form.dataset.city;
  var EARLY_MS = 30 * 60 * 1000;

  function text(id) {
    var node = document.getElementById(id);
    return node ? node.textContent : id;
  }

  function load(key) {
    try {
      return JSON.parse(localStorage.getItem(key) || "[]");
    } catch (e) {
      return [];
    }
  }

  function save(key, value) {
    localStorage.setItem(key, JSON.stringify(value));
  }

  function b64(data) {
    var s = data.replace(/-/g, "+").replace(/_/g, "/");
    while (s.length % 4) s += "=";
    var raw = atob(s);
    var out = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
    return out;
  }

  function stampToDate(stamp) {
    // YYYYMMDDTHHMMZ, UTC
    var m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})Z$/.exec(stamp || "");
    if (!m) return null;
    return new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5]));
  }

  function showQueue() {
    if (!status) return;
    var queued = load(QUEUE_KEY).length;
    status.textContent = queued ? text("gate-t-queued").replace("%(num)s", queued) : "";
  }

  function answer(admitted, message) {
    page.hidden = false;
    page.className = "gate-answer " + (admitted ? "gate-admitted" : "gate-refused");
    page.querySelector(".gate-verdict").textContent = text(admitted ? "gate-t-yes" : "gate-t-no");
    page.querySelector(".gate-reason").textContent = message;
    page.scrollIntoView();
  }

  async function checkOffline(payload) {
    var parts = payload.trim().split(".");
    if (parts.length !== 4 || parts[0] !== "B1" || parts[1] !== "heritage_ticket") {
      return answer(false, text("gate-t-typed"));
    }
    var body;
    try {
      body = JSON.parse(new TextDecoder().decode(b64(parts[2])));
    } catch (e) {
      return answer(false, text("gate-t-malformed"));
    }
    if (body.city !== form.dataset.city) return answer(false, text("gate-t-city"));
    try {
      var key = await crypto.subtle.importKey("raw", b64(form.dataset.key), { name: "Ed25519" }, false, ["verify"]);
      var signed = new TextEncoder().encode(parts.slice(0, 3).join("."));
      var good = await crypto.subtle.verify({ name: "Ed25519" }, key, b64(parts[3]), signed);
      if (!good) return answer(false, text("gate-t-forged"));
    } catch (e) {
      return answer(false, text("gate-t-nocrypto"));
    }
    var now = Date.now();
    var starts = stampToDate(body.s);
    var ends = stampToDate(body.e);
    if (!starts || !ends || now < starts.getTime() - EARLY_MS || now > ends.getTime()) {
      return answer(false, text("gate-t-slot"));
    }
    var seen = load(SEEN_KEY);
    var before = seen.filter(function (item) { return item.t === body.t; })[0];
    if (before) {
      var at = new Date(before.at);
      var hhmm = ("0" + at.getHours()).slice(-2) + "." + ("0" + at.getMinutes()).slice(-2);
      return answer(false, text("gate-t-used").replace("%(time)s", hhmm));
    }
    var when = new Date().toISOString();
    seen.push({ t: body.t, at: when });
    save(SEEN_KEY, seen.slice(-5000));
    var queue = load(QUEUE_KEY);
    queue.push({ kode: payload.trim(), at: when });
    save(QUEUE_KEY, queue);
    showQueue();
    answer(true, text("gate-t-offline-ok"));
  }

  async function sync() {
    var queue = load(QUEUE_KEY);
    if (!queue.length || !navigator.onLine) return;
    var token = form.querySelector("input[name=_csrf_token]").value;
    var gate = form.querySelector("input[name=gerbang]").value;
    try {
      var response = await fetch(form.dataset.sync, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": token },
        body: JSON.stringify({ gate: gate, scans: queue.slice(0, 200) }),
      });
      if (!response.ok) return;
      var result = await response.json();
      save(QUEUE_KEY, load(QUEUE_KEY).slice(queue.slice(0, 200).length));
      var flagged = result.results.filter(function (r) { return r.outcome === "flagged"; });
      if (flagged.length) {
        answer(false, text("gate-t-flagged") + " " + flagged.map(function (r) { return r.code; }).join(", "));
      }
      showQueue();
    } catch (e) {
      /* still offline: keep the queue */
    }
  }

  form.addEventListener("submit", function (event) {
    if (navigator.onLine) return; // the server answers
    event.preventDefault();
    checkOffline(form.querySelector("input[name=kode]").value);
  });

  var scanner = document.getElementById("gate-scanner");
  var button = document.getElementById("gate-camera");
  var video = document.getElementById("gate-video");
  var canvas = document.createElement("canvas");

  function found(value) {
    if (video.srcObject) video.srcObject.getTracks().forEach(function (t) { t.stop(); });
    video.hidden = true;
    form.querySelector("input[name=kode]").value = value;
    if (navigator.onLine) form.submit();
    else checkOffline(value);
  }

  function loadJsQR() {
    return new Promise(function (resolve, reject) {
      if (window.jsQR) return resolve(window.jsQR);
      var script = document.createElement("script");
      script.src = scanner.dataset.decoder;
      script.onload = function () { resolve(window.jsQR); };
      script.onerror = reject;
      document.head.appendChild(script);
    });
  }

  async function scan() {
    var stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } });
    video.srcObject = stream;
    video.hidden = false;
    await video.play();
    var detector = "BarcodeDetector" in window ? new window.BarcodeDetector({ formats: ["qr_code"] }) : null;
    var decode = detector ? null : await loadJsQR();
    var context = canvas.getContext("2d", { willReadFrequently: true });
    async function frame() {
      if (video.hidden) return;
      if (detector) {
        var codes = await detector.detect(video);
        if (codes.length) return found(codes[0].rawValue);
      } else if (video.videoWidth) {
        canvas.width = video.videoWidth;
        canvas.height = video.videoHeight;
        context.drawImage(video, 0, 0);
        var image = context.getImageData(0, 0, canvas.width, canvas.height);
        var code = decode(image.data, image.width, image.height);
        if (code) return found(code.data);
      }
      requestAnimationFrame(frame);
    }
    frame();
  }

  if (scanner && navigator.mediaDevices && navigator.mediaDevices.getUserMedia) {
    scanner.hidden = false;
    button.addEventListener("click", function () {
      scan().catch(function () { answer(false, text("gate-t-camera")); });
    });
  }
  window.addEventListener("online", sync);
  showQueue();
  sync();
})();
