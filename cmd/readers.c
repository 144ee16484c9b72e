/*
 * readers.c - the worker parsers of a run (see readers.h).
 */
#include "readers.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "../parsers/reduce/agent.h"

/* A random cache key into key (16 bytes). */
static enum lf_status random_key(unsigned char *key, char *err, size_t errlen)
{
	if (getrandom(key, 16, 0) == 16)
		return LF_OK;
	snprintf(err, errlen, "cannot get a random key: %s", strerror(errno));
	return LF_ERR_IO;
}

/* The agents' shared cache, keyed at random. */
static enum lf_status open_shared(struct readers *rd, char *err, size_t errlen)
{
	unsigned char key[16];
	enum lf_status st = random_key(key, err, errlen);
	rd->shared = st == LF_OK ? malloc(sizeof(*rd->shared)) : NULL;
	if (st == LF_OK)
		st = rd->shared ? agent_shared_init(rd->shared, key) : LF_ERR_NOMEM;
	explicit_bzero(key, sizeof(key));
	if (st != LF_OK) {
		free(rd->shared);
		rd->shared = NULL;
	}
	return st;
}

/* The agents of worker i, each with a cache keyed at random, in front of
 * the shared one. */
static enum lf_status open_agents(struct readers *rd, int i, const char *uap, char *err,
				  size_t errlen)
{
	unsigned char key[16];
	enum lf_status st = random_key(key, err, errlen);
	if (st != LF_OK)
		return st;
	rd->agents[i] = malloc(sizeof(*rd->agents[i]));
	st = rd->agents[i] ? agents_init(rd->agents[i], uap, key, err, errlen) : LF_ERR_NOMEM;
	explicit_bzero(key, sizeof(key));
	if (st != LF_OK) {
		free(rd->agents[i]);
		rd->agents[i] = NULL;
	} else {
		rd->agents[i]->shared = rd->shared;
	}
	return st;
}

/* A test's limit on chunks (LOGFOLD_CHUNK_LINES, LOGFOLD_CHUNK_BYTES), or 0. */
static size_t chunk_limit(const char *name)
{
	const char *env = getenv(name);
	long v = env ? strtol(env, NULL, 10) : 0;
	return v > 0 ? (size_t)v : 0;
}

/* Make worker i's parser into rd->parser[i] (its agents, if any, into
 * rd->agents[i]): on the main thread for worker 0, on worker i's own
 * thread for the others (each writes its own slots only). */
static enum lf_status make_parser(struct readers *rd, int i, char *err, size_t errlen)
{
	struct parser_config c = rd->pc;
	enum lf_status st = LF_OK;
	if (rd->uap)
		st = open_agents(rd, i, rd->uap, err, errlen);
	c.agents = rd->agents[i];
	if (st == LF_OK)
		st = parser_new(&rd->parser[i], &c, rd->key);
	return st;
}

/* jobs_make_fn: a later worker's parser; its error, if any, unsaid (the
 * other workers parse its share). */
static struct parser *make_later(void *ctx, int k)
{
	char err[256];
	struct readers *rd = ctx;
	return make_parser(rd, k, err, sizeof(err)) == LF_OK ? rd->parser[k] : NULL;
}

enum lf_status readers_start(struct readers *rd, int n, const struct parser_config *pc,
			     const unsigned char key[PARSER_KEY_BYTES], const char *uap,
			     int64_t future_after, char *err, size_t errlen)
{
	memset(rd, 0, sizeof(*rd));
	if (n < 2 || n > JOBS_MAX)
		return LF_ERR_USAGE;
	rd->pc = *pc;
	rd->pc.geo = NULL; /* looked up by the main thread (jobs_item.geo) */
	rd->uap = uap;
	memcpy(rd->key, key, sizeof(rd->key));
	if (uap) {
		enum lf_status st = open_shared(rd, err, errlen);
		if (st != LF_OK)
			return st;
	}
	enum lf_status st = make_parser(rd, 0, err, errlen);
	if (st != LF_OK)
		return st;
	/* no thread: read alone, as --jobs 1 */
	rd->on = jobs_start(&rd->jobs, n, rd->parser[0], make_later, rd, future_after,
			    chunk_limit("LOGFOLD_CHUNK_BYTES"),
			    chunk_limit("LOGFOLD_CHUNK_LINES")) == LF_OK;
	return LF_OK;
}

void readers_agent_counts(struct readers *rd, uint64_t *misses, uint64_t *hits)
{
	if (rd->on)
		jobs_stop(&rd->jobs); /* a worker's counts are final once it is */
	rd->on = false;
	for (int i = 0; i < JOBS_MAX; i++)
		if (rd->agents[i]) {
			*misses += rd->agents[i]->misses;
			*hits += rd->agents[i]->hits;
		}
}

void readers_stop(struct readers *rd)
{
	if (rd->on)
		jobs_stop(&rd->jobs);
	explicit_bzero(rd->key, sizeof(rd->key));
	for (int i = 0; i < JOBS_MAX; i++) {
		parser_free(rd->parser[i]);
		if (rd->agents[i])
			agents_release(rd->agents[i]);
		free(rd->agents[i]);
	}
	if (rd->shared)
		agent_shared_release(rd->shared);
	free(rd->shared);
	memset(rd, 0, sizeof(*rd));
}
