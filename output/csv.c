/*
 * csv.c - the CSV sink: one TABLE.csv per table (table_defs) and runs.csv
 * in one directory, each written in full to NAME.csv.tmp beside it and
 * renamed over NAME.csv on commit, so a reader sees the old file or the new
 * one, never half of one.
 *
 * Each run's files hold that run's days and that run's row only: unlike the
 * database, a CSV directory is an export, not an accumulating store, so
 * nothing is merged with the files a previous run left. Two runs writing
 * into the same directory at the same time are not supported (they would
 * share the .tmp names).
 */
#include "csv.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cells.h"

/* stdio buffer per file: each write(2) then moves 256 KiB (about 3000
 * page_daily rows). Larger buys nothing measurable; the default 4 KiB
 * would make ~60 times as many system calls. */
#define CSV_BUFSIZE (256 * 1024)

/* One file per per-day table (indexed by enum day_table), then runs. */
enum { CSV_RUNS = TABLE_COUNT, CSV_NFILES };

static const char *csv_name(size_t i)
{
	return i == CSV_RUNS ? "runs" : table_defs[i].name;
}

struct csv_file {
	FILE *f;      /* open on tmp until commit */
	bool created; /* we made tmp, so we may remove it */
	int err;      /* errno of the first failed write, 0 when none */
	char *tmp;    /* DIR/NAME.csv.tmp */
	char *final;  /* DIR/NAME.csv */
	char buf[CSV_BUFSIZE];
};

struct csv_sink {
	struct sink base; /* first: a struct sink * is a struct csv_sink * */
	struct csv_file files[CSV_NFILES];
	enum lf_status failed; /* first failure: err keeps its message, commit is refused */
	bool committed;
	char dir[]; /* base.where points here */
};

static enum lf_status csv_fail(struct csv_sink *k, const char *verb, const char *subject,
			       int err)
{
	format_error(k->base.err, sizeof(k->base.err), verb, subject, strerror(err));
	k->failed = err == ENOMEM ? LF_ERR_NOMEM : LF_ERR_IO;
	return k->failed;
}

/* fwrite n bytes unless an earlier write failed; remember the first errno. */
static void put(struct csv_file *f, const void *p, size_t n)
{
	if (f->err == 0 && n && fwrite(p, 1, n, f->f) != n)
		f->err = errno ? errno : EIO;
}

static void put_u64(struct csv_file *f, uint64_t v)
{
	char buf[FORMAT_U64_MAX];

	put(f, buf, format_u64(buf, v));
}

/* One text cell, RFC 4180: quoted when it holds , " CR or LF, with quotes
 * doubled; a leading ' (inside the quotes) when it starts with = + - @, so a
 * spreadsheet shows it as text instead of running it as a formula. */
static void put_cell(struct csv_file *f, const char *p, size_t n)
{
	bool quote = false;

	if (n == 0)
		return;
	for (size_t i = 0; i < n && !quote; i++)
		quote = p[i] == ',' || p[i] == '"' || p[i] == '\r' || p[i] == '\n';
	if (quote)
		put(f, "\"", 1);
	if (memchr("=+-@", p[0], 4))
		put(f, "'", 1);
	if (!quote) {
		put(f, p, n);
		return;
	}
	for (const char *q; (q = memchr(p, '"', n)) != NULL;) {
		size_t k = (size_t)(q - p) + 1; /* up to and including the quote */
		put(f, p, k);
		put(f, "\"", 1);
		p += k;
		n -= k;
	}
	put(f, p, n);
	put(f, "\"", 1);
}

/* Counts after text cells: ",N,N...\n". */
static void put_counts(struct csv_file *f, const uint64_t *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		put(f, ",", 1);
		put_u64(f, v[i]);
	}
	put(f, "\n", 1);
}

/* DIR/NAMEEXT in a new string; trailing slashes of dir are dropped so that
 * "out/" gives "out/page_daily.csv" in messages. NULL when out of memory. */
static char *csv_path(const char *dir, const char *name, const char *ext)
{
	size_t d = strlen(dir), nn = strlen(name), e = strlen(ext);
	char *p;

	while (d > 0 && dir[d - 1] == '/')
		d--;
	p = malloc(d + 1 + nn + e + 1);
	if (!p)
		return NULL;
	memcpy(p, dir, d);
	p[d] = '/';
	memcpy(p + d + 1, name, nn);
	memcpy(p + d + 1 + nn, ext, e + 1);
	return p;
}

/* Create DIR/NAME.csv.tmp, truncating a stale one a crashed run left.
 * O_NOFOLLOW: a symlink planted under the tmp name is refused, not followed. */
static enum lf_status csv_create(struct csv_sink *k, struct csv_file *f, const char *name)
{
	int fd;

	f->tmp = csv_path(k->dir, name, ".csv.tmp");
	f->final = csv_path(k->dir, name, ".csv");
	if (!f->tmp || !f->final)
		return csv_fail(k, "create file in", k->dir, ENOMEM);
	fd = open(f->tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0666);
	if (fd < 0)
		return csv_fail(k, "create", f->tmp, errno);
	f->created = true;
	f->f = fdopen(fd, "w");
	if (!f->f) {
		int err = errno;
		close(fd);
		return csv_fail(k, "create", f->tmp, err);
	}
	if (setvbuf(f->f, f->buf, _IOFBF, sizeof(f->buf)) != 0)
		return csv_fail(k, "create", f->tmp, errno ? errno : ENOMEM);
	return LF_OK;
}

/* The header rows: per-day tables from table_defs; the skip columns of runs
 * from skip_reason_names, then beacon (format_run_counts' order). */
static enum lf_status csv_headers(struct csv_sink *k)
{
	struct csv_file *runs = &k->files[CSV_RUNS];
	static const char runs_head[] = "started,version,inputs,lines,pageviews";

	for (size_t t = 0; t < TABLE_COUNT; t++) {
		for (int c = 0; c < table_defs[t].ncols; c++) {
			const char *name = table_defs[t].cols[c].name;
			if (c)
				put(&k->files[t], ",", 1);
			put(&k->files[t], name, strlen(name));
		}
		put(&k->files[t], "\n", 1);
	}
	put(runs, runs_head, sizeof(runs_head) - 1);
	for (size_t i = 0; i < SKIP_NREASONS; i++) {
		put(runs, ",", 1);
		put(runs, skip_reason_names[i], strlen(skip_reason_names[i]));
	}
	put(runs, ",beacon\n", 8);
	for (size_t i = 0; i < CSV_NFILES; i++)
		if (k->files[i].err)
			return csv_fail(k, "write", k->files[i].tmp, k->files[i].err);
	return LF_OK;
}

/* Row i of table t as one CSV line. */
static void put_row(struct csv_file *f, const struct day_result *d, enum day_table t, size_t i)
{
	const struct table_def *def = &table_defs[t];
	struct cell cells[TABLE_MAX_COLS];

	table_row(d, t, i, true, cells);
	for (int c = 0; c < def->ncols; c++) {
		if (c)
			put(f, ",", 1);
		if (def->cols[c].integer)
			put_u64(f, cells[c].num);
		else
			put_cell(f, cells[c].text.p, cells[c].text.n);
	}
	put(f, "\n", 1);
}

static enum lf_status csv_write_day(struct sink *s, const struct day_result *d, bool *replaced)
{
	struct csv_sink *k = (struct csv_sink *)s;

	*replaced = false; /* each run writes whole files: nothing to replace */
	if (k->failed)
		return k->failed;
	for (size_t t = 0; t < TABLE_COUNT; t++) {
		struct csv_file *f = &k->files[t];
		size_t n = table_nrows(d, (enum day_table)t);
		for (size_t i = 0; i < n && !f->err; i++)
			put_row(f, d, (enum day_table)t, i);
		if (f->err)
			return csv_fail(k, "write", f->tmp, f->err);
	}
	return LF_OK;
}

static enum lf_status csv_write_run(struct sink *s, const struct run_info *r)
{
	struct csv_sink *k = (struct csv_sink *)s;
	struct csv_file *f = &k->files[CSV_RUNS];
	const char *version = r->version ? r->version : "";
	uint64_t v[FORMAT_RUN_NCOUNTS];
	char *json;
	size_t len;

	if (k->failed)
		return k->failed;
	if (format_inputs_json(r->inputs, r->ninputs, &json, &len) != LF_OK)
		return csv_fail(k, "write", f->tmp, ENOMEM);
	put_cell(f, r->started, strnlen(r->started, sizeof(r->started)));
	put(f, ",", 1);
	put_cell(f, version, strlen(version));
	put(f, ",", 1);
	put_cell(f, json, len);
	free(json);
	format_run_counts(r, v);
	put_counts(f, v, FORMAT_RUN_NCOUNTS);
	if (f->err)
		return csv_fail(k, "write", f->tmp, f->err);
	return LF_OK;
}

/* Flush, sync and close a tmp file; the errno of the first failure, or 0.
 * fsync before the rename, or a crash could leave an empty NAME.csv. */
static int csv_finish(struct csv_file *f)
{
	int err = f->err;

	if (!err && fflush(f->f) != 0)
		err = errno;
	if (!err && fsync(fileno(f->f)) != 0)
		err = errno;
	if (fclose(f->f) != 0 && !err)
		err = errno;
	f->f = NULL;
	return err;
}

/* Make the renames survive a crash. Deliberately unchecked: by now the
 * files are complete and in place, and saying "cannot write" about them
 * would be false; some filesystems cannot sync a directory at all. */
static void csv_sync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd >= 0) {
		(void)fsync(fd);
		close(fd);
	}
}

/* Every file is complete before any is renamed, so a failed write leaves
 * all old files in place. Only a failing rename(2) between the two (same
 * directory: practically never) could leave a new page_daily.csv beside an
 * old runs.csv; the error then says so. */
static enum lf_status csv_commit(struct sink *s)
{
	struct csv_sink *k = (struct csv_sink *)s;

	if (k->failed)
		return k->failed; /* err still says what failed first */
	if (k->committed)
		return LF_OK;
	for (size_t i = 0; i < CSV_NFILES; i++) {
		int err = csv_finish(&k->files[i]);
		if (err)
			return csv_fail(k, "write", k->files[i].tmp, err);
	}
	for (size_t i = 0; i < CSV_NFILES; i++) {
		if (rename(k->files[i].tmp, k->files[i].final) != 0)
			return csv_fail(k, "rename", k->files[i].tmp, errno);
		k->files[i].created = false; /* it is NAME.csv now */
	}
	csv_sync_dir(k->dir);
	k->committed = true;
	return LF_OK;
}

/* Without a commit, remove the tmp files we created; NAME.csv is untouched. */
static void csv_close(struct sink *s)
{
	struct csv_sink *k = (struct csv_sink *)s;

	for (size_t i = 0; i < CSV_NFILES; i++) {
		struct csv_file *f = &k->files[i];
		if (f->f)
			fclose(f->f);
		if (f->created)
			unlink(f->tmp);
		free(f->tmp);
		free(f->final);
	}
	free(k);
}

static const struct sink_ops csv_ops = {
	.write_day = csv_write_day,
	.write_run = csv_write_run,
	.commit = csv_commit,
	.close = csv_close,
};

/* Make the directory (one level: the parent must exist), create both tmp
 * files and write their headers. */
static enum lf_status csv_start(struct csv_sink *k)
{
	enum lf_status st;

	if (mkdir(k->dir, 0777) != 0 && errno != EEXIST)
		return csv_fail(k, "create directory", k->dir, errno);
	for (size_t i = 0; i < CSV_NFILES; i++) {
		st = csv_create(k, &k->files[i], csv_name(i));
		if (st != LF_OK)
			return st;
	}
	return csv_headers(k);
}

enum lf_status csv_open(struct sink **out, const char *dir, char *errbuf, size_t errlen)
{
	size_t n = strlen(dir);
	struct csv_sink *k = calloc(1, sizeof(*k) + n + 1);
	enum lf_status st;

	if (!k) {
		format_error(errbuf, errlen, "open directory", dir, strerror(ENOMEM));
		return LF_ERR_NOMEM;
	}
	memcpy(k->dir, dir, n + 1);
	k->base.ops = &csv_ops;
	k->base.where = k->dir;
	st = csv_start(k);
	if (st != LF_OK) {
		if (errlen)
			snprintf(errbuf, errlen, "%s", k->base.err);
		csv_close(&k->base);
		return st;
	}
	*out = &k->base;
	return LF_OK;
}
