/*
 * pagerules.h - what a site lets through: the opt-out markers a request may
 * carry, and the rules that turn a normalised path into the page counted
 * (exclusions, rewrites, identifier-shaped segments, allow-list, kept query
 * parameters). Everything here runs inside the privacy boundary, on raw
 * fields, and hands on only the reduced page.
 *
 * A spec (strings, as the options gave them) is compiled once per site into
 * a struct page_rules; applying it allocates nothing. It deliberately does
 * not decide which site a line belongs to (the parser does) nor keep any
 * state between lines.
 */
#ifndef LF_PAGERULES_H
#define LF_PAGERULES_H

#include <stdbool.h>
#include <stddef.h>

#include "../../common/regex.h"
#include "../../common/slice.h"
#include "../../common/status.h"
#include "../formats/fields.h"
#include "page.h"

/* Entries in one list of one site (after the global ones are added): a
 * site with more than 32 allow patterns wants one pattern with '|'. */
#define RULES_LIST_MAX 32

struct strlist {
	const char *v[RULES_LIST_MAX];
	int n;
};

/* The rule kinds, one per repeatable option; pagerule_check() knows each. */
enum rule_kind {
	RULE_ALLOW,        /* --page-allow REGEX */
	RULE_EXCLUDE,      /* --page-exclude REGEX */
	RULE_REWRITE,      /* --page-rewrite 'REGEX=>TEMPLATE' */
	RULE_KEEP_QUERY,   /* --keep-query NAME */
	RULE_OPTOUT_COOKIE, /* --optout-cookie NAME[=VALUE] */
	RULE_OPTOUT_FIELD, /* --optout-field FIELD=VALUE */
	RULE_ALIAS,        /* --site-alias HOST (lower-case): its referrers are internal */
	RULE_KINDS
};

/* One site's rules as configured: strings owned by the caller. */
struct page_rules_spec {
	struct strlist list[RULE_KINDS];
	bool allow_drop; /* pages off the allow-list are dropped, not (other) */
	bool keep_ids;   /* identifier-shaped segments are kept as they are */
	bool honor_gpc;  /* Sec-GPC: 1 opts out */
	bool honor_dnt;  /* DNT: 1 opts out */
};

/* The page every page off a site's allow-list is counted as. */
#define PAGE_OTHER "(other)"

/*
 * Is value acceptable for kind? NULL when it is, else a static reason
 * ("a query parameter named like a campaign tag (utm_*) is never kept") or,
 * for a bad regex, the reason written into err (errlen bytes) and err
 * returned. Nothing is kept.
 */
const char *pagerule_check(enum rule_kind kind, const char *value, char *err, size_t errlen);

struct page_rules;

/*
 * Compile spec into *out (owned by the caller: page_rules_free). LF_OK;
 * LF_ERR_USAGE for a value pagerule_check() refuses; LF_ERR_NOMEM.
 */
enum lf_status page_rules_compile(struct page_rules **out, const struct page_rules_spec *spec);

void page_rules_free(struct page_rules *r);

/* The site's --site-alias hosts (lower-case), *n of them. */
const char *const *page_rules_aliases(const struct page_rules *r, int *n);

/* True when the line's raw fields carry one of the site's opt-out
 * markers: such a request is dropped before anything else. */
bool page_rules_opted_out(const struct page_rules *r, const struct raw_fields *f);

/* The two page buffers rules write into, in turn. */
struct page_bufs {
	char b[2][PAGE_MAX];
};

/* What page_rules_apply decided. */
enum page_verdict {
	PAGE_COUNT, /* count the page *out */
	PAGE_DROP,  /* excluded, or off the allow-list with allow_drop */
	PAGE_LONG,  /* the rewritten page would pass PAGE_MAX bytes */
};

/*
 * Apply r to the normalised page (path only) and the request target it came
 * from (for the query string). Writes the result into one of the two
 * PAGE_MAX buffers (page may point into either) and sets *out to it.
 * Order: exclude (on the normalised path), rewrite (the first rule that
 * matches), identifier-shaped segments, allow-list (on the result), kept
 * query parameters.
 */
enum page_verdict page_rules_apply(struct page_rules *r, struct slice page, struct slice target,
				   struct page_bufs *bufs, struct slice *out);

/*
 * Replace identifier-shaped segments of page (see pagerules.c for the
 * shapes) into buf; returns false when the result would pass PAGE_MAX.
 */
bool page_replace_ids(struct slice page, char buf[PAGE_MAX], struct slice *out);

/* The same for any text whose words end at a byte of seps (a beacon's
 * labels: " ./"): each word is looked at as a page's segment is. */
bool ids_replace(struct slice text, const char *seps, char buf[PAGE_MAX], struct slice *out);

#endif
