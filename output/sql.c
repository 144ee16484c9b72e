/*
 * sql.c - the SQLite wrapper (sql.h): the only file that includes
 * sqlite3.h, so that the library's API, its result codes and its handlers
 * are in one place. Each function is a call or two of SQLite's; what they
 * add is the folding of result codes, the stoppable lock wait, the causes
 * of failures in words and the row-source virtual table.
 *
 * It deliberately holds no logfold knowledge (tables, messages, the
 * meaning of a failure) and keeps no state beyond the connection's.
 */
#include "sql.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

/* SQLite calls the progress handler every this many virtual-machine steps
 * of a statement: a few microseconds apart, so a stop is seen at once, and
 * the handler (a load and a compare) costs nothing measurable. */
#define SQL_PROGRESS_OPS 1000

/* The lock wait sleeps this long between tries at most, and looks at the
 * stop flag after each sleep. */
#define SQL_BUSY_NAP_MS 20

/* The row source of the connection's virtual table (sql_rows_register). */
struct rows_source {
	const struct sql_rows *src;
	void *ctx;
	int ncols;
};

struct sql {
	sqlite3 *db;                       /* NULL only when sqlite3_open_v2 ran out of memory */
	int open_rc;                       /* sqlite3_open_v2's result, for sql_cause without db */
	int wait_ms;                       /* the lock wait */
	const volatile sig_atomic_t *stop; /* sql_open's flag, or NULL */
	struct timespec busy_since;        /* when the current lock wait began */
	struct rows_source rows;
};

/* A struct sql_stmt * is SQLite's statement itself, never dereferenced as
 * anything else: no allocation of ours per statement. */
static sqlite3_stmt *stmt(struct sql_stmt *st)
{
	return (sqlite3_stmt *)(void *)st;
}

/* SQLite's result code (primary or extended) as the caller tells it. */
static enum sql_rc rc_of(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_OK:
		return SQL_OK;
	case SQLITE_ROW:
		return SQL_ROW;
	case SQLITE_DONE:
		return SQL_DONE;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return SQL_BUSY;
	case SQLITE_CANTOPEN:
		return SQL_CANTOPEN;
	case SQLITE_READONLY:
		return SQL_READONLY;
	case SQLITE_INTERRUPT:
		return SQL_INTERRUPT;
	case SQLITE_NOMEM:
		return SQL_NOMEM;
	default:
		return SQL_ERROR;
	}
}

/* ---- the connection ------------------------------------------------------ */

static int on_progress(void *ctx)
{
	const struct sql *c = ctx;
	return *c->stop != 0; /* non-zero: the statement fails, interrupted */
}

/* sqlite3_busy_timeout's wait, ending at once on a stop. */
static int on_busy(void *ctx, int count)
{
	struct sql *c = ctx;
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (count == 0)
		c->busy_since = now;
	long long waited = (long long)(now.tv_sec - c->busy_since.tv_sec) * 1000 +
			   (now.tv_nsec - c->busy_since.tv_nsec) / 1000000;
	if (*c->stop || waited >= c->wait_ms)
		return 0;
	long long nap = c->wait_ms - waited;
	sqlite3_sleep((int)(nap < SQL_BUSY_NAP_MS ? nap : SQL_BUSY_NAP_MS));
	return *c->stop == 0;
}

enum sql_rc sql_open(struct sql **out, const char *path, enum sql_mode mode, int wait_ms,
		     const volatile sig_atomic_t *stop)
{
	struct sql *c = calloc(1, sizeof(*c));
	*out = c;
	if (!c)
		return SQL_NOMEM;
	c->wait_ms = wait_ms;
	c->stop = stop;
	/* NOMUTEX: a connection is only ever used by one thread at a time
	 * (the day writer's, or the main thread's while the writer is idle),
	 * and the serialized mode locks around every call. */
	int flags = mode == SQL_WRITE ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
				      : SQLITE_OPEN_READONLY;
	int rc = sqlite3_open_v2(path, &c->db, flags | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		c->open_rc = rc;
		return rc_of(rc);
	}
	sqlite3_extended_result_codes(c->db, 1);
	if (stop) {
		sqlite3_busy_handler(c->db, on_busy, c);
		sqlite3_progress_handler(c->db, SQL_PROGRESS_OPS, on_progress, c);
	} else {
		sqlite3_busy_timeout(c->db, wait_ms);
	}
	return SQL_OK;
}

void sql_close(struct sql *c)
{
	if (!c)
		return;
	sqlite3_close(c->db);
	free(c);
}

/* SQLite's words, except for a file that cannot be opened. Only then: for
 * a failed write SQLite reads errno after its own clean-up, so
 * sqlite3_system_errno() is 0 or stale, and "disk I/O error" / "database
 * or disk is full" are truer. Not ENOENT either: SQLite retries a failed
 * read-write open read-only, and the retry's ENOENT (a journal that does
 * not exist yet) hides the first open's reason (db.c's access checks find
 * the ones the system can tell). */
const char *sql_cause(struct sql *c, const char *path, enum sql_rc rc)
{
	if (!c)
		return sqlite3_errstr(SQLITE_NOMEM);
	if (!c->db)
		return sqlite3_errstr(c->open_rc);
	int e = sqlite3_system_errno(c->db);
	if (rc == SQL_CANTOPEN && e && e != ENOENT)
		return strerror(e);
	/* ENOENT is true when the file itself is not there (a database read,
	 * never made: a merge's input, the report's database) */
	if (rc == SQL_CANTOPEN && e == ENOENT && access(path, F_OK) != 0 && errno == ENOENT)
		return strerror(ENOENT);
	return sqlite3_errmsg(c->db);
}

bool sql_readonly(struct sql *c)
{
	return sqlite3_db_readonly(c->db, "main") == 1;
}

bool sql_in_transaction(struct sql *c)
{
	return c->db && !sqlite3_get_autocommit(c->db);
}

enum sql_rc sql_exec(struct sql *c, const char *text)
{
	return rc_of(sqlite3_exec(c->db, text, NULL, NULL, NULL));
}

int64_t sql_changes(struct sql *c)
{
	return sqlite3_changes(c->db);
}

enum sql_rc sql_query_int(struct sql *c, const char *text, long long *v)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(c->db, text, -1, &st, NULL);
	if (rc != SQLITE_OK)
		return rc_of(rc);
	*v = 0;
	if (sqlite3_step(st) == SQLITE_ROW)
		*v = sqlite3_column_int64(st, 0);
	return rc_of(sqlite3_finalize(st)); /* the step's error, if any */
}

enum sql_rc sql_query_text(struct sql *c, const char *text, char *buf, size_t cap)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(c->db, text, -1, &st, NULL);
	if (rc != SQLITE_OK)
		return rc_of(rc);
	buf[0] = '\0';
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		snprintf(buf, cap, "%s", (const char *)sqlite3_column_text(st, 0));
	return rc_of(sqlite3_finalize(st));
}

int64_t sql_change_counter(struct sql *c)
{
	sqlite3_file *f = NULL;
	unsigned char b[4];
	if (sqlite3_file_control(c->db, "main", SQLITE_FCNTL_FILE_POINTER, &f) != SQLITE_OK || !f ||
	    !f->pMethods || f->pMethods->xRead(f, b, sizeof(b), 24) != SQLITE_OK)
		return -1;
	return (int64_t)b[0] << 24 | (int64_t)b[1] << 16 | (int64_t)b[2] << 8 | b[3];
}

/* ---- statements ---------------------------------------------------------- */

enum sql_rc sql_prepare(struct sql *c, const char *text, int len, bool persistent,
			struct sql_stmt **out)
{
	sqlite3_stmt *st = NULL;
	int rc = persistent ? sqlite3_prepare_v3(c->db, text, len, SQLITE_PREPARE_PERSISTENT, &st,
						 NULL)
			    : sqlite3_prepare_v2(c->db, text, len, &st, NULL);
	*out = (struct sql_stmt *)(void *)st;
	return rc_of(rc);
}

enum sql_rc sql_finalize(struct sql_stmt *st)
{
	return rc_of(sqlite3_finalize(stmt(st)));
}

enum sql_rc sql_bind_text(struct sql_stmt *st, int i, struct slice s)
{
	return rc_of(
		sqlite3_bind_text64(stmt(st), i, s.n ? s.p : "", s.n, SQLITE_STATIC, SQLITE_UTF8));
}

enum sql_rc sql_bind_copy(struct sql_stmt *st, int i, struct slice s)
{
	return rc_of(sqlite3_bind_text64(stmt(st), i, s.n ? s.p : "", s.n, SQLITE_TRANSIENT,
					 SQLITE_UTF8));
}

enum sql_rc sql_bind_int(struct sql_stmt *st, int i, int64_t v)
{
	return rc_of(sqlite3_bind_int64(stmt(st), i, (sqlite3_int64)v));
}

enum sql_rc sql_bind_column(struct sql_stmt *st, int i, struct sql_stmt *from, int col)
{
	return rc_of(sqlite3_bind_value(stmt(st), i, sqlite3_column_value(stmt(from), col)));
}

int sql_param_count(struct sql_stmt *st)
{
	return sqlite3_bind_parameter_count(stmt(st));
}

void sql_clear(struct sql_stmt *st)
{
	sqlite3_clear_bindings(stmt(st));
}

enum sql_rc sql_step(struct sql_stmt *st)
{
	return rc_of(sqlite3_step(stmt(st)));
}

enum sql_rc sql_reset(struct sql_stmt *st)
{
	return rc_of(sqlite3_reset(stmt(st)));
}

enum sql_rc sql_step_reset(struct sql_stmt *st)
{
	int rc = sqlite3_step(stmt(st));
	int rr = sqlite3_reset(stmt(st));
	return rc_of(rc == SQLITE_DONE ? rr : rc);
}

int64_t sql_col_int(struct sql_stmt *st, int col)
{
	return (int64_t)sqlite3_column_int64(stmt(st), col);
}

struct slice sql_col_text(struct sql_stmt *st, int col)
{
	const char *p = (const char *)sqlite3_column_text(stmt(st), col);
	return slice_make(p ? p : "", p ? (size_t)sqlite3_column_bytes(stmt(st), col) : 0);
}

bool sql_col_null(struct sql_stmt *st, int col)
{
	return sqlite3_column_type(stmt(st), col) == SQLITE_NULL;
}

bool sql_col_is_int(struct sql_stmt *st, int col)
{
	return sqlite3_column_type(stmt(st), col) == SQLITE_INTEGER;
}

/* ---- the row source as an eponymous virtual table ------------------------ */

struct rows_vtab {
	sqlite3_vtab base; /* first: SQLite's pointer is ours */
	const struct rows_source *rs;
};

struct rows_cursor {
	sqlite3_vtab_cursor base; /* first, likewise */
	const struct rows_source *rs;
	size_t row, nrows;
	size_t vals_of; /* the row vals holds, or SIZE_MAX */
	struct sql_value vals[SQL_ROWS_MAX_COLS];
};

/* Longest "CREATE TABLE x(c0, ..., c31)": 16 + 32 * 5 bytes. */
#define ROWS_DECL_MAX 256

static int rows_connect(sqlite3 *db, void *aux, int argc, const char *const *argv,
			sqlite3_vtab **out, char **err)
{
	const struct rows_source *rs = aux;
	char decl[ROWS_DECL_MAX];
	int n = snprintf(decl, sizeof(decl), "CREATE TABLE x(");
	for (int c = 0; c < rs->ncols; c++)
		n += snprintf(decl + n, sizeof(decl) - (size_t)n, "%sc%d", c ? ", " : "", c);
	snprintf(decl + n, sizeof(decl) - (size_t)n, ")");
	int rc = sqlite3_declare_vtab(db, decl);
	if (rc != SQLITE_OK)
		return rc;
	struct rows_vtab *v = sqlite3_malloc(sizeof(*v));
	if (!v)
		return SQLITE_NOMEM;
	memset(v, 0, sizeof(*v));
	v->rs = rs;
	*out = &v->base;
	return SQLITE_OK;
}

static int rows_best_index(sqlite3_vtab *t, sqlite3_index_info *info)
{
	info->estimatedCost = 1000.0; /* a scan of the rows: the only plan */
	return SQLITE_OK;
}

static int rows_disconnect(sqlite3_vtab *t)
{
	sqlite3_free(t);
	return SQLITE_OK;
}

static int rows_open(sqlite3_vtab *t, sqlite3_vtab_cursor **out)
{
	struct rows_cursor *c = sqlite3_malloc(sizeof(*c));
	if (!c)
		return SQLITE_NOMEM;
	memset(c, 0, sizeof(*c)); /* every value SQL_VALUE_NULL */
	c->rs = ((struct rows_vtab *)(void *)t)->rs;
	*out = &c->base;
	return SQLITE_OK;
}

static int rows_close(sqlite3_vtab_cursor *cur)
{
	sqlite3_free(cur);
	return SQLITE_OK;
}

/* A scan from the first row. */
static int rows_filter(sqlite3_vtab_cursor *cur, int idx, const char *idx_str, int argc,
		       sqlite3_value **argv)
{
	struct rows_cursor *c = (struct rows_cursor *)(void *)cur;
	c->row = 0;
	c->nrows = c->rs->src->count(c->rs->ctx);
	c->vals_of = SIZE_MAX;
	return SQLITE_OK;
}

static int rows_next(sqlite3_vtab_cursor *cur)
{
	((struct rows_cursor *)(void *)cur)->row++;
	return SQLITE_OK;
}

static int rows_eof(sqlite3_vtab_cursor *cur)
{
	const struct rows_cursor *c = (const struct rows_cursor *)(const void *)cur;
	return c->row >= c->nrows;
}

/* Column col of the current row, asked of the source once per row. */
static int rows_column(sqlite3_vtab_cursor *cur, sqlite3_context *ctx, int col)
{
	struct rows_cursor *c = (struct rows_cursor *)(void *)cur;
	if (c->vals_of != c->row) {
		c->rs->src->row(c->rs->ctx, c->row, c->vals);
		c->vals_of = c->row;
	}
	const struct sql_value *v = &c->vals[col];
	switch (v->kind) {
	case SQL_VALUE_INT:
		sqlite3_result_int64(ctx, (sqlite3_int64)v->i);
		break;
	case SQL_VALUE_TEXT:
		sqlite3_result_text64(ctx, v->text.n ? v->text.p : "", v->text.n, SQLITE_STATIC,
				      SQLITE_UTF8);
		break;
	case SQL_VALUE_FAIL:
		sqlite3_result_error(ctx, v->text.p, (int)v->text.n);
		break;
	default:
		sqlite3_result_null(ctx);
	}
	return SQLITE_OK;
}

static int rows_rowid(sqlite3_vtab_cursor *cur, sqlite3_int64 *rowid)
{
	*rowid = (sqlite3_int64)((struct rows_cursor *)(void *)cur)->row;
	return SQLITE_OK;
}

/* Eponymous-only (no xCreate): the table exists in every connection that
 * registers the module, and CREATE VIRTUAL TABLE cannot make another. */
static const sqlite3_module rows_module = {
	.xConnect = rows_connect,
	.xBestIndex = rows_best_index,
	.xDisconnect = rows_disconnect,
	.xOpen = rows_open,
	.xClose = rows_close,
	.xFilter = rows_filter,
	.xNext = rows_next,
	.xEof = rows_eof,
	.xColumn = rows_column,
	.xRowid = rows_rowid,
};

enum sql_rc sql_rows_register(struct sql *c, const char *name, int ncols,
			      const struct sql_rows *src, void *ctx)
{
	if (ncols < 1 || ncols > SQL_ROWS_MAX_COLS || c->rows.src)
		return SQL_ERROR;
	c->rows = (struct rows_source){ src, ctx, ncols };
	return rc_of(sqlite3_create_module(c->db, name, &rows_module, &c->rows));
}

void sql_library_version(char *buf, size_t cap)
{
	snprintf(buf, cap, "SQLite %s", sqlite3_libversion());
}
