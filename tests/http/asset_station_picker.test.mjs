// Choosing a station without a list of them all (issue 10 §2): the picker's JSON
// (/asset/stations/pick: code or name prefix, the user's scope, at most 20, closed ones only
// when asked), and the three places that take a station by its code as a plain text box does
// without JavaScript — the pile card's binding, the facility form and the pile list's 充电站
// filter — with "没有该编号的充电站" for an unknown code or another company's station, nothing
// written.  The station page's ?station_id= links to the pile list keep working.
import { test, before, after } from 'node:test';
import { as, sql, scalar, assert, Client } from './lib.mjs';
import * as C from './crud.mjs';

const ST = { path: '/asset/stations', table: 'stations', entity: 'station', key: 'code' };
const PILE = { path: '/asset/piles', table: 'piles', entity: 'pile', key: 'code' };
const SUB = { path: '/asset/subassets', table: 'sub_assets', entity: 'subasset', key: 'name' };
const SZ = C.idOf('companies', 'code', 'CC-SZ');
const HZ = C.idOf('companies', 'code', 'CC-HZ');
const SUZHOU = C.idOf('cities', 'code', '320500');
const HANGZHOU = C.idOf('cities', 'code', '330100');
const WH_SZ1 = C.idOf('warehouses', 'code', 'WH-SZ-01');
const P_AC7 = C.idOf('products', 'model', 'XC-AC7-W');
const PFX = C.ucode('PK', 10);
// A name prefix of this run only: the name half of the search.
const NAME = `拾${PFX.slice(-5)}`;
const UNKNOWN = `${PFX}-NONE`;
let admin, wh;
const st = {};
const made = { stations: [], piles: [] };

async function station(key, over = {}) {
  const f = { code: `${PFX}-${key}`, name: `${NAME}选站${key}`, company_id: SZ, city_id: SUZHOU, state: 'operating', expected_piles: 0, ...over };
  const r = await C.create(admin, ST, f);
  C.assertRedirect(r, ST, 'created');
  made.stations.push(r.id);
  return { ...f, id: r.id };
}

let seq = 0;
async function pile() {
  const code = `${PFX}-P${String(++seq).padStart(2, '0')}`;
  const r = await C.create(admin, PILE, { code, product_id: P_AC7, company_id: SZ, warehouse_id: WH_SZ1, state: 'in_stock' });
  C.assertRedirect(r, PILE, 'created');
  made.piles.push(r.id);
  return { code, id: r.id };
}

const pick = (client, q, extra = '') => client.get(`/asset/stations/pick?q=${encodeURIComponent(q)}${extra}`);
const codes = (r) => (r.json().stations ?? []).map((s) => s.code);

before(async () => {
  admin = await as('admin');
  wh = await as('warehouse');
  st.a = await station('A');
  st.b = await station('B', { name: `另名${PFX}乙` });
  st.h = await station('H', { company_id: HZ, city_id: HANGZHOU, name: `${NAME}杭州站` });
  st.x = await station('X', { state: 'approved' });
});

after(() => {
  for (const id of made.piles) {
    sql('DELETE FROM asset_events WHERE pile_id = ?', id);
    sql('DELETE FROM piles WHERE id = ?', id);
  }
});

test('pick: code prefix and name prefix, in code order, the fields the picker shows', async () => {
  const r = await pick(admin, PFX);
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /application\/json/);
  assert.deepEqual(codes(r), [st.a.code, st.b.code, st.h.code, st.x.code]);
  const a = r.json().stations[0];
  assert.deepEqual({ ...a }, { id: String(st.a.id), code: st.a.code, name: st.a.name, state: 'operating', state_label: '运营', city: '苏州' });
  // By the start of the name (the B station's name does not start with it).
  assert.deepEqual(codes(await pick(admin, NAME)), [st.a.code, st.h.code, st.x.code]);
  // Any case; LIKE's own characters are literal.
  assert.deepEqual(codes(await pick(admin, PFX.toLowerCase() + '-a')), [st.a.code]);
  assert.deepEqual(codes(await pick(admin, `${PFX}%`)), []);
  assert.deepEqual(codes(await pick(admin, `${PFX}_A`)), []);
  // Only prefixes: the middle of a code or name finds nothing.
  assert.deepEqual(codes(await pick(admin, PFX.slice(2))), []);
  assert.equal((await pick(admin, UNKNOWN)).json().count, '0');
});

test('pick: the user\'s scope only; closed stations only with closed=1', async () => {
  assert.deepEqual(codes(await pick(wh, PFX)), [st.a.code, st.b.code, st.x.code], 'no CC-HZ station for a CC-SZ user');
  assert.deepEqual(codes(await pick(wh, st.h.code)), []);
  const closed = await station('Z', { state: 'operating' });
  // Closing goes through the transitions.
  const { stationTo } = await import('./lib.mjs');
  await stationTo(admin, closed.id, 'closed');
  assert.ok(!codes(await pick(admin, PFX)).includes(closed.code), 'a closed station is not offered');
  assert.ok(codes(await pick(admin, PFX, '&closed=1')).includes(closed.code), 'closed=1 offers it');
});

test('pick: at most 20, then more = 1', async () => {
  const many = `${PFX}-M`;
  for (let i = 0; i < 21; i++) await station(`M${String(i).padStart(2, '0')}`);
  const r = await pick(admin, many);
  assert.equal(r.json().stations.length, 20);
  assert.equal(r.json().more, '1');
  assert.deepEqual(codes(r), [...Array(20).keys()].map((i) => `${many}${String(i).padStart(2, '0')}`));
  assert.equal((await pick(admin, `${many}1`)).json().more, undefined, 'narrower: all shown');
});

test('pick: bad input and the roles that may not', async () => {
  for (const q of ['', '   ']) {
    const r = await pick(admin, q);
    assert.equal(r.status, 400);
    assert.equal(r.json().error, '请输入充电站编号或名称');
  }
  const long = await pick(admin, '测'.repeat(65));
  assert.equal(long.status, 400);
  assert.equal(long.json().error, '最多 64 个字符');
  assert.equal((await pick(admin, '测'.repeat(64))).status, 200);
  assert.equal((await admin.get('/asset/stations/pick')).status, 400);
  // Every role that sees assets may pick; a supplier may not, nor anyone signed out.
  for (const u of ['leader', 'ops', 'inspector', 'procurement', 'finance']) {
    assert.equal((await pick(await as(u), PFX)).status, 200, u);
  }
  assert.equal((await pick(await as('supplier'), PFX)).status, 403);
  assert.equal((await new Client().get(`/asset/stations/pick?q=${PFX}&format=json`)).status, 401);
});

test('pile card: bound by the code typed in the box (no list of stations on the card)', async () => {
  const p = await pile();
  const card = await admin.get(`${PILE.path}/${p.id}`);
  assert.equal(card.status, 200);
  assert.match(card.text, /<input class="form-control" type="text" id="f-station_id" name="station_code"/);
  assert.match(card.text, /<input type="hidden" name="station_id" value="" data-picker-id>/);
  assert.ok(!/<select[^>]*name="station_id"/.test(card.text), 'no select of every station');
  assert.ok(!card.text.includes(`<option value="${st.a.id}">`));
  // "code name", as the picker fills the box, is read as the code.
  const r = await admin.post(`${PILE.path}/${p.id}/bind`, { station_code: `${st.a.code.toLowerCase()} ${st.a.name}`, station_id: '' });
  assert.equal(r.status, 303, C.alertText(r.text));
  assert.equal(scalar('SELECT station_id FROM piles WHERE id = ?', p.id), st.a.id);
  // The picker's id wins over the box.
  const q = await pile();
  assert.equal((await admin.post(`${PILE.path}/${q.id}/bind`, { station_code: 'whatever', station_id: st.b.id })).status, 303);
  assert.equal(scalar('SELECT station_id FROM piles WHERE id = ?', q.id), st.b.id);
});

test('pile card: an unknown code, another company\'s station, nothing typed — 422, nothing written', async () => {
  const p = await pile();
  const row = () => sql('SELECT station_id, state, place, version FROM piles WHERE id = ?', p.id)[0];
  const was = row();
  for (const [client, text, msg] of [[admin, UNKNOWN, '没有该编号的充电站'], [wh, st.h.code, '没有该编号的充电站'],
    [admin, 'X'.repeat(600), '没有该编号的充电站'], [admin, '', '必填'], [admin, '   ', '必填']]) {
    const r = await client.post(`${PILE.path}/${p.id}/bind`, { station_code: text, station_id: '' });
    C.assertRefused(r, 422, '请选择本公司范围内的充电站');
    C.assertFieldMessage(r, 'station_id', msg);
    assert.equal(scalar('SELECT COUNT(*) FROM asset_events WHERE request_id = ?', r.headers.get('x-request-id')), 0);
    assert.deepEqual(row(), was, text);
    // The box shows what was typed.
    if (text.trim() && text.length < 100) assert.equal(C.formValue(r.text, 'station_id'), text);
  }
  // A foreign id in the hidden input is refused the same way.
  const r = await wh.post(`${PILE.path}/${p.id}/bind`, { station_code: st.a.code, station_id: st.h.id });
  C.assertRefused(r, 422);
  C.assertFieldMessage(r, 'station_id', '所选记录不存在或无权使用');
  assert.deepEqual(row(), was);
});

test('facility form: the station by its code; unknown and foreign codes refused on the field', async () => {
  const name = `${PFX}雨棚`;
  const f = { kind: 'canopy', name, area_m2: '12', station_id: '', station_code: st.b.code };
  const r = await admin.post(SUB.path, f);
  assert.equal(r.status, 303, C.alertText(r.text));
  const id = scalar('SELECT id FROM sub_assets WHERE name = ?', name);
  assert.equal(scalar('SELECT station_id FROM sub_assets WHERE id = ?', id), st.b.id);
  // The edit form shows it as "code name"; saved as shown it stays.
  const e = await C.edit(admin, SUB, id);
  assert.equal(C.formValue(e.text, 'station_id'), `${st.b.code} ${st.b.name}`);
  const form = C.browserForm(e.text);
  assert.equal(form.station_id, '', 'the hidden id is empty without a script');
  C.assertRedirect(await admin.post(`${SUB.path}/${id}`, form), SUB, 'updated');
  assert.equal(scalar('SELECT station_id FROM sub_assets WHERE id = ?', id), st.b.id);
  assert.equal(scalar("SELECT COUNT(*) FROM audit_log WHERE entity = 'subasset' AND entity_id = ? AND action = 'update'", id), 0,
    'nothing changed: no update record');
  // Moved by typing another code.
  const moved = C.browserForm((await C.edit(admin, SUB, id)).text, { station_code: st.a.code });
  C.assertRedirect(await admin.post(`${SUB.path}/${id}`, moved), SUB, 'updated');
  assert.equal(scalar('SELECT station_id FROM sub_assets WHERE id = ?', id), st.a.id);
  // Unknown, foreign (for the CC-SZ user) and empty: 422 on the station field, nothing written.
  for (const [client, code, msg] of [[admin, UNKNOWN, '没有该编号的充电站'], [wh, st.h.code, '没有该编号的充电站'], [admin, '', '必填']]) {
    const bad = { ...f, name: `${PFX}坏${code.length}`, station_code: code };
    const b = await client.post(SUB.path, bad);
    C.assertRefused(b, 422);
    C.assertFieldMessage(b, 'station_id', msg);
    assert.equal(C.formValue(b.text, 'station_id'), code, 'the box shows what was typed');
    assert.equal(C.countWhere('sub_assets', 'name', bad.name), 0);
  }
  const before = C.rowOf('sub_assets', id);
  const u = await admin.post(`${SUB.path}/${id}`, C.browserForm((await C.edit(admin, SUB, id)).text, { station_code: UNKNOWN }));
  C.assertRefused(u, 422);
  C.assertFieldMessage(u, 'station_id', '没有该编号的充电站');
  assert.deepEqual(C.rowOf('sub_assets', id), before);
  sql('DELETE FROM sub_assets WHERE id = ?', id);
});

test('pile list: 充电站 takes a code; the station page\'s ?station_id= links keep working', async () => {
  st.l = await station('L');
  st.b = st.l; // this test's station, with only its two piles
  const p1 = await pile();
  const p2 = await pile();
  assert.equal((await admin.post(`${PILE.path}/${p1.id}/bind`, { station_id: st.b.id })).status, 303);
  assert.equal((await admin.post(`${PILE.path}/${p2.id}/bind`, { station_id: st.b.id })).status, 303);
  const codesOf = (l) => C.tableRows(l.text).map((row) => row[0]);
  for (const value of [st.b.code, st.b.code.toLowerCase(), `${st.b.code} ${st.b.name}`]) {
    const l = await admin.get(`${PILE.path}?station=${encodeURIComponent(value)}`);
    assert.equal(l.status, 200);
    assert.deepEqual(codesOf(l).sort(), [p1.code, p2.code].sort(), value);
    assert.equal(C.alertText(l.text), undefined);
    // The box shows the station's code; the sort and page links carry its id.
    assert.match(l.text, new RegExp(`<input class="form-control form-control-sm" type="text" id="filter-station" name="station" value="${C.escapeRe(st.b.code)}"`));
    assert.match(l.text, new RegExp(`sort=code&amp;dir=desc&amp;station_id=${st.b.id}&amp;`));
  }
  // The station page's link: same rows, the box shows the code, no 充电站 id box.
  const link = await admin.get(`${PILE.path}?station_id=${st.b.id}&state=in_stock`);
  assert.deepEqual(codesOf(link), []);
  const all = await admin.get(`${PILE.path}?station_id=${st.b.id}`);
  assert.deepEqual(codesOf(all).sort(), [p1.code, p2.code].sort());
  assert.match(all.text, new RegExp(`id="filter-station" name="station" value="${C.escapeRe(st.b.code)}"`));
  assert.ok(!/name="station_id"/.test(all.text.match(/<form class="filter-bar[\s\S]*?<\/form>/)[0]), 'no id box in the filter bar');
  // Unknown, another company's (for the CC-SZ user): no rows and the reason.
  for (const [client, value] of [[admin, UNKNOWN], [wh, st.h.code]]) {
    const l = await client.get(`${PILE.path}?station=${encodeURIComponent(value)}`);
    assert.equal(l.status, 200);
    assert.deepEqual(codesOf(l), []);
    assert.equal(C.alertText(l.text), '没有该编号的充电站');
  }
  const foreign = await wh.get(`${PILE.path}?station_id=${st.h.id}`);
  assert.deepEqual(codesOf(foreign), []);
  assert.equal(C.alertText(foreign.text), '没有该编号的充电站');
  // Too long for a filter: 400.
  assert.equal((await admin.get(`${PILE.path}?station=${'X'.repeat(101)}`)).status, 400);
  // The export follows the same filter.
  const csv = C.parseCsv((await C.exportFile(admin, PILE, { fmt: 'csv', station: st.b.code })).text);
  assert.deepEqual(csv.slice(1).map((row) => row[0]).sort(), [p1.code, p2.code].sort());
  for (const p of [p1, p2]) assert.equal((await admin.post(`${PILE.path}/${p.id}/unbind`, { warehouse_id: WH_SZ1 })).status, 303);
});

test('a station name with markup: literal text in the JSON, escaped in the box', async () => {
  const evil = await station('E', { name: `<img src=x onerror=alert(1)>"${PFX}` });
  const j = (await pick(admin, evil.code)).json();
  assert.equal(j.stations[0].name, evil.name);
  const r = await admin.post(SUB.path, { kind: 'canopy', name: `${PFX}转义`, area_m2: '1', station_code: evil.code });
  assert.equal(r.status, 303, C.alertText(r.text));
  const id = scalar('SELECT id FROM sub_assets WHERE name = ?', `${PFX}转义`);
  const e = await C.edit(admin, SUB, id);
  assert.ok(!e.text.includes('<img src=x'), 'no markup from the name');
  assert.ok(e.text.includes('value="' + `${evil.code} &lt;img src=x onerror=alert(1)&gt;&quot;${PFX}` + '"'));
  sql('DELETE FROM sub_assets WHERE id = ?', id);
});
