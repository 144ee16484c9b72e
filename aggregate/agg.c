/*
 * agg.c - pageview records per (site, day), packed once the log has left
 * their day behind (recpack.h; agg.h, "Packing"), and the days emitted in
 * (site, day) order, computed on helper threads (daybuild.c) when there
 * are several.
 */
#include "agg_int.h"

#include <stdlib.h>
#include <string.h>

#include "../common/grow.h"
#include "../common/inorder.h"
#include "events.h"
#include "load.h"
#include "records.h"
#include "recpack.h"

/* Free what a day holds and leave it empty. */
static void day_release(struct agg_day *d)
{
	recpack_release(&d->packed);
	free(d->pv.p);
	free(d->ev.p);
	d->pv = d->ev = (struct recbuf){ 0 };
}

void agg_init(struct agg *a, const struct agg_config *cfg)
{
	memset(a, 0, sizeof(*a));
	a->cfg = *cfg;
	intern_init(&a->sites);
	intern_init(&a->pages);
	intern_init(&a->values);
	intern_init(&a->bots);
	for (int dim = 0; dim < DIM_COUNT; dim++)
		if (cfg->dims & (1u << dim))
			a->slot_dim[a->nslots++] = (uint8_t)dim;
	a->stride = records_stride(rec_nvals(a));
	a->clock = INT64_MIN;
	a->ahead_at = a->ahead_next = INT64_MAX;
}

void agg_see_time(struct agg *a, int64_t t)
{
	if (t > a->clock)
		a->clock = t;
}

void agg_release(struct agg *a)
{
	agg_ahead_take_back(a);
	for (uint32_t i = 0; i < a->ndays; i++)
		day_release(&a->days[i]);
	free(a->days);
	free(a->ahead_queue);
	pairindex_release(&a->day_index);
	intern_release(&a->sites);
	intern_release(&a->pages);
	intern_release(&a->values);
	intern_release(&a->bots);
	botcount_release(&a->botcount);
	memset(a, 0, sizeof(*a));
}

/* The index of (site, day), added if new; UINT32_MAX when out of memory. */
static uint32_t find_day(struct agg *a, uint32_t site, int32_t day)
{
	uint32_t idx = pairindex_find(&a->day_index, site, (uint32_t)day);
	if (idx != PAIRINDEX_NONE)
		return idx;
	if (!GROW(a->days, a->days_cap, (size_t)a->ndays + 1, 16))
		return UINT32_MAX;
	if (pairindex_add(&a->day_index, site, (uint32_t)day, a->ndays) != LF_OK)
		return UINT32_MAX;
	idx = a->ndays++;
	a->days[idx] = (struct agg_day){ .site = site, .day = day, .end = INT64_MIN };
	return idx;
}

/*
 * A record's time: true (UTC) seconds, so that visits and time on page
 * measure real time even across a DST change within a local day, counted
 * from RECORD_TIME_BIAS before the local midnight in UTC terms. Offsets are
 * at most +-14 h (the parsers refuse wider), so every time of a local day
 * fits in [0, 52 h] and a uint32_t.
 */
#define RECORD_TIME_BIAS (14 * 3600)

static uint32_t record_time(const struct hit *h)
{
	int64_t t = h->time - (int64_t)h->day * 86400 + RECORD_TIME_BIAS;
	return t < 0 ? 0 : (uint32_t)t;
}

/* agg_int.h. Which records are packed when changes no result:
 * agg_build_day unpacks them in the order they came (daybuild.c). */
void agg_pack_day(const struct agg *a, struct agg_day *d)
{
	if (d->emitted || d->pv.n < AGG_PACK_MIN || d->pv.n < d->packed.n / 4 ||
	    d->end == INT64_MIN || d->end + (int64_t)a->cfg.grace + AGG_PACK_MARGIN > a->clock)
		return;
	if (recpack_add(&d->packed, d->pv.p, d->pv.n, a->stride, rec_nvals(a)) != LF_OK)
		return;
	free(d->pv.p);
	d->pv = (struct recbuf){ 0 };
}

static void pack_days(struct agg *a)
{
	for (uint32_t i = 0; i < a->ndays; i++)
		agg_pack_day(a, &a->days[i]);
}

/* A new record of stride bytes at the end of b; NULL when out of memory.
 * Room for 8 at first: a log of many sites holds many days of a few
 * pageviews (3000 sites, 30 000 days: 256 at first took 120 MB). */
static struct agg_pv *append(struct recbuf *b, size_t stride)
{
	if (!GROW_SIZE(b->p, b->cap, b->n + 1, stride, 8))
		return NULL;
	return (struct agg_pv *)(void *)(b->p + b->n++ * stride);
}

/* Day d is about to change: its records back from the ahead helper if it
 * has them, and what was written ahead is not the day any more. */
static void day_changes(struct agg *a, struct agg_day *d)
{
	if (d->away)
		agg_ahead_take_back(a);
	d->ahead_same = false;
}

/* The day of pageview or event h, its end and the clock moved. */
static enum lf_status day_for(struct agg *a, const struct hit *h, struct agg_day **day)
{
	uint32_t site;
	enum lf_status st;
	struct agg_day *d = a->last_day ? &a->days[a->last_day - 1] : NULL;
	if (d && slice_eq(intern_get(&a->sites, d->site), h->site))
		site = d->site; /* the site of the hit before, as nearly always */
	else if ((st = intern_put(&a->sites, h->site, &site)) != LF_OK)
		return st;
	if (!d || d->site != site || d->day != h->day) {
		uint32_t idx = find_day(a, site, h->day);
		if (idx == UINT32_MAX)
			return LF_ERR_NOMEM;
		a->last_day = idx + 1;
		d = &a->days[idx];
	}
	int64_t end = h->time + (86400 - (int64_t)h->sec_of_day);
	/* the latest, should the offset change within the day; a robot's
	 * guess is no end: had the pageview come first, it would be this */
	if (end > d->end || d->end_guessed) {
		d->end = end;
		d->end_guessed = false;
		agg_ahead_note(a, d);
	}
	agg_see_time(a, h->time);
	day_changes(a, d);
	*day = d;
	return LF_OK;
}

/* The day of h, with its site and page ids. */
static enum lf_status day_of(struct agg *a, const struct hit *h, struct agg_day **day,
			     uint32_t *page)
{
	enum lf_status st = intern_put(&a->pages, h->page, page);
	return st == LF_OK ? day_for(a, h, day) : st;
}

/* The day of robot request h, made if new. A robot request gives no time:
 * its day ends at the latest the local day can end (offsets reach -14 h),
 * so that a day of robots only never closes early. A pageview of the day,
 * before or after, sets the end (end_guessed). */
static enum lf_status bot_day(struct agg *a, const struct hit *h, uint32_t *idx)
{
	uint32_t site;
	enum lf_status st = intern_put(&a->sites, h->site, &site);
	if (st != LF_OK)
		return st;
	if ((*idx = find_day(a, site, h->day)) == UINT32_MAX)
		return LF_ERR_NOMEM;
	struct agg_day *d = &a->days[*idx];
	if (d->end == INT64_MIN) {
		d->end = ((int64_t)h->day + 1) * 86400 + 14 * 3600;
		d->end_guessed = true;
		agg_ahead_note(a, d);
	}
	day_changes(a, d);
	return LF_OK;
}

enum lf_status agg_touch(struct agg *a, const struct hit *h, bool bot)
{
	struct agg_day *d;
	uint32_t idx;
	return bot ? bot_day(a, h, &idx) : day_for(a, h, &d);
}

/* A robot request has no page: its day is found by site alone. */
enum lf_status agg_add_bot(struct agg *a, const struct hit *h)
{
	uint32_t bot, idx;
	enum lf_status st;
	if ((st = intern_put(&a->bots, h->bot, &bot)) != LF_OK || (st = bot_day(a, h, &idx)) != LF_OK)
		return st;
	return botcount_add(&a->botcount, idx, bot);
}

/* A beacon event: its own record, never a pageview (events.h). Its value
 * is the id + 1 of its screen class (load) or its label (action, "" too). */
static enum lf_status add_event(struct agg *a, const struct hit *h)
{
	uint32_t page, value = 0, vals[EV_NVALS];
	struct agg_day *d;
	struct slice v = h->kind == HIT_LOAD ? h->dim[DIM_SCREEN] : h->label;
	enum lf_status st;
	if ((h->kind == HIT_ACTION || (h->kind == HIT_LOAD && v.n)) &&
	    (st = intern_put(&a->values, v, &value)) != LF_OK)
		return st;
	value += h->kind == HIT_ACTION || (h->kind == HIT_LOAD && v.n);
	if ((st = day_of(a, h, &d, &page)) != LF_OK)
		return st;
	struct agg_pv *r = append(&d->ev, events_stride());
	if (!r)
		return LF_ERR_NOMEM;
	events_fill(h, value, vals);
	*r = (struct agg_pv){ h->visitor, record_time(h), page };
	memcpy(records_values(r), vals, sizeof(vals));
	return LF_OK;
}

enum lf_status agg_add(struct agg *a, const struct hit *h)
{
	uint32_t page, vals[DIM_COUNT + 1];
	struct agg_day *d;
	enum lf_status st;
	if (h->kind == HIT_NOTHING)
		return LF_OK;
	if (h->kind != HIT_PAGEVIEW)
		return add_event(a, h);
	for (int k = 0; k < a->nslots; k++) {
		struct slice v = h->dim[a->slot_dim[k]];
		uint32_t last = a->last_value[k];
		struct agg_short *sv = NULL;
		uint64_t bytes = 0;
		vals[k] = 0;
		if (!v.n)
			continue;
		if (v.n <= sizeof(bytes)) {
			memcpy(&bytes, v.p, v.n);
			uint64_t hash = (bytes ^ v.n) * 0x9e3779b97f4a7c15ULL;
			sv = &a->short_values[k][hash >> (64 - AGG_SHORT_BITS)];
			if (sv->len == v.n && sv->bytes == bytes) {
				vals[k] = sv->id;
				continue;
			}
		} else if (last && slice_eq(intern_get(&a->values, last - 1), v)) {
			vals[k] = last;
			continue;
		}
		if ((st = intern_put(&a->values, v, &vals[k])) != LF_OK)
			return st;
		vals[k]++;
		if (sv)
			*sv = (struct agg_short){ bytes, (uint32_t)v.n, vals[k] };
		else
			a->last_value[k] = vals[k];
	}
	vals[rec_load_slot(a)] =
		h->load_ms == HIT_NO_LOAD_TIME ? 0 : load_word(h->sec_of_day / 3600, h->load_ms);
	if ((st = day_of(a, h, &d, &page)) != LF_OK)
		return st;
	struct agg_pv *r = append(&d->pv, a->stride);
	if (!r)
		return LF_ERR_NOMEM;
	*r = (struct agg_pv){ h->visitor, record_time(h), page };
	memcpy(records_values(r), vals, (size_t)rec_nvals(a) * sizeof(uint32_t));
	if (++a->pageviews % AGG_PACK_EVERY == 0)
		pack_days(a);
	return LF_OK;
}

/* Days are emitted in (site name, day) order: sort keys that need no
 * context, built from the sites ranked by name. */
struct day_key {
	uint32_t site_rank;
	int32_t day;
	uint32_t idx;
};

static int cmp_day_key(const void *x, const void *y)
{
	const struct day_key *p = x, *q = y;
	if (p->site_rank != q->site_rank)
		return p->site_rank < q->site_rank ? -1 : 1;
	return (p->day > q->day) - (p->day < q->day);
}

static struct day_key *order_days(const struct agg *a)
{
	uint32_t ns = a->sites.count;
	struct ranked_page *sites = malloc((ns ? ns : 1) * sizeof(*sites));
	uint32_t *site_rank = malloc((ns ? ns : 1) * sizeof(*site_rank));
	struct day_key *keys = malloc((a->ndays ? a->ndays : 1) * sizeof(*keys));
	if (!sites || !site_rank || !keys) {
		free(keys);
		keys = NULL;
		goto out;
	}
	for (uint32_t i = 0; i < ns; i++)
		sites[i] = (struct ranked_page){ intern_get(&a->sites, i), i };
	qsort(sites, ns, sizeof(*sites), agg_cmp_ranked);
	for (uint32_t r = 0; r < ns; r++)
		site_rank[sites[r].id] = r;
	for (uint32_t i = 0; i < a->ndays; i++)
		keys[i] = (struct day_key){ site_rank[a->days[i].site], a->days[i].day, i };
	qsort(keys, a->ndays, sizeof(*keys), cmp_day_key);
out:
	free(sites);
	free(site_rank);
	return keys;
}

/* Scratch for agg_build_day's rank_of: one per page id, all UINT32_MAX. */
uint32_t *agg_new_rank_of(const struct agg *a)
{
	uint32_t np = a->pages.count;
	uint32_t *rank_of = malloc((np ? np : 1) * sizeof(*rank_of));
	if (rank_of)
		memset(rank_of, 0xff, (size_t)np * sizeof(*rank_of));
	return rank_of;
}

/* Pass day d, built with status st into r (NULL unless OK), to emit, and
 * drop its records: done in (site, day) order on the calling thread. */
static enum lf_status emit_built(struct agg_day *d, enum lf_status st, struct day_result *r,
				 agg_emit_fn emit, void *ctx)
{
	if (st == LF_OK)
		st = emit(ctx, r);
	day_release(d);
	d->emitted = true;
	return st;
}

/* Build and emit the n days of keys one after the other, until one fails. */
static enum lf_status emit_in_turn(struct agg *a, const struct day_key *keys, uint32_t n,
				   uint32_t *rank_of, agg_emit_fn emit, void *ctx)
{
	enum lf_status st = LF_OK;
	for (uint32_t k = 0; k < n && st == LF_OK; k++) {
		struct agg_day *d = &a->days[keys[k].idx];
		struct day_result *r;
		st = agg_build_day(a, d, rank_of, false, &r);
		st = emit_built(d, st, r, emit, ctx);
	}
	return st;
}

/* The days of a parallel emit_days (inorder.h): built on the helpers, each
 * with its own rank_of, emitted on the calling thread in order. While
 * they run, the aggregator is only read (its names, robot counts, clock
 * and settings), but for the records of the day a helper builds and the
 * days the calling thread drops once emitted. */
struct day_jobs {
	struct agg *a;
	const struct day_key *keys; /* the days to emit, in order */
	uint32_t **rank_of;         /* one per helper */
	agg_emit_fn emit;
	void *ctx;
};

static enum lf_status day_work(void *ctx, unsigned h, size_t i, void **result)
{
	struct day_jobs *j = ctx;
	struct day_result *r;
	enum lf_status st =
		agg_build_day(j->a, &j->a->days[j->keys[i].idx], j->rank_of[h], true, &r);
	*result = r;
	return st;
}

static enum lf_status day_take(void *ctx, size_t i, enum lf_status st, void *result)
{
	struct day_jobs *j = ctx;
	return emit_built(&j->a->days[j->keys[i].idx], st, result, j->emit, j->ctx);
}

/* A day built ahead of a failure stays held, its records as they were
 * (agg_build_day's keep), as if it had never been built. */
static void day_drop(void *ctx, size_t i, enum lf_status st, void *result)
{
	agg_day_free(result);
}

/* emit_in_turn on up to cfg.threads helpers, rank_of the first's scratch;
 * *ran false when none could start (the caller then runs emit_in_turn). */
static enum lf_status emit_parallel(struct agg *a, const struct day_key *keys, uint32_t n,
				    uint32_t *rank_of, agg_emit_fn emit, void *ctx, bool *ran)
{
	unsigned t = a->cfg.threads < n ? a->cfg.threads : n, h = 1;
	struct day_jobs j = { a, keys, calloc(t, sizeof(*j.rank_of)), emit, ctx };
	enum lf_status st = LF_ERR_NOMEM;
	*ran = false;
	if (!j.rank_of)
		return st;
	j.rank_of[0] = rank_of;
	while (h < t && (j.rank_of[h] = agg_new_rank_of(a)) != NULL)
		h++; /* short of memory: fewer helpers */
	/* at most 2 days built ahead per helper: enough that none waits for
	 * another's longer day, few enough that memory holds only a handful
	 * of days' results beyond the sequential path's */
	struct inorder job = { n, h, 2 * (size_t)h, day_work, day_take, day_drop, &j };
	st = inorder_run(&job, ran);
	for (unsigned k = 1; k < h; k++)
		free(j.rank_of[k]);
	free(j.rank_of);
	return st;
}

/*
 * Compute, emit and drop every day that is closed by horizon (all days
 * with every), in (site, day) order; the others stay, re-indexed. With
 * cfg.threads of 2 or more and 2 days or more, the days are built on
 * helper threads and emitted here, in the same order, with the same
 * result: on a failure, the days after it stay held as they were.
 */
static enum lf_status emit_days(struct agg *a, int64_t horizon, bool every, agg_emit_fn emit,
				void *ctx)
{
	enum lf_status st = LF_ERR_NOMEM;
	agg_ahead_take_back(a); /* its records first */
	uint32_t *rank_of = agg_new_rank_of(a);
	struct day_key *keys = order_days(a);
	uint32_t n = 0;
	bool ran = false;
	if (!rank_of || !keys)
		goto out;
	for (uint32_t k = 0; k < a->ndays; k++) { /* keep the days to emit, in order */
		const struct agg_day *d = &a->days[keys[k].idx];
		if (!d->emitted && (every || is_closed(a, d, horizon)))
			keys[n++] = keys[k];
	}
	if (n >= 2 && a->cfg.threads >= 2)
		st = emit_parallel(a, keys, n, rank_of, emit, ctx, &ran);
	if (!ran)
		st = emit_in_turn(a, keys, n, rank_of, emit, ctx);
	/* An emitted day keeps its (empty) place until the end: robot counts
	 * are kept by day index, and the caller refuses later lines for it.
	 * After a failed emit the days after it are dropped here unemitted. */
	if (every) {
		for (uint32_t i = 0; i < a->ndays; i++)
			day_release(&a->days[i]);
		a->ndays = 0;
		a->last_day = 0;
		a->ahead_head = a->ahead_n = 0; /* no day left to write ahead */
		a->ahead_at = a->ahead_next = INT64_MAX;
		botcount_clear(&a->botcount);
		pairindex_clear(&a->day_index);
	}
out:
	free(rank_of);
	free(keys);
	return st;
}

enum lf_status agg_flush_closed(struct agg *a, int64_t horizon, agg_emit_fn emit, void *ctx)
{
	bool any = false;
	for (uint32_t i = 0; i < a->ndays && !any; i++)
		any = !a->days[i].emitted && is_closed(a, &a->days[i], horizon);
	return any ? emit_days(a, horizon, false, emit, ctx) : LF_OK;
}

size_t agg_packed(const struct agg *a, size_t *bytes)
{
	size_t n = 0;
	*bytes = 0;
	for (uint32_t i = 0; i < a->ndays; i++) {
		n += a->days[i].packed.n;
		*bytes += a->days[i].packed.bytes;
	}
	return n;
}

enum lf_status agg_finish(struct agg *a, agg_emit_fn emit, void *ctx)
{
	return emit_days(a, a->clock, true, emit, ctx);
}
