/*
 * test_agent.c - the uap replacement rules, the prefilter's literal reader,
 * and the reduction to browser, OS, device class and robot family. Expected
 * values are read off the patterns and the rules in agent.h by hand.
 */
#include <stdlib.h>

#include "../../parsers/reduce/agent.h"
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
	/* robots: uap's Spider with a name uap spells; the crawler list; headless */
	c = classify("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)");
	CHECK(c->bot);
	CHECK_STR(c->name, "Googlebot");
	c = classify("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
		     "HeadlessChrome/120.0.0.0 Safari/537.36");
	CHECK(c->bot);
	CHECK_STR(c->name, "HeadlessChrome");
	/* a catch-all capture is never a robot's name: agent text stays out */
	c = classify("Mozilla/5.0 (compatible; qwertyuiopbot/1.0)");
	CHECK(c->bot);
	CHECK(strstr(c->name, "qwerty") == NULL);
	/* empty and "-": robots by the foundation's heuristic */
	CHECK(classify("")->bot);
	CHECK(classify("-")->bot);
	/* the cache: a repeat is a hit and the same answer */
	uint64_t hits = ag.hits;
	c = classify("-");
	CHECK_INT(ag.hits, hits + 1);
	CHECK(c->bot);
	agents_release(&ag);
}

TEST_MAIN(test_expand, test_literal, test_classes)
