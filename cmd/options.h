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

/* --site-alias may be given this many times: a site has a few names
 * (www. and bare, an old domain), not hundreds. */
#define SITE_ALIAS_MAX 16

enum geo_mode {
	GEO_COUNTRY, /* country only (the default) */
	GEO_REGION,  /* country and region */
	GEO_OFF,     /* no geography */
};
/* --tracker-path values kept at most. */
#define CONFIG_TRACKERS_MAX 8

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
	enum geo_mode geo;
	const char *geoip;        /* NULL: look in the usual places */
	const char *geoip_country; /* --geoip-field country=PATH */
	const char *geoip_region;  /* --geoip-field region=PATH */
	const char *site_aliases[SITE_ALIAS_MAX]; /* lower-case */
	int nsite_aliases;
	bool referrer_domain;
	const char *beacon_path;  /* NULL: no beacon endpoint */
	const char *trackers[CONFIG_TRACKERS_MAX]; /* tracker endpoints */
	int ntrackers;
	const char *uap_regexes;  /* uap-core regexes.yaml; NULL: no classification */
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
