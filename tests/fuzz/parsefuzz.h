/*
 * parsefuzz.h - what the parser fuzz targets (fuzz_parser.c, format.c)
 * share: the --log-format and --json-map they read with, with the awkward
 * parts (unquoted fields, a header, a duration, an offset time), and the
 * checks of parser_line's result: a hit's slices stay inside the parser's
 * buffers, a page starts with '/', a beacon label is of the safe set, a
 * malformed line says why. Static: each target is one translation unit.
 */
#ifndef LF_FUZZ_PARSEFUZZ_H
#define LF_FUZZ_PARSEFUZZ_H

#include <stdlib.h>
#include <string.h>

#include "../../parsers/formats/json.h"
#include "../../parsers/formats/logfmt.h"
#include "../../parsers/reduce/beacon.h"
#include "../../parsers/reduce/clientip.h"
#include "../../parsers/reduce/parser.h"

static const char custom_format[] =
	"$remote_addr [$time_iso8601] $host \"$request_method $request_uri\" $status "
	"$request_time \"$http_user_agent\" $http_x_forwarded_for";
static const char json_spec[] = "remote_addr=a.b,time=t,request=r,status=s,http_user_agent=h.ua,"
				"http_x_forwarded_for=x";

/* A beacon event's label is empty or in the parser's label buffer, at
 * most BEACON_LABEL_MAX bytes of the safe set or an identifier marker. */
static void check_label(const struct parser *p, const struct hit *h)
{
	if (h->label.n == 0)
		return;
	if (!parser_holds(p, PARSER_BUF_LABEL, h->label) || h->label.n > BEACON_LABEL_MAX)
		abort();
	for (size_t i = 0; i < h->label.n; i++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ._-/:",
			    h->label.p[i]) || h->label.p[i] == 0)
			abort();
}

static void check_hit(const struct parser *p, const struct hit *h)
{
	if (!parser_holds(p, PARSER_BUF_PAGE, h->page) || h->page.n == 0 || h->page.p[0] != '/')
		abort();
	if (!parser_holds(p, PARSER_BUF_SITE, h->site) || h->site.n == 0)
		abort();
	if (h->sec_of_day >= 86400)
		abort();
}

/* The checks of one line's result r (with *h and why as parser_line left
 * them). */
static void check_result(const struct parser *p, enum skip_reason r, const struct hit *h,
			 const char *why)
{
	if ((int)r == PARSE_PAGEVIEW)
		check_hit(p, h);
	if ((int)r == PARSE_BEACON && h->kind != HIT_NOTHING) {
		check_hit(p, h);
		check_label(p, h);
		if (h->scroll > 100 && h->scroll != HIT_NO_SCROLL)
			abort();
	} else if (r == SKIP_MALFORMED && (!why || why == logfmt_not_request)) {
		abort();
	}
}

#endif
