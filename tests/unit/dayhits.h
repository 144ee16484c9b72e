/*
 * dayhits.h - what the tests that feed an aggregator many generated days
 * share (test_aggdays.c, test_aggpack.c): a small generator of our own
 * (64-bit LCG, high bits: the same hits on every run) and the pageview
 * they both build, whose breakdown values and load times vary.
 */
#ifndef LF_DAYHITS_H
#define LF_DAYHITS_H

#include <stdint.h>

#include "../../common/dims.h"
#include "../../common/slice.h"
#include "../../parsers/reduce/hit.h"

#define DAY0 19800 /* 2024-03-18 */
#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const char *const dayhits_browsers[] = { "Firefox 125", "Chrome 124 long name", "" };
static const char *const dayhits_referrers[] = { "search", "social", "", "direct" };

/* A number in [0, n). */
static inline uint64_t rnd(uint64_t *s, uint64_t n)
{
	*s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
	return (*s >> 33) % n;
}

/* A pageview of site on day DAY0 + day at second sec, of a page drawn
 * from pages[0..npages), by one of visitors visitors, two times in three
 * with a load time, with a browser and a referrer drawn; drawn in that
 * order. */
static inline struct hit dayhits_pageview(uint64_t *s, const char *site, const char *const *pages,
					  size_t npages, int32_t day, uint32_t sec,
					  uint64_t visitors)
{
	struct hit h = { .site = slice_cstr(site),
			 .day = DAY0 + day,
			 .time = (int64_t)(DAY0 + day) * 86400 + sec,
			 .sec_of_day = sec,
			 .scroll = HIT_NO_SCROLL,
			 .client_load_ms = HIT_NO_LOAD_TIME };
	h.page = slice_cstr(pages[rnd(s, npages)]);
	h.visitor = 1 + rnd(s, visitors);
	h.load_ms = rnd(s, 3) ? (uint32_t)rnd(s, 3000) : HIT_NO_LOAD_TIME;
	h.dim[DIM_BROWSER] = slice_cstr(dayhits_browsers[rnd(s, COUNT(dayhits_browsers))]);
	h.dim[DIM_REFERRER] = slice_cstr(dayhits_referrers[rnd(s, COUNT(dayhits_referrers))]);
	return h;
}

#endif
