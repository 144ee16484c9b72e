/*
 * test_shardsets.c - a shard's sets (aggregate/shardsets.h): each
 * visitor's values in a group become one set, equal sets one row with
 * their visitors; members as a JSON array. Expected rows worked out by
 * hand from the items.
 */
#include <stdio.h>
#include <string.h>

#include "../../aggregate/shardsets.h"
#include "harness.h"

static const char *const member_names[] = { "a", "b", "c\"q", "(other)" };

static void group_name(const void *ctx, uint32_t group, struct slice *page, struct slice *part)
{
	(void)ctx;
	*page = group ? SLICE_LIT("/y") : SLICE_LIT("/x");
	*part = SLICE_LIT("referrer");
}

static struct slice member_name(const void *ctx, uint32_t member)
{
	(void)ctx;
	return slice_cstr(member_names[member]);
}

/* rows as "PAGE PART MEMBERS VISITORS" lines, in the order added */
static void rows_text(const struct shardsets *s, char *out, size_t cap)
{
	size_t n = 0;
	out[0] = 0;
	for (size_t i = 0; i < s->n && n < cap; i++) {
		const struct shard_set_row *r = &s->rows[i];
		n += (size_t)snprintf(out + n, cap - n, "%s %.*s %.*s %.*s %llu\n", r->table,
				      (int)r->page.n, r->page.p, (int)r->part.n, r->part.p,
				      (int)r->members.n, r->members.p,
				      (unsigned long long)r->visitors);
	}
}

static void test_sets(void)
{
	struct shardsets s;
	char text[1024];
	shardsets_init(&s, 5);
	/* visitor 1: a, b in /x (b twice: one value); visitor 2: b, a in /x;
	 * visitor 3: a in /x and c"q in /y; visitor 4: (other) in /y. So /x
	 * has {a,b} of 2 visitors and {a} of 1; /y {c"q} of 1, {(other)} of 1. */
	struct shardsets_item items[] = {
		{ 1, 0, 0 }, { 2, 0, 1 }, { 1, 0, 1 }, { 3, 1, 2 }, { 2, 0, 0 },
		{ 1, 0, 1 }, { 3, 0, 0 }, { 4, 1, 3 },
	};
	struct shardsets_names names = { "breakdown_daily", group_name, member_name, NULL };
	CHECK_INT(shardsets_add(&s, items, sizeof(items) / sizeof(items[0]), &names), LF_OK);
	rows_text(&s, text, sizeof(text));
	/* by group, then by set size, then by members (ids) */
	CHECK_STR(text, "breakdown_daily /x referrer [\"a\"] 1\n"
			"breakdown_daily /x referrer [\"a\",\"b\"] 2\n"
			"breakdown_daily /y referrer [\"c\\\"q\"] 1\n"
			"breakdown_daily /y referrer [\"(other)\"] 1\n");
	/* nothing to add: no row */
	CHECK_INT(shardsets_add(&s, items, 0, &names), LF_OK);
	CHECK_INT((int)s.n, 4);
	shardsets_release(&s);
}

static void test_json(void)
{
	struct arena a;
	struct slice out;
	arena_init(&a);
	struct slice v[3] = { SLICE_LIT("x\\y"), slice_make("\n\x01", 2), SLICE_LIT("") };
	CHECK(shardsets_json(&a, v, 3, &out));
	CHECK_MEM(out.p, out.n, "[\"x\\\\y\",\"\\u000a\\u0001\",\"\"]");
	CHECK(shardsets_json(&a, v, 0, &out));
	CHECK_MEM(out.p, out.n, "[]");
	arena_release(&a);
}

TEST_MAIN(test_sets, test_json)
