/*
 * tz.h - UTC offsets of a named time zone (--tz Europe/Paris), DST
 * included, from the system's tzdata through libc's localtime_r.
 *
 * Why libc and not our own TZif reader: a correct reader must also
 * evaluate the POSIX TZ rule at the end of each file (Debian 12 ships
 * "slim" files whose transitions stop where the rule takes over), which is
 * as much code again as the reader; glibc does both and is on every
 * machine logfold runs on. Its cost is kept off the hot path by a cache:
 * zone transitions since 1970 fall on quarter hours of UTC (a few older
 * ones do not, and may be off by those minutes for that quarter hour), so
 * the offset found for one quarter hour serves every line in it, and
 * logs are in time order: about one localtime_r per quarter hour of log.
 *
 * The zone itself is the process's TZ, which cmd/ sets once at start
 * (setenv + tzset): parsers/ holds no global and sets nothing.
 */
#ifndef LF_TZ_H
#define LF_TZ_H

#include <stdint.h>

#include "../formats/logtime.h"

struct tz_cache {
	int64_t from, to; /* [from, to): UTC seconds the offset holds for */
	int32_t offset;
};

/* An empty cache. */
void tz_cache_init(struct tz_cache *c);

/* The zone's offset (seconds east of UTC) at UTC time utc. */
int32_t tz_offset(struct tz_cache *c, int64_t utc);

/*
 * Put t into the zone: a time with an offset keeps its instant and takes
 * the zone's offset; a naive time (no offset logged) is read as the zone's
 * wall-clock time (in a DST gap or overlap, the offset before the change).
 */
void tz_fix(struct tz_cache *c, struct logtime *t);

#endif
