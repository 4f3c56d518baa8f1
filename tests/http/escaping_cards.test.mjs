// Regression: values shown on cards with a "—" for empty were printed through ClearSilver's
// alt:, which does not HTML-escape.  A pile whose serial number and versions hold markup, and a
// company name with markup on the home page's account card, must come back escaped.
import { test, before } from 'node:test';
import { as, sql, assert } from './lib.mjs';
import * as C from './crud.mjs';

const res = { path: '/asset/piles', table: 'piles', entity: 'pile', key: 'code' };
const SZ = C.idOf('companies', 'code', 'CC-SZ');
const WH_SZ1 = C.idOf('warehouses', 'code', 'WH-SZ-01');
const P_AC7 = C.idOf('products', 'model', 'XC-AC7-W');
const HOSTILE = '<script>alert(1)</script>"\'\\';

let admin;
before(async () => { admin = await as('admin'); });

test('pile card: serial number and versions with markup are escaped, stored verbatim', async () => {
  const code = C.ucode('ESC', 16);
  const r = await C.create(admin, res, {
    code, serial_no: HOSTILE, product_id: P_AC7, company_id: SZ, warehouse_id: WH_SZ1,
    state: 'in_stock', sw_version: '<b>sw</b>', hw_version: '<i>hw</i>',
  });
  C.assertRedirect(r, res, 'created');
  assert.equal(sql('SELECT serial_no FROM piles WHERE id = ?', r.id)[0][0], HOSTILE);
  const card = await admin.get(`/asset/piles/${r.id}`);
  assert.equal(card.status, 200);
  assert.ok(!card.text.includes('<script>alert(1)'), 'no raw script on the card');
  assert.ok(!card.text.includes('<b>sw</b>') && !card.text.includes('<i>hw</i>'), 'no raw markup');
  assert.ok(card.text.includes('&lt;script&gt;alert(1)&lt;/script&gt;'), 'serial shown escaped');
  assert.ok(card.text.includes('&lt;b&gt;sw&lt;/b&gt;'), 'version shown escaped');
});

test('home page: the account card escapes the company name', async () => {
  const id = C.idOf('companies', 'code', 'CC-SZ');
  const old = sql('SELECT name FROM companies WHERE id = ?', id)[0][0];
  sql('UPDATE companies SET name = ? WHERE id = ?', `${old}<img src=x>`, id);
  try {
    const warehouse = await as('warehouse');
    const home = await warehouse.get('/base/');
    assert.equal(home.status, 200);
    assert.ok(!home.text.includes('<img src=x>'), 'no raw markup on the home page');
    assert.ok(home.text.includes('&lt;img src=x&gt;'), 'company name shown escaped');
  } finally {
    sql('UPDATE companies SET name = ? WHERE id = ?', old, id);
  }
});
