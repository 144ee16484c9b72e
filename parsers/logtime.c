/*
 * logtime.c - CLF timestamp parsing, fixed-position and strict: a field
 * that is not where the format puts it makes the line malformed.
 */
#include "logtime.h"

#include "../common/civil.h"

void logtime_local(const struct logtime *t, int32_t *day, uint32_t *sec_of_day)
{
	int64_t local = t->utc + t->offset;
	int64_t d = local >= 0 ? local / 86400 : -((-local + 86399) / 86400);
	*day = (int32_t)d;
	*sec_of_day = (uint32_t)(local - d * 86400);
}

static int month_from_abbr(const char *p)
{
	static const char names[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	for (int m = 0; m < 12; m++)
		if (p[0] == names[3 * m] && p[1] == names[3 * m + 1] && p[2] == names[3 * m + 2])
			return m + 1;
	return -1;
}

bool logtime_parse_clf(struct slice s, struct logtime *out)
{
	/* 0         1         2
	 * 0123456789012345678901234 */
	/* 10/Oct/2000:13:55:36 -0700 */
	const char *p = s.p;
	if (s.n != 26 || p[2] != '/' || p[6] != '/' || p[11] != ':' || p[14] != ':' ||
	    p[17] != ':' || p[20] != ' ' || (p[21] != '+' && p[21] != '-'))
		return false;
	int d = civil_digits(p, 2), mon = month_from_abbr(p + 3), y = civil_digits(p + 7, 4);
	int hh = civil_digits(p + 12, 2), mm = civil_digits(p + 15, 2), ss = civil_digits(p + 18, 2);
	int oh = civil_digits(p + 22, 2), om = civil_digits(p + 24, 2);
	if (d < 1 || mon < 0 || y < 0 || hh < 0 || hh > 23 || mm < 0 || mm > 59 || ss < 0 ||
	    ss > 60 || oh < 0 || om < 0 || om > 59 || oh * 60 + om > 14 * 60)
		return false;
	if ((unsigned)d > civil_days_in_month(y, (unsigned)mon))
		return false;
	if (ss == 60)
		ss = 59;
	int32_t offset = (oh * 3600 + om * 60) * (p[21] == '-' ? -1 : 1);
	int64_t local = days_from_civil(y, (unsigned)mon, (unsigned)d) * 86400 + hh * 3600 +
			mm * 60 + ss;
	out->utc = local - offset;
	out->offset = offset;
	return true;
}

/*
 * A logged duration in whole milliseconds, rounded to nearest, or
 * LOGTIME_NO_DURATION for "-", garbage or no duration. Only the first value of
 * a list counts (nginx's $upstream_response_time "0.010, 0.020" names one
 * time per upstream tried).
 */
uint32_t logtime_duration_ms(struct slice s, enum duration_unit unit)
{
	uint64_t whole = 0, frac = 0, scale = 1;
	size_t i = 0;
	if (unit == DUR_NONE)
		return LOGTIME_NO_DURATION;
	for (; i < s.n && s.p[i] >= '0' && s.p[i] <= '9'; i++)
		if (whole < (1ull << 40)) /* saturate: anything above is capped */
			whole = whole * 10 + (uint64_t)(s.p[i] - '0');
	if (i == 0)
		return LOGTIME_NO_DURATION;
	if (unit == DUR_SECONDS && i < s.n && s.p[i] == '.') {
		for (i++; i < s.n && s.p[i] >= '0' && s.p[i] <= '9' && scale < 1000000000; i++) {
			frac = frac * 10 + (uint64_t)(s.p[i] - '0');
			scale *= 10;
		}
	}
	if (i < s.n && s.p[i] != ',' && s.p[i] != ' ')
		return LOGTIME_NO_DURATION;
	uint64_t ms = unit == DUR_MICROS   ? (whole + 500) / 1000
		      : unit == DUR_MILLIS ? whole
					   : whole * 1000 + (frac * 1000 + scale / 2) / scale;
	return ms >= LOGTIME_NO_DURATION ? LOGTIME_NO_DURATION - 1 : (uint32_t)ms;
}
