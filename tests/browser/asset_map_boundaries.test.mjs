// Browser tests of the station map's built-in base map (issue 10 §2), as the test stack is
// configured: no tile server (Map.tile_url empty).  Instead of an empty grid the map draws
// China's provinces (assets/vendor/china/provinces.json, vendored from npm by ./chargeasset)
// with their names, and zoomed in to city level the prefecture-level cities under the
// province borders; the names are text nodes in panes under the station markers; a notice
// says how to configure a tile server (Chinese, and English with the English language pack).
// Desktop and phone, with screenshots of both views.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { base, launch, shot, login, unexpectedProblems, inPage } from './lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const map = (page) => page.locator('#station-map');
const zoom = async (page) => Number(await map(page).getAttribute('data-zoom'));

async function openMap(page) {
  const [provinces] = await Promise.all([
    page.waitForResponse((r) => new URL(r.url()).pathname === '/assets/vendor/china/provinces.json'),
    page.goto(`${base}/asset/map`),
  ]);
  assert.equal(provinces.status(), 200);
  await page.waitForFunction(() => {
    const el = document.getElementById('station-map');
    return el && el.hasAttribute('data-count') && !el.hasAttribute('aria-busy') && el.hasAttribute('data-regions');
  });
}

// zoomTo: press the map's zoom buttons until the map is at `target`, as a person would.
async function zoomTo(page, target) {
  for (let i = 0; i < 20; i++) {
    const z = await zoom(page);
    if (z === target) return;
    await page.locator(z > target ? '.leaflet-control-zoom-out' : '.leaflet-control-zoom-in').click();
    await page.waitForFunction((prev) => document.getElementById('station-map').getAttribute('data-zoom') !== String(prev), z);
  }
  assert.fail(`could not reach zoom ${target} (at ${await zoom(page)})`);
}

// The region names in the labels pane: [text, hidden?, only one text node?] for each.
const names = (page, cls) => page.locator(`.leaflet-regionLabels-pane .${cls}`).evaluateAll((els) => els.map((e) => [
  e.textContent, e.classList.contains('map-region-label-hidden'),
  e.childNodes.length === 1 && e.firstChild.nodeType === Node.TEXT_NODE && e.children.length === 0,
]));

const zIndex = (page, pane) => page.locator(`#station-map .leaflet-${pane}-pane`).evaluate((e) => Number(getComputedStyle(e).zIndex));

for (const kind of ['desktop', 'phone']) {
  test(`without tiles the map draws China's provinces, and its cities zoomed in (${kind})`, async () => {
    await inPage(browser, kind, `map-boundaries-${kind}`, {}, async (page) => {
      await login(page, 'admin');
      await openMap(page);
      assert.equal(await map(page).getAttribute('data-tile-url'), '');
      assert.equal(await page.locator('#station-map img.leaflet-tile').count(), 0, 'no tile images');
      assert.equal(await map(page).evaluate((e) => getComputedStyle(e).backgroundImage), 'none', 'no grid');

      // The notice says in words how to configure a tile server.
      const note = page.locator('#map-note');
      await note.waitFor();
      const text = await note.innerText();
      assert.match(text, /未配置地图瓦片服务/);
      assert.match(text, /配置文件 etc\/chargeasset\.hdf/);
      assert.match(text, /Map\.tile_url = 瓦片服务地址/);
      assert.match(text, /\{z\}\/\{x\}\/\{y\}\.png/);
      assert.match(text, /\.\/chargeasset start/);

      // National view: the 34 provincial regions as SVG paths, the boundary lines, the names.
      await zoomTo(page, kind === 'phone' ? 4 : 5);
      await page.waitForFunction(() => document.getElementById('station-map').getAttribute('data-regions') === 'provinces');
      assert.equal(await page.locator('.leaflet-regions-pane path.map-province').count(), 34);
      assert.ok(await page.locator('.leaflet-regions-pane path.map-sea-line').count() >= 1, 'the South China Sea line');
      const provinces = await names(page, 'map-region-label-province');
      assert.equal(provinces.length, 34);
      assert.ok(provinces.every(([, , textOnly]) => textOnly), 'every name is one text node');
      const shown = provinces.filter(([, hidden]) => !hidden).map(([t]) => t);
      for (const p of ['广东省', '北京市', '四川省', '新疆', '台湾省']) {
        assert.ok(provinces.some(([t]) => t === p), `${p} is a name`);
      }
      assert.ok(shown.includes('广东省') || shown.includes('北京市'), `广东省 or 北京市 shown (${shown.join(' ')})`);
      assert.ok(shown.length >= 15, `most names are shown (${shown.length})`);
      // Under the station markers: the boundaries' and names' panes are below the markers' ones.
      assert.ok(await page.locator('#station-map .leaflet-overlay-pane path.map-marker, #station-map .marker-cluster').count() > 0, 'stations drawn');
      assert.equal(await page.locator('.leaflet-regions-pane path.map-marker').count(), 0);
      assert.ok(await zIndex(page, 'regions') < await zIndex(page, 'overlay'));
      assert.ok(await zIndex(page, 'regionLabels') < await zIndex(page, 'overlay'));
      assert.match(await page.locator('.leaflet-control-attribution').innerText(), /天地图/);
      await shot(page, `asset-map-provinces-${kind}`);

      // City view: the cities' outlines (fetched now) under the province borders, their names.
      const cities = page.waitForResponse((r) => new URL(r.url()).pathname === '/assets/vendor/china/cities.json');
      await zoomTo(page, 8);
      assert.equal((await cities).status(), 200);
      await page.waitForFunction(() => document.getElementById('station-map').getAttribute('data-regions') === 'cities');
      assert.ok(await page.locator('.leaflet-regions-pane path.map-city').count() > 300);
      assert.equal(await page.locator('.leaflet-regions-pane path.map-province').count(), 0, 'the province view is gone');
      assert.ok(await page.locator('.leaflet-regions-pane path.map-province-border').count() >= 1);
      assert.equal(await page.locator('.map-region-label-province').count(), 0);
      const cityNames = await names(page, 'map-region-label-city');
      assert.ok(cityNames.length > 300);
      assert.ok(cityNames.every(([t, , textOnly]) => t.length > 0 && textOnly));
      assert.ok(cityNames.some(([t]) => t === '广州市') && cityNames.some(([t]) => t === '苏州市'));
      assert.ok(cityNames.filter(([, hidden]) => !hidden).length > 20);
      await shot(page, `asset-map-cities-${kind}`);

      // Back out: the provinces again.
      await zoomTo(page, 5);
      await page.waitForFunction(() => document.getElementById('station-map').getAttribute('data-regions') === 'provinces');
      assert.equal(await page.locator('.leaflet-regions-pane path.map-city').count(), 0);
      assert.equal(await page.locator('.map-region-label-province').count(), 34);
      assert.equal(await page.locator('#map-regions-error').isHidden(), true);
      assert.deepEqual(unexpectedProblems(page), []);
    });
  });
}

test('the English language pack says in English how to configure tiles', async () => {
  await inPage(browser, 'desktop', 'map-boundaries-en', {}, async (page) => {
    await login(page, 'admin');
    await page.goto(`${base}/base/lang?to=en&next=${encodeURIComponent('/base/')}`);
    await openMap(page);
    const text = await page.locator('#map-note').innerText();
    assert.match(text, /No tile server is configured/);
    assert.match(text, /configuration file etc\/chargeasset\.hdf/);
    assert.match(text, /Map\.tile_url = /);
    assert.match(text, /\.\/chargeasset start/);
    assert.match(await page.locator('.leaflet-control-attribution').innerText(), /Tianditu/);
    assert.equal(await page.locator('.leaflet-regions-pane path.map-province').count() +
      await page.locator('.leaflet-regions-pane path.map-city').count() > 0, true);
    assert.deepEqual(unexpectedProblems(page), []);
  });
});

// The page as the server renders it with Map.tile_url set (the test stack has none): the tile
// URL in the map element, no plain background, no notice.  Tiles are our own files, so the
// CSP's img-src 'self' lets them in.
async function withTiles(page, tileUrl) {
  await page.route(`${base}/asset/map`, async (route) => {
    const res = await route.fetch();
    const body = (await res.text())
      .replace('data-tile-url=""', `data-tile-url="${tileUrl}"`)
      .replace(' station-map-plain"', '"')
      .replace(/<div class="map-note" id="map-note"[\s\S]*?<\/div>/, '');
    await route.fulfill({ response: res, body });
  });
}

test('with tiles configured the tiles are drawn, not the boundaries; failing tiles fall back to them', async () => {
  await inPage(browser, 'desktop', 'map-boundaries-tiles', {}, async (page) => {
    await login(page, 'admin');
    const asked = [];
    page.on('request', (r) => { if (r.url().includes('/assets/vendor/china/')) asked.push(r.url()); });

    await withTiles(page, '/assets/vendor/leaflet/images/layers.png?{z}/{x}/{y}');
    await page.goto(`${base}/asset/map`);
    await page.waitForFunction(() => document.getElementById('station-map').hasAttribute('data-count'));
    await page.locator('#station-map img.leaflet-tile-loaded').first().waitFor();
    assert.equal(await page.locator('#map-note').count(), 0);
    assert.equal(await page.locator('#map-tile-error').isHidden(), true);
    assert.equal(await page.locator('#station-map .leaflet-regions-pane').count(), 0, 'no boundaries over tiles');
    assert.equal(await map(page).getAttribute('data-regions'), null);
    assert.deepEqual(asked, [], 'the boundary files are not even fetched');
    assert.deepEqual(unexpectedProblems(page), []);

    // A tile server that answers nothing but errors is dropped; the boundaries take its place.
    await page.unroute(`${base}/asset/map`);
    await withTiles(page, '/assets/no-such-tiles/{z}/{x}/{y}.png');
    page.problems.length = 0;
    await page.goto(`${base}/asset/map`);
    await page.locator('#map-tile-error').waitFor();
    await page.waitForFunction(() => document.getElementById('station-map').hasAttribute('data-regions'));
    assert.equal(await page.locator('#station-map img.leaflet-tile').count(), 0, 'the tile layer is gone');
    assert.ok(await page.locator('.leaflet-regions-pane path').count() > 30);
    assert.match(await page.locator('#map-tile-error').innerText(), /已改用内置的省、市行政区划边界/);
    await shot(page, 'asset-map-tiles-failed');
    assert.deepEqual(page.problems.filter((p) => !/status of 404/.test(p)), []);
  });
});
