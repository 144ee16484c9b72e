/*
 * db.h - the SQLite sink. The schema is created when absent and versioned
 * with PRAGMA user_version (DB_SCHEMA_VERSION); a database with a newer
 * version is refused. One transaction per run; secure_delete is on so that
 * replaced rows leave no trace in free pages. A day the database already
 * holds is deleted and written again inside the same transaction.
 * This is the only file that includes sqlite3.h.
 */
#ifndef LF_DB_H
#define LF_DB_H

#include "sink.h"

#define DB_SCHEMA_VERSION 6

/*
 * Open (creating if needed) the database at path and begin the run's
 * transaction, waiting up to a minute for another writer. On success *out
 * is a sink owned by the caller (sink_close). Errors, with the message in
 * errbuf (size errlen): LF_ERR_DB (cannot open, busy, not a database, not a
 * logfold database, schema newer than DB_SCHEMA_VERSION), LF_ERR_NOMEM.
 */
enum lf_status db_open(struct sink **out, const char *path, char *errbuf, size_t errlen);

#endif
