/*
 * ahead.c - the days a log has left behind, written before its input ends
 * (agg.h, "Writing ahead"): on the calling thread, or, with cfg.threads of
 * 2 or more, on a helper thread per day while the caller goes on counting.
 *
 * The helper gets the day's records (moved out of the day, which is marked
 * away), the robot counts of that day (copied), and a view of the
 * aggregator: a struct copy whose names are read only by intern_get, of
 * ids the day's records hold, from entries kept in place meanwhile
 * (intern_hold). So the helper and the caller share no memory that either
 * writes: the caller takes the records back (joining the helper) before
 * it touches the day again, for a late line or to emit it.
 */
#include "agg_int.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "../common/grow.h"
#include "../common/thread.h"

struct agg_ahead {
	struct agg view;    /* the aggregator as of the hand-over; its days
				* are &day alone, its robot counts those of day */
	struct agg_day day; /* the day's records, the helper's until joined */
	uint32_t idx;       /* the day's index in the aggregator */
	struct bot_count *bots;
	uint32_t *rank_of;
	agg_emit_fn emit;
	void *ctx;
	enum lf_status st; /* the build's, then emit's */
	atomic_bool done;
	pthread_t thread;
};

/* The interns a view reads. */
static void hold_names(struct agg *a, bool hold)
{
	struct intern *t[] = { &a->sites, &a->pages, &a->values, &a->bots };
	for (size_t i = 0; i < sizeof(t) / sizeof(*t); i++) {
		if (hold)
			intern_hold(t[i]);
		else
			intern_unhold(t[i]);
	}
}

/* Leave d with no records (another day holds them now). */
static void clear_records(struct agg_day *d)
{
	d->packed = (struct recpack){ 0 };
	d->pv = d->ev = (struct recbuf){ 0 };
}

/* Move the records of from into to, leaving from with none. */
static void move_records(struct agg_day *to, struct agg_day *from)
{
	to->packed = from->packed;
	to->pv = from->pv;
	to->ev = from->ev;
	clear_records(from);
}

static void *ahead_main(void *arg)
{
	struct agg_ahead *j = arg;
	struct day_result *r;
	j->st = agg_build_day(&j->view, &j->day, j->rank_of, true, &r);
	if (j->st == LF_OK)
		j->st = j->emit(j->ctx, r);
	/* Due to be written ahead is due to be packed (the same clock): done
	 * here, not by the caller after it takes the records back, whose
	 * workers would wait the while (a day of 100 000 pageviews: ~10 ms). */
	agg_pack_day(&j->view, &j->day);
	atomic_store_explicit(&j->done, true, memory_order_release);
	return NULL;
}

/* The robot counts of day idx, as day 0 of the view's. */
static enum lf_status copy_bots(struct agg_ahead *j, const struct botcount *b, uint32_t idx)
{
	uint32_t k = 0;
	for (uint32_t i = 0; i < b->n; i++)
		k += b->counts[i].day == idx;
	if (k && !(j->bots = malloc(k * sizeof(*j->bots))))
		return LF_ERR_NOMEM;
	k = 0;
	for (uint32_t i = 0; i < b->n; i++)
		if (b->counts[i].day == idx)
			j->bots[k++] =
				(struct bot_count){ 0, b->counts[i].bot, b->counts[i].requests };
	j->view.botcount = (struct botcount){ .counts = j->bots, .n = k, .cap = k };
	return LF_OK;
}

static void job_free(struct agg_ahead *j)
{
	free(j->bots);
	free(j->rank_of);
	free(j);
}

/* Hand day idx to a helper thread; false when it cannot be (out of
 * memory, no thread): the day is then as it was. */
static bool hand_over(struct agg *a, uint32_t idx, agg_emit_fn emit, void *ctx)
{
	struct agg_ahead *j = calloc(1, sizeof(*j));
	if (!j)
		return false;
	struct agg_day *d = &a->days[idx];
	j->view = *a;
	j->view.days = &j->day;
	j->view.ndays = 1;
	j->view.job = NULL;
	j->day = *d; /* the day as it is, records too: d's are cleared below */
	j->idx = idx;
	j->emit = emit;
	j->ctx = ctx;
	atomic_init(&j->done, false);
	if (copy_bots(j, &a->botcount, idx) != LF_OK || !(j->rank_of = agg_new_rank_of(a))) {
		job_free(j);
		return false;
	}
	hold_names(a, true);
	clear_records(d);
	d->away = true;
	a->job = j;
	if (thread_start(&j->thread, 0, ahead_main, j) != 0) {
		move_records(d, &j->day);
		d->away = false;
		hold_names(a, false);
		a->job = NULL;
		job_free(j);
		return false;
	}
	return true;
}

void agg_ahead_take_back(struct agg *a)
{
	struct agg_ahead *j = a->job;
	if (!j)
		return;
	pthread_join(j->thread, NULL);
	struct agg_day *d = &a->days[j->idx];
	move_records(d, &j->day);
	d->away = false;
	d->ahead_written = d->ahead_same = j->st == LF_OK;
	if (j->st != LF_OK && j->st != LF_ERR_NOMEM)
		a->ahead_off = true; /* emit failed */
	hold_names(a, false);
	a->job = NULL;
	job_free(j);
}

/* The clock at which day d may be written ahead; INT64_MAX: never. */
static int64_t ahead_time(const struct agg *a, const struct agg_day *d)
{
	if (d->emitted || d->ahead_tried || d->end == INT64_MIN)
		return INT64_MAX;
	return d->end + (int64_t)a->cfg.grace + AGG_PACK_MARGIN;
}

void agg_ahead_note(struct agg *a, const struct agg_day *d)
{
	int64_t t = ahead_time(a, d);
	if (t < a->ahead_next)
		a->ahead_next = t;
	if (t < a->ahead_at)
		a->ahead_at = t;
}

/* Queue every day due and not yet looked at; the earliest of the others
 * in ahead_next. Out of memory, the rest wait for the next call. */
static void queue_due(struct agg *a)
{
	int64_t next = INT64_MAX;
	a->ahead_head = a->ahead_n = 0;
	for (uint32_t i = 0; i < a->ndays; i++) {
		struct agg_day *d = &a->days[i];
		int64_t t = ahead_time(a, d);
		if (t > a->clock) {
			if (t < next)
				next = t;
			continue;
		}
		if (!GROW(a->ahead_queue, a->ahead_cap, a->ahead_n + 1, 16)) {
			next = INT64_MIN;
			break;
		}
		d->ahead_tried = true;
		a->ahead_queue[a->ahead_n++] = i;
	}
	a->ahead_next = next;
}

/* Day d computed and emitted here; a day short of memory is left. */
static enum lf_status write_here(struct agg *a, struct agg_day *d, uint32_t **rank_of,
				 agg_emit_fn emit, void *ctx)
{
	struct day_result *r;
	if (!*rank_of && !(*rank_of = agg_new_rank_of(a)))
		return LF_OK;
	if (agg_build_day(a, d, *rank_of, true, &r) != LF_OK)
		return LF_OK;
	enum lf_status st = emit(ctx, r);
	d->ahead_written = d->ahead_same = st == LF_OK;
	return st;
}

enum lf_status agg_write_ahead(struct agg *a, agg_ahead_fn ok, agg_emit_fn emit, void *ctx)
{
	enum lf_status st = LF_OK;
	uint32_t *rank_of = NULL;
	if (a->job) {
		if (!atomic_load_explicit(&a->job->done, memory_order_acquire))
			return LF_OK; /* one day at a time: looked at again on the next call */
		agg_ahead_take_back(a);
	}
	if (!a->ahead_off && a->ahead_head == a->ahead_n)
		queue_due(a);
	while (!a->ahead_off && a->ahead_head < a->ahead_n) {
		uint32_t i = a->ahead_queue[a->ahead_head++];
		struct agg_day *d = &a->days[i];
		if (d->emitted || !ok(ctx, intern_get(&a->sites, d->site), d->day))
			continue;
		if (a->cfg.threads >= 2 && hand_over(a, i, emit, ctx)) {
			a->ahead_at = INT64_MIN; /* the next call takes it back */
			break;
		}
		if ((st = write_here(a, d, &rank_of, emit, ctx)) != LF_OK)
			a->ahead_off = true;
	}
	if (!a->job)
		a->ahead_at = a->ahead_off ? INT64_MAX : a->ahead_next;
	free(rank_of);
	return st;
}
