// The station page (GET /asset/stations/:id, issue 10): what every role that may see a station
// opens — its facts, site lease, piles by state, facilities, anomalies, ledger and latest update
// records — with an edit button only for those who may edit; outside the user's company, an
// unknown or a malformed id, it is not found.  Every link that used to lead to the edit form
// (pile card, station list, map, notices, home reminders) leads here, and a saved edit lands here.
import { test, before, after } from 'node:test';
import { as, sql, scalar, assert } from './lib.mjs';
import * as C from './crud.mjs';

const ST = { path: '/asset/stations', table: 'stations', entity: 'station', key: 'code' };
const SZ = C.idOf('companies', 'code', 'CC-SZ');
const HZ = C.idOf('companies', 'code', 'CC-HZ');
const SUZHOU = C.idOf('cities', 'code', '320500');
const HANGZHOU = C.idOf('cities', 'code', '330100');
const LESSOR = C.idOf('companies', 'code', 'LS-JH');
const PRODUCT = C.idOf('products', 'model', 'XC-AC7-W');
const PREFIX = C.ucode('SPG', 10);
let admin;
const made = { stations: [], piles: [] };

before(async () => {
  admin = await as('admin');
});

after(() => {
  for (const id of made.piles) {
    sql('DELETE FROM asset_events WHERE pile_id = ?', id);
    sql('DELETE FROM piles WHERE id = ?', id);
  }
  for (const id of made.stations) {
    sql('DELETE FROM anomalies WHERE station_id = ?', id);
    sql('DELETE FROM sub_assets WHERE station_id = ?', id);
    sql('DELETE FROM asset_events WHERE station_id = ?', id);
    sql('DELETE FROM stations WHERE id = ?', id);
  }
});

let seq = 0;
async function station(over = {}) {
  const code = `${PREFIX}${++seq}`;
  const fields = {
    code, name: `页面测试站${seq}`, company_id: SZ, city_id: SUZHOU, address: `苏州工业园区星湖街${seq}号`,
    lat: '31.318000', lng: '120.672000', state: 'operating', asset_nature: 'own',
    owner_company_id: SZ, operator_company_id: '', expected_piles: '3', commissioned_on: '2026-03-01',
    lessor_id: LESSOR, lease_start: '2026-01-01', lease_end: '2036-12-31',
    staff: '周站长', staff_phone: '13900002222', note: '<b>不是标记</b>', ...over,
  };
  const r = await C.create(admin, ST, fields);
  assert.ok(r.id, `station created: ${r.status} ${C.alertText(r.text) ?? ''}`);
  C.assertRedirect(r, ST, 'created');
  made.stations.push(r.id);
  return { id: r.id, code, fields };
}

/** A pile bound to the station, in the given state, written directly (the register's own tests cover its form). */
function pile(stationId, company, state) {
  const code = `${PREFIX}P${++seq}`;
  sql(`INSERT INTO piles (code, product_id, state, place, station_id, company_id)
       VALUES (?, ?, ?, 'station', ?, ?)`, code, PRODUCT, state, stationId, company);
  const id = scalar('SELECT id FROM piles WHERE code = ?', code);
  made.piles.push(id);
  return { id, code };
}

const text = (html) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

test('the station page shows its facts, lease, piles by state, facilities, anomalies and ledger', async () => {
  const s = await station();
  const a = pile(s.id, SZ, 'operating');
  const b = pile(s.id, SZ, 'repair');
  sql(`INSERT INTO sub_assets (station_id, kind, name) VALUES (?, 'canopy', ?)`, s.id, `钢结构雨棚${PREFIX}`);
  sql(`INSERT INTO anomalies (kind, station_id, status, expected, actual, opened_at)
       VALUES ('quantity', ?, 'open', 3, 2, UTC_TIMESTAMP())`, s.id);
  const r = await admin.get(`/asset/stations/${s.id}`);
  assert.equal(r.status, 200);
  const t = text(r.text);
  assert.match(r.text, new RegExp(`<h1>充电站 ${s.code} 页面测试站\\d+ <span class="tag tag-operating">运营</span>`));
  for (const want of ['蓝途充电（苏州）有限公司', '苏州工业园区星湖街', '31.318000, 120.672000', '周站长',
    '2036-12-31', '钢结构雨棚', '数量异常'])
    assert.ok(t.includes(want), `the page shows ${want}`);
  // The note is text, not markup.
  assert.ok(r.text.includes('&lt;b&gt;不是标记&lt;/b&gt;'), 'the note is escaped');
  // Its piles link to their cards; the counts by state link to the filtered pile list.
  for (const p of [a, b]) assert.ok(r.text.includes(`<a href="/asset/piles/${p.id}">${p.code}</a>`));
  assert.ok(r.text.includes(`/asset/piles?station_id=${s.id}&amp;state=repair`), 'the repair count links to its piles');
  assert.match(t, /已绑定 2 \/ 应有桩数 3/);
  // The ledger has the station's creation; the edit button is there for the admin.
  assert.ok(t.includes('建站'), 'the ledger shows the creation');
  assert.match(r.text, new RegExp(`id="station-edit" href="/asset/stations/${s.id}/edit"`));
});

test('every role that may see stations opens the page; only editors get the edit button', async () => {
  const s = await station();
  for (const user of ['leader', 'finance', 'procurement', 'ops', 'inspector', 'warehouse']) {
    const c = await as(user);
    const r = await c.get(`/asset/stations/${s.id}`);
    assert.equal(r.status, 200, `${user} opens the station page`);
    const edits = scalar(`SELECT COUNT(*) FROM roles ro JOIN users u ON u.role_id = ro.id
      WHERE u.username = ? AND (ro.perms LIKE '%asset_edit%' OR ro.code = 'admin')`, user) > 0;
    assert.equal(r.text.includes('id="station-edit"'), edits, `${user}: the edit button ${edits ? 'shows' : 'is hidden'}`);
    if (!edits) assert.equal((await c.get(`/asset/stations/${s.id}/edit`)).status, 403);
    // The update records are linked (and shown) only for those who may read them.
    const audits = scalar(`SELECT COUNT(*) FROM roles ro JOIN users u ON u.role_id = ro.id
      WHERE u.username = ? AND (ro.perms LIKE '%audit_view%' OR ro.code = 'admin')`, user) > 0;
    assert.equal(r.text.includes('/base/records?entity=station'), audits, `${user}: the records link`);
    assert.equal(r.text.includes('id="station-records"'), audits, `${user}: the records section`);
    const card = await c.get(`/asset/piles/${pile(s.id, SZ, 'operating').id}`);
    if (card.status === 200)
      assert.equal(card.text.includes('/base/records?entity=pile'), audits, `${user}: the pile card's records link`);
  }
  // A supplier sees no stations at all.
  const sup = await as('supplier');
  assert.equal((await sup.get(`/asset/stations/${s.id}`)).status, 403);
});

test('another company\'s station, an unknown id and a malformed id are not found', async () => {
  const hz = await station({ company_id: HZ, city_id: HANGZHOU, owner_company_id: HZ });
  const sz = await as('warehouse'); // a 苏州 user
  const r = await sz.get(`/asset/stations/${hz.id}`);
  assert.equal(r.status, 404);
  assert.ok(!r.text.includes(hz.code), 'nothing of the other company\'s station shows');
  const max = scalar('SELECT COALESCE(MAX(id), 0) FROM stations');
  assert.equal((await admin.get(`/asset/stations/${max + 1000}`)).status, 404);
  for (const bad of ['abc', '0', '-1', '1e3', '99999999999999999999999'])
    assert.equal((await admin.get(`/asset/stations/${bad}`)).status, 404, `id ${bad}`);
});

test('a station without lease, piles or coordinates says so instead of showing blanks', async () => {
  const s = await station({ lat: '', lng: '', lessor_id: '', lease_start: '', lease_end: '', expected_piles: '0' });
  const t = text((await admin.get(`/asset/stations/${s.id}`)).text);
  for (const want of ['未标注坐标', '该站没有场地租赁信息。', '该站还没有绑定充电桩。', '暂无附属设施', '暂无异常'])
    assert.ok(t.includes(want), `the page says ${want}`);
});

test('links lead to the station page, and a saved edit lands there', async () => {
  const s = await station();
  const p = pile(s.id, SZ, 'operating');
  const card = await admin.get(`/asset/piles/${p.id}`);
  assert.ok(card.text.includes(`href="/asset/stations/${s.id}"`), 'the pile card links to the station page');
  assert.ok(!card.text.includes(`/asset/stations/${s.id}/edit`), 'not to its edit form');
  const list = await admin.get(`/asset/stations?q=${encodeURIComponent(s.code)}`);
  assert.ok(list.text.includes(`<a href="/asset/stations/${s.id}">${s.code}</a>`), 'the list links to the page');
  // A lease reminder on the home page and the notice list.
  sql(`INSERT INTO notices (kind, station_id, company_id, due_on, created_at)
       VALUES ('lease_expiry', ?, ?, '2036-12-31', UTC_TIMESTAMP())`, s.id, SZ);
  try {
    for (const path of ['/base/notices', '/']) {
      const r = await admin.get(path);
      if (r.text.includes(s.code))
        assert.ok(r.text.includes(`href="/asset/stations/${s.id}"`) && !r.text.includes(`/asset/stations/${s.id}/edit`),
          `${path} links to the station page`);
    }
  } finally {
    sql('DELETE FROM notices WHERE station_id = ?', s.id);
  }
  // Saving the form shows the page with the message.
  const r = await C.update(admin, ST, s.id, { ...s.fields, staff: '吴站长' });
  assert.equal(r.status, 303, C.alertText(r.text) ?? '');
  assert.equal(r.headers.get('location'), `/asset/stations/${s.id}?flash=updated`);
  const shown = await admin.get(r.headers.get('location'));
  assert.ok(text(shown.text).includes('已保存。'), 'the page says it was saved');
  assert.ok(text(shown.text).includes('吴站长'));
  // The update record shows on the page, by field label.
  assert.match(text(shown.text), /负责人/);
});

test('the responsible user: one of the station\'s company (or head office), shown on the page; others refused, nothing written', async () => {
  const s = await station();
  const inspector = scalar("SELECT id FROM users WHERE username = 'inspector'");   // 苏州
  const inspector2 = scalar("SELECT id FROM users WHERE username = 'inspector2'"); // 杭州
  const supplier = scalar("SELECT id FROM users WHERE username = 'supplier'");
  const ops = scalar("SELECT id FROM users WHERE username = 'ops'");               // head office, every company
  const before = scalar('SELECT version FROM stations WHERE id = ?', s.id);
  for (const [who, message] of [[inspector2, /负责人须是该站所属公司的员工/], [supplier, /./], ['abc', /./], ['999999999', /./]]) {
    const r = await C.update(admin, ST, s.id, { ...s.fields, staff_user_id: who });
    assert.equal(r.status, 422, `user ${who} refused`);
    assert.match(C.fieldMessage(r.text, 'staff_user_id') ?? '', message);
    assert.equal(scalar('SELECT version FROM stations WHERE id = ?', s.id), before, 'nothing written');
  }
  for (const who of [ops, inspector]) {
    const r = await C.update(admin, ST, s.id, { ...s.fields, staff_user_id: who });
    assert.equal(r.status, 303, C.alertText(r.text) ?? '');
    assert.equal(scalar('SELECT staff_user_id FROM stations WHERE id = ?', s.id), who);
  }
  const page = text((await admin.get(`/asset/stations/${s.id}`)).text);
  assert.match(page, /负责人（系统用户） 王磊/);
  // The form offers the editor's company's staff: a 苏州 keeper sees no 杭州 user.
  const form = await (await as('warehouse')).get(`/asset/stations/${s.id}/edit`);
  assert.ok(!C.selectOptions(form.text, 'staff_user_id').includes(String(inspector2)));
  assert.ok(C.selectOptions(form.text, 'staff_user_id').includes(String(inspector)));
});
