// Stations (资产维护, F4.1): CRUD cycle as admin, validation, the state machine and its ledger
// events (asset_events) and entered dates, delete refused while facilities or piles remain,
// update records, and the data scope of city-company users, leaders and suppliers.
// Every station is made here (codes with this run's prefix), so the tests need only the demo's
// reference data (companies, cities, users) and pass with or without the demo stations.
import { test, before, after } from 'node:test';
import { as, sql, scalar, assert } from './lib.mjs';
import * as C from './crud.mjs';

const res = { path: '/asset/stations', table: 'stations', entity: 'station', key: 'code' };
const SUB = { path: '/asset/subassets', table: 'sub_assets', entity: 'subasset', key: 'name' };
const HEADER = ['编码', '名称', '所属公司', '所在城市', '状态', '应有桩数', '投运日期', '租期结束', '负责人'];
const SZ = C.idOf('companies', 'code', 'CC-SZ');
const HZ = C.idOf('companies', 'code', 'CC-HZ');
const HQ = C.idOf('companies', 'code', 'HQ');
const MAKER = C.idOf('companies', 'code', 'MF-XC');
const LESSOR = C.idOf('companies', 'code', 'LS-JH');
const LESSOR2 = C.idOf('companies', 'code', 'LS-RX');
const SUZHOU = C.idOf('cities', 'code', '320500');
const WUXI = C.idOf('cities', 'code', '320200');
const HANGZHOU = C.idOf('cities', 'code', '330100');
const ADMIN = String(C.idOf('users', 'username', 'admin'));
const SZ_NAME = '蓝途充电（苏州）有限公司';
const HZ_NAME = '蓝途充电（杭州）有限公司';
const TRANSITION = '状态只能按 立项→施工→运营⇄停运→撤站 变更';
// One prefix for every station of this run: a keyword filter on it lists exactly ours.
const PREFIX = C.ucode('STT', 11);
let seq = 0;
let admin;

before(async () => {
  admin = await as('admin');
});

// Every station this file made; whatever a failed test left behind is removed at the end.
const made = new Set();
after(() => {
  for (const id of made) {
    sql('DELETE FROM piles WHERE station_id = ?', id);
    sql('DELETE FROM sub_assets WHERE station_id = ?', id);
    sql('DELETE FROM anomalies WHERE station_id = ?', id);
    sql('DELETE FROM stations WHERE id = ?', id);
  }
});

function station(over = {}) {
  const code = `${PREFIX}-${String(++seq).padStart(2, '0')}`;
  return {
    code, name: `测试充电站${code}`, company_id: SZ, city_id: SUZHOU, address: `苏州工业园区星湖街${seq}号${code}`,
    lat: '31.318000', lng: '120.672000', state: 'approved', asset_nature: 'own',
    owner_company_id: SZ, operator_company_id: HQ, expected_piles: '8', commissioned_on: '',
    lessor_id: LESSOR, lease_start: '2026-01-01', lease_end: '2036-12-31',
    staff: '测试负责人', staff_phone: '13900001111', note: '第一行\n第二行', ...over,
  };
}

async function create(client, fields) {
  const r = await C.create(client, res, fields);
  if (r.id) made.add(r.id);
  return r;
}

/** asset_events rows written by the request that produced this response. */
function eventsOf(r) {
  const rid = r.headers.get('x-request-id');
  assert.ok(rid, 'response has X-Request-Id');
  return sql(`SELECT kind, station_id, from_state, to_state, user_id FROM asset_events
    WHERE request_id = ? AND at > UTC_TIMESTAMP(6) - INTERVAL 10 MINUTE ORDER BY id`, rid);
}

/** The station's ledger: [kind, from, to, user] oldest first. */
function ledger(id) {
  return sql('SELECT kind, from_state, to_state, user_id FROM asset_events WHERE station_id = ? AND pile_id IS NULL ORDER BY id', id);
}

/** A refused write: status, message, no audit row and no ledger event from that request. */
function assertNothing(r, status, message) {
  C.assertRefused(r, status, message);
  assert.deepEqual(eventsOf(r), [], 'the refused request wrote no asset event');
}

const SELECTS = new Set(['company_id', 'city_id', 'state', 'asset_nature', 'owner_company_id', 'operator_company_id', 'lessor_id']);
const stateOf = (id) => scalar('SELECT state FROM stations WHERE id = ?', id);
const datesOf = (id) => sql(`SELECT approved_on, building_on, operating_on, suspended_on, closed_on
  FROM stations WHERE id = ?`, id)[0];

const main = station({ name: `=SUM(1)+主测试站${PREFIX}` });
let id;

test('create: 303, row stored, audit "create", a station_create event, approved_on today', async () => {
  const r = await create(admin, main);
  C.assertRedirect(r, res, 'created');
  id = r.id;
  assert.deepEqual(sql(`SELECT code, name, company_id, city_id, address, lat, lng, state, asset_nature,
      owner_company_id, operator_company_id, expected_piles, commissioned_on, lessor_id, lease_start,
      lease_end, staff, staff_phone, note = ?, version FROM stations WHERE id = ?`, main.note, id)[0],
  [main.code, main.name, String(SZ), String(SUZHOU), main.address, '31.318000', '120.672000', 'approved', 'own',
    String(SZ), String(HQ), '8', null, String(LESSOR), '2026-01-01', '2036-12-31', main.staff, main.staff_phone, '1', '1']);
  assert.deepEqual(datesOf(id), [C.chinaToday(), null, null, null, null], 'only the day of 立项 is set');
  assert.deepEqual(C.audit('station', id).map((a) => [a.action, a.user, a.new_value]), [['create', 'admin', main.name]]);
  assert.deepEqual(eventsOf(r), [['station_create', String(id), null, 'approved', ADMIN]]);
  assert.deepEqual(ledger(id), [['station_create', null, 'approved', ADMIN]]);
});

test('create with only the required fields: the optional columns stay NULL', async () => {
  const f = { code: `${PREFIX}-MIN`, name: `最小充电站${PREFIX}`, company_id: SZ, city_id: WUXI, state: 'approved', expected_piles: '0' };
  const r = await create(admin, f);
  C.assertRedirect(r, res, 'created');
  assert.deepEqual(sql(`SELECT address, lat, lng, asset_nature, owner_company_id, operator_company_id,
      commissioned_on, lessor_id, lease_start, lease_end, staff, staff_phone, note, expected_piles
      FROM stations WHERE id = ?`, r.id)[0], [...Array(13).fill(null), '0']);
  C.assertRedirect(await C.del(admin, res, r.id), res, 'deleted');
});

test('create straight into another state: station_create carries it and its day is set', async () => {
  const f = station({ state: 'building' });
  const r = await create(admin, f);
  C.assertRedirect(r, res, 'created');
  assert.equal(stateOf(r.id), 'building');
  assert.equal(datesOf(r.id)[1], C.chinaToday(), 'building_on');
  assert.deepEqual(eventsOf(r), [['station_create', String(r.id), null, 'building', ADMIN]]);
  C.assertRedirect(await C.del(admin, res, r.id), res, 'deleted');
});

test('list: the row; keyword, company, city, state, nature and lease filters; sort both ways', async () => {
  const q = await C.list(admin, res, { q: main.code });
  assert.equal(q.status, 200);
  assert.deepEqual(q.ids, [id]);
  assert.deepEqual(q.rows[0].slice(0, 9), [main.code, main.name, SZ_NAME, '苏州', '立项', '8', '', '2036-12-31', main.staff]);
  // The keyword matches codes and names that start with it (an index range each).
  assert.deepEqual((await C.list(admin, res, { q: main.code.slice(0, -1) })).ids.includes(id), true, 'by a code prefix');
  assert.deepEqual((await C.list(admin, res, { q: `=SUM(1)+主测试站${PREFIX}` })).ids, [id], 'by a name prefix');
  assert.deepEqual((await C.list(admin, res, { q: `主测试站${PREFIX}` })).ids, [], 'not inside a name');
  assert.deepEqual((await C.list(admin, res, { q: `星湖街1号${main.code}` })).ids, [], 'not by address');
  const only = async (params) => (await C.list(admin, res, { q: main.code, ...params })).ids;
  assert.deepEqual(await only({ company_id: SZ, city_id: SUZHOU }), [id]);
  assert.deepEqual(await only({ company_id: HZ }), []);
  assert.deepEqual(await only({ city_id: WUXI }), []);
  assert.deepEqual(await only({ state: 'approved' }), [id]);
  assert.deepEqual(await only({ state: 'operating' }), []);
  assert.deepEqual(await only({ asset_nature: 'own' }), [id]);
  assert.deepEqual(await only({ asset_nature: 'joint' }), []);
  assert.deepEqual(await only({ lease_before: '2037-01-01' }), [id]);
  assert.deepEqual(await only({ lease_before: '2036-12-31' }), [], 'lease_before is strict');
  for (const bad of [{ state: 'open' }, { company_id: 'abc' }, { city_id: '0' }, { lease_before: '2026-02-30' }, { lease_before: 'soon' }]) {
    const r = await C.list(admin, res, bad);
    assert.equal(r.status, 400, JSON.stringify(bad));
    assert.match(C.alertText(r.text) ?? '', /筛选条件无效|请求格式不正确/);
  }
  // The filter bar offers the states and natures by name.
  assert.deepEqual(C.selectOptions(q.text, 'state'), ['approved', 'building', 'operating', 'suspended', 'closed']);
  assert.deepEqual(C.selectOptions(q.text, 'asset_nature'), ['own', 'joint', 'leased', 'managed']);

  // A second station with the same prefix, different in every sorted column.
  const second = station({ code: `${main.code}B`, city_id: WUXI, state: 'building', asset_nature: 'joint', expected_piles: '12', lease_end: '2030-06-30' });
  const r2 = await create(admin, second);
  C.assertRedirect(r2, res, 'created');
  const ids = async (sort, dir) => (await C.list(admin, res, { q: main.code, sort, dir })).ids;
  assert.deepEqual(await ids('code', 'asc'), [id, r2.id]);
  assert.deepEqual(await ids('code', 'desc'), [r2.id, id]);
  assert.deepEqual(await ids('expected_piles', 'asc'), [id, r2.id]);
  assert.deepEqual(await ids('expected_piles', 'desc'), [r2.id, id]);
  assert.deepEqual(await ids('lease_end', 'asc'), [r2.id, id]);
  assert.deepEqual(await ids('lease_end', 'desc'), [id, r2.id]);
  assert.deepEqual(await ids('state', 'asc'), [id, r2.id], 'approved before building');
  assert.deepEqual(await ids('state', 'desc'), [r2.id, id]);
  const byCity = await ids('city', 'asc');
  assert.deepEqual(await ids('city', 'desc'), [...byCity].reverse());
  assert.deepEqual((await C.list(admin, res, { q: main.code, state: 'building', asset_nature: 'joint', city_id: WUXI })).ids, [r2.id]);
  assert.deepEqual((await C.list(admin, res, { q: main.code, lease_before: '2031-01-01' })).ids, [r2.id]);
  C.assertRedirect(await C.del(admin, res, r2.id), res, 'deleted');
});

test('edit page shows the stored values', async () => {
  const r = await C.edit(admin, res, id);
  assert.equal(r.status, 200);
  const want = { ...main, company_id: String(SZ), city_id: String(SUZHOU), owner_company_id: String(SZ), operator_company_id: String(HQ), lessor_id: String(LESSOR) };
  for (const f of Object.keys(want)) assert.equal(C.formValue(r.text, f), want[f], f);
  // The lessor list holds lessors only; the company list city companies and the head office.
  const lessors = C.selectOptions(r.text, 'lessor_id').map(Number);
  assert.ok(lessors.includes(LESSOR) && lessors.includes(LESSOR2) && !lessors.includes(MAKER) && !lessors.includes(SZ));
  const companies = C.selectOptions(r.text, 'company_id').map(Number);
  assert.ok(companies.includes(SZ) && companies.includes(HZ) && companies.includes(HQ) && !companies.includes(MAKER));
});

test('update: 303, version+1, audit rows for exactly the changed fields, no ledger event', async () => {
  const changed = { ...main, name: main.name + '改', expected_piles: '10', staff_phone: '', operator_company_id: SZ, lessor_id: LESSOR2, lat: '31.318', address: main.address };
  const r = await C.update(admin, res, id, changed);
  C.assertRedirect(r, res, 'updated');
  assert.deepEqual(sql('SELECT name, expected_piles, staff_phone, operator_company_id, lessor_id, lat, version FROM stations WHERE id = ?', id)[0],
    [changed.name, '10', null, String(SZ), String(LESSOR2), '31.318000', '2']);
  const a = C.audit('station', id, "AND a.action = 'update'").map((x) => [x.field, x.old_value, x.new_value]);
  assert.deepEqual(a.sort(), [
    ['expected_piles', '8', '10'],
    ['lessor_id', String(LESSOR), String(LESSOR2)],
    ['name', main.name, changed.name],
    ['operator_company_id', String(HQ), String(SZ)],
    ['staff_phone', main.staff_phone, ''],
  ].sort(), '31.318 and 31.318000 are the same latitude: no record');
  assert.deepEqual(eventsOf(r), [], 'the state did not change: no event');
  Object.assign(main, changed, { lat: '31.318000' });
});

test('update records page shows the station\'s changes', async () => {
  const r = await admin.get(`/base/records?entity=station&entity_id=${id}`);
  assert.equal(r.status, 200);
  const rows = C.tableRows(r.text);
  assert.ok(rows.length >= 6, 'create and five field changes');
  // Each row names the station by its code and name, linked to its page.
  const label = sql("SELECT CONCAT(code, ' ', name) FROM stations WHERE id = ?", id)[0][0];
  assert.ok(rows.every((row) => row[2] === '充电站' && row[3] === label), 'all rows are this station\'s');
  assert.match(r.text, new RegExp(`<a href="/asset/stations/${id}">`));
  assert.ok(rows.some((row) => row.includes('新增') && row.includes(main.name.replace(/改$/, ''))));
  assert.ok(rows.some((row) => row.includes('修改') && row.includes('应有桩数') && row.includes('8') && row.includes('10')));
  assert.ok(rows.some((row) => row.includes('修改') && row.includes('名称') && row.includes(main.name)));
});

test('export CSV (formula cells neutralised) and XLSX of the filtered list', async () => {
  const rows = C.assertCsv(await C.exportFile(admin, res, { fmt: 'csv', q: main.code }), HEADER);
  assert.deepEqual(rows.slice(1), [[main.code, "'" + main.name, SZ_NAME, '苏州', '立项', '10', '', '2036-12-31', main.staff]]);
  const none = C.assertCsv(await C.exportFile(admin, res, { fmt: 'csv', q: main.code, state: 'closed' }), HEADER);
  assert.deepEqual(none.slice(1), []);
  C.assertXlsx(await C.exportFile(admin, res, { fmt: 'xlsx', q: main.code }));
  assert.equal((await C.exportFile(admin, res, { fmt: 'csv', state: 'nope' })).status, 400);
});

test('every required field empty: 422, each marked, nothing written', async () => {
  const r = await admin.post(res.path, { code: '', name: '', company_id: '', city_id: '', state: '', expected_piles: '' });
  assertNothing(r, 422, '请修正标出的字段。');
  for (const f of ['code', 'name', 'company_id', 'city_id', 'state', 'expected_piles']) C.assertFieldMessage(r, f, '必填');
  assert.equal(C.countWhere('stations', 'code', ''), 0);
});

test('over-long text counts characters: exactly the limit in CJK is accepted, one more refused', async () => {
  const ok = station({ name: C.cjk(100), address: C.cjk(200), staff: C.cjk(50), note: C.cjk(500) });
  const r = await create(admin, ok);
  C.assertRedirect(r, res, 'created');
  assert.deepEqual(sql('SELECT CHAR_LENGTH(name), CHAR_LENGTH(address), CHAR_LENGTH(staff), CHAR_LENGTH(note) FROM stations WHERE id = ?', r.id)[0], ['100', '200', '50', '500']);
  C.assertRedirect(await C.del(admin, res, r.id), res, 'deleted');
  for (const [field, n, value] of [['code', 32, 'S'.repeat(33)], ['name', 100], ['address', 200], ['staff', 50], ['note', 500], ['staff_phone', 30, '1'.repeat(31)]]) {
    const bad = station({ [field]: value ?? C.cjk(n + 1) });
    const b = await create(admin, bad);
    assertNothing(b, 422);
    C.assertFieldMessage(b, field, `最多 ${n} 个字符`);
    assert.equal(b.id, null, field);
  }
});

test('wrong values, dates, pairs and references: 422 on the field, nothing written', async () => {
  const cases = [
    [{ lat: 'north' }, 'lat', '请输入数字，最多 6 位小数'],
    [{ lat: '31.1234567' }, 'lat', '请输入数字，最多 6 位小数'],
    [{ lat: '90.5' }, 'lat', '数值不能大于 90'],
    [{ lat: '-90.5' }, 'lat', '数值过小'],
    [{ lng: '180.5' }, 'lng', '数值不能大于 180'],
    [{ expected_piles: 'ten' }, 'expected_piles', '请输入整数'],
    [{ expected_piles: '2.5' }, 'expected_piles', '请输入整数'],
    [{ expected_piles: '-1' }, 'expected_piles', '数值过小'],
    [{ expected_piles: '1001' }, 'expected_piles', '数值不能大于 1000'],
    [{ staff_phone: 'call-me' }, 'staff_phone', '电话号码格式不正确'],
    [{ state: 'open' }, 'state', '请从列表中选择'],
    [{ asset_nature: 'rented' }, 'asset_nature', '请从列表中选择'],
    [{ code: '站点A' }, 'code', '只能包含字母、数字、-、_、.'],
    [{ name: '第一行\n第二行' }, 'name', '不能包含换行'],
    [{ commissioned_on: '2026-02-30' }, 'commissioned_on', '日期格式应为 YYYY-MM-DD'],
    [{ commissioned_on: '2026/01/05' }, 'commissioned_on', '日期格式应为 YYYY-MM-DD'],
    [{ lease_start: '20260101' }, 'lease_start', '日期格式应为 YYYY-MM-DD'],
    [{ lease_end: 'next year' }, 'lease_end', '日期格式应为 YYYY-MM-DD'],
    [{ lease_start: '2026-06-01', lease_end: '2026-05-31' }, 'lease_end', '租期结束不能早于租期开始'],
    [{ lat: '', lng: '120.6' }, 'lat', '经度和纬度须同时填写'],
    [{ lat: '31.3', lng: '' }, 'lng', '经度和纬度须同时填写'],
    [{ company_id: HZ, city_id: SUZHOU }, 'city_id', '该城市不属于所选城市公司'],
    [{ company_id: 999999999 }, 'company_id', '所选记录不存在或无权使用'],
    [{ company_id: MAKER }, 'company_id', '所选记录不存在或无权使用'],
    [{ company_id: 'abc' }, 'company_id', '所选记录不存在或无权使用'],
    [{ city_id: 999999999 }, 'city_id', '所选记录不存在或无权使用'],
    [{ city_id: '-4' }, 'city_id', '所选记录不存在或无权使用'],
    [{ owner_company_id: 999999999 }, 'owner_company_id', '所选记录不存在或无权使用'],
    [{ operator_company_id: 'x' }, 'operator_company_id', '所选记录不存在或无权使用'],
    [{ lessor_id: MAKER }, 'lessor_id', '所选记录不存在或无权使用'],
    [{ lessor_id: SZ }, 'lessor_id', '所选记录不存在或无权使用'],
  ];
  for (const [over, field, msg] of cases) {
    const f = station(over);
    const r = await create(admin, f);
    assertNothing(r, 422);
    C.assertFieldMessage(r, field, msg);
    assert.equal(r.id, null, JSON.stringify(over));
    // What was typed comes back in the form.
    if (!SELECTS.has(field) && !String(over[field]).includes('\n')) assert.equal(C.formValue(r.text, field), over[field], `${field} kept`);
  }
  // A lease may start and end on the same day; the head office may have a station in any city.
  for (const over of [{ lease_start: '2026-05-31', lease_end: '2026-05-31' }, { company_id: HQ, city_id: HANGZHOU }, { lat: '-90', lng: '180' }]) {
    const r = await create(admin, station(over));
    C.assertRedirect(r, res, 'created');
    C.assertRedirect(await C.del(admin, res, r.id), res, 'deleted');
  }
});

test('the same rules on update: refused edits change nothing', async () => {
  for (const [over, field, msg] of [
    [{ lease_start: '2037-01-01' }, 'lease_end', '租期结束不能早于租期开始'],
    [{ city_id: HANGZHOU }, 'city_id', '该城市不属于所选城市公司'],
    [{ lng: '' }, 'lng', '经度和纬度须同时填写'],
    [{ company_id: MAKER }, 'company_id', '所选记录不存在或无权使用'],
    [{ name: '' }, 'name', '必填'],
  ]) {
    const before = C.rowOf('stations', id);
    const r = await C.update(admin, res, id, { ...main, ...over });
    assertNothing(r, 422);
    C.assertFieldMessage(r, field, msg);
    assert.deepEqual(C.rowOf('stations', id), before, JSON.stringify(over));
  }
  // No version at all, or not a number: 400, nothing written.
  for (const version of [undefined, 'abc']) {
    const before = C.rowOf('stations', id);
    const fields = { ...main, name: '无版本号', ...(version === undefined ? {} : { version }) };
    const r = await admin.post(`${res.path}/${id}`, fields);
    assertNothing(r, 400, '缺少版本号，请刷新页面后重试');
    assert.deepEqual(C.rowOf('stations', id), before);
  }
});

test('duplicate code: 409, field marked; duplicate submit leaves one row and one event', async () => {
  const dup = station({ code: main.code });
  const r = await admin.post(res.path, dup);
  assertNothing(r, 409);
  C.assertFieldMessage(r, 'code', '已存在相同的记录');
  assert.equal(C.countWhere('stations', 'name', dup.name), 0);
  const f = station();
  const first = await create(admin, f);
  C.assertRedirect(first, res, 'created');
  const again = await create(admin, f);
  assertNothing(again, 409);
  C.assertFieldMessage(again, 'code', '已存在相同的记录');
  assert.equal(C.countWhere('stations', 'code', f.code), 1);
  assert.deepEqual(ledger(first.id), [['station_create', null, 'approved', ADMIN]]);
  // Renaming another station to an existing code is refused the same way.
  const other = station();
  const o = await create(admin, other);
  C.assertRedirect(o, res, 'created');
  const before = C.rowOf('stations', o.id);
  const clash = await C.update(admin, res, o.id, { ...other, code: f.code, state: 'building' });
  assertNothing(clash, 409);
  C.assertFieldMessage(clash, 'code', '已存在相同的记录');
  assert.deepEqual(C.rowOf('stations', o.id), before);
  for (const sid of [first.id, o.id]) C.assertRedirect(await C.del(admin, res, sid), res, 'deleted');
});

test('stale edit: 409, the saved value shown with the user\'s input; no write, no event', async () => {
  const v = C.versionOf(res, id);
  C.assertRedirect(await C.update(admin, res, id, { ...main, staff: '他人' }, v), res, 'updated');
  const before = C.rowOf('stations', id);
  // The stale form also asks for a state change: it must not happen.
  const r = await C.update(admin, res, id, { ...main, staff: '本人输入', state: 'building' }, v);
  assertNothing(r, 409, '该记录已被他人修改');
  assert.equal(C.formValue(r.text, 'staff'), '他人');
  assert.match(r.text, /您的输入: 本人输入/);
  assert.deepEqual(C.rowOf('stations', id), before);
  assert.equal(stateOf(id), 'approved');
  main.staff = '他人';
});

test('unknown and non-numeric ids: 404', async () => {
  await C.assertNotFound(admin, res, main);
});

// ---------------------------------------------------------------- the state machine

test('state machine: every refused step is 422 and changes nothing; every allowed one is posted', async () => {
  const f = station({ expected_piles: '0' });
  const c = await create(admin, f);
  C.assertRedirect(c, res, 'created');
  const sid = c.id;
  const today = C.chinaToday();
  const move = (to) => C.update(admin, res, sid, { ...f, state: to });

  async function refuse(from, targets) {
    for (const to of targets) {
      const before = C.rowOf('stations', sid);
      const r = await move(to);
      assertNothing(r, 422, '请修正标出的字段。');
      C.assertFieldMessage(r, 'state', TRANSITION);
      assert.equal(C.formValue(r.text, 'state'), to, 'the form keeps the chosen state');
      assert.deepEqual(C.rowOf('stations', sid), before, `${from} → ${to} wrote nothing`);
      assert.equal(stateOf(sid), from);
    }
  }
  async function allow(from, to) {
    const r = await move(to);
    C.assertRedirect(r, res, 'updated');
    assert.equal(stateOf(sid), to);
    assert.deepEqual(eventsOf(r), [['station_state', String(sid), from, to, ADMIN]], `${from} → ${to} posted once`);
    const a = sql(`SELECT old_value, new_value FROM audit_log WHERE entity = 'station' AND entity_id = ? AND field = 'state'
      AND request_id = ?`, sid, r.headers.get('x-request-id'));
    assert.deepEqual(a, [[from, to]], 'the update record names the state change');
  }

  await refuse('approved', ['operating', 'suspended', 'closed']);
  await allow('approved', 'building');
  assert.deepEqual(datesOf(sid), [today, today, null, null, null]);

  await refuse('building', ['approved', 'suspended', 'closed']);
  await allow('building', 'operating');
  assert.deepEqual(datesOf(sid), [today, today, today, null, null]);

  await refuse('operating', ['approved', 'building', 'closed']);
  await allow('operating', 'suspended');
  assert.deepEqual(datesOf(sid), [today, today, today, today, null]);

  // Older entered days (history before this test): re-entering keeps them.
  sql("UPDATE stations SET operating_on = '2025-01-15', suspended_on = '2025-06-01' WHERE id = ?", sid);
  await refuse('suspended', ['approved', 'building']);
  await allow('suspended', 'operating');
  assert.deepEqual(datesOf(sid), [today, today, '2025-01-15', '2025-06-01', null], 'operating_on kept on re-entry');
  await allow('operating', 'suspended');
  assert.deepEqual(datesOf(sid), [today, today, '2025-01-15', '2025-06-01', null], 'suspended_on kept on re-entry');

  await allow('suspended', 'closed');
  assert.deepEqual(datesOf(sid), [today, today, '2025-01-15', '2025-06-01', today]);
  await refuse('closed', ['approved', 'building', 'operating', 'suspended']);

  // Staying in a state is no transition: an edit of a closed station saves without an event.
  const same = await C.update(admin, res, sid, { ...f, state: 'closed', note: '已撤站，资料归档' });
  C.assertRedirect(same, res, 'updated');
  assert.deepEqual(eventsOf(same), []);
  assert.equal(scalar('SELECT note FROM stations WHERE id = ?', sid), '已撤站，资料归档');

  assert.deepEqual(ledger(sid), [
    ['station_create', null, 'approved', ADMIN],
    ['station_state', 'approved', 'building', ADMIN],
    ['station_state', 'building', 'operating', ADMIN],
    ['station_state', 'operating', 'suspended', ADMIN],
    ['station_state', 'suspended', 'operating', ADMIN],
    ['station_state', 'operating', 'suspended', ADMIN],
    ['station_state', 'suspended', 'closed', ADMIN],
  ]);
  // The list shows the state by name.
  assert.equal((await C.list(admin, res, { q: f.code })).rows[0][4], '撤站');

  // Deleting posts station_delete from the last state.
  const d = await C.del(admin, res, sid);
  C.assertRedirect(d, res, 'deleted');
  assert.deepEqual(eventsOf(d), [['station_delete', String(sid), 'closed', null, ADMIN]]);
});

// ---------------------------------------------------------------- delete

test('delete refused while the station has facilities or piles: 409 with the count, nothing written', async () => {
  const f = station({ expected_piles: '0' });
  const c = await create(admin, f);
  C.assertRedirect(c, res, 'created');
  const subs = [];
  for (const [kind, measure] of [['cable', { length_m: '80' }], ['transformer', { capacity_kva: '630' }]]) {
    const name = `${kind}${f.code}`;
    const r = await admin.post(SUB.path, { station_id: c.id, kind, name, ...measure });
    C.assertRedirect(r, SUB, 'created');
    subs.push(scalar('SELECT id FROM sub_assets WHERE name = ?', name));
  }
  let before = C.rowOf('stations', c.id);
  let r = await C.del(admin, res, c.id);
  assertNothing(r, 409, '该充电站还有 2 项站内设施，不能删除。');
  assert.deepEqual(C.rowOf('stations', c.id), before);
  // A pile bound there is named first.
  sql(`INSERT INTO piles (code, state, place, station_id, company_id) VALUES (?, 'installed', 'station', ?, ?)`, `${f.code}-P`, c.id, SZ);
  try {
    r = await C.del(admin, res, c.id);
    assertNothing(r, 409, '该充电站还绑定着 1 台充电桩，不能删除。');
    assert.deepEqual(C.rowOf('stations', c.id), before);
  } finally {
    sql('DELETE FROM piles WHERE code = ?', `${f.code}-P`);
  }
  // Facilities gone: the station can go.
  for (const s of subs) C.assertRedirect(await C.del(admin, SUB, s), SUB, 'deleted');
  C.assertRedirect(await C.del(admin, res, c.id), res, 'deleted');
  assert.equal(C.countWhere('stations', 'id', c.id), 0);
});

test('delete closes the station\'s open quantity anomaly in the same request', async () => {
  // Operating, 3 piles expected, none bound: a quantity anomaly opens.
  const f = station({ state: 'operating', expected_piles: '3' });
  const c = await create(admin, f);
  C.assertRedirect(c, res, 'created');
  const open = () => sql("SELECT status, expected, actual, closed_at IS NOT NULL FROM anomalies WHERE kind = 'quantity' AND station_id = ?", c.id);
  assert.deepEqual(open(), [['open', '3', '0', '0']]);
  const d = await C.del(admin, res, c.id);
  C.assertRedirect(d, res, 'deleted');
  assert.deepEqual(open(), [['closed', '3', '0', '1']], 'nothing is left to count at a station that is gone');
  assert.deepEqual(eventsOf(d), [['station_delete', String(c.id), 'operating', null, ADMIN]]);
});

// ---------------------------------------------------------------- data scope

// Stations of both companies, made by admin, sharing this run's prefix.
let hzStation, szStation;
const hzFields = station({ company_id: HZ, city_id: HANGZHOU, owner_company_id: HZ, address: `杭州市西湖区文三路${PREFIX}` });
const szFields = station({ city_id: WUXI });

test('setup: a CC-HZ and a second CC-SZ station', async () => {
  for (const f of [hzFields, szFields]) C.assertRedirect(await create(admin, f), res, 'created');
  hzStation = C.idOf('stations', 'code', hzFields.code);
  szStation = C.idOf('stations', 'code', szFields.code);
});

/** Every page of a list (100 rows a page): the rows and the ids of the edit links. */
async function allPages(client, params = {}) {
  const out = { rows: [], ids: [], status: 200, text: '' };
  for (let page = 1; page < 100; page++) {
    const l = await C.list(client, res, { ...params, per: 100, page });
    assert.equal(l.status, 200);
    if (page === 1) out.text = l.text;
    out.rows.push(...l.rows);
    out.ids.push(...l.ids);
    if (l.rows.length < 100) return out;
  }
  assert.fail('more than 99 pages');
}

const codesOf = (company) => new Set(sql('SELECT code FROM stations WHERE company_id = ?', company).map((r) => r[0]));

/** Listed codes are the company's: each in the SQL answer before or after, none missing from both. */
function assertOnly(codes, s1, s2) {
  for (const c of codes) assert.ok(s1.has(c) || s2.has(c), `${c} belongs to the user's company`);
  for (const c of s1) if (s2.has(c)) assert.ok(codes.includes(c), `${c} of the user's company is listed`);
}

test('warehouse user (CC-SZ, asset_edit): list and exports hold only CC-SZ stations', async () => {
  const wh = await as('warehouse');
  const s1 = codesOf(SZ);
  const l = await allPages(wh, { sort: 'code' });
  const ex = await C.exportFile(wh, res, { fmt: 'csv' });
  const s2 = codesOf(SZ);
  assert.equal(l.status, 200);
  assert.ok(l.rows.length >= 3 && l.rows.every((row) => row[2] === SZ_NAME), 'every row is CC-SZ');
  assertOnly(l.rows.map((row) => row[0]), s1, s2);
  assert.ok(!l.rows.some((row) => row[0] === hzFields.code));
  assert.match(l.text, /href="\/asset\/stations\/new"/, 'asset_edit: the "new" button');
  const rows = C.assertCsv(ex, HEADER).slice(1);
  assert.ok(rows.every((row) => row[2] === SZ_NAME));
  assertOnly(rows.map((row) => row[0]), s1, s2);
  assert.ok(!ex.text.includes(hzFields.code) && !ex.text.includes(HZ_NAME));
  const xlsx = await C.exportFile(wh, res, { fmt: 'xlsx', q: PREFIX });
  C.assertXlsx(xlsx);
  // Our prefix: CC-SZ's stations only; asking for CC-HZ gives nothing.
  assert.deepEqual((await C.list(wh, res, { q: PREFIX })).ids.sort(), [id, szStation].sort());
  assert.deepEqual((await C.list(wh, res, { q: hzFields.code })).rows, []);
  assert.deepEqual((await C.list(wh, res, { company_id: HZ })).rows, []);
  assert.deepEqual(C.parseCsv((await C.exportFile(wh, res, { fmt: 'csv', company_id: HZ })).text).slice(1), []);
  assert.deepEqual(C.selectOptions(l.text, 'company_id'), [String(SZ)], 'the company filter offers the own company');
});

test('warehouse user: another company\'s station is 404 for edit, update and delete', async () => {
  const wh = await as('warehouse');
  const before = C.rowOf('stations', hzStation);
  for (const target of [hzStation, 999999999]) {
    const e = await C.edit(wh, res, target);
    assert.equal(e.status, 404, `edit ${target}`);
    assert.ok(!e.text.includes(hzFields.name));
    const u = await wh.post(`${res.path}/${target}`, { ...hzFields, state: 'building', version: before.at(-3) });
    assert.equal(u.status, 404);
    const d = await C.del(wh, res, target);
    assert.equal(d.status, 404);
    assert.equal(C.auditOf(u) + C.auditOf(d), 0);
    assert.deepEqual([...eventsOf(u), ...eventsOf(d)], []);
  }
  assert.deepEqual(C.rowOf('stations', hzStation), before);
});

test('warehouse user: creates only for CC-SZ in CC-SZ\'s cities, edits and deletes its own', async () => {
  const wh = await as('warehouse');
  const page = await wh.get(`${res.path}/new`);
  assert.equal(page.status, 200);
  assert.deepEqual(C.selectOptions(page.text, 'company_id'), [String(SZ)], 'the form offers the own company only');
  assert.equal(C.formValue(page.text, 'company_id'), String(SZ), 'and has it chosen');
  const other = station({ company_id: HZ, city_id: HANGZHOU });
  let r = await create(wh, other);
  assertNothing(r, 422);
  C.assertFieldMessage(r, 'company_id', '所选记录不存在或无权使用');
  assert.equal(r.id, null);
  const head = station({ company_id: HQ, city_id: HANGZHOU });
  r = await create(wh, head);
  assertNothing(r, 422);
  C.assertFieldMessage(r, 'company_id', '所选记录不存在或无权使用');
  const notCovered = station({ city_id: HANGZHOU });
  r = await create(wh, notCovered);
  assertNothing(r, 422);
  C.assertFieldMessage(r, 'city_id', '该城市不属于所选城市公司');
  assert.equal(r.id, null);

  const own = station({ city_id: WUXI });
  r = await create(wh, own);
  C.assertRedirect(r, res, 'created');
  const WH = String(C.idOf('users', 'username', 'warehouse'));
  assert.deepEqual(eventsOf(r), [['station_create', String(r.id), null, 'approved', WH]]);
  assert.equal((await C.edit(wh, res, r.id)).status, 200);
  // Moving it to another company is refused; a state step is fine.
  const move = await C.update(wh, res, r.id, { ...own, company_id: HZ, city_id: HANGZHOU });
  assertNothing(move, 422);
  C.assertFieldMessage(move, 'company_id', '所选记录不存在或无权使用');
  const step = await C.update(wh, res, r.id, { ...own, state: 'building' });
  C.assertRedirect(step, res, 'updated');
  assert.deepEqual(eventsOf(step), [['station_state', String(r.id), 'approved', 'building', WH]]);
  const d = await C.del(wh, res, r.id);
  C.assertRedirect(d, res, 'deleted');
  assert.deepEqual(eventsOf(d), [['station_delete', String(r.id), 'building', null, WH]]);
});

test('inspector2 (CC-HZ, asset_view only): lists CC-HZ stations only, 403 on every write', async () => {
  const ins = await as('inspector2');
  const s1 = codesOf(HZ);
  const l = await allPages(ins, { sort: 'code' });
  const s2 = codesOf(HZ);
  assert.equal(l.status, 200);
  assert.ok(l.rows.length >= 1 && l.rows.every((row) => row[2] === HZ_NAME), 'every row is CC-HZ');
  assertOnly(l.rows.map((row) => row[0]), s1, s2);
  assert.deepEqual(l.ids, [], 'no edit links');
  assert.doesNotMatch(l.text, /href="\/asset\/stations\/new"/);
  const mine = await C.list(ins, res, { q: PREFIX });
  assert.deepEqual(mine.rows.map((row) => row[0]), [hzFields.code]);
  const ex = C.assertCsv(await C.exportFile(ins, res, { fmt: 'csv', q: PREFIX }), HEADER);
  assert.deepEqual(ex.slice(1).map((row) => row[0]), [hzFields.code]);

  assert.equal((await ins.get(`${res.path}/new`)).status, 403);
  const f = station({ company_id: HZ, city_id: HANGZHOU });
  const c = await ins.post(res.path, f);
  assert.equal(c.status, 403);
  assert.equal(C.countWhere('stations', 'code', f.code), 0);
  const before = C.rowOf('stations', hzStation);
  assert.equal((await C.edit(ins, res, hzStation)).status, 403);
  const u = await ins.post(`${res.path}/${hzStation}`, { ...hzFields, state: 'building', version: before.at(-3) });
  assert.equal(u.status, 403);
  const d = await C.del(ins, res, hzStation);
  assert.equal(d.status, 403);
  assert.deepEqual(C.rowOf('stations', hzStation), before);
  assert.deepEqual([...eventsOf(c), ...eventsOf(u), ...eventsOf(d)], []);
});

test('leader: sees every company\'s stations but may not create, edit or delete', async () => {
  const leader = await as('leader');
  const l = await C.list(leader, res, { q: PREFIX, sort: 'code' });
  assert.equal(l.status, 200);
  const listed = l.rows.map((row) => row[0]);
  for (const code of [main.code, hzFields.code, szFields.code]) assert.ok(listed.includes(code), code);
  assert.ok(l.rows.some((row) => row[2] === HZ_NAME) && l.rows.some((row) => row[2] === SZ_NAME));
  assert.deepEqual(l.ids, [], 'no edit links');
  const ex = C.assertCsv(await C.exportFile(leader, res, { fmt: 'csv', q: PREFIX }), HEADER);
  assert.deepEqual(ex.slice(1).map((row) => row[0]), listed);
  assert.equal((await leader.get(`${res.path}/new`)).status, 403);
  const f = station();
  assert.equal((await leader.post(res.path, f)).status, 403);
  assert.equal(C.countWhere('stations', 'code', f.code), 0);
  const before = C.rowOf('stations', hzStation);
  assert.equal((await C.edit(leader, res, hzStation)).status, 403);
  assert.equal((await leader.post(`${res.path}/${hzStation}`, { ...hzFields, state: 'building', version: before.at(-3) })).status, 403);
  assert.equal((await C.del(leader, res, hzStation)).status, 403);
  assert.deepEqual(C.rowOf('stations', hzStation), before);
});

test('supplier: 403 on every /asset/ page, nothing written', async () => {
  const sup = await as('supplier');
  const before = C.rowOf('stations', hzStation);
  for (const path of ['/asset/stations', '/asset/stations?q=ST', '/asset/stations/export?fmt=csv', '/asset/stations/export?fmt=xlsx',
    '/asset/stations/new', `/asset/stations/${hzStation}/edit`, '/asset/subassets', '/asset/subassets/export?fmt=csv',
    '/asset/subassets/new', '/asset/piles', '/asset/anomalies']) {
    const r = await sup.get(path);
    assert.equal(r.status, 403, path);
    assert.ok(!r.text.includes(hzFields.code), `${path} leaks nothing`);
  }
  const f = station();
  for (const [path, body] of [[res.path, f], [`${res.path}/${hzStation}`, { ...hzFields, version: before.at(-3) }],
    [`${res.path}/${hzStation}/delete`, {}], [SUB.path, { station_id: hzStation, kind: 'cable', name: f.code, length_m: '10' }]]) {
    const r = await sup.post(path, body);
    assert.equal(r.status, 403, `POST ${path}`);
    assert.equal(C.auditOf(r), 0);
    assert.deepEqual(eventsOf(r), []);
  }
  assert.equal(C.countWhere('stations', 'code', f.code), 0);
  assert.equal(C.countWhere('sub_assets', 'name', f.code), 0);
  assert.deepEqual(C.rowOf('stations', hzStation), before);
});

test('delete: 303, row gone, audit "delete", station_delete event; the scope stations go too', async () => {
  const d = await C.del(admin, res, id);
  C.assertRedirect(d, res, 'deleted');
  assert.equal(C.countWhere('stations', 'id', id), 0);
  const last = C.audit('station', id).at(-1);
  assert.deepEqual([last.action, last.user, last.old_value], ['delete', 'admin', main.name]);
  assert.deepEqual(eventsOf(d), [['station_delete', String(id), 'approved', null, ADMIN]]);
  assert.equal((await C.edit(admin, res, id)).status, 404);
  // The ledger keeps the station's history after it is gone.
  assert.deepEqual(ledger(id).map((e) => e[0]), ['station_create', 'station_delete']);
  for (const sid of [hzStation, szStation]) C.assertRedirect(await C.del(admin, res, sid), res, 'deleted');
});
