/*
 * rxset.c - first-match regex lists with a literal prefilter.
 *
 * The literal reader understands the PCRE syntax uap-core and the crawler
 * list use: escapes, classes, groups (capturing, (?:, named, look-around),
 * alternation and quantifiers. It walks a sequence atom by atom: a plain
 * or escaped punctuation character extends the current run of literal
 * text, anything else ends it; an atom that may repeat zero times is not
 * required; a group is entered only when it is required and has no '|' at
 * its own level. Whatever it does not understand ends the run, which only
 * makes the prefilter weaker, never wrong.
 */
#include "rxset.h"

#include <stdlib.h>
#include <string.h>

struct lits {
	char run[RXSET_LIT_MAX], best[RXSET_LIT_MAX];
	size_t run_len, best_len;
};

static char lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
}

static void flush(struct lits *l)
{
	if (l->run_len > l->best_len) {
		memcpy(l->best, l->run, l->run_len);
		l->best_len = l->run_len;
	}
	l->run_len = 0;
}

static void add_char(struct lits *l, char c)
{
	if (l->run_len == RXSET_LIT_MAX - 1)
		flush(l); /* a cut literal is still required */
	l->run[l->run_len++] = lower(c);
}

/* End of the class starting at s ('['), or e when unterminated. */
static const char *class_end(const char *s, const char *e)
{
	const char *j = s + 1;
	if (j < e && *j == '^')
		j++;
	if (j < e && *j == ']')
		j++;
	while (j < e && *j != ']')
		j += (*j == '\\') ? 2 : 1;
	return j < e ? j + 1 : e;
}

/* The ')' closing the group opened at s, or NULL. */
static const char *group_end(const char *s, const char *e)
{
	int depth = 0;
	for (const char *j = s; j < e;) {
		if (*j == '\\') {
			j += 2;
			continue;
		}
		if (*j == '[') {
			j = class_end(j, e);
			continue;
		}
		if (*j == '(')
			depth++;
		else if (*j == ')' && --depth == 0)
			return j;
		j++;
	}
	return NULL;
}

/* Is there a '|' at the top level of [s, e)? */
static bool has_alternation(const char *s, const char *e)
{
	for (const char *j = s; j < e;) {
		if (*j == '\\') {
			j += 2;
		} else if (*j == '[') {
			j = class_end(j, e);
		} else if (*j == '(') {
			const char *g = group_end(j, e);
			if (!g)
				return true; /* unbalanced: give up */
			j = g + 1;
		} else if (*j == '|') {
			return true;
		} else {
			j++;
		}
	}
	return false;
}

/* Read a quantifier at q. *optional: may repeat zero times; returns the
 * end of the quantifier (q itself when there is none); *quant: one found. */
static const char *quantifier(const char *q, const char *e, bool *optional, bool *quant)
{
	*optional = *quant = false;
	if (q >= e)
		return q;
	if (*q == '?' || *q == '*' || *q == '+') {
		*optional = *q != '+';
		*quant = true;
		q++;
	} else if (*q == '{' && q + 1 < e && q[1] >= '0' && q[1] <= '9') {
		const char *c = memchr(q, '}', (size_t)(e - q));
		if (!c)
			return q;
		*optional = strtol(q + 1, NULL, 10) == 0;
		*quant = true;
		q = c + 1;
	} else {
		return q;
	}
	if (q < e && (*q == '?' || *q == '+')) /* lazy or possessive */
		q++;
	return q;
}

/* The content of the group at g ('(' .. end ')'), or NULL when it is not
 * a group that consumes text (look-around, option setting). */
static const char *group_body(const char *g, const char *end)
{
	if (g[1] != '?')
		return g + 1;
	if (g + 2 < end && g[2] == ':')
		return g + 3;
	if (g + 2 < end && (g[2] == '<' || g[2] == 'P') && g + 3 < end && g[3] != '=' &&
	    g[3] != '!') {
		const char *gt = memchr(g, '>', (size_t)(end - g));
		return gt ? gt + 1 : NULL;
	}
	return NULL;
}

static void scan(const char *s, const char *e, struct lits *l, int depth);

/* One atom at i; returns where the next starts. */
static const char *atom(const char *i, const char *e, struct lits *l, int depth)
{
	const char *next;
	const char *body = NULL, *gend = NULL;
	char lit = 0;
	bool is_lit = false;
	if (*i == '\\') {
		if (i + 1 >= e)
			return e;
		unsigned char n = (unsigned char)i[1];
		bool word = (n >= '0' && n <= '9') || ((n | 0x20) >= 'a' && (n | 0x20) <= 'z');
		if (word && strchr("xpPQEcNkg", n))
			return NULL; /* multi-character escapes: stop reading */
		is_lit = !word && n < 0x80;
		lit = (char)n;
		next = i + 2;
	} else if (*i == '[') {
		next = class_end(i, e);
	} else if (*i == '(') {
		gend = group_end(i, e);
		if (!gend)
			return NULL;
		body = group_body(i, gend);
		next = gend + 1;
	} else {
		is_lit = !strchr(".^$|)?*+{", *i);
		lit = *i;
		next = i + 1;
	}
	bool optional, quant;
	const char *after = quantifier(next, e, &optional, &quant);
	if (is_lit && !optional) {
		add_char(l, lit);
		if (quant)
			flush(l);
		return after;
	}
	flush(l);
	if (body && !optional && depth < 16 && !has_alternation(body, gend))
		scan(body, gend, l, depth + 1);
	return after;
}

static void scan(const char *s, const char *e, struct lits *l, int depth)
{
	for (const char *i = s; i && i < e;)
		i = atom(i, e, l, depth);
	flush(l);
}

size_t rxset_literal(const char *pattern, char *out, size_t outlen)
{
	struct lits l = { .run_len = 0, .best_len = 0 };
	const char *e = pattern + strlen(pattern);
	if (!has_alternation(pattern, e))
		scan(pattern, e, &l, 0);
	size_t n = l.best_len < outlen ? l.best_len : outlen - 1;
	memcpy(out, l.best, n);
	out[n] = '\0';
	return n;
}

static inline unsigned trigram(const char *p)
{
	uint32_t k = (uint32_t)(unsigned char)p[0] << 16 | (uint32_t)(unsigned char)p[1] << 8 |
		     (unsigned char)p[2];
	return (unsigned)((k * 0x9E3779B1u) >> 19); /* 13 bits: RXSET_BITS */
}

_Static_assert(RXSET_BITS == 1 << 13, "trigram() yields 13 bits");

void rxset_init(struct rxset *set)
{
	memset(set, 0, sizeof(*set));
}

enum lf_status rxset_add(struct rxset *set, const char *pattern, unsigned flags, char *err,
			 size_t errlen)
{
	if (set->n == set->cap) {
		size_t cap = set->cap ? set->cap * 2 : 64;
		struct rxset_rule *r = realloc(set->rules, cap * sizeof(*r));
		if (!r)
			return LF_ERR_NOMEM;
		set->rules = r;
		set->cap = cap;
	}
	struct rxset_rule *r = &set->rules[set->n];
	memset(r, 0, sizeof(*r));
	enum lf_status st = regex_compile(&r->re, pattern, flags, err, errlen);
	if (st != LF_OK)
		return st;
	r->lit_len = (uint8_t)rxset_literal(pattern, r->lit, sizeof(r->lit));
	/* Trigrams spread over the literal: first, last, and between. */
	int ntri = r->lit_len >= 3 ? r->lit_len - 2 : 0;
	int want = ntri < RXSET_TRIGRAMS ? ntri : RXSET_TRIGRAMS;
	for (int k = 0; k < want; k++) {
		int at = want == 1 ? 0 : k * (ntri - 1) / (want - 1);
		r->tri[r->ntri++] = (uint16_t)trigram(r->lit + at);
	}
	set->n++;
	return LF_OK;
}

void rxset_prepare(struct rxset_subject *sub, struct slice s, char *buf)
{
	sub->s = s;
	memset(sub->bits, 0, sizeof(sub->bits));
	for (size_t i = 0; i < s.n; i++)
		buf[i] = lower(s.p[i]);
	sub->lower = slice_make(buf, s.n);
	for (size_t i = 0; i + 3 <= s.n; i++) {
		unsigned t = trigram(buf + i);
		sub->bits[t >> 6] |= 1ull << (t & 63);
	}
}

static bool may_match(const struct rxset_rule *r, const struct rxset_subject *sub)
{
	if (r->lit_len == 0)
		return true;
	for (int k = 0; k < r->ntri; k++)
		if (!(sub->bits[r->tri[k] >> 6] & (1ull << (r->tri[k] & 63))))
			return false;
	return sub->lower.n >= r->lit_len &&
	       memmem(sub->lower.p, sub->lower.n, r->lit, r->lit_len) != NULL;
}

int rxset_first(struct rxset *set, const struct rxset_subject *sub, bool prefilter,
		struct slice cap[REGEX_MAX_CAPS])
{
	for (size_t i = 0; i < set->n; i++) {
		const struct rxset_rule *r = &set->rules[i];
		if (prefilter && !may_match(r, sub))
			continue;
		set->tried++;
		int n = regex_match(r->re, sub->s, cap, REGEX_MAX_CAPS);
		if (n > 0) {
			for (int k = n; k < REGEX_MAX_CAPS; k++)
				cap[k] = (struct slice){ NULL, 0 };
			return (int)i;
		}
	}
	return -1;
}

void rxset_release(struct rxset *set)
{
	for (size_t i = 0; i < set->n; i++)
		regex_free(set->rules[i].re);
	free(set->rules);
	memset(set, 0, sizeof(*set));
}
