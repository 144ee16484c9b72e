/*
 * progress.h - the progress line on stderr during a long run: the file, the
 * bytes read of its size (lines, for stdin or a pipe), lines per second and
 * the time left, redrawn in place at most 4 times a second and cleared at
 * the end, so that the summary comes after it on a clean line.
 *
 * It costs nothing per line: the caller compares its line count with
 * progress.next (one comparison) and calls progress_tick only when it is
 * reached; the tick reads the clock and moves next so that, at the run's
 * mean line rate, the clock is read some 20 times a second (never more
 * often than every PROGRESS_STEP_MIN lines). It draws nothing before the run has
 * lasted PROGRESS_DELAY_MS, and nothing at all when turned off.
 */
#ifndef LF_PROGRESS_H
#define LF_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "../parsers/input/input.h"
#include "options.h"

/* No line for a run shorter than a second: it would only flicker. */
#define PROGRESS_DELAY_MS 1000
/* At most 4 redraws a second: easy to read, cheap on a slow terminal. */
#define PROGRESS_REDRAW_MS 250
/* The clock is read about every PROGRESS_LOOK_MS: the line count between
 * two looks follows the mean line rate, between these bounds (the lower
 * keeps a slow pipe's line moving; the upper bounds the wait after a
 * burst of fast lines). */
#define PROGRESS_LOOK_MS 50
#define PROGRESS_STEP_MIN 256
#define PROGRESS_STEP_MAX 65536
/* The line fits an 80-column terminal without wrapping (a wrapped line
 * cannot be redrawn in place). */
#define PROGRESS_WIDTH 79

struct progress {
	uint64_t next;            /* the caller's line count at which to tick;
				   * UINT64_MAX when off */
	uint64_t step;            /* lines between two looks at the clock */
	bool on;
	struct timespec start;    /* of the run (CLOCK_MONOTONIC) */
	int64_t last_draw_us;     /* since start; -1: never drawn */
	const char *name;         /* the file being read */
	uint64_t size;            /* its size in bytes; 0: unknown (stdin, pipe) */
	size_t index, count;      /* it is the index-th of count inputs */
	int64_t file_us;          /* when reading it began, since start */
	uint64_t file_lines, file_bytes; /* the run's line count and its bytes then */
};

/*
 * Set up the line for a run of count inputs that began at start
 * (CLOCK_MONOTONIC: the run's length counts from there, setup included).
 * The line is on when mode is PROGRESS_ALWAYS, or PROGRESS_AUTO and stderr
 * is a terminal; never when quiet. Cannot fail.
 */
void progress_start(struct progress *p, enum progress_mode mode, bool quiet, size_t count,
		    const struct timespec *start);

/*
 * Reading the lines of in begins (after any resume point: its rate is
 * measured from here), the run having counted lines lines so far. A file
 * is looked at for its size when it is a regular file; standard input and
 * pipes show lines. in must stay open until the next call or progress_end.
 */
void progress_file(struct progress *p, const struct input *in, uint64_t lines);

/*
 * Called when the run's line count reaches p->next, with the lines so far
 * and the input being read (the one given to progress_file). Reads the
 * clock, redraws the line when it is due, moves p->next.
 */
void progress_tick(struct progress *p, uint64_t lines, const struct input *in);

/* Clear the line if it was drawn; the next message starts a clean line. */
void progress_end(struct progress *p);

#endif
