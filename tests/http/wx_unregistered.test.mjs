// A scanned code that no visible pile carries (issue 10; cgi/model/codeinfo.c), on the phone card
// (/wx/p/<code>) and the web lookup (/asset/piles/lookup): an unused label of the user's batch
// is told as such (batch, rule, date, serial) with 登记充电桩 (the pile form, code and company
// filled in) for those who may create piles and whom to ask for the others; a typo in the check
// character, a plain code, a label bound elsewhere and a replaced code each get their sentence;
// anything outside the user's scope — and anything for a supplier — stays "not found" without a
// hint of what exists elsewhere.  Registering from it binds the label.  Values are escaped.
import { test, before } from 'node:test';
import { Client, as, base, sql, scalar, assert } from './lib.mjs';
import * as C from './crud.mjs';
import { makeRule, makeBatch, SZ, HZ } from './qr.mjs';

const PILES = { path: '/asset/piles', table: 'piles', entity: 'pile', key: 'code' };
const WH_SZ1 = C.idOf('warehouses', 'code', 'WH-SZ-01');
const WH_HZ1 = C.idOf('warehouses', 'code', 'WH-HZ-01');
const P_AC7 = C.idOf('products', 'model', 'XC-AC7-W');
const ALNUM = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

let admin, szRule, szBatch, codes, hzBatch, hzCodes;

async function phone(username) {
  const c = new Client();
  await c.get('/wx/login');
  const r = await c.post('/wx/login', { username, password: 'demo1234' });
  assert.equal(r.status, 303, `phone login ${username}`);
  await c.get('/wx/scan');
  return c;
}

before(async () => {
  admin = await as('admin');
  szRule = await makeRule(admin, { company_id: SZ(), name: `苏州<b>标签</b>"${Date.now().toString(36)}` });
  szBatch = (await makeBatch(admin, szRule.id, 6)).id;
  codes = sql('SELECT code FROM qr_codes WHERE batch_id = ? ORDER BY serial', szBatch).map((x) => x[0]);
  const hzRule = await makeRule(admin, { company_id: HZ() });
  hzBatch = (await makeBatch(admin, hzRule.id, 2)).id;
  hzCodes = sql('SELECT code FROM qr_codes WHERE batch_id = ? ORDER BY serial', hzBatch).map((x) => x[0]);
});

/** The explanation block of a page: lead, sentence, register link, ask list, batch link. */
function explained(html) {
  const block = html.match(/<div class="unknown-code"[^>]*data-kind="(\w+)">([\s\S]*?)\n<\/div>/);
  const text = (re) => { const m = html.match(re); return m ? C.unescapeHtml(m[1]).trim() : undefined; };
  return {
    kind: block?.[1],
    lead: text(/<p class="lead">([\s\S]*?)<\/p>/),
    what: text(/<p class="unknown-what">([\s\S]*?)<\/p>/),
    register: text(/href="([^"]*)">登记充电桩<\/a>/),
    ask: [...(block?.[2] ?? '').matchAll(/<li><strong>([^<]*)<\/strong> · ([^<]*)<\/li>/g)].map((m) => `${m[1]} · ${m[2]}`),
    hints: [...(block?.[2] ?? '').matchAll(/<p class="unknown-hint">([^<]*)<\/p>/g)].map((m) => C.unescapeHtml(m[1])),
    batch: text(/<a class="unknown-batch[^"]*" href="([^"]*)"/),
  };
}
const lookup = (c, v, json = false) => c.get(`/asset/piles/lookup?code=${encodeURIComponent(v)}${json ? '&format=json' : ''}`);

test('an unused label of the keeper\'s batch: what it is and 登记充电桩, on the phone and the web', async () => {
  const code = codes[0];
  const w = await phone('warehouse');
  const r = await w.get(`/wx/p/${code}`);
  assert.equal(r.status, 404);
  const e = explained(r.text);
  assert.equal(e.kind, 'label');
  assert.equal(e.lead, '该二维码还没有登记充电桩');
  assert.match(e.what, new RegExp(`第 ${szBatch} 批`));
  assert.match(e.what, /流水号 1 的标签，还没有登记到任何充电桩/);
  assert.ok(e.what.includes(szRule.name), 'the rule by its name');
  assert.ok(e.what.includes('蓝途充电（苏州）有限公司'), 'the rule\'s company');
  assert.equal(e.register, `/asset/piles/new?code=${code}`);
  assert.equal(e.batch, `/qr/batches/${szBatch}`, 'a keeper (qr) may open the batch');
  assert.match(r.text, /class="wx-missing-code">未登记</);
  assert.doesNotMatch(r.text, /<b>标签/, 'the rule name is escaped');
  assert.match(r.text, /&lt;b&gt;标签&lt;\/b&gt;/);
  // The scan lookup lands there; the web lookup says the same (label URL, lower case).
  const l = await w.get(`/wx/lookup?value=${encodeURIComponent(`QR_CODE,${base}/wx/p/${code}`)}`);
  assert.equal(l.headers.get('location'), `/wx/p/${code}`);
  const web = await as('warehouse');
  for (const v of [`${base}/wx/p/${code}`, code.toLowerCase()]) {
    const x = await lookup(web, v);
    assert.equal(x.status, 404, v);
    const xe = explained(x.text);
    assert.equal(xe.kind, 'label');
    assert.equal(xe.register, `/asset/piles/new?code=${code}`);
    assert.match(x.text, /class="error-code">未登记</);
  }
  const j = await lookup(web, code, true);
  assert.equal(j.status, 404);
  assert.match(j.json().error, new RegExp(`该二维码还没有登记充电桩: .*第 ${szBatch} 批`));
  // Head-office staff who see every company get the same, ops with the batch link too.
  const o = explained((await (await phone('ops')).get(`/wx/p/${code}`)).text);
  assert.equal(o.kind, 'label');
  assert.equal(o.register, `/asset/piles/new?code=${code}`);
});

test('those who may not register are told whom to ask; other companies and suppliers only "not found"', async () => {
  const code = codes[1];
  // 苏州's inspector (view only): the label, and 苏州's keeper to ask.
  const i = await (await phone('inspector')).get(`/wx/p/${code}`);
  assert.equal(i.status, 404);
  const ie = explained(i.text);
  assert.equal(ie.kind, 'label');
  assert.equal(ie.register, undefined);
  assert.equal(ie.batch, undefined, 'no QR pages for an inspector');
  assert.ok(ie.ask.includes('陈静 · 仓管员'), `ask: ${ie.ask}`);
  assert.ok(ie.ask.length >= 1 && ie.ask.length <= 3);
  assert.deepEqual(ie.hints, ['请联系以下可登记充电桩的人员：']);
  const iw = explained((await lookup(await as('inspector'), code)).text);
  assert.equal(iw.kind, 'label');
  assert.ok(iw.ask.includes('陈静 · 仓管员'));
  // 杭州's inspector: another company's label is not found, and nothing tells which.
  for (const r of [await (await phone('inspector2')).get(`/wx/p/${code}`), await lookup(await as('inspector2'), code)]) {
    assert.equal(r.status, 404);
    const e = explained(r.text);
    assert.equal(e.kind, 'none');
    assert.equal(e.lead, '没有找到该充电桩');
    assert.equal(e.what, '该编码尚未登记充电桩，或登记在您无权查看的公司。');
    assert.equal(e.register, undefined);
    assert.doesNotMatch(r.text, /标签&lt;|第 \d+ 批/);
  }
  // A supplier: not found, ask the operator; same for every code.
  const s = await phone('supplier');
  for (const c of [code, `ZQ${Date.now()}`]) {
    const r = await s.get(`/wx/p/${c}`);
    assert.equal(r.status, 404);
    const e = explained(r.text);
    assert.equal(e.kind, 'none');
    assert.equal(e.what, '该编码尚未登记充电桩，或不在您的查看范围内。');
    assert.deepEqual(e.hints, ['请联系运营方的资产管理员（仓管员或运维负责人）登记。']);
    assert.deepEqual(e.ask, [], 'no staff names for a supplier');
  }
  // The web lookup stays refused for a supplier.
  assert.equal((await lookup(await as('supplier'), code)).status, 403);
});

test('a mistyped check character, a plain code, a code taken elsewhere, a label bound elsewhere', async () => {
  const good = codes[2];
  const last = good.at(-1);
  const typo = good.slice(0, -1) + ALNUM[(ALNUM.indexOf(last) + 1) % 36];
  const w = await phone('warehouse');
  const t = explained((await w.get(`/wx/p/${typo}`)).text);
  assert.equal(t.kind, 'typo');
  assert.equal(t.lead, '编码可能输入有误');
  assert.ok(t.what.includes(szRule.name) && t.what.includes('校验字符不对'), t.what);
  assert.equal(t.register, undefined, 'no pile for a mistyped code');
  // A plain code nobody uses: registering allowed for a keeper, "not found" + whom to ask otherwise.
  const plain = `PL${Date.now().toString(36).toUpperCase()}`;
  const p = explained((await w.get(`/wx/p/${plain}`)).text);
  assert.equal(p.kind, 'plain');
  assert.match(p.what, /不是本系统生成的二维码标签/);
  assert.equal(p.register, `/asset/piles/new?code=${plain}`);
  const pi = explained((await (await phone('inspector')).get(`/wx/p/${plain}`)).text);
  assert.equal(pi.kind, 'none');
  assert.ok(pi.ask.includes('陈静 · 仓管员'));
  // A plain code on a pile of 杭州: for 苏州's keeper just "not found", no offer to register.
  const taken = `PT${Date.now().toString(36).toUpperCase()}`;
  C.assertRedirect(await C.create(admin, PILES, { code: taken, product_id: P_AC7, company_id: HZ(), warehouse_id: WH_HZ1, state: 'in_stock' }), PILES, 'created');
  const tk = explained((await w.get(`/wx/p/${taken}`)).text);
  assert.equal(tk.kind, 'none');
  assert.equal(tk.register, undefined);
  // A 杭州 label registered by head office on a 苏州 pile: 杭州 staff learn it is bound elsewhere.
  const r = await C.create(admin, PILES, { code: hzCodes[0], product_id: P_AC7, company_id: SZ(), warehouse_id: WH_SZ1, state: 'in_stock' });
  C.assertRedirect(r, PILES, 'created');
  assert.equal(scalar('SELECT state FROM qr_codes WHERE code = ?', hzCodes[0]), 'bound');
  const el = explained((await (await phone('inspector2')).get(`/wx/p/${hzCodes[0]}`)).text);
  assert.equal(el.kind, 'elsewhere');
  assert.match(el.what, /已登记在其他公司的充电桩上/);
  assert.equal(el.register, undefined);
});

test('a replaced code: 410, with the pile\'s code now and a link to it', async () => {
  const code = codes[3];
  const made = await C.create(admin, PILES, { code, product_id: P_AC7, company_id: SZ(), warehouse_id: WH_SZ1, state: 'in_stock' });
  C.assertRedirect(made, PILES, 'created');
  const page = await admin.get(`/qr/piles/${made.id}/regenerate`);
  const form_key = page.text.match(/name="form_key" value="([^"]+)"/)[1];
  const rep = await admin.post(`/qr/piles/${made.id}/replace`, { code, reason: 'damaged', form_key });
  assert.equal(rep.status, 303);
  const now = scalar('SELECT code FROM piles WHERE id = ?', made.id);
  assert.notEqual(now, code);
  const web = await lookup(await as('warehouse'), code);
  assert.equal(web.status, 410);
  const we = explained(web.text);
  assert.equal(we.kind, 'void');
  assert.equal(we.what, `该桩已更换了二维码，现在的编码是 ${now}。`);
  assert.match(web.text, new RegExp(`href="/asset/piles/${made.id}">打开充电桩 ${now}</a>`));
  const ph = await (await phone('warehouse')).get(`/wx/p/${code}`);
  assert.equal(ph.status, 410);
  assert.match(ph.text, new RegExp(`href="/wx/p/${now}">打开充电桩 ${now}</a>`));
  // Not in 杭州's scope: 404 without the new code.
  const hz = await (await phone('inspector2')).get(`/wx/p/${code}`);
  assert.ok([404, 410].includes(hz.status));
  assert.ok(!hz.text.includes(now), 'the new code is not told outside the scope');
});

test('registering from the scan: the form has the code and company; the label is bound to the new pile', async () => {
  const code = codes[4];
  const keeper = await as('warehouse');
  const form = await keeper.get(`/asset/piles/new?code=${encodeURIComponent(`${base}/wx/p/${code.toLowerCase()}`)}`,
    { headers: { referer: `${base}/wx/p/${code}` } });
  assert.equal(form.status, 200);
  assert.equal(C.formValue(form.text, 'code'), code);
  assert.equal(C.formValue(form.text, 'company_id'), String(SZ()));
  assert.match(form.text, new RegExp(`正在用扫描到的编码登记充电桩： ${code}`));
  const f = C.browserForm(form.text, { product_id: P_AC7, warehouse_id: WH_SZ1 });
  assert.equal(f.back, `/wx/p/${code}`);
  const r = await keeper.post('/asset/piles', f);
  assert.equal(r.status, 303, C.alertText(r.text));
  assert.equal(r.headers.get('location'), `/wx/p/${code}?done=created`);
  const id = scalar('SELECT id FROM piles WHERE code = ?', code);
  assert.deepEqual(sql('SELECT state, pile_id FROM qr_codes WHERE code = ?', code)[0], ['bound', String(id)]);
  assert.equal(scalar("SELECT to_code FROM asset_events WHERE pile_id = ? AND kind = 'pile_create'", id), code);
  const card = await (await phone('warehouse')).get(`/wx/p/${code}`);
  assert.equal(card.status, 200);
  // Once registered, the code is a pile: the QR page offers no registering any more.
  const qp = await keeper.get(`/qr/codes/${code}`);
  assert.doesNotMatch(qp.text, />登记充电桩</);
  const free = await keeper.get(`/qr/codes/${codes[5]}`);
  assert.match(free.text, new RegExp(`href="/asset/piles/new\\?code=${codes[5]}">登记充电桩</a>`));
});

test('refused and bad input: no form for view-only staff; odd values prefill nothing; malformed codes stay plain 404', async () => {
  for (const u of ['inspector', 'supplier']) assert.equal((await (await as(u)).get(`/asset/piles/new?code=${codes[5]}`)).status, 403, u);
  const keeper = await as('warehouse');
  for (const v of ['<script>', 'https://evil.example.com/wx/p/ABC123', 'A'.repeat(40), '']) {
    const f = await keeper.get(`/asset/piles/new?code=${encodeURIComponent(v)}`);
    assert.equal(f.status, 200, v);
    assert.equal(C.formValue(f.text, 'code'), '', v);
    assert.doesNotMatch(f.text, /<script>/);
  }
  const w = await phone('warehouse');
  for (const bad of ['ab-c', 'AB', 'A'.repeat(40)]) {
    const r = await w.get(`/wx/p/${bad}`);
    assert.equal(r.status, 404, bad);
    assert.equal(explained(r.text).kind, undefined, 'no explanation of a malformed code');
  }
  // Looking wrote nothing: the labels only looked at are still unused.
  assert.equal(scalar("SELECT COUNT(*) FROM qr_codes WHERE code IN (?, ?, ?, ?) AND state = 'unused'", codes[0], codes[1], codes[2], codes[5]), 4);
});
