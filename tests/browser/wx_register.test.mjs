// Issue 10 on the phone and the web, as people meet it: a keeper scans a fresh label that is not
// registered yet → the phone says which batch it belongs to and offers 登记充电桩 → the pile form
// opens with the code and company filled in → saved, back on the phone card of the new pile.
// An inspector scanning such a label is told whom to ask (phone and web lookup).  Then 投运日期:
// a pile put into 运营 on the phone's maintenance page, and another on the web edit form, both
// get today's date on their cards.  Screenshots var/test/screenshots/wxr-*.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { base, inPage, launch, shot, signedInState, unexpectedProblems } from './lib.mjs';
import { as, sql, scalar, stationTo } from '../http/lib.mjs';
import * as C from '../http/crud.mjs';
import { makeRule, makeBatch, SZ } from '../http/qr.mjs';

const SUZHOU = C.idOf('cities', 'code', '320500');
const WH_SZ1 = C.idOf('warehouses', 'code', 'WH-SZ-01');
const P_AC7 = C.idOf('products', 'model', 'XC-AC7-W');
const PILES = { path: '/asset/piles', table: 'piles', key: 'code' };

let browser, admin, codes, batch, rule, inspectorState, keeperState;
before(async () => {
  browser = await launch();
  admin = await as('admin');
  rule = await makeRule(admin, { company_id: SZ(), name: `苏州仓库标签${Date.now().toString(36)}` });
  batch = (await makeBatch(admin, rule.id, 3)).id;
  codes = sql('SELECT code FROM qr_codes WHERE batch_id = ? ORDER BY serial', batch).map((x) => x[0]);
  inspectorState = await signedInState(browser, 'inspector');
  keeperState = await signedInState(browser, 'warehouse');
});
after(async () => { await browser?.close(); });

/** A pile with a product bound to a fresh operating station of 苏州 (installed). */
async function installedPile() {
  const code = C.ucode('WR', 12);
  const r = await C.create(admin, PILES, { code, product_id: P_AC7, company_id: SZ(), warehouse_id: WH_SZ1, state: 'in_stock' });
  assert.equal(r.status, 303);
  const scode = C.ucode('WRS', 16);
  const s = await C.create(admin, { path: '/asset/stations', table: 'stations', key: 'code' }, {
    code: scode, name: `投运站${scode}`, company_id: SZ(), city_id: SUZHOU, state: 'operating', expected_piles: 1 });
  assert.equal(s.status, 303);
  await stationTo(admin, s.id, 'operating');
  assert.equal((await admin.post(`/asset/piles/${r.id}/bind`, { station_id: s.id })).status, 303);
  return { code, id: r.id };
}

test('phone: scan an unregistered label → what it is → 登记充电桩 → the form → the new pile\'s phone card', async () => {
  const code = codes[0];
  await inPage(browser, 'phone', 'wxr-register', {}, async (page) => {
    await page.goto(`${base}/wx/scan`);
    await page.getByLabel('用户名').fill('warehouse');
    await page.getByLabel('密码').fill('demo1234');
    await Promise.all([page.waitForURL('**/wx/scan'), page.getByRole('button', { name: '登录' }).click()]);
    await page.getByLabel('手工输入编码').fill(code.toLowerCase());
    await Promise.all([page.waitForURL(`**/wx/p/${code}`), page.getByRole('button', { name: '打开' }).click()]);
    await page.getByText('该二维码还没有登记充电桩').waitFor();
    assert.equal((await page.locator('.wx-missing-code').innerText()).trim(), '未登记');
    const what = await page.locator('.unknown-what').innerText();
    assert.ok(what.includes(`第 ${batch} 批`) && what.includes(rule.name), what);
    await shot(page, 'wxr-01-label-phone');

    await Promise.all([page.waitForURL(/\/asset\/piles\/new\?code=/), page.getByRole('link', { name: '登记充电桩' }).click()]);
    assert.equal(await page.locator('#f-code').inputValue(), code);
    assert.equal(await page.locator('#f-company_id').inputValue(), String(SZ()));
    await page.getByText(`正在用扫描到的编码登记充电桩： ${code}`).waitFor();
    await page.locator('#f-product_id').selectOption(String(P_AC7));
    await page.locator('#f-warehouse_id').selectOption(String(WH_SZ1));
    await page.locator('#f-serial_no').fill(`SN-${code}`);
    await shot(page, 'wxr-02-form-phone');
    await Promise.all([page.waitForURL(`**/wx/p/${code}?done=created`), page.getByRole('button', { name: '保存' }).click()]);
    await page.getByText('充电桩已登记。').waitFor();
    assert.equal((await page.locator('.wx-code').first().innerText()).trim(), code);
    await shot(page, 'wxr-03-registered-phone');
    assert.equal(scalar('SELECT state FROM qr_codes WHERE code = ?', code), 'bound');
    assert.deepEqual(unexpectedProblems(page, [404]), []);
  });
});

test('inspector: whom to ask, on the web lookup (desktop) and the phone', async () => {
  const code = codes[1];
  await inPage(browser, 'desktop', 'wxr-ask-desktop', { storageState: inspectorState }, async (page) => {
    await page.goto(`${base}/asset/piles/lookup?code=${code}`);
    await page.getByText('该二维码还没有登记充电桩').waitFor();
    assert.equal(await page.getByRole('link', { name: '登记充电桩' }).count(), 0);
    await page.getByText('请联系以下可登记充电桩的人员：').waitFor();
    assert.ok((await page.locator('.unknown-ask li').allInnerTexts()).some((t) => t.includes('陈静 · 仓管员')));
    await shot(page, 'wxr-04-ask-desktop');
    assert.deepEqual(unexpectedProblems(page, [404]), []);
  });
  await inPage(browser, 'phone', 'wxr-ask-phone', { storageState: inspectorState }, async (page) => {
    await page.goto(`${base}/wx/p/${code}`);
    await page.getByText('请联系以下可登记充电桩的人员：').waitFor();
    await shot(page, 'wxr-05-ask-phone');
    assert.deepEqual(unexpectedProblems(page, [404]), []);
  });
  // The keeper on the desktop web lookup gets the register button there too.
  await inPage(browser, 'desktop', 'wxr-lookup-keeper', { storageState: keeperState }, async (page) => {
    await page.goto(`${base}/asset/piles/lookup?code=${codes[2]}`);
    await page.getByRole('link', { name: '登记充电桩' }).waitFor();
    await shot(page, 'wxr-06-label-desktop');
    await Promise.all([page.waitForURL(/\/asset\/piles\/new\?code=/), page.getByRole('link', { name: '登记充电桩' }).click()]);
    assert.equal(await page.locator('#f-code').inputValue(), codes[2]);
    assert.deepEqual(unexpectedProblems(page, [404]), []);
  });
});

test('投运日期: 运营 on the phone and on the web form records today on the card', async () => {
  const today = C.chinaToday();
  const a = await installedPile();
  await inPage(browser, 'phone', 'wxr-commission-phone', { storageState: keeperState }, async (page) => {
    await page.goto(`${base}/wx/p/${a.code}`);
    assert.equal((await page.locator('.wx-commissioned').innerText()).trim(), '—');
    await page.getByRole('link', { name: '维护桩信息' }).click();
    await page.getByLabel('状态').selectOption('operating');
    await Promise.all([page.waitForURL(/done=maintain/), page.getByRole('button', { name: '保存' }).click()]);
    await page.getByText('已保存。').waitFor();
    assert.equal((await page.locator('.wx-commissioned').innerText()).trim(), today);
    assert.match(await page.locator('.wx-events').innerText(), new RegExp(`commissioned_on:\\s+-> ${today}`));
    await shot(page, 'wxr-07-commissioned-phone');
    assert.deepEqual(unexpectedProblems(page), []);
  });
  const b = await installedPile();
  await inPage(browser, 'desktop', 'wxr-commission-desktop', { storageState: keeperState }, async (page) => {
    await page.goto(`${base}/asset/piles/${b.id}`);
    await Promise.all([page.waitForURL(`${base}/asset/piles/${b.id}/edit`), page.getByRole('link', { name: '编辑桩信息' }).click()]);
    await page.getByText('转为“运营”时如未填写，自动记为当天').waitFor();
    await page.locator('#f-state').selectOption('operating');
    await shot(page, 'wxr-08-form-hint-desktop');
    await Promise.all([page.waitForURL(`${base}/asset/piles/${b.id}?flash=updated`), page.getByRole('button', { name: '保存' }).click()]);
    const facts = await page.locator('dl.facts').first().innerText();
    assert.match(facts, new RegExp(`投运日期\\s+${today}`));
    await shot(page, 'wxr-09-commissioned-desktop');
    assert.deepEqual(unexpectedProblems(page), []);
  });
  assert.equal(scalar("SELECT DATE_FORMAT(commissioned_on, '%Y-%m-%d') FROM piles WHERE id = ?", b.id), today);
});
