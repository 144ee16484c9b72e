/*
 * hit.h - the privacy boundary as a type.
 *
 * A struct hit is what the parser hands on for one pageview, or for one
 * beacon event (a request to the beacon endpoint or to a tracker's, see
 * beacon.h), which is never a pageview. It holds no
 * identifier: no IP (only the masked network), no user agent, no user name,
 * no query string, no fragment, no cookie. The visitor is a keyed hash that
 * means nothing outside this run (the key is random, held in memory by the
 * parser, and wiped at exit). Code downstream of the parser sees only this,
 * so it cannot leak what it never receives.
 *
 * Slices in a hit point into the parser's scratch space and are valid until
 * the parser's next call.
 */
#ifndef LF_HIT_H
#define LF_HIT_H

#include <stdbool.h>
#include <stdint.h>

#include "../../common/dims.h"
#include "../../common/slice.h"

/* A client address after masking: what geography may look at. */
struct masked_ip {
	uint8_t family; /* 4 or 6; 0 when the log had no usable address */
	uint8_t bytes[16];  /* IPv4 in the first 4 bytes; masked bits are zero */
};

/* hit.load_ms when the format logs no duration (= LOGTIME_NO_DURATION). */
#define HIT_NO_LOAD_TIME UINT32_MAX

/* What a hit is. Every kind but HIT_PAGEVIEW comes from a beacon or
 * tracker request and carries the page it reports on in page. */
enum hit_kind {
	HIT_PAGEVIEW,
	HIT_LOAD,    /* the page loaded: dim[DIM_SCREEN], client_load_ms */
	HIT_LEAVE,   /* the visitor left it: engaged_s, scroll */
	HIT_ACTION,  /* action, label */
	HIT_PING,    /* a tracker's heartbeat: the page is still being read */
	HIT_NOTHING, /* a beacon request with no usable event: counted, not kept */
};

/* hit.scroll when the event reported no scroll depth. */
#define HIT_NO_SCROLL 255

struct hit {
	struct slice site;   /* lower-case host without port, or --site */
	struct slice page;   /* normalised path: no query, no fragment */
	int64_t time;        /* seconds since the epoch, UTC */
	int32_t utc_offset;  /* seconds east of UTC, as the log wrote it */
	int32_t day;         /* local day: days since 1970-01-01 in that offset */
	uint32_t sec_of_day; /* local seconds since midnight, 0..86399 */
	uint16_t status;
	uint64_t visitor;    /* siphash(run key, ip, agent, site) */
	struct masked_ip ip;
	uint32_t load_ms;    /* server time to answer, or HIT_NO_LOAD_TIME */
	struct slice dim[DIM_COUNT]; /* breakdown values; empty = not known */
	/* Beacon events only (kind != HIT_PAGEVIEW), all validated: */
	enum hit_kind kind;
	bool tracker;            /* from a Matomo/Piwik tracker request */
	uint8_t action;          /* enum action, for HIT_ACTION */
	uint8_t scroll;          /* deepest scroll, 0..100 %, or HIT_NO_SCROLL */
	uint32_t client_load_ms; /* navigation timing, or HIT_NO_LOAD_TIME */
	uint32_t engaged_s;      /* seconds visible and active, for HIT_LEAVE */
	struct slice label;      /* HIT_ACTION: safe characters, identifiers
				  * replaced; empty when none or refused */
	struct slice bot;    /* SKIP_BOT only: the robot's family (then only
			      * site and day are set besides it) */
	/* A pageview or beacon request (PARSE_PAGEVIEW, PARSE_BEACON) of a
	 * visitor another shard counts (--shard): only site, page, time,
	 * utc_offset, day, sec_of_day and kind are set, for the days' clocks
	 * and resume points, which every shard keeps alike. */
	bool elsewhere;
};

#endif
