/*
 * referrer.c - referer text to (value, type), and the bundled table of
 * search engines and social networks.
 *
 * Understood: "http://" and "https://" URLs (any case) and
 * "android-app://APP.ID/..." (Android's referrer for links opened from an
 * app). Anything else - another scheme, a bare word, a host with bytes no
 * DNS name or address literal holds - is "(invalid)": counted, never
 * guessed at, and never kept as written.
 */
#include "referrer.h"

#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "ipaddr.h"

const struct slice referrer_type_names[REF_NTYPES] = {
	[REF_DIRECT] = SLICE_LIT("direct"),     [REF_INTERNAL] = SLICE_LIT("internal"),
	[REF_SEARCH] = SLICE_LIT("search"),     [REF_SOCIAL] = SLICE_LIT("social"),
	[REF_EXTERNAL] = SLICE_LIT("external"), [REF_INVALID] = SLICE_LIT("(invalid)"),
};

/*
 * The bundled table. A name matches a host equal to it or ending in "." and
 * it ("bing.com" matches "www.bing.com"). A name ending in ".*" matches any
 * country ending: the host's last label, or its last two when the first of
 * them is "co" or "com" ("google.*": google.com, google.de, google.co.uk,
 * google.com.au, www.google.fr). Android app ids match exactly. Keep it
 * short and well known: a host missing here is merely "external".
 */
struct ref_entry {
	const char *name;
	size_t n; /* strlen(name), so that a lookup never measures */
	enum referrer_type type;
};

#define E(name, type) { name, sizeof(name) - 1, type }

static const struct ref_entry ref_table[] = {
	/* search engines */
	E("google.*", REF_SEARCH),
	E("bing.com", REF_SEARCH),
	E("duckduckgo.com", REF_SEARCH),
	E("yahoo.*", REF_SEARCH),
	E("yandex.*", REF_SEARCH),
	E("ya.ru", REF_SEARCH),
	E("baidu.com", REF_SEARCH),
	E("ecosia.org", REF_SEARCH),
	E("qwant.com", REF_SEARCH),
	E("search.brave.com", REF_SEARCH),
	E("startpage.com", REF_SEARCH),
	E("ask.com", REF_SEARCH),
	E("naver.com", REF_SEARCH),
	E("seznam.cz", REF_SEARCH),
	E("kagi.com", REF_SEARCH),
	E("search.aol.com", REF_SEARCH),
	E("com.google.android.googlequicksearchbox", REF_SEARCH),
	/* social networks */
	E("facebook.com", REF_SOCIAL),
	E("fb.com", REF_SOCIAL),
	E("instagram.com", REF_SOCIAL),
	E("twitter.com", REF_SOCIAL),
	E("x.com", REF_SOCIAL),
	E("t.co", REF_SOCIAL),
	E("linkedin.com", REF_SOCIAL),
	E("lnkd.in", REF_SOCIAL),
	E("reddit.com", REF_SOCIAL),
	E("youtube.com", REF_SOCIAL),
	E("youtu.be", REF_SOCIAL),
	E("pinterest.*", REF_SOCIAL),
	E("pin.it", REF_SOCIAL),
	E("tiktok.com", REF_SOCIAL),
	E("threads.net", REF_SOCIAL),
	E("bsky.app", REF_SOCIAL),
	E("mastodon.social", REF_SOCIAL),
	E("tumblr.com", REF_SOCIAL),
	E("vk.com", REF_SOCIAL),
	E("news.ycombinator.com", REF_SOCIAL),
	E("com.facebook.katana", REF_SOCIAL),
	E("com.instagram.android", REF_SOCIAL),
	E("com.twitter.android", REF_SOCIAL),
	E("com.linkedin.android", REF_SOCIAL),
	E("com.reddit.frontpage", REF_SOCIAL),
	E("com.zhiliaoapp.musically", REF_SOCIAL),
};

#define NREF (sizeof(ref_table) / sizeof(ref_table[0]))

/* Does host equal name or end in "." name? Run for every entry of the
 * table on every referrer host, so the cheap tests come first: a label
 * must start where name would, with name's first byte; most entries fail
 * one of them, and a call to memcmp costs more than both. */
static bool host_is(struct slice host, const char *name, size_t n)
{
	if (host.n < n || n == 0)
		return false;
	const char *at = host.p + host.n - n;
	if ((host.n > n && at[-1] != '.') || at[0] != name[0])
		return false;
	return memcmp(at, name, n) == 0;
}

/* host without its country ending (see the table), or empty. */
static struct slice drop_country(struct slice host)
{
	size_t i = host.n;
	while (i > 0 && host.p[i - 1] != '.')
		i--;
	if (i < 2)
		return SLICE_LIT("");
	size_t j = i - 1; /* the dot before the last label */
	size_t k = j;
	while (k > 0 && host.p[k - 1] != '.')
		k--;
	struct slice second = slice_make(host.p + k, j - k);
	if (k > 0 && (slice_eq_cstr(second, "co") || slice_eq_cstr(second, "com")))
		j = k - 1;
	return slice_make(host.p, j);
}

/* The first bytes of host's labels, as a 256-bit set (bit c of
 * set[c / 64]). A name can only match where a label starts (host_is; the
 * labels of the host without its country ending are among them), so an
 * entry whose first byte is not in the set is passed over after one test:
 * most are, and the table is scanned for every referrer host. */
static void label_starts(struct slice host, uint64_t set[4])
{
	set[0] = set[1] = set[2] = set[3] = 0;
	for (size_t i = 0; i < host.n; i++)
		if (i == 0 || host.p[i - 1] == '.') {
			unsigned char c = (unsigned char)host.p[i];
			set[c >> 6] |= UINT64_C(1) << (c & 63);
		}
}

enum referrer_type referrer_classify(struct slice host)
{
	struct slice bare = drop_country(host);
	uint64_t starts[4];
	label_starts(host, starts);
	for (size_t i = 0; i < NREF; i++) {
		const struct ref_entry *e = &ref_table[i];
		unsigned char c = (unsigned char)e->name[0];
		if (!((starts[c >> 6] >> (c & 63)) & 1))
			continue;
		bool any = e->name[e->n - 1] == '*';
		if (any ? host_is(bare, e->name, e->n - 2) : host_is(host, e->name, e->n))
			return e->type;
	}
	return REF_EXTERNAL;
}

/* A byte of an Android app id (a package name, not a host: its case is
 * kept), compared lower-cased. */
static bool is_app_byte(unsigned char c)
{
	c = (unsigned char)ascii_lower((char)c);
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
	       c == '_';
}

static bool is_site(struct slice host, struct slice site, const struct referrer_rules *r)
{
	if (slice_eq(host, site))
		return true;
	for (int i = 0; i < r->naliases; i++)
		if (slice_eq_cstr(host, r->aliases[i]))
			return true;
	return false;
}

/* "android-app://com.example.app/..." -> "com.example.app". */
static enum referrer_type app_referrer(struct slice rest, struct referrer_buf *buf,
				       struct slice *value)
{
	size_t n = 0;
	while (n < rest.n && rest.p[n] != '/' && rest.p[n] != '?' && rest.p[n] != '#')
		n++;
	if (n == 0 || n > REFERRER_HOST_MAX)
		return REF_INVALID;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)rest.p[i];
		if (!is_app_byte(c))
			return REF_INVALID;
		buf->host[i] = (char)c;
	}
	*value = slice_make(buf->host, n);
	return referrer_classify(*value);
}

/* An address literal host ("192.0.2.44", "[2001:db8::1]") masked as a
 * client's address is ("192.0.0.0", "[2001:db8::]"), into buf: the full
 * address of a machine is never written. False when host is a name. */
static bool masked_literal(struct slice host, int mask_bytes, struct referrer_buf *buf,
			   struct slice *value)
{
	struct ipaddr ip;
	char text[INET6_ADDRSTRLEN];
	if (!host.n || !((host.p[0] >= '0' && host.p[0] <= '9') || host.p[0] == '[') ||
	    !ip_parse(host, &ip))
		return false;
	struct masked_ip m = ip_mask(&ip, mask_bytes);
	if (!inet_ntop(m.family == 4 ? AF_INET : AF_INET6, m.bytes, text, sizeof(text)))
		return false; /* cannot happen: the sizes are inet_ntop's own */
	int n = snprintf(buf->host, sizeof(buf->host), m.family == 4 ? "%s" : "[%s]", text);
	*value = slice_make(buf->host, (size_t)n);
	return true;
}

static enum referrer_type reduce(struct slice ref, struct slice site,
				 const struct referrer_rules *rules, struct referrer_buf *buf,
				 struct slice *value)
{
	size_t skip;
	if (slice_istarts(ref, "https://"))
		skip = 8;
	else if (slice_istarts(ref, "http://"))
		skip = 7;
	else if (slice_istarts(ref, "android-app://"))
		return app_referrer(slice_make(ref.p + 14, ref.n - 14), buf, value);
	else
		return REF_INVALID;
	struct slice rest = slice_make(ref.p + skip, ref.n - skip), host;
	size_t a = 0;
	while (a < rest.n && rest.p[a] != '/' && rest.p[a] != '?' && rest.p[a] != '#')
		a++;
	/* the authority's host: user info dropped unread, no port */
	if (!host_normalize(slice_make(rest.p, a), HOST_URL, buf->host, &host))
		return REF_INVALID;
	if (is_site(host, site, rules)) {
		struct slice path = slice_make(rest.p + a, rest.n - a);
		if (path.n == 0 || path.p[0] != '/')
			path = SLICE_LIT("/"); /* "https://site" or "https://site?q" */
		if (page_normalize(path, buf->page, value) != NULL)
			return REF_INVALID;
		return REF_INTERNAL;
	}
	enum referrer_type t = referrer_classify(host);
	if (masked_literal(host, rules->mask_bytes, buf, value))
		return t;
	*value = rules->psl ? suffix_registrable(rules->psl, host) : host;
	return t;
}

enum referrer_type referrer_reduce(struct slice ref, struct slice site,
				   const struct referrer_rules *rules, struct referrer_buf *buf,
				   struct slice *value)
{
	if (slice_is_dash(ref)) {
		*value = SLICE_LIT(REFERRER_DIRECT);
		return REF_DIRECT;
	}
	enum referrer_type t = reduce(ref, site, rules, buf, value);
	if (t == REF_INVALID)
		*value = SLICE_LIT(REFERRER_INVALID);
	return t;
}
