// Quantity anomalies (F4.20): opened when an operating or suspended station's bound pile
// count differs from its expected count, kept current, closed when they agree again — at most
// one open row per station; raised by binding, unbinding and by the station edit form.  The
// anomalies list: filters, export, and each user's data scope.  All data through the HTTP API.
import { test, before } from 'node:test';
import { as, sql, scalar, assert, stationTo, createState } from './lib.mjs';
import * as C from './crud.mjs';

const PILE = { path: '/asset/piles', table: 'piles', entity: 'pile', key: 'code' };
const ST = { path: '/asset/stations', table: 'stations', entity: 'station', key: 'code' };
const AN = { path: '/asset/anomalies' };
const HEADER = ['发现时间', '类型', '充电站', '充电桩', '所属公司', '应有桩数', '绑定桩数', '差异', '处理状态', '确认/处理', '关闭时间'];
/** A row of the list or the export as the checks below read it: opened, kind, station, company,
 * expected, actual, status, closed (the pile, difference and who handled it are checked apart). */
const core = (row) => [row[0], row[1], row[2], row[4], row[5], row[6], row[8], row[10]];

const SZ = C.idOf('companies', 'code', 'CC-SZ');
const HZ = C.idOf('companies', 'code', 'CC-HZ');
const SUZHOU = C.idOf('cities', 'code', '320500');
const HANGZHOU = C.idOf('cities', 'code', '330100');
const WH_SZ1 = C.idOf('warehouses', 'code', 'WH-SZ-01');
const WH_HZ1 = C.idOf('warehouses', 'code', 'WH-HZ-01');
const PRODUCT = C.idOf('products', 'model', 'XC-AC7-W');
const SZ_NAME = '蓝途充电（苏州）有限公司';
const HZ_NAME = '蓝途充电（杭州）有限公司';

const PFX = C.ucode('AN', 10);
let admin;

before(async () => {
  admin = await as('admin');
});

async function newStation(over = {}) {
  const code = `${PFX}-${C.ucode('', 8)}`;
  const f = { code, name: `异常测试站${code}`, company_id: SZ, city_id: SUZHOU, state: 'operating', expected_piles: 2, ...over };
  // Suspended and closed are reached through the transitions only.
  const r = await C.create(admin, ST, { ...f, state: createState(f.state) });
  C.assertRedirect(r, ST, 'created');
  await stationTo(admin, r.id, f.state);
  return { ...f, id: r.id };
}

async function newPile(over = {}) {
  const code = C.ucode(`${PFX}P`, 24);
  const r = await C.create(admin, PILE, { code, product_id: PRODUCT, company_id: SZ, warehouse_id: WH_SZ1, state: 'in_stock', ...over });
  C.assertRedirect(r, PILE, 'created');
  return r.id;
}

async function bind(pile, station) {
  const r = await admin.post(`/asset/piles/${pile}/bind`, { station_id: station });
  assert.equal(r.status, 303, C.alertText(r.text));
}

async function unbind(pile, warehouse = WH_SZ1) {
  const r = await admin.post(`/asset/piles/${pile}/unbind`, { warehouse_id: warehouse });
  assert.equal(r.status, 303, C.alertText(r.text));
}

/** Quantity anomalies of a station, oldest first: [id, status, expected, actual, closed?]. */
function anomalies(station) {
  return sql(`SELECT id, status, expected, actual, closed_at IS NOT NULL FROM anomalies
    WHERE kind = 'quantity' AND station_id = ? ORDER BY id`, station)
    .map(([id, status, expected, actual, closed]) => ({ id: Number(id), status, expected: Number(expected), actual: Number(actual), closed: closed === '1' }));
}

function openCount(station) {
  return scalar("SELECT COUNT(*) FROM anomalies WHERE kind = 'quantity' AND status = 'open' AND station_id = ?", station);
}

/** Submit the station's own edit form with some values changed. */
async function editStation(id, changes) {
  const page = await admin.get(`${ST.path}/${id}/edit`);
  assert.equal(page.status, 200);
  const r = await admin.post(`${ST.path}/${id}`, C.browserForm(page.text, changes));
  C.assertRedirect(r, ST, 'updated');
}

/** Rows of the anomalies list whose station cell starts with this run's prefix. */
async function rows(client, params = {}) {
  const r = await C.list(client, AN, { per: 100, ...params });
  assert.equal(r.status, 200, JSON.stringify(params));
  return r.rows.filter((row) => row[2].startsWith(`${PFX}-`)).map(core);
}

let S, H, closedOne;

test('operating station expecting 2: open while it has 0, 1 or 3 piles (one row, figures kept current), closed at 2', async () => {
  S = await newStation({ expected_piles: 2 });
  const p = [await newPile(), await newPile(), await newPile()];
  // Created with no pile: open at once.
  let a = anomalies(S.id);
  assert.equal(a.length, 1);
  assert.deepEqual(a[0], { id: a[0].id, status: 'open', expected: 2, actual: 0, closed: false });
  const first = a[0].id;
  await bind(p[0], S.id);
  a = anomalies(S.id);
  assert.deepEqual(a, [{ id: first, status: 'open', expected: 2, actual: 1, closed: false }], 'same row, actual updated');
  await bind(p[1], S.id);
  a = anomalies(S.id);
  assert.deepEqual(a, [{ id: first, status: 'closed', expected: 2, actual: 2, closed: true }], 'closed with the final figures');
  await bind(p[2], S.id);
  a = anomalies(S.id);
  assert.equal(a.length, 2);
  assert.deepEqual(a[1], { id: a[1].id, status: 'open', expected: 2, actual: 3, closed: false });
  assert.equal(openCount(S.id), 1);
  const second = a[1].id;
  // Back to 2: closed; the first row stays as it was.
  await unbind(p[2]);
  assert.deepEqual(anomalies(S.id), [
    { id: first, status: 'closed', expected: 2, actual: 2, closed: true },
    { id: second, status: 'closed', expected: 2, actual: 2, closed: true },
  ]);
  assert.equal(openCount(S.id), 0);
  // Down to 1 and up to 3 (rebinding the one taken off): always one open row, figures current.
  await unbind(p[1]);
  assert.equal(openCount(S.id), 1);
  const third = anomalies(S.id).at(-1);
  assert.deepEqual([third.status, third.expected, third.actual], ['open', 2, 1]);
  await bind(p[1], S.id);
  assert.equal(openCount(S.id), 0);
  assert.equal(anomalies(S.id).length, 3);
  assert.ok(anomalies(S.id).every((x) => x.status === 'closed' && x.closed));
});

test('the station edit form: changing expected_piles opens and closes the anomaly', async () => {
  // S has 2 piles and expects 2.
  await editStation(S.id, { expected_piles: 3 });
  assert.equal(openCount(S.id), 1);
  const open = anomalies(S.id).at(-1);
  assert.deepEqual([open.status, open.expected, open.actual], ['open', 3, 2]);
  await editStation(S.id, { expected_piles: 5 });
  assert.equal(openCount(S.id), 1);
  assert.deepEqual(anomalies(S.id).at(-1), { ...open, expected: 5 }, 'same row, expected updated');
  // A suspended station is still in service: the anomaly stays open.
  await editStation(S.id, { state: 'suspended' });
  assert.equal(openCount(S.id), 1);
  assert.equal(anomalies(S.id).at(-1).id, open.id);
  await editStation(S.id, { state: 'operating', expected_piles: 2 });
  assert.equal(openCount(S.id), 0);
  assert.deepEqual(anomalies(S.id).at(-1), { id: open.id, status: 'closed', expected: 2, actual: 2, closed: true });
  // A station suspended right after it opened short of piles keeps its anomaly open.
  const sus = await newStation({ state: 'suspended', expected_piles: 1 });
  assert.deepEqual(anomalies(sus.id).map((x) => [x.status, x.expected, x.actual]), [['open', 1, 0]]);
  closedOne = sus;
});

test('a station being approved or built never gets one, whatever its piles', async () => {
  for (const state of ['approved', 'building']) {
    const st = await newStation({ state, expected_piles: 2 });
    const p = await newPile();
    await bind(p, st.id);
    await editStation(st.id, { expected_piles: 4 });
    const q = await newPile();
    await bind(q, st.id);
    const r = await newPile();
    await bind(r, st.id);
    await unbind(r);
    assert.deepEqual(anomalies(st.id), [], state);
    if (state === 'building') {
      // Going into service with 2 of 4: now it is one.
      await editStation(st.id, { state: 'operating' });
      assert.deepEqual(anomalies(st.id).map((x) => [x.status, x.expected, x.actual]), [['open', 4, 2]]);
    }
  }
});

test('anomalies list: rows, filters (kind, status, company, station), sort, export', async () => {
  H = await newStation({ company_id: HZ, city_id: HANGZHOU, expected_piles: 1 }); // open: 1 expected, 0 bound
  const hp = await newPile({ company_id: HZ, warehouse_id: WH_HZ1 });
  assert.equal(openCount(H.id), 1);
  const all = await rows(admin, { kind: 'quantity' });
  const mine = all.filter((row) => row[2] === `${S.code} ${S.name}`);
  assert.equal(mine.length, anomalies(S.id).length);
  assert.ok(mine.every((row) => row[1] === '数量异常' && row[3] === SZ_NAME && row[6] === '已关闭' && row[7] !== ''));
  const hRow = all.find((row) => row[2] === `${H.code} ${H.name}`);
  assert.deepEqual(hRow.slice(1, 8), ['数量异常', `${H.code} ${H.name}`, HZ_NAME, '1', '0', '未处理', '']);
  assert.match(hRow[0], /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);

  const station = async (params) => (await rows(admin, params)).map((row) => row[2].split(' ')[0]);
  assert.deepEqual([...new Set(await station({ station_id: H.id }))], [H.code]);
  assert.deepEqual([...new Set(await station({ station_id: S.id }))], [S.code]);
  assert.deepEqual(await station({ station_id: S.id, status: 'open' }), []);
  assert.equal((await station({ station_id: S.id, status: 'closed' })).length, anomalies(S.id).length);
  assert.deepEqual([...new Set(await station({ company_id: HZ }))], [H.code]);
  assert.ok(!(await station({ company_id: SZ })).includes(H.code));
  assert.ok((await station({ company_id: SZ, status: 'open' })).includes(closedOne.code));
  assert.deepEqual(await station({ kind: 'meter' }), []);
  assert.deepEqual(await station({ kind: 'location', station_id: H.id }), []);
  const open = await station({ status: 'open' });
  assert.ok(open.includes(H.code) && !open.includes(S.code));
  for (const bad of [{ kind: 'size' }, { status: 'maybe' }, { station_id: 'x' }, { company_id: '-1' }]) {
    const r = await C.list(admin, AN, bad);
    assert.equal(r.status, 400, JSON.stringify(bad));
  }
  // By station code both ways: the page's stations in the database's own order.
  for (const dir of ['asc', 'desc']) {
    const page = await C.list(admin, AN, { per: 100, sort: 'station', dir });
    const codes = [...new Set(page.rows.map(core).map((row) => row[2].split(' ')[0]))];
    assert.ok(codes.length >= 3);
    const want = sql(`SELECT code FROM stations WHERE code IN (${codes.map(() => '?').join(',')}) ORDER BY code ${dir}`, ...codes).map((r) => r[0]);
    assert.deepEqual(codes, want, dir);
  }
  const ids = anomalies(S.id).map((x) => x.id);
  // Binding the missing pile closes H's anomaly, and the list follows.
  await bind(hp, H.id);
  assert.equal(openCount(H.id), 0);
  assert.deepEqual(await station({ station_id: H.id, status: 'open' }), []);
  assert.deepEqual((await rows(admin, { station_id: H.id, status: 'closed' })).map((row) => row.slice(4, 7)), [['1', '1', '已关闭']]);
  // Export of the filtered set.
  const ex = await C.exportFile(admin, AN, { fmt: 'csv', station_id: S.id });
  const csv = C.assertCsv(ex, HEADER).slice(1).map(core);
  assert.equal(csv.length, ids.length);
  assert.ok(csv.every((row) => row[2] === `${S.code} ${S.name}` && row[6] === '已关闭'));
  C.assertXlsx(await C.exportFile(admin, AN, { fmt: 'xlsx', station_id: S.id }));
  // No new/edit pages: anomalies are found by the system, acknowledged and handled on their page.
  assert.equal((await admin.get(`${AN.path}/new`)).status, 404);
  assert.equal((await admin.get(`${AN.path}/${ids[0]}/edit`)).status, 404);
});

test('data scope: each user sees only the anomalies of the own company\'s stations', async () => {
  // Re-open one at H (expect 2 with 1 bound) so both companies have an open row.
  await editStation(H.id, { expected_piles: 2 });
  assert.equal(openCount(H.id), 1);
  // Newest first by default, oldest first on request.
  const hRows = async (params) => (await rows(admin, { station_id: H.id, ...params })).map((row) => row.slice(4, 7));
  assert.deepEqual(await hRows({}), [['2', '1', '未处理'], ['1', '1', '已关闭']]);
  assert.deepEqual(await hRows({ sort: 'opened_at', dir: 'asc' }), [['1', '1', '已关闭'], ['2', '1', '未处理']]);
  assert.deepEqual(await hRows({ sort: 'status', dir: 'desc' }), [['2', '1', '未处理'], ['1', '1', '已关闭']]);

  const wh = await as('warehouse');
  const whRows = await rows(wh);
  assert.ok(whRows.length > 0);
  assert.ok(whRows.every((row) => row[3] === SZ_NAME));
  assert.ok(whRows.some((row) => row[2].startsWith(S.code)) && !whRows.some((row) => row[2].startsWith(H.code)));
  assert.deepEqual(await rows(wh, { station_id: H.id }), []);
  assert.deepEqual(await rows(wh, { company_id: HZ }), []);
  const everyWh = await C.list(wh, AN, { per: 100 });
  assert.ok(everyWh.rows.map(core).every((row) => row[3] === SZ_NAME), 'the whole list, not only this run');
  const whCsv = C.parseCsv((await C.exportFile(wh, AN, { fmt: 'csv' })).text).slice(1).map(core);
  assert.ok(whCsv.length > 0 && whCsv.every((row) => row[3] === SZ_NAME));
  assert.deepEqual(C.selectOptions(everyWh.text, 'company_id'), [String(SZ)]);

  const ins = await as('inspector2');
  const insRows = await rows(ins);
  assert.ok(insRows.length > 0 && insRows.every((row) => row[3] === HZ_NAME));
  assert.ok(insRows.some((row) => row[2].startsWith(H.code) && row[6] === '未处理'));
  assert.deepEqual(await rows(ins, { station_id: S.id }), []);
  const insCsv = C.parseCsv((await C.exportFile(ins, AN, { fmt: 'csv' })).text).slice(1).map(core);
  assert.ok(insCsv.every((row) => row[3] === HZ_NAME) && !insCsv.some((row) => row[2].startsWith(S.code)));

  const leader = await as('leader');
  const lRows = await rows(leader, { status: 'open' });
  assert.ok(lRows.some((row) => row[2].startsWith(H.code)) && lRows.some((row) => row[2].startsWith(closedOne.code)));

  const sup = await as('supplier');
  assert.equal((await sup.get(AN.path)).status, 403);
  assert.equal((await sup.get(`${AN.path}/export?fmt=csv`)).status, 403);
});
