// Access control of ca-base, driven by its own route table (`ca-base --routes`) and the roles'
// permissions in the database: every demo role gets 403 on each route whose permission it
// lacks (GET and POST, the POSTs with a valid CSRF token so the refusal is the permission's)
// and 200 on each GET it may use; menus link only to what a role may open; anonymous requests
// are sent to the login page (HTML) or answered 401 (JSON, POST); CSRF tokens are checked per
// session, as a form field or the X-CSRF-Token header.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { Client, as, sql, scalar, uniq } from './lib.mjs';

const MSG_403 = '您没有权限访问此页面。';
const MSG_401 = '请先登录。';
const MSG_CSRF = '页面已过期或请求来源无效，请刷新页面后重试。';

// One demo account per role (README); the role of each comes from the database.
const DEMO = ['admin', 'leader', 'ops', 'inspector', 'warehouse', 'procurement', 'finance', 'supplier'];

/** A worker's route table (`ca-<worker> --routes`): [{ methods: Set, pattern, perm, fn, flags: Set }]. */
function loadRoutes(worker = 'base') {
  const build = process.env.CA_BUILD ?? `${process.env.CA_ROOT ?? '.'}/var/build`;
  const out = execFileSync(`${build}/cgi/ca-${worker}`, ['--routes'], { encoding: 'utf8' });
  const routes = [];
  for (const line of out.split('\n')) {
    if (!line.trim()) continue;
    const words = line.trim().split(/\s+/);
    const methods = new Set();
    while (words.length && /^(GET|POST)$/.test(words[0])) methods.add(words.shift());
    const pattern = words.shift();
    const perm = (words.shift() ?? '').replace(/^perm=/, '');
    const fn = /^fn=/.test(words[0] ?? '') ? words.shift().slice(3) : '';
    assert.ok(methods.size > 0 && pattern?.startsWith('/') && perm && fn, `route line parsed: ${line}`);
    routes.push({ methods, pattern, perm, fn, flags: new Set(words) });
  }
  return routes;
}

const routes = loadRoutes();
const getRoutes = routes.filter((r) => r.methods.has('GET'));
const postRoutes = routes.filter((r) => r.methods.has('POST'));

// Throwaway rows, one per table behind an :id route, so that a broken permission check could
// only ever touch rows this file owns.  resource (second path segment) -> { table, key, id }.
const res = {
  companies: { table: 'companies', key: 'code' },
  cities: { table: 'cities', key: 'code' },
  products: { table: 'products', key: 'model' },
  cables: { table: 'cable_products', key: 'model' },
  warehouses: { table: 'warehouses', key: 'code' },
  dicts: { table: 'dict_items', key: 'code' },
  users: { table: 'users', key: 'username' },
};
// A notice has no version: it is made and checked on its own.
const notice = {};
const marker = () => `a${uniq('').slice(-10)}`.toLowerCase();
const FAKE_HASH = 'not-a-password-hash';
const createMarkers = [];	// [table, key, value] sent to create routes that must refuse them

const ids = () => ({
  hq: scalar("SELECT id FROM companies WHERE code = 'HQ'"),
  sz: scalar("SELECT id FROM companies WHERE code = 'CC-SZ'"),
  mf: scalar("SELECT id FROM companies WHERE code = 'MF-JN'"),
  inspector: scalar("SELECT id FROM roles WHERE code = 'inspector'"),
});

before(() => {
  const k = ids();
  for (const r of Object.values(res)) r.value = marker();
  sql("INSERT INTO companies (code, name, kind) VALUES (?, ?, 'outside')", res.companies.value, `权限测试${res.companies.value}`);
  sql("INSERT INTO cities (code, name, province) VALUES (?, ?, '权限测试省')", res.cities.value, `权限测试${res.cities.value}`);
  sql("INSERT INTO products (manufacturer_id, model, name, rated_power_kw, current_type) VALUES (?, ?, '权限测试桩', 7, 'AC')",
    k.mf, res.products.value);
  sql("INSERT INTO cable_products (model, spec) VALUES (?, '权限测试规格')", res.cables.value);
  res.cities.id = scalar('SELECT id FROM cities WHERE code = ?', res.cities.value);
  sql("INSERT INTO warehouses (code, name, company_id, city_id) VALUES (?, ?, ?, ?)",
    res.warehouses.value, `权限测试${res.warehouses.value}`, k.sz, res.cities.id);
  sql("INSERT INTO dict_items (dict, code, name) VALUES ('comm_method', ?, '权限测试')", res.dicts.value);
  sql('INSERT INTO users (username, name, password_hash, role_id, company_id) VALUES (?, ?, ?, ?, ?)',
    res.users.value, '权限测试', FAKE_HASH, k.inspector, k.hq);
  for (const r of Object.values(res)) {
    r.id = scalar(`SELECT id FROM ${r.table} WHERE ${r.key} = ?`, r.value);
    assert.ok(r.id, `throwaway row in ${r.table}`);
  }
  notice.station = scalar('SELECT MIN(id) FROM stations WHERE company_id = ?', k.sz);
  notice.due = `2099-0${1 + Math.floor(Math.random() * 9)}-${10 + Math.floor(Math.random() * 18)}`;
  sql("INSERT INTO notices (kind, station_id, company_id, due_on, created_at) VALUES ('access_test', ?, ?, ?, UTC_TIMESTAMP())",
    notice.station, k.sz, notice.due);
  notice.id = scalar("SELECT MAX(id) FROM notices WHERE kind = 'access_test' AND due_on = ?", notice.due);
  assert.ok(notice.id, 'throwaway notice');
});

after(() => {
  sql('DELETE FROM notices WHERE id = ?', notice.id ?? 0);
  sql('DELETE FROM warehouses WHERE id = ?', res.warehouses.id ?? 0);
  for (const name of ['users', 'dicts', 'cables', 'products', 'cities', 'companies']) {
    const r = res[name];
    if (r.id) sql(`DELETE FROM ${r.table} WHERE id = ?`, r.id);
  }
  for (const [table, key, value] of createMarkers) sql(`DELETE FROM ${table} WHERE ${key} = ?`, value);
});

/** A concrete path for a pattern: :id becomes the throwaway row of that resource. */
function fill(pattern) {
  if (!pattern.includes(':id')) return pattern;
  if (pattern.split('/')[2] === 'notices') return pattern.replace(':id', String(notice.id));
  if (pattern.split('/')[2] === 'wechat') return pattern.replace(':id', '999999999');
  const r = res[pattern.split('/')[2]];
  assert.ok(r, `a throwaway row for ${pattern}`);
  return pattern.replace(':id', String(r.id));
}

/** Form fields a POST route would accept if the permission check let it through. */
function bodyFor(pattern) {
  const name = pattern.split('/')[2];
  const r = res[name];
  const k = ids();
  const m = marker();
  if (/\/:id\/delete$/.test(pattern) || /\/notices\/:id\/ack$/.test(pattern)) return {};
  if (/\/users\/:id\/password$/.test(pattern)) return { password: 'Changed2024x' };
  // WeChat settings and test send (admin only): a valid submit, so only the permission refuses it.
  if (name === 'wechat') return { appid: 'wx0000000000ac0e55', secret: 'accessTestSecret0000', channel: 'robot', company_id: k.sz };
  const forms = {
    companies: { code: m, name: m, kind: 'outside' },
    cities: { code: m, name: m, province: '权限测试省' },
    products: { manufacturer_id: k.mf, model: m, name: m, rated_power_kw: 7, current_type: 'AC', connectors: 1, warranty_months: 24 },
    cables: { model: m, spec: m, unit: 'm' },
    warehouses: { code: m, name: m, company_id: k.sz, city_id: res.cities.id },
    dicts: { dict: 'comm_method', code: m, name: m, sort: 1, enabled: 1 },
    users: { username: m, name: m, role_id: k.inspector, company_id: k.hq, lang: 'zh-CN', enabled: 1, password: 'Created2024x' },
  };
  const form = forms[name];
  assert.ok(form, `a form for ${pattern}`);
  if (pattern.endsWith('/:id')) return { ...form, [r.key]: r.value, version: 1 };
  createMarkers.push([r.table, r.key, m]);
  return form;
}

/** The throwaway rows and every refused create are exactly as before. */
function assertUntouched(who) {
  for (const r of Object.values(res)) {
    assert.equal(scalar(`SELECT version FROM ${r.table} WHERE id = ?`, r.id), 1, `${r.table} row untouched after ${who}`);
  }
  assert.equal(scalar('SELECT password_hash FROM users WHERE id = ?', res.users.id), FAKE_HASH, `password untouched after ${who}`);
  assert.equal(scalar('SELECT acked_at FROM notices WHERE id = ?', notice.id), null, `notice untouched after ${who}`);
  assert.equal(scalar("SELECT COUNT(*) FROM wx_settings WHERE value IN ('wx0000000000ac0e55', 'accessTestSecret0000')"), 0,
    `WeChat settings untouched after ${who}`);
  for (const [table, key, value] of createMarkers) {
    assert.equal(scalar(`SELECT COUNT(*) FROM ${table} WHERE ${key} = ?`, value), 0, `nothing created in ${table} by ${who}`);
  }
}

/** Does a concrete path match a route pattern? */
function matches(pattern, path) {
  const re = new RegExp(`^${pattern.replace(/:[a-z]+/g, '[^/]+')}$`);
  return re.test(path);
}

/** role code -> { username, perms: Set } for the demo accounts. */
function roleAccounts() {
  const rows = sql(`SELECT u.username, r.code, r.perms FROM users u JOIN roles r ON r.id = u.role_id
    WHERE u.username IN (${DEMO.map(() => '?').join(',')})`, ...DEMO);
  const byRole = new Map();
  for (const name of DEMO) {
    const row = rows.find((x) => x[0] === name);
    assert.ok(row, `demo account ${name} exists`);
    if (!byRole.has(row[1])) byRole.set(row[1], { username: name, perms: new Set(row[2].split(',').filter(Boolean)) });
  }
  return byRole;
}

test('the route table parses and covers both methods', () => {
  assert.ok(getRoutes.length >= 30, `GET routes: ${getRoutes.length}`);
  assert.ok(postRoutes.length >= 20, `POST routes: ${postRoutes.length}`);
  assert.ok(routes.some((r) => r.pattern === '/base/login' && r.flags.has('public')));
  assert.ok(postRoutes.every((r) => r.flags.has('csrf')), 'every POST route is CSRF-checked');
  // Every role in the database has a demo account here.
  const codes = sql('SELECT code FROM roles').map((r) => r[0]);
  const accounts = roleAccounts();
  for (const code of codes) assert.ok(accounts.has(code), `a demo account for role ${code}`);
});

test('every route of every worker names its handler function', () => {
  // Written out by ROUTE() (cgi/core/route.h), CRUD_ROUTES' included.
  const fnOf = (rs, method, pattern) => rs.find((r) => r.methods.has(method) && r.pattern === pattern)?.fn;
  assert.equal(fnOf(routes, 'GET', '/base/login'), 'login_form');
  assert.equal(fnOf(routes, 'POST', '/base/login'), 'login_submit');
  assert.equal(fnOf(routes, 'GET', '/base/companies'), 'company_list');
  assert.equal(fnOf(routes, 'POST', '/base/companies/:id/delete'), 'company_delete');
  const asset = loadRoutes('asset');
  assert.equal(fnOf(asset, 'GET', '/asset/piles/:id'), 'pile_show');
  assert.equal(fnOf(asset, 'POST', '/asset/stations'), 'station_create');
  assert.equal(fnOf(loadRoutes('qrcode'), 'POST', '/qr/batches/:id/piles'), 'batch_piles');
  assert.equal(fnOf(loadRoutes('wechat'), 'GET', '/wx/p/:code'), 'wx_pile_show');
  for (const worker of ['base', 'asset', 'qrcode', 'wechat']) {
    for (const r of loadRoutes(worker)) assert.match(r.fn, /^[a-z][a-z0-9_]*$/, `${worker} ${r.pattern}: ${r.fn}`);
  }
});

for (const [role, account] of roleAccounts()) {
  test(`role ${role} (${account.username}): 403 on every route it lacks, 200 on every page it has`, async () => {
    const c = await as(account.username);
    const has = (perm) => perm === 'none' || account.perms.has(perm);
    // The session's token is valid: a POST it may make is judged on its content, not refused.
    const check = await c.post('/base/password', { current: '', new: '', confirm: '' });
    assert.equal(check.status, 422, 'the CSRF token of this session is accepted');

    const wrong = [];
    for (const rt of getRoutes) {
      if (rt.flags.has('public')) continue;
      const path = fill(rt.pattern);
      const r = await c.get(path);
      const want = has(rt.perm) ? 200 : 403;
      if (r.status !== want) wrong.push(`GET ${path} (perm=${rt.perm}): ${r.status}, want ${want}`);
      else if (want === 403 && !r.text.includes(MSG_403)) wrong.push(`GET ${path}: 403 without the message`);
    }
    for (const rt of postRoutes) {
      if (has(rt.perm)) continue;
      const path = fill(rt.pattern);
      const r = await c.post(path, bodyFor(rt.pattern));
      if (r.status !== 403) wrong.push(`POST ${path} (perm=${rt.perm}): ${r.status}, want 403`);
      else if (!r.text.includes(MSG_403)) wrong.push(`POST ${path}: 403 is not the permission's`);
    }
    assert.deepEqual(wrong, []);
    assertUntouched(account.username);

    // The menu links only to pages this role may open.
    const home = await c.get('/base/');
    assert.equal(home.status, 200);
    const links = [...home.text.matchAll(/href="(\/base\/[^"?#]*)/g)].map((m) => m[1]);
    for (const link of links) {
      const rt = getRoutes.find((x) => matches(x.pattern, link));
      assert.ok(rt, `link ${link} is a route`);
      assert.ok(has(rt.perm), `${role} sees a link to ${link} (perm=${rt.perm})`);
    }
  });
}

const ADMIN_LINKS = ['/base/companies', '/base/cities', '/base/products', '/base/cables', '/base/warehouses',
  '/base/dicts', '/base/users', '/base/roles', '/base/records'];

test('the inspector has no admin menu; the administrator has all of it', async () => {
  const adm = await as('admin');
  const home = await adm.get('/base/');
  for (const link of ADMIN_LINKS) assert.ok(home.text.includes(`href="${link}"`), `admin menu links ${link}`);

  const c = await as('inspector');
  for (const path of ['/base/', '/base/password', '/base/companies']) {
    const page = await c.get(path);
    assert.equal(page.status, path === '/base/companies' ? 403 : 200, path);
    assert.match(page.text, /王磊 · 巡检员/, `${path} is the inspector's page`);
    for (const link of ADMIN_LINKS) {
      assert.ok(!page.text.includes(`href="${link}`), `${path} has no link to ${link}`);
    }
  }
});

test('not signed in: pages redirect to the login with `next`, JSON and POST answer 401', async () => {
  const c = new Client();
  const wrong = [];
  for (const rt of getRoutes) {
    if (rt.flags.has('public')) continue;
    const path = fill(rt.pattern);
    const r = await c.get(path);
    const want = `/base/login?next=${encodeURIComponent(path)}`;
    if (r.status !== 303 || r.headers.get('location') !== want) {
      wrong.push(`GET ${path}: ${r.status} ${r.headers.get('location')}`);
    }
  }
  assert.deepEqual(wrong, []);

  // The login page keeps where to go back to.
  const login = await c.get(`/base/login?next=${encodeURIComponent('/base/cities')}`);
  assert.equal(login.status, 200);
  assert.match(login.text, /name="next" value="\/base\/cities"/);

  for (const path of ['/base/cities', '/base/', `/base/users/${res.users.id}/edit`]) {
    const r = await c.get(path, { json: true });
    assert.equal(r.status, 401, path);
    assert.match(r.headers.get('content-type'), /^application\/json/);
    const body = r.json();
    assert.equal(body.status, 401);
    assert.equal(body.error, MSG_401);
  }
  const viaQuery = await c.get('/base/products?format=json');
  assert.equal(viaQuery.status, 401);
  assert.equal(viaQuery.json().status, 401);

  const m = marker();
  createMarkers.push(['cities', 'code', m]);
  const post = await c.post('/base/cities', { code: m, name: m, province: '权限测试省', _csrf: 'x'.repeat(43) });
  assert.equal(post.status, 401);
  assert.equal(scalar('SELECT COUNT(*) FROM cities WHERE code = ?', m), 0);
  const logout = await c.post('/base/logout', {});
  assert.equal(logout.status, 401);
});

test('CSRF: a POST without the token, or with a wrong one, is refused and writes nothing', async () => {
  const c = await as('admin');
  const m = marker();
  createMarkers.push(['cities', 'code', m]);
  const city = { code: m, name: `权限测试${m}`, province: '权限测试省' };
  const before = scalar('SELECT COUNT(*) FROM cities WHERE code = ?', m);
  const auditBefore = scalar("SELECT COUNT(*) FROM audit_log WHERE entity = 'city' AND new_value = ?", city.name);

  let r = await c.post('/base/cities', city, { csrf: false });
  assert.equal(r.status, 403);
  assert.ok(r.text.includes(MSG_CSRF), 'the CSRF message');
  r = await c.post('/base/cities', { ...city, _csrf: '' });
  assert.equal(r.status, 403);
  assert.ok(r.text.includes(MSG_CSRF));
  r = await c.post('/base/cities', { ...city, _csrf: c.csrf.replace(/.$/, (ch) => (ch === 'A' ? 'B' : 'A')) });
  assert.equal(r.status, 403);
  assert.ok(r.text.includes(MSG_CSRF));
  r = await c.post('/base/cities', { ...city, _csrf: `${c.csrf}x` });
  assert.equal(r.status, 403);
  r = await c.post('/base/cities', city, { csrf: false, headers: { 'x-csrf-token': 'nope' } });
  assert.equal(r.status, 403);
  // As JSON the refusal is JSON too.
  r = await c.request('POST', '/base/cities', {
    body: JSON.stringify(city), json: true, headers: { 'content-type': 'application/json' },
  });
  assert.equal(r.status, 403);
  assert.equal(r.json().status, 403);
  assert.equal(r.json().error, MSG_CSRF);

  assert.equal(scalar('SELECT COUNT(*) FROM cities WHERE code = ?', m), before);
  assert.equal(before, 0);
  assert.equal(scalar("SELECT COUNT(*) FROM audit_log WHERE entity = 'city' AND new_value = ?", city.name), auditBefore);
  // Deleting a row without the token leaves it in place.
  r = await c.post(`/base/cities/${res.cities.id}/delete`, {}, { csrf: false });
  assert.equal(r.status, 403);
  assert.equal(scalar('SELECT COUNT(*) FROM cities WHERE id = ?', res.cities.id), 1);
});

test('CSRF: the X-CSRF-Token header works in place of the field', async () => {
  const c = await as('admin');
  const m = marker();
  createMarkers.push(['cities', 'code', m]);
  const r = await c.post('/base/cities', { code: m, name: `权限测试${m}`, province: '权限测试省' },
    { csrf: false, headers: { 'x-csrf-token': c.csrf } });
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), '/base/cities?flash=created');
  assert.equal(scalar('SELECT COUNT(*) FROM cities WHERE code = ?', m), 1);
});

test('CSRF: the token of one session does not work for another', async () => {
  const a = await as('admin');
  const b = await as('admin');
  assert.notEqual(a.csrf, b.csrf, 'each session has its own token');
  assert.notEqual(a.cookies.get('ca_sid'), b.cookies.get('ca_sid'));
  const m = marker();
  createMarkers.push(['cities', 'code', m]);
  const city = { code: m, name: `权限测试${m}`, province: '权限测试省' };
  let r = await b.post('/base/cities', { ...city, _csrf: a.csrf });
  assert.equal(r.status, 403);
  assert.ok(r.text.includes(MSG_CSRF));
  r = await b.post('/base/cities', city, { csrf: false, headers: { 'x-csrf-token': a.csrf } });
  assert.equal(r.status, 403);
  // Nor does the anonymous login token.
  const anon = new Client();
  await anon.get('/base/login');
  r = await b.post('/base/cities', { ...city, _csrf: anon.csrf });
  assert.equal(r.status, 403);
  assert.equal(scalar('SELECT COUNT(*) FROM cities WHERE code = ?', m), 0);
  // b's own token is fine.
  r = await b.post('/base/cities', city);
  assert.equal(r.status, 303);
  assert.equal(scalar('SELECT COUNT(*) FROM cities WHERE code = ?', m), 1);
});
