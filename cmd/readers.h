/*
 * readers.h - the worker parsers of a run with --jobs 2 or more: one
 * parser per worker thread, each with what a parser may not share with
 * another thread (a user-agent cache), under the run's one visitor key,
 * and the pool that runs them (jobs.h). The workers' parsers have no
 * geography: the main thread looks each pageview up in line order, with
 * the run's one GeoIP handle (see jobs_item.geo).
 * When the threads cannot be made, the run reads with its one parser.
 */
#ifndef LF_READERS_H
#define LF_READERS_H

#include <stdbool.h>
#include <stdint.h>

#include "../common/status.h"
#include "../parsers/reduce/parser.h"
#include "jobs.h"

struct readers {
	struct jobs jobs;
	bool on;  /* the workers are running */
	int n;
	struct parser *parser[JOBS_MAX];
	struct agents *agents[JOBS_MAX];
	struct agent_shared *shared; /* the agents' shared cache, or NULL */
};

/*
 * Make n parsers (2..JOBS_MAX) like pc (but without geography) with key,
 * each with its own agents (from uap, NULL: none) in front of one cache
 * they share (each distinct agent classified once), and start
 * the workers. The environment's LOGFOLD_CHUNK_LINES and
 * LOGFOLD_CHUNK_BYTES, for tests, cut chunks of that many lines or bytes
 * (jobs_start). LF_OK with rd->on, or with rd->on false when
 * the threads could not be made (the run reads alone); LF_ERR_NOMEM;
 * LF_ERR_IO when the regexes that opened once fail now (err says why). readers_stop is right in every case.
 */
enum lf_status readers_start(struct readers *rd, int n, const struct parser_config *pc,
			     const unsigned char key[PARSER_KEY_BYTES], const char *uap,
			     int64_t future_after, char *err, size_t errlen);

/* The workers' user agents classified (misses) and found in their
 * caches (hits), added to *misses and *hits. */
void readers_agent_counts(const struct readers *rd, uint64_t *misses, uint64_t *hits);

/* Stop the workers and free their parsers. */
void readers_stop(struct readers *rd);

#endif
