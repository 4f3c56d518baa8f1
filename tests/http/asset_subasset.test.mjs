// Station facilities (站内设施: 电缆/雨棚/变压器/弱电/基建, F4.1): each kind with its required
// measure and the list's measure column, CRUD cycle as admin, validation, and the data scope
// (a facility is in a user's scope when its station is).  The stations are made here too.
import { test, before, after } from 'node:test';
import { as, sql, scalar, assert } from './lib.mjs';
import * as C from './crud.mjs';

const res = { path: '/asset/subassets', table: 'sub_assets', entity: 'subasset', key: 'name' };
const ST = { path: '/asset/stations', table: 'stations', entity: 'station', key: 'code' };
const HEADER = ['充电站', '类型', '名称', '型号', '规格/数量', '施工单位', '造价(元)', '完工日期', '所属公司'];
const SZ = C.idOf('companies', 'code', 'CC-SZ');
const HZ = C.idOf('companies', 'code', 'CC-HZ');
const SUZHOU = C.idOf('cities', 'code', '320500');
const WUXI = C.idOf('cities', 'code', '320200');
const HANGZHOU = C.idOf('cities', 'code', '330100');
const SZ_NAME = '蓝途充电（苏州）有限公司';
const HZ_NAME = '蓝途充电（杭州）有限公司';
const PREFIX = C.ucode('SAT', 11);
let seq = 0;
let admin;

// The stations: two of CC-SZ (Suzhou, Wuxi) and one of CC-HZ.
const stations = {
  a: { code: `${PREFIX}-A`, name: `设施测试甲站${PREFIX}`, company_id: SZ, city_id: SUZHOU, state: 'operating', expected_piles: '0' },
  b: { code: `${PREFIX}-B`, name: `设施测试乙站${PREFIX}`, company_id: SZ, city_id: WUXI, state: 'building', expected_piles: '0' },
  h: { code: `${PREFIX}-H`, name: `设施测试杭站${PREFIX}`, company_id: HZ, city_id: HANGZHOU, state: 'operating', expected_piles: '0' },
};
const sid = {};

before(async () => {
  admin = await as('admin');
  for (const [k, f] of Object.entries(stations)) {
    const r = await C.create(admin, ST, f);
    C.assertRedirect(r, ST, 'created');
    sid[k] = r.id;
  }
});

// Whatever a failed test left behind goes at the end; passing tests delete through the pages.
after(() => {
  for (const id of Object.values(sid)) {
    sql('DELETE FROM sub_assets WHERE station_id = ?', id);
    sql('DELETE FROM stations WHERE id = ?', id);
  }
});

const KIND = { cable: '电缆', canopy: '雨棚', transformer: '变压器', lv_works: '弱电监控', civil_works: '基建工程' };
const MEASURE = { cable: 'length_m', canopy: 'area_m2', transformer: 'capacity_kva', lv_works: 'contractor', civil_works: 'contractor' };

function sub(over = {}) {
  const n = String(++seq).padStart(2, '0');
  return {
    station_id: sid.a, kind: 'cable', name: `主进线电缆${PREFIX}-${n}`, model: 'YJV22-0.6/1kV-3x95+1x50',
    length_m: '120.5', area_m2: '', capacity_kva: '', contractor: '诚远电力安装工程有限公司', cost: '38560',
    completed_on: '2026-03-15', note: '竣工资料已归档', ...over,
  };
}

function stationLabel(k) {
  return `${stations[k].code} ${stations[k].name}`;
}

/** asset_events rows written by the request of this response (facilities write none). */
function eventsOf(r) {
  return scalar('SELECT COUNT(*) FROM asset_events WHERE request_id = ? AND at > UTC_TIMESTAMP(6) - INTERVAL 10 MINUTE', r.headers.get('x-request-id'));
}

const made = {};

test('create one facility of each kind with its measure: 303, row stored, audit "create"', async () => {
  const forms = {
    cable: sub(),
    canopy: sub({ kind: 'canopy', name: `钢结构充电雨棚${PREFIX}`, model: '', length_m: '', area_m2: '256', contractor: '明拓钢结构工程有限公司', cost: '166400', completed_on: '2026-02-20' }),
    transformer: sub({ kind: 'transformer', name: `箱式变电站${PREFIX}`, model: 'YBM-10/0.4-630kVA', length_m: '', capacity_kva: '630', cost: '', completed_on: '' }),
    lv_works: sub({ kind: 'lv_works', name: `视频监控及门禁系统${PREFIX}`, model: '', length_m: '', contractor: '青禾智能科技有限公司', cost: '45000', completed_on: '2026-03-01' }),
    civil_works: sub({ kind: 'civil_works', name: `场地硬化及车位划线${PREFIX}`, model: '', length_m: '', contractor: '正和建设集团有限公司', cost: '', completed_on: '2026-01-10', note: '' }),
  };
  for (const [kind, f] of Object.entries(forms)) {
    const r = await C.create(admin, res, f);
    C.assertRedirect(r, res, 'created');
    made[kind] = { ...f, id: r.id };
    assert.deepEqual(sql(`SELECT station_id, kind, name, model, length_m, area_m2, capacity_kva, contractor, cost,
        completed_on, note, version FROM sub_assets WHERE id = ?`, r.id)[0],
    [String(sid.a), kind, f.name, f.model || null,
      f.length_m ? Number(f.length_m).toFixed(2) : null, f.area_m2 ? Number(f.area_m2).toFixed(2) : null,
      f.capacity_kva ? Number(f.capacity_kva).toFixed(2) : null, f.contractor || null,
      f.cost ? Number(f.cost).toFixed(2) : null, f.completed_on || null, f.note || null, '1'], kind);
    assert.deepEqual(C.audit('subasset', r.id).map((a) => [a.action, a.user, a.new_value]), [['create', 'admin', f.name]]);
    assert.equal(eventsOf(r), 0, 'a facility is not a ledger event');
  }
});

test('list: kind names and each kind\'s measure in the measure column', async () => {
  const l = await C.list(admin, res, { station_id: sid.a, sort: 'kind', dir: 'asc' });
  assert.equal(l.status, 200);
  const byName = Object.fromEntries(l.rows.map((row) => [row[2], row]));
  const want = {
    cable: [stationLabel('a'), '电缆', made.cable.name, made.cable.model, '120.50 m', '诚远电力安装工程有限公司', '38,560.00', '2026-03-15', SZ_NAME],
    canopy: [stationLabel('a'), '雨棚', made.canopy.name, '', '256.00 m²', '明拓钢结构工程有限公司', '166,400.00', '2026-02-20', SZ_NAME],
    transformer: [stationLabel('a'), '变压器', made.transformer.name, 'YBM-10/0.4-630kVA', '630.00 kVA', '诚远电力安装工程有限公司', '', '', SZ_NAME],
    lv_works: [stationLabel('a'), '弱电监控', made.lv_works.name, '', '', '青禾智能科技有限公司', '45,000.00', '2026-03-01', SZ_NAME],
    civil_works: [stationLabel('a'), '基建工程', made.civil_works.name, '', '', '正和建设集团有限公司', '', '2026-01-10', SZ_NAME],
  };
  assert.equal(l.rows.length, 5);
  for (const [kind, row] of Object.entries(want)) assert.deepEqual(byName[made[kind].name].slice(0, 9), row, kind);
  // Money is a cell of its own that never breaks: right-aligned, nowrap (assets/css .money).
  assert.match(l.text, /<td class="text-end num money col-cost" data-label="造价\(元\)">38,560\.00<\/td>/);
  // Sorted by kind code: canopy, civil_works, cable … in the collation's order, reversed for desc.
  const desc = await C.list(admin, res, { station_id: sid.a, sort: 'kind', dir: 'desc' });
  assert.deepEqual(desc.ids, [...l.ids].reverse());
  assert.deepEqual(l.ids, Object.keys(KIND).sort().map((k) => made[k].id));
  // The station cell links to the facility's edit page.
  assert.ok(l.text.includes(`href="${res.path}/${made.cable.id}/edit">${stationLabel('a')}</a>`));
});

test('each kind requires its own measure: 422 on that field, nothing written', async () => {
  for (const kind of Object.keys(KIND)) {
    const field = MEASURE[kind];
    // Every other measure given, only the kind's own missing.
    const f = sub({ kind, length_m: '10', area_m2: '20', capacity_kva: '400', contractor: '某施工单位', cost: '1000', [field]: '' });
    const r = await C.create(admin, res, f);
    C.assertRefused(r, 422, '请修正标出的字段。');
    C.assertFieldMessage(r, field, '必填');
    assert.equal(r.id, null, kind);
    assert.equal(C.formValue(r.text, 'kind'), kind, 'the chosen kind is kept');
  }
  // Only the own measure counts: a cable needs no area, a canopy no length.
  for (const [kind, over] of [['cable', { length_m: '15', contractor: '' }], ['canopy', { length_m: '', area_m2: '30', contractor: '' }],
    ['transformer', { length_m: '', capacity_kva: '250', contractor: '', cost: '' }], ['lv_works', { length_m: '', contractor: '卓信弱电工程有限公司', cost: '' }]]) {
    const r = await C.create(admin, res, sub({ kind, ...over }));
    C.assertRedirect(r, res, 'created');
    C.assertRedirect(await C.del(admin, res, r.id), res, 'deleted');
  }
});

test('list filters: keyword on name, model, station name and code; kind, station, company, city', async () => {
  const ids = async (params) => (await C.list(admin, res, { sort: 'name', ...params })).ids;
  const all5 = Object.keys(KIND).map((k) => made[k].id);
  const sorted = (a) => [...a].sort((x, y) => x - y);
  assert.deepEqual(await ids({ q: made.canopy.name }), [made.canopy.id], 'by name');
  assert.deepEqual(await ids({ q: 'YBM-10/0.4-630kVA', station_id: sid.a }), [made.transformer.id], 'by model');
  assert.deepEqual(sorted(await ids({ q: stations.a.name })), sorted(all5), 'by station name');
  assert.deepEqual(sorted(await ids({ q: stations.a.code })), sorted(all5), 'by station code');
  assert.deepEqual(await ids({ q: stations.a.code, kind: 'transformer' }), [made.transformer.id]);
  assert.deepEqual(sorted(await ids({ q: PREFIX, company_id: SZ, city_id: SUZHOU })), sorted(all5));
  assert.deepEqual(await ids({ q: PREFIX, company_id: HZ }), []);
  assert.deepEqual(await ids({ q: PREFIX, city_id: WUXI }), []);
  assert.deepEqual(await ids({ station_id: sid.b }), []);
  // % and _ in the keyword are literal.
  assert.deepEqual(await ids({ q: `${PREFIX}%` }), []);
  for (const bad of [{ kind: 'pile' }, { station_id: 'abc' }, { station_id: '0' }, { company_id: '-1' }, { city_id: '1x' }]) {
    assert.equal((await C.list(admin, res, bad)).status, 400, JSON.stringify(bad));
  }
  const page = await C.list(admin, res, { q: PREFIX });
  assert.deepEqual(C.selectOptions(page.text, 'kind'), Object.keys(KIND));
});

test('sort both ways: name, completed day, station, company', async () => {
  // A second station's facility: another station code, a later completion.
  const other = sub({ station_id: sid.b, name: `一号配电电缆${PREFIX}`, completed_on: '2026-06-30' });
  const r = await C.create(admin, res, other);
  C.assertRedirect(r, res, 'created');
  made.other = { ...other, id: r.id };
  const ids = async (sort, dir) => (await C.list(admin, res, { q: PREFIX, kind: 'cable', sort, dir })).ids;
  // 一号… and 主进线…: whatever the collation's order, desc is asc reversed and both hold the two.
  const byName = await ids('name', 'asc');
  assert.deepEqual(byName.slice().sort(), [made.cable.id, r.id].sort());
  assert.deepEqual(await ids('name', 'desc'), [...byName].reverse());
  assert.deepEqual(await ids('completed_on', 'asc'), [made.cable.id, r.id]);
  assert.deepEqual(await ids('completed_on', 'desc'), [r.id, made.cable.id]);
  assert.deepEqual(await ids('station', 'asc'), [made.cable.id, r.id], '-A before -B');
  assert.deepEqual(await ids('station', 'desc'), [r.id, made.cable.id]);
  const byCompany = await ids('company', 'asc');
  assert.deepEqual(await ids('company', 'desc'), [...byCompany].reverse());
});

test('new form: station and kind taken from the address; the station is a picker, no list of stations', async () => {
  const page = await admin.get(`${res.path}/new?station_id=${sid.b}&kind=transformer`);
  assert.equal(page.status, 200);
  // The picker's box shows the station; its hidden id is empty (the server reads the box).
  assert.equal(C.formValue(page.text, 'station_id'), stationLabel('b'));
  assert.match(page.text, /<input type="hidden" name="station_id" value="" data-picker-id>/);
  assert.match(page.text, /data-picker="\/asset\/stations\/pick"/);
  assert.ok(!/<select[^>]*name="station_id"/.test(page.text), 'no select of every station');
  assert.ok(!page.text.includes(`<option value="${sid.a}">`));
  assert.equal(C.formValue(page.text, 'kind'), 'transformer');
  assert.equal(C.formValue((await admin.get(`${res.path}/new?station_id=x&kind=pile`)).text, 'kind'), '');
});

test('edit page shows the stored values', async () => {
  const r = await C.edit(admin, res, made.cable.id);
  assert.equal(r.status, 200);
  const want = { ...made.cable, station_id: stationLabel('a'), length_m: '120.50', cost: '38560.00' };
  delete want.id;
  for (const f of Object.keys(want)) assert.equal(C.formValue(r.text, f), want[f], f);
});

test('update: 303, version+1, audit rows for exactly the changed fields', async () => {
  const f = { ...made.cable };
  delete f.id;
  const changed = { ...f, station_id: sid.b, length_m: '135', contractor: '海川机电安装有限公司', completed_on: '', cost: '38560.00' };
  const r = await C.update(admin, res, made.cable.id, changed);
  C.assertRedirect(r, res, 'updated');
  assert.deepEqual(sql('SELECT station_id, length_m, contractor, completed_on, cost, version FROM sub_assets WHERE id = ?', made.cable.id)[0],
    [String(sid.b), '135.00', '海川机电安装有限公司', null, '38560.00', '2']);
  const a = C.audit('subasset', made.cable.id, "AND a.action = 'update'").map((x) => [x.field, x.old_value, x.new_value]);
  assert.deepEqual(a.sort(), [
    ['completed_on', '2026-03-15', ''],
    ['contractor', '诚远电力安装工程有限公司', '海川机电安装有限公司'],
    ['length_m', '120.50', '135.00'],
    ['station_id', String(sid.a), String(sid.b)],
  ].sort(), '38560 and 38560.00 are the same cost: no record');
  assert.equal(eventsOf(r), 0);
  Object.assign(made.cable, changed, { length_m: '135.00' });
  // Another kind needs its own measure on update too.
  const before = C.rowOf('sub_assets', made.cable.id);
  const k = await C.update(admin, res, made.cable.id, { ...changed, kind: 'transformer' });
  C.assertRefused(k, 422);
  C.assertFieldMessage(k, 'capacity_kva', '必填');
  assert.deepEqual(C.rowOf('sub_assets', made.cable.id), before);
  // The update records page lists the change by field name.
  const rec = C.tableRows((await admin.get(`/base/records?entity=subasset&entity_id=${made.cable.id}`)).text);
  assert.ok(rec.some((row) => row.includes('施工单位') && row.includes('海川机电安装有限公司')));
  assert.ok(rec.some((row) => row.includes('长度(米)') && row.includes('135.00')));
});

test('export CSV and XLSX of the filtered list', async () => {
  const rows = C.assertCsv(await C.exportFile(admin, res, { fmt: 'csv', q: PREFIX, kind: 'canopy' }), HEADER);
  // Exports keep money a plain number.
  assert.deepEqual(rows.slice(1), [[stationLabel('a'), '雨棚', made.canopy.name, '', '256.00 m²', '明拓钢结构工程有限公司', '166400.00', '2026-02-20', SZ_NAME]]);
  const all = C.assertCsv(await C.exportFile(admin, res, { fmt: 'csv', q: PREFIX, sort: 'name' }), HEADER).slice(1);
  assert.equal(all.length, 6);
  C.assertXlsx(await C.exportFile(admin, res, { fmt: 'xlsx', q: PREFIX }));
});

test('every required field empty: 422, each marked, nothing written', async () => {
  const r = await admin.post(res.path, { station_id: '', kind: '', name: '', model: '', length_m: '' });
  C.assertRefused(r, 422, '请修正标出的字段。');
  for (const f of ['station_id', 'kind', 'name']) C.assertFieldMessage(r, f, '必填');
  assert.equal(C.countWhere('sub_assets', 'name', ''), 0);
});

test('over-long text counts characters: the limit is accepted, one more refused', async () => {
  const ok = sub({ name: C.cjk(100), model: 'M'.repeat(64), contractor: C.cjk(100), note: C.cjk(500) });
  const r = await admin.post(res.path, ok);
  C.assertRedirect(r, res, 'created');
  const okId = scalar('SELECT MAX(id) FROM sub_assets WHERE station_id = ? AND model = ?', sid.a, ok.model);
  assert.deepEqual(sql('SELECT CHAR_LENGTH(name), CHAR_LENGTH(contractor), CHAR_LENGTH(note) FROM sub_assets WHERE id = ?', okId)[0], ['100', '100', '500']);
  C.assertRedirect(await C.del(admin, res, okId), res, 'deleted');
  const count = () => C.countWhere('sub_assets', 'station_id', sid.a);
  const n0 = count();
  for (const [field, n, value] of [['name', 100], ['model', 64, 'M'.repeat(65)], ['contractor', 100], ['note', 500], ['length_m', 12, '1'.repeat(13)]]) {
    const bad = sub({ [field]: value ?? C.cjk(n + 1) });
    const b = await C.create(admin, res, bad);
    C.assertRefused(b, 422);
    C.assertFieldMessage(b, field, `最多 ${n} 个字符`);
    assert.equal(count(), n0, field);
  }
});

test('wrong values and references: 422 on the field, nothing written', async () => {
  const cases = [
    [{ length_m: 'long' }, 'length_m', '请输入数字，最多 2 位小数'],
    [{ length_m: '1.234' }, 'length_m', '请输入数字，最多 2 位小数'],
    [{ length_m: '0' }, 'length_m', '数值过小'],
    [{ length_m: '-5' }, 'length_m', '数值过小'],
    [{ length_m: '100000.01' }, 'length_m', '数值不能大于 100000'],
    [{ kind: 'canopy', area_m2: 'big' }, 'area_m2', '请输入数字，最多 2 位小数'],
    [{ kind: 'transformer', capacity_kva: '0' }, 'capacity_kva', '数值过小'],
    [{ cost: '-1' }, 'cost', '数值过小'],
    [{ cost: '12,000' }, 'cost', '请输入数字，最多 2 位小数'],
    [{ completed_on: '2026-13-01' }, 'completed_on', '日期格式应为 YYYY-MM-DD'],
    [{ completed_on: '15/03/2026' }, 'completed_on', '日期格式应为 YYYY-MM-DD'],
    [{ kind: 'pile' }, 'kind', '请从列表中选择'],
    [{ station_id: 999999999 }, 'station_id', '所选记录不存在或无权使用'],
    [{ station_id: 'abc' }, 'station_id', '所选记录不存在或无权使用'],
    [{ name: '一行\n两行' }, 'name', '不能包含换行'],
  ];
  for (const [over, field, msg] of cases) {
    const f = sub(over);
    const r = await C.create(admin, res, f);
    C.assertRefused(r, 422);
    C.assertFieldMessage(r, field, msg);
    assert.equal(C.countWhere('sub_assets', 'name', f.name), 0, JSON.stringify(over));
  }
});

test('stale edit: 409, the saved value shown with the user\'s input; DB keeps the other save', async () => {
  const f = { ...made.canopy };
  delete f.id;
  const v = C.versionOf(res, made.canopy.id);
  C.assertRedirect(await C.update(admin, res, made.canopy.id, { ...f, area_m2: '300' }, v), res, 'updated');
  const before = C.rowOf('sub_assets', made.canopy.id);
  const r = await C.update(admin, res, made.canopy.id, { ...f, area_m2: '280' }, v);
  C.assertRefused(r, 409, '该记录已被他人修改');
  assert.equal(C.formValue(r.text, 'area_m2'), '300.00');
  assert.match(r.text, /您的输入: 280/);
  assert.deepEqual(C.rowOf('sub_assets', made.canopy.id), before);
  made.canopy.area_m2 = '300.00';
});

test('unknown and non-numeric ids: 404', async () => {
  const f = { ...made.lv_works };
  delete f.id;
  await C.assertNotFound(admin, res, f);
});

// ---------------------------------------------------------------- data scope

let hzSub;
test('setup: a facility at the CC-HZ station', async () => {
  const f = sub({ station_id: sid.h, kind: 'transformer', name: `杭州箱变${PREFIX}`, capacity_kva: '800', length_m: '' });
  const r = await C.create(admin, res, f);
  C.assertRedirect(r, res, 'created');
  hzSub = { ...f, id: r.id };
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

const idsOf = (company) => new Set(sql('SELECT a.id FROM sub_assets a JOIN stations s ON s.id = a.station_id WHERE s.company_id = ?', company).map((r) => r[0]));

test('warehouse user (CC-SZ): list, export and station choices hold only CC-SZ', async () => {
  const wh = await as('warehouse');
  const s1 = idsOf(SZ);
  const l = await allPages(wh, { sort: 'station' });
  const s2 = idsOf(SZ);
  assert.equal(l.status, 200);
  assert.ok(l.rows.length >= 6 && l.rows.every((row) => row[8] === SZ_NAME), 'every row is CC-SZ');
  for (const i of l.ids) assert.ok(s1.has(String(i)) || s2.has(String(i)), `${i} is CC-SZ's`);
  for (const i of s1) if (s2.has(i)) assert.ok(l.ids.includes(Number(i)), `${i} of CC-SZ is listed`);
  assert.ok(!l.rows.some((row) => row[2] === hzSub.name || row[0].startsWith(stations.h.code)));
  const rows = C.assertCsv(await C.exportFile(wh, res, { fmt: 'csv' }), HEADER).slice(1);
  assert.ok(rows.length >= 6);
  assert.ok(rows.every((row) => row[8] === SZ_NAME));
  assert.ok(!rows.some((row) => row[2] === hzSub.name));
  assert.deepEqual((await C.list(wh, res, { q: PREFIX, company_id: HZ })).rows, []);
  assert.deepEqual((await C.list(wh, res, { station_id: sid.h })).rows, []);
  assert.deepEqual(C.parseCsv((await C.exportFile(wh, res, { fmt: 'csv', station_id: sid.h })).text).slice(1), []);
  // The form's picker offers CC-SZ's stations only.
  const page = await wh.get(`${res.path}/new`);
  assert.equal(page.status, 200);
  const pick = await wh.get(`/asset/stations/pick?q=${PREFIX}`);
  assert.equal(pick.status, 200);
  assert.deepEqual(pick.json().stations.map((s) => Number(s.id)).sort(), [sid.a, sid.b].sort());
});

test('warehouse user: another company\'s facility is 404; none on another company\'s station', async () => {
  const wh = await as('warehouse');
  const before = C.rowOf('sub_assets', hzSub.id);
  const e = await C.edit(wh, res, hzSub.id);
  assert.equal(e.status, 404);
  assert.ok(!e.text.includes(hzSub.name));
  const u = await wh.post(`${res.path}/${hzSub.id}`, { ...hzSub, capacity_kva: '1000', version: before.at(-3) });
  assert.equal(u.status, 404);
  const d = await C.del(wh, res, hzSub.id);
  assert.equal(d.status, 404);
  assert.equal(C.auditOf(u) + C.auditOf(d), 0);
  assert.deepEqual(C.rowOf('sub_assets', hzSub.id), before);

  const f = sub({ station_id: sid.h });
  const c = await C.create(wh, res, f);
  C.assertRefused(c, 422);
  C.assertFieldMessage(c, 'station_id', '所选记录不存在或无权使用');
  assert.equal(C.countWhere('sub_assets', 'name', f.name), 0);

  // Its own: created, cannot be moved to the CC-HZ station, deleted.
  const mine = sub({ station_id: sid.b });
  const m = await C.create(wh, res, mine);
  C.assertRedirect(m, res, 'created');
  assert.deepEqual(C.audit('subasset', m.id).map((a) => [a.action, a.user]), [['create', 'warehouse']]);
  const mv = await C.update(wh, res, m.id, { ...mine, station_id: sid.h });
  C.assertRefused(mv, 422);
  C.assertFieldMessage(mv, 'station_id', '所选记录不存在或无权使用');
  assert.equal(scalar('SELECT station_id FROM sub_assets WHERE id = ?', m.id), sid.b);
  C.assertRedirect(await C.del(wh, res, m.id), res, 'deleted');
});

test('inspector2 (CC-HZ, asset_view only): lists CC-HZ facilities only, 403 on every write', async () => {
  const ins = await as('inspector2');
  const l = await allPages(ins, { sort: 'station' });
  assert.equal(l.status, 200);
  assert.ok(l.rows.length >= 1 && l.rows.every((row) => row[8] === HZ_NAME));
  assert.deepEqual(l.ids, [], 'no edit links');
  assert.deepEqual((await C.list(ins, res, { q: PREFIX })).rows.map((row) => row[2]), [hzSub.name]);
  assert.equal((await ins.get(`${res.path}/new`)).status, 403);
  const f = sub({ station_id: sid.h, kind: 'canopy', area_m2: '10' });
  assert.equal((await ins.post(res.path, f)).status, 403);
  assert.equal(C.countWhere('sub_assets', 'name', f.name), 0);
  const before = C.rowOf('sub_assets', hzSub.id);
  assert.equal((await C.edit(ins, res, hzSub.id)).status, 403);
  assert.equal((await ins.post(`${res.path}/${hzSub.id}`, { ...hzSub, name: '改名', version: before.at(-3) })).status, 403);
  assert.equal((await C.del(ins, res, hzSub.id)).status, 403);
  assert.deepEqual(C.rowOf('sub_assets', hzSub.id), before);
});

test('leader sees every company\'s facilities and may not write; supplier gets 403', async () => {
  const leader = await as('leader');
  const l = await C.list(leader, res, { q: PREFIX, per: 100 });
  const names = l.rows.map((row) => row[2]);
  assert.ok(names.includes(hzSub.name) && names.includes(made.canopy.name));
  assert.deepEqual(l.ids, []);
  assert.equal((await leader.get(`${res.path}/new`)).status, 403);
  const before = C.rowOf('sub_assets', hzSub.id);
  assert.equal((await C.edit(leader, res, hzSub.id)).status, 403);
  assert.equal((await leader.post(`${res.path}/${hzSub.id}`, { ...hzSub, version: before.at(-3) })).status, 403);
  assert.equal((await C.del(leader, res, hzSub.id)).status, 403);
  const sup = await as('supplier');
  assert.equal((await sup.get(`${res.path}?q=${PREFIX}`)).status, 403);
  assert.equal((await C.edit(sup, res, hzSub.id)).status, 403);
  assert.equal((await sup.post(`${res.path}/${hzSub.id}`, { ...hzSub, version: before.at(-3) })).status, 403);
  assert.equal((await C.del(sup, res, hzSub.id)).status, 403);
  assert.deepEqual(C.rowOf('sub_assets', hzSub.id), before);
});

test('delete: 303, rows gone, audit "delete"; then the stations can go', async () => {
  const all = [...Object.keys(KIND).map((k) => made[k]), made.other, hzSub];
  for (const s of all) {
    const r = await C.del(admin, res, s.id);
    C.assertRedirect(r, res, 'deleted');
    assert.equal(C.countWhere('sub_assets', 'id', s.id), 0);
    const last = C.audit('subasset', s.id).at(-1);
    assert.deepEqual([last.action, last.user, last.old_value], ['delete', 'admin', s.name]);
  }
  assert.equal((await C.edit(admin, res, made.cable.id)).status, 404);
  for (const id of Object.values(sid)) C.assertRedirect(await C.del(admin, ST, id), ST, 'deleted');
});
