/*
 * uap.c - regexes.yaml into three first-match lists, and the replacement
 * rules of the uap specification. The YAML is read with libyaml (through
 * common/yamlseq): the file uses single- and double-quoted scalars with
 * escapes, and a reader of our own for "this file's subset" would have to
 * get YAML quoting right anyway; libyaml is small, in Debian, and kept.
 */
#include "uap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../common/grow.h"
#include "../../common/yamlseq.h"

static const char *const list_names[UAP_NLISTS] = {
	"user_agent_parsers", "os_parsers", "device_parsers",
};

/* The replacement keys of each list, by field. */
static const char *const repl_keys[UAP_NLISTS][UAP_NFIELDS] = {
	{ "family_replacement", "v1_replacement", "v2_replacement", "v3_replacement",
	  "v4_replacement" },
	{ "os_replacement", "os_v1_replacement", "os_v2_replacement", "os_v3_replacement",
	  "os_v4_replacement" },
	{ "device_replacement", "brand_replacement", "model_replacement", NULL, NULL },
};

/* The group a field takes without a replacement (0: none). */
static const int default_group[UAP_NLISTS][UAP_NFIELDS] = {
	{ 1, 2, 3, 4, 5 },
	{ 1, 2, 3, 4, 5 },
	{ 1, 0, 1, 0, 0 },
};

struct load {
	struct uap *u;
	char *err;
	size_t errlen;
};

static char *dup_slice(struct slice s)
{
	char *d = malloc(s.n + 1);
	if (d) {
		memcpy(d, s.p, s.n);
		d[s.n] = '\0';
	}
	return d;
}

static enum lf_status add_rule(struct load *ld, int l, const struct yamlseq_pair *pairs, int n)
{
	struct uap *u = ld->u;
	struct uap_rule rule = { { NULL }, NULL };
	struct slice regex = { NULL, 0 };
	unsigned flags = 0;
	enum lf_status st = LF_ERR_NOMEM;
	for (int i = 0; i < n; i++) {
		if (slice_eq_cstr(pairs[i].key, "regex"))
			regex = pairs[i].value;
		else if (slice_eq_cstr(pairs[i].key, "regex_flag") && slice_eq_cstr(pairs[i].value, "i"))
			flags |= REGEX_CASELESS;
		for (int f = 0; f < UAP_NFIELDS; f++)
			if (repl_keys[l][f] && slice_eq_cstr(pairs[i].key, repl_keys[l][f]) &&
			    !rule.repl[f] && !(rule.repl[f] = dup_slice(pairs[i].value)))
				goto fail;
	}
	char *pattern = rule.pattern = dup_slice(regex);
	if (!pattern)
		goto fail;
	if (!GROW(u->rules[l], u->cap[l], u->set[l].n + 1, 256))
		goto fail; /* which frees pattern, as rule.pattern */
	char why[160];
	st = rxset_add(&u->set[l], pattern, flags, why, sizeof(why));
	if (st == LF_ERR_USAGE) {
		snprintf(ld->err, ld->errlen, "%s regex %zu: %s", list_names[l], u->set[l].n + 1, why);
		st = LF_ERR_FORMAT;
	}
	if (st != LF_OK)
		goto fail;
	u->rules[l][u->set[l].n - 1] = rule;
	u->regexes++;
	return LF_OK;
fail:
	for (int f = 0; f < UAP_NFIELDS; f++)
		free(rule.repl[f]);
	free(rule.pattern);
	return st;
}

static enum lf_status on_record(void *ctx, const char *section, const struct yamlseq_pair *pairs,
				int n)
{
	for (int l = 0; l < UAP_NLISTS; l++)
		if (strcmp(section, list_names[l]) == 0)
			return add_rule(ctx, l, pairs, n);
	return LF_OK; /* a list this version does not know */
}

enum lf_status uap_load(struct uap *u, const char *path, char *err, size_t errlen)
{
	memset(u, 0, sizeof(*u));
	for (int l = 0; l < UAP_NLISTS; l++)
		rxset_init(&u->set[l]);
	struct load ld = { u, err, errlen };
	enum lf_status st = yamlseq_read(path, NULL, 0, on_record, &ld, err, errlen);
	if (st == LF_OK && u->regexes == 0) {
		snprintf(err, errlen, "no user_agent_parsers, os_parsers or device_parsers");
		st = LF_ERR_FORMAT;
	}
	if (st != LF_OK)
		uap_release(u);
	return st;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

size_t uap_expand(const char *repl, const struct slice cap[REGEX_MAX_CAPS], int dflt,
		  char out[UAP_FIELD_MAX])
{
	size_t n = 0;
	struct slice one = (!repl && dflt) ? cap[dflt] : (struct slice){ NULL, 0 };
	const char *p = repl ? repl : "";
	for (; *p || one.n; ) {
		struct slice piece;
		if (one.n) { /* the default group: once */
			piece = one;
			one.n = 0;
		} else if (p[0] == '$' && p[1] >= '1' && p[1] <= '9') {
			piece = cap[p[1] - '0'];
			p += 2;
		} else {
			piece = slice_make(p++, 1);
		}
		size_t k = piece.n < UAP_FIELD_MAX - 1 - n ? piece.n : UAP_FIELD_MAX - 1 - n;
		if (k)
			memcpy(out + n, piece.p, k);
		n += k;
	}
	size_t s = 0;
	while (s < n && is_space(out[s]))
		s++;
	while (n > s && is_space(out[n - 1]))
		n--;
	memmove(out, out + s, n - s);
	n -= s;
	out[n] = '\0';
	return n;
}

void uap_parse(struct uap *u, const struct rxset_subject *sub, bool prefilter,
	       struct uap_result *out)
{
	struct slice cap[REGEX_MAX_CAPS];
	for (int l = 0; l < UAP_NLISTS; l++) {
		int i = rxset_first(&u->set[l], sub, prefilter, cap);
		out->rule[l] = i;
		for (int f = 0; f < UAP_NFIELDS; f++) {
			out->len[l][f] = 0;
			out->field[l][f][0] = '\0';
			if (i >= 0 && (l != UAP_DEVICE || f < 3))
				out->len[l][f] = uap_expand(u->rules[l][i].repl[f], cap,
							    default_group[l][f], out->field[l][f]);
		}
		if (out->len[l][UAP_FAMILY] == 0)
			out->len[l][UAP_FAMILY] = (size_t)snprintf(out->field[l][UAP_FAMILY],
								   UAP_FIELD_MAX, "Other");
	}
}

bool uap_field_is_fixed(const struct uap *u, const struct uap_result *r, enum uap_list l, int f)
{
	if (r->rule[l] < 0 || r->len[l][f] == 0)
		return false;
	const struct uap_rule *rule = &u->rules[l][r->rule[l]];
	const char *s = r->field[l][f];
	return strstr(rule->pattern, s) || (rule->repl[f] && strstr(rule->repl[f], s));
}

void uap_release(struct uap *u)
{
	for (int l = 0; l < UAP_NLISTS; l++) {
		for (size_t i = 0; i < u->set[l].n; i++)
		{
			for (int f = 0; f < UAP_NFIELDS; f++)
				free(u->rules[l][i].repl[f]);
			free(u->rules[l][i].pattern);
		}
		free(u->rules[l]);
		rxset_release(&u->set[l]);
	}
	memset(u, 0, sizeof(*u));
}
