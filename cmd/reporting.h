/*
 * reporting.h - `logfold report` and a run's --report FILE: the options
 * turned into report_options, the report read (output/report.h) and
 * written as HTML, text or JSON to a file or standard output, and every
 * failure said with its exit status.
 *
 * Exit statuses of `logfold report` (exitcode.h): 0 written (also when the
 * range holds no data: said on stderr and in the report); 2 usage (bad
 * options, an unknown --site, --from after --to); 3 the database cannot be
 * reported on (missing, not a logfold database, empty, older without site
 * totals, newer); 4 the report cannot be written; 5 the database busy past
 * --wait.
 */
#ifndef LF_REPORTING_H
#define LF_REPORTING_H

#include "exitcode.h"
#include "options.h"

/* logfold report: the subcommand's entry (main.c's table). */
int report_main(const struct config *cfg);

/* After a run: the HTML report of cfg->db into cfg->report, for the run's
 * --site if given, else every site; the exit status as report_main's. */
enum exit_code report_after_run(const struct config *cfg);

#endif
