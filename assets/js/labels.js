/* Label sheets (/qr/…/labels): the print button.  Loaded only by views/qrcode/labels.cs. */
(function () {
  'use strict';
  var button = document.querySelector('[data-print]');
  if (button) button.addEventListener('click', function () { window.print(); });
})();
