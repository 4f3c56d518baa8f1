// Shared helpers for the browser tests: Playwright (playwright-core from npm) driving Debian's
// chromium headless. ./chargeasset test sets CA_BASE_URL, CHROMIUM and CA_SCREENSHOTS.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import path from 'node:path';

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
// and CSP violations in page.problems.
export async function newPage(browser, kind = 'desktop') {
  const context = await browser.newContext({ ...viewports[kind], locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
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
