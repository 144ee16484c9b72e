/*
 * logtime.c - timestamp parsing, strict: a field that is not where the form
 * puts it makes the line malformed. The strftime reader knows the
 * conversions access logs use (listed at strf_conv) and refuses the rest:
 * guessing at %c or %x would give days that depend on the locale.
 */
#include "logtime.h"

#include <string.h>

#include "../../common/civil.h"

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

/* The day number of the CLF date "10/Oct/2000" at p, checked against the
 * calendar; from memo when it holds the same date (then it was checked). */
static bool clf_day(const char *p, struct logtime_memo *memo, int64_t *days)
{
	if (memo && memcmp(p, memo->date, sizeof(memo->date)) == 0) {
		*days = memo->days;
		return true;
	}
	int d = civil_digits(p, 2), mon = month_from_abbr(p + 3), y = civil_digits(p + 7, 4);
	if (d < 1 || mon < 0 || y < 0 || (unsigned)d > civil_days_in_month(y, (unsigned)mon))
		return false;
	*days = days_from_civil(y, (unsigned)mon, (unsigned)d);
	if (memo) {
		memcpy(memo->date, p, sizeof(memo->date));
		memo->days = *days;
	}
	return true;
}

static bool parse_clf(struct slice s, struct logtime_memo *memo, struct logtime *out)
{
	/* 0         1         2
	 * 0123456789012345678901234 */
	/* 10/Oct/2000:13:55:36 -0700 */
	const char *p = s.p;
	if (s.n != 26 || p[2] != '/' || p[6] != '/' || p[11] != ':' || p[14] != ':' ||
	    p[17] != ':' || p[20] != ' ' || (p[21] != '+' && p[21] != '-'))
		return false;
	int hh = civil_digits(p + 12, 2), mm = civil_digits(p + 15, 2), ss = civil_digits(p + 18, 2);
	int oh = civil_digits(p + 22, 2), om = civil_digits(p + 24, 2);
	int64_t days;
	if (hh < 0 || hh > 23 || mm < 0 || mm > 59 || ss < 0 || ss > 60 || oh < 0 || om < 0 ||
	    om > 59 || oh * 60 + om > 14 * 60 || !clf_day(p, memo, &days))
		return false;
	if (ss == 60)
		ss = 59;
	int32_t offset = (oh * 3600 + om * 60) * (p[21] == '-' ? -1 : 1);
	int64_t local = days * 86400 + hh * 3600 + mm * 60 + ss;
	out->utc = local - offset;
	out->offset = offset;
	out->naive = false;
	return true;
}

bool logtime_parse_clf(struct slice s, struct logtime *out)
{
	return parse_clf(s, NULL, out);
}

/* Broken-down time as the text gave it; -1 = not given. */
struct civil_time {
	int y, mon, d, hh, mm, ss;
	int32_t offset;
	bool has_offset;
};

static bool civil_to_logtime(const struct civil_time *c, struct logtime *out)
{
	if (c->y < 0 || c->mon < 1 || c->mon > 12 || c->d < 1 || c->hh < 0 || c->hh > 23 ||
	    c->mm < 0 || c->mm > 59 || c->ss < 0 || c->ss > 60)
		return false;
	if ((unsigned)c->d > civil_days_in_month(c->y, (unsigned)c->mon))
		return false;
	int64_t local = days_from_civil(c->y, (unsigned)c->mon, (unsigned)c->d) * 86400 +
			c->hh * 3600 + c->mm * 60 + (c->ss == 60 ? 59 : c->ss);
	out->offset = c->has_offset ? c->offset : 0;
	out->utc = local - out->offset;
	out->naive = !c->has_offset;
	return true;
}

/* "+hh:mm", "+hhmm", "+hh" or "Z" at *p; advances *p. */
static bool offset_at(const char **p, const char *end, struct civil_time *c)
{
	const char *q = *p;
	if (q < end && *q == 'Z') {
		*p = q + 1;
		c->offset = 0;
		c->has_offset = true;
		return true;
	}
	if (end - q < 3 || (*q != '+' && *q != '-'))
		return false;
	int oh = civil_digits(q + 1, 2), om = 0;
	q += 3;
	if (q < end && *q == ':')
		q++;
	if (end - q >= 2 && (om = civil_digits(q, 2)) >= 0)
		q += 2;
	else
		om = 0;
	if (oh < 0 || om > 59 || oh * 60 + om > 14 * 60)
		return false;
	c->offset = (oh * 3600 + om * 60) * ((*p)[0] == '-' ? -1 : 1);
	c->has_offset = true;
	*p = q;
	return true;
}

/* "2000-10-10T13:55:36[.123][Z|+02:00]"; a space may stand for the T. */
static bool parse_iso(struct slice s, struct logtime *out)
{
	const char *p = s.p, *end = s.p + s.n;
	if (s.n < 19 || p[4] != '-' || p[7] != '-' || (p[10] != 'T' && p[10] != ' ') ||
	    p[13] != ':' || p[16] != ':')
		return false;
	struct civil_time c = { civil_digits(p, 4), civil_digits(p + 5, 2), civil_digits(p + 8, 2),
				civil_digits(p + 11, 2), civil_digits(p + 14, 2), civil_digits(p + 17, 2), 0, false };
	p += 19;
	if (p < end && (*p == '.' || *p == ',')) /* a fraction: dropped */
		for (p++; p < end && *p >= '0' && *p <= '9'; p++)
			;
	if (p < end && !offset_at(&p, end, &c))
		return false;
	return p == end && civil_to_logtime(&c, out);
}

/* Epoch: whole units, then an optional fraction (dropped). */
static bool parse_epoch(struct slice s, int64_t per_second, struct logtime *out)
{
	int64_t v = 0;
	size_t i = 0;
	for (; i < s.n && s.p[i] >= '0' && s.p[i] <= '9'; i++) {
		if (v > (INT64_MAX - 9) / 10)
			return false;
		v = v * 10 + (s.p[i] - '0');
	}
	if (i == 0)
		return false;
	if (i < s.n && s.p[i] == '.')
		for (i++; i < s.n && s.p[i] >= '0' && s.p[i] <= '9'; i++)
			;
	if (i != s.n)
		return false;
	out->utc = v / per_second;
	out->offset = 0;
	out->naive = false;
	return true;
}

/* W3C: "2000-10-10" and "13:55:36", UTC (IIS's date and time), or local
 * time without an offset (IIS Advanced Logging's date-local, time-local). */
static bool parse_w3c(struct slice date, struct slice time, bool utc, struct logtime *out)
{
	const char *d = date.p, *t = time.p;
	if (date.n != 10 || d[4] != '-' || d[7] != '-' || time.n < 8 || t[2] != ':' ||
	    t[5] != ':')
		return false;
	struct civil_time c = { civil_digits(d, 4), civil_digits(d + 5, 2), civil_digits(d + 8, 2),
				civil_digits(t, 2),     civil_digits(t + 3, 2), civil_digits(t + 6, 2), 0, utc };
	for (size_t i = 8; i < time.n; i++) /* IIS never, others may: ".123" */
		if (!(i == 8 ? t[i] == '.' : (t[i] >= '0' && t[i] <= '9')))
			return false;
	return civil_to_logtime(&c, out);
}

/* A number of 1..max digits at *p (for %e and friends: leading space ok). */
static int var_digits(const char **p, const char *end, int max)
{
	const char *q = *p;
	int v = 0, n = 0;
	if (q < end && *q == ' ')
		q++;
	for (; q < end && n < max && *q >= '0' && *q <= '9'; q++, n++)
		v = v * 10 + (*q - '0');
	*p = q;
	return n ? v : -1;
}

/* A run of letters (weekday names, %Z, %p). */
static void skip_word(const char **p, const char *end)
{
	while (*p < end && (((**p | 0x20) >= 'a' && (**p | 0x20) <= 'z')))
		(*p)++;
}

/* %Z, a zone's abbreviation: "UTC", "GMT" and "UT" are offset 0; any other
 * says nothing (IST, CST and others name several zones): the time stays
 * without an offset. */
static bool zone_name(const char **p, const char *end, struct civil_time *c)
{
	const char *b = *p;
	skip_word(p, end);
	size_t n = (size_t)(*p - b);
	if ((n == 3 && (memcmp(b, "UTC", 3) == 0 || memcmp(b, "GMT", 3) == 0)) ||
	    (n == 2 && memcmp(b, "UT", 2) == 0)) {
		c->offset = 0;
		c->has_offset = true;
	}
	return true;
}

static int month_from_name(const char **p, const char *end)
{
	if (end - *p < 3)
		return -1;
	char abbr[3] = { (char)((*p)[0] & ~0x20), (char)((*p)[1] | 0x20), (char)((*p)[2] | 0x20) };
	int m = month_from_abbr(abbr);
	skip_word(p, end); /* "October" as well as "Oct" */
	return m;
}

/* One conversion of an strftime pattern: the conversions access logs use. */
static bool strf_conv(char conv, const char **p, const char *end, struct civil_time *c)
{
	switch (conv) {
	case 'Y': c->y = var_digits(p, end, 4); return c->y >= 0;
	case 'y': c->y = var_digits(p, end, 2); c->y += c->y < 69 ? 2000 : 1900; return c->y >= 1900;
	case 'm': return (c->mon = var_digits(p, end, 2)) >= 0;
	case 'd': case 'e': return (c->d = var_digits(p, end, 2)) >= 0;
	case 'H': case 'k': return (c->hh = var_digits(p, end, 2)) >= 0;
	case 'M': return (c->mm = var_digits(p, end, 2)) >= 0;
	case 'S': return (c->ss = var_digits(p, end, 2)) >= 0;
	case 'b': case 'h': case 'B': return (c->mon = month_from_name(p, end)) > 0;
	case 'a':
	case 'A':
		skip_word(p, end);
		return true;
	case 'Z':
		return zone_name(p, end, c);
	case 'z': return offset_at(p, end, c);
	case 'T': return strf_conv('H', p, end, c) && *p < end && *(*p)++ == ':' &&
			 strf_conv('M', p, end, c) && *p < end && *(*p)++ == ':' &&
			 strf_conv('S', p, end, c);
	case 'F': return strf_conv('Y', p, end, c) && *p < end && *(*p)++ == '-' &&
			 strf_conv('m', p, end, c) && *p < end && *(*p)++ == '-' &&
			 strf_conv('d', p, end, c);
	case 'f': /* fraction digits, dropped (haproxy's ".655"; not public) */
		while (*p < end && **p >= '0' && **p <= '9')
			(*p)++;
		return true;
	case '%': return *p < end && *(*p)++ == '%';
	}
	return false;
}

static bool parse_strftime(struct slice s, const char *pat, struct logtime *out)
{
	struct civil_time c = { -1, -1, -1, 0, 0, 0, 0, false };
	const char *p = s.p, *end = s.p + s.n;
	for (; *pat; pat++) {
		if (*pat == '%' && pat[1]) {
			if (!strf_conv(*++pat, &p, end, &c))
				return false;
		} else if (p >= end || *p++ != *pat) {
			return false;
		}
	}
	return p == end && civil_to_logtime(&c, out);
}

/* Whether pat holds a conversion logtime_parse does not know. */
bool logtime_pattern_ok(const char *pat)
{
	for (; *pat; pat++)
		if (*pat == '%' && (!pat[1] || !strchr("YymdeHkMSbhBaAZzTF%", *++pat)))
			return false;
	return true;
}

bool logtime_parse(const struct raw_fields *f, struct logtime *out)
{
	return logtime_parse_memo(f, NULL, out);
}

bool logtime_parse_memo(const struct raw_fields *f, struct logtime_memo *memo, struct logtime *out)
{
	switch (f->time_form) {
	case TF_CLF:
		return parse_clf(f->time, memo, out);
	case TF_ISO8601: return parse_iso(f->time, out);
	case TF_EPOCH: return parse_epoch(f->time, 1, out);
	case TF_EPOCH_MS: return parse_epoch(f->time, 1000, out);
	case TF_EPOCH_US: return parse_epoch(f->time, 1000000, out);
	case TF_STRFTIME: return parse_strftime(f->time, f->time_pattern, out);
	case TF_W3C: return parse_w3c(f->date, f->time, true, out);
	case TF_W3C_LOCAL: return parse_w3c(f->date, f->time, false, out);
	case TF_ANY:
		if (f->time.n == 26 && f->time.p[2] == '/')
			return parse_clf(f->time, memo, out);
		if (f->time.n >= 19 && f->time.p[4] == '-')
			return parse_iso(f->time, out);
		return parse_epoch(f->time, 1, out);
	}
	return false;
}

/* Past this many whole units a duration is over LOGTIME_DURATION_MAX_MS in
 * every unit (1e13 ns is 10 000 s): reading stops there, so nothing
 * overflows, and the value is implausible. */
#define DURATION_WHOLE_MAX 10000000000000ull

uint32_t logtime_duration_ms(struct slice s, enum duration_unit unit)
{
	uint64_t whole = 0, frac = 0, scale = 1;
	size_t i = 0;
	if (unit == DUR_NONE)
		return LOGTIME_NO_DURATION;
	for (; i < s.n && s.p[i] >= '0' && s.p[i] <= '9'; i++) {
		whole = whole * 10 + (uint64_t)(s.p[i] - '0');
		if (whole > DURATION_WHOLE_MAX)
			return LOGTIME_NO_DURATION;
	}
	if (i == 0)
		return LOGTIME_NO_DURATION; /* "-", "-5", "NaN", "inf", ".5" */
	if (i < s.n && s.p[i] == '.') {
		for (i++; i < s.n && s.p[i] >= '0' && s.p[i] <= '9'; i++)
			if (scale < 1000000000) {
				frac = frac * 10 + (uint64_t)(s.p[i] - '0');
				scale *= 10;
			}
	}
	if (i < s.n && s.p[i] != ',' && s.p[i] != ' ')
		return LOGTIME_NO_DURATION; /* "1e308", "12ms", garbage */
	uint64_t ms;
	switch (unit) {
	case DUR_SECONDS: ms = whole * 1000 + (frac * 1000 + scale / 2) / scale; break;
	case DUR_MILLIS: ms = whole + (frac + scale / 2) / scale; break;
	case DUR_MICROS: ms = (whole + 500) / 1000; break;
	default: ms = (whole + 500000) / 1000000; break; /* DUR_NANOS */
	}
	return ms > LOGTIME_DURATION_MAX_MS ? LOGTIME_NO_DURATION : (uint32_t)ms;
}
