/*
 * records.h - the aggregator's per-pageview record: a fixed header and,
 * after it, one value id per recorded breakdown dimension (id + 1; 0 when
 * the pageview had no value). Records of a day sit in one array with a
 * stride, so recsort.h sorts them in place whatever the number of
 * dimensions.
 */
#ifndef LF_RECORDS_H
#define LF_RECORDS_H

#include <stddef.h>
#include <stdint.h>

struct agg_pv {
	uint64_t visitor; /* keyed hash, meaningful only within the run */
	uint32_t sec;     /* UTC seconds since the local day's start, biased (agg.c) */
	uint32_t page;    /* page id; the day's page rank while computing */
};

/* Value slots a record may carry at most (dimensions, or actions). */
#define RECORDS_MAX_SLOTS 16
/* The largest stride: records_stride(RECORDS_MAX_SLOTS), already a
 * multiple of 8 (a record of it fits a uint64_t array of a stride / 8). */
#define RECORDS_MAX_STRIDE (sizeof(struct agg_pv) + RECORDS_MAX_SLOTS * sizeof(uint32_t))

/* A day's records as the breakdown sees them: sorted by visitor, page ids
 * already replaced by ranks. */
struct records {
	const unsigned char *base;
	size_t n;
	size_t stride;
	int nslots;
	const uint8_t *slot_dim; /* dimension of each value slot */
};

static inline size_t records_stride(int nslots)
{
	size_t n = sizeof(struct agg_pv) + (size_t)nslots * sizeof(uint32_t);
	return (n + 7) & ~(size_t)7; /* keep the 64-bit visitor aligned */
}

static inline uint32_t *records_values(struct agg_pv *r)
{
	return (uint32_t *)(void *)(r + 1);
}

static inline const struct agg_pv *records_at(const struct records *rs, size_t i)
{
	return (const struct agg_pv *)(const void *)(rs->base + i * rs->stride);
}

static inline const uint32_t *records_values_at(const struct records *rs, size_t i)
{
	return (const uint32_t *)(const void *)(records_at(rs, i) + 1);
}

/* The day's order (recsort.h; qsort's before it): visitor, then second,
 * then page rank (ties broken by page name); records with equal keys keep
 * their arrival order. */
static inline int records_cmp(const void *x, const void *y)
{
	const struct agg_pv *a = x, *b = y;
	if (a->visitor != b->visitor)
		return a->visitor < b->visitor ? -1 : 1;
	if (a->sec != b->sec)
		return a->sec < b->sec ? -1 : 1;
	return (a->page > b->page) - (a->page < b->page);
}

#endif
