/*
 * rxset.c - first-match regex lists with a literal prefilter.
 *
 * The literal reader understands the PCRE syntax uap-core and the crawler
 * list use: escapes, classes, groups (capturing, (?:, named, look-around),
 * alternation and quantifiers. It walks a sequence atom by atom: a plain
 * or escaped punctuation character extends the current run of literal
 * text, anything else ends it; an atom that may repeat zero times is not
 * required; a group is entered only when it is required and has no '|' at
 * its own level. Each run of literal text is a requirement of the regex; a
 * required group with alternatives gives one requirement: the set of each
 * alternative's longest literal (when every alternative has one).
 * Whatever it does not understand ends the run, which only makes the
 * prefilter weaker, never wrong.
 */
#include "rxset.h"

#include <stdlib.h>
#include <string.h>

#include "../../common/grow.h"

/* A requirement while reading: n literals, any one of which must occur. */
struct req {
	int n;
	char lit[RXSET_ALTS][RXSET_LIT_MAX];
	size_t len[RXSET_ALTS];
};

/* What the reader collects: the current run, the longest run seen, and the
 * best RXSET_REQS requirements by score (the length of their shortest
 * literal). reqs is NULL when only the longest run is wanted. */
struct lits {
	char run[RXSET_LIT_MAX], best[RXSET_LIT_MAX];
	size_t run_len, best_len;
	struct req *reqs;
	int nreqs;
};

static size_t req_score(const struct req *r)
{
	size_t m = SIZE_MAX;
	for (int i = 0; i < r->n; i++)
		if (r->len[i] < m)
			m = r->len[i];
	return m;
}

/* *dst = *src, but only the literals it has (a req is 10 KiB: copying
 * and clearing whole ones was most of loading uap-core's regexes). */
static void req_copy(struct req *dst, const struct req *src)
{
	dst->n = src->n;
	for (int i = 0; i < src->n; i++) {
		memcpy(dst->lit[i], src->lit[i], src->len[i]);
		dst->len[i] = src->len[i];
	}
}

/* Keep r when it scores among the best RXSET_REQS. */
static void keep_req(struct lits *l, const struct req *r)
{
	if (!l->reqs || r->n == 0 || req_score(r) < RXSET_LIT_MIN)
		return;
	if (l->nreqs < RXSET_REQS) {
		req_copy(&l->reqs[l->nreqs++], r);
		return;
	}
	int worst = 0;
	for (int i = 1; i < RXSET_REQS; i++)
		if (req_score(&l->reqs[i]) < req_score(&l->reqs[worst]))
			worst = i;
	if (req_score(r) > req_score(&l->reqs[worst]))
		req_copy(&l->reqs[worst], r);
}

static void flush(struct lits *l)
{
	if (l->run_len > l->best_len) {
		memcpy(l->best, l->run, l->run_len);
		l->best_len = l->run_len;
	}
	if (l->run_len) {
		struct req r; /* only n and the first literal are read */
		r.n = 1;
		memcpy(r.lit[0], l->run, l->run_len);
		r.len[0] = l->run_len;
		keep_req(l, &r);
	}
	l->run_len = 0;
}

static void add_char(struct lits *l, char c)
{
	if (l->run_len == RXSET_LIT_MAX - 1)
		flush(l); /* a cut literal is still required */
	l->run[l->run_len++] = ascii_lower(c);
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

/* The end of the branch starting at s: the next top-level '|' or e; NULL
 * when a group in it is not closed. */
static const char *branch_end(const char *s, const char *e)
{
	for (const char *j = s; j < e;) {
		if (*j == '\\') {
			j += 2;
		} else if (*j == '[') {
			j = class_end(j, e);
		} else if (*j == '(') {
			const char *g = group_end(j, e);
			if (!g)
				return NULL;
			j = g + 1;
		} else if (*j == '|') {
			return j;
		} else {
			j++;
		}
	}
	return e;
}

/* Is there a '|' at the top level of [s, e)? Also true when a group is not
 * closed: then nothing in [s, e) is known to be required. */
static bool has_alternation(const char *s, const char *e)
{
	const char *b = branch_end(s, e);
	return !b || b < e;
}

static void scan(const char *s, const char *e, struct lits *l, int depth);

/* The alternatives of [s, e) as one requirement: each one's longest
 * literal. n = 0 when one has none or there are too many. */
static void alternatives(const char *s, const char *e, int depth, struct req *r)
{
	r->n = 0;
	for (const char *b = s;;) {
		const char *be = branch_end(b, e);
		if (!be) {
			r->n = 0;
			return;
		}
		struct lits one = { .run_len = 0, .best_len = 0, .reqs = NULL };
		scan(b, be, &one, depth + 1);
		if (r->n == RXSET_ALTS || one.best_len == 0) {
			r->n = 0;
			return;
		}
		memcpy(r->lit[r->n], one.best, one.best_len);
		r->len[r->n++] = one.best_len;
		if (be >= e)
			return;
		b = be + 1;
	}
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
		/* [Bb]: one letter in both cases, a literal for a reader that
		 * ignores case anyway */
		if (next - i == 4 && ascii_lower(i[1]) == ascii_lower(i[2]) && i[1] != i[2] &&
		    ascii_lower(i[1]) >= 'a' && ascii_lower(i[1]) <= 'z') {
			is_lit = true;
			lit = i[1];
		}
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
	if (!body || optional || depth >= 16)
		return after;
	if (!has_alternation(body, gend)) {
		scan(body, gend, l, depth + 1);
	} else if (l->reqs) {
		struct req r;
		alternatives(body, gend, depth, &r);
		keep_req(l, &r);
	}
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
	struct lits l = { .run_len = 0, .best_len = 0, .reqs = NULL };
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

/* A literal into the pool; its offset in *off. */
static enum lf_status pool_put(struct rxset *set, const char *lit, size_t n, uint32_t *off)
{
	if (!GROW(set->pool, set->pool_cap, set->pool_len + n, 4096))
		return LF_ERR_NOMEM;
	memcpy(set->pool + set->pool_len, lit, n);
	*off = (uint32_t)set->pool_len;
	set->pool_len += n;
	return LF_OK;
}

/* Whether a goes before b: cheapest and most selective first, so fewest
 * literals, then longest. */
static bool req_before(const struct req *a, const struct req *b)
{
	if (a->n != b->n)
		return a->n < b->n;
	return req_score(a) > req_score(b);
}

/* Read pattern's requirements into rule r. */
static enum lf_status add_reqs(struct rxset *set, struct rxset_rule *r, const char *pattern)
{
	struct req reqs[RXSET_REQS];
	struct lits l = { .run_len = 0, .best_len = 0, .reqs = reqs, .nreqs = 0 };
	const char *e = pattern + strlen(pattern);
	if (!has_alternation(pattern, e)) {
		scan(pattern, e, &l, 0);
	} else {
		struct req whole;
		alternatives(pattern, e, 0, &whole);
		keep_req(&l, &whole);
	}
	/* in req_before's order (a stable insertion sort of indices: the
	 * requirements themselves are too large to move) */
	int order[RXSET_REQS];
	for (int q = 0; q < l.nreqs; q++) {
		int at = q;
		for (; at > 0 && req_before(&reqs[q], &reqs[order[at - 1]]); at--)
			order[at] = order[at - 1];
		order[at] = q;
	}
	r->nreq = (uint8_t)l.nreqs;
	for (int q = 0; q < l.nreqs; q++) {
		const struct req *rq = &reqs[order[q]];
		if (!GROW(set->lits, set->lits_cap, set->nlits + (size_t)rq->n, 1024))
			return LF_ERR_NOMEM;
		r->req[q] = (struct rxset_req){ (uint32_t)set->nlits, (uint16_t)rq->n };
		for (int k = 0; k < rq->n; k++) {
			size_t n = rq->len[k];
			struct rxset_lit *lit = &set->lits[set->nlits++];
			enum lf_status st = pool_put(set, rq->lit[k], n, &lit->off);
			if (st != LF_OK)
				return st;
			lit->len = (uint8_t)n;
			lit->tri[0] = (uint16_t)trigram(rq->lit[k]);
			lit->tri[1] = (uint16_t)trigram(rq->lit[k] + n - 3);
		}
	}
	return LF_OK;
}

void rxset_init(struct rxset *set)
{
	memset(set, 0, sizeof(*set));
}

enum lf_status rxset_add(struct rxset *set, const char *pattern, unsigned flags, char *err,
			 size_t errlen)
{
	if (!GROW(set->rules, set->cap, set->n + 1, 64))
		return LF_ERR_NOMEM;
	struct rxset_rule *r = &set->rules[set->n];
	memset(r, 0, sizeof(*r));
	enum lf_status st = regex_compile(&r->re, pattern, flags, err, errlen);
	if (st != LF_OK)
		return st;
	st = add_reqs(set, r, pattern);
	if (st != LF_OK) {
		regex_free(r->re);
		return st;
	}
	set->n++;
	return LF_OK;
}

void rxset_prepare(struct rxset_subject *sub, struct slice s, char *buf)
{
	sub->s = s;
	memset(sub->bits, 0, sizeof(sub->bits));
	for (size_t i = 0; i < s.n; i++)
		buf[i] = ascii_lower(s.p[i]);
	sub->lower = slice_make(buf, s.n);
	for (size_t i = 0; i + 3 <= s.n; i++) {
		unsigned t = trigram(buf + i);
		sub->bits[t >> 6] |= 1ull << (t & 63);
	}
}

static inline bool has_tri(const struct rxset_subject *sub, unsigned t)
{
	return sub->bits[t >> 6] & (1ull << (t & 63));
}

/* Whether lit (n >= 1 bytes) occurs in hay: each place of its first byte
 * (memchr) compared. Subjects are short (an agent) and literals a few
 * letters, where this beats memmem's set-up for each call. */
static bool has_lit(struct slice hay, const char *lit, size_t n)
{
	if (hay.n < n)
		return false;
	const char *p = hay.p, *end = hay.p + (hay.n - n) + 1;
	while ((p = memchr(p, lit[0], (size_t)(end - p))) != NULL) {
		if (memcmp(p + 1, lit + 1, n - 1) == 0)
			return true;
		p++;
	}
	return false;
}

static bool may_match(const struct rxset *set, const struct rxset_rule *r,
		      const struct rxset_subject *sub)
{
	for (int q = 0; q < r->nreq; q++) {
		const struct rxset_lit *lit = &set->lits[r->req[q].first];
		bool met = false;
		for (int k = 0; k < r->req[q].n && !met; k++, lit++)
			met = has_tri(sub, lit->tri[0]) && has_tri(sub, lit->tri[1]) &&
			      has_lit(sub->lower, set->pool + lit->off, lit->len);
		if (!met)
			return false;
	}
	return true;
}

/* Free the index (rules were added: it is built again). */
static void index_drop(struct rxset *set)
{
	free(set->first);
	free(set->by_tri);
	free(set->always);
	free(set->cand);
	free(set->keyed);
	set->first = set->by_tri = NULL;
	set->always = set->cand = set->keyed = NULL;
	set->indexed = 0;
}

/* The trigram a literal is indexed by: of its trigrams, the one fewest
 * key literals have (freq: count_trigrams), so that a common word's first
 * letters admit few rules. Every trigram of a literal is in a subject that
 * contains it. */
static unsigned key_trigram(const struct rxset *set, const struct rxset_lit *lit,
			    const uint32_t *freq)
{
	const char *p = set->pool + lit->off;
	unsigned best = lit->tri[0];
	for (size_t i = 1; i + 3 <= lit->len; i++) {
		unsigned t = trigram(p + i);
		if (freq[t] < freq[best])
			best = t;
	}
	return best;
}

/* How many of the rules' key literals (those of each rule's first
 * requirement) have each trigram, into freq (RXSET_BITS, zeroed). */
static void count_trigrams(const struct rxset *set, uint32_t *freq)
{
	for (size_t i = 0; i < set->n; i++) {
		const struct rxset_rule *r = &set->rules[i];
		if (!r->nreq)
			continue;
		const struct rxset_lit *lit = &set->lits[r->req[0].first];
		for (int k = 0; k < r->req[0].n; k++)
			for (size_t j = 0; j + 3 <= lit[k].len; j++)
				freq[trigram(set->pool + lit[k].off + j)]++;
	}
}

/* Call fn(set, t, i) for each trigram t that admits rule i: the key trigram
 * of each literal of its first requirement (every requirement must be met,
 * so a subject that has none of these cannot match). */
static void each_key(struct rxset *set, size_t i, const uint32_t *freq,
		     void (*fn)(struct rxset *, unsigned, uint32_t))
{
	const struct rxset_rule *r = &set->rules[i];
	if (!r->nreq)
		return;
	const struct rxset_lit *lit = &set->lits[r->req[0].first];
	for (int k = 0; k < r->req[0].n; k++)
		fn(set, key_trigram(set, &lit[k], freq), (uint32_t)i);
}

static void count_key(struct rxset *set, unsigned t, uint32_t i)
{
	(void)i;
	set->first[t + 1]++;
}

static void put_key(struct rxset *set, unsigned t, uint32_t i)
{
	/* first[t] is used as the fill point, restored afterwards */
	set->by_tri[set->first[t]++] = i;
}

/* Build the index of rules[0 .. n - 1]; false when memory lacks. */
static bool index_build(struct rxset *set)
{
	index_drop(set);
	size_t words = (set->n + 63) / 64, keys = 0;
	uint32_t *freq = calloc(RXSET_BITS, sizeof(*freq));
	set->first = calloc(RXSET_BITS + 1, sizeof(*set->first));
	set->always = calloc(words ? words : 1, sizeof(*set->always));
	set->cand = calloc(words ? words : 1, sizeof(*set->cand));
	set->keyed = calloc(RXSET_BITS / 64, sizeof(*set->keyed));
	if (!freq || !set->first || !set->always || !set->cand || !set->keyed)
		goto fail;
	count_trigrams(set, freq);
	for (size_t i = 0; i < set->n; i++) {
		each_key(set, i, freq, count_key);
		if (!set->rules[i].nreq)
			set->always[i / 64] |= 1ull << (i % 64);
	}
	for (unsigned t = 0; t < RXSET_BITS; t++) {
		if (set->first[t + 1])
			set->keyed[t / 64] |= 1ull << (t % 64);
		set->first[t + 1] += set->first[t];
	}
	keys = set->first[RXSET_BITS];
	set->by_tri = malloc((keys ? keys : 1) * sizeof(*set->by_tri));
	if (!set->by_tri)
		goto fail;
	for (size_t i = 0; i < set->n; i++)
		each_key(set, i, freq, put_key);
	for (unsigned t = RXSET_BITS; t > 0; t--) /* undo put_key's shift */
		set->first[t] = set->first[t - 1];
	set->first[0] = 0;
	set->indexed = set->n;
	free(freq);
	return true;
fail:
	free(freq);
	index_drop(set);
	return false;
}

/* Rule i, admitted: its captures when it matches. */
static int try_rule(struct rxset *set, size_t i, const struct rxset_subject *sub, bool prefilter,
		    struct slice cap[REGEX_MAX_CAPS])
{
	const struct rxset_rule *r = &set->rules[i];
	if (prefilter && !may_match(set, r, sub))
		return 0;
	set->tried++;
	int n = regex_match(r->re, sub->s, cap, REGEX_MAX_CAPS);
	for (int k = n > 0 ? n : REGEX_MAX_CAPS; k < REGEX_MAX_CAPS; k++)
		cap[k] = (struct slice){ NULL, 0 };
	return n;
}

/* The rules the subject's trigrams admit, and those always checked, into
 * set->cand. */
static void admit(struct rxset *set, const struct rxset_subject *sub)
{
	size_t words = (set->n + 63) / 64;
	memcpy(set->cand, set->always, words * sizeof(*set->cand));
	for (unsigned w = 0; w < RXSET_BITS / 64; w++)
		for (uint64_t b = sub->bits[w] & set->keyed[w]; b; b &= b - 1) {
			unsigned t = w * 64 + (unsigned)__builtin_ctzll(b);
			for (uint32_t k = set->first[t]; k < set->first[t + 1]; k++)
				set->cand[set->by_tri[k] / 64] |= 1ull << (set->by_tri[k] % 64);
		}
}

int rxset_first(struct rxset *set, const struct rxset_subject *sub, bool prefilter,
		struct slice cap[REGEX_MAX_CAPS])
{
	if (!prefilter || (set->indexed != set->n && !index_build(set))) {
		for (size_t i = 0; i < set->n; i++)
			if (try_rule(set, i, sub, prefilter, cap) > 0)
				return (int)i;
		return -1;
	}
	admit(set, sub);
	size_t words = (set->n + 63) / 64;
	for (size_t w = 0; w < words; w++)
		for (uint64_t b = set->cand[w]; b; b &= b - 1) {
			size_t i = w * 64 + (size_t)__builtin_ctzll(b);
			if (try_rule(set, i, sub, true, cap) > 0)
				return (int)i;
		}
	return -1;
}

void rxset_release(struct rxset *set)
{
	for (size_t i = 0; i < set->n; i++)
		regex_free(set->rules[i].re);
	free(set->rules);
	free(set->pool);
	free(set->lits);
	index_drop(set);
	memset(set, 0, sizeof(*set));
}
