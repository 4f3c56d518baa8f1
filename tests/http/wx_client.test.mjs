// The WeChat client of cgi/core/wechat.c against a fake WeChat server of this file's own
// (WECHAT.md §8.2–8.4): one token for all processes, refresh before expiry, the retry matrix,
// JS-SDK signing over the cached ticket, OAuth code exchange, media, robot, secrets kept out of
// the logs.  ca-wxctl is the client in a process of its own; two at once are two workers.
import { test, before, after } from 'node:test';
import { createHash } from 'node:crypto';
import { assert, sql, scalar } from './lib.mjs';
import { fakeWechat, deriveConf, wxctl, sleep, confValue, testConf } from './wx.mjs';

let fake, conf, fastConf;
const logs = [];
const ctl = async (c, ...args) => {
  const r = await wxctl(c, ...args);
  logs.push(r.stderr, r.stdout);
  return r;
};
const dropCache = () => sql('DELETE FROM wx_cache');
// The fake forgets its tokens on reset, so the shared cache goes too.
const fresh = async () => {
  await fake.ctl('POST', 'reset', {});
  dropCache();
};
const OFFICIAL_TICKET = 'sM4AOVdWfPE4DxkXGEs8VMCPGGVi4C3VM0P37wVUCFvkVAy_90u5h9nbSlYy3-Sl-HhTdfl2fzFy1AOcHKP7qg';

before(async () => {
  fake = await fakeWechat();
  const bases = { 'WeChat.api_base': fake.url, 'WeChat.open_base': fake.url, 'WeChat.wecom_base': fake.url };
  conf = deriveConf({ ...bases, 'WeChat.backoff_ms': 100 });
  fastConf = deriveConf({ ...bases, 'WeChat.backoff_ms': 100, 'WeChat.timeout_ms': 700 });
  // The administrator's settings would win over the configuration: none here.
  sql("DELETE FROM wx_settings WHERE name IN ('appid', 'secret')");
  dropCache();
});

after(async () => {
  await fake?.stop();
});

test('two processes at once fetch the token once, and later calls use the cache', async () => {
  await fresh();
  // A slow token endpoint makes the two processes overlap.
  await fake.fault({ route: 'stable_token', kind: 'delay', delay_ms: 700, count: 2 });
  const [a, b] = await Promise.all([ctl(conf, 'token'), ctl(conf, 'token')]);
  assert.equal(a.code, 0, a.stdout + a.stderr);
  assert.equal(b.code, 0, b.stdout + b.stderr);
  assert.equal((await fake.requests('stable_token')).length, 1, 'one stable_token request for both');
  assert.equal(a.stdout.split(' ')[2], b.stdout.split(' ')[2], 'both hold the same token (masked)');
  const c = await ctl(conf, 'token');
  assert.equal(c.code, 0);
  assert.equal((await fake.requests('stable_token')).length, 1, 'a third process still uses the cache');
  assert.equal(scalar("SELECT COUNT(*) FROM wx_cache WHERE kind = 'token'"), 1, 'one shared record');
  const body = (await fake.requests('stable_token'))[0].body;
  assert.equal(body.grant_type, 'client_credential');
  assert.equal(body.force_refresh, false, 'never force_refresh');
});

test('a token is refreshed once, shortly before it expires', async () => {
  await fresh();
  await fake.config({ expires_in: 10 });
  try {
    assert.equal((await ctl(conf, 'token')).code, 0);
    assert.equal((await ctl(conf, 'token')).code, 0);
    assert.equal((await fake.requests('stable_token')).length, 1, 'fresh: fetched once');
    await sleep(5300); // refresh point: half of a short life (300 s before a normal one)
    const [a, b] = await Promise.all([ctl(conf, 'token'), ctl(conf, 'token')]);
    assert.equal(a.code + b.code, 0);
    assert.equal((await fake.requests('stable_token')).length, 2, 'exactly one refresh');
    assert.equal((await ctl(conf, 'token')).code, 0);
    assert.equal((await fake.requests('stable_token')).length, 2, 'and then the cache again');
  } finally {
    await fake.config({ expires_in: 7200 });
  }
});

const send = (c, id, ...kv) => ctl(c, 'template', 'oFAKE-ops', 'TPL-test', id, 'thing1=站点 CP-0001', 'time2=2026-01-01', ...kv);

test('40001 from an API: one refresh and one retry', async () => {
  await fresh();
  assert.equal((await ctl(conf, 'token')).code, 0);
  await fake.fault({ route: 'template', kind: 'errcode', errcode: 40001, count: 1 });
  const r = await send(conf, 'wxc-40001');
  assert.equal(r.code, 0, r.stdout);
  assert.equal((await fake.requests('template')).length, 2, 'the send was retried once');
  assert.equal((await fake.requests('stable_token')).length, 2, 'after one refresh');
  const [first, second] = await fake.requests('template');
  assert.notEqual(first.query.access_token, second.query.access_token, 'with the new token');
  assert.equal((await fake.delivered('template')).length, 1, 'delivered once');
});

test('42001 and 40014 likewise; a token refused again is not retried a second time', async () => {
  await fresh();
  await fake.fault({ route: 'template', kind: 'errcode', errcode: 42001, count: 1 });
  assert.equal((await send(conf, 'wxc-42001')).code, 0);
  assert.equal((await fake.requests('template')).length, 2);
  await fresh();
  await fake.fault({ route: 'template', kind: 'errcode', errcode: 40014, count: 5 });
  const r = await send(conf, 'wxc-40014');
  assert.equal(r.code, 2);
  assert.match(r.stdout, /^error token_refused errcode 40014/);
  assert.equal((await fake.requests('template')).length, 2, 'never a loop: two sends in all');
  await fake.ctl('DELETE', 'faults');
});

test('45009 is not retried: reported as rate-limited for the caller to try later', async () => {
  await fresh();
  await fake.fault({ route: 'template', kind: 'errcode', errcode: 45009, count: 1 });
  const r = await send(conf, 'wxc-45009');
  assert.equal(r.code, 2);
  assert.match(r.stdout, /^error rate_limited errcode 45009/);
  assert.equal((await fake.requests('template')).length, 1, 'one request only');
  assert.equal((await fake.delivered('template')).length, 0);
});

test('system busy (-1), HTTP 502 and a truncated body are retried with backoff', async () => {
  for (const f of [{ kind: 'errcode', errcode: -1 }, { kind: 'http', status: 502 }, { kind: 'truncate' }]) {
    await fresh();
    await fake.fault({ route: 'template', ...f, count: 1 });
    const r = await send(conf, `wxc-retry-${f.kind}`);
    assert.equal(r.code, 0, `${f.kind}: ${r.stdout}`);
    const reqs = await fake.requests('template');
    assert.equal(reqs.length, 2, `${f.kind}: a second try`);
    assert.equal((await fake.delivered('template')).length, 1, `${f.kind}: delivered once`);
  }
  await fresh();
  await fake.fault({ route: 'template', kind: 'http', status: 502, count: 10 });
  const r = await send(conf, 'wxc-502s');
  assert.match(r.stdout, /^error transport_error/);
  assert.equal((await fake.requests('template')).length, 3, 'three tries at most');
  await fake.ctl('DELETE', 'faults');
});

test('a send that times out is retried with the same client_msg_id and delivered once', async () => {
  await fresh();
  // The fake delivers, then answers after the client gave up (timeout 700 ms).
  await fake.fault({ route: 'template', kind: 'delay', delay_ms: 1500, count: 1 });
  const r = await send(fastConf, 'wxc-timeout');
  assert.equal(r.code, 0, r.stdout);
  const reqs = await fake.requests('template');
  assert.equal(reqs.length, 2, 'sent twice');
  assert.equal(reqs[0].body.client_msg_id, 'wxc-timeout');
  assert.equal(reqs[1].body.client_msg_id, 'wxc-timeout', 'with the same idempotency key');
  assert.equal((await fake.delivered('template')).length, 1, 'one message reached the user');
  assert.match(r.stdout, /msgid 34875424693556\d{5}/, 'an int64 msgid beyond 2^53 kept exactly');
});

test('configuration errors on the token fetch are not retried', async () => {
  await fresh();
  await fake.config({ secret: 'another-secret' });
  try {
    const r = await ctl(conf, 'token');
    assert.equal(r.code, 2);
    assert.match(r.stdout, /^error config_error errcode 40125/);
    assert.equal((await fake.requests('stable_token')).length, 1);
  } finally {
    await fake.config({ secret: confValue(testConf, 'WeChat.secret') });
  }
  await fake.config({ appid: 'wxsomeoneelse' });
  try {
    const r = await ctl(conf, 'token');
    assert.match(r.stdout, /^error config_error errcode 40013/);
  } finally {
    await fake.config({ appid: confValue(testConf, 'WeChat.appid') });
  }
});

test('JS-SDK config: signed over the cached jsapi_ticket, fragment stripped', async () => {
  await fresh();
  const page = 'https://ops.example.com/wx/scan?pile=CP-0001&site=S12#/step2';
  const r = await ctl(conf, 'jsconfig', page);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const js = JSON.parse(r.stdout.slice(3));
  assert.equal(js.appId, confValue(testConf, 'WeChat.appid'));
  assert.match(js.nonceStr, /^[A-Za-z0-9]{16}$/);
  assert.ok(Math.abs(js.timestamp - Date.now() / 1000) < 60);
  const s1 = `jsapi_ticket=${OFFICIAL_TICKET}&noncestr=${js.nonceStr}&timestamp=${js.timestamp}&url=https://ops.example.com/wx/scan?pile=CP-0001&site=S12`;
  assert.equal(js.signature, createHash('sha1').update(s1).digest('hex'));
  const again = await ctl(conf, 'jsconfig', page);
  assert.equal(again.code, 0);
  assert.notEqual(JSON.parse(again.stdout.slice(3)).nonceStr, js.nonceStr, 'a fresh nonce each time');
  assert.equal((await fake.requests('getticket')).length, 1, 'the ticket is fetched once');
  assert.equal((await fake.requests('stable_token')).length, 1);
  // A ticket fetch refused for the token: refresh the token, then the ticket.
  await fresh();
  await fake.fault({ route: 'getticket', kind: 'errcode', errcode: 40001, count: 1 });
  assert.equal((await ctl(conf, 'ticket')).code, 0);
  assert.equal((await fake.requests('getticket')).length, 2);
  assert.equal((await fake.requests('stable_token')).length, 2);
});

async function oauthCode(openid) {
  const appid = confValue(testConf, 'WeChat.appid');
  const q = new URLSearchParams({ appid, redirect_uri: 'http://127.0.0.1:1/wx/oauth', response_type: 'code', scope: 'snsapi_base', state: 'S1', openid });
  const r = await fetch(`${fake.url}/connect/oauth2/authorize?${q}`, { redirect: 'manual' });
  assert.equal(r.status, 302);
  const loc = new URL(r.headers.get('location'));
  assert.equal(loc.searchParams.get('state'), 'S1');
  return loc.searchParams.get('code');
}

test('OAuth: a code gives the openid once; a used or unknown code is refused', async () => {
  const code = await oauthCode('oFAKE-inspector');
  const r = await ctl(conf, 'oauth', code);
  assert.equal(r.stdout.trim(), 'ok oFAKE-inspector');
  const again = await ctl(conf, 'oauth', code);
  assert.match(again.stdout, /^error rejected/, 'a code is single-use (40163)');
  assert.match((await ctl(conf, 'oauth', 'CODE-nonsense')).stdout, /^error rejected/, 'unknown code (40029)');
  const snap = await oauthCode('snapshot-user');
  assert.match((await ctl(conf, 'oauth', snap)).stdout, /^error rejected/, 'a snapshot-mode virtual user is refused');
  const [req] = (await fake.requests('oauth')).slice(-1);
  assert.equal(req.query.grant_type, 'authorization_code');
});

test('the authorize page lets a browser choose a fake user, or refuse', async () => {
  const appid = confValue(testConf, 'WeChat.appid');
  const q = new URLSearchParams({ appid, redirect_uri: 'http://127.0.0.1:1/wx/oauth?x=1', response_type: 'code', scope: 'snsapi_base', state: 'S2' });
  const page = await fetch(`${fake.url}/connect/oauth2/authorize?${q}`);
  const html = await page.text();
  assert.match(html, /oFAKE-ops/);
  const chosen = await fetch(`${fake.url}/connect/oauth2/authorize/confirm?${q}&openid=oFAKE-ops`, { redirect: 'manual' });
  const loc = new URL(chosen.headers.get('location'));
  assert.equal(loc.searchParams.get('x'), '1', 'the redirect_uri query is kept');
  assert.match(loc.searchParams.get('code'), /^CODE-/);
  const denied = await fetch(`${fake.url}/connect/oauth2/authorize/confirm?${q}&deny=1`, { redirect: 'manual' });
  const dl = new URL(denied.headers.get('location'));
  assert.equal(dl.searchParams.get('code'), null, 'refusing gives no code');
  assert.equal(dl.searchParams.get('state'), 'S2');
});

test('media: an image is downloaded, an expired id is refused', async () => {
  const r = await ctl(conf, 'media', 'MEDIA-photo-1');
  assert.match(r.stdout, /^ok \d+ bytes image\/jpeg/);
  assert.match((await ctl(conf, 'media', 'EXPIRED-1')).stdout, /^error rejected errcode 40007/);
});

test('subscribe notice (bizsend): sent once; a refused opt-in (43101) is not retried', async () => {
  await fresh();
  const ok = await ctl(conf, 'subscribe', 'oFAKE-ops', 'SUB-1', '巡检计划已派发');
  assert.equal(ok.code, 0, ok.stdout);
  const [d] = await fake.delivered('bizsend');
  assert.equal(d.body.data.thing1.value, '巡检计划已派发');
  await fake.config({ refused: ['oFAKE-refuser'] });
  try {
    const r = await ctl(conf, 'subscribe', 'oFAKE-refuser', 'SUB-1', 'x');
    assert.match(r.stdout, /^error rejected errcode 43101/);
    assert.equal((await fake.requests('bizsend')).length, 2, 'one request each');
  } finally {
    await fake.config({ refused: [] });
  }
});

test('WeCom robot: sent; a bad key is refused; 20 a minute, then 45009', async () => {
  await fresh();
  assert.equal((await ctl(conf, 'robot', 'robot-key-1', '**测试** 消息')).code, 0);
  const [d] = await fake.delivered('robot');
  assert.equal(d.body.msgtype, 'markdown');
  assert.equal(d.body.markdown.content, '**测试** 消息');
  assert.match((await ctl(conf, 'robot', 'invalid-key', 'x')).stdout, /^error rejected errcode 93000/);
  await fake.config({ robot_per_minute: 1 });
  try {
    const r = await ctl(conf, 'robot', 'robot-key-1', 'again');
    assert.match(r.stdout, /^error rate_limited errcode 45009/);
    assert.equal((await fake.requests('webhook')).filter((q) => q.query.key === 'robot-key-1').length, 2, 'not retried');
  } finally {
    await fake.config({ robot_per_minute: 20 });
  }
});

test('no secret, token, ticket or robot key ever reaches a log line', async () => {
  const text = logs.join('\n');
  assert.ok(text.includes('wx POST /cgi-bin/stable_token'), 'the client does log its calls');
  assert.ok(text.includes('access_token=***'), 'with the token redacted');
  const secret = confValue(testConf, 'WeChat.secret');
  assert.ok(!text.includes(secret), 'the AppSecret');
  const tokens = sql('SELECT value FROM wx_cache').map((r) => r[0]);
  for (const t of tokens) assert.ok(!text.includes(t), 'a cached token or ticket');
  assert.ok(!/TOK-\d+-[0-9a-f]{12}/.test(text), 'any token of the fake server');
  assert.ok(!text.includes(OFFICIAL_TICKET), 'the jsapi_ticket');
  assert.ok(!text.includes('robot-key-1'), 'the robot key');
});
