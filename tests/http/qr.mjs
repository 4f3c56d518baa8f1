// Helpers of the QR-code (F3) tests: unique code rules, batches, and the code scheme
// re-implemented independently (ISO/IEC 7064 MOD 37,36) to check what the server made.
import { sql, scalar, assert } from './lib.mjs';

export const HZ = () => scalar("SELECT id FROM companies WHERE code = 'CC-HZ'");
export const SZ = () => scalar("SELECT id FROM companies WHERE code = 'CC-SZ'");

const ALNUM = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** ISO/IEC 7064 hybrid MOD 37,36 check character of s ([0-9A-Z]). */
export function mod3736(s) {
  let p = 36;
  for (const ch of s) {
    const a = ALNUM.indexOf(ch);
    assert.ok(a >= 0, `character ${ch} in ${s}`);
    let t = (p + a) % 36;
    if (t === 0) t = 36;
    p = (2 * t) % 37;
  }
  return ALNUM[(37 - p) % 36];
}

/** A rule's fields with a prefix+segment no other rule uses. */
export function ruleFields(over = {}) {
  let seg = '';
  for (let i = 0; i < 6; i++) seg += ALNUM[Math.floor(Math.random() * 36)];
  const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  const prefix = 'T' + letters[Math.floor(Math.random() * 26)] + letters[Math.floor(Math.random() * 26)];
  return {
    name: `测试规则${prefix}${seg}`, prefix, company_id: HZ(), segment: seg, year_digits: '2',
    serial_width: 6, check_char: 1, enabled: 1, ...over,
  };
}

/** Create a rule through the form; returns its id. */
export async function makeRule(client, over = {}) {
  const f = ruleFields(over);
  const r = await client.post('/qr/rules', f);
  assert.equal(r.status, 303, `rule created (${r.status})`);
  const id = scalar('SELECT id FROM code_rules WHERE name = ?', f.name);
  assert.ok(id);
  return { id, ...f };
}

/** The form_key of a fresh batch form. */
export async function formKey(client) {
  const r = await client.get('/qr/batches/new');
  assert.equal(r.status, 200);
  const m = r.text.match(/name="form_key" value="([^"]+)"/);
  assert.ok(m, 'the form carries a form_key');
  return m[1];
}

/** Generate a batch; returns { r, id } (id null when refused). */
export async function makeBatch(client, ruleId, count, extra = {}) {
  const form_key = extra.form_key ?? await formKey(client);
  const r = await client.post('/qr/batches', { rule_id: ruleId, count, form_key, ...extra });
  const m = (r.headers.get('location') ?? '').match(/^\/qr\/batches\/(\d+)\?flash=/);
  return { r, id: m ? Number(m[1]) : null, form_key };
}

export function batchRow(id) {
  const [row] = sql('SELECT rule_id, count, done_count, state, first_serial, year FROM qr_batches WHERE id = ?', id);
  return row && { rule_id: Number(row[0]), count: Number(row[1]), done: Number(row[2]), state: row[3],
    first: Number(row[4]), year: Number(row[5]) };
}

/** The code the scheme gives: prefix segment yy serial check. */
export function expectedCode(rule, year, serial) {
  const y = rule.year_digits === '4' ? String(year) : rule.year_digits === '2' ? String(year % 100).padStart(2, '0') : '';
  const body = rule.prefix + rule.segment + y + String(serial).padStart(Number(rule.serial_width), '0');
  return rule.check_char ? body + mod3736(body) : body;
}

/** A new city company with no code rule, and a user of `role` in it who signs in with the demo
 * password (its hash copied from the demo account of that role). */
export function freshCompanyUser(role = 'warehouse') {
  const code = `NR${Date.now().toString(36).toUpperCase()}${Math.floor(Math.random() * 1296).toString(36).toUpperCase()}`;
  sql("INSERT INTO companies (code, name, kind) VALUES (?, ?, 'city')", code, `无规则城市公司${code}`);
  const company = scalar('SELECT id FROM companies WHERE code = ?', code);
  const username = `${role}_${code.toLowerCase()}`;
  sql(`INSERT INTO users (username, name, password_hash, role_id, company_id, enabled)
    SELECT ?, ?, u.password_hash, u.role_id, ?, 1 FROM users u WHERE u.username = ?`,
  username, `测试${role}${code.slice(-4)}`, company, role);
  assert.ok(scalar('SELECT id FROM users WHERE username = ?', username), `user ${username}`);
  return { company, code, username };
}
