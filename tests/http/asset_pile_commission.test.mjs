// 投运日期 follows 运营 (issue 10): a pile put into operation with no commissioning date gets
// today's date (China), on the phone's maintenance page and on the web edit form alike
// (model/pile_update.c, commission): the date, its update record, a pile_change on the ledger and
// the warranty end from that day.  A date the user gave is kept; later moves back into
// operation change nothing; refused roles and refused input write nothing.
import { test, before } from 'node:test';
import { randomUUID } from 'node:crypto';
import { Client, as, sql, scalar, assert, createState, stationTo } from './lib.mjs';
import * as C from './crud.mjs';

const PILES = { path: '/asset/piles', table: 'piles', entity: 'pile', key: 'code' };
const STATIONS = { path: '/asset/stations', table: 'stations', entity: 'station', key: 'code' };
const SZ = C.idOf('companies', 'code', 'CC-SZ');
const SUZHOU = C.idOf('cities', 'code', '320500');
const WH_SZ1 = C.idOf('warehouses', 'code', 'WH-SZ-01');
const P_AC7 = C.idOf('products', 'model', 'XC-AC7-W'); // 24 months of warranty
const PFX = C.ucode('CM', 10);
let admin, web, seq = 0;

before(async () => {
  admin = await as('admin');
  web = await as('warehouse');
});

async function phone(username) {
  const c = new Client();
  await c.get('/wx/login');
  const r = await c.post('/wx/login', { username, password: 'demo1234' });
  assert.equal(r.status, 303, `phone login ${username}`);
  await c.get('/wx/scan');
  return c;
}

/** A pile with a product, bound to a fresh operating station of 苏州: installed. */
async function installedPile(over = {}) {
  const code = `${PFX}${String(++seq).padStart(3, '0')}`;
  const r = await C.create(admin, PILES, { code, product_id: P_AC7, company_id: SZ, warehouse_id: WH_SZ1,
    state: 'in_stock', ...over });
  C.assertRedirect(r, PILES, 'created');
  const scode = C.ucode('CMS', 16);
  const s = await C.create(admin, STATIONS, { code: scode, name: `投运测试站${scode}`, company_id: SZ, city_id: SUZHOU,
    state: createState('operating'), expected_piles: 1 });
  assert.equal(s.status, 303);
  await stationTo(admin, s.id, 'operating');
  const b = await admin.post(`/asset/piles/${r.id}/bind`, { station_id: s.id });
  assert.equal(b.status, 303);
  return { id: r.id, code };
}

const row = (id) => sql(`SELECT state, COALESCE(DATE_FORMAT(commissioned_on, '%Y-%m-%d'), ''),
  DATE_FORMAT(warranty_end, '%Y-%m-%d') FROM piles WHERE id = ?`, id)[0];
const plus24 = (day) => scalar("SELECT DATE_FORMAT(? + INTERVAL 24 MONTH, '%Y-%m-%d')", day);
const commissionAudit = (id) => C.audit('pile', id, "AND a.field = 'commissioned_on'").map((a) => [a.old_value, a.new_value, a.user]);
const commissionEvents = (id) => sql(`SELECT detail FROM asset_events WHERE pile_id = ? AND kind = 'pile_change'
  AND detail LIKE 'commissioned_on:%' ORDER BY id`, id).map((x) => x[0]);
const eventsOf = (r) => scalar('SELECT COUNT(*) FROM asset_events WHERE request_id = ?', r.headers.get('x-request-id'));

async function maintain(c, p, change) {
  const f = await c.get(`/wx/p/${p.code}/maintain`);
  assert.equal(f.status, 200);
  const version = Number(f.text.match(/name="version" value="(\d+)"/)[1]);
  return c.post(`/wx/p/${p.code}/maintain`, { version, state: 'installed', idem: randomUUID(), ...change });
}

test('phone: installed → 运营 without a date records today, its update record, the ledger and the warranty', async () => {
  const p = await installedPile();
  assert.deepEqual(row(p.id).slice(0, 2), ['installed', '']);
  const w = await phone('warehouse');
  const r = await maintain(w, p, { state: 'operating' });
  assert.equal(r.status, 303, C.alertText(r.text));
  const today = C.chinaToday();
  assert.deepEqual(row(p.id), ['operating', today, plus24(today)]);
  assert.deepEqual(commissionAudit(p.id), [['', today, 'warehouse']]);
  assert.deepEqual(commissionEvents(p.id), [`commissioned_on:  -> ${today}`]);
  // The phone card shows it; so do the web card and the update records.
  const card = await w.get(r.headers.get('location'));
  assert.match(card.text, new RegExp(`wx-commissioned">${today}<`));
  const webCard = await web.get(`/asset/piles/${p.id}`);
  assert.match(webCard.text, new RegExp(`投运日期</dt><dd>${today}</dd>`));
  const rec = await admin.get(`/base/records?entity=pile&entity_id=${p.id}`);
  assert.match(rec.text, /投运日期/);
  assert.match(rec.text, new RegExp(today));
  // Repair and back into operation: the first date stays, nothing more is written.
  assert.equal((await maintain(w, p, { state: 'repair' })).status, 303);
  const again = await maintain(w, p, { state: 'operating' });
  assert.equal(again.status, 303);
  assert.deepEqual(row(p.id), ['operating', today, plus24(today)]);
  assert.equal(commissionAudit(p.id).length, 1);
  assert.equal(commissionEvents(p.id).length, 1);
});

test('phone: a pile that already has a date keeps it', async () => {
  const p = await installedPile({ commissioned_on: '2024-05-06' });
  const r = await maintain(await phone('ops'), p, { state: 'operating' });
  assert.equal(r.status, 303, C.alertText(r.text));
  assert.deepEqual(row(p.id), ['operating', '2024-05-06', '2026-05-06']);
  assert.deepEqual(commissionAudit(p.id), [], 'the date the form got at creation is no update');
  assert.deepEqual(commissionEvents(p.id), []);
});

test('web form: 运营 with 投运日期 left empty records today; a typed date is kept; the same records as the phone', async () => {
  const a = await installedPile();
  const e = await C.edit(web, PILES, a.id);
  assert.match(e.text, /转为“运营”时如未填写，自动记为当天/, 'the field says so');
  const u = await web.post(`${PILES.path}/${a.id}`, C.browserForm(e.text, { state: 'operating', commissioned_on: '' }));
  C.assertRedirect(u, PILES, 'updated');
  const today = C.chinaToday();
  assert.deepEqual(row(a.id), ['operating', today, plus24(today)]);
  assert.deepEqual(commissionAudit(a.id), [['', today, 'warehouse']]);
  assert.deepEqual(commissionEvents(a.id), [`commissioned_on:  -> ${today}`]);
  // The same change from the phone writes the same ledger rows and update records.
  const b = await installedPile();
  assert.equal((await maintain(await phone('warehouse'), b, { state: 'operating' })).status, 303);
  const ledger = (id) => sql(`SELECT kind, COALESCE(from_state, ''), COALESCE(to_state, ''), COALESCE(detail, '')
    FROM asset_events WHERE pile_id = ? AND kind IN ('pile_state', 'pile_change') ORDER BY id`, id);
  assert.deepEqual(ledger(b.id), ledger(a.id));
  assert.deepEqual(commissionAudit(b.id), commissionAudit(a.id));
  // Typed in the same save: that date, no second record.
  const t = await installedPile();
  const te = await C.edit(web, PILES, t.id);
  C.assertRedirect(await web.post(`${PILES.path}/${t.id}`, C.browserForm(te.text, { state: 'operating', commissioned_on: '2025-02-03' })), PILES, 'updated');
  assert.deepEqual(row(t.id), ['operating', '2025-02-03', '2027-02-03']);
  assert.deepEqual(commissionAudit(t.id), [['', '2025-02-03', 'warehouse']]);
  assert.deepEqual(commissionEvents(t.id), [], 'a typed date is the form\'s own change');
  // Cleared later while operating: the user's choice, not filled again.
  const ce = await C.edit(web, PILES, t.id);
  C.assertRedirect(await web.post(`${PILES.path}/${t.id}`, C.browserForm(ce.text, { commissioned_on: '' })), PILES, 'updated');
  assert.deepEqual(row(t.id).slice(0, 2), ['operating', '']);
});

test('refused roles and refused input write no date, record or ledger row', async () => {
  const p = await installedPile();
  const before = C.rowOf('piles', p.id);
  // Phone: an inspector (view only) and a supplier may not maintain.
  for (const u of ['inspector', 'supplier']) {
    const c = await phone(u);
    const r = await c.post(`/wx/p/${p.code}/maintain`, { version: 1, state: 'operating', idem: randomUUID() });
    assert.ok([403, 404].includes(r.status), `${u}: ${r.status}`);
    assert.equal(eventsOf(r), 0);
  }
  // Web: the inspector may not edit.
  const insp = await as('inspector');
  const ie = await insp.post(`${PILES.path}/${p.id}`, { code: p.code, company_id: SZ, state: 'operating', version: C.versionOf(PILES, p.id) });
  assert.equal(ie.status, 403);
  // Bad input (phone: a bad tariff, a stale version; web: a bad tariff) with state 运营.
  const w = await phone('warehouse');
  const bad = await maintain(w, p, { state: 'operating', tariff: 'abc' });
  assert.equal(bad.status, 422);
  const stale = await maintain(w, p, { state: 'operating', version: 1 });
  assert.equal(stale.status, 409);
  const e = await C.edit(web, PILES, p.id);
  const wb = await web.post(`${PILES.path}/${p.id}`, C.browserForm(e.text, { state: 'operating', tariff: 'x' }));
  C.assertRefused(wb, 422);
  for (const r of [bad, stale, wb]) assert.equal(eventsOf(r), 0);
  assert.deepEqual(C.rowOf('piles', p.id), before, 'the pile is unchanged');
  assert.deepEqual(commissionAudit(p.id), []);
});
