/*
 * test_beacon.c - the beacon and tracker query strings: every documented
 * key, then hostile values (huge, negative, NaN, overlong, injected
 * separators, percent-encoded garbage, repeated keys), label cleaning, and
 * the parser on whole lines (a beacon hit is never a pageview; a robot's
 * is a robot's). Every expected value is worked out in the comment beside.
 */
#include <stdlib.h>

#include "../../parsers/reduce/beacon.h"
#include "../../parsers/reduce/parser.h"
#include "harness.h"

static struct beacon_buf buf;

static struct beacon lf(const char *q)
{
	struct beacon b;
	beacon_parse(slice_cstr(q), BEACON_LOGFOLD, &buf, &b);
	return b;
}

static struct beacon mt(const char *q)
{
	struct beacon b;
	beacon_parse(slice_cstr(q), BEACON_MATOMO, &buf, &b);
	return b;
}

static void test_logfold_keys(void)
{
	struct beacon b = lf("p=%2Fblog%2Fpost&e=load&w=md&tb=12&dc=340&ld=512");
	CHECK_INT(b.kind, HIT_LOAD);
	CHECK_MEM(b.target.p, b.target.n, "/blog/post");
	CHECK_STR(b.screen, "md");
	CHECK_INT(b.load_ms, 512);
	b = lf("e=leave&p=/a&en=42&sc=75");
	CHECK_INT(b.kind, HIT_LEAVE);
	CHECK_INT(b.engaged_s, 42);
	CHECK_INT(b.scroll, 75);
	b = lf("p=/a&e=click&lb=sign%20up");
	CHECK_INT(b.kind, HIT_ACTION);
	CHECK_INT(b.action, ACTION_CLICK);
	CHECK_MEM(b.label.p, b.label.n, "sign up");
	b = lf("p=/a&e=click&lb=sign+up"); /* form encoding: + is a space */
	CHECK_MEM(b.label.p, b.label.n, "sign up");
	b = lf("p=/a&e=select&lb=secret%20text"); /* a selection never has a label */
	CHECK_INT(b.action, ACTION_SELECT);
	CHECK_INT(b.label.n, 0);
	/* unknown keys are ignored, known ones still read */
	b = lf("uid=zqx&p=/a&_id=1&e=load&w=xs&foo");
	CHECK_INT(b.kind, HIT_LOAD);
	CHECK_STR(b.screen, "xs");
	CHECK_INT(b.load_ms, HIT_NO_LOAD_TIME); /* no ld */
}

static void test_logfold_hostile(void)
{
	/* no page, bad page, no event, unknown event: nothing usable */
	CHECK_INT(lf("e=load&w=md").kind, HIT_NOTHING);
	CHECK_INT(lf("p=&e=load").kind, HIT_NOTHING);
	CHECK_INT(lf("p=/a").kind, HIT_NOTHING);
	CHECK_INT(lf("p=/a&e=LOAD").kind, HIT_NOTHING);
	CHECK_INT(lf("p=/a&e=load%00").kind, HIT_NOTHING);
	CHECK_INT(lf("").kind, HIT_NOTHING);
	CHECK_INT(lf("&&&==&").kind, HIT_NOTHING);
	/* percent-encoded garbage in the page: a cut or bad escape, a NUL */
	CHECK_INT(lf("p=%2&e=load").kind, HIT_NOTHING);
	CHECK_INT(lf("p=%zz%2Fa&e=load").kind, HIT_NOTHING);
	CHECK_INT(lf("p=%2Fa%00b&e=load").kind, HIT_NOTHING);
	/* the page's own query and fragment are cut at the decoded ? or # */
	struct beacon b = lf("p=%2Fa%3Fsession%3Dzqx%23frag&e=load");
	CHECK_MEM(b.target.p, b.target.n, "/a");
	/* repeated keys are ambiguous: dropped, so a repeated event is none */
	CHECK_INT(lf("p=/a&e=load&e=leave&en=1").kind, HIT_NOTHING);
	b = lf("p=/a&e=leave&en=5&sc=10&sc=100");
	CHECK_INT(b.kind, HIT_LEAVE);
	CHECK_INT(b.scroll, HIT_NO_SCROLL);
	/* numbers: huge, negative, NaN, fractions, exponents, signs, spaces */
	static const char *const bad_ld[] = { "600001", "99999999999999999999", "-1", "NaN",
					      "1.5", "1e3", "+5", " 5", "0x10", "", "Infinity" };
	for (size_t i = 0; i < sizeof(bad_ld) / sizeof(bad_ld[0]); i++) {
		char q[128];
		snprintf(q, sizeof(q), "p=/a&e=load&ld=%s", bad_ld[i]);
		b = lf(q);
		CHECK_INT(b.kind, HIT_LOAD); /* the event stands, the value does not */
		CHECK_INT(b.load_ms, HIT_NO_LOAD_TIME);
	}
	CHECK_INT(lf("p=/a&e=load&ld=600000").load_ms, 600000); /* the limit itself */
	CHECK_INT(lf("p=/a&e=load&ld=0").load_ms, 0);
	/* timings that contradict each other: none kept */
	CHECK_INT(lf("p=/a&e=load&tb=50&dc=40&ld=100").load_ms, HIT_NO_LOAD_TIME);
	CHECK_INT(lf("p=/a&e=load&tb=5&dc=400&ld=100").load_ms, HIT_NO_LOAD_TIME);
	CHECK_INT(lf("p=/a&e=load&tb=x&ld=100").load_ms, HIT_NO_LOAD_TIME);
	/* engaged time beyond a day, scroll beyond 100: left out */
	CHECK_INT(lf("p=/a&e=leave&en=86401").kind, HIT_NOTHING);
	CHECK_INT(lf("p=/a&e=leave&en=-3").kind, HIT_NOTHING);
	CHECK_INT(lf("p=/a&e=leave&en=86400&sc=101").scroll, HIT_NO_SCROLL);
	CHECK_INT(lf("p=/a&e=leave&en=1&sc=100").scroll, 100);
	/* a width class that is not one of the six */
	CHECK(lf("p=/a&e=load&w=1920").screen == NULL);
	CHECK(lf("p=/a&e=load&w=XL").screen == NULL);
	/* injected separators in a label: &, =, ; ,  newline, quote, < > */
	static const char *const bad_lb[] = { "a%26b%3Dc", "a%3Bb", "a%2Cb", "a%0Ab", "a%22b",
					      "%3Cscript%3E", "a%09b", "caf%C3%A9", "a%25b", "" };
	for (size_t i = 0; i < sizeof(bad_lb) / sizeof(bad_lb[0]); i++) {
		char q[128];
		snprintf(q, sizeof(q), "p=/a&e=click&lb=%s", bad_lb[i]);
		b = lf(q);
		CHECK_INT(b.kind, HIT_ACTION); /* counted without a label */
		CHECK_INT(b.label.n, 0);
	}
	/* overlong: 65 characters refused, 64 kept */
	char q[256] = "p=/a&e=click&lb=";
	memset(q + strlen(q), 'a', 65);
	CHECK_INT(lf(q).label.n, 0);
	q[strlen(q) - 1] = '\0';
	CHECK_INT(lf(q).label.n, 64);
}

static void test_labels(void)
{
	char out[BEACON_LABEL_MAX + 1];
	size_t n;
#define CLEAN(in, want)                                            \
	n = beacon_label_clean(SLICE_LIT(in), out);                \
	CHECK_MEM(out, n, want)
	CLEAN("signup", "signup");
	CLEAN("Video/Play", "Video/Play");
	CLEAN("docs.example.org", "docs.example.org");
	/* a UUID word, a run of ten digits, a 20-character token mixing
	 * letters and digits: replaced as in paths */
	CLEAN("order 123e4567-e89b-12d3-a456-426614174000", "order :uuid");
	CLEAN("user-1234567890", "user-:num");
	CLEAN("item 123456789", "item 123456789"); /* nine digits stay */
	CLEAN("k/a1b2c3d4e5f6a7b8c9d0", "k/:token");
	CLEAN("k/abcdefghijklmnopqrstu", "k/abcdefghijklmnopqrstu"); /* no digit: a word */
	CLEAN("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NSJ9", ":token.:token");
	/* the rules are the pages' own (pagerules.c): a slug with a number is
	 * a word, not a token; an upper-case UUID is one */
	CLEAN("read how-to-install-debian-12-on-a-laptop", "read how-to-install-debian-12-on-a-laptop");
	CLEAN("k/123E4567-E89B-12D3-A456-426614174000", "k/:uuid");
	n = beacon_label_clean(SLICE_LIT("a@b"), out);
	CHECK_INT(n, 0);
#undef CLEAN
	CHECK_STR(beacon_width_class(0), "xs");
	CHECK_STR(beacon_width_class(575), "xs");
	CHECK_STR(beacon_width_class(576), "sm");
	CHECK_STR(beacon_width_class(991), "md");
	CHECK_STR(beacon_width_class(1199), "lg");
	CHECK_STR(beacon_width_class(1399), "xl");
	CHECK_STR(beacon_width_class(1400), "xxl");
	CHECK_STR(beacon_width_class(UINT32_MAX), "xxl");
}

static void test_matomo(void)
{
	/* a pageview request: res gives the class, pf_* sum the load time
	 * (10 + 20 + 30 + 40 + 50 + 60 = 210); identifiers never read */
	struct beacon b = mt("idsite=1&rec=1&_id=0123456789abcdef&uid=zqx&cid=zqx&_idts=1&"
			     "_viewts=2&cvar=%7B%7D&dimension1=zqx&pv_id=AbC123&"
			     "url=https%3A%2F%2Fexample.org%2Fshop%2Fitem%3Fsid%3Dzqx&res=1366x768&"
			     "pf_net=10&pf_srv=20&pf_tfr=30&pf_dm1=40&pf_dm2=50&pf_onl=60");
	CHECK_INT(b.kind, HIT_LOAD);
	CHECK_MEM(b.target.p, b.target.n, "https://example.org/shop/item");
	CHECK_STR(b.screen, "xl"); /* 1200 <= 1366 < 1400 */
	CHECK_INT(b.load_ms, 210);
	CHECK_INT(mt("url=/a&pf_net=1&pf_srv=-1").load_ms, HIT_NO_LOAD_TIME);
	CHECK_INT(mt("url=/a&pf_net=400000&pf_srv=300000").load_ms, HIT_NO_LOAD_TIME); /* sum > limit */
	CHECK(mt("url=/a&res=1366").screen == NULL);
	CHECK(mt("url=/a&res=0x0").screen == NULL);
	CHECK(mt("url=/a&res=99999999999x1").screen == NULL);
	CHECK(mt("url=/a&res=x768").screen == NULL);
	/* heartbeat, custom event, outlink, download */
	CHECK_INT(mt("url=/a&ping=1").kind, HIT_PING);
	CHECK_INT(mt("url=/a&ping=2").kind, HIT_NOTHING);
	b = mt("url=/a&e_c=Video&e_a=Play&e_n=Intro+film");
	CHECK_INT(b.action, ACTION_EVENT);
	CHECK_MEM(b.label.p, b.label.n, "Video/Play/Intro film");
	b = mt("url=/a&e_c=Mail&e_a=zqx%40example.org"); /* '@' is not a label character */
	CHECK_INT(b.kind, HIT_ACTION);
	CHECK_INT(b.label.n, 0);
	b = mt("url=/a&link=https%3A%2F%2FDocs.Example.COM%3A8443%2Fpath%3Fq%3Dzqx");
	CHECK_INT(b.action, ACTION_CLICK);
	CHECK_MEM(b.label.p, b.label.n, "docs.example.com");
	b = mt("url=/a&link=javascript%3Aalert(1)");
	CHECK_INT(b.label.n, 0);
	/* the link's host as every host is read (common/host.h): user info
	 * dropped unread, the root's dot dropped, '_' a host byte, the host
	 * ending at '?'; a port must be digits, an [IPv6] host is no label */
	b = mt("url=/a&link=https%3A%2F%2Fzqx%3Apw%40My_Host.example.%3Fq%3D1");
	CHECK_MEM(b.label.p, b.label.n, "my_host.example");
	b = mt("url=/a&link=https%3A%2F%2Fexample.org%3Ahttp%2F");
	CHECK_INT(b.label.n, 0);
	b = mt("url=/a&link=https%3A%2F%2F%5B2001%3Adb8%3A%3A1%5D%2F");
	CHECK_INT(b.label.n, 0);
	b = mt("url=/a&download=https%3A%2F%2Fexample.org%2Ffiles%2FReport.PDF%3Ftoken%3Dzqx");
	CHECK_MEM(b.label.p, b.label.n, "pdf");
	CHECK_MEM(b.target.p, b.target.n, "/a"); /* the page is not overwritten */
	b = mt("url=/a&download=https%3A%2F%2Fexample.org%2Ffiles.d%2Freport");
	CHECK_INT(b.label.n, 0); /* the last segment has no extension */
	CHECK_INT(mt("res=1x1").kind, HIT_NOTHING); /* no url */
	CHECK_INT(mt("url=/a&url=/b").kind, HIT_NOTHING); /* repeated */
}

#define L(req, ua) \
	"198.51.100.187 - - [01/Mar/2024:00:30:00 +0200] \"" req "\" 200 43 \"-\" \"" ua "\""
#define FF "Mozilla/5.0 (X11; rv:125.0) Gecko/20100101 Firefox/125.0"

static void test_parser_beacon(void)
{
	static const unsigned char key[PARSER_KEY_BYTES] = { 1 };
	struct parser *p = NULL;
	struct parser_config cfg = { .format = FMT_COMBINED, .site = "example.org", .mask_bytes = 2,
				     .beacon_path = "/logfold.gif",
				     .trackers = { "/matomo.php" }, .ntrackers = 1 };
	struct hit h;
	const char *why;
	if (parser_new(&p, &cfg, key) != LF_OK)
		abort();
	/* a .gif is static, except at the beacon path */
	CHECK_INT(parser_line(p, SLICE_LIT(L("GET /logfold.gif?p=%2Fa%2F%2Fb&e=load&w=sm HTTP/1.1", FF)),
			      &h, &why), PARSE_BEACON);
	CHECK_INT(h.kind, HIT_LOAD);
	CHECK_MEM(h.page.p, h.page.n, "/a/b"); /* normalised like a path */
	CHECK_MEM(h.dim[DIM_SCREEN].p, h.dim[DIM_SCREEN].n, "sm");
	CHECK(!h.tracker);
	CHECK_INT(parser_line(p, SLICE_LIT(L("GET /other.gif?p=%2Fa&e=load HTTP/1.1", FF)), &h, &why),
		  SKIP_STATIC);
	/* a robot's beacon request is a robot's */
	CHECK_INT(parser_line(p, SLICE_LIT(L("GET /logfold.gif?p=%2Fa&e=load HTTP/1.1", "Googlebot/2.1")),
			      &h, &why), SKIP_BOT);
	/* garbage at the endpoint: a beacon request with nothing in it */
	CHECK_INT(parser_line(p, SLICE_LIT(L("GET /logfold.gif HTTP/1.1", FF)), &h, &why), PARSE_BEACON);
	CHECK_INT(h.kind, HIT_NOTHING);
	CHECK_INT(parser_line(p, SLICE_LIT(L("GET /logfold.gif?p=nopath&e=load HTTP/1.1", FF)), &h, &why),
		  PARSE_BEACON);
	CHECK_INT(h.kind, HIT_NOTHING);
	/* a tracker request; POST bodies are not in the log: not_get */
	CHECK_INT(parser_line(p, SLICE_LIT(L("GET /matomo.php?url=http%3A%2F%2Fx%2Fp&ping=1 HTTP/1.1", FF)),
			      &h, &why), PARSE_BEACON);
	CHECK_INT(h.kind, HIT_PING);
	CHECK(h.tracker);
	CHECK_MEM(h.page.p, h.page.n, "/p");
	CHECK_INT(parser_line(p, SLICE_LIT(L("POST /matomo.php HTTP/1.1", FF)), &h, &why), SKIP_NOT_GET);
	/* the fragment of the request itself is not part of the query */
	CHECK_INT(parser_line(p, SLICE_LIT(L("GET /logfold.gif?p=%2Fa&e=leave&en=3#&en=9 HTTP/1.1", FF)),
			      &h, &why), PARSE_BEACON);
	CHECK_INT(h.engaged_s, 3);
	parser_free(p);
}

TEST_MAIN(test_logfold_keys, test_logfold_hostile, test_labels, test_matomo, test_parser_beacon)
