/*
 * version.h - `logfold --version`, for bug reports: the version, the linked
 * libraries' versions and the dates of the data files logfold reads.
 */
#ifndef LF_VERSION_H
#define LF_VERSION_H

#include <stdbool.h>

/*
 * Print on stdout, one a line: "logfold VERSION"; each linked library as
 * "NAME VERSION" (SQLite, zlib, PCRE2, libmaxminddb, libyaml); each data
 * file as "NAME YYYY-MM-DD (PATH)" (its mtime, UTC) or "NAME not found
 * (PATH)". False when stdout could not be written.
 */
bool version_print(void);

#endif
