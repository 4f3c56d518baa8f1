// Update records (F4.21 on the base pages): what an edit writes, how /base/records shows it
// (China time, 2-decimal values), its filters, the export, and who may see it.
import { test, before } from 'node:test';
import { as, sql, scalar, assert } from './lib.mjs';
import * as C from './crud.mjs';

const path = '/base/records';
const HEADER = ['时间', '操作人', '记录类型', '记录', '操作', '字段', '原值', '新值', '来源'];
const ADMIN_ID = C.idOf('users', 'username', 'admin');
const LEADER_ID = C.idOf('users', 'username', 'leader');
let admin, productId, model, productName;

function records(client, params) {
  return C.list(client, { path }, params);
}

function day(offset) {
  return new Date(Date.now() + 8 * 3600 * 1000 + offset * 86400 * 1000).toISOString().slice(0, 10);
}

before(async () => {
  admin = await as('admin');
  model = C.ucode('REC-', 20);
  const fields = {
    manufacturer_id: C.idOf('companies', 'code', 'MF-XC'), model, name: '记录测试桩', rated_power_kw: '60',
    current_type: 'DC', connectors: '2', charging_mode: 'gb2015', warranty_months: '36', note: '',
  };
  const c = await C.create(admin, C.R.product, fields);
  C.assertRedirect(c, C.R.product, 'created');
  productId = c.id;
  // The records name the product as its maker and model, not by its id.
  productName = `${scalar("SELECT name FROM companies WHERE code = 'MF-XC'")} ${model}`;
  const u = await C.update(admin, C.R.product, productId, { ...fields, rated_power_kw: '62.5' });
  C.assertRedirect(u, C.R.product, 'updated');
  // The same power written differently is no change: no record.
  const same = await C.update(admin, C.R.product, productId, { ...fields, rated_power_kw: '62.50' });
  C.assertRedirect(same, C.R.product, 'updated');
  assert.equal(C.auditOf(same), 0);
});

test('the rated-power edit is one update record with 2-decimal values', () => {
  assert.deepEqual(C.audit('product', productId).map((a) => [a.action, a.field, a.old_value, a.new_value, a.user]), [
    ['create', null, null, model, 'admin'],
    ['update', 'rated_power_kw', '60.00', '62.50', 'admin'],
  ]);
});

test('/base/records shows it: user name, China time, kind, id, field label, old → new', async () => {
  const r = await records(admin, { entity: 'product', entity_id: productId });
  assert.equal(r.status, 200);
  assert.equal(r.rows.length, 2);
  const [upd, crt] = r.rows;	// newest first
  const at = sql(`SELECT DATE_FORMAT(at + INTERVAL 8 HOUR, '%Y-%m-%d %H:%i:%s') FROM audit_log
    WHERE entity = 'product' AND entity_id = ? AND action = 'update'`, productId)[0][0];
  assert.deepEqual(upd, [at, '系统管理员', '产品信息', productName, '修改', '额定功率(kW)', '60.00', '62.50', '']);
  assert.deepEqual(crt.slice(1, 8), ['系统管理员', '产品信息', productName, '新增', '', '', model]);
  // The time is China Standard Time: within a few minutes of now at UTC+8.
  const shown = Date.parse(at.replace(' ', 'T') + '+08:00');
  assert.ok(Math.abs(Date.now() - shown) < 5 * 60 * 1000, `${at} is now in China time`);
  assert.match(r.text, /<option value="product" selected>/, 'the filter keeps its value');
  // Oldest first on request.
  const asc = await records(admin, { entity: 'product', entity_id: productId, sort: 'at', dir: 'asc' });
  assert.deepEqual(asc.rows.map((row) => row[4]), ['新增', '修改']);
});

test('filters: action, field, user, date range (today in China time)', async () => {
  const q = { entity: 'product', entity_id: productId };
  const actions = async (extra) => (await records(admin, { ...q, ...extra })).rows.map((row) => row[4]);
  assert.deepEqual(await actions({ action: 'update' }), ['修改']);
  assert.deepEqual(await actions({ action: 'create' }), ['新增']);
  assert.deepEqual(await actions({ action: 'delete' }), []);
  assert.deepEqual(await actions({ field: 'rated_power_kw' }), ['修改']);
  assert.deepEqual(await actions({ field: 'name' }), []);
  assert.deepEqual(await actions({ user_id: ADMIN_ID }), ['修改', '新增']);
  assert.deepEqual(await actions({ user_id: LEADER_ID }), []);
  assert.deepEqual(await actions({ from: day(0), to: day(0) }), ['修改', '新增']);
  assert.deepEqual(await actions({ from: day(0) }), ['修改', '新增']);
  assert.deepEqual(await actions({ to: day(0) }), ['修改', '新增']);
  assert.deepEqual(await actions({ from: day(1) }), []);
  assert.deepEqual(await actions({ to: day(-1) }), []);
  // Another record's id and another kind do not match.
  assert.deepEqual((await records(admin, { entity: 'company', entity_id: productId, action: 'update', field: 'rated_power_kw' })).rows, []);
  // Without the id filter the record is still among the product updates of today by admin.
  const wide = await records(admin, { entity: 'product', action: 'update', user_id: ADMIN_ID, from: day(0), per: 100 });
  assert.ok(wide.rows.some((row) => row[3] === productName && row[7] === '62.50'));
});

test('bad filters: 400 with a message', async () => {
  for (const params of [
    { from: '2026-13-01' }, { from: 'yesterday' }, { to: '2026-02-30' }, { to: '2026/01/01' },
    { entity: 'bogus' }, { entity_id: 'abc' }, { entity_id: '-3' }, { action: 'drop' }, { user_id: 'x' },
  ]) {
    const r = await records(admin, params);
    assert.equal(r.status, 400, JSON.stringify(params));
    assert.match(C.alertText(r.text) ?? '', /筛选条件无效/);
    assert.equal((await C.exportFile(admin, { path }, { fmt: 'csv', ...params })).status, 400, `export ${JSON.stringify(params)}`);
  }
});

test('export CSV of the records', async () => {
  const rows = C.assertCsv(await C.exportFile(admin, { path }, { fmt: 'csv', entity: 'product', entity_id: productId }), HEADER);
  assert.deepEqual(rows.slice(1).map((row) => row.slice(1)), [
    ['系统管理员', '产品信息', productName, '修改', '额定功率(kW)', '60.00', '62.50', ''],
    ['系统管理员', '产品信息', productName, '新增', '', '', model, ''],
  ]);
  C.assertXlsx(await C.exportFile(admin, { path }, { fmt: 'xlsx', entity: 'product', entity_id: productId }));
});

test('the leader may view the records; the inspector may not', async () => {
  const leader = await as('leader');
  const r = await records(leader, { entity: 'product', entity_id: productId, action: 'update' });
  assert.equal(r.status, 200);
  assert.deepEqual(r.rows.map((row) => row.slice(5)), [['额定功率(kW)', '60.00', '62.50', '']]);
  const inspector = await as('inspector');
  const denied = await inspector.get(`${path}?entity=product&entity_id=${productId}`);
  assert.equal(denied.status, 403);
  assert.ok(!denied.text.includes('62.50'));
  assert.equal((await C.exportFile(inspector, { path }, { fmt: 'csv' })).status, 403);
  assert.equal(scalar('SELECT COUNT(*) FROM audit_log WHERE entity_id = ? AND entity = ?', productId, 'product'), 2);
});
