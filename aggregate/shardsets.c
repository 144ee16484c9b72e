/*
 * shardsets.c - a shard's sets of small values per visitor (shardsets.h).
 *
 * The items are sorted by (visitor, group, member): each visitor's values
 * in a group are then one run, which becomes an instance (the group and
 * its distinct members). Instances sorted by (group, size, members) put
 * equal sets side by side, and each run of them is one row with its
 * number of visitors. No set per visitor is kept past the call.
 */
#include "shardsets.h"

#include <stdlib.h>
#include <string.h>

#include "../common/grow.h"

void shardsets_init(struct shardsets *s, uint32_t k)
{
	memset(s, 0, sizeof(*s));
	s->k = k;
	arena_init(&s->text);
}

void shardsets_release(struct shardsets *s)
{
	free(s->rows);
	arena_release(&s->text);
	memset(s, 0, sizeof(*s));
}

static int cmp_item(const void *x, const void *y)
{
	const struct shardsets_item *a = x, *b = y;
	if (a->visitor != b->visitor)
		return a->visitor < b->visitor ? -1 : 1;
	if (a->group != b->group)
		return a->group < b->group ? -1 : 1;
	return (a->member > b->member) - (a->member < b->member);
}

/* One visitor's set in one group: members[0..len) of the call's array. */
struct instance {
	uint32_t group;
	uint32_t len;
	const uint32_t *members;
};

static int cmp_instance(const void *x, const void *y)
{
	const struct instance *a = x, *b = y;
	if (a->group != b->group)
		return a->group < b->group ? -1 : 1;
	if (a->len != b->len)
		return a->len < b->len ? -1 : 1;
	for (uint32_t i = 0; i < a->len; i++)
		if (a->members[i] != b->members[i])
			return a->members[i] < b->members[i] ? -1 : 1;
	return 0;
}

/* Bytes of s as a JSON string's content. */
static size_t json_len(struct slice s)
{
	size_t n = 0;
	for (size_t i = 0; i < s.n; i++) {
		unsigned char c = (unsigned char)s.p[i];
		n += c == '"' || c == '\\' ? 2 : c < 0x20 ? 6 : 1;
	}
	return n;
}

static char *json_put(char *o, struct slice s)
{
	static const char hex[] = "0123456789abcdef";
	for (size_t i = 0; i < s.n; i++) {
		unsigned char c = (unsigned char)s.p[i];
		if (c == '"' || c == '\\') {
			*o++ = '\\';
			*o++ = (char)c;
		} else if (c < 0x20) {
			memcpy(o, "\\u00", 4);
			o[4] = hex[c >> 4];
			o[5] = hex[c & 15];
			o += 6;
		} else {
			*o++ = (char)c;
		}
	}
	return o;
}

bool shardsets_json(struct arena *a, const struct slice *v, size_t n, struct slice *out)
{
	size_t len = 2 + (n ? n - 1 : 0); /* brackets and commas */
	for (size_t i = 0; i < n; i++)
		len += 2 + json_len(v[i]);
	char *p = arena_alloc(a, len), *o = p;
	if (!p)
		return false;
	*o++ = '[';
	for (size_t i = 0; i < n; i++) {
		if (i)
			*o++ = ',';
		*o++ = '"';
		o = json_put(o, v[i]);
		*o++ = '"';
	}
	*o++ = ']';
	*out = slice_make(p, len);
	return true;
}

/* The distinct members of each (visitor, group) run of the sorted items,
 * into members (n at most) and inst; their number. */
static size_t instances(const struct shardsets_item *it, size_t n, uint32_t *members,
			struct instance *inst)
{
	size_t ni = 0, nm = 0;
	for (size_t i = 0; i < n; i++) {
		bool start = i == 0 || it[i].visitor != it[i - 1].visitor ||
			     it[i].group != it[i - 1].group;
		if (start)
			inst[ni++] = (struct instance){ it[i].group, 0, members + nm };
		else if (it[i].member == it[i - 1].member)
			continue;
		members[nm++] = it[i].member;
		inst[ni - 1].len++;
	}
	return ni;
}

/* The row of the equal instances in[0..count). */
static enum lf_status add_row(struct shardsets *s, const struct instance *in, size_t count,
			      const struct shardsets_names *names, struct slice **texts,
			      size_t *texts_cap)
{
	struct shard_set_row r = { .table = names->table, .visitors = count };
	if (!GROW(s->rows, s->cap, s->n + 1, 64) || !GROW(*texts, *texts_cap, in->len, 16))
		return LF_ERR_NOMEM;
	names->group(names->ctx, in->group, &r.page, &r.part);
	for (uint32_t m = 0; m < in->len; m++)
		(*texts)[m] = names->member(names->ctx, in->members[m]);
	if (!shardsets_json(&s->text, *texts, in->len, &r.members))
		return LF_ERR_NOMEM;
	s->rows[s->n++] = r;
	return LF_OK;
}

enum lf_status shardsets_add(struct shardsets *s, struct shardsets_item *items, size_t n,
			     const struct shardsets_names *names)
{
	if (n == 0)
		return LF_OK;
	uint32_t *members = malloc(n * sizeof(*members));
	struct instance *inst = malloc(n * sizeof(*inst));
	struct slice *texts = NULL;
	size_t texts_cap = 0;
	enum lf_status st = members && inst ? LF_OK : LF_ERR_NOMEM;
	if (st == LF_OK) {
		qsort(items, n, sizeof(*items), cmp_item);
		size_t ni = instances(items, n, members, inst);
		qsort(inst, ni, sizeof(*inst), cmp_instance);
		for (size_t i = 0, j; i < ni && st == LF_OK; i = j) {
			for (j = i + 1; j < ni && cmp_instance(&inst[i], &inst[j]) == 0; j++)
				;
			st = add_row(s, &inst[i], j - i, names, &texts, &texts_cap);
		}
	}
	free(members);
	free(inst);
	free(texts);
	return st;
}
