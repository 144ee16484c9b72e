/*
 * rxset.h - an ordered list of regexes where the first that matches wins
 * (uap-core's rule lists, the crawler list), with a prefilter so that a
 * subject is not run through every regex: each regex's longest literal
 * that every match must contain (found by reading the pattern) is looked
 * up in the subject first, by trigrams and then by a substring search, and
 * only regexes whose literal is there (or that have none) are run.
 *
 * The prefilter is conservative: it may let a regex run that cannot match,
 * never skip one that could, so results equal running every regex in
 * order. Literals are compared ASCII case-insensitively whatever the
 * regex's flags (a superset). It does not merge regexes into one automaton.
 */
#ifndef LF_RXSET_H
#define LF_RXSET_H

#include <stddef.h>
#include <stdint.h>

#include "../common/regex.h"
#include "../common/slice.h"
#include "../common/status.h"

/* Longest literal kept per regex: longer ones are cut (still required). */
#define RXSET_LIT_MAX 32
/* Trigrams of the literal tested in the bitmap before the substring search. */
#define RXSET_TRIGRAMS 6
/* Bits of the subject's trigram bitmap: 8192 bits = 1 KiB, so that the
 * ~100 trigrams of a typical agent leave it sparse (few false passes). */
#define RXSET_BITS 8192

struct rxset_rule {
	struct regex *re;
	char lit[RXSET_LIT_MAX]; /* lower-case; lit_len 0 = none (always run) */
	uint8_t lit_len, ntri;
	uint16_t tri[RXSET_TRIGRAMS];
};

struct rxset {
	struct rxset_rule *rules;
	size_t n, cap;
	uint64_t tried; /* regexes run, for the statistics */
};

/* A subject prepared once for every set it is matched against. */
struct rxset_subject {
	struct slice s;     /* the subject as given */
	struct slice lower; /* its ASCII lower-case copy (caller's buffer) */
	uint64_t bits[RXSET_BITS / 64];
};

void rxset_init(struct rxset *set);

/* Append pattern (flags as regex_compile). LF_ERR_USAGE with err filled when
 * it does not compile; LF_ERR_NOMEM. */
enum lf_status rxset_add(struct rxset *set, const char *pattern, unsigned flags, char *err,
			 size_t errlen);

/* Prepare s; buf (s.n bytes, owned by the caller, kept while sub is used)
 * receives the lower-case copy. */
void rxset_prepare(struct rxset_subject *sub, struct slice s, char *buf);

/* The index of the first regex of set that matches sub, with its captures
 * in cap[0..REGEX_MAX_CAPS-1] (unset groups {NULL, 0}); -1 when none does.
 * With prefilter false every regex is run (to check the prefilter). */
int rxset_first(struct rxset *set, const struct rxset_subject *sub, bool prefilter,
		struct slice cap[REGEX_MAX_CAPS]);

/* The longest literal every match of pattern must contain, lower-cased,
 * into out (size outlen, NUL-terminated); returns its length, 0 if none. */
size_t rxset_literal(const char *pattern, char *out, size_t outlen);

void rxset_release(struct rxset *set);

#endif
