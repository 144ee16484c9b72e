/*
 * test_agent.c - the uap replacement rules, the prefilter's literal reader,
 * and the reduction to browser, OS, device class and robot family, and a
 * table of 137 agents, people and robots, each with why. Expected values
 * are read off the patterns and the rules in agent.h and bots.c by hand.
 */
#include <stdlib.h>

#include "../../parsers/reduce/agent.h"
#include "../../parsers/reduce/bots.h"
#include "harness.h"

static struct slice caps[REGEX_MAX_CAPS];

static void set_caps(void)
{
	memset(caps, 0, sizeof(caps));
	caps[1] = SLICE_LIT("Foo");
	caps[2] = SLICE_LIT("12");
	caps[3] = SLICE_LIT(" 3 ");
}

static void test_expand(void)
{
	char out[UAP_FIELD_MAX];
	set_caps();
	/* no replacement: the default group, trimmed */
	CHECK_INT(uap_expand(NULL, caps, 1, out), 3);
	CHECK_STR(out, "Foo");
	CHECK_INT(uap_expand(NULL, caps, 3, out), 1);
	CHECK_STR(out, "3");
	/* no replacement and no default group, or an unset group: absent */
	CHECK_INT(uap_expand(NULL, caps, 0, out), 0);
	CHECK_INT(uap_expand(NULL, caps, 4, out), 0);
	/* a literal replacement wins over the group */
	CHECK_INT(uap_expand("Bar", caps, 1, out), 3);
	CHECK_STR(out, "Bar");
	/* $N anywhere, several times; an unset group is empty */
	uap_expand("$1 for $2$4 x$1", caps, 1, out);
	CHECK_STR(out, "Foo for 12 xFoo");
	/* trimmed after substitution; only spaces left: absent */
	CHECK_INT(uap_expand("  $4 ", caps, 1, out), 0);
	uap_expand(" $3$4", caps, 1, out);
	CHECK_STR(out, "3");
	/* $0 and a lone $ are literal text in the specification's sense */
	uap_expand("a$0$", caps, 1, out);
	CHECK_STR(out, "a$0$");
}

static void check_lit(const char *pattern, const char *want)
{
	char out[RXSET_LIT_MAX];
	rxset_literal(pattern, out, sizeof(out));
	if (strcmp(out, want) != 0)
		fprintf(stderr, "literal of '%s' = '%s', want '%s'\n", pattern, out, want);
	CHECK_STR(out, want);
}

static void test_literal(void)
{
	check_lit("Googlebot\\/", "googlebot/");
	check_lit("(Firefox)/(\\d+)\\.(\\d+)", "firefox"); /* a group ends a run */
	check_lit("ab?cdef", "cdef");        /* b is optional: the run breaks */
	check_lit("abcd+ef", "abcd");        /* d+ : d required once, then a break */
	check_lit("x{0,2}yz", "yz");
	check_lit("(?:Mobile|Tablet) Safari", " safari");
	check_lit("a|bcdef", "");            /* top-level alternation: nothing */
	check_lit("(?:foo)?barbaz", "barbaz"); /* optional group skipped */
	check_lit("[abc]defg", "defg");
	check_lit("(?!nope)yes", "yes");     /* look-ahead consumes nothing */
	check_lit("(?<name>Edg)e?/", "edg");
	check_lit("\\bCrKey\\b", "crkey");
	check_lit("[Bb]ot[Ss]pider", "botspider"); /* [Xx] is a letter */
	check_lit("[Bc]otel", "otel");      /* two different letters: a class */
}

/*
 * The robot rules on agents as real logs carry them (issue 15.1): people
 * first, then robots, each with the reason it is which (README "User
 * agents": uap-core's Spider device, the crawler list, HeadlessChrome,
 * bots.c's words and prefixes). Written by hand from the programs'
 * documented agents, not from logfold's output. h: a robot by bots.c
 * alone too (--uap-regexes none), for the robots whose reason is there.
 */
static const struct {
	bool bot, h;
	const char *agent;
	const char *why;
} agent_table[] = {
	{ false, false, "Mozilla/5.0 (X11; Linux x86_64; rv:126.0) Gecko/20100101 Firefox/126.0",
	  "Firefox on Linux" },
	{ false, false, "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:126.0) Gecko/20100101 Firefox/126.0",
	  "Firefox on Windows" },
	{ false, false, "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.0.0 Safari/537.36",
	  "Chrome on Windows" },
	{ false, false, "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.0.0 Safari/537.36",
	  "Chrome on macOS" },
	{ false, false, "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15",
	  "Safari on macOS" },
	{ false, false, "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
	  "Mobile Safari" },
	{ false, false, "Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
	  "Safari on iPad" },
	{ false, false, "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.0.0 Mobile Safari/537.36",
	  "Chrome Mobile" },
	{ false, false, "Mozilla/5.0 (Linux; Android 14; SM-S911B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/24.0 Chrome/117.0.0.0 Mobile Safari/537.36",
	  "Samsung Internet" },
	{ false, false, "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.0.0 Safari/537.36 Edg/125.0.0.0",
	  "Edge" },
	{ false, false, "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 OPR/110.0.0.0",
	  "Opera" },
	{ false, false, "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Vivaldi/6.7.3329.35",
	  "Vivaldi" },
	{ false, false, "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 YaBrowser/24.4.0.0 Safari/537.36",
	  "Yandex Browser" },
	{ false, false, "Mozilla/5.0 (Android 14; Mobile; rv:126.0) Gecko/126.0 Firefox/126.0",
	  "Firefox for Android" },
	{ false, false, "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) FxiOS/126.0 Mobile/15E148 Safari/605.1.15",
	  "Firefox for iOS" },
	{ false, false, "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/125.0.6422.80 Mobile/15E148 Safari/604.1",
	  "Chrome for iOS" },
	{ false, false, "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [FBAN/FBIOS;FBAV/467.0.0.34.108;FBBV/602847376;FBDV/iPhone15,2;FBMD/iPhone;FBSN/iOS;FBSV/17.5;FBSS/3;FBCR/;FBID/phone;FBLC/fr_FR;FBOP/5]",
	  "Facebook's in-app browser: a person reading a shared link" },
	{ false, false, "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Instagram 334.0.3.19.91 (iPhone15,2; iOS 17_5; fr_FR; fr; scale=3.00; 1179x2556; 607279306)",
	  "Instagram's in-app browser" },
	{ false, false, "Mozilla/5.0 (Linux; Android 14; Pixel 8 Build/AP2A.240605.024; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/125.0.6422.147 Mobile Safari/537.36",
	  "an Android app's WebView (wv)" },
	{ false, false, "Lynx/2.9.0dev.12 libwww-FM/2.14 SSL-MM/1.4.1 GNUTLS/3.7.9",
	  "Lynx, a text browser: \"libwww-FM\" is not libwww-perl" },
	{ false, false, "w3m/0.5.3+git20230121",
	  "w3m, a text browser" },
	{ false, false, "Links (2.29; Linux 6.1.0-21-amd64 x86_64; GNU C 12.2; text)",
	  "Links, a text browser" },
	{ false, false, "ELinks/0.16.1.1 (textmode; Linux 6.1.0-21-amd64 x86_64; 80x24-2)",
	  "ELinks, a text browser" },
	{ false, false, "Mozilla/5.0 (X11; Linux x86_64; rv:115.0) Gecko/20100101 Thunderbird/115.11.0",
	  "Thunderbird opening a page" },
	{ false, false, "Mozilla/5.0 (X11; Linux x86_64; rv:24.0) Gecko/20100101 Thunderbird/24.2.0 Lightning/2.6.4",
	  "the crawler list's \"NING\\/\" matches \"Lightning/\" only caselessly: it has capitals, so it does not" },
	{ false, false, "Mozilla/5.0 (Linux; Android 4.2.1; Panasonic P51 Build/JOP40D) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/28.0.1500.64 Mobile Safari/537.36",
	  "a Panasonic phone: the list's \"Sonic\" keeps its case" },
	{ false, false, "Mozilla/5.0 (Linux; Android 4.2.2; HTC J butterfly Build/JDQ39) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/29.0.1547.49 Mobile Safari/537.36",
	  "HTC's butterfly: the list's \"Butterfly\" keeps its case" },
	{ false, false, "Mozilla/5.0 (compatible; MSIE 10.0; Windows Phone 8.0; Trident/6.0; IEMobile/10.0; ARM; Touch; Qualcomm; FLUID)",
	  "Windows Phone: the list's \"Fluid\" keeps its case" },
	{ false, false, "Mozilla/5.0 (SMART-TV; LINUX; Tizen 6.5) AppleWebKit/537.36 (KHTML, like Gecko) 85.0.4183.93/6.5 TV Safari/537.36",
	  "a Samsung TV's browser" },
	{ false, false, "Mozilla/5.0 (PlayStation; PlayStation 5/2.26) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/13.0 Safari/605.1.15",
	  "a console's browser" },
	{ false, false, "Mozilla/5.0 (X11; U; Linux armv7l like Android; en-us) AppleWebKit/531.2+ (KHTML, like Gecko) Version/5.0 Safari/531.2+ Kindle/3.0+",
	  "a Kindle's browser" },
	{ false, false, "Mozilla/5.0 (Windows NT 10.0; WOW64; Trident/7.0; rv:11.0) like Gecko",
	  "Internet Explorer 11" },
	{ false, false, "Opera/9.80 (J2ME/MIDP; Opera Mini/9.80 (S60; SymbOS; Opera Mobi/23.348; U; en) Presto/2.5.25 Version/10.54",
	  "Opera Mini" },
	{ false, false, "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 DuckDuckGo/7 Safari/605.1.15",
	  "DuckDuckGo's browser (\"Duck\" is no robot word)" },
	{ false, false, "Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.0.0 Safari/537.36",
	  "Chrome on ChromeOS" },
	{ false, false, "Mozilla/5.0 (Linux; U; Android 13; en-US; V2207 Build/TP1A.220624.014) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/100.0.4896.58 UCBrowser/13.4.0.1306 Mobile Safari/537.36",
	  "UC Browser" },
	{ false, false, "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:126.0) Gecko/20100101 Firefox/126.0 (feedback@corp.example)",
	  "\"feedback\" is the one word \"feed\" does not catch" },
	{ false, false, "Mozilla/5.0 (X11; Linux x86_64) works-like curl/8.0",
	  "\"curl/\" only at the start (testdata/basic)" },
	{ false, false, "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Slack/4.38.125 Chrome/122.0.6261.130 Electron/29.1.5 Safari/537.36",
	  "an Electron app's window" },
	{ false, false, "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:115.0) Gecko/20100101 Goanna/6.6 Firefox/115.0 PaleMoon/33.1.1",
	  "Pale Moon" },
	{ false, false, "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:115.0) Gecko/20100101 Firefox/115.0 SeaMonkey/2.53.18.2",
	  "SeaMonkey" },
	{ false, false, "Mozilla/5.0 (Linux; Android 12; NOH-NX9) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/114.0.0.0 HuaweiBrowser/14.0.5.302 Mobile Safari/537.36",
	  "Huawei Browser" },
	{ false, false, "Mozilla/5.0 (Linux; U; Android 13; fr-fr; 2201117TY Build/TKQ1.221114.001) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/112.0.5615.136 Mobile Safari/537.36 XiaoMi/MiuiBrowser/14.10.0-gn",
	  "MIUI browser" },
	{ false, false, "Dalvik/2.1.0 (Linux; U; Android 13; Pixel 7 Build/TQ3A.230901.001)",
	  "an Android app's own requests: it shows what a person asked for (bots.c)" },
	{ false, false, "Mozilla/5.0 (Linux; Android 4.2.2; CUBOT C11 Build/JDQ39) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/31.0.1650.57 Mobile Safari/537.36",
	  "a CUBOT phone: \"bot\" after \"cu\" is the maker's name (uap-core excepts it too)" },
	{ false, false, "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.0.0 Safari/537.36 Brave/125",
	  "Brave" },
	{ true, true, "UniversalFeedParser/5.2.1 +https://github.com/kurtmckee/feedparser/",
	  "feed library: \"feed\" (issue 15.1)" },
	{ true, true, "Digg Feed Fetcher 1.0 (Digg, Inc; +http://digg.com)",
	  "feed fetcher: \"feed\" (issue 15.1)" },
	{ true, true, "LiveJournal.com (webmaster@livejournal.com; for http://www.livejournal.com/users/someone/; 12 readers)",
	  "syndication: starts \"LiveJournal.com\" (issue 15.1)" },
	{ true, true, "Feedly/1.0 (+http://www.feedly.com/fetcher.html; 12 subscribers; like FeedFetcher-Google)",
	  "feed fetcher: \"feed\", \"subscriber\"" },
	{ true, true, "Feedbin feed-id:1033517 - 1000 subscribers",
	  "feed fetcher: \"feed\", \"subscriber\"" },
	{ true, true, "Tiny Tiny RSS/23.04 (https://tt-rss.org/)",
	  "feed reader: \"rss\"" },
	{ true, true, "FreshRSS/1.23.1 (Linux; https://freshrss.org)",
	  "feed reader: \"rss\"" },
	{ true, true, "Miniflux/2.1.3 (+https://miniflux.app)",
	  "feed reader: \"miniflux\"" },
	{ true, true, "NewsBlur Feed Fetcher - 12 subscribers - https://www.newsblur.com/site/123/example",
	  "feed fetcher: \"feed\", \"subscriber\"" },
	{ true, true, "Inoreader/1.0 (+http://www.inoreader.com/feed-fetcher; 5 subscribers; )",
	  "feed fetcher: \"feed\", \"subscriber\"" },
	{ true, true, "Bloglines/3.1 (http://www.bloglines.com; 5 subscribers)",
	  "feed fetcher: \"subscriber\"" },
	{ true, true, "Newsboat/2.35.0 (Linux x86_64)",
	  "feed reader: \"newsboat\"" },
	{ true, true, "NetNewsWire (RSS Reader; https://netnewswire.com/)",
	  "feed reader: \"rss\"" },
	{ true, true, "Mozilla/5.0 (Windows NT 6.1) AppleWebKit/538.1 (KHTML, like Gecko) QuiteRSS/0.19.4 Safari/538.1",
	  "feed reader dressed as a browser: \"rss\"" },
	{ true, true, "rss2email/3.14 (https://github.com/rss2email/rss2email)",
	  "feed to mail: \"rss\"" },
	{ true, true, "Liferea/1.15.6 (Linux; en_US.UTF-8; https://lzone.de/liferea/)",
	  "feed reader: \"liferea\"" },
	{ true, true, "Akregator/5.24.5; librss/remnants",
	  "feed reader: \"akregator\"" },
	{ true, true, "Windows-RSS-Platform/2.0 (IE 11.0; Windows NT 6.1)",
	  "Windows' feed engine: \"rss\"" },
	{ true, true, "Apple-PubSub/65.28",
	  "Apple's feed engine: \"pubsub\"" },
	{ true, true, "Superfeedr bot/2.0 http://superfeedr.com - Make your feeds realtime: get in touch - feed-id:123",
	  "feed hub: \"bot\", \"feed\"" },
	{ true, true, "Selfoss/2.19 (+https://selfoss.aditu.de)",
	  "feed reader: \"selfoss\"" },
	{ true, true, "Nextcloud-News/1.0",
	  "feed reader: \"nextcloud-news\"" },
	{ true, true, "Prometheus/2.51.0",
	  "monitor: starts \"Prometheus/\" (issue 15.1)" },
	{ true, true, "Blackbox Exporter/0.24.0",
	  "Prometheus' prober: starts \"Blackbox Exporter\"" },
	{ true, true, "Mozilla/5.0+(compatible; UptimeRobot/2.0; http://www.uptimerobot.com/)",
	  "monitor: \"bot\", \"uptime\"" },
	{ true, true, "Uptime-Kuma/1.23.11",
	  "monitor: \"uptime\"" },
	{ true, true, "check_http/v2.3.3 (monitoring-plugins 2.3.3)",
	  "Nagios/Icinga check: \"check_http\", \"monitor\"" },
	{ true, true, "Zabbix",
	  "monitor: \"zabbix\"" },
	{ true, true, "Datadog Agent/7.53.0",
	  "monitor: \"datadog\"" },
	{ true, true, "Site24x7",
	  "monitor: \"site24x7\"" },
	{ true, true, "Mozilla/5.0 (compatible; StatusCake)",
	  "monitor: \"statuscake\"" },
	{ true, true, "kube-probe/1.29",
	  "Kubernetes probe: \"probe\"" },
	{ true, true, "ELB-HealthChecker/2.0",
	  "AWS health check: \"healthcheck\"" },
	{ true, true, "GoogleHC/1.0",
	  "Google Cloud health check: starts \"GoogleHC/\"" },
	{ true, true, "Consul Health Check",
	  "health check: \"health check\"" },
	{ true, true, "Pingdom.com_bot_version_1.4_(http://www.pingdom.com/)",
	  "monitor: \"bot\"" },
	{ true, true, "Mozilla/5.0 (compatible; PRTG Network Monitor (www.paessler.com); Windows)",
	  "monitor: \"monitor\"" },
	{ true, true, "collectd/5.12.0",
	  "monitor: starts \"collectd/\"" },
	{ true, true, "curl/8.5.0",
	  "tool: starts \"curl/\"" },
	{ true, true, "Wget/1.21.4",
	  "tool: starts \"Wget/\"" },
	{ true, true, "python-requests/2.31.0",
	  "library: \"python\"" },
	{ true, true, "Python-urllib/3.11",
	  "library: \"python\", \"urllib\"" },
	{ true, true, "Python/3.11 aiohttp/3.9.5",
	  "library: \"python\", \"aiohttp\"" },
	{ true, true, "python-httpx/0.27.0",
	  "library: \"python\"" },
	{ true, true, "Go-http-client/2.0",
	  "library: starts \"Go-\", \"http-client\"" },
	{ true, true, "Java/17.0.2",
	  "runtime: starts \"Java/\"" },
	{ true, true, "Apache-HttpClient/4.5.14 (Java/17.0.2)",
	  "library: \"httpclient\"" },
	{ true, true, "okhttp/4.12.0",
	  "library: \"okhttp\"" },
	{ true, true, "node-fetch/1.0 (+https://github.com/bitinn/node-fetch)",
	  "library: starts \"node\"" },
	{ true, true, "axios/1.6.8",
	  "library: \"axios\"" },
	{ true, true, "node",
	  "Node.js fetch's default: starts \"node\"" },
	{ true, true, "undici",
	  "Node's HTTP client: \"undici\"" },
	{ true, true, "Deno/1.44.0",
	  "runtime: starts \"Deno/\"" },
	{ true, true, "Bun/1.1.13",
	  "runtime: starts \"Bun/\"" },
	{ true, true, "GuzzleHttp/7",
	  "library: \"guzzle\"" },
	{ true, true, "PHP/8.2.7",
	  "runtime: starts \"PHP\"" },
	{ true, true, "Ruby",
	  "Ruby's Net::HTTP: starts \"Ruby\" (issue 15.1)" },
	{ true, true, "libwww-perl/6.72",
	  "library: starts \"libwww-perl/\"" },
	{ true, true, "LWP::Simple/6.72 libwww-perl/6.72",
	  "library: \"libwww-perl\"" },
	{ true, true, "fetch libfetch/2.0",
	  "FreeBSD fetch: \"libfetch\" (issue 15.1)" },
	{ true, true, "portscout/0.8.1",
	  "FreeBSD port checker: starts \"portscout\" (issue 15.1)" },
	{ true, true, "gPXE/1.0.1",
	  "network boot: starts \"gPXE/\" (issue 15.1)" },
	{ true, true, "iPXE/1.21.1+ (g4bd064de)",
	  "network boot: starts \"iPXE/\"" },
	{ true, true, "HTTPie/3.2.2",
	  "tool: starts \"HTTPie/\"" },
	{ true, true, "Scrapy/2.11.2 (+https://scrapy.org)",
	  "scraper: \"scrapy\"" },
	{ true, true, "reqwest/0.12",
	  "library: \"reqwest\"" },
	{ true, true, "RestSharp/110.2.0.0",
	  "library: \"restsharp\"" },
	{ true, true, "WordPress/6.5.4; https://blog.example.net",
	  "WordPress's HTTP API: starts \"WordPress/\"" },
	{ true, true, "aria2/1.37.0",
	  "download tool: starts \"aria2/\"" },
	{ true, true, "PycURL/7.45.3 libcurl/8.5.0 OpenSSL/3.0.13 zlib/1.3",
	  "library: \"pycurl\", \"libcurl\"" },
	{ true, true, "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/125.0.0.0 Safari/537.36",
	  "headless browser: uap family HeadlessChrome, \"headless\"" },
	{ true, true, "Mozilla/5.0 (Unknown; Linux x86_64) AppleWebKit/538.1 (KHTML, like Gecko) PhantomJS/2.1.1 Safari/538.1",
	  "headless browser: \"phantomjs\"" },
	{ true, true, "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
	  "crawler: uap Spider, \"bot\"" },
	{ true, true, "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
	  "crawler: uap Spider, \"bot\"" },
	{ true, false, "Mozilla/5.0 (compatible; Ezooms/1.0; help@moz.com)",
	  "crawler: the list's \"ezooms\" in any case (issue 15.1)" },
	{ true, true, "Mozilla/5.0 (compatible; DotBot/1.2; +https://opensiteexplorer.org/dotbot; help@moz.com)",
	  "crawler: \"bot\"" },
	{ true, true, "BacklinkCrawler (http://www.backlinktest.com/crawler.html)",
	  "crawler: \"crawl\"" },
	{ true, true, "Mozilla/5.0 (compatible; SemrushBot/7~bl; +http://www.semrush.com/bot.html)",
	  "crawler: \"bot\"" },
	{ true, false, "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
	  "link preview: the crawler list" },
	{ true, true, "Twitterbot/1.0",
	  "link preview: \"bot\"" },
	{ true, false, "WhatsApp/2.23.20.0",
	  "link preview: uap Spider" },
	{ true, true, "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
	  "link preview: \"bot\"" },
	{ true, true, "",
	  "empty agent" },
	{ true, true, "-",
	  "\"-\" agent" },
	{ true, true, "Mozilla/5.0 (compatible; Yahoo! Slurp; http://help.yahoo.com/help/us/ysearch/slurp)",
	  "crawler: \"slurp\"" },
	{ true, true, "Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.6422.141 Mobile Safari/537.36 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
	  "mobile crawler dressed as Chrome: uap Spider, \"bot\"" },
	{ true, true, "Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)",
	  "crawler: \"bot\"" },
	{ true, true, "Baiduspider",
	  "crawler: \"spider\"" },
	{ true, false, "ia_archiver",
	  "archiver: the crawler list" },
	{ true, true, "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2; +https://openai.com/gptbot)",
	  "AI crawler: \"bot\"" },
	{ true, true, "CCBot/2.0 (https://commoncrawl.org/faq/)",
	  "crawler: \"bot\"" },
};

static struct agents ag;

static const struct agent_class *classify(const char *ua)
{
	return agents_classify(&ag, slice_cstr(ua));
}

static void test_classes(void)
{
	static const unsigned char key[16] = { 1 };
	char err[256];
	if (agents_init(&ag, UAP_DEFAULT_REGEXES, key, err, sizeof(err)) != LF_OK) {
		fprintf(stderr, "cannot load %s: %s\n", UAP_DEFAULT_REGEXES, err);
		CHECK(0);
		return;
	}
	const struct agent_class *c;
	c = classify("Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0");
	CHECK(!c->bot);
	CHECK_STR(c->name, "Firefox 125");
	CHECK_STR(c->os, "Ubuntu");
	CHECK_INT(c->device, AGENT_DESKTOP);
	c = classify("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like "
		     "Gecko) Chrome/124.0.0.0 Mobile Safari/537.36");
	CHECK_STR(c->name, "Chrome Mobile 124");
	CHECK_STR(c->os, "Android 14");
	CHECK_INT(c->device, AGENT_MOBILE);
	/* the same without "Mobile": an Android tablet */
	c = classify("Mozilla/5.0 (Linux; Android 13; SM-X200) AppleWebKit/537.36 (KHTML, like "
		     "Gecko) Chrome/124.0.0.0 Safari/537.36");
	CHECK_INT(c->device, AGENT_TABLET);
	c = classify("Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, "
		     "like Gecko) Version/17.4 Mobile/15E148 Safari/604.1");
	CHECK_INT(c->device, AGENT_TABLET);
	CHECK_STR(c->os, "iOS 17");
	c = classify("Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
		     "(KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1");
	CHECK_INT(c->device, AGENT_MOBILE);
	CHECK_STR(c->name, "Mobile Safari 17");
	c = classify("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like "
		     "Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.0.0");
	CHECK_STR(c->name, "Edge 124");
	CHECK_STR(c->os, "Windows 10");
	CHECK_INT(c->device, AGENT_DESKTOP);
	/* televisions and consoles are "other", before the phone and tablet
	 * rules: a Tizen TV is no phone, an Android TV (no "Mobile") no tablet */
	c = classify("Mozilla/5.0 (SMART-TV; LINUX; Tizen 6.0) AppleWebKit/537.36 (KHTML, like "
		     "Gecko) 76.0.3809.146/6.0 TV Safari/537.36");
	CHECK(!c->bot);
	CHECK_STR(c->os, "Tizen");
	CHECK_INT(c->device, AGENT_OTHER);
	c = classify("Mozilla/5.0 (Linux; Android 12; BRAVIA 4K UR3 Build/STTE.231215.005) "
		     "AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36");
	CHECK_STR(c->os, "Android 12");
	CHECK_INT(c->device, AGENT_OTHER);
	c = classify(
		"Mozilla/5.0 (Linux; Android 9; AFTMM Build/PS7633.3445N; wv) AppleWebKit/537.36 "
		"(KHTML, like Gecko) Version/4.0 Chrome/130.0.6723.102 Mobile Safari/537.36");
	CHECK_INT(c->device, AGENT_OTHER);
	c = classify("Mozilla/5.0 (Web0S; Linux/SmartTV) AppleWebKit/537.36 (KHTML, like Gecko) "
		     "Chrome/94.0.4606.128 Safari/537.36 WebAppManager");
	CHECK_INT(c->device, AGENT_OTHER);
	c = classify("Mozilla/5.0 (Windows NT 10.0; Win64; x64; Xbox; Xbox One) AppleWebKit/537.36 "
		     "(KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edge/44.18363.8131");
	CHECK_INT(c->device, AGENT_OTHER);
	/* but a phone, a tablet and a watch of the same makers stay what they are */
	c = classify("Mozilla/5.0 (Linux; Tizen 2.4; SAMSUNG SM-Z200F) AppleWebKit/537.3 (KHTML, "
		     "like Gecko) SamsungBrowser/1.0 Mobile Safari/537.3");
	CHECK_INT(c->device, AGENT_MOBILE);
	c = classify(
		"Mozilla/5.0 (Linux; Android 9; KFTRWI) AppleWebKit/537.36 (KHTML, like Gecko) "
		"Silk/131.4.1 like Chrome/131.0.6778.108 Safari/537.36");
	CHECK_INT(c->device, AGENT_TABLET);
	/* robots: uap's Spider with a name uap spells; the crawler list; headless */
	c = classify("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)");
	CHECK(c->bot);
	CHECK_STR(c->name, "Googlebot");
	c = classify("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
		     "HeadlessChrome/120.0.0.0 Safari/537.36");
	CHECK(c->bot);
	CHECK_STR(c->name, "HeadlessChrome");
	/* a robot dressed as a browser is not named after the browser uap
	 * reads: the crawler list's name, else "other" */
	c = classify("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like "
		     "Gecko) Chrome/104.0.0.0 Safari/537.36 StatusCake");
	CHECK(c->bot);
	CHECK_STR(c->name, "StatusCake");
	c = classify(
		"Mozilla/5.0 (Linux; Android 11; moto g power (2022)) AppleWebKit/537.36 (KHTML, "
		"like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36 Chrome-Lighthouse");
	CHECK(c->bot);
	CHECK_STR(c->name, "Chrome-Lighthouse");
	c = classify("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like "
		     "Gecko) Chrome/120.0.0.0 Safari/537.36 (compatible; monitoring)");
	CHECK(c->bot);
	CHECK_STR(c->name, "other");
	/* a tool uap names, without an OS, keeps uap's name */
	c = classify("python-requests/2.32.3");
	CHECK(c->bot);
	CHECK_STR(c->name, "Python Requests");
	/* a catch-all capture is never a robot's name: agent text stays out */
	c = classify("Mozilla/5.0 (compatible; qwertyuiopbot/1.0)");
	CHECK(c->bot);
	CHECK(strstr(c->name, "qwerty") == NULL);
	/* empty and "-": robots by the foundation's heuristic */
	CHECK(classify("")->bot);
	CHECK(classify("-")->bot);
	/* the table: at least 100 agents, people and robots */
	size_t n = sizeof(agent_table) / sizeof(agent_table[0]), people = 0;
	CHECK(n >= 100);
	for (size_t i = 0; i < n; i++) {
		struct slice a = slice_cstr(agent_table[i].agent);
		bool got = agents_classify(&ag, a)->bot, h = bot_by_heuristic(a);
		if (got != agent_table[i].bot || (agent_table[i].h && !h) || (!agent_table[i].bot && h))
			fprintf(stderr, "agent '%s': robot %d (bots.c %d), want %d (%s)\n",
				agent_table[i].agent, got, h, agent_table[i].bot, agent_table[i].why);
		CHECK(got == agent_table[i].bot);
		CHECK(!agent_table[i].h || h);
		CHECK(agent_table[i].bot || !h); /* bots.c never takes a person for a robot */
		people += !agent_table[i].bot;
	}
	CHECK(people >= 40 && n - people >= 60);
	/* the cache: a repeat is a hit and the same answer */
	uint64_t hits = ag.hits;
	c = classify("-");
	CHECK_INT(ag.hits, hits + 1);
	CHECK(c->bot);
	agents_release(&ag);
}

/* first(set, subject) with the prefilter's index, and without it: the
 * same answer, which the test gives. */
static int first(struct rxset *set, const char *subject)
{
	char lower[256];
	struct slice cap[REGEX_MAX_CAPS];
	struct rxset_subject sub;
	rxset_prepare(&sub, slice_cstr(subject), lower);
	int with = rxset_first(set, &sub, true, cap);
	CHECK_INT(rxset_first(set, &sub, false, cap), with);
	return with;
}

/* The set's index of trigrams: a rule is tried when a literal of its first
 * requirement is in the subject, or when it has none, in the rules' order;
 * rules added after a match are indexed too. */
static void test_rxset_index(void)
{
	struct rxset set;
	char err[128];
	rxset_init(&set);
	static const char *const rules[] = {
		"Firefox/(\\d+)",   /* 0: literal "firefox/" */
		"(?:Edge|Edg)/\\d",  /* 1: "edge" or "edg/": alternatives */
		"Chrome/\\d+",       /* 2 */
		"^[A-Z]",             /* 3: no literal: always tried */
	};
	for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++)
		CHECK_INT(rxset_add(&set, rules[i], 0, err, sizeof(err)), LF_OK);
	CHECK_INT(first(&set, "x Firefox/125"), 0);
	CHECK_INT(first(&set, "x Chrome/124 Edg/124"), 1); /* 1 before 2 */
	CHECK_INT(first(&set, "x Chrome/124"), 2);
	CHECK_INT(first(&set, "Curl"), 3);
	CHECK_INT(first(&set, "curl"), -1);
	CHECK_INT(first(&set, "x firefox/125"), -1); /* the regex is case-sensitive */
	/* added after the index was built: indexed at the next match */
	CHECK_INT(rxset_add(&set, "curl/", 0, err, sizeof(err)), LF_OK);
	CHECK_INT(first(&set, "curl/8"), 4);
	CHECK_INT(first(&set, "x Chrome/124"), 2);
	rxset_release(&set);
}

/* Two threads' agents in front of one shared cache (--jobs): an agent one
 * classified is found by the other, which then classifies nothing, with
 * the same answer; each keeps its own counts. */
static void test_shared(void)
{
	static const unsigned char k1[16] = { 1 }, k2[16] = { 2 }, ks[16] = { 3 };
	static const char firefox[] =
		"Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0";
	struct agents a, b;
	struct agent_shared sh;
	char err[256];
	CHECK_INT(agent_shared_init(&sh, ks), LF_OK);
	CHECK_INT(agents_init(&a, UAP_DEFAULT_REGEXES, k1, err, sizeof(err)), LF_OK);
	CHECK_INT(agents_init(&b, UAP_DEFAULT_REGEXES, k2, err, sizeof(err)), LF_OK);
	a.shared = b.shared = &sh;
	struct agent_class first = *agents_classify(&a, slice_cstr(firefox));
	CHECK_INT(a.misses, 1);
	CHECK_INT(a.hits, 0);
	const struct agent_class *c = agents_classify(&b, slice_cstr(firefox));
	CHECK_INT(b.misses, 0); /* found in the shared cache: not classified again */
	CHECK_INT(b.hits, 1);
	CHECK_STR(c->name, "Firefox 125");
	CHECK_STR(c->os, first.os);
	CHECK_INT(c->device, first.device);
	CHECK(!c->bot && !first.bot);
	agents_classify(&b, slice_cstr(firefox)); /* now in b's own cache */
	CHECK_INT(b.hits, 2);
	/* one b classified first is a hit for a */
	c = agents_classify(&b, slice_cstr("curl/8.5.0"));
	CHECK_INT(b.misses, 1);
	CHECK(c->bot);
	c = agents_classify(&a, slice_cstr("curl/8.5.0"));
	CHECK_INT(a.misses, 1);
	CHECK(c->bot);
	agents_release(&a);
	agents_release(&b);
	agent_shared_release(&sh);
}

TEST_MAIN(test_expand, test_literal, test_classes, test_shared, test_rxset_index)
