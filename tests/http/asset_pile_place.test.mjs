// A pile answers to the company of the place it is in: binding it to another company's
// station or unbinding it into another company's warehouse moves it into that company's
// scope; registering it in a warehouse of another company, or changing its company while it
// sits somewhere, is refused with nothing written.
import { test, before } from 'node:test';
import { as, assert, scalar, sql, uniq } from './lib.mjs';

let admin, hzUser, szUser;
const id = {};

function companyOf(pileId) {
  return scalar('SELECT c.code FROM piles p JOIN companies c ON c.id = p.company_id WHERE p.id = ?', pileId);
}

before(async () => {
  admin = await as('admin');
  hzUser = await as('inspector2'); // CC-HZ, view only
  szUser = await as('warehouse'); // CC-SZ
  id.sz = scalar("SELECT id FROM companies WHERE code = 'CC-SZ'");
  id.hz = scalar("SELECT id FROM companies WHERE code = 'CC-HZ'");
  id.whSz = scalar('SELECT MIN(id) FROM warehouses WHERE company_id = ?', id.sz);
  id.whHz = scalar('SELECT MIN(id) FROM warehouses WHERE company_id = ?', id.hz);
  id.product = scalar('SELECT MIN(id) FROM products');
  const code = uniq('PL-');
  let r = await admin.post('/asset/stations', {
    code, name: `杭州位置测试站 ${code}`, company_id: id.hz,
    city_id: scalar('SELECT MIN(id) FROM cities WHERE company_id = ?', id.hz),
    state: 'building', expected_piles: 0,
  });
  assert.equal(r.status, 303);
  id.stHz = scalar('SELECT id FROM stations WHERE code = ?', code);
  id.code = uniq('PP-');
  r = await admin.post('/asset/piles', {
    code: id.code, product_id: id.product, company_id: id.sz, warehouse_id: id.whSz, state: 'in_stock',
  });
  assert.equal(r.status, 303);
  id.pile = scalar('SELECT id FROM piles WHERE code = ?', id.code);
});

test('binding to another company\'s station hands the pile to that company', async () => {
  assert.equal(companyOf(id.pile), 'CC-SZ');
  assert.equal((await szUser.get(`/asset/piles/${id.pile}`)).status, 200, 'Suzhou sees it in its warehouse');
  const r = await admin.post(`/asset/piles/${id.pile}/bind`, { station_id: id.stHz });
  assert.equal(r.status, 303);
  assert.equal(companyOf(id.pile), 'CC-HZ');
  assert.equal((await hzUser.get(`/asset/piles/${id.pile}`)).status, 200, 'Hangzhou sees it now');
  assert.equal((await szUser.get(`/asset/piles/${id.pile}`)).status, 404, 'Suzhou no longer does');
});

test('unbinding into a warehouse hands it to the warehouse\'s company', async () => {
  const r = await admin.post(`/asset/piles/${id.pile}/unbind`, { warehouse_id: id.whSz });
  assert.equal(r.status, 303);
  assert.equal(companyOf(id.pile), 'CC-SZ');
  assert.deepEqual(sql('SELECT place, warehouse_id FROM piles WHERE id = ?', id.pile)[0], ['warehouse', String(id.whSz)]);
});

test('registering a pile in another company\'s warehouse is refused', async () => {
  const code = uniq('PX-');
  const r = await admin.post('/asset/piles', {
    code, product_id: id.product, company_id: id.sz, warehouse_id: id.whHz, state: 'in_stock',
  });
  assert.equal(r.status, 422);
  assert.match(r.text, /桩的所属公司随其所在位置/);
  assert.equal(scalar('SELECT COUNT(*) FROM piles WHERE code = ?', code), 0);
});

test('changing the company of a pile that sits in a warehouse is refused', async () => {
  const edit = await admin.get(`/asset/piles/${id.pile}/edit`);
  const version = edit.text.match(/name="version" value="(\d+)"/)[1];
  const events = scalar('SELECT COUNT(*) FROM asset_events WHERE pile_id = ?', id.pile);
  const r = await admin.post(`/asset/piles/${id.pile}`, {
    version, code: id.code, product_id: id.product, company_id: id.hz, warehouse_id: id.whSz, state: 'in_stock',
  });
  assert.equal(r.status, 422);
  assert.match(r.text, /桩的所属公司随其所在位置/);
  assert.equal(companyOf(id.pile), 'CC-SZ');
  assert.equal(scalar('SELECT COUNT(*) FROM asset_events WHERE pile_id = ?', id.pile), events, 'no event');
  assert.equal(scalar('SELECT COUNT(*) FROM audit_log WHERE request_id = ?', r.headers.get('x-request-id')), 0, 'no record');
});

test('a pile is looked up by its exact asset code (JSON), never by a part of it', async () => {
  let r = await admin.get(`/asset/piles?code=${encodeURIComponent(id.code)}&format=json`);
  assert.equal(r.status, 200);
  let j = r.json();
  assert.equal(j.total, '1');
  assert.equal(j.rows[0].code, id.code);
  r = await admin.get(`/asset/piles?code=${encodeURIComponent(id.code.slice(0, -2))}&format=json`);
  assert.equal(r.json().total, '0', 'a prefix finds nothing');
  r = await hzUser.get(`/asset/piles?code=${encodeURIComponent(id.code)}&format=json`);
  assert.equal(r.json().total, '0', 'another company does not find it');
});

test('no new facility on a closed station; an existing one there stays editable', async () => {
  const code = uniq('FC-');
  let r = await admin.post('/asset/stations', {
    code, name: `撤站测试 ${code}`, company_id: id.hz,
    city_id: scalar('SELECT MIN(id) FROM cities WHERE company_id = ?', id.hz), state: 'operating', expected_piles: 0,
  });
  assert.equal(r.status, 303);
  const st = scalar('SELECT id FROM stations WHERE code = ?', code);
  r = await admin.post('/asset/subassets', { station_id: st, kind: 'canopy', name: '雨棚', area_m2: '120' });
  assert.equal(r.status, 303);
  const fac = scalar('SELECT MAX(id) FROM sub_assets WHERE station_id = ?', st);
  for (const state of ['suspended', 'closed']) {
    const e = await admin.get(`/asset/stations/${st}/edit`);
    const version = e.text.match(/name="version" value="(\d+)"/)[1];
    r = await admin.post(`/asset/stations/${st}`, {
      version, code, name: `撤站测试 ${code}`, company_id: id.hz,
      city_id: scalar('SELECT city_id FROM stations WHERE id = ?', st), state, expected_piles: 0,
    });
    assert.equal(r.status, 303, `station ${state}`);
  }
  const before = scalar('SELECT COUNT(*) FROM sub_assets WHERE station_id = ?', st);
  r = await admin.post('/asset/subassets', { station_id: st, kind: 'canopy', name: '新雨棚', area_m2: '80' });
  assert.equal(r.status, 422);
  assert.match(r.text, /该充电站已撤站/);
  assert.equal(scalar('SELECT COUNT(*) FROM sub_assets WHERE station_id = ?', st), before, 'nothing written');
  const e = await admin.get(`/asset/subassets/${fac}/edit`);
  const version = e.text.match(/name="version" value="(\d+)"/)[1];
  r = await admin.post(`/asset/subassets/${fac}`, { version, station_id: st, kind: 'canopy', name: '雨棚（已撤站）', area_m2: '120' });
  assert.equal(r.status, 303, 'the existing facility is still editable');
});
