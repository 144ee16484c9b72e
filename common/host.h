/*
 * host.h - the one test of a host name, wherever one comes from: a log
 * line's virtual host, --site, --site-allow, --site-alias, a config file's
 * [site HOST] section, a referrer's or a beacon link's URL. It validates
 * and normalises, so that the same host written two ways is one site.
 *
 * It does not resolve names, convert an IDN (a host in Unicode is
 * refused: browsers send, and servers log, its xn-- form, which passes
 * as it is, as parsers/reduce/suffix.h explains), or judge where a label's
 * hyphens are (logs have "_" and "-" anywhere).
 */
#ifndef LF_HOST_H
#define LF_HOST_H

#include <stdbool.h>

#include "slice.h"

/* Longest host name: a DNS name in text is at most 253 bytes (RFC 1035's
 * 255 octets on the wire, less the first length byte and the root). */
#define HOST_MAX 253
/* Longest label (between dots): RFC 1035's 63 octets. */
#define HOST_LABEL_MAX 63

/* What may surround the host (flags of host_normalize). */
enum host_flags {
	HOST_PORT = 1u, /* "host:port": a port (digits) allowed, dropped */
	HOST_URL = 2u,  /* a URL's authority, "user@host:port": the user part
			 * dropped unread, the port allowed and dropped */
};

/* The form host_normalize accepts without flags, for a message about an
 * option or a config file's value (invalid value 'x' for --y: HOST_WANT). */
#define HOST_WANT                                                                         \
	"a host name of 1 to 253 bytes without port or path: labels of 1 to 63 letters, " \
	"digits, '-' or '_' (an IDN in its xn-- form), or an [IPv6] address"

/*
 * Validate the host in s and normalise it into out: ASCII lower-cased, the
 * port (flags permitting) and a final root '.' dropped. A host is 1 to
 * HOST_MAX bytes of labels of 1 to HOST_LABEL_MAX letters, digits, '-' and
 * '_', joined by single dots; or an IPv6 address in brackets (hex digits,
 * ':' and '.' between '[' and ']', at least one ':').
 *
 * out has room for HOST_MAX + 1 bytes and gets the host NUL-terminated; it
 * may be s.p itself (the host is never longer than s), and may be NULL to
 * validate only. On success *host (when host is not NULL) is out's host
 * and the result is true. On failure, false: out and *host are untouched,
 * so an option's text can still be quoted as given.
 */
bool host_normalize(struct slice s, unsigned flags, char *out, struct slice *host);

#endif
