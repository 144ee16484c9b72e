/*
 * db.h - the SQLite sink. The schema is created when absent and versioned
 * with PRAGMA user_version (DB_SCHEMA_VERSION); a database with a newer
 * version is refused. One transaction per run; secure_delete is on so that
 * replaced rows leave no trace in free pages. A day the database already
 * holds is deleted and written again inside the same transaction. Each
 * database has an id of its own (database_id), random, made with it.
 * It also opens databases read-only for queries (logfold report).
 * Written in modules by job (db.c, db_schema.c, db_state.c, db_prune.c,
 * db_merge.c, db_shard.c, db_read.c: db_int.h says which does what); only
 * output/sql.c includes sqlite3.h.
 */
#ifndef LF_DB_H
#define LF_DB_H

#include <stdbool.h>
#include <signal.h>
#include <stdint.h>

#include "cells.h"
#include "sink.h"

#define DB_SCHEMA_VERSION 14

/* The first schema with site_daily and site_breakdown_daily: what logfold
 * report needs. */
#define DB_SCHEMA_SITE_TOTALS 11

/* The first schema whose resume points are made of line signatures (and
 * line numbers): an older database's points cannot be matched. */
#define DB_SCHEMA_LINE_RESUME 13

/* A day of the days table as a run reads it back. */
struct db_day {
	struct slice site, day; /* 'YYYY-MM-DD' */
	bool closed;
	int64_t min_visitors;   /* the K it was computed with; -1: unknown */
	int64_t mask_bytes;     /* the --mask-bytes; -1: unknown (written
				 * before schema 9) */
};

/* A day an input held still open when a run left it (resume_days). */
struct db_open_day {
	const char *site;
	int32_t day; /* days since 1970-01-01 */
};

/* Where a run left one input (a row of resume and its rows of
 * resume_days): the fingerprint of the signatures of its first fp_lines
 * lines (parsers/input/resume.h), line numbers, the days of its dated
 * lines, the days it holds still open, and the name it was given. Nothing
 * of its bytes: no offset, no size, no hash of raw content. */
struct db_resume {
	uint64_t fingerprint;
	uint32_t fp_lines;
	const char *name;
	uint64_t closed_line;  /* lines before the first line of a day left open */
	uint64_t reached_line; /* lines read */
	int32_t first_day, last_day; /* days since 1970-01-01 */
	struct db_open_day *open;
	size_t nopen;
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

/* The schema version the database had when db_open found it (0: new),
 * before any migration. */
long long db_schema_found(const struct sink *s);

/* Call fn for every row of the days table; slices are valid during the
 * call only. A non-OK status from fn stops and is returned. */
typedef enum lf_status (*db_day_fn)(void *ctx, const struct db_day *d);
enum lf_status db_days(struct sink *s, db_day_fn fn, void *ctx);

/* Every resume point, in a new array *out of *n, names and sites
 * included (db_resume_free frees them all). */
enum lf_status db_resume_load(struct sink *s, struct db_resume **out, size_t *n);
void db_resume_free(struct db_resume *rows, size_t n);

/* Store now (and its open days), replacing old (the point the run started
 * from, which may have another fingerprint) when not NULL. */
enum lf_status db_resume_put(struct sink *s, const struct db_resume *old,
			     const struct db_resume *now);

/* Close an open day that no line of the run wrote: the logs have moved
 * past its end. Its rows stay as they are. */
enum lf_status db_close_day(struct sink *s, struct slice site, const char *day);

/* Delete the rows of every per-day table whose day is before 'YYYY-MM-DD'
 * before, the runs started before it, and the resume points whose last day
 * is before it (with their open days); *deleted counts the rows. */
enum lf_status db_prune(struct sink *s, const char *before, uint64_t *deleted);

/* The SQL that takes a database from schema version v to v + 1 (it ends by
 * setting user_version), for 0 <= v < DB_SCHEMA_VERSION; NULL otherwise.
 * Released entries never change: tests/tools/schema_ddl prints them to
 * build the upgrade fixtures of tests/schema/. */
const char *db_migration_sql(int v);
/* Delete every row of day 'YYYY-MM-DD' of site (every site when NULL)
 * from every per-day table. A closed day stays in the days table, closed,
 * with min_visitors and mask_bytes 0: no line of it is counted again by a
 * run (it is late), and --rebuild may write it anew with any K and mask. An
 * open day goes whole, and leaves the open days of every resume point: the
 * next run writes it from what it is given. *deleted counts the rows of
 * the per-day tables, *days the days emptied or deleted. */
enum lf_status db_prune_day(struct sink *s, const char *day, const char *site,
			    uint64_t *deleted, uint64_t *days);

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

/* After the last db_merge of a merge: each day the merge touched summed
 * (and a shards' day folded) once, then the rows kept of sources that were
 * shards (--shard), and their sets, deleted. A merge takes a whole set of
 * shards at once, so the days they made are final, and a later merge of
 * a set makes them again from its shards alone; kept, they would hold
 * the shards' unfolded cells. */
enum lf_status db_merge_finish(struct sink *s);

/*
 * Call fn with every row of table t (enum day_table) in key order, as
 * cells: the stored columns, then the derived ones computed (table_derive);
 * or, with t == TABLE_COUNT, every runs row in run order as its
 * CELLS_RUN_NCOLS columns (cells_run_column). Cells are valid during the
 * call only. A non-OK status from fn stops and is returned. Works inside
 * the run's transaction: it reads what the commit will keep.
 */
typedef enum lf_status (*db_row_fn)(void *ctx, const struct cell *cells);
enum lf_status db_each_row(struct sink *s, int t, db_row_fn fn, void *ctx);

/* ---- shards (--shard I/N) ------------------------------------------------
 * A shard's database is partial: its cells unfolded, it is one of a set
 * that only a merge of all of them makes whole (the README says why). */
#define DB_SHARD_SETTINGS_MAX 512

struct db_shard {
	uint32_t index, count; /* shard index of count; count 0: not a shard's */
	char settings[DB_SHARD_SETTINGS_MAX]; /* the run's settings that change
					       * the counts, as text */
};

/* Which shard the database of s is (count 0: none). */
enum lf_status db_shard_get(struct sink *s, struct db_shard *out);

/* Before a run writes: mark a new database as shard sh (sh->count > 0) or
 * check that it is that shard already; a run without --shard (count 0)
 * checks that it is no shard's. Refused (LF_ERR_USAGE, said in the sink's
 * message): a shard's database for another shard, settings or an unsharded
 * run, or an unsharded run's database for a shard. */
enum lf_status db_shard_claim(struct sink *s, const struct db_shard *sh);

/* Which shard the database at path is, read-only (for report and merge):
 * count 0 for none. Errors as db_reader_open's, message in errbuf. */
enum lf_status db_shard_read(const char *path, int wait_s, struct db_shard *out, char *errbuf,
			     size_t errlen);

/* ---- reading (logfold report) -------------------------------------------
 * A database opened read-only, for queries of any table: the report
 * module asks through these calls, never through sql.h. */
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
