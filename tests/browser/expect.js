// expect.js VISITS_JSON ACCESS_LOG CSV_DIR [CSV_DIR_K5] - compare logfold's CSV tables with what
// visit.js did. Every expected value comes from the script's actions
// (visitors, pages, clicks, scroll target, time waited), never from
// logfold's output. Prints one line per failed check and last
// "browser: N passed, N failed".
'use strict';
const fs = require('fs');
const path = require('path');

const visits = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const accessLog = fs.readFileSync(process.argv[3], 'utf8').split('\n');
let dir = process.argv[4], dir5;
let pass = 0, fail = 0;
function check(what, ok, detail) {
  if (ok) pass++;
  else { fail++; console.log('FAIL browser: ' + what + (detail ? ': ' + detail : '')); }
}
// Plain objects compare by their sorted entries, so key order is no matter.
function canon(x) {
  return x && typeof x === 'object' && !Array.isArray(x) ? Object.keys(x).sort().map((k) => [k, x[k]]) : x;
}
function eq(what, got, want) {
  check(what, JSON.stringify(canon(got)) === JSON.stringify(canon(want)), 'got ' + JSON.stringify(got) + ', want ' + JSON.stringify(want));
}

// One CSV record (RFC 4180, no line breaks inside cells here) as cells.
function cells(line) {
  const out = [];
  let cur = '', q = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (q && c === '"' && line[i + 1] === '"') { cur += '"'; i++; }
    else if (c === '"') q = !q;
    else if (c === ',' && !q) { out.push(cur); cur = ''; }
    else cur += c;
  }
  out.push(cur);
  return out;
}

// The tables, as arrays of objects.
function table(name) {
  const lines = fs.readFileSync(path.join(dir5 || dir, name + '.csv'), 'utf8').split('\n').filter((l) => l);
  const head = cells(lines.shift());
  return lines.map((l) => { const c = cells(l); const o = {}; head.forEach((h, i) => { o[h] = c[i]; }); return o; });
}

// The beacon requests nginx logged for a visitor (by its user agent), as
// "EVENT PAGE": the server's view, which the browser's own may miss for
// requests sent while a page unloads.
function logged(v) {
  return accessLog.filter((l) => l.endsWith('"' + v.ua + '"') && l.includes('GET /logfold.gif?')).map((l) => {
    const u = new URL(l.split('"')[1].split(' ')[1], 'http://x');
    return u.searchParams.get('e') + ' ' + u.searchParams.get('p');
  });
}

const all = visits.visitors;
const counted = all.filter((v) => !v.opted);
const N = counted.length, V = all.length;
const INDEX = '/index.html', ARTICLE = '/article.html';

// The script itself: the viewport gave the class it meant, opted-out
// visitors' browsers sent nothing, the others' all eight requests.
for (const v of counted) {
  const cls = v.width < 576 ? 'xs' : v.width < 768 ? 'sm' : v.width < 992 ? 'md' : v.width < 1200 ? 'lg' : v.width < 1400 ? 'xl' : 'xxl';
  eq(v.name + ' viewport class', cls, v.cls);
  eq(v.name + ' beacon requests', logged(v).sort(), ['click /article.html', 'click /index.html', 'click /index.html',
    'leave /article.html', 'leave /index.html', 'load /article.html', 'load /index.html', 'select /index.html']);
}
for (const v of all.filter((x) => x.opted)) {
  eq(v.name + ' sends nothing', v.sent, []);
  eq(v.name + ' nothing logged', logged(v), []);
}

// page_daily: every visitor, opted out or not, viewed each page once
// (the server logs pages whatever the beacon does); one visit each,
// entered on the index.
const pd = {};
for (const r of table('page_daily')) pd[r.page] = r;
for (const p of [INDEX, ARTICLE, '/outbound.html', '/files/report.pdf']) {
  const r = pd[p] || {};
  eq('page_daily ' + p + ' pageviews,visitors,visits', [r.pageviews, r.visitors, r.visits], [String(V), String(V), String(V)]);
}
eq('page_daily /index.html entrances', (pd[INDEX] || {}).entrances, String(V));
eq('page_daily pages', Object.keys(pd).sort(), ['/article.html', '/files/report.pdf', '/index.html', '/outbound.html']);

// breakdown_daily: the screen rows, one load event per counted visitor on
// each page with the beacon, by class.
const want = {};
for (const p of [INDEX, ARTICLE]) for (const v of counted) {
  const k = p + ',' + v.cls;
  want[k] = (want[k] || 0) + 1;
}
const got = {};
const bdAll = table('breakdown_daily');
for (const r of bdAll.filter((x) => x.dimension === 'screen')) got[r.page + ',' + r.value] = r.pageviews + '/' + r.visitors;
// the pageviews' own dimensions stay theirs: every visitor entered the
// index directly (no referer), beacon events add no referrer rows
const direct = bdAll.find((r) => r.page === INDEX && r.dimension === 'referrer_type') || {};
eq('breakdown_daily /index.html referrer_type', [direct.value, direct.pageviews, direct.visitors], ['direct', String(V), String(V)]);
const wantRows = {};
for (const k of Object.keys(want)) wantRows[k] = want[k] + '/' + want[k];
eq('breakdown_daily screen rows', got, wantRows);

// engagement_daily: each counted visitor left each beacon page once. The
// index was scrolled to SCROLL_TO %; the article fits its viewport (100 %).
const en = {};
for (const r of table('engagement_daily')) en[r.page] = r;
const depth = { [INDEX]: visits.scrollTo, [ARTICLE]: 100 };
for (const p of [INDEX, ARTICLE]) {
  const r = en[p] || {};
  const key = p === INDEX ? 'index' : 'article';
  const lo = counted.reduce((s, v) => s + Math.max(0, v.engaged[key][0]), 0);
  const hi = counted.reduce((s, v) => s + v.engaged[key][1], 0);
  eq('engagement_daily ' + p + ' measured', r.measured, String(N));
  check('engagement_daily ' + p + ' engaged_s', Number(r.engaged_s) >= lo && Number(r.engaged_s) <= hi,
    'got ' + r.engaged_s + ', want ' + lo + '..' + hi);
  eq('engagement_daily ' + p + ' scroll_25..100', [r.scroll_25, r.scroll_50, r.scroll_75, r.scroll_100],
    [25, 50, 75, 100].map((d) => String(depth[p] >= d ? N : 0)));
}
eq('engagement_daily pages', Object.keys(en).sort(), [ARTICLE, INDEX]);

// action_daily: per counted visitor, the labelled button, the download's
// extension, one selection (no label) on the index; the outbound host on
// the article.
const acts = table('action_daily').map((r) => [r.page, r.action, r.label, r.count, r.visitors].join(' '));
const n = String(N);
eq('action_daily', acts, [
  [ARTICLE, 'click', 'localhost', n, n].join(' '),
  [INDEX, 'click', 'pdf', n, n].join(' '),
  [INDEX, 'click', 'signup', n, n].join(' '),
  [INDEX, 'select', '', n, n].join(' '),
]);

// load_hourly: nginx's combined format logs no duration, so no server
// rows; one client load time per counted visitor and beacon page (the
// hour may be split if the run crosses one), each no longer than the
// whole visit took.
const lh = {};
for (const r of table('load_hourly')) {
  eq('load_hourly source', r.source, 'client');
  lh[r.page] = (lh[r.page] || 0) + Number(r.n);
  const most = Math.max(...counted.map((v) => v.engaged.index[1] + v.engaged.article[1])) * 1000;
  check('load_hourly ' + r.page + ' max_ms', Number(r.max_ms) <= most, 'got ' + r.max_ms + ', want <= ' + most);
}
eq('load_hourly n per page', lh, { [INDEX]: N, [ARTICLE]: N });

// runs: eight beacon requests per counted visitor, never pageviews; the
// pageviews are the four pages of every visitor.
const run = table('runs')[0] || {};
eq('runs beacon', run.beacon, String(8 * N));
eq('runs pageviews', run.pageviews, String(4 * V));

// The same log with the default K = 5: two visitors are fewer than five,
// so every screen class and every label folds into (other), whose
// visitors are the two visitors again: fewer than five too, so (other) is
// not written either (issue 14: secondary suppression), nor any page's
// engagement or hour of load times. No row of one of these tables stands
// for fewer than five visitors: here, none at all.
if (process.argv[5]) {
  dir5 = process.argv[5];
  const bd = table('breakdown_daily').filter((r) => r.dimension === 'screen').map((r) => [r.page, r.value, r.pageviews, r.visitors].join(' '));
  eq('K=5 breakdown_daily', bd, []);
  const ac = table('action_daily').map((r) => [r.page, r.action, r.label, r.count, r.visitors].join(' '));
  eq('K=5 action_daily', ac, []);
  eq('K=5 engagement_daily', table('engagement_daily').length, 0);
  eq('K=5 load_hourly', table('load_hourly').length, 0);
}

console.log('browser: ' + pass + ' passed, ' + fail + ' failed');
process.exit(fail ? 1 : 0);
