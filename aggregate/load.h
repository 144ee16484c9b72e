/*
 * load.h - page load times as a fixed set of log-scale buckets, so that
 * rows of load_hourly merge by adding them up (hours into days, pages into
 * sites) and percentiles can be estimated from any such sum.
 *
 * Buckets: <= 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 25000,
 * 60000 ms, and > 60000 ms (columns le_10 ... le_60000, gt_60000). The
 * 1-2.5-5 steps keep the relative error of an estimate within a bucket
 * bounded at every scale; past a minute nobody is waiting for a page.
 *
 * The percentile estimate (load_percentile, and the same formula in the
 * SQLite view load_hourly_stats, see output/db_schema.c): for q in {50, 75, 95}
 * the rank is r = n * q / 100; the bucket is the first whose running count
 * reaches r; within it the value is interpolated linearly between the
 * bucket's bounds lo and hi, both capped at the row's max_ms (the last
 * bucket's hi is max_ms):
 *
 *   p = lo' + (hi' - lo') * (r - below) / count,   lo' = min(lo, max_ms),
 *                                                  hi' = min(hi, max_ms)
 *
 * where below is the running count before the bucket and count its own;
 * then rounded half up to whole ms. Done in double, in this order, in
 * both places, so that they agree to the millisecond. A row of one sample
 * (n = 1) is exact: every percentile is that sample, max_ms.
 */
#ifndef LF_LOAD_H
#define LF_LOAD_H

#include <stddef.h>
#include <stdint.h>

#include "../common/pairindex.h"
#include "../common/status.h"
#include "records.h"
#include "shardsets.h"
#include "smallcell.h"

#define LOAD_NBUCKETS 13

/* Upper bound (inclusive) of each bucket but the last, in ms. */
extern const uint32_t load_bounds[LOAD_NBUCKETS - 1];

/* The bucket of a load time of ms milliseconds. */
int load_bucket(uint32_t ms);

/* The q-th percentile estimate (q in 1..99) of a row with n = the sum of
 * buckets >= 1, max_ms its largest time, as described above. */
uint64_t load_percentile(const uint64_t buckets[LOAD_NBUCKETS], uint64_t max_ms, int q);

/*
 * A pageview's load time as its record holds it (agg.c: the value after
 * the breakdown slots, records.h): 0 for none, else (ms + 1) * 32 + the
 * local hour (0..23). So a day's load times come from its records when the
 * day is computed, as its other tables do, packed with them (~3 bytes a
 * time), and not from tables kept for the day's life (16 bytes a time and
 * 80 a cell). ms is at most LOAD_WORD_MS_MAX; the parsers give no duration
 * over an hour (logtime.h), far below.
 */
#define LOAD_WORD_MS_MAX ((UINT32_MAX >> 5) - 1)

static inline uint32_t load_word(uint32_t hour, uint32_t ms)
{
	return (ms < LOAD_WORD_MS_MAX ? ms + 1 : LOAD_WORD_MS_MAX + 1) << 5 | hour;
}

/* The hour and the ms of a load word other than 0. */
static inline uint32_t load_word_hour(uint32_t w)
{
	return w & 31;
}

static inline uint32_t load_word_ms(uint32_t w)
{
	return (w >> 5) - 1;
}

/*
 * The load cells of one (site, day) and source, made while the day is
 * computed: one per (local hour, page), found through an open-addressing
 * index; and for the small-cell rule, who gave each load time (the visitor
 * hash and the cell), so that a cell's distinct visitors are counted
 * exactly. All zero is empty.
 */
struct load_cell {
	uint32_t page;
	uint32_t hour; /* 0..23 */
	uint32_t n;
	uint32_t max_ms;
	uint64_t sum_ms;
	uint32_t buckets[LOAD_NBUCKETS];
};

struct load_table {
	struct load_cell *cells;
	uint32_t n, cap;
	struct pairindex index;         /* (page, hour) -> cell; all zero is empty */
	struct smallcell_item *samples; /* one per load time counted */
	size_t nsamples, samples_cap;
};

/* Count one load time of ms for page id at local hour (0..23), by visitor.
 * LF_ERR_NOMEM leaves t's counts unchanged. */
enum lf_status load_add(struct load_table *t, uint32_t page, uint32_t hour, uint32_t ms,
			uint64_t visitor);

/* Count the load words (load_word) of records rs, in value slot slot, into
 * t, by page and visitor; a word of 0 is no load time. */
enum lf_status load_add_words(struct load_table *t, const struct records *rs, int slot);

struct load_row;
struct breakdown_names;

/* The sources of load times, in the order of load_hourly's rows for one
 * hour and page: the server's duration field, the browser's timing. */
enum load_source {
	LOAD_SERVER,
	LOAD_CLIENT,
	LOAD_NSOURCES
};

/* The hour text of the cell that holds a page's hours seen by fewer than
 * K visitors: "YYYY-MM-DD" LOAD_HOUR_OTHER. */
#define LOAD_HOUR_OTHER "T(other)"
/* Bytes of an hour's text: "YYYY-MM-DDT(other)" and its NUL. */
#define LOAD_HOUR_MAX 19

/*
 * The rows of the tables t (one per source) under the small-cell rule
 * with K = min_visitors (smallcell.h): a (page, hour, source) cell of
 * fewer than K visitors folds into the page's (other) hour of that
 * source, with hour text "DAY" LOAD_HOUR_OTHER, whose counts, sum, max and
 * buckets are those of the cells folded into it and whose visitors are
 * their distinct visitors; that cell is left out under K. The cells' page
 * ids are the day's page ranks (daybuild.c), named by names->rows[rank].
 * Rows sorted by hour text ("(other)" first), page name, then source,
 * with hour text "DAY" "THH" from day ("YYYY-MM-DD"). The samples of t
 * are reordered. *out is malloc'd, owned by the caller; NULL with n = 0
 * when no row is left. sets (a shard's run only, else NULL): each page's
 * and source's sets of hours of fewer than sets->k visitors go there
 * (shardsets.h). LF_ERR_NOMEM otherwise.
 */
enum lf_status load_rows(struct load_table t[LOAD_NSOURCES], const struct breakdown_names *names,
			 const char day[11], uint32_t min_visitors, struct shardsets *sets,
			 struct load_row **out, size_t *n);

void load_release(struct load_table *t);

#endif
