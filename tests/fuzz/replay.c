/*
 * replay.c - runs a fuzz target on every file named on the command line, so
 * the corpus is a regression test in `make check` without libFuzzer.
 * Prints "NAME: N passed, N failed" (a crash fails the whole binary).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int main(int argc, char **argv)
{
	int passed = 0;
	for (int i = 1; i < argc; i++) {
		FILE *f = fopen(argv[i], "rb");
		if (!f) {
			perror(argv[i]);
			return 1;
		}
		static uint8_t buf[1 << 20];
		size_t n = fread(buf, 1, sizeof(buf), f);
		fclose(f);
		LLVMFuzzerTestOneInput(buf, n);
		passed++;
	}
	printf("fuzz %s: %d passed, 0 failed\n", argv[0], passed);
	return 0;
}
