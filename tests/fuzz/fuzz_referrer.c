/*
 * fuzz_referrer.c - libFuzzer target for referrer reduction: any bytes as
 * an (unescaped) referer, with and without aliases. It must never crash or
 * read out of bounds, and what it keeps must be a page of the site, a host
 * or app id, or one of the fixed values: never a query, a fragment, user
 * info, a port or a space.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../parsers/reduce/referrer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(enum referrer_type t, struct slice v, const struct referrer_buf *buf)
{
	bool in_host = v.p >= buf->host && v.p + v.n <= buf->host + sizeof(buf->host);
	bool in_page = v.p >= buf->page && v.p + v.n <= buf->page + sizeof(buf->page);
	if (v.n == 0 || (unsigned)t >= REF_NTYPES)
		abort();
	if (t == REF_DIRECT && !slice_eq_cstr(v, REFERRER_DIRECT))
		abort();
	if (t == REF_INVALID && !slice_eq_cstr(v, REFERRER_INVALID))
		abort();
	if (t == REF_INTERNAL && (!in_page || v.p[0] != '/'))
		abort();
	if ((t == REF_SEARCH || t == REF_SOCIAL || t == REF_EXTERNAL) && !in_host)
		abort();
	if (memchr(v.p, '?', v.n) || memchr(v.p, '#', v.n) || memchr(v.p, ' ', v.n) ||
	    (t != REF_INTERNAL && (memchr(v.p, '@', v.n) || memchr(v.p, '/', v.n))))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct referrer_buf buf;
	static const char *const aliases[] = { "www.fuzz.example" };
	struct referrer_rules with = { aliases, 1, NULL, 2 }, without = { NULL, 0, NULL, 2 };
	struct slice ref = slice_make((const char *)data, size), v;
	enum referrer_type t = referrer_reduce(ref, SLICE_LIT("fuzz.example"), &with, &buf, &v);
	check(t, v, &buf);
	t = referrer_reduce(ref, SLICE_LIT("fuzz.example"), &without, &buf, &v);
	check(t, v, &buf);
	return 0;
}
