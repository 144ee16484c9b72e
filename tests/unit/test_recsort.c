/*
 * test_recsort.c - the records' sort (aggregate/recsort.h) against an
 * independent reference: qsort of the records' keys extended by their
 * arrival index as the last key (which makes any sort stable), the
 * records then copied in that order. The result must equal it byte for
 * byte, value slots included: each record's slots hold its arrival index
 * and a pattern, so a slot left behind or a stable order lost shows. Run
 * on every stride from 0 to RECORDS_MAX_SLOTS slots, on shapes of days:
 * empty, tiny, all keys equal, random, few visitors with many pageviews,
 * one visitor's 100 000 pageviews in random time order, sorted and
 * reversed input, visitors sharing their high bits.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../aggregate/records.h"
#include "../../aggregate/recsort.h"
#include "harness.h"

/* splitmix64: a fixed sequence, so a failure repeats */
static uint64_t rnd(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* A day's shape: the key of the i-th of n records. */
typedef void shape_fn(size_t i, size_t n, uint64_t *s, struct agg_pv *key);

/* A record's key as three words compared in turn: the visitor, the
 * second and page as one number (second high), the arrival index. */
struct ref_key {
	uint64_t w[3];
};

static int ref_cmp(const void *x, const void *y)
{
	const struct ref_key *a = x, *b = y;
	for (int k = 0; k < 3; k++)
		if (a->w[k] != b->w[k])
			return a->w[k] < b->w[k] ? -1 : 1;
	return 0;
}

static struct agg_pv *rec(unsigned char *base, size_t stride, size_t i)
{
	return (struct agg_pv *)(void *)(base + i * stride);
}

/* Sort n records of the shape with nslots slots both ways; 1 when equal. */
static int sorts_alike(shape_fn *shape, size_t n, int nslots, uint64_t seed)
{
	size_t stride = records_stride(nslots);
	unsigned char *got = malloc(n * stride + 1), *want = malloc(n * stride + 1);
	struct ref_key *keys = malloc((n + 1) * sizeof(*keys));
	int ok = 0;
	if (!got || !want || !keys)
		goto out;
	memset(got, 0, n * stride);
	for (size_t i = 0; i < n; i++) {
		struct agg_pv *r = rec(got, stride, i);
		shape(i, n, &seed, r);
		for (int k = 0; k < nslots; k++) /* the arrival index, and a pattern */
			records_values(r)[k] = k ? (uint32_t)(i * 31 + (size_t)k) : (uint32_t)i;
		keys[i] = (struct ref_key){ { r->visitor, (uint64_t)r->sec << 32 | r->page, i } };
	}
	qsort(keys, n, sizeof(*keys), ref_cmp);
	for (size_t i = 0; i < n; i++)
		memcpy(want + i * stride, got + keys[i].w[2] * stride, stride);
	ok = records_sort(got, n, stride) == LF_OK && (n == 0 || !memcmp(got, want, n * stride));
out:
	free(got);
	free(want);
	free(keys);
	return ok;
}

/* Every stride, at sizes around the module's thresholds (32 records by
 * insertion, 4 a bucket) and beyond. */
static void check_shape(shape_fn *shape, const char *name)
{
	static const size_t sizes[] = { 0, 1, 2, 3, 31, 32, 33, 64, 65, 100, 1000, 4097, 30000 };
	for (int nslots = 0; nslots <= RECORDS_MAX_SLOTS; nslots++)
		for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
			int ok = sorts_alike(shape, sizes[k], nslots, 1000 + k);
			if (!ok)
				fprintf(stderr, "%s: %zu records, %d slots\n", name, sizes[k],
					nslots);
			CHECK(ok);
		}
}

static void all_equal(size_t i, size_t n, uint64_t *s, struct agg_pv *key)
{
	(void)i, (void)n, (void)s;
	*key = (struct agg_pv){ 0x1234567890abcdefULL, 500, 7 };
}

static void random_keys(size_t i, size_t n, uint64_t *s, struct agg_pv *key)
{
	(void)i, (void)n;
	*key = (struct agg_pv){ rnd(s), (uint32_t)rnd(s), (uint32_t)rnd(s) };
}

/* Visitors from a small set (16 of them, hashes spread), arriving in time
 * order with one in 8 a little late, pages from few: many equal keys. */
static void few_visitors(size_t i, size_t n, uint64_t *s, struct agg_pv *key)
{
	(void)n;
	uint64_t v = rnd(s) % 16;
	uint32_t late = rnd(s) % 8 ? 0 : (uint32_t)(rnd(s) % 120);
	*key = (struct agg_pv){ v * 0x9e3779b97f4a7c15ULL, (uint32_t)(i / 3) + 1000 - late,
				(uint32_t)(rnd(s) % 4) };
}

/* One visitor, random seconds of a day and few pages. */
static void one_visitor(size_t i, size_t n, uint64_t *s, struct agg_pv *key)
{
	(void)i, (void)n;
	*key = (struct agg_pv){ 42, (uint32_t)(rnd(s) % 86400), (uint32_t)(rnd(s) % 8) };
}

static void sorted_keys(size_t i, size_t n, uint64_t *s, struct agg_pv *key)
{
	(void)n, (void)s;
	*key = (struct agg_pv){ (uint64_t)(i / 5) * 0x0123456789abULL, (uint32_t)(i % 5 / 2),
				(uint32_t)(i % 2) };
}

/* In order but for the last record, the smallest of all: the check for
 * an array in order (a decoded packed day) must look to the end. */
static void sorted_but_last(size_t i, size_t n, uint64_t *s, struct agg_pv *key)
{
	sorted_keys(i + 1 < n ? i + 1 : 0, n, s, key);
}

static void reversed_keys(size_t i, size_t n, uint64_t *s, struct agg_pv *key)
{
	sorted_keys(n - 1 - i, n, s, key);
}

/* Visitors whose hashes share their top 40 bits, and visitors that are
 * small numbers: few buckets, or one. */
static void shared_top(size_t i, size_t n, uint64_t *s, struct agg_pv *key)
{
	(void)i, (void)n;
	*key = (struct agg_pv){ 0xabcdef1234000000ULL | (rnd(s) & 0xffffff),
				(uint32_t)(rnd(s) % 50), (uint32_t)(rnd(s) % 3) };
}

static void small_visitors(size_t i, size_t n, uint64_t *s, struct agg_pv *key)
{
	(void)i, (void)n;
	*key = (struct agg_pv){ rnd(s) % 50, (uint32_t)(rnd(s) % 20), (uint32_t)(rnd(s) % 3) };
}

/* The extremes of each key: 0 and the largest value, which a bucket
 * computed by (visitor - min) >> shift must still place in range. */
static void extremes(size_t i, size_t n, uint64_t *s, struct agg_pv *key)
{
	(void)i, (void)n;
	uint64_t r = rnd(s);
	*key = (struct agg_pv){ r & 1 ? UINT64_MAX - (r >> 60) : r >> 60, r & 2 ? UINT32_MAX : 0,
				r & 4 ? UINT32_MAX : 0 };
}

static void test_shapes(void)
{
	check_shape(all_equal, "all equal");
	check_shape(random_keys, "random");
	check_shape(few_visitors, "few visitors");
	check_shape(one_visitor, "one visitor");
	check_shape(sorted_keys, "sorted");
	check_shape(sorted_but_last, "sorted but the last");
	check_shape(reversed_keys, "reversed");
	check_shape(shared_top, "shared top bits");
	check_shape(small_visitors, "small visitors");
	check_shape(extremes, "extremes");
}

/* Equal keys keep their arrival order, seen directly: the slot holding
 * the arrival index counts up within each key. */
static void test_stable(void)
{
	size_t n = 5000, stride = records_stride(2);
	unsigned char *b = malloc(n * stride);
	uint64_t s = 7;
	CHECK(b != NULL);
	if (!b)
		return;
	for (size_t i = 0; i < n; i++) {
		struct agg_pv *r = rec(b, stride, i);
		*r = (struct agg_pv){ rnd(&s) % 3, (uint32_t)(rnd(&s) % 2), 0 };
		records_values(r)[0] = (uint32_t)i;
		records_values(r)[1] = (uint32_t)~i;
	}
	CHECK_INT(records_sort(b, n, stride), LF_OK);
	size_t bad = 0;
	for (size_t i = 1; i < n; i++) {
		struct agg_pv *p = rec(b, stride, i - 1), *q = rec(b, stride, i);
		if (p->visitor > q->visitor || (p->visitor == q->visitor && p->sec > q->sec) ||
		    (p->visitor == q->visitor && p->sec == q->sec &&
		     records_values(p)[0] >= records_values(q)[0]) ||
		    records_values(q)[1] != ~records_values(q)[0])
			bad++;
	}
	CHECK_INT(bad, 0);
	free(b);
}

/* One visitor's 100 000 pageviews in random time order, at the stride of
 * two slots: the adversarial day (sorted in n log n, so this is quick). */
static void test_one_visitor_large(void)
{
	CHECK(sorts_alike(one_visitor, 100000, 2, 99));
	CHECK(sorts_alike(random_keys, 100000, 4, 98));
	CHECK(sorts_alike(few_visitors, 100000, 8, 97));
}

TEST_MAIN(test_shapes, test_stable, test_one_visitor_large)
