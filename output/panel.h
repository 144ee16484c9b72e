/*
 * panel.h - inside the HTML report: the markup pieces report_html.c and
 * panel.c share (number cells, cut tables with bars) and the panels after
 * the top pages (breakdowns, load times, engagement and actions, robots,
 * data quality, runs, privacy statement, settings). Every value goes
 * through rbuf_html; ids are made of site and row numbers only.
 */
#ifndef LF_PANEL_H
#define LF_PANEL_H

#include "rbuf.h"
#include "report.h"

/* <td class="n" data-v="V">12,345</td>: the raw value for sorting. */
void panel_num(struct rbuf *b, uint64_t v);
/* <td class="n">12,345</td>: in a table no one sorts. */
void panel_count(struct rbuf *b, uint64_t v);

/* The note under a table with (other), and under one whose visitors are
 * summed per day. */
extern const char panel_other_note[];
extern const char panel_visitors_note[];
/* A rate cell: part / whole as a percentage (data-v in tenths; "" when none). */
void panel_rate(struct rbuf *b, uint64_t part, uint64_t whole);
/* A mean duration cell: s / n seconds, rounded ("-" when n is 0). */
void panel_mean_time(struct rbuf *b, uint64_t s, uint64_t n);

/* A cut table: caption (what, "top N of M shown"), rows with a bar,
 * visitors (when with_visitors), share, pageviews; (other) last, marked. */
struct panel_cut {
	const char *title;   /* "Referrers" */
	const char *what;    /* "values", "labels", "robots" */
	const char *count;   /* the name of the count column: "Pageviews" */
	bool with_visitors;
	bool with_kind;      /* an Action column (action_daily) */
	bool compact;        /* no bar, no notes (a drill-down's: it has one note) */
};
void panel_cut(struct rbuf *b, const struct report_cut *c, const struct panel_cut *how);

/* The panels of site i after its top pages. */
void panel_breakdowns(struct rbuf *b, const struct report *rep, size_t i);
void panel_loads(struct rbuf *b, const struct report *rep, size_t i);
void panel_engagement(struct rbuf *b, const struct report *rep, size_t i);
void panel_bots(struct rbuf *b, const struct report *rep, size_t i);
void panel_quality(struct rbuf *b, const struct report *rep, size_t i);

/* The panels of the whole report. */
void panel_runs(struct rbuf *b, const struct report *rep);
void panel_privacy(struct rbuf *b, const struct report *rep);
void panel_settings(struct rbuf *b, const struct report *rep);

/* The names a reader sees for a dimension ("Referrer types"), and the
 * order they are shown in: where from, on what, where. */
extern const char *const panel_dimension_titles[DIM_COUNT];
extern const enum dimension panel_dimension_order[DIM_COUNT];

/* The privacy statement, plain text (the caller escapes it): how the data
 * was made, from the settings kept with it (K, mask) and the ones
 * configured now (retention, opt-out), in words to paste into a policy. */
void panel_statement(struct rbuf *b, const struct report *rep);

#endif
