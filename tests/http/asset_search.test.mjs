// The top bar (issue 10): a search box (a pile or station code, a station name), the count of
// unread reminders, and breadcrumbs above each page.  An exact code opens the pile or the
// station; a prefix lists both kinds in the user's scope; empty and too long texts are answered
// with a message; another company's piles and stations are never found.
import { test, before } from 'node:test';
import { as, sql, scalar, assert } from './lib.mjs';

const SZ = scalar("SELECT id FROM companies WHERE code = 'CC-SZ'");
const HZ = scalar("SELECT id FROM companies WHERE code = 'CC-HZ'");
let admin, sz;
before(async () => {
  admin = await as('admin');
  sz = await as('warehouse'); // a 苏州 user
});

const text = (html) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

test('an exact pile or station code opens it; a label URL is its code', async () => {
  const [pid, pcode] = sql('SELECT id, code FROM piles WHERE company_id = ? ORDER BY id LIMIT 1', SZ)[0];
  const [sid, scode] = sql('SELECT id, code FROM stations WHERE company_id = ? ORDER BY id LIMIT 1', SZ)[0];
  let r = await admin.get(`/asset/search?q=${encodeURIComponent(pcode)}`);
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), `/asset/piles/${pid}`);
  r = await admin.get(`/asset/search?q=${encodeURIComponent(`  ${scode} `)}`);
  assert.equal(r.headers.get('location'), `/asset/stations/${sid}`);
  const base = scalar("SELECT 1") && process.env.CA_BASE_URL;
  if (base) {
    r = await admin.get(`/asset/search?q=${encodeURIComponent(`${base}/wx/p/${pcode}`)}`);
    if (r.status === 303) assert.equal(r.headers.get('location'), `/asset/piles/${pid}`);
  }
});

test('a prefix lists piles and stations that start with it, in the user\'s scope', async () => {
  const hzStation = sql('SELECT code, name FROM stations WHERE company_id = ? ORDER BY id LIMIT 1', HZ)[0];
  const prefix = hzStation[0].slice(0, -1);
  const r = await admin.get(`/asset/search?q=${encodeURIComponent(prefix)}`);
  assert.equal(r.status, 200);
  assert.ok(r.text.includes(hzStation[0]), 'the admin finds 杭州\'s station');
  // A 苏州 user never sees 杭州's.
  const mine = await sz.get(`/asset/search?q=${encodeURIComponent(prefix)}`);
  assert.ok(mine.status === 200 || mine.status === 303);
  assert.ok(!mine.text.includes(hzStation[0]), 'another company\'s station is not found');
  const exact = await sz.get(`/asset/search?q=${encodeURIComponent(hzStation[0])}`);
  assert.equal(exact.status, 200, 'an exact code of another company opens nothing');
  assert.ok(!exact.text.includes(`${hzStation[0]} ${hzStation[1]}`));
  // By name: the station name's start.
  const name = scalar('SELECT name FROM stations WHERE company_id = ? ORDER BY id LIMIT 1', SZ);
  const byName = await sz.get(`/asset/search?q=${encodeURIComponent(name.slice(0, 3))}`);
  assert.equal(byName.status, 200);
  assert.ok(byName.text.includes(name), 'found by its name');
  // Nothing: said in words, with the text escaped.
  const none = await admin.get(`/asset/search?q=${encodeURIComponent('<b>没有这个</b>')}`);
  assert.equal(none.status, 200);
  assert.ok(none.text.includes('没有找到以“&lt;b&gt;没有这个&lt;/b&gt;”开头的充电桩或充电站。'));
  // LIKE's own characters are text: "%" finds nothing rather than everything.
  const pct = await admin.get('/asset/search?q=%25');
  assert.ok(text(pct.text).includes('没有找到'), '"%" is not a wildcard');
});

test('empty, blank and too long searches are answered with a message; suppliers may not search', async () => {
  for (const q of ['', '   '])
    assert.match(text((await admin.get(`/asset/search?q=${encodeURIComponent(q)}`)).text), /请输入要查找的编码或站名。/);
  assert.equal((await admin.get('/asset/search')).status, 400);
  const long = await admin.get(`/asset/search?q=${'测'.repeat(65)}`);
  assert.equal(long.status, 400);
  assert.match(text(long.text), /搜索内容最多 64 个字符。/);
  const sup = await as('supplier');
  assert.equal((await sup.get('/asset/search?q=NP')).status, 403);
  assert.ok(!(await sup.get('/base/')).text.includes('action="/asset/search"'), 'no search box for a supplier');
});

test('the top bar counts unread reminders; breadcrumbs lead back to the list', async () => {
  const station = scalar('SELECT id FROM stations WHERE company_id = ? ORDER BY id LIMIT 1', SZ);
  sql(`INSERT INTO notices (kind, station_id, company_id, due_on, created_at)
       VALUES ('lease_expiry', ?, ?, '2099-01-01', UTC_TIMESTAMP())`, station, SZ);
  const nid = scalar('SELECT MAX(id) FROM notices WHERE station_id = ?', station);
  try {
    const unread = () => Number(scalar(`SELECT COUNT(*) FROM notices n LEFT JOIN notice_reads nr ON nr.notice_id = n.id
      AND nr.user_id = (SELECT id FROM users WHERE username = 'warehouse')
      WHERE n.company_id = ? AND n.acked_at IS NULL AND nr.read_at IS NULL`, SZ));
    const fresh = await as('warehouse');
    const home = await fresh.get('/base/');
    assert.match(home.text, new RegExp(`id="notice-count">${unread()}<`), 'the count of unread reminders');
    // 杭州's inspector does not count 苏州's reminder.
    const hz = await as('inspector2');
    const hzCount = Number((await hz.get('/base/')).text.match(/id="notice-count">(\d+)</)?.[1] ?? 0);
    assert.equal(hzCount, Number(scalar(`SELECT COUNT(*) FROM notices n LEFT JOIN notice_reads nr ON nr.notice_id = n.id
      AND nr.user_id = (SELECT id FROM users WHERE username = 'inspector2')
      WHERE n.company_id = ? AND n.acked_at IS NULL AND nr.read_at IS NULL`, HZ)));
  } finally {
    sql('DELETE FROM notice_reads WHERE notice_id = ?', nid);
    sql('DELETE FROM notices WHERE id = ?', nid);
  }
  const pile = scalar('SELECT MIN(id) FROM piles');
  const card = await admin.get(`/asset/piles/${pile}`);
  assert.match(card.text, /<nav class="crumbs"[^>]*><ol>\s*<li><a href="\/base\/">首页<\/a><\/li>\s*<li>资产管理<\/li>\s*<li><a href="\/asset\/piles">充电桩查询<\/a><\/li>/);
  const list = await admin.get('/asset/piles');
  assert.ok(!list.text.includes('<li><a href="/asset/piles">'), 'the list itself is not linked in its own crumbs');
});
