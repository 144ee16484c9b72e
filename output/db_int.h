/*
 * db_int.h - what the db*.c modules share and nothing else includes: the
 * database sink (struct db_sink), its failures, and the small helpers that
 * run a statement or walk its rows through the SQLite wrapper (sql.h).
 * db.h is the interface the rest of logfold sees; this file is the inside
 * of it, split by job:
 *   db.c         the sink: open, the run's transaction, the row writer,
 *                commit, vacuum, close; these helpers
 *   db_schema.c  the migrations, the schema check, the database's own id
 *   db_state.c   what a run keeps between runs: days, resume points
 *   db_prune.c   retention (db_prune) and one day out (db_prune_day)
 *   db_merge.c   other databases merged in (db_merge)
 *   db_shard.c   shards (--shard I/N): a shard's database marked, its sets
 *                kept, the merge's checks and folds
 *   db_read.c    rows read back: the CSV export's, the report's queries
 * None of them prints: a failure is a status and the sink's message.
 */
#ifndef LF_DB_INT_H
#define LF_DB_INT_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db.h"
#include "sql.h"

/* A message naming a path and a cause. */
#define PATH_MAX_MSG 512

/* Longest statement built from a table_def: names are short literals. */
#define DB_SQL_MAX 1024

struct merge_state; /* db_merge.c's */

struct db_sink {
	struct sink base; /* first: a struct sink * is a struct db_sink * */
	struct sql *db;
	struct sql_stmt *del_day[TABLE_COUNT], *ins_day[TABLE_COUNT], *ins_run;
	struct sql_stmt *has_merged;  /* is (site ?1, day ?2) in merge_sources? */
	struct merge_state *merge;    /* NULL until a merged day is written */
	int64_t id;                   /* database_id */
	const struct day_result *day; /* what logfold_day reads: the day being */
	enum day_table table;         /* written, and its table */
	enum lf_status failed;        /* first failure: err keeps its message, commit is refused */
	bool committed;
	int64_t changes_before;            /* the file change counter when the run's
					    * transaction began, or -1 */
	long long found_version;           /* user_version before any migration */
	int wait_ms;                       /* busy timeout */
	const volatile sig_atomic_t *stop; /* db_open_stop's flag, or NULL */
	char path[];                       /* base.where points here */
};

/* k, when s is a database sink and usable (no failure yet); NULL otherwise. */
struct db_sink *db_of(struct sink *s);

/* ---- failures: each sets k->failed (the first one's message stays in
 * k->base.err) and returns the status ------------------------------------ */

/* Fail with st and "cannot VERB 'PATH': CAUSE": path is the sink's database
 * or, in a merge, the source database the failure is about. */
enum lf_status db_fail_at(struct db_sink *k, enum lf_status st, const char *verb, const char *path,
			  const char *cause);

/* LF_ERR_DB, "cannot VERB 'k's path': CAUSE". */
enum lf_status db_fail_msg(struct db_sink *k, const char *verb, const char *cause);

/* A call on db, the database at path, returned rc: LF_ERR_BUSY (the lock
 * wait ran out) or LF_ERR_DB with the wrapper's cause. */
enum lf_status db_fail_on(struct db_sink *k, struct sql *db, const char *path, const char *verb,
			  enum sql_rc rc);

/* A call on k's own connection returned rc; a file that cannot be opened
 * or written gets the system's reason when there is one. */
enum lf_status db_fail(struct db_sink *k, const char *verb, enum sql_rc rc);

/* ---- statements ---------------------------------------------------------- */

/* A statement's parameters: text or integers, in order. */
struct db_arg {
	bool text;
	struct slice s;
	int64_t i;
};

#define DB_TEXT(x) ((struct db_arg){ true, (x), 0 })
#define DB_INT(x) ((struct db_arg){ false, { NULL, 0 }, (int64_t)(x) })

/* Run sql (its n parameters a), which returns no row, on k; *changes (when
 * not NULL) adds the rows it changed. A failure is "cannot VERB ...". */
enum lf_status db_run(struct db_sink *k, const char *verb, const char *sql, const struct db_arg *a,
		      int n, uint64_t *changes);

/* db_run, binding a[0 .. n) only as far as sql has parameters: for a
 * caller whose statements take a first part of the same arguments. */
enum lf_status db_run_prefix(struct db_sink *k, const char *verb, const char *sql,
			     const struct db_arg *a, int n, uint64_t *changes);

/* Called for each row of db_rows' statement; a non-OK status stops it. */
typedef enum lf_status (*db_rows_fn)(struct db_sink *k, struct sql_stmt *st, void *ctx);

/* Run sql (its n parameters a) on k and call fn for each row. fn's status
 * when it stopped the loop, a failure to read (k's message), or LF_OK. */
enum lf_status db_rows(struct db_sink *k, const char *sql, const struct db_arg *a, int n,
		       db_rows_fn fn, void *ctx);

/* Append to buf (cap bytes) at *n as printf would; *n counts on past cap,
 * so that a caller sees the text was cut short (*n >= cap). */
__attribute__((format(printf, 4, 5))) void db_append(char *buf, size_t cap, size_t *n,
						     const char *fmt, ...);

/* The columns of t SQLite stores: all but the derived ones, which come
 * last (tables.h) and live in a view. */
int db_stored_cols(const struct table_def *t);

/* The rows of (site ?1, day ?2) in table t or in its merge_ copy, as a
 * WHERE clause. */
const char *db_day_where(const struct table_def *t);

/* ---- across modules ------------------------------------------------------ */

/* db_schema.c: inside the run's transaction, refuse a database that is not
 * ours or is newer than us, then bring an older one up to
 * DB_SCHEMA_VERSION (k->found_version: what it was). */
enum lf_status db_schema(struct db_sink *k);

/* db_schema.c: the database's own id into k->id, drawn the first time. */
enum lf_status db_own_id(struct db_sink *k);

/* db_merge.c: after a run wrote (site, day): when a merge put that day
 * here, keep the run's rows as the database's own source's and sum the
 * day again; nothing otherwise. */
enum lf_status db_merge_run_day(struct db_sink *k, struct slice site, struct slice day);

/* db_merge.c: sum (and fold, for shards) each day the merge's sources
 * touched, once: a source's days are summed when every source is in
 * (db_merge_finish, else db_commit). Nothing when nothing is pending. */
enum lf_status db_merge_sum_pending(struct db_sink *k);

/* db_merge.c: release what merges prepared (NULL: nothing). */
void db_merge_free(struct merge_state *m);

/* A source database being merged (db_merge.c, db_shard.c). */
struct merge_src {
	struct sql *db;
	const char *path;
	int64_t id;
	struct sql_stmt *days;             /* every (site, day) it holds */
	struct sql_stmt *sel[TABLE_COUNT]; /* its rows of one (site, day) */
	struct db_shard shard;             /* count 0: not a shard's */
};

/* db_read.c: the connection of r, for db_shard_read. */
struct sql *db_reader_sql(struct db_reader *r);

/* db_shard.c: the shard row of db into *out (count 0 when there is none);
 * the failure of the read. */
enum sql_rc db_shard_row(struct sql *db, struct db_shard *out);

/* db_shard.c: after a run wrote d's tables: its sets (the cells a shard
 * leaves unfolded), in place of what the database held of its day. */
enum lf_status db_shard_write_sets(struct db_sink *k, const struct day_result *d);

/* db_shard.c: in's sets of (site, day) into merge_shard_sets, in place of
 * what a merge kept of them before, and whether in is a shard into
 * merge_sources; refused (LF_ERR_USAGE): a shard's day beside unsharded
 * rows of it or shards of another count, or the reverse. */
enum lf_status db_shard_merge_day(struct db_sink *k, const struct merge_src *in, struct slice site,
				  struct slice day, bool merged_before);

/* db_shard.c: after a day is summed: when shards made it, its small cells
 * folded under the K of its days row (the sets stay, each source's, in
 * merge_shard_sets). */
enum lf_status db_shard_fold_day(struct db_sink *k, struct slice site, struct slice day);

#endif
