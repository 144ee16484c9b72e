/*
 * hit.h - the privacy boundary as a type.
 *
 * A struct hit is what the parser hands on for one pageview. It holds no
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

#include <stdint.h>

#include "../common/dims.h"
#include "../common/slice.h"

/* A client address after masking: what geography may look at. */
struct masked_ip {
	uint8_t family; /* 4 or 6; 0 when the log had no usable address */
	uint8_t bytes[16];  /* IPv4 in the first 4 bytes; masked bits are zero */
};

/* hit.load_ms when the format logs no duration (= LOGTIME_NO_DURATION). */
#define HIT_NO_LOAD_TIME UINT32_MAX

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
};

#endif
