/*
 * regex.h - the one wrapper around PCRE2 (8-bit, JIT-compiled): page rules,
 * user-agent regexes and anything else that matches patterns goes through
 * here, so swapping the engine touches one file.
 *
 * A compiled regex owns its match data, so matching allocates nothing; the
 * price is that one regex must not be matched from two threads at once.
 */
#ifndef LF_REGEX_H
#define LF_REGEX_H

#include <stdbool.h>
#include <stddef.h>

#include "slice.h"
#include "status.h"

/* Captures a match reports at most: the whole match and $1..$9. */
#define REGEX_MAX_CAPS 10

struct regex;

enum regex_flags {
	REGEX_CASELESS = 1, /* ASCII case-insensitive */
};

/*
 * Compile pattern (NUL-terminated) with flags; its first match JIT-compiles
 * it when the platform allows (otherwise it is interpreted: slower, same
 * results), so a regex that never runs costs no JIT. On success
 * *out is owned by the caller (regex_free). On a bad pattern: LF_ERR_USAGE
 * and a message "OFFSET: REASON" in err (size errlen). LF_ERR_NOMEM.
 */
enum lf_status regex_compile(struct regex **out, const char *pattern, unsigned flags,
			     char *err, size_t errlen);

/*
 * Match re against s (one thread at a time: re holds its match data and
 * its JIT state). On a match returns the number of capture slots set
 * (1 + the highest group that exists, at most ncap) and fills cap[0..n-1]:
 * cap[0] the whole match, an unset group as {NULL, 0}. 0 when no match,
 * and also when matching hits an engine limit (treated as no match).
 */
int regex_match(struct regex *re, struct slice s, struct slice *cap, int ncap);

/* True when re matches s anywhere. */
bool regex_test(struct regex *re, struct slice s);

void regex_free(struct regex *re);

/* "PCRE2 10.42 2022-12-11 (JIT)": the library's own version, and whether
 * its JIT is there, into buf (cap bytes, cut short if need be), for
 * logfold --version. */
void regex_library_version(char *buf, size_t cap);

#endif
