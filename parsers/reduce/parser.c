/*
 * parser.c - raw line to hit. The checks run in the order of enum
 * skip_reason and stop at the first that fails, so a line is counted under
 * exactly one reason and no work is done on lines that will not count.
 *
 * One thing comes before them all: a request carrying its site's opt-out
 * marker is dropped as soon as the fields are found, and is not counted
 * under any reason (run.c does not even count it as a line). One comes out
 * of order: a page that only passes 1024 bytes once its rules have grown it
 * (a rewrite, kept query parameters) is malformed, found after other_site.
 *
 * A request that is not "METHOD target [protocol]" with a method of GET is
 * not_get, not malformed: nginx logs "-" or TLS bytes for requests that
 * never got that far, and those are traffic, not broken log lines.
 *
 * Nothing here depends on the format: the scanner (format.h) hands over
 * raw fields, and each stage below reads them the same way for all.
 */
#include "parser.h"

#include <string.h>

#include "../../common/siphash.h"
#include "bots.h"
#include "ipaddr.h"
#include "../formats/logtime.h"

static void lower_copy(char *dst, const char *src, size_t n)
{
	for (size_t i = 0; i < n; i++)
		dst[i] = ascii_lower(src[i]);
}

enum lf_status parser_init(struct parser *p, const struct parser_config *cfg,
			   const unsigned char key[PARSER_KEY_BYTES])
{
	static const struct page_rules_spec none;
	size_t n = cfg->site ? strlen(cfg->site) : 0;
	memset(p->rules, 0, sizeof(p->rules));
	if (n == 0 || n > SITE_MAX || cfg->mask_bytes < 1 || cfg->mask_bytes > 4 ||
	    cfg->nsites > PARSER_SITES_MAX || cfg->nsite_allow > PARSER_SITES_MAX)
		return LF_ERR_USAGE;
	p->cfg = *cfg;
	memcpy(p->key, key, PARSER_KEY_BYTES);
	lower_copy(p->site, cfg->site, n);
	p->site[n] = '\0';
	p->site_len = n;
	tz_cache_init(&p->tz);
	if (cfg->format != FMT_AUTO)
		scanner_init(&p->scan, cfg->format, cfg->custom, cfg->json_map);
	enum lf_status st = page_rules_compile(&p->rules[0], cfg->rules ? cfg->rules : &none);
	for (int i = 0; i < cfg->nsites && st == LF_OK; i++)
		st = page_rules_compile(&p->rules[1 + i], cfg->sites[i].rules);
	return st;
}

void parser_set_format(struct parser *p, enum log_format f)
{
	p->cfg.format = f;
	scanner_init(&p->scan, f, p->cfg.custom, p->cfg.json_map);
}

void parser_release(struct parser *p)
{
	for (int i = 0; i <= PARSER_SITES_MAX; i++)
		page_rules_free(p->rules[i]);
	/* explicit_bzero: a plain memset of memory about to die may be elided. */
	explicit_bzero(p, sizeof(*p));
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

/* Undo the log writer's backslash escapes: \" \\ \xNN (Apache, nginx), \n
 * \t \r (Apache), \uXXXX \b \f \/ (JSON). Unknown escapes are kept as
 * written. out holds s.n bytes (no escape decodes longer than it is). */
static struct slice unescape_backslash(struct slice s, char *out)
{
	if (s.n == 0 || !memchr(s.p, '\\', s.n)) /* s.p may be NULL when empty */
		return s;
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

/* "host:port" or "host" -> lower-case host into p->vhost. */
static const char *take_vhost(struct parser *p, struct slice v, struct slice *site)
{
	size_t n = v.n;
	if (n && v.p[0] == '[') { /* [v6]:port */
		const char *close = memchr(v.p, ']', n);
		if (!close)
			return "bad virtual host";
		n = (size_t)(close - v.p) + 1;
	} else {
		const char *colon = memchr(v.p, ':', n);
		if (colon)
			n = (size_t)(colon - v.p);
	}
	if (n == 0 || n > SITE_MAX)
		return "bad virtual host";
	lower_copy(p->vhost, v.p, n);
	*site = slice_make(p->vhost, n);
	return NULL;
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

static uint64_t visitor_hash(const struct parser *p, const struct ipaddr *ip,
			     struct slice client, struct slice agent, struct slice site)
{
	struct siphash h;
	siphash_init(&h, p->key);
	/* Length-prefixed parts, so that no two different triples collide by
	 * shifting bytes from one part into the next. */
	const void *addr = ip->family ? (const void *)ip->bytes : (const void *)client.p;
	size_t alen = ip->family ? sizeof(ip->bytes) : client.n;
	struct slice parts[3] = { slice_make(addr, alen), agent, site };
	for (int i = 0; i < 3; i++) {
		uint32_t n = (uint32_t)parts[i].n;
		siphash_update(&h, &n, sizeof(n));
		siphash_update(&h, parts[i].p, parts[i].n);
	}
	return siphash_final(&h);
}

/* The referrer dimensions. A format that logs no referer leaves the field
 * with p == NULL (the scanners): then they stay empty, not "(direct)".
 * The request and its page rules are done with, so the referer is
 * unescaped into the request's scratch. */
static void fill_referrer(struct parser *p, const struct page_rules *rules, struct slice raw,
			  enum field_escape esc, struct hit *out)
{
	if (!raw.p)
		return;
	struct referrer_rules rr = { NULL, 0, p->cfg.psl };
	rr.aliases = page_rules_aliases(rules, &rr.naliases);
	struct slice ref = unescape_text(raw, esc, p->unescaped);
	enum referrer_type t = referrer_reduce(ref, out->site, &rr, &p->ref,
					       &out->dim[DIM_REFERRER]);
	out->dim[DIM_REFERRER_TYPE] = referrer_type_names[t];
}

/* Is page the beacon's endpoint or a tracker's? */
static bool beacon_source(const struct parser *p, struct slice page, enum beacon_source *src)
{
	*src = BEACON_LOGFOLD;
	if (p->cfg.beacon_path && slice_eq_cstr(page, p->cfg.beacon_path))
		return true;
	*src = BEACON_MATOMO;
	for (int i = 0; i < p->cfg.ntrackers; i++)
		if (slice_eq_cstr(page, p->cfg.trackers[i]))
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

/* The time of f, put into --tz's zone when one is set. */
static bool take_time(struct parser *p, const struct raw_fields *f, struct logtime *t)
{
	if (!logtime_parse(f, t))
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

/* The client, masked into out->ip and hashed into out->visitor. */
static void take_client(struct parser *p, const struct raw_fields *f, struct slice agent,
			struct slice site, struct hit *out)
{
	struct ipaddr ip;
	bool parsed;
	struct slice client = f->client;
	if (p->cfg.client_ip)
		client = client_ip_pick(p->cfg.client_ip, f, &ip, &parsed);
	else
		parsed = ip_parse(client, &ip);
	if (!parsed)
		ip.family = 0; /* a host name (HostnameLookups on): hashed, never kept */
	out->ip = ip_mask(&ip, p->cfg.mask_bytes);
	out->visitor = visitor_hash(p, &ip, client, agent, site);
	explicit_bzero(&ip, sizeof(ip));
}

bool parser_line_time(struct parser *p, struct slice line, int64_t *utc)
{
	struct raw_fields f;
	struct logtime t;
	if (scanner_scan(&p->scan, line, &f) || !take_time(p, &f, &t))
		return false;
	*utc = t.utc;
	return true;
}

enum skip_reason parser_line(struct parser *p, struct slice line, struct hit *out,
			     const char **why)
{
	struct raw_fields f;
	struct logtime t;
	struct slice method, target, site = slice_make(p->site, p->site_len);
	*why = scanner_scan(&p->scan, line, &f);
	if (*why == scanner_directive)
		return PARSE_DIRECTIVE;
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
	if (status < 0) {
		*why = "bad status";
		return SKIP_MALFORMED;
	}
	if (!take_request(p, &f, &method, &target) || !slice_eq_cstr(method, "GET"))
		return SKIP_NOT_GET;
	if (!((status >= 200 && status <= 299) || status == 304))
		return SKIP_STATUS;
	if ((*why = page_normalize(target, p->page.b[0], &out->page)) != NULL)
		return SKIP_MALFORMED;
	enum beacon_source src;
	bool beacon = beacon_source(p, out->page, &src);
	if (!beacon && page_is_static(out->page))
		return SKIP_STATIC;
	memset(out->dim, 0, sizeof(out->dim)); /* features fill what they know */
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
		out->site = site;
		out->time = t.utc; /* for the run's check of lines from the future */
		logtime_local(&t, &out->day, &out->sec_of_day);
		out->bot = ac ? slice_make(ac->name, ac->name_len) : SLICE_LIT("other");
		return SKIP_BOT;
	}
	if (!site_allowed(p, site))
		return SKIP_OTHER_SITE;
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
	take_client(p, &f, agent, site, out);
	out->site = site;
	out->time = t.utc;
	out->utc_offset = t.offset;
	logtime_local(&t, &out->day, &out->sec_of_day);
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
