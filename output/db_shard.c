/*
 * db_shard.c - shards (--shard I/N): partial databases and their merge.
 * A shard's run writes its cells unfolded and marks the database (shard);
 * its sets (aggregate/shardsets.h) go into shard_sets. A merge keeps each
 * source's sets in merge_shard_sets, says in merge_sources which sources
 * were shards, refuses to mix a day's shards with unsharded rows or with
 * shards of another count, and, once a day is summed, folds its small
 * cells as one run would (db_shard_fold_day).
 *
 * It never folds a shard's own database (partial until merged), and never
 * writes to a source.
 */
#include "db_int.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

/* The most integers shard_run binds after (site, day). */
#define SHARD_RUN_MAX 3

/* Run sql, which returns no row, on k's database with (site, day) as ?1 ?2
 * and v[0..nv) as ?3 ..., as far as the statement has parameters. */
static enum lf_status shard_run(struct db_sink *k, const char *sql, struct slice site,
				struct slice day, const int64_t *v, int nv)
{
	struct db_arg a[2 + SHARD_RUN_MAX] = { DB_TEXT(site), DB_TEXT(day) };
	assert(nv >= 0 && nv <= SHARD_RUN_MAX);
	for (int i = 0; i < nv; i++)
		a[2 + i] = DB_INT(v[i]);
	return db_run_prefix(k, "write to database", sql, a, 2 + nv, NULL);
}

/* The first row's first column as an integer: -1 when NULL, or (left as
 * it was) when there is no row. */
struct first_int {
	int64_t *v;
	bool seen;
};

static enum lf_status first_int_row(struct db_sink *k, struct sql_stmt *st, void *ctx)
{
	struct first_int *f = ctx;
	if (!f->seen)
		*f->v = sql_col_null(st, 0) ? -1 : sql_col_int(st, 0);
	f->seen = true;
	return LF_OK;
}

/* The first row's first column of sql with (site, day) as ?1 ?2, as an
 * integer: *v, or -1 when there is no row or it is NULL. */
static enum lf_status shard_int(struct db_sink *k, const char *sql, struct slice site,
				struct slice day, int64_t *v)
{
	struct db_arg a[2] = { DB_TEXT(site), DB_TEXT(day) };
	struct first_int f = { v, false };
	*v = -1;
	return db_rows(k, sql, a, 2, first_int_row, &f);
}

/* Bind one set of d (row r) to ins: site, day and its five values. */
static enum sql_rc bind_set(struct sql_stmt *ins, const struct day_result *d, struct slice day,
			    const struct shard_set_row *r)
{
	enum sql_rc rc = sql_bind_text(ins, 1, d->site);
	if (rc == SQL_OK)
		rc = sql_bind_text(ins, 2, day);
	if (rc == SQL_OK)
		rc = sql_bind_text(ins, 3, slice_cstr(r->table));
	if (rc == SQL_OK)
		rc = sql_bind_text(ins, 4, r->page);
	if (rc == SQL_OK)
		rc = sql_bind_text(ins, 5, r->part);
	if (rc == SQL_OK)
		rc = sql_bind_text(ins, 6, r->members);
	if (rc == SQL_OK)
		rc = sql_bind_int(ins, 7, (int64_t)r->visitors);
	return rc;
}

enum lf_status db_shard_write_sets(struct db_sink *k, const struct day_result *d)
{
	struct slice day = slice_make(d->day, strnlen(d->day, sizeof(d->day)));
	enum lf_status st = shard_run(k, "DELETE FROM shard_sets WHERE site = ?1 AND day = ?2",
				      d->site, day, NULL, 0);
	struct sql_stmt *ins = NULL;
	if (st != LF_OK || d->nsets == 0)
		return st;
	/* a set found twice in a group (from two computations of one table)
	 * is its visitors added */
	enum sql_rc rc =
		sql_prepare(k->db,
			    "INSERT INTO shard_sets (site, day, table_name, page, part, "
			    "members, visitors) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON "
			    "CONFLICT DO UPDATE SET visitors = visitors + excluded.visitors",
			    -1, false, &ins);
	for (size_t i = 0; i < d->nsets && rc == SQL_OK; i++) {
		rc = bind_set(ins, d, day, &d->sets[i]);
		if (rc == SQL_OK)
			rc = sql_step_reset(ins);
	}
	enum sql_rc rf = sql_finalize(ins);
	if (rc == SQL_OK)
		rc = rf;
	return rc == SQL_OK ? LF_OK : db_fail(k, "write to database", rc);
}

enum sql_rc db_shard_row(struct sql *db, struct db_shard *out)
{
	struct sql_stmt *st = NULL;
	memset(out, 0, sizeof(*out));
	enum sql_rc rc = sql_prepare(db, "SELECT shard_index, shard_count, settings FROM shard", -1,
				     false, &st);
	if (rc == SQL_OK && (rc = sql_step(st)) == SQL_ROW) {
		out->index = (uint32_t)sql_col_int(st, 0);
		out->count = (uint32_t)sql_col_int(st, 1);
		snprintf(out->settings, sizeof(out->settings), "%s", sql_col_text(st, 2).p);
		rc = SQL_DONE;
	}
	if (rc == SQL_DONE)
		rc = SQL_OK;
	sql_finalize(st);
	return rc;
}

enum lf_status db_shard_get(struct sink *s, struct db_shard *out)
{
	struct db_sink *k = db_of(s);
	if (!k)
		return LF_ERR_DB;
	enum sql_rc rc = db_shard_row(k->db, out);
	return rc == SQL_OK ? LF_OK : db_fail(k, "read database", rc);
}

/* Refuse (LF_ERR_USAGE) a shard's database, now, for a run that is not
 * that shard with those settings. */
static enum lf_status shard_check(struct db_sink *k, const struct db_shard *now,
				  const struct db_shard *sh)
{
	char why[2 * DB_SHARD_SETTINGS_MAX + 128];
	if (now->count && !sh->count) {
		snprintf(why, sizeof(why),
			 "it is shard %u/%u, partial: only a run with --shard %u/%u writes into it",
			 now->index, now->count, now->index, now->count);
		return db_fail_at(k, LF_ERR_USAGE, "write to database", k->path, why);
	}
	if (now->count && (now->index != sh->index || now->count != sh->count ||
			   strcmp(now->settings, sh->settings) != 0)) {
		snprintf(why, sizeof(why),
			 "it is shard %u/%u of runs with settings '%s'; this run is shard %u/%u "
			 "with '%s'",
			 now->index, now->count, now->settings, sh->index, sh->count, sh->settings);
		return db_fail_at(k, LF_ERR_USAGE, "write to database", k->path, why);
	}
	return LF_OK;
}

enum lf_status db_shard_claim(struct sink *s, const struct db_shard *sh)
{
	struct db_sink *k = db_of(s);
	struct db_shard now;
	long long days = 0;
	enum lf_status st = k ? db_shard_get(s, &now) : LF_ERR_DB;
	if (st == LF_OK)
		st = shard_check(k, &now, sh);
	if (st != LF_OK || now.count || !sh->count)
		return st;
	enum sql_rc rc = sql_query_int(k->db, "SELECT count(*) FROM days", &days);
	if (rc != SQL_OK)
		return db_fail(k, "read database", rc);
	if (days)
		return db_fail_at(k, LF_ERR_USAGE, "write to database", k->path,
				  "it holds days of runs without --shard: a shard needs a "
				  "database of its own");
	struct db_arg a[3] = { DB_INT(sh->index), DB_INT(sh->count),
			       DB_TEXT(slice_cstr(sh->settings)) };
	return db_run(k, "write to database", "INSERT INTO shard VALUES (?1, ?2, ?3)", a, 3, NULL);
}

enum lf_status db_shard_read(const char *path, int wait_s, struct db_shard *out, char *errbuf,
			     size_t errlen)
{
	struct db_reader *r;
	int version = 0;
	memset(out, 0, sizeof(*out));
	enum lf_status st = db_reader_open(&r, path, wait_s, &version, errbuf, errlen);
	if (st != LF_OK)
		return st;
	enum sql_rc rc = version >= 14 ? db_shard_row(db_reader_sql(r), out) : SQL_OK;
	if (rc != SQL_OK) {
		cells_error(errbuf, errlen, "read database", path,
			    sql_cause(db_reader_sql(r), path, rc));
		st = LF_ERR_DB;
	}
	db_reader_close(r);
	return st;
}

/* in's sets of (site, day) into merge_shard_sets as its. */
static enum lf_status shard_copy_sets(struct db_sink *k, const struct merge_src *in,
				      struct slice site, struct slice day)
{
	struct sql_stmt *sel = NULL, *ins = NULL;
	enum sql_rc rc = sql_prepare(in->db,
				     "SELECT table_name, page, part, members, visitors FROM "
				     "shard_sets WHERE site = ?1 AND day = ?2",
				     -1, false, &sel);
	if (rc != SQL_OK)
		return db_fail_on(k, in->db, in->path, "read database", rc);
	rc = sql_prepare(k->db,
			 "INSERT INTO merge_shard_sets (source_id, site, day, table_name, page, "
			 "part, members, visitors) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
			 -1, false, &ins);
	enum sql_rc rr = rc == SQL_OK ? sql_bind_text(sel, 1, site) : rc;
	if (rr == SQL_OK)
		rr = sql_bind_text(sel, 2, day);
	while (rc == SQL_OK && rr == SQL_OK && (rr = sql_step(sel)) == SQL_ROW) {
		rr = SQL_OK;
		rc = sql_bind_int(ins, 1, in->id);
		if (rc == SQL_OK)
			rc = sql_bind_text(ins, 2, site);
		if (rc == SQL_OK)
			rc = sql_bind_text(ins, 3, day);
		for (int c = 0; c < 5 && rc == SQL_OK; c++)
			rc = sql_bind_column(ins, 4 + c, sel, c);
		if (rc == SQL_OK)
			rc = sql_step_reset(ins);
	}
	sql_finalize(sel);
	sql_finalize(ins);
	if (rc != SQL_OK)
		return db_fail(k, "write to database", rc);
	return rr == SQL_DONE ? LF_OK : db_fail_on(k, in->db, in->path, "read database", rr);
}

/* Refuse (LF_ERR_USAGE) in's (site, day) when the output holds it from
 * sources of another kind: unsharded rows beside a shard's, or shards of
 * another count. other: the shard count of another source of the day
 * (0: unsharded; -1: none); own: 1 when the output's own rows hold it. */
static enum lf_status shard_mixed(struct db_sink *k, const struct merge_src *in, struct slice site,
				  struct slice day, int64_t other, int64_t own)
{
	char why[PATH_MAX_MSG];
	if (!((other >= 0 && other != in->shard.count) || own == 1))
		return LF_OK;
	int n = snprintf(why, sizeof(why), "%s of day %.*s of '%.*s', and ",
			 in->shard.count ? "it is a shard" : "it is not sharded", (int)day.n, day.p,
			 (int)(site.n > 253 ? 253 : site.n), site.p);
	if (own == 1 || other == 0)
		snprintf(why + n, sizeof(why) - (size_t)n,
			 "the output holds that day from unsharded logs");
	else
		snprintf(why + n, sizeof(why) - (size_t)n,
			 "the output holds it from shards of %lld (a different N)",
			 (long long)other);
	return db_fail_at(k, LF_ERR_USAGE, "merge database", in->path, why);
}

enum lf_status db_shard_merge_day(struct db_sink *k, const struct merge_src *in, struct slice site,
				  struct slice day, bool merged_before)
{
	int64_t other = -1, own = -1, v[3] = { in->id, in->shard.index, in->shard.count };
	/* another source of the day, one of another kind first */
	struct db_arg a[4] = { DB_TEXT(site), DB_TEXT(day), DB_INT(in->id),
			       DB_INT(in->shard.count) };
	struct first_int f = { &other, false };
	enum lf_status st =
		db_rows(k,
			"SELECT coalesce(shard_count, 0) FROM merge_sources WHERE site = "
			"?1 AND day = ?2 AND source_id != ?3 ORDER BY (coalesce("
			"shard_count, 0) = ?4) LIMIT 1",
			a, 4, first_int_row, &f);
	if (st == LF_OK && !merged_before && in->shard.count)
		st = shard_int(k, "SELECT 1 FROM days WHERE site = ?1 AND day = ?2", site, day,
			       &own);
	if (st == LF_OK)
		st = shard_mixed(k, in, site, day, other, own);
	if (st == LF_OK)
		st = shard_run(k,
			       "DELETE FROM merge_shard_sets WHERE site = ?1 AND day = ?2 AND "
			       "source_id = ?3",
			       site, day, v, 1);
	if (st == LF_OK && in->shard.count)
		st = shard_run(k,
			       "UPDATE merge_sources SET shard_index = ?4, shard_count = ?5 "
			       "WHERE site = ?1 AND day = ?2 AND source_id = ?3",
			       site, day, v, 3);
	if (st != LF_OK || !in->shard.count)
		return st;
	return shard_copy_sets(k, in, site, day);
}

/* How a table's small cells fold (aggregate/smallcell.h), in SQL over the
 * summed rows of a day: a cell folds when its visitors are under K or its
 * value reads "(other)"; its group's "(other)" row has the sums of the
 * folded cells and, as visitors, those of the sets (merge_shard_sets) of
 * its group that hold a value folded, each set once; it is written when
 * they are K or more. The sets hold every value a visitor had that may
 * fold, so this counts each visitor once, as one run does. */
struct shard_fold {
	const char *table;
	const char *dayof;   /* the row's day */
	const char *member;  /* the row's value as a set holds it ... */
	const char *fmember; /* ... and row f's */
	const char *group;   /* GROUP BY of g, or "" for one group */
	const char *same;    /* f is in g's group */
	const char *sets;    /* the sets s of g's group */
	const char *cols;    /* the columns of the "(other)" row ... */
	const char *row;     /* ... and their values, but for visitors */
	const char *key;     /* a folded cell by group and member */
};

#define FOLD_LOAD_SUMS                                                                       \
	"sum(g.n), sum(g.sum_ms), max(g.max_ms), sum(g.le_10), sum(g.le_25), sum(g.le_50), " \
	"sum(g.le_100), sum(g.le_250), sum(g.le_500), sum(g.le_1000), sum(g.le_2500), "      \
	"sum(g.le_5000), sum(g.le_10000), sum(g.le_25000), sum(g.le_60000), sum(g.gt_60000)"

static const struct shard_fold shard_folds[] = {
	{ "breakdown_daily", "day", "value", "f.value", "g.page, g.dimension",
	  "f.page = g.page AND f.dimension = g.dimension",
	  "s.page = g.page AND s.part = g.dimension",
	  "site, day, page, dimension, value, pageviews, visitors",
	  "?1, ?2, g.page, g.dimension, '(other)', sum(g.pageviews)", "page, dimension, value" },
	{ "site_breakdown_daily", "day", "value", "f.value", "g.dimension",
	  "f.dimension = g.dimension", "s.page = '' AND s.part = g.dimension",
	  "site, day, dimension, value, pageviews, visitors",
	  "?1, ?2, g.dimension, '(other)', sum(g.pageviews)", "dimension, value" },
	{ "action_daily", "day", "label", "f.label", "g.page, g.action",
	  "f.page = g.page AND f.action = g.action", "s.page = g.page AND s.part = g.action",
	  "site, day, page, action, label, count, visitors",
	  "?1, ?2, g.page, g.action, '(other)', sum(g.count)", "page, action, label" },
	{ "engagement_daily", "day", "page", "f.page", "", "1", "s.page = '' AND s.part = ''",
	  "site, day, page, measured, engaged_s, scroll_25, scroll_50, scroll_75, scroll_100, "
	  "visitors",
	  "?1, ?2, '(other)', sum(g.measured), sum(g.engaged_s), sum(g.scroll_25), "
	  "sum(g.scroll_50), sum(g.scroll_75), sum(g.scroll_100)",
	  "page" },
	{ "load_hourly", "substr(hour, 1, 10)", "substr(hour, 12)", "substr(f.hour, 12)",
	  "g.page, g.source", "f.page = g.page AND f.source = g.source",
	  "s.page = g.page AND s.part = g.source",
	  "site, hour, page, source, n, sum_ms, max_ms, le_10, le_25, le_50, le_100, le_250, "
	  "le_500, le_1000, le_2500, le_5000, le_10000, le_25000, le_60000, gt_60000, visitors",
	  "?1, ?2 || 'T(other)', g.page, g.source, " FOLD_LOAD_SUMS,
	  "page, source, substr(hour, 12)" },
};

/* Step i (0 .. 5) of the fold of table f, into sql; its length. The
 * "(other)" visitors read each set of a group once, and look its members
 * up among the folded cells by the index made here. */
static int shard_fold_sql(const struct shard_fold *f, int i, char *sql, size_t cap)
{
	const char *t = f->table;
	switch (i) {
	case 0:
		return snprintf(sql, cap,
				"CREATE TEMP TABLE IF NOT EXISTS fold_%s AS SELECT * FROM main.%s "
				"WHERE 0",
				t, t);
	case 1:
		return snprintf(sql, cap,
				"CREATE INDEX IF NOT EXISTS temp.fold_%s_key ON fold_%s (%s)", t, t,
				f->key);
	case 2:
		return snprintf(sql, cap, "DELETE FROM temp.fold_%s", t);
	case 3:
		return snprintf(
			sql, cap,
			"INSERT INTO temp.fold_%s SELECT * FROM main.%s WHERE site = ?1 AND "
			"%s = ?2 AND (visitors < ?3 OR %s = '(other)')",
			t, t, f->dayof, f->member);
	case 4:
		return snprintf(
			sql, cap,
			"DELETE FROM main.%s WHERE site = ?1 AND %s = ?2 AND (visitors < ?3 "
			"OR %s = '(other)')",
			t, f->dayof, f->member);
	default:
		return snprintf(
			sql, cap,
			"INSERT INTO main.%s (%s) SELECT * FROM (SELECT %s, (SELECT "
			"coalesce(sum(s.visitors), 0) FROM merge_shard_sets s WHERE s.site = "
			"?1 AND s.day = ?2 AND s.table_name = '%s' AND %s AND EXISTS (SELECT 1 "
			"FROM json_each(s.members) j, temp.fold_%s f WHERE %s AND %s = "
			"j.value)) AS v FROM temp.fold_%s g %s%s) WHERE v >= ?3",
			t, f->cols, f->row, t, f->sets, t, f->same, f->fmember, t,
			*f->group ? "GROUP BY " : "", f->group);
	}
}

/* Fold table f of (site, day) under K. */
static enum lf_status shard_fold_table(struct db_sink *k, const struct shard_fold *f,
				       struct slice site, struct slice day, int64_t K)
{
	char sql[4 * DB_SQL_MAX];
	enum lf_status st = LF_OK;
	for (int i = 0; i < 6 && st == LF_OK; i++) {
		int len = shard_fold_sql(f, i, sql, sizeof(sql));
		if (len < 0 || (size_t)len >= sizeof(sql))
			return db_fail_msg(k, "merge into database", "a fold too long");
		st = shard_run(k, sql, site, day, &K, 1);
	}
	return st;
}

/* After a day is summed: when shards made it, its small cells folded under
 * the K of its days row, and the sets gone from it (they stay, each
 * source's, in merge_shard_sets). */
enum lf_status db_shard_fold_day(struct db_sink *k, struct slice site, struct slice day)
{
	int64_t sharded = -1, K = -1;
	enum lf_status st =
		shard_int(k,
			  "SELECT 1 FROM merge_sources WHERE site = ?1 AND day = ?2 AND "
			  "shard_count IS NOT NULL",
			  site, day, &sharded);
	if (st != LF_OK || sharded != 1)
		return st;
	st = shard_int(k, "SELECT min_visitors FROM days WHERE site = ?1 AND day = ?2", site, day,
		       &K);
	for (size_t i = 0; K > 1 && st == LF_OK && i < sizeof(shard_folds) / sizeof(*shard_folds);
	     i++)
		st = shard_fold_table(k, &shard_folds[i], site, day, K);
	return st;
}

/* The merge_TABLE rows of every source that was a shard, and their sets:
 * a merge takes a whole set of shards at once (cmd/commands.c checks it),
 * so that once it has summed and folded their days, the days' rows are
 * the result, and a later merge of the set rebuilds them from its own
 * shards alone. Kept, those rows would put the shards' unfolded cells
 * and one visitor's sets in the merged database. */
enum lf_status db_merge_finish(struct sink *s)
{
	struct db_sink *k = db_of(s);
	char sql[DB_SQL_MAX];
	enum lf_status st = k ? LF_OK : LF_ERR_DB;
	struct slice none = { NULL, 0 };
	if (st == LF_OK)
		st = db_merge_sum_pending(k);
	for (int t = 0; t < TABLE_COUNT && st == LF_OK && k->merge; t++) {
		const struct table_def *d = &table_defs[t];
		int n = snprintf(
			sql, sizeof(sql),
			"DELETE FROM merge_%s AS r WHERE source_id IN (SELECT source_id FROM "
			"merge_sources m WHERE m.shard_count IS NOT NULL AND m.site = "
			"r.site AND m.day = %s)",
			d->name, d->hourly ? "substr(r.hour, 1, 10)" : "r.day");
		if (n < 0 || (size_t)n >= sizeof(sql))
			return db_fail_msg(k, "merge into database", "a table name too long");
		st = shard_run(k, sql, none, none, NULL, 0);
	}
	if (st == LF_OK && k->merge)
		st = shard_run(k, "DELETE FROM merge_shard_sets", none, none, NULL, 0);
	return st;
}
