// Warehouses (F1.3): CRUD cycle as admin, validation, and the data scope of city-company users.
import { test, before, after } from 'node:test';
import { as, sql, assert } from './lib.mjs';
import * as C from './crud.mjs';

const res = C.R.warehouse;
const HEADER = ['编码', '名称', '所属公司', '所在城市', '在库桩数', '地址', '仓管员', '电话'];
const SZ = C.idOf('companies', 'code', 'CC-SZ');
const HZ = C.idOf('companies', 'code', 'CC-HZ');
const HQ = C.idOf('companies', 'code', 'HQ');
const SUZHOU = C.idOf('cities', 'code', '320500');
const WUXI = C.idOf('cities', 'code', '320200');
const HANGZHOU = C.idOf('cities', 'code', '330100');
const SZ_NAME = '蓝途充电（苏州）有限公司';
let admin;

before(async () => {
  admin = await as('admin');
});

function warehouse(over = {}) {
  const code = C.ucode('WH-T', 20);
  return { code, name: `测试仓${code}`, company_id: SZ, city_id: SUZHOU, address: '苏州工业园区测试路8号', keeper: '测试员', phone: '13900000000', ...over };
}

const main = warehouse({ name: '-1+1 测试仓' + C.ucode('', 8) });
let id;

test('create: 303, row stored, audit "create"', async () => {
  const r = await C.create(admin, res, main);
  C.assertRedirect(r, res, 'created');
  id = r.id;
  assert.deepEqual(sql('SELECT code, name, company_id, city_id, address, keeper, phone, version FROM warehouses WHERE id = ?', id)[0],
    [main.code, main.name, String(SZ), String(SUZHOU), main.address, main.keeper, main.phone, '1']);
  assert.deepEqual(C.audit('warehouse', id).map((a) => [a.action, a.user, a.new_value]), [['create', 'admin', main.name]]);
});

test('list: the row; keyword, company and city filters; sort both ways', async () => {
  const q = await C.list(admin, res, { q: main.code });
  assert.deepEqual(q.ids, [id]);
  assert.deepEqual(q.rows[0].slice(0, 8), [main.code, main.name, SZ_NAME, '苏州', '0', main.address, main.keeper, main.phone]);
  assert.deepEqual((await C.list(admin, res, { q: main.code, company_id: SZ, city_id: SUZHOU })).ids, [id]);
  assert.deepEqual((await C.list(admin, res, { q: main.code, company_id: HZ })).ids, []);
  assert.deepEqual((await C.list(admin, res, { q: main.code, city_id: WUXI })).ids, []);
  const second = warehouse({ code: main.code + 'B', city_id: WUXI });
  const r2 = await C.create(admin, res, second);
  C.assertRedirect(r2, res, 'created');
  assert.deepEqual((await C.list(admin, res, { q: main.code, sort: 'code', dir: 'asc' })).ids, [id, r2.id]);
  assert.deepEqual((await C.list(admin, res, { q: main.code, sort: 'code', dir: 'desc' })).ids, [r2.id, id]);
  // By city name: 苏州 < 无锡 in the collation's order, whichever it is, both directions differ.
  const byCityAsc = (await C.list(admin, res, { q: main.code, sort: 'city', dir: 'asc' })).ids;
  const byCityDesc = (await C.list(admin, res, { q: main.code, sort: 'city', dir: 'desc' })).ids;
  assert.deepEqual(byCityDesc, [...byCityAsc].reverse());
  C.assertRedirect(await C.del(admin, res, r2.id), res, 'deleted');
});

test('edit page shows the stored values', async () => {
  const r = await C.edit(admin, res, id);
  assert.equal(r.status, 200);
  const want = { ...main, company_id: String(SZ), city_id: String(SUZHOU) };
  for (const f of Object.keys(want)) assert.equal(C.formValue(r.text, f), want[f], f);
});

test('update: 303, version+1, audit rows for exactly the changed fields', async () => {
  const changed = { ...main, city_id: WUXI, keeper: '新仓管', phone: '' };
  const r = await C.update(admin, res, id, changed);
  C.assertRedirect(r, res, 'updated');
  assert.deepEqual(sql('SELECT city_id, keeper, phone, version FROM warehouses WHERE id = ?', id)[0], [String(WUXI), '新仓管', null, '2']);
  const a = C.audit('warehouse', id, "AND a.action = 'update'").map((x) => [x.field, x.old_value, x.new_value]);
  assert.deepEqual(a.sort(), [['city_id', String(SUZHOU), String(WUXI)], ['keeper', main.keeper, '新仓管'], ['phone', main.phone, '']]);
  Object.assign(main, changed);
});

test('export CSV (formula cells neutralised) and XLSX', async () => {
  const rows = C.assertCsv(await C.exportFile(admin, res, { fmt: 'csv', q: main.code }), HEADER);
  assert.deepEqual(rows.slice(1), [[main.code, "'" + main.name, SZ_NAME, '无锡', '0', main.address, '新仓管', '']]);
  C.assertXlsx(await C.exportFile(admin, res, { fmt: 'xlsx', q: main.code }));
});

test('every required field empty: 422, each marked, nothing written', async () => {
  const r = await admin.post(res.path, { code: '', name: '', company_id: '', city_id: '', address: '', keeper: '', phone: '' });
  C.assertRefused(r, 422, '请修正标出的字段。');
  for (const f of ['code', 'name', 'company_id', 'city_id']) C.assertFieldMessage(r, f, '必填');
  assert.equal(C.countWhere('warehouses', 'code', ''), 0);
});

test('over-long text counts characters: exactly the limit in CJK is accepted', async () => {
  const ok = warehouse({ address: C.cjk(200), keeper: C.cjk(50) });
  ok.name = C.cjk(100);
  const r = await C.create(admin, res, ok);
  C.assertRedirect(r, res, 'created');
  assert.deepEqual(sql('SELECT CHAR_LENGTH(name), CHAR_LENGTH(address), CHAR_LENGTH(keeper) FROM warehouses WHERE id = ?', r.id)[0], ['100', '200', '50']);
  C.assertRedirect(await C.del(admin, res, r.id), res, 'deleted');
  for (const [field, n] of [['name', 100], ['address', 200], ['keeper', 50], ['code', 32]]) {
    const bad = warehouse({ [field]: field === 'code' ? 'W'.repeat(n + 1) : C.cjk(n + 1) });
    const b = await C.create(admin, res, bad);
    C.assertRefused(b, 422);
    C.assertFieldMessage(b, field, `最多 ${n} 个字符`);
    assert.equal(C.countWhere('warehouses', 'code', bad.code), 0, field);
  }
});

test('wrong values and references: 422, nothing written', async () => {
  const cases = [
    [{ phone: '139-abcd' }, 'phone', '电话号码格式不正确'],
    [{ company_id: 999999999 }, 'company_id', '所选记录不存在或无权使用'],
    [{ company_id: C.idOf('companies', 'code', 'MF-XC') }, 'company_id', '所选记录不存在或无权使用'],
    [{ city_id: 999999999 }, 'city_id', '所选记录不存在或无权使用'],
    [{ city_id: 'suzhou' }, 'city_id', '所选记录不存在或无权使用'],
    [{ company_id: HZ, city_id: SUZHOU }, 'city_id', '该城市不属于所选城市公司'],
  ];
  for (const [over, field, msg] of cases) {
    const f = warehouse(over);
    const r = await C.create(admin, res, f);
    C.assertRefused(r, 422);
    C.assertFieldMessage(r, field, msg);
    assert.equal(r.id, null, JSON.stringify(over));
  }
  // The head office may keep a warehouse in any city.
  const hq = await C.create(admin, res, warehouse({ company_id: HQ, city_id: HANGZHOU }));
  C.assertRedirect(hq, res, 'created');
  C.assertRedirect(await C.del(admin, res, hq.id), res, 'deleted');
});

test('duplicate code: 409, field marked; duplicate submit leaves one row', async () => {
  const dup = warehouse({ code: main.code });
  const r = await admin.post(res.path, dup);
  C.assertRefused(r, 409);
  C.assertFieldMessage(r, 'code', '已存在相同的记录');
  assert.equal(C.countWhere('warehouses', 'name', dup.name), 0);
  const f = warehouse();
  C.assertRedirect(await C.create(admin, res, f), res, 'created');
  const again = await C.create(admin, res, f);
  C.assertRefused(again, 409);
  C.assertFieldMessage(again, 'code', '已存在相同的记录');
  assert.equal(C.countWhere('warehouses', 'code', f.code), 1);
  C.assertRedirect(await C.del(admin, res, again.id), res, 'deleted');
});

test('stale edit: 409, the saved value shown with the user\'s input; DB keeps the other save', async () => {
  const v = C.versionOf(res, id);
  C.assertRedirect(await C.update(admin, res, id, { ...main, keeper: '他人' }, v), res, 'updated');
  const before = C.rowOf('warehouses', id);
  const r = await C.update(admin, res, id, { ...main, keeper: '本人输入' }, v);
  C.assertRefused(r, 409, '该记录已被他人修改');
  assert.equal(C.formValue(r.text, 'keeper'), '他人');
  assert.match(r.text, /您的输入: 本人输入/);
  assert.deepEqual(C.rowOf('warehouses', id), before);
  main.keeper = '他人';
});

test('unknown and non-numeric ids: 404', async () => {
  await C.assertNotFound(admin, res, main);
});

// ---------------------------------------------------------------- data scope

const szCodes = () => new Set(sql('SELECT code FROM warehouses WHERE company_id = ?', SZ).map((r) => r[0]));

/** Listed codes are CC-SZ's: each in the SQL answer before or after, none missing from both. */
function assertOnlySz(codes, s1, s2) {
  assert.ok(codes.length >= 2, 'the demo warehouses of CC-SZ are listed');
  for (const c of codes) assert.ok(s1.has(c) || s2.has(c), `${c} belongs to CC-SZ`);
  for (const c of s1) if (s2.has(c)) assert.ok(codes.includes(c), `${c} of CC-SZ is listed`);
}

test('warehouse user (CC-SZ): list and CSV export hold only CC-SZ warehouses', async () => {
  const wh = await as('warehouse');
  const s1 = szCodes();
  const l = await C.list(wh, res, { per: 100 });
  const ex = await C.exportFile(wh, res, { fmt: 'csv' });
  const s2 = szCodes();
  assert.equal(l.status, 200);
  assert.ok(l.rows.every((row) => row[2] === SZ_NAME), 'every row is CC-SZ');
  assertOnlySz(l.rows.map((row) => row[0]), s1, s2);
  assert.ok(!l.text.includes('WH-HZ-01') && !l.text.includes('杭州余杭中心仓'));
  assert.doesNotMatch(l.text, /href="\/base\/warehouses\/new"/, 'no "new" button without base_admin');
  const rows = C.assertCsv(ex, HEADER).slice(1);
  assert.ok(rows.every((row) => row[2] === SZ_NAME));
  assertOnlySz(rows.map((row) => row[0]), s1, s2);
  assert.ok(!ex.text.includes('WH-HZ-01'));
  // Filtering by another company shows nothing (in the list and the export).
  const other = await C.list(wh, res, { company_id: HZ });
  assert.equal(other.status, 200);
  assert.deepEqual(other.rows, []);
  assert.ok(!other.text.includes('WH-HZ-01'));
  assert.deepEqual(C.parseCsv((await C.exportFile(wh, res, { fmt: 'csv', company_id: HZ })).text).slice(1), []);
  assert.deepEqual((await C.list(wh, res, { q: 'WH-HZ-01' })).rows, []);
  // The company filter offers only the user's own company.
  assert.deepEqual(C.selectOptions(l.text, 'company_id'), [String(SZ)]);

  // No base_admin: creating, editing and deleting are refused, and nothing is written.
  const hzWh = C.idOf('warehouses', 'code', 'WH-HZ-01');
  const szWh = C.idOf('warehouses', 'code', 'WH-SZ-01');
  assert.equal((await wh.get(`${res.path}/new`)).status, 403);
  const f = warehouse();
  const c = await wh.post(res.path, f);
  assert.equal(c.status, 403);
  assert.equal(C.countWhere('warehouses', 'code', f.code), 0);
  for (const target of [hzWh, szWh, 999999999]) {
    // The same answer for another company's, the own company's and an unknown id: no leak.
    const e = await wh.get(`${res.path}/${target}/edit`);
    assert.equal(e.status, 403, `edit ${target}`);
    assert.ok(!e.text.includes('杭州余杭中心仓'));
    const before = C.rowOf('warehouses', target);
    assert.equal((await wh.post(`${res.path}/${target}`, { ...f, version: 1 })).status, 403);
    assert.equal((await wh.post(`${res.path}/${target}/delete`)).status, 403);
    assert.deepEqual(C.rowOf('warehouses', target), before);
  }
});

// A city-company editor (base_admin, own scope): made for this test from the demo password hash.
let scopedRole, scopedUser;
after(() => {
  if (scopedUser) sql('DELETE FROM users WHERE username = ?', scopedUser);
  if (scopedRole) sql('DELETE FROM roles WHERE code = ?', scopedRole);
});

test('city-company editor: another company\'s warehouse is 404 (edit, update, delete), own is editable', async () => {
  scopedRole = C.ucode('r', 20).toLowerCase();
  scopedUser = C.ucode('u', 20).toLowerCase();
  sql(`INSERT INTO roles (code, name, name_en, perms, scope_all, sort) VALUES (?, ?, 'Scoped editor', 'base_view,base_admin', 0, 999)`, scopedRole, `城市维护${scopedRole}`);
  sql(`INSERT INTO users (username, name, password_hash, role_id, company_id)
    SELECT ?, '城市维护员', password_hash, (SELECT id FROM roles WHERE code = ?), ? FROM users WHERE username = 'warehouse'`,
  scopedUser, scopedRole, SZ);
  const ed = await as(scopedUser);
  const hzWh = C.idOf('warehouses', 'code', 'WH-HZ-01');
  const before = C.rowOf('warehouses', hzWh);
  const e = await ed.get(`${res.path}/${hzWh}/edit`);
  assert.equal(e.status, 404);
  assert.ok(!e.text.includes('杭州余杭中心仓'));
  const u = await ed.post(`${res.path}/${hzWh}`, { code: 'WH-HZ-01', name: '改名', company_id: HZ, city_id: HANGZHOU, version: before.at(-3) });
  assert.equal(u.status, 404);
  const d = await ed.post(`${res.path}/${hzWh}/delete`);
  assert.equal(d.status, 404);
  assert.deepEqual(C.rowOf('warehouses', hzWh), before);
  assert.equal(C.auditOf(u) + C.auditOf(d), 0);
  // Own company: the edit page works; a new warehouse for another company is refused.
  assert.equal((await ed.get(`${res.path}/${id}/edit`)).status, 200);
  const f = warehouse({ company_id: HZ, city_id: HANGZHOU });
  const c = await C.create(ed, res, f);
  C.assertRefused(c, 422);
  C.assertFieldMessage(c, 'company_id', '所选记录不存在或无权使用');
  assert.equal(c.id, null);
  const l = await C.list(ed, res, { per: 100, company_id: HZ });
  assert.deepEqual(l.ids, []);
});

test('leader: sees every company\'s warehouses but may not create, edit or delete', async () => {
  const leader = await as('leader');
  const l = await C.list(leader, res, { per: 100, sort: 'company' });
  assert.equal(l.status, 200);
  const companies = new Set(l.rows.map((row) => row[2]));
  assert.ok(companies.size >= 5, 'several companies listed');
  assert.ok(l.text.includes('WH-HZ-01') && l.text.includes('WH-SZ-01'));
  assert.deepEqual(l.ids, [], 'no edit links');
  const ex = await C.exportFile(leader, res, { fmt: 'csv', company_id: HZ });
  assert.ok(C.assertCsv(ex, HEADER).slice(1).some((row) => row[0] === 'WH-HZ-01'));
  assert.equal((await leader.get(`${res.path}/new`)).status, 403);
  const f = warehouse();
  assert.equal((await leader.post(res.path, f)).status, 403);
  assert.equal(C.countWhere('warehouses', 'code', f.code), 0);
  const before = C.rowOf('warehouses', id);
  assert.equal((await leader.get(`${res.path}/${id}/edit`)).status, 403);
  assert.equal((await leader.post(`${res.path}/${id}`, { ...main, name: '领导改名', version: C.versionOf(res, id) })).status, 403);
  assert.equal((await leader.post(`${res.path}/${id}/delete`)).status, 403);
  assert.deepEqual(C.rowOf('warehouses', id), before);
});

test('delete: 303, row gone, audit "delete"', async () => {
  C.assertRedirect(await C.del(admin, res, id), res, 'deleted');
  assert.equal(C.countWhere('warehouses', 'id', id), 0);
  const last = C.audit('warehouse', id).at(-1);
  assert.deepEqual([last.action, last.user, last.old_value], ['delete', 'admin', main.name]);
});
