/*
 * policy.c - the policy paragraph (policy.h), one sentence at a time, each
 * in both languages and each there only when the settings make it true.
 */
#include "policy.h"

#include <stdarg.h>
#include <stdio.h>

#include "../parsers/formats/fieldset.h"
#include "privacy.h"

/* Text being written: buf of n bytes, o used (o may pass n: cut short). */
struct text {
	char *buf;
	size_t n, o;
};

static void add(struct text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void add(struct text *t, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = t->o < t->n ? vsnprintf(t->buf + t->o, t->n - t->o, fmt, ap) : 0;
	va_end(ap);
	if (r > 0)
		t->o += (size_t)r;
}

/* A phrase in the language of the paragraph. */
#define L(en, fr) (fr_ ? (fr) : (en))

/* What a run with these settings measures, and of which tables. */
struct measures {
	bool referrer, agent, geo, region, load, beacon;
};

static struct measures measures_of(const struct config *cfg, const struct scanner *fmt)
{
	bool beacon = cfg->beacon_path || cfg->ntrackers > 0;
	bool geo = privacy_geo_on(cfg);
	return (struct measures){
		.referrer = fieldset_logged(fmt, "referer") != FIELD_NOT_LOGGED,
		.agent = cfg->uap_regexes != NULL,
		.geo = geo,
		.region = geo && cfg->geo == GEO_REGION,
		.load = beacon || fieldset_logged(fmt, "duration") != FIELD_NOT_LOGGED,
		.beacon = beacon,
	};
}

static void what_is_counted(struct text *t, const struct measures *m, bool fr_)
{
	add(t, "%s", L("This site measures its audience from its web server's logs, without "
		       "cookies and without asking for consent, under the CNIL's exemption for "
		       "audience measurement. For each page and day (and for the whole site each "
		       "day, without counting a visitor twice) we count pageviews, visitors, "
		       "visits, entrances, bounces, exits and time on page",
		       "Ce site mesure son audience à partir des journaux de son serveur web, sans "
		       "cookie et sans consentement, dans le cadre de l'exemption prévue par la CNIL "
		       "pour la mesure d'audience. Nous comptons, par page et par jour (et pour "
		       "l'ensemble du site par jour, sans compter un visiteur deux fois), les pages "
		       "vues, les visiteurs, les visites, les entrées, les rebonds, les sorties et "
		       "le temps passé"));
	if (m->referrer)
		add(t, "%s", L("; the site you came from (its host name only) or the page of this "
			       "site you came from", " ; le site d'où vous venez (son seul nom de "
			       "domaine) ou la page de ce site d'où vous venez"));
	if (m->agent)
		add(t, "%s", L("; your browser and operating system (name and major version) and "
			       "the type of your device", " ; votre navigateur et votre système "
			       "d'exploitation (nom et version majeure) et le type de votre appareil"));
	if (m->geo)
		add(t, "%s", m->region ? L("; your country and region", " ; votre pays et votre région")
				       : L("; your country", " ; votre pays"));
	if (m->load)
		add(t, "%s", L("; how long pages took to load, per hour",
			       " ; le temps de chargement des pages, par heure"));
	if (m->beacon)
		add(t, "%s", L("; and, measured in your browser by a small script of this site "
			       "without any cookie or storage: the class of your screen size, the "
			       "time you spend on a page, how far you scroll, and clicks on links "
			       "and buttons (never what you type or select)",
			       " ; et, mesurés dans votre navigateur par un petit script de ce site, "
			       "sans cookie ni stockage : la classe de taille de votre écran, le temps "
			       "passé sur une page, la profondeur de défilement et les clics sur les "
			       "liens et boutons (jamais ce que vous saisissez ou sélectionnez)"));
	add(t, ".");
}

static void small_cells(struct text *t, const struct config *cfg, bool fr_)
{
	if (cfg->min_visitors < 2)
		return;
	add(t, L(" Figures by origin, browser, country, hour, engagement or click are published "
		 "only for groups of at least %u visitors.", " Les chiffres par provenance, "
		 "navigateur, pays, heure, engagement ou clic ne sont publiés que pour des groupes "
		 "d'au moins %u visiteurs."), (unsigned)cfg->min_visitors);
}

static void address(struct text *t, const struct config *cfg, const struct measures *m,
		    bool fr_)
{
	int b = cfg->mask_bytes;
	bool xff = cfg->client_ip_set && cfg->client_ip.mode != CLIENT_REMOTE;
	add(t, "%s", L(" Your IP address is never stored: in full, it serves only in memory during "
		       "one processing run, to tell visitors apart by a random key destroyed "
		       "afterwards", " Votre adresse IP n'est jamais conservée : entière, elle ne "
		       "sert qu'en mémoire pendant un traitement, à distinguer les visiteurs par "
		       "une clé aléatoire détruite ensuite"));
	if (xff)
		add(t, "%s", L(" and to find your address behind our proxies",
			       " et à retrouver votre adresse derrière nos serveurs mandataires"));
	add(t, L("; then it is shortened (%d byte%s removed)", " ; puis elle est tronquée (%d "
						       "octet%s effacé%s)"),
	    b, b > 1 ? "s" : "", fr_ && b > 1 ? "s" : "");
	if (m->geo)
		add(t, "%s", m->region ? L(" and serves only to find the country and region",
					   " et ne sert qu'à en déduire le pays et la région")
				       : L(" and serves only to find the country",
					   " et ne sert qu'à en déduire le pays"));
	add(t, ".");
}

/* Query strings, identifiers in paths, robots. */
static void pages(struct text *t, const struct config *cfg, bool fr_)
{
	const struct page_rules_spec *set[PARSER_SITES_MAX + 1];
	const char *name[PARSER_SITES_MAX + 1];
	int sets = privacy_rule_sets(cfg, set, name);
	bool keep_ids = false, first = true;
	add(t, "%s", L(" Query strings are removed", " Les paramètres des adresses sont supprimés"));
	for (int s = 0; s < sets; s++) {
		keep_ids |= set[s]->keep_ids;
		for (int i = 0; i < set[s]->list[RULE_KEEP_QUERY].n; i++, first = false)
			add(t, "%s%s", first ? L(" (except ", " (sauf ") : ", ",
			    set[s]->list[RULE_KEEP_QUERY].v[i]);
	}
	add(t, "%s", first ? "" : ")");
	if (!keep_ids)
		add(t, "%s", L("; identifiers in addresses (e-mail addresses, long numbers, tokens) "
			       "are replaced", " ; les identifiants qu'elles contiennent (adresses "
			       "e-mail, numéros longs, jetons) sont remplacés"));
	add(t, "%s", L("; robots are not counted as visitors.",
		       " ; les robots ne sont pas comptés comme visiteurs."));
}

static void retention(struct text *t, const struct config *cfg, bool fr_)
{
	if (cfg->retention == RETENTION_NONE)
		add(t, "%s", L(" These statistics are kept without a time limit,",
			       " Ces statistiques sont conservées sans limite de durée,"));
	else
		add(t, L(" These statistics are kept %d months,",
			 " Ces statistiques sont conservées %d mois,"), cfg->retention);
	add(t, "%s", L(" serve only this site's audience measurement and are not combined with "
		       "other data.", " ne servent qu'à la mesure d'audience de ce site et ne sont "
		       "pas recoupées avec d'autres données."));
}

/* The opt-out means the format can carry (a marker it never logs would be
 * a promise the run does not keep). */
static void optout(struct text *t, const struct config *cfg, const struct scanner *fmt, bool fr_)
{
	const struct page_rules_spec *set[PARSER_SITES_MAX + 1];
	const char *name[PARSER_SITES_MAX + 1];
	int sets = privacy_rule_sets(cfg, set, name);
	bool gpc = false, dnt = false, link = false;
	for (int s = 0; s < sets; s++) {
		gpc |= set[s]->honor_gpc && fieldset_logged(fmt, "sec-gpc") != FIELD_NOT_LOGGED;
		dnt |= set[s]->honor_dnt && fieldset_logged(fmt, "dnt") != FIELD_NOT_LOGGED;
		link |= set[s]->list[RULE_OPTOUT_COOKIE].n &&
			fieldset_logged(fmt, "cookie") != FIELD_NOT_LOGGED;
		for (int i = 0; i < set[s]->list[RULE_OPTOUT_FIELD].n; i++) {
			char field[64];
			privacy_field_name(set[s]->list[RULE_OPTOUT_FIELD].v[i], field, sizeof(field));
			link |= fieldset_logged(fmt, field) != FIELD_NOT_LOGGED;
		}
	}
	const char *signals = gpc && dnt ? "Global Privacy Control / Do Not Track"
			      : gpc      ? "Global Privacy Control"
					 : "Do Not Track";
	if (gpc || dnt)
		add(t, L(" You can object to it by turning on your browser's %s signal%s.",
			 " Vous pouvez vous y opposer en activant le signal %s de votre "
			 "navigateur%s."), signals,
		    link ? L(", or with the opt-out link on this page",
			     ", ou avec le lien d'opposition de cette page") : "");
	else if (link)
		add(t, "%s", L(" You can object to it with the opt-out link on this page.",
			       " Vous pouvez vous y opposer avec le lien d'opposition de cette page."));
}

void policy_text(const struct config *cfg, const struct scanner *fmt, bool fr_, char *buf,
		 size_t n)
{
	struct text t = { buf, n, 0 };
	struct measures m = measures_of(cfg, fmt);
	buf[0] = '\0';
	what_is_counted(&t, &m, fr_);
	small_cells(&t, cfg, fr_);
	address(&t, cfg, &m, fr_);
	pages(&t, cfg, fr_);
	retention(&t, cfg, fr_);
	optout(&t, cfg, fmt, fr_);
}
