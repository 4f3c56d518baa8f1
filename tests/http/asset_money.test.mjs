// Money as pages show it (issue 10 §2): digits grouped by thousands (1,234,567.00) in a cell that
// never breaks (.money: white-space nowrap) — the facility list's 造价, the station page's
// facilities, the pile card's tariff and its ledger — while exports and JSON keep the number.
import { test, before } from 'node:test';
import { as, scalar, assert } from './lib.mjs';
import * as C from './crud.mjs';

const ST = { path: '/asset/stations', table: 'stations', entity: 'station', key: 'code' };
const SUB = { path: '/asset/subassets', table: 'sub_assets', entity: 'subasset', key: 'name' };
const PILE = { path: '/asset/piles', table: 'piles', entity: 'pile', key: 'code' };
const SZ = C.idOf('companies', 'code', 'CC-SZ');
const SUZHOU = C.idOf('cities', 'code', '320500');
const WH_SZ1 = C.idOf('warehouses', 'code', 'WH-SZ-01');
const P_AC7 = C.idOf('products', 'model', 'XC-AC7-W');
const PFX = C.ucode('MY', 10);
let admin, station;

before(async () => {
  admin = await as('admin');
  const f = { code: `${PFX}-S`, name: `造价测试站${PFX}`, company_id: SZ, city_id: SUZHOU, state: 'operating', expected_piles: 0 };
  const r = await C.create(admin, ST, f);
  C.assertRedirect(r, ST, 'created');
  station = { ...f, id: r.id };
});

test('facility cost: grouped on the list and the station page, a plain number in the export', async () => {
  const cases = [['1234567', '1,234,567.00'], ['999.5', '999.50'], ['100000000000', '100,000,000,000.00'], ['0', '0.00']];
  for (const [i, [cost]] of cases.entries()) {
    const r = await admin.post(SUB.path, { station_id: station.id, kind: 'civil_works', name: `${PFX}基建${i}`, contractor: '某施工单位', cost });
    assert.equal(r.status, 303, C.alertText(r.text));
  }
  const l = await C.list(admin, SUB, { q: PFX, sort: 'cost', dir: 'asc' });
  assert.deepEqual(l.rows.map((row) => row[6]), ['0.00', '999.50', '1,234,567.00', '100,000,000,000.00'], 'sorted by the amount');
  assert.match(l.text, /<th scope="col" class="col-cost text-end">/);
  assert.equal([...l.text.matchAll(/<td class="text-end num money col-cost" data-label="造价\(元\)">/g)].length, 4);
  const csv = C.assertCsv(await C.exportFile(admin, SUB, { fmt: 'csv', q: PFX, sort: 'cost', dir: 'asc' }),
    ['充电站', '类型', '名称', '型号', '规格/数量', '施工单位', '造价(元)', '完工日期', '所属公司']);
  assert.deepEqual(csv.slice(1).map((row) => row[6]), ['0.00', '999.50', '1234567.00', '100000000000.00']);
  const page = await admin.get(`/asset/stations/${station.id}`);
  assert.equal(page.status, 200);
  const cells = [...page.text.matchAll(/<td data-label="造价\(元\)" class="text-end num money">([^<]*)<\/td>/g)].map((m) => m[1]);
  assert.deepEqual(cells.sort(), cases.map((c) => c[1]).sort());
});

test('pile tariff: the card shows it as money, the ledger too; the lookup JSON keeps the number', async () => {
  const code = `${PFX}-P`;
  const r = await C.create(admin, PILE, { code, product_id: P_AC7, company_id: SZ, warehouse_id: WH_SZ1, state: 'in_stock', tariff: '12.5' });
  C.assertRedirect(r, PILE, 'created');
  const card = await admin.get(`${PILE.path}/${r.id}`);
  assert.match(card.text, /<dd><span class="num money">12\.5000<\/span><\/dd>/);
  const j = (await admin.get(`${PILE.path}/lookup?code=${code}&format=json`)).json();
  assert.equal(j.pile.tariff, '12.5000');
  assert.equal(scalar('SELECT tariff FROM piles WHERE id = ?', r.id), '12.5000');
});
