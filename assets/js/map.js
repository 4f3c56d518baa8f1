/*
 * map.js — the station map (/asset/map).  Everything it needs comes from
 * data attributes the template renders (JSON URL, tile URL and datum,
 * attribution, labels from the language pack), so the page has no inline
 * script and stays within the CSP.  Stations arrive as JSON already in the
 * tiles' datum (the server converts WGS-84 to GCJ-02 when Map.crs says so);
 * they are drawn as circle markers coloured by state through CSS classes,
 * grouped by Leaflet.markercluster.  Without a tile URL the map is a plain
 * background with the markers; a tile server that fails is dropped after
 * its first errors and a note says so.  The filter form reloads the data
 * with fetch, without reloading the page.
 *
 * Leaflet writes a string given to bindTooltip/bindPopup/setContent (and
 * an attribution) as HTML, so no station data ever reaches it as a string:
 * tooltips and popups are elements built from text nodes (issue 9: a
 * station name holding a <meta http-equiv=refresh> navigated the viewer
 * away on hover).  tests/check-style.sh refuses string arguments there.
 */
(function () {
  'use strict';

  var el = document.getElementById('station-map');
  if (!el) return;
  var form = document.getElementById('map-filter');
  var status = document.getElementById('map-status');
  var tileNote = document.getElementById('map-tile-error');
  var d = el.dataset;
  var STATES = ['approved', 'building', 'operating', 'suspended', 'closed'];
  var CHINA = [35.0, 105.0];

  function say(text) {
    if (status) status.textContent = text;
  }

  if (!window.L || !L.markerClusterGroup) {
    say(d.labelFailed || '');
    return;
  }

  /* State labels from the legend the template rendered. */
  var stateLabel = {};
  document.querySelectorAll('.map-legend [data-state]').forEach(function (li) {
    stateLabel[li.getAttribute('data-state')] = li.textContent.trim();
  });

  function escapeHtml(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
    });
  }

  /* maxZoom on the map itself: the cluster plugin needs one even without tiles. */
  var map = L.map(el, { zoomControl: true, minZoom: 3, maxZoom: 18 });
  map.attributionControl.setPrefix(false);
  map.setView(CHINA, 4);

  if (d.tileUrl) {
    var failures = 0;
    var tiles = L.tileLayer(d.tileUrl, {
      maxZoom: 18,
      /* Plain text from the config, never HTML. */
      attribution: d.attribution ? escapeHtml(d.attribution) : ''
    });
    tiles.on('tileerror', function () {
      failures++;
      if (tileNote) tileNote.hidden = false;
      /* Stop asking an unreachable server for every tile of every zoom. */
      if (failures >= 3 && map.hasLayer(tiles)) {
        map.removeLayer(tiles);
        el.classList.add('station-map-plain');
      }
    });
    tiles.addTo(map);
  }

  var cluster = L.markerClusterGroup({
    chunkedLoading: true,
    showCoverageOnHover: false,
    maxClusterRadius: 50,
    spiderfyOnMaxZoom: true
  });
  map.addLayer(cluster);

  /* A station's code in bold, then its name, both as text, in a new tag. */
  function codeName(tag, cls, s) {
    var box = document.createElement(tag);
    box.className = cls;
    var code = document.createElement('strong');
    code.textContent = s.code;
    box.appendChild(code);
    box.appendChild(document.createTextNode(' ' + s.name));
    return box;
  }

  function popup(s) {
    var box = document.createElement('div');
    box.className = 'map-popup';
    box.appendChild(codeName('div', 'map-popup-head', s));
    var st = document.createElement('div');
    var dot = document.createElement('span');
    dot.className = 'map-dot map-dot-' + (STATES.indexOf(s.state) >= 0 ? s.state : 'unknown');
    st.appendChild(dot);
    st.appendChild(document.createTextNode(stateLabel[s.state] || s.state));
    box.appendChild(st);
    var piles = document.createElement('div');
    piles.className = 'map-popup-piles';
    piles.textContent = (d.labelPiles || '') + ': ' + s.piles + ' / ' + s.expected;
    if (s.piles !== s.expected) piles.classList.add('map-popup-mismatch');
    box.appendChild(piles);
    var a = document.createElement('a');
    a.href = '/asset/stations/' + encodeURIComponent(s.id) + '/edit';
    a.textContent = d.labelOpen || s.code;
    box.appendChild(a);
    return box;
  }

  function show(data) {
    cluster.clearLayers();
    var markers = [];
    var bounds = [];
    var fields = data.fields || [];
    (data.stations || []).forEach(function (row) {
      // Each station is an array in the order of data.fields (half the bytes of objects).
      var s = {};
      for (var i = 0; i < fields.length; i++) s[fields[i]] = row[i];
      if (typeof s.lat !== 'number' || typeof s.lng !== 'number') return;
      var state = STATES.indexOf(s.state) >= 0 ? s.state : 'unknown';
      var m = L.circleMarker([s.lat, s.lng], {
        radius: 8,
        weight: 2,
        fillOpacity: 0.85,
        className: 'map-marker map-marker-' + state
      });
      m.bindPopup(function () { return popup(s); });
      // Built when shown, as the popup is: 10,000 stations need no 30,000 nodes up front.
      m.bindTooltip(function () { return codeName('span', 'map-tooltip', s); });
      markers.push(m);
      bounds.push([s.lat, s.lng]);
    });
    cluster.addLayers(markers);
    el.setAttribute('data-count', String(markers.length));
    if (bounds.length === 1) {
      map.setView(bounds[0], 14);
    } else if (bounds.length > 1) {
      map.fitBounds(bounds, { padding: [24, 24], maxZoom: 15 });
    } else {
      map.setView(CHINA, 4);
    }
    say(markers.length ? (d.labelCount || '{n}').replace('{n}', markers.length) : (d.labelNone || ''));
  }

  function query() {
    var p = new URLSearchParams();
    if (form) {
      new FormData(form).forEach(function (v, k) {
        if (v !== '') p.append(k, v);
      });
    }
    return p.toString();
  }

  var seq = 0;
  function load() {
    var qs = query();
    var mine = ++seq;
    say(d.labelLoading || '');
    el.setAttribute('aria-busy', 'true');
    fetch(d.url + (qs ? '?' + qs : ''), {
      headers: { Accept: 'application/json' },
      credentials: 'same-origin'
    }).then(function (res) {
      if (!res.ok) throw new Error('HTTP ' + res.status);
      return res.json();
    }).then(function (data) {
      if (mine !== seq) return;
      show(data);
    }).catch(function () {
      if (mine !== seq) return;
      cluster.clearLayers();
      el.setAttribute('data-count', '0');
      say(d.labelFailed || '');
    }).then(function () {
      if (mine === seq) el.removeAttribute('aria-busy');
    });
  }

  if (form) {
    form.addEventListener('submit', function (ev) {
      ev.preventDefault();
      var qs = query();
      history.replaceState(null, '', form.getAttribute('action') + (qs ? '?' + qs : ''));
      load();
    });
  }
  load();
}());
