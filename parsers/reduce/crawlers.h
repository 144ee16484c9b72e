/*
 * crawlers.h - the robot patterns of the crawler-user-agents list (MIT; see
 * parsers/crawler-user-agents.LICENSE), compiled in by the Makefile from
 * parsers/crawler-user-agents.txt so that a run needs no data file beyond
 * uap-core's. They are JavaScript-style regexes, which PCRE reads the same
 * way; agent.c matches one written wholly in lower case in any case, the
 * others as written (crawler_flags).
 */
#ifndef LF_CRAWLERS_H
#define LF_CRAWLERS_H

extern const char *const crawler_patterns[];
extern const unsigned crawler_npatterns;

#endif
