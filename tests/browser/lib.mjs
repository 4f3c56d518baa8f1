// Shared helpers for the browser tests: Playwright (playwright-core from npm) driving Debian's
// chromium headless. ./chargeasset test sets CA_BASE_URL, CHROMIUM and CA_SCREENSHOTS.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { inflateRawSync } from 'node:zlib';
import assert from 'node:assert/strict';

export const base = process.env.CA_BASE_URL ?? 'http://127.0.0.1:8080';
const screenshots = process.env.CA_SCREENSHOTS ?? 'var/test/screenshots';

export const viewports = {
  desktop: { viewport: { width: 1366, height: 900 } },
  phone: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 },
};

// launch: a headless chromium; the flags keep it off the network (the machine has none) and
// quiet. chromiumSandbox stays false because the tests run as root.
export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
}

// newPage: a page in a fresh context (own cookies) that records console errors, page errors
// and CSP violations in page.problems.  options go to browser.newContext (e.g. storageState).
export async function newPage(browser, kind = 'desktop', options = {}) {
  const context = await browser.newContext({ ...viewports[kind], locale: 'zh-CN', timezoneId: 'Asia/Shanghai', ...options });
  const page = await context.newPage();
  page.problems = [];
  page.on('console', (m) => { if (m.type() === 'error') page.problems.push(m.text()); });
  page.on('pageerror', (e) => page.problems.push(String(e)));
  return page;
}

// shot: keep a full-page screenshot as a test artifact.
export async function shot(page, name) {
  mkdirSync(screenshots, { recursive: true });
  const file = path.join(screenshots, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

// login: sign in through the login form as one of the demo accounts (password demo1234) and
// wait until the browser has left the login page.
export async function login(page, username, password = 'demo1234') {
  await page.goto(`${base}/base/login`);
  await page.locator('#username').fill(username);
  await page.locator('#password').fill(password);
  await Promise.all([
    page.waitForURL((url) => !url.pathname.startsWith('/base/login')),
    page.locator('form[action="/base/login"] button[type=submit]').click(),
  ]);
}

// unexpectedProblems: page.problems less one "Failed to load resource … status of N" line per
// entry of expected — chromium logs that line for every page answered with an error status,
// so a test that deliberately opens a 403 page, gets a form back with 422 or fails a login
// (401) lists those statuses, once per such page.
export function unexpectedProblems(page, expected = []) {
  const left = [...expected];
  return page.problems.filter((p) => {
    const m = /^Failed to load resource: the server responded with a status of (\d{3}) /.exec(p);
    const i = m ? left.indexOf(Number(m[1])) : -1;
    if (i < 0) return true;
    left.splice(i, 1);
    return false;
  });
}

// signedInState: sign a user in once and keep the session (cookies) for new contexts, so every
// test starts signed in without logging in again. Fails on any console or CSP problem.
export async function signedInState(browser, username) {
  const page = await newPage(browser, 'desktop');
  await login(page, username);
  const state = await page.context().storageState();
  assert.deepEqual(page.problems, []);
  await page.context().close();
  return state;
}

// The text of every member of a zip archive (an .xlsx), read through its central directory.
export function unzipText(buf) {
  let eocd = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  assert.ok(eocd >= 0, 'zip end-of-central-directory record');
  const n = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const out = {};
  for (let i = 0; i < n; i++) {
    assert.equal(buf.readUInt32LE(p), 0x02014b50, 'central directory entry');
    const method = buf.readUInt16LE(p + 10), csize = buf.readUInt32LE(p + 20);
    const nlen = buf.readUInt16LE(p + 28), xlen = buf.readUInt16LE(p + 30), clen = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.toString('utf8', p + 46, p + 46 + nlen);
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const data = buf.subarray(start, start + csize);
    out[name] = (method === 8 ? inflateRawSync(data) : data).toString('utf8');
    p += 46 + nlen + xlen + clen;
  }
  return out;
}

// inPage: run body(page) in a fresh context of the given kind (desktop/phone) with options (e.g.
// storageState; timeout: the page's default timeout, 15 s unless given); on failure keep a
// screenshot FAILED-<name> of where it stopped; always close.  The one screenshot-on-failure
// wrapper of the browser tests.
export async function inPage(browser, kind, name, options, body) {
  const { timeout = 15_000, ...contextOptions } = options ?? {};
  const page = await newPage(browser, kind, contextOptions);
  page.setDefaultTimeout(timeout);
  try {
    await body(page);
  } catch (e) {
    await shot(page, `FAILED-${name}`).catch(() => {});
    throw e;
  } finally {
    await page.context().close();
  }
}

// pickStation: in the station picker whose text box is `box` (views/macros.cs station_picker),
// type `typed` and choose the offered station whose code is `code`; the box then reads
// "code name" (a form) or the code (a list's filter).  Returns the box's value.
export async function pickStation(box, typed, code) {
  const page = box.page();
  const id = await box.getAttribute('id');
  await box.fill(typed);
  const option = page.locator(`#${id}-list > li[role=option]`)
    .filter({ has: page.locator('.picker-code', { hasText: new RegExp(`^${code.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }) });
  await option.click();
  await page.locator(`#${id}-list`).waitFor({ state: 'hidden' });
  return box.inputValue();
}
