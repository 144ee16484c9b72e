/*
 * breakdown.c - counting cells of (page, slot, value) in an open-addressing
 * table, in two passes over the visitor-sorted records:
 *   1. every cell: pageviews, and visitors by stamping each cell with the
 *      number of the last visitor counted;
 *   2. for cells below K only: the same counts into the page's "(other)"
 *      cell of that slot, so its visitors are distinct too.
 * Cells live only for one day's computation.
 */
#include "breakdown.h"

#include <stdlib.h>
#include <string.h>

#define OTHER_VALUE UINT32_MAX /* the value id of "(other)" in the table */

struct bd_cell {
	uint32_t page, value; /* value id + 1, or OTHER_VALUE */
	uint32_t slot;
	uint32_t stamp;       /* last visitor number counted; 0 = empty cell */
	uint64_t pageviews, visitors;
	bool folded;
};

struct cells {
	struct bd_cell *c;
	size_t cap, n;
};

static size_t cell_hash(uint32_t page, uint32_t slot, uint32_t value)
{
	uint64_t k = ((uint64_t)page << 32 | value) * 0x9e3779b97f4a7c15ULL;
	return (size_t)((k >> 29) ^ (slot * 0x85ebca6bu));
}

/* Double the table (a cell is empty while its pageviews are 0: every cell
 * made is counted at once, before the next cell_get). False: no memory. */
static bool cells_grow(struct cells *t)
{
	size_t cap = t->cap * 2;
	struct bd_cell *c = calloc(cap, sizeof(*c));
	if (!c)
		return false;
	for (size_t i = 0; i < t->cap; i++) {
		const struct bd_cell *o = &t->c[i];
		if (!o->pageviews)
			continue;
		size_t j = cell_hash(o->page, o->slot, o->value) & (cap - 1);
		while (c[j].pageviews)
			j = (j + 1) & (cap - 1);
		c[j] = *o;
	}
	free(t->c);
	t->c = c;
	t->cap = cap;
	return true;
}

/* The cell of (page, slot, value), made if new; the table is kept at most
 * half full. NULL when it cannot grow. The pointer is valid until the next
 * call. */
static struct bd_cell *cell_get(struct cells *t, uint32_t page, uint32_t slot, uint32_t value)
{
	size_t mask = t->cap - 1, i = cell_hash(page, slot, value) & mask;
	for (;; i = (i + 1) & mask) {
		struct bd_cell *c = &t->c[i];
		if (!c->pageviews) {
			if ((t->n + 1) * 2 > t->cap)
				return cells_grow(t) ? cell_get(t, page, slot, value) : NULL;
			*c = (struct bd_cell){ .page = page, .value = value, .slot = slot };
			t->n++;
			return c;
		}
		if (c->page == page && c->value == value && c->slot == slot)
			return c;
	}
}

static void count(struct bd_cell *c, uint32_t vseq)
{
	c->pageviews++;
	if (c->stamp != vseq) {
		c->stamp = vseq;
		c->visitors++;
	}
}

/* Pass 1 (fold == NULL) counts every value; pass 2 counts folded values
 * into "(other)". Visitor numbers continue across passes. False when out
 * of memory. */
static bool pass(const struct records *rs, struct cells *t, uint32_t *vseq, bool second)
{
	for (size_t i = 0; i < rs->n; i++) {
		const struct agg_pv *r = records_at(rs, i);
		if (i == 0 || r->visitor != records_at(rs, i - 1)->visitor)
			(*vseq)++;
		const uint32_t *v = records_values_at(rs, i);
		for (int s = 0; s < rs->nslots; s++) {
			if (!v[s])
				continue;
			struct bd_cell *c = cell_get(t, r->page, (uint32_t)s, v[s]);
			if (c && second && c->folded)
				c = cell_get(t, r->page, (uint32_t)s, OTHER_VALUE);
			else if (c && second)
				continue;
			if (!c)
				return false;
			count(c, *vseq);
		}
	}
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
	qsort(rows, n, sizeof(*rows), cmp_rows);
}

static size_t emit_rows(const struct cells *t, const struct records *rs,
			const struct breakdown_names *names, struct breakdown_row *rows)
{
	size_t n = 0;
	for (size_t i = 0; i < t->cap; i++) {
		const struct bd_cell *c = &t->c[i];
		if (!c->pageviews || c->folded)
			continue;
		rows[n++] = (struct breakdown_row){
			.page = names->rows[c->page].page,
			.dimension = (enum dimension)rs->slot_dim[c->slot],
			.value = c->value == OTHER_VALUE ? SLICE_LIT(DIM_OTHER)
							 : intern_get(names->values, c->value - 1),
			.pageviews = c->pageviews,
			.visitors = c->visitors,
		};
	}
	breakdown_sort(rows, n);
	return n;
}

enum lf_status breakdown_compute(const struct records *rs, const struct breakdown_names *names,
				 uint32_t min_visitors, struct breakdown_row **out, size_t *n)
{
	/* The table starts small and doubles at half full: sizing it for the
	 * worst case (a cell per record and slot) made it tens of MiB per day
	 * and, scattered, slow to touch. */
	size_t cap = 1024;
	struct cells t = { calloc(cap, sizeof(struct bd_cell)), cap, 0 };
	*out = NULL;
	*n = 0;
	if (!t.c)
		return LF_ERR_NOMEM;
	uint32_t vseq = 0;
	if (!pass(rs, &t, &vseq, false)) {
		free(t.c);
		return LF_ERR_NOMEM;
	}
	bool any = false;
	for (size_t i = 0; i < t.cap; i++) {
		struct bd_cell *c = &t.c[i];
		if (c->pageviews && c->visitors < min_visitors)
			any = c->folded = true;
	}
	if (any && !pass(rs, &t, &vseq, true)) {
		free(t.c);
		return LF_ERR_NOMEM;
	}
	struct breakdown_row *rows = malloc((t.n ? t.n : 1) * sizeof(*rows));
	if (!rows) {
		free(t.c);
		return LF_ERR_NOMEM;
	}
	*n = emit_rows(&t, rs, names, rows);
	*out = rows;
	free(t.c);
	return LF_OK;
}
