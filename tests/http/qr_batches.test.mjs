// QR batches (F3, /qr/batches): roles, bad input, duplicate submit, concurrent reservation,
// a batch of 10,000 (unique, valid codes), label pages, the per-code SVG and the scan lookup.
import { test, before } from 'node:test';
import { as, sql, scalar, assert, base } from './lib.mjs';
import * as C from './crud.mjs';
import { makeRule, makeBatch, formKey, batchRow, expectedCode, mod3736, HZ } from './qr.mjs';

let admin, ops, warehouse, rule;

before(async () => {
  admin = await as('admin');
  ops = await as('ops');
  warehouse = await as('warehouse');
  rule = await makeRule(admin);
});

test('roles: admin, ops and warehouse may generate; inspector, leader and supplier get 403', async () => {
  for (const c of [admin, ops]) {
    assert.equal((await c.get('/qr/batches')).status, 200);
    assert.equal((await c.get('/qr/batches/new')).status, 200);
    const { r, id } = await makeBatch(c, rule.id, 2);
    assert.equal(r.status, 303);
    assert.equal(batchRow(id).state, 'done');
  }
  assert.equal((await warehouse.get('/qr/batches')).status, 200);
  assert.equal((await warehouse.get('/qr/batches/new')).status, 200);
  for (const u of ['inspector', 'leader', 'supplier']) {
    const c = await as(u);
    const before = scalar('SELECT COUNT(*) FROM qr_batches WHERE rule_id = ?', rule.id);
    assert.equal((await c.get('/qr/batches')).status, 403, `${u} list`);
    assert.equal((await c.get('/qr/batches/new')).status, 403, `${u} form`);
    assert.equal((await c.post('/qr/batches', { rule_id: rule.id, count: 5 })).status, 403, `${u} create`);
    assert.equal((await c.get('/qr/lookup?value=X1234', { json: true })).status, 403, `${u} lookup`);
    assert.equal(scalar('SELECT COUNT(*) FROM qr_batches WHERE rule_id = ?', rule.id), before);
  }
});

test('bad input is refused with a message and writes nothing', async () => {
  const small = await makeRule(admin, { serial_width: 4 });
  const cases = [
    [{ rule_id: rule.id, count: 0 }, 'count', '数值过小'],
    [{ rule_id: rule.id, count: 10001 }, 'count', /不能大于 10000/],
    [{ rule_id: rule.id, count: 'abc' }, 'count', '请输入整数'],
    [{ rule_id: rule.id, count: '' }, 'count', '必填'],
    [{ rule_id: '', count: 5 }, 'rule_id', '必填'],
    [{ rule_id: 999999999, count: 5 }, 'rule_id', '所选记录不存在或无权使用'],
    [{ rule_id: small.id, count: 10000 }, 'count', '该规则剩余的流水号不足，请减少数量或加大流水号位数'],
  ];
  for (const [fields, field, msg] of cases) {
    const n = scalar('SELECT COUNT(*) FROM qr_batches WHERE rule_id IN (?, ?)', rule.id, small.id);
    const r = await admin.post('/qr/batches', { ...fields, form_key: await formKey(admin) });
    assert.equal(r.status, 422, `${JSON.stringify(fields)} → 422`);
    C.assertFieldMessage(r, field, msg);
    assert.equal(C.auditOf(r), 0);
    assert.equal(scalar('SELECT COUNT(*) FROM qr_batches WHERE rule_id IN (?, ?)', rule.id, small.id), n, 'no batch written');
  }
  assert.equal(scalar('SELECT next_serial FROM code_rules WHERE id = ?', small.id), 1, 'no serial consumed');
  // A rule of another company is not usable by a city-company user.
  const r = await warehouse.post('/qr/batches', { rule_id: rule.id, count: 5, form_key: await formKey(warehouse) });
  assert.equal(r.status, 422);
  C.assertFieldMessage(r, 'rule_id', '所选记录不存在或无权使用');
  // No CSRF token: refused.
  const before = scalar('SELECT COUNT(*) FROM qr_batches WHERE rule_id = ?', rule.id);
  const x = await admin.post('/qr/batches', { rule_id: rule.id, count: 5 }, { csrf: false });
  assert.equal(x.status, 403);
  assert.equal(scalar('SELECT COUNT(*) FROM qr_batches WHERE rule_id = ?', rule.id), before);
});

test('duplicate submit: the same form twice makes one batch', async () => {
  const key = await formKey(admin);
  const first = await makeBatch(admin, rule.id, 7, { form_key: key });
  const second = await makeBatch(admin, rule.id, 7, { form_key: key });
  assert.equal(first.r.headers.get('location'), `/qr/batches/${first.id}?flash=created`);
  assert.equal(second.r.headers.get('location'), `/qr/batches/${first.id}?flash=exists`);
  assert.equal(scalar('SELECT COUNT(*) FROM qr_batches WHERE form_key = ?', key), 1);
  assert.equal(scalar('SELECT COUNT(*) FROM qr_codes WHERE batch_id = ?', first.id), 7);
});

test('concurrent batches of one rule get disjoint serial ranges', async () => {
  const own = await makeRule(admin);
  const keys = [await formKey(admin), await formKey(ops)];
  const [a, b] = await Promise.all([
    makeBatch(admin, own.id, 500, { form_key: keys[0] }),
    makeBatch(ops, own.id, 500, { form_key: keys[1] }),
  ]);
  assert.equal(a.r.status, 303);
  assert.equal(b.r.status, 303);
  assert.equal(scalar('SELECT COUNT(DISTINCT code) FROM qr_codes c JOIN qr_batches b ON b.id = c.batch_id WHERE b.rule_id = ?', own.id), 1000);
  assert.equal(scalar('SELECT MIN(first_serial) FROM qr_batches WHERE rule_id = ?', own.id), 1);
  assert.equal(scalar('SELECT next_serial FROM code_rules WHERE id = ?', own.id), 1001);
});

let big;

test('a batch of 10,000 completes; its codes are unique, valid and follow the rule', async (t) => {
  const t0 = Date.now();
  const { r, id } = await makeBatch(admin, rule.id, 10000);
  const ms = Date.now() - t0;
  t.diagnostic(`10,000 codes generated in ${ms} ms`);
  assert.equal(r.status, 303, C.alertText(r.text));
  assert.equal(r.headers.get('location'), `/qr/batches/${id}?flash=created`);
  big = { id, ...batchRow(id) };
  assert.equal(big.state, 'done');
  assert.equal(big.done, 10000);
  const [[n, distinct, minS, maxS, unused]] = sql(
    "SELECT COUNT(*), COUNT(DISTINCT code), MIN(serial), MAX(serial), SUM(state = 'unused') FROM qr_codes WHERE batch_id = ?", id);
  assert.deepEqual([n, distinct, unused].map(Number), [10000, 10000, 10000]);
  assert.equal(Number(maxS) - Number(minS), 9999);
  const codes = sql('SELECT serial, code FROM qr_codes WHERE batch_id = ? ORDER BY serial', id);
  for (const [serial, code] of codes) {
    assert.equal(code, expectedCode(rule, big.year, Number(serial)));
    assert.equal(mod3736(code.slice(0, -1)), code.slice(-1));
  }
  const page = await admin.get(r.headers.get('location'));
  assert.equal(page.status, 200);
  assert.match(page.text, /已生成二维码。/);
  assert.match(page.text, new RegExp(`batch-first">${codes[0][1]}<`));
  assert.match(page.text, new RegExp(`batch-last">${codes[9999][1]}<`));
  assert.match(page.text, /<progress max="100" value="100">/);
  const list = await admin.get('/qr/batches?rule_id=' + rule.id);
  assert.equal(list.status, 200);
  assert.match(list.text, new RegExp(`href="/qr/batches/${id}"`));
  const csv = await C.exportFile(admin, { path: '/qr/batches' }, { rule_id: rule.id });
  assert.equal(csv.status, 200);
  assert.match(csv.text, /10000/);
});

test('label pages: 100 labels a page, page N of M, both layouts, bad parameters refused', async () => {
  assert.ok(big, 'the 10,000 batch exists');
  const codes = sql('SELECT code FROM qr_codes WHERE batch_id = ? ORDER BY serial', big.id).map((x) => x[0]);
  let r = await admin.get(`/qr/batches/${big.id}/labels?layout=a4&page=1`);
  assert.equal(r.status, 200);
  const imgs = [...r.text.matchAll(/<img src="\/qr\/codes\/([0-9A-Z]+)\.svg"/g)].map((m) => m[1]);
  assert.deepEqual(imgs, codes.slice(0, 100));
  assert.match(r.text, /class="label-page">1<\/strong> \/ <span class="label-pages">100</);
  assert.match(r.text, /data-print/);
  assert.match(r.text, /sheet sheet-a4/);
  assert.match(r.text, /href="\/assets\/css\/labels\.css"/);
  r = await admin.get(`/qr/batches/${big.id}/labels?layout=roll&page=100`);
  assert.equal(r.status, 200);
  assert.match(r.text, /sheet sheet-roll/);
  const last = [...r.text.matchAll(/<img src="\/qr\/codes\/([0-9A-Z]+)\.svg"/g)].map((m) => m[1]);
  assert.deepEqual(last, codes.slice(9900));
  r = await admin.get(`/qr/batches/${big.id}/labels?page=500`);
  assert.match(r.text, /class="label-page">100</, 'a page past the end shows the last');
  for (const q of ['layout=zebra', 'page=abc', 'page=-1']) {
    assert.equal((await admin.get(`/qr/batches/${big.id}/labels?${q}`)).status, 400, q);
  }
  assert.equal((await admin.get('/qr/batches/999999999/labels')).status, 404);
  assert.equal((await warehouse.get(`/qr/batches/${big.id}/labels`)).status, 404, 'other company: not found');
});

test('the label SVG: image/svg+xml, cacheable, the code and company on it', async () => {
  const code = scalar('SELECT code FROM qr_codes WHERE batch_id = ? ORDER BY serial LIMIT 1', big.id);
  const r = await admin.get(`/qr/codes/${code}.svg`);
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-type'), 'image/svg+xml');
  assert.match(r.headers.get('cache-control'), /max-age=86400/);
  assert.match(r.text, /^<\?xml[^>]*>\s*<svg xmlns="http:\/\/www.w3.org\/2000\/svg" width="50mm" height="30mm"/);
  assert.ok(r.text.includes(`>${code}</text>`));
  assert.ok(r.text.includes('蓝途充电（杭州）有限公司'.slice(0, 4)));
  assert.equal((r.text.match(/<path/g) ?? []).length, 1);
  assert.equal((await admin.get('/qr/codes/NOPE12345.svg')).status, 404);
  const one = await admin.get(`/qr/codes/${code}/label?layout=roll`);
  assert.equal(one.status, 200);
  assert.ok(one.text.includes(`/qr/codes/${code}.svg`), 'reprint page of one label');
});

test('lookup: bare, lowercase, URL and WeChat forms resolve; wrong host, unknown and void do not', async () => {
  const [code, code2] = sql('SELECT code FROM qr_codes WHERE batch_id = ? ORDER BY serial LIMIT 2', big.id).map((x) => x[0]);
  const forms = [code, code.toLowerCase(), ` ${code} `, `${base}/wx/p/${code}`, `QR_CODE,${base}/wx/p/${code}`, `QR_CODE,${code}`];
  for (const v of forms) {
    const r = await admin.get('/qr/lookup?value=' + encodeURIComponent(v), { json: true });
    assert.equal(r.status, 200, v);
    const j = r.json();
    assert.equal(j.code.code, code);
    assert.equal(j.code.state, 'unused');
    assert.equal(j.code.url, `${base}/wx/p/${code}`);
    assert.equal(j.code.batch_id, String(big.id));
  }
  const html = await admin.get('/qr/lookup?value=' + encodeURIComponent(`${base}/wx/p/${code}`));
  assert.equal(html.status, 303);
  assert.equal(html.headers.get('location'), `/qr/codes/${code}`);
  const show = await admin.get(`/qr/codes/${code}`, { json: true });
  assert.equal(show.status, 200);
  assert.equal(show.json().code.code, code);
  let r = await admin.get('/qr/lookup?value=' + encodeURIComponent(`http://evil.example/wx/p/${code}`), { json: true });
  assert.equal(r.status, 422);
  assert.equal(r.json().error, '不是本系统的二维码');
  r = await admin.get('/qr/lookup?value=ZZZZ999999', { json: true });
  assert.equal(r.status, 422);
  assert.equal(r.json().error, '未找到该编码');
  r = await admin.get('/qr/lookup?value=' + encodeURIComponent('<b>'), { json: true });
  assert.equal(r.status, 422);
  assert.equal(r.json().error, '无法识别的二维码或编码');
  // A voided code no longer resolves (regeneration will void codes; here SQL plays that part).
  sql("UPDATE qr_codes SET state = 'void', voided_at = UTC_TIMESTAMP() WHERE code = ?", code2);
  r = await admin.get('/qr/lookup?value=' + code2, { json: true });
  assert.equal(r.status, 410);
  assert.equal(r.json().error, '该二维码已作废');
  assert.equal((await admin.get(`/qr/codes/${code2}.svg`)).status, 410);
  const labels = await admin.get(`/qr/batches/${big.id}/labels?page=1`);
  assert.ok(!labels.text.includes(`/qr/codes/${code2}.svg`), 'void codes are not printed');
  assert.equal((await warehouse.get('/qr/lookup?value=' + code, { json: true })).status, 422, 'other company: unknown');
});
