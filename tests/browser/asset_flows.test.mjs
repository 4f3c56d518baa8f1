// Browser flows of the station pages (资产维护, F4.1), as the administrator on a desktop: open
// the station list from the sidebar, create a station through the form, move it to 运营 and
// then 停运 (a step the state machine refuses is sent back with its message), add a
// transformer from 电缆/雨棚/变压器/弱电/基建, export the station list as Excel, read the
// station's update records, and delete both again.  Plus the station list on a phone.
// The station is named with this run's stamp; only the demo's reference data is needed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { base, launch, login, shot, signedInState, unexpectedProblems, unzipText, inPage, pickStation } from './lib.mjs';

let browser, adminState;
before(async () => {
  browser = await launch();
  adminState = await signedInState(browser, 'admin');
});
after(async () => { await browser?.close(); });

const stamp = String(Date.now()).slice(-9);
const code = `BT-ST-${stamp}`;
const name = `苏州工业园区星湖街测试充电站${stamp}`;
const SUZHOU_CO = '蓝途充电（苏州）有限公司';
const HEAD = '蓝途充电运营集团有限公司';
const LESSOR = '金湖置业发展有限公司';

// A page of the given kind signed in as admin; on failure keep a screenshot of where it stopped.
const asAdmin = (kind, shotName, body) => inPage(browser, kind, shotName, { storageState: adminState }, body);

const sidebar = (page) => page.locator('details.sidebar nav');
const rows = (page) => page.locator('table.data-table > tbody > tr');
const rowOf = (page, key) => rows(page).filter({ hasText: key });
const cell = async (row, label) => (await row.locator(`td[data-label="${label}"]`).innerText()).trim();
const flash = async (page) => (await page.locator('.alert-success[role=status]').innerText()).trim();
// A form control by its label, exactly (a required field's label ends in " *").
const field = (page, label) => page.getByLabel(new RegExp(`^${label.replace(/[()]/g, '\\$&')}( \\*)?$`));

async function fromSidebar(page, link, path, heading) {
  await Promise.all([page.waitForURL(`${base}${path}`), sidebar(page).getByRole('link', { name: link, exact: true }).click()]);
  await page.getByRole('heading', { level: 1, name: heading, exact: true }).waitFor();
}

// Records with a page of their own (stations, piles) land there after a save; the list is a click away.
const OWN_PAGE = ['/asset/stations', '/asset/piles'];
let listPath = null;

async function search(page, key) {
  if (listPath) {
    await Promise.all([page.waitForURL(`${base}${listPath}`), page.locator('nav.crumbs').getByRole('link').last().click()]);
    listPath = null;
  }
  await page.getByLabel('关键字').fill(key);
  await Promise.all([page.waitForURL(/[?&]q=/), page.getByRole('button', { name: '查询' }).click()]);
}

async function save(page, path, flashKey) {
  const own = OWN_PAGE.includes(path) && flashKey !== 'deleted';
  await Promise.all([page.waitForURL(own ? new RegExp(`${path}/\\d+\\?flash=${flashKey}$`) : `${base}${path}?flash=${flashKey}`),
    page.getByRole('button', { name: '保存' }).click()]);
  listPath = own ? path : null;
}

// Open the edit form of the listed row holding key.
async function editRow(page, path, key, heading) {
  await Promise.all([page.waitForURL(new RegExp(`${path}/\\d+/edit$`)), rowOf(page, key).getByRole('link', { name: '编辑', exact: true }).click()]);
  await page.getByRole('heading', { level: 1, name: heading }).waitFor();
  return new URL(page.url()).pathname.split('/').at(-2);
}


test('a station: create, 运营 then 停运, a transformer, Excel export, update records, delete', async () => {
  await asAdmin('desktop', 'asset-station-flow', async (page) => {
    await page.goto(`${base}/base/`);
    await fromSidebar(page, '资产维护', '/asset/stations', '充电站');
    await page.locator('table.data-table, .empty-state').first().waitFor();
    await shot(page, 'asset-stations-list');

    // 新增: fill every part of the form; the new station is under construction (施工).
    await Promise.all([page.waitForURL(`${base}/asset/stations/new`), page.getByRole('link', { name: '新增', exact: true }).click()]);
    await page.getByRole('heading', { level: 1, name: '新增 · 充电站' }).waitFor();
    assert.equal(await field(page, '状态').inputValue(), 'approved', 'a new station starts as 立项');
    await field(page, '编码').fill(code);
    await field(page, '名称').fill(name);
    await field(page, '所属公司').selectOption({ label: SUZHOU_CO });
    await field(page, '所在城市').selectOption({ label: '苏州 · 江苏省' });
    await field(page, '地址').fill('江苏省苏州市工业园区星湖街328号');
    await field(page, '纬度').fill('31.318421');
    await field(page, '经度').fill('120.672359');
    await field(page, '状态').selectOption({ label: '施工' });
    await field(page, '资产性质').selectOption({ label: '自建自营' });
    await field(page, '资产归属').selectOption({ label: SUZHOU_CO });
    await field(page, '运营归属').selectOption({ label: HEAD });
    await field(page, '应有桩数').fill('6');
    await field(page, '场地出租方').selectOption({ label: LESSOR });
    await field(page, '租期开始').fill('2026-01-01');
    await field(page, '租期结束').fill('2035-12-31');
    await field(page, '负责人').fill('沈测试');
    await field(page, '负责人电话').fill('13962150000');
    await field(page, '备注').fill('浏览器测试创建');
    await shot(page, 'asset-station-new');
    await save(page, '/asset/stations', 'created');
    assert.equal(await flash(page), '已新增。');

    await search(page, code);
    let row = rowOf(page, code);
    assert.equal(await row.count(), 1, 'the new station is listed once');
    assert.equal(await cell(row, '名称'), name);
    assert.equal(await cell(row, '所属公司'), SUZHOU_CO);
    assert.equal(await cell(row, '所在城市'), '苏州');
    assert.equal(await cell(row, '状态'), '施工');
    assert.equal(await cell(row, '应有桩数'), '6');
    assert.equal(await cell(row, '租期结束'), '2035-12-31');
    assert.equal(await cell(row, '负责人'), '沈测试');

    // 施工 → 停运 is not a step of the state machine: the form comes back with the message.
    const id = await editRow(page, '/asset/stations', code, '编辑 · 充电站');
    assert.equal(await field(page, '纬度').inputValue(), '31.318421');
    await field(page, '状态').selectOption({ label: '停运' });
    const [refused] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === `/asset/stations/${id}`),
      page.getByRole('button', { name: '保存' }).click(),
    ]);
    assert.equal(refused.status(), 422);
    await page.waitForLoadState();
    assert.equal((await page.locator('.alert-danger').innerText()).trim(), '请修正标出的字段。');
    assert.equal((await page.locator('#f-state ~ .invalid-feedback').innerText()).trim(), '状态只能按 立项→施工→运营⇄停运→撤站 变更');
    await shot(page, 'asset-station-state-refused');

    // On the form sent back: 施工 → 运营; then from the list again: 运营 → 停运.
    for (const label of ['运营', '停运']) {
      if (label === '停运') await editRow(page, '/asset/stations', code, '编辑 · 充电站');
      await field(page, '状态').selectOption({ label });
      await save(page, '/asset/stations', 'updated');
      assert.equal(await flash(page), '已保存。');
      await search(page, code);
      row = rowOf(page, code);
      assert.equal(await cell(row, '状态'), label);
    }
    await shot(page, 'asset-station-suspended');

    // A transformer for this station, from 电缆/雨棚/变压器/弱电/基建.
    await fromSidebar(page, '电缆/雨棚/变压器/弱电/基建', '/asset/subassets', '站内设施');
    await Promise.all([page.waitForURL(`${base}/asset/subassets/new`), page.getByRole('link', { name: '新增', exact: true }).click()]);
    await page.getByRole('heading', { level: 1, name: '新增 · 站内设施' }).waitFor();
    assert.equal(await pickStation(field(page, '充电站'), code, code), `${code} ${name}`);
    await field(page, '类型').selectOption({ label: '变压器' });
    await field(page, '名称').fill(`箱式变电站${stamp}`);
    await field(page, '型号').fill('YBM-10/0.4-630kVA');
    await field(page, '容量(kVA)').fill('630');
    await field(page, '施工单位').fill('诚远电力安装工程有限公司');
    await field(page, '造价(元)').fill('268000');
    await field(page, '完工日期').fill('2026-11-20');
    await shot(page, 'asset-subasset-new');
    await save(page, '/asset/subassets', 'created');
    assert.equal(await flash(page), '已新增。');
    await search(page, code);
    const sub = rowOf(page, `箱式变电站${stamp}`);
    assert.equal(await sub.count(), 1);
    assert.equal(await cell(sub, '充电站'), `${code} ${name}`);
    assert.equal(await cell(sub, '类型'), '变压器');
    assert.equal(await cell(sub, '规格/数量'), '630.00 kVA');
    assert.equal(await cell(sub, '施工单位'), '诚远电力安装工程有限公司');
    assert.equal(await cell(sub, '完工日期'), '2026-11-20');
    await shot(page, 'asset-subassets-list');

    // The station list, filtered to this station, as Excel.
    await fromSidebar(page, '资产维护', '/asset/stations', '充电站');
    await search(page, code);
    const [dl] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: '导出 Excel', exact: true }).click(),
    ]);
    assert.equal(await dl.failure(), null);
    assert.match(dl.suggestedFilename(), /\.xlsx$/);
    const bytes = await readFile(await dl.path());
    assert.equal(bytes.subarray(0, 2).toString('latin1'), 'PK', 'an .xlsx is a zip archive');
    const parts = unzipText(bytes);
    assert.ok(Object.keys(parts).some((k) => k.startsWith('xl/worksheets/')), 'has a worksheet');
    const all = Object.values(parts).join('\n');
    for (const text of [code, name, SUZHOU_CO, '停运', '应有桩数']) assert.ok(all.includes(text), `the workbook holds ${text}`);

    // The update records of this station, from the link under its edit form.
    await editRow(page, '/asset/stations', code, '编辑 · 充电站');
    await Promise.all([
      page.waitForURL(`${base}/base/records?entity=station&entity_id=${id}`),
      page.locator('form.delete-form').getByRole('link', { name: '更新记录', exact: true }).click(),
    ]);
    const rec = rows(page);
    assert.equal(await rec.count(), 3, 'create and two state changes');
    const seen = [];
    for (let i = 0; i < 3; i++) {
      const r = rec.nth(i);
      seen.push([await cell(r, '操作'), await cell(r, '记录类型'), await cell(r, '记录'), await cell(r, '操作人'), await cell(r, '字段')]);
    }
    // The record by its code and name, not its id.
    assert.deepEqual(seen, [
      ['修改', '充电站', `${code} ${name}`, '系统管理员', '状态'],
      ['修改', '充电站', `${code} ${name}`, '系统管理员', '状态'],
      ['新增', '充电站', `${code} ${name}`, '系统管理员', ''],
    ]);
    // Newest first: 运营 → 停运, then 施工 → 运营 (shown by name or by code).
    const values = async (i) => [await cell(rec.nth(i), '原值'), await cell(rec.nth(i), '新值')];
    const [a, b] = await values(0);
    assert.match(a, /^(运营|operating)$/);
    assert.match(b, /^(停运|suspended)$/);
    const [c, d] = await values(1);
    assert.match(c, /^(施工|building)$/);
    assert.match(d, /^(运营|operating)$/);
    await shot(page, 'asset-station-records');

    // Delete the facility, then the station (each after the confirm dialog).
    for (const [path, key, heading, listHeading] of [
      ['/asset/subassets', `箱式变电站${stamp}`, '编辑 · 站内设施', '站内设施'],
      ['/asset/stations', code, '编辑 · 充电站', '充电站'],
    ]) {
      await page.goto(`${base}${path}?q=${encodeURIComponent(code)}`);
      await page.getByRole('heading', { level: 1, name: listHeading, exact: true }).waitFor();
      await editRow(page, path, key, heading);
      let asked = null;
      page.once('dialog', (dlg) => { asked = dlg.message(); dlg.accept(); });
      await Promise.all([page.waitForURL(`${base}${path}?flash=deleted`), page.getByRole('button', { name: '删除', exact: true }).click()]);
      assert.equal(asked, '确定删除这条记录吗？删除后不可恢复。');
      assert.equal(await flash(page), '已删除。');
    }
    await search(page, code);
    assert.equal(await rowOf(page, code).count(), 0, 'the station is gone');
    assert.deepEqual(unexpectedProblems(page, [422]), []);
  });
});

test('the station list on a phone', async () => {
  await asAdmin('phone', 'asset-stations-phone', async (page) => {
    const res = await page.goto(`${base}/asset/stations`);
    assert.equal(res.status(), 200);
    await page.getByRole('heading', { level: 1, name: '充电站', exact: true }).waitFor();
    await page.locator('table.data-table, .empty-state').first().waitFor();
    // One city's stations: pick it in the filter bar.
    await page.getByLabel('所在城市').selectOption({ label: '苏州 · 江苏省' });
    await Promise.all([page.waitForURL(/[?&]city_id=\d+/), page.getByRole('button', { name: '查询' }).click()]);
    await page.locator('table.data-table, .empty-state').first().waitFor();
    for (const city of await rows(page).locator('td[data-label="所在城市"]').allInnerTexts()) assert.equal(city.trim(), '苏州');
    const width = await page.evaluate(() => document.documentElement.clientWidth);
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), width, 'no sideways scrolling');
    const first = rows(page).first();
    if (await first.count()) assert.equal(await first.evaluate((tr) => getComputedStyle(tr).display), 'block', 'rows are cards');
    await shot(page, 'asset-stations-phone');
    assert.deepEqual(page.problems, []);
  });
});
