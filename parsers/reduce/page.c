/*
 * page.c - request target to page, and the static-asset test.
 *
 * The static list is documented (the man page, WHAT COUNTS): a page is what
 * a person reads. Documents a person opens (.pdf) are counted as pages;
 * what renders a page (styles, scripts, images, fonts), media, archives and
 * installers, feeds and data (.xml .json .txt .rss .atom .rdf) are not.
 * Anything not listed, including .html .htm .php .asp .aspx .jsp and no
 * extension at all, is a page, unless it is a feed by its path or query
 * (page_is_feed: feed readers fetch them on a timer, nobody reads them
 * there) or the server said it answered something other than HTML.
 */
#include "page.h"

#include <stdint.h>
#include <string.h>

/* Extensions of assets a browser fetches to render a page, and of files
 * downloaded rather than read (media, archives, installers), not pages. In
 * ASCII order: the test stops at the first entry past the extension's first
 * letter. Each is padded with NUL bytes to a fixed width, so that the test
 * made on every page compares two fixed-size blocks (no length, no call to
 * memcmp) against each: a page holds no NUL. */
static const char static_ext[][12] = {
	"7z",   "aac",   "atom", "avi", "avif", "bmp",         "br",   "bz2",  "class",
	"css",  "deb",   "dmg",  "eot", "exe",  "flac",        "flv",  "gif",  "gz",
	"heic", "heif",  "ico",  "iso", "jpeg", "jpg",         "js",   "json", "jxl",
	"m4a",  "m4v",   "map",  "mjs", "mkv",  "mov",         "mp3",  "mp4",  "mpeg",
	"mpg",  "msi",   "oga",  "ogg", "ogv",  "opus",        "otf",  "png",  "rar",
	"rdf",  "rpm",   "rss",  "svg", "swf",  "tar",         "tgz",  "tif",  "tiff",
	"ttf",  "txt",   "wasm", "wav", "webm", "webmanifest", "webp", "wma",  "wmv",
	"woff", "woff2", "xbm",  "xml", "xpm",  "xz",          "zip",  "zst",
};

#define STATIC_EXT_MAX 11 /* strlen("webmanifest"); below the width, so a NUL ends each */
_Static_assert(STATIC_EXT_MAX < sizeof(static_ext[0]), "an extension and its NUL fit");

static bool is_unreserved(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '.' || c == '_' || c == '~';
}

/* May c stand raw in a normalised page? Printable ASCII but '"', and '%'
 * only as the start of a valid escape: a lone '%' becomes "%25", so that
 * "%" and "%25" are one page. */
static bool is_raw_ok(unsigned char c)
{
	return c > 0x20 && c < 0x7f && c != '"' && c != '%';
}

/*
 * The bytes that stand for themselves in a page and end nothing: printable
 * ASCII but '"' and '%' (is_raw_ok) and the three the loop of
 * page_normalize looks at ('/', '?', '#'). Almost every byte of a target is
 * one, so the loop copies them after one test instead of six: a 256-bit
 * set, bit c of PLAIN_LO for c < 64, bit c - 64 of PLAIN_HI, none above.
 */
#define BIT(c) (UINT64_C(1) << (c))
#define PLAIN_LO (~(BIT(0x21) - 1) & ~(BIT('"') | BIT('#') | BIT('%') | BIT('/') | BIT('?')))
#define PLAIN_HI (BIT(0x7f - 64) - 1) /* '@' to '~' */

static inline bool is_plain(unsigned char c)
{
	static const uint64_t plain[4] = { PLAIN_LO, PLAIN_HI, 0, 0 };
	return (plain[c >> 6] >> (c & 63)) & 1;
}

/* Skip "http://host" or "https://host" (any case); returns the path part. */
static struct slice strip_absolute(struct slice t)
{
	size_t skip;
	if (slice_istarts(t, "http://"))
		skip = 7;
	else if (slice_istarts(t, "https://"))
		skip = 8;
	else
		return t;
	size_t i = skip;
	while (i < t.n && t.p[i] != '/' && t.p[i] != '?' && t.p[i] != '#')
		i++;
	return slice_make(t.p + i, t.n - i);
}

/* Put the byte at t[*i] (or the %XX escape starting there) into buf in the
 * page's spelling; advances *i past what it took. False when it does not fit. */
static inline __attribute__((always_inline)) bool put_one(struct slice t, size_t *i,
							  char buf[PAGE_MAX], size_t *o)
{
	static const char hex[] = "0123456789ABCDEF";
	unsigned char c = (unsigned char)t.p[*i];
	int hi, lo;
	if (c == '%' && *i + 2 < t.n && (hi = hex_digit((unsigned char)t.p[*i + 1])) >= 0 &&
	    (lo = hex_digit((unsigned char)t.p[*i + 2])) >= 0) {
		c = (unsigned char)(hi << 4 | lo);
		*i += 2;
		if (is_unreserved(c)) {
			if (*o + 1 > PAGE_MAX)
				return false;
			buf[(*o)++] = (char)c;
			return true;
		}
	} else if (is_raw_ok(c)) {
		if (*o + 1 > PAGE_MAX)
			return false;
		buf[(*o)++] = (char)c;
		return true;
	}
	if (*o + 3 > PAGE_MAX)
		return false;
	buf[(*o)++] = '%';
	buf[(*o)++] = hex[c >> 4];
	buf[(*o)++] = hex[c & 15];
	return true;
}

bool page_append_encoded(struct slice s, char buf[PAGE_MAX], size_t *o)
{
	for (size_t i = 0; i < s.n; i++)
		if (!put_one(s, &i, buf, o))
			return false;
	return true;
}

const char *page_normalize(struct slice t, char buf[PAGE_MAX], struct slice *page)
{
	bool absolute = t.n > 0 && t.p[0] != '/';
	if (absolute)
		t = strip_absolute(t);
	if (absolute && (t.n == 0 || t.p[0] == '?' || t.p[0] == '#'))
		t = SLICE_LIT("/"); /* "http://host" or "http://host?q": the root */
	else if (t.n == 0 || t.p[0] != '/')
		return "bad request target";
	size_t o = 0;
	for (size_t i = 0; i < t.n; i++) {
		unsigned char c = (unsigned char)t.p[i];
		if (is_plain(c)) {
			if (o == PAGE_MAX)
				return "page longer than 1024 bytes";
			buf[o++] = (char)c;
			continue;
		}
		if (c == '?' || c == '#')
			break;
		if (c == '/' && o > 0 && buf[o - 1] == '/')
			continue;
		if (!put_one(t, &i, buf, &o))
			return "page longer than 1024 bytes";
	}
	*page = slice_make(buf, o);
	return NULL;
}

bool page_is_static(struct slice page)
{
	/* The name of the last segment ends at its first ';': what follows is
	 * a path parameter, not part of the file's name (Java servlets append
	 * ";jsessionid=..." to every link, assets included, for a client
	 * without cookies: /app.js;jsessionid=... is app.js). */
	size_t seg = page.n;
	while (seg > 0 && page.p[seg - 1] != '/')
		seg--;
	const char *semi = seg < page.n ? memchr(page.p + seg, ';', page.n - seg) : NULL;
	size_t end = semi ? (size_t)(semi - page.p) : page.n, dot = end;
	while (dot > 0 && page.p[dot - 1] != '.' && page.p[dot - 1] != '/')
		dot--;
	if (dot == 0 || page.p[dot - 1] != '.')
		return false;
	size_t n = end - dot;
	if (n == 0 || n > STATIC_EXT_MAX)
		return false;
	char ext[sizeof(static_ext[0])] = { 0 }; /* padded as the table is */
	for (size_t i = 0; i < n; i++)
		ext[i] = ascii_lower(page.p[dot + i]);
	for (size_t k = 0; k < sizeof(static_ext) / sizeof(static_ext[0]); k++) {
		if (static_ext[k][0] > ext[0])
			break; /* the list is in order */
		if (memcmp(static_ext[k], ext, sizeof(ext)) == 0)
			return true;
	}
	return false;
}

/* s equals the lower-case word w, ASCII case-insensitively. */
static bool ieq(struct slice s, const char *w)
{
	size_t n = strlen(w);
	if (s.n != n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (ascii_lower(s.p[i]) != w[i])
			return false;
	return true;
}

static bool istarts(struct slice s, const char *w)
{
	size_t n = strlen(w);
	return s.n >= n && ieq(slice_make(s.p, n), w);
}

/* The segment of page that ends at end (exclusive), and where it starts. */
static struct slice segment_before(struct slice page, size_t end)
{
	size_t b = end;
	while (b > 0 && page.p[b - 1] != '/')
		b--;
	return slice_make(page.p + b, end - b);
}

static bool feed_name(struct slice seg)
{
	if (seg.n > 4 && ieq(slice_make(seg.p + seg.n - 4, 4), ".php"))
		seg.n -= 4;
	return ieq(seg, "feed") || ieq(seg, "rss") || ieq(seg, "atom");
}

/* A query parameter that asks for a feed. */
static bool feed_param(struct slice name, struct slice value)
{
	if (ieq(name, "feed"))
		return true;
	if (!ieq(name, "flav") && !ieq(name, "format"))
		return false;
	return istarts(value, "rss") || istarts(value, "atom") || istarts(value, "rdf");
}

static bool feed_query(struct slice target)
{
	const char *end = memchr(target.p, '#', target.n); /* a fragment holds no query */
	if (!end)
		end = target.p + target.n;
	const char *q = memchr(target.p, '?', (size_t)(end - target.p));
	if (!q)
		return false;
	for (const char *p = q + 1; p < end;) {
		const char *amp = memchr(p, '&', (size_t)(end - p));
		const char *stop = amp ? amp : end;
		const char *eq = memchr(p, '=', (size_t)(stop - p));
		struct slice name = slice_make(p, (size_t)((eq ? eq : stop) - p));
		struct slice value = eq ? slice_make(eq + 1, (size_t)(stop - eq - 1)) : SLICE_LIT("");
		if (feed_param(name, value))
			return true;
		p = stop + (amp != NULL);
	}
	return false;
}

bool page_is_feed(struct slice page, struct slice target)
{
	size_t end = page.n;
	if (end > 1 && page.p[end - 1] == '/')
		end--; /* "/feed/" as "/feed" */
	struct slice last = segment_before(page, end);
	if (feed_name(last))
		return true;
	size_t before = (size_t)(last.p - page.p);
	if (before > 1 && ieq(segment_before(page, before - 1), "feed"))
		return true;
	return target.n && feed_query(target);
}

bool page_type_is_html(struct slice ct)
{
	if (!ct.p || ct.n == 0 || slice_is_dash(ct))
		return true;
	const char *semi = memchr(ct.p, ';', ct.n);
	size_t b = 0, e = semi ? (size_t)(semi - ct.p) : ct.n;
	while (b < e && (ct.p[b] == ' ' || ct.p[b] == '\t'))
		b++;
	while (e > b && (ct.p[e - 1] == ' ' || ct.p[e - 1] == '\t'))
		e--;
	struct slice type = slice_make(ct.p + b, e - b);
	return ieq(type, "text/html") || ieq(type, "application/xhtml+xml");
}
