// Varied-parameter benchmark: lists and lookups as real users vary them.  Figures, never
// pass/fail.  A benchmark that repeats one URL measures the response cache; this one draws
// every request from a pool of URLs built from the data itself — random cities, states,
// manufacturers, companies, products, versions, code prefixes, sorts, directions and pages
// (deep ones included) for each list, random asset codes for the lookup — and prints per page:
//   cold p50/p95   each of the first N URLs of the pool once, one after another, on a stack
//                  whose caches have never seen them (first answer, no cache),
//   varied         wrk at C connections, every request a random URL of the pool: rps,
//                  p50/p95 and the response cache's hit rate (X-Cache: hit|miss),
//   cached         wrk repeating one URL (what the older benchmarks measured),
//   static         nginx serving a static file of the page's average size, and the share
//                  varied rps / static rps (targets: lists >= 5 %, lookups >= 10 % of the
//                  small static file, the login page's size).
// Usage: node tests/bench/varied.mjs [--port N] [--db NAME] [--seconds S] [--connections C]
//                                    [--cold N] [--pool N] [--only kind,kind]
//                                    [--slowest N]   print the N slowest cold URLs of each page
//                                    [--coldonly 1]  cold figures only (no wrk runs)
import { execFileSync } from 'node:child_process';
import { writeFileSync, rmSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const opt = { port: 8080, db: 'chargeasset', seconds: 8, connections: 32, cold: 150, pool: 4000, only: '', slowest: 0, coldonly: 0 };
for (let i = 2; i < process.argv.length; i += 2) {
  const k = process.argv[i].replace(/^--/, '');
  if (!(k in opt)) { console.error(`unknown option ${process.argv[i]}`); process.exit(64); }
  opt[k] = typeof opt[k] === 'number' ? Number(process.argv[i + 1]) : process.argv[i + 1];
}
const BASE = `http://127.0.0.1:${opt.port}`;
const VENDOR = path.join(ROOT, 'assets/vendor');
const TMP = path.join(ROOT, 'var/bench/varied');
mkdirSync(TMP, { recursive: true });

function sql(q) {
  const out = execFileSync('mariadb', ['--no-defaults', '-S', path.join(ROOT, 'var/run/mysqld.sock'), '-u', 'root',
    opt.db, '-N', '-B', '-e', q], { encoding: 'utf8', maxBuffer: 64 << 20 });
  return out.split('\n').filter(Boolean).map((l) => l.split('\t'));
}
const col = (q) => sql(q).map((r) => r[0]);

// A deterministic generator (mulberry32, fixed seed), so two runs draw the same pools and
// the figures of two versions of the code compare like for like.
let seed = 20261202;
const rnd = () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const pick = (a) => a[Math.floor(rnd() * a.length)];
const chance = (p) => rnd() < p;
/** Page numbers as people click them: mostly the first pages, some deep ones (to 200). */
const page = () => (chance(0.45) ? 1 : chance(0.6) ? 2 + Math.floor(rnd() * 19) : 21 + Math.floor(rnd() * 180));

async function login(username) {
  const first = await fetch(`${BASE}/base/login`);
  const cookie = (first.headers.get('set-cookie') ?? '').split(';')[0];
  const csrf = (await first.text()).match(/name="_csrf" value="([^"]*)"/)[1];
  const r = await fetch(`${BASE}/base/login`, { method: 'POST', redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
    body: new URLSearchParams({ _csrf: csrf, username, password: 'demo1234' }) });
  const sid = (r.headers.getSetCookie?.() ?? [r.headers.get('set-cookie') ?? ''])
    .map((c) => c.split(';')[0]).find((c) => c.startsWith('ca_sid='));
  if (!sid) throw new Error(`login as ${username} failed (${r.status})`);
  return sid;
}

// ---------------------------------------------------------------- value pools from the data
// (each in a fixed order: the same seed gives the same URLs whatever plan the database takes)
const V = {
  cities: col('SELECT DISTINCT city_id FROM stations ORDER BY 1'),
  companies: col("SELECT id FROM companies WHERE kind = 'city' ORDER BY 1"),
  makers: col('SELECT DISTINCT manufacturer_id FROM products ORDER BY 1'),
  products: col('SELECT id FROM products ORDER BY 1'),
  powers: col('SELECT DISTINCT rated_power_kw FROM products ORDER BY 1'),
  sw: col('SELECT sw_version FROM (SELECT sw_version, COUNT(*) n FROM piles WHERE sw_version IS NOT NULL AND id % 97 = 0 GROUP BY sw_version) v ORDER BY n DESC, 1 LIMIT 30'),
  hw: col('SELECT hw_version FROM (SELECT hw_version, COUNT(*) n FROM piles WHERE hw_version IS NOT NULL AND id % 97 = 0 GROUP BY hw_version) v ORDER BY n DESC, 1 LIMIT 30'),
  codes: col(`SELECT code FROM piles WHERE id IN (SELECT FLOOR(lo + (hi - lo) * (seq * 7919 % 100003) / 100003)
    FROM (SELECT MIN(id) lo, MAX(id) hi FROM piles) b, seq_1_to_${opt.pool}) ORDER BY id`),
  stations: col(`SELECT id FROM stations WHERE id IN (SELECT FLOOR(lo + (hi - lo) * (seq * 104729 % 100003) / 100003)
    FROM (SELECT MIN(id) lo, MAX(id) hi FROM stations) b, seq_1_to_2000) ORDER BY id`),
  stationCodes: [],
  users: col('SELECT id FROM users ORDER BY 1'),
  entities: ['station', 'pile', 'company', 'product', 'user', 'subasset'],
};
V.stationCodes = col(`SELECT code FROM stations WHERE id IN (${V.stations.slice(0, 300).join(',') || 0}) ORDER BY id`);
const PILE_STATES = ['in_stock', 'installed', 'operating', 'repair', 'at_supplier', 'scrapped'];
const STATION_STATES = ['approved', 'building', 'operating', 'suspended', 'closed'];
const dir = () => (chance(0.5) ? 'asc' : 'desc');
/** A code prefix as people type it: the first 3-8 characters of a real code. */
const prefix = () => pick(V.codes).slice(0, 3 + Math.floor(rnd() * 6));

function qs(o) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(o)) if (v !== undefined && v !== null) p.set(k, String(v));
  return p.toString();
}

const KINDS = {
  piles: () => `/asset/piles?${qs({
    city_id: chance(0.3) ? pick(V.cities) : undefined,
    state: chance(0.4) ? pick(PILE_STATES) : undefined,
    manufacturer_id: chance(0.3) ? pick(V.makers) : undefined,
    company_id: chance(0.15) ? pick(V.companies) : undefined,
    product_id: chance(0.08) ? pick(V.products) : undefined,
    rated_power_kw: chance(0.05) ? pick(V.powers) : undefined,
    warranty: chance(0.1) ? pick(['in', 'out', 'unknown']) : undefined,
    sw_version: chance(0.08) ? pick(V.sw) : undefined,
    q: chance(0.12) ? prefix() : undefined,
    sort: chance(0.7) ? pick(['code', 'model', 'manufacturer', 'rated_power_kw', 'state', 'company', 'sw_version', 'warranty_end']) : undefined,
    dir: dir(), page: page(), per: 50 })}`,
  stations: () => `/asset/stations?${qs({
    city_id: chance(0.3) ? pick(V.cities) : undefined,
    company_id: chance(0.2) ? pick(V.companies) : undefined,
    state: chance(0.4) ? pick(STATION_STATES) : undefined,
    asset_nature: chance(0.1) ? pick(['own', 'joint', 'leased', 'managed']) : undefined,
    q: chance(0.12) ? pick(V.stationCodes).slice(0, 3 + Math.floor(rnd() * 5)) : undefined,
    sort: chance(0.7) ? pick(['code', 'name', 'company', 'city', 'state', 'expected_piles', 'commissioned_on', 'lease_end']) : undefined,
    dir: dir(), page: page(), per: 50 })}`,
  versions: () => `/asset/versions/piles?${qs({
    check: pick(['below', 'unknown', 'ok', 'none']),
    city_id: chance(0.3) ? pick(V.cities) : undefined,
    manufacturer_id: chance(0.3) ? pick(V.makers) : undefined,
    company_id: chance(0.15) ? pick(V.companies) : undefined,
    product_id: chance(0.1) ? pick(V.products) : undefined,
    sw_version: chance(0.08) ? pick(V.sw) : undefined,
    hw_version: chance(0.05) ? pick(V.hw) : undefined,
    warranty: chance(0.1) ? pick(['in', 'out', 'unknown']) : undefined,
    q: chance(0.1) ? prefix() : undefined,
    sort: chance(0.7) ? pick(['code', 'model', 'manufacturer', 'location', 'company', 'sw_version', 'hw_version', 'warranty_end']) : undefined,
    dir: dir(), page: page(), per: 50 })}`,
  subassets: () => `/asset/subassets?${qs({
    kind: chance(0.4) ? pick(['cable', 'canopy', 'transformer', 'lv_works', 'civil_works']) : undefined,
    company_id: chance(0.2) ? pick(V.companies) : undefined,
    city_id: chance(0.2) ? pick(V.cities) : undefined,
    station_id: chance(0.1) ? pick(V.stations) : undefined,
    sort: chance(0.6) ? pick(['station', 'kind', 'name', 'completed_on', 'company']) : undefined,
    dir: dir(), page: page(), per: 50 })}`,
  anomalies: () => `/asset/anomalies?${qs({
    status: chance(0.5) ? pick(['open', 'closed']) : undefined,
    company_id: chance(0.3) ? pick(V.companies) : undefined,
    station_id: chance(0.1) ? pick(V.stations) : undefined,
    sort: chance(0.6) ? pick(['opened_at', 'station', 'status']) : undefined,
    dir: dir(), page: page(), per: 50 })}`,
  records: () => `/base/records?${qs({
    entity: chance(0.5) ? pick(V.entities) : undefined,
    user_id: chance(0.2) ? pick(V.users) : undefined,
    action: chance(0.2) ? pick(['create', 'update', 'delete']) : undefined,
    sort: chance(0.5) ? pick(['at', 'user', 'entity']) : undefined,
    dir: dir(), page: page(), per: 50 })}`,
  lookup: () => `/asset/piles/lookup?${qs({ code: pick(V.codes), format: 'json' })}`,
};

function wrk(args) {
  const out = execFileSync('wrk', ['-t2', `-c${opt.connections}`, `-d${opt.seconds}s`, '--timeout', '30s', ...args],
    { encoding: 'utf8', cwd: ROOT, maxBuffer: 16 << 20 });
  const line = out.split('\n').find((l) => l.startsWith('RESULT')) ?? '';
  const f = Object.fromEntries([...line.matchAll(/(\w+)=([\d.]+)/g)].map((m) => [m[1], Number(m[2])]));
  return f;
}

const pct = (a, p) => { const s = [...a].sort((x, y) => x - y); return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]; };

async function measure(kind, sid) {
  const gen = KINDS[kind];
  const urls = new Set();
  for (let i = 0; urls.size < opt.pool && i < opt.pool * 5; i++) urls.add(gen());
  const pool = [...urls];
  const poolFile = path.join(TMP, `${kind}.txt`);
  writeFileSync(poolFile, pool.join('\n') + '\n');
  const headers = { cookie: sid, ...(kind === 'lookup' ? { accept: 'application/json' } : {}) };
  // Cold: the first N URLs once each, one at a time.
  const times = [], slow = [];
  let bytes = 0, hits = 0, bad = 0, sample = null;
  for (const u of pool.slice(0, opt.cold)) {
    const t0 = performance.now();
    const r = await fetch(BASE + u, { headers, redirect: 'manual' });
    const body = await r.text();
    times.push(performance.now() - t0);
    slow.push([performance.now() - t0, u]);
    if (r.status !== 200) bad++;
    if (r.headers.get('x-cache') === 'hit') hits++;
    bytes += Buffer.byteLength(body);
    if (!sample && r.status === 200) sample = body;
  }
  const avg = Math.round(bytes / times.length);
  if (opt.slowest)
    for (const [ms, u] of slow.sort((a, b) => b[0] - a[0]).slice(0, opt.slowest))
      console.log(`  slow ${ms.toFixed(1).padStart(8)} ms  ${u}`);
  if (opt.coldonly) {
    const none = { rps: 0, p50_ms: 0, p95_ms: 0, hits: 0, misses: 0 };
    return { kind, pool: pool.length, bytes: avg, coldP50: pct(times, 50), coldP95: pct(times, 95), coldMax: Math.max(...times),
      coldHits: hits, bad, varied: none, cached: none, stat: { rps: 1 } };
  }
  // Varied load over the whole pool, then one URL repeated (the cache), then nginx.
  const varied = wrk(['-s', 'tests/bench/varied.lua', BASE, '--', poolFile, sid, headers.accept ?? '']);
  const cached = wrk(['-s', 'tests/bench/report.lua', '-H', `Cookie: ${sid}`, ...(headers.accept ? ['-H', `Accept: ${headers.accept}`] : []), BASE + pool[0]]);
  const staticFile = path.join(VENDOR, `bench-varied-${kind}-${opt.port}.html`);
  writeFileSync(staticFile, (sample ?? 'x').repeat(Math.ceil(avg / Math.max(1, (sample ?? 'x').length))).slice(0, avg));
  const stat = wrk(['-s', 'tests/bench/report.lua', `${BASE}/assets/vendor/${path.basename(staticFile)}`]);
  rmSync(staticFile, { force: true });
  return { kind, pool: pool.length, bytes: avg, coldP50: pct(times, 50), coldP95: pct(times, 95), coldMax: Math.max(...times),
    coldHits: hits, bad, varied, cached, stat };
}

const sid = await login('admin');
const small = path.join(VENDOR, `bench-varied-small-${opt.port}.html`);
writeFileSync(small, (await (await fetch(`${BASE}/base/login`)).text()));
const smallBytes = Buffer.byteLength((await (await fetch(`${BASE}/base/login`)).text()));
const smallStat = opt.coldonly ? { rps: 1 } : wrk(['-s', 'tests/bench/report.lua', `${BASE}/assets/vendor/${path.basename(small)}`]);
rmSync(small, { force: true });
const [[npiles, nstations]] = sql('SELECT (SELECT COUNT(*) FROM piles), (SELECT COUNT(*) FROM stations)');
console.log(`ChargeAsset varied-parameter benchmark  ${new Date().toISOString()}  ${npiles} piles, ${nstations} stations`);
console.log(`  ${opt.seconds}s x ${opt.connections} connections per run; cold = first ${opt.cold} URLs of each pool once, sequentially`);
console.log(`  small static (${smallBytes} B, the login page's size): ${smallStat.rps} rps`);
const kinds = opt.only ? opt.only.split(',') : Object.keys(KINDS);
const rows = [];
for (const k of kinds) {
  const m = await measure(k, sid);
  rows.push(m);
  const v = m.varied;
  const hitRate = v.hits + v.misses ? (100 * v.hits) / (v.hits + v.misses) : 0;
  console.log(`${k.padEnd(10)} pool ${m.pool}: cold p50 ${m.coldP50.toFixed(1)} ms p95 ${m.coldP95.toFixed(1)} ms max ${m.coldMax.toFixed(0)} ms`
    + ` (${m.bad} non-200); varied ${v.rps} rps p50 ${v.p50_ms} p95 ${v.p95_ms} ms, cache hits ${hitRate.toFixed(1)} %`
    + `; cached ${m.cached.rps} rps; static ${m.bytes} B ${m.stat.rps} rps`);
}
console.log('\nsummary (varied share = varied rps / rps of nginx serving a static file of the page\'s size; lookups: of the small static file)');
console.log(`${'page'.padEnd(10)} ${'bytes'.padStart(7)} ${'cold p50'.padStart(9)} ${'cold p95'.padStart(9)} ${'rps'.padStart(7)} ${'p50'.padStart(7)} ${'p95'.padStart(7)} ${'hit %'.padStart(6)} ${'cached'.padStart(7)} ${'share'.padStart(7)}  target`);
for (const m of rows) {
  const v = m.varied;
  const hitRate = v.hits + v.misses ? (100 * v.hits) / (v.hits + v.misses) : 0;
  const ref = m.kind === 'lookup' ? smallStat.rps : m.stat.rps;
  console.log(`${m.kind.padEnd(10)} ${String(m.bytes).padStart(7)} ${m.coldP50.toFixed(1).padStart(9)} ${m.coldP95.toFixed(1).padStart(9)} ${String(v.rps).padStart(7)} ${v.p50_ms.toFixed(1).padStart(7)} ${v.p95_ms.toFixed(1).padStart(7)} ${hitRate.toFixed(1).padStart(6)} ${String(m.cached.rps).padStart(7)} ${((100 * v.rps) / ref).toFixed(1).padStart(6)}%  ${m.kind === 'lookup' ? '>= 10 %' : '>= 5 %'}, cold p95 <= 50 ms`);
}
