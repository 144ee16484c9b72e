/*
 * sources.c - the inputs of a run and their resume points (see sources.h).
 * What recognises an input is its lines' signatures, computed by the parser
 * (parsers/reduce); what is decided from them is parsers/input/resume.c's;
 * what is stored, output/db.c's. Nothing here sees a line's bytes but to
 * hand them from the look to the parser.
 */
#include "sources.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../common/grow.h"
#include "msg.h"
#include "stop.h"

bool sources_init(struct sources *s, const struct config *cfg)
{
	size_t n = cfg->ninputs ? (size_t)cfg->ninputs : 1;
	memset(s, 0, sizeof(*s));
	intern_init(&s->sites);
	s->v = calloc(n, sizeof(*s->v));
	if (!s->v)
		return false;
	s->n = n;
	for (size_t i = 0; i < n; i++) {
		struct source *src = &s->v[i];
		src->path = cfg->ninputs ? cfg->inputs[i] : "-";
		src->name = strcmp(src->path, "-") == 0 ? "(stdin)" : src->path;
		src->group = src;
		src->longest = src;
		src->start.first_time = INT64_MIN;
		src->first_day = src->last_day = RESUME_NO_DAY;
	}
	return true;
}

void sources_release(struct sources *s)
{
	for (size_t i = 0; s->v && i < s->n; i++) {
		input_close(s->v[i].held);
		lookahead_free(s->v[i].la);
		free(s->v[i].days);
	}
	free(s->v);
	db_resume_free(s->rows, s->npoints);
	free(s->points);
	free(s->opens);
	free(s->present);
	intern_release(&s->sites);
	memset(s, 0, sizeof(*s));
}

/* points[i] and its open days, pointing into rows[i]. */
static void view_point(struct sources *s, size_t i, struct resume_open *open)
{
	const struct db_resume *r = &s->rows[i];
	for (size_t d = 0; d < r->nopen; d++)
		open[d] = (struct resume_open){ r->open[d].site, r->open[d].day };
	s->points[i] = (struct resume_point){ r->fingerprint, r->fp_lines, r->closed_line,
					      r->reached_line, r->first_day, r->last_day,
					      r->name, open, r->nopen };
}

enum lf_status sources_load(struct sources *s, struct sink *db)
{
	size_t nopen = 0;
	enum lf_status st = db_resume_load(db, &s->rows, &s->npoints);
	if (st != LF_OK)
		return st;
	for (size_t i = 0; i < s->npoints; i++)
		nopen += s->rows[i].nopen;
	s->points = calloc(s->npoints ? s->npoints : 1, sizeof(*s->points));
	s->opens = calloc(nopen ? nopen : 1, sizeof(*s->opens));
	s->present = calloc(s->npoints ? s->npoints : 1, sizeof(*s->present));
	if (!s->points || !s->opens || !s->present)
		return LF_ERR_NOMEM;
	nopen = 0;
	for (size_t i = 0; i < s->npoints; i++) {
		view_point(s, i, s->opens + nopen);
		nopen += s->rows[i].nopen;
	}
	return LF_OK;
}

static void input_error_exit(enum exit_code *exit)
{
	if (*exit < EXIT_INPUT)
		*exit = EXIT_INPUT;
}

/* Decide the format from what the look read, once per run. False: the
 * input is not read (said). */
static bool detect_format(struct parser *p, const struct source *src, struct lookahead *la,
			  enum exit_code *exit)
{
	int looked;
	if (parser_format(p) != FMT_AUTO)
		return true;
	enum log_format f = log_format_detect(lookahead_text(la), true, &looked);
	if (looked < 0) {
		msg_error("out of memory while detecting the log format of '%s'", src->name);
		input_error_exit(exit);
		return false;
	}
	if (looked == 0)
		return true; /* no usable line: let the next input decide */
	if (f == FMT_AUTO) {
		msg_error("cannot detect the log format of '%s' from its first %d lines "
			  "(tried %s); use --format or --log-format",
			  src->name, looked, log_format_detect_list());
		input_error_exit(exit);
		return false;
	}
	parser_set_format(p, f);
	msg_info("format: %s (auto-detected from %d lines of '%s')", log_format_name(f), looked,
		 src->name);
	return true;
}

/* Whether "-" was named before input i: stdin gives its bytes once. */
static bool stdin_again(const struct sources *s, size_t i)
{
	for (size_t j = 0; j < i && strcmp(s->v[i].path, "-") == 0; j++)
		if (strcmp(s->v[j].path, "-") == 0)
			return true;
	return false;
}

void sources_look(struct sources *s, size_t i, struct parser *p, int64_t time_max,
		  enum exit_code *exit)
{
	struct source *src = &s->v[i];
	struct input *in;
	struct lookahead *la = NULL;
	if (stdin_again(s, i)) {
		msg_info("'-' is named twice: standard input is read once");
		src->twice = true;
		return;
	}
	if (input_open_cancel(&in, src->path, stop_fd()) != LF_OK) {
		if (stop_signal())
			return;
		msg_error("cannot open '%s': %s", src->path, strerror(errno));
		input_error_exit(exit);
		return;
	}
	if (lookahead_read(&la, in) != LF_OK) {
		if (!stop_signal())
			msg_error("out of memory looking at '%s'", src->path);
		input_close(in);
		input_error_exit(exit);
		return;
	}
	/* a read that failed before the first line: nothing to detect or
	 * sign, and reading it again would read without a format */
	int e = lookahead_count(la) == 0 ? lookahead_read_error(la) : 0;
	if (e && !stop_signal()) {
		msg_error("cannot read '%s': %s", src->path, strerror(e));
		input_error_exit(exit);
	}
	src->ok = !e && detect_format(p, src, la, exit);
	if (src->ok && parser_format(p) != FMT_AUTO) {
		parser_look(p, la, time_max, &src->start);
		resume_fingerprints(src->start.sig, src->start.nsig, src->fps);
	}
	if (input_reopenable(in)) {
		input_close(in);
		lookahead_free(la);
	} else {
		src->held = in; /* read once: what the look read is handed out again */
		src->la = la;
	}
}

/* Join src to an earlier group with the same start, if there is one. */
static void join_group(struct sources *s, size_t i)
{
	struct source *src = &s->v[i];
	for (size_t j = 0; j < i; j++) {
		struct source *root = &s->v[j];
		const struct source *l = root->longest;
		if (root->group != root || !root->ok || root->twice ||
		    !resume_same_start(l->start.sig, l->start.nsig, src->start.sig, src->start.nsig))
			continue;
		msg_info("'%s' holds the same log as '%s': read once", src->name, root->name);
		src->group = root;
		if (src->start.nsig > l->start.nsig)
			root->longest = src;
		return;
	}
}

void sources_group(struct sources *s)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->v[i].ok && !s->v[i].twice && s->v[i].start.nsig)
			join_group(s, i);
	for (size_t i = 0; i < s->n; i++)
		s->v[i].group->members++;
	for (size_t i = 0; i < s->n; i++) {
		struct source *root = &s->v[i];
		const struct source *l = root->longest;
		if (root->group != root || !l->start.nsig)
			continue;
		root->from = resume_find(s->points, s->npoints, l->fps, l->start.nsig);
		if (root->from)
			s->present[root->from - s->points] = true;
	}
}

uint64_t sources_skip(const struct source *src, bool rebuild)
{
	const struct source *g = src->group;
	if (g->read_any)
		return g->reached;
	return rebuild ? 0 : resume_start(g->from);
}

/* Keep where (site, day) starts in the group of src, the first time. */
static void keep_start(struct sources *s, struct source *g, struct slice site, int32_t day,
		       uint64_t line)
{
	uint32_t id;
	if (intern_put(&s->sites, site, &id) != LF_OK) {
		g->days_lost = true;
		return;
	}
	if (g->last < g->ndays && g->days[g->last].day == day && g->days[g->last].site == id)
		return;
	for (size_t i = 0; i < g->ndays; i++)
		if (g->days[i].day == day && g->days[i].site == id) {
			g->last = i;
			if (line < g->days[i].line) /* another input of the group */
				g->days[i].line = line;
			return;
		}
	if (!GROW(g->days, g->days_cap, g->ndays + 1, 8)) {
		g->days_lost = true; /* settled as if every day were open */
		return;
	}
	g->last = g->ndays;
	g->days[g->ndays++] = (struct day_start){ id, day, line };
}

void sources_note(struct sources *s, struct source *src, struct slice site, int32_t day,
		  uint64_t line_no, bool counted)
{
	struct source *g = src->group;
	if (g->first_day == RESUME_NO_DAY || day < g->first_day)
		g->first_day = day;
	if (day > g->last_day)
		g->last_day = day;
	if (counted)
		keep_start(s, g, site, day, line_no - 1);
}

/* The days of root g that stay open, into a new array (NULL: none). */
static struct db_open_day *open_days(struct sources *s, const struct source *g,
				     sources_open_fn is_open, void *ctx, size_t *n,
				     struct resume_day_start *starts)
{
	struct db_open_day *o = calloc(g->ndays ? g->ndays : 1, sizeof(*o));
	*n = 0;
	for (size_t i = 0; o && i < g->ndays; i++) {
		struct slice site = intern_get(&s->sites, g->days[i].site);
		starts[i] = (struct resume_day_start){ g->days[i].line,
						       is_open(ctx, site, g->days[i].day) };
		if (starts[i].open)
			o[(*n)++] = (struct db_open_day){ site.p, g->days[i].day };
	}
	return o;
}

/* The point of root g, stored when there is one to store. */
static enum lf_status save_group(struct sources *s, struct source *g, struct sink *db,
				 sources_open_fn is_open, void *ctx)
{
	const struct source *l = g->longest;
	struct resume_day_start *starts = calloc(g->ndays ? g->ndays : 1, sizeof(*starts));
	struct db_resume now = { .name = g->name };
	struct db_open_day *open = starts ? open_days(s, g, is_open, ctx, &now.nopen, starts) : NULL;
	struct resume_read rd = { g->reached, starts, g->ndays, g->days_lost, g->first_day,
				  g->last_day };
	struct resume_point p = { 0 };
	enum lf_status st = LF_OK;
	if (!starts || !open)
		st = LF_ERR_NOMEM;
	else if (resume_settle(g->from, &rd, &p)) {
		now.fingerprint = l->fps[l->start.nsig - 1];
		now.fp_lines = l->start.nsig;
		now.closed_line = p.closed_line;
		now.reached_line = p.reached_line;
		now.first_day = p.first_day;
		now.last_day = p.last_day;
		now.open = open;
		st = db_resume_put(db, g->from ? &s->rows[g->from - s->points] : NULL, &now);
	}
	free(open);
	free(starts);
	return st;
}

enum lf_status sources_save(struct sources *s, struct sink *db, sources_open_fn is_open,
			    void *ctx)
{
	enum lf_status st = LF_OK;
	for (size_t i = 0; i < s->n && st == LF_OK; i++) {
		struct source *g = &s->v[i];
		if (g->group == g && g->read_any && !g->truncated && g->longest->start.nsig)
			st = save_group(s, g, db, is_open, ctx);
	}
	return st;
}
