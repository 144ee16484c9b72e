/*
 * bots.c - substring and prefix checks. One pass over the agent: at each
 * byte that could begin a needle (b, c, s) the needles starting with it are
 * compared, so a typical 120-byte agent costs one scan, not four.
 */
#include "bots.h"

static const char *const bot_prefixes[] = {
	"curl/", "wget/", "python-requests/", "go-http-client/", "okhttp/", "libwww-perl/",
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

bool bot_by_heuristic(struct slice agent)
{
	if (slice_is_dash(agent))
		return true;
	for (size_t k = 0; k < sizeof(bot_prefixes) / sizeof(bot_prefixes[0]); k++)
		if (slice_istarts(agent, bot_prefixes[k]))
			return true;
	for (size_t i = 0; i < agent.n; i++) {
		switch (lower((unsigned char)agent.p[i])) {
		case 'b':
			if (at(agent, i, "bot"))
				return true;
			break;
		case 'c':
			if (at(agent, i, "crawl"))
				return true;
			break;
		case 's':
			if (at(agent, i, "spider") || at(agent, i, "slurp"))
				return true;
			break;
		default:
			break;
		}
	}
	return false;
}
