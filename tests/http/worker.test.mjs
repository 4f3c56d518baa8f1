// The prefork supervisor of ca-base (cgi/core/app.c): a child killed with SIGKILL under load is
// replaced at once, the number of children returns to Worker.base.procs, and the service keeps
// answering — at most the request in flight on the killed child fails.
//
// The stack under test writes its pid files to its own run directory: Paths.run of the
// configuration in CA_TEST_CONF when set (./chargeasset test), else var/run (the demo stack).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { base } from './lib.mjs';

const root = process.env.CA_ROOT ?? process.cwd();

/** A flat { 'A.b.c': value } view of a ClearSilver HDF file (nested blocks and dotted keys). */
function readHdf(file) {
  const out = {};
  const stack = [];
  for (const raw of readFileSync(file, 'utf8').split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    if (line === '}') {
      stack.pop();
      continue;
    }
    let m = line.match(/^([A-Za-z0-9_.]+)\s*\{$/);
    if (m) {
      stack.push(m[1]);
      continue;
    }
    m = line.match(/^([A-Za-z0-9_.]+)\s*=\s*(.*)$/);
    if (m) out[[...stack, m[1]].join('.')] = m[2];
  }
  return out;
}

const confFile = process.env.CA_TEST_CONF ?? `${root}/etc/chargeasset.hdf`;
const conf = existsSync(confFile) ? readHdf(confFile) : {};
const runDir = process.env.CA_TEST_CONF ? conf['Paths.run'] : `${root}/var/run`;
const procs = Number(conf['Worker.base.procs'] ?? 2);

function children(pid) {
  try {
    return execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' })
      .split('\n').filter(Boolean).map(Number);
  } catch (e) {
    if (e.status === 1) return [];	// pgrep: no process matched
    throw e;
  }
}

const alive = (pid) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** The pid of the process that served a response (X-Request-Id is "<pid hex>-<counter>"). */
const servedBy = (rid) => (rid ? parseInt(rid.split('-')[0], 16) : null);

async function getLogin() {
  try {
    const res = await fetch(`${base}/base/login`);
    await res.arrayBuffer();
    return { status: res.status, pid: servedBy(res.headers.get('x-request-id')) };
  } catch (e) {
    return { status: 0, pid: null, error: e.cause?.code ?? e.message };
  }
}

test('a worker child killed under load is replaced and the service keeps answering', async () => {
  assert.ok(runDir, `Paths.run in ${confFile}`);
  const pidFile = `${runDir}/ca-base.pid`;
  assert.ok(existsSync(pidFile), `${pidFile} exists`);
  const parent = Number(readFileSync(pidFile, 'utf8').trim());
  assert.ok(parent > 1 && alive(parent), `ca-base parent ${parent} is running`);
  const before = children(parent);
  assert.equal(before.length, procs, `ca-base has ${procs} children: ${before}`);

  const TOTAL = 200;
  const CONCURRENCY = 8;
  const KILL_AFTER = 100;
  const results = [];
  let next = 0;
  let done = 0;
  let victim = null;
  let killIndex = null;	// requests from this index on were started after the kill

  async function loop() {
    while (next < TOTAL) {
      const i = next++;
      results[i] = await getLogin();
      done++;
      if (done === KILL_AFTER && victim === null) {
        // Kill the child that served the most so far: it is the likeliest to be busy.
        const counts = new Map();
        for (const r of results) if (r && before.includes(r.pid)) counts.set(r.pid, (counts.get(r.pid) ?? 0) + 1);
        victim = [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? before[0];
        process.kill(victim, 'SIGKILL');
        killIndex = next;
      }
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, loop));

  assert.ok(victim, 'a child was killed');
  assert.ok(results.slice(0, KILL_AFTER).some((r) => r.pid === victim), 'the victim was serving requests');

  // The request in flight on the killed child may fail (502); nothing else may.
  const failed = results.map((r, i) => ({ ...r, i })).filter((r) => r.status !== 200);
  assert.ok(failed.length <= 3, `at most a few failures around the kill: ${JSON.stringify(failed)}`);
  for (const f of failed) assert.ok(f.i >= KILL_AFTER - CONCURRENCY && f.i < killIndex + CONCURRENCY,
    `failure ${JSON.stringify(f)} is near the kill (request ${killIndex})`);

  // After the kill: at least 50 consecutive requests answer 200.
  let run = 0;
  let best = 0;
  for (const r of results.slice(killIndex)) {
    run = r.status === 200 ? run + 1 : 0;
    best = Math.max(best, run);
  }
  assert.ok(best >= 50, `longest run of 200s after the kill: ${best} of ${TOTAL - killIndex}`);
  assert.ok(results.slice(killIndex).every((r) => r.pid !== victim), 'nothing is served by the dead child');

  // The supervisor replaces the child: the dead pid is gone, a new one is there, the count is back.
  let now = children(parent);
  for (let t = 0; t < 50 && (now.includes(victim) || now.length !== procs); t++) {
    await sleep(100);
    now = children(parent);
  }
  assert.ok(!now.includes(victim), `killed child ${victim} is gone: ${now}`);
  assert.ok(!alive(victim), `killed child ${victim} no longer exists`);
  assert.equal(now.length, procs, `back to ${procs} children: ${now}`);
  const fresh = now.filter((p) => !before.includes(p));
  assert.equal(fresh.length, 1, `one new child: before ${before}, now ${now}`);
  assert.ok(alive(parent), 'the parent survived');
  assert.equal(Number(readFileSync(pidFile, 'utf8').trim()), parent, 'same parent, no restart of the worker');

  // The new child serves requests too.
  let seen = false;
  for (let round = 0; round < 50 && !seen; round++) {
    const batch = await Promise.all(Array.from({ length: CONCURRENCY }, getLogin));
    for (const r of batch) assert.equal(r.status, 200, `after the restart: ${JSON.stringify(r)}`);
    seen = batch.some((r) => r.pid === fresh[0]);
  }
  assert.ok(seen, `the new child ${fresh[0]} answers requests`);
});
