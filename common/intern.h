/*
 * intern.h - a string table that gives each distinct byte string a small,
 * dense id (0, 1, 2 ...) and keeps one copy of it in an arena.
 *
 * Used for pages and sites: the aggregates then count by uint32_t id and the
 * hot path compares integers, not strings. Ids are assigned in first-seen
 * order, so they depend on input order: code that needs an order-independent
 * result must order by the strings (intern_get), never by id.
 * The table grows by doubling (open addressing, linear probing, load <= 1/2).
 */
#ifndef LF_INTERN_H
#define LF_INTERN_H

#include <stdbool.h>
#include <stdint.h>

#include "arena.h"
#include "slice.h"
#include "status.h"

struct intern_entry;

/* Arrays of entries outgrown while held, at most: the ids are below 2^31
 * and each array at least doubles the one before. */
#define INTERN_OLD_MAX 32

struct intern {
	struct arena arena;
	uint32_t *slots;          /* id + 1 per slot; 0 = empty */
	uint32_t cap;             /* slots, a power of two */
	uint32_t count;           /* ids handed out */
	uint32_t entries_cap;
	struct intern_entry *entries; /* by id */
	bool held;                    /* intern_hold: outgrown entries are kept */
	uint8_t nold;
	struct intern_entry *old[INTERN_OLD_MAX]; /* outgrown while held */
};

void intern_init(struct intern *t);
void intern_release(struct intern *t);

/*
 * Find s or add it; store its id in *id. LF_ERR_NOMEM leaves the table as it
 * was. LF_ERR_LIMIT when 2^31 ids exist (far past any real log).
 */
enum lf_status intern_put(struct intern *t, struct slice s, uint32_t *id);

/* True when t holds s. Never adds, never allocates. */
bool intern_find(const struct intern *t, struct slice s);

/* The string of an id returned by intern_put; NUL-terminated, owned by t. */
struct slice intern_get(const struct intern *t, uint32_t id);

/*
 * Another thread may read a copy of t (a struct copy made by the owner),
 * with intern_get of the ids it held, while the owner goes on adding: from
 * intern_hold until intern_unhold, the entries an id is found by stay
 * where they were (an outgrown array is kept, not freed; the strings never
 * move). intern_unhold frees them, once the other thread is done. Only
 * intern_get may be called on the copy.
 */
void intern_hold(struct intern *t);
void intern_unhold(struct intern *t);

#endif
