/*
 * pagerules.c - opt-out markers and page rules (see pagerules.h).
 *
 * The identifier shapes are hand-written scanners, not regexes: they run on
 * every segment of every pageview and need no engine. They are heuristics
 * and say so: a segment is replaced when it is shaped like an identifier,
 * whether or not it is one, and a slug ("install-debian-12") is left alone
 * even though a page name could in principle identify someone.
 */
#include "pagerules.h"

#include <stdlib.h>
#include <string.h>

#include "../../common/host.h"

/* Longest field name an --optout-field may name: header and variable names
 * are short; 63 leaves room for any real one. */
#define FIELD_NAME_MAX 63

struct page_rules {
	struct page_rules_spec spec;
	struct regex *re[RULE_KINDS][RULES_LIST_MAX]; /* allow, exclude, rewrite */
	struct slice tpl[RULES_LIST_MAX];             /* rewrite templates */
	struct slice oname[2][RULES_LIST_MAX];        /* cookie / field name */
	struct slice oval[2][RULES_LIST_MAX];         /* value; p NULL: any */
	char fname[RULES_LIST_MAX][FIELD_NAME_MAX + 1]; /* field names, lower-case */
};

static bool is_alpha(unsigned char c)
{
	return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
}

static bool is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static bool is_b64url(unsigned char c)
{
	return is_alpha(c) || is_digit(c) || c == '-' || c == '_';
}

/* ---- keep-query names that are never kept ------------------------------ */

/* Does lower contain one of words: anywhere (whole false), or as a word
 * delimited by the string's ends or '_' '-' '.' (whole true)? */
static bool name_has(const char *lower, const char *const *words, bool whole)
{
	for (; *words; words++) {
		size_t n = strlen(*words);
		for (const char *p = strstr(lower, *words); p; p = strstr(p + 1, *words)) {
			bool before = p == lower || strchr("_-.", p[-1]);
			bool after = p[n] == '\0' || strchr("_-.", p[n]);
			if (!whole || (before && after))
				return true;
		}
	}
	return false;
}

/* Why the query parameter name may not be kept, or NULL. By name only: the
 * values are not known until the logs are read. Deliberately broad: a
 * legitimate name caught here ("paid", ends in "id") can be rewritten. */
static const char *refuse_query_name(const char *name)
{
	static const char *const secret_in[] = { "token", "session", "secret", "hash", "nonce",
						 "apikey", "password", "oauth", NULL };
	static const char *const secret_word[] = { "key", "auth", "sig", "sess", "code", "otp",
						   "pwd", "pass", "jwt", NULL };
	static const char *const personal_in[] = { "mail", "user", "login", "phone", NULL };
	static const char *const personal_word[] = { "tel", "name", "ip", "addr", NULL };
	static const char *const id_word[] = { "id", NULL };
	char lower[64];
	size_t n = strlen(name);
	if (n == 0 || n >= sizeof(lower))
		return "a query parameter name of 1 to 63 bytes";
	for (size_t i = 0; i <= n; i++)
		lower[i] = ascii_lower(name[i]);
	for (size_t i = 0; i < n; i++)
		if (!is_b64url((unsigned char)name[i]) && name[i] != '.')
			return "a query parameter name of letters, digits, '-', '_' and '.'";
	if (strncmp(lower, "utm_", 4) == 0)
		return "campaign tags (utm_*) are never kept";
	if ((n >= 2 && strcmp(lower + n - 2, "id") == 0) || name_has(lower, id_word, true) ||
	    strstr(lower, "uuid") || strstr(lower, "clid") || lower[0] == '_')
		return "names like identifiers (id, *id, *_id, uuid, *clid, _*) are never kept";
	if (name_has(lower, secret_in, false) || name_has(lower, secret_word, true))
		return "names like tokens or secrets (token, session, key, auth, sig...) are never "
		       "kept";
	if (name_has(lower, personal_in, false) || name_has(lower, personal_word, true))
		return "names like personal data (mail, user, login, phone, name, ip...) are never "
		       "kept";
	return NULL;
}

/* ---- checking option values --------------------------------------------- */

static const char *check_regex(const char *pattern, size_t n, char *err, size_t errlen)
{
	char *copy = strndup(pattern, n);
	struct regex *re = NULL;
	if (!copy)
		return "out of memory";
	enum lf_status st = regex_compile(&re, copy, 0, err, errlen);
	free(copy);
	regex_free(re);
	if (st == LF_ERR_NOMEM)
		return "out of memory";
	return st == LF_OK ? NULL : err;
}

/* "NAME=VALUE": the offset of '=' or -1. */
static long eq_at(const char *v)
{
	const char *e = strchr(v, '=');
	return e ? e - v : -1;
}

static const char *check_rewrite(const char *v, char *err, size_t errlen)
{
	const char *arrow = strstr(v, "=>");
	if (!arrow || arrow == v || arrow[2] != '/')
		return "REGEX=>TEMPLATE, the template a path starting with '/'";
	for (const char *t = arrow + 2; *t; t++)
		if (*t == '$' && !(t[1] >= '1' && t[1] <= '9') && t[1] != '$')
			return "in the template, '$' is followed by a group 1-9 or '$'";
		else if (*t == '$')
			t++;
	return check_regex(v, (size_t)(arrow - v), err, errlen);
}

static const char *check_optout(const char *v, bool need_value)
{
	long eq = eq_at(v);
	size_t n = eq < 0 ? strlen(v) : (size_t)eq;
	bool bad_name = n == 0 || n > FIELD_NAME_MAX || strcspn(v, " ;\t") < n;
	bool bad_value = eq >= 0 && (v[eq + 1] == '\0' || (!need_value && strchr(v + eq, ';')));
	if (bad_name || bad_value || (need_value && eq < 0))
		return need_value ? "FIELD=VALUE, a field name of 1 to 63 bytes and a value"
				  : "NAME or NAME=VALUE, without spaces or ';' in the name";
	return NULL;
}

/* A host as the referrer's is compared (common/host.h). (The referrer's
 * host is normalised: so must the alias be, by the caller.) */
static const char *check_alias(const char *v)
{
	return host_normalize(slice_cstr(v), 0, NULL, NULL) ? NULL : HOST_WANT;
}

const char *pagerule_check(enum rule_kind kind, const char *value, char *err, size_t errlen)
{
	switch (kind) {
	case RULE_ALLOW:
	case RULE_EXCLUDE:
		return check_regex(value, strlen(value), err, errlen);
	case RULE_REWRITE:
		return check_rewrite(value, err, errlen);
	case RULE_KEEP_QUERY:
		return refuse_query_name(value);
	case RULE_OPTOUT_COOKIE:
		return check_optout(value, false);
	case RULE_OPTOUT_FIELD:
		return check_optout(value, true);
	case RULE_ALIAS:
		return check_alias(value);
	case RULE_KINDS:
		break;
	}
	return "unknown rule";
}

/* ---- compiling ----------------------------------------------------------- */

static enum lf_status compile_one(struct page_rules *r, enum rule_kind k, int i)
{
	const char *v = r->spec.list[k].v[i];
	size_t n = strlen(v);
	if (k == RULE_REWRITE) {
		const char *arrow = strstr(v, "=>");
		n = (size_t)(arrow - v);
		r->tpl[i] = slice_cstr(arrow + 2);
	}
	if (k == RULE_OPTOUT_COOKIE || k == RULE_OPTOUT_FIELD) {
		int o = k == RULE_OPTOUT_FIELD;
		long eq = eq_at(v);
		size_t nn = eq < 0 ? n : (size_t)eq;
		r->oname[o][i] = slice_make(v, nn);
		r->oval[o][i] = eq < 0 ? (struct slice){ NULL, 0 } : slice_cstr(v + eq + 1);
		if (o) { /* raw_field_get wants the lower-case name */
			for (size_t j = 0; j < nn; j++)
				r->fname[i][j] = ascii_lower(v[j]);
			r->fname[i][nn] = '\0';
		}
		return LF_OK;
	}
	if (k == RULE_KEEP_QUERY || k == RULE_ALIAS)
		return LF_OK;
	char *copy = strndup(v, n);
	if (!copy)
		return LF_ERR_NOMEM;
	enum lf_status st = regex_compile(&r->re[k][i], copy, 0, NULL, 0);
	free(copy);
	return st;
}

enum lf_status page_rules_compile(struct page_rules **out, const struct page_rules_spec *spec)
{
	char err[160];
	struct page_rules *r = calloc(1, sizeof(*r));
	if (!r)
		return LF_ERR_NOMEM;
	r->spec = *spec;
	enum lf_status st = LF_OK;
	for (int k = 0; k < RULE_KINDS && st == LF_OK; k++)
		for (int i = 0; i < spec->list[k].n && st == LF_OK; i++)
			if (pagerule_check((enum rule_kind)k, spec->list[k].v[i], err, sizeof(err)))
				st = LF_ERR_USAGE;
			else
				st = compile_one(r, (enum rule_kind)k, i);
	if (st != LF_OK) {
		page_rules_free(r);
		return st;
	}
	*out = r;
	return LF_OK;
}

void page_rules_free(struct page_rules *r)
{
	if (!r)
		return;
	for (int k = 0; k < RULE_KINDS; k++)
		for (int i = 0; i < RULES_LIST_MAX; i++)
			regex_free(r->re[k][i]);
	free(r);
}

/* ---- opt-out ------------------------------------------------------------- */

static struct slice trim(struct slice s)
{
	while (s.n && (s.p[0] == ' ' || s.p[0] == '\t'))
		s = slice_make(s.p + 1, s.n - 1);
	while (s.n && (s.p[s.n - 1] == ' ' || s.p[s.n - 1] == '\t'))
		s.n--;
	return s;
}

/* A cookie's name: trimmed, and in W3C logs (ESC_PLUS) without the '+'
 * that IIS writes for the space after ';' ("a=1;+optout=1"). A name never
 * starts with '+' in practice; a value may hold one, so only names lose it. */
static struct slice cookie_name(struct slice s, enum field_escape e)
{
	s = trim(s);
	while (e == ESC_PLUS && s.n && s.p[0] == '+')
		s = slice_make(s.p + 1, s.n - 1);
	return s;
}

/* The Cookie header "a=1; b=2" holds name (with value val, unless val.p is
 * NULL); e: how the format wrote it. */
static bool cookie_has(struct slice header, enum field_escape e, struct slice name,
		       struct slice val)
{
	const char *p = header.p, *end = header.p + header.n;
	while (p < end) {
		const char *semi = memchr(p, ';', (size_t)(end - p));
		const char *stop = semi ? semi : end;
		struct slice pair = trim(slice_make(p, (size_t)(stop - p)));
		const char *eq = memchr(pair.p, '=', pair.n);
		struct slice n = eq ? slice_make(pair.p, (size_t)(eq - pair.p)) : pair;
		if (slice_eq(cookie_name(n, e), name) &&
		    (!val.p ||
		     (eq &&
		      slice_eq(trim(slice_make(eq + 1, (size_t)(pair.p + pair.n - eq - 1))), val))))
			return true;
		p = stop + 1;
	}
	return false;
}

/* A field by name: an extra field first, then the fields every format
 * names (by the names the documentation gives them). */
static struct slice field_named(const struct raw_fields *f, const char *name)
{
	struct slice v = raw_field_get(f, name);
	if (v.p)
		return v;
	const struct {
		const char *name;
		size_t off;
	} fixed[] = {
		{ "vhost", offsetof(struct raw_fields, vhost) },
		{ "client", offsetof(struct raw_fields, client) },
		{ "status", offsetof(struct raw_fields, status) },
		{ "referer", offsetof(struct raw_fields, referer) },
		{ "user-agent", offsetof(struct raw_fields, agent) },
		{ "request", offsetof(struct raw_fields, request) },
	};
	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		if (strcmp(fixed[i].name, name) == 0)
			return *(const struct slice *)(const void *)((const char *)f + fixed[i].off);
	return (struct slice){ NULL, 0 };
}

static bool header_is_1(const struct raw_fields *f, const char *name)
{
	struct slice v = raw_field_get(f, name);
	return v.p && slice_eq_cstr(trim(v), "1");
}

const char *const *page_rules_aliases(const struct page_rules *r, int *n)
{
	*n = r->spec.list[RULE_ALIAS].n;
	return r->spec.list[RULE_ALIAS].v;
}

bool page_rules_opted_out(const struct page_rules *r, const struct raw_fields *f)
{
	if (r->spec.honor_gpc && header_is_1(f, "sec-gpc"))
		return true;
	if (r->spec.honor_dnt && header_is_1(f, "dnt"))
		return true;
	const struct strlist *cookies = &r->spec.list[RULE_OPTOUT_COOKIE];
	if (cookies->n) {
		struct slice c = raw_field_get(f, "cookie");
		for (int i = 0; c.p && i < cookies->n; i++)
			if (cookie_has(c, f->escape, r->oname[0][i], r->oval[0][i]))
				return true;
	}
	for (int i = 0; i < r->spec.list[RULE_OPTOUT_FIELD].n; i++) {
		struct slice v = field_named(f, r->fname[i]);
		if (v.p && slice_eq(v, r->oval[1][i]))
			return true;
	}
	return false;
}

/* ---- identifier-shaped segments ------------------------------------------ */

/* local@domain.tld, '@' raw or as %40: a non-empty local part, then two
 * or more non-empty labels of letters, digits and '-' joined by '.', the
 * last of 2 or more letters ("@handle", "user@localhost" are not). The
 * domain follows the last '@': the local part may hold one too
 * ("%40john@example.com", "a@b@example.com" are addresses). */
static bool is_email(struct slice s)
{
	size_t at = s.n, skip = 1;
	for (size_t i = s.n; i-- > 0;) {
		if (s.p[i] == '@' ||
		    (s.p[i] == '%' && i + 2 < s.n && s.p[i + 1] == '4' && s.p[i + 2] == '0')) {
			at = i;
			skip = s.p[i] == '%' ? 3 : 1;
			break;
		}
	}
	if (at == 0 || at + skip >= s.n)
		return false;
	size_t labels = 1, len = 0;
	bool letters = true; /* the current label is letters only */
	for (size_t i = at + skip; i < s.n; i++) {
		unsigned char c = (unsigned char)s.p[i];
		if (c == '.') {
			if (len == 0)
				return false;
			labels++;
			len = 0;
			letters = true;
		} else if (is_alpha(c) || is_digit(c) || c == '-') {
			len++;
			letters &= is_alpha(c);
		} else {
			return false;
		}
	}
	return labels >= 2 && len >= 2 && letters;
}

/* 8-4-4-4-12 hex digits. */
static bool is_uuid(struct slice s)
{
	if (s.n != 36)
		return false;
	for (size_t i = 0; i < 36; i++) {
		bool dash = i == 8 || i == 13 || i == 18 || i == 23;
		if (dash ? s.p[i] != '-' : hex_digit((unsigned char)s.p[i]) < 0)
			return false;
	}
	return true;
}

/* A JWT: "eyJ" (base64 of '{"'), then three base64url parts joined by '.'
 * (the signature may be empty: alg none). */
static bool is_jwt(struct slice s)
{
	if (s.n < 10 || memcmp(s.p, "eyJ", 3) != 0)
		return false;
	int dots = 0;
	for (size_t i = 0; i < s.n; i++) {
		if (s.p[i] == '.') {
			bool empty_part = s.p[i - 1] == '.';
			if (++dots > 2 || empty_part)
				return false;
		} else if (!is_b64url((unsigned char)s.p[i])) {
			return false;
		}
	}
	return dots == 2;
}

/*
 * A hex or base64url token: 20 or more characters of [A-Za-z0-9_-] with both
 * letters and digits, and either a piece between '-'/'_' of 20 or more
 * characters, or 3 or more switches between letter and digit inside the
 * pieces. Random tokens switch often (about 5 times in 20 characters of
 * base64); slugs ("how-to-install-debian-12-on-a-laptop") switch rarely.
 */
static bool is_token(struct slice s)
{
	if (s.n < 20)
		return false;
	bool letter = false, digit = false;
	size_t piece = 0, longest = 0;
	int switches = 0;
	for (size_t i = 0; i < s.n; i++) {
		unsigned char c = (unsigned char)s.p[i];
		if (!is_b64url(c))
			return false;
		if (c == '-' || c == '_') {
			piece = 0;
			continue;
		}
		letter |= is_alpha(c);
		digit |= is_digit(c);
		if (piece > 0 && is_digit(c) != is_digit((unsigned char)s.p[i - 1]))
			switches++;
		if (++piece > longest)
			longest = piece;
	}
	return letter && digit && (longest >= 20 || switches >= 3);
}

static bool put(char *buf, size_t *o, const char *s, size_t n)
{
	if (*o + n > PAGE_MAX)
		return false;
	memcpy(buf + *o, s, n);
	*o += n;
	return true;
}

/* One segment, with runs of 10 or more digits replaced by ":num"; the
 * bytes between such runs are copied in one piece. */
static bool put_digits(char *buf, size_t *o, struct slice s)
{
	size_t from = 0, i = 0;
	while (i < s.n) {
		if (!is_digit((unsigned char)s.p[i])) {
			i++;
			continue;
		}
		size_t j = i;
		while (j < s.n && is_digit((unsigned char)s.p[j]))
			j++;
		if (j - i >= 10) {
			if (!put(buf, o, s.p + from, i - from) || !put(buf, o, ":num", 4))
				return false;
			from = j;
		}
		i = j;
	}
	return put(buf, o, s.p + from, s.n - from);
}

/* The stem of a segment: all but a final ".ext" of 1 to 5 letters or
 * digits, so that /invoice/<uuid>.pdf keeps its extension. */
static size_t stem_len(struct slice s)
{
	size_t d = s.n;
	while (d > 0 && s.p[d - 1] != '.')
		d--;
	if (d < 2 || s.n - d < 1 || s.n - d > 5)
		return s.n;
	for (size_t i = d; i < s.n; i++)
		if (!is_alpha((unsigned char)s.p[i]) && !is_digit((unsigned char)s.p[i]))
			return s.n;
	return d - 1;
}

/* A "%XX" escape starts at s.p[i]. */
static bool is_escape(struct slice s, size_t i)
{
	return s.p[i] == '%' && i + 2 < s.n && hex_digit((unsigned char)s.p[i + 1]) >= 0 &&
	       hex_digit((unsigned char)s.p[i + 2]) >= 0;
}

/* Where the piece of s starting at i ends: the next sub-delimiter of a
 * path segment (";jsessionid=", "{uuid}", "a,b"; not '+', '!', '$', '*'
 * or '\'', which an e-mail's local part may hold) or an escape other than
 * "%40" (an e-mail's '@'), or s.n. */
static size_t piece_end(struct slice s, size_t i)
{
	static const bool sub_delim[256] = {
		[';'] = true, [','] = true, ['='] = true, ['&'] = true, [':'] = true, ['('] = true,
		[')'] = true, ['['] = true, [']'] = true, ['{'] = true, ['}'] = true, ['|'] = true,
	};
	for (; i < s.n; i++) {
		if (sub_delim[(unsigned char)s.p[i]])
			return i;
		if (is_escape(s, i) && !(s.p[i + 1] == '4' && s.p[i + 2] == '0'))
			return i;
	}
	return s.n;
}

/* The words of a piece (runs of [A-Za-z0-9_-], between dots, escapes and
 * other bytes, which are kept): a UUID or token word is replaced, the
 * rest as digits ("k8h3...w2.tar.gz", "base64==" once '=' is cut off). */
static bool put_words(char *buf, size_t *o, struct slice s)
{
	size_t i = 0;
	while (i < s.n) {
		if (!is_b64url((unsigned char)s.p[i])) {
			size_t n = is_escape(s, i) ? 3 : 1;
			if (!put(buf, o, s.p + i, n))
				return false;
			i += n;
			continue;
		}
		size_t j = i;
		while (j < s.n && is_b64url((unsigned char)s.p[j]))
			j++;
		struct slice w = slice_make(s.p + i, j - i);
		bool ok = is_uuid(w)    ? put(buf, o, ":uuid", 5)
			  : is_token(w) ? put(buf, o, ":token", 6)
					: put_digits(buf, o, w);
		if (!ok)
			return false;
		i = j;
	}
	return true;
}

/* One piece (or a whole segment): its shape as a whole, else its words. */
static bool put_piece(char *buf, size_t *o, struct slice s)
{
	if (is_email(s))
		return put(buf, o, ":email", 6);
	if (is_jwt(s))
		return put(buf, o, ":token", 6);
	size_t stem = stem_len(s);
	struct slice st = slice_make(s.p, stem), ext = slice_make(s.p + stem, s.n - stem);
	if (is_uuid(st))
		return put(buf, o, ":uuid", 5) && put(buf, o, ext.p, ext.n);
	if (is_token(st))
		return put(buf, o, ":token", 6) && put(buf, o, ext.p, ext.n);
	return put_words(buf, o, s);
}

/*
 * A segment is looked at whole, then piece by piece between its
 * sub-delimiters, then word by word: an identifier hides as well in a path
 * parameter (";jsessionid=0A1B...", ";PHPSESSID=..."), behind an escape
 * ("%3Dtoken"), in braces or before padding ("dXNlcg==") as alone.
 */
static bool put_segment(char *buf, size_t *o, struct slice s)
{
	/* Under 10 bytes only an e-mail address ("a@b.fr") has a shape. */
	if (s.n < 10 && !memchr(s.p, '@', s.n) && !memchr(s.p, '%', s.n))
		return put(buf, o, s.p, s.n);
	if (is_email(s) || is_jwt(s))
		return put_piece(buf, o, s);
	size_t i = 0;
	while (i < s.n) {
		size_t end = piece_end(s, i);
		if (end > i && !put_piece(buf, o, slice_make(s.p + i, end - i)))
			return false;
		if (end == s.n)
			break;
		size_t n = s.p[end] == '%' ? 3 : 1; /* the delimiter, kept */
		if (!put(buf, o, s.p + end, n))
			return false;
		i = end + n;
	}
	return true;
}

/* Where the word of text starting at i ends: the next byte of seps, or
 * text.n. One separator (a page's '/') is memchr's job. */
static size_t word_end(struct slice text, size_t i, const char *seps)
{
	if (seps[1] == '\0') {
		const char *sep = memchr(text.p + i, seps[0], text.n - i);
		return sep ? (size_t)(sep - text.p) : text.n;
	}
	while (i < text.n && (text.p[i] == '\0' || !strchr(seps, text.p[i])))
		i++;
	return i;
}

bool ids_replace(struct slice text, const char *seps, char buf[PAGE_MAX], struct slice *out)
{
	size_t o = 0, i = 0;
	while (i < text.n) {
		size_t end = word_end(text, i, seps);
		if (end == i) { /* a separator, kept */
			if (!put(buf, &o, text.p + i, 1))
				return false;
			i++;
			continue;
		}
		if (!put_segment(buf, &o, slice_make(text.p + i, end - i)))
			return false;
		i = end;
	}
	*out = slice_make(buf, o);
	return true;
}

bool page_replace_ids(struct slice page, char buf[PAGE_MAX], struct slice *out)
{
	return ids_replace(page, "/", buf, out);
}

/* ---- applying ------------------------------------------------------------ */

/* The match of re in page replaced by tpl ($1..$9 the groups, $$ a '$'). */
static bool rewrite(struct regex *re, struct slice tpl, struct slice page, char *buf,
		    struct slice *out)
{
	struct slice cap[REGEX_MAX_CAPS];
	int n = regex_match(re, page, cap, REGEX_MAX_CAPS);
	if (n == 0)
		return false;
	size_t o = 0, head = (size_t)(cap[0].p - page.p);
	bool ok = put(buf, &o, page.p, head);
	for (size_t i = 0; ok && i < tpl.n; i++) {
		if (tpl.p[i] == '$' && i + 1 < tpl.n && tpl.p[i + 1] != '$') {
			int g = tpl.p[++i] - '0';
			if (g < n && cap[g].p)
				ok = put(buf, &o, cap[g].p, cap[g].n);
		} else {
			ok = put(buf, &o, tpl.p + i, 1);
			i += tpl.p[i] == '$';
		}
	}
	size_t tail = head + cap[0].n;
	ok = ok && put(buf, &o, page.p + tail, page.n - tail);
	*out = ok ? slice_make(buf, o) : (struct slice){ NULL, 0 };
	return true;
}

/* The value of query parameter name in the query q ("a=1&b=2"); p NULL when
 * absent. A bare "name" has an empty value. */
static struct slice query_value(struct slice q, const char *name)
{
	size_t nlen = strlen(name);
	const char *p = q.p, *end = q.p + q.n;
	while (p < end) {
		const char *amp = memchr(p, '&', (size_t)(end - p));
		const char *stop = amp ? amp : end;
		size_t n = (size_t)(stop - p);
		if (n >= nlen && memcmp(p, name, nlen) == 0 && (n == nlen || p[nlen] == '='))
			return n == nlen ? slice_make(p, 0) : slice_make(p + nlen + 1, n - nlen - 1);
		p = stop + 1;
	}
	return (struct slice){ NULL, 0 };
}

/* A kept parameter's value, encoded as a page is and, unless keep_ids,
 * with its identifier shapes replaced as a segment's ("?q=:email",
 * "?next=%2Forder%2F:uuid"): the name passed the refusals, but the value
 * is still what a visitor typed or a link carried. */
static bool put_query_value(struct slice v, bool keep_ids, char *buf, size_t *o)
{
	char enc[PAGE_MAX], clean[PAGE_MAX];
	size_t n = 0;
	struct slice s;
	if (keep_ids)
		return page_append_encoded(v, buf, o);
	if (!page_append_encoded(v, enc, &n) || !page_replace_ids(slice_make(enc, n), clean, &s))
		return false;
	return put(buf, o, s.p, s.n);
}

/* Append "?a=1&b=2": the kept parameters present, in the order of the
 * options (so one page has one spelling whatever the order in the URL). */
static bool append_query(const struct page_rules *r, struct slice target, char *buf, size_t *o)
{
	const char *qm = memchr(target.p, '?', target.n);
	if (!qm)
		return true;
	const char *hash = memchr(qm, '#', target.n - (size_t)(qm - target.p));
	struct slice q = slice_make(qm + 1, (size_t)((hash ? hash : target.p + target.n) - qm - 1));
	const struct strlist *keep = &r->spec.list[RULE_KEEP_QUERY];
	bool first = true;
	for (int i = 0; i < keep->n; i++) {
		struct slice v = query_value(q, keep->v[i]);
		if (!v.p)
			continue;
		if (!put(buf, o, first ? "?" : "&", 1) || !put(buf, o, keep->v[i], strlen(keep->v[i])) ||
		    !put(buf, o, "=", 1) || !put_query_value(v, r->spec.keep_ids, buf, o))
			return false;
		first = false;
	}
	return true;
}

static bool any_match(struct regex *const *re, int n, struct slice s)
{
	for (int i = 0; i < n; i++)
		if (regex_test(re[i], s))
			return true;
	return false;
}

enum page_verdict page_rules_apply(struct page_rules *r, struct slice page, struct slice target,
				   struct page_bufs *pb, struct slice *out)
{
	char(*bufs)[PAGE_MAX] = pb->b;
	const struct strlist *l = r->spec.list;
	int next = page.p == bufs[0] ? 1 : 0; /* the buffer page is not in */
	if (any_match(r->re[RULE_EXCLUDE], l[RULE_EXCLUDE].n, page))
		return PAGE_DROP;
	for (int i = 0; i < l[RULE_REWRITE].n; i++) {
		struct slice w;
		if (!rewrite(r->re[RULE_REWRITE][i], r->tpl[i], page, bufs[next], &w))
			continue;
		if (!w.p)
			return PAGE_LONG;
		page = w;
		next ^= 1;
		break;
	}
	if (!r->spec.keep_ids) {
		if (!page_replace_ids(page, bufs[next], &page))
			return PAGE_LONG;
		next ^= 1;
	}
	if (l[RULE_ALLOW].n && !any_match(r->re[RULE_ALLOW], l[RULE_ALLOW].n, page)) {
		if (r->spec.allow_drop)
			return PAGE_DROP;
		*out = SLICE_LIT(PAGE_OTHER);
		return PAGE_COUNT;
	}
	if (l[RULE_KEEP_QUERY].n) {
		size_t o = page.n;
		if (page.p != bufs[next ^ 1])
			memmove(bufs[next ^ 1], page.p, page.n); /* page is the input page */
		if (!append_query(r, target, bufs[next ^ 1], &o))
			return PAGE_LONG;
		page = slice_make(bufs[next ^ 1], o);
	}
	*out = page;
	return PAGE_COUNT;
}
