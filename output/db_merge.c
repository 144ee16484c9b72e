/*
 * db_merge.c - other logfold databases merged into the sink's (db_merge),
 * and a run's day written into a database that merges made (the day
 * summed again). Each source's rows of a (site, day) are kept apart in
 * merge_TABLE, and the day is their sum.
 *
 * It reads a source read-only, in one read transaction, and never writes
 * to it; it merges neither runs nor resume points.
 */
#include "db_int.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../common/grow.h"

/* ---- merge: each source's rows kept apart, a day the sum of them -------- */

/*
 * A merge keeps what each source database holds of a (site, day) in
 * merge_TABLE (TABLE's columns and the source's database id), lists the
 * pair in merge_sources, and makes TABLE's rows of that day the sum of its
 * sources' rows. Merging a source again replaces its rows, so a day is the
 * sum of its sources' days as they were when last merged, however often
 * and in whatever order they are merged. Rows the database held before
 * the first merge of a day (written by a run, or by a merge of an older
 * logfold) are its own source's, under its own id; a run that writes a
 * merged day replaces its own source's rows and sums the day again.
 * A day a source no longer holds (pruned there) stays as merged.
 *
 * Sum: key columns match, INTEGER columns add (visitors too: a visitor of
 * two servers counts twice), a max_* column and a TEXT one take the
 * largest (a day's state: 'closed' < 'open', so a day is closed when every
 * source says so). The columns come from the schema (pragma table_info),
 * so a per-day table or a column added by a migration is merged, and its
 * merge_ table made or widened, with no more code. Derived columns are not
 * stored: SQLite computes them from the summed buckets in a view.
 */

/* The statements that merge table TABLE of table_defs. */
struct merge_table {
	struct sql_stmt *drop; /* a source's rows of (site, day) out of merge_TABLE */
	struct sql_stmt *keep; /* TABLE's rows of (site, day) into merge_TABLE as a source's */
	struct sql_stmt *add;  /* one row of a source into merge_TABLE */
	struct sql_stmt *sum;  /* the sum of merge_TABLE's rows of (site, day) into TABLE */
	int ncols;             /* TABLE's columns */
	char select[2 * DB_SQL_MAX]; /* a source's rows of (site, day), run on the source */
};

/* A source merged in this transaction: another with its id is a copy. */
struct merged_source {
	int64_t id;
	char *path;
};

struct merge_state {
	struct merge_table t[TABLE_COUNT];
	struct sql_stmt *record; /* (site, day, source) into merge_sources */
	struct sql_stmt *pending; /* (site, day) into temp.merge_pending */
	struct merged_source *done;
	size_t ndone, done_cap;
};

/* The text of one table's merge statements, from its schema. */
struct merge_text {
	char cols[DB_SQL_MAX];      /* site, day, page, pageviews, ... */
	char vals[DB_SQL_MAX];      /* ?2, ?3, ... (?1: the source) */
	char keys[DB_SQL_MAX];      /* site, day, page */
	char sums[DB_SQL_MAX];      /* site, day, page, sum(pageviews), ... */
	char decl[2 * DB_SQL_MAX];  /* site TEXT NOT NULL, ... */
	char widen[2 * DB_SQL_MAX]; /* ALTER TABLE merge_TABLE ADD COLUMN ...; */
	size_t nc, nv, nk, ns, nd, nw;
	int ncols;
	bool exists;       /* merge_TABLE is there already */
	const char *table; /* TABLE */
};

/* How the sources' values of one column make the sum: "" for a key,
 * "weakest" for the K and mask a day was made with (the smaller). */
static const char *merge_fn(const char *name, const char *type, bool key)
{
	if (key)
		return "";
	if (strncmp(name, "max_", 4) == 0 || strcasecmp(type, "TEXT") == 0)
		return "max";
	if (strcmp(name, "min_visitors") == 0 || strcmp(name, "mask_bytes") == 0)
		return "weakest";
	return "sum";
}

/* One column of m's table, a row of pragma table_info, into m. */
static enum lf_status merge_text_col(struct db_sink *k, struct sql_stmt *st, void *ctx)
{
	struct merge_text *m = ctx;
	const char *c = sql_col_text(st, 0).p;
	const char *type = sql_col_text(st, 1).p; /* "" for NULL */
	const char *dflt = sql_col_null(st, 3) ? NULL : sql_col_text(st, 3).p;
	bool key = sql_col_int(st, 4) > 0;
	const char *fn = merge_fn(c, type, key);
	const char *sep = m->ncols++ ? ", " : "";
	char decl[DB_SQL_MAX];
	snprintf(decl, sizeof(decl), "%s %s%s%s%s", c, type, sql_col_int(st, 2) ? " NOT NULL" : "",
		 dflt ? " DEFAULT " : "", dflt ? dflt : "");
	db_append(m->cols, sizeof(m->cols), &m->nc, "%s%s", sep, c);
	db_append(m->vals, sizeof(m->vals), &m->nv, "%s?%d", sep, m->ncols + 1);
	db_append(m->decl, sizeof(m->decl), &m->nd, "%s%s", sep, decl);
	if (key)
		db_append(m->keys, sizeof(m->keys), &m->nk, "%s%s", m->nk ? ", " : "", c);
	if (strcmp(fn, "weakest") == 0) /* the weaker protection; unknown (NULL) stays so */
		db_append(m->sums, sizeof(m->sums), &m->ns,
			  "%s(CASE WHEN count(%s) = count(*) THEN min(%s) END)", sep, c, c);
	else
		db_append(m->sums, sizeof(m->sums), &m->ns, *fn ? "%s%s(%s)" : "%s%s%s", sep, fn,
			  c);
	if (sql_col_int(st, 5))
		m->exists = true;
	else
		db_append(m->widen, sizeof(m->widen), &m->nw, "ALTER TABLE merge_%s ADD COLUMN %s;",
			  m->table, decl);
	return LF_OK;
}

/* The text of table t's merge statements, from its columns as the schema
 * has them (the keys in column order: site, day first, as every per-day
 * table's primary key begins). */
static enum lf_status merge_text(struct db_sink *k, const struct table_def *t, struct merge_text *m)
{
	char shadow[DB_SQL_MAX];
	memset(m, 0, sizeof(*m));
	m->table = t->name;
	snprintf(shadow, sizeof(shadow), "merge_%s", t->name);
	struct db_arg names[2] = { DB_TEXT(slice_cstr(t->name)), DB_TEXT(slice_cstr(shadow)) };
	enum lf_status ret = db_rows(k,
				     "SELECT t.name, t.type, t.\"notnull\", t.dflt_value, t.pk,"
				     " s.name IS NOT NULL FROM pragma_table_info(?1) t"
				     " LEFT JOIN pragma_table_info(?2) s ON s.name = t.name"
				     " ORDER BY t.cid",
				     names, 2, merge_text_col, m);
	if (ret != LF_OK)
		return ret;
	if (m->ncols == 0 || m->nk == 0)
		return db_fail_msg(k, "merge into database", "a per-day table is missing");
	if (m->nc >= sizeof(m->cols) || m->nv >= sizeof(m->vals) || m->nk >= sizeof(m->keys) ||
	    m->ns >= sizeof(m->sums) || m->nd >= sizeof(m->decl) || m->nw >= sizeof(m->widen))
		return db_fail_msg(k, "merge into database", "a table with too many columns");
	return LF_OK;
}

/* Prepare *st from printf-style text (cut short: refused). */
__attribute__((format(printf, 3, 4))) static enum lf_status prepare_fmt(struct db_sink *k,
									struct sql_stmt **st,
									const char *fmt, ...)
{
	char sql[4 * DB_SQL_MAX];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(sql, sizeof(sql), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(sql))
		return db_fail_msg(k, "merge into database", "a table with too many columns");
	enum sql_rc rc = sql_prepare(k->db, sql, n, true, st);
	return rc == SQL_OK ? LF_OK : db_fail(k, "merge into database", rc);
}

/* Make (or widen) merge_TABLE for table i and prepare its statements. */
static enum lf_status merge_prepare_table(struct db_sink *k, enum day_table i,
					  struct merge_table *mt)
{
	const struct table_def *t = &table_defs[i];
	const char *name = t->name, *where = db_day_where(t);
	struct merge_text m;
	enum lf_status st = merge_text(k, t, &m);
	enum sql_rc rc = SQL_OK;
	if (st != LF_OK)
		return st;
	if (!m.exists) {
		char sql[4 * DB_SQL_MAX];
		snprintf(sql, sizeof(sql),
			 "CREATE TABLE merge_%s (source_id INTEGER NOT NULL, %s,"
			 " PRIMARY KEY (%s, source_id)) WITHOUT ROWID",
			 name, m.decl, m.keys); /* m's parts fit: 4 * DB_SQL_MAX holds them */
		rc = sql_exec(k->db, sql);
	} else if (m.nw) {
		rc = sql_exec(k->db, m.widen);
	}
	if (rc != SQL_OK)
		return db_fail(k, "merge into database", rc);
	mt->ncols = m.ncols;
	if ((size_t)snprintf(mt->select, sizeof(mt->select), "SELECT %s FROM %s WHERE %s", m.cols,
			     name, where) >= sizeof(mt->select))
		return db_fail_msg(k, "merge into database", "a table with too many columns");
	st = prepare_fmt(k, &mt->drop, "DELETE FROM merge_%s WHERE %s AND source_id = ?3", name,
			 where);
	if (st == LF_OK)
		st = prepare_fmt(
			k, &mt->keep,
			"INSERT INTO merge_%s (source_id, %s) SELECT ?3, %s FROM %s WHERE %s", name,
			m.cols, m.cols, name, where);
	if (st == LF_OK)
		st = prepare_fmt(k, &mt->add,
				 "INSERT INTO merge_%s (source_id, %s) VALUES (?1, %s)", name,
				 m.cols, m.vals);
	if (st == LF_OK)
		st = prepare_fmt(k, &mt->sum,
				 "INSERT INTO %s (%s) SELECT %s FROM merge_%s WHERE %s GROUP BY %s",
				 name, m.cols, m.sums, name, where, m.keys);
	return st;
}

/* k->merge, made when first needed (a merge, or a run writing a merged day). */
static enum lf_status merge_prepare(struct db_sink *k)
{
	if (k->merge)
		return LF_OK;
	k->merge = calloc(1, sizeof(*k->merge));
	if (!k->merge)
		return db_fail_msg(k, "merge into database", strerror(ENOMEM));
	for (int t = 0; t < TABLE_COUNT; t++) {
		enum lf_status st = merge_prepare_table(k, (enum day_table)t, &k->merge->t[t]);
		if (st != LF_OK)
			return st;
	}
	enum lf_status st = db_run(k, "merge into database",
				   "CREATE TEMP TABLE IF NOT EXISTS merge_pending (site TEXT NOT NULL, "
				   "day TEXT NOT NULL, PRIMARY KEY (site, day)) WITHOUT ROWID",
				   NULL, 0, NULL);
	if (st == LF_OK)
		st = prepare_fmt(k, &k->merge->pending,
				 "INSERT OR IGNORE INTO temp.merge_pending (site, day) VALUES (?1, ?2)");
	if (st != LF_OK)
		return st;
	return prepare_fmt(
		k, &k->merge->record,
		"INSERT OR IGNORE INTO merge_sources (site, day, source_id) VALUES (?1, ?2, ?3)");
}

void db_merge_free(struct merge_state *m)
{
	if (!m)
		return;
	for (int t = 0; t < TABLE_COUNT; t++) {
		sql_finalize(m->t[t].drop);
		sql_finalize(m->t[t].keep);
		sql_finalize(m->t[t].add);
		sql_finalize(m->t[t].sum);
	}
	sql_finalize(m->record);
	sql_finalize(m->pending);
	for (size_t i = 0; i < m->ndone; i++)
		free(m->done[i].path);
	free(m->done);
	free(m);
}

/* Run st, which returns no row, with (site, day) as ?1 ?2 and, when id is
 * not NULL, *id as ?3. */
static enum lf_status merge_step(struct db_sink *k, struct sql_stmt *st, struct slice site,
				 struct slice day, const int64_t *id)
{
	enum sql_rc rc = sql_bind_text(st, 1, site);
	if (rc == SQL_OK)
		rc = sql_bind_text(st, 2, day);
	if (rc == SQL_OK && id)
		rc = sql_bind_int(st, 3, *id);
	if (rc == SQL_OK)
		rc = sql_step_reset(st);
	sql_clear(st);
	return rc == SQL_OK ? LF_OK : db_fail(k, "write to database", rc);
}

/* Has some merge put (site, day) here? */
static enum lf_status db_has_merged(struct db_sink *k, struct slice site, struct slice day,
				    bool *yes)
{
	struct sql_stmt *st = k->has_merged;
	enum sql_rc rc = sql_bind_text(st, 1, site);
	if (rc == SQL_OK)
		rc = sql_bind_text(st, 2, day);
	if (rc == SQL_OK)
		rc = sql_step(st);
	*yes = rc == SQL_ROW;
	enum sql_rc rr = sql_reset(st);
	if (rc == SQL_ROW || rc == SQL_DONE)
		rc = rr;
	return rc == SQL_OK ? LF_OK : db_fail(k, "read database", rc);
}

/* Keep what the database itself holds of (site, day) as its own source's. */
static enum lf_status merge_keep_own(struct db_sink *k, struct slice site, struct slice day)
{
	enum lf_status st = LF_OK;
	for (int t = 0; t < TABLE_COUNT && st == LF_OK; t++) {
		st = merge_step(k, k->merge->t[t].drop, site, day, &k->id);
		if (st == LF_OK)
			st = merge_step(k, k->merge->t[t].keep, site, day, &k->id);
	}
	return st;
}

/* Make every table's rows of (site, day) the sum of its sources' rows. */
static enum lf_status merge_sum_day(struct db_sink *k, struct slice site, struct slice day)
{
	enum lf_status st = LF_OK;
	for (int t = 0; t < TABLE_COUNT && st == LF_OK; t++) {
		st = merge_step(k, k->del_day[t], site, day, NULL);
		if (st == LF_OK)
			st = merge_step(k, k->merge->t[t].sum, site, day, NULL);
	}
	return st == LF_OK ? db_shard_fold_day(k, site, day) : st;
}

enum lf_status db_merge_run_day(struct db_sink *k, struct slice site, struct slice day)
{
	bool merged = false;
	enum lf_status st = db_has_merged(k, site, day, &merged);
	if (st != LF_OK || !merged)
		return st; /* a database never merged into stops here */
	st = merge_prepare(k);
	if (st == LF_OK)
		st = merge_keep_own(k, site, day);
	return st == LF_OK ? merge_sum_day(k, site, day) : st;
}

/* One row of the source (sel's current one) into merge_TABLE as its. */
static enum lf_status merge_add_row(struct db_sink *k, struct merge_table *mt, int64_t id,
				    struct sql_stmt *sel)
{
	enum sql_rc rc = sql_bind_int(mt->add, 1, id);
	for (int c = 0; c < mt->ncols && rc == SQL_OK; c++)
		rc = sql_bind_column(mt->add, c + 2, sel, c);
	if (rc == SQL_OK)
		rc = sql_step_reset(mt->add);
	return rc == SQL_OK ? LF_OK : db_fail(k, "write to database", rc);
}

/* Replace in's rows of (site, day) in merge_TABLE by what it holds now. */
static enum lf_status merge_copy(struct db_sink *k, struct merge_src *in, enum day_table t,
				 struct slice site, struct slice day)
{
	struct merge_table *mt = &k->merge->t[t];
	struct sql_stmt *sel = in->sel[t];
	enum lf_status st = merge_step(k, mt->drop, site, day, &in->id);
	enum sql_rc rc = sql_bind_text(sel, 1, site);
	if (rc == SQL_OK)
		rc = sql_bind_text(sel, 2, day);
	while (st == LF_OK && rc == SQL_OK && (rc = sql_step(sel)) == SQL_ROW) {
		st = merge_add_row(k, mt, in->id, sel);
		rc = SQL_OK;
	}
	if (st == LF_OK && rc != SQL_DONE)
		st = db_fail_on(k, in->db, in->path, "read database", rc);
	sql_reset(sel);
	return st;
}

/* Merge one (site, day) of in: the database's own rows kept apart the
 * first time, in's rows replaced, the day summed again. */
static enum lf_status merge_day(struct db_sink *k, struct merge_src *in, struct slice site,
				struct slice day, struct db_merge_stats *stats)
{
	bool merged_before = false;
	enum lf_status st = db_has_merged(k, site, day, &merged_before);
	if (st == LF_OK && !merged_before)
		st = merge_keep_own(k, site, day);
	for (int t = 0; t < TABLE_COUNT && st == LF_OK; t++)
		st = merge_copy(k, in, (enum day_table)t, site, day);
	if (st == LF_OK)
		st = merge_step(k, k->merge->record, site, day, &in->id);
	if (st != LF_OK)
		return st;
	stats->days++;
	if (sql_changes(k->db) == 0) /* in's (site, day) was listed already */
		stats->replaced++;
	if ((st = db_shard_merge_day(k, in, site, day, merged_before)) != LF_OK)
		return st;
	return merge_step(k, k->merge->pending, site, day, NULL); /* summed at the end */
}

/* The days a merge touched, read out before they are summed (the fold
 * makes temporary tables, which no open statement may span). */
struct pending_day {
	char *text; /* the site, then the day, each copied */
	size_t site_n, day_n;
};

struct pending_days {
	struct pending_day *v;
	size_t n, cap;
};

static enum lf_status pending_row(struct db_sink *k, struct sql_stmt *st, void *ctx)
{
	struct pending_days *p = ctx;
	struct slice site = sql_col_text(st, 0), day = sql_col_text(st, 1);
	char *text = GROW(p->v, p->cap, p->n + 1, 64) ? malloc(site.n + day.n + 1) : NULL;
	if (!text)
		return db_fail_msg(k, "merge into database", strerror(ENOMEM));
	memcpy(text, site.p, site.n);
	memcpy(text + site.n, day.p, day.n);
	p->v[p->n++] = (struct pending_day){ text, site.n, day.n };
	return LF_OK;
}

enum lf_status db_merge_sum_pending(struct db_sink *k)
{
	struct pending_days p = { NULL, 0, 0 };
	if (!k->merge)
		return LF_OK;
	enum lf_status st = db_rows(k, "SELECT site, day FROM temp.merge_pending", NULL, 0,
				    pending_row, &p);
	for (size_t i = 0; i < p.n && st == LF_OK; i++)
		st = merge_sum_day(k, slice_make(p.v[i].text, p.v[i].site_n),
				   slice_make(p.v[i].text + p.v[i].site_n, p.v[i].day_n));
	if (st == LF_OK)
		st = db_run(k, "merge into database", "DELETE FROM temp.merge_pending", NULL, 0,
			    NULL);
	for (size_t i = 0; i < p.n; i++)
		free(p.v[i].text);
	free(p.v);
	return st;
}

/* Refuse a source that is the output itself or a copy of it, or a copy of
 * a source merged already: its days would replace that one's. */
static enum lf_status merge_known(struct db_sink *k, const struct merge_src *in)
{
	char why[PATH_MAX_MSG];
	if (in->id == k->id)
		return db_fail_at(k, LF_ERR_USAGE, "merge database", in->path,
				  "it is the output database itself, or a copy of it "
				  "(the same database id)");
	for (size_t i = 0; i < k->merge->ndone; i++)
		if (k->merge->done[i].id == in->id) {
			snprintf(why, sizeof(why),
				 "it is a copy of '%s', merged already (the same database id)",
				 k->merge->done[i].path);
			return db_fail_at(k, LF_ERR_USAGE, "merge database", in->path, why);
		}
	return LF_OK;
}

/* Open the source at path read-only, in one read transaction (every table
 * from one state of it), and check its version and id. */
static enum lf_status merge_open(struct db_sink *k, struct merge_src *in, const char *path)
{
	long long version = -1, n = 0, id = 0;
	char why[128];
	in->path = path;
	enum sql_rc rc = sql_open(&in->db, path, SQL_READ, k->wait_ms, NULL);
	if (rc == SQL_OK)
		rc = sql_exec(in->db, "BEGIN");
	if (rc == SQL_OK)
		rc = sql_query_int(in->db, "PRAGMA user_version", &version);
	if (rc == SQL_OK && version == DB_SCHEMA_VERSION)
		rc = sql_query_int(in->db, "SELECT count(*) FROM database_id", &n);
	if (rc == SQL_OK && n == 1)
		rc = sql_query_int(in->db, "SELECT id FROM database_id", &id);
	if (rc != SQL_OK)
		return db_fail_on(k, in->db, path, "read database", rc);
	if (version != DB_SCHEMA_VERSION) {
		snprintf(why, sizeof(why), "it has schema version %lld, this logfold's is %d",
			 version, DB_SCHEMA_VERSION);
		return db_fail_at(k, LF_ERR_DB, "merge database", path, why);
	}
	if (n != 1)
		return db_fail_at(k, LF_ERR_DB, "merge database", path,
				  "it has no database id, or more than one");
	in->id = id;
	rc = db_shard_row(in->db, &in->shard);
	if (rc != SQL_OK)
		return db_fail_on(k, in->db, path, "read database", rc);
	return merge_known(k, in);
}

/* The source's statements: its days (in every per-day table), its rows. */
static enum lf_status merge_source_stmts(struct db_sink *k, struct merge_src *in)
{
	char sql[DB_SQL_MAX];
	size_t n = 0;
	for (int t = 0; t < TABLE_COUNT; t++)
		db_append(sql, sizeof(sql), &n, "%sSELECT site, %s FROM %s", t ? " UNION " : "",
			  table_defs[t].hourly ? "substr(hour, 1, 10)" : "day", table_defs[t].name);
	db_append(sql, sizeof(sql), &n, " ORDER BY 1, 2");
	if (n >= sizeof(sql))
		return db_fail_msg(k, "merge into database", "too many tables");
	enum sql_rc rc = sql_prepare(in->db, sql, -1, false, &in->days);
	for (int t = 0; t < TABLE_COUNT && rc == SQL_OK; t++)
		rc = sql_prepare(in->db, k->merge->t[t].select, -1, false, &in->sel[t]);
	return rc == SQL_OK ? LF_OK : db_fail_on(k, in->db, in->path, "read database", rc);
}

/* Remember in's id, so that a copy of it is refused in this merge. */
static enum lf_status merge_remember(struct db_sink *k, const struct merge_src *in)
{
	struct merge_state *m = k->merge;
	char *path = strdup(in->path);
	if (!path || !GROW(m->done, m->done_cap, m->ndone + 1, 4)) {
		free(path);
		return db_fail_msg(k, "merge into database", strerror(ENOMEM));
	}
	m->done[m->ndone++] = (struct merged_source){ in->id, path };
	return LF_OK;
}

enum lf_status db_merge(struct sink *s, const char *in_path, struct db_merge_stats *stats)
{
	struct db_sink *k = db_of(s);
	struct merge_src in = { 0 };
	memset(stats, 0, sizeof(*stats));
	if (!k)
		return LF_ERR_DB;
	struct db_shard out;
	enum lf_status st = merge_prepare(k);
	if (st == LF_OK)
		st = db_shard_get(s, &out);
	if (st == LF_OK && out.count)
		st = db_fail_at(
			k, LF_ERR_USAGE, "merge into database", k->path,
			"it is a shard's database (partial): merge into a new or merged one");
	if (st == LF_OK)
		st = merge_open(k, &in, in_path);
	if (st == LF_OK)
		st = merge_source_stmts(k, &in);
	enum sql_rc rc = SQL_DONE;
	while (st == LF_OK && (rc = sql_step(in.days)) == SQL_ROW) {
		st = merge_day(k, &in, sql_col_text(in.days, 0), sql_col_text(in.days, 1), stats);
	}
	if (st == LF_OK && rc != SQL_DONE)
		st = db_fail_on(k, in.db, in_path, "read database", rc);
	if (st == LF_OK)
		st = merge_remember(k, &in);
	sql_finalize(in.days);
	for (int t = 0; t < TABLE_COUNT; t++)
		sql_finalize(in.sel[t]);
	sql_close(in.db); /* ends its read transaction */
	return st;
}
