// Anomalies handled by people (issue 10): the list links each anomaly to its station and pile
// and shows the difference; an anomaly's page lets those who may edit assets acknowledge it
// (note optional) or handle it (closed, with a note of what was done, required).  Every refusal —
// a role that may not, another company's anomaly, an empty or too long note, a malformed or stale
// version, a second submit — says why and writes nothing.  Update records name who did what.
import { test, before, after } from 'node:test';
import { as, sql, scalar, assert } from './lib.mjs';
import * as C from './crud.mjs';

const SZ = C.idOf('companies', 'code', 'CC-SZ');
const HZ = C.idOf('companies', 'code', 'CC-HZ');
const SUZHOU = C.idOf('cities', 'code', '320500');
const HANGZHOU = C.idOf('cities', 'code', '330100');
const PRODUCT = C.idOf('products', 'model', 'XC-AC7-W');
const PFX = C.ucode('ANH', 10);
const made = { stations: [], piles: [] };
let admin, seq = 0;

before(async () => { admin = await as('admin'); });
after(() => {
  for (const id of made.stations) sql('DELETE FROM anomalies WHERE station_id = ?', id);
  for (const id of made.piles) sql('DELETE FROM piles WHERE id = ?', id);
  for (const id of made.stations) sql('DELETE FROM stations WHERE id = ?', id);
});

/** A station of the company with a pile and an open location anomaly on that pile (written directly). */
function anomaly(company = SZ, city = SUZHOU) {
  const code = `${PFX}${++seq}`;
  sql(`INSERT INTO stations (code, name, company_id, city_id, state, expected_piles) VALUES (?, ?, ?, ?, 'operating', 3)`,
    code, `异常处理测试站${seq}`, company, city);
  const station = scalar('SELECT id FROM stations WHERE code = ?', code);
  made.stations.push(station);
  sql(`INSERT INTO piles (code, product_id, state, place, station_id, company_id) VALUES (?, ?, 'operating', 'station', ?, ?)`,
    `${code}P`, PRODUCT, station, company);
  const pile = scalar('SELECT id FROM piles WHERE code = ?', `${code}P`);
  made.piles.push(pile);
  sql(`INSERT INTO anomalies (kind, station_id, pile_id, status, expected, actual, opened_at)
       VALUES ('quantity', ?, ?, 'open', 3, 1, UTC_TIMESTAMP())`, station, pile);
  const id = scalar('SELECT MAX(id) FROM anomalies WHERE station_id = ?', station);
  return { id, station, pile, code };
}

const row = (id) => sql(`SELECT status, acked_by IS NOT NULL, handled_by IS NOT NULL, COALESCE(note, ''), version,
  closed_at IS NOT NULL FROM anomalies WHERE id = ?`, id)[0].map(String);
const records = (id) => Number(scalar("SELECT COUNT(*) FROM audit_log WHERE entity = 'anomaly' AND entity_id = ?", id));
const version = (id) => scalar('SELECT version FROM anomalies WHERE id = ?', id);
const text = (html) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

test('the list links the station and the pile and shows the difference; the row opens the anomaly', async () => {
  const a = anomaly();
  const l = await C.list(admin, { path: '/asset/anomalies' }, { station_id: a.station });
  assert.equal(l.status, 200);
  assert.ok(l.text.includes(`<a href="/asset/stations/${a.station}">${a.code} 异常处理测试站`), 'station link');
  assert.ok(l.text.includes(`<a href="/asset/piles/${a.pile}">${a.code}P</a>`), 'pile link');
  assert.ok(l.text.includes(`href="/asset/anomalies/${a.id}"`), 'the row opens the anomaly');
  assert.equal(l.rows[0][7], '-2', 'bound minus expected');
  const page = await admin.get(`/asset/anomalies/${a.id}`);
  assert.equal(page.status, 200);
  assert.match(text(page.text), /差异 -2 比应有桩数少/);
  assert.ok(page.text.includes('id="doc-form"'), 'the admin may act on it');
});

test('acknowledge (note optional), then handle with a note: both written with update records', async () => {
  const a = anomaly();
  const ops = await as('ops');
  let r = await ops.post(`/asset/anomalies/${a.id}/ack`, { version: version(a.id), note: '' });
  assert.equal(r.status, 303, C.alertText(r.text) ?? '');
  assert.equal(r.headers.get('location'), `/asset/anomalies/${a.id}?flash=ack`);
  assert.deepEqual(row(a.id), ['open', '1', '0', '', '2', '0']);
  assert.equal(records(a.id), 1);
  const shown = await ops.get(r.headers.get('location'));
  assert.match(text(shown.text), /已确认该异常。/);
  assert.match(text(shown.text), /确认人 孙浩 ·/);
  // Once acknowledged, the page offers handling only.
  assert.ok(!shown.text.includes('/ack"'), 'no second acknowledgement offered');
  r = await ops.post(`/asset/anomalies/${a.id}/handle`, { version: version(a.id), note: '已核实：两台桩返厂维修，调整应有桩数。' });
  assert.equal(r.status, 303, C.alertText(r.text) ?? '');
  assert.deepEqual(row(a.id), ['closed', '1', '1', '已核实：两台桩返厂维修，调整应有桩数。', '3', '1']);
  const audit = C.audit('anomaly', a.id).map((x) => [x.field, x.old_value, x.new_value, x.user]);
  assert.deepEqual(audit.map((x) => x[0]).sort(), ['acked', 'note', 'status']);
  assert.ok(audit.every((x) => x[3] === 'ops'));
  const closed = await ops.get(`/asset/anomalies/${a.id}`);
  assert.ok(!closed.text.includes('id="doc-form"'), 'a closed anomaly has no form');
  assert.match(text(closed.text), /孙浩/);
});

test('refusals write nothing: empty or too long note, malformed or stale version, a second submit', async () => {
  const a = anomaly();
  const before = row(a.id);
  const check = async (r, status, message) => {
    assert.equal(r.status, status, C.alertText(r.text) ?? '');
    assert.match(text(r.text), message);
    assert.deepEqual(row(a.id), before, 'nothing written');
    assert.equal(records(a.id), 0, 'no update record');
  };
  await check(await admin.post(`/asset/anomalies/${a.id}/handle`, { version: version(a.id), note: '   ' }), 422, /请写明做了什么处理。/);
  await check(await admin.post(`/asset/anomalies/${a.id}/handle`, { version: version(a.id), note: C.cjk(501) }), 422, /最多 500 个字符/);
  for (const v of ['', 'abc', '-1', '1.5', '99999999999'])
    await check(await admin.post(`/asset/anomalies/${a.id}/handle`, { version: v, note: '处理' }), 409, /已被他人修改|已被他人确认/);
  await check(await admin.post(`/asset/anomalies/${a.id}/handle`, { version: version(a.id) + 1, note: '处理' }), 409, /已被他人确认、处理或已变化/);
  // Two people on one page: the first handles it, the second is told.
  const v = version(a.id);
  assert.equal((await admin.post(`/asset/anomalies/${a.id}/handle`, { version: v, note: '现场已处理' })).status, 303);
  const after = row(a.id), n = records(a.id);
  const again = await admin.post(`/asset/anomalies/${a.id}/handle`, { version: v, note: '现场已处理' });
  assert.equal(again.status, 409);
  assert.match(text(again.text), /已被他人确认、处理或已变化/);
  assert.deepEqual(row(a.id), after);
  assert.equal(records(a.id), n);
  const ack = await admin.post(`/asset/anomalies/${a.id}/ack`, { version: v + 1, note: '' });
  assert.equal(ack.status, 409, 'a closed anomaly cannot be acknowledged');
});

test('who may: viewers read but may not act; another company\'s anomaly and unknown ids are not found', async () => {
  const a = anomaly();
  const hz = anomaly(HZ, HANGZHOU);
  for (const user of ['leader', 'finance', 'procurement', 'inspector']) {
    const c = await as(user);
    const page = await c.get(`/asset/anomalies/${user === 'inspector' ? a.id : hz.id}`);
    assert.equal(page.status, 200, `${user} reads the anomaly`);
    assert.ok(!page.text.includes('id="doc-form"'), `${user} gets no form`);
    const r = await c.post(`/asset/anomalies/${a.id}/handle`, { version: version(a.id), note: '不该写入' });
    assert.equal(r.status, 403, `${user} may not handle`);
  }
  // A 苏州 warehouse keeper may act on 苏州's, not on 杭州's (not found, nothing shown).
  const wh = await as('warehouse');
  const other = await wh.get(`/asset/anomalies/${hz.id}`);
  assert.equal(other.status, 404);
  assert.ok(!other.text.includes(hz.code));
  const before = row(hz.id);
  assert.equal((await wh.post(`/asset/anomalies/${hz.id}/handle`, { version: version(hz.id), note: '越权' })).status, 404);
  assert.deepEqual(row(hz.id), before);
  assert.equal((await wh.post(`/asset/anomalies/${a.id}/ack`, { version: version(a.id) })).status, 303);
  const sup = await as('supplier');
  assert.equal((await sup.get(`/asset/anomalies/${a.id}`)).status, 403);
  const max = scalar('SELECT MAX(id) FROM anomalies');
  assert.equal((await admin.get(`/asset/anomalies/${max + 100}`)).status, 404);
  assert.equal((await admin.post(`/asset/anomalies/${max + 100}/ack`, { version: 1 })).status, 404);
  for (const bad of ['x', '0', '-3']) assert.equal((await admin.get(`/asset/anomalies/${bad}`)).status, 404);
});

test('the document layer: print view, unknown actions, an action the state does not allow, history', async () => {
  const a = anomaly();
  const hz = anomaly(HZ, HANGZHOU);
  const ops = await as('ops');
  // Print: the facts and the history, no menu and no form; in the reader's scope only.
  const printed = await ops.get(`/asset/anomalies/${a.id}/print`);
  assert.equal(printed.status, 200);
  assert.ok(printed.text.includes('class="doc-print"') && !printed.text.includes('id="doc-form"'));
  assert.ok(!printed.text.includes('class="sidebar'), 'no menu on paper');
  const leader = await as('leader');
  assert.equal((await leader.get(`/asset/anomalies/${hz.id}/print`)).status, 200, 'a leader prints any company\'s');
  const wh = await as('warehouse');
  assert.equal((await wh.get(`/asset/anomalies/${hz.id}/print`)).status, 404, 'not another company\'s');
  // An action the table does not have is not found, and writes nothing.
  const before = row(a.id);
  for (const action of ['close', 'reopen', 'ACK', 'print'])
    assert.equal((await ops.post(`/asset/anomalies/${a.id}/${action}`, { version: version(a.id), note: 'x' })).status, 404, action);
  assert.deepEqual(row(a.id), before);
  // Handled, then acknowledged on the current version: the state refuses it, by name.
  assert.equal((await ops.post(`/asset/anomalies/${a.id}/handle`, { version: version(a.id), note: '已处理' })).status, 303);
  const n = records(a.id);
  const late = await ops.post(`/asset/anomalies/${a.id}/ack`, { version: version(a.id), note: '' });
  assert.equal(late.status, 409);
  assert.match(text(late.text), /单据当前为「已关闭」，不能「确认（仍待处理）」/);
  assert.equal(records(a.id), n, 'nothing written');
  // The page's history names the states, not their codes.
  const page = await ops.get(`/asset/anomalies/${a.id}`);
  assert.match(text(page.text), /未处理 → 已关闭/);
  assert.ok(!page.text.includes('>closed<'));
});

test('a document answers 404 for a page or action it does not have', async () => {
  const a = anomaly();
  for (const path of ['edit', 'history', 'print2', 'handle'])
    assert.equal((await admin.get(`/asset/anomalies/${a.id}/${path}`)).status, 404, `GET ${path}`);
});
