/*
 * fuzz_pagerules.c - page rules and opt-out on hostile input. The input is
 * a request target; its first line is also read as a Cookie header. Every
 * rule kind is on, with a rewrite that copies groups (so output can grow),
 * and the checks are: no crash, a counted page is never longer than
 * PAGE_MAX and starts with '/' or is "(other)", and identifier replacement
 * is idempotent (its output holds no identifier shape).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../parsers/reduce/pagerules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct page_rules *rules(void)
{
	static struct page_rules *r;
	if (!r) {
		struct page_rules_spec spec = { .honor_gpc = true };
		spec.list[RULE_EXCLUDE] = (struct strlist){ { "^/admin" }, 1 };
		spec.list[RULE_REWRITE] = (struct strlist){ { "^/(.*)/(.*)$=>/$1/$2/$1/$2/$1" }, 1 };
		spec.list[RULE_ALLOW] = (struct strlist){ { "^/[a-m]", "^/:" }, 2 };
		spec.list[RULE_KEEP_QUERY] = (struct strlist){ { "lang", "q", "p" }, 3 };
		spec.list[RULE_OPTOUT_COOKIE] = (struct strlist){ { "nostats", "c=1" }, 2 };
		spec.list[RULE_OPTOUT_FIELD] = (struct strlist){ { "referer=x" }, 1 };
		if (page_rules_compile(&r, &spec) != LF_OK)
			abort();
	}
	return r;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct page_bufs bufs;
	static char again[PAGE_MAX];
	struct slice target = slice_make((const char *)data, size), page, out, twice;
	const char *nl = memchr(target.p, '\n', target.n);
	struct raw_fields f = { .nextra = 1 };
	f.extra[0] = (struct raw_field){ SLICE_LIT("cookie"),
					 slice_make(target.p, nl ? (size_t)(nl - target.p) : target.n) };
	(void)page_rules_opted_out(rules(), &f);
	if (page_normalize(target, bufs.b[0], &page))
		return 0;
	if (page_rules_apply(rules(), page, target, &bufs, &out) == PAGE_COUNT) {
		if (out.n > PAGE_MAX || out.n == 0 || (out.p[0] != '/' && out.p[0] != '('))
			abort();
	}
	if (page_normalize(target, bufs.b[0], &page) == NULL &&
	    page_replace_ids(page, bufs.b[1], &out) &&
	    (!page_replace_ids(out, again, &twice) || twice.n != out.n ||
	     memcmp(twice.p, out.p, out.n) != 0))
		abort();
	return 0;
}
