/*
 * rxset.h - an ordered list of regexes where the first that matches wins
 * (uap-core's rule lists, the crawler list), with a prefilter so that a
 * subject is not run through every regex: what every match of a regex
 * must contain (found by reading the pattern) is looked up in the subject
 * first, by trigrams and then by a substring search, and only regexes
 * whose requirements are there (or that have none) are run.
 *
 * A regex's requirements are literals every match contains, or sets of
 * literals one of which every match contains (a group of alternatives).
 * The prefilter is conservative: it may let a regex run that cannot match,
 * never skip one that could, so results equal running every regex in
 * order. Literals are compared ASCII case-insensitively whatever the
 * regex's flags (a superset). It does not merge regexes into one automaton.
 *
 * Nor does it look at every rule for every subject: an index from each
 * trigram to the rules whose first requirement has a literal starting with
 * it (built at the first match after rules were added) gives the rules a
 * subject's trigrams can admit, and only those (and the rules with no
 * requirement) are checked, in order.
 */
#ifndef LF_RXSET_H
#define LF_RXSET_H

#include <stddef.h>
#include <stdint.h>

#include "../../common/regex.h"
#include "../../common/slice.h"
#include "../../common/status.h"

/* Longest literal kept: longer ones are cut (what is kept is still
 * required). */
#define RXSET_LIT_MAX 32
/* Requirements kept per regex (the longest-scoring), and literals per
 * requirement: a requirement is met when one of its literals is in the
 * subject, a regex may run when all of its requirements are met. A group
 * of more alternatives than RXSET_ALTS gives no requirement. */
#define RXSET_REQS 3
#define RXSET_ALTS 256
/* Shortest literal used: a trigram of it must be in the subject's bitmap. */
#define RXSET_LIT_MIN 3
/* Bits of the subject's trigram bitmap: 8192 bits = 1 KiB, so that the
 * ~100 trigrams of a typical agent leave it sparse (few false passes). */
#define RXSET_BITS 8192

struct rxset_lit {
	uint32_t off;      /* into the set's pool of lower-case text */
	uint8_t len;
	uint16_t tri[2];   /* its first and last trigram */
};

struct rxset_req {
	uint32_t first;    /* its literals: lits[first .. first + n - 1] */
	uint16_t n;        /* any one meets it */
};

struct rxset_rule {
	struct regex *re;
	uint8_t nreq;                   /* 0: always run */
	struct rxset_req req[RXSET_REQS];
};

struct rxset {
	struct rxset_rule *rules;
	size_t n, cap;
	char *pool;     /* lower-case literals of every rule */
	size_t pool_len, pool_cap;
	struct rxset_lit *lits;
	size_t nlits, lits_cap;
	uint64_t tried; /* regexes run, for the statistics */
	/* the index (rxset.c), for rules[0 .. indexed - 1]; none while
	 * indexed < n (then built, or every rule checked if memory lacks) */
	size_t indexed;
	uint32_t *first;  /* RXSET_BITS + 1: trigram t's rules are */
	uint32_t *by_tri; /* by_tri[first[t] .. first[t + 1] - 1] */
	uint64_t *keyed;  /* RXSET_BITS bits: trigram t has rules */
	uint64_t *always; /* bit per rule: no requirement, always checked */
	uint64_t *cand;   /* scratch: bit per rule, the rules to check */
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
