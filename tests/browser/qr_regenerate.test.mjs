// Browser flow of QR codes and piles (F3 ⇄ F4) as the administrator: 二维码生成 → a small batch →
// 登记充电桩 from its codes (the per-code list links each pile) → open a pile → 二维码重生 replaces
// its code after the confirm dialog → reprint the new label (A4, 2 copies, images drawn) → the old
// code answers "replaced".  Then the regeneration and batch pages on a phone.  No console errors.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { base, inPage, launch, shot, signedInState, unexpectedProblems } from './lib.mjs';
import { as, scalar, sql } from '../http/lib.mjs';
import { makeRule } from '../http/qr.mjs';

let browser, adminState, rule, batchId, pileId, oldCode, newCode;
before(async () => {
  browser = await launch();
  adminState = await signedInState(browser, 'admin');
  rule = await makeRule(await as('admin'));
});
after(async () => { await browser?.close(); });

const HZ_NAME = '蓝途充电（杭州）有限公司';
const PRODUCT = '星驰电气股份有限公司 XC-AC7-W · 7.00kW';

const pageOf = (kind, name, body) => inPage(browser, kind, name, { storageState: adminState }, body);

const flash = async (page) => (await page.locator('.alert-success[role=status]').innerText()).trim();

test('admin: batch → piles from codes → a pile → replace its code → reprint the label', async () => {
  await pageOf('desktop', 'qr-regenerate', async (page) => {
    // 二维码生成 → 生成二维码: six codes of the rule.
    await page.goto(`${base}/qr/batches`);
    await Promise.all([page.waitForURL(`${base}/qr/batches/new`), page.getByRole('link', { name: '生成二维码' }).click()]);
    await page.locator('#f-rule_id').selectOption(String(rule.id));
    await page.locator('#f-count').fill('6');
    await Promise.all([page.waitForURL(/\/qr\/batches\/\d+\?flash=created/), page.getByRole('button', { name: '生成二维码' }).click()]);
    batchId = Number(new URL(page.url()).pathname.split('/').pop());
    assert.equal(await flash(page), '已生成二维码。');
    assert.equal(await page.locator('table.codes-table tbody tr').count(), 6);

    // 登记充电桩: four of them, into a 杭州 warehouse.
    const form = page.locator('form.piles-form');
    await form.locator('#f-product_id').selectOption({ label: PRODUCT });
    await form.locator('#f-company_id').selectOption({ label: HZ_NAME });
    await form.locator('#f-warehouse_id').selectOption(String(scalar("SELECT id FROM warehouses WHERE code = 'WH-HZ-01'")));
    await form.locator('#f-count').fill('4');
    await shot(page, 'qr-batch-piles-form');
    await Promise.all([page.waitForURL(/flash=piles_created/), form.getByRole('button', { name: '登记充电桩' }).click()]);
    assert.equal(await flash(page), '已按编码登记充电桩，数量：4');
    const bound = page.locator('table.codes-table tbody tr').filter({ has: page.locator('.tag-bound') });
    assert.equal(await bound.count(), 4);
    assert.equal(await page.locator('table.codes-table tbody tr').filter({ hasText: '未使用' }).count(), 2);
    await shot(page, 'qr-batch-piles');

    // Open the first pile from its code's row.
    oldCode = (await bound.first().getAttribute('data-code'));
    pileId = scalar('SELECT id FROM piles WHERE code = ?', oldCode);
    await Promise.all([page.waitForURL(`${base}/asset/piles/${pileId}`), bound.first().locator('td.code-pile a').click()]);
    await page.getByRole('heading', { level: 1, name: `充电桩 ${oldCode} 在库` }).waitFor();
    await page.locator('section.pile-qr img').evaluate((img) => img.decode());
    assert.ok(await page.locator('section.pile-qr img').evaluate((img) => img.naturalWidth > 0), 'the label is drawn on the card');

    // 二维码重生: replace the code (confirm dialog), reason 损坏.
    await Promise.all([page.waitForURL(`${base}/qr/piles/${pileId}/regenerate`), page.locator('a.pile-regen').click()]);
    await page.locator('#f-reason').selectOption({ label: '损坏' });
    await page.locator('#f-note').fill('标签被划花');
    await shot(page, 'qr-regenerate-form');
    let asked = null;
    page.once('dialog', (d) => { asked = d.message(); d.accept(); });
    await Promise.all([page.waitForURL(/flash=replaced/), page.getByRole('button', { name: '作废旧码并生成新码' }).click()]);
    assert.equal(asked, '确定作废当前编码并更换为新编码？');
    assert.match(await flash(page), /已更换二维码/);
    newCode = scalar('SELECT code FROM piles WHERE id = ?', pileId);
    assert.notEqual(newCode, oldCode);
    assert.equal((await page.locator('h1 .regen-code').innerText()).trim(), newCode);
    const hist = page.locator('table.history-table tbody tr');
    assert.equal(await hist.count(), 1);
    assert.equal((await hist.locator('td[data-label="原编码"]').innerText()).trim(), oldCode);
    assert.equal((await hist.locator('td[data-label="新编码"]').innerText()).trim(), newCode);
    assert.equal((await hist.locator('td[data-label="更换原因"]').innerText()).trim(), '损坏');
    await shot(page, 'qr-regenerated');

    // Reprint the new label: A4, two copies, both images drawn.
    const reprint = page.locator('form.reprint-form');
    await reprint.locator('select[name=layout]').selectOption('a4');
    await reprint.locator('#f-copies').fill('2');
    await Promise.all([page.waitForURL(/\/qr\/piles\/\d+\/label\?layout=a4&copies=2/), reprint.getByRole('button', { name: '打开标签页' }).click()]);
    const imgs = page.locator('.sheet-a4 .label img');
    assert.equal(await imgs.count(), 2);
    for (let i = 0; i < 2; i++) {
      await imgs.nth(i).evaluate((img) => img.decode());
      assert.ok(await imgs.nth(i).evaluate((img) => img.naturalWidth > 0));
    }
    await shot(page, 'qr-reprint-a4');

    // The pile card's ledger shows the replacement with both codes.
    await page.goto(`${base}/asset/piles/${pileId}`);
    const row = page.locator('table.data-table tbody tr').filter({ hasText: '二维码重生' });
    assert.equal(await row.count(), 1);
    assert.match(await row.innerText(), new RegExp(`${oldCode} → ${newCode}`));

    // The old label no longer resolves: the lookup says what replaced it.
    await page.goto(`${base}/qr/lookup`);
    await page.locator('#f-value').fill(`${base}/wx/p/${oldCode}`);
    await Promise.all([page.waitForURL(/\/qr\/lookup\?value=/), page.getByRole('button', { name: '查询' }).click()]);
    const alert = (await page.locator('.alert-danger').innerText()).trim();
    assert.match(alert, new RegExp(`已更换为新编码：\\s*${newCode}`));
    await shot(page, 'qr-old-code-410');
    assert.deepEqual(unexpectedProblems(page, [410]), []);
  });
  assert.deepEqual(sql('SELECT state, void_reason FROM qr_codes WHERE code = ?', oldCode), [['void', 'damaged']]);
});

test('regeneration and batch pages on a phone', async () => {
  assert.ok(pileId, 'the desktop flow made a pile');
  await pageOf('phone', 'qr-regenerate-phone', async (page) => {
    const r = await page.goto(`${base}/qr/piles/${pileId}/regenerate`);
    assert.equal(r.status(), 200);
    await page.locator('h1 .regen-code').waitFor();
    let width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 390, `no horizontal scrolling (${width}px)`);
    await shot(page, 'qr-regenerate-phone');
    await page.goto(`${base}/qr/batches/${batchId}`);
    await page.locator('table.codes-table').waitFor();
    width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 390, `batch page: no horizontal scrolling (${width}px)`);
    await shot(page, 'qr-batch-phone');
    await page.goto(`${base}/asset/piles/${pileId}`);
    await page.locator('section.pile-qr').waitFor();
    width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 390, `pile card: no horizontal scrolling (${width}px)`);
    await shot(page, 'qr-pile-card-phone');
    assert.deepEqual(page.problems, []);
  });
});
