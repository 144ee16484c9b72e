/*
 * run.c - the driver. First it looks at the start of every input (format,
 * fingerprint, first time) and at what the database kept: the closed days
 * and where each input known by its fingerprint was left. Then it reads the
 * inputs in the order of their first times (results do not depend on it;
 * memory does), each from its resume point, writes after each input the
 * days no later input can reach, keeps the counts for the summary and the
 * runs table, and commits every sink only when everything was written.
 * It reports malformed lines by file, line number and reason, never by
 * content.
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

#include "../aggregate/agg.h"
#include "../common/civil.h"
#include "../common/siphash.h"
#include "../output/csv.h"
#include "../output/db.h"
#include "../parsers/reduce/geo.h"
#include "../parsers/input/input.h"
#include "../parsers/reduce/parser.h"
#include "../parsers/reduce/suffix.h"
#include "dayset.h"
#include "msg.h"
#include "writer.h"

_Static_assert(CONFIG_TRACKERS_MAX == PARSER_TRACKERS_MAX, "one limit for --tracker-path");

/* Malformed lines named one by one in the summary; the rest are counted. */
#define REPORT_MALFORMED_MAX 5

/* The fingerprint covers the first 4 KiB of the decompressed input (less
 * when the input is shorter; it is then matched by its own length): some
 * twenty log lines, whose times and addresses no other file shares. */
#define FP_BYTES 4096

/* Days with late lines named one by one; the rest are counted. */
#define REPORT_LATE_MAX 10

/* The first line of each day in an input: where a later run must start
 * reading again while that day is open. */
struct day_start {
	int32_t day;
	uint64_t offset, line;
};

/* One input, from the look at its start to its resume point. */
struct source {
	const char *path;
	struct input *held;   /* stdin: kept open from the look */
	bool ok;              /* opened and its format known */
	const struct source *same; /* an earlier input with the same start */
	int64_t first_time;   /* of its first line with a time; INT64_MIN: none */
	uint32_t start_n;     /* bytes fingerprinted: min(FP_BYTES, length) */
	const struct resume_point *from; /* where the last run left it, or NULL */
	struct resume_point now;
	struct day_start *days;
	size_t ndays, days_cap, last;
	bool days_lost;       /* out of memory in note_day: days unknown */
	uint64_t raw_bytes;
};

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
	struct writer writer;  /* writes the days emitted to the sinks */
	struct sink *db;       /* sinks[0] when there is a database */
	struct run_input *inputs;
	size_t ninputs;
	struct source *src;
	struct source **order; /* by first time */
	struct resume_point *points;
	size_t npoints;
	struct dayset closed;  /* days not to count again */
	struct dayset open;    /* days written open (site '': any site) */
	struct dayset late;
	int64_t horizon_next;  /* first time of the next input to read */
	int64_t input_max;     /* latest pageview of the input being read */
	uint64_t lines, pageviews, reread, late_hits, skipped[SKIP_NREASONS];
	uint64_t beacon, beacon_empty; /* beacon requests; of them, with nothing usable */
	int reported;
	enum exit_code exit;
};

/* SIGINT and SIGTERM set this; the run then stops before its commit. */
static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
	stop_signal = sig;
}

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

/* Remember where day starts in src, the first time it is seen there. */
static void note_day(struct source *src, int32_t day, uint64_t offset, uint64_t line)
{
	if (src->last < src->ndays && src->days[src->last].day == day)
		return;
	for (size_t i = 0; i < src->ndays; i++)
		if (src->days[i].day == day) {
			src->last = i;
			return;
		}
	if (src->ndays == src->days_cap) {
		size_t cap = src->days_cap ? src->days_cap * 2 : 8;
		struct day_start *d = realloc(src->days, cap * sizeof(*d));
		if (!d) {
			src->days_lost = true; /* settle() then keeps the old point */
			return;
		}
		src->days = d;
		src->days_cap = cap;
	}
	src->last = src->ndays;
	src->days[src->ndays++] = (struct day_start){ day, offset, line };
}

/* A pageview or event of a day already written and closed: counted then
 * if the last run read this line already, else late. */
static void closed_day_hit(struct run *r, struct source *src, const struct hit *h,
			   uint64_t offset)
{
	if (src->from && offset < src->from->reached_offset) {
		r->reread++;
		return;
	}
	r->late_hits++;
	if (dayset_add(&r->late, h->site, h->day) != LF_OK)
		msg_error("out of memory for the list of late days");
}

/* Whether h (a pageview or an event) is to be counted: not for a day
 * already closed, nor, in a --rebuild, for another day. A counted hit's day
 * is noted for the resume point of src. */
static bool take_day(struct run *r, struct source *src, struct input *in, const struct hit *h,
		     uint64_t offset)
{
	agg_see_time(&r->agg, h->time); /* a line of any day moves the clock */
	if (r->cfg->rebuild_day != REBUILD_NONE) {
		if (h->day != r->cfg->rebuild_day)
			return false;
	} else if (dayset_has(&r->closed, h->site, h->day)) {
		closed_day_hit(r, src, h, offset);
		return false;
	}
	note_day(src, h->day, offset, input_line_no(in) - 1);
	if (h->time > r->input_max)
		r->input_max = h->time;
	return true;
}

static void count_line(struct run *r, struct source *src, struct input *in, struct slice line,
		       uint64_t offset)
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
		if (hit.kind == HIT_NOTHING)
			r->beacon_empty++;
		else if (take_day(r, src, in, &hit, offset) && agg_add(&r->agg, &hit) != LF_OK)
			r->beacon_empty++;
	} else if (s == SKIP_BOT) {
		r->skipped[s]++;
		if (agg_add_bot(&r->agg, &hit) != LF_OK)
			malformed(r, in, "out of memory for this robot request");
	} else if (s != PARSE_PAGEVIEW) {
		r->skipped[s]++;
	} else if (!take_day(r, src, in, &hit, offset)) {
		/* closed or, in a --rebuild, another day */
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

static enum lf_status emit_day(void *ctx, struct day_result *d);

/* After an input, no line still to come is before the next input's first
 * time (inputs are read in that order) or the latest of this one: the days
 * that close by then can be written. Only between inputs: within one, lines
 * may come in any order, and the result must not depend on it. */
static int64_t horizon(const struct run *r)
{
	return r->input_max < r->horizon_next ? r->input_max : r->horizon_next;
}

/* Write the days closed by the horizon and drop them from memory. */
static bool flush_closed(struct run *r)
{
	enum lf_status st = agg_flush_closed(&r->agg, horizon(r), emit_day, r);
	if (st == LF_ERR_NOMEM)
		msg_error("out of memory while computing the tables");
	return st == LF_OK;
}

/* False when the run must stop: a signal, or a write that failed. */
static bool read_lines(struct run *r, struct source *src, struct input *in)
{
	struct slice line;
	uint64_t offset = input_offset(in);
	for (;;) {
		if (stop_signal)
			return false;
		enum lf_status st = input_next(in, &line);
		if (st == LF_OK) {
			r->lines++;
			count_line(r, src, in, line, offset);
			offset = input_offset(in);
		} else if (st == LF_ERR_LIMIT) {
			r->lines++;
			malformed(r, in, "line longer than 65536 bytes");
		} else if (st == LF_ERR_CORRUPT) {
			msg_error("'%s': damaged %s after line %" PRIu64 ": %s", input_name(in),
				  input_codec_name(in), input_line_no(in), input_error(in));
			raise_exit(r, EXIT_INPUT);
			break;
		} else if (st == LF_ERR_FORMAT) { /* a compression not read */
			msg_error("'%s': %s", input_name(in), input_error(in));
			raise_exit(r, EXIT_INPUT);
			break;
		} else if (st == LF_ERR_IO) {
			msg_error("cannot read '%s': %s", input_name(in), strerror(errno));
			raise_exit(r, EXIT_INPUT);
			break;
		} else {
			break; /* LF_EOF */
		}
	}
	src->now.reached_offset = input_offset(in);
	src->now.reached_line = input_line_no(in);
	return true;
}

static struct input *open_input(struct run *r, struct source *src)
{
	struct input *in = src->held;
	src->held = NULL;
	if (!in && input_open(&in, src->path) != LF_OK) {
		msg_error("cannot open '%s': %s", src->path, strerror(errno));
		raise_exit(r, EXIT_INPUT);
		return NULL;
	}
	return in;
}

/* Move in to where the last run left src; false when it holds nothing new. */
static bool resume(struct run *r, struct source *src, struct input *in)
{
	const struct resume_point *p = src->from;
	if (!p || r->cfg->rebuild_day != REBUILD_NONE)
		return true;
	if (p->closed_offset == p->reached_offset && input_at_end(in, p->reached_offset)) {
		msg_info("'%s': read before, nothing new", src->path);
		return false;
	}
	if (input_skip_to(in, p->closed_offset, p->closed_line) == LF_EOF) {
		msg_info("'%s': shorter than when read before; nothing new", src->path);
		return false;
	}
	return true;
}

/* False when the run must stop. */
static bool read_source(struct run *r, struct source *src)
{
	bool go_on = true;
	src->now.reached_offset = src->now.closed_offset = 0;
	if (src->from)
		src->now = *src->from;
	if (!src->ok || src->same)
		return true;
	struct input *in = open_input(r, src);
	if (!in)
		return true;
	r->input_max = INT64_MIN;
	if (detect_format(r, in) && resume(r, src, in))
		go_on = read_lines(r, src, in) && flush_closed(r);
	src->raw_bytes = input_raw_bytes(in);
	input_close(in);
	return go_on;
}

/* ---- looking at the inputs before reading them ------------------------ */

/* SipHash under a fixed key (a checksum, not a secret) of the first n bytes
 * and the --site name: the same file read for another site is another
 * input. */
static uint64_t fingerprint(const struct run *r, const char *p, uint32_t n)
{
	static const unsigned char zero_key[16];
	struct siphash h;
	siphash_init(&h, zero_key);
	siphash_update(&h, r->cfg->site, strlen(r->cfg->site) + 1);
	siphash_update(&h, p, n);
	return siphash_final(&h);
}

/* Does start (of src) begin with the n bytes whose fingerprint is fp? */
static bool starts_with(const struct run *r, const struct source *src, const char *start,
			uint32_t n, uint64_t fp)
{
	if (n == 0 || n > src->start_n)
		return false;
	return (n == src->start_n ? src->now.fingerprint : fingerprint(r, start, n)) == fp;
}

/* The stored point of the input whose start src shows, the longest match. */
static const struct resume_point *find_point(const struct run *r, const struct source *src,
					     const char *start)
{
	const struct resume_point *best = NULL;
	for (size_t i = 0; i < r->npoints; i++) {
		const struct resume_point *p = &r->points[i];
		if ((!best || p->fp_bytes > best->fp_bytes) &&
		    starts_with(r, src, start, p->fp_bytes, p->fingerprint))
			best = p;
	}
	return best;
}

/* An earlier input with the same start (one is a copy, or an older state,
 * of the other): the input is read once, the first time it is named. Only
 * fingerprints are kept of the earlier ones (4 KiB each would add up over a
 * long backfill), so a file under 4 KiB named after a longer copy of itself
 * is not recognised: it is read too. */
static void find_same(struct run *r, size_t i, const char *start)
{
	struct source *s = &r->src[i];
	for (size_t j = 0; j < i; j++) {
		const struct source *t = &r->src[j];
		if (!t->ok || t->same || !starts_with(r, s, start, t->start_n, t->now.fingerprint))
			continue;
		msg_info("'%s' holds the same log as '%s': read once", s->path, t->path);
		s->same = t;
		return;
	}
}

/* The time of the first line of start that has one. */
static int64_t first_time(const struct run *r, struct slice start)
{
	while (start.n) {
		const char *nl = memchr(start.p, '\n', start.n);
		size_t n = nl ? (size_t)(nl - start.p) : start.n;
		int64_t t;
		if (nl && parser_line_time(r->parser, slice_make(start.p, n), &t))
			return t;
		if (!nl)
			break;
		start = slice_make(nl + 1, start.n - n - 1);
	}
	return INT64_MIN;
}

static void look(struct run *r, size_t i)
{
	struct source *src = &r->src[i];
	struct input *in;
	struct slice start;
	src->first_time = INT64_MIN;
	if (input_open(&in, src->path) != LF_OK) {
		msg_error("cannot open '%s': %s", src->path, strerror(errno));
		raise_exit(r, EXIT_INPUT);
		return;
	}
	src->ok = detect_format(r, in) && input_peek(in, &start) == LF_OK;
	if (src->ok) {
		src->start_n = (uint32_t)(start.n < FP_BYTES ? start.n : FP_BYTES);
		src->first_time = first_time(r, start);
		src->now.fingerprint = fingerprint(r, start.p, src->start_n);
		src->now.fp_bytes = src->start_n;
		src->from = find_point(r, src, start.p);
		find_same(r, i, start.p);
	}
	if (strcmp(src->path, "-") == 0)
		src->held = in;
	else
		input_close(in);
}

static int cmp_first_time(const void *x, const void *y)
{
	const struct source *a = *(struct source *const *)x, *b = *(struct source *const *)y;
	if (a->first_time != b->first_time)
		return a->first_time < b->first_time ? -1 : 1;
	return (a > b) - (a < b); /* as given */
}

static bool look_all(struct run *r)
{
	size_t n = r->ninputs;
	for (size_t i = 0; i < n; i++) {
		look(r, i);
		r->order[i] = &r->src[i];
	}
	qsort(r->order, n, sizeof(*r->order), cmp_first_time);
	return true;
}

static bool read_all(struct run *r)
{
	for (size_t i = 0; i < r->ninputs; i++) {
		r->horizon_next = INT64_MAX;
		for (size_t j = i + 1; j < r->ninputs && r->horizon_next == INT64_MAX; j++)
			if (r->order[j]->ok && !r->order[j]->same)
				r->horizon_next = r->order[j]->first_time;
		if (!read_source(r, r->order[i]))
			return false;
	}
	for (size_t i = 0; i < r->ninputs; i++) {
		const struct source *src = &r->src[i];
		r->inputs[i] = (struct run_input){ strcmp(src->path, "-") == 0 ? "(stdin)" : src->path,
						   src->raw_bytes };
	}
	return true;
}

/* The database comes first so that it commits first: its COMMIT can fail
 * (busy, disk full) and then no CSV has been renamed into place yet. The
 * CSV commit after it is renames of files already written and synced. */
static enum exit_code open_sinks(struct run *r)
{
	char err[256] = "";
	enum lf_status st = LF_OK;
	if (r->cfg->db) {
		st = db_open(&r->sinks[r->nsinks], r->cfg->db, r->cfg->wait, err, sizeof(err));
		if (st != LF_OK)
			goto fail;
		r->db = r->sinks[r->nsinks++];
	}
	if (r->cfg->csv && csv_open(&r->sinks[r->nsinks], r->cfg->csv, err, sizeof(err)) == LF_OK)
		r->nsinks++;
	else if (r->cfg->csv)
		goto fail;
	return EXIT_OK;
fail:
	msg_error("%s", err);
	return st == LF_ERR_BUSY ? EXIT_BUSY : EXIT_OUTPUT;
}

/* The writer thread's part: d into every sink. */
static enum lf_status write_day(void *ctx, struct day_result *d)
{
	struct run *r = ctx;
	enum lf_status st = LF_OK;
	for (int i = 0; i < r->nsinks && st == LF_OK; i++) {
		bool replaced = false;
		st = sink_write_day(r->sinks[i], d, &replaced);
		if (st != LF_OK)
			msg_error("%s", sink_error(r->sinks[i]));
		else if (replaced)
			msg_info("replaced day %s of site '%.*s' in '%s'", d->day, (int)d->site.n,
				 d->site.p, r->sinks[i]->where);
	}
	agg_day_free(d);
	return st;
}

static enum lf_status emit_day(void *ctx, struct day_result *d)
{
	struct run *r = ctx;
	/* A closed day is final for the rest of this run too: a line for it
	 * that still comes is late. An open one holds resume points back. */
	int32_t day = 0;
	(void)day_parse(d->day, strnlen(d->day, sizeof(d->day)), &day); /* ours: valid */
	enum lf_status st = d->closed ? dayset_add(&r->closed, d->site, day)
				      : dayset_add(&r->open, slice_make("", 0), day);
	if (st != LF_OK) {
		msg_error("out of memory");
		agg_day_free(d);
		return st;
	}
	/* written while the next day is computed, or the next input read; a
	 * failure (said by write_day) stops the run at the latest in write_all */
	return writer_put(&r->writer, d);
}

/* The new resume point of src: everything before the first line of a day
 * left open is final; without one, everything read is. */
static void settle(struct run *r, struct source *src)
{
	src->now.closed_offset = src->now.reached_offset;
	src->now.closed_line = src->now.reached_line;
	if (src->days_lost) { /* some day may be open: read it all again */
		src->now.closed_offset = src->from ? src->from->closed_offset : 0;
		src->now.closed_line = src->from ? src->from->closed_line : 0;
	}
	for (size_t i = 0; i < src->ndays; i++) {
		const struct day_start *d = &src->days[i];
		if (d->offset < src->now.closed_offset &&
		    dayset_has(&r->open, slice_make("", 0), d->day)) {
			src->now.closed_offset = d->offset;
			src->now.closed_line = d->line;
		}
	}
}

/* Store where every input read was left: only what a database keeps
 * between runs, and not for a --rebuild, which reads other days only to
 * move the clock. */
static bool save_points(struct run *r)
{
	if (!r->db || r->cfg->rebuild_day != REBUILD_NONE)
		return true;
	for (size_t i = 0; i < r->ninputs; i++) {
		struct source *src = &r->src[i];
		if (!src->ok || src->same || !src->start_n)
			continue;
		settle(r, src);
		const struct resume_point *a = src->from, *b = &src->now;
		if (a && a->fingerprint == b->fingerprint && a->fp_bytes == b->fp_bytes &&
		    a->closed_offset == b->closed_offset && a->reached_offset == b->reached_offset &&
		    a->closed_line == b->closed_line && a->reached_line == b->reached_line)
			continue; /* nothing new */
		if (db_put_resume(r->db, src->from, &src->now) != LF_OK) {
			msg_error("%s", sink_error(r->db));
			return false;
		}
	}
	return true;
}

static bool prune(struct run *r)
{
	char before[11];
	uint64_t deleted;
	if (!r->db)
		return true;
	options_retention_start(r->cfg->retention, before);
	if (db_prune(r->db, before, &deleted) != LF_OK) {
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
	if (st != LF_OK || written != LF_OK || !save_points(r) || !prune(r))
		return false;
	struct run_info info = { .version = LOGFOLD_VERSION, .inputs = r->inputs,
				 .ninputs = r->ninputs, .lines = r->lines,
				 .pageviews = r->pageviews, .beacon = r->beacon };
	options_today(info.started);
	memcpy(info.skipped, r->skipped, sizeof(info.skipped));
	for (int i = 0; i < r->nsinks; i++) {
		if (stop_signal || sink_write_run(r->sinks[i], &info) != LF_OK ||
		    sink_commit(r->sinks[i]) != LF_OK) {
			if (!stop_signal)
				msg_error("%s", sink_error(r->sinks[i]));
			return false;
		}
	}
	return true;
}

/* Read the closed days and the resume points the database keeps. */
static enum lf_status add_closed(void *ctx, struct slice site, struct slice day)
{
	struct run *r = ctx;
	int32_t d;
	return day_parse(day.p, day.n, &d) ? dayset_add(&r->closed, site, d) : LF_OK;
}

static bool load_state(struct run *r)
{
	if (!r->db)
		return true;
	if (db_closed_days(r->db, add_closed, r) != LF_OK ||
	    db_resume_points(r->db, &r->points, &r->npoints) != LF_OK) {
		msg_error("%s", sink_error(r->db)[0] ? sink_error(r->db) : "out of memory");
		return false;
	}
	return true;
}

static void say_late(void *ctx, struct slice site, int32_t day)
{
	int *said = ctx;
	char d[11];
	if ((*said)++ >= REPORT_LATE_MAX)
		return;
	day_format(day, d);
	msg_info("late lines for day %s of site '%.*s', closed before: not counted; to count "
		 "them, run again with --rebuild %s and every file that holds that day",
		 d, (int)site.n, site.p, d);
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

static void summary(const struct run *r, double secs)
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
	if (r->agents)
		msg_info("user agents: %" PRIu64 " classified, %" PRIu64 " cache hits (cache of %d "
			 "agents, %.1f MiB)", r->agents->misses, r->agents->hits, AGENT_CACHE_ENTRIES,
			 (double)AGENT_CACHE_ENTRIES * sizeof(struct agent_entry) / 1048576.0);
	if (r->reported > REPORT_MALFORMED_MAX)
		msg_info("%d more malformed lines not listed", r->reported - REPORT_MALFORMED_MAX);
	if (r->reread)
		msg_info("%" PRIu64 " pageviews read again, already counted in closed days", r->reread);
	if (r->late_hits) {
		int said = 0;
		msg_info("%" PRIu64 " late pageviews (for days already closed)", r->late_hits);
		dayset_each(&r->late, say_late, &said);
		if (said > REPORT_LATE_MAX)
			msg_info("%d more days with late lines not listed", said - REPORT_LATE_MAX);
	}
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
	size_t n = cfg->ninputs ? (size_t)cfg->ninputs : 1;
	memset(r, 0, sizeof(*r));
	r->cfg = cfg;
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
		.client_ip = cfg->client_ip_set ? &cfg->client_ip : NULL,
	};
	memcpy(pc.trackers, cfg->trackers, sizeof(pc.trackers));
	struct agg_config ac = { cfg->session_timeout, run_dims(r, cfg), cfg->min_visitors,
				 cfg->grace, cfg->close_all };
	agg_init(&r->agg, &ac);
	dayset_init(&r->closed);
	dayset_init(&r->open);
	dayset_init(&r->late);
	r->ninputs = n;
	r->parser = calloc(1, sizeof(*r->parser));
	r->inputs = calloc(n, sizeof(*r->inputs));
	r->src = calloc(n, sizeof(*r->src));
	r->order = calloc(n, sizeof(*r->order));
	if (!r->parser || !r->inputs || !r->src || !r->order) {
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
	for (size_t i = 0; i < n; i++)
		r->src[i].path = cfg->ninputs ? cfg->inputs[i] : "-";
	return st == LF_OK ? EXIT_OK : EXIT_INPUT;
}

/* SIGINT and SIGTERM stop the run where it is; nothing is committed. */
static void catch_signals(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

static void teardown(struct run *r)
{
	writer_stop(&r->writer); /* days still queued are dropped: nothing commits */
	for (int i = 0; i < r->nsinks; i++)
		sink_close(r->sinks[i]);
	if (r->parser)
		parser_release(r->parser);
	free(r->parser);
	if (r->agents)
		agents_release(r->agents);
	free(r->agents);
	free(r->inputs);
	if (r->src)
		for (size_t i = 0; i < r->ninputs; i++) {
			input_close(r->src[i].held);
			free(r->src[i].days);
		}
	free(r->src);
	free(r->order);
	free(r->points);
	dayset_release(&r->closed);
	dayset_release(&r->open);
	dayset_release(&r->late);
	agg_release(&r->agg);
	geo_close(r->geo);
	if (r->have_psl)
		suffix_release(&r->psl);
}

/* The exit status for a run that could not be written. */
static enum exit_code write_failed(void)
{
	if (stop_signal) {
		msg_error("stopped by signal %d: nothing written", (int)stop_signal);
		return EXIT_INTERRUPTED;
	}
	return EXIT_OUTPUT;
}

enum exit_code run_main(const struct config *cfg)
{
	struct run r;
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	catch_signals();
	enum exit_code e = setup(&r, cfg);
	if (e != EXIT_OK) {
		teardown(&r);
		return e;
	}
	e = open_sinks(&r);
	if (e != EXIT_OK || !load_state(&r)) {
		teardown(&r);
		return e != EXIT_OK ? e : EXIT_OUTPUT;
	}
	writer_start(&r.writer, write_day, &r);
	if (!look_all(&r) || !read_all(&r) || !write_all(&r)) {
		raise_exit(&r, write_failed());
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
