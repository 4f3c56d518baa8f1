// The per-process caches (cgi/core/db.c result cache, app.c response cache, tpl.c render
// memo) never show stale data: a change of a covered table, made through the web or straight
// in the database, is visible on the very next request of every worker process; a change of
// the user (name, role, permissions, disabled) takes effect at once; one user's cached page
// is never another's.  Each read is repeated so both processes of a worker answer it.
import { test, before, after } from 'node:test';
import { as, sql, scalar, uniq, assert, Client, mapRows } from './lib.mjs';

const REPEAT = 6; // two processes per worker: each serves some of these
let admin;
let pid;
let model;

before(async () => {
  admin = await as('admin');
  model = uniq('CACHE-').toUpperCase().slice(0, 30);
  sql(`INSERT INTO products (manufacturer_id, model, name, rated_power_kw, current_type, connectors, warranty_months)
    SELECT MIN(id), ?, '缓存测试桩', 30, 'DC', 1, 24 FROM companies WHERE is_manufacturer = 1`, model);
  pid = scalar('SELECT id FROM products WHERE model = ?', model);
});

after(() => {
  sql('DELETE FROM products WHERE id = ?', pid);
});

async function listed(client, path) {
  const pages = [];
  for (let i = 0; i < REPEAT; i++) {
    const r = await client.get(path);
    assert.equal(r.status, 200, path);
    pages.push(r.text);
  }
  return pages;
}

test('a product renamed straight in the database shows on the next request of every process', async () => {
  const path = `/base/products?q=${model}&per=50`;
  for (const t of await listed(admin, path)) assert.match(t, /缓存测试桩/);
  sql("UPDATE products SET name = '缓存测试桩改名' WHERE id = ?", pid);
  for (const t of await listed(admin, path)) {
    assert.match(t, /缓存测试桩改名/);
  }
  // And in the option lists of other pages (pile list: the product filter).
  for (const t of await listed(admin, '/asset/piles?per=20')) assert.match(t, new RegExp(model));
  sql('UPDATE products SET model = ? WHERE id = ?', model + 'X', pid);
  for (const t of await listed(admin, '/asset/piles?per=20')) assert.match(t, new RegExp(model + 'X'));
  sql('UPDATE products SET model = ? WHERE id = ?', model, pid);
});

test('an edit through the web shows at once; a rolled-back write does not change the answer', async () => {
  const path = `/base/products?q=${model}&per=50`;
  await listed(admin, path);
  const edit = await admin.get(`/base/products/${pid}/edit`);
  const version = edit.text.match(/name="version" value="(\d+)"/)[1];
  const r = await admin.post(`/base/products/${pid}`, {
    version, manufacturer_id: scalar('SELECT manufacturer_id FROM products WHERE id = ?', pid),
    model, name: '缓存网页改名', rated_power_kw: '30', current_type: 'DC', connectors: '1',
    warranty_months: '24',
  });
  assert.equal(r.status, 303);
  for (const t of await listed(admin, path)) assert.match(t, /缓存网页改名/);
  // A refused edit (stale version): nothing written, the list is unchanged.
  const stale = await admin.post(`/base/products/${pid}`, {
    version, manufacturer_id: scalar('SELECT manufacturer_id FROM products WHERE id = ?', pid),
    model, name: '不应出现', rated_power_kw: '30', current_type: 'DC', connectors: '1',
    warranty_months: '24',
  });
  assert.equal(stale.status, 409);
  for (const t of await listed(admin, path)) {
    assert.match(t, /缓存网页改名/);
    assert.doesNotMatch(t, /不应出现/);
  }
});

test('the user as read with the session: a new name shows, a disabled user is signed out', async () => {
  const path = `/base/products?q=${model}&per=50`;
  const name = scalar("SELECT name FROM users WHERE username = 'li.na'");
  const c = await as('li.na');
  try {
    for (const t of await listed(c, path)) assert.match(t, new RegExp(name));
    sql("UPDATE users SET name = '缓存改名用户' WHERE username = 'li.na'");
    for (const t of await listed(c, path)) assert.match(t, /缓存改名用户/);
    sql("UPDATE users SET enabled = 0 WHERE username = 'li.na'");
    for (let i = 0; i < REPEAT; i++) {
      const r = await c.get(path);
      assert.equal(r.status, 303, 'signed out: to the login page');
      assert.match(r.headers.get('location'), /^\/base\/login/);
    }
  } finally {
    sql("UPDATE users SET name = ?, enabled = 1 WHERE username = 'li.na'", name);
  }
});

test('a role losing a permission is refused on the next request, cached page or not', async () => {
  const c = await as('warehouse');
  const perms = scalar("SELECT perms FROM roles WHERE code = 'warehouse'");
  assert.match(perms, /base_view/);
  await listed(c, '/base/products?per=20');
  try {
    sql("UPDATE roles SET perms = ? WHERE code = 'warehouse'", perms.split(',').filter((p) => p !== 'base_view').join(','));
    for (let i = 0; i < REPEAT; i++) assert.equal((await c.get('/base/products?per=20')).status, 403);
  } finally {
    sql("UPDATE roles SET perms = ? WHERE code = 'warehouse'", perms);
  }
  assert.equal((await c.get('/base/products?per=20')).status, 200);
});

test('one city company never gets another one\'s cached page or map data', async () => {
  const a = await as('inspector');
  const b = await as('inspector2');
  const ca = scalar("SELECT company_id FROM users WHERE username = 'inspector'");
  const cb = scalar("SELECT company_id FROM users WHERE username = 'inspector2'");
  assert.notEqual(ca, cb);
  const codeA = scalar('SELECT code FROM stations WHERE company_id = ? ORDER BY id LIMIT 1', ca);
  const codeB = scalar('SELECT code FROM stations WHERE company_id = ? ORDER BY id LIMIT 1', cb);
  for (let i = 0; i < REPEAT; i++) {
    const ma = mapRows((await a.get('/asset/map/data')).json()).map((s) => s.code);
    const mb = mapRows((await b.get('/asset/map/data')).json()).map((s) => s.code);
    assert.ok(ma.includes(codeA) && !ma.includes(codeB));
    assert.ok(mb.includes(codeB) && !mb.includes(codeA));
    const la = await a.get('/asset/stations?per=100');
    const lb = await b.get('/asset/stations?per=100');
    assert.ok(la.text.includes(codeA) && !la.text.includes(codeB));
    assert.ok(lb.text.includes(codeB) && !lb.text.includes(codeA));
  }
});

test('map data follows a station moved straight in the database', async () => {
  const st = sql("SELECT id, lat FROM stations WHERE lat IS NOT NULL AND state <> 'closed' ORDER BY id LIMIT 1")[0];
  const path = '/asset/map/data';
  const find = async () => {
    const out = [];
    for (let i = 0; i < REPEAT; i++) {
      out.push(mapRows((await admin.get(path)).json()).find((s) => String(s.id) === st[0]));
    }
    return out;
  };
  for (const s of await find()) assert.ok(s);
  try {
    sql('UPDATE stations SET lat = lat + 0.001 WHERE id = ?', st[0]);
    const moved = scalar('SELECT lat FROM stations WHERE id = ?', st[0]);
    for (const s of await find()) assert.equal(String(s.lat), String(Number(moved)));
  } finally {
    sql('UPDATE stations SET lat = ? WHERE id = ?', st[1], st[0]);
  }
});

test('anonymous pages are never answered from another visitor\'s cache', async () => {
  const tokens = new Set();
  for (let i = 0; i < REPEAT; i++) {
    const c = new Client();
    const r = await c.get('/base/login');
    tokens.add(r.text.match(/name="_csrf" value="([^"]+)"/)[1]);
  }
  assert.equal(tokens.size, REPEAT, 'each visitor its own CSRF token');
});
