/*
 * fuzz_parser.c - libFuzzer target for the parser: format detection on the
 * whole input, then every line through each format. It must never crash,
 * read out of bounds or hand on a hit whose slices leave its buffers.
 * `make fuzz` runs it under libFuzzer; `make check` replays the corpus in
 * tests/fuzz/corpus/parser/ through tests/fuzz/replay.c.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../parsers/reduce/parser.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A format string and a JSON map for FMT_CUSTOM and FMT_JSON, with the
 * awkward parts: unquoted fields, a header, a duration, an offset time. */
static const char custom_format[] =
	"$remote_addr [$time_iso8601] $host \"$request_method $request_uri\" $status "
	"$request_time \"$http_user_agent\" $http_x_forwarded_for";
static const char json_spec[] = "remote_addr=a.b,time=t,request=r,status=s,http_user_agent=h.ua,"
				"http_x_forwarded_for=x";

static struct parser *parser_for(enum log_format f)
{
	static struct parser *p[FMT_COUNT];
	static struct logfmt custom;
	static struct json_map map;
	static struct client_ip_config cip;
	static const unsigned char key[PARSER_KEY_BYTES] = { 7 };
	if (!p[f]) {
		char err[256];
		if (logfmt_compile(&custom, LOGFMT_NGINX, custom_format, err, sizeof(err)) != LF_OK ||
		    json_map_parse(&map, json_spec, err, sizeof(err)) != LF_OK ||
		    !client_ip_mode_parse("xff-last", &cip) || !cidr_parse("10.0.0.0/8", &cip.trusted[0]))
			abort();
		cip.ntrusted = 1;
		struct parser_config cfg = { .format = f, .site = "fuzz.example",
					     .mask_bytes = 1 + (int)f % 4, .custom = &custom,
					     .json_map = &map, .client_ip = f % 2 ? &cip : NULL,
					     .beacon_path = "/logfold.gif",
					     .trackers = { "/matomo.php" }, .ntrackers = 1 };
		p[f] = malloc(sizeof(*p[f]));
		if (!p[f] || parser_init(p[f], &cfg, key) != LF_OK)
			abort();
	}
	return p[f];
}

/* A beacon event's label is empty or in the parser's label buffer, at
 * most BEACON_LABEL_MAX bytes of the safe set or an identifier marker. */
static void check_label(const struct parser *p, const struct hit *h)
{
	const char *lb = p->beacon.label;
	if (h->label.n == 0)
		return;
	if (h->label.p < lb || h->label.p + h->label.n > lb + sizeof(p->beacon.label) ||
	    h->label.n > BEACON_LABEL_MAX)
		abort();
	for (size_t i = 0; i < h->label.n; i++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ._-/:",
			    h->label.p[i]) || h->label.p[i] == 0)
			abort();
}

static void check_hit(const struct parser *p, const struct hit *h)
{
	const char *pb = p->page.b[0], *sb = p->site, *vb = p->vhost;
	if (h->page.p < pb || h->page.p + h->page.n > pb + sizeof(p->page) || h->page.n == 0 ||
	    h->page.p[0] != '/')
		abort();
	bool in_site = h->site.p >= sb && h->site.p + h->site.n <= sb + sizeof(p->site);
	bool in_vhost = h->site.p >= vb && h->site.p + h->site.n <= vb + sizeof(p->vhost);
	if ((!in_site && !in_vhost) || h->site.n == 0)
		abort();
	if (h->sec_of_day >= 86400)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int looked;
	struct slice all = slice_make((const char *)data, size);
	(void)format_detect(all, true, &looked);
	const char *p = all.p, *end = all.p + all.n;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		struct slice line = slice_make(p, (size_t)((nl ? nl : end) - p));
		p = nl ? nl + 1 : end;
		for (int f = FMT_COMBINED; f < FMT_COUNT; f++) {
			struct parser *ps = parser_for((enum log_format)f);
			struct hit h;
			const char *why = NULL;
			enum skip_reason r = parser_line(ps, line, &h, &why);
			if (r == PARSE_PAGEVIEW)
				check_hit(ps, &h);
			if (r == PARSE_BEACON && h.kind != HIT_NOTHING) {
				check_hit(ps, &h);
				check_label(ps, &h);
				if (h.scroll > 100 && h.scroll != HIT_NO_SCROLL)
					abort();
			}
			else if (r == SKIP_MALFORMED && (!why || why == logfmt_not_request))
				abort();
		}
	}
	return 0;
}
