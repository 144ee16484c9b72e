/*
 * uapcheck - runs one of uap-core's own test suites against parsers/reduce/uap.c:
 *
 *   uapcheck [--no-prefilter] REGEXES SUITE.yaml
 *
 * The suite's name says which list it tests (test_ua: family, major, minor,
 * patch; test_os: family, major, minor, patch, patch_minor; test_device:
 * family, brand, model). A field given empty or null in the suite must be
 * absent. Prints each failing case's fields (these are uap-core's public
 * test agents, not log data) and, last, "NAME: N passed, N failed".
 * --no-prefilter runs every regex in order, to show the prefilter changes
 * no result.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../common/yamlseq.h"
#include "../../parsers/reduce/uap.h"

struct suite {
	struct uap *u;
	enum uap_list list;
	const char *keys[UAP_NFIELDS];
	bool prefilter;
	char *buf;
	unsigned pass, fail;
};

static enum lf_status on_case(void *ctx, const char *section, const struct yamlseq_pair *pairs,
			      int n)
{
	struct suite *s = ctx;
	struct slice agent = { NULL, 0 }, want[UAP_NFIELDS] = { { NULL, 0 } };
	bool have = false;
	for (int i = 0; i < n; i++) {
		if (slice_eq_cstr(pairs[i].key, "user_agent_string")) {
			agent = pairs[i].value;
			have = true;
		}
		for (int f = 0; f < UAP_NFIELDS; f++)
			if (s->keys[f] && slice_eq_cstr(pairs[i].key, s->keys[f]))
				want[f] = pairs[i].value;
	}
	if (!have)
		return LF_OK;
	static struct uap_result r;
	struct rxset_subject sub;
	rxset_prepare(&sub, agent, s->buf);
	uap_parse(s->u, &sub, s->prefilter, &r);
	bool ok = true;
	for (int f = 0; f < UAP_NFIELDS; f++)
		if (s->keys[f] && !slice_eq(want[f], slice_make(r.field[s->list][f], r.len[s->list][f])))
			ok = false;
	if (ok) {
		s->pass++;
		return LF_OK;
	}
	if (s->fail++ < 20) {
		printf("FAIL '%.*s'\n", (int)agent.n, agent.p);
		for (int f = 0; f < UAP_NFIELDS; f++)
			if (s->keys[f])
				printf("  %s: want '%.*s' got '%s'\n", s->keys[f], (int)want[f].n,
				       want[f].p ? want[f].p : "", r.field[s->list][f]);
	}
	return LF_OK;
}

int main(int argc, char **argv)
{
	static struct uap u;
	struct suite s = { .u = &u, .prefilter = true };
	int a = 1;
	if (a < argc && strcmp(argv[a], "--no-prefilter") == 0) {
		s.prefilter = false;
		a++;
	}
	if (argc - a != 2) {
		fprintf(stderr, "usage: uapcheck [--no-prefilter] REGEXES SUITE.yaml\n");
		return 2;
	}
	const char *name = strrchr(argv[a + 1], '/') ? strrchr(argv[a + 1], '/') + 1 : argv[a + 1];
	static const char *const ua[] = { "family", "major", "minor", "patch", NULL };
	static const char *const os[] = { "family", "major", "minor", "patch", "patch_minor" };
	static const char *const dev[] = { "family", "brand", "model", NULL, NULL };
	const char *const *keys = strstr(name, "device") ? dev : strstr(name, "os") ? os : ua;
	s.list = keys == dev ? UAP_DEVICE : keys == os ? UAP_OS : UAP_UA;
	memcpy(s.keys, keys, sizeof(s.keys));
	char err[256] = "";
	if (uap_load(&u, argv[a], err, sizeof(err)) != LF_OK) {
		fprintf(stderr, "uapcheck: cannot load '%s': %s\n", argv[a], err);
		return 1;
	}
	s.buf = malloc(1 << 16);
	enum lf_status st = yamlseq_read(argv[a + 1], NULL, 0, on_case, &s, err, sizeof(err));
	if (st != LF_OK) {
		fprintf(stderr, "uapcheck: cannot read '%s': %s\n", argv[a + 1], err);
		s.fail++;
	}
	printf("%s: %u passed, %u failed\n", name, s.pass, s.fail);
	uap_release(&u);
	free(s.buf);
	return s.fail ? 1 : 0;
}
