/*
 * report_json.c - the JSON report (report_json.h). Written by hand with
 * rbuf_json for every string, so that a page name cannot break out of
 * its string, and counts as plain integers (a rate is left to the reader:
 * the parts are there). Keys are snake_case, like the tables' columns.
 */
#include "report_json.h"

#include <string.h>

#include "panel.h"

static void key(struct rbuf *b, const char *k, bool first)
{
	rbuf_printf(b, "%s\"%s\":", first ? "" : ",", k);
}

static void str(struct rbuf *b, const char *s)
{
	rbuf_json(b, s, strlen(s));
}

static void u64(struct rbuf *b, const char *k, uint64_t v, bool first)
{
	key(b, k, first);
	rbuf_printf(b, "%llu", (unsigned long long)v);
}

static void totals(struct rbuf *b, const struct report_totals *t, bool pages)
{
	u64(b, "pageviews", t->pageviews, true);
	u64(b, "visitors", t->visitors, false);
	u64(b, "visits", t->visits, false);
	u64(b, "bounces", t->bounces, false);
	u64(b, "time_on_page_s", t->time_s, false);
	u64(b, "time_on_page_n", t->time_n, false);
	if (pages) {
		u64(b, "entrances", t->entrances, false);
		u64(b, "exits", t->exits, false);
	}
}

static void cut(struct rbuf *b, const struct report_cut *c, bool visitors)
{
	rbuf_puts(b, "{");
	u64(b, "total_values", c->total, true);
	u64(b, "sum_pageviews", c->sum_pageviews, false);
	if (visitors)
		u64(b, "sum_visitors", c->sum_visitors, false);
	key(b, "rows", false);
	rbuf_puts(b, "[");
	for (size_t i = 0; i < c->n; i++) {
		rbuf_puts(b, i ? ",{" : "{");
		if (c->rows[i].kind) {
			key(b, "action", true);
			str(b, c->rows[i].kind);
		}
		key(b, "value", !c->rows[i].kind);
		str(b, c->rows[i].value);
		u64(b, "pageviews", c->rows[i].pageviews, false);
		if (visitors)
			u64(b, "visitors", c->rows[i].visitors, false);
		rbuf_puts(b, "}");
	}
	rbuf_puts(b, "]");
	key(b, "other", false);
	if (c->has_other) {
		rbuf_puts(b, "{");
		u64(b, "pageviews", c->other_pageviews, true);
		if (visitors)
			u64(b, "visitors", c->other_visitors, false);
		rbuf_puts(b, "}");
	} else {
		rbuf_puts(b, "null");
	}
	rbuf_puts(b, "}");
}

static void dims(struct rbuf *b, const struct report_cut *d)
{
	rbuf_puts(b, "{");
	for (int k = 0; k < DIM_COUNT; k++) {
		key(b, dimension_names[k], k == 0);
		cut(b, &d[k], true);
	}
	rbuf_puts(b, "}");
}

static void load(struct rbuf *b, const struct report_load *l)
{
	rbuf_puts(b, "{");
	u64(b, "n", l->n, true);
	u64(b, "p50_ms", l->p50, false);
	u64(b, "p75_ms", l->p75, false);
	u64(b, "p95_ms", l->p95, false);
	rbuf_puts(b, "}");
}

static void engagement(struct rbuf *b, const struct report_engagement *e)
{
	rbuf_puts(b, "{");
	u64(b, "measured", e->measured, true);
	u64(b, "engaged_s", e->engaged_s, false);
	u64(b, "scroll_25", e->scroll[0], false);
	u64(b, "scroll_50", e->scroll[1], false);
	u64(b, "scroll_75", e->scroll[2], false);
	u64(b, "scroll_100", e->scroll[3], false);
	rbuf_puts(b, "}");
}

static const char *const source_names[REPORT_NSOURCES] = { "server", "client" };
static const char *const state_names[] = { "none", "open", "closed" };

static void site_loads(struct rbuf *b, const struct report *rep, const struct report_site *s)
{
	rbuf_puts(b, "{");
	for (int src = 0; src < REPORT_NSOURCES; src++) {
		key(b, source_names[src], src == 0);
		rbuf_puts(b, "{");
		key(b, "range", true);
		load(b, &s->load[src]);
		key(b, "days", false);
		for (size_t d = 0; d < rep->ndays; d++) {
			rbuf_printf(b, "%s{\"day\":\"%s\",\"load\":", d ? "," : "[", rep->day_names[d]);
			load(b, &s->load_days[d][src]);
			rbuf_puts(b, "}");
		}
		rbuf_puts(b, rep->ndays ? "]" : "[]");
		key(b, "slowest", false);
		rbuf_puts(b, "[");
		for (size_t i = 0; i < s->nslow[src]; i++) {
			rbuf_puts(b, i ? ",{\"page\":" : "{\"page\":");
			str(b, s->slow[src][i].page);
			key(b, "load", false);
			load(b, &s->slow[src][i].load);
			rbuf_puts(b, "}");
		}
		rbuf_puts(b, "]}");
	}
	rbuf_puts(b, "}");
}

static void days(struct rbuf *b, const struct report *rep, const struct report_site *s)
{
	rbuf_puts(b, "[");
	for (size_t d = 0; d < rep->ndays; d++) {
		rbuf_printf(b, "%s{\"day\":\"%s\",\"state\":\"%s\",\"totals\":", d ? "," : "",
			    rep->day_names[d], state_names[s->days[d].state]);
		if (s->days[d].has_totals) {
			rbuf_puts(b, "{");
			totals(b, &s->days[d].t, false);
			rbuf_puts(b, "}}");
		} else {
			rbuf_puts(b, "null}");
		}
	}
	rbuf_puts(b, "]");
}

static void pages(struct rbuf *b, const struct report_site *s)
{
	rbuf_puts(b, "{");
	u64(b, "total", s->pages_total, true);
	key(b, "rows", false);
	rbuf_puts(b, "[");
	for (size_t i = 0; i < s->npages; i++) {
		rbuf_puts(b, i ? ",{\"page\":" : "{\"page\":");
		str(b, s->pages[i].page);
		rbuf_puts(b, ",");
		totals(b, &s->pages[i].t, true);
		rbuf_printf(b, ",\"drilldown\":%s}", s->pages[i].drill >= 0 ? "true" : "false");
	}
	rbuf_puts(b, "]}");
}

static void drill(struct rbuf *b, const struct report *rep, const struct report_drill *d)
{
	rbuf_puts(b, "{\"page\":");
	str(b, d->page);
	key(b, "days", false);
	rbuf_puts(b, "[");
	for (size_t k = 0; k < rep->ndays; k++) {
		rbuf_printf(b, "%s{\"day\":\"%s\"", k ? "," : "", rep->day_names[k]);
		if (d->has_day[k])
			rbuf_printf(b, ",\"pageviews\":%llu,\"visitors\":%llu",
				    (unsigned long long)d->days[k].pageviews,
				    (unsigned long long)d->days[k].visitors);
		rbuf_puts(b, "}");
	}
	rbuf_puts(b, "]");
	key(b, "breakdowns", false);
	dims(b, d->dims);
	key(b, "load", false);
	rbuf_puts(b, "{\"server\":");
	load(b, &d->load[REPORT_SERVER]);
	rbuf_puts(b, ",\"client\":");
	load(b, &d->load[REPORT_CLIENT]);
	rbuf_puts(b, "}");
	key(b, "engagement", false);
	engagement(b, &d->eng);
	key(b, "actions", false);
	cut(b, &d->actions, true);
	rbuf_puts(b, "}");
}

/* A list of days of s that are in state st (or without totals). */
static void day_list(struct rbuf *b, const struct report *rep, const struct report_site *s,
		     int st)
{
	bool first = true;
	rbuf_puts(b, "[");
	for (size_t d = 0; d < rep->ndays; d++) {
		const struct report_day *day = &s->days[d];
		bool in = st < 0 ? day->state != REPORT_DAY_NONE && !day->has_totals
				 : (int)day->state == st;
		if (in)
			rbuf_printf(b, "%s\"%s\"", first ? "" : ",", rep->day_names[d]);
		first &= !in;
	}
	rbuf_puts(b, "]");
}

static void kept(struct rbuf *b, const char *k, int lo, int hi, bool partial)
{
	key(b, k, false);
	if (lo < 0 || hi < 0)
		rbuf_puts(b, "null");
	else
		rbuf_printf(b, "{\"min\":%d,\"max\":%d,\"some_days_unknown\":%s}", lo, hi,
			    partial ? "true" : "false");
}

static void private_parts(struct rbuf *b, const struct report *rep, const struct report_site *s)
{
	key(b, "bots", false);
	cut(b, &s->bots, false);
	key(b, "quality", false);
	rbuf_puts(b, "{\"days_without_data\":");
	day_list(b, rep, s, REPORT_DAY_NONE);
	rbuf_puts(b, ",\"days_open\":");
	day_list(b, rep, s, REPORT_DAY_OPEN);
	rbuf_puts(b, ",\"days_without_site_totals\":");
	day_list(b, rep, s, -1);
	rbuf_puts(b, "}");
	key(b, "kept_settings", false);
	rbuf_puts(b, "{\"note\":\"as the days table keeps them; null: not kept\"");
	kept(b, "mask_bytes", s->mask_min, s->mask_max, s->mask_partial);
	kept(b, "min_visitors", s->k_min, s->k_max, s->k_partial);
	rbuf_puts(b, "}");
}

static void site(struct rbuf *b, const struct report *rep, const struct report_site *s)
{
	rbuf_puts(b, "{\"site\":");
	str(b, s->site);
	rbuf_puts(b, ",\"overview\":{");
	totals(b, &s->cur, false);
	u64(b, "days_with_totals", s->cur_days, false);
	rbuf_puts(b, ",\"previous\":{");
	totals(b, &s->prev, false);
	u64(b, "days_with_totals", s->prev_days, false);
	rbuf_puts(b, "}},\"days\":");
	days(b, rep, s);
	key(b, "pages", false);
	pages(b, s);
	key(b, "breakdowns", false);
	dims(b, s->dims);
	key(b, "load", false);
	site_loads(b, rep, s);
	key(b, "engagement", false);
	engagement(b, &s->eng);
	key(b, "actions", false);
	cut(b, &s->actions, true);
	key(b, "drilldowns", false);
	for (size_t k = 0; k < s->ndrills; k++) {
		rbuf_puts(b, k ? "," : "[");
		drill(b, rep, &s->drills[k]);
	}
	rbuf_puts(b, s->ndrills ? "]" : "[]");
	if (!rep->opt.public_page)
		private_parts(b, rep, s);
	rbuf_puts(b, "}");
}

static void runs(struct rbuf *b, const struct report *rep)
{
	rbuf_printf(b, ",\"runs\":{\"total\":%zu,\"rows\":[", rep->runs_total);
	for (size_t i = 0; i < rep->nruns; i++) {
		const struct report_run *r = &rep->runs[i];
		rbuf_printf(b, "%s{\"started\":", i ? "," : "");
		rbuf_json(b, r->started, strnlen(r->started, sizeof(r->started)));
		key(b, "version", false);
		str(b, r->version);
		u64(b, "inputs", r->inputs, false);
		u64(b, "lines", r->lines, false);
		u64(b, "pageviews", r->pageviews, false);
		u64(b, "beacon", r->beacon, false);
		for (int k = 0; k < SKIP_NREASONS; k++)
			u64(b, skip_reason_names[k], r->skipped[k], false);
		rbuf_puts(b, "}");
	}
	rbuf_puts(b, "]}");
}

static void settings(struct rbuf *b, const struct report_options *o)
{
	rbuf_printf(b, ",\"settings\":{\"retention_months\":%d,\"honor_gpc\":%s,\"honor_dnt\":%s,"
		       "\"optout_cookie\":%s,\"config_file\":", o->retention,
		    o->honor_gpc ? "true" : "false", o->honor_dnt ? "true" : "false",
		    o->optout_cookie ? "true" : "false");
	if (o->config_file)
		str(b, o->config_file);
	else
		rbuf_puts(b, "null");
	rbuf_puts(b, "}");
}

bool report_json(const struct report *rep, struct rbuf *b)
{
	rbuf_printf(b, "{\"format\":1,\"generator\":\"logfold %s\",\"made\":\"%s\",\"from\":\"%s\","
		       "\"to\":\"%s\",\"days\":%zu,\"previous\":{\"from\":\"%s\",\"to\":\"%s\"},"
		       "\"public\":%s,\"any_data\":%s,\"sites_total\":%zu,\"sites\":",
		    rep->opt.version ? rep->opt.version : "", rep->opt.today ? rep->opt.today : "",
		    rep->from, rep->to, rep->ndays, rep->prev_from, rep->prev_to,
		    rep->opt.public_page ? "true" : "false", rep->any_data ? "true" : "false",
		    rep->sites_total);
	for (size_t i = 0; i < rep->nsites; i++) {
		rbuf_puts(b, i ? "," : "[");
		site(b, rep, &rep->sites[i]);
	}
	rbuf_puts(b, rep->nsites ? "]" : "[]");
	if (!rep->opt.public_page) {
		runs(b, rep);
		settings(b, &rep->opt);
	}
	struct rbuf t;
	rbuf_init(&t);
	panel_statement(&t, rep);
	rbuf_puts(b, ",\"privacy_statement\":");
	rbuf_json(b, t.p ? t.p : "", t.n);
	b->failed |= t.failed;
	rbuf_free(&t);
	rbuf_puts(b, "}\n");
	return !rbuf_failed(b);
}
