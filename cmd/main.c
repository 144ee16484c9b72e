/*
 * main.c - logfold's entry point: a subcommand named by the first argument
 * (a small table: each is one entry) or a run, after the options. This file
 * only picks what to do and maps the option result to an exit status.
 */
#include <stdlib.h>
#include <string.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "commands.h"
#include "exitcode.h"
#include "msg.h"
#include "options.h"
#include "privacy.h"
#include "reporting.h"
#include "run.h"

struct subcommand {
	const char *name;
	enum options_mode mode; /* what options_parse accepts for it */
	int (*main)(const struct config *cfg);
};

static const struct subcommand subcommands[] = {
	{ "privacy", OPTIONS_MODE_PRIVACY, privacy_main },
	{ "report", OPTIONS_MODE_REPORT, report_main },
	{ "prune", OPTIONS_MODE_PRUNE, prune_main },
	{ "merge", OPTIONS_MODE_RUN, merge_main },
};

static const struct subcommand *find_subcommand(int argc, char **argv)
{
	for (size_t i = 0; argc > 1 && i < sizeof(subcommands) / sizeof(subcommands[0]); i++)
		if (strcmp(argv[1], subcommands[i].name) == 0)
			return &subcommands[i];
	return NULL;
}

/*
 * glibc's malloc gives memory freed back to the system: blocks past its
 * mmap threshold (which it raises to the largest such block freed, up to
 * 32 MiB) are unmapped, and a heap's free top past the trim threshold
 * (twice the mmap threshold) is dropped (madvise). A day computed frees
 * its scratch (sort buffer, load cells, rows) and the next day's touches
 * it anew, a page fault per 4 KiB: make bench's log at --jobs 2 took
 * ~32 000 faults. With the mmap threshold at its ceiling and no trimming
 * below 256 MiB, freed memory stays for the next day: ~21 000 faults,
 * 2.91 -> 2.80 s, the same peak RSS (docs/DEVELOPING.md, "Memory"). Not
 * when the user tuned malloc (GLIBC_TUNABLES). Only memory and time: a
 * failure changes nothing else.
 */
static void keep_freed_memory(void)
{
#if defined(__GLIBC__)
	const char *tunables = getenv("GLIBC_TUNABLES");
	if (tunables && strstr(tunables, "glibc.malloc."))
		return;
	mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024);
	mallopt(M_TRIM_THRESHOLD, 256 * 1024 * 1024);
#endif
}

static int run_options(int argc, char **argv, struct config *cfg)
{
	const struct subcommand *sub = find_subcommand(argc, argv);
	if (sub) { /* its argv starts at its name */
		argc--;
		argv++;
	}
	switch (options_parse(argc, argv, sub ? sub->mode : OPTIONS_MODE_RUN, cfg)) {
	case OPTIONS_EXIT:
		return EXIT_OK;
	case OPTIONS_ERROR:
		return EXIT_USAGE;
	case OPTIONS_RUN:
		break;
	}
	msg_set_quiet(cfg->quiet);
	if (sub)
		return sub->main(cfg);
	enum exit_code e = run_main(cfg);
	/* --report: once the run's days are committed (a run that wrote
	 * nothing, from EXIT_OUTPUT on, has nothing new to show) */
	if (cfg->report && e < EXIT_OUTPUT) {
		enum exit_code r = report_after_run(cfg);
		e = r > e ? r : e;
	}
	return (int)e;
}

int main(int argc, char **argv)
{
	keep_freed_memory();
	/* On the heap: struct config is large (compiled format strings, some
	 * 128 KB), and a small stack (a low ulimit -s or -v) must not crash
	 * logfold before it can say why. */
	struct config *cfg = calloc(1, sizeof(*cfg));
	if (!cfg) {
		msg_error("out of memory");
		return EXIT_USAGE;
	}
	int e = run_options(argc, argv, cfg);
	free(cfg);
	return e;
}
