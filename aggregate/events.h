/*
 * events.h - a day's beacon and tracker events: engagement_daily,
 * action_daily, and the screen rows of breakdown_daily.
 *
 * Events are never pageviews. Each is a record like a pageview's (visitor
 * hash, second, page) followed by EV_NVALS values: one value slot per
 * action (the label's id + 1 in the slot of its action; a load event's
 * screen class in slot 0), then a packed kind/flags word and a number (load
 * ms, engaged seconds). So the screen classes and the labels go through
 * breakdown_compute() and its K rule like any dimension: a screen row's
 * pageviews are the page's load events reporting that class, its visitors
 * their distinct visitors; an action row's count the actions with that
 * label, its visitors theirs. engagement_daily takes the same rule
 * (smallcell.h) per page: a page whose measured views came from fewer than
 * K visitors folds into the page DIM_OTHER. Nothing here outlives one
 * day's computation.
 */
#ifndef LF_EVENTS_H
#define LF_EVENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../common/status.h"
#include "../parsers/reduce/hit.h"
#include "breakdown.h"
#include "load.h"
#include "records.h"
#include "tables.h"

/* Values after the record header: ACTION_COUNT slots, the kind word, a number. */
enum { EV_META = ACTION_COUNT, EV_NUM, EV_NVALS };

static inline size_t events_stride(void)
{
	return records_stride(EV_NVALS);
}

/*
 * Fill the values of the event record of h (vals holds EV_NVALS); value is
 * the interned id + 1 of its screen class (load) or label (action), else 0.
 */
void events_fill(const struct hit *h, uint32_t value, uint32_t vals[EV_NVALS]);

struct events_result {
	struct breakdown_row *screen;  /* by page, value; K rule applied */
	size_t nscreen;
	struct breakdown_row *site_screen; /* the same for the whole site */
	size_t nsite_screen;
	struct engagement_row *engagement; /* by page */
	size_t nengagement;
	struct action_row *actions;    /* by page, action, label */
	size_t nactions;
};

/*
 * Sort the n event records at base (stride events_stride(), page ids
 * already replaced by ranks < npages) and compute the rows, folding cells
 * of fewer than min_visitors visitors. names gives page and value strings;
 * a tracker view's engaged time ends at its last heartbeat no more than
 * session_timeout seconds after the one before. sets: a shard's sets of
 * its screen classes, engagement pages and action labels go there (see
 * shardsets.h; NULL but in a shard's run). On success *out holds malloc'd
 * arrays (events_result_free); LF_ERR_NOMEM otherwise, with nothing to
 * free.
 */
enum lf_status events_compute(unsigned char *base, size_t n, uint32_t npages,
			      const struct breakdown_names *names, uint32_t min_visitors,
			      uint32_t session_timeout, struct shardsets *sets,
			      struct events_result *out);

void events_result_free(struct events_result *r);

/* Count the load times of the load events among the n event records at
 * base (any order, page ids as t's cells take them) into t: by page,
 * local hour and visitor. LF_ERR_NOMEM when t cannot grow. */
enum lf_status events_load_times(const unsigned char *base, size_t n, struct load_table *t);

#endif
