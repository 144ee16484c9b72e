/*
 * breakdown.c - counting (page, slot, value) cells page by page.
 *
 * The day's records are sorted by visitor. A stable counting sort of their
 * indices by page rank (one pass, O(records + pages)) turns that into
 * (page, visitor, time) order without moving a record; each page is then
 * counted on its own in a small table keyed by (slot, value) that stays in
 * cache, instead of one day-wide table touched at random:
 *   1. every cell: pageviews, and distinct visitors by stamping each cell
 *      with the number of the last visitor counted;
 *   2. only when some cell has fewer than K visitors (or is a value that
 *      reads "(other)" already: an internal referrer the page rules hid):
 *      the page's records again, counting the folded values into one
 *      "(other)" cell per slot, so that its visitors are distinct too; an
 *      "(other)" cell under K is then not emitted (smallcell.h: the rule).
 * The whole site (site_breakdown_daily) is counted the same way, as one
 * page made of every record, so one K rule (fold_small_cells) serves both.
 * Counts are 32-bit: one site's pageviews in one day stay far below 2^32.
 */
#include "breakdown.h"

#include <stdlib.h>
#include <string.h>

#include "../common/grow.h"
#include "smallcell.h"

struct bd_cell {
	uint32_t value;   /* value id + 1; 0 = empty cell */
	uint32_t stamp;   /* number of the last visitor counted */
	uint32_t pageviews, visitors;
	uint8_t slot;
	bool folded;
};

/* One page's cells; emptied (only the cells used) between pages. */
struct page_cells {
	struct bd_cell *c;
	uint32_t *used; /* indices of the cells in use, for the reset */
	size_t cap, n;
};

/* The "(other)" cell of each slot of the page being counted. */
struct other_cell {
	uint32_t stamp, pageviews, visitors;
};

/* Rows emitted so far, growing. */
struct rows_out {
	struct breakdown_row *v;
	size_t n, cap;
};

static size_t cell_hash(uint32_t slot, uint32_t value)
{
	return (size_t)(((uint64_t)value * 0x9e3779b97f4a7c15ULL + slot) >> 20);
}

static bool cells_init(struct page_cells *t, size_t cap)
{
	t->c = calloc(cap, sizeof(*t->c));
	t->used = malloc(cap / 2 * sizeof(*t->used));
	t->cap = cap;
	t->n = 0;
	return t->c && t->used;
}

static void cells_free(struct page_cells *t)
{
	free(t->c);
	free(t->used);
}

static void cells_reset(struct page_cells *t)
{
	for (size_t i = 0; i < t->n; i++)
		t->c[t->used[i]].value = 0;
	t->n = 0;
}

static bool cells_grow(struct page_cells *t);

static struct bd_cell *cell_add(struct page_cells *t, uint32_t slot, uint32_t value,
				struct bd_cell *c);

/* The cell of (slot, value), made if new; at most half full. NULL when the
 * table cannot grow. Valid until the next call. Inline: every value of
 * every record comes here, and most find their cell. */
static inline struct bd_cell *cell_get(struct page_cells *t, uint32_t slot, uint32_t value)
{
	size_t mask = t->cap - 1;
	for (size_t i = cell_hash(slot, value) & mask;; i = (i + 1) & mask) {
		struct bd_cell *c = &t->c[i];
		if (c->value == value && c->slot == slot)
			return c;
		if (!c->value)
			return cell_add(t, slot, value, c);
	}
}

/* A new cell for (slot, value) in the empty cell c, or in a grown table. */
static struct bd_cell *cell_add(struct page_cells *t, uint32_t slot, uint32_t value,
				struct bd_cell *c)
{
	if ((t->n + 1) * 2 > t->cap)
		return cells_grow(t) ? cell_get(t, slot, value) : NULL;
	*c = (struct bd_cell){ .value = value, .slot = (uint8_t)slot };
	t->used[t->n++] = (uint32_t)(c - t->c);
	return c;
}

static bool cells_grow(struct page_cells *t)
{
	struct page_cells g;
	if (!cells_init(&g, t->cap * 2)) {
		cells_free(&g);
		return false;
	}
	for (size_t k = 0; k < t->n; k++) {
		const struct bd_cell *o = &t->c[t->used[k]];
		struct bd_cell *c = cell_get(&g, o->slot, o->value);
		*c = *o;
	}
	cells_free(t);
	*t = g;
	return true;
}

static void count(uint32_t *stamp, uint32_t *pageviews, uint32_t *visitors, uint32_t vseq)
{
	(*pageviews)++;
	if (*stamp != vseq) {
		*stamp = vseq;
		(*visitors)++;
	}
}

/*
 * The indices of the records in (page, visitor) order: a stable counting
 * sort by page of records already in visitor order. NULL when out of
 * memory. *first[p] .. *first[p + 1] are page p's.
 */
static uint32_t *order_by_page(const struct records *rs, uint32_t **first, uint32_t *npages)
{
	uint32_t np = 0;
	for (size_t i = 0; i < rs->n; i++)
		if (records_at(rs, i)->page >= np)
			np = records_at(rs, i)->page + 1;
	uint32_t *start = calloc((size_t)np + 1, sizeof(*start));
	uint32_t *idx = malloc((rs->n ? rs->n : 1) * sizeof(*idx));
	if (!start || !idx) {
		free(start);
		free(idx);
		return NULL;
	}
	for (size_t i = 0; i < rs->n; i++)
		start[records_at(rs, i)->page + 1]++;
	for (uint32_t p = 0; p < np; p++)
		start[p + 1] += start[p];
	uint32_t *fill = malloc(((size_t)np + 1) * sizeof(*fill));
	if (!fill) {
		free(start);
		free(idx);
		return NULL;
	}
	memcpy(fill, start, ((size_t)np + 1) * sizeof(*fill));
	for (size_t i = 0; i < rs->n; i++)
		idx[fill[records_at(rs, i)->page]++] = (uint32_t)i;
	free(fill);
	*first = start;
	*npages = np;
	return idx;
}

/*
 * One walk over one page's records idx[a..b) (idx NULL: the records a..b
 * themselves, for the site as a whole), in the slots of mask slots (bit
 * per slot). Pass 1 (other == NULL) counts every value into its cell;
 * pass 2 counts the folded values into the page's "(other)" cells, in
 * the slots that have one. Visitor numbers go on across walks, so a stamp
 * never matches a visitor of another walk. False: out of memory (pass 1).
 */
static bool walk_page(const struct records *rs, const uint32_t *idx, uint32_t a, uint32_t b,
		      struct page_cells *t, struct other_cell *other, uint32_t slots,
		      uint32_t *vseq)
{
	for (uint32_t k = a; k < b; k++) {
		uint32_t i = idx ? idx[k] : k, prev = idx && k > a ? idx[k - 1] : k - 1;
		if (k == a || records_at(rs, i)->visitor != records_at(rs, prev)->visitor)
			(*vseq)++;
		const uint32_t *v = records_values_at(rs, i);
		for (int s = 0; s < rs->nslots; s++) {
			if (!v[s] || !(slots >> s & 1))
				continue;
			struct bd_cell *c = cell_get(t, (uint32_t)s, v[s]); /* pass 2: exists */
			if (!c)
				return false;
			if (!other)
				count(&c->stamp, &c->pageviews, &c->visitors, *vseq);
			else if (c->folded)
				count(&other[s].stamp, &other[s].pageviews, &other[s].visitors, *vseq);
		}
	}
	return true;
}

static bool push_row(struct rows_out *o, struct breakdown_row row)
{
	if (!GROW(o->v, o->cap, o->n + 1, 256))
		return false;
	o->v[o->n++] = row;
	return true;
}

static int cmp_rows(const void *x, const void *y)
{
	const struct breakdown_row *a = x, *b = y;
	int c = slice_cmp(a->page, b->page);
	if (c)
		return c;
	if (a->dimension != b->dimension)
		return a->dimension < b->dimension ? -1 : 1;
	return slice_cmp(a->value, b->value);
}

void breakdown_sort(struct breakdown_row *rows, size_t n)
{
	if (n > 1) /* rows may be NULL when n is 0, which qsort must not get */
		qsort(rows, n, sizeof(*rows), cmp_rows);
}

/* The rows of a page: its kept cells and its "(other)" cells of at least K
 * visitors, in order. */
static bool emit_page(const struct records *rs, const struct breakdown_names *names,
		      uint32_t min_visitors, struct slice page, const struct page_cells *t,
		      const struct other_cell *other, struct rows_out *o)
{
	size_t first = o->n;
	for (size_t k = 0; k < t->n; k++) {
		const struct bd_cell *c = &t->c[t->used[k]];
		if (!c->folded &&
		    !push_row(o, (struct breakdown_row){ page, (enum dimension)rs->slot_dim[c->slot],
							 intern_get(names->values, c->value - 1),
							 c->pageviews, c->visitors }))
			return false;
	}
	for (int s = 0; s < rs->nslots; s++)
		if (other[s].pageviews && smallcell_published(other[s].visitors, min_visitors) &&
		    !push_row(o, (struct breakdown_row){ page, (enum dimension)rs->slot_dim[s],
							 SLICE_LIT(DIM_OTHER), other[s].pageviews,
							 other[s].visitors }))
			return false;
	breakdown_sort(o->v + first, o->n - first);
	return true;
}

/*
 * The K rule (smallcell_published decides) for every breakdown: mark
 * folded the cells of one page (or of the whole site) seen by fewer than
 * min_visitors visitors, and any value that reads "(other)" already.
 * breakdown_daily, site_breakdown_daily, the screen rows and action_daily
 * all come through do_page and so through this one function. Returns
 * the slots (bit per slot) with a folded cell: 0 when none folds.
 */
static uint32_t fold_small_cells(struct page_cells *t, const struct breakdown_names *names,
				 uint32_t min_visitors)
{
	uint32_t slots = 0;
	for (size_t k = 0; k < t->n; k++) {
		struct bd_cell *c = &t->c[t->used[k]];
		if (!smallcell_published(c->visitors, min_visitors) ||
		    slice_eq_cstr(intern_get(names->values, c->value - 1), DIM_OTHER)) {
			c->folded = true;
			slots |= 1u << c->slot;
		}
	}
	return slots;
}

/* ---- a shard's sets (shardsets.h) ---------------------------------------- */

/* What a page's groups and values are called, for shardsets_add. */
struct sets_ctx {
	const struct records *rs;
	const struct breakdown_names *names;
	const struct breakdown_sets *sets;
	struct slice page;
};

static void sets_group(const void *ctx, uint32_t slot, struct slice *page, struct slice *part)
{
	const struct sets_ctx *c = ctx;
	*page = c->page;
	*part = slice_cstr(c->sets->part_names[c->rs->slot_dim[slot]]);
}

static struct slice sets_member(const void *ctx, uint32_t value)
{
	const struct sets_ctx *c = ctx;
	return intern_get(c->names->values, value - 1);
}

/* The sets of the page's records idx[a..b) (counted: every cell's visitors
 * known): per slot, each visitor's values of fewer than K visitors here,
 * and "(other)", which the merge may fold. */
static bool page_sets(const struct records *rs, const struct breakdown_names *names,
		      const struct breakdown_sets *sets, const uint32_t *idx, struct slice page,
		      uint32_t a, uint32_t b, struct page_cells *t)
{
	struct shardsets_item *items = malloc(((size_t)(b - a) * (size_t)rs->nslots + 1) *
					      sizeof(*items));
	size_t n = 0;
	if (!items)
		return false;
	for (uint32_t k = a; k < b; k++) {
		uint32_t i = idx ? idx[k] : k;
		const uint32_t *v = records_values_at(rs, i);
		for (int s = 0; s < rs->nslots; s++) {
			if (!v[s])
				continue;
			const struct bd_cell *c = cell_get(t, (uint32_t)s, v[s]); /* exists */
			if (!smallcell_published(c->visitors, sets->s->k) ||
			    slice_eq_cstr(intern_get(names->values, v[s] - 1), DIM_OTHER))
				items[n++] = (struct shardsets_item){ records_at(rs, i)->visitor,
								      (uint32_t)s, v[s] };
		}
	}
	struct sets_ctx ctx = { rs, names, sets, page };
	struct shardsets_names sn = { sets->table, sets_group, sets_member, &ctx };
	bool ok = shardsets_add(sets->s, items, n, &sn) == LF_OK;
	free(items);
	return ok;
}

/* Count, fold and emit one page's records idx[a..b) (idx NULL: records
 * a..b) as rows named page; the table is left empty. */
static bool do_page(const struct records *rs, const struct breakdown_names *names,
		    uint32_t min_visitors, const struct breakdown_sets *sets, const uint32_t *idx,
		    struct slice page, uint32_t a, uint32_t b, struct page_cells *t, uint32_t *vseq,
		    struct rows_out *o)
{
	struct other_cell other[RECORDS_MAX_SLOTS];
	memset(other, 0, sizeof(other));
	if (!walk_page(rs, idx, a, b, t, NULL, UINT32_MAX, vseq))
		return false;
	if (sets && !page_sets(rs, names, sets, idx, page, a, b, t)) {
		cells_reset(t);
		return false;
	}
	uint32_t folded = fold_small_cells(t, names, min_visitors);
	if (folded) /* only the slots that have a folded cell */
		walk_page(rs, idx, a, b, t, other, folded, vseq);
	bool ok = emit_page(rs, names, min_visitors, page, t, other, o);
	cells_reset(t);
	return ok;
}

/* Hand the rows over (never NULL on success), or free them after a failure. */
static enum lf_status rows_done(bool ok, struct rows_out *o, struct breakdown_row **out,
				size_t *n)
{
	if (!ok) {
		free(o->v);
		*out = NULL;
		*n = 0;
		return LF_ERR_NOMEM;
	}
	*out = o->v ? o->v : malloc(sizeof(*o->v));
	*n = o->n;
	return *out ? LF_OK : LF_ERR_NOMEM;
}

enum lf_status breakdown_compute(const struct records *rs, const struct breakdown_names *names,
				 uint32_t min_visitors, const struct breakdown_sets *sets,
				 struct breakdown_row **out, size_t *n)
{
	struct page_cells t;
	struct rows_out o = { NULL, 0, 0 };
	uint32_t *first = NULL, np = 0, vseq = 0;
	uint32_t *idx = order_by_page(rs, &first, &np);
	bool ok = idx && cells_init(&t, 1024) && rs->nslots <= RECORDS_MAX_SLOTS;
	for (uint32_t p = 0; ok && p < np; p++)
		if (first[p] < first[p + 1])
			ok = do_page(rs, names, min_visitors, sets, idx, names->rows[p].page,
				     first[p], first[p + 1], &t, &vseq, &o);
	if (idx)
		cells_free(&t);
	free(idx);
	free(first);
	return rows_done(ok, &o, out, n);
}

enum lf_status breakdown_compute_site(const struct records *rs,
				      const struct breakdown_names *names, uint32_t min_visitors,
				      const struct breakdown_sets *sets, struct breakdown_row **out,
				      size_t *n)
{
	struct page_cells t;
	struct rows_out o = { NULL, 0, 0 };
	uint32_t vseq = 0;
	bool ok = cells_init(&t, 1024) && rs->nslots <= RECORDS_MAX_SLOTS && rs->n <= UINT32_MAX;
	if (ok && rs->n)
		ok = do_page(rs, names, min_visitors, sets, NULL, slice_make("", 0), 0,
			     (uint32_t)rs->n, &t, &vseq, &o);
	cells_free(&t);
	return rows_done(ok, &o, out, n);
}
