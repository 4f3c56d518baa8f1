// Browser flows of the base-information pages (F1), as the administrator on a desktop: for
// every resource open the list from the sidebar, create a record through the form, find it
// with the keyword filter, edit it, export the list as Excel and CSV, delete it, and see the
// three changes in the update records.  Plus one form sent back with errors.
// Every record is named with this run's stamp, so the tests need no data but the demo's
// reference data (companies, cities, roles) and leave nothing behind.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { base, inPage, launch, login, shot, signedInState, unexpectedProblems, unzipText } from './lib.mjs';

let browser, adminState;
before(async () => {
  browser = await launch();
  adminState = await signedInState(browser, 'admin');
});
after(async () => { await browser?.close(); });

const stamp = String(Date.now()).slice(-9);

// Demo reference data the forms pick from (db/seed/demo.sql, db/migrations).
const SUZHOU_CO = '蓝途充电（苏州）有限公司';
const XINGCHI = '星驰电气股份有限公司';
const TONGYUAN = '通远线缆股份有限公司';

// One resource: where it is, what to type, and which value the edit changes.
const resources = [
  {
    entity: 'company', label: '业务公司', path: '/base/companies',
    key: `BT-CO-${stamp}`,
    async fill(page, key) {
      await page.getByLabel('编码').fill(key);
      await page.getByLabel('名称').fill(`浏览器测试电气${stamp}`);
      await page.getByLabel('类型').selectOption({ label: '外部公司' });
      await page.getByLabel('制造厂商').check();
      await page.getByLabel('联系人').fill('测试联系人');
      await page.getByLabel('电话').fill('0512-6000 1234');
      await page.getByLabel('地址').fill('江苏省苏州市测试路 1 号');
      await page.getByLabel('备注').fill('浏览器测试创建');
    },
    listed: { 名称: `浏览器测试电气${stamp}`, 类型: '外部公司', 业务角色: '制造厂商', 电话: '0512-6000 1234' },
    edit: { label: '联系人', field: 'contact', from: '测试联系人', to: `改后联系人${stamp}` },
  },
  {
    entity: 'city', label: '城市', path: '/base/cities',
    key: `T${stamp}`,
    async fill(page, key) {
      await page.getByLabel('编码').fill(key);
      await page.getByLabel('名称').fill(`测试市${stamp}`);
      await page.getByLabel('省份').fill('江苏省');
      await page.getByLabel('所属公司').selectOption({ label: SUZHOU_CO });
      await page.getByLabel('纬度').fill('31.3');
      await page.getByLabel('经度').fill('120.6');
    },
    listed: { 名称: `测试市${stamp}`, 所属公司: SUZHOU_CO },
    edit: { label: '省份', field: 'province', from: '江苏省', to: '浙江省' },
  },
  {
    entity: 'product', label: '产品信息', path: '/base/products',
    key: `BT-P-${stamp}`,
    async fill(page, key) {
      await page.getByLabel('制造厂商').selectOption({ label: XINGCHI });
      await page.getByLabel('型号').fill(key);
      await page.getByLabel('名称').fill(`测试直流桩${stamp}`);
      await page.getByLabel('额定功率(kW)').fill('120');
      await page.getByLabel('交直流').selectOption({ label: '直流' });
      await page.getByLabel('枪数').fill('2');
      await page.getByLabel('充电模式').selectOption({ label: '国标2015' });
      await page.getByLabel('质保期(月)').fill('36');
    },
    listed: { 名称: `测试直流桩${stamp}`, 制造厂商: XINGCHI, 交直流: '直流', 枪数: '2', 充电模式: '国标2015' },
    edit: { label: '质保期(月)', field: 'warranty_months', from: '36', to: '48' },
  },
  {
    entity: 'cable', label: '电缆产品', path: '/base/cables',
    key: `BT-CB-${stamp}`,
    async fill(page, key) {
      await page.getByLabel('型号').fill(key);
      await page.getByLabel('规格').fill('YJV-0.6/1kV 3×95+1×50');
      await page.getByLabel('单位').selectOption({ label: '卷' });
      await page.getByLabel('制造厂商').selectOption({ label: TONGYUAN });
      await page.getByLabel('备注').fill('浏览器测试创建');
    },
    listed: { 单位: '卷', 制造厂商: TONGYUAN },
    edit: { label: '规格', field: 'spec', from: 'YJV-0.6/1kV 3×95+1×50', to: `YJV-0.6/1kV 4×120 改${stamp}` },
  },
  {
    entity: 'warehouse', label: '仓库管理', path: '/base/warehouses',
    key: `BT-WH-${stamp}`,
    async fill(page, key) {
      await page.getByLabel('编码').fill(key);
      await page.getByLabel('名称').fill(`测试仓${stamp}`);
      await page.getByLabel('所属公司').selectOption({ label: SUZHOU_CO });
      await page.getByLabel('所在城市').selectOption({ label: '苏州 · 江苏省' });
      await page.getByLabel('地址').fill('苏州工业园区测试路 8 号');
      await page.getByLabel('仓管员').fill('测试仓管');
      await page.getByLabel('电话').fill('13900001111');
    },
    listed: { 名称: `测试仓${stamp}`, 所属公司: SUZHOU_CO, 所在城市: '苏州' },
    edit: { label: '仓管员', field: 'keeper', from: '测试仓管', to: `新仓管${stamp}` },
  },
  {
    entity: 'dict', label: '数据字典', path: '/base/dicts',
    key: `bt-${stamp}`,
    async fill(page, key) {
      await page.getByLabel('字典').selectOption({ label: '通讯方式' });
      await page.getByLabel('编码').fill(key);
      await page.getByLabel(/^名称/).fill(`测试通讯${stamp}`);
      await page.getByLabel('英文名称').fill(`Test link ${stamp}`);
      await page.getByLabel('排序').fill('99');
    },
    listed: { 字典: '通讯方式', 名称: `测试通讯${stamp}`, 排序: '99', 启用: '是' },
    edit: { label: '英文名称', field: 'name_en', from: `Test link ${stamp}`, to: `Changed link ${stamp}` },
  },
  {
    entity: 'user', label: '用户管理', path: '/base/users',
    key: `bt.user.${stamp}`,
    async fill(page, key) {
      await page.getByLabel('用户名').fill(key);
      await page.getByLabel('名称').fill(`测试用户${stamp}`);
      await page.getByLabel('角色').selectOption({ label: '巡检员' });
      await page.getByLabel('所属公司').selectOption({ label: SUZHOU_CO });
      await page.getByLabel('电话').fill('13900002222');
      await page.getByLabel('邮箱').fill(`bt${stamp}@example.com`);
      await page.getByLabel('界面语言').selectOption({ label: '简体中文' });
      await page.getByLabel('密码').fill('Browser1234');
    },
    listed: { 名称: `测试用户${stamp}`, 角色: '巡检员', 所属公司: SUZHOU_CO, 启用: '是' },
    edit: { label: '名称', field: 'name', from: `测试用户${stamp}`, to: `改名用户${stamp}` },
  },
];

// Run a test's body on an admin page, opened on the home page; on failure keep a screenshot of
// where it stopped (opening the home page included).
const asAdmin = (name, body) => inPage(browser, 'desktop', name, { storageState: adminState }, async (page) => {
  await page.goto(`${base}/base/`);
  await page.getByRole('heading', { level: 1, name: /系统管理员/ }).waitFor();
  await body(page);
});

// The sidebar link of a resource, by its text.
function navLink(page, text) {
  return page.locator('details.sidebar nav').getByRole('link', { name: text, exact: true });
}

async function openFromSidebar(page, text, path) {
  await Promise.all([page.waitForURL(`${base}${path}`), navLink(page, text).click()]);
  await page.getByRole('heading', { level: 1, name: text }).waitFor();
}

// Type a keyword into the filter bar and run the query.
async function search(page, key) {
  await page.getByLabel('关键字').fill(key);
  await Promise.all([page.waitForURL(/[?&]q=/), page.getByRole('button', { name: '查询' }).click()]);
}

function rowOf(page, key) {
  return page.locator('table.data-table > tbody > tr').filter({ hasText: key });
}

async function cell(row, label) {
  return (await row.locator(`td[data-label="${label}"]`).innerText()).trim();
}

async function flash(page) {
  return (await page.locator('.alert-success[role=status]').innerText()).trim();
}

// Click an export link and return the downloaded file's bytes and suggested name.
async function download(page, linkText) {
  const [dl] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: linkText, exact: true }).click(),
  ]);
  assert.equal(await dl.failure(), null);
  return { name: dl.suggestedFilename(), bytes: await readFile(await dl.path()) };
}


for (const res of resources) {
  test(`${res.label} (${res.path}): create, find, edit, export and delete through the pages`, async () => {
    await asAdmin(`base-${res.entity}`, async (page) => {
      const shotName = `base-${res.entity}`;
      // The list, reached from the sidebar.
      await openFromSidebar(page, res.label, res.path);
      await page.locator('table.data-table, .empty-state').first().waitFor();
      await shot(page, `${shotName}-list`);

      // 新增: the empty form.
      await Promise.all([page.waitForURL(`${base}${res.path}/new`), page.getByRole('link', { name: '新增', exact: true }).click()]);
      await page.getByRole('heading', { level: 1, name: `新增 · ${res.label}` }).waitFor();
      await res.fill(page, res.key);
      await shot(page, `${shotName}-new`);
      await Promise.all([page.waitForURL(`${base}${res.path}?flash=created`), page.getByRole('button', { name: '保存' }).click()]);
      assert.equal(await flash(page), '已新增。');

      // The new row, found with the keyword filter.
      await search(page, res.key);
      let row = rowOf(page, res.key);
      assert.equal(await row.count(), 1, 'the new record is listed once');
      for (const [label, value] of Object.entries(res.listed))
        assert.equal(await cell(row, label), value, `list column ${label}`);
      assert.equal(await cell(row, res.edit.label), res.edit.from);

      // 编辑 from the row: the form shows the stored values; change one.
      await Promise.all([page.waitForURL(new RegExp(`${res.path}/\\d+/edit$`)), row.getByRole('link', { name: '编辑', exact: true }).click()]);
      const id = new URL(page.url()).pathname.split('/').at(-2);
      await page.getByRole('heading', { level: 1, name: `编辑 · ${res.label}` }).waitFor();
      const input = page.locator(`#f-${res.edit.field}`);
      assert.equal(await input.inputValue(), res.edit.from);
      await input.fill(res.edit.to);
      await Promise.all([page.waitForURL(`${base}${res.path}?flash=updated`), page.getByRole('button', { name: '保存' }).click()]);
      assert.equal(await flash(page), '已保存。');
      await search(page, res.key);
      row = rowOf(page, res.key);
      assert.equal(await row.count(), 1);
      assert.equal(await cell(row, res.edit.label), res.edit.to, 'the list shows the edited value');

      // Exports of the filtered list.
      const xlsx = await download(page, '导出 Excel');
      assert.match(xlsx.name, /\.xlsx$/);
      assert.equal(xlsx.bytes.subarray(0, 2).toString('latin1'), 'PK', 'an .xlsx is a zip archive');
      const parts = unzipText(xlsx.bytes);
      assert.ok(Object.keys(parts).some((k) => k.startsWith('xl/worksheets/')), 'has a worksheet');
      assert.ok(Object.values(parts).some((t) => t.includes(res.key)), 'the workbook holds the row');
      const csv = await download(page, '导出 CSV');
      assert.match(csv.name, /\.csv$/);
      assert.deepEqual([...csv.bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'CSV starts with a UTF-8 BOM');
      const text = csv.bytes.toString('utf8');
      assert.ok(text.includes(res.key), 'the CSV holds the row');
      assert.ok(text.includes(res.edit.to), 'the CSV holds the edited value');

      // 删除 from the edit form, after the confirm dialog.
      await Promise.all([page.waitForURL(/\/edit$/), rowOf(page, res.key).getByRole('link', { name: '编辑', exact: true }).click()]);
      let asked = null;
      page.once('dialog', (d) => { asked = d.message(); d.accept(); });
      await Promise.all([page.waitForURL(`${base}${res.path}?flash=deleted`), page.getByRole('button', { name: '删除', exact: true }).click()]);
      assert.equal(asked, '确定删除这条记录吗？删除后不可恢复。');
      assert.equal(await flash(page), '已删除。');
      await search(page, res.key);
      assert.equal(await rowOf(page, res.key).count(), 0, 'the row is gone');
      await page.getByText('暂无数据').waitFor();

      // The update records, filtered to this record, show the three changes.
      await openFromSidebar(page, '更新记录', '/base/records');
      await page.getByLabel('记录类型').selectOption({ label: res.label });
      await page.getByLabel('记录编号').fill(id);
      await Promise.all([page.waitForURL(/entity_id=/), page.getByRole('button', { name: '查询' }).click()]);
      const rows = page.locator('table.data-table > tbody > tr');
      assert.equal(await rows.count(), 3, 'create, update, delete');
      const seen = [];
      for (let i = 0; i < 3; i++) {
        const r = rows.nth(i);
        seen.push([await cell(r, '操作'), await cell(r, '记录'), await cell(r, '操作人')]);
      }
      // The record is gone: named by its id, without a link.
      assert.deepEqual(seen, [['删除', `#${id}`, '系统管理员'], ['修改', `#${id}`, '系统管理员'], ['新增', `#${id}`, '系统管理员']]);
      assert.equal(await rows.locator('td[data-label="记录"] a').count(), 0);
      const upd = rows.nth(1);
      assert.equal(await cell(upd, '字段'), res.edit.label);
      assert.equal(await cell(upd, '原值'), res.edit.from);
      assert.equal(await cell(upd, '新值'), res.edit.to);
      if (res.entity === 'company') await shot(page, 'base-records');

      assert.deepEqual(page.problems, []);
    });
  });
}

test('a form sent with errors shows the messages and keeps what was typed', async () => {
  await asAdmin('base-company-form-errors', async (page) => {
    await openFromSidebar(page, '业务公司', '/base/companies');
    await page.getByRole('link', { name: '新增', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: '新增 · 业务公司' }).waitFor();
    // Code and name left empty, a bad phone number, the rest filled in.
    await page.getByLabel('类型').selectOption({ label: '外部公司' });
    await page.getByLabel('供应商').check();
    await page.getByLabel('联系人').fill('保留的联系人');
    await page.getByLabel('电话').fill('电话abc');
    await page.getByLabel('备注').fill(`第一行\n第二行 ${stamp}`);
    const [resp] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/base/companies'),
      page.getByRole('button', { name: '保存' }).click(),
    ]);
    assert.equal(resp.status(), 422);
    await page.waitForLoadState();
    await page.getByRole('heading', { level: 1, name: '新增 · 业务公司' }).waitFor();
    assert.equal(await page.locator('.alert-danger').innerText(), '请修正标出的字段。');
    const message = (name) => page.locator(`#f-${name} ~ .invalid-feedback`).innerText();
    assert.equal(await message('code'), '必填');
    assert.equal(await message('name'), '必填');
    assert.equal(await message('phone'), '电话号码格式不正确');
    for (const name of ['code', 'name', 'phone'])
      assert.match(await page.locator(`#f-${name}`).getAttribute('class'), /\bis-invalid\b/);
    assert.equal(await page.locator('.invalid-feedback').count(), 3, 'no message on the good fields');
    // What the user typed is still there.
    assert.equal(await page.getByLabel('类型').inputValue(), 'outside');
    assert.equal(await page.getByLabel('供应商').isChecked(), true);
    assert.equal(await page.getByLabel('制造厂商').isChecked(), false);
    assert.equal(await page.getByLabel('联系人').inputValue(), '保留的联系人');
    assert.equal(await page.getByLabel('电话').inputValue(), '电话abc');
    assert.equal(await page.getByLabel('备注').inputValue(), `第一行\n第二行 ${stamp}`);
    await shot(page, 'base-company-form-errors');
    assert.deepEqual(unexpectedProblems(page, [422]), []);
  });
});
