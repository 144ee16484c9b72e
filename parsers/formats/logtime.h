/*
 * logtime.h - timestamps as access logs write them, to UTC seconds plus the
 * log's own UTC offset, and local calendar days from those.
 *
 * The forms of enum time_form: CLF "dd/Mon/yyyy:HH:MM:SS +hhmm", ISO 8601,
 * epoch seconds (with a fraction), milliseconds and microseconds, an
 * strftime pattern (Apache %{...}t), W3C date + time (UTC or local). No libc time
 * functions: mktime and friends depend on the process time zone and are
 * slow (calendar arithmetic: common/civil.h; named zones: tz.h).
 */
#ifndef LF_LOGTIME_H
#define LF_LOGTIME_H

#include <stdbool.h>
#include <stdint.h>

#include "../../common/slice.h"
#include "fields.h"

struct logtime {
	int64_t utc;    /* seconds since 1970-01-01T00:00:00Z */
	int32_t offset; /* seconds east of UTC */
	bool naive;     /* the text had no offset: utc is the wall-clock time
			 * read as if it were UTC, offset is 0 (see tz_fix) */
};

/*
 * Parse the inside of a CLF "[...]": "10/Oct/2000:13:55:36 -0700". Fields
 * are checked against the calendar (no 31 April, 29 February only in leap
 * years); a leap second :60 is read as :59. Offsets up to +-14:00 (the widest
 * in use) are accepted. False for anything else.
 */
bool logtime_parse_clf(struct slice s, struct logtime *out);

/*
 * Parse the time of f in f->time_form (f->time, and f->date for TF_W3C).
 * Epoch forms and W3C are UTC; ISO 8601 without an offset and strftime
 * patterns without %z come back naive. False for anything malformed.
 */
bool logtime_parse(const struct raw_fields *f, struct logtime *out);

/*
 * The last CLF date read ("10/Oct/2000") and its day number. Lines come in
 * time order, so most have the date of the line before: with a memo, the
 * date's digits, month name and calendar are read once a day, not once a
 * line. Zeroed: empty (no date starts with a NUL). Owned by the caller.
 */
struct logtime_memo {
	char date[11];
	int64_t days;
};

/* logtime_parse, with the same result, keeping the CLF date in *memo. */
bool logtime_parse_memo(const struct raw_fields *f, struct logtime_memo *memo, struct logtime *out);

/* Whether the strftime pattern pat uses only conversions logtime_parse
 * reads: %Y %y %m %d %e %H %k %M %S %b %h %B %a %A %Z %z %T %F %%. */
bool logtime_pattern_ok(const char *pat);

/* The local day number (days since 1970-01-01) and the seconds since local
 * midnight of t, in t's own offset. */
void logtime_local(const struct logtime *t, int32_t *day, uint32_t *sec_of_day);

/* What logtime_duration_ms returns when there is no usable duration. */
#define LOGTIME_NO_DURATION UINT32_MAX

/* The longest duration believed: one hour. Servers give up on a request
 * long before (nginx, Apache and IIS time out after 60 to 120 s); a longer
 * one is a stream, a stuck connection or a broken field, and a single such
 * value would own its hour's sum_ms, max_ms and upper percentiles. */
#define LOGTIME_DURATION_MAX_MS 3600000u

/*
 * A logged duration in whole milliseconds, rounded to nearest, or
 * LOGTIME_NO_DURATION when it is not usable. The one rule: a duration is a
 * non-negative decimal number in its unit (digits, optionally a fraction:
 * "0.123", "15", "10002425284"), at most LOGTIME_DURATION_MAX_MS once in
 * ms. Anything else has no duration (the line still counts, without a
 * load time): "-", a negative, an exponent ("1e308"), NaN, infinity, a
 * unit suffix, an overlong number (99999999999999999999), or more than an
 * hour. Only the first value of a list counts (nginx's
 * $upstream_response_time "0.010, 0.020": one time per upstream tried).
 */
uint32_t logtime_duration_ms(struct slice s, enum duration_unit unit);

#endif
