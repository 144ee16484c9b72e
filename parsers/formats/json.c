/*
 * json.c - the JSON lines scanner and its key maps. One pass over the
 * object with a cursor; the dotted path of the current key is kept in a
 * bounded buffer on the stack and compared with the map's paths at each
 * scalar. Objects deeper than JSON_DEPTH_MAX are skipped whole by a flat walk
 * (jskip: no recursion, so no depth is too deep); keys whose path would be
 * longer than JSON_PATH_MAX are walked unmatched (no map names such a path).
 */
#include "json.h"

#include <stdio.h>
#include <string.h>

#include "logfmt.h"
#include "logfmt_build.h"

struct jcur {
	const char *p, *end;
	const struct json_map *m;
	struct raw_fields *out;
	uint8_t best[SLOT_COUNT]; /* rank + 1 of the value kept per slot */
	char path[JSON_PATH_MAX];
};

static void ws(struct jcur *c)
{
	while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' || *c->p == '\r'))
		c->p++;
}

/* A string at c->p (at its '"'): its inside, still escaped. */
static bool jstring(struct jcur *c, struct slice *out)
{
	const char *s = ++c->p;
	while (c->p < c->end && *c->p != '"')
		c->p += *c->p == '\\' ? 2 : 1;
	if (c->p >= c->end)
		return false;
	*out = slice_make(s, (size_t)(c->p - s));
	c->p++;
	return true;
}

/* A number, true, false or null. */
static bool jatom(struct jcur *c, struct slice *out)
{
	const char *s = c->p;
	while (c->p < c->end && (strchr("+-.eE", *c->p) || (*c->p >= '0' && *c->p <= '9') ||
				 (*c->p >= 'a' && *c->p <= 'z')))
		c->p++;
	*out = slice_make(s, (size_t)(c->p - s));
	if (slice_eq_cstr(*out, "null"))
		*out = slice_make(s, 0);
	return c->p > s;
}

/* Keep v when the map names path (path[0..n)); nginx-json also takes
 * every top-level key named as a core nginx variable. */
static void offer(struct jcur *c, size_t n, struct slice v, bool number)
{
	const struct json_map *m = c->m;
	uint8_t slot, rank, arg;
	const char *name = "";
	int i = 0;
	while (i < m->n && !(m->e[i].path_len == n && !memcmp(m->text + m->e[i].path, c->path, n)))
		i++;
	if (i < m->n) {
		slot = m->e[i].slot, rank = m->e[i].rank, arg = m->e[i].arg;
		name = m->text + m->e[i].name;
	} else if (m->by_variable && !memchr(c->path, '.', n)) {
		struct logfmt_var var;
		logfmt_nginx_var(c->path, n, &var);
		if (var.slot == SLOT_EXTRA) /* its name would not outlive the line */
			return;
		slot = var.slot, rank = var.rank, arg = var.arg;
	} else {
		return;
	}
	if (slot == SLOT_SKIP || (slot != SLOT_EXTRA && c->best[slot] > rank))
		return;
	if (slot == SLOT_TIME)
		c->out->time_form = arg == TF_ANY && number ? TF_EPOCH : (enum time_form)arg;
	if (slot == SLOT_DURATION)
		c->out->duration_unit = (enum duration_unit)arg;
	if (slot == SLOT_AGENT)
		c->out->has_agent = true;
	if (slot != SLOT_EXTRA)
		c->best[slot] = (uint8_t)(rank + 1);
	logfmt_store((enum logfmt_slot)slot, name, v, c->out);
}

static bool jvalue(struct jcur *c, size_t n, int depth);

static bool jobject(struct jcur *c, size_t n, int depth)
{
	c->p++; /* '{' */
	ws(c);
	if (c->p < c->end && *c->p == '}')
		return c->p++, true;
	for (;;) {
		struct slice key;
		ws(c);
		if (c->p >= c->end || *c->p != '"' || !jstring(c, &key))
			return false;
		size_t kn = n == SIZE_MAX ? 0 : n + (n ? 1 : 0) + key.n;
		bool follow = n != SIZE_MAX && depth < JSON_DEPTH_MAX && kn < sizeof(c->path);
		if (follow) {
			if (n)
				c->path[n] = '.';
			memcpy(c->path + kn - key.n, key.p, key.n);
		}
		ws(c);
		if (c->p >= c->end || *c->p++ != ':')
			return false;
		ws(c);
		if (!jvalue(c, follow ? kn : SIZE_MAX, depth + 1))
			return false;
		ws(c);
		if (c->p < c->end && *c->p == ',') {
			c->p++;
			continue;
		}
		return c->p < c->end && *c->p++ == '}';
	}
}

/* An array: its first scalar stands for it; the rest is walked unmatched. */
static bool jarray(struct jcur *c, size_t n, int depth)
{
	c->p++; /* '[' */
	ws(c);
	if (c->p < c->end && *c->p == ']')
		return c->p++, true;
	for (bool first = true;; first = false) {
		ws(c);
		if (!jvalue(c, first && depth < JSON_DEPTH_MAX ? n : SIZE_MAX, depth + 1))
			return false;
		ws(c);
		if (c->p < c->end && *c->p == ',') {
			c->p++;
			continue;
		}
		return c->p < c->end && *c->p++ == ']';
	}
}

/* Skip the object or array at c->p without following it: a flat walk that
 * counts brackets and steps over strings, so that nesting of any depth
 * costs no stack. The outer pair's kinds must match; inner ones are
 * counted, not checked (nothing is read from them). */
static bool jskip(struct jcur *c)
{
	char close = *c->p == '{' ? '}' : ']';
	size_t depth = 0;
	while (c->p < c->end) {
		char ch = *c->p;
		struct slice s;
		if (ch == '"') {
			if (!jstring(c, &s))
				return false;
			continue;
		}
		c->p++;
		if (ch == '{' || ch == '[')
			depth++;
		else if ((ch == '}' || ch == ']') && --depth == 0)
			return ch == close;
	}
	return false;
}

/* A value whose key path is path[0..n); n == SIZE_MAX: match nothing. */
static bool jvalue(struct jcur *c, size_t n, int depth)
{
	struct slice v;
	if (c->p >= c->end)
		return false;
	if (*c->p == '{' || *c->p == '[') {
		if (depth > JSON_DEPTH_MAX)
			return jskip(c);
		return *c->p == '{' ? jobject(c, n, depth) : jarray(c, n, depth);
	}
	bool number = *c->p != '"';
	if (number ? !jatom(c, &v) : !jstring(c, &v))
		return false;
	if (n != SIZE_MAX)
		offer(c, n, v, number);
	return true;
}

const char *json_scan(const struct json_map *m, struct slice line, struct raw_fields *out)
{
	struct jcur c;
	c.p = line.p;
	c.end = line.p + line.n;
	c.m = m;
	c.out = out;
	memset(c.best, 0, sizeof(c.best));
	raw_fields_clear(out);
	out->escape = ESC_BACKSLASH;
	ws(&c);
	if (c.p >= c.end || *c.p != '{')
		return "not a JSON object";
	if (!jobject(&c, 0, 0))
		return "broken JSON";
	ws(&c);
	if (c.p != c.end)
		return "unexpected text after the JSON object";
	if (!out->status.p && !out->request.p && !out->target.p)
		return logfmt_not_request;
	/* raw_fields.referer.p == NULL says the format logs no referer; a
	 * mapped key missing from the line is an empty referer (parser.c).
	 * Likewise the agent, when the format logs every header. */
	if (m->has_referer && !out->referer.p)
		out->referer = SLICE_LIT("");
	if (m->agent_always && !out->has_agent) {
		out->agent = SLICE_LIT("");
		out->has_agent = true;
	}
	return NULL;
}

/* --- maps ------------------------------------------------------------------ */

/* Append the entry path -> (slot, rank, arg), with name[0..nlen) for
 * SLOT_EXTRA. False when the map is full. */
static bool map_put(struct json_map *m, const char *path, size_t pn, const struct logfmt_var *v)
{
	if (m->n >= JSON_MAP_MAX || m->ntext + pn + v->nlen + 2 > sizeof(m->text))
		return false;
	m->has_referer |= v->slot == SLOT_REFERER;
	struct json_map_entry *e = &m->e[m->n++];
	*e = (struct json_map_entry){ (uint16_t)m->ntext, (uint16_t)pn, v->slot, v->rank, v->arg, 0 };
	memcpy(m->text + m->ntext, path, pn);
	m->ntext += pn;
	m->text[m->ntext++] = '\0';
	e->name = (uint16_t)m->ntext;
	memcpy(m->text + m->ntext, v->name, v->nlen);
	m->ntext += v->nlen;
	m->text[m->ntext++] = '\0';
	return true;
}

static bool map_add(struct json_map *m, const char *field, size_t fn, const char *path,
		    size_t pn)
{
	struct logfmt_var v;
	if (fn == 4 && memcmp(field, "time", 4) == 0) {
		v = (struct logfmt_var){ SLOT_TIME, 1, TF_ANY, "", 0 };
	} else {
		logfmt_nginx_var(field, fn, &v);
	}
	return map_put(m, path, pn, &v);
}

/* Whether the map has what logfold needs, as logfmt's finish() asks. */
static const char *map_missing(const struct json_map *m)
{
	bool has[SLOT_COUNT] = { false };
	for (int i = 0; i < m->n; i++)
		has[m->e[i].slot] = true;
	if (!has[SLOT_TIME])
		return "time";
	if (!has[SLOT_REQUEST] && !has[SLOT_TARGET])
		return "request or path (request, request_uri or uri)";
	if (!has[SLOT_STATUS])
		return "status";
	return NULL;
}

enum lf_status json_map_parse(struct json_map *m, const char *spec, char *err, size_t errlen)
{
	memset(m, 0, sizeof(*m));
	m->ntext = 1;
	for (const char *p = spec; *p;) {
		size_t len = strcspn(p, ",");
		const char *eq = memchr(p, '=', len);
		if (!eq || eq == p || eq + 1 == p + len) {
			snprintf(err, errlen, "--json-map wants FIELD=PATH pairs separated by ','");
			return LF_ERR_USAGE;
		}
		if (!map_add(m, p, (size_t)(eq - p), eq + 1, (size_t)(p + len - eq - 1))) {
			snprintf(err, errlen, "--json-map is too long (at most %d fields)",
				 JSON_MAP_MAX);
			return LF_ERR_USAGE;
		}
		p += len + (p[len] == ',');
	}
	const char *missing = map_missing(m);
	if (missing) {
		snprintf(err, errlen, "--json-map names no %s", missing);
		return LF_ERR_USAGE;
	}
	return LF_OK;
}

static void map_from(struct json_map *m, const char *const *pairs)
{
	memset(m, 0, sizeof(*m));
	m->ntext = 1;
	for (; *pairs; pairs += 2)
		map_add(m, pairs[0], strlen(pairs[0]), pairs[1], strlen(pairs[1]));
}

/* Caddy's access log (caddyserver.com/docs/logging, "http.log.access"):
 * client_ip (Caddy 2.7: the client behind trusted proxies) is preferred to
 * remote_ip; headers are lists under request.headers, canonically cased. */
void json_map_caddy(struct json_map *m)
{
	static const char *const pairs[] = {
		"realip_remote_addr", "request.remote_ip",
		"remote_addr", "request.client_ip",
		"time", "ts",
		"request_method", "request.method",
		"request_uri", "request.uri",
		"host", "request.host",
		"status", "status",
		"request_time", "duration",
		"http_referer", "request.headers.Referer",
		"http_user_agent", "request.headers.User-Agent",
		"http_x_forwarded_for", "request.headers.X-Forwarded-For",
		"http_cookie", "request.headers.Cookie",
		"http_dnt", "request.headers.Dnt",
		"http_sec_gpc", "request.headers.Sec-Gpc",
		"sent_http_content_type", "resp_headers.Content-Type",
		NULL,
	};
	map_from(m, pairs);
	m->agent_always = true; /* Caddy logs every request header */
}

/* nginx-json: keys named as the variables; the headers features ask for
 * are listed so that their names outlive the line. "http_referrer" is the
 * key the most copied nginx and ingress-nginx JSON snippets give
 * $http_referer; no one sends a "Referrer" header. A line without either
 * key logs no referer, as before (has_referer stays false). */
void json_map_nginx(struct json_map *m)
{
	static const char *const pairs[] = {
		"http_x_forwarded_for", "http_x_forwarded_for",
		"http_cookie", "http_cookie",
		"http_dnt", "http_dnt",
		"http_sec_gpc", "http_sec_gpc",
		NULL,
	};
	static const char field[] = "http_referer", key[] = "http_referrer";
	map_from(m, pairs);
	map_add(m, field, sizeof(field) - 1, key, sizeof(key) - 1);
	m->by_variable = true;
	m->has_referer = false;
}

/* Traefik's JSON access log (doc.traefik.io, "Access Logs", JSON format):
 * StartLocal (the local time with its offset) before StartUTC, ClientHost
 * (the address without port), RequestPath (path and query), RequestHost,
 * DownstreamStatus (what the client got), Duration in nanoseconds. Headers
 * are fields "request_NAME" / "downstream_NAME", Go-cased; Traefik drops
 * them unless configured (accessLog.fields.headers), so a line without
 * request_Referer or request_User-Agent says nothing of them: the format's
 * referer and agent are per line, as with --json-map. */
void json_map_traefik(struct json_map *m)
{
	static const char *const pairs[] = {
		"remote_addr", "ClientHost",
		"time_iso8601", "StartLocal",
		"time", "StartUTC",
		"request_method", "RequestMethod",
		"request_uri", "RequestPath",
		"host", "RequestHost",
		"status", "DownstreamStatus",
		"http_referer", "request_Referer",
		"http_user_agent", "request_User-Agent",
		"http_x_forwarded_for", "request_X-Forwarded-For",
		"http_cookie", "request_Cookie",
		"http_dnt", "request_Dnt",
		"http_sec_gpc", "request_Sec-Gpc",
		"sent_http_content_type", "downstream_Content-Type",
		NULL,
	};
	static const struct logfmt_var ns = { SLOT_DURATION, 1, DUR_NANOS, "", 0 };
	map_from(m, pairs);
	map_put(m, "Duration", 8, &ns);
	m->has_referer = false;
}

/* The nginx layout of Matomo's log importer (matomo-log-analytics README,
 * "Setup Nginx logs": log_format matomo '{"ip": "$remote_addr", "host":
 * "$host", "path": "$request_uri", "status": "$status", "referrer":
 * "$http_referer", "user_agent": "$http_user_agent", "length": $bytes_sent,
 * "generation_time_milli": $request_time, "date": "$time_iso8601"}'). No
 * method: read as GET. generation_time_milli holds nginx's $request_time,
 * which is in seconds ("0.008") whatever the key says: read as seconds. */
void json_map_matomo(struct json_map *m)
{
	static const char *const pairs[] = {
		"remote_addr", "ip",
		"host", "host",
		"request_uri", "path",
		"status", "status",
		"http_referer", "referrer",
		"http_user_agent", "user_agent",
		"time_iso8601", "date",
		"request_time", "generation_time_milli",
		NULL,
	};
	map_from(m, pairs);
}
