// Piles from codes (F3 ⇄ F4): "register piles" on a batch page (roles, scope, bad input of every
// kind with nothing written, duplicate submit, ranges, ledger + update records + bound codes), the
// batch page's per-code list, and the pile form's code field (scanned URL, void/bound/foreign code
// refused, plain codes still work).
import { test, before } from 'node:test';
import { as, sql, scalar, assert, base } from './lib.mjs';
import * as C from './crud.mjs';
import { makeRule, makeBatch, HZ, SZ } from './qr.mjs';

const P_AC7 = C.idOf('products', 'model', 'XC-AC7-W'); // 24 months of warranty
const WH_HZ1 = C.idOf('warehouses', 'code', 'WH-HZ-01');
const WH_SZ1 = C.idOf('warehouses', 'code', 'WH-SZ-01');

let admin, warehouse, rule, batch, codes;

/** The batch's codes in serial order. */
const codesOf = (id) => sql('SELECT code FROM qr_codes WHERE batch_id = ? ORDER BY serial', id).map((r) => r[0]);
const pilesOf = (id) => scalar('SELECT COUNT(*) FROM piles p JOIN qr_codes c ON c.code = p.code WHERE c.batch_id = ?', id);
const runsOf = (id) => scalar('SELECT COUNT(*) FROM qr_pile_runs WHERE batch_id = ?', id);

/** The piles form's key from the batch page. */
async function pilesKey(client, id) {
  const r = await client.get(`/qr/batches/${id}`);
  assert.equal(r.status, 200);
  const m = r.text.match(/action="\/qr\/batches\/\d+\/piles"[\s\S]*?name="form_key" value="([^"]+)"/);
  assert.ok(m, 'the batch page has the register-piles form');
  return m[1];
}

async function register(client, id, fields) {
  const form_key = fields.form_key ?? await pilesKey(client, id);
  return client.post(`/qr/batches/${id}/piles`, { form_key, ...fields });
}

before(async () => {
  admin = await as('admin');
  warehouse = await as('warehouse');
  rule = await makeRule(admin);
  ({ id: batch } = await makeBatch(admin, rule.id, 12));
  codes = codesOf(batch);
  assert.equal(codes.length, 12);
});

test('roles: inspector, leader and supplier are refused (403); another company\'s batch is 404', async () => {
  for (const u of ['inspector', 'leader', 'supplier']) {
    const c = await as(u);
    const r = await c.post(`/qr/batches/${batch}/piles`, { product_id: P_AC7, company_id: HZ(), form_key: 'k'.repeat(20) });
    assert.equal(r.status, 403, u);
    assert.equal((await c.get(`/qr/batches/${batch}`)).status, 403, `${u} batch page`);
  }
  // The warehouse keeper (苏州) may not see or use a 杭州 batch.
  assert.equal((await warehouse.get(`/qr/batches/${batch}`)).status, 404);
  const r = await warehouse.post(`/qr/batches/${batch}/piles`, { product_id: P_AC7, company_id: SZ(), form_key: 'k'.repeat(20) });
  assert.equal(r.status, 404);
  assert.equal(pilesOf(batch), 0);
  assert.equal(runsOf(batch), 0);
});

test('bad input is refused with a message per field and writes nothing', async () => {
  const cases = [
    [{ product_id: '', company_id: HZ() }, 'product_id', '必填'],
    [{ product_id: 999999999, company_id: HZ() }, 'product_id', '所选记录不存在或无权使用'],
    [{ product_id: 'abc', company_id: HZ() }, 'product_id', '所选记录不存在或无权使用'],
    [{ product_id: P_AC7, company_id: '' }, 'company_id', '必填'],
    [{ product_id: P_AC7, company_id: C.idOf('companies', 'code', 'MF-XC') }, 'company_id', '所选记录不存在或无权使用'],
    [{ product_id: P_AC7, company_id: HZ(), warehouse_id: WH_SZ1 }, 'warehouse_id', /所属公司随其所在位置/],
    [{ product_id: P_AC7, company_id: HZ(), warehouse_id: 999999999 }, 'warehouse_id', '所选记录不存在或无权使用'],
    [{ product_id: P_AC7, company_id: HZ(), count: 0 }, 'count', '数值过小'],
    [{ product_id: P_AC7, company_id: HZ(), count: 10001 }, 'count', /不能大于 10000/],
    [{ product_id: P_AC7, company_id: HZ(), count: '3x' }, 'count', '请输入整数'],
    [{ product_id: P_AC7, company_id: HZ(), from_code: 'NOSUCHCODE1' }, 'from_code', '该编码不属于本批次'],
    [{ product_id: P_AC7, company_id: HZ(), from_code: `https://evil.example.com/wx/p/${codes[0]}` }, 'from_code', '不是本系统的二维码'],
    [{ product_id: P_AC7, company_id: HZ(), from_code: 'x'.repeat(301) }, 'from_code', /最多 300 个字符/],
  ];
  for (const [fields, field, msg] of cases) {
    const r = await register(admin, batch, fields);
    assert.equal(r.status, 422, `${JSON.stringify(fields)} → 422 (got ${r.status})`);
    C.assertFieldMessage(r, field, msg);
    assert.equal(C.auditOf(r), 0);
    assert.equal(pilesOf(batch), 0, 'no pile written');
    assert.equal(runsOf(batch), 0, 'no run written');
  }
  // A city company user may only register piles for his own company.
  const own = await makeRule(admin, { company_id: SZ() });
  const { id: szBatch } = await makeBatch(admin, own.id, 2);
  const r = await register(warehouse, szBatch, { product_id: P_AC7, company_id: HZ() });
  assert.equal(r.status, 422);
  C.assertFieldMessage(r, 'company_id', '所选记录不存在或无权使用');
  const w = await register(warehouse, szBatch, { product_id: P_AC7, company_id: SZ(), warehouse_id: WH_HZ1 });
  assert.equal(w.status, 422);
  C.assertFieldMessage(w, 'warehouse_id', '所选记录不存在或无权使用');
  assert.equal(pilesOf(szBatch), 0);
  // No form key, no CSRF token: refused.
  const k = await admin.post(`/qr/batches/${batch}/piles`, { product_id: P_AC7, company_id: HZ() });
  assert.equal(k.status, 400);
  const x = await admin.post(`/qr/batches/${batch}/piles`, { product_id: P_AC7, company_id: HZ(), form_key: await pilesKey(admin, batch) }, { csrf: false });
  assert.equal(x.status, 403);
  assert.equal(pilesOf(batch), 0);
  assert.equal(runsOf(batch), 0);
  // Unknown batch: 404.
  assert.equal((await admin.post('/qr/batches/999999999/piles', { product_id: P_AC7, company_id: HZ(), form_key: 'k'.repeat(20) })).status, 404);
});

test('register a range: one pile per code, in stock, ledger + update records, codes bound; a repeat submit adds nothing', async () => {
  const form_key = await pilesKey(admin, batch);
  // The first code given as the label URL, as a scanner reads it.
  const r = await register(admin, batch, { product_id: P_AC7, company_id: HZ(), warehouse_id: WH_HZ1,
    from_code: `${base}/wx/p/${codes[2]}`, count: 5, form_key });
  assert.equal(r.status, 303, C.alertText(r.text));
  assert.equal(r.headers.get('location'), `/qr/batches/${batch}?flash=piles_created&n=5`);
  const made = codes.slice(2, 7);
  const rows = sql(`SELECT p.code, p.product_id, p.company_id, p.warehouse_id, p.place, p.state, p.owner_company_id,
      p.warranty_end = DATE(p.created_at + INTERVAL 8 HOUR) + INTERVAL 24 MONTH, c.state, c.pile_id = p.id
    FROM piles p JOIN qr_codes c ON c.code = p.code WHERE c.batch_id = ? ORDER BY c.serial`, batch);
  assert.deepEqual(rows, made.map((code) => [code, String(P_AC7), String(HZ()), String(WH_HZ1), 'warehouse', 'in_stock',
    String(HZ()), '1', 'bound', '1']));
  for (const code of made) {
    const id = scalar('SELECT id FROM piles WHERE code = ?', code);
    assert.deepEqual(sql("SELECT kind, to_state, to_place, to_code FROM asset_events WHERE pile_id = ?", id),
      [['pile_create', 'in_stock', `warehouse:${WH_HZ1}`, code]]);
    assert.deepEqual(C.audit('pile', id).map((a) => [a.action, a.user, a.new_value]), [['create', 'admin', code]]);
  }
  assert.equal(scalar("SELECT COUNT(*) FROM qr_codes WHERE batch_id = ? AND state = 'unused'", batch), 7);

  // The same form again: lands on the first run, nothing more.
  const again = await register(admin, batch, { product_id: P_AC7, company_id: HZ(), count: 5, form_key });
  assert.equal(again.status, 303);
  assert.equal(again.headers.get('location'), `/qr/batches/${batch}?flash=piles_exist`);
  assert.equal(pilesOf(batch), 5);
  assert.equal(runsOf(batch), 1);

  // The batch page: counts and, per code, its pile or "free".
  const page = await admin.get(`/qr/batches/${batch}`);
  assert.match(page.text, /7 \/ 5 \/ 0/);
  const p3 = scalar('SELECT id FROM piles WHERE code = ?', codes[2]);
  assert.match(page.text, new RegExp(`<tr data-code="${codes[2]}">[\\s\\S]*?<a href="/asset/piles/${p3}">${codes[2]}</a>`));
  assert.match(page.text, new RegExp(`<tr data-code="${codes[0]}">[\\s\\S]*?未使用[\\s\\S]*?<span class="text-muted">未登记</span>`));
  const bound = await admin.get(`/qr/batches/${batch}?cstate=bound`);
  assert.equal((bound.text.match(/<tr data-code=/g) ?? []).length, 5);
  // The pile card links back to its label and regeneration.
  const card = await admin.get(`/asset/piles/${p3}`);
  assert.match(card.text, new RegExp(`/qr/piles/${p3}/regenerate`));
});

test('a code a pile already carries (typed in by hand) stops the whole run', async () => {
  const own = await makeRule(admin);
  const { id } = await makeBatch(admin, own.id, 3);
  const [c1, c2] = codesOf(id);
  // A pile typed in before the batch was registered, with a plain code equal to c2 (written
  // straight to the table, the way an old import would have).
  sql(`INSERT INTO piles (code, company_id, state, place) VALUES (?, ?, 'in_stock', 'none')`, c2, HZ());
  const pid = scalar('SELECT id FROM piles WHERE code = ?', c2);
  sql("INSERT INTO asset_events (at, kind, pile_id, to_state, to_place, request_id) VALUES (UTC_TIMESTAMP(6), 'pile_create', ?, 'in_stock', 'none', 'test')", pid);
  const r = await register(admin, id, { product_id: P_AC7, company_id: HZ() });
  assert.equal(r.status, 409);
  assert.match(C.alertText(r.text), new RegExp(`未登记任何桩：\\s*${c2}`));
  assert.equal(C.auditOf(r), 0);
  assert.equal(scalar('SELECT COUNT(*) FROM piles WHERE code = ?', c1), 0);
  assert.equal(runsOf(id), 0);
  assert.equal(scalar("SELECT COUNT(*) FROM qr_codes WHERE batch_id = ? AND (state <> 'unused' OR bind_run_id IS NOT NULL)", id), 0);
  // Tidy up: the hand-made pile carries that code from now on.
  sql("UPDATE qr_codes SET state = 'bound', pile_id = ? WHERE code = ?", pid, c2);
});

test('the rest of the batch, then nothing left', async () => {
  const r = await register(admin, batch, { product_id: P_AC7, company_id: HZ() });
  assert.equal(r.status, 303, C.alertText(r.text));
  assert.equal(r.headers.get('location'), `/qr/batches/${batch}?flash=piles_created&n=7`);
  assert.equal(pilesOf(batch), 12);
  const places = sql('SELECT DISTINCT p.place, p.warehouse_id FROM piles p JOIN qr_codes c ON c.pile_id = p.id WHERE c.batch_id = ? AND c.serial < (SELECT MIN(serial) + 2 FROM qr_codes WHERE batch_id = ?)', batch, batch);
  assert.deepEqual(places, [['none', null]]);
  const page = await admin.get(`/qr/batches/${batch}`);
  assert.doesNotMatch(page.text, /\/piles" class="card-body/, 'no register form without free codes');
  const none = await register(admin, batch, { product_id: P_AC7, company_id: HZ(), form_key: `nothing-left-${Date.now()}` });
  // Nothing free: the page no longer offers the form, a post is refused.
  assert.equal(none.status, 409);
  assert.match(C.alertText(none.text), /没有未使用的编码/);
  assert.equal(pilesOf(batch), 12);
  assert.equal(runsOf(batch), 2);
});

/** Prepared statements the server has executed, all sessions together (the workers use the
 *  binary protocol only; sql() above speaks text, so it does not count itself). */
const stmtsExecuted = () => scalar("SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = 'COM_STMT_EXECUTE'");

test('10,000 codes become piles in a handful of statements, not one set per pile', async () => {
  const big = await makeRule(admin, { serial_width: 6 });
  const { id } = await makeBatch(admin, big.id, 10000);
  const form_key = await pilesKey(admin, id);
  const before = stmtsExecuted();
  const r = await register(admin, id, { product_id: P_AC7, company_id: HZ(), form_key });
  const statements = stmtsExecuted() - before;
  assert.equal(r.status, 303, C.alertText(r.text));
  assert.equal(r.headers.get('location'), `/qr/batches/${id}?flash=piles_created&n=10000`);
  assert.equal(pilesOf(id), 10000);
  assert.equal(scalar("SELECT COUNT(*) FROM qr_codes WHERE batch_id = ? AND state = 'bound'", id), 10000);
  assert.equal(scalar("SELECT COUNT(*) FROM asset_events e JOIN qr_codes c ON c.pile_id = e.pile_id WHERE c.batch_id = ? AND e.kind = 'pile_create' AND e.to_code = c.code", id), 10000);
  assert.equal(scalar("SELECT COUNT(*) FROM audit_log a JOIN qr_codes c ON c.pile_id = a.entity_id WHERE c.batch_id = ? AND a.entity = 'pile' AND a.action = 'create' AND a.new_value = c.code", id), 10000);
  assert.deepEqual(sql('SELECT COUNT(*), SUM(count) FROM qr_pile_runs WHERE batch_id = ?', id), [['1', '10000']]);
  // The run is set-based (cgi/model/pile_code.c, pile_create_from_codes): the request's statements
  // — session, checks, the run's inserts and updates — are under twenty whatever the count;
  // a pile, ledger row, audit row and code update each would be 40,000.
  assert.ok(statements > 0 && statements < 100, `${statements} statements for 10,000 piles`);
  console.log(`# 10,000 piles from codes in ${statements} statements`);
});

test('the pile form links a scanned generated code, refuses void/bound/foreign codes, keeps plain codes', async () => {
  const own = await makeRule(admin);
  const { id } = await makeBatch(admin, own.id, 4);
  const [c1, c2, c3] = codesOf(id);
  const form = (code, over = {}) => ({ code, product_id: P_AC7, company_id: HZ(), warehouse_id: WH_HZ1, state: 'in_stock', ...over });

  // The label URL, as a scanner gives it.
  let r = await admin.post('/asset/piles', form(`${base}/wx/p/${c1}`));
  assert.equal(r.status, 303, C.alertText(r.text));
  const p1 = scalar('SELECT id FROM piles WHERE code = ?', c1);
  assert.ok(p1);
  assert.deepEqual(sql('SELECT state, pile_id FROM qr_codes WHERE code = ?', c1), [['bound', String(p1)]]);
  assert.deepEqual(sql('SELECT kind, to_code FROM asset_events WHERE pile_id = ?', p1), [['pile_create', c1]]);
  assert.deepEqual(C.audit('pile', p1).map((a) => [a.action, a.new_value]), [['create', c1]]);
  // WeChat's scan result, lower case.
  r = await admin.post('/asset/piles', form(`QR_CODE,${base}/wx/p/${c2.toLowerCase()}`));
  assert.equal(r.status, 303, C.alertText(r.text));
  assert.equal(scalar("SELECT COUNT(*) FROM qr_codes c JOIN piles p ON p.id = c.pile_id AND BINARY p.code = c.code WHERE c.code = ? AND c.state = 'bound'", c2), 1);

  const refused = async (client, value, msg, over) => {
    const before = scalar('SELECT COUNT(*) FROM piles');
    const x = await client.post('/asset/piles', form(value, over));
    assert.equal(x.status, 422, `${value} → 422`);
    C.assertFieldMessage(x, 'code', msg);
    assert.equal(C.auditOf(x), 0);
    assert.equal(scalar('SELECT COUNT(*) FROM piles'), before);
  };
  // Bound to another pile (its code is on p1): refused before the unique key would be.
  await refused(admin, c1, '该二维码已绑定到其他充电桩');
  // Void.
  sql("UPDATE qr_codes SET state = 'void', voided_at = UTC_TIMESTAMP(), void_reason = 'lost' WHERE code = ?", c3);
  await refused(admin, c3, '该二维码已作废（已更换），不能用于新桩');
  // Another company's batch (杭州) for a 苏州 user.
  await refused(warehouse, codesOf(id)[3], '该编码属于其他公司的二维码批次，不能使用', { company_id: SZ(), warehouse_id: WH_SZ1 });
  // A URL that is not one of our labels.
  await refused(admin, `https://evil.example.com/wx/p/${codesOf(id)[3]}`, '不是本系统的二维码');
  assert.deepEqual(sql('SELECT state FROM qr_codes WHERE code = ?', codesOf(id)[3]), [['unused']]);

  // A plain code (not generated here) still works as before, with no code row.
  const plain = C.ucode('PLN', 14).toLowerCase() + '-x';
  r = await admin.post('/asset/piles', form(plain));
  assert.equal(r.status, 303, C.alertText(r.text));
  assert.equal(scalar('SELECT COUNT(*) FROM piles WHERE BINARY code = ?', plain), 1);
  assert.equal(scalar('SELECT COUNT(*) FROM qr_codes WHERE code = ?', plain), 0);
  // The list finds it; its label renders from the pile.
  const pid = scalar('SELECT id FROM piles WHERE code = ?', plain);
  const card = await admin.get(`/asset/piles/${pid}`);
  assert.equal(card.status, 200);
  assert.match(card.text, new RegExp(`src="/qr/piles/${pid}/svg"`));
  const svg = await admin.get(`/qr/piles/${pid}/svg`);
  assert.equal(svg.status, 200);
  assert.match(svg.text, new RegExp(`>${plain}</text>`));

  // Deleting a pile made from a code frees the code.
  const d = await admin.post(`/asset/piles/${p1}/delete`);
  assert.equal(d.status, 303, C.alertText(d.text));
  assert.deepEqual(sql('SELECT state, pile_id, bound_at FROM qr_codes WHERE code = ?', c1), [['unused', null, null]]);
  // …so it can be used again.
  r = await admin.post('/asset/piles', form(c1));
  assert.equal(r.status, 303, C.alertText(r.text));
  assert.equal(scalar("SELECT COUNT(*) FROM qr_codes c JOIN piles p ON p.id = c.pile_id WHERE c.code = ? AND c.state = 'bound'", c1), 1);
});
