/*
 * test_aggdays.c - the days computed on helper threads (agg_config.threads)
 * come out exactly as computed one after the other: the same hits, fed to
 * aggregators of 1, 2, 4 and 64 threads (64: more threads than days),
 * give the same days in the same order, every table's rows alike (compared
 * as text, cell by cell, through table_row). The reference is the
 * sequential path; what the test knows independently of logfold is worked
 * out from the generated hits themselves: which (site, day)s exist, their
 * order (site name, then day) and how many pageviews each day has.
 * A failing emit stops the run at the same day whatever the threads, and
 * the days after it stay held as they were: a later agg_finish emits them
 * alike.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../aggregate/agg.h"
#include "dayhits.h"
#include "daytext.h"
#include "harness.h"

#define NSITES 3
#define NDAYS 6
#define NHITS 6000

static const char *const sites[NSITES] = { "b.example", "a.example", "c.example" };
static const char *const pages[] = { "/", "/a", "/b", "/c/d", "/e", "/f?", "/g", "/h" };
static const char *const labels[] = { "", "buy", "menu" };

/* Hit k of the run: a pageview (most), a beacon event or a robot request.
 * pv_of[site][day] counts the pageviews. */
static int make_hit(uint64_t *s, struct hit *h, uint64_t pv_of[NSITES][NDAYS])
{
	uint32_t site = (uint32_t)rnd(s, NSITES), day = (uint32_t)rnd(s, NDAYS);
	uint32_t sec = (uint32_t)rnd(s, 86400);
	*h = dayhits_pageview(s, sites[site], pages, COUNT(pages), (int32_t)day, sec, 40);
	uint64_t kind = rnd(s, 20);
	if (kind == 0) {
		h->bot = slice_cstr(rnd(s, 2) ? "Googlebot" : "bingbot");
		return 1; /* a robot request */
	}
	if (kind == 1) {
		h->kind = HIT_LOAD;
		h->dim[DIM_SCREEN] = slice_cstr(rnd(s, 2) ? "l" : "s");
		h->client_load_ms = (uint32_t)rnd(s, 5000);
	} else if (kind == 2) {
		h->kind = HIT_LEAVE;
		h->engaged_s = (uint32_t)rnd(s, 600);
		h->scroll = (uint8_t)rnd(s, 101);
	} else if (kind == 3) {
		h->kind = HIT_ACTION;
		h->action = (uint8_t)rnd(s, ACTION_COUNT);
		h->label = slice_cstr(labels[rnd(s, COUNT(labels))]);
	} else {
		pv_of[site][day]++;
	}
	return 0;
}

/* What the days emitted were, as text: one line per row of every table,
 * "table|cell|cell...", days in the order emitted. */
struct seen {
	struct daytext out;
	int ndays;
	char day_names[NSITES * NDAYS][32];
	uint64_t pageviews[NSITES * NDAYS];
	pthread_t caller;
	bool other_thread; /* emit was called on another thread */
	int fail_at;       /* emit fails (LF_ERR_IO) on this day, counted from 0; -1 never */
};

static enum lf_status collect(void *ctx, struct day_result *d)
{
	struct seen *c = ctx;
	if (!pthread_equal(pthread_self(), c->caller))
		c->other_thread = true;
	if (c->ndays == c->fail_at) {
		c->fail_at = -1;
		agg_day_free(d);
		return LF_ERR_IO;
	}
	if (c->ndays < NSITES * NDAYS) {
		snprintf(c->day_names[c->ndays], sizeof(c->day_names[0]), "%.*s %s", (int)d->site.n,
			 d->site.p, d->day);
		c->pageviews[c->ndays] = d->site_total.pageviews;
	}
	c->ndays++;
	daytext_day(&c->out, d);
	agg_day_free(d);
	return LF_OK;
}

/* The hits, into a; pv_of[site][day] counts the pageviews. */
static void feed(struct agg *a, uint64_t pv_of[NSITES][NDAYS])
{
	uint64_t s = 42;
	int refused = 0;
	memset(pv_of, 0, sizeof(uint64_t) * NSITES * NDAYS);
	for (int k = 0; k < NHITS; k++) {
		struct hit h;
		int bot = make_hit(&s, &h, pv_of);
		refused += (bot ? agg_add_bot(a, &h) : agg_add(a, &h)) != LF_OK;
	}
	CHECK_INT(refused, 0);
}

static void start(struct agg *a, unsigned threads, int fail_at, struct seen *out)
{
	struct agg_config cfg = { .session_timeout = 1800,
				  .dims = 1u << DIM_BROWSER | 1u << DIM_REFERRER,
				  .min_visitors = 3,
				  .grace = 600,
				  .threads = threads };
	agg_init(a, &cfg);
	memset(out, 0, sizeof(*out));
	out->caller = pthread_self();
	out->fail_at = fail_at;
}

/* Feed the hits to an aggregator of threads; flush the days closed by
 * flush_day's end (none: -1), failing on its fail_at-th day, then finish. */
static void run(unsigned threads, int flush_day, int fail_at, struct seen *out,
		uint64_t pv_of[NSITES][NDAYS])
{
	struct agg a;
	start(&a, threads, fail_at, out);
	feed(&a, pv_of);
	if (flush_day >= 0) {
		int64_t horizon = (int64_t)(DAY0 + flush_day + 1) * 86400 + 600;
		CHECK_INT(agg_flush_closed(&a, horizon, collect, out),
			  fail_at >= 0 ? LF_ERR_IO : LF_OK);
	}
	CHECK_INT(agg_finish(&a, collect, out), LF_OK);
	agg_release(&a);
}

/* Every (site, day) once: first those of days 0 .. flush (the flush),
 * then the others (agg_finish), each time sites by name, then days; each
 * day's pageviews those generated for it. */
static void check_days(const struct seen *c, uint64_t pv_of[NSITES][NDAYS], int flush)
{
	static const int by_name[NSITES] = { 1, 0, 2 }; /* a, b, c.example */
	const int from[2] = { 0, flush + 1 }, to[2] = { flush + 1, NDAYS };
	int k = 0;
	CHECK_INT(c->ndays, NSITES * NDAYS);
	for (int phase = 0; phase < 2; phase++)
		for (int i = 0; i < NSITES; i++)
			for (int day = from[phase]; day < to[phase] && k < c->ndays; day++, k++) {
				int site = by_name[i];
				char want[32];
				snprintf(want, sizeof(want), "%s 2024-03-%02d", sites[site],
					 18 + day);
				CHECK_STR(c->day_names[k], want);
				CHECK_INT(c->pageviews[k], pv_of[site][day]);
			}
}

static void test_same_days(void)
{
	static const unsigned threads[] = { 2, 4, 64 };
	uint64_t pv_of[NSITES][NDAYS];
	struct seen one, many;
	for (int flush = -1; flush < NDAYS; flush += 3) {
		run(1, flush, -1, &one, pv_of);
		check_days(&one, pv_of, flush);
		CHECK(one.out.n > 10000); /* many rows of every kind, not a trivial match */
		CHECK(strstr(one.out.text, "action_daily|") &&
		      strstr(one.out.text, "load_hourly|") &&
		      strstr(one.out.text, "engagement_daily|") &&
		      strstr(one.out.text, "bots_daily|"));
		for (size_t t = 0; t < COUNT(threads); t++) {
			run(threads[t], flush, -1, &many, pv_of);
			check_days(&many, pv_of, flush);
			CHECK(!many.other_thread);
			CHECK_INT(many.out.n, one.out.n);
			CHECK(many.out.text && one.out.text &&
			      strcmp(many.out.text, one.out.text) == 0);
			free(many.out.text);
		}
		free(one.out.text);
	}
}

/* emit fails on a day of the flush: that day is dropped and the flush
 * stops there, whatever the threads; the days after it, some of them
 * built ahead by the helpers, are emitted by agg_finish as they would
 * have been. Day 2 of a flush of days 0..3 (12 days): "a.example
 * 2024-03-20" is never emitted, the other 17 are. */
static void test_failure(void)
{
	static const unsigned threads[] = { 2, 4, 64 };
	uint64_t pv_of[NSITES][NDAYS];
	struct seen one, many;
	run(1, 3, 2, &one, pv_of);
	CHECK_INT(one.ndays, NSITES * NDAYS - 1);
	CHECK(one.out.text && !strstr(one.out.text, "|a.example|2024-03-20|"));
	CHECK(one.out.text && strstr(one.out.text, "|a.example|2024-03-21|"));
	for (size_t t = 0; t < COUNT(threads); t++) {
		run(threads[t], 3, 2, &many, pv_of);
		CHECK_INT(many.ndays, NSITES * NDAYS - 1);
		CHECK(many.out.text && one.out.text && strcmp(many.out.text, one.out.text) == 0);
		free(many.out.text);
	}
	free(one.out.text);
}

/* emit fails during agg_finish: the status is emit's, no day after it is
 * emitted, and the days never emitted go with the aggregator (under
 * make check SANITIZE=address, a day's records left behind are a leak). */
static void test_finish_failure(void)
{
	static const unsigned threads[] = { 1, 4 };
	uint64_t pv_of[NSITES][NDAYS];
	for (size_t t = 0; t < COUNT(threads); t++) {
		struct agg a;
		struct seen c;
		start(&a, threads[t], 2, &c);
		feed(&a, pv_of);
		CHECK_INT(agg_finish(&a, collect, &c), LF_ERR_IO);
		CHECK_INT(c.ndays, 2);
		agg_release(&a);
		free(c.out.text);
	}
}

TEST_MAIN(test_same_days, test_failure, test_finish_failure)
