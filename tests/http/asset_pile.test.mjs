// Charging piles (F4): the register (list, every filter, sort, CSV/XLSX export), create and
// edit with validation, warranty and update records, delete, the pile card with its ledger,
// binding to and unbinding from a station with every refusal, and the data scope of
// city-company users.  Stations and piles are made through the HTTP API only, so the ledger
// explains every state and place (./chargeasset verify runs after the suite).
import { test, before } from 'node:test';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { as, sql, scalar, assert, stationTo, createState } from './lib.mjs';
import * as C from './crud.mjs';

const res = { path: '/asset/piles', table: 'piles', entity: 'pile', key: 'code' };
const ST = { path: '/asset/stations', table: 'stations', entity: 'station', key: 'code' };
const HEADER = ['编码', '出厂编号', '型号', '制造厂商', '额定功率(kW)', '状态', '所在位置', '所属公司',
  '软件版本', '硬件版本', '质保到期', '质保'];

const SZ = C.idOf('companies', 'code', 'CC-SZ');
const HZ = C.idOf('companies', 'code', 'CC-HZ');
const MF_XC = C.idOf('companies', 'code', 'MF-XC');
const MF_YT = C.idOf('companies', 'code', 'MF-YT');
const SUZHOU = C.idOf('cities', 'code', '320500');
const WUXI = C.idOf('cities', 'code', '320200');
const CHANGZHOU = C.idOf('cities', 'code', '320400');
const HANGZHOU = C.idOf('cities', 'code', '330100');
const WH_SZ1 = C.idOf('warehouses', 'code', 'WH-SZ-01');
const WH_SZ2 = C.idOf('warehouses', 'code', 'WH-SZ-02');
const WH_HZ1 = C.idOf('warehouses', 'code', 'WH-HZ-01');
const P_AC7 = C.idOf('products', 'model', 'XC-AC7-W'); // 星驰, 7 kW, 24 months
const P_DC60 = C.idOf('products', 'model', 'XC-DC60-2'); // 星驰, 60 kW, 36 months
const P_YT160 = C.idOf('products', 'model', 'YT-DC160-2'); // 远拓, 160 kW, 36 months
const SZ_NAME = '蓝途充电（苏州）有限公司';
const HZ_NAME = '蓝途充电（杭州）有限公司';

// Every pile of this run starts with PFX, so a keyword filter isolates them.
const PFX = C.ucode('PT', 12);
let seq = 0;
const made = { piles: [], stations: [] };
let admin;

before(async () => {
  admin = await as('admin');
});

function pile(over = {}) {
  const code = `${PFX}-${String(++seq).padStart(2, '0')}`;
  return { code, serial_no: `SN${code}`, product_id: P_AC7, company_id: SZ, warehouse_id: WH_SZ1, state: 'in_stock', sw_version: 'V1.0', hw_version: 'H1', ...over };
}

async function newPile(over = {}, client = admin) {
  const f = pile(over);
  const r = await C.create(client, res, f);
  C.assertRedirect(r, res, 'created');
  made.piles.push(r.id);
  return { ...f, id: r.id };
}

async function newStation(over = {}) {
  const code = C.ucode('STP', 20);
  const f = { code, name: `桩测试站${code}`, company_id: SZ, city_id: SUZHOU, state: 'operating', expected_piles: 0, ...over };
  // Suspended and closed are reached through the transitions only.
  const r = await C.create(admin, ST, { ...f, state: createState(f.state) });
  C.assertRedirect(r, ST, 'created');
  made.stations.push(r.id);
  await stationTo(admin, r.id, f.state);
  return { ...f, id: r.id };
}

/** Ledger rows of a pile, oldest first. */
function events(id) {
  return sql(`SELECT kind, COALESCE(station_id, ''), COALESCE(from_state, ''), COALESCE(to_state, ''),
    COALESCE(from_place, ''), COALESCE(to_place, ''), COALESCE(detail, '') FROM asset_events
    WHERE pile_id = ? ORDER BY id`, id);
}

/** Ledger rows written by the request of this response. */
function eventsOf(r) {
  const rid = r.headers.get('x-request-id');
  assert.ok(rid, 'response has X-Request-Id');
  return scalar('SELECT COUNT(*) FROM asset_events WHERE request_id = ? AND at > UTC_TIMESTAMP() - INTERVAL 10 MINUTE', rid);
}

function pileRow(id) {
  return sql('SELECT state, place, COALESCE(station_id, 0), COALESCE(warehouse_id, 0), version FROM piles WHERE id = ?', id)[0];
}

/** Ids of the rows of a pile list page (the code links to the card). */
function listIds(html) {
  const body = html.match(/<tbody>([\s\S]*?)<\/tbody>/);
  if (!body) return [];
  // Each row's first cell: the box that ticks it for the batch actions, then the card's link.
  return [...body[1].matchAll(/<tr>\s*<td data-label="编码"><span class="pick-cell"><input class="form-check-input row-pick" type="checkbox" name="ids" value="(\d+)"[^>]*> <a href="\/asset\/piles\/(\d+)">/g)]
    .map((m) => { assert.equal(m[1], m[2], 'the box ticks its own row'); return Number(m[2]); });
}

/** The fields the admin's edit form of a pile submits, without its CSRF token. */
async function editForm(id, changes = {}) {
  const { _csrf, ...f } = C.browserForm((await C.edit(admin, res, id)).text, changes);
  assert.ok(_csrf && f.version, 'the edit form has a token and a version');
  return f;
}

async function ids(client, params) {
  const r = await C.list(client, res, { per: 100, ...params });
  assert.equal(r.status, 200, JSON.stringify(params));
  return listIds(r.text);
}

/** A refusal that changed nothing: status, message, pile row and ledger untouched. */
async function assertNothing(id, fn) {
  const before = C.rowOf('piles', id);
  const n = events(id).length;
  const r = await fn();
  assert.deepEqual(C.rowOf('piles', id), before, 'the pile row is unchanged');
  assert.equal(events(id).length, n, 'no ledger row for the pile');
  assert.equal(eventsOf(r), 0, 'the request wrote no ledger row');
  assert.equal(C.auditOf(r), 0, 'the request wrote no audit row');
  return r;
}

/** China date of (created_at or date) plus n months, as MariaDB computes it. */
function plusMonths(date, n) {
  return scalar(`SELECT DATE_FORMAT(? + INTERVAL ${Number(n)} MONTH, '%Y-%m-%d')`, date);
}
function createdDay(id) {
  return scalar("SELECT DATE_FORMAT(created_at + INTERVAL 8 HOUR, '%Y-%m-%d') FROM piles WHERE id = ?", id);
}
function warrantyEnd(id) {
  return scalar("SELECT DATE_FORMAT(warranty_end, '%Y-%m-%d') FROM piles WHERE id = ?", id);
}

// ---------------------------------------------------------------- create, list, filters, export

let A, B, Hz, D, station1;

test('create: 303, row stored in stock at the warehouse, audit "create", pile_create posted', async () => {
  A = await newPile({ tariff: '0.8888', comm_method: '', commissioned_on: '' });
  assert.deepEqual(sql(`SELECT code, serial_no, product_id, company_id, warehouse_id, place, state, sw_version,
    hw_version, tariff, station_id, version FROM piles WHERE id = ?`, A.id)[0],
  [A.code, A.serial_no, String(P_AC7), String(SZ), String(WH_SZ1), 'warehouse', 'in_stock', 'V1.0', 'H1', '0.8888', null, '1']);
  assert.deepEqual(C.audit('pile', A.id).map((a) => [a.action, a.user, a.new_value]), [['create', 'admin', A.code]]);
  assert.deepEqual(events(A.id), [['pile_create', '', '', 'in_stock', '', `warehouse:${WH_SZ1}`, '']]);
  // No commissioning date: the warranty runs from the day the pile was registered.
  assert.equal(warrantyEnd(A.id), plusMonths(createdDay(A.id), 24));
  // Without a warehouse the pile is nowhere.
  const n = await newPile({ warehouse_id: '' });
  assert.deepEqual(pileRow(n.id).slice(0, 4), ['in_stock', 'none', '0', '0']);
  assert.deepEqual(events(n.id), [['pile_create', '', '', 'in_stock', '', 'none', '']]);
});

test('list: every filter narrows to exactly the matching piles; sort both ways', async () => {
  B = await newPile({ product_id: P_YT160, warehouse_id: WH_SZ2, sw_version: 'V2.0', commissioned_on: '2015-01-01' });
  Hz = await newPile({ product_id: '', company_id: HZ, warehouse_id: WH_HZ1, sw_version: 'V1.0' });
  D = await newPile({ product_id: P_AC7, sw_version: 'V3.0' });
  station1 = await newStation({ city_id: CHANGZHOU, expected_piles: 1 });
  const b = await admin.post(`${res.path}/${D.id}/bind`, { station_id: station1.id });
  assert.equal(b.status, 303, C.alertText(b.text));
  const N = made.piles[1]; // the pile without a warehouse

  const all = await C.list(admin, res, { q: PFX, per: 100 });
  assert.equal(all.status, 200);
  assert.deepEqual(listIds(all.text).sort((x, y) => x - y), [A.id, N, B.id, Hz.id, D.id].sort((x, y) => x - y));
  const rowA = all.rows.find((row) => row[0] === A.code);
  assert.deepEqual(rowA.slice(0, 12), [A.code, A.serial_no, 'XC-AC7-W', '星驰电气股份有限公司', '7.00', '在库',
    '苏州工业园区中心仓', SZ_NAME, 'V1.0', 'H1', warrantyEnd(A.id), '质保期内']);
  const rowD = all.rows.find((row) => row[0] === D.code);
  assert.equal(rowD[5], '已安装');
  assert.equal(rowD[6], `${station1.code} ${station1.name}`);
  const rowHz = all.rows.find((row) => row[0] === Hz.code);
  assert.deepEqual([rowHz[2], rowHz[7], rowHz[10], rowHz[11]], ['', HZ_NAME, '', '未知']);

  const cases = [
    [{ q: A.code }, [A.id]],
    [{ q: B.serial_no }, []], // codes only
    [{ serial_no: B.serial_no }, [B.id]], // serial numbers by their own filter
    [{ q: `${PFX}%` }, []], // '%' is a literal, not a wildcard
    [{ company_id: HZ }, [Hz.id]],
    [{ company_id: SZ }, [A.id, N, B.id, D.id]],
    [{ city_id: SUZHOU }, [A.id]], // the warehouse's city
    [{ city_id: WUXI }, [B.id]],
    [{ city_id: CHANGZHOU }, [D.id]], // the station's city once bound
    [{ city_id: HANGZHOU }, [Hz.id]],
    [{ station_id: station1.id }, [D.id]],
    [{ state: 'in_stock' }, [A.id, N, B.id, Hz.id]],
    [{ state: 'installed' }, [D.id]],
    [{ state: 'operating' }, []],
    [{ manufacturer_id: MF_YT }, [B.id]],
    [{ manufacturer_id: MF_XC }, [A.id, N, D.id]],
    [{ product_id: P_AC7 }, [A.id, N, D.id]],
    [{ product_id: P_YT160 }, [B.id]],
    [{ rated_power_kw: '160.00' }, [B.id]],
    [{ rated_power_kw: '7.00' }, [A.id, N, D.id]],
    [{ sw_version: 'V1.0' }, [A.id, N, Hz.id]],
    [{ sw_version: 'V2.0' }, [B.id]],
    [{ warranty: 'in' }, [A.id, N, D.id]],
    [{ warranty: 'out' }, [B.id]], // 2015-01-01 + 36 months
    [{ warranty: 'unknown' }, [Hz.id]], // no product
    [{ company_id: SZ, state: 'in_stock', product_id: P_AC7 }, [A.id, N]],
  ];
  for (const [params, want] of cases) {
    const got = await ids(admin, { q: PFX, ...params });
    assert.deepEqual(got.sort((x, y) => x - y), [...want].sort((x, y) => x - y), JSON.stringify(params));
  }
  // Sorts: code both ways; power; warranty end.
  const byCode = await ids(admin, { q: PFX, sort: 'code', dir: 'asc' });
  assert.deepEqual(byCode, [A.id, N, B.id, Hz.id, D.id]);
  assert.deepEqual(await ids(admin, { q: PFX, sort: 'code', dir: 'desc' }), [...byCode].reverse());
  const byPower = await C.list(admin, res, { q: PFX, sort: 'rated_power_kw', dir: 'desc' });
  assert.deepEqual(byPower.rows.map((r) => r[4]), ['160.00', '7.00', '7.00', '7.00', '']);
  const byPowerAsc = await C.list(admin, res, { q: PFX, sort: 'rated_power_kw', dir: 'asc' });
  assert.deepEqual(byPowerAsc.rows.map((r) => r[4]), ['', '7.00', '7.00', '7.00', '160.00']);
  const byWarranty = await C.list(admin, res, { q: PFX, sort: 'warranty_end', dir: 'asc', warranty: 'out' });
  assert.deepEqual(listIds(byWarranty.text), [B.id]);
  const byWarrantyAll = await ids(admin, { q: PFX, sort: 'warranty_end', dir: 'asc' });
  assert.deepEqual(byWarrantyAll.slice(0, 2), [Hz.id, B.id], 'no date first, then the expired one');
  // Bad filter values are refused.
  for (const bad of [{ state: 'flying' }, { warranty: 'maybe' }, { company_id: 'abc' }, { station_id: '-3' }, { product_id: '1x' }]) {
    const r = await C.list(admin, res, bad);
    assert.equal(r.status, 400, JSON.stringify(bad));
    assert.match(C.alertText(r.text) ?? '', /筛选条件无效/);
  }
});

test('export: CSV and XLSX hold exactly the filtered set', async () => {
  const ex = await C.exportFile(admin, res, { fmt: 'csv', q: PFX, company_id: SZ, product_id: P_AC7, sort: 'code', dir: 'asc' });
  const rows = C.assertCsv(ex, HEADER).slice(1);
  assert.deepEqual(rows.map((r) => r[0]), [A.code, scalar('SELECT code FROM piles WHERE id = ?', made.piles[1]), D.code]);
  assert.deepEqual(rows[0], [A.code, A.serial_no, 'XC-AC7-W', '星驰电气股份有限公司', '7.00', '在库', '苏州工业园区中心仓',
    SZ_NAME, 'V1.0', 'H1', warrantyEnd(A.id), '质保期内']);
  assert.ok(!ex.text.includes(B.code) && !ex.text.includes(Hz.code), 'other piles left out');
  const out = C.parseCsv((await C.exportFile(admin, res, { fmt: 'csv', q: PFX, warranty: 'out' })).text).slice(1);
  assert.deepEqual(out.map((r) => [r[0], r[11]]), [[B.code, '已过质保']]);
  const x = await C.exportFile(admin, res, { fmt: 'xlsx', q: PFX, state: 'installed' });
  C.assertXlsx(x);
  assert.match(x.headers.get('content-disposition') ?? '', /\.xlsx/);
  assert.equal((await C.exportFile(admin, res, { fmt: 'csv', state: 'flying' })).status, 400);
});

// ---------------------------------------------------------------- edit

test('edit: update records for the changed fields, pile_change for sw/hw versions, warranty recomputed', async () => {
  const e = await C.edit(admin, res, A.id);
  assert.equal(e.status, 200);
  assert.equal(C.formValue(e.text, 'code'), A.code);
  assert.equal(C.formValue(e.text, 'product_id'), String(P_AC7));
  const n = events(A.id).length;
  // A commissioning date: warranty from that day (24 months of XC-AC7-W).
  const f1 = C.browserForm(e.text, { commissioned_on: '2024-03-15', sw_version: 'V1.1', hw_version: 'H2', serial_no: `${A.serial_no}X` });
  const r1 = await admin.post(`${res.path}/${A.id}`, f1);
  C.assertRedirect(r1, res, 'updated');
  assert.equal(warrantyEnd(A.id), '2026-03-15');
  const changes = C.audit('pile', A.id, "AND a.action = 'update'").map((a) => [a.field, a.old_value, a.new_value]);
  assert.deepEqual(changes.sort(), [['commissioned_on', '', '2024-03-15'], ['hw_version', 'H1', 'H2'],
    ['serial_no', A.serial_no, `${A.serial_no}X`], ['sw_version', 'V1.0', 'V1.1']]);
  const ev = events(A.id).slice(n);
  assert.deepEqual(ev.map((x) => [x[0], x[3], x[5], x[6]]).sort(), [
    ['pile_change', '', '', 'hw_version: H1 -> H2'], ['pile_change', '', '', 'sw_version: V1.0 -> V1.1']]);
  assert.equal(eventsOf(r1), 2);
  assert.equal(C.versionOf(res, A.id), 2);
  // Another product: its warranty months (36) from the same date; the change is on the ledger.
  const r2 = await C.update(admin, res, A.id, { ...f1, product_id: P_DC60 });
  C.assertRedirect(r2, res, 'updated');
  assert.equal(warrantyEnd(A.id), '2027-03-15');
  assert.deepEqual(C.audit('pile', A.id, "AND a.field = 'product_id'").map((a) => [a.old_value, a.new_value]), [[String(P_AC7), String(P_DC60)]]);
  assert.deepEqual(events(A.id).at(-1).slice(0, 1).concat(events(A.id).at(-1).slice(6)), ['pile_change', `product_id: ${P_AC7} -> ${P_DC60}`]);
  // A new date moves the end; removing the date goes back to the registration day.
  C.assertRedirect(await C.update(admin, res, A.id, { ...f1, product_id: P_DC60, commissioned_on: '2025-06-30' }), res, 'updated');
  assert.equal(warrantyEnd(A.id), '2028-06-30');
  C.assertRedirect(await C.update(admin, res, A.id, { ...f1, product_id: P_DC60, commissioned_on: '' }), res, 'updated');
  assert.equal(warrantyEnd(A.id), plusMonths(createdDay(A.id), 36));
  // Saving the same values again writes nothing (no audit, no ledger row).
  const same = await C.update(admin, res, A.id, { ...f1, product_id: P_DC60, commissioned_on: '' });
  C.assertRedirect(same, res, 'updated');
  assert.equal(C.auditOf(same), 0);
  assert.equal(eventsOf(same), 0);
  // The warehouse is fixed after creation: a submitted one is ignored.
  C.assertRedirect(await C.update(admin, res, A.id, { ...f1, product_id: P_DC60, commissioned_on: '', warehouse_id: WH_SZ2 }), res, 'updated');
  assert.equal(pileRow(A.id)[3], String(WH_SZ1));
  Object.assign(A, f1, { product_id: P_DC60, commissioned_on: '' });
});

test('edit: versions of 32 characters in any script are compared and posted whole', async () => {
  // 'a' + 31 CJK characters is 94 bytes: a cut at a byte limit would fall inside a character.
  const sw = `a${C.cjk(31)}`, hw = `H${'测'.repeat(30)}版`;
  const p = await newPile({ sw_version: sw, hw_version: hw });
  const f = await editForm(p.id, { serial_no: `${p.serial_no}-2` });
  const same = await admin.post(`${res.path}/${p.id}`, f);
  C.assertRedirect(same, res, 'updated');
  assert.equal(eventsOf(same), 0, 'unchanged versions: no pile_change');
  assert.deepEqual(C.audit('pile', p.id, "AND a.action = 'update'").map((a) => a.field), ['serial_no']);
  const sw2 = `b${C.cjk(31)}`;
  const changed = await admin.post(`${res.path}/${p.id}`, await editForm(p.id, { sw_version: sw2 }));
  C.assertRedirect(changed, res, 'updated');
  assert.deepEqual(events(p.id).slice(1).map((e) => [e[0], e[6]]), [['pile_change', `sw_version: ${sw} -> ${sw2}`]]);
  assert.equal(scalar('SELECT sw_version FROM piles WHERE id = ?', p.id), sw2);
});

test('bad input on create: 422 (or 409) with the field marked, nothing written', async () => {
  const mf = MF_XC;
  const cases = [
    [{ code: '' }, 'code', '必填'],
    [{ company_id: '' }, 'company_id', '必填'],
    [{ state: '' }, 'state', '必填'],
    [{ code: 'P'.repeat(33) }, 'code', '最多 32 个字符'],
    [{ code: 'P 1/2' }, 'code', '只能包含字母、数字、-、_、.'],
    [{ serial_no: C.cjk(65) }, 'serial_no', '最多 64 个字符'],
    [{ sw_version: C.cjk(33) }, 'sw_version', '最多 32 个字符'],
    [{ hw_version: 'x\ny' }, 'hw_version', '不能包含换行'],
    [{ tariff: 'abc' }, 'tariff', '请输入数字，最多 4 位小数'],
    [{ tariff: '0.12345' }, 'tariff', '请输入数字，最多 4 位小数'],
    [{ tariff: '100.0001' }, 'tariff', '数值不能大于 100'],
    [{ tariff: '-0.5' }, 'tariff', '数值过小'],
    [{ commissioned_on: '2024-02-30' }, 'commissioned_on', '日期格式应为 YYYY-MM-DD'],
    [{ commissioned_on: 'yesterday' }, 'commissioned_on', '日期格式应为 YYYY-MM-DD'],
    [{ product_id: 'abc' }, 'product_id', '所选记录不存在或无权使用'],
    [{ product_id: 999999999 }, 'product_id', '所选记录不存在或无权使用'],
    [{ company_id: 999999999 }, 'company_id', '所选记录不存在或无权使用'],
    [{ company_id: mf }, 'company_id', '所选记录不存在或无权使用'], // a manufacturer is no city company
    [{ warehouse_id: 999999999 }, 'warehouse_id', '所选记录不存在或无权使用'],
    [{ warehouse_id: '1.5' }, 'warehouse_id', '所选记录不存在或无权使用'],
    [{ leased_from_id: SZ }, 'leased_from_id', '所选记录不存在或无权使用'], // not a lessor
    [{ state: 'flying' }, 'state', '请从列表中选择'],
    [{ state: 'installed' }, 'state', '新登记的桩状态为“在库”'],
    [{ state: 'operating' }, 'state', '新登记的桩状态为“在库”'],
  ];
  for (const [over, field, msg] of cases) {
    const f = pile(over);
    const r = await admin.post(res.path, f);
    C.assertRefused(r, 422, '请修正标出的字段。');
    C.assertFieldMessage(r, field, msg);
    assert.equal(eventsOf(r), 0);
    if (f.code) assert.equal(C.countWhere('piles', 'code', f.code), 0, JSON.stringify(over));
  }
  // Exactly the limits are accepted.
  const ok = await newPile({ serial_no: C.cjk(64), sw_version: C.cjk(32), tariff: '100', code: `${PFX}-${'L'.repeat(32 - PFX.length - 1)}` });
  assert.deepEqual(sql('SELECT CHAR_LENGTH(serial_no), CHAR_LENGTH(sw_version), tariff, CHAR_LENGTH(code) FROM piles WHERE id = ?', ok.id)[0],
    ['64', '32', '100.0000', '32']);
  // Duplicate code: 409, the code marked, one row.
  const dup = await admin.post(res.path, pile({ code: A.code, serial_no: 'DUP' }));
  C.assertRefused(dup, 409);
  C.assertFieldMessage(dup, 'code', '已存在相同的记录');
  assert.equal(C.countWhere('piles', 'code', A.code), 1);
  assert.equal(eventsOf(dup), 0);
});

test('bad edits: stale version 409, state outside installed/operating/repair or a step not allowed 422; nothing written', async () => {
  const p = await newPile();
  const form = C.browserForm((await C.edit(admin, res, p.id)).text);
  // In stock → installed/operating by the form: only bind may do that.
  for (const state of ['installed', 'operating', 'repair', 'scrapped', 'sold']) {
    const r = await assertNothing(p.id, () => admin.post(`${res.path}/${p.id}`, { ...form, state }));
    C.assertRefused(r, 422, '请修正标出的字段。');
    C.assertFieldMessage(r, 'state', '此处只能在 已安装、运营、维修中 之间变更；出入库、返修等请用相应单据');
  }
  // Field errors on edit.
  const bad = await assertNothing(p.id, () => admin.post(`${res.path}/${p.id}`, { ...form, tariff: '1.23456', company_id: MF_XC }));
  C.assertRefused(bad, 422);
  C.assertFieldMessage(bad, 'tariff', '请输入数字，最多 4 位小数');
  C.assertFieldMessage(bad, 'company_id', '所选记录不存在或无权使用');
  // Stale: someone saved in between.
  const v = C.versionOf(res, p.id);
  C.assertRedirect(await admin.post(`${res.path}/${p.id}`, { ...form, sw_version: '他人版本' }), res, 'updated');
  const stale = await assertNothing(p.id, () => admin.post(`${res.path}/${p.id}`, { ...form, sw_version: '我的版本', version: v }));
  C.assertRefused(stale, 409, '该记录已被他人修改');
  assert.equal(C.formValue(stale.text, 'sw_version'), '他人版本');
  assert.match(stale.text, /您的输入: 我的版本/);
  // No version at all: 400.
  const { version: _v, ...noVersion } = form;
  const nv = await assertNothing(p.id, () => admin.post(`${res.path}/${p.id}`, noVersion));
  assert.equal(nv.status, 400);
  // Duplicate code on edit cannot happen (code fixed after creation): a sent one is ignored.

  // Bound (installed): installed → operating → repair → operating are allowed, each on the ledger.
  const st = await newStation({ expected_piles: 1 });
  assert.equal((await admin.post(`${res.path}/${p.id}/bind`, { station_id: st.id })).status, 303);
  const edit = async (state) => admin.post(`${res.path}/${p.id}`, { ...C.browserForm((await C.edit(admin, res, p.id)).text), state });
  for (const [from, to] of [['installed', 'operating'], ['operating', 'repair'], ['repair', 'operating']]) {
    const r = await edit(to);
    C.assertRedirect(r, res, 'updated');
    // (Into operation the first time, 投运日期 follows: tests/http/asset_pile_commission.test.mjs.)
    assert.deepEqual(events(p.id).filter((e) => e[0] === 'pile_state').at(-1).slice(0, 6), ['pile_state', '', from, to, '', '']);
    assert.deepEqual(C.audit('pile', p.id, "AND a.field = 'state'").at(-1).new_value, to);
  }
  // operating → installed is no step of the machine; → in_stock / at_supplier / lease_ended are not for this form.
  for (const state of ['installed', 'in_stock', 'at_supplier', 'lease_ended', 'scrapped']) {
    const r = await assertNothing(p.id, () => edit(state));
    C.assertRefused(r, 422);
    C.assertFieldMessage(r, 'state', '此处只能在 已安装、运营、维修中 之间变更；出入库、返修等请用相应单据');
  }
  // Leave it unbound in stock (repair → in_stock through unbind).
  assert.equal((await edit('repair')).status, 303);
  assert.equal((await admin.post(`${res.path}/${p.id}/unbind`, { warehouse_id: WH_SZ1 })).status, 303);
  assert.deepEqual(pileRow(p.id).slice(0, 4), ['in_stock', 'warehouse', '0', String(WH_SZ1)]);
  assert.deepEqual(events(p.id).at(-1).slice(0, 6), ['pile_unbind', String(st.id), 'repair', 'in_stock', `station:${st.id}`, `warehouse:${WH_SZ1}`]);
});

test('delete: allowed right after creation, refused (409) once the pile has ledger events', async () => {
  const fresh = await newPile();
  const r = await C.del(admin, res, fresh.id);
  C.assertRedirect(r, res, 'deleted');
  assert.equal(C.countWhere('piles', 'id', fresh.id), 0);
  assert.deepEqual(C.audit('pile', fresh.id).map((a) => [a.action, a.old_value]), [['create', null], ['delete', fresh.code]]);
  made.piles.splice(made.piles.indexOf(fresh.id), 1);
  // A, with pile_change events, and D, bound: refused with the count, nothing written.
  for (const p of [A, D]) {
    const n = scalar("SELECT COUNT(*) FROM asset_events WHERE pile_id = ? AND kind <> 'pile_create'", p.id);
    assert.ok(n > 0);
    const d = await assertNothing(p.id, () => C.del(admin, res, p.id));
    C.assertRefused(d, 409, `该桩已有 ${n} 条资产变动记录，不能删除，请走报废等流程。`);
  }
  await C.assertNotFound(admin, res, pile());
});

// ---------------------------------------------------------------- bind / unbind

test('bind: an in-stock pile with a product goes to the station, installed, pile_bind from warehouse to station', async () => {
  const p = await newPile({ warehouse_id: WH_SZ2 });
  const st = await newStation({ expected_piles: 1 });
  const r = await admin.post(`${res.path}/${p.id}/bind`, { station_id: st.id });
  assert.equal(r.status, 303, C.alertText(r.text));
  assert.equal(r.headers.get('location'), `${res.path}/${p.id}?flash=bound`);
  assert.deepEqual(pileRow(p.id), ['installed', 'station', String(st.id), '0', '2']);
  assert.deepEqual(events(p.id).at(-1), ['pile_bind', String(st.id), 'in_stock', 'installed', `warehouse:${WH_SZ2}`, `station:${st.id}`, '']);
  assert.equal(eventsOf(r), 1);
  assert.deepEqual(C.audit('pile', p.id, "AND a.field = 'station_id'").map((a) => [a.old_value, a.new_value, a.user]), [[null, String(st.id), 'admin']]);
  const card = await admin.get(`${res.path}/${p.id}?flash=bound`);
  assert.equal(card.status, 200);
  assert.match(card.text, /<div class="alert alert-success" role="status">已绑定到充电站。<\/div>/);
  assert.match(card.text, /<span class="tag tag-installed">已安装<\/span>/);
  assert.ok(card.text.includes(`href="/asset/stations/${st.id}">${st.code} ${st.name}</a>`));
  assert.match(card.text, /action="\/asset\/piles\/\d+\/unbind"/, 'the card now offers unbinding');
  assert.doesNotMatch(card.text, /action="\/asset\/piles\/\d+\/bind"/);
  // The list shows it at the station.
  const l = await C.list(admin, res, { q: p.code });
  assert.deepEqual([l.rows[0][5], l.rows[0][6]], ['已安装', `${st.code} ${st.name}`]);
});

test('bind refusals change nothing: no product, already here, elsewhere, not in stock, closed, unknown station', async () => {
  const st = await newStation({ expected_piles: 2 });
  const other = await newStation({ expected_piles: 2 });
  const closed = await newStation({ state: 'closed' });
  const noProduct = await newPile({ product_id: '' });
  let r = await assertNothing(noProduct.id, () => admin.post(`${res.path}/${noProduct.id}/bind`, { station_id: st.id }));
  C.assertRefused(r, 409, '该桩尚未绑定产品，请先绑定产品信息');

  const p = await newPile();
  assert.equal((await admin.post(`${res.path}/${p.id}/bind`, { station_id: st.id })).status, 303);
  r = await assertNothing(p.id, () => admin.post(`${res.path}/${p.id}/bind`, { station_id: st.id }));
  C.assertRefused(r, 409, '该桩已绑定到此充电站');
  r = await assertNothing(p.id, () => admin.post(`${res.path}/${p.id}/bind`, { station_id: other.id }));
  C.assertRefused(r, 409, '该桩已绑定到其它充电站，请先解绑');

  const q = await newPile();
  r = await assertNothing(q.id, () => admin.post(`${res.path}/${q.id}/bind`, { station_id: closed.id }));
  C.assertRefused(r, 409, '该充电站已撤站，不能绑定');
  for (const sid of [999999999, 'abc', 0, -1]) {
    r = await assertNothing(q.id, () => admin.post(`${res.path}/${q.id}/bind`, { station_id: sid }));
    C.assertRefused(r, 422, '请选择本公司范围内的充电站');
    C.assertFieldMessage(r, 'station_id', '所选记录不存在或无权使用');
  }
  r = await assertNothing(q.id, () => admin.post(`${res.path}/${q.id}/bind`, { station_id: '' }));
  C.assertRefused(r, 422, '请选择本公司范围内的充电站');
  C.assertFieldMessage(r, 'station_id', '必填');
  // The card picks the station by its code or name (no list of stations); a closed one's
  // code typed in is refused by the binding itself.
  const card = await admin.get(`${res.path}/${q.id}`);
  assert.ok(!card.text.includes(`<option value="${st.id}">`));
  assert.match(card.text, /data-picker="\/asset\/stations\/pick"/);
  r = await assertNothing(q.id, () => admin.post(`${res.path}/${q.id}/bind`, { station_code: closed.code }));
  C.assertRefused(r, 409, '该充电站已撤站，不能绑定');

  // Not in stock without a station: no page leads there yet (documents do), so set it by SQL
  // for the check and restore it — the ledger still says in_stock.
  try {
    sql("UPDATE piles SET state = 'lent' WHERE id = ?", q.id);
    r = await assertNothing(q.id, () => admin.post(`${res.path}/${q.id}/bind`, { station_id: st.id }));
    C.assertRefused(r, 409, '只有在库的桩可以绑定充电站');
  } finally {
    sql("UPDATE piles SET state = 'in_stock' WHERE id = ?", q.id);
  }
  // Unknown pile: 404.
  const u = await admin.post(`${res.path}/999999999/bind`, { station_id: st.id });
  assert.equal(u.status, 404);
  assert.equal(C.auditOf(u) + eventsOf(u), 0);
});

test('unbind into a warehouse and into nowhere; unbinding an unbound pile is 409; the card lists the ledger newest first', async () => {
  const st = await newStation({ expected_piles: 1 });
  const p = await newPile();
  assert.equal((await admin.post(`${res.path}/${p.id}/bind`, { station_id: st.id })).status, 303);
  // A bad warehouse: 422, still bound.
  for (const wid of [999999999, 'abc', -2]) {
    const r = await assertNothing(p.id, () => admin.post(`${res.path}/${p.id}/unbind`, { warehouse_id: wid }));
    C.assertRefused(r, 422);
    assert.equal(r.text.includes('所选记录不存在或无权使用'), true);
  }
  const r = await admin.post(`${res.path}/${p.id}/unbind`, { warehouse_id: WH_SZ2 });
  assert.equal(r.status, 303, C.alertText(r.text));
  assert.equal(r.headers.get('location'), `${res.path}/${p.id}?flash=unbound`);
  assert.deepEqual(pileRow(p.id).slice(0, 4), ['in_stock', 'warehouse', '0', String(WH_SZ2)]);
  assert.deepEqual(events(p.id).at(-1), ['pile_unbind', String(st.id), 'installed', 'in_stock', `station:${st.id}`, `warehouse:${WH_SZ2}`, '']);
  assert.deepEqual(C.audit('pile', p.id, "AND a.field = 'station_id'").map((a) => [a.old_value, a.new_value]), [[null, String(st.id)], [String(st.id), null]]);
  // Again: not bound, 409.
  const again = await assertNothing(p.id, () => admin.post(`${res.path}/${p.id}/unbind`, { warehouse_id: WH_SZ1 }));
  C.assertRefused(again, 409, '该桩未绑定充电站');
  const none = await assertNothing(p.id, () => admin.post(`${res.path}/${p.id}/unbind`));
  C.assertRefused(none, 409, '该桩未绑定充电站');
  // Bind again and unbind into nowhere.
  assert.equal((await admin.post(`${res.path}/${p.id}/bind`, { station_id: st.id })).status, 303);
  assert.deepEqual(events(p.id).at(-1).slice(4, 6), [`warehouse:${WH_SZ2}`, `station:${st.id}`]);
  const n = await admin.post(`${res.path}/${p.id}/unbind`, { warehouse_id: '' });
  assert.equal(n.status, 303);
  assert.deepEqual(pileRow(p.id).slice(0, 4), ['in_stock', 'none', '0', '0']);
  assert.deepEqual(events(p.id).at(-1).slice(0, 6), ['pile_unbind', String(st.id), 'installed', 'in_stock', `station:${st.id}`, 'none']);

  const card = await admin.get(`${res.path}/${p.id}?flash=unbound`);
  assert.equal(card.status, 200);
  assert.match(card.text, /role="status">已从充电站解绑。</);
  const rows = C.tableRows(card.text.slice(card.text.indexOf('资产变动记录')));
  // Places are shown by name: the station's code and name, the warehouse's name.
  const stName = scalar("SELECT CONCAT(code, ' ', name) FROM stations WHERE id = ?", st.id);
  const wh1 = scalar('SELECT name FROM warehouses WHERE id = ?', WH_SZ1);
  const wh2 = scalar('SELECT name FROM warehouses WHERE id = ?', WH_SZ2);
  assert.deepEqual(rows.map((row) => [row[1], row[2], row[3], row[5]]), [
    ['解绑', '已安装 → 在库', `${stName} → —`, '系统管理员'],
    ['绑定充电站', '在库 → 已安装', `${wh2} → ${stName}`, '系统管理员'],
    ['解绑', '已安装 → 在库', `${stName} → ${wh2}`, '系统管理员'],
    ['绑定充电站', '在库 → 已安装', `${wh1} → ${stName}`, '系统管理员'],
    ['登记', '在库', wh1, '系统管理员'],
  ]);
  assert.match(card.text, /action="\/asset\/piles\/\d+\/bind"/);
  // Unknown pile, unknown card: 404.
  assert.equal((await admin.post(`${res.path}/999999999/unbind`)).status, 404);
  for (const bad of ['999999999', 'abc', '0']) assert.equal((await admin.get(`${res.path}/${bad}`)).status, 404, bad);
});

// ---------------------------------------------------------------- data scope

test('warehouse user (CC-SZ, asset_edit): only CC-SZ piles in list, export and card; 404 for another company\'s', async () => {
  const wh = await as('warehouse');
  const l = await C.list(wh, res, { q: PFX, per: 100 });
  assert.equal(l.status, 200);
  const seen = listIds(l.text);
  assert.ok(seen.includes(A.id) && seen.includes(B.id) && seen.includes(D.id));
  assert.ok(!seen.includes(Hz.id) && !l.text.includes(Hz.code));
  assert.ok(l.rows.every((row) => row[7] === SZ_NAME));
  assert.deepEqual(await ids(wh, { q: PFX, company_id: HZ }), []);
  assert.deepEqual(await ids(wh, { q: Hz.code }), []);
  // Without a keyword too: nothing but CC-SZ.
  const every = await C.list(wh, res, { per: 100, sort: 'company' });
  assert.ok(every.rows.length > 0 && every.rows.every((row) => row[7] === SZ_NAME));
  const ex = C.assertCsv(await C.exportFile(wh, res, { fmt: 'csv', q: PFX }), HEADER).slice(1);
  assert.ok(ex.length >= 3 && ex.every((row) => row[7] === SZ_NAME));
  assert.ok(ex.some((row) => row[0] === A.code) && !ex.some((row) => row[0] === Hz.code));
  C.assertXlsx(await C.exportFile(wh, res, { fmt: 'xlsx', q: PFX }));
  // The card of its own pile; another company's is 404 everywhere, and nothing is written.
  assert.equal((await wh.get(`${res.path}/${A.id}`)).status, 200);
  const hzForm = await editForm(Hz.id);
  const hzStation = await newStation({ company_id: HZ, city_id: HANGZHOU, expected_piles: 0 });
  const before = C.rowOf('piles', Hz.id);
  for (const [method, p, body] of [
    ['get', `${res.path}/${Hz.id}`], ['get', `${res.path}/${Hz.id}/edit`],
    ['post', `${res.path}/${Hz.id}`, { ...hzForm, sw_version: 'hack' }], ['post', `${res.path}/${Hz.id}/delete`, {}],
    ['post', `${res.path}/${Hz.id}/bind`, { station_id: hzStation.id }], ['post', `${res.path}/${Hz.id}/unbind`, { warehouse_id: WH_HZ1 }],
  ]) {
    const r = method === 'get' ? await wh.get(p) : await wh.post(p, body);
    assert.equal(r.status, 404, `${method} ${p}`);
    assert.ok(!r.text.includes(Hz.code), 'the other company\'s pile is not shown');
    if (method === 'post') assert.equal(C.auditOf(r) + eventsOf(r), 0);
  }
  assert.deepEqual(C.rowOf('piles', Hz.id), before);

  // Its own pile: created for CC-SZ; another company or its warehouse is refused.
  const own = await newPile({ warehouse_id: WH_SZ1 }, wh);
  assert.equal(scalar('SELECT company_id FROM piles WHERE id = ?', own.id), SZ);
  for (const [over, field] of [[{ warehouse_id: WH_HZ1 }, 'warehouse_id'], [{ company_id: HZ, warehouse_id: '' }, 'company_id']]) {
    const f = pile(over);
    const r = await wh.post(res.path, f);
    C.assertRefused(r, 422);
    C.assertFieldMessage(r, field, '所选记录不存在或无权使用');
    assert.equal(C.countWhere('piles', 'code', f.code), 0);
  }
  // New pile form: the company is preset and only its own is offered.
  const nf = await wh.get(`${res.path}/new`);
  assert.equal(C.formValue(nf.text, 'company_id'), String(SZ));
  assert.deepEqual(C.selectOptions(nf.text, 'company_id'), [String(SZ)]);
  assert.ok(!nf.text.includes('WH-HZ-01'));
  // Binding its pile to another company's station: 422; to its own: fine; its card offers only CC-SZ stations.
  const card = await wh.get(`${res.path}/${own.id}`);
  assert.equal(card.status, 200);
  assert.ok(!card.text.includes(hzStation.code));
  const r = await assertNothing(own.id, () => wh.post(`${res.path}/${own.id}/bind`, { station_id: hzStation.id }));
  C.assertRefused(r, 422);
  C.assertFieldMessage(r, 'station_id', '所选记录不存在或无权使用');
  const szStation = await newStation({ expected_piles: 1 });
  const ok = await wh.post(`${res.path}/${own.id}/bind`, { station_id: szStation.id });
  assert.equal(ok.status, 303, C.alertText(ok.text));
  // Unbinding into another company's warehouse: 422; into its own: fine.
  const u = await assertNothing(own.id, () => wh.post(`${res.path}/${own.id}/unbind`, { warehouse_id: WH_HZ1 }));
  C.assertRefused(u, 422);
  assert.equal((await wh.post(`${res.path}/${own.id}/unbind`, { warehouse_id: WH_SZ2 })).status, 303);
  assert.deepEqual(events(own.id).map((e) => e[0]), ['pile_create', 'pile_bind', 'pile_unbind']);
  assert.deepEqual(sql('SELECT DISTINCT u.username FROM asset_events e JOIN users u ON u.id = e.user_id WHERE e.pile_id = ?', own.id), [['warehouse']]);
});

test('inspector2 (CC-HZ, view only): sees CC-HZ piles, 403 on create, edit and bind', async () => {
  const ins = await as('inspector2');
  const l = await C.list(ins, res, { q: PFX, per: 100 });
  assert.equal(l.status, 200);
  assert.deepEqual(listIds(l.text), [Hz.id]);
  assert.ok(!l.text.includes(A.code));
  assert.deepEqual(l.ids, [], 'no edit links');
  assert.doesNotMatch(l.text, /href="\/asset\/piles\/new"/);
  const ex = C.parseCsv((await C.exportFile(ins, res, { fmt: 'csv', q: PFX })).text).slice(1);
  assert.deepEqual(ex.map((row) => row[0]), [Hz.code]);
  const card = await ins.get(`${res.path}/${Hz.id}`);
  assert.equal(card.status, 200);
  assert.doesNotMatch(card.text, /\/bind"|\/unbind"|编辑桩信息/);
  assert.equal((await ins.get(`${res.path}/${A.id}`)).status, 404);
  const st = made.stations[0];
  const before = C.rowOf('piles', Hz.id);
  assert.equal((await ins.get(`${res.path}/new`)).status, 403);
  const f = pile({ company_id: HZ, warehouse_id: WH_HZ1 });
  assert.equal((await ins.post(res.path, f)).status, 403);
  assert.equal(C.countWhere('piles', 'code', f.code), 0);
  assert.equal((await ins.get(`${res.path}/${Hz.id}/edit`)).status, 403);
  assert.equal((await ins.post(`${res.path}/${Hz.id}`, await editForm(Hz.id, { sw_version: 'x' }))).status, 403);
  assert.equal((await ins.post(`${res.path}/${Hz.id}/bind`, { station_id: st })).status, 403);
  assert.equal((await ins.post(`${res.path}/${Hz.id}/unbind`, {})).status, 403);
  assert.equal((await ins.post(`${res.path}/${Hz.id}/delete`, {})).status, 403);
  assert.deepEqual(C.rowOf('piles', Hz.id), before);
});

test('supplier: 403 everywhere under /asset/', async () => {
  const sup = await as('supplier');
  const before = C.rowOf('piles', A.id);
  for (const p of [res.path, `${res.path}/export?fmt=csv`, `${res.path}/new`, `${res.path}/${A.id}`, `${res.path}/${A.id}/edit`,
    '/asset/anomalies', '/asset/anomalies/export?fmt=csv', '/asset/stations']) {
    const r = await sup.get(p);
    assert.equal(r.status, 403, p);
    assert.ok(!r.text.includes(A.code));
  }
  for (const [p, body] of [[res.path, pile()], [`${res.path}/${A.id}`, { ...A, version: C.versionOf(res, A.id) }],
    [`${res.path}/${A.id}/bind`, { station_id: made.stations[0] }], [`${res.path}/${A.id}/unbind`, {}], [`${res.path}/${A.id}/delete`, {}]]) {
    const r = await sup.post(p, body);
    assert.equal(r.status, 403, p);
    assert.equal(C.auditOf(r) + eventsOf(r), 0);
  }
  assert.deepEqual(C.rowOf('piles', A.id), before);
});

// ---------------------------------------------------------------- the ledger explains every pile of this run

test('ledger verification: no drift for the piles and stations of this run', () => {
  const text = readFileSync(path.join(process.env.CA_ROOT ?? process.cwd(), 'db/verify.sql'), 'utf8')
    .split('\n').filter((l) => !l.startsWith('--')).join('\n');
  const drift = sql(text);
  const mine = drift.filter(([what, id]) => (what === 'pile' ? made.piles : made.stations).includes(Number(id)));
  assert.deepEqual(mine, []);
  assert.ok(made.piles.length >= 10 && made.stations.length >= 8);
});
