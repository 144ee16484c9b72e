/*
 * pairindex.h - an index from a pair of 32-bit keys to a dense id: the
 * lookup behind the aggregator's (site, day) days, the (day, robot)
 * counters and the (page, hour) load-time cells. The owner keeps its records in an array of its own and asks
 * the index where a pair is. Open addressing, linear probing, at most half
 * full, doubling from 64 slots; the keys are kept in the slots, so growing
 * never reads the owner's records.
 */
#ifndef LF_PAIRINDEX_H
#define LF_PAIRINDEX_H

#include <stdint.h>

#include "status.h"

struct pair_slot;

struct pairindex {
	struct pair_slot *slots;
	uint32_t cap; /* a power of two, or 0 */
	uint32_t n;
};

#define PAIRINDEX_NONE UINT32_MAX

void pairindex_init(struct pairindex *x);
void pairindex_release(struct pairindex *x);

/* Forget every pair; the memory is kept for reuse. */
void pairindex_clear(struct pairindex *x);

/* The id of (a, b), or PAIRINDEX_NONE. */
uint32_t pairindex_find(const struct pairindex *x, uint32_t a, uint32_t b);

/* Record (a, b) -> id (id < PAIRINDEX_NONE; the pair must be absent).
 * LF_ERR_NOMEM leaves the index as it was. */
enum lf_status pairindex_add(struct pairindex *x, uint32_t a, uint32_t b, uint32_t id);

#endif
