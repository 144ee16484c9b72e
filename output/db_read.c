/*
 * db_read.c - rows read back: every row of a table, as cells, for the CSV
 * export (inside the run's transaction, what its commit keeps), and the
 * read-only queries of logfold report (db_reader, db_query), on a
 * database it never creates or writes.
 *
 * The report asks through these calls, never through sql.h; what it asks
 * (its SQL) is the report's.
 */
#include "db_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the tables as rows, for the CSV export ------------------------------ */

/* A walk of db_each_row. */
struct each_row {
	int table, ncols;
	db_row_fn fn;
	void *ctx;
	struct cell cells[TABLE_MAX_COLS];
};

static enum lf_status each_row(struct db_sink *k, struct sql_stmt *st, void *ctx)
{
	struct each_row *w = ctx;
	for (int c = 0; c < w->ncols; c++)
		if (sql_col_is_int(st, c))
			w->cells[c].num = (uint64_t)sql_col_int(st, c);
		else
			w->cells[c].text = sql_col_text(st, c);
	if (w->table < TABLE_COUNT)
		table_derive((enum day_table)w->table, w->cells);
	return w->fn(w->ctx, w->cells);
}

enum lf_status db_each_row(struct sink *s, int table, db_row_fn fn, void *ctx)
{
	struct db_sink *k = db_of(s);
	char sql[DB_SQL_MAX], order[DB_SQL_MAX];
	size_t n = 0, no = 0;
	struct each_row w = { .table = table, .fn = fn, .ctx = ctx };
	if (!k)
		return LF_ERR_DB;
	if (table < TABLE_COUNT) { /* stored columns; rows in key order */
		w.ncols = db_stored_cols(&table_defs[table]);
		for (int c = 0; c < w.ncols; c++) {
			db_append(sql, sizeof(sql), &n, "%s%s", c ? ", " : "SELECT ",
				  table_defs[table].cols[c].name);
			db_append(order, sizeof(order), &no, "%s%s", c ? ", " : "",
				  table_defs[table].cols[c].name);
		}
		db_append(sql, sizeof(sql), &n, " FROM %s ORDER BY %s", table_defs[table].name,
			  order);
	} else { /* runs, in the CSV's columns, as they ran */
		w.ncols = CELLS_RUN_NCOLS;
		for (int c = 0; c < w.ncols; c++)
			db_append(sql, sizeof(sql), &n, "%s%s", c ? ", " : "SELECT ",
				  cells_run_column(c));
		db_append(sql, sizeof(sql), &n, " FROM runs ORDER BY run_id");
	}
	if (n >= sizeof(sql) || no >= sizeof(order))
		return db_fail_msg(k, "read database", "a table with too many columns");
	return db_rows(k, sql, NULL, 0, each_row, &w);
}

/* ---- reading: queries on a database opened read-only ------------------- */

struct db_reader {
	struct sql *db;
	char err[256];
	char path[];
};

struct db_query {
	struct db_reader *r;
	struct sql_stmt *st;
	bool done; /* stepped to its end: reset before the next step */
};

static enum lf_status reader_fail(struct db_reader *r, enum sql_rc rc)
{
	if (rc == SQL_BUSY) {
		cells_error(r->err, sizeof(r->err), "read database", r->path,
			    "another run held it for too long (--wait)");
		return LF_ERR_BUSY;
	}
	cells_error(r->err, sizeof(r->err), "read database", r->path,
		    sql_cause(r->db, r->path, rc));
	return LF_ERR_DB;
}

/* The read transaction begins with the first read: BEGIN alone takes no
 * lock, so the schema version is read inside it. */
static enum lf_status reader_start(struct db_reader *r, int wait_s, int *version)
{
	long long v = 0, objects = 0;
	enum sql_rc rc = sql_open(&r->db, r->path, SQL_READ, wait_s * 1000, NULL);
	/* sorting for GROUP BY in memory: no temporary file to leave */
	if (rc == SQL_OK)
		rc = sql_exec(r->db, "PRAGMA temp_store = MEMORY; BEGIN");
	if (rc == SQL_OK)
		rc = sql_query_int(r->db, "PRAGMA user_version", &v);
	if (rc == SQL_OK)
		rc = sql_query_int(r->db, "SELECT count(*) FROM sqlite_master", &objects);
	if (rc != SQL_OK)
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
		cells_error(errbuf, errlen, "open database", path, strerror(ENOMEM));
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
	sql_close(r->db); /* the read transaction ends with it */
	free(r);
}

struct sql *db_reader_sql(struct db_reader *r)
{
	return r->db;
}

const char *db_reader_error(const struct db_reader *r)
{
	return r->err;
}

bool db_reader_has_column(struct db_reader *r, const char *table, const char *column)
{
	struct sql_stmt *st;
	bool has = false;
	if (sql_prepare(r->db, "SELECT 1 FROM pragma_table_info(?1) WHERE name = ?2", -1, false,
			&st) != SQL_OK)
		return false;
	if (sql_bind_text(st, 1, slice_cstr(table)) == SQL_OK &&
	    sql_bind_text(st, 2, slice_cstr(column)) == SQL_OK)
		has = sql_step(st) == SQL_ROW;
	sql_finalize(st);
	return has;
}

enum lf_status db_query_new(struct db_reader *r, const char *sql, struct db_query **out)
{
	struct db_query *q = calloc(1, sizeof(*q));
	*out = NULL;
	if (!q)
		return LF_ERR_NOMEM;
	q->r = r;
	enum sql_rc rc = sql_prepare(r->db, sql, -1, false, &q->st);
	if (rc != SQL_OK) {
		free(q);
		return reader_fail(r, rc);
	}
	*out = q;
	return LF_OK;
}

void db_query_reset(struct db_query *q)
{
	sql_reset(q->st);
	sql_clear(q->st);
	q->done = false;
}

enum lf_status db_query_text(struct db_query *q, int i, struct slice s)
{
	enum sql_rc rc = sql_bind_copy(q->st, i, s);
	return rc == SQL_OK ? LF_OK : reader_fail(q->r, rc);
}

enum lf_status db_query_int(struct db_query *q, int i, int64_t v)
{
	enum sql_rc rc = sql_bind_int(q->st, i, v);
	return rc == SQL_OK ? LF_OK : reader_fail(q->r, rc);
}

enum lf_status db_query_step(struct db_query *q, bool *row)
{
	*row = false;
	if (q->done)
		return LF_OK;
	enum sql_rc rc = sql_step(q->st);
	if (rc == SQL_ROW) {
		*row = true;
		return LF_OK;
	}
	q->done = true;
	return rc == SQL_DONE ? LF_OK : reader_fail(q->r, sql_reset(q->st));
}

int64_t db_query_col_int(const struct db_query *q, int col)
{
	return sql_col_int(q->st, col);
}

bool db_query_col_null(const struct db_query *q, int col)
{
	return sql_col_null(q->st, col);
}

struct slice db_query_col_text(const struct db_query *q, int col)
{
	return sql_col_text(q->st, col);
}

void db_query_free(struct db_query *q)
{
	if (!q)
		return;
	sql_finalize(q->st);
	free(q);
}
