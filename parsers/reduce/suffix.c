/*
 * suffix.c - the Public Suffix List algorithm (publicsuffix.org/list):
 * the longest matching rule wins, an exception rule ("!") wins over the
 * wildcard it excepts, and with no match the rule is "*". The registrable
 * domain is the public suffix plus one more label.
 *
 * Reading: one rule per line, up to the first white space; "//" comments
 * and blank lines are skipped. Both the ICANN and the private sections are
 * used, as browsers do (so "user.github.io" is its own domain).
 */
#include "suffix.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

/* Longest line of the list we read; rules are short DNS names. */
#define SUFFIX_LINE_MAX 512

static enum lf_status add_rule(struct suffix_list *l, const char *line)
{
	size_t n = strcspn(line, " \t\r\n");
	uint32_t id;
	if (n == 0 || (n >= 2 && line[0] == '/' && line[1] == '/'))
		return LF_OK;
	return intern_put(&l->rules, slice_make(line, n), &id);
}

enum lf_status suffix_load(struct suffix_list *l, const char *path)
{
	char line[SUFFIX_LINE_MAX];
	enum lf_status st = LF_OK;
	FILE *f = fopen(path, "re");
	intern_init(&l->rules);
	if (!f)
		return LF_ERR_IO;
	while (st == LF_OK && fgets(line, sizeof(line), f))
		st = add_rule(l, line);
	if (st == LF_OK && ferror(f))
		st = LF_ERR_IO;
	fclose(f);
	if (st == LF_OK && l->rules.count == 0)
		st = LF_ERR_FORMAT;
	if (st != LF_OK)
		suffix_release(l);
	return st;
}

static bool has_rule(const struct suffix_list *l, const char *prefix, struct slice s)
{
	char buf[SUFFIX_HOST_MAX + 3];
	size_t k = strlen(prefix);
	memcpy(buf, prefix, k);
	memcpy(buf + k, s.p, s.n);
	return intern_find(&l->rules, slice_make(buf, k + s.n));
}

/* The start of the label after position i of host (i at a label start). */
static size_t next_label(struct slice host, size_t i)
{
	const char *dot = memchr(host.p + i, '.', host.n - i);
	return dot ? (size_t)(dot - host.p) + 1 : host.n;
}

struct slice suffix_registrable(const struct suffix_list *l, struct slice host)
{
	if (host.n == 0 || host.n > SUFFIX_HOST_MAX)
		return host;
	/* Walk the suffixes from the longest: the first rule found is the
	 * longest match. */
	size_t suffix = host.n;
	bool found = false;
	for (size_t i = 0; i < host.n; i = next_label(host, i)) {
		struct slice s = slice_make(host.p + i, host.n - i);
		size_t after = next_label(host, i);
		if (has_rule(l, "!", s)) { /* exception: the suffix is s minus a label */
			suffix = after;
			found = true;
		} else if (has_rule(l, "", s) ||
			   (after < host.n &&
			    has_rule(l, "*.", slice_make(host.p + after, host.n - after)))) {
			suffix = i;
			found = true;
		}
		if (found)
			break;
	}
	if (!found) /* the default rule "*": the last label */
		for (suffix = host.n; suffix > 0 && host.p[suffix - 1] != '.'; suffix--)
			;
	if (suffix == 0)
		return host; /* the host is a public suffix */
	/* one more label to the left of the suffix */
	size_t start = suffix - 1;
	while (start > 0 && host.p[start - 1] != '.')
		start--;
	return slice_make(host.p + start, host.n - start);
}

void suffix_release(struct suffix_list *l)
{
	intern_release(&l->rules);
}
