/*
 * test_fieldset.c - which fields a format can log (parsers/formats/
 * fieldset.h), for the opt-out checks of logfold privacy and the run's
 * warning. Each expectation is read from the format's own definition:
 * combined is CLF plus referer and agent, nothing else (no cookie, no
 * header); common has no referer; the v* formats add the virtual host; a
 * format string logs exactly the variables it names; Caddy's map names
 * the Cookie, Dnt and Sec-Gpc headers; W3C's fields are those of the
 * log's #Fields line, so unknown before it.
 */
#include <stdlib.h>

#include "../../parsers/formats/fieldset.h"
#include "../../parsers/formats/logfmt.h"
#include "../../parsers/formats/logformat.h"
#include "harness.h"

static struct scanner sc;
static struct logfmt prog;

static void set(enum log_format f)
{
	scanner_init(&sc, f, NULL, NULL);
}

static void set_string(enum logfmt_dialect d, const char *s)
{
	char err[256];
	CHECK_INT(logfmt_compile(&prog, d, s, err, sizeof(err)), LF_OK);
	scanner_init(&sc, FMT_CUSTOM, &prog, NULL);
}

static void test_clf(void)
{
	set(FMT_COMBINED);
	CHECK_INT(fieldset_logged(&sc, "cookie"), FIELD_NOT_LOGGED);
	CHECK_INT(fieldset_logged(&sc, "sec-gpc"), FIELD_NOT_LOGGED);
	CHECK_INT(fieldset_logged(&sc, "dnt"), FIELD_NOT_LOGGED);
	CHECK_INT(fieldset_logged(&sc, "referer"), FIELD_LOGGED);
	CHECK_INT(fieldset_logged(&sc, "user-agent"), FIELD_LOGGED);
	CHECK_INT(fieldset_logged(&sc, "vhost"), FIELD_NOT_LOGGED);
	CHECK_INT(fieldset_logged(&sc, "duration"), FIELD_NOT_LOGGED);
	set(FMT_COMMON);
	CHECK_INT(fieldset_logged(&sc, "referer"), FIELD_NOT_LOGGED);
	CHECK_INT(fieldset_logged(&sc, "client"), FIELD_LOGGED);
	set(FMT_VCOMBINED);
	CHECK_INT(fieldset_logged(&sc, "vhost"), FIELD_LOGGED);
	CHECK_INT(fieldset_logged(&sc, "cookie"), FIELD_NOT_LOGGED);
	set(FMT_AUTO);
	CHECK_INT(fieldset_logged(&sc, "cookie"), FIELD_UNKNOWN);
}

static void test_strings(void)
{
	set_string(LOGFMT_NGINX, "$remote_addr - $remote_user [$time_local] \"$request\" $status "
				 "$body_bytes_sent \"$http_referer\" \"$http_user_agent\" "
				 "\"$http_cookie\" $request_time");
	CHECK_INT(fieldset_logged(&sc, "cookie"), FIELD_LOGGED);
	CHECK_INT(fieldset_logged(&sc, "sec-gpc"), FIELD_NOT_LOGGED);
	CHECK_INT(fieldset_logged(&sc, "duration"), FIELD_LOGGED);
	CHECK_INT(fieldset_logged(&sc, "vhost"), FIELD_NOT_LOGGED);
	/* $http_sec_gpc is the header Sec-GPC, "sec-gpc" */
	set_string(LOGFMT_NGINX, "$host $remote_addr [$time_local] \"$request\" $status "
				 "\"$http_sec_gpc\" \"$http_dnt\"");
	CHECK_INT(fieldset_logged(&sc, "sec-gpc"), FIELD_LOGGED);
	CHECK_INT(fieldset_logged(&sc, "dnt"), FIELD_LOGGED);
	CHECK_INT(fieldset_logged(&sc, "cookie"), FIELD_NOT_LOGGED);
	CHECK_INT(fieldset_logged(&sc, "referer"), FIELD_NOT_LOGGED);
	CHECK_INT(fieldset_logged(&sc, "vhost"), FIELD_LOGGED);
	/* Apache: %{Cookie}i is the header, lower-cased */
	set_string(LOGFMT_APACHE, "%h %l %u %t \"%r\" %>s %b \"%{Cookie}i\"");
	CHECK_INT(fieldset_logged(&sc, "cookie"), FIELD_LOGGED);
	CHECK_INT(fieldset_logged(&sc, "dnt"), FIELD_NOT_LOGGED);
}

static void test_other_formats(void)
{
	set(FMT_CADDY);
	CHECK_INT(fieldset_logged(&sc, "cookie"), FIELD_LOGGED);
	CHECK_INT(fieldset_logged(&sc, "sec-gpc"), FIELD_LOGGED);
	CHECK_INT(fieldset_logged(&sc, "dnt"), FIELD_LOGGED);
	CHECK_INT(fieldset_logged(&sc, "duration"), FIELD_LOGGED);
	set(FMT_NGINX_JSON);
	CHECK_INT(fieldset_logged(&sc, "cookie"), FIELD_LOGGED);
	CHECK_INT(fieldset_logged(&sc, "referer"), FIELD_LOGGED);
	CHECK_INT(fieldset_logged(&sc, "cookie_consent"), FIELD_NOT_LOGGED);
	set(FMT_ELB);
	CHECK_INT(fieldset_logged(&sc, "cookie"), FIELD_NOT_LOGGED);
	set(FMT_W3C); /* no #Fields line read yet */
	CHECK_INT(fieldset_logged(&sc, "cookie"), FIELD_UNKNOWN);
	struct raw_fields f;
	scanner_scan(&sc, SLICE_LIT("#Fields: date time c-ip cs-method cs-uri-stem sc-status "
				    "cs(Cookie)"), &f);
	CHECK_INT(fieldset_logged(&sc, "cookie"), FIELD_LOGGED);
	CHECK_INT(fieldset_logged(&sc, "dnt"), FIELD_NOT_LOGGED);
	CHECK_INT(fieldset_logged(&sc, "referer"), FIELD_NOT_LOGGED);
}

TEST_MAIN(test_clf, test_strings, test_other_formats)
