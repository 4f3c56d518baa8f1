// Dictionaries (F1.5): CRUD cycle as admin, dict and code fixed after creation, items in use.
import { test, before } from 'node:test';
import { as, sql, assert } from './lib.mjs';
import * as C from './crud.mjs';

const res = C.R.dict;
const HEADER = ['字典', '编码', '名称', '英文名称', '排序', '启用'];
let admin;

before(async () => {
  admin = await as('admin');
});

function item(over = {}) {
  const code = C.ucode('d', 24).toLowerCase();
  return { dict: 'comm_method', code, name: `测试项${code}`, name_en: `Test ${code}`, sort: '55', enabled: '1', ...over };
}

const main = item({ name: '+CMD|测试项' + C.ucode('', 8) });
let id;

test('create: 303, row stored, audit "create"', async () => {
  const r = await C.create(admin, res, main);
  C.assertRedirect(r, res, 'created');
  id = r.id;
  assert.deepEqual(sql('SELECT dict, code, name, name_en, sort, enabled, version FROM dict_items WHERE id = ?', id)[0],
    ['comm_method', main.code, main.name, main.name_en, '55', '1', '1']);
  assert.deepEqual(C.audit('dict', id).map((a) => [a.action, a.user, a.new_value]), [['create', 'admin', main.name]]);
  // An empty sort is 0, an unchecked "enabled" is 0.
  const z = item({ sort: '', enabled: '0' });
  const rz = await C.create(admin, res, z);
  C.assertRedirect(rz, res, 'created');
  assert.deepEqual(sql('SELECT sort, enabled FROM dict_items WHERE id = ?', rz.id)[0], ['0', '0']);
  C.assertRedirect(await C.del(admin, res, rz.id), res, 'deleted');
});

test('list: the row; dict and enabled filters; sort both ways (also by dict, then order)', async () => {
  const q = await C.list(admin, res, { q: main.code });
  assert.deepEqual(q.ids, [id]);
  assert.deepEqual(q.rows[0].slice(0, 6), ['通讯方式', main.code, main.name, main.name_en, '55', '是']);
  assert.deepEqual((await C.list(admin, res, { q: main.code, dict: 'comm_method', enabled: '1' })).ids, [id]);
  assert.deepEqual((await C.list(admin, res, { q: main.code, dict: 'asset_nature' })).ids, []);
  assert.deepEqual((await C.list(admin, res, { q: main.code, enabled: '0' })).ids, []);
  assert.equal((await C.list(admin, res, { dict: 'colours' })).status, 400);
  // A second item in another dict with a smaller sort number, sharing the keyword.
  const second = item({ dict: 'asset_nature', code: main.code + 'b', sort: '5' });
  const r2 = await C.create(admin, res, second);
  C.assertRedirect(r2, res, 'created');
  assert.deepEqual((await C.list(admin, res, { q: main.code, sort: 'sort', dir: 'asc' })).ids, [r2.id, id]);
  assert.deepEqual((await C.list(admin, res, { q: main.code, sort: 'sort', dir: 'desc' })).ids, [id, r2.id]);
  // asset_nature < comm_method: ascending puts r2 first, descending last.
  assert.deepEqual((await C.list(admin, res, { q: main.code, sort: 'dict', dir: 'asc' })).ids, [r2.id, id]);
  assert.deepEqual((await C.list(admin, res, { q: main.code, sort: 'dict', dir: 'desc' })).ids, [id, r2.id]);
  C.assertRedirect(await C.del(admin, res, r2.id), res, 'deleted');
});

test('edit page shows the values; dict and code are read-only', async () => {
  const r = await C.edit(admin, res, id);
  assert.equal(r.status, 200);
  for (const f of Object.keys(main)) assert.equal(C.formValue(r.text, f), main[f], f);
  assert.match(r.text, /<select[^>]*id="f-dict"[^>]*disabled/);
  assert.match(r.text, /<input type="hidden" name="dict" value="comm_method">/);
  assert.match(r.text, /<input[^>]*id="f-code"[^>]*readonly/);
  // What a browser submits from this page saves without changes or audit rows.
  const same = await admin.post(`${res.path}/${id}`, C.browserForm(r.text));
  C.assertRedirect(same, res, 'updated');
  assert.equal(C.auditOf(same), 0, 'nothing changed, nothing recorded');
});

test('update: dict and code keep the stored values; audit rows for exactly the changed fields', async () => {
  const v = C.versionOf(res, id);
  const changed = { ...main, dict: 'station_state', code: main.code + 'x', name: main.name + '改', sort: '60', enabled: '0' };
  const r = await C.update(admin, res, id, changed);
  C.assertRedirect(r, res, 'updated');
  assert.deepEqual(sql('SELECT dict, code, name, sort, enabled, version FROM dict_items WHERE id = ?', id)[0],
    ['comm_method', main.code, changed.name, '60', '0', String(v + 1)]);
  assert.equal(C.countWhere('dict_items', 'code', changed.code), 0);
  const a = C.audit('dict', id, "AND a.action = 'update'").map((x) => [x.field, x.old_value, x.new_value]);
  assert.deepEqual(a.sort(), [['enabled', '1', '0'], ['name', main.name, changed.name], ['sort', '55', '60']]);
  Object.assign(main, { name: changed.name, sort: '60', enabled: '0' });
});

test('export CSV (formula cells neutralised) and XLSX', async () => {
  const rows = C.assertCsv(await C.exportFile(admin, res, { fmt: 'csv', q: main.code }), HEADER);
  assert.deepEqual(rows.slice(1), [['通讯方式', main.code, "'" + main.name, main.name_en, '60', '否']]);
  C.assertXlsx(await C.exportFile(admin, res, { fmt: 'xlsx', q: main.code }));
});

test('every required field empty: 422, each marked, nothing written', async () => {
  const r = await admin.post(res.path, { dict: '', code: '', name: '', name_en: '', sort: '', enabled: '' });
  C.assertRefused(r, 422, '请修正标出的字段。');
  for (const f of ['dict', 'code', 'name']) C.assertFieldMessage(r, f, '必填');
  assert.equal(C.countWhere('dict_items', 'code', ''), 0);
});

test('over-long text counts characters: exactly the limit in CJK is accepted', async () => {
  const ok = item({ name: C.cjk(100), name_en: C.cjk(100) });
  const r = await C.create(admin, res, ok);
  C.assertRedirect(r, res, 'created');
  assert.deepEqual(sql('SELECT CHAR_LENGTH(name), CHAR_LENGTH(name_en) FROM dict_items WHERE id = ?', r.id)[0], ['100', '100']);
  C.assertRedirect(await C.del(admin, res, r.id), res, 'deleted');
  for (const [field, n, v] of [['name', 100, C.cjk(101)], ['name_en', 100, C.cjk(101)], ['code', 32, 'c'.repeat(33)]]) {
    const bad = item({ [field]: v });
    const b = await C.create(admin, res, bad);
    C.assertRefused(b, 422);
    C.assertFieldMessage(b, field, `最多 ${n} 个字符`);
    assert.equal(C.countWhere('dict_items', 'name_en', bad.name_en), 0, field);
  }
});

test('wrong values: 422 with the field message, nothing written', async () => {
  const cases = [
    [{ sort: 'abc' }, 'sort', '请输入整数'],
    [{ sort: '1.5' }, 'sort', '请输入整数'],
    [{ sort: '100000' }, 'sort', '数值不能大于 99999'],
    [{ sort: '-99999x' }, 'sort', '最多 6 个字符'],
    [{ dict: 'colours' }, 'dict', '请从列表中选择'],
    [{ enabled: 'maybe' }, 'enabled', '取值无效'],
    [{ code: '代码' }, 'code', '只能包含字母、数字、-、_、.'],
  ];
  for (const [over, field, msg] of cases) {
    const f = item(over);
    const r = await C.create(admin, res, f);
    C.assertRefused(r, 422);
    C.assertFieldMessage(r, field, msg);
    assert.equal(C.countWhere('dict_items', 'name_en', f.name_en), 0, JSON.stringify(over));
  }
  const edge = await C.create(admin, res, item({ sort: '-99999' }));
  C.assertRedirect(edge, res, 'created');
  C.assertRedirect(await C.del(admin, res, edge.id), res, 'deleted');
});

test('duplicate code in one dict: 409; the same code in another dict is fine', async () => {
  const dup = item({ code: main.code });
  const r = await admin.post(res.path, dup);
  C.assertRefused(r, 409);
  C.assertFieldMessage(r, 'code', '已存在相同的记录');
  assert.equal(C.countWhere('dict_items', 'name', dup.name), 0);
  const other = await C.create(admin, res, item({ code: main.code, dict: 'station_state' }));
  C.assertRedirect(other, res, 'created');
  C.assertRedirect(await C.del(admin, res, other.id), res, 'deleted');
});

test('duplicate submit of the same create: one row', async () => {
  const f = item();
  C.assertRedirect(await C.create(admin, res, f), res, 'created');
  const again = await C.create(admin, res, f);
  C.assertRefused(again, 409);
  C.assertFieldMessage(again, 'code', '已存在相同的记录');
  assert.equal(C.countWhere('dict_items', 'code', f.code), 1);
  C.assertRedirect(await C.del(admin, res, again.id), res, 'deleted');
});

test('stale edit: 409, the saved value shown with the user\'s input; DB keeps the other save', async () => {
  const v = C.versionOf(res, id);
  C.assertRedirect(await C.update(admin, res, id, { ...main, name_en: 'Theirs' }, v), res, 'updated');
  const before = C.rowOf('dict_items', id);
  const r = await C.update(admin, res, id, { ...main, name_en: 'Mine' }, v);
  C.assertRefused(r, 409, '该记录已被他人修改');
  assert.equal(C.formValue(r.text, 'name_en'), 'Theirs');
  assert.match(r.text, /您的输入: Mine</);
  assert.deepEqual(C.rowOf('dict_items', id), before);
  main.name_en = 'Theirs';
});

test('unknown and non-numeric ids: 404', async () => {
  await C.assertNotFound(admin, res, main);
});

test('delete refused while products use the item (even disabled): 409 naming the count', async () => {
  const mode = item({ dict: 'charging_mode' });
  const r = await C.create(admin, res, mode);
  C.assertRedirect(r, res, 'created');
  const xc = C.idOf('companies', 'code', 'MF-XC');
  for (let i = 0; i < 2; i++) {
    sql(`INSERT INTO products (manufacturer_id, model, name, rated_power_kw, current_type, charging_mode)
      VALUES (?, ?, '字典引用', 7, 'AC', ?)`, xc, C.ucode('PD', 20), mode.code);
  }
  C.assertRedirect(await C.update(admin, res, r.id, { ...mode, enabled: '0' }), res, 'updated');
  const before = C.rowOf('dict_items', r.id);
  const d = await C.del(admin, res, r.id);
  C.assertRefused(d, 409, '该字典项被 2 个产品使用，不能删除，可停用。');
  assert.deepEqual(C.rowOf('dict_items', r.id), before);
  // The same code in another dict is not "in use" by products.
  const twin = await C.create(admin, res, { ...mode, dict: 'comm_method' });
  C.assertRedirect(twin, res, 'created');
  C.assertRedirect(await C.del(admin, res, scalarId('comm_method', mode.code)), res, 'deleted');
});

function scalarId(dict, code) {
  return Number(sql('SELECT id FROM dict_items WHERE dict = ? AND code = ?', dict, code)[0][0]);
}

test('delete: 303, row gone, audit "delete"', async () => {
  C.assertRedirect(await C.del(admin, res, id), res, 'deleted');
  assert.equal(C.countWhere('dict_items', 'id', id), 0);
  const last = C.audit('dict', id).at(-1);
  assert.deepEqual([last.action, last.user, last.old_value], ['delete', 'admin', main.name]);
});
