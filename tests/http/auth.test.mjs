// Sign-in, sign-out, sessions and passwords (ca-base: cgi/base/session.c, cgi/core/auth.c,
// cgi/base/user.c): cookies and their flags, session rotation, failure messages, the `next`
// parameter, login throttling, the anonymous double-submit CSRF cookie, changing one's own
// password and an administrator's reset.  Every account a test signs in to is a throwaway
// user created through the admin UI, so session and failure counts in the database belong to
// this file alone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { Client, as, sql, scalar, uniq, PASSWORD } from './lib.mjs';

const MSG_FAILED = '用户名或密码不正确。';
const MSG_DISABLED = '该账号已停用，请联系管理员。';
const MSG_THROTTLED = '登录失败次数过多，请 15 分钟后再试。';
const MSG_CSRF = '页面已过期或请求来源无效，请刷新页面后重试。';

let admin;
const made = [];	// ids of the users this file created
const usedNames = new Set();	// usernames whose login_failures rows are removed at the end

before(async () => {
  admin = await as('admin');
});

after(() => {
  for (const name of usedNames) sql('DELETE FROM login_failures WHERE username = ?', name);
  for (const id of made) sql('DELETE FROM users WHERE id = ?', id);
});

/** Hex SHA-256 of a session cookie value: the key of its row in `sessions`. */
const sidHash = (token) => createHash('sha256').update(token).digest('hex');

/** The Set-Cookie header for `name` in a response, or undefined. */
function setCookie(res, name) {
  return res.headers.getSetCookie().find((c) => c.startsWith(`${name}=`));
}

/** Text of the error alert of a page. */
function alertText(res) {
  const m = res.text.match(/<div class="alert alert-danger" role="alert">([^<]*)/);
  return m ? m[1].trim() : null;
}

// The demo password (demo1234) is too simple for the password policy: users made here get this.
const STRONG = 'Qz8w-Lantu-2026';

/** Create an enabled staff user (inspector role, head office) through the admin UI. */
async function makeUser({ enabled = 1, password = STRONG } = {}) {
  const username = uniq('au').toLowerCase();
  const roleId = scalar("SELECT id FROM roles WHERE code = 'inspector'");
  const companyId = scalar("SELECT id FROM companies WHERE code = 'HQ'");
  usedNames.add(username);
  const res = await admin.post('/base/users', {
    username, name: `测试${username}`, role_id: roleId, company_id: companyId,
    lang: 'zh-CN', enabled, password,
  });
  assert.equal(res.status, 303, `creating user ${username}: ${alertText(res) ?? res.status}`);
  const id = scalar('SELECT id FROM users WHERE username = ?', username);
  assert.ok(id, `user ${username} exists`);
  made.push(id);
  return { id, username, password };
}

/** GET the login page (for the ca_pre cookie and its token), then POST the form. */
async function tryLogin(client, username, password, extra = {}) {
  const page = await client.get('/base/login');
  assert.equal(page.status, 200);
  return client.post('/base/login', { username, password, ...extra });
}

const sessionsOf = (userId) => scalar('SELECT COUNT(*) FROM sessions WHERE user_id = ?', userId);
const failuresOf = (username) => scalar('SELECT COUNT(*) FROM login_failures WHERE username = ?', username);

/** Is the client's session signed in?  /base/ answers 200 then, else a redirect to login. */
async function signedIn(client) {
  const res = await client.get('/base/');
  if (res.status === 200) return true;
  assert.equal(res.status, 303);
  assert.match(res.headers.get('location'), /^\/base\/login\?next=/);
  return false;
}

test('the login page is served in zh-CN with an anonymous CSRF cookie', async () => {
  const c = new Client();
  const res = await c.get('/base/login');
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /^text\/html; charset=utf-8/);
  assert.match(res.text, /<html lang="zh-CN">/);
  assert.match(res.text, /<title>登录 · 充电站资产管理系统<\/title>/);
  assert.match(res.text, /<form method="post" action="\/base\/login"/);
  assert.match(res.text, /name="username"/);
  assert.match(res.text, /name="password" type="password"/);
  const pre = setCookie(res, 'ca_pre');
  assert.ok(pre, 'ca_pre cookie is set');
  assert.match(pre, /; HttpOnly/);
  assert.match(pre, /; SameSite=Lax/);
  // The form's token is the cookie's value (double submit).
  assert.equal(c.csrf, c.cookies.get('ca_pre'));
  assert.equal(res.headers.get('cache-control'), 'no-store');
});

test('a successful login redirects to /base/ with a new HttpOnly, SameSite=Lax session cookie', async () => {
  const u = await makeUser();
  const c = new Client();
  const res = await tryLogin(c, u.username, u.password);
  assert.equal(res.status, 303);
  assert.equal(res.headers.get('location'), '/base/');
  const sid = setCookie(res, 'ca_sid');
  assert.ok(sid, 'ca_sid cookie is set');
  assert.match(sid, /; HttpOnly/);
  assert.match(sid, /; SameSite=Lax/);
  assert.match(sid, /; Path=\//);
  assert.doesNotMatch(sid, /Max-Age/, 'a session cookie, not a persistent one');
  const token = c.cookies.get('ca_sid');
  assert.match(token, /^[A-Za-z0-9_-]{43}$/);
  // The database keeps only the hash of the cookie, for this user.
  assert.equal(scalar('SELECT user_id FROM sessions WHERE id = ?', sidHash(token)), u.id);
  assert.equal(scalar('SELECT COUNT(*) FROM sessions WHERE id = ?', token), 0);
  assert.equal(sessionsOf(u.id), 1);
  assert.notEqual(scalar('SELECT last_login_at FROM users WHERE id = ?', u.id), null);
  const home = await c.get('/base/');
  assert.equal(home.status, 200);
  assert.match(home.text, new RegExp(`测试${u.username} · 巡检员`));
});

test('a session cookie planted before login is replaced, and never becomes valid', async () => {
  const u = await makeUser();
  const c = new Client();
  const planted = randomBytes(32).toString('base64url');
  c.cookies.set('ca_sid', planted);
  const res = await tryLogin(c, u.username, u.password);
  assert.equal(res.status, 303);
  const after = c.cookies.get('ca_sid');
  assert.ok(after);
  assert.notEqual(after, planted);
  assert.equal(scalar('SELECT COUNT(*) FROM sessions WHERE id = ?', sidHash(planted)), 0);
  const attacker = new Client();
  attacker.cookies.set('ca_sid', planted);
  assert.equal(await signedIn(attacker), false);
  assert.equal(await signedIn(c), true);
});

test('signing in again from a signed-in session rotates the session id and ends the old one', async () => {
  const u = await makeUser();
  const c = new Client();
  await c.login(u.username, u.password);
  const first = c.cookies.get('ca_sid');
  // Signed in, the form posts with the session's own CSRF token.
  const res = await c.post('/base/login', { username: u.username, password: u.password });
  assert.equal(res.status, 303);
  const second = c.cookies.get('ca_sid');
  assert.ok(second);
  assert.notEqual(second, first);
  assert.equal(scalar('SELECT COUNT(*) FROM sessions WHERE id = ?', sidHash(first)), 0);
  assert.equal(sessionsOf(u.id), 1);
  const old = new Client();
  old.cookies.set('ca_sid', first);
  assert.equal(await signedIn(old), false);
  assert.equal(await signedIn(c), true);
});

test('logout needs a POST with the CSRF token, then the old session cookie is dead', async () => {
  const u = await makeUser();
  const c = new Client();
  await c.login(u.username, u.password);
  const token = c.cookies.get('ca_sid');

  const get = await c.get('/base/logout');
  assert.equal(get.status, 405);
  const noToken = await c.post('/base/logout', {}, { csrf: false });
  assert.equal(noToken.status, 403);
  assert.match(noToken.text, new RegExp(MSG_CSRF));
  const badToken = await c.post('/base/logout', { _csrf: 'x'.repeat(43) });
  assert.equal(badToken.status, 403);
  assert.equal(await signedIn(c), true, 'still signed in after refused logouts');
  assert.equal(sessionsOf(u.id), 1);

  const res = await c.post('/base/logout');
  assert.equal(res.status, 303);
  assert.equal(res.headers.get('location'), '/base/login');
  const cleared = setCookie(res, 'ca_sid');
  assert.match(cleared ?? '', /^ca_sid=;.*Max-Age=0/);
  assert.equal(sessionsOf(u.id), 0);
  const old = new Client();
  old.cookies.set('ca_sid', token);
  assert.equal(await signedIn(old), false);
});

test('a wrong password answers 401 with a message and creates no session', async () => {
  const u = await makeUser();
  const c = new Client();
  const res = await tryLogin(c, u.username, 'wrong-password-1');
  assert.equal(res.status, 401);
  assert.equal(alertText(res), MSG_FAILED);
  assert.match(res.text, new RegExp(`name="username" value="${u.username}"`), 'username kept in the form');
  assert.doesNotMatch(res.text, /wrong-password-1/, 'password never echoed');
  assert.equal(setCookie(res, 'ca_sid'), undefined);
  assert.equal(sessionsOf(u.id), 0);
  assert.equal(failuresOf(u.username), 1);
  assert.equal(await signedIn(c), false);
});

test('an unknown username gets the same answer as a wrong password', async () => {
  const name = uniq('nouser').toLowerCase();
  usedNames.add(name);
  const c = new Client();
  const res = await tryLogin(c, name, PASSWORD);
  assert.equal(res.status, 401);
  assert.equal(alertText(res), MSG_FAILED);
  assert.equal(setCookie(res, 'ca_sid'), undefined);
  assert.equal(failuresOf(name), 1);
  assert.equal(await signedIn(c), false);
});

test('empty username or password answers 422 with the field marked', async () => {
  const c = new Client();
  let res = await tryLogin(c, '', PASSWORD);
  assert.equal(res.status, 422);
  assert.match(res.text, /class="[^"]*is-invalid[^"]*" id="username"/);
  assert.equal(setCookie(res, 'ca_sid'), undefined);

  const u = await makeUser();
  res = await tryLogin(c, u.username, '');
  assert.equal(res.status, 422);
  assert.match(res.text, /class="[^"]*is-invalid[^"]*" id="password"/);
  assert.equal(setCookie(res, 'ca_sid'), undefined);
  assert.equal(sessionsOf(u.id), 0);
  assert.equal(failuresOf(u.username), 0, 'an empty form is not a password attempt');

  res = await tryLogin(c, '   ', PASSWORD);
  assert.equal(res.status, 422, 'a blank username is empty');
});

test('an over-long username or password is refused with a 4xx and no failure recorded', async () => {
  const c = new Client();
  const long = 'a'.repeat(33);
  let res = await tryLogin(c, long, PASSWORD);
  assert.ok(res.status >= 400 && res.status < 500, `status ${res.status}`);
  assert.equal(setCookie(res, 'ca_sid'), undefined);
  assert.equal(failuresOf(long), 0);

  const huge = 'b'.repeat(5000);
  res = await tryLogin(c, huge, PASSWORD);
  assert.ok(res.status >= 400 && res.status < 500, `status ${res.status}`);
  assert.equal(failuresOf(huge.slice(0, 64)), 0);

  const u = await makeUser();
  res = await tryLogin(c, u.username, 'p1'.repeat(100));
  assert.ok(res.status >= 400 && res.status < 500, `status ${res.status}`);
  assert.equal(setCookie(res, 'ca_sid'), undefined);
  assert.equal(sessionsOf(u.id), 0);
});

test('`next` is honoured for local paths only', async () => {
  const u = await makeUser();
  const cases = [
    ['/base/password', '/base/password'],
    ['/base/cities?page=2', '/base/cities?page=2'],
    ['//evil.example', '/base/'],
    ['//evil.example/base/', '/base/'],
    ['http://evil.example/', '/base/'],
    ['https://evil.example/base/', '/base/'],
    ['/\\evil.example', '/base/'],
    ['javascript:alert(1)', '/base/'],
  ];
  for (const [next, want] of cases) {
    const c = new Client();
    const res = await tryLogin(c, u.username, u.password, { next });
    assert.equal(res.status, 303, `next=${next}`);
    assert.equal(res.headers.get('location'), want, `next=${next}`);
  }
  // The login form carries only a safe `next` in its hidden field.
  const c = new Client();
  let page = await c.get('/base/login?next=%2Fbase%2Fcities');
  assert.match(page.text, /name="next" value="\/base\/cities"/);
  page = await c.get('/base/login?next=%2F%2Fevil.example');
  assert.match(page.text, /name="next" value="\/base\/"/);
  assert.doesNotMatch(page.text, /evil\.example/);
  // Already signed in, the login page sends the user on (locally only).
  await c.login(u.username, u.password);
  page = await c.get('/base/login?next=%2Fbase%2Fpassword');
  assert.equal(page.status, 303);
  assert.equal(page.headers.get('location'), '/base/password');
  page = await c.get('/base/login?next=http%3A%2F%2Fevil.example%2F');
  assert.equal(page.status, 303);
  assert.equal(page.headers.get('location'), '/base/');
});

test('the anonymous login form needs its double-submit token', async () => {
  const u = await makeUser();
  // No token at all.
  let c = new Client();
  await c.get('/base/login');
  let res = await c.post('/base/login', { username: u.username, password: u.password }, { csrf: false });
  assert.equal(res.status, 403);
  assert.match(res.text, new RegExp(MSG_CSRF));
  assert.equal(setCookie(res, 'ca_sid'), undefined);
  // A token that is not the cookie's.
  res = await c.post('/base/login', { username: u.username, password: u.password, _csrf: randomBytes(32).toString('base64url') });
  assert.equal(res.status, 403);
  // The right token without its cookie (a cross-site form cannot send the cookie's value).
  const token = c.csrf;
  c = new Client();
  res = await c.post('/base/login', { username: u.username, password: u.password, _csrf: token });
  assert.equal(res.status, 403);
  assert.equal(sessionsOf(u.id), 0);
  assert.equal(failuresOf(u.username), 0, 'refused before any password check');
});

test('five failures for a username throttle it: the right password then gets 429', async () => {
  const u = await makeUser();
  const c = new Client();
  try {
    for (let i = 0; i < 5; i++) {
      const res = await tryLogin(c, u.username, `bad-password-${i}`);
      assert.equal(res.status, 401, `attempt ${i + 1}`);
      assert.equal(alertText(res), MSG_FAILED);
    }
    assert.equal(failuresOf(u.username), 5);
    const res = await tryLogin(c, u.username, u.password);
    assert.equal(res.status, 429);
    assert.ok(res.text.includes(MSG_THROTTLED), 'the throttle message is shown');
    assert.doesNotMatch(res.text, /<center>nginx<\/center>/, 'the application throttled, not nginx');
    assert.equal(setCookie(res, 'ca_sid'), undefined);
    assert.equal(sessionsOf(u.id), 0);
    assert.equal(failuresOf(u.username), 5, 'a throttled attempt is not checked, not counted');
    // Another account from the same address is not affected.
    const v = await makeUser();
    const other = await tryLogin(new Client(), v.username, v.password);
    assert.equal(other.status, 303);
  } finally {
    sql('DELETE FROM login_failures WHERE username = ?', u.username);
  }
  // Once the failures are gone the account signs in again.
  const res = await tryLogin(c, u.username, u.password);
  assert.equal(res.status, 303);
  assert.equal(sessionsOf(u.id), 1);
});

test('a successful login clears the failures of that username', async () => {
  const u = await makeUser();
  const c = new Client();
  for (let i = 0; i < 3; i++) assert.equal((await tryLogin(c, u.username, 'nope-nope-1')).status, 401);
  assert.equal(failuresOf(u.username), 3);
  assert.equal((await tryLogin(c, u.username, u.password)).status, 303);
  assert.equal(failuresOf(u.username), 0);
});

test('a disabled user cannot sign in, and disabling ends a running session', async () => {
  const d = await makeUser({ enabled: 0 });
  assert.equal(scalar('SELECT enabled FROM users WHERE id = ?', d.id), 0);
  let res = await tryLogin(new Client(), d.username, d.password);
  assert.equal(res.status, 401);
  assert.equal(alertText(res), MSG_DISABLED);
  assert.equal(setCookie(res, 'ca_sid'), undefined);
  assert.equal(sessionsOf(d.id), 0);
  // With a wrong password the answer does not tell the account exists.
  res = await tryLogin(new Client(), d.username, 'wrong-pass-9');
  assert.equal(res.status, 401);
  assert.equal(alertText(res), MSG_FAILED);

  const e = await makeUser();
  const c = new Client();
  await c.login(e.username, e.password);
  assert.equal(await signedIn(c), true);
  sql('UPDATE users SET enabled = 0 WHERE id = ?', e.id);
  assert.equal(await signedIn(c), false, 'the session of a disabled user is not honoured');
});

test('changing one\'s own password: validation, success, other sessions ended', async () => {
  const u = await makeUser();
  const c1 = new Client();
  await c1.login(u.username, u.password);
  const c2 = new Client();
  await c2.login(u.username, u.password);
  assert.equal(sessionsOf(u.id), 2);
  const hashBefore = scalar('SELECT password_hash FROM users WHERE id = ?', u.id);
  const page = await c1.get('/base/password');
  assert.equal(page.status, 200);
  assert.match(page.text, /name="current"/);

  const invalid = (res, field) => assert.match(res.text, new RegExp(`class="[^"]*is-invalid[^"]*"[^>]* id="${field}"`), `${field} marked invalid`);
  const fresh = 'Newpass2024x';

  let res = await c1.post('/base/password', { current: 'not-my-pw-1', new: fresh, confirm: fresh });
  assert.equal(res.status, 422);
  invalid(res, 'current');
  assert.match(res.text, /当前密码不正确/);

  res = await c1.post('/base/password', { current: u.password, new: 'abcdefghij', confirm: 'abcdefghij' });
  assert.equal(res.status, 422);
  invalid(res, 'new');
  assert.match(res.text, /密码须同时包含字母和数字/);

  res = await c1.post('/base/password', { current: u.password, new: 'ab12', confirm: 'ab12' });
  assert.equal(res.status, 422);
  invalid(res, 'new');
  assert.match(res.text, /密码至少 8 位/);

  res = await c1.post('/base/password', { current: u.password, new: fresh, confirm: `${fresh}x` });
  assert.equal(res.status, 422);
  invalid(res, 'confirm');
  assert.match(res.text, /两次输入的新密码不一致/);

  res = await c1.post('/base/password', { current: '', new: '', confirm: '' });
  assert.equal(res.status, 422);
  invalid(res, 'current');
  invalid(res, 'new');

  assert.equal(scalar('SELECT password_hash FROM users WHERE id = ?', u.id), hashBefore, 'nothing changed yet');
  assert.equal(sessionsOf(u.id), 2);

  res = await c1.post('/base/password', { current: u.password, new: fresh, confirm: fresh });
  assert.equal(res.status, 200);
  assert.match(res.text, /密码已修改，其它设备上的登录已退出。/);
  assert.notEqual(scalar('SELECT password_hash FROM users WHERE id = ?', u.id), hashBefore);
  assert.equal(sessionsOf(u.id), 1);
  assert.equal(await signedIn(c1), true, 'the session that changed it stays');
  assert.equal(await signedIn(c2), false, 'the other session is ended');
  assert.equal(scalar("SELECT COUNT(*) FROM audit_log WHERE entity = 'user' AND entity_id = ? AND field = 'password'", u.id), 1);

  res = await tryLogin(new Client(), u.username, u.password);
  assert.equal(res.status, 401, 'the old password no longer works');
  res = await tryLogin(new Client(), u.username, fresh);
  assert.equal(res.status, 303, 'the new one does');
});

test('an administrator\'s password reset ends all sessions of that user', async () => {
  const u = await makeUser();
  const c = new Client();
  await c.login(u.username, u.password);
  assert.equal(sessionsOf(u.id), 1);

  let res = await admin.get(`/base/users/${u.id}/password`);
  assert.equal(res.status, 200);
  assert.match(res.text, new RegExp(`\\(${u.username}\\)`));

  res = await admin.post(`/base/users/${u.id}/password`, { password: 'short1' });
  assert.equal(res.status, 422);
  assert.match(res.text, /class="[^"]*is-invalid[^"]*"[^>]* id="password"/);
  res = await admin.post(`/base/users/${u.id}/password`, {});
  assert.equal(res.status, 422);
  assert.equal(sessionsOf(u.id), 1, 'a refused reset ends nothing');
  assert.equal(await signedIn(c), true);

  const maxId = scalar('SELECT MAX(id) FROM users');
  res = await admin.post(`/base/users/${maxId + 1000}/password`, { password: 'Reset2024abc' });
  assert.equal(res.status, 404);

  res = await admin.post(`/base/users/${u.id}/password`, { password: 'Reset2024abc' });
  assert.equal(res.status, 303);
  assert.equal(res.headers.get('location'), '/base/users?flash=updated');
  assert.equal(sessionsOf(u.id), 0);
  assert.equal(await signedIn(c), false);
  assert.equal(scalar('SELECT must_change_pw FROM users WHERE id = ?', u.id), 1);
  assert.equal(await signedIn(admin), true, 'the administrator stays signed in');

  res = await tryLogin(new Client(), u.username, u.password);
  assert.equal(res.status, 401);
  const again = new Client();
  res = await tryLogin(again, u.username, 'Reset2024abc');
  assert.equal(res.status, 303);
  // The reset password is temporary: every page leads to changing it.
  res = await again.get('/base/');
  assert.equal(res.status, 303);
  assert.equal(res.headers.get('location'), '/base/password');
});
