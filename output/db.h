/*
 * db.h - the SQLite sink. The schema is created when absent and versioned
 * with PRAGMA user_version (DB_SCHEMA_VERSION); a database with a newer
 * version is refused. One transaction per run; secure_delete is on so that
 * replaced rows leave no trace in free pages. A day the database already
 * holds is deleted and written again inside the same transaction.
 * This is the only file that includes sqlite3.h.
 */
#ifndef LF_DB_H
#define LF_DB_H

#include <stdbool.h>
#include <stdint.h>

#include "sink.h"

#define DB_SCHEMA_VERSION 9

/* A day of the days table as a run reads it back. */
struct db_day {
	struct slice site, day; /* 'YYYY-MM-DD' */
	bool closed;
	int64_t min_visitors;   /* the K it was computed with; -1: unknown */
	int64_t mask_bytes;     /* the --mask-bytes; -1: unknown (written
				 * before schema 9) */
};

/* A day an input held still open when a run left it (resume_days). */
struct db_open_day {
	const char *site;
	int32_t day; /* days since 1970-01-01 */
};

/* Where a run left one input (a row of resume and its rows of
 * resume_days): the fingerprint of the signatures of its first fp_lines
 * lines (parsers/input/resume.h), line numbers, the days of its dated
 * lines, the days it holds still open, and the name it was given. Nothing
 * of its bytes: no offset, no size, no hash of raw content. */
struct db_resume {
	uint64_t fingerprint;
	uint32_t fp_lines;
	const char *name;
	uint64_t closed_line;  /* lines before the first line of a day left open */
	uint64_t reached_line; /* lines read */
	int32_t first_day, last_day; /* days since 1970-01-01 */
	struct db_open_day *open;
	size_t nopen;
};

/*
 * Open (creating if needed) the database at path and begin the run's
 * transaction, waiting up to wait_s seconds for another writer. On success *out
 * is a sink owned by the caller (sink_close). Errors, with the message in
 * errbuf (size errlen): LF_ERR_BUSY (another writer held it past wait_s),
 * LF_ERR_DB (cannot open, not a database, not a
 * logfold database, schema newer than DB_SCHEMA_VERSION), LF_ERR_NOMEM.
 */
enum lf_status db_open(struct sink **out, const char *path, int wait_s, char *errbuf,
		       size_t errlen);

/* The calls below take a sink made by db_open (LF_ERR_DB for any other, or
 * after a failure) and work inside its run's transaction; a failure sets
 * the sink's message, as a failed write does. */

/* The schema version the database had when db_open found it (0: new),
 * before any migration. */
long long db_schema_found(const struct sink *s);

/* Call fn for every row of the days table; slices are valid during the
 * call only. A non-OK status from fn stops and is returned. */
typedef enum lf_status (*db_day_fn)(void *ctx, const struct db_day *d);
enum lf_status db_days(struct sink *s, db_day_fn fn, void *ctx);

/* Every resume point, in a new array *out of *n, names and sites
 * included (db_resume_free frees them all). */
enum lf_status db_resume_load(struct sink *s, struct db_resume **out, size_t *n);
void db_resume_free(struct db_resume *rows, size_t n);

/* Store now (and its open days), replacing old (the point the run started
 * from, which may have another fingerprint) when not NULL. */
enum lf_status db_resume_put(struct sink *s, const struct db_resume *old,
			     const struct db_resume *now);

/* Close an open day that no line of the run wrote: the logs have moved
 * past its end. Its rows stay as they are. */
enum lf_status db_close_day(struct sink *s, struct slice site, const char *day);

/* Delete the rows of every per-day table whose day is before 'YYYY-MM-DD'
 * before, the runs started before it, and the resume points whose last day
 * is before it (with their open days); *deleted counts the rows. */
enum lf_status db_prune(struct sink *s, const char *before, uint64_t *deleted);

/* Delete every row of day 'YYYY-MM-DD' of site (every site when NULL)
 * from every per-day table. A closed day stays in the days table, closed,
 * with min_visitors and mask_bytes 0: no line of it is counted again by a
 * run (it is late), and --rebuild may write it anew with any K and mask. An
 * open day goes whole, and leaves the open days of every resume point: the
 * next run writes it from what it is given. *deleted counts the rows of
 * the per-day tables, *days the days emptied or deleted. */
enum lf_status db_prune_day(struct sink *s, const char *day, const char *site,
			    uint64_t *deleted, uint64_t *days);

/* The DELETE of a (site, day) ?1, ?2 from table t, as db_open prepares it,
 * into sql (cap bytes); its length. For the test of its query plan. */
int db_delete_day_sql(const struct table_def *t, char *sql, size_t cap);

/* Add the tables of the logfold database at in_path into s's: key columns
 * match, INTEGER columns add (visitors too: a visitor of two servers counts
 * twice), a day is closed only when both say so. Refuses another schema
 * version. Runs and resume points are not merged. */
enum lf_status db_merge(struct sink *s, const char *in_path);

#endif
