/*
 * report_json.h - the report as one JSON object (for dashboards and
 * scripts): every figure the HTML page shows, as numbers rather than
 * formatted text. The shape is documented in the README ("logfold
 * report") and the man page; "format": 1 names this version of it, and a
 * later one adds keys without changing these. --public leaves out "bots",
 * "quality", "runs" and "settings", as the page does.
 */
#ifndef LF_REPORT_JSON_H
#define LF_REPORT_JSON_H

#include "rbuf.h"
#include "report.h"

/* Write the object for rep into b (one line and a newline); false when
 * memory ran out. */
bool report_json(const struct report *rep, struct rbuf *b);

#endif
