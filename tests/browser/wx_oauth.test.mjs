// WeChat sign-in as a person does it, on a 390×844 touch phone whose browser says MicroMessenger
// (WeChat's WebView): open a phone page signed out → WeChat's authorize page (the stack's fake
// WeChat server) → first time: the password form once → linked, back on the page → scan by the
// JS-SDK (a fake window.wx injected before the page's scripts; the page's wx.config carries the
// server's signature) and by typing the code → bind to a product → bind to the nearest station
// (emulated position) → change versions → the web UI shows the same change in the update records
// and the pile card's ledger. A second WeChat visit signs in without the password; the user sees
// and removes the link on the web, and WeChat asks for the password again.
// Screenshots: var/test/screenshots/wxo-*.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { base, launch, newPage, shot, unexpectedProblems, login } from './lib.mjs';
import { as, sql, scalar, uniq } from '../http/lib.mjs';
import { confValue, testConf } from '../http/wx.mjs';
import * as C from '../http/crud.mjs';

const UA_WX = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.50(0x1800323b) NetType/WIFI Language/zh_CN';
const FAKE = confValue(testConf, 'WeChat.api_base');
const SZ = C.idOf('companies', 'code', 'CC-SZ');
const SUZHOU = C.idOf('cities', 'code', '320500');
const WH_SZ1 = C.idOf('warehouses', 'code', 'WH-SZ-01');
const P_XC = C.idOf('products', 'model', 'XC-DC60-2');
// A corner of Suzhou of this test's own (wx_pages uses another).
const POS = { latitude: 31.1523, longitude: 120.3921 };

let browser, admin;
before(async () => {
  sql("DELETE FROM wx_settings WHERE name IN ('appid', 'secret')");
  browser = await launch();
  admin = await as('admin');
});
after(async () => { await browser?.close(); });

async function newPile() {
  const code = C.ucode('WO', 12);
  const r = await C.create(admin, { path: '/asset/piles', table: 'piles', key: 'code' }, {
    code, serial_no: `SN${code}`, product_id: '', company_id: SZ, warehouse_id: WH_SZ1, state: 'in_stock',
    sw_version: 'V1.0', hw_version: 'H1', comm_method: '4g', charging_mode: 'gb2015', tariff: '0.8',
  });
  assert.equal(r.status, 303, C.alertText(r.text));
  return { code, id: r.id };
}

async function newStation(lat, lng, name) {
  const code = C.ucode('WOS', 16);
  const r = await C.create(admin, { path: '/asset/stations', table: 'stations', key: 'code' }, {
    code, name, company_id: SZ, city_id: SUZHOU, state: 'operating', expected_piles: 0,
    lat: lat.toFixed(6), lng: lng.toFixed(6), address: '苏州市吴中区微信路8号',
  });
  assert.equal(r.status, 303, C.alertText(r.text));
  return { code, id: r.id, name };
}

// A fake WeChat JS-SDK: records what wx.config got, answers scanQRCode with window.__scan's
// sessionStorage value and getLocation with the position.
function fakeWx(pos) {
  window.wx = {
    config(c) { sessionStorage.setItem('wxConfig', JSON.stringify(c)); },
    error() {},
    ready(cb) { setTimeout(cb, 0); },
    scanQRCode(o) {
      setTimeout(() => o.success({ errMsg: 'scanQRCode:ok', resultStr: sessionStorage.getItem('wxScanAnswer') }), 20);
    },
    getLocation(o) {
      sessionStorage.setItem('wxLocType', o.type);
      setTimeout(() => o.success({ latitude: pos.latitude, longitude: pos.longitude, accuracy: 8, speed: 0 }), 20);
    },
  };
}

async function wechatPage() {
  const page = await newPage(browser, 'phone', { userAgent: UA_WX, geolocation: POS, permissions: ['geolocation'] });
  page.setDefaultTimeout(15_000);
  await page.addInitScript(fakeWx, POS);
  return page;
}

/** On the fake authorize page: "another WeChat user" by openid, 确定. */
async function authorizeAs(page, openid) {
  await page.waitForURL((u) => u.href.startsWith(`${FAKE}/connect/oauth2/authorize`));
  await page.getByText('微信网页授权').waitFor();
  await page.getByLabel('openid').fill(openid);
}

test('WeChat phone: OAuth → first sign-in links → scan → product → nearest station → versions; web shows it; unlink', async () => {
  const username = uniq('wxb').slice(0, 24);
  sql(`INSERT INTO users (username, name, password_hash, role_id, company_id, lang, enabled)
    SELECT ?, '微信仓管测试', password_hash, role_id, company_id, 'zh-CN', 1 FROM users WHERE username = 'warehouse'`, username);
  const uid = scalar('SELECT id FROM users WHERE username = ?', username);
  const openid = `oB-${uniq('')}`;
  const pile = await newPile();
  const station = await newStation(POS.latitude + 0.0001, POS.longitude + 0.0001, '微信路充电站');
  const farther = await newStation(POS.latitude + 0.005, POS.longitude, '微信路远处充电站');

  const page = await wechatPage();
  try {
    // 1. A label's URL opened in WeChat, signed out: WeChat's authorize page.
    await page.goto(`${base}/wx/p/${pile.code}`);
    await authorizeAs(page, openid);
    await shot(page, 'wxo-01-authorize');
    await Promise.all([page.waitForURL((u) => u.pathname === '/wx/login'), page.getByRole('button', { name: '确定' }).click()]);
    // 2. First time: the password form once, saying this WeChat will be linked.
    await page.getByText('首次在微信中使用').waitFor();
    await page.getByLabel('用户名').fill(username);
    await page.getByLabel('密码').fill('demo1234');
    await shot(page, 'wxo-02-first-signin');
    await Promise.all([page.waitForURL(`**/wx/p/${pile.code}`), page.getByRole('button', { name: '登录' }).click()]);
    await page.getByText('尚未绑定产品').first().waitFor();
    assert.equal(scalar('SELECT openid FROM wx_links WHERE user_id = ?', uid), openid, 'linked');
    await shot(page, 'wxo-03-card');

    // 3. Scan with WeChat's scanner: wx.config got the server's signature for this page.
    await page.goto(`${base}/wx/scan`);
    await page.getByRole('button', { name: '微信扫一扫' }).waitFor();
    const cfg = JSON.parse(await page.evaluate(() => sessionStorage.getItem('wxConfig')));
    assert.equal(cfg.appId, confValue(testConf, 'WeChat.appid'));
    assert.match(cfg.signature, /^[0-9a-f]{40}$/);
    assert.match(cfg.nonceStr, /^[A-Za-z0-9]+$/);
    assert.ok(cfg.jsApiList.includes('scanQRCode') && cfg.jsApiList.includes('getLocation'));
    assert.equal(await page.locator('script[src="/assets/vendor/weixin/jweixin.js"]').count(), 1, 'the SDK from our origin');
    await page.evaluate((v) => sessionStorage.setItem('wxScanAnswer', v), `QR_CODE,${base}/wx/p/${pile.code}`);
    await shot(page, 'wxo-04-scan-wechat');
    await Promise.all([page.waitForURL(`**/wx/p/${pile.code}`), page.getByRole('button', { name: '微信扫一扫' }).click()]);
    // … and the manual path.
    await page.goto(`${base}/wx/scan`);
    await page.getByLabel('手工输入编码').fill(pile.code.toLowerCase());
    await shot(page, 'wxo-05-scan-manual');
    await Promise.all([page.waitForURL(`**/wx/p/${pile.code}`), page.getByRole('button', { name: '打开' }).click()]);

    // 4. Bind to a product.
    await page.getByLabel('产品').selectOption(String(P_XC));
    await Promise.all([page.waitForURL(/done=product/), page.getByRole('button', { name: '绑定到该产品' }).click()]);
    await page.getByText('已绑定产品。').waitFor();
    assert.equal(scalar('SELECT product_id FROM piles WHERE id = ?', pile.id), P_XC);
    await shot(page, 'wxo-06-product');

    // 5. Bind to the nearest station (position asked as WGS-84).
    await Promise.all([page.waitForURL(/\/station\?lat=/), page.getByRole('link', { name: '绑定到充电站' }).click()]);
    await page.getByText('附近的充电站').waitFor();
    assert.equal(await page.evaluate(() => sessionStorage.getItem('wxLocType')), 'wgs84');
    const names = await page.locator('.wx-station strong').allTextContents();
    assert.equal(names[0], station.name, 'nearest first');
    assert.ok(names.indexOf(farther.name) > 0);
    await page.locator('.wx-station').first().click();
    await shot(page, 'wxo-07-stations');
    await Promise.all([page.waitForURL(/done=station/), page.getByRole('button', { name: '绑定到所选充电站' }).click()]);
    await page.getByText('已绑定到充电站。').waitFor();
    assert.equal(scalar('SELECT station_id FROM piles WHERE id = ?', pile.id), station.id);

    // 6. Change the versions.
    await page.getByRole('link', { name: '维护桩信息' }).click();
    await page.getByLabel('软件版本').fill('V3.2.1');
    await page.getByLabel('硬件版本').fill('H3');
    await shot(page, 'wxo-08-maintain');
    await Promise.all([page.waitForURL(/done=maintain/), page.getByRole('button', { name: '保存' }).click()]);
    await page.getByText('已保存。').waitFor();
    assert.equal(await page.locator('.wx-sw').innerText(), 'V3.2.1');
    await shot(page, 'wxo-09-maintained');
    // The fake WeChat server has no /favicon.ico (404 on its authorize page).
    assert.deepEqual(unexpectedProblems(page, [404]), []);
  } finally {
    await page.context().close();
  }

  // 7. The web UI: the pile card's ledger and the update records show the phone's changes.
  const web = await newPage(browser, 'desktop');
  try {
    await login(web, 'admin');
    await web.goto(`${base}/asset/piles/${pile.id}`);
    const body = await web.locator('main').innerText();
    assert.match(body, /软件版本 V1\.0 → V3\.2\.1/);
    assert.match(body, /硬件版本 H1 → H3/);
    assert.ok(body.includes(station.name));
    await shot(web, 'wxo-10-web-pile');
    await web.goto(`${base}/base/records?entity=pile&entity_id=${pile.id}`);
    const rec = await web.locator('main').innerText();
    assert.ok(rec.includes('V3.2.1') && rec.includes('V1.0'), 'versions in the update records');
    assert.ok(rec.includes('微信仓管测试'), 'by the user who signed in with WeChat');
    await shot(web, 'wxo-11-web-records');
    assert.deepEqual(unexpectedProblems(web), []);
  } finally {
    await web.context().close();
  }

  // 8. A second WeChat visit: straight in, no password.
  const again = await wechatPage();
  try {
    await again.goto(`${base}/wx/scan`);
    await authorizeAs(again, openid);
    await Promise.all([again.waitForURL((u) => u.pathname === '/wx/scan'), again.getByRole('button', { name: '确定' }).click()]);
    await again.getByText('微信仓管测试').waitFor();
    await shot(again, 'wxo-12-second-visit');
    assert.deepEqual(unexpectedProblems(again, [404]), []);
  } finally {
    await again.context().close();
  }

  // An administrator sees the link on the user's edit page.
  const adm = await newPage(browser, 'desktop');
  try {
    await login(adm, 'admin');
    await adm.goto(`${base}/base/users/${uid}/edit`);
    await adm.locator('#wxlink').getByText('已绑定').waitFor();
    assert.ok((await adm.locator('#wxlink').innerText()).includes(`••••${openid.slice(-4)}`));
    await adm.locator('#wxlink').scrollIntoViewIfNeeded();
    await shot(adm, 'wxo-13-admin-user-link');
    assert.deepEqual(unexpectedProblems(adm), []);
  } finally {
    await adm.context().close();
  }

  // 9. The user removes the link on the web (微信绑定 on the password page) …
  const own = await newPage(browser, 'phone');
  try {
    await login(own, username);
    await own.goto(`${base}/base/password`);
    await own.getByText('已绑定').waitFor();
    await shot(own, 'wxo-14-web-link');
    own.once('dialog', (d) => d.accept());
    await Promise.all([own.waitForURL(/wx_unlinked=1/), own.getByRole('button', { name: '解除绑定' }).click()]);
    await own.getByText('已解除微信绑定。').waitFor();
    await shot(own, 'wxo-15-web-unlinked');
    assert.equal(scalar('SELECT COUNT(*) FROM wx_links WHERE user_id = ?', uid), 0);
    assert.deepEqual(unexpectedProblems(own), []);
  } finally {
    await own.context().close();
  }
  // … and WeChat asks for the password again.
  const third = await wechatPage();
  try {
    await third.goto(`${base}/wx/scan`);
    await authorizeAs(third, openid);
    await Promise.all([third.waitForURL((u) => u.pathname === '/wx/login'), third.getByRole('button', { name: '确定' }).click()]);
    await third.getByText('首次在微信中使用').waitFor();
  } finally {
    await third.context().close();
  }
});

test('WeChat phone: a refused sign-in (state mismatch) shows a clear page with both ways on', async () => {
  const page = await wechatPage();
  try {
    const res = await page.goto(`${base}/wx/oauth/callback?code=CODE-none&state=${'x'.repeat(32)}`);
    assert.equal(res.status(), 400);
    await page.getByText('登录校验未通过').waitFor();
    await page.getByRole('link', { name: '用账号密码登录' }).waitFor();
    await shot(page, 'wxo-16-refused');
    await page.getByRole('link', { name: '用账号密码登录' }).click();
    await page.getByLabel('密码').waitFor();
    assert.equal(new URL(page.url()).pathname, '/wx/login');
    assert.deepEqual(unexpectedProblems(page, [400]), []);
  } finally {
    await page.context().close();
  }
});
