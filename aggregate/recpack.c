/*
 * recpack.c - pageview records packed as differences (recpack.h): a
 * writer that appends one record after another to a growing byte buffer,
 * a reader that takes them back one by one, and the merge of packed
 * records with a sorted array that recpack_add makes of them.
 *
 * The packed bytes are our own, made in this run and never read from
 * outside, so the reader trusts them (asserts only); it does not check
 * them as input.
 */
#include "recpack.h"

#include <assert.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../common/grow.h"
#include "records.h"
#include "recsort.h"

/* The record before, which the next one is encoded against. */
struct prev {
	uint64_t visitor;
	uint32_t sec;
	uint32_t vals[RECORDS_MAX_SLOTS];
};

/* The encoding being made: len bytes used of cap. */
struct writer {
	unsigned char *p;
	size_t len, cap;
	struct prev prev;
	int nslots;
};

struct reader {
	const unsigned char *p, *end;
	struct prev prev;
	int nslots;
};

static inline unsigned char *put_varint(unsigned char *o, uint64_t v)
{
	while (v >= 0x80) {
		*o++ = (unsigned char)(v | 0x80);
		v >>= 7;
	}
	*o++ = (unsigned char)v;
	return o;
}

static inline uint64_t get_varint(const unsigned char **in)
{
	const unsigned char *p = *in;
	uint64_t v = *p++;
	if (v >= 0x80) { /* most numbers but visitors take 1 byte */
		v &= 0x7f;
		for (int shift = 7;; shift += 7) {
			unsigned char b = *p++;
			v |= (uint64_t)(b & 0x7f) << shift;
			if (!(b & 0x80))
				break;
		}
	}
	*in = p;
	return v;
}

/* Append record rec to w; false when memory ran out (w as it was). The
 * buffer grows by doubling from 4 KiB, so a day's encoding is copied a
 * logarithmic number of times; recpack_add trims it after. */
static bool put_record(struct writer *w, const unsigned char *rec)
{
	const struct agg_pv *r = (const struct agg_pv *)(const void *)rec;
	const uint32_t *vals = (const uint32_t *)(const void *)(r + 1);
	if (!GROW(w->p, w->cap, w->len + RECPACK_MAX_RECORD, 4096))
		return false;
	unsigned char *o = w->p + w->len;
	bool same = r->visitor == w->prev.visitor;
	o = put_varint(o, r->visitor - w->prev.visitor);
	o = put_varint(o, same ? (uint32_t)(r->sec - w->prev.sec) : r->sec);
	o = put_varint(o, r->page);
	unsigned char *mask = o, *mask_end = o + (w->nslots + 7) / 8;
	uint32_t equal = 0; /* bit k: slot k as before */
	o = mask_end;
	for (int k = 0; k < w->nslots; k++) {
		if (vals[k] == w->prev.vals[k]) {
			equal |= 1u << k;
		} else {
			o = put_varint(o, vals[k]);
			w->prev.vals[k] = vals[k];
		}
	}
	for (unsigned char *m = mask; m < mask_end; m++, equal >>= 8)
		*m = (unsigned char)equal;
	w->prev.visitor = r->visitor;
	w->prev.sec = r->sec;
	w->len = (size_t)(o - w->p);
	return true;
}

/* The next record of rd into out (stride bytes, padding zeroed); false
 * when there is none. */
static bool get_record(struct reader *rd, unsigned char *out)
{
	if (rd->p == rd->end)
		return false;
	struct agg_pv *r = (struct agg_pv *)(void *)out;
	uint32_t *vals = (uint32_t *)(void *)(r + 1);
	const unsigned char *p = rd->p;
	uint64_t dv = get_varint(&p);
	uint32_t sec = (uint32_t)get_varint(&p);
	r->visitor = rd->prev.visitor + dv;
	r->sec = dv ? sec : rd->prev.sec + sec;
	r->page = (uint32_t)get_varint(&p);
	uint32_t equal = 0; /* bit k: slot k as before */
	for (int b = 0; b < (rd->nslots + 7) / 8; b++)
		equal |= (uint32_t)*p++ << (8 * b);
	for (int k = 0; k < rd->nslots; k++) {
		if (!(equal >> k & 1))
			rd->prev.vals[k] = (uint32_t)get_varint(&p);
		vals[k] = rd->prev.vals[k];
	}
	/* the stride rounds the slots up to 8 bytes: 4 of padding, or none */
	if (rd->nslots % 2)
		memset(vals + rd->nslots, 0, sizeof(*vals));
	rd->prev.visitor = r->visitor;
	rd->prev.sec = r->sec;
	assert(p <= rd->end);
	rd->p = p;
	return true;
}

static struct reader reader_of(const struct recpack *pk, size_t stride, int nslots)
{
	struct reader rd = { pk->p, pk->p + pk->bytes, { 0 }, nslots };
	assert(stride == records_stride(nslots));
	return rd;
}

void recpack_decode(const struct recpack *pk, unsigned char *dst, size_t stride, int nslots)
{
	struct reader rd = reader_of(pk, stride, nslots);
	size_t i = 0;
	while (get_record(&rd, dst + i * stride))
		i++;
	assert(i == pk->n);
}

/* pk's records and the n sorted ones at base merged into w, pk's first on
 * equal keys; false when memory ran out. */
static bool merge(struct writer *w, const struct recpack *pk, const unsigned char *base, size_t n,
		  size_t stride)
{
	uint64_t cur[RECORDS_MAX_STRIDE / sizeof(uint64_t)];
	struct reader rd = reader_of(pk, stride, w->nslots);
	bool have = get_record(&rd, (unsigned char *)cur);
	size_t i = 0;
	while (have || i < n) {
		const unsigned char *next = base + i * stride;
		if (have && (i == n || records_cmp(next, cur) >= 0)) {
			if (!put_record(w, (const unsigned char *)cur))
				return false;
			have = get_record(&rd, (unsigned char *)cur);
		} else {
			if (!put_record(w, next))
				return false;
			i++;
		}
	}
	return true;
}

enum lf_status recpack_add(struct recpack *pk, unsigned char *base, size_t n, size_t stride,
			   int nslots)
{
	assert(nslots >= 0 && nslots <= RECORDS_MAX_SLOTS && stride <= RECORDS_MAX_STRIDE);
	if (!n)
		return LF_OK;
	if (records_sort(base, n, stride) != LF_OK)
		return LF_ERR_NOMEM;
	struct writer w = { .nslots = nslots };
	if (!merge(&w, pk, base, n, stride)) {
		free(w.p);
		return LF_ERR_NOMEM;
	}
	unsigned char *fit = realloc(w.p, w.len); /* no slack: held for long */
	free(pk->p);
	*pk = (struct recpack){ fit ? fit : w.p, w.len, pk->n + n };
	return LF_OK;
}

void recpack_release(struct recpack *pk)
{
	free(pk->p);
	*pk = (struct recpack){ 0 };
}
