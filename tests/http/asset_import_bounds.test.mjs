// Bulk import memory bounds (issue 9, high): an XLSX of a few KB whose sharedStrings part holds
// one 32 KB string, used by every cell of 1,000 rows, took a ca-asset child from 28 MB to 867 MB
// (each cell copied into a request arena never reset per row).  Now the reader refuses a cell
// longer than any field takes before copying it, so the upload (dry run) and the commit of a
// kept file both answer with a clear message, write nothing, and the child serving them grows by
// less than 64 MB of RSS (a memory bound, read from /proc/<pid>/status; no time is asserted).
// The legitimate 10,000-row import stays covered by asset_import.test.mjs.
import { test } from 'node:test';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { as, sql, scalar, assert } from './lib.mjs';
import { xlsx, upload } from './import.mjs';
import * as C from './crud.mjs';

const root = process.env.CA_ROOT ?? process.cwd();
const P = C.ucode('IMB', 9);
const ST_HEAD = ['编码', '名称', '所属公司', '所在城市', '状态', '应有桩数', '投运日期', '租期开始', '租期结束', '负责人电话', '资产性质'];
const SZ_NAME = '蓝途充电（苏州）有限公司';
const RSS_GROWTH_MAX = 64 << 20;

/** Paths.* of the stack under test (etc/test.hdf under ./chargeasset test, else the demo's). */
function conf(key, dflt) {
  const file = process.env.CA_TEST_CONF ?? `${root}/etc/chargeasset.hdf`;
  if (!existsSync(file)) return dflt;
  const m = readFileSync(file, 'utf8').match(new RegExp(`^\\s*${key.split('.')[1]}\\s*=\\s*(.*)$`, 'm'));
  return m ? m[1].trim() : dflt;
}
const runDir = conf('Paths.run', `${root}/var/run`);
const uploadDir = conf('Paths.upload', `${root}/var/upload`);

/** The ca-asset children of this stack (its pid file's process's children). */
function assetChildren() {
  const parent = readFileSync(`${runDir}/ca-asset.pid`, 'utf8').trim();
  try {
    return execFileSync('pgrep', ['-P', parent], { encoding: 'utf8' }).split('\n').filter(Boolean).map(Number);
  } catch (e) {
    if (e.status === 1) return [];
    throw e;
  }
}

/** Resident bytes of a process, or null when it is gone. */
function rss(pid) {
  try {
    const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+) kB/m);
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

const servedBy = (res) => parseInt((res.headers.get('x-request-id') ?? '').split('-')[0], 16);
const mb = (n) => `${(n / 1048576).toFixed(1)} MB`;

/** Issue 9's workbook: a station header, then 1,000 rows whose every cell is one 32,000-byte shared string. */
function amplification() {
  const long = 'x'.repeat(32000);
  return xlsx([ST_HEAD, ...Array.from({ length: 1000 }, () => ST_HEAD.map(() => long))]);
}

/** Run send() and return its response with the RSS growth of the ca-asset child that served it. */
async function measured(send) {
  const before = new Map(assetChildren().map((pid) => [pid, rss(pid)]));
  assert.ok(before.size > 0, `ca-asset children found under ${runDir}`);
  const res = await send();
  const pid = servedBy(res);
  assert.ok(before.has(pid), `served by a ca-asset child that was there before (${pid}; ${[...before.keys()]})`);
  const after = rss(pid);
  assert.ok(after !== null, `the child ${pid} is still alive`);
  return { res, pid, before: before.get(pid), after, growth: after - before.get(pid) };
}

test('the amplification XLSX is refused at upload with a clear message, nothing written, RSS bounded', async () => {
  const admin = await as('admin');
  const bytes = amplification();
  assert.ok(bytes.length < 64 << 10, `the workbook is small (${bytes.length} bytes)`);
  const name = `amplify-${P}.xlsx`;
  // Warm the child up so its first-request growth is not counted.
  await admin.get('/asset/import?kind=station');
  const page = await admin.get('/asset/import?kind=station');
  const key = page.text.match(/name="form_key" value="([^"]+)"/)[1];
  const m = await measured(() => upload(admin, 'station', name, bytes, { key }));
  console.log(`# amplification upload: child ${m.pid} RSS ${mb(m.before)} -> ${mb(m.after)} (growth ${mb(m.growth)})`);
  assert.equal(m.res.status, 422, `refused, got ${m.res.status}`);
  assert.match(C.alertText(m.res.text), /第 2 行 A 列的内容超过 500 个字符/);
  assert.ok(m.growth < RSS_GROWTH_MAX, `RSS grew by ${mb(m.growth)} (< ${mb(RSS_GROWTH_MAX)})`);
  assert.equal(scalar('SELECT COUNT(*) FROM import_jobs WHERE filename = ?', name), 0, 'no job');
  assert.equal(scalar("SELECT COUNT(*) FROM stations WHERE name LIKE 'xxxx%'"), 0, 'no station');
});

test('a kept file swapped for the amplification XLSX: the commit refuses it on the job page, nothing written, RSS bounded', async () => {
  const admin = await as('admin');
  const code = `${P}-C1`;
  const up = await upload(admin, 'station', `bounds-${P}.xlsx`,
    xlsx([ST_HEAD, [code, `界限站${P}`, SZ_NAME, '苏州', '立项', '0', '', '', '', '', '']]));
  assert.equal(up.status, 303, C.alertText(up.text));
  assert.match(up.headers.get('location'), /flash=ready/);
  const kept = `${uploadDir}/import/${up.job}.xlsx`;
  assert.ok(existsSync(kept), `the job's file is kept at ${kept}`);
  writeFileSync(kept, amplification());
  await admin.get(`/asset/import/${up.job}`);
  const m = await measured(() => admin.post(`/asset/import/${up.job}/commit`, {}));
  console.log(`# amplification commit: child ${m.pid} RSS ${mb(m.before)} -> ${mb(m.after)} (growth ${mb(m.growth)})`);
  assert.equal(m.res.status, 422, `refused, got ${m.res.status}`);
  assert.match(C.alertText(m.res.text), /第 2 行 A 列的内容超过 500 个字符/);
  assert.ok(m.growth < RSS_GROWTH_MAX, `RSS grew by ${mb(m.growth)} (< ${mb(RSS_GROWTH_MAX)})`);
  assert.equal(scalar('SELECT COUNT(*) FROM stations WHERE code = ?', code), 0, 'nothing imported');
  assert.equal(scalar('SELECT state FROM import_jobs WHERE id = ?', up.job), 'ready', 'the job is left as it was');
});

test('cells longer than their field are row errors (not copies), the rest of the row still checked', async () => {
  const admin = await as('admin');
  // 101 characters in a 100-character name; 201 in a reference column (company).
  const rows = [ST_HEAD,
    [`${P}-L1`, '名'.repeat(101), SZ_NAME, '苏州', '立项', '0', '', '', '', '', ''],
    [`${P}-L2`, `长站${P}`, '公'.repeat(201), '苏州', '立项', '0', '', '', '', '', '']];
  const up = await upload(admin, 'station', `long-${P}.xlsx`, xlsx(rows));
  assert.equal(up.status, 303, C.alertText(up.text));
  assert.match(up.headers.get('location'), /flash=invalid/);
  const errs = sql('SELECT row_no, col, message, CHAR_LENGTH(value) FROM import_errors WHERE job_id = ? ORDER BY row_no, id', up.job);
  assert.ok(errs.some(([row, col, msg]) => row === '2' && col === '名称' && /最多 100 个字符/.test(msg)), JSON.stringify(errs));
  assert.ok(errs.some(([row, col, msg]) => row === '3' && col === '所属公司' && /最多 200 个字符/.test(msg)), JSON.stringify(errs));
  assert.ok(errs.every(([, , , len]) => len === null || Number(len) <= 300), 'values kept cut to 300 characters');
  assert.equal(scalar('SELECT COUNT(*) FROM stations WHERE code LIKE ?', `${P}-L%`), 0);
});
