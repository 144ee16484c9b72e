/*
 * report_text.c - the plain-text report (report_text.h). Each line is a
 * name column and up to three number columns of NUMW characters, right
 * aligned; the name column takes what is left of 80.
 */
#include "report_text.h"

#include <stdio.h>
#include <string.h>

/* Width of a number column: "123,456,789,012" and a space. */
#define NUMW 14
#define TOP_N 10

/* s cut to w columns ("..." at the end when cut), padded to w. */
static void name_cell(struct rbuf *b, const char *s, size_t w)
{
	size_t n = strlen(s), cols = rbuf_text_width(s, n);
	if (cols > w) {
		/* the first w - 3 characters, whole */
		size_t keep = 0, c = 0;
		while (keep < n && c < w - 3) {
			size_t k = 1;
			while (keep + k < n && ((unsigned char)s[keep + k] & 0xc0) == 0x80)
				k++;
			keep += k;
			c++;
		}
		rbuf_text(b, s, keep);
		rbuf_puts(b, "...");
		return;
	}
	rbuf_text(b, s, n);
	for (size_t i = cols; i < w; i++)
		rbuf_put(b, " ", 1);
}

/* A number column: what the formatter writes, right-aligned in NUMW. */
static void right(struct rbuf *b, const char *s)
{
	size_t n = strlen(s);
	for (size_t i = n; i < NUMW; i++)
		rbuf_put(b, " ", 1);
	rbuf_put(b, s, n);
}

/* A line: name, then the columns already formatted (NULL ends). */
/* End a line, without the spaces that empty columns left. */
static void end_line(struct rbuf *b)
{
	while (b->n && b->p[b->n - 1] == ' ')
		b->p[--b->n] = '\0';
	rbuf_puts(b, "\n");
}

static void line(struct rbuf *b, const char *name, int ncols, const char *const *cols)
{
	rbuf_puts(b, "  ");
	name_cell(b, name, REPORT_TEXT_WIDTH - 2 - (size_t)ncols * NUMW);
	for (int i = 0; i < ncols; i++)
		right(b, cols[i]);
	end_line(b);
}

static void heading(struct rbuf *b, const char *title, int ncols, const char *const *cols)
{
	name_cell(b, title, REPORT_TEXT_WIDTH - (size_t)ncols * NUMW);
	for (int i = 0; i < ncols; i++)
		right(b, cols[i]);
	end_line(b);
}

/* An overview line: this period, the previous, the change. */
static void overview_line(struct rbuf *b, const char *name, struct rbuf *cur, struct rbuf *prev,
			  struct rbuf *chg)
{
	const char *cols[3] = { cur->p ? cur->p : "", prev->p ? prev->p : "-", chg->p ? chg->p : "" };
	line(b, name, 3, cols);
	b->failed |= cur->failed || prev->failed || chg->failed;
	rbuf_clear(cur);
	rbuf_clear(prev);
	rbuf_clear(chg);
}

static void overview(struct rbuf *b, const struct report_site *s)
{
	struct rbuf cur, prev, chg;
	const struct report_totals *c = &s->cur, *p = &s->prev;
	static const char *const head[3] = { "this period", "previous", "change" };
	rbuf_init(&cur);
	rbuf_init(&prev);
	rbuf_init(&chg);
	heading(b, "Overview", 3, head);
	const char *names[3] = { "Visitors", "Visits", "Pageviews" };
	uint64_t cv[3] = { c->visitors, c->visits, c->pageviews };
	uint64_t pv[3] = { p->visitors, p->visits, p->pageviews };
	for (int i = 0; i < 3; i++) {
		rbuf_count(&cur, cv[i]);
		if (s->prev_days) {
			rbuf_count(&prev, pv[i]);
			rbuf_change(&chg, cv[i], pv[i]);
		}
		overview_line(b, names[i], &cur, &prev, &chg);
	}
	uint64_t br = rbuf_permille(c->bounces, c->visits), pbr = rbuf_permille(p->bounces, p->visits);
	rbuf_percent(&cur, c->bounces, c->visits);
	if (s->prev_days) {
		rbuf_percent(&prev, p->bounces, p->visits);
		rbuf_points(&chg, (int64_t)br - (int64_t)pbr);
	}
	overview_line(b, "Bounce rate", &cur, &prev, &chg);
	uint64_t t = c->time_n ? (c->time_s + c->time_n / 2) / c->time_n : 0;
	uint64_t pt = p->time_n ? (p->time_s + p->time_n / 2) / p->time_n : 0;
	if (c->time_n)
		rbuf_duration(&cur, t);
	else
		rbuf_puts(&cur, "-");
	if (s->prev_days && p->time_n) {
		rbuf_duration(&prev, pt);
		rbuf_change(&chg, t, pt);
	}
	overview_line(b, "Mean time on page", &cur, &prev, &chg);
	rbuf_free(&cur);
	rbuf_free(&prev);
	rbuf_free(&chg);
}

static void pages(struct rbuf *b, const struct report_site *s)
{
	static const char *const head[3] = { "Pageviews", "Visitors", "Bounce rate" };
	heading(b, "Top pages", 3, head);
	struct rbuf pv, vis, br;
	rbuf_init(&pv);
	rbuf_init(&vis);
	rbuf_init(&br);
	for (size_t i = 0; i < s->npages && i < TOP_N; i++) {
		const struct report_page *p = &s->pages[i];
		rbuf_count(&pv, p->t.pageviews);
		rbuf_count(&vis, p->t.visitors);
		rbuf_percent(&br, p->t.bounces, p->t.entrances);
		overview_line(b, p->page, &pv, &vis, &br);
	}
	if (!s->npages)
		rbuf_puts(b, "  (none)\n");
	rbuf_free(&pv);
	rbuf_free(&vis);
	rbuf_free(&br);
}

static void cut(struct rbuf *b, const char *title, const struct report_cut *c)
{
	static const char *const head[2] = { "Visitors", "Pageviews" };
	heading(b, title, 2, head);
	struct rbuf vis, pv;
	rbuf_init(&vis);
	rbuf_init(&pv);
	for (size_t i = 0; i <= c->n && i < TOP_N + 1; i++) {
		bool other = i == c->n;
		if (other && !c->has_other)
			break;
		rbuf_count(&vis, other ? c->other_visitors : c->rows[i].visitors);
		rbuf_count(&pv, other ? c->other_pageviews : c->rows[i].pageviews);
		const char *cols[2] = { vis.p ? vis.p : "", pv.p ? pv.p : "" };
		line(b, other ? "(other: small groups, folded)" : c->rows[i].value, 2, cols);
		rbuf_clear(&vis);
		rbuf_clear(&pv);
	}
	if (!c->n && !c->has_other)
		rbuf_puts(b, "  (none)\n");
	b->failed |= vis.failed || pv.failed;
	rbuf_free(&vis);
	rbuf_free(&pv);
}

static void site(struct rbuf *b, const struct report *rep, const struct report_site *s)
{
	char range[64];
	size_t n = (size_t)snprintf(range, sizeof(range), ": %s to %s (%zu days)", rep->from, rep->to,
				    rep->ndays);
	size_t w = rbuf_text_width(s->site, strlen(s->site));
	/* the site cut to what the range leaves of the line */
	name_cell(b, s->site, w < REPORT_TEXT_WIDTH - n ? w : REPORT_TEXT_WIDTH - n);
	rbuf_printf(b, "%s\n\n", range);
	if (!s->cur_days) {
		rbuf_printf(b, "No data from %s to %s.\n\n", rep->from, rep->to);
		return;
	}
	overview(b, s);
	rbuf_printf(b,
		    "  (previous: %s to %s; visitors over a range: the sum of each\n"
		    "  day's visitors)\n",
		    rep->prev_from, rep->prev_to);
	if (s->prev_days && s->prev_days != s->cur_days)
		rbuf_printf(
			b,
			"  (days with data: %zu of %zu now, %zu of %zu before: compare with care)\n",
			s->cur_days, rep->ndays, s->prev_days, rep->ndays);
	rbuf_puts(b, "\n");
	pages(b, s);
	rbuf_puts(b, "\n");
	cut(b, "Top referrers", &s->dims[DIM_REFERRER]);
	rbuf_puts(b, "\n");
	cut(b, "Top browsers", &s->dims[DIM_BROWSER]);
	rbuf_puts(b, "\n");
	cut(b, "Top countries", &s->dims[DIM_COUNTRY]);
	rbuf_puts(b, "\n");
}

bool report_text(const struct report *rep, struct rbuf *b)
{
	if (!rep->any_data) {
		rbuf_printf(b, "No data from %s to %s.\n", rep->from, rep->to);
		return !rbuf_failed(b);
	}
	for (size_t i = 0; i < rep->nsites; i++)
		site(b, rep, &rep->sites[i]);
	return !rbuf_failed(b);
}
