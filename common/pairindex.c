/*
 * pairindex.c - see pairindex.h. A slot with id + 1 == 0 is empty.
 */
#include "pairindex.h"

#include <stdlib.h>
#include <string.h>

struct pair_slot {
	uint32_t a, b;
	uint32_t id1; /* id + 1; 0 = empty */
};

static uint32_t pair_hash(uint32_t a, uint32_t b)
{
	uint64_t k = ((uint64_t)a << 32 | b) * 0x9e3779b97f4a7c15ULL;
	return (uint32_t)(k >> 32);
}

void pairindex_init(struct pairindex *x)
{
	memset(x, 0, sizeof(*x));
}

void pairindex_release(struct pairindex *x)
{
	free(x->slots);
	pairindex_init(x);
}

void pairindex_clear(struct pairindex *x)
{
	if (x->slots)
		memset(x->slots, 0, x->cap * sizeof(*x->slots));
	x->n = 0;
}

static void place(struct pair_slot *slots, uint32_t cap, uint32_t a, uint32_t b, uint32_t id1)
{
	uint32_t i = pair_hash(a, b) & (cap - 1);
	while (slots[i].id1)
		i = (i + 1) & (cap - 1);
	slots[i] = (struct pair_slot){ a, b, id1 };
}

uint32_t pairindex_find(const struct pairindex *x, uint32_t a, uint32_t b)
{
	if (!x->cap)
		return PAIRINDEX_NONE;
	uint32_t mask = x->cap - 1;
	for (uint32_t i = pair_hash(a, b) & mask; x->slots[i].id1; i = (i + 1) & mask)
		if (x->slots[i].a == a && x->slots[i].b == b)
			return x->slots[i].id1 - 1;
	return PAIRINDEX_NONE;
}

enum lf_status pairindex_add(struct pairindex *x, uint32_t a, uint32_t b, uint32_t id)
{
	if ((x->n + 1) * 2 > x->cap) {
		uint32_t cap = x->cap ? x->cap * 2 : 64;
		struct pair_slot *s = calloc(cap, sizeof(*s));
		if (!s)
			return LF_ERR_NOMEM;
		for (uint32_t i = 0; i < x->cap; i++)
			if (x->slots[i].id1)
				place(s, cap, x->slots[i].a, x->slots[i].b, x->slots[i].id1);
		free(x->slots);
		x->slots = s;
		x->cap = cap;
	}
	place(x->slots, x->cap, a, b, id + 1);
	x->n++;
	return LF_OK;
}
