// report.js REPORT_HTML DATABASE FROM TO OUT_DIR - logfold's HTML report in
// headless Chromium, opened from disk: no request at all (every one is
// intercepted and aborted, and counted), no console error, no script but
// the page's own (a hostile page name, referrer, robot and site are in the
// database); the overview and the top-pages table read from the DOM equal
// an independent SQL query over the same database (the sqlite3 command);
// a page's drill-down opens; sorting, filtering, the site selector and a
// chart's keyboard focus work; with JavaScript off the overview and the
// tables are all there; dark, phone and print layouts hold. Screenshots go
// to OUT_DIR for a person to look at. Last line "report-browser: N passed,
// N failed".
'use strict';
const path = require('path');
const { execFileSync } = require('child_process');
const { chromium } = require(path.join(process.env.PW_MODULES || '', 'playwright-core'));

const [file, db, from, to, outDir] = process.argv.slice(2);
const url = 'file://' + path.resolve(file);
const SITE = 'default';
const XSS = '/</script><img src=x onerror=alert(1)>';
let pass = 0, fail = 0;
function check(what, ok, detail) {
  if (ok) pass++;
  else { fail++; console.log('FAIL report-browser: ' + what + (detail ? ': ' + detail : '')); }
}
function eq(what, got, want) {
  check(what, JSON.stringify(got) === JSON.stringify(want), 'got ' + JSON.stringify(got) + ', want ' + JSON.stringify(want));
}

// The rows of a query, as objects (sqlite3 -json); none: [].
function sql(query) {
  const out = execFileSync('sqlite3', ['-json', '-readonly', db, query], { encoding: 'utf8' });
  return out.trim() ? JSON.parse(out) : [];
}
const q = (s) => s.replace(/'/g, "''");
const range = `site = '${q(SITE)}' AND day BETWEEN '${from}' AND '${to}'`;

// A rate in tenths of a percent, half up, as text: the report's rule.
function pct(part, whole) {
  if (!whole) return '-';
  const t = Math.floor((part * 1000 + Math.floor(whole / 2)) / whole);
  return Math.floor(t / 10).toLocaleString('en-US') + '.' + (t % 10) + '%';
}
const num = (s) => Number(String(s).replace(/,/g, ''));

// What the report must show, from SQL alone.
function expected() {
  const o = sql(`SELECT sum(visitors) AS visitors, sum(visits) AS visits, sum(pageviews) AS pageviews,
      sum(bounces) AS bounces, sum(time_on_page_s) AS s, sum(time_on_page_n) AS n
    FROM site_daily WHERE ${range}`)[0];
  const pages = sql(`SELECT page, sum(pageviews) AS pv, sum(visitors) AS v, sum(visits) AS vi,
      sum(entrances) AS en, sum(exits) AS ex, sum(bounces) AS b, sum(time_on_page_s) AS s,
      sum(time_on_page_n) AS n
    FROM page_daily WHERE ${range} GROUP BY page ORDER BY pv DESC, v DESC, page LIMIT 500`)
    .map((r) => [r.page, r.pv, r.v, r.vi, r.en, r.ex, pct(r.b, r.en), r.n ? String(Math.floor((r.s + Math.floor(r.n / 2)) / r.n)) : '']);
  const withTotals = sql(`SELECT count(*) AS n FROM site_daily WHERE ${range}`)[0].n;
  return { o, pages, withTotals };
}

// The overview and the pages table of the site's section, from the DOM.
async function shown(page) {
  return page.evaluate((site) => {
    const sec = [...document.querySelectorAll('section.site')].find((s) => s.dataset.name === site);
    const card = (k) => sec.querySelector(`dd[data-k="${k}"]`);
    const rows = [...sec.querySelectorAll('table.pages tbody tr')].map((tr) => {
      const c = [...tr.cells];
      return [c[0].textContent, ...c.slice(1, 6).map((x) => Number(x.textContent.replace(/,/g, ''))), c[6].textContent, c[7].dataset.v];
    });
    return {
      id: sec.id,
      visitors: card('visitors').textContent, visits: card('visits').textContent,
      pageviews: card('pageviews').textContent, bounce: card('bounce_rate').textContent,
      time: card('time_on_page').dataset.v, rows,
      gaps: sec.querySelectorAll('#' + sec.id + '-days svg .gap').length,
    };
  }, SITE);
}

function checkFigures(what, got, want) {
  eq(what + ': visitors', num(got.visitors), want.o.visitors);
  eq(what + ': visits', num(got.visits), want.o.visits);
  eq(what + ': pageviews', num(got.pageviews), want.o.pageviews);
  eq(what + ': bounce rate', got.bounce, pct(want.o.bounces, want.o.visits));
  eq(what + ': time on page', got.time, String(Math.floor((want.o.s + Math.floor(want.o.n / 2)) / want.o.n)));
  eq(what + ': top pages rows', got.rows.length, want.pages.length);
  eq(what + ': top pages table', got.rows, want.pages);
}

// A page watched for everything it must not do.
async function open(browser, options) {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  const seen = { requests: [], errors: [], dialogs: [] };
  await context.route('**/*', (route) => {
    const u = route.request().url();
    if (u === url) return route.continue();
    seen.requests.push(u);
    return route.abort();
  });
  page.on('request', (r) => { if (r.url() !== url) seen.requests.push(r.url()); });
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') seen.errors.push(m.text()); });
  page.on('pageerror', (e) => seen.errors.push(String(e)));
  page.on('dialog', (d) => { seen.dialogs.push(d.message()); d.dismiss(); });
  await page.goto(url);
  return { context, page, seen };
}

function checkQuiet(what, seen) {
  eq(what + ': network requests', [...new Set(seen.requests)], []);
  eq(what + ': console errors', seen.errors, []);
  eq(what + ': dialogs (a script ran)', seen.dialogs, []);
}

async function withScript(browser, want) {
  const { context, page, seen } = await open(browser, { viewport: { width: 1200, height: 900 } });
  const got = await shown(page);
  checkFigures('js', got, want);
  eq('js: the hostile page is text, first', got.rows[0] && got.rows[0][0], XSS);
  eq('js: no image element', await page.evaluate(() => document.images.length), 0);
  eq('js: gaps in the chart (days without site totals)', got.gaps, 7 - want.withTotals);
  await page.screenshot({ path: path.join(outDir, 'report.png') });

  // the drill-down of the first page
  const sec = '#' + got.id;
  await page.click(`${sec} table.pages tbody tr:first-child button.drill-open`);
  const drill = page.locator(`${sec}-drill`);
  check('drill-down: shown', await drill.isVisible());
  eq('drill-down: its page', await drill.locator('h3').textContent(), 'Page ' + XSS);
  check('drill-down: its chart', (await drill.locator('svg.chart').count()) === 1);
  const refs = await drill.locator('table').filter({ hasText: 'Referrers' }).locator('td.v').allTextContents();
  check('drill-down: its referrers, the hostile one as text', refs.includes(XSS), JSON.stringify(refs));
  await drill.screenshot({ path: path.join(outDir, 'drill.png') });
  await page.click(`${sec}-drill button.close`);
  check('drill-down: closes', !(await drill.isVisible()));

  // sorting by visitors, then filtering
  await page.click(`${sec} table.pages thead th:nth-child(3) button`);
  const vis = await page.$$eval(`${sec} table.pages tbody tr td:nth-child(3)`, (t) => t.map((x) => Number(x.dataset.v)));
  eq('sort: visitors, descending', vis, [...vis].sort((a, b) => b - a));
  await page.fill(`${sec} .tools input`, 'blog');
  const rows = await page.$$eval(`${sec} table.pages tbody tr`, (t) => t.map((r) => [r.hidden, r.cells[0].textContent]));
  check('filter: the rows shown hold "blog", the others not',
    rows.some((r) => !r[0]) && rows.every((r) => r[0] === !r[1].toLowerCase().includes('blog')));

  // a day of the chart by keyboard: its tooltip shows
  await page.focus(`${sec}-days svg .pt:nth-of-type(2)`);
  eq('chart: focus shows the day', await page.$eval(`${sec}-days svg .pt:focus .tip`, (t) => getComputedStyle(t).display !== 'none'), true);

  // the site selector: one site at a time
  const sel = page.locator('header select');
  await sel.selectOption({ label: SITE });
  eq('sites: the other one hidden', await page.$$eval('section.site', (s) => s.map((x) => x.classList.contains('site-hidden'))), [true, false]);

  // print: no controls
  await page.emulateMedia({ media: 'print' });
  eq('print: no filter box', await page.$eval(`${sec} .tools`, (t) => getComputedStyle(t).display), 'none');
  checkQuiet('js', seen);
  await context.close();
}

async function withoutScript(browser, want) {
  const { context, page, seen } = await open(browser, { viewport: { width: 1200, height: 900 }, javaScriptEnabled: false });
  checkFigures('no js', await shown(page), want);
  eq('no js: no drill-down button, no filter box', await page.evaluate(() => document.querySelectorAll('button, input').length), 0);
  check('no js: the charts are there', (await page.locator('svg.chart').count()) >= 2);
  await page.screenshot({ path: path.join(outDir, 'nojs.png') });
  checkQuiet('no js', seen);
  await context.close();
}

async function layouts(browser) {
  let o = await open(browser, { viewport: { width: 1000, height: 800 }, colorScheme: 'dark' });
  eq('dark: a dark background', await o.page.evaluate(() => getComputedStyle(document.body).backgroundColor), 'rgb(20, 23, 28)');
  await o.page.screenshot({ path: path.join(outDir, 'dark.png') });
  checkQuiet('dark', o.seen);
  await o.context.close();
  o = await open(browser, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const w = await o.page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  check('phone: no sideways scrolling of the page', w[0] <= w[1], JSON.stringify(w));
  await o.page.screenshot({ path: path.join(outDir, 'phone.png') });
  checkQuiet('phone', o.seen);
  await o.context.close();
}

(async () => {
  const want = expected();
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run'],
    timeout: 30000,
  });
  try {
    await withScript(browser, want);
    await withoutScript(browser, want);
    await layouts(browser);
  } finally {
    await browser.close();
  }
  console.log('report-browser: ' + pass + ' passed, ' + fail + ' failed');
  process.exit(fail ? 1 : 0);
})().catch((e) => {
  console.log('FAIL report-browser: ' + (e && e.stack ? e.stack : e));
  console.log('report-browser: ' + pass + ' passed, ' + (fail + 1) + ' failed');
  process.exit(1);
});
