/*
 * db.c - the SQLite sink: schema creation and migration, one transaction per
 * run, a day replaced as a unit in every per-day table, statements built
 * once from table_defs and reused for every row. It is the only file that
 * includes sqlite3.h.
 *
 * It reads back only what a run needs before it reads its inputs (the days
 * already closed, the resume points), does not wait for a busy database
 * beyond the caller's wait, and never prints: every failure is a status
 * and a message in sink->err.
 */
#include "db.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "cells.h"

/*
 * migrations[v] takes a database from schema version v to v + 1 and ends by
 * setting user_version, so that a new table (breakdown_daily, bots_daily,
 * load_hourly, days ...) is one new entry and DB_SCHEMA_VERSION + 1. An
 * entry, once released, is never edited: databases in the field were made
 * by it. All of them run inside the run's transaction, so a failed
 * migration leaves the database as it was.
 */
static const char *const migrations[] = {
	/* 0 -> 1: the foundation (issue 2). */
	"CREATE TABLE page_daily ("
	" site TEXT NOT NULL,"
	" day TEXT NOT NULL," /* 'YYYY-MM-DD', the log's local date */
	" page TEXT NOT NULL,"
	" pageviews INTEGER NOT NULL,"
	" visitors INTEGER NOT NULL,"
	" visits INTEGER NOT NULL,"
	" entrances INTEGER NOT NULL,"
	" bounces INTEGER NOT NULL,"
	" exits INTEGER NOT NULL,"
	" time_on_page_s INTEGER NOT NULL,"
	" time_on_page_n INTEGER NOT NULL,"
	" PRIMARY KEY (site, day, page)"
	") WITHOUT ROWID;"
	"CREATE TABLE runs ("
	" run_id INTEGER PRIMARY KEY,"
	" started TEXT NOT NULL," /* 'YYYY-MM-DD' UTC: no finer timestamp */
	" version TEXT NOT NULL,"
	" inputs TEXT NOT NULL," /* JSON: [{"name":..., "bytes":...}, ...] */
	" lines INTEGER NOT NULL,"
	" pageviews INTEGER NOT NULL,"
	" malformed INTEGER NOT NULL,"
	" not_get INTEGER NOT NULL,"
	" status INTEGER NOT NULL,"
	" static INTEGER NOT NULL,"
	" bot INTEGER NOT NULL"
	");"
	"PRAGMA user_version = 1;",
	/* 1 -> 2: breakdown_daily (issue 4's dimensions, issue 5's geography and
	 * referrers, issue 8's screen classes all land here). */
	"CREATE TABLE breakdown_daily ("
	" site TEXT NOT NULL,"
	" day TEXT NOT NULL,"
	" page TEXT NOT NULL,"
	" dimension TEXT NOT NULL,"
	" value TEXT NOT NULL,"
	" pageviews INTEGER NOT NULL,"
	" visitors INTEGER NOT NULL,"
	" PRIMARY KEY (site, day, page, dimension, value)"
	") WITHOUT ROWID;"
	"PRAGMA user_version = 2;",
	/* 2 -> 3: load_hourly (issue 5) and its percentiles view. */
	"CREATE TABLE load_hourly ("
	" site TEXT NOT NULL,"
	" hour TEXT NOT NULL," /* 'YYYY-MM-DDTHH', the log's local time */
	" page TEXT NOT NULL,"
	" source TEXT NOT NULL," /* 'server': the log's duration field */
	" n INTEGER NOT NULL,"
	" sum_ms INTEGER NOT NULL,"
	" max_ms INTEGER NOT NULL,"
	" le_10 INTEGER NOT NULL,"
	" le_25 INTEGER NOT NULL,"
	" le_50 INTEGER NOT NULL,"
	" le_100 INTEGER NOT NULL,"
	" le_250 INTEGER NOT NULL,"
	" le_500 INTEGER NOT NULL,"
	" le_1000 INTEGER NOT NULL,"
	" le_2500 INTEGER NOT NULL,"
	" le_5000 INTEGER NOT NULL,"
	" le_10000 INTEGER NOT NULL,"
	" le_25000 INTEGER NOT NULL,"
	" le_60000 INTEGER NOT NULL,"
	" gt_60000 INTEGER NOT NULL,"
	" PRIMARY KEY (site, hour, page, source)"
	") WITHOUT ROWID;"
	/* Running counts c0..c11 and the ranks, then the estimate of
	 * aggregate/load.h for each percentile (test_output checks that it
	 * agrees with load_percentile()). */
	"CREATE VIEW load_hourly_stats AS"
	" WITH c AS (SELECT *,"
	"  le_10 AS c0,"
	"  le_10 + le_25 AS c1,"
	"  le_10 + le_25 + le_50 AS c2,"
	"  le_10 + le_25 + le_50 + le_100 AS c3,"
	"  le_10 + le_25 + le_50 + le_100 + le_250 AS c4,"
	"  le_10 + le_25 + le_50 + le_100 + le_250 + le_500 AS c5,"
	"  le_10 + le_25 + le_50 + le_100 + le_250 + le_500 + le_1000 AS c6,"
	"  le_10 + le_25 + le_50 + le_100 + le_250 + le_500 + le_1000 + le_2500 AS c7,"
	"  le_10 + le_25 + le_50 + le_100 + le_250 + le_500 + le_1000 + le_2500 + le_5000 AS c8,"
	"  le_10 + le_25 + le_50 + le_100 + le_250 + le_500 + le_1000 + le_2500 + le_5000 + le_10000 AS c9,"
	"  le_10 + le_25 + le_50 + le_100 + le_250 + le_500 + le_1000 + le_2500 + le_5000 + le_10000 + le_25000 AS c10,"
	"  le_10 + le_25 + le_50 + le_100 + le_250 + le_500 + le_1000 + le_2500 + le_5000 + le_10000 + le_25000 + le_60000 AS c11,"
	"  n * 50 / 100.0 AS r50, n * 75 / 100.0 AS r75, n * 95 / 100.0 AS r95"
	"  FROM load_hourly)"
	" SELECT site, hour, page, source, n, sum_ms, max_ms,"
	"  le_10, le_25, le_50, le_100, le_250, le_500, le_1000,"
	"  le_2500, le_5000, le_10000, le_25000, le_60000, gt_60000,"
	"  CASE"
	"   WHEN c0 >= r50 THEN CAST(min(0, max_ms) + (min(10, max_ms) - min(0, max_ms)) * ((r50 - 0) / le_10) + 0.5 AS INTEGER)"
	"   WHEN c1 >= r50 THEN CAST(min(10, max_ms) + (min(25, max_ms) - min(10, max_ms)) * ((r50 - c0) / le_25) + 0.5 AS INTEGER)"
	"   WHEN c2 >= r50 THEN CAST(min(25, max_ms) + (min(50, max_ms) - min(25, max_ms)) * ((r50 - c1) / le_50) + 0.5 AS INTEGER)"
	"   WHEN c3 >= r50 THEN CAST(min(50, max_ms) + (min(100, max_ms) - min(50, max_ms)) * ((r50 - c2) / le_100) + 0.5 AS INTEGER)"
	"   WHEN c4 >= r50 THEN CAST(min(100, max_ms) + (min(250, max_ms) - min(100, max_ms)) * ((r50 - c3) / le_250) + 0.5 AS INTEGER)"
	"   WHEN c5 >= r50 THEN CAST(min(250, max_ms) + (min(500, max_ms) - min(250, max_ms)) * ((r50 - c4) / le_500) + 0.5 AS INTEGER)"
	"   WHEN c6 >= r50 THEN CAST(min(500, max_ms) + (min(1000, max_ms) - min(500, max_ms)) * ((r50 - c5) / le_1000) + 0.5 AS INTEGER)"
	"   WHEN c7 >= r50 THEN CAST(min(1000, max_ms) + (min(2500, max_ms) - min(1000, max_ms)) * ((r50 - c6) / le_2500) + 0.5 AS INTEGER)"
	"   WHEN c8 >= r50 THEN CAST(min(2500, max_ms) + (min(5000, max_ms) - min(2500, max_ms)) * ((r50 - c7) / le_5000) + 0.5 AS INTEGER)"
	"   WHEN c9 >= r50 THEN CAST(min(5000, max_ms) + (min(10000, max_ms) - min(5000, max_ms)) * ((r50 - c8) / le_10000) + 0.5 AS INTEGER)"
	"   WHEN c10 >= r50 THEN CAST(min(10000, max_ms) + (min(25000, max_ms) - min(10000, max_ms)) * ((r50 - c9) / le_25000) + 0.5 AS INTEGER)"
	"   WHEN c11 >= r50 THEN CAST(min(25000, max_ms) + (min(60000, max_ms) - min(25000, max_ms)) * ((r50 - c10) / le_60000) + 0.5 AS INTEGER)"
	"   ELSE CAST(min(60000, max_ms) + (max_ms - min(60000, max_ms)) * ((r50 - c11) / gt_60000) + 0.5 AS INTEGER)"
	"  END AS p50_ms,"
	"  CASE"
	"   WHEN c0 >= r75 THEN CAST(min(0, max_ms) + (min(10, max_ms) - min(0, max_ms)) * ((r75 - 0) / le_10) + 0.5 AS INTEGER)"
	"   WHEN c1 >= r75 THEN CAST(min(10, max_ms) + (min(25, max_ms) - min(10, max_ms)) * ((r75 - c0) / le_25) + 0.5 AS INTEGER)"
	"   WHEN c2 >= r75 THEN CAST(min(25, max_ms) + (min(50, max_ms) - min(25, max_ms)) * ((r75 - c1) / le_50) + 0.5 AS INTEGER)"
	"   WHEN c3 >= r75 THEN CAST(min(50, max_ms) + (min(100, max_ms) - min(50, max_ms)) * ((r75 - c2) / le_100) + 0.5 AS INTEGER)"
	"   WHEN c4 >= r75 THEN CAST(min(100, max_ms) + (min(250, max_ms) - min(100, max_ms)) * ((r75 - c3) / le_250) + 0.5 AS INTEGER)"
	"   WHEN c5 >= r75 THEN CAST(min(250, max_ms) + (min(500, max_ms) - min(250, max_ms)) * ((r75 - c4) / le_500) + 0.5 AS INTEGER)"
	"   WHEN c6 >= r75 THEN CAST(min(500, max_ms) + (min(1000, max_ms) - min(500, max_ms)) * ((r75 - c5) / le_1000) + 0.5 AS INTEGER)"
	"   WHEN c7 >= r75 THEN CAST(min(1000, max_ms) + (min(2500, max_ms) - min(1000, max_ms)) * ((r75 - c6) / le_2500) + 0.5 AS INTEGER)"
	"   WHEN c8 >= r75 THEN CAST(min(2500, max_ms) + (min(5000, max_ms) - min(2500, max_ms)) * ((r75 - c7) / le_5000) + 0.5 AS INTEGER)"
	"   WHEN c9 >= r75 THEN CAST(min(5000, max_ms) + (min(10000, max_ms) - min(5000, max_ms)) * ((r75 - c8) / le_10000) + 0.5 AS INTEGER)"
	"   WHEN c10 >= r75 THEN CAST(min(10000, max_ms) + (min(25000, max_ms) - min(10000, max_ms)) * ((r75 - c9) / le_25000) + 0.5 AS INTEGER)"
	"   WHEN c11 >= r75 THEN CAST(min(25000, max_ms) + (min(60000, max_ms) - min(25000, max_ms)) * ((r75 - c10) / le_60000) + 0.5 AS INTEGER)"
	"   ELSE CAST(min(60000, max_ms) + (max_ms - min(60000, max_ms)) * ((r75 - c11) / gt_60000) + 0.5 AS INTEGER)"
	"  END AS p75_ms,"
	"  CASE"
	"   WHEN c0 >= r95 THEN CAST(min(0, max_ms) + (min(10, max_ms) - min(0, max_ms)) * ((r95 - 0) / le_10) + 0.5 AS INTEGER)"
	"   WHEN c1 >= r95 THEN CAST(min(10, max_ms) + (min(25, max_ms) - min(10, max_ms)) * ((r95 - c0) / le_25) + 0.5 AS INTEGER)"
	"   WHEN c2 >= r95 THEN CAST(min(25, max_ms) + (min(50, max_ms) - min(25, max_ms)) * ((r95 - c1) / le_50) + 0.5 AS INTEGER)"
	"   WHEN c3 >= r95 THEN CAST(min(50, max_ms) + (min(100, max_ms) - min(50, max_ms)) * ((r95 - c2) / le_100) + 0.5 AS INTEGER)"
	"   WHEN c4 >= r95 THEN CAST(min(100, max_ms) + (min(250, max_ms) - min(100, max_ms)) * ((r95 - c3) / le_250) + 0.5 AS INTEGER)"
	"   WHEN c5 >= r95 THEN CAST(min(250, max_ms) + (min(500, max_ms) - min(250, max_ms)) * ((r95 - c4) / le_500) + 0.5 AS INTEGER)"
	"   WHEN c6 >= r95 THEN CAST(min(500, max_ms) + (min(1000, max_ms) - min(500, max_ms)) * ((r95 - c5) / le_1000) + 0.5 AS INTEGER)"
	"   WHEN c7 >= r95 THEN CAST(min(1000, max_ms) + (min(2500, max_ms) - min(1000, max_ms)) * ((r95 - c6) / le_2500) + 0.5 AS INTEGER)"
	"   WHEN c8 >= r95 THEN CAST(min(2500, max_ms) + (min(5000, max_ms) - min(2500, max_ms)) * ((r95 - c7) / le_5000) + 0.5 AS INTEGER)"
	"   WHEN c9 >= r95 THEN CAST(min(5000, max_ms) + (min(10000, max_ms) - min(5000, max_ms)) * ((r95 - c8) / le_10000) + 0.5 AS INTEGER)"
	"   WHEN c10 >= r95 THEN CAST(min(10000, max_ms) + (min(25000, max_ms) - min(10000, max_ms)) * ((r95 - c9) / le_25000) + 0.5 AS INTEGER)"
	"   WHEN c11 >= r95 THEN CAST(min(25000, max_ms) + (min(60000, max_ms) - min(25000, max_ms)) * ((r95 - c10) / le_60000) + 0.5 AS INTEGER)"
	"   ELSE CAST(min(60000, max_ms) + (max_ms - min(60000, max_ms)) * ((r95 - c11) / gt_60000) + 0.5 AS INTEGER)"
	"  END AS p95_ms"
	" FROM c;"
	"PRAGMA user_version = 3;",
	/* 3 -> 4: issue 8's beacon tables, and the beacon requests of a run
	 * (never pageviews, so not in any skip column either). load_hourly
	 * takes rows with source 'client' as it is. */
	"CREATE TABLE engagement_daily ("
	" site TEXT NOT NULL,"
	" day TEXT NOT NULL,"
	" page TEXT NOT NULL,"
	" measured INTEGER NOT NULL,"
	" engaged_s INTEGER NOT NULL,"
	" scroll_25 INTEGER NOT NULL,"
	" scroll_50 INTEGER NOT NULL,"
	" scroll_75 INTEGER NOT NULL,"
	" scroll_100 INTEGER NOT NULL,"
	" PRIMARY KEY (site, day, page)"
	") WITHOUT ROWID;"
	"CREATE TABLE action_daily ("
	" site TEXT NOT NULL,"
	" day TEXT NOT NULL,"
	" page TEXT NOT NULL,"
	" action TEXT NOT NULL,"
	" label TEXT NOT NULL,"
	" count INTEGER NOT NULL,"
	" visitors INTEGER NOT NULL,"
	" PRIMARY KEY (site, day, page, action, label)"
	") WITHOUT ROWID;"
	"ALTER TABLE runs ADD COLUMN beacon INTEGER NOT NULL DEFAULT 0;"
	"PRAGMA user_version = 4;",
	/* 4 -> 5: the skip reasons of issue 7's host and page rules. */
	"ALTER TABLE runs ADD COLUMN other_site INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE runs ADD COLUMN excluded INTEGER NOT NULL DEFAULT 0;"
	"PRAGMA user_version = 5;",
	/* 5 -> 6: bots_daily (issue 4): robot requests by family. */
	"CREATE TABLE bots_daily ("
	" site TEXT NOT NULL,"
	" day TEXT NOT NULL,"
	" bot TEXT NOT NULL,"
	" requests INTEGER NOT NULL,"
	" PRIMARY KEY (site, day, bot)"
	") WITHOUT ROWID;"
	"PRAGMA user_version = 6;",
	/* 6 -> 7: nightly runs (issue 6). days says which days are final;
	 * resume holds, per input, only a fingerprint of its decompressed
	 * start and offsets and line counts into it: never an identifier. Days
	 * written before this version were written whole by one run: closed. */
	"CREATE TABLE days ("
	" site TEXT NOT NULL,"
	" day TEXT NOT NULL,"
	" state TEXT NOT NULL CHECK (state IN ('open', 'closed')),"
	" PRIMARY KEY (site, day)"
	") WITHOUT ROWID;"
	"INSERT INTO days SELECT DISTINCT site, day, 'closed' FROM page_daily;"
	"CREATE TABLE resume ("
	" fingerprint INTEGER NOT NULL," /* SipHash of the first fp_bytes bytes */
	" fp_bytes INTEGER NOT NULL,"
	" closed_offset INTEGER NOT NULL," /* every line before: closed days */
	" reached_offset INTEGER NOT NULL," /* every line before: read */
	" closed_line INTEGER NOT NULL,"
	" reached_line INTEGER NOT NULL,"
	" PRIMARY KEY (fp_bytes, fingerprint)"
	") WITHOUT ROWID;"
	"PRAGMA user_version = 7;",
	/* 7 -> 8: the skip reasons of lines that are not requests, lines older
	 * than the retention and lines from the future (issues 15 and 21). */
	"ALTER TABLE runs ADD COLUMN not_request INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE runs ADD COLUMN expired INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE runs ADD COLUMN future INTEGER NOT NULL DEFAULT 0;"
	"PRAGMA user_version = 8;",
};

_Static_assert(sizeof(migrations) / sizeof(migrations[0]) == DB_SCHEMA_VERSION,
	       "one migration per schema version");
_Static_assert(SKIP_NREASONS == 10,
	       "a new skip reason is a new runs column: add a migration and sql_ins_run");

/* A message naming a path and a cause. */
#define PATH_MAX_MSG 512

/* Longest statement built from a table_def: names are short literals. */
#define DB_SQL_MAX 1024

/* A day's rows are many and small (some 20 000 load_hourly rows a day on
 * the bench's log), and SQLite's cost per statement step and per bound
 * parameter came to most of their insertion. So each table's rows are
 * read by one INSERT ... SELECT from an eponymous virtual table,
 * logfold_day, whose cursor walks the day being written: one step per
 * table and day, no binding. Its columns c0 .. c23 are a row's cells in
 * table_defs order. */
#define DB_VTAB "logfold_day"

static const char sql_ins_run[] =
	"INSERT INTO runs (started, version, inputs, lines, pageviews,"
	" malformed, not_get, status, static, bot, other_site, excluded, not_request,"
	" expired, future, beacon)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)";

struct db_sink {
	struct sink base; /* first: a struct sink * is a struct db_sink * */
	sqlite3 *db;
	sqlite3_stmt *del_day[TABLE_COUNT], *ins_day[TABLE_COUNT], *ins_run;
	const struct day_result *day; /* what logfold_day reads: the day being */
	enum day_table table;         /* written, and its table */
	enum lf_status failed; /* first failure: err keeps its message, commit is refused */
	bool committed;
	int wait_ms;    /* busy timeout */
	const volatile sig_atomic_t *stop; /* db_open_stop's flag, or NULL */
	struct timespec busy_since;        /* when the current lock wait began */
	char path[];    /* base.where points here */
};

/* Why the last call on db failed, in SQLite's words, except that a file
 * that cannot be opened gets the system's ("Permission denied" rather than
 * "unable to open database file"). Only then: for a failed write SQLite
 * reads errno after its own clean-up, so sqlite3_system_errno() is 0 or
 * stale, and "disk I/O error" / "database or disk is full" are truer. Not
 * ENOENT either: SQLite retries a failed read-write open read-only, and
 * the retry's ENOENT (a journal that does not exist yet) hides the first
 * open's reason (db_access_why finds the ones the system can tell). */
static const char *db_cause(sqlite3 *db, int rc)
{
	if (!db)
		return sqlite3_errstr(rc);
	int e = sqlite3_system_errno(db);
	if ((rc & 0xff) == SQLITE_CANTOPEN && e && e != ENOENT)
		return strerror(e);
	return sqlite3_errmsg(db);
}

/* Whether path cannot be written as a database, with the system's reason
 * in why (len bytes). SQLite hides it: it retries a failed read-write open
 * read-only and keeps that retry's errno (ENOENT for a new file in a
 * directory it may not write into), opens a read-only file read-only
 * without a word, and calls a journal it may not create beside the file
 * "a readonly database". access(2) tells: the file must be readable and
 * writable, its directory writable (a new file, every journal). */
static bool db_access_why(const char *path, char *why, size_t len)
{
	bool exists = access(path, F_OK) == 0;
	if (exists ? access(path, R_OK | W_OK) != 0 : errno != ENOENT) {
		snprintf(why, len, "%s", strerror(errno));
		return true;
	}
	char dir[PATH_MAX_MSG];
	const char *slash = strrchr(path, '/');
	if (slash)
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path) + 1, path);
	else
		snprintf(dir, sizeof(dir), ".");
	if (access(dir, W_OK | X_OK) == 0)
		return false;
	snprintf(why, len, "%s (the directory '%.200s', where SQLite %s)", strerror(errno), dir,
		 exists ? "writes its journal" : "would create it");
	return true;
}

static enum lf_status db_fail_msg(struct db_sink *k, const char *verb, const char *cause)
{
	format_error(k->base.err, sizeof(k->base.err), verb, k->path, cause);
	k->failed = LF_ERR_DB;
	return LF_ERR_DB;
}

static enum lf_status db_fail(struct db_sink *k, const char *verb, int rc)
{
	char why[PATH_MAX_MSG];
	if (((rc & 0xff) == SQLITE_CANTOPEN || (rc & 0xff) == SQLITE_READONLY) &&
	    db_access_why(k->path, why, sizeof(why)))
		return db_fail_msg(k, verb, why);
	if ((rc & 0xff) != SQLITE_BUSY && (rc & 0xff) != SQLITE_LOCKED)
		return db_fail_msg(k, verb, db_cause(k->db, rc));
	snprintf(why, sizeof(why), "another run or program held it for more than %d s (--wait)",
		 k->wait_ms / 1000);
	db_fail_msg(k, verb, why);
	k->failed = LF_ERR_BUSY;
	return LF_ERR_BUSY;
}

/* Run a one-value query; *v is 0 when it returns no row. */
static int query_int(sqlite3 *db, const char *sql, long long *v)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);

	if (rc != SQLITE_OK)
		return rc;
	*v = 0;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*v = sqlite3_column_int64(st, 0);
	rc = sqlite3_finalize(st); /* the step's error, if any */
	return rc;
}

/* Run a statement that returns no row and make it ready for its next use. */
static int step_reset(sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);
	int rr = sqlite3_reset(st);

	return rc == SQLITE_DONE ? rr : rc;
}

/* Bind text; an empty slice binds '' (a NULL pointer would bind NULL). */
static int bind_slice(sqlite3_stmt *st, int i, struct slice s)
{
	return sqlite3_bind_text64(st, i, s.n ? s.p : "", s.n, SQLITE_STATIC, SQLITE_UTF8);
}

/* SQLite integers are signed 64-bit: a count above INT64_MAX (9.2e18,
 * beyond any log) is refused with this, never wrapped to a negative number. */
#define DB_COUNT_TOO_BIG "count exceeds 2^63-1"

/* Bind n counts to parameters first ... first + n - 1 (DB_COUNT_TOO_BIG). */
static enum lf_status bind_counts(struct db_sink *k, sqlite3_stmt *st, int first,
				  const uint64_t *v, int n)
{
	for (int i = 0; i < n; i++) {
		int rc;
		if (v[i] > INT64_MAX)
			return db_fail_msg(k, "write to database", DB_COUNT_TOO_BIG);
		rc = sqlite3_bind_int64(st, first + i, (sqlite3_int64)v[i]);
		if (rc != SQLITE_OK)
			return db_fail(k, "write to database", rc);
	}
	return LF_OK;
}

/* Inside the run's transaction: refuse a database that is not ours or is
 * newer than us, then bring an older one up to DB_SCHEMA_VERSION. */
static enum lf_status db_schema(struct db_sink *k)
{
	long long version, objects;
	char why[96];
	int rc = query_int(k->db, "PRAGMA user_version", &version);

	if (rc == SQLITE_OK)
		rc = query_int(k->db, "SELECT count(*) FROM sqlite_master", &objects);
	if (rc != SQLITE_OK)
		return db_fail(k, "open database", rc);
	if (version > DB_SCHEMA_VERSION) {
		snprintf(why, sizeof(why), "schema version %lld is newer than this logfold's (%d)",
			 version, DB_SCHEMA_VERSION);
		return db_fail_msg(k, "use database", why);
	}
	/* Version 0 with any table, or a negative version: another program's
	 * database, which we must not add tables to, let alone write into. */
	if (version < 0 || (version == 0 && objects > 0))
		return db_fail_msg(k, "use database", "it is not a logfold database");
	for (long long v = version; v < DB_SCHEMA_VERSION; v++) {
		rc = sqlite3_exec(k->db, migrations[v], NULL, NULL, NULL);
		if (rc != SQLITE_OK)
			return db_fail(k, "create tables in database", rc);
	}
	return LF_OK;
}

/* The columns of t SQLite stores: all but the derived ones, which come
 * last (tables.h) and live in a view. */
static int db_stored_cols(const struct table_def *t)
{
	int n = t->ncols;
	while (n > 0 && t->cols[n - 1].derived)
		n--;
	return n;
}

int db_delete_day_sql(const struct table_def *t, char *sql, size_t cap)
{
	/* An hour 'YYYY-MM-DDTHH' of day D sorts between 'D' and 'DU': a range
	 * of the primary key (site, hour, ...), where substr(hour, 1, 10) = D
	 * would read every row of the site for every day written. */
	if (t->hourly)
		return snprintf(sql, cap,
				"DELETE FROM %s WHERE site = ?1 AND hour > ?2 AND hour < ?2 || 'U'",
				t->name);
	return snprintf(sql, cap, "DELETE FROM %s WHERE site = ?1 AND day = ?2", t->name);
}

/* Append to buf (cap bytes) at *n as printf would; *n counts on past cap,
 * so that a caller sees the text was cut short (*n >= cap). */
__attribute__((format(printf, 4, 5))) static void append(char *buf, size_t cap, size_t *n,
							const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = *n < cap ? vsnprintf(buf + *n, cap - *n, fmt, ap) : 0;
	va_end(ap);
	*n = r < 0 ? cap : *n + (size_t)r; /* at cap or past it: cut short */
}

/* ---- logfold_day: the day being written, as a table ---------------------- */

struct day_vtab {
	sqlite3_vtab base; /* first: SQLite's pointer is ours */
	struct db_sink *k;
};

struct day_cursor {
	sqlite3_vtab_cursor base; /* first, likewise */
	struct db_sink *k;
	size_t row, nrows;
	size_t cells_of; /* the row cells holds, or SIZE_MAX */
	struct cell cells[TABLE_MAX_COLS];
};

static int day_connect(sqlite3 *db, void *sink, int argc, const char *const *argv,
		       sqlite3_vtab **out, char **err)
{
	char sql[DB_SQL_MAX];
	size_t n = 0;
	append(sql, sizeof(sql), &n, "CREATE TABLE x(");
	for (int c = 0; c < TABLE_MAX_COLS; c++)
		append(sql, sizeof(sql), &n, "%sc%d", c ? ", " : "", c);
	append(sql, sizeof(sql), &n, ")"); /* 24 short names: far from the end */
	int rc = sqlite3_declare_vtab(db, sql);
	if (rc != SQLITE_OK)
		return rc;
	struct day_vtab *v = sqlite3_malloc(sizeof(*v));
	if (!v)
		return SQLITE_NOMEM;
	memset(v, 0, sizeof(*v));
	v->k = sink;
	*out = &v->base;
	return SQLITE_OK;
}

static int day_best_index(sqlite3_vtab *t, sqlite3_index_info *info)
{
	info->estimatedCost = 1000.0; /* a scan of the day's rows: the only plan */
	return SQLITE_OK;
}

static int day_disconnect(sqlite3_vtab *t)
{
	sqlite3_free(t);
	return SQLITE_OK;
}

static int day_open(sqlite3_vtab *t, sqlite3_vtab_cursor **out)
{
	struct day_cursor *c = sqlite3_malloc(sizeof(*c));
	if (!c)
		return SQLITE_NOMEM;
	memset(c, 0, sizeof(*c));
	c->k = ((struct day_vtab *)(void *)t)->k;
	*out = &c->base;
	return SQLITE_OK;
}

static int day_close(sqlite3_vtab_cursor *cur)
{
	sqlite3_free(cur);
	return SQLITE_OK;
}

/* The rows of the sink's current day and table, from the first. */
static int day_filter(sqlite3_vtab_cursor *cur, int idx, const char *idx_str, int argc,
		      sqlite3_value **argv)
{
	struct day_cursor *c = (struct day_cursor *)(void *)cur;
	c->row = 0;
	c->nrows = c->k->day ? table_nrows(c->k->day, c->k->table) : 0;
	c->cells_of = SIZE_MAX;
	return SQLITE_OK;
}

static int day_next(sqlite3_vtab_cursor *cur)
{
	((struct day_cursor *)(void *)cur)->row++;
	return SQLITE_OK;
}

static int day_eof(sqlite3_vtab_cursor *cur)
{
	struct day_cursor *c = (struct day_cursor *)(void *)cur;
	return c->row >= c->nrows;
}

/* Column col of the current row. A count above INT64_MAX fails the
 * statement (DB_COUNT_TOO_BIG). */
static int day_column(sqlite3_vtab_cursor *cur, sqlite3_context *ctx, int col)
{
	struct day_cursor *c = (struct day_cursor *)(void *)cur;
	const struct table_def *def = &table_defs[c->k->table];
	if (c->cells_of != c->row) {
		table_row(c->k->day, c->k->table, c->row, false, c->cells);
		c->cells_of = c->row;
	}
	if (col >= db_stored_cols(def)) {
		sqlite3_result_null(ctx);
	} else if (!def->cols[col].integer) {
		struct slice s = c->cells[col].text;
		sqlite3_result_text64(ctx, s.n ? s.p : "", s.n, SQLITE_STATIC, SQLITE_UTF8);
	} else if (c->cells[col].num > INT64_MAX) {
		sqlite3_result_error(ctx, DB_COUNT_TOO_BIG, -1);
	} else {
		sqlite3_result_int64(ctx, (sqlite3_int64)c->cells[col].num);
	}
	return SQLITE_OK;
}

static int day_rowid(sqlite3_vtab_cursor *cur, sqlite3_int64 *rowid)
{
	*rowid = (sqlite3_int64)((struct day_cursor *)(void *)cur)->row;
	return SQLITE_OK;
}

/* Eponymous-only (no xCreate): the table exists in every connection that
 * registers the module, and CREATE VIRTUAL TABLE cannot make another. */
static const sqlite3_module day_module = {
	.xConnect = day_connect,
	.xBestIndex = day_best_index,
	.xDisconnect = day_disconnect,
	.xOpen = day_open,
	.xClose = day_close,
	.xFilter = day_filter,
	.xNext = day_next,
	.xEof = day_eof,
	.xColumn = day_column,
	.xRowid = day_rowid,
};

/* The DELETE of one (site, day) and the INSERT of a day's rows of table t. */
static enum lf_status db_prepare_table(struct db_sink *k, enum day_table t)
{
	char sql[DB_SQL_MAX];
	const struct table_def *def = &table_defs[t];
	int n = db_delete_day_sql(def, sql, sizeof(sql));
	int rc = sqlite3_prepare_v3(k->db, sql, n, SQLITE_PREPARE_PERSISTENT, &k->del_day[t],
				    NULL);
	if (rc != SQLITE_OK)
		return db_fail(k, "open database", rc);
	int stored = db_stored_cols(def);
	size_t len = 0;
	append(sql, sizeof(sql), &len, "INSERT INTO %s (", def->name);
	for (int c = 0; c < stored; c++)
		append(sql, sizeof(sql), &len, "%s%s", c ? ", " : "", def->cols[c].name);
	append(sql, sizeof(sql), &len, ") SELECT ");
	for (int c = 0; c < stored; c++)
		append(sql, sizeof(sql), &len, "%sc%d", c ? ", " : "", c);
	append(sql, sizeof(sql), &len, " FROM " DB_VTAB);
	if (len >= sizeof(sql))
		return db_fail_msg(k, "open database", "a table with too many columns");
	rc = sqlite3_prepare_v3(k->db, sql, (int)len, SQLITE_PREPARE_PERSISTENT, &k->ins_day[t],
				NULL);
	return rc == SQLITE_OK ? LF_OK : db_fail(k, "open database", rc);
}

/* ---- stopping: db_open_stop ------------------------------------------ */

/* SQLite calls the progress handler every this many virtual-machine steps
 * of a statement: a few microseconds apart, so a stop is seen at once, and
 * the handler (a load and a compare) costs nothing measurable. */
#define DB_PROGRESS_OPS 1000

/* The lock wait sleeps this long between tries at most, and looks at the
 * stop flag after each sleep. */
#define DB_BUSY_NAP_MS 20

static int db_progress(void *ctx)
{
	const struct db_sink *k = ctx;
	return *k->stop != 0; /* non-zero: the statement fails, interrupted */
}

/* sqlite3_busy_timeout's wait, ending at once on a stop. */
static int db_busy(void *ctx, int count)
{
	struct db_sink *k = ctx;
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (count == 0)
		k->busy_since = now;
	long long waited = (long long)(now.tv_sec - k->busy_since.tv_sec) * 1000 +
			   (now.tv_nsec - k->busy_since.tv_nsec) / 1000000;
	if (*k->stop || waited >= k->wait_ms)
		return 0;
	long long nap = k->wait_ms - waited;
	sqlite3_sleep((int)(nap < DB_BUSY_NAP_MS ? nap : DB_BUSY_NAP_MS));
	return *k->stop == 0;
}

/* Open the connection, turn secure_delete on, take the write lock, make
 * sure of the schema and prepare the statements every run uses. */
static enum lf_status db_start(struct db_sink *k)
{
	long long secure = 0;
	/* NOMUTEX: the connection is only ever used by one thread at a time
	 * (the day writer's, or the main thread's while the writer is idle),
	 * and the serialized mode locks around every call. */
	int rc = sqlite3_open_v2(k->path, &k->db,
				 SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
	enum lf_status st;

	if (rc != SQLITE_OK)
		return db_fail(k, "open database", rc);
	/* before the inputs are read, not at the first write */
	char why[PATH_MAX_MSG];
	if (db_access_why(k->path, why, sizeof(why)))
		return db_fail_msg(k, "open database", why);
	/* SQLite opens read-only, without a word, what it could not open
	 * read-write; the system's reason is lost with the first open */
	if (sqlite3_db_readonly(k->db, "main") == 1)
		return db_fail_msg(k, "open database", "unable to open database file for writing");
	sqlite3_extended_result_codes(k->db, 1);
	if (k->stop) {
		sqlite3_busy_handler(k->db, db_busy, k);
		sqlite3_progress_handler(k->db, DB_PROGRESS_OPS, db_progress, k);
	} else {
		sqlite3_busy_timeout(k->db, k->wait_ms);
	}
	rc = sqlite3_create_module(k->db, DB_VTAB, &day_module, k);
	if (rc == SQLITE_OK)
		rc = query_int(k->db, "PRAGMA secure_delete = ON", &secure);
	if (rc == SQLITE_OK && secure != 1)
		return db_fail_msg(k, "open database", "secure_delete is not available");
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(k->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		return db_fail(k, "open database", rc);
	st = db_schema(k);
	if (st != LF_OK)
		return st;
	for (int t = 0; t < TABLE_COUNT; t++) {
		st = db_prepare_table(k, (enum day_table)t);
		if (st != LF_OK)
			return st;
	}
	rc = sqlite3_prepare_v3(k->db, sql_ins_run, -1, SQLITE_PREPARE_PERSISTENT, &k->ins_run,
				NULL);
	if (rc != SQLITE_OK)
		return db_fail(k, "open database", rc);
	return LF_OK;
}

/* Insert every row d has of table t: logfold_day reads them. */
static enum lf_status db_insert_day(struct db_sink *k, const struct day_result *d,
				    enum day_table t)
{
	k->day = d;
	k->table = t;
	int rc = step_reset(k->ins_day[t]);
	k->day = NULL; /* d may be freed next */
	return rc == SQLITE_OK ? LF_OK : db_fail(k, "write to database", rc);
}

/* Delete what the database holds of (site, day) in table t; *replaced is
 * set when that was anything. */
static enum lf_status db_delete_day(struct db_sink *k, const struct day_result *d,
				    enum day_table t, bool *replaced)
{
	sqlite3_stmt *del = k->del_day[t];
	int rc = bind_slice(del, 1, d->site);
	if (rc == SQLITE_OK)
		rc = bind_slice(del, 2, slice_make(d->day, strnlen(d->day, sizeof(d->day))));
	if (rc == SQLITE_OK)
		rc = step_reset(del);
	sqlite3_clear_bindings(del);
	if (rc != SQLITE_OK)
		return db_fail(k, "write to database", rc);
	if (sqlite3_changes(k->db) > 0)
		*replaced = true;
	return LF_OK;
}

static enum lf_status db_write_day(struct sink *s, const struct day_result *d, bool *replaced)
{
	struct db_sink *k = (struct db_sink *)s;
	enum lf_status st = LF_OK;

	*replaced = false;
	if (k->failed)
		return k->failed;
	for (int t = 0; t < TABLE_COUNT && st == LF_OK; t++) {
		st = db_delete_day(k, d, (enum day_table)t, replaced);
		if (st == LF_OK && table_nrows(d, (enum day_table)t))
			st = db_insert_day(k, d, (enum day_table)t);
	}
	return st;
}

static enum lf_status db_write_run(struct sink *s, const struct run_info *r)
{
	struct db_sink *k = (struct db_sink *)s;
	uint64_t v[FORMAT_RUN_NCOUNTS];
	struct slice started = slice_make(r->started, strnlen(r->started, sizeof(r->started)));
	struct slice inputs;
	char *json;
	enum lf_status st;
	int rc;

	if (k->failed)
		return k->failed;
	if (format_inputs_json(r->inputs, r->ninputs, &json, &inputs.n) != LF_OK) {
		db_fail_msg(k, "write to database", strerror(ENOMEM));
		k->failed = LF_ERR_NOMEM;
		return LF_ERR_NOMEM;
	}
	inputs.p = json;
	format_run_counts(r, v);
	rc = bind_slice(k->ins_run, 1, started);
	if (rc == SQLITE_OK)
		rc = bind_slice(k->ins_run, 2, slice_cstr(r->version ? r->version : ""));
	if (rc == SQLITE_OK)
		rc = bind_slice(k->ins_run, 3, inputs);
	st = rc == SQLITE_OK ? bind_counts(k, k->ins_run, 4, v, FORMAT_RUN_NCOUNTS)
			     : db_fail(k, "write to database", rc);
	if (st == LF_OK && (rc = step_reset(k->ins_run)) != SQLITE_OK)
		st = db_fail(k, "write to database", rc);
	sqlite3_clear_bindings(k->ins_run);
	free(json);
	return st;
}

static const struct sink_ops db_ops;

/* Apart from the commit (db.h): the run stands whatever VACUUM does. */
enum lf_status db_vacuum(struct sink *s)
{
	struct db_sink *k = (struct db_sink *)s;
	long long free_pages = 0, pages = 0;
	if (s->ops != &db_ops || !k->committed)
		return LF_ERR_USAGE;
	int rc = query_int(k->db, "PRAGMA freelist_count", &free_pages);
	if (rc == SQLITE_OK)
		rc = query_int(k->db, "PRAGMA page_count", &pages);
	if (rc == SQLITE_OK && free_pages * 4 > pages)
		rc = sqlite3_exec(k->db, "VACUUM", NULL, NULL, NULL);
	if ((rc & 0xff) == SQLITE_INTERRUPT && k->stop && *k->stop)
		return LF_OK; /* stopped: the commit stands, a later run vacuums */
	return rc == SQLITE_OK ? LF_OK : db_fail(k, "vacuum database", rc);
}

static enum lf_status db_commit(struct sink *s)
{
	struct db_sink *k = (struct db_sink *)s;
	int rc;

	if (k->failed)
		return k->failed; /* err still says what failed first */
	if (k->committed)
		return LF_OK;
	rc = sqlite3_exec(k->db, "COMMIT", NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		return db_fail(k, "commit to database", rc);
	k->committed = true;
	return LF_OK;
}

/* Nothing here can be reported (close returns void) and nothing needs to
 * be: an uncommitted transaction is rolled back, and if even that fails,
 * the hot journal is rolled back by the next connection to open the file. */
static void db_close(struct sink *s)
{
	struct db_sink *k = (struct db_sink *)s;

	for (int t = 0; t < TABLE_COUNT; t++) {
		sqlite3_finalize(k->del_day[t]);
		sqlite3_finalize(k->ins_day[t]);
	}
	sqlite3_finalize(k->ins_run);
	if (k->db && !sqlite3_get_autocommit(k->db))
		sqlite3_exec(k->db, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_close(k->db);
	free(k);
}

/* ---- what a run reads back, and what it keeps between runs ---------- */

/* k, when s is a database sink and usable; NULL otherwise. */
static struct db_sink *db_of(struct sink *s)
{
	struct db_sink *k = (struct db_sink *)s;
	return s && s->ops == &db_ops && !k->failed ? k : NULL;
}

enum lf_status db_closed_days(struct sink *s, db_day_fn fn, void *ctx)
{
	struct db_sink *k = db_of(s);
	sqlite3_stmt *st;
	enum lf_status ret = LF_OK;
	if (!k)
		return LF_ERR_DB;
	int rc = sqlite3_prepare_v2(k->db, "SELECT site, day FROM days WHERE state = 'closed'",
				    -1, &st, NULL);
	while (rc == SQLITE_OK && ret == LF_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct slice site = slice_make((const char *)sqlite3_column_text(st, 0),
					       (size_t)sqlite3_column_bytes(st, 0));
		struct slice day = slice_make((const char *)sqlite3_column_text(st, 1),
					      (size_t)sqlite3_column_bytes(st, 1));
		ret = fn(ctx, site, day);
		rc = SQLITE_OK;
	}
	int rf = sqlite3_finalize(st);
	if (ret != LF_OK)
		return ret;
	if (rc != SQLITE_DONE)
		return db_fail(k, "read database", rf != SQLITE_OK ? rf : rc);
	return LF_OK;
}

enum lf_status db_resume_points(struct sink *s, struct resume_point **out, size_t *n)
{
	struct db_sink *k = db_of(s);
	sqlite3_stmt *st;
	size_t cap = 0;
	*out = NULL;
	*n = 0;
	if (!k)
		return LF_ERR_DB;
	int rc = sqlite3_prepare_v2(k->db,
				    "SELECT fingerprint, fp_bytes, closed_offset, reached_offset,"
				    " closed_line, reached_line FROM resume",
				    -1, &st, NULL);
	while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 64;
			struct resume_point *p = realloc(*out, cap * sizeof(*p));
			if (!p) {
				sqlite3_finalize(st);
				return LF_ERR_NOMEM;
			}
			*out = p;
		}
		uint64_t v[6];
		for (int c = 0; c < 6; c++)
			v[c] = (uint64_t)sqlite3_column_int64(st, c);
		(*out)[(*n)++] = (struct resume_point){ v[0], (uint32_t)v[1], v[2], v[3], v[4], v[5] };
		rc = SQLITE_OK;
	}
	int rf = sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_fail(k, "read database", rf != SQLITE_OK ? rf : rc);
	return LF_OK;
}

/* Run sql with up to 6 integer parameters. */
static enum lf_status db_exec_ints(struct db_sink *k, const char *sql, const uint64_t *v, int n)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(k->db, sql, -1, &st, NULL);
	for (int i = 0; i < n && rc == SQLITE_OK; i++)
		rc = sqlite3_bind_int64(st, i + 1, (sqlite3_int64)v[i]);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode(k->db);
	int rf = sqlite3_finalize(st);
	if (rc == SQLITE_OK)
		rc = rf;
	return rc == SQLITE_OK ? LF_OK : db_fail(k, "write to database", rc);
}

enum lf_status db_put_resume(struct sink *s, const struct resume_point *old,
			     const struct resume_point *now)
{
	struct db_sink *k = db_of(s);
	if (!k)
		return LF_ERR_DB;
	enum lf_status st = LF_OK;
	if (old) {
		uint64_t key[2] = { old->fingerprint, old->fp_bytes };
		st = db_exec_ints(k, "DELETE FROM resume WHERE fingerprint = ?1 AND fp_bytes = ?2",
				  key, 2);
	}
	uint64_t v[6] = { now->fingerprint,   now->fp_bytes,    now->closed_offset,
			  now->reached_offset, now->closed_line, now->reached_line };
	if (st == LF_OK)
		st = db_exec_ints(k, "INSERT OR REPLACE INTO resume (fingerprint, fp_bytes,"
				     " closed_offset, reached_offset, closed_line, reached_line)"
				     " VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
				  v, 6);
	return st;
}

enum lf_status db_prune(struct sink *s, const char *before, uint64_t *deleted)
{
	struct db_sink *k = db_of(s);
	char sql[DB_SQL_MAX];
	*deleted = 0;
	if (!k)
		return LF_ERR_DB;
	for (int t = 0; t <= TABLE_COUNT; t++) {
		const char *name = t < TABLE_COUNT ? table_defs[t].name : "runs";
		const char *col = t < TABLE_COUNT ? table_defs[t].cols[1].name : "started";
		sqlite3_stmt *st;
		/* An hour 'YYYY-MM-DDTHH' sorts after its day's 'YYYY-MM-DD' and
		 * before the next day's: the same comparison serves both. */
		snprintf(sql, sizeof(sql), "DELETE FROM %s WHERE %s < ?1", name, col);
		int rc = sqlite3_prepare_v2(k->db, sql, -1, &st, NULL);
		if (rc == SQLITE_OK)
			rc = bind_slice(st, 1, slice_cstr(before));
		if (rc == SQLITE_OK)
			rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode(k->db);
		int rf = sqlite3_finalize(st);
		if (rc == SQLITE_OK)
			rc = rf;
		if (rc != SQLITE_OK)
			return db_fail(k, "prune database", rc);
		*deleted += (uint64_t)sqlite3_changes(k->db);
	}
	return LF_OK;
}

/* The statement that adds one row of table t into the same table here:
 * key columns (the primary key, from the schema) match, other INTEGER
 * columns add (counts, buckets, sums), a max_* column takes the larger,
 * and a day's state stays 'open' unless both say 'closed' (max: 'closed'
 * < 'open'). Derived columns (percentiles) are not stored: SQLite
 * computes them from the merged buckets in a view. *ncols is the number of parameters, in the
 * schema's column order, which is also SELECT *'s order. */
static enum lf_status merge_sql(struct db_sink *k, const struct table_def *t, char *sql,
				size_t cap, int *ncols)
{
	sqlite3_stmt *st;
	char cols[DB_SQL_MAX] = "", vals[DB_SQL_MAX] = "", keys[DB_SQL_MAX] = "";
	char set[2 * DB_SQL_MAX] = "";
	size_t nc = 0, nv = 0, nk = 0, ns = 0, n = 0;
	*ncols = 0;
	int rc = sqlite3_prepare_v2(k->db, "SELECT name, pk FROM pragma_table_info(?1)", -1, &st,
				    NULL);
	if (rc == SQLITE_OK)
		rc = bind_slice(st, 1, slice_cstr(t->name));
	while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *c = (const char *)sqlite3_column_text(st, 0);
		const char *sep = *ncols ? ", " : "";
		++*ncols;
		append(cols, sizeof(cols), &nc, "%s%s", sep, c);
		append(vals, sizeof(vals), &nv, "%s?%d", sep, *ncols);
		if (sqlite3_column_int(st, 1) > 0)
			append(keys, sizeof(keys), &nk, "%s%s", nk ? ", " : "", c);
		else if (strcmp(c, "state") == 0 || strncmp(c, "max_", 4) == 0)
			append(set, sizeof(set), &ns, "%s%s = max(%s, excluded.%s)", ns ? ", " : "",
			       c, c, c);
		else
			append(set, sizeof(set), &ns, "%s%s = %s + excluded.%s", ns ? ", " : "", c,
			       c, c);
		rc = SQLITE_OK;
	}
	int rf = sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_fail(k, "read database", rf != SQLITE_OK ? rf : rc);
	append(sql, cap, &n, "INSERT INTO %s (%s) VALUES (%s) ON CONFLICT (%s) DO UPDATE SET %s",
	       t->name, cols, vals, keys, set);
	if (nc >= sizeof(cols) || nv >= sizeof(vals) || nk >= sizeof(keys) || ns >= sizeof(set) ||
	    n >= cap)
		return db_fail_msg(k, "merge into database", "a table with too many columns");
	return LF_OK;
}

/* Add every row of table t of src into k's. */
static enum lf_status merge_table(struct db_sink *k, sqlite3 *src, const struct table_def *t)
{
	char sql[6 * DB_SQL_MAX];
	sqlite3_stmt *sel = NULL, *ins = NULL;
	int ncols, rc;
	enum lf_status ret = merge_sql(k, t, sql, sizeof(sql), &ncols);
	if (ret != LF_OK)
		return ret;
	rc = sqlite3_prepare_v2(k->db, sql, -1, &ins, NULL);
	if (rc != SQLITE_OK) {
		ret = db_fail(k, "merge into database", rc);
		goto out;
	}
	snprintf(sql, sizeof(sql), "SELECT * FROM %s", t->name);
	rc = sqlite3_prepare_v2(src, sql, -1, &sel, NULL);
	while (rc == SQLITE_OK && (rc = sqlite3_step(sel)) == SQLITE_ROW) {
		for (int c = 0; c < ncols && rc == SQLITE_ROW; c++)
			if (sqlite3_bind_value(ins, c + 1, sqlite3_column_value(sel, c)) != SQLITE_OK)
				rc = SQLITE_ERROR;
		if (rc == SQLITE_ROW && step_reset(ins) != SQLITE_OK) {
			ret = db_fail(k, "merge into database", sqlite3_errcode(k->db));
			goto out;
		}
		rc = SQLITE_OK;
	}
	if (rc != SQLITE_DONE)
		ret = db_fail_msg(k, "read database", sqlite3_errmsg(src));
out:
	sqlite3_finalize(sel);
	sqlite3_finalize(ins);
	return ret;
}

enum lf_status db_merge(struct sink *s, const char *in_path)
{
	struct db_sink *k = db_of(s);
	sqlite3 *src = NULL;
	long long version = -1;
	enum lf_status ret = LF_OK;
	char why[PATH_MAX_MSG];
	if (!k)
		return LF_ERR_DB;
	int rc = sqlite3_open_v2(in_path, &src, SQLITE_OPEN_READONLY, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_busy_timeout(src, k->wait_ms);
		rc = query_int(src, "PRAGMA user_version", &version);
	}
	if (rc != SQLITE_OK) {
		snprintf(why, sizeof(why), "cannot read '%s': %s", in_path, db_cause(src, rc));
		ret = db_fail_msg(k, "merge into database", why);
	} else if (version != DB_SCHEMA_VERSION) {
		snprintf(why, sizeof(why), "'%s' has schema version %lld, this logfold's is %d",
			 in_path, version, DB_SCHEMA_VERSION);
		ret = db_fail_msg(k, "merge into database", why);
	}
	/* One read transaction: the tables come from one state of src. */
	if (ret == LF_OK)
		rc = sqlite3_exec(src, "BEGIN", NULL, NULL, NULL);
	for (int t = 0; t < TABLE_COUNT && ret == LF_OK; t++)
		ret = merge_table(k, src, &table_defs[t]);
	sqlite3_close(src);
	return ret;
}

static const struct sink_ops db_ops = {
	.write_day = db_write_day,
	.write_run = db_write_run,
	.commit = db_commit,
	.close = db_close,
};

enum lf_status db_open(struct sink **out, const char *path, int wait_s, char *errbuf,
		       size_t errlen)
{
	return db_open_stop(out, path, wait_s, NULL, errbuf, errlen);
}

enum lf_status db_open_stop(struct sink **out, const char *path, int wait_s,
			    const volatile sig_atomic_t *stop, char *errbuf, size_t errlen)
{
	size_t n = strlen(path);
	struct db_sink *k = calloc(1, sizeof(*k) + n + 1);
	enum lf_status st;

	if (!k) {
		format_error(errbuf, errlen, "open database", path, strerror(ENOMEM));
		return LF_ERR_NOMEM;
	}
	memcpy(k->path, path, n + 1);
	k->wait_ms = wait_s * 1000;
	k->stop = stop;
	k->base.ops = &db_ops;
	k->base.where = k->path;
	st = db_start(k);
	if (st != LF_OK) {
		if (errlen)
			snprintf(errbuf, errlen, "%s", k->base.err);
		db_close(&k->base);
		return st;
	}
	*out = &k->base;
	return LF_OK;
}
