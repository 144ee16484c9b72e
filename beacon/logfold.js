/*
 * logfold.js - the logfold beacon: tells the site's own web server what a
 * server log cannot see (viewport class, load timing, engaged time, scroll
 * depth, labelled clicks, selections) by GET requests to a static URL of
 * the same site, which the server logs like any request and logfold reads.
 *
 * Include it on every page:
 *   <script src="/logfold.js" data-endpoint="/logfold.gif" defer></script>
 * data-endpoint is optional (default /logfold.gif, logfold's --beacon-path);
 * data-optout-cookie names the opt-out cookie (default logfold_optout, set
 * by beacon/optout.html).
 *
 * What it never does: set or read any storage (no cookie is written, no
 * localStorage, no IndexedDB), send an identifier (no visitor, session or
 * page-view id, no random number), or read a fingerprinting signal (no
 * canvas, fonts, plugins, exact screen size, language, time zone). The
 * viewport width is sent only as one of six classes. A selection is
 * reported as the fact, never its text. It sends nothing at all when the
 * visitor opted out (the site's opt-out cookie) or the browser says
 * Global Privacy Control.
 *
 * Requests, all GET ENDPOINT?p=PATH&e=EVENT&... (keys are logfold's, see
 * logfold(1) BEACON):
 *   e=load   w=CLASS tb=TTFB dc=DOMCONTENTLOADED ld=LOAD (ms)   once
 *   e=leave  en=ENGAGED_SECONDS sc=MAX_SCROLL_PERCENT            once, when
 *            the page is first hidden or left
 *   e=click  lb=LABEL   a link or button with data-logfold="LABEL", an
 *            outbound link (its host), a download (its extension);
 *            other clicks send nothing
 *   e=select            the first text selection of the page view
 */
(function () {
  'use strict';
  var d = document, w = window, n = navigator;        // short names: this file is sent to every visitor
  var me = d.currentScript;                           // the <script> element, for its data- attributes
  var ep = (me && me.getAttribute('data-endpoint')) || '/logfold.gif';  // where requests go
  var oc = (me && me.getAttribute('data-optout-cookie')) || 'logfold_optout';  // the opt-out cookie's name

  if (n.globalPrivacyControl === true) return;        // GPC: the visitor said no, send nothing
  if ((' ' + d.cookie).indexOf(' ' + oc + '=') >= 0) return;  // opted out on the privacy page: nothing

  // send(q): one GET with the page's path and the query q. fetch keepalive
  // survives the page being unloaded; credentials 'omit' sends no cookie;
  // no-store makes the browser ask the server every time, so each event is
  // logged. Browsers without fetch get an image request instead.
  function send(q) {
    var u = ep + '?p=' + encodeURIComponent(location.pathname) + '&e=' + q;  // the path only: no query, no fragment
    if (w.fetch) {
      w.fetch(u, { keepalive: true, credentials: 'omit', cache: 'no-store' })['catch'](function () {});  // a lost beacon is not an error
    } else {
      new Image().src = u;                            // old browsers: same request, best effort
    }
  }

  // The viewport width as a class (Bootstrap's breakpoints), never the pixels.
  function widthClass() {
    var x = w.innerWidth, c = [576, 768, 992, 1200, 1400], k = ['xs', 'sm', 'md', 'lg', 'xl'];  // CSS px, upper bounds
    for (var i = 0; i < c.length; i++) if (x < c[i]) return k[i];  // the first class it is below
    return 'xxl';                                     // 1400 and wider
  }

  // On load: navigation timing in whole ms from the start of navigation.
  function onLoad() {
    var t = w.performance && performance.getEntriesByType && performance.getEntriesByType('navigation')[0];  // Navigation Timing 2
    var q = 'load&w=' + widthClass();                 // the class is sent even when the timing is not
    if (t && t.loadEventEnd > 0) {                    // missing or zero: the timing is not known, send none
      q += '&tb=' + Math.round(t.responseStart) + '&dc=' + Math.round(t.domContentLoadedEventEnd) +
        '&ld=' + Math.round(t.loadEventEnd);
    }
    send(q);                                          // once per page view
  }
  if (d.readyState === 'complete') setTimeout(onLoad, 0);  // loaded before this ran (defer, async)
  else w.addEventListener('load', function () { setTimeout(onLoad, 0); });  // after load: loadEventEnd is set

  // Engaged time: seconds in which the page was visible and the visitor had
  // done something (scroll, key, pointer, touch) within the last IDLE seconds.
  var IDLE = 30, engaged = 0, last = Date.now();
  function active() { last = Date.now(); }          // only the time is kept, never what was done
  ['scroll', 'keydown', 'pointerdown', 'pointermove', 'touchstart', 'wheel'].forEach(function (t) {
    w.addEventListener(t, active, { passive: true, capture: true });  // passive: never slows scrolling
  });
  setInterval(function () {                           // a one-second tick; nothing is sent here
    if (d.visibilityState === 'visible' && Date.now() - last < IDLE * 1000) engaged++;  // visible and active
  }, 1000);

  // Scroll depth: the deepest point seen, as a percentage of the page height.
  var depth = 0;
  function measure() {
    var h = d.documentElement.scrollHeight, seen = w.scrollY + w.innerHeight;  // the bottom of the viewport
    var p = h > 0 ? Math.min(100, Math.floor(seen * 100 / h)) : 100;  // a page that fits is read to 100 %
    if (p > depth) depth = p;                         // the deepest, never the last
  }
  w.addEventListener('scroll', measure, { passive: true });
  w.addEventListener('load', measure);                // a short page: 100 % without scrolling

  // Leaving: report once, when the page is first hidden or unloaded.
  var left = false;
  function leave() {
    if (left) return;                                 // one report per page view (measured counts views)
    left = true;
    measure();                                        // where the viewport is now counts too
    send('leave&en=' + engaged + '&sc=' + depth);
  }
  d.addEventListener('visibilitychange', function () { if (d.visibilityState === 'hidden') leave(); });  // tab switched, app closed (mobile)
  w.addEventListener('pagehide', leave);              // navigated away, closed

  // Clicks: a label only from data-logfold, an outbound link's host or a
  // download's extension; any other click sends nothing.
  d.addEventListener('click', function (ev) {
    var el = ev.target && ev.target.closest && ev.target.closest('a,button,[data-logfold]');  // what was clicked
    if (!el) return;                                  // not a link or button: nothing
    var lb = el.getAttribute('data-logfold');         // the site's own label comes first
    if (!lb && el.href) {
      var u = new URL(el.href, location.href);        // resolved, so relative links compare too
      var ext = /\.([a-z0-9]{1,10})$/i.exec(u.pathname);  // the last segment's extension, if any
      if (u.host !== location.host) lb = u.hostname;  // outbound: the host only, never the path
      else if (el.hasAttribute('download') || (ext && !/^(html?|php|aspx?|jsp)$/i.test(ext[1]))) lb = ext && ext[1].toLowerCase();  // a download: its extension
    }
    if (lb) send('click&lb=' + encodeURIComponent(lb));  // logfold checks and cleans it again
  }, true);                                           // capture: seen even if the page stops the click

  // Selection: the first of the page view, without reading what was selected.
  var selected = false;
  d.addEventListener('selectionchange', function () {
    var s = w.getSelection && w.getSelection();
    if (!selected && s && !s.isCollapsed) {           // isCollapsed: is anything selected, not what
      selected = true;                                // once per page view
      send('select');
    }
  });
})();
