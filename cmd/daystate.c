/*
 * daystate.c - the days a run may touch (see daystate.h): a few day sets,
 * a short list of days held back, and the messages about them.
 */
#include "daystate.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/civil.h"
#include "../common/grow.h"
#include "msg.h"

/* Days with late lines named one by one; the rest are counted. */
#define REPORT_LATE_MAX 10


void daystate_init(struct daystate *ds)
{
	memset(ds, 0, sizeof(*ds));
	dayset_init(&ds->closed);
	dayset_init(&ds->db_open);
	dayset_init(&ds->open);
	dayset_init(&ds->withheld);
	dayset_init(&ds->late);
	intern_init(&ds->sites);
}

void daystate_release(struct daystate *ds)
{
	dayset_release(&ds->closed);
	dayset_release(&ds->db_open);
	dayset_release(&ds->open);
	dayset_release(&ds->withheld);
	dayset_release(&ds->late);
	intern_release(&ds->sites);
	free(ds->clocks);
	free(ds->held);
	memset(ds, 0, sizeof(*ds));
}

struct load_ctx {
	struct daystate *ds;
	const struct config *cfg;
	bool *refused;
};

/* A closed day --rebuild would publish again: refused when its K or mask
 * was stronger than the run's, or is unknown. */
static void check_rebuild(const struct load_ctx *c, const struct db_day *d)
{
	const struct config *cfg = c->cfg;
	char why[160];
	if (d->min_visitors < 0 || d->mask_bytes < 0)
		snprintf(why, sizeof(why), "it was published before logfold kept its K and mask");
	else if (d->min_visitors > (int64_t)cfg->min_visitors)
		snprintf(why, sizeof(why), "it was published with --min-visitors %" PRId64
			 ", this run has %u", d->min_visitors, cfg->min_visitors);
	else if (d->mask_bytes > (int64_t)cfg->mask_bytes)
		snprintf(why, sizeof(why), "it was published with --mask-bytes %" PRId64
			 ", this run has %d", d->mask_bytes, cfg->mask_bytes);
	else
		return;
	msg_error("refusing to publish closed day %.*s of site '%.*s' again: %s; delete it "
		  "first with 'logfold prune --day %.*s --site %.*s'",
		  (int)d->day.n, d->day.p, (int)d->site.n, d->site.p, why, (int)d->day.n, d->day.p,
		  (int)d->site.n, d->site.p);
	*c->refused = true;
}

static enum lf_status add_day(void *ctx, const struct db_day *d)
{
	const struct load_ctx *c = ctx;
	int32_t day;
	if (!day_parse(d->day.p, d->day.n, &day))
		return LF_OK; /* not ours to judge: never matched by a line */
	if (d->closed && c->cfg->rebuild_day == day)
		check_rebuild(c, d);
	return dayset_add(d->closed ? &c->ds->closed : &c->ds->db_open, d->site, day);
}

enum lf_status daystate_load(struct daystate *ds, struct sink *db, const struct config *cfg,
			     bool *refused)
{
	struct load_ctx c = { ds, cfg, refused };
	*refused = false;
	return db ? db_days(db, add_day, &c) : LF_OK;
}

void daystate_withhold(struct daystate *ds, const char *site, int32_t day, const char *holder,
		       bool truncated)
{
	struct slice s = slice_cstr(site);
	if (!dayset_has(&ds->db_open, s, day) || dayset_has(&ds->withheld, s, day))
		return;
	if (!GROW(ds->held, ds->held_cap, ds->nheld + 1, 8)) {
		msg_error("out of memory for the list of days held back");
		return;
	}
	if (dayset_add(&ds->withheld, s, day) != LF_OK) {
		msg_error("out of memory for the list of days held back");
		return;
	}
	ds->held[ds->nheld++] = (struct held_day){ site, day, holder, truncated, 0 };
}

bool daystate_held(struct daystate *ds, struct slice site, int32_t day, bool count)
{
	if (!dayset_has(&ds->withheld, site, day))
		return false;
	for (size_t i = 0; count && i < ds->nheld; i++)
		if (ds->held[i].day == day && slice_eq_cstr(site, ds->held[i].site)) {
			ds->held[i].hits++;
			break;
		}
	return true;
}

enum lf_status daystate_written(struct daystate *ds, struct slice site, int32_t day, bool closed)
{
	return dayset_add(closed ? &ds->closed : &ds->open, site, day);
}

bool daystate_may_hold(struct daystate *ds, struct slice site, int32_t day)
{
	return dayset_has(&ds->db_open, site, day); /* withheld is within it */
}

bool daystate_stays_open(struct daystate *ds, struct slice site, int32_t day)
{
	return dayset_has(&ds->open, site, day) || dayset_has(&ds->withheld, site, day);
}

void daystate_see(struct daystate *ds, struct slice site, int64_t t, int32_t offset)
{
	uint32_t id = ds->last_id;
	if (!ds->last_site.p || !slice_eq(site, ds->last_site)) {
		if (intern_put(&ds->sites, site, &id) != LF_OK)
			return; /* out of memory: this site's days stay open */
		if (id >= ds->nclocks) {
			if (!GROW(ds->clocks, ds->clocks_cap, (size_t)id + 1, 8))
				return;
			for (uint32_t i = ds->nclocks; i <= id; i++)
				ds->clocks[i] = (struct site_clock){ INT64_MIN, INT32_MAX };
			ds->nclocks = id + 1;
		}
		ds->last_site = intern_get(&ds->sites, id);
		ds->last_id = id;
	}
	struct site_clock *c = &ds->clocks[id];
	if (t > c->latest)
		c->latest = t;
	if (offset < c->min_offset)
		c->min_offset = offset;
}

struct stale_ctx {
	struct daystate *ds;
	struct sink *db;
	uint32_t grace;
	bool failed;
};

/* Whether the log of site has gone grace past the end of day. */
static bool past(const struct stale_ctx *c, struct slice site, int32_t day)
{
	struct daystate *ds = c->ds;
	uint32_t id;
	if (!intern_find(&ds->sites, site) || intern_put(&ds->sites, site, &id) != LF_OK ||
	    id >= ds->nclocks)
		return false;
	const struct site_clock *k = &ds->clocks[id];
	int64_t end = ((int64_t)day + 1) * 86400 - k->min_offset;
	return k->latest != INT64_MIN && end + (int64_t)c->grace <= k->latest;
}

/* A held day with lines this run, or truncated: to stay as it is. */
static bool held_with_lines(const struct daystate *ds, struct slice site, int32_t day)
{
	for (size_t i = 0; i < ds->nheld; i++)
		if (ds->held[i].day == day && slice_eq_cstr(site, ds->held[i].site))
			return ds->held[i].hits > 0 || ds->held[i].truncated;
	return false;
}

static void close_one(void *ctx, struct slice site, int32_t day)
{
	struct stale_ctx *c = ctx;
	char d[11];
	if (c->failed || dayset_has(&c->ds->open, site, day) ||
	    dayset_has(&c->ds->closed, site, day) || held_with_lines(c->ds, site, day) ||
	    !past(c, site, day))
		return;
	day_format(day, d);
	if (db_close_day(c->db, site, d) != LF_OK) {
		msg_error("%s", sink_error(c->db));
		c->failed = true;
		return;
	}
	msg_info("closed day %s of site '%.*s': the logs have moved past it, and no line of it "
		 "came", d, (int)site.n, site.p);
}

bool daystate_close_stale(struct daystate *ds, struct sink *db, uint32_t grace)
{
	struct stale_ctx c = { ds, db, grace, false };
	if (db)
		dayset_each(&ds->db_open, close_one, &c);
	return !c.failed;
}

static void say_late(void *ctx, struct slice site, int32_t day)
{
	int *said = ctx;
	char d[11];
	if ((*said)++ >= REPORT_LATE_MAX)
		return;
	day_format(day, d);
	msg_info("late lines for day %s of site '%.*s', closed before: not counted; to count "
		 "them, run again with --rebuild %s and every file that holds that day",
		 d, (int)site.n, site.p, d);
}

bool daystate_say(const struct daystate *ds)
{
	int said = 0;
	bool lost = false;
	dayset_each(&ds->late, say_late, &said);
	if (said > REPORT_LATE_MAX)
		msg_info("%d more days with late lines not listed", said - REPORT_LATE_MAX);
	for (size_t i = 0; i < ds->nheld; i++) {
		const struct held_day *h = &ds->held[i];
		char d[11];
		day_format(h->day, d);
		if (h->truncated)
			msg_error("day %s of site '%s' is kept as it was: '%s' is shorter than when "
				  "read before, its lines of that day not all there (give the whole "
				  "file, or 'logfold prune --day %s --site %s' and run again)",
				  d, h->site, h->holder, d, h->site);
		else if (h->hits)
			msg_error("day %s of site '%s' is open and holds lines of '%s', read before, "
				  "which this run was not given: its %" PRIu64 " pageviews and events "
				  "here were not counted and the day is kept as it was; run again with "
				  "every file that holds it (or, if '%s' is gone, 'logfold prune --day "
				  "%s --site %s' and run again)", d, h->site, h->holder, h->hits,
				  h->holder, d, h->site);
		lost |= h->truncated || h->hits;
	}
	return lost;
}
