// The update records' 字段 filter (issue 10 §2): a select of the fields by the labels the
// records page shows (Lang.f.*), those of the chosen kind of record or of every kind, never the
// internal names as text; it accepts only fields that have update records.
import { test, before } from 'node:test';
import { as, sql, assert } from './lib.mjs';
import * as C from './crud.mjs';

const path = '/base/records';
let admin;

/** [value, label] of each option of the filter bar's 字段 select (the "全部" one left out). */
function fieldOptions(html) {
  const bar = html.match(/<form class="filter-bar[\s\S]*?<\/form>/);
  assert.ok(bar, 'the page has a filter bar');
  const m = bar[0].match(/<select class="form-select form-select-sm" name="field">([\s\S]*?)<\/select>/);
  assert.ok(m, 'the field filter is a select');
  return [...m[1].matchAll(/<option value="([^"]*)"( selected)?>([^<]*)<\/option>/g)]
    .filter((o) => o[1] !== '').map((o) => [o[1], C.unescapeHtml(o[3]), Boolean(o[2])]);
}

before(async () => {
  admin = await as('admin');
});

test('every kind: each field once, by its label; internal names only in the values', async () => {
  const r = await admin.get(path);
  assert.equal(r.status, 200);
  const opts = fieldOptions(r.text);
  const values = opts.map((o) => o[0]);
  assert.equal(new Set(values).size, values.length, 'each field once');
  for (const [value, label] of opts) {
    assert.ok(label && label !== value && !/^[a-z_]+$/.test(label) && !label.startsWith('f.'), `${value} has a label (${label})`);
  }
  const byValue = Object.fromEntries(opts.map((o) => [o[0], o[1]]));
  assert.equal(byValue.sw_version, '软件版本');
  assert.equal(byValue.station_id, '充电站');
  assert.equal(byValue.tariff, '费率(元/kWh)');
  // Two fields one label: the kind tells them apart.
  assert.equal(byValue.manufacturer_id, '制造厂商（产品信息）');
  assert.equal(byValue.is_manufacturer, '制造厂商（业务公司）');
  assert.equal(new Set(opts.map((o) => o[1])).size, opts.length, 'no two options read the same');
});

test('one kind: its fields only; the chosen field stays selected', async () => {
  const pile = fieldOptions((await admin.get(`${path}?entity=pile`)).text).map((o) => o[0]);
  for (const f of ['state', 'station_id', 'sw_version', 'tariff', 'commissioned_on', 'code']) assert.ok(pile.includes(f), f);
  for (const f of ['username', 'province', 'is_lessor']) assert.ok(!pile.includes(f), f);
  const sel = fieldOptions((await admin.get(`${path}?entity=pile&field=sw_version`)).text).filter((o) => o[2]);
  assert.deepEqual(sel.map((o) => [o[0], o[1]]), [['sw_version', '软件版本']]);
  // A field of another kind as the filter: shown (selected) rather than hidden.
  const odd = fieldOptions((await admin.get(`${path}?entity=pile&field=username`)).text).filter((o) => o[2]);
  assert.deepEqual(odd.map((o) => [o[0], o[1]]), [['username', '用户名']]);
  // An unknown kind: every field.
  assert.ok(fieldOptions((await admin.get(`${path}?field=name`)).text).length > 40);
});

test('the filter narrows the records; unknown fields and bad values are refused', async () => {
  const rows = (await C.list(admin, { path }, { field: 'state', per: 100 })).rows;
  assert.ok(rows.length > 0);
  assert.ok(rows.every((row) => row[5] === '状态'), 'every row is a change of 状态');
  for (const field of ['bogus', 'SW_VERSION ', 'a.field', 'x'.repeat(101), "state' OR 1=1"]) {
    const r = await admin.get(`${path}?field=${encodeURIComponent(field)}`);
    assert.equal(r.status, 400, field);
  }
  assert.equal((await admin.get(`${path}?field=`)).status, 200, 'empty: no filter');
});

test('every field the test database holds records of is offered (no drift from the forms)', async () => {
  const kinds = ['company', 'city', 'product', 'cable', 'warehouse', 'user', 'dict', 'station', 'subasset', 'pile',
    'product_version', 'code_rule', 'qr_batch', 'notice'];
  const held = sql(`SELECT DISTINCT entity, field FROM audit_log WHERE field IS NOT NULL AND entity IN (${kinds.map(() => '?').join(',')})`, ...kinds);
  assert.ok(held.length > 10, 'the demo data and the suite wrote update records');
  const all = new Set(fieldOptions((await admin.get(path)).text).map((o) => o[0]));
  for (const [entity, field] of held) {
    assert.ok(all.has(field), `${entity}.${field} is offered`);
    const own = fieldOptions((await admin.get(`${path}?entity=${entity}`)).text).map((o) => o[0]);
    assert.ok(own.includes(field), `${entity}.${field} is offered for ${entity}`);
  }
});

test('who may read the records: leader yes; inspector, warehouse and supplier no', async () => {
  assert.equal((await (await as('leader')).get(`${path}?field=state`)).status, 200);
  for (const u of ['inspector', 'warehouse', 'supplier']) assert.equal((await (await as(u)).get(`${path}?field=state`)).status, 403, u);
});
