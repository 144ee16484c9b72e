/*
 * writer.h - a thread that writes the computed days to the sinks while the
 * run goes on: the next day is computed, or the next input read, while
 * SQLite inserts the last one's rows. On two cores the writes, a third of
 * a run that records every dimension, then cost little more than nothing.
 *
 * Days are written in the order they are put. The queue holds a few days,
 * so memory stays bounded: a put waits while it is full. The writing
 * function owns each day it is given (it frees it with agg_day_free). The
 * sinks belong to the writer from writer_start to writer_stop: the caller
 * touches them only after writer_drain, while nothing is queued.
 *
 * A failed write is kept: the days after it are dropped unwritten, and
 * writer_put and writer_drain return it (the run cannot commit anyway).
 */
#ifndef LF_WRITER_H
#define LF_WRITER_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#include "../aggregate/tables.h"
#include "../common/status.h"

/* Days computed but not yet written, at most: two keep the writer busy
 * while the next is computed, without holding a backfill's days. */
#define WRITER_QUEUE 2

/* Write d, then agg_day_free it; any status but LF_OK is the writer's
 * failure (the function has said why). */
typedef enum lf_status (*writer_fn)(void *ctx, struct day_result *d);

struct writer {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t changed; /* the queue, busy, failed or quit moved */
	struct day_result *queue[WRITER_QUEUE];
	size_t head, n;
	bool busy;              /* a day is being written */
	bool quit;
	bool started;
	enum lf_status failed;  /* the first failure, or LF_OK */
	writer_fn write;
	void *ctx;
};

/* Start the thread. When it cannot be made, w writes each day in
 * writer_put itself, and everything else works the same. */
void writer_start(struct writer *w, writer_fn write, void *ctx);

/* Queue d (owned from now on), waiting while the queue is full. The first
 * failure so far, if any (d is then freed unwritten). */
enum lf_status writer_put(struct writer *w, struct day_result *d);

/* Wait until every day put is written; the first failure, if any. */
enum lf_status writer_drain(struct writer *w);

/* Drop what is queued unwritten and stop the thread (after a drain, there
 * is nothing to drop). Safe on a writer that never started. */
void writer_stop(struct writer *w);

#endif
