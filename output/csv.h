/*
 * csv.h - the CSV sink: one TABLE.csv per table in a directory (created if
 * missing), header row first, RFC 4180 quoting (CRLF line ends are not
 * used: LF, as every Unix tool expects), and a leading ' on any cell that
 * starts with = + - @ so that a spreadsheet never runs it as a formula.
 * Files are written as NAME.csv.tmp and renamed on commit.
 */
#ifndef LF_CSV_H
#define LF_CSV_H

#include "sink.h"

/*
 * Open the CSV sink on directory dir (made if missing; its parent must
 * exist), create NAME.csv.tmp for each table and write the header rows. On
 * success *out is a sink owned by the caller (sink_close). Errors: LF_ERR_IO
 * or LF_ERR_NOMEM, with the message in errbuf (size errlen); nothing is
 * left behind.
 */
enum lf_status csv_open(struct sink **out, const char *dir, char *errbuf, size_t errlen);

#endif
