/*
 * main.c - logfold's entry point: a subcommand named by the first argument
 * (a small table: each is one entry) or a run, after the options. This file
 * only picks what to do and maps the option result to an exit status.
 */
#include <stdlib.h>
#include <string.h>

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
