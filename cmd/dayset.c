/*
 * dayset.c - (site, day) pairs in an open-addressing table of 64-bit keys
 * (load at most 1/2, doubling), sites interned in a string table.
 */
#include "dayset.h"

#include <stdlib.h>
#include <string.h>

void dayset_init(struct dayset *s)
{
	memset(s, 0, sizeof(*s));
	intern_init(&s->sites);
	s->last_n = DAYSET_SITE_MAX + 1;
}

void dayset_release(struct dayset *s)
{
	intern_release(&s->sites);
	free(s->keys);
	memset(s, 0, sizeof(*s));
}

static uint32_t key_slot(uint64_t key, uint32_t cap)
{
	return (uint32_t)((key * 0x9e3779b97f4a7c15ULL) >> 32) & (cap - 1);
}

static bool find(const struct dayset *s, uint64_t key)
{
	if (!s->cap)
		return false;
	for (uint32_t i = key_slot(key, s->cap); s->keys[i]; i = (i + 1) & (s->cap - 1))
		if (s->keys[i] == key)
			return true;
	return false;
}

static void place(uint64_t *keys, uint32_t cap, uint64_t key)
{
	uint32_t i = key_slot(key, cap);
	while (keys[i] && keys[i] != key)
		i = (i + 1) & (cap - 1);
	keys[i] = key;
}

static enum lf_status grow(struct dayset *s)
{
	uint32_t cap = s->cap ? s->cap * 2 : 64;
	uint64_t *keys = calloc(cap, sizeof(*keys));
	if (!keys)
		return LF_ERR_NOMEM;
	for (uint32_t i = 0; i < s->cap; i++)
		if (s->keys[i])
			place(keys, cap, s->keys[i]);
	free(s->keys);
	s->keys = keys;
	s->cap = cap;
	return LF_OK;
}

static uint64_t make_key(uint32_t site, int32_t day)
{
	return (uint64_t)(site + 1) << 32 | (uint32_t)day;
}

enum lf_status dayset_add(struct dayset *s, struct slice site, int32_t day)
{
	uint32_t id;
	enum lf_status st = intern_put(&s->sites, site, &id);
	if (st != LF_OK)
		return st;
	uint64_t key = make_key(id, day);
	if (find(s, key))
		return LF_OK;
	if ((s->n + 1) * 2 > s->cap && (st = grow(s)) != LF_OK)
		return st;
	place(s->keys, s->cap, key);
	s->n++;
	s->last_n = DAYSET_SITE_MAX + 1; /* the cached answer may be stale */
	return LF_OK;
}

bool dayset_has(struct dayset *s, struct slice site, int32_t day)
{
	uint32_t id;
	if (s->n == 0)
		return false;
	if (day == s->last_day && site.n == s->last_n &&
	    (site.n == 0 || memcmp(site.p, s->last_site, site.n) == 0))
		return s->last_has;
	bool has = intern_put(&s->sites, site, &id) == LF_OK && find(s, make_key(id, day));
	if (site.n <= DAYSET_SITE_MAX) {
		if (site.n)
			memcpy(s->last_site, site.p, site.n);
		s->last_n = site.n;
		s->last_day = day;
		s->last_has = has;
	}
	return has;
}

void dayset_each(const struct dayset *s, void (*fn)(void *ctx, struct slice site, int32_t day),
		 void *ctx)
{
	for (uint32_t i = 0; i < s->cap; i++)
		if (s->keys[i])
			fn(ctx, intern_get(&s->sites, (uint32_t)(s->keys[i] >> 32) - 1),
			   (int32_t)(uint32_t)s->keys[i]);
}
