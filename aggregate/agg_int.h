/*
 * agg_int.h - what agg.c (the records of each day, packing, emission) and
 * daybuild.c (a day's tables from its records) share: a day as the
 * aggregator holds it. Not for use outside aggregate/.
 */
#ifndef LF_AGG_INT_H
#define LF_AGG_INT_H

#include "agg.h"
#include "records.h"
#include "recpack.h"

/* A growing array of fixed-size records. */
struct recbuf {
	unsigned char *p;
	size_t n, cap;
};

struct agg_day {
	uint32_t site;
	int32_t day;
	int64_t end;           /* UTC second of the local midnight that ends it */
	bool end_guessed;      /* end set by robot requests alone (bot_day):
				* the first pageview's end replaces it */
	bool emitted;          /* computed and passed on; empty since */
	bool ahead_tried;      /* looked at by agg_write_ahead: never again */
	bool ahead_written;    /* written ahead (agg_write_ahead) */
	bool ahead_same;       /* ... and unchanged since: emitted with no rows
				* (day_result.ahead) */
	bool away;             /* its records are the ahead helper's (ahead.c) */
	struct recpack packed; /* pageviews that came before those of pv,
				* packed (pack_days) */
	struct recbuf pv;      /* pageviews: a->stride bytes each (see records.h;
				* after the breakdown slots, the load word of
				* load.h) */
	struct recbuf ev;      /* beacon events: events_stride() bytes each (events.h) */
};

/* Where a pageview record's load word (load.h) sits among its values:
 * after its breakdown slots, the last. */
static inline int rec_load_slot(const struct agg *a)
{
	return a->nslots;
}

/* The values a pageview record holds: its breakdown slots and load word. */
static inline int rec_nvals(const struct agg *a)
{
	return rec_load_slot(a) + 1;
}

static inline struct agg_pv *rec_at(const struct agg *a, const struct recbuf *pv, size_t i)
{
	return (struct agg_pv *)(void *)(pv->p + i * a->stride);
}

/* A name (a page's, a site's) and its id, to be ranked by name
 * (agg_cmp_ranked, for qsort). */
struct ranked_page {
	struct slice name;
	uint32_t id;
};

int agg_cmp_ranked(const void *x, const void *y);

/* Whether day d is closed by horizon (INT64_MIN: nothing is). */
static inline bool is_closed(const struct agg *a, const struct agg_day *d, int64_t horizon)
{
	return horizon != INT64_MIN && d->end + (int64_t)a->cfg.grace <= horizon;
}

/*
 * Compute day d into *out (the caller's, freed with agg_day_free; NULL on
 * LF_ERR_NOMEM). a is only read, so that helper threads may build several
 * days at once, each with its own rank_of (scratch indexed by page id, all
 * UINT32_MAX on entry and on return). The pageviews worked on are d's own
 * records, or, when some are packed, all of them unpacked into scratch
 * (d's are then left alone, and the scratch is freed here): they are
 * reordered and their page ids replaced by ranks, as are those of d's
 * events; with keep, the ids are put back (the order stays changed, on
 * which no result depends), so that a day computed ahead and then not
 * emitted is held as it was.
 */
enum lf_status agg_build_day(const struct agg *a, struct agg_day *d, uint32_t *rank_of, bool keep,
			     struct day_result **out);

/* Scratch for agg_build_day's rank_of: one per page id, all UINT32_MAX;
 * NULL when out of memory. */
uint32_t *agg_new_rank_of(const struct agg *a);

/* Pack d's records if it is due (agg.h, "Packing"); out of memory, they
 * stay as they are. a is only read (the ahead helper packs the day it
 * wrote). */
void agg_pack_day(const struct agg *a, struct agg_day *d);

/* Wait for the day being written ahead on a helper, if any, and take its
 * records back (ahead.c). */
void agg_ahead_take_back(struct agg *a);

/* Day d's end is known or has moved: when it falls due (ahead.c). */
void agg_ahead_note(struct agg *a, const struct agg_day *d);

#endif
