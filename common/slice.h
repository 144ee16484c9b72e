/*
 * slice.h - a borrowed view of bytes: pointer and length, never owned,
 * never NUL-terminated by contract. The parsers hand out slices into their
 * read buffer so that no field of a line is ever copied or allocated.
 * A slice is valid only as long as the buffer it points into.
 */
#ifndef LF_SLICE_H
#define LF_SLICE_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

struct slice {
	const char *p;
	size_t n;
};

#define SLICE_LIT(s) ((struct slice){ (s), sizeof(s) - 1 })

static inline struct slice slice_make(const char *p, size_t n)
{
	return (struct slice){ p, n };
}

static inline struct slice slice_cstr(const char *s)
{
	return (struct slice){ s, strlen(s) };
}

static inline bool slice_eq(struct slice a, struct slice b)
{
	return a.n == b.n && (a.n == 0 || memcmp(a.p, b.p, a.n) == 0);
}

static inline bool slice_eq_cstr(struct slice a, const char *s)
{
	return slice_eq(a, slice_cstr(s));
}

/* True when s is empty or the single byte "-", the logs' "no value". */
static inline bool slice_is_dash(struct slice s)
{
	return s.n == 0 || (s.n == 1 && s.p[0] == '-');
}

/* Byte-wise comparison, shorter first on a common prefix: <0, 0, >0. */
static inline int slice_cmp(struct slice a, struct slice b)
{
	size_t n = a.n < b.n ? a.n : b.n;
	int c = n ? memcmp(a.p, b.p, n) : 0;
	if (c)
		return c;
	return (a.n > b.n) - (a.n < b.n);
}

/* The value of a hexadecimal digit, or -1. */
static inline int hex_digit(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* c lower-cased if it is an ASCII capital; any other byte unchanged. */
static inline char ascii_lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
}

/* ASCII case-insensitive test: does s start with prefix? Inline: its
 * prefixes are literals ("https://"), measured and unrolled at compile
 * time, and the referrer of every pageview is tested with it. */
static inline bool slice_istarts(struct slice s, const char *prefix)
{
	size_t n = strlen(prefix);
	if (s.n < n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (ascii_lower(s.p[i]) != ascii_lower(prefix[i]))
			return false;
	return true;
}

/* ASCII case-insensitive search; needle is lower-case. */
bool slice_icontains(struct slice s, const char *needle);

/* How many bytes of s are c (the lines of a span of whole lines: its
 * '\n's). 16 bytes a step where SSE2 is (every x86-64). */
size_t slice_count(struct slice s, char c);

#endif
