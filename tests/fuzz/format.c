/*
 * format.c - one libFuzzer target per log format family, built from this
 * file with -DFUZZ_FORMAT='"NAME"' (the Makefile's FUZZ_FORMATS: a new
 * format family is one word there, and a corpus in
 * tests/fuzz/corpus/format_NAME/). Unlike fuzz_parser, which tries every
 * format on every line, the input here is one log of that format: the
 * scanner's state is reset at its start (a W3C #Fields line then applies
 * to the lines after it), and every line goes through parser_line with the
 * checks of parsefuzz.h. "clf" is the CLF family (combined, common and their
 * vhost forms), "json" JSON lines under a --json-map, "custom" a
 * --log-format string with the awkward parts; the others are format names
 * with '-' written '_'.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../parsers/reduce/parser.h"
#include "parsefuzz.h"

#ifndef FUZZ_FORMAT /* the Makefile always says; tests/check-clang.sh does not */
#define FUZZ_FORMAT "clf"
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The formats of the family FUZZ_FORMAT, ending with FMT_COUNT. */
static void family(enum log_format f[5])
{
	static const enum log_format clf[] = { FMT_COMBINED, FMT_COMMON, FMT_VCOMBINED,
					       FMT_VCOMMON, FMT_COUNT };
	char name[32];
	size_t n = strlen(FUZZ_FORMAT);
	if (strcmp(FUZZ_FORMAT, "clf") == 0) {
		memcpy(f, clf, sizeof(clf));
		return;
	}
	if (n >= sizeof(name))
		abort();
	for (size_t i = 0; i <= n; i++)
		name[i] = FUZZ_FORMAT[i] == '_' ? '-' : FUZZ_FORMAT[i];
	f[0] = strcmp(name, "custom") == 0 ? FMT_CUSTOM : log_format_parse(name);
	if (f[0] == FMT_COUNT || f[0] == FMT_AUTO)
		abort(); /* a name the Makefile lists and logformat.c does not know */
	f[1] = FMT_COUNT;
}

static struct parser *make_parser(enum log_format f)
{
	static struct logfmt custom;
	static struct json_map map;
	static struct client_ip_config cip;
	static bool ready;
	static const unsigned char key[PARSER_KEY_BYTES] = { 9 };
	char err[256];
	if (!ready) {
		if (logfmt_compile(&custom, LOGFMT_NGINX, custom_format, err, sizeof(err)) != LF_OK ||
		    json_map_parse(&map, json_spec, err, sizeof(err)) != LF_OK ||
		    !client_ip_mode_parse("xff-last", &cip) || !cidr_parse("10.0.0.0/8", &cip.trusted[0]))
			abort();
		cip.ntrusted = 1;
		ready = true;
	}
	struct parser_config cfg = { .format = f, .site = "fuzz.example", .mask_bytes = 2,
				     .custom = &custom, .json_map = &map, .client_ip = &cip,
				     .beacon_path = "/logfold.gif", .trackers = { "/matomo.php" },
				     .ntrackers = 1 };
	struct parser *p = NULL;
	if (parser_new(&p, &cfg, key) != LF_OK)
		abort();
	return p;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static enum log_format f[5];
	static struct parser *parsers[5];
	if (!parsers[0]) {
		family(f);
		for (int k = 0; f[k] != FMT_COUNT; k++)
			parsers[k] = make_parser(f[k]);
	}
	for (int k = 0; f[k] != FMT_COUNT; k++) {
		struct parser *ps = parsers[k];
		parser_set_format(ps, f[k]); /* a new log: no #Fields line seen */
		const char *p = (const char *)data, *end = p + size;
		while (p < end) {
			const char *nl = memchr(p, '\n', (size_t)(end - p));
			struct slice line = slice_make(p, (size_t)((nl ? nl : end) - p));
			p = nl ? nl + 1 : end;
			struct hit h;
			const char *why = NULL;
			enum skip_reason r = parser_line(ps, line, &h, &why);
			check_result(ps, r, &h, why);
		}
	}
	return 0;
}
