/*
 * commands.c - `logfold prune` (retention alone, in one transaction) and
 * `logfold merge OUT.db IN.db...` (several servers' databases added into
 * one). Both work through the database sink, so the same lock, --wait and
 * all-or-nothing commit apply; neither reads a log.
 */
#include "commands.h"

#include <inttypes.h>

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

int prune_main(const struct config *cfg)
{
	struct sink *s;
	char before[11];
	uint64_t deleted = 0;
	if (cfg->ninputs) {
		msg_error("'prune' takes no file; see 'logfold --help'");
		return EXIT_USAGE;
	}
	if (cfg->retention == RETENTION_NONE) {
		msg_info("nothing deleted: --retention none keeps every day");
		return EXIT_OK;
	}
	enum exit_code e = open_db(cfg->db, cfg->wait, &s);
	if (e != EXIT_OK)
		return e;
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
