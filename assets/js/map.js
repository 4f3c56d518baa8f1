/*
 * map.js — the station map (/asset/map).  Everything it needs comes from
 * data attributes the template renders (JSON URL, tile URL and datum,
 * attribution, labels from the language pack), so the page has no inline
 * script and stays within the CSP.  Stations arrive as JSON already in the
 * tiles' datum (the server converts WGS-84 to GCJ-02 when Map.crs says so);
 * they are drawn as circle markers coloured by state through CSS classes,
 * grouped by Leaflet.markercluster.  Without a tile URL (or once a tile
 * server has failed three times and is dropped) the base map is China's
 * province boundaries and, zoomed in to city level, the prefecture-level
 * cities', with their names: GeoJSON vendored from npm and simplified by
 * tools/china-boundaries.mjs, drawn in panes under the station markers.
 * The filter form reloads the data with fetch, without reloading the page.
 *
 * Leaflet writes a string given to bindTooltip/bindPopup/setContent (and
 * an attribution) as HTML, so no station data ever reaches it as a string:
 * tooltips and popups are elements built from text nodes (issue 9: a
 * station name holding a <meta http-equiv=refresh> navigated the viewer
 * away on hover).  tests/check-style.sh refuses string arguments there.
 * Region labels are divIcons whose html is an element holding a text node.
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
  var CHINA = [[18.0, 73.5], [53.6, 135.1]];
  /* Zoom from which the city boundaries and names replace the provinces' names. */
  var CITY_ZOOM = 7;
  /* Without tiles a closer view shows nothing more, so fitting the stations stops here. */
  var PLAIN_MAX_FIT = 10;

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
  map.fitBounds(CHINA);
  map.on('zoomend', function () { el.setAttribute('data-zoom', String(map.getZoom())); });
  el.setAttribute('data-zoom', String(map.getZoom()));

  var plain = !d.tileUrl;
  if (d.tileUrl) {
    var failures = 0;
    var tiles = L.tileLayer(d.tileUrl, {
      maxZoom: 18,
      /* Plain text from the config, never HTML. */
      attribution: d.attribution ? escapeHtml(d.attribution) : ''
    });
    tiles.on('tileerror', function () {
      failures++;
      /* Stop asking an unreachable server for every tile of every zoom, and draw the
       * built-in boundaries instead (with Map.crs = gcj02 the markers are then a few
       * hundred metres off them: a pixel or two at the zooms they are drawn for). */
      if (failures >= 3 && map.hasLayer(tiles)) {
        map.removeLayer(tiles);
        el.classList.add('station-map-plain');
        if (tileNote) tileNote.hidden = false;
        plain = true;
        showRegions();
      }
    });
    tiles.addTo(map);
  }

  /*
   * The built-in base map.  The national view draws the provinces; from
   * CITY_ZOOM on, the cities (from a finer simplification, fetched the first
   * time) with the province borders cut from the same arcs over them.  The
   * South China Sea line and the other unattached boundary lines stay on top,
   * names above all that, and the station markers above everything.  Names
   * are placed greedily, largest region first; one that would overlap a name
   * already placed is hidden at this zoom.
   */
  var regions = null;

  function fetchJson(url) {
    return fetch(url, { credentials: 'same-origin' }).then(function (res) {
      if (!res.ok) throw new Error('HTTP ' + res.status);
      return res.json();
    });
  }

  function regionsFailed() {
    var note = document.getElementById('map-regions-error');
    if (note) note.hidden = false;
  }

  function kind(f) {
    return (f.properties && f.properties.kind) || 'region';
  }

  function ofKind(features, k) {
    return features.filter(function (f) { return kind(f) === k; });
  }

  /* A region's bounding box in degrees²: enough to rank neighbours' names. */
  function extent(g) {
    var x0 = 180, x1 = -180, y0 = 90, y1 = -90;
    var walk = function (c) {
      if (typeof c[0] === 'number') {
        if (c[0] < x0) x0 = c[0];
        if (c[0] > x1) x1 = c[0];
        if (c[1] < y0) y0 = c[1];
        if (c[1] > y1) y1 = c[1];
      } else {
        c.forEach(walk);
      }
    };
    walk((g && g.coordinates) || []);
    return x1 > x0 ? (x1 - x0) * (y1 - y0) : 0;
  }

  /* A region's name as text in a new element. */
  function labelSpan(text, cls) {
    var span = document.createElement('span');
    span.className = 'map-region-label ' + cls;
    span.textContent = text;
    return span;
  }

  /* One name per region: a divIcon marker whose element holds the name as text. */
  function labels(features, cls, px) {
    var list = [];
    features.forEach(function (f) {
      var p = f.properties || {};
      if (!p.at || !p.label) return;
      var icon = L.divIcon({ className: 'map-region-label-icon', html: labelSpan(p.label, cls), iconSize: null });
      var marker = L.marker([p.at[1], p.at[0]], {
        pane: 'regionLabels',
        interactive: false,
        keyboard: false,
        icon: icon
      });
      list.push({
        marker: marker,
        span: icon.options.html,
        latlng: marker.getLatLng(),
        chars: p.label.length,
        size: extent(f.geometry)
      });
    });
    list.sort(function (x, y) { return y.size - x.size; });
    return { list: list, px: px, group: L.layerGroup(list.map(function (x) { return x.marker; })) };
  }

  /* Hide the names that would overlap a larger region's name at this zoom
   * (a CJK character is about as wide as the font is high). */
  function declutter(set) {
    var z = map.getZoom();
    var placed = [];
    set.list.forEach(function (x) {
      var p = map.project(x.latlng, z);
      var w = x.chars * set.px + 8, h = set.px + 6;
      var b = [p.x - w / 2, p.y - h / 2, p.x + w / 2, p.y + h / 2];
      var clash = placed.some(function (q) {
        return b[0] < q[2] && q[0] < b[2] && b[1] < q[3] && q[1] < b[3];
      });
      x.span.classList.toggle('map-region-label-hidden', clash);
      if (!clash) placed.push(b);
    });
  }

  function polygons(features, cls) {
    return L.geoJSON(features, {
      renderer: regions.renderer,
      interactive: false,
      style: { className: cls, weight: cls === 'map-province' ? 1.4 : 0.8, fillOpacity: 1 }
    });
  }

  function lines(features, cls, style, attribution) {
    style.className = cls;
    style.fill = false;
    return L.geoJSON(features, {
      renderer: regions.renderer,
      interactive: false,
      /* Plain text from the language pack, never HTML. */
      attribution: attribution ? escapeHtml(attribution) : '',
      style: style
    });
  }

  function loadCities() {
    regions.citiesLoading = true;
    fetchJson(d.citiesUrl).then(function (data) {
      var features = data.features || [];
      var areas = ofKind(features, 'region');
      regions.city = {
        layers: [polygons(areas, 'map-city'), lines(ofKind(features, 'border'), 'map-province-border', { weight: 1.4 })],
        names: labels(areas, 'map-region-label-city', 12)
      };
      syncRegions();
    }).catch(regionsFailed);
  }

  /* Show the view that fits the zoom, hide the other. */
  function syncRegions() {
    var city = map.getZoom() >= CITY_ZOOM;
    if (city && !regions.city && !regions.citiesLoading) loadCities();
    var view = city && regions.city ? regions.city : regions.national;
    [regions.national, regions.city].forEach(function (v) {
      if (!v || v === view) return;
      v.layers.forEach(function (l) { map.removeLayer(l); });
      map.removeLayer(v.names.group);
    });
    view.layers.forEach(function (l) { if (!map.hasLayer(l)) map.addLayer(l); });
    regions.seaLines.bringToFront();
    if (!map.hasLayer(view.names.group)) map.addLayer(view.names.group);
    declutter(view.names);
    el.setAttribute('data-regions', view === regions.city ? 'cities' : 'provinces');
  }

  function showRegions() {
    if (regions || !d.provincesUrl) return;
    regions = {};
    map.createPane('regions').style.zIndex = 250;
    map.createPane('regionLabels').style.zIndex = 390;
    regions.renderer = L.svg({ pane: 'regions', padding: 0.5 });
    fetchJson(d.provincesUrl).then(function (data) {
      var features = data.features || [];
      var areas = ofKind(features, 'region');
      regions.national = {
        layers: [polygons(areas, 'map-province')],
        names: labels(areas, 'map-region-label-province', 13)
      };
      regions.seaLines = lines(ofKind(features, 'line'), 'map-sea-line', { weight: 1.2, dashArray: '6 4' },
        d.regionsSource).addTo(map);
      syncRegions();
      map.on('zoomend', syncRegions);
    }).catch(regionsFailed);
  }

  if (plain) showRegions();

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
    a.href = '/asset/stations/' + encodeURIComponent(s.id);
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
      map.setView(bounds[0], plain ? PLAIN_MAX_FIT : 14);
    } else if (bounds.length > 1) {
      map.fitBounds(bounds, { padding: [24, 24], maxZoom: plain ? PLAIN_MAX_FIT : 15 });
    } else {
      map.fitBounds(CHINA);
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
