/*
 * codec.h - one decompressor behind a small table row: what input.c needs to
 * recognise a compression by its magic bytes and undo it one stream at a
 * time, whatever library does the work.
 *
 * Each codec_NAME.c is the only file that includes its library's header and
 * defines one `const struct codec`; codec.c lists them in one table, with the
 * compressions logfold recognises but does not read (lz4, zip, 7z ...): a row
 * without `open`. Adding a compression is one file and one row. What is the
 * same for every codec (reading the file, the helper thread, what may follow
 * a stream: another one, zero padding or garbage) is decoder.c's; a codec
 * only turns the bytes of one stream into output.
 */
#ifndef LF_CODEC_H
#define LF_CODEC_H

#include <stdbool.h>
#include <stddef.h>

/* Bytes input.c reads before it decides: at least the longest magic of the
 * table (bzip2's 10: "BZh9" and a block or end-of-stream magic). */
#define CODEC_SNIFF 16

enum codec_rc {
	CODEC_OK,    /* went on, or needs more input or output room */
	CODEC_END,   /* one stream (gzip member, zstd frame ...) ended, with its
		      * checks passed; io->in is the first byte after it */
	CODEC_BAD,   /* damaged: io->why says how */
	CODEC_NOMEM, /* the library could not allocate */
};

/* One call's buffers, advanced by the codec over what it consumed and
 * produced. */
struct codec_io {
	const unsigned char *in;
	size_t in_n;
	unsigned char *out;
	size_t out_n;
	const char *why; /* on CODEC_BAD: a short lowercase phrase, valid
			  * until the next call on the same state */
};

struct codec {
	const char *name;    /* in messages: "damaged NAME after line ..." */
	const char *library; /* as --version lists it; NULL: not read */
	unsigned char magic[10];
	unsigned char magic_n;
	/* Optional, when the magic alone is not the rule (zstd's skippable
	 * frames, bzip2's block magic): does p[0..n) start a stream? */
	bool (*match)(const unsigned char *p, size_t n);
	/* Zero padding may separate two streams (xz); otherwise only zeros
	 * may follow the padding, as gzip(1) reads it. */
	bool padding_between;
	/* A new decoder for a stream at its first byte; NULL when out of
	 * memory. NULL function: a compression logfold does not read. */
	void *(*open)(void);
	/* Decode from io->in to io->out. Makes progress (consumes or
	 * produces) whenever it can; CODEC_OK without progress means it
	 * needs more input than io->in_n (or more output room). */
	enum codec_rc (*step)(void *state, struct codec_io *io);
	/* Ready for the next stream after CODEC_END. */
	enum codec_rc (*restart)(void *state);
	void (*close)(void *state);
	/* The library's version, as it says at run time where it can. */
	const char *(*version)(void);
};

/*
 * The row whose magic p[0..n) starts with (n is what the input holds, at
 * most CODEC_SNIFF is needed), a compression read or refused; NULL for
 * anything else, which is read as plain text.
 */
const struct codec *codec_detect(const unsigned char *p, size_t n);

/* Does p[0..n) start a stream of c (its magic or match)? */
bool codec_starts(const struct codec *c, const unsigned char *p, size_t n);

/* The i-th codec that reads (0-based) in table order, NULL past the last:
 * for --version and the tests, which try every implementation. */
const struct codec *codec_at(size_t i);

#endif
