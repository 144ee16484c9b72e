/*
 * test_load.c - load-time buckets (every boundary), the percentile estimate
 * on hand-worked rows, and load_hourly rows out of the aggregator: per local
 * hour and page, only pageviews with a duration.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../aggregate/agg.h"
#include "../../aggregate/breakdown.h"
#include "../../aggregate/load.h"
#include "../../aggregate/smallcell.h"
#include "harness.h"

static void test_buckets(void)
{
	/* bounds are inclusive: 10 is "<= 10", 11 is "<= 25" */
	CHECK_INT(load_bucket(0), 0);
	CHECK_INT(load_bucket(10), 0);
	CHECK_INT(load_bucket(11), 1);
	CHECK_INT(load_bucket(25), 1);
	CHECK_INT(load_bucket(26), 2);
	CHECK_INT(load_bucket(100), 3);
	CHECK_INT(load_bucket(101), 4);
	CHECK_INT(load_bucket(1000), 6);
	CHECK_INT(load_bucket(1001), 7);
	CHECK_INT(load_bucket(60000), 11);
	CHECK_INT(load_bucket(60001), 12);
	CHECK_INT(load_bucket(UINT32_MAX - 1), 12);
}

/* p50, p75 and p95 of a row, as "a b c". */
static void check_p(const uint64_t b[LOAD_NBUCKETS], uint64_t max, const char *want)
{
	char got[96];
	snprintf(got, sizeof(got), "%llu %llu %llu",
		 (unsigned long long)load_percentile(b, max, 50),
		 (unsigned long long)load_percentile(b, max, 75),
		 (unsigned long long)load_percentile(b, max, 95));
	CHECK_STR(got, want);
}

static void test_percentiles(void)
{
	/* n = 2: one in [0,10], one in (10,25], max 20. p50: r = 1, reached in
	 * the first bucket at its top: 10. p75: r = 1.5, second bucket, hi
	 * capped at max 20: 10 + 10 * 0.5 = 15. p95: r = 1.9: 10 + 10 * 0.9 = 19. */
	check_p((const uint64_t[LOAD_NBUCKETS]){ 1, 1 }, 20, "10 15 19");
	/* n = 4 all in (50,100], max 90: 50 + 40 * (2/4, 3/4, 3.8/4) = 70, 80, 88 */
	check_p((const uint64_t[LOAD_NBUCKETS]){ [3] = 4 }, 90, "70 80 88");
	/* the open last bucket ends at max: one at <= 10, one at 120 s.
	 * p50: r = 1 -> 10. p75: r = 1.5 -> 60000 + 60000 * 0.5 = 90000.
	 * p95: r = 1.9 -> 60000 + 60000 * 0.9 = 114000. */
	check_p((const uint64_t[LOAD_NBUCKETS]){ [0] = 1, [12] = 1 }, 120000, "10 90000 114000");
	/* max caps a middle bucket: two in (500,1000], max 600: hi = 600.
	 * p50: 500 + 100 * 1/2 = 550; p75: r = 1.5 -> 575; p95: r = 1.9 -> 595 */
	check_p((const uint64_t[LOAD_NBUCKETS]){ [6] = 2 }, 600, "550 575 595");
	/* rounding half up: four in [0,10], max 10; p75: r = 3: 7.5 -> 8 */
	CHECK_INT(load_percentile((const uint64_t[LOAD_NBUCKETS]){ 4 }, 10, 75), 8);
	/* a single value is exact: every percentile is that value, max_ms
	 * (the interpolation gave 28 29 30 for one 30 ms; issue 15's one
	 * 102 ms in (100, 250] gave p50 101) */
	check_p((const uint64_t[LOAD_NBUCKETS]){ [2] = 1 }, 30, "30 30 30");
	check_p((const uint64_t[LOAD_NBUCKETS]){ [4] = 1 }, 102, "102 102 102");
	check_p((const uint64_t[LOAD_NBUCKETS]){ [12] = 1 }, 70000, "70000 70000 70000");
}

struct collected {
	char text[1024];
	size_t n;
	bool with_source; /* print each row's source after its max */
};

static enum lf_status collect_load(void *ctx, struct day_result *d)
{
	struct collected *c = ctx;
	for (size_t i = 0; i < d->nload; i++) {
		const struct load_row *r = &d->load[i];
		c->n += (size_t)snprintf(c->text + c->n, sizeof(c->text) - c->n,
					 "%.*s %s %.*s %llu %llu %llu", (int)d->site.n, d->site.p,
					 r->hour, (int)r->page.n, r->page.p,
					 (unsigned long long)r->n, (unsigned long long)r->sum_ms,
					 (unsigned long long)r->max_ms);
		if (c->with_source)
			c->n += (size_t)snprintf(c->text + c->n, sizeof(c->text) - c->n, " %s",
						 r->source);
		for (int b = 0; b < LOAD_NBUCKETS; b++)
			if (r->buckets[b])
				c->n += (size_t)snprintf(c->text + c->n, sizeof(c->text) - c->n,
							 " b%d=%llu", b,
							 (unsigned long long)r->buckets[b]);
		c->n += (size_t)snprintf(c->text + c->n, sizeof(c->text) - c->n, " v%llu\n",
					 (unsigned long long)r->visitors);
	}
	agg_day_free(d);
	return LF_OK;
}

static void test_agg_load(void)
{
	/* day 1 is 1970-01-02; sec_of_day 3599 is hour 00, 3600 hour 01 */
	struct {
		const char *page;
		uint32_t sec, ms;
	} in[] = {
		{ "/b", 3600, 60001 },            /* 01 /b: the open bucket */
		{ "/a", 3599, 10 },               /* 00 /a: <= 10 */
		{ "/a", 3600, 11 },               /* 01 /a: <= 25 */
		{ "/a", 0, 30 },                  /* 00 /a: <= 50 */
		{ "/a", 7200, HIT_NO_LOAD_TIME }, /* no duration: no row */
		{ "/a", 86399, 0 },               /* 23 /a: 0 ms is a time */
	};
	struct agg a;
	struct agg_config cfg = { 1800, 0, 1, 600, false, false, 0 }; /* K = 1: every cell */
	struct collected c = { .n = 0 };
	agg_init(&a, &cfg);
	for (size_t i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		struct hit h = { .site = SLICE_LIT("s"),
				 .page = slice_cstr(in[i].page),
				 .day = 1,
				 .time = 86400 + in[i].sec,
				 .sec_of_day = in[i].sec,
				 .visitor = i,
				 .load_ms = in[i].ms };
		CHECK_INT(agg_add(&a, &h), LF_OK);
	}
	CHECK_INT(agg_finish(&a, collect_load, &c), LF_OK);
	agg_release(&a);
	CHECK_STR(c.text, "s 1970-01-02T00 /a 2 40 30 b0=1 b2=1 v2\n"
			  "s 1970-01-02T01 /a 1 11 11 b1=1 v1\n"
			  "s 1970-01-02T01 /b 1 60001 60001 b12=1 v1\n"
			  "s 1970-01-02T23 /a 1 0 0 b0=1 v1\n");
}

/*
 * Client load times (issue 8): beacon and tracker load events add rows of
 * source "client" beside the server's, in the same buckets. Day 1, hour 10:
 * a pageview of /a answered in 30 ms (server, bucket <= 50); a beacon load
 * of /a with 420 ms (<= 500) and a tracker load with 100 ms (<= 100, bound
 * included): client n 2, sum 520, max 420; a load event with no time and a
 * leave event add nothing. Same hour and page: server first.
 */
static void test_agg_client_load(void)
{
	static const struct {
		enum hit_kind kind;
		uint32_t server, client;
	} in[] = {
		{ HIT_PAGEVIEW, 30, HIT_NO_LOAD_TIME },
		{ HIT_LOAD, HIT_NO_LOAD_TIME, 420 },
		{ HIT_LOAD, HIT_NO_LOAD_TIME, 100 },
		{ HIT_LOAD, HIT_NO_LOAD_TIME, HIT_NO_LOAD_TIME },
		{ HIT_LEAVE, HIT_NO_LOAD_TIME, 5 },
	};
	struct agg a;
	struct agg_config cfg = { 1800, 0, 1, 600, false, false, 0 }; /* K = 1: every cell */
	struct collected c = { .n = 0, .with_source = true };
	agg_init(&a, &cfg);
	for (size_t i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		struct hit h = { .site = SLICE_LIT("s"),
				 .page = SLICE_LIT("/a"),
				 .day = 1,
				 .time = 86400 + 36000 + i,
				 .sec_of_day = 36000 + (uint32_t)i,
				 .visitor = 1,
				 .kind = in[i].kind,
				 .load_ms = in[i].server,
				 .client_load_ms = in[i].client,
				 .scroll = HIT_NO_SCROLL,
				 .label = SLICE_LIT("") };
		CHECK_INT(agg_add(&a, &h), LF_OK);
	}
	CHECK_INT(agg_finish(&a, collect_load, &c), LF_OK);
	agg_release(&a);
	CHECK_STR(c.text, "s 1970-01-02T10 /a 1 30 30 server b2=1 v1\n"
			  "s 1970-01-02T10 /a 2 520 420 client b3=1 b5=1 v1\n");
}

/*
 * The small-cell rule on load_hourly (issue 14), K = 3, day 1, worked out
 * by hand:
 *  /a 10:xx server: visitors 1, 2, 3 with 100, 200, 300 ms: 3 visitors,
 *    kept as it is: n 3, sum 600, max 300, buckets <=100, <=250, <=500.
 *  /a 11:xx: visitor 1 twice (40, 60 ms); /a 12:xx: visitor 4 (5000 ms);
 *    /a 13:xx: visitor 5 (20 ms): one visitor each, folded into /a's
 *    (other) hour: visitors {1, 4, 5} = 3, kept: n 4, sum 5120, max 5000,
 *    buckets <=25 (20), <=50 (40), <=100 (60), <=5000 (5000).
 *  /b 10:xx: visitors 1 and 2 (70, 80 ms): 2 < 3, folded; /b's (other)
 *    hour then has 2 visitors: not written (secondary suppression).
 *  /a 10:xx client (a beacon load of visitor 6, 900 ms): folded, and its
 *    (other) hour of 1 visitor is not written.
 * The (other) hour sorts first ("T(other)" < "T10"). In reverse order of
 * arrival, the same rows.
 */
static void test_load_k(void)
{
	static const struct {
		const char *page;
		uint32_t hour, ms;
		uint64_t visitor;
		bool client;
	} in[] = {
		{ "/a", 10, 100, 1, false }, { "/a", 10, 200, 2, false },
		{ "/a", 10, 300, 3, false }, { "/a", 11, 40, 1, false },
		{ "/a", 11, 60, 1, false },  { "/a", 12, 5000, 4, false },
		{ "/a", 13, 20, 5, false },  { "/b", 10, 70, 1, false },
		{ "/b", 10, 80, 2, false },  { "/a", 10, 900, 6, true },
	};
	const size_t nin = sizeof(in) / sizeof(in[0]);
	for (int reverse = 0; reverse < 2; reverse++) {
		struct agg a;
		struct agg_config cfg = { 1800, 0, 3, 600, false, false, 0 };
		struct collected c = { .n = 0, .with_source = true };
		agg_init(&a, &cfg);
		for (size_t k = 0; k < nin; k++) {
			size_t i = reverse ? nin - 1 - k : k;
			uint32_t sec = in[i].hour * 3600 + (uint32_t)k;
			struct hit h = { .site = SLICE_LIT("s"),
					 .page = slice_cstr(in[i].page),
					 .day = 1,
					 .time = 86400 + sec,
					 .sec_of_day = sec,
					 .visitor = in[i].visitor,
					 .kind = in[i].client ? HIT_LOAD : HIT_PAGEVIEW,
					 .load_ms = in[i].client ? HIT_NO_LOAD_TIME : in[i].ms,
					 .client_load_ms =
						 in[i].client ? in[i].ms : HIT_NO_LOAD_TIME,
					 .scroll = HIT_NO_SCROLL,
					 .label = SLICE_LIT("") };
			CHECK_INT(agg_add(&a, &h), LF_OK);
		}
		CHECK_INT(agg_finish(&a, collect_load, &c), LF_OK);
		agg_release(&a);
		CHECK_STR(c.text,
			  "s 1970-01-02T(other) /a 4 5120 5000 server b1=1 b2=1 b3=1 b8=1 v3\n"
			  "s 1970-01-02T10 /a 3 600 300 server b3=1 b4=1 b5=1 v3\n");
	}
}

/* One row of load_rows as text: "hour page n sum max bX=n... vN". */
static void row_text(const struct load_row *r, char *buf, size_t cap)
{
	int len = snprintf(buf, cap, "%s %.*s %llu %llu %llu", r->hour, (int)r->page.n, r->page.p,
			   (unsigned long long)r->n, (unsigned long long)r->sum_ms,
			   (unsigned long long)r->max_ms);
	for (int b = 0; b < LOAD_NBUCKETS; b++)
		if (r->buckets[b])
			len += snprintf(buf + len, cap - (size_t)len, " b%d=%llu", b,
					(unsigned long long)r->buckets[b]);
	snprintf(buf + len, cap - (size_t)len, " v%llu", (unsigned long long)r->visitors);
}

/*
 * load_add_words and load_rows as a day's computation calls them: the
 * load words of records (value slot 1 here, after one breakdown slot),
 * page ids the day's ranks, named by rows[rank]. Worked by hand, with
 * K = 1: 10h /a: 20, 30, 40, 5 ms by visitors 1, 2, 1, 3: n 4, sum 95,
 * max 40, <= 10: 1, <= 25: 1, <= 50: 2, 3 visitors; 11h /b: 700, 800 by 1
 * and 3: <= 1000: 2, 2 visitors; 12h /b: 100 by 2 (bound included:
 * <= 100); a record of no load time (word 0) counts nowhere. 23h /c: the
 * largest time a word holds, 0 ms, and one past it (held as the largest):
 * b0=1 b12=2.
 */
#define NO_TIME 99 /* an hour that marks a record of no load time */

static void test_load_words(void)
{
	struct {
		uint32_t page, hour, ms;
		uint64_t visitor;
	} in[] = { { 0, 10, 20, 1 },
		   { 0, 10, 30, 2 },
		   { 1, 11, 700, 1 },
		   { 0, 10, 40, 1 },
		   { 1, NO_TIME, 0, 4 },
		   { 0, 10, 5, 3 },
		   { 1, 12, 100, 2 },
		   { 1, 11, 800, 3 },
		   { 2, 23, LOAD_WORD_MS_MAX, 5 },
		   { 2, 23, 0, 5 },
		   { 2, 23, LOAD_WORD_MS_MAX + 1, 6 } };
	size_t nin = sizeof(in) / sizeof(in[0]);
	size_t stride = records_stride(2);
	uint64_t base[16 * RECORDS_MAX_STRIDE / 8] = { 0 }; /* nin <= 16 */
	for (size_t i = 0; i < nin; i++) {
		struct agg_pv *r = (struct agg_pv *)(void *)((unsigned char *)base + i * stride);
		*r = (struct agg_pv){ in[i].visitor, (uint32_t)i, in[i].page };
		records_values(r)[0] = 7; /* a breakdown value, not a time */
		records_values(r)[1] = in[i].hour == NO_TIME ? 0 : load_word(in[i].hour, in[i].ms);
	}
	struct records rs = { (const unsigned char *)base, nin, stride, 1, NULL };
	struct page_daily_row rows[3] = { { .page = SLICE_LIT("/a") },
					  { .page = SLICE_LIT("/b") },
					  { .page = SLICE_LIT("/c") } };
	struct breakdown_names names = { rows, NULL };
	struct load_table t[LOAD_NSOURCES] = { 0 };
	CHECK_INT(load_add_words(&t[LOAD_SERVER], &rs, 1), LF_OK);
	CHECK_INT(t[LOAD_SERVER].nsamples, nin - 1);
	struct load_row *out = NULL;
	size_t n = 0;
	CHECK_INT(load_rows(t, &names, "1970-01-02", 1, NULL, &out, &n), LF_OK);
	char max[64];
	snprintf(max, sizeof(max), "1970-01-02T23 /c 3 %llu %llu b0=1 b12=2 v2",
		 2ULL * LOAD_WORD_MS_MAX, (unsigned long long)LOAD_WORD_MS_MAX);
	const char *want[] = { "1970-01-02T10 /a 4 95 40 b0=1 b1=1 b2=2 v3",
			       "1970-01-02T11 /b 2 1500 800 b6=2 v2",
			       "1970-01-02T12 /b 1 100 100 b3=1 v1", max };
	CHECK_INT(n, 4);
	for (size_t i = 0; i < n && i < 4; i++) {
		char got[256];
		row_text(&out[i], got, sizeof(got));
		CHECK_STR(got, want[i]);
		CHECK_STR(out[i].source, LOAD_SOURCE_SERVER);
	}
	free(out);
	for (int s = 0; s < LOAD_NSOURCES; s++)
		load_release(&t[s]);
}

/* A (cell or group, visitor) pair, for the brute-force count below. */
struct pair {
	uint32_t key;
	uint64_t visitor;
};

static int cmp_pair(const void *x, const void *y)
{
	const struct pair *a = x, *b = y;
	if (a->key != b->key)
		return a->key < b->key ? -1 : 1;
	return (a->visitor > b->visitor) - (a->visitor < b->visitor);
}

/* Distinct visitors per key of the n pairs into out[nkeys]. */
static void distinct(struct pair *p, size_t n, uint32_t *out, uint32_t nkeys)
{
	memset(out, 0, nkeys * sizeof(*out));
	qsort(p, n, sizeof(*p), cmp_pair);
	for (size_t i = 0; i < n; i++)
		if (i == 0 || cmp_pair(&p[i - 1], &p[i]) != 0)
			out[p[i].key]++;
}

/*
 * smallcell_apply against a brute-force count (the distinct (cell,
 * visitor) pairs, sorted by cell), with K = 3, 40 cells in 7 groups: few
 * items (sorted by qsort alone), many of uniform visitors (bucketed), a
 * few visitors with thousands of items each, visitors whose top 16 bits
 * are all one (one large bucket, sorted by qsort), and 20 000 visitors of
 * three items each (small buckets that two visitors share), and the same
 * at 3 000 items (fewer buckets).
 */
static void test_smallcell(void)
{
	enum {
		NCELLS = 40,
		NGROUPS = 7,
		K = 3,
		MAXN = 60000
	};
	static struct smallcell_item items[MAXN];
	static struct pair pairs[MAXN];
	uint32_t group[NCELLS], want[NCELLS], want_other[NGROUPS];
	bool want_folded[NCELLS];
	for (uint32_t c = 0; c < NCELLS; c++)
		group[c] = c % NGROUPS;
	uint64_t s = 0x9e3779b97f4a7c15ULL;
	for (int shape = 0; shape < 6; shape++) {
		size_t n = shape == 0 ? 500 : shape == 5 ? 3000 : MAXN;
		for (size_t i = 0; i < n; i++) {
			s = s * 6364136223846793005ULL + 1442695040888963407ULL;
			uint64_t v = s ^ (s >> 29);
			if (shape == 0)
				v %= 200; /* few visitors, top bits zero */
			else if (shape == 2)
				v = (v % 5) * 0x0123456789abcdefULL; /* 5 visitors */
			else if (shape == 3)
				v = 0xffff000000000000ULL | (v % 4000);
			else if (shape == 4) /* 20 000 visitors of 3 items, mixed
					      * so that two may share a bucket (a
					      * multiple of one constant would
					      * space them evenly: none would) */
				v = ((v % 20000 + 1) * 0xff51afd7ed558ccdULL ^ v % 20000) *
				    0xc4ceb9fe1a85ec53ULL;
			else if (shape == 5) /* the same at 3 000 items: 2^12 buckets */
				v = ((v % 1000 + 1) * 0xff51afd7ed558ccdULL ^ v % 1000) *
				    0xc4ceb9fe1a85ec53ULL;
			/* cells: a few popular, most seldom (so that some fold) */
			uint32_t c = (uint32_t)(s >> 40) % (shape ? 512 : 8) == 0
					     ? 4 + (uint32_t)(s >> 20) % (NCELLS - 4)
					     : (uint32_t)(s >> 20) % 4;
			if (shape != 2 && i % 97 == 0)
				v = 7; /* one visitor in many cells */
			items[i] = (struct smallcell_item){ v, c };
			pairs[i] = (struct pair){ c, v };
		}
		distinct(pairs, n, want, NCELLS);
		size_t m = 0;
		for (size_t i = 0; i < n; i++) {
			uint32_t c = items[i].cell;
			want_folded[c] = want[c] < K;
			if (want[c] < K)
				pairs[m++] = (struct pair){ group[c], items[i].visitor };
		}
		distinct(pairs, m, want_other, NGROUPS);
		struct smallcell sc;
		CHECK_INT(smallcell_init(&sc, NCELLS, NGROUPS), LF_OK);
		smallcell_apply(&sc, items, n, group, K);
		int folded = 0, bad = 0;
		for (uint32_t c = 0; c < NCELLS; c++) {
			bad += sc.visitors[c] != want[c];
			bad += want[c] && sc.folded[c] != want_folded[c];
			folded += want[c] && sc.folded[c];
		}
		for (uint32_t g = 0; g < NGROUPS; g++)
			bad += sc.other_visitors[g] != want_other[g];
		CHECK_INT(bad, 0);
		CHECK(shape == 2 || folded > 0); /* the fold is tried */
		for (size_t i = 1; i < n; i++)   /* grouped: a visitor's items together */
			for (size_t j = i; j < n && j < i + 3; j++)
				bad += items[j].visitor == items[i - 1].visitor &&
				       items[i].visitor != items[i - 1].visitor;
		CHECK_INT(bad, 0);
		smallcell_release(&sc);
	}
}

TEST_MAIN(test_buckets, test_percentiles, test_agg_load, test_agg_client_load, test_load_k,
	  test_load_words, test_smallcell)
