/*
 * options.c - the option table, its parsing, and --help made from it. Each
 * value is checked here, once, with the option named in the message, so the
 * rest of the program can trust struct config.
 */
#include "options.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../parsers/geo.h"
#include "../parsers/page.h"
#include "../common/dims.h"
#include "../parsers/uap.h"
#include "msg.h"

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
	OPT_HELP = 'h',
	OPT_VERSION = 'V',
	/* long only: ids past any character */
	OPT_GEO = 256,
	OPT_GEOIP,
	OPT_GEOIP_FIELD,
	OPT_SITE_ALIAS,
	OPT_REFERRER_DOMAIN,
	OPT_BEACON_PATH,
	OPT_TRACKER_PATH,
};

struct opt_def {
	const char *name;
	int id;
	const char *arg; /* NULL: takes no argument */
	const char *help;
};

static const struct opt_def opt_table[] = {
	{ "format", OPT_FORMAT, "FMT",
	  "log format: combined, common, vcombined, vcommon or auto (default auto:\n"
	  "decided from the first lines and said on stderr)" },
	{ "site", OPT_SITE, "NAME",
	  "site name for formats without a virtual host (default 'default')" },
	{ "mask-bytes", OPT_MASK, "N",
	  "IP bytes masked, 1..4 (default 2): IPv4 zeroes the last N bytes,\n"
	  "IPv6 keeps /64, /48, /32, /0" },
	{ "session-timeout", OPT_TIMEOUT, "DUR",
	  "a gap longer than DUR starts a new visit (default 30m; a bare number\n"
	  "is minutes; suffixes s, m, h)" },
	{ "db", OPT_DB, "PATH", "write SQLite to PATH (default logfold.db when no output is named)" },
	{ "csv", OPT_CSV, "DIR", "write one TABLE.csv per table into DIR" },
	{ "max-bad", OPT_MAX_BAD, "PCT",
	  "exit 1 when more than PCT percent of lines are malformed (default 10)" },
	{ "min-visitors", OPT_MIN_VISITORS, "K",
	  "breakdown cells seen by fewer than K visitors are folded into\n"
	  "'(other)' (default 5; 1 turns folding off)" },
	{ "geo", OPT_GEO, "MODE",
	  "geography in breakdown_daily: country (default), region (country and\n"
	  "ISO 3166-2 region) or off; looked up on the masked address only" },
	{ "geoip", OPT_GEOIP, "PATH",
	  "the MaxMind DB (.mmdb) to use (default: the first GeoLite2/GeoIP2/DB-IP\n"
	  "City or Country database in /usr/share/GeoIP or /var/lib/GeoIP; none:\n"
	  "no geography, said once)" },
	{ "geoip-field", OPT_GEOIP_FIELD, "KEY=PATH",
	  "where the database keeps KEY (country or region), as a dot path\n"
	  "(defaults country.iso_code, subdivisions.0.iso_code)" },
	{ "site-alias", OPT_SITE_ALIAS, "HOST",
	  "a referrer from HOST is internal, like one from the site itself\n"
	  "(repeatable, up to 16)" },
	{ "referrer-domain", OPT_REFERRER_DOMAIN, NULL,
	  "external referrers by registrable domain (public suffix list), not host" },
	{ "beacon-path", OPT_BEACON_PATH, "PATH",
	  "requests to PATH are beacon/logfold.js events, never\n"
	  "pageviews (default /logfold.gif; 'none' for no beacon)" },
	{ "tracker-path", OPT_TRACKER_PATH, "PATH",
	  "requests to PATH are Matomo/Piwik tracker requests\n"
	  "(repeatable, at most 8; default /matomo.php /piwik.php\n"
	  "/ppms.php; 'none' for none)" },
	{ "uap-regexes", OPT_UAP_REGEXES, "PATH",
	  "uap-core's regexes.yaml for browser, OS, device and robots (default\n"
	  UAP_DEFAULT_REGEXES ", from the Debian package uap-core);\n"
	  "'none': no classification, robots by a few substrings only" },
	{ "quiet", OPT_QUIET, NULL, "no summary on stderr (errors are still printed)" },
	{ "help", OPT_HELP, NULL, "show this help and exit" },
	{ "version", OPT_VERSION, NULL, "show the version and exit" },
};

#define NOPTS (sizeof(opt_table) / sizeof(opt_table[0]))

static void print_help(void)
{
	printf("usage: logfold [OPTIONS] [FILE...]\n\n"
	       "Turn web-server access logs (plain or gzip; '-' or none for stdin) into\n"
	       "anonymous per-page daily statistics in SQLite or CSV.\n\n"
	       "options:\n");
	for (size_t i = 0; i < NOPTS; i++) {
		const struct opt_def *o = &opt_table[i];
		char head[64];
		if (o->id < 256)
			snprintf(head, sizeof(head), "-%c, --%s%s%s", o->id, o->name,
				 o->arg ? " " : "", o->arg ? o->arg : "");
		else
			snprintf(head, sizeof(head), "    --%s%s%s", o->name, o->arg ? " " : "",
				 o->arg ? o->arg : "");
		printf("  %-26s ", head);
		for (const char *p = o->help; *p; p++) {
			putchar(*p);
			if (*p == '\n')
				printf("%29s", "");
		}
		putchar('\n');
	}
	printf("\nexit status: 0 ok, 1 too many malformed lines, 2 usage error (also: an\n"
	       "unreadable --geoip database, public suffix list or uap-core regexes),\n"
	       "3 input error (good lines still written), 4 output error (nothing written)\n"
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

static bool bad_value(const char *opt, const char *val, const char *want)
{
	msg_error("invalid value '%s' for --%s: %s", val, opt, want);
	return false;
}

static bool apply_geo(const char *arg, struct config *cfg)
{
	static const char *const modes[] = { [GEO_COUNTRY] = "country", [GEO_REGION] = "region",
					     [GEO_OFF] = "off" };
	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++)
		if (strcmp(arg, modes[i]) == 0) {
			cfg->geo = (enum geo_mode)i;
			return true;
		}
	return bad_value("geo", arg, "one of country, region, off");
}

/* "country=PATH" or "region=PATH"; the path is checked when the database
 * is opened. */
static bool apply_geoip_field(const char *arg, struct config *cfg)
{
	const char *eq = strchr(arg, '=');
	if (eq && eq[1] && (size_t)(eq - arg) == 7 && strncmp(arg, "country", 7) == 0)
		cfg->geoip_country = eq + 1;
	else if (eq && eq[1] && (size_t)(eq - arg) == 6 && strncmp(arg, "region", 6) == 0)
		cfg->geoip_region = eq + 1;
	else
		return bad_value("geoip-field", arg, "country=PATH or region=PATH");
	return true;
}

/* A host, lower-cased in place (argv is ours to change). */
static bool apply_alias(char *arg, struct config *cfg)
{
	size_t n = strlen(arg);
	if (n == 0 || n > 253 || strpbrk(arg, "/?#@ "))
		return bad_value("site-alias", arg, "a host name of 1 to 253 bytes");
	if (cfg->nsite_aliases == SITE_ALIAS_MAX)
		return bad_value("site-alias", arg, "at most 16 aliases");
	for (char *q = arg; *q; q++)
		if (*q >= 'A' && *q <= 'Z')
			*q = (char)(*q + 32);
	cfg->site_aliases[cfg->nsite_aliases++] = arg;
	return true;
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

/* --tracker-path: the first one replaces the defaults; "none" empties. */
static bool add_tracker(const char *arg, struct config *cfg, bool *given)
{
	if (!*given)
		cfg->ntrackers = 0;
	*given = true;
	if (strcmp(arg, "none") == 0) {
		cfg->ntrackers = 0;
		return true;
	}
	if (!endpoint_ok(arg))
		return bad_value("tracker-path", arg, "a normalised path starting with '/', or none");
	if (cfg->ntrackers == CONFIG_TRACKERS_MAX)
		return bad_value("tracker-path", arg, "at most 8 tracker paths");
	cfg->trackers[cfg->ntrackers++] = arg;
	return true;
}

/* Apply one option to cfg; false after printing an error. */
static bool apply(int id, const char *arg, struct config *cfg)
{
	long v;
	switch (id) {
	case OPT_FORMAT:
		cfg->format = log_format_parse(arg);
		return cfg->format != FMT_COUNT ||
		       bad_value("format", arg, "one of combined, common, vcombined, vcommon, auto");
	case OPT_SITE:
		return (arg[0] && strlen(arg) <= 253) ||
		       bad_value("site", arg, "a name of 1 to 253 bytes");
	case OPT_MASK:
		if (!parse_int(arg, 1, 4, &v))
			return bad_value("mask-bytes", arg, "a number from 1 to 4");
		cfg->mask_bytes = (int)v;
		return true;
	case OPT_TIMEOUT:
		return parse_duration(arg, &cfg->session_timeout) ||
		       bad_value("session-timeout", arg, "a duration from 1s to 24h");
	case OPT_MIN_VISITORS:
		if (!parse_int(arg, 1, 1000000, &v))
			return bad_value("min-visitors", arg, "a number from 1 to 1000000");
		cfg->min_visitors = (uint32_t)v;
		return true;
	case OPT_GEO:
		return apply_geo(arg, cfg);
	case OPT_GEOIP_FIELD:
		return apply_geoip_field(arg, cfg);
	case OPT_BEACON_PATH:
		cfg->beacon_path = strcmp(arg, "none") == 0 ? NULL : arg;
		return !cfg->beacon_path || endpoint_ok(arg) ||
		       bad_value("beacon-path", arg, "a normalised path starting with '/', or none");
	case OPT_MAX_BAD:
		return parse_percent(arg, &cfg->max_bad) ||
		       bad_value("max-bad", arg, "a percentage from 0 to 100");
	}
	return true;
}

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

enum options_result options_parse(int argc, char **argv, struct config *cfg)
{
	struct option longs[NOPTS + 1];
	char shorts[2 * NOPTS + 1];
	*cfg = (struct config){ .format = FMT_AUTO, .site = "default", .mask_bytes = 2,
				.session_timeout = 30 * 60, .max_bad = 10.0,
				.min_visitors = 5, .geo = GEO_COUNTRY,
				.geoip_country = GEO_COUNTRY_FIELD,
				.geoip_region = GEO_REGION_FIELD, .beacon_path = "/logfold.gif",
				.trackers = { "/matomo.php", "/piwik.php", "/ppms.php" },
				.ntrackers = 3, .uap_regexes = UAP_DEFAULT_REGEXES };
	bool trackers_given = false;
	build_getopt(longs, shorts);
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, shorts, longs, NULL)) != -1) {
		if (c == OPT_HELP) {
			print_help();
			return OPTIONS_EXIT;
		}
		if (c == OPT_VERSION) {
			printf("logfold %s\n", LOGFOLD_VERSION);
			return OPTIONS_EXIT;
		}
		if (c == '?' || c == ':') {
			msg_error("%s '%s'; see 'logfold --help'",
				  c == ':' ? "missing value for" : "unknown option",
				  argv[optind - 1]);
			return OPTIONS_ERROR;
		}
		if (c == OPT_SITE)
			cfg->site = optarg;
		else if (c == OPT_DB)
			cfg->db = optarg;
		else if (c == OPT_CSV)
			cfg->csv = optarg;
		else if (c == OPT_UAP_REGEXES)
			cfg->uap_regexes = strcmp(optarg, "none") == 0 ? NULL : optarg;
		else if (c == OPT_QUIET)
			cfg->quiet = true;
		else if (c == OPT_GEOIP)
			cfg->geoip = optarg;
		else if (c == OPT_REFERRER_DOMAIN)
			cfg->referrer_domain = true;
		else if (c == OPT_SITE_ALIAS && !apply_alias(optarg, cfg))
			return OPTIONS_ERROR;
		if (c == OPT_TRACKER_PATH ? !add_tracker(optarg, cfg, &trackers_given)
					  : !apply(c, optarg, cfg))
			return OPTIONS_ERROR;
	}
	if (!cfg->db && !cfg->csv)
		cfg->db = "logfold.db";
	if (cfg->uap_regexes)
		cfg->dims |= 1u << DIM_BROWSER | 1u << DIM_OS | 1u << DIM_DEVICE;
	cfg->inputs = argv + optind;
	cfg->ninputs = argc - optind;
	return OPTIONS_RUN;
}
