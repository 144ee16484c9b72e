/*
 * load.c - the load-time buckets and the percentile estimate (load.h says
 * why these bounds and which interpolation).
 */
#include "load.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../common/grow.h"
#include "breakdown.h"
#include "tables.h"

const uint32_t load_bounds[LOAD_NBUCKETS - 1] = { 10,   25,   50,   100,   250,   500,
						  1000, 2500, 5000, 10000, 25000, 60000 };

int load_bucket(uint32_t ms)
{
	int i = 0;
	while (i < LOAD_NBUCKETS - 1 && ms > load_bounds[i])
		i++;
	return i;
}

static uint64_t min_u64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

uint64_t load_percentile(const uint64_t buckets[LOAD_NBUCKETS], uint64_t max_ms, int q)
{
	uint64_t n = 0, below = 0;
	for (int i = 0; i < LOAD_NBUCKETS; i++)
		n += buckets[i];
	if (n == 0)
		return 0;
	if (n == 1)
		return max_ms; /* a percentile of one sample is the sample */
	double r = (double)(n * (uint64_t)q) / 100.0;
	int i = 0;
	while (i < LOAD_NBUCKETS - 1 && (double)(below + buckets[i]) < r)
		below += buckets[i++];
	uint64_t lo = min_u64(i ? load_bounds[i - 1] : 0, max_ms);
	uint64_t hi = min_u64(i < LOAD_NBUCKETS - 1 ? load_bounds[i] : max_ms, max_ms);
	double x = (double)lo + (double)(hi - lo) * ((r - (double)below) / (double)buckets[i]);
	return (uint64_t)floor(x + 0.5);
}

/* A new sample at the end of t's samples; NULL when out of memory. */
static struct smallcell_item *new_sample(struct load_table *t)
{
	if (!GROW(t->samples, t->samples_cap, t->nsamples + 1, 64))
		return NULL;
	return &t->samples[t->nsamples];
}

enum lf_status load_add(struct load_table *t, uint32_t page, uint32_t hour, uint32_t ms,
			uint64_t visitor)
{
	struct smallcell_item *sample = new_sample(t);
	if (!sample)
		return LF_ERR_NOMEM;
	uint32_t i = pairindex_find(&t->index, page, hour);
	if (i == PAIRINDEX_NONE) {
		if (!GROW(t->cells, t->cap, (size_t)t->n + 1, 32))
			return LF_ERR_NOMEM;
		if (pairindex_add(&t->index, page, hour, t->n) != LF_OK)
			return LF_ERR_NOMEM;
		i = t->n++;
		t->cells[i] = (struct load_cell){ .page = page, .hour = hour };
	}
	struct load_cell *c = &t->cells[i];
	c->n++;
	c->sum_ms += ms;
	if (ms > c->max_ms)
		c->max_ms = ms;
	c->buckets[load_bucket(ms)]++;
	*sample = (struct smallcell_item){ visitor, i };
	t->nsamples++;
	return LF_OK;
}

enum lf_status load_add_words(struct load_table *t, const struct records *rs, int slot)
{
	for (size_t i = 0; i < rs->n; i++) {
		uint32_t w = records_values_at(rs, i)[slot];
		const struct agg_pv *r = records_at(rs, i);
		if (w &&
		    load_add(t, r->page, load_word_hour(w), load_word_ms(w), r->visitor) != LF_OK)
			return LF_ERR_NOMEM;
	}
	return LF_OK;
}

/* The hour of a page's (other) hour cell, past every real hour. */
#define HOUR_OTHER 24

/* A cell that goes out: one of a table's, or a page's (other) hour. */
struct out_cell {
	struct load_cell c; /* c.hour HOUR_OTHER for an (other) hour */
	uint32_t visitors, source;
};

/* Rows emitted so far, growing. */
struct cells_out {
	struct out_cell *v;
	size_t n, cap;
};

static bool push_cell(struct cells_out *o, struct out_cell c)
{
	if (!GROW(o->v, o->cap, o->n + 1, 64))
		return false;
	o->v[o->n++] = c;
	return true;
}

/* Add the counts of cell b into a (an (other) hour). */
static void fold_into(struct load_cell *a, const struct load_cell *b)
{
	a->n += b->n;
	a->sum_ms += b->sum_ms;
	if (b->max_ms > a->max_ms)
		a->max_ms = b->max_ms;
	for (int i = 0; i < LOAD_NBUCKETS; i++)
		a->buckets[i] += b->buckets[i];
}

/* ---- a shard's sets (shardsets.h): the hours of each page and source ---- */

/* What load_hourly's groups (a page and source) and values (hours) are
 * called, for shardsets_add. */
struct sets_ctx {
	const struct breakdown_names *names;
	const char *source;
};

static void sets_group(const void *ctx, uint32_t g, struct slice *page, struct slice *part)
{
	const struct sets_ctx *c = ctx;
	*page = c->names->rows[g].page; /* a group is a page */
	*part = slice_cstr(c->source);
}

static struct slice sets_member(const void *ctx, uint32_t hour)
{
	static const char digits[] = "0001020304050607080910111213141516171819202122232425";
	return slice_make(digits + 2 * hour, 2); /* "00" .. "23" */
}

/* Each visitor's hours of a page (and source) seen by fewer than K
 * visitors here: the hours the merge may fold (the samples are grouped by
 * visitor, the cells counted). */
static enum lf_status load_sets(const struct load_table *t, const struct smallcell *sc,
				const struct breakdown_names *names, const char *source,
				struct shardsets *sets)
{
	struct shardsets_item *items = malloc((t->nsamples + 1) * sizeof(*items));
	size_t n = 0;
	if (!items)
		return LF_ERR_NOMEM;
	for (size_t i = 0; i < t->nsamples; i++) {
		const struct load_cell *c = &t->cells[t->samples[i].cell];
		if (!smallcell_published(sc->visitors[t->samples[i].cell], sets->k))
			items[n++] =
				(struct shardsets_item){ t->samples[i].visitor, c->page, c->hour };
	}
	struct sets_ctx ctx = { names, source };
	struct shardsets_names sn = { "load_hourly", sets_group, sets_member, &ctx };
	enum lf_status st = shardsets_add(sets, items, n, &sn);
	free(items);
	return st;
}

/* The source column's value of each table of load_rows, in order. */
static const char *const source_names[LOAD_NSOURCES] = { LOAD_SOURCE_SERVER, LOAD_SOURCE_CLIENT };

/* The cells of one source that go out: those of K visitors or more, and
 * each page's (other) hour of K visitors or more. A page's cells are a
 * group of the small-cell rule, numbered by the page's rank. */
static enum lf_status source_cells(struct load_table *t, uint32_t src,
				   const struct breakdown_names *names, uint32_t k,
				   struct shardsets *sets, struct cells_out *o)
{
	struct smallcell sc = { 0 };
	uint32_t ngroups = 0;
	uint32_t *group = malloc((t->n ? t->n : 1) * sizeof(*group));
	struct out_cell *other = NULL;
	enum lf_status st = LF_ERR_NOMEM;
	if (!group)
		goto out;
	for (uint32_t c = 0; c < t->n; c++) {
		group[c] = t->cells[c].page;
		if (group[c] >= ngroups)
			ngroups = group[c] + 1;
	}
	if (smallcell_init(&sc, t->n, ngroups) != LF_OK ||
	    !(other = calloc(ngroups ? ngroups : 1, sizeof(*other))))
		goto out;
	smallcell_apply(&sc, t->samples, t->nsamples, group, k);
	st = sets ? load_sets(t, &sc, names, source_names[src], sets) : LF_OK;
	for (uint32_t c = 0; c < t->n && st == LF_OK; c++) {
		if (sc.folded[c])
			fold_into(&other[group[c]].c, &t->cells[c]);
		else if (!push_cell(o, (struct out_cell){ t->cells[c], sc.visitors[c], src }))
			st = LF_ERR_NOMEM;
	}
	for (uint32_t g = 0; g < ngroups && st == LF_OK; g++) {
		if (!sc.other_visitors[g] || !smallcell_published(sc.other_visitors[g], k))
			continue;
		struct out_cell *x = &other[g];
		x->c.page = g;
		x->c.hour = HOUR_OTHER;
		x->visitors = sc.other_visitors[g];
		x->source = src;
		if (!push_cell(o, *x))
			st = LF_ERR_NOMEM;
	}
out:
	smallcell_release(&sc);
	free(group);
	free(other);
	return st;
}

/* The order of load_hourly's rows: hour text (the (other) hour,
 * "T(other)", sorts before "T00"), page, source. */
static int cmp_out(const void *x, const void *y)
{
	const struct out_cell *a = x, *b = y;
	uint32_t ha = (a->c.hour + 1) % (HOUR_OTHER + 1), hb = (b->c.hour + 1) % (HOUR_OTHER + 1);
	if (ha != hb)
		return ha < hb ? -1 : 1;
	if (a->c.page != b->c.page) /* ranks, in name order */
		return a->c.page < b->c.page ? -1 : 1;
	return (a->source > b->source) - (a->source < b->source);
}

/* "YYYY-MM-DDTHH" (hour 0..23) or "YYYY-MM-DDT(other)", without
 * snprintf's cost per row. */
static void hour_text(const char day[11], uint32_t hour, char out[LOAD_HOUR_MAX])
{
	memcpy(out, day, 10);
	if (hour == HOUR_OTHER) {
		memcpy(out + 10, LOAD_HOUR_OTHER, sizeof(LOAD_HOUR_OTHER));
		return;
	}
	out[10] = 'T';
	out[11] = (char)('0' + hour / 10);
	out[12] = (char)('0' + hour % 10);
	out[13] = '\0';
}

enum lf_status load_rows(struct load_table t[LOAD_NSOURCES], const struct breakdown_names *names,
			 const char day[11], uint32_t min_visitors, struct shardsets *sets,
			 struct load_row **out, size_t *n)
{
	struct cells_out o = { NULL, 0, 0 };
	*out = NULL;
	*n = 0;
	for (uint32_t src = 0; src < LOAD_NSOURCES; src++)
		if (t[src].n &&
		    source_cells(&t[src], src, names, min_visitors, sets, &o) != LF_OK) {
			free(o.v);
			return LF_ERR_NOMEM;
		}
	if (o.n == 0) {
		free(o.v);
		return LF_OK;
	}
	struct load_row *rows = malloc(o.n * sizeof(*rows));
	if (!rows) {
		free(o.v);
		return LF_ERR_NOMEM;
	}
	qsort(o.v, o.n, sizeof(*o.v), cmp_out);
	for (size_t i = 0; i < o.n; i++) {
		const struct out_cell *c = &o.v[i];
		struct load_row *r = &rows[i];
		*r = (struct load_row){ .page = names->rows[c->c.page].page,
					.source = source_names[c->source],
					.n = c->c.n,
					.sum_ms = c->c.sum_ms,
					.max_ms = c->c.max_ms,
					.visitors = c->visitors };
		hour_text(day, c->c.hour, r->hour);
		for (int b = 0; b < LOAD_NBUCKETS; b++)
			r->buckets[b] = c->c.buckets[b];
	}
	free(o.v);
	*out = rows;
	*n = o.n;
	return LF_OK;
}

void load_release(struct load_table *t)
{
	free(t->cells);
	free(t->samples);
	pairindex_release(&t->index);
	memset(t, 0, sizeof(*t));
}
