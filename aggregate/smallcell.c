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
		qsort(items, n, sizeof(*items), cmp_item);
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
