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
#include "stop.h"

/* Said once SIGINT or SIGTERM stopped a command (stop.h): nothing was
 * committed, the transaction is rolled back. */
static enum exit_code stopped(void)
{
	msg_error("stopped by signal %d: nothing written", stop_signal());
	return EXIT_INTERRUPTED;
}

/* Open path for writing, or say why not and give the exit status. */
static enum exit_code open_db(const char *path, int wait, struct sink **out)
{
	char err[256];
	stop_catch();
	enum lf_status st = db_open_stop(out, path, wait, stop_flag(), err, sizeof(err));
	if (st == LF_OK)
		return EXIT_OK;
	if (stop_signal())
		return stopped();
	msg_error("%s", err);
	return st == LF_ERR_BUSY ? EXIT_BUSY : EXIT_OUTPUT;
}

static enum exit_code finish(struct sink *s, enum lf_status st)
{
	if (st == LF_OK && !stop_signal())
		st = sink_commit(s);
	else if (st == LF_OK)
		st = LF_ERR_DB; /* stopped before the commit */
	if (st != LF_OK && !stop_signal())
		msg_error("%s", sink_error(s));
	if (st == LF_OK && db_vacuum(s) != LF_OK)
		msg_error("%s (the change is written: only the file's shrinking failed)",
			  sink_error(s));
	sink_close(s);
	if (st != LF_OK && stop_signal())
		return stopped();
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
	enum exit_code e = open_db(cfg->db, cfg->wait, &s);
	if (e != EXIT_OK)
		return e;
	options_retention_start(cfg->retention, before);
	e = finish(s, db_prune(s, before, &deleted));
	if (e == EXIT_OK) /* said once it is true: committed */
		msg_info("deleted %" PRIu64 " rows of days before %s from '%s'", deleted, before,
			 cfg->db);
	return e;
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
	for (int i = 1; i < cfg->ninputs && st == LF_OK && !stop_signal(); i++)
		st = db_merge(s, cfg->inputs[i]);
	e = finish(s, st);
	if (e == EXIT_OK) /* said once it is true: committed */
		msg_info("merged %d databases into '%s'", cfg->ninputs - 1, cfg->inputs[0]);
	return e;
}
