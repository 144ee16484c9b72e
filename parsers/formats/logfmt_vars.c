/*
 * logfmt_vars.c - the front ends of the format compiler: what each nginx
 * variable, Apache directive and W3C field name means to logfold, as
 * tables. A name not in a table is scanned over; an nginx variable or a
 * header logfold does not know is kept in raw_fields.extra[] under its
 * name, for the features that look fields up by name. An Apache directive
 * that does not exist is an error (a typo would otherwise shift nothing and
 * silently read the wrong field).
 */
#include <string.h>

#include "logfmt_build.h"
#include "logtime.h"

struct var_def {
	const char *name;
	uint8_t slot, rank, arg;
};

/* nginx: the variables the issue names, and ngx_http_log_module's. */
static const struct var_def nginx_vars[] = {
	{ "remote_addr", SLOT_CLIENT, 2, 0 },
	{ "realip_remote_addr", SLOT_CLIENT, 1, 0 },
	{ "time_local", SLOT_TIME, 3, TF_CLF },
	{ "time_iso8601", SLOT_TIME, 3, TF_ISO8601 },
	{ "msec", SLOT_TIME, 2, TF_EPOCH },
	{ "request", SLOT_REQUEST, 1, 0 },
	{ "request_method", SLOT_METHOD, 1, 0 },
	{ "request_uri", SLOT_TARGET, 3, 0 },
	{ "uri", SLOT_TARGET, 2, 0 },
	{ "document_uri", SLOT_TARGET, 1, 0 },
	{ "status", SLOT_STATUS, 1, 0 },
	{ "http_referer", SLOT_REFERER, 1, 0 },
	{ "http_user_agent", SLOT_AGENT, 1, 0 },
	{ "host", SLOT_VHOST, 3, 0 },
	{ "http_host", SLOT_VHOST, 2, 0 },
	{ "server_name", SLOT_VHOST, 1, 0 },
	{ "request_time", SLOT_DURATION, 2, DUR_SECONDS },
	{ "upstream_response_time", SLOT_DURATION, 1, DUR_SECONDS },
	{ "sent_http_content_type", SLOT_CONTENT_TYPE, 1, 0 },
	/* parsed and ignored: core, and nothing a feature asks for */
	{ "remote_user", SLOT_SKIP, 0, 0 },
	{ "args", SLOT_SKIP, 0, 0 },
	{ "is_args", SLOT_SKIP, 0, 0 },
	{ "query_string", SLOT_SKIP, 0, 0 },
	{ "body_bytes_sent", SLOT_SKIP, 0, 0 },
	{ "bytes_sent", SLOT_SKIP, 0, 0 },
	{ "scheme", SLOT_SKIP, 0, 0 },
	{ "server_protocol", SLOT_SKIP, 0, 0 },
	{ "remote_port", SLOT_SKIP, 0, 0 },
	{ "request_length", SLOT_SKIP, 0, 0 },
	{ "connection", SLOT_SKIP, 0, 0 },
	{ "connection_requests", SLOT_SKIP, 0, 0 },
	{ "pipe", SLOT_SKIP, 0, 0 },
	{ NULL, 0, 0, 0 },
};

static const struct var_def *find_var(const struct var_def *t, const char *s, size_t n)
{
	for (; t->name; t++)
		if (strlen(t->name) == n && memcmp(t->name, s, n) == 0)
			return t;
	return NULL;
}

static bool is_var_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_';
}

void logfmt_nginx_var(const char *name, size_t n, struct logfmt_var *out)
{
	const struct var_def *v = find_var(nginx_vars, name, n);
	memset(out, 0, sizeof(*out));
	if (v) {
		out->slot = v->slot;
		out->rank = v->rank;
		out->arg = v->arg;
		return;
	}
	bool header = n > 5 && memcmp(name, "http_", 5) == 0;
	if (header) { /* $http_x_forwarded_for: the header "x-forwarded-for" */
		name += 5;
		n -= 5;
	}
	out->slot = SLOT_EXTRA;
	out->nlen = n < sizeof(out->name) ? n : sizeof(out->name) - 1;
	for (size_t i = 0; i < out->nlen; i++) {
		char c = name[i];
		out->name[i] = header && c == '_' ? '-' : ascii_lower(c);
	}
}

static void nginx_var(struct logfmt_builder *b, const char *name, size_t n)
{
	struct logfmt_var v;
	logfmt_nginx_var(name, n, &v);
	logfmt_field(b, (enum logfmt_slot)v.slot, v.rank, v.arg, v.name, v.nlen);
}

static const char *nginx_escape(struct logfmt_builder *b, const char *s)
{
	static const struct {
		const char *word;
		enum field_escape esc;
	} modes[] = { { "escape=default", ESC_BACKSLASH },
		      { "escape=json", ESC_BACKSLASH },
		      { "escape=none", ESC_NONE } };
	if (strncmp(s, "escape=", 7) != 0)
		return s;
	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		size_t n = strlen(modes[i].word);
		if (strncmp(s, modes[i].word, n) == 0 && (s[n] == ' ' || s[n] == '\0')) {
			b->fmt->escape = modes[i].esc;
			return s[n] ? s + n + 1 : s + n;
		}
	}
	logfmt_error(b, "unknown nginx escape mode (default, json or none)");
	return s;
}

static void compile_nginx(struct logfmt_builder *b, const char *s)
{
	s = nginx_escape(b, s);
	while (*s && !b->failed) {
		const char *dollar = strchr(s, '$');
		size_t lit = dollar ? (size_t)(dollar - s) : strlen(s);
		logfmt_literal(b, s, lit);
		if (!dollar)
			return;
		const char *name = dollar + 1, *end;
		if (*name == '{') {
			end = strchr(++name, '}');
			if (!end) {
				logfmt_error(b, "unterminated ${ in the log format");
				return;
			}
			s = end + 1;
		} else {
			for (end = name; is_var_char(*end); end++)
				;
			s = end;
		}
		if (end == name) {
			logfmt_literal(b, "$", 1); /* a lone '$' is text to nginx too */
			continue;
		}
		nginx_var(b, name, (size_t)(end - name));
	}
}

/* --- Apache ---------------------------------------------------------------- */

/* Apache directives by letter; 'i', 't', 'T', 'C', 'a', 's' have code below.
 * The rest of mod_log_config's letters are known and ignored. */
static const struct var_def apache_dirs[] = {
	{ "h", SLOT_CLIENT, 1, 0 },      { "a", SLOT_CLIENT, 2, 0 },
	{ "r", SLOT_REQUEST, 1, 0 },     { "m", SLOT_METHOD, 1, 0 },
	{ "U", SLOT_TARGET, 1, 0 },      { "s", SLOT_STATUS, 1, 0 },
	{ "D", SLOT_DURATION, 3, DUR_MICROS },
	{ "v", SLOT_VHOST, 2, 0 },       { "V", SLOT_VHOST, 1, 0 },
	{ "l", SLOT_SKIP, 0, 0 },        { "u", SLOT_SKIP, 0, 0 },
	{ "q", SLOT_SKIP, 0, 0 },        { "H", SLOT_SKIP, 0, 0 },
	{ "b", SLOT_SKIP, 0, 0 },        { "B", SLOT_SKIP, 0, 0 },
	{ "p", SLOT_SKIP, 0, 0 },        { "P", SLOT_SKIP, 0, 0 },
	{ "I", SLOT_SKIP, 0, 0 },        { "O", SLOT_SKIP, 0, 0 },
	{ "S", SLOT_SKIP, 0, 0 },        { "X", SLOT_SKIP, 0, 0 },
	{ "k", SLOT_SKIP, 0, 0 },        { "L", SLOT_SKIP, 0, 0 },
	{ "f", SLOT_SKIP, 0, 0 },        { "A", SLOT_SKIP, 0, 0 },
	{ "R", SLOT_SKIP, 0, 0 },        { "e", SLOT_SKIP, 0, 0 },
	{ "n", SLOT_SKIP, 0, 0 },        { "o", SLOT_SKIP, 0, 0 },
	{ "^", SLOT_SKIP, 0, 0 },        { NULL, 0, 0, 0 },
};

static bool ieq(const char *a, size_t n, const char *b)
{
	return strlen(b) == n && strncasecmp(a, b, n) == 0;
}

/* %{NAME}o: a response header; only Content-Type means something here. */
static void apache_response_header(struct logfmt_builder *b, const char *arg, size_t n)
{
	if (ieq(arg, n, "content-type"))
		logfmt_field(b, SLOT_CONTENT_TYPE, 1, 0, NULL, 0);
	else
		logfmt_field(b, SLOT_SKIP, 0, 0, NULL, 0);
}

/* %{NAME}i: a request header. */
static void apache_header(struct logfmt_builder *b, const char *arg, size_t n)
{
	if (ieq(arg, n, "referer"))
		logfmt_field(b, SLOT_REFERER, 1, 0, NULL, 0);
	else if (ieq(arg, n, "user-agent"))
		logfmt_field(b, SLOT_AGENT, 1, 0, NULL, 0);
	else
		logfmt_field(b, SLOT_EXTRA, 0, 0, arg, n);
}

/* The argument of %{...}t without its begin: or end: prefix (the time the
 * request began or ended: one second apart at most, the same day). */
static void time_arg(const char **arg, size_t *n)
{
	for (const char *pre = "begin:"; pre; pre = pre[0] == 'b' ? "end:" : NULL)
		if (*n >= strlen(pre) && memcmp(*arg, pre, strlen(pre)) == 0) {
			*arg += strlen(pre);
			*n -= strlen(pre);
		}
}

/* %{sec}t, %{msec}t, %{usec}t: the time since the epoch. */
static bool time_epoch(const char *arg, size_t n)
{
	return ieq(arg, n, "sec") || ieq(arg, n, "msec") || ieq(arg, n, "usec");
}

/* %{msec_frac}t, %{usec_frac}t: the fraction of the second. */
static bool time_frac(const char *arg, size_t n)
{
	return ieq(arg, n, "msec_frac") || ieq(arg, n, "usec_frac");
}

/* %t, %{...}t: the time. Apache brackets only the default form. */
static void apache_time(struct logfmt_builder *b, const char *arg, size_t n)
{
	if (!arg) {
		logfmt_literal(b, "[", 1);
		logfmt_field(b, SLOT_TIME, 2, TF_CLF, NULL, 0);
		logfmt_literal(b, "]", 1);
		return;
	}
	time_arg(&arg, &n);
	if (time_epoch(arg, n)) {
		int form = arg[0] == 's' ? TF_EPOCH : arg[0] == 'm' ? TF_EPOCH_MS : TF_EPOCH_US;
		logfmt_field(b, SLOT_TIME, 1, form, NULL, 0);
	} else if (time_frac(arg, n)) {
		logfmt_field(b, SLOT_SKIP, 0, 0, NULL, 0);
	} else {
		char pat[256];
		if (n >= sizeof(pat)) {
			logfmt_error(b, "time pattern longer than %zu bytes", sizeof(pat) - 1);
			return;
		}
		memcpy(pat, arg, n);
		pat[n] = '\0';
		if (!logtime_pattern_ok(pat)) {
			logfmt_error(b, "time pattern '%s' uses a conversion logfold does not "
					"read (known: %%Y %%y %%m %%d %%e %%H %%k %%M %%S %%b %%h %%B "
					"%%a %%A %%Z %%z %%T %%F %%%%)", pat);
			return;
		}
		logfmt_field(b, SLOT_TIME, 1, TF_STRFTIME, NULL, 0);
		logfmt_time_pattern(b, pat, n);
	}
}

static void apache_directive(struct logfmt_builder *b, char d, bool final, const char *arg,
			     size_t n)
{
	if (d == 'i' && arg)
		return apache_header(b, arg, n);
	if (d == 'o' && arg)
		return apache_response_header(b, arg, n);
	if (d == 'C' && arg) { /* one cookie: "cookie_NAME", as nginx's $cookie_NAME */
		char name[128];
		if (n > sizeof(name) - 8)
			return logfmt_error(b, "cookie name too long in %%{...}C");
		memcpy(name, "cookie_", 7);
		memcpy(name + 7, arg, n);
		return logfmt_field(b, SLOT_EXTRA, 0, 0, name, n + 7);
	}
	if (d == 't')
		return apache_time(b, arg, n);
	if (d == 'T') {
		int unit = arg && ieq(arg, n, "ms")   ? DUR_MILLIS
			   : arg && ieq(arg, n, "us") ? DUR_MICROS
						      : DUR_SECONDS;
		return logfmt_field(b, SLOT_DURATION, 2, unit, NULL, 0);
	}
	if (d == 'a' && arg && ieq(arg, n, "c")) /* %{c}a: the peer, a proxy */
		return logfmt_field(b, SLOT_CLIENT, 0, 0, NULL, 0);
	if (d == 's') /* %>s, the final status, beats %s and %<s */
		return logfmt_field(b, SLOT_STATUS, final ? 2 : 1, 0, NULL, 0);
	char key[2] = { d, '\0' };
	const struct var_def *v = find_var(apache_dirs, key, 1);
	if (!v)
		return logfmt_error(b, "unknown Apache log directive '%%%c'", d);
	logfmt_field(b, v->slot, v->rank, v->arg, NULL, 0);
}

/* One "%[!][codes][<>][{arg}]X" at s (after the '%'); returns what follows. */
static const char *apache_percent(struct logfmt_builder *b, const char *s)
{
	bool final = false;
	const char *arg = NULL;
	size_t n = 0;
	while (*s == '!' || *s == ',' || (*s >= '0' && *s <= '9') || *s == '<' || *s == '>')
		final = *s++ == '>' || final;
	if (*s == '{') {
		const char *close = strchr(s, '}');
		if (!close) {
			logfmt_error(b, "unterminated %%{ in the log format");
			return s + strlen(s);
		}
		arg = s + 1;
		n = (size_t)(close - arg);
		s = close + 1;
	}
	if (!*s) {
		logfmt_error(b, "the log format ends inside a %% directive");
		return s;
	}
	apache_directive(b, *s, final, arg, n);
	return s + 1;
}

/* The pattern piece of "%{arg}t" at s (arg and its length into *piece and
 * *n; msec_frac and usec_frac as "%f", the fraction's digits), or NULL
 * when s is no such directive or an epoch one (sec, msec, usec). Returns
 * what follows the directive. */
static const char *time_piece(const char *s, const char **piece, size_t *n)
{
	if (s[0] != '%' || s[1] != '{')
		return NULL;
	const char *arg = s + 2, *close = strchr(arg, '}');
	if (!close || close[1] != 't')
		return NULL;
	size_t an = (size_t)(close - arg);
	time_arg(&arg, &an);
	if (time_epoch(arg, an))
		return NULL;
	bool frac = time_frac(arg, an);
	*piece = frac ? "%f" : arg;
	*n = frac ? 2 : an;
	return close + 2;
}

/* Apache's manual writes a time with milliseconds as several directives,
 * "%{%d/%b/%Y %T}t.%{msec_frac}t %{%z}t": a run of two or more %{...}t
 * joined by literal text is one time, "%d/%b/%Y %T.%f %z", so that the
 * offset in the last one is kept. Returns the end of the run, or NULL
 * (nothing compiled) when s starts no such run. */
static const char *apache_time_run(struct logfmt_builder *b, const char *s)
{
	char pat[256];
	size_t n = 0;
	int parts = 0;
	const char *piece, *next;
	size_t pn;
	while ((next = time_piece(s, &piece, &pn)) != NULL) {
		char one[256];
		if (pn >= sizeof(one) || n + pn >= sizeof(pat))
			return NULL;
		memcpy(one, piece, pn);
		one[pn] = '\0';
		if (strcmp(one, "%f") != 0 && !logtime_pattern_ok(one))
			return NULL; /* apache_time says why */
		memcpy(pat + n, piece, pn);
		n += pn;
		parts++;
		s = next;
		size_t lit = strcspn(s, "%\\");
		const char *after;
		if (!time_piece(s + lit, &piece, &pn) || n + lit >= sizeof(pat))
			break;
		after = s + lit;
		memcpy(pat + n, s, lit);
		n += lit;
		s = after;
	}
	if (parts < 2)
		return NULL;
	logfmt_field(b, SLOT_TIME, 1, TF_STRFTIME, NULL, 0);
	logfmt_time_pattern(b, pat, n);
	return s;
}

static void compile_apache(struct logfmt_builder *b, const char *s)
{
	const char *run;
	while (*s && !b->failed) {
		if ((run = apache_time_run(b, s)) != NULL) {
			s = run;
		} else if (*s == '%' && s[1] == '%') {
			logfmt_literal(b, "%", 1);
			s += 2;
		} else if (*s == '%') {
			s = apache_percent(b, s + 1);
		} else if (*s == '\\' && (s[1] == 'n' || s[1] == 't')) {
			logfmt_literal(b, s[1] == 'n' ? "\n" : "\t", 1);
			s += 2;
		} else {
			size_t lit = strcspn(s, "%\\");
			logfmt_literal(b, s, lit ? lit : 1);
			s += lit ? lit : 1;
		}
	}
}

enum logfmt_dialect logfmt_guess(const char *s)
{
	if (strncmp(s, "escape=", 7) == 0)
		return LOGFMT_NGINX;
	for (const char *d = strchr(s, '$'); d; d = strchr(d + 1, '$'))
		if (d[1] == '{' || is_var_char(d[1]))
			return LOGFMT_NGINX;
	return LOGFMT_APACHE;
}

enum lf_status logfmt_compile(struct logfmt *out, enum logfmt_dialect d, const char *s,
			      char *err, size_t errlen)
{
	struct logfmt_builder b;
	logfmt_begin(&b, out, err, errlen);
	if (d == LOGFMT_NGINX)
		compile_nginx(&b, s);
	else
		compile_apache(&b, s);
	return logfmt_end(&b);
}

/* --- W3C #Fields ----------------------------------------------------------- */

/* W3C extended (IIS, IIS Advanced Logging, Incapsula) and CloudFront field
 * names. UTC date and time beat the local ones when a log has both (an
 * exact instant); cs-uri-stem beats cs-uri (the path without its query). */
static const struct var_def w3c_fields[] = {
	{ "date", SLOT_DATE, 2, 0 },
	{ "time", SLOT_TIME, 2, TF_W3C },
	{ "date-local", SLOT_DATE, 1, 0 },
	{ "time-local", SLOT_TIME, 1, TF_W3C_LOCAL },
	{ "c-ip", SLOT_CLIENT, 1, 0 },
	{ "cs-method", SLOT_METHOD, 1, 0 },
	{ "cs-uri-stem", SLOT_TARGET, 2, 0 },
	{ "cs-uri", SLOT_URI, 1, 0 },
	{ "sc-status", SLOT_STATUS, 1, 0 },
	{ "cs(user-agent)", SLOT_AGENT, 1, 0 },
	{ "cs(referer)", SLOT_REFERER, 2, 0 },
	{ "cs(referrer)", SLOT_REFERER, 1, 0 }, /* Incapsula's spelling */
	{ "cs-host", SLOT_VHOST, 2, 0 },
	{ "cs(host)", SLOT_VHOST, 1, 0 },
	{ "x-host-header", SLOT_VHOST, 3, 0 },
	{ "time-taken", SLOT_DURATION, 1, DUR_MILLIS },
	{ "timetakenms", SLOT_DURATION, 2, DUR_MILLIS }, /* IIS Advanced Logging */
	{ "sc(content-type)", SLOT_CONTENT_TYPE, 1, 0 },
	{ "sc-content-type", SLOT_CONTENT_TYPE, 2, 0 }, /* CloudFront */
	{ "x-forwarded-for", SLOT_EXTRA, 0, 0 },
	{ NULL, 0, 0, 0 },
};

static void w3c_field(struct logfmt_builder *b, const char *name, size_t n, bool cloudfront)
{
	char low[64];
	if (n >= sizeof(low))
		return logfmt_field(b, SLOT_SKIP, 0, 0, NULL, 0);
	for (size_t i = 0; i < n; i++)
		low[i] = ascii_lower(name[i]);
	const struct var_def *v = find_var(w3c_fields, low, n);
	if (v && v->slot == SLOT_EXTRA)
		return logfmt_field(b, SLOT_EXTRA, 0, 0, low, n);
	if (v && n == 10 && memcmp(low, "time-taken", 10) == 0) /* CloudFront: s, IIS: ms */
		return logfmt_field(b, v->slot, v->rank,
				    cloudfront ? DUR_SECONDS : DUR_MILLIS, NULL, 0);
	if (v)
		return logfmt_field(b, v->slot, v->rank, v->arg, NULL, 0);
	if (n > 4 && memcmp(low, "cs(", 3) == 0 && low[n - 1] == ')') /* a header */
		return logfmt_field(b, SLOT_EXTRA, 0, 0, low + 3, n - 4);
	logfmt_field(b, SLOT_SKIP, 0, 0, NULL, 0);
}

enum lf_status logfmt_compile_w3c(struct logfmt *out, struct slice fields, char sep, char *err,
				  size_t errlen)
{
	struct logfmt_builder b;
	logfmt_begin(&b, out, err, errlen);
	out->escape = sep == '\t' ? ESC_PERCENT : ESC_PLUS;
	const char *p = fields.p, *end = fields.p + fields.n;
	bool first = true;
	while (p < end && !b.failed) {
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		const char *q = p;
		while (q < end && *q != ' ' && *q != '\t')
			q++;
		if (q == p)
			break;
		if (!first)
			logfmt_literal(&b, &sep, 1);
		first = false;
		w3c_field(&b, p, (size_t)(q - p), sep == '\t');
		p = q;
	}
	if (logfmt_end(&b) != LF_OK)
		return LF_ERR_USAGE;
	/* Values may be quoted (IIS Advanced Logging, Incapsula, a cookie or
	 * agent in quotes); space-separated logs may pad with several spaces. */
	for (int i = 0; i < out->nsteps; i++) {
		struct logfmt_step *st = &out->step[i];
		if (!st->lit_len)
			st->may_quote = 1;
		else
			st->spaces = sep == ' ';
	}
	return LF_OK;
}
