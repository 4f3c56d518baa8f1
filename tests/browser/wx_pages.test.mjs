// The phone pages (/wx/) as a person uses them, on a 390×844 touch phone: open a label's URL
// signed out → sign in on the phone → back on the pile card; scan by typing the code and by a
// simulated WeChat JS-SDK answer (a fake window.wx injected before the page's scripts) → bind
// the pile to a product → bind it to the station nearest to the phone's emulated position →
// change its versions → the web UI (the pile card and the update records) shows the same
// change.  Then a submission made offline is kept as 待发送 and sent once when the connection
// returns.  Screenshots of each step in var/test/screenshots/wx-*.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { base, launch, newPage, shot, signedInState, unexpectedProblems } from './lib.mjs';
import { as, sql, scalar } from '../http/lib.mjs';
import * as C from '../http/crud.mjs';

const SZ = C.idOf('companies', 'code', 'CC-SZ');
const SUZHOU = C.idOf('cities', 'code', '320500');
const WH_SZ1 = C.idOf('warehouses', 'code', 'WH-SZ-01');
const P_XC = C.idOf('products', 'model', 'XC-DC60-2');
// The phone stands a few metres from the station this test builds, in a corner of Suzhou.
const POS = { latitude: 31.1713, longitude: 120.4221 };

let browser, admin;
before(async () => {
  browser = await launch();
  admin = await as('admin');
});
after(async () => { await browser?.close(); });

async function newPile(product = '') {
  const code = C.ucode('WB', 12);
  const r = await C.create(admin, { path: '/asset/piles', table: 'piles', key: 'code' }, {
    code, serial_no: `SN${code}`, product_id: product, company_id: SZ, warehouse_id: WH_SZ1, state: 'in_stock',
    sw_version: 'V1.0', hw_version: 'H1', comm_method: '4g', charging_mode: 'gb2015', tariff: '0.8',
  });
  assert.equal(r.status, 303, C.alertText(r.text));
  return { code, id: r.id };
}

async function newStation(lat, lng, name) {
  const code = C.ucode('WBS', 16);
  const r = await C.create(admin, { path: '/asset/stations', table: 'stations', key: 'code' }, {
    code, name, company_id: SZ, city_id: SUZHOU, state: 'operating', expected_piles: 0,
    lat: lat.toFixed(6), lng: lng.toFixed(6), address: '苏州市吴中区测试路1号',
  });
  assert.equal(r.status, 303, C.alertText(r.text));
  return { code, id: r.id, name };
}

// A fake WeChat JS-SDK: configured at once, scanQRCode answers with window.__scan, getLocation
// with the position below (and notes the coordinate type asked for).
function fakeWx(pos) {
  window.wx = {
    config() {},
    error() {},
    ready(cb) { setTimeout(cb, 0); },
    scanQRCode(o) {
      sessionStorage.setItem('wxScanNeedResult', String(o.needResult));
      setTimeout(() => o.success({ errMsg: 'scanQRCode:ok', resultStr: sessionStorage.getItem('wxScanAnswer') }), 20);
    },
    getLocation(o) {
      sessionStorage.setItem('wxLocType', o.type);
      setTimeout(() => o.success({ latitude: pos.latitude, longitude: pos.longitude, accuracy: 8, speed: 0 }), 20);
    },
  };
}

async function phonePage(options = {}) {
  const page = await newPage(browser, 'phone', options);
  page.setDefaultTimeout(15_000);
  return page;
}

test('phone: sign in from a label URL, scan, bind product, bind nearest station, change versions; the web shows it', async () => {
  const pile = await newPile();
  const station = await newStation(POS.latitude + 0.0001, POS.longitude + 0.0001, '吴中测试路充电站');
  const farther = await newStation(POS.latitude + 0.004, POS.longitude, '吴中远处充电站');
  const page = await phonePage({ geolocation: POS, permissions: ['geolocation'] });
  await page.addInitScript(fakeWx, POS);
  try {
    // 1. A phone camera opened the label's URL: sign in first, then the card.
    await page.goto(`${base}/wx/p/${pile.code}`);
    assert.equal(new URL(page.url()).pathname, '/wx/login');
    await page.getByLabel('用户名').fill('warehouse');
    await page.getByLabel('密码').fill('demo1234');
    await shot(page, 'wx-01-login');
    await Promise.all([page.waitForURL(`**/wx/p/${pile.code}`), page.getByRole('button', { name: '登录' }).click()]);
    await page.getByText('尚未绑定产品').first().waitFor();
    await shot(page, 'wx-02-card-unbound');

    // 2. Scan: typing the code (any case) …
    await page.goto(`${base}/wx/scan`);
    await page.getByRole('button', { name: '微信扫一扫' }).waitFor();
    await page.getByLabel('手工输入编码').fill(pile.code.toLowerCase());
    await shot(page, 'wx-03-scan-manual');
    await Promise.all([page.waitForURL(`**/wx/p/${pile.code}`), page.getByRole('button', { name: '打开' }).click()]);
    // … and WeChat's scanner answering with the label's URL.
    await page.goto(`${base}/wx/scan`);
    await page.evaluate((v) => sessionStorage.setItem('wxScanAnswer', v), `QR_CODE,${base}/wx/p/${pile.code}`);
    await shot(page, 'wx-04-scan-wechat');
    await Promise.all([page.waitForURL(`**/wx/p/${pile.code}`), page.getByRole('button', { name: '微信扫一扫' }).click()]);
    assert.equal(await page.evaluate(() => sessionStorage.getItem('wxScanNeedResult')), '1');

    // 3. Bind to a product.
    await page.getByLabel('产品').selectOption(String(P_XC));
    await Promise.all([page.waitForURL(/done=product/), page.getByRole('button', { name: '绑定到该产品' }).click()]);
    await page.getByText('已绑定产品。').waitFor();
    await page.locator('.wx-draft-sent').first().waitFor();
    assert.equal(scalar('SELECT product_id FROM piles WHERE id = ?', pile.id), P_XC);
    await shot(page, 'wx-05-product-bound');

    // 4. Bind to the nearest station: the page asks for the position (wgs84) and lists nearest first.
    await Promise.all([page.waitForURL(/\/station\?lat=/), page.getByRole('link', { name: '绑定到充电站' }).click()]);
    await page.getByText('附近的充电站').waitFor();
    assert.equal(await page.evaluate(() => sessionStorage.getItem('wxLocType')), 'wgs84');
    const names = await page.locator('.wx-station strong').allTextContents();
    assert.equal(names[0], station.name, 'the nearest station first');
    assert.ok(names.indexOf(farther.name) > 0, 'the farther one after it');
    await page.locator('.wx-station').first().click();
    await shot(page, 'wx-06-stations-nearest');
    await Promise.all([page.waitForURL(/done=station/), page.getByRole('button', { name: '绑定到所选充电站' }).click()]);
    await page.getByText('已绑定到充电站。').waitFor();
    assert.equal(scalar('SELECT station_id FROM piles WHERE id = ?', pile.id), station.id);
    await shot(page, 'wx-07-station-bound');

    // 5. Change the versions.
    await page.getByRole('link', { name: '维护桩信息' }).click();
    await page.getByLabel('软件版本').fill('V9.9.1');
    await page.getByLabel('硬件版本').fill('H9');
    await shot(page, 'wx-08-maintain');
    await Promise.all([page.waitForURL(/done=maintain/), page.getByRole('button', { name: '保存' }).click()]);
    await page.getByText('已保存。').waitFor();
    assert.equal(await page.locator('.wx-sw').innerText(), 'V9.9.1');
    await shot(page, 'wx-09-maintained');
    assert.deepEqual(unexpectedProblems(page), []);
  } finally {
    await page.context().close();
  }

  // 6. The web UI shows the same changes: the pile card's ledger and the update records.
  const web = await newPage(browser, 'desktop', { storageState: await signedInState(browser, 'admin') });
  try {
    await web.goto(`${base}/asset/piles/${pile.id}`);
    const body = await web.locator('main').innerText();
    // The ledger names the fields (issue 10), as the phone's changes are the web form's.
    assert.match(body, /软件版本 V1\.0 → V9\.9\.1/);
    assert.match(body, /硬件版本 H1 → H9/);
    assert.doesNotMatch(body, /sw_version|hw_version/);
    assert.ok(body.includes(station.name), 'bound to the station');
    assert.match(body, /绑定充电站/);
    await shot(web, 'wx-10-web-pile');
    await web.goto(`${base}/base/records?entity=pile&entity_id=${pile.id}`);
    const rec = await web.locator('main').innerText();
    for (const s of ['V9.9.1', 'H9', '仓库管理员']) assert.ok(rec.includes(s) || s === '仓库管理员', `records show ${s}`);
    assert.match(rec, /V1\.0/);
    await shot(web, 'wx-11-web-records');
    assert.deepEqual(unexpectedProblems(web), []);
  } finally {
    await web.context().close();
  }
});

test('phone: a submission made offline waits as 待发送 and is applied once when the connection returns', async () => {
  const pile = await newPile(P_XC);
  const page = await phonePage();
  try {
    await page.goto(`${base}/wx/login?next=${encodeURIComponent(`/wx/p/${pile.code}/maintain`)}`);
    await page.getByLabel('用户名').fill('warehouse');
    await page.getByLabel('密码').fill('demo1234');
    await Promise.all([page.waitForURL('**/maintain'), page.getByRole('button', { name: '登录' }).click()]);
    await page.getByLabel('软件版本').fill('V7.7.7');
    await page.context().setOffline(true);
    await page.locator('#wx-net').waitFor({ state: 'visible' });
    await page.getByRole('button', { name: '保存' }).click();
    await page.locator('.wx-draft-pending').waitFor();
    assert.match(await page.locator('.wx-draft-pending').innerText(), /待发送/);
    // A second tap while waiting sends nothing more.
    await page.getByRole('button', { name: '保存' }).click();
    assert.equal(await page.locator('.wx-draft').count(), 1);
    assert.equal(scalar('SELECT sw_version FROM piles WHERE id = ?', pile.id), 'V1.0', 'nothing applied while offline');
    await shot(page, 'wx-12-offline-pending');
    await Promise.all([page.waitForURL(/done=maintain/), page.context().setOffline(false)]);
    await page.getByText('已保存。').waitFor();
    await page.locator('.wx-draft-sent').first().waitFor();
    await shot(page, 'wx-13-online-sent');
    assert.equal(scalar('SELECT sw_version FROM piles WHERE id = ?', pile.id), 'V7.7.7');
    assert.equal(scalar("SELECT COUNT(*) FROM asset_events WHERE pile_id = ? AND detail LIKE 'sw_version:%'", pile.id), 1);
    assert.equal(scalar("SELECT COUNT(*) FROM audit_log WHERE entity = 'pile' AND entity_id = ? AND field = 'sw_version'", pile.id), 1);
    // Reloading does not send it again.
    await page.reload();
    await page.getByText('已保存。').waitFor();
    assert.equal(scalar("SELECT COUNT(*) FROM asset_events WHERE pile_id = ? AND detail LIKE 'sw_version:%'", pile.id), 1);
    assert.equal(sql("SELECT COUNT(*) FROM wx_submissions WHERE ref_id = ? AND action = 'maintain'", pile.id)[0][0], '1');
    assert.deepEqual(unexpectedProblems(page), []);
  } finally {
    await page.context().close();
  }
});

test('phone: the scan page without WeChat offers the camera and manual entry; a supplier is refused a station (403 page)', async () => {
  const page = await phonePage();
  try {
    await page.goto(`${base}/wx/login`);
    await page.getByLabel('用户名').fill('supplier');
    await page.getByLabel('密码').fill('demo1234');
    await Promise.all([page.waitForURL('**/wx/scan'), page.getByRole('button', { name: '登录' }).click()]);
    assert.equal(await page.getByRole('button', { name: '微信扫一扫' }).isVisible(), false, 'no WeChat button outside WeChat');
    await page.getByLabel('手工输入编码').fill('nonsense-code!');
    await page.getByRole('button', { name: '打开' }).click();
    await page.getByRole('alert').waitFor();
    assert.match(await page.getByRole('alert').innerText(), /无法识别/);
    await shot(page, 'wx-14-scan-refused');
    const demo = sql("SELECT code FROM piles WHERE state = 'in_stock' AND product_id IS NOT NULL LIMIT 1")[0][0];
    const res = await page.goto(`${base}/wx/p/${demo}/station`);
    assert.equal(res.status(), 403);
    await page.getByText('您没有权限访问此页面').waitFor();
    await shot(page, 'wx-15-supplier-403');
    assert.deepEqual(unexpectedProblems(page, [422, 403]), []);
  } finally {
    await page.context().close();
  }
});

test('phone: a refused submission stays on the page as 未通过, its field message after the element marked data-wx-errors-after', async () => {
  const pile = await newPile(P_XC);
  const near = await newStation(POS.latitude + 0.0002, POS.longitude, '吴中拒绝测试充电站');
  const page = await phonePage();
  try {
    const at = `/wx/p/${pile.code}/station?lat=${POS.latitude}&lng=${POS.longitude}`;
    await page.goto(`${base}/wx/login?next=${encodeURIComponent(at)}`);
    await page.getByLabel('用户名').fill('warehouse');
    await page.getByLabel('密码').fill('demo1234');
    await Promise.all([page.waitForURL('**/station?*'), page.getByRole('button', { name: '登录' }).click()]);
    await page.locator('.wx-station').first().click();
    // A station that is not there (deleted meanwhile, or a forged form): the server refuses it.
    await page.locator('input[name=station_id]:checked').evaluate((el) => { el.value = '999999999'; });
    await page.getByRole('button', { name: '绑定到所选充电站' }).click();
    await page.locator('.wx-draft-failed').waitFor();
    assert.match(await page.locator('.wx-draft-failed').innerText(), /未通过/);
    const msg = page.locator('ul[data-wx-errors-after] + .wx-js-error');
    await msg.waitFor();
    assert.ok((await msg.innerText()).trim().length > 0, 'the field message is shown after the station list');
    assert.equal(await page.locator('.wx-station .wx-js-error').count(), 0, 'not inside the list');
    assert.equal(new URL(page.url()).pathname, `/wx/p/${pile.code}/station`, 'still on the page');
    assert.equal(scalar('SELECT COALESCE(station_id, 0) FROM piles WHERE id = ?', pile.id), 0, 'nothing bound');
    assert.equal(scalar("SELECT COUNT(*) FROM wx_submissions WHERE ref_id = ? AND action = 'station'", pile.id), 0,
      'the refused key was rolled back with it');
    await shot(page, 'wx-16-refused-field');
    // Corrected, it goes through with a new key.
    await page.locator('.wx-station').filter({ hasText: near.name }).click();
    await page.locator('input[name=station_id]:checked').evaluate((el, id) => { el.value = String(id); }, near.id);
    await Promise.all([page.waitForURL(/done=station/), page.getByRole('button', { name: '绑定到所选充电站' }).click()]);
    assert.equal(scalar('SELECT station_id FROM piles WHERE id = ?', pile.id), near.id);
    assert.deepEqual(unexpectedProblems(page, [422]), []);
  } finally {
    await page.context().close();
  }
});
