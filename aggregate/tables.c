/*
 * tables.c - the per-day tables as rows of cells: the one place that knows
 * which field of a typed row goes in which column, so that the SQLite and
 * CSV sinks (and any later one) write every table with the same generic
 * code and the same column order.
 */
#include "tables.h"

#include <string.h>

#define TEXT(n) { n, false, false }
#define INT(n) { n, true, false }
#define DERIVED(n) { n, true, true }

const struct table_def table_defs[TABLE_COUNT] = {
	[TABLE_PAGE_DAILY] = { "page_daily", false, 11,
			       { TEXT("site"), TEXT("day"), TEXT("page"), INT("pageviews"),
				 INT("visitors"), INT("visits"), INT("entrances"), INT("bounces"),
				 INT("exits"), INT("time_on_page_s"), INT("time_on_page_n") } },
	[TABLE_BREAKDOWN_DAILY] = { "breakdown_daily", false, 7,
				    { TEXT("site"), TEXT("day"), TEXT("page"), TEXT("dimension"),
				      TEXT("value"), INT("pageviews"), INT("visitors") } },
	/* visitors last of the stored columns: where ALTER TABLE put it in
	 * SQLite (schema 9), so that both sinks have one column order */
	[TABLE_LOAD_HOURLY] = { "load_hourly", true, 8 + LOAD_NBUCKETS + 3,
				{ TEXT("site"), TEXT("hour"), TEXT("page"), TEXT("source"),
				  INT("n"), INT("sum_ms"), INT("max_ms"), INT("le_10"), INT("le_25"),
				  INT("le_50"), INT("le_100"), INT("le_250"), INT("le_500"),
				  INT("le_1000"), INT("le_2500"), INT("le_5000"), INT("le_10000"),
				  INT("le_25000"), INT("le_60000"), INT("gt_60000"), INT("visitors"),
				  DERIVED("p50_ms"), DERIVED("p75_ms"), DERIVED("p95_ms") } },
	[TABLE_ENGAGEMENT_DAILY] = { "engagement_daily", false, 10,
				     { TEXT("site"), TEXT("day"), TEXT("page"), INT("measured"),
				       INT("engaged_s"), INT("scroll_25"), INT("scroll_50"),
				       INT("scroll_75"), INT("scroll_100"), INT("visitors") } },
	[TABLE_ACTION_DAILY] = { "action_daily", false, 7,
				 { TEXT("site"), TEXT("day"), TEXT("page"), TEXT("action"),
				   TEXT("label"), INT("count"), INT("visitors") } },
	[TABLE_BOTS_DAILY] = { "bots_daily", false, 4,
			       { TEXT("site"), TEXT("day"), TEXT("bot"), INT("requests") } },
	/* One row per day written: the site's own totals (a visitor once). */
	[TABLE_SITE_DAILY] = { "site_daily", false, 8,
			       { TEXT("site"), TEXT("day"), INT("pageviews"), INT("visitors"),
				 INT("visits"), INT("bounces"), INT("time_on_page_s"),
				 INT("time_on_page_n") } },
	[TABLE_SITE_BREAKDOWN_DAILY] = { "site_breakdown_daily", false, 6,
					 { TEXT("site"), TEXT("day"), TEXT("dimension"),
					   TEXT("value"), INT("pageviews"), INT("visitors") } },
	/* One row per day written: whether it is final (see agg.h), and the
	 * K and mask it was computed with. */
	[TABLE_DAYS] = { "days", false, 5,
			 { TEXT("site"), TEXT("day"), TEXT("state"), INT("min_visitors"),
			   INT("mask_bytes") } },
};

/* The percentiles of load_hourly's derived columns, in column order. */
static const int load_quantiles[3] = { 50, 75, 95 };

size_t table_nrows(const struct day_result *d, enum day_table t)
{
	switch (t) {
	case TABLE_PAGE_DAILY: return d->nrows;
	case TABLE_BREAKDOWN_DAILY: return d->nbreakdown;
	case TABLE_LOAD_HOURLY: return d->nload;
	case TABLE_ENGAGEMENT_DAILY: return d->nengagement;
	case TABLE_ACTION_DAILY: return d->nactions;
	case TABLE_BOTS_DAILY: return d->nbots;
	case TABLE_SITE_DAILY: return 1;
	case TABLE_SITE_BREAKDOWN_DAILY: return d->nsite_breakdown;
	case TABLE_DAYS: return 1;
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

void table_row(const struct day_result *d, enum day_table t, size_t i, bool derived,
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
	} else if (t == TABLE_LOAD_HOURLY) {
		const struct load_row *r = &d->load[i];
		out[1] = text(slice_make(r->hour, strnlen(r->hour, sizeof(r->hour))));
		out[2] = text(r->page);
		out[3] = text(slice_cstr(r->source));
		out[4] = num(r->n);
		out[5] = num(r->sum_ms);
		out[6] = num(r->max_ms);
		for (int b = 0; b < LOAD_NBUCKETS; b++)
			out[7 + b] = num(r->buckets[b]);
		out[7 + LOAD_NBUCKETS] = num(r->visitors);
		if (derived)
			table_derive(t, out);
	} else if (t == TABLE_ENGAGEMENT_DAILY) {
		const struct engagement_row *r = &d->engagement[i];
		out[2] = text(r->page);
		out[3] = num(r->measured);
		out[4] = num(r->engaged_s);
		for (int k = 0; k < 4; k++)
			out[5 + k] = num(r->scroll[k]);
		out[9] = num(r->visitors);
	} else if (t == TABLE_ACTION_DAILY) {
		const struct action_row *r = &d->actions[i];
		out[2] = text(r->page);
		out[3] = text(slice_cstr(action_names[r->action]));
		out[4] = text(r->label);
		out[5] = num(r->count);
		out[6] = num(r->visitors);
	} else if (t == TABLE_BOTS_DAILY) {
		out[2] = text(d->bots[i].bot);
		out[3] = num(d->bots[i].requests);
	} else if (t == TABLE_SITE_DAILY) {
		const struct site_daily_row *r = &d->site_total;
		out[2] = num(r->pageviews);
		out[3] = num(r->visitors);
		out[4] = num(r->visits);
		out[5] = num(r->bounces);
		out[6] = num(r->time_on_page_s);
		out[7] = num(r->time_on_page_n);
	} else if (t == TABLE_SITE_BREAKDOWN_DAILY) {
		const struct breakdown_row *r = &d->site_breakdown[i];
		out[2] = text(slice_cstr(dimension_names[r->dimension]));
		out[3] = text(r->value);
		out[4] = num(r->pageviews);
		out[5] = num(r->visitors);
	} else if (t == TABLE_DAYS) {
		out[2] = text(slice_cstr(d->closed ? "closed" : "open"));
		out[3] = num(d->min_visitors);
		out[4] = num(d->mask_bytes);
	}
}

void table_derive(enum day_table t, struct cell out[TABLE_MAX_COLS])
{
	uint64_t buckets[LOAD_NBUCKETS];
	if (t != TABLE_LOAD_HOURLY)
		return;
	for (int b = 0; b < LOAD_NBUCKETS; b++)
		buckets[b] = out[7 + b].num;
	/* the derived columns come last, after visitors (see table_defs) */
	for (int q = 0; q < 3; q++)
		out[8 + LOAD_NBUCKETS + q] =
			num(load_percentile(buckets, out[6].num, load_quantiles[q]));
}
