/*
 * test_pagerules.c - identifier-shaped segments (each shape and its near
 * misses), keep-query refusals, exclude / rewrite / allow / keep-query in
 * order, opt-out markers on raw fields, and the parser's use of them:
 * opt-out before anything else, --site-allow, per-site rules, site
 * isolation of visitors. Every expected page is written by hand from the
 * rule it tests.
 */
#include <stdlib.h>

#include "../../parsers/reduce/pagerules.h"
#include "../../parsers/reduce/parser.h"
#include "harness.h"

/* page_replace_ids(page) as a C string (static buffer). */
static const char *ids(const char *page)
{
	static char buf[PAGE_MAX + 1];
	struct slice out;
	if (!page_replace_ids(slice_cstr(page), buf, &out))
		return "(too long)";
	memmove(buf, out.p, out.n);
	buf[out.n] = '\0';
	return buf;
}

static void test_email(void)
{
	CHECK_STR(ids("/u/john.doe@example.org/profile"), "/u/:email/profile");
	CHECK_STR(ids("/u/john%40mail.example.co.uk"), "/u/:email");
	CHECK_STR(ids("/unsubscribe/a+b@x-y.fr"), "/unsubscribe/:email");
	CHECK_STR(ids("/u/a@b.fr"), "/u/:email"); /* 6 bytes */
	CHECK_STR(ids("/u/a%40b.fr/"), "/u/:email/");
	/* the domain follows the last '@': an '@' (or %40) in the local part
	 * hid the address, kept whole or but for a run of digits (found by
	 * fuzz_pagerules: replacing twice gave another page) */
	CHECK_STR(ids("/%40john@example.com"), "/:email");
	CHECK_STR(ids("/%4007766241@x.yz"), "/:email");
	CHECK_STR(ids("/u/a@b@example.com/x"), "/u/:email/x");
	/* near misses: no local part, no dot, a 1-letter or numeric last label */
	CHECK_STR(ids("/@handle"), "/@handle");
	CHECK_STR(ids("/user@localhost"), "/user@localhost");
	CHECK_STR(ids("/a@b.c"), "/a@b.c");
	CHECK_STR(ids("/v@1.2"), "/v@1.2");
	CHECK_STR(ids("/a@b..org"), "/a@b..org");
}

static void test_uuid(void)
{
	CHECK_STR(ids("/order/123e4567-e89b-12d3-a456-426614174000"), "/order/:uuid");
	CHECK_STR(ids("/order/123E4567-E89B-12D3-A456-426614174000/"), "/order/:uuid/");
	CHECK_STR(ids("/invoice/123e4567-e89b-12d3-a456-426614174000.pdf"), "/invoice/:uuid.pdf");
	/* near misses: dashes misplaced, too short and without digits */
	CHECK_STR(ids("/x/not-a-uuid-just-some-words-here-ok"), "/x/not-a-uuid-just-some-words-here-ok");
	CHECK_STR(ids("/x/abcdef01-2345"), "/x/abcdef01-2345");
}

static void test_digits(void)
{
	CHECK_STR(ids("/call/1234567890"), "/call/:num");
	CHECK_STR(ids("/order-12345678901-x/a"), "/order-:num-x/a");
	CHECK_STR(ids("/t/0612345678/0698765432"), "/t/:num/:num");
	/* near misses: 9 digits, a date */
	CHECK_STR(ids("/call/123456789"), "/call/123456789");
	CHECK_STR(ids("/2024-01-15/notes"), "/2024-01-15/notes");
	CHECK_STR(ids("/release-2024-01-15-notes"), "/release-2024-01-15-notes");
}

static void test_tokens(void)
{
	CHECK_STR(ids("/reset/4f9a2c7e8b1d3f6a5c0e9b8d7a6f5e4c"), "/reset/:token");
	CHECK_STR(ids("/t/Zx8_Qm3kP-9aLr2VtY7w"), "/t/:token");
	CHECK_STR(ids("/dl/a1b2c3d4e5f6a7b8c9d0.zip"), "/dl/:token.zip");
	/* near misses: a slug with a number, letters only, 19 characters */
	CHECK_STR(ids("/how-to-install-debian-12-on-a-laptop"), "/how-to-install-debian-12-on-a-laptop");
	CHECK_STR(ids("/windows11-upgrade-guide"), "/windows11-upgrade-guide");
	CHECK_STR(ids("/abcdefghijklmnopqrstuvwxyz"), "/abcdefghijklmnopqrstuvwxyz");
	CHECK_STR(ids("/a1b2c3d4e5f6a7b8c9d"), "/a1b2c3d4e5f6a7b8c9d");
}

static void test_jwt(void)
{
	CHECK_STR(ids("/auth/eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.abc123_-XYZ/x"),
		  "/auth/:token/x");
	CHECK_STR(ids("/eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0."), "/:token"); /* alg none */
	/* near misses: no dots, two dots in a row, four parts */
	CHECK_STR(ids("/eyJustin"), "/eyJustin");
	CHECK_STR(ids("/eyJhbGc..eyJzdWI"), "/eyJhbGc..eyJzdWI");
	CHECK_STR(ids("/eyJa.b.c.d"), "/eyJa.b.c.d");
}

/* An identifier inside a segment: a path parameter, braces, an escape,
 * base64 padding, a second extension (each was kept whole before). */
static void test_inside_segment(void)
{
	CHECK_STR(ids("/shop/index.jsp;jsessionid=0A1B2C3D4E5F60718293A4B5C6D7E8F9"),
		  "/shop/index.jsp;jsessionid=:token");
	CHECK_STR(ids("/cart;jsessionid=0A1B2C3D4E5F60718293A4B5C6D7E8F9.node01"),
		  "/cart;jsessionid=:token.node01");
	CHECK_STR(ids("/page;PHPSESSID=k8h3l2m9n4p7q1r6s5t0u3v8w2/x"), "/page;PHPSESSID=:token/x");
	CHECK_STR(ids("/x/sid=a1b2c3d4e5f6a7b8c9d0e1f2a3b4"), "/x/sid=:token");
	CHECK_STR(ids("/order/{123e4567-e89b-12d3-a456-426614174000}"), "/order/{:uuid}");
	CHECK_STR(ids("/(S(lit3py55t21z5v55vlm25s55))/default.aspx"), "/(S(:token))/default.aspx");
	CHECK_STR(ids("/confirm/amVhbi5kdXBvbnRAZXhhbXBsZS5mcg=="), "/confirm/:token==");
	CHECK_STR(ids("/confirm/amVhbi5kdXBvbnRAZXhhbXBsZS5mcg%3D%3D"), "/confirm/:token%3D%3D");
	CHECK_STR(ids("/s%3Ftoken%3Dk8h3l2m9n4p7q1r6s5t0u3v8w2"), "/s%3Ftoken%3D:token");
	CHECK_STR(ids("/a/k8h3l2m9n4p7q1r6s5t0u3v8w2.tar.gz"), "/a/:token.tar.gz");
	CHECK_STR(ids("/p;u=jean.dupont@example.fr;v=2"), "/p;u=:email;v=2");
	CHECK_STR(ids("/p;mail=jean%40example.fr"), "/:email"); /* whole: as before */
	CHECK_STR(ids("/a/1234567890123456;ref=x"), "/a/:num;ref=x");
	/* near misses: short parameters, words, versions */
	CHECK_STR(ids("/item;v=2;lang=fr"), "/item;v=2;lang=fr");
	CHECK_STR(ids("/docs/v1.2.3/install-guide.html"), "/docs/v1.2.3/install-guide.html");
	CHECK_STR(ids("/wiki/Talk:Main_Page_(disambiguation)"), "/wiki/Talk:Main_Page_(disambiguation)");
	CHECK_STR(ids("/p;q=how-to-install-debian-12-on-a-laptop"),
		  "/p;q=how-to-install-debian-12-on-a-laptop");
}

static void test_keep_query_refused(void)
{
	char err[160];
	static const char *const refused[] = { "utm_source", "UTM_Campaign", "id", "user_id",
					       "PHPSESSID", "gclid", "fbclid", "uuid", "_ga",
					       "token", "access_token", "api-key", "sig", "email",
					       "username", "ip", "session", "bad name", NULL };
	static const char *const kept[] = { "lang", "page", "q", "sort", "category", "grid_size",
					    "description", "keyword", "author", "design", NULL };
	for (int i = 0; refused[i]; i++) {
		const char *why = pagerule_check(RULE_KEEP_QUERY, refused[i], err, sizeof(err));
		CHECK(why != NULL);
		if (!why)
			fprintf(stderr, "  '%s' was accepted\n", refused[i]);
	}
	for (int i = 0; kept[i]; i++) {
		const char *why = pagerule_check(RULE_KEEP_QUERY, kept[i], err, sizeof(err));
		CHECK(why == NULL);
		if (why)
			fprintf(stderr, "  '%s' refused: %s\n", kept[i], why);
	}
	CHECK_STR(pagerule_check(RULE_KEEP_QUERY, "utm_source", err, sizeof(err)),
		  "campaign tags (utm_*) are never kept");
}

static void test_rule_values(void)
{
	char err[160];
	CHECK(pagerule_check(RULE_ALLOW, "^/(a|b)", err, sizeof(err)) == NULL);
	CHECK(pagerule_check(RULE_EXCLUDE, "^/(a", err, sizeof(err)) != NULL);
	CHECK(pagerule_check(RULE_REWRITE, "^/p/([0-9]+)=>/p/:id", err, sizeof(err)) == NULL);
	CHECK(pagerule_check(RULE_REWRITE, "^/p/[0-9]+", err, sizeof(err)) != NULL);
	CHECK(pagerule_check(RULE_REWRITE, "^/p=>p", err, sizeof(err)) != NULL);
	CHECK(pagerule_check(RULE_REWRITE, "^/p=>/$x", err, sizeof(err)) != NULL);
	CHECK(pagerule_check(RULE_OPTOUT_COOKIE, "optout", err, sizeof(err)) == NULL);
	CHECK(pagerule_check(RULE_OPTOUT_COOKIE, "optout=1", err, sizeof(err)) == NULL);
	CHECK(pagerule_check(RULE_OPTOUT_COOKIE, "a b", err, sizeof(err)) != NULL);
	CHECK(pagerule_check(RULE_OPTOUT_FIELD, "x-optout=1", err, sizeof(err)) == NULL);
	CHECK(pagerule_check(RULE_OPTOUT_FIELD, "x-optout", err, sizeof(err)) != NULL);
	CHECK(pagerule_check(RULE_OPTOUT_FIELD, "=1", err, sizeof(err)) != NULL);
	/* an alias is compared with the referrer's host as take_host() leaves
	 * it: no port, no path (and lower-case: cmd/ lower-cases the option) */
	CHECK(pagerule_check(RULE_ALIAS, "old.example.org", err, sizeof(err)) == NULL);
	CHECK(pagerule_check(RULE_ALIAS, "[2001:db8::1]", err, sizeof(err)) == NULL);
	CHECK(pagerule_check(RULE_ALIAS, "old.example.org:8080", err, sizeof(err)) != NULL);
	CHECK(pagerule_check(RULE_ALIAS, "old.example.org/blog", err, sizeof(err)) != NULL);
	CHECK(pagerule_check(RULE_ALIAS, "", err, sizeof(err)) != NULL);
}

/* A compiled rule set from a spec, aborting on failure. */
static struct page_rules *rules(const struct page_rules_spec *spec)
{
	struct page_rules *r;
	if (page_rules_compile(&r, spec) != LF_OK)
		abort();
	return r;
}

/* Apply r to target's normalised path; the page as a string, or "(drop)". */
static const char *apply(struct page_rules *r, const char *target)
{
	static struct page_bufs bufs;
	static char res[PAGE_MAX + 1];
	struct slice page, out;
	if (page_normalize(slice_cstr(target), bufs.b[0], &page))
		return "(bad)";
	enum page_verdict v = page_rules_apply(r, page, slice_cstr(target), &bufs, &out);
	if (v != PAGE_COUNT)
		return v == PAGE_DROP ? "(drop)" : "(long)";
	memcpy(res, out.p, out.n);
	res[out.n] = '\0';
	return res;
}

static void test_apply(void)
{
	struct page_rules_spec spec = { 0 };
	spec.list[RULE_EXCLUDE] = (struct strlist){ { "^/admin(/|$)", "^/healthz$" }, 2 };
	spec.list[RULE_REWRITE] = (struct strlist){ { "^/product/[0-9]+=>/product/:id",
						      "^/(blog)/[0-9]{4}/([a-z-]+)=>/$1/$2" }, 2 };
	spec.list[RULE_ALLOW] = (struct strlist){ { "^/(product|blog|search)(/|$)", "^/$" }, 2 };
	spec.list[RULE_KEEP_QUERY] = (struct strlist){ { "lang", "sort" }, 2 };
	struct page_rules *r = rules(&spec);
	CHECK_STR(apply(r, "/admin/users?x=1"), "(drop)");
	CHECK_STR(apply(r, "/admin"), "(drop)");
	CHECK_STR(apply(r, "/administrator"), "(other)"); /* not excluded, not allowed */
	CHECK_STR(apply(r, "/healthz"), "(drop)");
	CHECK_STR(apply(r, "/product/123/reviews"), "/product/:id/reviews");
	CHECK_STR(apply(r, "/blog/2024/hello-world"), "/blog/hello-world");
	/* ids are replaced after rewrites, and the allow-list sees the result */
	CHECK_STR(apply(r, "/blog/a@b.org"), "/blog/:email");
	/* kept parameters in the options' order; others and the fragment dropped */
	CHECK_STR(apply(r, "/search?q=secret&sort=date&lang=fr#top"), "/search?lang=fr&sort=date");
	CHECK_STR(apply(r, "/search?lang=%7Efr%22"), "/search?lang=~fr%22");
	CHECK_STR(apply(r, "/search?language=fr&lang"), "/search?lang=");
	CHECK_STR(apply(r, "/?utm_source=x"), "/");
	CHECK_STR(apply(r, "/contact"), "(other)");
	/* a kept value's identifiers are replaced as a segment's */
	CHECK_STR(apply(r, "/search?sort=jean.dupont%40example.fr"), "/search?sort=:email");
	CHECK_STR(apply(r, "/search?sort=0612349876&lang=4f9a2c7e8b1d3f6a5c0e9b8d7a6f5e4c"),
		  "/search?lang=:token&sort=:num");
	CHECK_STR(apply(r, "/search?lang=%2Fa%2F123e4567-e89b-12d3-a456-426614174000"),
		  "/search?lang=%2Fa%2F:uuid");
	CHECK_STR(apply(r, "/search?lang=fr-FR&sort=2024-01-15"), "/search?lang=fr-FR&sort=2024-01-15");
	page_rules_free(r);

	spec = (struct page_rules_spec){ .allow_drop = true, .keep_ids = true };
	spec.list[RULE_ALLOW] = (struct strlist){ { "^/blog/" }, 1 };
	r = rules(&spec);
	CHECK_STR(apply(r, "/contact"), "(drop)");
	CHECK_STR(apply(r, "/blog/1234567890"), "/blog/1234567890"); /* keep_ids */
	page_rules_free(r);
}

static struct raw_fields fields(const char *cookie, const char *gpc, const char *dnt)
{
	struct raw_fields f = { 0 };
	f.agent = SLICE_LIT("Mozilla/5.0 OptOutBrowser");
	if (cookie)
		f.extra[f.nextra++] = (struct raw_field){ SLICE_LIT("cookie"), slice_cstr(cookie) };
	if (gpc)
		f.extra[f.nextra++] = (struct raw_field){ SLICE_LIT("sec-gpc"), slice_cstr(gpc) };
	if (dnt)
		f.extra[f.nextra++] = (struct raw_field){ SLICE_LIT("dnt"), slice_cstr(dnt) };
	return f;
}

static void test_optout(void)
{
	struct page_rules_spec spec = { .honor_gpc = true };
	spec.list[RULE_OPTOUT_COOKIE] = (struct strlist){ { "nostats", "consent=no" }, 2 };
	spec.list[RULE_OPTOUT_FIELD] = (struct strlist){ { "User-Agent=Mozilla/5.0 OptOutBrowser" },
							 1 };
	struct page_rules *r = rules(&spec);
	struct raw_fields f = fields("a=1; nostats=yes; b=2", NULL, NULL);
	CHECK(page_rules_opted_out(r, &f));
	f = fields("nostats", NULL, NULL); /* a bare name */
	CHECK(page_rules_opted_out(r, &f));
	f = fields("consent=no", NULL, NULL);
	CHECK(page_rules_opted_out(r, &f));
	f = fields(NULL, " 1 ", NULL);
	CHECK(page_rules_opted_out(r, &f));
	f = fields(NULL, NULL, NULL); /* the field rule, on a named field */
	CHECK(page_rules_opted_out(r, &f));
	page_rules_free(r);

	spec.list[RULE_OPTOUT_FIELD].n = 0;
	r = rules(&spec);
	struct raw_fields near[] = {
		fields("xnostats=1; nostatsx=1", NULL, NULL), /* other names */
		fields("consent=yes; consent=noo", NULL, NULL), /* other values */
		fields(NULL, "0", "1"), /* GPC 0; DNT not honoured here */
		fields(NULL, NULL, NULL),
	};
	for (size_t i = 0; i < sizeof(near) / sizeof(near[0]); i++)
		CHECK(!page_rules_opted_out(r, &near[i]));
	page_rules_free(r);
	spec = (struct page_rules_spec){ .honor_dnt = true };
	r = rules(&spec);
	f = fields(NULL, NULL, "1");
	CHECK(page_rules_opted_out(r, &f));
	page_rules_free(r);
}

#define LINE(host, ip, page, ua)                                                       \
	host " " ip " - - [01/Mar/2024:10:00:00 +0000] \"GET " page " HTTP/1.1\" 200 1 \"-\" \"" ua \
	     "\""
#define FF "Mozilla/5.0 (X11; rv:125.0) Gecko/20100101 Firefox/125.0"

static void test_parser_sites(void)
{
	static const unsigned char key[PARSER_KEY_BYTES] = { 9 };
	static const char *const allow[] = { "a.example", "b.example" };
	struct page_rules_spec global = { 0 }, b_rules = { 0 };
	global.list[RULE_OPTOUT_FIELD] = (struct strlist){ { "user-agent=NoStats/1.0" }, 1 };
	/* a site's spec is complete: options.c puts the global rules in it */
	b_rules = global;
	b_rules.list[RULE_EXCLUDE] = (struct strlist){ { "^/private" }, 1 };
	struct parser_site sites[] = { { "b.example", &b_rules } };
	struct parser_config cfg = { .format = FMT_VCOMBINED, .site = "x", .mask_bytes = 2,
				     .rules = &global, .sites = sites, .nsites = 1,
				     .site_allow = allow, .nsite_allow = 2 };
	struct parser *p = NULL;
	if (parser_new(&p, &cfg, key) != LF_OK)
		abort();
	struct hit h;
	const char *why;
	uint64_t va;
	CHECK_INT(parser_line(p, SLICE_LIT(LINE("A.example:443", "192.0.2.1", "/private", FF)), &h,
			      &why),
		  PARSE_PAGEVIEW);
	va = h.visitor;
	/* the same address and agent on another site is another visitor */
	CHECK_INT(parser_line(p, SLICE_LIT(LINE("b.example:443", "192.0.2.1", "/x", FF)), &h, &why),
		  PARSE_PAGEVIEW);
	CHECK(h.visitor != va);
	CHECK_MEM(h.site.p, h.site.n, "b.example");
	/* b's own rules: its exclusion */
	CHECK_INT(parser_line(p, SLICE_LIT(LINE("b.example", "192.0.2.1", "/private", FF)), &h, &why),
		  SKIP_EXCLUDED);
	CHECK_INT(parser_line(p, SLICE_LIT(LINE("c.example", "192.0.2.1", "/x", FF)), &h, &why),
		  SKIP_OTHER_SITE);
	/* opt-out comes before everything: even a bad status or a POST */
	CHECK_INT(parser_line(p, SLICE_LIT(LINE("c.example", "192.0.2.1", "/x", "NoStats/1.0")), &h,
			      &why),
		  PARSE_OPTOUT);
	CHECK_INT(parser_line(p,
			      SLICE_LIT("b.example 192.0.2.1 - - [01/Mar/2024:10:00:00 +0000] \"POST / "
					"HTTP/1.1\" 2x0 1 \"-\" \"NoStats/1.0\""),
			      &h, &why),
		  PARSE_OPTOUT);
	/* a bot for another site is other_site: the site is checked before
	 * anything is recorded, robots in bots_daily included (issue 14) */
	CHECK_INT(parser_line(p, SLICE_LIT(LINE("c.example", "192.0.2.1", "/x", "Googlebot")), &h,
			      &why),
		  SKIP_OTHER_SITE);
	CHECK_INT(parser_line(p, SLICE_LIT(LINE("a.example", "192.0.2.1", "/x", "Googlebot")), &h,
			      &why),
		  SKIP_BOT);
	/* ids replaced by default */
	CHECK_INT(parser_line(p, SLICE_LIT(LINE("a.example", "192.0.2.1", "/u/me@x.org", FF)), &h,
			      &why),
		  PARSE_PAGEVIEW);
	CHECK_MEM(h.page.p, h.page.n, "/u/:email");
	parser_free(p);
}

TEST_MAIN(test_email, test_uuid, test_digits, test_tokens, test_jwt, test_inside_segment,
	  test_keep_query_refused,
	  test_rule_values, test_apply, test_optout, test_parser_sites)
