/*
 * privacy.h - `logfold privacy`: the effective settings (config file, then
 * options) checked against the CNIL consent exemption, one line per item,
 * and a privacy-policy paragraph in English and French made from them.
 */
#ifndef LF_PRIVACY_H
#define LF_PRIVACY_H

#include <stdbool.h>
#include <stddef.h>

#include "../parsers/formats/logformat.h"
#include "options.h"

/* Longest reason one check writes. */
#define PRIVACY_TEXT_MAX 512
/* Longest policy paragraph, per language: the longest (every feature on,
 * French) is some 1600 bytes. */
#define PRIVACY_POLICY_MAX 4096

/* One item of the checklist: true when cfg is inside the exemption on it,
 * with the reason (what the setting is, and the fix when it fails). fmt is
 * a scanner set up for cfg's format (what it logs: fieldset.h). */
struct privacy_check {
	const char *id;    /* JSON key and stable name: "ip_mask" ... */
	const char *title; /* "IP addresses masked" */
	bool (*check)(const struct config *cfg, const struct scanner *fmt, char *why, size_t n);
};

/* The checklist, in the order it is printed. */
extern const struct privacy_check privacy_checks[];
extern const size_t privacy_ncheck;

/* Every rule set a line can meet: the global one (unless --site-allow names
 * only hosts that have sections) and each section's (name: its host, NULL
 * for the global one). Fills set and name (PARSER_SITES_MAX + 1 each);
 * returns how many. */
int privacy_rule_sets(const struct config *cfg, const struct page_rules_spec **set,
		      const char **name);

/* Whether a run with cfg records geography: not off, and a GeoIP database
 * named or found where the run looks for one. */
bool privacy_geo_on(const struct config *cfg);

/* The field an --optout-field NAME=VALUE looks at: NAME, lower-cased, into
 * out (n bytes; cut short). */
void privacy_field_name(const char *spec, char *out, size_t n);

/*
 * False, with the reason in why (n bytes), when an opt-out marker of cfg
 * (cookie, GPC, DNT, a field) names a field that lines read by fmt never
 * hold: such a marker never matches, and opted-out requests are counted.
 * True when every marker's field is logged or not known yet (W3C before
 * its #Fields line, auto). The run warns with it; the checklist fails.
 */
bool privacy_optout_logged(const struct config *cfg, const struct scanner *fmt, char *why,
			   size_t n);

/* Print the checklist and the policy for cfg (parsed with
 * OPTIONS_MODE_PRIVACY). Returns the exit status: 0 inside the exemption,
 * 1 outside, 4 when stdout cannot be written. */
int privacy_main(const struct config *cfg);

#endif
