/*
 * fuzz_input.c - libFuzzer target for the input reader: the bytes become a
 * file (plain, or compressed or refused when they start with a magic: see
 * fuzz_codec.c for each decoder alone), which is peeked and read to the
 * end. Damaged data must end in LF_ERR_CORRUPT, never a crash, a hang or a
 * line longer than INPUT_LINE_MAX.
 */
#include <stdint.h>

#include "tmpfile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[] = "/tmp/logfold-fuzz-XXXXXX";
	fuzz_write_tmp(path, "", 0, data, size);
	fuzz_read_input(path);
	unlink(path);
	return 0;
}
