// Helpers for the base-information (F1) CRUD tests: one descriptor per resource, and
// create/update/list/del/edit/exportFile that return the response (plus what SQL says).
// Tests run in parallel files, so "nothing written" is proved per request (audit rows carrying
// the response's X-Request-Id) and per value the test made, never by whole-table counts.
import { sql, scalar, base, assert } from './lib.mjs';

export const R = {
  company: { path: '/base/companies', table: 'companies', entity: 'company', key: 'code' },
  city: { path: '/base/cities', table: 'cities', entity: 'city', key: 'code' },
  product: { path: '/base/products', table: 'products', entity: 'product', key: 'model' },
  cable: { path: '/base/cables', table: 'cable_products', entity: 'cable', key: 'model' },
  warehouse: { path: '/base/warehouses', table: 'warehouses', entity: 'warehouse', key: 'code' },
  dict: { path: '/base/dicts', table: 'dict_items', entity: 'dict', key: 'code' },
  user: { path: '/base/users', table: 'users', entity: 'user', key: 'username' },
};

/** Id of a demo (or test-made) row by a unique column. */
export function idOf(table, column, value) {
  const id = scalar(`SELECT id FROM ${table} WHERE ${column} = ?`, value);
  assert.ok(id, `${table}.${column} = ${value} exists`);
  return id;
}

/** POST a new record to the list path; .id is the row with that key (null if none). */
export async function create(client, res, fields) {
  const r = await client.post(res.path, fields);
  const key = fields[res.key];
  r.id = key === undefined || key === '' ? null
    : scalar(`SELECT MAX(id) FROM ${res.table} WHERE ${res.key} = ?`, key);
  return r;
}

/** Current version of a row (null when gone). */
export function versionOf(res, id) {
  return scalar(`SELECT version FROM ${res.table} WHERE id = ?`, id);
}

/** POST /:id with the fields and `version` (default: the stored one). */
export function update(client, res, id, fields, version = versionOf(res, id)) {
  return client.post(`${res.path}/${id}`, { ...fields, version });
}

/** POST /:id/delete. */
export function del(client, res, id) {
  return client.post(`${res.path}/${id}/delete`);
}

/** GET /:id/edit. */
export function edit(client, res, id) {
  return client.get(`${res.path}/${id}/edit`);
}

/** GET the list; .rows are the table's cells as text, .ids the ids of the edit links. */
export async function list(client, res, params = {}) {
  const qs = new URLSearchParams(params).toString();
  const r = await client.get(res.path + (qs ? `?${qs}` : ''));
  r.rows = tableRows(r.text);
  r.ids = [];
  const re = new RegExp(`href="${res.path}/(\\d+)/edit"`, 'g');
  for (const m of r.text.matchAll(re)) {
    const id = Number(m[1]);
    if (r.ids[r.ids.length - 1] !== id) r.ids.push(id);
  }
  return r;
}

/** Decode the HTML entities a template produces. */
export function unescapeHtml(s) {
  return s
    .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"')
    .replace(/&#0*39;|&apos;/g, "'").replace(/&#(\d+);/g, (_, n) => String.fromCodePoint(Number(n)))
    .replace(/&#x([0-9a-f]+);/gi, (_, n) => String.fromCodePoint(parseInt(n, 16)))
    .replace(/&amp;/g, '&');
}

/** Rows of the first <tbody>, each an array of its cells' text (tags removed, decoded). */
export function tableRows(html) {
  const body = html.match(/<tbody>([\s\S]*?)<\/tbody>/);
  if (!body) return [];
  return [...body[1].matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((tr) =>
    [...tr[1].matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((td) =>
      unescapeHtml(td[1].replace(/<[^>]*>/g, '')).trim()));
}

/** Value a generic form (crud/form.cs) shows for a field: input, select, textarea, checkbox. */
export function formValue(html, field) {
  let m = html.match(new RegExp(`<select[^>]*id="f-${field}"[^>]*>([\\s\\S]*?)</select>`));
  if (m) {
    const sel = m[1].match(/<option value="([^"]*)" selected>/);
    return sel ? unescapeHtml(sel[1]) : '';
  }
  m = html.match(new RegExp(`<textarea[^>]*id="f-${field}"[^>]*>([\\s\\S]*?)</textarea>`));
  if (m) return unescapeHtml(m[1]);
  m = html.match(new RegExp(`<input[^>]*id="f-${field}"[^>]*>`));
  if (!m) return undefined;
  if (/type="checkbox"/.test(m[0])) return / checked/.test(m[0]) ? '1' : '0';
  const v = m[0].match(/ value="([^"]*)"/);
  return v ? unescapeHtml(v[1]) : '';
}

/** The message under a field (invalid-feedback), decoded; undefined when none. */
export function fieldMessage(html, field) {
  const i = html.search(new RegExp(`id="f-${field}"`));
  if (i < 0) return undefined;
  const rest = html.slice(i);
  const end = rest.search(/<div class="form-field|<div class="form-actions/);
  const m = rest.slice(0, end < 0 ? undefined : end).match(/<div class="invalid-feedback d-block">([^<]*)<\/div>/);
  return m ? unescapeHtml(m[1]) : undefined;
}

/** The page's error alert text (decoded), or undefined. */
export function alertText(html) {
  const m = html.match(/<div class="alert alert-danger" role="alert">([\s\S]*?)<\/div>/);
  if (m) return unescapeHtml(m[1].replace(/<[^>]*>/g, '')).trim();
  const e = html.match(/<p class="lead">([\s\S]*?)<\/p>/);
  return e ? unescapeHtml(e[1]).trim() : undefined;
}

/** GET an export as bytes (fetch's text() would drop the BOM). */
export async function exportFile(client, res, params = {}) {
  const qs = new URLSearchParams(params).toString();
  const r = await fetch(`${base}${res.path}/export?${qs}`, {
    headers: { cookie: client.cookieHeader() }, redirect: 'manual',
  });
  const bytes = Buffer.from(await r.arrayBuffer());
  return {
    status: r.status, headers: r.headers, bytes,
    type: r.headers.get('content-type') ?? '',
    text: bytes.toString('utf8'),
  };
}

/** Parse CSV text (RFC 4180, quoted cells, CRLF) into rows of cells; a leading BOM is kept
 * out of the first cell. */
export function parseCsv(text) {
  const s = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const rows = [];
  let row = [], cell = '', q = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (q) {
      if (c === '"' && s[i + 1] === '"') { cell += '"'; i++; }
      else if (c === '"') q = false;
      else cell += c;
    } else if (c === '"') q = true;
    else if (c === ',') { row.push(cell); cell = ''; }
    else if (c === '\r' && s[i + 1] === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; i++; }
    else if (c === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; }
    else cell += c;
  }
  if (cell !== '' || row.length) { row.push(cell); rows.push(row); }
  return rows;
}

/** Assert a CSV export: 200, text/csv, UTF-8 BOM, the header labels; returns the rows. */
export function assertCsv(ex, header) {
  assert.equal(ex.status, 200);
  assert.match(ex.type, /^text\/csv/);
  assert.deepEqual([...ex.bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'starts with the UTF-8 BOM');
  const rows = parseCsv(ex.text);
  assert.deepEqual(rows[0], header, 'header row of Chinese labels');
  return rows;
}

/** Assert an XLSX export: 200, spreadsheetml content type, a zip ("PK"). */
export function assertXlsx(ex) {
  assert.equal(ex.status, 200);
  assert.equal(ex.type, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  assert.equal(ex.bytes.subarray(0, 2).toString('latin1'), 'PK');
  assert.ok(ex.bytes.length > 1000, 'a real workbook, not an empty body');
}

/** Audit rows of one record, oldest first, as objects. */
export function audit(entity, id, extra = '') {
  return sql(`SELECT a.action, a.field, a.old_value, a.new_value, u.username
    FROM audit_log a LEFT JOIN users u ON u.id = a.user_id
    WHERE a.entity = ? AND a.entity_id = ? ${extra} ORDER BY a.id`, entity, id)
    .map(([action, field, old_value, new_value, user]) => ({ action, field, old_value, new_value, user }));
}

/** Audit rows written by the request that produced this response. */
export function auditOf(r) {
  const rid = r.headers.get('x-request-id');
  assert.ok(rid, 'response has X-Request-Id');
  return scalar('SELECT COUNT(*) FROM audit_log WHERE request_id = ? AND at > UTC_TIMESTAMP() - INTERVAL 10 MINUTE', rid);
}

/** One row as an array of strings (for before/after comparisons). */
export function rowOf(table, id) {
  return sql(`SELECT * FROM ${table} WHERE id = ?`, id)[0] ?? null;
}

/** Rows of a table with column = value. */
export function countWhere(table, column, value) {
  return scalar(`SELECT COUNT(*) FROM ${table} WHERE ${column} = ?`, value);
}

/** A refused write: status, a visible message, and no audit row from that request. */
export function assertRefused(r, status, message) {
  assert.equal(r.status, status, `status ${status} (got ${r.status})`);
  const text = alertText(r.text);
  assert.ok(text, 'the page shows an error message');
  if (message) assert.match(text, message instanceof RegExp ? message : new RegExp(escapeRe(message)));
  assert.equal(auditOf(r), 0, 'the refused request wrote no audit row');
}

/** Assert a field is marked invalid with this message. */
export function assertFieldMessage(r, field, message) {
  const re = new RegExp(`id="f-${field}"[^>]*is-invalid|is-invalid[^>]*id="f-${field}"`);
  assert.match(r.text, re, `field ${field} is marked invalid`);
  const got = fieldMessage(r.text, field);
  if (message instanceof RegExp) assert.match(got ?? '', message, `message of ${field}`);
  else assert.equal(got, message, `message of ${field}`);
}

/** Resources whose records have a page of their own: a save lands there, not on the list. */
const SHOWN = new Set(['/asset/piles', '/asset/stations']);

/** Redirect to the list with a flash (to the record's own page after a save where it has one). */
export function assertRedirect(r, res, flash) {
  assert.equal(r.status, 303, `303 expected, got ${r.status}: ${alertText(r.text) ?? ''}`);
  const location = r.headers.get('location') ?? '';
  if (SHOWN.has(res.path) && flash !== 'deleted') {
    // A saved pile or station goes to its own page (cgi/asset/pile_form.c, crud.c), not to the list.
    const m = location.match(new RegExp(`^${escapeRe(res.path)}/(\\d+)\\?flash=(\\w+)$`));
    assert.ok(m, `the record's page expected, got ${location}`);
    assert.equal(m[2], flash);
    if (r.id) assert.equal(Number(m[1]), r.id, 'the page of the saved record');
    return;
  }
  assert.equal(location, `${res.path}?flash=${flash}`);
}

export function escapeRe(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** n CJK characters (3 bytes each in UTF-8). */
export function cjk(n) {
  return '测'.repeat(n);
}

/** Today's date in China Standard Time (UTC+8), YYYY-MM-DD. */
export function chinaToday() {
  return new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10);
}

/** A short unique code (letters/digits, at most `len` characters, starting with prefix). */
export function ucode(prefix = 'T', len = 12) {
  const t = Date.now().toString(36).slice(-5);
  let r = '';
  while (r.length < Math.max(6, len - prefix.length - 5)) r += Math.floor(Math.random() * 36).toString(36);
  return (prefix + t + r).slice(0, Math.max(len, prefix.length + 6)).toUpperCase();
}

/** Edit, update and delete of an unknown or non-numeric id are 404 and write nothing. */
export async function assertNotFound(client, res, fields) {
  for (const p of ['999999999', 'abc', '12abc', '-1', '0', '1e3']) {
    const e = await client.get(`${res.path}/${p}/edit`);
    assert.equal(e.status, 404, `edit ${p}`);
    assert.match(e.text, /页面或记录不存在/);
    const u = await client.post(`${res.path}/${p}`, { ...fields, version: 1 });
    assert.equal(u.status, 404, `update ${p}`);
    assert.equal(auditOf(u), 0);
    const d = await client.post(`${res.path}/${p}/delete`);
    assert.equal(d.status, 404, `delete ${p}`);
    assert.equal(auditOf(d), 0);
  }
}

/** The fields the entity form on this page would submit, in document order, as a browser
 * does: disabled controls left out, a checkbox only when checked (its hidden "0" always).
 * `changes` sets text/select values, and checks ('1') or unchecks ('0') checkboxes. */
export function browserForm(html, changes = {}) {
  const form = html.match(/<form method="post"[^>]*class="card-body entity-form"[^>]*>([\s\S]*?)<\/form>/);
  assert.ok(form, 'page has the entity form');
  const attr = (tag, a) => {
    const m = tag.match(new RegExp(`\\s${a}="([^"]*)"`));
    return m ? unescapeHtml(m[1]) : undefined;
  };
  const out = {};
  const add = (k, v) => (out[k] ??= []).push(v);
  const re = /<input[^>]*>|<select[^>]*>[\s\S]*?<\/select>|<textarea[^>]*>[\s\S]*?<\/textarea>/g;
  for (const [tag] of form[1].matchAll(re)) {
    const open = tag.match(/^<[^>]*>/)[0];
    const name = attr(open, 'name');
    if (!name || /\sdisabled[\s>]/.test(open)) continue;
    const has = Object.hasOwn(changes, name);
    if (open.startsWith('<select')) {
      const sel = tag.match(/<option value="([^"]*)" selected>/);
      add(name, has ? String(changes[name]) : sel ? unescapeHtml(sel[1]) : '');
    } else if (open.startsWith('<textarea')) {
      add(name, has ? String(changes[name]) : unescapeHtml(tag.replace(/^<[^>]*>/, '').replace(/<\/textarea>$/, '')));
    } else if (attr(open, 'type') === 'checkbox') {
      if (has ? String(changes[name]) === '1' : /\schecked[\s>]/.test(open)) add(name, attr(open, 'value') ?? 'on');
    } else if (attr(open, 'type') === 'hidden') {
      add(name, attr(open, 'value') ?? '');
    } else {
      add(name, has ? String(changes[name]) : attr(open, 'value') ?? '');
    }
  }
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, v.length === 1 ? v[0] : v]));
}

/** Option values of the first <select name="name"> on the page (the list filter's). */
export function selectOptions(html, name) {
  const m = html.match(new RegExp(`<select[^>]*name="${name}"[^>]*>([\\s\\S]*?)</select>`));
  assert.ok(m, `a select named ${name}`);
  return [...m[1].matchAll(/<option value="([^"]*)"/g)].map((o) => unescapeHtml(o[1])).filter((v) => v !== '');
}
