// Update records (F4.21) of stations and piles, whatever the path: station create, edit, state
// change and company move (its piles follow, each with its own record), pile create, edit,
// bind and unbind.  Each path is shown to write, in the same request, one record per changed
// field with the user, the time, the old and the new value; the records page and its export show
// states by their labels and references by their names.  Also: a new station starts only as
// 立项 / 施工 / 运营.
import { test, before, after } from 'node:test';
import { as, sql, scalar, assert, stationTo } from './lib.mjs';
import * as C from './crud.mjs';

const ST = { path: '/asset/stations', table: 'stations', entity: 'station', key: 'code' };
const PILE = { path: '/asset/piles', table: 'piles', entity: 'pile', key: 'code' };
const REC = { path: '/base/records' };
const SZ = C.idOf('companies', 'code', 'CC-SZ');
const HZ = C.idOf('companies', 'code', 'CC-HZ');
const HQ = C.idOf('companies', 'code', 'HQ');
const SUZHOU = C.idOf('cities', 'code', '320500');
const WH_SZ = C.idOf('warehouses', 'code', 'WH-SZ-01');
const WH_HZ = C.idOf('warehouses', 'code', 'WH-HZ-01');
const PRODUCT = C.idOf('products', 'model', 'XC-DC60-2');
const ADMIN = C.idOf('users', 'username', 'admin');
const OPS = C.idOf('users', 'username', 'ops');
const PFX = C.ucode('RC', 10);
const NEW_STATE = '新建充电站的状态只能是 立项、施工 或 运营；停运、撤站须在建站后按状态变更';
const name = (table, id) => scalar(`SELECT name FROM ${table} WHERE id = ?`, id);
const codeName = (table, id) => sql(`SELECT CONCAT(code, ' ', name) FROM ${table} WHERE id = ?`, id)[0][0];
let admin, ops, seq = 0;
const made = { stations: [], piles: [] };

before(async () => {
  admin = await as('admin');
  ops = await as('ops');
});

after(() => {
  for (const id of made.piles) sql('DELETE FROM piles WHERE id = ?', id);
  for (const id of made.stations) {
    sql('DELETE FROM piles WHERE station_id = ?', id);
    sql('DELETE FROM anomalies WHERE station_id = ?', id);
    sql('DELETE FROM stations WHERE id = ?', id);
  }
});

/** Audit rows the request behind response r wrote: [entity, id, action, field, old, new, user id], in order. */
function written(r) {
  const rid = r.headers.get('x-request-id');
  assert.ok(rid, 'response has X-Request-Id');
  return sql(`SELECT entity, entity_id, action, COALESCE(field, ''), old_value, new_value, user_id,
      TIMESTAMPDIFF(SECOND, at, UTC_TIMESTAMP(6)) BETWEEN -5 AND 120
    FROM audit_log WHERE request_id = ? AND at > UTC_TIMESTAMP() - INTERVAL 10 MINUTE ORDER BY id`, rid)
    .map(([entity, id, action, field, old, nu, user, recent]) => {
      assert.equal(recent, '1', 'recorded at the time of the request');
      return [entity, Number(id), action, field, old, nu, Number(user)];
    });
}

/** Ledger events of the request behind r: [kind, pile, detail]. */
const eventsOf = (r) => sql(`SELECT kind, COALESCE(pile_id, ''), COALESCE(detail, '') FROM asset_events
  WHERE request_id = ? AND at > UTC_TIMESTAMP(6) - INTERVAL 10 MINUTE ORDER BY id`, r.headers.get('x-request-id'));

async function newStation(over = {}, client = admin) {
  const code = `${PFX}-S${++seq}`;
  const f = { code, name: `记录测试站${code}`, company_id: SZ, city_id: SUZHOU, state: 'operating', expected_piles: 1, ...over };
  const r = await client.post(ST.path, f);
  const id = scalar('SELECT id FROM stations WHERE code = ?', code);
  if (id) made.stations.push(id);
  return { r, id, f };
}

async function newPile(over = {}) {
  const code = `${PFX}-P${++seq}`;
  const r = await admin.post(PILE.path, { code, product_id: PRODUCT, company_id: SZ, warehouse_id: WH_SZ, state: 'in_stock', sw_version: 'V3.0.0', hw_version: 'H2.0', ...over });
  assert.equal(r.status, 303, C.alertText(r.text) ?? '');
  const id = scalar('SELECT id FROM piles WHERE code = ?', code);
  made.piles.push(id);
  return { r, id, code };
}

/** The records page rows of one record: [action, field, old, new, user name] newest first. */
async function recordsPage(entity, id, client = admin) {
  const r = await client.get(`${REC.path}?entity=${entity}&entity_id=${id}&per=100`);
  assert.equal(r.status, 200);
  return C.tableRows(r.text).map((row) => [row[4], row[5], row[6], row[7], row[1]]);
}

test('a new station starts as 立项, 施工 or 运营: suspended and closed are refused, nothing written', async () => {
  for (const state of ['suspended', 'closed']) {
    const { r, id, f } = await newStation({ state });
    assert.equal(r.status, 422, state);
    C.assertFieldMessage(r, 'state', NEW_STATE);
    assert.equal(C.formValue(r.text, 'name'), f.name, 'the form keeps the input');
    assert.equal(id, null, 'no station row');
    assert.deepEqual(written(r), []);
    assert.deepEqual(eventsOf(r), []);
  }
  for (const state of ['approved', 'building', 'operating']) {
    const { r, id } = await newStation({ state });
    assert.equal(r.status, 303, `${state}: ${C.alertText(r.text) ?? ''}`);
    assert.equal(scalar('SELECT state FROM stations WHERE id = ?', id), state);
    assert.deepEqual(sql('SELECT kind, to_state FROM asset_events WHERE station_id = ? AND pile_id IS NULL', id), [['station_create', state]]);
  }
  // The way to a closed station: the transitions, each recorded.
  const { id } = await newStation({ state: 'operating', expected_piles: 0 });
  await stationTo(admin, id, 'closed');
  assert.deepEqual(C.audit('station', id, "AND a.field = 'state'").map((a) => [a.old_value, a.new_value]),
    [['operating', 'suspended'], ['suspended', 'closed']]);
  assert.deepEqual((await recordsPage('station', id)).slice(0, 2).map((row) => [row[1], row[2], row[3]]),
    [['状态', '停运', '撤站'], ['状态', '运营', '停运']]);
  // The form still offers every state on an edit; the new-station form starts at 立项.
  assert.equal(C.formValue((await admin.get('/asset/stations/new')).text, 'state'), 'approved');
});

test('station create and edit: the create record, then one record per changed field, labels and names on the page', async () => {
  const { r, id, f } = await newStation({ state: 'approved', expected_piles: 0 }, ops);
  assert.equal(r.status, 303);
  assert.deepEqual(written(r), [['station', id, 'create', '', null, f.name, OPS]]);
  const { _csrf, ...form } = C.browserForm((await C.edit(ops, ST, id)).text, {
    state: 'building', expected_piles: '4', lease_end: '2030-06-30', lessor_id: C.idOf('companies', 'code', 'LS-JH'),
  });
  assert.ok(_csrf);
  const u = await ops.post(`${ST.path}/${id}`, form);
  assert.equal(u.status, 303, C.alertText(u.text) ?? '');
  const LESSOR = String(C.idOf('companies', 'code', 'LS-JH'));
  assert.deepEqual(written(u).map((w) => w.slice(2)).sort(), [
    ['update', 'expected_piles', '0', '4', OPS],
    // (the edit form records an empty old value as '')
    ['update', 'lease_end', '', '2030-06-30', OPS],
    ['update', 'lessor_id', '', LESSOR, OPS],
    ['update', 'state', 'approved', 'building', OPS],
  ].sort());
  const page = await recordsPage('station', id);
  const byField = Object.fromEntries(page.map((row) => [row[1], row]));
  assert.deepEqual(byField['状态'], ['修改', '状态', '立项', '施工', '孙浩']);
  assert.deepEqual(byField['场地出租方'].slice(2, 4), ['', `${name('companies', LESSOR)}`]);
  assert.deepEqual(byField['应有桩数'].slice(2, 4), ['0', '4']);
});

test('bind: state, station and warehouse (and company when it changes) recorded in the same request', async () => {
  const { id: st } = await newStation({ expected_piles: 1 });
  const { r: created, id: p } = await newPile({ company_id: HZ, warehouse_id: WH_HZ });
  assert.deepEqual(written(created), [['pile', p, 'create', '', null, scalar('SELECT code FROM piles WHERE id = ?', p), ADMIN]]);
  const b = await admin.post(`/asset/piles/${p}/bind`, { station_id: st });
  assert.equal(b.status, 303, C.alertText(b.text) ?? '');
  assert.deepEqual(written(b), [
    ['pile', p, 'update', 'state', 'in_stock', 'installed', ADMIN],
    ['pile', p, 'update', 'station_id', null, String(st), ADMIN],
    ['pile', p, 'update', 'warehouse_id', String(WH_HZ), null, ADMIN],
    ['pile', p, 'update', 'company_id', String(HZ), String(SZ), ADMIN],
  ]);
  assert.deepEqual(eventsOf(b).map((e) => e[0]), ['pile_bind']);
  // The records page: labels for the state, names for the references.
  const page = await recordsPage('pile', p);
  assert.deepEqual(page.slice(0, 4), [
    ['修改', '所属公司', `${name('companies', HZ)}`, `${name('companies', SZ)}`, '系统管理员'],
    ['修改', '仓库', `${codeName('warehouses', WH_HZ)}`, '', '系统管理员'],
    ['修改', '充电站', '', `${codeName('stations', st)}`, '系统管理员'],
    ['修改', '状态', '在库', '已安装', '系统管理员'],
  ]);
  // A refused bind (already bound) writes nothing.
  const again = await admin.post(`/asset/piles/${p}/bind`, { station_id: st });
  assert.equal(again.status, 409);
  assert.deepEqual(written(again), []);
});

test('edit and unbind: state and versions from the form, place and state from the unbind', async () => {
  const { id: st } = await newStation({ expected_piles: 1 });
  const { id: p } = await newPile();
  assert.equal((await admin.post(`/asset/piles/${p}/bind`, { station_id: st })).status, 303);
  const { _csrf, ...form } = C.browserForm((await C.edit(ops, PILE, p)).text, { state: 'operating', sw_version: 'V3.0.2', hw_version: 'H2.1' });
  assert.ok(_csrf);
  const e = await ops.post(`${PILE.path}/${p}`, form);
  assert.equal(e.status, 303, C.alertText(e.text) ?? '');
  assert.deepEqual(written(e), [
    ['pile', p, 'update', 'state', 'installed', 'operating', OPS],
    ['pile', p, 'update', 'sw_version', 'V3.0.0', 'V3.0.2', OPS],
    ['pile', p, 'update', 'hw_version', 'H2.0', 'H2.1', OPS],
    // Into operation with no 投运日期: today (model/pile_update.c, commission).
    ['pile', p, 'update', 'commissioned_on', '', C.chinaToday(), OPS],
  ]);
  assert.deepEqual(eventsOf(e).map((x) => [x[0], x[2]]), [
    ['pile_state', ''], ['pile_change', `commissioned_on:  -> ${C.chinaToday()}`],
    ['pile_change', 'sw_version: V3.0.0 -> V3.0.2'], ['pile_change', 'hw_version: H2.0 -> H2.1'],
  ]);
  const u = await ops.post(`/asset/piles/${p}/unbind`, { warehouse_id: WH_SZ });
  assert.equal(u.status, 303, C.alertText(u.text) ?? '');
  assert.deepEqual(written(u), [
    ['pile', p, 'update', 'state', 'operating', 'in_stock', OPS],
    ['pile', p, 'update', 'station_id', String(st), null, OPS],
    ['pile', p, 'update', 'warehouse_id', null, String(WH_SZ), OPS],
  ]);
  const page = await recordsPage('pile', p);
  assert.deepEqual(page.slice(0, 3).map((row) => row.slice(1, 4)), [
    ['仓库', '', `${codeName('warehouses', WH_SZ)}`],
    ['充电站', `${codeName('stations', st)}`, ''],
    ['状态', '运营', '在库'],
  ]);
  // The export carries the same labels.
  const ex = await C.exportFile(admin, REC, { entity: 'pile', entity_id: p });
  const rows = C.parseCsv(ex.text);
  assert.ok(rows.some((row) => row.includes('运营') && row.includes('在库') && row.includes('状态')), 'labels in the CSV');
  assert.ok(!ex.text.includes(',operating,'), 'no raw state codes');
});

test('a station moved to another company takes its piles along, each with a record and a ledger event', async () => {
  const { id: st } = await newStation({ expected_piles: 2 });
  const one = await newPile();
  const two = await newPile();
  for (const p of [one.id, two.id]) assert.equal((await admin.post(`/asset/piles/${p}/bind`, { station_id: st })).status, 303);
  const { _csrf, ...form } = C.browserForm((await C.edit(admin, ST, st)).text, { company_id: HQ });
  assert.ok(_csrf);
  const r = await admin.post(`${ST.path}/${st}`, form);
  assert.equal(r.status, 303, C.alertText(r.text) ?? '');
  assert.deepEqual(written(r), [
    ['station', st, 'update', 'company_id', String(SZ), String(HQ), ADMIN],
    ['pile', one.id, 'update', 'company_id', String(SZ), String(HQ), ADMIN],
    ['pile', two.id, 'update', 'company_id', String(SZ), String(HQ), ADMIN],
  ]);
  assert.deepEqual(sql('SELECT company_id FROM piles WHERE station_id = ? ORDER BY id', st), [[String(HQ)], [String(HQ)]]);
  assert.deepEqual(eventsOf(r).filter((e) => e[0] === 'pile_change').map((e) => [Number(e[1]), e[2]]), [
    [one.id, `company_id: ${SZ} -> ${HQ}`], [two.id, `company_id: ${SZ} -> ${HQ}`],
  ]);
  // The Suzhou inspector no longer sees them; the records page names the companies.
  const insp = await as('inspector');
  assert.equal((await insp.get(`/asset/piles/${one.id}`)).status, 404);
  assert.deepEqual((await recordsPage('pile', one.id))[0].slice(1, 4),
    ['所属公司', `${name('companies', SZ)}`, `${name('companies', HQ)}`]);
});

test('records page: every kind of record may be filtered, target versions included; roles', async () => {
  const r = await admin.get(`${REC.path}?entity=product_version`);
  assert.equal(r.status, 200);
  assert.ok(C.selectOptions(r.text, 'entity').includes('product_version'));
  assert.equal((await admin.get(`${REC.path}?entity=bogus`)).status, 400);
  assert.equal((await (await as('inspector')).get(REC.path)).status, 403, 'inspectors have no audit_view');
  assert.equal((await (await as('leader')).get(REC.path)).status, 200);
});
