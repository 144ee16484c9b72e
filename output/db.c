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

#include <sqlite3.h>

#include "../common/civil.h"
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
	/* 8 -> 9: nightly state without raw bytes (issue 14). days keeps the
	 * K and the mask each day was computed with (NULL: written before,
	 * unknown). resume no longer keeps a hash of the raw start and byte
	 * offsets: an input is known by the fingerprint of its first lines'
	 * signatures (values the tables may hold: parsers/input/resume.h),
	 * positions are line numbers, and a point knows the days it holds, so
	 * that retention deletes it with them. The old rows cannot be matched
	 * by the new scheme: dropped (see the README on the first run after). */
	"ALTER TABLE days ADD COLUMN min_visitors INTEGER;"
	"ALTER TABLE days ADD COLUMN mask_bytes INTEGER;"
	"DROP TABLE resume;"
	"CREATE TABLE resume ("
	" fingerprint INTEGER NOT NULL," /* of the first fp_lines lines' signatures */
	" fp_lines INTEGER NOT NULL,"
	" name TEXT NOT NULL," /* as given: access.log, (stdin) */
	" closed_line INTEGER NOT NULL," /* lines before it: closed days */
	" reached_line INTEGER NOT NULL," /* lines read */
	" first_day TEXT NOT NULL," /* 'YYYY-MM-DD': of its dated lines */
	" last_day TEXT NOT NULL,"
	" PRIMARY KEY (fp_lines, fingerprint)"
	") WITHOUT ROWID;"
	"CREATE TABLE resume_days (" /* the days an input holds still open */
	" fingerprint INTEGER NOT NULL,"
	" fp_lines INTEGER NOT NULL,"
	" site TEXT NOT NULL,"
	" day TEXT NOT NULL,"
	" PRIMARY KEY (fp_lines, fingerprint, site, day)"
	") WITHOUT ROWID;"
	"PRAGMA user_version = 9;",
};

_Static_assert(sizeof(migrations) / sizeof(migrations[0]) == DB_SCHEMA_VERSION,
	       "one migration per schema version");
_Static_assert(SKIP_NREASONS == 10,
	       "a new skip reason is a new runs column: add a migration and sql_ins_run");

/* A message naming a path and a cause. */
#define PATH_MAX_MSG 512

/* Longest statement built from a table_def: names are short literals. */
#define DB_SQL_MAX 1024

/* The rollback journal holds, during a transaction, the pages it changes
 * as they were: rows a run deletes (a replaced day, retention, prune)
 * included. TRUNCATE cuts it to zero length at each commit, so no file
 * beside the database holds them once a run is over; secure_delete zeroes
 * them in the database itself. Chosen over WAL (its frames keep page
 * images until the file is reset, and secure_delete does not reach them),
 * MEMORY and OFF (a crash mid-run would corrupt the database: a run must
 * leave it as before or fully updated) and PERSIST (keeps the pages in the
 * file, its header zeroed). Set at every open: a database another program
 * left in WAL mode is taken out of it. */
#define DB_JOURNAL_MODE "truncate"

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
	long long found_version; /* user_version before any migration */
	int wait_ms;    /* busy timeout */
	char path[];    /* base.where points here */
};

/* Why the last call on db failed, in SQLite's words, except that a file
 * that cannot be opened gets the system's ("Permission denied" rather than
 * "unable to open database file"). Only then: for a failed write SQLite
 * reads errno after its own clean-up, so sqlite3_system_errno() is 0 or
 * stale, and "disk I/O error" / "database or disk is full" are truer. */
static const char *db_cause(sqlite3 *db, int rc)
{
	if (!db)
		return sqlite3_errstr(rc);
	if ((rc & 0xff) == SQLITE_CANTOPEN && sqlite3_system_errno(db))
		return strerror(sqlite3_system_errno(db));
	return sqlite3_errmsg(db);
}

static enum lf_status db_fail_msg(struct db_sink *k, const char *verb, const char *cause)
{
	format_error(k->base.err, sizeof(k->base.err), verb, k->path, cause);
	k->failed = LF_ERR_DB;
	return LF_ERR_DB;
}

static enum lf_status db_fail(struct db_sink *k, const char *verb, int rc)
{
	char why[128];
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

/* Run a one-value query whose value is text, into buf (cap bytes). */
static int query_text(sqlite3 *db, const char *sql, char *buf, size_t cap)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
	if (rc != SQLITE_OK)
		return rc;
	buf[0] = '\0';
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		snprintf(buf, cap, "%s", (const char *)sqlite3_column_text(st, 0));
	return sqlite3_finalize(st);
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
	k->found_version = version;
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

/* Open the connection, turn secure_delete on, take the write lock, make
 * sure of the schema and prepare the statements every run uses. */
static enum lf_status db_start(struct db_sink *k)
{
	long long secure = 0;
	char mode[16] = "";
	/* NOMUTEX: the connection is only ever used by one thread at a time
	 * (the day writer's, or the main thread's while the writer is idle),
	 * and the serialized mode locks around every call. */
	int rc = sqlite3_open_v2(k->path, &k->db,
				 SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
	enum lf_status st;

	if (rc != SQLITE_OK)
		return db_fail(k, "open database", rc);
	sqlite3_extended_result_codes(k->db, 1);
	sqlite3_busy_timeout(k->db, k->wait_ms);
	rc = sqlite3_create_module(k->db, DB_VTAB, &day_module, k);
	if (rc == SQLITE_OK)
		rc = query_int(k->db, "PRAGMA secure_delete = ON", &secure);
	if (rc == SQLITE_OK && secure != 1)
		return db_fail_msg(k, "open database", "secure_delete is not available");
	if (rc == SQLITE_OK)
		rc = query_text(k->db, "PRAGMA journal_mode = " DB_JOURNAL_MODE, mode, sizeof(mode));
	if (rc == SQLITE_OK && strcmp(mode, DB_JOURNAL_MODE) != 0)
		return db_fail_msg(k, "open database",
				   "cannot leave WAL mode (another program has it open)");
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

/* After a commit: when more than a quarter of the file is free pages (rows
 * pruned or replaced), rewrite it so the file shrinks. secure_delete has
 * already zeroed the freed pages; VACUUM is atomic like any transaction. */
static enum lf_status db_vacuum(struct db_sink *k)
{
	long long free_pages = 0, pages = 0;
	int rc = query_int(k->db, "PRAGMA freelist_count", &free_pages);
	if (rc == SQLITE_OK)
		rc = query_int(k->db, "PRAGMA page_count", &pages);
	if (rc == SQLITE_OK && free_pages * 4 > pages)
		rc = sqlite3_exec(k->db, "VACUUM", NULL, NULL, NULL);
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
	return db_vacuum(k);
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

static const struct sink_ops db_ops;

/* ---- what a run reads back, and what it keeps between runs ---------- */

/* k, when s is a database sink and usable; NULL otherwise. */
static struct db_sink *db_of(struct sink *s)
{
	struct db_sink *k = (struct db_sink *)s;
	return s && s->ops == &db_ops && !k->failed ? k : NULL;
}

/* A statement's parameters: text or integers, in order. */
struct db_arg {
	bool text;
	struct slice s;
	int64_t i;
};

#define DB_TEXT(x) ((struct db_arg){ true, (x), 0 })
#define DB_INT(x) ((struct db_arg){ false, { NULL, 0 }, (int64_t)(x) })

/* Prepare sql and bind its n parameters. */
static int db_prepare_args(struct db_sink *k, const char *sql, const struct db_arg *a, int n,
			   sqlite3_stmt **st)
{
	int rc = sqlite3_prepare_v2(k->db, sql, -1, st, NULL);
	for (int i = 0; i < n && rc == SQLITE_OK; i++)
		rc = a[i].text ? bind_slice(*st, i + 1, a[i].s)
			       : sqlite3_bind_int64(*st, i + 1, (sqlite3_int64)a[i].i);
	return rc;
}

/* Run a statement that returns no row; *changes (when not NULL) adds the
 * rows it changed. */
static enum lf_status db_run(struct db_sink *k, const char *verb, const char *sql,
			     const struct db_arg *a, int n, uint64_t *changes)
{
	sqlite3_stmt *st = NULL;
	int rc = db_prepare_args(k, sql, a, n, &st);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode(k->db);
	int rf = sqlite3_finalize(st);
	if (rc == SQLITE_OK)
		rc = rf;
	if (rc != SQLITE_OK)
		return db_fail(k, verb, rc);
	if (changes)
		*changes += (uint64_t)sqlite3_changes(k->db);
	return LF_OK;
}

/* Column c of the current row as a slice (never NULL). */
static struct slice col_slice(sqlite3_stmt *st, int c)
{
	const char *p = (const char *)sqlite3_column_text(st, c);
	return slice_make(p ? p : "", p ? (size_t)sqlite3_column_bytes(st, c) : 0);
}

long long db_schema_found(const struct sink *s)
{
	return ((const struct db_sink *)s)->found_version;
}

enum lf_status db_days(struct sink *s, db_day_fn fn, void *ctx)
{
	struct db_sink *k = db_of(s);
	sqlite3_stmt *st;
	enum lf_status ret = LF_OK;
	if (!k)
		return LF_ERR_DB;
	int rc = sqlite3_prepare_v2(k->db,
				    "SELECT site, day, state = 'closed', coalesce(min_visitors, -1),"
				    " coalesce(mask_bytes, -1) FROM days",
				    -1, &st, NULL);
	while (rc == SQLITE_OK && ret == LF_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct db_day d = { col_slice(st, 0), col_slice(st, 1), sqlite3_column_int(st, 2),
				    sqlite3_column_int64(st, 3), sqlite3_column_int64(st, 4) };
		ret = fn(ctx, &d);
		rc = SQLITE_OK;
	}
	int rf = sqlite3_finalize(st);
	if (ret != LF_OK)
		return ret;
	if (rc != SQLITE_DONE)
		return db_fail(k, "read database", rf != SQLITE_OK ? rf : rc);
	return LF_OK;
}

/* Free a string db_resume_load made (its rows hold them as const). */
static void free_str(const char *p)
{
	free((void *)(uintptr_t)p);
}

void db_resume_free(struct db_resume *rows, size_t n)
{
	for (size_t i = 0; rows && i < n; i++) {
		for (size_t d = 0; d < rows[i].nopen; d++)
			free_str(rows[i].open[d].site);
		free(rows[i].open);
		free_str(rows[i].name);
	}
	free(rows);
}

/* A day column ('YYYY-MM-DD') as a day number; INT32_MIN when it is not one. */
static int32_t col_day(sqlite3_stmt *st, int c)
{
	struct slice t = col_slice(st, c);
	int32_t d;
	return day_parse(t.p, t.n, &d) ? d : INT32_MIN;
}

/* The row of rows[0..n) with key (fingerprint, fp_lines), or NULL. */
static struct db_resume *find_row(struct db_resume *rows, size_t n, uint64_t fp, uint32_t lines)
{
	for (size_t i = 0; i < n; i++)
		if (rows[i].fingerprint == fp && rows[i].fp_lines == lines)
			return &rows[i];
	return NULL;
}

/* Append (site, day) to the open days of r. */
static bool add_open(struct db_resume *r, struct slice site, int32_t day)
{
	struct db_open_day *o = realloc(r->open, (r->nopen + 1) * sizeof(*o));
	if (!o)
		return false;
	r->open = o;
	char *copy = strndup(site.p, site.n);
	if (!copy)
		return false;
	o[r->nopen++] = (struct db_open_day){ copy, day };
	return true;
}

/* The rows of resume into *out (*n), with their names. */
static enum lf_status load_points(struct db_sink *k, struct db_resume **out, size_t *n)
{
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc = sqlite3_prepare_v2(k->db,
				    "SELECT fingerprint, fp_lines, name, closed_line, reached_line,"
				    " first_day, last_day FROM resume ORDER BY 2, 1",
				    -1, &st, NULL);
	while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 64;
			struct db_resume *p = realloc(*out, cap * sizeof(*p));
			if (!p) {
				sqlite3_finalize(st);
				return LF_ERR_NOMEM;
			}
			*out = p;
		}
		struct slice name = col_slice(st, 2);
		struct db_resume *r = &(*out)[*n];
		*r = (struct db_resume){ (uint64_t)sqlite3_column_int64(st, 0),
					 (uint32_t)sqlite3_column_int64(st, 1),
					 strndup(name.p, name.n),
					 (uint64_t)sqlite3_column_int64(st, 3),
					 (uint64_t)sqlite3_column_int64(st, 4),
					 col_day(st, 5), col_day(st, 6), NULL, 0 };
		if (!r->name) {
			sqlite3_finalize(st);
			return LF_ERR_NOMEM;
		}
		++*n;
		rc = SQLITE_OK;
	}
	int rf = sqlite3_finalize(st);
	return rc == SQLITE_DONE ? LF_OK : db_fail(k, "read database", rf != SQLITE_OK ? rf : rc);
}

/* The rows of resume_days, each to its point. */
static enum lf_status load_open_days(struct db_sink *k, struct db_resume *rows, size_t n)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(k->db, "SELECT fingerprint, fp_lines, site, day FROM resume_days",
				    -1, &st, NULL);
	while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct db_resume *r = find_row(rows, n, (uint64_t)sqlite3_column_int64(st, 0),
					       (uint32_t)sqlite3_column_int64(st, 1));
		int32_t day = col_day(st, 3);
		if (r && day != INT32_MIN && !add_open(r, col_slice(st, 2), day)) {
			sqlite3_finalize(st);
			return LF_ERR_NOMEM;
		}
		rc = SQLITE_OK;
	}
	int rf = sqlite3_finalize(st);
	return rc == SQLITE_DONE ? LF_OK : db_fail(k, "read database", rf != SQLITE_OK ? rf : rc);
}

enum lf_status db_resume_load(struct sink *s, struct db_resume **out, size_t *n)
{
	struct db_sink *k = db_of(s);
	*out = NULL;
	*n = 0;
	if (!k)
		return LF_ERR_DB;
	enum lf_status st = load_points(k, out, n);
	if (st == LF_OK)
		st = load_open_days(k, *out, *n);
	if (st != LF_OK) {
		db_resume_free(*out, *n);
		*out = NULL;
		*n = 0;
	}
	return st;
}

/* Delete the point with key (fp, lines) and its open days. */
static enum lf_status drop_point(struct db_sink *k, uint64_t fp, uint32_t lines)
{
	struct db_arg key[2] = { DB_INT(fp), DB_INT(lines) };
	enum lf_status st = db_run(k, "write to database",
				   "DELETE FROM resume WHERE fingerprint = ?1 AND fp_lines = ?2", key, 2,
				   NULL);
	if (st == LF_OK)
		st = db_run(k, "write to database",
			    "DELETE FROM resume_days WHERE fingerprint = ?1 AND fp_lines = ?2", key, 2,
			    NULL);
	return st;
}

enum lf_status db_resume_put(struct sink *s, const struct db_resume *old,
			     const struct db_resume *now)
{
	struct db_sink *k = db_of(s);
	char first[11], last[11], day[11];
	if (!k)
		return LF_ERR_DB;
	enum lf_status st = old ? drop_point(k, old->fingerprint, old->fp_lines) : LF_OK;
	if (st == LF_OK)
		st = drop_point(k, now->fingerprint, now->fp_lines);
	day_format(now->first_day, first);
	day_format(now->last_day, last);
	struct db_arg v[7] = { DB_INT(now->fingerprint), DB_INT(now->fp_lines),
			       DB_TEXT(slice_cstr(now->name)), DB_INT(now->closed_line),
			       DB_INT(now->reached_line), DB_TEXT(slice_cstr(first)),
			       DB_TEXT(slice_cstr(last)) };
	if (st == LF_OK)
		st = db_run(k, "write to database",
			    "INSERT INTO resume (fingerprint, fp_lines, name, closed_line,"
			    " reached_line, first_day, last_day) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
			    v, 7, NULL);
	for (size_t i = 0; i < now->nopen && st == LF_OK; i++) {
		day_format(now->open[i].day, day);
		struct db_arg o[4] = { DB_INT(now->fingerprint), DB_INT(now->fp_lines),
				       DB_TEXT(slice_cstr(now->open[i].site)),
				       DB_TEXT(slice_cstr(day)) };
		st = db_run(k, "write to database",
			    "INSERT OR IGNORE INTO resume_days (fingerprint, fp_lines, site, day)"
			    " VALUES (?1, ?2, ?3, ?4)",
			    o, 4, NULL);
	}
	return st;
}

enum lf_status db_close_day(struct sink *s, struct slice site, const char *day)
{
	struct db_sink *k = db_of(s);
	struct db_arg a[2] = { DB_TEXT(site), DB_TEXT(slice_cstr(day)) };
	if (!k)
		return LF_ERR_DB;
	return db_run(k, "write to database",
		      "UPDATE days SET state = 'closed' WHERE site = ?1 AND day = ?2"
		      " AND state = 'open'",
		      a, 2, NULL);
}

enum lf_status db_prune(struct sink *s, const char *before, uint64_t *deleted)
{
	struct db_sink *k = db_of(s);
	char sql[DB_SQL_MAX];
	struct db_arg b = DB_TEXT(slice_cstr(before));
	enum lf_status st = LF_OK;
	*deleted = 0;
	if (!k)
		return LF_ERR_DB;
	for (int t = 0; t <= TABLE_COUNT && st == LF_OK; t++) {
		const char *name = t < TABLE_COUNT ? table_defs[t].name : "runs";
		const char *col = t < TABLE_COUNT ? table_defs[t].cols[1].name : "started";
		/* An hour 'YYYY-MM-DDTHH' sorts after its day's 'YYYY-MM-DD' and
		 * before the next day's: the same comparison serves both. */
		snprintf(sql, sizeof(sql), "DELETE FROM %s WHERE %s < ?1", name, col);
		st = db_run(k, "prune database", sql, &b, 1, deleted);
	}
	/* A point goes with the last of its days: until then it is what keeps
	 * the input's later days from being counted twice. */
	if (st == LF_OK)
		st = db_run(k, "prune database", "DELETE FROM resume WHERE last_day < ?1", &b, 1, NULL);
	if (st == LF_OK)
		st = db_run(k, "prune database",
			    "DELETE FROM resume_days WHERE day < ?1 OR NOT EXISTS (SELECT 1 FROM"
			    " resume r WHERE r.fingerprint = resume_days.fingerprint AND"
			    " r.fp_lines = resume_days.fp_lines)",
			    &b, 1, NULL);
	return st;
}

enum lf_status db_prune_day(struct sink *s, const char *day, const char *site,
			    uint64_t *deleted, uint64_t *days)
{
	struct db_sink *k = db_of(s);
	char sql[DB_SQL_MAX];
	/* ?1: the site (any when "" and no site is named); ?2: the day. */
	struct db_arg a[2] = { DB_TEXT(slice_cstr(site ? site : "")), DB_TEXT(slice_cstr(day)) };
	const char *which = site ? "site = ?1 AND" : "?1 = ?1 AND";
	enum lf_status st = LF_OK;
	*deleted = *days = 0;
	if (!k)
		return LF_ERR_DB;
	for (int t = 0; t < TABLE_COUNT && st == LF_OK; t++) {
		if (t == TABLE_DAYS)
			continue;
		if (table_defs[t].hourly)
			snprintf(sql, sizeof(sql),
				 "DELETE FROM %s WHERE %s hour > ?2 AND hour < ?2 || 'U'",
				 table_defs[t].name, which);
		else
			snprintf(sql, sizeof(sql), "DELETE FROM %s WHERE %s day = ?2",
				 table_defs[t].name, which);
		st = db_run(k, "prune database", sql, a, 2, deleted);
	}
	/* An open day goes whole, and no input holds it any more: the next
	 * run writes it from the inputs it is given. A closed one stays,
	 * closed, with no rows and K and mask 0: a run does not count its
	 * lines again (they are late), and --rebuild writes it anew with any
	 * K and mask. */
	snprintf(sql, sizeof(sql), "DELETE FROM resume_days WHERE %s day = ?2 AND (site, day) IN"
		 " (SELECT site, day FROM days WHERE state = 'open')", which);
	if (st == LF_OK)
		st = db_run(k, "prune database", sql, a, 2, NULL);
	snprintf(sql, sizeof(sql), "DELETE FROM days WHERE %s day = ?2 AND state = 'open'", which);
	if (st == LF_OK)
		st = db_run(k, "prune database", sql, a, 2, days);
	snprintf(sql, sizeof(sql),
		 "UPDATE days SET min_visitors = 0, mask_bytes = 0 WHERE %s day = ?2", which);
	if (st == LF_OK)
		st = db_run(k, "prune database", sql, a, 2, days);
	return st;
}

/* The statement that adds one row of table t into the same table here:
 * key columns (the primary key, from the schema) match, other INTEGER
 * columns add (counts, buckets, sums), a max_* column takes the larger,
 * and a day's state stays 'open' unless both say 'closed' (max: 'closed'
 * < 'open'); its min_visitors and mask_bytes take the smaller, the weaker
 * protection of the two (NULL, unknown, stays unknown). Derived columns (percentiles) are not stored: SQLite
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
		else if (strcmp(c, "min_visitors") == 0 || strcmp(c, "mask_bytes") == 0)
			append(set, sizeof(set), &ns, "%s%s = min(%s, excluded.%s)", ns ? ", " : "",
			       c, c, c); /* the weaker of the two protections */
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
	size_t n = strlen(path);
	struct db_sink *k = calloc(1, sizeof(*k) + n + 1);
	enum lf_status st;

	if (!k) {
		format_error(errbuf, errlen, "open database", path, strerror(ENOMEM));
		return LF_ERR_NOMEM;
	}
	memcpy(k->path, path, n + 1);
	k->wait_ms = wait_s * 1000;
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
