// Issue 10: a new QR batch for a company that has no code rule yet.  The form says why it cannot
// be used and links to defining a rule; the keeper follows it, defines one, and comes back to a
// form offering it.  Desktop and phone.  Screenshots var/test/screenshots/nr-*.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { base, inPage, launch, shot, signedInState, unexpectedProblems } from './lib.mjs';
import { freshCompanyUser } from '../http/qr.mjs';

let browser, fresh, state;
before(async () => {
  browser = await launch();
  fresh = freshCompanyUser('warehouse');
  state = await signedInState(browser, fresh.username);
});
after(async () => { await browser?.close(); });

test('phone: the empty form explains itself', async () => {
  await inPage(browser, 'phone', 'nr-phone', { storageState: state }, async (page) => {
    await page.goto(`${base}/qr/batches/new`);
    await page.getByText('还没有可用的编码规则。').waitFor();
    assert.ok(await page.locator('#f-rule_id').isDisabled());
    await shot(page, 'nr-01-form-phone');
    assert.deepEqual(unexpectedProblems(page), []);
  });
});

test('desktop: no rule → 新建编码规则 → saved → the batch form offers it', async () => {
  await inPage(browser, 'desktop', 'nr-desktop', { storageState: state }, async (page) => {
    await page.goto(`${base}/qr/batches/new`);
    const alert = page.locator('#no-rule');
    await alert.getByText('还没有可用的编码规则。').waitFor();
    assert.match(await alert.innerText(), /需要一条启用的编码规则/);
    assert.ok(await page.locator('#f-rule_id').isDisabled());
    assert.ok(await page.getByRole('button', { name: '生成二维码' }).isDisabled());
    assert.equal((await page.locator('#f-rule_id option').first().innerText()).trim(), '尚无可用的编码规则');
    await shot(page, 'nr-02-form-desktop');

    await Promise.all([page.waitForURL(`${base}/qr/rules/new`), alert.getByRole('link', { name: '新建编码规则' }).click()]);
    const name = `新公司规则${fresh.code}`;
    await page.locator('#f-name').fill(name);
    await page.locator('#f-prefix').fill('NR');
    await page.locator('#f-segment').fill(fresh.code.slice(-6));
    assert.equal(await page.locator('#f-company_id').inputValue(), String(fresh.company));
    await Promise.all([page.waitForURL(/\/qr\/rules\?flash=created$/), page.getByRole('button', { name: '保存' }).click()]);

    await page.goto(`${base}/qr/batches/new`);
    assert.equal(await page.locator('#no-rule').count(), 0);
    assert.ok(!(await page.locator('#f-rule_id').isDisabled()));
    const label = await page.locator('#f-rule_id option').nth(1).innerText();
    assert.ok(label.startsWith(name), label);
    await page.locator('#f-rule_id').selectOption({ index: 1 });
    await page.locator('#f-count').fill('4');
    await shot(page, 'nr-03-form-with-rule-desktop');
    await Promise.all([page.waitForURL(/\/qr\/batches\/\d+\?flash=created$/), page.getByRole('button', { name: '生成二维码' }).click()]);
    assert.deepEqual(unexpectedProblems(page), []);
  });
});
