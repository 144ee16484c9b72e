/*
 * panel.c - the HTML report's shared pieces and its panels after the top
 * pages (panel.h). Markup only: the figures are the model's (report.h),
 * every value from the database goes through rbuf_html, and every id is
 * made of numbers. No panel draws what the model does not hold: an empty
 * table says why it is empty instead.
 *
 * The privacy statement uses what the days keep (K, mask) when the
 * database keeps it, and says "unknown" otherwise; retention and opt-out
 * are not kept with the data, so it takes them from the settings the
 * report runs with, and says so.
 */
#include "panel.h"

#include <string.h>

#include "chart.h"

const char *const panel_dimension_titles[DIM_COUNT] = {
	[DIM_BROWSER] = "Browsers",
	[DIM_OS] = "Operating systems",
	[DIM_DEVICE] = "Devices",
	[DIM_COUNTRY] = "Countries",
	[DIM_REGION] = "Regions",
	[DIM_REFERRER] = "Referrers",
	[DIM_REFERRER_TYPE] = "Referrer types",
	[DIM_SCREEN] = "Screen sizes",
};

const enum dimension panel_dimension_order[DIM_COUNT] = {
	DIM_REFERRER_TYPE, DIM_REFERRER, DIM_DEVICE,  DIM_BROWSER,
	DIM_OS,		   DIM_SCREEN,	 DIM_COUNTRY, DIM_REGION,
};

static const char *const source_titles[REPORT_NSOURCES] = {
	[REPORT_SERVER] = "Server time (to answer, as the log records it)",
	[REPORT_CLIENT] = "Load time in the browser (beacon, navigation timing)",
};

void panel_num(struct rbuf *b, uint64_t v)
{
	rbuf_printf(b, "<td class=\"n\" data-v=\"%llu\">", (unsigned long long)v);
	rbuf_count(b, v);
	rbuf_puts(b, "</td>");
}

void panel_count(struct rbuf *b, uint64_t v)
{
	rbuf_puts(b, "<td class=\"n\">");
	rbuf_count(b, v);
	rbuf_puts(b, "</td>");
}

const char panel_other_note[] =
	"<p class=\"note\"><sup>*</sup> (other): values seen by too few visitors on a day are "
	"folded together on purpose, so that no small group can be singled out; they cannot be "
	"told apart.</p>";
const char panel_visitors_note[] =
	"<p class=\"note\">Visitors are summed per day; shares are of the visitors of all "
	"values.</p>";

void panel_rate(struct rbuf *b, uint64_t part, uint64_t whole)
{
	if (!whole) {
		rbuf_puts(b, "<td class=\"n\" data-v=\"\">-</td>");
		return;
	}
	rbuf_printf(b, "<td class=\"n\" data-v=\"%llu\">",
		    (unsigned long long)rbuf_permille(part, whole));
	rbuf_percent(b, part, whole);
	rbuf_puts(b, "</td>");
}

void panel_mean_time(struct rbuf *b, uint64_t s, uint64_t n)
{
	if (!n) {
		rbuf_puts(b, "<td class=\"n\" data-v=\"\">-</td>");
		return;
	}
	uint64_t mean = (s + n / 2) / n;
	rbuf_printf(b, "<td class=\"n\" data-v=\"%llu\">", (unsigned long long)mean);
	rbuf_duration(b, mean);
	rbuf_puts(b, "</td>");
}

static void ms_cell(struct rbuf *b, uint64_t ms, bool any)
{
	if (!any) {
		rbuf_puts(b, "<td class=\"n\" data-v=\"\">-</td>");
		return;
	}
	rbuf_printf(b, "<td class=\"n\" data-v=\"%llu\">", (unsigned long long)ms);
	rbuf_ms(b, ms);
	rbuf_puts(b, "</td>");
}

/* A bar: an SVG rect as wide as part / most, most being the table's
 * largest row (no style attribute: the page's policy allows none). */
static void bar_cell(struct rbuf *b, uint64_t part, uint64_t most)
{
	uint64_t pm = rbuf_permille(part, most);
	rbuf_printf(b, "<td class=\"bar\"><svg class=\"bar\" aria-hidden=\"true\"><rect width=\"%u.%u%%\" "
		       "height=\"100%%\"/></svg></td>", (unsigned)(pm / 10), (unsigned)(pm % 10));
}

/* The measure of a row that its share and bar show. */
static uint64_t measure(const struct panel_cut *how, const struct report_cell *r)
{
	return how->with_visitors ? r->visitors : r->pageviews;
}

static void cut_row(struct rbuf *b, const struct report_cut *c, const struct report_cell *r,
		    const struct panel_cut *how, bool other, uint64_t most)
{
	uint64_t share_of = how->with_visitors ? c->sum_visitors : c->sum_pageviews;
	uint64_t part = measure(how, r);
	rbuf_puts(b, other ? "<tr class=\"other\">" : "<tr>");
	if (how->with_kind) {
		rbuf_puts(b, "<td>");
		rbuf_html_str(b, r->kind ? r->kind : "");
		rbuf_puts(b, "</td>");
	}
	rbuf_puts(b, "<td class=\"v\">");
	if (other)
		rbuf_puts(b, "(other)<sup>*</sup>");
	else if (!r->value[0])
		rbuf_puts(b, "<span class=\"muted\">(none)</span>");
	else
		rbuf_html_str(b, r->value);
	rbuf_puts(b, "</td>");
	if (!how->compact)
		bar_cell(b, part, most);
	void (*num)(struct rbuf *, uint64_t) = how->compact ? panel_count : panel_num;
	if (how->with_visitors)
		num(b, r->visitors);
	if (how->compact) {
		rbuf_puts(b, "<td class=\"n\">");
		rbuf_percent(b, part, share_of);
		rbuf_puts(b, "</td>");
	} else {
		panel_rate(b, part, share_of);
	}
	num(b, r->pageviews);
	rbuf_puts(b, "</tr>");
}

static void cut_head(struct rbuf *b, const struct report_cut *c, const struct panel_cut *how)
{
	rbuf_puts(b, "<table class=\"cut\"><caption>");
	rbuf_html_str(b, how->title);
	if (c->total > c->n)
		rbuf_printf(b, ": top %zu of %zu %s shown", c->n, c->total, how->what);
	else
		rbuf_printf(b, ": all %zu %s", c->total, how->what);
	rbuf_puts(b, "</caption><thead><tr>");
	if (how->with_kind)
		rbuf_puts(b, "<th scope=\"col\">Action</th>");
	rbuf_puts(b, "<th scope=\"col\">Value</th>");
	if (!how->compact)
		rbuf_puts(b, "<th><span class=\"muted\">share</span></th>");
	if (how->with_visitors)
		rbuf_puts(b, "<th scope=\"col\" class=\"n\">Visitors</th>");
	rbuf_printf(b, "<th scope=\"col\" class=\"n\">Share</th><th scope=\"col\" class=\"n\">%s</th>"
		       "</tr></thead><tbody>", how->count);
}

void panel_cut(struct rbuf *b, const struct report_cut *c, const struct panel_cut *how)
{
	struct report_cell o = { NULL, DIM_OTHER, c->other_pageviews, c->other_visitors };
	uint64_t most = c->has_other ? measure(how, &o) : 0;
	for (size_t i = 0; i < c->n; i++)
		if (measure(how, &c->rows[i]) > most)
			most = measure(how, &c->rows[i]);
	cut_head(b, c, how);
	for (size_t i = 0; i < c->n; i++)
		cut_row(b, c, &c->rows[i], how, false, most);
	if (c->has_other)
		cut_row(b, c, &o, how, true, most);
	rbuf_puts(b, "</tbody></table>");
	if (c->has_other && !how->compact)
		rbuf_puts(b, panel_other_note);
	if (how->with_visitors && !how->compact)
		rbuf_puts(b, panel_visitors_note);
}

/* ---- breakdowns ------------------------------------------------------------------ */

static bool cut_empty(const struct report_cut *c)
{
	return c->total == 0 && !c->has_other;
}

static void dims_panel(struct rbuf *b, const struct report_site *s, const char *title,
		       const char *none, const enum dimension *dims, int n)
{
	rbuf_printf(b, "<section class=\"panel\"><h3>%s</h3>", title);
	bool any = false;
	rbuf_puts(b, "<div class=\"grid2\">");
	for (int i = 0; i < n; i++) {
		if (cut_empty(&s->dims[dims[i]]))
			continue;
		struct panel_cut how = { panel_dimension_titles[dims[i]], "values", "Pageviews", true,
					 false, false };
		rbuf_puts(b, "<div class=\"scroll\">");
		panel_cut(b, &s->dims[dims[i]], &how);
		rbuf_puts(b, "</div>");
		any = true;
	}
	rbuf_puts(b, "</div>");
	if (!any)
		rbuf_printf(b, "<p class=\"muted\">%s</p>", none);
	rbuf_puts(b, "</section>");
}

void panel_breakdowns(struct rbuf *b, const struct report *rep, size_t i)
{
	static const enum dimension from[] = { DIM_REFERRER_TYPE, DIM_REFERRER };
	static const enum dimension tech[] = { DIM_DEVICE, DIM_BROWSER, DIM_OS, DIM_SCREEN };
	static const enum dimension geo[] = { DIM_COUNTRY, DIM_REGION };
	const struct report_site *s = &rep->sites[i];
	dims_panel(b, s, "Where visitors come from",
		   "No referrers in this range (the log format has no referrer field).", from, 2);
	dims_panel(b, s, "Devices, browsers, systems",
		   "No devices in this range (user agents were not classified).", tech, 4);
	dims_panel(b, s, "Countries and regions",
		   "No geography in this range (no GeoIP database was used).", geo, 2);
}

/* ---- load times ------------------------------------------------------------------ */

static void load_row(struct rbuf *b, const char *what, const struct report_load *l)
{
	rbuf_puts(b, "<tr><td class=\"v\">");
	rbuf_html_str(b, what);
	rbuf_puts(b, "</td>");
	panel_num(b, l->n);
	ms_cell(b, l->p50, l->n);
	ms_cell(b, l->p75, l->n);
	ms_cell(b, l->p95, l->n);
	rbuf_puts(b, "</tr>");
}

static void load_head(struct rbuf *b, const char *caption, const char *first)
{
	rbuf_printf(b, "<table><caption>%s</caption><thead><tr><th scope=\"col\">%s</th>"
		       "<th scope=\"col\" class=\"n\">Timed views</th><th scope=\"col\" class=\"n\">p50</th>"
		       "<th scope=\"col\" class=\"n\">p75</th><th scope=\"col\" class=\"n\">p95</th>"
		       "</tr></thead><tbody>", caption, first);
}

static void load_chart(struct rbuf *b, const struct report *rep, const struct report_site *s,
		       int src)
{
	size_t n = rep->ndays;
	uint64_t v[3][REPORT_DAYS_MAX];
	bool has[REPORT_DAYS_MAX];
	for (size_t d = 0; d < n; d++) {
		const struct report_load *l = &s->load_days[d][src];
		has[d] = l->n > 0;
		v[0][d] = l->p50;
		v[1][d] = l->p75;
		v[2][d] = l->p95;
	}
	struct chart c = { "Load time percentiles per day", rep->day_names, n, has, NULL,
			   { { "ms p50", "s0", CHART_LINE, v[0] }, { "ms p75", "s1", CHART_LINE, v[1] },
			     { "ms p95", "s2", CHART_LINE, v[2] } },
			   3, CHART_MS, false, true, false };
	chart_svg(b, &c);
	rbuf_puts(b, "<p class=\"legend\"><span><i class=\"key s0\"></i>p50 (half the views were "
		     "faster)</span><span><i class=\"key s1\"></i>p75</span><span><i class=\"key s2\">"
		     "</i>p95</span><span><i class=\"key gap\"></i>no timed views</span></p>");
	rbuf_puts(b, "<details><summary>The days as a table</summary><div class=\"scroll\">");
	load_head(b, "Load time per day", "Day");
	for (size_t d = 0; d < n; d++)
		load_row(b, rep->day_names[d], &s->load_days[d][src]);
	rbuf_puts(b, "</tbody></table></div></details>");
}

static void slow_table(struct rbuf *b, const struct report_site *s, int src)
{
	if (!s->nslow[src])
		return;
	rbuf_puts(b, "<div class=\"scroll\">");
	load_head(b, "Slowest pages by p75 (pages with at least 10 timed views)", "Page");
	for (size_t i = 0; i < s->nslow[src]; i++)
		load_row(b, s->slow[src][i].page, &s->slow[src][i].load);
	rbuf_puts(b, "</tbody></table></div>");
}

void panel_loads(struct rbuf *b, const struct report *rep, size_t i)
{
	const struct report_site *s = &rep->sites[i];
	rbuf_puts(b, "<section class=\"panel\"><h3>Load times</h3>");
	if (!s->load[REPORT_SERVER].n && !s->load[REPORT_CLIENT].n)
		rbuf_puts(b, "<p class=\"muted\">No load times in this range: the log format records "
			     "no duration (nginx $request_time, Apache %D) and no beacon reported.</p>");
	for (int src = 0; src < REPORT_NSOURCES; src++) {
		if (!s->load[src].n)
			continue;
		rbuf_printf(b, "<h4>%s</h4>", source_titles[src]);
		load_chart(b, rep, s, src);
		rbuf_puts(b, "<div class=\"scroll\">");
		load_head(b, "Over the whole range", "Range");
		load_row(b, "all pages", &s->load[src]);
		rbuf_puts(b, "</tbody></table></div>");
		slow_table(b, s, src);
	}
	rbuf_puts(b, "<p class=\"note\">Percentiles are estimated from counts in fixed buckets "
		     "(10, 25, 50, 100 ms ... 60 s), interpolated within the bucket.</p></section>");
}

/* ---- engagement and actions --------------------------------------------------------- */

void panel_engagement(struct rbuf *b, const struct report *rep, size_t i)
{
	const struct report_site *s = &rep->sites[i];
	const struct report_engagement *e = &s->eng;
	rbuf_puts(b, "<section class=\"panel\"><h3>Engagement and actions</h3>");
	if (!e->measured && cut_empty(&s->actions)) {
		rbuf_puts(b, "<p class=\"muted\">No beacon data in this range: add beacon/logfold.js "
			     "to the pages to measure time spent, scrolling and clicks.</p></section>");
		return;
	}
	rbuf_puts(b, "<div class=\"scroll\"><table><caption>Page views that reported on leaving"
		     "</caption><thead><tr><th scope=\"col\" class=\"n\">Measured views</th>"
		     "<th scope=\"col\" class=\"n\">Mean engaged time</th>"
		     "<th scope=\"col\" class=\"n\">Scrolled 25%</th><th scope=\"col\" class=\"n\">50%</th>"
		     "<th scope=\"col\" class=\"n\">75%</th><th scope=\"col\" class=\"n\">100%</th>"
		     "</tr></thead><tbody><tr>");
	panel_num(b, e->measured);
	panel_mean_time(b, e->engaged_s, e->measured);
	for (int k = 0; k < 4; k++)
		panel_rate(b, e->scroll[k], e->measured);
	rbuf_puts(b, "</tr></tbody></table></div>");
	if (!cut_empty(&s->actions)) {
		struct panel_cut how = { "Actions", "labels", "Count", true, true, false };
		rbuf_puts(b, "<div class=\"scroll\">");
		panel_cut(b, &s->actions, &how);
		rbuf_puts(b, "</div><p class=\"note\">An action's visitors are summed per page and "
			     "day.</p>");
	}
	rbuf_puts(b, "</section>");
}

/* ---- robots, data quality ---------------------------------------------------------- */

void panel_bots(struct rbuf *b, const struct report *rep, size_t i)
{
	const struct report_site *s = &rep->sites[i];
	rbuf_puts(b, "<section class=\"panel\"><h3>Robots</h3><p class=\"note\">Requests from "
		     "robots, apart from the audience: never counted as visitors.</p>");
	if (cut_empty(&s->bots)) {
		rbuf_puts(b, "<p class=\"muted\">No robot requests in this range.</p></section>");
		return;
	}
	struct panel_cut how = { "Robot families", "robots", "Requests", false, false, false };
	rbuf_puts(b, "<div class=\"scroll\">");
	panel_cut(b, &s->bots, &how);
	rbuf_puts(b, "</div></section>");
}

/* The days of s in state st, as a list of days and runs of days. */
static size_t list_days(struct rbuf *b, const struct report *rep, const struct report_site *s,
			enum report_day_state st, bool no_totals)
{
	size_t count = 0;
	for (size_t d = 0; d < rep->ndays; d++) {
		bool in = no_totals ? s->days[d].state != REPORT_DAY_NONE && !s->days[d].has_totals
				    : s->days[d].state == st;
		if (!in)
			continue;
		size_t e = d;
		while (e + 1 < rep->ndays && (no_totals ? s->days[e + 1].state != REPORT_DAY_NONE &&
							  !s->days[e + 1].has_totals
							: s->days[e + 1].state == st))
			e++;
		rbuf_printf(b, "%s%s", count ? ", " : "", rep->day_names[d]);
		if (e > d)
			rbuf_printf(b, " to %s", rep->day_names[e]);
		count += e - d + 1;
		d = e;
	}
	if (!count)
		rbuf_puts(b, "none");
	return count;
}

void panel_quality(struct rbuf *b, const struct report *rep, size_t i)
{
	const struct report_site *s = &rep->sites[i];
	rbuf_puts(b, "<section class=\"panel\"><h3>Data quality</h3><ul>"
		     "<li>Days with no data (drawn as gaps, never as zeros): ");
	list_days(b, rep, s, REPORT_DAY_NONE, false);
	rbuf_puts(b, "</li><li>Days still open (<span class=\"state-open\">still changing</span>: "
		     "the next run that reads their lines rewrites them): ");
	list_days(b, rep, s, REPORT_DAY_OPEN, false);
	rbuf_puts(b, "</li>");
	if (s->missing_totals) {
		rbuf_puts(b, "<li>Days written by a logfold without site totals (not in the overview; "
			     "rebuild them with --rebuild DAY to add them): ");
		list_days(b, rep, s, REPORT_DAY_NONE, true);
		rbuf_puts(b, "</li>");
	}
	rbuf_puts(b, "</ul></section>");
}

/* ---- runs ----------------------------------------------------------------------- */

static void runs_head(struct rbuf *b)
{
	rbuf_puts(b, "<thead><tr><th scope=\"col\">Started (UTC day)</th><th scope=\"col\">Version"
		     "</th><th scope=\"col\" class=\"n\">Inputs</th><th scope=\"col\" class=\"n\">Lines"
		     "</th><th scope=\"col\" class=\"n\">"
		     "Pageviews</th><th scope=\"col\" class=\"n\">Beacon</th>");
	for (int k = 0; k < SKIP_NREASONS; k++)
		rbuf_printf(b, "<th scope=\"col\" class=\"n\">%s</th>", skip_reason_names[k]);
	rbuf_puts(b, "</tr></thead>");
}

void panel_runs(struct rbuf *b, const struct report *rep)
{
	rbuf_puts(b, "<section class=\"panel\" id=\"runs\"><h3>Runs</h3><p class=\"note\">The runs "
		     "that started on the range's first day or later (a run keeps the day it "
		     "started, not the days it read), the latest first: lines read, and every line "
		     "not counted as a pageview by reason (the README's \"What counts\").</p>");
	if (!rep->runs_total) {
		rbuf_puts(b, "<p class=\"muted\">No run since the range's first day.</p></section>");
		return;
	}
	rbuf_puts(b, "<div class=\"scroll\"><table><caption>");
	if (rep->runs_total > rep->nruns)
		rbuf_printf(b, "The latest %zu of %zu runs", rep->nruns, rep->runs_total);
	else
		rbuf_printf(b, "%zu run%s", rep->nruns, rep->nruns > 1 ? "s" : "");
	rbuf_puts(b, "</caption>");
	runs_head(b);
	rbuf_puts(b, "<tbody>");
	for (size_t i = 0; i < rep->nruns; i++) {
		const struct report_run *r = &rep->runs[i];
		rbuf_puts(b, "<tr><td>");
		rbuf_html(b, r->started, strnlen(r->started, sizeof(r->started)));
		rbuf_puts(b, "</td><td>");
		rbuf_html_str(b, r->version);
		rbuf_puts(b, "</td>");
		panel_num(b, r->inputs);
		panel_num(b, r->lines);
		panel_num(b, r->pageviews);
		panel_num(b, r->beacon);
		for (int k = 0; k < SKIP_NREASONS; k++)
			panel_num(b, r->skipped[k]);
		rbuf_puts(b, "</tr>");
	}
	rbuf_puts(b, "</tbody></table></div></section>");
}

/* ---- privacy statement and settings ------------------------------------------------ */

/* The range of a setting over the sites' days: *lo, *hi, and *partial
 * when some days (or sites) do not say; false when none says. */
static bool kept_range(const struct report *rep, bool mask, int *lo, int *hi, bool *partial)
{
	*lo = *hi = 0;
	*partial = false;
	for (size_t i = 0; i < rep->nsites; i++) {
		const struct report_site *s = &rep->sites[i];
		int a = mask ? s->mask_min : s->k_min, z = mask ? s->mask_max : s->k_max;
		*partial |= a < 0 || (mask ? s->mask_partial : s->k_partial);
		if (a < 0 || z < 0)
			continue;
		if (!*hi || a < *lo)
			*lo = a;
		if (z > *hi)
			*hi = z;
	}
	return *hi > 0;
}

/* A kept setting in words: "2", "1 to 2 (it changed within the range)",
 * with "(not recorded for some days)" when so; NULL when unknown. */
static const char *setting_words(struct rbuf *b, const struct report *rep, bool mask)
{
	int lo, hi;
	bool partial;
	if (!kept_range(rep, mask, &lo, &hi, &partial))
		return NULL;
	if (lo == hi)
		rbuf_printf(b, "%d", lo);
	else
		rbuf_printf(b, "%d to %d (it changed within the range)", lo, hi);
	if (partial)
		rbuf_puts(b, " (not recorded for some days)");
	return b->p;
}

static void optout_words(struct rbuf *b, const struct report_options *o)
{
	if (o->honor_gpc || o->honor_dnt)
		rbuf_printf(b, " You can object to it by turning on your browser's %s signal%s.",
			    o->honor_gpc && o->honor_dnt ? "Global Privacy Control or Do Not Track"
			    : o->honor_gpc ? "Global Privacy Control" : "Do Not Track",
			    o->optout_cookie ? ", or with the opt-out link of this site" : "");
	else if (o->optout_cookie)
		rbuf_puts(b, " You can object to it with the opt-out link of this site.");
}

void panel_statement(struct rbuf *b, const struct report *rep)
{
	struct rbuf w;
	rbuf_init(&w);
	rbuf_puts(b, "This site measures its audience from its web server's logs with logfold, "
		     "without cookies and without asking for consent, under the CNIL's exemption "
		     "for audience measurement. For each page and day, and for the whole site each "
		     "day, it counts pageviews, visitors, visits, bounces and time on page, and "
		     "where visitors came from (a site's host name only). IP addresses are "
		     "shortened before anything is stored or looked up (");
	const char *mask = setting_words(&w, rep, true);
	if (mask)
		rbuf_printf(b, "bytes removed from the end of an IPv4 address: %s", mask);
	else
		rbuf_puts(b, "by how much is not recorded with these days");
	rbuf_puts(b, "); query strings and identifiers in addresses are removed; robots are not "
		     "counted. A visitor is told apart only while one run processes the logs, from "
		     "the full address and browser in memory under a random key destroyed "
		     "afterwards: no address, user agent, cookie, query string or identifier is "
		     "stored, and no time finer than a day (an hour for page load times). ");
	rbuf_clear(&w);
	const char *k = setting_words(&w, rep, false);
	if (k)
		rbuf_printf(b, "A breakdown value seen by fewer than %s visitors in a day is folded "
			       "into \"(other)\". ", k);
	else
		rbuf_puts(b, "Breakdown values seen by too few visitors in a day are folded into "
			     "\"(other)\" (the threshold is not recorded with these days). ");
	if (rep->opt.retention > 0)
		rbuf_printf(b, "Days are kept for %d months at most.", rep->opt.retention);
	optout_words(b, &rep->opt);
	b->failed |= w.failed;
	rbuf_free(&w);
}

void panel_privacy(struct rbuf *b, const struct report *rep)
{
	rbuf_puts(b, "<section class=\"panel\" id=\"privacy\"><h2>How these statistics were made"
		     "</h2><p class=\"statement\">");
	struct rbuf t;
	rbuf_init(&t);
	panel_statement(&t, rep);
	rbuf_html(b, t.p ? t.p : "", t.n);
	b->failed |= t.failed;
	rbuf_free(&t);
	rbuf_puts(b, "</p><p class=\"note\">Words ready to paste into a privacy policy, made from "
		     "the settings the data was computed with; retention and opt-out are the "
		     "settings logfold runs with now.</p></section>");
}

static void setting_row(struct rbuf *b, const char *name, const char *value)
{
	rbuf_printf(b, "<tr><th scope=\"row\">%s</th><td>", name);
	rbuf_html_str(b, value);
	rbuf_puts(b, "</td></tr>");
}

void panel_settings(struct rbuf *b, const struct report *rep)
{
	struct rbuf v;
	const struct report_options *o = &rep->opt;
	rbuf_init(&v);
	rbuf_puts(b, "<section class=\"panel\" id=\"settings\"><h3>Settings</h3><div class=\"scroll\">"
		     "<table><tbody>");
	const char *unknown = "unknown (not recorded with these days)";
	const char *w = setting_words(&v, rep, true);
	setting_row(b, "IP bytes masked (kept with the days)", w ? w : unknown);
	rbuf_clear(&v);
	w = setting_words(&v, rep, false);
	setting_row(b, "Small-cell threshold K (kept with the days)", w ? w : unknown);
	rbuf_clear(&v);
	rbuf_printf(&v, "%d months", o->retention);
	setting_row(b, "Retention (configured now)", v.p ? v.p : "");
	rbuf_clear(&v);
	rbuf_printf(&v, "%s%s%s", o->honor_gpc ? "Global Privacy Control; " : "",
		    o->honor_dnt ? "Do Not Track; " : "", o->optout_cookie ? "opt-out cookie or field" : "");
	setting_row(b, "Opt-out honoured (configured now)", v.n ? v.p : "none");
	setting_row(b, "Configuration file", o->config_file ? o->config_file : "none");
	rbuf_clear(&v);
	rbuf_printf(&v, "logfold %s", o->version ? o->version : "");
	setting_row(b, "Report made by", v.p ? v.p : "");
	rbuf_puts(b, "</tbody></table></div></section>");
	b->failed |= v.failed;
	rbuf_free(&v);
}
