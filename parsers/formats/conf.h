/*
 * conf.h - a log format string taken from a server configuration file:
 * nginx's "log_format NAME [escape=...] 'string' ...;" or Apache's
 * "LogFormat \"string\" NICKNAME". The string comes back as the server
 * would use it, for logfmt_compile() in the matching dialect.
 */
#ifndef LF_CONF_H
#define LF_CONF_H

#include <stddef.h>

#include "../../common/status.h"

/* Largest configuration file read: server configs are kilobytes. */
#define CONF_MAX (1024 * 1024)
/* Longest format string taken from one (LOGFMT_TEXT_MAX holds less). */
#define CONF_FORMAT_MAX 4096

/*
 * The body of nginx's log_format NAME in the file at path, into out (cap
 * bytes), with an "escape=MODE " prefix when the directive has one. When
 * the file does not define "combined", nginx's built-in combined. LF_OK;
 * LF_ERR_IO (cannot read) or LF_ERR_FORMAT (no such format) with a message
 * in err naming the file.
 */
enum lf_status conf_nginx_format(const char *path, const char *name, char *out, size_t cap,
				 char *err, size_t errlen);

/* The string of Apache's LogFormat with nickname name; as above. */
enum lf_status conf_apache_format(const char *path, const char *name, char *out, size_t cap,
				  char *err, size_t errlen);

#endif
