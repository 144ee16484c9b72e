/*
 * codec_zstd.c - zstd through libzstd's streaming decoder; the only file
 * that includes zstd.h.
 *
 * One zstd frame per stream (a skippable frame is one too, and yields
 * nothing); the frame's checksum, when it has one (zstd(1) writes it), is
 * checked by the library at the frame's end. Memory: the decoder context and
 * the frame's window, which libzstd's default caps at 128 MiB
 * (ZSTD_WINDOWLOG_LIMIT_DEFAULT, 2^27): every level of zstd(1) stays under it
 * (--ultra -22 uses 128 MiB); a file made with --long=28 or more is refused
 * as "frame requires too much memory for decoding" rather than letting one
 * input take gigabytes.
 */
#include "codec.h"

#include <zstd.h>
#include <zstd_errors.h>

static void *zs_open(void)
{
	return ZSTD_createDCtx();
}

static enum codec_rc zs_step(void *state, struct codec_io *io)
{
	ZSTD_inBuffer in = { io->in, io->in_n, 0 };
	ZSTD_outBuffer out = { io->out, io->out_n, 0 };
	size_t rc = ZSTD_decompressStream(state, &out, &in);
	io->in += in.pos;
	io->in_n -= in.pos;
	io->out += out.pos;
	io->out_n -= out.pos;
	if (ZSTD_isError(rc)) {
		if (ZSTD_getErrorCode(rc) == ZSTD_error_memory_allocation)
			return CODEC_NOMEM;
		io->why = ZSTD_getErrorName(rc);
		return CODEC_BAD;
	}
	/* 0: the frame is decoded and flushed, checksum included */
	return rc == 0 ? CODEC_END : CODEC_OK;
}

static enum codec_rc zs_restart(void *state)
{
	size_t rc = ZSTD_DCtx_reset(state, ZSTD_reset_session_only);
	return ZSTD_isError(rc) ? CODEC_NOMEM : CODEC_OK;
}

static void zs_close(void *state)
{
	ZSTD_freeDCtx(state);
}

/* A frame (28 b5 2f fd, ZSTD_MAGICNUMBER little-endian) or a skippable
 * frame (5X 2a 4d 18: ZSTD_MAGIC_SKIPPABLE_START to + 15). */
static bool zs_match(const unsigned char *p, size_t n)
{
	if (n < 4)
		return false;
	if (p[0] == 0x28 && p[1] == 0xb5 && p[2] == 0x2f && p[3] == 0xfd)
		return true;
	return (p[0] & 0xf0) == 0x50 && p[1] == 0x2a && p[2] == 0x4d && p[3] == 0x18;
}

const struct codec codec_zstd = {
	.name = "zstd",
	.library = "libzstd",
	.magic_n = 4,
	.match = zs_match,
	.open = zs_open,
	.step = zs_step,
	.restart = zs_restart,
	.close = zs_close,
	.version = ZSTD_versionString,
};
