// Smoke test of the stack behind nginx: redirects, static assets with their headers, and the
// login page from ca-base. Run by ./chargeasset test with CA_BASE_URL pointing at the test
// stack's nginx (or by hand: CA_BASE_URL=http://127.0.0.1:8080 node --test tests/http/).
import { test } from 'node:test';
import assert from 'node:assert/strict';

const base = process.env.CA_BASE_URL ?? 'http://127.0.0.1:8080';

// Header -> expected value. fetch() joins repeated headers with ", ", so an exact match also
// proves each header is sent once.
const securityHeaders = {
  'content-security-policy': "default-src 'self'; img-src 'self' data:; style-src 'self'; " +
    "script-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
  'x-frame-options': 'DENY',
  'permissions-policy': 'geolocation=(self), camera=(self)',
};

function assertSecurityHeaders(res, what) {
  for (const [name, want] of Object.entries(securityHeaders)) {
    assert.equal(res.headers.get(name), want, `${name} on ${what}`);
  }
  assert.equal(res.headers.get('server'), 'nginx', `server_tokens off on ${what}`);
}

test('GET / redirects to /base/', async () => {
  const res = await fetch(`${base}/`, { redirect: 'manual' });
  assert.equal(res.status, 302);
  assert.equal(new URL(res.headers.get('location'), base).pathname, '/base/');
  assertSecurityHeaders(res, '/');
});

test('GET bootstrap.min.css is served by nginx with cache and security headers', async () => {
  const res = await fetch(`${base}/assets/vendor/bootstrap/bootstrap.min.css`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /^text\/css/);
  assert.match(res.headers.get('cache-control') ?? '', /public/);
  assert.match(res.headers.get('cache-control') ?? '', /max-age=604800/);
  assertSecurityHeaders(res, 'bootstrap.min.css');
  const body = await res.text();
  assert.match(body, /Bootstrap/);
});

test('a missing asset is 404 with the security headers', async () => {
  const res = await fetch(`${base}/assets/no-such-file.css`);
  assert.equal(res.status, 404);
  assertSecurityHeaders(res, 'a 404');
  await res.arrayBuffer();
});

test('dot files are never served', async () => {
  const res = await fetch(`${base}/assets/.gitkeep`);
  assert.equal(res.status, 404);
  await res.arrayBuffer();
});

test('GET /base/login is the login page', async () => {
  const res = await fetch(`${base}/base/login`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
  assertSecurityHeaders(res, '/base/login');
  const body = await res.text();
  assert.match(body, /登录/);
});
