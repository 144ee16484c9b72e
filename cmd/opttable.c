/*
 * opttable.c - the option table: one row per option, in --help's order
 * (opttable.h says what each column means and how to add a row). Only
 * data and the two look-ups; the kinds are parsed in optkinds.c, the table
 * is driven by options.c.
 */
#include "opttable.h"

#include <string.h>

#include "../parsers/reduce/geo.h"
#include "../parsers/reduce/uap.h"
#include "optkinds.h"

#define STR_(x) #x
#define STR(x) STR_(x)

static const char *const geo_modes[] = {
	[GEO_COUNTRY] = "country", [GEO_REGION] = "region", [GEO_OFF] = "off", NULL
};

/* The refusal of a --page-allow, --page-exclude or --page-rewrite list
 * past RULES_LIST_MAX, saying what to do instead. */
#define PATTERNS_FULL "more than 32 values (join patterns with '|')"

/* One row an option, its columns filled as a row reads (clang-format would
 * put each on a line of its own). */
/* clang-format off */
const struct opt_def opt_table[] = {
	{ .name = "format", .shortopt = 'f', .arg = "FMT", .kind = OPT_CUSTOM,
	  .parse = optkind_format, .flags = OPTF_FORMAT, CFG(format), DEF("auto"),
	  .help = "log format: combined, common, vcombined, vcommon,\n"
		  "w3c, cloudfront, elb, alb, caddy, traefik, haproxy,\n"
		  "squid, nginx-json, traefik-json, matomo-json, json\n"
		  "or auto (default auto: decided from the first lines\n"
		  "and said on stderr)" },
	{ .name = "log-format", .shortopt = 'L', .arg = "STRING", .kind = OPT_STRING,
	  .flags = OPTF_FORMAT, CFG(fmt_src.log_format),
	  .help = "the server's own format: an nginx log_format\n"
		  "body ($remote_addr ...) or an Apache LogFormat\n"
		  "string (%h %t \"%r\" ...)" },
	{ .name = "nginx-conf", .shortopt = 'N', .arg = "FILE", .kind = OPT_PATH,
	  .flags = OPTF_FORMAT, CFG(fmt_src.nginx_conf),
	  .help = "take the format from nginx's log_format in FILE" },
	{ .name = "apache-conf", .shortopt = 'A', .arg = "FILE", .kind = OPT_PATH,
	  .flags = OPTF_FORMAT, CFG(fmt_src.apache_conf),
	  .help = "take the format from Apache's LogFormat in FILE" },
	{ .name = "log-format-name", .shortopt = 'n', .arg = "NAME", .kind = OPT_STRING,
	  .flags = OPTF_FORMAT, CFG(fmt_src.name),
	  .help = "the log_format / LogFormat nickname to take\n"
		  "(nginx default combined)" },
	{ .name = "json-map", .shortopt = 'j', .arg = "MAP", .kind = OPT_STRING,
	  .flags = OPTF_FORMAT, CFG(fmt_src.json_map),
	  .help = "for --format json: FIELD=KEY,... (fields named\n"
		  "as nginx variables or time; keys dotted for\n"
		  "nested objects)" },
	{ .name = "tz", .shortopt = 'z', .arg = "ZONE", .kind = OPT_STRING, .check = optkind_tz,
	  CFG(fmt_src.tz),
	  .help = "days in the IANA zone ZONE (e.g. Europe/Paris),\n"
		  "DST included (default: each line's own offset;\n"
		  "UTC when it logs none)" },
	{ .name = "client-ip", .shortopt = 'i', .arg = "MODE", .kind = OPT_CUSTOM,
	  .parse = optkind_client_ip, CFG(client_ip), GIVEN(client_ip_set), DEF("remote"),
	  .help = "the client: remote (default), xff-first,\n"
		  "xff-last or header:NAME (before masking)" },
	{ .name = "trusted-proxy", .shortopt = 'p', .arg = "CIDR", .kind = OPT_CUSTOM,
	  .parse = optkind_cidr, CFG_LIST(client_ip.trusted, client_ip.ntrusted),
	  GIVEN(client_ip_set), .full = "at most 64 blocks",
	  .help = "a proxy's block, skipped from the right of\n"
		  "X-Forwarded-For (repeatable)" },
	{ .name = "site", .shortopt = 's', .arg = "NAME", .kind = OPT_STRING, CFG(site),
	  GIVEN(site_given), .lo = 1, .hi = 253, DEF("default"),
	  .want = "a name of 1 to 253 bytes",
	  .help = "site name for formats without a virtual host (default 'default');\n"
		  "its [site NAME] section's format, if any, is the run's" },
	{ .name = "mask-bytes", .shortopt = 'm', .arg = "N", .kind = OPT_INT, CFG(mask_bytes),
	  .lo = 1, .hi = 4, DEF("2"),
	  .help = "IP bytes masked, 1..4 (default 2): IPv4 zeroes the last N bytes,\n"
		  "IPv6 keeps /64, /48, /32, /0" },
	{ .name = "session-timeout", .shortopt = 't', .arg = "DUR", .kind = OPT_DURATION,
	  CFG(session_timeout), .lo = 1, .hi = 86400, DEF("30m"),
	  .help = "a gap longer than DUR starts a new visit (default 30m; a bare number\n"
		  "is minutes; suffixes s, m, h)" },
	{ .name = "db", .shortopt = 'd', .arg = "PATH", .kind = OPT_PATH, CFG(db),
	  .help = "keep the tables in the SQLite database PATH (default: DIR.db beside\n"
		  "--csv DIR, else logfold.db)" },
	{ .name = "csv", .shortopt = 'c', .arg = "DIR", .kind = OPT_DIR, CFG(csv),
	  .help = "also write every row of the database's tables as one TABLE.csv\n"
		  "per table into DIR, after each run" },
	{ .name = "max-bad", .shortopt = 'b', .arg = "PCT", .kind = OPT_DECIMAL, CFG(max_bad),
	  .lo = 0, .hi = 100, .unit = "%", DEF("10"), .want = "a percentage from 0 to 100",
	  .help = "exit 1 when more than PCT percent of lines are malformed (default 10)" },
	{ .name = "min-visitors", .shortopt = 'k', .arg = "K", .kind = OPT_INT,
	  CFG(min_visitors), .lo = 1, .hi = 1000000, DEF("5"),
	  .help = "small-cell rule: a cell (breakdown_daily, action_daily,\n"
		  "engagement_daily, load_hourly) seen by fewer than K visitors folds\n"
		  "into '(other)', and an '(other)' of fewer is not written (default 5;\n"
		  "1 turns it off)" },
	{ .name = "geo", .arg = "MODE", .kind = OPT_ENUM, .choices = geo_modes, CFG(geo),
	  DEF("country"),
	  .help = "geography in breakdown_daily: country (default), region (country and\n"
		  "ISO 3166-2 region) or off; looked up on the masked address only" },
	{ .name = "geoip", .arg = "PATH", .kind = OPT_PATH, CFG(geoip),
	  .help = "the MaxMind DB (.mmdb) to use (default: the first GeoLite2/GeoIP2/DB-IP\n"
		  "City or Country database in /usr/share/GeoIP or /var/lib/GeoIP; none:\n"
		  "no geography, said once)" },
	{ .name = "geoip-field", .arg = "KEY=PATH", .kind = OPT_CUSTOM,
	  .parse = optkind_geoip_field,
	  DEF("country=" GEO_COUNTRY_FIELD, "region=" GEO_REGION_FIELD),
	  .help = "where the database keeps KEY (country or region), as a dot path\n"
		  "(defaults country.iso_code, subdivisions.0.iso_code)" },
	{ .name = "site-alias", .arg = "HOST", .kind = OPT_STRING, SITE_LIST(RULE_ALIAS),
	  .check = optkind_rule,
	  .help = "a referrer from HOST is internal, like one from the site itself\n"
		  "(repeatable; a [site] section's for that site only)" },
	{ .name = "referrer-domain", .kind = OPT_SWITCH, CFG(referrer_domain),
	  .help = "external referrers by registrable domain (public suffix list), not host" },
	{ .name = "site-allow", .arg = "HOST", .kind = OPT_STRING, CFG_STRLIST(site_allow),
	  .check = optkind_host,
	  .help = "count only these virtual hosts (repeatable); others are skipped\n"
		  "as other_site" },
	{ .name = "any-content-type", .kind = OPT_SWITCH, CFG(any_content_type),
	  .help = "count responses of any logged content type as pages (default:\n"
		  "where the format logs it, only text/html and\n"
		  "application/xhtml+xml are)" },
	{ .name = "page-allow", .arg = "REGEX", .kind = OPT_STRING, SITE_LIST(RULE_ALLOW),
	  .check = optkind_rule, .full = PATTERNS_FULL,
	  .help = "count only pages matching a REGEX (repeatable) under their name;\n"
		  "the others as '(other)'" },
	{ .name = "page-allow-drop", .kind = OPT_SWITCH, SITE(allow_drop),
	  .help = "skip pages off the allow-list (as excluded) instead" },
	{ .name = "page-exclude", .arg = "REGEX", .kind = OPT_STRING, SITE_LIST(RULE_EXCLUDE),
	  .check = optkind_rule, .full = PATTERNS_FULL,
	  .help = "skip pages matching REGEX (repeatable) as excluded" },
	{ .name = "page-rewrite", .arg = "RE=>TPL", .kind = OPT_STRING, SITE_LIST(RULE_REWRITE),
	  .check = optkind_rule, .full = PATTERNS_FULL,
	  .help = "replace the match of RE in the page by TPL ($1..$9: groups;\n"
		  "repeatable, the first that matches applies)" },
	{ .name = "keep-path-ids", .kind = OPT_SWITCH, SITE(keep_ids),
	  .help = "keep identifier-shaped path segments (default: e-mail addresses,\n"
		  "UUIDs, 10+ digits, tokens, JWTs become :email :uuid :num :token)" },
	{ .name = "keep-query", .arg = "NAME", .kind = OPT_STRING, SITE_LIST(RULE_KEEP_QUERY),
	  .check = optkind_rule,
	  .help = "keep query parameter NAME in the page (repeatable; utm_*, ids,\n"
		  "tokens and personal names are refused)" },
	{ .name = "optout-cookie", .arg = "NAME[=VAL]", .kind = OPT_STRING,
	  SITE_LIST(RULE_OPTOUT_COOKIE), .check = optkind_rule,
	  .help = "drop, uncounted, requests carrying this cookie\n"
		  "(when the format logs cookies)" },
	{ .name = "optout-field", .arg = "FIELD=VAL", .kind = OPT_STRING,
	  SITE_LIST(RULE_OPTOUT_FIELD), .check = optkind_rule,
	  .help = "drop, uncounted, requests whose logged FIELD is VAL" },
	{ .name = "honor-gpc", .kind = OPT_SWITCH, SITE(honor_gpc),
	  .help = "drop, uncounted, requests with a logged Sec-GPC: 1" },
	{ .name = "honor-dnt", .kind = OPT_SWITCH, SITE(honor_dnt),
	  .help = "drop, uncounted, requests with a logged DNT: 1" },
	{ .name = "beacon-path", .arg = "PATH", .kind = OPT_STRING, .flags = OPTF_NONE,
	  .check = optkind_endpoint, CFG(beacon_path), DEF("/logfold.gif"),
	  .help = "requests to PATH are beacon/logfold.js events, never\n"
		  "pageviews (default /logfold.gif; 'none' for no beacon)" },
	{ .name = "tracker-path", .arg = "PATH", .kind = OPT_STRING, .flags = OPTF_NONE,
	  .check = optkind_endpoint, CFG_LIST(trackers, ntrackers),
	  DEF("/matomo.php", "/piwik.php", "/ppms.php"), .full = "at most 8 tracker paths",
	  .help = "requests to PATH are Matomo/Piwik tracker requests\n"
		  "(repeatable, at most 8; default /matomo.php /piwik.php\n"
		  "/ppms.php; 'none' for none)" },
	{ .name = "uap-regexes", .shortopt = 'u', .arg = "PATH", .kind = OPT_PATH,
	  .flags = OPTF_NONE, CFG(uap_regexes), DEF(UAP_DEFAULT_REGEXES),
	  .help = "uap-core's regexes.yaml for browser, OS, device and robots (default\n"
		  UAP_DEFAULT_REGEXES ", from the Debian package uap-core);\n"
		  "'none': no classification, robots by a few substrings only" },
	{ .name = "grace", .shortopt = 'g', .arg = "DUR", .kind = OPT_DURATION, CFG(grace),
	  .lo = 0, .hi = 86400, DEF("10m"),
	  .help = "a day closes (is final) once the log has reached DUR past its end\n"
		  "(default 10m; 0 to 24h, suffixes s, m, h); an open day is rewritten\n"
		  "whole by the next run that sees its lines" },
	{ .name = "close-all", .shortopt = 'C', .kind = OPT_SWITCH, CFG(close_all),
	  .help = "close every day this run writes (a backfill of finished files)" },
	{ .name = "rebuild", .shortopt = 'r', .arg = "DAY", .kind = OPT_DAY, .flags = OPTF_CLI,
	  CFG(rebuild_day),
	  .help = "count only the lines of DAY (YYYY-MM-DD), even if it is closed, and\n"
		  "replace it: give every file that holds it" },
	{ .name = "day", .arg = "DAY", .kind = OPT_DAY, .flags = OPTF_CLI,
	  .modes = OPT_MODE(OPTIONS_MODE_PRUNE), CFG(prune_day),
	  .help = "logfold prune: delete the rows of day DAY (YYYY-MM-DD) of\n"
		  "--site, or of every site; a closed day stays closed, and --rebuild\n"
		  "writes it anew with any --min-visitors and --mask-bytes" },
	{ .name = "shard", .arg = "I/N", .kind = OPT_CUSTOM, .parse = optkind_shard,
	  .help = "count only the visitors of shard I of N (0 <= I < N): run it once per\n"
		  "shard, on every input, then 'logfold merge' the N databases; a shard's\n"
		  "database is partial (report, CSV and privacy refuse it)" },
	{ .name = "retention", .shortopt = 'R', .arg = "MONTHS", .kind = OPT_INT,
	  .flags = OPTF_NONE, CFG(retention), .lo = 1, .hi = RETENTION_MAX,
	  DEF(STR(RETENTION_DEFAULT)),
	  .want = "a number of months from 1 to 25 (CNIL's limit), or none",
	  .help = "delete days older than MONTHS months, and skip lines older than that\n"
		  "as expired (default 13, at most 25); 'none' keeps every day (outside\n"
		  "the CNIL exemption: logfold privacy fails)" },
	{ .name = "wait", .shortopt = 'w', .arg = "SECONDS", .kind = OPT_INT, CFG(wait),
	  .lo = 0, .hi = 86400, DEF("60"), .want = "a number of seconds from 0 to 86400",
	  .help = "wait up to SECONDS for another run to finish with the database\n"
		  "(default 60), then exit 5" },
	{ .name = "jobs", .arg = "N", .kind = OPT_INT, CFG(jobs), .lo = 1,
	  .hi = CONFIG_JOBS_MAX, .def_fn = options_default_jobs,
	  .help = "read with N threads (default: the online CPUs, at most 64); the\n"
		  "tables are the same whatever N" },
	{ .name = "quiet", .shortopt = 'q', .kind = OPT_SWITCH, CFG(quiet),
	  .help = "no summary and no progress on stderr (errors are still printed)" },
	{ .name = "progress", .kind = OPT_CONST, .flags = OPTF_CLI, CFG(progress),
	  .lo = PROGRESS_ALWAYS,
	  .help = "show the progress line even when stderr is not a terminal (default:\n"
		  "on a terminal, once a run lasts a second)" },
	{ .name = "no-progress", .kind = OPT_CONST, .flags = OPTF_CLI, CFG(progress),
	  .lo = PROGRESS_NEVER, .help = "never show the progress line" },
	{ .name = "config", .arg = "FILE", .kind = OPT_CONFIG, .flags = OPTF_CLI,
	  .help = "read settings from FILE (default " CONFIG_SYSTEM " if it exists,\n"
		  "else ./" CONFIG_LOCAL "); options given here override it" },
	{ .name = "json", .kind = OPT_SWITCH, .flags = OPTF_CLI,
	  .modes = OPT_MODE(OPTIONS_MODE_PRIVACY) | OPT_MODE(OPTIONS_MODE_REPORT), CFG(json),
	  .help = "logfold privacy: print the checklist as JSON; logfold report: write\n"
		  "the report as JSON" },
	{ .name = "report", .arg = "FILE", .kind = OPT_PATH, CFG(report), .lo = 1,
	  .want = "a file name",
	  .help = "after the run, write the HTML report of the database (--db) to FILE:\n"
		  "the --site given, else every site; the last 30 days" },
	{ .name = "output", .shortopt = 'o', .arg = "FILE", .kind = OPT_PATH, .flags = OPTF_CLI,
	  .modes = OPT_MODE(OPTIONS_MODE_REPORT), CFG(output),
	  .help = "logfold report: write the report to FILE ('-': standard output, the\n"
		  "default for --text and --json)" },
	{ .name = "from", .arg = "DAY", .kind = OPT_DAY, .flags = OPTF_CLI,
	  .modes = OPT_MODE(OPTIONS_MODE_REPORT), CFG(from),
	  .help = "logfold report: the first day of the range, YYYY-MM-DD (default: the\n"
		  "30 days that end on --to)" },
	{ .name = "to", .arg = "DAY", .kind = OPT_DAY, .flags = OPTF_CLI,
	  .modes = OPT_MODE(OPTIONS_MODE_REPORT), CFG(to),
	  .help = "logfold report: the last day of the range (default: the last day in\n"
		  "the database)" },
	{ .name = "text", .kind = OPT_SWITCH, .flags = OPTF_CLI,
	  .modes = OPT_MODE(OPTIONS_MODE_REPORT), CFG(text),
	  .help = "logfold report: plain text for a cron mail: the overview and the top\n"
		  "10 pages, referrers, browsers and countries" },
	{ .name = "public", .kind = OPT_SWITCH, .flags = OPTF_CLI,
	  .modes = OPT_MODE(OPTIONS_MODE_REPORT), CFG(public_page),
	  .help = "logfold report: leave out robots, data quality, runs and settings\n"
		  "(a page to publish)" },
	{ .name = "help", .shortopt = 'h', .kind = OPT_HELP, .flags = OPTF_CLI,
	  .help = "show this help and exit" },
	{ .name = "version", .shortopt = 'V', .kind = OPT_VERSION, .flags = OPTF_CLI,
	  .help = "show the version, the libraries' versions and the data files' dates,\n"
		  "and exit" },
};
/* clang-format on */

const size_t opt_count = sizeof(opt_table) / sizeof(opt_table[0]);

_Static_assert(sizeof(opt_table) / sizeof(opt_table[0]) <= OPTS_MAX,
	       "more options than OPTS_MAX: raise it");

const struct opt_def *opt_by_name(const char *name)
{
	for (size_t i = 0; i < opt_count; i++)
		if (strcmp(opt_table[i].name, name) == 0)
			return &opt_table[i];
	return NULL;
}

int opt_val(const struct opt_def *o)
{
	return o->shortopt ? (unsigned char)o->shortopt : 256 + (int)(o - opt_table);
}

const struct opt_def *opt_by_val(int val)
{
	if (val >= 256)
		return (size_t)(val - 256) < opt_count ? &opt_table[val - 256] : NULL;
	for (size_t i = 0; val > 0 && i < opt_count; i++)
		if (opt_table[i].shortopt == val)
			return &opt_table[i];
	return NULL;
}
