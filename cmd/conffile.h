/*
 * conffile.h - the config file's syntax, and nothing of its meaning: lines
 * of `key = value`, blank lines, full-line `#` comments, and section heads
 * `[site HOST]`. Each setting is handed to a callback with the file name and
 * line number; options.c decides what a key means. The file's text is kept
 * for the whole run, so the values handed on stay valid.
 */
#ifndef LF_CONFFILE_H
#define LF_CONFFILE_H

#include <stdbool.h>

/* Longest config file read: a config is a page of settings; 1 MiB means a
 * wrong file was named. */
#define CONFFILE_MAX (1 << 20)

/*
 * One setting: key and value (trimmed, NUL-terminated, writable), section
 * NULL outside any [site HOST] section, else HOST. Returns false after
 * printing an error: reading stops.
 */
typedef bool conffile_fn(void *ctx, char *section, const char *key, char *value,
			 const char *path, int line);

enum conffile_result {
	CONFFILE_OK,      /* read, every setting accepted */
	CONFFILE_MISSING, /* no such file (nothing printed) */
	CONFFILE_ERROR,   /* a message was printed */
};

/* Read path and hand each setting to fn. Syntax errors are printed as
 * "PATH:LINE: REASON". */
enum conffile_result conffile_read(const char *path, conffile_fn *fn, void *ctx);

#endif
