/*
 * input.c - bytes in, lines out: one log file or stdin, plain or gzip.
 *
 * Plain input is read(2) in the caller's thread, 1 MiB at a time. Gzip input
 * is inflated by one helper thread into a small ring of decompressed blocks
 * while the caller splits the previous block into lines, so that inflate and
 * parsing overlap on two cores. Either way the caller sees a sequence of
 * "chunks"; lines are found with memchr and handed out as slices into the
 * chunk. A line that straddles two chunks is assembled in a carry buffer of
 * INPUT_LINE_MAX + 1 bytes, for both kinds of input: we chose one splitter
 * over moving the tail to the start of a larger plain buffer, as copying at
 * most one line per 1 MiB chunk costs nothing measurable. Nothing is
 * allocated per line.
 *
 * Memory, fixed per open input (none of it grows with the input):
 *   plain: RBUF_SIZE (1 MiB) + carry (64 KiB)                     ~ 1.1 MiB
 *   gzip:  the same + GZ_NBLOCK * GZ_BLOCK (3 MiB) + zlib's inflate state
 *          (~7 KiB) and window (32 KiB)                            ~ 4.2 MiB
 *
 * Gzip choices: members are read one after another as `zcat` does; after the
 * last member, zero bytes (tape or block padding) are ignored, as gzip(1)
 * does; any other trailing bytes are reported as LF_ERR_CORRUPT ("trailing
 * garbage after gzip data"), after every line of the good members. Damage
 * that inflate only detects at a member's CRC check (a flipped literal) can
 * let a few wrong lines through before LF_ERR_CORRUPT: to avoid that we would
 * have to hold a whole member back, which we chose not to do.
 * With input_open_cancel, every wait for bytes also waits for the cancel
 * descriptor (poll), and every chunk checks it: a stalled pipe or an
 * endless line stops as soon as it is readable.
 * This module neither prints nor exits, and never looks inside a line.
 */
#include "input.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zlib.h>

/* One read(2) of a plain file, and the compressed-input buffer for gzip.
 * 1 MiB: large enough that syscall cost vanishes, small enough to stay in
 * L2/L3 while the lines in it are parsed. Must be >= INPUT_PEEK_MAX, because
 * input_peek shows the first chunk, and plain chunks are read full. */
#define RBUF_SIZE ((size_t)1 << 20)

/* Decompressed gzip blocks: 3 blocks of 1 MiB. Two are the minimum for
 * inflate and parsing to overlap (one filled while the other is split); the
 * third absorbs jitter between the two sides (a burst of long lines, a slow
 * read) so neither waits on the other. More blocks measured no faster. A
 * block is at least INPUT_PEEK_MAX so that input_peek sees one block. */
#define GZ_BLOCK ((size_t)1 << 20)
#define GZ_NBLOCK 3u

_Static_assert(RBUF_SIZE >= INPUT_PEEK_MAX && GZ_BLOCK >= INPUT_PEEK_MAX,
	       "input_peek shows the first chunk, which must hold the peek");

#define MSG_MAX 96 /* input_error(): a short phrase, zlib's messages fit */

/* One decompressed block and what the producer found right after it. */
struct gz_slot {
	char *data;
	size_t n;
	enum lf_status st; /* LF_OK: more follows; else the end of the input */
	int err;           /* errno when st is LF_ERR_IO */
	uint64_t raw;      /* compressed bytes read when it was published */
};

/* The helper thread's side; the mutex guards head, tail and stop only. */
struct gz {
	pthread_t thread;
	bool started, sync_live;
	pthread_mutex_t mu;
	pthread_cond_t can_fill, can_read;
	unsigned head, tail; /* slots read / filled so far; tail-head <= N */
	bool stop;
	struct gz_slot slot[GZ_NBLOCK];
	char *ring;
	/* Owned by the helper thread once it runs: */
	z_stream z;
	bool z_live;
	int fd;
	int wake[2]; /* a pipe to interrupt a blocking read on close, or -1 */
	int cancel;  /* input_open_cancel's descriptor, or -1 */
	char *raw;
	bool raw_eof, between, padding;
	uint64_t raw_total;
	char msg[MSG_MAX]; /* written before the final slot is published */
};

struct input {
	int fd;
	int cancel;  /* input_open_cancel's descriptor, or -1 */
	bool is_stdin, gzip;
	char *name;
	char *rbuf;
	size_t rlen; /* bytes already in rbuf from the magic-byte sniff */
	struct gz *gz;
	bool held;   /* gzip: the caller holds slot[head] */
	/* The current chunk: [cb, ce), cursor cp; pending is what follows. */
	const char *cb, *cp, *ce;
	bool loaded, done, skipping;
	enum lf_status pending;
	int err;
	uint64_t base; /* decompressed offset of cb */
	uint64_t line_no, offset, raw_bytes;
	const char *msg;
	size_t carry_n;
	char carry[INPUT_LINE_MAX + 1]; /* + 1: the '\r' of a CRLF line */
};

/* read(2) that retries on EINTR. */
static ssize_t read_retry(int fd, char *buf, size_t cap)
{
	ssize_t n;
	do
		n = read(fd, buf, cap);
	while (n < 0 && errno == EINTR);
	return n;
}

/* ---- stopping: input_open_cancel -------------------------------------- */

/* Whether cancel (a descriptor, or -1: none) is readable. With fd >= 0,
 * first wait until one of the two is: a regular file or /dev/zero is
 * readable at once, a pipe when a writer writes or leaves. */
static bool canceled(int fd, int cancel)
{
	if (cancel < 0)
		return false;
	struct pollfd pf[2] = { { cancel, POLLIN, 0 }, { fd, POLLIN, 0 } };
	for (;;) {
		if (poll(pf, fd >= 0 ? 2 : 1, fd >= 0 ? -1 : 0) >= 0)
			return pf[0].revents != 0;
		if (errno != EINTR)
			return false; /* cannot wait: read as without cancel */
	}
}

/* read(2) in the caller's thread, waiting for in->cancel too. */
static ssize_t read_in(struct input *in, char *buf, size_t cap)
{
	if (canceled(in->fd, in->cancel)) {
		errno = ECANCELED;
		return -1;
	}
	return read_retry(in->fd, buf, cap);
}

/* ---- plain input ---------------------------------------------------- */

/* Fill rbuf (after any sniffed bytes) until full or end of file. Chunks
 * other than the last are full, so input_peek sees INPUT_PEEK_MAX bytes even
 * on a pipe that delivers 64 KiB or less per read. */
static void plain_next_chunk(struct input *in)
{
	size_t n = in->rlen;
	in->rlen = 0;
	in->pending = LF_OK;
	while (n < RBUF_SIZE) {
		ssize_t r = read_in(in, in->rbuf + n, RBUF_SIZE - n);
		if (r < 0) {
			in->err = errno;
			in->pending = LF_ERR_IO;
			break;
		}
		if (r == 0) {
			in->pending = LF_EOF;
			break;
		}
		n += (size_t)r;
		in->raw_bytes += (uint64_t)r;
	}
	in->cb = in->cp = in->rbuf;
	in->ce = in->rbuf + n;
}

/* ---- gzip: the helper thread ----------------------------------------- */

/* Read compressed bytes. On a pipe or terminal, poll first so that close can
 * wake us through g->wake instead of waiting for a writer that may never
 * write; regular files never block for long, so they skip the poll. */
static ssize_t gz_read(struct gz *g, char *buf, size_t cap)
{
	while (g->wake[0] >= 0) {
		struct pollfd pf[3] = { { g->fd, POLLIN, 0 },
					{ g->wake[0], POLLIN, 0 },
					{ g->cancel, POLLIN, 0 } };
		if (poll(pf, g->cancel >= 0 ? 3 : 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (pf[1].revents || pf[2].revents) {
			errno = ECANCELED;
			return -1;
		}
		break;
	}
	return read_retry(g->fd, buf, cap);
}

/* Make at least `want` compressed bytes available, unless the file ends. */
static enum lf_status gz_need(struct gz *g, size_t want, int *err)
{
	while (g->z.avail_in < want && !g->raw_eof) {
		if (g->z.avail_in > 0 && g->z.next_in != (Bytef *)g->raw)
			memmove(g->raw, g->z.next_in, g->z.avail_in);
		g->z.next_in = (Bytef *)g->raw;
		ssize_t r = gz_read(g, g->raw + g->z.avail_in,
				    RBUF_SIZE - g->z.avail_in);
		if (r < 0) {
			*err = errno;
			return LF_ERR_IO;
		}
		if (r == 0)
			g->raw_eof = true;
		g->z.avail_in += (uInt)r;
		g->raw_total += (uint64_t)r;
	}
	return LF_OK;
}

static enum lf_status gz_corrupt(struct gz *g, const char *why)
{
	snprintf(g->msg, sizeof(g->msg), "%s", why);
	return LF_ERR_CORRUPT;
}

/* After a member's end: another member (1f 8b), zero padding, the end of
 * the file, or garbage. */
static enum lf_status gz_between(struct gz *g, int *err)
{
	enum lf_status st = gz_need(g, 2, err);
	if (st != LF_OK)
		return st;
	if (g->z.avail_in == 0)
		return LF_EOF;
	const unsigned char *p = g->z.next_in;
	if (!g->padding && g->z.avail_in >= 2 && p[0] == 0x1f && p[1] == 0x8b) {
		g->between = false;
		if (inflateReset(&g->z) != Z_OK)
			return gz_corrupt(g, "cannot restart inflate");
		return LF_OK;
	}
	if (p[0] != 0)
		return gz_corrupt(g, "trailing garbage after gzip data");
	g->padding = true;
	while (g->z.avail_in > 0 && *g->z.next_in == 0) {
		g->z.next_in++;
		g->z.avail_in--;
	}
	return LF_OK;
}

/* One step of inflate into the current block. */
static enum lf_status gz_step(struct gz *g, int *err)
{
	if (g->between)
		return gz_between(g, err);
	enum lf_status st = gz_need(g, 1, err);
	if (st != LF_OK)
		return st;
	if (g->z.avail_in == 0)
		return gz_corrupt(g, "unexpected end of file");
	int rc = inflate(&g->z, Z_NO_FLUSH);
	switch (rc) {
	case Z_STREAM_END:
		g->between = true;
		return LF_OK;
	case Z_OK:
	case Z_BUF_ERROR: /* needs more input: gz_need reads it next step */
		return LF_OK;
	case Z_MEM_ERROR: /* the window, allocated on first use */
		*err = ENOMEM;
		return LF_ERR_IO;
	default: /* Z_DATA_ERROR, Z_NEED_DICT, Z_STREAM_ERROR */
		return gz_corrupt(g, g->z.msg ? g->z.msg : "invalid gzip data");
	}
}

/* Fill one block until it is full or the input ends or breaks. */
static void gz_fill(struct gz *g, struct gz_slot *s)
{
	enum lf_status st = LF_OK;
	int err = 0;
	g->z.next_out = (Bytef *)s->data;
	g->z.avail_out = (uInt)GZ_BLOCK;
	while (st == LF_OK && g->z.avail_out > 0)
		st = gz_step(g, &err);
	s->n = GZ_BLOCK - g->z.avail_out;
	s->st = st;
	s->err = err;
	s->raw = g->raw_total;
}

/* The helper: fill free slots in order until a final slot is published or
 * input_close asks us to stop. */
static void *gz_main(void *arg)
{
	struct gz *g = arg;
	for (;;) {
		pthread_mutex_lock(&g->mu);
		while (g->tail - g->head == GZ_NBLOCK && !g->stop)
			pthread_cond_wait(&g->can_fill, &g->mu);
		bool stop = g->stop;
		pthread_mutex_unlock(&g->mu);
		if (stop)
			return NULL;
		struct gz_slot *s = &g->slot[g->tail % GZ_NBLOCK];
		gz_fill(g, s);
		pthread_mutex_lock(&g->mu);
		g->tail++;
		pthread_cond_signal(&g->can_read);
		pthread_mutex_unlock(&g->mu);
		if (s->st != LF_OK)
			return NULL;
	}
}

/* ---- gzip: set-up, the caller's side, tear-down ----------------------- */

/* The helper's stack: inflate and its callers use a few KiB. The default
 * (8 MiB, from ulimit -s) would be address space for nothing, which a low
 * ulimit -v then lacks. */
#define GZ_STACK ((size_t)1 << 20)

/* Start the helper with every signal blocked, so that the program's signal
 * handlers run in the caller's thread only. */
static enum lf_status gz_spawn(struct gz *g)
{
	sigset_t all, old;
	pthread_attr_t attr;
	if (pthread_attr_init(&attr) != 0)
		return LF_ERR_NOMEM;
	(void)pthread_attr_setstacksize(&attr, GZ_STACK); /* else the default */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	int rc = pthread_create(&g->thread, &attr, gz_main, g);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	pthread_attr_destroy(&attr);
	if (rc != 0) {
		errno = rc == EAGAIN ? ENOMEM : rc; /* no room for its stack */
		return LF_ERR_NOMEM;
	}
	g->started = true;
	return LF_OK;
}

/* The mutex and condition variables, all or none. */
static bool gz_sync_init(struct gz *g)
{
	if (pthread_mutex_init(&g->mu, NULL) != 0)
		return false;
	if (pthread_cond_init(&g->can_fill, NULL) == 0) {
		if (pthread_cond_init(&g->can_read, NULL) == 0)
			return g->sync_live = true;
		pthread_cond_destroy(&g->can_fill);
	}
	pthread_mutex_destroy(&g->mu);
	return false;
}

/* Set up inflate over the sniffed bytes in rbuf and start the helper. */
static enum lf_status gz_open(struct input *in)
{
	struct gz *g = calloc(1, sizeof(*g));
	if (!g)
		return LF_ERR_NOMEM;
	in->gz = g;
	g->fd = in->fd;
	g->cancel = in->cancel;
	g->wake[0] = g->wake[1] = -1;
	g->raw = in->rbuf;
	g->z.next_in = (Bytef *)in->rbuf;
	g->z.avail_in = (uInt)in->rlen;
	g->raw_total = in->rlen;
	in->rlen = 0;
	if (!gz_sync_init(g))
		return LF_ERR_NOMEM;
	g->ring = malloc(GZ_NBLOCK * GZ_BLOCK);
	if (!g->ring)
		return LF_ERR_NOMEM;
	for (unsigned i = 0; i < GZ_NBLOCK; i++)
		g->slot[i].data = g->ring + i * GZ_BLOCK;
	/* 16 + MAX_WBITS: a gzip wrapper only, with a 32 KiB window. */
	if (inflateInit2(&g->z, 16 + MAX_WBITS) != Z_OK)
		return LF_ERR_NOMEM;
	g->z_live = true;
	struct stat sb;
	if (fstat(g->fd, &sb) == 0 && !S_ISREG(sb.st_mode) &&
	    pipe2(g->wake, O_CLOEXEC) != 0)
		return LF_ERR_IO;
	return gz_spawn(g);
}

/* Hand the caller the next decompressed block, releasing the one it held. */
static void gz_next_chunk(struct input *in)
{
	struct gz *g = in->gz;
	pthread_mutex_lock(&g->mu);
	if (in->held) {
		g->head++;
		pthread_cond_signal(&g->can_fill);
	}
	while (g->tail == g->head)
		pthread_cond_wait(&g->can_read, &g->mu);
	pthread_mutex_unlock(&g->mu);
	struct gz_slot *s = &g->slot[g->head % GZ_NBLOCK];
	in->held = true;
	in->cb = in->cp = s->data;
	in->ce = s->data + s->n;
	in->pending = s->st;
	in->err = s->err;
	in->raw_bytes = s->raw;
	if (s->st == LF_ERR_CORRUPT)
		in->msg = g->msg;
}

/* Stop the helper wherever it is, wait for it, free everything. */
static void gz_close(struct gz *g)
{
	if (g->started) {
		pthread_mutex_lock(&g->mu);
		g->stop = true;
		pthread_cond_signal(&g->can_fill);
		pthread_mutex_unlock(&g->mu);
		if (g->wake[1] >= 0) {
			ssize_t w;
			do
				w = write(g->wake[1], "", 1);
			while (w < 0 && errno == EINTR);
		}
		pthread_join(g->thread, NULL);
	}
	if (g->sync_live) {
		pthread_mutex_destroy(&g->mu);
		pthread_cond_destroy(&g->can_fill);
		pthread_cond_destroy(&g->can_read);
	}
	if (g->z_live)
		inflateEnd(&g->z);
	for (int i = 0; i < 2; i++)
		if (g->wake[i] >= 0)
			close(g->wake[i]);
	free(g->ring);
	free(g);
}

/* ---- opening --------------------------------------------------------- */

/* Read the first bytes (at least 2 unless the file is shorter) to look for
 * the gzip magic. They stay in rbuf: no seeking, so stdin works too. */
static enum lf_status sniff(struct input *in)
{
	while (in->rlen < 2) {
		ssize_t r = read_in(in, in->rbuf + in->rlen, RBUF_SIZE - in->rlen);
		if (r < 0)
			return LF_ERR_IO;
		if (r == 0)
			break;
		in->rlen += (size_t)r;
	}
	in->raw_bytes = in->rlen;
	in->gzip = in->rlen >= 2 && (unsigned char)in->rbuf[0] == 0x1f &&
		   (unsigned char)in->rbuf[1] == 0x8b;
	return LF_OK;
}

static enum lf_status open_fd(struct input *in, const char *path)
{
	in->is_stdin = strcmp(path, "-") == 0;
	in->name = strdup(in->is_stdin ? "(stdin)" : path);
	if (!in->name)
		return LF_ERR_NOMEM;
	if (in->is_stdin) {
		in->fd = STDIN_FILENO;
		return LF_OK;
	}
	/* With cancel, a FIFO is opened without waiting for a writer (which a
	 * signal could not stop); every read then polls first. */
	int nonblock = in->cancel >= 0 ? O_NONBLOCK : 0;
	in->fd = open(path, O_RDONLY | O_CLOEXEC | nonblock);
	if (in->fd < 0)
		return LF_ERR_IO;
	if (nonblock && fcntl(in->fd, F_SETFL, fcntl(in->fd, F_GETFL) & ~O_NONBLOCK) != 0)
		return LF_ERR_IO;
	/* Advice only: a failure changes nothing but read-ahead. */
	(void)posix_fadvise(in->fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	return LF_OK;
}

enum lf_status input_open(struct input **out, const char *path)
{
	return input_open_cancel(out, path, -1);
}

enum lf_status input_open_cancel(struct input **out, const char *path, int cancel)
{
	int e;
	*out = NULL;
	struct input *in = calloc(1, sizeof(*in));
	if (!in)
		return LF_ERR_NOMEM;
	in->fd = -1;
	in->cancel = cancel;
	in->msg = "";
	enum lf_status st = open_fd(in, path);
	if (st != LF_OK)
		goto fail;
	st = LF_ERR_NOMEM;
	in->rbuf = malloc(RBUF_SIZE);
	if (!in->rbuf)
		goto fail;
	st = sniff(in);
	if (st == LF_OK && in->gzip)
		st = gz_open(in);
	if (st != LF_OK)
		goto fail;
	*out = in;
	return LF_OK;
fail:
	e = errno;
	input_close(in);
	errno = e;
	return st;
}

void input_close(struct input *in)
{
	if (!in)
		return;
	if (in->gz)
		gz_close(in->gz);
	if (in->fd >= 0 && !in->is_stdin)
		close(in->fd);
	free(in->rbuf);
	free(in->name);
	free(in);
}

/* ---- lines ----------------------------------------------------------- */

static void next_chunk(struct input *in)
{
	if (in->loaded)
		in->base += (uint64_t)(in->ce - in->cb);
	in->loaded = true;
	if (in->gz && canceled(-1, in->cancel)) { /* plain reads check in read_in */
		in->cb = in->cp = in->ce;
		in->pending = LF_ERR_IO;
		in->err = ECANCELED;
	} else if (in->gz) {
		gz_next_chunk(in);
	} else {
		plain_next_chunk(in);
	}
}

/* The start is the first chunk, which is full unless the input is shorter.
 * Damage or a read error inside it is not reported here but by input_next,
 * after the lines before it, so that peeking loses no good line: peek thus
 * returns LF_OK, or LF_ERR_USAGE when a line has already been taken. */
enum lf_status input_peek(struct input *in, struct slice *start)
{
	*start = slice_make("", 0);
	if (in->line_no > 0 || in->cp != in->cb)
		return LF_ERR_USAGE;
	if (!in->loaded)
		next_chunk(in);
	size_t n = (size_t)(in->ce - in->cp);
	*start = slice_make(in->cp, n < INPUT_PEEK_MAX ? n : INPUT_PEEK_MAX);
	return LF_OK;
}

/* Hand out p[0..n) as line number ++line_no, without one trailing '\r';
 * LF_ERR_LIMIT when it is still too long. */
static enum lf_status emit(struct input *in, const char *p, size_t n,
			   struct slice *line)
{
	in->line_no++;
	if (n > 0 && p[n - 1] == '\r')
		n--;
	if (n > INPUT_LINE_MAX)
		return LF_ERR_LIMIT;
	*line = slice_make(p, n);
	in->offset = in->base + (uint64_t)(in->cp - in->cb);
	return LF_OK;
}

/* The chunk ends without a newline: keep its tail in the carry buffer, or
 * start skipping when the line is already too long. */
static enum lf_status carry_tail(struct input *in)
{
	size_t n = (size_t)(in->ce - in->cp);
	const char *p = in->cp;
	in->cp = in->ce;
	if (in->carry_n + n > sizeof(in->carry)) {
		in->carry_n = 0;
		in->skipping = true;
		in->line_no++;
		return LF_ERR_LIMIT;
	}
	memcpy(in->carry + in->carry_n, p, n);
	in->carry_n += n;
	return LF_OK;
}

/* A newline at nl ends the line at the cursor, or the carried one. */
static enum lf_status take_line(struct input *in, const char *nl,
				struct slice *line)
{
	const char *p = in->cp;
	size_t n = (size_t)(nl - p);
	in->cp = nl + 1;
	if (in->carry_n == 0)
		return emit(in, p, n, line);
	size_t have = in->carry_n;
	in->carry_n = 0;
	if (have + n > sizeof(in->carry)) {
		in->line_no++;
		return LF_ERR_LIMIT;
	}
	memcpy(in->carry + have, p, n);
	return emit(in, in->carry, have + n, line);
}

/* The current chunk is used up and nothing follows it: the end, clean or
 * not. A carried last line without newline is a line unless damage cut it. */
static enum lf_status finish(struct input *in, struct slice *line)
{
	enum lf_status st = in->pending;
	in->done = true;
	if (st == LF_EOF) {
		if (in->carry_n == 0)
			return LF_EOF;
		size_t n = in->carry_n;
		in->carry_n = 0;
		return emit(in, in->carry, n, line);
	}
	in->carry_n = 0;
	if (st == LF_ERR_IO)
		errno = in->err;
	return st;
}

enum lf_status input_next(struct input *in, struct slice *line)
{
	*line = slice_make("", 0);
	for (;;) {
		if (in->cp == in->ce) {
			if (in->done)
				return LF_EOF;
			if (in->loaded && in->pending != LF_OK)
				return finish(in, line);
			next_chunk(in);
			continue;
		}
		size_t left = (size_t)(in->ce - in->cp);
		const char *nl = memchr(in->cp, '\n', left);
		if (in->skipping) { /* the rest of a line already reported */
			in->cp = nl ? nl + 1 : in->ce;
			in->skipping = !nl;
		} else if (nl) {
			return take_line(in, nl, line);
		} else if (carry_tail(in) != LF_OK) {
			return LF_ERR_LIMIT;
		}
	}
}

/* Plain files seek; gzip and pipes hand over whole chunks without looking
 * for a single newline in them, which costs little more than inflate (or
 * the read) itself. */
enum lf_status input_skip_to(struct input *in, uint64_t offset, uint64_t line_no)
{
	if (in->line_no > 0 || in->cp != in->cb)
		return LF_ERR_USAGE;
	if (!in->loaded)
		next_chunk(in);
	uint64_t end = in->base + (uint64_t)(in->ce - in->cb);
	if (!in->gz && !in->is_stdin && offset > end && in->pending == LF_OK &&
	    lseek(in->fd, (off_t)offset, SEEK_SET) == (off_t)offset) {
		in->cb = in->cp = in->ce = in->rbuf;
		in->base = offset;
		next_chunk(in);
		end = offset + (uint64_t)(in->ce - in->cb);
	}
	while (end < offset && in->pending == LF_OK) {
		next_chunk(in);
		end = in->base + (uint64_t)(in->ce - in->cb);
	}
	if (end < offset) { /* shorter than it was: nothing left to read */
		in->cp = in->ce;
		return LF_EOF;
	}
	in->cp = in->cb + (offset - in->base);
	in->line_no = line_no;
	in->offset = offset;
	return LF_OK;
}

bool input_at_end(const struct input *in, uint64_t offset)
{
	struct stat sb;
	unsigned char t[4];
	if (in->is_stdin || fstat(in->fd, &sb) != 0 || !S_ISREG(sb.st_mode))
		return false;
	if (!in->gzip)
		return (uint64_t)sb.st_size == offset;
	if (sb.st_size < 18 || pread(in->fd, t, 4, sb.st_size - 4) != 4)
		return false;
	uint32_t isize = (uint32_t)t[0] | (uint32_t)t[1] << 8 | (uint32_t)t[2] << 16 |
			 (uint32_t)t[3] << 24;
	return isize == (uint32_t)offset;
}

bool input_reopenable(const struct input *in)
{
	struct stat sb;
	return !in->is_stdin && fstat(in->fd, &sb) == 0 && S_ISREG(sb.st_mode);
}

uint64_t input_line_no(const struct input *in) { return in->line_no; }
uint64_t input_offset(const struct input *in) { return in->offset; }
uint64_t input_raw_bytes(const struct input *in) { return in->raw_bytes; }
bool input_is_gzip(const struct input *in) { return in->gzip; }
const char *input_name(const struct input *in) { return in->name; }
const char *input_error(const struct input *in) { return in->msg; }

void input_library_version(char *buf, size_t cap)
{
	snprintf(buf, cap, "zlib %s", zlibVersion());
}
