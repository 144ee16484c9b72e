/*
 * test_report.c - the report's pieces that a reader trusts without seeing:
 * the escapes of every context a database value lands in (HTML text and
 * attributes, SVG, script data, JSON, a terminal), the number formats,
 * the chart's axis, the SHA-256 the page's policy names its script by, and
 * the whole HTML, JSON and text of a small model whose page and referrer
 * are an attack. Expected strings are worked out by hand from the rules in
 * rbuf.h and chart.h; the SHA-256 digests are FIPS 180-4's examples and
 * Python's hashlib (an independent implementation) for the block edges.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../common/sha256.h"
#include "../../output/chart.h"
#include "../../output/rbuf.h"
#include "../../output/report.h"
#include "../../output/report_assets.h"
#include "../../output/report_html.h"
#include "../../output/report_json.h"
#include "../../output/report_text.h"
#include "harness.h"

#define XSS "/</script><img src=x onerror=alert(1)>"

/* The text fn writes for (s, n), as a new string (static storage). */
static const char *esc(void (*fn)(struct rbuf *, const char *, size_t), const char *s, size_t n)
{
	static char out[1024];
	struct rbuf b;
	rbuf_init(&b);
	fn(&b, s, n);
	snprintf(out, sizeof(out), "%s", b.p ? b.p : "");
	rbuf_free(&b);
	return out;
}
#define ESC(fn, s) esc(fn, s, sizeof(s) - 1)

static void test_html_escape(void)
{
	CHECK_STR(ESC(rbuf_html, XSS), "/&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;");
	/* attribute values are double-quoted: both quotes and & go */
	CHECK_STR(ESC(rbuf_html, "a\"b'c&d"), "a&quot;b&#39;c&amp;d");
	CHECK_STR(ESC(rbuf_html, "caf\xc3\xa9"), "caf\xc3\xa9");
	/* a byte that is not UTF-8, a control: U+FFFD, so the page stays valid */
	CHECK_STR(ESC(rbuf_html, "a\xff" "b\x01" "c"), "a\xef\xbf\xbd" "b\xef\xbf\xbd" "c");
	/* a sequence cut short at the end of the value */
	CHECK_STR(ESC(rbuf_html, "x\xc3"), "x\xef\xbf\xbd");
}

static void test_json_escape(void)
{
	CHECK_STR(ESC(rbuf_json, XSS),
		  "\"/\\u003c/script\\u003e\\u003cimg src=x onerror=alert(1)\\u003e\"");
	CHECK_STR(ESC(rbuf_json, "q\"b\\s"), "\"q\\\"b\\\\s\"");
	CHECK_STR(ESC(rbuf_json, "<!--&"), "\"\\u003c!--\\u0026\"");
	CHECK_STR(ESC(rbuf_json, "a\nb"), "\"a\\u000ab\"");
	CHECK_STR(ESC(rbuf_json, "\xe2\x80\xa8\xe2\x80\xa9"), "\"\\u2028\\u2029\"");
	CHECK_STR(ESC(rbuf_json, "\xff"), "\"\\ufffd\"");
	CHECK_STR(ESC(rbuf_json, "\xc3\xa9"), "\"\xc3\xa9\"");
}

static void test_text_escape(void)
{
	CHECK_STR(ESC(rbuf_text, "\x1b[31mred"), "?[31mred");
	CHECK_STR(ESC(rbuf_text, "a\xc2\x85" "b"), "a?b");            /* C1 NEL */
	CHECK_STR(ESC(rbuf_text, "a\xe2\x80\xae" "b"), "a?b");        /* RLO */
	CHECK_STR(ESC(rbuf_text, "caf\xc3\xa9\t"), "caf\xc3\xa9?");
	CHECK_INT(rbuf_text_width("h\xc3\xa9llo", 6), 5);
}

/* What a number formatter writes. */
static const char *fmt(void (*fn)(struct rbuf *, uint64_t), uint64_t v)
{
	static char out[64];
	struct rbuf b;
	rbuf_init(&b);
	fn(&b, v);
	snprintf(out, sizeof(out), "%s", b.p ? b.p : "");
	rbuf_free(&b);
	return out;
}

static const char *fmt2(void (*fn)(struct rbuf *, uint64_t, uint64_t), uint64_t a, uint64_t c)
{
	static char out[64];
	struct rbuf b;
	rbuf_init(&b);
	fn(&b, a, c);
	snprintf(out, sizeof(out), "%s", b.p ? b.p : "");
	rbuf_free(&b);
	return out;
}

static void points(struct rbuf *b, uint64_t v)
{
	rbuf_points(b, (int64_t)v - 100);
}

static void test_numbers(void)
{
	CHECK_STR(fmt(rbuf_count, 0), "0");
	CHECK_STR(fmt(rbuf_count, 999), "999");
	CHECK_STR(fmt(rbuf_count, 1000), "1,000");
	CHECK_STR(fmt(rbuf_count, 1234567), "1,234,567");
	CHECK_STR(fmt(rbuf_count, UINT64_MAX), "18,446,744,073,709,551,615");
	/* tenths, half up: 1/3 = 33.33, 2/3 = 66.67, 1/16 = 6.25 -> 6.3 */
	CHECK_STR(fmt2(rbuf_percent, 1, 3), "33.3%");
	CHECK_STR(fmt2(rbuf_percent, 2, 3), "66.7%");
	CHECK_STR(fmt2(rbuf_percent, 1, 16), "6.3%");
	CHECK_STR(fmt2(rbuf_percent, 5, 5), "100.0%");
	CHECK_STR(fmt2(rbuf_percent, 0, 0), "-");
	CHECK_STR(fmt2(rbuf_change, 110, 100), "+10.0%");
	CHECK_STR(fmt2(rbuf_change, 90, 100), "-10.0%");
	CHECK_STR(fmt2(rbuf_change, 100, 100), "+0.0%");
	CHECK_STR(fmt2(rbuf_change, 1, 3), "-66.7%");
	CHECK_STR(fmt2(rbuf_change, 5, 0), "new");
	CHECK_STR(fmt2(rbuf_change, 0, 0), "-");
	CHECK_STR(fmt(points, 115), "+1.5 pts");
	CHECK_STR(fmt(points, 96), "-0.4 pts");
	CHECK_STR(fmt(points, 100), "+0.0 pts");
	CHECK_STR(fmt(rbuf_duration, 45), "45 s");
	CHECK_STR(fmt(rbuf_duration, 65), "1 min 05 s");
	CHECK_STR(fmt(rbuf_duration, 3599), "59 min 59 s");
	CHECK_STR(fmt(rbuf_duration, 3600), "1 h 00 min");
	CHECK_STR(fmt(rbuf_duration, 7620), "2 h 07 min");
	/* ms: whole below a second, hundredths below 10 s, tenths above */
	CHECK_STR(fmt(rbuf_ms, 850), "850 ms");
	CHECK_STR(fmt(rbuf_ms, 1000), "1.00 s");
	CHECK_STR(fmt(rbuf_ms, 1250), "1.25 s");
	CHECK_STR(fmt(rbuf_ms, 1999), "2.00 s");
	CHECK_STR(fmt(rbuf_ms, 9994), "9.99 s");
	CHECK_STR(fmt(rbuf_ms, 9995), "10.0 s");
	CHECK_STR(fmt(rbuf_ms, 12549), "12.5 s");
	CHECK_STR(fmt(rbuf_short, 950), "950");
	CHECK_STR(fmt(rbuf_short, 1000), "1.0k");
	CHECK_STR(fmt(rbuf_short, 1234), "1.2k");
	CHECK_STR(fmt(rbuf_short, 1250), "1.3k");
	CHECK_STR(fmt(rbuf_short, 12345), "12k");
	CHECK_STR(fmt(rbuf_short, 999950), "1.0M"); /* not 1000k */
	CHECK_STR(fmt(rbuf_short, 3400000), "3.4M");
	CHECK_INT(rbuf_permille(1, 3), 333);
	CHECK_INT(rbuf_permille(0, 0), 0);
}

static void test_axis(void)
{
	struct chart_axis a;
	/* the first of 1, 2, 5, 10, 20 ... whose multiple covers max within
	 * 5 steps: 7 -> 2 (top 8: 7 steps of 1 are too many); 11 -> 5 (top 15;
	 * 2 would need 6 steps); 95 -> 20 (top 100); 150 000 -> 50 000 (the
	 * benchmark's pageviews: 20 000 would need 8 steps) */
	static const uint64_t max[] = { 0, 1, 7, 10, 11, 95, 1000, 150000 };
	static const uint64_t step[] = { 1, 1, 2, 2, 5, 20, 200, 50000 };
	static const uint64_t top[] = { 1, 1, 8, 10, 15, 100, 1000, 150000 };
	for (size_t i = 0; i < sizeof(max) / sizeof(max[0]); i++) {
		chart_axis(max[i], 5, &a);
		CHECK_INT(a.step, step[i]);
		CHECK_INT(a.top, top[i]);
	}
	chart_axis(95, 3, &a); /* three steps at most: 50, top 100 */
	CHECK_INT(a.step, 50);
	a = (struct chart_axis){ 100, 20 };
	CHECK(chart_pos(&a, 0, 200, 0) == 200.0);
	CHECK(chart_pos(&a, 50, 200, 0) == 100.0);
	CHECK(chart_pos(&a, 100, 200, 0) == 0.0);
}

/* Three days, the middle one without data: a gap, never a bar of zero. */
static void test_chart_gap(void)
{
	static const char *const days[3] = { "2024-06-01", "2024-06-02", "2024-06-03" };
	static const bool has[3] = { true, false, true };
	static const bool open[3] = { false, false, true };
	static const uint64_t pv[3] = { 10, 0, 4 }, vis[3] = { 3, 0, 2 };
	struct chart c = { "t", days, 3, has, open,
			   { { "pageviews", "s0", CHART_BAR, pv }, { "visitors", "s1", CHART_LINE, vis } },
			   2, CHART_COUNT, true, false, false };
	struct rbuf b;
	rbuf_init(&b);
	chart_svg(&b, &c);
	CHECK(b.p && strstr(b.p, "<rect class=\"gap\""));
	/* two bars only, the last pale (open) */
	size_t bars = 0;
	for (const char *p = b.p; (p = strstr(p, "<rect class=\"s0")); p++)
		bars++;
	CHECK_INT(bars, 2);
	CHECK(strstr(b.p, "class=\"s0 open\""));
	/* the line breaks at the gap: two moves, no line across it */
	const char *d = strstr(b.p, "line\" d=\"");
	CHECK(d && d[9] == 'M' && strchr(d + 10, 'M') && !strchr(d + 10, 'L'));
	CHECK(strstr(b.p, "aria-label=\"2024-06-02, no data\""));
	CHECK(strstr(b.p, "2024-06-03, 4 pageviews, 2 visitors, (still changing)"));
	rbuf_free(&b);
}

static void test_sha256(void)
{
	static const struct {
		const char *msg;
		size_t n;
		const char *b64;
	} v[] = {
		{ "abc", 3, "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=" },
		{ "", 0, "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=" },
		{ "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56,
		  "JI1qYdIGOLjlwCaTDD5gOaM85Flk/yFn9uzt1BnbBsE=" },
	};
	char out[45];
	unsigned char d[32];
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		sha256_base64(v[i].msg, v[i].n, out);
		CHECK_STR(out, v[i].b64);
	}
	sha256("abc", 3, d);
	CHECK_INT(d[0], 0xba);
	CHECK_INT(d[31], 0xad);
	/* the padding's edges: 55 bytes fit one block, 56 and 64 need two */
	char a[1000];
	memset(a, 'a', sizeof(a));
	sha256_base64(a, 55, out);
	CHECK_STR(out, "n0OQ+NMMLdkuyfCVtl4rmumwqSWlJY4kHJ8ekQ9zQxg=");
	sha256_base64(a, 56, out);
	CHECK_STR(out, "s1Q5pKxvCUi21vnjxq8PX1kM4g8b3nCQ73lwaG7Gc4o=");
	sha256_base64(a, 64, out);
	CHECK_STR(out, "/+BU/nrgy23GXDr5th1SCfQ5hR20PQulmXM33xVGaOs=");
	sha256_base64(a, 1000, out);
	CHECK_STR(out, "Qe3s5C1j6Nm/UVqbppMuHCDLyfWl0TRkWttdsblzfqM=");
}

/* The generated strings are the files byte for byte (tests run from the
 * source tree's root): what the policy hashes is what was written. */
static void test_assets(void)
{
	static const struct {
		const char *path, *text;
	} f[] = { { "output/report.css", report_css }, { "output/report.js", report_js } };
	for (size_t i = 0; i < 2; i++) {
		static char buf[1 << 17];
		FILE *in = fopen(f[i].path, "rb");
		size_t n = in ? fread(buf, 1, sizeof(buf) - 1, in) : 0;
		if (in)
			fclose(in);
		buf[n] = '\0';
		CHECK(n > 100);
		CHECK(strcmp(buf, f[i].text) == 0);
		CHECK(!strstr(f[i].text, "</"));
	}
}

/* ---- a whole model, hostile values in it ---------------------------------------- */

static const char *const day_names[2] = { "2024-06-01", "2024-06-02" };
static struct report_day days[2];
static struct report_page pages[2];
static struct report_cell ref_rows[1], bot_rows[1], drill_rows[1];
static struct report_load load_days[2][REPORT_NSOURCES];
static struct report_totals drill_days[2];
static bool drill_has[2] = { true, false };
static struct report_drill drills[1];
static struct report_site site;
static struct report_run runs[1];

/*
 * One site, two days: the first closed with the totals below, the second
 * without data. Previous period: 5 pageviews, 4 visitors, 4 visits, 2
 * bounces, 100 s over 2. Pages: XSS (the drill-down) and one whose name
 * holds a terminal escape. The referrer XSS, and (other).
 */
static void make_model(struct report *rep, bool public_page)
{
	struct report_totals cur = { 7, 4, 5, 4, 120, 2, 0, 0 };
	memset(rep, 0, sizeof(*rep));
	rep->opt = (struct report_options){ .public_page = public_page, .retention = 13,
					    .honor_gpc = true, .version = "0.1.0",
					    .today = "2024-06-03" };
	strcpy(rep->from, "2024-06-01");
	strcpy(rep->to, "2024-06-02");
	strcpy(rep->prev_from, "2024-05-30");
	strcpy(rep->prev_to, "2024-05-31");
	rep->ndays = 2;
	rep->day_names = day_names;
	rep->any_data = true;
	days[0] = (struct report_day){ "2024-06-01", REPORT_DAY_CLOSED, true, cur };
	days[1] = (struct report_day){ "2024-06-02", REPORT_DAY_NONE, false, { 0 } };
	pages[0] = (struct report_page){ XSS, { 7, 4, 5, 4, 120, 2, 5, 5 }, 0 };
	pages[1] = (struct report_page){ "/evil\x1b[2J", { 1, 1, 1, 1, 0, 0, 1, 1 }, -1 };
	ref_rows[0] = (struct report_cell){ NULL, XSS, 3, 2 };
	bot_rows[0] = (struct report_cell){ NULL, "Googlebot", 9, 0 };
	drill_rows[0] = ref_rows[0];
	drill_days[0] = (struct report_totals){ .pageviews = 7, .visitors = 4 };
	drills[0] = (struct report_drill){ .page = XSS, .days = drill_days, .has_day = drill_has };
	drills[0].dims[DIM_REFERRER] = (struct report_cut){ drill_rows, 1, 1, 5, 3, true, 2, 1 };
	site = (struct report_site){ .site = "www.a-rather-long-name-for-a-site-of-the-example.org",
				     .cur = cur,
				     .prev = { 5, 4, 4, 2, 100, 2, 0, 0 }, .cur_days = 1,
				     .prev_days = 1, .days = days, .pages = pages, .npages = 2,
				     .pages_total = 2, .load_days = load_days, .drills = drills,
				     .ndrills = 1, .k_min = 5, .k_max = 5, .mask_min = 2,
				     .mask_max = 2 };
	site.dims[DIM_REFERRER] = (struct report_cut){ ref_rows, 1, 1, 5, 3, true, 2, 1 };
	site.bots = (struct report_cut){ bot_rows, 1, 1, 9, 0, false, 0, 0 };
	runs[0] = (struct report_run){ "2024-06-02", "0.1.0", 1, 20, 7, 0, { 1 } };
	rep->sites = &site;
	rep->nsites = 1;
	rep->runs = runs;
	rep->nruns = rep->runs_total = 1;
}

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;
	for (const char *p = hay; (p = strstr(p, needle)); p++)
		n++;
	return n;
}

static void test_model_html(void)
{
	struct report rep;
	struct rbuf b;
	char csp[200], js[45];
	make_model(&rep, false);
	rbuf_init(&b);
	CHECK(report_html(&rep, &b));
	/* the attack shows as text: no element, one script (ours) */
	CHECK_INT(count(b.p, "<img"), 0);
	CHECK_INT(count(b.p, "<script"), 1);
	CHECK_INT(count(b.p, "</script>"), 1);
	CHECK(count(b.p, "/&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;") >= 3);
	CHECK_INT(count(b.p, "\x1b"), 0);
	/* the policy names the script that is there, and forbids any load */
	sha256_base64(report_js, strlen(report_js), js);
	snprintf(csp, sizeof(csp), "script-src 'sha256-%s'", js);
	CHECK(strstr(b.p, csp) && strstr(b.p, "content=\"default-src 'none'; "));
	/* overview: 4 visitors against 4; 7 pageviews against 5 (+40.0%); bounce
	 * rate 4/5 = 80.0% against 2/4 = 50.0% (+30.0 points); time on page
	 * 120/2 = 60 s against 100/2 = 50 s (+20.0%) */
	CHECK(strstr(b.p, "data-k=\"visitors\" data-v=\"4\">4</dd><dd class=\"chg\">"
			  "<span class=\"same\">+0.0%</span>"));
	CHECK(strstr(b.p, "data-k=\"pageviews\" data-v=\"7\">7</dd><dd class=\"chg\">"
			  "<span class=\"up\">+40.0%</span>"));
	/* a bounce rate going up is bad news: "down" */
	CHECK(strstr(b.p, "data-v=\"800\">80.0%</dd><dd class=\"chg\"><span class=\"down\">"
			  "+30.0 pts</span> against the 2 days before"));
	CHECK(strstr(b.p, "data-v=\"60\">1 min 00 s</dd><dd class=\"chg\"><span class=\"up\">"
			  "+20.0%</span>"));
	CHECK(strstr(b.p, "<tr data-drill=\"s0-d0\">") && strstr(b.p, "<template id=\"s0-d0\">"));
	CHECK(strstr(b.p, "fewer than 5 visitors"));
	CHECK(strstr(b.p, "end of an IPv4 address: 2)"));
	CHECK(strstr(b.p, "Global Privacy Control signal"));
	CHECK(strstr(b.p, "Robots") && strstr(b.p, "id=\"runs\"") && strstr(b.p, "id=\"settings\""));
	CHECK(strstr(b.p, "Days with no data (drawn as gaps, never as zeros): 2024-06-02"));
	rbuf_free(&b);
	/* --public: no robots, data quality, runs or settings */
	make_model(&rep, true);
	rbuf_init(&b);
	CHECK(report_html(&rep, &b));
	CHECK(!strstr(b.p, "Robots") && !strstr(b.p, "id=\"runs\"") &&
	      !strstr(b.p, "id=\"settings\"") && !strstr(b.p, "Data quality"));
	CHECK(strstr(b.p, "How these statistics were made"));
	rbuf_free(&b);
}

static void test_model_json(void)
{
	struct report rep;
	struct rbuf b;
	make_model(&rep, false);
	rbuf_init(&b);
	CHECK(report_json(&rep, &b));
	CHECK(!strchr(b.p, '<')); /* safe even inside a <script> element */
	CHECK(strstr(b.p, "\"page\":\"/\\u003c/script\\u003e\\u003cimg src=x onerror=alert(1)"
			  "\\u003e\""));
	CHECK(strstr(b.p, "\"overview\":{\"pageviews\":7,\"visitors\":4,\"visits\":5,"
			  "\"bounces\":4,\"time_on_page_s\":120,\"time_on_page_n\":2,"));
	CHECK(strstr(b.p, "\"other\":{\"pageviews\":2,\"visitors\":1}"));
	CHECK(strstr(b.p, "\"bots\":") && strstr(b.p, "\"runs\":"));
	CHECK(strstr(b.p, "\"/evil\\u001b[2J\""));
	rbuf_free(&b);
	make_model(&rep, true);
	rbuf_init(&b);
	CHECK(report_json(&rep, &b));
	CHECK(!strstr(b.p, "\"bots\":") && !strstr(b.p, "\"runs\":") &&
	      !strstr(b.p, "\"quality\":") && !strstr(b.p, "\"settings\":"));
	rbuf_free(&b);
}

static void test_model_text(void)
{
	struct report rep;
	struct rbuf b;
	make_model(&rep, false);
	rbuf_init(&b);
	CHECK(report_text(&rep, &b));
	CHECK(!strchr(b.p, '\x1b'));
	CHECK(strstr(b.p, "  /evil?[2J "));
	/* every line within 80 columns, none ending in a space */
	size_t longest = 0, trailing = 0;
	for (const char *p = b.p; *p;) {
		size_t n = strcspn(p, "\n"), w = rbuf_text_width(p, n);
		longest = w > longest ? w : longest;
		trailing += n && p[n - 1] == ' ';
		p += n + (p[n] == '\n');
	}
	CHECK(longest <= REPORT_TEXT_WIDTH);
	CHECK_INT(trailing, 0);
	/* Visitors: 4 this period, 4 before: "+0.0%"; a line is 2 spaces, the
	 * name in 36 columns, three numbers right-aligned in 14: 80 */
	char want[100];
	snprintf(want, sizeof(want), "  %-36s%14s%14s%14s\n", "Visitors", "4", "4", "+0.0%");
	CHECK_INT(strlen(want), 81);
	CHECK(strstr(b.p, want));
	rbuf_free(&b);
	rep.any_data = false;
	rbuf_init(&b);
	CHECK(report_text(&rep, &b));
	CHECK_STR(b.p, "No data from 2024-06-01 to 2024-06-02.\n");
	rbuf_free(&b);
}

TEST_MAIN(test_html_escape, test_json_escape, test_text_escape, test_numbers, test_axis,
	  test_chart_gap, test_sha256, test_assets, test_model_html, test_model_json,
	  test_model_text)
