/*
 * test_dbstate.c - what output/db_state.c keeps between runs: resume points and
 * the open days they hold, the days' K and mask, retention of both,
 * `prune --day`, closing a day no line wrote, merge's rule for K and mask,
 * the journal mode, and the migration from schema 8 (whose byte-hash resume
 * rows are dropped). Every database is written through the sink and read
 * back with raw sqlite3 queries; expected rows are written out by hand.
 */
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../common/civil.h"
#include "../../output/db.h"
#include "harness.h"
#include "sqlquery.h"

static char tmpdir[256];

static const char *in_tmp(char *buf, size_t len, const char *name)
{
	snprintf(buf, len, "%s/%s", tmpdir, name);
	return buf;
}

static struct sink *open_db(const char *path)
{
	char err[256] = "";
	struct sink *s = NULL;
	CHECK_INT(db_open(&s, path, 60, err, sizeof(err)), LF_OK);
	return s;
}

static void commit_close(struct sink *s)
{
	CHECK_INT(sink_commit(s), LF_OK);
	sink_close(s);
}

static int32_t day_of(const char *ymd)
{
	int32_t d = 0;
	CHECK(day_parse(ymd, strlen(ymd), &d));
	return d;
}

static const struct page_daily_row a_row[] = { { SLICE_LIT("/a"), 1, 1, 1, 1, 1, 1, 0, 0 } };

/* A day of example.org with one row, its state, K and mask. */
static struct day_result a_day(const char *day, bool closed, uint32_t k, uint32_t mask)
{
	struct day_result d = { .site = SLICE_LIT("example.org"), .rows = a_row, .nrows = 1,
				.closed = closed, .min_visitors = k, .mask_bytes = mask };
	snprintf(d.day, sizeof(d.day), "%s", day);
	return d;
}

static void write_day(struct sink *s, struct day_result d)
{
	bool replaced;
	CHECK_INT(sink_write_day(s, &d, &replaced), LF_OK);
}

/* A point stored, read back, replaced; its open days with it. */
static void test_resume_rows(void)
{
	char path[4096];
	struct db_open_day open[2] = { { "example.org", day_of("2024-06-11") },
				       { "other.org", day_of("2024-06-11") } };
	struct db_resume p = { 0x8000000000000001ull, 64, "access.log", 3, 5,
			       day_of("2024-06-10"), day_of("2024-06-11"), open, 2 };
	struct sink *s = open_db(in_tmp(path, sizeof(path), "resume.db"));
	if (!s)
		return;
	CHECK_INT(db_resume_put(s, NULL, &p), LF_OK);
	commit_close(s);
	/* a fingerprint past 2^63 is stored as SQLite's signed 64 bits */
	CHECK_QUERY(path, "SELECT * FROM resume",
		    "-9223372036854775807|64|access.log|3|5|2024-06-10|2024-06-11\n");
	CHECK_QUERY(path, "SELECT site, day FROM resume_days ORDER BY site",
		    "example.org|2024-06-11\nother.org|2024-06-11\n");
	struct db_resume *rows = NULL;
	size_t n = 0;
	s = open_db(path);
	CHECK_INT(db_resume_load(s, &rows, &n), LF_OK);
	CHECK_INT(n, 1);
	if (n == 1) {
		CHECK(rows[0].fingerprint == p.fingerprint);
		CHECK_INT(rows[0].fp_lines, 64);
		CHECK_STR(rows[0].name, "access.log");
		CHECK_INT(rows[0].closed_line, 3);
		CHECK_INT(rows[0].reached_line, 5);
		CHECK_INT(rows[0].first_day, day_of("2024-06-10"));
		CHECK_INT(rows[0].nopen, 2);
	}
	/* The input grew and was renamed: the new point replaces the old one
	 * (another fingerprint: the old one was over fewer lines), with its
	 * own open days only. */
	struct db_open_day open2[1] = { { "example.org", day_of("2024-06-12") } };
	struct db_resume q = { 77, 64, "access.log.1", 9, 9, day_of("2024-06-10"),
			       day_of("2024-06-12"), open2, 1 };
	CHECK_INT(db_resume_put(s, n ? &rows[0] : NULL, &q), LF_OK);
	db_resume_free(rows, n);
	commit_close(s);
	CHECK_QUERY(path, "SELECT fingerprint, name, closed_line, last_day FROM resume",
		    "77|access.log.1|9|2024-06-12\n");
	CHECK_QUERY(path, "SELECT fingerprint, site, day FROM resume_days", "77|example.org|2024-06-12\n");
}

/* Many points, each with its own number of open days, read back whole:
 * 70 points (past the first room of 64) stored in an order that is not
 * the key order, point i with i % 7 open days (past the first room of 4),
 * days 2024-06-01 + d for d < i % 7 on site "sN.org". What each must hold
 * is that rule, not anything read from logfold. */
#define NPOINTS 70
#define MAXOPEN 6

static void test_resume_many(void)
{
	char path[4096], names[NPOINTS][16], sites[NPOINTS][16];
	struct db_open_day open[NPOINTS][MAXOPEN];
	int32_t june1 = day_of("2024-06-01");
	struct sink *s = open_db(in_tmp(path, sizeof(path), "many.db"));
	if (!s)
		return;
	for (int j = 0; j < NPOINTS; j++) {
		int i = (j * 37) % NPOINTS; /* 37 is prime to 70: every i once, out of order */
		snprintf(names[i], sizeof(names[i]), "p%d.log", i);
		snprintf(sites[i], sizeof(sites[i]), "s%d.org", i);
		for (int d = 0; d < i % 7; d++)
			open[i][d] = (struct db_open_day){ sites[i], june1 + d };
		struct db_resume p = { .fingerprint = 1000 + (uint64_t)i,
				       .fp_lines = 64,
				       .name = names[i],
				       .closed_line = 1,
				       .reached_line = 2,
				       .first_day = june1,
				       .last_day = june1 + 6,
				       .open = open[i],
				       .nopen = (size_t)(i % 7) };
		CHECK_INT(db_resume_put(s, NULL, &p), LF_OK);
	}
	commit_close(s);
	struct db_resume *rows = NULL;
	size_t n = 0;
	s = open_db(path);
	CHECK_INT(db_resume_load(s, &rows, &n), LF_OK);
	CHECK_INT(n, NPOINTS);
	for (size_t r = 0; r < n; r++) {
		int i = (int)(rows[r].fingerprint - 1000);
		CHECK(i >= 0 && i < NPOINTS);
		if (i < 0 || i >= NPOINTS)
			continue;
		CHECK_STR(rows[r].name, names[i]);
		CHECK_INT(rows[r].nopen, i % 7);
		for (size_t d = 0; d < rows[r].nopen && d < MAXOPEN; d++) {
			CHECK_STR(rows[r].open[d].site, sites[i]);
			CHECK_INT(rows[r].open[d].day, june1 + (int32_t)d);
		}
	}
	db_resume_free(rows, n);
	sink_close(s);
}

/* Retention deletes a point with the last of its days, and the open days
 * before the first day kept (issue 14 point 7). */
static void test_resume_retention(void)
{
	char path[4096];
	uint64_t deleted = 0;
	struct db_open_day o1[1] = { { "example.org", day_of("2024-01-31") } };
	struct db_open_day o2[2] = { { "example.org", day_of("2024-01-31") },
				     { "example.org", day_of("2024-02-01") } };
	/* old: every day before 2024-02-01; across: its last day kept */
	struct db_resume old = { 1, 10, "old.log", 1, 1, day_of("2024-01-01"), day_of("2024-01-31"),
				 o1, 1 };
	struct db_resume across = { 2, 10, "across.log", 1, 1, day_of("2024-01-30"),
				    day_of("2024-02-01"), o2, 2 };
	struct sink *s = open_db(in_tmp(path, sizeof(path), "retention.db"));
	if (!s)
		return;
	CHECK_INT(db_resume_put(s, NULL, &old), LF_OK);
	CHECK_INT(db_resume_put(s, NULL, &across), LF_OK);
	write_day(s, a_day("2024-01-31", false, 5, 2));
	write_day(s, a_day("2024-02-01", false, 5, 2));
	CHECK_INT(db_prune(s, "2024-02-01", &deleted), LF_OK);
	commit_close(s);
	CHECK_INT(deleted, 3); /* 2024-01-31's page_daily, site_daily and days rows */
	CHECK_QUERY(path, "SELECT name FROM resume", "across.log\n");
	CHECK_QUERY(path, "SELECT fingerprint, day FROM resume_days", "2|2024-02-01\n");
	CHECK_QUERY(path, "SELECT day FROM days", "2024-02-01\n");
}

/* The K and mask of each day, read back; a day written before schema 9
 * reads -1 (unknown). */
static void test_days_k(void)
{
	char path[4096];
	struct sink *s = open_db(in_tmp(path, sizeof(path), "days.db"));
	if (!s)
		return;
	write_day(s, a_day("2024-06-10", true, 7, 3));
	write_day(s, a_day("2024-06-11", false, 5, 2));
	commit_close(s);
	CHECK_QUERY(path, "SELECT day, state, min_visitors, mask_bytes FROM days ORDER BY day",
		    "2024-06-10|closed|7|3\n2024-06-11|open|5|2\n");
	raw_exec(path, "INSERT INTO days VALUES ('example.org', '2024-06-09', 'closed', NULL, NULL)");
	CHECK_QUERY(path, "SELECT count(*) FROM days WHERE min_visitors IS NULL", "1\n");
}

/* prune --day: a closed day emptied and kept closed with K and mask 0; an
 * open one deleted whole, and out of the points' open days; the other
 * site's day of the same date untouched when a site is named. */
static void test_prune_day(void)
{
	char path[4096];
	uint64_t deleted, days;
	struct db_open_day o[1] = { { "example.org", day_of("2024-06-11") } };
	struct db_resume p = { 5, 64, "a.log", 1, 2, day_of("2024-06-10"), day_of("2024-06-11"), o, 1 };
	struct day_result other = a_day("2024-06-10", true, 5, 2);
	other.site = SLICE_LIT("other.org");
	struct sink *s = open_db(in_tmp(path, sizeof(path), "pruneday.db"));
	if (!s)
		return;
	write_day(s, a_day("2024-06-10", true, 5, 2));
	write_day(s, a_day("2024-06-11", false, 5, 2));
	write_day(s, other);
	CHECK_INT(db_resume_put(s, NULL, &p), LF_OK);
	commit_close(s);
	s = open_db(path);
	CHECK_INT(db_prune_day(s, "2024-06-10", "example.org", &deleted, &days), LF_OK);
	CHECK_INT(deleted, 2); /* its page_daily row and its site_daily row (one a day) */
	CHECK_INT(days, 1);
	CHECK_INT(db_prune_day(s, "2024-06-11", NULL, &deleted, &days), LF_OK);
	CHECK_INT(deleted, 2);
	CHECK_INT(days, 1);
	commit_close(s);
	CHECK_QUERY(path, "SELECT site, day, state, min_visitors, mask_bytes FROM days ORDER BY 1, 2",
		    "example.org|2024-06-10|closed|0|0\nother.org|2024-06-10|closed|5|2\n");
	CHECK_QUERY(path, "SELECT site, day FROM page_daily", "other.org|2024-06-10\n");
	CHECK_QUERY(path, "SELECT count(*) FROM resume_days", "0\n");
	CHECK_QUERY(path, "SELECT name FROM resume", "a.log\n"); /* it keeps other days from recount */
}

/* A day closed with no line written: its rows stay, its state changes. */
static void test_close_day(void)
{
	char path[4096];
	struct sink *s = open_db(in_tmp(path, sizeof(path), "close.db"));
	if (!s)
		return;
	write_day(s, a_day("2024-06-11", false, 5, 2));
	CHECK_INT(db_close_day(s, SLICE_LIT("example.org"), "2024-06-11"), LF_OK);
	CHECK_INT(db_close_day(s, SLICE_LIT("example.org"), "2024-06-30"), LF_OK); /* none: fine */
	commit_close(s);
	CHECK_QUERY(path, "SELECT state, min_visitors FROM days", "closed|5\n");
	CHECK_QUERY(path, "SELECT count(*) FROM page_daily", "1\n");
}

/* merge: the K and mask of a day are the smaller of the two (the weaker
 * protection), not their sum as counts are. */
static void test_merge_k(void)
{
	char a[4096], b[4096], out[4096];
	struct db_merge_stats ms;
	struct sink *s = open_db(in_tmp(a, sizeof(a), "ka.db"));
	if (!s)
		return;
	write_day(s, a_day("2024-06-10", true, 5, 2));
	commit_close(s);
	s = open_db(in_tmp(b, sizeof(b), "kb.db"));
	write_day(s, a_day("2024-06-10", true, 3, 4));
	commit_close(s);
	s = open_db(in_tmp(out, sizeof(out), "kout.db"));
	CHECK_INT(db_merge(s, a, &ms), LF_OK);
	CHECK_INT(db_merge(s, b, &ms), LF_OK);
	commit_close(s);
	CHECK_QUERY(out, "SELECT state, min_visitors, mask_bytes FROM days", "closed|3|2\n");
	CHECK_QUERY(out, "SELECT pageviews FROM page_daily", "2\n");
}

static bool file_exists(const char *path, off_t *size)
{
	struct stat sb;
	if (stat(path, &sb) != 0)
		return false;
	*size = sb.st_size;
	return true;
}

/* The journal that held a run's pages before it (deleted rows included) is
 * cut to nothing at the commit; a database another program left in WAL
 * mode is taken out of it, its WAL gone. */
static void test_journal(void)
{
	char path[4096], aside[4200];
	off_t size = -1;
	struct sink *s = open_db(in_tmp(path, sizeof(path), "journal.db"));
	if (!s)
		return;
	write_day(s, a_day("2024-06-10", false, 5, 2));
	commit_close(s);
	raw_exec(path, "PRAGMA journal_mode = WAL");
	CHECK_QUERY(path, "PRAGMA journal_mode", "wal\n");
	s = open_db(path);
	write_day(s, a_day("2024-06-10", true, 5, 2)); /* replaced: the old rows deleted */
	commit_close(s);
	snprintf(aside, sizeof(aside), "%s-wal", path);
	CHECK(!file_exists(aside, &size));
	snprintf(aside, sizeof(aside), "%s-journal", path);
	CHECK(!file_exists(aside, &size) || size == 0);
	/* the file's header says rollback journal (1, 1), not WAL (2, 2) */
	CHECK_QUERY(path, "PRAGMA journal_mode", "delete\n");
	FILE *f = fopen(path, "rb");
	unsigned char head[20] = { 0 };
	CHECK(f && fread(head, 1, 20, f) == 20);
	if (f)
		fclose(f);
	CHECK(head[18] == 1 && head[19] == 1);
}

/* Schema 12 to 13 (DB_SCHEMA_LINE_RESUME): the resume rows (a hash of raw
 * bytes and byte offsets) are dropped, days gain K and mask, unknown (NULL)
 * for the days before. */
static void test_migrate_v8(void)
{
	char path[4096];
	/* a schema-12 database: today's, with its 12 -> 13 changes undone as
	 * schema 12 had them (written out by hand below) */
	struct sink *s = open_db(in_tmp(path, sizeof(path), "v8.db"));
	if (!s)
		return;
	write_day(s, a_day("2024-06-10", true, 5, 2));
	commit_close(s);
	raw_exec(path,
		 "ALTER TABLE days DROP COLUMN min_visitors;"
		 "ALTER TABLE days DROP COLUMN mask_bytes;"
		 "DROP TABLE resume; DROP TABLE resume_days;"
		 "CREATE TABLE resume (fingerprint INTEGER NOT NULL, fp_bytes INTEGER NOT NULL,"
		 " closed_offset INTEGER NOT NULL, reached_offset INTEGER NOT NULL,"
		 " closed_line INTEGER NOT NULL, reached_line INTEGER NOT NULL,"
		 " PRIMARY KEY (fp_bytes, fingerprint)) WITHOUT ROWID;"
		 "INSERT INTO resume VALUES (123, 4096, 10, 20, 1, 2);"
		 /* and schema 14's (--shard), which came later */
		 "DROP TABLE shard; DROP TABLE shard_sets; DROP TABLE merge_shard_sets;"
		 "ALTER TABLE merge_sources DROP COLUMN shard_index;"
		 "ALTER TABLE merge_sources DROP COLUMN shard_count;"
		 "PRAGMA user_version = 12;");
	s = open_db(path);
	if (!s)
		return;
	CHECK_INT(db_schema_found(s), DB_SCHEMA_LINE_RESUME - 1);
	commit_close(s);
	CHECK_QUERY(path, "PRAGMA user_version", "14\n");
	CHECK_QUERY(path, "SELECT count(*) FROM resume", "0\n");
	CHECK_QUERY(path, "SELECT site, day, state, min_visitors, mask_bytes FROM days",
		    "example.org|2024-06-10|closed|NULL|NULL\n");
	CHECK_QUERY(path, "SELECT count(*) FROM page_daily", "1\n");
}

static void test_setup(void)
{
	const char *t = getenv("TMPDIR");
	snprintf(tmpdir, sizeof(tmpdir), "%s/lf_dbstate_XXXXXX", t && *t ? t : "/tmp");
	CHECK(mkdtemp(tmpdir) != NULL);
}

static void test_cleanup(void)
{
	char cmd[512];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	CHECK(system(cmd) == 0);
}

TEST_MAIN(test_setup, test_resume_rows, test_resume_many, test_resume_retention, test_days_k,
	  test_prune_day, test_close_day, test_merge_k, test_journal, test_migrate_v8, test_cleanup)
