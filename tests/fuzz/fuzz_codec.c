/*
 * fuzz_codec.c - libFuzzer target for every decompressor of parsers/input:
 * the first byte picks the codec (its low 4 bits, modulo the number of rows
 * of codec_at(): 0 gzip by zlib, 1 zstd, 2 xz, 3 bzip2, 4 gzip by ISA-L
 * where built) and the way it is driven; the rest is the compressed input.
 *   bit 7 clear: through the decoder thread, from a file, as logfold reads
 *                it (the rules between streams included);
 *   bit 7 set:   the codec's step alone, given ((byte >> 4) & 7) + 1 bytes
 *                of input and of output room per call, restarted after each
 *                stream on whatever follows.
 * Any input must end cleanly, damaged or not: no crash, no hang, no block
 * larger than DECODER_BLOCK, no damage without a reason.
 * Corpus: tests/fuzz/corpus/codec/ (its README says how it was made).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../parsers/input/codec.h"
#include "../../parsers/input/decoder.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t ncodecs(void)
{
	size_t n = 0;
	while (codec_at(n))
		n++;
	return n;
}

static void through_decoder(const struct codec *c, const uint8_t *data, size_t size)
{
	char path[] = "/tmp/logfold-fuzz-codec-XXXXXX";
	int fd = mkstemp(path);
	if (fd < 0)
		abort();
	if (write(fd, data, size) != (ssize_t)size || lseek(fd, 0, SEEK_SET) != 0)
		abort();
	char *rbuf = malloc((size_t)1 << 20);
	struct decoder *d;
	if (!rbuf || decoder_open(&d, c, fd, -1, rbuf, (size_t)1 << 20, 0) != LF_OK)
		abort();
	/* A few bytes can expand to gigabytes (zstd's RLE blocks): past 16
	 * blocks, close early, which must stop the helper wherever it is. */
	struct decoder_block b;
	unsigned blocks = 0;
	do {
		decoder_next(d, &b);
		if (b.n > DECODER_BLOCK)
			abort();
	} while (b.st == LF_OK && ++blocks < 16);
	if (b.st == LF_ERR_CORRUPT && !b.why[0])
		abort(); /* damage always has a reason */
	decoder_close(d);
	free(rbuf);
	close(fd);
	unlink(path);
}

/* The codec alone, piece by piece: more room is given when it stalls, and
 * a stall with all the input given is the end. */
static void by_steps(const struct codec *c, const uint8_t *data, size_t size, size_t piece)
{
	void *st = c->open();
	if (!st)
		abort();
	unsigned char out[8];
	size_t pos = 0, give = piece;
	for (unsigned guard = 0; guard < 4u * (unsigned)size + 1000u; guard++) {
		size_t avail = size - pos < give ? size - pos : give;
		struct codec_io io = { data + pos, avail, out, piece, "" };
		enum codec_rc rc = c->step(st, &io);
		size_t used = avail - io.in_n;
		bool moved = used > 0 || io.out_n != piece;
		pos += used;
		if (rc == CODEC_BAD && !io.why)
			abort();
		if (rc == CODEC_BAD || rc == CODEC_NOMEM || (rc == CODEC_END && pos == size))
			break;
		if (rc == CODEC_END) {
			if (c->restart(st) != CODEC_OK)
				break;
		} else if (!moved) {
			if (avail == size - pos)
				break; /* all given, nothing more: cut short */
			give++;
			continue;
		}
		give = piece;
	}
	c->close(st);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	const struct codec *c = codec_at((data[0] & 0x0f) % ncodecs());
	if (data[0] & 0x80)
		by_steps(c, data + 1, size - 1, (size_t)((data[0] >> 4) & 7) + 1);
	else
		through_decoder(c, data + 1, size - 1);
	return 0;
}
