/*
 * report.c - the report's model read from a logfold database (report.h):
 * the checks that the database can be reported on, the sites and the range,
 * and per site the days, totals, top pages, breakdowns and robots; the
 * runs behind them. The parts read page by page are in report_page.c.
 *
 * Every query is bound to one site and one range of days, and reads only
 * through the primary keys' (site, day) prefix: a year of data costs what
 * its range costs, not what the database holds. It never writes.
 */
#include "report.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../aggregate/load.h"
#include "../common/civil.h"
#include "report_page.h"

/* ---- helpers the report modules share ------------------------------------ */

enum lf_status report_each(struct db_reader *db, const char *sql, const struct slice *args,
			   int nargs, report_row_fn fn, void *ctx)
{
	struct db_query *q;
	bool row = false;
	enum lf_status st = db_query_new(db, sql, &q);
	for (int i = 0; i < nargs && st == LF_OK; i++)
		st = db_query_text(q, i + 1, args[i]);
	while (st == LF_OK && (st = db_query_step(q, &row)) == LF_OK && row)
		st = fn(ctx, q);
	db_query_free(q);
	return st;
}

const char *report_strdup(struct report *rep, struct slice s)
{
	return arena_strndup(&rep->arena, s.n ? s.p : "", s.n);
}

/* n zeroed elements of size each from the arena; NULL when out of memory. */
static void *report_calloc(struct report *rep, size_t n, size_t size)
{
	if (n && size > SIZE_MAX / n)
		return NULL;
	size_t bytes = n * size > 0 ? n * size : 1;
	void *p = arena_alloc(&rep->arena, bytes);
	if (p)
		memset(p, 0, bytes);
	return p;
}

enum lf_status report_cut_init(struct report *rep, struct report_cut *c, size_t max)
{
	memset(c, 0, sizeof(*c));
	c->rows = report_calloc(rep, max, sizeof(*c->rows));
	return c->rows ? LF_OK : LF_ERR_NOMEM;
}

enum lf_status report_cut_add(struct report *rep, struct report_cut *c, size_t max,
			      const char *kind, struct slice value, uint64_t pageviews,
			      uint64_t visitors)
{
	c->sum_pageviews += pageviews;
	c->sum_visitors += visitors;
	if (slice_eq_cstr(value, DIM_OTHER)) {
		c->has_other = true;
		c->other_pageviews += pageviews;
		c->other_visitors += visitors;
		return LF_OK;
	}
	if (c->total++ >= max)
		return LF_OK;
	const char *v = report_strdup(rep, value);
	if (!v)
		return LF_ERR_NOMEM;
	c->rows[c->n++] = (struct report_cell){ kind, v, pageviews, visitors };
	return LF_OK;
}

void report_load_settle(struct report_load *l)
{
	if (!l->n)
		return;
	l->p50 = load_percentile(l->buckets, l->max_ms, 50);
	l->p75 = load_percentile(l->buckets, l->max_ms, 75);
	l->p95 = load_percentile(l->buckets, l->max_ms, 95);
}

static uint64_t col_u64(const struct db_query *q, int col)
{
	int64_t v = db_query_col_int(q, col);
	return v < 0 ? 0 : (uint64_t)v;
}

/* ---- the database, its sites and the range --------------------------------- */

__attribute__((format(printf, 4, 5))) static enum report_error
fail(char *err, size_t n, enum report_error e, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	if (n)
		vsnprintf(err, n, fmt, ap);
	va_end(ap);
	return e;
}

/* Open path read-only and check that it is a logfold database that has
 * the site tables. */
static enum report_error open_db(const char *path, int wait_s, struct db_reader **db, char *err,
				 size_t n)
{
	int version = 0;
	enum lf_status st = db_reader_open(db, path, wait_s, &version, err, n);
	if (st != LF_OK)
		return st == LF_ERR_BUSY ? REPORT_ERR_BUSY
		       : st == LF_ERR_NOMEM ? REPORT_ERR_NOMEM : REPORT_ERR_OPEN;
	if (version < 0)
		return fail(err, n, REPORT_ERR_NOT_OURS,
			    "cannot report on '%s': it is not a logfold database", path);
	if (version == 0)
		return fail(err, n, REPORT_ERR_EMPTY,
			    "'%s' is empty: no logfold run has written to it yet", path);
	if (version < DB_SCHEMA_SITE_TOTALS)
		return fail(err, n, REPORT_ERR_OLD,
			    "cannot report on '%s': its schema (version %d) is older than this "
			    "logfold's (%d) and has no site totals; run logfold once with --db '%s' "
			    "to upgrade it (days written before keep no site totals)",
			    path, version, DB_SCHEMA_VERSION, path);
	if (version > DB_SCHEMA_VERSION)
		return fail(err, n, REPORT_ERR_NEW,
			    "cannot report on '%s': its schema (version %d) is newer than this "
			    "logfold's (%d)", path, version, DB_SCHEMA_VERSION);
	return REPORT_OK;
}

struct site_list {
	struct report *rep;
	const char *names[REPORT_SITES_MAX];
	size_t n, total;
	char last[11]; /* the latest day of the sites chosen */
	const char *want;
	bool found;
};

static enum lf_status add_site(void *ctx, const struct db_query *q)
{
	struct site_list *l = ctx;
	struct slice site = db_query_col_text(q, 0), last = db_query_col_text(q, 1);
	bool chosen = !l->want || slice_eq_cstr(site, l->want);
	l->total++;
	if (!chosen || l->n == REPORT_SITES_MAX)
		return LF_OK;
	l->found |= l->want != NULL;
	if (!(l->names[l->n++] = report_strdup(l->rep, site)))
		return LF_ERR_NOMEM;
	if (last.n == 10 && memcmp(last.p, l->last, 10) > 0)
		memcpy(l->last, last.p, 10);
	return LF_OK;
}

/* The sites some sites' names, for the message about an unknown one. */
static void name_sites(const struct site_list *l, char *buf, size_t n)
{
	size_t o = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < l->n && i < 5 && o < n; i++)
		o += (size_t)snprintf(buf + o, n - o, "%s'%s'", i ? ", " : "", l->names[i]);
	if (l->total > 5 && o < n)
		snprintf(buf + o, n - o, " and %zu more", l->total - 5);
}

static enum report_error find_sites(struct report *rep, struct db_reader *db, const char *path,
				    struct site_list *l, char *err, size_t n)
{
	char names[256];
	memset(l, 0, sizeof(*l));
	l->rep = rep;
	l->want = rep->opt.site;
	enum lf_status st = report_each(db, "SELECT site, max(day) FROM days GROUP BY site ORDER BY site",
				       NULL, 0, add_site, l);
	if (st != LF_OK)
		return fail(err, n, st == LF_ERR_NOMEM ? REPORT_ERR_NOMEM : REPORT_ERR_OPEN, "%s",
			    db_reader_error(db));
	if (l->total == 0)
		return fail(err, n, REPORT_ERR_EMPTY, "'%s' holds no day yet: nothing to report", path);
	if (rep->opt.site && !l->found) {
		struct site_list all = { .rep = rep };
		st = report_each(db, "SELECT site, max(day) FROM days GROUP BY site ORDER BY site",
				 NULL, 0, add_site, &all);
		name_sites(&all, names, sizeof(names));
		return fail(err, n, REPORT_ERR_SITE, "no site '%s' in '%s' (its sites: %s)",
			    rep->opt.site, path, names);
	}
	return REPORT_OK;
}

static bool parse_day(const char *s, int32_t *d)
{
	return s && day_parse(s, strlen(s), d);
}

/* from and to from the options, or the days ending on the latest. */
static enum report_error settle_range(struct report *rep, const char *last, char *err, size_t n)
{
	int32_t from, to, latest = 0;
	(void)day_parse(last, 10, &latest); /* written by logfold: valid */
	if (rep->opt.to && !parse_day(rep->opt.to, &to))
		return fail(err, n, REPORT_ERR_RANGE, "invalid value '%s' for --to: a day as YYYY-MM-DD",
			    rep->opt.to);
	if (rep->opt.from && !parse_day(rep->opt.from, &from))
		return fail(err, n, REPORT_ERR_RANGE,
			    "invalid value '%s' for --from: a day as YYYY-MM-DD", rep->opt.from);
	if (!rep->opt.to)
		to = rep->opt.from && from > latest ? from : latest;
	if (!rep->opt.from)
		from = to - (REPORT_DAYS_DEFAULT - 1);
	if (from > to)
		return fail(err, n, REPORT_ERR_RANGE, "--from %s is after --to %s", rep->opt.from,
			    rep->opt.to ? rep->opt.to : last);
	if (to - from + 1 > REPORT_DAYS_MAX)
		return fail(err, n, REPORT_ERR_RANGE,
			    "a range of %d days is longer than a report shows (at most %d)",
			    to - from + 1, REPORT_DAYS_MAX);
	rep->ndays = (size_t)(to - from + 1);
	const char **names = report_calloc(rep, rep->ndays, sizeof(*names));
	for (size_t i = 0; names && i < rep->ndays; i++) {
		char *d = arena_alloc(&rep->arena, 11);
		if (!d)
			break;
		day_format(from + (int32_t)i, d);
		names[i] = d;
	}
	if (!names || !names[rep->ndays - 1])
		return fail(err, n, REPORT_ERR_NOMEM, "out of memory");
	rep->day_names = names;
	day_format(from, rep->from);
	day_format(to, rep->to);
	day_format(from - 1, rep->prev_to);
	day_format(from - (int32_t)rep->ndays, rep->prev_from);
	return REPORT_OK;
}

/* ---- one site --------------------------------------------------------------- */

struct site_ctx {
	struct report *rep;
	struct report_site *s;
	int32_t from;
};

/* The index in the range of the day in column col, or -1. */
static long day_index(const struct site_ctx *c, const struct db_query *q, int col)
{
	struct slice d = db_query_col_text(q, col);
	int32_t day;
	if (d.n < 10 || !day_parse(d.p, 10, &day) || day < c->from ||
	    (size_t)(day - c->from) >= c->rep->ndays)
		return -1;
	return day - c->from;
}

static enum lf_status day_state(void *ctx, const struct db_query *q)
{
	struct site_ctx *c = ctx;
	long i = day_index(c, q, 0);
	if (i >= 0)
		c->s->days[i].state = slice_eq_cstr(db_query_col_text(q, 1), "closed")
					      ? REPORT_DAY_CLOSED
					      : REPORT_DAY_OPEN;
	return LF_OK;
}

/* Columns first .. first + 5 of a site_daily-shaped row. */
static void read_totals(const struct db_query *q, int first, struct report_totals *t)
{
	t->pageviews = col_u64(q, first);
	t->visitors = col_u64(q, first + 1);
	t->visits = col_u64(q, first + 2);
	t->bounces = col_u64(q, first + 3);
	t->time_s = col_u64(q, first + 4);
	t->time_n = col_u64(q, first + 5);
}

static void add_totals(struct report_totals *to, const struct report_totals *t)
{
	to->pageviews += t->pageviews;
	to->visitors += t->visitors;
	to->visits += t->visits;
	to->bounces += t->bounces;
	to->time_s += t->time_s;
	to->time_n += t->time_n;
	to->entrances += t->entrances;
	to->exits += t->exits;
}

static enum lf_status day_totals(void *ctx, const struct db_query *q)
{
	struct site_ctx *c = ctx;
	long i = day_index(c, q, 0);
	if (i < 0)
		return LF_OK;
	struct report_day *d = &c->s->days[i];
	read_totals(q, 1, &d->t);
	d->has_totals = true;
	add_totals(&c->s->cur, &d->t);
	c->s->cur_days++;
	return LF_OK;
}

static enum lf_status prev_totals(void *ctx, const struct db_query *q)
{
	struct site_ctx *c = ctx;
	c->s->prev_days = col_u64(q, 0);
	read_totals(q, 1, &c->s->prev);
	return LF_OK;
}

static enum lf_status read_days(struct site_ctx *c, struct db_reader *db, const struct slice *a)
{
	struct report_site *s = c->s;
	s->days = report_calloc(c->rep, c->rep->ndays, sizeof(*s->days));
	if (!s->days)
		return LF_ERR_NOMEM;
	for (size_t i = 0; i < c->rep->ndays; i++)
		day_format(c->from + (int32_t)i, s->days[i].day);
	enum lf_status st = report_each(
		db, "SELECT day, state FROM days WHERE site = ?1 AND day BETWEEN ?2 AND ?3", a, 3,
		day_state, c);
	if (st == LF_OK)
		st = report_each(db,
				 "SELECT day, pageviews, visitors, visits, bounces, time_on_page_s,"
				 " time_on_page_n FROM site_daily WHERE site = ?1 AND day BETWEEN ?2 AND ?3",
				 a, 3, day_totals, c);
	struct slice prev[3] = { a[0], slice_cstr(c->rep->prev_from), slice_cstr(c->rep->prev_to) };
	if (st == LF_OK)
		st = report_each(db,
				 "SELECT count(*), sum(pageviews), sum(visitors), sum(visits), sum(bounces),"
				 " sum(time_on_page_s), sum(time_on_page_n) FROM site_daily"
				 " WHERE site = ?1 AND day BETWEEN ?2 AND ?3",
				 prev, 3, prev_totals, c);
	for (size_t i = 0; i < c->rep->ndays; i++) {
		c->rep->any_data |= s->days[i].state != REPORT_DAY_NONE;
		s->missing_totals += s->days[i].state != REPORT_DAY_NONE && !s->days[i].has_totals;
	}
	return st;
}

static enum lf_status add_page(void *ctx, const struct db_query *q)
{
	struct site_ctx *c = ctx;
	struct report_site *s = c->s;
	if (s->pages_total++ >= REPORT_PAGES_MAX)
		return LF_OK;
	struct report_page *p = &s->pages[s->npages++];
	read_totals(q, 1, &p->t);
	p->t.entrances = col_u64(q, 7);
	p->t.exits = col_u64(q, 8);
	p->drill = -1;
	p->page = report_strdup(c->rep, db_query_col_text(q, 0));
	return p->page ? LF_OK : LF_ERR_NOMEM;
}

static enum lf_status read_pages(struct site_ctx *c, struct db_reader *db, const struct slice *a)
{
	c->s->pages = report_calloc(c->rep, REPORT_PAGES_MAX, sizeof(*c->s->pages));
	if (!c->s->pages)
		return LF_ERR_NOMEM;
	return report_each(db,
			   "SELECT page, sum(pageviews), sum(visitors), sum(visits), sum(bounces),"
			   " sum(time_on_page_s), sum(time_on_page_n), sum(entrances), sum(exits)"
			   " FROM page_daily WHERE site = ?1 AND day BETWEEN ?2 AND ?3"
			   " GROUP BY page ORDER BY 2 DESC, 3 DESC, page",
			   a, 3, add_page, c);
}

/* The dimension of a name, or DIM_COUNT. */
static enum dimension dimension_of(struct slice name)
{
	for (int d = 0; d < DIM_COUNT; d++)
		if (slice_eq_cstr(name, dimension_names[d]))
			return (enum dimension)d;
	return DIM_COUNT;
}

static enum lf_status add_value(void *ctx, const struct db_query *q)
{
	struct site_ctx *c = ctx;
	enum dimension d = dimension_of(db_query_col_text(q, 0));
	if (d == DIM_COUNT)
		return LF_OK; /* a dimension of a later logfold */
	return report_cut_add(c->rep, &c->s->dims[d], REPORT_VALUES_MAX, NULL,
			      db_query_col_text(q, 1), col_u64(q, 2), col_u64(q, 3));
}

static enum lf_status add_bot(void *ctx, const struct db_query *q)
{
	struct site_ctx *c = ctx;
	return report_cut_add(c->rep, &c->s->bots, REPORT_BOTS_MAX, NULL, db_query_col_text(q, 0),
			      col_u64(q, 1), 0);
}

static enum lf_status read_cuts(struct site_ctx *c, struct db_reader *db, const struct slice *a)
{
	enum lf_status st = report_cut_init(c->rep, &c->s->bots, REPORT_BOTS_MAX);
	for (int d = 0; d < DIM_COUNT && st == LF_OK; d++)
		st = report_cut_init(c->rep, &c->s->dims[d], REPORT_VALUES_MAX);
	if (st == LF_OK)
		st = report_each(db,
				 "SELECT dimension, value, sum(pageviews), sum(visitors)"
				 " FROM site_breakdown_daily WHERE site = ?1 AND day BETWEEN ?2 AND ?3"
				 " GROUP BY dimension, value ORDER BY dimension, 4 DESC, 3 DESC, value",
				 a, 3, add_value, c);
	if (st == LF_OK)
		st = report_each(db,
				 "SELECT bot, sum(requests) FROM bots_daily"
				 " WHERE site = ?1 AND day BETWEEN ?2 AND ?3"
				 " GROUP BY bot ORDER BY 2 DESC, bot",
				 a, 3, add_bot, c);
	return st;
}

static enum lf_status read_settings(void *ctx, const struct db_query *q)
{
	struct report_site *s = ctx;
	int *v[4] = { &s->k_min, &s->k_max, &s->mask_min, &s->mask_max };
	for (int i = 0; i < 4; i++)
		*v[i] = db_query_col_null(q, i) ? -1 : (int)db_query_col_int(q, i);
	s->k_partial = db_query_col_int(q, 4) > 0;
	s->mask_partial = db_query_col_int(q, 5) > 0;
	return LF_OK;
}

/* K and the mask the days were computed with, when the days table keeps
 * them (a later schema does); else unknown. */
static enum lf_status read_kept_settings(struct report_site *s, struct db_reader *db,
					 const struct slice *a)
{
	s->k_min = s->k_max = s->mask_min = s->mask_max = -1;
	if (!db_reader_has_column(db, "days", "min_visitors") ||
	    !db_reader_has_column(db, "days", "mask_bytes"))
		return LF_OK;
	return report_each(db,
			   "SELECT min(min_visitors), max(min_visitors), min(mask_bytes), max(mask_bytes),"
			   " count(*) - count(min_visitors), count(*) - count(mask_bytes)"
			   " FROM days WHERE site = ?1 AND day BETWEEN ?2 AND ?3",
			   a, 3, read_settings, s);
}

static enum lf_status read_site(struct report *rep, struct db_reader *db, struct report_site *s)
{
	struct site_ctx c = { rep, s, 0 };
	(void)day_parse(rep->from, 10, &c.from);
	struct slice a[3] = { slice_cstr(s->site), slice_cstr(rep->from), slice_cstr(rep->to) };
	enum lf_status st = read_days(&c, db, a);
	if (st == LF_OK)
		st = read_pages(&c, db, a);
	if (st == LF_OK)
		st = read_cuts(&c, db, a);
	if (st == LF_OK)
		st = read_kept_settings(s, db, a);
	if (st == LF_OK)
		st = report_page_load(rep, db, s);
	return st;
}

/* ---- the runs ------------------------------------------------------------- */

static enum lf_status add_run(void *ctx, const struct db_query *q)
{
	struct report *rep = ctx;
	if (rep->runs_total++ >= REPORT_RUNS_MAX)
		return LF_OK;
	struct report_run *r = &rep->runs[rep->nruns++];
	struct slice started = db_query_col_text(q, 0);
	memcpy(r->started, started.p, started.n < 10 ? started.n : 10);
	r->version = report_strdup(rep, db_query_col_text(q, 1));
	r->inputs = col_u64(q, 2);
	r->lines = col_u64(q, 3);
	r->pageviews = col_u64(q, 4);
	r->beacon = col_u64(q, 5);
	for (int i = 0; i < SKIP_NREASONS; i++)
		r->skipped[i] = col_u64(q, 6 + i);
	return r->version ? LF_OK : LF_ERR_NOMEM;
}

/* The runs that started on the range's first day or later, the latest
 * first: last night's run counts yesterday, and a backfill of old logs
 * starts long after their days (a run keeps no range of its own). */
static enum lf_status read_runs(struct report *rep, struct db_reader *db)
{
	char sql[1024];
	size_t n = (size_t)snprintf(sql, sizeof(sql),
				    "SELECT started, version, CASE WHEN json_valid(inputs) THEN"
				    " json_array_length(inputs) ELSE 0 END, lines, pageviews, beacon");
	for (int i = 0; i < SKIP_NREASONS && n < sizeof(sql); i++)
		n += (size_t)snprintf(sql + n, sizeof(sql) - n, ", %s", skip_reason_names[i]);
	if (n < sizeof(sql))
		n += (size_t)snprintf(sql + n, sizeof(sql) - n,
				      " FROM runs WHERE started >= ?1 ORDER BY run_id DESC");
	if (n >= sizeof(sql))
		return LF_ERR_LIMIT;
	struct slice a[1] = { slice_cstr(rep->from) };
	rep->runs = report_calloc(rep, REPORT_RUNS_MAX, sizeof(*rep->runs));
	return rep->runs ? report_each(db, sql, a, 1, add_run, rep) : LF_ERR_NOMEM;
}

/* ---- the whole -------------------------------------------------------------- */

static enum report_error load_sites(struct report *rep, struct db_reader *db,
				    const struct site_list *l, char *err, size_t n)
{
	rep->sites_total = rep->opt.site ? l->n : l->total;
	rep->sites = report_calloc(rep, l->n, sizeof(*rep->sites));
	if (!rep->sites)
		return REPORT_ERR_NOMEM;
	enum lf_status st = LF_OK;
	for (size_t i = 0; i < l->n && st == LF_OK; i++) {
		rep->sites[i].site = l->names[i];
		rep->nsites++;
		st = read_site(rep, db, &rep->sites[i]);
	}
	if (st == LF_OK)
		st = read_runs(rep, db);
	if (st == LF_ERR_NOMEM)
		return fail(err, n, REPORT_ERR_NOMEM, "out of memory");
	if (st != LF_OK)
		return fail(err, n, st == LF_ERR_BUSY ? REPORT_ERR_BUSY : REPORT_ERR_OPEN, "%s",
			    db_reader_error(db));
	return REPORT_OK;
}

enum report_error report_load(struct report *rep, const char *path,
			      const struct report_options *opt, char *err, size_t errlen)
{
	struct db_reader *db = NULL;
	struct site_list *l = NULL;
	memset(rep, 0, sizeof(*rep));
	arena_init(&rep->arena);
	rep->opt = *opt;
	enum report_error e = open_db(path, opt->wait_s, &db, err, errlen);
	if (e == REPORT_OK && !(l = calloc(1, sizeof(*l))))
		e = fail(err, errlen, REPORT_ERR_NOMEM, "out of memory");
	if (e == REPORT_OK)
		e = find_sites(rep, db, path, l, err, errlen);
	if (e == REPORT_OK)
		e = settle_range(rep, l->last, err, errlen);
	if (e == REPORT_OK)
		e = load_sites(rep, db, l, err, errlen);
	free(l);
	db_reader_close(db);
	return e;
}

void report_free(struct report *rep)
{
	arena_release(&rep->arena);
	memset(rep, 0, sizeof(*rep));
}
