// One pile by its code (GET /asset/piles/lookup?code=…): the bare code in any case, the label's
// URL and WeChat's "QR_CODE,…" result all find it; JSON holds the card's facts; a browser is sent
// on to the card; outside the user's city company a pile is not found, like an unknown code;
// bad values are 400; a supplier is refused.
import { test, before } from 'node:test';
import { Client, as, base, scalar, assert } from './lib.mjs';
import * as C from './crud.mjs';

const res = { path: '/asset/piles', table: 'piles', entity: 'pile', key: 'code' };
const SZ = C.idOf('companies', 'code', 'CC-SZ');
const HZ = C.idOf('companies', 'code', 'CC-HZ');
const WH_SZ1 = C.idOf('warehouses', 'code', 'WH-SZ-01');
const WH_HZ1 = C.idOf('warehouses', 'code', 'WH-HZ-01');
const P_AC7 = C.idOf('products', 'model', 'XC-AC7-W');

let admin, sz, hz;
before(async () => {
  admin = await as('admin');
  const mk = async (company, warehouse, code) => {
    const r = await C.create(admin, res, { code, serial_no: `SN-${code}`, product_id: P_AC7, company_id: company,
      warehouse_id: warehouse, state: 'in_stock', sw_version: 'V2.0.1' });
    C.assertRedirect(r, res, 'created');
    return { id: r.id, code };
  };
  sz = await mk(SZ, WH_SZ1, C.ucode('LKS', 16));
  hz = await mk(HZ, WH_HZ1, C.ucode('LKH', 16));
});

const lookup = (client, value, json = true) =>
  client.get(`/asset/piles/lookup?code=${encodeURIComponent(value)}${json ? '&format=json' : ''}`);

test('the bare code, lower case, the label URL and QR_CODE,… find the pile; JSON has the facts', async () => {
  for (const value of [sz.code, sz.code.toLowerCase(), ` ${sz.code} `, `${base}/wx/p/${sz.code}`, `QR_CODE,${base}/wx/p/${sz.code}`]) {
    const r = await lookup(admin, value);
    assert.equal(r.status, 200, `lookup of ${JSON.stringify(value)}`);
    const p = r.json().pile;
    assert.equal(p.code, sz.code);
    assert.equal(p.serial_no, `SN-${sz.code}`);
    assert.equal(p.state, 'in_stock');
    assert.equal(p.model, 'XC-AC7-W');
    assert.equal(p.sw_version, 'V2.0.1');
    assert.match(p.warranty_end, /^\d{4}-\d{2}-\d{2}$/);
    assert.equal(p.warranty, 'in');
    assert.equal(r.json().id, String(sz.id));
  }
});

test('without JSON the browser is sent to the card', async () => {
  const r = await lookup(admin, sz.code, false);
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), `/asset/piles/${sz.id}`);
});

test('city companies see only their own piles; unknown codes are 404 too', async () => {
  const warehouse = await as('warehouse'); // 苏州
  assert.equal((await lookup(warehouse, sz.code)).status, 200);
  const foreign = await lookup(warehouse, hz.code);
  assert.equal(foreign.status, 404, 'another city company\'s pile is not found');
  assert.ok(!foreign.text.includes(`SN-${hz.code}`), 'nothing of the pile is shown');
  const inspector2 = await as('inspector2'); // 杭州
  assert.equal((await lookup(inspector2, hz.code)).status, 200);
  assert.equal((await lookup(inspector2, sz.code)).status, 404);
  assert.equal((await lookup(admin, 'NO-SUCH-PILE-0000')).status, 404);
});

test('bad values are 400 with a message; a supplier is refused; signed out is sent to sign in', async () => {
  for (const value of ['', '   ', 'x'.repeat(513)]) {
    const r = await lookup(admin, value);
    assert.equal(r.status, 400, `value of ${value.length} characters`);
    assert.match(r.json().error, /桩编码/);
  }
  const missing = await admin.get('/asset/piles/lookup?format=json');
  assert.equal(missing.status, 400);
  const supplier = await as('supplier');
  assert.equal((await lookup(supplier, sz.code)).status, 403);
  const anon = await new Client().get(`/asset/piles/lookup?code=${sz.code}`);
  assert.ok([302, 303, 401].includes(anon.status), `signed out: ${anon.status}`);
  assert.equal(scalar('SELECT COUNT(*) FROM piles WHERE code = ?', sz.code), 1);
});
