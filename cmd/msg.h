/*
 * msg.h - everything logfold says on stderr goes through here, prefixed
 * "logfold: ". Messages are lowercase, without a full stop, and name their
 * subject in quotes. They never quote a log line: that would leak what the
 * program promises to drop.
 */
#ifndef LF_MSG_H
#define LF_MSG_H

#include <stdbool.h>

/* An error: always printed, even with --quiet. */
void msg_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Information (summary, notices): silenced by msg_set_quiet(true). */
void msg_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

void msg_set_quiet(bool quiet);

/* The progress line (cmd/progress.c): "logfold: TEXT" drawn over the last
 * one, at the start of the line, without a newline. Any message clears it
 * first; msg_progress_clear clears it at the end of a run. Not silenced
 * by quiet: the caller does not draw it then. */
void msg_progress(const char *text);
void msg_progress_clear(void);

#endif
