/*
 * commands.h - `logfold prune` and `logfold merge`, entries of main.c's
 * subcommand table. Each takes the parsed options (its operands in
 * cfg->inputs) and returns the exit status.
 */
#ifndef LF_COMMANDS_H
#define LF_COMMANDS_H

#include "exitcode.h"
#include "options.h"

/* Apply --retention to --db alone, in one transaction. */
int prune_main(const struct config *cfg);

/* Add the databases cfg->inputs[1..] into cfg->inputs[0]. */
int merge_main(const struct config *cfg);

#endif
