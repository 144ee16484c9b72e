/*
 * report_html.h - the report as one self-contained HTML page: style,
 * script and figures inline, SVG charts, and a Content-Security-Policy
 * that forbids every request (default-src 'none'; the inline style and
 * script allowed by their SHA-256 only), so the page fetches nothing and
 * cannot be made to, even if edited. It opens from file:// offline;
 * without JavaScript it shows the overview, the charts and every table,
 * and the script only adds sorting, filtering, drill-downs and the site
 * selector. --public leaves out the robots, data quality, runs and
 * settings panels.
 */
#ifndef LF_REPORT_HTML_H
#define LF_REPORT_HTML_H

#include "rbuf.h"
#include "report.h"

/* Write the page for rep into b; false when memory ran out (b failed). */
bool report_html(const struct report *rep, struct rbuf *b);

#endif
