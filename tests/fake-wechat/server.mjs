#!/usr/bin/env node
// A fake WeChat server for tests and the demo, on loopback only (WECHAT.md §8.4).  It plays
// api.weixin.qq.com (token, ticket, OAuth code exchange, media, template and subscribe
// sends), open.weixin.qq.com (the OAuth authorize page) and qyapi.weixin.qq.com (group
// robots) on one port, answers the way WeChat does (HTTP 200 with errcode), records every
// request, and takes fault knobs and settings through /__fake/* control endpoints:
//
//   GET  /__fake/health                       {"ok":true}
//   GET  /__fake/requests?since=SEQ&route=R   {"seq":N,"requests":[{seq,at,method,route,path,query,body,answer}]}
//   GET  /__fake/delivered?since=SEQ&kind=K   {"seq":N,"delivered":[{seq,kind,touser|key,client_msg_id,msgid,body}]}
//   GET  /__fake/state                        counters, the current stable token, config
//   POST /__fake/reset                        forget requests, deliveries, faults, codes, tokens
//   POST /__fake/config   {expires_in, ticket_expires_in, appid, secret, robot_keys, users, ...}
//   POST /__fake/faults   {route, kind, errcode, status, delay_ms, count, match}
//   DELETE /__fake/faults
//   POST /__fake/oauth/next {openid}          the next authorize visit signs in as openid at once
//   POST /__fake/media    {media_id, base64?, content_type?}
//
// Fault kinds (each applies to the next `count` matching calls of `route`, or "any"; `match`
// is a substring the URL or body must contain): "errcode" (answer {errcode}; 40001/40014/42001
// also invalidate the current token, as WeChat would), "http" (answer HTTP `status`, 502 by
// default), "delay" (handle the request normally — a send IS delivered — but answer only after
// delay_ms, past the client's timeout), "truncate" (half of the JSON body), "close" (drop the
// connection without an answer).
//
// Usage: node tests/fake-wechat/server.mjs --port N [--host 127.0.0.1]
// Credentials: FAKE_WX_APPID / FAKE_WX_SECRET (or /__fake/config).  Node's stdlib only.
import http from 'node:http';
import { randomBytes } from 'node:crypto';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : dflt;
};
const port = Number(opt('port', process.env.FAKE_WX_PORT ?? 18999));
const host = opt('host', '127.0.0.1');

// The official JS-SDK example ticket, so WECHAT.md §10.1's vector works end to end.
const OFFICIAL_TICKET = 'sM4AOVdWfPE4DxkXGEs8VMCPGGVi4C3VM0P37wVUCFvkVAy_90u5h9nbSlYy3-Sl-HhTdfl2fzFy1AOcHKP7qg';
// A tiny valid JPEG (1x1) served for media ids starting with MEDIA.
const JPEG = Buffer.from(
  '/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////////////////////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/aAAgBAQABPxA=',
  'base64');
const MSGID_BASE = 3487542469355618313n; // > 2^53, as real msgids are

const defaults = () => ({
  appid: process.env.FAKE_WX_APPID ?? 'wxfake00000000demo',
  secret: process.env.FAKE_WX_SECRET ?? 'fake-secret',
  expires_in: 7200,
  ticket_expires_in: 7200,
  classic_grace_ms: 300000,
  robot_keys: [], // empty: any key except those starting with "invalid"
  robot_per_minute: 20,
  templates: [], // empty: any template id except those starting with "invalid"
  refused: [], // openids that refused subscribe notices (43101)
  users: [
    { openid: 'oFAKE-admin', name: '管理员 admin' },
    { openid: 'oFAKE-ops', name: '运维 ops' },
    { openid: 'oFAKE-inspector', name: '巡检员 inspector' },
    { openid: 'oFAKE-supplier', name: '供应商 supplier' },
    { openid: 'oFAKE-new', name: '新用户 (not linked)' },
  ],
});

let cfg = defaults();
let st;
function resetState() {
  st = {
    seq: 0,
    requests: [],
    delivered: [],
    faults: [],
    codes: new Map(), // code -> {openid, used, at}
    nextOpenid: [],
    media: new Map(),
    stable: null, // {value, expires_at}
    tokens: new Map(), // value -> expires_at (ms)
    tokenN: 0,
    ticketN: 0,
    msgN: 0n,
    dedupe: new Map(), // touser + client_msg_id -> {msgid, at}
    robotWindow: new Map(), // key -> [times]
  };
}
resetState();

const now = () => Date.now();

function newToken() {
  st.tokenN += 1;
  const value = `TOK-${st.tokenN}-${randomBytes(6).toString('hex')}`;
  const expires_at = now() + cfg.expires_in * 1000;
  st.tokens.set(value, expires_at);
  return { value, expires_at };
}

function tokenValid(t) {
  const exp = t && st.tokens.get(t);
  return exp !== undefined && exp > now();
}

function invalidateCurrent() {
  if (st.stable) {
    st.tokens.delete(st.stable.value);
    st.stable = null;
  }
}

function redact(url) {
  return url.replace(/(access_token|secret|key|code)=[^&]*/g, '$1=***');
}

function takeFault(route, url, body) {
  const i = st.faults.findIndex(
    (f) => (f.route === route || f.route === 'any') && f.count > 0 &&
      (!f.match || url.includes(f.match) || (body ?? '').includes(f.match)));
  if (i < 0) return null;
  const f = st.faults[i];
  f.count -= 1;
  if (f.count <= 0) st.faults.splice(i, 1);
  return f;
}

function readBody(req) {
  return new Promise((resolve) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', () => resolve(''));
  });
}

function parseJSON(text) {
  try {
    const v = JSON.parse(text);
    return v && typeof v === 'object' && !Array.isArray(v) ? v : null;
  } catch {
    return null;
  }
}

const err = (errcode, errmsg) => ({ errcode, errmsg: `${errmsg} rid: ${randomBytes(4).toString('hex')}-${randomBytes(4).toString('hex')}-${randomBytes(4).toString('hex')}` });

// ---------------------------------------------------------------- WeChat routes

function checkApp(appid, secret) {
  if (appid !== cfg.appid) return err(40013, 'invalid appid');
  if (secret !== cfg.secret) return err(40125, 'invalid appsecret');
  return null;
}

const routes = {
  stable_token(ctx) {
    if (ctx.method !== 'POST') return err(43002, 'require POST method');
    const b = ctx.json;
    if (!b) return err(47001, 'data format error');
    if (b.grant_type !== 'client_credential') return err(40002, 'invalid grant_type');
    const bad = checkApp(b.appid, b.secret);
    if (bad) return bad;
    // WeChat rotates the token in its last 5 minutes (for short test lives: its second half).
    const window = Math.min(300, cfg.expires_in / 2) * 1000;
    if (b.force_refresh === true || !st.stable || st.stable.expires_at - now() < window) {
      if (b.force_refresh === true) invalidateCurrent();
      st.stable = newToken();
    }
    return { access_token: st.stable.value, expires_in: Math.max(1, Math.round((st.stable.expires_at - now()) / 1000)) };
  },

  token(ctx) {
    const q = ctx.query;
    if (q.get('grant_type') !== 'client_credential') return err(40002, 'invalid grant_type');
    const bad = checkApp(q.get('appid'), q.get('secret'));
    if (bad) return bad;
    // Every call makes a new token; older ones die after a grace period.
    for (const [v, exp] of st.tokens) st.tokens.set(v, Math.min(exp, now() + cfg.classic_grace_ms));
    const t = newToken();
    return { access_token: t.value, expires_in: cfg.expires_in };
  },

  getticket(ctx) {
    const t = ctx.query.get('access_token');
    if (!t) return err(41001, 'access_token missing');
    if (!tokenValid(t)) return st.tokens.has(t) ? err(42001, 'access_token expired') : err(40001, 'invalid credential, access_token is invalid or not latest');
    if (ctx.query.get('type') !== 'jsapi') return err(40097, 'invalid args');
    st.ticketN += 1;
    return { errcode: 0, errmsg: 'ok', ticket: OFFICIAL_TICKET, expires_in: cfg.ticket_expires_in };
  },

  oauth(ctx) {
    const q = ctx.query;
    if (q.get('grant_type') !== 'authorization_code') return err(40002, 'invalid grant_type');
    const bad = checkApp(q.get('appid'), q.get('secret'));
    if (bad) return bad;
    const c = st.codes.get(q.get('code') ?? '');
    if (!c || now() - c.at > 300000) return err(40029, 'invalid code');
    if (c.used) return err(40163, 'code been used');
    c.used = true;
    const out = {
      access_token: `WEB-${randomBytes(8).toString('hex')}`, expires_in: 7200,
      refresh_token: `REF-${randomBytes(8).toString('hex')}`, openid: c.openid, scope: c.scope,
    };
    if (c.openid.startsWith('snapshot')) out.is_snapshotuser = 1;
    return out;
  },

  media(ctx) {
    const t = ctx.query.get('access_token');
    if (!tokenValid(t)) return st.tokens.has(t) ? err(42001, 'access_token expired') : err(40001, 'invalid credential');
    const id = ctx.query.get('media_id') ?? '';
    const m = st.media.get(id) ?? (id.startsWith('MEDIA') ? { data: JPEG, type: 'image/jpeg' } : null);
    if (!m) return err(40007, 'invalid media_id');
    return { raw: m.data, type: m.type, headers: { 'content-disposition': `attachment; filename="${id}.jpg"` } };
  },

  template(ctx) {
    if (ctx.method !== 'POST') return err(43002, 'require POST method');
    const t = ctx.query.get('access_token');
    if (!t) return err(41001, 'access_token missing');
    if (!tokenValid(t)) return st.tokens.has(t) ? err(42001, 'access_token expired') : err(40001, 'invalid credential, access_token is invalid or not latest');
    const b = ctx.json;
    if (!b || typeof b.data !== 'object' || b.data === null) return err(47001, 'data format error');
    if (typeof b.touser !== 'string' || !/^o[\w-]{5,}$/.test(b.touser)) return err(40003, 'invalid openid');
    if (typeof b.template_id !== 'string' || !b.template_id || b.template_id.startsWith('invalid') ||
      (cfg.templates.length && !cfg.templates.includes(b.template_id))) return err(40037, 'invalid template_id');
    for (const [k, v] of Object.entries(b.data)) {
      if (!v || typeof v.value !== 'string' || [...v.value].length > 20) return err(47003, `argument invalid! data.${k}.value invalid`);
    }
    if (b.client_msg_id) {
      const key = `${b.touser}\n${b.client_msg_id}`;
      const d = st.dedupe.get(key);
      if (d && now() - d.at < 600000) return { errcode: 0, errmsg: 'ok', msgid: { bigint: d.msgid } };
    }
    st.msgN += 1n;
    const msgid = MSGID_BASE + st.msgN;
    if (b.client_msg_id) st.dedupe.set(`${b.touser}\n${b.client_msg_id}`, { msgid, at: now() });
    deliver({ kind: 'template', touser: b.touser, template_id: b.template_id, client_msg_id: b.client_msg_id ?? null, msgid: msgid.toString(), body: b });
    return { errcode: 0, errmsg: 'ok', msgid: { bigint: msgid } };
  },

  bizsend(ctx) {
    if (ctx.method !== 'POST') return err(43002, 'require POST method');
    const t = ctx.query.get('access_token');
    if (!tokenValid(t)) return st.tokens.has(t) ? err(42001, 'access_token expired') : err(40001, 'invalid credential');
    const b = ctx.json;
    if (!b || typeof b.data !== 'object' || b.data === null) return err(47001, 'data format error');
    if (typeof b.touser !== 'string' || !/^o[\w-]{5,}$/.test(b.touser)) return err(40003, 'invalid openid');
    if (typeof b.template_id !== 'string' || !b.template_id) return err(40037, 'invalid template_id');
    if (cfg.refused.includes(b.touser)) return err(43101, 'user refuse to accept the msg');
    deliver({ kind: 'bizsend', touser: b.touser, template_id: b.template_id, body: b });
    return { errcode: 0, errmsg: 'ok' };
  },

  webhook(ctx) {
    if (ctx.method !== 'POST') return err(43002, 'require POST method');
    const key = ctx.query.get('key') ?? '';
    if (!key || key.startsWith('invalid') || (cfg.robot_keys.length && !cfg.robot_keys.includes(key))) {
      return err(93000, 'invalid webhook url');
    }
    const b = ctx.json;
    if (!b || !['text', 'markdown', 'markdown_v2'].includes(b.msgtype) || typeof b[b.msgtype]?.content !== 'string') {
      return err(40008, 'invalid message type');
    }
    const max = b.msgtype === 'text' ? 2048 : 4096;
    if (Buffer.byteLength(b[b.msgtype].content) > max) return err(40058, 'content exceed max length');
    const win = (st.robotWindow.get(key) ?? []).filter((t) => now() - t < 60000);
    if (win.length >= cfg.robot_per_minute) {
      st.robotWindow.set(key, win);
      return err(45009, 'api freq out of limit');
    }
    win.push(now());
    st.robotWindow.set(key, win);
    deliver({ kind: 'robot', key, body: b });
    return { errcode: 0, errmsg: 'ok' };
  },
};

function deliver(d) {
  st.seq += 1;
  st.delivered.push({ seq: st.seq, at: new Date().toISOString(), ...d });
}

const apiPaths = {
  '/cgi-bin/stable_token': 'stable_token',
  '/cgi-bin/token': 'token',
  '/cgi-bin/ticket/getticket': 'getticket',
  '/sns/oauth2/access_token': 'oauth',
  '/cgi-bin/media/get': 'media',
  '/cgi-bin/message/template/send': 'template',
  '/cgi-bin/message/subscribe/bizsend': 'bizsend',
  '/cgi-bin/webhook/send': 'webhook',
};

// ---------------------------------------------------------------- OAuth authorize (browser)

const esc = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function issueCode(openid, scope) {
  const code = `CODE-${randomBytes(8).toString('hex')}`;
  st.codes.set(code, { openid, scope, used: false, at: now() });
  return code;
}

function redirectBack(res, redirectUri, params) {
  const u = new URL(redirectUri);
  for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
  res.writeHead(302, { location: u.toString(), 'cache-control': 'no-store' });
  res.end();
}

function authorize(ctx, res) {
  const q = ctx.query;
  const redirectUri = q.get('redirect_uri') ?? '';
  const state = q.get('state') ?? '';
  const scope = q.get('scope') ?? '';
  let problem = null;
  if (!q.get('appid')) problem = '10012 appid empty';
  else if (q.get('appid') !== cfg.appid) problem = '10016 appid not supported';
  else if (!redirectUri) problem = '10011 redirect_uri empty';
  else if (!/^https?:\/\//.test(redirectUri)) problem = '10003 redirect_uri域名与后台配置不一致';
  else if (q.get('response_type') !== 'code') problem = 'response_type must be code';
  else if (!scope) problem = '10010 scope empty';
  else if (!['snsapi_base', 'snsapi_userinfo'].includes(scope)) problem = '10005 scope not allowed';
  if (problem) {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><meta charset="utf-8"><title>授权错误</title><p class="error">${esc(problem)}</p>`);
    return;
  }
  if (ctx.path.endsWith('/confirm')) {
    if (q.get('deny')) return redirectBack(res, redirectUri, { state });
    const openid = (q.get('openid') ?? '').trim();
    if (!/^[\w-]{3,64}$/.test(openid)) {
      res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('bad openid');
      return;
    }
    return redirectBack(res, redirectUri, { code: issueCode(openid, scope), state });
  }
  const auto = q.get('openid') ?? st.nextOpenid.shift();
  if (auto) return redirectBack(res, redirectUri, { code: issueCode(auto, scope), state });
  // A page like WeChat's: choose who you are (a fake user) or refuse.
  const hidden = ['appid', 'redirect_uri', 'response_type', 'scope', 'state']
    .map((k) => `<input type="hidden" name="${k}" value="${esc(q.get(k) ?? '')}">`).join('');
  const users = cfg.users.map((u) =>
    `<button type="submit" name="openid" value="${esc(u.openid)}" class="user">${esc(u.name)}<small>${esc(u.openid)}</small></button>`).join('');
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(`<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>微信授权 (fake)</title>
<style>body{font-family:sans-serif;margin:0;background:#ededed}main{max-width:420px;margin:0 auto;padding:24px 16px}
h1{font-size:18px}p{color:#555;font-size:14px}.user{display:block;width:100%;margin:8px 0;padding:12px;border:0;border-radius:8px;background:#07c160;color:#fff;font-size:16px;text-align:left}
.user small{display:block;opacity:.8;font-size:12px}form.other{display:flex;gap:8px;margin-top:16px}input[type=text]{flex:1;padding:10px;font-size:16px}
a.deny{display:block;margin-top:20px;text-align:center;color:#576b95}</style></head>
<body><main><h1>微信网页授权 · 测试服务器</h1><p>fake WeChat: choose the WeChat user who opens the page (${esc(scope)}).</p>
<form method="get" action="/connect/oauth2/authorize/confirm">${hidden}${users}</form>
<form method="get" action="/connect/oauth2/authorize/confirm" class="other">${hidden}<input type="text" name="openid" placeholder="openid" aria-label="openid"><button type="submit">确定</button></form>
<a class="deny" href="/connect/oauth2/authorize/confirm?${new URLSearchParams({ ...Object.fromEntries(['appid', 'redirect_uri', 'response_type', 'scope', 'state'].map((k) => [k, q.get(k) ?? ''])), deny: '1' })}">拒绝</a>
</main></body></html>`);
}

// ---------------------------------------------------------------- control

function control(ctx, res) {
  const send = (status, obj) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
    res.end(toJSON(obj));
  };
  const since = Number(ctx.query.get('since') ?? 0);
  switch (`${ctx.method} ${ctx.path}`) {
    case 'GET /__fake/health':
      return send(200, { ok: true });
    case 'GET /__fake/requests': {
      const route = ctx.query.get('route');
      return send(200, { seq: st.seq, requests: st.requests.filter((r) => r.seq > since && (!route || r.route === route)) });
    }
    case 'GET /__fake/delivered': {
      const kind = ctx.query.get('kind');
      return send(200, { seq: st.seq, delivered: st.delivered.filter((d) => d.seq > since && (!kind || d.kind === kind)) });
    }
    case 'GET /__fake/state':
      return send(200, {
        seq: st.seq, tokens_issued: st.tokenN, tickets_issued: st.ticketN, stable_token: st.stable?.value ?? null,
        faults: st.faults, config: { ...cfg, secret: cfg.secret ? `…${cfg.secret.slice(-4)}` : '' },
      });
    case 'POST /__fake/reset':
      resetState();
      if (ctx.json?.config) cfg = defaults();
      return send(200, { ok: true });
    case 'POST /__fake/config':
      if (!ctx.json) return send(400, { error: 'JSON object expected' });
      for (const [k, v] of Object.entries(ctx.json)) {
        if (!(k in cfg)) return send(400, { error: `unknown setting ${k}` });
        cfg[k] = v;
      }
      return send(200, { ok: true });
    case 'POST /__fake/faults': {
      const f = ctx.json;
      const kinds = ['errcode', 'http', 'delay', 'truncate', 'close'];
      if (!f || !f.route || !kinds.includes(f.kind)) return send(400, { error: `route and kind (${kinds}) expected` });
      if (f.route !== 'any' && !Object.values(apiPaths).includes(f.route)) return send(400, { error: `unknown route ${f.route}` });
      st.faults.push({ count: 1, ...f });
      return send(200, { ok: true, faults: st.faults.length });
    }
    case 'DELETE /__fake/faults':
      st.faults = [];
      return send(200, { ok: true });
    case 'POST /__fake/oauth/next':
      if (!ctx.json?.openid) return send(400, { error: 'openid expected' });
      st.nextOpenid.push(String(ctx.json.openid));
      return send(200, { ok: true });
    case 'POST /__fake/media':
      if (!ctx.json?.media_id) return send(400, { error: 'media_id expected' });
      st.media.set(ctx.json.media_id, {
        data: ctx.json.base64 ? Buffer.from(ctx.json.base64, 'base64') : JPEG,
        type: ctx.json.content_type ?? 'image/jpeg',
      });
      return send(200, { ok: true });
    default:
      return send(404, { error: 'unknown control endpoint' });
  }
}

// ---------------------------------------------------------------- server

// JSON with int64 msgids written as bare numbers ({bigint: n} → n).
const toJSON = (obj) => JSON.stringify(obj, (k, v) => (v && typeof v === 'object' && typeof v.bigint === 'bigint' ? `@@${v.bigint}@@` : v))
  .replace(/"@@(\d+)@@"/g, '$1');

const server = http.createServer((req, res) => {
  handle(req, res).catch((e) => {
    console.error(`fake WeChat: ${e.stack}`);
    if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
    res.end('fake server error');
  });
});

async function handle(req, res) {
  const text = await readBody(req);
  const url = new URL(req.url, `http://${host}:${port}`);
  const ctx = { method: req.method, path: url.pathname, query: url.searchParams, text, json: parseJSON(text) };
  if (ctx.path.startsWith('/__fake/')) return control(ctx, res);
  if (ctx.path === '/connect/oauth2/authorize' || ctx.path === '/connect/oauth2/authorize/confirm') {
    console.log(`${new Date().toISOString()} ${req.method} ${redact(req.url)} (authorize)`);
    return authorize(ctx, res);
  }
  const route = apiPaths[ctx.path];
  st.seq += 1;
  const rec = {
    seq: st.seq, at: new Date().toISOString(), method: req.method, route: route ?? null, path: ctx.path,
    query: Object.fromEntries(url.searchParams), body: ctx.json ?? (text || null), answer: null, fault: null,
  };
  st.requests.push(rec);
  if (st.requests.length > 20000) st.requests.splice(0, 10000);
  const fault = route ? takeFault(route, req.url, text) : null;
  rec.fault = fault ? { ...fault } : null;
  let answer;
  let status = 200;
  if (!route) {
    status = 404;
    answer = err(-1, 'unknown path');
  } else if (fault?.kind === 'close') {
    console.log(`${rec.at} ${req.method} ${redact(req.url)} -> connection dropped (fault)`);
    req.socket.destroy();
    return;
  } else if (fault?.kind === 'http') {
    status = fault.status ?? 502;
    answer = null;
  } else if (fault?.kind === 'errcode') {
    if ([40001, 40014, 42001].includes(fault.errcode)) invalidateCurrent();
    answer = err(fault.errcode, fault.errmsg ?? 'injected fault');
  } else {
    answer = routes[route](ctx);
  }
  rec.answer = answer?.raw ? { raw: answer.type } : answer;
  console.log(`${rec.at} ${req.method} ${redact(req.url)} -> ${status} ${answer?.raw ? answer.type : `errcode ${answer?.errcode ?? 0}`}${fault ? ` (fault ${fault.kind})` : ''}`);
  const reply = () => {
    if (res.destroyed) return;
    if (status !== 200) {
      res.writeHead(status, { 'content-type': 'text/html' });
      res.end('<html><body>502 Bad Gateway</body></html>');
    } else if (answer.raw) {
      res.writeHead(200, { 'content-type': answer.type, 'content-length': answer.raw.length, ...answer.headers });
      res.end(answer.raw);
    } else {
      let body = toJSON(answer);
      if (fault?.kind === 'truncate') body = body.slice(0, Math.floor(body.length / 2));
      res.writeHead(200, { 'content-type': 'application/json; encoding=utf-8' });
      res.end(body);
    }
  };
  if (fault?.kind === 'delay') setTimeout(reply, fault.delay_ms ?? 15000);
  else reply();
}

server.keepAliveTimeout = 5000;
server.listen(port, host, () => console.log(`${new Date().toISOString()} fake WeChat listening on http://${host}:${port}/ (appid ${cfg.appid})`));
const stop = () => server.close(() => process.exit(0)) && setTimeout(() => process.exit(0), 1000).unref();
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
