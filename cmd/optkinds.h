/*
 * optkinds.h - the kinds of option value (opttable.h's enum opt_kind):
 * parsing one value as its row says, checking it, storing it into the
 * row's field; the defaults and the emptying of a field; and the checks
 * and custom parsers the rows name. Nothing here prints: a refused value
 * comes back as the reason, and options.c says it with the option's name
 * and where it was given.
 */
#ifndef LF_OPTKINDS_H
#define LF_OPTKINDS_H

#include <stddef.h>

#include "opttable.h"

/* Room for a reason written by a kind (a regex's error, a generated
 * "one of ..." list). */
#define OPTKIND_ERR_MAX 512

/* --shard I/N: N at most (its message says 1000). */
#define OPTKIND_SHARDS_MAX 1000

/*
 * Parse value as o's kind and store it into o's field of base (struct
 * config, or struct page_rules_spec for a per-site row), or only check it
 * when base is NULL. value is the command line's or the file's text, which
 * lives to the end of the run (strings are kept pointing into it), and may
 * be rewritten in place (a host lower-cased); a switch's on the command
 * line is "1". NULL when stored, else why the value is refused (static, or
 * written into err, cap bytes). A list value is added to the list; the
 * driver empties it when another source takes over (optkind_clear).
 */
const char *optkind_apply(const struct opt_def *o, char *value, void *base, char *err, size_t cap);

/* Empty o's field of base: NULL, 0, false, a list without values (a day
 * number: REBUILD_NONE). */
void optkind_clear(const struct opt_def *o, void *base);

/* Empty o's field, then apply its default values (DEF) or store its
 * default function's number (def_fn) if any. false when
 * a default does not parse: a mistake in the table (the unit test calls
 * it for every row). */
bool optkind_reset(const struct opt_def *o, void *base);

/* The struct a row's field is in: cfg, or cfg->rules for a per-site row. */
void *optkind_base(const struct opt_def *o, struct config *cfg);

/* A host name as --site-allow, --site-alias and [site HOST] take it
 * (common/host.h's host_normalize), normalised in place: argv and the
 * file's text are ours. NULL when good, else why not (HOST_WANT). */
const char *optkind_host_check(char *host);

/* The checks (opt_check_fn) the rows name. */
opt_check_fn optkind_host;     /* a host name (optkind_host_check) */
opt_check_fn optkind_endpoint; /* a request path as page_normalize writes it */
opt_check_fn optkind_tz;       /* an IANA zone in the system's tzdata */
opt_check_fn optkind_rule;     /* a page rule of kind o->param (pagerule_check) */

/* The custom parsers (opt_parse_fn) the rows name. */
opt_parse_fn optkind_format;      /* --format NAME: a predefined format or auto */
opt_parse_fn optkind_client_ip;   /* --client-ip MODE */
opt_parse_fn optkind_cidr;        /* --trusted-proxy CIDR, one more of the list */
opt_parse_fn optkind_geoip_field; /* --geoip-field country=PATH / region=PATH */
opt_parse_fn optkind_shard;       /* --shard I/N */

#endif
