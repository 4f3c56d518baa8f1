// A new QR batch when no code rule can be chosen (issue 10; qrcode/batch.c no_rule): the form
// says why — no rule defined for the user's company yet, or every one disabled — links to
// defining (or enabling) one, and is shown disabled; a submit anyway says the same instead of
// "必填" and writes nothing.  Once a rule is enabled the form is the usual one.  Roles without
// the QR permission are refused as before.
import { test, before } from 'node:test';
import { as, scalar, assert } from './lib.mjs';
import * as C from './crud.mjs';
import { freshCompanyUser, formKey, ruleFields } from './qr.mjs';

let fresh, keeper;

before(async () => {
  fresh = freshCompanyUser('warehouse');
  keeper = await as(fresh.username);
});

const alert = (html) => {
  const m = html.match(/<div class="alert alert-warning no-rule" role="status" id="no-rule">([\s\S]*?)<\/div>/);
  return m && {
    text: C.unescapeHtml(m[1].replace(/<[^>]*>/g, ' ')).replace(/\s+/g, ' ').trim(),
    links: [...m[1].matchAll(/href="([^"]*)">([^<]*)</g)].map((x) => [C.unescapeHtml(x[1]), x[2]]),
  };
};
const batches = () => scalar('SELECT COUNT(*) FROM qr_batches b JOIN code_rules r ON r.id = b.rule_id WHERE r.company_id = ?', fresh.company);

test('no rule yet: why, a link to define one, the form disabled', async () => {
  const r = await keeper.get('/qr/batches/new');
  assert.equal(r.status, 200);
  const a = alert(r.text);
  assert.ok(a, 'the form explains');
  assert.match(a.text, /还没有可用的编码规则。/);
  assert.match(a.text, /需要一条启用的编码规则/);
  assert.deepEqual(a.links, [['/qr/rules/new', '新建编码规则']]);
  assert.match(r.text, /<select[^>]*id="f-rule_id"[^>]*required disabled aria-describedby="no-rule">/);
  assert.match(r.text, /<option value="">尚无可用的编码规则<\/option>/);
  assert.match(r.text, /<button class="btn btn-primary" type="submit" disabled>/);
  // The link leads to a form this user may use, for its own company.
  const rule = await keeper.get('/qr/rules/new');
  assert.equal(rule.status, 200);
  assert.equal(C.formValue(rule.text, 'company_id'), String(fresh.company));
});

test('a submit anyway: the reason under the field, nothing written; a foreign rule is still "not yours"', async () => {
  const r = await keeper.post('/qr/batches', { rule_id: '', count: 5, form_key: await formKey(keeper) });
  assert.equal(r.status, 422);
  C.assertFieldMessage(r, 'rule_id', '还没有编码规则，请先定义编码规则');
  assert.ok(alert(r.text), 'the explanation again');
  assert.equal(C.auditOf(r), 0);
  const foreign = scalar('SELECT MIN(id) FROM code_rules');
  if (foreign) {
    const x = await keeper.post('/qr/batches', { rule_id: foreign, count: 5, form_key: await formKey(keeper) });
    assert.equal(x.status, 422);
    C.assertFieldMessage(x, 'rule_id', '所选记录不存在或无权使用');
  }
  assert.equal(batches(), 0);
});

test('rules all disabled: says so, links to enabling one; enabled, the usual form', async () => {
  const f = ruleFields({ company_id: fresh.company, enabled: 0 });
  const made = await keeper.post('/qr/rules', f);
  assert.equal(made.status, 303, C.alertText(made.text));
  const id = scalar('SELECT id FROM code_rules WHERE name = ?', f.name);
  const r = await keeper.get('/qr/batches/new');
  const a = alert(r.text);
  assert.match(a.text, /您公司的编码规则都已停用。/);
  assert.deepEqual(a.links, [['/qr/rules?enabled=0', '启用已有规则'], ['/qr/rules/new', '新建编码规则']]);
  const list = await keeper.get('/qr/rules?enabled=0');
  assert.ok(C.tableRows(list.text).some((cells) => cells[0] === f.name), 'the disabled rule is listed there');
  const s = await keeper.post('/qr/batches', { rule_id: '', count: 5, form_key: await formKey(keeper) });
  assert.equal(s.status, 422);
  C.assertFieldMessage(s, 'rule_id', '编码规则均已停用，请先启用一条编码规则');
  // Enabled: no explanation; an empty choice is plain "必填" again; a batch is made.
  const e = await keeper.get(`/qr/rules/${id}/edit`);
  assert.equal((await keeper.post(`/qr/rules/${id}`, C.browserForm(e.text, { enabled: '1' }))).status, 303);
  const ok = await keeper.get('/qr/batches/new');
  assert.equal(alert(ok.text), null);
  assert.match(ok.text, new RegExp(`<option value="${id}">`));
  const empty = await keeper.post('/qr/batches', { rule_id: '', count: 5, form_key: await formKey(keeper) });
  C.assertFieldMessage(empty, 'rule_id', '必填');
  const b = await keeper.post('/qr/batches', { rule_id: id, count: 3, form_key: await formKey(keeper) });
  assert.equal(b.status, 303);
  assert.equal(batches(), 1);
});

test('roles: without the QR permission the form and the rules are refused', async () => {
  const insp = freshCompanyUser('inspector');
  for (const u of [insp.username, 'inspector', 'leader', 'supplier']) {
    const c = await as(u);
    assert.equal((await c.get('/qr/batches/new')).status, 403, `${u} form`);
    assert.equal((await c.get('/qr/rules/new')).status, 403, `${u} rule form`);
    assert.equal((await c.post('/qr/batches', { rule_id: '', count: 5 })).status, 403, `${u} submit`);
  }
});
