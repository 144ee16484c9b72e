/*
 * decoder.h - one compressed input decoded by a helper thread, whatever the
 * codec: the thread reads the file, runs the codec (codec.h) and fills a
 * small ring of decompressed blocks while the caller splits the previous
 * block into lines, so that decoding and parsing overlap on two cores.
 *
 * The same rules for every compression: streams (gzip members, zstd frames,
 * xz and bzip2 streams) are read one after another, as `zcat` does; after a
 * stream, zero bytes (tape or block padding) are skipped, and then only
 * more zeros may follow, unless the codec allows a stream after padding
 * (xz); anything else is "trailing garbage after NAME data". A file that
 * ends inside a stream is "unexpected end of file". Damage ends the input:
 * the bytes decoded before it are handed out, then the damage.
 * This module neither prints nor exits, and never looks at the bytes it
 * hands out.
 */
#ifndef LF_DECODER_H
#define LF_DECODER_H

#include <stddef.h>
#include <stdint.h>

#include "../../common/status.h"
#include "codec.h"

/* One decompressed block: 1 MiB (see decoder.c for the ring). */
#define DECODER_BLOCK ((size_t)1 << 20)

struct decoder;

struct decoder_block {
	const char *data; /* n bytes, valid until the next decoder_next */
	size_t n;
	enum lf_status st; /* LF_OK: more follows; else how the input ended:
			    * LF_EOF, LF_ERR_CORRUPT (why), LF_ERR_IO (err) */
	int err;
	const char *why;   /* the damage, a short lowercase phrase, or "" */
	uint64_t raw;      /* compressed bytes read when the block was made */
};

/*
 * Start decoding fd with codec c (a row that reads: c->open is set). buf
 * (cap bytes, of which the first have were already read from fd: the magic)
 * becomes the compressed-input buffer; it stays the caller's, to free after
 * decoder_close. fd stays the caller's too. cancel is a descriptor that
 * becomes readable when reading must stop (input_open_cancel's), or -1:
 * the helper's waits for bytes on a pipe wait for it too, and end as a
 * read error with ECANCELED. LF_OK and *out; LF_ERR_NOMEM (also when the
 * thread cannot start); LF_ERR_IO (errno). On failure *out is NULL and
 * nothing is left to free.
 */
enum lf_status decoder_open(struct decoder **out, const struct codec *c, int fd, int cancel,
			    char *buf, size_t cap, size_t have);

/* The next block, waiting for the helper when it is not ready; the block
 * handed out before is given back. After a block whose st is not LF_OK,
 * must not be called again. */
void decoder_next(struct decoder *d, struct decoder_block *b);

/* Stop the helper wherever it is (also blocked reading a pipe), wait for
 * it, free everything. NULL is fine. */
void decoder_close(struct decoder *d);

#endif
