/*
 * host.c - host names (see host.h). Two passes over at most a few hundred
 * bytes: the first finds the host and checks it, the second writes it, so
 * that a refused value is left as it was given. Nothing is allocated: the
 * virtual host of every log line comes through here.
 */
#include "host.h"

#include <stdint.h>
#include <string.h>

static bool is_label_byte(char c)
{
	c = ascii_lower(c);
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

static bool all_digits(struct slice s)
{
	for (size_t i = 0; i < s.n; i++)
		if (s.p[i] < '0' || s.p[i] > '9')
			return false;
	return true;
}

/* "[v6]": hex digits, ':' and '.' in brackets, one ':' at least. */
static bool is_v6(struct slice s)
{
	bool colon = false;
	if (s.n < 3 || s.p[0] != '[' || s.p[s.n - 1] != ']')
		return false;
	for (size_t i = 1; i + 1 < s.n; i++) {
		unsigned char c = (unsigned char)s.p[i];
		if (c != ':' && c != '.' && hex_digit(c) < 0)
			return false;
		colon |= c == ':';
	}
	return colon;
}

/* Labels of 1 to HOST_LABEL_MAX label bytes, joined by single dots. */
static bool is_name(struct slice s)
{
	size_t label = 0;
	for (size_t i = 0; i < s.n; i++) {
		if (s.p[i] == '.') {
			if (label == 0)
				return false;
			label = 0;
		} else if (!is_label_byte(s.p[i]) || ++label > HOST_LABEL_MAX) {
			return false;
		}
	}
	return label > 0;
}

/* The length of s's host: up to its port, which must be digits and
 * allowed; SIZE_MAX when there is a port and there may not be. */
static size_t host_length(struct slice s, unsigned flags)
{
	const char *end = NULL;
	if (s.n && s.p[0] == '[') {
		end = memchr(s.p, ']', s.n);
		end = end ? end + 1 : NULL;
	} else if (s.n) {
		end = memchr(s.p, ':', s.n);
	}
	if (!end || end == s.p + s.n)
		return s.n;
	size_t n = (size_t)(end - s.p);
	if (!(flags & (HOST_PORT | HOST_URL)) || *end != ':' ||
	    !all_digits(slice_make(end + 1, s.n - n - 1)))
		return SIZE_MAX;
	return n;
}

bool host_normalize(struct slice s, unsigned flags, char *out, struct slice *host)
{
	if (flags & HOST_URL) { /* the user part is dropped unread */
		const char *at = s.n ? memrchr(s.p, '@', s.n) : NULL;
		if (at)
			s = slice_make(at + 1, s.n - (size_t)(at + 1 - s.p));
	}
	size_t n = host_length(s, flags);
	if (n == SIZE_MAX)
		return false;
	struct slice h = slice_make(s.p, n);
	bool v6 = n && s.p[0] == '[';
	if (!v6 && n > 1 && s.p[n - 1] == '.')
		h.n--; /* "example.org." (the root's dot) is example.org */
	if (h.n == 0 || h.n > HOST_MAX || !(v6 ? is_v6(h) : is_name(h)))
		return false;
	if (!out)
		return true;
	for (size_t i = 0; i < h.n; i++) /* forward: safe when out is s.p */
		out[i] = ascii_lower(h.p[i]);
	out[h.n] = '\0';
	if (host)
		*host = slice_make(out, h.n);
	return true;
}
