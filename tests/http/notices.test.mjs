// Site-lease reminders (F4.22): ca-notify creates one notice per station whose lease ends
// within the lead time (90 days) or has ended; ops users see those of their scope on the home
// page and acknowledge them; a repeated scan never repeats a notice.
import { test, before } from 'node:test';
import { execFileSync } from 'node:child_process';
import { as, assert, scalar, sql, uniq, stationTo } from './lib.mjs';
import { browserForm } from './crud.mjs';

const root = process.env.CA_ROOT ?? '/work/main';
const build = process.env.CA_BUILD ?? `${root}/var/build`;
const conf = process.env.CA_TEST_CONF ?? `${root}/etc/chargeasset.hdf`;
const scan = () => execFileSync(`${build}/cgi/ca-notify`, ['--config', conf, '--once'], { encoding: 'utf8' });

let admin, ops, inspector2, warehouse;
const made = {};

function chinaDate(offsetDays) {
  const d = new Date(Date.now() + 8 * 3600e3 + offsetDays * 86400e3);
  return d.toISOString().slice(0, 10);
}

async function station(client, companyCode, leaseEnd, state = 'operating') {
  const company = scalar('SELECT id FROM companies WHERE code = ?', companyCode);
  const city = scalar('SELECT MIN(id) FROM cities WHERE company_id = ?', company);
  const code = uniq('NT-');
  const r = await client.post('/asset/stations', {
    code, name: `提醒测试站 ${code}`, company_id: company, city_id: city, state,
    expected_piles: 0, lease_start: '2020-01-01', lease_end: leaseEnd,
  });
  assert.equal(r.status, 303, `station created (${r.status})`);
  return scalar('SELECT id FROM stations WHERE code = ?', code);
}

const noticesOf = (id) => sql('SELECT id, due_on, acked_at FROM notices WHERE station_id = ?', id);
/** The home page's reminders only (its recent changes name stations too, for audit_view). */
const reminders = async (client) => {
  const m = (await client.get('/base/')).text.match(/<section class="card notice-card">[\s\S]*?<\/section>/);
  return m ? m[0] : '';
};

before(async () => {
  admin = await as('admin');
  ops = await as('ops');
  inspector2 = await as('inspector2');
  warehouse = await as('warehouse');
  made.soon = await station(admin, 'CC-SZ', chinaDate(30));
  made.ended = await station(admin, 'CC-SZ', chinaDate(-5));
  made.later = await station(admin, 'CC-SZ', chinaDate(200));
  made.hz = await station(admin, 'CC-HZ', chinaDate(10));
  // building and operating count; a closed station does not (it cannot be created closed).
  scan();
});

test('a scan creates one notice per lease ending within 90 days or already ended', () => {
  assert.equal(noticesOf(made.soon).length, 1);
  assert.equal(noticesOf(made.ended).length, 1);
  assert.equal(noticesOf(made.hz).length, 1);
  assert.equal(noticesOf(made.later).length, 0, 'a lease 200 days away raises nothing yet');
  assert.equal(noticesOf(made.soon)[0][1], chinaDate(30), 'due on the lease end');
});

test('scanning again repeats nothing', () => {
  const before = scalar('SELECT COUNT(*) FROM notices');
  scan();
  scan();
  assert.equal(scalar('SELECT COUNT(*) FROM notices'), before);
});

test('the ops home page lists the reminders with the days left or overdue', async () => {
  const r = await ops.get('/base/');
  assert.equal(r.status, 200);
  const code = scalar('SELECT code FROM stations WHERE id = ?', made.soon);
  assert.ok(r.text.includes(code), 'the station coming due is listed');
  assert.match(r.text, /还剩 (29|30) 天/);
  assert.match(r.text, /已过期 [45] 天/);
});

test('a city company sees only its own reminders', async () => {
  const own = scalar('SELECT code FROM stations WHERE id = ?', made.hz);
  const other = scalar('SELECT code FROM stations WHERE id = ?', made.soon);
  const r = await inspector2.get('/base/');
  assert.ok(r.text.includes(own), 'its own station');
  assert.ok(!r.text.includes(other), "never another company's");
  const foreign = noticesOf(made.soon)[0][0];
  const ack = await inspector2.post(`/base/notices/${foreign}/ack`, {});
  assert.equal(ack.status, 404, "another company's notice cannot be acknowledged");
  assert.equal(noticesOf(made.soon)[0][2], null, 'and it stays open');
});

test('acknowledging hides the reminder, once, and is recorded', async () => {
  const id = noticesOf(made.ended)[0][0];
  const r = await warehouse.post(`/base/notices/${id}/ack`, {});
  assert.equal(r.status, 303);
  assert.ok(noticesOf(made.ended)[0][2] !== null, 'acked_at set');
  const again = await warehouse.post(`/base/notices/${id}/ack`, {});
  assert.equal(again.status, 303, 'a double click is harmless');
  assert.equal(scalar("SELECT COUNT(*) FROM audit_log WHERE entity = 'notice' AND entity_id = ?", id), 1);
  const home = await reminders(ops);
  const code = scalar('SELECT code FROM stations WHERE id = ?', made.ended);
  assert.ok(!home.includes(code), 'no longer listed for anyone');
  scan();
  assert.equal(noticesOf(made.ended).length, 1, 'a new scan does not raise it again');
});

test('acknowledging needs a signed-in user with asset access and a CSRF token', async () => {
  const id = noticesOf(made.soon)[0][0];
  const supplier = await as('supplier');
  assert.equal((await supplier.post(`/base/notices/${id}/ack`, {})).status, 403);
  assert.equal((await ops.post(`/base/notices/${id}/ack`, {}, { csrf: false })).status, 403);
  assert.equal((await ops.post('/base/notices/999999999/ack', {})).status, 404);
  assert.equal((await ops.post('/base/notices/abc/ack', {})).status, 404);
  assert.equal(noticesOf(made.soon)[0][2], null, 'still open');
});

test('a lease extended beyond the lead time, or a station closed, is no longer listed; a new due date raises a new notice', async () => {
  const id = await station(admin, 'CC-SZ', chinaDate(20));
  scan();
  const shown = async () => (await reminders(ops)).split(`href="/asset/stations/${id}"`).length - 1;
  assert.equal(await shown(), 1);
  const lease = async (end) => {
    const { _csrf, ...f } = browserForm((await admin.get(`/asset/stations/${id}/edit`)).text, { lease_end: end });
    assert.ok(_csrf);
    assert.equal((await admin.post(`/asset/stations/${id}`, f)).status, 303);
  };
  await lease(chinaDate(300));
  assert.equal(await shown(), 0, 'extended: no longer due');
  scan();
  assert.equal(noticesOf(id).length, 1, 'nothing new while the lease is far away');
  await lease(chinaDate(40));
  scan();
  assert.equal(noticesOf(id).length, 2, 'the new lease end raises its own notice');
  assert.equal(await shown(), 1, 'listed once, for the new date');
  assert.match(await reminders(ops), new RegExp(`${chinaDate(40)}`));
  // The station moves to the head office: its reminders go with it, out of 苏州's sight.
  const sees = async (client) => (await reminders(client)).includes(`href="/asset/stations/${id}"`);
  assert.equal(await sees(warehouse), true);
  const { _csrf, ...f } = browserForm((await admin.get(`/asset/stations/${id}/edit`)).text,
    { company_id: scalar("SELECT id FROM companies WHERE code = 'HQ'") });
  assert.ok(_csrf);
  assert.equal((await admin.post(`/asset/stations/${id}`, f)).status, 303);
  assert.equal(await sees(warehouse), false, 'the city company no longer sees it');
  assert.equal(await shown(), 1, 'the head office still does');
  await stationTo(admin, id, 'closed');
  assert.equal(await shown(), 0, 'a closed station raises nothing');
  scan();
  assert.equal(noticesOf(id).length, 2);
});
