/*
 * slice.c - the few slice helpers that are too long to inline. ASCII only:
 * log fields are bytes, and locale-dependent case folding would make results
 * depend on the machine.
 */
#include "slice.h"

static inline unsigned char lower(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') ? (unsigned char)(c + 32) : c;
}

bool slice_icontains(struct slice s, const char *needle)
{
	size_t n = strlen(needle);
	if (n == 0)
		return true;
	if (s.n < n)
		return false;
	unsigned char first = (unsigned char)needle[0];
	for (size_t i = 0; i + n <= s.n; i++) {
		if (lower((unsigned char)s.p[i]) != first)
			continue;
		size_t j = 1;
		while (j < n && lower((unsigned char)s.p[i + j]) == (unsigned char)needle[j])
			j++;
		if (j == n)
			return true;
	}
	return false;
}
