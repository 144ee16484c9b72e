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

#include <signal.h>
#include <stdint.h>

#include "sink.h"

#define DB_SCHEMA_VERSION 8

/* Where a run stopped in one input, as the resume table keeps it: a
 * fingerprint of the decompressed start (SipHash of its first fp_bytes
 * bytes), offsets into the decompressed stream and line counts. Nothing
 * else about an input is ever kept. */
struct resume_point {
	uint64_t fingerprint;
	uint32_t fp_bytes;
	uint64_t closed_offset;  /* every line before it belongs to a closed day */
	uint64_t reached_offset; /* every line before it was read */
	uint64_t closed_line;    /* lines before closed_offset */
	uint64_t reached_line;   /* lines before reached_offset */
};

/*
 * Open (creating if needed) the database at path and begin the run's
 * transaction, waiting up to wait_s seconds for another writer. On success *out
 * is a sink owned by the caller (sink_close). Errors, with the message in
 * errbuf (size errlen): LF_ERR_BUSY (another writer held it past wait_s),
 * LF_ERR_DB (cannot open, not a database, not a
 * logfold database, schema newer than DB_SCHEMA_VERSION), LF_ERR_NOMEM.
 */
enum lf_status db_open(struct sink **out, const char *path, int wait_s, char *errbuf,
		       size_t errlen);

/*
 * After sink_commit: when more than a quarter of the file is free pages
 * (rows pruned or replaced), rewrite it so that the file shrinks. A
 * failure (disk full: VACUUM needs room for a copy) changes nothing
 * stored, as VACUUM is a transaction of its own, and secure_delete has
 * already zeroed the freed pages: the caller says it (sink_error) and the
 * run stands. Stopped (db_open_stop), it is skipped: LF_OK. LF_ERR_USAGE
 * before a commit or for a sink that is not a database.
 */
enum lf_status db_vacuum(struct sink *s);

/*
 * db_open, stoppable: once *stop (a signal handler's flag, read only) is
 * non-zero, the lock wait ends at once and every statement running or to
 * run fails ("interrupted"; SQLite's progress handler), so nothing more is
 * written and sink_close rolls the transaction back. A VACUUM after the
 * commit is skipped: the commit stands. stop must outlive the sink.
 */
enum lf_status db_open_stop(struct sink **out, const char *path, int wait_s,
			    const volatile sig_atomic_t *stop, char *errbuf, size_t errlen);

/* The calls below take a sink made by db_open (LF_ERR_DB for any other, or
 * after a failure) and work inside its run's transaction; a failure sets
 * the sink's message, as a failed write does. */

/* Call fn for every (site, day) the days table says is closed; slices are
 * valid during the call only. A non-OK status from fn stops and is
 * returned. */
typedef enum lf_status (*db_day_fn)(void *ctx, struct slice site, struct slice day);
enum lf_status db_closed_days(struct sink *s, db_day_fn fn, void *ctx);

/* Every resume point, in a new array *out of *n (caller frees). */
enum lf_status db_resume_points(struct sink *s, struct resume_point **out, size_t *n);

/* Store now, replacing old (the point the run started from) when not NULL. */
enum lf_status db_put_resume(struct sink *s, const struct resume_point *old,
			     const struct resume_point *now);

/* Delete the rows of every per-day table whose day is before 'YYYY-MM-DD'
 * before, and the runs started before it; *deleted counts them. */
enum lf_status db_prune(struct sink *s, const char *before, uint64_t *deleted);

/* The DELETE of a (site, day) ?1, ?2 from table t, as db_open prepares it,
 * into sql (cap bytes); its length. For the test of its query plan. */
int db_delete_day_sql(const struct table_def *t, char *sql, size_t cap);

/* Add the tables of the logfold database at in_path into s's: key columns
 * match, INTEGER columns add (visitors too: a visitor of two servers counts
 * twice), a day is closed only when both say so. Refuses another schema
 * version. Runs and resume points are not merged. */
enum lf_status db_merge(struct sink *s, const char *in_path);

#endif
