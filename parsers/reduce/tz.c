/*
 * tz.c - named zone offsets through localtime_r, cached per quarter hour
 * (see tz.h for why).
 */
#include "tz.h"

#include <time.h>

/* Zone transitions since 1970 fall on multiples of this many seconds. */
#define TZ_STEP 900

void tz_cache_init(struct tz_cache *c)
{
	c->from = c->to = 0;
	c->offset = 0;
}

int32_t tz_offset(struct tz_cache *c, int64_t utc)
{
	if (utc >= c->from && utc < c->to)
		return c->offset;
	int64_t from = utc >= 0 ? utc - utc % TZ_STEP : utc - (TZ_STEP + utc % TZ_STEP) % TZ_STEP;
	time_t tt = (time_t)from;
	struct tm tm;
	if (!localtime_r(&tt, &tm))
		return 0;
	c->from = from;
	c->to = from + TZ_STEP;
	c->offset = (int32_t)tm.tm_gmtoff;
	return c->offset;
}

void tz_fix(struct tz_cache *c, struct logtime *t)
{
	if (!t->naive) {
		t->offset = tz_offset(c, t->utc);
		return;
	}
	int64_t wall = t->utc; /* the wall clock, read as if UTC */
	int32_t o1 = tz_offset(c, wall - tz_offset(c, wall));
	int32_t o2 = tz_offset(c, wall - o1);
	t->offset = o2 != o1 && tz_offset(c, wall - o2) == o2 ? o2 : o1;
	t->utc = wall - t->offset;
	t->naive = false;
}
