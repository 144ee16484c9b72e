/*
 * commands.c - `logfold prune` (retention alone, or one day deleted with
 * --day, in one transaction) and `logfold merge OUT.db IN.db...` (several
 * servers' databases into one, each merged day replacing what the same
 * source gave before). Both work through the database sink, so the same
 * lock, --wait and all-or-nothing commit apply, and with --csv both export
 * the tables as a run does; neither reads a log.
 */
#include "commands.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../output/csv.h"
#include "../common/civil.h"
#include "../output/db.h"
#include "msg.h"

static enum exit_code exit_of(enum lf_status st)
{
	return st == LF_OK	       ? EXIT_OK
	       : st == LF_ERR_BUSY  ? EXIT_BUSY
	       : st == LF_ERR_USAGE ? EXIT_USAGE
				    : EXIT_OUTPUT;
}

/* Open path for writing, and --csv's directory; or say why not and give
 * the exit status. */
static enum exit_code open_out(const struct config *cfg, const char *path, struct sink **out,
			       struct csv **csv)
{
	char err[256];
	enum lf_status st = db_open(out, path, cfg->wait, err, sizeof(err));
	*csv = NULL;
	if (st == LF_OK && cfg->csv && (st = csv_open(csv, cfg->csv, err, sizeof(err))) != LF_OK) {
		sink_close(*out);
		*out = NULL;
	}
	if (st == LF_OK)
		return EXIT_OK;
	msg_error("%s", err);
	return exit_of(st);
}

/* After the work (st): export to --csv, commit, put the CSV files in place. */
static enum exit_code finish(struct sink *s, struct csv *csv, enum lf_status st)
{
	const char *err = NULL;
	if (st != LF_OK)
		err = sink_error(s);
	else if (csv && (st = csv_write(csv, s)) != LF_OK)
		err = csv_error(csv);
	else if ((st = sink_commit(s)) != LF_OK)
		err = sink_error(s);
	else if (csv && (st = csv_publish(csv)) != LF_OK)
		err = csv_error(csv);
	if (err)
		msg_error("%s", err);
	csv_close(csv);
	sink_close(s);
	return exit_of(st);
}

/* The days of `prune --day` in the database, as found before deleting. */
struct day_hunt {
	const struct config *cfg;
	const char *day;
	int found;
};

static enum lf_status hunt_day(void *ctx, const struct db_day *d)
{
	struct day_hunt *h = ctx;
	if (!slice_eq_cstr(d->day, h->day) ||
	    (h->cfg->site_given && !slice_eq_cstr(d->site, h->cfg->site)))
		return LF_OK;
	h->found++;
	if (d->closed)
		msg_info("day %s of site '%.*s': its rows deleted; it stays closed, and "
			 "--rebuild %s writes it again", h->day, (int)d->site.n, d->site.p, h->day);
	else
		msg_info("day %s of site '%.*s' was open: deleted; the next run writes it from "
			 "the files it is given", h->day, (int)d->site.n, d->site.p);
	return LF_OK;
}

/* prune --day: one day deleted (see db_prune_day). */
static enum exit_code prune_day(const struct config *cfg, struct sink *s, struct csv *csv)
{
	char day[11];
	uint64_t deleted = 0, days = 0;
	day_format(cfg->prune_day, day);
	struct day_hunt h = { cfg, day, 0 };
	enum lf_status st = db_days(s, hunt_day, &h);
	if (st == LF_OK)
		st = db_prune_day(s, day, cfg->site_given ? cfg->site : NULL, &deleted, &days);
	if (st == LF_OK && !h.found)
		msg_info("no day %s%s%s%s in '%s': nothing deleted", day,
			 cfg->site_given ? " of site '" : "", cfg->site_given ? cfg->site : "",
			 cfg->site_given ? "'" : "", cfg->db);
	else if (st == LF_OK)
		msg_info("deleted %" PRIu64 " rows of day %s from '%s'", deleted, day, cfg->db);
	return finish(s, csv, st);
}

int prune_main(const struct config *cfg)
{
	struct sink *s;
	struct csv *csv;
	char before[11];
	uint64_t deleted = 0;
	if (cfg->ninputs) {
		msg_error("'prune' takes no file; see 'logfold --help'");
		return EXIT_USAGE;
	}
	if (cfg->retention == RETENTION_NONE && cfg->prune_day == REBUILD_NONE) {
		msg_info("nothing deleted: --retention none keeps every day");
		return EXIT_OK;
	}
	enum exit_code e = open_out(cfg, cfg->db, &s, &csv);
	if (e != EXIT_OK)
		return e;
	if (cfg->prune_day != REBUILD_NONE)
		return prune_day(cfg, s, csv);
	options_retention_start(cfg->retention, before);
	enum lf_status st = db_prune(s, before, &deleted);
	if (st == LF_OK)
		msg_info("deleted %" PRIu64 " rows of days before %s from '%s'", deleted, before,
			 cfg->db);
	return finish(s, csv, st);
}

/* A merge whose output is one of its inputs would wait for its own lock;
 * an input named twice would replace itself. Both are found by device and
 * inode, whatever the names (a symlink, a hard link, "./x.db"), before
 * anything is opened: EXIT_USAGE after saying so. *out_exists says whether
 * OUT is there already. An operand that cannot be stat'ed is left to
 * db_open or db_merge, which say why it cannot be used. */
static enum exit_code merge_operands_distinct(const struct config *cfg, bool *out_exists)
{
	size_t n = (size_t)cfg->ninputs;
	struct stat *st = malloc(n * sizeof(*st));
	bool *there = malloc(n);
	enum exit_code e = st && there ? EXIT_OK : EXIT_OUTPUT;
	if (e != EXIT_OK)
		msg_error("out of memory");
	for (size_t i = 0; i < n && e == EXIT_OK; i++)
		there[i] = stat(cfg->inputs[i], &st[i]) == 0;
	*out_exists = e == EXIT_OK && there[0];
	for (size_t i = 1; i < n && e == EXIT_OK; i++)
		for (size_t j = 0; j < i && e == EXIT_OK && there[i]; j++) {
			if (!there[j] || st[j].st_dev != st[i].st_dev || st[j].st_ino != st[i].st_ino)
				continue;
			if (j == 0)
				msg_error("'%s' is the output of the merge: it cannot be one of its "
					  "inputs too ('%s')", cfg->inputs[0], cfg->inputs[i]);
			else
				msg_error("'%s' and '%s' are the same database: name it once",
					  cfg->inputs[j], cfg->inputs[i]);
			e = EXIT_USAGE;
		}
	free(st);
	free(there);
	return e;
}

/* After a failed merge into an OUT it created: remove the empty file the
 * open left, so that a new OUT exists only once a merge into it succeeded.
 * Only if it is still the file opened (same inode) and empty: the
 * rollback gave back its first size, 0. */
static void remove_new_out(const char *path, const struct stat *made)
{
	struct stat now;
	if (stat(path, &now) == 0 && now.st_dev == made->st_dev && now.st_ino == made->st_ino &&
	    now.st_size == 0)
		unlink(path);
}

int merge_main(const struct config *cfg)
{
	struct sink *s;
	struct csv *csv;
	struct stat made;
	bool existed;
	if (cfg->ninputs < 2) {
		msg_error("'merge' needs OUT.db and at least one IN.db; see 'logfold --help'");
		return EXIT_USAGE;
	}
	enum exit_code e = merge_operands_distinct(cfg, &existed);
	if (e != EXIT_OK)
		return e;
	const char *out = cfg->inputs[0];
	e = open_out(cfg, out, &s, &csv);
	bool made_ok = !existed && stat(out, &made) == 0;
	if (e != EXIT_OK) {
		if (made_ok)
			remove_new_out(out, &made);
		return e;
	}
	enum lf_status st = LF_OK;
	for (int i = 1; i < cfg->ninputs && st == LF_OK; i++) {
		struct db_merge_stats ms;
		st = db_merge(s, cfg->inputs[i], &ms);
		if (st == LF_OK)
			msg_info("'%s': %" PRIu64 " days merged, %" PRIu64
				 " of them in place of the same days merged from it before",
				 cfg->inputs[i], ms.days, ms.replaced);
	}
	if (st == LF_OK)
		msg_info("merged %d databases into '%s'", cfg->ninputs - 1, out);
	e = finish(s, csv, st);
	if (e != EXIT_OK && made_ok)
		remove_new_out(out, &made);
	return e;
}
