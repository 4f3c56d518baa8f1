// Browser flows of "the register as users found it" (issue 10 §2) as the administrator:
//   - the pile list at 1366 × 768: no sideways scrolling, 所在位置 on at most three lines;
//   - the 充电站 filter picked by the start of a station's name (the picker), the box then holds
//     the code and the rows are that station's;
//   - rows ticked (one by one, then 全选本页): 已选 N 个, their QR labels in a new tab, an export
//     of just them, and a state change (confirmed) → the summary page, a refused pile named with
//     its reason;
//   - the facility form without JavaScript: the station box is a plain code field;
//   - the update records' 字段 select, by labels;
//   - the same list, batch bar and summary on a phone.
// Data comes from the HTTP API: a station with a long name and its piles, bound, installed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { base, launch, shot, signedInState, inPage, pickStation, unexpectedProblems } from './lib.mjs';
import { as, scalar, sql } from '../http/lib.mjs';

let browser, adminState;
const stamp = String(Date.now()).slice(-8);
const PFX = `BB${stamp}`;
// A long name, as the longest real ones are (17 characters).
const station = { code: `${PFX}-ST`, name: '苏州工业园区星湖街金鸡湖公共充电站' };
const piles = [];

before(async () => {
  browser = await launch();
  adminState = await signedInState(browser, 'admin');
  const api = await as('admin');
  const SZ = scalar("SELECT id FROM companies WHERE code = 'CC-SZ'");
  const r = await api.post('/asset/stations', { ...station, company_id: SZ, city_id: scalar("SELECT id FROM cities WHERE code = '320500'"),
    state: 'operating', expected_piles: 4 });
  assert.equal(r.status, 303);
  station.id = scalar('SELECT id FROM stations WHERE code = ?', station.code);
  const product = scalar("SELECT id FROM products WHERE model = 'XC-AC7-W'");
  const wh = scalar("SELECT id FROM warehouses WHERE code = 'WH-SZ-01'");
  for (let i = 0; i < 5; i++) {
    const code = `${PFX}-P${i}`;
    assert.equal((await api.post('/asset/piles', { code, serial_no: `SN-${code}`, product_id: product, company_id: SZ, warehouse_id: wh,
      state: 'in_stock', sw_version: 'V2.1.0', hw_version: 'H1.0', tariff: '0.85' })).status, 303);
    const id = scalar('SELECT id FROM piles WHERE code = ?', code);
    // Four at the station (installed); the last stays in stock.
    if (i < 4) assert.equal((await api.post(`/asset/piles/${id}/bind`, { station_id: station.id })).status, 303);
    piles.push({ code, id });
  }
});
after(async () => { await browser?.close(); });

const pageOf = (kind, name, body, options = {}) =>
  inPage(browser, kind, name, { storageState: adminState, acceptDownloads: true, ...options }, body);
const rows = (page) => page.locator('table.data-table > tbody > tr');

test('the pile list at 1366 × 768: no sideways scrolling, 所在位置 on at most three lines', async () => {
  await pageOf('desktop', 'batch-1366', async (page) => {
    await page.goto(`${base}/asset/piles?q=${PFX}`);
    assert.equal(await rows(page).count(), 5);
    const { scroll, client, tableScroll, tableClient } = await page.evaluate(() => {
      const t = document.querySelector('.table-card .table-responsive');
      return { scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth,
        tableScroll: t.scrollWidth, tableClient: t.clientWidth };
    });
    assert.equal(scroll, client, 'the page does not scroll sideways');
    assert.equal(tableScroll, tableClient, 'nor does the table');
    // Lines of the text itself (the cell is as tall as its row's tallest cell).
    const lines = await page.locator('td.col-location').first().evaluate((td) => {
      const range = document.createRange();
      range.selectNodeContents(td);
      return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
    });
    assert.ok(lines <= 3, `所在位置 on ${lines} lines`);
    await shot(page, 'batch-piles-1366');
    // The whole width of the laptop: the full list with its filters, no station among them as an id.
    await page.goto(`${base}/asset/piles`);
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), 1366);
    await shot(page, 'batch-piles-1366-all');
    assert.deepEqual(page.problems, []);
  }, { viewport: { width: 1366, height: 768 } });
});

test('the 充电站 filter: picked by the start of the name, the box holds the code', async () => {
  await pageOf('desktop', 'batch-filter', async (page) => {
    await page.goto(`${base}/asset/piles`);
    const bar = page.locator('.filter-bar');
    await bar.locator('summary').click();
    const box = bar.getByLabel('充电站', { exact: true });
    // Typed: the suggestions name code, name and city.
    await box.fill(station.name.slice(0, 12));
    const option = page.locator('#filter-station-list > li[role=option]').filter({ hasText: station.code });
    await option.waitFor();
    assert.match(await option.innerText(), /苏州/);
    await shot(page, 'batch-filter-picker');
    assert.equal(await pickStation(box, station.name.slice(0, 12), station.code), station.code);
    await Promise.all([page.waitForURL(/station=/), bar.getByRole('button', { name: '查询' }).click()]);
    assert.equal(await rows(page).count(), 4);
    assert.equal(await bar.getByLabel('充电站', { exact: true }).inputValue(), station.code);
    // The station page's link lands on the same list, the box filled in.
    await page.goto(`${base}/asset/stations/${station.id}`);
    await Promise.all([page.waitForURL(/station_id=/), page.getByRole('link', { name: '全部充电桩' }).first().click()]);
    assert.equal(await rows(page).count(), 4);
    assert.equal(await page.locator('.filter-bar').getByLabel('充电站', { exact: true }).inputValue(), station.code);
    // An unknown code says so.
    await page.goto(`${base}/asset/piles?station=${PFX}-NONE`);
    assert.equal((await page.locator('.alert-danger').innerText()).trim(), '没有该编号的充电站');
    await shot(page, 'batch-filter-unknown');
    assert.deepEqual(page.problems, []);
  });
});

test('ticked rows: labels in a new tab, an export of them, a state change with its summary', async () => {
  await pageOf('desktop', 'batch-actions', async (page) => {
    await page.goto(`${base}/asset/piles?q=${PFX}`);
    const count = page.locator('.batch-count');
    assert.equal((await count.innerText()).trim(), '勾选充电桩后可批量操作');
    assert.equal(await page.getByRole('button', { name: '打印二维码标签' }).isDisabled(), true, 'nothing ticked: the actions wait');
    await page.getByLabel(`选择 ${piles[0].code}`).check();
    await page.getByLabel(`选择 ${piles[1].code}`).check();
    assert.equal((await count.innerText()).trim(), '已选 2 个');
    assert.equal(await page.locator('.pick-all').evaluate((b) => b.indeterminate), true);

    // The labels of the two, in a new tab.
    const [sheet] = await Promise.all([page.context().waitForEvent('page'), page.getByRole('button', { name: '打印二维码标签' }).click()]);
    await sheet.waitForLoadState();
    assert.match(sheet.url(), new RegExp(`/qr/piles/labels\\?ids=${piles[0].id},${piles[1].id}$`));
    const imgs = sheet.locator('.sheet .label img');
    assert.equal(await imgs.count(), 2);
    for (let i = 0; i < 2; i++) {
      await imgs.nth(i).evaluate((img) => img.decode());
      assert.ok(await imgs.nth(i).evaluate((img) => img.naturalWidth > 0), 'the label is drawn');
    }
    await shot(sheet, 'batch-labels');
    await sheet.close();

    // 全选本页, then the export of the five.
    await page.getByLabel('全选本页').check();
    assert.equal((await count.innerText()).trim(), '已选 5 个');
    const [dl] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '导出所选 CSV' }).click()]);
    assert.equal(await dl.failure(), null);
    const csv = (await readFile(await dl.path())).toString('utf8');
    for (const p of piles) assert.ok(csv.includes(p.code), p.code);
    assert.equal(csv.trim().split('\n').length, 6, 'the header and the five ticked rows');
    await shot(page, 'batch-ticked');

    // To 运营: four installed piles change, the one in stock is refused with its reason.
    await page.getByLabel('状态改为').selectOption({ label: '运营' });
    let asked = null;
    page.once('dialog', (d) => { asked = d.message(); d.accept(); });
    await Promise.all([page.waitForURL(/\/asset\/piles\/batch\/\d+$/), page.getByRole('button', { name: '批量改状态' }).click()]);
    assert.match(asked, /确定修改所选充电桩的状态吗/);
    assert.match((await page.locator('#batch-summary').innerText()).trim(), /^已更新 4 个，1 个未更新/);
    const refused = page.locator('#batch-items > tbody > tr').filter({ hasText: piles[4].code });
    assert.match(await refused.innerText(), /未更新\s+此处只能在 已安装、运营、维修中 之间变更/);
    for (const p of piles.slice(0, 4)) assert.equal(scalar('SELECT state FROM piles WHERE id = ?', p.id), 'operating');
    assert.equal(scalar('SELECT state FROM piles WHERE id = ?', piles[4].id), 'in_stock');
    await shot(page, 'batch-summary');
    // Back to the very list; the rows say 运营.
    await Promise.all([page.waitForURL(new RegExp(`/asset/piles\\?q=${PFX}$`)), page.getByRole('link', { name: '← 返回充电桩列表' }).click()]);
    assert.equal(await rows(page).filter({ hasText: '运营' }).count(), 4);
    assert.deepEqual(unexpectedProblems(page), []);
  });
});

test('the facility form without JavaScript: the station is a code typed in the box', async () => {
  await pageOf('desktop', 'batch-nojs', async (page) => {
    await page.goto(`${base}/asset/subassets/new`);
    const box = page.getByLabel(/^充电站( \*)?$/);
    await box.fill(`${PFX}-NONE`);
    await page.getByLabel(/^类型( \*)?$/).selectOption({ label: '雨棚' });
    await page.getByLabel(/^名称( \*)?$/).fill(`雨棚${stamp}`);
    await page.locator('#f-area_m2').fill('88');
    await page.locator('#f-cost').fill('1234567');
    await Promise.all([page.waitForURL(`${base}/asset/subassets`), page.getByRole('button', { name: '保存' }).click()]);
    assert.equal((await page.locator('#f-station_id ~ .invalid-feedback, .form-field:has(#f-station_id) .invalid-feedback').first().innerText()).trim(), '没有该编号的充电站');
    await shot(page, 'batch-nojs-unknown');
    await page.getByLabel(/^充电站( \*)?$/).fill(station.code);
    await Promise.all([page.waitForURL(/\/asset\/subassets\?flash=created$/), page.getByRole('button', { name: '保存' }).click()]);
    assert.equal(scalar('SELECT station_id FROM sub_assets WHERE name = ?', `雨棚${stamp}`), station.id);
    // Its cost, grouped on the list.
    await page.goto(`${base}/asset/subassets?q=${encodeURIComponent(`雨棚${stamp}`)}`);
    assert.equal((await page.locator('td.col-cost').innerText()).trim(), '1,234,567.00');
    await shot(page, 'batch-subassets-money');
    sql('DELETE FROM sub_assets WHERE name = ?', `雨棚${stamp}`);
  }, { javaScriptEnabled: false });
});

test('the update records\' 字段 filter: a select of labelled fields', async () => {
  await pageOf('desktop', 'batch-records', async (page) => {
    await page.goto(`${base}/base/records?entity=pile`);
    const select = page.locator('.filter-bar select[name=field]');
    const labels = await select.locator('option').allInnerTexts();
    assert.ok(labels.includes('软件版本') && labels.includes('充电站') && labels.includes('状态'));
    assert.ok(!labels.some((l) => /^[a-z_]+$/.test(l)), 'no internal names');
    await select.selectOption({ label: '状态' });
    await Promise.all([page.waitForURL(/field=state/), page.locator('.filter-bar').getByRole('button', { name: '查询' }).click()]);
    const fields = await page.locator('table.data-table > tbody > tr > td[data-label="字段"]').allInnerTexts();
    assert.ok(fields.length > 0 && fields.every((f) => f.trim() === '状态'));
    await shot(page, 'batch-records-field');
    assert.deepEqual(page.problems, []);
  });
});

test('on a phone: the batch bar, ticking, the summary; the card\'s station picker', async () => {
  await pageOf('phone', 'batch-phone', async (page) => {
    await page.goto(`${base}/asset/piles?q=${PFX}`);
    const width = await page.evaluate(() => document.documentElement.clientWidth);
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), width, 'no sideways scrolling');
    await page.getByLabel(`选择 ${piles[0].code}`).check();
    await page.getByLabel(`选择 ${piles[1].code}`).check();
    assert.equal((await page.locator('.batch-count').innerText()).trim(), '已选 2 个');
    await shot(page, 'batch-phone-list');
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: `${process.env.CA_SCREENSHOTS ?? 'var/test/screenshots'}/batch-phone-list-top.png` });
    await page.getByLabel('状态改为').selectOption({ label: '维修中' });
    page.once('dialog', (d) => d.accept());
    await Promise.all([page.waitForURL(/\/asset\/piles\/batch\/\d+$/), page.getByRole('button', { name: '批量改状态' }).click()]);
    assert.match((await page.locator('#batch-summary').innerText()).trim(), /^已更新 2 个/);
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), width);
    await shot(page, 'batch-phone-summary');
    // The card of the pile in stock: bound by picking the station on the phone.
    await page.goto(`${base}/asset/piles/${piles[4].id}`);
    const box = page.getByLabel('充电站');
    await box.fill(station.code.slice(0, 8).toLowerCase());
    await page.locator('#f-station_id-list > li[role=option]').filter({ hasText: station.code }).waitFor();
    await shot(page, 'batch-phone-card-suggestions');
    assert.equal(await pickStation(page.getByLabel('充电站'), station.code.toLowerCase(), station.code), `${station.code} ${station.name}`);
    await shot(page, 'batch-phone-card-picker');
    await Promise.all([page.waitForURL(/flash=bound/), page.getByRole('button', { name: '绑定', exact: true }).click()]);
    assert.equal(scalar('SELECT station_id FROM piles WHERE id = ?', piles[4].id), station.id);
    assert.deepEqual(unexpectedProblems(page), []);
  });
});
