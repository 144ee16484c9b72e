/*
 * bots.c - substring and prefix checks in one pass over the agent. A table
 * maps each byte to the needles that can start with it (case folded), so
 * the common byte costs one load and one branch; only at a 'b', 'c' or 's'
 * are needles compared. This runs on every pageview candidate, so it is
 * written for speed: a typical 120-byte agent costs about 120 cycles.
 */
#include "bots.h"

#include <stdint.h>

static const char *const bot_prefixes[] = {
	"curl/", "wget/", "python-requests/", "go-http-client/", "okhttp/", "libwww-perl/",
};

enum { N_BOT = 1, N_CRAWL = 2, N_SPIDER = 4, N_SLURP = 8 };

/* Which needles may start at a byte: set for b, c, s in both cases. */
static const uint8_t starts[256] = {
	['b'] = N_BOT, ['B'] = N_BOT, ['c'] = N_CRAWL, ['C'] = N_CRAWL,
	['s'] = N_SPIDER | N_SLURP, ['S'] = N_SPIDER | N_SLURP,
};

static inline unsigned char lower(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') ? (unsigned char)(c + 32) : c;
}

/* Does s at i spell the lower-case needle? */
static bool at(struct slice s, size_t i, const char *needle)
{
	for (size_t k = 0; needle[k]; k++, i++)
		if (i >= s.n || lower((unsigned char)s.p[i]) != (unsigned char)needle[k])
			return false;
	return true;
}

static bool has_bot_prefix(struct slice agent)
{
	/* All prefixes are at least 5 bytes and their first letters are
	 * c, w, p, g, o, l: skip the loop for everything else ("Mozilla/"). */
	if (agent.n < 5)
		return false;
	switch (lower((unsigned char)agent.p[0])) {
	case 'c': case 'w': case 'p': case 'g': case 'o': case 'l':
		break;
	default:
		return false;
	}
	for (size_t k = 0; k < sizeof(bot_prefixes) / sizeof(bot_prefixes[0]); k++)
		if (slice_istarts(agent, bot_prefixes[k]))
			return true;
	return false;
}

bool bot_by_heuristic(struct slice agent)
{
	if (slice_is_dash(agent) || has_bot_prefix(agent))
		return true;
	const unsigned char *p = (const unsigned char *)agent.p;
	for (size_t i = 0; i + 3 <= agent.n; i++) {
		uint8_t m = starts[p[i]];
		if (!m)
			continue;
		if ((m & N_BOT && at(agent, i, "bot")) || (m & N_CRAWL && at(agent, i, "crawl")) ||
		    (m & N_SPIDER && at(agent, i, "spider")) || (m & N_SLURP && at(agent, i, "slurp")))
			return true;
	}
	return false;
}
