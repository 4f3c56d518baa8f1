// WeChat settings and notices as people use them: the administrator enters the account's
// AppID and secret, a template id and a city company's robot key, sees the secret only as its
// last 4 characters, sends a test message through the group robot and reads the outbox; an
// ops manager opens their notices on a phone, marks one read and acknowledges another.
import { test, before, after } from 'node:test';
import { execFileSync } from 'node:child_process';
import { launch, newPage, login, shot, base, unexpectedProblems } from './lib.mjs';
import assert from 'node:assert/strict';

const mysql = (q) => {
  const cmd = (process.env.CA_MYSQL ?? 'mariadb --no-defaults -u root chargeasset').split(/\s+/);
  return execFileSync(cmd[0], [...cmd.slice(1), '-N', '-B', '-e', q], { encoding: 'utf8' }).trim();
};

let browser;
const APPID = 'wx0123456789abcdef';
const SECRET = 'browserTestSecret0123456789WXYZ';

before(async () => {
  browser = await launch();
  mysql("DELETE FROM wx_settings WHERE name IN ('appid', 'secret', 'template.lease_expiry')");
});

after(async () => {
  mysql("DELETE FROM wx_settings WHERE name IN ('appid', 'secret', 'template.lease_expiry')");
  mysql("DELETE FROM wx_robots WHERE company_id = (SELECT id FROM companies WHERE code = 'CC-HZ')");
  await browser?.close();
});

test('the administrator sets up WeChat, never sees the secret again, and test-sends', async () => {
  const page = await newPage(browser, 'desktop');
  await login(page, 'admin');
  await page.goto(`${base}/base/`);
  await page.locator('nav a[href="/base/wechat"]').click();
  await page.waitForURL(/\/base\/wechat$/);
  // A wrong AppID is refused with the field marked; nothing is stored.
  await page.locator('#f-appid').fill('not-an-appid');
  await page.locator('#f-secret').fill(SECRET);
  await page.locator('form.wx-settings button[type=submit]').click();
  await page.waitForSelector('#f-appid.is-invalid');
  assert.equal(await page.locator('#f-secret').inputValue(), '', 'the typed secret is not sent back');
  assert.equal(mysql("SELECT COUNT(*) FROM wx_settings WHERE name IN ('appid', 'secret')"), '0');
  await shot(page, 'wx-settings-error-desktop');

  await page.locator('#f-appid').fill(APPID);
  await page.locator('#f-secret').fill(SECRET);
  await page.locator('#f-template_lease_expiry').fill('TPL-browser-lease');
  const hz = mysql("SELECT id FROM companies WHERE code = 'CC-HZ'");
  await page.locator(`#f-robot_${hz}`).fill('browser-robot-key-hz');
  await Promise.all([page.waitForURL(/flash=saved/), page.locator('form.wx-settings button[type=submit]').click()]);
  const html = await page.content();
  assert.ok(!html.includes(SECRET), 'the secret never comes back to the browser');
  assert.ok(!html.includes('browser-robot-key-hz'), 'nor the robot key');
  assert.ok(html.includes('••••WXYZ'), 'the secret shows as its last 4 characters');
  assert.ok(html.includes('••••y-hz'), 'the robot key too');
  assert.equal(await page.locator('#f-appid').inputValue(), APPID);
  assert.equal(mysql("SELECT value FROM wx_settings WHERE name = 'secret'"), SECRET);
  await shot(page, 'wx-settings-desktop');

  // The robot test message goes out through the stack's fake WeChat server.
  await page.locator('#f-channel').selectOption('robot');
  await page.locator('#f-company_id').selectOption(hz);
  await page.locator('#test-send button[type=submit]').click();
  await page.waitForSelector('.alert');
  assert.match(await page.locator('.alert').first().innerText(), /测试消息已发送/);
  await shot(page, 'wx-settings-test-sent-desktop');

  await page.locator('a[href="/base/wechat/outbox"]').first().click();
  await page.waitForURL(/\/base\/wechat\/outbox/);
  await page.locator('select[name=status]').selectOption('sent');
  await Promise.all([page.waitForURL(/status=sent/), page.locator('.filter-bar button[type=submit]').click()]);
  await shot(page, 'wx-outbox-desktop');
  const statuses = await page.locator('.outbox-row').evaluateAll((rows) => rows.map((r) => r.dataset.status));
  assert.ok(statuses.every((s) => s === 'sent'), 'the filter keeps only delivered rows');
  const phone = await newPage(browser, 'phone');
  await login(phone, 'admin');
  await phone.goto(`${base}/base/wechat/outbox`);
  await shot(phone, 'wx-outbox-phone');
  await phone.goto(`${base}/base/wechat`);
  await shot(phone, 'wx-settings-phone');
  assert.deepEqual(unexpectedProblems(page, [422]), [], 'only the refused form answered 422');
});

test('an ops manager reads and acknowledges notices on a phone', async () => {
  const sz = mysql("SELECT id FROM companies WHERE code = 'CC-SZ'");
  const st = mysql(`SELECT MIN(id) FROM stations WHERE company_id = ${sz}`);
  const due = `2002-0${1 + Math.floor(Math.random() * 9)}-1${Math.floor(Math.random() * 9)}`; // overdue: listed first
  mysql(`INSERT INTO notices (kind, station_id, company_id, due_on, created_at) VALUES ('lease_expiry', ${st}, ${sz}, '${due}', UTC_TIMESTAMP())`);
  const id = mysql(`SELECT id FROM notices WHERE station_id = ${st} AND due_on = '${due}'`);
  const page = await newPage(browser, 'phone');
  await login(page, 'ops');
  await page.goto(`${base}/base/notices`);
  const item = page.locator(`[data-notice="${id}"]`);
  assert.ok(await item.locator('.badge', { hasText: '新' }).count() === 1, 'unread: marked new');
  await shot(page, 'notices-phone');
  await Promise.all([page.waitForURL(/\/base\/notices$/), item.locator('button', { hasText: '标为已读' }).click()]);
  assert.equal(await page.locator(`[data-notice="${id}"] .badge`, { hasText: '新' }).count(), 0, 'read now');
  await Promise.all([page.waitForURL(/flash=acked/), page.locator(`[data-notice="${id}"] button`, { hasText: '知道了' }).click()]);
  assert.equal(await page.locator(`[data-notice="${id}"]`).count(), 0, 'acknowledged: off the open list');
  await page.goto(`${base}/base/notices?show=all`);
  assert.match(await page.locator(`[data-notice="${id}"]`).innerText(), /已确认/);
  await shot(page, 'notices-all-phone');
  mysql(`DELETE FROM notices WHERE id = ${id}`);
  assert.deepEqual(page.problems, []);
});
