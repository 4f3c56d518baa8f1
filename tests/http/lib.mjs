// Shared helpers of the HTTP integration tests: a cookie-keeping client that signs in like a
// browser (CSRF token from the page), and direct SQL reads to prove what was (not) written.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import http from 'node:http';

export const base = process.env.CA_BASE_URL ?? 'http://127.0.0.1:8080';
export const PASSWORD = 'demo1234';

/** Run SQL on the test database as root; returns rows as arrays of strings (NULL → null). */
export function sql(query, ...params) {
  const cmd = (process.env.CA_MYSQL ?? 'mariadb --no-defaults -u root chargeasset').split(/\s+/);
  // Parameters are inlined as quoted literals; tests only pass values they made themselves.
  let i = 0;
  const text = query.replace(/\?/g, () => {
    const v = params[i++];
    if (v === null || v === undefined) return 'NULL';
    if (typeof v === 'number') return String(v);
    return "'" + String(v).replace(/\\/g, '\\\\').replace(/'/g, "\\'") + "'";
  });
  const out = execFileSync(cmd[0], [...cmd.slice(1), '-N', '-B', '-r', '-e', text], { encoding: 'utf8' });
  return out.split('\n').filter((l) => l.length > 0).map((l) => l.split('\t').map((c) => (c === 'NULL' ? null : c)));
}

/** First column of the first row, as a number when it looks like one. */
export function scalar(query, ...params) {
  const rows = sql(query, ...params);
  if (rows.length === 0) return null;
  const v = rows[0][0];
  return v !== null && /^-?\d+$/.test(v) ? Number(v) : v;
}

/** A unique suffix so tests never collide with each other or with demo data. */
export function uniq(prefix = 't') {
  return `${prefix}${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
}

/** One HTTP exchange over node:http from a chosen local (source) address; answers like fetch. */
function fetchFrom(localAddress, url, { method, body, headers }) {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers, localAddress }, (res) => {
      const chunks = [];
      res.on('data', (d) => chunks.push(d));
      res.on('end', () => {
        const h = new Headers();
        for (let i = 0; i < res.rawHeaders.length; i += 2) h.append(res.rawHeaders[i], res.rawHeaders[i + 1]);
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode, headers: h, text: async () => text });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

export class Client {
  /** `localAddress` (e.g. '127.0.0.2'): connect from that loopback address, so nginx passes it
   * to the workers as REMOTE_ADDR (the application never trusts a client header for it). */
  constructor({ localAddress } = {}) {
    this.cookies = new Map();
    this.csrf = null;
    this.localAddress = localAddress;
  }

  cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  remember(res) {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      if (value === '' || /Max-Age=0/i.test(c)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  /** Raw request; never follows redirects. */
  async request(method, path, { body, headers = {}, json = false } = {}) {
    const h = { ...headers };
    if (this.cookies.size) h.cookie = this.cookieHeader();
    if (json) h.accept = 'application/json';
    const res = this.localAddress
      ? await fetchFrom(this.localAddress, base + path, { method, body, headers: h })
      : await fetch(base + path, { method, body, headers: h, redirect: 'manual' });
    this.remember(res);
    const text = await res.text();
    res.body_text = text;
    const m = text.match(/name="_csrf" value="([^"]+)"/);
    if (m) this.csrf = m[1];
    return { status: res.status, headers: res.headers, text, json: () => JSON.parse(text) };
  }

  get(path, opts) {
    return this.request('GET', path, opts);
  }

  /** POST a form; the session's CSRF token is added unless csrf: false. */
  post(path, fields = {}, { csrf = true, json = false, headers = {} } = {}) {
    const form = new URLSearchParams();
    for (const [k, v] of Object.entries(fields)) {
      if (Array.isArray(v)) v.forEach((x) => form.append(k, x));
      else if (v !== undefined && v !== null) form.append(k, String(v));
    }
    if (csrf && this.csrf && !('_csrf' in fields)) form.append('_csrf', this.csrf);
    return this.request('POST', path, {
      body: form.toString(),
      json,
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    });
  }

  async login(username, password = PASSWORD) {
    await this.get('/base/login');
    const res = await this.post('/base/login', { username, password });
    if (res.status !== 303) throw new Error(`login ${username} failed: ${res.status}`);
    // The CSRF token of the new session comes with the next page.
    await this.get('/base/password');
    return this;
  }
}

/** A signed-in client for one of the demo accounts. */
export async function as(username) {
  return new Client().login(username);
}

/** Assert an HTML page shows a field error for `field`. */
export function assertFieldError(res, field) {
  const re = new RegExp(`id="f-${field}"[^>]*is-invalid|is-invalid[^>]*id="f-${field}"`);
  assert.match(res.text, re, `field ${field} is marked invalid`);
}

export { assert };

// Stations start as approved, building or operating; suspended and closed are reached only by
// the transitions approved → building → operating ⇄ suspended → closed.
const STATION_FIELDS = ['code', 'name', 'company_id', 'city_id', 'address', 'lat', 'lng', 'state', 'asset_nature',
  'owner_company_id', 'operator_company_id', 'expected_piles', 'commissioned_on', 'lessor_id', 'lease_start',
  'lease_end', 'staff', 'staff_phone', 'note'];
const STATION_NEXT = { approved: 'building', building: 'operating', operating: 'suspended', suspended: 'closed' };

/** Walk station `id` to `state` through the allowed transitions, each an edit by `client`. */
export async function stationTo(client, id, state) {
  for (let step = 0; step < 6; step++) {
    const [row] = sql(`SELECT ${STATION_FIELDS.join(', ')}, version FROM stations WHERE id = ?`, id);
    assert.ok(row, `station ${id} exists`);
    const now = row[STATION_FIELDS.indexOf('state')];
    if (now === state) return;
    const next = now === 'suspended' && state === 'operating' ? 'operating' : STATION_NEXT[now];
    assert.ok(next, `no way from ${now} to ${state}`);
    const fields = Object.fromEntries(STATION_FIELDS.map((f, i) => [f, row[i] ?? '']));
    const r = await client.post(`/asset/stations/${id}`, { ...fields, state: next, version: row.at(-1) });
    assert.equal(r.status, 303, `station ${id}: ${now} → ${next} (${r.status})`);
  }
  assert.fail(`station ${id} did not reach ${state}`);
}

/** The state a new station is created in for a wanted state (suspended/closed go through operating). */
export const createState = (state) => (state === 'suspended' || state === 'closed' ? 'operating' : state);

/** The stations of /asset/map/data as objects: each is an array in the order of `fields`. */
export function mapRows(j) {
  assert.ok(Array.isArray(j.fields) && Array.isArray(j.stations), 'map data has fields and stations');
  return j.stations.map((row) => Object.fromEntries(j.fields.map((f, i) => [f, row[i]])));
}
