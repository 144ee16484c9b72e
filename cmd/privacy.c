/*
 * privacy.c - `logfold privacy` (see privacy.h). Each item of the checklist
 * is one entry of privacy_checks: a feature that adds a setting the
 * exemption cares about (retention, geography, referrers) adds or edits its
 * entry. A check reads only struct config: it proves what this run would
 * do, not what the database already holds.
 *
 * It prints, and writes nothing else.
 */
#include "privacy.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../output/cells.h"
#include "exitcode.h"
#include "msg.h"

/* The CNIL's limits and recommendations, as the checks and policy use them. */
#define MASK_RECOMMENDED 2
#define K_RECOMMENDED 5

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

/* Every rule set a line can meet: the global one (unless --site-allow names
 * only hosts that have sections) and each section's. */
static int rule_sets(const struct config *cfg, const struct page_rules_spec **set,
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

static bool check_mask(const struct config *cfg, char *why, size_t n)
{
	static const int v6_prefix[] = { 128, 64, 48, 32, 0 }; /* by --mask-bytes */
	return say(why, n, true, "the last %d byte%s of every IPv4 address zeroed (IPv6 kept to "
		   "/%d) before anything else sees it%s", cfg->mask_bytes,
		   cfg->mask_bytes > 1 ? "s" : "", v6_prefix[cfg->mask_bytes],
		   cfg->mask_bytes < MASK_RECOMMENDED ? "; 2 recommended" : "");
}

/* Geography (parsers/reduce/geo.c) only ever sees the masked address and keeps
 * only ISO codes: a country, and with --geo region an ISO 3166-2 region. */
static bool check_geo(const struct config *cfg, char *why, size_t n)
{
	if (cfg->geo == GEO_OFF)
		return say(why, n, true, "no geography recorded (geo off)");
	return say(why, n, true, "%s, looked up on the masked address only",
		   cfg->geo == GEO_REGION ? "country and ISO 3166-2 region" : "country only");
}

static bool check_query(const struct config *cfg, char *why, size_t n)
{
	const struct page_rules_spec *set[PARSER_SITES_MAX + 1];
	const char *name[PARSER_SITES_MAX + 1];
	int sets = rule_sets(cfg, set, name);
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

static bool check_path_ids(const struct config *cfg, char *why, size_t n)
{
	const struct page_rules_spec *set[PARSER_SITES_MAX + 1];
	const char *name[PARSER_SITES_MAX + 1];
	int sets = rule_sets(cfg, set, name);
	for (int s = 0; s < sets; s++)
		if (set[s]->keep_ids)
			return say(why, n, false, "keep-path-ids is set%s%s: e-mail addresses, UUIDs, "
				   "long numbers and tokens in paths are kept; remove it",
				   name[s] ? " for site " : "", name[s] ? name[s] : "");
	return say(why, n, true, "e-mail addresses, UUIDs, 10+ digits, tokens and JWTs become "
		   ":email :uuid :num :token");
}

/* Referrers (parsers/reduce/referrer.c) are always reduced: another site's
 * referrer to its host, or registrable domain; the site's own to its page. */
static bool check_referrers(const struct config *cfg, char *why, size_t n)
{
	return say(why, n, true, "external referrers by %s, never their path or query; internal "
		   "ones as the site's own page", cfg->referrer_domain ? "registrable domain" : "host");
}

/* Retention: at most 25 months (CNIL), 13 recommended. */
static bool check_retention(const struct config *cfg, char *why, size_t n)
{
	/* --retention refuses more than RETENTION_MAX when it is read, so the
	 * only question left is whether the recommendation holds. */
	return say(why, n, cfg->retention <= RETENTION_MAX,
		   "days older than %d months are deleted by every run into a database and by "
		   "'logfold prune'%s",
		   cfg->retention, cfg->retention > RETENTION_DEFAULT ? "; 13 recommended" : "");
}

static bool check_small_cells(const struct config *cfg, char *why, size_t n)
{
	return say(why, n, true, "breakdown values seen by fewer than %u visitors are folded into "
		   "(other), per page (breakdown_daily) and per site (site_breakdown_daily)%s",
		   (unsigned)cfg->min_visitors,
		   cfg->min_visitors < K_RECOMMENDED ? "; K >= 5 recommended" : "");
}

static bool has_optout(const struct page_rules_spec *r)
{
	return r->honor_gpc || r->honor_dnt || r->list[RULE_OPTOUT_COOKIE].n ||
	       r->list[RULE_OPTOUT_FIELD].n;
}

static bool check_optout(const struct config *cfg, char *why, size_t n)
{
	const struct page_rules_spec *set[PARSER_SITES_MAX + 1];
	const char *name[PARSER_SITES_MAX + 1];
	int sets = rule_sets(cfg, set, name);
	for (int s = 0; s < sets; s++)
		if (!has_optout(set[s]))
			return say(why, n, false, "no opt-out marker%s%s: set optout-cookie, "
				   "optout-field, honor-gpc or honor-dnt (with a format that logs it) "
				   "and offer the opt-out on the privacy page", name[s] ? " for site " : "",
				   name[s] ? name[s] : "");
	return say(why, n, true, "requests carrying the opt-out marker are dropped uncounted "
		   "(when the log format logs the field)");
}

static bool check_hosts(const struct config *cfg, char *why, size_t n)
{
	if (cfg->site_allow.n)
		return say(why, n, true, "only %d listed host%s counted (site-allow)",
			   cfg->site_allow.n, cfg->site_allow.n > 1 ? "s" : "");
	if (cfg->format == FMT_COMBINED || cfg->format == FMT_COMMON)
		return say(why, n, true, "one site '%s': the format logs no virtual host", cfg->site);
	return say(why, n, false, "any virtual host in the logs is counted: name the site's own "
		   "with site-allow");
}

static bool check_bots(const struct config *cfg, char *why, size_t n)
{
	(void)cfg;
	return say(why, n, true, "robots (by user agent) are skipped, never counted as visitors");
}

static bool check_raw(const struct config *cfg, char *why, size_t n)
{
	(void)cfg;
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

/* ---- the policy paragraphs ----------------------------------------------- */

/* The opt-out means, in words, for the policy (lang 0 English, 1 French). */
static void optout_words(const struct config *cfg, int fr, char *buf, size_t n)
{
	const struct page_rules_spec *set[PARSER_SITES_MAX + 1];
	const char *name[PARSER_SITES_MAX + 1];
	int sets = rule_sets(cfg, set, name);
	bool gpc = false, dnt = false, cookie = false;
	for (int s = 0; s < sets; s++) {
		gpc |= set[s]->honor_gpc;
		dnt |= set[s]->honor_dnt;
		cookie |= set[s]->list[RULE_OPTOUT_COOKIE].n || set[s]->list[RULE_OPTOUT_FIELD].n;
	}
	const char *signals = gpc && dnt ? "Global Privacy Control / Do Not Track"
			      : gpc      ? "Global Privacy Control"
					 : "Do Not Track";
	buf[0] = '\0';
	if (gpc || dnt)
		snprintf(buf, n, fr ? " Vous pouvez vous y opposer en activant le signal %s de votre "
				      "navigateur%s."
				    : " You can object to it by turning on your browser's %s signal%s.",
			 signals, cookie ? (fr ? ", ou avec le lien d'opposition de cette page"
					       : ", or with the opt-out link on this page")
					 : "");
	else if (cookie)
		snprintf(buf, n, fr ? " Vous pouvez vous y opposer avec le lien d'opposition de "
				      "cette page."
				    : " You can object to it with the opt-out link on this page.");
}

/* The kept query parameters of every rule set, "a, b", and whether any
 * rule set keeps identifiers in paths. */
static bool kept_params(const struct config *cfg, char *buf, size_t n)
{
	const struct page_rules_spec *set[PARSER_SITES_MAX + 1];
	const char *name[PARSER_SITES_MAX + 1];
	int sets = rule_sets(cfg, set, name);
	bool keep_ids = false;
	size_t o = 0;
	buf[0] = '\0';
	for (int s = 0; s < sets; s++) {
		keep_ids |= set[s]->keep_ids;
		for (int i = 0; i < set[s]->list[RULE_KEEP_QUERY].n && o < n; i++)
			o += (size_t)snprintf(buf + o, n - o, "%s%s", o ? ", " : "",
					      set[s]->list[RULE_KEEP_QUERY].v[i]);
	}
	return keep_ids;
}

static void policy(const struct config *cfg, int fr, char *buf, size_t n)
{
	char out[PRIVACY_TEXT_MAX], kept[PRIVACY_TEXT_MAX], query[PRIVACY_TEXT_MAX + 64];
	optout_words(cfg, fr, out, sizeof(out));
	bool keep_ids = kept_params(cfg, kept, sizeof(kept));
	bool geo = cfg->geo != GEO_OFF, region = cfg->geo == GEO_REGION;
	int m = cfg->mask_bytes;
	if (kept[0])
		snprintf(query, sizeof(query), fr ? "les paramètres des adresses sont supprimés (sauf %s)"
						  : "query strings are removed (except %s)", kept);
	else
		snprintf(query, sizeof(query), "%s", fr ? "les paramètres des adresses sont supprimés"
						: "query strings are removed");
	const char *ids = keep_ids ? ""
			  : fr ? " ; les identifiants qu'elles contiennent (adresses e-mail, numéros "
				 "longs, jetons) sont remplacés"
			       : "; identifiers in addresses (e-mail addresses, long numbers, "
				 "tokens) are replaced";
	snprintf(buf, n,
		 fr ? "Ce site mesure son audience à partir des journaux de son serveur web, sans "
		      "cookie et sans consentement, dans le cadre de l'exemption prévue par la CNIL "
		      "pour la mesure d'audience. Nous comptons, par page et par jour (et pour "
		      "l'ensemble du site par jour, sans compter un visiteur deux fois), les pages vues, "
		      "les visiteurs, les visites, les entrées, les rebonds, les sorties et le temps "
		      "passé, et le site d'où vous venez (son seul nom de domaine). Votre adresse IP est "
		      "tronquée (%d octet%s effacé%s) avant tout traitement%s ; %s%s ; les robots ne "
		      "sont pas comptés. Aucun identifiant n'est "
		      "conservé : les visiteurs ne sont distingués que pendant un traitement, par une "
		      "clé aléatoire détruite ensuite. Ces statistiques ne servent qu'à la mesure "
		      "d'audience de ce site et ne sont pas recoupées avec d'autres données.%s"
		    : "This site measures its audience from its web server's logs, without cookies "
		      "and without asking for consent, under the CNIL's exemption for audience "
		      "measurement. For each page and day (and for the whole site each day, "
		      "without counting a visitor twice) we count pageviews, visitors, visits, "
		      "entrances, bounces, exits and time on page, and the site you came from (its "
		      "host name only). Your IP address is shortened (%d byte%s removed%s) before "
		      "anything else%s; %s%s; robots are not counted. No "
		      "identifier is stored: visitors are told apart only during one processing run, "
		      "by a random key destroyed afterwards. These statistics serve only this site's "
		      "audience measurement and are not combined with other data.%s",
		 m, m > 1 ? "s" : "", fr && m > 1 ? "s" : "",
		 !geo	  ? ""
		 : fr	  ? (region ? ", puis ne sert qu'à en déduire le pays et la région"
			     : ", puis ne sert qu'à en déduire le pays")
		 : region ? ", then serves only to find the country and region"
			  : ", then serves only to find the country",
		 query, ids, out);
}

/* ---- output -------------------------------------------------------------- */

static void json_str(const char *s)
{
	char *buf = malloc(6 * strlen(s) + 3);
	if (!buf)
		return;
	*format_json_string(buf, s) = '\0';
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
	bool ok[sizeof(privacy_checks) / sizeof(privacy_checks[0])], inside = true;
	static char why[sizeof(privacy_checks) / sizeof(privacy_checks[0])][PRIVACY_TEXT_MAX];
	static char en[4 * PRIVACY_TEXT_MAX], fr[4 * PRIVACY_TEXT_MAX];
	for (size_t i = 0; i < privacy_ncheck; i++) {
		ok[i] = privacy_checks[i].check(cfg, why[i], PRIVACY_TEXT_MAX);
		inside &= ok[i];
	}
	policy(cfg, 0, en, sizeof(en));
	policy(cfg, 1, fr, sizeof(fr));
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
