/*
 * codec_gzip.c - gzip through zlib's inflate: the fallback reader of gzip,
 * used when the build has no ISA-L (codec_igzip.c is faster: see README,
 * "Compressed input"), and the only file that includes zlib.h.
 *
 * One gzip member per stream; inflate checks the member's CRC-32 and length
 * itself. Its messages ("incorrect data check") are zlib's own. Memory: the
 * inflate state (~7 KiB) and its 32 KiB window.
 */
#include "codec.h"

#include <stdint.h>
#include <stdlib.h>

#include <zlib.h>

static void *gz_open(void)
{
	z_stream *z = calloc(1, sizeof(*z));
	if (!z)
		return NULL;
	/* 16 + MAX_WBITS: a gzip wrapper only, with a 32 KiB window. */
	if (inflateInit2(z, 16 + MAX_WBITS) != Z_OK) {
		free(z);
		return NULL;
	}
	return z;
}

static enum codec_rc gz_step(void *state, struct codec_io *io)
{
	z_stream *z = state;
	/* The buffers are at most input.c's 1 MiB blocks: they fit a uInt. */
	z->next_in = (Bytef *)(uintptr_t)io->in; /* inflate does not write it */
	z->avail_in = (uInt)io->in_n;
	z->next_out = io->out;
	z->avail_out = (uInt)io->out_n;
	int rc = inflate(z, Z_NO_FLUSH);
	io->in = z->next_in;
	io->in_n = z->avail_in;
	io->out = z->next_out;
	io->out_n = z->avail_out;
	switch (rc) {
	case Z_STREAM_END:
		return CODEC_END;
	case Z_OK:
	case Z_BUF_ERROR: /* no progress possible: needs more input */
		return CODEC_OK;
	case Z_MEM_ERROR: /* the window, allocated on first use */
		return CODEC_NOMEM;
	default: /* Z_DATA_ERROR, Z_NEED_DICT, Z_STREAM_ERROR */
		io->why = z->msg ? z->msg : "invalid gzip data";
		return CODEC_BAD;
	}
}

static enum codec_rc gz_restart(void *state)
{
	return inflateReset(state) == Z_OK ? CODEC_OK : CODEC_NOMEM;
}

static void gz_close(void *state)
{
	inflateEnd(state);
	free(state);
}

static const char *gz_version(void)
{
	return zlibVersion();
}

const struct codec codec_gzip = {
	.name = "gzip",
	.library = "zlib",
	.magic = { 0x1f, 0x8b },
	.magic_n = 2,
	.open = gz_open,
	.step = gz_step,
	.restart = gz_restart,
	.close = gz_close,
	.version = gz_version,
};
