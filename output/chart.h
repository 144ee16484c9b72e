/*
 * chart.h - the report's charts, drawn as inline SVG by logfold itself:
 * values per day as bars and lines over a value axis from 0, a day with
 * no data as a gap (never a zero), an open day marked as still changing,
 * and, for the main charts, each day focusable with its values shown on
 * hover or focus (by CSS: no script needed). No chart library: a bar and
 * a polyline per day on a nice axis is all a report needs, and a library
 * would have to be inlined (some 100 KB) into every report.
 *
 * The SVG carries role="img" and an aria-label; the caller puts the same
 * values in a table beside it for screen readers and for print.
 */
#ifndef LF_CHART_H
#define LF_CHART_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rbuf.h"

/*
 * A value axis from 0 to top in steps of step (1, 2 or 5 times a power of
 * ten), top the first multiple of step at or above max, with at most
 * max_steps steps (at least 1). max 0 gives top = step = 1.
 */
struct chart_axis {
	uint64_t top, step;
};
void chart_axis(uint64_t max, int max_steps, struct chart_axis *a);

/* The position of v on an axis drawn from y0 (value 0) up to y1 (top). */
double chart_pos(const struct chart_axis *a, uint64_t v, double y0, double y1);

enum chart_kind { CHART_BAR, CHART_LINE };
enum chart_unit { CHART_COUNT, CHART_MS };

struct chart_series {
	const char *name;   /* for the tooltips: "visitors" */
	const char *cls;    /* CSS class: "s0" ... */
	enum chart_kind kind;
	const uint64_t *v;  /* one value per day */
};

#define CHART_MAX_SERIES 3

struct chart {
	const char *label;         /* aria-label: what the chart shows */
	const char *const *days;   /* "YYYY-MM-DD", n of them */
	size_t n;
	const bool *has;           /* false: no data that day (a gap) */
	const bool *open;          /* may be NULL: true: still changing */
	struct chart_series s[CHART_MAX_SERIES];
	int ns;
	enum chart_unit unit;
	bool focusable; /* each day a focusable group with a tooltip; else a
			 * <title> on each day (lighter) */
	bool small;     /* a lower chart, without dots */
	bool bare;      /* not even the titles: the table beside it has the
			 * figures (the drill-downs: a hundred of them) */
};

/* Write the chart as one <svg> element. */
void chart_svg(struct rbuf *b, const struct chart *c);

#endif
