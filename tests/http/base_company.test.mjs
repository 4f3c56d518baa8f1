// Business companies (F1.1): CRUD cycle as admin, validation, role flags, references.
import { test, before } from 'node:test';
import { as, sql, scalar, assert } from './lib.mjs';
import * as C from './crud.mjs';

const res = C.R.company;
const HEADER = ['编码', '名称', '类型', '业务角色', '联系人', '电话', '覆盖城市'];
const FLAGS = ['is_lessor', 'is_lessee', 'is_buyer', 'is_supplier', 'is_manufacturer'];
let admin;

before(async () => {
  admin = await as('admin');
});

function company(over = {}) {
  const code = C.ucode('CO', 16);
  return {
    code, name: `测试公司${code}`, kind: 'outside',
    is_lessor: '0', is_lessee: '0', is_buyer: '0', is_supplier: '0', is_manufacturer: '0',
    contact: '测联系人', phone: '0512-6000 0000', address: '江苏省苏州市测试路1号', note: '第一行\n第二行', ...over,
  };
}

/** A company inserted directly (for reference checks). */
function seedCompany(kind, flags = {}) {
  const code = C.ucode('SC', 16);
  sql(`INSERT INTO companies (code, name, kind, is_supplier, is_manufacturer) VALUES (?, ?, ?, ?, ?)`,
    code, `引用${code}`, kind, flags.is_supplier ?? 0, flags.is_manufacturer ?? 0);
  return C.idOf('companies', 'code', code);
}

const main = company({ name: '=HYPERLINK("x")' + C.ucode('', 8), is_supplier: '1', is_manufacturer: '1', contact: C.ucode('K', 10) });
let id;

test('create: 303, row stored with its flags, audit "create"', async () => {
  const r = await C.create(admin, res, main);
  C.assertRedirect(r, res, 'created');
  id = r.id;
  assert.deepEqual(sql(`SELECT code, name, kind, ${FLAGS.join(', ')}, contact, phone, address, note = ?, version
    FROM companies WHERE id = ?`, main.note, id)[0],
  [main.code, main.name, 'outside', '0', '0', '0', '1', '1', main.contact, main.phone, main.address, '1', '1']);
  const a = C.audit('company', id);
  assert.deepEqual(a.map((x) => [x.action, x.user, x.new_value]), [['create', 'admin', main.name]]);
});

test('list: the row with translated kind and roles; filters; sort both ways', async () => {
  const q = await C.list(admin, res, { q: main.code });
  assert.equal(q.status, 200);
  assert.deepEqual(q.ids, [id]);
  assert.deepEqual(q.rows[0].slice(0, 7), [main.code, main.name, '外部公司', '供应商、制造厂商', main.contact, main.phone, '0']);
  const bySupplier = await C.list(admin, res, { q: main.code, kind: 'outside', is_supplier: '1', is_manufacturer: '1' });
  assert.deepEqual(bySupplier.ids, [id]);
  assert.deepEqual((await C.list(admin, res, { q: main.code, kind: 'city' })).ids, []);
  assert.deepEqual((await C.list(admin, res, { q: main.code, is_supplier: '0' })).ids, []);
  assert.equal((await C.list(admin, res, { kind: 'nope' })).status, 400, 'unknown kind filter');
  assert.equal((await C.list(admin, res, { is_supplier: '2' })).status, 400);
  // Two companies sharing the contact, in both orders of code.
  const other = company({ contact: main.contact });
  const r2 = await C.create(admin, res, other);
  C.assertRedirect(r2, res, 'created');
  const sorted = [main.code, other.code].sort();
  const asc = await C.list(admin, res, { q: main.contact, sort: 'code', dir: 'asc' });
  assert.deepEqual(asc.rows.map((row) => row[0]), sorted);
  const desc = await C.list(admin, res, { q: main.contact, sort: 'code', dir: 'desc' });
  assert.deepEqual(desc.rows.map((row) => row[0]), [...sorted].reverse());
  C.assertRedirect(await C.del(admin, res, r2.id), res, 'deleted');
});

test('checkboxes save as a browser submits the form (checked and unchecked)', async () => {
  const page = await admin.get(`${res.path}/new`);
  assert.equal(page.status, 200);
  const f = company({ is_buyer: '1', is_lessee: '1' });
  const fields = C.browserForm(page.text, { ...f, is_buyer: '1', is_lessee: '1', is_lessor: '0' });
  const r = await C.create(admin, res, fields);
  C.assertRedirect(r, res, 'created');
  assert.deepEqual(sql('SELECT is_lessor, is_lessee, is_buyer FROM companies WHERE id = ?', r.id)[0], ['0', '1', '1']);
  const e = await C.edit(admin, res, r.id);
  assert.equal(C.formValue(e.text, 'is_buyer'), '1');
  const u = await admin.post(`${res.path}/${r.id}`, C.browserForm(e.text, { is_buyer: '0', is_lessor: '1' }));
  C.assertRedirect(u, res, 'updated');
  assert.deepEqual(sql('SELECT is_lessor, is_lessee, is_buyer FROM companies WHERE id = ?', r.id)[0], ['1', '1', '0']);
  C.assertRedirect(await C.del(admin, res, r.id), res, 'deleted');
});

test('edit page shows the stored values', async () => {
  const r = await C.edit(admin, res, id);
  assert.equal(r.status, 200);
  for (const f of ['code', 'name', 'kind', 'contact', 'phone', 'address', 'note', ...FLAGS]) {
    assert.equal(C.formValue(r.text, f), main[f], f);
  }
});

test('update: 303, version+1, audit rows for exactly the changed fields', async () => {
  const changed = { ...main, name: main.name + '新', is_lessor: '1', is_supplier: '0', phone: '021-1234567', note: main.note };
  const r = await C.update(admin, res, id, changed);
  C.assertRedirect(r, res, 'updated');
  assert.deepEqual(sql('SELECT name, is_lessor, is_supplier, phone, version FROM companies WHERE id = ?', id)[0],
    [changed.name, '1', '0', '021-1234567', '2']);
  const a = C.audit('company', id, "AND a.action = 'update'").map((x) => [x.field, x.old_value, x.new_value]);
  assert.deepEqual(a.sort(), [
    ['is_lessor', '0', '1'],
    ['is_supplier', '1', '0'],
    ['name', main.name, changed.name],
    ['phone', main.phone, '021-1234567'],
  ].sort());
  Object.assign(main, changed);
});

test('export CSV and XLSX', async () => {
  const ex = await C.exportFile(admin, res, { fmt: 'csv', q: main.code });
  const rows = C.assertCsv(ex, HEADER);
  assert.deepEqual(rows.slice(1), [[main.code, "'" + main.name, '外部公司', '出租方、制造厂商', main.contact, main.phone, '0']]);
  C.assertXlsx(await C.exportFile(admin, res, { fmt: 'xlsx', q: main.code }));
});

test('every required field empty: 422, each marked, nothing written', async () => {
  const r = await admin.post(res.path, company({ code: '', name: '', kind: '', contact: '', phone: '', address: '', note: '' }));
  C.assertRefused(r, 422, '请修正标出的字段。');
  for (const f of ['code', 'name', 'kind']) C.assertFieldMessage(r, f, '必填');
  assert.equal(C.countWhere('companies', 'code', ''), 0);
});

test('over-long text counts characters, not bytes', async () => {
  const ok = company();
  ok.name = C.cjk(100 - 16) + ok.code.padEnd(16, 'x');
  ok.note = C.cjk(500);
  ok.contact = C.cjk(50);
  const r = await C.create(admin, res, ok);
  C.assertRedirect(r, res, 'created');
  assert.deepEqual(sql('SELECT CHAR_LENGTH(name), CHAR_LENGTH(note), CHAR_LENGTH(contact) FROM companies WHERE id = ?', r.id)[0], ['100', '500', '50']);
  C.assertRedirect(await C.del(admin, res, r.id), res, 'deleted');
  for (const [field, n] of [['name', 100], ['contact', 50], ['address', 200], ['note', 500]]) {
    const bad = company({ [field]: C.cjk(n + 1) });
    const b = await C.create(admin, res, bad);
    C.assertRefused(b, 422);
    C.assertFieldMessage(b, field, `最多 ${n} 个字符`);
    assert.equal(b.id, null, `${field} too long wrote nothing`);
  }
  const longCode = await C.create(admin, res, company({ code: 'X'.repeat(33) }));
  C.assertRefused(longCode, 422);
  C.assertFieldMessage(longCode, 'code', '最多 32 个字符');
});

test('wrong values: phone, choice, flag, code characters', async () => {
  const cases = [
    [{ phone: 'call me' }, 'phone', '电话号码格式不正确'],
    [{ phone: '12' }, 'phone', '电话号码格式不正确'],
    [{ kind: 'partner' }, 'kind', '请从列表中选择'],
    [{ is_buyer: 'yes' }, 'is_buyer', '取值无效'],
    [{ code: '公司A' }, 'code', '只能包含字母、数字、-、_、.'],
    [{ code: 'A B' }, 'code', '只能包含字母、数字、-、_、.'],
  ];
  for (const [over, field, msg] of cases) {
    const f = company(over);
    const r = await C.create(admin, res, f);
    C.assertRefused(r, 422);
    C.assertFieldMessage(r, field, msg);
    assert.equal(C.countWhere('companies', 'name', f.name), 0, JSON.stringify(over));
  }
});

test('supplier / manufacturer / lessor flags only for outside companies', async () => {
  for (const kind of ['city', 'head']) {
    for (const flag of ['is_supplier', 'is_manufacturer', 'is_lessor']) {
      const f = company({ kind, [flag]: '1' });
      const r = await C.create(admin, res, f);
      C.assertRefused(r, 422);
      C.assertFieldMessage(r, 'kind', '供应商、制造厂商、出租方只能是外部公司');
      assert.equal(r.id, null, `${kind} + ${flag}`);
    }
  }
  // The same rule on update: the stored outside company cannot become a city company.
  const before = C.rowOf('companies', id);
  const r = await C.update(admin, res, id, { ...main, kind: 'city' });
  C.assertRefused(r, 422);
  C.assertFieldMessage(r, 'kind', '供应商、制造厂商、出租方只能是外部公司');
  assert.deepEqual(C.rowOf('companies', id), before);
  // A city company without those flags is fine.
  const city = company({ kind: 'city', is_lessee: '1', is_buyer: '1' });
  const ok = await C.create(admin, res, city);
  C.assertRedirect(ok, res, 'created');
  C.assertRedirect(await C.del(admin, res, ok.id), res, 'deleted');
});

test('a manufacturer with products cannot stop being one', async () => {
  const m = seedCompany('outside', { is_manufacturer: 1 });
  sql(`INSERT INTO products (manufacturer_id, model, name, rated_power_kw, current_type)
    VALUES (?, ?, '引用产品', 7, 'AC')`, m, C.ucode('P', 20));
  const v = C.rowOf('companies', m);
  const form = { code: v[1], name: v[2], kind: 'outside', is_manufacturer: '0' };
  const r = await C.update(admin, res, m, form);
  C.assertRefused(r, 422);
  C.assertFieldMessage(r, 'is_manufacturer', '仍有该厂商的产品，不能取消制造厂商');
  assert.deepEqual(C.rowOf('companies', m), v);
});

test('duplicate code or name: 409, field marked, nothing written', async () => {
  const dupCode = company({ code: main.code });
  const r = await admin.post(res.path, dupCode);
  C.assertRefused(r, 409);
  C.assertFieldMessage(r, 'code', '已存在相同的记录');
  assert.equal(C.countWhere('companies', 'name', dupCode.name), 0);
  const dupName = company({ name: main.name });
  const r2 = await C.create(admin, res, dupName);
  C.assertRefused(r2, 409);
  C.assertFieldMessage(r2, 'name', '已存在相同的记录');
  assert.equal(r2.id, null);
  assert.equal(C.countWhere('companies', 'name', main.name), 1);
});

test('duplicate submit of the same create: one row', async () => {
  const f = company();
  C.assertRedirect(await C.create(admin, res, f), res, 'created');
  const again = await C.create(admin, res, f);
  C.assertRefused(again, 409);
  C.assertFieldMessage(again, 'code', '已存在相同的记录');
  assert.equal(C.countWhere('companies', 'code', f.code), 1);
  C.assertRedirect(await C.del(admin, res, again.id), res, 'deleted');
});

test('stale edit: 409 with the saved values and the user\'s input; DB keeps the other save', async () => {
  const v = C.versionOf(res, id);
  const theirs = { ...main, contact: '他人' };
  C.assertRedirect(await C.update(admin, res, id, theirs, v), res, 'updated');
  const before = C.rowOf('companies', id);
  const r = await C.update(admin, res, id, { ...main, contact: '我的输入值' }, v);
  C.assertRefused(r, 409, '该记录已被他人修改');
  assert.equal(C.formValue(r.text, 'contact'), '他人');
  assert.match(r.text, /您的输入: 我的输入值/);
  assert.match(r.text, /已显示他人保存的最新内容/);
  assert.deepEqual(C.rowOf('companies', id), before);
  main.contact = '他人';
});

test('unknown and non-numeric ids: 404', async () => {
  await C.assertNotFound(admin, res, main);
});

test('delete refused while referenced: 409 naming the count, row kept', async () => {
  const cityCo = seedCompany('city');
  for (let i = 0; i < 2; i++) {
    sql('INSERT INTO cities (code, name, province, company_id) VALUES (?, ?, ?, ?)', C.ucode('R', 12), `引用市${i}`, `引用省${cityCo}`, cityCo);
  }
  const whCo = seedCompany('city');
  const freeCity = scalar('SELECT id FROM cities WHERE company_id = ? LIMIT 1', cityCo);
  sql('INSERT INTO warehouses (code, name, company_id, city_id) VALUES (?, ?, ?, ?)', C.ucode('W', 20), '引用仓', whCo, freeCity);
  const maker = seedCompany('outside', { is_manufacturer: 1 });
  for (let i = 0; i < 3; i++) {
    sql(`INSERT INTO products (manufacturer_id, model, name, rated_power_kw, current_type) VALUES (?, ?, 'x', 7, 'AC')`, maker, C.ucode('P', 20));
  }
  const cableMaker = seedCompany('outside', { is_manufacturer: 1 });
  sql(`INSERT INTO cable_products (manufacturer_id, model, spec) VALUES (?, ?, 'x')`, cableMaker, C.ucode('CB', 20));
  const staffCo = seedCompany('city');
  const supplierCo = seedCompany('outside', { is_supplier: 1 });
  const role = (code) => C.idOf('roles', 'code', code);
  sql(`INSERT INTO users (username, name, password_hash, role_id, company_id) VALUES (?, 'x', 'x', ?, ?)`, C.ucode('u', 20).toLowerCase(), role('inspector'), staffCo);
  sql(`INSERT INTO users (username, name, password_hash, role_id, company_id) VALUES (?, 'x', 'x', ?, ?)`, C.ucode('u', 20).toLowerCase(), role('inspector'), staffCo);
  sql(`INSERT INTO users (username, name, password_hash, role_id, supplier_id) VALUES (?, 'x', 'x', ?, ?)`, C.ucode('u', 20).toLowerCase(), role('supplier'), supplierCo);
  const cases = [
    [cityCo, '该公司还覆盖 2 个城市，不能删除。'],
    [whCo, '该公司还有 1 个仓库，不能删除。'],
    [maker, '该公司还有 3 个充电桩产品，不能删除。'],
    [cableMaker, '该公司还有 1 个电缆产品，不能删除。'],
    [staffCo, '该公司还有 2 个用户，不能删除。'],
    [supplierCo, '该公司还有 1 个用户，不能删除。'],
  ];
  for (const [cid, msg] of cases) {
    const before = C.rowOf('companies', cid);
    const r = await C.del(admin, res, cid);
    C.assertRefused(r, 409, msg);
    assert.deepEqual(C.rowOf('companies', cid), before, msg);
  }
  // The demo city company with cities, warehouses and users is refused too.
  const sz = C.idOf('companies', 'code', 'CC-SZ');
  const r = await C.del(admin, res, sz);
  // (Other test files add CC-SZ cities while this runs: the exact counts are checked above.)
  C.assertRefused(r, 409, /^该公司还覆盖 \d+ 个城市，不能删除。$/);
  assert.equal(C.countWhere('companies', 'id', sz), 1);
});

test('delete: 303, row gone, audit "delete"', async () => {
  const r = await C.del(admin, res, id);
  C.assertRedirect(r, res, 'deleted');
  assert.equal(C.countWhere('companies', 'id', id), 0);
  const last = C.audit('company', id).at(-1);
  assert.deepEqual([last.action, last.user, last.old_value], ['delete', 'admin', main.name]);
  assert.equal((await C.edit(admin, res, id)).status, 404);
});
