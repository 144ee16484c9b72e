/*
 * conf.c - the log format string from the server's own configuration:
 * nginx's log_format directive (quoted strings over several lines,
 * concatenated, an escape= parameter) and Apache's LogFormat (one line,
 * backslash continuations). It reads directives, not the whole grammar:
 * include files, variables and <If> blocks are not followed.
 */
#include "conf.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* nginx's own built-in "combined" (ngx_http_log_module), used when the
 * file does not redefine it. */
static const char nginx_combined[] =
	"$remote_addr - $remote_user [$time_local] \"$request\" $status $body_bytes_sent "
	"\"$http_referer\" \"$http_user_agent\"";

static enum lf_status slurp(const char *path, char **text, char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		snprintf(err, errlen, "cannot open '%s': %s", path, strerror(errno));
		return LF_ERR_IO;
	}
	char *buf = malloc(CONF_MAX + 1);
	size_t n = buf ? fread(buf, 1, CONF_MAX + 1, f) : 0;
	bool bad = ferror(f);
	fclose(f);
	if (!buf || bad || n > CONF_MAX) {
		snprintf(err, errlen, "cannot read '%s': %s", path,
			 !buf ? "out of memory" : bad ? "read error" : "larger than 1 MiB");
		free(buf);
		return LF_ERR_IO;
	}
	buf[n] = '\0';
	*text = buf;
	return LF_OK;
}

/* Append s[0..n) to out (cap bytes with the NUL); false when it is full. */
static bool append(char *out, size_t cap, size_t *len, const char *s, size_t n)
{
	if (*len + n + 1 > cap)
		return false;
	memcpy(out + *len, s, n);
	*len += n;
	out[*len] = '\0';
	return true;
}

/* One nginx token at *p into tok (unquoted, escapes undone); ';' '{' '}'
 * are tokens of their own. False at the end of the text. */
static bool nginx_token(const char **p, char *tok, size_t cap, size_t *n)
{
	const char *s = *p;
	for (;;) {
		while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
			s++;
		if (*s != '#')
			break;
		s += strcspn(s, "\n");
	}
	*n = 0;
	tok[0] = '\0';
	if (!*s)
		return false;
	if (*s == ';' || *s == '{' || *s == '}') {
		append(tok, cap, n, s, 1);
		*p = s + 1;
		return true;
	}
	char q = (*s == '"' || *s == '\'') ? *s++ : 0;
	while (*s && (q ? *s != q : !strchr(" \t\r\n;{}", *s))) {
		if (*s == '\\' && s[1]) {
			char c = s[1] == 'n' ? '\n' : s[1] == 't' ? '\t' : s[1] == 'r' ? '\r' : s[1];
			if (!strchr("\"'\\ntr", s[1])) /* nginx keeps unknown escapes */
				append(tok, cap, n, s, 1);
			append(tok, cap, n, &c, 1);
			s += 2;
			continue;
		}
		append(tok, cap, n, s++, 1);
	}
	if (q && *s == q)
		s++;
	*p = s;
	return true;
}

/* After "log_format NAME": [escape=...] strings up to ';' into out. */
static bool nginx_body(const char **p, char *out, size_t cap)
{
	char tok[CONF_FORMAT_MAX];
	size_t n, len = 0;
	out[0] = '\0';
	while (nginx_token(p, tok, sizeof(tok), &n)) {
		if (n == 1 && tok[0] == ';')
			return true;
		if (len == 0 && strncmp(tok, "escape=", 7) == 0) {
			if (!append(out, cap, &len, tok, n) || !append(out, cap, &len, " ", 1))
				return false;
			continue;
		}
		if (!append(out, cap, &len, tok, n))
			return false;
	}
	return false;
}

enum lf_status conf_nginx_format(const char *path, const char *name, char *out, size_t cap,
				 char *err, size_t errlen)
{
	char *text;
	enum lf_status st = slurp(path, &text, err, errlen);
	if (st != LF_OK)
		return st;
	char tok[CONF_FORMAT_MAX];
	size_t n;
	bool found = false, ok = true;
	for (const char *p = text; !found && nginx_token(&p, tok, sizeof(tok), &n);) {
		if (strcmp(tok, "log_format") != 0)
			continue;
		if (!nginx_token(&p, tok, sizeof(tok), &n))
			break;
		if (strcmp(tok, name) == 0) {
			found = true;
			ok = nginx_body(&p, out, cap);
		}
	}
	free(text);
	if (found && ok)
		return LF_OK;
	if (!found && strcmp(name, "combined") == 0 && sizeof(nginx_combined) <= cap) {
		memcpy(out, nginx_combined, sizeof(nginx_combined));
		return LF_OK;
	}
	snprintf(err, errlen, found ? "log_format '%s' in '%s' is unterminated or too long"
				    : "no log_format '%s' in '%s'",
		 name, path);
	return LF_ERR_FORMAT;
}

/* The next Apache argument on the line at *p (quotes and \" undone). */
static bool apache_arg(const char **p, char *tok, size_t cap)
{
	const char *s = *p;
	size_t n = 0;
	while (*s == ' ' || *s == '\t')
		s++;
	tok[0] = '\0';
	if (!*s || *s == '\n')
		return false;
	char q = (*s == '"' || *s == '\'') ? *s++ : 0;
	while (*s && *s != '\n' && (q ? *s != q : (*s != ' ' && *s != '\t'))) {
		if (*s == '\\' && q && s[1] == q) /* \" inside "...": a quote */
			s++;
		if (!append(tok, cap, &n, s++, 1))
			return false;
	}
	if (q && *s == q)
		s++;
	*p = s;
	return true;
}

/* Join "\\\n" continuations in place (Apache reads them as one line). */
static void join_continuations(char *text)
{
	char *w = text;
	for (const char *r = text; *r; r++) {
		if (r[0] == '\\' && (r[1] == '\n' || (r[1] == '\r' && r[2] == '\n'))) {
			r += r[1] == '\r' ? 2 : 1;
			continue;
		}
		*w++ = *r;
	}
	*w = '\0';
}

enum lf_status conf_apache_format(const char *path, const char *name, char *out, size_t cap,
				  char *err, size_t errlen)
{
	char *text;
	enum lf_status st = slurp(path, &text, err, errlen);
	if (st != LF_OK)
		return st;
	join_continuations(text);
	bool found = false;
	char nick[256];
	for (const char *line = text; line && *line && !found;) {
		const char *p = line + strspn(line, " \t");
		const char *nl = strchr(line, '\n');
		if (strncasecmp(p, "LogFormat", 9) == 0 && (p[9] == ' ' || p[9] == '\t')) {
			p += 9;
			found = apache_arg(&p, out, cap) && apache_arg(&p, nick, sizeof(nick)) &&
				strcmp(nick, name) == 0;
		}
		line = nl ? nl + 1 : NULL;
	}
	free(text);
	if (found)
		return LF_OK;
	snprintf(err, errlen, "no LogFormat with nickname '%s' in '%s'", name, path);
	return LF_ERR_FORMAT;
}
