// WeChat sign-in on the phone pages (cgi/wechat/oauth.c, snsapi_base) against the stack's own
// fake WeChat server (the one the workers are configured with): a signed-out page inside WeChat
// goes to the authorize URL with a state bound to this browser by a short-lived cookie; the
// callback checks it, exchanges the code once, and signs a linked user in with a rotated
// session, or shows the password form once and links the openid after it. Every refusal (state
// missing or wrong, code reused or unknown, openid linked to another user, disabled user)
// answers an error page and writes nothing. Unlinking from the web (own, admin) is audited;
// other roles are refused. The JS-SDK config is signed for the page's exact URL.
import { test, before } from 'node:test';
import { createHash } from 'node:crypto';
import { Client, as, base, sql, scalar, uniq, assert } from './lib.mjs';
import { confValue, testConf } from './wx.mjs';
import * as C from './crud.mjs';

const UA_WX = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.50(0x1800323b) NetType/WIFI Language/zh_CN';
const UA_PHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1';
const OFFICIAL_TICKET = 'sM4AOVdWfPE4DxkXGEs8VMCPGGVi4C3VM0P37wVUCFvkVAy_90u5h9nbSlYy3-Sl-HhTdfl2fzFy1AOcHKP7qg';
const FAKE = confValue(testConf, 'WeChat.api_base');
const APPID = confValue(testConf, 'WeChat.appid');

/** A browser with a User-Agent of its own (WeChat's by default). */
class Phone extends Client {
  constructor(ua = UA_WX) {
    super();
    this.ua = ua;
  }

  request(method, path, opts = {}) {
    return super.request(method, path, { ...opts, headers: { 'user-agent': this.ua, ...(opts.headers ?? {}) } });
  }
}

const fakeCtl = async (path, body) => {
  const r = await fetch(`${FAKE}/__fake/${path}`, {
    method: body === undefined ? 'GET' : 'POST', headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  assert.ok(r.ok, `fake ${path}`);
  return r.json();
};

/** Visit `page` signed out; follow our redirects up to WeChat's authorize URL. */
async function toAuthorize(c, page = '/wx/scan') {
  const r1 = await c.get(page);
  assert.equal(r1.status, 303, `${page}: signed out → sign-in`);
  const login = r1.headers.get('location');
  assert.match(login, /^\/wx\/login\?next=/);
  const r2 = await c.get(login);
  assert.equal(r2.status, 303, 'inside WeChat the sign-in page goes to WeChat');
  const auth = new URL(r2.headers.get('location'));
  assert.equal(`${auth.origin}`, FAKE, 'to the configured open_base');
  assert.equal(auth.pathname, '/connect/oauth2/authorize');
  assert.equal(auth.searchParams.get('appid'), APPID);
  assert.equal(auth.searchParams.get('redirect_uri'), `${base}/wx/oauth/callback`);
  assert.equal(auth.searchParams.get('response_type'), 'code');
  assert.equal(auth.searchParams.get('scope'), 'snsapi_base');
  assert.match(auth.searchParams.get('state'), /^[A-Za-z0-9]{32}$/);
  assert.equal(auth.hash, '#wechat_redirect');
  assert.ok(c.cookies.get('ca_wxst')?.startsWith(auth.searchParams.get('state')), 'the state is bound to this browser');
  return auth;
}

/** The fake WeChat signs `openid` in: the callback URL (our path) it redirects to. */
async function authorizeAs(auth, openid) {
  const u = new URL(auth);
  u.hash = '';
  u.searchParams.set('openid', openid);
  const r = await fetch(u, { redirect: 'manual' });
  assert.equal(r.status, 302, 'the fake authorize page redirects back');
  const back = new URL(r.headers.get('location'));
  assert.equal(`${back.origin}${back.pathname}`, `${base}/wx/oauth/callback`);
  assert.match(back.searchParams.get('code'), /^CODE-/);
  return { path: back.pathname + back.search, code: back.searchParams.get('code'), state: back.searchParams.get('state') };
}

/** A staff user of our own (a copy of a demo account, password demo1234). */
function newUser(like = 'ops') {
  const username = uniq('wxo').slice(0, 30);
  sql(`INSERT INTO users (username, name, password_hash, role_id, company_id, supplier_id, lang, enabled)
    SELECT ?, ?, password_hash, role_id, company_id, supplier_id, 'zh-CN', 1 FROM users WHERE username = ?`,
  username, `微信测试 ${username}`, like);
  return { username, id: scalar('SELECT id FROM users WHERE username = ?', username) };
}
const newOpenid = () => `oT-${uniq('')}`;
const linkOf = (userId) => scalar('SELECT openid FROM wx_links WHERE user_id = ?', userId);
const linksOf = (openid) => scalar('SELECT COUNT(*) FROM wx_links WHERE openid = ?', openid);
const sessionsOf = (userId) => scalar('SELECT COUNT(*) FROM sessions WHERE user_id = ?', userId);
const pending = () => scalar('SELECT COUNT(*) FROM wx_oauth_pending');

/** Nothing of the request was kept: no link, session, update record or waiting openid. */
function nothingWritten(r, { userId, openid, pendingBefore }) {
  assert.equal(C.auditOf(r), 0, 'no update record');
  if (openid) assert.equal(linksOf(openid), 0, 'the openid is not linked');
  if (userId) assert.equal(sessionsOf(userId), 0, 'no session for the user');
  if (pendingBefore !== undefined) assert.equal(pending(), pendingBefore, 'no waiting openid kept');
  assert.equal(r.headers.getSetCookie().some((c) => c.startsWith('ca_sid=') && !/Max-Age=0/.test(c)), false, 'no session cookie');
}

/** First visit of `openid`: authorize → callback → the password form → linked. */
async function firstVisit(user, openid, page = '/wx/scan') {
  const c = new Phone();
  const cb = await authorizeAs(await toAuthorize(c, page), openid);
  const r = await c.get(cb.path);
  assert.equal(r.status, 303, 'an unlinked openid: to the password form');
  assert.equal(r.headers.get('location'), `/wx/login?next=${encodeURIComponent(page)}`);
  assert.ok(c.cookies.get('ca_wxpend'), 'a waiting-openid cookie');
  assert.equal(c.cookies.has('ca_wxst'), false, 'the state cookie is spent');
  const f = await c.get(r.headers.get('location'));
  assert.equal(f.status, 200, 'the form, not WeChat again');
  assert.match(f.text, /wx-link-note/, 'the form says this WeChat will be linked');
  return { c, cb };
}

before(() => {
  // The stack's own fake knows the configured appid and secret; an administrator's saved
  // values (another test file) would win over them.
  sql("DELETE FROM wx_settings WHERE name IN ('appid', 'secret')");
});

test('a normal phone browser keeps the password form; WeChat goes to OAuth', async () => {
  const plain = new Phone(UA_PHONE);
  const r = await plain.get('/wx/login?next=%2Fwx%2Fscan');
  assert.equal(r.status, 200);
  assert.match(r.text, /name="password"/);
  assert.equal(plain.cookies.has('ca_wxst'), false);
  const home = await plain.get('/wx/');
  assert.equal(home.status, 200, '/wx/ shows the form too');
  // Inside WeChat, ?password=1 (the error page's link) keeps the form.
  const wx = new Phone();
  const p = await wx.get('/wx/login?password=1');
  assert.equal(p.status, 200);
  assert.match(p.text, /name="password"/);
  // /wx/ inside WeChat starts OAuth as well.
  const h = await wx.get('/wx/');
  assert.equal(h.status, 303);
  assert.match(h.headers.get('location'), /\/connect\/oauth2\/authorize\?/);
});

test('first visit: authorize → callback → sign-in once → linked; second visit signs in without a password, session rotated', async () => {
  const u = newUser();
  const openid = newOpenid();
  const page = '/wx/p/CA0000NOTHERE'; // the dispatcher keeps the path of a signed-out GET
  const { c } = await firstVisit(u, openid, page);
  assert.equal(linksOf(openid), 0, 'not linked before the password');
  const r = await c.post('/wx/login', { username: u.username, password: 'demo1234', next: page });
  assert.equal(r.status, 303, 'signed in');
  assert.equal(r.headers.get('location'), page, 'back to the page first asked for');
  assert.equal(linkOf(u.id), openid, 'the openid is linked to the user');
  assert.equal(c.cookies.has('ca_wxpend'), false, 'the waiting cookie is gone');
  assert.equal(scalar('SELECT COUNT(*) FROM wx_oauth_pending WHERE openid = ?', openid), 0, 'and its row');
  const audit = C.audit('user', u.id, "AND a.field = 'wechat_openid'");
  assert.equal(audit.length, 1, 'the link is in the update records');
  assert.equal(audit[0].new_value, `••••${openid.slice(-4)}`, 'openid masked');
  assert.equal(audit[0].user, u.username, 'by the user who signed in');
  const firstSid = c.cookies.get('ca_sid');
  assert.ok(firstSid);
  assert.equal((await c.get('/wx/scan')).status, 200, 'the session works');

  // Second visit (a new WebView, signed out): straight in.
  const c2 = new Phone();
  c2.cookies.set('ca_sid', 'stale-session-cookie-from-before');
  const cb = await authorizeAs(await toAuthorize(c2, '/wx/scan'), openid);
  const auditBefore = scalar('SELECT COUNT(*) FROM audit_log');
  const r2 = await c2.get(cb.path);
  assert.equal(r2.status, 303);
  assert.equal(r2.headers.get('location'), '/wx/scan', 'to the page asked for, no password');
  const sid2 = c2.cookies.get('ca_sid');
  assert.ok(sid2 && sid2 !== firstSid && sid2 !== 'stale-session-cookie-from-before', 'a new session cookie');
  const s = await c2.get('/wx/scan');
  assert.equal(s.status, 200);
  assert.match(s.text, new RegExp(u.username), 'signed in as the linked user');
  assert.equal(scalar('SELECT COUNT(*) FROM audit_log'), auditBefore, 'signing in writes no update record');
  assert.equal(linkOf(u.id), openid, 'still one link');
  // Signing out inside WeChat lands on the password form, not straight back in.
  const out = await c2.post('/wx/logout');
  assert.equal(out.headers.get('location'), '/wx/login?password=1');
  const form = await c2.get(out.headers.get('location'));
  assert.equal(form.status, 200);
  assert.match(form.text, /name="password"/);

  // `next` is only ever one of our phone pages.
  const c3 = new Phone();
  const r3 = await c3.get('/wx/login?next=' + encodeURIComponent('//evil.example/x'));
  assert.equal(r3.status, 303);
  const cb3 = await authorizeAs(new URL(r3.headers.get('location')), openid);
  const r4 = await c3.get(cb3.path);
  assert.equal(r4.headers.get('location'), '/wx/scan', 'an off-site next becomes the scan page');
});

test('state mismatch, missing state cookie, refused authorization: error page, nothing written', async () => {
  const u = newUser();
  const openid = newOpenid();
  const p0 = pending();
  // Another browser's callback URL (login CSRF): its state is not ours.
  const victim = new Phone();
  await toAuthorize(victim);
  const attacker = new Phone();
  const cbA = await authorizeAs(await toAuthorize(attacker), openid);
  let r = await victim.get(cbA.path);
  assert.equal(r.status, 400, 'state mismatch refused');
  assert.match(r.text, /登录校验未通过/);
  assert.match(r.text, /password=1/, 'offers the password form');
  nothingWritten(r, { openid, userId: u.id, pendingBefore: p0 });
  assert.equal(victim.cookies.has('ca_wxst'), false, 'the state is spent after one try');

  // No state cookie at all.
  r = await new Phone().get(cbA.path);
  assert.equal(r.status, 400);
  nothingWritten(r, { openid, pendingBefore: p0 });

  // Right cookie, tampered state.
  const c = new Phone();
  const cb = await authorizeAs(await toAuthorize(c), openid);
  r = await c.get(cb.path.replace(/state=[^&]+/, `state=${'A'.repeat(32)}`));
  assert.equal(r.status, 400);
  nothingWritten(r, { openid, pendingBefore: p0 });

  // An old state (more than 10 minutes).
  const old = new Phone();
  const authOld = await toAuthorize(old);
  const st = authOld.searchParams.get('state');
  old.cookies.set('ca_wxst', `${st}.${Math.floor(Date.now() / 1000) - 700}.%2Fwx%2Fscan`);
  const cbOld = await authorizeAs(authOld, openid);
  r = await old.get(cbOld.path);
  assert.equal(r.status, 400);
  assert.match(r.text, /已失效/);
  nothingWritten(r, { openid, pendingBefore: p0 });

  // The user refused (no code).
  const d = new Phone();
  const authD = await toAuthorize(d);
  const deny = new URL(`${FAKE}/connect/oauth2/authorize/confirm`);
  for (const k of ['appid', 'redirect_uri', 'response_type', 'scope', 'state']) deny.searchParams.set(k, authD.searchParams.get(k));
  deny.searchParams.set('deny', '1');
  const back = new URL((await fetch(deny, { redirect: 'manual' })).headers.get('location'));
  r = await d.get(back.pathname + back.search);
  assert.equal(r.status, 403);
  assert.match(r.text, /没有同意微信授权/);
  nothingWritten(r, { openid, pendingBefore: p0 });
});

test('a reused or unknown code is refused by WeChat: error page, nothing written', async () => {
  const u = newUser();
  const openid = newOpenid();
  const { c, cb } = await firstVisit(u, openid);
  const p0 = pending();
  // The same code again, with a fresh, valid state of the same browser.
  const again = new Phone();
  const auth = await toAuthorize(again);
  const st = auth.searchParams.get('state');
  let r = await again.get(`/wx/oauth/callback?code=${encodeURIComponent(cb.code)}&state=${st}`);
  assert.equal(r.status, 400, 'code been used (40163)');
  assert.match(r.text, /授权码无效或已使用/);
  nothingWritten(r, { openid, pendingBefore: p0 });
  const ex = await fakeCtl('requests?route=oauth');
  assert.equal(ex.requests.filter((q) => q.query.code === cb.code).length, 2, 'WeChat was asked (and said 40163)');
  // An unknown code.
  const other = new Phone();
  const st2 = (await toAuthorize(other)).searchParams.get('state');
  r = await other.get(`/wx/oauth/callback?code=CODE-made-up&state=${st2}`);
  assert.equal(r.status, 400);
  nothingWritten(r, { openid, pendingBefore: p0 });
  // A code longer than WeChat ever makes never reaches WeChat.
  const third = new Phone();
  const st3 = (await toAuthorize(third)).searchParams.get('state');
  r = await third.get(`/wx/oauth/callback?code=${'x'.repeat(200)}&state=${st3}`);
  assert.equal(r.status, 400);
  // The first browser's password form still links (its openid waits server-side).
  r = await c.post('/wx/login', { username: u.username, password: 'demo1234', next: '/wx/scan' });
  assert.equal(r.status, 303);
  assert.equal(linkOf(u.id), openid);
});

test('WeChat unreachable or failing: error page, nothing written', async () => {
  const openid = newOpenid();
  const p0 = pending();
  const c = new Phone();
  const cb = await authorizeAs(await toAuthorize(c), openid);
  await fakeCtl('faults', { route: 'oauth', kind: 'errcode', errcode: 40125, count: 1 });
  const r = await c.get(cb.path);
  assert.equal(r.status, 502);
  assert.match(r.text, /暂时无法连接微信/);
  nothingWritten(r, { openid, pendingBefore: p0 });
});

test('an openid linked to another user, or a user linked to another openid: clear message, nothing written', async () => {
  const a = newUser();
  const b = newUser();
  const openid = newOpenid();
  const { c } = await firstVisit(a, openid);
  // Meanwhile the same openid got linked to b (another browser, another sign-in).
  sql('INSERT INTO wx_links (user_id, openid, linked_at) VALUES (?, ?, UTC_TIMESTAMP())', b.id, openid);
  let r = await c.post('/wx/login', { username: a.username, password: 'demo1234', next: '/wx/scan' });
  assert.equal(r.status, 409);
  assert.match(r.text, /此微信已绑定其他账号/);
  nothingWritten(r, { userId: a.id });
  assert.equal(linkOf(a.id), null, 'a is not linked');
  assert.equal(scalar('SELECT user_id FROM wx_links WHERE openid = ?', openid), b.id, 'b keeps its link');
  assert.equal(c.cookies.has('ca_wxpend'), false, 'the waiting openid is dropped for this browser');
  // Now a plain sign-in works (nothing waits any more).
  r = await c.post('/wx/login', { username: a.username, password: 'demo1234', next: '/wx/scan' });
  assert.equal(r.status, 303);
  assert.equal(linkOf(a.id), null);

  // A user already linked to another openid.
  const other = newOpenid();
  const { c: c2 } = await firstVisit(b, other);
  r = await c2.post('/wx/login', { username: b.username, password: 'demo1234', next: '/wx/scan' });
  assert.equal(r.status, 409);
  assert.match(r.text, /已绑定另一个微信/);
  nothingWritten(r, { userId: b.id, openid: other });
  assert.equal(linkOf(b.id), openid, 'b keeps the first link');
});

test('a disabled user is refused on WeChat sign-in, and their link is not used', async () => {
  const u = newUser();
  const openid = newOpenid();
  const { c } = await firstVisit(u, openid);
  assert.equal((await c.post('/wx/login', { username: u.username, password: 'demo1234' })).status, 303);
  assert.equal(linkOf(u.id), openid);
  sql('UPDATE users SET enabled = 0 WHERE id = ?', u.id);
  sql('DELETE FROM sessions WHERE user_id = ?', u.id);
  const p0 = pending();
  const d = new Phone();
  const cb = await authorizeAs(await toAuthorize(d), openid);
  const r = await d.get(cb.path);
  assert.equal(r.status, 403);
  assert.match(r.text, /该账号已停用/);
  nothingWritten(r, { userId: u.id, pendingBefore: p0 });
  sql('UPDATE users SET enabled = 1 WHERE id = ?', u.id);
});

test('the user removes their own link on the web; the next WeChat visit asks for the password again', async () => {
  const u = newUser();
  const openid = newOpenid();
  const { c } = await firstVisit(u, openid);
  assert.equal((await c.post('/wx/login', { username: u.username, password: 'demo1234' })).status, 303);
  const web = await as(u.username);
  let page = await web.get('/base/password');
  assert.equal(page.status, 200);
  assert.match(page.text, /微信绑定/);
  assert.match(page.text, new RegExp(`••••${openid.slice(-4)}`));
  assert.match(page.text, /action="\/base\/wxlink\/unlink"/);
  const r = await web.post('/base/wxlink/unlink');
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), '/base/password?wx_unlinked=1');
  assert.equal(linkOf(u.id), null, 'the link is gone');
  const audit = C.audit('user', u.id, "AND a.field = 'wechat_openid'");
  assert.equal(audit.length, 2, 'link and unlink recorded');
  assert.equal(audit[1].old_value, `••••${openid.slice(-4)}`);
  assert.equal(audit[1].new_value, null);
  assert.equal(audit[1].user, u.username);
  page = await web.get('/base/password?wx_unlinked=1');
  assert.match(page.text, /已解除微信绑定/);
  assert.match(page.text, /未绑定/);
  // A second submit: nothing to remove, nothing written.
  const again = await web.post('/base/wxlink/unlink');
  assert.equal(again.status, 409);
  assert.match(again.text, /没有绑定微信/);
  assert.equal(C.auditOf(again), 0);
  // Without the CSRF token: refused.
  const noCsrf = await web.post('/base/wxlink/unlink', {}, { csrf: false });
  assert.equal(noCsrf.status, 403);
  // Next WeChat visit: the password form again.
  await firstVisit(u, openid);
});

test('an administrator removes a user\'s link from the user edit page (audited); other roles get 403', async () => {
  const u = newUser();
  const openid = newOpenid();
  const { c } = await firstVisit(u, openid);
  assert.equal((await c.post('/wx/login', { username: u.username, password: 'demo1234' })).status, 303);
  // Other roles: 403, link kept, nothing written.
  for (const who of ['ops', 'leader', 'inspector', 'supplier', 'finance']) {
    const other = await as(who);
    const r = await other.post(`/base/users/${u.id}/wxlink/unlink`);
    assert.equal(r.status, 403, `${who} may not unlink someone else`);
    assert.equal(C.auditOf(r), 0);
    assert.equal(linkOf(u.id), openid, `${who}: link kept`);
  }
  // Signed out: refused.
  const anon = await new Client().post(`/base/users/${u.id}/wxlink/unlink`, {}, { csrf: false });
  assert.ok([401, 403].includes(anon.status));
  const admin = await as('admin');
  const edit = await admin.get(`/base/users/${u.id}/edit`);
  assert.equal(edit.status, 200);
  assert.match(edit.text, new RegExp(`action="/base/users/${u.id}/wxlink/unlink"`));
  assert.match(edit.text, new RegExp(`••••${openid.slice(-4)}`));
  // Unknown or malformed user id.
  assert.equal((await admin.post('/base/users/999999999/wxlink/unlink')).status, 404);
  assert.equal((await admin.post('/base/users/abc/wxlink/unlink')).status, 404);
  const r = await admin.post(`/base/users/${u.id}/wxlink/unlink`);
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), `/base/users/${u.id}/edit?wx_unlinked=1`);
  assert.equal(linkOf(u.id), null);
  const audit = C.audit('user', u.id, "AND a.field = 'wechat_openid'");
  assert.equal(audit.at(-1).user, 'admin', 'recorded as the administrator\'s change');
  assert.equal(audit.at(-1).old_value, `••••${openid.slice(-4)}`);
  const rec = await admin.get(`/base/records?entity=user&entity_id=${u.id}`);
  assert.equal(rec.status, 200);
  assert.match(rec.text, /微信绑定/, 'the update records name the field');
  const again = await admin.post(`/base/users/${u.id}/wxlink/unlink`);
  assert.equal(again.status, 409, 'nothing left to remove');
  assert.equal(C.auditOf(again), 0);
});

test('JS-SDK: inside WeChat a page is signed for its exact URL and loads the SDK from our origin', async () => {
  const u = newUser();
  const openid = newOpenid();
  const { c } = await firstVisit(u, openid);
  assert.equal((await c.post('/wx/login', { username: u.username, password: 'demo1234' })).status, 303);
  const path = '/wx/scan?from=a&b=%E4%B8%AD';
  const r = await c.get(path);
  assert.equal(r.status, 200);
  const attr = (n) => r.text.match(new RegExp(`data-wx-${n}="([^"]*)"`))?.[1];
  assert.equal(attr('app-id'), APPID);
  const ts = attr('timestamp');
  const nonce = attr('nonce');
  assert.match(ts, /^\d{10}$/);
  assert.ok(Math.abs(Number(ts) - Date.now() / 1000) < 120, 'a current timestamp');
  assert.match(nonce, /^[A-Za-z0-9]{8,32}$/);
  const want = createHash('sha1').update(`jsapi_ticket=${OFFICIAL_TICKET}&noncestr=${nonce}&timestamp=${ts}&url=${base}${path}`).digest('hex');
  assert.equal(attr('signature'), want, 'signed over base_url + the request URI as sent');
  assert.match(r.text, /<script src="\/assets\/vendor\/weixin\/jweixin\.js" defer><\/script>/);
  const js = await fetch(`${base}/assets/vendor/weixin/jweixin.js`);
  assert.equal(js.status, 200, 'the SDK is served by us');
  assert.match(await js.text(), /window\.wx = module\.exports/);
  const csp = r.headers.get('content-security-policy') ?? '';
  assert.match(csp, /script-src 'self'/, 'CSP unchanged: only our own scripts');
  // A normal browser signed in with the same session: no SDK, no signature.
  const plain = new Phone(UA_PHONE);
  plain.cookies = new Map(c.cookies);
  const p = await plain.get('/wx/scan');
  assert.equal(p.status, 200);
  assert.doesNotMatch(p.text, /jweixin|data-wx-signature/);
});

test('English: the phone error page, the sign-in note and the web link card', async () => {
  const p = new Phone();
  p.cookies.set('ca_lang', 'en');
  const r = await p.get(`/wx/oauth/callback?code=CODE-x&state=${'B'.repeat(32)}`);
  assert.equal(r.status, 400);
  assert.match(r.text, /The sign-in check failed/);
  assert.match(r.text, /Sign in with username and password/);
  assert.match(r.text, /Sign in with WeChat again/);
  const u = newUser();
  sql("UPDATE users SET lang = 'en' WHERE id = ?", u.id);
  const { c } = await firstVisit(u, newOpenid());
  c.cookies.set('ca_lang', 'en');
  const f = await c.get('/wx/login?next=%2Fwx%2Fscan');
  assert.match(f.text, /First time in WeChat/);
  const web = await as(u.username);
  web.cookies.set('ca_lang', 'en');
  const page = await web.get('/base/password');
  assert.match(page.text, /WeChat link/);
  assert.match(page.text, /Not linked/);
});
