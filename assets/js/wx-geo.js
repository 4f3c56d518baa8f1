/* ChargeAsset phone page "bind to a station" (/wx/p/<code>/station): ask the
 * phone where it is, as WGS-84 — wx.getLocation({type: 'wgs84'}) inside
 * WeChat, navigator.geolocation elsewhere (always WGS-84) — and reload the
 * list with ?lat=&lng= so the server lists the nearest stations first.
 * Asked by itself the first time the page opens; the button asks again. */
(function () {
  'use strict';

  var form = document.getElementById('wx-station-search');
  if (!form) return;
  var T = form.dataset;
  var status = document.getElementById('wx-geo-status');
  var again = document.getElementById('wx-locate');
  var hasPos = !!form.querySelector('input[name=lat]');

  function say(t) { status.textContent = t; }

  function located(lat, lng) {
    if (typeof lat !== 'number' || typeof lng !== 'number' || !isFinite(lat) || !isFinite(lng)) return none();
    var u = new URL(form.action, location.href);
    u.searchParams.set('lat', lat.toFixed(6));
    u.searchParams.set('lng', lng.toFixed(6));
    var q = form.elements.q.value.trim();
    if (q) u.searchParams.set('q', q);
    location.replace(u.pathname + u.search);
  }

  function none() { say(T.tNoPosition); }

  function browser() {
    if (!navigator.geolocation) return none();
    navigator.geolocation.getCurrentPosition(function (p) {
      located(p.coords.latitude, p.coords.longitude);
    }, none, { enableHighAccuracy: true, timeout: 10000, maximumAge: 60000 });
  }

  function locate() {
    say(T.tLocating);
    window.caWx.ready(function () {
      if (typeof window.wx.getLocation !== 'function') return browser();
      window.wx.getLocation({
        type: 'wgs84',
        success: function (res) { located(Number(res.latitude), Number(res.longitude)); },
        fail: browser,
        cancel: none,
      });
    }, browser);
  }

  again.addEventListener('click', locate);
  if (!hasPos && !form.elements.q.value) locate();
})();
