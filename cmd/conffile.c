/*
 * conffile.c - reads a config file whole and splits it into settings (see
 * conffile.h). Comments are whole lines only: a value may hold '#' (a regex
 * for a fragment-like path, a cookie value).
 */
#include "conffile.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "msg.h"

/* The text of the file read, kept to the end of the run: the settings point
 * into it. One file is read per run. */
static char *text;

static char *trim(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		s[--n] = '\0';
	return s;
}

static char *slurp(const char *path, FILE *f)
{
	char *buf = malloc(CONFFILE_MAX + 1);
	if (!buf) {
		msg_error("out of memory reading '%s'", path);
		return NULL;
	}
	size_t n = fread(buf, 1, CONFFILE_MAX + 1, f);
	if (ferror(f) || n > CONFFILE_MAX) {
		msg_error("cannot read '%s': %s", path,
			  ferror(f) ? strerror(errno) : "longer than 1 MiB");
		free(buf);
		return NULL;
	}
	if (memchr(buf, '\0', n)) {
		msg_error("cannot read '%s': not a text file", path);
		free(buf);
		return NULL;
	}
	buf[n] = '\0';
	return buf;
}

/* "[site HOST]": HOST, or NULL after printing why not. */
static char *section_head(char *s, const char *path, int line)
{
	size_t n = strlen(s);
	if (n < 2 || s[n - 1] != ']') {
		msg_error("%s:%d: a section head is '[site HOST]'", path, line);
		return NULL;
	}
	s[n - 1] = '\0';
	char *body = trim(s + 1);
	if (strncmp(body, "site", 4) != 0 || (body[4] != ' ' && body[4] != '\t')) {
		msg_error("%s:%d: unknown section '[%s]': the only section is '[site HOST]'", path,
			  line, body);
		return NULL;
	}
	char *host = trim(body + 4);
	if (!*host || strpbrk(host, " \t")) {
		msg_error("%s:%d: a section head is '[site HOST]'", path, line);
		return NULL;
	}
	return host;
}

static bool read_lines(char *p, const char *path, conffile_fn *fn, void *ctx)
{
	char *section = NULL;
	for (int line = 1; p; line++) {
		char *nl = strchr(p, '\n');
		if (nl)
			*nl = '\0';
		char *s = trim(p);
		p = nl ? nl + 1 : NULL;
		if (*s == '\0' || *s == '#')
			continue;
		if (*s == '[') {
			if (!(section = section_head(s, path, line)))
				return false;
			continue;
		}
		char *eq = strchr(s, '=');
		if (!eq) {
			msg_error("%s:%d: a setting is 'key = value'", path, line);
			return false;
		}
		*eq = '\0';
		char *key = trim(s), *value = trim(eq + 1);
		if (!*key) {
			msg_error("%s:%d: a setting is 'key = value'", path, line);
			return false;
		}
		if (!fn(ctx, section, key, value, path, line))
			return false;
	}
	return true;
}

enum conffile_result conffile_read(const char *path, conffile_fn *fn, void *ctx)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		if (errno == ENOENT)
			return CONFFILE_MISSING;
		msg_error("cannot open '%s': %s", path, strerror(errno));
		return CONFFILE_ERROR;
	}
	free(text); /* only when a test reads two files */
	text = slurp(path, f);
	fclose(f);
	if (!text)
		return CONFFILE_ERROR;
	return read_lines(text, path, fn, ctx) ? CONFFILE_OK : CONFFILE_ERROR;
}
