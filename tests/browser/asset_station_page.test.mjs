// The station page as people reach it (issue 10): a leader (who may not edit) goes from a pile
// card to its station and reads it — no 403 on the way; on a phone the same page in one column;
// the administrator edits the station from its page and lands back on it with the message.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { base, inPage, launch, shot, signedInState, unexpectedProblems } from './lib.mjs';
import { scalar } from '../http/lib.mjs';

let browser, leaderState, adminState;
before(async () => {
  browser = await launch();
  leaderState = await signedInState(browser, 'leader');
  adminState = await signedInState(browser, 'admin');
});
after(async () => { await browser?.close(); });

// The demo station with the most piles, and one of them.
const stationId = scalar('SELECT station_id FROM piles WHERE station_id IS NOT NULL GROUP BY station_id ORDER BY COUNT(*) DESC, station_id LIMIT 1');
const stationCode = scalar('SELECT code FROM stations WHERE id = ?', stationId);
const stationName = scalar('SELECT name FROM stations WHERE id = ?', stationId);
const pileId = scalar('SELECT MIN(id) FROM piles WHERE station_id = ?', stationId);
const pileCount = Number(scalar('SELECT COUNT(*) FROM piles WHERE station_id = ?', stationId));

test('a leader goes from a pile card to its station page and reads it (desktop and phone)', async () => {
  for (const kind of ['desktop', 'phone']) {
    await inPage(browser, kind, `station-page-leader-${kind}`, { storageState: leaderState }, async (page) => {
      await page.goto(`${base}/asset/piles/${pileId}`);
      const link = page.getByRole('link', { name: `${stationCode} ${stationName}` });
      await Promise.all([page.waitForURL(`${base}/asset/stations/${stationId}`), link.click()]);
      await page.getByRole('heading', { level: 1, name: new RegExp(`充电站 ${stationCode} ${stationName}`) }).waitFor();
      // Its piles, each a link to its card; no edit button for a leader.
      const rows = page.locator('#station-piles table.data-table > tbody > tr');
      assert.equal(await rows.count(), Math.min(pileCount, 500));
      assert.equal(await page.locator('#station-edit').count(), 0, 'a leader gets no edit button');
      assert.match(await page.locator('#station-pile-count').innerText(), new RegExp(`已绑定\\s*${pileCount}`));
      await shot(page, `asset-station-page-${kind}`);
      // What a phone shows first, without scrolling.
      if (kind === 'phone')
        await page.screenshot({ path: `${process.env.CA_SCREENSHOTS ?? '.'}/asset-station-page-phone-top.png` });
      // A pile of the table opens its card.
      const first = rows.first().getByRole('link');
      const code = (await first.innerText()).trim();
      await Promise.all([page.waitForURL(/\/asset\/piles\/\d+$/), first.click()]);
      await page.getByRole('heading', { level: 1, name: new RegExp(`充电桩 ${code}`) }).waitFor();
      assert.deepEqual(unexpectedProblems(page), []);
    });
  }
});

test('the administrator edits the station from its page and lands back on it', async () => {
  await inPage(browser, 'desktop', 'station-page-edit', { storageState: adminState }, async (page) => {
    const was = scalar('SELECT COALESCE(staff, \'\') FROM stations WHERE id = ?', stationId);
    await page.goto(`${base}/asset/stations/${stationId}`);
    await Promise.all([page.waitForURL(`${base}/asset/stations/${stationId}/edit`), page.locator('#station-edit').click()]);
    const staff = `测试站长${String(Date.now()).slice(-4)}`;
    await page.locator('#f-staff').fill(staff);
    await Promise.all([page.waitForURL(`${base}/asset/stations/${stationId}?flash=updated`), page.getByRole('button', { name: '保存' }).click()]);
    assert.equal((await page.locator('.alert-success[role=status]').innerText()).trim(), '已保存。');
    assert.match(await page.locator('#station-facts').innerText(), new RegExp(staff));
    assert.match(await page.locator('#station-records').innerText(), /负责人/, 'the update record names the field');
    await shot(page, 'asset-station-page-saved');
    // Put it back as it was.
    await page.goto(`${base}/asset/stations/${stationId}/edit`);
    await page.locator('#f-staff').fill(was);
    await Promise.all([page.waitForURL(/flash=updated/), page.getByRole('button', { name: '保存' }).click()]);
    assert.deepEqual(unexpectedProblems(page), []);
  });
});
