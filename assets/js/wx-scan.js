/* ChargeAsset phone scan page (/wx/scan).  Three ways to read a pile's label,
 * best first:
 *   1. inside WeChat, wx.scanQRCode with needResult 1 (when window.wx is there
 *      and configured: caWx.ready of wx-app.js);
 *   2. any other phone browser: the camera, decoded by BarcodeDetector where
 *      the browser has it, else by the vendored jsQR (loaded only then);
 *   3. always: the code typed into the box.
 * Whatever is read goes unparsed to /wx/lookup?value=… — the server reads the
 * label URL, the bare code or WeChat's "QR_CODE,…" form (code_scan()). */
(function () {
  'use strict';

  var box = document.getElementById('wx-scan');
  if (!box) return;
  var T = box.dataset;
  var status = document.getElementById('wx-scan-status');
  var wxBtn = document.getElementById('wx-scan-wechat');
  var camBtn = document.getElementById('wx-scan-camera');
  var cam = document.getElementById('wx-camera');
  var video = document.getElementById('wx-video');
  var stopBtn = document.getElementById('wx-camera-stop');
  var stream = null;
  var running = false;

  function say(text) { status.textContent = text || ''; }

  function go(value) {
    if (!value) return;
    stop();
    say(T.tLooking);
    location.assign('/wx/lookup?value=' + encodeURIComponent(value));
  }

  /* ---- 1. WeChat ---- */
  function wechat() {
    window.wx.scanQRCode({
      needResult: 1,
      scanType: ['qrCode', 'barCode'],
      success: function (res) { go(res && res.resultStr); },
      fail: function () { say(T.tWxFailed); offerCamera(); },
    });
  }

  /* ---- 2. camera ---- */
  function offerCamera() {
    if (navigator.mediaDevices && typeof navigator.mediaDevices.getUserMedia === 'function') camBtn.hidden = false;
  }

  function stop() {
    running = false;
    if (stream) stream.getTracks().forEach(function (t) { t.stop(); });
    stream = null;
    cam.hidden = true;
  }

  function loadJsQR() {
    return new Promise(function (resolve, reject) {
      if (window.jsQR) return resolve(window.jsQR);
      var s = document.createElement('script');
      s.src = '/assets/vendor/jsqr/jsQR.js';
      s.onload = function () { return window.jsQR ? resolve(window.jsQR) : reject(new Error('jsQR')); };
      s.onerror = reject;
      document.head.appendChild(s);
    });
  }

  function decoder() {
    if ('BarcodeDetector' in window) {
      try {
        var d = new window.BarcodeDetector({ formats: ['qr_code'] });
        return Promise.resolve(function (v) {
          return d.detect(v).then(function (codes) { return codes.length ? codes[0].rawValue : null; });
        });
      } catch (e) { /* no qr_code format: jsQR below */ }
    }
    return loadJsQR().then(function (jsQR) {
      var canvas = document.createElement('canvas');
      var ctx = canvas.getContext('2d', { willReadFrequently: true });
      return function (v) {
        var w = v.videoWidth, h = v.videoHeight;
        if (!w || !h) return Promise.resolve(null);
        var scale = Math.min(1, 640 / Math.max(w, h));
        canvas.width = Math.round(w * scale);
        canvas.height = Math.round(h * scale);
        ctx.drawImage(v, 0, 0, canvas.width, canvas.height);
        var img = ctx.getImageData(0, 0, canvas.width, canvas.height);
        var hit = jsQR(img.data, img.width, img.height, { inversionAttempts: 'dontInvert' });
        return Promise.resolve(hit ? hit.data : null);
      };
    });
  }

  function camera() {
    say('');
    navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false })
      .then(function (s) {
        stream = s;
        video.srcObject = s;
        cam.hidden = false;
        return video.play().then(decoder);
      })
      .then(function (detect) {
        running = true;
        (function tick() {
          if (!running) return;
          detect(video).then(function (value) {
            if (value) go(value);
            else setTimeout(tick, 180);
          }, function () { setTimeout(tick, 400); });
        })();
      })
      .catch(function () { stop(); say(T.tCameraFailed); document.getElementById('value').focus(); });
  }

  wxBtn.addEventListener('click', wechat);
  camBtn.addEventListener('click', camera);
  stopBtn.addEventListener('click', stop);
  window.addEventListener('pagehide', stop);

  window.caWx.ready(function () {
    if (typeof window.wx.scanQRCode === 'function') wxBtn.hidden = false;
    else offerCamera();
  }, offerCamera);
})();
