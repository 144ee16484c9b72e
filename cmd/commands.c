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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../output/csv.h"
#include "../common/civil.h"
#include "../common/host.h"
#include "../output/db.h"
#include "msg.h"
#include "stop.h"

/* Said once SIGINT or SIGTERM stopped a command (stop.h): nothing was
 * committed, the transaction is rolled back. */
static enum exit_code stopped(void)
{
	msg_error("stopped by signal %d: nothing written", stop_signal());
	return EXIT_INTERRUPTED;
}

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
	stop_catch();
	enum lf_status st = db_open_stop(out, path, cfg->wait, stop_flag(), err, sizeof(err));
	*csv = NULL;
	if (st == LF_OK && cfg->csv && (st = csv_open(csv, cfg->csv, err, sizeof(err))) != LF_OK) {
		sink_close(*out);
		*out = NULL;
	}
	if (st == LF_OK)
		return EXIT_OK;
	if (stop_signal())
		return stopped();
	msg_error("%s", err);
	return exit_of(st);
}

/* A shard's database (partial) is not exported: true after saying so. */
static bool csv_partial(struct sink *s)
{
	struct db_shard sh;
	if (db_shard_get(s, &sh) != LF_OK || !sh.count)
		return false; /* a failure to read is the commit's to say */
	say_partial(s->where, &sh, "export it as CSV");
	return true;
}

void say_partial(const char *path, const struct db_shard *sh, const char *verb)
{
	msg_error("cannot %s: '%s' is shard %u/%u, a partial database (its small cells not "
		  "folded): merge the shards first", verb, path, sh->index, sh->count);
}

enum exit_code refuse_partial(const char *path, int wait_s, const char *verb)
{
	struct db_shard sh;
	char err[512];
	if (access(path, F_OK) != 0)
		return EXIT_OK; /* the caller says what is missing */
	enum lf_status st = db_shard_read(path, wait_s, &sh, err, sizeof(err));
	if (st != LF_OK || !sh.count)
		return EXIT_OK; /* the caller's own open says why it cannot read it */
	say_partial(path, &sh, verb);
	return EXIT_USAGE;
}

/* After the work (st): export to --csv, commit (the last moment a signal
 * stops the command), shrink the file, put the CSV files in place. */
static enum exit_code finish(struct sink *s, struct csv *csv, enum lf_status st)
{
	const char *err = NULL;
	if (st == LF_OK && csv && csv_partial(s))
		st = LF_ERR_USAGE; /* said */
	else if (st != LF_OK)
		err = sink_error(s);
	else if (csv && (st = csv_write(csv, s)) != LF_OK)
		err = csv_error(csv);
	else if (stop_signal())
		st = LF_ERR_DB; /* stopped before the commit */
	else if ((st = sink_commit(s)) != LF_OK)
		err = sink_error(s);
	else if (db_vacuum(s) != LF_OK)
		msg_error("%s (the change is written: only the file's shrinking failed)",
			  sink_error(s));
	if (st == LF_OK && csv && (st = csv_publish(csv)) != LF_OK)
		err = csv_error(csv);
	if (err && !stop_signal())
		msg_error("%s", err);
	csv_close(csv);
	sink_close(s);
	if (st != LF_OK && stop_signal())
		return stopped();
	return exit_of(st);
}

/* Sites whose day `prune --day` names one by one once it is done; the
 * rest are counted. */
#define HUNT_SAY_MAX 16

/* The days of `prune --day` in the database, as found before deleting,
 * said once the deletion is committed. */
struct day_hunt {
	const struct config *cfg;
	const char *day;
	int found;
	struct {
		char site[HOST_MAX + 1];
		bool closed;
	} said[HUNT_SAY_MAX];
};

static enum lf_status hunt_day(void *ctx, const struct db_day *d)
{
	struct day_hunt *h = ctx;
	if (!slice_eq_cstr(d->day, h->day) ||
	    (h->cfg->site_given && !slice_eq_cstr(d->site, h->cfg->site)))
		return LF_OK;
	if (h->found < HUNT_SAY_MAX) {
		snprintf(h->said[h->found].site, sizeof(h->said[0].site), "%.*s", (int)d->site.n,
			 d->site.p);
		h->said[h->found].closed = d->closed;
	}
	h->found++;
	return LF_OK;
}

static void say_hunted(const struct day_hunt *h)
{
	for (int i = 0; i < h->found && i < HUNT_SAY_MAX; i++)
		if (h->said[i].closed)
			msg_info("day %s of site '%s': its rows deleted; it stays closed, and "
				 "--rebuild %s writes it again", h->day, h->said[i].site, h->day);
		else
			msg_info("day %s of site '%s' was open: deleted; the next run writes it "
				 "from the files it is given", h->day, h->said[i].site);
	if (h->found > HUNT_SAY_MAX)
		msg_info("and %d more sites' day %s", h->found - HUNT_SAY_MAX, h->day);
}

/* prune --day: one day deleted (see db_prune_day). */
static enum exit_code prune_day(const struct config *cfg, struct sink *s, struct csv *csv)
{
	char day[11];
	uint64_t deleted = 0, days = 0;
	day_format(cfg->prune_day, day);
	struct day_hunt *h = calloc(1, sizeof(*h));
	enum lf_status st = h ? LF_OK : LF_ERR_NOMEM;
	if (h) {
		*h = (struct day_hunt){ .cfg = cfg, .day = day };
		st = db_days(s, hunt_day, h);
	}
	if (st == LF_OK)
		st = db_prune_day(s, day, cfg->site_given ? cfg->site : NULL, &deleted, &days);
	enum exit_code e = finish(s, csv, st);
	if (e == EXIT_OK && !h->found) /* said once it is true: committed */
		msg_info("no day %s%s%s%s in '%s': nothing deleted", day,
			 cfg->site_given ? " of site '" : "", cfg->site_given ? cfg->site : "",
			 cfg->site_given ? "'" : "", cfg->db);
	else if (e == EXIT_OK) {
		say_hunted(h);
		msg_info("deleted %" PRIu64 " rows of day %s from '%s'", deleted, day, cfg->db);
	}
	free(h);
	return e;
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
	e = finish(s, csv, db_prune(s, before, &deleted));
	if (e == EXIT_OK) /* said once it is true: committed */
		msg_info("deleted %" PRIu64 " rows of days before %s from '%s'", deleted, before,
			 cfg->db);
	return e;
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

/* Two shards of one set, a and b (inputs i and j): refused, said, unless
 * they agree on N and settings and differ in I. */
static bool shards_agree(const struct config *cfg, const struct db_shard *sh, int i, int j)
{
	const char *a = cfg->inputs[i], *b = cfg->inputs[j];
	if (sh[i].count != sh[j].count)
		msg_error("cannot merge '%s' (shard %u/%u) with '%s' (shard %u/%u): shards of "
			  "different counts N", a, sh[i].index, sh[i].count, b, sh[j].index,
			  sh[j].count);
	else if (strcmp(sh[i].settings, sh[j].settings) != 0)
		msg_error("cannot merge '%s' with '%s': shards of runs with different settings "
			  "('%s' and '%s')", a, b, sh[i].settings, sh[j].settings);
	else if (sh[i].index == sh[j].index)
		msg_error("cannot merge '%s' with '%s': both are shard %u/%u", a, b, sh[i].index,
			  sh[i].count);
	else
		return true;
	return false;
}

/* The shards among the inputs make one complete set, or none is a shard;
 * else said, naming the shards missing. */
static enum exit_code shards_complete(const struct config *cfg, const struct db_shard *sh)
{
	int first = 0;
	for (int i = 1; i < cfg->ninputs; i++) {
		if (!sh[i].count)
			continue;
		if (!first)
			first = i;
		else if (!shards_agree(cfg, sh, first, i))
			return EXIT_USAGE;
	}
	if (!first)
		return EXIT_OK;
	char missing[256] = "";
	size_t n = 0, nmissing = 0;
	for (uint32_t want = 0; want < sh[first].count; want++) {
		bool have = false;
		for (int i = 1; i < cfg->ninputs && !have; i++)
			have = sh[i].count && sh[i].index == want;
		if (!have && n < sizeof(missing) - 32)
			n += (size_t)snprintf(missing + n, sizeof(missing) - n, "%s%u/%u",
					      nmissing ? ", " : "", want, sh[first].count);
		nmissing += !have;
	}
	if (!nmissing)
		return EXIT_OK;
	msg_error("cannot merge an incomplete set of shards: missing shard %s%s (merge the %u "
		  "shards of a set at once)", missing, n >= sizeof(missing) - 32 ? " ..." : "",
		  sh[first].count);
	return EXIT_USAGE;
}

/* Which input is which shard (db_shard_read); checked as a set. */
static enum exit_code merge_shards(const struct config *cfg)
{
	char err[512];
	struct db_shard *sh = calloc((size_t)cfg->ninputs, sizeof(*sh));
	enum exit_code e = sh ? EXIT_OK : EXIT_OUTPUT;
	if (!sh)
		msg_error("out of memory");
	for (int i = 1; i < cfg->ninputs && e == EXIT_OK; i++) {
		enum lf_status st = db_shard_read(cfg->inputs[i], cfg->wait, &sh[i], err, sizeof(err));
		if (st != LF_OK) {
			msg_error("%s", err);
			e = exit_of(st);
		}
	}
	if (e == EXIT_OK)
		e = shards_complete(cfg, sh);
	free(sh);
	return e;
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
	if (e == EXIT_OK)
		e = merge_shards(cfg);
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
	struct db_merge_stats *ms = calloc((size_t)cfg->ninputs, sizeof(*ms));
	enum lf_status st = ms ? LF_OK : LF_ERR_NOMEM;
	for (int i = 1; i < cfg->ninputs && st == LF_OK && !stop_signal(); i++)
		st = db_merge(s, cfg->inputs[i], &ms[i]);
	if (st == LF_OK)
		st = db_merge_finish(s);
	e = finish(s, csv, st);
	for (int i = 1; e == EXIT_OK && i < cfg->ninputs; i++) /* said once committed */
		msg_info("'%s': %" PRIu64 " days merged, %" PRIu64
			 " of them in place of the same days merged from it before",
			 cfg->inputs[i], ms[i].days, ms[i].replaced);
	if (e == EXIT_OK)
		msg_info("merged %d databases into '%s'", cfg->ninputs - 1, out);
	if (e != EXIT_OK && made_ok)
		remove_new_out(out, &made);
	free(ms);
	return e;
}
