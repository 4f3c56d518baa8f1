// Where a saved pile form returns (issue 10; cgi/asset/pile_form.c): a new or edited pile goes to
// its card with the flash message, not to the unfiltered list; an edit opened from the pile
// list goes back to that list with its filters, sort and page; a pile registered from the
// phone goes back to the phone card.  The origin is the Referer of the form (same host only),
// carried as `back` and checked again: anything else lands on the card.  Refused roles and
// bad input as before.
import { test, before } from 'node:test';
import { as, base, scalar, assert } from './lib.mjs';
import * as C from './crud.mjs';

const PILES = { path: '/asset/piles', table: 'piles', entity: 'pile', key: 'code' };
const SZ = C.idOf('companies', 'code', 'CC-SZ');
const WH_SZ1 = C.idOf('warehouses', 'code', 'WH-SZ-01');
const P_AC7 = C.idOf('products', 'model', 'XC-AC7-W');
const PFX = C.ucode('RT', 10);
let admin, seq = 0;

before(async () => {
  admin = await as('admin');
});

const fields = (over = {}) => ({ code: `${PFX}${String(++seq).padStart(3, '0')}`, product_id: P_AC7, company_id: SZ,
  warehouse_id: WH_SZ1, state: 'in_stock', ...over });
const backField = (html) => (html.match(/<input type="hidden" name="back" value="([^"]*)">/) ?? [])[1];
const referer = (path) => ({ headers: { referer: `${base}${path}` } });

test('create: the new pile\'s card with 已新增; the card shows the flash', async () => {
  const f = fields();
  const r = await C.create(admin, PILES, f);
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), `/asset/piles/${r.id}?flash=created`);
  const card = await admin.get(r.headers.get('location'));
  assert.equal(card.status, 200);
  assert.match(card.text, /<div class="alert alert-success" role="status">已新增。<\/div>/);
  assert.match(card.text, new RegExp(`充电桩 ${f.code}`));
  // Opened from the list, a new pile still goes to its card (to bind it, print its label…).
  const form = await admin.get('/asset/piles/new', referer('/asset/piles?state=in_stock'));
  assert.equal(backField(form.text), undefined);
});

test('edit: from the card back to the card; from a filtered list back to that list', async () => {
  const f = fields();
  const r = await C.create(admin, PILES, f);
  const id = r.id;
  // From the card (or with no Referer): the card, 已保存.
  const e1 = await admin.get(`/asset/piles/${id}/edit`, referer(`/asset/piles/${id}`));
  assert.equal(backField(e1.text), undefined);
  const u1 = await admin.post(`/asset/piles/${id}`, C.browserForm(e1.text, { sw_version: 'V1.1' }));
  assert.equal(u1.headers.get('location'), `/asset/piles/${id}?flash=updated`);
  assert.match((await admin.get(u1.headers.get('location'))).text, /已保存。/);
  // From the list with filters, sort and page (and an old flash, which is dropped).
  const list = `/asset/piles?q=${PFX}&state=in_stock&sort=code&dir=desc&page=1&per=20&flash=created`;
  const e2 = await admin.get(`/asset/piles/${id}/edit`, referer(list));
  const kept = `/asset/piles?q=${PFX}&state=in_stock&sort=code&dir=desc&page=1&per=20`;
  assert.equal(C.unescapeHtml(backField(e2.text)), kept);
  assert.match(e2.text, new RegExp(`class="btn btn-outline-secondary" href="${C.escapeRe(kept.replace(/&/g, '&amp;'))}"`), 'cancel goes back too');
  const u2 = await admin.post(`/asset/piles/${id}`, C.browserForm(e2.text, { sw_version: 'V1.2' }));
  assert.equal(u2.status, 303);
  assert.equal(u2.headers.get('location'), `${kept}&flash=updated`);
  const back = await admin.get(u2.headers.get('location'));
  assert.equal(back.status, 200);
  assert.match(back.text, /已保存。/);
  assert.ok(C.tableRows(back.text).some((cells) => cells[0] === f.code), 'the filtered list shows the saved pile');
  assert.equal(scalar('SELECT sw_version FROM piles WHERE id = ?', id), 'V1.2');
  // The bare list.
  const e3 = await admin.get(`/asset/piles/${id}/edit`, referer('/asset/piles'));
  const u3 = await admin.post(`/asset/piles/${id}`, C.browserForm(e3.text, { sw_version: 'V1.3' }));
  assert.equal(u3.headers.get('location'), '/asset/piles?flash=updated');
  // A refused save keeps where it returns to.
  const e4 = await admin.get(`/asset/piles/${id}/edit`, referer(list));
  const bad = await admin.post(`/asset/piles/${id}`, C.browserForm(e4.text, { tariff: 'abc' }));
  C.assertRefused(bad, 422);
  assert.equal(C.unescapeHtml(backField(bad.text)), kept);
});

test('hostile or foreign origins and back values land on the card', async () => {
  const r = await C.create(admin, PILES, fields());
  const id = r.id;
  for (const ref of ['http://evil.example.com/asset/piles?q=x', `${base}/asset/pilesX`, `${base}/asset/piles/${id}`,
    `${base}/asset/stations?x=1`, `${base}/asset/piles?q=<script>`, `${base}/asset/piles?q="x`]) {
    const e = await admin.get(`/asset/piles/${id}/edit`, { headers: { referer: ref } });
    assert.equal(backField(e.text), undefined, ref);
  }
  const e = await admin.get(`/asset/piles/${id}/edit`);
  const form = C.browserForm(e.text);
  for (const back of ['//evil.example.com/', 'https://evil.example.com/asset/piles', '/asset/piles/../base/users',
    '/asset/piles?q=x:y', '/asset/piles?a=b\r\nX: y', '/asset/piles?q=%0d%0aX', 'javascript:alert(1)', '/asset/piles?x=<b>',
    '/wx/p/<script>', `/wx/p/../../base`]) {
    const u = await admin.post(`/asset/piles/${id}`, { ...form, version: C.versionOf(PILES, id), back });
    assert.equal(u.status, 303, back);
    const loc = u.headers.get('location');
    if (back === '/asset/piles?q=%0d%0aX') {
      // Percent-encoded characters stay encoded: the list, nothing more.
      assert.equal(loc, '/asset/piles?q=%0d%0aX&flash=updated', back);
      continue;
    }
    assert.equal(loc, `/asset/piles/${id}?flash=updated`, back);
  }
  // A foreign Referer with our path gives no phone return either.
  const n = await admin.get('/asset/piles/new?code=ABC123', { headers: { referer: 'http://evil.example.com/wx/p/ABC123' } });
  assert.equal(backField(n.text), undefined);
});

test('registered from the phone: back to the phone card; a refused save keeps it', async () => {
  const code = `${PFX}W${++seq}`;
  const form = await admin.get(`/asset/piles/new?code=${code}`, referer(`/wx/p/${code.toLowerCase()}`));
  assert.equal(form.status, 200);
  assert.equal(backField(form.text), `/wx/p/${code}`);
  assert.equal(C.formValue(form.text, 'code'), code);
  const bad = await admin.post('/asset/piles', { ...fields({ code, tariff: 'abc' }), back: `/wx/p/${code}` });
  C.assertRefused(bad, 422);
  assert.equal(backField(bad.text), `/wx/p/${code}`);
  const r = await admin.post('/asset/piles', { ...fields({ code }), back: `/wx/p/${code}` });
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), `/wx/p/${code}?done=created`);
  const card = await admin.get(r.headers.get('location'));
  assert.equal(card.status, 200);
  assert.match(card.text, /充电桩已登记。/);
});

test('roles: view-only staff and suppliers may not create or edit; nothing written', async () => {
  const r = await C.create(admin, PILES, fields());
  for (const u of ['inspector', 'leader', 'supplier']) {
    const c = await as(u);
    assert.equal((await c.get('/asset/piles/new?code=ZZ1')).status, 403, `${u} new`);
    const f = fields();
    const cr = await c.post('/asset/piles', { ...f, back: '/asset/piles' });
    assert.equal(cr.status, 403, `${u} create`);
    assert.equal(C.countWhere('piles', 'code', f.code), 0);
    const up = await c.post(`/asset/piles/${r.id}`, { ...f, version: C.versionOf(PILES, r.id), back: '/asset/piles' });
    assert.equal(up.status, 403, `${u} update`);
    assert.equal(C.auditOf(up), 0);
  }
});
