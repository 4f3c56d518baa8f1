// WeChat settings (/base/wechat, issue 4 item 5) and every user's notices page: only the
// administrator opens or changes the settings; the AppSecret and robot keys are stored but
// never sent back (only their last 4 characters); an empty secret field keeps the stored one;
// bad input is refused field by field with nothing written; the test send goes through the
// stack's fake WeChat server; the outbox lists rows with status and error, filtered and paged.
import { test, before, after } from 'node:test';
import { as, assert, assertFieldError, scalar, sql, uniq } from './lib.mjs';
import { confValue, testConf } from './wx.mjs';

let admin;
const fakeUrl = confValue(testConf, 'WeChat.api_base');
const APPID = 'wx00aa11bb22cc33dd';
const SECRET = `Sec${uniq('').replace(/[^A-Za-z0-9]/g, '')}ZZ9Q`.slice(0, 40);
const settings = () => sql('SELECT name, value FROM wx_settings ORDER BY name');
const robots = () => sql('SELECT company_id, robot_key FROM wx_robots ORDER BY company_id');
const fake = async (path) => (await fetch(`${fakeUrl}/__fake/${path}`)).json();

function form(extra = {}) {
  return { appid: APPID, secret: '', template_lease_expiry: 'TPL-admin-lease', ...extra };
}

before(async () => {
  admin = await as('admin');
  sql('DELETE FROM wx_settings');
  sql('DELETE FROM wx_robots');
});

after(() => {
  sql('DELETE FROM wx_settings');
  sql('DELETE FROM wx_robots');
  sql('DELETE FROM wx_cache');
});

test('only the administrator opens or changes the WeChat settings and the outbox', async () => {
  assert.equal((await admin.get('/base/wechat')).status, 200);
  assert.equal((await admin.get('/base/wechat/outbox')).status, 200);
  for (const who of ['leader', 'ops', 'inspector', 'warehouse', 'procurement', 'finance', 'supplier']) {
    const c = await as(who);
    assert.equal((await c.get('/base/wechat')).status, 403, `${who} GET`);
    assert.equal((await c.get('/base/wechat/outbox')).status, 403, `${who} outbox`);
    assert.equal((await c.post('/base/wechat', form({ secret: SECRET }))).status, 403, `${who} POST`);
    assert.equal((await c.post('/base/wechat/test', { channel: 'template', kind: 'lease_expiry', openid: 'oFAKE-ops' })).status, 403);
    const home = await c.get('/base/');
    assert.ok(!home.text.includes('href="/base/wechat"'), `${who} has no menu link`);
  }
  assert.deepEqual(settings(), [], 'nothing written by anyone refused');
  assert.equal((await admin.post('/base/wechat', form({ secret: SECRET }), { csrf: false })).status, 403, 'CSRF checked');
  assert.deepEqual(settings(), []);
});

test('saving stores the secret but never shows it back, and an empty field keeps it', async () => {
  const sz = scalar("SELECT id FROM companies WHERE code = 'CC-SZ'");
  const key = `robot-${uniq()}-abcd`;
  const r = await admin.post('/base/wechat', form({ secret: SECRET, [`robot_${sz}`]: key }));
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), '/base/wechat?flash=saved');
  assert.deepEqual(settings(), [['appid', APPID], ['secret', SECRET], ['template.lease_expiry', 'TPL-admin-lease']]);
  assert.deepEqual(robots(), [[String(sz), key]]);
  const page = await admin.get('/base/wechat?flash=saved');
  assert.ok(!page.text.includes(SECRET), 'the secret is not in the page');
  assert.ok(!page.text.includes(key), 'nor the robot key');
  assert.ok(page.text.includes(`••••${SECRET.slice(-4)}`), 'only its last 4 characters');
  assert.ok(page.text.includes('••••abcd'));
  const json = await admin.get('/base/wechat?format=json');
  assert.ok(!json.text.includes(SECRET) && !json.text.includes(key), 'not in the JSON either');
  // The secret field left empty keeps it; the update records never hold it.
  assert.equal((await admin.post('/base/wechat', form({ template_lease_expiry: 'TPL-2' }))).status, 303);
  assert.equal(scalar("SELECT value FROM wx_settings WHERE name = 'secret'"), SECRET);
  assert.equal(scalar("SELECT value FROM wx_settings WHERE name = 'template.lease_expiry'"), 'TPL-2');
  assert.deepEqual(robots(), [[String(sz), key]], 'an empty robot field keeps the key');
  assert.equal(scalar('SELECT COUNT(*) FROM audit_log WHERE new_value LIKE ? OR old_value LIKE ?', `%${SECRET}%`, `%${SECRET}%`), 0);
  assert.equal(scalar('SELECT COUNT(*) FROM audit_log WHERE new_value LIKE ?', `%${key}%`), 0);
  assert.ok(scalar("SELECT COUNT(*) FROM audit_log WHERE entity = 'wx_settings' AND field = 'secret'") >= 1, 'the change itself is recorded');
  // Removing a robot key.
  assert.equal((await admin.post('/base/wechat', form({ [`robot_clear_${sz}`]: 1 }))).status, 303);
  assert.deepEqual(robots(), []);
});

test('bad input is refused per field and nothing is written', async () => {
  const before = JSON.stringify([settings(), robots()]);
  const sz = scalar("SELECT id FROM companies WHERE code = 'CC-SZ'");
  const cases = [
    [{ appid: '' }, 'appid'],
    [{ appid: 'wx123' }, 'appid'],
    [{ appid: 'wxZZZZZZZZZZZZZZZZ' }, 'appid'],
    [{ appid: `${APPID}0` }, 'appid'],
    [{ secret: 'short' }, 'secret'],
    [{ secret: 'x'.repeat(65) }, 'secret'],
    [{ secret: 'has space in it 123456' }, 'secret'],
    [{ template_lease_expiry: 'bad id!' }, 'template_lease_expiry'],
    [{ template_lease_expiry: 't'.repeat(65) }, 'template_lease_expiry'],
    [{ [`robot_${sz}`]: 'short' }, `robot_${sz}`],
    [{ [`robot_${sz}`]: 'k'.repeat(129) }, `robot_${sz}`],
  ];
  for (const [extra, field] of cases) {
    const r = await admin.post('/base/wechat', form({ secret: SECRET, ...extra }));
    assert.equal(r.status, 422, `${JSON.stringify(extra).slice(0, 60)} refused`);
    assertFieldError(r, field);
    assert.ok(!r.text.includes(SECRET), 'the typed secret is not echoed back');
    assert.match(r.text, /设置未保存/);
  }
  // One bad field among good ones: the good ones are not written either.
  const r = await admin.post('/base/wechat', form({ appid: 'wx0000000000000001', template_lease_expiry: 'TPL-good', [`robot_${sz}`]: 'x' }));
  assert.equal(r.status, 422);
  assert.equal(JSON.stringify([settings(), robots()]), before, 'nothing written');
});

test('test send: a template message to an openid and a robot message reach the fake WeChat', async () => {
  // The stack's fake server knows the configuration's credentials: use those.
  sql("DELETE FROM wx_settings WHERE name IN ('appid', 'secret')");
  sql('DELETE FROM wx_cache');
  sql("REPLACE INTO wx_settings (name, value, updated_at) VALUES ('template.lease_expiry', 'TPL-test-send', UTC_TIMESTAMP())");
  const seq = (await fake('requests')).seq;
  const r = await admin.post('/base/wechat/test', { channel: 'template', kind: 'lease_expiry', openid: 'oFAKE-admin' });
  assert.equal(r.status, 200);
  assert.match(r.text, /测试消息已发送。 msgid \d{19}/);
  const sent = (await fake(`delivered?since=${seq}&kind=template`)).delivered;
  assert.equal(sent.length, 1);
  assert.equal(sent[0].touser, 'oFAKE-admin');
  assert.equal(sent[0].template_id, 'TPL-test-send');
  assert.match(sent[0].client_msg_id, /^ca-test-[0-9a-f]{16}$/);

  const hz = scalar("SELECT id FROM companies WHERE code = 'CC-HZ'");
  sql('REPLACE INTO wx_robots (company_id, robot_key, updated_at) VALUES (?, ?, UTC_TIMESTAMP())', hz, 'admin-test-robot-key');
  const rb = await admin.post('/base/wechat/test', { channel: 'robot', company_id: hz });
  assert.match(rb.text, /测试消息已发送/);
  assert.ok(!rb.text.includes('admin-test-robot-key'));
  const robot = (await fake(`delivered?since=${seq}&kind=robot`)).delivered;
  assert.equal(robot.length, 1);
  assert.equal(robot[0].key, 'admin-test-robot-key');
  // WeChat's refusal is shown, not hidden.
  const bad = await admin.post('/base/wechat/test', { channel: 'robot', company_id: hz }, {});
  assert.equal(bad.status, 200);
  sql("UPDATE wx_robots SET robot_key = 'invalid-robot-key' WHERE company_id = ?", hz);
  const refused = await admin.post('/base/wechat/test', { channel: 'robot', company_id: hz });
  assert.match(refused.text, /测试消息发送失败：.*rejected.*93000/);
  // Bad test input.
  for (const [fields, field] of [
    [{ channel: 'template', kind: 'lease_expiry', openid: '' }, 'openid'],
    [{ channel: 'template', kind: 'lease_expiry', openid: 'o<script>' }, 'openid'],
    [{ channel: 'template', kind: 'nonsense', openid: 'oFAKE-admin' }, 'kind'],
    [{ channel: 'robot', company_id: 'abc' }, 'company_id'],
    [{ channel: 'robot', company_id: scalar("SELECT id FROM companies WHERE code = 'CC-WH'") }, 'company_id'],
    [{ channel: 'fax' }, 'channel'],
  ]) {
    const x = await admin.post('/base/wechat/test', fields);
    assert.equal(x.status, 422, JSON.stringify(fields));
    assertFieldError(x, field);
  }
  const after = (await fake(`delivered?since=${seq}`)).delivered;
  assert.equal(after.length, 3, 'refused input sent nothing');
});

test('the outbox lists rows with status and error; filters and pages hold', async () => {
  const n = scalar('SELECT MIN(id) FROM notices');
  const co = scalar('SELECT company_id FROM notices WHERE id = ?', n);
  const tag = uniq('ob');
  sql(`INSERT INTO notice_outbox (notice_id, channel, company_id, status, attempts, next_at, client_msg_id, created_at, last_errcode, last_error)
       VALUES (?, 'robot', ?, 'failed', 3, UTC_TIMESTAMP(), ?, UTC_TIMESTAMP(), 93000, 'rejected: invalid webhook url <b>x</b>')`, n, co, `${tag}-f`);
  sql(`INSERT INTO notice_outbox (notice_id, channel, company_id, status, attempts, next_at, client_msg_id, created_at, last_errcode, last_error)
       VALUES (?, 'robot', ?, 'deferred', 1, UTC_TIMESTAMP() + INTERVAL 1 HOUR, ?, UTC_TIMESTAMP(), 45009, 'rate_limited: api freq out of limit')`, n, co, `${tag}-d`);
  try {
    const all = await admin.get('/base/wechat/outbox');
    assert.ok(all.text.includes(`${tag}-f`) && all.text.includes(`${tag}-d`));
    assert.ok(all.text.includes('invalid webhook url &lt;b&gt;x&lt;/b&gt;'), 'errors shown, escaped');
    const failed = await admin.get('/base/wechat/outbox?status=failed&channel=robot');
    assert.ok(failed.text.includes(`${tag}-f`));
    assert.ok(!failed.text.includes(`${tag}-d`), 'the status filter holds');
    assert.match(failed.text, /失败/);
    const other = scalar("SELECT id FROM companies WHERE kind = 'city' AND id <> ? ORDER BY id LIMIT 1", co);
    assert.ok(!(await admin.get(`/base/wechat/outbox?company_id=${other}`)).text.includes(tag), 'the company filter holds');
    for (const q of ['status=nonsense', 'page=abc', 'page=-1', 'company_id=x', 'page=999999']) {
      assert.equal((await admin.get(`/base/wechat/outbox?${q}`)).status, 200, `${q} is tolerated`);
    }
    // Sending a failed row again: due now, tries counted afresh, recorded; a sent row is refused.
    const failedId = scalar('SELECT id FROM notice_outbox WHERE client_msg_id = ?', `${tag}-f`);
    assert.match(all.text, new RegExp(`action="/base/wechat/outbox/${failedId}/retry"`));
    const ops = await as('ops');
    assert.equal((await ops.post(`/base/wechat/outbox/${failedId}/retry`, {})).status, 403);
    assert.equal((await admin.post(`/base/wechat/outbox/${failedId}/retry`, {}, { csrf: false })).status, 403);
    assert.equal(scalar('SELECT status FROM notice_outbox WHERE id = ?', failedId), 'failed', 'untouched by the refused');
    const again = await admin.post(`/base/wechat/outbox/${failedId}/retry`, {});
    assert.equal(again.status, 303);
    assert.deepEqual(sql('SELECT status, attempts, next_at <= UTC_TIMESTAMP() FROM notice_outbox WHERE id = ?', failedId)[0], ['pending', '0', '1']);
    assert.equal(scalar("SELECT COUNT(*) FROM audit_log WHERE entity = 'notice_outbox' AND entity_id = ? AND new_value = 'pending'", failedId), 1);
    sql("UPDATE notice_outbox SET status = 'sent', attempts = 1 WHERE id = ?", failedId);
    const refused = await admin.post(`/base/wechat/outbox/${failedId}/retry`, {});
    assert.equal(refused.status, 409);
    assert.match(refused.text, /不能重新发送/);
    assert.equal(scalar('SELECT status FROM notice_outbox WHERE id = ?', failedId), 'sent', 'a delivered row stays delivered');
    assert.equal((await admin.post('/base/wechat/outbox/99999999/retry', {})).status, 404);
    assert.equal((await admin.post('/base/wechat/outbox/abc/retry', {})).status, 404);
  } finally {
    sql('DELETE FROM notice_outbox WHERE client_msg_id LIKE ?', `${tag}-%`);
  }
});

test('every user has a notices page; reading is per user; acknowledging closes it', async () => {
  const sz = scalar("SELECT id FROM companies WHERE code = 'CC-SZ'");
  const st = scalar('SELECT MIN(id) FROM stations WHERE company_id = ?', sz);
  // Long overdue: first on the open list, whatever else is due.
  const due = `2001-0${1 + Math.floor(Math.random() * 9)}-1${Math.floor(Math.random() * 9)}`;
  sql("INSERT INTO notices (kind, station_id, company_id, due_on, created_at) VALUES ('lease_expiry', ?, ?, ?, UTC_TIMESTAMP())", st, sz, due);
  const id = scalar('SELECT id FROM notices WHERE station_id = ? AND due_on = ?', st, due);
  try {
    const ops = await as('ops');
    const leader = await as('leader');
    const insp2 = await as('inspector2');
    const supplier = await as('supplier');
    let page = await ops.get('/base/notices');
    assert.equal(page.status, 200);
    assert.match(page.text, new RegExp(`data-notice="${id}"`));
    assert.equal((await supplier.get('/base/notices')).status, 200, 'a supplier has the page too');
    assert.ok(!(await supplier.get('/base/notices')).text.includes(`data-notice="${id}"`), 'but not this notice');
    assert.ok(!(await insp2.get('/base/notices')).text.includes(`data-notice="${id}"`), "nor another company's user");
    assert.equal((await insp2.post(`/base/notices/${id}/read`, {})).status, 404, "another company's notice cannot be marked");
    assert.equal((await supplier.post(`/base/notices/${id}/read`, {})).status, 404);
    assert.equal((await ops.post('/base/notices/99999999/read', {})).status, 404);
    assert.equal((await ops.post(`/base/notices/${id}/read`, {}, { csrf: false })).status, 403);
    assert.equal(scalar('SELECT COUNT(*) FROM notice_reads WHERE notice_id = ?', id), 0, 'nothing marked by the refused');
    const read = await ops.post(`/base/notices/${id}/read`, {});
    assert.equal(read.status, 303);
    assert.equal((await ops.post(`/base/notices/${id}/read`, {})).status, 303, 'twice is harmless');
    assert.equal(scalar('SELECT COUNT(*) FROM notice_reads WHERE notice_id = ?', id), 1);
    page = await ops.get('/base/notices');
    assert.ok(page.text.includes(`data-notice="${id}"`) && !page.text.includes(`action="/base/notices/${id}/read"`), 'read for ops');
    const lp = await leader.get('/base/notices');
    assert.match(lp.text, new RegExp(`action="/base/notices/${id}/read"`), 'still unread for the leader');
    const ack = await ops.post(`/base/notices/${id}/ack`, { back: 'notices' });
    assert.equal(ack.status, 303);
    assert.equal(ack.headers.get('location'), '/base/notices?flash=acked');
    assert.ok(!(await leader.get('/base/notices')).text.includes(`data-notice="${id}"`), 'acknowledged: off the open list for all');
    assert.match((await leader.get('/base/notices?show=all')).text, new RegExp(`data-notice="${id}"`), 'kept under all');
  } finally {
    sql('DELETE FROM notices WHERE id = ?', id);
  }
});
