/*
 * ipaddr.c - address parsing and masking, written against RFC 4291 section
 * 2.2 (text forms) and 2.5.5.2 (IPv4-mapped). No inet_pton: it rejects zone
 * ids and brackets, and it allocates nothing either way, but we also want to
 * parse straight from a slice that is not NUL-terminated.
 */
#include "ipaddr.h"

#include <string.h>

/* Four decimal parts 0..255, each 1..3 digits. */
static bool parse_v4(const char *p, size_t n, uint8_t out[4])
{
	size_t i = 0;
	for (int part = 0; part < 4; part++) {
		if (part > 0) {
			if (i >= n || p[i] != '.')
				return false;
			i++;
		}
		unsigned v = 0, digits = 0;
		while (i < n && p[i] >= '0' && p[i] <= '9' && digits < 4) {
			v = v * 10 + (unsigned)(p[i] - '0');
			i++;
			digits++;
		}
		if (digits == 0 || digits > 3 || v > 255)
			return false;
		out[part] = (uint8_t)v;
	}
	return i == n;
}

/* Parse up to 8 groups; "::" may stand once for one or more zero groups. */
static bool parse_v6(const char *p, size_t n, uint8_t out[16])
{
	uint16_t groups[8] = { 0 };
	int ng = 0, gap = -1;
	size_t i = 0;
	if (n >= 2 && p[0] == ':' && p[1] == ':') {
		gap = 0;
		i = 2;
	} else if (n >= 1 && p[0] == ':') {
		return false;
	}
	while (i < n) {
		/* An embedded IPv4 tail takes the last two groups. */
		size_t j = i;
		while (j < n && p[j] != ':' && p[j] != '.')
			j++;
		if (j < n && p[j] == '.') {
			uint8_t v4[4];
			if (ng > 6 || !parse_v4(p + i, n - i, v4))
				return false;
			groups[ng++] = (uint16_t)(v4[0] << 8 | v4[1]);
			groups[ng++] = (uint16_t)(v4[2] << 8 | v4[3]);
			i = n;
			break;
		}
		if (j == i || j - i > 4 || ng == 8)
			return false;
		unsigned v = 0;
		for (size_t k = i; k < j; k++) {
			int h = hex_digit((unsigned char)p[k]);
			if (h < 0)
				return false;
			v = v << 4 | (unsigned)h;
		}
		groups[ng++] = (uint16_t)v;
		i = j;
		if (i == n)
			break;
		i++; /* the ':' */
		if (i < n && p[i] == ':') {
			if (gap >= 0)
				return false;
			gap = ng;
			i++;
		} else if (i == n) {
			return false; /* a single trailing ':' */
		}
	}
	if (gap < 0 && ng != 8)
		return false;
	if (gap >= 0 && ng > 7)
		return false;
	uint16_t full[8] = { 0 };
	int tail = gap < 0 ? 0 : ng - gap;
	int head = gap < 0 ? ng : gap;
	memcpy(full, groups, (size_t)head * sizeof(uint16_t));
	memcpy(full + 8 - tail, groups + head, (size_t)tail * sizeof(uint16_t));
	for (int g = 0; g < 8; g++) {
		out[2 * g] = (uint8_t)(full[g] >> 8);
		out[2 * g + 1] = (uint8_t)full[g];
	}
	return true;
}

static bool is_v4_mapped(const uint8_t b[16])
{
	static const uint8_t prefix[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
	return memcmp(b, prefix, sizeof(prefix)) == 0;
}

bool ip_parse(struct slice s, struct ipaddr *out)
{
	const char *p = s.p;
	size_t n = s.n;
	if (n >= 2 && p[0] == '[' && p[n - 1] == ']') {
		p++;
		n -= 2;
	}
	memset(out, 0, sizeof(*out));
	if (n == 0 || n > 64)
		return false;
	if (memchr(p, ':', n) == NULL) {
		out->family = 4;
		return parse_v4(p, n, out->bytes);
	}
	const char *zone = memchr(p, '%', n);
	if (zone)
		n = (size_t)(zone - p);
	if (!parse_v6(p, n, out->bytes))
		return false;
	out->family = 6;
	if (is_v4_mapped(out->bytes)) {
		memmove(out->bytes, out->bytes + 12, 4);
		memset(out->bytes + 4, 0, 12);
		out->family = 4;
	}
	return true;
}

struct masked_ip ip_mask(const struct ipaddr *a, int mask_bytes)
{
	/* Bytes kept per mask_bytes 1..4: IPv4 drops N bytes, IPv6 keeps
	 * /64, /48, /32, /0 (8, 6, 4, 0 bytes). */
	static const int v6_keep[5] = { 16, 8, 6, 4, 0 };
	struct masked_ip m;
	memset(&m, 0, sizeof(m));
	if (mask_bytes < 1)
		mask_bytes = 1;
	if (mask_bytes > 4)
		mask_bytes = 4;
	m.family = a->family;
	int keep = a->family == 4 ? 4 - mask_bytes : v6_keep[mask_bytes];
	if (a->family == 4 || a->family == 6)
		memcpy(m.bytes, a->bytes, (size_t)keep);
	return m;
}
