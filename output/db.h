/*
 * db.h - the SQLite sink. The schema is created when absent and versioned
 * with PRAGMA user_version (DB_SCHEMA_VERSION); a database with a newer
 * version is refused. One transaction per run; secure_delete is on so that
 * replaced rows leave no trace in free pages. A day the database already
 * holds is deleted and written again inside the same transaction. Each
 * database has an id of its own (database_id), random, made with it.
 * It also opens databases read-only for queries (logfold report).
 * This is the only file that includes sqlite3.h.
 */
#ifndef LF_DB_H
#define LF_DB_H

#include <stdbool.h>
#include <stdint.h>

#include "cells.h"
#include "sink.h"

#define DB_SCHEMA_VERSION 12

/* The first schema with site_daily and site_breakdown_daily: what logfold
 * report needs. */
#define DB_SCHEMA_SITE_TOTALS 11

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

/* The SQL that takes a database from schema version v to v + 1 (it ends by
 * setting user_version), for 0 <= v < DB_SCHEMA_VERSION; NULL otherwise.
 * Released entries never change: tests/tools/schema_ddl prints them to
 * build the upgrade fixtures of tests/schema/. */
const char *db_migration_sql(int v);

/* The DELETE of a (site, day) ?1, ?2 from table t, as db_open prepares it,
 * into sql (cap bytes); its length. For the test of its query plan. */
int db_delete_day_sql(const struct table_def *t, char *sql, size_t cap);

/* What db_merge did with one source. */
struct db_merge_stats {
	uint64_t days;     /* (site, day) pairs the source holds, merged */
	uint64_t replaced; /* of them, merged before from it: replaced */
};

/*
 * Merge the logfold database at in_path (the source) into s's. Each
 * source's rows of a (site, day) are kept apart (merge_TABLE, listed in
 * merge_sources under its database id), and the day's rows are their sum:
 * key columns match, INTEGER columns add (visitors too: a visitor of two
 * servers counts twice), max_* and TEXT columns take the largest (a day is
 * closed only when every source says so). A (site, day) merged before from
 * the same source is replaced, so merging again changes nothing unless the
 * source did. Runs and resume points are not merged. Refused: another
 * schema version, a database without an id (LF_ERR_DB), the output itself
 * or a copy of it, a copy of a source merged already in this transaction
 * (LF_ERR_USAGE). A failure to read the source names in_path; one to
 * write, s's path. *stats says what was merged.
 */
enum lf_status db_merge(struct sink *s, const char *in_path, struct db_merge_stats *stats);

/*
 * Call fn with every row of table t (enum day_table) in key order, as
 * cells: the stored columns, then the derived ones computed (table_derive);
 * or, with t == TABLE_COUNT, every runs row in run order as its
 * FORMAT_RUN_NCOLS columns (format_run_column). Cells are valid during the
 * call only. A non-OK status from fn stops and is returned. Works inside
 * the run's transaction: it reads what the commit will keep.
 */
typedef enum lf_status (*db_row_fn)(void *ctx, const struct cell *cells);
enum lf_status db_each_row(struct sink *s, int t, db_row_fn fn, void *ctx);

/* ---- reading (logfold report) -------------------------------------------
 * A database opened read-only, for queries of any table. Only this file
 * includes sqlite3.h: the report module asks through these calls. */
struct db_reader;
struct db_query;

/*
 * Open the database at path read-only (it is never created or written),
 * waiting up to wait_s seconds for a writer, in one read transaction: every
 * query sees one state of it. *version is its schema version (PRAGMA
 * user_version): 0 for an empty file, -1 for another program's database.
 * On success *out is the caller's (db_reader_close). Errors, with the
 * message in errbuf: LF_ERR_DB (missing, unreadable, not a database),
 * LF_ERR_BUSY, LF_ERR_NOMEM.
 */
enum lf_status db_reader_open(struct db_reader **out, const char *path, int wait_s, int *version,
			      char *errbuf, size_t errlen);
void db_reader_close(struct db_reader *r);

/* The message of the reader's last failure ("cannot read database ..."). */
const char *db_reader_error(const struct db_reader *r);

/* Whether table has a column of that name (false on any error). */
bool db_reader_has_column(struct db_reader *r, const char *table, const char *column);

/* Prepare one SQL statement; *out is the caller's (db_query_free). A
 * failure (LF_ERR_DB, LF_ERR_NOMEM) leaves its message in the reader. */
enum lf_status db_query_new(struct db_reader *r, const char *sql, struct db_query **out);

/* Bind parameter i (from 1): text (copied) or an integer. */
enum lf_status db_query_text(struct db_query *q, int i, struct slice s);
enum lf_status db_query_int(struct db_query *q, int i, int64_t v);

/* The next row: *row true and its columns readable until the next call, or
 * false once there is none (and after that, until db_query_reset). */
enum lf_status db_query_step(struct db_query *q, bool *row);

/* Column col (from 0) of the current row; text is valid until the next
 * step, "" for NULL. */
int64_t db_query_col_int(const struct db_query *q, int col);
bool db_query_col_null(const struct db_query *q, int col);
struct slice db_query_col_text(const struct db_query *q, int col);

/* Make q ready to run again: bindings cleared. */
void db_query_reset(struct db_query *q);
void db_query_free(struct db_query *q);

/* "SQLite X.Y.Z": the SQLite library linked (not the header compiled against), into buf (cap
 * bytes, cut short if need be), for logfold --version. */
void db_library_version(char *buf, size_t cap);

#endif
