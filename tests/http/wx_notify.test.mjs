// Notice delivery (issue 4 item 4): ca-notify feeds the outbox from open notices and delivers
// each row by WeChat template message (users with a linked openid) or by the city company's
// WeCom robot, with retries and backoff, exactly once — against a fake WeChat server of this
// file's own that is made slow, rate-limited, or stopped.
import { test, before, after } from 'node:test';
import { as, assert, scalar, sql, uniq } from './lib.mjs';
import { fakeWechat, deriveConf, notifyOnce, sleep } from './wx.mjs';

let fake, conf, admin;
const ids = {};

function chinaDate(offsetDays) {
  return new Date(Date.now() + 8 * 3600e3 + offsetDays * 86400e3).toISOString().slice(0, 10);
}

async function station(companyCode, days = 20, over = {}) {
  const company = scalar('SELECT id FROM companies WHERE code = ?', companyCode);
  const city = scalar('SELECT MIN(id) FROM cities WHERE company_id = ?', company);
  const code = uniq('WX-');
  const r = await admin.post('/asset/stations', {
    code, name: `微信提醒站 ${code}`, company_id: company, city_id: city, state: 'operating',
    expected_piles: 0, lease_start: '2020-01-01', lease_end: chinaDate(days), ...over,
  });
  assert.equal(r.status, 303, `station created (${r.status})`);
  return { id: scalar('SELECT id FROM stations WHERE code = ?', code), code };
}

const noticeOf = (stationId) => scalar('SELECT id FROM notices WHERE station_id = ?', stationId);
const rowsOf = (noticeId) => sql(
  'SELECT channel, user_id, status, attempts, last_errcode, last_error, msgid, client_msg_id FROM notice_outbox WHERE notice_id = ? ORDER BY channel, user_id',
  noticeId);
const row = (msgId) => sql('SELECT status, attempts, last_errcode, last_error, msgid FROM notice_outbox WHERE client_msg_id = ?', msgId)[0];
const tplId = (noticeId, userId) => `ca-n${noticeId}-u${userId}`;
const robotId = (noticeId, companyId) => `ca-n${noticeId}-c${companyId}`;
const deliveredTo = async (msgId) => (await fake.delivered()).filter((d) =>
  d.client_msg_id === msgId || (d.body?.markdown?.content ?? '').includes(`提醒编号: ${msgId}\n`));
const sentFor = async (msgId, route = 'template') => (await fake.requests(route)).filter((q) =>
  q.body?.client_msg_id === msgId || (q.body?.markdown?.content ?? '').includes(`提醒编号: ${msgId}\n`));

async function once() {
  const r = await notifyOnce(conf);
  assert.equal(r.code, 0, `ca-notify --once: ${r.stderr.slice(-2000)}`);
  return r;
}

before(async () => {
  admin = await as('admin');
  fake = await fakeWechat();
  conf = deriveConf({
    'WeChat.api_base': fake.url, 'WeChat.open_base': fake.url, 'WeChat.wecom_base': fake.url,
    'WeChat.retry_base_s': 1, 'WeChat.quota_delay_s': 3, 'WeChat.timeout_ms': 700,
    'WeChat.attempts': 2, 'WeChat.backoff_ms': 100, 'WeChat.max_attempts': 6,
  });
  sql("DELETE FROM wx_settings WHERE name IN ('appid', 'secret')");
  sql("REPLACE INTO wx_settings (name, value, updated_at) VALUES ('template.lease_expiry', 'TPL-lease-expiry', UTC_TIMESTAMP())");
  ids.ops = scalar("SELECT id FROM users WHERE username = 'ops'");
  ids.insp2 = scalar("SELECT id FROM users WHERE username = 'inspector2'");
  ids.sz = scalar("SELECT id FROM companies WHERE code = 'CC-SZ'");
  ids.hz = scalar("SELECT id FROM companies WHERE code = 'CC-HZ'");
  ids.opsOpenid = `o${uniq('ops')}`;
  ids.inspOpenid = `o${uniq('insp')}`;
  sql('DELETE FROM wx_links WHERE user_id IN (?, ?)', ids.ops, ids.insp2);
  sql('INSERT INTO wx_links (user_id, openid, linked_at) VALUES (?, ?, UTC_TIMESTAMP()), (?, ?, UTC_TIMESTAMP())',
    ids.ops, ids.opsOpenid, ids.insp2, ids.inspOpenid);
  ids.robotKey = uniq('robot-sz-');
  sql('REPLACE INTO wx_robots (company_id, robot_key, updated_at) VALUES (?, ?, UTC_TIMESTAMP())', ids.sz, ids.robotKey);
});

after(async () => {
  sql('DELETE FROM wx_robots WHERE company_id = ?', ids.sz);
  sql('DELETE FROM wx_links WHERE user_id IN (?, ?)', ids.ops, ids.insp2);
  await fake?.stop();
});

test('the station\'s responsible user gets a due notice once by template message (else the ops manager), the company robot once', async () => {
  const sz = await station('CC-SZ', 20, { staff_user_id: '' });
  const hz = await station('CC-HZ', 20, { staff_user_id: ids.insp2 });
  const hzNone = await station('CC-HZ', 20, { staff_user_id: '' });
  await once();
  const nSz = noticeOf(sz.id);
  const nHz = noticeOf(hz.id);
  const nHzNone = noticeOf(hzNone.id);
  assert.ok(nSz && nHz && nHzNone, 'the scan made the notices');
  assert.deepEqual(rowsOf(nSz).map((r) => [r[0], r[1], r[2]]), [
    ['robot', null, 'sent'], ['template', String(ids.ops), 'sent'],
  ], '苏州, no responsible user: the ops manager (苏州 has none of its own: the head office\'s) and the 苏州 robot');
  assert.deepEqual(rowsOf(nHz).map((r) => [r[0], r[1], r[2]]), [
    ['template', String(ids.insp2), 'sent'],
  ], '杭州, responsible user the inspector: only the inspector; no robot configured there');
  assert.deepEqual(rowsOf(nHzNone).map((r) => [r[0], r[1], r[2]]), [
    ['template', String(ids.ops), 'sent'],
  ], '杭州, no responsible user: the ops manager, not every user who may see the company');
  assert.equal(scalar('SELECT COUNT(*) FROM notice_outbox o JOIN users u ON u.id = o.user_id WHERE u.username = ? AND o.notice_id = ?', 'leader', nSz), 0,
    'a user without a linked openid gets no WeChat message');
  const [d] = await deliveredTo(tplId(nSz, ids.ops));
  assert.equal(d.touser, ids.opsOpenid);
  assert.equal(d.template_id, 'TPL-lease-expiry');
  const [y, m, dd] = chinaDate(20).split('-').map(Number);
  assert.equal(d.body.data.time2.value, `${y}年${m}月${dd}日`, "the due date in WeChat's date form");
  assert.ok([...d.body.data.thing1.value].length <= 20, 'keyword values cut to 20 characters');
  assert.ok(d.body.data.thing1.value.startsWith(sz.code.slice(0, 20)));
  assert.match(d.body.url, /\/base\/notices$/);
  assert.equal(row(tplId(nSz, ids.ops))[4], d.msgid, 'the int64 msgid stored digit for digit');
  assert.ok(BigInt(d.msgid) > 2n ** 53n);
  const robot = await deliveredTo(robotId(nSz, ids.sz));
  assert.equal(robot.length, 1);
  assert.equal(robot[0].key, ids.robotKey);
  assert.ok(robot[0].body.markdown.content.includes(sz.code));
  // Again: nothing new is sent for them.
  const before = (await fake.requests()).length;
  await once();
  const later = (await fake.requests()).slice(before);
  assert.equal(later.filter((q) => q.route === 'template' || q.route === 'webhook').length, 0, 'a second round sends nothing');
});

const rowFor = (noticeId, channel) => sql(
  'SELECT client_msg_id FROM notice_outbox WHERE notice_id = ? AND channel = ?', noticeId, channel)[0][0];

test('45009: marked rate-limited, not retried, then delivered later exactly once', async () => {
  const s = await station('CC-SZ', 30);
  // Template sends carry the station code in a keyword: the fault hits this notice's only.
  await fake.fault({ route: 'template', kind: 'errcode', errcode: 45009, count: 1, match: s.code });
  await once();
  const id = rowFor(noticeOf(s.id), 'template');
  let r = row(id);
  assert.equal(r[0], 'deferred', 'marked deferred (rate-limited)');
  assert.equal(r[2], '45009');
  assert.match(r[3], /rate_limited/);
  assert.equal((await sentFor(id)).length, 1, 'one request, no retry');
  await once();
  assert.equal((await sentFor(id)).length, 1, 'not retried before its time');
  await sleep(3300);
  await once();
  r = row(id);
  assert.equal(r[0], 'sent', 'delivered later');
  assert.equal(r[1], '1', 'the deferral did not use up an attempt');
  assert.equal((await sentFor(id)).length, 2);
  assert.equal((await deliveredTo(id)).length, 1, 'exactly once');
});

test('a send that times out is not duplicated when retried', async () => {
  const s = await station('CC-SZ', 40);
  // Both tries of the round answer after the client gave up (700 ms), but the fake acted
  // on the first: the outcome is unknown.
  await fake.fault({ route: 'template', kind: 'delay', delay_ms: 1500, count: 2, match: s.code });
  await once();
  const id = rowFor(noticeOf(s.id), 'template');
  let r = row(id);
  assert.equal(r[0], 'retry', 'not known to be sent: retried later');
  assert.match(r[3], /transport_error/);
  assert.equal((await sentFor(id)).length, 2, 'tried twice in the round, same client_msg_id');
  await sleep(1300);
  await once();
  r = row(id);
  assert.equal(r[0], 'sent');
  assert.equal((await sentFor(id)).length, 3, 'the retry carried the same client_msg_id');
  assert.equal((await deliveredTo(id)).length, 1, 'the user got one message');
});

test('the fake server stopped while notices are due: nothing lost, each delivered once', async () => {
  await fake.stop();
  const made = [];
  for (let i = 0; i < 3; i++) made.push(await station('CC-SZ', 50 + i));
  await once();
  const notices = made.map((s) => noticeOf(s.id));
  for (const n of notices) {
    assert.equal(rowsOf(n).length, 2, 'ops and the robot');
    for (const r of rowsOf(n)) {
      assert.equal(r[2], 'retry', `${r[7]} waits for a retry`);
      assert.match(r[5], /transport_error/);
    }
  }
  await fake.start(); // a new fake: it does not know the cached token any more (40001 → refresh)
  await sleep(1300);
  await once();
  for (const n of notices) {
    for (const r of rowsOf(n)) {
      assert.equal(r[2], 'sent', `${r[7]} sent`);
      assert.equal((await deliveredTo(r[7])).length, 1, `${r[7]} delivered once`);
    }
  }
  await once();
  for (const n of notices) for (const r of rowsOf(n)) assert.equal((await deliveredTo(r[7])).length, 1);
});

test('two ca-notify instances at once never send a notice twice', async () => {
  const made = [];
  for (let i = 0; i < 8; i++) made.push(await station('CC-SZ', 60 + i));
  // Slow answers keep both instances busy at the same time.
  await fake.fault({ route: 'any', kind: 'delay', delay_ms: 120, count: 200 });
  const since = (await fake.ctl('GET', 'requests?since=0')).seq;
  let a, b;
  try {
    [a, b] = await Promise.all([notifyOnce(conf), notifyOnce(conf)]);
  } finally {
    await fake.ctl('DELETE', 'faults'); // a failure here must not slow the tests after it
  }
  assert.equal(a.code + b.code, 0, a.stderr.slice(-500) + b.stderr.slice(-500));
  const notices = made.map((s) => noticeOf(s.id));
  let rows = 0;
  for (const n of notices) {
    for (const r of rowsOf(n)) {
      rows++;
      assert.equal(r[2], 'sent', `${r[7]} sent`);
      assert.equal(r[3], '1', `${r[7]} claimed once`);
      assert.equal((await deliveredTo(r[7])).length, 1, `${r[7]} delivered once`);
    }
  }
  assert.equal(rows, 16, 'ops and the robot for each of 8 notices');
  const sends = (await fake.requests(null, since)).filter((q) => q.route === 'template' || q.route === 'webhook');
  const mine = sends.filter((q) => made.some((s) => JSON.stringify(q.body).includes(s.code)));
  assert.equal(mine.length, 16, 'one request per row: no instance repeated another');
});

test('a notice acknowledged before delivery is not sent; a permanent error is not retried', async () => {
  const n = noticeOf((await (async () => { const s = await station('CC-HZ', 70, { staff_user_id: ids.insp2 }); await once(); return s; })()).id);
  sql('UPDATE notices SET acked_at = UTC_TIMESTAMP() WHERE id = ?', n);
  const late = `${tplId(n, ids.insp2)}-late`;
  sql("INSERT INTO notice_outbox (notice_id, channel, user_id, company_id, openid, status, next_at, client_msg_id, created_at) VALUES (?, 'template', ?, ?, ?, 'pending', UTC_TIMESTAMP(), ?, UTC_TIMESTAMP())",
    n, ids.insp2, ids.hz, ids.inspOpenid, late);
  await once();
  assert.equal(row(late)[0], 'cancelled');
  assert.equal((await sentFor(late)).length, 0);
  // An openid WeChat does not know (40003) fails at once.
  sql('UPDATE wx_links SET openid = ? WHERE user_id = ?', `bad-${uniq()}`, ids.insp2);
  try {
    const s2 = await station('CC-HZ', 71, { staff_user_id: ids.insp2 });
    await once();
    const id = tplId(noticeOf(s2.id), ids.insp2);
    const r = row(id);
    assert.equal(r[0], 'failed');
    assert.equal(r[2], '40003');
    await sleep(1200);
    await once();
    assert.equal((await sentFor(id)).length, 1, 'never retried');
  } finally {
    sql('UPDATE wx_links SET openid = ? WHERE user_id = ?', ids.inspOpenid, ids.insp2);
  }
});

test('a robot send with an unknown outcome is never repeated (robots have no idempotency key)', async () => {
  const s = await station('CC-SZ', 80);
  await fake.fault({ route: 'webhook', kind: 'delay', delay_ms: 1500, count: 1, match: s.code });
  await once();
  const id = robotId(noticeOf(s.id), ids.sz);
  assert.equal(row(id)[0], 'unknown', 'shown as unknown on the outbox page');
  await sleep(1700);
  await once();
  assert.equal((await sentFor(id, 'webhook')).length, 1, 'one request only');
  assert.equal((await deliveredTo(id)).length, 1, 'it did arrive once');
});
