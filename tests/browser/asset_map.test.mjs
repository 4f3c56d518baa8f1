// Browser tests of the station map (/asset/map) on a desktop and a phone, as configured by
// default: no tile server (Map.tile_url empty), so the markers stand on the built-in province
// and city boundaries (asset_map_boundaries.test.mjs) with a note.  Markers or clusters are drawn for the administrator, a filter reloads the data
// without leaving the page, a marker's popup shows the pile counts and links to the station,
// and nothing reaches the console (no errors, no CSP violations).  Writes four stations of
// its own straight into the database and removes them at the end.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { base, launch, shot, login, unexpectedProblems, inPage } from './lib.mjs';
import { sql, scalar, uniq, mapRows } from '../http/lib.mjs';

const prefix = uniq('BMAP').toUpperCase().slice(0, 16);
const company = scalar("SELECT company_id FROM users WHERE username = 'warehouse'");
const city = scalar('SELECT id FROM cities WHERE company_id = ? ORDER BY id LIMIT 1', company) ?? scalar('SELECT MIN(id) FROM cities');
const fixture = [
  ['A', 'operating', '31.301', '120.601', 2],
  ['B', 'operating', '31.302', '120.603', 2],
  ['C', 'suspended', '31.350', '120.700', 1],
  ['D', 'closed', '31.250', '120.500', 4],
];

let browser;
before(async () => {
  for (const [k, state, lat, lng, expected] of fixture) {
    sql('INSERT INTO stations (code, name, company_id, city_id, state, lat, lng, expected_piles) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      `${prefix}-${k}`, `地图浏览器测试 ${k}`, company, city, state, lat, lng, expected);
  }
  browser = await launch();
});
after(async () => {
  await browser?.close();
  sql('DELETE FROM stations WHERE code LIKE ?', `${prefix}-%`);
});

const withPage = (kind, name, body) => inPage(browser, kind, name, {}, body);

// Rendered markers: single circle markers (SVG paths) plus cluster icons.
const rendered = (page) => page.locator('#station-map path.map-marker, #station-map .marker-cluster').count();

async function openMap(page, qs = '') {
  const [data] = await Promise.all([
    page.waitForResponse((r) => new URL(r.url()).pathname === '/asset/map/data'),
    page.goto(`${base}/asset/map${qs}`),
  ]);
  assert.equal(data.status(), 200);
  await page.waitForFunction(() => {
    const el = document.getElementById('station-map');
    return el && el.hasAttribute('data-count') && !el.hasAttribute('aria-busy');
  });
}

for (const kind of ['desktop', 'phone']) {
  test(`the administrator's map shows markers without a tile server (${kind})`, async () => {
    await withPage(kind, `map-${kind}`, async (page) => {
      await login(page, 'admin');
      await openMap(page);
      assert.equal(await page.locator('#station-map').getAttribute('data-tile-url'), '');
      await page.locator('#map-note').waitFor();
      const count = Number(await page.locator('#station-map').getAttribute('data-count'));
      assert.ok(count >= fixture.length, `at least the ${fixture.length} test stations (${count})`);
      assert.ok(await rendered(page) > 0, 'markers or clusters are drawn');
      assert.equal(await page.locator('#station-map img.leaflet-tile').count(), 0, 'no tile images');
      assert.match(await page.locator('#map-status').innerText(), new RegExp(String(count)));
      assert.equal(await page.locator('.map-legend li').count(), 5);
      await shot(page, `asset-map-${kind}`);
      assert.deepEqual(unexpectedProblems(page), []);
    });
  });
}

test('a filter reloads the data in place; a popup shows the piles and links to the station', async () => {
  await withPage('desktop', 'map-filter', async (page) => {
    await login(page, 'admin');
    await openMap(page);
    await page.evaluate(() => { window.__stay = 1; });
    await page.locator('select[name=company_id]').selectOption(String(company));
    await page.locator('select[name=state]').selectOption('closed');
    const [data] = await Promise.all([
      page.waitForResponse((r) => new URL(r.url()).pathname === '/asset/map/data'),
      page.locator('#map-filter button[type=submit]').click(),
    ]);
    assert.match(data.url(), /company_id=\d+&state=closed/);
    await page.waitForFunction(() => !document.getElementById('station-map').hasAttribute('aria-busy'));
    assert.equal(await page.evaluate(() => window.__stay), 1, 'no page reload');
    assert.match(page.url(), /\/asset\/map\?company_id=\d+&state=closed$/);
    const json = await data.json();
    assert.ok(mapRows(json).every((s) => s.state === 'closed'));
    const mine = mapRows(json).find((s) => s.code === `${prefix}-D`);
    assert.ok(mine, 'the closed test station is in the answer');
    assert.equal(Number(await page.locator('#station-map').getAttribute('data-count')), json.count);

    if (json.count === 1) {
      // One station: the map zooms to it and draws a single marker; open its popup.
      const marker = page.locator('#station-map path.map-marker-closed');
      await marker.first().waitFor();
      await marker.first().click({ force: true });
      const popup = page.locator('.leaflet-popup .map-popup');
      await popup.waitFor();
      assert.match(await popup.innerText(), new RegExp(`${prefix}-D`));
      assert.match(await popup.innerText(), /撤站/);
      assert.match(await popup.innerText(), /0 \/ 4/);
      assert.equal(await popup.locator('a').getAttribute('href'), `/asset/stations/${mine.id}/edit`);
    }
    await shot(page, 'asset-map-filtered');
    assert.deepEqual(unexpectedProblems(page), []);
  });
});

test('a warehouse keeper sees only their own company on the map (phone)', async () => {
  await withPage('phone', 'map-warehouse', async (page) => {
    await login(page, 'warehouse');
    const [data] = await Promise.all([
      page.waitForResponse((r) => new URL(r.url()).pathname === '/asset/map/data'),
      page.goto(`${base}/asset/map`),
    ]);
    const json = await data.json();
    assert.ok(json.count >= fixture.length);
    const ids = mapRows(json).map((s) => Number(s.id));
    assert.equal(scalar(`SELECT COUNT(*) FROM stations WHERE id IN (${ids.join(',')}) AND company_id <> ?`, company), 0);
    await page.waitForFunction(() => document.getElementById('station-map').hasAttribute('data-count'));
    assert.ok(await rendered(page) > 0);
    await shot(page, 'asset-map-warehouse-phone');
    assert.deepEqual(unexpectedProblems(page), []);
  });
});
