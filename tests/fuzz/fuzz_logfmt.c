/*
 * fuzz_logfmt.c - libFuzzer target for the format compiler: the input's
 * first line is a format string, compiled in both dialects (it must fail
 * cleanly or compile), and each later line is scanned with what compiled,
 * then read as a --json-map. Nothing may crash or read out of bounds.
 * `make check` replays tests/fuzz/corpus/logfmt/.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../parsers/formats/json.h"
#include "../../parsers/formats/logfmt.h"
#include "../../parsers/formats/logtime.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct logfmt fmt[2];
	static struct json_map map;
	static char spec[4096];
	char err[256];
	const char *p = (const char *)data, *end = p + size;
	const char *nl = memchr(p, '\n', size);
	size_t n = (size_t)((nl ? nl : end) - p);
	if (n >= sizeof(spec))
		n = sizeof(spec) - 1;
	memcpy(spec, p, n);
	spec[n] = '\0';
	bool ok[2];
	for (int d = 0; d < 2; d++)
		ok[d] = logfmt_compile(&fmt[d], (enum logfmt_dialect)d, spec, err, sizeof(err)) == LF_OK;
	bool map_ok = json_map_parse(&map, spec, err, sizeof(err)) == LF_OK;
	for (p = nl ? nl + 1 : end; p < end;) {
		nl = memchr(p, '\n', (size_t)(end - p));
		struct slice line = slice_make(p, (size_t)((nl ? nl : end) - p));
		p = nl ? nl + 1 : end;
		struct raw_fields f;
		struct logtime t;
		for (int d = 0; d < 2; d++)
			if (ok[d] && !logfmt_scan(&fmt[d], line, &f))
				(void)logtime_parse(&f, &t);
		if (map_ok && !json_scan(&map, line, &f))
			(void)logtime_parse(&f, &t);
	}
	return 0;
}
