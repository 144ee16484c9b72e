/*
 * writer.c - the day writer thread (see writer.h). One mutex and one
 * condition variable guard the queue; the write itself runs unlocked.
 */
#include "writer.h"

#include "../aggregate/agg.h"
#include "../common/thread.h"

/* The thread's stack: SQLite steps statements prepared on the main thread,
 * in well under 100 KiB. The default (8 MiB, from ulimit -s) would be
 * address space for nothing, which a low ulimit -v then lacks. */
#define WRITER_STACK ((size_t)1 << 20)

static void *writer_main(void *arg)
{
	struct writer *w = arg;
	pthread_mutex_lock(&w->lock);
	for (;;) {
		while (w->n == 0 && !w->quit)
			pthread_cond_wait(&w->changed, &w->lock);
		if (w->n == 0)
			break; /* quit, and nothing left */
		struct day_result *d = w->queue[w->head];
		w->head = (w->head + 1) % WRITER_QUEUE;
		w->n--;
		w->busy = true;
		bool skip = w->failed != LF_OK || w->quit;
		pthread_mutex_unlock(&w->lock);
		enum lf_status st = LF_OK;
		if (skip)
			agg_day_free(d);
		else
			st = w->write(w->ctx, d);
		pthread_mutex_lock(&w->lock);
		w->busy = false;
		if (st != LF_OK && w->failed == LF_OK)
			w->failed = st;
		pthread_cond_broadcast(&w->changed);
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

void writer_start(struct writer *w, writer_fn write, void *ctx)
{
	*w = (struct writer){ .write = write, .ctx = ctx };
	if (pthread_mutex_init(&w->lock, NULL) != 0)
		return;
	if (pthread_cond_init(&w->changed, NULL) != 0) {
		pthread_mutex_destroy(&w->lock);
		return;
	}
	w->started = thread_start(&w->thread, WRITER_STACK, writer_main, w) == 0;
	if (!w->started) {
		pthread_cond_destroy(&w->changed);
		pthread_mutex_destroy(&w->lock);
	}
}

enum lf_status writer_put(struct writer *w, struct day_result *d)
{
	if (!w->started) { /* no thread: write here, as before there was one */
		if (w->failed != LF_OK) {
			agg_day_free(d);
			return w->failed;
		}
		return w->failed = w->write(w->ctx, d);
	}
	pthread_mutex_lock(&w->lock);
	while (w->n == WRITER_QUEUE && w->failed == LF_OK)
		pthread_cond_wait(&w->changed, &w->lock);
	enum lf_status st = w->failed;
	if (st == LF_OK) {
		w->queue[(w->head + w->n) % WRITER_QUEUE] = d;
		w->n++;
		pthread_cond_broadcast(&w->changed);
	}
	pthread_mutex_unlock(&w->lock);
	if (st != LF_OK)
		agg_day_free(d);
	return st;
}

enum lf_status writer_drain(struct writer *w)
{
	if (!w->started)
		return w->failed;
	pthread_mutex_lock(&w->lock);
	while (w->n > 0 || w->busy)
		pthread_cond_wait(&w->changed, &w->lock);
	enum lf_status st = w->failed;
	pthread_mutex_unlock(&w->lock);
	return st;
}

void writer_stop(struct writer *w)
{
	if (!w->started)
		return;
	pthread_mutex_lock(&w->lock);
	w->quit = true;
	pthread_cond_broadcast(&w->changed);
	pthread_mutex_unlock(&w->lock);
	pthread_join(w->thread, NULL);
	pthread_cond_destroy(&w->changed);
	pthread_mutex_destroy(&w->lock);
	w->started = false;
}
