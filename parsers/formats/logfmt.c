/*
 * logfmt.c - the format-string compiler's back end and the scanner.
 *
 * The dialect front ends (logfmt_vars.c) emit literals and fields into a
 * builder; finish() then gives every field the byte that ends it (the first
 * byte of the literal after it) and checks that logfold can use the result.
 * When a format logs the same thing twice (%h and %a, $request_time and
 * $upstream_response_time), each field has a rank and the best one is kept;
 * the others are scanned over and dropped.
 *
 * The scanner is a loop over the steps: memcmp for a literal, memchr for a
 * field's end. It copies nothing.
 */
#include "logfmt.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "logfmt_build.h"

const char logfmt_not_request[] = "not a request";

void logfmt_error(struct logfmt_builder *b, const char *fmt, ...)
{
	if (b->failed)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(b->err, b->errlen, fmt, ap);
	va_end(ap);
	b->failed = true;
}

static uint16_t add_text(struct logfmt_builder *b, const char *s, size_t n, bool nul)
{
	struct logfmt *f = b->fmt;
	if (f->ntext + n + 1 > LOGFMT_TEXT_MAX) {
		logfmt_error(b, "the log format is too long (more than %d bytes of text)",
			     LOGFMT_TEXT_MAX);
		return 0;
	}
	uint16_t at = (uint16_t)f->ntext;
	memcpy(f->text + at, s, n);
	f->ntext += n;
	if (nul)
		f->text[f->ntext++] = '\0';
	return at;
}

static struct logfmt_step *new_step(struct logfmt_builder *b)
{
	if (b->fmt->nsteps >= LOGFMT_STEPS_MAX) {
		logfmt_error(b, "the log format has more than %d parts", LOGFMT_STEPS_MAX);
		return NULL;
	}
	struct logfmt_step *s = &b->fmt->step[b->fmt->nsteps++];
	memset(s, 0, sizeof(*s));
	return s;
}

void logfmt_literal(struct logfmt_builder *b, const char *s, size_t n)
{
	if (n == 0 || b->failed)
		return;
	struct logfmt *f = b->fmt;
	struct logfmt_step *last = f->nsteps ? &f->step[f->nsteps - 1] : NULL;
	if (last && last->lit_len && last->lit + last->lit_len == f->ntext) {
		add_text(b, s, n, false); /* extends the previous literal */
		last->lit_len = (uint16_t)(last->lit_len + n);
		return;
	}
	struct logfmt_step *st = new_step(b);
	if (st) {
		st->lit = add_text(b, s, n, false);
		st->lit_len = (uint16_t)n;
	}
}

void logfmt_field(struct logfmt_builder *b, enum logfmt_slot slot, int rank, int arg,
		  const char *name, size_t nlen)
{
	const struct logfmt *f = b->fmt;
	/* An ignored field right after another field is read as part of it:
	 * Apache's "%U%q", nginx's "$uri$is_args$args" (the query goes with
	 * the path, and the page drops it anyway). */
	if (slot == SLOT_SKIP && f->nsteps && !f->step[f->nsteps - 1].lit_len)
		return;
	struct logfmt_step *st = new_step(b);
	if (!st)
		return;
	st->slot = (uint8_t)slot;
	/* Spaces inside the value, passed over when a space ends the field. */
	if (slot == SLOT_TIME && arg == TF_CLF)
		st->skip = 1; /* "10/Oct/2000:13:55:36 -0700" */
	else if (slot == SLOT_REQUEST)
		st->skip = 2; /* "GET / HTTP/1.1" */
	if (slot == SLOT_EXTRA) {
		st->name = add_text(b, name, nlen, true);
		for (char *c = b->fmt->text + st->name; *c; c++)
			*c = ascii_lower(*c);
		return;
	}
	if (slot == SLOT_SKIP)
		return;
	/* The best-ranked field of a slot wins; the loser is scanned over. The
	 * pairs (SLOT_CLIENT, SLOT_CLIENT_PORT) and (STATUS, CODE_STATUS)
	 * share a rank because they fill the same raw field. */
	int key = slot == SLOT_CLIENT_PORT ? SLOT_CLIENT
		  : slot == SLOT_CODE_STATUS ? SLOT_STATUS
		  : slot == SLOT_URI ? SLOT_TARGET : slot;
	int prev = b->owner[key] - 1;
	if (prev >= 0 && b->rank[key] >= rank) {
		st->slot = SLOT_SKIP;
		return;
	}
	if (prev >= 0)
		b->fmt->step[prev].slot = SLOT_SKIP;
	b->owner[key] = b->fmt->nsteps; /* index + 1 */
	b->rank[key] = rank;
	if (slot == SLOT_TIME)
		b->fmt->time_form = (enum time_form)arg;
	if (slot == SLOT_DURATION)
		b->fmt->duration_unit = (enum duration_unit)arg;
}

void logfmt_time_pattern(struct logfmt_builder *b, const char *pat, size_t n)
{
	struct logfmt *f = b->fmt;
	uint16_t at = add_text(b, pat, n, true);
	struct logfmt_step *st = &f->step[f->nsteps - 1]; /* the time's step */
	for (size_t i = 0; i < n; i++)
		st->skip = (uint8_t)(st->skip + (pat[i] == ' ')); /* "%Y-%m-%d %H:%M:%S" */
	if (st->slot == SLOT_TIME)
		f->time_pattern = at;
}

/* Give each field its stop byte; refuse formats logfold cannot use. */
static void finish(struct logfmt_builder *b)
{
	struct logfmt *f = b->fmt;
	for (int i = 0; i < f->nsteps && !b->failed; i++) {
		struct logfmt_step *s = &f->step[i];
		if (s->lit_len)
			continue;
		const struct logfmt_step *prev = i ? &f->step[i - 1] : NULL;
		const struct logfmt_step *next = i + 1 < f->nsteps ? &f->step[i + 1] : NULL;
		if (next && !next->lit_len) {
			logfmt_error(b, "two fields with nothing between them cannot be told "
					"apart (part %d of the log format)", i + 1);
			return;
		}
		s->stop = next ? f->text[next->lit] : '\0';
		s->quoted = s->stop == '"' && prev && f->text[prev->lit + prev->lit_len - 1] == '"';
		if (s->stop != ' ')
			s->skip = 0; /* its spaces matter only when a space ends it */
		if (s->slot == SLOT_AGENT)
			f->has_agent = true;
		if (s->slot == SLOT_REFERER)
			f->has_referer = true;
	}
	if (b->failed)
		return;
	if (!b->owner[SLOT_TIME])
		logfmt_error(b, "the log format has no time (nginx $time_local, "
				"$time_iso8601, $msec; Apache %%t)");
	else if ((f->time_form == TF_W3C || f->time_form == TF_W3C_LOCAL) && !b->owner[SLOT_DATE])
		logfmt_error(b, "the log format has a time but no date");
	else if (!b->owner[SLOT_REQUEST] && !b->owner[SLOT_TARGET])
		logfmt_error(b, "the log format has no request or path (nginx $request, "
				"$request_uri, $uri; Apache %%r, %%U)");
	else if (!b->owner[SLOT_STATUS])
		logfmt_error(b, "the log format has no status (nginx $status; Apache %%>s)");
}

void logfmt_begin(struct logfmt_builder *b, struct logfmt *out, char *err, size_t errlen)
{
	memset(b, 0, sizeof(*b));
	memset(out, 0, sizeof(*out));
	b->fmt = out;
	b->err = err;
	b->errlen = errlen;
	out->ntext = 1; /* offset 0 means "none" for names and patterns */
}

enum lf_status logfmt_end(struct logfmt_builder *b)
{
	if (!b->failed)
		finish(b);
	return b->failed ? LF_ERR_USAGE : LF_OK;
}

/* --- the scanner ----------------------------------------------------------- */

/* The first '"' at or after p not escaped by a backslash, or NULL. */
const char *logfmt_quote_end(const char *p, const char *end)
{
	const char *start = p;
	for (;;) {
		const char *q = memchr(p, '"', (size_t)(end - p));
		if (!q)
			return NULL;
		size_t bs = 0;
		while (q - bs > start && q[-1 - (ptrdiff_t)bs] == '\\')
			bs++;
		if (bs % 2 == 0)
			return q;
		p = q + 1;
	}
}

/* A literal with spaces that match runs of spaces (squid pads columns). */
static const char *match_spaced(const char *p, const char *end, const char *l, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (p >= end || *p != l[i])
			return NULL;
		p++;
		if (l[i] == ' ')
			while (p < end && *p == ' ')
				p++;
	}
	return p;
}

static const size_t slot_offset[SLOT_COUNT] = {
	[SLOT_VHOST] = offsetof(struct raw_fields, vhost),
	[SLOT_CLIENT] = offsetof(struct raw_fields, client),
	[SLOT_CLIENT_PORT] = offsetof(struct raw_fields, client),
	[SLOT_TIME] = offsetof(struct raw_fields, time),
	[SLOT_DATE] = offsetof(struct raw_fields, date),
	[SLOT_REQUEST] = offsetof(struct raw_fields, request),
	[SLOT_METHOD] = offsetof(struct raw_fields, method),
	[SLOT_TARGET] = offsetof(struct raw_fields, target),
	[SLOT_STATUS] = offsetof(struct raw_fields, status),
	[SLOT_CODE_STATUS] = offsetof(struct raw_fields, status),
	[SLOT_REFERER] = offsetof(struct raw_fields, referer),
	[SLOT_AGENT] = offsetof(struct raw_fields, agent),
	[SLOT_DURATION] = offsetof(struct raw_fields, duration),
	[SLOT_CONTENT_TYPE] = offsetof(struct raw_fields, content_type),
};

/* The field of slot (one with a struct slice of its own in raw_fields). */
static inline void store_plain(enum logfmt_slot slot, struct slice v, struct raw_fields *out)
{
	*(struct slice *)(void *)((char *)out + slot_offset[slot]) = v;
}

/* "1.2.3.4:80" -> "1.2.3.4"; "[2001:db8::1]:80" -> "2001:db8::1". */
static struct slice drop_port(struct slice s)
{
	if (s.n && s.p[0] == '[') {
		const char *close = memchr(s.p, ']', s.n);
		return close ? slice_make(s.p + 1, (size_t)(close - s.p - 1)) : s;
	}
	size_t i = s.n;
	while (i > 0 && s.p[i - 1] >= '0' && s.p[i - 1] <= '9')
		i--;
	return i > 0 && i < s.n && s.p[i - 1] == ':' ? slice_make(s.p, i - 1) : s;
}

/* W3C cs-uri: "/path?query" or "http://host/path" is the target as it is
 * (page.c reduces an absolute URL); Incapsula's "host/path" gives the
 * target from its '/' and, unless a field has named it, the host. */
static void store_uri(struct slice v, struct raw_fields *out)
{
	const char *slash = v.n ? memchr(v.p, '/', v.n) : NULL;
	if (!slash || slash == v.p || (slash > v.p && slash[-1] == ':')) {
		out->target = v;
		return;
	}
	if (!out->vhost.p)
		out->vhost = slice_make(v.p, (size_t)(slash - v.p));
	out->target = slice_make(slash, (size_t)(v.p + v.n - slash));
}

void logfmt_store(enum logfmt_slot slot, const char *name, struct slice v,
		  struct raw_fields *out)
{
	if (slot == SLOT_EXTRA) {
		if (out->nextra < RAW_EXTRA_MAX)
			out->extra[out->nextra++] = (struct raw_field){ slice_cstr(name), v };
		return;
	}
	if (slot == SLOT_URI) {
		store_uri(v, out);
		return;
	}
	if (slot == SLOT_CLIENT_PORT) {
		v = drop_port(v);
	} else if (slot == SLOT_CODE_STATUS) {
		const char *slash = memchr(v.p, '/', v.n);
		if (slash)
			v = slice_make(slash + 1, (size_t)(v.p + v.n - slash - 1));
	}
	store_plain(slot, v, out);
}

/* Does the literal l of n bytes start at p? A format's literals are a few
 * bytes (" - ", " [", "\" "): a loop beats a call to memcmp. */
static inline bool literal_at(const char *p, const char *l, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != l[i])
			return false;
	return true;
}

/* Where the field of st starting at p ends, or NULL. */
static const char *field_end(const struct logfmt_step *st, const char *p, const char *end)
{
	if (!st->stop) { /* the last field: without the spaces a line may end in */
		while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
			end--;
		return end;
	}
	if (st->quoted)
		return logfmt_quote_end(p, end);
	const char *e = memchr(p, st->stop, (size_t)(end - p));
	for (int k = 0; e && k < st->skip; k++)
		e = memchr(e + 1, st->stop, (size_t)(end - e - 1));
	return e;
}

/* The closing quote of a W3C "quoted string" whose inside starts at p:
 * the first '"' not doubled ("" stands for one quote), or NULL. */
static const char *w3c_quote_end(const char *p, const char *end)
{
	for (;;) {
		const char *q = memchr(p, '"', (size_t)(end - p));
		if (!q || q + 1 >= end || q[1] != '"')
			return q;
		p = q + 2;
	}
}

const char *logfmt_scan(const struct logfmt *fmt, struct slice line, struct raw_fields *out)
{
	const char *p = line.p, *end = line.p + line.n;
	raw_fields_clear(out);
	out->time_form = fmt->time_form;
	out->time_pattern = fmt->text + fmt->time_pattern;
	out->duration_unit = fmt->duration_unit;
	out->escape = fmt->escape;
	out->has_agent = fmt->has_agent;
	for (int i = 0; i < fmt->nsteps; i++) {
		const struct logfmt_step *st = &fmt->step[i];
		if (st->lit_len) {
			const char *l = fmt->text + st->lit;
			if (st->spaces) {
				if (!(p = match_spaced(p, end, l, st->lit_len)))
					return "line does not match the format";
			} else if ((size_t)(end - p) < st->lit_len || !literal_at(p, l, st->lit_len)) {
				return "line does not match the format";
			} else {
				p += st->lit_len;
			}
			continue;
		}
		struct slice v;
		const char *e;
		if (st->may_quote && p < end && *p == '"') {
			if (!(e = w3c_quote_end(p + 1, end)))
				return "line ends inside a quoted value";
			v = slice_make(p + 1, (size_t)(e - p - 1));
			e++;
		} else {
			if (!(e = field_end(st, p, end)))
				return "line ends inside a field";
			v = slice_make(p, (size_t)(e - p));
		}
		if (st->slot == SLOT_EXTRA || st->slot == SLOT_CLIENT_PORT ||
		    st->slot == SLOT_CODE_STATUS || st->slot == SLOT_URI)
			logfmt_store((enum logfmt_slot)st->slot, fmt->text + st->name, v, out);
		else if (st->slot != SLOT_SKIP) /* the common case, without the call */
			store_plain((enum logfmt_slot)st->slot, v, out);
		p = e;
	}
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	return p == end ? NULL : "unexpected text at end of line";
}
