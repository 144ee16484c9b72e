/*
 * db.c - the SQLite sink: schema creation and migration, one transaction per
 * run, a day replaced as a unit in every per-day table, statements built
 * once from table_defs and reused for every row. It is the only file that
 * includes sqlite3.h.
 *
 * It reads back what a run needs before it reads its inputs (the days
 * already closed, the resume points) and, for the CSV export, every row;
 * it merges other logfold databases (each source's rows kept apart, each
 * day their sum). It does not wait for a busy database beyond the
 * caller's wait, and never prints: every failure is a status and a
 * message in sink->err, naming the database it is about.
 */
#include "db.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "../common/civil.h"
#include "cells.h"

/*
 * The percentile estimate of aggregate/load.h in SQL, for the view
 * load_hourly_stats (test_output checks that it agrees with
 * load_percentile()): the running counts c0..c11 of a row's buckets, then
 * for percentile Q (rank rQ) the first bucket whose running count reaches
 * the rank, interpolated between its bounds capped at max_ms. Used by the
 * migrations from 9 on (the older ones spell the same text out).
 */
#define LOAD_RUNNING                                                                          \
	"  le_10 AS c0,"                                                                      \
	"  le_10 + le_25 AS c1,"                                                              \
	"  le_10 + le_25 + le_50 AS c2,"                                                      \
	"  le_10 + le_25 + le_50 + le_100 AS c3,"                                             \
	"  le_10 + le_25 + le_50 + le_100 + le_250 AS c4,"                                    \
	"  le_10 + le_25 + le_50 + le_100 + le_250 + le_500 AS c5,"                           \
	"  le_10 + le_25 + le_50 + le_100 + le_250 + le_500 + le_1000 AS c6,"                 \
	"  le_10 + le_25 + le_50 + le_100 + le_250 + le_500 + le_1000 + le_2500 AS c7,"       \
	"  le_10 + le_25 + le_50 + le_100 + le_250 + le_500 + le_1000 + le_2500 + le_5000"    \
	"  AS c8,"                                                                            \
	"  le_10 + le_25 + le_50 + le_100 + le_250 + le_500 + le_1000 + le_2500 + le_5000"    \
	"  + le_10000 AS c9,"                                                                 \
	"  le_10 + le_25 + le_50 + le_100 + le_250 + le_500 + le_1000 + le_2500 + le_5000"    \
	"  + le_10000 + le_25000 AS c10,"                                                     \
	"  le_10 + le_25 + le_50 + le_100 + le_250 + le_500 + le_1000 + le_2500 + le_5000"    \
	"  + le_10000 + le_25000 + le_60000 AS c11,"
/* The bucket of running count C (its count COL, the running count before
 * it PREV), bounds LO and HI. */
#define LOAD_WHEN(Q, C, PREV, LO, HI, COL)                                                    \
	"   WHEN " C " >= r" Q " THEN CAST(min(" LO ", max_ms) + (min(" HI ", max_ms) - min(" LO \
	", max_ms)) * ((r" Q " - " PREV ") / " COL ") + 0.5 AS INTEGER)"
#define LOAD_PCT_CASES(Q)                                                                     \
	LOAD_WHEN(Q, "c0", "0", "0", "10", "le_10")                                           \
	LOAD_WHEN(Q, "c1", "c0", "10", "25", "le_25")                                         \
	LOAD_WHEN(Q, "c2", "c1", "25", "50", "le_50")                                         \
	LOAD_WHEN(Q, "c3", "c2", "50", "100", "le_100")                                       \
	LOAD_WHEN(Q, "c4", "c3", "100", "250", "le_250")                                      \
	LOAD_WHEN(Q, "c5", "c4", "250", "500", "le_500")                                      \
	LOAD_WHEN(Q, "c6", "c5", "500", "1000", "le_1000")                                    \
	LOAD_WHEN(Q, "c7", "c6", "1000", "2500", "le_2500")                                   \
	LOAD_WHEN(Q, "c8", "c7", "2500", "5000", "le_5000")                                   \
	LOAD_WHEN(Q, "c9", "c8", "5000", "10000", "le_10000")                                 \
	LOAD_WHEN(Q, "c10", "c9", "10000", "25000", "le_25000")                               \
	LOAD_WHEN(Q, "c11", "c10", "25000", "60000", "le_60000")                              \
	"   ELSE CAST(min(60000, max_ms) + (max_ms - min(60000, max_ms)) * ((r" Q " - c11)"   \
	" / gt_60000) + 0.5 AS INTEGER)"                                                      \
	"  END AS p" Q "_ms"
/* As the view of schema 9 computed it (its text is kept as it was). */
#define LOAD_PCT(Q) "  CASE" LOAD_PCT_CASES(Q)
/* From schema 12 on: a row of one sample gives that sample (max_ms) for
 * every percentile, as load_percentile() does (issue 15). */
#define LOAD_PCT_ONE(Q) "  CASE   WHEN n = 1 THEN max_ms" LOAD_PCT_CASES(Q)

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
	/* 8 -> 9: the small-cell rule on every table finer than a page-day or
	 * made of beacon data (issue 14): the visitors of each load_hourly and
	 * engagement_daily row (0 in rows written before: not counted then),
	 * and the view again, with them. */
	"ALTER TABLE load_hourly ADD COLUMN visitors INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE engagement_daily ADD COLUMN visitors INTEGER NOT NULL DEFAULT 0;"
	"DROP VIEW load_hourly_stats;"
	"CREATE VIEW load_hourly_stats AS"
	" WITH c AS (SELECT *," LOAD_RUNNING
	"  n * 50 / 100.0 AS r50, n * 75 / 100.0 AS r75, n * 95 / 100.0 AS r95"
	"  FROM load_hourly)"
	" SELECT site, hour, page, source, n, sum_ms, max_ms,"
	"  le_10, le_25, le_50, le_100, le_250, le_500, le_1000,"
	"  le_2500, le_5000, le_10000, le_25000, le_60000, gt_60000, visitors,"
	LOAD_PCT("50") "," LOAD_PCT("75") "," LOAD_PCT("95")
	" FROM c;"
	"PRAGMA user_version = 9;",
	/* 9 -> 10: merge replaces instead of adding (issue 15). database_id
	 * holds this database's own id, one row: 63 random bits that
	 * db_own_id draws (getrandom) in the transaction that creates the
	 * table, derived from nothing, kept by every later migration.
	 * merge_sources says which (site, day) of which source database a
	 * merge keeps here; each source's rows are kept in merge_TABLE
	 * (TABLE's columns and source_id), made by the first merge. */
	"CREATE TABLE database_id (id INTEGER NOT NULL);"
	"CREATE TABLE merge_sources ("
	" site TEXT NOT NULL,"
	" day TEXT NOT NULL,"
	" source_id INTEGER NOT NULL," /* the source's database_id */
	" PRIMARY KEY (site, day, source_id)"
	") WITHOUT ROWID;"
	"PRAGMA user_version = 10;",
	/* 10 -> 11: the site's own totals and breakdowns (issue 16): a visitor
	 * who reads three pages is one visitor of the site, which no sum of
	 * page_daily can give. Days written before have no rows here (their
	 * visitors cannot be told apart any more); the report says so. */
	"CREATE TABLE site_daily ("
	" site TEXT NOT NULL,"
	" day TEXT NOT NULL,"
	" pageviews INTEGER NOT NULL,"
	" visitors INTEGER NOT NULL,"
	" visits INTEGER NOT NULL,"
	" bounces INTEGER NOT NULL,"
	" time_on_page_s INTEGER NOT NULL,"
	" time_on_page_n INTEGER NOT NULL,"
	" PRIMARY KEY (site, day)"
	") WITHOUT ROWID;"
	"CREATE TABLE site_breakdown_daily ("
	" site TEXT NOT NULL,"
	" day TEXT NOT NULL,"
	" dimension TEXT NOT NULL,"
	" value TEXT NOT NULL,"
	" pageviews INTEGER NOT NULL,"
	" visitors INTEGER NOT NULL,"
	" PRIMARY KEY (site, day, dimension, value)"
	") WITHOUT ROWID;"
	"PRAGMA user_version = 11;",
	/* 11 -> 12: load_hourly_stats gives a row of one sample that sample
	 * (issue 15: it said p50 101 ms for a single 102 ms). Only the CASEs
	 * change. */
	"DROP VIEW load_hourly_stats;"
	"CREATE VIEW load_hourly_stats AS"
	" WITH c AS (SELECT *," LOAD_RUNNING
	"  n * 50 / 100.0 AS r50, n * 75 / 100.0 AS r75, n * 95 / 100.0 AS r95"
	"  FROM load_hourly)"
	" SELECT site, hour, page, source, n, sum_ms, max_ms,"
	"  le_10, le_25, le_50, le_100, le_250, le_500, le_1000,"
	"  le_2500, le_5000, le_10000, le_25000, le_60000, gt_60000, visitors,"
	LOAD_PCT_ONE("50") "," LOAD_PCT_ONE("75") "," LOAD_PCT_ONE("95")
	" FROM c;"
	"PRAGMA user_version = 12;",
	/* 12 -> 13: nightly state without raw bytes (issue 14). days keeps the
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
	"PRAGMA user_version = 13;",
	/* 13 -> 14: --shard I/N (issue 19). shard marks a shard's database,
	 * partial: one row, its I, N and the settings of its runs. shard_sets
	 * holds what a shard keeps beside its unfolded cells for the merge to
	 * fold them (aggregate/shardsets.h); merge_shard_sets, each source's
	 * of them as a merge keeps them; merge_sources says which sources of a
	 * day were shards (NULL: none). */
	"CREATE TABLE shard ("
	" shard_index INTEGER NOT NULL,"
	" shard_count INTEGER NOT NULL,"
	" settings TEXT NOT NULL"
	");"
	"CREATE TABLE shard_sets ("
	" site TEXT NOT NULL,"
	" day TEXT NOT NULL,"
	" table_name TEXT NOT NULL,"
	" page TEXT NOT NULL,"
	" part TEXT NOT NULL," /* the group's dimension, action or source */
	" members TEXT NOT NULL," /* JSON array of values */
	" visitors INTEGER NOT NULL,"
	" PRIMARY KEY (site, day, table_name, page, part, members)"
	") WITHOUT ROWID;"
	"CREATE TABLE merge_shard_sets ("
	" source_id INTEGER NOT NULL,"
	" site TEXT NOT NULL,"
	" day TEXT NOT NULL,"
	" table_name TEXT NOT NULL,"
	" page TEXT NOT NULL,"
	" part TEXT NOT NULL,"
	" members TEXT NOT NULL,"
	" visitors INTEGER NOT NULL,"
	" PRIMARY KEY (site, day, table_name, page, part, source_id, members)"
	") WITHOUT ROWID;"
	"ALTER TABLE merge_sources ADD COLUMN shard_index INTEGER;"
	"ALTER TABLE merge_sources ADD COLUMN shard_count INTEGER;"
	"PRAGMA user_version = 14;",
};

_Static_assert(sizeof(migrations) / sizeof(migrations[0]) == DB_SCHEMA_VERSION,
	       "one migration per schema version");
_Static_assert(SKIP_NREASONS == 10,
	       "a new skip reason is a new runs column: add a migration and sql_ins_run");

const char *db_migration_sql(int v)
{
	return v >= 0 && v < DB_SCHEMA_VERSION ? migrations[v] : NULL;
}

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
 * table and day, no binding. Its columns c0 .. c24 are a row's cells in
 * table_defs order. */
#define DB_VTAB "logfold_day"

static const char sql_ins_run[] =
	"INSERT INTO runs (started, version, inputs, lines, pageviews,"
	" malformed, not_get, status, static, bot, other_site, excluded, not_request,"
	" expired, future, beacon)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)";

struct merge_state;

struct db_sink {
	struct sink base; /* first: a struct sink * is a struct db_sink * */
	sqlite3 *db;
	sqlite3_stmt *del_day[TABLE_COUNT], *ins_day[TABLE_COUNT], *ins_run;
	sqlite3_stmt *has_merged; /* is (site ?1, day ?2) in merge_sources? */
	struct merge_state *merge; /* NULL until a merged day is written */
	int64_t id;                /* database_id */
	const struct day_result *day; /* what logfold_day reads: the day being */
	enum day_table table;         /* written, and its table */
	enum lf_status failed; /* first failure: err keeps its message, commit is refused */
	bool committed;
	int64_t changes_before;  /* the file change counter when the transaction
				  * began (db_change_counter), or -1 */
	long long found_version; /* user_version before any migration */
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
static const char *db_cause(sqlite3 *db, const char *path, int rc)
{
	if (!db)
		return sqlite3_errstr(rc);
	int e = sqlite3_system_errno(db);
	if ((rc & 0xff) == SQLITE_CANTOPEN && e && e != ENOENT)
		return strerror(e);
	/* ENOENT is true when the file itself is not there (a database read,
	 * never made: a merge's input, the report's database) */
	if ((rc & 0xff) == SQLITE_CANTOPEN && e == ENOENT && access(path, F_OK) != 0 &&
	    errno == ENOENT)
		return strerror(ENOENT);
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

/* The database file's change counter (its header's bytes 24..27, big
 * endian), which every committed write transaction increments, read
 * through SQLite's own handle of the file (no other open of it); -1 when
 * it cannot be read (a database in memory, a new empty file). */
static int64_t db_change_counter(sqlite3 *db)
{
	sqlite3_file *f = NULL;
	unsigned char b[4];
	if (sqlite3_file_control(db, "main", SQLITE_FCNTL_FILE_POINTER, &f) != SQLITE_OK || !f ||
	    !f->pMethods || f->pMethods->xRead(f, b, sizeof(b), 24) != SQLITE_OK)
		return -1;
	return (int64_t)b[0] << 24 | (int64_t)b[1] << 16 | (int64_t)b[2] << 8 | b[3];
}

/* Fail with st and "cannot VERB 'PATH': CAUSE": path is the sink's database
 * or, in a merge, the source database the failure is about. */
static enum lf_status db_fail_at(struct db_sink *k, enum lf_status st, const char *verb,
				 const char *path, const char *cause)
{
	format_error(k->base.err, sizeof(k->base.err), verb, path, cause);
	k->failed = st;
	return st;
}

static enum lf_status db_fail_msg(struct db_sink *k, const char *verb, const char *cause)
{
	return db_fail_at(k, LF_ERR_DB, verb, k->path, cause);
}

/* A call on db, the database at path, returned rc. */
static enum lf_status db_fail_on(struct db_sink *k, sqlite3 *db, const char *path,
				 const char *verb, int rc)
{
	char why[128];
	if ((rc & 0xff) != SQLITE_BUSY && (rc & 0xff) != SQLITE_LOCKED)
		return db_fail_at(k, LF_ERR_DB, verb, path, db_cause(db, path, rc));
	snprintf(why, sizeof(why), "another run or program held it for more than %d s (--wait)",
		 k->wait_ms / 1000);
	return db_fail_at(k, LF_ERR_BUSY, verb, path, why);
}

static enum lf_status db_fail(struct db_sink *k, const char *verb, int rc)
{
	char why[PATH_MAX_MSG];
	if (((rc & 0xff) == SQLITE_CANTOPEN || (rc & 0xff) == SQLITE_READONLY) &&
	    db_access_why(k->path, why, sizeof(why)))
		return db_fail_msg(k, verb, why);
	return db_fail_on(k, k->db, k->path, verb, rc);
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

/* Column i of st's current row as text, valid until st moves on. */
static struct slice column_slice(sqlite3_stmt *st, int i)
{
	const char *p = (const char *)sqlite3_column_text(st, i);
	return slice_make(p ? p : "", p ? (size_t)sqlite3_column_bytes(st, i) : 0);
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

/* The database's own id, into k->id: drawn while its table is empty, that
 * is in the transaction that made it (a migration), then only read. 63
 * random bits from the kernel, derived from nothing: the id says which
 * database a merged day came from, never whose logs. */
static enum lf_status db_own_id(struct db_sink *k)
{
	long long n = 0, id = 0;
	int rc = query_int(k->db, "SELECT count(*) FROM database_id", &n);
	if (rc != SQLITE_OK)
		return db_fail(k, "read database", rc);
	if (n == 0) {
		uint64_t r;
		if (getrandom(&r, sizeof(r), 0) != (ssize_t)sizeof(r))
			return db_fail_msg(k, "make an id for database", strerror(errno));
		r >>= 1; /* a positive SQLite integer */
		enum lf_status st = db_exec_ints(k, "INSERT INTO database_id (id) VALUES (?1)", &r, 1);
		if (st != LF_OK)
			return st;
	}
	rc = query_int(k->db, "SELECT id FROM database_id", &id);
	if (rc != SQLITE_OK)
		return db_fail(k, "read database", rc);
	k->id = id;
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

/* The rows of (site ?1, day ?2) in table t or in its merge_ copy. An hour
 * 'YYYY-MM-DDTHH' of day D sorts between 'D' and 'DU': a range of the
 * primary key (site, hour, ...), where substr(hour, 1, 10) = D would read
 * every row of the site for every day written. */
static const char *day_where(const struct table_def *t)
{
	return t->hourly ? "site = ?1 AND hour > ?2 AND hour < ?2 || 'U'" : "site = ?1 AND day = ?2";
}

int db_delete_day_sql(const struct table_def *t, char *sql, size_t cap)
{
	return snprintf(sql, cap, "DELETE FROM %s WHERE %s", t->name, day_where(t));
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
	append(sql, sizeof(sql), &n, ")"); /* 25 short names: far from the end */
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
	char mode[16] = "";
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
		rc = query_text(k->db, "PRAGMA journal_mode = " DB_JOURNAL_MODE, mode, sizeof(mode));
	/* (a database in memory keeps its journal in memory: no file at all) */
	if (rc == SQLITE_OK && strcmp(mode, DB_JOURNAL_MODE) != 0 && strcmp(mode, "memory") != 0)
		return db_fail_msg(k, "open database",
				   "cannot leave WAL mode (another program has it open)");
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(k->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		return db_fail(k, "open database", rc);
	/* locked, nothing written yet: the file's counter as the run found it */
	k->changes_before = db_change_counter(k->db);
	st = db_schema(k);
	if (st == LF_OK)
		st = db_own_id(k);
	if (st != LF_OK)
		return st;
	rc = sqlite3_prepare_v3(k->db, "SELECT 1 FROM merge_sources WHERE site = ?1 AND day = ?2",
				-1, SQLITE_PREPARE_PERSISTENT, &k->has_merged, NULL);
	if (rc != SQLITE_OK)
		return db_fail(k, "open database", rc);
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

static enum lf_status merge_run_day(struct db_sink *k, struct slice site, struct slice day);
static enum lf_status shard_write_sets(struct db_sink *k, const struct day_result *d);

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
	if (st == LF_OK)
		st = shard_write_sets(k, d);
	if (st == LF_OK)
		st = merge_run_day(k, d->site, slice_make(d->day, strnlen(d->day, sizeof(d->day))));
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

/* After a COMMIT that failed: did it commit nonetheless? SQLite reports a
 * failure to finish the rollback journal (its truncation's sync) although
 * the database file is written and synced and no hot journal is left: then
 * the file change counter, which every commit increments, has moved since
 * the transaction began, and the journal is empty. A rolled-back
 * transaction restores the counter; one whose rollback failed leaves a
 * journal. Unknown (a read that fails): not committed. */
static bool db_committed_anyway(const struct db_sink *k)
{
	char journal[PATH_MAX_MSG + 16];
	struct stat sb;
	int64_t now = db_change_counter(k->db);
	snprintf(journal, sizeof(journal), "%s-journal", k->path);
	bool no_hot_journal = stat(journal, &sb) != 0 ? errno == ENOENT : sb.st_size == 0;
	return k->changes_before >= 0 && now >= 0 && now != k->changes_before && no_hot_journal;
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
	if (rc != SQLITE_OK && db_committed_anyway(k)) {
		char why[PATH_MAX_MSG + 160];
		snprintf(why, sizeof(why),
			 "%s ('%s' holds this run nonetheless: only its journal could not be "
			 "synced, so a crash before the next sync could still undo it)",
			 db_cause(k->db, k->path, rc), k->path);
		k->committed = true; /* nothing to roll back at close */
		return db_fail_msg(k, "commit to database", why);
	}
	if (rc != SQLITE_OK)
		return db_fail(k, "commit to database", rc);
	k->committed = true;
	return LF_OK;
}

static void merge_free(struct merge_state *m);

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
	sqlite3_finalize(k->has_merged);
	merge_free(k->merge);
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

/* End a loop over the rows of st (rc: its last step): finalize it; then
 * ret when the loop's callback stopped it, else a failure unless the rows
 * ran out. */
static enum lf_status rows_end(struct db_sink *k, sqlite3_stmt *st, int rc, enum lf_status ret)
{
	int rf = sqlite3_finalize(st);
	if (ret != LF_OK)
		return ret;
	if (rc != SQLITE_DONE)
		return db_fail(k, "read database", rf != SQLITE_OK ? rf : rc);
	return LF_OK;
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
		struct db_day d = { column_slice(st, 0), column_slice(st, 1), sqlite3_column_int(st, 2),
				    sqlite3_column_int64(st, 3), sqlite3_column_int64(st, 4) };
		ret = fn(ctx, &d);
		rc = SQLITE_OK;
	}
	return rows_end(k, st, rc, ret);
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
	struct slice t = column_slice(st, c);
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
		struct slice name = column_slice(st, 2);
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
		if (r && day != INT32_MIN && !add_open(r, column_slice(st, 2), day)) {
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

/* Delete the rows of table name whose column col is before 'YYYY-MM-DD'
 * before; add their number to *deleted when it is not NULL. */
static enum lf_status prune_table(struct db_sink *k, const char *name, const char *col,
				  const char *before, uint64_t *deleted)
{
	char sql[DB_SQL_MAX];
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
	if (deleted)
		*deleted += (uint64_t)sqlite3_changes(k->db);
	return LF_OK;
}

/* Does the table merge_NAME exist (made by the first merge)? */
static enum lf_status has_merge_table(struct db_sink *k, const char *name, bool *yes)
{
	char sql[DB_SQL_MAX];
	long long n = 0;
	snprintf(sql, sizeof(sql),
		 "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'merge_%s'",
		 name);
	int rc = query_int(k->db, sql, &n);
	*yes = n > 0;
	return rc == SQLITE_OK ? LF_OK : db_fail(k, "read database", rc);
}

/* The merge tables go with the days they hold, but are not counted: the
 * count says what left the tables a user reads. */
enum lf_status db_prune(struct sink *s, const char *before, uint64_t *deleted)
{
	struct db_sink *k = db_of(s);
	enum lf_status st = LF_OK;
	*deleted = 0;
	if (!k)
		return LF_ERR_DB;
	for (int t = 0; t < TABLE_COUNT && st == LF_OK; t++) {
		const char *name = table_defs[t].name, *col = table_defs[t].cols[1].name;
		char merge_name[DB_SQL_MAX];
		bool merged = false;
		st = prune_table(k, name, col, before, deleted);
		if (st == LF_OK)
			st = has_merge_table(k, name, &merged);
		snprintf(merge_name, sizeof(merge_name), "merge_%s", name);
		if (st == LF_OK && merged)
			st = prune_table(k, merge_name, col, before, NULL);
	}
	if (st == LF_OK)
		st = prune_table(k, "merge_sources", "day", before, NULL);
	if (st == LF_OK)
		st = prune_table(k, "runs", "started", before, deleted);
	/* A point goes with the last of its days: until then it is what keeps
	 * the input's later days from being counted twice. */
	struct db_arg b = DB_TEXT(slice_cstr(before));
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

/* The rows of one day (of one site, or of every site) in table name and,
 * when a merge made it, in merge_NAME: the rows a merge would sum again. */
static enum lf_status prune_day_rows(struct db_sink *k, const struct table_def *t,
				     const char *which, const struct db_arg *a, uint64_t *deleted)
{
	char sql[DB_SQL_MAX];
	bool merged = false;
	enum lf_status st = LF_OK;
	for (int shadow = 0; shadow < 2 && st == LF_OK; shadow++) {
		const char *prefix = shadow ? "merge_" : "";
		if (shadow && ((st = has_merge_table(k, t->name, &merged)) != LF_OK || !merged))
			break;
		if (t->hourly)
			snprintf(sql, sizeof(sql),
				 "DELETE FROM %s%s WHERE %s hour > ?2 AND hour < ?2 || 'U'", prefix,
				 t->name, which);
		else
			snprintf(sql, sizeof(sql), "DELETE FROM %s%s WHERE %s day = ?2", prefix,
				 t->name, which);
		st = db_run(k, "prune database", sql, a, 2, shadow ? NULL : deleted);
	}
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
	for (int t = 0; t < TABLE_COUNT && st == LF_OK; t++)
		if (t != TABLE_DAYS)
			st = prune_day_rows(k, &table_defs[t], which, a, deleted);
	/* what merges kept of the day goes too, or the next merge would bring
	 * it back */
	snprintf(sql, sizeof(sql), "DELETE FROM merge_sources WHERE %s day = ?2", which);
	if (st == LF_OK)
		st = db_run(k, "prune database", sql, a, 2, NULL);
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

/* ---- merge: each source's rows kept apart, a day the sum of them -------- */

/*
 * A merge keeps what each source database holds of a (site, day) in
 * merge_TABLE (TABLE's columns and the source's database id), lists the
 * pair in merge_sources, and makes TABLE's rows of that day the sum of its
 * sources' rows. Merging a source again replaces its rows, so a day is the
 * sum of its sources' days as they were when last merged, however often
 * and in whatever order they are merged. Rows the database held before
 * the first merge of a day (written by a run, or by a merge of an older
 * logfold) are its own source's, under its own id; a run that writes a
 * merged day replaces its own source's rows and sums the day again.
 * A day a source no longer holds (pruned there) stays as merged.
 *
 * Sum: key columns match, INTEGER columns add (visitors too: a visitor of
 * two servers counts twice), a max_* column and a TEXT one take the
 * largest (a day's state: 'closed' < 'open', so a day is closed when every
 * source says so). The columns come from the schema (pragma table_info),
 * so a per-day table or a column added by a migration is merged, and its
 * merge_ table made or widened, with no more code. Derived columns are not
 * stored: SQLite computes them from the summed buckets in a view.
 */

/* The statements that merge table TABLE of table_defs. */
struct merge_table {
	sqlite3_stmt *drop; /* a source's rows of (site, day) out of merge_TABLE */
	sqlite3_stmt *keep; /* TABLE's rows of (site, day) into merge_TABLE as a source's */
	sqlite3_stmt *add;  /* one row of a source into merge_TABLE */
	sqlite3_stmt *sum;  /* the sum of merge_TABLE's rows of (site, day) into TABLE */
	int ncols;          /* TABLE's columns */
	char select[2 * DB_SQL_MAX]; /* a source's rows of (site, day), run on the source */
};

/* A source merged in this transaction: another with its id is a copy. */
struct merged_source {
	int64_t id;
	char *path;
};

struct merge_state {
	struct merge_table t[TABLE_COUNT];
	sqlite3_stmt *record; /* (site, day, source) into merge_sources */
	struct merged_source *done;
	size_t ndone;
};

/* A source database being merged. */
struct merge_src {
	sqlite3 *db;
	const char *path;
	int64_t id;
	sqlite3_stmt *days;             /* every (site, day) it holds */
	sqlite3_stmt *sel[TABLE_COUNT]; /* its rows of one (site, day) */
	struct db_shard shard;          /* count 0: not a shard's */
};

/* shards (the end of this file) */
static int shard_read_row(sqlite3 *db, struct db_shard *out);
static enum lf_status shard_merge_day(struct db_sink *k, const struct merge_src *in,
				      struct slice site, struct slice day, bool merged_before);
static enum lf_status shard_fold_day(struct db_sink *k, struct slice site, struct slice day);

/* The text of one table's merge statements, from its schema. */
struct merge_text {
	char cols[DB_SQL_MAX];     /* site, day, page, pageviews, ... */
	char vals[DB_SQL_MAX];     /* ?2, ?3, ... (?1: the source) */
	char keys[DB_SQL_MAX];     /* site, day, page */
	char sums[DB_SQL_MAX];     /* site, day, page, sum(pageviews), ... */
	char decl[2 * DB_SQL_MAX]; /* site TEXT NOT NULL, ... */
	char widen[2 * DB_SQL_MAX]; /* ALTER TABLE merge_TABLE ADD COLUMN ...; */
	size_t nc, nv, nk, ns, nd, nw;
	int ncols;
	bool exists; /* merge_TABLE is there already */
};

/* How the sources' values of one column make the sum: "" for a key,
 * "weakest" for the K and mask a day was made with (the smaller). */
static const char *merge_fn(const char *name, const char *type, bool key)
{
	if (key)
		return "";
	if (strncmp(name, "max_", 4) == 0 || sqlite3_stricmp(type, "TEXT") == 0)
		return "max";
	if (strcmp(name, "min_visitors") == 0 || strcmp(name, "mask_bytes") == 0)
		return "weakest";
	return "sum";
}

/* One column of table t, from pragma table_info, into m. */
static void merge_text_col(struct merge_text *m, const struct table_def *t, sqlite3_stmt *st)
{
	const char *c = (const char *)sqlite3_column_text(st, 0);
	const char *type = (const char *)sqlite3_column_text(st, 1);
	const char *dflt = (const char *)sqlite3_column_text(st, 3);
	bool key = sqlite3_column_int(st, 4) > 0;
	const char *fn = merge_fn(c, type ? type : "", key);
	const char *sep = m->ncols++ ? ", " : "";
	char decl[DB_SQL_MAX];
	snprintf(decl, sizeof(decl), "%s %s%s%s%s", c, type ? type : "",
		 sqlite3_column_int(st, 2) ? " NOT NULL" : "", dflt ? " DEFAULT " : "",
		 dflt ? dflt : "");
	append(m->cols, sizeof(m->cols), &m->nc, "%s%s", sep, c);
	append(m->vals, sizeof(m->vals), &m->nv, "%s?%d", sep, m->ncols + 1);
	append(m->decl, sizeof(m->decl), &m->nd, "%s%s", sep, decl);
	if (key)
		append(m->keys, sizeof(m->keys), &m->nk, "%s%s", m->nk ? ", " : "", c);
	if (strcmp(fn, "weakest") == 0) /* the weaker protection; unknown (NULL) stays so */
		append(m->sums, sizeof(m->sums), &m->ns,
		       "%s(CASE WHEN count(%s) = count(*) THEN min(%s) END)", sep, c, c);
	else
		append(m->sums, sizeof(m->sums), &m->ns, *fn ? "%s%s(%s)" : "%s%s%s", sep, fn, c);
	if (sqlite3_column_int(st, 5))
		m->exists = true;
	else
		append(m->widen, sizeof(m->widen), &m->nw, "ALTER TABLE merge_%s ADD COLUMN %s;",
		       t->name, decl);
}

/* The text of table t's merge statements, from its columns as the schema
 * has them (the keys in column order: site, day first, as every per-day
 * table's primary key begins). */
static enum lf_status merge_text(struct db_sink *k, const struct table_def *t,
				 struct merge_text *m)
{
	sqlite3_stmt *st;
	char shadow[DB_SQL_MAX];
	memset(m, 0, sizeof(*m));
	snprintf(shadow, sizeof(shadow), "merge_%s", t->name);
	int rc = sqlite3_prepare_v2(k->db,
				    "SELECT t.name, t.type, t.\"notnull\", t.dflt_value, t.pk,"
				    " s.name IS NOT NULL FROM pragma_table_info(?1) t"
				    " LEFT JOIN pragma_table_info(?2) s ON s.name = t.name"
				    " ORDER BY t.cid",
				    -1, &st, NULL);
	if (rc == SQLITE_OK)
		rc = bind_slice(st, 1, slice_cstr(t->name));
	if (rc == SQLITE_OK)
		rc = bind_slice(st, 2, slice_cstr(shadow));
	while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		merge_text_col(m, t, st);
		rc = SQLITE_OK;
	}
	enum lf_status ret = rows_end(k, st, rc, LF_OK);
	if (ret != LF_OK)
		return ret;
	if (m->ncols == 0 || m->nk == 0)
		return db_fail_msg(k, "merge into database", "a per-day table is missing");
	if (m->nc >= sizeof(m->cols) || m->nv >= sizeof(m->vals) || m->nk >= sizeof(m->keys) ||
	    m->ns >= sizeof(m->sums) || m->nd >= sizeof(m->decl) || m->nw >= sizeof(m->widen))
		return db_fail_msg(k, "merge into database", "a table with too many columns");
	return LF_OK;
}

/* Prepare *st from printf-style text (cut short: refused). */
__attribute__((format(printf, 3, 4))) static enum lf_status prepare_fmt(struct db_sink *k,
									 sqlite3_stmt **st,
									 const char *fmt, ...)
{
	char sql[4 * DB_SQL_MAX];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(sql, sizeof(sql), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(sql))
		return db_fail_msg(k, "merge into database", "a table with too many columns");
	int rc = sqlite3_prepare_v3(k->db, sql, n, SQLITE_PREPARE_PERSISTENT, st, NULL);
	return rc == SQLITE_OK ? LF_OK : db_fail(k, "merge into database", rc);
}

/* Make (or widen) merge_TABLE for table i and prepare its statements. */
static enum lf_status merge_prepare_table(struct db_sink *k, enum day_table i,
					  struct merge_table *mt)
{
	const struct table_def *t = &table_defs[i];
	const char *name = t->name, *where = day_where(t);
	struct merge_text m;
	enum lf_status st = merge_text(k, t, &m);
	int rc = SQLITE_OK;
	if (st != LF_OK)
		return st;
	if (!m.exists) {
		char sql[4 * DB_SQL_MAX];
		snprintf(sql, sizeof(sql),
			 "CREATE TABLE merge_%s (source_id INTEGER NOT NULL, %s,"
			 " PRIMARY KEY (%s, source_id)) WITHOUT ROWID",
			 name, m.decl, m.keys); /* m's parts fit: 4 * DB_SQL_MAX holds them */
		rc = sqlite3_exec(k->db, sql, NULL, NULL, NULL);
	} else if (m.nw) {
		rc = sqlite3_exec(k->db, m.widen, NULL, NULL, NULL);
	}
	if (rc != SQLITE_OK)
		return db_fail(k, "merge into database", rc);
	mt->ncols = m.ncols;
	if ((size_t)snprintf(mt->select, sizeof(mt->select), "SELECT %s FROM %s WHERE %s", m.cols,
			     name, where) >= sizeof(mt->select))
		return db_fail_msg(k, "merge into database", "a table with too many columns");
	st = prepare_fmt(k, &mt->drop, "DELETE FROM merge_%s WHERE %s AND source_id = ?3", name, where);
	if (st == LF_OK)
		st = prepare_fmt(k, &mt->keep, "INSERT INTO merge_%s (source_id, %s) SELECT ?3, %s FROM %s WHERE %s",
				 name, m.cols, m.cols, name, where);
	if (st == LF_OK)
		st = prepare_fmt(k, &mt->add, "INSERT INTO merge_%s (source_id, %s) VALUES (?1, %s)", name,
				 m.cols, m.vals);
	if (st == LF_OK)
		st = prepare_fmt(k, &mt->sum, "INSERT INTO %s (%s) SELECT %s FROM merge_%s WHERE %s GROUP BY %s",
				 name, m.cols, m.sums, name, where, m.keys);
	return st;
}

/* k->merge, made when first needed (a merge, or a run writing a merged day). */
static enum lf_status merge_prepare(struct db_sink *k)
{
	if (k->merge)
		return LF_OK;
	k->merge = calloc(1, sizeof(*k->merge));
	if (!k->merge)
		return db_fail_msg(k, "merge into database", strerror(ENOMEM));
	for (int t = 0; t < TABLE_COUNT; t++) {
		enum lf_status st = merge_prepare_table(k, (enum day_table)t, &k->merge->t[t]);
		if (st != LF_OK)
			return st;
	}
	return prepare_fmt(k, &k->merge->record,
			   "INSERT OR IGNORE INTO merge_sources (site, day, source_id) VALUES (?1, ?2, ?3)");
}

static void merge_free(struct merge_state *m)
{
	if (!m)
		return;
	for (int t = 0; t < TABLE_COUNT; t++) {
		sqlite3_finalize(m->t[t].drop);
		sqlite3_finalize(m->t[t].keep);
		sqlite3_finalize(m->t[t].add);
		sqlite3_finalize(m->t[t].sum);
	}
	sqlite3_finalize(m->record);
	for (size_t i = 0; i < m->ndone; i++)
		free(m->done[i].path);
	free(m->done);
	free(m);
}

/* Run st, which returns no row, with (site, day) as ?1 ?2 and, when id is
 * not NULL, *id as ?3. */
static enum lf_status merge_step(struct db_sink *k, sqlite3_stmt *st, struct slice site,
				 struct slice day, const int64_t *id)
{
	int rc = bind_slice(st, 1, site);
	if (rc == SQLITE_OK)
		rc = bind_slice(st, 2, day);
	if (rc == SQLITE_OK && id)
		rc = sqlite3_bind_int64(st, 3, *id);
	if (rc == SQLITE_OK)
		rc = step_reset(st);
	sqlite3_clear_bindings(st);
	return rc == SQLITE_OK ? LF_OK : db_fail(k, "write to database", rc);
}

/* Has some merge put (site, day) here? */
static enum lf_status db_has_merged(struct db_sink *k, struct slice site, struct slice day,
				    bool *yes)
{
	sqlite3_stmt *st = k->has_merged;
	int rc = bind_slice(st, 1, site);
	if (rc == SQLITE_OK)
		rc = bind_slice(st, 2, day);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	*yes = rc == SQLITE_ROW;
	int rr = sqlite3_reset(st);
	if (rc == SQLITE_ROW || rc == SQLITE_DONE)
		rc = rr;
	return rc == SQLITE_OK ? LF_OK : db_fail(k, "read database", rc);
}

/* Keep what the database itself holds of (site, day) as its own source's. */
static enum lf_status merge_keep_own(struct db_sink *k, struct slice site, struct slice day)
{
	enum lf_status st = LF_OK;
	for (int t = 0; t < TABLE_COUNT && st == LF_OK; t++) {
		st = merge_step(k, k->merge->t[t].drop, site, day, &k->id);
		if (st == LF_OK)
			st = merge_step(k, k->merge->t[t].keep, site, day, &k->id);
	}
	return st;
}

/* Make every table's rows of (site, day) the sum of its sources' rows. */
static enum lf_status merge_sum_day(struct db_sink *k, struct slice site, struct slice day)
{
	enum lf_status st = LF_OK;
	for (int t = 0; t < TABLE_COUNT && st == LF_OK; t++) {
		st = merge_step(k, k->del_day[t], site, day, NULL);
		if (st == LF_OK)
			st = merge_step(k, k->merge->t[t].sum, site, day, NULL);
	}
	return st == LF_OK ? shard_fold_day(k, site, day) : st;
}

static enum lf_status merge_run_day(struct db_sink *k, struct slice site, struct slice day)
{
	bool merged = false;
	enum lf_status st = db_has_merged(k, site, day, &merged);
	if (st != LF_OK || !merged)
		return st; /* a database never merged into stops here */
	st = merge_prepare(k);
	if (st == LF_OK)
		st = merge_keep_own(k, site, day);
	return st == LF_OK ? merge_sum_day(k, site, day) : st;
}

/* One row of the source (sel's current one) into merge_TABLE as its. */
static enum lf_status merge_add_row(struct db_sink *k, struct merge_table *mt, int64_t id,
				    sqlite3_stmt *sel)
{
	int rc = sqlite3_bind_int64(mt->add, 1, id);
	for (int c = 0; c < mt->ncols && rc == SQLITE_OK; c++)
		rc = sqlite3_bind_value(mt->add, c + 2, sqlite3_column_value(sel, c));
	if (rc == SQLITE_OK)
		rc = step_reset(mt->add);
	return rc == SQLITE_OK ? LF_OK : db_fail(k, "write to database", rc);
}

/* Replace in's rows of (site, day) in merge_TABLE by what it holds now. */
static enum lf_status merge_copy(struct db_sink *k, struct merge_src *in, enum day_table t,
				 struct slice site, struct slice day)
{
	struct merge_table *mt = &k->merge->t[t];
	sqlite3_stmt *sel = in->sel[t];
	enum lf_status st = merge_step(k, mt->drop, site, day, &in->id);
	int rc = bind_slice(sel, 1, site);
	if (rc == SQLITE_OK)
		rc = bind_slice(sel, 2, day);
	while (st == LF_OK && rc == SQLITE_OK && (rc = sqlite3_step(sel)) == SQLITE_ROW) {
		st = merge_add_row(k, mt, in->id, sel);
		rc = SQLITE_OK;
	}
	if (st == LF_OK && rc != SQLITE_DONE)
		st = db_fail_on(k, in->db, in->path, "read database", rc);
	sqlite3_reset(sel);
	return st;
}

/* Merge one (site, day) of in: the database's own rows kept apart the
 * first time, in's rows replaced, the day summed again. */
static enum lf_status merge_day(struct db_sink *k, struct merge_src *in, struct slice site,
				struct slice day, struct db_merge_stats *stats)
{
	bool merged_before = false;
	enum lf_status st = db_has_merged(k, site, day, &merged_before);
	if (st == LF_OK && !merged_before)
		st = merge_keep_own(k, site, day);
	for (int t = 0; t < TABLE_COUNT && st == LF_OK; t++)
		st = merge_copy(k, in, (enum day_table)t, site, day);
	if (st == LF_OK)
		st = merge_step(k, k->merge->record, site, day, &in->id);
	if (st != LF_OK)
		return st;
	stats->days++;
	if (sqlite3_changes(k->db) == 0) /* in's (site, day) was listed already */
		stats->replaced++;
	if ((st = shard_merge_day(k, in, site, day, merged_before)) != LF_OK)
		return st;
	return merge_sum_day(k, site, day);
}

/* Refuse a source that is the output itself or a copy of it, or a copy of
 * a source merged already: its days would replace that one's. */
static enum lf_status merge_known(struct db_sink *k, const struct merge_src *in)
{
	char why[PATH_MAX_MSG];
	if (in->id == k->id)
		return db_fail_at(k, LF_ERR_USAGE, "merge database", in->path,
				  "it is the output database itself, or a copy of it "
				  "(the same database id)");
	for (size_t i = 0; i < k->merge->ndone; i++)
		if (k->merge->done[i].id == in->id) {
			snprintf(why, sizeof(why),
				 "it is a copy of '%s', merged already (the same database id)",
				 k->merge->done[i].path);
			return db_fail_at(k, LF_ERR_USAGE, "merge database", in->path, why);
		}
	return LF_OK;
}

/* Open the source at path read-only, in one read transaction (every table
 * from one state of it), and check its version and id. */
static enum lf_status merge_open(struct db_sink *k, struct merge_src *in, const char *path)
{
	long long version = -1, n = 0, id = 0;
	char why[128];
	in->path = path;
	int rc = sqlite3_open_v2(path, &in->db, SQLITE_OPEN_READONLY, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_extended_result_codes(in->db, 1);
		sqlite3_busy_timeout(in->db, k->wait_ms);
		rc = sqlite3_exec(in->db, "BEGIN", NULL, NULL, NULL);
	}
	if (rc == SQLITE_OK)
		rc = query_int(in->db, "PRAGMA user_version", &version);
	if (rc == SQLITE_OK && version == DB_SCHEMA_VERSION)
		rc = query_int(in->db, "SELECT count(*) FROM database_id", &n);
	if (rc == SQLITE_OK && n == 1)
		rc = query_int(in->db, "SELECT id FROM database_id", &id);
	if (rc != SQLITE_OK)
		return db_fail_on(k, in->db, path, "read database", rc);
	if (version != DB_SCHEMA_VERSION) {
		snprintf(why, sizeof(why), "it has schema version %lld, this logfold's is %d",
			 version, DB_SCHEMA_VERSION);
		return db_fail_at(k, LF_ERR_DB, "merge database", path, why);
	}
	if (n != 1)
		return db_fail_at(k, LF_ERR_DB, "merge database", path,
				  "it has no database id, or more than one");
	in->id = id;
	rc = shard_read_row(in->db, &in->shard);
	if (rc != SQLITE_OK)
		return db_fail_on(k, in->db, path, "read database", rc);
	return merge_known(k, in);
}

/* The source's statements: its days (in every per-day table), its rows. */
static enum lf_status merge_source_stmts(struct db_sink *k, struct merge_src *in)
{
	char sql[DB_SQL_MAX];
	size_t n = 0;
	for (int t = 0; t < TABLE_COUNT; t++)
		append(sql, sizeof(sql), &n, "%sSELECT site, %s FROM %s", t ? " UNION " : "",
		       table_defs[t].hourly ? "substr(hour, 1, 10)" : "day", table_defs[t].name);
	append(sql, sizeof(sql), &n, " ORDER BY 1, 2");
	if (n >= sizeof(sql))
		return db_fail_msg(k, "merge into database", "too many tables");
	int rc = sqlite3_prepare_v2(in->db, sql, -1, &in->days, NULL);
	for (int t = 0; t < TABLE_COUNT && rc == SQLITE_OK; t++)
		rc = sqlite3_prepare_v2(in->db, k->merge->t[t].select, -1, &in->sel[t], NULL);
	return rc == SQLITE_OK ? LF_OK : db_fail_on(k, in->db, in->path, "read database", rc);
}

/* Remember in's id, so that a copy of it is refused in this merge. */
static enum lf_status merge_remember(struct db_sink *k, const struct merge_src *in)
{
	struct merge_state *m = k->merge;
	struct merged_source *d = realloc(m->done, (m->ndone + 1) * sizeof(*d));
	char *path = strdup(in->path);
	if (d)
		m->done = d;
	if (!d || !path) {
		free(path);
		return db_fail_msg(k, "merge into database", strerror(ENOMEM));
	}
	m->done[m->ndone++] = (struct merged_source){ in->id, path };
	return LF_OK;
}

enum lf_status db_merge(struct sink *s, const char *in_path, struct db_merge_stats *stats)
{
	struct db_sink *k = db_of(s);
	struct merge_src in = { 0 };
	memset(stats, 0, sizeof(*stats));
	if (!k)
		return LF_ERR_DB;
	struct db_shard out;
	enum lf_status st = merge_prepare(k);
	if (st == LF_OK)
		st = db_shard_get(s, &out);
	if (st == LF_OK && out.count)
		st = db_fail_at(k, LF_ERR_USAGE, "merge into database", k->path,
				"it is a shard's database (partial): merge into a new or merged one");
	if (st == LF_OK)
		st = merge_open(k, &in, in_path);
	if (st == LF_OK)
		st = merge_source_stmts(k, &in);
	int rc = SQLITE_DONE;
	while (st == LF_OK && (rc = sqlite3_step(in.days)) == SQLITE_ROW) {
		st = merge_day(k, &in, column_slice(in.days, 0), column_slice(in.days, 1), stats);
	}
	if (st == LF_OK && rc != SQLITE_DONE)
		st = db_fail_on(k, in.db, in_path, "read database", rc);
	if (st == LF_OK)
		st = merge_remember(k, &in);
	sqlite3_finalize(in.days);
	for (int t = 0; t < TABLE_COUNT; t++)
		sqlite3_finalize(in.sel[t]);
	sqlite3_close(in.db); /* ends its read transaction */
	return st;
}

/* ---- the tables as rows, for the CSV export ------------------------------ */

enum lf_status db_each_row(struct sink *s, int table, db_row_fn fn, void *ctx)
{
	struct db_sink *k = db_of(s);
	char sql[DB_SQL_MAX], order[DB_SQL_MAX];
	size_t n = 0, no = 0;
	int ncols;
	struct cell cells[TABLE_MAX_COLS] = { 0 };
	sqlite3_stmt *st;
	enum lf_status ret = LF_OK;
	if (!k)
		return LF_ERR_DB;
	if (table < TABLE_COUNT) { /* stored columns; rows in key order */
		ncols = db_stored_cols(&table_defs[table]);
		for (int c = 0; c < ncols; c++) {
			append(sql, sizeof(sql), &n, "%s%s", c ? ", " : "SELECT ",
			       table_defs[table].cols[c].name);
			append(order, sizeof(order), &no, "%s%s", c ? ", " : "",
			       table_defs[table].cols[c].name);
		}
		append(sql, sizeof(sql), &n, " FROM %s ORDER BY %s", table_defs[table].name, order);
	} else { /* runs, in the CSV's columns, as they ran */
		ncols = FORMAT_RUN_NCOLS;
		for (int c = 0; c < ncols; c++)
			append(sql, sizeof(sql), &n, "%s%s", c ? ", " : "SELECT ", format_run_column(c));
		append(sql, sizeof(sql), &n, " FROM runs ORDER BY run_id");
	}
	if (n >= sizeof(sql) || no >= sizeof(order))
		return db_fail_msg(k, "read database", "a table with too many columns");
	int rc = sqlite3_prepare_v2(k->db, sql, -1, &st, NULL);
	while (rc == SQLITE_OK && ret == LF_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		for (int c = 0; c < ncols; c++)
			if (sqlite3_column_type(st, c) == SQLITE_INTEGER)
				cells[c].num = (uint64_t)sqlite3_column_int64(st, c);
			else
				cells[c].text = column_slice(st, c);
		if (table < TABLE_COUNT)
			table_derive((enum day_table)table, cells);
		ret = fn(ctx, cells);
		rc = SQLITE_OK;
	}
	return rows_end(k, st, rc, ret);
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

/* ---- reading: queries on a database opened read-only ------------------- */

struct db_reader {
	sqlite3 *db;
	char err[256];
	char path[];
};

struct db_query {
	struct db_reader *r;
	sqlite3_stmt *st;
	bool done; /* stepped to its end: reset before the next step */
};

static enum lf_status reader_fail(struct db_reader *r, int rc)
{
	if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED) {
		format_error(r->err, sizeof(r->err), "read database", r->path,
			     "another run held it for too long (--wait)");
		return LF_ERR_BUSY;
	}
	format_error(r->err, sizeof(r->err), "read database", r->path,
		     db_cause(r->db, r->path, rc));
	return LF_ERR_DB;
}

/* The read transaction begins with the first read: BEGIN alone takes no
 * lock, so the schema version is read inside it. */
static enum lf_status reader_start(struct db_reader *r, int wait_s, int *version)
{
	long long v = 0, objects = 0;
	int rc = sqlite3_open_v2(r->path, &r->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_extended_result_codes(r->db, 1);
		sqlite3_busy_timeout(r->db, wait_s * 1000);
		/* sorting for GROUP BY in memory: no temporary file to leave */
		rc = sqlite3_exec(r->db, "PRAGMA temp_store = MEMORY; BEGIN", NULL, NULL, NULL);
	}
	if (rc == SQLITE_OK)
		rc = query_int(r->db, "PRAGMA user_version", &v);
	if (rc == SQLITE_OK)
		rc = query_int(r->db, "SELECT count(*) FROM sqlite_master", &objects);
	if (rc != SQLITE_OK)
		return reader_fail(r, rc);
	/* a logfold database has tables; an empty or another program's file
	 * is version 0 (or has tables logfold did not make at version 0) */
	*version = v > INT32_MAX ? INT32_MAX : v < 0 ? -1 : (int)v;
	if (*version == 0 && objects > 0)
		*version = -1;
	return LF_OK;
}

enum lf_status db_reader_open(struct db_reader **out, const char *path, int wait_s, int *version,
			      char *errbuf, size_t errlen)
{
	size_t n = strlen(path);
	struct db_reader *r = calloc(1, sizeof(*r) + n + 1);
	*out = NULL;
	if (!r) {
		format_error(errbuf, errlen, "open database", path, strerror(ENOMEM));
		return LF_ERR_NOMEM;
	}
	memcpy(r->path, path, n + 1);
	enum lf_status st = reader_start(r, wait_s, version);
	if (st != LF_OK) {
		if (errlen)
			snprintf(errbuf, errlen, "%s", r->err);
		db_reader_close(r);
		return st;
	}
	*out = r;
	return LF_OK;
}

void db_reader_close(struct db_reader *r)
{
	if (!r)
		return;
	sqlite3_close(r->db); /* the read transaction ends with it */
	free(r);
}

const char *db_reader_error(const struct db_reader *r)
{
	return r->err;
}

bool db_reader_has_column(struct db_reader *r, const char *table, const char *column)
{
	sqlite3_stmt *st;
	bool has = false;
	if (sqlite3_prepare_v2(r->db, "SELECT 1 FROM pragma_table_info(?1) WHERE name = ?2", -1, &st,
			       NULL) != SQLITE_OK)
		return false;
	if (bind_slice(st, 1, slice_cstr(table)) == SQLITE_OK &&
	    bind_slice(st, 2, slice_cstr(column)) == SQLITE_OK)
		has = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return has;
}

enum lf_status db_query_new(struct db_reader *r, const char *sql, struct db_query **out)
{
	struct db_query *q = calloc(1, sizeof(*q));
	*out = NULL;
	if (!q)
		return LF_ERR_NOMEM;
	q->r = r;
	int rc = sqlite3_prepare_v2(r->db, sql, -1, &q->st, NULL);
	if (rc != SQLITE_OK) {
		free(q);
		return reader_fail(r, rc);
	}
	*out = q;
	return LF_OK;
}

void db_query_reset(struct db_query *q)
{
	sqlite3_reset(q->st);
	sqlite3_clear_bindings(q->st);
	q->done = false;
}

enum lf_status db_query_text(struct db_query *q, int i, struct slice s)
{
	int rc = sqlite3_bind_text64(q->st, i, s.n ? s.p : "", s.n, SQLITE_TRANSIENT, SQLITE_UTF8);
	return rc == SQLITE_OK ? LF_OK : reader_fail(q->r, rc);
}

enum lf_status db_query_int(struct db_query *q, int i, int64_t v)
{
	int rc = sqlite3_bind_int64(q->st, i, (sqlite3_int64)v);
	return rc == SQLITE_OK ? LF_OK : reader_fail(q->r, rc);
}

enum lf_status db_query_step(struct db_query *q, bool *row)
{
	*row = false;
	if (q->done)
		return LF_OK;
	int rc = sqlite3_step(q->st);
	if (rc == SQLITE_ROW) {
		*row = true;
		return LF_OK;
	}
	q->done = true;
	return rc == SQLITE_DONE ? LF_OK : reader_fail(q->r, sqlite3_reset(q->st));
}

int64_t db_query_col_int(const struct db_query *q, int col)
{
	return (int64_t)sqlite3_column_int64(q->st, col);
}

bool db_query_col_null(const struct db_query *q, int col)
{
	return sqlite3_column_type(q->st, col) == SQLITE_NULL;
}

struct slice db_query_col_text(const struct db_query *q, int col)
{
	const char *p = (const char *)sqlite3_column_text(q->st, col);
	return slice_make(p ? p : "", p ? (size_t)sqlite3_column_bytes(q->st, col) : 0);
}

void db_query_free(struct db_query *q)
{
	if (!q)
		return;
	sqlite3_finalize(q->st);
	free(q);
}

void db_library_version(char *buf, size_t cap)
{
	snprintf(buf, cap, "SQLite %s", sqlite3_libversion());
}

/* ---- shards (--shard I/N): partial databases and their merge ------------
 * A shard's run writes its cells unfolded and marks the database (shard);
 * its sets (aggregate/shardsets.h) go into shard_sets. A merge keeps each
 * source's sets in merge_shard_sets, says in merge_sources which sources
 * were shards, refuses to mix a day's shards with unsharded rows or with
 * shards of another count, and, once a day is summed, folds its small
 * cells as one run would (shard_fold_day). Kept apart here, in one piece. */

/* Run sql, which returns no row, on k's database with (site, day) as ?1 ?2
 * and v[0..nv) as ?3 ... */
static enum lf_status shard_run(struct db_sink *k, const char *sql, struct slice site,
				struct slice day, const int64_t *v, int nv)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(k->db, sql, -1, &st, NULL);
	int np = rc == SQLITE_OK ? sqlite3_bind_parameter_count(st) : 0;
	if (rc == SQLITE_OK && np >= 1)
		rc = bind_slice(st, 1, site);
	if (rc == SQLITE_OK && np >= 2)
		rc = bind_slice(st, 2, day);
	for (int i = 0; i < nv && i + 3 <= np && rc == SQLITE_OK; i++)
		rc = sqlite3_bind_int64(st, 3 + i, v[i]);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode(k->db);
	int rf = sqlite3_finalize(st);
	if (rc == SQLITE_OK)
		rc = rf;
	return rc == SQLITE_OK ? LF_OK : db_fail(k, "write to database", rc);
}

/* The first row's first column of sql with (site, day) as ?1 ?2, as an
 * integer: *v, or -1 when there is no row or it is NULL. */
static enum lf_status shard_int(struct db_sink *k, const char *sql, struct slice site,
				struct slice day, int64_t *v)
{
	sqlite3_stmt *st;
	*v = -1;
	int rc = sqlite3_prepare_v2(k->db, sql, -1, &st, NULL);
	if (rc == SQLITE_OK)
		rc = bind_slice(st, 1, site);
	if (rc == SQLITE_OK)
		rc = bind_slice(st, 2, day);
	if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (sqlite3_column_type(st, 0) != SQLITE_NULL)
			*v = sqlite3_column_int64(st, 0);
		rc = SQLITE_DONE;
	}
	if (rc == SQLITE_DONE)
		rc = SQLITE_OK;
	int rf = sqlite3_finalize(st);
	if (rc == SQLITE_OK)
		rc = rf;
	return rc == SQLITE_OK ? LF_OK : db_fail(k, "read database", rc);
}

/* A day's sets, in place of what the database held of them. */
static enum lf_status shard_write_sets(struct db_sink *k, const struct day_result *d)
{
	struct slice day = slice_make(d->day, strnlen(d->day, sizeof(d->day)));
	enum lf_status st = shard_run(k, "DELETE FROM shard_sets WHERE site = ?1 AND day = ?2",
				      d->site, day, NULL, 0);
	sqlite3_stmt *ins;
	if (st != LF_OK || d->nsets == 0)
		return st;
	/* a set found twice in a group (from two computations of one table)
	 * is its visitors added */
	int rc = sqlite3_prepare_v2(k->db,
				    "INSERT INTO shard_sets (site, day, table_name, page, part, "
				    "members, visitors) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON "
				    "CONFLICT DO UPDATE SET visitors = visitors + excluded.visitors",
				    -1, &ins, NULL);
	for (size_t i = 0; i < d->nsets && rc == SQLITE_OK; i++) {
		const struct shard_set_row *r = &d->sets[i];
		rc = bind_slice(ins, 1, d->site);
		if (rc == SQLITE_OK)
			rc = bind_slice(ins, 2, day);
		if (rc == SQLITE_OK)
			rc = bind_slice(ins, 3, slice_cstr(r->table));
		if (rc == SQLITE_OK)
			rc = bind_slice(ins, 4, r->page);
		if (rc == SQLITE_OK)
			rc = bind_slice(ins, 5, r->part);
		if (rc == SQLITE_OK)
			rc = bind_slice(ins, 6, r->members);
		if (rc == SQLITE_OK)
			rc = sqlite3_bind_int64(ins, 7, (int64_t)r->visitors);
		if (rc == SQLITE_OK)
			rc = step_reset(ins);
	}
	int rf = sqlite3_finalize(ins);
	if (rc == SQLITE_OK)
		rc = rf;
	return rc == SQLITE_OK ? LF_OK : db_fail(k, "write to database", rc);
}

/* The shard row of db (count 0 when none, or older than schema 14). */
static int shard_read_row(sqlite3 *db, struct db_shard *out)
{
	sqlite3_stmt *st;
	memset(out, 0, sizeof(*out));
	int rc = sqlite3_prepare_v2(db, "SELECT shard_index, shard_count, settings FROM shard", -1,
				    &st, NULL);
	if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		out->index = (uint32_t)sqlite3_column_int64(st, 0);
		out->count = (uint32_t)sqlite3_column_int64(st, 1);
		const unsigned char *t = sqlite3_column_text(st, 2);
		snprintf(out->settings, sizeof(out->settings), "%s", t ? (const char *)t : "");
		rc = SQLITE_DONE;
	}
	if (rc == SQLITE_DONE)
		rc = SQLITE_OK;
	sqlite3_finalize(st);
	return rc;
}

enum lf_status db_shard_get(struct sink *s, struct db_shard *out)
{
	struct db_sink *k = db_of(s);
	if (!k)
		return LF_ERR_DB;
	int rc = shard_read_row(k->db, out);
	return rc == SQLITE_OK ? LF_OK : db_fail(k, "read database", rc);
}

enum lf_status db_shard_claim(struct sink *s, const struct db_shard *sh)
{
	struct db_sink *k = db_of(s);
	struct db_shard now;
	long long days = 0;
	char why[2 * DB_SHARD_SETTINGS_MAX + 128];
	enum lf_status st = k ? db_shard_get(s, &now) : LF_ERR_DB;
	if (st != LF_OK)
		return st;
	if (now.count && !sh->count) {
		snprintf(why, sizeof(why),
			 "it is shard %u/%u, partial: only a run with --shard %u/%u writes into it",
			 now.index, now.count, now.index, now.count);
		return db_fail_at(k, LF_ERR_USAGE, "write to database", k->path, why);
	}
	if (now.count && (now.index != sh->index || now.count != sh->count ||
			  strcmp(now.settings, sh->settings) != 0)) {
		snprintf(why, sizeof(why),
			 "it is shard %u/%u of runs with settings '%s'; this run is shard %u/%u "
			 "with '%s'",
			 now.index, now.count, now.settings, sh->index, sh->count, sh->settings);
		return db_fail_at(k, LF_ERR_USAGE, "write to database", k->path, why);
	}
	if (now.count || !sh->count)
		return LF_OK;
	int rc = query_int(k->db, "SELECT count(*) FROM days", &days);
	if (rc != SQLITE_OK)
		return db_fail(k, "read database", rc);
	if (days)
		return db_fail_at(k, LF_ERR_USAGE, "write to database", k->path,
				  "it holds days of runs without --shard: a shard needs a "
				  "database of its own");
	int64_t v[2] = { sh->index, sh->count };
	sqlite3_stmt *ins;
	rc = sqlite3_prepare_v2(k->db, "INSERT INTO shard VALUES (?1, ?2, ?3)", -1, &ins, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(ins, 1, v[0]);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(ins, 2, v[1]);
	if (rc == SQLITE_OK)
		rc = bind_slice(ins, 3, slice_cstr(sh->settings));
	if (rc == SQLITE_OK)
		rc = sqlite3_step(ins) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode(k->db);
	int rf = sqlite3_finalize(ins);
	if (rc == SQLITE_OK)
		rc = rf;
	return rc == SQLITE_OK ? LF_OK : db_fail(k, "write to database", rc);
}

enum lf_status db_shard_read(const char *path, int wait_s, struct db_shard *out, char *errbuf,
			     size_t errlen)
{
	struct db_reader *r;
	int version = 0;
	memset(out, 0, sizeof(*out));
	enum lf_status st = db_reader_open(&r, path, wait_s, &version, errbuf, errlen);
	if (st != LF_OK)
		return st;
	int rc = version >= 14 ? shard_read_row(r->db, out) : SQLITE_OK;
	if (rc != SQLITE_OK) {
		format_error(errbuf, errlen, "read database", path, db_cause(r->db, path, rc));
		st = LF_ERR_DB;
	}
	db_reader_close(r);
	return st;
}

/* in's sets of (site, day) into merge_shard_sets as its. */
static enum lf_status shard_copy_sets(struct db_sink *k, const struct merge_src *in,
				      struct slice site, struct slice day)
{
	sqlite3_stmt *sel = NULL, *ins = NULL;
	int rc = sqlite3_prepare_v2(in->db,
				    "SELECT table_name, page, part, members, visitors FROM shard_sets "
				    "WHERE site = ?1 AND day = ?2",
				    -1, &sel, NULL);
	if (rc != SQLITE_OK)
		return db_fail_on(k, in->db, in->path, "read database", rc);
	rc = sqlite3_prepare_v2(k->db,
				"INSERT INTO merge_shard_sets (source_id, site, day, table_name, page, "
				"part, members, visitors) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
				-1, &ins, NULL);
	int rr = rc == SQLITE_OK ? bind_slice(sel, 1, site) : rc;
	if (rr == SQLITE_OK)
		rr = bind_slice(sel, 2, day);
	while (rc == SQLITE_OK && rr == SQLITE_OK && (rr = sqlite3_step(sel)) == SQLITE_ROW) {
		rr = SQLITE_OK;
		rc = sqlite3_bind_int64(ins, 1, in->id);
		if (rc == SQLITE_OK)
			rc = bind_slice(ins, 2, site);
		if (rc == SQLITE_OK)
			rc = bind_slice(ins, 3, day);
		for (int c = 0; c < 5 && rc == SQLITE_OK; c++)
			rc = sqlite3_bind_value(ins, 4 + c, sqlite3_column_value(sel, c));
		if (rc == SQLITE_OK)
			rc = step_reset(ins);
	}
	sqlite3_finalize(sel);
	sqlite3_finalize(ins);
	if (rc != SQLITE_OK)
		return db_fail(k, "write to database", rc);
	return rr == SQLITE_DONE ? LF_OK : db_fail_on(k, in->db, in->path, "read database", rr);
}

/* in's sets of (site, day) into merge_shard_sets, in place of what a
 * merge kept of them before, and whether in is a shard into merge_sources;
 * refused (LF_ERR_USAGE): a shard's day beside unsharded rows of it or
 * shards of another count, or the reverse. */
static enum lf_status shard_merge_day(struct db_sink *k, const struct merge_src *in,
				      struct slice site, struct slice day, bool merged_before)
{
	int64_t other = -1, own = -1, v[3] = { in->id, in->shard.index, in->shard.count };
	char why[PATH_MAX_MSG];
	enum lf_status st;
	sqlite3_stmt *q;
	/* another source of the day, one of another kind first */
	int rc = sqlite3_prepare_v2(k->db,
				    "SELECT coalesce(shard_count, 0) FROM merge_sources WHERE site = ?1 "
				    "AND day = ?2 AND source_id != ?3 ORDER BY (coalesce(shard_count, "
				    "0) = ?4) LIMIT 1",
				    -1, &q, NULL);
	if (rc == SQLITE_OK)
		rc = bind_slice(q, 1, site);
	if (rc == SQLITE_OK)
		rc = bind_slice(q, 2, day);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(q, 3, in->id);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(q, 4, in->shard.count);
	if (rc == SQLITE_OK && (rc = sqlite3_step(q)) == SQLITE_ROW) {
		other = sqlite3_column_int64(q, 0);
		rc = SQLITE_DONE;
	}
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE)
		return db_fail(k, "read database", rc);
	if (!merged_before && in->shard.count &&
	    (st = shard_int(k, "SELECT 1 FROM days WHERE site = ?1 AND day = ?2", site, day,
			    &own)) != LF_OK)
		return st;
	if ((other >= 0 && other != in->shard.count) || own == 1) {
		int n = snprintf(why, sizeof(why), "%s of day %.*s of '%.*s', and ",
				 in->shard.count ? "it is a shard" : "it is not sharded",
				 (int)day.n, day.p, (int)(site.n > 253 ? 253 : site.n), site.p);
		if (own == 1 || other == 0)
			snprintf(why + n, sizeof(why) - (size_t)n,
				 "the output holds that day from unsharded logs");
		else
			snprintf(why + n, sizeof(why) - (size_t)n,
				 "the output holds it from shards of %lld (a different N)",
				 (long long)other);
		return db_fail_at(k, LF_ERR_USAGE, "merge database", in->path, why);
	}
	st = shard_run(k, "DELETE FROM merge_shard_sets WHERE site = ?1 AND day = ?2 AND "
			  "source_id = ?3", site, day, v, 1);
	if (st == LF_OK && in->shard.count)
		st = shard_run(k, "UPDATE merge_sources SET shard_index = ?4, shard_count = ?5 "
				  "WHERE site = ?1 AND day = ?2 AND source_id = ?3", site, day, v, 3);
	if (st != LF_OK || !in->shard.count)
		return st;
	return shard_copy_sets(k, in, site, day);
}

/* How a table's small cells fold (aggregate/smallcell.h), in SQL over the
 * summed rows of a day: a cell folds when its visitors are under K or its
 * value reads "(other)"; its group's "(other)" row has the sums of the
 * folded cells and, as visitors, those of the sets (merge_shard_sets) of
 * its group that hold a value folded, each set once; it is written when
 * they are K or more. The sets hold every value a visitor had that may
 * fold, so this counts each visitor once, as one run does. */
struct shard_fold {
	const char *table;
	const char *dayof;  /* the row's day */
	const char *member; /* the row's value as a set holds it ... */
	const char *fmember; /* ... and row f's */
	const char *group;  /* GROUP BY of g, or "" for one group */
	const char *same;   /* f is in g's group */
	const char *sets;   /* the sets s of g's group */
	const char *cols;   /* the columns of the "(other)" row ... */
	const char *row;    /* ... and their values, but for visitors */
	const char *key;    /* a folded cell by group and member */
};

#define FOLD_LOAD_SUMS                                                                        \
	"sum(g.n), sum(g.sum_ms), max(g.max_ms), sum(g.le_10), sum(g.le_25), sum(g.le_50), "  \
	"sum(g.le_100), sum(g.le_250), sum(g.le_500), sum(g.le_1000), sum(g.le_2500), "      \
	"sum(g.le_5000), sum(g.le_10000), sum(g.le_25000), sum(g.le_60000), sum(g.gt_60000)"

static const struct shard_fold shard_folds[] = {
	{ "breakdown_daily", "day", "value", "f.value", "g.page, g.dimension",
	  "f.page = g.page AND f.dimension = g.dimension", "s.page = g.page AND s.part = g.dimension",
	  "site, day, page, dimension, value, pageviews, visitors",
	  "?1, ?2, g.page, g.dimension, '(other)', sum(g.pageviews)", "page, dimension, value" },
	{ "site_breakdown_daily", "day", "value", "f.value", "g.dimension", "f.dimension = g.dimension",
	  "s.page = '' AND s.part = g.dimension", "site, day, dimension, value, pageviews, visitors",
	  "?1, ?2, g.dimension, '(other)', sum(g.pageviews)", "dimension, value" },
	{ "action_daily", "day", "label", "f.label", "g.page, g.action",
	  "f.page = g.page AND f.action = g.action", "s.page = g.page AND s.part = g.action",
	  "site, day, page, action, label, count, visitors",
	  "?1, ?2, g.page, g.action, '(other)', sum(g.count)", "page, action, label" },
	{ "engagement_daily", "day", "page", "f.page", "", "1", "s.page = '' AND s.part = ''",
	  "site, day, page, measured, engaged_s, scroll_25, scroll_50, scroll_75, scroll_100, "
	  "visitors",
	  "?1, ?2, '(other)', sum(g.measured), sum(g.engaged_s), sum(g.scroll_25), "
	  "sum(g.scroll_50), sum(g.scroll_75), sum(g.scroll_100)", "page" },
	{ "load_hourly", "substr(hour, 1, 10)", "substr(hour, 12)", "substr(f.hour, 12)", "g.page, g.source",
	  "f.page = g.page AND f.source = g.source", "s.page = g.page AND s.part = g.source",
	  "site, hour, page, source, n, sum_ms, max_ms, le_10, le_25, le_50, le_100, le_250, "
	  "le_500, le_1000, le_2500, le_5000, le_10000, le_25000, le_60000, gt_60000, visitors",
	  "?1, ?2 || 'T(other)', g.page, g.source, " FOLD_LOAD_SUMS,
	  "page, source, substr(hour, 12)" },
};

/* Step i (0 .. 5) of the fold of table f, into sql; its length. The
 * "(other)" visitors read each set of a group once, and look its members
 * up among the folded cells by the index made here. */
static int shard_fold_sql(const struct shard_fold *f, int i, char *sql, size_t cap)
{
	const char *t = f->table;
	switch (i) {
	case 0:
		return snprintf(sql, cap,
				"CREATE TEMP TABLE IF NOT EXISTS fold_%s AS SELECT * FROM main.%s "
				"WHERE 0",
				t, t);
	case 1:
		return snprintf(sql, cap, "CREATE INDEX IF NOT EXISTS temp.fold_%s_key ON fold_%s (%s)",
				t, t, f->key);
	case 2: return snprintf(sql, cap, "DELETE FROM temp.fold_%s", t);
	case 3:
		return snprintf(sql, cap,
				"INSERT INTO temp.fold_%s SELECT * FROM main.%s WHERE site = ?1 AND "
				"%s = ?2 AND (visitors < ?3 OR %s = '(other)')",
				t, t, f->dayof, f->member);
	case 4:
		return snprintf(sql, cap,
				"DELETE FROM main.%s WHERE site = ?1 AND %s = ?2 AND (visitors < ?3 "
				"OR %s = '(other)')",
				t, f->dayof, f->member);
	default:
		return snprintf(sql, cap,
				"INSERT INTO main.%s (%s) SELECT * FROM (SELECT %s, (SELECT "
				"coalesce(sum(s.visitors), 0) FROM merge_shard_sets s WHERE s.site = "
				"?1 AND s.day = ?2 AND s.table_name = '%s' AND %s AND EXISTS (SELECT 1 "
				"FROM json_each(s.members) j, temp.fold_%s f WHERE %s AND %s = "
				"j.value)) AS v FROM temp.fold_%s g %s%s) WHERE v >= ?3",
				t, f->cols, f->row, t, f->sets, t, f->same, f->fmember, t,
				*f->group ? "GROUP BY " : "", f->group);
	}
}

/* Fold table f of (site, day) under K. */
static enum lf_status shard_fold_table(struct db_sink *k, const struct shard_fold *f,
				       struct slice site, struct slice day, int64_t K)
{
	char sql[4 * DB_SQL_MAX];
	enum lf_status st = LF_OK;
	for (int i = 0; i < 6 && st == LF_OK; i++) {
		int len = shard_fold_sql(f, i, sql, sizeof(sql));
		if (len < 0 || (size_t)len >= sizeof(sql))
			return db_fail_msg(k, "merge into database", "a fold too long");
		st = shard_run(k, sql, site, day, &K, 1);
	}
	return st;
}

/* After a day is summed: when shards made it, its small cells folded under
 * the K of its days row, and the sets gone from it (they stay, each
 * source's, in merge_shard_sets). */
static enum lf_status shard_fold_day(struct db_sink *k, struct slice site, struct slice day)
{
	int64_t sharded = -1, K = -1;
	enum lf_status st = shard_int(k,
				      "SELECT 1 FROM merge_sources WHERE site = ?1 AND day = ?2 AND "
				      "shard_count IS NOT NULL",
				      site, day, &sharded);
	if (st != LF_OK || sharded != 1)
		return st;
	st = shard_int(k, "SELECT min_visitors FROM days WHERE site = ?1 AND day = ?2", site, day,
		       &K);
	for (size_t i = 0; K > 1 && st == LF_OK && i < sizeof(shard_folds) / sizeof(*shard_folds);
	     i++)
		st = shard_fold_table(k, &shard_folds[i], site, day, K);
	return st;
}

/* The merge_TABLE rows of every source that was a shard, and their sets:
 * a merge takes a whole set of shards at once (cmd/commands.c checks it),
 * so that once it has summed and folded their days, the days' rows are
 * the result, and a later merge of the set rebuilds them from its own
 * shards alone. Kept, those rows would put the shards' unfolded cells
 * and one visitor's sets in the merged database. */
enum lf_status db_merge_finish(struct sink *s)
{
	struct db_sink *k = db_of(s);
	char sql[DB_SQL_MAX];
	enum lf_status st = k ? LF_OK : LF_ERR_DB;
	struct slice none = { NULL, 0 };
	for (int t = 0; t < TABLE_COUNT && st == LF_OK && k->merge; t++) {
		const struct table_def *d = &table_defs[t];
		int n = snprintf(sql, sizeof(sql),
				 "DELETE FROM merge_%s AS r WHERE source_id IN (SELECT source_id FROM "
				 "merge_sources m WHERE m.shard_count IS NOT NULL AND m.site = "
				 "r.site AND m.day = %s)",
				 d->name, d->hourly ? "substr(r.hour, 1, 10)" : "r.day");
		if (n < 0 || (size_t)n >= sizeof(sql))
			return db_fail_msg(k, "merge into database", "a table name too long");
		st = shard_run(k, sql, none, none, NULL, 0);
	}
	if (st == LF_OK && k->merge)
		st = shard_run(k, "DELETE FROM merge_shard_sets", none, none, NULL, 0);
	return st;
}
