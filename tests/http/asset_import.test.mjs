// Bulk import (/asset/import, issue 3 item 10): templates with Chinese headers, CSV and XLSX
// uploads, the dry run listing every bad row as (row, column, message) and writing nothing,
// the all-or-nothing commit through the forms' own code (ledger, anomalies, update records
// marked as an import), repeated submits, bad files, roles and data scope, and the time of a
// 10,000-row import (printed, not asserted).
import { test, after } from 'node:test';
import { execFileSync } from 'node:child_process';
import { as, sql, scalar, assert, Client } from './lib.mjs';
import { csv, xlsx, notWorkbook, unzip, upload } from './import.mjs';
import * as C from './crud.mjs';

const P = C.ucode('IMP', 9);
const SZ_NAME = '蓝途充电（苏州）有限公司';
const HZ_NAME = '蓝途充电（杭州）有限公司';
const ST_HEAD = ['编码', '名称', '所属公司', '所在城市', '状态', '应有桩数', '投运日期', '租期开始', '租期结束', '负责人电话', '资产性质'];
const PILE_HEAD = ['编码', '出厂编号', '产品', '所属公司', '仓库', '充电站', '软件版本', '费率(元/kWh)', '投运日期', '通讯方式'];
const SUB_HEAD = ['充电站', '类型', '名称', '长度(米)', '容量(kVA)', '施工单位'];
const big = `${P}K`;

after(() => {
  // The 10,000 timing piles would only weigh on other tests: remove them with their ledger.
  sql("DELETE e FROM asset_events e JOIN piles p ON p.id = e.pile_id WHERE p.code LIKE ?", `${big}%`);
  sql("DELETE a FROM audit_log a JOIN piles p ON p.id = a.entity_id AND a.entity = 'pile' WHERE p.code LIKE ?", `${big}%`);
  sql('DELETE FROM piles WHERE code LIKE ?', `${big}%`);
});

async function follow(client, r) {
  assert.equal(r.status, 303, `redirect expected, got ${r.status}: ${C.alertText(r.text)}`);
  return client.get(r.headers.get('location'));
}

function errorsOf(job) {
  return sql('SELECT row_no, col, message FROM import_errors WHERE job_id = ? ORDER BY row_no, id', job)
    .map(([row, col, message]) => ({ row: Number(row), col, message }));
}

function hasError(errs, row, col, re) {
  assert.ok(errs.some((e) => e.row === row && e.col === col && re.test(e.message)),
    `error at row ${row}, column ${col} ~ ${re}: got ${JSON.stringify(errs)}`);
}

test('who may import: asset editors yes, others 403', async () => {
  for (const u of ['admin', 'ops', 'warehouse']) {
    const c = await as(u);
    const r = await c.get('/asset/import?kind=station');
    assert.equal(r.status, 200, u);
    assert.match(r.text, /下载 Excel 模板/);
    assert.match(r.text, /name="form_key"/);
  }
  for (const u of ['leader', 'inspector', 'finance']) {
    const c = await as(u);
    assert.equal((await c.get('/asset/import')).status, 403, u);
    assert.equal((await c.get('/asset/import/template?kind=pile&fmt=csv')).status, 403, u);
    const fd = new FormData();
    fd.append('_csrf', c.csrf ?? '');
    fd.append('kind', 'station');
    fd.append('file', new Blob(['x']), 'a.csv');
    assert.equal((await c.request('POST', '/asset/import', { body: fd })).status, 403, u);
  }
  assert.equal((await new Client().get('/asset/import')).status, 303, 'anonymous goes to the login');
});

test('templates: CSV with BOM and Chinese headers, XLSX with an instructions sheet; both pass a dry run as sent', async () => {
  const admin = await as('admin');
  const r = await admin.get('/asset/import/template?kind=station&fmt=csv');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /text\/csv/);
  assert.ok(r.text.startsWith('\uFEFF') || r.text.startsWith('"'), 'BOM');
  const head = C.parseCsv(r.text.replace(/^\uFEFF/, ''))[0];
  assert.deepEqual(head.slice(0, 4), ['编码*', '名称*', '所属公司*', '所在城市*']);
  const res = await fetch(`${process.env.CA_BASE_URL}/asset/import/template?kind=pile&fmt=xlsx`, { headers: { cookie: admin.cookieHeader() } });
  const buf = Buffer.from(await res.arrayBuffer());
  assert.equal(buf.subarray(0, 2).toString(), 'PK');
  const parts = unzip(buf);
  assert.match(parts['xl/workbook.xml'], /填写说明/);
  assert.match(parts['xl/sharedStrings.xml'], /编码\*/);
  assert.match(parts['xl/sharedStrings.xml'], /名称或编码/);
  // The template as it comes, example row and all, is a valid file (dry run only).
  const up = await upload(admin, 'pile', 'template.xlsx', buf);
  assert.equal(up.status, 303, C.alertText(up.text));
  assert.match(up.headers.get('location'), /flash=ready/, JSON.stringify(errorsOf(up.job)));
  const sub = await admin.get('/asset/import/template?kind=subasset&fmt=csv');
  const up2 = await upload(admin, 'subasset', 'template.csv', sub.text);
  assert.match(up2.headers.get('location'), /flash=ready/, JSON.stringify(errorsOf(up2.job)));
  assert.equal(scalar("SELECT COUNT(*) FROM piles WHERE code = 'CP-IMP-000001'"), 0, 'dry run wrote nothing');
});

test('stations CSV: errors listed per (row, column), nothing written; the fixed file imports all rows once', async () => {
  const admin = await as('admin');
  const taken = scalar('SELECT code FROM stations ORDER BY id LIMIT 1');
  const bad = [
    ST_HEAD,
    [`${P}-S1`, `导入站一${P}`, SZ_NAME, '苏州', '立项', '0', '2025-03-01', '', '', '', '自建自营'],
    [`${P}-S2`, `导入站二${P}`, '不存在的公司', '苏州', '立项', '0', '', '', '', '', ''],
    [`${P}-S3`, `导入站三${P}`, SZ_NAME, '苏州', '立项', '0', '2025-13-40', '', '', '', ''],
    [`${P}-S1`, `导入站四${P}`, SZ_NAME, '无锡', '立项', '0', '', '', '', '', ''],
    [taken, `导入站五${P}`, SZ_NAME, '苏州', '立项', '0', '', '', '', '', ''],
    [`${P}-S6`, `导入站六${P}`, SZ_NAME, '杭州', '立项', '0', '', '', '', '', ''],
    [`${P}-S7`, '', SZ_NAME, '苏州', '飞行', 'abc', '', '2025-05-01', '2025-01-01', 'x', ''],
  ];
  const up = await upload(admin, 'station', `stations-${P}.csv`, csv(bad));
  const page = await follow(admin, up);
  assert.match(page.text, /预检发现错误，没有写入任何数据/);
  assert.match(page.text, /import-error-table/);
  assert.equal(scalar('SELECT COUNT(*) FROM stations WHERE code LIKE ?', `${P}-%`), 0, 'nothing written');
  const errs = errorsOf(up.job);
  hasError(errs, 3, '所属公司', /没有这个名称或编码/);
  hasError(errs, 4, '投运日期', /YYYY-MM-DD/);
  hasError(errs, 5, '编码', /第 2 行/);
  hasError(errs, 6, '编码', /已存在/);
  hasError(errs, 7, '所在城市', /不属于所选城市公司/);
  hasError(errs, 8, '名称', /必填/);
  hasError(errs, 8, '状态', /请从列表中选择/);
  hasError(errs, 8, '应有桩数', /整数/);
  hasError(errs, 8, '负责人电话', /电话/);
  assert.ok(!errs.some((e) => e.row === 2), 'the good row has no error');
  for (const e of errs) assert.ok(page.text.includes(e.message), `page shows: ${e.message}`);
  assert.equal(scalar('SELECT state FROM import_jobs WHERE id = ?', up.job), 'invalid');
  // A commit of an invalid job does nothing.
  const rc = await admin.post(`/asset/import/${up.job}/commit`);
  assert.match(rc.headers.get('location') ?? '', /flash=invalid/);
  assert.equal(scalar('SELECT COUNT(*) FROM stations WHERE code LIKE ?', `${P}-%`), 0);

  const good = [
    ST_HEAD,
    [`${P}-S1`, `导入站一${P}`, SZ_NAME, '苏州', '立项', '0', '2025-03-01', '', '', '', '自建自营'],
    [`${P}-S2`, `导入站二${P}`, 'CC-SZ', '320200', 'building', '0', '', '', '', '13800000000', 'own'],
    [`${P}-S3`, `导入站三${P}`, SZ_NAME, '苏州', '运营', '2', '2025/4/5', '2025-01-01', '2030-12-31', '', ''],
  ];
  const up2 = await upload(admin, 'station', `stations-${P}-fixed.csv`, csv(good));
  assert.match(up2.headers.get('location'), /flash=ready/, JSON.stringify(errorsOf(up2.job)));
  const show = await admin.get(`/asset/import/${up2.job}`);
  assert.match(show.text, /确认导入/);
  assert.equal(scalar('SELECT COUNT(*) FROM stations WHERE code LIKE ?', `${P}-%`), 0, 'dry run wrote nothing');
  const done = await follow(admin, await admin.post(`/asset/import/${up2.job}/commit`));
  assert.match(done.text, /导入完成/);
  assert.equal(scalar('SELECT COUNT(*) FROM stations WHERE code LIKE ?', `${P}-%`), 3);
  assert.equal(scalar('SELECT commissioned_on FROM stations WHERE code = ?', `${P}-S3`), '2025-04-05');
  assert.equal(scalar('SELECT asset_nature FROM stations WHERE code = ?', `${P}-S2`), 'own');
  // The form's domain code ran: ledger, state date, anomaly of the operating station (0 of 2).
  assert.equal(scalar("SELECT COUNT(*) FROM asset_events e JOIN stations s ON s.id = e.station_id WHERE s.code LIKE ? AND e.kind = 'station_create'", `${P}-%`), 3);
  assert.equal(scalar("SELECT COUNT(*) FROM anomalies a JOIN stations s ON s.id = a.station_id WHERE s.code = ? AND a.status = 'open'", `${P}-S3`), 1);
  // Update records say where the rows came from.
  const src = sql("SELECT a.source FROM audit_log a JOIN stations s ON s.id = a.entity_id WHERE a.entity = 'station' AND a.action = 'create' AND s.code LIKE ?", `${P}-%`);
  assert.equal(src.length, 3);
  for (const [s] of src) assert.equal(s, `导入 stations-${P}-fixed.csv (#${up2.job})`);
  const rec = await admin.get(`/base/records?entity=station&entity_id=${scalar('SELECT id FROM stations WHERE code = ?', `${P}-S1`)}`);
  assert.match(rec.text, new RegExp(`导入 stations-${P}-fixed\\.csv`));
  // Submitting the commit again, or the same upload form again, never imports twice.
  const again = await admin.post(`/asset/import/${up2.job}/commit`);
  assert.match(again.headers.get('location'), /flash=committed/);
  const re = await upload(admin, 'station', `stations-${P}-fixed.csv`, csv(good), { key: up2.key });
  assert.equal(re.job, up2.job);
  assert.match(re.headers.get('location'), /flash=exists/);
  assert.equal(scalar('SELECT COUNT(*) FROM stations WHERE code LIKE ?', `${P}-%`), 3);
  assert.equal(scalar('SELECT COUNT(*) FROM import_jobs WHERE form_key = ?', up2.key), 1);
});

test('piles XLSX: errors, then the fixed file binds piles to stations (ledger, anomaly closes) and fills warehouses', async () => {
  const admin = await as('admin');
  const bad = [
    PILE_HEAD,
    [`${P}-P1`, 'SN1', 'XC-AC7-W', SZ_NAME, 'WH-SZ-01', '', 'V1', '1.2', { n: 45292 }, '4G'],
    [`${P}-P2`, 'SN2', '没有的型号', SZ_NAME, '', `${P}-S3`, '', '', '', ''],
    [`${P}-P3`, 'SN3', 'XC-AC7-W', SZ_NAME, 'WH-SZ-01', `${P}-S3`, '', '', '', ''],
    [`${P}-P4`, 'SN4', 'XC-AC7-W', SZ_NAME, '', '', '', '1.23456', '', ''],
    [{ inline: `${P}-P1` }, 'SN5', 'XC-AC7-W', SZ_NAME, '', '', '', '', '', ''],
    [`${P}-P6`, 'SN6', 'XC-AC7-W', SZ_NAME, 'WH-HZ-01', '', '', '', '', ''],
  ];
  const up = await upload(admin, 'pile', `piles-${P}.xlsx`, xlsx(bad));
  assert.match(up.headers.get('location'), /flash=invalid/);
  assert.equal(scalar('SELECT fmt FROM import_jobs WHERE id = ?', up.job), 'xlsx');
  const errs = errorsOf(up.job);
  hasError(errs, 3, '产品', /没有这个名称或编码/);
  hasError(errs, 4, '充电站', /只能填写一个/);
  hasError(errs, 5, '费率(元/kWh)', /小数/);
  hasError(errs, 6, '编码', /第 2 行/);
  hasError(errs, 7, '仓库', /所属公司随其所在位置/);
  assert.ok(!errs.some((e) => e.row === 2));
  assert.equal(scalar('SELECT COUNT(*) FROM piles WHERE code LIKE ?', `${P}-P%`), 0);

  const good = [
    PILE_HEAD,
    [`${P}-P1`, 'SN1', 'XC-AC7-W', SZ_NAME, 'WH-SZ-01', '', 'V1', '1.2', { n: 45292 }, '4G'],
    [`${P}-P2`, 'SN2', 'XC-AC21-P', SZ_NAME, '', `${P}-S3`, '', '', '', 'ethernet'],
    [`${P}-P3`, 'SN3', '7kW交流壁挂式充电桩', SZ_NAME, '', `${P}-S3`, '', '', '', ''],
  ];
  const up2 = await upload(admin, 'pile', `piles-${P}.xlsx`, xlsx(good));
  assert.match(up2.headers.get('location'), /flash=ready/, JSON.stringify(errorsOf(up2.job)));
  const done = await follow(admin, await admin.post(`/asset/import/${up2.job}/commit`));
  assert.match(done.text, /导入完成/);
  const rows = sql('SELECT code, state, place, commissioned_on, comm_method FROM piles WHERE code LIKE ? ORDER BY code', `${P}-P%`);
  assert.deepEqual(rows, [
    [`${P}-P1`, 'in_stock', 'warehouse', '2024-01-01', '4g'],
    [`${P}-P2`, 'installed', 'station', null, 'ethernet'],
    [`${P}-P3`, 'installed', 'station', null, null],
  ]);
  assert.equal(scalar("SELECT COUNT(*) FROM asset_events e JOIN piles p ON p.id = e.pile_id WHERE p.code LIKE ? AND e.kind = 'pile_create'", `${P}-P%`), 3);
  assert.equal(scalar("SELECT COUNT(*) FROM asset_events e JOIN piles p ON p.id = e.pile_id WHERE p.code LIKE ? AND e.kind = 'pile_bind'", `${P}-P%`), 2);
  // 2 of 2 bound: the quantity anomaly of the station closed itself.
  assert.equal(scalar("SELECT COUNT(*) FROM anomalies a JOIN stations s ON s.id = a.station_id WHERE s.code = ? AND a.status = 'open'", `${P}-S3`), 0);
  assert.equal(scalar("SELECT COUNT(*) FROM audit_log a JOIN piles p ON p.id = a.entity_id WHERE a.entity = 'pile' AND p.code LIKE ? AND a.source LIKE '导入 %'", `${P}-P%`), 7,
    'three creates, and for each of the two bound piles its state and station, as the bind button writes them');
});

test('facilities CSV by kind label; a city-company user imports only into its own company', async () => {
  const admin = await as('admin');
  const hzStation = scalar("SELECT s.code FROM stations s JOIN companies c ON c.id = s.company_id WHERE c.code = 'CC-HZ' AND s.state <> 'closed' ORDER BY s.id LIMIT 1");
  const rows = [
    SUB_HEAD,
    [`${P}-S1`, '电缆', `进线电缆${P}`, '120', '', ''],
    [`${P}-S1`, '变压器', `箱变${P}`, '', '630', ''],
    [`${P}-S2`, '基建工程', `基础${P}`, '', '', '某建设公司'],
  ];
  const wh = await as('warehouse');	// CC-SZ
  const up = await upload(wh, 'subasset', `sub-${P}.csv`, csv([...rows, [hzStation, '雨棚', `雨棚${P}`, '', '', '']]));
  assert.match(up.headers.get('location'), /flash=invalid/);
  hasError(errorsOf(up.job), 5, '充电站', /不在您的数据范围内/);
  const up2 = await upload(wh, 'subasset', `sub-${P}.csv`, csv(rows));
  assert.match(up2.headers.get('location'), /flash=ready/, JSON.stringify(errorsOf(up2.job)));
  await follow(wh, await wh.post(`/asset/import/${up2.job}/commit`));
  assert.equal(scalar('SELECT COUNT(*) FROM sub_assets WHERE name LIKE ?', `%${P}`), 3);
  // Without a company column a city user's piles are its own company's (the form's default).
  const own = await upload(wh, 'pile', `own-${P}.csv`, csv([['编码', '产品', '仓库'], [`${P}-W1`, 'XC-AC7-W', 'WH-SZ-02']]));
  assert.match(own.headers.get('location'), /flash=ready/, JSON.stringify(errorsOf(own.job)));
  await follow(wh, await wh.post(`/asset/import/${own.job}/commit`));
  assert.equal(scalar('SELECT c.code FROM piles p JOIN companies c ON c.id = p.company_id WHERE p.code = ?', `${P}-W1`), 'CC-SZ');
  // Another company's rows are errors, not writes.
  const st = await upload(wh, 'station', `hz-${P}.csv`, csv([ST_HEAD, [`${P}-H1`, `杭站${P}`, HZ_NAME, '杭州', '立项', '0', '', '', '', '', '']]));
  hasError(errorsOf(st.job), 2, '所属公司', /不在您的数据范围内/);
  assert.equal(scalar('SELECT COUNT(*) FROM stations WHERE code = ?', `${P}-H1`), 0);
  // Someone else's job is not theirs to see or commit.
  const other = await as('xu.fang');	// CC-SZN
  assert.equal((await other.get(`/asset/import/${up2.job}`)).status, 404);
  const ops = await as('ops');
  assert.equal((await ops.post(`/asset/import/${st.job}/commit`)).status, 404);
  // The history lists the jobs with their results, filtered.
  const hist = await wh.get('/asset/import/history');
  assert.equal(hist.status, 200);
  assert.ok(hist.text.includes(`sub-${P}.csv`));
  assert.ok(!hist.text.includes(`stations-${P}`), 'admin jobs of another scope are not listed');
});

test('commit re-checks: a code taken since the dry run rolls back every row; two commits at once import once', async () => {
  const admin = await as('admin');
  const rows = [ST_HEAD];
  for (let i = 1; i <= 5; i++) rows.push([`${P}-R${i}`, `复检站${i}${P}`, SZ_NAME, '苏州', '立项', '0', '', '', '', '', '']);
  const up = await upload(admin, 'station', `recheck-${P}.csv`, csv(rows));
  assert.match(up.headers.get('location'), /flash=ready/);
  // Someone creates the last row's station through the form meanwhile.
  const form = await admin.post('/asset/stations', { code: `${P}-R5`, name: `抢先${P}`, state: 'approved', expected_piles: '0',
    company_id: C.idOf('companies', 'code', 'CC-SZ'), city_id: C.idOf('cities', 'code', '320500') });
  assert.equal(form.status, 303);
  const page = await follow(admin, await admin.post(`/asset/import/${up.job}/commit`));
  assert.match(page.text, /全部未写入/);
  assert.equal(scalar('SELECT COUNT(*) FROM stations WHERE code LIKE ?', `${P}-R%`), 1, 'only the form\'s station');
  assert.equal(scalar("SELECT COUNT(*) FROM asset_events e JOIN stations s ON s.id = e.station_id WHERE s.code LIKE ? AND e.kind = 'station_create'", `${P}-R%`), 1);
  assert.equal(scalar('SELECT state FROM import_jobs WHERE id = ?', up.job), 'invalid');
  hasError(errorsOf(up.job), 6, '编码', /已存在/);

  // The same clean file twice at the same moment: one commit writes, the other waits and finds it done.
  const rows2 = rows.slice(0, 5).map((r, i) => (i ? [r[0].replace('-R', '-Q'), ...r.slice(1)] : r));
  const up2 = await upload(admin, 'station', `twice-${P}.csv`, csv(rows2));
  assert.match(up2.headers.get('location'), /flash=ready/);
  const [a, b] = await Promise.all([admin.post(`/asset/import/${up2.job}/commit`), admin.post(`/asset/import/${up2.job}/commit`)]);
  const flashes = [a, b].map((r) => (r.headers.get('location') ?? '').replace(/.*flash=/, '')).sort();
  assert.deepEqual(flashes, ['committed', 'done']);
  assert.equal(scalar('SELECT COUNT(*) FROM stations WHERE code LIKE ?', `${P}-Q%`), 4);
});

test('a job whose dry run still runs (a double submit): shown as checking, not committable', async () => {
  const admin = await as('admin');
  const key = `chk${P}`.padEnd(20, 'x');
  sql(`INSERT INTO import_jobs (form_key, kind, filename, fmt, state, user_id, company_id)
    SELECT ?, 'station', 'slow.csv', 'csv', 'checking', id, company_id FROM users WHERE username = 'admin'`, key);
  const id = scalar('SELECT id FROM import_jobs WHERE form_key = ?', key);
  const dup = await upload(admin, 'station', 'slow.csv', csv([ST_HEAD]), { key });
  assert.equal(dup.job, id, 'the second submit lands on the running job');
  const page = await admin.get(`/asset/import/${id}?flash=exists`);
  assert.match(page.text, /正在预检/);
  assert.match(page.text, /data-progress-reload/);
  const c = await admin.post(`/asset/import/${id}/commit`);
  assert.match(c.headers.get('location'), /flash=checking/);
  assert.equal(scalar('SELECT state FROM import_jobs WHERE id = ?', id), 'checking');
});

test('bad files: empty, not a table, .xls, zip, GBK CSV, wrong headers, too many rows, too large', async () => {
  const admin = await as('admin');
  const before = scalar('SELECT COUNT(*) FROM import_jobs');
  const cases = [
    ['empty.csv', '', /文件是空的/],
    ['picture.csv', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d, 1, 2, 3]), /无法识别的文件/],
    ['old.xls', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]), /另存为 \.xlsx/],
    ['doc.xlsx', notWorkbook(), /不是 Excel 工作簿/],
    ['broken.xlsx', Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(50, 1)]), /损坏/],
    ['wrong.csv', csv([['foo', '名称'], ['1', '2']]), /表头与模板不符.*缺少必填列：编码.*无法识别的列：foo/],
    ['header-only.csv', csv([ST_HEAD]), /没有数据行/],
    ['utf16.csv', Buffer.from('\ufeff编码', 'utf16le'), /编码无法识别/],
    ['quote.csv', '编码,名称\n"abc,def\n', /未闭合的引号/],
  ];
  for (const [name, bytes, re] of cases) {
    const r = await upload(admin, 'station', name, bytes);
    assert.equal(r.status, 422, `${name}: ${r.status}`);
    assert.match(C.alertText(r.text), re, name);
  }
  const many = csv([PILE_HEAD, ...Array.from({ length: 20001 }, (_, i) => [`X${i}`])]);
  const r = await upload(admin, 'pile', 'many.csv', many);
  assert.equal(r.status, 422);
  assert.match(C.alertText(r.text), /最多 20000 行/);
  const large = await upload(admin, 'pile', 'large.csv', Buffer.alloc(11 << 20, 0x41));
  assert.equal(large.status, 413);
  assert.match(C.alertText(large.text), /文件超过 10 MB/);
  const huge = await upload(admin, 'pile', 'huge.csv', Buffer.alloc(13 << 20, 0x41));
  assert.equal(huge.status, 413, 'a body over the request limit is refused before any handler');
  assert.equal(scalar('SELECT COUNT(*) FROM import_jobs'), before, 'no job for a refused file');
  // A CSV saved by Excel as GBK (GB18030) is converted.
  const gbk = execFileSync('iconv', ['-f', 'UTF-8', '-t', 'GB18030'], {
    input: csv([ST_HEAD, [`${P}-G1`, `国标编码站${P}`, SZ_NAME, '苏州', '立项', '0', '', '', '', '', '']]).replace(/^\uFEFF/, ''),
  });
  const g = await upload(admin, 'station', 'gbk.csv', gbk);
  assert.match(g.headers.get('location') ?? '', /flash=ready/, `${g.status} ${C.alertText(g.text)} ${JSON.stringify(g.job && errorsOf(g.job))}`);
  assert.equal(scalar('SELECT converted FROM import_jobs WHERE id = ?', g.job), 1);
  // English headers work too.
  const en = await upload(admin, 'station', 'en.csv', csv([['Code', 'Name', 'Company', 'City'], [`${P}-E1`, `English${P}`, 'CC-SZ', '320500']]));
  assert.match(en.headers.get('location'), /flash=ready/, JSON.stringify(errorsOf(en.job)));
  // Without the CSRF token nothing happens.
  const fd = new FormData();
  fd.append('kind', 'station');
  fd.append('file', new Blob([csv([ST_HEAD])]), 'x.csv');
  assert.equal((await admin.request('POST', '/asset/import', { body: fd })).status, 403);
});

test('10,000 piles: dry run and commit timed (printed), progress recorded, every row written', async () => {
  const admin = await as('admin');
  const head = ['编码', '出厂编号', '产品', '所属公司', '仓库', '软件版本', '费率(元/kWh)'];
  const rows = [head];
  for (let i = 0; i < 10000; i++) rows.push([`${big}${String(i).padStart(5, '0')}`, `SN${i}`, 'XC-AC7-W', SZ_NAME, 'WH-SZ-01', 'V1.0', '1.1']);
  const file = csv(rows);
  let t = Date.now();
  const up = await upload(admin, 'pile', 'piles-10000.csv', file);
  const checkMs = Date.now() - t;
  assert.match(up.headers.get('location'), /flash=ready/, JSON.stringify(errorsOf(up.job).slice(0, 5)));
  assert.deepEqual(sql('SELECT phase, done_rows, total_rows FROM import_progress WHERE form_key = ?', up.key)[0], ['done', '10000', '10000']);
  t = Date.now();
  const c = await admin.post(`/asset/import/${up.job}/commit`);
  const commitMs = Date.now() - t;
  assert.match(c.headers.get('location'), /flash=done/);
  assert.equal(scalar('SELECT COUNT(*) FROM piles WHERE code LIKE ?', `${big}%`), 10000);
  assert.equal(scalar("SELECT COUNT(*) FROM asset_events e JOIN piles p ON p.id = e.pile_id WHERE p.code LIKE ? AND e.kind = 'pile_create'", `${big}%`), 10000);
  const [srvCheck, srvCommit] = sql('SELECT check_ms, commit_ms FROM import_jobs WHERE id = ?', up.job)[0];
  console.log(`# import 10000 piles (${(file.length / 1024).toFixed(0)} KiB CSV): dry run ${checkMs} ms (server ${srvCheck} ms), commit ${commitMs} ms (server ${srvCommit} ms)`);
});
