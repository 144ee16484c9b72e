/*
 * slice.c - the few slice helpers that are too long to inline. ASCII only:
 * log fields are bytes, and locale-dependent case folding would make results
 * depend on the machine.
 */
#include "slice.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

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

size_t slice_count(struct slice s, char c)
{
	size_t count = 0, i = 0;
#if defined(__SSE2__)
	const __m128i want = _mm_set1_epi8(c), zero = _mm_setzero_si128();
	while (s.n - i >= 16) {
		/* each byte lane counts to at most 255 before the lanes are summed */
		__m128i lanes = zero;
		for (int k = 0; k < 255 && s.n - i >= 16; k++, i += 16) {
			__m128i b = _mm_loadu_si128((const __m128i *)(const void *)(s.p + i));
			lanes = _mm_sub_epi8(lanes, _mm_cmpeq_epi8(b, want));
		}
		__m128i sums = _mm_sad_epu8(lanes, zero); /* two 16-bit sums */
		count += (size_t)_mm_cvtsi128_si32(sums) + (size_t)_mm_extract_epi16(sums, 4);
	}
#endif
	for (; i < s.n; i++)
		count += s.p[i] == c;
	return count;
}
