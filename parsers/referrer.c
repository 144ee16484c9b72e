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

#include <string.h>

const char *const referrer_type_names[REF_NTYPES] = {
	[REF_DIRECT] = "direct",     [REF_INTERNAL] = "internal", [REF_SEARCH] = "search",
	[REF_SOCIAL] = "social",     [REF_EXTERNAL] = "external", [REF_INVALID] = "(invalid)",
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
	enum referrer_type type;
};

static const struct ref_entry ref_table[] = {
	/* search engines */
	{ "google.*", REF_SEARCH },
	{ "bing.com", REF_SEARCH },
	{ "duckduckgo.com", REF_SEARCH },
	{ "yahoo.*", REF_SEARCH },
	{ "yandex.*", REF_SEARCH },
	{ "ya.ru", REF_SEARCH },
	{ "baidu.com", REF_SEARCH },
	{ "ecosia.org", REF_SEARCH },
	{ "qwant.com", REF_SEARCH },
	{ "search.brave.com", REF_SEARCH },
	{ "startpage.com", REF_SEARCH },
	{ "ask.com", REF_SEARCH },
	{ "naver.com", REF_SEARCH },
	{ "seznam.cz", REF_SEARCH },
	{ "kagi.com", REF_SEARCH },
	{ "search.aol.com", REF_SEARCH },
	{ "com.google.android.googlequicksearchbox", REF_SEARCH },
	/* social networks */
	{ "facebook.com", REF_SOCIAL },
	{ "fb.com", REF_SOCIAL },
	{ "instagram.com", REF_SOCIAL },
	{ "twitter.com", REF_SOCIAL },
	{ "x.com", REF_SOCIAL },
	{ "t.co", REF_SOCIAL },
	{ "linkedin.com", REF_SOCIAL },
	{ "lnkd.in", REF_SOCIAL },
	{ "reddit.com", REF_SOCIAL },
	{ "youtube.com", REF_SOCIAL },
	{ "youtu.be", REF_SOCIAL },
	{ "pinterest.*", REF_SOCIAL },
	{ "pin.it", REF_SOCIAL },
	{ "tiktok.com", REF_SOCIAL },
	{ "threads.net", REF_SOCIAL },
	{ "bsky.app", REF_SOCIAL },
	{ "mastodon.social", REF_SOCIAL },
	{ "tumblr.com", REF_SOCIAL },
	{ "vk.com", REF_SOCIAL },
	{ "news.ycombinator.com", REF_SOCIAL },
	{ "com.facebook.katana", REF_SOCIAL },
	{ "com.instagram.android", REF_SOCIAL },
	{ "com.twitter.android", REF_SOCIAL },
	{ "com.linkedin.android", REF_SOCIAL },
	{ "com.reddit.frontpage", REF_SOCIAL },
	{ "com.zhiliaoapp.musically", REF_SOCIAL },
};

#define NREF (sizeof(ref_table) / sizeof(ref_table[0]))

/* Does host equal name or end in "." name? */
static bool host_is(struct slice host, const char *name, size_t n)
{
	if (host.n < n || memcmp(host.p + host.n - n, name, n) != 0)
		return false;
	return host.n == n || host.p[host.n - n - 1] == '.';
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

enum referrer_type referrer_classify(struct slice host)
{
	struct slice bare = drop_country(host);
	for (size_t i = 0; i < NREF; i++) {
		const char *name = ref_table[i].name;
		size_t n = strlen(name);
		bool any = n > 2 && name[n - 1] == '*';
		if (any ? host_is(bare, name, n - 2) : host_is(host, name, n))
			return ref_table[i].type;
	}
	return REF_EXTERNAL;
}

static bool is_host_byte(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
	       c == '_';
}

static unsigned char lower(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') ? (unsigned char)(c + 32) : c;
}

/*
 * The host of authority a ("user@host:port", "[v6]:port"), lower-cased into
 * out (REFERRER_HOST_MAX + 1 bytes); false when it is not a host.
 */
static bool take_host(struct slice a, char *out, struct slice *host)
{
	const char *at = a.n ? memrchr(a.p, '@', a.n) : NULL;
	if (at) /* user info is dropped unread */
		a = slice_make(at + 1, a.n - (size_t)(at + 1 - a.p));
	size_t n = a.n;
	bool v6 = n && a.p[0] == '[';
	if (v6) {
		const char *close = memchr(a.p, ']', n);
		if (!close)
			return false;
		n = (size_t)(close - a.p) + 1;
	} else {
		const char *colon = memchr(a.p, ':', n);
		if (colon)
			n = (size_t)(colon - a.p);
		if (n && a.p[n - 1] == '.')
			n--; /* "example.org." is example.org */
	}
	if (n == 0 || n > REFERRER_HOST_MAX)
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = lower((unsigned char)a.p[i]);
		bool ok = v6 ? (c == '[' || c == ']' || c == ':' || c == '.' ||
				(c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))
			     : is_host_byte(c);
		if (!ok)
			return false;
		out[i] = (char)c;
	}
	*host = slice_make(out, n);
	return true;
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
		if (!is_host_byte(lower(c)))
			return REF_INVALID;
		buf->host[i] = (char)c;
	}
	*value = slice_make(buf->host, n);
	return referrer_classify(*value);
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
	if (!take_host(slice_make(rest.p, a), buf->host, &host))
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
