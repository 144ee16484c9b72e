/*
 * botcount.c - the (day, robot) counters. Robot lines are frequent (a third
 * of many sites' traffic) but their families few, so the table stays small
 * and a lookup is one hash and a probe or two.
 */
#include "botcount.h"

#include <stdlib.h>
#include <string.h>

static uint32_t bc_hash(uint32_t day, uint32_t bot)
{
	uint64_t k = ((uint64_t)day << 32 | bot) * 0x9e3779b97f4a7c15ULL;
	return (uint32_t)(k >> 32);
}

static void bc_place(uint32_t *slots, uint32_t nslots, const struct bot_count *c, uint32_t idx)
{
	uint32_t i = bc_hash(c->day, c->bot) & (nslots - 1);
	while (slots[i])
		i = (i + 1) & (nslots - 1);
	slots[i] = idx + 1;
}

static enum lf_status bc_grow(struct botcount *b)
{
	if (b->n == b->cap) {
		uint32_t cap = b->cap ? b->cap * 2 : 64;
		struct bot_count *c = realloc(b->counts, cap * sizeof(*c));
		if (!c)
			return LF_ERR_NOMEM;
		b->counts = c;
		b->cap = cap;
	}
	if ((b->n + 1) * 2 > b->nslots) {
		uint32_t ns = b->nslots ? b->nslots * 2 : 128;
		uint32_t *s = calloc(ns, sizeof(*s));
		if (!s)
			return LF_ERR_NOMEM;
		for (uint32_t i = 0; i < b->n; i++)
			bc_place(s, ns, &b->counts[i], i);
		free(b->slots);
		b->slots = s;
		b->nslots = ns;
	}
	return LF_OK;
}

enum lf_status botcount_add(struct botcount *b, uint32_t day, uint32_t bot)
{
	if (b->nslots) {
		uint32_t mask = b->nslots - 1;
		for (uint32_t i = bc_hash(day, bot) & mask; b->slots[i]; i = (i + 1) & mask) {
			struct bot_count *c = &b->counts[b->slots[i] - 1];
			if (c->day == day && c->bot == bot) {
				c->requests++;
				return LF_OK;
			}
		}
	}
	if (bc_grow(b) != LF_OK)
		return LF_ERR_NOMEM;
	b->counts[b->n] = (struct bot_count){ day, bot, 1 };
	bc_place(b->slots, b->nslots, &b->counts[b->n], b->n);
	b->n++;
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
	if (b->slots)
		memset(b->slots, 0, b->nslots * sizeof(*b->slots));
}

void botcount_release(struct botcount *b)
{
	free(b->counts);
	free(b->slots);
	memset(b, 0, sizeof(*b));
}
