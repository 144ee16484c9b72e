/*
 * logfmt.h - log formats given as strings, in the server's own words: an
 * nginx log_format body ($remote_addr ...) or an Apache LogFormat string
 * (%h %t "%r" ...), compiled once into a program of steps that a scanner
 * runs over each line: match this literal, take bytes up to that stop byte
 * into that field. No regex, no allocation per line or per field; the
 * fields come out as slices into the line in a struct raw_fields.
 *
 * The predefined formats that are fixed field lists (traefik, elb, alb,
 * squid, haproxy, W3C's #Fields line) are compiled by the same code from
 * their own descriptions (logfmt_compile_fields). It does not read config
 * files (conf.c does) nor JSON (json.c).
 */
#ifndef LF_LOGFMT_H
#define LF_LOGFMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../../common/slice.h"
#include "../../common/status.h"
#include "fields.h"

/* Steps in one program: a format names far fewer fields (nginx's combined
 * is 17 steps; 40 fields of W3C + separators is 80). */
#define LOGFMT_STEPS_MAX 128
/* Bytes of literals, time pattern and extra names of one program. */
#define LOGFMT_TEXT_MAX 2048

/* Where a field goes: a struct slice of struct raw_fields, or nowhere. */
enum logfmt_slot {
	SLOT_SKIP,
	SLOT_VHOST,
	SLOT_CLIENT,
	SLOT_CLIENT_PORT, /* "address:port" (ELB, ALB): the port is dropped */
	SLOT_TIME,
	SLOT_DATE,
	SLOT_REQUEST,
	SLOT_METHOD,
	SLOT_TARGET,
	SLOT_STATUS,
	SLOT_CODE_STATUS, /* squid's "TCP_MISS/200": the status after '/' */
	SLOT_REFERER,
	SLOT_AGENT,
	SLOT_DURATION,
	SLOT_URI,         /* W3C cs-uri: a path with its query, an absolute
			   * URL, or Incapsula's "host/path" (the host is the
			   * site unless another field names it) */
	SLOT_CONTENT_TYPE, /* the response's Content-Type */
	SLOT_EXTRA,
	SLOT_COUNT
};

struct logfmt_step {
	uint8_t slot;   /* enum logfmt_slot; a literal when lit_len > 0 */
	uint8_t quoted; /* the field sits between quotes: a \" inside is text */
	uint8_t skip;   /* stop bytes inside the field (CLF time: 1 space) */
	uint8_t spaces; /* the literal's spaces match a run of spaces */
	uint8_t may_quote; /* W3C: a value may be a "quoted string" (spaces
			    * inside; "" stands for one quote) */
	char stop;      /* the byte that ends the field; '\0': end of line */
	uint16_t lit, lit_len; /* the literal, in text[] */
	uint16_t name;  /* SLOT_EXTRA: NUL-terminated lower-case name in text[] */
};

struct logfmt {
	int nsteps;
	struct logfmt_step step[LOGFMT_STEPS_MAX];
	char text[LOGFMT_TEXT_MAX];
	size_t ntext;
	enum time_form time_form;
	uint16_t time_pattern; /* TF_STRFTIME: offset of the pattern in text[] */
	enum duration_unit duration_unit;
	enum field_escape escape;
	bool has_agent;
	bool has_referer;
};

/* What a format string is written in. */
enum logfmt_dialect {
	LOGFMT_NGINX,  /* $variable, ${variable}, "escape=json" prefix allowed */
	LOGFMT_APACHE, /* %h %{Referer}i %>s ... */
};

/*
 * The dialect of a --log-format string: nginx when it holds a $name or
 * starts with "escape=", Apache otherwise.
 */
enum logfmt_dialect logfmt_guess(const char *s);

/*
 * Compile s (NUL-terminated) in dialect d into *out. LF_OK, or
 * LF_ERR_USAGE with a message in err (errlen bytes, lowercase, no full
 * stop): an unknown directive, two fields with nothing between them, a
 * program too long, or a format without a time, a request or path, or a
 * status ("the log format has no time: ...").
 */
enum lf_status logfmt_compile(struct logfmt *out, enum logfmt_dialect d, const char *s,
			      char *err, size_t errlen);

/*
 * Compile a field list: names separated by sep (W3C's "date time cs-uri-stem
 * ..." with ' ', CloudFront's with '\t'), each a W3C field name. Same
 * results and errors as logfmt_compile.
 */
enum lf_status logfmt_compile_w3c(struct logfmt *out, struct slice fields, char sep, char *err,
				  size_t errlen);

/*
 * Run fmt over line into *out (cleared first). NULL, or a static reason
 * ("line does not match the format" ...) that never quotes the line.
 */
const char *logfmt_scan(const struct logfmt *fmt, struct slice line, struct raw_fields *out);

/* What a scanner returns for a line of the log that is no request: a
 * blank line, a comment or directive ("#..."), a server's own message
 * (HAProxy's "Proxy X started."), a JSON object without a request or a
 * status. Counted as not_request, never as malformed. Compare by address. */
extern const char logfmt_not_request[];

#endif
