// Users (F1.4): CRUD cycle as admin, password policy and hashing, role/scope rules,
// self-disable, history-protected delete; the password never shows anywhere.
import { test, before, after } from 'node:test';
import { as, sql, scalar, Client, assert } from './lib.mjs';
import * as C from './crud.mjs';

const res = C.R.user;
const HEADER = ['用户名', '名称', '角色', '所属公司', '电话', '启用', '最近登录'];
const role = (code) => C.idOf('roles', 'code', code);
const SZ = C.idOf('companies', 'code', 'CC-SZ');
const SPHY = C.idOf('companies', 'code', 'SP-HY');
const ADMIN_ID = C.idOf('users', 'username', 'admin');
const SECRET = `Pw${C.ucode('', 10)}9x`;
let admin;

before(async () => {
  admin = await as('admin');
});

// Whatever happens, the demo admin stays usable for the other test files.
after(() => {
  sql('UPDATE users SET enabled = 1 WHERE id = ? AND enabled = 0', ADMIN_ID);
});

function user(over = {}) {
  const username = C.ucode('u', 20).toLowerCase();
  return {
    username, name: `测试用户${username.slice(-6)}`, role_id: role('inspector'), company_id: SZ, supplier_id: '',
    phone: '13900001111', email: `${username}@example.com`, lang: 'zh-CN', enabled: '1', password: SECRET, ...over,
  };
}

const main = user({ name: '=测试' + C.ucode('', 6) });
let id;
const pages = [];	// every page seen, checked for the password at the end

function assertNoSecret(text, where) {
  assert.ok(!text.includes(SECRET), `the password is not in ${where}`);
}

test('create: 303, argon2id hash stored, audit "create" without the password', async () => {
  const r = await C.create(admin, res, main);
  pages.push(r.text);
  C.assertRedirect(r, res, 'created');
  id = r.id;
  assert.deepEqual(sql(`SELECT username, name, role_id, company_id, supplier_id, phone, email, lang, enabled, version
    FROM users WHERE id = ?`, id)[0],
  [main.username, main.name, String(role('inspector')), String(SZ), null, main.phone, main.email, 'zh-CN', '1', '1']);
  const hash = scalar('SELECT password_hash FROM users WHERE id = ?', id);
  assert.match(hash, /^\$argon2id\$/);
  assertNoSecret(hash, 'the hash');
  assert.deepEqual(C.audit('user', id).map((a) => [a.action, a.user, a.field, a.new_value]), [['create', 'admin', null, main.username]]);
  // The new user can sign in with that password.
  const u = await new Client().login(main.username, SECRET);
  assert.equal((await u.get('/base/')).status, 200);
});

test('list: the row; filters; sort both ways', async () => {
  const q = await C.list(admin, res, { q: main.username });
  pages.push(q.text);
  assert.deepEqual(q.ids, [id]);
  assert.deepEqual(q.rows[0].slice(0, 6), [main.username, main.name, '巡检员', '蓝途充电（苏州）有限公司', main.phone, '是']);
  assert.match(q.rows[0][6], /^\d{4}-\d\d-\d\d \d\d:\d\d$/, 'last login shown (China time)');
  assert.deepEqual((await C.list(admin, res, { q: main.username, role_id: role('inspector'), company_id: SZ, enabled: '1' })).ids, [id]);
  assert.deepEqual((await C.list(admin, res, { q: main.username, role_id: role('admin') })).ids, []);
  assert.deepEqual((await C.list(admin, res, { q: main.username, enabled: '0' })).ids, []);
  const second = user({ username: main.username + 'b', name: main.name + 'b' });
  const r2 = await C.create(admin, res, second);
  C.assertRedirect(r2, res, 'created');
  assert.deepEqual((await C.list(admin, res, { q: main.username, sort: 'username', dir: 'asc' })).ids, [id, r2.id]);
  assert.deepEqual((await C.list(admin, res, { q: main.username, sort: 'username', dir: 'desc' })).ids, [r2.id, id]);
  C.assertRedirect(await C.del(admin, res, r2.id), res, 'deleted');
  // Supplier users are found by their supplier.
  const sup = (await C.list(admin, res, { company_id: SPHY })).rows.map((row) => row[0]);
  assert.ok(sup.includes('supplier2'));
});

test('edit page: values, username read-only, no password field', async () => {
  const r = await C.edit(admin, res, id);
  pages.push(r.text);
  assert.equal(r.status, 200);
  for (const f of ['username', 'name', 'phone', 'email', 'lang', 'enabled']) assert.equal(C.formValue(r.text, f), main[f], f);
  assert.equal(C.formValue(r.text, 'role_id'), String(role('inspector')));
  assert.equal(C.formValue(r.text, 'company_id'), String(SZ));
  assert.equal(C.formValue(r.text, 'supplier_id'), '');
  assert.match(r.text, /<input[^>]*id="f-username"[^>]*readonly/);
  assert.doesNotMatch(r.text, /name="password"/);
  const n = await admin.get(`${res.path}/new`);
  assert.match(n.text, /<input[^>]*id="f-password"[^>]*type="password" value=""/);
});

test('update: 303, username fixed, audit rows for exactly the changed fields', async () => {
  const changed = { ...main, username: main.username + 'zz', name: main.name + '改', lang: 'en', email: '', role_id: role('warehouse') };
  delete changed.password;
  const r = await C.update(admin, res, id, changed);
  C.assertRedirect(r, res, 'updated');
  assert.deepEqual(sql('SELECT username, name, lang, email, role_id, version FROM users WHERE id = ?', id)[0],
    [main.username, changed.name, 'en', null, String(role('warehouse')), '2']);
  const a = C.audit('user', id, "AND a.action = 'update'").map((x) => [x.field, x.old_value, x.new_value]);
  assert.deepEqual(a.sort(), [
    ['email', main.email, ''],
    ['lang', 'zh-CN', 'en'],
    ['name', main.name, changed.name],
    ['role_id', String(role('inspector')), String(role('warehouse'))],
  ]);
  Object.assign(main, { name: changed.name, lang: 'en', email: '', role_id: role('warehouse') });
});

test('export CSV (formula cells neutralised) and XLSX', async () => {
  const ex = await C.exportFile(admin, res, { fmt: 'csv', q: main.username });
  pages.push(ex.text);
  const rows = C.assertCsv(ex, HEADER);
  assert.deepEqual(rows.slice(1).map((row) => row.slice(0, 6)), [[main.username, "'" + main.name, '仓管员', '蓝途充电（苏州）有限公司', main.phone, '是']]);
  C.assertXlsx(await C.exportFile(admin, res, { fmt: 'xlsx', q: main.username }));
});

test('every required field empty: 422, each marked, nothing written', async () => {
  const r = await admin.post(res.path, { username: '', name: '', role_id: '', company_id: '', supplier_id: '', phone: '', email: '', lang: '', enabled: '', password: '' });
  C.assertRefused(r, 422, '请修正标出的字段。');
  for (const f of ['username', 'name', 'role_id', 'lang', 'password']) C.assertFieldMessage(r, f, '必填');
  assert.equal(C.countWhere('users', 'username', ''), 0);
});

test('over-long text counts characters: exactly the limit in CJK is accepted', async () => {
  const ok = user({ name: C.cjk(50) });
  const r = await C.create(admin, res, ok);
  C.assertRedirect(r, res, 'created');
  assert.equal(scalar('SELECT CHAR_LENGTH(name) FROM users WHERE id = ?', r.id), 50);
  C.assertRedirect(await C.del(admin, res, r.id), res, 'deleted');
  const cases = [
    [{ name: C.cjk(51) }, 'name', '最多 50 个字符'],
    [{ username: 'u'.repeat(33) }, 'username', '最多 32 个字符'],
    [{ email: `${'e'.repeat(90)}@example.com` }, 'email', '最多 100 个字符'],
    [{ password: 'a1'.repeat(64) + 'x' }, 'password', '最多 128 个字符'],
  ];
  for (const [over, field, msg] of cases) {
    const f = user(over);
    const b = await C.create(admin, res, f);
    C.assertRefused(b, 422);
    C.assertFieldMessage(b, field, msg);
    assert.equal(C.countWhere('users', 'username', f.username), 0, field);
  }
});

test('wrong values and references: 422, nothing written, password not echoed', async () => {
  const cases = [
    [{ email: 'not-an-email' }, 'email', '邮箱格式不正确'],
    [{ email: 'a@b@example.com' }, 'email', '邮箱格式不正确'],
    [{ phone: 'phone' }, 'phone', '电话号码格式不正确'],
    [{ lang: 'fr' }, 'lang', '请从列表中选择'],
    [{ enabled: 'yes' }, 'enabled', '取值无效'],
    [{ username: 'zhang san' }, 'username', '只能包含字母、数字、-、_、.'],
    [{ role_id: 999999999 }, 'role_id', '所选记录不存在或无权使用'],
    [{ company_id: 999999999 }, 'company_id', '所选记录不存在或无权使用'],
    [{ company_id: C.idOf('companies', 'code', 'MF-XC') }, 'company_id', '所选记录不存在或无权使用'],
    [{ role_id: role('supplier'), company_id: '', supplier_id: SZ }, 'supplier_id', '所选记录不存在或无权使用'],
  ];
  for (const [over, field, msg] of cases) {
    const f = user(over);
    const r = await C.create(admin, res, f);
    pages.push(r.text);
    C.assertRefused(r, 422);
    C.assertFieldMessage(r, field, msg);
    assert.equal(C.countWhere('users', 'username', f.username), 0, JSON.stringify(over));
  }
});

test('password policy: at least 8 characters with letters and digits', async () => {
  const cases = [
    ['Ab1', '密码至少 8 位'],
    ['abcdefgh', '密码须同时包含字母和数字'],
    ['12345678', '密码须同时包含字母和数字'],
    ['测试测试测试测试', '密码须同时包含字母和数字'],
  ];
  for (const [password, msg] of cases) {
    const f = user({ password });
    const r = await C.create(admin, res, f);
    C.assertRefused(r, 422);
    C.assertFieldMessage(r, 'password', msg);
    assert.ok(!r.text.includes(`value="${password}"`), 'the password is not echoed');
    assert.equal(C.countWhere('users', 'username', f.username), 0, password);
  }
});

test('scope follows the role: suppliers need a supplier and no company, staff a company', async () => {
  const cases = [
    [{ role_id: role('supplier'), company_id: SZ, supplier_id: SPHY }, 'company_id', '供应商用户不属于城市公司'],
    [{ role_id: role('supplier'), company_id: '', supplier_id: '' }, 'supplier_id', '供应商角色须选择所属供应商'],
    [{ role_id: role('inspector'), company_id: '' }, 'company_id', '员工须选择所属公司'],
    [{ role_id: role('inspector'), supplier_id: SPHY }, 'supplier_id', '员工不能关联供应商'],
  ];
  for (const [over, field, msg] of cases) {
    const f = user(over);
    const r = await C.create(admin, res, f);
    pages.push(r.text);
    C.assertRefused(r, 422);
    C.assertFieldMessage(r, field, msg);
    assert.equal(C.countWhere('users', 'username', f.username), 0, JSON.stringify(over));
  }
  const sup = user({ role_id: role('supplier'), company_id: '', supplier_id: SPHY });
  const r = await C.create(admin, res, sup);
  C.assertRedirect(r, res, 'created');
  assert.deepEqual(sql('SELECT company_id, supplier_id FROM users WHERE id = ?', r.id)[0], [null, String(SPHY)]);
  C.assertRedirect(await C.del(admin, res, r.id), res, 'deleted');
});

test('duplicate username: 409, field marked; duplicate submit leaves one row', async () => {
  const dup = user({ username: main.username });
  const r = await admin.post(res.path, dup);
  C.assertRefused(r, 409);
  C.assertFieldMessage(r, 'username', '已存在相同的记录');
  assert.equal(C.countWhere('users', 'name', dup.name), 0);
  const f = user();
  C.assertRedirect(await C.create(admin, res, f), res, 'created');
  const again = await C.create(admin, res, f);
  C.assertRefused(again, 409);
  C.assertFieldMessage(again, 'username', '已存在相同的记录');
  assert.equal(C.countWhere('users', 'username', f.username), 1);
  C.assertRedirect(await C.del(admin, res, again.id), res, 'deleted');
});

test('stale edit: 409, the saved value shown with the user\'s input; DB keeps the other save', async () => {
  const v = C.versionOf(res, id);
  const base = { ...main };
  delete base.password;
  C.assertRedirect(await C.update(admin, res, id, { ...base, phone: '021-7777777' }, v), res, 'updated');
  const before = C.rowOf('users', id);
  const r = await C.update(admin, res, id, { ...base, phone: '021-8888888' }, v);
  C.assertRefused(r, 409, '该记录已被他人修改');
  assert.equal(C.formValue(r.text, 'phone'), '021-7777777');
  assert.match(r.text, /您的输入: 021-8888888/);
  assert.deepEqual(C.rowOf('users', id), before);
  main.phone = '021-7777777';
});

test('the admin cannot disable their own account', async () => {
  const e = await C.edit(admin, res, ADMIN_ID);
  const before = C.rowOf('users', ADMIN_ID);
  const r = await admin.post(`${res.path}/${ADMIN_ID}`, C.browserForm(e.text, { enabled: '0' }));
  C.assertRefused(r, 422);
  C.assertFieldMessage(r, 'enabled', '不能停用自己的账号');
  assert.equal(scalar('SELECT enabled FROM users WHERE id = ?', ADMIN_ID), 1);
  assert.deepEqual(C.rowOf('users', ADMIN_ID), before);
  assert.equal((await admin.get('/base/')).status, 200, 'still signed in');
});

test('disabling a user ends their sessions', async () => {
  const f = user();
  const r = await C.create(admin, res, f);
  C.assertRedirect(r, res, 'created');
  const u = await new Client().login(f.username, SECRET);
  assert.ok(scalar('SELECT COUNT(*) FROM sessions WHERE user_id = ?', r.id) >= 1);
  const e = await C.edit(admin, res, r.id);
  C.assertRedirect(await admin.post(`${res.path}/${r.id}`, C.browserForm(e.text, { enabled: '0' })), res, 'updated');
  assert.equal(scalar('SELECT enabled FROM users WHERE id = ?', r.id), 0);
  assert.equal(scalar('SELECT COUNT(*) FROM sessions WHERE user_id = ?', r.id), 0);
  const after = await u.get('/base/');
  assert.equal(after.status, 303);
  assert.match(after.headers.get('location') ?? '', /^\/base\/login/);
  C.assertRedirect(await C.del(admin, res, r.id), res, 'deleted');
});

test('unknown and non-numeric ids: 404', async () => {
  const fields = { ...main };
  delete fields.password;
  await C.assertNotFound(admin, res, fields);
});

test('a user with history cannot be deleted: 409 naming the count', async () => {
  // The user changes their own password: one update record authored by them.
  const u = await new Client().login(main.username, SECRET);
  const NEW = `${SECRET}2`;
  const pw = await u.post('/base/password', { current: SECRET, new: NEW, confirm: NEW });
  pages.push(pw.text);
  assert.equal(pw.status, 200);
  const n = scalar('SELECT COUNT(*) FROM audit_log WHERE user_id = ?', id);
  assert.ok(n >= 1);
  const before = C.rowOf('users', id);
  const r = await C.del(admin, res, id);
  C.assertRefused(r, 409, `该用户已有 ${n} 条操作记录，不能删除，请停用。`);
  assert.deepEqual(C.rowOf('users', id), before);
  // The demo admin likewise.
  const a = await C.del(admin, res, ADMIN_ID);
  C.assertRefused(a, 409, /该用户已有 \d+ 条操作记录/);
  assert.equal(C.countWhere('users', 'id', ADMIN_ID), 1);
});

test('delete of a user without history: 303, row gone, audit "delete"', async () => {
  const f = user();
  const r = await C.create(admin, res, f);
  C.assertRedirect(r, res, 'created');
  C.assertRedirect(await C.del(admin, res, r.id), res, 'deleted');
  assert.equal(C.countWhere('users', 'id', r.id), 0);
  const last = C.audit('user', r.id).at(-1);
  assert.deepEqual([last.action, last.user, last.old_value], ['delete', 'admin', f.username]);
});

test('the password is in no page, export or update record', async () => {
  const rec = await admin.get(`/base/records?entity=user&entity_id=${id}`);
  assert.equal(rec.status, 200);
  pages.push(rec.text);
  pages.forEach((t, i) => assertNoSecret(t, `page ${i}`));
  assert.equal(scalar('SELECT COUNT(*) FROM audit_log WHERE old_value LIKE ? OR new_value LIKE ?', `%${SECRET}%`, `%${SECRET}%`), 0);
  // The password change is recorded without values.
  assert.deepEqual(sql("SELECT old_value, new_value FROM audit_log WHERE entity = 'user' AND entity_id = ? AND field = 'password'", id), [[null, null]]);
});
