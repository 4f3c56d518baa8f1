// Escaping: markup, quotes and backslashes typed into a base record are stored verbatim,
// shown HTML-escaped on every page, and exported verbatim.
import { test, before } from 'node:test';
import { as, sql, scalar, assert } from './lib.mjs';
import * as C from './crud.mjs';

const res = C.R.city;
const EVIL = `<script>alert(1)</script> "q" 'a' \\back\\slash`;
const RAW = /<script>alert/i;
let admin, id, fields;

before(async () => {
  admin = await as('admin');
  const code = C.ucode('E', 12);
  fields = { code, name: EVIL, province: `转义省${code}`, company_id: '', lat: '', lng: '' };
  const r = await C.create(admin, res, fields);
  C.assertRedirect(r, res, 'created');
  id = r.id;
});

test('the value is stored verbatim (quotes and backslashes unchanged)', () => {
  assert.equal(EVIL.length, 45);
  assert.equal(scalar('SELECT name = ? FROM cities WHERE id = ?', EVIL, id), 1);
  assert.equal(scalar('SELECT HEX(name) FROM cities WHERE id = ?', id), Buffer.from(EVIL).toString('hex').toUpperCase());
  assert.equal(scalar("SELECT new_value = ? FROM audit_log WHERE entity = 'city' AND entity_id = ? AND action = 'create'", EVIL, id), 1);
});

test('the list shows it escaped, never as markup', async () => {
  const r = await C.list(admin, res, { q: fields.province });
  assert.equal(r.status, 200);
  assert.doesNotMatch(r.text, RAW);
  assert.ok(r.text.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
  const cell = r.text.match(/<td data-label="名称" class="cell-text[^"]*">([^<]*)<\/td>/)[1];
  assert.match(cell, /^&lt;script&gt;alert\(1\)&lt;\/script&gt; &quot;q&quot; (&#39;|&#x27;|')a(&#39;|&#x27;|') \\back\\slash$/);
  assert.equal(r.rows[0][1], EVIL, 'the cell reads as the stored text');
  // The same value as a filter keyword: echoed escaped in the box and in the links.
  const f = await C.list(admin, res, { q: EVIL });
  assert.equal(f.status, 200);
  assert.doesNotMatch(f.text, RAW);
  assert.deepEqual(f.ids, [id], 'the keyword finds it (backslashes matched literally)');
  // The filter bar's keyword box (the top bar's search box has a q of its own).
  assert.equal(C.formValue(f.text.replace(/(class="filter-bar[\s\S]*?)name="q"/, '$1id="f-q" name="q"'), 'q'), EVIL);
});

test('the edit page shows it escaped inside the value attribute', async () => {
  const r = await C.edit(admin, res, id);
  assert.equal(r.status, 200);
  assert.doesNotMatch(r.text, RAW);
  const input = r.text.match(/<input[^>]*id="f-name"[^>]*>/)[0];
  assert.match(input, /value="&lt;script&gt;alert\(1\)&lt;\/script&gt; &quot;q&quot; (&#39;|&#x27;|')a(&#39;|&#x27;|') \\back\\slash"/);
  assert.equal(C.formValue(r.text, 'name'), EVIL);
  // Saved back unchanged from the page, it stays byte for byte the same.
  const same = await admin.post(`${res.path}/${id}`, C.browserForm(r.text));
  C.assertRedirect(same, res, 'updated');
  assert.equal(scalar('SELECT name = ? FROM cities WHERE id = ?', EVIL, id), 1);
  assert.equal(C.auditOf(same), 0);
});

test('error pages (422, stale 409) echo it escaped', async () => {
  const bad = await C.create(admin, res, { ...fields, code: C.ucode('E', 12), province: fields.province + '2', lat: 'x' });
  assert.equal(bad.status, 422);
  assert.doesNotMatch(bad.text, RAW);
  assert.equal(C.formValue(bad.text, 'name'), EVIL);
  const v = C.versionOf(res, id);
  C.assertRedirect(await C.update(admin, res, id, { ...fields, lat: '30' }, v), res, 'updated');
  const stale = await C.update(admin, res, id, { ...fields, name: `${EVIL}!` }, v);
  assert.equal(stale.status, 409);
  assert.doesNotMatch(stale.text, RAW);
  assert.ok(stale.text.includes('您的输入: &lt;script&gt;alert(1)&lt;/script&gt;'));
  assert.equal(scalar('SELECT name = ? FROM cities WHERE id = ?', EVIL, id), 1);
});

test('the update records show old and new values escaped', async () => {
  const c = C.ucode('E', 12);
  const other = { ...fields, code: c, name: `改名${c}`, province: fields.province + '3' };
  const r = await C.create(admin, res, other);
  C.assertRedirect(r, res, 'created');
  C.assertRedirect(await C.update(admin, res, r.id, { ...other, name: EVIL, province: fields.province + '4' }), res, 'updated');
  const rec = await C.list(admin, { path: '/base/records' }, { entity: 'city', entity_id: r.id, field: 'name' });
  assert.equal(rec.status, 200);
  assert.doesNotMatch(rec.text, RAW);
  assert.deepEqual(rec.rows.map((row) => row.slice(6, 8)), [[other.name, EVIL]]);
  C.assertRedirect(await C.del(admin, res, r.id), res, 'deleted');
});

test('CSV export has the value verbatim', async () => {
  const ex = await C.exportFile(admin, res, { fmt: 'csv', q: fields.province });
  const rows = C.assertCsv(ex, ['编码', '名称', '省份', '所属公司', '纬度', '经度', '仓库数']);
  assert.equal(rows.length, 2);
  assert.equal(rows[1][1], EVIL);
  assert.ok(ex.text.includes(`"<script>alert(1)</script> ""q"" 'a' \\back\\slash"`), 'quotes doubled, nothing else changed');
  C.assertRedirect(await C.del(admin, res, id), res, 'deleted');
  assert.equal(sql('SELECT id FROM cities WHERE id = ?', id).length, 0);
});
