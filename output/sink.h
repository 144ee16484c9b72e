/*
 * sink.h - where tables go: the SQLite database (db.h), which the CSV files
 * are then made from (csv.h). cmd/ drives a sink through four calls, in
 * this order:
 *
 *   sink_write_day()*  sink_write_run()  sink_commit()  sink_close()
 *
 * Nothing a sink writes is visible until sink_commit() succeeds: SQLite uses
 * one transaction per run. A sink closed without commit leaves its
 * destination as it was before.
 * Every write is checked; a failure returns LF_ERR_IO or LF_ERR_DB (or
 * LF_ERR_NOMEM) and the sink keeps a message for sink_error(). After a
 * failure every later call fails the same way and keeps the first message:
 * the caller's only sensible move is sink_close(), which discards the run.
 */
#ifndef LF_SINK_H
#define LF_SINK_H

#include <stdbool.h>

#include "../aggregate/tables.h"
#include "../common/status.h"

struct sink;

struct sink_ops {
	enum lf_status (*write_day)(struct sink *s, const struct day_result *d, bool *replaced);
	enum lf_status (*write_run)(struct sink *s, const struct run_info *r);
	enum lf_status (*commit)(struct sink *s);
	void (*close)(struct sink *s);
};

struct sink {
	const struct sink_ops *ops;
	const char *where; /* path, for messages */
	char err[256];     /* last error, "" when none */
};

/* Write one (site, day). *replaced is set when the sink already held that
 * day and this run replaces it. */
static inline enum lf_status sink_write_day(struct sink *s, const struct day_result *d,
					    bool *replaced)
{
	return s->ops->write_day(s, d, replaced);
}

static inline enum lf_status sink_write_run(struct sink *s, const struct run_info *r)
{
	return s->ops->write_run(s, r);
}

static inline enum lf_status sink_commit(struct sink *s)
{
	return s->ops->commit(s);
}

/* Release everything; without a successful commit, discard what was written. */
static inline void sink_close(struct sink *s)
{
	s->ops->close(s);
}

static inline const char *sink_error(const struct sink *s)
{
	return s->err;
}

#endif
