// Browser flow of the ledger and the update records as people read them (issue 10), as the
// administrator: a pile's tariff, software version and product are changed in its edit form;
// the card's ledger names each field and value (费率 0.8000 → 1.2500, 产品 <maker model> → …,
// no "product_id: 0 -> 9"); 更新记录 opens the records of the pile, each naming it by its code,
// which links back to the card; the home page's recent changes do the same.  Then the card and
// the records on a phone.  No console errors or CSP reports.  The pile comes from the HTTP API.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { base, launch, newPage, shot, signedInState } from './lib.mjs';
import { as, scalar, sql } from '../http/lib.mjs';

let browser, adminState, pile;
const stamp = String(Date.now()).slice(-8);
const productName = (model) => sql("SELECT CONCAT(m.name, ' ', p.model) FROM products p JOIN companies m ON m.id = p.manufacturer_id WHERE p.model = ?", model)[0][0];

before(async () => {
  browser = await launch();
  adminState = await signedInState(browser, 'admin');
  const api = await as('admin');
  const code = `BL${stamp}`;
  const r = await api.post('/asset/piles', { code, product_id: scalar("SELECT id FROM products WHERE model = 'XC-AC7-W'"),
    company_id: scalar("SELECT id FROM companies WHERE code = 'CC-SZ'"), warehouse_id: scalar("SELECT id FROM warehouses WHERE code = 'WH-SZ-01'"),
    state: 'in_stock', sw_version: 'V1.0', hw_version: 'H1', tariff: '0.8' });
  assert.equal(r.status, 303);
  pile = { code, id: scalar('SELECT id FROM piles WHERE code = ?', code) };
});

after(async () => {
  await browser?.close();
  if (pile?.id) {
    sql('DELETE FROM asset_events WHERE pile_id = ?', pile.id);
    sql('DELETE FROM piles WHERE id = ?', pile.id);
  }
});

async function inPage(kind, name, body) {
  const page = await newPage(browser, kind, { storageState: adminState });
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

/** The card's ledger notes (备注), newest first. */
async function notes(page) {
  return (await page.locator('table.data-table td[data-label="备注"]').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
}

test('admin: change tariff, version and product; the ledger and the records read as names, and link back', async () => {
  await inPage('desktop', 'asset-ledger', async (page) => {
    await page.goto(`${base}/asset/piles/${pile.id}`);
    await page.getByRole('heading', { level: 1, name: `充电桩 ${pile.code} 在库` }).waitFor();
    // The edit form from the card.
    await Promise.all([page.waitForURL(`${base}/asset/piles/${pile.id}/edit`), page.getByRole('link', { name: '编辑桩信息' }).click()]);
    await page.locator('#f-tariff').fill('1.25');
    await page.locator('#f-sw_version').fill('V1.1');
    await page.locator('#f-product_id').selectOption({ label: '星驰电气股份有限公司 XC-DC60-2 · 60.00kW' });
    // Wherever the form goes after saving, the card shows the ledger.
    await Promise.all([page.waitForURL((u) => !u.pathname.endsWith('/edit')), page.getByRole('button', { name: '保存' }).click()]);
    await page.goto(`${base}/asset/piles/${pile.id}`);
    const n = await notes(page);
    assert.deepEqual(n.slice(0, 3), [
      '费率(元/kWh) 0.8000 → 1.2500',
      `产品 ${productName('XC-AC7-W')} → ${productName('XC-DC60-2')}`,
      '软件版本 V1.0 → V1.1',
    ]);
    assert.ok(!n.some((t) => /product_id|sw_version|tariff|->/.test(t)), 'no column names or arrows of the text form');
    await shot(page, 'asset-ledger-card');

    // 更新记录: the records of this pile, each naming it by its code.
    await Promise.all([page.waitForURL(`${base}/base/records?entity=pile&entity_id=${pile.id}`),
      page.locator('.page-actions').getByRole('link', { name: '更新记录' }).click()]);
    await page.getByRole('heading', { level: 1, name: '更新记录' }).waitFor();
    const recs = rows(page);
    assert.equal(await recs.count(), 4, 'create and three field changes');
    const record = await recs.locator('td[data-label="记录"]').allInnerTexts();
    assert.deepEqual(record.map((t) => t.trim()), Array(4).fill(pile.code));
    const tariff = recs.filter({ hasText: '费率' });
    assert.deepEqual(await Promise.all(['字段', '原值', '新值'].map(async (l) => (await tariff.locator(`td[data-label="${l}"]`).innerText()).trim())),
      ['费率(元/kWh)', '0.8000', '1.2500']);
    const product = recs.filter({ has: page.locator('td[data-label="字段"]', { hasText: '产品' }) });
    assert.equal((await product.locator('td[data-label="新值"]').innerText()).trim(), productName('XC-DC60-2'));
    assert.doesNotMatch(await page.locator('table.data-table').innerText(), /#\d+/, 'no ids');
    await shot(page, 'asset-ledger-records');
    // The code links to the card.
    await Promise.all([page.waitForURL(`${base}/asset/piles/${pile.id}`),
      tariff.locator('td[data-label="记录"]').getByRole('link', { name: pile.code }).click()]);
    await page.getByRole('heading', { level: 1, name: `充电桩 ${pile.code} 在库` }).waitFor();

    // The home page's recent changes name it too (it is the newest unless other files wrote since).
    await page.goto(`${base}/base/`);
    const recent = page.locator('.recent-list');
    assert.equal(await recent.getByText(/充电桩 #\d/).count(), 0, 'no pile by its id');
    const newer = scalar("SELECT COUNT(*) FROM audit_log WHERE id > (SELECT MAX(id) FROM audit_log WHERE entity = 'pile' AND entity_id = ?)", pile.id);
    if (newer < 8) {
      await Promise.all([page.waitForURL(`${base}/asset/piles/${pile.id}`), recent.getByRole('link', { name: pile.code }).first().click()]);
    }
    assert.deepEqual(page.problems, []);
  });
});

test('the card\'s ledger and the records on a phone', async () => {
  await inPage('phone', 'asset-ledger-phone', async (page) => {
    await page.goto(`${base}/asset/piles/${pile.id}`);
    await page.getByRole('heading', { level: 1, name: `充电桩 ${pile.code} 在库` }).waitFor();
    assert.ok((await notes(page)).includes('费率(元/kWh) 0.8000 → 1.2500'));
    let width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 390, `card: no horizontal scrolling (${width}px)`);
    await shot(page, 'asset-ledger-card-phone');
    await page.goto(`${base}/base/records?entity=pile&entity_id=${pile.id}`);
    assert.equal(await rows(page).count(), 4);
    width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 390, `records: no horizontal scrolling (${width}px)`);
    await shot(page, 'asset-ledger-records-phone');
    await Promise.all([page.waitForURL(`${base}/asset/piles/${pile.id}`),
      rows(page).first().locator('td[data-label="记录"]').getByRole('link', { name: pile.code }).click()]);
    assert.deepEqual(page.problems, []);
  });
});
