/*
 * db_state.c - what a run keeps between runs and reads back before it
 * reads its inputs: the days table (which days are closed, with the K and
 * mask each was made with) and the resume points (where each input was
 * left, and the days it holds still open).
 *
 * A point holds line numbers, day numbers, a fingerprint of line
 * signatures and the name the input was given: nothing of its bytes.
 */
#include "db_int.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../common/civil.h"
#include "../common/grow.h"

struct days_walk {
	db_day_fn fn;
	void *ctx;
};

static enum lf_status days_row(struct db_sink *k, struct sql_stmt *st, void *ctx)
{
	const struct days_walk *w = ctx;
	struct db_day d = { sql_col_text(st, 0), sql_col_text(st, 1), sql_col_int(st, 2) != 0,
			    sql_col_int(st, 3), sql_col_int(st, 4) };
	return w->fn(w->ctx, &d);
}

enum lf_status db_days(struct sink *s, db_day_fn fn, void *ctx)
{
	struct db_sink *k = db_of(s);
	struct days_walk w = { fn, ctx };
	if (!k)
		return LF_ERR_DB;
	return db_rows(k,
		       "SELECT site, day, state = 'closed', coalesce(min_visitors, -1),"
		       " coalesce(mask_bytes, -1) FROM days",
		       NULL, 0, days_row, &w);
}

/* Free a string db_resume_load made (its rows hold them as const). */
static void free_str(const char *p)
{
	free((void *)(uintptr_t)p);
}

void db_resume_free(struct db_resume *rows, size_t n)
{
	for (size_t i = 0; rows && i < n; i++) {
		for (size_t d = 0; d < rows[i].nopen; d++)
			free_str(rows[i].open[d].site);
		free(rows[i].open);
		free_str(rows[i].name);
	}
	free(rows);
}

/* A day column ('YYYY-MM-DD') as a day number; INT32_MIN when it is not one. */
static int32_t col_day(struct sql_stmt *st, int c)
{
	struct slice t = sql_col_text(st, c);
	int32_t d;
	return day_parse(t.p, t.n, &d) ? d : INT32_MIN;
}

/* The row of rows[0..n) with key (fingerprint, fp_lines), or NULL. */
static struct db_resume *find_row(struct db_resume *rows, size_t n, uint64_t fp, uint32_t lines)
{
	for (size_t i = 0; i < n; i++)
		if (rows[i].fingerprint == fp && rows[i].fp_lines == lines)
			return &rows[i];
	return NULL;
}

/* Append (site, day) to the open days of r, whose array has room for
 * *cap (at least r->nopen: a lower bound is enough for GROW). */
static bool add_open(struct db_resume *r, size_t *cap, struct slice site, int32_t day)
{
	if (!GROW(r->open, *cap, r->nopen + 1, 4))
		return false;
	char *copy = strndup(site.p, site.n);
	if (!copy)
		return false;
	r->open[r->nopen++] = (struct db_open_day){ copy, day };
	return true;
}

/* The points being read: the array and its room; the point whose open
 * days are being read (they come in key order: each point's together) and
 * the room of its array. */
struct points {
	struct db_resume *rows;
	size_t n, cap;
	struct db_resume *cur;
	size_t cur_cap;
};

/* One row of resume into the points. */
static enum lf_status point_row(struct db_sink *k, struct sql_stmt *st, void *ctx)
{
	struct points *p = ctx;
	if (!GROW(p->rows, p->cap, p->n + 1, 64))
		return LF_ERR_NOMEM;
	struct slice name = sql_col_text(st, 2);
	struct db_resume *r = &p->rows[p->n];
	*r = (struct db_resume){ .fingerprint = (uint64_t)sql_col_int(st, 0),
				 .fp_lines = (uint32_t)sql_col_int(st, 1),
				 .name = strndup(name.p, name.n),
				 .closed_line = (uint64_t)sql_col_int(st, 3),
				 .reached_line = (uint64_t)sql_col_int(st, 4),
				 .first_day = col_day(st, 5),
				 .last_day = col_day(st, 6) };
	if (!r->name)
		return LF_ERR_NOMEM;
	p->n++;
	return LF_OK;
}

/* One row of resume_days, to its point. */
static enum lf_status open_day_row(struct db_sink *k, struct sql_stmt *st, void *ctx)
{
	struct points *p = ctx;
	struct db_resume *r =
		find_row(p->rows, p->n, (uint64_t)sql_col_int(st, 0), (uint32_t)sql_col_int(st, 1));
	int32_t day = col_day(st, 3);
	if (!r || day == INT32_MIN)
		return LF_OK;
	if (r != p->cur) {
		p->cur = r;
		p->cur_cap = r->nopen;
	}
	return add_open(r, &p->cur_cap, sql_col_text(st, 2), day) ? LF_OK : LF_ERR_NOMEM;
}

enum lf_status db_resume_load(struct sink *s, struct db_resume **out, size_t *n)
{
	struct db_sink *k = db_of(s);
	struct points p = { NULL, 0, 0, NULL, 0 };
	*out = NULL;
	*n = 0;
	if (!k)
		return LF_ERR_DB;
	enum lf_status st = db_rows(k,
				    "SELECT fingerprint, fp_lines, name, closed_line, reached_line,"
				    " first_day, last_day FROM resume ORDER BY 2, 1",
				    NULL, 0, point_row, &p);
	if (st == LF_OK)
		st = db_rows(k,
			     "SELECT fingerprint, fp_lines, site, day FROM resume_days"
			     " ORDER BY fp_lines, fingerprint, site, day",
			     NULL, 0, open_day_row, &p);
	if (st != LF_OK) {
		db_resume_free(p.rows, p.n);
		return st;
	}
	*out = p.rows;
	*n = p.n;
	return LF_OK;
}

/* Delete the point with key (fp, lines) and its open days. */
static enum lf_status drop_point(struct db_sink *k, uint64_t fp, uint32_t lines)
{
	struct db_arg key[2] = { DB_INT(fp), DB_INT(lines) };
	enum lf_status st =
		db_run(k, "write to database",
		       "DELETE FROM resume WHERE fingerprint = ?1 AND fp_lines = ?2", key, 2, NULL);
	if (st == LF_OK)
		st = db_run(k, "write to database",
			    "DELETE FROM resume_days WHERE fingerprint = ?1 AND fp_lines = ?2", key,
			    2, NULL);
	return st;
}

enum lf_status db_resume_put(struct sink *s, const struct db_resume *old,
			     const struct db_resume *now)
{
	struct db_sink *k = db_of(s);
	char first[11], last[11], day[11];
	if (!k)
		return LF_ERR_DB;
	enum lf_status st = old ? drop_point(k, old->fingerprint, old->fp_lines) : LF_OK;
	if (st == LF_OK)
		st = drop_point(k, now->fingerprint, now->fp_lines);
	day_format(now->first_day, first);
	day_format(now->last_day, last);
	struct db_arg v[7] = {
		DB_INT(now->fingerprint),       DB_INT(now->fp_lines),
		DB_TEXT(slice_cstr(now->name)), DB_INT(now->closed_line),
		DB_INT(now->reached_line),      DB_TEXT(slice_cstr(first)),
		DB_TEXT(slice_cstr(last)),
	};
	if (st == LF_OK)
		st = db_run(
			k, "write to database",
			"INSERT INTO resume (fingerprint, fp_lines, name, closed_line,"
			" reached_line, first_day, last_day) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
			v, 7, NULL);
	for (size_t i = 0; i < now->nopen && st == LF_OK; i++) {
		day_format(now->open[i].day, day);
		struct db_arg o[4] = { DB_INT(now->fingerprint), DB_INT(now->fp_lines),
				       DB_TEXT(slice_cstr(now->open[i].site)),
				       DB_TEXT(slice_cstr(day)) };
		st = db_run(k, "write to database",
			    "INSERT OR IGNORE INTO resume_days (fingerprint, fp_lines, site, day)"
			    " VALUES (?1, ?2, ?3, ?4)",
			    o, 4, NULL);
	}
	return st;
}

enum lf_status db_close_day(struct sink *s, struct slice site, const char *day)
{
	struct db_sink *k = db_of(s);
	struct db_arg a[2] = { DB_TEXT(site), DB_TEXT(slice_cstr(day)) };
	if (!k)
		return LF_ERR_DB;
	return db_run(k, "write to database",
		      "UPDATE days SET state = 'closed' WHERE site = ?1 AND day = ?2"
		      " AND state = 'open'",
		      a, 2, NULL);
}
