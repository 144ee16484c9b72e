/*
 * bots.h - logfold's own robot test on a user agent: words and prefixes
 * that catch the crawlers, feed readers, monitors, HTTP libraries and
 * tools that announce themselves. With uap-core it is the last of the
 * robot rules (agent.h); with --uap-regexes none, the only one.
 */
#ifndef LF_BOTS_H
#define LF_BOTS_H

#include <stdbool.h>

#include "../../common/slice.h"

/*
 * True when agent (unescaped) is empty or "-", contains (ASCII case-
 * insensitively) one of the words of bots.c (bot, crawl, spider, slurp,
 * feed but not feedback, rss, subscriber, monitor, uptime, python, curl,
 * ...), or starts with one of its prefixes (curl/, Wget/, Ruby, Java/,
 * PHP, Prometheus/, gPXE/, portscout, LiveJournal.com, ...).
 */
bool bot_by_heuristic(struct slice agent);

/* The k-th word listed under letter ('a' + letter) in bots.c, or NULL past
 * the last (for the test that each starts with its letter). */
const char *bot_word(int letter, int k);

#endif
