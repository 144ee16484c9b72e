/*
 * sources.h - the inputs of one run, from the look at their starts to the
 * points stored for them: which inputs are one log (named twice, or a
 * copy), which stored point each continues, where its reading starts, the
 * days its lines hold, and what is stored at the end. The decisions are
 * parsers/input/resume.c's (pure); this module feeds them and keeps their
 * results. It prints only what the look finds (format, unreadable inputs).
 */
#ifndef LF_SOURCES_H
#define LF_SOURCES_H

#include <stdbool.h>
#include <stdint.h>

#include "../common/intern.h"
#include "../output/db.h"
#include "../parsers/input/lookahead.h"
#include "../parsers/input/resume.h"
#include "../parsers/reduce/parser.h"
#include "exitcode.h"
#include "options.h"

/* The first line of a (site, day) in an input: where a later run must read
 * again from while that day is open. */
struct day_start {
	uint32_t site; /* id in sources.sites */
	int32_t day;
	uint64_t line; /* lines before it */
};

/* One input named on the command line. A group is the inputs of this run
 * with the same start (one log named twice, or a log and an older copy of
 * it): its first input, the root, holds the group's state, and each of its
 * inputs is read on from where the group has got. */
struct source {
	const char *path;      /* as given; "-" for stdin */
	const char *name;      /* as said and stored: the path, or "(stdin)" */
	struct input *held;    /* an input that gives its bytes once: open from the look */
	struct lookahead *la;  /* and what the look read of it */
	bool ok;               /* opened and its format known */
	bool twice;            /* "-" named again: stdin is read once */
	struct source *group;  /* the root of its group (itself when alone) */
	struct parser_start start;
	uint64_t fps[RESUME_SIG_LINES]; /* fingerprints of its starts */
	uint64_t lines;        /* lines it has, read or passed over */
	/* The group's state, in the root only: */
	const struct source *longest; /* the input with the most signed lines */
	size_t members, members_read; /* its inputs, and those read so far */
	const struct resume_point *from; /* the stored point it continues, or NULL */
	bool read_any;         /* an input of the group has been read */
	uint64_t reached;      /* lines read by the group's inputs */
	bool truncated;        /* shorter than the point it continues */
	struct day_start *days;
	size_t ndays, days_cap, last;
	bool days_lost;        /* out of memory noting a day: days unknown */
	int32_t first_day, last_day;
};

struct sources {
	struct source *v;
	size_t n;
	struct db_resume *rows;       /* the stored points, as read */
	struct resume_point *points;  /* the same, for parsers/input/resume.c */
	struct resume_open *opens;    /* their open days, points[i].open into it */
	bool *present;                /* points[i] continued by an input of the run */
	size_t npoints;
	struct intern sites;          /* sites of day_start */
};

/* Set up s for cfg's inputs ("-" when none). False: out of memory. */
bool sources_init(struct sources *s, const struct config *cfg);
void sources_release(struct sources *s);

/* Read the stored points of db. */
enum lf_status sources_load(struct sources *s, struct sink *db);

/* Look at the start of input i: open it, read its first lines, decide the
 * format once per run (said on stderr), sign its start (a time after
 * time_max, from the future, is no first time). An input that cannot be
 * opened or whose format cannot be detected is said, raises *exit and is
 * not read; after a signal, nothing is said. An input that gives its bytes
 * once stays open. */
void sources_look(struct sources *s, size_t i, struct parser *p, int64_t time_max,
		  enum exit_code *exit);

/* After every look: the groups, and the point each continues. */
void sources_group(struct sources *s);

/* Lines of src to pass over unread: what its group read this run, else
 * what the stored point says was closed (none for a --rebuild). */
uint64_t sources_skip(const struct source *src, bool rebuild);

/* Note that the dated line line_no of src holds (site, day). A day's first
 * line is kept once per group. */
void sources_note(struct sources *s, struct source *src, struct slice site, int32_t day,
		  uint64_t line_no, bool counted);

/* Whether (site, day) stays open after the run: the caller's answer. */
typedef bool (*sources_open_fn)(void *ctx, struct slice site, int32_t day);

/*
 * Store the point of every group read (not for a --rebuild): where it was
 * left, the open days it holds. A truncated group keeps its old point. Its
 * first failure is returned (the sink's message says it).
 */
enum lf_status sources_save(struct sources *s, struct sink *db, sources_open_fn is_open,
			    void *ctx);

#endif
