/*
 * tables.h - the rows logfold writes: what aggregate/ produces and output/
 * consumes. Every field here is an aggregate count or a name (site, page);
 * nothing identifies a visitor. Strings are slices owned by the aggregator
 * and valid until it is released.
 */
#ifndef LF_TABLES_H
#define LF_TABLES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../common/dims.h"
#include "../common/skip.h"
#include "../common/slice.h"
#include "load.h"
#include "shardsets.h"

/* One row of page_daily. */
struct page_daily_row {
	struct slice page;
	uint64_t pageviews;
	uint64_t visitors;
	uint64_t visits;
	uint64_t entrances;
	uint64_t bounces;
	uint64_t exits;
	uint64_t time_on_page_s;
	uint64_t time_on_page_n;
};

/* The one row of site_daily: the site's totals that day, counted over its
 * visitors and visits, not summed over pages (a visitor who reads three
 * pages is one visitor of the site). time_on_page_s and _n are the sums of
 * page_daily's; a bounce is a visit of one pageview. */
struct site_daily_row {
	uint64_t pageviews;
	uint64_t visitors;
	uint64_t visits;
	uint64_t bounces;
	uint64_t time_on_page_s;
	uint64_t time_on_page_n;
};

/* One row of breakdown_daily: a page's pageviews and visitors that day for
 * one value of one dimension. Values seen by fewer than --min-visitors
 * visitors are folded into DIM_OTHER. */
struct breakdown_row {
	struct slice page;
	enum dimension dimension;
	struct slice value;
	uint64_t pageviews;
	uint64_t visitors;
};

/* One row of load_hourly: a page's load times in one local hour, from one
 * source, seen by at least --min-visitors visitors; or the page's other
 * hours of that source together (hour "YYYY-MM-DDT(other)", see load.h).
 * Server: only pageviews whose log line carries a duration count.
 * Client: the load times beacon and tracker load events reported. */
struct load_row {
	struct slice page;
	char hour[LOAD_HOUR_MAX]; /* "YYYY-MM-DDTHH" local, or "YYYY-MM-DDT(other)" */
	const char *source; /* LOAD_SOURCE_SERVER or LOAD_SOURCE_CLIENT */
	uint64_t n;     /* = the sum of buckets */
	uint64_t sum_ms;
	uint64_t max_ms;
	uint64_t buckets[LOAD_NBUCKETS]; /* see load.h */
	uint64_t visitors; /* distinct visitors who gave these times */
};

/* The source column of load_hourly: where the times come from. "server" is
 * the log's own duration field (time to answer, as the server measured). */
#define LOAD_SOURCE_SERVER "server"
/* "client" is the navigation timing the browser measured (the beacon's
 * load time, a tracker's pf_* sum): what the visitor waited. */
#define LOAD_SOURCE_CLIENT "client"

/* One row of engagement_daily: what the page views that reported on
 * leaving (beacon) or with heartbeats (tracker) measured, for a page whose
 * measured views came from at least --min-visitors visitors; or, under
 * the page DIM_OTHER, those of the other pages together (events.h). */
struct engagement_row {
	struct slice page;
	uint64_t measured;  /* page views that reported */
	uint64_t engaged_s; /* their engaged seconds, summed */
	uint64_t scroll[4]; /* of them, how many reached 25, 50, 75, 100 % */
	uint64_t visitors;  /* distinct visitors of those views */
};

/* One row of action_daily: an action with one label on a page. Labels
 * seen by fewer than --min-visitors visitors fold into DIM_OTHER. */
struct action_row {
	struct slice page;
	enum action action;
	struct slice label; /* "" when the action had none */
	uint64_t count;
	uint64_t visitors;
};

/* One row of bots_daily: a robot family's requests that day (lines the
 * parser counted as bot, whatever their page). */
struct bot_row {
	struct slice bot;
	uint64_t requests;
};

/* Everything about one (site, day), written as a unit. Rows are sorted by
 * page (byte order), so output is the same whatever the input order. */
struct day_result {
	struct slice site;
	char day[11]; /* "YYYY-MM-DD" */
	const struct page_daily_row *rows;
	size_t nrows;
	const struct breakdown_row *breakdown; /* by page, dimension, value */
	size_t nbreakdown;
	const struct load_row *load; /* by hour, page */
	size_t nload;
	const struct engagement_row *engagement; /* by page */
	size_t nengagement;
	const struct action_row *actions; /* by page, action, label */
	size_t nactions;
	const struct bot_row *bots; /* by robot family (byte order) */
	size_t nbots;
	struct site_daily_row site_total; /* site_daily: one row, every day */
	const struct breakdown_row *site_breakdown; /* by dimension, value; page "" */
	size_t nsite_breakdown;
	const struct shard_set_row *sets; /* a shard's run only (shardsets.h):
					   * written to its shard_sets */
	size_t nsets;
	bool closed; /* final: the days table says 'closed', else 'open' */
	bool ahead;  /* agg_emit only: its rows were written ahead this run
		      * (agg_write_ahead) and have not changed since; it holds
		      * none, and nothing is to be written */
	bool again;  /* its rows were written ahead this run and have changed
		      * since: they replace those, nothing stored before */
	uint32_t min_visitors; /* the K the day was computed with */
	uint32_t mask_bytes;   /* the --mask-bytes its addresses were masked with
				* (set by the run: aggregate/ never sees one) */
};

/*
 * The per-day tables, described once so that every sink writes any of them
 * the same way: a new table is a row type above, an entry in table_defs
 * and a case in table_row (tables.c), plus the SQLite migration that
 * creates it. Every table starts with the columns site and day (or hour,
 * 'YYYY-MM-DDTHH' local, for hourly tables): a day is replaced by deleting
 * exactly the rows of that site whose day (or hour's day) it is.
 */
enum day_table {
	TABLE_PAGE_DAILY,
	TABLE_BREAKDOWN_DAILY,
	TABLE_LOAD_HOURLY,
	TABLE_ENGAGEMENT_DAILY,
	TABLE_ACTION_DAILY,
	TABLE_BOTS_DAILY,
	TABLE_SITE_DAILY,
	TABLE_SITE_BREAKDOWN_DAILY,
	TABLE_DAYS,
	TABLE_COUNT
};

/* load_hourly: 8 + LOAD_NBUCKETS + 3 percentiles. */
#define TABLE_MAX_COLS 25

/*
 * A derived column is computed from the stored ones of its row (the load
 * percentiles from the buckets). The CSV sink writes it like any other;
 * SQLite does not store it (it would not survive a merge of rows) but
 * computes it in a view: load_hourly_stats. Derived columns come last.
 */
struct column {
	const char *name;
	bool integer; /* INTEGER, else TEXT */
	bool derived; /* CSV only; SQLite computes it in a view */
};

struct table_def {
	const char *name;
	bool hourly; /* second column is "hour", not "day" */
	int ncols;   /* including site and day */
	struct column cols[TABLE_MAX_COLS];
};

extern const struct table_def table_defs[TABLE_COUNT];

/* A value of a row: text for TEXT columns, num for INTEGER ones. */
struct cell {
	struct slice text;
	uint64_t num;
};

/* How many rows table t has in d. */
size_t table_nrows(const struct day_result *d, enum day_table t);

/* Row i of table t of d, as table_defs[t].ncols cells (site and day first);
 * without derived, the derived columns (which a database does not store)
 * are left unset. Text cells point into d, or into static storage. */
void table_row(const struct day_result *d, enum day_table t, size_t i, bool derived,
	       struct cell out[TABLE_MAX_COLS]);

/* Fill the derived columns of a row of table t from its stored ones (cells
 * as table_row gives them): the load percentiles from the buckets. A table
 * without derived columns is left as it is. */
void table_derive(enum day_table t, struct cell out[TABLE_MAX_COLS]);

struct run_input {
	const char *name;
	uint64_t lines; /* lines the input has (read, or known from before);
			 * not its size in bytes, which would differ with the
			 * bytes masking removes */
};

/* One row of the runs table. */
struct run_info {
	char started[11]; /* UTC day the run started: no finer timestamp is kept */
	const char *version;
	const struct run_input *inputs;
	size_t ninputs;
	uint64_t lines;
	uint64_t pageviews;
	uint64_t skipped[SKIP_NREASONS];
	uint64_t beacon; /* beacon and tracker requests read (never pageviews) */
};

#endif
