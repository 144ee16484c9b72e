/*
 * decoder.c - the helper thread that decodes a compressed input into a ring
 * of blocks (decoder.h says what it promises; codec.h what a codec does).
 *
 * Memory, fixed per decoder: the ring (DEC_NBLOCK * DECODER_BLOCK, 3 MiB)
 * and the codec's state (codec_NAME.c states its bound: from ~40 KiB for
 * gzip to 128 MiB at most for xz and zstd); the compressed buffer is the
 * caller's (input.c's 1 MiB read buffer).
 *
 * We chose to be lenient about the bytes between streams in one way only:
 * zero padding is skipped for every codec, as gzip(1) does for gzip. Damage
 * that a codec detects only at a check after the data (gzip's CRC, a bzip2
 * block's CRC) can let a few wrong lines through before the damage is
 * reported: to avoid that we would have to hold a whole stream back, which
 * we chose not to do.
 */
#include "decoder.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../common/thread.h"

/* Decompressed blocks: 3 of DECODER_BLOCK (1 MiB). Two are the minimum for
 * decoding and parsing to overlap (one filled while the other is split);
 * the third absorbs jitter between the two sides (a burst of long lines, a
 * slow read) so neither waits on the other. More blocks measured no faster.
 * input.c's input_peek shows the first block: at least INPUT_PEEK_MAX. */
#define DEC_NBLOCK 3u

#define MSG_MAX 96 /* the damage: a short phrase; the libraries' fit */

/* One decompressed block and what the helper found right after it. */
struct dec_slot {
	char *data;
	size_t n;
	enum lf_status st;
	int err;
	uint64_t raw;
};

/* The mutex guards head, tail and stop only. */
struct decoder {
	pthread_t thread;
	bool started, sync_live;
	pthread_mutex_t mu;
	pthread_cond_t can_fill, can_read;
	unsigned head, tail; /* slots read / filled so far; tail-head <= N */
	bool stop;
	bool held; /* the caller's: it holds slot[head] */
	struct dec_slot slot[DEC_NBLOCK];
	char *ring;
	/* Owned by the helper thread once it runs: */
	const struct codec *codec;
	void *state;
	int fd;
	int wake[2]; /* a pipe to interrupt a blocking read on close, or -1 */
	int cancel;  /* input_open_cancel's descriptor, or -1 */
	unsigned char *raw;
	size_t raw_cap;
	const unsigned char *in; /* in_n compressed bytes not yet decoded */
	size_t in_n, want;       /* want: what the codec needs to go on */
	bool raw_eof, between, padding;
	uint64_t raw_total;
	char msg[MSG_MAX]; /* written before the final slot is published */
};

/* ---- reading the compressed bytes ------------------------------------ */

/* Read compressed bytes. On a pipe or terminal, poll first so that close
 * (d->wake) or a signal (d->cancel) can stop us instead of waiting for a
 * writer that may never write; regular files never block for long, so they
 * skip the poll (the caller checks cancel at every block). */
static ssize_t dec_read(struct decoder *d, unsigned char *buf, size_t cap)
{
	while (d->wake[0] >= 0) {
		struct pollfd pf[3] = { { d->fd, POLLIN, 0 },
					{ d->wake[0], POLLIN, 0 },
					{ d->cancel, POLLIN, 0 } };
		if (poll(pf, d->cancel >= 0 ? 3 : 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (pf[1].revents || (d->cancel >= 0 && pf[2].revents)) {
			errno = ECANCELED;
			return -1;
		}
		break;
	}
	ssize_t n;
	do
		n = read(d->fd, buf, cap);
	while (n < 0 && errno == EINTR);
	return n;
}

/* Make at least `want` (<= raw_cap) compressed bytes available, unless the
 * file ends first. */
static enum lf_status dec_need(struct decoder *d, size_t want, int *err)
{
	while (d->in_n < want && !d->raw_eof) {
		if (d->in_n > 0 && d->in != d->raw)
			memmove(d->raw, d->in, d->in_n);
		d->in = d->raw;
		ssize_t r = dec_read(d, d->raw + d->in_n, d->raw_cap - d->in_n);
		if (r < 0) {
			*err = errno;
			return LF_ERR_IO;
		}
		if (r == 0)
			d->raw_eof = true;
		d->in_n += (size_t)r;
		d->raw_total += (uint64_t)r;
	}
	return LF_OK;
}

/* ---- decoding -------------------------------------------------------- */

/* Keep the reason (a library's message starts with a capital: "Restored
 * data doesn't match checksum"; ours are lowercase). */
static enum lf_status dec_corrupt(struct decoder *d, const char *why)
{
	snprintf(d->msg, sizeof(d->msg), "%s", why);
	d->msg[0] = (char)tolower((unsigned char)d->msg[0]);
	return LF_ERR_CORRUPT;
}

/* After a stream's end: another stream, zero padding, the end of the file,
 * or garbage. */
static enum lf_status dec_between(struct decoder *d, int *err)
{
	const struct codec *c = d->codec;
	enum lf_status st = dec_need(d, c->magic_n, err);
	if (st != LF_OK)
		return st;
	if (d->in_n == 0)
		return LF_EOF;
	if ((!d->padding || c->padding_between) && codec_starts(c, d->in, d->in_n)) {
		d->between = d->padding = false;
		d->want = 1;
		if (c->restart(d->state) == CODEC_OK)
			return LF_OK;
		*err = ENOMEM;
		return LF_ERR_IO;
	}
	if (d->in[0] != 0) {
		snprintf(d->msg, sizeof(d->msg), "trailing garbage after %s data", c->name);
		return LF_ERR_CORRUPT;
	}
	d->padding = true;
	while (d->in_n > 0 && *d->in == 0) {
		d->in++;
		d->in_n--;
	}
	return LF_OK;
}

/* One call of the codec into io. At the end of the file the codec is still
 * called, with what is left (maybe nothing), so that it can hand out what it
 * holds; only when it then makes no progress is the stream cut short. */
static enum lf_status dec_step(struct decoder *d, struct codec_io *io, int *err)
{
	if (d->between)
		return dec_between(d, err);
	enum lf_status st = dec_need(d, d->want, err);
	if (st != LF_OK)
		return st;
	size_t in_was = d->in_n, out_was = io->out_n;
	io->in = d->in;
	io->in_n = d->in_n;
	io->why = "";
	enum codec_rc rc = d->codec->step(d->state, io);
	d->in = io->in;
	d->in_n = io->in_n;
	bool progress = d->in_n != in_was || io->out_n != out_was;
	d->want = 1;
	switch (rc) {
	case CODEC_END:
		d->between = true;
		return LF_OK;
	case CODEC_BAD:
		return dec_corrupt(d, io->why);
	case CODEC_NOMEM:
		*err = ENOMEM;
		return LF_ERR_IO;
	case CODEC_OK:
		break;
	}
	if (progress)
		return LF_OK;
	if (d->raw_eof)
		return dec_corrupt(d, "unexpected end of file");
	if (d->in_n >= d->raw_cap) /* a codec that never goes on: not seen */
		return dec_corrupt(d, "the decoder makes no progress");
	d->want = d->in_n + 1;
	return LF_OK;
}

/* Fill one block until it is full or the input ends or breaks. */
static void dec_fill(struct decoder *d, struct dec_slot *s)
{
	enum lf_status st = LF_OK;
	int err = 0;
	struct codec_io io = { .out = (unsigned char *)s->data, .out_n = DECODER_BLOCK };
	while (st == LF_OK && io.out_n > 0)
		st = dec_step(d, &io, &err);
	s->n = DECODER_BLOCK - io.out_n;
	s->st = st;
	s->err = err;
	s->raw = d->raw_total;
}

/* The helper: fill free slots in order until a final slot is published or
 * decoder_close asks us to stop. */
static void *dec_main(void *arg)
{
	struct decoder *d = arg;
	for (;;) {
		pthread_mutex_lock(&d->mu);
		while (d->tail - d->head == DEC_NBLOCK && !d->stop)
			pthread_cond_wait(&d->can_fill, &d->mu);
		bool stop = d->stop;
		pthread_mutex_unlock(&d->mu);
		if (stop)
			return NULL;
		struct dec_slot *s = &d->slot[d->tail % DEC_NBLOCK];
		dec_fill(d, s);
		pthread_mutex_lock(&d->mu);
		d->tail++;
		pthread_cond_signal(&d->can_read);
		pthread_mutex_unlock(&d->mu);
		if (s->st != LF_OK)
			return NULL;
	}
}

/* ---- set-up, the caller's side, tear-down ----------------------------- */

/* The helper's stack: the codecs and their callers use a few KiB. The
 * default (8 MiB, from ulimit -s) would be address space for nothing,
 * which a low ulimit -v then lacks. */
#define DEC_STACK ((size_t)1 << 20)

/* Start the helper (thread.h: every signal blocked in it, so that the
 * program's signal handlers run in the caller's thread only). */
static enum lf_status dec_spawn(struct decoder *d)
{
	int rc = thread_start(&d->thread, DEC_STACK, dec_main, d);
	if (rc != 0) {
		errno = rc == EAGAIN ? ENOMEM : rc; /* no room for its stack */
		return LF_ERR_NOMEM;
	}
	d->started = true;
	return LF_OK;
}

/* The mutex and condition variables, all or none. */
static bool dec_sync_init(struct decoder *d)
{
	if (pthread_mutex_init(&d->mu, NULL) != 0)
		return false;
	if (pthread_cond_init(&d->can_fill, NULL) == 0) {
		if (pthread_cond_init(&d->can_read, NULL) == 0)
			return d->sync_live = true;
		pthread_cond_destroy(&d->can_fill);
	}
	pthread_mutex_destroy(&d->mu);
	return false;
}

/* Everything but the thread. */
static enum lf_status dec_setup(struct decoder *d)
{
	if (!dec_sync_init(d))
		return LF_ERR_NOMEM;
	d->ring = malloc(DEC_NBLOCK * DECODER_BLOCK);
	if (!d->ring)
		return LF_ERR_NOMEM;
	for (unsigned i = 0; i < DEC_NBLOCK; i++)
		d->slot[i].data = d->ring + i * DECODER_BLOCK;
	d->state = d->codec->open();
	if (!d->state)
		return LF_ERR_NOMEM;
	struct stat sb;
	if (fstat(d->fd, &sb) == 0 && !S_ISREG(sb.st_mode) && pipe2(d->wake, O_CLOEXEC) != 0)
		return LF_ERR_IO;
	return LF_OK;
}

enum lf_status decoder_open(struct decoder **out, const struct codec *c, int fd, int cancel,
			    char *buf, size_t cap, size_t have)
{
	*out = NULL;
	struct decoder *d = calloc(1, sizeof(*d));
	if (!d)
		return LF_ERR_NOMEM;
	d->codec = c;
	d->fd = fd;
	d->cancel = cancel;
	d->wake[0] = d->wake[1] = -1;
	d->raw = (unsigned char *)buf;
	d->raw_cap = cap;
	d->in = d->raw;
	d->in_n = have;
	d->want = 1;
	d->raw_total = have;
	enum lf_status st = dec_setup(d);
	if (st == LF_OK)
		st = dec_spawn(d);
	if (st != LF_OK) {
		int e = errno;
		decoder_close(d);
		errno = e;
		return st;
	}
	*out = d;
	return LF_OK;
}

void decoder_next(struct decoder *d, struct decoder_block *b)
{
	pthread_mutex_lock(&d->mu);
	if (d->held) {
		d->head++;
		pthread_cond_signal(&d->can_fill);
	}
	while (d->tail == d->head)
		pthread_cond_wait(&d->can_read, &d->mu);
	pthread_mutex_unlock(&d->mu);
	const struct dec_slot *s = &d->slot[d->head % DEC_NBLOCK];
	d->held = true;
	*b = (struct decoder_block){ s->data, s->n, s->st, s->err, "", s->raw };
	if (s->st == LF_ERR_CORRUPT)
		b->why = d->msg;
}

void decoder_close(struct decoder *d)
{
	if (!d)
		return;
	if (d->started) {
		pthread_mutex_lock(&d->mu);
		d->stop = true;
		pthread_cond_signal(&d->can_fill);
		pthread_mutex_unlock(&d->mu);
		if (d->wake[1] >= 0) {
			ssize_t w;
			do
				w = write(d->wake[1], "", 1);
			while (w < 0 && errno == EINTR);
		}
		pthread_join(d->thread, NULL);
	}
	if (d->sync_live) {
		pthread_mutex_destroy(&d->mu);
		pthread_cond_destroy(&d->can_fill);
		pthread_cond_destroy(&d->can_read);
	}
	if (d->state)
		d->codec->close(d->state);
	for (int i = 0; i < 2; i++)
		if (d->wake[i] >= 0)
			close(d->wake[i]);
	free(d->ring);
	free(d);
}
