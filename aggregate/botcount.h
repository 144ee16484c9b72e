/*
 * botcount.h - robot requests counted per (day, robot family) for
 * bots_daily: an open-addressing table of counters keyed by the
 * aggregator's day index and the family's interned id. It holds counts
 * only; the names live in the aggregator's intern table.
 */
#ifndef LF_BOTCOUNT_H
#define LF_BOTCOUNT_H

#include <stddef.h>
#include <stdint.h>

#include "../common/intern.h"
#include "../common/status.h"
#include "../common/pairindex.h"
#include "tables.h"

struct bot_count {
	uint32_t day, bot;
	uint64_t requests;
};

struct botcount {
	struct bot_count *counts; /* n used, in insertion order */
	uint32_t n, cap;
	struct pairindex index;   /* (day, bot) -> index into counts */
};

/* Count one request of robot bot on day. LF_ERR_NOMEM leaves b unchanged. */
enum lf_status botcount_add(struct botcount *b, uint32_t day, uint32_t bot);

/*
 * The rows of day, sorted by family name, into *rows (malloc'ed, the
 * caller frees; NULL when there are none) and *n. Names point into names.
 */
enum lf_status botcount_rows(const struct botcount *b, uint32_t day, const struct intern *names,
			     struct bot_row **rows, size_t *n);

/* Forget every count (the day indexes are about to be reused). */
void botcount_clear(struct botcount *b);

void botcount_release(struct botcount *b);

#endif
