/*
 * tables.c - the per-day tables as rows of cells: the one place that knows
 * which field of a typed row goes in which column, so that the SQLite and
 * CSV sinks (and any later one) write every table with the same generic
 * code and the same column order.
 */
#include "tables.h"

#include <string.h>

#define TEXT(n) { n, false }
#define INT(n) { n, true }

const struct table_def table_defs[TABLE_COUNT] = {
	[TABLE_PAGE_DAILY] = { "page_daily", false, 11,
			       { TEXT("site"), TEXT("day"), TEXT("page"), INT("pageviews"),
				 INT("visitors"), INT("visits"), INT("entrances"), INT("bounces"),
				 INT("exits"), INT("time_on_page_s"), INT("time_on_page_n") } },
	[TABLE_BREAKDOWN_DAILY] = { "breakdown_daily", false, 7,
				    { TEXT("site"), TEXT("day"), TEXT("page"), TEXT("dimension"),
				      TEXT("value"), INT("pageviews"), INT("visitors") } },
};

size_t table_nrows(const struct day_result *d, enum day_table t)
{
	switch (t) {
	case TABLE_PAGE_DAILY: return d->nrows;
	case TABLE_BREAKDOWN_DAILY: return d->nbreakdown;
	case TABLE_COUNT: break;
	}
	return 0;
}

static struct cell text(struct slice s)
{
	return (struct cell){ .text = s };
}

static struct cell num(uint64_t v)
{
	return (struct cell){ .num = v };
}

void table_row(const struct day_result *d, enum day_table t, size_t i,
	       struct cell out[TABLE_MAX_COLS])
{
	out[0] = text(d->site);
	out[1] = text(slice_make(d->day, strnlen(d->day, sizeof(d->day))));
	if (t == TABLE_PAGE_DAILY) {
		const struct page_daily_row *r = &d->rows[i];
		out[2] = text(r->page);
		out[3] = num(r->pageviews);
		out[4] = num(r->visitors);
		out[5] = num(r->visits);
		out[6] = num(r->entrances);
		out[7] = num(r->bounces);
		out[8] = num(r->exits);
		out[9] = num(r->time_on_page_s);
		out[10] = num(r->time_on_page_n);
	} else if (t == TABLE_BREAKDOWN_DAILY) {
		const struct breakdown_row *r = &d->breakdown[i];
		out[2] = text(r->page);
		out[3] = text(slice_cstr(dimension_names[r->dimension]));
		out[4] = text(r->value);
		out[5] = num(r->pageviews);
		out[6] = num(r->visitors);
	}
}
