// The menu as each role finds it (issue 10): only what is built and what the role may open —
// no "coming soon" entries — and every entry opens its page (desktop, then the phone's
// collapsible menu).  tests/http/crawl.test.mjs follows every link behind them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { base, inPage, launch, shot, signedInState, unexpectedProblems } from './lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

for (const role of ['leader', 'warehouse', 'admin']) {
  test(`${role}: the menu lists only pages that open`, async () => {
    const state = await signedInState(browser, role);
    for (const kind of ['desktop', 'phone']) {
      await inPage(browser, kind, `menu-${role}-${kind}`, { storageState: state }, async (page) => {
        await page.goto(`${base}/base/`);
        const nav = page.locator('nav[aria-label] .nav-link');
        assert.equal(await page.locator('nav[aria-label] .nav-link.disabled').count(), 0, 'no disabled entries');
        assert.doesNotMatch(await page.locator('nav[aria-label]').innerText(), /即将上线/);
        const hrefs = await nav.evaluateAll((as) => as.map((a) => a.getAttribute('href')));
        assert.ok(hrefs.length >= 3, `${role} has a menu`);
        if (kind === 'phone') {
          // The menu folds on a phone; opened, it shows the same entries.
          const toggle = page.locator('summary.sidebar-toggle');
          if (!(await page.locator('details.sidebar').evaluate((d) => d.open))) await toggle.click();
        }
        await shot(page, `menu-${role}-${kind}`);
        if (kind === 'desktop')
          for (const href of hrefs) {
            const r = await page.request.get(`${base}${href}`);
            assert.equal(r.status(), 200, `${role}: ${href} opens`);
          }
        assert.deepEqual(unexpectedProblems(page), []);
      });
    }
  });
}
