/*
 * jobs.h - the readers of a run (--jobs N, N >= 2): the lines of an input,
 * cut into chunks at their ends by the main thread (most of them as spans,
 * runs of whole lines that the worker splits), are parsed by N worker
 * threads, each with a parser of its own (the run's configuration and
 * visitor key), and handed back chunk by chunk in the order of the log.
 * What a worker makes of a line is what the one parser of a --jobs 1 run
 * would: every chunk carries the scanner's state at its first line (a W3C
 * #Fields line changes how the next lines read), which its worker takes
 * before parsing it. The main thread then counts the chunk's lines in
 * their order (cmd/run.c): the aggregator, the days and the resume points
 * see exactly the sequence of a single thread, so every table, message
 * and resume point is the same whatever N (docs/DEVELOPING.md, Threads).
 *
 * A chunk keeps, in line order, only what the counting needs: the lines
 * that are pageviews, beacon requests, robots', malformed, from the
 * future or too long, each with its number and its hit (whose strings are
 * copied into the chunk: a parser's scratch is reused by its next line);
 * the other reasons are counted per chunk. Chunks are recycled: their
 * buffers grow to the largest chunk seen, and nothing is allocated per
 * line once they have. Memory: JOBS_CHUNKS(N) chunks of at most
 * chunk_bytes of text (1 MiB by default) and their hits.
 *
 * This module neither prints nor exits. It is the main thread's: only
 * jobs_work runs on the workers, on chunks they alone hold until done.
 */
#ifndef LF_JOBS_H
#define LF_JOBS_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../common/skip.h"
#include "../common/slice.h"
#include "../common/status.h"
#include "../parsers/reduce/hit.h"
#include "../parsers/reduce/parser.h"

/* Threads at most (--jobs): CONFIG_JOBS_MAX. */
#define JOBS_MAX 64

/* Chunks in use at once: four a worker (the one it parses, the others
 * waiting for a worker or, parsed, for their turn to be counted) and the
 * one being filled. Chunks are counted in order, so while the oldest one's
 * worker is off its core the others run ahead, and with two a worker the
 * ring was soon full: the bench log at --jobs 2 left each worker idle
 * some 0.35 s more than with four, the main thread waiting twice as often. */
#define JOBS_CHUNKS(n) (4 * (size_t)(n) + 1)

/* Text of a chunk by default, and at least (a line of INPUT_LINE_MAX must
 * fit an empty chunk). 1 MiB: some 4 000 lines, a couple of milliseconds
 * of a worker's time, so that a hand-over costs nothing measurable. Past
 * JOBS_RING_FULL_SIZE workers, the ring's text is JOBS_RING_TEXT at most,
 * its chunks smaller. */
#define JOBS_CHUNK_BYTES ((size_t)1 << 20)
#define JOBS_RING_FULL_SIZE 4
#define JOBS_RING_TEXT ((size_t)JOBS_RING_FULL_SIZE * JOBS_CHUNK_BYTES)
#define JOBS_CHUNK_MIN ((size_t)70 * 1024)

/* An item's outcome besides the parser's: a line over INPUT_LINE_MAX. */
#define JOBS_TOO_LONG (-1)

/* A line of a chunk, as the main thread read it, or a span of lines. */
struct jobs_line {
	uint64_t no;  /* its number in the input (a span's first line's) */
	uint32_t off; /* its text: chunk text + off */
	uint32_t len;
	/* 0: one line, without its '\n'; else a span of that many whole
	 * lines, each with its '\n' (and any '\r'), which the worker splits
	 * as input_next would */
	uint32_t lines;
	bool too_long; /* over INPUT_LINE_MAX: no text */
};

/* Storage for the strings of a chunk's hits. */
struct jobs_block {
	char *p;
	size_t cap;
};

/* A line the counting acts on, in line order. */
struct jobs_item {
	uint64_t no;
	int outcome;     /* enum skip_reason, PARSE_PAGEVIEW, PARSE_BEACON,
			  * SKIP_FUTURE (a pageview, beacon or robot line dated
			  * after the run's limit) or JOBS_TOO_LONG */
	const char *why; /* SKIP_MALFORMED: the parser's static phrase */
	bool geo;        /* a pageview to the parser (even if from the future):
			  * the workers' parsers have no geography, the main
			  * thread looks its hit.ip up, in line order, so that
			  * the one cache of answers and its count of failed
			  * lookups are those of one thread (geo.h) */
	struct hit hit;  /* pageview, beacon, robot: slices into the chunk;
			  * from the future: only ip, when geo */
};

struct jobs_chunk {
	uint64_t seq;            /* its place in the log: 0, 1, 2 ... */
	struct scanner state;    /* the scanner as its first line finds it */
	char *text;              /* the lines' bytes */
	size_t ntext, text_cap;
	struct jobs_line *lines;
	size_t nlines, lines_cap;
	size_t count; /* lines, those of spans too */
	/* made by the worker: */
	struct jobs_item *items;
	size_t nitems, items_cap;
	/* the items' strings: blocks that never move once a string is in
	 * them (a hit's slices point there), reused by the next chunk */
	struct jobs_block *blocks;
	size_t nblocks, blocks_cap;
	size_t block, used;              /* the block being filled, its bytes used */
	uint64_t skipped[SKIP_NREASONS]; /* the other lines, by reason */
	uint64_t optout;         /* lines dropped for their opt-out marker */
	bool nomem;              /* the worker ran out of memory: items incomplete */
	uint64_t nomem_no;       /* at that line */
	bool done;
};

/* Make worker k's parser (1 <= k < n), on that worker's own thread, or
 * NULL: the worker then takes no chunk, and the others parse them. */
typedef struct parser *(*jobs_make_fn)(void *ctx, int k);

struct jobs_worker {
	struct jobs *jobs;
	struct parser *parser; /* worker 0's given; the others' made (make) */
	int k;
	pthread_t thread;
	bool started;
};

struct jobs {
	int n;                   /* workers */
	int64_t future_after;    /* a later time is SKIP_FUTURE */
	size_t chunk_bytes;      /* text of a chunk at most */
	size_t chunk_lines;      /* lines of a chunk at most */
	jobs_make_fn make;       /* the parsers of workers 1 .. n - 1 */
	void *make_ctx;
	struct jobs_worker w[JOBS_MAX];
	int started;               /* workers started (or tried): 0 .. started - 1 */
	int busy;                  /* workers parsing a chunk */
	int gone;                  /* workers that could not make their parser */
	struct jobs_chunk *chunks; /* JOBS_CHUNKS(n), a ring by seq */
	struct jobs_chunk *fill;   /* chunks[filled % nchunks] while filling */
	size_t nchunks;
	pthread_mutex_t lock;
	pthread_cond_t todo;     /* a chunk was submitted, or quit */
	pthread_cond_t done;     /* a chunk was parsed */
	uint64_t filled;         /* seq of the chunk being filled (not yet submitted) */
	uint64_t taken;          /* seq of the next chunk a worker takes */
	uint64_t counted;        /* seq of the oldest chunk not yet released */
	bool filling;            /* chunk `filled` has its first line */
	bool quit;
};

/* Lines of a chunk at most, by default: a chunk of blank lines stays
 * within 1.5 MiB of line entries. */
#define JOBS_CHUNK_LINES ((size_t)1 << 16)

/*
 * Start the first of at most n workers (2..JOBS_MAX), parsing with first
 * (the caller's: it frees it, and what make made, after jobs_stop). The
 * others start when a chunk is submitted while every worker started is
 * busy, each making its own parser with make (so that a short log costs
 * one parser, not n, and n parsers are made at once, not one after the
 * other), into chunks of at most chunk_bytes of text (0: JOBS_CHUNK_BYTES,
 * less past JOBS_RING_FULL_SIZE workers, so that their text stays some
 * 17 MiB; never under JOBS_CHUNK_MIN) and at most chunk_lines lines (0:
 * JOBS_CHUNK_LINES). The tests cut chunks of a few lines or bytes, so
 * that small logs cross many chunk boundaries. LF_ERR_NOMEM, also when
 * the first thread cannot be made (the caller then reads with one
 * thread); nothing is left to stop then. A later worker that cannot be
 * made is done without.
 */
enum lf_status jobs_start(struct jobs *j, int n, struct parser *first, jobs_make_fn make,
			  void *make_ctx, int64_t future_after, size_t chunk_bytes,
			  size_t chunk_lines);

/*
 * Add a line to the chunk being filled (state: the scanner's state before
 * the line, taken when it is the chunk's first). LF_OK; LF_ERR_LIMIT when
 * it does not fit or no chunk is free: the caller then submits the chunk
 * being filled (jobs_submit, when jobs_filling) or counts and releases the
 * oldest (jobs_oldest with wait), and adds the line again; LF_ERR_NOMEM.
 */
enum lf_status jobs_add(struct jobs *j, struct slice line, uint64_t no, bool too_long,
			const struct scanner *state);

/*
 * Room in the chunk being filled, or in the next one when none is: at
 * most *bytes of text and *lines lines. LF_OK; LF_ERR_LIMIT when it is
 * full or no chunk is free (then as for jobs_add).
 */
enum lf_status jobs_room(const struct jobs *j, size_t *bytes, size_t *lines);

/* Add text, lines whole lines (input_span's, each with its '\n'; the
 * first numbered no) that jobs_room said fit, as one entry (state: as for
 * jobs_add). LF_OK or LF_ERR_NOMEM. */
enum lf_status jobs_add_lines(struct jobs *j, struct slice text, uint64_t no, uint32_t lines,
			      const struct scanner *state);

/* Whether a chunk is being filled (it has a line). */
bool jobs_filling(const struct jobs *j);

/* Hand the chunk being filled to the workers (one more started when
 * every one started is busy and n are not yet). */
void jobs_submit(struct jobs *j);

/* The oldest chunk submitted and not released, once parsed (waiting for
 * it with wait), or NULL: none submitted, or (without wait) not parsed
 * yet. The caller counts its items, then jobs_release. */
struct jobs_chunk *jobs_oldest(struct jobs *j, bool wait);
void jobs_release(struct jobs *j, struct jobs_chunk *c);

/* Stop the workers (the chunks still queued are dropped) and free
 * everything but the parsers. Safe on a j that never started. */
void jobs_stop(struct jobs *j);

/* What a worker does with a chunk: parse its lines with p into its items
 * and counts. On any thread; exposed for the unit test. */
void jobs_work(struct jobs_chunk *c, struct parser *p, int64_t future_after);

#endif
