/*
 * suffix.h - registrable domains from the Public Suffix List (Debian's
 * publicsuffix package), for --referrer-domain: "news.bbc.co.uk" becomes
 * "bbc.co.uk", "a.b.example.com" becomes "example.com".
 *
 * The list is read once at start-up into a string set; a lookup is a few
 * set probes, no allocation. Rules written in Unicode are loaded as they
 * are and so only match hosts written the same way: referrers carry
 * punycode (xn--...) hosts, which then fall back to the default rule "*"
 * (the last label is the suffix). We deliberately do not convert punycode:
 * it would bring an IDNA library for a handful of country suffixes.
 */
#ifndef LF_SUFFIX_H
#define LF_SUFFIX_H

#include "../../common/host.h"
#include "../../common/intern.h"
#include "../../common/slice.h"
#include "../../common/status.h"

/* Debian's copy of the list. */
#define SUFFIX_LIST_PATH "/usr/share/publicsuffix/public_suffix_list.dat"

/* Longest host looked up (a DNS name); longer ones come back unchanged. */
#define SUFFIX_HOST_MAX HOST_MAX

struct suffix_list {
	struct intern rules; /* "co.uk", "*.ck", "!www.ck" as the list writes them */
};

/*
 * Load the list at path. LF_ERR_IO (errno set) when it cannot be read,
 * LF_ERR_FORMAT when it holds no rule at all, LF_ERR_NOMEM. On failure the
 * list is released.
 */
enum lf_status suffix_load(struct suffix_list *l, const char *path);

/* The registrable domain of host (lower-case, no trailing dot): a slice of
 * host. A host that is itself a public suffix, or longer than
 * SUFFIX_HOST_MAX, comes back whole. */
struct slice suffix_registrable(const struct suffix_list *l, struct slice host);

void suffix_release(struct suffix_list *l);

#endif
