/*
 * resume.h - how an input read before is recognised, where reading it
 * starts again, and what is kept of it for the next run. Decisions only, on
 * plain integers and names: no I/O, no allocation, no parser (it does not
 * include parsers/reduce; the signatures come in as numbers).
 *
 * An input is known by the signatures of its first lines, at most
 * RESUME_SIG_LINES of them: one 64-bit value per line that the parser
 * computes from what the line reduces to (parsers/reduce/parser.h,
 * parser_signature: outcome, site, day, hour, status, masked address, page
 * after its rules), never from its bytes. Two logs that differ only in what
 * masking and reduction remove have the same signatures, and so the same
 * stored points, byte for byte. For the same reason every position is a
 * line number, never a byte offset: offsets would differ with the lengths
 * of the bytes masked away.
 *
 * A point is matched by any input whose first fp_lines signatures give its
 * fingerprint: the input is the same log, under any name or compression,
 * grown or not. An input known by fewer than RESUME_SIG_LINES lines (it was
 * that short when stored) is matched by any input whose first lines reduce
 * alike: a weaker identity than 64 lines, which is all a short file offers.
 */
#ifndef LF_RESUME_H
#define LF_RESUME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Lines of an input's start that identify it. 64: some 10-20 KiB of a
 * typical log, read anyway by the look at its start; enough that two logs
 * of one site starting in the same hour differ somewhere in them (pages,
 * masked networks, statuses), few enough that a short log just after its
 * rotation soon has them all. */
#define RESUME_SIG_LINES 64

/* No day: first_day / last_day of an input with no dated line yet. */
#define RESUME_NO_DAY INT32_MIN

/* An open day an input holds: lines of it are in the input from its
 * closed line on. site is NUL-terminated. */
struct resume_open {
	const char *site;
	int32_t day; /* days since 1970-01-01 */
};

/* Where a run left one input, as the database keeps it. */
struct resume_point {
	uint64_t fingerprint;  /* resume_fingerprint of the first fp_lines signatures */
	uint32_t fp_lines;     /* 1 .. RESUME_SIG_LINES */
	uint64_t closed_line;  /* lines before the first line of a day left open:
				* read, and never to be read again */
	uint64_t reached_line; /* lines read */
	int32_t first_day;     /* the earliest and latest day of its dated lines */
	int32_t last_day;
	const char *name;      /* as given on the command line; "(stdin)" */
	const struct resume_open *open; /* the days still open it holds */
	size_t nopen;
};

/* The fingerprint of n signatures (SipHash-2-4 under a fixed, public key:
 * a checksum of values that are not secret, not a keyed identifier). */
uint64_t resume_fingerprint(const uint64_t *sig, uint32_t n);

/* The fingerprints of every start of sig at once: fps[k - 1] is
 * resume_fingerprint(sig, k), for k = 1 .. n (n <= RESUME_SIG_LINES). */
void resume_fingerprints(const uint64_t *sig, uint32_t n, uint64_t *fps);

/* Whether two inputs show the same start: both signed, and the shorter
 * list of signatures is the start of the longer. */
bool resume_same_start(const uint64_t *a, uint32_t na, const uint64_t *b, uint32_t nb);

/* The stored point whose fingerprint the start of an input shows (the one
 * over the most lines when several do), or NULL: a new input. fps are the
 * input's resume_fingerprints over its nsig signed lines. */
const struct resume_point *resume_find(const struct resume_point *points, size_t n,
				       const uint64_t *fps, uint32_t nsig);

/* Lines to pass over unread at the start of an input: those of closed days
 * the last run left behind it, none for a new input. */
uint64_t resume_start(const struct resume_point *from);

/* What an input was, once read to its end (lines: how many it has). */
enum resume_state {
	RESUME_NEW,       /* no stored point: read whole */
	RESUME_SAME,      /* as before, every day closed: nothing new */
	RESUME_REREAD,    /* as before; its open days read again */
	RESUME_GROWN,     /* the same start, more lines: the new ones read */
	RESUME_TRUNCATED, /* the same start, fewer lines than were read */
};

enum resume_state resume_classify(const struct resume_point *from, uint64_t lines);

/* The first line of one (site, day) in an input read this run (the number
 * of lines before it), and whether that day stays open after the run (or
 * was held back: see resume_withheld). */
struct resume_day_start {
	uint64_t line;
	bool open;
};

/* An input as this run read it. */
struct resume_read {
	uint64_t lines;      /* lines it has: the last one read */
	const struct resume_day_start *days;
	size_t ndays;
	bool days_lost;      /* some days went unnoted (out of memory) */
	int32_t first_day;   /* of the dated lines read, RESUME_NO_DAY: none */
	int32_t last_day;
};

/*
 * The point to store for an input read this run from `from` (NULL: new),
 * into *now (its fingerprint, fp_lines, name and open days are the
 * caller's to set): everything before the first line of a day left open is
 * closed; with days_lost, nothing past what was closed before. False when
 * nothing is to be stored: a truncated input (the stored point stays, so
 * that the whole log is still known), or one with no dated line at all.
 */
bool resume_settle(const struct resume_point *from, const struct resume_read *rd,
		   struct resume_point *now);

/*
 * The open days a run must not write: those held by a stored input that is
 * not among the run's (present[i] false for points[i]). Writing such a day
 * from the other inputs alone would replace it by their share. fn is
 * called for each, with the point that holds it.
 */
typedef void (*resume_withheld_fn)(void *ctx, const struct resume_point *holder,
				   const struct resume_open *day);
void resume_withheld(const struct resume_point *points, size_t n, const bool *present,
		     resume_withheld_fn fn, void *ctx);

#endif
