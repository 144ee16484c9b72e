/*
 * run.c - the conductor. It looks at the start of every input (sources.c:
 * format, first time, signatures, which stored point each continues) and
 * at the days the database holds (daystate.c); then it reads the inputs in
 * the order of their first times (results do not depend on it; memory
 * does), each from where its group or stored point says, writes after each
 * input the days no later input can reach, keeps the counts for the
 * summary and the runs table, and commits every sink only when everything
 * was written. Each line read goes to count.c, which counts it in the
 * log's order (and names malformed ones by file, line number and reason,
 * never by content).
 */
#include "run.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "../aggregate/agg.h"
#include "../common/civil.h"
#include "../common/grow.h"
#include "../output/csv.h"
#include "../output/db.h"
#include "../parsers/reduce/agent.h"
#include "../parsers/reduce/geo.h"
#include "../parsers/formats/fieldset.h"
#include "../parsers/input/input.h"
#include "../parsers/reduce/parser.h"
#include "../parsers/reduce/suffix.h"
#include "daystate.h"
#include "jobs.h"
#include "msg.h"
#include "privacy.h"
#include "progress.h"
#include "readers.h"
#include "run_int.h"
#include "sources.h"
#include "stop.h"
#include "writer.h"

_Static_assert(CONFIG_TRACKERS_MAX == PARSER_TRACKERS_MAX, "one limit for --tracker-path");

/* A line dated more than this past the run's clock (options_now) is from
 * the future: a server's clock gone wrong, or a forged request. A day of
 * slack covers clocks that disagree by hours and every time zone; the log's
 * times are UTC seconds, the zone already applied. */
#define FUTURE_SLACK_S 86400

static void raise_exit(struct run *r, enum exit_code e)
{
	if (e > r->exit)
		r->exit = e;
}

static enum lf_status emit_day(void *ctx, struct day_result *d);

/* After an input, no line still to come is before the next input's first
 * time (inputs are read in that order) or the latest of this one: the days
 * that close by then can be written. Only between inputs: within one, lines
 * may come in any order, and the result must not depend on it. A day's end
 * is its midnight at the offsets of the lines seen of it, and a line still
 * to come, after that time, may carry an offset further west and so belong
 * to it (two servers of a site logging in two zones, one of them read
 * later): the horizon is moved back by the widest spread of offsets seen,
 * in the inputs' first lines and in the lines counted. One offset (every
 * single-zone log): no change. */
static int64_t horizon(const struct run *r)
{
	int64_t h = r->input_max < r->horizon_next ? r->input_max : r->horizon_next;
	if (h != INT64_MIN && r->off_east > r->off_west)
		h -= (int64_t)r->off_east - r->off_west;
	return h;
}

/* Widen the offsets seen by off. */
void run_see_offset(struct run *r, int32_t off)
{
	if (off < r->off_west)
		r->off_west = off;
	if (off > r->off_east)
		r->off_east = off;
}

/* Write the days closed by the horizon and drop them from memory. */
static bool flush_closed(struct run *r)
{
	enum lf_status st = agg_flush_closed(&r->agg, horizon(r), emit_day, r);
	if (st == LF_ERR_NOMEM)
		msg_error("out of memory while computing the tables");
	return st == LF_OK;
}

/* Read src's lines, passing over those its group or its stored point says
 * were read. False when the run must stop: a signal. */
static bool read_lines(struct run *r, struct source *src, struct input *in)
{
	uint64_t skip = sources_skip(src, r->rebuild), no = 0;
	progress_file(&r->progress, in, r->lines);
	for (;;) {
		struct slice line;
		if (stop_signal())
			return false;
		if (r->lines >= r->progress.next) /* one comparison a line */
			progress_tick(&r->progress, r->lines, in);
		if (r->rd.on && no >= skip && lookahead_drained(src->la)) {
			int64_t taken = count_take_lines(r, src, in);
			if (taken < 0)
				return false;
			if (taken > 0) {
				no = input_line_no(in);
				continue;
			}
		}
		enum lf_status st = lookahead_next(src->la, in, &line, &no);
		int e = errno;
		if (st != LF_OK && st != LF_ERR_LIMIT && stop_signal())
			return false; /* a read ended by the signal (ECANCELED) */
		if ((st == LF_OK || st == LF_ERR_LIMIT) && no <= skip) {
			r->passed++;
			if (st == LF_OK)
				parser_pass(r->parser, line);
			continue;
		}
		if (st == LF_OK || st == LF_ERR_LIMIT) {
			if (!count_take_line(r, src, line, no, st == LF_ERR_LIMIT))
				return false;
			continue;
		}
		/* the end of the input: its last lines counted before any message */
		if (r->rd.on) {
			jobs_submit(&r->rd.jobs);
			count_chunks(r, src, true);
			if (r->nomem)
				return false;
		}
		if (st == LF_ERR_CORRUPT) {
			msg_error("'%s': damaged %s after line %" PRIu64 ": %s", src->name,
				  input_codec_name(in), no, input_error(in));
			raise_exit(r, EXIT_INPUT);
			break;
		} else if (st == LF_ERR_FORMAT) { /* a compression not read */
			msg_error("'%s': %s", src->name, input_error(in));
			raise_exit(r, EXIT_INPUT);
			break;
		} else if (st == LF_ERR_IO) {
			msg_error("cannot read '%s': %s", src->name, strerror(e));
			raise_exit(r, EXIT_INPUT);
			break;
		} else {
			break; /* LF_EOF */
		}
	}
	src->lines = no;
	return true;
}

/* The input held open since the look, or the file opened again. */
static struct input *open_input(struct run *r, struct source *src)
{
	struct input *in = src->held;
	src->held = NULL;
	if (!in && input_open_cancel(&in, src->path, stop_fd()) != LF_OK) {
		if (stop_signal())
			return NULL;
		msg_error("cannot open '%s': %s", src->path, strerror(errno));
		raise_exit(r, EXIT_INPUT);
		return NULL;
	}
	return in;
}

/* Once every input of src's group is read: what the group was, and for a
 * truncated one, its open days held back (its point stays as it was). */
static void settle_group(struct run *r, struct source *g)
{
	if (!g->from || r->rebuild)
		return;
	switch (resume_classify(g->from, g->reached)) {
	case RESUME_SAME:
		msg_info("'%s': read before, nothing new", g->name);
		break;
	case RESUME_TRUNCATED:
		msg_info("'%s' has %" PRIu64 " lines, %" PRIu64 " when read before: the same "
			 "log, cut short", g->name, g->reached, g->from->reached_line);
		g->truncated = true;
		for (size_t i = 0; i < g->from->nopen; i++)
			daystate_withhold(&r->days, g->from->open[i].site, g->from->open[i].day,
					  g->name, true);
		break;
	default:
		break;
	}
}

/* False when the run must stop. */
static bool read_source(struct run *r, struct source *src)
{
	struct source *g = src->group;
	if (!src->ok || src->twice)
		return true;
	struct input *in = open_input(r, src);
	if (!in)
		return true;
	r->input_max = INT64_MIN;
	bool go_on = read_lines(r, src, in);
	input_close(in);
	lookahead_free(src->la);
	src->la = NULL;
	if (!go_on)
		return false;
	g->read_any = true;
	if (src->lines > g->reached)
		g->reached = src->lines;
	if (++g->members_read == g->members)
		settle_group(r, g);
	return flush_closed(r);
}

/* ---- looking at the inputs before reading them ------------------------ */

static int cmp_first_time(const void *x, const void *y)
{
	const struct source *a = *(struct source *const *)x, *b = *(struct source *const *)y;
	if (a->start.first_time != b->start.first_time)
		return a->start.first_time < b->start.first_time ? -1 : 1;
	return (a > b) - (a < b); /* as given */
}

/* A stored input missing from this run holds an open day: held back. */
static void withhold(void *ctx, const struct resume_point *holder, const struct resume_open *d)
{
	daystate_withhold(ctx, d->site, d->day, holder->name, false);
}

/* A --rebuild writes its day from the inputs given alone: an input an
 * earlier run read that holds lines of the day, and that none of them
 * continues, is said (the day would lose its lines). */
static void warn_rebuild_missing(const struct run *r)
{
	char d[11];
	int32_t day = r->cfg->rebuild_day;
	day_format(day, d);
	for (size_t i = 0; i < r->src.npoints; i++) {
		const struct resume_point *p = &r->src.points[i];
		if (r->src.present[i] || p->first_day == RESUME_NO_DAY || day < p->first_day ||
		    day > p->last_day)
			continue;
		msg_error("warning: --rebuild %s: '%s', read by an earlier run, holds lines of "
			  "that day and is not among the inputs: the day is written without it",
			  d, p->name);
	}
}

static bool look_all(struct run *r)
{
	r->off_west = INT32_MAX;
	r->off_east = INT32_MIN;
	for (size_t i = 0; i < r->src.n; i++) {
		sources_look(&r->src, i, r->parser, r->future_after, &r->exit);
		r->order[i] = &r->src.v[i];
		if (r->src.v[i].start.first_time != INT64_MIN)
			run_see_offset(r, r->src.v[i].start.first_offset);
		if (stop_signal())
			return false;
	}
	sources_group(&r->src);
	if (!r->rebuild)
		resume_withheld(r->src.points, r->src.npoints, r->src.present, withhold, &r->days);
	else
		warn_rebuild_missing(r);
	qsort(r->order, r->src.n, sizeof(*r->order), cmp_first_time);
	return true;
}

static bool read_all(struct run *r)
{
	size_t n = r->src.n;
	for (size_t i = 0; i < n; i++) {
		r->horizon_next = INT64_MAX;
		for (size_t j = i + 1; j < n && r->horizon_next == INT64_MAX; j++)
			if (r->order[j]->ok && !r->order[j]->twice)
				r->horizon_next = r->order[j]->start.first_time;
		if (!read_source(r, r->order[i]) || stop_signal())
			return false;
	}
	for (size_t i = 0; i < n; i++)
		r->inputs[i] = (struct run_input){ r->src.v[i].name, r->src.v[i].lines };
	return true;
}

/* Mark the database as the run's shard (--shard), or check that it is; a
 * run without --shard checks that it is no shard's. The settings are those
 * that change what a shard counts: every shard of a set must share them. */
static enum lf_status claim_shard(struct run *r)
{
	const struct config *c = r->cfg;
	struct db_shard sh = { c->shard_index, c->shard_count, "" };
	if (c->shard_count)
		snprintf(sh.settings, sizeof(sh.settings),
			 "min-visitors=%u mask-bytes=%d session-timeout=%u dims=%u geo=%d "
			 "referrer-domain=%d retention=%d format=%d",
			 c->min_visitors, c->mask_bytes, c->session_timeout, c->dims, (int)c->geo,
			 (int)c->referrer_domain, c->retention, (int)c->format);
	return db_shard_claim(r->db, &sh);
}

/* The database, and the CSV directory its tables are exported to (its
 * tmp files made now, so that an output that cannot be written stops the
 * run before any input is read). */
static enum exit_code open_sinks(struct run *r)
{
	char err[256] = "";
	bool had_db = access(r->cfg->db, F_OK) == 0;
	enum lf_status st = db_open_stop(&r->sinks[r->nsinks], r->cfg->db, r->cfg->wait, stop_flag(),
					 err, sizeof(err));
	if (st != LF_OK)
		goto fail;
	r->db = r->sinks[r->nsinks++];
	if ((st = claim_shard(r)) != LF_OK) {
		msg_error("%s", sink_error(r->db));
		return st == LF_ERR_USAGE ? EXIT_USAGE : st == LF_ERR_BUSY ? EXIT_BUSY : EXIT_OUTPUT;
	}
	if (r->cfg->csv && (st = csv_open(&r->csv, r->cfg->csv, err, sizeof(err))) != LF_OK)
		goto fail;
	if (r->cfg->db_beside_csv && !had_db)
		msg_info("no --db: the tables are kept in '%s', beside '%s', whose CSV files "
			 "hold every day it keeps", r->cfg->db, r->cfg->csv);
	return EXIT_OK;
fail:
	if (stop_signal()) /* the lock wait or the schema's set-up, stopped */
		return EXIT_INTERRUPTED;
	msg_error("%s", err);
	return st == LF_ERR_BUSY ? EXIT_BUSY : EXIT_OUTPUT;
}

/* Remember that sink i replaced d's day, to say so once committed. Its
 * site stays valid to the end (the aggregator's arenas never move). */
static void note_replaced(struct run *r, int i, const struct day_result *d)
{
	if (!GROW(r->replaced, r->replaced_cap, r->nreplaced + 1, 16)) {
		r->replaced_lost++;
		return;
	}
	struct replaced_day *p = &r->replaced[r->nreplaced++];
	p->sink = i;
	p->site = d->site;
	memcpy(p->day, d->day, sizeof(p->day));
}

/* The writer thread's part: d into every sink. After a signal, nothing
 * more is written and nothing said: the run stops. */
static enum lf_status write_day(void *ctx, struct day_result *d)
{
	struct run *r = ctx;
	enum lf_status st = stop_signal() ? LF_ERR_IO : LF_OK;
	for (int i = 0; i < r->nsinks && st == LF_OK; i++) {
		bool replaced = false;
		st = sink_write_day(r->sinks[i], d, &replaced);
		if (st == LF_OK && replaced && !d->again) /* again: its own rows */
			note_replaced(r, i, d);
		else if (st != LF_OK && !stop_signal())
			msg_error("%s", sink_error(r->sinks[i]));
	}
	agg_day_free(d);
	return st;
}

/* The days that replaced stored ones, in the sinks that committed. */
static void say_replaced(const struct run *r)
{
	for (size_t i = 0; i < r->nreplaced; i++) {
		const struct replaced_day *p = &r->replaced[i];
		if (p->sink >= r->committed)
			continue;
		msg_info("replaced day %s of site '%.*s' in '%s'", p->day, (int)p->site.n,
			 p->site.p, r->sinks[p->sink]->where);
	}
	if (r->replaced_lost)
		msg_info("and %zu more days replaced (out of memory to list them)", r->replaced_lost);
}

/* d to the writer, with the settings it was computed under. */
static enum lf_status put_day(struct run *r, struct day_result *d)
{
	d->min_visitors = r->cfg->min_visitors;
	d->mask_bytes = (uint32_t)r->cfg->mask_bytes;
	/* written while the next day is computed, or the next input read; a
	 * failure (said by write_day) stops the run at the latest in write_all */
	return writer_put(&r->writer, d);
}

/* A day is written ahead unless it is held back, or may be once its
 * stored point's group is read (settle_group): such a day is written, or
 * kept as the database has it, only at the end of the input. */
static bool may_write_ahead(void *ctx, struct slice site, int32_t day)
{
	struct run *r = ctx;
	return !daystate_may_hold(&r->days, site, day);
}

static enum lf_status emit_ahead(void *ctx, struct day_result *d)
{
	if (stop_signal()) {
		agg_day_free(d);
		return LF_ERR_IO; /* stopped: nothing more is written */
	}
	return put_day(ctx, d);
}

void run_write_ahead(struct run *r)
{
	(void)agg_write_ahead(&r->agg, may_write_ahead, emit_ahead, r);
}

static enum lf_status emit_day(void *ctx, struct day_result *d)
{
	struct run *r = ctx;
	if (stop_signal()) {
		agg_day_free(d);
		return LF_ERR_IO; /* stopped: nothing more is written */
	}
	int32_t day = 0;
	(void)day_parse(d->day, strnlen(d->day, sizeof(d->day)), &day); /* ours: valid */
	if (daystate_held(&r->days, d->site, day, false)) {
		agg_day_free(d); /* kept in the database as it was */
		return LF_OK;
	}
	/* A closed day is final for the rest of this run too: a line for it
	 * that still comes is late. An open one holds resume points back. */
	if (daystate_written(&r->days, d->site, day, d->closed) != LF_OK) {
		msg_error("out of memory");
		agg_day_free(d);
		return LF_ERR_NOMEM;
	}
	if (d->ahead) { /* its rows are written as they are */
		agg_day_free(d);
		return LF_OK;
	}
	return put_day(r, d);
}

static bool stays_open(void *ctx, struct slice site, int32_t day)
{
	struct run *r = ctx;
	return daystate_stays_open(&r->days, site, day);
}

/* Store where every input read was left, and close the days the logs
 * have moved past: only what a database keeps between runs, and not for a
 * --rebuild, which reads other days only to move the clock. */
static bool save_state(struct run *r)
{
	if (!r->db || r->rebuild)
		return true;
	if (!daystate_close_stale(&r->days, r->db, r->cfg->grace))
		return false;
	if (sources_save(&r->src, r->db, stays_open, r) != LF_OK) {
		if (!stop_signal())
			msg_error("%s", sink_error(r->db)[0] ? sink_error(r->db) : "out of memory");
		return false;
	}
	return true;
}

static bool prune(struct run *r)
{
	char before[11];
	uint64_t deleted;
	if (!r->db || r->cfg->retention == RETENTION_NONE)
		return true;
	options_retention_start(r->cfg->retention, before);
	if (db_prune(r->db, before, &deleted) != LF_OK) {
		if (!stop_signal())
			msg_error("%s", sink_error(r->db));
		return false;
	}
	if (deleted)
		msg_info("deleted %" PRIu64 " rows of days before %s (--retention %d)", deleted,
			 before, r->cfg->retention);
	return true;
}

/* Write the days and the runs row, then commit every sink. */
static bool write_all(struct run *r)
{
	enum lf_status st = agg_finish(&r->agg, emit_day, r);
	if (st == LF_ERR_NOMEM)
		msg_error("out of memory while computing the tables");
	/* the sinks are the writer's until it has written every day */
	enum lf_status written = writer_drain(&r->writer);
	if (st != LF_OK || written != LF_OK || !save_state(r) || !prune(r))
		return false;
	struct run_info info = { .version = LOGFOLD_VERSION, .inputs = r->inputs,
				 .ninputs = r->src.n, .lines = r->lines,
				 .pageviews = r->pageviews, .beacon = r->beacon };
	options_today(info.started);
	memcpy(info.skipped, r->skipped, sizeof(info.skipped));
	if (sink_write_run(r->db, &info) != LF_OK)
		goto db_failed;
	/* The CSV files are written from what the transaction holds, before
	 * the commit, so that a failed write keeps nothing of the run; they
	 * replace the old ones once the database has committed. */
	if (r->csv && csv_write(r->csv, r->db) != LF_OK) {
		if (!stop_signal())
			msg_error("%s", csv_error(r->csv));
		return false;
	}
	/* The last moment a signal stops the run: once the commit has begun,
	 * the run is written. */
	if (stop_signal())
		return false;
	if (sink_commit(r->db) != LF_OK) {
		msg_error("%s", sink_error(r->db));
		return false;
	}
	r->committed++;
	say_replaced(r);
	if (db_vacuum(r->db) != LF_OK)
		msg_error("%s (the run is written: only the file's shrinking failed)",
			  sink_error(r->db));
	if (r->csv && csv_publish(r->csv) != LF_OK) {
		msg_error("%s ('%s' holds this run nonetheless: the next run writes the CSV files "
			  "again)", csv_error(r->csv), r->cfg->db);
		return false;
	}
	return true;
db_failed:
	if (!stop_signal())
		msg_error("%s", sink_error(r->db));
	return false;
}

/* Read the days and the resume points the database keeps; EXIT_USAGE
 * when a --rebuild would weaken a closed day. */
static enum exit_code load_state(struct run *r)
{
	bool refused = false;
	if (!r->db)
		return EXIT_OK;
	if (daystate_load(&r->days, r->db, r->cfg, &refused) != LF_OK ||
	    sources_load(&r->src, r->db) != LF_OK) {
		if (stop_signal())
			return EXIT_INTERRUPTED;
		msg_error("%s", sink_error(r->db)[0] ? sink_error(r->db) : "out of memory");
		return EXIT_OUTPUT;
	}
	if (refused)
		return EXIT_USAGE;
	long long v = db_schema_found(r->db);
	if (v >= 7 && v < DB_SCHEMA_LINE_RESUME) /* resume points by byte hash */
		msg_info("'%s' kept resume points of an older logfold, which the new ones replace: "
			 "every input is read from its start this once, and its lines of closed "
			 "days are not counted again", r->cfg->db);
	return EXIT_OK;
}

static double seconds_since(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

/* "malformed 1, not_get 3, ...": every skip reason, in the runs columns'
 * order, so that a new reason is in the summary with no more code. */
static void skip_counts(const struct run *r, char *buf, size_t len)
{
	size_t n = 0;
	buf[0] = '\0';
	for (int i = 0; i < SKIP_NREASONS && n < len; i++) {
		int w = snprintf(buf + n, len - n, "%s%s %" PRIu64, i ? ", " : "",
				 skip_reason_names[i], r->skipped[i]);
		if (w < 0)
			break;
		n += (size_t)w;
	}
}

static void summary(struct run *r, double secs)
{
	uint64_t skipped = 0;
	char reasons[SKIP_NREASONS * 40];
	for (int i = 0; i < SKIP_NREASONS; i++)
		skipped += r->skipped[i];
	skip_counts(r, reasons, sizeof(reasons));
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	msg_info("%" PRIu64 " lines, %" PRIu64 " pageviews, %" PRIu64 " skipped (%s), %" PRIu64
		 " beacon (%" PRIu64 " unusable) in %.2f s, %.0f lines/s, peak RSS %.1f MiB",
		 r->lines, r->pageviews, skipped, reasons, r->beacon, r->beacon_empty, secs,
		 secs > 0 ? (double)r->lines / secs : 0.0, (double)ru.ru_maxrss / 1024.0);
	if (r->passed)
		msg_info("and %" PRIu64 " lines read before (by an earlier run, or under another "
			 "name in this one), passed over: %" PRIu64 " lines in all", r->passed,
			 r->lines + r->passed);
	if (r->agents) {
		uint64_t misses = r->agents->misses, hits = r->agents->hits;
		bool threads = r->rd.on;
		readers_agent_counts(&r->rd, &misses, &hits);
		msg_info("user agents: %" PRIu64 " classified, %" PRIu64 " cache hits (cache of %d "
			 "agents, %.1f MiB%s)",
			 misses, hits, AGENT_CACHE_ENTRIES, (double)AGENT_CACHE_BYTES / 1048576.0,
			 threads ? ", one per thread and one they share" : "");
	}
	if (r->reported > REPORT_MALFORMED_MAX)
		msg_info("%d more malformed lines not listed", r->reported - REPORT_MALFORMED_MAX);
	if (r->skipped[SKIP_EXPIRED]) {
		char before[11];
		options_retention_start(r->cfg->retention, before);
		msg_info("%" PRIu64 " lines of days before %s skipped as expired (--retention %d; "
			 "'--retention none' keeps every day)", r->skipped[SKIP_EXPIRED], before,
			 r->cfg->retention);
	}
	if (r->reread)
		msg_info("%" PRIu64 " pageviews read again, already counted in closed days", r->reread);
	if (r->late_hits)
		msg_info("%" PRIu64 " late pageviews (for days already closed)", r->late_hits);
	if (r->unnamed_external)
		msg_info("%" PRIu64
			 " pageviews of site '%s' have another host as referrer: the log "
			 "names no host and --site was not given, so a link from the site's own "
			 "pages counts as external; give --site HOST (and --site-alias)",
			 r->unnamed_external, r->cfg->site);
	if (daystate_say(&r->days))
		raise_exit(r, EXIT_INPUT);
}

/* An opt-out marker whose field the format never logs never matches:
 * said once, after reading (a W3C log's #Fields line is known by then),
 * even with --quiet, as logfold privacy would refuse the settings. */
static void warn_optout(const struct run *r)
{
	char why[PRIVACY_TEXT_MAX];
	if (!privacy_optout_logged(r->cfg, parser_scanner(r->parser), why, sizeof(why)))
		msg_error("warning: %s", why);
}

/* --client-ip on a format that never logs its header picks the remote
 * address every time: said once, after reading, as warn_optout. */
static void warn_client_ip(const struct run *r)
{
	const struct client_ip_config *c = &r->cfg->client_ip;
	if (r->cfg->client_ip_set && c->mode != CLIENT_REMOTE &&
	    fieldset_logged(parser_scanner(r->parser), c->header) == FIELD_NOT_LOGGED)
		msg_error("warning: --client-ip: the format logs no %s header; every client is "
			  "the remote address",
			  c->header);
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
	int e = errno;
	explicit_bzero(key, sizeof(key));
	if (st == LF_OK)
		return true;
	if (st == LF_ERR_NOMEM || (st == LF_ERR_IO && e == ENOMEM)) /* not the file's fault */
		msg_error("out of memory while loading the user-agent regexes '%s'",
			  cfg->uap_regexes);
	else if (st == LF_ERR_IO)
		msg_error("cannot read '%s': %s (install the Debian package uap-core, or "
			  "give --uap-regexes PATH or --uap-regexes none)",
			  cfg->uap_regexes, strerror(e));
	else
		msg_error("bad user-agent regexes '%s': %s", cfg->uap_regexes, err);
	free(r->agents);
	r->agents = NULL;
	r->exit = EXIT_USAGE;
	return false;
}

/* The workers of --jobs N: parsers like pc, under the same key. */
static enum lf_status start_readers(struct run *r, const struct config *cfg,
				    const struct parser_config *pc,
				    const unsigned char key[PARSER_KEY_BYTES])
{
	char err[4096 + 256] = "";
	enum lf_status st = readers_start(&r->rd, cfg->jobs, pc, key,
					  r->agents ? cfg->uap_regexes : NULL, r->future_after, err,
					  sizeof(err));
	if (st != LF_OK && st != LF_ERR_NOMEM)
		msg_error("%s", err); /* opened once already: a file changed meanwhile */
	return st;
}

static enum exit_code setup(struct run *r, const struct config *cfg)
{
	unsigned char key[PARSER_KEY_BYTES];
	size_t n = cfg->ninputs ? (size_t)cfg->ninputs : 1;
	memset(r, 0, sizeof(*r));
	r->cfg = cfg;
	r->future_after = options_now() + FUTURE_SLACK_S;
	r->rebuild = cfg->rebuild_day != REBUILD_NONE;
	daystate_init(&r->days);
	bool have_src = sources_init(&r->src, cfg);
	if (!open_geo(r, cfg) || !open_psl(r, cfg))
		return EXIT_USAGE;
	struct parser_config pc = {
		.format = cfg->format,
		.site = cfg->site,
		.mask_bytes = cfg->mask_bytes,
		.geo = r->geo,
		.psl = r->have_psl ? &r->psl : NULL,
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
		.any_content_type = cfg->any_content_type,
		.client_ip = cfg->client_ip_set ? &cfg->client_ip : NULL,
		.shard_index = cfg->shard_index,
		.shard_count = cfg->shard_count,
		.expire_before = options_retention_day(cfg->retention),
	};
	memcpy(pc.trackers, cfg->trackers, sizeof(pc.trackers));
	struct agg_config ac = { .session_timeout = cfg->session_timeout,
				 .dims = run_dims(r, cfg),
				 .min_visitors = cfg->min_visitors,
				 .grace = cfg->grace,
				 .close_all = cfg->close_all,
				 .partial = cfg->shard_count != 0,
				 .threads = (unsigned)cfg->jobs };
	agg_init(&r->agg, &ac);
	r->inputs = calloc(n, sizeof(*r->inputs));
	r->order = calloc(n, sizeof(*r->order));
	if (!r->inputs || !have_src || !r->order) {
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
	enum lf_status st = parser_new(&r->parser, &pc, key);
	if (st == LF_OK && cfg->jobs > 1)
		st = start_readers(r, cfg, &pc, key);
	explicit_bzero(key, sizeof(key));
	if (st == LF_ERR_NOMEM)
		msg_error("out of memory");
	return st == LF_OK ? EXIT_OK : EXIT_INPUT;
}

static void teardown(struct run *r)
{
	writer_stop(&r->writer); /* days still queued are dropped: nothing commits */
	for (int i = 0; i < r->nsinks; i++)
		sink_close(r->sinks[i]);
	csv_close(r->csv);
	readers_stop(&r->rd); /* before the objects its parsers point to */
	parser_free(r->parser);
	if (r->agents)
		agents_release(r->agents);
	free(r->agents);
	free(r->inputs);
	sources_release(&r->src);
	free(r->order);
	daystate_release(&r->days);
	free(r->replaced);
	agg_release(&r->agg);
	geo_close(r->geo);
	if (r->have_psl)
		suffix_release(&r->psl);
}

/* The exit status for a run that could not be written. */
static enum exit_code write_failed(void)
{
	if (stop_signal()) {
		msg_error("stopped by signal %d: nothing written", stop_signal());
		return EXIT_INTERRUPTED;
	}
	return EXIT_OUTPUT;
}

/* The run, from its set-up to its commit. On the heap: struct run is
 * large (buffers, the aggregator, the day sets), and a small stack (a low
 * ulimit -s or -v) must not crash logfold before it can say why. */
static enum exit_code run(struct run *r, const struct config *cfg)
{
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	enum exit_code e = setup(r, cfg);
	if (e != EXIT_OK)
		return e;
	e = open_sinks(r);
	if (e == EXIT_OK)
		e = load_state(r);
	if (e != EXIT_OK)
		return e == EXIT_INTERRUPTED ? write_failed() : e;
	writer_start(&r->writer, write_day, r);
	progress_start(&r->progress, cfg->progress, cfg->quiet, r->src.n, &t0);
	bool read = look_all(r) && read_all(r);
	warn_optout(r);
	warn_client_ip(r);
	if (!read || !write_all(r)) {
		raise_exit(r, write_failed());
	} else if (too_many_bad(r)) {
		msg_error("%.1f%% of the lines were malformed, more than --max-bad %g%%; "
			  "the good lines were written",
			  100.0 * (double)r->skipped[SKIP_MALFORMED] / (double)r->lines, cfg->max_bad);
		raise_exit(r, EXIT_BAD_LINES);
	}
	if (r->geo && geo_errors(r->geo))
		msg_error("GeoIP database '%s' is damaged: %" PRIu64
			  " lookups failed and count as (unknown)", r->geoip, geo_errors(r->geo));
	progress_end(&r->progress);
	summary(r, seconds_since(&t0));
	return r->exit;
}

enum exit_code run_main(const struct config *cfg)
{
	stop_catch();
	struct run *r = calloc(1, sizeof(*r));
	if (!r) {
		msg_error("out of memory");
		return EXIT_INPUT;
	}
	enum exit_code e = run(r, cfg);
	teardown(r);
	free(r);
	return e;
}
