/*
 * cells.h - what the SQLite and CSV sinks share, so that both write the
 * same thing for the same value: decimal numbers, the runs.inputs JSON
 * array, the column order of the counts of a runs row, and the house error
 * message "cannot VERB 'SUBJECT': CAUSE". Nothing here does I/O or knows
 * about SQLite; the callers own every buffer.
 */
#ifndef LF_CELLS_H
#define LF_CELLS_H

#include <stddef.h>
#include <stdint.h>

#include "../aggregate/tables.h"
#include "../common/status.h"

/* Digits in UINT64_MAX (18446744073709551615): the longest cells_u64 result. */
#define CELLS_U64_MAX 20

/*
 * Write v in decimal into buf, which holds at least CELLS_U64_MAX bytes.
 * No NUL is written. Returns the number of digits (1..20).
 */
size_t cells_u64(char *buf, uint64_t v);

/* Length of the well-formed UTF-8 sequence at s (of at most avail bytes;
 * a NUL ends them too), or 0 when none starts there. */
size_t cells_utf8_len(const unsigned char *s, size_t avail);

/*
 * Write name as a JSON string, quotes included, at p (which holds at least
 * 6 * strlen(name) + 2 bytes; no NUL is written) and return the end. The
 * escapes are cells_inputs_json's.
 */
char *cells_json_string(char *p, const char *name);

/*
 * The inputs of a run as JSON text: [{"name":"access.log","lines":1234},...]
 * ("[]" when n is 0). Names are escaped as JSON strings: '"', '\' and the
 * control characters below 0x20 as \" \\ \uXXXX; valid UTF-8 is copied;
 * a byte that is not part of valid UTF-8 becomes \ufffd, so the result is
 * always valid JSON even for a Latin-1 file name.
 * On success *out is a NUL-terminated string the caller frees, *len its
 * length. Failure: LF_ERR_NOMEM, *out untouched.
 */
enum lf_status cells_inputs_json(const struct run_input *in, size_t n, char **out, size_t *len);

/* The counts of a runs row, in column order: lines, pageviews, then
 * skipped[] in skip_reason_names order, then beacon. */
#define CELLS_RUN_NCOUNTS (3 + SKIP_NREASONS)
void cells_run_counts(const struct run_info *r, uint64_t v[CELLS_RUN_NCOUNTS]);

/* The columns of a runs row as both sinks show it: started, version,
 * inputs (TEXT), then the counts in cells_run_counts' order. Column i's
 * name (a static string), for 0 <= i < CELLS_RUN_NCOLS. */
#define CELLS_RUN_NCOLS (3 + CELLS_RUN_NCOUNTS)
const char *cells_run_column(int i);

/*
 * Write "cannot VERB 'SUBJECT': CAUSE" into buf (size len, NUL-terminated,
 * truncated if needed), the house form of an error message.
 */
void cells_error(char *buf, size_t len, const char *verb, const char *subject, const char *cause);

#endif
