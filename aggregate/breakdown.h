/*
 * breakdown.h - breakdown_daily for one day: per page, dimension and value,
 * pageviews and distinct visitors, with small cells folded; and
 * site_breakdown_daily, the same per site, under the same rule.
 *
 * The K rule (smallcell.h): a (page, dimension, value) cell seen by fewer
 * than K visitors is not written under its value; its pageviews and
 * visitors go to the value "(other)" of that page and dimension, whose
 * visitors are counted again as distinct visitors (one visitor in two
 * small cells is one visitor of "(other)"), and which is not written
 * either when it has fewer than K visitors. A value that reads "(other)"
 * already (an internal referrer the page rules hid) always goes into that
 * cell. So no row has fewer than K visitors. K = 1 turns folding off.
 */
#ifndef LF_BREAKDOWN_H
#define LF_BREAKDOWN_H

#include <stddef.h>

#include "../common/intern.h"
#include "../common/status.h"
#include "records.h"
#include "shardsets.h"
#include "tables.h"

struct breakdown_names {
	const struct page_daily_row *rows; /* page name by rank: rows[rank].page */
	const struct intern *values;       /* value id - 1 -> string */
};

/* In a shard's run (shardsets.h): where the sets of the values that may
 * fold go, the table they are for, and the names of a group's part by
 * the slot's dimension (dimension_names; action_names for action_daily). */
struct breakdown_sets {
	struct shardsets *s;
	const char *table;
	const char *const *part_names;
};

/*
 * Compute the rows for the records rs (sorted by visitor), folding cells of
 * fewer than min_visitors visitors. With sets (a shard's run; NULL
 * otherwise), also each page's and dimension's sets of the values of fewer
 * than sets->s->k visitors, and "(other)", into sets->s. On success *out
 * is a malloc'd array of *n rows sorted by page, dimension, value, owned by
 * the caller; its slices point into names. LF_ERR_NOMEM otherwise.
 */
enum lf_status breakdown_compute(const struct records *rs, const struct breakdown_names *names,
				 uint32_t min_visitors, const struct breakdown_sets *sets,
				 struct breakdown_row **out, size_t *n);

/*
 * The same for the whole site (site_breakdown_daily): the records rs
 * (sorted by visitor) counted as if they were one page, under the same K
 * rule; the rows' page is empty. Result and failure as breakdown_compute.
 */
enum lf_status breakdown_compute_site(const struct records *rs,
				      const struct breakdown_names *names, uint32_t min_visitors,
				      const struct breakdown_sets *sets, struct breakdown_row **out,
				      size_t *n);

/* Sort n rows by page, dimension, value: the order breakdown_daily is
 * written in (used when rows from several computations are merged). */
void breakdown_sort(struct breakdown_row *rows, size_t n);

#endif
