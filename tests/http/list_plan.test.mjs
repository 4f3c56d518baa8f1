// The list plan of cgi/core/crud.c (plan_rows, issue 9): a page of many rows walks its sort's
// index with a bound on the entries read and falls back to the filters' index when the bound
// is reached; a page of few rows is sorted from the filters' index, a deep one read from the
// other end; a sort that a filter fixes ("model" with one product chosen) runs as the sort
// without that column.  The suite's configuration makes the plan's numbers small
// (List.plan_small 300, walk bounds 64 to 1,024 entries), so the demo's few thousand piles
// take every path.  Whatever the path, a page must hold exactly the rows the database orders
// there: each page is compared with the same filters and sort run directly in SQL.
import { test, before } from 'node:test';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { as, sql, scalar, assert } from './lib.mjs';

/** Lines of the ca-asset log that tell of a worker that died. */
const deaths = () => readFileSync(path.join(process.env.CA_ROOT ?? process.cwd(), 'var/test/log/ca-asset.log'), 'utf8')
  .split('\n').filter((l) => /fatal:|killed by signal/.test(l));

let admin, keeper;
const seen = new Set();

before(async () => {
  admin = await as('admin');
  keeper = await as('warehouse'); // one city company: its scope fixes the company sort
});

/** Codes of the rows of a list page (the first cell links to the record, after the box that
 * ticks the row for the batch actions where the list has them). */
function codes(html) {
  const body = html.match(/<tbody>([\s\S]*?)<\/tbody>/);
  if (!body) return [];
  return [...body[1].matchAll(/<tr>\s*<td[^>]*>\s*(?:<span class="pick-cell"><input[^>]*>\s*)?<a href="[^"]*">([^<]*)<\/a>/g)].map((m) => m[1]);
}

/** The page the database gives for these filters and sort (same ties: the code). */
function expected(table, where, params, order, desc, per, page) {
  const dir = desc ? 'DESC' : 'ASC';
  const by = [...order, 'code'].map((c) => `${c} ${dir}`).join(', ');
  return sql(`SELECT code FROM ${table} WHERE ${where.join(' AND ') || '1=1'} ORDER BY ${by}
    LIMIT ${per} OFFSET ${(page - 1) * per}`, ...params).map((r) => r[0]);
}

async function check(client, path, table, url, where, params, order, desc, per, page) {
  for (let attempt = 0; ; attempt++) {
    const want = expected(table, where, params, order, desc, per, page);
    const r = await client.get(`${path}?${url}&per=${per}&page=${page}`);
    assert.equal(r.status, 200, url);
    const plan = r.headers.get('x-list-plan');
    assert.ok(plan, `${url}: the plan is named`);
    seen.add(plan.split(';')[0]);
    const got = codes(r.text);
    // Another test file may add a row in between: then ask again.
    if (attempt < 2 && JSON.stringify(got) !== JSON.stringify(want) &&
        JSON.stringify(want) !== JSON.stringify(expected(table, where, params, order, desc, per, page))) continue;
    assert.deepEqual(got, want, `${path}?${url}&page=${page} (${plan})`);
    return plan;
  }
}

test('pile list: every plan gives the database\'s page, filtered, sorted, both directions, shallow and deep', async () => {
  const product = scalar('SELECT product_id FROM piles WHERE product_id IS NOT NULL GROUP BY product_id ORDER BY COUNT(*) DESC LIMIT 1');
  const maker = scalar('SELECT manufacturer_id FROM piles WHERE manufacturer_id IS NOT NULL GROUP BY 1 ORDER BY COUNT(*) DESC LIMIT 1');
  const company = scalar('SELECT company_id FROM piles GROUP BY 1 ORDER BY COUNT(*) DESC LIMIT 1');
  const city = scalar('SELECT city_id FROM piles WHERE city_id IS NOT NULL GROUP BY 1 ORDER BY COUNT(*) ASC LIMIT 1');
  const warehouse = scalar('SELECT warehouse_id FROM piles WHERE warehouse_id IS NOT NULL GROUP BY 1 ORDER BY COUNT(*) DESC LIMIT 1');
  const filters = [
    ['', [], []],
    ['state=operating', ["state = 'operating'"], []],
    ['state=in_stock', ["state = 'in_stock'"], []],
    [`manufacturer_id=${maker}`, ['manufacturer_id = ?'], [maker]],
    [`product_id=${product}`, ['product_id = ?'], [product]],
    [`company_id=${company}&state=operating`, ['company_id = ?', "state = 'operating'"], [company]],
    [`city_id=${city}`, ['city_id = ?'], [city]],
    [`warehouse_id=${warehouse}`, ['warehouse_id = ?'], [warehouse]],
    [`warehouse_id=${warehouse}&state=in_stock`, ['warehouse_id = ?', "state = 'in_stock'"], [warehouse]],
  ];
  const sorts = { code: [], model: ['model'], manufacturer: ['manufacturer_name'], state: ['state'],
    company: ['company_name'], warranty_end: ['warranty_end'] };
  let k = 0;
  for (const [qs, where, params] of filters)
    for (const [sort, order] of Object.entries(sorts)) {
      const desc = k++ % 2 === 1;
      const n = scalar(`SELECT COUNT(*) FROM piles WHERE ${where.join(' AND ') || '1=1'}`, ...params);
      const last = Math.max(1, Math.ceil(Math.min(n, 10001) / 20));
      const pages = [...new Set([1, 2, Math.ceil(last / 3), Math.ceil((2 * last) / 3), last])];
      for (const page of pages)
        await check(admin, '/asset/piles', 'piles', `${qs}&sort=${sort}&dir=${desc ? 'desc' : 'asc'}`,
          where, params, order, desc, 20, page);
    }
  for (const plan of ['walk', 'walk ranged', 'walk prefixed', 'few', 'few-reversed', 'walk-stopped few'])
    assert.ok(seen.has(plan), `the plan "${plan}" ran (seen: ${[...seen].join(', ')})`);
});

test('version list: the walks of a maker\'s models, of the models of no target and of a check\'s codes give the database\'s page', async () => {
  // Live piles: the list's seven states must be every state but these three.
  const live = "state NOT IN ('sold', 'scrapped', 'lease_ended')";
  const maker = scalar('SELECT manufacturer_id FROM piles WHERE manufacturer_id IS NOT NULL GROUP BY 1 ORDER BY COUNT(*) DESC LIMIT 1');
  const untargeted = scalar(`SELECT COUNT(*) FROM piles WHERE vflags = 8 AND ${live}`);
  assert.ok(untargeted > 0, 'the demo has piles of no target');
  const filters = [
    ['check=none', ['vflags = 8', live], []],
    ['check=ok', ['vflags = 4', live], []],
    ['check=below', ['vflags IN (1, 3)', live], []],
    [`check=below&manufacturer_id=${maker}`, ['vflags IN (1, 3)', 'manufacturer_id = ?', live], [maker]],
    [`check=ok&manufacturer_id=${maker}`, ['vflags = 4', 'manufacturer_id = ?', live], [maker]],
    [`check=none&manufacturer_id=${maker}`, ['vflags = 8', 'manufacturer_id = ?', live], [maker]],
  ];
  const plans = new Set();
  const died = deaths().length;
  for (const [qs, where, params] of filters)
    for (const [sort, order] of [['model', ['model']], ['code', []]])
      for (const desc of [false, true]) {
        const n = scalar(`SELECT COUNT(*) FROM piles WHERE ${where.join(' AND ')}`, ...params);
        const last = Math.max(1, Math.ceil(Math.min(n, 10001) / 20));
        for (const page of [...new Set([1, 2, Math.ceil(last / 2), last])])
          plans.add((await check(admin, '/asset/versions/piles', 'piles', `${qs}&sort=${sort}&dir=${desc ? 'desc' : 'asc'}`,
            where, params, order, desc, 20, page)).split(';')[0]);
      }
  for (const plan of ['walk ranged', 'walk prefixed'])
    assert.ok(plans.has(plan), `the plan "${plan}" ran (seen: ${[...plans].join(', ')})`);
  // A walk bound reached inside a sort is an error of the server ("Sort aborted"), not a
  // warning: it is the other plan's turn, never a dead worker (it killed one here once).
  assert.deepEqual(deaths().slice(died), [], 'no ca-asset process died');
});

test('a sort that a filter fixes runs as the shorter sort, with the same rows', async () => {
  const product = scalar('SELECT product_id FROM piles WHERE product_id IS NOT NULL GROUP BY product_id ORDER BY COUNT(*) DESC LIMIT 1');
  const plan = await check(admin, '/asset/piles', 'piles', `product_id=${product}&sort=model&dir=desc`,
    ['product_id = ?'], [product], ['model'], true, 20, 2);
  assert.match(plan, /; sort=code$/);
  // The warehouse keeper sees one city company: sorting by company is sorting by code.
  const mine = scalar("SELECT company_id FROM users WHERE username = 'warehouse'");
  const kplan = await check(keeper, '/asset/piles', 'piles', 'sort=company&dir=asc', ['company_id = ?'], [mine],
    ['company_name'], false, 20, 3);
  assert.match(kplan, /; sort=code$/);
  // Without the filter the sort stays.
  const aplan = await check(admin, '/asset/piles', 'piles', 'sort=model&dir=asc', [], [], ['model'], false, 20, 2);
  assert.match(aplan, /; sort=model$/);
});

test('station list: the same plans give the database\'s page', async () => {
  const company = scalar('SELECT company_id FROM stations GROUP BY 1 ORDER BY COUNT(*) DESC LIMIT 1');
  const filters = [
    ['', [], []],
    ["state=operating", ["state = 'operating'"], []],
    [`company_id=${company}`, ['company_id = ?'], [company]],
  ];
  const sorts = { code: [], name: ['name'], company: ['company_name'], city: ['city_name'], lease_end: ['lease_end'] };
  let k = 0;
  for (const [qs, where, params] of filters)
    for (const [sort, order] of Object.entries(sorts)) {
      const desc = k++ % 2 === 0;
      const n = scalar(`SELECT COUNT(*) FROM stations WHERE ${where.join(' AND ') || '1=1'}`, ...params);
      const last = Math.max(1, Math.ceil(n / 20));
      for (const page of [...new Set([1, Math.ceil(last / 2) + 1, last])])
        await check(admin, '/asset/stations', 'stations', `${qs}&sort=${sort}&dir=${desc ? 'desc' : 'asc'}`,
          where, params, order, desc, 20, page);
    }
});

test('a page past the end shows the last page, whichever plan', async () => {
  const n = scalar("SELECT COUNT(*) FROM piles WHERE state = 'in_stock'");
  const last = Math.ceil(n / 20);
  const r = await admin.get('/asset/piles?state=in_stock&sort=model&dir=asc&per=20&page=99999');
  assert.equal(r.status, 200);
  assert.deepEqual(codes(r.text), expected('piles', ["state = 'in_stock'"], [], ['model'], false, 20, last));
});
