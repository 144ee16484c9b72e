/*
 * policy.h - the privacy-policy paragraph of `logfold privacy`, in English
 * and French, made from what a run with the same settings writes: every
 * measure it names is one a table holds with those settings (the referrer
 * only when the format logs one, browsers only with uap-core, load times
 * only from a format with a duration or from the beacon, the beacon's
 * measures only when an endpoint is set), and nothing it says about the
 * address, identifiers, small cells or retention is stronger than the
 * code. It decides nothing: the checks (privacy.c) do.
 */
#ifndef LF_POLICY_H
#define LF_POLICY_H

#include <stdbool.h>
#include <stddef.h>

#include "../parsers/formats/logformat.h"
#include "options.h"

/* The paragraph for cfg (fmt: a scanner set up for cfg's format, for what
 * it logs) in English, or French with fr, into buf (n bytes, cut short if
 * it must be; NUL-terminated). */
void policy_text(const struct config *cfg, const struct scanner *fmt, bool fr, char *buf,
		 size_t n);

#endif
