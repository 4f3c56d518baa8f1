/* ChargeAsset phone pages: what every phone page shares, whichever worker
 * serves it (ca-wechat's /wx/ and the others'; views/phone/foot.cs loads it,
 * with defer, before the page's own script such as wx-scan.js or wx-geo.js;
 * no inline script: CSP script-src 'self').
 *
 * (a) Submissions that survive a weak signal.  Every form[data-wx-form] gets
 *     an idempotency key (a UUID v4 made here, one per form shown, so a double
 *     tap sends the same key) and is sent with fetch (Accept: application/json).
 *     Before sending, the submission is kept as a draft in localStorage; with
 *     no connection it stays 待发送 (pending) and is sent when the browser says
 *     it is online again (the `online` event) or on the next retry round, and
 *     shows 已发送 (sent) once the server has it.  The server stores the key
 *     with the change in one transaction, so a draft sent twice (a lost
 *     answer, a second tab) applies once and gets the same answer.
 * (b) wx.config for the WeChat JS-SDK when the page carries its signed
 *     parameters (views/phone/head.cs), and caWx.ready(): run a function once
 *     `window.wx` is usable, or the fallback when it is not.
 * Everything still works without JavaScript: the forms post normally, with
 * the key the server put in them.
 *
 * A page opts a form in with markup only (nothing here knows a page):
 *   <form method="post" action="…" data-wx-form data-wx-label="what it does">
 *     csrf_field() and phone_key() (views/macros.cs: the idem field)
 * The handler of its POST is idempotent (cgi/core/idem.h) and answers JSON
 * (core/app.c): {location} when done (the page follows it), {error, errors}
 * when refused (the field messages are shown beside the named fields, or
 * after the element marked data-wx-errors-after that holds the field, such as
 * a list of radio buttons).  Drafts are kept per user under one key for all
 * phone pages, so a draft of one worker's page is sent from any other. */
(function () {
  'use strict';

  var root = document.querySelector('.wx');
  if (!root) return;
  var T = root.dataset;
  var STORE = 'ca.wx.drafts';
  var RETRY_MS = 15000;
  var KEEP_SENT_MS = 120000;
  var strip = document.getElementById('wx-drafts');
  var net = document.getElementById('wx-net');
  var timer = null;

  /* ---- (b) WeChat JS-SDK ---- */
  var wxState = null; // null: not tried, true: usable, false: not
  var wxWaiting = [];
  function wxSettle(ok) {
    wxState = ok;
    var w = wxWaiting;
    wxWaiting = [];
    w.forEach(function (p) { (ok ? p.ok : p.no)(); });
  }
  window.caWx = {
    /* ok() when window.wx can be used (configured and ready), else no(). */
    ready: function (ok, no) {
      no = no || function () {};
      if (wxState !== null) return (wxState ? ok : no)();
      wxWaiting.push({ ok: ok, no: no });
      if (wxWaiting.length > 1) return;
      var wx = window.wx;
      if (!wx || typeof wx !== 'object') return wxSettle(false);
      try {
        if (T.wxSignature && typeof wx.config === 'function') {
          wx.config({
            debug: false, appId: T.wxAppId, timestamp: Number(T.wxTimestamp),
            nonceStr: T.wxNonce, signature: T.wxSignature,
            jsApiList: ['scanQRCode', 'getLocation'],
          });
        }
        if (typeof wx.error === 'function') wx.error(function () { wxSettle(false); });
        if (typeof wx.ready === 'function') wx.ready(function () { if (wxState === null) wxSettle(true); });
        else wxSettle(true);
      } catch (e) {
        wxSettle(false);
      }
      // A client that never calls back (no signature, not in WeChat) falls back.
      setTimeout(function () { if (wxState === null) wxSettle(false); }, 4000);
    },
  };

  /* ---- (a) drafts ---- */
  function uuid() {
    var b = new Uint8Array(16);
    (window.crypto || window.msCrypto).getRandomValues(b);
    b[6] = (b[6] & 15) | 64;
    b[8] = (b[8] & 63) | 128;
    var h = '';
    for (var i = 0; i < 16; i++) h += (b[i] + 256).toString(16).slice(1);
    return h.slice(0, 8) + '-' + h.slice(8, 12) + '-' + h.slice(12, 16) + '-' + h.slice(16, 20) + '-' + h.slice(20);
  }

  function load() {
    try {
      var l = JSON.parse(localStorage.getItem(STORE) || '[]');
      return Array.isArray(l) ? l : [];
    } catch (e) {
      return [];
    }
  }
  function store(list) {
    try { localStorage.setItem(STORE, JSON.stringify(list)); } catch (e) { /* private mode: memory only */ }
  }
  function upsert(d) {
    var list = load().filter(function (x) { return x.key !== d.key; });
    list.push(d);
    store(list);
  }
  function remove(key) {
    store(load().filter(function (x) { return x.key !== key; }));
  }
  function mine() {
    var now = Date.now();
    var list = load().filter(function (d) {
      return !(d.state === 'sent' && (now - d.at > KEEP_SENT_MS || d.views > 1));
    });
    store(list);
    return list.filter(function (d) { return String(d.user) === String(T.user); });
  }
  /* A sent draft is shown where it was sent and on the page it led to, then dropped. */
  function countView() {
    var list = load();
    list.forEach(function (d) { if (d.state === 'sent') d.views = (d.views || 0) + 1; });
    store(list);
  }

  function csrfNow() {
    var f = document.querySelector('input[name=_csrf]');
    return f ? f.value : null;
  }
  /* The draft's body with the current session's CSRF token (a draft kept
   * across a new sign-in carries the old one). */
  function bodyOf(d) {
    var p = new URLSearchParams(d.body);
    var t = csrfNow();
    if (t) p.set('_csrf', t);
    return p.toString();
  }

  function label(state) {
    return { pending: T.tPending, sending: T.tSending, sent: T.tSent, failed: T.tFailed }[state] || state;
  }

  function render() {
    var list = mine();
    if (net) net.hidden = navigator.onLine !== false;
    if (!strip) return;
    strip.textContent = '';
    strip.hidden = list.length === 0;
    list.forEach(function (d) {
      var row = document.createElement('div');
      row.className = 'wx-draft wx-draft-' + d.state;
      row.dataset.key = d.key;
      var badge = document.createElement('span');
      badge.className = 'wx-draft-state';
      badge.textContent = label(d.state);
      var what = document.createElement('span');
      what.className = 'wx-draft-what';
      what.textContent = d.label + (d.error ? ' — ' + d.error : '');
      row.appendChild(badge);
      row.appendChild(what);
      if (d.state === 'pending' || d.state === 'failed') {
        if (d.state === 'pending') row.appendChild(button('retry', T.tRetry));
        row.appendChild(button('discard', T.tDiscard));
      }
      strip.appendChild(row);
    });
  }
  function button(act, text) {
    var b = document.createElement('button');
    b.type = 'button';
    b.className = 'btn btn-sm btn-link wx-draft-' + act;
    b.dataset.act = act;
    b.textContent = text;
    return b;
  }

  function schedule() {
    if (timer) return;
    timer = setTimeout(function () { timer = null; flush(); }, RETRY_MS);
  }

  /* Show the server's field messages on the form still on screen. */
  function showErrors(d, j) {
    var form = document.querySelector('form[data-wx-form][data-wx-key="' + d.key + '"]');
    if (!form) return;
    form.querySelectorAll('.is-invalid').forEach(function (el) { el.classList.remove('is-invalid'); });
    form.querySelectorAll('.wx-js-error').forEach(function (el) { el.remove(); });
    Object.keys((j && j.errors) || {}).forEach(function (name) {
      var el = form.querySelector('[name="' + name + '"]');
      if (!el) return;
      el.classList.add('is-invalid');
      var msg = document.createElement('div');
      msg.className = 'invalid-feedback d-block wx-js-error';
      msg.textContent = j.errors[name];
      (el.closest('[data-wx-errors-after]') || el).insertAdjacentElement('afterend', msg);
    });
    // A new key for the corrected submission.
    form.dataset.wxKey = '';
    delete form.dataset.busy;
  }

  function send(d) {
    if (navigator.onLine === false) {
      render();
      schedule();
      return;
    }
    d.state = 'sending';
    d.error = '';
    upsert(d);
    render();
    fetch(d.url, {
      method: 'POST',
      body: bodyOf(d),
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
    }).then(function (res) {
      return res.json().catch(function () { return {}; }).then(function (j) { return { status: res.status, j: j }; });
    }).then(function (o) {
      if (o.status === 200 && o.j.location) {
        d.state = 'sent';
        d.at = Date.now();
        upsert(d);
        render();
        // Only within this site (no javascript: or another origin), whatever the answer says.
        var next = new URL(o.j.location, location.href);
        if (d.page === location.pathname && next.origin === location.origin) location.assign(next.href);
      } else if (o.status === 401 || o.status >= 500 || o.status === 429 || o.status === 403 && /csrf|过期|expired/i.test(o.j.error || '')) {
        // Signed out, busy or a stale page: keep it and try again.
        d.state = 'pending';
        d.error = o.status === 401 ? T.tRelogin : (o.j.error || '');
        upsert(d);
        render();
        schedule();
      } else {
        d.state = 'failed';
        d.error = o.j.error || String(o.status);
        upsert(d);
        render();
        showErrors(d, o.j);
      }
    }).catch(function () {
      // No answer (offline, dropped): the server may or may not have it; the
      // key makes sending it again safe.
      d.state = 'pending';
      upsert(d);
      render();
      schedule();
    });
  }

  function flush() {
    mine().forEach(function (d) {
      if (d.state === 'pending' || d.state === 'sending') send(d);
    });
  }

  document.addEventListener('submit', function (ev) {
    var form = ev.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute('data-wx-form')) return;
    ev.preventDefault();
    if (form.dataset.busy) return; // a double tap: the first is on its way
    if (!form.dataset.wxKey) form.dataset.wxKey = uuid();
    var idem = form.querySelector('input[name=idem]');
    if (idem) idem.value = form.dataset.wxKey;
    form.dataset.busy = '1';
    var url = new URL(form.action, location.href);
    var d = {
      key: form.dataset.wxKey,
      url: url.pathname + url.search,
      page: location.pathname,
      body: new URLSearchParams(new FormData(form)).toString(),
      label: form.dataset.wxLabel || document.title,
      user: T.user,
      state: 'pending',
      at: Date.now(),
    };
    upsert(d); // kept before the first try: a lost signal loses nothing
    send(d);
  });

  if (strip) {
    strip.addEventListener('click', function (ev) {
      var b = ev.target.closest('button[data-act]');
      if (!b) return;
      var key = b.closest('.wx-draft').dataset.key;
      if (b.dataset.act === 'discard') {
        remove(key);
        render();
      } else {
        var d = load().filter(function (x) { return x.key === key; })[0];
        if (d) send(d);
      }
    });
  }

  window.addEventListener('online', function () { render(); flush(); });
  window.addEventListener('offline', render);
  countView();
  render();
  // Drafts left from an earlier page (or a closed browser) go out now.
  if (T.user) flush();
})();
