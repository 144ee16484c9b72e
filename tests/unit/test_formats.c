/*
 * test_formats.c - the format compiler (nginx and Apache strings, errors,
 * ranks, extra fields by header name), the time forms, --tz offsets, the
 * client behind proxies, the JSON scanner, server config reading, and
 * detection over every predefined format. Expected values are worked out
 * by hand in the comments.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "../../parsers/reduce/clientip.h"
#include "../../parsers/formats/conf.h"
#include "../../parsers/formats/logformat.h"
#include "../../parsers/formats/json.h"
#include "../../parsers/formats/logfmt.h"
#include "../../parsers/formats/logtime.h"
#include "../../parsers/reduce/parser.h"
#include "../../parsers/reduce/tz.h"
#include "harness.h"

static struct logfmt fmt; /* large: not on the stack */
static char err[512];

static bool compile(enum logfmt_dialect d, const char *s)
{
	err[0] = '\0';
	return logfmt_compile(&fmt, d, s, err, sizeof(err)) == LF_OK;
}

#define FIELD(f, want) CHECK_MEM((f).p, (f).n, want)

static void test_nginx_string(void)
{
	struct raw_fields f;
	CHECK(compile(LOGFMT_NGINX, "$remote_addr - $remote_user [$time_local] \"$request\" "
				    "$status $body_bytes_sent \"$http_referer\" \"$http_user_agent\" "
				    "\"$http_x_forwarded_for\" $http_sec_gpc ${http_dnt}x $cookie_sid "
				    "$request_time $upstream_response_time $host"));
	const char *line = "2001:db8::1 - bob [10/Oct/2000:13:55:36 -0700] \"GET /a\\x22b HTTP/1.1\" "
			   "200 5 \"-\" \"UA \\x22q\\x22\" \"203.0.113.1, 10.0.0.1\" 1 -x abc "
			   "0.250 0.100 Example.org";
	CHECK(logfmt_scan(&fmt, slice_cstr(line), &f) == NULL);
	FIELD(f.client, "2001:db8::1");
	FIELD(f.time, "10/Oct/2000:13:55:36 -0700");
	CHECK_INT(f.time_form, TF_CLF);
	FIELD(f.request, "GET /a\\x22b HTTP/1.1");
	FIELD(f.status, "200");
	FIELD(f.agent, "UA \\x22q\\x22");
	CHECK(f.has_agent);
	FIELD(f.vhost, "Example.org");
	/* $request_time (rank 2) beats $upstream_response_time (rank 1) */
	FIELD(f.duration, "0.250");
	CHECK_INT(f.duration_unit, DUR_SECONDS);
	/* headers under their lower-case names, '_' -> '-' */
	struct slice v = raw_field_get(&f, "x-forwarded-for");
	FIELD(v, "203.0.113.1, 10.0.0.1");
	v = raw_field_get(&f, "sec-gpc");
	FIELD(v, "1");
	v = raw_field_get(&f, "dnt");
	FIELD(v, "-");
	v = raw_field_get(&f, "cookie_sid"); /* a variable: its own name */
	FIELD(v, "abc");
	CHECK(raw_field_get(&f, "remote_user").p == NULL); /* core, skipped */
	/* a line the literals do not fit */
	CHECK(logfmt_scan(&fmt, SLICE_LIT("2001:db8::1 + bob"), &f) != NULL);
	/* $time_local unbracketed, followed by a space: its own space is inside */
	CHECK(compile(LOGFMT_NGINX, "$time_local $status $uri$is_args$args"));
	CHECK(logfmt_scan(&fmt, SLICE_LIT("10/Oct/2000:13:55:36 -0700 200 /x?y"), &f) == NULL);
	FIELD(f.time, "10/Oct/2000:13:55:36 -0700");
	FIELD(f.target, "/x?y");
	/* escape=none is read; escape=json too */
	CHECK(compile(LOGFMT_NGINX, "escape=none $msec \"$request\" $status"));
	CHECK_INT(fmt.escape, ESC_NONE);
	CHECK_INT(fmt.time_form, TF_EPOCH);
	CHECK(compile(LOGFMT_NGINX, "escape=json {\"t\":\"$time_iso8601\",\"u\":\"$uri\",\"s\":$status}"));
	CHECK(logfmt_scan(&fmt, SLICE_LIT("{\"t\":\"2024-05-28T10:00:00+02:00\",\"u\":\"/p\",\"s\":200}"),
			  &f) == NULL);
	FIELD(f.target, "/p");
	CHECK(!compile(LOGFMT_NGINX, "escape=xml $time_local $status $uri"));
}

static void test_apache_string(void)
{
	struct raw_fields f;
	CHECK(compile(LOGFMT_APACHE, "%v %h %a %t %{%Y-%m-%d %H:%M:%S}t \"%m %U%q %H\" %s %>s "
				     "%{ms}T %D \"%{Referer}i\" \"%{User-Agent}i\" %{Cookie}i "
				     "%400,501{X-Forwarded-For}i %{lang}C %% %I"));
	const char *line = "www.example.org 10.0.0.1 192.0.2.7 [10/Oct/2000:13:55:36 -0700] "
			   "2000-10-10 13:55:36 \"GET /a?q=1 HTTP/1.1\" 302 200 15 15000 "
			   "\"-\" \"Mozilla\" sid=1 - fr % 512";
	CHECK(logfmt_scan(&fmt, slice_cstr(line), &f) == NULL);
	FIELD(f.vhost, "www.example.org");
	FIELD(f.client, "192.0.2.7"); /* %a beats %h */
	FIELD(f.status, "200");       /* %>s beats %s */
	FIELD(f.duration, "15000");   /* %D (rank 3) beats %{ms}T */
	CHECK_INT(f.duration_unit, DUR_MICROS);
	FIELD(f.method, "GET");
	FIELD(f.target, "/a?q=1"); /* %U%q: the query is inside %U's field */
	/* the %t time (rank 2) beats the strftime one (rank 1) */
	CHECK_INT(f.time_form, TF_CLF);
	struct slice v = raw_field_get(&f, "cookie");
	FIELD(v, "sid=1");
	v = raw_field_get(&f, "x-forwarded-for");
	FIELD(v, "-");
	v = raw_field_get(&f, "cookie_lang");
	FIELD(v, "fr");
	/* strftime time alone; then the errors */
	CHECK(compile(LOGFMT_APACHE, "%h [%{%d/%b/%Y:%T %z}t] \"%r\" %>s"));
	CHECK_INT(fmt.time_form, TF_STRFTIME);
	CHECK(!compile(LOGFMT_APACHE, "%h %t \"%r\" %>s %Q"));
	CHECK(strstr(err, "'%Q'") != NULL);
	CHECK(!compile(LOGFMT_APACHE, "%h %{%c}t \"%r\" %>s"));
	CHECK(!compile(LOGFMT_APACHE, "%h \"%r\" %>s"));
	CHECK(strstr(err, "no time") != NULL);
	CHECK(!compile(LOGFMT_APACHE, "%h %t %>s"));
	CHECK(strstr(err, "no request or path") != NULL);
	CHECK(!compile(LOGFMT_APACHE, "%h %t \"%r\""));
	CHECK(strstr(err, "no status") != NULL);
	CHECK(!compile(LOGFMT_APACHE, "%h %t \"%r\" %>s%D"));
	CHECK(strstr(err, "cannot be told apart") != NULL);
	CHECK(!compile(LOGFMT_APACHE, "%h %{Referer"));
	/* the dialect of --log-format */
	CHECK_INT(logfmt_guess("$remote_addr [$time_local]"), LOGFMT_NGINX);
	CHECK_INT(logfmt_guess("escape=json {}"), LOGFMT_NGINX);
	CHECK_INT(logfmt_guess("%h %t \"%r\" %>s $"), LOGFMT_APACHE);
}

static bool parse_time(enum time_form form, const char *pat, const char *text, struct logtime *t)
{
	struct raw_fields f = { 0 };
	f.time_form = form;
	f.time_pattern = pat;
	f.time = slice_cstr(text);
	return logtime_parse(&f, t);
}

static void test_time_forms(void)
{
	struct logtime t;
	/* 2000-10-10T13:55:36-07:00 = 20:55:36Z; 2000-10-10 is day 11240 */
	int64_t want = 11240 * 86400LL + 20 * 3600 + 55 * 60 + 36;
	CHECK(parse_time(TF_ISO8601, NULL, "2000-10-10T13:55:36-07:00", &t));
	CHECK_INT(t.utc, want);
	CHECK_INT(t.offset, -7 * 3600);
	CHECK(parse_time(TF_ISO8601, NULL, "2000-10-10T20:55:36.123Z", &t));
	CHECK_INT(t.utc, want);
	CHECK(!t.naive);
	CHECK(parse_time(TF_ISO8601, NULL, "2000-10-10T13:55:36-0700", &t));
	CHECK_INT(t.utc, want);
	CHECK(parse_time(TF_ISO8601, NULL, "2000-10-10 20:55:36", &t));
	CHECK(t.naive);
	CHECK(!parse_time(TF_ISO8601, NULL, "2000-10-10T20:55:36+15:00", &t));
	CHECK(!parse_time(TF_ISO8601, NULL, "2000-02-30T20:55:36Z", &t));
	CHECK(parse_time(TF_EPOCH, NULL, "971211336.999", &t));
	CHECK_INT(t.utc, want); /* 971211336 = want: 11240*86400 + 75336 */
	CHECK(parse_time(TF_EPOCH_MS, NULL, "971211336999", &t));
	CHECK_INT(t.utc, want);
	CHECK(parse_time(TF_EPOCH_US, NULL, "971211336000001", &t));
	CHECK_INT(t.utc, want);
	CHECK(!parse_time(TF_EPOCH, NULL, "97121x", &t));
	CHECK(!parse_time(TF_EPOCH, NULL, "", &t));
	CHECK(parse_time(TF_STRFTIME, "%d/%b/%Y:%H:%M:%S %z", "10/Oct/2000:13:55:36 -0700", &t));
	CHECK_INT(t.utc, want);
	CHECK(parse_time(TF_STRFTIME, "%a, %e %B %Y %T", "Tue,  10 October 2000 20:55:36", &t));
	CHECK_INT(t.utc, want);
	CHECK(t.naive);
	/* %Z: "UTC" and "GMT" name an offset (0); another abbreviation is
	 * ambiguous (IST, CST) and says nothing */
	CHECK(parse_time(TF_STRFTIME, "%F %T %Z", "2000-10-10 20:55:36 UTC", &t));
	CHECK_INT(t.utc, want);
	CHECK(!t.naive);
	CHECK(parse_time(TF_STRFTIME, "%F %T %Z", "2000-10-10 20:55:36 GMT", &t));
	CHECK(!t.naive);
	CHECK(parse_time(TF_STRFTIME, "%F %T %Z", "2000-10-10 20:55:36 CEST", &t));
	CHECK(t.naive);
	CHECK(parse_time(TF_STRFTIME, "%F %T%%", "2000-10-10 20:55:36%", &t));
	CHECK(!parse_time(TF_STRFTIME, "%F %T", "2000-10-10 20:55", &t));
	CHECK(logtime_pattern_ok("%Y-%m-%d %H:%M:%S %z"));
	CHECK(!logtime_pattern_ok("%c"));
	struct raw_fields f = { 0 };
	f.time_form = TF_W3C;
	f.date = SLICE_LIT("2000-10-10");
	f.time = SLICE_LIT("20:55:36");
	CHECK(logtime_parse(&f, &t));
	CHECK_INT(t.utc, want);
	f.time = SLICE_LIT("20:55");
	CHECK(!logtime_parse(&f, &t));
}

static void test_tz(void)
{
	struct tz_cache c;
	tz_cache_init(&c);
	if (setenv("TZ", "Europe/Paris", 1) != 0)
		return;
	tzset();
	/* 2024-03-31 is day 19813; Paris goes from +1 to +2 at 01:00Z */
	int64_t d = 19813 * 86400LL;
	CHECK_INT(tz_offset(&c, d + 3600 - 1), 3600);
	CHECK_INT(tz_offset(&c, d + 3600), 7200);
	CHECK_INT(tz_offset(&c, d + 3600 - 1), 3600); /* the cache moves back too */
	/* an offset time keeps its instant and takes the zone's offset */
	struct logtime t = { d + 2 * 3600, 0, false };
	tz_fix(&c, &t);
	CHECK_INT(t.utc, d + 2 * 3600);
	CHECK_INT(t.offset, 7200);
	/* naive 03:30 wall clock on that day is CEST: 01:30Z */
	t = (struct logtime){ d + 3 * 3600 + 1800, 0, true };
	tz_fix(&c, &t);
	CHECK_INT(t.utc, d + 3600 + 1800);
	CHECK_INT(t.offset, 7200);
	/* naive 00:30 is CET: 23:30Z the day before */
	t = (struct logtime){ d + 1800, 0, true };
	tz_fix(&c, &t);
	CHECK_INT(t.utc, d - 1800);
	unsetenv("TZ");
	tzset();
}

static void test_client_ip(void)
{
	struct client_ip_config cfg;
	struct raw_fields f = { 0 };
	struct ipaddr ip;
	bool parsed;
	f.client = SLICE_LIT("10.0.0.5");
	f.nextra = 1;
	f.extra[0] = (struct raw_field){ SLICE_LIT("x-forwarded-for"),
					 SLICE_LIT("198.51.100.99, 192.0.2.20 ,10.1.2.3") };
	CHECK(client_ip_mode_parse("xff-first", &cfg));
	cfg.ntrusted = 0;
	struct slice s = client_ip_pick(&cfg, &f, &ip, &parsed);
	FIELD(s, "198.51.100.99");
	CHECK(parsed && ip.family == 4);
	CHECK(client_ip_mode_parse("xff-last", &cfg));
	s = client_ip_pick(&cfg, &f, &ip, &parsed);
	FIELD(s, "10.1.2.3"); /* no trusted proxies: the rightmost */
	CHECK(cidr_parse("10.0.0.0/8", &cfg.trusted[0]));
	cfg.ntrusted = 1;
	s = client_ip_pick(&cfg, &f, &ip, &parsed);
	FIELD(s, "192.0.2.20"); /* 10.1.2.3 skipped; the spoofed left one never reached */
	f.client = SLICE_LIT("203.0.113.5"); /* not from a trusted proxy */
	s = client_ip_pick(&cfg, &f, &ip, &parsed);
	FIELD(s, "203.0.113.5");
	/* IIS writes the list's spaces as '+': "a,+b" is "a, b" */
	f.client = SLICE_LIT("10.0.0.5");
	f.extra[0].value = SLICE_LIT("198.51.100.99,+192.0.2.20,+10.1.2.3");
	s = client_ip_pick(&cfg, &f, &ip, &parsed);
	FIELD(s, "192.0.2.20");
	/* CloudFront URL-encodes its fields: "a,%20b" is "a, b" */
	f.extra[0].value = SLICE_LIT("198.51.100.99,%20192.0.2.20%20,%2010.1.2.3");
	s = client_ip_pick(&cfg, &f, &ip, &parsed);
	FIELD(s, "192.0.2.20");
	f.extra[0].value = SLICE_LIT("%20%20198.51.100.99");
	s = client_ip_pick(&cfg, &f, &ip, &parsed);
	FIELD(s, "198.51.100.99");
	/* a port after the address (Azure Application Gateway), IPv6 bracketed */
	f.extra[0].value = SLICE_LIT("198.51.100.99:52123, 192.0.2.20:4711, 10.1.2.3:80");
	s = client_ip_pick(&cfg, &f, &ip, &parsed);
	FIELD(s, "192.0.2.20");
	f.extra[0].value = SLICE_LIT("[2001:db8::7]:4711, [10.1.2.3]");
	s = client_ip_pick(&cfg, &f, &ip, &parsed);
	FIELD(s, "2001:db8::7");
	CHECK(parsed && ip.family == 6);
	f.extra[0].value = SLICE_LIT("2001:db8::8, 192.0.2.1:x, 10.1.2.3");
	s = client_ip_pick(&cfg, &f, &ip, &parsed);
	FIELD(s, "2001:db8::8"); /* "192.0.2.1:x" is no address */
	f.extra[0].value = SLICE_LIT("198.51.100.99, 192.0.2.20 ,10.1.2.3");
	f.client = SLICE_LIT("203.0.113.5");
	CHECK(client_ip_mode_parse("header:True-Client-IP", &cfg));
	CHECK_STR(cfg.header, "true-client-ip");
	f.client = SLICE_LIT("10.0.0.5");
	s = client_ip_pick(&cfg, &f, &ip, &parsed); /* absent header: remote */
	FIELD(s, "10.0.0.5");
	CHECK(!client_ip_mode_parse("header:", &cfg));
	CHECK(!client_ip_mode_parse("xff", &cfg));
	struct cidr c;
	CHECK(cidr_parse("2001:db8::/32", &c) && c.bits == 32);
	CHECK(cidr_parse("192.0.2.7", &c) && c.bits == 32);
	CHECK(!cidr_parse("192.0.2.0/33", &c));
	CHECK(!cidr_parse("10.0.0.0/", &c));
	CHECK(cidr_parse("192.0.2.255/24", &c) && c.net.bytes[3] == 0);
}

static void test_json(void)
{
	static struct json_map m;
	struct raw_fields f;
	CHECK(json_map_parse(&m, "remote_addr=a.ip,time=t,request_uri=r.u,status=s,"
				 "http_user_agent=r.h.UA,http_x_forwarded_for=r.h.XFF",
			     err, sizeof(err)) == LF_OK);
	const char *line = "{\"t\": 1716890400.5, \"a\": {\"ip\": \"192.0.2.1\"}, \"x\": [1, {\"y\": [[]]}],"
			   " \"r\": {\"u\": \"/p\\\"q\", \"h\": {\"UA\": [\"Moz\", \"other\"], \"XFF\": null}},"
			   " \"s\": 200, \"b\": true}";
	CHECK(json_scan(&m, slice_cstr(line), &f) == NULL);
	FIELD(f.client, "192.0.2.1");
	FIELD(f.time, "1716890400.5");
	CHECK_INT(f.time_form, TF_EPOCH); /* "time" given a number */
	FIELD(f.target, "/p\\\"q");
	FIELD(f.status, "200");
	FIELD(f.agent, "Moz");
	struct slice v = raw_field_get(&f, "x-forwarded-for");
	CHECK(v.p != NULL && v.n == 0); /* null: present, empty */
	CHECK(json_scan(&m, SLICE_LIT("{\"t\": \"2024-05-28T10:00:00Z\", \"s\": 200}"), &f) == NULL);
	CHECK_INT(f.time_form, TF_ANY);
	/* an object with neither request nor status is a server's message */
	CHECK(json_scan(&m, SLICE_LIT("{\"t\": \"2024-05-28T10:00:00Z\", \"msg\": \"up\"}"), &f) ==
	      logfmt_not_request);
	const char *bad[] = { "", "[]", "{", "{\"a\":}", "{\"a\":1,}", "{\"a\":\"x}", "{} x",
			      "{\"a\" 1}" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK(json_scan(&m, slice_cstr(bad[i]), &f) != NULL);
	/* nesting deeper than the scanner follows is skipped whole, at any
	 * depth (it was "broken JSON" past 18 levels), and the keys after it
	 * are still read; an unterminated one is broken, not a crash */
	static char deep[40000];
	size_t k = (size_t)sprintf(deep, "{\"a\":");
	for (int i = 0; i < 4000; i++)
		deep[k++] = i % 2 ? '[' : '{', k += i % 2 ? 0 : (size_t)sprintf(deep + k, "\"k\":");
	for (int i = 3999; i >= 0; i--)
		deep[k++] = i % 2 ? ']' : '}';
	sprintf(deep + k, ",\"s\":200,\"t\":1}");
	CHECK(json_scan(&m, slice_cstr(deep), &f) == NULL);
	FIELD(f.status, "200");
	deep[k - 1] = ']'; /* the outermost skipped pair no longer matches */
	CHECK(json_scan(&m, slice_cstr(deep), &f) != NULL);
	deep[k] = '\0';
	memset(deep + 5, '[', 200);
	deep[205] = '\0';
	CHECK(json_scan(&m, slice_cstr(deep), &f) != NULL);
	CHECK(json_map_parse(&m, "remote_addr=a,status=s", err, sizeof(err)) != LF_OK);
	CHECK(strstr(err, "time") != NULL);
	CHECK(json_map_parse(&m, "time=t,uri=u,status", err, sizeof(err)) != LF_OK);
	/* nginx-json: keys are variables */
	json_map_nginx(&m);
	CHECK(json_scan(&m, SLICE_LIT("{\"msec\":\"1716890400.123\",\"uri\":\"/n\",\"status\":\"304\","
				      "\"http_dnt\":\"1\",\"other\":\"x\"}"),
			&f) == NULL);
	CHECK_INT(f.time_form, TF_EPOCH);
	FIELD(f.target, "/n");
	v = raw_field_get(&f, "dnt");
	FIELD(v, "1");
	CHECK(f.referer.p == NULL); /* no key says whether it logs one: none */
	/* Caddy maps the Referer header: a request without one had none
	 * (direct), which is not a format that logs no referer (p == NULL). */
	json_map_caddy(&m);
	CHECK(json_scan(&m, SLICE_LIT("{\"ts\":1716890400,\"status\":200,\"request\":"
				      "{\"uri\":\"/c\",\"headers\":{}}}"),
			&f) == NULL);
	CHECK(f.referer.p != NULL && f.referer.n == 0);
}

static void write_file(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");
	if (!fp || fputs(text, fp) < 0 || fclose(fp) != 0)
		abort();
}

static void test_conf(void)
{
	char out[CONF_FORMAT_MAX];
	const char *path = "build/test_formats.conf";
	write_file(path, "http {\n  # log_format x 'no';\n"
			 "  log_format x escape=json '$remote_addr'\n   \" \\\"$status\\\"\" ;\n"
			 "  log_format y '$a';\n}\n");
	CHECK(conf_nginx_format(path, "x", out, sizeof(out), err, sizeof(err)) == LF_OK);
	CHECK_STR(out, "escape=json $remote_addr \"$status\"");
	CHECK(conf_nginx_format(path, "combined", out, sizeof(out), err, sizeof(err)) == LF_OK);
	CHECK(strncmp(out, "$remote_addr - $remote_user [$time_local]", 41) == 0);
	CHECK(conf_nginx_format(path, "z", out, sizeof(out), err, sizeof(err)) == LF_ERR_FORMAT);
	CHECK(strstr(err, "'z'") != NULL);
	write_file(path, "LogFormat \"%h %t \\\"%r\\\" %>s\" common\n"
			 "  logformat \"%v %h \\\n%t \\\"%r\\\" %>s\" vcommon\n");
	CHECK(conf_apache_format(path, "vcommon", out, sizeof(out), err, sizeof(err)) == LF_OK);
	CHECK_STR(out, "%v %h %t \"%r\" %>s");
	CHECK(conf_apache_format(path, "combined", out, sizeof(out), err, sizeof(err)) ==
	      LF_ERR_FORMAT);
	CHECK(conf_apache_format("build/no-such.conf", "x", out, sizeof(out), err, sizeof(err)) ==
	      LF_ERR_IO);
	remove(path);
}

/* Detection on the testdata logs written from each format's documentation. */
static void test_detect_all(void)
{
	static const struct {
		const char *file;
		enum log_format want;
	} cases[] = {
		{ "testdata/fmt_w3c/access.log", FMT_W3C },
		{ "testdata/fmt_cloudfront/access.log", FMT_CLOUDFRONT },
		{ "testdata/fmt_elb/access.log", FMT_ELB },
		{ "testdata/fmt_alb/access.log", FMT_ALB },
		{ "testdata/fmt_caddy/access.log", FMT_CADDY },
		{ "testdata/fmt_nginx_json/access.log", FMT_NGINX_JSON },
		{ "testdata/fmt_haproxy/access.log", FMT_HAPROXY },
		{ "testdata/fmt_squid/access.log", FMT_SQUID },
		{ "testdata/basic/access.log", FMT_COMBINED },
		{ "testdata/vcombined/access.log", FMT_VCOMBINED },
		{ "testdata/common/access.log", FMT_COMMON },
		{ "testdata/fmt_json_map/access.log", FMT_AUTO }, /* any JSON: not guessed */
		/* issue 15's variants, each auto-detected */
		{ "testdata/fmt_w3c_quoted/access.log", FMT_W3C },
		{ "testdata/fmt_w3c_blank/access.log", FMT_W3C },
		{ "testdata/fmt_iis_advanced/access.log", FMT_W3C },
		{ "testdata/fmt_w3c_csuri/access.log", FMT_W3C },
		{ "testdata/fmt_w3c_spaces/access.log", FMT_W3C },
		{ "testdata/fmt_incapsula/access.log", FMT_W3C },
		{ "testdata/fmt_traefik_json/access.log", FMT_TRAEFIK_JSON },
		{ "testdata/fmt_matomo_json/access.log", FMT_MATOMO_JSON },
		{ "testdata/fmt_traefik_json_default/access.log", FMT_TRAEFIK_JSON },
		{ "testdata/fmt_iis_advanced_utc/access.log", FMT_W3C },
		{ "testdata/fmt_matomo_json_tracker/access.log", FMT_MATOMO_JSON },
		{ "testdata/notreq_haproxy/access.log", FMT_HAPROXY },
		{ "testdata/notreq_elb_tcp/access.log", FMT_ELB },
		{ "testdata/notreq_comments/access.log", FMT_COMBINED },
		{ "testdata/fmt_haproxy_syslog/access.log", FMT_HAPROXY }, /* rfc5424, short */
		{ "testdata/fmt_w3c_plus_headers/access.log", FMT_W3C },
	};
	static char buf[65536];
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		FILE *fp = fopen(cases[i].file, "rb");
		size_t n = fp ? fread(buf, 1, sizeof(buf), fp) : 0;
		if (fp)
			fclose(fp);
		int looked;
		CHECK(n > 0);
		enum log_format got = log_format_detect(slice_make(buf, n), true, &looked);
		if (got != cases[i].want)
			fprintf(stderr, "%s: detected %s\n", cases[i].file, log_format_name(got));
		CHECK_INT(got, cases[i].want);
	}
	/* traefik lines are combined lines with more: on a tie, traefik */
	const char *tr = "192.0.2.1 - - [28/May/2024:10:00:00 +0000] \"GET /b HTTP/1.1\" 200 1 "
			 "\"-\" \"M\" 42 \"web@docker\" \"http://172.17.0.3:80\" 3ms\n";
	int looked;
	CHECK_INT(log_format_detect(slice_cstr(tr), true, &looked), FMT_TRAEFIK);
}

static struct parser *new_parser(enum log_format f)
{
	static const unsigned char key[PARSER_KEY_BYTES] = { 9, 8, 7 };
	struct parser *p = NULL;
	struct parser_config cfg = { .format = f, .site = "s.example", .mask_bytes = 2 };
	if (parser_new(&p, &cfg, key) != LF_OK)
		abort();
	return p;
}

/* W3C's '+' and CloudFront's %XX in the agent are decoded before the agent
 * is hashed: the same client and agent written the three ways is one
 * visitor (the visitor hash covers address, agent and site). */
static void test_agent_decoding(void)
{
	struct parser *clf = new_parser(FMT_COMBINED), *w3c = new_parser(FMT_W3C),
		      *cf = new_parser(FMT_CLOUDFRONT);
	struct hit h;
	const char *why;
	CHECK_INT(parser_line(clf, SLICE_LIT("192.0.2.1 - - [28/May/2024:10:00:00 +0000] "
					     "\"GET /a HTTP/1.1\" 200 1 \"-\" \"Moz (X; Y)\""),
			      &h, &why),
		  PARSE_PAGEVIEW);
	uint64_t v = h.visitor;
	CHECK_INT(parser_line(w3c, SLICE_LIT("#Fields: date time c-ip cs-method cs-uri-stem "
					     "sc-status cs(User-Agent)"),
			      &h, &why),
		  SKIP_NOT_REQUEST);
	CHECK_INT(parser_line(w3c, SLICE_LIT("2024-05-28 10:00:00 192.0.2.1 GET /a 200 Moz+(X;+Y)"),
			      &h, &why),
		  PARSE_PAGEVIEW);
	CHECK(h.visitor == v);
	CHECK_INT(parser_line(cf, SLICE_LIT("#Fields: date time c-ip cs-method cs-uri-stem "
					    "sc-status cs(User-Agent)"),
			      &h, &why),
		  SKIP_NOT_REQUEST);
	CHECK_INT(parser_line(cf, SLICE_LIT("2024-05-28\t10:00:00\t192.0.2.1\tGET\t/a\t200\t"
					    "Moz%20(X;%20Y)"),
			      &h, &why),
		  PARSE_PAGEVIEW);
	CHECK(h.visitor == v);
	/* a line before any #Fields is malformed, and says why */
	struct parser *w2 = new_parser(FMT_W3C);
	CHECK_INT(parser_line(w2, SLICE_LIT("2024-05-28 10:00:00 192.0.2.1 GET /a 200 M"), &h, &why),
		  SKIP_MALFORMED);
	CHECK(why && strstr(why, "#Fields") != NULL);
	/* a #Fields without a status: the lines after it are malformed */
	CHECK_INT(parser_line(w2, SLICE_LIT("#Fields: date time c-ip cs-uri-stem"), &h, &why),
		  SKIP_MALFORMED);
	parser_free(clf);
	parser_free(w3c);
	parser_free(cf);
	parser_free(w2);
}

/* W3C variants (issue 15.3): quoted values ("" for a quote), runs of
 * spaces, local date and time, cs-uri, Incapsula's "host/path", the
 * response's type; values worked out from the lines by hand. */
static void test_w3c_variants(void)
{
	struct raw_fields f;
	CHECK(logfmt_compile_w3c(&fmt, SLICE_LIT("date time c-ip cs(User-Agent) cs(Cookie) "
						 "cs-uri-stem sc-status sc(Content-Type)"),
				 ' ', err, sizeof(err)) == LF_OK);
	CHECK(logfmt_scan(&fmt, SLICE_LIT("2024-06-03  09:00:01 \"192.0.2.1\"   \"Moz (X; Y) \"\"Q\"\"\" "
					  "\"a=\"\"b c\"\"\" /p 200 text/html;+charset=utf-8  "),
			  &f) == NULL);
	FIELD(f.client, "192.0.2.1");
	FIELD(f.agent, "Moz (X; Y) \"\"Q\"\"");
	FIELD(raw_field_get(&f, "cookie"), "a=\"\"b c\"\"");
	FIELD(f.target, "/p");
	FIELD(f.content_type, "text/html;+charset=utf-8");
	CHECK(logfmt_scan(&fmt, SLICE_LIT("2024-06-03 09:00:01 1.2.3.4 \"Moz (X 200"), &f) != NULL);
	/* local date and time: naive; UTC ones beat them when both are there */
	CHECK(logfmt_compile_w3c(&fmt, SLICE_LIT("date-local time-local cs-uri-stem sc-status "
						 "TimeTakenMS"), ' ', err, sizeof(err)) == LF_OK);
	CHECK_INT(fmt.time_form, TF_W3C_LOCAL);
	CHECK_INT(fmt.duration_unit, DUR_MILLIS);
	struct logtime t;
	CHECK(logfmt_scan(&fmt, SLICE_LIT("2024-06-05 23:59:59.999 /a 200 109"), &f) == NULL);
	CHECK(logtime_parse(&f, &t));
	CHECK(t.naive);
	CHECK_INT(t.utc, 1717631999); /* 2024-06-05T23:59:59 read as written */
	CHECK(logfmt_compile_w3c(&fmt, SLICE_LIT("date-local time-local date time cs-uri-stem "
						 "sc-status"), ' ', err, sizeof(err)) == LF_OK);
	CHECK(logfmt_scan(&fmt, SLICE_LIT("2024-06-06 01:00:00 2024-06-05 23:00:00 /a 200"), &f) == NULL);
	FIELD(f.date, "2024-06-05");
	CHECK_INT(f.time_form, TF_W3C);
	/* cs-uri: the path with its query, an absolute URL, or host/path */
	CHECK(logfmt_compile_w3c(&fmt, SLICE_LIT("date time cs-uri sc-status"), ' ', err,
				 sizeof(err)) == LF_OK);
	CHECK(logfmt_scan(&fmt, SLICE_LIT("2024-06-07 08:00:00 /s?q=1 200"), &f) == NULL);
	FIELD(f.target, "/s?q=1");
	CHECK(f.vhost.p == NULL);
	CHECK(logfmt_scan(&fmt, SLICE_LIT("2024-06-07 08:00:00 https://h.example/s 200"), &f) == NULL);
	FIELD(f.target, "https://h.example/s");
	CHECK(logfmt_scan(&fmt, SLICE_LIT("\"2024-06-07\" \"08:00:00\" \"www.example.com/pricing\" "
					  "\"200\""),
			  &f) == NULL);
	FIELD(f.vhost, "www.example.com");
	FIELD(f.target, "/pricing");
	/* cs-uri-stem beats cs-uri; a host field beats cs-uri's host */
	CHECK(logfmt_compile_w3c(&fmt, SLICE_LIT("date time cs-uri cs-uri-stem cs-host sc-status"),
				 ' ', err, sizeof(err)) == LF_OK);
	CHECK(logfmt_scan(&fmt, SLICE_LIT("2024-06-07 08:00:00 a.example/x?y /x b.example 200"), &f) ==
	      NULL);
	FIELD(f.target, "/x");
	FIELD(f.vhost, "b.example");
	/* CloudFront's sc-content-type; the Apache and nginx ways to log it */
	CHECK(logfmt_compile_w3c(&fmt, SLICE_LIT("date\ttime\tcs-uri-stem\tsc-status\tsc-content-type"),
				 '\t', err, sizeof(err)) == LF_OK);
	CHECK(logfmt_scan(&fmt, SLICE_LIT("2024-06-07\t08:00:00\t/x\t200\ttext/html"), &f) == NULL);
	FIELD(f.content_type, "text/html");
	CHECK(compile(LOGFMT_APACHE, "%h %t \"%r\" %>s \"%{Content-Type}o\" %{X-Other}o"));
	CHECK(logfmt_scan(&fmt, SLICE_LIT("1.2.3.4 [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 200 "
					  "\"image/png\" x"),
			  &f) == NULL);
	FIELD(f.content_type, "image/png");
	CHECK(compile(LOGFMT_NGINX, "$remote_addr [$time_local] \"$request\" $status $sent_http_content_type"));
	CHECK(logfmt_scan(&fmt, SLICE_LIT("1.2.3.4 [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 200 -"),
			  &f) == NULL);
	FIELD(f.content_type, "-");
}

/* The built-in JSON maps of issue 15.4, and Caddy's agent (15.1). */
static void test_json_variants(void)
{
	static struct json_map m;
	struct raw_fields f;
	json_map_traefik(&m);
	CHECK(json_scan(&m, SLICE_LIT("{\"ClientAddr\":\"192.0.2.60:52458\",\"ClientHost\":\"192.0.2.60\","
				      "\"request_User-Agent\":\"Prometheus/2.40.5\",\"DownstreamStatus\":200,"
				      "\"OriginStatus\":504,\"Duration\":10002425284,\"RequestHost\":\"h.example\","
				      "\"RequestMethod\":\"GET\",\"RequestPath\":\"/p?id=1\",\"StartLocal\":"
				      "\"2023-08-11T13:39:21.773360139+02:00\",\"StartUTC\":"
				      "\"2023-08-11T11:39:21.773360139Z\",\"downstream_Content-Type\":\"text/html\"}"),
			&f) == NULL);
	FIELD(f.client, "192.0.2.60");
	FIELD(f.status, "200"); /* DownstreamStatus, not OriginStatus */
	FIELD(f.target, "/p?id=1");
	FIELD(f.vhost, "h.example");
	FIELD(f.agent, "Prometheus/2.40.5");
	FIELD(f.time, "2023-08-11T13:39:21.773360139+02:00"); /* StartLocal beats StartUTC */
	FIELD(f.content_type, "text/html");
	CHECK_INT(f.duration_unit, DUR_NANOS);
	CHECK_INT(logtime_duration_ms(f.duration, f.duration_unit), 10002); /* 10.002425284 s */
	CHECK(f.referer.p == NULL); /* Traefik keeps headers only when told: none logged */
	CHECK(json_scan(&m, SLICE_LIT("{\"ClientHost\":\"192.0.2.61\",\"DownstreamStatus\":200,"
				      "\"RequestPath\":\"/\",\"StartUTC\":\"2023-08-11T11:39:21Z\"}"),
			&f) == NULL);
	CHECK(!f.has_agent); /* no header kept: no agent logged, not an empty one */
	json_map_matomo(&m);
	CHECK(json_scan(&m, SLICE_LIT("{\"idsite\":1,\"ip\": \"1.2.3.4\",\"host\": \"www.piwik.org\","
				      "\"path\": \"/a?b=1\",\"status\": \"200\",\"referrer\": \"http://c/\","
				      "\"user_agent\": \"Moz\",\"length\": 192,\"generation_time_milli\": 0.008,"
				      "\"date\": \"2013-10-10T16:52:00+02:00\"}"),
			&f) == NULL);
	FIELD(f.client, "1.2.3.4");
	FIELD(f.vhost, "www.piwik.org");
	FIELD(f.target, "/a?b=1");
	FIELD(f.referer, "http://c/");
	CHECK(f.method.p == NULL); /* none logged: read as GET */
	CHECK_INT(logtime_duration_ms(f.duration, f.duration_unit), 8); /* $request_time, seconds */
	/* Caddy logs every header: no User-Agent in them is an empty agent */
	json_map_caddy(&m);
	CHECK(json_scan(&m, SLICE_LIT("{\"ts\":1716890400,\"status\":200,\"request\":{\"uri\":\"/c\","
				      "\"headers\":{}},\"resp_headers\":{\"Content-Type\":[\"image/png\"]}}"),
			&f) == NULL);
	CHECK(f.has_agent && f.agent.p != NULL && f.agent.n == 0);
	FIELD(f.content_type, "image/png");
	/* nginx-json: the response type by its variable name */
	json_map_nginx(&m);
	CHECK(json_scan(&m, SLICE_LIT("{\"msec\":\"1716890400.1\",\"uri\":\"/n\",\"status\":\"200\","
				      "\"sent_http_content_type\":\"application/json\"}"),
			&f) == NULL);
	FIELD(f.content_type, "application/json");
}

/* Lines that are no request (issue 15.5), through the parser. */
static void test_not_request(void)
{
	struct parser *clf = new_parser(FMT_COMBINED), *ha = new_parser(FMT_HAPROXY),
		      *elb = new_parser(FMT_ELB), *js = new_parser(FMT_CADDY);
	struct hit h;
	const char *why;
	static const char *const blank[] = { "", "   ", "\t", "# a comment", "#Fields: date" };
	for (size_t i = 0; i < sizeof(blank) / sizeof(blank[0]); i++) {
		CHECK_INT(parser_line(clf, slice_cstr(blank[i]), &h, &why), SKIP_NOT_REQUEST);
		CHECK_INT(parser_line(js, slice_cstr(blank[i]), &h, &why), SKIP_NOT_REQUEST);
	}
	static const char *const msgs[] = {
		"Feb  6 12:14:14 localhost haproxy[14389]: Proxy http-in started.",
		"Proxy http-in stopped (cumulated conns: FE: 10, BE: 0).",
		("Feb  6 12:14:14 lb haproxy[1]: 10.0.1.2:33317 [06/Feb/2009:12:14:14.655] https-in/1: "
		 "SSL handshake failure"),
		"Feb  6 12:14:14 lb haproxy[1]: Server www/s1 is DOWN, reason: \"refused\".",
		"Feb  6 12:14:14 lb haproxy[1]: Connect from 10.0.1.2:33317 to 10.0.3.31:8012 (www/HTTP)",
	};
	for (size_t i = 0; i < sizeof(msgs) / sizeof(msgs[0]); i++)
		CHECK_INT(parser_line(ha, slice_cstr(msgs[i]), &h, &why), SKIP_NOT_REQUEST);
	/* a request line broken off is damage, not a message */
	CHECK_INT(parser_line(ha, SLICE_LIT("10.0.1.2:33317 [06/Feb/2009:12:14:14.655] http-in"), &h,
			      &why),
		  SKIP_MALFORMED);
	CHECK_INT(parser_line(ha, SLICE_LIT("\x01\x02garbage with \" a quote"), &h, &why),
		  SKIP_NOT_REQUEST); /* a line that is no request's shape at all */
	/* ELB's TCP listener: "- - - " and status "-"; a real request with
	 * status "-" stays malformed */
	CHECK_INT(parser_line(elb, SLICE_LIT("2015-05-13T23:39:43.945958Z lb 192.168.131.39:2817 "
					     "10.0.0.1:80 0.001069 0.000028 0.000041 - - 82 305 "
					     "\"- - - \" \"-\" - -"),
			      &h, &why),
		  SKIP_NOT_REQUEST);
	CHECK_INT(parser_line(elb, SLICE_LIT("2015-05-13T23:39:43.945958Z lb 192.168.131.39:2817 "
					     "10.0.0.1:80 0.001069 0.000028 0.000041 - - 82 305 "
					     "\"GET http://h/ HTTP/1.1\" \"M\" - -"),
			      &h, &why),
		  SKIP_MALFORMED);
	/* Caddy's own messages in the same stream */
	CHECK_INT(parser_line(js, SLICE_LIT("{\"level\":\"info\",\"ts\":1646861401.5,\"logger\":\"http\","
					    "\"msg\":\"server running\",\"server_name\":\"srv0\"}"),
			      &h, &why),
		  SKIP_NOT_REQUEST);
	struct parser *all[] = { clf, ha, elb, js };
	for (size_t i = 0; i < 4; i++)
		parser_free(all[i]);
}

/* A JSON line without the mapped request or path: not_get, and no NULL
 * slice handed to memchr (UBSan found it through the fuzz target). */
static void test_json_no_request(void)
{
	static struct json_map m;
	static const unsigned char key[PARSER_KEY_BYTES] = { 1 };
	CHECK(json_map_parse(&m, "time=t,request_uri=u,status=s", err, sizeof(err)) == LF_OK);
	struct parser *p = NULL;
	struct parser_config cfg = { .format = FMT_JSON, .site = "s.example", .mask_bytes = 2,
				     .json_map = &m };
	if (parser_new(&p, &cfg, key) != LF_OK)
		abort();
	struct hit h;
	const char *why;
	CHECK_INT(parser_line(p, SLICE_LIT("{\"t\":1716890400,\"s\":200}"), &h, &why), SKIP_NOT_GET);
	CHECK_INT(parser_line(p, SLICE_LIT("{\"t\":1716890400,\"s\":200,\"u\":\"/a\"}"), &h, &why),
		  PARSE_PAGEVIEW);
	parser_free(p);
}

TEST_MAIN(test_json_no_request, test_agent_decoding, test_nginx_string, test_apache_string, test_time_forms, test_tz, test_client_ip,
	  test_json, test_conf, test_detect_all, test_w3c_variants, test_json_variants, test_not_request)
