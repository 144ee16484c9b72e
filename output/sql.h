/*
 * sql.h - the SQLite wrapper: sql.c is the only file that includes
 * sqlite3.h. A thin layer over a connection (struct sql) and its
 * statements (struct sql_stmt): open with a lock wait that a stop flag
 * ends, prepare, bind, step, read columns, finalize; the cause of a
 * failure in words; an eponymous virtual table whose rows come from a
 * callback (sql_rows); the file's change counter; the library's version.
 *
 * It knows nothing of logfold's tables, never builds the house message
 * ("cannot VERB 'PATH': CAUSE") and never decides what a failure means:
 * the db_*.c modules do. Results are enum sql_rc, SQLite's result codes
 * folded to the ones a caller tells apart.
 */
#ifndef LF_SQL_H
#define LF_SQL_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../common/slice.h"

struct sql;      /* a connection */
struct sql_stmt; /* a prepared statement of one connection */

enum sql_rc {
	SQL_OK,
	SQL_ROW,       /* sql_step: a row is ready */
	SQL_DONE,      /* sql_step: the statement ran to its end */
	SQL_BUSY,      /* another connection held a lock past the wait (or
			* this one's other statement: SQLITE_LOCKED) */
	SQL_CANTOPEN,  /* the file (or its journal) could not be opened */
	SQL_READONLY,  /* a write on a connection or file that is read-only */
	SQL_INTERRUPT, /* stopped: the stop flag of sql_open was set */
	SQL_NOMEM,
	SQL_ERROR, /* anything else: sql_cause says what */
};

enum sql_mode {
	SQL_WRITE, /* read-write, the file created when missing */
	SQL_READ,  /* read-only: never created, never written */
};

/*
 * Open the database at path. A statement that finds a lock held by
 * another connection waits up to wait_ms ms for it. stop: NULL, or a flag
 * (a signal handler's, only read here) that ends that wait at once once
 * non-zero and fails every statement running or to run with
 * SQL_INTERRUPT (SQLite's progress handler, every thousand steps of a
 * statement); it must outlive the connection. Extended result codes are on.
 * The connection is used by one thread at a time (SQLITE_OPEN_NOMUTEX).
 * *out is the caller's (sql_close), also on failure, so that sql_cause can
 * say why; NULL only when memory ran out (SQL_NOMEM).
 */
enum sql_rc sql_open(struct sql **out, const char *path, enum sql_mode mode, int wait_ms,
		     const volatile sig_atomic_t *stop);

/* Close c (NULL: nothing); SQLite rolls back a transaction still open.
 * Every statement of c must be finalized first. */
void sql_close(struct sql *c);

/* Why the last call on c failed with rc, in words, for the database at
 * path: SQLite's message, except that a file that cannot be opened gets
 * the system's reason ("Permission denied" rather than "unable to open
 * database file") when there is one. Valid until the next call on c; c
 * may be NULL (out of memory). */
const char *sql_cause(struct sql *c, const char *path, enum sql_rc rc);

/* Whether c, asked to write, was opened read-only (SQLite does so without
 * a word when the file cannot be written). */
bool sql_readonly(struct sql *c);

/* Whether c is inside a transaction (BEGIN without COMMIT or ROLLBACK). */
bool sql_in_transaction(struct sql *c);

/* Run text, one or more statements whose rows (if any) are dropped. */
enum sql_rc sql_exec(struct sql *c, const char *text);

/* Rows changed by the last INSERT, UPDATE or DELETE on c. */
int64_t sql_changes(struct sql *c);

/* Run a query of one value: *v its first row's first column (0 when there
 * is no row); into buf (cap bytes, cut short if need be; "" when no row or
 * NULL) for the text one. */
enum sql_rc sql_query_int(struct sql *c, const char *text, long long *v);
enum sql_rc sql_query_text(struct sql *c, const char *text, char *buf, size_t cap);

/* The database file's change counter (its header's bytes 24..27), which
 * every committed write transaction increments, read through SQLite's own
 * handle of the file; -1 when it cannot be read (a database in memory, a
 * new empty file). */
int64_t sql_change_counter(struct sql *c);

/*
 * Prepare the first statement of text (len bytes, or -1: up to its NUL).
 * persistent: kept for many runs (SQLite then allocates it apart). *out is
 * the caller's (sql_finalize); NULL after a failure.
 */
enum sql_rc sql_prepare(struct sql *c, const char *text, int len, bool persistent,
			struct sql_stmt **out);

/* Release st (NULL: nothing); the result is that of its last step (SQL_OK
 * when it succeeded or never ran). */
enum sql_rc sql_finalize(struct sql_stmt *st);

/* Bind parameter i (from 1). sql_bind_text binds s itself, which must stay
 * unchanged until the statement is reset or rebound; sql_bind_copy binds a
 * copy. An empty slice binds '' (never NULL). sql_bind_column binds column
 * col of from's current row, copied. */
enum sql_rc sql_bind_text(struct sql_stmt *st, int i, struct slice s);
enum sql_rc sql_bind_copy(struct sql_stmt *st, int i, struct slice s);
enum sql_rc sql_bind_int(struct sql_stmt *st, int i, int64_t v);
enum sql_rc sql_bind_column(struct sql_stmt *st, int i, struct sql_stmt *from, int col);

/* The number of st's parameters (the largest index of ?NNN). */
int sql_param_count(struct sql_stmt *st);

/* Unbind every parameter (they become NULL). */
void sql_clear(struct sql_stmt *st);

/* The next row (SQL_ROW), the end (SQL_DONE), or a failure. After the end
 * or a failure, st must be reset before it runs again. */
enum sql_rc sql_step(struct sql_stmt *st);

/* Make st ready to run again (bindings kept); the result is that of its
 * last step, as sql_finalize's. */
enum sql_rc sql_reset(struct sql_stmt *st);

/* Run st, which returns no row, and reset it: SQL_OK or the failure. */
enum sql_rc sql_step_reset(struct sql_stmt *st);

/* Column col (from 0) of st's current row. sql_col_text is valid until st
 * moves on, NUL-terminated, "" for NULL; sql_col_int 0 for NULL. */
int64_t sql_col_int(struct sql_stmt *st, int col);
struct slice sql_col_text(struct sql_stmt *st, int col);
bool sql_col_null(struct sql_stmt *st, int col);
bool sql_col_is_int(struct sql_stmt *st, int col); /* stored as an INTEGER */

/* ---- a virtual table whose rows come from a callback ------------------
 * A row's value: what a row source gives for one column. */
enum sql_kind {
	SQL_VALUE_NULL,
	SQL_VALUE_INT,
	SQL_VALUE_TEXT,
	SQL_VALUE_FAIL, /* reading it fails the statement: text is why (static) */
};

struct sql_value {
	enum sql_kind kind;
	int64_t i;         /* SQL_VALUE_INT */
	struct slice text; /* SQL_VALUE_TEXT: unchanged until the next row */
};

/* The most columns a row source may declare. */
#define SQL_ROWS_MAX_COLS 32

/* Where the rows come from: count at the start of each scan, then row for
 * each row read, 0 .. count - 1, filling out[0 .. ncols). The values are
 * NULL when a statement starts reading; one that row does not set keeps
 * what it was for the row before. */
struct sql_rows {
	size_t (*count)(void *ctx);
	void (*row)(void *ctx, size_t i, struct sql_value *out);
};

/*
 * Make name an eponymous virtual table of c (no CREATE needed, none
 * possible) with ncols columns c0, c1, ... (at most SQL_ROWS_MAX_COLS),
 * read from src with ctx. A statement such as "INSERT INTO t SELECT c0, c1
 * FROM name" then moves a caller's rows with one step, nothing bound. One
 * row source per connection; src and ctx must outlive it.
 */
enum sql_rc sql_rows_register(struct sql *c, const char *name, int ncols,
			      const struct sql_rows *src, void *ctx);

/* "SQLite X.Y.Z": the SQLite library linked (not the header compiled
 * against), into buf (cap bytes, cut short if need be), for --version. */
void sql_library_version(char *buf, size_t cap);

#endif
