/*
 * csv.c - the CSV export: one TABLE.csv per per-day table (table_defs) and
 * runs.csv in one directory, each holding every row its table has in the
 * database, so that the files keep the whole history the database keeps
 * (within the retention), whatever the run wrote. Each is written in full
 * to NAME.csv.tmp beside it from inside the database's transaction (what
 * the commit will keep) and renamed over NAME.csv once the database has
 * committed: a reader sees the old file or the new one, never half of one,
 * and a failed write leaves every old file as it was.
 *
 * It reads nothing but the database (db_each_row) and never merges with
 * the files a previous run left. Two runs exporting into the same
 * directory at the same time are not supported (they would share the
 * .tmp names; the database's lock keeps two runs on one database apart).
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
#include "db.h"

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

struct csv {
	struct csv_file files[CSV_NFILES];
	enum lf_status failed; /* first failure: err keeps its message */
	bool written;          /* every tmp file complete, synced and closed */
	char err[256];
	char dir[];
};

/* The columns of file i: a per-day table's, or runs'. */
static int csv_ncols(size_t i)
{
	return i == CSV_RUNS ? CELLS_RUN_NCOLS : table_defs[i].ncols;
}

static const char *csv_colname(size_t i, int c)
{
	return i == CSV_RUNS ? cells_run_column(c) : table_defs[i].cols[c].name;
}

static bool csv_integer(size_t i, int c)
{
	return i == CSV_RUNS ? c >= 3 : table_defs[i].cols[c].integer;
}

/* Fail with "cannot VERB 'SUBJECT': strerror(err)"; the first failure stays. */
static enum lf_status csv_fail(struct csv *k, const char *verb, const char *subject, int err)
{
	if (k->failed)
		return k->failed;
	cells_error(k->err, sizeof(k->err), verb, subject, strerror(err));
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
	char buf[CELLS_U64_MAX];

	put(f, buf, cells_u64(buf, v));
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
static enum lf_status csv_create(struct csv *k, struct csv_file *f, const char *name)
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

/* The header row of file i: the column names, derived ones too. */
static void put_header(struct csv_file *f, size_t i)
{
	for (int c = 0; c < csv_ncols(i); c++) {
		const char *name = csv_colname(i, c);
		if (c)
			put(f, ",", 1);
		put(f, name, strlen(name));
	}
	put(f, "\n", 1);
}

/* One row, as db_each_row hands it, as one CSV line of its file. */
struct csv_rows {
	struct csv_file *f;
	size_t i; /* which file */
};

static enum lf_status put_row(void *ctx, const struct cell *cells)
{
	struct csv_rows *r = ctx;
	for (int c = 0; c < csv_ncols(r->i); c++) {
		if (c)
			put(r->f, ",", 1);
		if (csv_integer(r->i, c))
			put_u64(r->f, cells[c].num);
		else
			put_cell(r->f, cells[c].text.p, cells[c].text.n);
	}
	put(r->f, "\n", 1);
	return r->f->err ? LF_ERR_IO : LF_OK;
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

enum lf_status csv_write(struct csv *k, struct sink *db)
{
	if (k->failed)
		return k->failed;
	for (size_t i = 0; i < CSV_NFILES; i++) {
		struct csv_rows rows = { &k->files[i], i };
		put_header(rows.f, i);
		enum lf_status st = db_each_row(db, (int)i, put_row, &rows);
		if (st != LF_OK && !rows.f->err) { /* the database's failure */
			snprintf(k->err, sizeof(k->err), "%s", sink_error(db));
			k->failed = st;
			return st;
		}
		int err = csv_finish(rows.f);
		if (err)
			return csv_fail(k, "write", rows.f->tmp, err);
	}
	k->written = true;
	return LF_OK;
}

/* Make the renames survive a crash. A filesystem that cannot sync a
 * directory says EINVAL: nothing more can be done there, and the files
 * are complete and in place. */
static int csv_sync_dir(const char *dir)
{
	int err = 0;
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		return errno;
	if (fsync(fd) != 0 && errno != EINVAL)
		err = errno;
	if (close(fd) != 0 && !err)
		err = errno;
	return err;
}

/* Every file is complete before any is renamed. A rename that fails (same
 * directory: practically never) is said, and the others still go, so that
 * as many files as can be match the database; the next run writes them
 * all again. */
enum lf_status csv_publish(struct csv *k)
{
	if (k->failed)
		return k->failed;
	if (!k->written)
		return csv_fail(k, "rename files in", k->dir, EINVAL); /* csv_write first */
	for (size_t i = 0; i < CSV_NFILES; i++) {
		if (rename(k->files[i].tmp, k->files[i].final) != 0)
			csv_fail(k, "rename", k->files[i].tmp, errno);
		else
			k->files[i].created = false; /* it is NAME.csv now */
	}
	int err = csv_sync_dir(k->dir);
	if (err)
		csv_fail(k, "sync directory", k->dir, err);
	return k->failed;
}

const char *csv_error(const struct csv *k)
{
	return k->err;
}

/* Remove the tmp files we created and did not rename; NAME.csv is untouched. */
void csv_close(struct csv *k)
{
	if (!k)
		return;
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

/* Make the directory (one level: the parent must exist) and create every
 * tmp file, so that an output that cannot be written is known before any
 * input is read. */
static enum lf_status csv_start(struct csv *k)
{
	enum lf_status st;

	if (mkdir(k->dir, 0777) != 0 && errno != EEXIST)
		return csv_fail(k, "create directory", k->dir, errno);
	for (size_t i = 0; i < CSV_NFILES; i++) {
		st = csv_create(k, &k->files[i], csv_name(i));
		if (st != LF_OK)
			return st;
	}
	return LF_OK;
}

enum lf_status csv_open(struct csv **out, const char *dir, char *errbuf, size_t errlen)
{
	size_t n = strlen(dir);
	struct csv *k = calloc(1, sizeof(*k) + n + 1);
	enum lf_status st;

	*out = NULL;
	if (!k) {
		cells_error(errbuf, errlen, "open directory", dir, strerror(ENOMEM));
		return LF_ERR_NOMEM;
	}
	memcpy(k->dir, dir, n + 1);
	st = csv_start(k);
	if (st != LF_OK) {
		if (errlen)
			snprintf(errbuf, errlen, "%s", k->err);
		csv_close(k);
		return st;
	}
	*out = k;
	return LF_OK;
}
