/*
 * shardsets.h - what a shard's run (--shard I/N) keeps beside its cells so
 * that the merge of the whole set of shards applies the small-cell rule
 * (smallcell.h) to the merged counts, exactly as one run would.
 *
 * A shard writes its cells unfolded (K = 1): shards share no visitor, so a
 * cell's visitors in the merge are the sum of its visitors in the shards,
 * and the merge knows which cells fold. What no sum of cells gives is the
 * distinct visitors of an "(other)" cell: one visitor may have several
 * values in one group (the referrers of a page-day, the hours of a page's
 * load times, the pages of engagement ...), and adding up the visitors of
 * the values folded counts such a visitor once per value. So a shard keeps,
 * per group, how many of its visitors had each SET of values; the merge's
 * "(other)" then has the visitors of the sets that meet the values it
 * folds, each once. Only values that may fold go into a set: a value of K
 * visitors or more in one shard has K or more in the merge and never folds
 * (and "(other)" itself always does), so the others are left out and a
 * set left empty is not kept. Most visitors have one small value at most:
 * the sets are few, and no larger than the small cells they describe.
 *
 * They describe single visitors (a set of one visitor is one person's
 * referrers that day): they stay in the shard's database, which the README
 * says never to publish, and the merge folds them away. Nothing here is
 * written but the rows handed on.
 */
#ifndef LF_SHARDSETS_H
#define LF_SHARDSETS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../common/arena.h"
#include "../common/slice.h"
#include "../common/status.h"

/* One row of shard_sets: in one group of one table, the visitors of this
 * shard whose values that may fold were exactly members. */
struct shard_set_row {
	const char *table;    /* the table of the group: "breakdown_daily" ... */
	struct slice page;    /* the group's page; "" for a site's table and
			       * for engagement_daily (whose values are pages) */
	struct slice part;    /* its dimension, action or source; "" for
			       * engagement_daily */
	struct slice members; /* the values, as a JSON array of strings */
	uint64_t visitors;
};

/* One value a visitor had in one group (ids are the caller's). */
struct shardsets_item {
	uint64_t visitor;
	uint32_t group;
	uint32_t member;
};

/* How the caller's ids read: the group's page and part, a member's text
 * (each valid until the day's rows are written). */
struct shardsets_names {
	const char *table;
	void (*group)(const void *ctx, uint32_t group, struct slice *page, struct slice *part);
	struct slice (*member)(const void *ctx, uint32_t member);
	const void *ctx;
};

/* A day's sets, as its tables are computed. */
struct shardsets {
	uint32_t k;                 /* the run's K: a value of fewer visitors
				     * in this shard may fold in the merge */
	struct shard_set_row *rows; /* in the order added */
	size_t n, cap;
	struct arena text;          /* the members' JSON: never moves */
};

void shardsets_init(struct shardsets *s, uint32_t k);
void shardsets_release(struct shardsets *s);

/*
 * Add the sets of items[0..n) (values that may fold, of any visitors and
 * groups; sorted here, in place; a value twice is one): for each group,
 * one row per distinct set of values a visitor had, with the number of
 * such visitors. LF_ERR_NOMEM, after which s holds some rows or none.
 */
enum lf_status shardsets_add(struct shardsets *s, struct shardsets_item *items, size_t n,
			     const struct shardsets_names *names);

/* The JSON array of the n strings v, '["a","b"]' (", \ and control bytes
 * escaped, other bytes as they are), into *out, allocated in a; false when
 * out of memory. Exposed for its unit test. */
bool shardsets_json(struct arena *a, const struct slice *v, size_t n, struct slice *out);

#endif
