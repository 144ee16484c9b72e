/*
 * db_prune.c - rows deleted by age or by day: retention (db_prune: every
 * per-day table, the merge tables, runs and resume points before a day)
 * and one day taken out (db_prune_day, for logfold prune and --rebuild).
 *
 * It deletes inside the run's transaction and writes nothing new but the
 * state of the days it empties; secure_delete (db.c) zeroes what it frees.
 */
#include "db_int.h"

#include <stdio.h>

/* Delete the rows of table name whose column col is before 'YYYY-MM-DD'
 * before; add their number to *deleted when it is not NULL. */
static enum lf_status prune_table(struct db_sink *k, const char *name, const char *col,
				  const char *before, uint64_t *deleted)
{
	char sql[DB_SQL_MAX];
	struct db_arg b = DB_TEXT(slice_cstr(before));
	/* An hour 'YYYY-MM-DDTHH' sorts after its day's 'YYYY-MM-DD' and
	 * before the next day's: the same comparison serves both. */
	snprintf(sql, sizeof(sql), "DELETE FROM %s WHERE %s < ?1", name, col);
	return db_run(k, "prune database", sql, &b, 1, deleted);
}

/* Does the table merge_NAME exist (made by the first merge)? */
static enum lf_status has_merge_table(struct db_sink *k, const char *name, bool *yes)
{
	char sql[DB_SQL_MAX];
	long long n = 0;
	snprintf(sql, sizeof(sql),
		 "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'merge_%s'",
		 name);
	enum sql_rc rc = sql_query_int(k->db, sql, &n);
	*yes = n > 0;
	return rc == SQL_OK ? LF_OK : db_fail(k, "read database", rc);
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
		char merge_name[64]; /* "merge_" and a table name (a short literal) */
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
		st = db_run(k, "prune database", "DELETE FROM resume WHERE last_day < ?1", &b, 1,
			    NULL);
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

enum lf_status db_prune_day(struct sink *s, const char *day, const char *site, uint64_t *deleted,
			    uint64_t *days)
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
	snprintf(sql, sizeof(sql),
		 "DELETE FROM resume_days WHERE %s day = ?2 AND (site, day) IN"
		 " (SELECT site, day FROM days WHERE state = 'open')",
		 which);
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
