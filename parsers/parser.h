/*
 * parser.h - the privacy boundary: one raw log line in, one struct hit (or
 * a skip reason) out.
 *
 * This is the only code that sees a raw line, a full IP address or a user
 * agent. It masks the address at once, drops user, ident, query string and
 * fragment, reduces the agent to the facts logfold keeps, and turns the
 * visitor into a keyed hash under a key it holds for the run and wipes in
 * parser_release(). What it returns holds no identifier (see hit.h).
 */
#ifndef LF_PARSER_H
#define LF_PARSER_H

#include <stdint.h>

#include "../common/skip.h"
#include "../common/slice.h"
#include "../common/status.h"
#include "beacon.h"
#include "agent.h"
#include "clf.h"
#include "geo.h"
#include "hit.h"
#include "input.h"
#include "page.h"
#include "referrer.h"

/* Longest site name: a DNS name is at most 253 bytes. */
#define SITE_MAX 253

/* What parser_line returns for a line that is a pageview, and for one that
 * is a beacon or tracker request (never a pageview; see beacon.h). */
#define PARSE_PAGEVIEW SKIP_NREASONS
#define PARSE_BEACON (SKIP_NREASONS + 1)

/* Tracker endpoints recognised at most (--tracker-path). */
#define PARSER_TRACKERS_MAX 8

/* The visitor key: 128 bits, SipHash-2-4's key size. */
#define PARSER_KEY_BYTES 16

struct parser_config {
	enum log_format format; /* FMT_AUTO until parser_set_format() */
	const char *site;       /* site for formats without a virtual host */
	int mask_bytes;         /* 1..4 */
	struct geo *geo;        /* country/region of the masked IP; NULL: none */
	struct referrer_rules referrer; /* aliases and --referrer-domain */
	const char *beacon_path; /* the beacon's endpoint, or NULL for none */
	const char *trackers[PARSER_TRACKERS_MAX]; /* Matomo/Piwik endpoints */
	int ntrackers;
	struct agents *agents;  /* user-agent classification (owned by the
				 * caller); NULL: the heuristic robot test only */
};

struct parser {
	struct parser_config cfg;
	unsigned char key[PARSER_KEY_BYTES];
	char site[SITE_MAX + 1];
	size_t site_len;        /* of cfg.site, lower-cased into site[] */
	char page[PAGE_MAX];
	struct referrer_buf ref;        /* the referrer value of the last hit */
	char unescaped[INPUT_LINE_MAX]; /* the request after \xNN decoding */
	struct beacon_buf beacon;       /* a beacon's decoded values */
};

/*
 * Set up p (caller-allocated; it is large, so not for the stack) with cfg and
 * a copy of key. LF_ERR_USAGE when the site name is empty or too long or
 * mask_bytes is out of range. The caller should wipe its own copy of key.
 */
enum lf_status parser_init(struct parser *p, const struct parser_config *cfg,
			   const unsigned char key[PARSER_KEY_BYTES]);

/* Fix the format (after detection). */
void parser_set_format(struct parser *p, enum log_format f);

/*
 * Parse one line. Returns PARSE_PAGEVIEW and fills *out, or PARSE_BEACON
 * and fills *out with the event (out->kind; HIT_NOTHING when the request
 * carried nothing usable), or the reason the line is neither; for
 * SKIP_MALFORMED *why is a static phrase that never quotes the line; for
 * SKIP_BOT out->site, out->day and out->bot are set (nothing else).
 * A beacon or tracker request is a GET with a good status to one of the
 * configured paths, by an agent that is not a robot; its own page goes
 * through the same normalisation as a pageview's. *out's slices are valid
 * until the next call.
 */
enum skip_reason parser_line(struct parser *p, struct slice line, struct hit *out,
			     const char **why);

/* Wipe the key and everything the parser saw. */
void parser_release(struct parser *p);

#endif
