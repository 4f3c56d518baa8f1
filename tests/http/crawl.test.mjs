// Every link a person can follow (issue 10): signed in as each demo role, crawl the same-origin
// links of the pages that role reaches from its home page — menu, lists, cards, station pages,
// pagination — and find none that answers 403 (a link the role may not open) or an error
// (404 for a link the page itself made, 5xx).  The menu holds only what is built: no
// "coming soon" entries.  Links of one shape ("/asset/piles/:id") are followed a few times each,
// so the crawl covers every kind of page without walking the whole demo data.
import { test } from 'node:test';
import { as, assert } from './lib.mjs';

const ROLES = ['admin', 'leader', 'ops', 'procurement', 'finance', 'inspector', 'warehouse', 'supplier'];
const PER_SHAPE = 2;     // URLs followed per path shape
const MAX_PAGES = 220;   // per role
// Never followed: leaving, downloads (their own tests check them), and the phone pages' sign-in.
const SKIP = [/^\/base\/logout/, /\/export(\?|$)/, /[?&]format=(csv|xlsx)/, /\/template(\?|$)/, /^\/assets\//,
  /\/svg$/, /\/label(\?|$)/, /\/print(\?|$)/];

/** Same-origin links of a page, as paths with their query. */
function links(html) {
  const out = [];
  for (const m of html.matchAll(/<a\b[^>]*\bhref="([^"#]+)"/g)) {
    const href = m[1].replace(/&amp;/g, '&');
    if (href.startsWith('/') && !href.startsWith('//')) out.push(href);
  }
  return out;
}

/** "/asset/piles/12?page=3&sort=x" → "/asset/piles/:id?page,sort" — one shape for many links. */
function shape(url) {
  const [p, q = ''] = url.split('?');
  const keys = [...new URLSearchParams(q).keys()].sort().join(',');
  return p.replace(/\/\d+(?=\/|$)/g, '/:id').replace(/\/wx\/p\/[^/]+/, '/wx/p/:code') + (keys ? `?${keys}` : '');
}

for (const role of ROLES) {
  test(`${role}: no link on any page it reaches answers 403 or an error`, async () => {
    const c = await as(role);
    const seen = new Set(), shapes = new Map(), bad = [];
    const queue = [['/base/', '(sign-in)']];
    let pages = 0;
    while (queue.length && pages < MAX_PAGES) {
      const [url, from] = queue.shift();
      if (seen.has(url) || SKIP.some((re) => re.test(url))) continue;
      const sh = shape(url);
      if ((shapes.get(sh) ?? 0) >= PER_SHAPE) continue;
      seen.add(url);
      shapes.set(sh, (shapes.get(sh) ?? 0) + 1);
      let r = await c.get(url);
      pages++;
      for (let hops = 0; r.status >= 300 && r.status < 400 && hops < 3; hops++) {
        const to = r.headers.get('location');
        if (!to || !to.startsWith('/')) break;
        r = await c.get(to);
      }
      if (r.status !== 200) {
        bad.push(`${r.status} ${url} (linked from ${from})`);
        continue;
      }
      if (/即将上线|coming soon/i.test(r.text)) bad.push(`"coming soon" on ${url}`);
      if ((r.headers.get('content-type') ?? '').startsWith('text/html'))
        for (const l of links(r.text)) if (!seen.has(l)) queue.push([l, url]);
    }
    assert.ok(pages >= 3, `${role} reached ${pages} pages`);
    assert.deepEqual(bad, [], `${role}: ${bad.length} bad links`);
  });
}
