// Regeneration (二维码重生, F3.2): reprint the same label (copies, layouts), replace a pile's code
// (old void with reason, new from the rule, pile relinked, code_replace in the ledger, update
// record), roles and scope, bad input with nothing written, stale and duplicate submits, the old
// code answering 410 (naming the new one only inside the user's scope), plain (demo) codes.
import { test, before } from 'node:test';
import { as, sql, scalar, assert, base } from './lib.mjs';
import * as C from './crud.mjs';
import { makeRule, makeBatch, expectedCode, batchRow, HZ, SZ } from './qr.mjs';

const P_AC7 = C.idOf('products', 'model', 'XC-AC7-W');
const WH_HZ1 = C.idOf('warehouses', 'code', 'WH-HZ-01');

let admin, ops, warehouse, rule, batch, pileId, oldCode;

const codeOf = (id) => scalar('SELECT code FROM piles WHERE id = ?', id);
const replacements = (id) => scalar('SELECT COUNT(*) FROM code_replacements WHERE pile_id = ?', id);
const events = (id) => scalar("SELECT COUNT(*) FROM asset_events WHERE pile_id = ? AND kind = 'code_replace'", id);
const ruleCodes = (id) => scalar('SELECT COUNT(*) FROM qr_codes c JOIN qr_batches b ON b.id = c.batch_id WHERE b.rule_id = ?', id);

/** The replace form's key on the regeneration page. */
async function regenKey(client, id) {
  const r = await client.get(`/qr/piles/${id}/regenerate`);
  assert.equal(r.status, 200);
  const m = r.text.match(/name="form_key" value="([^"]+)"/);
  assert.ok(m, 'the page has the replace form');
  return m[1];
}

async function replace(client, id, fields = {}) {
  const form_key = fields.form_key ?? await regenKey(client, id);
  return client.post(`/qr/piles/${id}/replace`, { code: codeOf(id), reason: 'damaged', form_key, ...fields });
}

function unchanged(id, code) {
  assert.equal(codeOf(id), code, 'pile code unchanged');
  assert.equal(replacements(id), 0, 'no replacement written');
  assert.equal(events(id), 0, 'no ledger event');
}

before(async () => {
  admin = await as('admin');
  ops = await as('ops');
  warehouse = await as('warehouse');
  rule = await makeRule(admin);
  ({ id: batch } = await makeBatch(admin, rule.id, 4));
  const r = await admin.get(`/qr/batches/${batch}`);
  const key = r.text.match(/action="\/qr\/batches\/\d+\/piles"[\s\S]*?name="form_key" value="([^"]+)"/)[1];
  const p = await admin.post(`/qr/batches/${batch}/piles`, { product_id: P_AC7, company_id: HZ(), warehouse_id: WH_HZ1, count: 2, form_key: key });
  assert.equal(p.status, 303);
  oldCode = scalar('SELECT code FROM qr_codes WHERE batch_id = ? ORDER BY serial LIMIT 1', batch);
  pileId = scalar('SELECT id FROM piles WHERE code = ?', oldCode);
  assert.ok(pileId);
});

test('roles: inspector, leader and supplier get 403; another company\'s pile is 404; nothing changes', async () => {
  for (const u of ['inspector', 'leader', 'supplier']) {
    const c = await as(u);
    assert.equal((await c.get(`/qr/piles/${pileId}/regenerate`)).status, 403, `${u} page`);
    assert.equal((await c.get(`/qr/piles/${pileId}/label?layout=a4&copies=2`)).status, 403, `${u} reprint`);
    assert.equal((await c.get(`/qr/regenerate?value=${oldCode}`)).status, 403, `${u} scan`);
    assert.equal((await c.post(`/qr/piles/${pileId}/replace`, { code: oldCode, reason: 'lost', form_key: 'k'.repeat(20) })).status, 403, `${u} replace`);
  }
  // 苏州's warehouse keeper, a 杭州 pile.
  assert.equal((await warehouse.get(`/qr/piles/${pileId}/regenerate`)).status, 404);
  assert.equal((await warehouse.get(`/qr/piles/${pileId}/label?layout=roll`)).status, 404);
  assert.equal((await warehouse.post(`/qr/piles/${pileId}/replace`, { code: oldCode, reason: 'lost', form_key: 'k'.repeat(20) })).status, 404);
  const s = await warehouse.get(`/qr/regenerate?value=${encodeURIComponent(`${base}/wx/p/${oldCode}`)}`);
  assert.equal(s.status, 404);
  assert.match(C.alertText(s.text), /未找到该编码/);
  assert.equal((await admin.get('/qr/piles/999999999/regenerate')).status, 404);
  assert.equal((await admin.get('/qr/piles/abc/regenerate')).status, 404);
  unchanged(pileId, oldCode);
});

test('reprint: the same code, 1-100 copies, A4 or roll; bad copies refused', async () => {
  const a4 = await admin.get(`/qr/piles/${pileId}/label?layout=a4&copies=3`);
  assert.equal(a4.status, 200);
  assert.match(a4.text, /sheet sheet-a4/);
  assert.equal((a4.text.match(new RegExp(`src="/qr/piles/${pileId}/svg"`, 'g')) ?? []).length, 3);
  // The image is the label of the code the pile carries now (never cached: it may change).
  const svg = await admin.get(`/qr/piles/${pileId}/svg`);
  assert.equal(svg.status, 200);
  assert.equal(svg.headers.get('content-type'), 'image/svg+xml');
  assert.match(svg.headers.get('cache-control'), /no-cache/);
  assert.match(svg.text, new RegExp(`>${oldCode}</text>`));
  assert.equal((await warehouse.get(`/qr/piles/${pileId}/svg`)).status, 404);
  const roll = await admin.get(`/qr/piles/${pileId}/label?layout=roll`);
  assert.equal(roll.status, 200);
  assert.match(roll.text, /sheet sheet-roll/);
  assert.equal((roll.text.match(/<div class="label">/g) ?? []).length, 1);
  for (const bad of ['copies=0', 'copies=101', 'copies=abc', 'layout=x']) {
    const r = await admin.get(`/qr/piles/${pileId}/label?${bad}`);
    assert.equal(r.status, 422, bad);
    C.assertFieldMessage(r, 'copies', '份数为 1–100');
  }
  // The code's own reprint takes copies too.
  const one = await admin.get(`/qr/codes/${oldCode}/label?layout=a4&copies=2`);
  assert.equal(one.status, 200);
  assert.equal((one.text.match(/<div class="label">/g) ?? []).length, 2);
  assert.equal((await admin.get(`/qr/codes/${oldCode}/label?copies=500`)).status, 400);
  unchanged(pileId, oldCode);
});

test('the scan page opens the pile of a scanned code', async () => {
  for (const v of [oldCode, oldCode.toLowerCase(), `${base}/wx/p/${oldCode}`, `QR_CODE,${base}/wx/p/${oldCode}`]) {
    const r = await ops.get(`/qr/regenerate?value=${encodeURIComponent(v)}`);
    assert.equal(r.status, 303, v);
    assert.equal(r.headers.get('location'), `/qr/piles/${pileId}/regenerate`);
  }
  const free = scalar("SELECT code FROM qr_codes WHERE batch_id = ? AND state = 'unused' ORDER BY serial LIMIT 1", batch);
  const f = await ops.get(`/qr/regenerate?value=${free}`);
  assert.equal(f.status, 422);
  assert.match(C.alertText(f.text), /尚未绑定充电桩/);
  const g = await ops.get('/qr/regenerate?value=' + encodeURIComponent('<script>'));
  assert.equal(g.status, 422);
  assert.doesNotMatch(g.text, /<script>/);
  const h = await ops.get(`/qr/regenerate?value=${encodeURIComponent(`https://evil.example.com/wx/p/${oldCode}`)}`);
  assert.equal(h.status, 422);
  assert.match(C.alertText(h.text), /不是本系统的二维码/);
});

test('bad input is refused with a message and changes nothing', async () => {
  const other = await makeRule(admin, { company_id: SZ() });
  const disabled = await makeRule(admin, { enabled: undefined });
  const before = ruleCodes(rule.id);
  const cases = [
    [{ reason: '' }, 422, 'reason', '请从列表中选择'],
    [{ reason: 'stolen' }, 422, 'reason', '请从列表中选择'],
    [{ rule_id: 999999999 }, 422, 'rule_id', '所选记录不存在或无权使用'],
    [{ rule_id: 'abc' }, 422, 'rule_id', '所选记录不存在或无权使用'],
    [{ rule_id: disabled.id }, 422, 'rule_id', '所选记录不存在或无权使用'],
    [{ note: '备'.repeat(201) }, 422, 'note', '输入过长'],
  ];
  for (const [fields, status, field, msg] of cases) {
    const r = await replace(admin, pileId, fields);
    assert.equal(r.status, status, `${JSON.stringify(fields).slice(0, 60)} → ${status} (got ${r.status})`);
    C.assertFieldMessage(r, field, msg);
    assert.equal(C.auditOf(r), 0);
    unchanged(pileId, oldCode);
  }
  // A rule of another company, for a city-company user (苏州 rule, 苏州 user, 杭州 pile is 404 anyway;
  // so: a 苏州 pile with a 杭州 rule).
  const szPile = scalar("SELECT id FROM piles WHERE company_id = ? AND code LIKE 'CW%' ORDER BY id LIMIT 1", SZ());
  const szCode = codeOf(szPile);
  const x = await replace(warehouse, szPile, { rule_id: rule.id });
  assert.equal(x.status, 422);
  C.assertFieldMessage(x, 'rule_id', '所选记录不存在或无权使用');
  unchanged(szPile, szCode);
  // A plain (demo) code has no rule to keep: one must be chosen.
  const y = await replace(warehouse, szPile);
  assert.equal(y.status, 422);
  C.assertFieldMessage(y, 'rule_id', /请选择用于新编码的规则/);
  unchanged(szPile, szCode);
  assert.equal(ruleCodes(other.id), 0);
  // The rule's next code is already a (typed-in) pile's code: refused, nothing drawn.
  const clash = await makeRule(admin);
  const clashCode = expectedCode(clash, batchRow(batch).year, 1);
  const made = await admin.post('/asset/piles', { code: clashCode, product_id: P_AC7, company_id: HZ(), state: 'in_stock' });
  assert.equal(made.status, 303, C.alertText(made.text));
  const z = await replace(admin, pileId, { rule_id: clash.id });
  assert.equal(z.status, 422);
  C.assertFieldMessage(z, 'rule_id', /新编码与已有编码重复/);
  assert.equal(C.auditOf(z), 0);
  unchanged(pileId, oldCode);
  assert.equal(scalar('SELECT next_serial FROM code_rules WHERE id = ?', clash.id), 1);
  assert.equal(ruleCodes(clash.id), 0);
  // Stale: the form shows a code the pile no longer carries.
  const s = await replace(admin, pileId, { code: 'SOMETHINGELSE1' });
  assert.equal(s.status, 409);
  assert.match(C.alertText(s.text), /编码已变更/);
  // No form key, no CSRF: refused.
  assert.equal((await admin.post(`/qr/piles/${pileId}/replace`, { code: oldCode, reason: 'lost' })).status, 400);
  assert.equal((await admin.post(`/qr/piles/${pileId}/replace`, { code: oldCode, reason: 'lost', form_key: await regenKey(admin, pileId) }, { csrf: false })).status, 403);
  unchanged(pileId, oldCode);
  assert.equal(ruleCodes(rule.id), before, 'no code drawn');
});

test('replace: old code void, new code from the rule, pile relinked, ledger + update records; repeat submit is one replacement', async () => {
  const next = scalar('SELECT next_serial FROM code_rules WHERE id = ?', rule.id);
  const year = batchRow(batch).year;
  const expected = expectedCode(rule, year, next);
  const form_key = await regenKey(admin, pileId);
  const r = await replace(admin, pileId, { reason: 'damaged', note: '标签被雨水泡坏', form_key });
  assert.equal(r.status, 303, C.alertText(r.text));
  assert.equal(r.headers.get('location'), `/qr/piles/${pileId}/regenerate?flash=replaced`);
  assert.equal(codeOf(pileId), expected);
  assert.deepEqual(sql('SELECT o.state, o.void_reason, o.replaced_by = n.id, o.voided_at IS NOT NULL, n.state, n.pile_id FROM qr_codes o, qr_codes n WHERE o.code = ? AND n.code = ?', oldCode, expected),
    [['void', 'damaged', '1', '1', 'bound', String(pileId)]]);
  assert.deepEqual(sql("SELECT kind, from_code, to_code FROM asset_events WHERE pile_id = ? AND kind = 'code_replace'", pileId), [['code_replace', oldCode, expected]]);
  assert.deepEqual(C.audit('pile', pileId, "AND a.field = 'code'").map((a) => [a.action, a.old_value, a.new_value, a.user]), [['update', oldCode, expected, 'admin']]);
  assert.deepEqual(sql('SELECT old_code, new_code, reason, note FROM code_replacements WHERE pile_id = ?', pileId), [[oldCode, expected, 'damaged', '标签被雨水泡坏']]);
  assert.equal(scalar('SELECT next_serial FROM code_rules WHERE id = ?', rule.id), next + 1);

  // The same form again: one replacement only.
  const again = await replace(admin, pileId, { code: oldCode, form_key });
  assert.equal(again.status, 303);
  assert.equal(again.headers.get('location'), `/qr/piles/${pileId}/regenerate?flash=replace_exists`);
  assert.equal(replacements(pileId), 1);
  assert.equal(codeOf(pileId), expected);

  // The old label no longer resolves; the new one does.
  const old = await admin.get(`/qr/lookup?value=${encodeURIComponent(`${base}/wx/p/${oldCode}`)}`);
  assert.equal(old.status, 410);
  assert.match(C.alertText(old.text), new RegExp(`已更换为新编码：\\s*${expected}`));
  const oldJson = await admin.get(`/qr/lookup?value=${oldCode}`, { json: true });
  assert.equal(oldJson.status, 410);
  assert.equal((await admin.get(`/qr/codes/${oldCode}.svg`)).status, 410);
  assert.equal((await admin.get(`/qr/codes/${oldCode}/label`)).status, 410);
  const sc = await admin.get(`/qr/regenerate?value=${oldCode}`);
  assert.equal(sc.status, 410);
  assert.match(C.alertText(sc.text), new RegExp(expected));
  const neu = await admin.get(`/qr/lookup?value=${encodeURIComponent(`${base}/wx/p/${expected}`)}`, { json: true });
  assert.equal(neu.status, 200);
  assert.equal(neu.json().code.pile_id, String(pileId));
  assert.equal((await admin.get(`/qr/codes/${expected}.svg`)).status, 200);
  const reg = await admin.get(`/qr/regenerate?value=${expected}`);
  assert.equal(reg.headers.get('location'), `/qr/piles/${pileId}/regenerate`);

  // The pile card's ledger shows both codes; the page shows the history.
  const card = await admin.get(`/asset/piles/${pileId}`);
  assert.match(card.text, /二维码重生/);
  assert.match(card.text, new RegExp(`${oldCode} → ${expected}`));
  const page = await admin.get(`/qr/piles/${pileId}/regenerate?flash=replaced`);
  assert.match(page.text, /已更换二维码/);
  assert.match(page.text, new RegExp(`<s class="code-text">${oldCode}</s>`));
  // A new pile may not take the void code.
  const n = await admin.post('/asset/piles', { code: oldCode, product_id: P_AC7, company_id: HZ(), state: 'in_stock' });
  assert.equal(n.status, 422);
  C.assertFieldMessage(n, 'code', /已作废/);
});

test('410 never names a code outside the user\'s scope', async () => {
  const r = await warehouse.get(`/qr/lookup?value=${oldCode}`);
  assert.notEqual(r.status, 200);
  assert.doesNotMatch(r.text, new RegExp(codeOf(pileId)));
  const s = await warehouse.get(`/qr/regenerate?value=${oldCode}`);
  assert.doesNotMatch(s.text, new RegExp(codeOf(pileId)));
});

test('a demo pile (plain code) gets a generated code from a chosen rule; its old code answers 410', async () => {
  const demo = scalar("SELECT id FROM piles WHERE company_id = ? AND code LIKE 'CW%' AND NOT EXISTS (SELECT 1 FROM code_replacements cr WHERE cr.pile_id = piles.id) ORDER BY id DESC LIMIT 1", HZ());
  const plain = codeOf(demo);
  // Its label renders and reprints though it was never generated here.
  assert.equal((await ops.get(`/qr/codes/${plain}.svg`)).status, 200);
  assert.equal((await ops.get(`/qr/piles/${demo}/label?layout=roll&copies=2`)).status, 200);
  const page = await ops.get(`/qr/piles/${demo}/regenerate`);
  assert.match(page.text, /非系统生成的编码/);
  const r = await replace(ops, demo, { rule_id: rule.id, reason: 'lost' });
  assert.equal(r.status, 303, C.alertText(r.text));
  const now = codeOf(demo);
  assert.notEqual(now, plain);
  assert.equal(scalar("SELECT COUNT(*) FROM qr_codes WHERE code = ? AND state = 'bound' AND pile_id = ?", now, demo), 1);
  assert.deepEqual(sql('SELECT old_code, old_code_id, new_code FROM code_replacements WHERE pile_id = ?', demo), [[plain, null, now]]);
  const old = await ops.get(`/qr/lookup?value=${plain}`);
  assert.equal(old.status, 410);
  assert.match(C.alertText(old.text), new RegExp(now));
  assert.equal((await ops.get(`/qr/codes/${plain}.svg`)).status, 410);
  // Replaced twice: the old code names the pile's current code.
  const again = await replace(ops, demo, { reason: 'other' });
  assert.equal(again.status, 303, C.alertText(again.text));
  const third = codeOf(demo);
  const o2 = await ops.get(`/qr/lookup?value=${plain}`);
  assert.match(C.alertText(o2.text), new RegExp(third));
  assert.equal(events(demo), 2);
});

test('the ledger check finds no drift in codes', async () => {
  const rows = sql(await import('node:fs').then((fs) => fs.readFileSync(new URL('../../db/verify.sql', import.meta.url), 'utf8')));
  assert.deepEqual(rows, []);
});
