/*
 * ipaddr.h - client addresses: parse the text a log holds, then mask it.
 *
 * Masking happens inside the parser the moment an address is parsed; the
 * full address never leaves parsers/. IPv4 zeroes the last N bytes; IPv6
 * keeps a /64, /48, /32 or /0 prefix for N = 1, 2, 3, 4; an IPv4-mapped
 * IPv6 address (::ffff:a.b.c.d) is masked as the IPv4 address it is.
 */
#ifndef LF_IPADDR_H
#define LF_IPADDR_H

#include <stdbool.h>
#include <stdint.h>

#include "../../common/slice.h"
#include "hit.h"

/* A parsed, still complete address. Lives only on the parser's stack. */
struct ipaddr {
	uint8_t family;    /* 4 or 6 */
	uint8_t bytes[16]; /* IPv4 in bytes[0..3] */
};

/*
 * Parse dotted-quad IPv4 or RFC 4291 IPv6 text (with "::", an embedded IPv4
 * tail, optional [brackets] and an optional %zone, which is ignored).
 * An IPv4-mapped IPv6 address comes back as family 4. False when s is not
 * an address (a host name, "-", garbage); *out is then unspecified.
 */
bool ip_parse(struct slice s, struct ipaddr *out);

/* The masked form of a (mask_bytes in 1..4). */
struct masked_ip ip_mask(const struct ipaddr *a, int mask_bytes);

#endif
