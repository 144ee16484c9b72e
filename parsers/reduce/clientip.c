/*
 * clientip.c - the client behind proxies. X-Forwarded-For is "client,
 * proxy1, proxy2": each proxy appends the address it got the request
 * from, so only the entries on the right, written by proxies one trusts,
 * are reliable; the leftmost is whatever the client claimed.
 */
#include "clientip.h"

#include <stdlib.h>
#include <string.h>

bool cidr_parse(const char *s, struct cidr *out)
{
	const char *slash = strchr(s, '/');
	size_t n = slash ? (size_t)(slash - s) : strlen(s);
	if (!ip_parse(slice_make(s, n), &out->net))
		return false;
	int max = out->net.family == 4 ? 32 : 128;
	long bits = max;
	if (slash) {
		char *end;
		bits = strtol(slash + 1, &end, 10);
		if (end == slash + 1 || *end || bits < 0 || bits > max)
			return false;
	}
	out->bits = (uint8_t)bits;
	for (int i = 0; i < 16; i++) { /* zero the host bits */
		int keep = (int)bits - i * 8;
		out->net.bytes[i] &= keep >= 8 ? 0xff : keep <= 0 ? 0 : (uint8_t)(0xff << (8 - keep));
	}
	return true;
}

static bool in_cidr(const struct ipaddr *a, const struct cidr *c)
{
	if (a->family != c->net.family)
		return false;
	for (int i = 0; i < 16; i++) {
		int keep = (int)c->bits - i * 8;
		uint8_t m = keep >= 8 ? 0xff : keep <= 0 ? 0 : (uint8_t)(0xff << (8 - keep));
		if ((a->bytes[i] & m) != c->net.bytes[i])
			return false;
	}
	return true;
}

static bool trusted(const struct client_ip_config *cfg, const struct ipaddr *a)
{
	for (int i = 0; i < cfg->ntrusted; i++)
		if (in_cidr(a, &cfg->trusted[i]))
			return true;
	return false;
}

bool client_ip_mode_parse(const char *s, struct client_ip_config *cfg)
{
	static const struct {
		const char *name;
		enum client_ip_mode mode;
	} modes[] = { { "remote", CLIENT_REMOTE },
		      { "xff-first", CLIENT_XFF_FIRST },
		      { "xff-last", CLIENT_XFF_LAST } };
	strcpy(cfg->header, "x-forwarded-for");
	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++)
		if (strcmp(s, modes[i].name) == 0) {
			cfg->mode = modes[i].mode;
			return true;
		}
	size_t n = strlen(s);
	if (strncmp(s, "header:", 7) != 0 || n == 7 || n - 7 > CLIENTIP_HEADER_MAX)
		return false;
	for (size_t i = 7; i < n; i++)
		cfg->header[i - 7] = ascii_lower(s[i]);
	cfg->header[n - 7] = '\0';
	cfg->mode = CLIENT_HEADER;
	return true;
}

/* Entry [b, e) of a list, spaces trimmed. '+' and "%20" are spaces too:
 * IIS writes every space of a header field as '+' ("a,+b"), CloudFront
 * URL-encodes its fields ("a,%20b"), and no address holds either. */
static bool list_space(char c)
{
	return c == ' ' || c == '\t' || c == '+';
}

static bool encoded_space(const char *p, const char *e)
{
	return e - p >= 3 && p[0] == '%' && p[1] == '2' && p[2] == '0';
}

static struct slice trimmed(const char *b, const char *e)
{
	for (;;) {
		if (b < e && list_space(*b))
			b++;
		else if (encoded_space(b, e))
			b += 3;
		else if (e > b && list_space(e[-1]))
			e--;
		else if (e - b >= 3 && encoded_space(e - 3, e))
			e -= 3;
		else
			return slice_make(b, (size_t)(e - b));
	}
}

/* Whether [p, end) is ":PORT", 1 to 5 digits. */
static bool is_port(const char *p, const char *end)
{
	if (end - p < 2 || end - p > 6 || *p != ':')
		return false;
	while (++p < end)
		if (*p < '0' || *p > '9')
			return false;
	return true;
}

/* Entry s as an address, into ip and *out: as written, or without the
 * port some proxies add (Azure Application Gateway: "192.0.2.1:52123";
 * "[2001:db8::1]:4711"). */
static bool entry_ip(struct slice s, struct ipaddr *ip, struct slice *out)
{
	*out = s;
	if (ip_parse(s, ip))
		return true;
	const char *end = s.p + s.n;
	bool v6 = s.n && s.p[0] == '[';
	const char *cut = v6 ? memchr(s.p, ']', s.n) : s.n ? memchr(s.p, ':', s.n) : NULL;
	if (!cut || !is_port(cut + v6, end)) /* "[v6]:port", "v4:port" */
		return false;
	*out = slice_make(s.p + v6, (size_t)(cut - s.p - v6));
	return ip_parse(*out, ip);
}

/* The leftmost entry that is an address. */
static bool pick_first(struct slice list, struct ipaddr *ip, struct slice *out)
{
	const char *p = list.p, *end = list.p + list.n;
	while (p < end) {
		const char *comma = memchr(p, ',', (size_t)(end - p));
		const char *e = comma ? comma : end;
		if (entry_ip(trimmed(p, e), ip, out))
			return true;
		p = e + 1;
	}
	return false;
}

/* From the right, the first address not in a trusted proxy. */
static bool pick_last(const struct client_ip_config *cfg, struct slice list, struct ipaddr *ip,
		      struct slice *out)
{
	const char *end = list.p + list.n;
	while (end > list.p) {
		const char *b = end;
		while (b > list.p && b[-1] != ',')
			b--;
		if (entry_ip(trimmed(b, end), ip, out) && !trusted(cfg, ip))
			return true;
		end = b > list.p ? b - 1 : b;
	}
	return false;
}

struct slice client_ip_pick(const struct client_ip_config *cfg, const struct raw_fields *f,
			    struct ipaddr *ip, bool *parsed)
{
	struct slice out;
	/* With trusted proxies named, a header is believed only when the
	 * request came from one of them (as nginx's set_real_ip_from). */
	bool from_proxy = cfg->ntrusted == 0 || cfg->mode == CLIENT_XFF_FIRST ||
			  (ip_parse(f->client, ip) && trusted(cfg, ip));
	if (cfg->mode != CLIENT_REMOTE && from_proxy) {
		struct slice list = raw_field_get(f, cfg->header);
		if (!slice_is_dash(list) &&
		    (cfg->mode == CLIENT_XFF_FIRST ? pick_first(list, ip, &out)
						   : pick_last(cfg, list, ip, &out))) {
			*parsed = true;
			return out;
		}
	}
	*parsed = ip_parse(f->client, ip);
	return f->client;
}
