/*
 * main.c - logfold's entry point: options, then the run. Everything else is
 * in run.c; this file only maps the option result to an exit status.
 */
#include "exitcode.h"
#include "msg.h"
#include "options.h"
#include "run.h"

int main(int argc, char **argv)
{
	struct config cfg;
	switch (options_parse(argc, argv, &cfg)) {
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
