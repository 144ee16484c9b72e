/*
 * fuzz_codec.c - libFuzzer target for the decompressors of the input
 * reader. The first byte picks a codec from the table below (modulo its
 * length); the codec's magic bytes, then the rest of the input, become a
 * file, which input_open must take as that codec and read to the end
 * through the helper thread: damage must end in LF_ERR_CORRUPT (or a read
 * error), never a crash, a hang or a line longer than INPUT_LINE_MAX.
 * Unlike fuzz_input, no mutation is spent on finding the magic.
 *
 * A new decompressor is one line in `codecs` (its name and magic bytes),
 * and seeds in tests/fuzz/corpus/codec/: its index as a first byte, then a
 * small file of that codec without its magic.
 */
#include <stdint.h>

#include "tmpfile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct codec {
	const char *name;
	const char *magic;
	size_t n;
} codecs[] = {
	{ "gzip", "\x1f\x8b", 2 },
};

#define NCODECS (sizeof(codecs) / sizeof(codecs[0]))

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	const struct codec *c = &codecs[data[0] % NCODECS];
	char path[] = "/tmp/logfold-fuzz-codec-XXXXXX";
	fuzz_write_tmp(path, c->magic, c->n, data + 1, size - 1);
	fuzz_read_input(path);
	unlink(path);
	return 0;
}
