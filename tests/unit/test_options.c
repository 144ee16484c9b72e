/*
 * test_options.c - the option table (cmd/opttable.c) driven as a whole:
 * every row is well formed (kind and field agree, names and letters
 * unique, a help text that fits the column), every default parses, every
 * config key is read from a file into the same field its option sets on
 * the command line, command-line-only options are refused as keys, and
 * each row's range is enforced at both ends. Then values reasoned by hand:
 * the defaults the man page states, durations counted in seconds (24 h =
 * 86400 s, 1440 min = 86400 s), the lists' limits (8 tracker paths, 32
 * values of a rule list), which source's list wins.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../cmd/optkinds.h"
#include "../../cmd/options.h"
#include "../../cmd/opttable.h"
#include "../../parsers/reduce/uap.h"
#include "harness.h"

/* ---- running options_parse quietly ----------------------------------------- */

static char conf_path[] = "/tmp/test_options.XXXXXX";
static char apache_path[] = "/tmp/test_options_apache.XXXXXX";

static void write_file(char *path, const char *text)
{
	int fd = mkstemp(path);
	CHECK(fd >= 0);
	if (fd < 0)
		return;
	CHECK(write(fd, text, strlen(text)) == (ssize_t)strlen(text));
	close(fd);
}

/* options_parse of "logfold --config FILE" and args (NULL-terminated,
 * each under 512 bytes) with text as FILE, its messages sent to
 * /dev/null. cfg points into the copies until the next call. */
static enum options_result parse(struct config *cfg, const char *text, enum options_mode mode,
				 const char *const *args)
{
	static char prog[] = "logfold", config[] = "--config";
	char *argv[64] = { prog, config, conf_path };
	int argc = 3, saved = dup(2), null = open("/dev/null", O_WRONLY);
	static char copy[64][512]; /* writable, as argv is: a host is lower-cased in place */
	for (; *args && argc < 63; args++, argc++)
		argv[argc] = strcpy(copy[argc], *args);
	argv[argc] = NULL;
	strcpy(conf_path, "/tmp/test_options.XXXXXX");
	write_file(conf_path, text);
	dup2(null, 2);
	enum options_result r = options_parse(argc, argv, mode, cfg);
	dup2(saved, 2);
	close(saved);
	close(null);
	unlink(conf_path);
	return r;
}

static const char *const no_args[] = { NULL };

/* ---- a good value for each row ---------------------------------------------- */

/* Lines a format row needs beside it to settle (the format options are
 * checked together): a server config to read, a name to take from it. */
static const char *companion(const struct opt_def *o)
{
	static char apache[128];
	snprintf(apache, sizeof(apache), "apache-conf = %s\nlog-format-name = mine\n", apache_path);
	if (strcmp(o->name, "json-map") == 0)
		return "format = json\n";
	if (strcmp(o->name, "log-format-name") == 0)
		return "nginx-conf = /dev/null\n"; /* no log_format: nginx's combined */
	if (strcmp(o->name, "apache-conf") == 0)
		return apache;
	return "";
}

/* Values the kinds cannot guess: a format string that compiles, a map, a
 * server config that exists. */
static const struct {
	const char *name, *value;
} known[] = {
	{ "log-format", "%h %l %u %t \"%r\" %>s %b" },
	{ "json-map", "time=t,remote_addr=ip,request=r,status=s" },
	{ "nginx-conf", "/dev/null" },
	{ "log-format-name", "combined" },
	{ "shard", "1/3" },
};

/* A value each row takes: its default, else one by kind or check. NULL when
 * the test knows none: a new kind or check wants a line here. */
static const char *sample(const struct opt_def *o, char *buf, size_t cap)
{
	static const char *const rules[RULE_KINDS] = {
		[RULE_ALLOW] = "^/a",
		[RULE_EXCLUDE] = "^/admin",
		[RULE_REWRITE] = "^/p/[0-9]+=>/p",
		[RULE_KEEP_QUERY] = "page",
		[RULE_OPTOUT_COOKIE] = "optout=1",
		[RULE_OPTOUT_FIELD] = "dnt=1",
		[RULE_ALIAS] = "www.example.org",
	};
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (strcmp(o->name, known[i].name) == 0)
			return known[i].value;
	if (strcmp(o->name, "apache-conf") == 0)
		return apache_path;
	if (o->def)
		return o->def[0];
	if (o->check == optkind_endpoint)
		return "/e.gif";
	if (o->check == optkind_host)
		return "example.org";
	if (o->check == optkind_tz)
		return "UTC";
	if (o->check == optkind_rule)
		return rules[o->param];
	if (o->parse == optkind_cidr)
		return "10.0.0.0/8";
	switch (o->kind) {
	case OPT_SWITCH:
		return "yes";
	case OPT_INT:
	case OPT_DECIMAL:
		snprintf(buf, cap, "%ld", o->hi);
		return buf;
	case OPT_DURATION:
		snprintf(buf, cap, "%lds", o->hi);
		return buf;
	case OPT_DAY:
		return "2024-02-29";
	case OPT_ENUM:
		return o->choices[0];
	case OPT_STRING:
	case OPT_PATH:
	case OPT_DIR:
		return "x";
	default:
		return NULL;
	}
}

/* ---- every row well formed ----------------------------------------------------- */

static bool kind_fits_field(const struct opt_def *o)
{
	enum opt_ftype t = o->ftype;
	bool num = t == FT_INT || t == FT_UINT;
	switch (o->kind) {
	case OPT_SWITCH:
		return t == FT_BOOL;
	case OPT_CONST:
	case OPT_INT:
	case OPT_DURATION:
		return num && !opt_is_list(o);
	case OPT_DECIMAL:
		return t == FT_DOUBLE;
	case OPT_DAY:
		return num || t == FT_STR;
	case OPT_STRING:
	case OPT_PATH:
	case OPT_DIR:
		return opt_is_list(o) ? t == FT_STRV : t == FT_STR;
	case OPT_ENUM:
		return num && o->choices && o->choices[0];
	case OPT_CUSTOM:
		return o->parse != NULL;
	case OPT_HELP:
	case OPT_VERSION:
	case OPT_CONFIG:
		return t == FT_NONE && (o->flags & OPTF_CLI);
	}
	return false;
}

static bool help_fits(const char *help)
{
	/* the words are refilled from column 29 to 80: none may be longer */
	for (const char *p = help; *p;) {
		size_t n = strcspn(p, " \n");
		if (n > 80 - 29)
			return false;
		p += n;
		p += strspn(p, " \n");
	}
	return help[0] != '\0';
}

static void test_rows(void)
{
	CHECK(opt_count > 0 && opt_count <= OPTS_MAX);
	for (size_t i = 0; i < opt_count; i++) {
		const struct opt_def *o = &opt_table[i];
		bool takes = o->kind != OPT_SWITCH && o->kind != OPT_CONST && o->kind != OPT_HELP &&
			     o->kind != OPT_VERSION;
		CHECK(o->name && strspn(o->name, "abcdefghijklmnopqrstuvwxyz-") == strlen(o->name));
		CHECK(o->help && help_fits(o->help));
		CHECK(strlen(o->name) + (o->arg ? strlen(o->arg) : 0) < 50); /* --help's head */
		CHECK(opt_takes_value(o) == takes);
		CHECK(kind_fits_field(o));
		if (!kind_fits_field(o))
			fprintf(stderr, "  row --%s: kind and field disagree\n", o->name);
		if (o->kind == OPT_INT || o->kind == OPT_DECIMAL || o->kind == OPT_DURATION)
			CHECK(o->lo <= o->hi);
		/* a per-site row is a key of [site] sections: never command-line only */
		CHECK(!(o->site && (o->flags & OPTF_CLI)));
		/* a run-time default is a number in the row's range */
		if (o->def_fn) {
			long d = o->def_fn();
			CHECK(o->kind == OPT_INT && !o->def && d >= o->lo && d <= o->hi);
		}
		/* a default is a literal: no check may rewrite it in place */
		CHECK(!o->def || (o->check != optkind_host && o->check != optkind_rule));
		CHECK(opt_by_name(o->name) == o);
		CHECK(opt_by_val(opt_val(o)) == o);
		bool unique = true;
		for (size_t k = 0; k < i; k++)
			unique &= strcmp(opt_table[k].name, o->name) != 0 &&
				  (!o->shortopt || opt_table[k].shortopt != o->shortopt);
		CHECK(unique);
	}
	CHECK(opt_by_name("no-such-option") == NULL);
	CHECK(opt_by_val('?') == NULL);
}

/* Each row's default parses into a cleared config (set_defaults asserts
 * the same at every run). */
static void test_defaults_parse(void)
{
	struct config *cfg = calloc(1, sizeof(*cfg));
	for (size_t i = 0; i < opt_count; i++)
		CHECK(optkind_reset(&opt_table[i], optkind_base(&opt_table[i], cfg)));
	free(cfg);
}

/* The defaults README and the man page state, each by hand: 30 minutes is
 * 1800 s, 10 minutes 600 s. */
static void test_defaults(void)
{
	struct config *cfg = calloc(1, sizeof(*cfg));
	CHECK_INT(parse(cfg, "", OPTIONS_MODE_PRIVACY, no_args), OPTIONS_RUN);
	CHECK_INT(cfg->format, FMT_AUTO);
	CHECK_STR(cfg->site, "default");
	CHECK(!cfg->site_given);
	CHECK_INT(cfg->mask_bytes, 2);
	CHECK_INT(cfg->session_timeout, 1800);
	CHECK_INT(cfg->grace, 600);
	CHECK(cfg->max_bad == 10.0);
	CHECK_INT(cfg->min_visitors, 5);
	CHECK_INT(cfg->geo, GEO_COUNTRY);
	CHECK_STR(cfg->geoip_country, "country.iso_code");
	CHECK_STR(cfg->geoip_region, "subdivisions.0.iso_code");
	CHECK_STR(cfg->beacon_path, "/logfold.gif");
	CHECK_INT(cfg->ntrackers, 3);
	CHECK_STR(cfg->trackers[0], "/matomo.php");
	CHECK_STR(cfg->trackers[2], "/ppms.php");
	CHECK_STR(cfg->uap_regexes, "/usr/share/uap-core/regexes.yaml");
	CHECK_INT(cfg->client_ip.mode, CLIENT_REMOTE);
	CHECK(!cfg->client_ip_set);
	CHECK_INT(cfg->rebuild_day, REBUILD_NONE);
	CHECK_INT(cfg->prune_day, REBUILD_NONE);
	CHECK_INT(cfg->retention, 13);
	CHECK_INT(cfg->wait, 60);
	/* --jobs: the CPUs online, or LOGFOLD_JOBS (tests/run.sh may set it) */
	CHECK(cfg->jobs >= 1 && cfg->jobs <= 64);
	const char *env = getenv("LOGFOLD_JOBS");
	char saved[64] = "";
	bool had = env != NULL;
	if (env)
		snprintf(saved, sizeof(saved), "%s", env);
	setenv("LOGFOLD_JOBS", "3", 1);
	CHECK_INT(parse(cfg, "", OPTIONS_MODE_PRIVACY, no_args), OPTIONS_RUN);
	CHECK_INT(cfg->jobs, 3);
	if (had)
		setenv("LOGFOLD_JOBS", saved, 1);
	else
		unsetenv("LOGFOLD_JOBS");
	CHECK_INT(cfg->progress, PROGRESS_AUTO);
	CHECK(!cfg->quiet && !cfg->json && !cfg->close_all);
	CHECK_STR(cfg->db, "logfold.db");
	CHECK(cfg->csv == NULL && cfg->report == NULL && cfg->fmt_src.tz == NULL);
	free(cfg);
}

/* The companion's lines as command-line arguments, into args (two lines
 * at most, then NULL): "--KEY", "VALUE" each. The command line's first format
 * option drops the file's, so a format row's companion goes with it. */
static void companion_args(const struct opt_def *o, const char **args)
{
	static char text[256], flags[2][64];
	int n = 0, k = 0;
	snprintf(text, sizeof(text), "%s", companion(o));
	for (char *line = strtok(text, "\n"); line && k < 2; line = strtok(NULL, "\n")) {
		char *eq = strstr(line, " = ");
		if (!eq)
			continue;
		*eq = '\0';
		snprintf(flags[k], sizeof(flags[k]), "--%s", line);
		args[n++] = flags[k++];
		args[n++] = eq + 3;
	}
	args[n] = NULL;
}

/* ---- every config key, against its option ---------------------------------------- */

/* The row's field in cfg as text, to compare two configs' values. */
static void field_text(const struct opt_def *o, struct config *cfg, char *out, size_t cap)
{
	const char *p = (const char *)optkind_base(o, cfg) + o->field;
	int n = opt_is_list(o) ? *(const int *)(const void *)((const char *)optkind_base(o, cfg) +
							      o->count)
			       : -1;
	switch (o->ftype) {
	case FT_BOOL:
		snprintf(out, cap, "%d", *(const bool *)p);
		break;
	case FT_INT:
		snprintf(out, cap, "%d", *(const int *)(const void *)p);
		break;
	case FT_UINT:
		snprintf(out, cap, "%u", *(const unsigned *)(const void *)p);
		break;
	case FT_DOUBLE:
		snprintf(out, cap, "%g", *(const double *)(const void *)p);
		break;
	case FT_STR: {
		const char *s = *(const char *const *)(const void *)p;
		snprintf(out, cap, "%s", s ? s : "(null)");
		break;
	}
	case FT_STRV:
		snprintf(out, cap, "%d:%s", n,
			 n > 0 ? ((const char *const *)(const void *)p)[n - 1] : "");
		break;
	default:
		snprintf(out, cap, "list of %d", n);
		break;
	}
}

static void test_keys(void)
{
	struct config *a = calloc(1, sizeof(*a)), *b = calloc(1, sizeof(*b));
	write_file(apache_path, "LogFormat \"%h %l %u %t \\\"%r\\\" %>s %b\" mine\n");
	for (size_t i = 0; i < opt_count; i++) {
		const struct opt_def *o = &opt_table[i];
		char buf[64], text[512], flag[80], got_a[256], got_b[256];
		const char *v = sample(o, buf, sizeof(buf));
		if (o->flags & OPTF_CLI)
			continue;
		CHECK(v != NULL);
		if (!v)
			continue;
		snprintf(text, sizeof(text), "%s%s = %s\n", companion(o), o->name, v);
		snprintf(flag, sizeof(flag), "--%s", o->name);
		const char *args[8] = { flag, o->kind == OPT_SWITCH ? NULL : v, NULL };
		companion_args(o, args + (o->kind == OPT_SWITCH ? 1 : 2));
		enum options_result ra = parse(a, text, OPTIONS_MODE_PRIVACY, no_args);
		CHECK_INT(ra, OPTIONS_RUN);
		if (ra != OPTIONS_RUN)
			fprintf(stderr, "  key '%s = %s' refused\n", o->name, v);
		field_text(o, a, got_a, sizeof(got_a));
		CHECK_INT(parse(b, "", OPTIONS_MODE_PRIVACY, args), OPTIONS_RUN);
		field_text(o, b, got_b, sizeof(got_b));
		CHECK_STR(got_a, got_b);
	}
	unlink(apache_path);
	free(a);
	free(b);
}

/* A command-line-only option is no key; written as one, the file is refused. */
static void test_cli_only(void)
{
	struct config *cfg = calloc(1, sizeof(*cfg));
	int n = 0;
	for (size_t i = 0; i < opt_count; i++) {
		char text[128];
		if (!(opt_table[i].flags & OPTF_CLI))
			continue;
		n++;
		snprintf(text, sizeof(text), "%s = 1\n", opt_table[i].name);
		CHECK_INT(parse(cfg, text, OPTIONS_MODE_PRIVACY, no_args), OPTIONS_ERROR);
	}
	/* rebuild day progress no-progress config json output from to text
	 * public help version: README's and the man page's list */
	CHECK_INT(n, 13);
	free(cfg);
}

/* ---- ranges ----------------------------------------------------------------------- */

static const char *try(const char *name, const char *value, struct config *cfg)
{
	static char err[OPTKIND_ERR_MAX], copy[128];
	const struct opt_def *o = opt_by_name(name);
	snprintf(copy, sizeof(copy), "%s", value);
	return optkind_apply(o, copy, optkind_base(o, cfg), err, sizeof(err));
}

/* v as the kind writes it: seconds with 's' for a duration (a bare 0
 * where 0 is allowed). */
static void number(const struct opt_def *o, long v, char *out, size_t cap)
{
	if (o->kind == OPT_DURATION && v != 0)
		snprintf(out, cap, "%lds", v);
	else
		snprintf(out, cap, "%ld", v);
}

/* try's reason, or "(accepted)": for CHECK_STR. */
static const char *why(const char *name, const char *value, struct config *cfg)
{
	const char *r = try(name, value, cfg);
	return r ? r : "(accepted)";
}

/* Every ranged row takes its ends and refuses one past each (a decimal:
 * half past its top). */
static void test_ranges(void)
{
	struct config *cfg = calloc(1, sizeof(*cfg));
	for (size_t i = 0; i < opt_count; i++) {
		const struct opt_def *o = &opt_table[i];
		char lo[32], hi[32], below[32], above[32];
		if (o->kind != OPT_INT && o->kind != OPT_DECIMAL && o->kind != OPT_DURATION)
			continue;
		number(o, o->lo, lo, sizeof(lo));
		number(o, o->hi, hi, sizeof(hi));
		number(o, o->lo - 1, below, sizeof(below));
		number(o, o->hi + 1, above, sizeof(above));
		if (o->kind == OPT_DECIMAL)
			snprintf(above, sizeof(above), "%ld.5", o->hi);
		CHECK(try(o->name, lo, cfg) == NULL);
		CHECK(try(o->name, hi, cfg) == NULL);
		CHECK(try(o->name, below, cfg) != NULL);
		CHECK(try(o->name, above, cfg) != NULL);
	}
	free(cfg);
}

/* Values and messages reasoned by hand from the option's definition. */
static void test_values(void)
{
	struct config *cfg = calloc(1, sizeof(*cfg));
	CHECK_STR(why("mask-bytes", "5", cfg), "a number from 1 to 4");
	CHECK_STR(why("min-visitors", "0", cfg), "a number from 1 to 1000000");
	CHECK(try("session-timeout", "1440", cfg) == NULL); /* minutes: 24 h */
	CHECK_INT(cfg->session_timeout, 86400);
	CHECK(try("session-timeout", "90s", cfg) == NULL);
	CHECK_INT(cfg->session_timeout, 90);
	CHECK(try("session-timeout", "2h", cfg) == NULL);
	CHECK_INT(cfg->session_timeout, 7200);
	CHECK_STR(why("session-timeout", "25h", cfg), "a duration from 1s to 24h");
	CHECK_STR(why("session-timeout", "0s", cfg), "a duration from 1s to 24h");
	CHECK_STR(why("session-timeout", "5ms", cfg), "a duration from 1s to 24h");
	CHECK(try("grace", "0", cfg) == NULL);
	CHECK_INT(cfg->grace, 0);
	CHECK_STR(why("grace", "0s", cfg), "a duration from 0 to 24h");
	CHECK(try("max-bad", "12.5%", cfg) == NULL);
	CHECK(cfg->max_bad == 12.5);
	CHECK_STR(why("max-bad", "12.5%%", cfg), "a percentage from 0 to 100");
	CHECK(try("retention", "none", cfg) == NULL);
	CHECK_INT(cfg->retention, RETENTION_NONE);
	CHECK_STR(why("retention", "26", cfg),
		  "a number of months from 1 to 25 (CNIL's limit), or none");
	CHECK(try("geo", "region", cfg) == NULL);
	CHECK_INT(cfg->geo, GEO_REGION);
	CHECK_STR(why("geo", "city", cfg), "one of country, region, off");
	CHECK_STR(why("quiet", "maybe", cfg), "true or false");
	CHECK(try("quiet", "On", cfg) == NULL);
	CHECK(cfg->quiet);
	CHECK(try("site-allow", "Example.ORG", cfg) == NULL);
	CHECK_STR(cfg->site_allow.v[0], "example.org");
	CHECK_STR(why("site", "", cfg), "a name of 1 to 253 bytes");
	CHECK(try("rebuild", "2024-03-01", cfg) == NULL);
	/* 1970..2023: 54 years, 13 of them leap (1972..2020), then 31 + 29 days */
	CHECK_INT(cfg->rebuild_day, 54 * 365 + 13 + 31 + 29);
	CHECK_STR(why("rebuild", "2023-02-29", cfg), "a day as YYYY-MM-DD");
	CHECK(try("jobs", "64", cfg) == NULL);
	CHECK_INT(cfg->jobs, 64);
	CHECK_STR(why("jobs", "65", cfg), "a number from 1 to 64");
	CHECK_STR(why("jobs", "0", cfg), "a number from 1 to 64");
	CHECK(try("shard", "2/3", cfg) == NULL);
	CHECK_INT(cfg->shard_index, 2);
	CHECK_INT(cfg->shard_count, 3);
	CHECK_STR(why("shard", "3/3", cfg), "I/N with 0 <= I < N <= 1000");
	CHECK_STR(why("shard", "-1/3", cfg), "I/N with 0 <= I < N <= 1000");
	CHECK_STR(why("shard", "0/1001", cfg), "I/N with 0 <= I < N <= 1000");
	CHECK_STR(why("shard", "0/+3", cfg), "I/N with 0 <= I < N <= 1000");
	CHECK_STR(why("shard", "1/3x", cfg), "I/N with 0 <= I < N <= 1000");
	CHECK(try("shard", "999/1000", cfg) == NULL);
	CHECK_STR(why("geoip-field", "city=x", cfg), "country=PATH or region=PATH");
	CHECK(try("geoip-field", "region=a.b", cfg) == NULL);
	CHECK_STR(cfg->geoip_region, "a.b");
	free(cfg);
}

/* Lists: full at their stated maximum, with the row's words. */
static void test_lists(void)
{
	struct config *cfg = calloc(1, sizeof(*cfg));
	char v[16];
	for (int i = 0; i < 8; i++) {
		snprintf(v, sizeof(v), "/t%d", i);
		CHECK(try("tracker-path", v, cfg) == NULL);
	}
	CHECK_STR(why("tracker-path", "/t8", cfg), "at most 8 tracker paths");
	for (int i = 0; i < 32; i++) {
		snprintf(v, sizeof(v), "^/p%d", i);
		CHECK(try("page-allow", v, cfg) == NULL);
		snprintf(v, sizeof(v), "q%d", i);
		CHECK(try("keep-query", v, cfg) == NULL);
	}
	CHECK_INT(cfg->rules.list[RULE_ALLOW].n, 32);
	CHECK_STR(why("page-allow", "^/x", cfg), "more than 32 values (join patterns with '|')");
	CHECK_STR(why("keep-query", "q", cfg), "more than 32 values");
	for (int i = 0; i < 64; i++) {
		snprintf(v, sizeof(v), "10.0.%d.0/24", i);
		CHECK(try("trusted-proxy", v, cfg) == NULL);
	}
	CHECK_STR(why("trusted-proxy", "10.1.0.0/16", cfg), "at most 64 blocks");
	free(cfg);
}

/* Which source's list wins: the file's first value replaces the defaults,
 * the command line's first replaces the file's, 'none' empties it. */
static void test_sources(void)
{
	struct config *cfg = calloc(1, sizeof(*cfg));
	const char *file = "tracker-path = /a\ntracker-path = /b\nsite-allow = a.org\n";
	const char *cli[] = { "--tracker-path", "/c", "--site-allow", "b.org", NULL };
	const char *none[] = { "--tracker-path", "/c", "--tracker-path", "none", NULL };
	CHECK_INT(parse(cfg, file, OPTIONS_MODE_PRIVACY, no_args), OPTIONS_RUN);
	CHECK_INT(cfg->ntrackers, 2);
	CHECK_STR(cfg->trackers[1], "/b");
	CHECK_INT(cfg->site_allow.n, 1);
	CHECK_INT(parse(cfg, file, OPTIONS_MODE_PRIVACY, cli), OPTIONS_RUN);
	CHECK_INT(cfg->ntrackers, 1);
	CHECK_STR(cfg->trackers[0], "/c");
	CHECK_INT(cfg->site_allow.n, 1);
	CHECK_STR(cfg->site_allow.v[0], "b.org");
	CHECK_INT(parse(cfg, file, OPTIONS_MODE_PRIVACY, none), OPTIONS_RUN);
	CHECK_INT(cfg->ntrackers, 0);
	free(cfg);
}

/* An option that is for some modes only is refused in the others. */
static void test_modes(void)
{
	struct config *cfg = calloc(1, sizeof(*cfg));
	const char *day[] = { "--day", "2024-01-01", NULL };
	const char *text[] = { "--text", NULL };
	CHECK_INT(parse(cfg, "", OPTIONS_MODE_PRUNE, day), OPTIONS_RUN);
	CHECK_INT(parse(cfg, "", OPTIONS_MODE_RUN, day), OPTIONS_ERROR);
	CHECK_INT(parse(cfg, "", OPTIONS_MODE_REPORT, text), OPTIONS_RUN);
	CHECK_INT(parse(cfg, "", OPTIONS_MODE_PRIVACY, text), OPTIONS_ERROR);
	free(cfg);
}

TEST_MAIN(test_rows, test_defaults_parse, test_defaults, test_keys, test_cli_only, test_ranges,
	  test_values, test_lists, test_sources, test_modes)
