/*
 * test_output.c - the output sinks (output/db.c, output/csv.c) and their
 * shared formatters (output/cells.c). Every sink test writes through the
 * sink interface into a fresh directory under $TMPDIR and reads the result
 * back independently: the database with raw sqlite3 queries, the CSV files
 * byte for byte. Expected values are written out by hand.
 * Failing writes are made with RLIMIT_FSIZE (the kernel refuses to grow a
 * file past it with EFBIG), which needs neither root nor a full disk.
 */
#include <errno.h>
#include <ftw.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "../../output/csv.h"
#include "../../output/db.h"
#include "../../output/cells.h"
#include "harness.h"
#include "sqlquery.h"

#define STR_(x) #x
#define STR(x) STR_(x)

static char tmpdir[256]; /* made by test_setup, removed by test_cleanup */

/* tmpdir/name in buf (PATH_MAX-sized buffers throughout). */
static const char *in_tmp(char *buf, size_t len, const char *name)
{
	snprintf(buf, len, "%s/%s", tmpdir, name);
	return buf;
}

/* The whole file, NUL-terminated, or NULL when it cannot be read. */
static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t len = 0;
	FILE *m;
	int c;

	if (!f)
		return NULL;
	m = open_memstream(&buf, &len);
	while ((c = getc(f)) != EOF)
		putc(c, m);
	fclose(m);
	fclose(f);
	return buf;
}

static int exists(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0;
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "wb");

	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

#define CHECK_FILE(path, want)                                                  \
	do {                                                                    \
		char *f_ = slurp(path);                                         \
		CHECK(f_ != NULL);                                              \
		if (f_)                                                         \
			CHECK_STR(f_, (want));                                  \
		free(f_);                                                       \
	} while (0)

/* ---- the data every sink test writes ---- */

static const struct page_daily_row day9_rows[] = {
	{ SLICE_LIT("/"), 5, 3, 4, 3, 1, 2, 300, 3 },
	{ SLICE_LIT("/about"), 2, 2, 2, 1, 0, 2, 0, 0 },
};
static const struct day_result day9 = { .site = SLICE_LIT("example.org"), .day = "2024-03-09", .rows = day9_rows, .nrows = 2 };

static const struct page_daily_row day10_rows[] = {
	{ SLICE_LIT("/caf\xc3\xa9"), 1, 1, 1, 1, 1, 1, 0, 0 },
};
static const struct day_result day10 = { .site = SLICE_LIT("example.org"), .day = "2024-03-10", .rows = day10_rows, .nrows = 1 };

static const struct run_input run_inputs[] = {
	{ "access.log", 1234 },
	{ "a\"b\\c\td\x01.log", 0 },
	{ "caf\xc3\xa9 \xff.gz", UINT64_MAX },
};

/* The JSON of run_inputs, by hand: \" \\ for the quote and backslash,
 * \u0009 and \u0001 for the controls, é kept, the stray 0xff as \ufffd. */
#define RUN_INPUTS_JSON                                                         \
	"[{\"name\":\"access.log\",\"lines\":1234},"                            \
	"{\"name\":\"a\\\"b\\\\c\\u0009d\\u0001.log\",\"lines\":0},"            \
	"{\"name\":\"caf\xc3\xa9 \\ufffd.gz\",\"lines\":18446744073709551615}]"

static struct run_info make_run(const struct run_input *in, size_t n)
{
	struct run_info r = { "2024-03-11", "0.1.0", in, n, 100, 8, { 1, 2, 3, 4, 5, 6, 7 }, 8 };
	return r;
}

/* ---- formatters ---- */

static void check_u64(uint64_t v, const char *want)
{
	char buf[CELLS_U64_MAX];
	size_t n = cells_u64(buf, v);

	CHECK_MEM(buf, n, want);
}

static void test_format_u64(void)
{
	check_u64(0, "0");
	check_u64(7, "7");
	check_u64(10, "10");
	check_u64(1234567890, "1234567890");
	check_u64(UINT64_MAX, "18446744073709551615");
}

static void check_json(const char *name, const char *want)
{
	struct run_input in = { name, 5 };
	char *json = NULL;
	size_t len = 0;

	CHECK_INT(cells_inputs_json(&in, 1, &json, &len), LF_OK);
	if (json) {
		CHECK_MEM(json, len, want);
		CHECK_INT(strlen(json), len);
	}
	free(json);
}

static void test_format_json(void)
{
	struct run_info r = make_run(run_inputs, 3);
	char *json = NULL;
	size_t len = 0;

	CHECK_INT(cells_inputs_json(NULL, 0, &json, &len), LF_OK);
	CHECK_MEM(json, len, "[]");
	free(json);
	CHECK_INT(cells_inputs_json(r.inputs, r.ninputs, &json, &len), LF_OK);
	CHECK_MEM(json, len, RUN_INPUTS_JSON);
	free(json);

	check_json("", "[{\"name\":\"\",\"lines\":5}]");
	check_json("\n\x1f\x7f", "[{\"name\":\"\\u000a\\u001f\x7f\",\"lines\":5}]");
	/* 4-byte UTF-8 (U+1F600) is kept as it is. */
	check_json("\xf0\x9f\x98\x80", "[{\"name\":\"\xf0\x9f\x98\x80\",\"lines\":5}]");
	/* Overlong "/", a surrogate, a sequence cut short, above U+10FFFF:
	 * every byte that starts no valid sequence becomes one U+FFFD. */
	check_json("\xc0\xaf", "[{\"name\":\"\\ufffd\\ufffd\",\"lines\":5}]");
	check_json("\xed\xa0\x80", "[{\"name\":\"\\ufffd\\ufffd\\ufffd\",\"lines\":5}]");
	check_json("x\xe2\x82", "[{\"name\":\"x\\ufffd\\ufffd\",\"lines\":5}]");
	check_json("\xf4\x90\x80\x80",
		   "[{\"name\":\"\\ufffd\\ufffd\\ufffd\\ufffd\",\"lines\":5}]");
}

static void test_format_error(void)
{
	char buf[64], tiny[12];

	cells_error(buf, sizeof(buf), "write", "/x/a.tmp", "No space left on device");
	CHECK_STR(buf, "cannot write '/x/a.tmp': No space left on device");
	cells_error(tiny, sizeof(tiny), "write", "/x/a.tmp", "No space left on device");
	CHECK_STR(tiny, "cannot writ");
}

/* ---- SQLite ---- */

#define PAGE_DAILY_ALL                                                          \
	"SELECT site, day, page, pageviews, visitors, visits, entrances,"       \
	" bounces, exits, time_on_page_s, time_on_page_n FROM page_daily"       \
	" ORDER BY site, day, page"

static void test_db_create(void)
{
	char path[4096], err[256] = "";
	struct sink *s = NULL;
	struct run_info r = make_run(run_inputs, 3);
	bool replaced = true;

	in_tmp(path, sizeof(path), "create.db");
	CHECK_INT(db_open(&s, path, 60, err, sizeof(err)), LF_OK);
	if (!s)
		return;
	CHECK_STR(s->where, path);
	CHECK_INT(sink_write_day(s, &day9, &replaced), LF_OK);
	CHECK(!replaced);
	replaced = true;
	CHECK_INT(sink_write_day(s, &day10, &replaced), LF_OK);
	CHECK(!replaced);
	CHECK_INT(sink_write_run(s, &r), LF_OK);
	CHECK_INT(sink_commit(s), LF_OK);
	CHECK_STR(sink_error(s), "");
	sink_close(s);

	CHECK_QUERY(path, PAGE_DAILY_ALL,
		    "example.org|2024-03-09|/|5|3|4|3|1|2|300|3\n"
		    "example.org|2024-03-09|/about|2|2|2|1|0|2|0|0\n"
		    "example.org|2024-03-10|/caf\xc3\xa9|1|1|1|1|1|1|0|0\n");
	CHECK_QUERY(path, "SELECT typeof(site), typeof(day), typeof(page), typeof(pageviews),"
			  " typeof(time_on_page_n) FROM page_daily LIMIT 1",
		    "text|text|text|integer|integer\n");
	CHECK_QUERY(path,
		    "SELECT run_id, started, version, inputs, lines, pageviews, malformed,"
		    " not_get, status, static, bot, other_site, excluded, beacon FROM runs",
		    "1|2024-03-11|0.1.0|" RUN_INPUTS_JSON "|100|8|1|2|3|4|5|6|7|8\n");
	/* SQLite's own JSON parser agrees that the text is JSON and reads the
	 * escaped name back to the bytes it came from. */
	CHECK_QUERY(path, "SELECT json_valid(inputs), json_array_length(inputs),"
			  " json_extract(inputs, '$[1].name') FROM runs",
		    "1|3|a\"b\\c\td\x01.log\n");
	CHECK_QUERY(path, "PRAGMA user_version", STR(DB_SCHEMA_VERSION) "\n");
}

/* A version-2 database (before load_hourly, other_site and excluded) is
 * migrated in place: its rows stay, its old runs read 0 for the new columns, and the
 * new run's counts land in them. The v2 schema is written out here by
 * hand, as it was released. */
static void test_db_migrate_v2(void)
{
	char path[4096], err[256] = "";
	struct sink *s = NULL;
	struct run_info r = make_run(run_inputs, 1);

	raw_exec(in_tmp(path, sizeof(path), "v2.db"),
		 "CREATE TABLE page_daily (site TEXT NOT NULL, day TEXT NOT NULL,"
		 " page TEXT NOT NULL, pageviews INTEGER NOT NULL, visitors INTEGER NOT NULL,"
		 " visits INTEGER NOT NULL, entrances INTEGER NOT NULL, bounces INTEGER NOT NULL,"
		 " exits INTEGER NOT NULL, time_on_page_s INTEGER NOT NULL,"
		 " time_on_page_n INTEGER NOT NULL, PRIMARY KEY (site, day, page)) WITHOUT ROWID;"
		 "CREATE TABLE runs (run_id INTEGER PRIMARY KEY, started TEXT NOT NULL,"
		 " version TEXT NOT NULL, inputs TEXT NOT NULL, lines INTEGER NOT NULL,"
		 " pageviews INTEGER NOT NULL, malformed INTEGER NOT NULL, not_get INTEGER NOT NULL,"
		 " status INTEGER NOT NULL, static INTEGER NOT NULL, bot INTEGER NOT NULL);"
		 "CREATE TABLE breakdown_daily (site TEXT NOT NULL, day TEXT NOT NULL,"
		 " page TEXT NOT NULL, dimension TEXT NOT NULL, value TEXT NOT NULL,"
		 " pageviews INTEGER NOT NULL, visitors INTEGER NOT NULL,"
		 " PRIMARY KEY (site, day, page, dimension, value)) WITHOUT ROWID;"
		 "INSERT INTO page_daily VALUES ('old.example', '2023-01-01', '/', 1,1,1,1,1,1,0,0);"
		 "INSERT INTO runs VALUES (1, '2023-01-02', '0.1.0', '[]', 9, 1, 1, 2, 2, 2, 1);"
		 "PRAGMA user_version = 2;");
	CHECK_INT(db_open(&s, path, 60, err, sizeof(err)), LF_OK);
	if (!s)
		return;
	CHECK_INT(sink_write_run(s, &r), LF_OK);
	CHECK_INT(sink_commit(s), LF_OK);
	sink_close(s);
	CHECK_QUERY(path, "PRAGMA user_version", STR(DB_SCHEMA_VERSION) "\n");
	CHECK_QUERY(path, "SELECT site, pageviews FROM page_daily", "old.example|1\n");
	CHECK_QUERY(path, "SELECT count(*) FROM load_hourly", "0\n");
	CHECK_QUERY(path, "SELECT count(*), id > 0 FROM database_id", "1|1\n");
	CHECK_QUERY(path, "SELECT run_id, lines, bot, other_site, excluded FROM runs ORDER BY run_id",
		    "1|9|1|0|0\n2|100|5|6|7\n");
}

/* The schema is public: column names, order, NOT NULL and keys. */
static void test_db_schema(void)
{
	char path[4096], want[256] = "";
	size_t used = 0;

	in_tmp(path, sizeof(path), "create.db");
	CHECK_QUERY(path, "SELECT name, type, \"notnull\", pk FROM pragma_table_info('page_daily')",
		    "site|TEXT|1|1\nday|TEXT|1|2\npage|TEXT|1|3\n"
		    "pageviews|INTEGER|1|0\nvisitors|INTEGER|1|0\nvisits|INTEGER|1|0\n"
		    "entrances|INTEGER|1|0\nbounces|INTEGER|1|0\nexits|INTEGER|1|0\n"
		    "time_on_page_s|INTEGER|1|0\ntime_on_page_n|INTEGER|1|0\n");
	CHECK_QUERY(path, "SELECT name, type, pk FROM pragma_table_info('runs')",
		    "run_id|INTEGER|1\nstarted|TEXT|0\nversion|TEXT|0\ninputs|TEXT|0\n"
		    "lines|INTEGER|0\npageviews|INTEGER|0\nmalformed|INTEGER|0\n"
		    "not_get|INTEGER|0\nstatus|INTEGER|0\nstatic|INTEGER|0\nbot|INTEGER|0\n"
		    "beacon|INTEGER|0\nother_site|INTEGER|0\nexcluded|INTEGER|0\n"
		    "not_request|INTEGER|0\nexpired|INTEGER|0\nfuture|INTEGER|0\n");
	/* The skip columns follow skip_reason_names, whatever its spelling;
	 * beacon (issue 8) is no skip reason, and ALTER TABLE put it between. */
	for (size_t i = 0; i < SKIP_NREASONS; i++)
		used += (size_t)snprintf(want + used, sizeof(want) - used, "%s\n",
					 skip_reason_names[i]);
	CHECK_QUERY(path,
		    "SELECT name FROM pragma_table_info('runs') WHERE cid >= 6 AND name != 'beacon'",
		    want);
	CHECK_QUERY(path, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name",
		    "action_daily\nbots_daily\nbreakdown_daily\ndatabase_id\ndays\nengagement_daily\n"
		    "load_hourly\nmerge_shard_sets\nmerge_sources\npage_daily\nresume\n"
		    "resume_days\nruns\nshard\nshard_sets\nsite_breakdown_daily\n"
		    "site_daily\n");
	/* the database's own id, one row; what merges put here, integers and
	 * the key of a day only */
	CHECK_QUERY(path, "SELECT name, type, \"notnull\", pk FROM pragma_table_info('database_id')",
		    "id|INTEGER|1|0\n");
	CHECK_QUERY(path, "SELECT count(*), typeof(id), id > 0 FROM database_id", "1|integer|1\n");
	CHECK_QUERY(path, "SELECT name, type, \"notnull\", pk FROM pragma_table_info('merge_sources')",
		    "site|TEXT|1|1\nday|TEXT|1|2\nsource_id|INTEGER|1|3\n"
		    "shard_index|INTEGER|0|0\nshard_count|INTEGER|0|0\n");
	CHECK_QUERY(path, "SELECT name, type, \"notnull\", pk FROM pragma_table_info('site_daily')",
		    "site|TEXT|1|1\nday|TEXT|1|2\npageviews|INTEGER|1|0\nvisitors|INTEGER|1|0\n"
		    "visits|INTEGER|1|0\nbounces|INTEGER|1|0\ntime_on_page_s|INTEGER|1|0\n"
		    "time_on_page_n|INTEGER|1|0\n");
	CHECK_QUERY(path,
		    "SELECT name, type, \"notnull\", pk FROM pragma_table_info('site_breakdown_daily')",
		    "site|TEXT|1|1\nday|TEXT|1|2\ndimension|TEXT|1|3\nvalue|TEXT|1|4\n"
		    "pageviews|INTEGER|1|0\nvisitors|INTEGER|1|0\n");
	CHECK_QUERY(path, "SELECT name, type, \"notnull\", pk FROM pragma_table_info('engagement_daily')",
		    "site|TEXT|1|1\nday|TEXT|1|2\npage|TEXT|1|3\nmeasured|INTEGER|1|0\n"
		    "engaged_s|INTEGER|1|0\nscroll_25|INTEGER|1|0\nscroll_50|INTEGER|1|0\n"
		    "scroll_75|INTEGER|1|0\nscroll_100|INTEGER|1|0\nvisitors|INTEGER|1|0\n");
	/* the visitors of schema 9 (the small-cell rule) last, as ALTER TABLE
	 * puts them, and in the view after the buckets as in the CSV */
	CHECK_QUERY(path, "SELECT group_concat(name, ' ') FROM pragma_table_info('load_hourly')",
		    "site hour page source n sum_ms max_ms le_10 le_25 le_50 le_100 le_250 le_500"
		    " le_1000 le_2500 le_5000 le_10000 le_25000 le_60000 gt_60000 visitors\n");
	CHECK_QUERY(path, "SELECT group_concat(name, ' ') FROM pragma_table_info('load_hourly_stats')",
		    "site hour page source n sum_ms max_ms le_10 le_25 le_50 le_100 le_250 le_500"
		    " le_1000 le_2500 le_5000 le_10000 le_25000 le_60000 gt_60000 visitors"
		    " p50_ms p75_ms p95_ms\n");
	CHECK_QUERY(path, "SELECT name, type, \"notnull\", pk FROM pragma_table_info('action_daily')",
		    "site|TEXT|1|1\nday|TEXT|1|2\npage|TEXT|1|3\naction|TEXT|1|4\n"
		    "label|TEXT|1|5\ncount|INTEGER|1|0\nvisitors|INTEGER|1|0\n");
	CHECK_QUERY(path, "SELECT name, type, \"notnull\", pk FROM pragma_table_info('bots_daily')",
		    "site|TEXT|1|1\nday|TEXT|1|2\nbot|TEXT|1|3\nrequests|INTEGER|1|0\n");
	/* days: the K and mask each day was computed with (NULL: before schema 9) */
	CHECK_QUERY(path, "SELECT name, type, \"notnull\", pk FROM pragma_table_info('days')",
		    "site|TEXT|1|1\nday|TEXT|1|2\nstate|TEXT|1|0\nmin_visitors|INTEGER|0|0\n"
		    "mask_bytes|INTEGER|0|0\n");
	/* resume holds no byte of a log nor a hash of one: the fingerprint of
	 * reduced line signatures, line numbers, days and the input's name */
	CHECK_QUERY(path, "SELECT name, type, \"notnull\", pk FROM pragma_table_info('resume')",
		    "fingerprint|INTEGER|1|2\nfp_lines|INTEGER|1|1\nname|TEXT|1|0\n"
		    "closed_line|INTEGER|1|0\nreached_line|INTEGER|1|0\nfirst_day|TEXT|1|0\n"
		    "last_day|TEXT|1|0\n");
	CHECK_QUERY(path, "SELECT name, type, \"notnull\", pk FROM pragma_table_info('resume_days')",
		    "fingerprint|INTEGER|1|2\nfp_lines|INTEGER|1|1\nsite|TEXT|1|3\nday|TEXT|1|4\n");
	CHECK_QUERY(path, "SELECT name, type, \"notnull\", pk FROM pragma_table_info('breakdown_daily')",
		    "site|TEXT|1|1\nday|TEXT|1|2\npage|TEXT|1|3\ndimension|TEXT|1|4\n"
		    "value|TEXT|1|5\npageviews|INTEGER|1|0\nvisitors|INTEGER|1|0\n");
}

static const struct page_daily_row new_rows[] = {
	{ SLICE_LIT("/new"), 9, 8, 7, 6, 5, 4, 3, 2 },
};
static const struct page_daily_row one_row[] = {
	{ SLICE_LIT("/"), 1, 1, 1, 1, 1, 1, 0, 0 },
};

static void test_db_replace(void)
{
	char path[4096], err[256] = "";
	struct sink *s = NULL;
	struct day_result day9_again = { .site = SLICE_LIT("example.org"), .day = "2024-03-09", .rows = new_rows, .nrows = 1 };
	struct day_result day12 = { .site = SLICE_LIT("example.org"), .day = "2024-03-12", .rows = one_row, .nrows = 1 };
	struct day_result other9 = { .site = SLICE_LIT("other.net"), .day = "2024-03-09", .rows = one_row, .nrows = 1 };
	bool replaced = false;

	in_tmp(path, sizeof(path), "replace.db");
	CHECK_INT(db_open(&s, path, 60, err, sizeof(err)), LF_OK);
	CHECK_INT(sink_write_day(s, &day9, &replaced), LF_OK);
	CHECK_INT(sink_commit(s), LF_OK);
	sink_close(s);

	CHECK_INT(db_open(&s, path, 60, err, sizeof(err)), LF_OK);
	CHECK_INT(sink_write_day(s, &day9_again, &replaced), LF_OK);
	CHECK(replaced);
	CHECK_INT(sink_write_day(s, &day12, &replaced), LF_OK);
	CHECK(!replaced);
	/* Same day, another site: a different unit. */
	CHECK_INT(sink_write_day(s, &other9, &replaced), LF_OK);
	CHECK(!replaced);
	CHECK_INT(sink_commit(s), LF_OK);
	sink_close(s);

	/* Both old rows of 2024-03-09 are gone, not only the one that clashed. */
	CHECK_QUERY(path, PAGE_DAILY_ALL,
		    "example.org|2024-03-09|/new|9|8|7|6|5|4|3|2\n"
		    "example.org|2024-03-12|/|1|1|1|1|1|1|0|0\n"
		    "other.net|2024-03-09|/|1|1|1|1|1|1|0|0\n");
	CHECK_QUERY(path, "SELECT count(*) FROM runs", "0\n");
}

static void test_db_no_commit(void)
{
	char path[4096], err[256] = "";
	struct sink *s = NULL;
	struct run_info r = make_run(run_inputs, 1);
	struct day_result day9_again = { .site = SLICE_LIT("example.org"), .day = "2024-03-09", .rows = new_rows, .nrows = 1 };
	bool replaced = false;

	/* A new database closed without commit holds nothing, not even tables,
	 * and is still usable: its version is 0 and it has no tables. */
	in_tmp(path, sizeof(path), "nocommit.db");
	CHECK_INT(db_open(&s, path, 60, err, sizeof(err)), LF_OK);
	CHECK_INT(sink_write_day(s, &day9, &replaced), LF_OK);
	CHECK_INT(sink_write_run(s, &r), LF_OK);
	sink_close(s);
	CHECK_QUERY(path, "SELECT count(*) FROM sqlite_master", "0\n");
	CHECK_QUERY(path, "PRAGMA user_version", "0\n");

	CHECK_INT(db_open(&s, path, 60, err, sizeof(err)), LF_OK);
	CHECK_INT(sink_write_day(s, &day9, &replaced), LF_OK);
	CHECK_INT(sink_commit(s), LF_OK);
	sink_close(s);

	/* Replace a day and add a run, then close without commit. */
	CHECK_INT(db_open(&s, path, 60, err, sizeof(err)), LF_OK);
	CHECK_INT(sink_write_day(s, &day9_again, &replaced), LF_OK);
	CHECK(replaced);
	CHECK_INT(sink_write_run(s, &r), LF_OK);
	sink_close(s);
	CHECK_QUERY(path, PAGE_DAILY_ALL,
		    "example.org|2024-03-09|/|5|3|4|3|1|2|300|3\n"
		    "example.org|2024-03-09|/about|2|2|2|1|0|2|0|0\n");
	CHECK_QUERY(path, "SELECT count(*) FROM runs", "0\n");
}

/* A write that fails half-way through a day: the error names the database,
 * later calls fail with the same message, and nothing of the run stays. */
static void test_db_failed_write(void)
{
	static const struct page_daily_row dup_rows[] = {
		{ SLICE_LIT("/x"), 1, 1, 1, 1, 1, 1, 0, 0 },
		{ SLICE_LIT("/x"), 2, 2, 2, 2, 2, 2, 0, 0 },
	};
	struct day_result dup = { .site = SLICE_LIT("example.org"), .day = "2024-03-09", .rows = dup_rows, .nrows = 2 };
	struct run_info r = make_run(run_inputs, 1);
	char path[4096], err[256] = "", want[4200];
	struct sink *s = NULL;
	bool replaced = false;

	in_tmp(path, sizeof(path), "nocommit.db"); /* holds day9 */
	CHECK_INT(db_open(&s, path, 60, err, sizeof(err)), LF_OK);
	CHECK_INT(sink_write_day(s, &dup, &replaced), LF_ERR_DB);
	snprintf(want, sizeof(want),
		 "cannot write to database '%s': UNIQUE constraint failed:"
		 " page_daily.site, page_daily.day, page_daily.page", path);
	CHECK_STR(sink_error(s), want);
	CHECK_INT(sink_write_day(s, &day10, &replaced), LF_ERR_DB);
	CHECK_INT(sink_write_run(s, &r), LF_ERR_DB);
	CHECK_INT(sink_commit(s), LF_ERR_DB);
	CHECK_STR(sink_error(s), want);
	sink_close(s);
	CHECK_QUERY(path, PAGE_DAILY_ALL,
		    "example.org|2024-03-09|/|5|3|4|3|1|2|300|3\n"
		    "example.org|2024-03-09|/about|2|2|2|1|0|2|0|0\n");
	CHECK_QUERY(path, "SELECT count(*) FROM runs", "0\n");
}

/*
 * The percentiles of load_hourly: the SQLite view load_hourly_stats and
 * the CSV (load_percentile through table_row) must give the same numbers
 * for the same buckets. 300 rows of pseudo-random buckets (a fixed LCG,
 * many empty buckets, counts up to 1000, max anywhere in the last
 * non-empty bucket) and the hand-worked rows of test_load.c.
 */
#define LOAD_ROWS 300

static uint64_t lcg(uint64_t *x)
{
	*x = *x * 6364136223846793005ULL + 1442695040888963407ULL;
	return *x >> 33;
}

static void make_load_rows(struct load_row *rows, char (*pages)[16])
{
	uint64_t x = 42;
	for (size_t i = 0; i < LOAD_ROWS; i++) {
		struct load_row *r = &rows[i];
		int last = 0;
		snprintf(pages[i], 16, "/p%03zu", i);
		*r = (struct load_row){ .page = slice_cstr(pages[i]), .hour = "2024-03-09T13",
					.source = LOAD_SOURCE_SERVER };
		for (int b = 0; b < LOAD_NBUCKETS; b++) {
			r->buckets[b] = lcg(&x) % 3 == 0 ? lcg(&x) % 1000 : 0;
			if (r->buckets[b])
				last = b;
			r->n += r->buckets[b];
		}
		if (r->n == 0) {
			r->buckets[5] = r->n = 1;
			last = 5;
		}
		uint64_t lo = last ? load_bounds[last - 1] + 1 : 0;
		uint64_t hi = last < LOAD_NBUCKETS - 1 ? load_bounds[last] : 200000;
		r->max_ms = lo + lcg(&x) % (hi - lo + 1);
		r->sum_ms = r->max_ms * r->n;
	}
	/* the first rows: hand-worked in test_load.c */
	rows[0] = (struct load_row){ .page = rows[0].page, .hour = "2024-03-09T13",
				     .source = LOAD_SOURCE_SERVER, .n = 2,
				     .max_ms = 20, .buckets = { 1, 1 } };
	rows[1] = (struct load_row){ .page = rows[1].page, .hour = "2024-03-09T13",
				     .source = LOAD_SOURCE_CLIENT, .n = 2,
				     .max_ms = 120000, .buckets = { [0] = 1, [12] = 1 } };
	/* one sample of 102 ms: 102 at every percentile (test_load.c) */
	rows[2] = (struct load_row){ .page = rows[2].page, .hour = "2024-03-09T13",
				     .source = LOAD_SOURCE_SERVER, .n = 1, .sum_ms = 102,
				     .max_ms = 102, .buckets = { [4] = 1 } };
}

static void test_load_view(void)
{
	static struct load_row rows[LOAD_ROWS];
	static char pages[LOAD_ROWS][16];
	char path[4096], err[256] = "";
	struct sink *s = NULL;
	struct run_info r = make_run(run_inputs, 0);
	bool replaced;
	struct day_result d = { .site = SLICE_LIT("example.org"), .day = "2024-03-09",
				.load = rows, .nload = LOAD_ROWS };

	make_load_rows(rows, pages);
	in_tmp(path, sizeof(path), "load.db");
	CHECK_INT(db_open(&s, path, 60, err, sizeof(err)), LF_OK);
	if (!s)
		return;
	CHECK_INT(sink_write_day(s, &d, &replaced), LF_OK);
	CHECK_INT(sink_write_run(s, &r), LF_OK);
	CHECK_INT(sink_commit(s), LF_OK);
	sink_close(s);

	char *got = raw_query(path, "SELECT p50_ms, p75_ms, p95_ms FROM load_hourly_stats"
				    " ORDER BY page");
	char *want = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&want, &len);
	for (size_t i = 0; i < LOAD_ROWS; i++) {
		struct cell c[TABLE_MAX_COLS];
		table_row(&d, TABLE_LOAD_HOURLY, i, true, c);
		fprintf(m, "%llu|%llu|%llu\n", (unsigned long long)c[8 + LOAD_NBUCKETS].num,
			(unsigned long long)c[9 + LOAD_NBUCKETS].num,
			(unsigned long long)c[10 + LOAD_NBUCKETS].num);
	}
	fclose(m);
	CHECK_STR(got, want);
	/* and the hand-worked values themselves, through SQLite */
	CHECK_QUERY(path, "SELECT page, p50_ms, p75_ms, p95_ms FROM load_hourly_stats"
			  " WHERE page IN ('/p000', '/p001', '/p002') ORDER BY page",
		    "/p000|10|15|19\n/p001|10|90000|114000\n/p002|102|102|102\n");
	/* the random rows do reach every bucket (else the comparison proves little) */
	CHECK_QUERY(path, "SELECT count(DISTINCT p95_ms) > 100, min(p50_ms) <= 10,"
			  " max(p95_ms) > 60000 FROM load_hourly_stats", "1|1|1\n");
	free(got);
	free(want);
}

/* Replacing a day reads only that day: every table's DELETE is a search of
 * its primary key, never a scan (load_hourly's once compared
 * substr(hour, 1, 10), a scan of all the site's rows per day written: a
 * year's backfill went quadratic). And it deletes exactly the day's hours. */
static void test_db_delete_day(void)
{
	static struct load_row rows[3];
	char path[4096], sql[512], err[256] = "";
	struct sink *s = NULL;
	bool replaced;
	struct day_result d9 = { .site = SLICE_LIT("example.org"), .day = "2024-03-09",
				 .load = rows, .nload = 1 };
	struct day_result d10 = { .site = SLICE_LIT("example.org"), .day = "2024-03-10",
				  .load = rows + 1, .nload = 2 };
	struct load_row r = { .page = SLICE_LIT("/"), .source = LOAD_SOURCE_SERVER, .n = 1,
			      .sum_ms = 7, .max_ms = 7, .buckets = { 1 } };

	in_tmp(path, sizeof(path), "delete.db");
	CHECK_INT(db_open(&s, path, 60, err, sizeof(err)), LF_OK);
	if (!s)
		return;
	rows[0] = rows[1] = rows[2] = r;
	memcpy(rows[0].hour, "2024-03-09T23", 14);
	memcpy(rows[1].hour, "2024-03-10T00", 14);
	memcpy(rows[2].hour, "2024-03-10T23", 14);
	CHECK_INT(sink_write_day(s, &d9, &replaced), LF_OK);
	CHECK_INT(sink_write_day(s, &d10, &replaced), LF_OK);
	d10.nload = 1; /* 2024-03-10 again, with its first hour only */
	CHECK_INT(sink_write_day(s, &d10, &replaced), LF_OK);
	CHECK(replaced);
	CHECK_INT(sink_commit(s), LF_OK);
	sink_close(s);
	CHECK_QUERY(path, "SELECT hour FROM load_hourly ORDER BY hour",
		    "2024-03-09T23\n2024-03-10T00\n");
	for (int t = 0; t < TABLE_COUNT; t++) {
		char plan[600], want[128];
		int n = snprintf(plan, sizeof(plan), "EXPLAIN QUERY PLAN ");
		db_delete_day_sql(&table_defs[t], plan + n, sizeof(plan) - (size_t)n);
		char *got = raw_query(path, plan);
		/* rows "id|parent|notused|detail" */
		snprintf(sql, sizeof(sql), "%s", got ? got : "");
		char *detail = strrchr(sql, '|');
		if (detail)
			detail[strcspn(detail, "\n")] = '\0';
		snprintf(want, sizeof(want), "|SEARCH %s USING PRIMARY KEY (site=? AND %s)",
			 table_defs[t].name, table_defs[t].hourly ? "hour>? AND hour<?" : "day=?");
		CHECK_STR(detail ? detail : "", want);
		free(got);
	}
}

/* SQLite's integers are signed: a count above INT64_MAX is refused with a
 * message, never written as a negative number, and nothing commits. */
static void test_db_count_too_big(void)
{
	static const struct page_daily_row big[] = {
		{ SLICE_LIT("/big"), UINT64_MAX, 1, 1, 1, 1, 1, 0, 0 },
	};
	struct day_result d = { .site = SLICE_LIT("example.org"), .day = "2024-03-11",
				.rows = big, .nrows = 1 };
	char path[4096], err[256] = "", want[4200];
	struct sink *s = NULL;
	bool replaced = false;

	in_tmp(path, sizeof(path), "big.db");
	CHECK_INT(db_open(&s, path, 60, err, sizeof(err)), LF_OK);
	if (!s)
		return;
	CHECK_INT(sink_write_day(s, &d, &replaced), LF_ERR_DB);
	snprintf(want, sizeof(want), "cannot write to database '%s': count exceeds 2^63-1", path);
	CHECK_STR(sink_error(s), want);
	CHECK_INT(sink_commit(s), LF_ERR_DB);
	sink_close(s);
	/* not even the tables: they were made in the same transaction */
	CHECK_QUERY(path, "SELECT count(*) FROM sqlite_master", "0\n");
}

/* db_open on tmpdir/name fails with "cannot VERB 'PATH': CAUSE". */
static void check_refused(const char *name, const char *verb, const char *cause)
{
	char path[4096], err[256] = "", want[4400];
	struct sink *s = NULL;

	in_tmp(path, sizeof(path), name);
	snprintf(want, sizeof(want), "cannot %s '%s': %s", verb, path, cause);
	CHECK_INT(db_open(&s, path, 60, err, sizeof(err)), LF_ERR_DB);
	CHECK(s == NULL);
	CHECK_STR(err, want);
}

static void test_db_refused(void)
{
	static const char text[] = "This is a text file, long enough that SQLite reads a "
				   "whole header from it and sees that it is no database.\n";
	char path[4096];

	raw_exec(in_tmp(path, sizeof(path), "newer.db"), "PRAGMA user_version = 99");
	check_refused("newer.db", "use database",
		      "schema version 99 is newer than this logfold's (" STR(DB_SCHEMA_VERSION) ")");
	CHECK_QUERY(path, "PRAGMA user_version", "99\n");
	CHECK_QUERY(path, "SELECT count(*) FROM sqlite_master", "0\n");

	raw_exec(in_tmp(path, sizeof(path), "foreign.db"), "CREATE TABLE t (x)");
	check_refused("foreign.db", "use database", "it is not a logfold database");
	CHECK_QUERY(path, "SELECT name FROM sqlite_master", "t\n");

	raw_exec(in_tmp(path, sizeof(path), "negative.db"), "PRAGMA user_version = -1");
	check_refused("negative.db", "use database", "it is not a logfold database");

	write_file(in_tmp(path, sizeof(path), "text.db"), text);
	check_refused("text.db", "open database", "file is not a database");
	CHECK_FILE(path, text);

	/* the system's reason, and the directory SQLite would create it in */
	char dir[4096], cause[4400];
	snprintf(cause, sizeof(cause),
		 "No such file or directory (the directory '%s', where SQLite would create it)",
		 in_tmp(dir, sizeof(dir), "missing/"));
	check_refused("missing/x.db", "open database", cause);
}

/* Lower the file-size limit so that any file growing past limit fails with
 * EFBIG; SIGXFSZ, which would kill us, is ignored meanwhile. */
static struct rlimit limit_files(rlim_t limit)
{
	struct rlimit old, now;

	getrlimit(RLIMIT_FSIZE, &old);
	now = old;
	now.rlim_cur = limit;
	signal(SIGXFSZ, SIG_IGN);
	CHECK_INT(setrlimit(RLIMIT_FSIZE, &now), 0);
	return old;
}

static void unlimit_files(struct rlimit old)
{
	CHECK_INT(setrlimit(RLIMIT_FSIZE, &old), 0);
	signal(SIGXFSZ, SIG_DFL);
}

/* n rows with pages /page/00000 ... of the given width (at most 64). */
static struct page_daily_row *many_rows(size_t n, char (*pages)[64], int width)
{
	struct page_daily_row *rows = calloc(n, sizeof(*rows));

	for (size_t i = 0; rows && i < n; i++) {
		int len = snprintf(pages[i], 64, "/page/%0*zu", width - 6, i);
		rows[i] = (struct page_daily_row){ slice_make(pages[i], (size_t)len), 1, 2, 3, 4,
						   5, 6, 7, 8 };
	}
	return rows;
}

/* The disk fills up during the run: commit fails with the system's reason
 * and the database is exactly as it was. */
static void test_db_full(void)
{
	enum { N = 5000 }; /* 5000 rows of ~80 bytes: 400 KB, past the 64 KiB limit */
	char (*pages)[64] = malloc(N * sizeof(*pages));
	struct page_daily_row *rows = pages ? many_rows(N, pages, 60) : NULL;
	struct day_result big = { .site = SLICE_LIT("example.org"), .day = "2024-03-10", .rows = rows, .nrows = N };
	char path[4096], err[256] = "", want[4200];
	struct sink *s = NULL;
	struct rlimit old;
	bool replaced = false;
	enum lf_status st;

	CHECK(rows != NULL);
	in_tmp(path, sizeof(path), "full.db");
	CHECK_INT(db_open(&s, path, 60, err, sizeof(err)), LF_OK);
	CHECK_INT(sink_write_day(s, &day9, &replaced), LF_OK);
	CHECK_INT(sink_commit(s), LF_OK);
	sink_close(s);

	old = limit_files(64 * 1024);
	CHECK_INT(db_open(&s, path, 60, err, sizeof(err)), LF_OK);
	/* 400 KB fit SQLite's page cache (2 MB by default), so the file grows
	 * at COMMIT; should SQLite spill earlier, write_day fails instead.
	 * SQLite reports EFBIG as SQLITE_IOERR_WRITE without keeping errno
	 * (unixGetLastError reads errno only after its own clean-up), so the
	 * cause is SQLite's words; ENOSPC would be "database or disk is full". */
	st = sink_write_day(s, &big, &replaced);
	snprintf(want, sizeof(want), "cannot %s database '%s': disk I/O error",
		 st == LF_OK ? "commit to" : "write to", path);
	if (st == LF_OK)
		st = sink_commit(s);
	CHECK_INT(st, LF_ERR_DB);
	CHECK_STR(sink_error(s), want);
	sink_close(s);
	unlimit_files(old);

	CHECK_QUERY(path, "PRAGMA integrity_check", "ok\n");
	CHECK_QUERY(path, PAGE_DAILY_ALL,
		    "example.org|2024-03-09|/|5|3|4|3|1|2|300|3\n"
		    "example.org|2024-03-09|/about|2|2|2|1|0|2|0|0\n");
	free(rows);
	free(pages);
}

/* ---- CSV ---- */

/* The largest count SQLite stores (INT64_MAX): the CSV writes it in full. */
static const struct page_daily_row quoting_rows[] = {
	{ SLICE_LIT("/plain"), INT64_MAX, 0, 0, 0, 0, 0, 0, 0 },
	{ SLICE_LIT("/a,b"), 1, 2, 3, 4, 5, 6, 7, 8 },
	{ SLICE_LIT("/say \"hi\""), 1, 2, 3, 4, 5, 6, 7, 8 },
	{ SLICE_LIT("/line\nbreak"), 1, 2, 3, 4, 5, 6, 7, 8 },
	{ SLICE_LIT("/cr\rx"), 1, 2, 3, 4, 5, 6, 7, 8 },
	{ SLICE_LIT("=1+2"), 1, 2, 3, 4, 5, 6, 7, 8 },
	{ SLICE_LIT("+cmd"), 1, 2, 3, 4, 5, 6, 7, 8 },
	{ SLICE_LIT("-2"), 1, 2, 3, 4, 5, 6, 7, 8 },
	{ SLICE_LIT("@SUM(A1)"), 1, 2, 3, 4, 5, 6, 7, 8 },
	{ SLICE_LIT("=HYPERLINK(\"x\",\"y\")"), 1, 2, 3, 4, 5, 6, 7, 8 },
	{ SLICE_LIT("/x=1"), 1, 2, 3, 4, 5, 6, 7, 8 },
	{ SLICE_LIT(""), 1, 2, 3, 4, 5, 6, 7, 8 },
};

#define PD_HEAD                                                                 \
	"site,day,page,pageviews,visitors,visits,entrances,bounces,exits,"      \
	"time_on_page_s,time_on_page_n\n"
#define RUNS_HEAD                                                               \
	"started,version,inputs,lines,pageviews,malformed,not_get,status,static,bot,other_site," \
	"excluded,not_request,expired,future,beacon\n"

/* One run into the database at path (days d[0..n-1], then the run row r
 * when not NULL), its tables exported to dir: csv_write inside the
 * transaction, the commit, csv_publish. */
static void run_with_csv(const char *path, const char *dir, const struct day_result *const *d,
			 size_t n, const struct run_info *r)
{
	char err[256] = "";
	struct sink *db = NULL;
	struct csv *csv = NULL;
	bool replaced;

	CHECK_INT(db_open(&db, path, 60, err, sizeof(err)), LF_OK);
	CHECK_INT(csv_open(&csv, dir, err, sizeof(err)), LF_OK);
	if (!db || !csv) {
		if (db)
			sink_close(db);
		csv_close(csv);
		return;
	}
	for (size_t i = 0; i < n; i++)
		CHECK_INT(sink_write_day(db, d[i], &replaced), LF_OK);
	if (r)
		CHECK_INT(sink_write_run(db, r), LF_OK);
	CHECK_INT(csv_write(csv, db), LF_OK);
	CHECK_INT(sink_commit(db), LF_OK);
	CHECK_INT(csv_publish(csv), LF_OK);
	CHECK_STR(csv_error(csv), "");
	csv_close(csv);
	sink_close(db);
}

/* Quoting and the formula guard, cell by cell; rows in key order (byte
 * order: '=' 0x3D < 'e', "" < "+" < "-" < "/" < "=" < "@"), whatever the
 * order they were written in. */
static void test_csv_quoting(void)
{
	static const struct run_input in[] = { { "access.log", 1234 }, { "x\"y", 5 } };
	struct day_result d = { .site = SLICE_LIT("example.org"), .day = "2024-03-09",
				.rows = quoting_rows,
				.nrows = sizeof(quoting_rows) / sizeof(quoting_rows[0]) };
	struct day_result evil = { .site = SLICE_LIT("=evil,site"), .day = "2024-03-10", .rows = one_row, .nrows = 1 };
	const struct day_result *days[] = { &d, &evil };
	struct run_info r = make_run(in, 2);
	char dir[4096], path[4096], pd[4200], runs[4200], tmp[4200];

	in_tmp(dir, sizeof(dir), "csv");
	in_tmp(path, sizeof(path), "csv.db");
	snprintf(pd, sizeof(pd), "%s/page_daily.csv", dir);
	snprintf(runs, sizeof(runs), "%s/runs.csv", dir);
	snprintf(tmp, sizeof(tmp), "%s/page_daily.csv.tmp", dir);
	run_with_csv(path, dir, days, 2, &r);
	CHECK(!exists(tmp));

	CHECK_FILE(pd, PD_HEAD
		   "\"'=evil,site\",2024-03-10,/,1,1,1,1,1,1,0,0\n"
		   "example.org,2024-03-09,,1,2,3,4,5,6,7,8\n"
		   "example.org,2024-03-09,'+cmd,1,2,3,4,5,6,7,8\n"
		   "example.org,2024-03-09,'-2,1,2,3,4,5,6,7,8\n"
		   "example.org,2024-03-09,\"/a,b\",1,2,3,4,5,6,7,8\n"
		   "example.org,2024-03-09,\"/cr\rx\",1,2,3,4,5,6,7,8\n"
		   "example.org,2024-03-09,\"/line\nbreak\",1,2,3,4,5,6,7,8\n"
		   "example.org,2024-03-09,/plain,9223372036854775807,0,0,0,0,0,0,0\n"
		   "example.org,2024-03-09,\"/say \"\"hi\"\"\",1,2,3,4,5,6,7,8\n"
		   "example.org,2024-03-09,/x=1,1,2,3,4,5,6,7,8\n"
		   "example.org,2024-03-09,'=1+2,1,2,3,4,5,6,7,8\n"
		   "example.org,2024-03-09,\"'=HYPERLINK(\"\"x\"\",\"\"y\"\")\",1,2,3,4,5,6,7,8\n"
		   "example.org,2024-03-09,'@SUM(A1),1,2,3,4,5,6,7,8\n");
	CHECK_FILE(runs, RUNS_HEAD
		   "2024-03-11,0.1.0,"
		   "\"[{\"\"name\"\":\"\"access.log\"\",\"\"lines\"\":1234},"
		   "{\"\"name\"\":\"\"x\\\"\"y\"\",\"\"lines\"\":5}]\","
		   "100,8,1,2,3,4,5,6,7,0,0,0,8\n");
}

/* Issue 15, point 8: the CSV files keep history. A second run writes
 * another day into the same database; its export holds both days, both
 * runs, and load_hourly with its percentiles computed from the stored
 * buckets (n 2, max 20 ms, one time in le_10 and one in le_25: p50 10,
 * p75 15, p95 19, as test_load.c works them out). */
static void test_csv_history(void)
{
	static const struct load_row load[] = {
		{ .page = SLICE_LIT("/"), .hour = "2024-03-10T13", .source = LOAD_SOURCE_SERVER,
		  .n = 2, .sum_ms = 25, .max_ms = 20, .buckets = { 1, 1 } },
	};
	struct day_result day10_load = day10;
	const struct day_result *first[] = { &day9 }, *second[] = { &day10_load };
	struct run_info r1 = make_run(run_inputs, 1), r2 = make_run(run_inputs, 1);
	char dir[4096], path[4096], file[4200];

	day10_load.load = load;
	day10_load.nload = 1;
	r2.lines = 200;
	in_tmp(dir, sizeof(dir), "history");
	in_tmp(path, sizeof(path), "history.db");
	run_with_csv(path, dir, first, 1, &r1);
	run_with_csv(path, dir, second, 1, &r2);
	snprintf(file, sizeof(file), "%s/page_daily.csv", dir);
	CHECK_FILE(file, PD_HEAD
		   "example.org,2024-03-09,/,5,3,4,3,1,2,300,3\n"
		   "example.org,2024-03-09,/about,2,2,2,1,0,2,0,0\n"
		   "example.org,2024-03-10,/caf\xc3\xa9,1,1,1,1,1,1,0,0\n");
	snprintf(file, sizeof(file), "%s/days.csv", dir);
	/* the days' K and mask: 0, as these day_results were made without them */
	CHECK_FILE(file, "site,day,state,min_visitors,mask_bytes\nexample.org,2024-03-09,open,0,0\n"
			 "example.org,2024-03-10,open,0,0\n");
	snprintf(file, sizeof(file), "%s/load_hourly.csv", dir);
	CHECK_FILE(file, "site,hour,page,source,n,sum_ms,max_ms,le_10,le_25,le_50,le_100,le_250,"
			 "le_500,le_1000,le_2500,le_5000,le_10000,le_25000,le_60000,gt_60000,"
			 "visitors,p50_ms,p75_ms,p95_ms\n"
			 "example.org,2024-03-10T13,/,server,2,25,20,1,1,0,0,0,0,0,0,0,0,0,0,0,0,"
			 "10,15,19\n");
	snprintf(file, sizeof(file), "%s/runs.csv", dir);
	CHECK_FILE(file, RUNS_HEAD
		   "2024-03-11,0.1.0,\"[{\"\"name\"\":\"\"access.log\"\",\"\"lines\"\":1234}]\","
		   "100,8,1,2,3,4,5,6,7,0,0,0,8\n"
		   "2024-03-11,0.1.0,\"[{\"\"name\"\":\"\"access.log\"\",\"\"lines\"\":1234}]\","
		   "200,8,1,2,3,4,5,6,7,0,0,0,8\n");
}

/* Written but not published (the database's commit failed, or the run
 * stopped): the CSVs a previous run left stay as they were, no tmp file
 * remains. A trailing slash on the directory is not doubled in paths. */
static void test_csv_no_commit(void)
{
	char dir[4096], path[4096], pd[4200], err[256] = "";
	struct sink *db = NULL;
	struct csv *csv = NULL;
	bool replaced = false;

	mkdir(in_tmp(dir, sizeof(dir), "csv2"), 0777);
	snprintf(pd, sizeof(pd), "%s/page_daily.csv", dir);
	write_file(pd, "old\n");
	in_tmp(dir, sizeof(dir), "csv2/");
	CHECK_INT(db_open(&db, in_tmp(path, sizeof(path), "csv2.db"), 60, err, sizeof(err)), LF_OK);
	CHECK_INT(csv_open(&csv, dir, err, sizeof(err)), LF_OK);
	if (!db || !csv)
		return;
	CHECK_INT(sink_write_day(db, &day9, &replaced), LF_OK);
	CHECK_INT(csv_write(csv, db), LF_OK);
	in_tmp(dir, sizeof(dir), "csv2/page_daily.csv.tmp");
	CHECK(exists(dir));
	csv_close(csv);
	sink_close(db);

	CHECK_FILE(pd, "old\n");
	CHECK(!exists(in_tmp(dir, sizeof(dir), "csv2/page_daily.csv.tmp")));
	CHECK(!exists(in_tmp(dir, sizeof(dir), "csv2/runs.csv.tmp")));
	CHECK(!exists(in_tmp(dir, sizeof(dir), "csv2/runs.csv")));
}

static void check_csv_refused(const char *name, const char *what, const char *cause)
{
	char dir[4096], err[256] = "", want[4400];
	struct csv *c = NULL;

	in_tmp(dir, sizeof(dir), name);
	snprintf(want, sizeof(want), "cannot %s '%s%s': %s", what, dir,
		 strcmp(what, "create") == 0 ? "/page_daily.csv.tmp" : "", cause);
	CHECK_INT(csv_open(&c, dir, err, sizeof(err)), LF_ERR_IO);
	CHECK(c == NULL);
	CHECK_STR(err, want);
}

static void test_csv_bad_dir(void)
{
	char path[4096];

	write_file(in_tmp(path, sizeof(path), "plain.txt"), "x\n");
	check_csv_refused("plain.txt/sub", "create directory", "Not a directory");
	check_csv_refused("plain.txt", "create", "Not a directory");
	check_csv_refused("none/a", "create directory", "No such file or directory");
	CHECK_FILE(path, "x\n");
}

/* The disk fills up while the CSV files are written: once while the rows
 * still sit in the stdio buffer (the flush fails), once past it (a write
 * fails). Either way csv_write says which file and why, the old CSV stays,
 * no tmp file is left, and the database is not committed (the run keeps
 * nothing). The limit is set around csv_write only: the database's rows
 * are in SQLite's page cache until its commit. */
static void check_csv_full(size_t n)
{
	char (*pages)[64] = malloc(n * sizeof(*pages));
	struct page_daily_row *rows = pages ? many_rows(n, pages, 12) : NULL;
	struct day_result big = { .site = SLICE_LIT("example.org"), .day = "2024-03-10", .rows = rows, .nrows = n };
	char dir[4096], path[4096], pd[4200], want[4400], err[256] = "";
	struct sink *db = NULL;
	struct csv *csv = NULL;
	struct rlimit old;
	bool replaced = false;

	CHECK(rows != NULL);
	mkdir(in_tmp(dir, sizeof(dir), "csv3"), 0777);
	in_tmp(path, sizeof(path), "csv3.db");
	snprintf(pd, sizeof(pd), "%s/page_daily.csv", dir);
	snprintf(want, sizeof(want), "cannot write '%s.tmp': File too large", pd);
	write_file(pd, "old\n");
	CHECK_INT(db_open(&db, path, 60, err, sizeof(err)), LF_OK);
	CHECK_INT(csv_open(&csv, dir, err, sizeof(err)), LF_OK);
	if (!db || !csv)
		return;
	CHECK_INT(sink_write_day(db, &big, &replaced), LF_OK);
	old = limit_files(64 * 1024);
	CHECK_INT(csv_write(csv, db), LF_ERR_IO);
	unlimit_files(old);
	CHECK_STR(csv_error(csv), want);
	CHECK_INT(csv_publish(csv), LF_ERR_IO); /* refused after the failure */
	csv_close(csv);
	sink_close(db);
	CHECK_FILE(pd, "old\n");
	CHECK(!exists(in_tmp(dir, sizeof(dir), "csv3/page_daily.csv.tmp")));
	CHECK(!exists(in_tmp(dir, sizeof(dir), "csv3/runs.csv")));
	CHECK_QUERY(path, "SELECT count(*) FROM sqlite_master", "0\n");
	free(rows);
	free(pages);
}

static void test_csv_full(void)
{
	/* A row is "example.org,2024-03-10,/page/000000,1,2,3,4,5,6,7,8\n",
	 * 52 bytes: 2000 rows (104 KB) pass the 64 KiB limit but fit the
	 * 256 KiB buffer; 20000 rows (1 MB) overflow it during the write. */
	check_csv_full(2000);
	check_csv_full(20000);
}

/* ---- set-up ---- */

static void test_setup(void)
{
	const char *t = getenv("TMPDIR");

	snprintf(tmpdir, sizeof(tmpdir), "%s/lf_test_output.XXXXXX", t && *t ? t : "/tmp");
	CHECK(mkdtemp(tmpdir) != NULL);
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void test_cleanup(void)
{
	CHECK_INT(nftw(tmpdir, rm_one, 16, FTW_DEPTH | FTW_PHYS), 0);
}

/* breakdown_daily goes through the same generic table code in the
 * database and its CSV export; a day replaced in one table is replaced in
 * all. */
static void test_breakdown_both(void)
{
	static const struct breakdown_row bd[] = {
		{ SLICE_LIT("/"), DIM_BROWSER, SLICE_LIT("(other)"), 4, 2 },
		{ SLICE_LIT("/"), DIM_REFERRER, SLICE_LIT("=a,b"), 2, 2 },
	};
	struct day_result d = { .site = SLICE_LIT("example.org"), .day = "2024-03-09",
				.rows = day9_rows, .nrows = 2, .breakdown = bd, .nbreakdown = 2 };
	struct day_result again = { .site = SLICE_LIT("example.org"), .day = "2024-03-09",
				    .rows = one_row, .nrows = 1 };
	const struct day_result *first[] = { &d }, *second[] = { &again };
	struct run_info r = make_run(run_inputs, 1);
	char path[4096], dir[4096], file[4200];

	in_tmp(path, sizeof(path), "bd.db");
	in_tmp(dir, sizeof(dir), "bdcsv");
	run_with_csv(path, dir, first, 1, &r);
	CHECK_QUERY(path, "SELECT * FROM breakdown_daily ORDER BY dimension",
		    "example.org|2024-03-09|/|browser|(other)|4|2\n"
		    "example.org|2024-03-09|/|referrer|=a,b|2|2\n");
	snprintf(file, sizeof(file), "%s/breakdown_daily.csv", dir);
	CHECK_FILE(file, "site,day,page,dimension,value,pageviews,visitors\n"
			 "example.org,2024-03-09,/,browser,(other),4,2\n"
			 "example.org,2024-03-09,/,referrer,\"'=a,b\",2,2\n");
	/* A second run with the day but no breakdown rows: all old rows go,
	 * from the database and from its export. */
	run_with_csv(path, dir, second, 1, NULL);
	CHECK_QUERY(path, "SELECT count(*) FROM breakdown_daily", "0\n");
	CHECK_QUERY(path, "SELECT count(*) FROM page_daily", "1\n");
	CHECK_FILE(file, "site,day,page,dimension,value,pageviews,visitors\n");
}

/* ---- merge (issue 15 point 7, issue 21 point 5) ---- */

/* One run into the database at path: the days d[0..n-1], committed. */
static void write_days(const char *path, const struct day_result *const *d, size_t n)
{
	char err[256] = "";
	struct sink *s = NULL;
	bool replaced;

	CHECK_INT(db_open(&s, path, 60, err, sizeof(err)), LF_OK);
	if (!s)
		return;
	for (size_t i = 0; i < n; i++)
		CHECK_INT(sink_write_day(s, d[i], &replaced), LF_OK);
	CHECK_INT(sink_commit(s), LF_OK);
	sink_close(s);
}

/* logfold merge OUT IN...: in[0..n-1] into out, committed when every one
 * merged; the first failure's status and message (err), and the last
 * source's stats. */
static enum lf_status merge_all(const char *out, const char *const *in, size_t n, char *err,
				size_t errlen, struct db_merge_stats *ms)
{
	struct sink *s = NULL;
	enum lf_status st = db_open(&s, out, 60, err, errlen);
	for (size_t i = 0; i < n && st == LF_OK; i++)
		st = db_merge(s, in[i], ms);
	if (st == LF_OK)
		st = sink_commit(s);
	if (s) {
		snprintf(err, errlen, "%s", sink_error(s));
		sink_close(s);
	}
	return st;
}

/* Source A: "/" 5,3,4,3,1,2,300,3; one load row (n 2, sum 25, max 20, a
 * time in le_10 and one in le_25); the day closed. Source B: "/" all 1
 * but the times, "/b" 2,2,2,2,0,2,10,1; the same load key with one time
 * of 40 ms (le_50); the day open. */
static const struct load_row load_a[] = {
	{ .page = SLICE_LIT("/"), .hour = "2024-03-09T10", .source = LOAD_SOURCE_SERVER,
	  .n = 2, .sum_ms = 25, .max_ms = 20, .buckets = { 1, 1 } },
};
static const struct load_row load_b[] = {
	{ .page = SLICE_LIT("/"), .hour = "2024-03-09T10", .source = LOAD_SOURCE_SERVER,
	  .n = 1, .sum_ms = 40, .max_ms = 40, .buckets = { 0, 0, 1 } },
};
static const struct page_daily_row rows_a[] = { { SLICE_LIT("/"), 5, 3, 4, 3, 1, 2, 300, 3 } };
static const struct page_daily_row rows_b[] = {
	{ SLICE_LIT("/"), 1, 1, 1, 1, 1, 1, 0, 0 },
	{ SLICE_LIT("/b"), 2, 2, 2, 2, 0, 2, 10, 1 },
};
static const struct day_result day_a = { .site = SLICE_LIT("example.org"), .day = "2024-03-09",
					 .rows = rows_a, .nrows = 1, .load = load_a, .nload = 1,
					 .closed = true };
static const struct day_result day_b = { .site = SLICE_LIT("example.org"), .day = "2024-03-09",
					 .rows = rows_b, .nrows = 2, .load = load_b, .nload = 1 };

#define LOAD_SUM "SELECT n, sum_ms, max_ms, le_10, le_25, le_50 FROM load_hourly"

/* The sums of A and B, by hand: "/" 5+1, 3+1, 4+1, 3+1, 1+1, 2+1, 300+0,
 * 3+0; "/b" B's alone; load n 3, sum 65, max 40 (the larger), one time in
 * each of the first three buckets; the day open (B says so). */
#define MERGED_AB                                                               \
	"example.org|2024-03-09|/|6|4|5|4|2|3|300|3\n"                          \
	"example.org|2024-03-09|/b|2|2|2|2|0|2|10|1\n"

static void merge_sources_ab(char *a, char *b, size_t len)
{
	const struct day_result *da[] = { &day_a }, *db[] = { &day_b };
	in_tmp(a, len, "src_a.db");
	in_tmp(b, len, "src_b.db");
	write_days(a, da, 1);
	write_days(b, db, 1);
}

/* Merging twice is merging once; a source's day that changed since
 * replaces what it gave before, and the others stay. */
static void test_merge_idempotent(void)
{
	char a[4096], b[4096], out[4096], err[256] = "";
	struct db_merge_stats ms;
	merge_sources_ab(a, b, sizeof(a));
	const char *both[] = { a, b }, *only_a[] = { a }, *only_b[] = { b };
	in_tmp(out, sizeof(out), "merged.db");

	CHECK_INT(merge_all(out, both, 2, err, sizeof(err), &ms), LF_OK);
	CHECK_QUERY(out, PAGE_DAILY_ALL, MERGED_AB);
	CHECK_QUERY(out, LOAD_SUM, "3|65|40|1|1|1\n");
	CHECK_QUERY(out, "SELECT state FROM days", "open\n");
	CHECK_INT(ms.days, 1);
	CHECK_INT(ms.replaced, 0);
	CHECK_QUERY(out, "SELECT count(*) FROM merge_sources", "2\n");

	CHECK_INT(merge_all(out, both, 2, err, sizeof(err), &ms), LF_OK);
	CHECK_QUERY(out, PAGE_DAILY_ALL, MERGED_AB);
	CHECK_QUERY(out, LOAD_SUM, "3|65|40|1|1|1\n");
	CHECK_INT(ms.replaced, 1);
	CHECK_INT(merge_all(out, only_b, 1, err, sizeof(err), &ms), LF_OK);
	CHECK_QUERY(out, PAGE_DAILY_ALL, MERGED_AB);

	/* A's open day grows: "/" now 7 pageviews, 4 visitors, all else 1,
	 * no load row. Merged alone: "/" is 7+1 and 4+1 ..., B's "/b" and
	 * load row stay. Then B closes: the day is closed. */
	static const struct page_daily_row rows_a2[] = { { SLICE_LIT("/"), 7, 4, 1, 1, 1, 1, 0, 0 } };
	struct day_result a2 = { .site = SLICE_LIT("example.org"), .day = "2024-03-09",
				 .rows = rows_a2, .nrows = 1, .closed = true };
	struct day_result b2 = day_b;
	const struct day_result *da2[] = { &a2 }, *db2[] = { &b2 };
	write_days(a, da2, 1);
	CHECK_INT(merge_all(out, only_a, 1, err, sizeof(err), &ms), LF_OK);
	CHECK_QUERY(out, PAGE_DAILY_ALL,
		    "example.org|2024-03-09|/|8|5|2|2|2|2|0|0\n"
		    "example.org|2024-03-09|/b|2|2|2|2|0|2|10|1\n");
	CHECK_QUERY(out, LOAD_SUM, "1|40|40|0|0|1\n");
	CHECK_QUERY(out, "SELECT state FROM days", "open\n");
	b2.closed = true;
	write_days(b, db2, 1);
	CHECK_INT(merge_all(out, only_b, 1, err, sizeof(err), &ms), LF_OK);
	CHECK_QUERY(out, "SELECT state FROM days", "closed\n");
	CHECK_QUERY(out, "SELECT count(*) FROM merge_sources", "2\n");
}

/* The output's own rows (written by a run) are its own source: kept when
 * a merge first brings the day, replaced when a run writes the day again,
 * and summed with the merged sources either way. */
static void test_merge_own_rows(void)
{
	static const struct page_daily_row own1[] = { { SLICE_LIT("/own"), 1, 1, 1, 1, 1, 1, 0, 0 } };
	static const struct page_daily_row own3[] = { { SLICE_LIT("/own"), 3, 3, 3, 3, 3, 3, 0, 0 } };
	struct day_result d1 = { .site = SLICE_LIT("example.org"), .day = "2024-03-09", .rows = own1, .nrows = 1 };
	struct day_result d3 = { .site = SLICE_LIT("example.org"), .day = "2024-03-09", .rows = own3, .nrows = 1 };
	const struct day_result *w1[] = { &d1 }, *w3[] = { &d3 };
	char a[4096], b[4096], out[4096], err[256] = "";
	struct db_merge_stats ms;
	merge_sources_ab(a, b, sizeof(a));
	const char *only_a[] = { a };
	in_tmp(out, sizeof(out), "own.db");

	write_days(out, w1, 1);
	CHECK_INT(merge_all(out, only_a, 1, err, sizeof(err), &ms), LF_OK);
	CHECK_QUERY(out, PAGE_DAILY_ALL,
		    "example.org|2024-03-09|/|5|3|4|3|1|2|300|3\n"
		    "example.org|2024-03-09|/own|1|1|1|1|1|1|0|0\n");
	write_days(out, w3, 1);
	CHECK_QUERY(out, PAGE_DAILY_ALL,
		    "example.org|2024-03-09|/|5|3|4|3|1|2|300|3\n"
		    "example.org|2024-03-09|/own|3|3|3|3|3|3|0|0\n");
	CHECK_INT(merge_all(out, only_a, 1, err, sizeof(err), &ms), LF_OK);
	CHECK_QUERY(out, PAGE_DAILY_ALL,
		    "example.org|2024-03-09|/|5|3|4|3|1|2|300|3\n"
		    "example.org|2024-03-09|/own|3|3|3|3|3|3|0|0\n");
	/* the day A's is closed, the output's own open: open */
	CHECK_QUERY(out, "SELECT state FROM days", "open\n");
}

/* A database's id: drawn once, different for every database, the same on
 * every open; a migrated database gets one too (test_db_migrate_v2). */
static void test_db_id(void)
{
	char a[4096], b[4096];
	merge_sources_ab(a, b, sizeof(a));
	char *ida = raw_query(a, "SELECT id FROM database_id");
	char *idb = raw_query(b, "SELECT id FROM database_id");
	const struct day_result *da[] = { &day_a };
	CHECK(ida && idb && strcmp(ida, idb) != 0);
	write_days(a, da, 1);
	CHECK_QUERY(a, "SELECT id FROM database_id", ida);
	CHECK_QUERY(a, "SELECT count(*) FROM database_id", "1\n");
	free(ida);
	free(idb);
}

/* What a merge refuses, said under the source's name, with the output
 * left as it was. */
static void check_merge_refused(const char *out, const char *const *in, size_t n,
				enum lf_status want_st, const char *want)
{
	char err[256] = "";
	struct db_merge_stats ms;
	char *before = raw_query(out, PAGE_DAILY_ALL);
	CHECK_INT(merge_all(out, in, n, err, sizeof(err), &ms), want_st);
	CHECK_STR(err, want);
	if (before)
		CHECK_QUERY(out, PAGE_DAILY_ALL, before);
	free(before);
}

static void copy_file(const char *from, const char *to)
{
	char *data = slurp(from);
	struct stat st;
	FILE *f = fopen(to, "wb");
	CHECK(data && f && stat(from, &st) == 0);
	if (data && f)
		CHECK_INT((int)fwrite(data, 1, (size_t)st.st_size, f), (int)st.st_size);
	if (f)
		fclose(f);
	free(data);
}

static void test_merge_refused(void)
{
	char a[4096], b[4096], out[4096], copy[4096], want[8400], other[4096], err[256] = "";
	struct db_merge_stats ms;
	merge_sources_ab(a, b, sizeof(a));
	in_tmp(out, sizeof(out), "refuse.db");
	const char *only_a[] = { a };
	CHECK_INT(merge_all(out, only_a, 1, err, sizeof(err), &ms), LF_OK);

	/* a copy of the output */
	copy_file(out, in_tmp(copy, sizeof(copy), "refuse_copy.db"));
	const char *self[] = { copy };
	snprintf(want, sizeof(want), "cannot merge database '%s': it is the output database "
		 "itself, or a copy of it (the same database id)", copy);
	check_merge_refused(out, self, 1, LF_ERR_USAGE, want);

	/* a copy of a source merged already in the same merge */
	copy_file(a, in_tmp(copy, sizeof(copy), "src_a_copy.db"));
	const char *twice[] = { a, copy };
	snprintf(want, sizeof(want), "cannot merge database '%s': it is a copy of '%s', merged "
		 "already (the same database id)", copy, a);
	check_merge_refused(out, twice, 2, LF_ERR_USAGE, want);

	/* another schema version */
	raw_exec(copy, "PRAGMA user_version = 8");
	const char *old[] = { copy };
	snprintf(want, sizeof(want), "cannot merge database '%s': it has schema version 8, "
		 "this logfold's is " STR(DB_SCHEMA_VERSION), copy);
	check_merge_refused(out, old, 1, LF_ERR_DB, want);

	/* a source that cannot be read: the message names it, not the output */
	copy_file(b, in_tmp(other, sizeof(other), "src_b_broken.db"));
	raw_exec(other, "DROP TABLE bots_daily");
	const char *broken[] = { other };
	snprintf(want, sizeof(want), "cannot read database '%s': no such table: bots_daily", other);
	check_merge_refused(out, broken, 1, LF_ERR_DB, want);
	const char *missing[] = { in_tmp(other, sizeof(other), "no_such.db") };
	snprintf(want, sizeof(want), "cannot read database '%s': No such file or directory", other);
	check_merge_refused(out, missing, 1, LF_ERR_DB, want);
	CHECK(!exists(other));
	CHECK_QUERY(out, "SELECT count(*) FROM merge_sources", "1\n");
}

/* Generic: a column a migration adds to a per-day table (here days.extra,
 * as the resume work adds columns to days) is merged, and merge_days
 * widened, with no more code; prune takes a day's merge rows too. */
static void test_merge_generic(void)
{
	char a[4096], b[4096], out[4096], err[256] = "";
	struct db_merge_stats ms;
	uint64_t deleted = 0;
	struct sink *s = NULL;
	merge_sources_ab(a, b, sizeof(a));
	in_tmp(out, sizeof(out), "generic.db");
	const char *both[] = { a, b };
	CHECK_INT(merge_all(out, both, 2, err, sizeof(err), &ms), LF_OK);
	raw_exec(out, "ALTER TABLE days ADD COLUMN extra INTEGER NOT NULL DEFAULT 0");
	raw_exec(a, "ALTER TABLE days ADD COLUMN extra INTEGER NOT NULL DEFAULT 0;"
		    "UPDATE days SET extra = 2");
	raw_exec(b, "ALTER TABLE days ADD COLUMN extra INTEGER NOT NULL DEFAULT 0;"
		    "UPDATE days SET extra = 3");
	CHECK_INT(merge_all(out, both, 2, err, sizeof(err), &ms), LF_OK);
	CHECK_QUERY(out, "SELECT state, extra FROM days", "open|5\n");
	CHECK_QUERY(out, "SELECT count(*) FROM pragma_table_info('merge_days') WHERE name = 'extra'",
		    "1\n");
	CHECK_QUERY(out, PAGE_DAILY_ALL, MERGED_AB);

	CHECK_INT(db_open(&s, out, 60, err, sizeof(err)), LF_OK);
	if (!s)
		return;
	CHECK_INT(db_prune(s, "2024-03-10", &deleted), LF_OK);
	CHECK_INT(sink_commit(s), LF_OK);
	sink_close(s);
	/* 2 page_daily rows, 1 load_hourly, 1 days, and the day's site_daily row
	 * (one for every day written, zeros when it had no pageviews) */
	CHECK_INT((int)deleted, 5);
	CHECK_QUERY(out, "SELECT (SELECT count(*) FROM merge_sources) + (SELECT count(*) FROM"
			 " merge_page_daily) + (SELECT count(*) FROM merge_load_hourly) +"
			 " (SELECT count(*) FROM merge_days)", "0\n");
}

TEST_MAIN(test_setup, test_breakdown_both, test_format_u64, test_format_json, test_format_error, test_db_create,
	  test_db_schema, test_db_migrate_v2, test_db_replace, test_db_no_commit, test_db_failed_write,
	  test_db_refused, test_db_full, test_csv_quoting, test_csv_history, test_csv_no_commit,
	  test_csv_bad_dir, test_csv_full, test_load_view, test_db_delete_day, test_db_count_too_big,
	  test_merge_idempotent, test_merge_own_rows, test_db_id, test_merge_refused,
	  test_merge_generic, test_cleanup)
