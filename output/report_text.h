/*
 * report_text.h - the report as plain text for a cron mail: per site the
 * overview against the previous period, then the top 10 pages, referrers,
 * browsers and countries, and nothing else. At most 80 columns, numbers
 * right-aligned, long names cut with "..."; a value's control characters
 * are replaced (rbuf_text). A range without data is one line saying so.
 */
#ifndef LF_REPORT_TEXT_H
#define LF_REPORT_TEXT_H

#include "rbuf.h"
#include "report.h"

/* The widest line written. */
#define REPORT_TEXT_WIDTH 80

/* Write the text for rep into b; false when memory ran out. */
bool report_text(const struct report *rep, struct rbuf *b);

#endif
