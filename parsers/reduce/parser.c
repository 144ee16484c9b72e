/*
 * parser.c - raw line to hit. The checks run in a fixed order and stop at
 * the first that fails, so a line is counted under exactly one reason and
 * no work is done on lines that will not count: malformed, expired (once
 * the time is read: a day the retention deletes is never computed),
 * not_get, status, static, other_site, bot, excluded. other_site comes
 * before bot, so that no robot of a host off --site-allow reaches
 * bots_daily or makes a day.
 *
 * One thing comes before them all: a request carrying its site's opt-out
 * marker is dropped as soon as the fields are found, and is not counted
 * under any reason (run.c does not even count it as a line). One comes out
 * of order: a page that only passes 1024 bytes once its rules have grown it
 * (a rewrite, kept query parameters) is malformed, found after other_site.
 *
 * A request that is not "METHOD target [protocol]" with a method of GET is
 * not_get, not malformed: nginx logs "-" or TLS bytes for requests that
 * never got that far, and those are traffic, not broken log lines. A line
 * that is no request at all (blank, a comment, a server's own message, a
 * TCP connection with neither request nor status) is not_request: neither
 * is damage, so neither counts towards --max-bad.
 *
 * Nothing here depends on the format: the scanner (format.h) hands over
 * raw fields, and each stage below reads them the same way for all.
 */
#include "parser.h"

#include <stdlib.h>
#include <string.h>

#include "../../common/host.h"
#include "../../common/siphash.h"
#include "../../common/zeros.h"
#include "../formats/clf.h"
#include "../formats/logtime.h"
#include "../input/input.h"
#include "../input/lookahead.h"
#include "../input/resume.h"
#include "agent.h"
#include "beacon.h"
#include "bots.h"
#include "clientip.h"
#include "geo.h"
#include "ipaddr.h"
#include "page.h"
#include "pagerules.h"
#include "referrer.h"
#include "tz.h"

_Static_assert(PARSER_SIG_LINES == RESUME_SIG_LINES, "one number of signed lines");

/* The parser's state: its configuration and key, and the scratch its
 * lines are reduced in (a hit's slices point here until the next call).
 * Large (two 64 KiB scratch buffers and the compiled format): on the heap. */
struct parser {
	struct parser_config cfg;
	unsigned char key[PARSER_KEY_BYTES];
	char site[SITE_MAX + 1];
	size_t site_len;        /* of cfg.site, lower-cased into site[] */
	char vhost[SITE_MAX + 1]; /* the line's own host, lower-cased (kept
				   * apart from site[]: the next line may have none) */
	struct page_rules *rules[PARSER_SITES_MAX + 1]; /* [0]: cfg.rules; [1+i]: sites[i] */
	struct page_bufs page;  /* the page in page.b[0], and scratch for its rules */
	struct referrer_buf ref;        /* the referrer value of the last hit */
	struct page_bufs ref_page;      /* an internal referrer after its page rules */
	char unescaped[INPUT_LINE_MAX]; /* the request after \xNN decoding */
	char agent[INPUT_LINE_MAX];     /* the user agent after decoding */
	struct beacon_buf beacon;       /* a beacon's decoded values */
	struct slice beacon_path;       /* cfg's, measured once: every page is */
	struct slice trackers[PARSER_TRACKERS_MAX]; /* compared with them */
	struct scanner scan;
	struct tz_cache tz;
	struct logtime_memo time_memo; /* zeroed by parser_new's calloc */
};

static void lower_copy(char *dst, const char *src, size_t n)
{
	for (size_t i = 0; i < n; i++)
		dst[i] = ascii_lower(src[i]);
}

_Static_assert(SITE_MAX == HOST_MAX, "a site is at most a host name's length (common/host.h)");

/* Set up p (zeroed) with cfg and a copy of key; see parser_new. */
static enum lf_status parser_init(struct parser *p, const struct parser_config *cfg,
				  const unsigned char key[PARSER_KEY_BYTES])
{
	static const struct page_rules_spec none;
	size_t n = cfg->site ? strlen(cfg->site) : 0;
	if (n == 0 || n > SITE_MAX || cfg->mask_bytes < 1 || cfg->mask_bytes > 4 ||
	    cfg->nsites > PARSER_SITES_MAX || cfg->nsite_allow > PARSER_SITES_MAX ||
	    cfg->ntrackers > PARSER_TRACKERS_MAX)
		return LF_ERR_USAGE;
	p->cfg = *cfg;
	memcpy(p->key, key, PARSER_KEY_BYTES);
	lower_copy(p->site, cfg->site, n);
	p->site[n] = '\0';
	p->site_len = n;
	if (cfg->beacon_path)
		p->beacon_path = slice_cstr(cfg->beacon_path);
	for (int i = 0; i < cfg->ntrackers; i++)
		p->trackers[i] = slice_cstr(cfg->trackers[i]);
	tz_cache_init(&p->tz);
	if (cfg->format != FMT_AUTO)
		scanner_init(&p->scan, cfg->format, cfg->custom, cfg->json_map);
	enum lf_status st = page_rules_compile(&p->rules[0], cfg->rules ? cfg->rules : &none);
	for (int i = 0; i < cfg->nsites && st == LF_OK; i++)
		st = page_rules_compile(&p->rules[1 + i], cfg->sites[i].rules);
	return st;
}

enum lf_status parser_new(struct parser **out, const struct parser_config *cfg,
			  const unsigned char key[PARSER_KEY_BYTES])
{
	struct parser *p = calloc(1, sizeof(*p));
	*out = NULL;
	if (!p)
		return LF_ERR_NOMEM;
	enum lf_status st = parser_init(p, cfg, key);
	if (st != LF_OK) {
		parser_free(p);
		return st;
	}
	*out = p;
	return LF_OK;
}

void parser_set_format(struct parser *p, enum log_format f)
{
	p->cfg.format = f;
	scanner_init(&p->scan, f, p->cfg.custom, p->cfg.json_map);
}

enum log_format parser_format(const struct parser *p)
{
	return p->cfg.format;
}

const struct scanner *parser_scanner(const struct parser *p)
{
	return &p->scan;
}

void parser_set_scanner(struct parser *p, const struct scanner *s)
{
	p->cfg.format = s->format;
	scanner_copy(&p->scan, s);
}

static bool inside(struct slice s, const char *buf, size_t len)
{
	return s.p >= buf && s.n <= len && (size_t)(s.p - buf) <= len - s.n;
}

bool parser_holds(const struct parser *p, enum parser_buf b, struct slice s)
{
	switch (b) {
	case PARSER_BUF_PAGE: /* page.b[0] or [1], as its rules left it */
		return inside(s, p->page.b[0], sizeof(p->page));
	case PARSER_BUF_SITE:
		return inside(s, p->site, sizeof(p->site)) || inside(s, p->vhost, sizeof(p->vhost));
	case PARSER_BUF_LABEL: return inside(s, p->beacon.label, sizeof(p->beacon.label));
	}
	return false;
}

void parser_free(struct parser *p)
{
	if (!p)
		return;
	for (int i = 0; i <= PARSER_SITES_MAX; i++)
		page_rules_free(p->rules[i]);
	/* explicit_bzero: a plain memset of memory about to die may be elided. */
	explicit_bzero(p, sizeof(*p));
	free(p);
}

/* \uXXXX (JSON) at s as UTF-8 into out; the bytes written, 0 if not one.
 * Surrogates are written as their code units: a page or agent keeps its
 * bytes distinct, which is all logfold asks of it. */
static size_t unescape_u(const char *s, size_t left, char *out)
{
	unsigned v = 0;
	if (left < 6)
		return 0;
	for (int k = 2; k < 6; k++) {
		int h = hex_digit((unsigned char)s[k]);
		if (h < 0)
			return 0;
		v = v << 4 | (unsigned)h;
	}
	if (v < 0x80) {
		out[0] = (char)v;
		return 1;
	}
	if (v < 0x800) {
		out[0] = (char)(0xc0 | v >> 6);
		out[1] = (char)(0x80 | (v & 0x3f));
		return 2;
	}
	out[0] = (char)(0xe0 | v >> 12);
	out[1] = (char)(0x80 | ((v >> 6) & 0x3f));
	out[2] = (char)(0x80 | (v & 0x3f));
	return 3;
}

/* unescape_backslash of an s that holds a backslash. Apart, so that the
 * test made on three fields of every line, which almost never holds one,
 * costs a memchr and not the call of all this. */
static __attribute__((noinline)) struct slice decode_backslash(struct slice s, char *out)
{
	size_t o = 0;
	for (size_t i = 0; i < s.n; i++) {
		char c = s.p[i];
		if (c == '\\' && i + 1 < s.n) {
			char e = s.p[i + 1];
			int hi, lo;
			size_t u;
			if (e == 'x' && i + 3 < s.n && (hi = hex_digit((unsigned char)s.p[i + 2])) >= 0 &&
			    (lo = hex_digit((unsigned char)s.p[i + 3])) >= 0) {
				out[o++] = (char)(hi << 4 | lo);
				i += 3;
				continue;
			}
			if (e == 'u' && (u = unescape_u(s.p + i, s.n - i, out + o)) > 0) {
				o += u;
				i += 5;
				continue;
			}
			static const char from[] = "\"\\ntrbf/", to[] = "\"\\\n\t\r\b\f/";
			const char *k = memchr(from, e, sizeof(from) - 1);
			if (k) {
				out[o++] = to[k - from];
				i++;
				continue;
			}
		}
		out[o++] = c;
	}
	return slice_make(out, o);
}

/* Undo the log writer's backslash escapes: \" \\ \xNN (Apache, nginx), \n
 * \t \r (Apache), \uXXXX \b \f \/ (JSON). Unknown escapes are kept as
 * written. out holds s.n bytes (no escape decodes longer than it is). */
static inline struct slice unescape_backslash(struct slice s, char *out)
{
	if (s.n == 0 || !memchr(s.p, '\\', s.n)) /* s.p may be NULL when empty */
		return s;
	return decode_backslash(s, out);
}

/* W3C '+' for a space, CloudFront's %XX: decoded once. */
static struct slice unescape_url(struct slice s, bool plus, char *out)
{
	size_t o = 0;
	for (size_t i = 0; i < s.n; i++) {
		int hi, lo;
		if (plus && s.p[i] == '+') {
			out[o++] = ' ';
		} else if (!plus && s.p[i] == '%' && i + 2 < s.n &&
			   (hi = hex_digit((unsigned char)s.p[i + 1])) >= 0 &&
			   (lo = hex_digit((unsigned char)s.p[i + 2])) >= 0) {
			out[o++] = (char)(hi << 4 | lo);
			i += 2;
		} else {
			out[o++] = s.p[i];
		}
	}
	return slice_make(out, o);
}

/* Text of a referer or agent, as the writer's escape says. */
static struct slice unescape_text(struct slice s, enum field_escape e, char *out)
{
	switch (e) {
	case ESC_NONE: return s;
	case ESC_PLUS: return unescape_url(s, true, out);
	case ESC_PERCENT: return unescape_url(s, false, out);
	default: return unescape_backslash(s, out);
	}
}

/* "host:port" or "host" -> the host, normalised, into p->vhost. */
static const char *take_vhost(struct parser *p, struct slice v, struct slice *site)
{
	return host_normalize(v, HOST_PORT, p->vhost, site) ? NULL : "bad virtual host";
}

/* Status: three digits. */
static int parse_status(struct slice s)
{
	if (s.n != 3)
		return -1;
	int v = 0;
	for (int i = 0; i < 3; i++) {
		if (s.p[i] < '0' || s.p[i] > '9')
			return -1;
		v = v * 10 + (s.p[i] - '0');
	}
	return v;
}

/* Split "METHOD target [HTTP/x]". False when there is no target. */
static bool split_request(struct slice r, struct slice *method, struct slice *target)
{
	const char *sp = memchr(r.p, ' ', r.n);
	if (!sp)
		return false;
	*method = slice_make(r.p, (size_t)(sp - r.p));
	const char *t = sp + 1, *end = r.p + r.n;
	const char *last = end;
	while (last > t && last[-1] != ' ')
		last--;
	if (last > t && (size_t)(end - last) >= 5 && memcmp(last, "HTTP/", 5) == 0)
		end = last - 1;
	while (end > t && end[-1] == ' ')
		end--;
	*target = slice_make(t, (size_t)(end - t));
	return target->n > 0;
}

/* The rules of site: its own section's, or everyone's. */
static struct page_rules *rules_for(struct parser *p, struct slice site)
{
	for (int i = 0; i < p->cfg.nsites; i++)
		if (slice_eq_cstr(site, p->cfg.sites[i].host))
			return p->rules[1 + i];
	return p->rules[0];
}

static bool site_allowed(const struct parser *p, struct slice site)
{
	for (int i = 0; i < p->cfg.nsite_allow; i++)
		if (slice_eq_cstr(site, p->cfg.site_allow[i]))
			return true;
	return p->cfg.nsite_allow == 0;
}

/* ---- the visitor: the fields that make one, and the hashes of them ------ */

/* The fields that define a visitor, in the order they are hashed. */
#define VISITOR_FIELDS 3

/*
 * The one list of what a visitor is, within a site and a run: the client's
 * address (its 16 bytes once parsed; its text when it is no address, a host
 * name logged with HostnameLookups on), the user agent as logged (escapes
 * undone), and the site. Every hash of a visitor takes its fields from
 * here: the run's keyed visitor hash (visitor_hash) and the routing hash of
 * --shard (route_hash), so that a visitor is one visitor and lives in one
 * shard; --jobs partitions by the same list.
 */
static void visitor_fields(const struct ipaddr *ip, struct slice client, struct slice agent,
			   struct slice site, struct slice out[VISITOR_FIELDS])
{
	out[0] = ip->family ? slice_make((const char *)ip->bytes, sizeof(ip->bytes)) : client;
	out[1] = agent;
	out[2] = site;
}

/* SipHash under key of the fields (h: started with siphash_init or
 * siphash13_init), each length-prefixed (4 bytes, little-endian), so that
 * no two different lists collide by shifting bytes from one field into the
 * next, and the hash is the same on every machine. */
static uint64_t visitor_fields_hash(struct siphash *h, const struct slice f[VISITOR_FIELDS])
{
	for (int i = 0; i < VISITOR_FIELDS; i++) {
		unsigned char len[4] = { (unsigned char)f[i].n, (unsigned char)(f[i].n >> 8),
					 (unsigned char)(f[i].n >> 16),
					 (unsigned char)(f[i].n >> 24) };
		siphash_update(h, len, sizeof(len));
		siphash_update(h, f[i].p, f[i].n);
	}
	return siphash_final(h);
}

/* The visitor, under the run's random key: an identifier within the run
 * only (hit.h), so SipHash-1-3 (siphash.h). */
static uint64_t visitor_hash(const struct parser *p, const struct ipaddr *ip,
			     struct slice client, struct slice agent, struct slice site)
{
	struct slice f[VISITOR_FIELDS];
	struct siphash h;
	visitor_fields(ip, client, agent, site, f);
	siphash13_init(&h, p->key);
	return visitor_fields_hash(&h, f);
}

/* The routing key of --shard: fixed and public, so that every machine
 * routes a visitor to the same shard. The hash under it only picks the
 * shard and is never written nor handed on (hit.h has only the verdict). */
static const unsigned char route_key[16] = "logfold-route-v1";

uint64_t parser_route_hash(const struct ipaddr *ip, struct slice client, struct slice agent,
			   struct slice site)
{
	struct slice f[VISITOR_FIELDS];
	struct siphash h;
	visitor_fields(ip, client, agent, site, f);
	siphash_init(&h, route_key); /* SipHash-2-4: as every version routes */
	return visitor_fields_hash(&h, f);
}

/* Whether this run counts the visitor of (ip, client, agent, site): always
 * without --shard; with it, when the routing hash modulo N is I. */
static bool shard_owns(const struct parser *p, const struct ipaddr *ip, struct slice client,
		       struct slice agent, struct slice site)
{
	if (p->cfg.shard_count <= 1)
		return true;
	return parser_route_hash(ip, client, agent, site) % p->cfg.shard_count ==
	       p->cfg.shard_index;
}

/* The referrer dimensions. A format that logs no referer leaves the field
 * with p == NULL (the scanners): then they stay empty, not "(direct)".
 * The request and its page rules are done with, so the referer is
 * unescaped into the request's scratch. An internal referrer is a page of
 * the site: it goes through the site's page rules as the request's page
 * did (exclusions, rewrites, identifier-shaped segments, allow-list; no
 * query parameter is kept), and a page the rules exclude, or one they make
 * too long, is "(other)", as a page off the allow-list is. */
static void fill_referrer(struct parser *p, struct page_rules *rules, struct slice raw,
			  enum field_escape esc, struct hit *out)
{
	if (!raw.p)
		return;
	struct referrer_rules rr = { NULL, 0, p->cfg.psl, p->cfg.mask_bytes };
	struct slice *value = &out->dim[DIM_REFERRER];
	rr.aliases = page_rules_aliases(rules, &rr.naliases);
	struct slice ref = unescape_text(raw, esc, p->unescaped);
	enum referrer_type t = referrer_reduce(ref, out->site, &rr, &p->ref, value);
	if (t == REF_INTERNAL &&
	    page_rules_apply(rules, *value, *value, &p->ref_page, value) != PAGE_COUNT)
		*value = SLICE_LIT(PAGE_OTHER);
	out->dim[DIM_REFERRER_TYPE] = referrer_type_names[t];
}

/* Is page the beacon's endpoint or a tracker's? */
static bool beacon_source(const struct parser *p, struct slice page, enum beacon_source *src)
{
	*src = BEACON_LOGFOLD;
	if (p->cfg.beacon_path && slice_eq(page, p->beacon_path))
		return true;
	*src = BEACON_MATOMO;
	for (int i = 0; i < p->cfg.ntrackers; i++)
		if (slice_eq(page, p->trackers[i]))
			return true;
	return false;
}

/* Fill out's event from the query of target (the request's raw target).
 * The event's page replaces the endpoint in out->page. */
static void read_beacon(struct parser *p, struct slice target, enum beacon_source src,
			struct hit *out)
{
	struct beacon b;
	const char *q = memchr(target.p, '?', target.n);
	struct slice query = SLICE_LIT("");
	if (q) {
		const char *end = memchr(q, '#', (size_t)(target.p + target.n - q));
		query = slice_make(q + 1, (size_t)((end ? end : target.p + target.n) - q - 1));
	}
	beacon_parse(query, src, &p->beacon, &b);
	if (b.kind != HIT_NOTHING && page_normalize(b.target, p->page.b[0], &out->page) != NULL)
		b.kind = HIT_NOTHING;
	out->kind = b.kind;
	out->tracker = src == BEACON_MATOMO;
	out->action = (uint8_t)b.action;
	out->scroll = b.scroll;
	out->client_load_ms = b.load_ms;
	out->engaged_s = b.engaged_s;
	out->label = b.label;
	if (b.screen)
		out->dim[DIM_SCREEN] = slice_cstr(b.screen);
}

/* A request field with no request in it: empty, "-" or ELB's "- - - ". */
static bool no_request(const struct raw_fields *f)
{
	if (f->target.n || f->method.n)
		return false;
	for (size_t i = 0; i < f->request.n; i++)
		if (f->request.p[i] != '-' && f->request.p[i] != ' ')
			return false;
	return true;
}

/* Whether a request for page (target: as logged, with its query) is a page
 * a person reads: not a static asset, not a feed, and, where the format
 * logs the response's type, an HTML one (unless --any-content-type). */
static bool is_page(const struct parser *p, const struct raw_fields *f, struct slice page,
		    struct slice target)
{
	if (page_is_static(page) || page_is_feed(page, target))
		return false;
	return p->cfg.any_content_type || page_type_is_html(f->content_type);
}

/* The time of f, put into --tz's zone when one is set. */
static bool take_time(struct parser *p, const struct raw_fields *f, struct logtime *t)
{
	if (!logtime_parse_memo(f, &p->time_memo, t))
		return false;
	if (p->cfg.use_tz)
		tz_fix(&p->tz, t);
	return true;
}

/* Method and target, from the request line or from the fields a format
 * logs apart. False: no request to speak of (not_get). */
static bool take_request(struct parser *p, const struct raw_fields *f, struct slice *method,
			 struct slice *target)
{
	if (f->request.n) {
		struct slice r = f->escape == ESC_BACKSLASH ? unescape_backslash(f->request, p->unescaped)
							    : f->request;
		return split_request(r, method, target);
	}
	/* A format that logs a path but no method (no %m, $request_method or
	 * cs-method) is read as GET: it says nothing of other methods. */
	*method = f->method.p ? f->method : SLICE_LIT("GET");
	*target = f->escape == ESC_BACKSLASH ? unescape_backslash(f->target, p->unescaped)
					     : f->target;
	return target->n > 0;
}

/* The client of f, chosen (--client-ip) and parsed into *ip, still whole:
 * the caller masks it and wipes it. Its text in *client. */
static void pick_client(const struct parser *p, const struct raw_fields *f, struct ipaddr *ip,
			struct slice *client)
{
	bool parsed;
	*client = f->client;
	if (p->cfg.client_ip)
		*client = client_ip_pick(p->cfg.client_ip, f, ip, &parsed);
	else
		parsed = ip_parse(*client, ip);
	if (!parsed)
		ip->family = 0; /* a host name (HostnameLookups on): hashed, never kept */
}

/* The client, masked into out->ip and hashed into out->visitor; false,
 * with neither done, for a visitor of another shard (--shard): routed
 * before the referrer, geography and the aggregator's work, so that a line
 * of another shard costs its parsing, its robot test and its page rules
 * only. */
static bool take_client(struct parser *p, const struct raw_fields *f, struct slice agent,
			struct slice site, struct hit *out)
{
	struct ipaddr ip;
	struct slice client;
	pick_client(p, f, &ip, &client);
	bool mine = shard_owns(p, &ip, client, agent, site);
	if (mine) {
		out->ip = ip_mask(&ip, p->cfg.mask_bytes);
		out->visitor = visitor_hash(p, &ip, client, agent, site);
	}
	explicit_bzero(&ip, sizeof(ip));
	return mine;
}

bool parser_line_time(struct parser *p, struct slice line, int64_t *utc, int32_t *offset)
{
	struct raw_fields f;
	struct logtime t;
	if (scanner_scan(&p->scan, line, &f) || !take_time(p, &f, &t))
		return false;
	*utc = t.utc;
	*offset = t.offset;
	return true;
}

enum skip_reason parser_line(struct parser *p, struct slice line, struct hit *out,
			     const char **why)
{
	struct raw_fields f;
	struct logtime t;
	struct slice method, target, site = slice_make(p->site, p->site_len);
	*why = scanner_scan(&p->scan, line, &f);
	if (*why == logfmt_not_request)
		return SKIP_NOT_REQUEST;
	if (*why)
		return SKIP_MALFORMED;
	if (!slice_is_dash(f.vhost) && (*why = take_vhost(p, f.vhost, &site)) != NULL)
		return SKIP_MALFORMED;
	struct page_rules *rules = rules_for(p, site);
	if (page_rules_opted_out(rules, &f))
		return PARSE_OPTOUT;
	if (!take_time(p, &f, &t)) {
		*why = "bad timestamp";
		return SKIP_MALFORMED;
	}
	int status = parse_status(f.status);
	if (status < 0 && slice_is_dash(f.status) && no_request(&f))
		return SKIP_NOT_REQUEST; /* ELB's TCP listener: "- - - " and status - */
	if (status < 0) {
		*why = "bad status";
		return SKIP_MALFORMED;
	}
	/* Up front: a day the retention would delete at the end of the run is
	 * not computed at all, whatever the line is. */
	logtime_local(&t, &out->day, &out->sec_of_day);
	if (out->day < p->cfg.expire_before)
		return SKIP_EXPIRED;
	if (!take_request(p, &f, &method, &target) || !slice_eq_cstr(method, "GET"))
		return SKIP_NOT_GET;
	/* 206: a range of a document (a PDF, a video) whose first request
	 * was the read */
	if (!((status >= 200 && status <= 299 && status != 206) || status == 304))
		return SKIP_STATUS;
	if ((*why = page_normalize(target, p->page.b[0], &out->page)) != NULL)
		return SKIP_MALFORMED;
	enum beacon_source src;
	bool beacon = beacon_source(p, out->page, &src);
	if (!beacon && !is_page(p, &f, out->page, target))
		return SKIP_STATIC;
	/* Before anything that is recorded (a robot in bots_daily, a beacon
	 * event, a day): the Host header is the client's to write, and a host
	 * off the list must leave no name and no day in the output. */
	if (!site_allowed(p, site))
		return SKIP_OTHER_SITE;
	ZERO_BYTES(out->dim, sizeof(out->dim)); /* features fill what they know */
	out->kind = HIT_PAGEVIEW;
	if (beacon)
		read_beacon(p, target, src, out);
	/* The agent has a scratch of its own: the target's query is still
	 * needed by the page rules. */
	struct slice agent = f.has_agent ? unescape_text(f.agent, f.escape, p->agent)
					 : SLICE_LIT("");
	const struct agent_class *ac = NULL;
	if (f.has_agent && p->cfg.agents)
		ac = agents_classify(p->cfg.agents, agent);
	if (ac ? ac->bot : (f.has_agent && bot_by_heuristic(agent))) {
		out->site = site; /* out->day: set with the expiry test */
		out->time = t.utc; /* for the run's check of lines from the future */
		out->bot = ac ? slice_make(ac->name, ac->name_len) : SLICE_LIT("other");
		return SKIP_BOT;
	}
	/* A beacon event's page gets the site's rules too; its query is the
	 * beacon's own, so no parameter of it is ever kept. */
	enum page_verdict v = page_rules_apply(rules, out->page, beacon ? out->page : target,
					       &p->page, &out->page);
	if (v == PAGE_DROP)
		return SKIP_EXCLUDED;
	if (v == PAGE_LONG) {
		*why = "page longer than 1024 bytes after its rules";
		return SKIP_MALFORMED;
	}
	out->site = site;
	out->time = t.utc;
	out->utc_offset = t.offset; /* out->day, sec_of_day: set above */
	out->elsewhere = !take_client(p, &f, agent, site, out);
	if (out->elsewhere) { /* its day and time are all this run needs of it */
		out->visitor = 0;
		return beacon ? PARSE_BEACON : PARSE_PAGEVIEW;
	}
	out->status = (uint16_t)status;
	out->load_ms = logtime_duration_ms(f.duration, f.duration_unit);
	/* A beacon event's breakdown is its screen class alone: its referer
	 * is the page it reports on, and its place is the pageview's. */
	if (beacon)
		return PARSE_BEACON;
	fill_referrer(p, rules, f.referer, f.escape, out);
	if (p->cfg.geo)
		geo_lookup(p->cfg.geo, &out->ip, &out->dim[DIM_COUNTRY], &out->dim[DIM_REGION]);
	out->bot = (struct slice){ NULL, 0 };
	if (ac) {
		out->dim[DIM_BROWSER] = slice_make(ac->name, ac->name_len);
		out->dim[DIM_OS] = slice_make(ac->os, ac->os_len);
		out->dim[DIM_DEVICE] = agent_device_names[ac->device];
	}
	return PARSE_PAGEVIEW;
}

/* ---- signatures: how an input read before is known again ---------------- */

/* A fixed, public key: a signature is a checksum of reduced values, which
 * are no secret, not a keyed identifier (see parsers/input/resume.h). */
static const unsigned char sig_key[16] = "logfold-linesig1";

/* What a line's signature covers: only values of the kind the tables hold
 * (site, day, hour, page after its rules, status) and the masked address
 * that geography is looked up on. */
struct sig_facts {
	const char *outcome; /* a skip reason's name, or see outcome_name() */
	struct slice site;   /* empty: unknown, or a host --site-allow refused */
	int32_t day;         /* local; INT32_MIN: the line has no time */
	uint8_t hour;
	int32_t status;      /* -1: none */
	struct masked_ip ip; /* family 0: none */
	struct slice page;   /* after the page rules; empty: not a page */
	int32_t kind;        /* a beacon event's kind, -1 for the rest */
};

static const char *outcome_name(int s)
{
	switch (s) {
	case PARSE_PAGEVIEW: return "pageview";
	case PARSE_BEACON: return "beacon";
	case PARSE_OPTOUT: return "optout";
	default: return s >= 0 && s < SKIP_NREASONS ? skip_reason_names[s] : "?";
	}
}

/* Absorb a length-prefixed part, so that no byte shifts from one part into
 * the next, and integers little-endian, so that signatures do not depend on
 * the machine (a database moves between machines). */
static void sig_part(struct siphash *h, const void *p, size_t n)
{
	unsigned char len[4] = { (unsigned char)n, (unsigned char)(n >> 8),
				 (unsigned char)(n >> 16), (unsigned char)(n >> 24) };
	siphash_update(h, len, sizeof(len));
	siphash_update(h, p, n);
}

static void sig_int(struct siphash *h, int64_t v)
{
	unsigned char le[8];
	for (int b = 0; b < 8; b++)
		le[b] = (unsigned char)((uint64_t)v >> (8 * b));
	sig_part(h, le, sizeof(le));
}

static uint64_t sig_hash(const struct sig_facts *g)
{
	struct siphash h;
	siphash_init(&h, sig_key);
	sig_part(&h, g->outcome, strlen(g->outcome));
	sig_part(&h, g->site.p, g->site.n);
	sig_int(&h, g->day);
	sig_int(&h, g->hour);
	sig_int(&h, g->status);
	sig_int(&h, g->ip.family);
	sig_part(&h, g->ip.bytes, sizeof(g->ip.bytes));
	sig_part(&h, g->page.p, g->page.n);
	sig_int(&h, g->kind);
	return siphash_final(&h);
}

/* The day, hour, status and masked client of a line that has a time, and
 * its site unless that is a host the run refuses (anyone can send one). */
static void sig_basics(struct parser *p, struct slice line, bool with_site,
		       struct sig_facts *g)
{
	struct raw_fields f;
	struct logtime t;
	struct ipaddr ip;
	struct slice client, site = slice_make(p->site, p->site_len);
	uint32_t sec;
	if (scanner_scan(&p->scan, line, &f) || !take_time(p, &f, &t))
		return;
	logtime_local(&t, &g->day, &sec);
	g->hour = (uint8_t)(sec / 3600);
	g->status = parse_status(f.status);
	pick_client(p, &f, &ip, &client);
	g->ip = ip_mask(&ip, p->cfg.mask_bytes);
	explicit_bzero(&ip, sizeof(ip));
	if (with_site && (slice_is_dash(f.vhost) || !take_vhost(p, f.vhost, &site)))
		g->site = site;
}

uint64_t parser_signature(struct parser *p, struct slice line, int32_t *day)
{
	struct hit h;
	const char *why;
	struct sig_facts g = { .site = SLICE_LIT(""), .day = INT32_MIN, .status = -1,
			       .page = SLICE_LIT(""), .kind = -1 };
	/* The line is parsed in full (its outcome), but without geography
	 * (the signature needs no country, and a damaged database's failed
	 * lookups are counted once, when the line is read) and without the
	 * retention's limit: it moves every day, and a line that expires
	 * between two runs must sign alike in both, or the input read before
	 * would not be known again. */
	struct geo *geo = p->cfg.geo;
	int32_t expire = p->cfg.expire_before;
	uint32_t shards = p->cfg.shard_count; /* every line signs alike in every shard */
	p->cfg.geo = NULL;
	p->cfg.expire_before = INT32_MIN;
	p->cfg.shard_count = 0;
	int s = (int)parser_line(p, line, &h, &why);
	p->cfg.geo = geo;
	p->cfg.expire_before = expire;
	p->cfg.shard_count = shards;
	g.outcome = outcome_name(s);
	if (s == PARSE_PAGEVIEW || s == PARSE_BEACON) {
		g.page = h.page;
		g.kind = s == PARSE_BEACON ? (int32_t)h.kind : -1;
	}
	if (s != SKIP_MALFORMED && s != SKIP_NOT_REQUEST && s != PARSE_OPTOUT)
		sig_basics(p, line, s != SKIP_OTHER_SITE, &g);
	*day = g.day;
	return sig_hash(&g);
}

uint64_t parser_signature_long(void)
{
	struct sig_facts g = { .outcome = "too_long", .site = SLICE_LIT(""), .day = INT32_MIN,
			       .status = -1, .page = SLICE_LIT(""), .kind = -1 };
	return sig_hash(&g);
}

void parser_pass(struct parser *p, struct slice line)
{
	struct raw_fields f;
	if (line.n && line.p[0] == '#') /* a W3C directive changes the fields */
		(void)scanner_scan(&p->scan, line, &f);
}

void parser_look(struct parser *p, const struct lookahead *la, int64_t time_max,
		 struct parser_start *out)
{
	out->first_time = INT64_MIN;
	out->first_offset = 0;
	out->first_day = INT32_MIN;
	out->nsig = 0;
	for (size_t i = 0; i < lookahead_count(la); i++) {
		struct slice line;
		uint64_t no;
		int32_t day = INT32_MIN;
		enum lf_status st = lookahead_line(la, i, &line, &no);
		if (no <= PARSER_SIG_LINES) /* every line counts, numbered as read */
			out->sig[out->nsig++] = st == LF_OK ? parser_signature(p, line, &day)
							    : parser_signature_long();
		if (day != INT32_MIN && (out->first_day == INT32_MIN || day < out->first_day))
			out->first_day = day;
		int64_t t;
		int32_t off;
		if (st == LF_OK && out->first_time == INT64_MIN &&
		    parser_line_time(p, line, &t, &off) && t <= time_max) {
			out->first_time = t;
			out->first_offset = off;
		}
	}
}
