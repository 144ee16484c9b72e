/*
 * test_aggpack.c - packing a day's records (agg.h, "Packing") and writing
 * days ahead change no table. The reference cannot pack: each (site, day)
 * is fed alone to an aggregator of its own, in the same relative order, so
 * its clock never passes the day's end and nothing is packed (checked:
 * agg_packed is 0).
 * A day's tables depend on its own lines only (every day is closed,
 * close_all), so the whole run's days must come out exactly as the
 * references', in (site name, day) order, every row of every table
 * compared as text. The hits are fed in time order, reversed and shuffled
 * (days packed, then given late records, then packed again), at 1 and 2
 * threads; a failing emit leaves packed days held as they were. Writing
 * ahead (agg.h) changes no table either: the same orders fed with a write
 * ahead whenever one is due, at 1 and 2 threads, give the references'
 * days, each written ahead once at most (check_ahead).
 *
 * One order is built so that when packing happens is known by hand from
 * agg.h's rules (AGG_PACK_EVERY 8192, AGG_PACK_MIN 4096, a quarter of
 * those packed, the clock past end + grace + AGG_PACK_MARGIN): see
 * test_repack.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../aggregate/agg.h"
#include "dayhits.h"
#include "daytext.h"
#include "harness.h"

_Static_assert(AGG_PACK_EVERY == 8192 && AGG_PACK_MIN == 4096 && AGG_PACK_MARGIN == 3600,
	       "test_repack's counts are worked out for these values");

#define NDAYS 4
#define NSITES 2
#define MAXHITS 80000
#define GRACE 600

static const char *const sites[NSITES] = { "b.example", "a.example" };
static const char *const pages[] = { "/", "/a", "/b", "/c/d", "/e", "/f?", "/g" };

struct hits {
	struct hit h[MAXHITS];
	int site[MAXHITS], day[MAXHITS];
	bool bot[MAXHITS];
	size_t n;
};

static struct hits hits; /* the hits of the test running */

/* A hit of (site, day) at second sec: mostly a pageview, with few
 * visitors and seconds on a 30-second grid, so that pageviews of equal
 * (visitor, second, page) but other breakdown values are common (their
 * order counts); with events and robots when mixed. */
static void add_hit(struct hits *hs, uint64_t *s, int site, int day, uint32_t sec, bool mixed)
{
	struct hit *h = &hs->h[hs->n];
	sec -= sec % 30;
	*h = dayhits_pageview(s, sites[site], pages, COUNT(pages), day, sec, 300);
	uint64_t kind = mixed ? rnd(s, 20) : 19;
	hs->bot[hs->n] = kind == 0;
	if (kind == 0)
		h->bot = slice_cstr("Googlebot");
	if (kind == 1) {
		h->kind = HIT_LEAVE;
		h->engaged_s = (uint32_t)rnd(s, 600);
		h->scroll = 50;
	}
	hs->site[hs->n] = site;
	hs->day[hs->n] = day;
	hs->n++;
}

/* The days emitted, each as text: one line per row of every table. */
struct seen {
	struct daytext out;
	int ndays;
	int fail_at; /* emit fails (LF_ERR_IO) on this day, counted from 0; -1 never */
};

static enum lf_status collect(void *ctx, struct day_result *d)
{
	struct seen *c = ctx;
	if (c->ndays++ == c->fail_at) {
		agg_day_free(d);
		return LF_ERR_IO;
	}
	daytext_day(&c->out, d);
	agg_day_free(d);
	return LF_OK;
}

static void start(struct agg *a, unsigned threads)
{
	struct agg_config cfg = { .session_timeout = 1800,
				  .dims = 1u << DIM_BROWSER | 1u << DIM_REFERRER,
				  .min_visitors = 3,
				  .grace = GRACE,
				  .close_all = true,
				  .threads = threads };
	agg_init(a, &cfg);
}

/* Hits [from, to) of hs into a; the number refused (none expected). */
static int feed(struct agg *a, const struct hits *hs, size_t from, size_t to)
{
	int refused = 0;
	for (size_t i = from; i < to; i++)
		refused +=
			(hs->bot[i] ? agg_add_bot(a, &hs->h[i]) : agg_add(a, &hs->h[i])) != LF_OK;
	return refused;
}

/* The reference text of every (site, day), in emission order: sites by
 * name (a.example = 1, then b.example = 0), then days; each fed alone
 * (a day of no hit: no text). */
static void reference(const struct hits *hs, struct seen ref[NSITES * NDAYS])
{
	static const int by_name[NSITES] = { 1, 0 };
	for (int i = 0; i < NSITES; i++)
		for (int day = 0; day < NDAYS; day++) {
			struct seen *c = &ref[i * NDAYS + day];
			struct agg a;
			size_t bytes;
			memset(c, 0, sizeof(*c));
			c->fail_at = -1;
			int refused = 0;
			bool any = false;
			start(&a, 1);
			for (size_t k = 0; k < hs->n; k++)
				if (hs->site[k] == by_name[i] && hs->day[k] == day) {
					refused += feed(&a, hs, k, k + 1);
					any = true;
				}
			CHECK_INT(refused, 0);
			CHECK_INT(agg_packed(&a, &bytes), 0);
			CHECK_INT(agg_finish(&a, collect, c), LF_OK);
			CHECK_INT(c->ndays, any);
			agg_release(&a);
		}
}

/* The references' texts, but day skip's (-1: none), one after the other. */
static char *expected(struct seen ref[NSITES * NDAYS], int skip)
{
	struct daytext all = { 0 };
	for (int k = 0; k < NSITES * NDAYS; k++)
		if (k != skip && ref[k].out.text)
			daytext_put(&all, ref[k].out.text, ref[k].out.n);
	return all.text;
}

static void free_ref(struct seen ref[NSITES * NDAYS])
{
	for (int k = 0; k < NSITES * NDAYS; k++)
		free(ref[k].out.text);
}

/* Finish a, whose days so far went to got: every day emitted, ndays in
 * all, their text want's; then release a and got's text. */
static void finish_as(struct agg *a, struct seen *got, int ndays, const char *want)
{
	CHECK_INT(agg_finish(a, collect, got), LF_OK);
	CHECK_INT(got->ndays, ndays);
	CHECK(got->out.text && want && strcmp(got->out.text, want) == 0);
	agg_release(a);
	free(got->out.text);
}

/* hs fed whole at 1 and 2 threads: the references' tables; *packed the
 * records packed before the end (at 1 thread). */
static void check_order(const struct hits *hs, size_t *packed)
{
	struct seen ref[NSITES * NDAYS];
	reference(hs, ref);
	char *want = expected(ref, -1);
	for (unsigned threads = 1; threads <= 2; threads++) {
		struct agg a;
		struct seen got = { .fail_at = -1 };
		size_t bytes;
		start(&a, threads);
		CHECK_INT(feed(&a, hs, 0, hs->n), 0);
		size_t n = agg_packed(&a, &bytes);
		if (threads == 1)
			*packed = n;
		CHECK(bytes < n * 16); /* a record of 2 slots unpacked: 24 bytes */
		finish_as(&a, &got, NSITES * NDAYS, want);
	}
	free(want);
	free_ref(ref);
}

/* Every site and day, `per` hits each at random seconds, mixed kinds. */
static void make_random(struct hits *hs, size_t per, uint64_t seed, bool mixed)
{
	uint64_t s = seed;
	hs->n = 0;
	for (size_t k = 0; k < per * NSITES * NDAYS; k++)
		add_hit(hs, &s, (int)rnd(&s, NSITES), (int)rnd(&s, NDAYS), (uint32_t)rnd(&s, 86400),
			mixed);
}

static int cmp_time(const void *x, const void *y)
{
	const struct hit *a = x, *b = y;
	return (a->time > b->time) - (a->time < b->time);
}

/* Sort hs by time (its parallel arrays follow through an index). */
static void order(struct hits *hs, int how, uint64_t seed)
{
	static struct hits tmp;
	size_t *idx = malloc(hs->n * sizeof(*idx));
	struct hit *keyed = malloc(hs->n * sizeof(*keyed));
	if (!idx || !keyed)
		abort();
	uint64_t s = seed;
	for (size_t i = 0; i < hs->n; i++) {
		keyed[i] = hs->h[i];
		keyed[i].visitor = i; /* carries the index through the sort */
	}
	qsort(keyed, hs->n, sizeof(*keyed), cmp_time);
	for (size_t i = 0; i < hs->n; i++)
		idx[i] = (size_t)keyed[i].visitor;
	if (how == 1) /* reversed */
		for (size_t i = 0; i < hs->n / 2; i++) {
			size_t t = idx[i];
			idx[i] = idx[hs->n - 1 - i];
			idx[hs->n - 1 - i] = t;
		}
	if (how == 2) /* shuffled (Fisher-Yates) */
		for (size_t i = hs->n - 1; i > 0; i--) {
			size_t j = (size_t)rnd(&s, i + 1), t = idx[i];
			idx[i] = idx[j];
			idx[j] = t;
		}
	for (size_t i = 0; i < hs->n; i++) {
		tmp.h[i] = hs->h[idx[i]];
		tmp.site[i] = hs->site[idx[i]];
		tmp.day[i] = hs->day[idx[i]];
		tmp.bot[i] = hs->bot[idx[i]];
	}
	memcpy(hs->h, tmp.h, hs->n * sizeof(*hs->h));
	memcpy(hs->site, tmp.site, hs->n * sizeof(*hs->site));
	memcpy(hs->day, tmp.day, hs->n * sizeof(*hs->day));
	memcpy(hs->bot, tmp.bot, hs->n * sizeof(*hs->bot));
	free(idx);
	free(keyed);
}

/*
 * Writing ahead (agg.h): the days emitted ahead and at the end, gathered
 * by (site name, day), the last text of each kept; then put together in
 * that order, which is emission order, to compare with the references.
 */
struct ahead_day {
	char key[48]; /* "site|day" */
	char *text;
	int ahead;  /* times emitted ahead */
	int marked; /* emitted at the end with ahead set (no rows) */
	int again;  /* emitted at the end with again set */
	int built;  /* emitted at the end with rows */
};

struct ahead_seen {
	struct ahead_day day[NSITES * NDAYS];
	int n;
};

static struct ahead_day *ahead_slot(struct ahead_seen *c, const struct day_result *d)
{
	char key[48];
	snprintf(key, sizeof(key), "%.*s|%s", (int)d->site.n, d->site.p, d->day);
	for (int i = 0; i < c->n; i++)
		if (strcmp(c->day[i].key, key) == 0)
			return &c->day[i];
	if (c->n == NSITES * NDAYS)
		abort();
	struct ahead_day *k = &c->day[c->n++];
	memset(k, 0, sizeof(*k));
	memcpy(k->key, key, sizeof(key));
	return k;
}

/* A day emitted ahead (at_end false: agg_write_ahead's, on whichever
 * thread) or at the end (agg_finish's). */
static enum lf_status collect_day(struct ahead_seen *c, struct day_result *d, bool at_end)
{
	struct ahead_day *k = ahead_slot(c, d);
	if (!at_end) {
		k->ahead++;
	} else if (d->ahead) {
		k->marked++;
		CHECK(d->nrows == 0 && d->nbreakdown == 0 && d->nbots == 0);
	} else {
		k->built++;
		k->again += d->again;
	}
	if (!d->ahead) { /* this day's rows, as a sink would write them */
		struct daytext t = { 0 };
		daytext_day(&t, d);
		free(k->text);
		k->text = t.text;
	}
	agg_day_free(d);
	return LF_OK;
}

static enum lf_status collect_early(void *ctx, struct day_result *d)
{
	return collect_day(ctx, d, false);
}

static enum lf_status collect_end(void *ctx, struct day_result *d)
{
	return collect_day(ctx, d, true);
}

static int cmp_ahead_day(const void *x, const void *y)
{
	return strcmp(((const struct ahead_day *)x)->key, ((const struct ahead_day *)y)->key);
}

static bool refuse_b(void *ctx, struct slice site, int32_t day)
{
	(void)ctx;
	(void)day;
	return !slice_eq_cstr(site, "b.example");
}

static bool take_all(void *ctx, struct slice site, int32_t day)
{
	(void)ctx;
	(void)site;
	(void)day;
	return true;
}

/* hs fed with a write ahead whenever one is due, at 1 and 2 threads, with
 * every day allowed and with b.example's refused: the references' tables.
 * In time order the first three days of each site are written ahead and
 * never reached again: marked at the end. Reversed, every day but the
 * last is written ahead at its first hit (the clock is at the end at
 * once), then reached: computed again. A day is written ahead once at
 * most, and again is set exactly when it was and has changed since. */
static void check_ahead(const struct hits *hs, int how, const char *want)
{
	for (int run = 0; run < 4; run++) {
		unsigned threads = 1 + run % 2;
		bool refuse = run >= 2;
		struct ahead_seen got = { .n = 0 };
		struct agg a;
		int refused = 0, failed = 0;
		start(&a, threads);
		for (size_t i = 0; i < hs->n; i++) {
			refused += feed(&a, hs, i, i + 1);
			if (agg_ahead_due(&a))
				failed += agg_write_ahead(&a, refuse ? refuse_b : take_all,
							  collect_early, &got) != LF_OK;
		}
		CHECK_INT(refused, 0);
		CHECK_INT(failed, 0);
		CHECK_INT(agg_finish(&a, collect_end, &got), LF_OK);
		agg_release(&a);
		CHECK_INT(got.n, NSITES * NDAYS);
		qsort(got.day, (size_t)got.n, sizeof(*got.day), cmp_ahead_day);
		struct daytext all = { 0 };
		int ahead = 0, marked = 0, again = 0;
		for (int k = 0; k < got.n; k++) {
			struct ahead_day *d = &got.day[k];
			bool b = strncmp(d->key, "b.example|", 10) == 0;
			CHECK(d->ahead <= (refuse && b ? 0 : 1));
			CHECK_INT(d->marked + d->built, 1);
			CHECK_INT(d->again, d->ahead && d->built);
			ahead += d->ahead;
			marked += d->marked;
			again += d->again;
			if (d->text)
				daytext_put(&all, d->text, strlen(d->text));
			free(d->text);
		}
		/* how many: known at 1 thread; with a helper, a day due while
		 * another is written waits for it, and may be reached first */
		int nsites = refuse ? 1 : NSITES;
		if (threads == 1 && how == 0) {
			CHECK_INT(ahead, nsites * (NDAYS - 1));
			CHECK_INT(marked, nsites * (NDAYS - 1));
		} else if (threads == 1 && how == 1) {
			CHECK_INT(ahead, nsites * (NDAYS - 1));
			CHECK_INT(again, nsites * (NDAYS - 1));
		} else {
			CHECK(ahead >= 1);
		}
		CHECK(all.text && strcmp(all.text, want) == 0);
		free(all.text);
	}
}

/* check_ahead of hs in order how against its references' tables, which
 * hold holds (when not NULL). */
static void check_ahead_ref(const struct hits *hs, int how, const char *holds)
{
	struct seen ref[NSITES * NDAYS];
	reference(hs, ref);
	char *want = expected(ref, -1);
	if (holds)
		CHECK(strstr(want, holds) != NULL);
	check_ahead(hs, how, want);
	free(want);
	free_ref(ref);
}

/* ~60 000 hits over 2 sites and 4 days: in time order the first three
 * days are packed (the clock passes them; the last never is), reversed
 * and shuffled every day but the last is (the clock is at the end at
 * once), some several times. */
static void test_orders(void)
{
	struct hits *hs = &hits;
	for (int how = 0; how < 3; how++) {
		size_t packed;
		make_random(hs, 7500, 7, true);
		order(hs, how, 11);
		check_order(hs, &packed);
		CHECK(packed > 0);
		check_ahead_ref(hs, how, NULL);
	}
	/* pageviews only, reversed: no robot request reaches a day written
	 * ahead, only its pageviews */
	make_random(hs, 2000, 17, false);
	order(hs, 1, 19);
	check_ahead_ref(hs, 1, NULL);
	/* in time order, then one robot request of a.example's day 0, which
	 * was written ahead: its robots row must be there */
	uint64_t s = 23;
	make_random(hs, 2000, 29, false);
	order(hs, 0, 31);
	add_hit(hs, &s, 1, 0, 43200, false);
	hs->bot[hs->n - 1] = true;
	hs->h[hs->n - 1].bot = slice_cstr("Googlebot");
	check_ahead_ref(hs, 2, "Googlebot");
}

/*
 * Site a.example only, pageviews only; cumulative pageview counts in
 * brackets, the days looked at after pageview 8192, 16384 and 24576:
 *  A  10 000 of day 0, seconds 0 .. 40 000 in order        [10 000]
 *     (8192: day 0 not passed: the clock is in it)
 *  B   7 000 of day 1, seconds 5 000 .. 60 000 in order    [17 000]
 *     (16384: the clock at day 1 + >= 5000 s > day 0's end + 600 + 3600;
 *     day 0 holds 10 000 >= 4096: packed. Day 1 not passed.)
 *  C   5 000 late ones of day 0, random seconds             [22 000]
 *     (no look: day 0 holds 10 000 packed, 5 000 not)
 *  D   3 000 of day 1, seconds 60 000 .. 86 400 in order   [25 000]
 *     (24576: day 0's 5 000 >= 4096 and >= 10 000 / 4: packed again,
 *     15 000)
 *  E   1 000 late ones of day 0                             [26 000]
 *     (no look; they stay unpacked)
 */
static void test_repack(void)
{
	static const struct {
		int day;
		size_t n;
		uint32_t lo, hi; /* seconds; lo == hi: random */
		size_t packed;   /* records packed after the phase */
	} phase[] = { { 0, 10000, 0, 40000, 0 },
		      { 1, 7000, 5000, 60000, 10000 },
		      { 0, 5000, 0, 0, 10000 },
		      { 1, 3000, 60000, 86400, 15000 },
		      { 0, 1000, 0, 0, 15000 } };
	struct hits *hs = &hits;
	uint64_t s = 5;
	struct agg a;
	struct seen got = { .fail_at = -1 }, ref[NSITES * NDAYS];
	hs->n = 0;
	start(&a, 1);
	for (size_t p = 0; p < COUNT(phase); p++) {
		size_t from = hs->n, bytes;
		for (size_t i = 0; i < phase[p].n; i++) {
			uint32_t sec =
				phase[p].lo == phase[p].hi
					? (uint32_t)rnd(&s, 86400)
					: phase[p].lo +
						  (uint32_t)((uint64_t)(phase[p].hi - phase[p].lo) *
							     i / phase[p].n);
			add_hit(hs, &s, 1, phase[p].day, sec, false);
		}
		CHECK_INT(feed(&a, hs, from, hs->n), 0);
		CHECK_INT(agg_packed(&a, &bytes), phase[p].packed);
	}
	reference(hs, ref);
	char *want = expected(ref, -1);
	finish_as(&a, &got, 2, want);
	free(want);
	free_ref(ref);
}

/*
 * Shuffled (days packed), at 2 threads: emit fails on the flush's second
 * day (a.example's day 1), so the flush stops there; the days after it,
 * some built ahead from their packed records and dropped, stay held as
 * they were and agg_finish emits them: every day's tables but that one's.
 */
static void test_failure(void)
{
	struct seen ref[NSITES * NDAYS];
	struct agg a;
	struct seen got = { .fail_at = 1 };
	struct hits *hs = &hits;
	size_t bytes;
	make_random(hs, 7500, 3, true);
	order(hs, 2, 13);
	reference(hs, ref);
	char *want = expected(ref, 1);
	start(&a, 2);
	CHECK_INT(feed(&a, hs, 0, hs->n), 0);
	CHECK(agg_packed(&a, &bytes) > 0);
	int64_t horizon = (int64_t)(DAY0 + NDAYS) * 86400 + GRACE;
	CHECK_INT(agg_flush_closed(&a, horizon, collect, &got), LF_ERR_IO);
	CHECK_INT(got.ndays, 2);
	finish_as(&a, &got, NSITES * NDAYS, want);
	free(want);
	free_ref(ref);
}

TEST_MAIN(test_orders, test_repack, test_failure)
