/*
 * daytext.h - what the tests that compare whole days share: the rows of
 * the days an aggregator emits, as text, one line per row of every table
 * ("table|cell|cell...", numbers in decimal), days in the order given.
 * Two runs emitted the same days when their texts are equal. Aborts when
 * memory runs out: the fixture, not the code under test, broke.
 */
#ifndef LF_DAYTEXT_H
#define LF_DAYTEXT_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../aggregate/tables.h"

struct daytext {
	char *text; /* NUL-terminated once anything is put; NULL before */
	size_t n, cap;
};

static void daytext_put(struct daytext *c, const char *p, size_t n)
{
	if (c->n + n + 1 > c->cap) {
		c->cap = (c->n + n + 1) * 2;
		c->text = realloc(c->text, c->cap);
		if (!c->text)
			abort();
	}
	memcpy(c->text + c->n, p, n);
	c->n += n;
	c->text[c->n] = '\0';
}

static void daytext_row(struct daytext *c, const struct day_result *d, enum day_table t, size_t i)
{
	struct cell cells[TABLE_MAX_COLS];
	char num[24];
	table_row(d, t, i, true, cells);
	daytext_put(c, table_defs[t].name, strlen(table_defs[t].name));
	for (int k = 0; k < table_defs[t].ncols; k++) {
		daytext_put(c, "|", 1);
		if (table_defs[t].cols[k].integer) {
			int len = snprintf(num, sizeof(num), "%llu",
					   (unsigned long long)cells[k].num);
			daytext_put(c, num, (size_t)len);
		} else {
			daytext_put(c, cells[k].text.p, cells[k].text.n);
		}
	}
	daytext_put(c, "\n", 1);
}

/* Every row of every table of day d. */
static void daytext_day(struct daytext *c, const struct day_result *d)
{
	for (int t = 0; t < TABLE_COUNT; t++)
		for (size_t i = 0; i < table_nrows(d, (enum day_table)t); i++)
			daytext_row(c, d, (enum day_table)t, i);
}

#endif
