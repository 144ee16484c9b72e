/*
 * inorder.c - a counter of items taken, a ring of `ahead` result slots
 * (item i in slot i % ahead) and one mutex. A helper may take item i only
 * while i < handed + ahead, so slot i % ahead is free when it fills it:
 * item i - ahead was handed over and its slot emptied. The calling thread
 * waits for its next slot to be filled; a helper waits for room. We chose
 * one lock over lock-free slots: an item (a day) costs milliseconds, the
 * lock a few hundred nanoseconds twice per item.
 */
#include "inorder.h"

#include <pthread.h>
#include <stdlib.h>

#include "thread.h"

struct slot {
	void *result;
	enum lf_status st;
	bool done; /* computed, not yet handed over */
};

struct run {
	const struct inorder *job;
	pthread_mutex_t mu;
	pthread_cond_t filled; /* a slot was filled: the calling thread waits */
	pthread_cond_t room;   /* a slot was emptied, or stop: helpers wait */
	struct slot *slots;    /* job->ahead of them */
	size_t next;           /* the next item to take */
	size_t handed;         /* items handed over */
	bool stop;
};

struct helper {
	struct run *run;
	unsigned h;
	pthread_t thread;
};

static void *helper_main(void *arg)
{
	struct helper *hp = arg;
	struct run *r = hp->run;
	const struct inorder *job = r->job;
	pthread_mutex_lock(&r->mu);
	for (;;) {
		while (!r->stop && r->next < job->n && r->next - r->handed >= job->ahead)
			pthread_cond_wait(&r->room, &r->mu);
		if (r->stop || r->next >= job->n)
			break;
		size_t i = r->next++;
		pthread_mutex_unlock(&r->mu);
		void *result = NULL;
		enum lf_status st = job->work(job->ctx, hp->h, i, &result);
		pthread_mutex_lock(&r->mu);
		r->slots[i % job->ahead] = (struct slot){ result, st, true };
		pthread_cond_signal(&r->filled);
	}
	pthread_mutex_unlock(&r->mu);
	return NULL;
}

/* Start up to n helpers; the number started. */
static unsigned start_helpers(struct helper *hp, unsigned n)
{
	unsigned k = 0; /* thread.h: every signal blocked in them */
	while (k < n && thread_start(&hp[k].thread, 0, helper_main, &hp[k]) == 0)
		k++;
	return k;
}

/* Hand items over in order until one is refused; the status. */
static enum lf_status hand_over(struct run *r)
{
	const struct inorder *job = r->job;
	enum lf_status st = LF_OK;
	for (size_t i = 0; i < job->n && st == LF_OK; i++) {
		struct slot *s = &r->slots[i % job->ahead];
		pthread_mutex_lock(&r->mu);
		while (!s->done)
			pthread_cond_wait(&r->filled, &r->mu);
		struct slot got = *s;
		s->done = false;
		r->handed = i + 1;
		pthread_cond_signal(&r->room);
		pthread_mutex_unlock(&r->mu);
		st = job->take(job->ctx, i, got.st, got.result);
	}
	return st;
}

enum lf_status inorder_run(const struct inorder *job, bool *started)
{
	unsigned n = job->n < job->threads ? (unsigned)job->n : job->threads;
	struct run r = { .job = job, .slots = calloc(job->ahead, sizeof(*r.slots)) };
	struct helper *hp = calloc(n ? n : 1, sizeof(*hp));
	unsigned k = 0;
	enum lf_status st = LF_OK;
	pthread_mutex_init(&r.mu, NULL);
	pthread_cond_init(&r.filled, NULL);
	pthread_cond_init(&r.room, NULL);
	for (unsigned h = 0; hp && h < n; h++)
		hp[h] = (struct helper){ .run = &r, .h = h };
	if (r.slots && hp && job->ahead)
		k = start_helpers(hp, n);
	*started = k > 0;
	if (k) {
		st = hand_over(&r);
		pthread_mutex_lock(&r.mu);
		r.stop = true;
		pthread_cond_broadcast(&r.room);
		pthread_mutex_unlock(&r.mu);
		for (unsigned h = 0; h < k; h++)
			pthread_join(hp[h].thread, NULL);
		/* every item taken is computed now; those not handed over go */
		for (size_t i = r.handed; i < r.next; i++)
			job->drop(job->ctx, i, r.slots[i % job->ahead].st,
				  r.slots[i % job->ahead].result);
	}
	pthread_cond_destroy(&r.room);
	pthread_cond_destroy(&r.filled);
	pthread_mutex_destroy(&r.mu);
	free(hp);
	free(r.slots);
	return st;
}
