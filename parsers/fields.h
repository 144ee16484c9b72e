/*
 * fields.h - the raw fields of one log line, as any format's scanner finds
 * them: slices into the line, still escaped as the server wrote them. Only
 * parsers/ ever sees this struct; parser.c turns it into a struct hit.
 *
 * A scanner fills what its format logs and leaves the rest empty; the
 * parser then leaves the metrics that depend on a missing field empty, not
 * wrong. Fields beyond the named ones (request headers, cookies, other
 * variables) go to extra[], found by name with raw_field_get().
 */
#ifndef LF_FIELDS_H
#define LF_FIELDS_H

#include <stdbool.h>

#include "../common/slice.h"

/* How a logged duration is expressed. */
enum duration_unit {
	DUR_NONE,        /* the format logs no duration */
	DUR_SECONDS,     /* "0.123" or "2": seconds, maybe fractional (nginx
			  * $request_time, Apache %T, ALB/ELB times) */
	DUR_MILLIS,      /* whole milliseconds (Apache %{ms}T, W3C time-taken) */
	DUR_MICROS,      /* whole microseconds (Apache %D) */
};

/* Extra named fields kept per line; more are ignored. Formats rarely log
 * more than a handful of headers. */
#define RAW_EXTRA_MAX 16

struct raw_field {
	struct slice name;  /* lower-case: a header's name ("sec-gpc", "dnt",
			     * "cookie"), or the format's variable name */
	struct slice value;
};

struct raw_fields {
	struct slice vhost;    /* "host[:port]", or empty */
	struct slice client;   /* the client address as logged */
	struct slice time;     /* the timestamp text, in the scanner's form */
	struct slice request;  /* "METHOD target PROTO", escaped; or empty when
				* the format logs method and target apart: */
	struct slice method;
	struct slice target;
	struct slice status;
	struct slice referer;  /* escaped */
	struct slice agent;    /* escaped */
	bool has_agent;        /* the format logs the user agent */
	struct slice duration; /* see duration_unit */
	enum duration_unit duration_unit;
	int nextra;
	struct raw_field extra[RAW_EXTRA_MAX];
};

/* The value of the extra field named name (lower-case), or an empty slice
 * with p == NULL when the line has none. */
static inline struct slice raw_field_get(const struct raw_fields *f, const char *name)
{
	struct slice want = slice_cstr(name);
	for (int i = 0; i < f->nextra; i++)
		if (slice_eq(f->extra[i].name, want))
			return f->extra[i].value;
	return (struct slice){ NULL, 0 };
}

#endif
