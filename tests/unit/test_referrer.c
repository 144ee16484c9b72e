/*
 * test_referrer.c - referrer reduction (every kind of referer, the table's
 * matching rules, what is never kept) and registrable domains from the
 * public suffix list, both Debian's copy and a small hand-written list
 * whose rules are known exactly. Expected values are worked out by hand.
 */
#include <stdlib.h>
#include <unistd.h>

#include "../../parsers/reduce/referrer.h"
#include "../../parsers/reduce/suffix.h"
#include "harness.h"

static const char *const aliases[] = { "www.example.org", "old.example" };

/* "TYPE VALUE" of ref for site example.org. */
static void check_ref(const struct suffix_list *psl, const char *ref, const char *want)
{
	struct referrer_rules rules = { aliases, 2, psl, 2 };
	static struct referrer_buf buf;
	struct slice v = { 0 };
	char got[1200];
	enum referrer_type t =
		referrer_reduce(slice_cstr(ref), SLICE_LIT("example.org"), &rules, &buf, &v);
	snprintf(got, sizeof(got), "%.*s %.*s", (int)referrer_type_names[t].n,
		 referrer_type_names[t].p, (int)v.n, v.p);
	if (strcmp(got, want) != 0)
		fprintf(stderr, "referrer '%s'\n", ref);
	CHECK_STR(got, want);
}

static void test_reduce(void)
{
	check_ref(NULL, "-", "direct (direct)");
	check_ref(NULL, "", "direct (direct)");
	/* internal: the site, an alias; path normalised like a page */
	check_ref(NULL, "https://example.org/a/b?q=secret#f", "internal /a/b");
	check_ref(NULL, "HTTP://Example.ORG", "internal /");
	check_ref(NULL, "https://example.org?x=1", "internal /");
	check_ref(NULL, "https://www.example.org:8080//a//%7Eb", "internal /a/~b");
	check_ref(NULL, "https://old.example/x", "internal /x");
	check_ref(NULL, "https://example.org./x", "internal /x"); /* trailing dot */
	/* not the site: a sub- or sibling domain is another host */
	check_ref(NULL, "https://blog.example.org/x", "external blog.example.org");
	/* search engines, with country endings and subdomains */
	check_ref(NULL, "https://www.google.com/search?q=x", "search www.google.com");
	check_ref(NULL, "https://www.google.de/", "search www.google.de");
	check_ref(NULL, "https://www.google.co.uk/", "search www.google.co.uk");
	check_ref(NULL, "https://google.com.au/", "search google.com.au");
	check_ref(NULL, "https://news.google.fr/", "search news.google.fr");
	check_ref(NULL, "https://www.bing.com/", "search www.bing.com");
	check_ref(NULL, "https://duckduckgo.com/", "search duckduckgo.com");
	check_ref(NULL, "https://search.yahoo.co.jp/", "search search.yahoo.co.jp");
	check_ref(NULL, "https://yandex.ru/", "search yandex.ru");
	check_ref(NULL, "https://www.ecosia.org/", "search www.ecosia.org");
	check_ref(NULL, "https://www.qwant.com/", "search www.qwant.com");
	check_ref(NULL, "https://search.brave.com/", "search search.brave.com");
	check_ref(NULL, "https://www.startpage.com/", "search www.startpage.com");
	check_ref(NULL, "https://www.baidu.com/", "search www.baidu.com");
	/* look-alikes are not */
	check_ref(NULL, "https://notgoogle.com/", "external notgoogle.com");
	check_ref(NULL, "https://google.evil.com/", "external google.evil.com");
	check_ref(NULL, "https://brave.com/", "external brave.com");
	/* social */
	check_ref(NULL, "https://t.co/x3kq9", "social t.co");
	check_ref(NULL, "https://x.com/someone", "social x.com");
	check_ref(NULL, "https://l.facebook.com/l.php?u=x", "social l.facebook.com");
	check_ref(NULL, "https://l.instagram.com/", "social l.instagram.com");
	check_ref(NULL, "https://www.linkedin.com/feed/", "social www.linkedin.com");
	check_ref(NULL, "https://lnkd.in/abc", "social lnkd.in");
	check_ref(NULL, "https://old.reddit.com/r/c", "social old.reddit.com");
	check_ref(NULL, "https://www.youtube.com/watch?v=1", "social www.youtube.com");
	check_ref(NULL, "https://www.pinterest.fr/pin/1", "social www.pinterest.fr");
	check_ref(NULL, "https://www.tiktok.com/@u", "social www.tiktok.com");
	/* external: host only; user info, port, path, query dropped */
	check_ref(NULL, "https://user:secret@Blog.Example.NET:8443/p?q=1#f",
		  "external blog.example.net");
	/* an address literal is masked as a client's (2 bytes here: /16, /48) */
	check_ref(NULL, "http://[2001:DB8::1]:8080/x", "external [2001:db8::]");
	check_ref(NULL, "http://[2001:db8:aa:bb::1]/", "external [2001:db8:aa::]");
	check_ref(NULL, "http://192.0.2.44:8080/x", "external 192.0.0.0");
	check_ref(NULL, "https://user@10.1.2.3/", "external 10.1.0.0");
	check_ref(NULL, "http://[::ffff:198.51.100.7]/", "external 198.51.0.0");
	check_ref(NULL, "https://1password.com/", "external 1password.com");
	check_ref(NULL, "https://1.2.3.example/", "external 1.2.3.example");
	/* Android apps: the app id */
	check_ref(NULL, "android-app://com.google.android.gm/", "external com.google.android.gm");
	check_ref(NULL, "android-app://com.google.android.googlequicksearchbox/https/www.google.com",
		  "search com.google.android.googlequicksearchbox");
	check_ref(NULL, "android-app://com.facebook.katana", "social com.facebook.katana");
	/* garbage */
	check_ref(NULL, "not a url", "(invalid) (invalid)");
	check_ref(NULL, "ftp://example.net/", "(invalid) (invalid)");
	check_ref(NULL, "https://", "(invalid) (invalid)");
	check_ref(NULL, "https:///path", "(invalid) (invalid)");
	check_ref(NULL, "https://exa mple.com/", "(invalid) (invalid)");
	check_ref(NULL, "https://.../", "(invalid) (invalid)");
	check_ref(NULL, "https://a..b/", "(invalid) (invalid)");
	check_ref(NULL, "https://.a.b/", "(invalid) (invalid)");
	check_ref(NULL, "https://ex\xc3\xa4mple.com/", "(invalid) (invalid)");
	check_ref(NULL, "http://[2001:db8::1/x", "(invalid) (invalid)");
	/* as every host is read (common/host.h): a port is digits (RFC 3986),
	 * an [IPv6] address has a ':', the root's dot is dropped */
	check_ref(NULL, "https://example.com:http/", "(invalid) (invalid)");
	check_ref(NULL, "https://example.com:/", "external example.com");
	check_ref(NULL, "http://[192.0.2.7]/", "(invalid) (invalid)");
	check_ref(NULL, "https://Example.com.:443/", "external example.com");
	check_ref(NULL, "android-app://", "(invalid) (invalid)");
	check_ref(NULL, "android-app://com.ex ample/", "(invalid) (invalid)");
}

static void test_reduce_limits(void)
{
	/* a 253-byte host (labels of 63, 63, 63 and 61 bytes: RFC 1035) is
	 * kept, 254 is invalid, and so is a label of 64 bytes */
	char ref[400] = "https://";
	memset(ref + 8, 'a', 253);
	ref[8 + 63] = ref[8 + 127] = ref[8 + 191] = '.';
	ref[8 + 253] = '\0';
	struct referrer_rules rules = { NULL, 0, NULL, 2 };
	static struct referrer_buf buf;
	struct slice v;
	CHECK_INT(referrer_reduce(slice_cstr(ref), SLICE_LIT("s"), &rules, &buf, &v), REF_EXTERNAL);
	CHECK_INT(v.n, 253);
	strcat(ref, "a");
	CHECK_INT(referrer_reduce(slice_cstr(ref), SLICE_LIT("s"), &rules, &buf, &v), REF_INVALID);
	memset(ref + 8, 'b', 64);
	strcpy(ref + 8 + 64, ".example/");
	CHECK_INT(referrer_reduce(slice_cstr(ref), SLICE_LIT("s"), &rules, &buf, &v), REF_INVALID);
	strcpy(ref + 8 + 63, ".example/"); /* a label of 63 bytes: a host */
	CHECK_INT(referrer_reduce(slice_cstr(ref), SLICE_LIT("s"), &rules, &buf, &v), REF_EXTERNAL);
	CHECK_INT(v.n, 63 + 8);
	/* an internal page longer than PAGE_MAX is invalid, not cut */
	char *longref = malloc(PAGE_MAX + 64);
	snprintf(longref, 64, "https://s/");
	memset(longref + 10, 'p', PAGE_MAX + 10);
	longref[PAGE_MAX + 20] = '\0';
	CHECK_INT(referrer_reduce(slice_cstr(longref), SLICE_LIT("s"), &rules, &buf, &v),
		  REF_INVALID);
	free(longref);
}

/* A small list with every kind of rule, as publicsuffix.org's tests use. */
static const char mini_list[] = "// comment\n"
				"com\n"
				"uk\n"
				"co.uk\n"
				"*.ck\n"
				"!www.ck\n"
				"github.io\n"
				"\n";

static void check_dom(const struct suffix_list *l, const char *host, const char *want)
{
	struct slice r = suffix_registrable(l, slice_cstr(host));
	CHECK_MEM(r.p, r.n, want);
}

static void test_suffix(void)
{
	char path[] = "/tmp/lf_test_psl.XXXXXX";
	int fd = mkstemp(path);
	struct suffix_list l;
	CHECK(fd >= 0);
	if (fd < 0)
		return;
	CHECK_INT(write(fd, mini_list, sizeof(mini_list) - 1), (long long)sizeof(mini_list) - 1);
	close(fd);
	CHECK_INT(suffix_load(&l, path), LF_OK);
	unlink(path);
	check_dom(&l, "www.example.com", "example.com");
	check_dom(&l, "a.b.example.com", "example.com");
	check_dom(&l, "example.com", "example.com");
	check_dom(&l, "com", "com");                  /* a suffix itself */
	check_dom(&l, "news.bbc.co.uk", "bbc.co.uk"); /* longest rule: co.uk, not uk */
	check_dom(&l, "bbc.uk", "bbc.uk");
	check_dom(&l, "a.b.c.ck", "b.c.ck");          /* *.ck: c.ck is a suffix */
	check_dom(&l, "www.ck", "www.ck");            /* !www.ck: the suffix is ck */
	check_dom(&l, "a.www.ck", "www.ck");
	check_dom(&l, "foo.bar.github.io", "bar.github.io");
	check_dom(&l, "a.b.example", "b.example");    /* no rule: "*" */
	check_dom(&l, "localhost", "localhost");
	check_dom(&l, "[2001:db8::1]", "[2001:db8::1]");
	suffix_release(&l);

	CHECK_INT(suffix_load(&l, "/nonexistent/psl.dat"), LF_ERR_IO);
	/* Debian's list, as logfold uses it */
	CHECK_INT(suffix_load(&l, SUFFIX_LIST_PATH), LF_OK);
	check_dom(&l, "news.bbc.co.uk", "bbc.co.uk");
	check_dom(&l, "www.google.com.au", "google.com.au");
	check_dom(&l, "user.github.io", "user.github.io");
	suffix_release(&l);
}

static void test_reduce_domain(void)
{
	struct suffix_list l;
	CHECK_INT(suffix_load(&l, SUFFIX_LIST_PATH), LF_OK);
	check_ref(&l, "https://www.google.co.uk/search?q=1", "search google.co.uk");
	check_ref(&l, "https://l.facebook.com/", "social facebook.com");
	check_ref(&l, "https://a.b.example.net/", "external example.net");
	/* internal and apps are not reduced */
	check_ref(&l, "https://www.example.org/x", "internal /x");
	check_ref(&l, "android-app://com.google.android.gm/", "external com.google.android.gm");
	suffix_release(&l);
}

TEST_MAIN(test_reduce, test_reduce_limits, test_suffix, test_reduce_domain)
