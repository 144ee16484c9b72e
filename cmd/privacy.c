/*
 * privacy.c - `logfold privacy` (see privacy.h). Each item of the checklist
 * is one entry of privacy_checks: a feature that adds a setting the
 * exemption cares about (retention, geography, referrers) adds or edits its
 * entry. A check reads only struct config and what the configured format
 * logs (fieldset.h): it proves what this run would do, not what the
 * database already holds. The policy paragraph is policy.c's.
 *
 * It prints, and writes nothing else.
 */
#include "privacy.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../output/cells.h"
#include "../parsers/formats/fieldset.h"
#include "../parsers/reduce/geo.h"
#include "commands.h"
#include "exitcode.h"
#include "msg.h"
#include "policy.h"

/* The CNIL's limits and recommendations, as the checks and policy use them:
 * at least 2 bytes of an IPv4 address masked (a /16: no household, no
 * small office), and no cell of fewer than 5 visitors. */
#define MASK_MIN 2
#define K_MIN 5

static bool say(char *why, size_t n, bool ok, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static bool say(char *why, size_t n, bool ok, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, n, fmt, ap);
	va_end(ap);
	return ok;
}

int privacy_rule_sets(const struct config *cfg, const struct page_rules_spec **set,
		      const char **name)
{
	int n = 0;
	bool global_used = cfg->site_allow.n == 0;
	for (int i = 0; i < cfg->site_allow.n && !global_used; i++) {
		bool has_section = false;
		for (int s = 0; s < cfg->nsites; s++)
			has_section |= strcmp(cfg->sites[s].host, cfg->site_allow.v[i]) == 0;
		global_used = !has_section;
	}
	if (global_used) {
		set[n] = &cfg->rules;
		name[n++] = NULL;
	}
	for (int s = 0; s < cfg->nsites; s++) {
		set[n] = &cfg->site_rules[s];
		name[n++] = cfg->sites[s].host;
	}
	return n;
}

/* The client is taken from a header a proxy wrote (X-Forwarded-For ...). */
static bool client_from_header(const struct config *cfg)
{
	return cfg->client_ip_set && cfg->client_ip.mode != CLIENT_REMOTE;
}

static bool check_mask(const struct config *cfg, const struct scanner *fmt, char *why, size_t n)
{
	static const int v6_prefix[] = { 128, 64, 48, 32, 0 }; /* by --mask-bytes */
	int m = cfg->mask_bytes;
	if (m < MASK_MIN)
		return say(why, n, false, "mask-bytes %d zeroes only 1 byte of an IPv4 address (IPv6 "
			   "kept to /%d): set mask-bytes %d or more", m, v6_prefix[m], MASK_MIN);
	return say(why, n, true, "the last %d bytes of every IPv4 address zeroed (IPv6 kept to "
		   "/%d) before anything is stored or looked up; the full address is used only in "
		   "memory, under the per-run key, to tell visitors apart%s", m, v6_prefix[m],
		   client_from_header(cfg) ? " and to pick the client from the proxies' header" : "");
}

bool privacy_geo_on(const struct config *cfg)
{
	char path[4096];
	return cfg->geo != GEO_OFF && (cfg->geoip || geo_find_default(path, sizeof(path)));
}

/* Geography (parsers/reduce/geo.c) only ever sees the masked address and keeps
 * only ISO codes: a country, and with --geo region an ISO 3166-2 region. */
static bool check_geo(const struct config *cfg, const struct scanner *fmt, char *why, size_t n)
{
	if (cfg->geo == GEO_OFF)
		return say(why, n, true, "no geography recorded (geo off)");
	if (!privacy_geo_on(cfg))
		return say(why, n, true, "no geography recorded: no GeoIP database found (geoip)");
	return say(why, n, true, "%s, looked up on the masked address only",
		   cfg->geo == GEO_REGION ? "country and ISO 3166-2 region" : "country only");
}

static bool check_query(const struct config *cfg, const struct scanner *fmt, char *why,
			size_t n)
{
	const struct page_rules_spec *set[PARSER_SITES_MAX + 1];
	const char *name[PARSER_SITES_MAX + 1];
	int sets = privacy_rule_sets(cfg, set, name);
	size_t o = 0;
	for (int s = 0; s < sets; s++)
		for (int i = 0; i < set[s]->list[RULE_KEEP_QUERY].n && o < n; i++)
			o += (size_t)snprintf(why + o, n - o, "%s%s", o ? ", " : "only kept: ",
					      set[s]->list[RULE_KEEP_QUERY].v[i]);
	if (o == 0)
		return say(why, n, true, "dropped");
	if (o < n)
		snprintf(why + o, n - o, " (utm_*, ids and tokens are refused by name)");
	return true;
}

static bool check_path_ids(const struct config *cfg, const struct scanner *fmt, char *why,
			   size_t n)
{
	const struct page_rules_spec *set[PARSER_SITES_MAX + 1];
	const char *name[PARSER_SITES_MAX + 1];
	int sets = privacy_rule_sets(cfg, set, name);
	for (int s = 0; s < sets; s++)
		if (set[s]->keep_ids)
			return say(why, n, false, "keep-path-ids is set%s%s: e-mail addresses, UUIDs, "
				   "long numbers and tokens in paths are kept; remove it",
				   name[s] ? " for site " : "", name[s] ? name[s] : "");
	return say(why, n, true, "e-mail addresses, UUIDs, 10+ digits, tokens and JWTs become "
		   ":email :uuid :num :token, in pages and in the site's own referrers");
}

/* Referrers (parsers/reduce/referrer.c) are always reduced: another site's
 * referrer to its host, or registrable domain; the site's own to its page
 * after the site's page rules (parser.c). */
static bool check_referrers(const struct config *cfg, const struct scanner *fmt, char *why,
			    size_t n)
{
	return say(why, n, true, "external referrers by %s, never their path or query; internal "
		   "ones as the site's own page after its page rules", cfg->referrer_domain
		   ? "registrable domain" : "host");
}

/* Retention: at most 25 months (CNIL; more is refused when the option is
 * read), 13 recommended; none fails. */
static bool check_retention(const struct config *cfg, const struct scanner *fmt, char *why,
			    size_t n)
{
	if (cfg->retention == RETENTION_NONE)
		return say(why, n, false, "retention none: days are never deleted; set retention "
			   "to at most %d months (%d recommended)", RETENTION_MAX, RETENTION_DEFAULT);
	return say(why, n, true,
		   "days older than %d months are deleted by every run into a database and by "
		   "'logfold prune', and older lines are not counted%s",
		   cfg->retention, cfg->retention > RETENTION_DEFAULT ? "; 13 recommended" : "");
}

static bool check_small_cells(const struct config *cfg, const struct scanner *fmt, char *why,
			      size_t n)
{
	unsigned k = (unsigned)cfg->min_visitors;
	if (k < K_MIN)
		return say(why, n, false, "min-visitors %u publishes cells of fewer than %d visitors: "
			   "set min-visitors %d or more", k, K_MIN, K_MIN);
	return say(why, n, true, "no row of breakdown_daily, site_breakdown_daily, action_daily, "
		   "engagement_daily or load_hourly stands for fewer than %u visitors (small "
		   "cells fold into (other), an (other) below that is not written); page_daily "
		   "and site_daily are not under the rule", k);
}

static bool has_optout(const struct page_rules_spec *r)
{
	return r->honor_gpc || r->honor_dnt || r->list[RULE_OPTOUT_COOKIE].n ||
	       r->list[RULE_OPTOUT_FIELD].n;
}

void privacy_field_name(const char *spec, char *out, size_t n)
{
	size_t i = 0;
	for (; spec[i] && spec[i] != '=' && i + 1 < n; i++)
		out[i] = ascii_lower(spec[i]);
	out[i] = '\0';
}

/* The first opt-out marker of r that lines read by fmt never hold, in
 * words ("optout-cookie (the format logs no cookie)"), or NULL. */
static const char *unlogged_marker(const struct page_rules_spec *r, const struct scanner *fmt,
				   char *buf, size_t n)
{
	if (r->list[RULE_OPTOUT_COOKIE].n && fieldset_logged(fmt, "cookie") == FIELD_NOT_LOGGED)
		return "optout-cookie (the format logs no Cookie header)";
	if (r->honor_gpc && fieldset_logged(fmt, "sec-gpc") == FIELD_NOT_LOGGED)
		return "honor-gpc (the format logs no Sec-GPC header)";
	if (r->honor_dnt && fieldset_logged(fmt, "dnt") == FIELD_NOT_LOGGED)
		return "honor-dnt (the format logs no DNT header)";
	for (int i = 0; i < r->list[RULE_OPTOUT_FIELD].n; i++) {
		char name[64];
		privacy_field_name(r->list[RULE_OPTOUT_FIELD].v[i], name, sizeof(name));
		if (fieldset_logged(fmt, name) == FIELD_NOT_LOGGED) {
			snprintf(buf, n, "optout-field %s (the format logs no such field)", name);
			return buf;
		}
	}
	return NULL;
}

bool privacy_optout_logged(const struct config *cfg, const struct scanner *fmt, char *why,
			   size_t n)
{
	const struct page_rules_spec *set[PARSER_SITES_MAX + 1];
	const char *name[PARSER_SITES_MAX + 1];
	char buf[128];
	int sets = privacy_rule_sets(cfg, set, name);
	for (int s = 0; s < sets; s++) {
		const char *m = unlogged_marker(set[s], fmt, buf, sizeof(buf));
		if (m)
			return say(why, n, false, "%s%s%s can never match: format %s; opted-out "
				   "requests are counted", m, name[s] ? " for site " : "",
				   name[s] ? name[s] : "", log_format_name(fmt->format));
	}
	return true;
}

static bool check_optout(const struct config *cfg, const struct scanner *fmt, char *why,
			 size_t n)
{
	const struct page_rules_spec *set[PARSER_SITES_MAX + 1];
	const char *name[PARSER_SITES_MAX + 1];
	int sets = privacy_rule_sets(cfg, set, name);
	for (int s = 0; s < sets; s++)
		if (!has_optout(set[s]))
			return say(why, n, false, "no opt-out marker%s%s: set optout-cookie, "
				   "optout-field, honor-gpc or honor-dnt (with a format that logs it) "
				   "and offer the opt-out on the privacy page", name[s] ? " for site " : "",
				   name[s] ? name[s] : "");
	if (fmt->format == FMT_AUTO)
		return say(why, n, false, "the format is detected at run time (format auto): name "
			   "it (format, log-format, nginx-conf ...) so that this check can tell "
			   "whether it logs the opt-out marker");
	if (!privacy_optout_logged(cfg, fmt, why, n))
		return false;
	if (fmt->format == FMT_W3C || fmt->format == FMT_CLOUDFRONT)
		return say(why, n, true, "requests carrying the opt-out marker are dropped "
			   "uncounted, when the log's #Fields line names its field");
	return say(why, n, true, "requests carrying the opt-out marker are dropped uncounted "
		   "(the format logs its field)");
}

static bool check_hosts(const struct config *cfg, const struct scanner *fmt, char *why,
			size_t n)
{
	if (cfg->site_allow.n)
		return say(why, n, true, "only %d listed host%s counted (site-allow), checked before "
			   "anything is recorded", cfg->site_allow.n, cfg->site_allow.n > 1 ? "s" : "");
	if (fieldset_logged(fmt, "vhost") == FIELD_NOT_LOGGED)
		return say(why, n, true, "one site '%s': the format logs no virtual host", cfg->site);
	return say(why, n, false, "any virtual host in the logs is counted: name the site's own "
		   "with site-allow");
}

static bool check_bots(const struct config *cfg, const struct scanner *fmt, char *why,
		       size_t n)
{
	if (!cfg->uap_regexes)
		return say(why, n, true, "only robots whose agent says so (bot, crawl, spider, a "
			   "few tools) are skipped: uap-regexes none");
	return say(why, n, true, "robots (by user agent) are skipped, never counted as visitors");
}

static bool check_raw(const struct config *cfg, const struct scanner *fmt, char *why, size_t n)
{
	return say(why, n, true, "always: only the parser sees a raw line; it hands on the page, "
		   "the masked address and a visitor hash keyed per run, and the key is wiped at "
		   "exit, so no output can hold an address, agent, cookie or query");
}

const struct privacy_check privacy_checks[] = {
	{ "ip_mask", "IP addresses masked", check_mask },
	{ "geo", "geography from the masked address, no finer than region", check_geo },
	{ "query_strings", "query strings dropped", check_query },
	{ "path_ids", "identifiers in paths replaced", check_path_ids },
	{ "referrers", "referrers host-only", check_referrers },
	{ "retention", "retention at most 25 months", check_retention },
	{ "small_cells", "small-cell threshold", check_small_cells },
	{ "optout", "opt-out honoured", check_optout },
	{ "hosts", "pages limited to the site's own hosts", check_hosts },
	{ "bots", "bots excluded", check_bots },
	{ "no_raw_data", "no raw data kept", check_raw },
};
const size_t privacy_ncheck = sizeof(privacy_checks) / sizeof(privacy_checks[0]);

/* ---- output -------------------------------------------------------------- */

static void json_str(const char *s)
{
	char *buf = malloc(6 * strlen(s) + 3);
	if (!buf)
		return;
	*cells_json_string(buf, s) = '\0';
	fputs(buf, stdout);
	free(buf);
}

static void print_json(const struct config *cfg, const bool *ok, char (*why)[PRIVACY_TEXT_MAX],
		       bool inside, const char *en, const char *fr)
{
	printf("{\"inside\":%s,\"config_file\":", inside ? "true" : "false");
	if (cfg->config_file)
		json_str(cfg->config_file);
	else
		fputs("null", stdout);
	fputs(",\"checks\":[", stdout);
	for (size_t i = 0; i < privacy_ncheck; i++) {
		printf("%s{\"id\":\"%s\",\"ok\":%s,\"title\":", i ? "," : "", privacy_checks[i].id,
		       ok[i] ? "true" : "false");
		json_str(privacy_checks[i].title);
		fputs(",\"reason\":", stdout);
		json_str(why[i]);
		fputc('}', stdout);
	}
	fputs("],\"policy\":{\"en\":", stdout);
	json_str(en);
	fputs(",\"fr\":", stdout);
	json_str(fr);
	fputs("}}\n", stdout);
}

static void print_text(const struct config *cfg, const bool *ok, char (*why)[PRIVACY_TEXT_MAX],
		       bool inside, const char *en, const char *fr)
{
	printf("settings: %s%s\n", cfg->config_file ? cfg->config_file : "no config file",
	       " and the command line");
	for (size_t i = 0; i < privacy_ncheck; i++)
		printf("%s %s: %s\n", ok[i] ? "\u2713" : "\u2717", privacy_checks[i].title, why[i]);
	printf("%s\n\nPrivacy policy (English):\n%s\n\nPolitique de confidentialit\u00e9 "
	       "(fran\u00e7ais) :\n%s\n",
	       inside ? "inside the CNIL consent exemption"
		      : "OUTSIDE the CNIL consent exemption: fix the items marked \u2717",
	       en, fr);
}

int privacy_main(const struct config *cfg)
{
	/* what a shard's database holds is not what is published */
	if (cfg->db && refuse_partial(cfg->db, cfg->wait, "check its privacy") != EXIT_OK)
		return EXIT_USAGE;
	bool ok[sizeof(privacy_checks) / sizeof(privacy_checks[0])], inside = true;
	static char why[sizeof(privacy_checks) / sizeof(privacy_checks[0])][PRIVACY_TEXT_MAX];
	static char en[PRIVACY_POLICY_MAX], fr[PRIVACY_POLICY_MAX];
	static struct scanner fmt; /* large: a compiled program */
	/* what the run's format logs: a format string's or map's own fields */
	scanner_init(&fmt, cfg->format, &cfg->custom, &cfg->json_map);
	for (size_t i = 0; i < privacy_ncheck; i++) {
		ok[i] = privacy_checks[i].check(cfg, &fmt, why[i], PRIVACY_TEXT_MAX);
		inside &= ok[i];
	}
	policy_text(cfg, &fmt, false, en, sizeof(en));
	policy_text(cfg, &fmt, true, fr, sizeof(fr));
	if (cfg->json)
		print_json(cfg, ok, why, inside, en, fr);
	else
		print_text(cfg, ok, why, inside, en, fr);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		msg_error("cannot write the checklist: write error");
		return EXIT_OUTPUT;
	}
	return inside ? EXIT_OK : EXIT_BAD_LINES;
}
