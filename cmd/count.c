/*
 * count.c - a run's lines counted, in the log's order whatever thread
 * parsed them: each line's outcome (a pageview, a beacon event, a robot's
 * request, a reason to skip) goes to the aggregator or the counts, its day
 * checked against the days the run may touch (closed, held back, another
 * shard's, --rebuild's), the clock moved, malformed and future lines
 * named by file and line number (never by content). With --jobs the lines
 * are queued in chunks for the workers (jobs.c) and their results counted
 * here, chunk by chunk, in seq order.
 */
#include <inttypes.h>

#include "../common/civil.h"
#include "../parsers/formats/logformat.h"
#include "../parsers/reduce/geo.h"
#include "jobs.h"
#include "msg.h"
#include "run_int.h"

static void malformed(struct run *r, const struct source *src, uint64_t line_no, const char *why)
{
	r->skipped[SKIP_MALFORMED]++;
	if (r->reported++ < REPORT_MALFORMED_MAX)
		msg_info("%s:%" PRIu64 ": malformed: %s", src->name, line_no, why);
}

/* A pageview or event of a day already written and closed: counted then
 * if the last run read this line already, else late. */
static void closed_day_hit(struct run *r, const struct source *src, struct slice site, int32_t day,
			   uint64_t line_no)
{
	const struct resume_point *from = src->group->from;
	if (from && line_no <= from->reached_line) {
		r->reread++;
		return;
	}
	r->late_hits++;
	if (dayset_add(&r->days.late, site, day) != LF_OK)
		msg_error("out of memory for the list of late days");
}

/* Whether a line of (site, day) counts: not for a day closed, nor one held
 * back, nor in a --rebuild for another day (page: a pageview or an event,
 * which may be late or held; else a robot's request). Its day is noted for
 * the resume point of src. */
static bool day_counts(struct run *r, struct source *src, struct slice site, int32_t day,
		       uint64_t line_no, bool page)
{
	if (r->rebuild)
		return day == r->cfg->rebuild_day;
	if (dayset_has(&r->days.closed, site, day)) {
		sources_note(&r->src, src, site, day, line_no, false);
		if (page)
			closed_day_hit(r, src, site, day, line_no);
		return false;
	}
	sources_note(&r->src, src, site, day, line_no, true);
	return !daystate_held(&r->days, site, day, page);
}

/* Whether pageview or event h counts (day_counts); the clock moves anyway. */
static bool take_day(struct run *r, struct source *src, const struct hit *h, uint64_t line_no)
{
	agg_see_time(&r->agg, h->time); /* a line of any day moves the clock */
	daystate_see(&r->days, h->site, h->time, h->utc_offset);
	run_see_offset(r, h->utc_offset);
	if (!day_counts(r, src, h->site, h->day, line_no, true))
		return false;
	if (h->time > r->input_max)
		r->input_max = h->time;
	return true;
}

/* A line that would be counted (a pageview, a beacon request, a robot's)
 * but is dated after r->future_after: skipped as SKIP_FUTURE, so that it
 * moves no clock, closes no day and writes no row (jobs.c decides alike). */
static bool from_future(const struct run *r, int s, const struct hit *h)
{
	return (s == PARSE_PAGEVIEW || s == PARSE_BEACON || s == SKIP_BOT) &&
	       h->time > r->future_after;
}

/* The first line from the future is named. */
static void say_future(const struct run *r, const struct source *src, uint64_t line_no)
{
	char day[11];
	int64_t sec = r->future_after % 86400;
	if (r->skipped[SKIP_FUTURE])
		return;
	day_format((int32_t)(r->future_after / 86400), day);
	msg_info("%s:%" PRIu64 ": future: dated after %s %02d:%02d UTC, more than a day past the "
		 "run's clock; not counted, nor any later line so dated",
		 src->name, line_no, day, (int)(sec / 3600), (int)(sec / 60 % 60));
}

/* Memory ran out for a pageview or a robot request: the tables would be
 * short of it, so the run stops (read_lines) and writes nothing, rather
 * than store days that look complete and are not. Never "malformed": the
 * line is not at fault. */
static void out_of_memory(struct run *r, const struct source *src, uint64_t line_no)
{
	if (!r->nomem)
		msg_error("out of memory while counting line %" PRIu64 " of '%s'", line_no,
			  src->name);
	r->nomem = true;
}

/* A pageview or beacon event: counted, or, another shard's visitor's
 * (--shard), only its day made, so that every shard writes the same days. */
static enum lf_status count_hit(struct run *r, const struct hit *h)
{
	return h->elsewhere ? agg_touch(&r->agg, h, false) : agg_add(&r->agg, h);
}

/* A robot request: robots are no visitors, so shard 0 of a --shard run
 * counts them all and the others only make their days. */
static enum lf_status count_bot(struct run *r, const struct hit *h)
{
	return r->cfg->shard_count && r->cfg->shard_index != 0 ? agg_touch(&r->agg, h, true)
							       : agg_add_bot(&r->agg, h);
}

/* Count line line_no of src, which the parser made s of (with hit and
 * why), in the log's order whatever thread parsed it. */
static void count_parsed(struct run *r, struct source *src, int s, const struct hit *h,
			 const char *why, uint64_t line_no)
{
	if (s == SKIP_FUTURE)
		say_future(r, src, line_no);
	if (s == JOBS_TOO_LONG) {
		malformed(r, src, line_no, "line longer than 65536 bytes");
	} else if (s == PARSE_OPTOUT) {
		/* opted out: as if the line were not in the log */
		r->lines--;
	} else if (s == SKIP_MALFORMED) {
		malformed(r, src, line_no, why);
	} else if (s == PARSE_BEACON) {
		/* Counted whether or not it carried anything usable: a beacon
		 * request is traffic the site asked for, never a broken line.
		 * Memory running out for one event loses only that event. */
		r->beacon++;
		if (h->kind == HIT_NOTHING)
			r->beacon_empty++;
		else if (take_day(r, src, h, line_no) && count_hit(r, h) != LF_OK)
			r->beacon_empty++;
	} else if (s == SKIP_BOT) {
		/* a robot's request of a closed (or another) day would write that
		 * day again with its robots only */
		r->skipped[s]++;
		if (day_counts(r, src, h->site, h->day, line_no, false) && count_bot(r, h) != LF_OK)
			out_of_memory(r, src, line_no);
	} else if (s != PARSE_PAGEVIEW) {
		r->skipped[s]++;
	} else if (!take_day(r, src, h, line_no)) {
		/* closed, held back or, in a --rebuild, another day */
	} else if (count_hit(r, h) != LF_OK) {
		out_of_memory(r, src, line_no);
	} else if (!h->elsewhere) {
		r->pageviews++;
		/* no --site and no host in the log: no referrer can be internal */
		if (!r->cfg->site_given && slice_eq_cstr(h->site, r->cfg->site) &&
		    slice_eq_cstr(h->dim[DIM_REFERRER_TYPE], "external"))
			r->unnamed_external++;
	}
}

static void count_line(struct run *r, struct source *src, struct slice line, uint64_t line_no)
{
	struct hit hit;
	const char *why = NULL;
	int s = (int)parser_line(r->parser, line, &hit, &why);
	if (from_future(r, s, &hit))
		s = SKIP_FUTURE;
	count_parsed(r, src, s, &hit, why, line_no);
}

/* ---- --jobs 2 or more: lines parsed by the workers, counted here -------- */

/* Count a chunk the workers parsed: its items in order, then the rest. */
static void count_chunk(struct run *r, struct source *src, struct jobs_chunk *c)
{
	for (size_t i = 0; i < c->nitems && !r->nomem; i++) {
		struct jobs_item *it = &c->items[i];
		if (it->geo && r->geo) /* as parser_line does with one thread */
			geo_lookup(r->geo, &it->hit.ip, &it->hit.dim[DIM_COUNTRY],
				   &it->hit.dim[DIM_REGION]);
		count_parsed(r, src, it->outcome, &it->hit, it->why, it->no);
	}
	for (int s = 0; s < SKIP_NREASONS; s++)
		r->skipped[s] += c->skipped[s];
	r->lines -= c->optout; /* opted out: as if the lines were not in the log */
	if (c->nomem)
		out_of_memory(r, src, c->nomem_no);
	if (agg_ahead_due(&r->agg))
		run_write_ahead(r);
}

void count_chunks(struct run *r, struct source *src, bool wait)
{
	struct jobs_chunk *c;
	while (!r->nomem && (c = jobs_oldest(&r->rd.jobs, wait)) != NULL) {
		count_chunk(r, src, c);
		jobs_release(&r->rd.jobs, c);
	}
}

/* The chunk being filled is full, or every chunk is in use: submit the
 * first, or count the oldest. False when the run must stop. */
static bool make_room(struct run *r, struct source *src)
{
	struct jobs *j = &r->rd.jobs;
	if (jobs_filling(j)) {
		jobs_submit(j);
		count_chunks(r, src, false);
	} else {
		struct jobs_chunk *c = jobs_oldest(j, true); /* every chunk in use */
		count_chunk(r, src, c);
		jobs_release(j, c);
	}
	return !r->nomem;
}

/* Queue a line for the workers (too_long: over INPUT_LINE_MAX, counted as
 * malformed in its place). False when the run must stop: out of memory. */
static bool queue_line(struct run *r, struct source *src, struct slice line, uint64_t no,
		       bool too_long)
{
	struct jobs *j = &r->rd.jobs;
	for (;;) {
		enum lf_status st = jobs_add(j, line, no, too_long, parser_scanner(r->parser));
		if (st == LF_OK)
			break;
		if (st == LF_ERR_NOMEM) {
			out_of_memory(r, src, no);
			return false;
		}
		if (!make_room(r, src))
			return false;
	}
	/* the directives change how the next chunks read (parser_set_scanner) */
	if (!too_long && line.n && line.p[0] == '#')
		parser_pass(r->parser, line);
	return true;
}

bool count_take_line(struct run *r, struct source *src, struct slice line, uint64_t no,
		     bool too_long)
{
	r->lines++;
	if (r->rd.on)
		return queue_line(r, src, line, no, too_long);
	if (too_long)
		malformed(r, src, no, "line longer than 65536 bytes");
	else
		count_line(r, src, line, no);
	if (agg_ahead_due(&r->agg))
		run_write_ahead(r);
	return !r->nomem;
}

/* The first lines of span (whole lines, each with its '\n'), at most max
 * of them, and with directives, before any that starts with '#' (a W3C
 * directive, which queue_line reads in its place: it changes how the next
 * lines read; in other formats it is a comment, which changes nothing);
 * their number in *lines. */
static struct slice plain_lines(struct slice span, size_t max, bool directives, uint64_t *lines)
{
	for (const char *h = span.p;
	     directives && (h = memchr(h, '#', (size_t)(span.p + span.n - h))); h++)
		if (h == span.p || h[-1] == '\n') {
			span.n = (size_t)(h - span.p);
			break;
		}
	*lines = slice_count(span, '\n');
	if (*lines > max) { /* a chunk of a few lines (the tests') */
		const char *at = span.p;
		for (size_t k = 0; k < max; k++)
			at = (const char *)memchr(at, '\n', (size_t)(span.p + span.n - at)) + 1;
		span.n = (size_t)(at - span.p);
		*lines = max;
	}
	return span;
}

int64_t count_take_lines(struct run *r, struct source *src, struct input *in)
{
	struct jobs *j = &r->rd.jobs;
	const struct scanner *state = parser_scanner(r->parser);
	size_t bytes, max;
	while (jobs_room(j, &bytes, &max) != LF_OK)
		if (!make_room(r, src))
			return -1;
	uint64_t n;
	struct slice span =
		plain_lines(input_span(in, bytes), max, scanner_reads_directives(state), &n);
	if (!n)
		return 0;
	uint64_t no = input_line_no(in) + 1;
	if (jobs_add_lines(j, span, no, (uint32_t)n, state) != LF_OK) {
		out_of_memory(r, src, no);
		return -1;
	}
	input_take(in, span.n, n);
	r->lines += n;
	return (int64_t)n;
}
