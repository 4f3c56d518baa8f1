// Browser flow of the versions page (F4.24) as a person does it: 资产管理 → 版本管理, set a
// product's target versions, see the piles below target, export them as Excel, open one pile,
// edit its software version (an upgrade), watch it leave the below-target list, and read the
// update records.  Then the overview and the list on a phone.  No console errors or CSP reports.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { base, launch, shot, signedInState, unexpectedProblems, unzipText, inPage } from './lib.mjs';
import { as, scalar, sql, uniq } from '../http/lib.mjs';

const MODEL = uniq('BV-').toUpperCase().slice(0, 18);
const PFX = `BV${String(Date.now()).slice(-8)}`;
const SZ = scalar("SELECT id FROM companies WHERE code = 'CC-SZ'");
const WH = scalar("SELECT id FROM warehouses WHERE code = 'WH-SZ-01'");
const MAKER = scalar("SELECT id FROM companies WHERE code = 'MF-YT'");
// A: below on software (V2.9.9 < V2.10.0 as numbers), B: at target, C: below on hardware.
const PILES = { A: ['V2.9.9', 'H2.0'], B: ['V2.10.0', 'H2.0'], C: ['V2.10.0', 'H1.9'] };
const ids = {};
let browser, adminState, opsState, product;

before(async () => {
  browser = await launch();
  adminState = await signedInState(browser, 'admin');
  opsState = await signedInState(browser, 'ops');
  sql(`INSERT INTO products (manufacturer_id, model, name, rated_power_kw, current_type, connectors, warranty_months)
    VALUES (?, ?, '浏览器版本测试桩', 120.00, 'DC', 2, 36)`, MAKER, MODEL);
  product = scalar('SELECT id FROM products WHERE model = ?', MODEL);
  const api = await as('admin');
  for (const [k, [sw, hw]] of Object.entries(PILES)) {
    const r = await api.post('/asset/piles', { code: `${PFX}-${k}`, product_id: product, company_id: SZ, warehouse_id: WH,
      state: 'in_stock', sw_version: sw, hw_version: hw });
    assert.equal(r.status, 303);
    ids[k] = scalar('SELECT id FROM piles WHERE code = ?', `${PFX}-${k}`);
  }
});
after(async () => {
  await browser?.close();
  sql('DELETE FROM piles WHERE code LIKE ?', `${PFX}-%`);
  sql('DELETE FROM product_versions WHERE product_id = ?', product);
  sql('DELETE FROM products WHERE id = ?', product);
});

const pageOf = (kind, state, name, body) => inPage(browser, kind, name, { storageState: state, acceptDownloads: true }, body);

const codes = async (page) => (await page.locator('table.version-piles > tbody > tr td[data-label="编码"]').allInnerTexts()).map((t) => t.trim());

test('admin: set a target, see the piles below it, export them, upgrade one, read the records', async () => {
  await pageOf('desktop', adminState, 'asset-version', async (page) => {
    await page.goto(`${base}/base/`);
    await Promise.all([page.waitForURL(`${base}/asset/versions`),
      page.locator('details.sidebar nav').getByRole('link', { name: '版本管理', exact: true }).click()]);
    await page.getByRole('heading', { level: 1, name: '版本管理' }).waitFor();
    const row = page.locator(`tr#p${product}`);
    assert.match(await row.locator('td[data-label="目标版本"]').innerText(), /未设目标/);
    assert.equal((await row.locator('td[data-label="低于目标"]').innerText()).trim(), '0');

    // 设定目标版本: a malformed version first, then the real one.
    await Promise.all([page.waitForURL(`${base}/asset/versions/${product}/edit`), row.getByRole('link', { name: '设定目标版本' }).click()]);
    await page.getByRole('heading', { level: 1, name: `设定目标版本 · ${MODEL}` }).waitFor();
    await page.locator('#f-sw_target').fill('V2.10');
    await page.locator('#f-hw_target').fill('H2.0 beta');
    await page.getByRole('button', { name: '保存' }).click();
    await page.locator('#f-hw_target.is-invalid').waitFor();
    assert.match(await page.locator('#f-hw_target ~ .invalid-feedback').innerText(), /版本号格式应为/);
    assert.equal(await page.locator('#f-sw_target').inputValue(), 'V2.10', 'the input is kept');
    await shot(page, 'asset-version-target-refused');
    await page.locator('#f-sw_target').fill('V2.10.0');
    await page.locator('#f-hw_target').fill('H2.0');
    await Promise.all([page.waitForURL(`${base}/asset/versions?flash=target_saved#p${product}`), page.getByRole('button', { name: '保存' }).click()]);
    assert.equal((await page.locator('.alert-success[role=status]').innerText()).trim(), '目标版本已保存。');
    assert.match(await row.locator('td[data-label="目标版本"]').innerText(), /V2\.10\.0[\s\S]*H2\.0/);
    assert.equal((await row.locator('td[data-label="低于目标"]').innerText()).trim(), '2');
    await row.scrollIntoViewIfNeeded();
    await shot(page, 'asset-version-overview');

    // The piles below target.
    await Promise.all([page.waitForURL(/\/asset\/versions\/piles\?check=below&product_id=/), row.locator('a.below-count').click()]);
    await page.getByRole('heading', { level: 1, name: '充电桩版本查询' }).waitFor();
    assert.deepEqual(await codes(page), [`${PFX}-A`, `${PFX}-C`]);
    const a = page.locator('table.version-piles > tbody > tr').filter({ hasText: `${PFX}-A` });
    assert.equal((await a.locator('td[data-label="软件版本"] .vchip-below').innerText()).trim(), 'V2.9.9');
    assert.equal((await a.locator('td[data-label="软件版本"] .sw-target').innerText()).trim(), 'V2.10.0');
    assert.equal((await a.locator('td[data-label="硬件版本"] .vchip-ok').innerText()).trim(), 'H2.0');
    assert.equal((await a.locator('td[data-label="版本状态"]').innerText()).trim(), '低于目标');
    assert.match((await a.locator('td[data-label="质保"]').innerText()).trim(), /^(质保期内|已过质保|未知)$/);
    await shot(page, 'asset-version-below');

    // Export the filtered set as Excel.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: '导出 Excel' }).click()]);
    const bytes = await readFile(await download.path());
    assert.equal(bytes.subarray(0, 2).toString('latin1'), 'PK', 'an .xlsx is a zip archive');
    const all = Object.values(unzipText(bytes)).join('\n');
    for (const text of [`${PFX}-A`, `${PFX}-C`, 'V2.10.0', '低于目标', '目标软件版本']) assert.ok(all.includes(text), `the workbook holds ${text}`);
    assert.ok(!all.includes(`${PFX}-B`), 'the pile at target is not in the export');

    // Open pile A, edit its versions (it was upgraded).
    await Promise.all([page.waitForURL(`${base}/asset/piles/${ids.A}`), a.getByRole('link', { name: `${PFX}-A` }).click()]);
    await page.getByRole('heading', { level: 1, name: `充电桩 ${PFX}-A 在库` }).waitFor();
    assert.equal((await page.locator('#sw-state').innerText()).trim(), '低于目标 · 目标版本 V2.10.0', 'the card shows the target');
    await Promise.all([page.waitForURL(`${base}/asset/piles/${ids.A}/edit`), page.getByRole('link', { name: '编辑桩信息' }).click()]);
    await page.locator('#f-sw_version').fill('V2.10.1');
    await Promise.all([page.waitForURL(`${base}/asset/piles/${ids.A}?flash=updated`), page.getByRole('button', { name: '保存' }).click()]);

    // It has left the below-target list; C (hardware) is still there.
    await page.goto(`${base}/asset/versions/piles?check=below&product_id=${product}`);
    assert.deepEqual(await codes(page), [`${PFX}-C`]);
    await page.goto(`${base}/asset/versions`);
    assert.equal((await page.locator(`tr#p${product} td[data-label="低于目标"]`).innerText()).trim(), '1');

    // The update records of the pile, from its card.
    await page.goto(`${base}/asset/piles/${ids.A}`);
    await Promise.all([page.waitForURL(`${base}/base/records?entity=pile&entity_id=${ids.A}`), page.locator('.page-actions').getByRole('link', { name: '更新记录' }).click()]);
    const rec = page.locator('table.data-table > tbody > tr').filter({ hasText: '软件版本' });
    assert.equal(await rec.count(), 1);
    const cells = await Promise.all(['操作人', '字段', '原值', '新值'].map(async (l) => (await rec.locator(`td[data-label="${l}"]`).innerText()).trim()));
    assert.deepEqual(cells, ['系统管理员', '软件版本', 'V2.9.9', 'V2.10.1']);
    await shot(page, 'asset-version-records');
    // The target change is in the records too, named by its kind.
    await page.goto(`${base}/base/records?entity=product_version&entity_id=${product}`);
    assert.equal(await page.locator('table.data-table > tbody > tr').filter({ hasText: 'V2.10.0' }).count(), 1);
    assert.deepEqual(unexpectedProblems(page, [422]), []);
  });
});

test('phone: the overview and the below-target list as ops', async () => {
  await pageOf('phone', opsState, 'asset-version-phone', async (page) => {
    await page.goto(`${base}/asset/versions`);
    await page.getByRole('heading', { level: 1, name: '版本管理' }).waitFor();
    await page.locator(`tr#p${product}`).scrollIntoViewIfNeeded();
    await shot(page, 'asset-version-overview-phone');
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 392, `no sideways scrolling of the page (${width}px)`);
    await page.goto(`${base}/asset/versions/piles?check=below&product_id=${product}`);
    assert.deepEqual(await codes(page), [`${PFX}-C`]);
    await shot(page, 'asset-version-below-phone');
    assert.deepEqual(unexpectedProblems(page), []);
  });
});
