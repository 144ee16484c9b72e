/* report.js - what the script adds to logfold's HTML report, inlined into
 * every report (the Makefile turns it into a C string; the page's
 * Content-Security-Policy allows this script, by its hash, and nothing
 * else). Without it the page shows everything but the drill-downs: the
 * script only sorts and filters tables, opens a page's drill-down (a
 * <template> logfold wrote), and picks a site. It reads nothing but the
 * page, builds elements with textContent only, and makes no request. */
(function () {
  'use strict';
  var doc = document;
  var each = function (list, fn) { Array.prototype.forEach.call(list, fn); };

  // The raw value of a cell (data-v), or -1 when it has none ("-").
  function value(cell) {
    var v = cell.getAttribute('data-v');
    return v === null || v === '' ? -1 : Number(v);
  }

  function sortBy(table, col, kind, th) {
    var was = th.getAttribute('aria-sort');
    var desc = kind === 'num' ? was !== 'descending' : was === 'ascending';
    each(table.tHead.rows[0].cells, function (h) { h.removeAttribute('aria-sort'); });
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = a.cells[col], y = b.cells[col];
      var r = kind === 'num' ? value(x) - value(y) : x.textContent.localeCompare(y.textContent);
      return desc ? -r : r;
    });
    rows.forEach(function (r) { body.appendChild(r); });
    th.setAttribute('aria-sort', desc ? 'descending' : 'ascending');
  }

  // Each header with data-sort becomes a button that sorts by its column.
  function sortable(table) {
    each(table.tHead.rows[0].cells, function (th, col) {
      var kind = th.getAttribute('data-sort');
      if (!kind) return;
      var b = doc.createElement('button');
      b.type = 'button';
      while (th.firstChild) b.appendChild(th.firstChild);
      th.appendChild(b);
      b.addEventListener('click', function () { sortBy(table, col, kind, th); });
    });
  }

  // A search box above the pages table: rows whose page holds the text.
  function filterable(table) {
    var box = doc.createElement('div');
    var label = doc.createElement('label');
    var input = doc.createElement('input');
    var count = doc.createElement('span');
    box.className = 'tools';
    label.textContent = 'Filter pages ';
    input.type = 'search';
    input.setAttribute('aria-controls', table.id);
    count.className = 'muted';
    count.setAttribute('aria-live', 'polite');
    label.appendChild(input);
    box.appendChild(label);
    box.appendChild(count);
    input.addEventListener('input', function () {
      var q = input.value.toLowerCase(), shown = 0;
      each(table.tBodies[0].rows, function (r) {
        var hit = r.cells[0].textContent.toLowerCase().indexOf(q) >= 0;
        r.hidden = !hit;
        if (hit) shown++;
      });
      count.textContent = q ? shown + ' of ' + table.tBodies[0].rows.length + ' pages' : '';
    });
    var wrap = table.parentNode;
    wrap.parentNode.insertBefore(box, wrap);
  }

  function openDrill(panel, tr, button) {
    var tpl = doc.getElementById(tr.getAttribute('data-drill'));
    if (!tpl) return;
    each(tr.parentNode.rows, function (r) { r.classList.remove('chosen'); });
    tr.classList.add('chosen');
    panel.textContent = '';
    var close = doc.createElement('button');
    close.type = 'button';
    close.className = 'close';
    close.textContent = 'Close';
    close.addEventListener('click', function () {
      panel.hidden = true;
      tr.classList.remove('chosen');
      button.focus();
    });
    panel.appendChild(close);
    panel.appendChild(tpl.content.cloneNode(true));
    panel.hidden = false;
    var h = panel.querySelector('h3');
    if (h) {
      h.tabIndex = -1;
      h.focus();
    }
  }

  // The page of each row with a drill-down becomes a button that opens it.
  function drillable(table) {
    var panel = doc.getElementById(table.getAttribute('data-panel'));
    if (!panel) return;
    each(table.querySelectorAll('tr[data-drill]'), function (tr) {
      var cell = tr.cells[0];
      var b = doc.createElement('button');
      b.type = 'button';
      b.className = 'drill-open';
      b.setAttribute('aria-controls', panel.id);
      b.title = 'Show this page\'s days, breakdowns and load times';
      while (cell.firstChild) b.appendChild(cell.firstChild);
      cell.appendChild(b);
      b.addEventListener('click', function () { openDrill(panel, tr, b); });
    });
  }

  // With several sites: a selector that shows one of them, or all.
  function siteSelector() {
    var sites = doc.querySelectorAll('section.site');
    var nav = doc.querySelector('nav.sites');
    if (sites.length < 2 || !nav) return;
    var label = doc.createElement('label');
    var select = doc.createElement('select');
    label.textContent = 'Site ';
    var all = doc.createElement('option');
    all.value = '';
    all.textContent = 'all ' + sites.length + ' sites';
    select.appendChild(all);
    each(sites, function (s) {
      var o = doc.createElement('option');
      o.value = s.id;
      o.textContent = s.getAttribute('data-name');
      select.appendChild(o);
    });
    select.addEventListener('change', function () {
      each(sites, function (s) { s.classList.toggle('site-hidden', !!select.value && s.id !== select.value); });
    });
    label.appendChild(select);
    nav.parentNode.insertBefore(label, nav);
  }

  each(doc.querySelectorAll('table.sortable'), sortable);
  each(doc.querySelectorAll('table.pages'), function (t) {
    filterable(t);
    drillable(t);
  });
  siteSelector();
  window.addEventListener('beforeprint', function () {
    each(doc.querySelectorAll('details'), function (d) { d.open = true; });
  });
})();
