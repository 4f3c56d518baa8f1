// Pile products (F1.2): CRUD cycle as admin, numeric validation, manufacturer reference.
import { test, before } from 'node:test';
import { as, sql, assert } from './lib.mjs';
import * as C from './crud.mjs';

const res = C.R.product;
const HEADER = ['型号', '名称', '制造厂商', '额定功率(kW)', '交直流', '枪数', '充电模式', '质保期(月)'];
const XC = C.idOf('companies', 'code', 'MF-XC');
const JN = C.idOf('companies', 'code', 'MF-JN');
let admin;

before(async () => {
  admin = await as('admin');
});

function product(over = {}) {
  const model = C.ucode('PM-', 20);
  return {
    manufacturer_id: XC, model, name: `测试桩${model}`, rated_power_kw: '60', current_type: 'DC',
    connectors: '2', charging_mode: 'gb2015', warranty_months: '36', note: '备注', ...over,
  };
}

const main = product({ name: '=1+2 测试桩' + C.ucode('', 8) });
let id;

test('create: 303, row stored, audit "create"', async () => {
  const r = await C.create(admin, res, main);
  C.assertRedirect(r, res, 'created');
  id = r.id;
  assert.deepEqual(sql(`SELECT manufacturer_id, model, name, rated_power_kw, current_type, connectors,
    charging_mode, warranty_months, note, version FROM products WHERE id = ?`, id)[0],
  [String(XC), main.model, main.name, '60.00', 'DC', '2', 'gb2015', '36', '备注', '1']);
  assert.deepEqual(C.audit('product', id).map((a) => [a.action, a.user, a.new_value]), [['create', 'admin', main.model]]);
});

test('list: the row with labels; filters; numeric sort both ways', async () => {
  const q = await C.list(admin, res, { q: main.model });
  assert.deepEqual(q.ids, [id]);
  assert.deepEqual(q.rows[0].slice(0, 8), [main.model, main.name, '星驰电气股份有限公司', '60.00', '直流', '2', '国标2015', '36']);
  assert.deepEqual((await C.list(admin, res, { q: main.model, manufacturer_id: XC, current_type: 'DC', rated_power_kw: '60.00' })).ids, [id]);
  assert.deepEqual((await C.list(admin, res, { q: main.model, manufacturer_id: JN })).ids, []);
  assert.deepEqual((await C.list(admin, res, { q: main.model, current_type: 'AC' })).ids, []);
  assert.equal((await C.list(admin, res, { current_type: 'XX' })).status, 400);
  assert.equal((await C.list(admin, res, { manufacturer_id: 'abc' })).status, 400);
  // 9.5 kW sorts before 60 kW (numbers, not text), and after it descending.
  const small = product({ model: main.model + 'S', name: main.name + '小', rated_power_kw: '9.5' });
  const r2 = await C.create(admin, res, small);
  C.assertRedirect(r2, res, 'created');
  const asc = await C.list(admin, res, { q: main.model, sort: 'rated_power_kw', dir: 'asc' });
  assert.deepEqual(asc.rows.map((row) => row[3]), ['9.50', '60.00']);
  const desc = await C.list(admin, res, { q: main.model, sort: 'rated_power_kw', dir: 'desc' });
  assert.deepEqual(desc.rows.map((row) => row[3]), ['60.00', '9.50']);
  const byModel = await C.list(admin, res, { q: main.model, sort: 'model', dir: 'desc' });
  assert.deepEqual(byModel.ids, [r2.id, id]);
  C.assertRedirect(await C.del(admin, res, r2.id), res, 'deleted');
});

test('edit page shows the stored values', async () => {
  const r = await C.edit(admin, res, id);
  assert.equal(r.status, 200);
  const want = { ...main, manufacturer_id: String(XC), rated_power_kw: '60.00' };
  for (const f of Object.keys(want)) assert.equal(C.formValue(r.text, f), want[f], f);
});

test('update: 303, version+1, audit rows for exactly the changed fields', async () => {
  const changed = { ...main, rated_power_kw: '62.5', warranty_months: '48', charging_mode: '', connectors: '02' };
  const r = await C.update(admin, res, id, changed);
  C.assertRedirect(r, res, 'updated');
  assert.deepEqual(sql('SELECT rated_power_kw, warranty_months, charging_mode, connectors, version FROM products WHERE id = ?', id)[0],
    ['62.50', '48', null, '2', '2']);
  const a = C.audit('product', id, "AND a.action = 'update'").map((x) => [x.field, x.old_value, x.new_value]);
  assert.deepEqual(a.sort(), [
    ['charging_mode', 'gb2015', ''],
    ['rated_power_kw', '60.00', '62.50'],
    ['warranty_months', '36', '48'],
  ].sort(), '"02" connectors is the stored 2: no change recorded');
  Object.assign(main, changed, { connectors: '2' });
});

test('export CSV and XLSX', async () => {
  const rows = C.assertCsv(await C.exportFile(admin, res, { fmt: 'csv', q: main.model }), HEADER);
  assert.deepEqual(rows.slice(1), [[main.model, "'" + main.name, '星驰电气股份有限公司', '62.50', '直流', '2', '', '48']]);
  C.assertXlsx(await C.exportFile(admin, res, { fmt: 'xlsx', q: main.model }));
});

test('every required field empty: 422, each marked, nothing written', async () => {
  const empty = { manufacturer_id: '', model: '', name: '', rated_power_kw: '', current_type: '', connectors: '', charging_mode: '', warranty_months: '', note: '' };
  const r = await admin.post(res.path, empty);
  C.assertRefused(r, 422, '请修正标出的字段。');
  for (const f of ['manufacturer_id', 'model', 'name', 'rated_power_kw', 'current_type', 'connectors', 'warranty_months']) {
    C.assertFieldMessage(r, f, '必填');
  }
  assert.equal(C.countWhere('products', 'model', ''), 0);
});

test('over-long text counts characters: exactly the limit in CJK is accepted', async () => {
  const ok = product();
  ok.model = C.cjk(64 - 12) + C.ucode('', 12);
  ok.name = C.cjk(100);
  ok.note = C.cjk(500);
  const r = await C.create(admin, res, ok);
  C.assertRedirect(r, res, 'created');
  assert.deepEqual(sql('SELECT CHAR_LENGTH(model), CHAR_LENGTH(name), CHAR_LENGTH(note) FROM products WHERE id = ?', r.id)[0], ['64', '100', '500']);
  C.assertRedirect(await C.del(admin, res, r.id), res, 'deleted');
  for (const [field, n] of [['model', 64], ['name', 100], ['note', 500]]) {
    const bad = product({ [field]: C.cjk(n + 1) });
    const b = await C.create(admin, res, bad);
    C.assertRefused(b, 422);
    C.assertFieldMessage(b, field, `最多 ${n} 个字符`);
    assert.equal(C.countWhere('products', 'name', bad.name), 0, field);
  }
});

test('wrong numbers and choices: 422 with the field message, nothing written', async () => {
  const cases = [
    [{ rated_power_kw: 'abc' }, 'rated_power_kw', '请输入数字，最多 2 位小数'],
    [{ rated_power_kw: '1.234' }, 'rated_power_kw', '请输入数字，最多 2 位小数'],
    [{ rated_power_kw: '7.' }, 'rated_power_kw', '请输入数字，最多 2 位小数'],
    [{ rated_power_kw: '６０' }, 'rated_power_kw', '请输入数字，最多 2 位小数'],
    [{ rated_power_kw: '2000.01' }, 'rated_power_kw', '数值不能大于 2000'],
    [{ rated_power_kw: '0' }, 'rated_power_kw', '数值过小'],
    [{ rated_power_kw: '-60' }, 'rated_power_kw', '数值过小'],
    [{ connectors: 'two' }, 'connectors', '请输入整数'],
    [{ connectors: '1.5' }, 'connectors', '请输入整数'],
    [{ connectors: '13' }, 'connectors', '数值不能大于 12'],
    [{ connectors: '0' }, 'connectors', '数值过小'],
    [{ warranty_months: '241' }, 'warranty_months', '数值不能大于 240'],
    [{ warranty_months: '-1' }, 'warranty_months', '数值过小'],
    [{ current_type: 'XX' }, 'current_type', '请从列表中选择'],
    [{ charging_mode: 'nope' }, 'charging_mode', '请从列表中选择'],
  ];
  for (const [over, field, msg] of cases) {
    const f = product(over);
    const r = await C.create(admin, res, f);
    C.assertRefused(r, 422);
    C.assertFieldMessage(r, field, msg);
    assert.equal(r.id, null, JSON.stringify(over));
  }
});

test('manufacturer: unknown id and companies that are not manufacturers are refused', async () => {
  for (const code of [null, 'CC-SZ', 'SP-HY', 'HQ']) {
    const f = product({ manufacturer_id: code ? C.idOf('companies', 'code', code) : 999999999 });
    const r = await C.create(admin, res, f);
    C.assertRefused(r, 422);
    C.assertFieldMessage(r, 'manufacturer_id', '所选记录不存在或无权使用');
    assert.equal(r.id, null, code ?? 'unknown id');
  }
});

test('duplicate model of one manufacturer: 409; the same model of another is fine', async () => {
  const dup = product({ model: main.model });
  const r = await admin.post(res.path, dup);
  C.assertRefused(r, 409);
  C.assertFieldMessage(r, 'model', '已存在相同的记录');
  assert.equal(C.countWhere('products', 'name', dup.name), 0);
  const other = await C.create(admin, res, product({ model: main.model, manufacturer_id: JN }));
  C.assertRedirect(other, res, 'created');
  C.assertRedirect(await C.del(admin, res, other.id), res, 'deleted');
});

test('duplicate submit of the same create: one row', async () => {
  const f = product();
  C.assertRedirect(await C.create(admin, res, f), res, 'created');
  const again = await C.create(admin, res, f);
  C.assertRefused(again, 409);
  C.assertFieldMessage(again, 'model', '已存在相同的记录');
  assert.equal(C.countWhere('products', 'model', f.model), 1);
  C.assertRedirect(await C.del(admin, res, again.id), res, 'deleted');
});

test('stale edit: 409, the saved value shown with the user\'s input; DB keeps the other save', async () => {
  const v = C.versionOf(res, id);
  C.assertRedirect(await C.update(admin, res, id, { ...main, rated_power_kw: '80' }, v), res, 'updated');
  const before = C.rowOf('products', id);
  const r = await C.update(admin, res, id, { ...main, rated_power_kw: '90' }, v);
  C.assertRefused(r, 409, '该记录已被他人修改');
  assert.equal(C.formValue(r.text, 'rated_power_kw'), '80.00');
  assert.match(r.text, /您的输入: 90</);
  assert.doesNotMatch(r.text, /您的输入: 2</, 'unchanged connectors not listed');
  assert.deepEqual(C.rowOf('products', id), before);
  main.rated_power_kw = '80.00';
});

test('update with bad input writes nothing', async () => {
  const before = C.rowOf('products', id);
  const r = await C.update(admin, res, id, { ...main, rated_power_kw: '1e3', manufacturer_id: 999999999 });
  C.assertRefused(r, 422);
  C.assertFieldMessage(r, 'rated_power_kw', '请输入数字，最多 2 位小数');
  C.assertFieldMessage(r, 'manufacturer_id', '所选记录不存在或无权使用');
  assert.deepEqual(C.rowOf('products', id), before);
});

test('unknown and non-numeric ids: 404', async () => {
  await C.assertNotFound(admin, res, main);
});

test('delete: 303, row gone, audit "delete"', async () => {
  C.assertRedirect(await C.del(admin, res, id), res, 'deleted');
  assert.equal(C.countWhere('products', 'id', id), 0);
  const last = C.audit('product', id).at(-1);
  assert.deepEqual([last.action, last.user, last.old_value], ['delete', 'admin', main.model]);
});
