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
#include <stddef.h>

#include "../../common/slice.h"
#include "../../common/zeros.h"

/* How a logged duration is expressed. */
enum duration_unit {
	DUR_NONE,        /* the format logs no duration */
	DUR_SECONDS,     /* "0.123" or "2": seconds, maybe fractional (nginx
			  * $request_time, Apache %T, ALB/ELB times) */
	DUR_MILLIS,      /* whole milliseconds (Apache %{ms}T, W3C time-taken) */
	DUR_MICROS,      /* whole microseconds (Apache %D) */
	DUR_NANOS,       /* whole nanoseconds (Traefik's JSON Duration) */
};

/* How the scanner's time slice is written (logtime_parse reads each). */
enum time_form {
	TF_CLF,      /* "10/Oct/2000:13:55:36 -0700" (Apache %t, nginx $time_local) */
	TF_ISO8601,  /* "2000-10-10T13:55:36-07:00", "...Z", fraction allowed */
	TF_EPOCH,    /* seconds since the epoch, fraction allowed ($msec) */
	TF_EPOCH_MS, /* whole milliseconds since the epoch (Apache %{msec}t) */
	TF_EPOCH_US, /* whole microseconds since the epoch (Apache %{usec}t) */
	TF_STRFTIME, /* raw_fields.time_pattern, an strftime pattern */
	TF_W3C,      /* raw_fields.date "2000-10-10" + time "13:55:36", UTC */
	TF_W3C_LOCAL, /* the same in local time without offset (IIS Advanced
		       * Logging's date-local, time-local): naive */
	TF_ANY,      /* CLF, ISO 8601 or epoch seconds, told by shape (JSON) */
};

/* How quoted text (request, referer, agent) was escaped by the writer. */
enum field_escape {
	ESC_BACKSLASH, /* \" \\ \xNN \n \t \r \uXXXX (Apache, nginx, JSON) */
	ESC_NONE,      /* written raw (nginx escape=none) */
	ESC_PLUS,      /* W3C: a space is written '+' (referer, agent only) */
	ESC_PERCENT,   /* %XX (CloudFront; referer, agent only: paths stay
			* URL-encoded, as page normalisation expects) */
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
	struct slice time;     /* the timestamp text, in time_form */
	struct slice date;     /* TF_W3C only: the date part */
	enum time_form time_form;
	const char *time_pattern; /* TF_STRFTIME: NUL-terminated, the format's */
	struct slice request;  /* "METHOD target PROTO", escaped; or empty when
				* the format logs method and target apart: */
	struct slice method;
	struct slice target;
	struct slice status;
	struct slice referer;  /* escaped */
	struct slice agent;    /* escaped */
	bool has_agent;        /* the format logs the user agent */
	enum field_escape escape; /* of request, referer and agent */
	struct slice duration; /* see duration_unit */
	enum duration_unit duration_unit;
	struct slice content_type; /* the response's Content-Type as logged;
				    * p == NULL when the format logs none */
	int nextra;
	struct raw_field extra[RAW_EXTRA_MAX];
};

/* Clear f's fields: all empty, nextra 0 (extra[] is then unread). */
static inline void raw_fields_clear(struct raw_fields *f)
{
	ZERO_BYTES(f, offsetof(struct raw_fields, extra));
}

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
