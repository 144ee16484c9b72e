/*
 * tmpfile.h - what the fuzz targets that read files share (fuzz_input.c,
 * fuzz_codec.c, fuzz_db.c): the input written to a new file under /tmp,
 * after an optional prefix, and the input reader's drain with its checks.
 * Any failure of the file itself aborts: it is the harness's, not a
 * finding. Static inline: each target is one translation unit, and uses
 * what it needs.
 */
#ifndef LF_FUZZ_TMPFILE_H
#define LF_FUZZ_TMPFILE_H

#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "../../parsers/input/input.h"

/* Make path (a mkstemp template) a new file of prefix[0..np) then
 * data[0..n). */
static inline void fuzz_write_tmp(char *path, const void *prefix, size_t np,
				  const uint8_t *data, size_t n)
{
	int fd = mkstemp(path);
	if (fd < 0 || (np && write(fd, prefix, np) != (ssize_t)np) ||
	    (n && write(fd, data, n) != (ssize_t)n))
		abort();
	close(fd);
}

/* Open path with input_open, peek, and read every line: none may be longer
 * than INPUT_LINE_MAX, and the end is a clean one, damage, a read error or
 * a compression refused (LF_ERR_FORMAT: lz4, zip ...). */
static inline void fuzz_read_input(const char *path)
{
	struct input *in;
	struct slice s;
	enum lf_status st;
	if (input_open(&in, path) != LF_OK)
		abort();
	(void)input_peek(in, &s);
	while ((st = input_next(in, &s)) == LF_OK || st == LF_ERR_LIMIT)
		if (st == LF_OK && s.n > INPUT_LINE_MAX)
			abort();
	if (st != LF_EOF && st != LF_ERR_CORRUPT && st != LF_ERR_IO && st != LF_ERR_FORMAT)
		abort();
	input_close(in);
}

#endif
