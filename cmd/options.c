/*
 * options.c - the option table, its parsing, and --help made from it. Each
 * value is checked here, once, with the option named in the message, so the
 * rest of the program can trust struct config.
 */
#include "options.h"

#include <getopt.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "../common/civil.h"
#include "../common/host.h"
#include "../parsers/formats/conf.h"
#include "../parsers/reduce/geo.h"
#include "conffile.h"
#include "../parsers/reduce/page.h"
#include "../common/dims.h"
#include "../parsers/reduce/uap.h"
#include "msg.h"
#include "version.h"

enum opt_id {
	OPT_FORMAT = 'f',
	OPT_SITE = 's',
	OPT_MASK = 'm',
	OPT_TIMEOUT = 't',
	OPT_DB = 'd',
	OPT_CSV = 'c',
	OPT_MAX_BAD = 'b',
	OPT_MIN_VISITORS = 'k',
	OPT_UAP_REGEXES = 'u',
	OPT_QUIET = 'q',
	OPT_GRACE = 'g',
	OPT_CLOSE_ALL = 'C',
	OPT_REBUILD = 'r',
	OPT_RETENTION = 'R',
	OPT_WAIT = 'w',
	OPT_HELP = 'h',
	OPT_VERSION = 'V',
	OPT_LOG_FORMAT = 'L',
	OPT_NGINX_CONF = 'N',
	OPT_APACHE_CONF = 'A',
	OPT_FORMAT_NAME = 'n',
	OPT_JSON_MAP = 'j',
	OPT_TZ = 'z',
	OPT_CLIENT_IP = 'i',
	OPT_TRUSTED = 'p',
	OPT_OUTPUT = 'o',
	/* Long options only: past every char, so no short letter is taken. */
	OPT_GEO = 256,
	OPT_JOBS,
	OPT_GEOIP,
	OPT_GEOIP_FIELD,
	OPT_SITE_ALIAS,
	OPT_REFERRER_DOMAIN,
	OPT_CONFIG,
	OPT_SITE_ALLOW,
	OPT_PAGE_ALLOW,
	OPT_PAGE_ALLOW_DROP,
	OPT_PAGE_EXCLUDE,
	OPT_PAGE_REWRITE,
	OPT_KEEP_PATH_IDS,
	OPT_KEEP_QUERY,
	OPT_OPTOUT_COOKIE,
	OPT_OPTOUT_FIELD,
	OPT_HONOR_GPC,
	OPT_HONOR_DNT,
	OPT_JSON,
	OPT_BEACON_PATH,
	OPT_TRACKER_PATH,
	OPT_FROM,
	OPT_TO,
	OPT_SHARD,
	OPT_TEXT,
	OPT_PUBLIC,
	OPT_REPORT,
	OPT_PROGRESS,
	OPT_NO_PROGRESS,
	OPT_ANY_CONTENT_TYPE,
	OPT_DAY,
};

enum opt_flags {
	OPTF_CLI = 1,  /* command line only, not a config key */
	OPTF_SITE = 2, /* may be set in a [site HOST] section */
	OPTF_LIST = 4, /* repeatable: each use adds to a list */
	OPTF_FORMAT = 8, /* says the format with the others so flagged: the
			  * command line's replace the file's as a group */
};

/* No rule list: opt_def.rule of an option that is not one. */
#define NO_RULE (-1)

struct opt_def {
	const char *name;
	int id;
	const char *arg; /* NULL: takes no argument (a switch) */
	unsigned flags;
	int rule;        /* enum rule_kind of a rule list, or NO_RULE */
	const char *help;
};

static const struct opt_def opt_table[] = {
	{ "format", OPT_FORMAT, "FMT", OPTF_FORMAT, NO_RULE,
	  "log format: combined, common, vcombined, vcommon,\n"
	  "w3c, cloudfront, elb, alb, caddy, traefik, haproxy,\n"
	  "squid, nginx-json, traefik-json, matomo-json, json\n"
	  "or auto (default auto: decided from the first lines\n"
	  "and said on stderr)" },
	{ "log-format", OPT_LOG_FORMAT, "STRING", OPTF_FORMAT, NO_RULE,
	  "the server's own format: an nginx log_format\n"
	  "body ($remote_addr ...) or an Apache LogFormat\n"
	  "string (%h %t \"%r\" ...)" },
	{ "nginx-conf", OPT_NGINX_CONF, "FILE", OPTF_FORMAT, NO_RULE,
	  "take the format from nginx's log_format in FILE" },
	{ "apache-conf", OPT_APACHE_CONF, "FILE", OPTF_FORMAT, NO_RULE,
	  "take the format from Apache's LogFormat in FILE" },
	{ "log-format-name", OPT_FORMAT_NAME, "NAME", OPTF_FORMAT, NO_RULE,
	  "the log_format / LogFormat nickname to take\n"
	  "(nginx default combined)" },
	{ "json-map", OPT_JSON_MAP, "MAP", OPTF_FORMAT, NO_RULE,
	  "for --format json: FIELD=KEY,... (fields named\n"
	  "as nginx variables or time; keys dotted for\n"
	  "nested objects)" },
	{ "tz", OPT_TZ, "ZONE", 0, NO_RULE,
	  "days in the IANA zone ZONE (e.g. Europe/Paris),\n"
	  "DST included (default: each line's own offset;\n"
	  "UTC when it logs none)" },
	{ "client-ip", OPT_CLIENT_IP, "MODE", 0, NO_RULE,
	  "the client: remote (default), xff-first,\n"
	  "xff-last or header:NAME (before masking)" },
	{ "trusted-proxy", OPT_TRUSTED, "CIDR", OPTF_LIST, NO_RULE,
	  "a proxy's block, skipped from the right of\n"
	  "X-Forwarded-For (repeatable)" },
	{ "site", OPT_SITE, "NAME", 0, NO_RULE,
	  "site name for formats without a virtual host (default 'default');\n"
	  "its [site NAME] section's format, if any, is the run's" },
	{ "mask-bytes", OPT_MASK, "N", 0, NO_RULE,
	  "IP bytes masked, 1..4 (default 2): IPv4 zeroes the last N bytes,\n"
	  "IPv6 keeps /64, /48, /32, /0" },
	{ "session-timeout", OPT_TIMEOUT, "DUR", 0, NO_RULE,
	  "a gap longer than DUR starts a new visit (default 30m; a bare number\n"
	  "is minutes; suffixes s, m, h)" },
	{ "db", OPT_DB, "PATH", 0, NO_RULE,
	  "keep the tables in the SQLite database PATH (default: DIR.db beside\n"
	  "--csv DIR, else logfold.db)" },
	{ "csv", OPT_CSV, "DIR", 0, NO_RULE,
	  "also write every row of the database's tables as one TABLE.csv\n"
	  "per table into DIR, after each run" },
	{ "max-bad", OPT_MAX_BAD, "PCT", 0, NO_RULE,
	  "exit 1 when more than PCT percent of lines are malformed (default 10)" },
	{ "min-visitors", OPT_MIN_VISITORS, "K", 0, NO_RULE,
	  "small-cell rule: a cell (breakdown_daily, action_daily,\n"
	  "engagement_daily, load_hourly) seen by fewer than K visitors folds\n"
	  "into '(other)', and an '(other)' of fewer is not written (default 5;\n"
	  "1 turns it off)" },
	{ "geo", OPT_GEO, "MODE", 0, NO_RULE,
	  "geography in breakdown_daily: country (default), region (country and\n"
	  "ISO 3166-2 region) or off; looked up on the masked address only" },
	{ "geoip", OPT_GEOIP, "PATH", 0, NO_RULE,
	  "the MaxMind DB (.mmdb) to use (default: the first GeoLite2/GeoIP2/DB-IP\n"
	  "City or Country database in /usr/share/GeoIP or /var/lib/GeoIP; none:\n"
	  "no geography, said once)" },
	{ "geoip-field", OPT_GEOIP_FIELD, "KEY=PATH", 0, NO_RULE,
	  "where the database keeps KEY (country or region), as a dot path\n"
	  "(defaults country.iso_code, subdivisions.0.iso_code)" },
	{ "site-alias", OPT_SITE_ALIAS, "HOST", OPTF_SITE | OPTF_LIST, RULE_ALIAS,
	  "a referrer from HOST is internal, like one from the site itself\n"
	  "(repeatable; a [site] section's for that site only)" },
	{ "referrer-domain", OPT_REFERRER_DOMAIN, NULL, 0, NO_RULE,
	  "external referrers by registrable domain (public suffix list), not host" },
	{ "site-allow", OPT_SITE_ALLOW, "HOST", OPTF_LIST, NO_RULE,
	  "count only these virtual hosts (repeatable); others are skipped\n"
	  "as other_site" },
	{ "any-content-type", OPT_ANY_CONTENT_TYPE, NULL, 0, NO_RULE,
	  "count responses of any logged content type as pages (default:\n"
	  "where the format logs it, only text/html and\n"
	  "application/xhtml+xml are)" },
	{ "page-allow", OPT_PAGE_ALLOW, "REGEX", OPTF_SITE | OPTF_LIST, RULE_ALLOW,
	  "count only pages matching a REGEX (repeatable) under their name;\n"
	  "the others as '(other)'" },
	{ "page-allow-drop", OPT_PAGE_ALLOW_DROP, NULL, OPTF_SITE, NO_RULE,
	  "skip pages off the allow-list (as excluded) instead" },
	{ "page-exclude", OPT_PAGE_EXCLUDE, "REGEX", OPTF_SITE | OPTF_LIST, RULE_EXCLUDE,
	  "skip pages matching REGEX (repeatable) as excluded" },
	{ "page-rewrite", OPT_PAGE_REWRITE, "RE=>TPL", OPTF_SITE | OPTF_LIST, RULE_REWRITE,
	  "replace the match of RE in the page by TPL ($1..$9: groups;\n"
	  "repeatable, the first that matches applies)" },
	{ "keep-path-ids", OPT_KEEP_PATH_IDS, NULL, OPTF_SITE, NO_RULE,
	  "keep identifier-shaped path segments (default: e-mail addresses,\n"
	  "UUIDs, 10+ digits, tokens, JWTs become :email :uuid :num :token)" },
	{ "keep-query", OPT_KEEP_QUERY, "NAME", OPTF_SITE | OPTF_LIST, RULE_KEEP_QUERY,
	  "keep query parameter NAME in the page (repeatable; utm_*, ids,\n"
	  "tokens and personal names are refused)" },
	{ "optout-cookie", OPT_OPTOUT_COOKIE, "NAME[=VAL]", OPTF_SITE | OPTF_LIST,
	  RULE_OPTOUT_COOKIE, "drop, uncounted, requests carrying this cookie\n"
	  "(when the format logs cookies)" },
	{ "optout-field", OPT_OPTOUT_FIELD, "FIELD=VAL", OPTF_SITE | OPTF_LIST, RULE_OPTOUT_FIELD,
	  "drop, uncounted, requests whose logged FIELD is VAL" },
	{ "honor-gpc", OPT_HONOR_GPC, NULL, OPTF_SITE, NO_RULE,
	  "drop, uncounted, requests with a logged Sec-GPC: 1" },
	{ "honor-dnt", OPT_HONOR_DNT, NULL, OPTF_SITE, NO_RULE,
	  "drop, uncounted, requests with a logged DNT: 1" },
	{ "beacon-path", OPT_BEACON_PATH, "PATH", 0, NO_RULE,
	  "requests to PATH are beacon/logfold.js events, never\n"
	  "pageviews (default /logfold.gif; 'none' for no beacon)" },
	{ "tracker-path", OPT_TRACKER_PATH, "PATH", OPTF_LIST, NO_RULE,
	  "requests to PATH are Matomo/Piwik tracker requests\n"
	  "(repeatable, at most 8; default /matomo.php /piwik.php\n"
	  "/ppms.php; 'none' for none)" },
	{ "uap-regexes", OPT_UAP_REGEXES, "PATH", 0, NO_RULE,
	  "uap-core's regexes.yaml for browser, OS, device and robots (default\n"
	  UAP_DEFAULT_REGEXES ", from the Debian package uap-core);\n"
	  "'none': no classification, robots by a few substrings only" },
	{ "grace", OPT_GRACE, "DUR", 0, NO_RULE,
	  "a day closes (is final) once the log has reached DUR past its end\n"
	  "(default 10m; 0 to 24h, suffixes s, m, h); an open day is rewritten\n"
	  "whole by the next run that sees its lines" },
	{ "close-all", OPT_CLOSE_ALL, NULL, 0, NO_RULE,
	  "close every day this run writes (a backfill of finished files)" },
	{ "rebuild", OPT_REBUILD, "DAY", OPTF_CLI, NO_RULE,
	  "count only the lines of DAY (YYYY-MM-DD), even if it is closed, and\n"
	  "replace it: give every file that holds it" },
	{ "day", OPT_DAY, "DAY", OPTF_CLI, NO_RULE,
	  "logfold prune: delete the rows of day DAY (YYYY-MM-DD) of\n"
	  "--site, or of every site; a closed day stays closed, and --rebuild\n"
	  "writes it anew with any --min-visitors and --mask-bytes" },
	{ "shard", OPT_SHARD, "I/N", 0, NO_RULE,
	  "count only the visitors of shard I of N (0 <= I < N): run it once per\n"
	  "shard, on every input, then 'logfold merge' the N databases; a shard's\n"
	  "database is partial (report, CSV and privacy refuse it)" },
	{ "retention", OPT_RETENTION, "MONTHS", 0, NO_RULE,
	  "delete days older than MONTHS months, and skip lines older than that\n"
	  "as expired (default 13, at most 25); 'none' keeps every day (outside\n"
	  "the CNIL exemption: logfold privacy fails)" },
	{ "wait", OPT_WAIT, "SECONDS", 0, NO_RULE,
	  "wait up to SECONDS for another run to finish with the database\n"
	  "(default 60), then exit 5" },
	{ "jobs", OPT_JOBS, "N", 0, NO_RULE,
	  "read with N threads (default: the online CPUs, at most 64); the\n"
	  "tables are the same whatever N" },
	{ "quiet", OPT_QUIET, NULL, 0, NO_RULE,
	  "no summary and no progress on stderr (errors are still printed)" },
	{ "progress", OPT_PROGRESS, NULL, OPTF_CLI, NO_RULE,
	  "show the progress line even when stderr is not a terminal (default:\n"
	  "on a terminal, once a run lasts a second)" },
	{ "no-progress", OPT_NO_PROGRESS, NULL, OPTF_CLI, NO_RULE,
	  "never show the progress line" },
	{ "config", OPT_CONFIG, "FILE", OPTF_CLI, NO_RULE,
	  "read settings from FILE (default " CONFIG_SYSTEM " if it exists,\n"
	  "else ./" CONFIG_LOCAL "); options given here override it" },
	{ "json", OPT_JSON, NULL, OPTF_CLI, NO_RULE,
	  "logfold privacy: print the checklist as JSON; logfold report: write\n"
	  "the report as JSON" },
	{ "report", OPT_REPORT, "FILE", 0, NO_RULE,
	  "after the run, write the HTML report of the database (--db) to FILE:\n"
	  "the --site given, else every site; the last 30 days" },
	{ "output", OPT_OUTPUT, "FILE", OPTF_CLI, NO_RULE,
	  "logfold report: write the report to FILE ('-': standard output, the\n"
	  "default for --text and --json)" },
	{ "from", OPT_FROM, "DAY", OPTF_CLI, NO_RULE,
	  "logfold report: the first day of the range, YYYY-MM-DD (default: the\n"
	  "30 days that end on --to)" },
	{ "to", OPT_TO, "DAY", OPTF_CLI, NO_RULE,
	  "logfold report: the last day of the range (default: the last day in\n"
	  "the database)" },
	{ "text", OPT_TEXT, NULL, OPTF_CLI, NO_RULE,
	  "logfold report: plain text for a cron mail: the overview and the top\n"
	  "10 pages, referrers, browsers and countries" },
	{ "public", OPT_PUBLIC, NULL, OPTF_CLI, NO_RULE,
	  "logfold report: leave out robots, data quality, runs and settings\n"
	  "(a page to publish)" },
	{ "help", OPT_HELP, NULL, OPTF_CLI, NO_RULE, "show this help and exit" },
	{ "version", OPT_VERSION, NULL, OPTF_CLI, NO_RULE,
	  "show the version, the libraries' versions and the data files' dates,\n"
	  "and exit" },
};

#define NOPTS (sizeof(opt_table) / sizeof(opt_table[0]))

/* Help text a column wide: words refilled into lines that end by column 80
 * (the table's line breaks are only where the words happen to fall). */
#define HELP_INDENT 29
#define HELP_WIDTH (80 - HELP_INDENT)

static void print_wrapped(const char *text)
{
	size_t col = 0;
	for (const char *p = text; *p;) {
		while (*p == ' ' || *p == '\n')
			p++;
		size_t n = strcspn(p, " \n");
		if (n == 0)
			break;
		if (col && col + 1 + n > HELP_WIDTH) {
			printf("\n%*s", HELP_INDENT, "");
			col = 0;
		}
		printf("%s%.*s", col ? " " : "", (int)n, p);
		col += (col ? 1 : 0) + n;
		p += n;
	}
	putchar('\n');
}

static void print_help(void)
{
	printf("usage: logfold [OPTIONS] [FILE...]\n"
	       "       logfold privacy [OPTIONS] [--json]\n"
	       "       logfold report [--db PATH] [--site NAME] [--from DAY] [--to DAY]\n"
	       "                      [-o FILE|-] [--text|--json] [--public]\n"
	       "       logfold prune [--db PATH] [--csv DIR] [--retention MONTHS] [--wait S]\n"
	       "       logfold prune [--db PATH] [--csv DIR] --day DAY [--site NAME]\n"
	       "       logfold merge [--csv DIR] [--wait SECONDS] OUT.db IN.db...\n\n"
	       "Turn web-server access logs (plain, gzip, zstd, xz, bzip2; '-' or none\n"
	       "for stdin) into anonymous per-page daily statistics in SQLite, and CSV\n"
	       "files made from it. 'logfold privacy' checks the settings against the\n"
	       "CNIL consent exemption.\n"
	       "Run it nightly on every file (access.log*): files already read are\n"
	       "recognised by content, whatever their name and compression, and resumed;\n"
	       "--csv DIR alone keeps its database in DIR.db beside DIR.\n"
	       "'report' writes the statistics as one self-contained HTML page (or text,\n"
	       "or JSON). 'prune' only deletes the days older than --retention, or with\n"
	       "--day one day (so that it may be written again with a smaller K).\n"
	       "'merge' sums the databases of several servers of one site into OUT.db;\n"
	       "merged again, a server's days replace what it gave before. Visitors\n"
	       "add, so a visitor who hit two servers counts twice.\n\n"
	       "options (each long option but config, json, the report's output, from,\n"
	       "to, text and public, progress, no-progress, day, help and version is also a\n"
	       "config file key, 'key = value'; [site HOST] sections take the page,\n"
	       "opt-out and site-alias options, and the format of the runs whose --site\n"
	       "is HOST):\n");
	for (size_t i = 0; i < NOPTS; i++) {
		const struct opt_def *o = &opt_table[i];
		char head[64];
		if (o->id < 256)
			snprintf(head, sizeof(head), "-%c, --%s%s%s", o->id, o->name,
				 o->arg ? " " : "", o->arg ? o->arg : "");
		else
			snprintf(head, sizeof(head), "    --%s%s%s", o->name, o->arg ? " " : "",
				 o->arg ? o->arg : "");
		if (strlen(head) > 26)
			printf("  %s\n%29s", head, "");
		else
			printf("  %-26s ", head);
		print_wrapped(o->help);
	}
	printf("\nexit status: 0 ok, 1 too many malformed lines (logfold privacy: outside\n"
	       "the exemption), 2 usage error (also: an unreadable --geoip database,\n"
	       "public suffix list or uap-core regexes; logfold report: an unknown\n"
	       "--site), 3 input error (good lines still written; logfold report: a\n"
	       "database it cannot report on), 4 output error (nothing written),\n"
	       "5 database busy past --wait (nothing written), 6 interrupted by SIGINT\n"
	       "or SIGTERM (nothing written)\n"
	       "\nSee logfold(1) for the tables, the privacy model and examples.\n");
}

/* Parse a whole decimal number in [lo, hi]. */
static bool parse_int(const char *s, long lo, long hi, long *out)
{
	char *end;
	long v = strtol(s, &end, 10);
	if (end == s || *end || v < lo || v > hi)
		return false;
	*out = v;
	return true;
}

/* "I/N", 0 <= I < N <= 1000 (--shard). */
static bool parse_shard(const char *s, uint32_t *index, uint32_t *count)
{
	char *end;
	long i = strtol(s, &end, 10);
	if (end == s || *end != '/' || !(end[1] >= '0' && end[1] <= '9'))
		return false;
	long n;
	if (!parse_int(end + 1, 1, 1000, &n) || i < 0 || i >= n)
		return false;
	*index = (uint32_t)i;
	*count = (uint32_t)n;
	return true;
}

/* "30", "30m", "1800s", "1h": seconds, 1 s .. 24 h. */
static bool parse_duration(const char *s, uint32_t *out)
{
	char *end;
	long v = strtol(s, &end, 10);
	long unit = 60;
	if (end == s || v < 0)
		return false;
	if (*end == 's')
		unit = 1;
	else if (*end == 'h')
		unit = 3600;
	else if (*end != 'm' && *end != '\0')
		return false;
	if (*end && end[1])
		return false;
	if (v < 1 || v > 86400 / unit)
		return false;
	*out = (uint32_t)(v * unit);
	return true;
}

static bool parse_percent(const char *s, double *out)
{
	char *end;
	double v = strtod(s, &end);
	if (end == s || (*end && strcmp(end, "%") != 0) || !(v >= 0 && v <= 100))
		return false;
	*out = v;
	return true;
}

/* Where the value being applied came from: a file and line, or (file
 * NULL) the command line. Messages name the option the way it was given. */
struct origin {
	const char *file;
	int line;
};

static bool bad_value(const struct origin *at, const char *opt, const char *val,
		      const char *want)
{
	if (at->file)
		msg_error("%s:%d: invalid value '%s' for '%s': %s", at->file, at->line, val, opt,
			  want);
	else
		msg_error("invalid value '%s' for --%s: %s", val, opt, want);
	return false;
}

/* A switch's value in a config file: true/yes/on/1 or false/no/off/0. On
 * the command line a switch is always "1". */
static bool parse_switch(const char *s, bool *out)
{
	static const char *const yes[] = { "1", "true", "yes", "on" }, *const no[] = { "0", "false",
										 "no", "off" };
	for (size_t i = 0; i < 4; i++) {
		if (strcasecmp(s, yes[i]) == 0 || strcasecmp(s, no[i]) == 0) {
			*out = strcasecmp(s, yes[i]) == 0;
			return true;
		}
	}
	return false;
}

static bool add_to(struct strlist *l, const struct origin *at, const char *opt, const char *v)
{
	bool pattern = strncmp(opt, "page-", 5) == 0; /* allow, exclude, rewrite */
	if (l->n >= RULES_LIST_MAX)
		return bad_value(at, opt, v,
				 pattern ? "more than 32 values (join patterns with '|')"
					 : "more than 32 values");
	l->v[l->n++] = v;
	return true;
}

/* A host name as --site-allow, --site-alias and [site HOST] take it
 * (common/host.h), normalised in place: argv and the file's text are
 * ours. */
static const char *check_host(char *h)
{
	return host_normalize(slice_cstr(h), 0, h, NULL) ? NULL : HOST_WANT;
}

static bool apply_geo(const char *arg, const struct origin *at, struct config *cfg)
{
	static const char *const modes[] = { [GEO_COUNTRY] = "country", [GEO_REGION] = "region",
					     [GEO_OFF] = "off" };
	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++)
		if (strcmp(arg, modes[i]) == 0) {
			cfg->geo = (enum geo_mode)i;
			return true;
		}
	return bad_value(at, "geo", arg, "one of country, region, off");
}

/* "country=PATH" or "region=PATH"; the path is checked when the database
 * is opened. */
static bool apply_geoip_field(const char *arg, const struct origin *at, struct config *cfg)
{
	const char *eq = strchr(arg, '=');
	if (eq && eq[1] && (size_t)(eq - arg) == 7 && strncmp(arg, "country", 7) == 0)
		cfg->geoip_country = eq + 1;
	else if (eq && eq[1] && (size_t)(eq - arg) == 6 && strncmp(arg, "region", 6) == 0)
		cfg->geoip_region = eq + 1;
	else
		return bad_value(at, "geoip-field", arg, "country=PATH or region=PATH");
	return true;
}

/* Apply a switch or a rule (the options a [site] section may hold) to r. */
static bool apply_rule(const struct opt_def *o, char *arg, const struct origin *at,
		       struct page_rules_spec *r)
{
	char err[160];
	bool on = true;
	if (!o->arg && !parse_switch(arg, &on))
		return bad_value(at, o->name, arg, "true or false");
	switch (o->id) {
	case OPT_PAGE_ALLOW_DROP:
		r->allow_drop = on;
		return true;
	case OPT_KEEP_PATH_IDS:
		r->keep_ids = on;
		return true;
	case OPT_HONOR_GPC:
		r->honor_gpc = on;
		return true;
	case OPT_HONOR_DNT:
		r->honor_dnt = on;
		return true;
	}
	const char *why = pagerule_check((enum rule_kind)o->rule, arg, err, sizeof(err));
	if (why)
		return bad_value(at, o->name, arg, why);
	if (o->rule == RULE_ALIAS)
		check_host(arg); /* checked by pagerule_check: normalises */
	return add_to(&r->list[o->rule], at, o->name, arg);
}

/* An endpoint path: as page_normalize would write it, so that it compares
 * equal to the pages of requests for it. */
static bool endpoint_ok(const char *s)
{
	char buf[PAGE_MAX];
	struct slice page;
	return s[0] == '/' && page_normalize(slice_cstr(s), buf, &page) == NULL &&
	       slice_eq_cstr(page, s);
}

/* --tracker-path: the first one given (in the file or on the command line)
 * replaces the defaults; "none" empties the list. */
static bool add_tracker(char *arg, const struct origin *at, struct config *cfg)
{
	if (cfg->trackers_default) {
		cfg->ntrackers = 0;
		cfg->trackers_default = false;
	}
	if (strcmp(arg, "none") == 0) {
		cfg->ntrackers = 0;
		return true;
	}
	if (!endpoint_ok(arg))
		return bad_value(at, "tracker-path", arg,
				 "a normalised path starting with '/', or none");
	if (cfg->ntrackers == CONFIG_TRACKERS_MAX)
		return bad_value(at, "tracker-path", arg, "at most 8 tracker paths");
	cfg->trackers[cfg->ntrackers++] = arg;
	return true;
}

/* Is zone one the system's tzdata has (a TZif file under TZDIR)? */
static bool tz_known(const char *zone)
{
	const char *dir = getenv("TZDIR");
	char path[512];
	unsigned char magic[4] = { 0 };
	if (!dir || !*dir)
		dir = "/usr/share/zoneinfo";
	snprintf(path, sizeof(path), "%s/%s", dir, zone);
	FILE *f = (zone[0] && zone[0] != '/' && !strstr(zone, "..")) ? fopen(path, "rb") : NULL;
	size_t n = f ? fread(magic, 1, 4, f) : 0;
	if (f)
		fclose(f);
	return n == 4 && memcmp(magic, "TZif", 4) == 0;
}

/* --format's value into *f; false after printing an error. */
static bool format_name(const char *arg, const struct origin *at, enum log_format *f)
{
	*f = log_format_parse(arg);
	return *f != FMT_COUNT ||
	       bad_value(at, "format", arg,
			 "one of combined, common, vcombined, vcommon, w3c, cloudfront, "
			 "elb, alb, caddy, traefik, haproxy, squid, nginx-json, traefik-json, "
			 "matomo-json, json, auto");
}

/* Forget the format said so far: another source says it instead. */
static void clear_format(struct config *cfg)
{
	cfg->format = FMT_AUTO;
	cfg->fmt_src.log_format = cfg->fmt_src.nginx_conf = cfg->fmt_src.apache_conf = NULL;
	cfg->fmt_src.name = cfg->fmt_src.json_map = NULL;
}

/* Apply one option to cfg; false after printing an error. */
static bool apply(const struct opt_def *o, char *arg, const struct origin *at,
		  struct config *cfg)
{
	long v;
	const char *why;
	bool on = true;
	if (o->flags & OPTF_SITE)
		return apply_rule(o, arg, at, &cfg->rules);
	if (!o->arg && !parse_switch(arg, &on))
		return bad_value(at, o->name, arg, "true or false");
	switch (o->id) {
	case OPT_FORMAT:
		return format_name(arg, at, &cfg->format);
	case OPT_LOG_FORMAT:
		cfg->fmt_src.log_format = arg;
		return true;
	case OPT_NGINX_CONF:
		cfg->fmt_src.nginx_conf = arg;
		return true;
	case OPT_APACHE_CONF:
		cfg->fmt_src.apache_conf = arg;
		return true;
	case OPT_FORMAT_NAME:
		cfg->fmt_src.name = arg;
		return true;
	case OPT_JSON_MAP:
		cfg->fmt_src.json_map = arg;
		return true;
	case OPT_TZ:
		cfg->fmt_src.tz = arg;
		return tz_known(arg) ||
		       bad_value(at, "tz", arg, "an IANA zone name such as Europe/Paris (none "
						"such in the system's tzdata)");
	case OPT_CLIENT_IP:
		cfg->client_ip_set = true;
		return client_ip_mode_parse(arg, &cfg->client_ip) ||
		       bad_value(at, "client-ip", arg,
				 "remote, xff-first, xff-last or header:NAME (NAME up to 63 bytes)");
	case OPT_TRUSTED:
		cfg->client_ip_set = true;
		if (cfg->client_ip.ntrusted >= CLIENTIP_TRUSTED_MAX)
			return bad_value(at, "trusted-proxy", arg, "at most 64 blocks");
		return cidr_parse(arg, &cfg->client_ip.trusted[cfg->client_ip.ntrusted++]) ||
		       bad_value(at, "trusted-proxy", arg, "an address or ADDRESS/BITS");
	case OPT_SITE:
		cfg->site = arg;
		cfg->site_given = true;
		return (arg[0] && strlen(arg) <= 253) ||
		       bad_value(at, "site", arg, "a name of 1 to 253 bytes");
	case OPT_MASK:
		if (!parse_int(arg, 1, 4, &v))
			return bad_value(at, "mask-bytes", arg, "a number from 1 to 4");
		cfg->mask_bytes = (int)v;
		return true;
	case OPT_TIMEOUT:
		return parse_duration(arg, &cfg->session_timeout) ||
		       bad_value(at, "session-timeout", arg, "a duration from 1s to 24h");
	case OPT_MIN_VISITORS:
		if (!parse_int(arg, 1, 1000000, &v))
			return bad_value(at, "min-visitors", arg, "a number from 1 to 1000000");
		cfg->min_visitors = (uint32_t)v;
		return true;
	case OPT_BEACON_PATH:
		cfg->beacon_path = strcmp(arg, "none") == 0 ? NULL : arg;
		return !cfg->beacon_path || endpoint_ok(arg) ||
		       bad_value(at, "beacon-path", arg,
				 "a normalised path starting with '/', or none");
	case OPT_TRACKER_PATH:
		return add_tracker(arg, at, cfg);
	case OPT_UAP_REGEXES:
		cfg->uap_regexes = strcmp(arg, "none") == 0 ? NULL : arg;
		return true;
	case OPT_GRACE:
		if (strcmp(arg, "0") == 0) {
			cfg->grace = 0;
			return true;
		}
		return parse_duration(arg, &cfg->grace) ||
		       bad_value(at, "grace", arg, "a duration from 0 to 24h");
	case OPT_CLOSE_ALL:
		cfg->close_all = on;
		return true;
	case OPT_REBUILD:
		return day_parse(arg, strlen(arg), &cfg->rebuild_day) ||
		       bad_value(at, "rebuild", arg, "a day as YYYY-MM-DD");
	case OPT_DAY:
		return day_parse(arg, strlen(arg), &cfg->prune_day) ||
		       bad_value(at, "day", arg, "a day as YYYY-MM-DD");
	case OPT_RETENTION:
		if (strcmp(arg, "none") == 0) {
			cfg->retention = RETENTION_NONE;
			return true;
		}
		if (!parse_int(arg, 1, RETENTION_MAX, &v))
			return bad_value(at, "retention", arg,
					 "a number of months from 1 to 25 (CNIL's limit), or none");
		cfg->retention = (int)v;
		return true;
	case OPT_SHARD:
		return parse_shard(arg, &cfg->shard_index, &cfg->shard_count) ||
		       bad_value(at, "shard", arg, "I/N with 0 <= I < N <= 1000");
	case OPT_WAIT:
		if (!parse_int(arg, 0, 86400, &v))
			return bad_value(at, "wait", arg, "a number of seconds from 0 to 86400");
		cfg->wait = (int)v;
		return true;
	case OPT_JOBS:
		if (!parse_int(arg, 1, CONFIG_JOBS_MAX, &v))
			return bad_value(at, "jobs", arg, "a number from 1 to 64");
		cfg->jobs = (int)v;
		return true;
	case OPT_MAX_BAD:
		return parse_percent(arg, &cfg->max_bad) ||
		       bad_value(at, "max-bad", arg, "a percentage from 0 to 100");
	case OPT_DB:
		cfg->db = arg;
		return true;
	case OPT_CSV:
		cfg->csv = arg;
		return true;
	case OPT_QUIET:
		cfg->quiet = on;
		return true;
	case OPT_JSON:
		cfg->json = on;
		return true;
	case OPT_TEXT:
		cfg->text = on;
		return true;
	case OPT_PUBLIC:
		cfg->public_page = on;
		return true;
	case OPT_OUTPUT:
		cfg->output = arg;
		return true;
	case OPT_REPORT:
		cfg->report = arg;
		return arg[0] || bad_value(at, "report", arg, "a file name");
	case OPT_FROM:
	case OPT_TO: {
		int32_t d;
		*(o->id == OPT_FROM ? &cfg->from : &cfg->to) = arg;
		return day_parse(arg, strlen(arg), &d) ||
		       bad_value(at, o->name, arg, "a day as YYYY-MM-DD");
	}
	case OPT_PROGRESS:
		cfg->progress = PROGRESS_ALWAYS;
		return true;
	case OPT_NO_PROGRESS:
		cfg->progress = PROGRESS_NEVER;
		return true;
	case OPT_GEO:
		return apply_geo(arg, at, cfg);
	case OPT_GEOIP:
		cfg->geoip = arg;
		return true;
	case OPT_GEOIP_FIELD:
		return apply_geoip_field(arg, at, cfg);
	case OPT_REFERRER_DOMAIN:
		cfg->referrer_domain = on;
		return true;
	case OPT_ANY_CONTENT_TYPE:
		cfg->any_content_type = on;
		return true;
	case OPT_SITE_ALLOW:
		if ((why = check_host(arg)) != NULL)
			return bad_value(at, "site-allow", arg, why);
		return add_to(&cfg->site_allow, at, "site-allow", arg);
	}
	return true;
}

static const struct opt_def *opt_by_name(const char *name)
{
	for (size_t i = 0; i < NOPTS; i++)
		if (strcmp(opt_table[i].name, name) == 0)
			return &opt_table[i];
	return NULL;
}

static const struct opt_def *opt_by_id(int id)
{
	for (size_t i = 0; i < NOPTS; i++)
		if (opt_table[i].id == id)
			return &opt_table[i];
	return NULL;
}

/* ---- the config file ----------------------------------------------------- */

/* Settings of [site] sections, kept to be applied over the final global
 * rules (after the command line). 1024 is far past a real config. */
#define SITE_SETTINGS_MAX 1024

struct site_setting {
	int site; /* index in cfg->sites */
	const struct opt_def *o;
	char *value;
	struct origin at;
};

struct file_ctx {
	struct config *cfg;
	struct site_setting set[SITE_SETTINGS_MAX];
	int nset;
};

static int site_index(struct config *cfg, char *host, const struct origin *at)
{
	const char *why = check_host(host);
	if (why) {
		msg_error("%s:%d: invalid site '%s': %s", at->file, at->line, host, why);
		return -1;
	}
	for (int i = 0; i < cfg->nsites; i++)
		if (strcmp(cfg->sites[i].host, host) == 0)
			return i;
	if (cfg->nsites == PARSER_SITES_MAX) {
		msg_error("%s:%d: more than %d [site] sections", at->file, at->line,
			  PARSER_SITES_MAX);
		return -1;
	}
	cfg->sites[cfg->nsites] = (struct parser_site){ host, &cfg->site_rules[cfg->nsites] };
	return cfg->nsites++;
}

static bool file_setting(void *vctx, char *section, const char *key, char *value,
			 const char *path, int line)
{
	struct file_ctx *ctx = vctx;
	struct origin at = { path, line };
	const struct opt_def *o = opt_by_name(key);
	if (!o || (o->flags & OPTF_CLI)) {
		msg_error("%s:%d: unknown key '%s'%s", path, line, key,
			  o ? " (a command-line option only)" : "");
		return false;
	}
	if (!section)
		return apply(o, value, &at, ctx->cfg);
	if (!(o->flags & (OPTF_SITE | OPTF_FORMAT))) {
		msg_error("%s:%d: '%s' is not a per-site setting: put it before the first "
			  "[site] section", path, line, key);
		return false;
	}
	int site = site_index(ctx->cfg, section, &at);
	if (site < 0 || ctx->nset == SITE_SETTINGS_MAX) {
		if (site >= 0)
			msg_error("%s:%d: more than %d per-site settings", path, line,
				  SITE_SETTINGS_MAX);
		return false;
	}
	/* Checked now, against the section alone, so that a bad value is named
	 * with its line; applied again over the global rules (or format) at the
	 * end. A format string is checked when it is compiled. */
	enum log_format f;
	if ((o->flags & OPTF_SITE) ? !apply_rule(o, value, &at, &ctx->cfg->site_rules[site])
				   : o->id == OPT_FORMAT && !format_name(value, &at, &f))
		return false;
	ctx->set[ctx->nset++] = (struct site_setting){ site, o, value, at };
	return true;
}

/* The format options of the section of the run's --site, if it has any:
 * they replace the global ones as a group, as the command line's would (a
 * log per site, without the virtual host, is read with its site's format). */
static bool site_format(struct file_ctx *ctx)
{
	struct config *cfg = ctx->cfg;
	bool cleared = false;
	for (int i = 0; i < ctx->nset; i++) {
		struct site_setting *s = &ctx->set[i];
		if (!(s->o->flags & OPTF_FORMAT) || strcasecmp(cfg->sites[s->site].host, cfg->site))
			continue;
		if (!cleared)
			clear_format(cfg);
		cleared = true;
		if (!apply(s->o, s->value, &s->at, cfg))
			return false;
	}
	return true;
}

/* Each site: the global rules, then its own section's settings (lists add,
 * switches override); then the format of the run's site, unless the command
 * line said one (format_given). */
static bool resolve_sites(struct file_ctx *ctx, bool format_given)
{
	struct config *cfg = ctx->cfg;
	for (int i = 0; i < cfg->nsites; i++)
		cfg->site_rules[i] = cfg->rules;
	for (int i = 0; i < ctx->nset; i++) {
		struct site_setting *s = &ctx->set[i];
		if ((s->o->flags & OPTF_SITE) &&
		    !apply_rule(s->o, s->value, &s->at, &cfg->site_rules[s->site]))
			return false;
	}
	return format_given || site_format(ctx);
}

static bool read_config(struct file_ctx *ctx, const char *named)
{
	const char *paths[] = { named ? named : CONFIG_SYSTEM, named ? NULL : CONFIG_LOCAL };
	for (size_t i = 0; i < 2 && paths[i]; i++) {
		enum conffile_result r = conffile_read(paths[i], file_setting, ctx);
		if (r == CONFFILE_OK) {
			ctx->cfg->config_file = paths[i];
			return true;
		}
		if (r == CONFFILE_ERROR)
			return false;
		if (named) {
			msg_error("cannot open '%s': No such file or directory", named);
			return false;
		}
	}
	return true;
}

/* ---- the format, once file and command line are read ---------------------- */

static bool usage(const char *what)
{
	msg_error("%s; see 'logfold --help'", what);
	return false;
}

/* The format string, from the option or a server config; NULL after an error. */
static const char *format_string(const struct format_sources *fs, char *buf, size_t cap,
				 enum logfmt_dialect *d)
{
	char err[512];
	enum lf_status st = LF_OK;
	if (fs->log_format) {
		*d = logfmt_guess(fs->log_format);
		return fs->log_format;
	}
	if (fs->nginx_conf) {
		*d = LOGFMT_NGINX;
		st = conf_nginx_format(fs->nginx_conf, fs->name ? fs->name : "combined", buf, cap,
				       err, sizeof(err));
	} else {
		*d = LOGFMT_APACHE;
		st = conf_apache_format(fs->apache_conf, fs->name, buf, cap, err, sizeof(err));
	}
	if (st != LF_OK) {
		msg_error("%s", err);
		return NULL;
	}
	return buf;
}

/* Check the format options against each other and compile what they give. */
static bool settle_format(const struct format_sources *fs, struct config *cfg)
{
	int sources = !!fs->log_format + !!fs->nginx_conf + !!fs->apache_conf;
	char err[512], buf[CONF_FORMAT_MAX];
	if (sources > 1)
		return usage("--log-format, --nginx-conf and --apache-conf exclude each other");
	if (fs->name && !fs->nginx_conf && !fs->apache_conf)
		return usage("--log-format-name needs --nginx-conf or --apache-conf");
	if (fs->apache_conf && !fs->name)
		return usage("--apache-conf needs --log-format-name (the LogFormat nickname)");
	if ((cfg->format == FMT_JSON) != (fs->json_map != NULL))
		return usage("--format json and --json-map go together");
	if (sources && cfg->format != FMT_AUTO)
		return usage("--format cannot be combined with a format string");
	if (fs->json_map && json_map_parse(&cfg->json_map, fs->json_map, err, sizeof(err)) != LF_OK)
		return usage(err);
	if (!sources)
		return true;
	enum logfmt_dialect d;
	const char *s = format_string(fs, buf, sizeof(buf), &d);
	if (!s)
		return false;
	if (logfmt_compile(&cfg->custom, d, s, err, sizeof(err)) != LF_OK) {
		msg_error("invalid log format: %s", err);
		return false;
	}
	cfg->format = FMT_CUSTOM;
	return true;
}

/* --tz (checked by apply): TZ names the zone for localtime_r. */
static bool settle_tz(const char *zone, struct config *cfg)
{
	if (!zone)
		return true;
	if (setenv("TZ", zone, 1) != 0) {
		msg_error("cannot set TZ to '%s'", zone);
		return false;
	}
	tzset();
	cfg->use_tz = true;
	return true;
}

/* ---- the command line ---------------------------------------------------- */

static void build_getopt(struct option *longs, char *shorts)
{
	size_t k = 0;
	for (size_t i = 0; i < NOPTS; i++) {
		longs[i] = (struct option){ opt_table[i].name,
					    opt_table[i].arg ? required_argument : no_argument,
					    NULL, opt_table[i].id };
		if (opt_table[i].id >= 256)
			continue;
		shorts[k++] = (char)opt_table[i].id;
		if (opt_table[i].arg)
			shorts[k++] = ':';
	}
	longs[NOPTS] = (struct option){ 0 };
	shorts[k] = '\0';
}

/* First pass: help, version, usage errors and --config, before the file is
 * read. OPTIONS_RUN when the run goes on. */
static enum options_result first_pass(int argc, char **argv, const struct option *longs,
				      const char *shorts, const char **config)
{
	int c;
	while ((c = getopt_long(argc, argv, shorts, longs, NULL)) != -1) {
		if (c == OPT_HELP) {
			print_help();
			return OPTIONS_EXIT;
		}
		if (c == OPT_VERSION) {
			if (version_print())
				return OPTIONS_EXIT;
			msg_error("cannot write to standard output");
			return OPTIONS_ERROR;
		}
		if (c == '?' || c == ':') {
			msg_error("%s '%s'; see 'logfold --help'",
				  c == ':' ? "missing value for" : "unknown option",
				  argv[optind - 1]);
			return OPTIONS_ERROR;
		}
		if (c == OPT_CONFIG)
			*config = optarg;
	}
	return OPTIONS_RUN;
}

/* Empty the list a repeatable option fills. */
static void clear_list(const struct opt_def *o, struct config *cfg)
{
	if (o->rule != NO_RULE)
		cfg->rules.list[o->rule].n = 0;
	else if (o->id == OPT_SITE_ALLOW)
		cfg->site_allow.n = 0;
	else if (o->id == OPT_TRACKER_PATH)
		cfg->trackers_default = true; /* the next add_tracker empties it */
	else if (o->id == OPT_TRUSTED)
		cfg->client_ip.ntrusted = 0;
}

/* Second pass: every option over the file's settings. A list option's first
 * use replaces the file's list; the first option saying the format replaces
 * the file's format options together (a file's log-format and a command
 * line's --format would otherwise refuse each other). */
static bool second_pass(int argc, char **argv, const struct option *longs, const char *shorts,
			struct config *cfg, bool *format_given)
{
	static char on[] = "1";
	bool replaced[NOPTS] = { false };
	struct origin cli = { NULL, 0 };
	int c;
	optind = 0; /* GNU getopt: start over */
	while ((c = getopt_long(argc, argv, shorts, longs, NULL)) != -1) {
		const struct opt_def *o = opt_by_id(c);
		if (c == OPT_CONFIG)
			continue;
		if ((o->flags & OPTF_LIST) && !replaced[o - opt_table]) {
			replaced[o - opt_table] = true;
			clear_list(o, cfg);
		}
		if ((o->flags & OPTF_FORMAT) && !*format_given) {
			*format_given = true;
			clear_format(cfg);
		}
		if (!apply(o, o->arg ? optarg : on, &cli, cfg))
			return false;
	}
	return true;
}

/* The database of a --csv DIR without --db: DIR.db beside DIR, so that the
 * CSV files, an export of its tables, keep every day a nightly run has
 * written. A DIR without a name of its own (".", "..", "/") has no place
 * beside it: refused, saying to give --db. */
static bool db_beside_csv(struct config *cfg)
{
	size_t n = strlen(cfg->csv);
	while (n > 1 && cfg->csv[n - 1] == '/')
		n--;
	const char *base = memrchr(cfg->csv, '/', n);
	base = base ? base + 1 : cfg->csv;
	size_t bn = n - (size_t)(base - cfg->csv);
	if (bn == 0 || (bn == 1 && base[0] == '.') || (bn == 2 && base[0] == '.' && base[1] == '.')) {
		msg_error("--csv '%s': no database can be named beside it (the CSV files are made "
			  "from a database, which keeps their history); give --db PATH",
			  cfg->csv);
		return false;
	}
	if (n + 4 > sizeof(cfg->db_beside)) {
		msg_error("--csv '%s': path too long", cfg->csv);
		return false;
	}
	memcpy(cfg->db_beside, cfg->csv, n);
	memcpy(cfg->db_beside + n, ".db", 4);
	cfg->db = cfg->db_beside;
	cfg->db_beside_csv = true;
	return true;
}

/* The options that belong to one mode, given in another; false after
 * saying so. nargs: the operands (files) given. */
static bool modes_agree(const struct config *cfg, enum options_mode mode, int nargs)
{
	const char *only_report = cfg->from ? "--from" : cfg->to ? "--to" : cfg->output ? "--output"
				  : cfg->text ? "--text" : cfg->public_page ? "--public" : NULL;
	if (cfg->json && mode != OPTIONS_MODE_PRIVACY && mode != OPTIONS_MODE_REPORT) {
		msg_error("--json is for 'logfold privacy' and 'logfold report'");
		return false;
	}
	if (cfg->prune_day != REBUILD_NONE && mode != OPTIONS_MODE_PRUNE) {
		msg_error("--day is for 'logfold prune'");
		return false;
	}
	if (only_report && mode != OPTIONS_MODE_REPORT) {
		msg_error("%s is for 'logfold report'; see 'logfold --help'", only_report);
		return false;
	}
	if (cfg->shard_count && (cfg->csv || cfg->report)) {
		msg_error("%s cannot go with --shard: a shard's database is partial; merge the "
			  "shards first", cfg->csv ? "--csv" : "--report");
		return false;
	}
	if (mode != OPTIONS_MODE_REPORT)
		return true;
	if (nargs > 0)
		return usage("'logfold report' reads no log file");
	if (cfg->json && cfg->text)
		return usage("--json and --text exclude each other");
	return true;
}

enum options_result options_parse(int argc, char **argv, enum options_mode mode,
				  struct config *cfg)
{
	struct option longs[NOPTS + 1];
	char shorts[2 * NOPTS + 1];
	const char *config = NULL;
	/* Field by field: a compound literal of cfg (a compiled format string
	 * inside) would be built on the stack first. */
	memset(cfg, 0, sizeof(*cfg));
	cfg->format = FMT_AUTO;
	cfg->site = "default";
	cfg->mask_bytes = 2;
	cfg->session_timeout = 30 * 60;
	cfg->max_bad = 10.0;
	cfg->min_visitors = 5;
	cfg->geo = GEO_COUNTRY;
	cfg->geoip_country = GEO_COUNTRY_FIELD;
	cfg->geoip_region = GEO_REGION_FIELD;
	cfg->beacon_path = "/logfold.gif";
	cfg->trackers[0] = "/matomo.php";
	cfg->trackers[1] = "/piwik.php";
	cfg->trackers[2] = "/ppms.php";
	cfg->ntrackers = 3;
	cfg->trackers_default = true;
	cfg->uap_regexes = UAP_DEFAULT_REGEXES;
	client_ip_mode_parse("remote", &cfg->client_ip);
	cfg->grace = 10 * 60;
	cfg->rebuild_day = REBUILD_NONE;
	cfg->prune_day = REBUILD_NONE;
	cfg->retention = RETENTION_DEFAULT;
	cfg->wait = 60;
	cfg->jobs = options_default_jobs();
	build_getopt(longs, shorts);
	opterr = 0;
	optind = 0;
	enum options_result r = first_pass(argc, argv, longs, shorts, &config);
	if (r != OPTIONS_RUN)
		return r;
	struct file_ctx *ctx = calloc(1, sizeof(*ctx));
	if (!ctx) {
		msg_error("out of memory");
		return OPTIONS_ERROR;
	}
	ctx->cfg = cfg;
	bool format_given = false;
	bool ok = read_config(ctx, config) &&
		  second_pass(argc, argv, longs, shorts, cfg, &format_given) &&
		  resolve_sites(ctx, format_given);
	free(ctx);
	if (!ok || !settle_format(&cfg->fmt_src, cfg) || !settle_tz(cfg->fmt_src.tz, cfg))
		return OPTIONS_ERROR;
	if (!modes_agree(cfg, mode, argc - optind))
		return OPTIONS_ERROR;
	if (mode == OPTIONS_MODE_PRIVACY && optind < argc) {
		msg_error("'logfold privacy' reads no log file ('%s'); see 'logfold --help'",
			  argv[optind]);
		return OPTIONS_ERROR;
	}
	if (!cfg->db && (!cfg->csv || mode == OPTIONS_MODE_REPORT))
		cfg->db = "logfold.db";
	else if (!cfg->db && !db_beside_csv(cfg))
		return OPTIONS_ERROR;
	if (cfg->uap_regexes)
		cfg->dims |= 1u << DIM_BROWSER | 1u << DIM_OS | 1u << DIM_DEVICE;
	cfg->inputs = argv + optind;
	cfg->ninputs = argc - optind;
	return OPTIONS_RUN;
}

void options_today(char day[11])
{
	const char *env = getenv("LOGFOLD_TODAY");
	int32_t d;
	if (env && day_parse(env, strlen(env), &d))
		day_format(d, day);
	else
		day_format((int32_t)((int64_t)time(NULL) / 86400), day);
}

int64_t options_now(void)
{
	const char *env = getenv("LOGFOLD_TODAY");
	int32_t d;
	if (env && day_parse(env, strlen(env), &d))
		return ((int64_t)d + 1) * 86400;
	return (int64_t)time(NULL);
}

int options_default_jobs(void)
{
	const char *env = getenv("LOGFOLD_JOBS");
	long n = env && *env ? strtol(env, NULL, 10) : sysconf(_SC_NPROCESSORS_ONLN);
	return n < 1 ? 1 : n > CONFIG_JOBS_MAX ? CONFIG_JOBS_MAX : (int)n;
}

void options_retention_start(int months, char day[11])
{
	char today[11];
	options_today(today); /* always a valid YYYY-MM-DD */
	unsigned y = (unsigned)atoi(today), m = (unsigned)atoi(today + 5),
		 d = (unsigned)atoi(today + 8);
	int64_t total = (int64_t)y * 12 + (m - 1) - months;
	y = (unsigned)(total / 12);
	m = (unsigned)(total % 12) + 1;
	if (d > civil_days_in_month(y, m))
		d = civil_days_in_month(y, m);
	day_format((int32_t)days_from_civil(y, m, d), day);
}

int32_t options_retention_day(int months)
{
	char day[11];
	int32_t d = INT32_MIN;
	if (months == RETENTION_NONE)
		return INT32_MIN;
	options_retention_start(months, day);
	(void)day_parse(day, 10, &d); /* ours: valid */
	return d;
}
