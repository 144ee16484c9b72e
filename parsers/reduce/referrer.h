/*
 * referrer.h - the page a visitor came from, reduced to what logfold keeps:
 * for a link from the site itself (or a --site-alias host) the referring
 * page's path, normalised like any request's (the caller then applies the
 * site's page rules to it: parser.c); for any other link the referring host
 * only, lower-cased (or its registrable domain with --referrer-domain);
 * for an Android app its app id. Never a path of another site, never a
 * query string, never user info or a port.
 *
 * The type (direct, internal, search, social, external) of a host or app
 * comes from the bundled table in referrer.c, documented in the README.
 * Everything works on the unescaped referer text; nothing is allocated.
 */
#ifndef LF_REFERRER_H
#define LF_REFERRER_H

#include "../../common/host.h"
#include "../../common/slice.h"
#include "page.h"
#include "suffix.h"

enum referrer_type {
	REF_DIRECT,   /* no referer, or "-" */
	REF_INTERNAL, /* the site itself or an alias */
	REF_SEARCH,   /* a search engine of the table */
	REF_SOCIAL,   /* a social network of the table */
	REF_EXTERNAL, /* any other host or app */
	REF_INVALID,  /* not a URL logfold understands */
	REF_NTYPES
};

/* The public spelling of each type (referrer_type values in the tables). */
extern const struct slice referrer_type_names[REF_NTYPES];

/* The referrer values that are not a host or a page. */
#define REFERRER_DIRECT "(direct)"
#define REFERRER_INVALID "(invalid)"

/* Longest referring host kept (a DNS name, or "[IPv6]"); longer is invalid. */
#define REFERRER_HOST_MAX HOST_MAX

struct referrer_rules {
	const char *const *aliases;     /* the site's --site-alias hosts, lower-case */
	int naliases;
	const struct suffix_list *psl;  /* --referrer-domain; NULL: host as is */
	int mask_bytes;                 /* --mask-bytes (1..4): an address literal's
					 * mask, as a client's */
};

/* Where referrer_reduce writes: the value is a slice of one of these, or of
 * static text. Caller-owned, valid until the next call with the same buf. */
struct referrer_buf {
	char host[REFERRER_HOST_MAX + 1];
	char page[PAGE_MAX];
};

/*
 * Reduce the unescaped referer ref of a pageview of site (lower-case) to a
 * value and a type. Never fails: what cannot be read is REF_INVALID with
 * the value REFERRER_INVALID.
 */
enum referrer_type referrer_reduce(struct slice ref, struct slice site,
				   const struct referrer_rules *rules, struct referrer_buf *buf,
				   struct slice *value);

/* The type of an external host (lower-case) or app id by the bundled table:
 * REF_SEARCH, REF_SOCIAL or REF_EXTERNAL. */
enum referrer_type referrer_classify(struct slice host);

#endif
