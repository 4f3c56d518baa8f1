// Browser flow of the bulk import (批量导入) as a person does it: open 资产管理 → 批量导入,
// download the station template, fill it with one bad row, upload it, read the error table
// (row, column, message), upload the fixed file, import it and see the result; then a larger
// pile file whose dry run and commit show the progress bar.  Desktop and phone screenshots;
// no console errors or CSP reports.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { base, launch, shot, signedInState, unexpectedProblems, inPage } from './lib.mjs';
import { scalar, sql } from '../http/lib.mjs';
import { csv } from '../http/import.mjs';

let browser, state, dir;
const stamp = String(Date.now()).slice(-8);
const P = `BI${stamp}`;
before(async () => {
  browser = await launch();
  state = await signedInState(browser, 'admin');
  dir = await mkdtemp(join(tmpdir(), 'ca-import-'));
});
after(async () => {
  await browser?.close();
  sql('DELETE e FROM asset_events e JOIN piles p ON p.id = e.pile_id WHERE p.code LIKE ?', `${P}K%`);
  sql("DELETE a FROM audit_log a JOIN piles p ON p.id = a.entity_id AND a.entity = 'pile' WHERE p.code LIKE ?", `${P}K%`);
  sql('DELETE FROM piles WHERE code LIKE ?', `${P}K%`);
});

const pageOf = (kind, name, body) =>
  inPage(browser, kind, name, { storageState: state, acceptDownloads: true, timeout: 30_000 }, body);

/** Screenshot the progress bar of form sel while it shows (if the answer does not come first). */
async function progressShot(page, sel, name) {
  try {
    await page.locator(`${sel} .import-progress`).waitFor({ state: 'visible', timeout: 5000 });
    await page.waitForFunction((s) => (document.querySelector(`${s} progress`)?.value ?? 1) > 0, sel, { timeout: 30_000 });
    await shot(page, name);
  } catch {
    /* the page moved on first */
  }
}

function parse(text) {
  return text.replace(/^\uFEFF/, '').trim().split(/\r?\n/).map((l) => l.split(',').map((c) => c.replace(/^"|"$/g, '').replace(/""/g, '"')));
}

test('template → upload with an error → error table → fixed file → imported (desktop)', async () => {
  await pageOf('desktop', 'import-stations', async (page) => {
    await page.goto(`${base}/asset/stations`);
    await page.getByRole('link', { name: '批量导入' }).click();
    await page.waitForURL(/\/asset\/import/);
    await page.getByRole('link', { name: '充电站', exact: true }).click();
    await page.waitForURL(/kind=station/);
    await shot(page, 'import-page-desktop');
    const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#template-csv')]);
    const tpl = parse(await readFile(await dl.path(), 'utf8'));
    assert.equal(tpl[0][0], '编码*');
    assert.equal(tpl[0][2], '所属公司*');
    const head = tpl[0];
    const example = tpl[2];
    const row = (code, name, over = {}) => head.map((h, i) => over[h] ?? (i === 0 ? code : i === 1 ? name : example[i]));
    const badFile = join(dir, 'stations-bad.csv');
    await writeFile(badFile, csv([head, row(`${P}-1`, `浏览器导入甲${P}`), row(`${P}-2`, `浏览器导入乙${P}`, { '投运日期': '2025-02-30' })]));
    await page.setInputFiles('#import-file', badFile);
    await page.click('#import-check');
    await page.waitForURL(/\/asset\/import\/\d+\?flash=invalid/);
    const table = page.locator('table.import-error-table tbody tr');
    assert.equal(await table.count(), 1);
    assert.equal((await table.first().locator('td[data-label="行号"]').innerText()).trim(), '3');
    assert.equal((await table.first().locator('td[data-label="列"]').innerText()).trim(), '投运日期');
    assert.match(await table.first().locator('td[data-label="问题"]').innerText(), /YYYY-MM-DD/);
    assert.equal(scalar('SELECT COUNT(*) FROM stations WHERE code LIKE ?', `${P}-%`), 0);
    await shot(page, 'import-errors-desktop');

    await page.getByRole('link', { name: '重新上传' }).click();
    const okFile = join(dir, 'stations-fixed.csv');
    await writeFile(okFile, csv([head, row(`${P}-1`, `浏览器导入甲${P}`), row(`${P}-2`, `浏览器导入乙${P}`, { '投运日期': '2025-02-28' })]));
    await page.setInputFiles('#import-file', okFile);
    await page.click('#import-check');
    await page.waitForURL(/flash=ready/);
    await page.click('#import-commit');
    await page.waitForURL(/flash=done/);
    assert.match(await page.locator('.alert-success').innerText(), /导入完成/);
    assert.equal((await page.locator('.import-created').innerText()).trim(), '2');
    assert.equal(scalar('SELECT COUNT(*) FROM stations WHERE code LIKE ?', `${P}-%`), 2);
    await shot(page, 'import-done-desktop');
    await page.getByRole('link', { name: '查看更新记录' }).click();
    await page.waitForURL(/\/base\/records/);
    assert.match(await page.locator('table.data-table').innerText(), /导入 stations-fixed\.csv/);
    await page.goto(`${base}/asset/import/history`);
    assert.match(await page.locator('table.data-table').innerText(), /stations-fixed\.csv/);
    await shot(page, 'import-history-desktop');
    assert.deepEqual(unexpectedProblems(page), []);
  });
});

test('a 6,000-pile file: the dry run and the commit show their progress', async () => {
  await pageOf('desktop', 'import-progress', async (page) => {
    const rows = [['编码', '产品', '所属公司', '仓库']];
    for (let i = 0; i < 6000; i++) rows.push([`${P}K${String(i).padStart(5, '0')}`, 'XC-AC7-W', '蓝途充电（苏州）有限公司', 'WH-SZ-01']);
    const file = join(dir, 'piles-6000.csv');
    await writeFile(file, csv(rows));
    await page.goto(`${base}/asset/import?kind=pile`);
    await page.setInputFiles('#import-file', file);
    // What the page's polls were told, by phase.
    const seen = { check: [], commit: [] };
    await page.route('**/asset/import/progress?*', async (route) => {
      const res = await route.fetch();
      const p = JSON.parse(await res.text());
      if (seen[p.phase]) seen[p.phase].push(Number(p.done));
      await route.fulfill({ response: res });
    });
    // Click from the page itself: Playwright's click would wait for the answer, and the
    // progress is what shows before it.
    await page.evaluate(() => document.querySelector('#import-check').click());
    await progressShot(page, 'form.import-form', 'import-progress-check-desktop');
    await page.waitForURL(/flash=ready/, { timeout: 120_000 });
    await page.evaluate(() => document.querySelector('#import-commit').click());
    await progressShot(page, 'form.import-commit', 'import-progress-commit-desktop');
    await page.waitForURL(/flash=done/, { timeout: 120_000 });
    assert.equal(scalar('SELECT COUNT(*) FROM piles WHERE code LIKE ?', `${P}K%`), 6000);
    console.log(`# progress polled: dry run ${seen.check.join(' ')}; commit ${seen.commit.join(' ')}`);
    assert.ok(seen.check.length + seen.commit.length > 0, 'the page polled the progress');
    assert.ok([...seen.check, ...seen.commit].some((v) => v > 0 && v < 6000), 'a figure between start and end was shown');
    assert.deepEqual(unexpectedProblems(page), []);
  });
});

test('phone: the import page and an error table fit the screen', async () => {
  await pageOf('phone', 'import-phone', async (page) => {
    await page.goto(`${base}/asset/import?kind=subasset`);
    await shot(page, 'import-page-phone');
    const bad = join(dir, 'sub-bad.csv');
    await writeFile(bad, csv([['充电站', '类型', '名称', '长度(米)'], ['NO-SUCH-STATION', '电缆', '电缆一', '10'], [`${P}-1`, '电缆', '', '']]));
    await page.setInputFiles('#import-file', bad);
    await page.click('#import-check');
    await page.waitForURL(/flash=invalid/);
    assert.ok(await page.locator('table.import-error-table tbody tr').count() >= 2);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 1, `no sideways scrolling (${overflow}px)`);
    await shot(page, 'import-errors-phone');
    assert.deepEqual(unexpectedProblems(page), []);
  });
});
