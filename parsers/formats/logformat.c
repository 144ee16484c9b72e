/*
 * logformat.c - the format registry, the predefined fixed-field formats as
 * tables compiled by the format compiler, the W3C #Fields state, and
 * detection. Detection decides on FORMAT_DETECT_LINES lines that parse in
 * some format: enough to outvote a few broken ones, few enough to be
 * instant. Lines that parse in none (a bad start: a server's messages,
 * garbage) are passed over, up to FORMAT_DETECT_SCAN_MAX lines in all.
 */
#include "logformat.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "clf.h"
#include "logfmt_build.h"
#include "logtime.h"

#define FORMAT_DETECT_LINES 20
#define FORMAT_DETECT_SCAN_MAX 256

static const char *const format_names[FMT_COUNT] = {
	[FMT_AUTO] = "auto",        [FMT_COMBINED] = "combined", [FMT_COMMON] = "common",
	[FMT_VCOMBINED] = "vcombined", [FMT_VCOMMON] = "vcommon", [FMT_W3C] = "w3c",
	[FMT_CLOUDFRONT] = "cloudfront", [FMT_ELB] = "elb",     [FMT_ALB] = "alb",
	[FMT_CADDY] = "caddy",      [FMT_TRAEFIK] = "traefik",   [FMT_HAPROXY] = "haproxy",
	[FMT_SQUID] = "squid",      [FMT_NGINX_JSON] = "nginx-json",
	[FMT_TRAEFIK_JSON] = "traefik-json", [FMT_MATOMO_JSON] = "matomo-json", [FMT_JSON] = "json",
	[FMT_CUSTOM] = "custom",
};

const char *log_format_name(enum log_format f)
{
	return f < FMT_COUNT ? format_names[f] : "?";
}

enum log_format log_format_parse(const char *s)
{
	for (int f = 0; f < FMT_CUSTOM; f++)
		if (strcmp(s, format_names[f]) == 0)
			return (enum log_format)f;
	return FMT_COUNT;
}

/* Most specific first: on a tie the earlier wins (traefik lines are also
 * combined lines with more after them; vcombined before combined). */
static const enum log_format detect_order[] = {
	FMT_ALB,     FMT_ELB,          FMT_CLOUDFRONT,  FMT_W3C,       FMT_CADDY,
	FMT_NGINX_JSON, FMT_TRAEFIK_JSON, FMT_MATOMO_JSON, FMT_TRAEFIK, FMT_HAPROXY,
	FMT_SQUID,   FMT_VCOMBINED,    FMT_COMBINED,    FMT_VCOMMON,   FMT_COMMON,
};
#define NDETECT (sizeof(detect_order) / sizeof(detect_order[0]))

const char *log_format_detect_list(void)
{
	return "alb, elb, cloudfront, w3c, caddy, nginx-json, traefik-json, matomo-json, "
	       "traefik, haproxy, squid, vcombined, combined, vcommon, common";
}

/* --- the fixed-field formats, as parts for the compiler ------------------- */

struct part {
	const char *lit; /* a literal, or NULL for a field: */
	uint8_t slot, rank, arg;
};

#define LIT(s) { s, 0, 0, 0 }
#define FLD(slot, rank, arg) { NULL, slot, rank, arg }
#define SKIP FLD(SLOT_SKIP, 0, 0)
#define END { NULL, SLOT_COUNT, 0, 0 }

/* Traefik's CLF: combined, then requests, "router", "server URL", and the
 * duration in milliseconds with "ms" (doc.traefik.io, access logs). */
static const struct part traefik[] = {
	FLD(SLOT_CLIENT, 1, 0), LIT(" "), SKIP, LIT(" "), SKIP, LIT(" ["),
	FLD(SLOT_TIME, 1, TF_CLF), LIT("] \""), FLD(SLOT_REQUEST, 1, 0), LIT("\" "),
	FLD(SLOT_STATUS, 1, 0), LIT(" "), SKIP, LIT(" \""), FLD(SLOT_REFERER, 1, 0),
	LIT("\" \""), FLD(SLOT_AGENT, 1, 0), LIT("\" "), SKIP, LIT(" \""), SKIP, LIT("\" \""),
	SKIP, LIT("\" "), FLD(SLOT_DURATION, 1, DUR_MILLIS), LIT("ms"), END,
};

/* AWS Classic Load Balancer: time elb client:port backend:port three
 * times, status backend-status bytes bytes "request" "agent" cipher proto. */
static const struct part elb[] = {
	FLD(SLOT_TIME, 1, TF_ISO8601), LIT(" "), SKIP, LIT(" "), FLD(SLOT_CLIENT_PORT, 1, 0),
	LIT(" "), SKIP, LIT(" "), SKIP, LIT(" "), FLD(SLOT_DURATION, 1, DUR_SECONDS), LIT(" "),
	SKIP, LIT(" "), FLD(SLOT_STATUS, 1, 0), LIT(" "), SKIP, LIT(" "), SKIP, LIT(" "), SKIP,
	LIT(" \""), FLD(SLOT_REQUEST, 1, 0), LIT("\" \""), FLD(SLOT_AGENT, 1, 0), LIT("\" "),
	SKIP, LIT(" "), SKIP, END,
};

/* AWS Application Load Balancer: type, then as elb up to ssl_protocol,
 * target group, "trace", "domain_name" (the site), and the fields AWS
 * keeps adding, taken whole. */
static const struct part alb[] = {
	SKIP, LIT(" "), FLD(SLOT_TIME, 1, TF_ISO8601), LIT(" "), SKIP, LIT(" "),
	FLD(SLOT_CLIENT_PORT, 1, 0), LIT(" "), SKIP, LIT(" "), SKIP, LIT(" "),
	FLD(SLOT_DURATION, 1, DUR_SECONDS), LIT(" "), SKIP, LIT(" "), FLD(SLOT_STATUS, 1, 0),
	LIT(" "), SKIP, LIT(" "), SKIP, LIT(" "), SKIP, LIT(" \""), FLD(SLOT_REQUEST, 1, 0),
	LIT("\" \""), FLD(SLOT_AGENT, 1, 0), LIT("\" "), SKIP, LIT(" "), SKIP, LIT(" "), SKIP,
	LIT(" \""), SKIP, LIT("\" \""), FLD(SLOT_VHOST, 1, 0), LIT("\" "), SKIP, END,
};

/* Squid native: time.ms elapsed-ms client code/status bytes method URL
 * ident hierarchy/peer type (the response's content type); columns padded
 * with spaces. */
static const struct part squid[] = {
	FLD(SLOT_TIME, 1, TF_EPOCH), LIT(" "), FLD(SLOT_DURATION, 1, DUR_MILLIS), LIT(" "),
	FLD(SLOT_CLIENT, 1, 0), LIT(" "), FLD(SLOT_CODE_STATUS, 1, 0), LIT(" "), SKIP,
	LIT(" "), FLD(SLOT_METHOD, 1, 0), LIT(" "), FLD(SLOT_TARGET, 1, 0), LIT(" "), SKIP,
	LIT(" "), SKIP, LIT(" "), FLD(SLOT_CONTENT_TYPE, 1, 0), END,
};

/* HAProxy HTTP log after the syslog prefix: client:port [accept date]
 * frontend backend/server timers status bytes cookies(2) state conns
 * queues [{captures} ...] "request". */
static const struct part haproxy[] = {
	FLD(SLOT_CLIENT_PORT, 1, 0), LIT(" ["), FLD(SLOT_TIME, 1, TF_STRFTIME), LIT("] "), SKIP,
	LIT(" "), SKIP, LIT(" "), SKIP, LIT(" "), FLD(SLOT_STATUS, 1, 0), LIT(" "), SKIP,
	LIT(" "), SKIP, LIT(" "), SKIP, LIT(" "), SKIP, LIT(" "), SKIP, LIT(" "), SKIP,
	LIT(" "), SKIP, LIT("\""), FLD(SLOT_REQUEST, 1, 0), LIT("\""), END,
};

static void compile_parts(struct logfmt *out, const struct part *parts)
{
	struct logfmt_builder b;
	char err[160];
	logfmt_begin(&b, out, err, sizeof(err));
	for (; parts->slot != SLOT_COUNT || parts->lit; parts++) {
		if (parts->lit)
			logfmt_literal(&b, parts->lit, strlen(parts->lit));
		else
			logfmt_field(&b, parts->slot, parts->rank, parts->arg, NULL, 0);
		if (!parts->lit && parts->slot == SLOT_TIME && parts->arg == TF_STRFTIME) {
			/* haproxy's accept date, in local time */
			static const char pat[] = "%d/%b/%Y:%H:%M:%S.%f";
			logfmt_time_pattern(&b, pat, sizeof(pat) - 1);
		}
	}
	enum lf_status st = logfmt_end(&b);
	assert(st == LF_OK); /* the tables above are programmer input */
	(void)st;
}

static void squid_spaces(struct logfmt *f)
{
	for (int i = 0; i < f->nsteps; i++)
		f->step[i].spaces = f->step[i].lit_len > 0;
}

void scanner_init(struct scanner *s, enum log_format f, const struct logfmt *custom,
		  const struct json_map *map)
{
	static const struct part *const tables[FMT_COUNT] = {
		[FMT_TRAEFIK] = traefik, [FMT_ELB] = elb, [FMT_ALB] = alb,
		[FMT_SQUID] = squid,     [FMT_HAPROXY] = haproxy,
	};
	static void (*const maps[FMT_COUNT])(struct json_map *) = {
		[FMT_CADDY] = json_map_caddy,   [FMT_NGINX_JSON] = json_map_nginx,
		[FMT_TRAEFIK_JSON] = json_map_traefik, [FMT_MATOMO_JSON] = json_map_matomo,
	};
	s->format = f;
	s->prog = custom;
	s->map = map;
	s->w3c_ready = false;
	if (f < FMT_COUNT && tables[f]) {
		compile_parts(&s->own, tables[f]);
		if (f == FMT_SQUID)
			squid_spaces(&s->own);
		s->prog = &s->own;
	} else if (f < FMT_COUNT && maps[f]) {
		maps[f](&s->own_map);
		s->map = &s->own_map;
	}
}

void scanner_copy(struct scanner *dst, const struct scanner *src)
{
	if (dst == src)
		return;
	*dst = *src;
	if (src->prog == &src->own)
		dst->prog = &dst->own;
	if (src->map == &src->own_map)
		dst->map = &dst->own_map;
}

/* "#Fields: ..." sets the program; other "#..." lines are comments. Both
 * are lines of the log that are no request. */
static const char *w3c_directive(struct scanner *s, struct slice line)
{
	static const char fields[] = "#Fields:";
	if (line.n < sizeof(fields) - 1 || memcmp(line.p, fields, sizeof(fields) - 1) != 0)
		return logfmt_not_request;
	char err[160];
	struct slice names = slice_make(line.p + sizeof(fields) - 1, line.n - (sizeof(fields) - 1));
	char sep = s->format == FMT_CLOUDFRONT ? '\t' : ' ';
	s->w3c_ready = logfmt_compile_w3c(&s->own, names, sep, err, sizeof(err)) == LF_OK;
	s->prog = &s->own;
	return s->w3c_ready ? logfmt_not_request
			    : "#Fields directive without a date, time, path or status";
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* The length of a syslog priority "<134>" at the start of s, or 0. */
static size_t syslog_pri(struct slice s)
{
	size_t i = 1;
	if (!s.n || s.p[0] != '<')
		return 0;
	while (i < s.n && i <= 3 && is_digit(s.p[i]))
		i++;
	return i > 1 && i < s.n && s.p[i] == '>' ? i + 1 : 0;
}

/* RFC 5424 after "<PRI>1 ": TIMESTAMP HOSTNAME APP-NAME PROCID MSGID, then
 * the structured data, "-" or "[id k="v" ...]..." (a ']' or '"' inside a
 * value escaped by a backslash), then the message. s unchanged when the
 * header is cut. */
static struct slice drop_rfc5424(struct slice s)
{
	const char *p = s.p, *end = s.p + s.n;
	for (int i = 0; i < 5; i++) {
		const char *sp = memchr(p, ' ', (size_t)(end - p));
		if (!sp)
			return s;
		p = sp + 1;
	}
	if (p < end && *p == '-')
		p++;
	while (p < end && *p == '[') {
		while (++p < end && *p != ']')
			if (*p == '\\' && p + 1 < end)
				p++;
		if (p == end)
			return s;
		p++;
	}
	if (p == end || *p != ' ')
		return s;
	return slice_make(p + 1, (size_t)(end - p - 1));
}

/* HAProxy through syslog, as its "log ... format" writes it: rfc3164
 * ("Feb  6 12:14:14 host haproxy[14389]: ", "<134>" first when sent
 * over the network), rfc5424 ("<134>1 2009-02-06T12:14:14.655+01:00 host
 * haproxy 14389 - - "), short ("<134>") or raw (nothing). */
static struct slice drop_syslog(struct slice line)
{
	size_t pri = syslog_pri(line);
	line = slice_make(line.p + pri, line.n - pri);
	if (pri && line.n > 2 && line.p[0] == '1' && line.p[1] == ' ')
		return drop_rfc5424(slice_make(line.p + 2, line.n - 2));
	const char *q = memchr(line.p, '"', line.n);
	size_t lim = q ? (size_t)(q - line.p) : line.n;
	for (size_t i = 0; i + 2 < lim; i++)
		if (line.p[i] == ']' && line.p[i + 1] == ':' && line.p[i + 2] == ' ')
			return slice_make(line.p + i + 3, line.n - i - 3);
	return line;
}

/* A byte of an IPv4 or IPv6 address with its port ("::ffff:1.2.3.4:80"). */
static bool is_addr_char(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':' ||
	       c == '.';
}

/* One of HAProxy's own messages rather than a request's line (text after
 * the syslog prefix): it does not start with "ADDRESS:PORT [" ("Proxy
 * http-in started.", "Server www/s1 is DOWN ...", "Connect from ..."), or
 * it does and its frontend ends with ':' ("... [date] https-in/1: SSL
 * handshake failure", HAProxy's connection errors). */
static bool haproxy_message(struct slice rest)
{
	const char *p = rest.p, *end = rest.p + rest.n;
	while (p < end && is_addr_char(*p))
		p++;
	const char *colon = p;
	while (colon > rest.p && is_digit(colon[-1]))
		colon--;
	if (colon == p || colon == rest.p || colon[-1] != ':' || end - p < 2 || p[0] != ' ' ||
	    p[1] != '[')
		return true; /* no "ADDRESS:PORT [" */
	const char *close = memchr(p, ']', (size_t)(end - p));
	if (!close || end - close < 2 || close[1] != ' ')
		return false;
	const char *tok = close + 2, *sp = memchr(tok, ' ', (size_t)(end - tok));
	return sp && sp > tok && sp[-1] == ':';
}

static bool is_blank(struct slice line)
{
	for (size_t i = 0; i < line.n; i++)
		if (line.p[i] != ' ' && line.p[i] != '\t')
			return false;
	return true;
}

static const char *scan_fields(struct scanner *s, struct slice line, struct raw_fields *out)
{
	const char *why;
	switch (s->format) {
	case FMT_COMBINED:
	case FMT_COMMON:
	case FMT_VCOMBINED:
	case FMT_VCOMMON:
		return clf_scan(line, s->format, false, out);
	case FMT_W3C:
	case FMT_CLOUDFRONT:
		if (line.n && line.p[0] == '#')
			return w3c_directive(s, line);
		if (!s->w3c_ready)
			return "no #Fields directive before this line";
		return logfmt_scan(s->prog, line, out);
	case FMT_CADDY:
	case FMT_NGINX_JSON:
	case FMT_TRAEFIK_JSON:
	case FMT_MATOMO_JSON:
	case FMT_JSON:
		return json_scan(s->map, line, out);
	case FMT_HAPROXY:
		line = drop_syslog(line);
		why = logfmt_scan(s->prog, line, out);
		return why && haproxy_message(line) ? logfmt_not_request : why;
	default:
		return s->prog ? logfmt_scan(s->prog, line, out) : "no log format";
	}
}

/* logformat.h */
bool scanner_reads_directives(const struct scanner *s)
{
	return s->format == FMT_W3C || s->format == FMT_CLOUDFRONT;
}

/* Blank lines and "#" lines are no request in any format: a comment (or,
 * in W3C logs, a directive); a client address, a time or a JSON object
 * never starts with '#'. */
const char *scanner_scan(struct scanner *s, struct slice line, struct raw_fields *out)
{
	if (is_blank(line))
		return logfmt_not_request;
	if (line.p[0] == '#' && !scanner_reads_directives(s))
		return logfmt_not_request;
	return scan_fields(s, line, out);
}

/* Whether line is a good line of the format s runs: scanned, with a time
 * and a status logfold reads. Directives count as neither. */
static bool detect_line(struct scanner *s, struct slice line)
{
	struct raw_fields f;
	struct logtime t;
	const char *why;
	if (s->format >= FMT_COMBINED && s->format <= FMT_VCOMMON)
		why = clf_scan(line, s->format, true, &f);
	else
		why = scanner_scan(s, line, &f);
	return !why && logtime_parse(&f, &t) && f.status.n == 3 && f.status.p[0] >= '1' &&
	       f.status.p[0] <= '5';
}

enum log_format log_format_detect(struct slice start, bool at_eof, int *lines)
{
	int hits[NDETECT] = { 0 };
	*lines = 0;
	struct scanner *sc = calloc(NDETECT, sizeof(*sc)); /* large: not the stack */
	if (!sc) {
		*lines = -1;
		return FMT_AUTO;
	}
	for (size_t k = 0; k < NDETECT; k++)
		scanner_init(&sc[k], detect_order[k], NULL, NULL);
	const char *p = start.p, *end = start.p + start.n;
	int usable = 0; /* lines that parse in some format */
	while (p < end && usable < FORMAT_DETECT_LINES && *lines < FORMAT_DETECT_SCAN_MAX) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl && !at_eof)
			break; /* a cut-off last line says nothing reliable */
		if (!nl)
			nl = end;
		struct slice line = slice_make(p, (size_t)(nl - p));
		p = nl + 1;
		if (line.n && line.p[line.n - 1] == '\r')
			line.n--;
		if (line.n == 0)
			continue;
		(*lines)++;
		bool any = false;
		for (size_t k = 0; k < NDETECT; k++) {
			if (detect_line(&sc[k], line)) {
				hits[k]++;
				any = true;
			}
		}
		usable += any;
	}
	free(sc);
	size_t best = NDETECT;
	for (size_t k = 0; k < NDETECT; k++)
		if (hits[k] > 0 && (best == NDETECT || hits[k] > hits[best]))
			best = k;
	return best == NDETECT ? FMT_AUTO : detect_order[best];
}
