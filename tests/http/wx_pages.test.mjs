// The phone pages (ca-wechat, /wx/, F7.1): sign-in, scan lookup, the pile card, its data
// scope (another city company's or another supplier's pile is not found), binding a product
// (supplier or staff), binding to a station (staff only, nearest first), maintenance, every
// refusal, idempotency keys (a double submit applies once) and the ledger / update records
// being exactly what the web forms write.  Piles and stations are made through the web API,
// so the ledger explains every state (./chargeasset verify runs after the suite).
import { test, before } from 'node:test';
import { randomUUID } from 'node:crypto';
import { Client, as, base, sql, scalar, assert, createState, stationTo } from './lib.mjs';
import * as C from './crud.mjs';

const PILES = { path: '/asset/piles', table: 'piles', entity: 'pile', key: 'code' };
const STATIONS = { path: '/asset/stations', table: 'stations', entity: 'station', key: 'code' };

const SZ = C.idOf('companies', 'code', 'CC-SZ');
const HZ = C.idOf('companies', 'code', 'CC-HZ');
const MF_XC = C.idOf('companies', 'code', 'MF-XC'); // the company of user "supplier"
const SP_HY = C.idOf('companies', 'code', 'SP-HY'); // the company of user "supplier2"
const SUZHOU = C.idOf('cities', 'code', '320500');
const HANGZHOU = C.idOf('cities', 'code', '330100');
const WH_SZ1 = C.idOf('warehouses', 'code', 'WH-SZ-01');
const WH_HZ1 = C.idOf('warehouses', 'code', 'WH-HZ-01');
const P_XC = C.idOf('products', 'model', 'XC-AC7-W'); // made by MF-XC
const P_YT = C.idOf('products', 'model', 'YT-DC160-2'); // made by MF-YT

let admin, seq = 0;
const PFX = C.ucode('WX', 10);
// A remote corner of Suzhou's map where only this file's stations stand.
const HERE = { lat: 31.18, lng: 120.41 };

before(async () => {
  admin = await as('admin');
});

/** A pile registered through the web form; `supplier` sets piles.supplier_id. */
async function newPile({ product = '', company = SZ, warehouse = WH_SZ1, supplier = null, ...over } = {}) {
  const code = `${PFX}${String(++seq).padStart(3, '0')}`;
  const f = { code, serial_no: `SN${code}`, product_id: product, company_id: company, warehouse_id: warehouse,
    state: 'in_stock', sw_version: 'V1.0', hw_version: 'H1', tariff: '0.8', comm_method: '4g', charging_mode: 'gb2015', ...over };
  const r = await C.create(admin, PILES, f);
  assert.equal(r.status, 303, `pile ${code} created (${C.alertText(r.text) ?? r.status})`);
  if (supplier) sql('UPDATE piles SET supplier_id = ? WHERE id = ?', supplier, r.id);
  return { ...f, id: r.id };
}

async function newStation({ company = SZ, city = SUZHOU, lat = HERE.lat, lng = HERE.lng, state = 'operating' } = {}) {
  const code = C.ucode('WXS', 16);
  const f = { code, name: `移动端测试站${code}`, company_id: company, city_id: city, state: createState(state),
    expected_piles: 0, lat: lat.toFixed(6), lng: lng.toFixed(6) };
  const r = await C.create(admin, STATIONS, f);
  assert.equal(r.status, 303, `station ${code} created (${C.alertText(r.text) ?? r.status})`);
  await stationTo(admin, r.id, state);
  return { ...f, state, id: r.id };
}

/** A phone client signed in through /wx/login. */
async function phone(username) {
  const c = new Client();
  const f = await c.get('/wx/login');
  assert.equal(f.status, 200);
  const r = await c.post('/wx/login', { username, password: 'demo1234' });
  assert.equal(r.status, 303, `phone login ${username}`);
  await c.get('/wx/scan'); // the session's CSRF token
  return c;
}

function events(id) {
  return sql(`SELECT kind, COALESCE(station_id, ''), COALESCE(from_state, ''), COALESCE(to_state, ''),
    COALESCE(from_place, ''), COALESCE(to_place, ''), COALESCE(detail, '') FROM asset_events
    WHERE pile_id = ? AND kind <> 'pile_create' ORDER BY id`, id);
}
function eventsOf(r) {
  return scalar('SELECT COUNT(*) FROM asset_events WHERE request_id = ?', r.headers.get('x-request-id'));
}
function auditRows(id) {
  return C.audit('pile', id, "AND a.action = 'update'").map((a) => [a.field, a.old_value, a.new_value]);
}
function nothingWritten(r) {
  assert.equal(eventsOf(r), 0, 'no ledger row from the refused request');
  assert.equal(C.auditOf(r), 0, 'no update record from the refused request');
}
function keyRows(user) {
  return scalar('SELECT COUNT(*) FROM wx_submissions WHERE user_id = (SELECT id FROM users WHERE username = ?)', user);
}

test('sign-in on the phone: form, wrong password, next, a normal session, logout', async () => {
  const c = new Client();
  const home = await c.get('/wx/');
  assert.equal(home.status, 200);
  assert.match(home.text, /action="\/wx\/login"/);
  assert.match(home.text, /\/assets\/css\/phone\.css"[\s\S]*\/assets\/css\/wx\.css"/, 'the shell\'s stylesheet, then the worker\'s');
  assert.doesNotMatch(home.text, /class="sidebar"/, 'phone shell, not the desktop menu');

  const noCsrf = await c.post('/wx/login', { username: 'ops', password: 'demo1234', _csrf: 'x' });
  assert.equal(noCsrf.status, 403);
  const bad = await c.post('/wx/login', { username: 'ops', password: 'wrong-password1' });
  assert.equal(bad.status, 401);
  assert.match(C.alertText(bad.text), /用户名或密码不正确/);
  const empty = await c.post('/wx/login', { username: '', password: '' });
  assert.equal(empty.status, 422);

  // A label URL opened signed out goes to the phone sign-in, then back to the card.
  const pile = await newPile({ product: P_XC });
  const anon = await c.get(`/wx/p/${pile.code}`);
  assert.equal(anon.status, 303);
  assert.equal(anon.headers.get('location'), `/wx/login?next=${encodeURIComponent(`/wx/p/${pile.code}`)}`);
  await c.get(anon.headers.get('location'));
  const ok = await c.post('/wx/login', { username: 'ops', password: 'demo1234', next: `/wx/p/${pile.code}` });
  assert.equal(ok.status, 303);
  assert.equal(ok.headers.get('location'), `/wx/p/${pile.code}`);
  const card = await c.get(`/wx/p/${pile.code}`);
  assert.equal(card.status, 200);
  assert.match(card.text, new RegExp(pile.code));
  // The same session serves the web pages.
  assert.equal((await c.get('/asset/piles')).status, 200);
  // An outside or odd `next` is not followed.
  const c2 = new Client();
  await c2.get('/wx/login');
  const evil = await c2.post('/wx/login', { username: 'ops', password: 'demo1234', next: '//evil.example.com/wx/' });
  assert.equal(evil.headers.get('location'), '/wx/scan');
  // Logout ends the session for both.
  const out = await c.post('/wx/logout');
  assert.equal(out.status, 303);
  assert.equal(out.headers.get('location'), '/wx/login');
  assert.equal((await c.get('/asset/piles')).status, 303);
  // Signed out, a POST is 401, not a redirect.
  assert.equal((await c.post(`/wx/p/${pile.code}/maintain`, {}, { csrf: false })).status, 401);
});

test('scan lookup: label URL, QR_CODE prefix, bare code in any case; bad values refused', async () => {
  const c = await phone('ops');
  const pile = await newPile({ product: P_XC });
  for (const v of [`${base}/wx/p/${pile.code}`, `QR_CODE,${base}/wx/p/${pile.code}`, pile.code.toLowerCase(),
    `  ${pile.code}  `, `${base}/wx/p/${pile.code}?from=label`, `CODE_128,${pile.code}`]) {
    const r = await c.get(`/wx/lookup?value=${encodeURIComponent(v)}`);
    assert.equal(r.status, 303, v);
    assert.equal(r.headers.get('location'), `/wx/p/${pile.code}`, v);
  }
  const cases = [
    ['', /请扫码或输入编码/],
    ['https://other.example.com/wx/p/' + pile.code, /不是本系统的二维码/],
    ['A'.repeat(40), /编码过长/],
    ['CP-00-1', /无法识别/],
    ['<script>', /无法识别/],
    ['QR_CODE,', /无法识别/],
  ];
  for (const [v, msg] of cases) {
    const r = await c.get(`/wx/lookup?value=${encodeURIComponent(v)}`);
    assert.equal(r.status, 422, v);
    assert.match(C.alertText(r.text), msg, v);
    assert.doesNotMatch(r.text, /<script>/);
  }
  // WeChat's 1-D barcode form is read as its value (WECHAT.md §10.5); an unknown code is 404 at the card.
  const ean = await c.get(`/wx/lookup?value=${encodeURIComponent('EAN_13,6921665714849')}`);
  assert.equal(ean.headers.get('location'), '/wx/p/6921665714849');
  assert.equal((await c.get('/wx/p/6921665714849')).status, 404);
  const j = await c.get(`/wx/lookup?value=${encodeURIComponent('QR_CODE,' + pile.code)}`, { json: true });
  assert.equal(j.status, 200);
  assert.equal(j.json().location, `/wx/p/${pile.code}`);
  // The scan page itself.
  const page = await c.get('/wx/scan');
  assert.equal(page.status, 200);
  assert.match(page.text, /\/assets\/js\/wx-scan\.js/);
  assert.match(page.text, /action="\/wx\/lookup"/);
});

test('the card: product, place, state, versions, warranty, events; unknown, voided, malformed codes', async () => {
  const c = await phone('ops');
  const demo = sql(`SELECT p.code, p.sw_version, p.hw_version, st.name, pr.model FROM piles p
    JOIN stations st ON st.id = p.station_id JOIN products pr ON pr.id = p.product_id
    WHERE p.state = 'operating' ORDER BY p.id LIMIT 1`)[0];
  const r = await c.get(`/wx/p/${demo[0]}`);
  assert.equal(r.status, 200);
  for (const s of [demo[1], demo[2], demo[3], demo[4], '运营', '质保', '绑定充电站']) assert.ok(r.text.includes(s), `card shows ${s}`);
  assert.match(r.text, /tag-warranty-(in|out)/);

  const unknown = await c.get('/wx/p/ZZZZ99999999');
  assert.equal(unknown.status, 404);
  assert.match(C.alertText(unknown.text), /没有找到该充电桩/);
  for (const bad of ['ab-c', 'AB', 'A'.repeat(40), '%3Cscript%3E']) {
    const m = await c.get(`/wx/p/${bad}`);
    assert.equal(m.status, 404, bad);
  }
  // A voided code (replaced at regeneration) answers 410.
  const rule = sql(`INSERT INTO code_rules (name, prefix, company_id, segment, year_digits, serial_width, check_char)
    VALUES (?, 'ZV', ?, ?, 0, 6, 0); SELECT LAST_INSERT_ID()`, `wx-void-${PFX}`, SZ, PFX.slice(-6).replace(/[^0-9A-Z]/g, 'X'))[0][0];
  const batch = sql(`INSERT INTO qr_batches (rule_id, count, first_serial, year, state, done_count, created_by)
    VALUES (?, 1, 1, 2026, 'done', 1, (SELECT id FROM users WHERE username = 'admin')); SELECT LAST_INSERT_ID()`, rule)[0][0];
  const voided = `ZV${PFX}V`;
  sql(`INSERT INTO qr_codes (code, batch_id, serial, state, voided_at) VALUES (?, ?, 1, 'void', UTC_TIMESTAMP())`, voided, batch);
  const v = await c.get(`/wx/p/${voided}`);
  assert.equal(v.status, 410);
  assert.match(C.alertText(v.text), /已作废/);
});

test('data scope: another city company\'s pile and another supplier\'s pile are not found', async () => {
  const hz = await newPile({ product: P_XC, company: HZ, warehouse: WH_HZ1 });
  const sz = await newPile({ product: P_YT });
  const mine = await newPile({ supplier: MF_XC });
  const theirs = await newPile({ supplier: SP_HY });
  const inspector = await phone('inspector'); // CC-SZ, asset_view
  const warehouse = await phone('warehouse'); // CC-SZ, asset_edit
  const supplier = await phone('supplier'); // MF-XC
  const supplier2 = await phone('supplier2'); // SP-HY
  assert.equal((await inspector.get(`/wx/p/${hz.code}`)).status, 404);
  assert.equal((await warehouse.get(`/wx/p/${hz.code}`)).status, 404);
  assert.equal((await warehouse.get(`/wx/p/${hz.code}/maintain`)).status, 404);
  assert.equal((await inspector.get(`/wx/p/${sz.code}`)).status, 200);
  assert.equal((await warehouse.get(`/wx/p/${sz.code}`)).status, 200);
  // A supplier: its own piles and its own make only.
  assert.equal((await supplier.get(`/wx/p/${mine.code}`)).status, 200);
  assert.equal((await supplier.get(`/wx/p/${theirs.code}`)).status, 404);
  assert.equal((await supplier.get(`/wx/p/${sz.code}`)).status, 404, 'another manufacturer\'s product');
  assert.equal((await supplier.get(`/wx/p/${hz.code}`)).status, 200, 'a pile of its own make');
  assert.equal((await supplier2.get(`/wx/p/${mine.code}`)).status, 404);
  assert.equal((await supplier2.get(`/wx/p/${theirs.code}`)).status, 200);
  // Not found the same way through a submission: nothing written, no key kept.
  const before = keyRows('supplier');
  const r = await supplier.post(`/wx/p/${theirs.code}/product`, { product_id: P_XC, idem: randomUUID() });
  assert.equal(r.status, 404);
  nothingWritten(r);
  assert.equal(keyRows('supplier'), before);
  assert.equal(scalar('SELECT product_id FROM piles WHERE id = ?', theirs.id), null);
  // A staff user of another company is refused the same way.
  const w = await warehouse.post(`/wx/p/${hz.code}/maintain`, { version: 1, state: 'in_stock', idem: randomUUID() });
  assert.equal(w.status, 404);
  nothingWritten(w);
});

test('a supplier binds a product to its own unbound pile, but is refused binding to a station (403)', async () => {
  const pile = await newPile({ supplier: MF_XC });
  const station = await newStation();
  const s = await phone('supplier');
  const card = await s.get(`/wx/p/${pile.code}`);
  assert.equal(card.status, 200);
  assert.match(card.text, /action="\/wx\/p\/[^"]+\/product"/);
  assert.doesNotMatch(card.text, /\/station"/, 'no station action for a supplier');
  assert.doesNotMatch(card.text, /\/maintain"/, 'no maintenance for a supplier');
  const opts = C.selectOptions(card.text, 'product_id').map(Number);
  assert.ok(opts.includes(P_XC) && !opts.includes(P_YT), 'only products of its own make');
  // Another make is refused.
  const other = await s.post(`/wx/p/${pile.code}/product`, { product_id: P_YT, idem: randomUUID() });
  C.assertRefused(other, 422);
  nothingWritten(other);
  // Its own make binds.
  const ok = await s.post(`/wx/p/${pile.code}/product`, { product_id: P_XC, idem: randomUUID() });
  assert.equal(ok.status, 303, C.alertText(ok.text));
  assert.equal(ok.headers.get('location'), `/wx/p/${pile.code}?done=product`);
  assert.equal(scalar('SELECT product_id FROM piles WHERE id = ?', pile.id), P_XC);
  assert.ok(scalar('SELECT warranty_end FROM piles WHERE id = ?', pile.id), 'warranty end follows the product');
  assert.deepEqual(events(pile.id), [['pile_change', '', '', '', '', '', `product_id: 0 -> ${P_XC}`]]);
  assert.deepEqual(auditRows(pile.id), [['product_id', '', String(P_XC)]]);
  assert.equal(scalar("SELECT user_id = (SELECT id FROM users WHERE username = 'supplier') FROM audit_log WHERE entity = 'pile' AND entity_id = ? ORDER BY id DESC LIMIT 1", pile.id), 1);
  const done = await s.get(ok.headers.get('location'));
  assert.match(done.text, /已绑定产品/);
  // Bound once: a second binding is refused.
  const again = await s.post(`/wx/p/${pile.code}/product`, { product_id: P_XC, idem: randomUUID() });
  assert.equal(again.status, 409);
  nothingWritten(again);
  // Station binding and maintenance are staff work.
  assert.equal((await s.get(`/wx/p/${pile.code}/station`)).status, 403);
  const st = await s.post(`/wx/p/${pile.code}/station`, { station_id: station.id, idem: randomUUID() });
  assert.equal(st.status, 403);
  nothingWritten(st);
  assert.equal(scalar('SELECT station_id FROM piles WHERE id = ?', pile.id), null);
  const mt = await s.post(`/wx/p/${pile.code}/maintain`, { version: 1, state: 'in_stock', idem: randomUUID() });
  assert.equal(mt.status, 403);
  nothingWritten(mt);
});

test('roles: view-only staff are refused every change; staff with asset edit bind a product', async () => {
  const pile = await newPile();
  const station = await newStation();
  for (const u of ['inspector', 'leader', 'finance']) {
    const c = await phone(u);
    const card = await c.get(`/wx/p/${pile.code}`);
    assert.equal(card.status, 200, u);
    assert.doesNotMatch(card.text, /\/product"/, `${u}: no product form`);
    for (const [path, f] of [['product', { product_id: P_XC }], ['station', { station_id: station.id }], ['maintain', { version: 1, state: 'in_stock' }]]) {
      const r = await c.post(`/wx/p/${pile.code}/${path}`, { ...f, idem: randomUUID() });
      assert.equal(r.status, 403, `${u} ${path}`);
      nothingWritten(r);
    }
  }
  const w = await phone('warehouse');
  const card = await w.get(`/wx/p/${pile.code}`);
  const opts = C.selectOptions(card.text, 'product_id').map(Number);
  assert.ok(opts.includes(P_XC) && opts.includes(P_YT), 'staff choose from every product');
  const r = await w.post(`/wx/p/${pile.code}/product`, { product_id: P_YT, idem: randomUUID() });
  assert.equal(r.status, 303, C.alertText(r.text));
  assert.equal(scalar('SELECT product_id FROM piles WHERE id = ?', pile.id), P_YT);
});

test('bind to a station: nearest first from a WGS-84 position, search, scope, refusals', async () => {
  // A spot of its own: no other test's (nor demo) station is near it.
  const AT = { lat: 31.205, lng: 120.38 };
  const pile = await newPile({ product: P_XC });
  const near = await newStation({ lat: AT.lat + 0.0002, lng: AT.lng + 0.0002 });
  const far = await newStation({ lat: AT.lat + 0.01, lng: AT.lng });
  const closed = await newStation({ lat: AT.lat, lng: AT.lng, state: 'closed' });
  const hz = await newStation({ company: HZ, city: HANGZHOU, lat: AT.lat + 0.0001, lng: AT.lng });
  const w = await phone('warehouse');

  const page = await w.get(`/wx/p/${pile.code}/station?lat=${AT.lat}&lng=${AT.lng}`);
  assert.equal(page.status, 200);
  const ids = [...page.text.matchAll(/name="station_id" value="(\d+)"/g)].map((m) => Number(m[1]));
  assert.equal(ids[0], near.id, 'the nearest station first');
  assert.ok(ids.includes(far.id));
  assert.ok(ids.indexOf(far.id) > 0);
  assert.ok(!ids.includes(closed.id), 'no closed station');
  assert.ok(!ids.includes(hz.id), 'no station of another company');
  assert.match(page.text, /\d+ m</, 'distances shown');
  // JSON for scripts; the distance is the haversine one (~28 m).
  const j = (await w.get(`/wx/p/${pile.code}/station?lat=${AT.lat}&lng=${AT.lng}`, { json: true })).json();
  assert.equal(Number(j.stations[0].id), near.id);
  assert.ok(Math.abs(Number(j.stations[0].distance_m) - 28) <= 2, `distance ${j.stations[0].distance_m}`);
  // Search by code, ordered by distance when the position is known.
  const found = await w.get(`/wx/p/${pile.code}/station?q=${far.code}`);
  assert.deepEqual([...found.text.matchAll(/name="station_id" value="(\d+)"/g)].map((m) => Number(m[1])), [far.id]);
  // Bad positions and searches.
  for (const qs of ['lat=abc&lng=1', 'lat=91&lng=120', 'lat=31', 'lat=1e400&lng=2', `q=${'长'.repeat(51)}`]) {
    assert.equal((await w.get(`/wx/p/${pile.code}/station?${qs}`)).status, 422, qs);
  }
  // Refusals: nothing written.
  for (const [f, status] of [[{ station_id: '' }, 422], [{ station_id: 'abc' }, 422], [{ station_id: 999999999 }, 422],
    [{ station_id: hz.id }, 422], [{ station_id: closed.id }, 409], [{ station_id: near.id, idem: 'not-a-uuid' }, 422],
    [{ station_id: near.id, idem: '' }, 422]]) {
    const r = await w.post(`/wx/p/${pile.code}/station`, { idem: randomUUID(), ...f });
    assert.equal(r.status, status, JSON.stringify(f));
    assert.ok(C.alertText(r.text), 'a message');
    nothingWritten(r);
  }
  assert.equal(scalar('SELECT station_id FROM piles WHERE id = ?', pile.id), null);
  // A pile without a product cannot be bound.
  const bare = await newPile();
  const nb = await w.post(`/wx/p/${bare.code}/station`, { station_id: near.id, idem: randomUUID() });
  assert.equal(nb.status, 409);
  assert.match(C.alertText(nb.text), /尚未绑定产品/);
  nothingWritten(nb);
  // The binding.
  const ok = await w.post(`/wx/p/${pile.code}/station`, { station_id: near.id, idem: randomUUID() });
  assert.equal(ok.status, 303, C.alertText(ok.text));
  assert.equal(ok.headers.get('location'), `/wx/p/${pile.code}?done=station`);
  assert.deepEqual(sql('SELECT place, station_id, state, company_id FROM piles WHERE id = ?', pile.id)[0],
    ['station', String(near.id), 'installed', String(SZ)]);
});

test('double submit with the same key applies once and answers the same; a reused key is refused', async () => {
  const pile = await newPile({ product: P_XC });
  const station = await newStation({ lat: HERE.lat - 0.002, lng: HERE.lng });
  const w = await phone('warehouse');
  const idem = randomUUID();
  const first = await w.post(`/wx/p/${pile.code}/station`, { station_id: station.id, idem });
  const second = await w.post(`/wx/p/${pile.code}/station`, { station_id: station.id, idem });
  assert.equal(first.status, 303);
  assert.equal(second.status, 303, C.alertText(second.text));
  assert.equal(second.headers.get('location'), first.headers.get('location'));
  assert.equal(eventsOf(second), 0, 'the replay wrote no ledger row');
  assert.equal(C.auditOf(second), 0, 'the replay wrote no update record');
  assert.equal(scalar("SELECT COUNT(*) FROM asset_events WHERE pile_id = ? AND kind = 'pile_bind'", pile.id), 1);
  assert.equal(scalar("SELECT COUNT(*) FROM audit_log WHERE entity = 'pile' AND entity_id = ? AND field = 'station_id'", pile.id), 1);
  // JSON answers the same too (what the phone's script sees).
  const j = await w.post(`/wx/p/${pile.code}/station`, { station_id: station.id, idem }, { json: true });
  assert.equal(j.status, 200);
  assert.equal(j.json().location, first.headers.get('location'));
  // Upper-case spelling of the same key is the same key.
  const up = await w.post(`/wx/p/${pile.code}/station`, { station_id: station.id, idem: idem.toUpperCase() });
  assert.equal(up.status, 303);
  // The same key for another action is refused.
  const reused = await w.post(`/wx/p/${pile.code}/maintain`, { idem, version: 1, state: 'installed' });
  assert.equal(reused.status, 409);
  assert.match(C.alertText(reused.text), /已用于其它操作/);
  nothingWritten(reused);
  // Two at once (a double tap racing): one applies, both answer the same.
  const s = await phone('supplier');
  const pile3 = await newPile({ supplier: MF_XC });
  const k2 = randomUUID();
  const [a, b] = await Promise.all([
    s.post(`/wx/p/${pile3.code}/product`, { product_id: P_XC, idem: k2 }),
    s.post(`/wx/p/${pile3.code}/product`, { product_id: P_XC, idem: k2 }),
  ]);
  assert.deepEqual([a.status, b.status], [303, 303]);
  assert.equal(a.headers.get('location'), b.headers.get('location'));
  assert.equal(scalar("SELECT COUNT(*) FROM asset_events WHERE pile_id = ? AND kind = 'pile_change'", pile3.id), 1);
});

test('maintain: validation, state machine, stale version; nothing written when refused', async () => {
  const pile = await newPile({ product: P_XC });
  const station = await newStation({ lat: HERE.lat - 0.004, lng: HERE.lng });
  const w = await phone('warehouse');
  const b = await w.post(`/wx/p/${pile.code}/station`, { station_id: station.id, idem: randomUUID() });
  assert.equal(b.status, 303);
  const form = await w.get(`/wx/p/${pile.code}/maintain`);
  assert.equal(form.status, 200);
  assert.deepEqual(C.selectOptions(form.text, 'state').sort(), ['installed', 'operating', 'repair'],
    'only the moves of a pile in service');
  const version = Number(form.text.match(/name="version" value="(\d+)"/)[1]);
  const good = { version, state: 'operating', charging_mode: 'gb2015', comm_method: 'ethernet', sw_version: 'V2.0', hw_version: 'H2', tariff: '0.95' };
  const bad = [
    [{ tariff: 'abc' }, 422, 'tariff'], [{ tariff: '101' }, 422, 'tariff'], [{ tariff: '0.123456' }, 422, 'tariff'],
    [{ sw_version: 'V'.repeat(33) }, 422, 'sw_version'], [{ hw_version: 'a\nb' }, 422, 'hw_version'],
    [{ comm_method: 'pigeon' }, 422, 'comm_method'], [{ charging_mode: 'x' }, 422, 'charging_mode'],
    [{ state: 'flying' }, 422, 'state'], [{ state: 'sold' }, 409, 'state'], [{ state: 'in_stock' }, 409, 'state'],
    [{ version: 'x' }, 400, null], [{ version: '' }, 400, null],
  ];
  for (const [change, status, field] of bad) {
    const r = await w.post(`/wx/p/${pile.code}/maintain`, { ...good, ...change, idem: randomUUID() });
    assert.equal(r.status, status, JSON.stringify(change));
    assert.ok(C.alertText(r.text), 'a message');
    if (field) assert.match(r.text, new RegExp(`is-invalid[^>]*id="f-${field}"|id="f-${field}"[^>]*is-invalid`), field);
    nothingWritten(r);
  }
  // Stale: someone changed the pile since the form was shown.
  const stale = await w.post(`/wx/p/${pile.code}/maintain`, { ...good, version: version - 1, idem: randomUUID() });
  assert.equal(stale.status, 409);
  assert.match(C.alertText(stale.text), /已被他人修改/);
  assert.match(stale.text, /name="version" value="\d+"/);
  nothingWritten(stale);
  const ok = await w.post(`/wx/p/${pile.code}/maintain`, { ...good, idem: randomUUID() });
  assert.equal(ok.status, 303, C.alertText(ok.text));
  assert.deepEqual(sql('SELECT state, charging_mode, comm_method, sw_version, hw_version, tariff FROM piles WHERE id = ?', pile.id)[0],
    ['operating', 'gb2015', 'ethernet', 'V2.0', 'H2', '0.9500']);
  const card = await w.get(ok.headers.get('location'));
  assert.match(card.text, /已保存/);
  assert.match(card.text, /V2\.0/);
});

test('the ledger and update records of each phone change are exactly what the web forms write', async () => {
  const w = await phone('warehouse');
  const web = await as('warehouse');
  // Two identical piles; one is changed on the web, the other on the phone.
  const a = await newPile();
  const b = await newPile();
  // Product: the web edit form vs the phone's binding.
  const ea = await C.edit(web, PILES, a.id);
  const ua = await web.post(`${PILES.path}/${a.id}`, C.browserForm(ea.text, { product_id: P_XC }));
  assert.equal(ua.status, 303, C.alertText(ua.text));
  const pb = await w.post(`/wx/p/${b.code}/product`, { product_id: P_XC, idem: randomUUID() });
  assert.equal(pb.status, 303);
  // Station: the web card's bind vs the phone's.
  const sa = await newStation({ lat: HERE.lat + 0.02, lng: HERE.lng });
  const ba = await web.post(`/asset/piles/${a.id}/bind`, { station_id: sa.id });
  assert.equal(ba.status, 303, C.alertText(ba.text));
  const bb = await w.post(`/wx/p/${b.code}/station`, { station_id: sa.id, idem: randomUUID() });
  assert.equal(bb.status, 303);
  // Maintenance: state, versions, communication, mode, tariff.
  const change = { state: 'operating', sw_version: 'V3.1', hw_version: 'H3', comm_method: 'wifi', charging_mode: 'ccs2', tariff: '1.2' };
  const e2 = await C.edit(web, PILES, a.id);
  const u2 = await web.post(`${PILES.path}/${a.id}`, C.browserForm(e2.text, change));
  assert.equal(u2.status, 303, C.alertText(u2.text));
  const m = await w.get(`/wx/p/${b.code}/maintain`);
  const version = Number(m.text.match(/name="version" value="(\d+)"/)[1]);
  const mb = await w.post(`/wx/p/${b.code}/maintain`, { ...change, version, idem: randomUUID() });
  assert.equal(mb.status, 303, C.alertText(mb.text));

  const norm = (rows) => rows.map((r) => r.map((v) => v.replace(String(sa.id), 'S')));
  assert.deepEqual(norm(events(b.id)), norm(events(a.id)), 'same ledger rows');
  assert.deepEqual(auditRows(b.id).sort(), auditRows(a.id).sort(), 'same update records');
  assert.ok(events(b.id).length >= 4, 'product, bind, state, versions in the ledger');
  const cols = 'product_id, place, station_id, state, sw_version, hw_version, comm_method, charging_mode, tariff, warranty_end, company_id';
  assert.deepEqual(sql(`SELECT ${cols} FROM piles WHERE id = ?`, b.id), sql(`SELECT ${cols} FROM piles WHERE id = ?`, a.id));
  // The web's update records page lists the phone's changes.
  const rec = await admin.get(`/base/records?entity=pile&entity_id=${b.id}`);
  assert.equal(rec.status, 200);
  assert.match(rec.text, /V3\.1/);
});

test('escaping: hostile values on the phone pages are shown as text', async () => {
  const pile = await newPile({ product: P_XC, sw_version: '<b>x</b>"\'' });
  const c = await phone('ops');
  const r = await c.get(`/wx/p/${pile.code}`);
  assert.equal(r.status, 200);
  assert.doesNotMatch(r.text, /<b>x<\/b>/);
  assert.match(r.text, /&lt;b&gt;x&lt;\/b&gt;/);
  const l = await c.get(`/wx/lookup?value=${encodeURIComponent('"><img src=x onerror=alert(1)>')}`);
  assert.equal(l.status, 422);
  assert.doesNotMatch(l.text, /<img src=x/);
});
