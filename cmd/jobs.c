/*
 * jobs.c - the worker threads and their chunks (see jobs.h). One mutex
 * and two condition variables guard the ring's counters; a chunk's
 * contents belong to the main thread while it is filled and counted, to
 * one worker between its submission and its done flag, never to both.
 * Chunks are submitted, taken and released in seq order, so the ring
 * needs no queue of its own: the chunk of seq s is chunks[s % nchunks].
 */
#include "jobs.h"

#include <stdlib.h>
#include <string.h>

#include "../common/grow.h"
#include "../common/thread.h"
#include "../parsers/input/input.h"

/* A worker's stack: parser_line's frames and PCRE2's (its JIT stack is on
 * the heap) take well under 1 MiB; the default (ulimit -s, 8 MiB) would be
 * address space for nothing, which a low ulimit -v then lacks. */
#define JOBS_STACK ((size_t)2 << 20)

_Static_assert(JOBS_CHUNK_MIN > INPUT_LINE_MAX + 1, "a longest line fits an empty chunk");

static struct jobs_chunk *chunk_of(const struct jobs *j, uint64_t seq)
{
	return &j->chunks[seq % j->nchunks];
}

/* ---- the worker's side -------------------------------------------------- */

/* The slices of a hit that point into a parser's scratch, or into static
 * or cached storage that a later line may change: copied into the chunk. */
static struct slice *hit_slice(struct hit *h, int i)
{
	if (i < DIM_COUNT)
		return &h->dim[i];
	switch (i - DIM_COUNT) {
	case 0: return &h->site;
	case 1: return &h->page;
	case 2: return &h->label;
	case 3: return &h->bot;
	}
	return NULL;
}
#define HIT_SLICES (DIM_COUNT + 4)

/* What an empty slice that pointed somewhere points to: as the parser's
 * hits, never NULL (memcmp and memcpy want a pointer even for 0 bytes). */
static const char empty[1] = "";

/* A block of the store: room for the strings of some hundreds of hits. */
#define JOBS_BLOCK_BYTES ((size_t)64 * 1024)

/* n bytes of c's store, in one block: the current one while it has room,
 * else the next, made when no chunk before needed it. A hit's strings take
 * a few KiB at most (a page is at most PAGE_MAX bytes, a host 253); should
 * one ever take more than a block, a block of its size is made for it and
 * the smaller ones are passed over. */
static char *store_room(struct jobs_chunk *c, size_t n)
{
	for (;;) {
		if (c->block < c->nblocks) {
			struct jobs_block *b = &c->blocks[c->block];
			if (b->cap - c->used >= n) {
				c->used += n;
				return b->p + c->used - n;
			}
			c->block++;
			c->used = 0;
			continue;
		}
		size_t cap = n > JOBS_BLOCK_BYTES ? n : JOBS_BLOCK_BYTES;
		if (!GROW(c->blocks, c->blocks_cap, c->nblocks + 1, 16))
			return NULL;
		char *p = malloc(cap);
		if (!p)
			return NULL;
		c->blocks[c->nblocks++] = (struct jobs_block){ p, cap };
		c->block = c->nblocks - 1;
		c->used = 0;
	}
}

/* Copy item's strings to the chunk's store, where they stay until the
 * chunk is filled again: its slices point there; an empty one stays NULL
 * or points to empty. */
static bool keep_strings(struct jobs_chunk *c, struct jobs_item *it)
{
	size_t n = 0;
	for (int i = 0; i < HIT_SLICES; i++)
		n += hit_slice(&it->hit, i)->n;
	char *to = n ? store_room(c, n) : NULL;
	if (n && !to)
		return false;
	for (int i = 0; i < HIT_SLICES; i++) {
		struct slice *s = hit_slice(&it->hit, i);
		if (!s->n) {
			s->p = s->p ? empty : NULL;
			continue;
		}
		memcpy(to, s->p, s->n);
		s->p = to;
		to += s->n;
	}
	return true;
}

/* Whether the counting acts on a line of outcome s (else it is counted
 * by reason only). */
static bool kept(int s)
{
	return s == PARSE_PAGEVIEW || s == PARSE_BEACON || s == SKIP_BOT || s == SKIP_MALFORMED ||
	       s == SKIP_FUTURE || s == JOBS_TOO_LONG;
}

/* Parse line l of c into an item, a count, or both. False: no memory.
 * The line is parsed in place, into the chunk's next free item when there
 * is one (an item is kept by counting it), so that a line costs no copy
 * or clearing of a whole item (~300 bytes). */
static bool work_line(struct jobs_chunk *c, const struct jobs_line *l, struct parser *p,
		      int64_t future_after)
{
	struct jobs_item spare;
	struct jobs_item *it = c->nitems < c->items_cap ? &c->items[c->nitems] : &spare;
	it->no = l->no;
	it->outcome = JOBS_TOO_LONG;
	it->why = NULL;
	/* keep_strings reads every slice: parser_line sets these two for
	 * beacon events and robots only */
	it->hit.label = (struct slice){ NULL, 0 };
	it->hit.bot = (struct slice){ NULL, 0 }; /* not a = b = {}: gcc then
						  * reloads a 16-byte pair from
						  * two 8-byte stores, a stall */
	int parsed = JOBS_TOO_LONG;
	if (!l->too_long) {
		it->outcome = (int)parser_line(p, slice_make(c->text + l->off, l->len), &it->hit,
					       &it->why);
		parsed = it->outcome;
		/* as cmd/run.c's from_future: a line that would be counted */
		if ((it->outcome == PARSE_PAGEVIEW || it->outcome == PARSE_BEACON ||
		     it->outcome == SKIP_BOT) && it->hit.time > future_after)
			it->outcome = SKIP_FUTURE;
	}
	if (it->outcome == PARSE_OPTOUT) {
		c->optout++;
		return true;
	}
	if (!kept(it->outcome)) {
		c->skipped[it->outcome]++;
		return true;
	}
	bool with_hit = it->outcome == PARSE_PAGEVIEW || it->outcome == PARSE_BEACON ||
			it->outcome == SKIP_BOT;
	it->geo = parsed == PARSE_PAGEVIEW;
	if (!with_hit) {
		struct masked_ip ip = it->hit.ip;
		it->hit = (struct hit){ 0 };
		if (it->geo)
			it->hit.ip = ip;
	} else if (!keep_strings(c, it))
		return false;
	if (it == &spare) {
		if (!GROW(c->items, c->items_cap, c->nitems + 1, 1024))
			return false;
		c->items[c->nitems] = spare;
	}
	c->nitems++;
	return true;
}

/* Parse the lines of span s one by one, cut as input_next cuts them
 * (input_line_len). False: no memory, at line *no. */
static bool work_span(struct jobs_chunk *c, const struct jobs_line *s, struct parser *p,
		      int64_t future_after, uint64_t *no)
{
	const char *at = c->text + s->off, *end = at + s->len;
	for (*no = s->no; at < end; (*no)++) {
		const char *nl = memchr(at, '\n', (size_t)(end - at));
		size_t n = input_line_len(at, (size_t)(nl - at));
		struct jobs_line l = { *no, (uint32_t)(at - c->text), (uint32_t)n, 0,
				       n > INPUT_LINE_MAX };
		if (!work_line(c, &l, p, future_after))
			return false;
		at = nl + 1;
	}
	return true;
}

void jobs_work(struct jobs_chunk *c, struct parser *p, int64_t future_after)
{
	c->nitems = c->block = c->used = 0;
	c->optout = 0;
	c->nomem = false;
	memset(c->skipped, 0, sizeof(c->skipped));
	parser_set_scanner(p, &c->state);
	for (size_t i = 0; i < c->nlines && !c->nomem; i++) {
		const struct jobs_line *l = &c->lines[i];
		uint64_t no = l->no;
		if (l->lines ? !work_span(c, l, p, future_after, &no)
			     : !work_line(c, l, p, future_after)) {
			c->nomem = true;
			c->nomem_no = no;
		}
	}
}

static void *worker_main(void *arg)
{
	struct jobs_worker *w = arg;
	struct jobs *j = w->jobs;
	(void)pthread_setname_np(pthread_self(), "logfold-parse"); /* for top and perf */
	if (!w->parser)
		w->parser = j->make(j->make_ctx, w->k);
	pthread_mutex_lock(&j->lock);
	if (!w->parser)
		j->gone++; /* the others parse its share */
	while (w->parser) {
		while (!j->quit && j->taken == j->filled)
			pthread_cond_wait(&j->todo, &j->lock);
		if (j->quit)
			break;
		struct jobs_chunk *c = chunk_of(j, j->taken++);
		j->busy++;
		pthread_mutex_unlock(&j->lock);
		jobs_work(c, w->parser, j->future_after);
		pthread_mutex_lock(&j->lock);
		j->busy--;
		c->done = true;
		pthread_cond_broadcast(&j->done);
	}
	pthread_mutex_unlock(&j->lock);
	return NULL;
}

/* ---- the main thread's side --------------------------------------------- */

/* Start worker k (thread.h: every signal blocked in it). */
static bool start_worker(struct jobs *j, int k)
{
	bool ok = thread_start(&j->w[k].thread, JOBS_STACK, worker_main, &j->w[k]) == 0;
	j->w[k].started = ok;
	j->started = k + 1;
	if (!ok)
		j->gone++;
	return ok;
}

enum lf_status jobs_start(struct jobs *j, int n, struct parser *first, jobs_make_fn make,
			  void *make_ctx, int64_t future_after, size_t chunk_bytes,
			  size_t chunk_lines)
{
	memset(j, 0, sizeof(*j));
	if (n < 2 || n > JOBS_MAX)
		return LF_ERR_USAGE;
	j->n = n;
	j->future_after = future_after;
	j->chunk_bytes = n <= JOBS_RING_FULL_SIZE ? JOBS_CHUNK_BYTES : JOBS_RING_TEXT / (size_t)n;
	if (chunk_bytes)
		j->chunk_bytes = chunk_bytes;
	if (j->chunk_bytes < JOBS_CHUNK_MIN)
		j->chunk_bytes = JOBS_CHUNK_MIN;
	j->chunk_lines = chunk_lines ? chunk_lines : JOBS_CHUNK_LINES;
	j->nchunks = JOBS_CHUNKS(n);
	j->chunks = calloc(j->nchunks, sizeof(*j->chunks));
	for (size_t i = 0; j->chunks && i < j->nchunks; i++)
		j->chunks[i].done = true; /* free */
	if (!j->chunks)
		return LF_ERR_NOMEM;
	j->make = make;
	j->make_ctx = make_ctx;
	for (int i = 0; i < n; i++)
		j->w[i] = (struct jobs_worker){ .jobs = j, .k = i, .parser = i ? NULL : first };
	if (pthread_mutex_init(&j->lock, NULL) != 0) {
		free(j->chunks);
		j->chunks = NULL;
		return LF_ERR_NOMEM;
	}
	pthread_cond_init(&j->todo, NULL);
	pthread_cond_init(&j->done, NULL);
	if (!start_worker(j, 0)) {
		jobs_stop(j);
		return LF_ERR_NOMEM;
	}
	return LF_OK;
}

bool jobs_filling(const struct jobs *j)
{
	return j->filling;
}

/* The chunk to fill, made empty when none is (jobs_room said one is
 * free). */
static struct jobs_chunk *fill_chunk(struct jobs *j, const struct scanner *state)
{
	if (j->filling)
		return j->fill;
	struct jobs_chunk *c = j->fill = chunk_of(j, j->filled);
	c->seq = j->filled;
	c->ntext = c->nlines = c->count = 0;
	c->done = false;
	scanner_copy(&c->state, state);
	j->filling = true;
	return c;
}

/* Append an entry of text (lines: jobs_line's) to the chunk being
 * filled, made from state when none is. */
static enum lf_status put_text(struct jobs *j, const struct scanner *state, struct slice text,
			       uint64_t no, uint32_t lines, bool too_long)
{
	struct jobs_chunk *c = fill_chunk(j, state);
	if (!GROW(c->text, c->text_cap, c->ntext + text.n, j->chunk_bytes) ||
	    !GROW(c->lines, c->lines_cap, c->nlines + 1, 4096))
		return LF_ERR_NOMEM;
	if (text.n)
		memcpy(c->text + c->ntext, text.p, text.n);
	c->lines[c->nlines++] =
		(struct jobs_line){ no, (uint32_t)c->ntext, (uint32_t)text.n, lines, too_long };
	c->ntext += text.n;
	c->count += lines ? lines : 1;
	return LF_OK;
}

enum lf_status jobs_room(const struct jobs *j, size_t *bytes, size_t *lines)
{
	size_t ntext = 0, count = 0;
	if (j->filling) {
		ntext = j->fill->ntext;
		count = j->fill->count;
	} else if (j->filled - j->counted >= j->nchunks) {
		return LF_ERR_LIMIT; /* the ring is full: the oldest must be counted */
	}
	*bytes = ntext < j->chunk_bytes ? j->chunk_bytes - ntext : 0;
	*lines = count < j->chunk_lines ? j->chunk_lines - count : 0;
	return *bytes && *lines ? LF_OK : LF_ERR_LIMIT; /* full: submit it */
}

enum lf_status jobs_add(struct jobs *j, struct slice line, uint64_t no, bool too_long,
			const struct scanner *state)
{
	size_t n = too_long ? 0 : line.n, bytes, lines;
	/* an empty chunk takes any line: chunk_bytes > INPUT_LINE_MAX + 1 */
	if (jobs_room(j, &bytes, &lines) != LF_OK || n > bytes)
		return LF_ERR_LIMIT;
	return put_text(j, state, slice_make(line.p, n), no, 0, too_long);
}

enum lf_status jobs_add_lines(struct jobs *j, struct slice text, uint64_t no, uint32_t lines,
			      const struct scanner *state)
{
	return put_text(j, state, text, no, lines, false);
}

void jobs_submit(struct jobs *j)
{
	if (!j->filling)
		return;
	pthread_mutex_lock(&j->lock);
	j->filled++;
	j->filling = false;
	/* chunks waiting beyond the workers free to take them: one more */
	if (j->started < j->n && j->filled - j->taken > (uint64_t)(j->started - j->gone - j->busy))
		(void)start_worker(j, j->started); /* else done without */
	pthread_cond_signal(&j->todo);
	pthread_mutex_unlock(&j->lock);
}

struct jobs_chunk *jobs_oldest(struct jobs *j, bool wait)
{
	struct jobs_chunk *c = NULL;
	pthread_mutex_lock(&j->lock);
	if (j->counted < j->filled) {
		c = chunk_of(j, j->counted);
		while (wait && !c->done)
			pthread_cond_wait(&j->done, &j->lock);
		if (!c->done)
			c = NULL;
	}
	pthread_mutex_unlock(&j->lock);
	return c;
}

void jobs_release(struct jobs *j, struct jobs_chunk *c)
{
	(void)c; /* always the oldest: jobs_oldest's */
	pthread_mutex_lock(&j->lock);
	j->counted++;
	pthread_mutex_unlock(&j->lock);
}

void jobs_stop(struct jobs *j)
{
	if (!j->chunks)
		return;
	pthread_mutex_lock(&j->lock);
	j->quit = true;
	pthread_cond_broadcast(&j->todo);
	pthread_mutex_unlock(&j->lock);
	for (int i = 0; i < j->started; i++)
		if (j->w[i].started)
			pthread_join(j->w[i].thread, NULL);
	pthread_cond_destroy(&j->todo);
	pthread_cond_destroy(&j->done);
	pthread_mutex_destroy(&j->lock);
	for (size_t i = 0; i < j->nchunks; i++) {
		struct jobs_chunk *c = &j->chunks[i];
		free(c->text);
		free(c->lines);
		free(c->items);
		for (size_t b = 0; b < c->nblocks; b++)
			free(c->blocks[b].p);
		free(c->blocks);
	}
	free(j->chunks);
	memset(j, 0, sizeof(*j));
}
