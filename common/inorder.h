/*
 * inorder.h - items computed on helper threads and handed, in order, to
 * the calling thread: item i is handed over only after item i - 1, however
 * the helpers finish. Helpers take the items from a shared counter, never
 * more than `ahead` past the last one handed over, so that at most `ahead`
 * results wait at any time: memory stays bounded however far the helpers
 * could run. Made for the aggregator's days (agg.c), of which it knows
 * nothing. It keeps no thread between calls (each run starts and joins its
 * own) and never computes an item twice.
 */
#ifndef LF_INORDER_H
#define LF_INORDER_H

#include <stdbool.h>
#include <stddef.h>

#include "status.h"

struct inorder {
	size_t n;         /* items 0 .. n - 1 */
	unsigned threads; /* helpers: at most n of them are started */
	size_t ahead;     /* results computed but not yet handed over, at most (>= 1) */
	/*
	 * On helper h (0 .. threads - 1, one item at a time per helper, so
	 * that scratch indexed by h is its own): compute item i into *result.
	 * Its status, OK or not, goes to take (or drop) with the result.
	 */
	enum lf_status (*work)(void *ctx, unsigned h, size_t i, void **result);
	/*
	 * On the calling thread, for i = 0, 1, ... in order: item i's status
	 * and result, which take owns from the call on. A non-OK return stops
	 * the run: no later item is handed over.
	 */
	enum lf_status (*take)(void *ctx, size_t i, enum lf_status st, void *result);
	/* On the calling thread, after a stop: each item computed ahead and
	 * never handed over, its status and result, which drop owns. */
	void (*drop)(void *ctx, size_t i, enum lf_status st, void *result);
	void *ctx;
};

/*
 * Run job: start its helpers (every signal blocked in them: signals stay
 * the calling thread's), hand every item to take in order, join them.
 * Returns LF_OK when take accepted every item, else take's first non-OK
 * status (after the helpers are joined and every item computed ahead
 * dropped). *started false: not one helper could be started (no memory
 * for one), nothing was called, and the caller does the work itself.
 */
enum lf_status inorder_run(const struct inorder *job, bool *started);

#endif
