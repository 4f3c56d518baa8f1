// Cable products (F1.2): CRUD cycle as admin, validation, optional manufacturer reference.
import { test, before } from 'node:test';
import { as, sql, assert } from './lib.mjs';
import * as C from './crud.mjs';

const res = C.R.cable;
const HEADER = ['型号', '规格', '单位', '制造厂商', '备注'];
const TY = C.idOf('companies', 'code', 'MF-TY');
let admin;

before(async () => {
  admin = await as('admin');
});

function cable(over = {}) {
  const model = C.ucode('YJV-', 24);
  return { model, spec: `测试规格 ${model} 3×95mm²`, unit: 'm', manufacturer_id: TY, note: '测试备注', ...over };
}

const main = cable({ spec: '=A1*2 测试规格' + C.ucode('', 8), note: '@SUM(1) 备注' });
let id;

test('create: 303, row stored, audit "create"', async () => {
  const r = await C.create(admin, res, main);
  C.assertRedirect(r, res, 'created');
  id = r.id;
  assert.deepEqual(sql('SELECT model, spec, unit, manufacturer_id, note, version FROM cable_products WHERE id = ?', id)[0],
    [main.model, main.spec, 'm', String(TY), main.note, '1']);
  assert.deepEqual(C.audit('cable', id).map((a) => [a.action, a.user, a.new_value]), [['create', 'admin', main.model]]);
});

test('list: the row; keyword and manufacturer filters; sort both ways', async () => {
  const q = await C.list(admin, res, { q: main.model });
  assert.deepEqual(q.ids, [id]);
  assert.deepEqual(q.rows[0].slice(0, 5), [main.model, main.spec, '米', '通远线缆股份有限公司', main.note]);
  assert.deepEqual((await C.list(admin, res, { q: main.model, manufacturer_id: TY })).ids, [id]);
  assert.deepEqual((await C.list(admin, res, { q: main.model, manufacturer_id: C.idOf('companies', 'code', 'MF-XC') })).ids, []);
  const second = cable({ model: main.model + '-B', manufacturer_id: '', unit: 'roll' });
  const r2 = await C.create(admin, res, second);
  C.assertRedirect(r2, res, 'created');
  const asc = await C.list(admin, res, { q: main.model, sort: 'model', dir: 'asc' });
  assert.deepEqual(asc.ids, [id, r2.id]);
  assert.deepEqual(asc.rows[1].slice(2, 4), ['卷', ''], 'roll, no manufacturer');
  const desc = await C.list(admin, res, { q: main.model, sort: 'model', dir: 'desc' });
  assert.deepEqual(desc.ids, [r2.id, id]);
  assert.equal(sql('SELECT manufacturer_id FROM cable_products WHERE id = ?', r2.id)[0][0], null, 'empty manufacturer stored as NULL');
  C.assertRedirect(await C.del(admin, res, r2.id), res, 'deleted');
});

test('edit page shows the stored values', async () => {
  const r = await C.edit(admin, res, id);
  assert.equal(r.status, 200);
  const want = { ...main, manufacturer_id: String(TY) };
  for (const f of Object.keys(want)) assert.equal(C.formValue(r.text, f), want[f], f);
});

test('update: 303, version+1, audit rows for exactly the changed fields', async () => {
  const changed = { ...main, unit: 'roll', manufacturer_id: '', note: main.note };
  const r = await C.update(admin, res, id, changed);
  C.assertRedirect(r, res, 'updated');
  assert.deepEqual(sql('SELECT unit, manufacturer_id, version FROM cable_products WHERE id = ?', id)[0], ['roll', null, '2']);
  const a = C.audit('cable', id, "AND a.action = 'update'").map((x) => [x.field, x.old_value, x.new_value]);
  assert.deepEqual(a.sort(), [['manufacturer_id', String(TY), ''], ['unit', 'm', 'roll']]);
  Object.assign(main, changed);
});

test('export CSV (formula cells neutralised) and XLSX', async () => {
  const rows = C.assertCsv(await C.exportFile(admin, res, { fmt: 'csv', q: main.model }), HEADER);
  assert.deepEqual(rows.slice(1), [[main.model, "'" + main.spec, '卷', '', "'" + main.note]]);
  C.assertXlsx(await C.exportFile(admin, res, { fmt: 'xlsx', q: main.model }));
});

test('every required field empty: 422, each marked, nothing written', async () => {
  const r = await admin.post(res.path, { model: '', spec: '', unit: '', manufacturer_id: '', note: '' });
  C.assertRefused(r, 422, '请修正标出的字段。');
  for (const f of ['model', 'spec', 'unit']) C.assertFieldMessage(r, f, '必填');
  assert.equal(C.countWhere('cable_products', 'model', ''), 0);
});

test('over-long text counts characters: exactly the limit in CJK is accepted', async () => {
  const ok = cable({ spec: C.cjk(100), note: C.cjk(500) });
  ok.model = C.cjk(64 - 14) + C.ucode('', 14);
  const r = await C.create(admin, res, ok);
  C.assertRedirect(r, res, 'created');
  assert.deepEqual(sql('SELECT CHAR_LENGTH(model), CHAR_LENGTH(spec), CHAR_LENGTH(note) FROM cable_products WHERE id = ?', r.id)[0], ['64', '100', '500']);
  C.assertRedirect(await C.del(admin, res, r.id), res, 'deleted');
  for (const [field, n] of [['model', 64], ['spec', 100], ['note', 500]]) {
    const bad = cable({ [field]: C.cjk(n + 1) });
    const b = await C.create(admin, res, bad);
    C.assertRefused(b, 422);
    C.assertFieldMessage(b, field, `最多 ${n} 个字符`);
    assert.equal(C.countWhere('cable_products', 'spec', bad.spec), 0, field);
  }
});

test('wrong choice, reference and line breaks: 422, nothing written', async () => {
  const cases = [
    [{ unit: 'km' }, 'unit', '请从列表中选择'],
    [{ manufacturer_id: 999999999 }, 'manufacturer_id', '所选记录不存在或无权使用'],
    [{ manufacturer_id: C.idOf('companies', 'code', 'CC-SZ') }, 'manufacturer_id', '所选记录不存在或无权使用'],
    [{ manufacturer_id: C.idOf('companies', 'code', 'SP-ZH') }, 'manufacturer_id', '所选记录不存在或无权使用'],
    [{ manufacturer_id: 'x1' }, 'manufacturer_id', '所选记录不存在或无权使用'],
    [{ model: 'A\nB' }, 'model', '不能包含换行'],
  ];
  for (const [over, field, msg] of cases) {
    const f = cable(over);
    const r = await C.create(admin, res, f);
    C.assertRefused(r, 422);
    C.assertFieldMessage(r, field, msg);
    assert.equal(C.countWhere('cable_products', 'spec', f.spec), 0, JSON.stringify(over));
  }
});

test('duplicate model: 409, field marked; duplicate submit leaves one row', async () => {
  const dup = cable({ model: main.model });
  const r = await admin.post(res.path, dup);
  C.assertRefused(r, 409);
  C.assertFieldMessage(r, 'model', '已存在相同的记录');
  assert.equal(C.countWhere('cable_products', 'spec', dup.spec), 0);
  const f = cable();
  C.assertRedirect(await C.create(admin, res, f), res, 'created');
  const again = await C.create(admin, res, f);
  C.assertRefused(again, 409);
  C.assertFieldMessage(again, 'model', '已存在相同的记录');
  assert.equal(C.countWhere('cable_products', 'model', f.model), 1);
  C.assertRedirect(await C.del(admin, res, again.id), res, 'deleted');
});

test('stale edit: 409, the saved value shown with the user\'s input; DB keeps the other save', async () => {
  const v = C.versionOf(res, id);
  C.assertRedirect(await C.update(admin, res, id, { ...main, spec: '他人的规格' }, v), res, 'updated');
  const before = C.rowOf('cable_products', id);
  const r = await C.update(admin, res, id, { ...main, spec: '我的规格' }, v);
  C.assertRefused(r, 409, '该记录已被他人修改');
  assert.equal(C.formValue(r.text, 'spec'), '他人的规格');
  assert.match(r.text, /您的输入: 我的规格/);
  assert.deepEqual(C.rowOf('cable_products', id), before);
  main.spec = '他人的规格';
});

test('unknown and non-numeric ids: 404', async () => {
  await C.assertNotFound(admin, res, main);
});

test('delete: 303, row gone, audit "delete"', async () => {
  C.assertRedirect(await C.del(admin, res, id), res, 'deleted');
  assert.equal(C.countWhere('cable_products', 'id', id), 0);
  const last = C.audit('cable', id).at(-1);
  assert.deepEqual([last.action, last.user, last.old_value], ['delete', 'admin', main.model]);
});
