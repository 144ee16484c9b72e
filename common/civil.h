/*
 * civil.h - calendar arithmetic on day numbers (days since 1970-01-01) in
 * the proleptic Gregorian calendar. No libc time functions: they depend on
 * the process time zone, and logfold's days are the log's own local days.
 */
#ifndef LF_CIVIL_H
#define LF_CIVIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

bool civil_is_leap(int64_t y);

/* Days in month m (1..12) of year y. */
unsigned civil_days_in_month(int64_t y, unsigned m);

/* Days since 1970-01-01 of a civil date (month 1..12, day 1..31). */
int64_t days_from_civil(int64_t y, unsigned m, unsigned d);

/* "YYYY-MM-DD" for a day number whose year is 0..9999; buf holds 11 bytes. */
void day_format(int32_t day, char buf[11]);

/* n decimal digits at p (n <= 9) as a number, or -1 when one is not a digit. */
static inline int civil_digits(const char *p, int n)
{
	/* Inline: the timestamp parsers call it for every field of every line. */
	int v = 0;
	for (int i = 0; i < n; i++) {
		unsigned d = (unsigned char)p[i] - (unsigned)'0'; /* one test: wraps below '0' */
		if (d > 9)
			return -1;
		v = v * 10 + (int)d;
	}
	return v;
}

/* The day number of "YYYY-MM-DD" at p (n bytes, exactly 10); false when it
 * is not a real date in that form. */
bool day_parse(const char *p, size_t n, int32_t *day);

#endif
