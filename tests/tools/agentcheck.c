/*
 * agentcheck - parsers/reduce/agent.c on lists of agents, one a line ('#' lines
 * are comments):
 *
 *   agentcheck REGEXES --bots FILE     every agent must be a robot
 *   agentcheck REGEXES --people FILE   no agent may be a robot
 *   agentcheck REGEXES --bench FILE... classify every agent of the uap-core
 *                                       suites given, cold (no cache), and
 *                                       print agents/s and regexes run
 *
 * The checks print each agent that fails (these are public test agents)
 * and, last, "NAME: N passed, N failed".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../common/yamlseq.h"
#include "../../parsers/reduce/agent.h"

static struct agents ag;

struct list {
	char **s;
	size_t n, cap;
};

static void push(struct list *l, const char *p, size_t n)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 1024;
		l->s = realloc(l->s, l->cap * sizeof(*l->s));
		if (!l->s)
			abort();
	}
	l->s[l->n] = strndup(p, n);
	if (!l->s[l->n++])
		abort();
}

static enum lf_status on_case(void *ctx, const char *section, const struct yamlseq_pair *pairs,
			      int n)
{
	for (int i = 0; i < n; i++)
		if (slice_eq_cstr(pairs[i].key, "user_agent_string") && pairs[i].value.p)
			push(ctx, pairs[i].value.p, pairs[i].value.n);
	return LF_OK;
}

static void read_lines(struct list *l, const char *path)
{
	FILE *f = fopen(path, "r");
	char line[8192];
	if (!f) {
		perror(path);
		exit(1);
	}
	while (fgets(line, sizeof(line), f)) {
		size_t n = strcspn(line, "\r\n");
		if (n && line[0] != '#')
			push(l, line, n);
	}
	fclose(f);
}

static int bench(int argc, char **argv)
{
	struct list l = { 0 };
	char err[256];
	for (int i = 0; i < argc; i++)
		if (yamlseq_read(argv[i], NULL, 0, on_case, &l, err, sizeof(err)) != LF_OK) {
			fprintf(stderr, "agentcheck: cannot read '%s': %s\n", argv[i], err);
			return 1;
		}
	struct agent_class c;
	struct timespec t0, t1;
	uint64_t tried0 = 0;
	for (int k = 0; k < UAP_NLISTS; k++)
		tried0 += ag.uap.set[k].tried;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (size_t i = 0; i < l.n; i++)
		agents_classify_cold(&ag, slice_cstr(l.s[i]), &c);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	uint64_t tried = ag.crawlers.tried;
	for (int k = 0; k < UAP_NLISTS; k++)
		tried += ag.uap.set[k].tried;
	tried -= tried0;
	size_t nrx = ag.crawlers.n;
	for (int k = 0; k < UAP_NLISTS; k++)
		nrx += ag.uap.set[k].n;
	printf("  cold: %zu agents in %.3f s, %.0f agents/s; %.1f of %zu regexes run per agent\n",
	       l.n, s, s > 0 ? (double)l.n / s : 0.0, (double)tried / (double)(l.n ? l.n : 1), nrx);
	for (size_t i = 0; i < l.n; i++)
		free(l.s[i]);
	free(l.s);
	return 0;
}

int main(int argc, char **argv)
{
	static const unsigned char key[16] = { 7 };
	char err[256] = "";
	if (argc < 4) {
		fprintf(stderr, "usage: agentcheck REGEXES --bots|--people|--bench FILE...\n");
		return 2;
	}
	if (agents_init(&ag, argv[1], key, err, sizeof(err)) != LF_OK) {
		fprintf(stderr, "agentcheck: cannot load '%s': %s\n", argv[1], err);
		return 1;
	}
	if (strcmp(argv[2], "--bench") == 0) {
		int rc = bench(argc - 3, argv + 3);
		agents_release(&ag);
		return rc;
	}
	bool want_bot = strcmp(argv[2], "--bots") == 0;
	struct list l = { 0 };
	read_lines(&l, argv[3]);
	unsigned pass = 0, fail = 0;
	for (size_t i = 0; i < l.n; i++) {
		const struct agent_class *c = agents_classify(&ag, slice_cstr(l.s[i]));
		if (c->bot == want_bot) {
			pass++;
		} else {
			fail++;
			printf("FAIL %s: '%s'%s%s\n", want_bot ? "not a robot" : "robot", l.s[i],
			       c->bot ? " as " : "", c->bot ? c->name : "");
		}
		free(l.s[i]);
	}
	free(l.s);
	const char *name = strrchr(argv[3], '/') ? strrchr(argv[3], '/') + 1 : argv[3];
	printf("%s: %u passed, %u failed\n", name, pass, fail);
	agents_release(&ag);
	return fail ? 1 : 0;
}
