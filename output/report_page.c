/*
 * report_page.c - the parts of a site's report read page by page: the
 * drill-downs of the top pages (their days, breakdowns, load times,
 * engagement and actions), the site's load times by day and its slowest
 * pages, its engagement and actions.
 *
 * A drill-down's queries walk the primary key (site, day, page): the days
 * of the range that hold data, as a JSON array, CROSS JOINed before the
 * table so that SQLite looks up each (day, page) instead of scanning the
 * range (which it would otherwise choose, and which costs minutes on a
 * month of a busy site). load_hourly is read once, in one scan of the
 * range, and added up here by day and by page.
 */
#include "report_page.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/civil.h"
#include "../common/grow.h"
#include "../common/intern.h"

struct page_ctx {
	struct report *rep;
	struct report_site *s;
	struct report_drill *d;
	int32_t from;
};

static uint64_t col_u64(const struct db_query *q, int col)
{
	int64_t v = db_query_col_int(q, col);
	return v < 0 ? 0 : (uint64_t)v;
}

/* The index in the range of the day at the start of d, or -1. */
static long range_index(const struct page_ctx *c, struct slice d)
{
	int32_t day;
	if (d.n < 10 || !day_parse(d.p, 10, &day) || day < c->from ||
	    (size_t)(day - c->from) >= c->rep->ndays)
		return -1;
	return day - c->from;
}

/* The days of the range that hold data, as a JSON array of strings. */
static char *days_json(struct report *rep, const struct report_site *s)
{
	char *j = arena_alloc(&rep->arena, 14 * rep->ndays + 3), *p = j;
	if (!j)
		return NULL;
	*p++ = '[';
	for (size_t i = 0; i < rep->ndays; i++) {
		if (s->days[i].state == REPORT_DAY_NONE)
			continue;
		p += snprintf(p, 15, "%s\"%s\"", p > j + 1 ? "," : "", s->days[i].day);
	}
	*p++ = ']';
	*p = '\0';
	return j;
}

/* ---- drill-downs ------------------------------------------------------------ */

static enum lf_status drill_day(void *ctx, const struct db_query *q)
{
	struct page_ctx *c = ctx;
	long i = range_index(c, db_query_col_text(q, 0));
	if (i >= 0) {
		c->d->days[i].pageviews = col_u64(q, 1);
		c->d->days[i].visitors = col_u64(q, 2);
		c->d->has_day[i] = true;
	}
	return LF_OK;
}

static enum lf_status drill_value(void *ctx, const struct db_query *q)
{
	struct page_ctx *c = ctx;
	struct slice name = db_query_col_text(q, 0);
	for (int d = 0; d < DIM_COUNT; d++)
		if (slice_eq_cstr(name, dimension_names[d]))
			return report_cut_add(c->rep, &c->d->dims[d], REPORT_DRILL_VALUES_MAX, NULL,
					      db_query_col_text(q, 1), col_u64(q, 2),
					      col_u64(q, 3));
	return LF_OK;
}

static void read_engagement(const struct db_query *q, struct report_engagement *e)
{
	e->measured = col_u64(q, 0);
	e->engaged_s = col_u64(q, 1);
	for (int k = 0; k < 4; k++)
		e->scroll[k] = col_u64(q, 2 + k);
}

static enum lf_status drill_engagement(void *ctx, const struct db_query *q)
{
	read_engagement(q, &((struct page_ctx *)ctx)->d->eng);
	return LF_OK;
}

/* The action's name as the model keeps it (a static string), or NULL. */
static const char *action_of(struct slice name)
{
	for (int a = 0; a < ACTION_COUNT; a++)
		if (slice_eq_cstr(name, action_names[a]))
			return action_names[a];
	return NULL;
}

static enum lf_status add_action(struct page_ctx *c, struct report_cut *cut, size_t max,
				 const struct db_query *q)
{
	const char *kind = action_of(db_query_col_text(q, 0));
	if (!kind)
		return LF_OK; /* an action of a later logfold */
	return report_cut_add(c->rep, cut, max, kind, db_query_col_text(q, 1), col_u64(q, 2),
			      col_u64(q, 3));
}

static enum lf_status drill_action(void *ctx, const struct db_query *q)
{
	struct page_ctx *c = ctx;
	return add_action(c, &c->d->actions, REPORT_DRILL_VALUES_MAX, q);
}

static const char sql_drill_days[] =
	"SELECT p.day, p.pageviews, p.visitors FROM json_each(?2) AS d CROSS JOIN page_daily p"
	" WHERE p.site = ?1 AND p.day = d.value AND p.page = ?3";
static const char sql_drill_values[] =
	"SELECT b.dimension, b.value, sum(b.pageviews), sum(b.visitors)"
	" FROM json_each(?2) AS d CROSS JOIN breakdown_daily b"
	" WHERE b.site = ?1 AND b.day = d.value AND b.page = ?3"
	" GROUP BY 1, 2 ORDER BY 1, 4 DESC, 3 DESC, 2";
static const char sql_drill_engagement[] =
	"SELECT sum(measured), sum(engaged_s), sum(scroll_25), sum(scroll_50), sum(scroll_75),"
	" sum(scroll_100) FROM json_each(?2) AS d CROSS JOIN engagement_daily e"
	" WHERE e.site = ?1 AND e.day = d.value AND e.page = ?3";
static const char sql_drill_actions[] =
	"SELECT a.action, a.label, sum(a.count), sum(a.visitors)"
	" FROM json_each(?2) AS d CROSS JOIN action_daily a"
	" WHERE a.site = ?1 AND a.day = d.value AND a.page = ?3"
	" GROUP BY 1, 2 ORDER BY 3 DESC, 4 DESC, 1, 2";

static enum lf_status read_drill(struct page_ctx *c, struct db_reader *db, const char *days)
{
	struct report_drill *d = c->d;
	size_t n = c->rep->ndays;
	d->days = arena_alloc(&c->rep->arena, n * sizeof(*d->days) + 1);
	d->has_day = arena_alloc(&c->rep->arena, n + 1);
	enum lf_status st = d->days && d->has_day ? LF_OK : LF_ERR_NOMEM;
	if (st == LF_OK) {
		memset(d->days, 0, n * sizeof(*d->days));
		memset(d->has_day, 0, n);
		st = report_cut_init(c->rep, &d->actions, REPORT_DRILL_VALUES_MAX);
	}
	for (int k = 0; k < DIM_COUNT && st == LF_OK; k++)
		st = report_cut_init(c->rep, &d->dims[k], REPORT_DRILL_VALUES_MAX);
	struct slice a[3] = { slice_cstr(c->s->site), slice_cstr(days), slice_cstr(d->page) };
	if (st == LF_OK)
		st = report_each(db, sql_drill_days, a, 3, drill_day, c);
	if (st == LF_OK)
		st = report_each(db, sql_drill_values, a, 3, drill_value, c);
	if (st == LF_OK)
		st = report_each(db, sql_drill_engagement, a, 3, drill_engagement, c);
	if (st == LF_OK)
		st = report_each(db, sql_drill_actions, a, 3, drill_action, c);
	return st;
}

static enum lf_status read_drills(struct page_ctx *c, struct db_reader *db, const char *days)
{
	struct report_site *s = c->s;
	size_t n = s->npages < REPORT_DRILL_MAX ? s->npages : REPORT_DRILL_MAX;
	s->drills = arena_alloc(&c->rep->arena, (n ? n : 1) * sizeof(*s->drills));
	if (!s->drills)
		return LF_ERR_NOMEM;
	memset(s->drills, 0, (n ? n : 1) * sizeof(*s->drills));
	enum lf_status st = LF_OK;
	for (size_t i = 0; i < n && st == LF_OK; i++) {
		c->d = &s->drills[i];
		c->d->page = s->pages[i].page;
		s->pages[i].drill = (int)i;
		s->ndrills++;
		st = read_drill(c, db, days);
	}
	return st;
}

/* ---- load times ----------------------------------------------------------------- */

struct load_scan {
	struct page_ctx *c;
	struct intern pages;
	struct report_load (*by_page)[REPORT_NSOURCES];
	size_t cap;
	char day[10];  /* the day of the last row (rows come by hour): its */
	long day_idx;  /* index, found without parsing it again */
};

/* Add the counts of a load_hourly row (columns 3 ...) into l. */
static void add_load(struct report_load *l, const struct db_query *q)
{
	uint64_t max = col_u64(q, 4);
	l->n += col_u64(q, 3);
	if (max > l->max_ms)
		l->max_ms = max;
	for (int b = 0; b < 13; b++)
		l->buckets[b] += col_u64(q, 5 + b);
}

static void merge_load(struct report_load *to, const struct report_load *l)
{
	to->n += l->n;
	if (l->max_ms > to->max_ms)
		to->max_ms = l->max_ms;
	for (int b = 0; b < 13; b++)
		to->buckets[b] += l->buckets[b];
}

static enum lf_status scan_row(void *ctx, const struct db_query *q)
{
	struct load_scan *ls = ctx;
	struct slice source = db_query_col_text(q, 2), hour = db_query_col_text(q, 1);
	int src = slice_eq_cstr(source, "server") ? REPORT_SERVER
		  : slice_eq_cstr(source, "client") ? REPORT_CLIENT : -1;
	if (hour.n < 10 || memcmp(hour.p, ls->day, 10) != 0) {
		ls->day_idx = range_index(ls->c, hour);
		memcpy(ls->day, hour.p, hour.n < 10 ? hour.n : 10);
	}
	long day = ls->day_idx;
	uint32_t id;
	if (src < 0 || day < 0)
		return LF_OK;
	enum lf_status st = intern_put(&ls->pages, db_query_col_text(q, 0), &id);
	if (st != LF_OK)
		return st;
	size_t had = ls->cap;
	if (!GROW(ls->by_page, ls->cap, (size_t)id + 1, 1024))
		return LF_ERR_NOMEM;
	memset(ls->by_page + had, 0, (ls->cap - had) * sizeof(*ls->by_page));
	add_load(&ls->by_page[id][src], q);
	add_load(&ls->c->s->load_days[day][src], q);
	return LF_OK;
}

static int cmp_slow(const void *x, const void *y)
{
	const struct report_slow *a = x, *b = y;
	if (a->load.p75 != b->load.p75)
		return a->load.p75 > b->load.p75 ? -1 : 1;
	if (a->load.p95 != b->load.p95)
		return a->load.p95 > b->load.p95 ? -1 : 1;
	return strcmp(a->page, b->page);
}

/* The slowest pages of one source by p75, among those with enough views. */
static enum lf_status slowest(struct load_scan *ls, int src)
{
	struct report_site *s = ls->c->s;
	struct report_slow *all = malloc((ls->pages.count ? ls->pages.count : 1) * sizeof(*all));
	size_t n = 0;
	if (!all)
		return LF_ERR_NOMEM;
	for (uint32_t id = 0; id < ls->pages.count; id++) {
		if (ls->by_page[id][src].n < REPORT_SLOW_MIN_N)
			continue;
		all[n] = (struct report_slow){ intern_get(&ls->pages, id).p, ls->by_page[id][src] };
		report_load_settle(&all[n++].load);
	}
	qsort(all, n, sizeof(*all), cmp_slow);
	s->nslow[src] = n < REPORT_SLOW_MAX ? n : REPORT_SLOW_MAX;
	s->slow[src] = arena_alloc(&ls->c->rep->arena, (s->nslow[src] + 1) * sizeof(*all));
	enum lf_status st = s->slow[src] ? LF_OK : LF_ERR_NOMEM;
	for (size_t i = 0; i < s->nslow[src] && st == LF_OK; i++) {
		s->slow[src][i] = all[i];
		s->slow[src][i].page = report_strdup(ls->c->rep, slice_cstr(all[i].page));
		st = s->slow[src][i].page ? LF_OK : LF_ERR_NOMEM;
	}
	free(all);
	return st;
}

/* Settle the sums: by day, the site's, the drill-downs' and the slowest. */
static enum lf_status settle_loads(struct load_scan *ls)
{
	struct report_site *s = ls->c->s;
	enum lf_status st = LF_OK;
	for (int src = 0; src < REPORT_NSOURCES; src++) {
		for (size_t i = 0; i < ls->c->rep->ndays; i++) {
			merge_load(&s->load[src], &s->load_days[i][src]);
			report_load_settle(&s->load_days[i][src]);
		}
		report_load_settle(&s->load[src]);
		for (size_t i = 0; i < s->ndrills && ls->pages.count; i++) {
			uint32_t id;
			if (!intern_find(&ls->pages, slice_cstr(s->drills[i].page)))
				continue;
			if ((st = intern_put(&ls->pages, slice_cstr(s->drills[i].page), &id)) != LF_OK)
				return st;
			s->drills[i].load[src] = ls->by_page[id][src];
			report_load_settle(&s->drills[i].load[src]);
		}
		if ((st = slowest(ls, src)) != LF_OK)
			return st;
	}
	return st;
}

static enum lf_status read_loads(struct page_ctx *c, struct db_reader *db, const struct slice *a)
{
	struct load_scan ls = { .c = c };
	c->s->load_days = arena_alloc(&c->rep->arena, c->rep->ndays * sizeof(*c->s->load_days) + 1);
	if (!c->s->load_days)
		return LF_ERR_NOMEM;
	memset(c->s->load_days, 0, c->rep->ndays * sizeof(*c->s->load_days));
	intern_init(&ls.pages);
	enum lf_status st = report_each(
		db,
		"SELECT page, hour, source, n, max_ms, le_10, le_25, le_50, le_100, le_250, le_500,"
		" le_1000, le_2500, le_5000, le_10000, le_25000, le_60000, gt_60000 FROM load_hourly"
		" WHERE site = ?1 AND hour > ?2 AND hour < ?3 || 'U'",
		a, 3, scan_row, &ls);
	if (st == LF_OK)
		st = settle_loads(&ls);
	intern_release(&ls.pages);
	free(ls.by_page);
	return st;
}

/* ---- the site's engagement and actions ------------------------------------------ */

static enum lf_status site_engagement(void *ctx, const struct db_query *q)
{
	read_engagement(q, &((struct page_ctx *)ctx)->s->eng);
	return LF_OK;
}

static enum lf_status site_action(void *ctx, const struct db_query *q)
{
	struct page_ctx *c = ctx;
	return add_action(c, &c->s->actions, REPORT_ACTIONS_MAX, q);
}

enum lf_status report_page_load(struct report *rep, struct db_reader *db, struct report_site *s)
{
	struct page_ctx c = { rep, s, NULL, 0 };
	(void)day_parse(rep->from, 10, &c.from);
	struct slice a[3] = { slice_cstr(s->site), slice_cstr(rep->from), slice_cstr(rep->to) };
	const char *days = days_json(rep, s);
	enum lf_status st = days ? report_cut_init(rep, &s->actions, REPORT_ACTIONS_MAX)
				 : LF_ERR_NOMEM;
	if (st == LF_OK)
		st = read_drills(&c, db, days);
	if (st == LF_OK)
		st = read_loads(&c, db, a);
	if (st == LF_OK)
		st = report_each(db,
				 "SELECT sum(measured), sum(engaged_s), sum(scroll_25), sum(scroll_50),"
				 " sum(scroll_75), sum(scroll_100) FROM engagement_daily"
				 " WHERE site = ?1 AND day BETWEEN ?2 AND ?3",
				 a, 3, site_engagement, &c);
	if (st == LF_OK)
		st = report_each(db,
				 "SELECT action, label, sum(count), sum(visitors) FROM action_daily"
				 " WHERE site = ?1 AND day BETWEEN ?2 AND ?3"
				 " GROUP BY 1, 2 ORDER BY 3 DESC, 4 DESC, 1, 2",
				 a, 3, site_action, &c);
	return st;
}
