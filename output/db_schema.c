/*
 * db_schema.c - the database's shape: the migrations that take a database
 * from any schema version logfold released to DB_SCHEMA_VERSION, the check
 * that refuses a database that is not logfold's or is newer, and the
 * database's own id (database_id), drawn once.
 *
 * Released migrations are never edited (tests/check-schema.sh upgrades the
 * fixtures they made). Nothing here writes a row of the per-day tables.
 */
#include "db_int.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

/* The SQL below is laid out by hand, as it was released. */
/* clang-format off */
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

/* clang-format on */

_Static_assert(sizeof(migrations) / sizeof(migrations[0]) == DB_SCHEMA_VERSION,
	       "one migration per schema version");
_Static_assert(SKIP_NREASONS == 10,
	       "a new skip reason is a new runs column: add a migration and sql_ins_run");

const char *db_migration_sql(int v)
{
	return v >= 0 && v < DB_SCHEMA_VERSION ? migrations[v] : NULL;
}

/* Inside the run's transaction: refuse a database that is not ours or is
 * newer than us, then bring an older one up to DB_SCHEMA_VERSION. */
enum lf_status db_schema(struct db_sink *k)
{
	long long version, objects;
	char why[96];
	enum sql_rc rc = sql_query_int(k->db, "PRAGMA user_version", &version);

	if (rc == SQL_OK)
		rc = sql_query_int(k->db, "SELECT count(*) FROM sqlite_master", &objects);
	if (rc != SQL_OK)
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
		rc = sql_exec(k->db, migrations[v]);
		if (rc != SQL_OK)
			return db_fail(k, "create tables in database", rc);
	}
	return LF_OK;
}

/* The database's own id, into k->id: drawn while its table is empty, that
 * is in the transaction that made it (a migration), then only read. 63
 * random bits from the kernel, derived from nothing: the id says which
 * database a merged day came from, never whose logs. */
enum lf_status db_own_id(struct db_sink *k)
{
	long long n = 0, id = 0;
	enum sql_rc rc = sql_query_int(k->db, "SELECT count(*) FROM database_id", &n);
	if (rc != SQL_OK)
		return db_fail(k, "read database", rc);
	if (n == 0) {
		uint64_t r;
		if (getrandom(&r, sizeof(r), 0) != (ssize_t)sizeof(r))
			return db_fail_msg(k, "make an id for database", strerror(errno));
		r >>= 1; /* a positive SQLite integer */
		struct db_arg a = DB_INT(r);
		enum lf_status st = db_run(k, "write to database",
					   "INSERT INTO database_id (id) VALUES (?1)", &a, 1, NULL);
		if (st != LF_OK)
			return st;
	}
	rc = sql_query_int(k->db, "SELECT id FROM database_id", &id);
	if (rc != SQL_OK)
		return db_fail(k, "read database", rc);
	k->id = id;
	return LF_OK;
}

long long db_schema_found(const struct sink *s)
{
	return ((const struct db_sink *)s)->found_version;
}
