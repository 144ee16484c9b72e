/*
 * recsort.c - the day's sort of pageview records (recsort.h): one pass of
 * buckets by the visitor's high bits, then a merge sort per bucket.
 *
 *  1. one pass finds the smallest and the largest visitor; a record's
 *     bucket is (visitor - smallest) >> shift, about RECSORT_PER_BUCKET
 *     records a bucket and at most 2^RECSORT_MAX_BITS buckets (visitors are
 *     keyed hashes, so uniform; small or clustered values only make fewer,
 *     larger buckets, never a wrong order);
 *  2. a counting pass and a scatter pass move the records into a scratch
 *     array by bucket, in arrival order within a bucket (stable);
 *  3. each bucket is sorted back into its place in the array by the whole
 *     key: insertion sort of runs of RECSORT_RUN records, then merges of
 *     runs that take the left record on equal keys (stable), so that one
 *     visitor's 100 000 pageviews cost n log n, not n^2. Records mostly
 *     arrive in time order: a visitor's records are then a sorted run, and
 *     two runs already in order are copied, not merged.
 *
 * No compare through a function pointer, and records move by copies of a
 * size the compiler knows (rec_copy): qsort's two costs.
 */
#include "recsort.h"

#include <assert.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "records.h"

/* Runs sorted by insertion: below about this length insertion beats
 * merging, and a run is most often one visitor's few records. */
#define RECSORT_RUN 32
/* Records a bucket holds on average: a handful of visitors, whose records
 * interleave; fewer records a bucket would make the scatter's table of
 * buckets larger than what it saves. */
#define RECSORT_PER_BUCKET 4
/* At most 2^16 buckets: their table (512 KiB) and the scatter's write
 * positions stay in the caches of this machine; a day of more than
 * 4 * 2^16 records has larger buckets, sorted the same way. */
#define RECSORT_MAX_BITS 16

/* Whether x sorts strictly before y, in records.h's one order (inline:
 * no call through a pointer). */
static inline bool rec_less(const unsigned char *x, const unsigned char *y)
{
	return records_cmp(x, y) < 0;
}

/* One record from s to d (no overlap): a switch on the run's one stride,
 * well predicted, so that each copy is a few moves and not a call. */
static inline void rec_copy(unsigned char *restrict d, const unsigned char *restrict s,
			    size_t stride)
{
	/* clang-format off */
	switch (stride) {
	case 16: memcpy(d, s, 16); return;
	case 24: memcpy(d, s, 24); return;
	case 32: memcpy(d, s, 32); return;
	case 40: memcpy(d, s, 40); return;
	case 48: memcpy(d, s, 48); return;
	case 56: memcpy(d, s, 56); return;
	case 64: memcpy(d, s, 64); return;
	case 72: memcpy(d, s, 72); return;
	case 80: memcpy(d, s, 80); return;
	default: memcpy(d, s, stride); return;
	}
	/* clang-format on */
}

/* The n records at src sorted into dst by insertion: each after every
 * record not greater than it, so equal keys keep their order. dst is src
 * (in place) or does not overlap it. */
static void insertion_sort(unsigned char *dst, const unsigned char *src, size_t n, size_t stride)
{
	uint64_t tmp[RECORDS_MAX_STRIDE / sizeof(uint64_t)];
	for (size_t i = 0; i < n; i++) {
		const unsigned char *r = src + i * stride;
		unsigned char *p = dst + i * stride;
		if (p == dst || !rec_less(r, p - stride)) {
			if (p != r)
				rec_copy(p, r, stride);
			continue;
		}
		rec_copy((unsigned char *)tmp, r, stride);
		do {
			rec_copy(p, p - stride, stride);
			p -= stride;
		} while (p > dst && rec_less((unsigned char *)tmp, p - stride));
		rec_copy(p, (unsigned char *)tmp, stride);
	}
}

/* The sorted runs [lo, mid) and [mid, hi) of src merged into the same
 * place of dst; on equal keys the left run's record first (stable). */
static void merge_runs(unsigned char *restrict dst, const unsigned char *restrict src, size_t lo,
		       size_t mid, size_t hi, size_t stride)
{
	const unsigned char *a = src + lo * stride, *a_end = src + mid * stride;
	const unsigned char *b = a_end, *b_end = src + hi * stride;
	unsigned char *o = dst + lo * stride;
	if (b == b_end || !rec_less(b, a_end - stride)) { /* already in order */
		memcpy(o, a, (size_t)(b_end - a));
		return;
	}
	while (a < a_end && b < b_end) {
		if (rec_less(b, a)) {
			rec_copy(o, b, stride);
			b += stride;
		} else {
			rec_copy(o, a, stride);
			a += stride;
		}
		o += stride;
	}
	memcpy(o, a, (size_t)(a_end - a));
	o += a_end - a;
	memcpy(o, b, (size_t)(b_end - b));
}

/* The n records of a bucket at tmp sorted into dst (no overlap); tmp is
 * the merges' other buffer, clobbered. */
static void sort_bucket(unsigned char *dst, unsigned char *tmp, size_t n, size_t stride)
{
	for (size_t i = 0; i < n; i += RECSORT_RUN)
		insertion_sort(dst + i * stride, tmp + i * stride,
			       n - i < RECSORT_RUN ? n - i : RECSORT_RUN, stride);
	unsigned char *from = dst, *to = tmp;
	for (size_t w = RECSORT_RUN; w < n; w *= 2) {
		for (size_t lo = 0; lo < n; lo += 2 * w) {
			size_t mid = n - lo < w ? n : lo + w;
			size_t hi = n - lo < 2 * w ? n : lo + 2 * w;
			merge_runs(to, from, lo, mid, hi, stride);
		}
		unsigned char *t = from;
		from = to;
		to = t;
	}
	if (from != dst)
		memcpy(dst, from, n * stride);
}

/* How records map to buckets: (visitor - min) >> shift, below count. */
struct buckets {
	uint64_t min;
	int shift;
	size_t count;
};

static struct buckets buckets_plan(const unsigned char *base, size_t n, size_t stride)
{
	uint64_t lo = UINT64_MAX, hi = 0;
	for (size_t i = 0; i < n; i++) {
		uint64_t v = ((const struct agg_pv *)(const void *)(base + i * stride))->visitor;
		lo = v < lo ? v : lo;
		hi = v > hi ? v : hi;
	}
	int bits = 0;
	while (bits < RECSORT_MAX_BITS && (n / RECSORT_PER_BUCKET) >> (bits + 1))
		bits++;
	struct buckets b = { lo, 0, 0 };
	uint64_t span = hi - lo;
	while (b.shift < 63 && (span >> b.shift) >> bits)
		b.shift++;
	b.count = (size_t)(span >> b.shift) + 1;
	return b;
}

/* Whether the n records at base are in order already: one comparison a
 * record, and the first out of order ends it (unsorted arrivals end it
 * at once). */
static bool in_order(const unsigned char *base, size_t n, size_t stride)
{
	for (size_t i = 1; i < n; i++)
		if (rec_less(base + i * stride, base + (i - 1) * stride))
			return false;
	return true;
}

static inline size_t bucket_of(const struct buckets *b, const unsigned char *r)
{
	return (size_t)((((const struct agg_pv *)(const void *)r)->visitor - b->min) >> b->shift);
}

enum lf_status records_sort(unsigned char *base, size_t n, size_t stride)
{
	assert(stride >= sizeof(struct agg_pv) && stride <= RECORDS_MAX_STRIDE &&
	       stride % sizeof(uint64_t) == 0);
	if (n <= RECSORT_RUN) {
		insertion_sort(base, base, n, stride);
		return LF_OK;
	}
	if (in_order(base, n, stride))
		return LF_OK; /* a packed day, decoded (recpack.h): a stable sort leaves it */
	struct buckets b = buckets_plan(base, n, stride);
	size_t *end = calloc(b.count, sizeof(*end));
	unsigned char *tmp = malloc(n * stride);
	if (!end || !tmp) {
		free(end);
		free(tmp);
		return LF_ERR_NOMEM;
	}
	for (size_t i = 0; i < n; i++)
		end[bucket_of(&b, base + i * stride)]++;
	for (size_t k = 0, at = 0; k < b.count; k++) { /* each bucket's start */
		size_t c = end[k];
		end[k] = at;
		at += c;
	}
	for (size_t i = 0; i < n; i++) { /* after it, each bucket's end */
		const unsigned char *r = base + i * stride;
		rec_copy(tmp + end[bucket_of(&b, r)]++ * stride, r, stride);
	}
	for (size_t k = 0, lo = 0; k < b.count; lo = end[k++])
		sort_bucket(base + lo * stride, tmp + lo * stride, end[k] - lo, stride);
	free(end);
	free(tmp);
	return LF_OK;
}
