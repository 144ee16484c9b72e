/*
 * agent.h - a user agent reduced to what logfold keeps: a browser ("Firefox
 * 125"), an operating system ("Android 14"), a device class, or, for a
 * robot, its family. Never the agent string itself.
 *
 * Each distinct agent is classified once: results sit in a fixed-size
 * cache (AGENT_CACHE_ENTRIES entries: struct agent_tag and agent_class, 3 MiB,
 * allocated at init, never grown), keyed by the agent's length and a 64-bit
 * hash under the run's random seed (agent_key() in agent.c) that tells two
 * agents of one length apart but by a chance of about 2^-64, so the key
 * stands for the string without storing it. A full set evicts its oldest
 * entry.
 *
 * Classification of a new agent, in this order (README "User agents"):
 *   1. uap-core's three lists (uap.c);
 *   2. robot: uap device family "Spider"; else a crawler-user-agents pattern
 *      (caseless when written in lower case); else uap family
 *      "HeadlessChrome"; else logfold's own words and prefixes
 *      (bots.c). A robot's family is uap's user-agent family when uap-core
 *      spells it in the regex or its replacement (not text captured from
 *      the agent), else the crawler pattern's literal, else "other";
 *   3. device class: tablet (uap device iPad or Kindle, or Android without
 *      "Mobile" in the agent); mobile (iPhone or iPod, Android with
 *      "Mobile", a phone OS, or "Mobi" in the agent); desktop (a desktop OS
 *      family: Windows, Mac OS X, Linux distributions, Chrome OS, BSDs);
 *      otherwise other.
 */
#ifndef LF_AGENT_H
#define LF_AGENT_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "../../common/slice.h"
#include "../../common/status.h"
#include "rxset.h"
#include "uap.h"

enum agent_device { AGENT_DESKTOP, AGENT_MOBILE, AGENT_TABLET, AGENT_OTHER, AGENT_NDEVICES };

/* "desktop", "mobile", "tablet", "other": breakdown_daily values. */
extern const struct slice agent_device_names[AGENT_NDEVICES];

/* Longest browser (family, space, major) or robot family kept, and longest
 * OS value: longer ones are cut at a UTF-8 character boundary. */
#define AGENT_NAME_MAX 44
#define AGENT_OS_MAX 32

struct agent_class {
	bool bot;
	uint8_t device;           /* enum agent_device; not set for a robot */
	uint8_t name_len, os_len;
	char name[AGENT_NAME_MAX]; /* browser, or the robot's family */
	char os[AGENT_OS_MAX];     /* empty for a robot */
};

/* Which agent a way of the cache holds: its tag. A set's tags fill one
 * cache line, apart from the classes, so that a lookup reads one line, and
 * two more on a hit. */
struct agent_tag {
	uint64_t hash; /* agent_key() of the agent */
	uint32_t len1; /* agent length + 1; 0 = empty way */
	uint32_t age;  /* insertion stamp, for eviction within a set */
};

/* 8192 sets of 4 ways: 32768 agents, 32768 * 96 bytes = 3 MiB. A day of a
 * busy site shows some 10^4 distinct agents; a miss costs ~20 us. */
#define AGENT_CACHE_WAYS 4
#define AGENT_CACHE_SETS 8192
#define AGENT_CACHE_ENTRIES (AGENT_CACHE_WAYS * AGENT_CACHE_SETS)

struct agent_cache {
	struct agent_tag *tags;  /* AGENT_CACHE_ENTRIES, a set's on one line */
	struct agent_class *cls; /* AGENT_CACHE_ENTRIES, by the same index */
	uint32_t clock;
};

/* Bytes of one cache (for the run's summary). */
#define AGENT_CACHE_BYTES \
	((size_t)AGENT_CACHE_ENTRIES * (sizeof(struct agent_tag) + sizeof(struct agent_class)))

/*
 * A cache the agents of several threads share (--jobs): an agent missing
 * from a thread's own cache is looked up here, under the lock, before it
 * is classified, and what one thread classifies is put here for the
 * others, so that a run classifies each distinct agent once, not once per
 * thread. Same size, ways, eviction and random keying as an own cache.
 */
struct agent_shared {
	pthread_mutex_t lock;
	struct agent_cache cache;
	unsigned char key[16];
};

/* Allocate the shared cache, keyed by key (16 bytes; the caller wipes its
 * copy). LF_ERR_NOMEM. */
enum lf_status agent_shared_init(struct agent_shared *s, const unsigned char key[16]);
void agent_shared_release(struct agent_shared *s);

struct agents {
	struct uap uap;
	struct rxset crawlers;
	struct agent_cache cache;
	unsigned char key[16];
	bool prefilter;              /* false: every regex runs (checks only) */
	struct agent_shared *shared; /* set by the caller, or NULL: none */
	uint64_t hits, misses;       /* misses: agents this one classified */
	char *lower;                 /* scratch: the agent lower-cased */
	struct uap_result *res;      /* scratch */
};

/*
 * Load uap-core's regexes from path, compile the crawler patterns, allocate
 * the cache. key (16 bytes) seeds the cache's hash (so that no one can aim
 * agents at one set); the caller wipes its
 * copy. Errors as uap_load; on failure a holds nothing.
 */
enum lf_status agents_init(struct agents *a, const char *regexes, const unsigned char key[16],
			   char *err, size_t errlen);

/*
 * Classify agent (unescaped). The result is owned by a and valid until the
 * next call. Allocates nothing.
 */
const struct agent_class *agents_classify(struct agents *a, struct slice agent);

/* Classify without the cache (the benchmark's cold path). */
void agents_classify_cold(struct agents *a, struct slice agent, struct agent_class *out);

void agents_release(struct agents *a);

#endif
