/* ChargeAsset — the only script of the site (CSP: script-src 'self', loaded with defer).
 * (a) form[data-confirm], or the button[data-confirm] that submits it: ask
 *     before submitting; declining cancels the submit.
 * (b) select.auto-submit: submit its form when the choice changes.
 * (c) on a phone the menu (details.sidebar, open in the markup so that it
 *     shows without JavaScript) starts folded behind its 菜单 toggle.
 * (d) button[data-print] (a document's print view): print the page.
 * (e) .station-picker (views/macros.cs): stations offered as one types.
 * (f) form[data-batch] (views/crud/list.cs): select all, the count, buttons
 *     that need a ticked row.
 * Everything else works without JavaScript; data reaches the page as text only. */
(function () {
  'use strict';

  // A form's data-confirm, or that of the button that submits it.
  document.addEventListener('submit', function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement)) return;
    var button = event.submitter;
    var ask = button && button.hasAttribute('data-confirm') ? button.dataset.confirm
      : form.hasAttribute('data-confirm') ? form.dataset.confirm : null;
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

  // (e) The station picker: GET /asset/stations/pick?q=… (asset/station_pick.c) as one types;
  // a chosen station's id goes to the hidden input (a form) or its code into the box (a
  // filter).  Typing again forgets the id, so the server then reads the code in the box.
  function picker(root) {
    var input = root.querySelector('input[type=text]');
    var hidden = root.querySelector('input[data-picker-id]');
    var list = root.querySelector('.picker-list');
    var timer = null;
    var asked = 0;
    var found = [];
    var active = -1;
    if (!input || !list) return;

    function clear() {
      while (list.firstChild) list.removeChild(list.firstChild);
    }
    function close() {
      clear();
      found = [];
      active = -1;
      list.hidden = true;
      input.setAttribute('aria-expanded', 'false');
      input.removeAttribute('aria-activedescendant');
    }
    function note(text) {
      var li = document.createElement('li');
      li.className = 'picker-note';
      li.textContent = text;
      list.appendChild(li);
    }
    function mark(i) {
      active = i;
      for (var k = 0; k < list.children.length; k++) {
        var li = list.children[k];
        if (li.getAttribute('role') === 'option') li.setAttribute('aria-selected', String(k === i));
      }
      if (i >= 0) {
        input.setAttribute('aria-activedescendant', list.children[i].id);
        list.children[i].scrollIntoView({ block: 'nearest' });
      } else input.removeAttribute('aria-activedescendant');
    }
    function choose(i) {
      var s = found[i];
      if (!s) return;
      // A search still waiting or under way would reopen the list over the chosen station.
      clearTimeout(timer);
      asked++;
      if (hidden) {
        hidden.value = s.id;
        input.value = s.code + ' ' + s.name;
      } else input.value = s.code;
      close();
    }
    function show(data) {
      clear();
      found = Array.isArray(data.stations) ? data.stations : [];
      active = -1;
      found.forEach(function (s, i) {
        var li = document.createElement('li');
        var code = document.createElement('span');
        var name = document.createElement('span');
        var tag = document.createElement('span');
        li.id = list.id + '-' + i;
        li.setAttribute('role', 'option');
        li.setAttribute('aria-selected', 'false');
        code.className = 'picker-code';
        code.textContent = s.code;
        name.className = 'picker-name';
        name.textContent = s.name + (s.city ? ' · ' + s.city : '');
        tag.className = 'tag tag-' + s.state;
        tag.textContent = s.state_label;
        li.appendChild(code);
        li.appendChild(name);
        li.appendChild(tag);
        li.addEventListener('mousedown', function (event) {
          event.preventDefault(); // keep the focus in the box
          choose(i);
        });
        list.appendChild(li);
      });
      if (found.length === 0) note(root.dataset.none);
      else if (data.more === '1') note(root.dataset.more);
      list.hidden = false;
      input.setAttribute('aria-expanded', 'true');
      // Near the right edge the list opens leftwards, never widening the page.
      list.classList.remove('picker-end');
      if (list.getBoundingClientRect().right > document.documentElement.clientWidth) list.classList.add('picker-end');
    }
    function ask() {
      var q = input.value.trim();
      var n = ++asked;
      if (q === '') { close(); return; }
      var url = root.dataset.picker + (root.dataset.picker.indexOf('?') < 0 ? '?' : '&') +
        'format=json&q=' + encodeURIComponent(q);
      fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json' } })
        .then(function (res) { return res.ok ? res.json() : Promise.reject(res.status); })
        .then(function (data) { if (n === asked && document.activeElement === input) show(data); })
        .catch(function () {
          if (n !== asked) return;
          clear();
          note(root.dataset.failed);
          list.hidden = false;
        });
    }
    input.addEventListener('input', function () {
      if (hidden) hidden.value = '';
      clearTimeout(timer);
      timer = setTimeout(ask, 180);
    });
    input.addEventListener('keydown', function (event) {
      var options = found.length;
      if (event.key === 'ArrowDown' && options) {
        event.preventDefault();
        if (list.hidden) ask(); else mark((active + 1) % options);
      } else if (event.key === 'ArrowUp' && options && !list.hidden) {
        event.preventDefault();
        mark(active <= 0 ? options - 1 : active - 1);
      } else if (event.key === 'Enter' && !list.hidden && active >= 0) {
        event.preventDefault();
        choose(active);
      } else if (event.key === 'Escape' && !list.hidden) {
        event.preventDefault();
        close();
      }
    });
    input.addEventListener('blur', function () { setTimeout(close, 150); });
  }
  Array.prototype.forEach.call(document.querySelectorAll('.station-picker'), picker);

  // (f) Rows ticked for a list's batch actions: select all on this page, how many are ticked,
  // and the buttons that act on them enabled only then (without a script the server says so).
  Array.prototype.forEach.call(document.querySelectorAll('form[data-batch]'), function (form) {
    var all = form.querySelector('.pick-all');
    var count = form.querySelector('.batch-count');
    var rows = form.querySelectorAll('.row-pick');
    var needs = form.querySelectorAll('[data-needs-pick]');
    function update() {
      var n = 0;
      Array.prototype.forEach.call(rows, function (box) { if (box.checked) n++; });
      if (all) {
        all.checked = n > 0 && n === rows.length;
        all.indeterminate = n > 0 && n < rows.length;
      }
      if (count) count.textContent = n ? count.dataset.some.replace('{n}', String(n)) : count.dataset.none;
      Array.prototype.forEach.call(needs, function (b) { b.disabled = n === 0; });
    }
    if (all) {
      all.closest('label').hidden = false;
      all.addEventListener('change', function () {
        Array.prototype.forEach.call(rows, function (box) { box.checked = all.checked; });
        update();
      });
    }
    form.addEventListener('change', function (event) {
      if (event.target.classList && event.target.classList.contains('row-pick')) update();
    });
    update();
  });

  var sidebar = document.querySelector('details.sidebar');
  if (sidebar && window.matchMedia('(max-width: 768px)').matches) sidebar.removeAttribute('open');
})();
