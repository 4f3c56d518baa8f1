// Request parsing and error answers (cgi/core/req.c, cgi/core/app.c): malformed bodies of
// every kind are refused with a 4xx before any handler runs, so a valid city carried in the
// same body is never created; the JSON API lists and creates; unknown paths and methods get
// plain error pages that leak nothing; and one worker process never mixes up the users of
// consecutive requests.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Client, as, sql, scalar, uniq } from './lib.mjs';

let admin;
const codes = [];	// city codes this file may have created

before(async () => {
  admin = await as('admin');
});

after(() => {
  for (const code of codes) sql('DELETE FROM cities WHERE code = ?', code);
});

/** A fresh, valid city: code (12 chars at most), name, province. */
function city() {
  const code = `r${uniq('').slice(-10)}`.toLowerCase();
  codes.push(code);
  return { code, name: `健壮性${code}`, province: '测试省' };
}

const cityCount = (code) => scalar('SELECT COUNT(*) FROM cities WHERE code = ?', code);

/** urlencoded text of a city plus the session's token. */
function cityForm(c) {
  return new URLSearchParams({ ...c, _csrf: admin.csrf }).toString();
}

function post(body, contentType, { client = admin, json = false } = {}) {
  return client.request('POST', '/base/cities', { body, json, headers: { 'content-type': contentType } });
}

/** An error page that tells the user what happened and nothing about the inside. */
function assertNoInternals(res) {
  for (const leak of [/\.c\b/, /\.cs\b/, /\.hdf\b/, /SELECT\s/i, /INSERT\s/i, /Traceback/, /MariaDB|MySQL/i,
    /\/work\//, /var\/run/, /Segmentation|AddressSanitizer/, /yajl/i, /ClearSilver/i, /stack/i]) {
    assert.doesNotMatch(res.text, leak, `the page reveals ${leak}`);
  }
}

const FORM = 'application/x-www-form-urlencoded';

test('a valid urlencoded city is created (the control for the refusals below)', async () => {
  const c = city();
  const res = await post(cityForm(c), FORM);
  assert.equal(res.status, 303);
  assert.equal(cityCount(c.code), 1);
});

test('invalid percent-encoding is a 400 and writes nothing', async () => {
  for (const bad of ['a=%zz', 'a=%4', 'a=%', '%zz=1']) {
    const c = city();
    const res = await post(`${cityForm(c)}&${bad}`, FORM);
    assert.equal(res.status, 400, bad);
    assert.match(res.text, /请求格式不正确/);
    assertNoInternals(res);
    assert.equal(cityCount(c.code), 0, bad);
  }
});

test('invalid UTF-8 in a value is a 400 and writes nothing', async () => {
  // Raw bytes 0xC0 0xAF (an overlong "/") in the body.
  let c = city();
  const raw = Buffer.concat([
    Buffer.from(`code=${c.code}&province=${encodeURIComponent(c.province)}&_csrf=${admin.csrf}&name=x`),
    Buffer.from([0xc0, 0xaf]),
  ]);
  let res = await post(raw, FORM);
  assert.equal(res.status, 400);
  assert.equal(cityCount(c.code), 0);
  // The same bytes percent-encoded, and a lone continuation byte.
  for (const bad of ['%C0%AF', '%80', '%ED%A0%80', '%F8%88%80%80%80']) {
    c = city();
    res = await post(`${cityForm({ ...c, name: 'x' })}`.replace('name=x', `name=x${bad}`), FORM);
    assert.equal(res.status, 400, bad);
    assert.equal(cityCount(c.code), 0, bad);
  }
});

test('a NUL byte in a field is a 400 and writes nothing', async () => {
  const c = city();
  let res = await post(`${cityForm({ ...c, name: 'x' })}`.replace('name=x', 'name=a%00b'), FORM);
  assert.equal(res.status, 400);
  assert.equal(cityCount(c.code), 0);
  res = await post(`${cityForm(c)}&na%00me=1`, FORM);
  assert.equal(res.status, 400, 'NUL in a name');
  assert.equal(cityCount(c.code), 0);
  res = await post(JSON.stringify({ ...c, name: 'a\u0000b', _csrf: admin.csrf }), 'application/json');
  assert.equal(res.status, 400, 'NUL in a JSON string');
  assert.equal(cityCount(c.code), 0);
  res = await post(JSON.stringify({ ...c, 'na\u0000me': 'x', _csrf: admin.csrf }), 'application/json');
  assert.equal(res.status, 400, 'NUL in a JSON member name');
  assert.equal(cityCount(c.code), 0);
  // A backslash followed by "u0000" is text, not a NUL.
  const d = city();
  res = await post(JSON.stringify({ ...d, name: 'a\\u0000b', _csrf: admin.csrf }), 'application/json');
  assert.equal(res.status, 303, 'an escaped backslash before u0000 is fine');
  assert.equal(scalar('SELECT name FROM cities WHERE code = ?', d.code), 'a\\u0000b');
});

test('a query string with bad encoding is a 400', async () => {
  const res = await admin.get('/base/cities?q=%zz');
  assert.equal(res.status, 400);
  const res2 = await admin.get('/base/cities?q=%C0%AF');
  assert.equal(res2.status, 400);
});

test('JSON bodies: not an object, nested values, malformed: 400 and nothing written', async () => {
  const cases = [
    (c) => JSON.stringify([{ ...c, _csrf: admin.csrf }]),
    () => '"just a string"',
    () => '42',
    () => 'null',
    (c) => JSON.stringify({ ...c, name: { zh: c.name }, _csrf: admin.csrf }),
    (c) => JSON.stringify({ ...c, province: [c.province], _csrf: admin.csrf }),
    (c) => `{"code": "${c.code}", "name": "${c.name}", `,
    (c) => `{"code": "${c.code}", "name": "${c.name}", "province": "x", "_csrf": "${admin.csrf}"} trailing`,
    (c) => `{'code': '${c.code}'}`,
    () => '',
  ];
  for (const make of cases) {
    const c = city();
    const body = make(c);
    const res = await post(body, 'application/json', { json: true });
    if (body === '') {
      // No body at all is not malformed: the POST is judged on its (missing) token.
      assert.equal(res.status, 403);
      continue;
    }
    assert.equal(res.status, 400, body);
    assert.match(res.headers.get('content-type'), /^application\/json/);
    assert.equal(res.json().status, 400);
    assert.equal(cityCount(c.code), 0, body);
  }
});

test('an unknown Content-Type is a 415', async () => {
  for (const type of ['text/plain', 'application/xml', 'application/octet-stream']) {
    const c = city();
    const res = await post(cityForm(c), type);
    assert.equal(res.status, 415, type);
    assert.match(res.text, /不支持的提交格式/);
    assertNoInternals(res);
    assert.equal(cityCount(c.code), 0);
  }
});

/** multipart/form-data text of fields with the given boundary. */
function multipart(fields, boundary) {
  let s = '';
  for (const [k, v] of Object.entries(fields)) {
    s += `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`;
  }
  return `${s}--${boundary}--\r\n`;
}

test('multipart: a valid body creates, a broken boundary is a 400', async () => {
  let c = city();
  let res = await post(Buffer.from(multipart({ ...c, _csrf: admin.csrf }, 'b0undary')),
    'multipart/form-data; boundary=b0undary');
  assert.equal(res.status, 303, 'the control multipart body is accepted');
  assert.equal(cityCount(c.code), 1);

  const broken = [
    ['multipart/form-data; boundary=XYZ', (f) => multipart(f, 'ABC')],
    ['multipart/form-data', (f) => multipart(f, 'ABC')],
    ['multipart/form-data; boundary=', (f) => multipart(f, 'ABC')],
    ['multipart/form-data; boundary=ABC', (f) => multipart(f, 'ABC').replace(/\r\n--ABC--\r\n$/, '')],
    ['multipart/form-data; boundary=ABC', (f) => multipart(f, 'ABC').replace(/Content-Disposition[^\r]*\r\n/, '')],
    ['multipart/form-data; boundary=ABC', (f) => multipart(f, 'ABC').replace(/\r\n\r\n/, '\r\n')],
    [`multipart/form-data; boundary=${'x'.repeat(71)}`, (f) => multipart(f, 'x'.repeat(71))],
  ];
  for (const [type, make] of broken) {
    c = city();
    res = await post(Buffer.from(make({ ...c, _csrf: admin.csrf })), type);
    assert.equal(res.status, 400, type);
    assert.equal(cityCount(c.code), 0, type);
  }
});

test('a body over 2 MB is a 413, and so is one field over 64 KB', async () => {
  let c = city();
  let res = await post(`${cityForm(c)}&pad=${'x'.repeat(2 * 1024 * 1024 + 10)}`, FORM);
  assert.equal(res.status, 413);
  assert.equal(cityCount(c.code), 0);
  c = city();
  res = await post(`${cityForm(c)}&pad=${'x'.repeat(65 * 1024)}`, FORM);
  assert.equal(res.status, 413);
  assert.match(res.text, /提交的内容过大/);
  assert.equal(cityCount(c.code), 0);
});

test('over 200 parameters is a 413; exactly 200 is accepted', async () => {
  let c = city();
  // The city's 3 fields and the token are 4 parameters.
  const pad = (n) => Array.from({ length: n }, (_, i) => `p${i}=1`).join('&');
  let res = await post(`${cityForm(c)}&${pad(197)}`, FORM);
  assert.equal(res.status, 413);
  assert.equal(cityCount(c.code), 0);
  c = city();
  res = await post(`${cityForm(c)}&${pad(196)}`, FORM);
  assert.equal(res.status, 303, '200 parameters are within the limit');
  assert.equal(cityCount(c.code), 1);
  // JSON members count the same way.
  c = city();
  const obj = { ...c, _csrf: admin.csrf };
  for (let i = 0; i < 197; i++) obj[`p${i}`] = 1;
  res = await post(JSON.stringify(obj), 'application/json', { json: true });
  assert.equal(res.status, 413);
  assert.equal(cityCount(c.code), 0);
});

test('JSON API: the product list is JSON with rows and total', async () => {
  const n1 = scalar('SELECT COUNT(*) FROM products');
  const res = await admin.get('/base/products', { json: true });
  const n2 = scalar('SELECT COUNT(*) FROM products');
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /^application\/json/);
  assert.doesNotMatch(res.text, /<\//, 'no "</" in JSON');
  const body = res.json();
  assert.ok(Array.isArray(body.rows), 'rows is an array');
  assert.match(String(body.total), /^\d+$/);
  const total = Number(body.total);
  assert.ok(total >= Math.min(n1, n2) && total <= Math.max(n1, n2), `total ${total} vs ${n1}..${n2}`);
  assert.equal(body.rows.length, Math.min(total, Number(body.per)));
  const model = sql('SELECT model FROM products ORDER BY id LIMIT 1')[0][0];
  const all = await admin.get(`/base/products?q=${encodeURIComponent(model)}`, { json: true });
  assert.ok(all.json().rows.some((r) => r.model === model), `the search finds ${model}`);
  for (const row of body.rows) {
    assert.match(String(row.id), /^\d+$/);
    assert.equal(typeof row.model, 'string');
  }
  // ?format=json is the same as the Accept header.
  const viaQuery = await admin.get('/base/products?format=json');
  assert.equal(viaQuery.status, 200);
  assert.ok(Array.isArray(viaQuery.json().rows));
  // A browser's Accept header gets HTML.
  const html = await admin.get('/base/products', { headers: { accept: 'text/html,application/json' } });
  assert.match(html.headers.get('content-type'), /^text\/html/);
});

test('JSON API: creating a city answers 200 JSON with ok and location', async () => {
  const c = city();
  const res = await admin.request('POST', '/base/cities', {
    body: JSON.stringify({ ...c, lat: 31.3, _csrf: admin.csrf }),
    json: true,
    headers: { 'content-type': 'application/json' },
  });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /^application\/json/);
  const body = res.json();
  assert.equal(String(body.ok), '1');
  assert.equal(body.location, '/base/cities?flash=created');
  const row = sql('SELECT name, province, lat FROM cities WHERE code = ?', c.code);
  assert.equal(row.length, 1);
  assert.deepEqual(row[0], [c.name, c.province, '31.300000']);
});

test('JSON API: a create with errors answers 422 JSON with the field errors', async () => {
  const c = city();
  const res = await admin.request('POST', '/base/cities', {
    body: JSON.stringify({ code: `${c.code} !`, name: '', province: c.province, lat: 91, _csrf: admin.csrf }),
    json: true,
    headers: { 'content-type': 'application/json' },
  });
  assert.equal(res.status, 422);
  const body = res.json();
  assert.equal(body.status, 422);
  assert.ok(body.errors, 'errors present');
  assert.equal(typeof body.errors.code, 'string');
  assert.ok(body.errors.code.length > 0);
  assert.equal(typeof body.errors.name, 'string');
  assert.equal(typeof body.errors.lat, 'string');
  assert.equal(body.errors.province, undefined, 'a valid field has no error');
  assert.equal(cityCount(`${c.code} !`), 0);
  assert.equal(cityCount(c.code), 0);
});

test('an unknown path is a 404 page without internals', async () => {
  const anon = new Client();
  for (const [client, path] of [[admin, '/base/no-such-page'], [admin, '/base/cities/999999999/edit'],
    [admin, '/base/cities/abc/edit'], [admin, "/base/cities/1'%20OR%201=1/edit"], [anon, '/base/no-such-page/x']]) {
    const res = await client.get(path);
    assert.equal(res.status, 404, path);
    assert.match(res.headers.get('content-type'), /^text\/html/);
    assert.match(res.text, /页面或记录不存在/);
    assert.match(res.text, /class="error-code">404</);
    assertNoInternals(res);
  }
  const json = await admin.get('/base/no-such-page', { json: true });
  assert.equal(json.status, 404);
  assert.equal(json.json().status, 404);
  const outside = await fetch(new URL('/no-such-module/', process.env.CA_BASE_URL ?? 'http://127.0.0.1:8080'));
  assert.equal(outside.status, 404);
  assertNoInternals({ text: await outside.text() });
});

test('a wrong method is a 405', async () => {
  for (const [method, path] of [['PUT', '/base/cities'], ['DELETE', '/base/cities'], ['PATCH', '/base/cities'],
    ['GET', '/base/logout'], ['POST', '/base/roles'], ['GET', '/base/users/1/delete'], ['DELETE', '/base/users/1']]) {
    const res = await admin.request(method, path, method === 'POST' ? {
      body: `_csrf=${admin.csrf}`, headers: { 'content-type': FORM },
    } : {});
    assert.equal(res.status, 405, `${method} ${path}`);
    assert.match(res.text, /不支持该请求方式/);
    assertNoInternals(res);
  }
});

test('requests of different users in a row each see their own user', async () => {
  const inspector = await as('inspector');
  const chip = (res) => (res.text.match(/<span class="user-chip"[^>]*>([^<]*)<\/span>/) ?? [])[1];
  const wantAdmin = '系统管理员 · 系统管理员';
  const wantInspector = '王磊 · 巡检员';
  for (let i = 0; i < 20; i++) {
    const a = await admin.get('/base/');
    const b = await inspector.get('/base/');
    assert.equal(a.status, 200);
    assert.equal(b.status, 200);
    assert.equal(chip(a), wantAdmin, `admin, round ${i}`);
    assert.equal(chip(b), wantInspector, `inspector, round ${i}`);
    // The inspector never gets the admin's menu, nor its data.
    assert.ok(!b.text.includes('href="/base/users"'), `inspector page without admin menu, round ${i}`);
    const x = await inspector.get('/base/users');
    assert.equal(x.status, 403, `inspector refused, round ${i}`);
  }
  // The same at once: both in flight together.
  for (let i = 0; i < 20; i++) {
    const [a, b, c] = await Promise.all([admin.get('/base/'), inspector.get('/base/'), admin.get('/base/password')]);
    assert.equal(chip(a), wantAdmin, `parallel admin, round ${i}`);
    assert.equal(chip(b), wantInspector, `parallel inspector, round ${i}`);
    assert.equal(chip(c), wantAdmin, `parallel admin password page, round ${i}`);
  }
});
