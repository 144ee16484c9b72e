/*
 * commands.c - `logfold prune` (retention alone, or one day deleted with
 * --day, in one transaction) and
 * `logfold merge OUT.db IN.db...` (several servers' databases added into
 * one). Both work through the database sink, so the same lock, --wait and
 * all-or-nothing commit apply; neither reads a log.
 */
#include "commands.h"

#include <inttypes.h>

#include "../common/civil.h"
#include "../output/db.h"
#include "msg.h"

/* Open path for writing, or say why not and give the exit status. */
static enum exit_code open_db(const char *path, int wait, struct sink **out)
{
	char err[256];
	enum lf_status st = db_open(out, path, wait, err, sizeof(err));
	if (st == LF_OK)
		return EXIT_OK;
	msg_error("%s", err);
	return st == LF_ERR_BUSY ? EXIT_BUSY : EXIT_OUTPUT;
}

static enum exit_code finish(struct sink *s, enum lf_status st)
{
	if (st == LF_OK)
		st = sink_commit(s);
	if (st != LF_OK)
		msg_error("%s", sink_error(s));
	sink_close(s);
	return st == LF_OK ? EXIT_OK : st == LF_ERR_BUSY ? EXIT_BUSY : EXIT_OUTPUT;
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
static enum exit_code prune_day(const struct config *cfg, struct sink *s)
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
	return finish(s, st);
}

int prune_main(const struct config *cfg)
{
	struct sink *s;
	char before[11];
	uint64_t deleted = 0;
	if (cfg->ninputs) {
		msg_error("'prune' takes no file; see 'logfold --help'");
		return EXIT_USAGE;
	}
	enum exit_code e = open_db(cfg->db, cfg->wait, &s);
	if (e != EXIT_OK)
		return e;
	if (cfg->prune_day != REBUILD_NONE)
		return prune_day(cfg, s);
	options_retention_start(cfg->retention, before);
	enum lf_status st = db_prune(s, before, &deleted);
	if (st == LF_OK)
		msg_info("deleted %" PRIu64 " rows of days before %s from '%s'", deleted, before,
			 cfg->db);
	return finish(s, st);
}

int merge_main(const struct config *cfg)
{
	struct sink *s;
	if (cfg->ninputs < 2) {
		msg_error("'merge' needs OUT.db and at least one IN.db; see 'logfold --help'");
		return EXIT_USAGE;
	}
	enum exit_code e = open_db(cfg->inputs[0], cfg->wait, &s);
	if (e != EXIT_OK)
		return e;
	enum lf_status st = LF_OK;
	for (int i = 1; i < cfg->ninputs && st == LF_OK; i++)
		st = db_merge(s, cfg->inputs[i]);
	if (st == LF_OK)
		msg_info("merged %d databases into '%s'", cfg->ninputs - 1, cfg->inputs[0]);
	return finish(s, st);
}
