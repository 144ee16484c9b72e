/*
 * rbuf.c - the report's text buffer, escapes and number formats (rbuf.h).
 * Numbers are formatted on integers (tenths, seconds), never through
 * printf's floating point, so that every figure rounds the same way here,
 * in the tests and in the SQL the browser test compares with.
 */
#include "rbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/grow.h"
#include "cells.h"

/* The first allocation: a page of HTML is rarely smaller. */
#define RBUF_FIRST (64 * 1024)

void rbuf_init(struct rbuf *b)
{
	memset(b, 0, sizeof(*b));
}

void rbuf_free(struct rbuf *b)
{
	free(b->p);
	memset(b, 0, sizeof(*b));
}

/* Room for n more bytes and a NUL; false (and failed) when there is none. */
static bool reserve(struct rbuf *b, size_t n)
{
	if (b->failed)
		return false;
	if (n > SIZE_MAX - b->n - 1 || !GROW(b->p, b->cap, b->n + n + 1, RBUF_FIRST)) {
		b->failed = true;
		return false;
	}
	return true;
}

void rbuf_put(struct rbuf *b, const char *s, size_t n)
{
	if (!reserve(b, n))
		return;
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = '\0';
}

void rbuf_puts(struct rbuf *b, const char *s)
{
	rbuf_put(b, s, strlen(s));
}

void rbuf_printf(struct rbuf *b, const char *fmt, ...)
{
	char small[256];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->failed = true;
		return;
	}
	if ((size_t)n < sizeof(small)) {
		rbuf_put(b, small, (size_t)n);
		return;
	}
	if (!reserve(b, (size_t)n))
		return;
	va_start(ap, fmt);
	vsnprintf(b->p + b->n, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->n += (size_t)n;
}

/* The UTF-8 sequence at s[i] of n bytes: its length, 0 when invalid. */
static size_t seq_len(const char *s, size_t i, size_t n)
{
	return cells_utf8_len((const unsigned char *)s + i, n - i);
}

void rbuf_html(struct rbuf *b, const char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		size_t k = seq_len(s, i, n);
		switch (k == 1 ? s[i] : 0) {
		case '&': rbuf_puts(b, "&amp;"); break;
		case '<': rbuf_puts(b, "&lt;"); break;
		case '>': rbuf_puts(b, "&gt;"); break;
		case '"': rbuf_puts(b, "&quot;"); break;
		case '\'': rbuf_puts(b, "&#39;"); break;
		default:
			if (k == 0 || (k == 1 && (unsigned char)s[i] < 0x20 && s[i] != '\t'))
				rbuf_puts(b, "\xef\xbf\xbd"); /* U+FFFD */
			else
				rbuf_put(b, s + i, k);
		}
		i += k ? k : 1;
	}
}

void rbuf_json(struct rbuf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	rbuf_put(b, "\"", 1);
	for (size_t i = 0; i < n;) {
		size_t k = seq_len(s, i, n);
		unsigned char c = (unsigned char)s[i];
		if (k == 0) {
			rbuf_puts(b, "\\ufffd");
		} else if (k == 1 && (c == '"' || c == '\\')) {
			char e[2] = { '\\', (char)c };
			rbuf_put(b, e, 2);
		} else if (k == 1 && (c < 0x20 || c == '<' || c == '>' || c == '&')) {
			char e[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };
			rbuf_put(b, e, 6);
		} else if (k == 3 && c == 0xe2 && (unsigned char)s[i + 1] == 0x80 &&
			   ((unsigned char)s[i + 2] & 0xfe) == 0xa8) {
			rbuf_puts(b, (unsigned char)s[i + 2] == 0xa8 ? "\\u2028" : "\\u2029");
		} else {
			rbuf_put(b, s + i, k);
		}
		i += k ? k : 1;
	}
	rbuf_put(b, "\"", 1);
}

void rbuf_text(struct rbuf *b, const char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		size_t k = seq_len(s, i, n);
		const unsigned char *u = (const unsigned char *)s + i;
		/* controls (C0, DEL, C1) and the bidirectional overrides, which
		 * would reorder the rest of the line */
		bool bad = k == 0 || (k == 1 && (u[0] < 0x20 || u[0] == 0x7f)) ||
			   (k == 2 && u[0] == 0xc2 && u[1] < 0xa0) ||
			   (k == 3 && u[0] == 0xe2 &&
			    ((u[1] == 0x80 && u[2] >= 0xaa && u[2] <= 0xae) ||
			     (u[1] == 0x81 && u[2] >= 0xa6 && u[2] <= 0xa9)));
		if (bad)
			rbuf_put(b, "?", 1);
		else
			rbuf_put(b, s + i, k);
		i += k ? k : 1;
	}
}

size_t rbuf_text_width(const char *s, size_t n)
{
	size_t w = 0;
	for (size_t i = 0; i < n; w++) {
		size_t k = seq_len(s, i, n);
		i += k ? k : 1;
	}
	return w;
}

/* ---- numbers -------------------------------------------------------------------- */

void rbuf_count(struct rbuf *b, uint64_t v)
{
	char digits[CELLS_U64_MAX], out[CELLS_U64_MAX + CELLS_U64_MAX / 3];
	size_t n = cells_u64(digits, v), o = 0;
	for (size_t i = 0; i < n; i++) {
		if (i && (n - i) % 3 == 0)
			out[o++] = ',';
		out[o++] = digits[i];
	}
	rbuf_put(b, out, o);
}

uint64_t rbuf_permille(uint64_t part, uint64_t whole)
{
	if (!whole)
		return 0;
	/* (part * 1000 + whole / 2) / whole without overflow for any count a
	 * log can give (part < 2^53) */
	if (part > UINT64_MAX / 1000)
		return (uint64_t)((long double)part * 1000 / (long double)whole + 0.5L);
	return (part * 1000 + whole / 2) / whole;
}

/* tenths as "12.3" */
static void tenths(struct rbuf *b, uint64_t t)
{
	rbuf_count(b, t / 10);
	rbuf_printf(b, ".%u", (unsigned)(t % 10));
}

void rbuf_percent(struct rbuf *b, uint64_t part, uint64_t whole)
{
	if (!whole) {
		rbuf_puts(b, "-");
		return;
	}
	tenths(b, rbuf_permille(part, whole));
	rbuf_puts(b, "%");
}

void rbuf_change(struct rbuf *b, uint64_t cur, uint64_t prev)
{
	if (!prev) {
		rbuf_puts(b, cur ? "new" : "-");
		return;
	}
	bool up = cur >= prev;
	rbuf_puts(b, up ? "+" : "-");
	tenths(b, rbuf_permille(up ? cur - prev : prev - cur, prev));
	rbuf_puts(b, "%");
}

void rbuf_points(struct rbuf *b, int64_t t)
{
	rbuf_puts(b, t >= 0 ? "+" : "-");
	tenths(b, (uint64_t)(t >= 0 ? t : -t));
	rbuf_puts(b, " pts");
}

void rbuf_duration(struct rbuf *b, uint64_t s)
{
	if (s < 60)
		rbuf_printf(b, "%u s", (unsigned)s);
	else if (s < 3600)
		rbuf_printf(b, "%u min %02u s", (unsigned)(s / 60), (unsigned)(s % 60));
	else
		rbuf_printf(b, "%llu h %02u min", (unsigned long long)(s / 3600),
			    (unsigned)(s % 3600 / 60));
}

void rbuf_ms(struct rbuf *b, uint64_t ms)
{
	uint64_t h = (ms + 5) / 10, t = (ms + 50) / 100; /* hundredths, tenths of s */
	if (ms < 1000)
		rbuf_printf(b, "%u ms", (unsigned)ms);
	else if (h < 1000)
		rbuf_printf(b, "%u.%02u s", (unsigned)(h / 100), (unsigned)(h % 100));
	else
		rbuf_printf(b, "%llu.%u s", (unsigned long long)(t / 10), (unsigned)(t % 10));
}

void rbuf_short(struct rbuf *b, uint64_t v)
{
	static const char unit[] = "kMGTPE";
	if (v < 1000) {
		rbuf_printf(b, "%u", (unsigned)v);
		return;
	}
	int u = 0;
	uint64_t div = 1000, t;
	for (;;) {
		/* tenths of the unit, rounded half up: v / (div / 10) */
		t = v / (div / 10) + (v % (div / 10) >= div / 20);
		if (t < 10000 || u == 5)
			break;
		div *= 1000; /* 999,950 is 1.0M, not 1000k */
		u++;
	}
	if (t >= 100)
		rbuf_printf(b, "%llu%c", (unsigned long long)((t + 5) / 10), unit[u]);
	else
		rbuf_printf(b, "%u.%u%c", (unsigned)(t / 10), (unsigned)(t % 10), unit[u]);
}
