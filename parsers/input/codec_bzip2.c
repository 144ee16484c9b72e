/*
 * codec_bzip2.c - bzip2 through libbz2; the only file that includes
 * bzlib.h.
 *
 * One bzip2 stream per stream (pbzip2 and `cat` make files of several).
 * libbz2 checks each block's CRC and the stream's combined CRC, but only
 * after it has handed out the block: a damaged block can let a few wrong
 * lines through before the damage is reported, as a flipped gzip literal
 * does. Memory: libbz2's decoder, ~3.6 MiB for 900 kB blocks (not its
 * "small" mode, which halves that at half the speed).
 */
#include "codec.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <bzlib.h>

static void *bz_open(void)
{
	bz_stream *s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	if (BZ2_bzDecompressInit(s, 0, 0) != BZ_OK) { /* quiet, not small */
		free(s);
		return NULL;
	}
	return s;
}

static enum codec_rc bz_step(void *state, struct codec_io *io)
{
	bz_stream *s = state;
	/* The buffers are at most input.c's 1 MiB blocks: they fit an int. */
	s->next_in = (char *)(uintptr_t)io->in; /* libbz2 does not write it */
	s->avail_in = (unsigned)io->in_n;
	s->next_out = (char *)io->out;
	s->avail_out = (unsigned)io->out_n;
	int rc = BZ2_bzDecompress(s);
	io->in = (const unsigned char *)s->next_in;
	io->in_n = s->avail_in;
	io->out = (unsigned char *)s->next_out;
	io->out_n = s->avail_out;
	switch (rc) {
	case BZ_STREAM_END:
		return CODEC_END;
	case BZ_OK:
		return CODEC_OK;
	case BZ_MEM_ERROR:
		return CODEC_NOMEM;
	case BZ_DATA_ERROR_MAGIC:
		io->why = "bad magic number";
		return CODEC_BAD;
	default: /* BZ_DATA_ERROR: a CRC or a structure that does not hold */
		io->why = "data integrity error";
		return CODEC_BAD;
	}
}

/* libbz2 has no reset: a new decoder in the same memory. */
static enum codec_rc bz_restart(void *state)
{
	bz_stream *s = state;
	BZ2_bzDecompressEnd(s);
	*s = (bz_stream){ 0 };
	return BZ2_bzDecompressInit(s, 0, 0) == BZ_OK ? CODEC_OK : CODEC_NOMEM;
}

static void bz_close(void *state)
{
	BZ2_bzDecompressEnd(state);
	free(state);
}

/* "BZh", the block size '1'..'9', then a block's magic (pi: 31 41 59 26 53
 * 59) or, for an empty stream, the end-of-stream magic (sqrt(pi): 17 72 45
 * 38 50 90). */
static bool bz_match(const unsigned char *p, size_t n)
{
	static const unsigned char block[6] = { 0x31, 0x41, 0x59, 0x26, 0x53, 0x59 };
	static const unsigned char eos[6] = { 0x17, 0x72, 0x45, 0x38, 0x50, 0x90 };
	if (n < 10 || p[0] != 'B' || p[1] != 'Z' || p[2] != 'h' || p[3] < '1' || p[3] > '9')
		return false;
	return memcmp(p + 4, block, 6) == 0 || memcmp(p + 4, eos, 6) == 0;
}

static const char *bz_version(void)
{
	return BZ2_bzlibVersion(); /* "1.0.8, 13-Jul-2019" */
}

const struct codec codec_bzip2 = {
	.name = "bzip2",
	.library = "libbz2",
	.magic_n = 10,
	.match = bz_match,
	.open = bz_open,
	.step = bz_step,
	.restart = bz_restart,
	.close = bz_close,
	.version = bz_version,
};
