// What is in a warehouse (issue 10): the pile list's warehouse filter (仓库).  Its choices are the
// warehouses in the user's scope; the list holds exactly the piles in that warehouse, in every
// sort and plan, and the export the same set; a city company's keeper asking for another
// company's warehouse gets an empty list that names nothing of it; a bad id is refused (400).
// The filter is served by ix_piles_warehouse (migration 0031), index only.
// Each test makes its own warehouses and piles, so other files adding piles never disturb it.
import { test, before, after } from 'node:test';
import { as, sql, scalar, assert } from './lib.mjs';
import * as C from './crud.mjs';

const PILE = { path: '/asset/piles', table: 'piles', entity: 'pile', key: 'code' };
const SZ = C.idOf('companies', 'code', 'CC-SZ');
const HZ = C.idOf('companies', 'code', 'CC-HZ');
const SUZHOU = C.idOf('cities', 'code', '320500');
const HANGZHOU = C.idOf('cities', 'code', '330100');
const P_AC = C.idOf('products', 'model', 'XC-AC7-W');
const P_DC = C.idOf('products', 'model', 'XC-DC60-2');
const PFX = C.ucode('PW', 8);
let admin, keeper, inspector, hzInspector, supplier, seq = 0;
const made = { warehouses: [], piles: [] };
let whSz, whSz2, whHz;

before(async () => {
  admin = await as('admin');
  keeper = await as('warehouse'); // CC-SZ
  inspector = await as('inspector'); // CC-SZ, may view piles only
  hzInspector = await as('inspector2'); // CC-HZ
  supplier = await as('supplier');
  whSz = await newWarehouse(SZ, SUZHOU);
  whSz2 = await newWarehouse(SZ, SUZHOU);
  whHz = await newWarehouse(HZ, HANGZHOU);
  // Five piles in the first Suzhou warehouse (two products, so the sorts differ), one in the
  // second, two in Hangzhou's.
  for (let i = 0; i < 5; i++) await newPile(whSz, SZ, i % 2 ? P_AC : P_DC);
  await newPile(whSz2, SZ, P_AC);
  for (let i = 0; i < 2; i++) await newPile(whHz, HZ, P_DC);
});

after(() => {
  for (const id of made.piles) {
    sql('DELETE FROM asset_events WHERE pile_id = ?', id);
    sql('DELETE FROM piles WHERE id = ?', id);
  }
  for (const w of made.warehouses) sql('DELETE FROM warehouses WHERE id = ?', w.id);
});

async function newWarehouse(company, city) {
  const code = `${PFX}-W${++seq}`;
  const r = await C.create(admin, C.R.warehouse, { code, name: `桩筛选测试仓${code}`, company_id: company, city_id: city });
  assert.equal(r.status, 303, C.alertText(r.text) ?? '');
  const w = { id: r.id, code, name: `桩筛选测试仓${code}` };
  made.warehouses.push(w);
  return w;
}

async function newPile(wh, company, product) {
  const code = `${PFX}-P${String(++seq).padStart(3, '0')}`;
  const r = await C.create(admin, PILE, { code, product_id: product, company_id: company, warehouse_id: wh.id, state: 'in_stock' });
  assert.equal(r.status, 303, C.alertText(r.text) ?? '');
  made.piles.push(r.id);
  return r.id;
}

/** Codes of the list page's rows (the first cell links to the card). */
function codes(html) {
  return C.tableRows(html).map((row) => row[0]);
}

const inDb = (wh, order = 'code') => sql(`SELECT code FROM piles WHERE warehouse_id = ? ORDER BY ${order}`, wh.id).map((r) => r[0]);

test('admin: the filter lists exactly the warehouse\'s piles, in every sort and direction, and exports them', async () => {
  const want = inDb(whSz);
  assert.equal(want.length, 5);
  const r = await admin.get(`${PILE.path}?warehouse_id=${whSz.id}&per=100`);
  assert.equal(r.status, 200);
  assert.ok(r.headers.get('x-list-plan'), 'the plan is named');
  assert.deepEqual(codes(r.text), want);
  assert.match(r.text, /共 5 条/);
  // The select keeps the chosen warehouse and offers every warehouse to the administrator.
  assert.match(r.text, new RegExp(`<option value="${whSz.id}" selected>`));
  const opts = C.selectOptions(r.text, 'warehouse_id');
  for (const w of [whSz, whSz2, whHz]) assert.ok(opts.includes(String(w.id)), `${w.code} offered`);
  for (const [sort, order] of [['code', 'code'], ['model', 'model, code'], ['state', 'state, code']])
    for (const dir of ['asc', 'desc']) {
      const page = await admin.get(`${PILE.path}?warehouse_id=${whSz.id}&sort=${sort}&dir=${dir}&per=20`);
      assert.equal(page.status, 200);
      const expect = inDb(whSz, order.split(', ').map((c) => `${c} ${dir.toUpperCase()}`).join(', '));
      assert.deepEqual(codes(page.text), expect, `${sort} ${dir} (${page.headers.get('x-list-plan')})`);
    }
  // With another filter too: only the warehouse's piles of that product.
  const dc = await admin.get(`${PILE.path}?warehouse_id=${whSz.id}&product_id=${P_DC}`);
  assert.deepEqual(codes(dc.text), sql('SELECT code FROM piles WHERE warehouse_id = ? AND product_id = ? ORDER BY code', whSz.id, P_DC).map((x) => x[0]));
  // Pages of two: the prefixed walk and the last page hold the same rows.
  const p1 = codes((await admin.get(`${PILE.path}?warehouse_id=${whSz.id}&per=20&page=1`)).text);
  assert.deepEqual(p1, want);
  // The export holds the same set.
  const ex = await C.exportFile(admin, PILE, { fmt: 'csv', warehouse_id: whSz.id });
  assert.equal(ex.status, 200);
  assert.deepEqual(C.parseCsv(ex.text).slice(1).map((row) => row[0]), want);
  C.assertXlsx(await C.exportFile(admin, PILE, { fmt: 'xlsx', warehouse_id: whSz.id }));
});

test('a city company\'s keeper: its own warehouses only; another company\'s warehouse reveals nothing', async () => {
  const own = await keeper.get(`${PILE.path}?warehouse_id=${whSz.id}`);
  assert.equal(own.status, 200);
  assert.deepEqual(codes(own.text), inDb(whSz));
  const opts = C.selectOptions(own.text, 'warehouse_id');
  assert.ok(opts.includes(String(whSz.id)) && opts.includes(String(whSz2.id)), 'its warehouses offered');
  assert.ok(!opts.includes(String(whHz.id)), 'not another company\'s');
  assert.deepEqual(opts.filter((id) => scalar('SELECT company_id FROM warehouses WHERE id = ?', Number(id)) !== SZ), []);
  // Hangzhou's warehouse, asked for by id: an empty list, no name, no code of its piles.
  for (const client of [keeper, inspector]) {
    const other = await client.get(`${PILE.path}?warehouse_id=${whHz.id}`);
    assert.equal(other.status, 200);
    assert.deepEqual(codes(other.text), []);
    assert.match(other.text, /共 0 条/);
    assert.ok(!other.text.includes(whHz.name) && !other.text.includes(whHz.code), 'the warehouse is not named');
    for (const code of inDb(whHz)) assert.ok(!other.text.includes(code), `${code} not shown`);
    const ex = await C.exportFile(client, PILE, { fmt: 'csv', warehouse_id: whHz.id });
    assert.equal(ex.status, 200);
    assert.deepEqual(C.parseCsv(ex.text).slice(1), [], 'the export is empty too');
  }
  // The same as an id that does not exist: nothing tells them apart.
  const none = await keeper.get(`${PILE.path}?warehouse_id=999999999`);
  assert.equal(none.status, 200);
  assert.deepEqual(codes(none.text), []);
  // Hangzhou's own inspector sees them.
  assert.deepEqual(codes((await hzInspector.get(`${PILE.path}?warehouse_id=${whHz.id}`)).text), inDb(whHz));
  assert.deepEqual(codes((await hzInspector.get(`${PILE.path}?warehouse_id=${whSz.id}`)).text), []);
});

test('roles: a supplier has no pile register; signed out goes to the sign-in page', async () => {
  const r = await supplier.get(`${PILE.path}?warehouse_id=${whSz.id}`);
  assert.equal(r.status, 403);
  for (const code of inDb(whSz)) assert.ok(!r.text.includes(code));
  assert.equal((await C.exportFile(supplier, PILE, { fmt: 'csv', warehouse_id: whSz.id })).status, 403);
  const anon = await fetch(`${process.env.CA_BASE_URL ?? 'http://127.0.0.1:8080'}${PILE.path}?warehouse_id=${whSz.id}`, { redirect: 'manual' });
  assert.equal(anon.status, 303);
  assert.match(anon.headers.get('location'), /\/base\/login/);
});

test('bad warehouse ids: 400 with a message, list and export', async () => {
  for (const v of ['abc', '0', '-3', '1.5', '1e3', '99999999999999999999', "1' OR '1'='1", 'x'.repeat(101)]) {
    const r = await admin.get(`${PILE.path}?warehouse_id=${encodeURIComponent(v)}`);
    assert.equal(r.status, 400, v);
    assert.match(C.alertText(r.text) ?? '', /筛选条件无效/);
    assert.equal((await C.exportFile(admin, PILE, { fmt: 'csv', warehouse_id: v })).status, 400, `export ${v}`);
  }
});

test('a pile that leaves the warehouse leaves its list; one unbound into it joins', async () => {
  const station = await admin.post('/asset/stations', { code: `${PFX}-S${++seq}`, name: `桩筛选测试站${seq}`,
    company_id: SZ, city_id: SUZHOU, state: 'operating', expected_piles: 1 });
  assert.equal(station.status, 303);
  const st = scalar('SELECT id FROM stations WHERE code = ?', `${PFX}-S${seq}`);
  const pile = await newPile(whSz2, SZ, P_AC);
  const code = scalar('SELECT code FROM piles WHERE id = ?', pile);
  assert.ok(codes((await keeper.get(`${PILE.path}?warehouse_id=${whSz2.id}`)).text).includes(code));
  assert.equal((await keeper.post(`/asset/piles/${pile}/bind`, { station_id: st })).status, 303);
  assert.ok(!codes((await keeper.get(`${PILE.path}?warehouse_id=${whSz2.id}`)).text).includes(code), 'bound: gone from the warehouse');
  assert.equal((await keeper.post(`/asset/piles/${pile}/unbind`, { warehouse_id: whSz.id })).status, 303);
  assert.ok(codes((await keeper.get(`${PILE.path}?warehouse_id=${whSz.id}`)).text).includes(code), 'unbound into the other one');
  sql('DELETE FROM asset_events WHERE pile_id = ?', pile);
  sql('DELETE FROM piles WHERE id = ?', pile);
  made.piles.splice(made.piles.indexOf(pile), 1);
  sql('DELETE FROM asset_events WHERE station_id = ?', st);
  sql('DELETE FROM anomalies WHERE station_id = ?', st);
  sql('DELETE FROM stations WHERE id = ?', st);
});

test('the filter is one range of ix_piles_warehouse, read from the index alone, in the user\'s scope or not', () => {
  for (const scope of ['', `AND (0 OR p.company_id = ${SZ})`]) {
    const plan = sql(`EXPLAIN SELECT COUNT(*) FROM (SELECT 1 FROM piles p WHERE 1=1 ${scope}
      AND p.warehouse_id = ? LIMIT 301) capped`, whSz.id).find((row) => row[2] === 'p');
    assert.ok(plan, 'piles in the plan');
    assert.equal(plan[5], 'ix_piles_warehouse', `the index (${plan.join(' ')})`);
    assert.match(plan[9], /Using index/, 'index only');
  }
  // The few plan's sort reads the same index, no table row.
  const few = sql(`EXPLAIN SELECT p.id FROM piles p IGNORE INDEX FOR ORDER BY (uq_piles_code, ix_piles_s_code,
    ix_piles_s_model, ix_piles_s_maker, ix_piles_s_power, ix_piles_s_state, ix_piles_s_company, ix_piles_s_sw,
    ix_piles_s_warranty) WHERE p.warehouse_id = ? ORDER BY p.model, p.code LIMIT 20`, whSz.id)[0];
  assert.equal(few[5], 'ix_piles_warehouse');
  assert.match(few[9], /Using index/);
});
