/*
 * regex.c - PCRE2 behind a small interface. Patterns are compiled with
 * PCRE2_UTF off: log fields are bytes, not always valid UTF-8, and a UTF
 * check on every subject would cost time and reject real lines.
 */
#include "regex.h"

#include <stdio.h>
#include <stdlib.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

struct regex {
	pcre2_code *code;
	pcre2_match_data *md;
	/* JIT-compiled at its first match, not here: of uap-core's ~1 000
	 * regexes, a run's prefilter lets a few dozen ever run, and compiling
	 * every one up front was 60 % of a short run's time. 0: not yet,
	 * 1: JIT, -1: interpreted (no JIT here, or out of its memory). */
	signed char jit;
};

enum lf_status regex_compile(struct regex **out, const char *pattern, unsigned flags,
			     char *err, size_t errlen)
{
	int ec;
	PCRE2_SIZE off;
	uint32_t opts = (flags & REGEX_CASELESS) ? PCRE2_CASELESS : 0;
	struct regex *re = calloc(1, sizeof(*re));
	if (!re)
		return LF_ERR_NOMEM;
	re->code = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED, opts, &ec, &off, NULL);
	if (!re->code && ec == PCRE2_ERROR_HEAP_FAILED) {
		free(re); /* out of memory: not the pattern's fault */
		return LF_ERR_NOMEM;
	}
	if (!re->code) {
		PCRE2_UCHAR msg[160];
		pcre2_get_error_message(ec, msg, sizeof(msg));
		if (errlen)
			snprintf(err, errlen, "%zu: %s", (size_t)off, (const char *)msg);
		free(re);
		return LF_ERR_USAGE;
	}
	re->md = pcre2_match_data_create_from_pattern(re->code, NULL);
	if (!re->md) {
		regex_free(re);
		return LF_ERR_NOMEM;
	}
	*out = re;
	return LF_OK;
}

int regex_match(struct regex *re, struct slice s, struct slice *cap, int ncap)
{
	PCRE2_SPTR subject = (PCRE2_SPTR)(s.p ? s.p : "");
	if (re->jit == 0)
		re->jit = pcre2_jit_compile(re->code, PCRE2_JIT_COMPLETE) == 0 ? 1 : -1;
	int rc = re->jit > 0 ? pcre2_jit_match(re->code, subject, s.n, 0, 0, re->md, NULL)
			 : pcre2_match(re->code, subject, s.n, 0, 0, re->md, NULL);
	if (rc <= 0)
		return 0; /* no match, or a limit: never a crash on hostile input */
	uint32_t groups = pcre2_get_ovector_count(re->md);
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(re->md);
	int n = (int)groups < ncap ? (int)groups : ncap;
	for (int i = 0; i < n; i++) {
		if (ov[2 * i] == PCRE2_UNSET)
			cap[i] = (struct slice){ NULL, 0 };
		else
			cap[i] = slice_make(s.p + ov[2 * i], ov[2 * i + 1] - ov[2 * i]);
	}
	return n;
}

bool regex_test(struct regex *re, struct slice s)
{
	struct slice whole;
	return regex_match(re, s, &whole, 1) > 0;
}

void regex_free(struct regex *re)
{
	if (!re)
		return;
	pcre2_match_data_free(re->md);
	pcre2_code_free(re->code);
	free(re);
}

void regex_library_version(char *buf, size_t cap)
{
	char v[64] = ""; /* "10.42 2022-12-11": PCRE2 says 24 code units at most */
	uint32_t jit = 0;
	int need = pcre2_config(PCRE2_CONFIG_VERSION, NULL); /* with its NUL */
	if (need <= 0 || (size_t)need > sizeof(v) || pcre2_config(PCRE2_CONFIG_VERSION, v) < 0)
		snprintf(v, sizeof(v), "?");
	if (pcre2_config(PCRE2_CONFIG_JIT, &jit) < 0)
		jit = 0;
	snprintf(buf, cap, "PCRE2 %s%s", v, jit ? " (JIT)" : " (no JIT)");
}
