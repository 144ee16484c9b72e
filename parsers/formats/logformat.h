/*
 * logformat.h - the log formats logfold reads by name, and the scanner that
 * runs the chosen one over each line: the CLF family (clf.c), programs
 * compiled from format strings (logfmt.c; the predefined fixed-field
 * formats are such programs, described in logformat.c), W3C/CloudFront with
 * their #Fields directive, and JSON lines (json.c).
 *
 * Detection tries every predefined format on the first lines of a log and
 * takes the one that parses the most of them (scan, time and status all
 * good), the first in detect order on a tie; lines that parse in no format
 * are passed over, not counted among the lines it decides on. It does not decide between a
 * format and a --log-format string: a string is always chosen by the user.
 */
#ifndef LF_PARSERS_LOGFORMAT_H
#define LF_PARSERS_LOGFORMAT_H

#include <stdbool.h>

#include "../../common/slice.h"
#include "fields.h"
#include "json.h"
#include "logfmt.h"

enum log_format {
	FMT_AUTO,
	FMT_COMBINED,
	FMT_COMMON,
	FMT_VCOMBINED,
	FMT_VCOMMON,
	FMT_W3C,
	FMT_CLOUDFRONT,
	FMT_ELB,
	FMT_ALB,
	FMT_CADDY,
	FMT_TRAEFIK,
	FMT_HAPROXY,
	FMT_SQUID,
	FMT_NGINX_JSON,
	FMT_TRAEFIK_JSON, /* Traefik's JSON access log */
	FMT_MATOMO_JSON,  /* the nginx JSON layout of Matomo's log importer */
	FMT_JSON,   /* any JSON lines, with a --json-map */
	FMT_CUSTOM, /* a --log-format string (or one from a server config) */
	FMT_COUNT
};

/* "combined" ... for a format; "auto" for FMT_AUTO, "custom", "json". */
const char *log_format_name(enum log_format f);

/* The format named s (FMT_CUSTOM has no name), or FMT_COUNT. */
enum log_format log_format_parse(const char *s);

/* The predefined formats auto-detection tries, in its order, as the text
 * "alb, elb, ..." for messages. */
const char *log_format_detect_list(void);

/* The per-run scanning state of one format. Large (a compiled program):
 * keep it in the parser, not on the stack. */
struct scanner {
	enum log_format format;
	const struct logfmt *prog;   /* the program in use (custom or own) */
	const struct json_map *map;  /* the JSON formats */
	struct logfmt own;           /* predefined formats and W3C #Fields */
	struct json_map own_map;
	bool w3c_ready;              /* a #Fields line has been read */
};

/*
 * Set s up for format f (not FMT_AUTO). custom: the compiled --log-format
 * for FMT_CUSTOM; map: the --json-map for FMT_JSON (else NULL). The
 * caller keeps both alive while s is used.
 */
void scanner_init(struct scanner *s, enum log_format f, const struct logfmt *custom,
		  const struct json_map *map);

/* Make dst a copy of src, in the state src is in (its #Fields program
 * too): a scanner may point into itself, so a plain struct copy is not one. */
void scanner_copy(struct scanner *dst, const struct scanner *src);

/*
 * Split line into *out. NULL when it parsed; logfmt_not_request (logfmt.h)
 * for a line that is no request: blank, a "#" comment or directive (W3C
 * #Fields changes the program from the next line on), one of HAProxy's
 * own messages, a JSON object without request and status; or a static
 * reason that never quotes the line.
 */
const char *scanner_scan(struct scanner *s, struct slice line, struct raw_fields *out);

/* Whether a "#" line may change how s reads the next ones (a W3C
 * directive); in every other format it is a comment, which changes
 * nothing. */
bool scanner_reads_directives(const struct scanner *s);

/*
 * Decide the format from the first lines of a log (the start of a file as
 * input_peek() shows it; a last line without newline is ignored unless
 * at_eof says start is the whole input). FMT_AUTO when no line parses in
 * any format. *lines is set to the number of lines looked at (blank ones
 * aside), those that parse in no format included; -1 (and FMT_AUTO) when
 * memory for the scanners ran out.
 */
enum log_format log_format_detect(struct slice start, bool at_eof, int *lines);

#endif
