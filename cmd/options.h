/*
 * options.h - the command line: one table drives getopt_long, --help and the
 * check that the man page names every option. The parsed result is a
 * struct config, passed down as const; nothing below cmd/ reads options.
 */
#ifndef LF_OPTIONS_H
#define LF_OPTIONS_H

#include <stdbool.h>
#include <stdint.h>

#include "../parsers/clf.h"

struct config {
	enum log_format format;
	const char *site;
	int mask_bytes;
	uint32_t session_timeout; /* seconds */
	const char *db;           /* NULL: no SQLite output */
	const char *csv;          /* NULL: no CSV output */
	double max_bad;           /* percent of lines */
	uint32_t min_visitors;    /* K of the small-cell rule */
	unsigned dims;            /* breakdown dimensions recorded (1 << dimension) */
	bool quiet;
	char **inputs;            /* "-" for stdin */
	int ninputs;
};

enum options_result {
	OPTIONS_RUN,   /* cfg is ready */
	OPTIONS_EXIT,  /* --help or --version was printed: exit 0 */
	OPTIONS_ERROR, /* a message was printed: exit 2 */
};

/* Parse argv into cfg (pointers into argv). Prints help, version and usage
 * errors itself: this is cmd/. */
enum options_result options_parse(int argc, char **argv, struct config *cfg);

#endif
