// The database layer under real use (cgi/core/db.c, cgi/core/app.c):
// - the prepared-statement cache evicts the least recently used statement instead of dying
//   when a process meets more distinct statements than it holds (the test stack runs with
//   DB.statement_cache = 64, so a few hundred filter/sort combinations of the pile list
//   overflow both processes of ca-asset many times over);
// - a deadlock inside model code (cgi/model/pile_place.c) reaches the dispatcher's retry loop:
//   the request is rolled back, run again and completes, instead of killing the worker.
import { test, before, after } from 'node:test';
import { spawn } from 'node:child_process';
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { as, sql, scalar, assert } from './lib.mjs';
import * as C from './crud.mjs';

const PILES = { path: '/asset/piles', table: 'piles', entity: 'pile', key: 'code' };
const ST = { path: '/asset/stations', table: 'stations', entity: 'station', key: 'code' };
const SZ = C.idOf('companies', 'code', 'CC-SZ');
const SUZHOU = C.idOf('cities', 'code', '320500');
const WH_SZ1 = C.idOf('warehouses', 'code', 'WH-SZ-01');
const P_AC7 = C.idOf('products', 'model', 'XC-AC7-W');
const LOG_DIR = process.env.CA_ROOT ? path.join(process.env.CA_ROOT, 'var/test/log') : null;

let admin;
const made = { piles: [], stations: [] };

before(async () => {
  admin = await as('admin');
});

after(() => {
  // Piles with history cannot be deleted through the UI; the ones left here are ordinary
  // registered piles (their ledger explains them), so ./chargeasset verify stays clean.
});

function assetLog() {
  if (!LOG_DIR) return '';
  const f = path.join(LOG_DIR, 'ca-asset.log');
  return existsSync(f) ? readFileSync(f, 'utf8') : '';
}

test('more distinct list statements than the statement cache holds: every answer is 200, none dies', async () => {
  const logBefore = assetLog().length;
  const filters = [
    ['state', 'in_stock'], ['state', 'operating'], ['company_id', String(SZ)], ['city_id', String(SUZHOU)],
    ['product_id', String(P_AC7)], ['warranty', 'in'], ['q', 'CA'], ['sw_version', 'V1.0'],
  ];
  const sorts = ['code', 'model', 'manufacturer', 'rated_power_kw', 'state', 'company', 'sw_version', 'warranty_end'];
  const urls = [];
  // Every subset of the first six filters (64) × two sorts × both directions: 256 distinct
  // page statements and as many count statements, well past 64 per process.
  for (let mask = 0; mask < 64; mask++) {
    for (const [si, sort] of [sorts[mask % 8], sorts[(mask + 3) % 8]].entries()) {
      for (const dir of ['asc', 'desc']) {
        const p = new URLSearchParams({ sort, dir, page: String(2 + si) });
        filters.slice(0, 6).forEach(([k, v], i) => { if (mask & (1 << i)) p.set(k, v); });
        urls.push(`${PILES.path}?${p}`);
      }
    }
  }
  const first = await admin.get(urls[0]);
  assert.equal(first.status, 200);
  const statuses = new Map();
  for (let i = 0; i < urls.length; i += 8) {
    const batch = await Promise.all(urls.slice(i, i + 8).map((u) => admin.get(u)));
    batch.forEach((r, k) => statuses.set(urls[i + k], r.status));
  }
  const bad = [...statuses].filter(([, s]) => s !== 200);
  assert.deepEqual(bad, [], 'every combination answers 200');
  // The statement of the first URL was evicted long ago; it is prepared again and answers
  // exactly what it answered the first time.
  const again = await admin.get(urls[0]);
  assert.equal(again.status, 200);
  assert.deepEqual(C.tableRows(again.text), C.tableRows(first.text));
  const log = assetLog().slice(logBefore);
  assert.doesNotMatch(log, /statement cache full|child \d+ died|exited on signal/i);
});

/** A root session on the test database that stays open (one transaction across steps). */
function session() {
  const cmd = (process.env.CA_MYSQL ?? 'mariadb --no-defaults -u root chargeasset').split(/\s+/);
  const child = spawn(cmd[0], [...cmd.slice(1), '-N', '-B', '-n'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => { out += d; });
  child.stderr.on('data', (d) => { err += d; });
  let mark = 0;
  return {
    /** Send statements; resolves with what they printed, once the marker comes back. */
    async run(text, timeoutMs = 20000) {
      const tag = `__done_${++mark}__`;
      child.stdin.write(`${text}\nSELECT '${tag}';\n`);
      const t0 = Date.now();
      while (!out.includes(tag)) {
        if (err) throw new Error(`session failed on ${text}: ${err}`);
        if (Date.now() - t0 > timeoutMs) throw new Error(`session timed out on ${text}: ${err}`);
        await new Promise((r) => setTimeout(r, 20));
      }
      const i = out.indexOf(tag);
      const got = out.slice(0, i);
      out = out.slice(i + tag.length + 1);
      return got;
    },
    /** Send without waiting (a statement that will block). */
    send(text) { child.stdin.write(`${text}\n`); },
    get err() { return err; },
    end() { child.stdin.end(); },
  };
}

async function newPile() {
  const code = C.ucode('DL', 14);
  const r = await C.create(admin, PILES, { code, serial_no: `SN${code}`, product_id: P_AC7, company_id: SZ,
    warehouse_id: WH_SZ1, state: 'in_stock', sw_version: 'V1.0', hw_version: 'H1' });
  C.assertRedirect(r, PILES, 'created');
  made.piles.push(r.id);
  return r.id;
}

async function newStation() {
  const code = C.ucode('DLS', 16);
  const r = await C.create(admin, ST, { code, name: `死锁测试站${code}`, company_id: SZ, city_id: SUZHOU,
    state: 'operating', expected_piles: 0 });
  C.assertRedirect(r, ST, 'created');
  made.stations.push(r.id);
  return r.id;
}

const waitFor = async (fn, ms = 15000) => {
  const t0 = Date.now();
  while (!(await fn())) {
    if (Date.now() - t0 > ms) return false;
    await new Promise((r) => setTimeout(r, 25));
  }
  return true;
};

test('a deadlock inside model code is retried: the bind completes once, the worker lives', async () => {
  const pile = await newPile();
  const station = await newStation();
  const s = session();
  try {
    // T holds the station and many rows (so InnoDB picks the request, the lighter
    // transaction, as the deadlock victim).
    await s.run(`SET SESSION innodb_lock_wait_timeout = 30; START TRANSACTION;
      SELECT id FROM asset_events ORDER BY id LIMIT 2000 FOR UPDATE;
      SELECT id FROM stations WHERE id = ${station} FOR UPDATE;`);
    // The bind locks the pile (model/pile_place.c lock_pile), then waits for the station.
    const bind = admin.post(`${PILES.path}/${pile}/bind`, { station_id: station });
    // Until the worker's statement waits for the station (or 3 s: the deadlock assertion
    // below fails if the bind had not got that far).
    await waitFor(() => Number(scalar(`SELECT COUNT(*) FROM information_schema.processlist
      WHERE user = 'chargeasset_test' AND info LIKE 'SELECT state FROM stations WHERE id = % FOR UPDATE'`)) > 0, 3000);
    // T now asks for the pile the bind holds: a cycle. InnoDB rolls the bind back with
    // ER_LOCK_DEADLOCK; the dispatcher runs it again, and it waits for T again.
    s.send(`SELECT id FROM piles WHERE id = ${pile} FOR UPDATE;`);
    const deadlocked = await waitFor(() => /deadlock on \/asset\/piles\/\d+\/bind, retry 1/.test(assetLog()));
    assert.ok(deadlocked, 'the worker logged the deadlock and its retry');
    await s.run('COMMIT;');
    const r = await bind;
    assert.equal(r.status, 303, C.alertText(r.text));
    assert.equal(r.headers.get('location'), `${PILES.path}/${pile}?flash=bound`);
  } finally {
    s.end();
  }
  assert.deepEqual(sql('SELECT state, place, station_id FROM piles WHERE id = ?', pile)[0],
    ['installed', 'station', String(station)]);
  assert.equal(scalar("SELECT COUNT(*) FROM asset_events WHERE pile_id = ? AND kind = 'pile_bind'", pile), 1,
    'one bind in the ledger: the rolled-back attempt left nothing');
  assert.equal(scalar("SELECT COUNT(*) FROM audit_log WHERE entity = 'pile' AND entity_id = ? AND field = 'station_id'", pile), 1);
  // The same process keeps serving.
  assert.equal((await admin.get(`${PILES.path}/${pile}`)).status, 200);
  assert.doesNotMatch(assetLog(), /ledger posting failed|station lock failed.*died/);
});
