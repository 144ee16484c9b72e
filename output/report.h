/*
 * report.h - what `logfold report` shows, read from a logfold database into
 * one model that the HTML, text and JSON writers (report_html.h,
 * report_text.h, report_json.h) render: per site, the overview against the
 * previous period, the days, the top pages and their drill-downs, the
 * breakdowns, load times, engagement, actions, robots; and the runs and
 * settings behind the data.
 *
 * Every figure is read, never recomputed from raw data (there is none):
 * site totals come from site_daily, so a visitor is counted once a day.
 * Over a range, visitors are the sum of the daily figures. Tables are cut
 * to the top N below, and say how many rows there were. The model owns
 * its strings (an arena); it holds no identifier because no table does.
 * Nothing here prints: failures are a status and a message.
 */
#ifndef LF_REPORT_H
#define LF_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../common/arena.h"
#include "../common/dims.h"
#include "../common/skip.h"
#include "../common/status.h"
#include "db.h"

/* The cuts, chosen so that the 30-day benchmark database (10 M lines)
 * gives a report under 3 MB: every page's row is some 400 bytes of HTML,
 * a drill-down some 10 KB. */
#define REPORT_PAGES_MAX 500      /* rows of the top-pages table */
#define REPORT_DRILL_MAX 100      /* of them, pages with a drill-down */
#define REPORT_VALUES_MAX 10      /* values per breakdown (site) */
#define REPORT_DRILL_VALUES_MAX 5 /* values per breakdown in a drill-down */
#define REPORT_SLOW_MAX 10        /* slowest pages, per source */
#define REPORT_SLOW_MIN_N 10      /* timed views a page needs to be ranked */
#define REPORT_ACTIONS_MAX 20     /* actions and labels */
#define REPORT_BOTS_MAX 20        /* robot families */
#define REPORT_RUNS_MAX 50        /* runs, the latest first */
#define REPORT_SITES_MAX 64       /* sites in one report */
/* The longest range: a leap year and a day. Retention keeps 25 months at
 * most, but a report of more than a year per day is no longer readable. */
#define REPORT_DAYS_MAX 367
/* The default range: the last REPORT_DAYS_DEFAULT days of the database. */
#define REPORT_DAYS_DEFAULT 30

/* Load time sources, in load_hourly's words. */
enum report_source { REPORT_SERVER, REPORT_CLIENT, REPORT_NSOURCES };

/* A sum of site_daily (or page_daily) rows. */
struct report_totals {
	uint64_t pageviews, visitors, visits, bounces, time_s, time_n;
	uint64_t entrances, exits; /* pages only */
};

enum report_day_state {
	REPORT_DAY_NONE,   /* no data: drawn as a gap */
	REPORT_DAY_OPEN,   /* still changing */
	REPORT_DAY_CLOSED, /* final */
};

struct report_day {
	char day[11];
	enum report_day_state state;
	bool has_totals; /* a site_daily row (days written before schema 9 have none) */
	struct report_totals t;
};

/* Load times over some set of load_hourly rows: buckets added up. */
struct report_load {
	uint64_t n, max_ms, buckets[13];
	uint64_t p50, p75, p95; /* estimates (aggregate/load.h); 0 when n is 0 */
};

/* One row of a cut table: a breakdown value, an action label, a robot. */
struct report_cell {
	const char *kind;   /* actions: "click", "select", "event"; else NULL */
	const char *value;
	uint64_t pageviews; /* or count, or requests */
	uint64_t visitors;  /* summed per day (and per page for actions) */
};

/* A table cut to its top rows. (other), the small cells folded on
 * purpose, is never among rows: it is other_*, apart. */
struct report_cut {
	struct report_cell *rows;
	size_t n;
	size_t total;             /* values there were, (other) not counted */
	uint64_t sum_pageviews;   /* over every value and (other) */
	uint64_t sum_visitors;
	bool has_other;
	uint64_t other_pageviews, other_visitors;
};

struct report_engagement {
	uint64_t measured, engaged_s, scroll[4]; /* 25, 50, 75, 100 % */
};

struct report_page {
	const char *page;
	struct report_totals t;
	int drill; /* index in site->drills, or -1 */
};

/* A page's drill-down. */
struct report_drill {
	const char *page;
	struct report_totals *days; /* by day of the range (pageviews, visitors) */
	bool *has_day;
	struct report_cut dims[DIM_COUNT];
	struct report_load load[REPORT_NSOURCES];
	struct report_engagement eng;
	struct report_cut actions;
};

struct report_slow {
	const char *page;
	struct report_load load;
};

struct report_site {
	const char *site;
	struct report_totals cur, prev;
	size_t cur_days, prev_days;  /* days with site totals in each period */
	size_t missing_totals;       /* days written without site totals */
	struct report_day *days;     /* the range, one per day */
	struct report_page *pages;
	size_t npages, pages_total;
	struct report_cut dims[DIM_COUNT];
	struct report_load (*load_days)[REPORT_NSOURCES]; /* by day of the range */
	struct report_load load[REPORT_NSOURCES];
	struct report_slow *slow[REPORT_NSOURCES];
	size_t nslow[REPORT_NSOURCES];
	struct report_engagement eng;
	struct report_cut actions;
	struct report_cut bots;
	struct report_drill *drills;
	size_t ndrills;
	/* the settings the days were computed with, from the days table when
	 * it keeps them (min and max over the range; -1: unknown), and whether
	 * some days of the range do not say */
	int k_min, k_max, mask_min, mask_max;
	bool k_partial, mask_partial;
};

struct report_run {
	char started[11];
	const char *version;
	uint64_t inputs, lines, pageviews, beacon;
	uint64_t skipped[SKIP_NREASONS];
};

/* What the caller says: the choices of the command line, and the settings
 * it runs with (for the privacy statement: retention and opt-out are not
 * kept with the data). */
struct report_options {
	const char *site;    /* NULL: every site */
	const char *from;    /* "YYYY-MM-DD" or NULL */
	const char *to;
	bool public_page;    /* --public: no data quality, robots, settings */
	int wait_s;          /* for a writer holding the database */
	int retention;       /* months, as configured now */
	bool honor_gpc, honor_dnt, optout_cookie; /* opt-out, as configured now */
	const char *config_file; /* or NULL */
	const char *version;     /* logfold's */
	const char *today;       /* "YYYY-MM-DD" */
};

struct report {
	struct arena arena;
	struct report_options opt;
	char from[11], to[11], prev_from[11], prev_to[11];
	size_t ndays;
	const char *const *day_names; /* the days of the range, "YYYY-MM-DD" */
	struct report_site *sites;
	size_t nsites, sites_total; /* shown; in the database (REPORT_SITES_MAX) */
	bool any_data; /* some day of some site in the range */
	struct report_run *runs;
	size_t nruns, runs_total;
};

/* Why report_load failed, for the caller's message and exit status. */
enum report_error {
	REPORT_OK,
	REPORT_ERR_OPEN,    /* cannot open or read the database (message) */
	REPORT_ERR_BUSY,    /* another writer held it past the wait */
	REPORT_ERR_NOT_OURS,/* not a logfold database */
	REPORT_ERR_OLD,     /* a schema without site_daily: run logfold once */
	REPORT_ERR_NEW,     /* a schema newer than this logfold's */
	REPORT_ERR_EMPTY,   /* no day at all */
	REPORT_ERR_SITE,    /* --site names no site of the database */
	REPORT_ERR_RANGE,   /* --from after --to, or longer than REPORT_DAYS_MAX */
	REPORT_ERR_NOMEM,
};

/*
 * Read the report for opt from the database at path into *rep (which the
 * caller releases with report_free, also after a failure). On failure the
 * message is in err (errlen bytes), naming the database and what to do.
 */
enum report_error report_load(struct report *rep, const char *path,
			      const struct report_options *opt, char *err, size_t errlen);

void report_free(struct report *rep);

#endif
