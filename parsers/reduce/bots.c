/*
 * bots.c - logfold's own robot words, checked in one pass over the agent.
 * A table holds, per first letter, the words that can start there, and
 * another, per byte, the second letters of those words, so the common
 * byte (not the first two letters of a word) costs two loads and a
 * branch; only there are that letter's few words compared. With
 * --uap-regexes none this runs on every pageview candidate; otherwise only
 * when an agent is new to the cache.
 *
 * The words come from what uap-core (its Spider device and "Bots" and
 * "Downloader" families), the crawler-user-agents list and Matomo's
 * DeviceDetector (bots.yml: feed fetchers, site monitors, service agents;
 * libraries.yml) treat as robots, reduced to the parts a browser never
 * carries. Written here, not copied: each list is a different shape.
 * Deliberately not robots: text browsers (Lynx, w3m, Links), in-app
 * browsers of feed-reading apps that show a page to a person (their agent
 * says a browser engine, not "feed"), and "Dalvik/" (an Android app's
 * default agent: apps show what a person asked for).
 */
#include "bots.h"

#include <pthread.h>
#include <stdint.h>

/* Words anywhere in the agent, ASCII case-insensitive, by first letter. A
 * row holds at most BOT_WORDS_PER_LETTER words; a word listed under a
 * letter must start with it (tests/unit/test_agent.c checks). */
#define BOT_WORDS_PER_LETTER 8

static const char *const words[26][BOT_WORDS_PER_LETTER] = {
	/* HTTP libraries: axios (node), aiohttp (Python); feed reader */
	['a' - 'a'] = { "axios", "aiohttp", "akregator" },
	/* the foundation's word: Googlebot, bingbot, UptimeRobot ... (not
	 * after "cu": CUBOT's phones, which uap-core excepts too) */
	['b' - 'a'] = { "bot" },
	/* crawl, crawler; Nagios check_http, check_curl ("curl" itself only
	 * as a prefix, curl/: testdata/basic keeps "works-like curl/8.0" in a
	 * browser's agent a person) */
	['c' - 'a'] = { "crawl", "check_http", "check_curl" },
	/* Datadog Agent (site monitor) */
	['d' - 'a'] = { "datadog" },
	/* 'f': "feed", below (it has an exception) */
	['g' - 'a'] = { "guzzle" },
	/* health checks (ELB-HealthChecker, Consul, Cloudflare-Healthchecks),
	 * headless browsers, HTTP client libraries of every language
	 * (Apache-HttpClient, Google-HTTP-Java-Client, Java-http-client,
	 * Go-http-client, Zend_Http_Client), HTTrack */
	['h' - 'a'] = { "healthcheck", "health-check", "health check", "headless", "httpclient",
			"http-client", "http_client", "httrack" },
	/* FreeBSD fetch (libfetch), libcurl, libwww-perl (not "libwww": Lynx
	 * is "Lynx/2.9 libwww-FM/2.14"), Liferea (a feed reader) */
	['l' - 'a'] = { "libfetch", "libcurl", "libwww-perl", "liferea" },
	/* monitoring services and agents: PRTG Network Monitor, Rackspace
	 * Monitoring, YottaaMonitor, Dotcom-Monitor; Miniflux (feed reader) */
	['m' - 'a'] = { "monitor", "miniflux" },
	/* node-fetch; the newsreaders Newsboat, Newsbeuter, NewsGator,
	 * NewsBlur's fetcher and Nextcloud News */
	['n' - 'a'] = { "node-fetch", "newsboat", "newsbeuter", "newsgator", "nextcloud-news" },
	['o' - 'a'] = { "okhttp" },
	/* Python's clients (python-requests, Python-urllib, python-httpx,
	 * "Python/3.11 aiohttp"), probes (kube-probe, SitemapProbe),
	 * PhantomJS, PycURL, Apple-PubSub (feeds) */
	['p' - 'a'] = { "python", "probe", "phantomjs", "pycurl", "pubsub" },
	/* RSS readers: Tiny Tiny RSS, FreshRSS, QuiteRSS, RSSOwl, rss2email,
	 * Windows-RSS-Platform */
	['r' - 'a'] = { "rss", "reqwest", "rest-client", "restsharp" },
	/* spider, slurp (the foundation's); feed fetchers that count their
	 * subscribers (Bloglines, NewsBlur, Inoreader); syndication; Scrapy;
	 * Site24x7 and StatusCake (monitors); selfoss (feed reader) */
	['s' - 'a'] = { "spider", "slurp", "subscriber", "syndicat", "scrapy", "site24x7",
			"statuscake", "selfoss" },
	/* the uptime monitors: UptimeRobot, Uptime-Kuma, Better Uptime,
	 * Uptime.com; Python's urllib and urllib3; Node's undici */
	['u' - 'a'] = { "uptime", "urllib", "undici" },
	['w' - 'a'] = { "wget" },
	['z' - 'a'] = { "zabbix" },
};

/* The one word with an exception: "feed" (feed readers and fetchers:
 * UniversalFeedParser, Digg Feed Fetcher, Feedly, FeedBurner,
 * Feedfetcher-Google), unless it starts "feedback". Matomo's importer drops
 * any agent with "feed"; "feedback" is what that rule wrongly catches
 * ("Argus/1.1 (...; feedback at simpy dot com)" is a robot for other
 * reasons, but a browser or app naming a feedback address is not). */
#define FEED_WORD "feed"
#define FEED_EXCEPT "feedback"

/* Agents that start with these, ASCII case-insensitive: tools and language
 * runtimes that name themselves first (curl/8.4, Wget/1.21, "Ruby",
 * Java/17, PHP/8.2, Perl, Go's old "Go 1.1 package http", node, Deno/,
 * Bun/, HTTPie/, lwp-request, "fetch libfetch/2.0", the download tools
 * aria2/ and lftp/), network boot loaders
 * (gPXE/, iPXE/), FreeBSD's port checker portscout, Prometheus/ (and its
 * Blackbox Exporter), collectd, Google's health checker GoogleHC/, the
 * WordPress HTTP API ("WordPress/6.4; https://site"), LiveJournal's
 * syndication fetcher ("LiveJournal.com (webmaster@...; for ...; N
 * readers)"). */
static const char *const bot_prefixes[] = {
	"curl/",       "wget/",          "python-requests/", "go-http-client/", "okhttp/",
	"libwww-perl/", "ruby",          "java/",            "php",             "perl",
	"go 1.",       "go-",            "node",             "deno/",           "bun/",
	"httpie/",     "lwp-",           "fetch ",           "gpxe/",           "ipxe/",
	"portscout",   "prometheus/",    "blackbox exporter", "collectd/",      "googlehc/",
	"wordpress/",  "livejournal.com", "aria2/",         "lftp/",
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
	unsigned char c = agent.n ? lower((unsigned char)agent.p[0]) : 0;
	for (size_t k = 0; k < sizeof(bot_prefixes) / sizeof(bot_prefixes[0]); k++)
		if ((unsigned char)bot_prefixes[k][0] == c && slice_istarts(agent, bot_prefixes[k]))
			return true;
	return false;
}

/*
 * For each byte, the second letters of the words that start with it
 * (bit c - 'a'; bit 26: a byte that is no letter; 0: no word starts with
 * it), and each byte's own bit: so that a letter not followed by a second
 * letter of its words (most letters of an agent: "Mozilla", "AppleWebKit")
 * costs two loads and no compare with the words. Made once, from the
 * words themselves.
 */
static uint32_t follow[256], bit[256];
static pthread_once_t tables_once = PTHREAD_ONCE_INIT;

static void make_tables(void)
{
	for (int b = 0; b < 256; b++) {
		unsigned char c = lower((unsigned char)b);
		bit[b] = c >= 'a' && c <= 'z' ? 1u << (c - 'a') : 1u << 26;
	}
	for (int b = 0; b < 256; b++) {
		unsigned char c = lower((unsigned char)b);
		if (c < 'a' || c > 'z')
			continue;
		for (int k = 0; k < BOT_WORDS_PER_LETTER && words[c - 'a'][k]; k++)
			follow[b] |= bit[(unsigned char)words[c - 'a'][k][1]];
		if (c == 'f')
			follow[b] |= bit[(unsigned char)FEED_WORD[1]];
	}
}

/* Whether one of the words of the letter c starts at agent[i]. */
static bool word_at(struct slice agent, size_t i, unsigned char c)
{
	if (c == 'f')
		return at(agent, i, FEED_WORD) && !at(agent, i, FEED_EXCEPT);
	if (c == 'b' && i >= 2 && lower((unsigned char)agent.p[i - 2]) == 'c' &&
	    lower((unsigned char)agent.p[i - 1]) == 'u')
		return false; /* "CUBOT", a phone maker */
	const char *const *w = words[c - 'a'];
	for (int k = 0; k < BOT_WORDS_PER_LETTER && w[k]; k++)
		if (at(agent, i, w[k]))
			return true;
	return false;
}

bool bot_by_heuristic(struct slice agent)
{
	if (slice_is_dash(agent) || has_bot_prefix(agent))
		return true;
	(void)pthread_once(&tables_once, make_tables);
	const unsigned char *p = (const unsigned char *)agent.p;
	for (size_t i = 0; i + 3 <= agent.n; i++)
		/* every word has 3 letters or more: p[i + 1] is in the agent */
		if ((follow[p[i]] & bit[p[i + 1]]) && word_at(agent, i, lower(p[i])))
			return true;
	return false;
}

const char *bot_word(int letter, int k)
{
	if (letter < 0 || letter >= 26 || k < 0 || k >= BOT_WORDS_PER_LETTER)
		return NULL;
	return letter == 'f' - 'a' ? (k == 0 ? FEED_WORD : NULL) : words[letter][k];
}
