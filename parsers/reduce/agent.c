/*
 * agent.c - from uap-core's answer to what logfold keeps, and the cache in
 * front of it. The agent is looked at only here and in uap.c/rxset.c; what
 * leaves is a struct agent_class, which holds families and versions from
 * uap-core's replacements (or groups of its regexes), never the agent.
 */
#include "agent.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bots.h"
#include "crawlers.h"
#include "../input/input.h"

const struct slice agent_device_names[AGENT_NDEVICES] = {
	SLICE_LIT("desktop"), SLICE_LIT("mobile"), SLICE_LIT("tablet"), SLICE_LIT("other"),
};

_Static_assert(sizeof(struct agent_tag) + sizeof(struct agent_class) <= 96,
	       "the cache size in agent.h assumes 96 bytes an entry");
_Static_assert(AGENT_CACHE_WAYS * sizeof(struct agent_tag) == 64, "a set's tags: one line");

/* Allocate an empty cache: LF_OK or LF_ERR_NOMEM (then c holds nothing). */
static enum lf_status cache_init(struct agent_cache *c)
{
	size_t tags = AGENT_CACHE_ENTRIES * sizeof(*c->tags);
	c->clock = 0;
	c->tags = aligned_alloc(64, tags);
	c->cls = malloc(AGENT_CACHE_ENTRIES * sizeof(*c->cls));
	if (!c->tags || !c->cls) {
		free(c->tags);
		free(c->cls);
		c->tags = NULL;
		c->cls = NULL;
		return LF_ERR_NOMEM;
	}
	memset(c->tags, 0, tags);
	return LF_OK;
}

static void cache_release(struct agent_cache *c)
{
	free(c->tags);
	free(c->cls);
	c->tags = NULL;
	c->cls = NULL;
}

/* A crawler pattern written wholly in lower case ("ezooms", "sogou") names
 * a robot that writes its name in any case ("Ezooms"): it matches
 * caselessly. One with capitals matches as written: the case is what
 * tells "Sonic", "Butterfly", "NING/" and "Fluid" from Panasonic phones,
 * HTC's butterfly, Thunderbird's "Lightning/" and Windows Phone's "FLUID"
 * (in uap-core's suites, caseless matching of every pattern takes 23
 * persons' agents for robots and finds no robot the other rules miss but
 * Nextcloud's sync client; this rule matches 20 more robots' agents there,
 * and no person's).
 * Escapes (\S, \D) are not letters here. */
static unsigned crawler_flags(const char *pattern)
{
	for (const char *c = pattern; *c; c++) {
		if (*c == '\\' && c[1]) {
			c++;
			continue;
		}
		if (*c >= 'A' && *c <= 'Z')
			return 0;
	}
	return REGEX_CASELESS;
}

enum lf_status agents_init(struct agents *a, const char *regexes, const unsigned char key[16],
			   char *err, size_t errlen)
{
	memset(a, 0, sizeof(*a));
	enum lf_status st = uap_load(&a->uap, regexes, err, errlen);
	if (st != LF_OK)
		return st;
	rxset_init(&a->crawlers);
	for (unsigned i = 0; i < crawler_npatterns && st == LF_OK; i++) {
		char why[160];
		st = rxset_add(&a->crawlers, crawler_patterns[i],
			       crawler_flags(crawler_patterns[i]), why, sizeof(why));
		if (st == LF_ERR_USAGE) {
			snprintf(err, errlen, "crawler pattern %u: %s", i + 1, why);
			st = LF_ERR_FORMAT;
		}
	}
	enum lf_status cst = cache_init(&a->cache);
	a->lower = malloc(INPUT_LINE_MAX);
	a->res = malloc(sizeof(*a->res));
	if (st == LF_OK && (cst != LF_OK || !a->lower || !a->res))
		st = LF_ERR_NOMEM;
	if (st != LF_OK) {
		agents_release(a);
		return st;
	}
	memcpy(a->key, key, sizeof(a->key));
	a->prefilter = true;
	return LF_OK;
}

void agents_release(struct agents *a)
{
	uap_release(&a->uap);
	rxset_release(&a->crawlers);
	cache_release(&a->cache);
	free(a->lower);
	free(a->res);
	explicit_bzero(a->key, sizeof(a->key));
	memset(a, 0, sizeof(*a));
}

/* Copy s into dst (size max) cut at a UTF-8 boundary; returns the length. */
static uint8_t put(char *dst, size_t max, struct slice s)
{
	size_t n = s.n < max - 1 ? s.n : max - 1;
	if (n < s.n)
		while (n > 0 && ((unsigned char)s.p[n] & 0xC0) == 0x80)
			n--; /* do not split a multi-byte character */
	memcpy(dst, s.p, n);
	dst[n] = '\0';
	return (uint8_t)n;
}

/* "family major", or "family" without a major. */
static uint8_t put_versioned(char *dst, size_t max, const char *family, const char *major)
{
	char buf[2 * UAP_FIELD_MAX + 2];
	int n = snprintf(buf, sizeof(buf), major[0] ? "%s %s" : "%s", family, major);
	return put(dst, max, slice_make(buf, n < 0 ? 0 : (size_t)n));
}

static bool in_list(const char *s, const char *const *list)
{
	for (; *list; list++)
		if (strcmp(s, *list) == 0)
			return true;
	return false;
}

/* uap OS families that are desktops; and those that are phones. */
static const char *const desktop_os[] = {
	"Windows", "Mac OS X", "Linux", "Chrome OS", "Ubuntu", "Kubuntu", "Debian", "Fedora",
	"Red Hat", "CentOS", "SUSE", "openSUSE", "Gentoo", "Arch Linux", "Mageia", "Slackware",
	"Linux Mint", "Mint", "FreeBSD", "OpenBSD", "NetBSD", "Solaris", NULL,
};
static const char *const phone_os[] = {
	"iOS", "Windows Phone", "BlackBerry OS", "Symbian OS", "KaiOS", "Firefox OS", "Tizen",
	"Sailfish", "webOS", "Windows Mobile", NULL,
};
/* OS families whose major version is kept. */
static const char *const versioned_os[] = { "iOS", "Android", "Windows", "Mac OS X", NULL };

/* Televisions, their sticks and boxes, and game consoles: words their
 * agents carry (Samsung's Tizen and LG's webOS TVs, Android TV, Google TV
 * and Chromecast, Amazon's Fire TV ("; AFTMM"), Sony's BRAVIA, Roku, Apple TV,
 * HbbTV sets, Xbox ...).
 * Checked before the phone and tablet rules, which would take a Tizen TV
 * for a phone and an Android TV (no "Mobile") for a tablet. */
static const char *const big_screen_word[] = {
	"SMART-TV",  "SmartTV",  "Smart-TV",    "SMARTTV",    "HbbTV",    "Android TV",
	"AndroidTV", "GoogleTV", "Google TV",   "Chromecast", "CrKey",    "BRAVIA",
	"Web0S",     "NetCast",  "Roku",        "AppleTV",    "Apple TV", "tvOS",
	"; AFT",     "Xbox",     "PlayStation", "Nintendo",   NULL,
};

static bool big_screen(struct slice agent)
{
	for (const char *const *w = big_screen_word; *w; w++)
		if (memmem(agent.p, agent.n, *w, strlen(*w)))
			return true;
	return false;
}

static enum agent_device device_class(struct slice agent, const char *os, const char *dev)
{
	bool android = strcmp(os, "Android") == 0;
	if (big_screen(agent))
		return AGENT_OTHER;
	bool mobile_word = memmem(agent.p, agent.n, "Mobile", 6) != NULL;
	if (strncmp(dev, "iPad", 4) == 0 || strncmp(dev, "Kindle", 6) == 0 ||
	    (android && !mobile_word))
		return AGENT_TABLET;
	if (strncmp(dev, "iPhone", 6) == 0 || strncmp(dev, "iPod", 4) == 0 || android ||
	    in_list(os, phone_os) || memmem(agent.p, agent.n, "Mobi", 4))
		return AGENT_MOBILE;
	if (in_list(os, desktop_os))
		return AGENT_DESKTOP;
	return AGENT_OTHER;
}

static bool is_alnum(char c)
{
	return (unsigned char)c > 0x7f || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') ||
	       (c >= '0' && c <= '9');
}

/* A robot's family from its crawler pattern: the pattern's literal (that
 * is pattern text, never agent text) without surrounding punctuation, in
 * the pattern's spelling when it appears there as written. */
static void crawler_name(int rule, struct agent_class *out)
{
	const char *pattern = crawler_patterns[rule];
	char buf[RXSET_LIT_MAX];
	struct slice s = slice_make(buf, rxset_literal(pattern, buf, sizeof(buf)));
	while (s.n && !is_alnum(s.p[0]))
		s.p++, s.n--;
	while (s.n && !is_alnum(s.p[s.n - 1]))
		s.n--;
	buf[s.p - buf + (ptrdiff_t)s.n] = '\0';
	const char *at = s.n ? strcasestr(pattern, s.p) : NULL;
	if (at)
		s.p = at;
	out->name_len = put(out->name, sizeof(out->name), s.n ? s : SLICE_LIT("other"));
}

void agents_classify_cold(struct agents *a, struct slice agent, struct agent_class *out)
{
	struct rxset_subject sub;
	struct uap_result *r = a->res;
	struct slice cap[REGEX_MAX_CAPS];
	memset(out, 0, sizeof(*out));
	rxset_prepare(&sub, agent, a->lower);
	uap_parse(&a->uap, &sub, a->prefilter, r);
	const char *family = r->field[UAP_UA][UAP_FAMILY];
	const char *os = r->field[UAP_OS][UAP_FAMILY];
	const char *dev = r->field[UAP_DEVICE][UAP_DEV_FAMILY];
	/* A robot keeps uap's family only when uap-core spells it (a catch-all
	 * like "([A-z]+[Bb]ot)" would put agent text into bots_daily) and
	 * reads the agent as a robot or a tool (Spider, headless, or no OS:
	 * curl, Python Requests): a robot dressed as a browser ("... Chrome/120
	 * Safari/537.36 StatusCake") is not "Chrome". */
	bool spider = strcmp(dev, "Spider") == 0, headless = strcmp(family, "HeadlessChrome") == 0;
	bool known = (spider || headless || strcmp(os, "Other") == 0) &&
		     uap_field_is_fixed(&a->uap, r, UAP_UA, UAP_FAMILY);
	int crawler = rxset_first(&a->crawlers, &sub, a->prefilter, cap);
	out->bot = spider || crawler >= 0 || headless || bot_by_heuristic(agent);
	if (out->bot) {
		if (known)
			out->name_len = put(out->name, sizeof(out->name), slice_cstr(family));
		else if (crawler >= 0)
			crawler_name(crawler, out);
		else
			out->name_len = put(out->name, sizeof(out->name), SLICE_LIT("other"));
		return;
	}
	out->name_len = put_versioned(out->name, sizeof(out->name), family,
				      r->field[UAP_UA][UAP_MAJOR]);
	out->os_len = put_versioned(out->os, sizeof(out->os), os,
				    in_list(os, versioned_os) ? r->field[UAP_OS][UAP_MAJOR] : "");
	out->device = (uint8_t)device_class(agent, os, dev);
}

/*
 * The cache key: every step maps the 64-bit state one-to-one (xor with the
 * next 8 bytes, multiply by an odd constant, xor-shift), so two agents of
 * the same length that differ in one 8-byte block always end in different
 * states. Two that differ in several blocks may meet by chance, about
 * 2^-64 a pair under the run's random seed, which no one outside the run
 * knows to aim at (a meeting would give one agent the other's browser and
 * system, nothing more). One multiply per 8 bytes: several times cheaper
 * than SipHash.
 */
static uint64_t agent_key(const unsigned char seed[16], struct slice s)
{
	uint64_t h, w;
	memcpy(&h, seed, sizeof(h));
	size_t i = 0;
	for (; i + 8 <= s.n; i += 8) {
		memcpy(&w, s.p + i, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdULL;
		h ^= h >> 32;
	}
	w = 0;
	if (s.n > i)
		memcpy(&w, s.p + i, s.n - i);
	h = (h ^ w) * 0xc4ceb9fe1a85ec53ULL;
	return h ^ (h >> 29);
}

/* The first way of the set (of a cache keyed by key) where an agent of
 * hash h may sit. */
static size_t cache_set(const unsigned char key[16], uint64_t h)
{
	uint64_t spread;
	memcpy(&spread, key + 8, sizeof(spread));
	return (size_t)(((h ^ spread) * 0x9e3779b97f4a7c15ULL >> 40) % AGENT_CACHE_SETS) *
	       AGENT_CACHE_WAYS;
}

/* The way of (h, len1) in c's set that starts at way set, or -1 with
 * *victim the way to fill: an empty one, else the oldest. */
static ptrdiff_t set_find(const struct agent_cache *c, size_t set, uint64_t h, uint32_t len1,
			  size_t *victim)
{
	const struct agent_tag *t = &c->tags[set];
	int v = 0;
	for (int w = 0; w < AGENT_CACHE_WAYS; w++) {
		if (t[w].hash == h && t[w].len1 == len1)
			return (ptrdiff_t)(set + (size_t)w);
		if (t[w].len1 == 0 || (t[v].len1 != 0 && t[w].age < t[v].age))
			v = w;
	}
	*victim = set + (size_t)v;
	return -1;
}

static void fill(struct agent_cache *c, size_t way, uint64_t h, uint32_t len1,
		 const struct agent_class *cls)
{
	c->tags[way] = (struct agent_tag){ .hash = h, .len1 = len1, .age = ++c->clock };
	c->cls[way] = *cls;
}

enum lf_status agent_shared_init(struct agent_shared *s, const unsigned char key[16])
{
	memset(s, 0, sizeof(*s));
	if (cache_init(&s->cache) != LF_OK)
		return LF_ERR_NOMEM;
	if (pthread_mutex_init(&s->lock, NULL) != 0) {
		cache_release(&s->cache);
		return LF_ERR_NOMEM;
	}
	memcpy(s->key, key, sizeof(s->key));
	return LF_OK;
}

void agent_shared_release(struct agent_shared *s)
{
	if (!s->cache.tags)
		return;
	pthread_mutex_destroy(&s->lock);
	cache_release(&s->cache);
	explicit_bzero(s->key, sizeof(s->key));
	memset(s, 0, sizeof(*s));
}

/* Classify agent into out: from the shared cache when another thread has
 * (true), else by itself, putting the result there when there is one. */
static bool classify(struct agents *a, struct slice agent, uint32_t len1,
		     struct agent_class *out)
{
	struct agent_shared *s = a->shared;
	if (!s) {
		agents_classify_cold(a, agent, out);
		return false;
	}
	uint64_t h = agent_key(s->key, agent);
	size_t set = cache_set(s->key, h), victim;
	pthread_mutex_lock(&s->lock);
	ptrdiff_t e = set_find(&s->cache, set, h, len1, &victim);
	if (e >= 0)
		*out = s->cache.cls[e];
	pthread_mutex_unlock(&s->lock);
	if (e >= 0)
		return true;
	agents_classify_cold(a, agent, out);
	pthread_mutex_lock(&s->lock); /* another thread may have put it since */
	if (set_find(&s->cache, set, h, len1, &victim) < 0)
		fill(&s->cache, victim, h, len1, out);
	pthread_mutex_unlock(&s->lock);
	return false;
}

const struct agent_class *agents_classify(struct agents *a, struct slice agent)
{
	uint64_t h = agent_key(a->key, agent);
	uint32_t len1 = (uint32_t)agent.n + 1;
	size_t victim;
	ptrdiff_t e = set_find(&a->cache, cache_set(a->key, h), h, len1, &victim);
	if (e >= 0) {
		a->hits++;
		return &a->cache.cls[e];
	}
	struct agent_class c;
	if (classify(a, agent, len1, &c))
		a->hits++;
	else
		a->misses++;
	fill(&a->cache, victim, h, len1, &c);
	return &a->cache.cls[victim];
}
