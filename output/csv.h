/*
 * csv.h - the CSV export: one TABLE.csv per table in a directory (created
 * if missing), holding every row the database has, header row first, RFC
 * 4180 quoting (CRLF line ends are not used: LF, as every Unix tool
 * expects), and a leading ' on any cell that starts with = + - @ so that a
 * spreadsheet never runs it as a formula. Files are written as
 * NAME.csv.tmp and renamed once the database has committed:
 *
 *   csv_open()  ... csv_write(db) [inside db's transaction]
 *   sink_commit(db)  csv_publish()  csv_close()
 */
#ifndef LF_CSV_H
#define LF_CSV_H

#include "sink.h"

struct csv;

/*
 * Make directory dir if missing (its parent must exist) and create
 * NAME.csv.tmp for each table. On success *out is owned by the caller
 * (csv_close). Errors: LF_ERR_IO or LF_ERR_NOMEM, with the message in
 * errbuf (size errlen); *out is NULL and nothing is left behind.
 */
enum lf_status csv_open(struct csv **out, const char *dir, char *errbuf, size_t errlen);

/*
 * Write every table of the database sink db (db_open) into the tmp files,
 * with what its transaction holds now, then flush, sync and close them.
 * Errors: LF_ERR_IO or LF_ERR_NOMEM (a write, naming the tmp file), or the
 * database's status and message when it cannot be read. After a failure
 * every later call fails the same way; NAME.csv files stay as they were.
 */
enum lf_status csv_write(struct csv *c, struct sink *db);

/*
 * Rename every tmp file written by csv_write over its NAME.csv and sync the
 * directory: call it once the database has committed. A rename that fails
 * is reported (LF_ERR_IO, first failure's message) and the others still
 * happen; each NAME.csv is then the old file or the new one.
 */
enum lf_status csv_publish(struct csv *c);

/* The first failure's message, "" when none. */
const char *csv_error(const struct csv *c);

/* Remove the tmp files not renamed and free c (NULL: nothing). */
void csv_close(struct csv *c);

#endif
