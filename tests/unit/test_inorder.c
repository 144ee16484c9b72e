/*
 * test_inorder.c - items computed on helpers, handed over in order: every
 * item once, in order 0, 1, ..., never more than `ahead` computed past the
 * last one handed over, each helper's scratch its own; a refusal stops the
 * run, and every item computed ahead is dropped, none is lost or freed
 * twice. Results are the item's number times 3 (worked out from i alone).
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "../../common/inorder.h"
#include "harness.h"

#define MAX_ITEMS 200

struct ctx {
	atomic_size_t handed; /* items handed over */
	atomic_int too_far;   /* work began an item past handed + ahead */
	atomic_int busy[64];  /* per helper: working now (two at once: shared) */
	atomic_int shared;
	size_t ahead;
	size_t next_take; /* the item take expects */
	int out_of_order;
	size_t refuse_at;        /* take refuses this item; MAX_ITEMS: never */
	int computed[MAX_ITEMS]; /* by work */
	int freed[MAX_ITEMS];    /* by take or drop */
};

static enum lf_status work(void *ctx, unsigned h, size_t i, void **result)
{
	struct ctx *c = ctx;
	/* the run counts an item handed over just before take sees it: the
	 * count here may lag by that one */
	if (i >= atomic_load(&c->handed) + 1 + c->ahead)
		atomic_store(&c->too_far, 1);
	if (atomic_fetch_add(&c->busy[h], 1) != 0)
		atomic_store(&c->shared, 1);
	size_t *r = malloc(sizeof(*r));
	if (r)
		*r = i * 3;
	c->computed[i]++;
	atomic_fetch_sub(&c->busy[h], 1);
	*result = r;
	return r ? LF_OK : LF_ERR_NOMEM;
}

static enum lf_status take(void *ctx, size_t i, enum lf_status st, void *result)
{
	struct ctx *c = ctx;
	size_t *r = result;
	if (i != c->next_take || st != LF_OK || !r || *r != i * 3)
		c->out_of_order++;
	c->next_take = i + 1;
	c->freed[i]++;
	free(r);
	atomic_store(&c->handed, i + 1);
	return i == c->refuse_at ? LF_ERR_IO : LF_OK;
}

static void drop(void *ctx, size_t i, enum lf_status st, void *result)
{
	struct ctx *c = ctx;
	c->freed[i]++;
	free(result);
}

static void run(size_t n, unsigned threads, size_t ahead, size_t refuse_at)
{
	struct ctx *c = calloc(1, sizeof(*c));
	bool started;
	c->ahead = ahead;
	c->refuse_at = refuse_at;
	struct inorder job = { n, threads, ahead, work, take, drop, c };
	enum lf_status st = inorder_run(&job, &started);
	CHECK(started);
	CHECK_INT(st, refuse_at < n ? LF_ERR_IO : LF_OK);
	CHECK_INT(c->out_of_order, 0);
	CHECK_INT(c->too_far, 0);
	CHECK_INT(c->shared, 0);
	size_t last = refuse_at < n ? refuse_at : n - 1;
	CHECK_INT(c->next_take, last + 1);
	int bad = 0;
	for (size_t i = 0; i < n; i++) {
		/* handed over: computed and freed once; after a refusal: computed
		 * at most once, and freed exactly when computed (dropped) */
		if (i <= last && (c->computed[i] != 1 || c->freed[i] != 1))
			bad++;
		if (i > last && (c->computed[i] > 1 || c->freed[i] != c->computed[i]))
			bad++;
	}
	CHECK_INT(bad, 0);
	free(c);
}

static void test_order(void)
{
	run(MAX_ITEMS, 2, 4, MAX_ITEMS);
	run(MAX_ITEMS, 7, 1, MAX_ITEMS); /* one slot: strictly one ahead */
	run(3, 64, 128, MAX_ITEMS);      /* more helpers than items */
	run(1, 2, 4, MAX_ITEMS);
}

static void test_refusal(void)
{
	run(MAX_ITEMS, 4, 8, 0);
	run(MAX_ITEMS, 4, 8, 57);
	run(MAX_ITEMS, 3, 2, MAX_ITEMS - 1);
}

TEST_MAIN(test_order, test_refusal)
