/*
 * agg.h - hits in, per-page daily tables out.
 *
 * Sessions need every pageview of a visitor in order, and the result must
 * not depend on the order of lines or files, so the aggregator keeps one
 * compact record per pageview (16 bytes: visitor hash, second of the day,
 * page id; plus 4 bytes per breakdown dimension recorded, rounded up to 8)
 * per (site, day) and computes the day's tables when asked. The records
 * of a day the log has left behind are packed meanwhile (see "Packing"
 * below: some 8 bytes each), in memory only. Memory grows with pageviews
 * of the days held, not with lines: assets, bots and malformed lines cost
 * nothing here. Nothing here is ever written: only the computed
 * day_result rows leave this module.
 */
#ifndef LF_AGG_H
#define LF_AGG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../common/intern.h"
#include "../common/pairindex.h"
#include "../common/status.h"
#include "../parsers/reduce/hit.h"
#include "botcount.h"
#include "tables.h"

struct agg_config {
	uint32_t session_timeout; /* seconds; a larger gap starts a new visit */
	unsigned dims;            /* bit (1 << dimension) per dimension recorded */
	uint32_t min_visitors;    /* K: cells of fewer visitors fold (smallcell.h) */
	uint32_t grace;           /* seconds past a day's end before it closes */
	bool close_all;           /* every day emitted is closed */
	bool partial;             /* a shard's run (--shard): the tables are
				   * computed unfolded (K = 1) and each day
				   * carries its sets (shardsets.h) under K =
				   * min_visitors, for the merge to fold */
	unsigned threads;         /* days computed at once at the end of an
				   * input or run (the run's --jobs): 0 or 1,
				   * one after the other on the calling thread */
};

struct agg_day;
struct agg_ahead;

/* Values of at most 8 bytes (a country, a region, a referrer type, most
 * browsers and systems) are found by their bytes in a small direct-mapped
 * table per slot before the string table: such a dimension has a few
 * hundred values, which then cost no hash of the string and no miss in
 * the large table every dimension shares. Key: the bytes, zero-padded, in
 * a word, and the length; exact, never a guess. */
#define AGG_SHORT_BITS 8
#define AGG_SHORT_SLOTS (1u << AGG_SHORT_BITS)
struct agg_short {
	uint64_t bytes;
	uint32_t len;   /* 0: empty */
	uint32_t id;    /* value id + 1 */
};

struct agg {
	struct agg_config cfg;
	struct intern sites;
	struct intern pages;
	struct intern values;   /* breakdown values of every dimension */
	uint32_t last_value[DIM_COUNT]; /* per slot: value id + 1 of the last
					 * pageview, tried before a hash lookup
					 * (runs of one value are common) */
	struct agg_short short_values[DIM_COUNT][AGG_SHORT_SLOTS];
	struct intern bots;     /* robot families */
	struct botcount botcount; /* robot requests per (day, family) */
	int nslots;             /* dimensions recorded per pageview */
	uint8_t slot_dim[DIM_COUNT];
	size_t stride;          /* bytes per pageview record: nslots values
				 * and the load word (load.h) */
	struct agg_day *days;   /* one per (site, day) seen */
	uint32_t ndays, days_cap;
	struct pairindex day_index; /* (site, day) -> index into days */
	uint32_t last_day;      /* index + 1 of the day of the previous hit */
	uint64_t pageviews;
	int64_t clock;          /* latest time seen (UTC seconds), INT64_MIN: none */
	/* writing ahead (ahead.c) */
	int64_t ahead_at;      /* the clock from which agg_write_ahead has a
				 * day to write, at the earliest (agg_ahead_due) */
	int64_t ahead_next;    /* the earliest a day not queued is due */
	uint32_t *ahead_queue; /* days due, to write in turn */
	size_t ahead_head, ahead_n, ahead_cap;
	bool ahead_off;         /* emit failed: no more */
	struct agg_ahead *job;  /* the day being written ahead on a helper */
};

/*
 * Packing (recpack.h): a day's records take records_stride() bytes each
 * (48 with 6 breakdown slots and the load word) and stay until the input
 * ends, since a late line may still come; packed, some 8 (make bench's
 * log: 7.5; a load time adds ~3). A day is
 * packed once the clock has passed its end + grace by AGG_PACK_MARGIN
 * seconds (in a log in time order, nothing more comes for it), when it
 * holds AGG_PACK_MIN records unpacked or more; and again whenever late
 * records, as many and a quarter of those packed, have come: stragglers
 * are never repacked one by one (each repack at least 1.25 times the
 * records of the one before: a geometric series of work). The days are
 * looked at every AGG_PACK_EVERY pageviews counted, never per line: one
 * compare per day held. A day written ahead on a helper thread is packed
 * there, after it is written (ahead.c). Counting pageviews, not hours of
 * the clock, also packs a log in no order, whose clock reaches its end
 * early.
 */
#define AGG_PACK_MARGIN 3600
#define AGG_PACK_MIN 4096
#define AGG_PACK_EVERY 8192

/* Set up an empty aggregator. Never fails; allocation happens on add. */
void agg_init(struct agg *a, const struct agg_config *cfg);

/* Count one pageview. LF_ERR_NOMEM or LF_ERR_LIMIT leave a unchanged. */
enum lf_status agg_add(struct agg *a, const struct hit *h);

/* Count one robot request: h->site, h->day and h->bot are read, nothing
 * else. LF_ERR_NOMEM leaves a unchanged (but for names interned). */
enum lf_status agg_add_bot(struct agg *a, const struct hit *h);

/*
 * A pageview or beacon event (bot false) or a robot request (bot true) that
 * another shard counts (--shard): its (site, day) is made, and its end and
 * the clock moved, exactly as agg_add or agg_add_bot would, and nothing is
 * counted; so every shard computes, closes and writes the same days (a day
 * of no visitor of its own as a row of zeros), which the merge adds up.
 * Reads h's site, day, time and sec_of_day (bot: site and day).
 * LF_ERR_NOMEM leaves the days as they were.
 */
enum lf_status agg_touch(struct agg *a, const struct hit *h, bool bot);

/* Note that the log has reached UTC second t (a line that is not a
 * pageview still shows that time has passed): days may close on it. */
void agg_see_time(struct agg *a, int64_t t);

/*
 * Called once per (site, day) by agg_finish; a non-OK status stops it.
 * emit owns d from the call on: it frees it with agg_day_free(), at once or
 * later and from any thread (its strings live in the aggregator's arenas,
 * which stay until agg_release), and also when it fails.
 */
typedef enum lf_status (*agg_emit_fn)(void *ctx, struct day_result *d);

/* Free a day_result emit was given, rows and all. */
void agg_day_free(struct day_result *d);

/*
 * Compute every day held, in (site, day) order, and pass each to emit,
 * always on the calling thread (with cfg.threads >= 2 the days are
 * computed on as many helper threads meanwhile, and emitted in the same
 * order, with the same rows). The days are
 * dropped as they are emitted; each is closed when the clock (the latest
 * time seen) has passed its end by cfg.grace, or with cfg.close_all. Returns the first non-OK status of emit, or
 * LF_ERR_NOMEM. Afterwards the aggregator holds no days (its page and site
 * names stay, for later calls).
 */
enum lf_status agg_finish(struct agg *a, agg_emit_fn emit, void *ctx);

/*
 * A day (per site) is closed when the log has reached cfg.grace seconds
 * past its end (its next local midnight) or cfg.close_all is set.
 * agg_flush_closed computes, passes to emit (with closed set) and drops
 * every day held whose end + grace is at most horizon, in (site, day)
 * order, while the run goes on: memory then holds only the days not yet
 * closed. The caller chooses horizon so that no later line can belong to
 * such a day (at most the clock). Errors as agg_finish; the days not yet
 * emitted stay held.
 */
enum lf_status agg_flush_closed(struct agg *a, int64_t horizon, agg_emit_fn emit, void *ctx);

/*
 * Writing ahead. Within one input lines may come in any order, so a day is
 * emitted (agg_flush_closed) only once the input is read; but in a log of
 * many days its rows can be computed and written long before: once the
 * clock has passed its end + grace by AGG_PACK_MARGIN seconds, when the
 * log has left it behind. agg_write_ahead computes each such day not yet
 * looked at, asks ok(ctx, site, day) whether it may be written now, and
 * passes it to emit (closed set, as agg_flush_closed would), keeping its
 * records. When it is emitted at last, a day unchanged since comes with
 * ahead set and no rows (nothing to write again); a day a line reached
 * since is computed again, with again set (its rows replace those written
 * ahead). A day is written ahead once at most: a log in no order costs
 * at most one more computation per day. The results are those of a run
 * that never writes ahead. agg_ahead_due (one compare) says when a call
 * may find a day to write; the days due are found in one pass over the
 * days and then written in turn, so a log of many sites costs a pass per
 * time a day falls due, not per day written. A day short of memory is
 * left to be computed at the end, and after a non-OK status of emit no
 * day is written ahead.
 *
 * With cfg.threads of 2 or more, a day is computed and emitted on a helper
 * thread, one day at a time, while the caller goes on adding: emit is then
 * called on that thread, ok never. The day's records are the helper's
 * until it is done; a line of that day waits for it. The aggregator's names
 * are read there from entries held (intern_hold) until it is done.
 */
typedef bool (*agg_ahead_fn)(void *ctx, struct slice site, int32_t day);

static inline bool agg_ahead_due(const struct agg *a)
{
	return a->clock >= a->ahead_at;
}

enum lf_status agg_write_ahead(struct agg *a, agg_ahead_fn ok, agg_emit_fn emit, void *ctx);

/* The pageview records held packed now (returned) and their bytes (*bytes):
 * for tests and measurements. */
size_t agg_packed(const struct agg *a, size_t *bytes);

/* Free everything. */
void agg_release(struct agg *a);

#endif
