/*
 * dayset.h - a set of (site, day) pairs: the days a run must not count
 * again (closed in the database, or closed earlier in this run), and the
 * days that stay open. Sites are interned once; a lookup of the same pair
 * as the previous lookup (the usual case: lines come in runs of one site
 * and day) costs one comparison. It holds names and day numbers only.
 */
#ifndef LF_DAYSET_H
#define LF_DAYSET_H

#include <stdbool.h>
#include <stdint.h>

#include "../common/host.h"
#include "../common/intern.h"
#include "../common/slice.h"
#include "../common/status.h"

/* Longest site name cached for the repeat lookup (a DNS name's 253). */
#define DAYSET_SITE_MAX HOST_MAX

struct dayset {
	struct intern sites;
	uint64_t *keys; /* open addressing: (site id + 1) << 32 | day; 0 empty */
	uint32_t n, cap;
	/* the previous lookup and its answer; last_n > DAYSET_SITE_MAX: none */
	char last_site[DAYSET_SITE_MAX];
	size_t last_n;
	int32_t last_day;
	bool last_has;
};

void dayset_init(struct dayset *s);
void dayset_release(struct dayset *s);

/* Add (site, day); LF_ERR_NOMEM leaves s as it was. */
enum lf_status dayset_add(struct dayset *s, struct slice site, int32_t day);

/* Whether (site, day) was added. Never fails: a site that cannot even be
 * interned was never added. */
bool dayset_has(struct dayset *s, struct slice site, int32_t day);

/* Call fn for every pair, in no particular order. */
void dayset_each(const struct dayset *s, void (*fn)(void *ctx, struct slice site, int32_t day),
		 void *ctx);

#endif
