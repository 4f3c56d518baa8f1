// Browser flow of "what is in my warehouse" (issue 10) as the Suzhou warehouse keeper: 仓库管理
// lists the company's warehouses with their piles in stock (在库桩数); the count opens the pile
// list filtered by that warehouse (the 仓库 select shows it, the rows are its piles); another
// warehouse is picked in the filter.  Another company's warehouse is neither listed nor
// offered.  Desktop and phone, no console errors or CSP reports.  The warehouses and their
// piles are made through the HTTP API, so the counts are known.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { base, launch, newPage, shot, signedInState } from './lib.mjs';
import { as, scalar, sql } from '../http/lib.mjs';

let browser, keeperState;
const stamp = String(Date.now()).slice(-8);
const made = { warehouses: [], piles: [] };
const wh = {};

before(async () => {
  browser = await launch();
  keeperState = await signedInState(browser, 'warehouse');
  const api = await as('admin');
  const SZ = scalar("SELECT id FROM companies WHERE code = 'CC-SZ'");
  const HZ = scalar("SELECT id FROM companies WHERE code = 'CC-HZ'");
  const product = scalar("SELECT id FROM products WHERE model = 'XC-AC7-W'");
  for (const [key, company, city, piles] of [['a', SZ, '320500', 3], ['b', SZ, '320500', 1], ['hz', HZ, '330100', 2]]) {
    const code = `BW${stamp}${key.toUpperCase()}`;
    const name = `浏览器库存仓${stamp}${key}`;
    const r = await api.post('/base/warehouses', { code, name, company_id: company,
      city_id: scalar('SELECT id FROM cities WHERE code = ?', city), address: '测试路2号', keeper: '测试员' });
    assert.equal(r.status, 303);
    wh[key] = { id: scalar('SELECT id FROM warehouses WHERE code = ?', code), code, name, piles: [] };
    made.warehouses.push(wh[key].id);
    for (let i = 0; i < piles; i++) {
      const pc = `BWP${stamp}${key.toUpperCase()}${i}`;
      const p = await api.post('/asset/piles', { code: pc, product_id: product, company_id: company, warehouse_id: wh[key].id, state: 'in_stock' });
      assert.equal(p.status, 303);
      made.piles.push(scalar('SELECT id FROM piles WHERE code = ?', pc));
      wh[key].piles.push(pc);
    }
  }
});

after(async () => {
  await browser?.close();
  for (const id of made.piles) {
    sql('DELETE FROM asset_events WHERE pile_id = ?', id);
    sql('DELETE FROM piles WHERE id = ?', id);
  }
  for (const id of made.warehouses) sql('DELETE FROM warehouses WHERE id = ?', id);
});

async function inPage(kind, name, body) {
  const page = await newPage(browser, kind, { storageState: keeperState });
  page.setDefaultTimeout(15_000);
  try {
    await body(page);
  } catch (e) {
    await shot(page, `FAILED-${name}`).catch(() => {});
    throw e;
  } finally {
    await page.context().close();
  }
}

const rows = (page) => page.locator('table.data-table > tbody > tr');
const cellText = async (row, label) => (await row.locator(`td[data-label="${label}"]`).innerText()).trim();

/** The codes of the pile list's rows. */
async function pileCodes(page) {
  const out = [];
  for (let i = 0; i < await rows(page).count(); i++) out.push(await cellText(rows(page).nth(i), '编码'));
  return out.sort();
}

async function stockFlow(page, kind) {
  await page.goto(`${base}/base/`);
  if (kind === 'phone') await page.locator('details.sidebar > summary').click();
  await Promise.all([page.waitForURL(`${base}/base/warehouses`),
    page.locator('details.sidebar nav').getByRole('link', { name: '仓库管理', exact: true }).click()]);
  await page.getByRole('heading', { level: 1, name: '仓库管理' }).waitFor();
  // This run's warehouses, by the keyword.
  await page.getByLabel('关键字').fill(`BW${stamp}`);
  await Promise.all([page.waitForURL(/[?&]q=/), page.getByRole('button', { name: '查询' }).click()]);
  assert.equal(await rows(page).count(), 2, 'the company\'s two warehouses, not Hangzhou\'s');
  const rowA = rows(page).filter({ hasText: wh.a.code });
  assert.equal(await cellText(rowA, '在库桩数'), '3');
  assert.equal(await cellText(rows(page).filter({ hasText: wh.b.code }), '在库桩数'), '1');
  assert.equal(await page.getByText(wh.hz.code).count(), 0);
  await shot(page, `warehouse-stock-list${kind === 'phone' ? '-phone' : ''}`);

  // The count opens the warehouse's piles.
  await Promise.all([page.waitForURL(`${base}/asset/piles?warehouse_id=${wh.a.id}`),
    rowA.locator('td[data-label="在库桩数"] a').click()]);
  await page.getByRole('heading', { level: 1, name: '充电桩' }).waitFor();
  const select = page.locator('form.filter-bar select[name="warehouse_id"]');
  assert.equal(await select.inputValue(), String(wh.a.id), 'the filter shows the warehouse');
  assert.deepEqual(await pileCodes(page), [...wh.a.piles].sort());
  for (let i = 0; i < 3; i++) assert.equal(await cellText(rows(page).nth(i), '所在位置'), wh.a.name);
  await page.getByText('共 3 条').waitFor();
  // Hangzhou's warehouse is not among the choices.
  const offered = await select.locator('option').evaluateAll((os) => os.map((o) => o.value));
  assert.ok(offered.includes(String(wh.b.id)) && !offered.includes(String(wh.hz.id)));
  await shot(page, `warehouse-stock-piles${kind === 'phone' ? '-phone' : ''}`);

  // Another warehouse picked in the filter.
  await select.selectOption(String(wh.b.id));
  await Promise.all([page.waitForURL(new RegExp(`warehouse_id=${wh.b.id}`)), page.getByRole('button', { name: '查询' }).click()]);
  assert.deepEqual(await pileCodes(page), wh.b.piles);
  await page.getByText('共 1 条').waitFor();
  if (kind === 'phone') {
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 390, `no horizontal scrolling (${width}px)`);
  }
  assert.deepEqual(page.problems, []);
}

test('keeper on a desktop: the warehouses\' stock, each count opening its piles', async () => {
  await inPage('desktop', 'warehouse-stock', (page) => stockFlow(page, 'desktop'));
});

test('keeper on a phone: the same', async () => {
  await inPage('phone', 'warehouse-stock-phone', (page) => stockFlow(page, 'phone'));
});

test('keeper: another company\'s warehouse typed into the address shows nothing of it', async () => {
  await inPage('desktop', 'warehouse-stock-other', async (page) => {
    const r = await page.goto(`${base}/asset/piles?warehouse_id=${wh.hz.id}`);
    assert.equal(r.status(), 200);
    assert.equal(await rows(page).count(), 0);
    await page.getByText('共 0 条').waitFor();
    const text = await page.locator('main').innerText();
    assert.ok(!text.includes(wh.hz.name) && !wh.hz.piles.some((c) => text.includes(c)));
    assert.deepEqual(page.problems, []);
  });
});
