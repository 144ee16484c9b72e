/*
 * rbuf.h - a growing text buffer for the report writers, with the escapes
 * of every context a value from the database can land in, and the number
 * formats a reader sees.
 *
 * Escapes (each tested in tests/unit/test_report.c):
 *   rbuf_html  - HTML text and double-quoted attribute values, and the
 *                same inside inline SVG: & < > " ' as character references;
 *                a byte that is not valid UTF-8 becomes U+FFFD.
 *   rbuf_json  - a JSON string, quotes included, safe inside a <script>
 *                element too: < > & as \u003c \u003e \u0026 (no
 *                "</script>" or "<!--" can form), U+2028/9 escaped.
 *   rbuf_text  - plain text for a terminal: control bytes and invalid
 *                UTF-8 become '?', so a page name cannot move the cursor.
 * A value is written through one of them, never with rbuf_put, which is
 * for logfold's own markup only.
 *
 * Memory: the buffer doubles as it grows; an allocation failure is
 * remembered (rbuf_failed) and every later call does nothing, so a writer
 * checks once at the end. No limit of its own: the report's cuts
 * (report.h) bound what is written.
 */
#ifndef LF_RBUF_H
#define LF_RBUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct rbuf {
	char *p; /* NUL-terminated while not failed */
	size_t n, cap;
	bool failed;
};

void rbuf_init(struct rbuf *b);
void rbuf_free(struct rbuf *b);

/* Empty b, keeping its memory. */
static inline void rbuf_clear(struct rbuf *b)
{
	b->n = 0;
	if (b->p)
		b->p[0] = '\0';
}

static inline bool rbuf_failed(const struct rbuf *b)
{
	return b->failed;
}

/* logfold's own text, as is. */
void rbuf_put(struct rbuf *b, const char *s, size_t n);
void rbuf_puts(struct rbuf *b, const char *s);
void rbuf_printf(struct rbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A value, escaped for its context (above); n bytes of s. */
void rbuf_html(struct rbuf *b, const char *s, size_t n);
void rbuf_json(struct rbuf *b, const char *s, size_t n);
void rbuf_text(struct rbuf *b, const char *s, size_t n);

static inline void rbuf_html_str(struct rbuf *b, const char *s)
{
	rbuf_html(b, s, __builtin_strlen(s));
}

/* The columns a terminal gives s (n bytes): one per character. */
size_t rbuf_text_width(const char *s, size_t n);

/* Numbers as a reader sees them:
 *   rbuf_count      12,345,678 (thousands with commas)
 *   rbuf_percent    part / whole as "12.3%"; "-" when whole is 0
 *   rbuf_change     cur against prev: "+12.3%", "-4.0%", "0.0%"; "new" when
 *                   prev is 0 and cur is not; "-" when both are 0
 *   rbuf_points     a change of a rate in percentage points: "+1.5 pts"
 *   rbuf_duration   seconds as "45 s", "3 min 05 s", "2 h 07 min"
 *   rbuf_ms         milliseconds as "850 ms", "1.25 s", "12.5 s"
 *   rbuf_short      a count for an axis: 950, 1.2k, 12k, 3.4M
 * Rounding is half up, on integers, so that a test (or SQL) can repeat it. */
void rbuf_count(struct rbuf *b, uint64_t v);
void rbuf_percent(struct rbuf *b, uint64_t part, uint64_t whole);
void rbuf_change(struct rbuf *b, uint64_t cur, uint64_t prev);
void rbuf_points(struct rbuf *b, int64_t tenths);
void rbuf_duration(struct rbuf *b, uint64_t seconds);
void rbuf_ms(struct rbuf *b, uint64_t ms);
void rbuf_short(struct rbuf *b, uint64_t v);

/* part / whole in tenths of a percent, rounded half up (0 when whole is 0). */
uint64_t rbuf_permille(uint64_t part, uint64_t whole);

#endif
