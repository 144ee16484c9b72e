/*
 * clientip.h - which logged address is the client: the connecting peer
 * (remote), or an entry of X-Forwarded-For (or another header) when the
 * server sits behind proxies or a CDN. Trusted proxies (CIDR blocks) are
 * skipped from the right, as the proxies appended them.
 *
 * Runs inside the parser before masking; the chosen address is hashed and
 * masked like any other and nothing of the header is kept.
 */
#ifndef LF_CLIENTIP_H
#define LF_CLIENTIP_H

#include <stdbool.h>
#include <stdint.h>

#include "../../common/slice.h"
#include "../formats/fields.h"
#include "ipaddr.h"

/* --trusted-proxy blocks: a few CDN and balancer ranges; more is a sign
 * of a configuration better done in the server itself. */
#define CLIENTIP_TRUSTED_MAX 64
/* Longest header name of --client-ip header:NAME. */
#define CLIENTIP_HEADER_MAX 63

enum client_ip_mode {
	CLIENT_REMOTE,   /* the logged remote address (default) */
	CLIENT_XFF_FIRST, /* the leftmost X-Forwarded-For entry */
	CLIENT_XFF_LAST, /* the rightmost entry not in a trusted proxy */
	CLIENT_HEADER,   /* as xff-last, over the header named in header */
};

struct cidr {
	struct ipaddr net; /* host bits zero */
	uint8_t bits;
};

struct client_ip_config {
	enum client_ip_mode mode;
	char header[CLIENTIP_HEADER_MAX + 1]; /* lower-case; "x-forwarded-for" */
	int ntrusted;
	struct cidr trusted[CLIENTIP_TRUSTED_MAX];
};

/* Parse "a.b.c.d/n", "v6::/n" or a bare address (a /32 or /128). */
bool cidr_parse(const char *s, struct cidr *out);

/*
 * Set up cfg from a --client-ip value ("remote", "xff-first", "xff-last",
 * "header:NAME"). False when it is none of them.
 */
bool client_ip_mode_parse(const char *s, struct client_ip_config *cfg);

/*
 * The client of f under cfg: the address text, and in *ip its parsed form
 * when it is one (*parsed). Falls back to f->client when the header is
 * absent, empty, or holds only trusted or unparsable entries, and (xff-last,
 * header: with trusted proxies named) when the remote address is not a
 * trusted proxy: then nobody vouches for the header.
 */
struct slice client_ip_pick(const struct client_ip_config *cfg, const struct raw_fields *f,
			    struct ipaddr *ip, bool *parsed);

#endif
