/* ChargeAsset — the only script of the site (CSP: script-src 'self', loaded with defer).
 * (a) form[data-confirm]: ask before submitting; declining cancels the submit.
 * (b) select.auto-submit: submit its form when the choice changes.
 * (c) on a phone the menu (details.sidebar, open in the markup so that it
 *     shows without JavaScript) starts folded behind its 菜单 toggle.
 * Everything else works without JavaScript. */
(function () {
  'use strict';

  document.addEventListener('submit', function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute('data-confirm')) return;
    if (!window.confirm(form.dataset.confirm)) event.preventDefault();
  });

  document.addEventListener('change', function (event) {
    var select = event.target;
    if (!(select instanceof HTMLSelectElement) || !select.classList.contains('auto-submit')) return;
    var form = select.form;
    if (!form) return;
    if (typeof form.requestSubmit === 'function') form.requestSubmit();
    else form.submit();
  });

  var sidebar = document.querySelector('details.sidebar');
  if (sidebar && window.matchMedia('(max-width: 768px)').matches) sidebar.removeAttribute('open');
})();
