// Browser flow of the pile register (F4) as the administrator: 充电桩 → 新增 creates a pile,
// its card opens from the list, it is bound to a station picked in the select (已绑定, the
// ledger row), unbound into a warehouse after the confirm dialog, and the list is exported as
// Excel.  Then the card on a phone.  No console errors or CSP reports anywhere.
// The station comes from the HTTP API (as the station form's own tests cover that page).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { base, launch, login, shot, signedInState, unzipText, inPage, pickStation } from './lib.mjs';
import { as, scalar, sql } from '../http/lib.mjs';

let browser, adminState;
before(async () => {
  browser = await launch();
  adminState = await signedInState(browser, 'admin');
});
after(async () => { await browser?.close(); });

const stamp = String(Date.now()).slice(-9);
const CODE = `BT-PILE-${stamp}`;
const SZ_NAME = '蓝途充电（苏州）有限公司';
const WH1 = 'WH-SZ-01 苏州工业园区中心仓';

const pageOf = (kind, name, body) => inPage(browser, kind, name, { storageState: adminState, acceptDownloads: true }, body);

async function flash(page) {
  return (await page.locator('.alert-success[role=status]').innerText()).trim();
}

/** Ledger rows of the card, newest first: [操作, 状态, 位置]. */
async function ledger(page) {
  const rows = page.locator('table.data-table > tbody > tr');
  const out = [];
  for (let i = 0; i < await rows.count(); i++) {
    const r = rows.nth(i);
    out.push(await Promise.all(['操作', '状态', '位置'].map(async (l) => (await r.locator(`td[data-label="${l}"]`).innerText()).trim())));
  }
  return out;
}


let pileId, station;

test('admin: create a pile, open its card, bind it to a station, unbind it into a warehouse, export the list', async () => {
  // An operating station of CC-SZ to bind to.
  const api = await as('admin');
  station = { code: `BT-ST-${stamp}`, name: `浏览器测试站${stamp}` };
  const s = await api.post('/asset/stations', { ...station, company_id: scalar("SELECT id FROM companies WHERE code = 'CC-SZ'"),
    city_id: scalar("SELECT id FROM cities WHERE code = '320500'"), state: 'operating', expected_piles: 1 });
  assert.equal(s.status, 303);
  station.id = scalar('SELECT id FROM stations WHERE code = ?', station.code);

  await pageOf('desktop', 'asset-pile', async (page) => {
    await page.goto(`${base}/base/`);
    // 资产管理 → 充电桩查询: the register.
    await Promise.all([page.waitForURL(`${base}/asset/piles`),
      page.locator('details.sidebar nav').getByRole('link', { name: '充电桩查询', exact: true }).click()]);
    await page.getByRole('heading', { level: 1, name: '充电桩' }).waitFor();

    // 新增.
    await Promise.all([page.waitForURL(`${base}/asset/piles/new`), page.getByRole('link', { name: '新增', exact: true }).click()]);
    await page.getByRole('heading', { level: 1, name: '新增 · 充电桩' }).waitFor();
    assert.equal(await page.locator('#f-state').inputValue(), 'in_stock', 'a new pile is in stock');
    await page.locator('#f-code').fill(CODE);
    await page.locator('#f-serial_no').fill(`SN-${stamp}`);
    await page.locator('#f-product_id').selectOption({ label: '星驰电气股份有限公司 XC-AC7-W · 7.00kW' });
    await page.locator('#f-company_id').selectOption({ label: SZ_NAME });
    await page.locator('#f-warehouse_id').selectOption({ label: WH1 });
    await page.locator('#f-sw_version').fill('V1.0');
    await page.locator('#f-tariff').fill('0.85');
    await shot(page, 'asset-pile-new');
    // Saved, the new pile's card (not the unfiltered list, issue 10); ← 返回 is the register.
    await Promise.all([page.waitForURL(/\/asset\/piles\/\d+\?flash=created$/), page.getByRole('button', { name: '保存' }).click()]);
    assert.equal(await flash(page), '已新增。');
    pileId = scalar('SELECT id FROM piles WHERE code = ?', CODE);
    assert.ok(pileId, 'the pile is stored');
    assert.equal(page.url(), `${base}/asset/piles/${pileId}?flash=created`);
    await page.getByRole('heading', { level: 1, name: `充电桩 ${CODE} 在库` }).waitFor();
    await Promise.all([page.waitForURL(`${base}/asset/piles`), page.getByRole('link', { name: '← 返回' }).click()]);

    // Found with the keyword; its code opens the card.
    await page.goto(`${base}/asset/piles`);
    await page.getByLabel('关键字').fill(CODE);
    await Promise.all([page.waitForURL(/[?&]q=/), page.getByRole('button', { name: '查询' }).click()]);
    const row = page.locator('table.data-table > tbody > tr').filter({ hasText: CODE });
    assert.equal(await row.count(), 1);
    assert.equal((await row.locator('td[data-label="状态"]').innerText()).trim(), '在库');
    assert.equal((await row.locator('td[data-label="所在位置"]').innerText()).trim(), '苏州工业园区中心仓');
    await Promise.all([page.waitForURL(`${base}/asset/piles/${pileId}`), row.getByRole('link', { name: CODE, exact: true }).click()]);
    await page.getByRole('heading', { level: 1, name: `充电桩 ${CODE} 在库` }).waitFor();
    const wh1Name = scalar("SELECT name FROM warehouses WHERE code = 'WH-SZ-01'");
    const stName = scalar("SELECT CONCAT(code, ' ', name) FROM stations WHERE id = ?", station.id);
    // The ledger names places the way people know them.
    assert.deepEqual(await ledger(page), [['登记', '在库', wh1Name]]);

    // Bind to the station picked by the start of its name (the picker, no list of stations).
    const label = `${station.code} ${station.name}`;
    assert.equal(await pickStation(page.getByLabel('充电站'), station.name, station.code), label);
    await Promise.all([page.waitForURL(`${base}/asset/piles/${pileId}?flash=bound`), page.getByRole('button', { name: '绑定', exact: true }).click()]);
    assert.equal(await flash(page), '已绑定到充电站。');
    assert.equal((await page.locator('h1 .tag').innerText()).trim(), '已安装');
    await page.locator('dl.facts').getByRole('link', { name: label }).waitFor();
    const bound = await ledger(page);
    assert.equal(bound.length, 2);
    assert.deepEqual(bound[0], ['绑定充电站', '在库 → 已安装', `${wh1Name} → ${stName}`]);
    await shot(page, 'asset-pile-bound');

    // Unbind into another warehouse, after the confirm dialog.
    const wh2 = await page.locator('#f-warehouse_id option', { hasText: 'WH-SZ-02' }).getAttribute('value');
    await page.locator('#f-warehouse_id').selectOption(wh2);
    let asked = null;
    page.once('dialog', (d) => { asked = d.message(); d.accept(); });
    await Promise.all([page.waitForURL(`${base}/asset/piles/${pileId}?flash=unbound`), page.getByRole('button', { name: '解绑', exact: true }).click()]);
    assert.equal(asked, '从充电站解绑?');
    assert.equal(await flash(page), '已从充电站解绑。');
    assert.equal((await page.locator('h1 .tag').innerText()).trim(), '在库');
    const unbound = await ledger(page);
    assert.deepEqual(unbound.map((r) => r[0]), ['解绑', '绑定充电站', '登记'], 'newest first');
    assert.deepEqual(unbound[0].slice(1), ['已安装 → 在库',
      `${stName} → ${scalar('SELECT name FROM warehouses WHERE id = ?', wh2)}`]);
    assert.deepEqual(sql('SELECT state, place, warehouse_id, station_id FROM piles WHERE id = ?', pileId)[0], ['in_stock', 'warehouse', wh2, null]);
    assert.equal(await page.getByRole('button', { name: '绑定', exact: true }).count(), 1, 'the bind form is back');
    await shot(page, 'asset-pile-card');

    // Back to the list; export the filtered list as Excel.
    await Promise.all([page.waitForURL(`${base}/asset/piles`), page.getByRole('link', { name: '← 返回' }).click()]);
    await page.getByLabel('关键字').fill(CODE);
    await Promise.all([page.waitForURL(/[?&]q=/), page.getByRole('button', { name: '查询' }).click()]);
    const [dl] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: '导出 Excel', exact: true }).click()]);
    assert.equal(await dl.failure(), null);
    assert.match(dl.suggestedFilename(), /\.xlsx$/);
    const bytes = await readFile(await dl.path());
    assert.equal(bytes.subarray(0, 2).toString('latin1'), 'PK');
    const parts = unzipText(bytes);
    const text = Object.values(parts).join('\n');
    assert.ok(text.includes(CODE), 'the workbook holds the pile');
    assert.ok(text.includes('WH-SZ-02') || text.includes(scalar('SELECT name FROM warehouses WHERE id = ?', Number(wh2))), 'with its warehouse');
    assert.ok(!text.includes('P-T1'), 'only the filtered set');
    await shot(page, 'asset-pile-list');

    assert.deepEqual(page.problems, []);
  });
});

test('the pile card on a phone', async () => {
  assert.ok(pileId, 'the desktop flow made a pile');
  await pageOf('phone', 'asset-pile-phone', async (page) => {
    const r = await page.goto(`${base}/asset/piles/${pileId}`);
    assert.equal(r.status(), 200);
    await page.getByRole('heading', { level: 1, name: `充电桩 ${CODE} 在库` }).waitFor();
    // The ledger rows read as cards: each cell labelled, nothing wider than the screen.
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 390, `no horizontal scrolling (${width}px)`);
    assert.equal(await page.locator('table.data-table > tbody > tr').count(), 3);
    await shot(page, 'asset-pile-card-phone');
    assert.deepEqual(page.problems, []);
  });
});
