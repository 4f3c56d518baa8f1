// Code rules (F3, /qr/rules): create with normalisation, validation, overlap, the format frozen
// once a batch used the rule, delete refused while batches exist, roles and data scope.
import { test, before } from 'node:test';
import { as, sql, scalar, assert } from './lib.mjs';
import * as C from './crud.mjs';
import { ruleFields, makeRule, makeBatch, HZ, SZ } from './qr.mjs';

let admin, ops, warehouse;

before(async () => {
  admin = await as('admin');
  ops = await as('ops');
  warehouse = await as('warehouse');
});

test('create: lowercase prefix and segment are stored in capitals, audit written', async () => {
  const f = ruleFields();
  const r = await admin.post('/qr/rules', { ...f, prefix: f.prefix.toLowerCase(), segment: f.segment.toLowerCase() });
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), '/qr/rules?flash=created');
  const [row] = sql('SELECT id, prefix, segment, year_digits, serial_width, check_char, next_serial FROM code_rules WHERE name = ?', f.name);
  assert.deepEqual(row.slice(1), [f.prefix, f.segment, '2', '6', '1', '1']);
  assert.equal(C.audit('code_rule', Number(row[0])).length, 1);
  const list = await admin.get('/qr/rules?q=' + encodeURIComponent(f.name));
  assert.equal(list.status, 200);
  assert.ok(list.text.includes(f.name), 'listed');
});

test('validation: each bad field is refused with its message, nothing written', async () => {
  const cases = [
    [{ prefix: 'C1' }, 'prefix', '前缀须为 1–4 位字母'],
    [{ prefix: 'ABCDE' }, 'prefix', /最多 4 个字符/],
    [{ prefix: '' }, 'prefix', '必填'],
    [{ segment: 'A-B' }, 'segment', '分段只能包含字母和数字，最多 6 位'],
    [{ year_digits: '3' }, 'year_digits', '请从列表中选择'],
    [{ serial_width: 11 }, 'serial_width', /不能大于 10/],
    [{ serial_width: 3 }, 'serial_width', '数值过小'],
    [{ name: '' }, 'name', '必填'],
    [{ company_id: scalar("SELECT id FROM companies WHERE kind = 'outside' LIMIT 1") }, 'company_id', '所选记录不存在或无权使用'],
  ];
  for (const [over, field, msg] of cases) {
    const f = ruleFields(over);
    const r = await admin.post('/qr/rules', f);
    assert.equal(r.status, 422, `${JSON.stringify(over)} → 422`);
    C.assertFieldMessage(r, field, msg);
    assert.equal(C.auditOf(r), 0);
    assert.equal(scalar('SELECT COUNT(*) FROM code_rules WHERE name = ?', f.name), 0);
  }
});

test('a second rule with the same prefix and segment is refused (its codes would repeat)', async () => {
  const a = await makeRule(admin);
  const f = ruleFields({ prefix: a.prefix, segment: a.segment, serial_width: 8 });
  const r = await admin.post('/qr/rules', f);
  assert.equal(r.status, 422);
  C.assertFieldMessage(r, 'prefix', '已有规则使用相同的前缀和分段，会生成重复编码');
  assert.equal(scalar('SELECT COUNT(*) FROM code_rules WHERE name = ?', f.name), 0);
});

test('the format is frozen once a batch used the rule; the name still changes', async () => {
  const rule = await makeRule(admin);
  const { id } = await makeBatch(admin, rule.id, 3);
  assert.ok(id);
  const v = C.versionOf({ table: 'code_rules' }, rule.id);
  let r = await admin.post(`/qr/rules/${rule.id}`, { ...rule, serial_width: 8, version: v });
  assert.equal(r.status, 422);
  C.assertFieldMessage(r, 'serial_width', '该规则已有批次，编码格式不能再改；如需新格式请新建规则');
  assert.equal(scalar('SELECT serial_width FROM code_rules WHERE id = ?', rule.id), 6);
  r = await admin.post(`/qr/rules/${rule.id}`, { ...rule, name: rule.name + '改', version: v });
  assert.equal(r.status, 303);
  assert.equal(scalar('SELECT name FROM code_rules WHERE id = ?', rule.id), rule.name + '改');
});

test('delete: refused while batches use the rule, allowed otherwise', async () => {
  const used = await makeRule(admin);
  await makeBatch(admin, used.id, 1);
  let r = await admin.post(`/qr/rules/${used.id}/delete`);
  C.assertRefused(r, 409, '该规则已生成 1 个批次，不能删除，可停用。');
  assert.equal(scalar('SELECT COUNT(*) FROM code_rules WHERE id = ?', used.id), 1);
  const unused = await makeRule(admin);
  r = await admin.post(`/qr/rules/${unused.id}/delete`);
  assert.equal(r.status, 303);
  assert.equal(scalar('SELECT COUNT(*) FROM code_rules WHERE id = ?', unused.id), 0);
});

test('roles: admin, ops and warehouse have qr; inspector, leader and supplier get 403', async () => {
  for (const c of [admin, ops, warehouse]) {
    assert.equal((await c.get('/qr/rules')).status, 200);
    assert.equal((await c.get('/qr/rules/new')).status, 200);
  }
  for (const u of ['inspector', 'leader', 'supplier']) {
    const c = await as(u);
    assert.equal((await c.get('/qr/rules')).status, 403, `${u} list`);
    const f = ruleFields();
    const r = await c.post('/qr/rules', f);
    assert.equal(r.status, 403, `${u} create`);
    assert.equal(scalar('SELECT COUNT(*) FROM code_rules WHERE name = ?', f.name), 0);
  }
  const home = await admin.get('/base/');
  assert.match(home.text, /href="\/qr\/batches"/, 'navigation links to the batches');
  assert.match(home.text, /href="\/qr\/rules"/, 'navigation links to the rules');
  const insp = await (await as('inspector')).get('/base/');
  assert.doesNotMatch(insp.text, /href="\/qr\/rules"/, 'no QR menu without the permission');
});

test('scope: a city-company user sees and edits only the rules of the own company', async () => {
  const hz = await makeRule(admin, { company_id: HZ() });
  const sz = await makeRule(warehouse, { company_id: SZ() });
  const list = await warehouse.get('/qr/rules?per=100&q=' + encodeURIComponent('测试规则'));
  assert.ok(!list.text.includes(hz.name), 'other company hidden');
  assert.equal((await warehouse.get(`/qr/rules/${hz.id}/edit`)).status, 404);
  assert.equal((await warehouse.get(`/qr/rules/${sz.id}/edit`)).status, 200);
  const f = ruleFields({ company_id: HZ() });
  const r = await warehouse.post('/qr/rules', f);
  assert.equal(r.status, 422, 'cannot make a rule for another company');
  C.assertFieldMessage(r, 'company_id', '所选记录不存在或无权使用');
});

test('CSRF: a post without the token is refused', async () => {
  const f = ruleFields();
  const r = await admin.post('/qr/rules', f, { csrf: false });
  assert.equal(r.status, 403);
  assert.equal(scalar('SELECT COUNT(*) FROM code_rules WHERE name = ?', f.name), 0);
});
