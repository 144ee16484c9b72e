/*
 * main.c - logfold's entry point: a subcommand named by the first argument
 * (a small table: each is one entry), else options and a run. Everything
 * else is in run.c and the subcommands' files; this file only maps results
 * to exit statuses.
 */
#include <string.h>

#include "exitcode.h"
#include "msg.h"
#include "options.h"
#include "privacy.h"
#include "run.h"

struct subcommand {
	const char *name;
	int (*main)(int argc, char **argv); /* argv[0] is the subcommand's name */
};

static const struct subcommand subcommands[] = {
	{ "privacy", privacy_main },
};

int main(int argc, char **argv)
{
	struct config cfg;
	for (size_t i = 0; argc > 1 && i < sizeof(subcommands) / sizeof(subcommands[0]); i++)
		if (strcmp(argv[1], subcommands[i].name) == 0)
			return subcommands[i].main(argc - 1, argv + 1);
	switch (options_parse(argc, argv, OPTIONS_MODE_RUN, &cfg)) {
	case OPTIONS_EXIT:
		return EXIT_OK;
	case OPTIONS_ERROR:
		return EXIT_USAGE;
	case OPTIONS_RUN:
		break;
	}
	msg_set_quiet(cfg.quiet);
	return run_main(&cfg);
}
