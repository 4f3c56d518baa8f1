// Regression tests of the security findings of issue 9, each reproduced on the demo before
// the fix: an open redirect through `next` (control characters, backslash), any account locked
// from anywhere by five wrong passwords, the password change neither throttled nor rotating the
// session, no absolute session lifetime, a voided code of another company answering 410 instead
// of 404, common and user-derived passwords accepted, and the CSRF token taken from the query
// string.
//
// The client address is nginx's REMOTE_ADDR: tests that need a second address connect from
// another loopback address (Client({ localAddress })), which Linux routes to nginx on 127.0.0.1.
// Each such test uses its own addresses so the suite's failures from 127.0.0.1 are not touched.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Client, as, sql, scalar, uniq, PASSWORD } from './lib.mjs';
import * as C from './crud.mjs';

const STRONG = 'Qz8w-Lantu-2026';
const MSG_THROTTLED = /登录失败次数过多，请 (\d+) 分钟后再试。/;
const HQ = C.idOf('companies', 'code', 'HQ');
const HZ = C.idOf('companies', 'code', 'CC-HZ');
const MF_XC = C.idOf('companies', 'code', 'MF-XC'); // the company of user "supplier"

let admin;
const made = [];	// users this file created
const names = new Set();	// usernames whose login_failures rows go at the end

before(async () => {
  admin = await as('admin');
});

after(() => {
  for (const n of names) sql('DELETE FROM login_failures WHERE username = ?', n);
  for (const id of made) sql('DELETE FROM users WHERE id = ?', id);
});

const sidHash = (token) => createHash('sha256').update(token).digest('hex');
const sessionsOf = (id) => scalar('SELECT COUNT(*) FROM sessions WHERE user_id = ?', id);
const failures = (username, ip) => scalar('SELECT COUNT(*) FROM login_failures WHERE username = ? AND ip = ?', username, ip);

/** A staff user (inspector, head office) made through the admin UI. */
async function makeUser({ lang = 'zh-CN', password = STRONG } = {}) {
  const username = uniq('sec').toLowerCase();
  names.add(username);
  const res = await admin.post('/base/users', {
    username, name: `安全${username}`, role_id: scalar("SELECT id FROM roles WHERE code = 'inspector'"),
    company_id: HQ, lang, enabled: 1, password,
  });
  assert.equal(res.status, 303, `creating ${username}: ${C.alertText(res.text) ?? res.status}`);
  const id = scalar('SELECT id FROM users WHERE username = ?', username);
  made.push(id);
  return { id, username, password };
}

async function tryLogin(client, username, password) {
  assert.equal((await client.get('/base/login')).status, 200);
  return client.post('/base/login', { username, password });
}

async function signedIn(client) {
  const res = await client.get('/base/');
  if (res.status === 200) return true;
  assert.equal(res.status, 303);
  return false;
}

// ---------------------------------------------------------------- open redirect

test('`next` with a tab, newline or backslash never leaves the site (language switch and sign-in)', async () => {
  const evil = ['/\t/evil.example/', '/\t\\evil.example/', '/\\/evil.example/', '/\n/evil.example/',
    '/\r\n/evil.example/', '/ /evil.example/', '\\\\evil.example/', '//evil.example/', '/\x0b/evil.example'];
  const c = new Client();
  for (const next of evil) {
    const res = await c.get(`/base/lang?to=zh-CN&next=${encodeURIComponent(next)}`);
    assert.equal(res.status, 303, JSON.stringify(next));
    assert.equal(res.headers.get('location'), '/base/', `lang next=${JSON.stringify(next)}`);
  }
  // The finding's exact URLs.
  for (const q of ['%2F%09%2Fevil.example%2F', '%2F%09%5Cevil.example%2F']) {
    const res = await c.get(`/base/lang?to=zh-CN&next=${q}`);
    assert.equal(res.headers.get('location'), '/base/', q);
  }
  // A local path is still followed.
  const ok = await c.get(`/base/lang?to=en&next=${encodeURIComponent('/base/cities?page=2')}`);
  assert.equal(ok.headers.get('location'), '/base/cities?page=2');

  const u = await makeUser();
  for (const next of ['/\t/evil.example/', '/\\evil.example']) {
    const d = new Client();
    await d.get('/base/login');
    const r = await d.post('/base/login', { username: u.username, password: u.password, next });
    assert.equal(r.status, 303);
    assert.equal(r.headers.get('location'), '/base/', `login next=${JSON.stringify(next)}`);
  }
  // The phone's sign-in: the same check, restricted to /wx/ pages.
  const p = new Client();
  await p.get('/wx/login');
  const r = await p.post('/wx/login', { username: u.username, password: u.password, next: '/wx/\t\\evil.example' });
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), '/wx/scan');
});

// ---------------------------------------------------------------- throttling

test('five wrong passwords from one address do not lock the account for another address', async () => {
  const u = await makeUser();
  const A = '127.0.0.2', B = '127.0.0.3';
  const a = new Client({ localAddress: A });
  for (let i = 0; i < 5; i++) {
    const res = await tryLogin(a, u.username, `Wrong-pass-${i}x`);
    assert.equal(res.status, 401, `attempt ${i + 1}`);
  }
  assert.equal(failures(u.username, A), 5, 'the failures are recorded with the address nginx saw');
  let res = await tryLogin(a, u.username, u.password);
  assert.equal(res.status, 429, 'the attacking address waits, even with the right password');
  assert.equal(res.text.match(MSG_THROTTLED)?.[1], '15');
  // A header claiming another address changes nothing: only REMOTE_ADDR counts.
  await a.get('/base/login');
  res = await a.post('/base/login', { username: u.username, password: u.password },
    { headers: { 'x-forwarded-for': B, 'x-real-ip': B } });
  assert.equal(res.status, 429);

  // The owner, elsewhere, signs in.
  const b = new Client({ localAddress: B });
  res = await tryLogin(b, u.username, u.password);
  assert.equal(res.status, 303, 'the right password from another address signs in');
  assert.equal(scalar('SELECT ip FROM sessions WHERE id = ?', sidHash(b.cookies.get('ca_sid'))), B);
  assert.equal(await signedIn(b), true);
  // … which clears only its own pair: A still waits.
  assert.equal(failures(u.username, A), 5);
  res = await tryLogin(a, u.username, u.password);
  assert.equal(res.status, 429, 'the first address stays refused');
  assert.equal(sessionsOf(u.id), 1);
});

test('the wait grows: a failure after the first delay doubles it', async () => {
  const u = await makeUser();
  const A = '127.0.0.4';
  const a = new Client({ localAddress: A });
  for (let i = 0; i < 5; i++) assert.equal((await tryLogin(a, u.username, `Wrong-pass-${i}y`)).status, 401);
  const back = (min) => sql('UPDATE login_failures SET at = at - INTERVAL ? MINUTE WHERE username = ? AND ip = ?', min, u.username, A);
  // The first delay (15 minutes) over, one more try is allowed; it fails: 30 minutes now.
  back(16);
  assert.equal((await tryLogin(a, u.username, 'Wrong-pass-6y')).status, 401);
  let res = await tryLogin(a, u.username, u.password);
  assert.equal(res.status, 429);
  assert.equal(res.text.match(MSG_THROTTLED)?.[1], '30');
  back(16);
  res = await tryLogin(a, u.username, u.password);
  assert.equal(res.status, 429, '16 minutes are not enough after six failures');
  assert.equal(res.text.match(MSG_THROTTLED)?.[1], '14');
  back(15);
  res = await tryLogin(a, u.username, u.password);
  assert.equal(res.status, 303, 'after the doubled delay the right password signs in');
  assert.equal(failures(u.username, A), 0, 'and clears the pair');
});

test('wrong current passwords on the password page are recorded and throttled like sign-in', async () => {
  const u = await makeUser();
  const A = '127.0.0.5';
  const c = new Client({ localAddress: A });
  await c.login(u.username, u.password);
  const hash = scalar('SELECT password_hash FROM users WHERE id = ?', u.id);
  const NEW = 'Vb7n-Charge-2027';
  for (let i = 0; i < 5; i++) {
    const res = await c.post('/base/password', { current: `Not-mine-${i}z`, new: NEW, confirm: NEW });
    assert.equal(res.status, 422, `attempt ${i + 1}`);
    assert.match(res.text, /当前密码不正确/);
  }
  assert.equal(failures(u.username, A), 5, 'each wrong current password is a recorded failure');
  let res = await c.post('/base/password', { current: u.password, new: NEW, confirm: NEW });
  assert.equal(res.status, 429, 'then even the right one waits');
  assert.match(res.text, MSG_THROTTLED);
  assert.equal(scalar('SELECT password_hash FROM users WHERE id = ?', u.id), hash, 'nothing changed');
  // The same pair's sign-in waits too; the failures are one throttle.
  res = await tryLogin(new Client({ localAddress: A }), u.username, u.password);
  assert.equal(res.status, 429);
});

// ---------------------------------------------------------------- sessions

test('a password change rotates the session: new cookie and CSRF token, every old session ended', async () => {
  const u = await makeUser();
  const c1 = await new Client().login(u.username, u.password);
  const c2 = await new Client().login(u.username, u.password);
  const old = c1.cookies.get('ca_sid'), oldCsrf = c1.csrf;
  assert.equal(sessionsOf(u.id), 2);
  const NEW = 'Vb7n-Charge-2028';
  const res = await c1.post('/base/password', { current: u.password, new: NEW, confirm: NEW });
  assert.equal(res.status, 200);
  const now = c1.cookies.get('ca_sid');
  assert.ok(now && now !== old, 'a new session cookie is set');
  assert.notEqual(c1.csrf, oldCsrf, 'the page carries a new CSRF token');
  assert.equal(scalar('SELECT COUNT(*) FROM sessions WHERE id = ?', sidHash(old)), 0, 'the old session id is gone');
  assert.equal(sessionsOf(u.id), 1);
  const stale = new Client();
  stale.cookies.set('ca_sid', old);
  assert.equal(await signedIn(stale), false, 'the old cookie no longer signs in');
  assert.equal(await signedIn(c2), false, 'the other session is ended');
  assert.equal(await signedIn(c1), true, 'the new cookie does');
  assert.equal((await c1.post('/base/logout')).status, 303, 'and the new CSRF token works');
});

test('a session ends after Session.max_hours (24) even while it is in use', async () => {
  const u = await makeUser();
  const c = await new Client().login(u.username, u.password);
  const id = sidHash(c.cookies.get('ca_sid'));
  sql('UPDATE sessions SET created_at = UTC_TIMESTAMP() - INTERVAL 23 HOUR WHERE id = ?', id);
  assert.equal(await signedIn(c), true, '23 hours after sign-in it still works');
  // Recently used (the sliding expiry alone would keep it), but signed in 25 hours ago.
  sql('UPDATE sessions SET created_at = UTC_TIMESTAMP() - INTERVAL 25 HOUR,'
    + ' last_seen_at = UTC_TIMESTAMP(), expires_at = UTC_TIMESTAMP() + INTERVAL 12 HOUR WHERE id = ?', id);
  assert.equal(await signedIn(c), false, 'after 25 hours it is over');
  // The touch of the sliding expiry never extends past the absolute end.
  const d = await new Client().login(u.username, u.password);
  const did = sidHash(d.cookies.get('ca_sid'));
  sql('UPDATE sessions SET created_at = UTC_TIMESTAMP() - INTERVAL 20 HOUR,'
    + ' last_seen_at = UTC_TIMESTAMP() - INTERVAL 1 HOUR WHERE id = ?', did);
  assert.equal(await signedIn(d), true);
  assert.ok(scalar('SELECT expires_at <= created_at + INTERVAL 24 HOUR FROM sessions WHERE id = ?', did) === 1,
    'the sliding expiry stops at created_at + 24 h');
});

// ---------------------------------------------------------------- voided codes

/** A phone client of a demo account. */
async function phone(username) {
  const c = new Client();
  await c.get('/wx/login');
  const r = await c.post('/wx/login', { username, password: PASSWORD });
  assert.equal(r.status, 303, `phone login ${username}`);
  return c;
}

test('a voided code of another company or supplier is not found (404), not "voided" (410)', async () => {
  const tag = C.ucode('', 8).replace(/[^0-9A-Z]/g, 'X');
  const rule = sql(`INSERT INTO code_rules (name, prefix, company_id, segment, year_digits, serial_width, check_char)
    VALUES (?, 'ZS', ?, '', 0, 6, 0); SELECT LAST_INSERT_ID()`, `sec-void-${tag}`, HZ)[0][0];
  const batch = sql(`INSERT INTO qr_batches (rule_id, count, first_serial, year, state, done_count, created_by)
    VALUES (?, 2, 1, 2026, 'done', 2, (SELECT id FROM users WHERE username = 'admin')); SELECT LAST_INSERT_ID()`, rule)[0][0];
  // A Hangzhou pile neither of the supplier's make nor supplied by it.
  const pile = scalar(`SELECT p.id FROM piles p LEFT JOIN products pr ON pr.id = p.product_id
    WHERE p.company_id = ? AND COALESCE(pr.manufacturer_id, 0) <> ? AND COALESCE(p.supplier_id, 0) <> ?
    ORDER BY p.id LIMIT 1`, HZ, MF_XC, MF_XC);
  assert.ok(pile, 'a Hangzhou pile of another make');
  const onPile = `ZS${tag}P`, loose = `ZS${tag}L`;
  sql(`INSERT INTO qr_codes (code, batch_id, serial, state, pile_id, voided_at) VALUES (?, ?, 1, 'void', ?, UTC_TIMESTAMP())`, onPile, batch, pile);
  sql(`INSERT INTO qr_codes (code, batch_id, serial, state, voided_at) VALUES (?, ?, 2, 'void', UTC_TIMESTAMP())`, loose, batch);
  try {
    const inspector = await phone('inspector'); // CC-SZ
    const supplier = await phone('supplier'); // MF-XC
    const inspector2 = await phone('inspector2'); // CC-HZ
    const ops = await phone('ops'); // every company
    for (const code of [onPile, loose]) {
      for (const [who, c] of [['inspector', inspector], ['supplier', supplier]]) {
        const r = await c.get(`/wx/p/${code}`);
        assert.equal(r.status, 404, `${who} on ${code}`);
        assert.match(C.alertText(r.text), /没有找到该充电桩/);
        assert.doesNotMatch(r.text, /已作废/);
      }
      for (const [who, c] of [['inspector2', inspector2], ['ops', ops]]) {
        const r = await c.get(`/wx/p/${code}`);
        assert.equal(r.status, 410, `${who} on ${code}`);
        assert.match(C.alertText(r.text), /已作废/);
      }
    }
    // The supplier sees a voided code of a pile of its own make.
    const own = scalar(`SELECT p.id FROM piles p JOIN products pr ON pr.id = p.product_id
      WHERE pr.manufacturer_id = ? ORDER BY p.id LIMIT 1`, MF_XC);
    assert.ok(own, 'a pile of the supplier\'s make');
    sql('UPDATE qr_codes SET pile_id = ? WHERE code = ?', own, onPile);
    assert.equal((await supplier.get(`/wx/p/${onPile}`)).status, 410);
  } finally {
    sql('DELETE FROM qr_codes WHERE batch_id = ?', batch);
    sql('DELETE FROM qr_batches WHERE id = ?', batch);
    sql('DELETE FROM code_rules WHERE id = ?', rule);
  }
});

// ---------------------------------------------------------------- password policy

test('common and user-derived passwords are refused wherever a password is set', async () => {
  const roleId = scalar("SELECT id FROM roles WHERE code = 'inspector'");
  const username = uniq('pq').toLowerCase();
  names.add(username);
  const cases = [
    ['password1', /密码太常见或过于简单/],
    ['aaaaaaa1', /密码不能包含过多重复或连续的字符/],
    [`${username}2024`, /密码不能包含用户名/],
    [`2024${username.toUpperCase()}`, /密码不能包含用户名/],
  ];
  // Created by an administrator.
  for (const [password, msg] of cases) {
    const r = await admin.post('/base/users', {
      username, name: `策略${username}`, role_id: roleId, company_id: HQ, lang: 'zh-CN', enabled: 1, password,
    });
    assert.equal(r.status, 422, password);
    C.assertFieldMessage(r, 'password', msg);
    assert.ok(!r.text.includes(`value="${password}"`), 'the password is not echoed');
    assert.equal(C.countWhere('users', 'username', username), 0, `no user made with ${password}`);
  }
  // Reset by an administrator.
  const u = await makeUser();
  const hash = scalar('SELECT password_hash FROM users WHERE id = ?', u.id);
  for (const pw of ['password1', 'aaaaaaa1', `${u.username}99`]) {
    const r = await admin.post(`/base/users/${u.id}/password`, { password: pw });
    assert.equal(r.status, 422, pw);
    assert.match(r.text, /is-invalid[^>]*id="password"|id="password"[^>]*is-invalid/);
  }
  // Changed by the user, in Chinese and in English.
  const c = await new Client().login(u.username, u.password);
  for (const [pw, msg] of [['password1', /密码太常见或过于简单/], [`${u.username}7`, /密码不能包含用户名/]]) {
    const r = await c.post('/base/password', { current: u.password, new: pw, confirm: pw });
    assert.equal(r.status, 422, pw);
    assert.match(r.text, msg);
  }
  assert.equal(scalar('SELECT password_hash FROM users WHERE id = ?', u.id), hash, 'nothing was changed');
  const e = await makeUser({ lang: 'en' });
  const ce = await new Client().login(e.username, e.password);
  let r = await ce.post('/base/password', { current: e.password, new: 'password1', confirm: 'password1' });
  assert.equal(r.status, 422);
  assert.match(r.text, /Password is too common or too simple/);
  r = await ce.post('/base/password', { current: e.password, new: `${e.username}1x`, confirm: `${e.username}1x` });
  assert.match(r.text, /Password must not contain the user name/);
  // A strong one is accepted.
  r = await ce.post('/base/password', { current: e.password, new: 'Vb7n-Charge-2029', confirm: 'Vb7n-Charge-2029' });
  assert.equal(r.status, 200);
});

// ---------------------------------------------------------------- CSRF

test('a CSRF token in the query string is refused (403) and nothing is written', async () => {
  const u = await makeUser();
  const c = await new Client().login(u.username, u.password);
  const hash = scalar('SELECT password_hash FROM users WHERE id = ?', u.id);
  const NEW = 'Vb7n-Charge-2030';
  let r = await c.post(`/base/password?_csrf=${encodeURIComponent(c.csrf)}`,
    { current: u.password, new: NEW, confirm: NEW }, { csrf: false });
  assert.equal(r.status, 403);
  assert.equal(scalar('SELECT password_hash FROM users WHERE id = ?', u.id), hash, 'the password is unchanged');
  r = await c.post(`/base/logout?_csrf=${encodeURIComponent(c.csrf)}`, {}, { csrf: false });
  assert.equal(r.status, 403);
  assert.equal(await signedIn(c), true, 'still signed in');
  assert.equal(sessionsOf(u.id), 1);
  // The header (what scripts send) and the body are accepted.
  r = await c.post('/base/logout', {}, { csrf: false, headers: { 'x-csrf-token': c.csrf } });
  assert.equal(r.status, 303);
  assert.equal(sessionsOf(u.id), 0);
});
