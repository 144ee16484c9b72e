/*
 * options.h - the command line and the config file, read into a struct
 * config: the option table (opttable.h) drives getopt_long, the config
 * keys, --help, the defaults and each value's check. The result is passed
 * down as const; nothing below cmd/ reads options.
 */
#ifndef LF_OPTIONS_H
#define LF_OPTIONS_H

#include <stdbool.h>
#include <stdint.h>

#include "../parsers/reduce/clientip.h"
#include "../parsers/formats/logformat.h"
#include "../parsers/formats/json.h"
#include "../parsers/formats/logfmt.h"
#include "../parsers/reduce/pagerules.h"
#include "../parsers/reduce/parser.h"

/* Where the config file is looked for when --config names none: the first
 * that exists is read. The Makefile's SYSCONFDIR (default /etc) says the
 * directory of the first. */
#ifndef LOGFOLD_SYSCONFDIR
#define LOGFOLD_SYSCONFDIR "/etc"
#endif
#define CONFIG_SYSTEM LOGFOLD_SYSCONFDIR "/logfold.conf"
#define CONFIG_LOCAL "logfold.conf"

enum geo_mode {
	GEO_COUNTRY, /* country only (the default) */
	GEO_REGION,  /* country and region */
	GEO_OFF,     /* no geography */
};
/* Where the format comes from: the options that only make sense together,
 * kept as given (file or command line) and settled once both are read. */
struct format_sources {
	const char *log_format, *nginx_conf, *apache_conf, *name, *json_map, *tz;
};

/* --jobs at most: past a few dozen cores the serial stages (reading,
 * counting in line order, writing) bound the speed, and each thread
 * holds its own parser and user-agent cache (some 4 MiB). */
#define CONFIG_JOBS_MAX 64

/* --tracker-path values kept at most. */
#define CONFIG_TRACKERS_MAX 8
/* Retention: CNIL's recommendation for audience statistics is at most 25
 * months; 13 is the default, a year and the month to compare it with. */
#define RETENTION_DEFAULT 13
#define RETENTION_MAX 25
/* --retention none: nothing is deleted and no line expires; outside the
 * exemption (logfold privacy fails), accepted for an archive. */
#define RETENTION_NONE 0

#define REBUILD_NONE INT32_MIN

/* The progress line on stderr (cmd/progress.h). */
enum progress_mode {
	PROGRESS_AUTO,   /* when stderr is a terminal (the default) */
	PROGRESS_ALWAYS, /* --progress: into a pipe or file too */
	PROGRESS_NEVER,  /* --no-progress */
};

struct config {
	enum log_format format;
	const char *site;
	bool site_given;          /* --site (or the file's site key) was given */
	int mask_bytes;
	uint32_t session_timeout; /* seconds */
	const char *db;           /* NULL: no SQLite output */
	const char *csv;          /* NULL: no CSV output */
	bool db_beside_csv;       /* db is db_beside: --csv DIR without --db */
	char db_beside[4096];     /* DIR.db, beside DIR */
	double max_bad;           /* percent of lines */
	uint32_t min_visitors;    /* K of the small-cell rule */
	uint32_t shard_index;     /* --shard I/N: I */
	uint32_t shard_count;     /* N; 0: not sharded */
	unsigned dims;            /* breakdown dimensions recorded (1 << dimension) */
	enum geo_mode geo;
	const char *geoip;        /* NULL: look in the usual places */
	const char *geoip_country; /* --geoip-field country=PATH */
	const char *geoip_region;  /* --geoip-field region=PATH */
	bool referrer_domain;
	bool any_content_type;    /* a logged response type never makes a
				   * request not a page (the rule before it) */
	const char *beacon_path;  /* NULL: no beacon endpoint */
	const char *trackers[CONFIG_TRACKERS_MAX]; /* tracker endpoints */
	int ntrackers;
	const char *uap_regexes;  /* uap-core regexes.yaml; NULL: no classification */
	uint32_t grace;           /* seconds past a day's end before it closes */
	bool close_all;           /* every day this run writes is closed */
	int32_t rebuild_day;      /* day number to rebuild, or REBUILD_NONE */
	int32_t prune_day;        /* logfold prune --day, or REBUILD_NONE */
	int retention;            /* months of days kept; RETENTION_NONE: all */
	int wait;                 /* seconds to wait for another writer */
	int jobs;                 /* threads that read (--jobs): 1..CONFIG_JOBS_MAX */
	bool quiet;               /* also turns the progress line off */
	enum progress_mode progress;
	struct format_sources fmt_src;
	bool use_tz;              /* --tz: TZ was set in the environment */
	bool client_ip_set;       /* --client-ip or --trusted-proxy given */
	struct client_ip_config client_ip;
	struct logfmt custom;     /* FMT_CUSTOM: the compiled format string */
	struct json_map json_map; /* FMT_JSON: the --json-map */
	bool json;                /* logfold privacy --json, logfold report --json */
	const char *report;       /* --report FILE: the HTML report after the run */
	const char *output;       /* logfold report -o FILE; NULL: the default */
	const char *from, *to;    /* logfold report --from, --to; NULL: default */
	bool text;                /* logfold report --text */
	bool public_page;         /* logfold report --public */
	const char *config_file;  /* the config file read, or NULL */
	struct page_rules_spec rules; /* every site's page and opt-out rules */
	struct parser_site sites[PARSER_SITES_MAX]; /* [site HOST] sections */
	struct page_rules_spec site_rules[PARSER_SITES_MAX]; /* sites[i].rules */
	int nsites;
	struct strlist site_allow; /* lower-case hosts; none: every host */
	char **inputs;            /* "-" for stdin */
	int ninputs;
};

/* What the command line is for: a run, or a subcommand. */
enum options_mode {
	OPTIONS_MODE_RUN,     /* logfold [OPTIONS] [FILE...] */
	OPTIONS_MODE_PRIVACY, /* logfold privacy [OPTIONS]: no files, --json */
	OPTIONS_MODE_REPORT,  /* logfold report [OPTIONS]: no files, --json, --text,
			       * --from, --to, -o, --public */
	OPTIONS_MODE_PRUNE,   /* logfold prune [OPTIONS]: --day */
};

enum options_result {
	OPTIONS_RUN,   /* cfg is ready */
	OPTIONS_EXIT,  /* --help or --version was printed: exit 0 */
	OPTIONS_ERROR, /* a message was printed: exit 2 */
};

/*
 * Fill cfg from the config file (--config FILE, else the first of
 * CONFIG_SYSTEM, CONFIG_LOCAL that exists), then argv, which overrides it:
 * a value replaces the file's, a repeatable option given on the command
 * line replaces the file's list (outside [site] sections). cfg points into
 * argv and the file's text, which live to the end of the run; it is large
 * (a compiled format string): not for a small stack. Once both are read,
 * compiles the format string, reads a server config for it, and sets TZ
 * for --tz. Prints help, version and usage errors itself: this is cmd/.
 */
enum options_result options_parse(int argc, char **argv, enum options_mode mode,
				  struct config *cfg);

/* Today as 'YYYY-MM-DD' (UTC), and the first day kept under --retention:
 * the same day of the month retention months earlier (the month's last
 * day when it has fewer). LOGFOLD_TODAY=YYYY-MM-DD in the environment
 * replaces today, for tests. */
void options_today(char day[11]);
void options_retention_start(int months, char day[11]);

/* The first local day --retention keeps, as days since 1970-01-01
 * (options_retention_start's day); INT32_MIN for RETENTION_NONE. */
int32_t options_retention_day(int months);
/* The run's clock, in UTC seconds: time(2), or, with LOGFOLD_TODAY, the
 * end of that day (its 24:00 UTC, the latest "now" that day can be), so
 * that a test's result does not depend on the hour it runs at. */
int64_t options_now(void);

/* --jobs when none is given: the CPUs online, 1 to CONFIG_JOBS_MAX; for
 * the tests, LOGFOLD_JOBS=N in the environment instead (tests/e2e.sh
 * --jobs runs every case, and its set-up's runs, at 1, 2 and 7). */
int options_default_jobs(void);

#endif
