/*
 * daystate.h - the state of the days one run may touch: closed (in the
 * database, or by this run: never counted again), open in the database
 * before the run, written open by this run, held back (an open day one of
 * whose inputs is missing or shorter than before: kept as it was), late
 * (closed days that got lines). It also refuses a --rebuild that would
 * publish a closed day again with a weaker K or mask, and closes the open
 * days the logs have moved past without any line of them. It holds names
 * and day numbers only; it says what it finds (cmd/ prints).
 */
#ifndef LF_DAYSTATE_H
#define LF_DAYSTATE_H

#include <stdbool.h>
#include <stdint.h>

#include "../common/intern.h"
#include "../output/db.h"
#include "dayset.h"
#include "options.h"

/* An open day held back, and why. */
struct held_day {
	const char *site;   /* NUL-terminated, owned by the caller (a stored point) */
	int32_t day;
	const char *holder; /* the input missing or truncated, as it was named */
	bool truncated;     /* the input is here, shorter than when read before */
	uint64_t hits;      /* its pageviews and events in this run, not counted */
};

/* How far one site's log has got in this run. */
struct site_clock {
	int64_t latest;     /* UTC time of its latest pageview or event */
	int32_t min_offset; /* the westernmost UTC offset of its lines */
};

struct daystate {
	struct dayset closed;   /* not to count again */
	struct dayset db_open;  /* open in the database before the run */
	struct dayset open;     /* written open by this run */
	struct dayset withheld; /* not to write: see held[] */
	struct dayset late;     /* closed days that got lines, not counted */
	struct held_day *held;
	size_t nheld, held_cap;
	struct intern sites;      /* the sites seen: ids into clocks */
	struct site_clock *clocks;
	uint32_t nclocks, clocks_cap;
	struct slice last_site;   /* the last site seen (its interned copy) */
	uint32_t last_id;
};

void daystate_init(struct daystate *ds);
void daystate_release(struct daystate *ds);

/* Read the days of db (NULL: none). For a --rebuild, a closed day of that
 * date published with a larger K or more mask bytes than cfg's (or before
 * they were kept) is said and *refused set: the run must write nothing. */
enum lf_status daystate_load(struct daystate *ds, struct sink *db, const struct config *cfg,
			     bool *refused);

/* Hold back (site, day) if it is open in the database: this run must
 * neither count its lines nor write it. Out of memory: said, and the day
 * is not held back (the run goes on as before this feature). */
void daystate_withhold(struct daystate *ds, const char *site, int32_t day, const char *holder,
		       bool truncated);

/* Whether (site, day) is held back; when it is, a line of it (a pageview
 * or an event, with count) is counted as held. */
bool daystate_held(struct daystate *ds, struct slice site, int32_t day, bool count);

/* A day the run wrote (or decided to write); LF_ERR_NOMEM. */
enum lf_status daystate_written(struct daystate *ds, struct slice site, int32_t day, bool closed);

/* Whether (site, day) is held back, or may be once a group of inputs is
 * read (daystate_withhold): a day the database holds open. */
bool daystate_may_hold(struct daystate *ds, struct slice site, int32_t day);

/* Whether (site, day) stays open after the run: written open, or held. */
bool daystate_stays_open(struct daystate *ds, struct slice site, int32_t day);

/* A pageview or event of site at UTC time t, logged at offset (seconds
 * east of UTC): that site's log has got that far. */
void daystate_see(struct daystate *ds, struct slice site, int64_t t, int32_t offset);

/* Close in db every day open there that the run did not write nor hold
 * with lines, of a site whose log this run has taken grace past the day's
 * end (its next midnight at the westernmost offset of the site's lines):
 * no line of it can come any more but late. The days of sites the run saw
 * nothing of are left to their own runs. False after a failed write. */
bool daystate_close_stale(struct daystate *ds, struct sink *db, uint32_t grace);

/* Say the late days and the days held back; true when lines went
 * uncounted because a day was held (the run's exit is then 3). */
bool daystate_say(const struct daystate *ds);

#endif
