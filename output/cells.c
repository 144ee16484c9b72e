/*
 * cells.c - decimal numbers, the inputs JSON array and error messages for
 * the sinks. Hand-written rather than printf: a sink formats eight numbers
 * per row and a run can write millions of rows. No I/O, no globals.
 */
#include "cells.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

size_t cells_u64(char *buf, uint64_t v)
{
	char tmp[CELLS_U64_MAX];
	size_t i = sizeof(tmp);

	do {
		tmp[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	memcpy(buf, tmp + i, sizeof(tmp) - i);
	return sizeof(tmp) - i;
}

/*
 * Length of the well-formed UTF-8 sequence at s (Unicode 15, table 3-7: no
 * overlong forms, no surrogates, nothing above U+10FFFF), or 0 when the
 * byte at s does not start one. At most avail bytes are read; a NUL is
 * never a continuation byte, so the look-ahead also stops at one.
 */
size_t cells_utf8_len(const unsigned char *s, size_t avail)
{
	unsigned char c = s[0], lo = 0x80, hi = 0xbf;
	size_t n;

	if (c < 0x80)
		return 1;
	if (c < 0xc2 || c > 0xf4)
		return 0;
	n = c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
	if (n > avail)
		return 0;
	if (c == 0xe0)
		lo = 0xa0;
	else if (c == 0xed)
		hi = 0x9f;
	else if (c == 0xf0)
		lo = 0x90;
	else if (c == 0xf4)
		hi = 0x8f;
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < n; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return n;
}

/* Append name as a JSON string at p; return the new end. Each input byte
 * takes at most 6 output bytes (\u001f, or \ufffd for a stray byte). */
char *cells_json_string(char *p, const char *name)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *s = (const unsigned char *)name;

	*p++ = '"';
	while (*s) {
		size_t k = cells_utf8_len(s, 4); /* NUL-terminated: stops at the end */
		if (k == 0) {
			memcpy(p, "\\ufffd", 6);
			p += 6;
			s++;
		} else if (*s == '"' || *s == '\\') {
			*p++ = '\\';
			*p++ = (char)*s++;
		} else if (*s < 0x20) {
			memcpy(p, "\\u00", 4);
			p[4] = hex[*s >> 4];
			p[5] = hex[*s & 15];
			p += 6;
			s++;
		} else {
			memcpy(p, s, k);
			p += k;
			s += k;
		}
	}
	*p++ = '"';
	return p;
}

/* The fixed text around one input: {"name":"","lines":} and a comma. */
#define JSON_INPUT_FIXED (sizeof("{\"name\":\"\",\"lines\":},") - 1)

enum lf_status cells_inputs_json(const struct run_input *in, size_t n, char **out, size_t *len)
{
	size_t cap = sizeof("[]"); /* brackets and the NUL */
	char *buf, *p;

	for (size_t i = 0; i < n; i++) {
		size_t name = strlen(in[i].name);
		size_t need = JSON_INPUT_FIXED + CELLS_U64_MAX;
		if (name > (SIZE_MAX - need - cap) / 6)
			return LF_ERR_NOMEM;
		cap += need + 6 * name;
	}
	buf = malloc(cap);
	if (!buf)
		return LF_ERR_NOMEM;
	p = buf;
	*p++ = '[';
	for (size_t i = 0; i < n; i++) {
		if (i)
			*p++ = ',';
		memcpy(p, "{\"name\":", 8);
		p = cells_json_string(p + 8, in[i].name);
		memcpy(p, ",\"lines\":", 9);
		p += 9;
		p += cells_u64(p, in[i].lines);
		*p++ = '}';
	}
	*p++ = ']';
	*p = '\0';
	*out = buf;
	*len = (size_t)(p - buf);
	return LF_OK;
}

void cells_run_counts(const struct run_info *r, uint64_t v[CELLS_RUN_NCOUNTS])
{
	v[0] = r->lines;
	v[1] = r->pageviews;
	for (size_t i = 0; i < SKIP_NREASONS; i++)
		v[2 + i] = r->skipped[i];
	v[2 + SKIP_NREASONS] = r->beacon;
}

const char *cells_run_column(int i)
{
	static const char *const head[] = { "started", "version", "inputs", "lines", "pageviews" };
	if (i < 5)
		return head[i];
	if (i < 5 + SKIP_NREASONS)
		return skip_reason_names[i - 5];
	return "beacon";
}

void cells_error(char *buf, size_t len, const char *verb, const char *subject, const char *cause)
{
	if (len)
		snprintf(buf, len, "cannot %s '%s': %s", verb, subject, cause);
}
