// Versions (F4.24): a product's target software/hardware version (set by head-office users with
// asset edit rights, versioned, in the update records), the overview per product, and the list of
// piles below target / of unknown version with filters, numeric sort, pages and CSV/XLSX export —
// always within the user's city companies.  Every product and pile here is this run's own.
import { test, before, after } from 'node:test';
import { as, sql, scalar, assert, uniq } from './lib.mjs';
import * as C from './crud.mjs';

const PILES = { path: '/asset/piles', table: 'piles', entity: 'pile', key: 'code' };
const LIST = { path: '/asset/versions/piles' };
const SZ = C.idOf('companies', 'code', 'CC-SZ');
const HZ = C.idOf('companies', 'code', 'CC-HZ');
const MAKER = C.idOf('companies', 'code', 'MF-LZ');
const WH_SZ = C.idOf('warehouses', 'code', 'WH-SZ-01');
const WH_HZ = C.idOf('warehouses', 'code', 'WH-HZ-01');
const MODEL = uniq('VT-').toUpperCase().slice(0, 20);
const PFX = C.ucode('VP', 10);
const HEADER = ['编码', '型号', '制造厂商', '所在位置', '所属公司', '软件版本', '目标软件版本', '硬件版本',
  '目标硬件版本', '版本状态', '质保到期', '质保'];

let admin, product;
const P = {};

// name: [company, warehouse, sw, hw].  Target: V1.10.0 / H2.0.
const FIXTURE = {
  a: [SZ, WH_SZ, 'V1.9.9', 'H2.0'], // below on software (as text "V1.9.9" > "V1.10.0")
  b: [SZ, WH_SZ, 'V1.10.2', 'H2.0'], // ok (as text "V1.10.2" < "V1.9")
  c: [SZ, WH_SZ, 'v1.10', 'H1.5'], // software equal (case, missing part), hardware below
  d: [SZ, WH_SZ, '', 'H2.0'], // software unknown (empty)
  e: [SZ, WH_SZ, 'V1.10.0-rc1', 'H2.1'], // software unknown (not a version)
  f: [HZ, WH_HZ, 'V1.2', 'H2.0'], // below, another city company
  g: [SZ, WH_SZ, 'V2', 'H10.0'], // ok: H10.0 > H2.0 numerically
};

before(async () => {
  admin = await as('admin');
  sql(`INSERT INTO products (manufacturer_id, model, name, rated_power_kw, current_type, connectors, warranty_months)
    VALUES (?, ?, '版本测试直流桩', 42.50, 'DC', 1, 24)`, MAKER, MODEL);
  product = scalar('SELECT id FROM products WHERE model = ?', MODEL);
  for (const [k, [company, warehouse, sw, hw]] of Object.entries(FIXTURE)) {
    const code = `${PFX}-${k.toUpperCase()}`;
    const r = await admin.post('/asset/piles', {
      code, product_id: product, company_id: company, warehouse_id: warehouse, state: 'in_stock', sw_version: sw, hw_version: hw,
    });
    assert.equal(r.status, 303, `pile ${k} created`);
    P[k] = scalar('SELECT id FROM piles WHERE code = ?', code);
  }
});

after(() => {
  sql('DELETE FROM piles WHERE code LIKE ?', `${PFX}-%`);
  sql('DELETE FROM product_versions WHERE product_id = ?', product);
  sql('DELETE FROM products WHERE id = ?', product);
});

const target = () => sql('SELECT sw_target, hw_target, version FROM product_versions WHERE product_id = ?', product)[0] ?? null;
const setTarget = (client, fields) => client.post(`/asset/versions/${product}`, fields);
const codeOf = (k) => `${PFX}-${k.toUpperCase()}`;

/** Codes of the piles of our product in the list, in the order shown. */
async function listed(client, params = {}) {
  const qs = new URLSearchParams({ product_id: product, per: 100, ...params }).toString();
  const r = await client.get(`${LIST.path}?${qs}`);
  assert.equal(r.status, 200, qs);
  return C.tableRows(r.text).map((row) => row[0]);
}

/** Our product's row of the overview: [piles, below, unknown]. */
async function overview(client, params = {}) {
  const qs = new URLSearchParams(params).toString();
  const r = await client.get(`/asset/versions${qs ? `?${qs}` : ''}`);
  assert.equal(r.status, 200);
  const row = r.text.match(new RegExp(`<tr id="p${product}">([\\s\\S]*?)</tr>`));
  assert.ok(row, 'the product has a row');
  const nums = [...row[1].matchAll(/<td class="text-end num"[^>]*>([\s\S]*?)<\/td>/g)].map((m) => Number(m[1].replace(/<[^>]+>/g, '').trim()));
  return { nums, html: row[1], page: r.text };
}

test('roles: asset viewers see the pages; only head-office editors set targets; supplier refused', async () => {
  for (const who of ['admin', 'leader', 'ops', 'inspector', 'warehouse', 'procurement', 'finance']) {
    const c = await as(who);
    assert.equal((await c.get('/asset/versions')).status, 200, `${who} sees the overview`);
    assert.equal((await c.get(`${LIST.path}?check=below`)).status, 200, `${who} sees the list`);
  }
  const supplier = await as('supplier');
  for (const path of ['/asset/versions', `${LIST.path}?check=below`, `${LIST.path}/export?fmt=csv`, `/asset/versions/${product}/edit`]) {
    assert.equal((await supplier.get(path)).status, 403, `supplier: ${path}`);
  }
  assert.equal((await admin.get(`/asset/versions/${product}/edit`)).status, 200);
  assert.equal((await (await as('ops')).get(`/asset/versions/${product}/edit`)).status, 200, 'ops (head office, asset edit)');
  // warehouse edits assets but only of its city company; leader and inspector have no asset edit.
  for (const who of ['warehouse', 'leader', 'inspector', 'supplier']) {
    const c = await as(who);
    assert.equal((await c.get(`/asset/versions/${product}/edit`)).status, 403, `${who} may not open the form`);
    const r = await setTarget(c, { sw_target: 'V9.9', hw_target: 'H9', version: 0 });
    assert.equal(r.status, 403, `${who} may not set a target`);
    assert.equal(C.auditOf(r), 0);
  }
  assert.equal(target(), null, 'nothing written');
  // The menu entry, and the edit buttons only for those who may.
  const page = await admin.get('/asset/versions');
  assert.match(page.text, /href="\/asset\/versions"[^>]*>版本管理</);
  assert.match(page.text, new RegExp(`href="/asset/versions/${product}/edit"`));
  assert.doesNotMatch((await (await as('warehouse')).get('/asset/versions')).text, /\/asset\/versions\/\d+\/edit/);
});

test('without a target: the product shows 未设目标 and no pile is below or unknown', async () => {
  const o = await overview(admin);
  assert.match(o.html, /未设目标/);
  assert.deepEqual(o.nums, [7, 0, 0]);
  assert.deepEqual(await listed(admin, { check: 'below' }), []);
  assert.deepEqual(await listed(admin, { check: 'none' }), ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map(codeOf));
});

test('bad target input: clear message, 4xx, nothing written', async () => {
  const cases = [
    [{ sw_target: '', hw_target: '', version: 0 }, 422, 'sw_target', '请至少填写一个目标版本'],
    [{ sw_target: '   ', hw_target: '', version: 0 }, 422, 'sw_target', '请至少填写一个目标版本'],
    [{ sw_target: `V${'1'.repeat(32)}`, hw_target: '', version: 0 }, 422, 'sw_target', '最多 32 个字符'],
    [{ sw_target: 'V1.x', hw_target: 'H2.0', version: 0 }, 422, 'sw_target', /版本号格式应为/],
    [{ sw_target: 'V1.0', hw_target: '2.0-rc1', version: 0 }, 422, 'hw_target', /版本号格式应为/],
    [{ sw_target: 'V1.2.3.4.5', hw_target: '', version: 0 }, 422, 'sw_target', /版本号格式应为/],
    [{ sw_target: 'V1.0\nV2.0', hw_target: '', version: 0 }, 422, 'sw_target', '不能包含换行'],
  ];
  for (const [fields, status, field, message] of cases) {
    const r = await setTarget(admin, fields);
    assert.equal(r.status, status, JSON.stringify(fields));
    C.assertFieldMessage(r, field, message);
    assert.equal(C.auditOf(r), 0);
  }
  // The form keeps what was typed.
  const r = await setTarget(admin, { sw_target: 'V1.x', hw_target: 'H2.0', version: 0 });
  assert.equal(C.formValue(r.text, 'sw_target'), 'V1.x');
  // No version, a malformed version, an unknown or malformed product.
  C.assertRefused(await setTarget(admin, { sw_target: 'V1.0' }), 400, '缺少版本号');
  C.assertRefused(await setTarget(admin, { sw_target: 'V1.0', version: 'x' }), 400, '缺少版本号');
  for (const path of ['/asset/versions/999999999', '/asset/versions/abc', '/asset/versions/0']) {
    const u = await admin.post(path, { sw_target: 'V1.0', version: 0 });
    assert.equal(u.status, 404, path);
    assert.equal(C.auditOf(u), 0);
  }
  assert.equal((await admin.get('/asset/versions/999999999/edit')).status, 404);
  // No CSRF token: refused.
  assert.equal((await admin.post(`/asset/versions/${product}`, { sw_target: 'V1.0', version: 0 }, { csrf: false })).status, 403);
  assert.equal(target(), null, 'nothing written');
});

test('set the target: stored, update records (user, time, new values), piles below appear', async () => {
  const form = await admin.get(`/asset/versions/${product}/edit`);
  assert.equal(form.text.match(/name="version" value="(\d+)"/)[1], '0');
  const r = await setTarget(admin, { sw_target: 'V1.10.0', hw_target: 'H2.0', version: 0 });
  assert.equal(r.status, 303, C.alertText(r.text) ?? '');
  assert.equal(r.headers.get('location'), `/asset/versions?flash=target_saved#p${product}`);
  assert.deepEqual(target(), ['V1.10.0', 'H2.0', '1']);
  assert.deepEqual(C.audit('product_version', product).map((a) => [a.action, a.field, a.old_value, a.new_value, a.user]), [
    ['create', 'sw_target', null, 'V1.10.0', 'admin'],
    ['create', 'hw_target', null, 'H2.0', 'admin'],
  ]);
  assert.equal(scalar(`SELECT COUNT(*) FROM audit_log WHERE entity = 'product_version' AND entity_id = ?
    AND at > UTC_TIMESTAMP() - INTERVAL 5 MINUTE`, product), 2, 'written just now');
  const page = await admin.get('/asset/versions?flash=target_saved');
  assert.match(page.text, /<div class="alert alert-success" role="status">目标版本已保存。<\/div>/);
  // The records page shows them with the product's kind of record and the field labels.
  // The record: the product by its maker and model.
  const name = sql("SELECT CONCAT(m.name, ' ', p.model) FROM products p JOIN companies m ON m.id = p.manufacturer_id WHERE p.id = ?", product)[0][0];
  const rec = C.tableRows((await admin.get(`/base/records?entity=product_version&entity_id=${product}`)).text);
  assert.deepEqual(rec.map((row) => row.slice(2, 8)), [
    ['目标版本', name, '新增', '目标硬件版本', '', 'H2.0'],
    ['目标版本', name, '新增', '目标软件版本', '', 'V1.10.0'],
  ]);
});

test('a repeated submit saves nothing again; a stale edit is refused with the current values', async () => {
  const again = await setTarget(admin, { sw_target: 'V1.10.0', hw_target: 'H2.0', version: 0 });
  assert.equal(again.status, 303);
  assert.equal(again.headers.get('location'), `/asset/versions?flash=target_unchanged#p${product}`);
  assert.equal(C.auditOf(again), 0);
  assert.deepEqual(target(), ['V1.10.0', 'H2.0', '1'], 'version unchanged');

  const stale = await setTarget(admin, { sw_target: 'V1.11.0', hw_target: 'H2.0', version: 0 });
  C.assertRefused(stale, 409, '该记录已被他人修改');
  assert.match(stale.text, /已显示他人保存的最新内容/);
  assert.equal(C.formValue(stale.text, 'sw_target'), 'V1.10.0', 'the form shows the current value');
  assert.match(stale.text, /您的输入: V1\.11\.0/);
  assert.equal(stale.text.match(/name="version" value="(\d+)"/)[1], '1', 'and the current version to retry with');
  assert.deepEqual(target(), ['V1.10.0', 'H2.0', '1'], 'nothing written');

  // A real change with the right version, then back.
  const up = await setTarget(admin, { sw_target: 'V1.11.0', hw_target: 'H2.0', version: 1 });
  assert.equal(up.status, 303);
  assert.deepEqual(C.audit('product_version', product, "AND a.action = 'update'").map((a) => [a.field, a.old_value, a.new_value, a.user]),
    [['sw_target', 'V1.10.0', 'V1.11.0', 'admin']]);
  const ops = await as('ops');
  assert.equal((await setTarget(ops, { sw_target: 'V1.10.0', hw_target: 'H2.0', version: 2 })).status, 303, 'ops sets it back');
  assert.deepEqual(target(), ['V1.10.0', 'H2.0', '3']);
});

test('below / unknown / ok lists compare versions part by part as numbers', async () => {
  assert.deepEqual(await listed(admin, { check: 'below' }), ['a', 'c', 'f'].map(codeOf));
  assert.deepEqual(await listed(admin, { check: 'unknown' }), ['d', 'e'].map(codeOf));
  assert.deepEqual(await listed(admin, { check: 'ok' }), ['b', 'g'].map(codeOf));
  assert.deepEqual(await listed(admin), ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map(codeOf), 'no check: every pile');
  // Sorted by software version: unknown first, then V1.2 < V1.9.9 < v1.10 < V1.10.2 < V2.
  const asc = await listed(admin, { sort: 'sw_version', dir: 'asc' });
  assert.deepEqual(asc.slice(2), ['f', 'a', 'c', 'b', 'g'].map(codeOf));
  assert.deepEqual(new Set(asc.slice(0, 2)), new Set(['d', 'e'].map(codeOf)));
  assert.deepEqual(await listed(admin, { sort: 'hw_version', dir: 'desc' }).then((l) => l[0]), codeOf('g'), 'H10.0 is the highest');
  // The row: versions with targets and states, warranty, a link to the pile card.
  const r = await admin.get(`${LIST.path}?check=below&product_id=${product}`);
  const rows = C.tableRows(r.text);
  // (the product cell holds model and maker; a version cell the version and its target)
  assert.deepEqual(rows[0].slice(0, 7), [codeOf('a'), `${MODEL}澜舟电气科技有限公司`, scalar('SELECT name FROM warehouses WHERE id = ?', WH_SZ),
    '蓝途充电（苏州）有限公司', 'V1.9.9目标版本 V1.10.0', 'H2.0目标版本 H2.0', '低于目标']);
  assert.equal(rows[0][7], scalar("SELECT DATE_FORMAT(warranty_end, '%Y-%m-%d') FROM piles WHERE id = ?", P.a), 'warranty end');
  assert.match(rows[0][8], /^(质保期内|已过质保|未知)$/, 'warranty flag');
  assert.match(r.text, new RegExp(`href="/asset/piles/${P.a}"`));
  assert.match(r.text, /class="vchip vchip-below">V1\.9\.9</);
  // The pile card shows the targets and where the pile stands.
  const card = await admin.get(`/asset/piles/${P.a}`);
  assert.match(card.text, /id="sw-state">低于目标 · 目标版本 V1\.10\.0</);
  assert.match(card.text, /id="hw-state">已达目标 · 目标版本 H2\.0</);
  assert.match((await admin.get(`/asset/piles/${P.d}`)).text, /id="sw-state">无法识别 · 目标版本 V1\.10\.0</);
  // Filters combine: manufacturer, company, city, keyword, exact version, warranty.
  assert.deepEqual(await listed(admin, { check: 'below', company_id: HZ }), [codeOf('f')]);
  assert.deepEqual(await listed(admin, { check: 'below', manufacturer_id: MAKER, sw_version: 'V1.9.9' }), [codeOf('a')]);
  assert.deepEqual(await listed(admin, { check: 'below', city_id: scalar('SELECT city_id FROM warehouses WHERE id = ?', WH_HZ) }), [codeOf('f')]);
  assert.deepEqual(await listed(admin, { check: 'below', q: codeOf('c') }), [codeOf('c')]);
  assert.deepEqual(await listed(admin, { check: 'below', station: 'no-such-station' }), []);
  assert.deepEqual(await listed(admin, { hw_version: 'H1.5' }), [codeOf('c')]);
  for (const bad of [{ check: 'bogus' }, { product_id: 'abc' }, { company_id: '-1' }, { warranty: 'maybe' }]) {
    assert.equal((await admin.get(`${LIST.path}?${new URLSearchParams(bad)}`)).status, 400, JSON.stringify(bad));
  }
  assert.equal((await admin.get('/asset/versions?manufacturer_id=abc')).status, 400);
});

test('overview: counts per product, versions in use linked to the list', async () => {
  const o = await overview(admin);
  assert.deepEqual(o.nums, [7, 3, 2], 'piles, below, unknown');
  assert.match(o.html, /V1\.10\.0/);
  assert.match(o.html, /class="vchip vchip-below"[^>]*>V1\.9\.9 <b>1<\/b>/);
  assert.match(o.html, /class="vchip vchip-ok"[^>]*>V1\.10\.2 <b>1<\/b>/);
  assert.match(o.html, /class="vchip vchip-unknown"[^>]*>（未填写） <b>1<\/b>/);
  assert.match(o.html, new RegExp(`href="/asset/versions/piles\\?check=below&amp;product_id=${product}"`));
  // Filtered by manufacturer: ours is still there; by another, it has no piles.
  assert.deepEqual((await overview(admin, { manufacturer_id: MAKER })).nums, [7, 3, 2]);
  assert.doesNotMatch((await admin.get(`/asset/versions?manufacturer_id=${C.idOf('companies', 'code', 'MF-XC')}`)).text,
    new RegExp(`<tr id="p${product}">`));
  assert.deepEqual((await overview(admin, { company_id: HZ })).nums, [1, 1, 0]);
});

test("data scope: another city company's piles are never listed, exported or counted", async () => {
  const sz = await as('inspector'); // 苏州
  const hz = await as('inspector2'); // 杭州
  assert.deepEqual(await listed(sz, { check: 'below' }), ['a', 'c'].map(codeOf));
  assert.deepEqual(await listed(hz, { check: 'below' }), [codeOf('f')]);
  assert.deepEqual(await listed(sz, { check: 'below', company_id: HZ }), [], 'asking for the other company gives nothing');
  assert.deepEqual((await overview(sz)).nums, [6, 2, 2]);
  assert.deepEqual((await overview(hz)).nums, [1, 1, 0]);
  assert.deepEqual((await overview(sz, { company_id: HZ })).nums, [0, 0, 0]);
  const ex = await C.exportFile(sz, LIST, { check: 'below', product_id: product });
  const rows = C.assertCsv(ex, HEADER);
  assert.deepEqual(rows.slice(1).map((row) => row[0]), ['a', 'c'].map(codeOf));
  assert.ok(!ex.text.includes(codeOf('f')));
  // The overview's summary follows the scope too.
  const summary = (html) => Number(html.match(/id="stat-below"><span class="stat-value text-danger">(\d+)</)[1]);
  const all = summary((await admin.get('/asset/versions')).text);
  const own = summary((await sz.get('/asset/versions')).text);
  assert.equal(own, scalar(`SELECT COUNT(*) FROM piles p JOIN product_versions pv ON pv.product_id = p.product_id
    WHERE p.company_id = ? AND p.state NOT IN ('sold', 'scrapped', 'lease_ended')
    AND (p.sw_key < pv.sw_key OR p.hw_key < pv.hw_key)`, SZ));
  assert.ok(all > own);
});

test('export: the whole filtered set as CSV and XLSX, in the list order', async () => {
  const csv = await C.exportFile(admin, LIST, { check: 'below', product_id: product, sort: 'code', dir: 'desc', per: 20, page: 1 });
  const rows = C.assertCsv(csv, HEADER);
  assert.deepEqual(rows.slice(1).map((row) => row[0]), ['f', 'c', 'a'].map(codeOf));
  assert.deepEqual(rows[3].slice(5, 10), ['V1.9.9', 'V1.10.0', 'H2.0', 'H2.0', '低于目标']);
  const xlsx = await C.exportFile(admin, LIST, { fmt: 'xlsx', check: 'below', product_id: product });
  C.assertXlsx(xlsx);
  // The demo's full below-target list: every row, more than one page.
  const full = C.parseCsv((await C.exportFile(admin, LIST, { check: 'below' })).text);
  const expected = scalar(`SELECT COUNT(*) FROM piles p JOIN product_versions pv ON pv.product_id = p.product_id
    WHERE p.state NOT IN ('sold', 'scrapped', 'lease_ended') AND (p.sw_key < pv.sw_key OR p.hw_key < pv.hw_key)`);
  assert.ok(expected > 100, 'the demo data has piles below target');
  assert.equal(full.length - 1, expected);
});

test('upgrading a pile (its edit form) takes it off the below-target list', async () => {
  const { _csrf, ...f } = C.browserForm((await C.edit(admin, PILES, P.a)).text, { sw_version: 'V1.10.0' });
  assert.ok(_csrf);
  const r = await admin.post(`/asset/piles/${P.a}`, f);
  assert.equal(r.status, 303, C.alertText(r.text) ?? '');
  assert.deepEqual(await listed(admin, { check: 'below' }), ['c', 'f'].map(codeOf));
  assert.deepEqual(C.audit('pile', P.a, "AND a.field = 'sw_version'").map((a) => [a.old_value, a.new_value, a.user]),
    [['V1.9.9', 'V1.10.0', 'admin']]);
  assert.deepEqual((await overview(admin)).nums, [7, 2, 2]);
  assert.match((await admin.get(`/asset/piles/${P.a}`)).text, /id="sw-state">已达目标 · 目标版本 V1\.10\.0</);
});

test('hostile version text is escaped on every page, and its link finds exactly that pile', async () => {
  const evil = `<i>x</i>"&'${PFX.slice(-4)}`;
  const code = `${PFX}-H`;
  const r = await admin.post('/asset/piles', { code, product_id: product, company_id: SZ, warehouse_id: WH_SZ, state: 'in_stock', sw_version: evil, hw_version: 'H2.0' });
  assert.equal(r.status, 303);
  const o = await overview(admin);
  assert.ok(!o.page.includes('<i>x</i>'), 'no raw markup on the overview');
  assert.match(o.html, /class="vchip vchip-unknown"[^>]*>&lt;i&gt;x&lt;\/i&gt;&quot;&amp;/);
  const href = o.html.match(/href="([^"]*sw_version=%3Ci[^"]*)"/);
  assert.ok(href, 'the chip links with the version URL-encoded');
  const l = await admin.get(C.unescapeHtml(href[1]));
  assert.equal(l.status, 200);
  assert.deepEqual(C.tableRows(l.text).map((row) => row[0]), [code]);
  assert.ok(!l.text.includes('<i>x</i>'), 'no raw markup in the list');
  assert.deepEqual(await listed(admin, { check: 'unknown', q: code }), [code], 'not a version: unknown');
  const card = await admin.get(`/asset/piles/${scalar('SELECT id FROM piles WHERE code = ?', code)}`);
  assert.ok(!card.text.includes('<i>x</i>'), 'no raw markup on the pile card');
  assert.match(card.text, /<dd>&lt;i&gt;x&lt;\/i&gt;&quot;&amp;/);
});

test('the list copies kept by triggers (migration 0017) agree with what they copy, after every test above', () => {
  // The version check of each pile against its product's targets.
  assert.equal(scalar(`SELECT COUNT(*) FROM piles p LEFT JOIN product_versions pv ON pv.product_id = p.product_id
    WHERE p.vflags <> CASE
      WHEN pv.sw_key IS NULL AND pv.hw_key IS NULL THEN 8
      WHEN (p.sw_key < pv.sw_key OR p.hw_key < pv.hw_key)
        OR (pv.sw_key IS NOT NULL AND p.sw_key IS NULL) OR (pv.hw_key IS NOT NULL AND p.hw_key IS NULL)
        THEN IF(COALESCE(p.sw_key < pv.sw_key OR p.hw_key < pv.hw_key, 0), 1, 0)
           + IF((pv.sw_key IS NOT NULL AND p.sw_key IS NULL) OR (pv.hw_key IS NOT NULL AND p.hw_key IS NULL), 2, 0)
      ELSE 4 END`), 0, 'vflags');
  // Where a pile is, by code; a station's company and city by name.
  assert.equal(scalar(`SELECT COUNT(*) FROM piles p LEFT JOIN stations st ON st.id = p.station_id
    LEFT JOIN warehouses w ON w.id = p.warehouse_id WHERE NOT (p.place_code <=> COALESCE(st.code, w.code))`), 0, 'place_code');
  assert.equal(scalar(`SELECT COUNT(*) FROM stations s JOIN companies co ON co.id = s.company_id
    JOIN cities ci ON ci.id = s.city_id WHERE NOT (s.company_name <=> co.name AND s.city_name <=> ci.name)`), 0, 'station names');
});
