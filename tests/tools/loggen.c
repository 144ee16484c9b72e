/*
 * loggen.c - a deterministic generator of realistic access logs, for the
 * benchmark (tests/bench/bench.sh) and the bundled sample (testdata/sample).
 *
 *   loggen [--lines N] [--seed S] [--days D]
 *          [--format combined|vcombined|timed] [--visitors N] [--pages N]
 *
 * writes N lines of Apache/nginx "combined" (or "vcombined") log on stdout,
 * or "timed": combined and nginx's $request_time (seconds, 3 decimals) at
 * the end, drawn from a generator of its own so that every other byte is
 * the combined log's:
 * visitors from a fixed pool (~15 % IPv6, ~2000 distinct user agents) browse
 * in sessions (a few pages a few tens of seconds apart, each page followed by
 * its assets), some come back minutes later; pages are Zipf-distributed over
 * a fixed set; ~10 % of lines are bots, ~50 % assets; statuses are mostly
 * 200 with some 304/404/301/500; a few POST and HEAD. Timestamps rise over D
 * days with a +0100 offset.
 *
 * The same arguments give the same bytes on every machine: one seeded
 * splitmix64 generator (never rand()), no clock, no locale, no libm. The
 * pools of visitors and pages do not depend on --lines, so twice the lines
 * is the same universe visited twice as often (the benchmark's RSS check).
 * What it does not try to be: a model of any real site's traffic; it only
 * has to exercise every path of logfold at a realistic mix.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the random generator: splitmix64 (Steele, Lea, Flood 2014) ---- */

struct rng {
	uint64_t s;
};

static uint64_t rng_next(struct rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15u);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

/* A number in 0..n-1 (n > 0). The multiply-shift has a bias of n / 2^32,
 * far below anything a log generator could show. */
static uint32_t rng_below(struct rng *r, uint32_t n)
{
	return (uint32_t)(((rng_next(r) >> 32) * (uint64_t)n) >> 32);
}

/* A double in [0, 1), from the top 53 bits: exact, so the same everywhere. */
static double rng_unit(struct rng *r)
{
	return (double)(rng_next(r) >> 11) * (1.0 / 9007199254740992.0);
}

/* True with probability per_mille / 1000. */
static bool rng_chance(struct rng *r, unsigned per_mille)
{
	return rng_below(r, 1000) < per_mille;
}

/* ---- Zipf-like choice: weight of rank i is 1/(i+1) ---- */

struct zipf {
	double *cdf;
	uint32_t n;
};

static void zipf_init(struct zipf *z, uint32_t n)
{
	z->n = n;
	z->cdf = malloc(n * sizeof *z->cdf);
	if (!z->cdf) {
		perror("loggen");
		exit(1);
	}
	double sum = 0;
	for (uint32_t i = 0; i < n; i++)
		z->cdf[i] = (sum += 1.0 / (double)(i + 1));
	for (uint32_t i = 0; i < n; i++)
		z->cdf[i] /= sum;
}

static uint32_t zipf_pick(const struct zipf *z, struct rng *r)
{
	double u = rng_unit(r);
	uint32_t lo = 0, hi = z->n - 1;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (z->cdf[mid] > u)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

/* ---- output: one big buffer, flushed with checked writes ---- */

/* 64 KiB: large enough that fwrite is rare, small enough to stay in cache. */
static char obuf[1 << 16];
static size_t olen;

static void out_flush(void)
{
	if (olen && fwrite(obuf, 1, olen, stdout) != olen) {
		perror("loggen: write");
		exit(1);
	}
	olen = 0;
}

static void out_mem(const char *s, size_t n)
{
	if (olen + n > sizeof obuf)
		out_flush();
	memcpy(obuf + olen, s, n);
	olen += n;
}

static void out_str(const char *s)
{
	out_mem(s, strlen(s));
}

static void out_u(uint64_t v)
{
	char t[24];
	size_t i = sizeof t;
	do
		t[--i] = (char)('0' + v % 10);
	while (v /= 10);
	out_mem(t + i, sizeof t - i);
}

/* ---- fixed vocabularies ---- */

static const char *const words[] = {
	"alpha", "amber", "anchor", "apple", "arrow", "atlas", "basil", "beacon", "birch",
	"bloom", "breeze", "bridge", "canyon", "cedar", "cobalt", "comet", "coral", "delta",
	"ember", "falcon", "fern", "fjord", "garnet", "glacier", "granite", "harbor", "hazel",
	"horizon", "indigo", "iris", "jade", "juniper", "kestrel", "lagoon", "lantern", "lemon",
	"linen", "lotus", "maple", "marble", "meadow", "mesa", "nectar", "nova", "oasis",
	"olive", "onyx", "orbit", "pebble", "pine", "prairie", "quartz", "raven", "reef",
	"river", "saffron", "sage", "sierra", "summit", "tundra", "velvet", "willow", "zephyr",
	"zenith",
};
#define NWORDS (sizeof words / sizeof words[0])

static const char *const top_pages[] = {
	"/", "/about", "/contact", "/pricing", "/blog/", "/docs/", "/search", "/login",
	"/products/", "/news/", "/careers", "/privacy", "/terms", "/faq", "/docs/getting-started.html",
};

static const char *const assets[] = {
	"/static/css/main.3f2a9c.css", "/static/css/vendor.81bd02.css", "/static/js/app.9c41e7.js",
	"/static/js/vendor.2d7f55.js", "/static/js/runtime.c0ffee.js", "/static/js/app.9c41e7.js.map",
	"/favicon.ico", "/apple-touch-icon.png", "/img/logo.svg", "/img/hero.webp", "/img/hero@2x.webp",
	"/img/team.jpg", "/img/og-card.png", "/fonts/inter-var.woff2", "/fonts/inter-italic.woff2",
	"/fonts/mono.woff", "/img/icons/search.svg", "/img/icons/menu.svg", "/img/icons/cart.svg",
	"/img/banner-spring.avif", "/img/product-thumb-1.jpg", "/img/product-thumb-2.jpg",
	"/img/product-thumb-3.jpg", "/img/product-thumb-4.jpg", "/media/intro.mp4",
	"/static/js/analytics.mjs", "/img/spinner.gif", "/fonts/icons.ttf", "/downloads/brochure.zip",
	"/img/map.png",
};
#define NASSETS (sizeof assets / sizeof assets[0])

static const char *const bot_agents[] = {
	"Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
	"Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.109 Mobile Safari/537.36 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
	"Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
	"Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)",
	"Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)",
	"Mozilla/5.0 (compatible; SemrushBot/7~bl; +http://www.semrush.com/bot.html)",
	"Mozilla/5.0 (compatible; DotBot/1.2; +https://opensiteexplorer.org/dotbot; help@moz.com)",
	"Mozilla/5.0 (compatible; Yahoo! Slurp; http://help.yahoo.com/help/us/ysearch/slurp)",
	"Mozilla/5.0 (compatible; MJ12bot/v1.4.8; http://mj12bot.com/)",
	"Mozilla/5.0 (compatible; PetalBot;+https://webmaster.petalsearch.com/site/petalbot)",
	"Baiduspider+(+http://www.baidu.com/search/spider.htm)",
	"Mozilla/5.0 (compatible; archive.org_bot +http://archive.org/details/archive.org_bot)",
	"CCBot/2.0 (https://commoncrawl.org/faq/)",
	"curl/8.4.0",
	"curl/7.88.1",
	"python-requests/2.31.0",
	"Go-http-client/1.1",
	"Wget/1.21.3",
	"okhttp/4.12.0",
	"libwww-perl/6.72",
	"-",
	"",
};
#define NBOTS (sizeof bot_agents / sizeof bot_agents[0])

static const char *const search_referers[] = {
	"https://www.google.com/", "https://www.google.de/", "https://www.google.co.uk/",
	"https://www.bing.com/", "https://duckduckgo.com/", "https://search.yahoo.com/",
	"https://www.ecosia.org/", "https://t.co/x3kq9", "https://news.ycombinator.com/",
	"https://www.reddit.com/r/webdev/", "https://www.facebook.com/", "https://l.instagram.com/",
	"android-app://com.google.android.gm/", "https://www.linkedin.com/feed/",
};
#define NSEARCH (sizeof search_referers / sizeof search_referers[0])

static const char *const sites[] = {"www.example.org", "blog.example.org", "shop.example.org"};

static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
				     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

/* ---- pools built once, independent of --lines ---- */

static char *xstrdup(const char *s)
{
	char *p = strdup(s);
	if (!p) {
		perror("loggen");
		exit(1);
	}
	return p;
}

static const char *word(struct rng *r)
{
	return words[rng_below(r, NWORDS)];
}

/* Page i: the first few are fixed; the rest are blog posts, products, docs,
 * tags and news in realistic shapes. Rank 0 is the most popular.
 * Random values are drawn into locals first, one statement each: the order
 * in which a call's arguments are evaluated is unspecified in C, and gcc and
 * clang differ, which would make the output depend on the compiler. */
static char *make_page(struct rng *r, uint32_t i)
{
	char b[160];
	if (i < sizeof top_pages / sizeof top_pages[0])
		return xstrdup(top_pages[i]);
	uint32_t k = rng_below(r, 100);
	uint32_t n1 = rng_below(r, 9900), n2 = rng_below(r, 12);
	const char *w1 = word(r), *w2 = word(r), *w3 = word(r);
	if (k < 35)
		snprintf(b, sizeof b, "/blog/%u/%02u/%s-%s-%s", 2019 + n1 % 6, 1 + n2, w1, w2, w3);
	else if (k < 60)
		snprintf(b, sizeof b, "/products/%s/%s-%s-%u", w1, w2, w3, 100 + n1);
	else if (k < 80)
		snprintf(b, sizeof b, "/docs/%s/%s-%s.html", w1, w2, w3);
	else if (k < 90)
		snprintf(b, sizeof b, "/tag/%s/", w1);
	else
		snprintf(b, sizeof b, "/news/%u-%s-%s", 1000 + n1 % 9000, w1, w2);
	return xstrdup(b);
}

/* User agent i: a browser, version and platform, with a build number so
 * that ~2000 draws give ~2000 distinct strings. */
static char *make_agent(struct rng *r)
{
	static const char *const desktop[] = {
		"Windows NT 10.0; Win64; x64", "Macintosh; Intel Mac OS X 10_15_7", "X11; Linux x86_64",
		"Windows NT 6.1; Win64; x64", "X11; Ubuntu; Linux x86_64", "X11; CrOS x86_64 14541.0.0",
	};
	static const char *const phones[] = {
		"Linux; Android 14; Pixel 8", "Linux; Android 13; SM-S918B", "Linux; Android 12; SM-A536B",
		"Linux; Android 13; 2211133G", "Linux; Android 11; moto g(30)", "Linux; Android 14; CPH2581",
		"Linux; Android 10; K", "Linux; Android 13; SM-G991B",
	};
	char b[320];
	uint32_t k = rng_below(r, 100);
	uint32_t v = 100 + rng_below(r, 31);
	const char *d = desktop[rng_below(r, sizeof desktop / sizeof desktop[0])];
	const char *p = phones[rng_below(r, sizeof phones / sizeof phones[0])];
	uint32_t build = 4000 + rng_below(r, 2500);
	uint32_t patch = rng_below(r, 250);
	uint32_t ios = 15 + rng_below(r, 3);
	uint32_t minor = rng_below(r, 8);
	bool iphone = rng_chance(r, 800);
	if (k < 38)
		snprintf(b, sizeof b,
			 "Mozilla/5.0 (%s) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/%u.0.%u.%u Safari/537.36",
			 d, v, build, patch);
	else if (k < 58)
		snprintf(b, sizeof b,
			 "Mozilla/5.0 (%s) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/%u.0.%u.%u Mobile Safari/537.36",
			 p, v, build, patch);
	else if (k < 72)
		snprintf(b, sizeof b,
			 "Mozilla/5.0 (%s; CPU %sOS %u_%u like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/%u.%u Mobile/15E148 Safari/604.1",
			 iphone ? "iPhone" : "iPad", iphone ? "iPhone " : "", ios, minor, ios, minor);
	else if (k < 86)
		snprintf(b, sizeof b, "Mozilla/5.0 (%s; rv:%u.0) Gecko/20100101 Firefox/%u.0", d, v, v);
	else if (k < 93)
		snprintf(b, sizeof b,
			 "Mozilla/5.0 (%s) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/%u.0.0.0 Safari/537.36 Edg/%u.0.%u.%u",
			 d, v, v, 2000 + build % 500, patch % 100);
	else if (k < 97)
		snprintf(b, sizeof b,
			 "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/%u.%u Safari/605.1.15",
			 ios, minor % 7);
	else
		snprintf(b, sizeof b,
			 "Mozilla/5.0 (%s) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/%u.0 Chrome/%u.0.0.0 Mobile Safari/537.36",
			 p, 20 + patch % 5, v);
	return xstrdup(b);
}

struct visitor {
	char ip[40];
	uint16_t agent;
	bool logged_in; /* writes a user name in %u */
};

/* ~15 % IPv6 (a few providers' prefixes, random interface ids), the rest
 * IPv4 outside the private and reserved ranges. */
static void make_ip(struct rng *r, char *ip, size_t n)
{
	static const char *const v6pfx[] = {"2a02:810d", "2003:e2", "2600:1700", "2a01:cb00",
					    "2001:4860", "2804:14c", "2409:4042"};
	if (rng_chance(r, 150)) {
		uint32_t pfx = rng_below(r, 7), h[6];
		for (int i = 0; i < 6; i++)
			h[i] = rng_below(r, 0x10000);
		snprintf(ip, n, "%s:%x:%x:%x:%x:%x:%x", v6pfx[pfx], h[0], h[1], h[2], h[3], h[4],
			 h[5]);
		return;
	}
	uint32_t a;
	do
		a = 1 + rng_below(r, 223);
	while (a == 10 || a == 127 || a == 169 || a == 172 || a == 192 || a == 100);
	uint32_t b = rng_below(r, 256), c = rng_below(r, 256), d = 1 + rng_below(r, 254);
	snprintf(ip, n, "%u.%u.%u.%u", a, b, c, d);
}

/* ---- sessions: an event-driven simulation ----
 *
 * Sessions arrive at random (uniform gaps around the mean, which keeps the
 * mean and needs no logarithm); each has its own clock, and a heap ordered by
 * the next request's time interleaves them, so the log's timestamps never go
 * back. The arrival rate is chosen so that N lines fill D days: a session
 * brings LINES_PER_ARRIVAL lines on average (computed below from the
 * choices in session_new, session_next and emit). A visitor who leaves comes back now and
 * then, minutes or hours later, as real ones do. */

/* Mean lines per arrival, so that N lines fill D days. A human (95.8 % of
 * arrivals) views 1 + 1 + 0.3 * 3.5 = 3.05 pages with 1 + 0.15 * 3 = 1.45
 * assets each (rng_below(6) / 2 has mean 1; 15 % add 3), 7.47 lines; one in
 * five comes back (15 % within 2-25 minutes, 5 % within 1-4 hours), so an
 * arriving human brings 1.25 sessions; a crawler (4.2 %) requests 24.5 pages.
 * 0.958 * 1.25 * 7.47 + 0.042 * 24.5 = 9.97. Checked on a million lines:
 * the last line falls within an hour or two of D days. */
#define LINES_PER_ARRIVAL 9.97

struct session {
	double at;          /* time of the next request, seconds from the start */
	uint32_t visitor;
	uint32_t site;
	uint32_t page;      /* current page */
	int32_t prev;       /* previous page, -1 on entry */
	uint32_t pages_left;
	uint32_t assets_left;
	bool bot;
	uint16_t bot_agent;
};

/* A binary min-heap of sessions by .at. */
struct heap {
	struct session *v;
	size_t n, cap;
};

static void heap_push(struct heap *h, const struct session *s)
{
	if (h->n == h->cap) {
		h->cap = h->cap ? 2 * h->cap : 1024;
		h->v = realloc(h->v, h->cap * sizeof *h->v);
		if (!h->v) {
			perror("loggen");
			exit(1);
		}
	}
	size_t i = h->n++;
	while (i > 0 && h->v[(i - 1) / 2].at > s->at) {
		h->v[i] = h->v[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	h->v[i] = *s;
}

static struct session heap_pop(struct heap *h)
{
	struct session top = h->v[0], last = h->v[--h->n];
	size_t i = 0;
	for (;;) {
		size_t c = 2 * i + 1;
		if (c >= h->n)
			break;
		if (c + 1 < h->n && h->v[c + 1].at < h->v[c].at)
			c++;
		if (h->v[c].at >= last.at)
			break;
		h->v[i] = h->v[c];
		i = c;
	}
	if (h->n)
		h->v[i] = last;
	return top;
}

struct gen {
	struct rng r;
	struct rng timing; /* $request_time only: the rest does not move */
	uint32_t nvisitors, npages;
	bool vhost, timed;
	struct visitor *visitors;
	char **pages;
	char **agents;
	uint32_t nagents;
	struct zipf page_z, agent_z, asset_z;
	struct heap open;
	int64_t now; /* local seconds since the epoch (the +0100 wall clock) */
	int64_t stamp_for;
	char stamp[40];
	size_t stamp_len;
};

/* A uniform duration in [lo, hi) seconds. */
static double span_between(struct rng *r, double lo, double hi)
{
	return lo + (hi - lo) * rng_unit(r);
}

/* A new session of visitor (or a new visitor when visitor is UINT32_MAX). */
static void session_new(struct gen *g, struct session *s, double at, uint32_t visitor)
{
	struct rng *r = &g->r;
	memset(s, 0, sizeof *s);
	s->at = at;
	s->prev = -1;
	s->site = rng_below(r, 100) < 70 ? 0 : rng_below(r, 100) < 66 ? 1 : 2;
	if (visitor == UINT32_MAX && rng_chance(r, 42)) {
		/* A crawler: many pages, no assets, pages uniform over the site. */
		s->bot = true;
		s->bot_agent = (uint16_t)rng_below(r, NBOTS);
		s->visitor = rng_below(r, g->nvisitors);
		s->pages_left = 5 + rng_below(r, 40);
		s->page = rng_below(r, g->npages);
		return;
	}
	s->visitor = visitor != UINT32_MAX ? visitor : rng_below(r, g->nvisitors);
	s->pages_left = 1 + rng_below(r, 3) + (rng_chance(r, 300) ? rng_below(r, 8) : 0);
	s->page = rng_chance(r, 300) ? 0 : zipf_pick(&g->page_z, r);
}

/* After a request: when the session's next one comes, or false when it
 * has ended (and maybe schedule the visitor's return). */
static bool session_next(struct gen *g, struct session *s)
{
	struct rng *r = &g->r;
	if (s->assets_left > 0) {
		s->at += span_between(r, 0.05, 1.5); /* the browser fetches assets at once */
		return true;
	}
	if (s->pages_left > 0) {
		uint32_t k = rng_below(r, 100);
		if (s->bot)
			s->at += span_between(r, 1, 12);
		else /* reading time: mostly under a minute, some minutes, rarely long */
			s->at += k < 60 ? span_between(r, 3, 40)
			       : k < 95 ? span_between(r, 40, 180)
					: span_between(r, 180, 2400);
		return true;
	}
	if (!s->bot) {
		uint32_t k = rng_below(r, 100);
		if (k < 20) {
			struct session back;
			double later = k < 15 ? span_between(r, 120, 1500) : span_between(r, 3600, 14400);
			session_new(g, &back, s->at + later, s->visitor);
			heap_push(&g->open, &back);
		}
	}
	return false;
}

/* Days from 1970-01-01 to y-m-d, and back (Howard Hinnant's algorithms). */
static void civil_from_days(int64_t z, int *y, unsigned *m, unsigned *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t yy = (int64_t)yoe + era * 400;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int)(yy + (*m <= 2));
}

static void make_stamp(struct gen *g)
{
	int64_t days = g->now / 86400, sec = g->now % 86400;
	int y;
	unsigned m, d;
	civil_from_days(days, &y, &m, &d);
	g->stamp_len = (size_t)snprintf(g->stamp, sizeof g->stamp,
					" [%02u/%s/%04d:%02u:%02u:%02u +0100] \"", d, months[m - 1], y,
					(unsigned)(sec / 3600), (unsigned)(sec / 60 % 60),
					(unsigned)(sec % 60));
	g->stamp_for = g->now;
}

static void emit_query(struct gen *g)
{
	struct rng *r = &g->r;
	switch (rng_below(r, 6)) {
	case 0:
		out_str("?utm_source=newsletter&utm_medium=email&utm_campaign=");
		out_str(word(r));
		break;
	case 1:
		out_str("?page=");
		out_u(2 + rng_below(r, 9));
		break;
	case 2:
		out_str("?q=");
		out_str(word(r));
		out_str("+");
		out_str(word(r));
		break;
	case 3:
		out_str("?ref=");
		out_str(word(r));
		out_str("&fbclid=IwAR");
		out_u(rng_next(r) % 1000000000000u);
		break;
	case 4:
		out_str("?sort=price&order=asc");
		break;
	default:
		out_str("?v=");
		out_u(rng_below(r, 100));
		break;
	}
}

static uint32_t page_status(struct rng *r)
{
	uint32_t k = rng_below(r, 1000);
	return k < 885 ? 200 : k < 925 ? 304 : k < 955 ? 404 : k < 985 ? 301 : k < 993 ? 500 : 206;
}

/* One request of session s at the current time. */
/* " 0.123": a page takes 20 to 420 ms, one in ten up to 5 s more; an
 * asset up to 50 ms. */
static void emit_request_time(struct rng *r, bool asset)
{
	uint32_t ms = asset ? rng_below(r, 50) : 20 + rng_below(r, 400);
	if (!asset && rng_chance(r, 100))
		ms += rng_below(r, 5000);
	char frac[4] = { (char)('0' + ms / 100 % 10), (char)('0' + ms / 10 % 10),
			 (char)('0' + ms % 10), '\0' };
	out_str(" ");
	out_u(ms / 1000);
	out_str(".");
	out_str(frac);
}

static void emit(struct gen *g, struct session *s)
{
	struct rng *r = &g->r;
	const struct visitor *v = &g->visitors[s->visitor];
	bool asset = !s->bot && s->assets_left > 0;
	const char *path, *method = "GET";
	uint32_t status;

	if (asset) {
		s->assets_left--;
		path = assets[zipf_pick(&g->asset_z, r)];
		status = rng_chance(r, 180) ? 304 : rng_chance(r, 25) ? 404 : 200;
	} else {
		if (s->prev >= 0 || s->bot) /* move on; the entry page was chosen in session_new */
			s->page = s->bot ? rng_below(r, g->npages)
					 : (rng_chance(r, 250) ? 0 : zipf_pick(&g->page_z, r));
		path = g->pages[s->page];
		status = page_status(r);
		if (!s->bot && rng_chance(r, 40))
			method = "POST";
		else if (rng_chance(r, s->bot ? 80 : 10))
			method = "HEAD";
		if (s->bot && rng_chance(r, 30))
			path = "/robots.txt";
		s->pages_left--;
		if (!s->bot)
			s->assets_left = rng_below(r, 6) / 2 + (rng_chance(r, 150) ? 3 : 0);
	}

	if (g->vhost) {
		out_str(sites[s->site]);
		out_str(rng_chance(r, 900) ? ":443 " : ":80 ");
	}
	out_str(v->ip);
	out_str(v->logged_in && !s->bot ? " - member" : " - -");
	if (v->logged_in && !s->bot)
		out_u(s->visitor);
	if (g->stamp_for != g->now)
		make_stamp(g);
	out_mem(g->stamp, g->stamp_len);
	out_str(method);
	out_str(" ");
	out_str(path);
	if (!asset && !s->bot && rng_chance(r, 180))
		emit_query(g);
	out_str(rng_chance(r, 300) ? " HTTP/2.0\" " : " HTTP/1.1\" ");
	out_u(status);
	out_str(" ");
	out_u(status == 304 || strcmp(method, "HEAD") == 0 ? 0
		: asset ? 300 + rng_below(r, 200000)
			: 2000 + rng_below(r, 60000));
	out_str(" \"");
	if (asset || s->prev >= 0) {
		out_str("https://");
		out_str(sites[s->site]);
		out_str(g->pages[asset ? s->page : (uint32_t)s->prev]);
	} else if (!s->bot && rng_chance(r, 550)) {
		out_str(search_referers[rng_below(r, NSEARCH)]);
	} else {
		out_str("-");
	}
	out_str("\" \"");
	out_str(s->bot ? bot_agents[s->bot_agent] : g->agents[v->agent]);
	out_str("\"");
	if (g->timed)
		emit_request_time(&g->timing, asset);
	out_str("\n");
	if (!asset)
		s->prev = (int32_t)s->page;
}

static void gen_init(struct gen *g, uint64_t seed, uint32_t nvisitors, uint32_t npages, bool vhost,
		     bool timed)
{
	memset(g, 0, sizeof *g);
	g->r.s = seed;
	g->timing.s = seed ^ 0x9e3779b97f4a7c15u;
	g->timed = timed;
	g->nvisitors = nvisitors;
	g->npages = npages;
	g->vhost = vhost;
	/* 2600 drawn agents give ~2000 distinct strings (the Firefox and Safari
	 * shapes repeat): enough variety to defeat any per-agent shortcut. */
	g->nagents = 2600;
	g->agents = malloc(g->nagents * sizeof *g->agents);
	g->pages = malloc(npages * sizeof *g->pages);
	g->visitors = malloc(nvisitors * sizeof *g->visitors);
	if (!g->agents || !g->pages || !g->visitors) {
		perror("loggen");
		exit(1);
	}
	for (uint32_t i = 0; i < g->nagents; i++)
		g->agents[i] = make_agent(&g->r);
	for (uint32_t i = 0; i < npages; i++)
		g->pages[i] = make_page(&g->r, i);
	zipf_init(&g->agent_z, g->nagents);
	zipf_init(&g->page_z, npages);
	zipf_init(&g->asset_z, NASSETS);
	for (uint32_t i = 0; i < nvisitors; i++) {
		make_ip(&g->r, g->visitors[i].ip, sizeof g->visitors[i].ip);
		/* half the visitors on the popular agents, half spread evenly, so
		 * that nearly all ~2000 agents occur */
		g->visitors[i].agent = (uint16_t)(rng_chance(&g->r, 500) ? zipf_pick(&g->agent_z, &g->r)
									: rng_below(&g->r, g->nagents));
		g->visitors[i].logged_in = rng_chance(&g->r, 20);
	}
	g->stamp_for = -1;
}

static void gen_run(struct gen *g, uint64_t lines, uint32_t days)
{
	/* 2024-03-04 00:00:00 local (+0100), a Monday. */
	const int64_t start = 19786 * (int64_t)86400;
	double span = (double)days * 86400.0;
	/* mean gap between new arrivals, so that the lines fill the days */
	double gap = span * LINES_PER_ARRIVAL / (double)(lines ? lines : 1);
	double arrival = span_between(&g->r, 0, 2 * gap);
	for (uint64_t i = 0; i < lines; i++) {
		struct session s;
		if (g->open.n == 0 || arrival <= g->open.v[0].at) {
			session_new(g, &s, arrival, UINT32_MAX);
			arrival += span_between(&g->r, 0, 2 * gap);
		} else {
			s = heap_pop(&g->open);
		}
		g->now = start + (int64_t)s.at;
		emit(g, &s);
		if (session_next(g, &s))
			heap_push(&g->open, &s);
	}
	out_flush();
}

static void usage(FILE *f)
{
	fputs("usage: loggen [--lines N] [--seed S] [--days D]\n"
	      "              [--format combined|vcombined|timed] [--visitors N] [--pages N]\n"
	      "Writes a deterministic, realistic access log on stdout.\n"
	      "Defaults: 100000 lines, seed 1, 7 days, combined, 20000 visitors, 3000 pages.\n",
	      f);
}

static bool parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
	char *end;
	if (!*s || *s == '-')
		return false;
	unsigned long long v = strtoull(s, &end, 10);
	if (*end || v < min || v > max)
		return false;
	*out = v;
	return true;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"lines", required_argument, NULL, 'n'},   {"seed", required_argument, NULL, 's'},
		{"days", required_argument, NULL, 'd'},    {"format", required_argument, NULL, 'f'},
		{"visitors", required_argument, NULL, 'v'}, {"pages", required_argument, NULL, 'p'},
		{"help", no_argument, NULL, 'h'},          {NULL, 0, NULL, 0},
	};
	uint64_t lines = 100000, seed = 1, days = 7, nvisitors = 20000, npages = 3000;
	bool vhost = false, timed = false;
	int c;
	while ((c = getopt_long(argc, argv, "n:s:d:f:v:p:h", opts, NULL)) != -1) {
		bool ok = true;
		switch (c) {
		case 'n': ok = parse_u64(optarg, 0, UINT64_MAX, &lines); break;
		case 's': ok = parse_u64(optarg, 0, UINT64_MAX, &seed); break;
		case 'd': ok = parse_u64(optarg, 1, 3650, &days); break;
		case 'v': ok = parse_u64(optarg, 1, 100000000, &nvisitors); break;
		case 'p': ok = parse_u64(optarg, 16, 10000000, &npages); break;
		case 'f':
			if (strcmp(optarg, "combined") == 0)
				vhost = false;
			else if (strcmp(optarg, "vcombined") == 0)
				vhost = true;
			else if (strcmp(optarg, "timed") == 0)
				timed = true;
			else
				ok = false;
			break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
		if (!ok) {
			fprintf(stderr, "loggen: bad value '%s'\n", optarg);
			return 2;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 2;
	}
	static struct gen g;
	gen_init(&g, seed, (uint32_t)nvisitors, (uint32_t)npages, vhost, timed);
	gen_run(&g, lines, (uint32_t)days);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		perror("loggen: write");
		return 1;
	}
	return 0;
}
