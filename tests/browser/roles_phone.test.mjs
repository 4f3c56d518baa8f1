// Browser tests of who sees what, on a phone and a desktop: the login page and a failed
// sign-in; an inspector's menu without base information and system management, and the 403
// page for a typed address; a warehouse keeper who sees only the warehouses of their city
// company; the administrator's list on a phone (rows as cards, menu folded behind 菜单); the
// switch to English and back.  Uses the demo accounts only; changes no data.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { base, launch, shot, login, unexpectedProblems, inPage } from './lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

// A page of the given kind for one test; on failure keep a screenshot of where it stopped.
const withPage = (kind, name, body) => inPage(browser, kind, name, {}, body);

const sidebar = (page) => page.locator('details.sidebar');
const menuGroups = async (page) =>
  (await page.locator('details.sidebar h6.nav-group').allTextContents()).map((t) => t.trim());

for (const kind of ['desktop', 'phone']) {
  test(`the login page, and a failed sign-in says so (${kind})`, async () => {
    await withPage(kind, `login-${kind}`, async (page) => {
      const res = await page.goto(`${base}/base/users`);
      assert.equal(res.status(), 200);
      assert.equal(new URL(page.url()).pathname, '/base/login', 'a signed-out visitor is sent to the login page');
      await page.getByRole('heading', { level: 1, name: '充电站资产管理系统' }).waitFor();
      assert.equal(await page.getByLabel('用户名').evaluate((el) => el === document.activeElement), true, 'the username has the focus');
      await shot(page, `login-${kind}`);

      // A username that does not exist (so no demo account is throttled).
      const who = `nobody-${Date.now()}`;
      await page.getByLabel('用户名').fill(who);
      await page.getByLabel('密码').fill('wrong-password-1');
      const [answer] = await Promise.all([
        page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/base/login'),
        page.getByRole('button', { name: '登录' }).click(),
      ]);
      assert.equal(answer.status(), 401);
      await page.waitForLoadState();
      assert.equal((await page.getByRole('alert').innerText()).trim(), '用户名或密码不正确。');
      assert.equal(await page.getByLabel('用户名').inputValue(), who, 'the username is kept');
      assert.equal(await page.getByLabel('密码').inputValue(), '', 'the password is not sent back');
      await shot(page, `login-failed-${kind}`);
      assert.deepEqual(unexpectedProblems(page, [401]), []);
    });
  });
}

test('an inspector on a phone has no base-information or system menu, and gets 403 for /base/users', async () => {
  await withPage('phone', 'inspector-phone', async (page) => {
    await login(page, 'inspector');
    assert.equal(new URL(page.url()).pathname, '/base/');
    await page.getByRole('heading', { level: 1, name: /王磊/ }).waitFor();
    await sidebar(page).locator('summary', { hasText: '菜单' }).click();
    await sidebar(page).locator('nav').waitFor({ state: 'visible' });
    const groups = await menuGroups(page);
    assert.ok(groups.length > 0, 'the menu has groups');
    // Inspection is not built yet: its group comes with it (the menu shows only what opens).
    assert.ok(groups.includes('资产管理') && !groups.includes('巡检管理'), `the menu: ${groups}`);
    assert.ok(!groups.includes('基础信息'), `no 基础信息 group: ${groups}`);
    assert.ok(!groups.includes('系统管理'), `no 系统管理 group: ${groups}`);
    for (const href of ['/base/companies', '/base/cities', '/base/warehouses', '/base/users', '/base/roles', '/base/records'])
      assert.equal(await page.locator(`a[href^="${href}"]`).count(), 0, `no link to ${href}`);
    await shot(page, 'inspector-home-phone');

    const res = await page.goto(`${base}/base/users`);
    assert.equal(res.status(), 403);
    assert.equal((await page.locator('.error-code').innerText()).trim(), '403');
    await page.getByText('您没有权限访问此页面。').waitFor();
    assert.equal(await page.locator('table.data-table').count(), 0, 'no user list');
    await shot(page, 'inspector-403-phone');
    await page.getByRole('link', { name: '首页', exact: true }).last().click();
    await page.waitForURL(`${base}/base/`);
    assert.deepEqual(unexpectedProblems(page, [403]), []);
  });
});

test('the warehouse keeper sees only the warehouses of their city company', async () => {
  await withPage('desktop', 'warehouse-keeper', async (page) => {
    const own = '蓝途充电（苏州）有限公司';
    await login(page, 'warehouse');
    await Promise.all([
      page.waitForURL(`${base}/base/warehouses`),
      sidebar(page).getByRole('link', { name: '仓库管理', exact: true }).click(),
    ]);
    const rows = page.locator('table.data-table > tbody > tr');
    const companyCells = rows.locator('td[data-label="所属公司"]');
    assert.ok(await rows.count() >= 2, 'the demo gives 苏州 two warehouses');
    assert.deepEqual([...new Set((await companyCells.allInnerTexts()).map((c) => c.trim()))], [own], 'only the own company');
    assert.equal(await page.getByRole('link', { name: '新增', exact: true }).count(), 0, 'a keeper does not create warehouses');
    // The company filter offers only the own company.
    const offered = await page.getByLabel('所属公司').locator('option').allInnerTexts();
    assert.deepEqual(offered.map((o) => o.trim()), ['全部', own]);
    await shot(page, 'warehouse-keeper-warehouses');

    // The own demo warehouses are found by keyword …
    await page.getByLabel('关键字').fill('WH-SZ-0');
    await Promise.all([page.waitForURL(/[?&]q=WH-SZ-0/), page.getByRole('button', { name: '查询' }).click()]);
    const codes = (await rows.locator('td[data-label="编码"]').allInnerTexts()).map((c) => c.trim());
    assert.deepEqual(codes, ['WH-SZ-01', 'WH-SZ-02']);

    // … another company's cannot be.
    await page.getByLabel('关键字').fill('WH-HZ-01');
    await Promise.all([page.waitForURL(/[?&]q=WH-HZ-01/), page.getByRole('button', { name: '查询' }).click()]);
    assert.equal(await rows.count(), 0);
    await page.getByText('暂无数据').waitFor();
    assert.deepEqual(page.problems, []);
  });
});

test('the admin list on a phone: rows are stacked cards and the menu is folded behind 菜单', async () => {
  await withPage('phone', 'admin-phone', async (page) => {
    await login(page, 'admin');
    const toggle = sidebar(page).locator('summary', { hasText: '菜单' });
    const nav = sidebar(page).locator('nav');
    assert.equal(await toggle.isVisible(), true, 'the 菜单 toggle shows');
    assert.equal(await nav.isVisible(), false, 'the menu starts folded');
    await toggle.click();
    await nav.waitFor({ state: 'visible' });
    const link = nav.getByRole('link', { name: '业务公司', exact: true });
    assert.equal(await link.isVisible(), true);
    await shot(page, 'admin-phone-menu-open');

    await Promise.all([page.waitForURL(`${base}/base/companies`), link.click()]);
    assert.equal(await nav.isVisible(), false, 'the menu is folded again on the next page');
    const rows = page.locator('table.data-table > tbody > tr');
    assert.ok(await rows.count() >= 2);
    const width = await page.evaluate(() => document.documentElement.clientWidth);
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), width, 'no sideways scrolling');
    assert.equal(await rows.first().evaluate((tr) => getComputedStyle(tr).display), 'block', 'a row is a block, not a table row');
    assert.equal(await page.locator('table.data-table > thead').evaluate((el) => el.getBoundingClientRect().height <= 1), true, 'the header row is hidden');
    const [a, b] = [await rows.nth(0).boundingBox(), await rows.nth(1).boundingBox()];
    assert.ok(b.y >= a.y + a.height, 'the second card is below the first');
    assert.ok(a.width <= width && a.width > width * 0.8, `a card spans the screen (${a.width} of ${width})`);
    // Each cell is labelled with its column name.
    const first = rows.first().locator('td[data-label="名称"]');
    assert.equal(await first.evaluate((td) => getComputedStyle(td, '::before').content), '"名称"');
    const cells = rows.first().locator('td');
    const [c1, c2] = [await cells.nth(0).boundingBox(), await cells.nth(1).boundingBox()];
    assert.ok(c2.y >= c1.y + c1.height - 1, 'the cells of a card are stacked');
    await shot(page, 'admin-phone-companies');
    assert.deepEqual(page.problems, []);
  });
});

test('switching the language to English and back changes the menu', async () => {
  await withPage('desktop', 'language', async (page) => {
    await login(page, 'admin');
    await Promise.all([page.waitForURL(`${base}/base/cities`), sidebar(page).getByRole('link', { name: '城市', exact: true }).click()]);
    assert.deepEqual((await menuGroups(page)).slice(0, 1), ['基础信息']);

    const topbar = page.locator('header.topbar');
    await Promise.all([page.waitForURL(`${base}/base/cities`), topbar.getByRole('link', { name: 'English', exact: true }).click()]);
    await page.getByRole('heading', { level: 1, name: 'Cities' }).waitFor();
    assert.equal(await page.locator('html').getAttribute('lang'), 'en');
    const groups = await menuGroups(page);
    assert.ok(groups.includes('Master data') && groups.includes('System'), `English groups: ${groups}`);
    for (const label of ['Companies', 'Cities', 'Products', 'Warehouses', 'Users'])
      assert.equal(await sidebar(page).getByRole('link', { name: label, exact: true }).count(), 1, `menu item ${label}`);
    assert.equal(await sidebar(page).getByRole('link', { name: '业务公司' }).count(), 0);
    assert.equal(await page.getByRole('button', { name: 'Search' }).count(), 1, 'the page is in English too');
    await shot(page, 'language-english');

    await Promise.all([page.waitForURL(`${base}/base/cities`), topbar.getByRole('link', { name: '中文', exact: true }).click()]);
    await page.getByRole('heading', { level: 1, name: '城市' }).waitFor();
    assert.equal(await page.locator('html').getAttribute('lang'), 'zh-CN');
    assert.equal(await sidebar(page).getByRole('link', { name: '业务公司', exact: true }).count(), 1);
    assert.equal(await sidebar(page).getByRole('link', { name: 'Companies' }).count(), 0);
    assert.deepEqual(page.problems, []);
  });
});
