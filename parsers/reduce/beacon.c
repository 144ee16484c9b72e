/*
 * beacon.c - a beacon or tracker query string to a reduced event.
 *
 * One pass splits the query at '&' and keeps, for the keys of the source's
 * table only, the raw value (a key seen twice keeps none). Values are then
 * decoded one at a time into fixed buffers, never longer than their stated
 * maximum; nothing is allocated. Keys not in the table are never decoded.
 */
#include "beacon.h"

#include <string.h>

#include "../../common/host.h"
#include "pagerules.h"

/* The keys read, per source; everything else is skipped unread. */
enum { K_PAGE, K_EVENT, K_WIDTH, K_TTFB, K_DCL, K_LOAD, K_ENGAGED, K_SCROLL, K_LABEL };
static const char *const logfold_keys[] = {
	[K_PAGE] = "p", [K_EVENT] = "e", [K_WIDTH] = "w", [K_TTFB] = "tb", [K_DCL] = "dc",
	[K_LOAD] = "ld", [K_ENGAGED] = "en", [K_SCROLL] = "sc", [K_LABEL] = "lb",
};

enum { M_URL, M_RES, M_PF0, M_PF5 = M_PF0 + 5, M_EC, M_EA, M_EN, M_LINK, M_DOWNLOAD, M_PING };
static const char *const matomo_keys[] = {
	[M_URL] = "url",       [M_RES] = "res",       [M_PF0] = "pf_net",    [M_PF0 + 1] = "pf_srv",
	[M_PF0 + 2] = "pf_tfr", [M_PF0 + 3] = "pf_dm1", [M_PF0 + 4] = "pf_dm2", [M_PF5] = "pf_onl",
	[M_EC] = "e_c",        [M_EA] = "e_a",        [M_EN] = "e_n",        [M_LINK] = "link",
	[M_DOWNLOAD] = "download", [M_PING] = "ping",
};

#define KEYS_MAX 16 /* the longer table above */
#define NKEYS(t) (sizeof(t) / sizeof((t)[0]))
_Static_assert(NKEYS(matomo_keys) <= KEYS_MAX && NKEYS(logfold_keys) <= KEYS_MAX,
	       "raise KEYS_MAX");

/* Widths of the classes, Bootstrap's breakpoints: xs below 576 ... */
static const struct {
	uint32_t below;
	const char *name;
} width_classes[] = {
	{ 576, "xs" }, { 768, "sm" }, { 992, "md" }, { 1200, "lg" }, { 1400, "xl" },
	{ UINT32_MAX, "xxl" },
};

const char *beacon_width_class(uint32_t width)
{
	size_t i = 0;
	while (i + 1 < NKEYS(width_classes) && width >= width_classes[i].below)
		i++;
	return width_classes[i].name;
}

/* The class named s, as the static string, or NULL. */
static const char *width_class_named(struct slice s)
{
	for (size_t i = 0; i < NKEYS(width_classes); i++)
		if (slice_eq_cstr(s, width_classes[i].name))
			return width_classes[i].name;
	return NULL;
}

/* Raw values by key index; p == NULL when absent or given twice. */
struct raw_query {
	struct slice v[KEYS_MAX];
};

static void split_query(struct slice q, const char *const *keys, size_t nkeys,
			struct raw_query *out)
{
	unsigned seen = 0, twice = 0;
	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < q.n;) {
		const char *amp = memchr(q.p + i, '&', q.n - i);
		size_t end = amp ? (size_t)(amp - q.p) : q.n;
		struct slice pair = slice_make(q.p + i, end - i);
		const char *eq = memchr(pair.p, '=', pair.n);
		struct slice key = eq ? slice_make(pair.p, (size_t)(eq - pair.p)) : pair;
		for (size_t k = 0; k < nkeys; k++) {
			if (!slice_eq_cstr(key, keys[k]))
				continue;
			twice |= seen & (1u << k);
			seen |= 1u << k;
			out->v[k] = eq ? slice_make(eq + 1, (size_t)(pair.p + pair.n - eq - 1))
				       : SLICE_LIT("");
			break;
		}
		i = end + 1;
	}
	for (size_t k = 0; k < nkeys; k++)
		if (twice & (1u << k))
			out->v[k] = (struct slice){ NULL, 0 };
}

/*
 * Percent-decode v into out (cap bytes); '+' is a space when plus is set.
 * With stop set, decoding ends at a decoded '?' or '#' (a URL's query and
 * fragment are never kept). False for a bad escape, a NUL byte, or a
 * result longer than cap. *n is the decoded length.
 */
static bool decode(struct slice v, char *out, size_t cap, bool plus, bool stop, size_t *n)
{
	size_t o = 0;
	for (size_t i = 0; i < v.n; i++) {
		int c = (unsigned char)v.p[i];
		if (c == '%') {
			int hi = i + 2 < v.n ? hex_digit((unsigned char)v.p[i + 1]) : -1;
			int lo = hi >= 0 ? hex_digit((unsigned char)v.p[i + 2]) : -1;
			if (lo < 0)
				return false;
			c = hi << 4 | lo;
			i += 2;
		} else if (c == '+' && plus) {
			c = ' ';
		}
		if (c == 0)
			return false;
		if (stop && (c == '?' || c == '#'))
			break;
		if (o == cap)
			return false;
		out[o++] = (char)c;
	}
	*n = o;
	return true;
}

/* 1 to 9 decimal digits (no sign, point or exponent), at most max. */
static bool number(struct slice v, uint32_t max, uint32_t *out)
{
	uint32_t x = 0;
	if (!v.p || v.n == 0 || v.n > 9)
		return false;
	for (size_t i = 0; i < v.n; i++) {
		if (v.p[i] < '0' || v.p[i] > '9')
			return false;
		x = x * 10 + (uint32_t)(v.p[i] - '0');
	}
	if (x > max)
		return false;
	*out = x;
	return true;
}

static bool is_label_char(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == ' ' || c == '.' || c == '_' || c == '-' || c == '/';
}

size_t beacon_label_clean(struct slice in, char out[BEACON_LABEL_MAX + 1])
{
	char buf[PAGE_MAX];
	struct slice s;
	if (in.n == 0 || in.n > BEACON_LABEL_MAX)
		return 0;
	for (size_t i = 0; i < in.n; i++)
		if (!is_label_char((unsigned char)in.p[i]))
			return 0;
	/* Words between spaces, dots and slashes are looked at as a page's
	 * segments are. A label holds no '@' (so no e-mail address), and every
	 * other replacement is shorter than what it replaces (":uuid" for 36
	 * bytes, ":token" for 20 or more, ":num" for 10 or more): s fits. */
	if (!ids_replace(in, " ./", buf, &s) || s.n > BEACON_LABEL_MAX)
		return 0;
	memcpy(out, s.p, s.n);
	out[s.n] = '\0';
	return s.n;
}

/* Decode v (form-encoded) and clean it as a label into buf->label. */
static struct slice label_of(struct slice v, struct beacon_buf *buf)
{
	size_t n;
	if (!v.p || !decode(v, buf->part, BEACON_LABEL_MAX, true, false, &n))
		return SLICE_LIT("");
	n = beacon_label_clean(slice_make(buf->part, n), buf->label);
	return slice_make(buf->label, n);
}

/* The page: a decoded path or URL into buf->target; false when unusable. */
static bool target_of(struct slice v, struct beacon_buf *buf, struct slice *out)
{
	size_t n;
	if (!v.p || !decode(v, buf->target, sizeof(buf->target), false, true, &n) || n == 0)
		return false;
	*out = slice_make(buf->target, n);
	return true;
}

/* The load event of the logfold beacon: class and load time. TTFB and
 * DOMContentLoaded are checked against the load time (each at most it):
 * a timing that contradicts itself is not trusted at all. */
static void logfold_load(const struct raw_query *q, struct beacon *out)
{
	uint32_t ld, tb = 0, dc = 0;
	out->screen = q->v[K_WIDTH].p ? width_class_named(q->v[K_WIDTH]) : NULL;
	if (!number(q->v[K_LOAD], BEACON_MS_MAX, &ld))
		return;
	if (q->v[K_TTFB].p && (!number(q->v[K_TTFB], BEACON_MS_MAX, &tb) || tb > ld))
		return;
	if (q->v[K_DCL].p && (!number(q->v[K_DCL], BEACON_MS_MAX, &dc) || dc > ld || tb > dc))
		return;
	out->load_ms = ld;
}

static const char *const logfold_events[] = { "load", "leave", "click", "select" };

static void parse_logfold(const struct raw_query *q, struct beacon_buf *buf, struct beacon *out)
{
	size_t e = 0;
	while (e < NKEYS(logfold_events) && !slice_eq_cstr(q->v[K_EVENT], logfold_events[e]))
		e++;
	if (e == NKEYS(logfold_events) || !q->v[K_EVENT].p || !target_of(q->v[K_PAGE], buf, &out->target))
		return;
	if (e == 0) {
		out->kind = HIT_LOAD;
		logfold_load(q, out);
	} else if (e == 1) {
		uint32_t s;
		if (!number(q->v[K_ENGAGED], BEACON_ENGAGED_MAX, &out->engaged_s))
			return;
		if (number(q->v[K_SCROLL], 100, &s))
			out->scroll = (uint8_t)s;
		out->kind = HIT_LEAVE;
	} else {
		out->kind = HIT_ACTION;
		out->action = e == 2 ? ACTION_CLICK : ACTION_SELECT;
		if (e == 2)
			out->label = label_of(q->v[K_LABEL], buf);
	}
}

/* The host of an absolute http(s) URL, normalised (common/host.h), as a
 * label: an [IPv6] host or one longer than a label is none. */
static struct slice host_label(struct slice v, struct beacon_buf *buf)
{
	size_t n, a;
	char host[HOST_MAX + 1];
	struct slice h;
	if (!v.p || !decode(v, buf->url, sizeof(buf->url), false, true, &n))
		return SLICE_LIT("");
	struct slice u = slice_make(buf->url, n);
	size_t skip = slice_istarts(u, "https://") ? 8 : slice_istarts(u, "http://") ? 7 : 0;
	if (!skip)
		return SLICE_LIT("");
	for (a = skip; a < n && buf->url[a] != '/' && buf->url[a] != '?' && buf->url[a] != '#'; a++)
		;
	if (!host_normalize(slice_make(buf->url + skip, a - skip), HOST_URL, host, &h))
		return SLICE_LIT("");
	n = beacon_label_clean(h, buf->label);
	return slice_make(buf->label, n);
}

/* The file extension of a download URL (1 to 10 letters or digits after
 * the last '.' of its last segment), lower-cased, as a label. */
static struct slice ext_label(struct slice v, struct beacon_buf *buf)
{
	size_t n, dot = 0;
	if (!v.p || !decode(v, buf->url, sizeof(buf->url), false, true, &n))
		return SLICE_LIT("");
	for (size_t i = 0; i < n; i++) {
		if (buf->url[i] == '/')
			dot = 0;
		else if (buf->url[i] == '.')
			dot = i + 1;
	}
	if (dot == 0 || n - dot < 1 || n - dot > 10)
		return SLICE_LIT("");
	for (size_t i = dot; i < n; i++) {
		char c = buf->url[i];
		c = (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')))
			return SLICE_LIT("");
		buf->label[i - dot] = c;
	}
	buf->label[n - dot] = '\0';
	return slice_make(buf->label, n - dot);
}

/* A Matomo custom event's label: category/action[/name], cleaned whole. */
static struct slice event_label(const struct raw_query *q, struct beacon_buf *buf)
{
	char joined[BEACON_LABEL_MAX];
	size_t o = 0, n;
	for (int k = M_EC; k <= M_EN; k++) {
		if (!q->v[k].p || !decode(q->v[k], buf->part, BEACON_LABEL_MAX, true, false, &n))
			continue;
		if (o + (o > 0) + n > sizeof(joined))
			return SLICE_LIT("");
		if (o > 0)
			joined[o++] = '/';
		memcpy(joined + o, buf->part, n);
		o += n;
	}
	n = beacon_label_clean(slice_make(joined, o), buf->label);
	return slice_make(buf->label, n);
}

/* Matomo computes page load time as the sum of its pf_* parts. */
static uint32_t matomo_load_ms(const struct raw_query *q)
{
	uint32_t sum = 0, v;
	bool any = false;
	for (int k = M_PF0; k <= M_PF5; k++) {
		if (!q->v[k].p)
			continue;
		if (!number(q->v[k], BEACON_MS_MAX, &v))
			return HIT_NO_LOAD_TIME;
		sum += v;
		any = true;
	}
	return any && sum <= BEACON_MS_MAX ? sum : HIT_NO_LOAD_TIME;
}

/* "1920x1080": the width's class. */
static const char *matomo_screen(struct slice v)
{
	uint32_t w, h;
	const char *x = v.p ? memchr(v.p, 'x', v.n) : NULL;
	if (!x || !number(slice_make(v.p, (size_t)(x - v.p)), BEACON_WIDTH_MAX, &w) ||
	    !number(slice_make(x + 1, (size_t)(v.p + v.n - x - 1)), BEACON_WIDTH_MAX, &h) || w == 0)
		return NULL;
	return beacon_width_class(w);
}

static void parse_matomo(const struct raw_query *q, struct beacon_buf *buf, struct beacon *out)
{
	if (!target_of(q->v[M_URL], buf, &out->target))
		return;
	if (q->v[M_PING].p) {
		out->kind = slice_eq_cstr(q->v[M_PING], "1") ? HIT_PING : HIT_NOTHING;
	} else if (q->v[M_EC].p || q->v[M_EA].p) {
		out->kind = HIT_ACTION;
		out->action = ACTION_EVENT;
		out->label = event_label(q, buf);
	} else if (q->v[M_LINK].p || q->v[M_DOWNLOAD].p) {
		out->kind = HIT_ACTION;
		out->action = ACTION_CLICK;
		out->label = q->v[M_LINK].p ? host_label(q->v[M_LINK], buf)
					    : ext_label(q->v[M_DOWNLOAD], buf);
	} else {
		out->kind = HIT_LOAD;
		out->screen = matomo_screen(q->v[M_RES]);
		out->load_ms = matomo_load_ms(q);
	}
}

void beacon_parse(struct slice query, enum beacon_source src, struct beacon_buf *buf,
		  struct beacon *out)
{
	struct raw_query q;
	*out = (struct beacon){ .kind = HIT_NOTHING, .load_ms = HIT_NO_LOAD_TIME,
				.scroll = HIT_NO_SCROLL, .label = SLICE_LIT("") };
	if (src == BEACON_LOGFOLD) {
		split_query(query, logfold_keys, NKEYS(logfold_keys), &q);
		parse_logfold(&q, buf, out);
	} else {
		split_query(query, matomo_keys, NKEYS(matomo_keys), &q);
		parse_matomo(&q, buf, out);
	}
}
