/*
 * options.c - the command line and the config file, driven by the option
 * table (opttable.h): getopt_long's arrays, --help, the defaults, the
 * file's keys and [site HOST] sections, which source wins, and the modes
 * that take an option are all made from its rows; each value is parsed and
 * checked by its kind (optkinds.c), once, and refused here with the option
 * named and where it was given, so the rest of the program can trust
 * struct config. What is left for code is what the rows cannot say: the
 * format options checked together, the database beside --csv, and the
 * operands each subcommand takes.
 */
#include "options.h"

#include <assert.h>
#include <getopt.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "../common/civil.h"
#include "../common/dims.h"
#include "../common/grow.h"
#include "../parsers/formats/conf.h"
#include "conffile.h"
#include "msg.h"
#include "optkinds.h"
#include "opttable.h"
#include "version.h"

/* ---- --help ------------------------------------------------------------------ */

/* Words refilled into lines of width columns after an indent (the text's
 * own line breaks are only where the words happen to fall). */
struct wrap {
	size_t indent, width, col;
};

static void wrap_words(struct wrap *w, const char *text)
{
	for (const char *p = text; *p;) {
		while (*p == ' ' || *p == '\n')
			p++;
		size_t n = strcspn(p, " \n");
		if (n == 0)
			break;
		if (w->col && w->col + 1 + n > w->width) {
			printf("\n%*s", (int)w->indent, "");
			w->col = 0;
		}
		printf("%s%.*s", w->col ? " " : "", (int)n, p);
		w->col += (w->col ? 1 : 0) + n;
		p += n;
	}
}

/* An option's help a column wide, from column 29 to column 80. */
#define HELP_INDENT 29

static void print_option(const struct opt_def *o)
{
	char head[64];
	struct wrap w = { HELP_INDENT, 80 - HELP_INDENT, 0 };
	if (o->shortopt)
		snprintf(head, sizeof(head), "-%c, --%s%s%s", o->shortopt, o->name,
			 o->arg ? " " : "", o->arg ? o->arg : "");
	else
		snprintf(head, sizeof(head), "    --%s%s%s", o->name, o->arg ? " " : "",
			 o->arg ? o->arg : "");
	if (strlen(head) > 26)
		printf("  %s\n%29s", head, "");
	else
		printf("  %-26s ", head);
	wrap_words(&w, o->help);
	putchar('\n');
}

/* Which options are config keys: all but the command-line-only rows,
 * named from the table (tests/check-help-man.sh compares the man page's
 * and README's lists with this one). */
static void print_keys_note(void)
{
	struct wrap w = { 0, 76, 0 };
	size_t n = 0, k = 0;
	for (size_t i = 0; i < opt_count; i++)
		n += (opt_table[i].flags & OPTF_CLI) != 0;
	wrap_words(&w, "options (each long option but");
	for (size_t i = 0; i < opt_count; i++) {
		char word[64];
		if (!(opt_table[i].flags & OPTF_CLI))
			continue;
		k++;
		snprintf(word, sizeof(word), "%s%s%s", k == n && n > 1 ? "and " : "",
			 opt_table[i].name, k + 1 < n ? "," : "");
		wrap_words(&w, word);
	}
	wrap_words(&w, "is also a config file key, 'key = value'; [site HOST] sections take the "
		       "page, opt-out and site-alias options, and the format of the runs whose "
		       "--site is HOST):");
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
	       "add, so a visitor who hit two servers counts twice.\n\n");
	print_keys_note();
	for (size_t i = 0; i < opt_count; i++)
		print_option(&opt_table[i]);
	printf("\nexit status: 0 ok, 1 too many malformed lines (logfold privacy: outside\n"
	       "the exemption), 2 usage error (also: an unreadable --geoip database,\n"
	       "public suffix list or uap-core regexes; logfold report: an unknown\n"
	       "--site), 3 input error (good lines still written; logfold report: a\n"
	       "database it cannot report on), 4 output error (nothing written),\n"
	       "5 database busy past --wait (nothing written), 6 interrupted by SIGINT\n"
	       "or SIGTERM (nothing written)\n"
	       "\nSee logfold(1) for the tables, the privacy model and examples.\n");
}

/* ---- applying a value ----------------------------------------------------------- */

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

/* Apply one value of o to base (NULL: check it only); false after
 * printing why not. */
static bool apply(const struct opt_def *o, char *value, const struct origin *at, void *base)
{
	char err[OPTKIND_ERR_MAX];
	const char *why = optkind_apply(o, value, base, err, sizeof(err));
	return !why || bad_value(at, o->name, value, why);
}

/* Settings of [site] sections, kept to be applied over the final global
 * rules (after the command line). 1024 is far past a real config. */
#define SITE_SETTINGS_MAX 1024

struct site_setting {
	int site; /* index in cfg->sites */
	const struct opt_def *o;
	char *value;
	struct origin at;
};

/* Where a value comes from; a later source replaces an earlier one's list. */
enum source {
	FROM_DEFAULT,
	FROM_FILE,
	FROM_CLI
};

struct parse_ctx {
	struct config *cfg;
	unsigned char list_from[OPTS_MAX]; /* enum source of each list's values */
	bool on_cli[OPTS_MAX];             /* given on the command line */
	bool format_given;                 /* the command line said the format */
	struct site_setting *set;          /* GROW */
	size_t nset, cap;
};

/* Forget the format said so far: another source says it instead. */
static void clear_format(struct config *cfg)
{
	for (size_t i = 0; i < opt_count; i++)
		if (opt_table[i].flags & OPTF_FORMAT)
			(void)optkind_reset(&opt_table[i], optkind_base(&opt_table[i], cfg));
}

/* A global setting from the file or the command line. A list's first value
 * from a source replaces the values of the one before (the defaults, the
 * file's); the command line's first option saying the format replaces the
 * file's format options together (a file's log-format and a command line's
 * --format would otherwise refuse each other). */
static bool set_option(struct parse_ctx *ctx, const struct opt_def *o, char *value,
		       const struct origin *at, enum source src)
{
	size_t i = (size_t)(o - opt_table);
	void *base = optkind_base(o, ctx->cfg);
	if (opt_is_list(o) && ctx->list_from[i] != src) {
		optkind_clear(o, base);
		ctx->list_from[i] = (unsigned char)src;
	}
	if ((o->flags & OPTF_FORMAT) && src == FROM_CLI && !ctx->format_given) {
		ctx->format_given = true;
		clear_format(ctx->cfg);
	}
	if (src == FROM_CLI)
		ctx->on_cli[i] = true;
	if (o->has_given)
		*(bool *)((char *)ctx->cfg + o->given) = true;
	return apply(o, value, at, base);
}

/* ---- the config file -------------------------------------------------------------- */

static int site_index(struct config *cfg, char *host, const struct origin *at)
{
	const char *why = optkind_host_check(host);
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

/* A setting of a [site HOST] section: checked now, against the section
 * alone, so that a bad value is named with its line; kept to be applied
 * again over the global rules (or format) at the end. A format string is
 * checked when it is compiled. */
static bool section_setting(struct parse_ctx *ctx, char *section, const struct opt_def *o,
			    char *value, const struct origin *at)
{
	struct config *cfg = ctx->cfg;
	if (!o->site && !(o->flags & OPTF_FORMAT)) {
		msg_error("%s:%d: '%s' is not a per-site setting: put it before the first "
			  "[site] section",
			  at->file, at->line, o->name);
		return false;
	}
	int site = site_index(cfg, section, at);
	if (site < 0)
		return false;
	if (ctx->nset == SITE_SETTINGS_MAX) {
		msg_error("%s:%d: more than %d per-site settings", at->file, at->line,
			  SITE_SETTINGS_MAX);
		return false;
	}
	if (!GROW(ctx->set, ctx->cap, ctx->nset + 1, 16)) {
		msg_error("out of memory");
		return false;
	}
	if (!apply(o, value, at, o->site ? &cfg->site_rules[site] : NULL))
		return false;
	ctx->set[ctx->nset++] = (struct site_setting){ site, o, value, *at };
	return true;
}

static bool file_setting(void *vctx, char *section, const char *key, char *value,
			 const char *path, int line)
{
	struct parse_ctx *ctx = vctx;
	struct origin at = { path, line };
	const struct opt_def *o = opt_by_name(key);
	if (!o || (o->flags & OPTF_CLI)) {
		msg_error("%s:%d: unknown key '%s'%s", path, line, key,
			  o ? " (a command-line option only)" : "");
		return false;
	}
	if (section)
		return section_setting(ctx, section, o, value, &at);
	return set_option(ctx, o, value, &at, FROM_FILE);
}

/* The format options of the section of the run's --site, if it has any:
 * they replace the global ones as a group, as the command line's would (a
 * log per site, without the virtual host, is read with its site's format). */
static bool site_format(struct parse_ctx *ctx)
{
	struct config *cfg = ctx->cfg;
	bool cleared = false;
	for (size_t i = 0; i < ctx->nset; i++) {
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
 * line said one. */
static bool resolve_sites(struct parse_ctx *ctx)
{
	struct config *cfg = ctx->cfg;
	for (int i = 0; i < cfg->nsites; i++)
		cfg->site_rules[i] = cfg->rules;
	for (size_t i = 0; i < ctx->nset; i++) {
		struct site_setting *s = &ctx->set[i];
		if (s->o->site && !apply(s->o, s->value, &s->at, &cfg->site_rules[s->site]))
			return false;
	}
	return ctx->format_given || site_format(ctx);
}

static bool read_config(struct parse_ctx *ctx, const char *named)
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

/* ---- the format, once file and command line are read ------------------------------ */

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

/* ---- the command line ------------------------------------------------------------- */

static void build_getopt(struct option *longs, char *shorts)
{
	size_t k = 0;
	for (size_t i = 0; i < opt_count; i++) {
		const struct opt_def *o = &opt_table[i];
		longs[i] = (struct option){ o->name,
					    opt_takes_value(o) ? required_argument : no_argument,
					    NULL, opt_val(o) };
		if (!o->shortopt)
			continue;
		shorts[k++] = o->shortopt;
		if (opt_takes_value(o))
			shorts[k++] = ':';
	}
	longs[opt_count] = (struct option){ 0 };
	shorts[k] = '\0';
}

/* First pass: help, version, usage errors and --config, before the file is
 * read. OPTIONS_RUN when the run goes on. */
static enum options_result first_pass(int argc, char **argv, const struct option *longs,
				      const char *shorts, const char **config)
{
	int c;
	while ((c = getopt_long(argc, argv, shorts, longs, NULL)) != -1) {
		const struct opt_def *o = opt_by_val(c);
		if (!o) { /* '?' or ':' */
			msg_error("%s '%s'; see 'logfold --help'",
				  c == ':' ? "missing value for" : "unknown option",
				  argv[optind - 1]);
			return OPTIONS_ERROR;
		}
		if (o->kind == OPT_HELP) {
			print_help();
			return OPTIONS_EXIT;
		}
		if (o->kind == OPT_VERSION) {
			if (version_print())
				return OPTIONS_EXIT;
			msg_error("cannot write to standard output");
			return OPTIONS_ERROR;
		}
		if (o->kind == OPT_CONFIG)
			*config = optarg;
	}
	return OPTIONS_RUN;
}

/* Second pass: every option over the file's settings. */
static bool second_pass(int argc, char **argv, const struct option *longs, const char *shorts,
			struct parse_ctx *ctx)
{
	static char on[] = "1"; /* a switch's value */
	struct origin cli = { NULL, 0 };
	int c;
	optind = 0; /* GNU getopt: start over */
	while ((c = getopt_long(argc, argv, shorts, longs, NULL)) != -1) {
		const struct opt_def *o = opt_by_val(c);
		if (o->kind == OPT_CONFIG)
			continue;
		if (!set_option(ctx, o, opt_takes_value(o) ? optarg : on, &cli, FROM_CLI))
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

/* What an option restricted to some modes is for, by its modes; checked
 * in this order, then in the table's (so that --json is named before
 * --day, and --day before the report's options, as before the table). */
static const struct {
	unsigned modes;
	const char *text;
} mode_words[] = {
	{ OPT_MODE(OPTIONS_MODE_PRIVACY) | OPT_MODE(OPTIONS_MODE_REPORT),
	  "is for 'logfold privacy' and 'logfold report'" },
	{ OPT_MODE(OPTIONS_MODE_PRUNE), "is for 'logfold prune'" },
	{ OPT_MODE(OPTIONS_MODE_REPORT), "is for 'logfold report'; see 'logfold --help'" },
};

#define MODE_WORDS (sizeof(mode_words) / sizeof(mode_words[0]))

/* The first option of the command line that the mode does not take; false
 * after saying so. A config key is read by every mode: a file serves them
 * all. A row whose modes have no words here is named in general terms. */
static bool modes_agree(const struct parse_ctx *ctx, enum options_mode mode)
{
	for (size_t k = 0; k <= MODE_WORDS; k++) {
		for (size_t i = 0; i < opt_count; i++) {
			const struct opt_def *o = &opt_table[i];
			if (!ctx->on_cli[i] || !o->modes || (o->modes & OPT_MODE(mode)))
				continue;
			if (k < MODE_WORDS && mode_words[k].modes != o->modes)
				continue;
			msg_error("--%s %s", o->name,
				  k < MODE_WORDS ? mode_words[k].text
						 : "is not for this command; see 'logfold --help'");
			return false;
		}
	}
	return true;
}

/* What a subcommand takes besides options: operands (files) and the
 * options that exclude each other (a shard's partial database makes no
 * CSV or report). */
static bool operands_agree(const struct config *cfg, enum options_mode mode, int argc, char **argv)
{
	if (cfg->shard_count && (cfg->csv || cfg->report)) {
		msg_error("%s cannot go with --shard: a shard's database is partial; merge the "
			  "shards first",
			  cfg->csv ? "--csv" : "--report");
		return false;
	}
	if (mode == OPTIONS_MODE_REPORT && optind < argc)
		return usage("'logfold report' reads no log file");
	if (mode == OPTIONS_MODE_REPORT && cfg->json && cfg->text)
		return usage("--json and --text exclude each other");
	if (mode == OPTIONS_MODE_PRIVACY && optind < argc) {
		msg_error("'logfold privacy' reads no log file ('%s'); see 'logfold --help'",
			  argv[optind]);
		return false;
	}
	return true;
}

/* The database: --db, else DIR.db beside --csv DIR, else logfold.db. */
static bool settle_db(struct config *cfg, enum options_mode mode)
{
	if (cfg->db)
		return true;
	if (!cfg->csv || mode == OPTIONS_MODE_REPORT) {
		cfg->db = "logfold.db";
		return true;
	}
	return db_beside_csv(cfg);
}

/* Every field to its default: zero, then each row's DEF. Field by field: a
 * compound literal of cfg (a compiled format string inside) would be built
 * on the stack first. */
static void set_defaults(struct config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	for (size_t i = 0; i < opt_count; i++) {
		bool ok = optkind_reset(&opt_table[i], optkind_base(&opt_table[i], cfg));
		assert(ok); /* the table's own defaults (tests/unit/test_options.c) */
		(void)ok;
	}
}

/* File, command line, sites, then the checks across options, in this
 * order (an error in an earlier step is the one said). */
static bool parse_all(struct parse_ctx *ctx, int argc, char **argv, const struct option *longs,
		      const char *shorts, const char *config, enum options_mode mode)
{
	struct config *cfg = ctx->cfg;
	return read_config(ctx, config) && second_pass(argc, argv, longs, shorts, ctx) &&
	       resolve_sites(ctx) && settle_format(&cfg->fmt_src, cfg) &&
	       settle_tz(cfg->fmt_src.tz, cfg) && modes_agree(ctx, mode) &&
	       operands_agree(cfg, mode, argc, argv) && settle_db(cfg, mode);
}

enum options_result options_parse(int argc, char **argv, enum options_mode mode,
				  struct config *cfg)
{
	struct option longs[OPTS_MAX + 1];
	char shorts[2 * OPTS_MAX + 1];
	const char *config = NULL;
	set_defaults(cfg);
	build_getopt(longs, shorts);
	opterr = 0;
	optind = 0;
	enum options_result r = first_pass(argc, argv, longs, shorts, &config);
	if (r != OPTIONS_RUN)
		return r;
	struct parse_ctx ctx = { .cfg = cfg };
	bool ok = parse_all(&ctx, argc, argv, longs, shorts, config, mode);
	free(ctx.set);
	if (!ok)
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
