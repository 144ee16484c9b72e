/*
 * daybuild.c - a day's tables from its records (agg_int.h, agg_build_day):
 *
 *  1. the day's distinct pages are sorted by name and numbered (a rank), so
 *     rows come out in page order and ties break the same on every run;
 *  2. records are sorted by (visitor, second, page rank);
 *  3. one pass over each visitor's records splits sessions at gaps larger
 *     than the timeout and counts, with "stamps" per page (the number of the
 *     last visitor and session that touched it), distinct visitors and
 *     visits without any per-visitor set.
 *
 * A packed day's records are decoded first, in front of the others.
 */
#include "agg_int.h"

#include <stdlib.h>
#include <string.h>

#include "../common/civil.h"
#include "../common/grow.h"
#include "breakdown.h"
#include "events.h"
#include "load.h"
#include "recsort.h"

/*
 * All of d's pageview records as one array, into *b (empty on entry; the
 * caller frees b->p): the packed ones decoded, then the others, which came
 * after them. recpack keeps equal keys in the order they were added, so
 * records of equal (visitor, second, page) stand in the order they came,
 * as if never packed, and the day's stable sort gives the order it would
 * have. d is only read. LF_ERR_NOMEM when b cannot be had.
 */
static enum lf_status unpack_day(const struct agg *a, const struct agg_day *d, struct recbuf *b)
{
	size_t n = d->packed.n + d->pv.n;
	if (!GROW_SIZE(b->p, b->cap, n, a->stride, n))
		return LF_ERR_NOMEM;
	recpack_decode(&d->packed, b->p, a->stride, rec_nvals(a));
	if (d->pv.n)
		memcpy(b->p + d->packed.n * a->stride, d->pv.p, d->pv.n * a->stride);
	b->n = n;
	return LF_OK;
}

int agg_cmp_ranked(const void *x, const void *y)
{
	return slice_cmp(((const struct ranked_page *)x)->name,
			 ((const struct ranked_page *)y)->name);
}

/* Add the pages of b's records that rank_of does not know yet to pages. */
static void collect_pages(const struct agg *a, const struct recbuf *b, size_t stride,
			  uint32_t *rank_of, struct ranked_page *pages, uint32_t *np)
{
	for (size_t i = 0; i < b->n; i++) {
		uint32_t id = ((const struct agg_pv *)(const void *)(b->p + i * stride))->page;
		if (rank_of[id] == UINT32_MAX) {
			rank_of[id] = *np;
			pages[(*np)++] = (struct ranked_page){ intern_get(&a->pages, id), id };
		}
	}
}

static void apply_ranks(struct recbuf *b, size_t stride, const uint32_t *rank_of)
{
	for (size_t i = 0; i < b->n; i++) {
		struct agg_pv *r = (struct agg_pv *)(void *)(b->p + i * stride);
		r->page = rank_of[r->page];
	}
}

/*
 * Replace each record's page id (the pageviews pv, d's events) by the
 * page's rank among the day's pages in name order, and fill
 * rows[rank].page. rank_of
 * is scratch indexed by page id, all UINT32_MAX on entry and on return.
 * Returns the number of pages.
 */
static uint32_t rank_pages(const struct agg *a, struct recbuf *pv, struct agg_day *d,
			   uint32_t *rank_of, struct ranked_page *pages,
			   struct page_daily_row *rows)
{
	uint32_t np = 0;
	collect_pages(a, pv, a->stride, rank_of, pages, &np);
	collect_pages(a, &d->ev, events_stride(), rank_of, pages, &np);
	qsort(pages, np, sizeof(*pages), agg_cmp_ranked);
	for (uint32_t r = 0; r < np; r++) {
		rank_of[pages[r].id] = r;
		rows[r] = (struct page_daily_row){ .page = pages[r].name };
	}
	apply_ranks(pv, a->stride, rank_of);
	apply_ranks(&d->ev, events_stride(), rank_of);
	for (uint32_t r = 0; r < np; r++)
		rank_of[pages[r].id] = UINT32_MAX;
	return np;
}

/* Per-page stamps: the last visitor and session (numbered from 1) counted. */
struct stamps {
	uint32_t *visitor;
	uint32_t *session;
	uint32_t vseq, sseq;
};

static void count_view(struct page_daily_row *row, uint32_t page, struct stamps *st)
{
	row->pageviews++;
	if (st->visitor[page] != st->vseq) {
		st->visitor[page] = st->vseq;
		row->visitors++;
	}
	if (st->session[page] != st->sseq) {
		st->session[page] = st->sseq;
		row->visits++;
	}
}

/* Count the records [i, end) of recs, one visitor's, sorted by time, into
 * the pages' rows and the site's: one visitor, each visit once. */
static void count_visitor(const struct agg *a, const struct recbuf *recs, size_t i, size_t end,
			  struct page_daily_row *rows, struct site_daily_row *site,
			  struct stamps *st)
{
	st->vseq++;
	site->visitors++;
	site->pageviews += end - i;
	size_t start = i;
	for (size_t k = i; k < end; k++) {
		const struct agg_pv *pv = rec_at(a, recs, k);
		struct page_daily_row *row = &rows[pv->page];
		if (k == start) {
			st->sseq++;
			row->entrances++;
			site->visits++;
		}
		count_view(row, pv->page, st);
		const struct agg_pv *next = k + 1 < end ? rec_at(a, recs, k + 1) : NULL;
		if (next && next->sec - pv->sec <= a->cfg.session_timeout) {
			row->time_on_page_s += next->sec - pv->sec;
			row->time_on_page_n++;
			site->time_on_page_s += next->sec - pv->sec;
			site->time_on_page_n++;
			continue;
		}
		row->exits++;
		if (k == start) {
			row->bounces++;
			site->bounces++;
		}
		start = k + 1;
	}
}

/* The screen rows join the pageviews' breakdown rows, in one order. */
static enum lf_status merge_screen(struct breakdown_row **bd, size_t *n,
				   const struct breakdown_row *screen, size_t nscreen)
{
	if (!nscreen)
		return LF_OK;
	size_t cap = *n; /* the rows are exactly *n, allocated or NULL */
	if (!GROW(*bd, cap, *n + nscreen, nscreen))
		return LF_ERR_NOMEM;
	memcpy(*bd + *n, screen, nscreen * sizeof(**bd));
	*n += nscreen;
	breakdown_sort(*bd, *n);
	return LF_OK;
}

/* Keep the page_daily rows of pages that had pageviews (a page may have
 * only beacon events that day), in place and in order. */
static size_t viewed_pages(struct page_daily_row *rows, size_t n)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (rows[i].pageviews)
			rows[k++] = rows[i];
	return k;
}

/* A day_result with the arrays it points to, as emit gets it: d first, so
 * that agg_day_free can find the rest. */
struct owned_day {
	struct day_result d;
	struct page_daily_row *rows;
	struct breakdown_row *breakdown;
	struct breakdown_row *site_breakdown;
	struct load_row *load;
	struct events_result ev;
	struct bot_row *bots;
	struct shardsets sets; /* a shard's run only; all zero otherwise */
};

void agg_day_free(struct day_result *d)
{
	struct owned_day *o = (struct owned_day *)d;
	if (!o)
		return;
	free(o->rows);
	free(o->breakdown);
	free(o->site_breakdown);
	free(o->load);
	events_result_free(&o->ev);
	free(o->bots);
	shardsets_release(&o->sets);
	free(o);
}

/* Put back the page ids rank_pages replaced: pages[rank].id. */
static void restore_ids(struct recbuf *b, size_t stride, const struct ranked_page *pages)
{
	for (size_t i = 0; i < b->n; i++) {
		struct agg_pv *r = (struct agg_pv *)(void *)(b->p + i * stride);
		r->page = pages[r->page].id;
	}
}

static enum lf_status day_tables(const struct agg *a, struct agg_day *d, const struct recbuf *recs,
				 struct owned_day *o, uint32_t np);

/* Count the records of recs, ranked and sorted, visitor by visitor. */
static void count_visitors(const struct agg *a, const struct recbuf *recs,
			   struct page_daily_row *rows, struct site_daily_row *site,
			   struct stamps *st)
{
	for (size_t i = 0, j; i < recs->n; i = j) {
		uint64_t v = rec_at(a, recs, i)->visitor;
		for (j = i + 1; j < recs->n && rec_at(a, recs, j)->visitor == v; j++)
			;
		count_visitor(a, recs, i, j, rows, site, st);
	}
}

/* What a day_result of d says of itself, rows aside. */
static struct day_result day_head(const struct agg *a, const struct agg_day *d)
{
	struct day_result r = { .site = intern_get(&a->sites, d->site),
				.closed = a->cfg.close_all || is_closed(a, d, a->clock),
				.ahead = d->ahead_same,
				.again = d->ahead_written && !d->ahead_same };
	day_format(d->day, r.day);
	return r;
}

/* agg_int.h */
enum lf_status agg_build_day(const struct agg *a, struct agg_day *d, uint32_t *rank_of, bool keep,
			     struct day_result **out)
{
	if (d->ahead_same) { /* written ahead as it is: nothing to compute */
		struct owned_day *o = calloc(1, sizeof(*o));
		if (o)
			o->d = day_head(a, d);
		*out = o ? &o->d : NULL;
		return o ? LF_OK : LF_ERR_NOMEM;
	}
	enum lf_status status = LF_ERR_NOMEM;
	bool ranked = false; /* the records' page ids replaced by ranks */
	struct recbuf unpacked = { 0 }, *recs = d->packed.n ? &unpacked : &d->pv;
	*out = NULL;
	if (recs == &unpacked && unpack_day(a, d, &unpacked) != LF_OK)
		return LF_ERR_NOMEM;
	/* distinct pages: at most the records, and at most the pages seen (a
	 * day's scratch sized by its records would grow the heap over a long
	 * backfill: see make bench-backfill) */
	size_t max = recs->n + d->ev.n;
	if (max > a->pages.count)
		max = a->pages.count;
	struct owned_day *o = calloc(1, sizeof(*o));
	struct ranked_page *pages = malloc((max ? max : 1) * sizeof(*pages));
	struct stamps st = { calloc(max ? max : 1, sizeof(uint32_t)),
			     calloc(max ? max : 1, sizeof(uint32_t)), 0, 0 };
	if (!o || !pages || !st.visitor || !st.session)
		goto out;
	struct day_result *r = &o->d;
	*r = day_head(a, d);
	r->rows = o->rows = malloc((max ? max : 1) * sizeof(*o->rows));
	if (!o->rows)
		goto out;
	ranked = true; /* rank_pages cannot fail */
	uint32_t np = rank_pages(a, recs, d, rank_of, pages, o->rows);
	/* a day of beacon events only has no pageview array; no scratch for
	 * the sort fails the day as any allocation here does (LF_ERR_NOMEM) */
	if (recs->n && records_sort(recs->p, recs->n, a->stride) != LF_OK)
		goto out;
	count_visitors(a, recs, o->rows, &r->site_total, &st);
	status = day_tables(a, d, recs, o, np);
out:
	if (keep && ranked) { /* unpacked scratch is dropped, d's own kept */
		if (recs == &d->pv)
			restore_ids(recs, a->stride, pages);
		restore_ids(&d->ev, events_stride(), pages);
	}
	free(unpacked.p);
	if (status != LF_OK) {
		agg_day_free(o ? &o->d : NULL);
		o = NULL;
	}
	*out = o ? &o->d : NULL;
	free(pages);
	free(st.visitor);
	free(st.session);
	return status;
}

/* load_hourly of day d into o, from its pageviews pv (ranked: names gives
 * their pages) and its events: the server's times from the pageviews'
 * load words, the browser's from the load events; cells of fewer than fold
 * visitors folded. */
static enum lf_status day_load(const struct agg *a, const struct agg_day *d,
			       const struct records *pv, const struct breakdown_names *names,
			       uint32_t fold, struct shardsets *sets, struct owned_day *o)
{
	struct load_table t[LOAD_NSOURCES] = { 0 };
	enum lf_status st = load_add_words(&t[LOAD_SERVER], pv, rec_load_slot(a));
	if (st == LF_OK)
		st = events_load_times(d->ev.p, d->ev.n, &t[LOAD_CLIENT]);
	if (st == LF_OK)
		st = load_rows(t, names, o->d.day, fold, sets, &o->load, &o->d.nload);
	o->d.load = o->load;
	for (int src = 0; src < LOAD_NSOURCES; src++)
		load_release(&t[src]);
	return st;
}

/* The tables of day d past page_daily, from its pageviews pv (ranked and
 * sorted) and its events, into o (r = &o->d); np pages. */
static enum lf_status day_tables(const struct agg *a, struct agg_day *d, const struct recbuf *pv,
				 struct owned_day *o, uint32_t np)
{
	struct day_result *r = &o->d;
	struct records recs = { pv->p, pv->n, a->stride, a->nslots, a->slot_dim };
	struct breakdown_names names = { o->rows, &a->values };
	/* A shard writes its cells unfolded and keeps the sets the merge
	 * folds them by (shardsets.h). */
	uint32_t fold = a->cfg.partial ? 1 : a->cfg.min_visitors;
	struct shardsets *sets = a->cfg.partial ? &o->sets : NULL;
	if (sets)
		shardsets_init(sets, a->cfg.min_visitors);
	struct breakdown_sets page_sets = { sets, "breakdown_daily", dimension_names };
	struct breakdown_sets site_sets = { sets, "site_breakdown_daily", dimension_names };
	if (a->nslots && (breakdown_compute(&recs, &names, fold, sets ? &page_sets : NULL,
					    &o->breakdown, &r->nbreakdown) != LF_OK ||
			  breakdown_compute_site(&recs, &names, fold, sets ? &site_sets : NULL,
						 &o->site_breakdown, &r->nsite_breakdown) != LF_OK))
		return LF_ERR_NOMEM;
	if (events_compute(d->ev.p, d->ev.n, np, &names, fold, a->cfg.session_timeout, sets,
			   &o->ev) != LF_OK ||
	    merge_screen(&o->breakdown, &r->nbreakdown, o->ev.screen, o->ev.nscreen) != LF_OK ||
	    merge_screen(&o->site_breakdown, &r->nsite_breakdown, o->ev.site_screen,
			 o->ev.nsite_screen) != LF_OK)
		return LF_ERR_NOMEM;
	r->breakdown = o->breakdown;
	r->site_breakdown = o->site_breakdown;
	r->engagement = o->ev.engagement;
	r->nengagement = o->ev.nengagement;
	r->actions = o->ev.actions;
	r->nactions = o->ev.nactions;
	if (day_load(a, d, &recs, &names, fold, sets, o) != LF_OK)
		return LF_ERR_NOMEM;
	r->nrows = viewed_pages(o->rows, np); /* after day_load: it names pages by rank */
	if (botcount_rows(&a->botcount, (uint32_t)(d - a->days), &a->bots, &o->bots, &r->nbots) !=
	    LF_OK)
		return LF_ERR_NOMEM;
	r->bots = o->bots;
	r->sets = o->sets.rows;
	r->nsets = o->sets.n;
	return LF_OK;
}
