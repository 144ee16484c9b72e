/*
 * test_parsers.c - IP parsing and masking, CLF field scanning (escapes,
 * missing fields, garbage), timestamps and offsets, page normalisation, the
 * bot heuristic, and the whole parser on single lines. Every expected value
 * is worked out by hand in the comment beside it.
 */
#include <ctype.h>
#include <stdlib.h>
#include <unistd.h>

#include "../../parsers/reduce/bots.h"
#include "../../parsers/formats/clf.h"
#include "../../parsers/reduce/ipaddr.h"
#include "../../parsers/formats/logtime.h"
#include "../../parsers/reduce/page.h"
#include "../../parsers/input/input.h"
#include "../../parsers/input/lookahead.h"
#include "../../parsers/reduce/parser.h"
#include "harness.h"

static struct masked_ip mask(const char *text, int n, int *ok)
{
	struct ipaddr a;
	struct masked_ip m = { 0 };
	*ok = ip_parse(slice_cstr(text), &a);
	if (*ok)
		m = ip_mask(&a, n);
	return m;
}

static int bytes_are(const struct masked_ip *m, int family, const unsigned char *want)
{
	return m->family == family && memcmp(m->bytes, want, 16) == 0;
}

static void test_ip_v4(void)
{
	int ok;
	struct masked_ip m = mask("198.51.100.187", 2, &ok);
	CHECK(ok && bytes_are(&m, 4, (const unsigned char[16]){ 198, 51 }));
	m = mask("198.51.100.187", 1, &ok);
	CHECK(bytes_are(&m, 4, (const unsigned char[16]){ 198, 51, 100 }));
	m = mask("198.51.100.187", 4, &ok);
	CHECK(bytes_are(&m, 4, (const unsigned char[16]){ 0 }));
	m = mask("0.0.0.0", 3, &ok);
	CHECK(ok && m.family == 4);
	m = mask("255.255.255.255", 3, &ok);
	CHECK(bytes_are(&m, 4, (const unsigned char[16]){ 255 }));
	struct ipaddr a;
	CHECK(!ip_parse(SLICE_LIT("256.1.1.1"), &a));
	CHECK(!ip_parse(SLICE_LIT("1.2.3"), &a));
	CHECK(!ip_parse(SLICE_LIT("1.2.3.4.5"), &a));
	CHECK(!ip_parse(SLICE_LIT("1..3.4"), &a));
	CHECK(!ip_parse(SLICE_LIT("1.2.3.4 "), &a));
	CHECK(!ip_parse(SLICE_LIT("example.org"), &a));
	CHECK(!ip_parse(SLICE_LIT("-"), &a));
	CHECK(!ip_parse(SLICE_LIT(""), &a));
	CHECK(!ip_parse(SLICE_LIT("1234.1.1.1"), &a));
}

static void test_ip_v6(void)
{
	int ok;
	/* 2001:db8:dead:beef:1234:5678:9abc:def0 */
	struct masked_ip m = mask("2001:db8:dead:beef:1234:5678:9abc:def0", 1, &ok);
	CHECK(ok && bytes_are(&m, 6, (const unsigned char[16]){ 0x20, 0x01, 0x0d, 0xb8, 0xde,
								 0xad, 0xbe, 0xef }));
	m = mask("2001:db8:dead:beef:1234:5678:9abc:def0", 2, &ok); /* /48 */
	CHECK(bytes_are(&m, 6, (const unsigned char[16]){ 0x20, 0x01, 0x0d, 0xb8, 0xde, 0xad }));
	m = mask("2001:db8:dead:beef::1", 3, &ok); /* /32 */
	CHECK(bytes_are(&m, 6, (const unsigned char[16]){ 0x20, 0x01, 0x0d, 0xb8 }));
	m = mask("2001:db8:dead:beef::1", 4, &ok); /* /0 */
	CHECK(bytes_are(&m, 6, (const unsigned char[16]){ 0 }));
	m = mask("::1", 1, &ok);
	CHECK(ok && bytes_are(&m, 6, (const unsigned char[16]){ 0 }));
	m = mask("::", 1, &ok);
	CHECK(ok && m.family == 6);
	m = mask("fe80::1%eth0", 1, &ok); /* zone ignored */
	CHECK(ok && bytes_are(&m, 6, (const unsigned char[16]){ 0xfe, 0x80 }));
	m = mask("[2001:db8::7]", 1, &ok);
	CHECK(ok && bytes_are(&m, 6, (const unsigned char[16]){ 0x20, 0x01, 0x0d, 0xb8 }));
	/* IPv4-mapped: masked as IPv4. */
	m = mask("::ffff:198.51.100.187", 2, &ok);
	CHECK(ok && bytes_are(&m, 4, (const unsigned char[16]){ 198, 51 }));
	m = mask("::FFFF:c633:64bb", 1, &ok); /* the same address in hex */
	CHECK(ok && bytes_are(&m, 4, (const unsigned char[16]){ 198, 51, 100 }));
	/* An embedded IPv4 tail that is not mapped stays IPv6. */
	m = mask("64:ff9b::198.51.100.187", 1, &ok);
	CHECK(ok && bytes_are(&m, 6, (const unsigned char[16]){ 0, 0x64, 0xff, 0x9b }));
	struct ipaddr a;
	CHECK(!ip_parse(SLICE_LIT("1::2::3"), &a));
	CHECK(!ip_parse(SLICE_LIT(":1:2:3:4:5:6:7"), &a));
	CHECK(!ip_parse(SLICE_LIT("1:2:3:4:5:6:7"), &a));
	CHECK(!ip_parse(SLICE_LIT("1:2:3:4:5:6:7:8:9"), &a));
	CHECK(!ip_parse(SLICE_LIT("12345::"), &a));
	CHECK(!ip_parse(SLICE_LIT("1:2:3:4:5:6:7:"), &a));
	CHECK(!ip_parse(SLICE_LIT("g::1"), &a));
	CHECK(ip_parse(SLICE_LIT("1:2:3:4:5:6:7::"), &a));
	CHECK(ip_parse(SLICE_LIT("1:2:3:4:5:6:1.2.3.4"), &a));
	CHECK(!ip_parse(SLICE_LIT("1:2:3:4:5:6:7:1.2.3.4"), &a));
}

static void test_time(void)
{
	struct logtime t;
	int32_t day;
	uint32_t sec;
	/* Apache's own example: 13:55:36 at -07:00 is 20:55:36Z, day 11240. */
	CHECK(logtime_parse_clf(SLICE_LIT("10/Oct/2000:13:55:36 -0700"), &t));
	CHECK_INT(t.utc, 971211336);
	CHECK_INT(t.offset, -7 * 3600);
	logtime_local(&t, &day, &sec);
	CHECK_INT(day, 11240); /* the local date is still 10 October */
	CHECK_INT(sec, 13 * 3600 + 55 * 60 + 36);
	/* 00:30 at +02:00 is 22:30Z the day before, but its local day is the 1st. */
	CHECK(logtime_parse_clf(SLICE_LIT("01/Mar/2024:00:30:00 +0200"), &t));
	logtime_local(&t, &day, &sec);
	CHECK_INT(day, 19723 + 31 + 29); /* 2024-03-01 */
	CHECK_INT(sec, 1800);
	CHECK_INT(t.utc, (int64_t)(19723 + 31 + 29) * 86400 + 1800 - 7200);
	CHECK(logtime_parse_clf(SLICE_LIT("29/Feb/2024:23:59:60 +0530"), &t));
	logtime_local(&t, &day, &sec);
	CHECK_INT(sec, 86399); /* the leap second is read as :59 */
	CHECK(!logtime_parse_clf(SLICE_LIT("29/Feb/2023:10:00:00 +0000"), &t));
	CHECK(!logtime_parse_clf(SLICE_LIT("31/Apr/2023:10:00:00 +0000"), &t));
	CHECK(!logtime_parse_clf(SLICE_LIT("10/oct/2000:13:55:36 -0700"), &t));
	CHECK(!logtime_parse_clf(SLICE_LIT("10/Oct/2000:24:00:00 -0700"), &t));
	CHECK(!logtime_parse_clf(SLICE_LIT("10/Oct/2000:13:55:36 -1500"), &t));
	CHECK(!logtime_parse_clf(SLICE_LIT("10/Oct/2000:13:55:36 0700"), &t));
	CHECK(!logtime_parse_clf(SLICE_LIT("10/Oct/2000:13:55:36"), &t));
	CHECK(!logtime_parse_clf(SLICE_LIT("00/Oct/2000:13:55:36 -0700"), &t));
	CHECK(!logtime_parse_clf(SLICE_LIT(""), &t));
}

/* One CLF time through a memo, as the parser reads them. */
static bool memo_time(struct logtime_memo *m, const char *text, int64_t *utc)
{
	struct raw_fields f = { .time = slice_cstr(text), .time_form = TF_CLF };
	struct logtime t;
	if (!logtime_parse_memo(&f, m, &t))
		return false;
	*utc = t.utc;
	return true;
}

/* The memo gives each line its own time: a date seen just before with
 * another time or a bad one, dates refused by the calendar (never kept),
 * and a date that comes back after another. Expected values by Python's
 * calendar.timegm. */
static void test_time_memo(void)
{
	struct logtime_memo m = { { 0 }, 0 };
	int64_t utc = 0;
	CHECK(memo_time(&m, "10/Oct/2000:13:55:36 -0700", &utc));
	CHECK_INT(utc, 971211336);
	CHECK(memo_time(&m, "10/Oct/2000:23:59:59 +0000", &utc));
	CHECK_INT(utc, 971222399);
	CHECK(!memo_time(&m, "10/Oct/2000:24:00:00 +0000", &utc));
	CHECK(!memo_time(&m, "31/Apr/2024:00:00:00 +0000", &utc));
	CHECK(!memo_time(&m, "29/Feb/2023:00:00:00 +0000", &utc));
	CHECK(memo_time(&m, "29/Feb/2024:00:00:00 +0000", &utc));
	CHECK_INT(utc, 1709164800);
	CHECK(memo_time(&m, "10/Oct/2000:00:00:00 +0000", &utc));
	CHECK_INT(utc, 971136000);
	CHECK(!memo_time(&m, "10/Oct/2000:00:00:00 +1401", &utc));
}

static void test_duration(void)
{
	CHECK_INT(logtime_duration_ms(SLICE_LIT("0.123"), DUR_SECONDS), 123);
	CHECK_INT(logtime_duration_ms(SLICE_LIT("0.1235"), DUR_SECONDS), 124); /* rounds */
	CHECK_INT(logtime_duration_ms(SLICE_LIT("2"), DUR_SECONDS), 2000);
	CHECK_INT(logtime_duration_ms(SLICE_LIT("0.010, 0.020"), DUR_SECONDS), 10);
	CHECK_INT(logtime_duration_ms(SLICE_LIT("1499"), DUR_MICROS), 1);
	CHECK_INT(logtime_duration_ms(SLICE_LIT("1500"), DUR_MICROS), 2);
	CHECK_INT(logtime_duration_ms(SLICE_LIT("250"), DUR_MILLIS), 250);
	CHECK_INT(logtime_duration_ms(SLICE_LIT("12.5"), DUR_MILLIS), 13); /* a fraction, half up */
	CHECK_INT(logtime_duration_ms(SLICE_LIT("12499999"), DUR_NANOS), 12);
	CHECK_INT(logtime_duration_ms(SLICE_LIT("12500000"), DUR_NANOS), 13);
	CHECK_INT(logtime_duration_ms(SLICE_LIT("-"), DUR_SECONDS), LOGTIME_NO_DURATION);
	CHECK_INT(logtime_duration_ms(SLICE_LIT("1x"), DUR_MILLIS), LOGTIME_NO_DURATION);
	CHECK_INT(logtime_duration_ms(SLICE_LIT(""), DUR_MILLIS), LOGTIME_NO_DURATION);
	CHECK_INT(logtime_duration_ms(SLICE_LIT("5"), DUR_NONE), LOGTIME_NO_DURATION);
	/* issue 21.7's one rule: a non-negative decimal number, at most an
	 * hour; everything else is no duration, never a capped one */
	static const char *const none[] = { "99999999999999999999", "1e308", "-5", "NaN", "inf",
					    ".5", "1E3", "+5", "0x10" };
	for (size_t i = 0; i < sizeof(none) / sizeof(none[0]); i++) {
		CHECK_INT(logtime_duration_ms(slice_cstr(none[i]), DUR_SECONDS), LOGTIME_NO_DURATION);
		CHECK_INT(logtime_duration_ms(slice_cstr(none[i]), DUR_MILLIS), LOGTIME_NO_DURATION);
	}
	CHECK_INT(logtime_duration_ms(SLICE_LIT("3600"), DUR_SECONDS), 3600000); /* an hour: kept */
	CHECK_INT(logtime_duration_ms(SLICE_LIT("3600.001"), DUR_SECONDS), LOGTIME_NO_DURATION);
	CHECK_INT(logtime_duration_ms(SLICE_LIT("3600000"), DUR_MILLIS), 3600000);
	CHECK_INT(logtime_duration_ms(SLICE_LIT("3600001"), DUR_MILLIS), LOGTIME_NO_DURATION);
	CHECK_INT(logtime_duration_ms(SLICE_LIT("3600000499"), DUR_MICROS), 3600000);
	CHECK_INT(logtime_duration_ms(SLICE_LIT("3600000500"), DUR_MICROS), LOGTIME_NO_DURATION);
	CHECK_INT(logtime_duration_ms(SLICE_LIT("3600000000000"), DUR_NANOS), 3600000);
	CHECK_INT(logtime_duration_ms(SLICE_LIT("99999999999999999999"), DUR_NANOS),
		  LOGTIME_NO_DURATION); /* far past any unit's hour: no overflow */
	CHECK_INT(logtime_duration_ms(SLICE_LIT("0.0000000001"), DUR_SECONDS), 0);
}

static void check_page(const char *target, const char *want)
{
	char buf[PAGE_MAX];
	struct slice page;
	const char *why = page_normalize(slice_cstr(target), buf, &page);
	if (!want) {
		CHECK(why != NULL);
		return;
	}
	CHECK(why == NULL);
	if (!why)
		CHECK_MEM(page.p, page.n, want);
}

static void test_page(void)
{
	check_page("/", "/");
	check_page("/a/b/", "/a/b/");            /* trailing slash kept */
	check_page("/About", "/About");          /* case kept */
	check_page("/a?x=1#f", "/a");            /* query and fragment dropped */
	check_page("/a#f?x", "/a");
	check_page("//a///b//", "/a/b/");        /* runs of / collapse */
	check_page("/%7Euser", "/~user");        /* unreserved decoded */
	check_page("/%41%2d%5f", "/A-_");
	check_page("/a%2fb", "/a%2Fb");          /* reserved kept, hex upper-cased */
	check_page("/a%2Fb", "/a%2Fb");
	check_page("/%", "/%25");                /* a lone % is encoded */
	check_page("/%zz", "/%25zz");
	check_page("/%4", "/%254");
	check_page("/caf\xc3\xa9", "/caf%C3%A9"); /* raw UTF-8 encoded */
	check_page("/caf%c3%a9", "/caf%C3%A9");  /* ... same as the encoded form */
	check_page("/a\"b", "/a%22b");
	check_page("http://example.org/x?y", "/x");
	check_page("HTTPS://Example.org:8443//x/", "/x/");
	check_page("http://example.org", "/");
	check_page("http://example.org?q", "/");
	check_page("*", NULL);
	check_page("", NULL);
	check_page("example.org/x", NULL);
	char big[1100];
	big[0] = '/';
	memset(big + 1, 'a', 1023);
	big[1024] = '\0';
	check_page(big, big); /* exactly 1024 bytes */
	big[1024] = 'a';
	big[1025] = '\0';
	check_page(big, NULL); /* 1025 */
	memset(big + 1, 0, 1);
	strcpy(big, "/");
	for (int i = 0; i < 341; i++)
		strcat(big, "%C3"); /* 1 + 1023 bytes: fits */
	char want[1100];
	strcpy(want, big);
	check_page(big, want);
	strcat(big, "%C3");
	check_page(big, NULL);
}

/* Every byte between two letters, against the rules of page.h written out
 * by hand: printable ASCII stands for itself, '?' and '#' end the page, a
 * lone '%' and every other byte become %XX with upper-case hex. */
static void test_page_bytes(void)
{
	for (int c = 0; c < 256; c++) {
		char target[4] = { '/', 'a', (char)c, 'b' }, buf[PAGE_MAX], want[8];
		struct slice page;
		if (c == '?' || c == '#')
			snprintf(want, sizeof(want), "/a");
		else if (c > 0x20 && c < 0x7f && c != '"' && c != '%')
			snprintf(want, sizeof(want), "/a%cb", c);
		else
			snprintf(want, sizeof(want), "/a%%%02Xb", (unsigned)c);
		CHECK(page_normalize(slice_make(target, sizeof(target)), buf, &page) == NULL);
		CHECK_MEM(page.p, page.n, want);
	}
}

static void test_static(void)
{
	CHECK(page_is_static(SLICE_LIT("/s/app.css")));
	CHECK(page_is_static(SLICE_LIT("/s/APP.JS")));
	CHECK(page_is_static(SLICE_LIT("/f.woff2")));
	CHECK(page_is_static(SLICE_LIT("/a.tar.gz")));
	CHECK(!page_is_static(SLICE_LIT("/index.html")));
	CHECK(!page_is_static(SLICE_LIT("/index.php")));
	CHECK(!page_is_static(SLICE_LIT("/doc.pdf")));
	CHECK(!page_is_static(SLICE_LIT("/about")));
	CHECK(!page_is_static(SLICE_LIT("/")));
	CHECK(!page_is_static(SLICE_LIT("/css/")));        /* a directory named css */
	/* a path parameter after the name: Java's URL rewriting, a version */
	CHECK(page_is_static(SLICE_LIT("/app.js;jsessionid=0A1B2C3D4E5F6A7B8C9D0E1F2A3B4C5D")));
	CHECK(page_is_static(SLICE_LIT("/s/style.CSS;v=2")));
	CHECK(!page_is_static(SLICE_LIT("/index.jsp;jsessionid=0A1B2C3D4E5F6A7B8C9D0E1F2A3B4C5D")));
	CHECK(!page_is_static(SLICE_LIT("/a.css;v=2/page"))); /* an earlier segment's */
	CHECK(!page_is_static(SLICE_LIT("/page;x.css")));     /* the name is "page" */
	CHECK(!page_is_static(SLICE_LIT("/v1.2/notes")));  /* dot in an earlier segment */
	CHECK(!page_is_static(SLICE_LIT("/file.")));
	CHECK(!page_is_static(SLICE_LIT("/.css.bak")));
	CHECK(page_is_static(SLICE_LIT("/blog.atom")));
	CHECK(page_is_static(SLICE_LIT("/index.RDF")));
	/* the longest, and neighbours of listed names that are not listed */
	CHECK(page_is_static(SLICE_LIT("/site.webmanifest")));
	CHECK(page_is_static(SLICE_LIT("/a.7Z")));
	CHECK(!page_is_static(SLICE_LIT("/site.webmanifests"))); /* 12 bytes */
	CHECK(!page_is_static(SLICE_LIT("/site.webmanifes")));
	CHECK(!page_is_static(SLICE_LIT("/a.j")));
	CHECK(!page_is_static(SLICE_LIT("/a.jsx")));
	CHECK(!page_is_static(SLICE_LIT("/a.woff3")));
	/* every extension the man page lists (WHAT COUNTS), in upper case too:
	 * the test stops at the first entry past the first letter, so an entry
	 * out of order would be missed */
	const char *listed = "7z aac atom avi avif bmp br bz2 class css deb dmg eot exe flac flv "
			     "gif gz heic heif ico iso jpeg jpg js json jxl m4a m4v map mjs mkv "
			     "mov mp3 mp4 mpeg mpg msi oga ogg ogv opus otf png rar rdf rpm rss "
			     "svg swf tar tgz tif tiff ttf txt wasm wav webm webmanifest webp wma "
			     "wmv woff woff2 xbm xml xpm xz zip zst";
	int count = 0;
	for (const char *p = listed; *p;) {
		size_t n = strcspn(p, " ");
		char path[32] = "/icons/menu.";
		memcpy(path + 12, p, n);
		CHECK(page_is_static(slice_make(path, 12 + n)));
		for (size_t i = 12; i < 12 + n; i++)
			path[i] = (char)toupper((unsigned char)path[i]);
		CHECK(page_is_static(slice_make(path, 12 + n)));
		count++;
		p += n + (p[n] == ' ');
	}
	CHECK(count == 71);
	/* documents and pages between listed names stay pages */
	CHECK(!page_is_static(SLICE_LIT("/a.doc")));
	CHECK(!page_is_static(SLICE_LIT("/a.htm")));
	CHECK(!page_is_static(SLICE_LIT("/a.mpgx")));
	CHECK(!page_is_static(SLICE_LIT("/a.zzz")));
	CHECK(!page_is_static(SLICE_LIT("/a.0")));
	CHECK(!page_is_static(SLICE_LIT("/a.~")));
}

static bool feed(const char *page, const char *target)
{
	return page_is_feed(slice_cstr(page), slice_cstr(target));
}

/* Feed URLs (issue 15.1): by the page's last segments and the query. */
static void test_feed(void)
{
	CHECK(feed("/feed", "/feed"));
	CHECK(feed("/feed/", "/feed/"));
	CHECK(feed("/comments/feed/", "/comments/feed/"));
	CHECK(feed("/blog/feed/atom/", "/blog/feed/atom/"));
	CHECK(feed("/feed/rss2", "/feed/rss2"));
	CHECK(feed("/rss", "/rss"));
	CHECK(feed("/Atom", "/Atom"));
	CHECK(feed("/feed.php", "/feed.php?type=rss"));
	CHECK(feed("/", "/?feed=rss2"));
	CHECK(feed("/", "/?p=1&feed=comments-rss2"));
	CHECK(feed("/index.cgi", "/index.cgi?flav=rss20"));
	CHECK(feed("/blog", "/blog?format=RSS"));
	CHECK(feed("/blog", "/blog?format=atom#x"));
	CHECK(feed("/", "http://example.org/?flav=atom"));
	CHECK(!feed("/", "/"));
	CHECK(!feed("/feeding-tips", "/feeding-tips"));
	CHECK(!feed("/feedback", "/feedback"));
	CHECK(!feed("/feed/me/now", "/feed/me/now")); /* feed two segments up */
	CHECK(!feed("/rss.html", "/rss.html"));       /* a page about feeds */
	CHECK(!feed("/blog", "/blog?format=json"));
	CHECK(!feed("/", "/?flav=html"));
	CHECK(!feed("/", "/?q=feed=rss2"));  /* the value, not the name */
	CHECK(!feed("/", "/?feedx=1"));
	CHECK(!feed("/a", "/a#?feed=1"));    /* a fragment is no query */
}

/* The logged response type (issue 15.2). */
static void test_content_type(void)
{
	CHECK(page_type_is_html((struct slice){ NULL, 0 })); /* not logged */
	CHECK(page_type_is_html(SLICE_LIT("")));
	CHECK(page_type_is_html(SLICE_LIT("-")));
	CHECK(page_type_is_html(SLICE_LIT("text/html")));
	CHECK(page_type_is_html(SLICE_LIT("text/html; charset=utf-8")));
	CHECK(page_type_is_html(SLICE_LIT(" TEXT/HTML ;charset=UTF-8")));
	CHECK(page_type_is_html(SLICE_LIT("application/xhtml+xml")));
	CHECK(page_type_is_html(SLICE_LIT("text/html;+charset=utf-8"))); /* W3C's '+' */
	CHECK(!page_type_is_html(SLICE_LIT("image/png")));
	CHECK(!page_type_is_html(SLICE_LIT("application/json")));
	CHECK(!page_type_is_html(SLICE_LIT("application/rss+xml")));
	CHECK(!page_type_is_html(SLICE_LIT("text/htmlx")));
	CHECK(!page_type_is_html(SLICE_LIT("text/plain")));
}

static void test_bots(void)
{
	CHECK(bot_by_heuristic(SLICE_LIT("")));
	CHECK(bot_by_heuristic(SLICE_LIT("-")));
	CHECK(bot_by_heuristic(SLICE_LIT("Mozilla/5.0 (compatible; Googlebot/2.1)")));
	CHECK(bot_by_heuristic(SLICE_LIT("Mozilla/5.0 (compatible; Yahoo! Slurp)")));
	CHECK(bot_by_heuristic(SLICE_LIT("SomeCrawler/1.0")));
	CHECK(bot_by_heuristic(SLICE_LIT("Baiduspider")));
	CHECK(bot_by_heuristic(SLICE_LIT("curl/8.5.0")));
	CHECK(bot_by_heuristic(SLICE_LIT("Wget/1.21")));
	CHECK(bot_by_heuristic(SLICE_LIT("python-requests/2.31")));
	CHECK(bot_by_heuristic(SLICE_LIT("Go-http-client/1.1")));
	CHECK(bot_by_heuristic(SLICE_LIT("okhttp/4.9.0")));
	CHECK(bot_by_heuristic(SLICE_LIT("libwww-perl/6.0")));
	CHECK(!bot_by_heuristic(SLICE_LIT("Mozilla/5.0 (X11; Linux x86_64; rv:125.0) "
					  "Gecko/20100101 Firefox/125.0")));
	CHECK(!bot_by_heuristic(SLICE_LIT("my curl/1.0"))); /* only as a prefix */
	CHECK(!bot_by_heuristic(SLICE_LIT("b")));
	/* a word is looked for only where its first two letters stand: at the
	 * very end, in any case, after any byte; not two letters short */
	CHECK(bot_by_heuristic(SLICE_LIT("xbot")));
	CHECK(bot_by_heuristic(SLICE_LIT("Mozilla/5.0 BOT")));
	CHECK(bot_by_heuristic(SLICE_LIT("\xc3\xa9RsS")));
	CHECK(bot_by_heuristic(SLICE_LIT("App HEALTH CHECK/2")));
	CHECK(!bot_by_heuristic(SLICE_LIT("Mozilla/5.0 bo")));
	CHECK(!bot_by_heuristic(SLICE_LIT("Mozilla/5.0 (CUBOT NOTE 7)")));
	CHECK(!bot_by_heuristic(SLICE_LIT("Mozilla/5.0 feedback@example.org")));
	CHECK(bot_by_heuristic(SLICE_LIT("Mozilla/5.0 FEEDFetcher")));
	/* the first byte chooses the prefixes compared; a letter of no word
	 * (Mozilla's) none */
	CHECK(bot_by_heuristic(SLICE_LIT("LWP-request/6.0")));
	CHECK(!bot_by_heuristic(SLICE_LIT("Mozilla/5.0 (iPhone) Version/17.0")));
	/* issue 15.1's examples, without uap-core (--uap-regexes none) */
	CHECK(bot_by_heuristic(SLICE_LIT("UniversalFeedParser/5.2.1 +https://github.com/kurtmckee/feedparser/")));
	CHECK(bot_by_heuristic(SLICE_LIT("Digg Feed Fetcher 1.0 (Digg, Inc; +http://digg.com)")));
	CHECK(bot_by_heuristic(SLICE_LIT("LiveJournal.com (webmaster@livejournal.com; for "
					 "http://www.livejournal.com/users/x/; 3 readers)")));
	CHECK(bot_by_heuristic(SLICE_LIT("fetch libfetch/2.0")));
	CHECK(bot_by_heuristic(SLICE_LIT("Ruby")));
	CHECK(bot_by_heuristic(SLICE_LIT("portscout/0.8.1")));
	CHECK(bot_by_heuristic(SLICE_LIT("Prometheus/2.40.5")));
	CHECK(bot_by_heuristic(SLICE_LIT("gPXE/1.0.1")));
	/* "feed" but not "feedback"; "libwww-perl" but not Lynx's "libwww-FM" */
	CHECK(!bot_by_heuristic(SLICE_LIT("Mozilla/5.0 (X11) Firefox/126.0 (feedback: a@b.example)")));
	CHECK(!bot_by_heuristic(SLICE_LIT("Lynx/2.9.0dev.12 libwww-FM/2.14 SSL-MM/1.4.1")));
	CHECK(bot_by_heuristic(SLICE_LIT("feedback-bot/1.0"))); /* "bot" */
	CHECK(!bot_by_heuristic(SLICE_LIT("Mozilla/5.0 (Linux; Android 9; CUBOT X19) Chrome/125.0")));
	CHECK(bot_by_heuristic(SLICE_LIT("cubot-crawler/1.0"))); /* "crawl" still */
	CHECK(bot_by_heuristic(SLICE_LIT("x FEEDfetcher")));
	/* every word of bots.c starts with the letter it is listed under */
	for (int l = 0; l < 26; l++)
		for (int k = 0; bot_word(l, k); k++)
			CHECK(bot_word(l, k)[0] == 'a' + l);
	CHECK(bot_word('f' - 'a', 0) != NULL);
}

static void test_scan(void)
{
	struct raw_fields f;
	const char *combined = "203.0.113.9 - frank [10/Oct/2000:13:55:36 -0700] "
			       "\"GET /a\\\"b HTTP/1.0\" 200 2326 \"http://r/\" \"UA \\\"q\\\\\"";
	CHECK(clf_scan(slice_cstr(combined), FMT_COMBINED, false, &f) == NULL);
	CHECK_MEM(f.client.p, f.client.n, "203.0.113.9");
	CHECK_MEM(f.time.p, f.time.n, "10/Oct/2000:13:55:36 -0700");
	CHECK_MEM(f.request.p, f.request.n, "GET /a\\\"b HTTP/1.0");
	CHECK_MEM(f.status.p, f.status.n, "200");
	CHECK_MEM(f.referer.p, f.referer.n, "http://r/");
	CHECK_MEM(f.agent.p, f.agent.n, "UA \\\"q\\\\");
	/* Combined parses as common only without strict. */
	CHECK(clf_scan(slice_cstr(combined), FMT_COMMON, false, &f) == NULL);
	CHECK(clf_scan(slice_cstr(combined), FMT_COMMON, true, &f) != NULL);
	const char *v = "Example.ORG:443 ::1 - - [10/Oct/2000:13:55:36 +0000] \"GET / HTTP/1.1\" 304 -";
	CHECK(clf_scan(slice_cstr(v), FMT_VCOMMON, true, &f) == NULL);
	CHECK_MEM(f.vhost.p, f.vhost.n, "Example.ORG:443");
	CHECK_MEM(f.client.p, f.client.n, "::1");
	CHECK(clf_scan(slice_cstr(v), FMT_COMMON, false, &f) != NULL);
	/* Broken lines: each names its reason and never crashes. */
	const char *bad[] = {
		"", "1.2.3.4", "1.2.3.4 - -", "1.2.3.4 - - [10/Oct/2000:13:55:36 -0700",
		"1.2.3.4 - - [x] \"GET / HTTP/1.0", "1.2.3.4 - - [x] \"GET /\" 200",
		"1.2.3.4 - - [x] \"GET /\" 200 1 \"ref\"", "1.2.3.4 - - [x] \"GET /\\\" 200 1",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK(clf_scan(slice_cstr(bad[i]), FMT_COMBINED, false, &f) != NULL);
}

static void test_detect(void)
{
	int n;
	const char *combined = "1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.0\" 200 1 \"-\" \"UA\"\n"
			       "garbage\n"
			       "1.2.3.5 - - [10/Oct/2000:13:55:37 -0700] \"GET /x HTTP/1.0\" 200 1 \"-\" \"UA\"\n";
	CHECK_INT(log_format_detect(slice_cstr(combined), false, &n), FMT_COMBINED);
	CHECK_INT(n, 3);
	const char *common = "1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.0\" 200 1\n";
	CHECK_INT(log_format_detect(slice_cstr(common), false, &n), FMT_COMMON);
	const char *vc = "h:80 1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.0\" 200 1 \"-\" \"UA\"";
	CHECK_INT(log_format_detect(slice_cstr(vc), false, &n), FMT_AUTO); /* cut-off last line */
	CHECK_INT(log_format_detect(slice_cstr(vc), true, &n), FMT_VCOMBINED);
	const char *vcommon = "h:80 1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.0\" 200 1\r\n";
	CHECK_INT(log_format_detect(slice_cstr(vcommon), false, &n), FMT_VCOMMON);
	CHECK_INT(log_format_detect(SLICE_LIT("junk\nmore junk\n"), false, &n), FMT_AUTO);
	CHECK_INT(n, 2);
	CHECK_INT(log_format_detect(SLICE_LIT(""), true, &n), FMT_AUTO);
	CHECK_INT(n, 0);
	/* A bad start (issue 21 point 3): 30 lines that parse in no format,
	 * more than the 20 detection decides on, then common lines. The
	 * garbage is passed over, not counted among the 20: common wins, after
	 * 30 + 2 lines looked at. */
	char bad[4096];
	size_t used = 0;
	for (int i = 0; i < 30; i++)
		used += (size_t)snprintf(bad + used, sizeof(bad) - used, "Proxy www started %d.\n", i);
	used += (size_t)snprintf(bad + used, sizeof(bad) - used, "%s%s", common, common);
	CHECK_INT(log_format_detect(slice_make(bad, used), true, &n), FMT_COMMON);
	CHECK_INT(n, 32);
}

static struct parser *new_parser(enum log_format f, int mask)
{
	static const unsigned char key[PARSER_KEY_BYTES] = { 1, 2, 3 };
	struct parser *p = NULL;
	struct parser_config cfg = { .format = f, .site = "Example.org", .mask_bytes = mask,
				     .beacon_path = "/logfold.gif",
				     .trackers = { "/matomo.php", "/piwik.php" }, .ntrackers = 2 };
	if (parser_new(&p, &cfg, key) != LF_OK)
		abort();
	return p;
}

static enum skip_reason parse(struct parser *p, const char *line, struct hit *h)
{
	const char *why;
	return parser_line(p, slice_cstr(line), h, &why);
}

#define L(req, status, ua) \
	"198.51.100.187 - u [01/Mar/2024:00:30:00 +0200] \"" req "\" " status " 10 \"-\" \"" ua "\""
#define FF "Mozilla/5.0 (X11; rv:125.0) Gecko/20100101 Firefox/125.0"

static void test_parser_line(void)
{
	struct parser *p = new_parser(FMT_COMBINED, 2);
	struct hit h;
	CHECK_INT(parse(p, L("GET /a?q=1 HTTP/1.1", "200", FF), &h), PARSE_PAGEVIEW);
	CHECK_MEM(h.page.p, h.page.n, "/a");
	CHECK_MEM(h.site.p, h.site.n, "example.org"); /* --site lower-cased */
	CHECK_INT(h.day, 19723 + 31 + 29);
	CHECK_INT(h.sec_of_day, 1800);
	CHECK_INT(h.ip.family, 4);
	CHECK(h.ip.bytes[0] == 198 && h.ip.bytes[1] == 51 && h.ip.bytes[2] == 0 && h.ip.bytes[3] == 0);
	uint64_t v1 = h.visitor;
	/* Same client, other agent: another visitor. Same both: the same one. */
	parse(p, L("GET /b HTTP/1.1", "200", FF " x"), &h);
	CHECK(h.visitor != v1);
	parse(p, L("GET /b HTTP/1.1", "200", FF), &h);
	CHECK(h.visitor == v1);
	CHECK_INT(parse(p, L("HEAD / HTTP/1.1", "200", FF), &h), SKIP_NOT_GET);
	CHECK_INT(parse(p, L("POST / HTTP/1.1", "200", FF), &h), SKIP_NOT_GET);
	CHECK_INT(parse(p, L("-", "400", FF), &h), SKIP_NOT_GET);
	CHECK_INT(parse(p, L("GET / HTTP/1.1", "404", FF), &h), SKIP_STATUS);
	CHECK_INT(parse(p, L("GET / HTTP/1.1", "301", FF), &h), SKIP_STATUS);
	CHECK_INT(parse(p, L("GET / HTTP/1.1", "304", FF), &h), PARSE_PAGEVIEW);
	CHECK_INT(parse(p, L("GET / HTTP/1.1", "299", FF), &h), PARSE_PAGEVIEW);
	CHECK_INT(parse(p, L("GET /a.pdf HTTP/1.1", "206", FF), &h), SKIP_STATUS); /* a range */
	CHECK_INT(parse(p, L("GET /feed/ HTTP/1.1", "200", FF), &h), SKIP_STATIC);
	CHECK_INT(parse(p, L("GET /?feed=rss2 HTTP/1.1", "200", FF), &h), SKIP_STATIC);
	CHECK_INT(parse(p, L("GET /x.css HTTP/1.1", "200", FF), &h), SKIP_STATIC);
	CHECK_INT(parse(p, L("GET / HTTP/1.1", "200", "Googlebot/2.1"), &h), SKIP_BOT);
	CHECK_INT(parse(p, L("GET / HTTP/1.1", "200", "-"), &h), SKIP_BOT);
	CHECK_INT(parse(p, L("GET * HTTP/1.1", "200", FF), &h), SKIP_MALFORMED);
	CHECK_INT(parse(p, L("GET / HTTP/1.1", "2x0", FF), &h), SKIP_MALFORMED);
	/* Escapes: \x2F is '/', decoded before the path is read; \" in the agent. */
	CHECK_INT(parse(p, L("GET /a\\x2Fb HTTP/1.1", "200", FF), &h), PARSE_PAGEVIEW);
	CHECK_MEM(h.page.p, h.page.n, "/a/b");
	CHECK_INT(parse(p, L("GET /q HTTP/1.1", "200", "A \\\"bot\\\""), &h), SKIP_BOT);
	/* HTTP/0.9 style request without protocol. */
	CHECK_INT(parse(p, L("GET /old", "200", FF), &h), PARSE_PAGEVIEW);
	CHECK_MEM(h.page.p, h.page.n, "/old");
	parser_free(p);
}

static void test_parser_vhost(void)
{
	struct parser *p = new_parser(FMT_VCOMBINED, 1);
	struct hit h;
	const char *line = "WWW.Example.COM:8080 2001:db8:dead:beef:1:2:3:4 - - "
			   "[01/Mar/2024:23:59:59 -0500] \"GET / HTTP/1.1\" 200 1 \"-\" \"" FF "\"";
	CHECK_INT(parse(p, line, &h), PARSE_PAGEVIEW);
	CHECK_MEM(h.site.p, h.site.n, "www.example.com");
	CHECK_INT(h.ip.family, 6);
	CHECK(h.ip.bytes[7] == 0xef && h.ip.bytes[8] == 0); /* /64 kept, rest zero */
	CHECK_INT(h.day, 19723 + 31 + 29); /* local 1 March despite 04:59Z on the 2nd */
	CHECK_INT(h.sec_of_day, 86399);
	CHECK_INT(parse(p, ":80 1.2.3.4 - - [01/Mar/2024:23:59:59 -0500] \"GET / HTTP/1.1\" 200 1 \"-\" \"x\"", &h),
		  SKIP_MALFORMED);
	parser_free(p);
}

static uint64_t sig(struct parser *p, const char *line, int32_t *day)
{
	int32_t d;
	return parser_signature(p, slice_cstr(line), day ? day : &d);
}

#define FF2 "Mozilla/5.0 (X11; rv:125.3) Gecko/20100101 Firefox/125.3"

/* A signature covers what a line reduces to, never the bytes reduction
 * drops: two lines that differ only there sign alike (issue 14 point 1),
 * and lines that differ in what the tables may hold do not. */
static void test_signature(void)
{
	struct parser *p = new_parser(FMT_COMBINED, 2);
	int32_t day;
	const char *base = "198.51.100.187 - u [01/Mar/2024:00:30:00 +0200] \"GET /a?q=1 HTTP/1.1\" "
			   "200 10 \"-\" \"" FF "\"";
	uint64_t s = sig(p, base, &day);
	CHECK_INT(day, 19723 + 31 + 29); /* the local day, 1 March */
	/* the masked-away bytes of the address (2 bytes masked: 198.51.x.x),
	 * the ident, the user, the query string, the size, the agent's minor
	 * version: the same signature */
	CHECK(sig(p, "198.51.7.9 idzqx bob [01/Mar/2024:00:30:00 +0200] \"GET /a?token=zz HTTP/1.1\" "
		     "200 99 \"-\" \"" FF2 "\"", NULL) == s);
	/* a second within the same hour: the same (no time finer than the hour) */
	CHECK(sig(p, L("GET /a HTTP/1.1", "200", FF), NULL) ==
	      sig(p, "198.51.100.187 - u [01/Mar/2024:00:59:59 +0200] \"GET /a HTTP/1.1\" 200 10 \"-\" \"" FF "\"",
		  NULL));
	/* what the tables may hold differs: another signature */
	CHECK(sig(p, L("GET /b HTTP/1.1", "200", FF), NULL) != s); /* page */
	CHECK(sig(p, L("GET /a HTTP/1.1", "304", FF), NULL) != s); /* status */
	CHECK(sig(p, "198.52.100.187 - u [01/Mar/2024:00:30:00 +0200] \"GET /a HTTP/1.1\" 200 10 \"-\" \"" FF "\"",
		  NULL) != s); /* the masked network */
	CHECK(sig(p, "198.51.100.187 - u [01/Mar/2024:01:30:00 +0200] \"GET /a HTTP/1.1\" 200 10 \"-\" \"" FF "\"",
		  NULL) != s); /* the hour */
	CHECK(sig(p, "198.51.100.187 - u [02/Mar/2024:00:30:00 +0200] \"GET /a HTTP/1.1\" 200 10 \"-\" \"" FF "\"",
		  &day) != s); /* the day */
	CHECK_INT(day, 19723 + 31 + 29 + 1);
	CHECK(sig(p, L("GET /a HTTP/1.1", "200", "Googlebot/2.1"), NULL) != s); /* a robot */
	/* a static file: its outcome, not its path (which no table holds) */
	CHECK(sig(p, L("GET /x.css?v=1 HTTP/1.1", "200", FF), NULL) ==
	      sig(p, L("GET /y.css HTTP/1.1", "200", FF), NULL));
	CHECK(sig(p, L("GET /x.css HTTP/1.1", "200", FF), NULL) != s);
	/* a line that does not parse: its outcome alone, and no day */
	CHECK(sig(p, "garbage zqx 1", &day) == sig(p, "other garbage", NULL));
	CHECK_INT(day, INT32_MIN);
	CHECK(parser_signature_long() != sig(p, "garbage", NULL));
	parser_free(p);
	/* with 1 byte masked, the third byte of the address counts */
	p = new_parser(FMT_COMBINED, 1);
	CHECK(sig(p, "198.51.100.1 - - [01/Mar/2024:00:30:00 +0200] \"GET / HTTP/1.1\" 200 1 \"-\" \"" FF "\"", NULL) ==
	      sig(p, "198.51.100.2 - - [01/Mar/2024:00:30:00 +0200] \"GET / HTTP/1.1\" 200 1 \"-\" \"" FF "\"", NULL));
	CHECK(sig(p, "198.51.100.1 - - [01/Mar/2024:00:30:00 +0200] \"GET / HTTP/1.1\" 200 1 \"-\" \"" FF "\"", NULL) !=
	      sig(p, "198.51.101.1 - - [01/Mar/2024:00:30:00 +0200] \"GET / HTTP/1.1\" 200 1 \"-\" \"" FF "\"", NULL));
	parser_free(p);
}

/* A W3C directive passed over (read by an earlier run) still sets the
 * fields of the lines after it. */
static void test_pass(void)
{
	struct parser *p = new_parser(FMT_W3C, 2);
	struct hit h;
	const char *data = "2024-03-01 10:00:00 198.51.100.1 GET /w 200";
	CHECK_INT(parse(p, data, &h), SKIP_MALFORMED); /* no #Fields yet */
	parser_pass(p, SLICE_LIT("#Fields: date time c-ip cs-method cs-uri-stem sc-status"));
	CHECK_INT(parse(p, data, &h), PARSE_PAGEVIEW);
	CHECK_MEM(h.page.p, h.page.n, "/w");
	parser_free(p);
}

/* parser_look over a start the look kept: a signature per line, the too
 * long one's too, the first time and the earliest day. */
static void test_look(void)
{
	char path[] = "/tmp/lf_look_XXXXXX";
	int fd = mkstemp(path);
	if (fd < 0)
		return;
	FILE *f = fdopen(fd, "w");
	const char *l1 = "198.51.100.1 - - [02/Mar/2024:10:00:00 +0000] \"GET /a HTTP/1.1\" 200 1 \"-\" \"" FF "\"";
	const char *l3 = "198.51.100.1 - - [01/Mar/2024:23:00:00 +0000] \"GET /b HTTP/1.1\" 200 1 \"-\" \"" FF "\"";
	fprintf(f, "%s\n", l1);
	for (size_t i = 0; i <= INPUT_LINE_MAX; i++)
		fputc('z', f);
	fprintf(f, "\n%s\n", l3);
	fclose(f);
	struct parser *p = new_parser(FMT_COMBINED, 2);
	struct input *in;
	struct lookahead *la;
	struct parser_start st;
	CHECK_INT(input_open(&in, path), LF_OK);
	CHECK_INT(lookahead_read(&la, in), LF_OK);
	parser_look(p, la, INT64_MAX, &st);
	CHECK_INT(st.nsig, 3);
	CHECK(st.sig[0] == sig(p, l1, NULL));
	CHECK(st.sig[1] == parser_signature_long());
	CHECK(st.sig[2] == sig(p, l3, NULL));
	CHECK_INT(st.first_time, 1709373600); /* 2024-03-02 10:00 UTC: its first line */
	CHECK_INT(st.first_day, 19723 + 31 + 29); /* 1 March: line 3, earlier */
	lookahead_free(la);
	input_close(in);
	unlink(path);
	parser_free(p);
}

TEST_MAIN(test_ip_v4, test_ip_v6, test_time, test_time_memo, test_duration, test_page,
	  test_page_bytes, test_static, test_feed, test_content_type, test_bots, test_scan,
	  test_detect, test_parser_line, test_parser_vhost, test_signature, test_pass, test_look)
