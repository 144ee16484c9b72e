/*
 * smallcell.h - the small-cell rule (--min-visitors, K), written once for
 * every table that publishes what visitors did: breakdown_daily (and its
 * screen rows), action_daily, engagement_daily, load_hourly, and any later
 * table (site_breakdown_daily).
 *
 * The rule, in two steps:
 *  1. a cell (a value of a page and dimension, a label, a page's measured
 *     views, an hour of a page's load times ...) seen by fewer than K
 *     distinct visitors is not published under its own key: it folds into
 *     the "(other)" cell of its group (the page and dimension, the page and
 *     source ...), whose visitors are counted again as distinct visitors;
 *  2. secondary suppression: an "(other)" cell itself seen by fewer than K
 *     visitors is not published at all.
 * So no published row, "(other)" or not, stands for fewer than K visitors.
 * K = 1 publishes everything. What the rule does not protect against
 * (differencing a page's total in page_daily and its published cells) is
 * said in the README's privacy model.
 *
 * It does not decide what a cell or a group is, nor build rows: each table
 * does, and asks smallcell_published() (or smallcell_apply()) which of its
 * cells go out.
 */
#ifndef LF_SMALLCELL_H
#define LF_SMALLCELL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../common/status.h"

/* The rule itself: may a cell seen by visitors distinct visitors be
 * published (under its own key, or as an "(other)" cell)? */
static inline bool smallcell_published(uint64_t visitors, uint32_t k)
{
	return visitors >= k;
}

/* One thing a table counts (a measured view, a load time ...): who, and in
 * which cell. */
struct smallcell_item {
	uint64_t visitor; /* the run's visitor hash */
	uint32_t cell;    /* < ncells */
};

/* The rule applied to a table's cells. Arrays by cell and by group. */
struct smallcell {
	uint32_t ncells, ngroups;
	uint32_t *visitors;       /* distinct visitors of each cell */
	bool *folded;             /* the cell goes into its group's "(other)" */
	uint32_t *other_visitors; /* distinct visitors of each group's folded
				   * cells (0: nothing folded there) */
	uint32_t *stamp;          /* scratch: the last visitor counted, by cell
				   * then by group */
};

/* Arrays for ncells cells in ngroups groups, zeroed: nothing folded yet.
 * A caller may set folded[c] before smallcell_apply to fold a cell
 * whatever its visitors (one whose key already reads "(other)").
 * LF_ERR_NOMEM, after which smallcell_release is still right. */
enum lf_status smallcell_init(struct smallcell *s, uint32_t ncells, uint32_t ngroups);

/*
 * Count the n items (grouped here by visitor, in place: in no order the
 * caller may rely on): distinct visitors per cell; fold every cell under
 * k; then distinct visitors per group of its folded cells. group[c] is the
 * group of cell c (< ngroups). A group's "(other)" cell is published when
 * smallcell_published(other_visitors[g], k). Scratch of n items and 8
 * bytes an item (at most 512 KiB) for n of 1024 or more, freed here
 * (without it, only slower).
 */
void smallcell_apply(struct smallcell *s, struct smallcell_item *items, size_t n,
		     const uint32_t *group, uint32_t k);

void smallcell_release(struct smallcell *s);

#endif
