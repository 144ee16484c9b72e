/*
 * intern.c - open-addressing string interning. The hash reads the key eight
 * bytes at a time (one multiply a word, then a finaliser that spreads every
 * bit into the low ones the slot is taken from): the keys are the site's own
 * paths, and the table's content never leaves memory, so a flooding attack
 * costs only speed; a log with millions of colliding paths is not a threat
 * model we design for, and the hash needs no key. It is not written
 * anywhere and gives no order: ids are first-seen. We keep the hash beside
 * each entry so that growing never re-reads the strings.
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

static uint64_t load64(const char *p)
{
	uint64_t w;
	memcpy(&w, p, sizeof(w));
	return w;
}

static uint64_t load32(const char *p)
{
	uint32_t w;
	memcpy(&w, p, sizeof(w));
	return w;
}

/* The n < 8 bytes at p as one word, read without going past p + n
 * (overlapping reads: a byte read twice is mixed in twice, the same way for
 * the same string). */
static uint64_t load_short(const char *p, size_t n)
{
	if (n >= 4)
		return load32(p) << 32 | load32(p + n - 4);
	if (n == 0)
		return 0;
	return (uint64_t)(unsigned char)p[0] << 16 | (uint64_t)(unsigned char)p[n / 2] << 8 |
	       (unsigned char)p[n - 1];
}

static uint32_t str_hash(struct slice s)
{
	const uint64_t mul = 0x9e3779b97f4a7c15ULL; /* 2^64 / golden ratio, odd */
	uint64_t h = s.n * mul;
	size_t i = 0;
	for (; i + 8 <= s.n; i += 8)
		h = (h ^ load64(s.p + i)) * mul;
	h = (h ^ load_short(s.p + i, s.n - i)) * mul;
	/* MurmurHash3's 64-bit finaliser */
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return (uint32_t)h;
}

void intern_init(struct intern *t)
{
	memset(t, 0, sizeof(*t));
	arena_init(&t->arena);
}

void intern_release(struct intern *t)
{
	intern_unhold(t);
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

/* Room for one more entry; while held, the array outgrown is kept. */
static bool grow_entries(struct intern *t)
{
	size_t need = (size_t)t->count + 1, cap;
	if (!t->held || need <= t->entries_cap)
		return GROW(t->entries, t->entries_cap, need, INTERN_MIN_CAP / 2);
	if (t->nold == INTERN_OLD_MAX ||
	    !grow_capacity_max(t->entries_cap, need, sizeof(*t->entries), INTERN_MIN_CAP / 2,
			       UINT32_MAX, &cap))
		return false;
	struct intern_entry *e = malloc(cap * sizeof(*e));
	if (!e)
		return false;
	if (t->entries) { /* none yet: nothing to copy or keep */
		memcpy(e, t->entries, (size_t)t->count * sizeof(*e));
		t->old[t->nold++] = t->entries;
	}
	t->entries = e;
	t->entries_cap = (uint32_t)cap;
	return true;
}

void intern_hold(struct intern *t)
{
	t->held = true;
}

void intern_unhold(struct intern *t)
{
	while (t->nold)
		free(t->old[--t->nold]);
	t->held = false;
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
	return s.n <= UINT32_MAX && lookup(t, s, str_hash(s)) != 0;
}

enum lf_status intern_put(struct intern *t, struct slice s, uint32_t *id)
{
	if (s.n > UINT32_MAX)
		return LF_ERR_LIMIT;
	uint32_t h = str_hash(s);
	uint32_t found = lookup(t, s, h);
	if (found) {
		*id = found - 1;
		return LF_OK;
	}
	if (t->count >= INTERN_MAX_IDS)
		return LF_ERR_LIMIT;
	if ((t->count + 1) * 2 > t->cap && grow_slots(t) != LF_OK)
		return LF_ERR_NOMEM;
	if (!grow_entries(t))
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
