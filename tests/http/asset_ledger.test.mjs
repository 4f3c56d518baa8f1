// The asset ledger and the update records as people read them (issue 10): a field change shows
// the field's label and the values' names ("产品 星驰… XC-AC7-W → 星驰… XC-DC60-2", not
// "product_id: 0 -> 9"), a tariff change is in the ledger like the versions and the product
// (web form and phone), the records page names the record by its code or name linking to its
// page (not "记录编号 4180") and references by their names (no "#id"), the home page's recent
// changes likewise.  Roles: the card in scope only, the records page for audit_view only.
import { test, before, after } from 'node:test';
import { randomUUID } from 'node:crypto';
import { Client, as, sql, scalar, assert } from './lib.mjs';
import * as C from './crud.mjs';

const PILE = { path: '/asset/piles', table: 'piles', entity: 'pile', key: 'code' };
const REC = { path: '/base/records' };
const SZ = C.idOf('companies', 'code', 'CC-SZ');
const HZ = C.idOf('companies', 'code', 'CC-HZ');
const HQ = C.idOf('companies', 'code', 'HQ');
const SUZHOU = C.idOf('cities', 'code', '320500');
const WH_SZ = C.idOf('warehouses', 'code', 'WH-SZ-01');
const WH_HZ = C.idOf('warehouses', 'code', 'WH-HZ-01');
const P_AC = C.idOf('products', 'model', 'XC-AC7-W');
const P_DC = C.idOf('products', 'model', 'XC-DC60-2');
const PFX = C.ucode('LG', 8);
const productName = (id) => sql('SELECT CONCAT(m.name, \' \', p.model) FROM products p JOIN companies m ON m.id = p.manufacturer_id WHERE p.id = ?', id)[0][0];
const companyName = (id) => scalar('SELECT name FROM companies WHERE id = ?', id);
let admin, leader, inspector, hzInspector, supplier, seq = 0;
const made = { piles: [], stations: [] };

before(async () => {
  admin = await as('admin');
  leader = await as('leader');
  inspector = await as('inspector'); // CC-SZ
  hzInspector = await as('inspector2'); // CC-HZ
  supplier = await as('supplier');
});

after(() => {
  for (const id of made.piles) sql('DELETE FROM piles WHERE id = ?', id);
  for (const id of made.stations) {
    sql('DELETE FROM piles WHERE station_id = ?', id);
    sql('DELETE FROM anomalies WHERE station_id = ?', id);
    sql('DELETE FROM stations WHERE id = ?', id);
  }
});

async function newPile(over = {}) {
  const code = `${PFX}P${String(++seq).padStart(3, '0')}`;
  const r = await C.create(admin, PILE, { code, product_id: P_AC, company_id: SZ, warehouse_id: WH_SZ, state: 'in_stock',
    sw_version: 'V1.0', hw_version: 'H1', tariff: '0.8', ...over });
  assert.equal(r.status, 303, C.alertText(r.text) ?? '');
  made.piles.push(r.id);
  return { id: r.id, code };
}

async function newStation(company = SZ) {
  const code = `${PFX}-S${++seq}`;
  const r = await admin.post('/asset/stations', { code, name: `台账测试站${code}`, company_id: company, city_id: SUZHOU,
    state: 'operating', expected_piles: 1 });
  assert.equal(r.status, 303, C.alertText(r.text) ?? '');
  const id = scalar('SELECT id FROM stations WHERE code = ?', code);
  made.stations.push(id);
  return id;
}

/** Edit a pile through its form as a browser would, changing some fields. */
async function editPile(client, id, changes) {
  const form = await C.edit(client, PILE, id);
  assert.equal(form.status, 200);
  const r = await client.post(`${PILE.path}/${id}`, C.browserForm(form.text, changes));
  assert.equal(r.status, 303, C.alertText(r.text) ?? '');
  return r;
}

/** The request's field changes in the ledger: [field, from, to, detail]. */
const changesOf = (r) => sql(`SELECT field, from_value, to_value, detail FROM asset_events
  WHERE request_id = ? AND kind = 'pile_change' ORDER BY id`, r.headers.get('x-request-id'));

/** The card's ledger: the 备注 cell of each row, newest first, as text. */
function notes(html) {
  const body = html.match(/<h2[^>]*>资产变动记录<\/h2>[\s\S]*?<tbody>([\s\S]*?)<\/tbody>/);
  assert.ok(body, 'the ledger table');
  return [...body[1].matchAll(/<td data-label="备注"[^>]*>([\s\S]*?)<\/td>/g)]
    .map((m) => C.unescapeHtml(m[1].replace(/<[^>]+>/g, '')).replace(/\s+/g, ' ').trim());
}

test('a tariff change is in the ledger as the versions and the product are, with its field and values', async () => {
  const p = await newPile();
  const r = await editPile(admin, p.id, { tariff: '1.25', sw_version: 'V1.1', product_id: P_DC });
  assert.deepEqual(changesOf(r), [
    ['sw_version', 'V1.0', 'V1.1', 'sw_version: V1.0 -> V1.1'],
    ['product_id', String(P_AC), String(P_DC), `product_id: ${P_AC} -> ${P_DC}`],
    ['tariff', '0.8000', '1.2500', 'tariff: 0.8000 -> 1.2500'],
  ]);
  // The same tariff written another way is no change: neither a posting nor an update record.
  const same = await editPile(admin, p.id, { tariff: '1.250' });
  assert.deepEqual(changesOf(same), []);
  assert.equal(C.auditOf(same), 0);
  // Cleared: the new value is none.
  const cleared = await editPile(admin, p.id, { tariff: '' });
  assert.deepEqual(changesOf(cleared), [['tariff', '1.2500', null, 'tariff: 1.2500 -> ']]);
  // The card names the fields and the values.
  const card = await admin.get(`${PILE.path}/${p.id}`);
  assert.equal(card.status, 200);
  assert.deepEqual(notes(card.text).slice(0, 4), [
    '费率(元/kWh) 1.2500 → —',
    '费率(元/kWh) 0.8000 → 1.2500',
    `产品 ${productName(P_AC)} → ${productName(P_DC)}`,
    '软件版本 V1.0 → V1.1',
  ]);
  for (const raw of ['product_id', 'sw_version:', 'tariff:', ' -> '])
    assert.ok(!notes(card.text).some((n) => n.includes(raw)), `no "${raw}" on the card`);
});

test('a product given on the phone and a company that follows its station read as names', async () => {
  const p = await newPile({ product_id: '' });
  const phone = new Client();
  await phone.get('/wx/login');
  assert.equal((await phone.post('/wx/login', { username: 'warehouse', password: 'demo1234' })).status, 303);
  await phone.get('/wx/scan');
  const r = await phone.post(`/wx/p/${p.code}/product`, { product_id: P_DC, idem: randomUUID() });
  assert.equal(r.status, 303);
  assert.deepEqual(changesOf(r), [['product_id', null, String(P_DC), `product_id: 0 -> ${P_DC}`]]);
  // Bound to a station that then moves to the head office: the pile follows.
  const st = await newStation();
  assert.equal((await admin.post(`${PILE.path}/${p.id}/bind`, { station_id: st })).status, 303);
  const sform = await C.edit(admin, { path: '/asset/stations' }, st);
  const moved = await admin.post(`/asset/stations/${st}`, C.browserForm(sform.text, { company_id: HQ }));
  assert.equal(moved.status, 303, C.alertText(moved.text) ?? '');
  assert.deepEqual(changesOf(moved).map((c) => c.slice(0, 3)), [['company_id', String(SZ), String(HQ)]]);
  const n = notes((await admin.get(`${PILE.path}/${p.id}`)).text);
  assert.equal(n[0], `所属公司 ${companyName(SZ)} → ${companyName(HQ)}`);
  assert.ok(n.includes(`产品 — → ${productName(P_DC)}`), n.join(' | '));
  // Now the head office's pile: not the Suzhou keeper's any more.
  assert.equal((await phone.get(`/wx/p/${p.code}/maintain`)).status, 404);
});

test('the phone\'s maintenance posts a tariff change exactly as the web form does', async () => {
  const st = await newStation();
  const web = await newPile();
  const ph = await newPile();
  for (const p of [web, ph]) assert.equal((await admin.post(`${PILE.path}/${p.id}/bind`, { station_id: st })).status, 303);
  const change = { state: 'installed', sw_version: 'V1.0', hw_version: 'H1', comm_method: '', charging_mode: '', tariff: '0.95' };
  const w = await editPile(admin, web.id, { tariff: '0.95' });
  const phone = new Client();
  await phone.get('/wx/login');
  assert.equal((await phone.post('/wx/login', { username: 'warehouse', password: 'demo1234' })).status, 303);
  const form = await phone.get(`/wx/p/${ph.code}/maintain`);
  assert.equal(form.status, 200);
  const version = Number(form.text.match(/name="version" value="(\d+)"/)[1]);
  const m = await phone.post(`/wx/p/${ph.code}/maintain`, { ...change, version, idem: randomUUID() });
  assert.equal(m.status, 303, C.alertText(m.text) ?? '');
  assert.deepEqual(changesOf(m), changesOf(w));
  assert.deepEqual(changesOf(m), [['tariff', '0.8000', '0.9500', 'tariff: 0.8000 -> 0.9500']]);
});

test('the card and its ledger: in scope only', async () => {
  const p = await newPile();
  await editPile(admin, p.id, { tariff: '1.1' });
  const own = await inspector.get(`${PILE.path}/${p.id}`);
  assert.equal(own.status, 200);
  assert.equal(notes(own.text)[0], '费率(元/kWh) 0.8000 → 1.1000');
  const other = await hzInspector.get(`${PILE.path}/${p.id}`);
  assert.equal(other.status, 404);
  assert.ok(!other.text.includes(p.code) && !other.text.includes('1.1000'));
  assert.equal((await supplier.get(`${PILE.path}/${p.id}`)).status, 403);
  for (const bad of ['abc', '0', '-1', '99999999999999999999'])
    assert.equal((await admin.get(`${PILE.path}/${bad}`)).status, 404, bad);
});

/** The records page rows of one record: [kind, record, record link, field, old, new]. */
async function records(client, params) {
  const r = await client.get(`${REC.path}?${new URLSearchParams({ per: 100, ...params })}`);
  assert.equal(r.status, 200);
  const body = r.text.match(/<tbody>([\s\S]*?)<\/tbody>/)?.[1] ?? '';
  const links = [...body.matchAll(/<tr>[\s\S]*?<\/tr>/g)].map((tr) => {
    const cell = tr[0].match(/<td data-label="记录"[^>]*>([\s\S]*?)<\/td>/);
    assert.ok(cell, 'a record cell');
    const a = cell[1].match(/<a href="([^"]*)">/);
    return a ? C.unescapeHtml(a[1]) : null;
  });
  return C.tableRows(r.text).map((row, i) => [row[2], row[3], links[i], row[5], row[6], row[7]]);
}

test('records page: the record by its code linking to its card, references by name, no ids', async () => {
  const p = await newPile({ company_id: HZ, warehouse_id: WH_HZ });
  const st = await newStation();
  assert.equal((await admin.post(`${PILE.path}/${p.id}/bind`, { station_id: st })).status, 303);
  await editPile(admin, p.id, { tariff: '0.9' });
  const stName = sql('SELECT CONCAT(code, \' \', name) FROM stations WHERE id = ?', st)[0][0];
  const whName = sql('SELECT CONCAT(code, \' \', name) FROM warehouses WHERE id = ?', WH_HZ)[0][0];
  const want = [
    ['充电桩', p.code, `/asset/piles/${p.id}`, '费率(元/kWh)', '0.8000', '0.9000'],
    ['充电桩', p.code, `/asset/piles/${p.id}`, '所属公司', companyName(HZ), companyName(SZ)],
    ['充电桩', p.code, `/asset/piles/${p.id}`, '仓库', whName, ''],
    ['充电桩', p.code, `/asset/piles/${p.id}`, '充电站', '', stName],
    ['充电桩', p.code, `/asset/piles/${p.id}`, '状态', '在库', '已安装'],
    ['充电桩', p.code, `/asset/piles/${p.id}`, '', '', p.code],
  ];
  assert.deepEqual(await records(admin, { entity: 'pile', entity_id: p.id }), want);
  // The leader (audit_view, asset_view) reads the same and may open the card.
  assert.deepEqual(await records(leader, { entity: 'pile', entity_id: p.id }), want);
  assert.equal((await leader.get(`/asset/piles/${p.id}`)).status, 200);
  const page = await admin.get(`${REC.path}?entity=pile&entity_id=${p.id}`);
  assert.doesNotMatch(page.text.match(/<tbody>([\s\S]*?)<\/tbody>/)[1], /#\d+/, 'no "#id" anywhere in the rows');
  // The export names the record too.
  const rows = C.parseCsv((await C.exportFile(admin, REC, { fmt: 'csv', entity: 'pile', entity_id: p.id })).text);
  assert.equal(rows[0][3], '记录');
  assert.ok(rows.slice(1).every((row) => row[3] === p.code), 'the code in every row');
  // Others without audit_view: refused.
  for (const client of [inspector, supplier, await as('warehouse')]) {
    const r = await client.get(`${REC.path}?entity=pile&entity_id=${p.id}`);
    assert.equal(r.status, 403);
    assert.ok(!r.text.includes(p.code));
  }
});

test('records page: a record links to its page only for those who may open it; one gone since shows #id', async () => {
  // A product: the administrator may edit it, the leader may not.
  const model = C.ucode('LGM-', 16);
  const c = await C.create(admin, C.R.product, { manufacturer_id: C.idOf('companies', 'code', 'MF-XC'), model,
    name: '台账测试产品', rated_power_kw: '7', current_type: 'AC', connectors: '1', charging_mode: 'gb2015', warranty_months: '24' });
  assert.equal(c.status, 303, C.alertText(c.text) ?? '');
  const name = productName(c.id);
  assert.deepEqual(await records(admin, { entity: 'product', entity_id: c.id }),
    [['产品信息', name, `/base/products/${c.id}/edit`, '', '', model]]);
  assert.deepEqual(await records(leader, { entity: 'product', entity_id: c.id }), [['产品信息', name, null, '', '', model]]);
  // A warehouse made and deleted: its records name it by id, without a link.
  const code = `${PFX}-W${++seq}`;
  const w = await C.create(admin, C.R.warehouse, { code, name: `台账<i>测试仓</i>&"${code}`, company_id: SZ, city_id: SUZHOU });
  assert.equal(w.status, 303);
  assert.deepEqual((await records(admin, { entity: 'warehouse', entity_id: w.id }))[0].slice(1, 3),
    [`${code} 台账<i>测试仓</i>&"${code}`, `/base/warehouses/${w.id}/edit`]);
  // The name is text: escaped where it is printed.
  const raw = (await admin.get(`${REC.path}?entity=warehouse&entity_id=${w.id}`)).text;
  assert.ok(raw.includes('台账&lt;i&gt;测试仓&lt;/i&gt;&amp;&quot;') && !raw.includes('<i>测试仓'), 'escaped');
  assert.equal((await C.del(admin, C.R.warehouse, w.id)).status, 303);
  const gone = await records(admin, { entity: 'warehouse', entity_id: w.id });
  assert.deepEqual(gone.map((row) => row.slice(1, 3)), [[`#${w.id}`, null], [`#${w.id}`, null]]);
  // A reference to it in a pile's record reads "#id" too.
  sql('DELETE FROM products WHERE id = ?', c.id);
  assert.deepEqual((await records(admin, { entity: 'product', entity_id: c.id }))[0].slice(1, 3), [`#${c.id}`, null]);
});

test('home page: recent changes name the record by its code, linked to it', async () => {
  const p = await newPile();
  await editPile(admin, p.id, { tariff: '0.7' });
  const home = await admin.get('/base/');
  assert.equal(home.status, 200);
  const list = home.text.match(/<ul class="list-group list-group-flush recent-list">([\s\S]*?)<\/ul>/)[1];
  assert.doesNotMatch(list, /充电桩 #\d/, 'no pile by its id');
  // Unless eight newer records came from other test files in between, ours is on top.
  const newer = scalar('SELECT COUNT(*) FROM audit_log WHERE id > (SELECT MAX(id) FROM audit_log WHERE entity = \'pile\' AND entity_id = ?)', p.id);
  if (newer < 8) assert.ok(list.includes(`<a href="/asset/piles/${p.id}">${p.code}</a>`), 'the pile\'s code links to its card');
});

test('every field change in the ledger carries its field (the migration split the earlier ones)', () => {
  assert.equal(scalar("SELECT COUNT(*) FROM asset_events WHERE kind = 'pile_change' AND field IS NULL"), 0);
  assert.equal(scalar(`SELECT COUNT(*) FROM asset_events WHERE kind = 'pile_change'
    AND detail <> CONCAT(field, ': ', COALESCE(from_value, IF(field LIKE '%\\_id', '0', '')), ' -> ', COALESCE(to_value, ''))
    AND detail <> CONCAT(field, ': ', COALESCE(from_value, ''), ' -> ', COALESCE(to_value, ''))`), 0);
});
