/*
 * lookahead.h - the first lines of an input, read once and handed out
 * again.
 *
 * A run looks at the start of every input before it reads any (to decide
 * the format, the input's first time and its signatures); what the look
 * read is kept here. An input that can be opened again (a regular file) is
 * closed after the look and read again from its start; one that cannot (a
 * pipe, a FIFO, stdin) stays open, and its lines come from here first and
 * from the input after: read once, nothing lost. The look goes past a bad
 * start: lines over INPUT_LINE_MAX (a line of 10 MB of zeros) are noted by
 * number and skipped, and it stops only after LOOKAHEAD_LINES non-blank
 * lines of usable length, LOOKAHEAD_SEEN_MAX lines in all, or the end.
 * It never looks inside a line.
 */
#ifndef LF_LOOKAHEAD_H
#define LF_LOOKAHEAD_H

#include <stddef.h>
#include <stdint.h>

#include "../../common/slice.h"
#include "../../common/status.h"
#include "input.h"

/* Non-blank lines kept: detection's 20 and the 64 lines of signatures
 * (resume.h) both fit. The text kept is at most LOOKAHEAD_LINES lines of
 * INPUT_LINE_MAX, 4 MiB, and some 20 KiB for a usual log. */
#define LOOKAHEAD_LINES 64

/* Lines looked at at most (too long, blank and kept ones): a start of
 * more blank or overlong lines than this is not a log worth waiting for. */
#define LOOKAHEAD_SEEN_MAX 1024

struct lookahead;

/*
 * Read the start of in (no line taken from it yet) into a new *out, owned
 * by the caller (lookahead_free). A read error or damage found while
 * looking is kept too, and handed out in its place by lookahead_next.
 * LF_ERR_NOMEM (nothing read is lost: in is then unusable, close it).
 */
enum lf_status lookahead_read(struct lookahead **out, struct input *in);

/* The kept lines, blank ones included, each followed by '\n': what format
 * detection reads. Valid until lookahead_free. */
struct slice lookahead_text(const struct lookahead *la);

/* Lines looked at, too long ones included. */
size_t lookahead_count(const struct lookahead *la);

/* Line i (0-based) as the look saw it: LF_OK and its text, or LF_ERR_LIMIT
 * (too long, no text); *line_no is its number in the input. A read error
 * or damage at the end of the look is not a line: it is not counted. */
enum lf_status lookahead_line(const struct lookahead *la, size_t i, struct slice *line,
			      uint64_t *line_no);

/* The errno of a read error that ended the look (LF_ERR_IO: a failed read,
 * memory the decoder could not get), or 0. */
int lookahead_read_error(const struct lookahead *la);

/* Whether the look reached the end of the input (cleanly or not). */
bool lookahead_at_end(const struct lookahead *la);

/*
 * The next line of in, the looked-at ones first: input_next's contract,
 * with the line's number in *line_no (also for LF_ERR_LIMIT). la may be
 * NULL (then it is input_next). Each kept line is handed out once.
 */
enum lf_status lookahead_next(struct lookahead *la, struct input *in, struct slice *line,
			      uint64_t *line_no);

/* Whether every line looked at has been handed out and the input goes
 * on past the look: the next lines come from the input (la may be NULL). */
bool lookahead_drained(const struct lookahead *la);

void lookahead_free(struct lookahead *la);

#endif
