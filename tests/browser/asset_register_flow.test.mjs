// The asset register end to end, as a person does it (issue 3, "Must show"): the administrator
// creates a station with a canopy (雨棚) → generates 20 labels → opens the print sheet → registers
// piles from three of the codes → binds them to the station → edits a pile's software version →
// reads the update records → finds the station on the map → exports the pile list filtered to
// the station as Excel.  Desktop, then the station's piles on a phone.  No console errors.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { base, inPage, launch, shot, signedInState, unexpectedProblems, unzipText, pickStation } from './lib.mjs';
import { as, scalar, sql, mapRows } from '../http/lib.mjs';
import { makeRule } from '../http/qr.mjs';

let browser, adminState, rule;
before(async () => {
  browser = await launch();
  adminState = await signedInState(browser, 'admin');
  rule = await makeRule(await as('admin'), { company_id: scalar("SELECT id FROM companies WHERE code = 'CC-SZ'") });
});
after(async () => { await browser?.close(); });

const stamp = String(Date.now()).slice(-9);
const CODE = `E2E-${stamp}`;
const NAME = `苏州高新区狮山路端到端测试站${stamp}`;
const SZ_NAME = '蓝途充电（苏州）有限公司';
const PRODUCT = '星驰电气股份有限公司 XC-DC60-2 · 60.00kW';
let stationId, pileCodes = [];

const pageOf = (kind, name, body) => inPage(browser, kind, name, { storageState: adminState }, body);

const flash = async (page) => (await page.locator('.alert-success[role=status]').innerText()).trim();
const field = (page, label) => page.getByLabel(new RegExp(`^${label.replace(/[()]/g, '\\$&')}( \\*)?$`));
const save = (page, pattern) => Promise.all([page.waitForURL(pattern), page.getByRole('button', { name: '保存' }).click()]);

test('station with a canopy → 20 labels → print sheet → piles from codes → bind → versions → records → map → Excel', async () => {
  await pageOf('desktop', 'e2e-register', async (page) => {
    // 1. The station, operating, expecting three piles.
    await page.goto(`${base}/asset/stations/new`);
    await field(page, '编码').fill(CODE);
    await field(page, '名称').fill(NAME);
    await field(page, '所属公司').selectOption({ label: SZ_NAME });
    await field(page, '所在城市').selectOption({ label: '苏州 · 江苏省' });
    await field(page, '地址').fill('江苏省苏州市虎丘区狮山路88号');
    await field(page, '纬度').fill('31.298770');
    await field(page, '经度').fill('120.561502');
    await field(page, '状态').selectOption({ label: '运营' });
    await field(page, '应有桩数').fill('3');
    await save(page, /\/asset\/stations\/\d+\?flash=created$/);
    stationId = scalar('SELECT id FROM stations WHERE code = ?', CODE);
    assert.ok(stationId, 'the station is stored');

    // 2. Its canopy.
    await page.goto(`${base}/asset/subassets/new`);
    assert.equal(await pickStation(field(page, '充电站'), CODE, CODE), `${CODE} ${NAME}`);
    await field(page, '类型').selectOption({ label: '雨棚' });
    await field(page, '名称').fill(`钢结构雨棚${stamp}`);
    await page.locator('#f-area_m2').fill('120');
    await shot(page, 'e2e-01-canopy');
    await save(page, /\/asset\/subassets\?flash=created$/);
    assert.equal(scalar("SELECT COUNT(*) FROM sub_assets WHERE station_id = ? AND kind = 'canopy'", stationId), 1);

    // 3. Twenty labels of the 苏州 rule.
    await page.goto(`${base}/qr/batches/new`);
    await page.locator('#f-rule_id').selectOption(String(rule.id));
    await page.locator('#f-count').fill('20');
    await Promise.all([page.waitForURL(/\/qr\/batches\/\d+\?flash=created/), page.getByRole('button', { name: '生成二维码' }).click()]);
    const batchUrl = page.url();
    const batchId = Number(new URL(batchUrl).pathname.split('/').pop());
    assert.equal(scalar('SELECT COUNT(*) FROM qr_codes WHERE batch_id = ?', batchId), 20);

    // 4. The print sheet: twenty labels, each image drawn.
    await page.locator('form.label-open select[name=layout]').selectOption('a4');
    await Promise.all([page.waitForURL(/\/labels\?layout=a4/), page.getByRole('button', { name: '打开标签页' }).click()]);
    const imgs = page.locator('.sheet-a4 .label img');
    assert.equal(await imgs.count(), 20);
    await imgs.first().evaluate((img) => img.decode());
    assert.ok(await imgs.first().evaluate((img) => img.naturalWidth > 0), 'the first label is drawn');
    await shot(page, 'e2e-02-labels');

    // 5. Three piles from the batch's codes, into the 苏州 central warehouse.
    await page.goto(batchUrl.replace(/\?.*$/, ''));
    const form = page.locator('form.piles-form');
    await form.locator('#f-product_id').selectOption({ label: PRODUCT });
    await form.locator('#f-company_id').selectOption({ label: SZ_NAME });
    await form.locator('#f-warehouse_id').selectOption(String(scalar("SELECT id FROM warehouses WHERE code = 'WH-SZ-01'")));
    await form.locator('#f-count').fill('3');
    await Promise.all([page.waitForURL(/flash=piles_created/), form.getByRole('button', { name: '登记充电桩' }).click()]);
    assert.equal(await flash(page), '已按编码登记充电桩，数量：3');
    pileCodes = sql('SELECT p.code FROM piles p JOIN qr_codes q ON q.pile_id = p.id WHERE q.batch_id = ? ORDER BY p.code', batchId).map((r) => r[0]);
    assert.equal(pileCodes.length, 3);
    await shot(page, 'e2e-03-piles-from-codes');

    // 6. Bind each to the station from its card; the third closes the count.
    for (const code of pileCodes) {
      const id = scalar('SELECT id FROM piles WHERE code = ?', code);
      await page.goto(`${base}/asset/piles/${id}`);
      await pickStation(page.getByLabel('充电站'), CODE.toLowerCase(), CODE);
      await Promise.all([page.waitForURL(`${base}/asset/piles/${id}?flash=bound`), page.getByRole('button', { name: '绑定', exact: true }).click()]);
      assert.equal(await flash(page), '已绑定到充电站。');
    }
    assert.equal(scalar('SELECT COUNT(*) FROM piles WHERE station_id = ?', stationId), 3);
    assert.equal(scalar("SELECT COUNT(*) FROM anomalies WHERE station_id = ? AND status = 'open'", stationId), 0,
      'bound count equals the expected count: no open quantity anomaly');
    await shot(page, 'e2e-04-bound');

    // 7. Edit the first pile's software version.
    const first = scalar('SELECT id FROM piles WHERE code = ?', pileCodes[0]);
    const was = scalar('SELECT sw_version FROM piles WHERE id = ?', first) ?? '';
    await page.goto(`${base}/asset/piles/${first}`);
    await Promise.all([page.waitForURL(`${base}/asset/piles/${first}/edit`), page.getByRole('link', { name: '编辑桩信息' }).click()]);
    await field(page, '软件版本').fill('V3.2.1');
    await field(page, '硬件版本').fill('H2.0');
    await save(page, /flash=updated/);
    assert.equal(scalar('SELECT sw_version FROM piles WHERE id = ?', first), 'V3.2.1');

    // 8. Its update records: the version change with user, old and new value.
    await page.goto(`${base}/asset/piles/${first}`);
    await Promise.all([page.waitForURL(/\/base\/records\?entity=pile&entity_id=\d+/), page.getByRole('main').getByRole('link', { name: '更新记录' }).click()]);
    const rec = page.locator('table.data-table > tbody > tr').filter({ hasText: 'V3.2.1' });
    assert.equal(await rec.count(), 1);
    assert.equal((await rec.locator('td[data-label="操作人"]').innerText()).trim(), '系统管理员');
    assert.equal((await rec.locator('td[data-label="原值"]').innerText()).trim(), was);
    assert.equal((await rec.locator('td[data-label="新值"]').innerText()).trim(), 'V3.2.1');
    await shot(page, 'e2e-05-records');

    // 9. The station on the map of 苏州's company, with its three piles.
    const [data] = await Promise.all([
      page.waitForResponse((r) => new URL(r.url()).pathname === '/asset/map/data'),
      page.goto(`${base}/asset/map?company_id=${scalar("SELECT id FROM companies WHERE code = 'CC-SZ'")}&state=operating`),
    ]);
    assert.equal(data.status(), 200);
    const mine = mapRows(await data.json()).find((s) => s.code === CODE);
    assert.ok(mine, 'the station is in the map data');
    assert.equal(mine.state, 'operating');
    await page.waitForFunction(() => !document.getElementById('station-map').hasAttribute('aria-busy'));
    await shot(page, 'e2e-06-map');

    // 10. The pile list filtered to the station, exported as Excel.
    await page.goto(`${base}/asset/piles?station_id=${stationId}`);
    assert.equal(await page.locator('table.data-table > tbody > tr').count(), 3);
    const [dl] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: '导出 Excel', exact: true }).click()]);
    assert.equal(await dl.failure(), null);
    assert.match(dl.suggestedFilename(), /\.xlsx$/);
    const all = Object.values(unzipText(await readFile(await dl.path()))).join('\n');
    for (const code of pileCodes) assert.ok(all.includes(code), `the workbook holds ${code}`);
    assert.ok(all.includes('V3.2.1'), 'the workbook holds the edited version');
    const other = scalar('SELECT code FROM piles WHERE station_id <> ? ORDER BY id LIMIT 1', stationId);
    assert.ok(!all.includes(other), 'only the filtered piles are exported');
    assert.deepEqual(unexpectedProblems(page), []);
  });
});

test('the station\'s piles on a phone', async () => {
  assert.ok(stationId, 'the desktop flow made the station');
  await pageOf('phone', 'e2e-phone', async (page) => {
    const r = await page.goto(`${base}/asset/piles?station_id=${stationId}`);
    assert.equal(r.status(), 200);
    assert.equal(await page.locator('table.data-table > tbody > tr').count(), 3);
    const width = await page.evaluate(() => document.documentElement.clientWidth);
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), width, 'no sideways scrolling');
    await shot(page, 'e2e-07-piles-phone');
    assert.deepEqual(page.problems, []);
  });
});
