/*
 * test_agg.c - sessions and the page_daily counts on hand-made hits, worked
 * out by hand below, and the same hits in reverse order giving the same
 * rows (results must not depend on input order).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../aggregate/agg.h"
#include "harness.h"

#define HM(h, m) ((uint32_t)((h) * 3600 + (m) * 60))

struct pv_in {
	const char *site;
	int32_t day;
	uint32_t sec;
	uint64_t visitor;
	const char *page;
};

/*
 * Day 100, site s, timeout 30 min:
 *  A: 10:00 /a, 10:05 /b, 10:35 /a (gap exactly 30:00: same visit),
 *     11:06 /c (gap 31:00: a new visit)
 *  B: 10:10 /a (a one-page visit: a bounce)
 *  C: 10:00 /b and 10:00 /a in the same second: ordered by page, /a first
 * Day 101, site s: A at 00:00 /a (a new day is a new visit).
 * Day 100, site t: A 10:00 /a (another site never shares a visit).
 */
static const struct pv_in day_hits[] = {
	{ "s", 100, HM(10, 0), 0xA, "/a" },  { "s", 100, HM(10, 5), 0xA, "/b" },
	{ "s", 100, HM(10, 35), 0xA, "/a" }, { "s", 100, HM(11, 6), 0xA, "/c" },
	{ "s", 100, HM(10, 10), 0xB, "/a" }, { "s", 100, HM(10, 0), 0xC, "/b" },
	{ "s", 100, HM(10, 0), 0xC, "/a" },  { "s", 101, HM(0, 0), 0xA, "/a" },
	{ "t", 100, HM(10, 0), 0xA, "/a" },
};
#define NHITS (sizeof(day_hits) / sizeof(day_hits[0]))

struct collected {
	char text[4096];
	size_t n;
};

static enum lf_status collect(void *ctx, struct day_result *d)
{
	struct collected *c = ctx;
	for (size_t i = 0; i < d->nrows; i++) {
		const struct page_daily_row *r = &d->rows[i];
		c->n += (size_t)snprintf(c->text + c->n, sizeof(c->text) - c->n,
					 "%.*s %s %.*s %llu %llu %llu %llu %llu %llu %llu %llu\n",
					 (int)d->site.n, d->site.p, d->day, (int)r->page.n, r->page.p,
					 (unsigned long long)r->pageviews, (unsigned long long)r->visitors,
					 (unsigned long long)r->visits, (unsigned long long)r->entrances,
					 (unsigned long long)r->bounces, (unsigned long long)r->exits,
					 (unsigned long long)r->time_on_page_s,
					 (unsigned long long)r->time_on_page_n);
	}
	agg_day_free(d);
	return LF_OK;
}

static void run(int reverse, uint32_t timeout, struct collected *out)
{
	struct agg a;
	struct agg_config cfg = { timeout, 0, 5, 600, false, false, 0 };
	agg_init(&a, &cfg);
	for (size_t k = 0; k < NHITS; k++) {
		const struct pv_in *p = &day_hits[reverse ? NHITS - 1 - k : k];
		struct hit h = { .site = slice_cstr(p->site), .page = slice_cstr(p->page),
				 .day = p->day, .time = (int64_t)p->day * 86400 + p->sec,
				 .sec_of_day = p->sec, .visitor = p->visitor };
		CHECK_INT(agg_add(&a, &h), LF_OK);
	}
	memset(out, 0, sizeof(*out));
	CHECK_INT(agg_finish(&a, collect, out), LF_OK);
	agg_release(&a);
}

static void test_sessions(void)
{
	struct collected c;
	run(0, 1800, &c);
	/* page pv visitors visits entrances bounces exits top_s top_n
	 * /a: A twice, B, C = 4 views by 3 visitors in 3 visits (A's first);
	 *     entered by A1, B1, C1 (C's tie puts /a first); exits A1 (10:35),
	 *     B1; bounce B1; time: A 10:00->10:05 = 300, C 10:00->10:00 = 0.
	 * /b: A, C = 2; no entrance; exit C1; time A 10:05->10:35 = 1800.
	 * /c: A's second visit alone: entrance, exit, bounce, no time. */
	const char *want = "s 1970-04-11 /a 4 3 3 3 1 2 300 2\n"
			   "s 1970-04-11 /b 2 2 2 0 0 1 1800 1\n"
			   "s 1970-04-11 /c 1 1 1 1 1 1 0 0\n"
			   "s 1970-04-12 /a 1 1 1 1 1 1 0 0\n"
			   "t 1970-04-11 /a 1 1 1 1 1 1 0 0\n";
	CHECK_STR(c.text, want);
	struct collected r;
	run(1, 1800, &r);
	CHECK_STR(r.text, want);
}

static void test_timeout_edge(void)
{
	struct collected c;
	/* With a 35-minute timeout A's 31-minute gap no longer splits: one visit
	 * /a /b /a /c; /c is no entrance and no bounce; /a gets 10:35->11:06. */
	run(0, 2100, &c);
	CHECK_STR(c.text, "s 1970-04-11 /a 4 3 3 3 1 1 2160 3\n"
			  "s 1970-04-11 /b 2 2 2 0 0 1 1800 1\n"
			  "s 1970-04-11 /c 1 1 1 0 0 1 0 0\n"
			  "s 1970-04-12 /a 1 1 1 1 1 1 0 0\n"
			  "t 1970-04-11 /a 1 1 1 1 1 1 0 0\n");
}

static void test_empty(void)
{
	struct agg a;
	struct agg_config cfg = { 1800, 0, 5, 600, false, false, 0 };
	struct collected c = { .n = 0 };
	c.text[0] = '\0';
	agg_init(&a, &cfg);
	CHECK_INT(agg_finish(&a, collect, &c), LF_OK);
	CHECK_INT(c.n, 0);
	agg_release(&a);
}

struct bd_in {
	uint64_t visitor;
	uint32_t sec;
	const char *browser, *referrer; /* "" = no value */
};

/*
 * Page /a on one day, K = 2, dimensions browser and referrer:
 *   V1 Firefox 125 a.com | V2 Firefox 125 b.com | V3 Chrome 120 b.com, then
 *   c.com | V4 Safari 17 (direct), then d.com | V5 Firefox 125, no referrer.
 * browser: Firefox 125 = 3 views by V1 V2 V5 (kept); Chrome 120 (V3, 2
 *   views) and Safari 17 (V4, 2 views) have 1 visitor: folded into
 *   (other) = 4 views by 2 visitors.
 * referrer: b.com = V2 + V3 (kept); a.com (V1), c.com (V3), (direct) and
 *   d.com (both V4) fold: (other) = 4 views by V1 V3 V4 = 3 visitors, V4
 *   counted once although in two folded cells. V5 has no referrer cell.
 */
static const struct bd_in bd_hits[] = {
	{ 1, 100, "Firefox 125", "a.com" }, { 2, 110, "Firefox 125", "b.com" },
	{ 3, 120, "Chrome 120", "b.com" },  { 3, 130, "Chrome 120", "c.com" },
	{ 4, 140, "Safari 17", "(direct)" }, { 4, 150, "Safari 17", "d.com" },
	{ 5, 160, "Firefox 125", "" },
};

static enum lf_status collect_bd(void *ctx, struct day_result *d)
{
	struct collected *c = ctx;
	for (size_t i = 0; i < d->nbreakdown; i++) {
		const struct breakdown_row *r = &d->breakdown[i];
		c->n += (size_t)snprintf(c->text + c->n, sizeof(c->text) - c->n,
					 "%.*s %s %.*s %llu %llu\n", (int)r->page.n, r->page.p,
					 dimension_names[r->dimension], (int)r->value.n, r->value.p,
					 (unsigned long long)r->pageviews,
					 (unsigned long long)r->visitors);
	}
	agg_day_free(d);
	return LF_OK;
}

static void run_bd(uint32_t k, int reverse, struct collected *out)
{
	struct agg a;
	struct agg_config cfg = {
		1800, 1u << DIM_BROWSER | 1u << DIM_REFERRER, k, 600, false, false, 0
	};
	size_t n = sizeof(bd_hits) / sizeof(bd_hits[0]);
	agg_init(&a, &cfg);
	for (size_t i = 0; i < n; i++) {
		const struct bd_in *b = &bd_hits[reverse ? n - 1 - i : i];
		struct hit h = { .site = SLICE_LIT("s"), .page = SLICE_LIT("/a"), .day = 1,
				 .time = 86400 + b->sec, .sec_of_day = b->sec,
				 .visitor = b->visitor };
		h.dim[DIM_BROWSER] = slice_cstr(b->browser);
		h.dim[DIM_REFERRER] = slice_cstr(b->referrer);
		h.dim[DIM_OS] = SLICE_LIT("not recorded"); /* not in cfg.dims */
		CHECK_INT(agg_add(&a, &h), LF_OK);
	}
	memset(out, 0, sizeof(*out));
	CHECK_INT(agg_finish(&a, collect_bd, out), LF_OK);
	agg_release(&a);
}

static void test_breakdown_k(void)
{
	struct collected c;
	const char *k2 = "/a browser (other) 4 2\n"
			 "/a browser Firefox 125 3 3\n"
			 "/a referrer (other) 4 3\n"
			 "/a referrer b.com 2 2\n";
	run_bd(2, 0, &c);
	CHECK_STR(c.text, k2);
	run_bd(2, 1, &c);
	CHECK_STR(c.text, k2);
	run_bd(1, 0, &c); /* K = 1: nothing folds */
	CHECK_STR(c.text, "/a browser Chrome 120 2 1\n"
			  "/a browser Firefox 125 3 3\n"
			  "/a browser Safari 17 2 1\n"
			  "/a referrer (direct) 1 1\n"
			  "/a referrer a.com 1 1\n"
			  "/a referrer b.com 2 2\n"
			  "/a referrer c.com 1 1\n"
			  "/a referrer d.com 1 1\n");
	run_bd(4, 0, &c); /* K = 4: everything folds, even Firefox (3) */
	CHECK_STR(c.text, "/a browser (other) 7 5\n"
			  "/a referrer (other) 6 4\n");
	/* K = 3: Firefox 125 (3 visitors) stays; Chrome and Safari fold into
	 * a browser (other) of V3 and V4, 2 < 3 visitors: not written
	 * (secondary suppression). Every referrer has fewer than 3 (b.com 2):
	 * all fold, into (other) = 6 views by V1 V2 V3 V4, written. */
	run_bd(3, 0, &c);
	CHECK_STR(c.text, "/a browser Firefox 125 3 3\n"
			  "/a referrer (other) 6 4\n");
	run_bd(3, 1, &c);
	CHECK_STR(c.text, "/a browser Firefox 125 3 3\n"
			  "/a referrer (other) 6 4\n");
}

/*
 * A value that reads "(other)" already (an internal referrer the page
 * rules hid) is the (other) cell's, never a row of its own beside it (the
 * key would repeat): K = 2, referrer "(other)" by V1 and V2 (2 visitors,
 * enough on its own), x.com by V3 (folded): one (other) row of 3 views by
 * 3 visitors. With K = 1 nothing else folds: (other) 2 2 and x.com 1 1.
 */
static void test_breakdown_other_value(void)
{
	static const char *const ref[3] = { "(other)", "(other)", "x.com" };
	for (uint32_t k = 1; k <= 2; k++) {
		struct agg a;
		struct agg_config cfg = { 1800, 1u << DIM_REFERRER, k, 600, false, false, 0 };
		struct collected c;
		agg_init(&a, &cfg);
		for (int i = 0; i < 3; i++) {
			struct hit h = { .site = SLICE_LIT("s"), .page = SLICE_LIT("/a"), .day = 1,
					 .time = 86400 + i, .sec_of_day = (uint32_t)i,
					 .visitor = (uint64_t)i + 1 };
			h.dim[DIM_REFERRER] = slice_cstr(ref[i]);
			CHECK_INT(agg_add(&a, &h), LF_OK);
		}
		memset(&c, 0, sizeof(c));
		CHECK_INT(agg_finish(&a, collect_bd, &c), LF_OK);
		agg_release(&a);
		CHECK_STR(c.text, k == 1 ? "/a referrer (other) 2 2\n/a referrer x.com 1 1\n"
					 : "/a referrer (other) 3 3\n");
	}
}

/*
 * The local day of 2024-03-31 at +01:00 then +02:00 (DST starts): 01:50+01
 * is 00:50Z, 03:05+02 is 01:05Z. 75 minutes apart by the wall clock, 15 by
 * the real clock: one visit, 900 s on /spring. And on the day DST ends,
 * 02:50+02 (00:50Z) comes before 02:10+01 (01:10Z) although its wall time
 * is later: the visit is /fall (1200 s) -> /fall/next.
 */
static void test_dst(void)
{
	struct agg a;
	struct agg_config cfg = { 1800, 0, 5, 600, false, false, 0 };
	int32_t spring = 19813, fall = 20023; /* 2024-03-31, 2024-10-27: 19723 + 90, + 300 */
	struct hit h[] = {
		{ .site = SLICE_LIT("s"), .page = SLICE_LIT("/spring"), .day = spring,
		  .time = (int64_t)spring * 86400 + 50 * 60, .visitor = 1 },
		{ .site = SLICE_LIT("s"), .page = SLICE_LIT("/spring/next"), .day = spring,
		  .time = (int64_t)spring * 86400 + 65 * 60, .visitor = 1 },
		{ .site = SLICE_LIT("s"), .page = SLICE_LIT("/fall/next"), .day = fall,
		  .time = (int64_t)fall * 86400 + 70 * 60, .visitor = 1 },
		{ .site = SLICE_LIT("s"), .page = SLICE_LIT("/fall"), .day = fall,
		  .time = (int64_t)fall * 86400 + 50 * 60, .visitor = 1 },
	};
	struct collected c;
	agg_init(&a, &cfg);
	for (size_t i = 0; i < sizeof(h) / sizeof(h[0]); i++)
		CHECK_INT(agg_add(&a, &h[i]), LF_OK);
	memset(&c, 0, sizeof(c));
	CHECK_INT(agg_finish(&a, collect, &c), LF_OK);
	agg_release(&a);
	CHECK_STR(c.text, "s 2024-03-31 /spring 1 1 1 1 0 0 900 1\n"
			  "s 2024-03-31 /spring/next 1 1 1 0 0 1 0 0\n"
			  "s 2024-10-27 /fall 1 1 1 1 0 0 1200 1\n"
			  "s 2024-10-27 /fall/next 1 1 1 0 0 1 0 0\n");
}

static enum lf_status collect_state(void *ctx, struct day_result *d)
{
	struct collected *c = ctx;
	c->n += (size_t)snprintf(c->text + c->n, sizeof(c->text) - c->n, "%s %s %zu\n", d->day,
				 d->closed ? "closed" : "open", d->nrows);
	agg_day_free(d);
	return LF_OK;
}

static void add_at(struct agg *a, int32_t day, uint32_t sec, const char *page)
{
	struct hit h = { .site = SLICE_LIT("s"), .page = slice_cstr(page), .day = day,
			 .time = (int64_t)day * 86400 + sec, .sec_of_day = sec, .visitor = 1 };
	CHECK_INT(agg_add(a, &h), LF_OK);
}

/* Day 100 (1970-04-11, offset 0) ends at 101 * 86400; with 600 s of grace
 * it closes once the log reaches 00:10 on day 101, not at 00:05. */
static void test_closing(void)
{
	struct agg a;
	struct agg_config cfg = { 1800, 0, 5, 600, false, false, 0 };
	struct collected c = { .n = 0 };
	agg_init(&a, &cfg);
	add_at(&a, 100, HM(10, 0), "/a");
	add_at(&a, 101, HM(0, 5), "/b");
	CHECK_INT(agg_flush_closed(&a, a.clock, collect_state, &c), LF_OK);
	CHECK_STR(c.text, ""); /* 00:05: nothing closed yet */
	add_at(&a, 101, HM(0, 10), "/c");
	/* a horizon before the clock (a later input starts earlier) holds it */
	CHECK_INT(agg_flush_closed(&a, (int64_t)101 * 86400 + 599, collect_state, &c), LF_OK);
	CHECK_STR(c.text, "");
	CHECK_INT(agg_flush_closed(&a, a.clock, collect_state, &c), LF_OK);
	CHECK_STR(c.text, "1970-04-11 closed 1\n");
	/* a line of a day still held after a flush goes to that day */
	add_at(&a, 101, HM(0, 20), "/d");
	CHECK_INT(agg_finish(&a, collect_state, &c), LF_OK);
	CHECK_STR(c.text, "1970-04-11 closed 1\n1970-04-12 open 3\n");
	agg_release(&a);

	cfg.close_all = true;
	memset(&c, 0, sizeof(c));
	agg_init(&a, &cfg);
	add_at(&a, 100, HM(23, 59), "/a");
	CHECK_INT(agg_finish(&a, collect_state, &c), LF_OK);
	CHECK_STR(c.text, "1970-04-11 closed 1\n");
	agg_release(&a);
}

/* Count rows and (other) of a breakdown without keeping the text. */
struct bd_sum {
	size_t rows, others;
	uint64_t pageviews, visitors, other_visitors;
};

static enum lf_status sum_bd(void *ctx, struct day_result *d)
{
	struct bd_sum *s = ctx;
	for (size_t i = 0; i < d->nbreakdown; i++) {
		const struct breakdown_row *r = &d->breakdown[i];
		s->rows++;
		s->pageviews += r->pageviews;
		s->visitors += r->visitors;
		if (slice_eq_cstr(r->value, DIM_OTHER)) {
			s->others++;
			s->other_visitors += r->visitors;
		}
	}
	agg_day_free(d);
	return LF_OK;
}

/*
 * Many cells: the breakdown's cell table starts at 1024 cells and doubles
 * at half full, so 5000 distinct referrers (each seen by one visitor, who
 * also views the page a second time with no referrer value) make it grow
 * four times. K = 1: 5000 rows of 1 pageview, 1 visitor. K = 2: all fold
 * into one (other) row of 5000 pageviews and 5000 distinct visitors.
 */
static void test_breakdown_many(void)
{
	char name[32];
	for (uint32_t k = 1; k <= 2; k++) {
		struct agg a;
		struct agg_config cfg = { 1800, 1u << DIM_REFERRER, k, 600, false, false, 0 };
		struct bd_sum s = { 0 };
		int failed = 0;
		agg_init(&a, &cfg);
		for (uint32_t i = 0; i < 5000; i++) {
			struct hit h = { .site = SLICE_LIT("s"), .page = SLICE_LIT("/a"), .day = 1,
					 .time = 86400 + i, .sec_of_day = i, .visitor = i + 1,
					 .load_ms = HIT_NO_LOAD_TIME };
			snprintf(name, sizeof(name), "r%u.example", i);
			h.dim[DIM_REFERRER] = slice_cstr(name);
			failed += agg_add(&a, &h) != LF_OK;
			h.dim[DIM_REFERRER] = SLICE_LIT("");
			h.time += 60000;
			failed += agg_add(&a, &h) != LF_OK;
		}
		CHECK_INT(failed, 0);
		CHECK_INT(agg_finish(&a, sum_bd, &s), LF_OK);
		agg_release(&a);
		CHECK_INT(s.rows, k == 1 ? 5000 : 1);
		CHECK_INT(s.others, k == 1 ? 0 : 1);
		CHECK_INT(s.pageviews, 5000);
		CHECK_INT(s.visitors, 5000);
	}
}

/* Events of one day; every row they give is printed by collect_events. */
struct ev_in {
	uint64_t visitor;
	uint32_t sec;
	enum hit_kind kind;
	const char *page;
	const char *value; /* screen class (load) or label (action) */
	uint32_t num;      /* engaged seconds (leave) */
	uint8_t scroll;
	bool tracker;
};

static enum lf_status collect_events(void *ctx, struct day_result *d)
{
	struct collected *c = ctx;
	for (size_t i = 0; i < d->nrows; i++)
		c->n += (size_t)snprintf(c->text + c->n, sizeof(c->text) - c->n, "pv %.*s %llu\n",
					 (int)d->rows[i].page.n, d->rows[i].page.p,
					 (unsigned long long)d->rows[i].pageviews);
	for (size_t i = 0; i < d->nbreakdown; i++) {
		const struct breakdown_row *r = &d->breakdown[i];
		c->n += (size_t)snprintf(c->text + c->n, sizeof(c->text) - c->n,
					 "bd %.*s %s %.*s %llu %llu\n", (int)r->page.n, r->page.p,
					 dimension_names[r->dimension], (int)r->value.n, r->value.p,
					 (unsigned long long)r->pageviews,
					 (unsigned long long)r->visitors);
	}
	for (size_t i = 0; i < d->nsite_breakdown; i++) {
		const struct breakdown_row *r = &d->site_breakdown[i];
		c->n += (size_t)snprintf(c->text + c->n, sizeof(c->text) - c->n,
					 "sb %s %.*s %llu %llu\n", dimension_names[r->dimension],
					 (int)r->value.n, r->value.p,
					 (unsigned long long)r->pageviews,
					 (unsigned long long)r->visitors);
	}
	for (size_t i = 0; i < d->nengagement; i++) {
		const struct engagement_row *r = &d->engagement[i];
		c->n += (size_t)snprintf(c->text + c->n, sizeof(c->text) - c->n,
					 "en %.*s %llu %llu %llu %llu %llu %llu v%llu\n",
					 (int)r->page.n, r->page.p, (unsigned long long)r->measured,
					 (unsigned long long)r->engaged_s,
					 (unsigned long long)r->scroll[0],
					 (unsigned long long)r->scroll[1],
					 (unsigned long long)r->scroll[2],
					 (unsigned long long)r->scroll[3],
					 (unsigned long long)r->visitors);
	}
	for (size_t i = 0; i < d->nactions; i++) {
		const struct action_row *r = &d->actions[i];
		c->n += (size_t)snprintf(c->text + c->n, sizeof(c->text) - c->n,
					 "ac %.*s %s '%.*s' %llu %llu\n", (int)r->page.n, r->page.p,
					 action_names[r->action], (int)r->label.n, r->label.p,
					 (unsigned long long)r->count, (unsigned long long)r->visitors);
	}
	agg_day_free(d);
	return LF_OK;
}

/*
 * Day 100, K = 2, timeout 30 min. Visitors 1, 2, 3 view /a (pageviews);
 * beacon loads on /a: 1 md, 2 md, 3 xs; 1 also loads /b (no pageview of
 * /b that day: /b gets no page_daily row, but its event rows).
 * Leaves on /a: 1 (40 s, 80 %), 2 (20 s, 25 %), 3 (no scroll, 5 s).
 * Clicks on /a: 1 "signup" twice, 2 "signup", 3 "rare"; 2 selects.
 * A tracker view of /b by 4 at 10:00 with heartbeats at 10:00:15 and
 * 10:00:45, then one at 11:00 (an hour later: beyond the timeout, not this
 * view's): measured 1, engaged 45. A heartbeat of 5 with no view: nothing.
 * Worked out:
 *  screen /a: md by 1 and 2 (2 visitors: kept), xs by 3 (1 < K: folded into
 *    (other), 1 load by 1 visitor: under K, not written); /b: md by 1
 *    (folded, (other) of 1 visitor: not written).
 *  site screen: md 3 loads by 1 and 2 (kept), xs by 3 alone (folded, its
 *    (other) of 1 visitor: not written).
 *  engagement /a: 3 measured by 3 visitors, 65 s, scroll >=25: 1 and 2,
 *    >=50: 1, >=75: 1, 100: none; /b: the tracker view, 1 visitor (4):
 *    folded into the (other) page, which has only visitor 4: not written.
 *  actions /a: click signup 3 by 2 visitors (kept), click rare 1 by 1
 *    (folded: (other) 1 1, not written), select '' by 2 (1 visitor:
 *    folded, its (other) not written).
 */
static const struct ev_in events_in[] = {
	{ 1, HM(10, 0), HIT_LOAD, "/a", "md", 0, 0, false },
	{ 2, HM(10, 0), HIT_LOAD, "/a", "md", 0, 0, false },
	{ 3, HM(10, 0), HIT_LOAD, "/a", "xs", 0, 0, false },
	{ 1, HM(10, 9), HIT_LOAD, "/b", "md", 0, 0, false },
	{ 1, HM(10, 8), HIT_LEAVE, "/a", NULL, 40, 80, false },
	{ 2, HM(10, 8), HIT_LEAVE, "/a", NULL, 20, 25, false },
	{ 3, HM(10, 8), HIT_LEAVE, "/a", NULL, 5, HIT_NO_SCROLL, false },
	{ 1, HM(10, 1), HIT_ACTION, "/a", "signup", 0, 0, false },
	{ 1, HM(10, 2), HIT_ACTION, "/a", "signup", 0, 0, false },
	{ 2, HM(10, 1), HIT_ACTION, "/a", "signup", 0, 0, false },
	{ 3, HM(10, 1), HIT_ACTION, "/a", "rare", 0, 0, false },
	{ 2, HM(10, 3), HIT_ACTION, "/a", NULL, 0, 0, false }, /* select */
	{ 4, HM(10, 0), HIT_LOAD, "/b", NULL, 0, 0, true },
	{ 4, HM(10, 0) + 15, HIT_PING, "/b", NULL, 0, 0, true },
	{ 4, HM(10, 0) + 45, HIT_PING, "/b", NULL, 0, 0, true },
	{ 4, HM(11, 0), HIT_PING, "/b", NULL, 0, 0, true },
	{ 5, HM(10, 0), HIT_PING, "/b", NULL, 0, 0, true },
};
#define NEVENTS (sizeof(events_in) / sizeof(events_in[0]))

static void run_events(int reverse, struct collected *out)
{
	struct agg a;
	struct agg_config cfg = { 1800, 0, 2, 600, false, false, 0 };
	agg_init(&a, &cfg);
	for (uint64_t v = 1; v <= 3; v++) {
		struct hit h = { .site = SLICE_LIT("s"), .page = SLICE_LIT("/a"), .day = 100,
				 .time = 100 * 86400 + HM(9, 59), .sec_of_day = HM(9, 59),
				 .visitor = v, .kind = HIT_PAGEVIEW };
		CHECK_INT(agg_add(&a, &h), LF_OK);
	}
	for (size_t k = 0; k < NEVENTS; k++) {
		const struct ev_in *e = &events_in[reverse ? NEVENTS - 1 - k : k];
		struct hit h = { .site = SLICE_LIT("s"), .page = slice_cstr(e->page), .day = 100,
				 .time = 100 * 86400 + e->sec, .sec_of_day = e->sec,
				 .visitor = e->visitor, .kind = e->kind, .tracker = e->tracker,
				 .scroll = e->scroll, .engaged_s = e->num,
				 .client_load_ms = HIT_NO_LOAD_TIME, .label = SLICE_LIT("") };
		if (e->kind == HIT_LOAD && e->value)
			h.dim[DIM_SCREEN] = slice_cstr(e->value);
		if (e->kind == HIT_ACTION) {
			h.action = e->value ? ACTION_CLICK : ACTION_SELECT;
			h.label = e->value ? slice_cstr(e->value) : SLICE_LIT("");
		}
		CHECK_INT(agg_add(&a, &h), LF_OK);
	}
	memset(out, 0, sizeof(*out));
	CHECK_INT(agg_finish(&a, collect_events, out), LF_OK);
	CHECK_INT(a.pageviews, 3); /* events are never pageviews */
	agg_release(&a);
}

static void test_events(void)
{
	struct collected c, r;
	const char *want = "pv /a 3\n"
			   "bd /a screen md 2 2\n"
			   "sb screen md 3 2\n"
			   "en /a 3 65 2 1 1 0 v3\n"
			   "ac /a click 'signup' 3 2\n";
	run_events(0, &c);
	CHECK_STR(c.text, want);
	run_events(1, &r);
	CHECK_STR(r.text, want);
}

/*
 * engagement_daily under K = 2 (leave events only, day 100):
 *  /a: visitors 1 and 2 (10 s 100 %, 20 s no scroll): 2 visitors, kept.
 *  /b: visitor 3 alone (30 s, 50 %); /c: visitor 4 alone (7 s, 80 %).
 *  "(other)", the page of --page-allow's off-list pages: visitors 1 and 2
 *      (1 s each, no scroll): 2 visitors, but always the (other) row's.
 * /b and /c have 1 visitor each: folded. The (other) row: /b + /c +
 * "(other)" = 4 views by visitors {3, 4, 1, 2} = 4, 30+7+1+1 = 39 s,
 * scroll >=25: /b, /c = 2; >=50: 2; >=75: /c = 1; 100: 0. It sorts first.
 * With K = 5 nothing is left: /a has 2, (other) 4 visitors.
 */
static void test_engagement_k(void)
{
	static const struct {
		uint64_t visitor;
		const char *page;
		uint32_t engaged;
		uint8_t scroll;
	} in[] = {
		{ 1, "/a", 10, 100 },     { 2, "/a", 20, HIT_NO_SCROLL }, { 3, "/b", 30, 50 },
		{ 4, "/c", 7, 80 },       { 1, "(other)", 1, HIT_NO_SCROLL },
		{ 2, "(other)", 1, HIT_NO_SCROLL },
	};
	for (uint32_t k = 2; k <= 5; k += 3) {
		struct agg a;
		struct agg_config cfg = { 1800, 0, k, 600, false, false, 0 };
		struct collected c;
		agg_init(&a, &cfg);
		for (size_t i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
			struct hit h = { .site = SLICE_LIT("s"), .page = slice_cstr(in[i].page),
					 .day = 100, .time = 100 * 86400 + 60 + i,
					 .sec_of_day = 60 + (uint32_t)i, .visitor = in[i].visitor,
					 .kind = HIT_LEAVE, .engaged_s = in[i].engaged,
					 .scroll = in[i].scroll, .client_load_ms = HIT_NO_LOAD_TIME };
			CHECK_INT(agg_add(&a, &h), LF_OK);
		}
		memset(&c, 0, sizeof(c));
		CHECK_INT(agg_finish(&a, collect_events, &c), LF_OK);
		agg_release(&a);
		CHECK_STR(c.text, k == 2 ? "en (other) 4 39 2 2 1 0 v4\n"
					   "en /a 2 30 1 1 1 1 v2\n"
					 : "");
	}
}

/* A day with beacon events and no pageview (the HTML came from a cache):
 * no page_daily row, the event rows all the same. Under UBSan this once
 * sorted a NULL pageview array. */
static void test_events_only(void)
{
	struct agg a;
	struct agg_config cfg = { 1800, 0, 1, 600, false, false, 0 };
	struct collected c;
	struct hit h = { .site = SLICE_LIT("s"), .page = SLICE_LIT("/x"), .day = 5,
			 .time = 5 * 86400 + 60, .sec_of_day = 60, .visitor = 9, .kind = HIT_LEAVE,
			 .engaged_s = 7, .scroll = 100, .client_load_ms = HIT_NO_LOAD_TIME };
	agg_init(&a, &cfg);
	CHECK_INT(agg_add(&a, &h), LF_OK);
	memset(&c, 0, sizeof(c));
	CHECK_INT(agg_finish(&a, collect_events, &c), LF_OK);
	CHECK_STR(c.text, "en /x 1 7 1 1 1 1 v1\n");
	agg_release(&a);
}

/* site_daily and site_breakdown_daily of each day, as text. */
static enum lf_status collect_site(void *ctx, struct day_result *d)
{
	struct collected *c = ctx;
	const struct site_daily_row *t = &d->site_total;
	c->n += (size_t)snprintf(c->text + c->n, sizeof(c->text) - c->n,
				 "%.*s %s %llu %llu %llu %llu %llu %llu\n", (int)d->site.n, d->site.p,
				 d->day, (unsigned long long)t->pageviews,
				 (unsigned long long)t->visitors, (unsigned long long)t->visits,
				 (unsigned long long)t->bounces, (unsigned long long)t->time_on_page_s,
				 (unsigned long long)t->time_on_page_n);
	for (size_t i = 0; i < d->nsite_breakdown; i++) {
		const struct breakdown_row *r = &d->site_breakdown[i];
		c->n += (size_t)snprintf(c->text + c->n, sizeof(c->text) - c->n,
					 "  %s %.*s %llu %llu\n", dimension_names[r->dimension],
					 (int)r->value.n, r->value.p,
					 (unsigned long long)r->pageviews,
					 (unsigned long long)r->visitors);
	}
	agg_day_free(d);
	return LF_OK;
}

/*
 * site_daily from day_hits (test_sessions), worked out by hand: site s,
 * day 100: A 4 pageviews in 2 visits (the 31-minute gap), the second a
 * bounce (/c alone); B 1 pageview, a bounce; C 2 pageviews in one visit.
 * So 7 pageviews, 3 visitors (page_daily's visitors add up to 6: a visitor
 * of three pages is one visitor of the site), 4 visits, 2 bounces; time on
 * page A 300 + 1800 (10:35 -> 11:06 is past the timeout), C 0: 2100 s
 * over 3 pageviews, page_daily's sums. Day 101 and site t: A alone once.
 */
static void test_site_daily(void)
{
	struct agg a;
	struct agg_config cfg = { 1800, 0, 5, 600, false, false, 0 };
	struct collected c;
	agg_init(&a, &cfg);
	for (size_t k = 0; k < NHITS; k++) {
		const struct pv_in *p = &day_hits[NHITS - 1 - k];
		struct hit h = { .site = slice_cstr(p->site), .page = slice_cstr(p->page),
				 .day = p->day, .time = (int64_t)p->day * 86400 + p->sec,
				 .sec_of_day = p->sec, .visitor = p->visitor };
		CHECK_INT(agg_add(&a, &h), LF_OK);
	}
	memset(&c, 0, sizeof(c));
	CHECK_INT(agg_finish(&a, collect_site, &c), LF_OK);
	agg_release(&a);
	CHECK_STR(c.text, "s 1970-04-11 7 3 4 2 2100 3\n"
			  "s 1970-04-12 1 1 1 1 0 0\n"
			  "t 1970-04-11 1 1 1 1 0 0\n");
}

/*
 * site_breakdown_daily under the K rule, browser only: V1 (Firefox) reads
 * /a, /b and /c; V2 (Firefox) /a; V3 (Chrome) /b; V4 (Chrome) /c. Per page
 * with K = 2 only /a's Firefox (V1, V2) is kept. For the site, Firefox is
 * 4 pageviews by 2 visitors (V1 once, not three times) and Chrome 2 by 2:
 * both kept. With K = 3 both fold: (other) 6 pageviews by 4 visitors.
 */
static void run_site_bd(uint32_t k, struct collected *out)
{
	static const struct {
		uint64_t v;
		const char *page, *browser;
	} in[] = { { 1, "/a", "Firefox" }, { 1, "/b", "Firefox" }, { 1, "/c", "Firefox" },
		   { 2, "/a", "Firefox" }, { 3, "/b", "Chrome" },  { 4, "/c", "Chrome" } };
	struct agg a;
	struct agg_config cfg = { 1800, 1u << DIM_BROWSER, k, 600, false, false, 0 };
	agg_init(&a, &cfg);
	for (size_t i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		struct hit h = { .site = SLICE_LIT("s"), .page = slice_cstr(in[i].page), .day = 1,
				 .time = 86400 + 60 * (int64_t)i, .sec_of_day = 60 * (uint32_t)i,
				 .visitor = in[i].v };
		h.dim[DIM_BROWSER] = slice_cstr(in[i].browser);
		CHECK_INT(agg_add(&a, &h), LF_OK);
	}
	memset(out, 0, sizeof(*out));
	CHECK_INT(agg_finish(&a, collect_site, out), LF_OK);
	agg_release(&a);
}

static void test_site_breakdown(void)
{
	struct collected c;
	run_site_bd(2, &c);
	CHECK_STR(c.text, "s 1970-01-02 6 4 4 3 120 2\n"
			  "  browser Chrome 2 2\n"
			  "  browser Firefox 4 2\n");
	run_site_bd(3, &c);
	CHECK_STR(c.text, "s 1970-01-02 6 4 4 3 120 2\n"
			  "  browser (other) 6 4\n");
}

/*
 * Values of up to 8 bytes are found through a small table per dimension
 * (agg.h, AGG_SHORT_SLOTS) before the string table: 700 distinct values of
 * 1 to 12 bytes (more than the table's slots, so that they collide and
 * replace each other), value v seen by v % 7 + 1 visitors, one pageview
 * each, must come out with exactly those counts.
 */
#define SHORT_VALUES 700

struct short_counts {
	uint64_t pageviews[SHORT_VALUES];
	size_t rows;
	int bad;
};

static void short_value(unsigned v, char *buf, size_t len)
{
	/* "0".."699" (1 to 3 bytes), every fifth padded to 8, every seventh
	 * to 12 bytes: both sides of the word */
	snprintf(buf, len, v % 7 == 0 ? "%012u" : v % 5 == 0 ? "%08u" : "%u", v);
}

static enum lf_status collect_short(void *ctx, struct day_result *d)
{
	struct short_counts *c = ctx;
	for (size_t i = 0; i < d->nbreakdown; i++) {
		const struct breakdown_row *r = &d->breakdown[i];
		char num[16] = "";
		memcpy(num, r->value.p, r->value.n < 15 ? r->value.n : 15);
		unsigned v = (unsigned)strtoul(num, NULL, 10);
		char want[16];
		short_value(v, want, sizeof(want));
		if (v >= SHORT_VALUES || !slice_eq_cstr(r->value, want) ||
		    r->pageviews != r->visitors)
			c->bad++;
		else
			c->pageviews[v] += r->pageviews;
		c->rows++;
	}
	agg_day_free(d);
	return LF_OK;
}

static void test_short_values(void)
{
	static struct short_counts c;
	static char names[SHORT_VALUES][16];
	struct agg a;
	struct agg_config cfg = { 1800, 1u << DIM_COUNTRY, 1, 600, false, false, 0 };
	uint64_t visitor = 0;
	int failed = 0;
	agg_init(&a, &cfg);
	for (unsigned v = 0; v < SHORT_VALUES; v++)
		short_value(v, names[v], sizeof(names[v]));
	/* round after round, so that a value's hits are far apart */
	for (unsigned round = 0; round < 7; round++)
		for (unsigned v = 0; v < SHORT_VALUES; v++) {
			if (round > v % 7)
				continue;
			struct hit h = { .site = SLICE_LIT("s"), .page = SLICE_LIT("/a"), .day = 1,
					 .time = 86400 + 10, .sec_of_day = 10,
					 .visitor = ++visitor };
			h.dim[DIM_COUNTRY] = slice_cstr(names[v]);
			failed += agg_add(&a, &h) != LF_OK;
		}
	CHECK_INT(failed, 0);
	CHECK_INT(agg_finish(&a, collect_short, &c), LF_OK);
	agg_release(&a);
	CHECK_INT(c.rows, SHORT_VALUES);
	CHECK_INT(c.bad, 0);
	int wrong = 0;
	for (unsigned v = 0; v < SHORT_VALUES; v++)
		wrong += c.pageviews[v] != v % 7 + 1;
	CHECK_INT(wrong, 0);
}

TEST_MAIN(test_closing, test_breakdown_many, test_breakdown_other_value, test_engagement_k, test_dst,
	  test_sessions, test_timeout_edge, test_empty, test_breakdown_k, test_events,
	  test_events_only, test_short_values, test_site_daily, test_site_breakdown)
