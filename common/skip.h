/*
 * skip.h - why a log line was not counted as a pageview. The parser decides
 * it, the summary and the runs table count it; the names are part of the
 * public schema (runs columns, summary words), so they are spelled once.
 */
#ifndef LF_SKIP_H
#define LF_SKIP_H

/* In the order of the runs columns; a new reason is appended, never
 * inserted, so that old databases keep their column order. The parser
 * checks them in its own order (parser.c): malformed, expired, not_get,
 * status, static, other_site, bot, excluded. */
enum skip_reason {
	SKIP_MALFORMED, /* the line does not parse, or a field is out of range */
	SKIP_NOT_GET,   /* method other than GET, or no request at all */
	SKIP_STATUS,    /* status outside 200-299 and 304 */
	SKIP_STATIC,    /* path ends in a static-asset extension */
	SKIP_BOT,       /* user agent is a robot */
	SKIP_OTHER_SITE, /* virtual host not named by --site-allow */
	SKIP_EXCLUDED,  /* page dropped by --page-exclude, or off the
			 * allow-list with --page-allow-drop */
	SKIP_NOT_REQUEST, /* a line that is not a request at all: a server's
			   * own message, a comment, a blank line, a TCP
			   * listener's line; not damage, so not malformed */
	SKIP_EXPIRED,   /* a request older than the retention: its day would
			 * be deleted in the same run */
	SKIP_FUTURE,    /* a time more than a day past the run's clock: a
			 * clock jump or a forged line; it moves nothing */
	SKIP_NREASONS
};

/* Column names in enum order: "malformed", "not_get", "status", ... */
extern const char *const skip_reason_names[SKIP_NREASONS];

#endif
