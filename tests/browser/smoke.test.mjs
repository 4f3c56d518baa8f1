// Browser smoke test: a person opening the site lands on the login page, styled by the
// vendored Bootstrap, with no script errors or CSP violations, on a desktop and a phone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { base, launch, newPage, shot } from './lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

for (const kind of ['desktop', 'phone']) {
  test(`opening the site shows the login page (${kind})`, async () => {
    const page = await newPage(browser, kind);
    try {
      const res = await page.goto(`${base}/`);
      assert.equal(res.status(), 200);
      assert.match(new URL(page.url()).pathname, /^\/base\//);
      await page.getByText('登录').first().waitFor();
      const font = await page.evaluate(() => getComputedStyle(document.body).getPropertyValue('--bs-body-font-family'));
      assert.ok(font.trim() !== '', 'Bootstrap stylesheet applied');
      await shot(page, `smoke-login-${kind}`);
      assert.deepEqual(page.problems, []);
    } finally {
      await page.context().close();
    }
  });
}
