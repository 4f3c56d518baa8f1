/* ChargeAsset — the only script of the site (CSP: script-src 'self', loaded with defer).
 * (a) form[data-confirm], or the button[data-confirm] that submits it: ask
 *     before submitting; declining cancels the submit.
 * (b) select.auto-submit: submit its form when the choice changes.
 * (c) on a phone the menu (details.sidebar, open in the markup so that it
 *     shows without JavaScript) starts folded behind its 菜单 toggle.
 * (d) button[data-print] (a document's print view): print the page.
 * Everything else works without JavaScript. */
(function () {
  'use strict';

  document.addEventListener('submit', function (event) {
    var form = event.target, by = event.submitter;
    if (!(form instanceof HTMLFormElement)) return;
    var ask = by && by.hasAttribute('data-confirm') ? by.dataset.confirm :
      form.hasAttribute('data-confirm') ? form.dataset.confirm : null;
    if (ask !== null && !window.confirm(ask)) event.preventDefault();
  });

  document.addEventListener('change', function (event) {
    var select = event.target;
    if (!(select instanceof HTMLSelectElement) || !select.classList.contains('auto-submit')) return;
    var form = select.form;
    if (!form) return;
    if (typeof form.requestSubmit === 'function') form.requestSubmit();
    else form.submit();
  });

  var print = document.querySelector('button[data-print]');
  if (print) print.addEventListener('click', function () { window.print(); });

  var sidebar = document.querySelector('details.sidebar');
  if (sidebar && window.matchMedia('(max-width: 768px)').matches) sidebar.removeAttribute('open');
})();
