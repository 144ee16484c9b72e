/*
 * fuzz_uap.c - libFuzzer target for what reads uap-core's files: the YAML
 * reader (common/yamlseq.c) on the input, and, for every value it yields,
 * the prefilter's pattern reader (parsers/reduce/rxset.c). A value that compiles
 * as a regex is matched against every value and the whole input with and
 * without the prefilter: the answers must agree (the prefilter may never
 * skip a regex that matches). It must never crash or read out of bounds.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../common/yamlseq.h"
#include "../../parsers/reduce/rxset.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_VALUES 64

struct seen {
	char *v[FUZZ_VALUES];
	int n;
};

static enum lf_status on_record(void *ctx, const char *section, const struct yamlseq_pair *pairs,
				int n)
{
	struct seen *s = ctx;
	for (int i = 0; i < n && s->n < FUZZ_VALUES; i++) {
		if (!pairs[i].value.p)
			continue;
		char *v = strndup(pairs[i].value.p, pairs[i].value.n);
		if (!v)
			abort();
		s->v[s->n++] = v;
	}
	return LF_OK;
}

static void check_subject(struct rxset *set, struct slice subject)
{
	struct rxset_subject sub;
	struct slice cap[REGEX_MAX_CAPS];
	char *buf = malloc(subject.n + 1);
	if (!buf)
		abort();
	rxset_prepare(&sub, subject, buf);
	if (rxset_first(set, &sub, true, cap) != rxset_first(set, &sub, false, cap))
		abort(); /* the prefilter skipped a regex that matches */
	free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct seen s = { .n = 0 };
	char err[256];
	yamlseq_read(NULL, (const char *)data, size, on_record, &s, err, sizeof(err));
	for (int i = 0; i < s.n; i++) {
		char lit[RXSET_LIT_MAX];
		size_t n = rxset_literal(s.v[i], lit, sizeof(lit));
		if (n >= sizeof(lit) || strlen(lit) != n)
			abort();
		struct rxset set;
		rxset_init(&set);
		if (rxset_add(&set, s.v[i], 0, err, sizeof(err)) == LF_OK) {
			for (int k = 0; k < s.n; k++)
				check_subject(&set, slice_cstr(s.v[k]));
			check_subject(&set, slice_make((const char *)data, size));
		}
		rxset_release(&set);
	}
	for (int i = 0; i < s.n; i++)
		free(s.v[i]);
	return 0;
}
