/*
 * db.c - the SQLite sink: the connection (through the SQLite wrapper,
 * sql.h), one transaction per run, a day replaced as a unit in every
 * per-day table, statements built once from table_defs and reused for
 * every row (the row writer); and the helpers of db_int.h that the other
 * db_*.c modules share (failures, a statement run, its rows walked).
 *
 * The schema (db_schema.c), the state kept between runs (db_state.c),
 * pruning (db_prune.c), merging (db_merge.c) and reading back (db_read.c)
 * are apart. It does not wait for a busy database beyond the caller's
 * wait, and never prints: every failure is a status and a message in
 * sink->err, naming the database it is about.
 */
#include "db_int.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cells.h"

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
 * logfold_day, whose rows (sql_rows) are the day being written: one step
 * per table and day, no binding. Its columns c0 .. c24 are a row's cells
 * in table_defs order. */
#define DB_VTAB "logfold_day"

static const char sql_ins_run[] =
	"INSERT INTO runs (started, version, inputs, lines, pageviews,"
	" malformed, not_get, status, static, bot, other_site, excluded, not_request,"
	" expired, future, beacon)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)";

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

enum lf_status db_fail_at(struct db_sink *k, enum lf_status st, const char *verb, const char *path,
			  const char *cause)
{
	cells_error(k->base.err, sizeof(k->base.err), verb, path, cause);
	k->failed = st;
	return st;
}

enum lf_status db_fail_msg(struct db_sink *k, const char *verb, const char *cause)
{
	return db_fail_at(k, LF_ERR_DB, verb, k->path, cause);
}

enum lf_status db_fail_on(struct db_sink *k, struct sql *db, const char *path, const char *verb,
			  enum sql_rc rc)
{
	char why[128];
	if (rc != SQL_BUSY)
		return db_fail_at(k, LF_ERR_DB, verb, path, sql_cause(db, path, rc));
	snprintf(why, sizeof(why), "another run or program held it for more than %d s (--wait)",
		 k->wait_ms / 1000);
	return db_fail_at(k, LF_ERR_BUSY, verb, path, why);
}

enum lf_status db_fail(struct db_sink *k, const char *verb, enum sql_rc rc)
{
	char why[PATH_MAX_MSG];
	if ((rc == SQL_CANTOPEN || rc == SQL_READONLY) && db_access_why(k->path, why, sizeof(why)))
		return db_fail_msg(k, verb, why);
	return db_fail_on(k, k->db, k->path, verb, rc);
}

/* SQLite integers are signed 64-bit: a count above INT64_MAX (9.2e18,
 * beyond any log) is refused with this, never wrapped to a negative number. */
#define DB_COUNT_TOO_BIG "count exceeds 2^63-1"

/* Bind n counts to parameters first ... first + n - 1 (DB_COUNT_TOO_BIG). */
static enum lf_status bind_counts(struct db_sink *k, struct sql_stmt *st, int first,
				  const uint64_t *v, int n)
{
	for (int i = 0; i < n; i++) {
		enum sql_rc rc;
		if (v[i] > INT64_MAX)
			return db_fail_msg(k, "write to database", DB_COUNT_TOO_BIG);
		rc = sql_bind_int(st, first + i, (int64_t)v[i]);
		if (rc != SQL_OK)
			return db_fail(k, "write to database", rc);
	}
	return LF_OK;
}

/* Prepare sql and bind its n parameters; prefix: only as many of them as
 * sql has (db_run_prefix). */
static enum sql_rc db_prepare_args(struct db_sink *k, const char *sql, const struct db_arg *a,
				   int n, bool prefix, struct sql_stmt **st)
{
	enum sql_rc rc = sql_prepare(k->db, sql, -1, false, st);
	if (rc == SQL_OK && prefix && sql_param_count(*st) < n)
		n = sql_param_count(*st);
	for (int i = 0; i < n && rc == SQL_OK; i++)
		rc = a[i].text ? sql_bind_text(*st, i + 1, a[i].s)
			       : sql_bind_int(*st, i + 1, a[i].i);
	return rc;
}

/* db_run and db_run_prefix. */
static enum lf_status run_stmt(struct db_sink *k, const char *verb, const char *sql,
			       const struct db_arg *a, int n, bool prefix, uint64_t *changes)
{
	struct sql_stmt *st = NULL;
	enum sql_rc rc = db_prepare_args(k, sql, a, n, prefix, &st);
	if (rc == SQL_OK)
		rc = sql_step(st);
	if (rc == SQL_DONE)
		rc = SQL_OK;
	enum sql_rc rf = sql_finalize(st);
	if (rc == SQL_OK)
		rc = rf;
	if (rc != SQL_OK)
		return db_fail(k, verb, rc);
	if (changes)
		*changes += (uint64_t)sql_changes(k->db);
	return LF_OK;
}

enum lf_status db_run(struct db_sink *k, const char *verb, const char *sql, const struct db_arg *a,
		      int n, uint64_t *changes)
{
	return run_stmt(k, verb, sql, a, n, false, changes);
}

enum lf_status db_run_prefix(struct db_sink *k, const char *verb, const char *sql,
			     const struct db_arg *a, int n, uint64_t *changes)
{
	return run_stmt(k, verb, sql, a, n, true, changes);
}

enum lf_status db_rows(struct db_sink *k, const char *sql, const struct db_arg *a, int n,
		       db_rows_fn fn, void *ctx)
{
	struct sql_stmt *st = NULL;
	enum lf_status ret = LF_OK;
	enum sql_rc rc = db_prepare_args(k, sql, a, n, false, &st);
	while (rc == SQL_OK && ret == LF_OK && (rc = sql_step(st)) == SQL_ROW) {
		ret = fn(k, st, ctx);
		rc = SQL_OK;
	}
	enum sql_rc rf = sql_finalize(st);
	if (ret != LF_OK)
		return ret;
	if (rc != SQL_DONE)
		return db_fail(k, "read database", rf != SQL_OK ? rf : rc);
	return LF_OK;
}

/* The columns of t SQLite stores: all but the derived ones, which come
 * last (tables.h) and live in a view. */
int db_stored_cols(const struct table_def *t)
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
const char *db_day_where(const struct table_def *t)
{
	return t->hourly ? "site = ?1 AND hour > ?2 AND hour < ?2 || 'U'" : "site = ?1 AND day = ?2";
}

int db_delete_day_sql(const struct table_def *t, char *sql, size_t cap)
{
	return snprintf(sql, cap, "DELETE FROM %s WHERE %s", t->name, db_day_where(t));
}

/* Append to buf (cap bytes) at *n as printf would; *n counts on past cap,
 * so that a caller sees the text was cut short (*n >= cap). */
void db_append(char *buf, size_t cap, size_t *n, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = *n < cap ? vsnprintf(buf + *n, cap - *n, fmt, ap) : 0;
	va_end(ap);
	*n = r < 0 ? cap : *n + (size_t)r; /* at cap or past it: cut short */
}

/* ---- logfold_day: the day being written, as a table ---------------------- */

static size_t day_count(void *ctx)
{
	const struct db_sink *k = ctx;
	return k->day ? table_nrows(k->day, k->table) : 0;
}

/* Row i of the sink's current day and table: its stored columns. A count
 * above INT64_MAX fails the statement (DB_COUNT_TOO_BIG). */
static void day_row(void *ctx, size_t i, struct sql_value *out)
{
	const struct db_sink *k = ctx;
	const struct table_def *def = &table_defs[k->table];
	struct cell cells[TABLE_MAX_COLS];
	int stored = db_stored_cols(def);
	table_row(k->day, k->table, i, false, cells);
	for (int c = 0; c < stored; c++) {
		if (!def->cols[c].integer)
			out[c] = (struct sql_value){ SQL_VALUE_TEXT, 0, cells[c].text };
		else if (cells[c].num > INT64_MAX)
			out[c] = (struct sql_value){ SQL_VALUE_FAIL, 0,
						     slice_cstr(DB_COUNT_TOO_BIG) };
		else
			out[c] = (struct sql_value){ SQL_VALUE_INT, (int64_t)cells[c].num, { 0 } };
	}
}

static const struct sql_rows day_rows = { day_count, day_row };

/* The DELETE of one (site, day) and the INSERT of a day's rows of table t. */
static enum lf_status db_prepare_table(struct db_sink *k, enum day_table t)
{
	char sql[DB_SQL_MAX];
	const struct table_def *def = &table_defs[t];
	int n = db_delete_day_sql(def, sql, sizeof(sql));
	enum sql_rc rc = sql_prepare(k->db, sql, n, true, &k->del_day[t]);
	if (rc != SQL_OK)
		return db_fail(k, "open database", rc);
	int stored = db_stored_cols(def);
	size_t len = 0;
	db_append(sql, sizeof(sql), &len, "INSERT INTO %s (", def->name);
	for (int c = 0; c < stored; c++)
		db_append(sql, sizeof(sql), &len, "%s%s", c ? ", " : "", def->cols[c].name);
	db_append(sql, sizeof(sql), &len, ") SELECT ");
	for (int c = 0; c < stored; c++)
		db_append(sql, sizeof(sql), &len, "%sc%d", c ? ", " : "", c);
	db_append(sql, sizeof(sql), &len, " FROM " DB_VTAB);
	if (len >= sizeof(sql))
		return db_fail_msg(k, "open database", "a table with too many columns");
	rc = sql_prepare(k->db, sql, (int)len, true, &k->ins_day[t]);
	return rc == SQL_OK ? LF_OK : db_fail(k, "open database", rc);
}

/* Open the connection (the lock wait ended by a stop, db_open_stop), turn
 * secure_delete on, take the write lock. */
static enum lf_status db_connect(struct db_sink *k)
{
	long long secure = 0;
	char mode[16] = "";
	enum sql_rc rc = sql_open(&k->db, k->path, SQL_WRITE, k->wait_ms, k->stop);

	if (rc != SQL_OK)
		return db_fail(k, "open database", rc);
	/* before the inputs are read, not at the first write */
	char why[PATH_MAX_MSG];
	if (db_access_why(k->path, why, sizeof(why)))
		return db_fail_msg(k, "open database", why);
	/* SQLite opens read-only, without a word, what it could not open
	 * read-write; the system's reason is lost with the first open */
	if (sql_readonly(k->db))
		return db_fail_msg(k, "open database", "unable to open database file for writing");
	rc = sql_rows_register(k->db, DB_VTAB, TABLE_MAX_COLS, &day_rows, k);
	if (rc == SQL_OK)
		rc = sql_query_int(k->db, "PRAGMA secure_delete = ON", &secure);
	if (rc == SQL_OK && secure != 1)
		return db_fail_msg(k, "open database", "secure_delete is not available");
	if (rc == SQL_OK)
		rc = sql_query_text(k->db, "PRAGMA journal_mode = " DB_JOURNAL_MODE, mode,
				    sizeof(mode));
	/* (a database in memory keeps its journal in memory: no file at all) */
	if (rc == SQL_OK && strcmp(mode, DB_JOURNAL_MODE) != 0 && strcmp(mode, "memory") != 0)
		return db_fail_msg(k, "open database",
				   "cannot leave WAL mode (another program has it open)");
	if (rc == SQL_OK)
		rc = sql_exec(k->db, "BEGIN IMMEDIATE");
	if (rc != SQL_OK)
		return db_fail(k, "open database", rc);
	/* locked, nothing written yet: the file's counter as the run found it */
	k->changes_before = sql_change_counter(k->db);
	return LF_OK;
}

/* Open, make sure of the schema and prepare the statements every run uses. */
static enum lf_status db_start(struct db_sink *k)
{
	enum lf_status st = db_connect(k);
	if (st == LF_OK)
		st = db_schema(k);
	if (st == LF_OK)
		st = db_own_id(k);
	if (st != LF_OK)
		return st;
	enum sql_rc rc =
		sql_prepare(k->db, "SELECT 1 FROM merge_sources WHERE site = ?1 AND day = ?2", -1,
			    true, &k->has_merged);
	if (rc != SQL_OK)
		return db_fail(k, "open database", rc);
	for (int t = 0; t < TABLE_COUNT; t++) {
		st = db_prepare_table(k, (enum day_table)t);
		if (st != LF_OK)
			return st;
	}
	rc = sql_prepare(k->db, sql_ins_run, -1, true, &k->ins_run);
	if (rc != SQL_OK)
		return db_fail(k, "open database", rc);
	return LF_OK;
}

/* Insert every row d has of table t: logfold_day reads them. */
static enum lf_status db_insert_day(struct db_sink *k, const struct day_result *d,
				    enum day_table t)
{
	k->day = d;
	k->table = t;
	enum sql_rc rc = sql_step_reset(k->ins_day[t]);
	k->day = NULL; /* d may be freed next */
	return rc == SQL_OK ? LF_OK : db_fail(k, "write to database", rc);
}

/* Delete what the database holds of (site, day) in table t; *replaced is
 * set when that was anything. */
static enum lf_status db_delete_day(struct db_sink *k, const struct day_result *d,
				    enum day_table t, bool *replaced)
{
	struct sql_stmt *del = k->del_day[t];
	enum sql_rc rc = sql_bind_text(del, 1, d->site);
	if (rc == SQL_OK)
		rc = sql_bind_text(del, 2, slice_make(d->day, strnlen(d->day, sizeof(d->day))));
	if (rc == SQL_OK)
		rc = sql_step_reset(del);
	sql_clear(del);
	if (rc != SQL_OK)
		return db_fail(k, "write to database", rc);
	if (sql_changes(k->db) > 0)
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
	if (st == LF_OK)
		st = db_shard_write_sets(k, d);
	if (st == LF_OK)
		st = db_merge_run_day(k, d->site,
				      slice_make(d->day, strnlen(d->day, sizeof(d->day))));
	return st;
}

static enum lf_status db_write_run(struct sink *s, const struct run_info *r)
{
	struct db_sink *k = (struct db_sink *)s;
	uint64_t v[CELLS_RUN_NCOUNTS];
	struct slice started = slice_make(r->started, strnlen(r->started, sizeof(r->started)));
	struct slice inputs;
	char *json;
	enum lf_status st;
	enum sql_rc rc;

	if (k->failed)
		return k->failed;
	if (cells_inputs_json(r->inputs, r->ninputs, &json, &inputs.n) != LF_OK) {
		db_fail_msg(k, "write to database", strerror(ENOMEM));
		k->failed = LF_ERR_NOMEM;
		return LF_ERR_NOMEM;
	}
	inputs.p = json;
	cells_run_counts(r, v);
	rc = sql_bind_text(k->ins_run, 1, started);
	if (rc == SQL_OK)
		rc = sql_bind_text(k->ins_run, 2, slice_cstr(r->version ? r->version : ""));
	if (rc == SQL_OK)
		rc = sql_bind_text(k->ins_run, 3, inputs);
	st = rc == SQL_OK ? bind_counts(k, k->ins_run, 4, v, CELLS_RUN_NCOUNTS)
			  : db_fail(k, "write to database", rc);
	if (st == LF_OK && (rc = sql_step_reset(k->ins_run)) != SQL_OK)
		st = db_fail(k, "write to database", rc);
	sql_clear(k->ins_run);
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
	enum sql_rc rc = sql_query_int(k->db, "PRAGMA freelist_count", &free_pages);
	if (rc == SQL_OK)
		rc = sql_query_int(k->db, "PRAGMA page_count", &pages);
	if (rc == SQL_OK && free_pages * 4 > pages)
		rc = sql_exec(k->db, "VACUUM");
	if (rc == SQL_INTERRUPT && k->stop && *k->stop)
		return LF_OK; /* stopped: the commit stands, a later run vacuums */
	return rc == SQL_OK ? LF_OK : db_fail(k, "vacuum database", rc);
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
	int64_t now = sql_change_counter(k->db);
	snprintf(journal, sizeof(journal), "%s-journal", k->path);
	bool no_hot_journal = stat(journal, &sb) != 0 ? errno == ENOENT : sb.st_size == 0;
	return k->changes_before >= 0 && now >= 0 && now != k->changes_before && no_hot_journal;
}

static enum lf_status db_commit(struct sink *s)
{
	struct db_sink *k = (struct db_sink *)s;
	enum sql_rc rc;

	if (k->failed)
		return k->failed; /* err still says what failed first */
	if (k->committed)
		return LF_OK;
	/* a merge's days are summed once its sources are all in: at the
	 * latest here, for a caller that did not say so (db_merge_finish) */
	enum lf_status st = db_merge_sum_pending(k);
	if (st != LF_OK)
		return st;
	rc = sql_exec(k->db, "COMMIT");
	if (rc != SQL_OK && db_committed_anyway(k)) {
		char why[PATH_MAX_MSG + 160];
		snprintf(why, sizeof(why),
			 "%s ('%s' holds this run nonetheless: only its journal could not be "
			 "synced, so a crash before the next sync could still undo it)",
			 sql_cause(k->db, k->path, rc), k->path);
		k->committed = true; /* nothing to roll back at close */
		return db_fail_msg(k, "commit to database", why);
	}
	if (rc != SQL_OK)
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
		sql_finalize(k->del_day[t]);
		sql_finalize(k->ins_day[t]);
	}
	sql_finalize(k->ins_run);
	sql_finalize(k->has_merged);
	db_merge_free(k->merge);
	if (k->db && sql_in_transaction(k->db))
		sql_exec(k->db, "ROLLBACK");
	sql_close(k->db);
	free(k);
}

static const struct sink_ops db_ops = {
	.write_day = db_write_day,
	.write_run = db_write_run,
	.commit = db_commit,
	.close = db_close,
};

enum lf_status db_open(struct sink **out, const char *path, int wait_s, char *errbuf, size_t errlen)
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
		cells_error(errbuf, errlen, "open database", path, strerror(ENOMEM));
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

struct db_sink *db_of(struct sink *s)
{
	struct db_sink *k = (struct db_sink *)s;
	return s && s->ops == &db_ops && !k->failed ? k : NULL;
}

void db_library_version(char *buf, size_t cap)
{
	sql_library_version(buf, cap);
}
