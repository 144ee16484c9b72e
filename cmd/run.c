/*
 * run.c - the driver. Reads inputs in the order given (results do not
 * depend on it), keeps the counts for the summary and the runs table, and
 * commits every sink only when everything was written. It reports
 * malformed lines by file, line number and reason, never by content.
 */
#include "run.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <time.h>

#include "../aggregate/agg.h"
#include "../common/civil.h"
#include "../output/csv.h"
#include "../output/db.h"
#include "../parsers/geo.h"
#include "../parsers/input.h"
#include "../parsers/parser.h"
#include "../parsers/suffix.h"
#include "msg.h"

_Static_assert(CONFIG_TRACKERS_MAX == PARSER_TRACKERS_MAX, "one limit for --tracker-path");

/* Malformed lines named one by one in the summary; the rest are counted. */
#define REPORT_MALFORMED_MAX 5

struct run {
	const struct config *cfg;
	struct parser *parser;
	struct geo *geo;         /* NULL: no geography this run */
	struct suffix_list psl;  /* loaded for --referrer-domain only */
	bool have_psl;
	char geoip[4096];        /* the database path, for messages */
	struct agents *agents;  /* NULL: --uap-regexes none */
	struct agg agg;
	struct sink *sinks[2];
	int nsinks;
	struct run_input *inputs;
	size_t ninputs;
	uint64_t lines, pageviews, skipped[SKIP_NREASONS];
	uint64_t beacon, beacon_empty; /* beacon requests; of them, with nothing usable */
	int reported;
	enum exit_code exit;
};

static void raise_exit(struct run *r, enum exit_code e)
{
	if (e > r->exit)
		r->exit = e;
}

static void malformed(struct run *r, struct input *in, const char *why)
{
	r->skipped[SKIP_MALFORMED]++;
	if (r->reported++ < REPORT_MALFORMED_MAX)
		msg_info("%s:%" PRIu64 ": malformed: %s", input_name(in), input_line_no(in), why);
}

static void count_line(struct run *r, struct input *in, struct slice line)
{
	struct hit hit;
	const char *why = NULL;
	enum skip_reason s = parser_line(r->parser, line, &hit, &why);
	if ((int)s == PARSE_OPTOUT || (int)s == PARSE_DIRECTIVE) {
		/* opted out: as if the line were not in the log; a directive
		 * ("#Fields: ..."): not a log line */
		r->lines--;
	} else if (s == SKIP_MALFORMED) {
		malformed(r, in, why);
	} else if (s == PARSE_BEACON) {
		/* Counted whether or not it carried anything usable: a beacon
		 * request is traffic the site asked for, never a broken line.
		 * Memory running out for one event loses only that event. */
		r->beacon++;
		if (hit.kind == HIT_NOTHING || agg_add(&r->agg, &hit) != LF_OK)
			r->beacon_empty++;
	} else if (s == SKIP_BOT) {
		r->skipped[s]++;
		if (agg_add_bot(&r->agg, &hit) != LF_OK)
			malformed(r, in, "out of memory for this robot request");
	} else if (s != PARSE_PAGEVIEW) {
		r->skipped[s]++;
	} else if (agg_add(&r->agg, &hit) != LF_OK) {
		malformed(r, in, "out of memory for this pageview");
	} else {
		r->pageviews++;
	}
}

/* Decide the format from the start of in, once per run. False: skip in. */
static bool detect_format(struct run *r, struct input *in)
{
	struct slice start;
	if (r->parser->cfg.format != FMT_AUTO || input_peek(in, &start) != LF_OK)
		return true;
	int looked;
	enum log_format f = format_detect(start, start.n < INPUT_PEEK_MAX, &looked);
	if (looked == 0)
		return true; /* empty: let the next file decide */
	if (f == FMT_AUTO) {
		msg_error("cannot detect the log format of '%s' from its first %d lines "
			  "(tried %s); use --format or --log-format",
			  input_name(in), looked, log_format_detect_list());
		raise_exit(r, EXIT_INPUT);
		return false;
	}
	parser_set_format(r->parser, f);
	msg_info("format: %s (auto-detected from %d lines of '%s')", log_format_name(f), looked,
		 input_name(in));
	return true;
}

static void read_lines(struct run *r, struct input *in)
{
	struct slice line;
	for (;;) {
		enum lf_status st = input_next(in, &line);
		if (st == LF_OK) {
			r->lines++;
			count_line(r, in, line);
		} else if (st == LF_ERR_LIMIT) {
			r->lines++;
			malformed(r, in, "line longer than 65536 bytes");
		} else if (st == LF_ERR_CORRUPT) {
			msg_error("'%s': damaged gzip after line %" PRIu64 ": %s", input_name(in),
				  input_line_no(in), input_error(in));
			raise_exit(r, EXIT_INPUT);
			return;
		} else if (st == LF_ERR_IO) {
			msg_error("cannot read '%s': %s", input_name(in), strerror(errno));
			raise_exit(r, EXIT_INPUT);
			return;
		} else {
			return; /* LF_EOF */
		}
	}
}

static void read_input(struct run *r, const char *path)
{
	struct input *in;
	if (input_open(&in, path) != LF_OK) {
		msg_error("cannot open '%s': %s", path, strerror(errno));
		raise_exit(r, EXIT_INPUT);
		return;
	}
	if (detect_format(r, in))
		read_lines(r, in);
	/* path outlives the run (it is argv); input_name() does not. */
	const char *name = strcmp(path, "-") == 0 ? "(stdin)" : path;
	r->inputs[r->ninputs++] = (struct run_input){ name, input_raw_bytes(in) };
	input_close(in);
}

/* The database comes first so that it commits first: its COMMIT can fail
 * (busy, disk full) and then no CSV has been renamed into place yet. The
 * CSV commit after it is renames of files already written and synced. */
static bool open_sinks(struct run *r)
{
	char err[256] = "";
	if (r->cfg->db && db_open(&r->sinks[r->nsinks], r->cfg->db, err, sizeof(err)) == LF_OK)
		r->nsinks++;
	else if (r->cfg->db)
		goto fail;
	if (r->cfg->csv && csv_open(&r->sinks[r->nsinks], r->cfg->csv, err, sizeof(err)) == LF_OK)
		r->nsinks++;
	else if (r->cfg->csv)
		goto fail;
	return true;
fail:
	msg_error("%s", err);
	return false;
}

static enum lf_status emit_day(void *ctx, const struct day_result *d)
{
	struct run *r = ctx;
	for (int i = 0; i < r->nsinks; i++) {
		bool replaced = false;
		enum lf_status st = sink_write_day(r->sinks[i], d, &replaced);
		if (st != LF_OK) {
			msg_error("%s", sink_error(r->sinks[i]));
			return st;
		}
		if (replaced)
			msg_info("replaced day %s of site '%.*s' in '%s'", d->day, (int)d->site.n,
				 d->site.p, r->sinks[i]->where);
	}
	return LF_OK;
}

static void today_utc(char day[11])
{
	time_t now = time(NULL);
	int64_t d = (int64_t)now >= 0 ? (int64_t)now / 86400 : 0;
	day_format((int32_t)d, day);
}

/* Write the days and the runs row, then commit every sink. */
static bool write_all(struct run *r)
{
	enum lf_status st = agg_finish(&r->agg, emit_day, r);
	if (st == LF_ERR_NOMEM)
		msg_error("out of memory while computing the tables");
	if (st != LF_OK)
		return false;
	struct run_info info = { .version = LOGFOLD_VERSION, .inputs = r->inputs,
				 .ninputs = r->ninputs, .lines = r->lines,
				 .pageviews = r->pageviews, .beacon = r->beacon };
	today_utc(info.started);
	memcpy(info.skipped, r->skipped, sizeof(info.skipped));
	for (int i = 0; i < r->nsinks; i++) {
		if (sink_write_run(r->sinks[i], &info) != LF_OK ||
		    sink_commit(r->sinks[i]) != LF_OK) {
			msg_error("%s", sink_error(r->sinks[i]));
			return false;
		}
	}
	return true;
}

static double seconds_since(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

static void summary(const struct run *r, double secs)
{
	uint64_t skipped = 0;
	for (int i = 0; i < SKIP_NREASONS; i++)
		skipped += r->skipped[i];
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	msg_info("%" PRIu64 " lines, %" PRIu64 " pageviews, %" PRIu64 " skipped (malformed %" PRIu64
		 ", not_get %" PRIu64 ", status %" PRIu64 ", static %" PRIu64 ", bot %" PRIu64
		 ", other_site %" PRIu64 ", excluded %" PRIu64 "), %" PRIu64 " beacon (%" PRIu64
		 " unusable) in %.2f s, %.0f lines/s, peak RSS %.1f MiB",
		 r->lines, r->pageviews, skipped, r->skipped[SKIP_MALFORMED],
		 r->skipped[SKIP_NOT_GET], r->skipped[SKIP_STATUS], r->skipped[SKIP_STATIC],
		 r->skipped[SKIP_BOT], r->skipped[SKIP_OTHER_SITE], r->skipped[SKIP_EXCLUDED],
		 r->beacon, r->beacon_empty, secs, secs > 0 ? (double)r->lines / secs : 0.0,
		 (double)ru.ru_maxrss / 1024.0);
	if (r->agents)
		msg_info("user agents: %" PRIu64 " classified, %" PRIu64 " cache hits (cache of %d "
			 "agents, %.1f MiB)", r->agents->misses, r->agents->hits, AGENT_CACHE_ENTRIES,
			 (double)AGENT_CACHE_ENTRIES * sizeof(struct agent_entry) / 1048576.0);
	if (r->reported > REPORT_MALFORMED_MAX)
		msg_info("%d more malformed lines not listed", r->reported - REPORT_MALFORMED_MAX);
}

static bool too_many_bad(const struct run *r)
{
	return r->lines > 0 &&
	       (double)r->skipped[SKIP_MALFORMED] * 100.0 > r->cfg->max_bad * (double)r->lines;
}

/* Open the GeoIP database named or found; a missing default is a notice,
 * a named or found database that cannot be opened an error. */
static bool open_geo(struct run *r, const struct config *cfg)
{
	char err[4096 + 128];
	if (cfg->geo == GEO_OFF)
		return true;
	if (cfg->geoip)
		snprintf(r->geoip, sizeof(r->geoip), "%s", cfg->geoip);
	else if (!geo_find_default(r->geoip, sizeof(r->geoip))) {
		msg_info("no GeoIP database in /usr/share/GeoIP or /var/lib/GeoIP: "
			 "no country or region (see --geoip)");
		return true;
	}
	struct geo_config gc = { r->geoip, cfg->geo == GEO_REGION, cfg->geoip_country,
				 cfg->geoip_region };
	if (geo_open(&r->geo, &gc, err, sizeof(err)) != LF_OK) {
		msg_error("%s", err);
		return false;
	}
	return true;
}

static bool open_psl(struct run *r, const struct config *cfg)
{
	if (!cfg->referrer_domain)
		return true;
	enum lf_status st = suffix_load(&r->psl, SUFFIX_LIST_PATH);
	if (st != LF_OK) {
		msg_error("cannot read public suffix list '%s': %s", SUFFIX_LIST_PATH,
			  st == LF_ERR_IO ? strerror(errno) : lf_status_str(st));
		return false;
	}
	r->have_psl = true;
	return true;
}

/* The breakdown dimensions this run records: the referrer always (a format
 * without a referer leaves them empty), geography when a database is open. */
static unsigned run_dims(const struct run *r, const struct config *cfg)
{
	unsigned dims = cfg->dims | 1u << DIM_REFERRER | 1u << DIM_REFERRER_TYPE;
	if (r->geo)
		dims |= 1u << DIM_COUNTRY;
	if (r->geo && cfg->geo == GEO_REGION)
		dims |= 1u << DIM_REGION;
	return dims;
}

/* Load the user-agent regexes; false after saying why (exit 2). */
static bool setup_agents(struct run *r, const struct config *cfg)
{
	unsigned char key[16];
	char err[256] = "";
	if (!cfg->uap_regexes)
		return true;
	if (getrandom(key, sizeof(key), 0) != (ssize_t)sizeof(key)) {
		msg_error("cannot get a random key: %s", strerror(errno));
		return false;
	}
	r->agents = malloc(sizeof(*r->agents));
	enum lf_status st = r->agents ? agents_init(r->agents, cfg->uap_regexes, key, err, sizeof(err))
				      : LF_ERR_NOMEM;
	explicit_bzero(key, sizeof(key));
	if (st == LF_OK)
		return true;
	if (st == LF_ERR_IO)
		msg_error("cannot read '%s': %s (install the Debian package uap-core, or "
			  "give --uap-regexes PATH or --uap-regexes none)",
			  cfg->uap_regexes, strerror(errno));
	else if (st == LF_ERR_NOMEM)
		msg_error("out of memory");
	else
		msg_error("bad user-agent regexes '%s': %s", cfg->uap_regexes, err);
	free(r->agents);
	r->agents = NULL;
	r->exit = EXIT_USAGE;
	return false;
}

static enum exit_code setup(struct run *r, const struct config *cfg)
{
	unsigned char key[PARSER_KEY_BYTES];
	memset(r, 0, sizeof(*r));
	r->cfg = cfg;
	if (!open_geo(r, cfg) || !open_psl(r, cfg))
		return EXIT_USAGE;
	struct parser_config pc = {
		.format = cfg->format,
		.site = cfg->site,
		.mask_bytes = cfg->mask_bytes,
		.geo = r->geo,
		.referrer = { cfg->site_aliases, cfg->nsite_aliases, r->have_psl ? &r->psl : NULL },
		.rules = &cfg->rules,
		.sites = cfg->sites,
		.nsites = cfg->nsites,
		.site_allow = cfg->site_allow.v,
		.nsite_allow = cfg->site_allow.n,
		.beacon_path = cfg->beacon_path,
		.ntrackers = cfg->ntrackers,
		.custom = &cfg->custom,
		.json_map = &cfg->json_map,
		.use_tz = cfg->use_tz,
		.client_ip = cfg->client_ip_set ? &cfg->client_ip : NULL,
	};
	memcpy(pc.trackers, cfg->trackers, sizeof(pc.trackers));
	struct agg_config ac = { cfg->session_timeout, run_dims(r, cfg), cfg->min_visitors };
	agg_init(&r->agg, &ac);
	r->parser = calloc(1, sizeof(*r->parser));
	r->inputs = calloc((size_t)cfg->ninputs + 1, sizeof(*r->inputs));
	if (!r->parser || !r->inputs) {
		msg_error("out of memory");
		return EXIT_INPUT;
	}
	if (getrandom(key, sizeof(key), 0) != (ssize_t)sizeof(key)) {
		msg_error("cannot get a random key: %s", strerror(errno));
		return EXIT_INPUT;
	}
	if (!setup_agents(r, cfg))
		return EXIT_USAGE;
	pc.agents = r->agents;
	enum lf_status st = parser_init(r->parser, &pc, key);
	explicit_bzero(key, sizeof(key));
	if (st == LF_ERR_NOMEM)
		msg_error("out of memory");
	return st == LF_OK ? EXIT_OK : EXIT_INPUT;
}

static void teardown(struct run *r)
{
	for (int i = 0; i < r->nsinks; i++)
		sink_close(r->sinks[i]);
	if (r->parser)
		parser_release(r->parser);
	free(r->parser);
	if (r->agents)
		agents_release(r->agents);
	free(r->agents);
	free(r->inputs);
	agg_release(&r->agg);
	geo_close(r->geo);
	if (r->have_psl)
		suffix_release(&r->psl);
}

enum exit_code run_main(const struct config *cfg)
{
	struct run r;
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	enum exit_code e = setup(&r, cfg);
	if (e != EXIT_OK) {
		teardown(&r);
		return e;
	}
	if (!open_sinks(&r)) {
		teardown(&r);
		return EXIT_OUTPUT;
	}
	if (cfg->ninputs == 0)
		read_input(&r, "-");
	for (int i = 0; i < cfg->ninputs; i++)
		read_input(&r, cfg->inputs[i]);
	if (!write_all(&r)) {
		raise_exit(&r, EXIT_OUTPUT);
	} else if (too_many_bad(&r)) {
		msg_error("%.1f%% of the lines were malformed, more than --max-bad %g%%; "
			  "the good lines were written",
			  100.0 * (double)r.skipped[SKIP_MALFORMED] / (double)r.lines, cfg->max_bad);
		raise_exit(&r, EXIT_BAD_LINES);
	}
	if (r.geo && geo_errors(r.geo))
		msg_error("GeoIP database '%s' is damaged: %" PRIu64
			  " lookups failed and count as (unknown)", r.geoip, geo_errors(r.geo));
	summary(&r, seconds_since(&t0));
	e = r.exit;
	teardown(&r);
	return e;
}
