/*
 * botcount.c - the (day, robot) counters. Robot lines are frequent (a third
 * of many sites' traffic) but their families few, so the table stays small
 * and a lookup is one hash and a probe or two.
 */
#include "botcount.h"

#include <stdlib.h>
#include <string.h>

#include "../common/grow.h"

enum lf_status botcount_add(struct botcount *b, uint32_t day, uint32_t bot)
{
	uint32_t i = pairindex_find(&b->index, day, bot);
	if (i != PAIRINDEX_NONE) {
		b->counts[i].requests++;
		return LF_OK;
	}
	if (!GROW(b->counts, b->cap, (size_t)b->n + 1, 64))
		return LF_ERR_NOMEM;
	if (pairindex_add(&b->index, day, bot, b->n) != LF_OK)
		return LF_ERR_NOMEM;
	b->counts[b->n++] = (struct bot_count){ day, bot, 1 };
	return LF_OK;
}

static int cmp_rows(const void *x, const void *y)
{
	return slice_cmp(((const struct bot_row *)x)->bot, ((const struct bot_row *)y)->bot);
}

enum lf_status botcount_rows(const struct botcount *b, uint32_t day, const struct intern *names,
			     struct bot_row **rows, size_t *n)
{
	size_t k = 0;
	*rows = NULL;
	*n = 0;
	for (uint32_t i = 0; i < b->n; i++)
		k += b->counts[i].day == day;
	if (k == 0)
		return LF_OK;
	struct bot_row *r = malloc(k * sizeof(*r));
	if (!r)
		return LF_ERR_NOMEM;
	k = 0;
	for (uint32_t i = 0; i < b->n; i++)
		if (b->counts[i].day == day)
			r[k++] = (struct bot_row){ intern_get(names, b->counts[i].bot),
						   b->counts[i].requests };
	qsort(r, k, sizeof(*r), cmp_rows);
	*rows = r;
	*n = k;
	return LF_OK;
}

void botcount_clear(struct botcount *b)
{
	b->n = 0;
	pairindex_clear(&b->index);
}

void botcount_release(struct botcount *b)
{
	free(b->counts);
	pairindex_release(&b->index);
	memset(b, 0, sizeof(*b));
}
