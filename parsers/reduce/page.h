/*
 * page.h - the page a request was for: the path of its target, in one
 * canonical spelling, so that the same page always counts as one row; and
 * whether it is a page at all (not an asset, a feed or a non-HTML answer).
 *
 * Dropped: scheme and authority of an absolute-form target, the query
 * string, the fragment. Kept: case, a trailing slash. Percent-encoding is
 * normalised: %XX of an unreserved character (A-Z a-z 0-9 - . _ ~) is
 * decoded, every other %XX is kept with upper-case hex, and bytes that may
 * not stand raw in a URL (controls, space, '"', non-ASCII) are encoded, so
 * the output is printable ASCII. Runs of '/' collapse to one.
 */
#ifndef LF_PAGE_H
#define LF_PAGE_H

#include <stdbool.h>
#include <stddef.h>

#include "../../common/slice.h"

/* Longest page kept, in bytes after normalisation; longer is malformed. */
#define PAGE_MAX 1024

/*
 * Normalise the request target t into buf (PAGE_MAX bytes). On success
 * returns NULL and sets *page to a slice of buf; otherwise returns a static
 * reason ("bad request target", "page longer than 1024 bytes").
 */
const char *page_normalize(struct slice t, char buf[PAGE_MAX], struct slice *page);

/*
 * Append s to buf at *o (advanced) in the spelling page_normalize gives a
 * path's bytes, without its '/' and '?' handling: for kept query values.
 * False when it would pass PAGE_MAX bytes (then *o is unspecified).
 */
bool page_append_encoded(struct slice s, char buf[PAGE_MAX], size_t *o);

/* True when the last segment of a normalised page ends in a static-asset
 * extension (the list is in page.c), case-insensitively; a path parameter
 * (";jsessionid=...") after the name is not part of it. */
bool page_is_static(struct slice page);

/*
 * True when a request for page (normalised) with the raw target (its query
 * included) asks for a feed, whatever the extension: a last segment feed,
 * rss or atom (alone or .php: WordPress /feed/, DokuWiki feed.php), a
 * segment feed before the last (WordPress /feed/rss2/), or a query
 * parameter feed=ANY (WordPress ?feed=rss2) or flav= or format= whose value
 * starts with rss, atom or rdf (Blosxom ?flav=rss20). Case-insensitive.
 */
bool page_is_feed(struct slice page, struct slice target);

/*
 * True when the logged response type ct allows the request to be a page:
 * its media type (before any ';') is text/html or application/xhtml+xml,
 * or the type is unknown (not logged, empty or "-": a 304 usually has
 * none). Case-insensitive.
 */
bool page_type_is_html(struct slice ct);

#endif
