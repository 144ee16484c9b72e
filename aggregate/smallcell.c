/*
 * smallcell.c - the small-cell rule over a table's items (smallcell.h).
 *
 * Distinct visitors are counted without a set per cell: the items are
 * sorted by visitor, visitors are numbered as they come, and a cell counts
 * a visitor when its stamp (the number of the last visitor it counted)
 * differs. Two passes: every cell, then the "(other)" cell of each group
 * for the items of folded cells only.
 */
#include "smallcell.h"

#include <stdlib.h>
#include <string.h>

enum lf_status smallcell_init(struct smallcell *s, uint32_t ncells, uint32_t ngroups)
{
	size_t nc = ncells ? ncells : 1, ng = ngroups ? ngroups : 1;
	*s = (struct smallcell){ ncells, ngroups, calloc(nc, sizeof(uint32_t)),
				 calloc(nc, sizeof(bool)), calloc(ng, sizeof(uint32_t)),
				 calloc(nc + ng, sizeof(uint32_t)) };
	return s->visitors && s->folded && s->other_visitors && s->stamp ? LF_OK : LF_ERR_NOMEM;
}

void smallcell_release(struct smallcell *s)
{
	free(s->visitors);
	free(s->folded);
	free(s->other_visitors);
	free(s->stamp);
	memset(s, 0, sizeof(*s));
}

static int cmp_item(const void *x, const void *y)
{
	const struct smallcell_item *a = x, *b = y;
	if (a->visitor != b->visitor)
		return a->visitor < b->visitor ? -1 : 1;
	return (a->cell > b->cell) - (a->cell < b->cell);
}

/* Items below this many are sorted by qsort alone; a bucket of this many
 * or fewer by insertion (visitor hashes are uniform: most hold one or two);
 * at most 2^BUCKET_BITS buckets, about one an item. */
#define GROUP_MIN 1024
#define BUCKET_SMALL 16
#define BUCKET_BITS 16

/* Insertion sort of items[0..n) by visitor alone. */
static void insertion_by_visitor(struct smallcell_item *items, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		struct smallcell_item x = items[i];
		size_t j = i;
		for (; j > 0 && items[j - 1].visitor > x.visitor; j--)
			items[j] = items[j - 1];
		items[j] = x;
	}
}

/*
 * Put the items of each visitor next to each other (the counts below need
 * no more: which visitor comes first, and the order of one visitor's
 * cells, change none of them). By the visitor's top bits (log2 n of
 * them, at most BUCKET_BITS) into a scratch copy, then each bucket back in
 * place, sorted by insertion, or by qsort when a bucket is large (a
 * visitor of many items, or hashes that share their top bits). Without
 * memory for the scratch, qsort alone.
 */
static void group_by_visitor(struct smallcell_item *items, size_t n)
{
	int bits = 10; /* 2^10: GROUP_MIN */
	while (bits < BUCKET_BITS && ((size_t)1 << bits) < n)
		bits++;
	size_t nb = (size_t)1 << bits;
	struct smallcell_item *tmp = n >= GROUP_MIN ? malloc(n * sizeof(*tmp)) : NULL;
	size_t *start = tmp ? calloc(nb + 1, sizeof(*start)) : NULL;
	if (!start) {
		free(tmp);
		qsort(items, n, sizeof(*items), cmp_item);
		return;
	}
	for (size_t i = 0; i < n; i++)
		start[(items[i].visitor >> (64 - bits)) + 1]++;
	for (size_t b = 0; b < nb; b++)
		start[b + 1] += start[b];
	for (size_t i = 0; i < n; i++) /* start[b] moves to the end of bucket b */
		tmp[start[items[i].visitor >> (64 - bits)]++] = items[i];
	for (size_t b = 0, lo = 0; b < nb; lo = start[b++]) {
		size_t k = start[b] - lo;
		memcpy(items + lo, tmp + lo, k * sizeof(*items));
		if (k <= BUCKET_SMALL)
			insertion_by_visitor(items + lo, k);
		else
			qsort(items + lo, k, sizeof(*items), cmp_item);
	}
	free(start);
	free(tmp);
}

/* Count visitor number v in the counter at stamp / count. */
static void count(uint32_t *stamp, uint32_t *count, uint32_t v)
{
	if (*stamp != v) {
		*stamp = v;
		(*count)++;
	}
}

void smallcell_apply(struct smallcell *s, struct smallcell_item *items, size_t n,
		     const uint32_t *group, uint32_t k)
{
	uint32_t *other_stamp = s->stamp + s->ncells;
	if (n > 1)
		group_by_visitor(items, n);
	/* visitor numbers start at 1: a stamp of 0 has counted nobody */
	for (size_t i = 0, v = 0; i < n; i++) {
		if (i == 0 || items[i].visitor != items[i - 1].visitor)
			v++;
		count(&s->stamp[items[i].cell], &s->visitors[items[i].cell], (uint32_t)v);
	}
	for (uint32_t c = 0; c < s->ncells; c++)
		if (!smallcell_published(s->visitors[c], k))
			s->folded[c] = true;
	for (size_t i = 0, v = 0; i < n; i++) {
		if (i == 0 || items[i].visitor != items[i - 1].visitor)
			v++;
		uint32_t c = items[i].cell;
		if (s->folded[c])
			count(&other_stamp[group[c]], &s->other_visitors[group[c]], (uint32_t)v);
	}
}
