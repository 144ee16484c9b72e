/*
 * intern.c - open-addressing string interning. The hash is FNV-1a: the keys
 * are the site's own paths, and the table's content never leaves memory, so
 * a flooding attack costs only speed; a log with millions of colliding paths
 * is not a threat model we design for. We keep the hash beside each entry so
 * that growing never re-reads the strings.
 */
#include "intern.h"

#include <stdlib.h>
#include <string.h>

#include "grow.h"

struct intern_entry {
	const char *s;
	uint32_t n;
	uint32_t hash;
};

#define INTERN_MIN_CAP 1024u
#define INTERN_MAX_IDS 0x80000000u

static uint32_t fnv1a(struct slice s)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < s.n; i++) {
		h ^= (unsigned char)s.p[i];
		h *= 16777619u;
	}
	return h;
}

void intern_init(struct intern *t)
{
	memset(t, 0, sizeof(*t));
	arena_init(&t->arena);
}

void intern_release(struct intern *t)
{
	arena_release(&t->arena);
	free(t->slots);
	free(t->entries);
	memset(t, 0, sizeof(*t));
}

static enum lf_status grow_slots(struct intern *t)
{
	uint32_t cap = t->cap ? t->cap * 2 : INTERN_MIN_CAP;
	uint32_t *slots = calloc(cap, sizeof(*slots));
	if (!slots)
		return LF_ERR_NOMEM;
	for (uint32_t id = 0; id < t->count; id++) {
		uint32_t i = t->entries[id].hash & (cap - 1);
		while (slots[i])
			i = (i + 1) & (cap - 1);
		slots[i] = id + 1;
	}
	free(t->slots);
	t->slots = slots;
	t->cap = cap;
	return LF_OK;
}

/* The id + 1 of s (hash h), or 0 when t does not hold it. */
static uint32_t lookup(const struct intern *t, struct slice s, uint32_t h)
{
	if (!t->cap)
		return 0;
	for (uint32_t i = h & (t->cap - 1); t->slots[i]; i = (i + 1) & (t->cap - 1)) {
		const struct intern_entry *e = &t->entries[t->slots[i] - 1];
		if (e->hash == h && e->n == s.n && memcmp(e->s, s.p, s.n) == 0)
			return t->slots[i];
	}
	return 0;
}

bool intern_find(const struct intern *t, struct slice s)
{
	return s.n <= UINT32_MAX && lookup(t, s, fnv1a(s)) != 0;
}

enum lf_status intern_put(struct intern *t, struct slice s, uint32_t *id)
{
	if (s.n > UINT32_MAX)
		return LF_ERR_LIMIT;
	uint32_t h = fnv1a(s);
	uint32_t found = lookup(t, s, h);
	if (found) {
		*id = found - 1;
		return LF_OK;
	}
	if (t->count >= INTERN_MAX_IDS)
		return LF_ERR_LIMIT;
	if ((t->count + 1) * 2 > t->cap && grow_slots(t) != LF_OK)
		return LF_ERR_NOMEM;
	if (!GROW(t->entries, t->entries_cap, (size_t)t->count + 1, INTERN_MIN_CAP / 2))
		return LF_ERR_NOMEM;
	char *copy = arena_strndup(&t->arena, s.p, s.n);
	if (!copy)
		return LF_ERR_NOMEM;
	uint32_t i = h & (t->cap - 1);
	while (t->slots[i])
		i = (i + 1) & (t->cap - 1);
	t->entries[t->count] = (struct intern_entry){ copy, (uint32_t)s.n, h };
	t->slots[i] = t->count + 1;
	*id = t->count++;
	return LF_OK;
}

struct slice intern_get(const struct intern *t, uint32_t id)
{
	return slice_make(t->entries[id].s, t->entries[id].n);
}
