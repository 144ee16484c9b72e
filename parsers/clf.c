/*
 * clf.c - field boundaries for the CLF family, with a cursor that only moves
 * forward. Detection looks at no more than CLF_DETECT_LINES lines: enough to
 * outvote a few broken ones, few enough to be instant.
 */
#include "clf.h"

#include <string.h>

#define CLF_DETECT_LINES 20

static const char *const format_names[FMT_COUNT] = {
	[FMT_AUTO] = "auto",
	[FMT_COMBINED] = "combined",
	[FMT_COMMON] = "common",
	[FMT_VCOMBINED] = "vcombined",
	[FMT_VCOMMON] = "vcommon",
};

const char *log_format_name(enum log_format f)
{
	return f < FMT_COUNT ? format_names[f] : "?";
}

enum log_format log_format_parse(const char *s)
{
	for (int f = 0; f < FMT_COUNT; f++)
		if (strcmp(s, format_names[f]) == 0)
			return (enum log_format)f;
	return FMT_COUNT;
}

struct cursor {
	const char *p, *end;
};

static void skip_spaces(struct cursor *c)
{
	while (c->p < c->end && *c->p == ' ')
		c->p++;
}

/* A run of non-space bytes; false when there is none. */
static bool token(struct cursor *c, struct slice *out)
{
	skip_spaces(c);
	const char *start = c->p;
	while (c->p < c->end && *c->p != ' ')
		c->p++;
	*out = slice_make(start, (size_t)(c->p - start));
	return out->n > 0;
}

/* "[...]"; the time itself contains a space. */
static bool bracketed(struct cursor *c, struct slice *out)
{
	skip_spaces(c);
	if (c->p >= c->end || *c->p != '[')
		return false;
	const char *close = memchr(c->p, ']', (size_t)(c->end - c->p));
	if (!close)
		return false;
	*out = slice_make(c->p + 1, (size_t)(close - c->p - 1));
	c->p = close + 1;
	return true;
}

/* "..." with backslash escapes; the content is returned still escaped. */
static bool quoted(struct cursor *c, struct slice *out)
{
	skip_spaces(c);
	if (c->p >= c->end || *c->p != '"')
		return false;
	const char *start = ++c->p;
	for (;;) {
		const char *q = memchr(c->p, '"', (size_t)(c->end - c->p));
		if (!q)
			return false;
		/* The quote is escaped when an odd number of backslashes precede it. */
		size_t bs = 0;
		while (q - bs > start && q[-1 - (ptrdiff_t)bs] == '\\')
			bs++;
		c->p = q + 1;
		if (bs % 2 == 0) {
			*out = slice_make(start, (size_t)(q - start));
			return true;
		}
	}
}

static bool is_vhost(enum log_format f)
{
	return f == FMT_VCOMBINED || f == FMT_VCOMMON;
}

static bool has_agent(enum log_format f)
{
	return f == FMT_COMBINED || f == FMT_VCOMBINED;
}

const char *clf_scan(struct slice line, enum log_format f, bool strict, struct raw_fields *out)
{
	struct cursor c = { line.p, line.p + line.n };
	struct slice ident, user, bytes;
	memset(out, 0, sizeof(*out));
	if (is_vhost(f) && !token(&c, &out->vhost))
		return "missing virtual host";
	if (!token(&c, &out->client) || !token(&c, &ident) || !token(&c, &user))
		return "missing client fields";
	if (!bracketed(&c, &out->time))
		return "missing timestamp";
	if (!quoted(&c, &out->request))
		return "missing or unterminated request";
	if (!token(&c, &out->status) || !token(&c, &bytes))
		return "missing status or size";
	if (has_agent(f)) {
		if (!quoted(&c, &out->referer) || !quoted(&c, &out->agent))
			return "missing referer or user agent";
		out->has_agent = true;
	}
	skip_spaces(&c);
	if (strict && !has_agent(f) && c.p != c.end)
		return "unexpected fields at end of line";
	return NULL;
}

/* Richest first: on a tie, the format that keeps more wins. */
static const enum log_format detect_order[] = { FMT_VCOMBINED, FMT_COMBINED, FMT_VCOMMON,
						FMT_COMMON };

enum log_format clf_detect(struct slice start, bool at_eof, int *lines)
{
	int hits[FMT_COUNT] = { 0 };
	const char *p = start.p, *end = start.p + start.n;
	*lines = 0;
	while (p < end && *lines < CLF_DETECT_LINES) {
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
		for (size_t k = 0; k < sizeof(detect_order) / sizeof(detect_order[0]); k++) {
			struct raw_fields f;
			if (!clf_scan(line, detect_order[k], true, &f))
				hits[detect_order[k]]++;
		}
	}
	enum log_format best = FMT_AUTO;
	for (size_t k = 0; k < sizeof(detect_order) / sizeof(detect_order[0]); k++)
		if (hits[detect_order[k]] > hits[best])
			best = detect_order[k];
	return best;
}
