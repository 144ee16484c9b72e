/*
 * report_page.h - inside the report module: the parts of a site's report
 * read page by page (drill-downs, load times, engagement, actions), and
 * the helpers report.c shares with them. Not for the writers.
 */
#ifndef LF_REPORT_PAGE_H
#define LF_REPORT_PAGE_H

#include "../common/slice.h"
#include "report.h"

/* Called for each row of a query; a non-OK status stops it. */
typedef enum lf_status (*report_row_fn)(void *ctx, const struct db_query *q);

/* Run sql with args bound to ?1 .. ?nargs and call fn on every row. */
enum lf_status report_each(struct db_reader *db, const char *sql, const struct slice *args,
			   int nargs, report_row_fn fn, void *ctx);

/* A copy of s in the report's arena, NUL-terminated; NULL when out of memory. */
const char *report_strdup(struct report *rep, struct slice s);

/* Space for a cut of at most max rows (report_cut_add). */
enum lf_status report_cut_init(struct report *rep, struct report_cut *c, size_t max);

/* Add a row read in order of rank: kept while the cut has room, counted
 * in any case; "(other)" is kept apart. */
enum lf_status report_cut_add(struct report *rep, struct report_cut *c, size_t max,
			      const char *kind, struct slice value, uint64_t pageviews,
			      uint64_t visitors);

/* Fill the percentile estimates of l from its buckets. */
void report_load_settle(struct report_load *l);

/* Read s's drill-downs (of its first REPORT_DRILL_MAX pages), load times,
 * engagement and actions over rep's range. */
enum lf_status report_page_load(struct report *rep, struct db_reader *db,
				struct report_site *s);

#endif
