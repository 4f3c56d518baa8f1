// An ops manager handles an anomaly (issue 10): from the anomalies list (station and pile links,
// the difference) to the anomaly's page, acknowledges it, then handles it with a note; the list
// then shows it closed with who handled it; its history and print view.  Desktop, and the same page on a phone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { base, inPage, launch, shot, signedInState, unexpectedProblems } from './lib.mjs';
import { sql, scalar } from '../http/lib.mjs';

let browser, opsState, id, station;
const code = `ANB${String(Date.now()).slice(-8)}`;
before(async () => {
  browser = await launch();
  opsState = await signedInState(browser, 'ops');
  const sz = scalar("SELECT id FROM companies WHERE code = 'CC-SZ'");
  const city = scalar("SELECT id FROM cities WHERE code = '320500'");
  sql(`INSERT INTO stations (code, name, company_id, city_id, state, expected_piles) VALUES (?, '苏州工业园区异常演示站', ?, ?, 'operating', 4)`, code, sz, city);
  station = scalar('SELECT id FROM stations WHERE code = ?', code);
  sql(`INSERT INTO anomalies (kind, station_id, status, expected, actual, opened_at) VALUES ('quantity', ?, 'open', 4, 3, UTC_TIMESTAMP())`, station);
  id = scalar('SELECT MAX(id) FROM anomalies WHERE station_id = ?', station);
});
after(async () => {
  await browser?.close();
  sql('DELETE FROM anomalies WHERE station_id = ?', station);
  sql('DELETE FROM stations WHERE id = ?', station);
});

test('ops acknowledges and then handles an anomaly from the list', async () => {
  await inPage(browser, 'desktop', 'anomaly-handle', { storageState: opsState }, async (page) => {
    await page.goto(`${base}/asset/anomalies?station_id=${station}`);
    const row = page.locator('table.data-table > tbody > tr').first();
    assert.equal((await row.locator('td[data-label="差异"]').innerText()).trim(), '-1');
    assert.equal(await row.getByRole('link', { name: `${code} 苏州工业园区异常演示站` }).getAttribute('href'), `/asset/stations/${station}`);
    await shot(page, 'asset-anomalies-list');
    await Promise.all([page.waitForURL(`${base}/asset/anomalies/${id}`), row.locator('td').first().getByRole('link').click()]);
    await Promise.all([page.waitForURL(/flash=ack$/), page.getByRole('button', { name: '确认（仍待处理）' }).click()]);
    assert.equal((await page.locator('.alert-success[role=status]').innerText()).trim(), '已确认该异常。');
    await page.locator('#f-note').fill('已核实现场：1 台桩返厂维修，待回装。');
    await Promise.all([page.waitForURL(/flash=handle$/), page.getByRole('button', { name: '处理并关闭' }).click()]);
    assert.match(await page.locator('#anomaly-note').innerText(), /返厂维修/);
    // The history says who moved it from which state to which (the document layer's).
    const history = page.locator('#doc-history tbody tr');
    assert.match(await history.first().innerText(), /孙浩/);
    assert.match(await page.locator('#doc-history').innerText(), /未处理\s*→\s*已关闭/);
    assert.equal(await page.locator('#doc-form').count(), 0, 'a closed anomaly offers no action');
    await shot(page, 'asset-anomaly-handled');
    // Its print view: no menu, no actions, the state and the history.
    await Promise.all([page.waitForURL(`${base}/asset/anomalies/${id}/print`), page.locator('#doc-print').click()]);
    assert.equal((await page.locator('#doc-state').innerText()).trim(), '已关闭');
    assert.equal(await page.locator('.sidebar, #doc-form').count(), 0);
    assert.match(await page.locator('.doc-print').innerText(), /已核实现场/);
    await shot(page, 'asset-anomaly-print');
    await page.goto(`${base}/asset/anomalies?station_id=${station}`);
    const done = page.locator('table.data-table > tbody > tr').first();
    assert.equal((await done.locator('td[data-label="处理状态"]').innerText()).trim(), '已关闭');
    assert.match(await done.locator('td[data-label="确认/处理"]').innerText(), /孙浩 → 孙浩/);
    assert.deepEqual(unexpectedProblems(page), []);
  });
  await inPage(browser, 'phone', 'anomaly-phone', { storageState: opsState }, async (page) => {
    await page.goto(`${base}/asset/anomalies/${id}`);
    await page.getByRole('heading', { level: 1, name: /异常资产 · 数量异常/ }).waitFor();
    await shot(page, 'asset-anomaly-phone');
    assert.deepEqual(unexpectedProblems(page), []);
  });
});
