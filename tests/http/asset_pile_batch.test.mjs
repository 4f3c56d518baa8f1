// The pile list's batch actions (issue 10 §2, cgi/asset/pile_batch.c): rows ticked on a page
// → their QR labels (ca-qrcode's sheet), an export of just them, and for asset editors a state
// change where each pile is checked and changed (or refused with its reason) by the single-pile
// path of model/pile.c, with the run's summary page.  Roles allowed and refused, bad input of
// every kind, another company's piles, CSRF and a repeated submit — and what the database holds
// after each.
import { test, before } from 'node:test';
import { as, sql, scalar, assert, base, Client } from './lib.mjs';
import * as C from './crud.mjs';

const PILE = { path: '/asset/piles', table: 'piles', entity: 'pile', key: 'code' };
const ST = { path: '/asset/stations', table: 'stations', entity: 'station', key: 'code' };
const SZ = C.idOf('companies', 'code', 'CC-SZ');
const HZ = C.idOf('companies', 'code', 'CC-HZ');
const SUZHOU = C.idOf('cities', 'code', '320500');
const WH_SZ1 = C.idOf('warehouses', 'code', 'WH-SZ-01');
const WH_HZ1 = C.idOf('warehouses', 'code', 'WH-HZ-01');
const P_AC7 = C.idOf('products', 'model', 'XC-AC7-W');
const HEADER = ['编码', '出厂编号', '型号', '制造厂商', '额定功率(kW)', '状态', '所在位置', '所属公司',
  '软件版本', '硬件版本', '质保到期', '质保'];
const PFX = C.ucode('PB', 10);
let admin, wh, station;
const made = [];
let seq = 0;

async function pile(over = {}) {
  const code = `${PFX}-${String(++seq).padStart(2, '0')}`;
  const r = await C.create(admin, PILE, { code, serial_no: `SN${code}`, product_id: P_AC7, company_id: SZ, warehouse_id: WH_SZ1, state: 'in_stock', sw_version: 'V1.0', tariff: '0.85', ...over });
  C.assertRedirect(r, PILE, 'created');
  made.push(r.id);
  return { code, id: r.id };
}

/** A pile bound to the station: installed. */
async function installed() {
  const p = await pile();
  const b = await admin.post(`${PILE.path}/${p.id}/bind`, { station_id: station.id });
  assert.equal(b.status, 303, C.alertText(b.text));
  return p;
}

const state = (id) => scalar('SELECT state FROM piles WHERE id = ?', id);
const row = (id) => sql('SELECT state, version, commissioned_on, station_id, warehouse_id FROM piles WHERE id = ?', id)[0];
const writes = (r) => {
  const rid = r.headers.get('x-request-id');
  return scalar('SELECT COUNT(*) FROM audit_log WHERE request_id = ?', rid) + scalar('SELECT COUNT(*) FROM asset_events WHERE request_id = ?', rid);
};

/** The list page's batch form: its key and its way back. */
async function listForm(client, qs = `q=${PFX}&per=100`) {
  const l = await client.get(`${PILE.path}?${qs}`);
  assert.equal(l.status, 200);
  const key = l.text.match(/name="form_key" value="([^"]+)"/);
  const back = l.text.match(/name="back" value="([^"]+)"/);
  return { page: l, key: key && key[1], back: back && C.unescapeHtml(back[1]) };
}

/** POST as a form, the raw bytes of the answer (an export). */
async function postBytes(client, path, fields) {
  const form = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) (Array.isArray(v) ? v : [v]).forEach((x) => form.append(k, String(x)));
  form.append('_csrf', client.csrf);
  const r = await fetch(base + path, { method: 'POST', body: form.toString(), redirect: 'manual',
    headers: { cookie: client.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' } });
  const bytes = Buffer.from(await r.arrayBuffer());
  return { status: r.status, type: r.headers.get('content-type') ?? '', bytes, text: bytes.toString('utf8'), headers: r.headers };
}

before(async () => {
  admin = await as('admin');
  wh = await as('warehouse');
  const code = `${PFX}-ST`;
  const s = await C.create(admin, ST, { code, name: `批量测试站${code}`, company_id: SZ, city_id: SUZHOU, state: 'operating', expected_piles: 0 });
  C.assertRedirect(s, ST, 'created');
  station = { code, id: s.id };
});

test('the list: a box per row, select all, the actions each role may use', async () => {
  const p = await pile();
  const { page, key, back } = await listForm(admin);
  assert.match(page.text, new RegExp(`<input class="form-check-input row-pick" type="checkbox" name="ids" value="${p.id}" aria-label="选择 ${p.code}">`));
  assert.match(page.text, /<form id="batch-form" class="batch-form" method="post" action="\/asset\/piles\/batch\/export" data-batch>\s*<input type="hidden" name="_csrf"/);
  assert.match(page.text, /class="form-check-input pick-all"/);
  assert.ok(key && key.length >= 32, 'a form key');
  assert.equal(back, `/asset/piles?q=${PFX}&per=100`);
  for (const a of ['labels', 'export', 'state']) assert.ok(page.text.includes(`formaction="/asset/piles/batch/${a}"`), a);
  // The warehouse keeper edits and prints too; a leader only exports; an inspector too.
  const w = (await listForm(wh)).page.text;
  assert.ok(w.includes('formaction="/asset/piles/batch/labels"') && w.includes('formaction="/asset/piles/batch/state"'));
  for (const u of ['leader', 'inspector']) {
    const t = (await listForm(await as(u))).page.text;
    assert.ok(t.includes('formaction="/asset/piles/batch/export"'), u);
    assert.ok(!t.includes('formaction="/asset/piles/batch/labels"') && !t.includes('formaction="/asset/piles/batch/state"'), u);
  }
});

test('labels: the ticked piles of the user\'s scope on one sheet, their own label images', async () => {
  const a = await pile();
  const b = await pile();
  const hz = await pile({ company_id: HZ, warehouse_id: WH_HZ1 });
  const r = await admin.post('/asset/piles/batch/labels', { ids: [b.id, a.id, a.id] });
  assert.equal(r.status, 303);
  const [lo, hi] = [a.id, b.id].sort((x, y) => x - y);
  assert.equal(r.headers.get('location'), `/qr/piles/labels?ids=${lo},${hi}`);
  const sheet = await admin.get(r.headers.get('location'));
  assert.equal(sheet.status, 200);
  assert.deepEqual([...sheet.text.matchAll(/<img src="\/qr\/piles\/(\d+)\/svg" alt="([^"]+)"/g)].map((m) => [Number(m[1]), m[2]]),
    [[a.id, a.code], [b.id, b.code]]);
  assert.match(sheet.text, new RegExp(`href="/qr/piles/labels\\?ids=${lo},${hi}&amp;layout=roll`), 'the layout switch keeps the piles');
  assert.equal((await admin.get(`/qr/piles/labels?ids=${a.id}&layout=roll`)).status, 200);
  // The CC-SZ keeper: another company's pile is left out; only it: 404.
  const mixed = await wh.get(`/qr/piles/labels?ids=${a.id},${hz.id}`);
  assert.equal(mixed.status, 200);
  assert.deepEqual([...mixed.text.matchAll(/<img src="\/qr\/piles\/(\d+)\/svg"/g)].map((m) => Number(m[1])), [a.id]);
  assert.ok(!mixed.text.includes(hz.code));
  const only = await wh.get(`/qr/piles/labels?ids=${hz.id}`);
  assert.equal(only.status, 404);
  assert.match(only.text, /没有该充电桩，或不在您的数据范围内/);
  // Bad ids on the sheet: 400.
  for (const ids of ['', 'abc', '1,,2', '0', '-1', '1;2', [...Array(101).keys()].map((i) => i + 1).join(',')]) {
    assert.equal((await admin.get(`/qr/piles/labels?ids=${encodeURIComponent(ids)}`)).status, 400, ids);
  }
  assert.equal((await admin.get(`/qr/piles/labels?ids=${a.id}&layout=huge`)).status, 400);
  // Bad ticks on the list: 422 with the reason.
  for (const [fields, msg] of [[{}, '请先勾选充电桩'], [{ ids: 'abc' }, '勾选的充电桩无效'], [{ ids: '0' }, '勾选的充电桩无效'],
    [{ ids: [...Array(101).keys()].map((i) => i + 1) }, '一次最多处理 100 个充电桩']]) {
    C.assertRefused(await admin.post('/asset/piles/batch/labels', fields), 422, msg);
  }
  // Roles without the QR permission, a signed-out browser, no CSRF token.
  for (const u of ['leader', 'inspector', 'finance']) {
    assert.equal((await (await as(u)).post('/asset/piles/batch/labels', { ids: a.id })).status, 403, u);
    assert.equal((await (await as(u)).get(`/qr/piles/labels?ids=${a.id}`)).status, 403, u);
  }
  assert.equal((await admin.post('/asset/piles/batch/labels', { ids: a.id }, { csrf: false })).status, 403);
  assert.equal((await new Client().post('/asset/piles/batch/labels', { ids: a.id })).status, 401);
});

test('export: the list\'s columns of exactly the ticked piles the user may see, values as stored', async () => {
  const a = await pile();
  const b = await pile();
  const hz = await pile({ company_id: HZ, warehouse_id: WH_HZ1 });
  const ex = await postBytes(admin, '/asset/piles/batch/export', { ids: [b.id, a.id], fmt: 'csv' });
  const rows = C.assertCsv(ex, HEADER);
  assert.deepEqual(rows.slice(1).map((r) => r[0]), [a.code, b.code]);
  assert.deepEqual(rows[1].slice(0, 8), [a.code, `SN${a.code}`, 'XC-AC7-W', '星驰电气股份有限公司', '7.00', '在库', '苏州工业园区中心仓', '蓝途充电（苏州）有限公司']);
  C.assertXlsx(await postBytes(admin, '/asset/piles/batch/export', { ids: [a.id], fmt: 'xlsx' }));
  // The CC-SZ keeper's export leaves another company's pile out.
  const w = C.assertCsv(await postBytes(wh, '/asset/piles/batch/export', { ids: [a.id, hz.id], fmt: 'csv' }), HEADER);
  assert.deepEqual(w.slice(1).map((r) => r[0]), [a.code]);
  // Every role that sees piles may export; a supplier may not.
  for (const u of ['leader', 'inspector', 'finance', 'procurement']) {
    assert.equal((await postBytes(await as(u), '/asset/piles/batch/export', { ids: a.id })).status, 200, u);
  }
  assert.equal((await postBytes(await as('supplier'), '/asset/piles/batch/export', { ids: a.id })).status, 403);
  // Bad input.
  C.assertRefused(await admin.post('/asset/piles/batch/export', { ids: a.id, fmt: 'pdf' }), 422, '导出格式只能是 CSV 或 Excel');
  C.assertRefused(await admin.post('/asset/piles/batch/export', { fmt: 'csv' }), 422, '请先勾选充电桩');
  C.assertRefused(await admin.post('/asset/piles/batch/export', { ids: `${a.id}x` }), 422, '勾选的充电桩无效');
  assert.equal((await admin.post('/asset/piles/batch/export', { ids: a.id }, { csrf: false })).status, 403);
});

test('state: each pile checked on its own — changed, or refused with its reason; the summary page', async () => {
  const p1 = await installed();
  const p2 = await installed();
  const stock = await pile(); // in stock: not a state the edit may leave
  const same = await installed();
  const hz = await pile({ company_id: HZ, warehouse_id: WH_HZ1 });
  // Operating already.
  const s0 = await admin.post('/asset/piles/batch/state', { ids: same.id, to_state: 'operating', form_key: C.ucode('K', 24), back: '/asset/piles' });
  assert.equal(s0.status, 303);
  assert.equal(state(same.id), 'operating');
  const before = Object.fromEntries([stock, same, hz].map((p) => [p.id, row(p.id)]));

  const { key, back } = await listForm(wh);
  const ids = [p1.id, p2.id, stock.id, same.id, hz.id, 999999999];
  const r = await wh.post('/asset/piles/batch/state', { ids, to_state: 'operating', form_key: key, back });
  assert.equal(r.status, 303, C.alertText(r.text));
  const run = Number(r.headers.get('location').match(/^\/asset\/piles\/batch\/(\d+)$/)[1]);
  // Changed: state, its update record, the ledger, and the commissioning day (as on the phone).
  for (const p of [p1, p2]) {
    assert.equal(state(p.id), 'operating');
    assert.deepEqual(C.audit('pile', p.id, "AND a.field = 'state'").map((a) => [a.old_value, a.new_value, a.user]).at(-1), ['installed', 'operating', 'warehouse']);
    assert.equal(scalar("SELECT to_state FROM asset_events WHERE pile_id = ? AND kind = 'pile_state' ORDER BY id DESC LIMIT 1", p.id), 'operating');
    assert.equal(row(p.id)[2], C.chinaToday());
  }
  // Refused: nothing of them written.
  for (const p of [stock, same, hz]) assert.deepEqual(row(p.id), before[p.id], p.code);
  assert.deepEqual(sql('SELECT pile_id, outcome, COALESCE(reason, \'\') FROM pile_batch_items WHERE run_id = ? ORDER BY pile_id', run),
    [[p1.id, 'updated', ''], [p2.id, 'updated', ''], [stock.id, 'refused', 'err.pile_state_edit'], [same.id, 'refused', 'err.batch_same_state'],
      [hz.id, 'refused', 'err.batch_not_found'], [999999999, 'refused', 'err.batch_not_found']].sort((x, y) => x[0] - y[0]).map((x) => x.map(String)));

  // The summary page, for its user only.
  const page = await wh.get(r.headers.get('location'));
  assert.equal(page.status, 200);
  assert.match(page.text, /已更新 2 个，4 个未更新/);
  const lines = C.tableRows(page.text);
  assert.deepEqual(lines.find((l) => l[0] === stock.code), [stock.code, '在库', '未更新 此处只能在 已安装、运营、维修中 之间变更；出入库、返修等请用相应单据']);
  assert.deepEqual(lines.find((l) => l[0] === same.code), [same.code, '运营', '未更新 已是该状态']);
  assert.deepEqual(lines.find((l) => l[0] === `#${hz.id}`), [`#${hz.id}`, '—', '未更新 没有该充电桩，或不在您的数据范围内']);
  assert.deepEqual(lines.find((l) => l[0] === p1.code), [p1.code, '已安装', '已更新']);
  assert.ok(!page.text.includes(hz.code), 'another company\'s pile is not named');
  assert.match(page.text, new RegExp(`href="${C.escapeRe(back.replace(/&/g, '&amp;'))}">← 返回充电桩列表`));
  assert.equal((await admin.get(r.headers.get('location'))).status, 404, 'another user\'s run');
  assert.equal((await wh.get('/asset/piles/batch/999999999')).status, 404);
  assert.equal((await (await as('leader')).get(r.headers.get('location'))).status, 403);

  // The same submit again (a double click, a reload): the same run, nothing written.
  const again = await wh.post('/asset/piles/batch/state', { ids: [...ids].reverse(), to_state: 'operating', form_key: key, back });
  assert.equal(again.status, 303);
  assert.equal(again.headers.get('location'), `/asset/piles/batch/${run}`);
  assert.equal(writes(again), 0);
  // Another selection under the same key (a page the cache replayed): a run of its own.
  const other = await wh.post('/asset/piles/batch/state', { ids: [p1.id], to_state: 'repair', form_key: key, back });
  assert.equal(other.status, 303);
  assert.notEqual(other.headers.get('location'), `/asset/piles/batch/${run}`);
  assert.equal(state(p1.id), 'repair');
});

test('state: bad input and roles that may not — refused, nothing written', async () => {
  const p = await installed();
  const was = row(p.id);
  const key = C.ucode('K', 24);
  for (const [fields, msg] of [
    [{ to_state: 'operating', form_key: key }, '请先勾选充电桩'],
    [{ ids: 'x', to_state: 'operating', form_key: key }, '勾选的充电桩无效'],
    [{ ids: [...Array(101).keys()].map((i) => i + 1), to_state: 'operating', form_key: key }, '一次最多处理 100 个充电桩'],
    [{ ids: p.id, to_state: 'scrapped', form_key: key }, '请选择要改成的状态'],
    [{ ids: p.id, to_state: '', form_key: key }, '请选择要改成的状态'],
    [{ ids: p.id, form_key: key }, '请选择要改成的状态'],
    [{ ids: p.id, to_state: 'operating' }, '表单已失效'],
    [{ ids: p.id, to_state: 'operating', form_key: 'short' }, '表单已失效'],
  ]) {
    const r = await admin.post('/asset/piles/batch/state', fields);
    C.assertRefused(r, 422, msg);
    assert.equal(writes(r), 0);
    assert.match(r.text, /href="\/asset\/piles">← 返回充电桩列表/);
  }
  assert.deepEqual(row(p.id), was);
  assert.equal(scalar('SELECT COUNT(*) FROM pile_batch_runs WHERE form_key = ?', key), 0, 'a refused batch leaves no run');
  for (const u of ['leader', 'inspector', 'finance', 'procurement', 'supplier']) {
    const r = await (await as(u)).post('/asset/piles/batch/state', { ids: p.id, to_state: 'operating', form_key: key });
    assert.equal(r.status, 403, u);
  }
  assert.equal((await admin.post('/asset/piles/batch/state', { ids: p.id, to_state: 'operating', form_key: key }, { csrf: false })).status, 403);
  assert.equal((await new Client().post('/asset/piles/batch/state', { ids: p.id, to_state: 'operating', form_key: key })).status, 401);
  assert.deepEqual(row(p.id), was);
  // A back that is not the pile list is not kept.
  const r = await admin.post('/asset/piles/batch/state', { ids: p.id, to_state: 'repair', form_key: key, back: 'https://evil.example/' });
  assert.equal(r.status, 303);
  assert.match((await admin.get(r.headers.get('location'))).text, /href="\/asset\/piles">← 返回充电桩列表/);
  assert.equal(state(p.id), 'repair');
});
