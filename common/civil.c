/*
 * civil.c - the era-based day-number conversions (400-year cycles of 146097
 * days), exact without tables or floating point.
 */
#include "civil.h"

bool civil_is_leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

unsigned civil_days_in_month(int64_t y, unsigned m)
{
	static const unsigned char dim[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	return m == 2 && civil_is_leap(y) ? 29 : dim[m - 1];
}

int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static void put_digits(char *p, unsigned v, int n)
{
	while (n-- > 0) {
		p[n] = (char)('0' + v % 10);
		v /= 10;
	}
}

void day_format(int32_t day, char buf[11])
{
	int64_t z = (int64_t)day + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t y = (int64_t)yoe + era * 400;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	unsigned d = doy - (153 * mp + 2) / 5 + 1;
	unsigned m = mp < 10 ? mp + 3 : mp - 9;
	y += m <= 2;
	put_digits(buf, (unsigned)(y < 0 ? 0 : y > 9999 ? 9999 : y), 4);
	buf[4] = '-';
	put_digits(buf + 5, m, 2);
	buf[7] = '-';
	put_digits(buf + 8, d, 2);
	buf[10] = '\0';
}

bool day_parse(const char *p, size_t n, int32_t *day)
{
	if (n != 10 || p[4] != '-' || p[7] != '-')
		return false;
	int y = civil_digits(p, 4), m = civil_digits(p + 5, 2), d = civil_digits(p + 8, 2);
	if (y < 0 || m < 1 || m > 12 || d < 1 || (unsigned)d > civil_days_in_month(y, (unsigned)m))
		return false;
	*day = (int32_t)days_from_civil(y, (unsigned)m, (unsigned)d);
	return true;
}
