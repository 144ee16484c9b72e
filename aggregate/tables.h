/*
 * tables.h - the rows logfold writes: what aggregate/ produces and output/
 * consumes. Every field here is an aggregate count or a name (site, page);
 * nothing identifies a visitor. Strings are slices owned by the aggregator
 * and valid until it is released.
 */
#ifndef LF_TABLES_H
#define LF_TABLES_H

#include <stddef.h>
#include <stdint.h>

#include "../common/skip.h"
#include "../common/slice.h"

/* One row of page_daily. */
struct page_daily_row {
	struct slice page;
	uint64_t pageviews;
	uint64_t visitors;
	uint64_t visits;
	uint64_t entrances;
	uint64_t bounces;
	uint64_t exits;
	uint64_t time_on_page_s;
	uint64_t time_on_page_n;
};

/* Everything about one (site, day), written as a unit. Rows are sorted by
 * page (byte order), so output is the same whatever the input order. */
struct day_result {
	struct slice site;
	char day[11]; /* "YYYY-MM-DD" */
	const struct page_daily_row *rows;
	size_t nrows;
};

struct run_input {
	const char *name;
	uint64_t bytes; /* bytes read from the file (compressed size for gzip) */
};

/* One row of the runs table. */
struct run_info {
	char started[11]; /* UTC day the run started: no finer timestamp is kept */
	const char *version;
	const struct run_input *inputs;
	size_t ninputs;
	uint64_t lines;
	uint64_t pageviews;
	uint64_t skipped[SKIP_NREASONS];
};

#endif
