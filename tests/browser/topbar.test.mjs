// The top bar as people use it (issue 10): type the start of a station's name into the search
// box, pick the station from the results, follow the breadcrumbs back to the list; the reminders'
// count leads to the reminders.  Desktop and phone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { base, inPage, launch, shot, signedInState, unexpectedProblems } from './lib.mjs';
import { scalar } from '../http/lib.mjs';

let browser, state;
before(async () => { browser = await launch(); state = await signedInState(browser, 'warehouse'); });
after(async () => { await browser?.close(); });

const sz = scalar("SELECT id FROM companies WHERE code = 'CC-SZ'");
const [stationId, stationCode, stationName] = [
  scalar('SELECT id FROM stations WHERE company_id = ? ORDER BY id LIMIT 1', sz),
  scalar('SELECT code FROM stations WHERE company_id = ? ORDER BY id LIMIT 1', sz),
  scalar('SELECT name FROM stations WHERE company_id = ? ORDER BY id LIMIT 1', sz),
];

for (const kind of ['desktop', 'phone']) {
  test(`search from the top bar, then back through the breadcrumbs (${kind})`, async () => {
    await inPage(browser, kind, `topbar-${kind}`, { storageState: state }, async (page) => {
      await page.goto(`${base}/base/`);
      const box = page.getByRole('searchbox', { name: '搜索' });
      await box.fill(stationName.slice(0, 4));
      await Promise.all([page.waitForURL(/\/asset\/search\?q=/), box.press('Enter')]);
      await shot(page, `topbar-search-${kind}`);
      const hit = page.locator('#search-stations').getByRole('link', { name: `${stationCode} ${stationName}` });
      await Promise.all([page.waitForURL(`${base}/asset/stations/${stationId}`), hit.click()]);
      const crumbs = page.locator('nav.crumbs');
      assert.match(await crumbs.innerText(), /首页\s*›?\s*资产管理\s*›?\s*资产维护/);
      await Promise.all([page.waitForURL(`${base}/asset/stations`), crumbs.getByRole('link', { name: '资产维护' }).click()]);
      // An exact code opens the station at once.
      await page.getByRole('searchbox', { name: '搜索' }).fill(stationCode);
      await Promise.all([page.waitForURL(`${base}/asset/stations/${stationId}`), page.getByRole('searchbox', { name: '搜索' }).press('Enter')]);
      await shot(page, `topbar-station-${kind}`);
      assert.deepEqual(unexpectedProblems(page), []);
    });
  });
}
