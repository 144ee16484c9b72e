/*
 * load.c - the load-time buckets and the percentile estimate (load.h says
 * why these bounds and which interpolation).
 */
#include "load.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tables.h"

const uint32_t load_bounds[LOAD_NBUCKETS - 1] = { 10,   25,   50,    100,   250,   500,
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

enum lf_status load_add(struct load_table *t, uint32_t page, uint32_t hour, uint32_t ms)
{
	uint32_t i = pairindex_find(&t->index, page, hour);
	if (i == PAIRINDEX_NONE) {
		if (t->n == t->cap) {
			uint32_t cap = t->cap ? t->cap * 2 : 32;
			struct load_cell *cells = realloc(t->cells, cap * sizeof(*cells));
			if (!cells)
				return LF_ERR_NOMEM;
			t->cells = cells;
			t->cap = cap;
		}
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
	return LF_OK;
}

struct sorted_cell {
	struct slice page;
	uint32_t hour, idx, source;
};

static int cmp_sorted(const void *x, const void *y)
{
	const struct sorted_cell *a = x, *b = y;
	if (a->hour != b->hour)
		return a->hour < b->hour ? -1 : 1;
	int c = slice_cmp(a->page, b->page);
	if (c)
		return c;
	return (a->source > b->source) - (a->source < b->source);
}

/* The source column's value of each table of load_rows, in order. */
static const char *const source_names[LOAD_NSOURCES] = { LOAD_SOURCE_SERVER, LOAD_SOURCE_CLIENT };

enum lf_status load_rows(const struct load_table t[LOAD_NSOURCES], const struct intern *pages,
			 const char day[11], struct load_row **out, size_t *n)
{
	size_t total = 0, k = 0;
	*out = NULL;
	*n = 0;
	for (int src = 0; src < LOAD_NSOURCES; src++)
		total += t[src].n;
	if (total == 0)
		return LF_OK;
	struct sorted_cell *s = malloc(total * sizeof(*s));
	struct load_row *rows = malloc(total * sizeof(*rows));
	if (!s || !rows) {
		free(s);
		free(rows);
		return LF_ERR_NOMEM;
	}
	for (uint32_t src = 0; src < LOAD_NSOURCES; src++)
		for (uint32_t i = 0; i < t[src].n; i++)
			s[k++] = (struct sorted_cell){ intern_get(pages, t[src].cells[i].page),
						       t[src].cells[i].hour, i, src };
	qsort(s, total, sizeof(*s), cmp_sorted);
	for (size_t i = 0; i < total; i++) {
		const struct load_cell *c = &t[s[i].source].cells[s[i].idx];
		struct load_row *r = &rows[i];
		*r = (struct load_row){ .page = s[i].page, .source = source_names[s[i].source],
					.n = c->n, .sum_ms = c->sum_ms, .max_ms = c->max_ms };
		/* "YYYY-MM-DDTHH" (hour 0..23), without snprintf's cost per row */
		memcpy(r->hour, day, 10);
		r->hour[10] = 'T';
		r->hour[11] = (char)('0' + c->hour / 10);
		r->hour[12] = (char)('0' + c->hour % 10);
		r->hour[13] = '\0';
		for (int b = 0; b < LOAD_NBUCKETS; b++)
			r->buckets[b] = c->buckets[b];
	}
	free(s);
	*out = rows;
	*n = total;
	return LF_OK;
}

void load_release(struct load_table *t)
{
	free(t->cells);
	pairindex_release(&t->index);
	memset(t, 0, sizeof(*t));
}
