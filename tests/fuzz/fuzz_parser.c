/*
 * fuzz_parser.c - libFuzzer target for the parser: format detection on the
 * whole input, then every line through each format. It must never crash,
 * read out of bounds or hand on a hit whose slices leave its buffers.
 * `make fuzz` runs it under libFuzzer; `make check` replays the corpus in
 * tests/fuzz/corpus/parser/ through tests/fuzz/replay.c.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../parsers/reduce/parser.h"
#include "parsefuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct parser *parser_for(enum log_format f)
{
	static struct parser *p[FMT_COUNT];
	static struct logfmt custom;
	static struct json_map map;
	static struct client_ip_config cip;
	static const unsigned char key[PARSER_KEY_BYTES] = { 7 };
	if (!p[f]) {
		char err[256];
		if (logfmt_compile(&custom, LOGFMT_NGINX, custom_format, err, sizeof(err)) != LF_OK ||
		    json_map_parse(&map, json_spec, err, sizeof(err)) != LF_OK ||
		    !client_ip_mode_parse("xff-last", &cip) || !cidr_parse("10.0.0.0/8", &cip.trusted[0]))
			abort();
		cip.ntrusted = 1;
		struct parser_config cfg = { .format = f, .site = "fuzz.example",
					     .mask_bytes = 1 + (int)f % 4, .custom = &custom,
					     .json_map = &map, .client_ip = f % 2 ? &cip : NULL,
					     .beacon_path = "/logfold.gif",
					     .trackers = { "/matomo.php" }, .ntrackers = 1 };
		if (parser_new(&p[f], &cfg, key) != LF_OK)
			abort();
	}
	return p[f];
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int looked;
	struct slice all = slice_make((const char *)data, size);
	(void)log_format_detect(all, true, &looked);
	const char *p = all.p, *end = all.p + all.n;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		struct slice line = slice_make(p, (size_t)((nl ? nl : end) - p));
		p = nl ? nl + 1 : end;
		for (int f = FMT_COMBINED; f < FMT_COUNT; f++) {
			struct parser *ps = parser_for((enum log_format)f);
			struct hit h;
			const char *why = NULL;
			enum skip_reason r = parser_line(ps, line, &h, &why);
			check_result(ps, r, &h, why);
		}
	}
	return 0;
}
