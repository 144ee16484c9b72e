/*
 * clf.c - field boundaries for the CLF family, with a cursor that only moves
 * forward. Detection is logformat.c's, over every format.
 */
#include "clf.h"

#include <stddef.h>
#include <string.h>

#include "logfmt_build.h"

/* The loops below walk a local copy of the cursor's position and store it
 * back once, so that they run in a register whatever the compiler makes of
 * the helpers that take the cursor's address (a loop on c->p itself loaded
 * and stored it at every byte while quoted() was a call). */
struct cursor {
	const char *p, *end;
};

static void skip_spaces(struct cursor *c)
{
	const char *p = c->p;
	while (p < c->end && *p == ' ')
		p++;
	c->p = p;
}

/* A run of non-space bytes; false when there is none. */
static bool token(struct cursor *c, struct slice *out)
{
	skip_spaces(c);
	const char *start = c->p, *p = start, *end = c->end;
	while (p < end && *p != ' ')
		p++;
	c->p = p;
	*out = slice_make(start, (size_t)(p - start));
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
static inline bool quoted(struct cursor *c, struct slice *out)
{
	skip_spaces(c);
	if (c->p >= c->end || *c->p != '"')
		return false;
	const char *start = ++c->p;
	const char *q = logfmt_quote_end(start, c->end);
	if (!q)
		return false;
	*out = slice_make(start, (size_t)(q - start));
	c->p = q + 1;
	return true;
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
	raw_fields_clear(out);
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

