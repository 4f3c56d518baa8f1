// Cities (F1.1/F1.5): the generic CRUD cycle as admin, validation, conflicts and references.
import { test, before } from 'node:test';
import { as, sql, scalar, assertFieldError, assert } from './lib.mjs';
import * as C from './crud.mjs';

const res = C.R.city;
const HEADER = ['编码', '名称', '省份', '所属公司', '纬度', '经度', '仓库数'];
const szCompany = C.idOf('companies', 'code', 'CC-SZ');
const outside = C.idOf('companies', 'code', 'MF-XC');
let admin;

before(async () => {
  admin = await as('admin');
});

function city(over = {}) {
  const code = C.ucode('C', 12);
  return { code, name: `测试市${code}`, province: `测试省${code}`, company_id: szCompany, lat: '31.5', lng: '120.25', ...over };
}

// One record through its whole life; the tests below share it in order.
const main = city({ name: '=SUM(1+1)' + C.ucode('', 8) });
let id;

test('create: 303 to the list, row stored, audit "create"', async () => {
  const r = await C.create(admin, res, main);
  C.assertRedirect(r, res, 'created');
  id = r.id;
  assert.ok(id, 'row exists');
  assert.deepEqual(sql('SELECT code, name, province, company_id, lat, lng, version FROM cities WHERE id = ?', id)[0],
    [main.code, main.name, main.province, String(szCompany), '31.500000', '120.250000', '1']);
  const a = C.audit('city', id);
  assert.equal(a.length, 1);
  assert.equal(a[0].action, 'create');
  assert.equal(a[0].user, 'admin');
  assert.equal(C.auditOf(r), 1);
  const page = await admin.get(r.headers.get('location'));
  assert.match(C.unescapeHtml(page.text), /role="status">已新增。</);
});

test('list: shows the row, keyword filter finds it, sort works both ways', async () => {
  const all = await C.list(admin, res, { per: 100, sort: 'code', dir: 'desc' });
  assert.equal(all.status, 200);
  const q = await C.list(admin, res, { q: main.code });
  assert.equal(q.status, 200);
  assert.deepEqual(q.ids, [id]);
  assert.deepEqual(q.rows[0].slice(0, 3), [main.code, main.name, main.province]);
  assert.equal(q.rows[0][3], '蓝途充电（苏州）有限公司');
  assert.equal(q.rows[0][6], '0');
  // Two rows sharing a keyword (the province) in both orders.
  const second = city({ province: main.province });
  const r2 = await C.create(admin, res, second);
  C.assertRedirect(r2, res, 'created');
  const [lo, hi] = [main, second].sort((a, b) => (a.code < b.code ? -1 : 1)).map((c) => c.code);
  const asc = await C.list(admin, res, { q: main.province, sort: 'code', dir: 'asc' });
  assert.deepEqual(asc.rows.map((row) => row[0]), [lo, hi]);
  const desc = await C.list(admin, res, { q: main.province, sort: 'code', dir: 'desc' });
  assert.deepEqual(desc.rows.map((row) => row[0]), [hi, lo]);
  // A filter that matches nothing shows the empty state, not the row.
  const none = await C.list(admin, res, { q: main.code + 'NOPE' });
  assert.deepEqual(none.ids, []);
  assert.match(none.text, /暂无数据/);
  // The company filter narrows to that company's cities.
  const byCo = await C.list(admin, res, { company_id: szCompany, per: 100 });
  assert.ok(byCo.rows.length >= 4, 'the demo cities of CC-SZ and this one');
  assert.ok(byCo.rows.every((row) => row[3] === '蓝途充电（苏州）有限公司'), 'only CC-SZ cities');
  assert.ok(byCo.ids.includes(id));
  C.assertRedirect(await C.del(admin, res, r2.id), res, 'deleted');
});

test('edit page shows the stored values and the version', async () => {
  const r = await C.edit(admin, res, id);
  assert.equal(r.status, 200);
  for (const f of ['code', 'name', 'province']) assert.equal(C.formValue(r.text, f), main[f], f);
  assert.equal(C.formValue(r.text, 'company_id'), String(szCompany));
  assert.equal(C.formValue(r.text, 'lat'), '31.500000');
  assert.equal(C.formValue(r.text, 'lng'), '120.250000');
  assert.match(r.text, /name="version" value="1"/);
});

test('update: 303, stored, version+1, audit rows for exactly the changed fields', async () => {
  const changed = { ...main, name: main.name + '改', lat: '31.500000', lng: '121.5', company_id: '' };
  const r = await C.update(admin, res, id, changed);
  C.assertRedirect(r, res, 'updated');
  assert.deepEqual(sql('SELECT name, company_id, lat, lng, version FROM cities WHERE id = ?', id)[0],
    [changed.name, null, '31.500000', '121.500000', '2']);
  const a = C.audit('city', id, "AND a.action = 'update'").map(({ field, old_value, new_value }) => [field, old_value, new_value]);
  assert.deepEqual(a.sort(), [
    ['company_id', String(szCompany), ''],
    ['lng', '120.250000', '121.500000'],
    ['name', main.name, changed.name],
  ].sort());
  main.name = changed.name;
});

test('export CSV: BOM, Chinese header, the row, formula cells neutralised', async () => {
  const ex = await C.exportFile(admin, res, { fmt: 'csv', q: main.code });
  const rows = C.assertCsv(ex, HEADER);
  assert.equal(rows.length, 2);
  assert.deepEqual(rows[1], [main.code, "'" + main.name, main.province, '', '31.500000', '121.500000', '0']);
  assert.match(ex.headers.get('content-disposition') ?? '', /attachment/);
  // Unfiltered export holds every city (the 41 demo ones at least), not one page of 20.
  const all = C.parseCsv((await C.exportFile(admin, res, { fmt: 'csv' })).text);
  assert.ok(all.length - 1 >= 41, `${all.length - 1} rows`);
  const codes = all.map((row) => row[0]);
  for (const c of ['320500', '340500', main.code]) assert.ok(codes.includes(c), c);
});

test('export XLSX: spreadsheet', async () => {
  C.assertXlsx(await C.exportFile(admin, res, { fmt: 'xlsx', q: main.code }));
});

test('every required field empty: 422, each marked, nothing written', async () => {
  const r = await admin.post(res.path, { code: '', name: '', province: '', company_id: '', lat: '', lng: '' });
  C.assertRefused(r, 422, '请修正标出的字段。');
  for (const f of ['code', 'name', 'province']) C.assertFieldMessage(r, f, '必填');
  assert.equal(C.countWhere('cities', 'code', ''), 0);
});

test('over-long text counts characters: 50 CJK accepted, 51 refused', async () => {
  const ok = city({ name: C.cjk(50) });
  const r1 = await C.create(admin, res, ok);
  C.assertRedirect(r1, res, 'created');
  assert.equal(scalar('SELECT CHAR_LENGTH(name) FROM cities WHERE id = ?', r1.id), 50);
  const bad = city({ name: C.cjk(51) });
  const r2 = await C.create(admin, res, bad);
  C.assertRefused(r2, 422);
  C.assertFieldMessage(r2, 'name', '最多 50 个字符');
  assert.equal(r2.id, null);
  const code = await C.create(admin, res, city({ code: '1234567890123' }));
  C.assertRefused(code, 422);
  C.assertFieldMessage(code, 'code', '最多 12 个字符');
  assert.equal(code.id, null);
  C.assertRedirect(await C.del(admin, res, r1.id), res, 'deleted');
});

test('wrong types and ranges: 422 with the field message, nothing written', async () => {
  const cases = [
    [{ lat: 'abc' }, 'lat', '请输入数字，最多 6 位小数'],
    [{ lat: '31.1234567' }, 'lat', '请输入数字，最多 6 位小数'],
    [{ lat: '90.5' }, 'lat', '数值不能大于 90'],
    [{ lat: '-90.5' }, 'lat', '数值过小'],
    [{ lng: '180.000001' }, 'lng', '数值不能大于 180'],
    [{ lng: '12,5' }, 'lng', '请输入数字，最多 6 位小数'],
    [{ code: '城市01' }, 'code', '只能包含字母、数字、-、_、.'],
    [{ name: '两行\n名称' }, 'name', '不能包含换行'],
    [{ company_id: 'abc' }, 'company_id', '所选记录不存在或无权使用'],
  ];
  for (const [over, field, msg] of cases) {
    const f = city(over);
    const r = await C.create(admin, res, f);
    C.assertRefused(r, 422);
    C.assertFieldMessage(r, field, msg);
    assert.equal(C.countWhere('cities', 'code', f.code), 0, `${JSON.stringify(over)} wrote nothing`);
  }
});

test('reference: unknown company and a company of the wrong kind are refused', async () => {
  for (const company_id of [999999999, outside, C.idOf('companies', 'code', 'HQ')]) {
    const f = city({ company_id });
    const r = await C.create(admin, res, f);
    C.assertRefused(r, 422);
    C.assertFieldMessage(r, 'company_id', '所选记录不存在或无权使用');
    assert.equal(C.countWhere('cities', 'code', f.code), 0);
  }
});

test('duplicate code / province+name: 409, field marked, one row', async () => {
  const dupCode = city({ code: main.code });
  const r = await admin.post(res.path, dupCode);
  C.assertRefused(r, 409, '请修正标出的字段。');
  C.assertFieldMessage(r, 'code', '已存在相同的记录');
  assert.equal(C.countWhere('cities', 'code', main.code), 1);
  assert.equal(C.countWhere('cities', 'name', dupCode.name), 0);
  const dupName = city({ name: main.name, province: main.province });
  const r2 = await C.create(admin, res, dupName);
  C.assertRefused(r2, 409);
  C.assertFieldMessage(r2, 'name', '已存在相同的记录');
  assert.equal(r2.id, null);
});

test('duplicate submit of the same create: second is 409, one row', async () => {
  const f = city();
  C.assertRedirect(await C.create(admin, res, f), res, 'created');
  const again = await C.create(admin, res, f);
  C.assertRefused(again, 409);
  assertFieldError(again, 'code');
  assert.equal(C.countWhere('cities', 'code', f.code), 1);
  C.assertRedirect(await C.del(admin, res, again.id), res, 'deleted');
});

test('stale edit: 409, page shows the saved value and "您的输入", DB keeps the other save', async () => {
  const v = C.versionOf(res, id);
  const theirs = { ...main, company_id: '', name: main.name + '他' };
  C.assertRedirect(await C.update(admin, res, id, theirs, v), res, 'updated');
  const before = C.rowOf('cities', id);
  const mine = { ...main, company_id: '', name: main.name + '我', province: main.province };
  const r = await C.update(admin, res, id, mine, v);
  C.assertRefused(r, 409, '该记录已被他人修改，未保存您的修改。');
  assert.equal(C.formValue(r.text, 'name'), theirs.name);
  assert.match(r.text, new RegExp(`您的输入: ${C.escapeRe(mine.name)}`));
  assert.doesNotMatch(r.text, /您的输入: 测试省/, 'unchanged fields are not listed as the user\'s');
  assert.match(r.text, new RegExp(`name="version" value="${v + 1}"`));
  assert.deepEqual(C.rowOf('cities', id), before);
  main.name = theirs.name;
});

test('update with bad input writes nothing', async () => {
  const before = C.rowOf('cities', id);
  const r = await C.update(admin, res, id, { ...main, company_id: '', name: '', lat: '100' });
  C.assertRefused(r, 422);
  C.assertFieldMessage(r, 'name', '必填');
  C.assertFieldMessage(r, 'lat', '数值不能大于 90');
  assert.deepEqual(C.rowOf('cities', id), before);
  const nov = await admin.post(`${res.path}/${id}`, { ...main, company_id: '' });
  assert.equal(nov.status, 400, 'no version');
  assert.deepEqual(C.rowOf('cities', id), before);
});

test('unknown and non-numeric ids: 404', async () => {
  await C.assertNotFound(admin, res, main);
});

test('delete refused while warehouses are in the city: 409 naming the count', async () => {
  const c = city({ company_id: szCompany });
  const r = await C.create(admin, res, c);
  C.assertRedirect(r, res, 'created');
  const hq = C.idOf('companies', 'code', 'HQ');
  for (let i = 0; i < 2; i++) {
    sql('INSERT INTO warehouses (code, name, company_id, city_id) VALUES (?, ?, ?, ?)',
      C.ucode('W', 20), `仓${c.code}${i}`, hq, r.id);
  }
  const d = await C.del(admin, res, r.id);
  C.assertRefused(d, 409, '该城市下还有 2 个仓库，不能删除。');
  assert.equal(C.countWhere('cities', 'id', r.id), 1);
  sql('DELETE FROM warehouses WHERE city_id = ?', r.id);
  C.assertRedirect(await C.del(admin, res, r.id), res, 'deleted');
});

test('delete: 303, row gone, audit "delete"', async () => {
  const r = await C.del(admin, res, id);
  C.assertRedirect(r, res, 'deleted');
  assert.equal(C.countWhere('cities', 'id', id), 0);
  const a = C.audit('city', id);
  assert.equal(a.at(-1).action, 'delete');
  assert.equal(a.at(-1).old_value, main.name);
  assert.equal((await C.edit(admin, res, id)).status, 404);
  assert.equal((await C.del(admin, res, id)).status, 404);
});
