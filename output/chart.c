/*
 * chart.c - SVG charts of values per day (chart.h). Coordinates are in a
 * fixed viewBox that CSS scales to the width of the page; every number in
 * the markup is logfold's own, and every text goes through the value
 * formats of rbuf.h, so nothing from the database reaches the SVG but the
 * days (checked dates) and numbers.
 */
#include "chart.h"

#include <stdio.h>
#include <string.h>

/* The viewBox and the plot inside it: room left for the value labels,
 * below for the days. */
#define CHART_W 720.0
#define CHART_H 220.0
#define CHART_H_SMALL 150.0
#define PLOT_L 52.0
#define PLOT_R 8.0
#define PLOT_T 8.0
#define PLOT_B 22.0
/* The tooltip box: wide enough for "123,456,789 pageviews". */
#define TIP_W 170.0
#define TIP_LINE 15.0
/* Days labelled on the axis at most (the others every k-th). */
#define CHART_LABELS 8

void chart_axis(uint64_t max, int max_steps, struct chart_axis *a)
{
	static const uint64_t mult[3] = { 1, 2, 5 };
	if (max_steps < 1)
		max_steps = 1;
	for (uint64_t p = 1;; p *= 10)
		for (int i = 0; i < 3; i++) {
			uint64_t step = mult[i] * p;
			uint64_t top = max ? (max + step - 1) / step * step : step;
			if (top / step <= (uint64_t)max_steps || p > UINT64_MAX / 100) {
				a->top = top;
				a->step = step;
				return;
			}
		}
}

double chart_pos(const struct chart_axis *a, uint64_t v, double y0, double y1)
{
	return y0 + (y1 - y0) * ((double)v / (double)a->top);
}

static void value_text(struct rbuf *b, enum chart_unit u, uint64_t v, bool exact)
{
	if (u == CHART_MS)
		rbuf_ms(b, v);
	else if (exact)
		rbuf_count(b, v);
	else
		rbuf_short(b, v);
}

struct geom {
	double h, y0, y1, cw;
	struct chart_axis axis;
};

static double col_x(const struct geom *g, size_t i)
{
	return PLOT_L + g->cw * (double)i;
}

static void draw_axis(struct rbuf *b, const struct chart *c, const struct geom *g)
{
	for (uint64_t v = 0; v <= g->axis.top; v += g->axis.step) {
		double y = chart_pos(&g->axis, v, g->y0, g->y1);
		rbuf_printf(b, "<line class=\"grid\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\"/>",
			    PLOT_L, CHART_W - PLOT_R, y, y);
		rbuf_printf(b, "<text class=\"yl\" x=\"%.1f\" y=\"%.1f\">", PLOT_L - 6, y + 4);
		value_text(b, c->unit, v, false);
		rbuf_puts(b, "</text>");
	}
	size_t every = (c->n + CHART_LABELS - 1) / CHART_LABELS;
	for (size_t i = 0; i < c->n; i += every ? every : 1) {
		rbuf_printf(b, "<text class=\"xl\" x=\"%.1f\" y=\"%.1f\">",
			    col_x(g, i) + g->cw / 2, g->h - 6);
		rbuf_html(b, c->days[i] + 5, 5); /* MM-DD */
		rbuf_puts(b, "</text>");
	}
}

/* The lines of the tooltip or title of day i: the day and each value. */
static void day_words(struct rbuf *b, const struct chart *c, size_t i, const char *sep)
{
	rbuf_html(b, c->days[i], strlen(c->days[i]));
	if (!c->has[i]) {
		rbuf_printf(b, "%sno data", sep);
		return;
	}
	for (int s = 0; s < c->ns; s++) {
		rbuf_puts(b, sep);
		value_text(b, c->unit, c->s[s].v[i], true);
		rbuf_printf(b, " %s", c->s[s].name);
	}
	if (c->open && c->open[i])
		rbuf_printf(b, "%s(still changing)", sep);
}

static void draw_tip(struct rbuf *b, const struct chart *c, const struct geom *g, size_t i)
{
	int lines = 1 + (c->has[i] ? c->ns + (c->open && c->open[i]) : 1);
	double x = col_x(g, i) + g->cw / 2 - TIP_W / 2;
	if (x < PLOT_L)
		x = PLOT_L;
	if (x > CHART_W - PLOT_R - TIP_W)
		x = CHART_W - PLOT_R - TIP_W;
	rbuf_printf(b, "<g class=\"tip\"><rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
		       "rx=\"4\"/>", x, PLOT_T, TIP_W, TIP_LINE * lines + 8);
	struct rbuf words;
	rbuf_init(&words);
	day_words(&words, c, i, "\n");
	const char *p = words.p ? words.p : "";
	for (int l = 0; l < lines && *p; l++) {
		size_t len = strcspn(p, "\n");
		rbuf_printf(b, "<text x=\"%.1f\" y=\"%.1f\">", x + 8, PLOT_T + TIP_LINE * (l + 1));
		rbuf_put(b, p, len); /* escaped by day_words */
		rbuf_puts(b, "</text>");
		p += len + (p[len] == '\n');
	}
	b->failed |= words.failed;
	rbuf_free(&words);
	rbuf_puts(b, "</g>");
}

/* Day i: its gap, or its bars. */
static void draw_bars(struct rbuf *b, const struct chart *c, const struct geom *g, size_t i)
{
	double x = col_x(g, i);
	if (!c->has[i])
		rbuf_printf(b, "<rect class=\"gap\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"/>",
			    x, g->y1, g->cw, g->y0 - g->y1);
	for (int s = 0; s < c->ns && c->has[i]; s++) {
		if (c->s[s].kind != CHART_BAR)
			continue;
		double y = chart_pos(&g->axis, c->s[s].v[i], g->y0, g->y1);
		double w = g->cw * 0.7 > 1 ? g->cw * 0.7 : 1;
		rbuf_printf(b, "<rect class=\"%s%s\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"/>",
			    c->s[s].cls, c->open && c->open[i] ? " open" : "", x + (g->cw - w) / 2, y,
			    w, g->y0 - y);
	}
}

/* What tells day i's values, over everything else: the whole column as
 * the pointer's target, with a <title>, or focusable with a tooltip. */
static void draw_hit(struct rbuf *b, const struct chart *c, const struct geom *g, size_t i)
{
	if (c->focusable) {
		rbuf_puts(b, "<g class=\"pt\" tabindex=\"0\" aria-label=\"");
		day_words(b, c, i, ", ");
		rbuf_puts(b, "\">");
	}
	rbuf_printf(b, "<rect class=\"hit\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\">",
		    col_x(g, i), g->y1, g->cw, g->y0 - g->y1);
	if (!c->focusable) {
		rbuf_puts(b, "<title>");
		day_words(b, c, i, ", ");
		rbuf_puts(b, "</title>");
	}
	rbuf_puts(b, "</rect>");
	if (c->focusable) {
		draw_tip(b, c, g, i);
		rbuf_puts(b, "</g>");
	}
}

/* A line series: one path, broken at the gaps, and a dot per day (a day
 * between two gaps would otherwise not show). */
static void draw_line(struct rbuf *b, const struct chart *c, const struct geom *g, int s)
{
	bool pen = false;
	rbuf_printf(b, "<path class=\"%s line\" d=\"", c->s[s].cls);
	for (size_t i = 0; i < c->n; i++) {
		if (!c->has[i]) {
			pen = false;
			continue;
		}
		double y = chart_pos(&g->axis, c->s[s].v[i], g->y0, g->y1);
		rbuf_printf(b, "%c%.1f %.1f", pen ? 'L' : 'M', col_x(g, i) + g->cw / 2, y);
		pen = true;
	}
	rbuf_puts(b, "\"/>");
	for (size_t i = 0; i < c->n && !c->small; i++)
		if (c->has[i])
			rbuf_printf(b, "<circle class=\"%s dot\" cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\"/>",
				    c->s[s].cls, col_x(g, i) + g->cw / 2,
				    chart_pos(&g->axis, c->s[s].v[i], g->y0, g->y1));
}

void chart_svg(struct rbuf *b, const struct chart *c)
{
	struct geom g = { c->small ? CHART_H_SMALL : CHART_H, 0, PLOT_T, 0, { 1, 1 } };
	uint64_t max = 0;
	g.y0 = g.h - PLOT_B;
	g.cw = c->n ? (CHART_W - PLOT_L - PLOT_R) / (double)c->n : 1;
	for (int s = 0; s < c->ns; s++)
		for (size_t i = 0; i < c->n; i++)
			if (c->has[i] && c->s[s].v[i] > max)
				max = c->s[s].v[i];
	chart_axis(max, c->small ? 3 : 5, &g.axis);
	rbuf_printf(b, "<svg class=\"chart\" viewBox=\"0 0 %.0f %.0f\" role=\"img\" aria-label=\"",
		    CHART_W, g.h);
	rbuf_html_str(b, c->label);
	rbuf_puts(b, "\">");
	draw_axis(b, c, &g);
	for (size_t i = 0; i < c->n; i++)
		draw_bars(b, c, &g, i);
	for (int s = 0; s < c->ns; s++)
		if (c->s[s].kind == CHART_LINE)
			draw_line(b, c, &g, s);
	for (size_t i = 0; i < c->n && !c->bare; i++)
		draw_hit(b, c, &g, i);
	rbuf_puts(b, "</svg>");
}
