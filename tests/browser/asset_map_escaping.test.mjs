// The station map writes station data as text (issue 9, medium): a station whose name holds
// markup (<img onerror>, <b>, <meta http-equiv=refresh>) shows that markup literally in its
// marker's tooltip and popup — Leaflet writes a string tooltip as HTML, so map.js gives it
// elements built from text nodes.  Nothing is injected, no handler runs, the page stays where it
// is.  The station (in a city of its own, so the map shows it alone) is written straight into
// the database, as in asset_map.test.mjs, and removed at the end.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { base, inPage, launch, shot, login, unexpectedProblems } from './lib.mjs';
import { sql, scalar, uniq } from '../http/lib.mjs';

const tag = uniq('BX').toUpperCase();
const code = `${tag.slice(0, 14)}-X`;
const cityCode = tag.slice(-12);
const name = '<img src=x onerror="window.__pwned=1"><b>粗</b><meta http-equiv=refresh content="0;url=/base/login">';
const company = scalar("SELECT id FROM companies WHERE kind = 'city' ORDER BY id LIMIT 1");
let city;
let browser;

before(async () => {
  assert.ok(name.length <= 100, 'the name fits the column');
  sql('INSERT INTO cities (code, name, province, company_id, lat, lng) VALUES (?, ?, ?, ?, 43.8, 87.6)',
    cityCode, `转义城${cityCode}`, '测试省', company);
  city = scalar('SELECT id FROM cities WHERE code = ?', cityCode);
  sql("INSERT INTO stations (code, name, company_id, city_id, state, lat, lng, expected_piles) VALUES (?, ?, ?, ?, 'operating', 43.8, 87.6, 2)",
    code, name, company, city);
  browser = await launch();
});
after(async () => {
  await browser?.close();
  sql('DELETE FROM stations WHERE code = ?', code);
  sql('DELETE FROM cities WHERE code = ?', cityCode);
});

/** Elements a string written as HTML would have made inside sel. */
const injected = (page, sel) => page.locator(`${sel} img, ${sel} b, ${sel} meta`).count();

test('a station name with markup shows as text in the marker tooltip and popup, nothing injected', async () => {
  await inPage(browser, 'desktop', 'asset-map-escaping', {}, async (page) => {
    await login(page, 'admin');
    const [data] = await Promise.all([
      page.waitForResponse((r) => new URL(r.url()).pathname === '/asset/map/data'),
      page.goto(`${base}/asset/map?city_id=${city}`),
    ]);
    assert.equal(data.status(), 200);
    assert.match(data.url(), new RegExp(`city_id=${city}`));
    await page.waitForFunction(() => {
      const el = document.getElementById('station-map');
      return el && el.getAttribute('data-count') === '1' && !el.hasAttribute('aria-busy');
    });
    const marker = page.locator('#station-map path.map-marker-operating');
    await marker.first().waitFor();

    // Tooltip on hover.
    await marker.first().hover({ force: true });
    const tip = page.locator('.leaflet-tooltip');
    await tip.waitFor();
    const tipText = await tip.evaluate((el) => el.textContent);
    assert.ok(tipText.includes(`${code} <img src=x onerror="window.__pwned=1">`), `tooltip text: ${tipText}`);
    assert.ok(tipText.includes('<b>粗</b><meta http-equiv=refresh'), 'every tag shown literally');
    assert.equal(await injected(page, '.leaflet-tooltip'), 0, 'no element made from the name in the tooltip');
    assert.equal(await tip.locator('strong').innerText(), code, 'the code in bold, as an element of ours');
    await shot(page, 'asset-map-escaping-tooltip');

    // Popup on click.
    await marker.first().click({ force: true });
    const popup = page.locator('.leaflet-popup .map-popup');
    await popup.waitFor();
    const popText = await popup.evaluate((el) => el.textContent);
    assert.ok(popText.includes('<img src=x onerror="window.__pwned=1"><b>粗</b>'), `popup text: ${popText}`);
    assert.equal(await injected(page, '.leaflet-popup'), 0, 'no element made from the name in the popup');
    await shot(page, 'asset-map-escaping-popup');

    assert.equal(await page.evaluate(() => window.__pwned), undefined, 'no handler of the name ran');
    assert.equal(await page.locator('img[src="x"], meta[http-equiv]').count(), 0, 'nothing injected anywhere');
    await page.waitForTimeout(300);	// a refresh of 0 s would have left by now
    assert.equal(new URL(page.url()).pathname, '/asset/map', 'the page stays');
    assert.deepEqual(unexpectedProblems(page), []);
  });
});
