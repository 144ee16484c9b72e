/*
 * run.h - one logfold run: read every input through the parser into the
 * aggregator, write the tables to every sink, and say what happened.
 */
#ifndef LF_RUN_H
#define LF_RUN_H

#include "exitcode.h"
#include "options.h"

/* Do the whole run described by cfg; returns the exit status. */
enum exit_code run_main(const struct config *cfg);

#endif
