/*
 * commands.h - `logfold prune` and `logfold merge`, entries of main.c's
 * subcommand table. Each takes the parsed options (its operands in
 * cfg->inputs) and returns the exit status.
 */
#ifndef LF_COMMANDS_H
#define LF_COMMANDS_H

#include "../output/db.h"
#include "exitcode.h"
#include "options.h"

/* Apply --retention to --db alone, in one transaction. */
int prune_main(const struct config *cfg);

/* Add the databases cfg->inputs[1..] into cfg->inputs[0]; shards (--shard)
 * only as a whole set, of one N and one run's settings. */
int merge_main(const struct config *cfg);

/* A shard's database is partial (its small cells unfolded): report, CSV
 * export and the privacy self-check refuse it. say_partial says so for
 * the database at path, shard sh, which cannot be put to verb ("report
 * on it"); refuse_partial reads path's shard and, for a shard's database,
 * says so and gives EXIT_USAGE (else EXIT_OK, whatever else is wrong with
 * it: its user says that). */
void say_partial(const char *path, const struct db_shard *sh, const char *verb);
enum exit_code refuse_partial(const char *path, int wait_s, const char *verb);

#endif
