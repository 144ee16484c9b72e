/*
 * fuzz_input.c - libFuzzer target for the input reader: the bytes become a
 * file (plain, or compressed or refused when they start with a magic: see
 * fuzz_codec.c for each decoder alone), which is peeked and read to the
 * end. Damaged data must end in LF_ERR_CORRUPT, never a crash, a hang or a
 * line longer than INPUT_LINE_MAX.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "../../parsers/input/input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[] = "/tmp/logfold-fuzz-XXXXXX";
	int fd = mkstemp(path);
	if (fd < 0)
		abort();
	if (write(fd, data, size) != (ssize_t)size)
		abort();
	close(fd);
	struct input *in;
	if (input_open(&in, path) != LF_OK)
		abort();
	struct slice s;
	(void)input_peek(in, &s);
	enum lf_status st;
	while ((st = input_next(in, &s)) == LF_OK || st == LF_ERR_LIMIT)
		if (st == LF_OK && s.n > INPUT_LINE_MAX)
			abort();
	input_close(in);
	unlink(path);
	return 0;
}
