/*
 * bots.h - the foundation's robot test on a user agent: a few substrings and
 * prefixes that catch the crawlers and scripted clients that announce
 * themselves. The user-agent module (uap-core) refines this later; this
 * test stays as its last resort.
 */
#ifndef LF_BOTS_H
#define LF_BOTS_H

#include <stdbool.h>

#include "../../common/slice.h"

/*
 * True when agent (unescaped) is empty or "-", contains (ASCII case-
 * insensitively) bot, crawl, spider or slurp, or starts with curl/, Wget/,
 * python-requests/, Go-http-client/, okhttp/ or libwww-perl/.
 */
bool bot_by_heuristic(struct slice agent);

#endif
