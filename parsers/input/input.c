/*
 * input.c - bytes in, lines out: one log file or stdin, plain or compressed.
 *
 * Plain input is read(2) in the caller's thread, 1 MiB at a time. A
 * compressed input (gzip, zstd, xz, bzip2: codec.c's table, chosen by the
 * magic bytes) is decoded by a helper thread (decoder.c) into a small ring
 * of blocks while the caller splits the previous block into lines. Either
 * way the caller sees a sequence of "chunks"; lines are found with memchr
 * and handed out as slices into the chunk. A line that straddles two chunks
 * is assembled in a carry buffer of INPUT_LINE_MAX + 1 bytes, for both kinds
 * of input: we chose one splitter over moving the tail to the start of a
 * larger plain buffer, as copying at most one line per 1 MiB chunk costs
 * nothing measurable. Nothing is allocated per line.
 *
 * Memory, fixed per open input (none of it grows with the input):
 *   plain:      RBUF_SIZE (1 MiB) + carry (64 KiB)               ~ 1.1 MiB
 *   compressed: the same + the decoder's ring (3 MiB) and its codec's state
 *               (gzip ~0.1 MiB, bzip2 3.6 MiB, xz and zstd at most 128 MiB:
 *               decoder.c, codec_NAME.c)
 *
 * A compression the table names but does not read (lz4, zip, 7z ...) is
 * never parsed as text: its input has no line, and input_next says what it
 * is. With input_open_cancel, every wait for bytes also waits for the
 * cancel descriptor (poll), and every chunk checks it: a stalled pipe or an
 * endless line stops as soon as it is readable. This module neither prints
 * nor exits, and never looks inside a line.
 */
#include "input.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "codec.h"
#include "decoder.h"

/* One read(2) of a plain file, and the compressed-input buffer.
 * 1 MiB: large enough that syscall cost vanishes, small enough to stay in
 * L2/L3 while the lines in it are parsed. Must be >= INPUT_PEEK_MAX, because
 * input_peek shows the first chunk, and plain chunks are read full. */
#define RBUF_SIZE ((size_t)1 << 20)

_Static_assert(RBUF_SIZE >= INPUT_PEEK_MAX && DECODER_BLOCK >= INPUT_PEEK_MAX,
	       "input_peek shows the first chunk, which must hold the peek");
_Static_assert(RBUF_SIZE >= CODEC_SNIFF, "the sniff fits the read buffer");

#define MSG_MAX 96 /* the refusal of a compression not read */

struct input {
	int fd;
	int cancel;  /* input_open_cancel's descriptor, or -1 */
	bool is_stdin, gzip;
	char *name;
	char *rbuf;
	size_t rlen; /* bytes already in rbuf from the magic-byte sniff */
	const struct codec *codec; /* NULL: plain */
	struct decoder *dec;       /* compressed and read */
	/* The current chunk: [cb, ce), cursor cp; pending is what follows. */
	const char *cb, *cp, *ce;
	bool loaded, done, skipping;
	enum lf_status pending;
	int err;
	uint64_t base; /* decompressed offset of cb */
	uint64_t line_no, offset, raw_bytes;
	const char *msg;
	char refusal[MSG_MAX];
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

/* ---- compressed input: blocks from the decoder's thread --------------- */

/* Hand the caller the next decompressed block (the decoder takes back the
 * one it held). */
static void dec_next_chunk(struct input *in)
{
	struct decoder_block b;
	decoder_next(in->dec, &b);
	in->cb = in->cp = b.data;
	in->ce = b.data + b.n;
	in->pending = b.st;
	in->err = b.err;
	in->raw_bytes = b.raw;
	if (b.st == LF_ERR_CORRUPT)
		in->msg = b.why;
}

/* ---- opening --------------------------------------------------------- */

/* Read the first CODEC_SNIFF bytes (fewer only when the file is shorter) to
 * look for a magic. They stay in rbuf: no seeking, so stdin works too. */
static enum lf_status sniff(struct input *in)
{
	while (in->rlen < CODEC_SNIFF) {
		ssize_t r = read_in(in, in->rbuf + in->rlen, RBUF_SIZE - in->rlen);
		if (r < 0)
			return LF_ERR_IO;
		if (r == 0)
			break;
		in->rlen += (size_t)r;
	}
	in->raw_bytes = in->rlen;
	in->codec = codec_detect((const unsigned char *)in->rbuf, in->rlen);
	in->gzip = in->codec && strcmp(in->codec->name, "gzip") == 0;
	return LF_OK;
}

/* A compressed input: decoded by the helper thread, or, for a compression
 * not read, an input without lines whose end says what it is. */
static enum lf_status start_codec(struct input *in)
{
	const struct codec *c = in->codec;
	if (c->open) {
		size_t have = in->rlen;
		in->rlen = 0;
		return decoder_open(&in->dec, c, in->fd, in->cancel, in->rbuf, RBUF_SIZE, have);
	}
	snprintf(in->refusal, sizeof(in->refusal), "%s-compressed, which logfold does not read",
		 c->name);
	in->msg = in->refusal;
	in->cb = in->cp = in->ce = in->rbuf;
	in->loaded = true;
	in->pending = LF_ERR_FORMAT;
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
	if (st == LF_OK && in->codec)
		st = start_codec(in);
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
	decoder_close(in->dec); /* first: it reads fd into rbuf */
	if (in->fd >= 0 && !in->is_stdin)
		close(in->fd);
	free(in->rbuf);
	free(in->name);
	free(in);
}

/* ---- lines ----------------------------------------------------------- */

/* A UTF-8 byte order mark at the start of an input (Windows tools write
 * one; IIS's UTF-8 logs start with it) is no part of its first line: the
 * chunk starts after it, as if an earlier one had held it, so that every
 * offset still counts from the file's first byte. */
static void skip_bom(struct input *in)
{
	static const char bom[3] = { '\xEF', '\xBB', '\xBF' };
	if (in->ce - in->cb >= 3 && memcmp(in->cb, bom, 3) == 0) {
		in->cb += 3;
		in->cp = in->cb;
		in->base = 3;
	}
}

static void next_chunk(struct input *in)
{
	bool first = !in->loaded;
	if (in->loaded)
		in->base += (uint64_t)(in->ce - in->cb);
	in->loaded = true;
	if (in->dec && canceled(-1, in->cancel)) { /* plain reads check in read_in */
		in->cb = in->cp = in->ce;
		in->pending = LF_ERR_IO;
		in->err = ECANCELED;
	} else if (in->dec) {
		dec_next_chunk(in);
	} else {
		plain_next_chunk(in);
	}
	if (first)
		skip_bom(in);
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
	n = input_line_len(p, n);
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

struct slice input_span(struct input *in, size_t max)
{
	if (in->carry_n || in->skipping || in->cp == in->ce)
		return slice_make("", 0);
	size_t left = (size_t)(in->ce - in->cp);
	const char *nl = memrchr(in->cp, '\n', left < max ? left : max);
	return nl ? slice_make(in->cp, (size_t)(nl + 1 - in->cp)) : slice_make("", 0);
}

void input_take(struct input *in, size_t n, uint64_t lines)
{
	in->cp += n;
	in->line_no += lines;
	in->offset = in->base + (uint64_t)(in->cp - in->cb);
}

/* Plain files seek; compressed input and pipes hand over whole chunks
 * without looking for a single newline in them, which costs little more
 * than decoding (or the read) itself. */
enum lf_status input_skip_to(struct input *in, uint64_t offset, uint64_t line_no)
{
	if (in->line_no > 0 || in->cp != in->cb)
		return LF_ERR_USAGE;
	if (!in->loaded)
		next_chunk(in);
	uint64_t end = in->base + (uint64_t)(in->ce - in->cb);
	if (!in->codec && !in->is_stdin && offset > end && in->pending == LF_OK &&
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
	if (!in->codec)
		return (uint64_t)sb.st_size == offset;
	/* Of the compressions, only gzip gives its size at the end. */
	if (!in->gzip || sb.st_size < 18 || pread(in->fd, t, 4, sb.st_size - 4) != 4)
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
const char *input_codec_name(const struct input *in) { return in->codec ? in->codec->name : ""; }
const char *input_name(const struct input *in) { return in->name; }
const char *input_error(const struct input *in) { return in->msg; }

const char *input_library(size_t i, const char **version)
{
	const struct codec *c = codec_at(i);
	*version = c ? c->version() : NULL;
	return c ? c->library : NULL;
}
