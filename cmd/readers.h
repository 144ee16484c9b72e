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
	/* what a worker's parser is made of (make_later, on its thread) */
	struct parser_config pc;
	const char *uap;
	unsigned char key[PARSER_KEY_BYTES]; /* wiped by readers_stop */
	struct parser *parser[JOBS_MAX];
	struct agents *agents[JOBS_MAX];
	struct agent_shared *shared; /* the agents' shared cache, or NULL */
};

/*
 * Start up to n workers (2..JOBS_MAX), each with a parser like pc (but
 * without geography) under key, with its own agents (from uap, NULL: none)
 * in front of one cache they share (each distinct agent classified once).
 * The first worker's parser is made here; the others' by each worker on
 * its own thread when the log keeps the workers started busy (jobs.h), so
 * a short log costs one parser. The environment's LOGFOLD_CHUNK_LINES and
 * LOGFOLD_CHUNK_BYTES, for tests, cut chunks of that many lines or bytes
 * (jobs_start). LF_OK with rd->on, or with rd->on false when the threads
 * could not be made (the run reads alone); LF_ERR_NOMEM; LF_ERR_IO when
 * the regexes that opened once fail now (err says why). readers_stop is
 * right in every case. pc and key are copied; what pc points to, and
 * uap, must last until readers_stop.
 */
enum lf_status readers_start(struct readers *rd, int n, const struct parser_config *pc,
			     const unsigned char key[PARSER_KEY_BYTES], const char *uap,
			     int64_t future_after, char *err, size_t errlen);

/* The workers' user agents classified (misses) and found in their
 * caches (hits), added to *misses and *hits. Stops the workers first
 * (their counts are final then): for the run's summary, after reading. */
void readers_agent_counts(struct readers *rd, uint64_t *misses, uint64_t *hits);

/* Stop the workers and free their parsers. */
void readers_stop(struct readers *rd);

#endif
