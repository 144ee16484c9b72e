// visit.js BASE_URL OUT_JSON - drive headless Chromium through testdata/site
// as four visitors and write down what they did, as the tables logfold must
// then hold (tests/check-browser.sh runs logfold and compares).
//
// Visitors (each its own browser context: no shared state, its own user
// agent, so each is one logfold visitor; all come from 127.0.0.1):
//   desktop         1280x800  -> class xl (1200 <= 1280 < 1400)
//   mobile          390x844, touch, mobile -> class xs (390 < 576)
//   desktop-optout  as desktop, with the opt-out cookie logfold_optout=1
//   mobile-optout   as mobile, with Global Privacy Control on
// Each one: opens /index.html, clicks the button labelled "signup", selects
// the paragraph's text, clicks the download link (report.pdf), scrolls to
// 60 % of the page, waits, clicks the internal link to /article.html (a
// short page: scroll depth 100 at once), waits, clicks the outbound link
// (localhost, another host), which leaves the page. Opted-out visitors do
// the same and the beacon must send nothing for them.
'use strict';
const path = require('path');
const fs = require('fs');
const { chromium } = require(path.join(process.env.PW_MODULES || '', 'playwright-core'));

const base = process.argv[2];
const outFile = process.argv[3];
const DESKTOP_UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';
const MOBILE_UA = 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36';
const visitors = [
  { name: 'desktop', ua: DESKTOP_UA + ' A', viewport: { width: 1280, height: 800 }, mobile: false, cls: 'xl' },
  { name: 'mobile', ua: MOBILE_UA + ' B', viewport: { width: 390, height: 844 }, mobile: true, cls: 'xs' },
  { name: 'desktop-optout', ua: DESKTOP_UA + ' C', viewport: { width: 1280, height: 800 }, mobile: false, optout: 'cookie' },
  { name: 'mobile-optout', ua: MOBILE_UA + ' D', viewport: { width: 390, height: 844 }, mobile: true, optout: 'gpc' },
];
const SCROLL_TO = 60; // percent of the index page reached by scrolling
const WAIT_INDEX_MS = 3000;
const WAIT_ARTICLE_MS = 1000;

// Beacon requests a page sent, as seen by the browser.
function watch(page, log) {
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (u.pathname === '/logfold.gif') log.push(u.searchParams.get('e') + ' ' + u.searchParams.get('p'));
  });
}

// Resolves when the beacon request for event on page p was answered (or,
// for an opted-out visitor, after a moment in which it could have been).
async function beaconSent(page, event, opted, p) {
  if (opted) return page.waitForTimeout(300);
  return page.waitForResponse((r) => {
    const u = new URL(r.url());
    return u.pathname === '/logfold.gif' && u.searchParams.get('e') === event && u.searchParams.get('p') === (p || '/index.html');
  }, { timeout: 10000 });
}

async function visit(browser, v) {
  const context = await browser.newContext({
    userAgent: v.ua, viewport: v.viewport, isMobile: v.mobile, hasTouch: v.mobile, acceptDownloads: true,
  });
  if (v.optout === 'cookie') await context.addCookies([{ name: 'logfold_optout', value: '1', url: base }]);
  if (v.optout === 'gpc') {
    await context.addInitScript(() => Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true }));
  }
  const page = await context.newPage();
  const sent = [];
  watch(page, sent);
  const opted = !!v.optout;
  const t0 = Date.now();
  await Promise.all([beaconSent(page, 'load', opted), page.goto(base + '/index.html')]);
  const width = await page.evaluate(() => window.innerWidth);
  await Promise.all([beaconSent(page, 'click', opted), page.click('#signup')]);
  await Promise.all([beaconSent(page, 'select', opted), page.evaluate(() => {
    const r = document.createRange();
    r.selectNodeContents(document.getElementById('text'));
    getSelection().removeAllRanges();
    getSelection().addRange(r);
  })]);
  // the download must fall in a later second than the index itself, or
  // logfold (rightly) orders the two by name and the pdf is the entrance
  await page.waitForTimeout(Math.max(0, 1100 - (Date.now() - t0)));
  await Promise.all([page.waitForEvent('download'), beaconSent(page, 'click', opted), page.click('#download')]);
  await page.evaluate((pct) => {
    const h = document.documentElement.scrollHeight;
    window.scrollTo(0, Math.ceil(h * pct / 100 - window.innerHeight));
  }, SCROLL_TO);
  await page.waitForTimeout(WAIT_INDEX_MS - (Date.now() - t0) > 0 ? WAIT_INDEX_MS - (Date.now() - t0) : 0);
  const tLeaveIndex = Date.now();
  await Promise.all([page.waitForURL('**/article.html'), beaconSent(page, 'load', opted, '/article.html'), page.click('#next')]);
  const t1 = Date.now();
  await page.waitForTimeout(WAIT_ARTICLE_MS);
  const tLeaveArticle = Date.now();
  await Promise.all([page.waitForURL('**/outbound.html'), page.click('#out')]);
  const tEnd = Date.now();
  await page.waitForTimeout(500); // the last leave request is a keepalive fetch
  await context.close();
  return {
    name: v.name, ua: v.ua, cls: v.cls, width, opted, sent,
    // engaged seconds are whole ticks of a one-second timer: at least the
    // time surely spent, less one tick; at most the time that might have been
    engaged: {
      index: [Math.floor((tLeaveIndex - t0) / 1000) - 2, Math.ceil((t1 - t0) / 1000) + 1],
      article: [Math.max(0, Math.floor((tLeaveArticle - t1) / 1000) - 2), Math.ceil((tEnd - t1) / 1000) + 1],
    },
  };
}

// One browser per visitor, its user agent given on the command line too:
// requests sent while a page unloads (the beacon's keepalive leave) come
// from the browser's network service, which ignores a context's emulated
// agent, and would look like another visitor.
async function run(v) {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--user-agent=' + v.ua],
    // no --user-data-dir: Playwright refuses it in args and starts every
    // launch on a fresh profile of its own in a temporary directory
    timeout: 30000,
  });
  try {
    return await visit(browser, v);
  } finally {
    await browser.close();
  }
}

(async () => {
  const done = [];
  for (const v of visitors) done.push(await run(v));
  fs.writeFileSync(outFile, JSON.stringify({ scrollTo: SCROLL_TO, visitors: done }, null, 1));
})().catch((e) => {
  console.error('visit: ' + (e && e.stack ? e.stack : e));
  process.exit(1);
});
