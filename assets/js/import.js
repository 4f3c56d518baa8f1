/* Bulk import (/asset/import): while an upload is checked or a job is
 * committed, poll its progress (/asset/import/progress?key=…) and show it.
 * The form submits as usual; this page keeps running until the answer
 * arrives.  A job page opened while its dry run still runs elsewhere polls
 * the same way and reloads when it is done.  Loaded only by
 * views/asset/import_*.cs. */
(function () {
  'use strict';
  var forms = document.querySelectorAll('form[data-progress-key], [data-progress-reload]');
  Array.prototype.forEach.call(forms, function (form) {
    var box = form.querySelector('.import-progress');
    if (!box) return;
    var bar = box.querySelector('progress');
    var count = box.querySelector('.import-progress-count');
    var key = form.getAttribute('data-progress-key');
    var phase = form.getAttribute('data-progress-phase');
    var busy = false;
    var reload = form.hasAttribute('data-progress-reload');
    function poll() {
      fetch('/asset/import/progress?format=json&key=' + encodeURIComponent(key),
        { credentials: 'same-origin', headers: { Accept: 'application/json' } })
        .then(function (res) { return res.ok ? res.json() : null; })
        .then(function (p) {
          /* A job still being checked by another request: reload when it is. */
          if (reload && p && p.phase === 'done') { busy = false; window.location.reload(); return; }
          if (p && p.phase === phase && +p.total > 0) {
            bar.value = Math.round(100 * +p.done / +p.total);
            count.textContent = p.done + ' / ' + p.total;
          }
        })
        .catch(function () {})
        .then(function () { if (busy) setTimeout(poll, 400); });
    }
    if (reload) {
      busy = true;
      setTimeout(poll, 400);
      return;
    }
    form.addEventListener('submit', function () {
      if (busy) return;
      busy = true;
      box.hidden = false;
      var button = form.querySelector('button[type=submit]');
      if (button) {
        /* After the submit has been sent: a second click does nothing, and
         * the server would land a repeated submit on the same job anyway. */
        setTimeout(function () { button.disabled = true; }, 0);
      }
      setTimeout(poll, 200);
    });
  });
})();
