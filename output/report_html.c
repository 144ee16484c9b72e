/*
 * report_html.c - the HTML page (report_html.h): its head and policy, and
 * per site the overview, the days, the top pages and their drill-downs;
 * the other panels are panel.c's. Ids are "sN-..." with N the site's
 * index, so that several sites live in one page.
 */
#include "report_html.h"

#include <string.h>

#include "../common/sha256.h"
#include "chart.h"
#include "panel.h"
#include "report_assets.h"

/* The CSP: nothing may load, the inline style and script by hash only.
 * base-uri and form-action are not covered by default-src. */
static void head(struct rbuf *b, const struct report *rep)
{
	char css[45], js[45];
	sha256_base64(report_css, strlen(report_css), css);
	sha256_base64(report_js, strlen(report_js), js);
	rbuf_printf(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
		       "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
		       "style-src 'sha256-%s'; script-src 'sha256-%s'; base-uri 'none'; "
		       "form-action 'none'\">\n", css, js);
	rbuf_puts(b, "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		     "<meta name=\"referrer\" content=\"no-referrer\">\n"
		     "<meta name=\"color-scheme\" content=\"light dark\">\n"
		     "<meta name=\"generator\" content=\"logfold\">\n<title>Audience of ");
	if (rep->nsites == 1)
		rbuf_html_str(b, rep->sites[0].site);
	else
		rbuf_printf(b, "%zu sites", rep->nsites);
	rbuf_printf(b, ", %s to %s</title>\n<style>", rep->from, rep->to);
	rbuf_puts(b, report_css);
	rbuf_puts(b, "</style>\n</head>\n");
}

static void top(struct rbuf *b, const struct report *rep)
{
	rbuf_puts(b, "<body>\n<header><h1>Audience statistics</h1><p class=\"muted\">");
	rbuf_printf(b, "From %s to %s (%zu day%s), compared with the %zu days before (%s to %s).",
		    rep->from, rep->to, rep->ndays, rep->ndays > 1 ? "s" : "", rep->ndays,
		    rep->prev_from, rep->prev_to);
	rbuf_puts(b, "</p>");
	if (!rep->any_data)
		rbuf_printf(b, "<p role=\"status\"><strong>No data from %s to %s</strong> in this "
			       "database: choose another range with --from and --to.</p>",
			    rep->from, rep->to);
	if (rep->sites_total > rep->nsites)
		rbuf_printf(b, "<p>The first %zu of %zu sites, by name: choose one with --site.</p>",
			    rep->nsites, rep->sites_total);
	if (rep->nsites > 1) {
		rbuf_puts(b, "<nav class=\"sites\" aria-label=\"Sites\">");
		for (size_t i = 0; i < rep->nsites; i++) {
			rbuf_printf(b, "<a href=\"#s%zu\">", i);
			rbuf_html_str(b, rep->sites[i].site);
			rbuf_puts(b, "</a>");
		}
		rbuf_puts(b, "</nav>");
	}
	rbuf_puts(b, "</header>\n<main>\n");
}

/* ---- overview ------------------------------------------------------------------- */

static void card_head(struct rbuf *b, const char *title, const char *key, uint64_t v)
{
	rbuf_printf(b, "<div class=\"card\"><dt>%s</dt><dd class=\"big\" data-k=\"%s\" "
		       "data-v=\"%llu\">", title, key, (unsigned long long)v);
}

/* The change line of a card: a count's change in %, or (points) a rate's
 * change in percentage points, against the previous period; coloured as
 * good or bad (for the bounce rate, down is good). */
static void card_change(struct rbuf *b, const struct report *rep, const struct report_site *s,
			uint64_t cur, uint64_t prev, bool points, int64_t tenths)
{
	rbuf_puts(b, "</dd><dd class=\"chg\">");
	if (!s->prev_days) {
		rbuf_printf(b, "no data for the %zu days before</dd></div>", rep->ndays);
		return;
	}
	bool up = points ? tenths >= 0 : cur >= prev, same = points ? !tenths : cur == prev;
	rbuf_printf(b, "<span class=\"%s\">", same ? "same" : up != points ? "up" : "down");
	if (points)
		rbuf_points(b, tenths);
	else
		rbuf_change(b, cur, prev);
	rbuf_printf(b, "</span> against the %zu days before", rep->ndays);
	if (s->prev_days != s->cur_days)
		rbuf_printf(b, " (%zu with data, %zu now)", s->prev_days, s->cur_days);
	rbuf_puts(b, "</dd></div>");
}

static void count_card(struct rbuf *b, const struct report *rep, const struct report_site *s,
		       const char *title, const char *key, uint64_t cur, uint64_t prev)
{
	card_head(b, title, key, cur);
	rbuf_count(b, cur);
	card_change(b, rep, s, cur, prev, false, 0);
}

static uint64_t mean(uint64_t sum, uint64_t n)
{
	return n ? (sum + n / 2) / n : 0;
}

static void overview(struct rbuf *b, const struct report *rep, const struct report_site *s,
		     size_t i)
{
	const struct report_totals *c = &s->cur, *p = &s->prev;
	rbuf_printf(b, "<section class=\"panel\" id=\"s%zu-overview\"><h3>Overview</h3>"
		       "<dl class=\"cards\">", i);
	count_card(b, rep, s, "Visitors", "visitors", c->visitors, p->visitors);
	count_card(b, rep, s, "Visits", "visits", c->visits, p->visits);
	count_card(b, rep, s, "Pageviews", "pageviews", c->pageviews, p->pageviews);
	uint64_t br = rbuf_permille(c->bounces, c->visits), pbr = rbuf_permille(p->bounces, p->visits);
	card_head(b, "Bounce rate", "bounce_rate", br);
	rbuf_percent(b, c->bounces, c->visits);
	card_change(b, rep, s, br, pbr, true, (int64_t)br - (int64_t)pbr);
	uint64_t t = mean(c->time_s, c->time_n), pt = mean(p->time_s, p->time_n);
	card_head(b, "Mean time on page", "time_on_page", t);
	if (c->time_n)
		rbuf_duration(b, t);
	else
		rbuf_puts(b, "-");
	card_change(b, rep, s, t, pt, false, 0);
	rbuf_puts(b, "</dl><p class=\"note\">Visitors over a range are the sum of each day's "
		     "visitors: someone who comes on two days counts twice, since logfold never "
		     "links one day to the next. A bounce is a visit of one pageview; time on page "
		     "runs to the next pageview of the same visit.");
	if (s->prev_days && s->prev_days != s->cur_days)
		rbuf_printf(b,
			    " The two periods hold data on different numbers of days (%zu of "
			    "the %zu days before, %zu of these): a day without data counts as "
			    "nothing in a change, so compare with care.",
			    s->prev_days, rep->ndays, s->cur_days);
	if (s->missing_totals)
		rbuf_printf(b, " %zu day%s of the range were written by a logfold without site "
			       "totals and are not in these figures (see Data quality).",
			    s->missing_totals, s->missing_totals > 1 ? "s" : "");
	rbuf_puts(b, "</p></section>\n");
}

/* ---- the days --------------------------------------------------------------------- */

static const char *state_words(const struct report_day *d)
{
	if (d->state == REPORT_DAY_NONE)
		return "<span class=\"state-none\">no data</span>";
	if (!d->has_totals)
		return "<span class=\"state-none\">no site totals</span>";
	return d->state == REPORT_DAY_OPEN ? "<span class=\"state-open\">still changing</span>"
					   : "final";
}

static void days_table(struct rbuf *b, const struct report *rep, const struct report_site *s)
{
	rbuf_puts(b, "<details><summary>The days as a table</summary><div class=\"scroll\"><table>"
		     "<caption>Per day</caption><thead><tr><th scope=\"col\">Day</th><th scope=\"col\">"
		     "State</th><th scope=\"col\" class=\"n\">Visitors</th><th scope=\"col\" class=\"n\">"
		     "Visits</th><th scope=\"col\" class=\"n\">Pageviews</th><th scope=\"col\" "
		     "class=\"n\">Bounce rate</th><th scope=\"col\" class=\"n\">Time on page</th></tr>"
		     "</thead><tbody>");
	for (size_t d = 0; d < rep->ndays; d++) {
		const struct report_day *day = &s->days[d];
		rbuf_printf(b, "<tr><th scope=\"row\">%s</th><td>%s</td>", rep->day_names[d],
			    state_words(day));
		if (!day->has_totals) {
			rbuf_puts(b, "<td class=\"n\">-</td><td class=\"n\">-</td><td class=\"n\">-</td>"
				     "<td class=\"n\">-</td><td class=\"n\">-</td></tr>");
			continue;
		}
		panel_num(b, day->t.visitors);
		panel_num(b, day->t.visits);
		panel_num(b, day->t.pageviews);
		panel_rate(b, day->t.bounces, day->t.visits);
		panel_mean_time(b, day->t.time_s, day->t.time_n);
		rbuf_puts(b, "</tr>");
	}
	rbuf_puts(b, "</tbody></table></div></details>");
}

static void days_panel(struct rbuf *b, const struct report *rep, const struct report_site *s,
		       size_t i)
{
	uint64_t pv[REPORT_DAYS_MAX], vis[REPORT_DAYS_MAX];
	bool has[REPORT_DAYS_MAX], open[REPORT_DAYS_MAX];
	for (size_t d = 0; d < rep->ndays; d++) {
		pv[d] = s->days[d].t.pageviews;
		vis[d] = s->days[d].t.visitors;
		has[d] = s->days[d].has_totals;
		open[d] = s->days[d].state == REPORT_DAY_OPEN;
	}
	struct chart c = { "Visitors and pageviews per day; the same figures are in the table "
			   "below", rep->day_names, rep->ndays, has, open,
			   { { "pageviews", "s0", CHART_BAR, pv }, { "visitors", "s1", CHART_LINE, vis } },
			   2, CHART_COUNT, true, false, false };
	rbuf_printf(b, "<section class=\"panel\" id=\"s%zu-days\"><h3>Visitors and pageviews per "
		       "day</h3><figure class=\"fig\">", i);
	chart_svg(b, &c);
	rbuf_puts(b, "<figcaption class=\"legend\"><span><i class=\"key s0\"></i>pageviews</span>"
		     "<span><i class=\"key s1\"></i>visitors</span><span><i class=\"key s0 open\"></i>"
		     "pale bar: day still changing</span><span><i class=\"key gap\"></i>no data (a gap, "
		     "not a zero)</span><span>hover or focus a day for its figures</span>"
		     "</figcaption></figure>");
	days_table(b, rep, s);
	rbuf_puts(b, "</section>\n");
}

/* ---- top pages and drill-downs ------------------------------------------------------ */

static void pages_head(struct rbuf *b, const struct report_site *s, size_t i)
{
	rbuf_printf(b, "<section class=\"panel\" id=\"s%zu-top\"><h3>Top pages</h3>", i);
	if (!s->npages) {
		rbuf_puts(b, "<p class=\"muted\">No pageviews in this range.</p></section>\n");
		return;
	}
	rbuf_printf(b, "<div class=\"scroll tall\"><table class=\"pages sortable\" id=\"s%zu-pages\" "
		       "data-panel=\"s%zu-drill\"><caption>", i, i);
	if (s->pages_total > s->npages)
		rbuf_printf(b, "Top %zu of %zu pages shown", s->npages, s->pages_total);
	else
		rbuf_printf(b, "All %zu page%s", s->npages, s->npages > 1 ? "s" : "");
	rbuf_printf(b, ", by pageviews; with JavaScript, the first %zu open their drill-down. "
		       "Visitors are summed per day; bounce rate is bounces per entrance.</caption>",
		    s->ndrills);
	rbuf_puts(b, "<thead><tr><th scope=\"col\" data-sort=\"text\">Page</th>");
	static const char *const cols[] = { "Pageviews", "Visitors", "Visits", "Entrances", "Exits",
					    "Bounce rate", "Time on page" };
	for (size_t k = 0; k < sizeof(cols) / sizeof(cols[0]); k++)
		rbuf_printf(b, "<th scope=\"col\" class=\"n\" data-sort=\"num\">%s</th>", cols[k]);
	rbuf_puts(b, "</tr></thead><tbody>");
}

static void page_row(struct rbuf *b, const struct report_page *p, size_t i)
{
	if (p->drill >= 0)
		rbuf_printf(b, "<tr data-drill=\"s%zu-d%d\">", i, p->drill);
	else
		rbuf_puts(b, "<tr>");
	rbuf_puts(b, "<td class=\"v\">");
	rbuf_html_str(b, p->page);
	rbuf_puts(b, "</td>");
	panel_num(b, p->t.pageviews);
	panel_num(b, p->t.visitors);
	panel_num(b, p->t.visits);
	panel_num(b, p->t.entrances);
	panel_num(b, p->t.exits);
	panel_rate(b, p->t.bounces, p->t.entrances);
	panel_mean_time(b, p->t.time_s, p->t.time_n);
	rbuf_puts(b, "</tr>");
}

static void drill_days(struct rbuf *b, const struct report *rep, const struct report_drill *d)
{
	uint64_t pv[REPORT_DAYS_MAX], vis[REPORT_DAYS_MAX];
	for (size_t k = 0; k < rep->ndays; k++) {
		pv[k] = d->days[k].pageviews;
		vis[k] = d->days[k].visitors;
	}
	struct chart c = { "The page's pageviews and visitors per day", rep->day_names, rep->ndays,
			   d->has_day, NULL,
			   { { "pageviews", "s0", CHART_BAR, pv }, { "visitors", "s1", CHART_LINE, vis } },
			   2, CHART_COUNT, false, true, true };
	chart_svg(b, &c);
	rbuf_puts(b, "<details><summary>The days as a table</summary><div class=\"scroll\"><table>"
		     "<thead><tr><th scope=\"col\">Day</th><th scope=\"col\" class=\"n\">Pageviews</th>"
		     "<th scope=\"col\" class=\"n\">Visitors</th></tr></thead><tbody>");
	for (size_t k = 0; k < rep->ndays; k++) {
		rbuf_printf(b, "<tr><th scope=\"row\">%s</th>", rep->day_names[k]);
		if (!d->has_day[k]) {
			rbuf_puts(b, "<td class=\"n\">-</td><td class=\"n\">-</td></tr>");
			continue;
		}
		panel_count(b, d->days[k].pageviews);
		panel_count(b, d->days[k].visitors);
		rbuf_puts(b, "</tr>");
	}
	rbuf_puts(b, "</tbody></table></div></details>");
}

static void drill_more(struct rbuf *b, const struct report_drill *d)
{
	static const char *const src[REPORT_NSOURCES] = { "server", "browser" };
	if (d->load[REPORT_SERVER].n || d->load[REPORT_CLIENT].n) {
		rbuf_puts(b, "<h4>Load times</h4><table><thead><tr><th scope=\"col\">Source</th>"
			     "<th scope=\"col\" class=\"n\">Timed views</th><th scope=\"col\" class=\"n\">"
			     "p50</th><th scope=\"col\" class=\"n\">p75</th><th scope=\"col\" class=\"n\">"
			     "p95</th></tr></thead><tbody>");
		for (int k = 0; k < REPORT_NSOURCES; k++) {
			if (!d->load[k].n)
				continue;
			rbuf_printf(b, "<tr><td>%s</td>", src[k]);
			panel_count(b, d->load[k].n);
			rbuf_puts(b, "<td class=\"n\">");
			rbuf_ms(b, d->load[k].p50);
			rbuf_puts(b, "</td><td class=\"n\">");
			rbuf_ms(b, d->load[k].p75);
			rbuf_puts(b, "</td><td class=\"n\">");
			rbuf_ms(b, d->load[k].p95);
			rbuf_puts(b, "</td></tr>");
		}
		rbuf_puts(b, "</tbody></table>");
	}
	if (d->eng.measured) {
		rbuf_puts(b, "<h4>Engagement</h4><p>");
		rbuf_count(b, d->eng.measured);
		rbuf_puts(b, " measured views, engaged ");
		rbuf_duration(b, mean(d->eng.engaged_s, d->eng.measured));
		rbuf_puts(b, " on average; ");
		rbuf_percent(b, d->eng.scroll[1], d->eng.measured);
		rbuf_puts(b, " scrolled half the page, ");
		rbuf_percent(b, d->eng.scroll[3], d->eng.measured);
		rbuf_puts(b, " to the end.</p>");
	}
	if (d->actions.total || d->actions.has_other) {
		struct panel_cut how = { "Actions", "labels", "Count", true, true, true };
		panel_cut(b, &d->actions, &how);
	}
}

/* Whether any of the drill-down's cuts holds a (other). */
static bool drill_has_other(const struct report_drill *d)
{
	bool any = d->actions.has_other;
	for (int dim = 0; dim < DIM_COUNT; dim++)
		any |= d->dims[dim].has_other;
	return any;
}

static void drill(struct rbuf *b, const struct report *rep, const struct report_site *s,
		  size_t i, size_t k)
{
	const struct report_drill *d = &s->drills[k];
	const struct report_page *p = &s->pages[k];
	rbuf_printf(b, "<template id=\"s%zu-d%zu\"><h3>Page <code>", i, k);
	rbuf_html_str(b, d->page);
	rbuf_puts(b, "</code></h3><p>");
	rbuf_count(b, p->t.pageviews);
	rbuf_puts(b, " pageviews, ");
	rbuf_count(b, p->t.visitors);
	rbuf_puts(b, " visitors (summed per day), ");
	rbuf_count(b, p->t.visits);
	rbuf_printf(b, " visits from %s to %s.</p>", rep->from, rep->to);
	drill_days(b, rep, d);
	rbuf_puts(b, "<div class=\"grid2\">");
	for (int o = 0; o < DIM_COUNT; o++) {
		enum dimension dim = panel_dimension_order[o];
		if (!d->dims[dim].total && !d->dims[dim].has_other)
			continue;
		struct panel_cut how = { panel_dimension_titles[dim], "values", "Pageviews", true,
					 false, true };
		rbuf_puts(b, "<div class=\"scroll\">");
		panel_cut(b, &d->dims[dim], &how);
		rbuf_puts(b, "</div>");
	}
	rbuf_puts(b, "</div>");
	drill_more(b, d);
	if (drill_has_other(d))
		rbuf_puts(b, panel_other_note);
	rbuf_puts(b, panel_visitors_note);
	rbuf_puts(b, "</template>\n");
}

static void pages_panel(struct rbuf *b, const struct report *rep, const struct report_site *s,
			size_t i)
{
	pages_head(b, s, i);
	if (!s->npages)
		return;
	for (size_t k = 0; k < s->npages; k++)
		page_row(b, &s->pages[k], i);
	rbuf_printf(b, "</tbody></table></div><div class=\"drill\" id=\"s%zu-drill\" hidden></div>\n",
		    i);
	for (size_t k = 0; k < s->ndrills; k++)
		drill(b, rep, s, i, k);
	rbuf_puts(b, "</section>\n");
}

/* ---- the page --------------------------------------------------------------------- */

static void site(struct rbuf *b, const struct report *rep, size_t i)
{
	const struct report_site *s = &rep->sites[i];
	rbuf_printf(b, "<section class=\"site\" id=\"s%zu\" data-name=\"", i);
	rbuf_html_str(b, s->site);
	rbuf_printf(b, "\" aria-labelledby=\"s%zu-h\"><h2 id=\"s%zu-h\">", i, i);
	rbuf_html_str(b, s->site);
	rbuf_puts(b, "</h2>\n");
	overview(b, rep, s, i);
	days_panel(b, rep, s, i);
	pages_panel(b, rep, s, i);
	panel_breakdowns(b, rep, i);
	panel_loads(b, rep, i);
	panel_engagement(b, rep, i);
	if (!rep->opt.public_page) {
		panel_bots(b, rep, i);
		panel_quality(b, rep, i);
	}
	rbuf_puts(b, "</section>\n");
}

bool report_html(const struct report *rep, struct rbuf *b)
{
	head(b, rep);
	top(b, rep);
	for (size_t i = 0; i < rep->nsites; i++)
		site(b, rep, i);
	if (!rep->opt.public_page)
		panel_runs(b, rep);
	panel_privacy(b, rep);
	if (!rep->opt.public_page)
		panel_settings(b, rep);
	rbuf_printf(b, "</main>\n<footer><p>Made by logfold %s on %s. This page is self-contained: "
		       "it loads nothing and sends nothing.</p></footer>\n<script>",
		    rep->opt.version ? rep->opt.version : "", rep->opt.today ? rep->opt.today : "");
	rbuf_puts(b, report_js);
	rbuf_puts(b, "</script>\n</body>\n</html>\n");
	return !rbuf_failed(b);
}
