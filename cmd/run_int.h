/*
 * run_int.h - what the run's modules share (run.c conducts, count.c counts
 * its lines): the state of one run. Only cmd/run.c and cmd/count.c
 * include it.
 */
#ifndef LF_RUN_INT_H
#define LF_RUN_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../aggregate/agg.h"
#include "../common/slice.h"
#include "../parsers/reduce/parser.h"
#include "../parsers/reduce/suffix.h"
#include "daystate.h"
#include "exitcode.h"
#include "options.h"
#include "progress.h"
#include "readers.h"
#include "sources.h"
#include "writer.h"

/* Malformed lines named one by one in the summary; the rest are counted. */
#define REPORT_MALFORMED_MAX 5

/* A day a sink replaced (it held rows of it): said once committed. */
struct replaced_day {
	int sink;
	struct slice site;
	char day[11];
};

struct run {
	const struct config *cfg;
	struct parser *parser;  /* the look, --jobs 1's lines, the directives */
	struct readers rd;      /* --jobs 2 or more */
	struct geo *geo;        /* NULL: no geography this run */
	struct suffix_list psl; /* loaded for --referrer-domain only */
	bool have_psl;
	char geoip[4096];      /* the database path, for messages */
	struct agents *agents; /* NULL: --uap-regexes none */
	struct agg agg;
	struct sink *sinks[2];
	int nsinks;
	struct writer writer; /* writes the days emitted to the sinks */
	struct sink *db;      /* sinks[0] when there is a database */
	struct csv *csv;      /* --csv: the database's tables, exported */
	struct run_input *inputs;
	struct sources src;
	struct source **order; /* by first time */
	struct daystate days;
	bool rebuild;         /* --rebuild: no point is read or stored */
	int64_t future_after; /* later times are SKIP_FUTURE (options_now + slack) */
	int64_t horizon_next; /* first time of the next input to read */
	int64_t input_max;    /* latest pageview of the input being read */
	int32_t off_west, off_east; /* the extreme UTC offsets (s east) of the
				     * inputs' first lines and of the lines
				     * counted: see horizon() in run.c */
	uint64_t lines, passed, pageviews, reread, late_hits, skipped[SKIP_NREASONS];
	uint64_t beacon, beacon_empty; /* beacon requests; of them, with nothing usable */
	uint64_t unnamed_external;     /* pageviews of the unnamed site ('default') from a host */
	int reported;
	bool nomem; /* a pageview could not be counted: stop */
	enum exit_code exit;
	struct progress progress;      /* the line on a terminal */
	struct replaced_day *replaced; /* by the writer thread, said after the commit */
	size_t nreplaced, replaced_cap, replaced_lost;
	int committed; /* sinks committed so far */
};

/* ---- run.c -------------------------------------------------------------- */

/* Write the days the log has left behind ahead of the input's end
 * (agg_write_ahead): count.c calls it when agg_ahead_due. A failure is the
 * writer's, said and returned when the run ends, or a signal's. */
void run_write_ahead(struct run *r);

/* Note a counted line's UTC offset (seconds east) among those seen, which
 * decide how far back the horizon of the days written between inputs sits. */
void run_see_offset(struct run *r, int32_t off);

/* ---- count.c ----------------------------------------------------------- */

/*
 * Line no of src was read (too_long: over INPUT_LINE_MAX, skipped): count
 * it, with one thread, or queue it for the workers (--jobs), which counts
 * the chunks parsed so far when the ring is full. False when the run must
 * stop: memory ran out for a pageview (r->nomem).
 */
bool count_take_line(struct run *r, struct source *src, struct slice line, uint64_t no,
		     bool too_long);

/* Count the chunks the workers parsed, oldest first; with wait, every one
 * submitted, waiting for them. */
void count_chunks(struct run *r, struct source *src, bool wait);

/* With --jobs: the whole lines at in's cursor queued for the workers at
 * once, as many as the chunk being filled takes, up to the next W3C
 * directive (input_span, jobs_add_lines). The lines taken (0: none; the
 * next line then comes by count_take_line), or -1 when the run must stop:
 * out of memory. */
int64_t count_take_lines(struct run *r, struct source *src, struct input *in);

#endif
