// Issue 10: after saving a pile on the web form a person lands where they were, with the flash
// — a new pile on its card; an edit opened from a filtered list back on that list, filters
// kept; an edit opened from the card back on the card.  Desktop and phone.  Screenshots
// var/test/screenshots/ret-*.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { base, inPage, launch, shot, signedInState, unexpectedProblems } from './lib.mjs';
import { as, scalar } from '../http/lib.mjs';
import * as C from '../http/crud.mjs';

const SZ = C.idOf('companies', 'code', 'CC-SZ');
const WH_SZ1 = C.idOf('warehouses', 'code', 'WH-SZ-01');
const P_AC7 = C.idOf('products', 'model', 'XC-AC7-W');
const PFX = C.ucode('BR', 9);
const PILES = { path: '/asset/piles', table: 'piles', key: 'code' };

let browser, state;
before(async () => {
  browser = await launch();
  state = await signedInState(browser, 'warehouse');
  const admin = await as('admin');
  for (const k of ['A', 'B']) {
    const r = await C.create(admin, PILES, { code: `${PFX}${k}`, product_id: P_AC7, company_id: SZ, warehouse_id: WH_SZ1, state: 'in_stock' });
    assert.equal(r.status, 303);
  }
});
after(async () => { await browser?.close(); });

const flash = async (page) => (await page.locator('.alert-success[role=status]').innerText()).trim();

test('desktop: a filtered list → edit → saved, back on that list; new → saved, the card', async () => {
  await inPage(browser, 'desktop', 'ret-desktop', { storageState: state }, async (page) => {
    await page.goto(`${base}/asset/piles`);
    await page.getByLabel('关键字').fill(PFX);
    await page.locator('select[name=state]').selectOption('in_stock');
    await Promise.all([page.waitForURL(/[?&]q=/), page.getByRole('button', { name: '查询' }).click()]);
    const filtered = page.url();
    const row = page.locator('table.data-table > tbody > tr').filter({ hasText: `${PFX}B` });
    await Promise.all([page.waitForURL(/\/asset\/piles\/\d+\/edit$/), row.getByRole('link', { name: '编辑', exact: true }).click()]);
    await page.locator('#f-sw_version').fill('V5.0.1');
    await Promise.all([page.waitForURL(/flash=updated$/), page.getByRole('button', { name: '保存' }).click()]);
    assert.equal(page.url(), `${filtered}&flash=updated`, 'the same list, its filters kept');
    assert.equal(await flash(page), '已保存。');
    assert.equal(await page.getByLabel('关键字').inputValue(), PFX);
    assert.equal(await page.locator('select[name=state]').inputValue(), 'in_stock');
    const rows = await page.locator('table.data-table > tbody > tr td:first-child').allInnerTexts();
    assert.deepEqual(rows.map((t) => t.trim()).sort(), [`${PFX}A`, `${PFX}B`]);
    await shot(page, 'ret-01-list-desktop');

    // 新增 from the list: saved, the new pile's card.
    await Promise.all([page.waitForURL(`${base}/asset/piles/new`), page.getByRole('link', { name: '新增', exact: true }).click()]);
    await page.locator('#f-code').fill(`${PFX}C`);
    await page.locator('#f-product_id').selectOption(String(P_AC7));
    await page.locator('#f-warehouse_id').selectOption(String(WH_SZ1));
    await Promise.all([page.waitForURL(/\/asset\/piles\/\d+\?flash=created$/), page.getByRole('button', { name: '保存' }).click()]);
    assert.equal(await flash(page), '已新增。');
    await page.getByRole('heading', { level: 1, name: `充电桩 ${PFX}C 在库` }).waitFor();
    await shot(page, 'ret-02-card-desktop');
    assert.deepEqual(unexpectedProblems(page), []);
  });
});

test('phone: an edit opened from the card returns to the card', async () => {
  const id = scalar('SELECT id FROM piles WHERE code = ?', `${PFX}A`);
  await inPage(browser, 'phone', 'ret-phone', { storageState: state }, async (page) => {
    await page.goto(`${base}/asset/piles/${id}`);
    await Promise.all([page.waitForURL(`${base}/asset/piles/${id}/edit`), page.getByRole('link', { name: '编辑桩信息' }).click()]);
    await page.locator('#f-hw_version').fill('H7');
    await Promise.all([page.waitForURL(`${base}/asset/piles/${id}?flash=updated`), page.getByRole('button', { name: '保存' }).click()]);
    assert.equal(await flash(page), '已保存。');
    await shot(page, 'ret-03-card-phone');
    assert.deepEqual(unexpectedProblems(page), []);
  });
  assert.equal(scalar('SELECT hw_version FROM piles WHERE id = ?', id), 'H7');
});
