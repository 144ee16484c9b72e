/*
 * codec_xz.c - xz through liblzma's stream decoder; the only file that
 * includes lzma.h.
 *
 * One .xz stream per stream (the decoder is not told to read concatenated
 * streams: decoder.c does that for every codec, and xz's stream padding,
 * zero bytes between streams, is the table's padding_between). The block
 * checks (CRC-64 by default), the index and the footer are checked by the
 * library. Memory: the decoder's, capped at XZ_MEMLIMIT.
 */
#include "codec.h"

#include <stdlib.h>

#include <lzma.h>

/* 128 MiB: every preset of xz(1) needs at most 65 MiB to decompress (-9,
 * a 64 MiB dictionary); a file made with a larger custom dictionary is
 * refused ("needs more memory ...") rather than letting one input take up
 * to 4 GiB. The same bound as zstd's default window (codec_zstd.c). */
#define XZ_MEMLIMIT ((uint64_t)128 << 20)

static void *xz_open(void)
{
	lzma_stream *s = malloc(sizeof(*s));
	if (!s)
		return NULL;
	*s = (lzma_stream)LZMA_STREAM_INIT;
	if (lzma_stream_decoder(s, XZ_MEMLIMIT, 0) != LZMA_OK) {
		lzma_end(s);
		free(s);
		return NULL;
	}
	return s;
}

static const char *xz_why(lzma_ret rc)
{
	switch (rc) {
	case LZMA_FORMAT_ERROR: return "file format not recognized";
	case LZMA_OPTIONS_ERROR: return "unsupported options";
	case LZMA_MEMLIMIT_ERROR: return "needs more than 128 MiB of memory to decompress";
	case LZMA_DATA_ERROR: return "compressed data is corrupt";
	default: return "invalid xz data";
	}
}

static enum codec_rc xz_step(void *state, struct codec_io *io)
{
	lzma_stream *s = state;
	s->next_in = io->in;
	s->avail_in = io->in_n;
	s->next_out = io->out;
	s->avail_out = io->out_n;
	lzma_ret rc = lzma_code(s, LZMA_RUN);
	io->in = s->next_in;
	io->in_n = s->avail_in;
	io->out = s->next_out;
	io->out_n = s->avail_out;
	switch (rc) {
	case LZMA_STREAM_END:
		return CODEC_END;
	case LZMA_OK:
	case LZMA_BUF_ERROR: /* no progress possible: needs more input */
		return CODEC_OK;
	case LZMA_MEM_ERROR:
		return CODEC_NOMEM;
	default:
		io->why = xz_why(rc);
		return CODEC_BAD;
	}
}

static enum codec_rc xz_restart(void *state)
{
	/* on an initialised stream, lzma_stream_decoder reuses its memory */
	lzma_ret rc = lzma_stream_decoder(state, XZ_MEMLIMIT, 0);
	return rc == LZMA_OK ? CODEC_OK : CODEC_NOMEM;
}

static void xz_close(void *state)
{
	lzma_end(state);
	free(state);
}

const struct codec codec_xz = {
	.name = "xz",
	.library = "liblzma",
	.magic = { 0xfd, '7', 'z', 'X', 'Z', 0x00 },
	.magic_n = 6,
	.padding_between = true,
	.open = xz_open,
	.step = xz_step,
	.restart = xz_restart,
	.close = xz_close,
	.version = lzma_version_string,
};
