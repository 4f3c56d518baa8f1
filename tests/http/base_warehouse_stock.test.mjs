// Stock counts on the warehouse list (issue 10): each row says how many piles are in the
// warehouse (在库桩数) and links to the pile list filtered by it, which then holds exactly that
// many; the export carries the counts.  A city company's user sees only its own warehouses and
// their counts; roles without base_view are refused.  The count is one range of
// ix_piles_warehouse per row of the page (no scan of all piles), and a warehouse that holds
// piles keeps its company (its piles answer to it), so the count is what the link shows.
import { test, before, after } from 'node:test';
import { as, sql, scalar, assert } from './lib.mjs';
import * as C from './crud.mjs';

const W = C.R.warehouse;
const PILE = { path: '/asset/piles', table: 'piles', entity: 'pile', key: 'code' };
const SZ = C.idOf('companies', 'code', 'CC-SZ');
const HZ = C.idOf('companies', 'code', 'CC-HZ');
const SUZHOU = C.idOf('cities', 'code', '320500');
const HANGZHOU = C.idOf('cities', 'code', '330100');
const P_AC = C.idOf('products', 'model', 'XC-AC7-W');
const PFX = C.ucode('WS', 8);
const HEADER = ['编码', '名称', '所属公司', '所在城市', '在库桩数', '地址', '仓管员', '电话'];
let admin, keeper, leader, inspector, supplier, seq = 0;
const made = { warehouses: [], piles: [], stations: [] };
let full, empty, hz;

before(async () => {
  admin = await as('admin');
  keeper = await as('warehouse'); // CC-SZ
  leader = await as('leader'); // every company, base_view only
  inspector = await as('inspector'); // no base_view
  supplier = await as('supplier');
  full = await newWarehouse(SZ, SUZHOU);
  empty = await newWarehouse(SZ, SUZHOU);
  hz = await newWarehouse(HZ, HANGZHOU);
  for (let i = 0; i < 3; i++) await newPile(full, SZ);
  await newPile(hz, HZ);
});

after(() => {
  for (const id of made.piles) {
    sql('DELETE FROM asset_events WHERE pile_id = ?', id);
    sql('DELETE FROM piles WHERE id = ?', id);
  }
  for (const id of made.stations) {
    sql('DELETE FROM asset_events WHERE station_id = ?', id);
    sql('DELETE FROM anomalies WHERE station_id = ?', id);
    sql('DELETE FROM stations WHERE id = ?', id);
  }
  for (const w of made.warehouses) sql('DELETE FROM warehouses WHERE id = ?', w.id);
});

async function newWarehouse(company, city) {
  const code = `${PFX}-W${++seq}`;
  const f = { code, name: `库存测试仓${code}`, company_id: company, city_id: city, address: '测试路1号', keeper: '测试员', phone: '' };
  const r = await C.create(admin, W, f);
  assert.equal(r.status, 303, C.alertText(r.text) ?? '');
  const w = { ...f, id: r.id };
  made.warehouses.push(w);
  return w;
}

async function newPile(wh, company) {
  const code = `${PFX}-P${String(++seq).padStart(3, '0')}`;
  const r = await C.create(admin, PILE, { code, product_id: P_AC, company_id: company, warehouse_id: wh.id, state: 'in_stock' });
  assert.equal(r.status, 303, C.alertText(r.text) ?? '');
  made.piles.push(r.id);
  return r.id;
}

const stock = (w) => scalar('SELECT COUNT(*) FROM piles WHERE warehouse_id = ?', w.id);

/** The list's rows for this file's warehouses: code → [count text, link of the count or null]. */
async function counts(client, params = {}) {
  const r = await client.get(`${W.path}?${new URLSearchParams({ q: PFX, per: 100, ...params })}`);
  assert.equal(r.status, 200);
  const out = {};
  for (const tr of r.text.match(/<tbody>([\s\S]*?)<\/tbody>/)?.[1].match(/<tr>[\s\S]*?<\/tr>/g) ?? []) {
    const code = C.unescapeHtml(tr.match(/<td[^>]*>\s*(?:<a [^>]*>)?([^<]*)/)[1].trim());
    const cell = tr.match(/<td data-label="在库桩数"[^>]*>([\s\S]*?)<\/td>/);
    assert.ok(cell, `${code}: a count cell`);
    const link = cell[1].match(/<a href="([^"]*)">([^<]*)<\/a>/);
    out[code] = link ? [link[2], C.unescapeHtml(link[1])] : [cell[1].trim(), null];
  }
  return { r, out };
}

test('admin: each warehouse\'s count links to its piles, and the pile list holds that many', async () => {
  const { r, out } = await counts(admin);
  assert.match(r.text, /<th scope="col" class="col-piles_in_stock text-end">在库桩数<\/th>/, "the column, right-aligned");
  assert.deepEqual(out, {
    [full.code]: ['3', `/asset/piles?warehouse_id=${full.id}`],
    [empty.code]: ['0', `/asset/piles?warehouse_id=${empty.id}`],
    [hz.code]: ['1', `/asset/piles?warehouse_id=${hz.id}`],
  });
  for (const w of [full, empty, hz]) {
    const piles = await admin.get(out[w.code][1]);
    assert.equal(piles.status, 200);
    assert.equal(C.tableRows(piles.text).length, stock(w), `${w.code}: the list behind the link`);
    assert.match(piles.text, new RegExp(`共 ${stock(w)} 条`));
  }
});

test('the export carries the counts', async () => {
  const rows = C.assertCsv(await C.exportFile(admin, W, { fmt: 'csv', q: PFX }), HEADER).slice(1);
  assert.deepEqual(Object.fromEntries(rows.map((row) => [row[0], row[4]])), { [full.code]: '3', [empty.code]: '0', [hz.code]: '1' });
  C.assertXlsx(await C.exportFile(admin, W, { fmt: 'xlsx', q: PFX }));
});

test('a city company\'s keeper sees its own warehouses\' counts only; the leader every one; others are refused', async () => {
  const mine = await counts(keeper);
  assert.deepEqual(Object.keys(mine.out).sort(), [full.code, empty.code].sort());
  assert.equal(mine.out[full.code][0], '3');
  assert.ok(!mine.r.text.includes(hz.code) && !mine.r.text.includes(hz.name), 'Hangzhou\'s warehouse is not shown');
  // Asked for by company, Hangzhou's: nothing.
  assert.deepEqual((await counts(keeper, { company_id: HZ })).out, {});
  const ex = C.parseCsv((await C.exportFile(keeper, W, { fmt: 'csv', q: PFX })).text).slice(1);
  assert.deepEqual(ex.map((row) => row[0]).sort(), [full.code, empty.code].sort());
  // The keeper follows its link; Hangzhou's link, typed in, shows nothing of it.
  assert.equal(C.tableRows((await keeper.get(mine.out[full.code][1])).text).length, 3);
  const other = await keeper.get(`/asset/piles?warehouse_id=${hz.id}`);
  assert.equal(other.status, 200);
  assert.deepEqual(C.tableRows(other.text), []);
  assert.ok(!other.text.includes(hz.name));
  const lead = await counts(leader);
  assert.deepEqual(Object.fromEntries(Object.entries(lead.out).map(([k, v]) => [k, v[0]])),
    { [full.code]: '3', [empty.code]: '0', [hz.code]: '1' });
  for (const client of [inspector, supplier]) {
    const r = await client.get(`${W.path}?q=${PFX}`);
    assert.equal(r.status, 403);
    assert.ok(!r.text.includes(full.code));
    assert.equal((await C.exportFile(client, W, { fmt: 'csv' })).status, 403);
  }
});

test('bad filters on the warehouse list: 400', async () => {
  for (const params of [{ company_id: 'abc' }, { city_id: '-1' }, { company_id: '0' }]) {
    const r = await admin.get(`${W.path}?${new URLSearchParams(params)}`);
    assert.equal(r.status, 400, JSON.stringify(params));
    assert.match(C.alertText(r.text) ?? '', /筛选条件无效/);
  }
});

test('the count follows the piles: bound to a station it leaves, unbound into the warehouse it comes back', async () => {
  const code = `${PFX}-S${++seq}`;
  const s = await admin.post('/asset/stations', { code, name: `库存测试站${code}`, company_id: SZ, city_id: SUZHOU, state: 'operating', expected_piles: 1 });
  assert.equal(s.status, 303);
  const st = scalar('SELECT id FROM stations WHERE code = ?', code);
  made.stations.push(st);
  const pile = await newPile(empty, SZ);
  assert.equal((await counts(keeper)).out[empty.code][0], '1');
  assert.equal((await keeper.post(`/asset/piles/${pile}/bind`, { station_id: st })).status, 303);
  assert.equal((await counts(keeper)).out[empty.code][0], '0');
  assert.equal((await keeper.post(`/asset/piles/${pile}/unbind`, { warehouse_id: full.id })).status, 303);
  assert.deepEqual([(await counts(keeper)).out[empty.code][0], (await counts(keeper)).out[full.code][0]], ['0', '4']);
  // Back where it was, for the other tests.
  assert.equal((await admin.post(`/asset/piles/${pile}/bind`, { station_id: st })).status, 303);
  assert.equal((await admin.post(`/asset/piles/${pile}/unbind`, { warehouse_id: empty.id })).status, 303);
  sql('DELETE FROM asset_events WHERE pile_id = ?', pile);
  sql('DELETE FROM piles WHERE id = ?', pile);
  made.piles.splice(made.piles.indexOf(pile), 1);
});

test('a warehouse that holds piles keeps its company; an empty one may change hands', async () => {
  const before = C.rowOf('warehouses', full.id);
  const { id: _id, ...f } = full;
  const r = await C.update(admin, W, full.id, { ...f, company_id: HZ, city_id: HANGZHOU });
  assert.equal(r.status, 422);
  C.assertFieldMessage(r, 'company_id', '仓库里还有充电桩，不能改为其他公司的仓库；请先把充电桩移出');
  assert.deepEqual(C.rowOf('warehouses', full.id), before, 'nothing changed');
  assert.equal(C.auditOf(r), 0, 'no update record');
  // Other fields of a full warehouse may change.
  const renamed = await C.update(admin, W, full.id, { ...f, keeper: '新仓管' });
  C.assertRedirect(renamed, W, 'updated');
  full.keeper = '新仓管';
  // The empty one moves to Hangzhou, and back.
  const { id: _e, ...g } = empty;
  C.assertRedirect(await C.update(admin, W, empty.id, { ...g, company_id: HZ, city_id: HANGZHOU }), W, 'updated');
  assert.equal(scalar('SELECT company_id FROM warehouses WHERE id = ?', empty.id), HZ);
  C.assertRedirect(await C.update(admin, W, empty.id, g), W, 'updated');
});

test('the count per row is one range of ix_piles_warehouse, index only', () => {
  const plan = sql(`EXPLAIN SELECT w.id, (SELECT COUNT(*) FROM piles p WHERE p.warehouse_id = w.id)
    FROM warehouses w WHERE w.id IN (?, ?, ?)`, full.id, empty.id, hz.id);
  const sub = plan.find((row) => row[2] === 'p');
  assert.ok(sub, plan.map((row) => row.join(' ')).join('\n'));
  assert.equal(sub[1], 'DEPENDENT SUBQUERY');
  assert.equal(sub[3], 'ref');
  assert.equal(sub[5], 'ix_piles_warehouse');
  assert.match(sub[9], /Using index/);
});
