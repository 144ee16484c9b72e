/*
 * msg.c - stderr output. The quiet flag and the state of the progress line
 * are the mutable globals, and they live in cmd/ as the house style allows.
 * A lock keeps a message of the writer thread from cutting into the
 * progress line the main thread draws.
 */
#include "msg.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static bool quiet;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
/* Columns of the progress line on screen; 0: none. */
static size_t progress_cols;

void msg_set_quiet(bool q)
{
	quiet = q;
}

/* Blank the progress line and go back to its start; lock held. Spaces,
 * not a terminal's erase sequence: --progress into a file stays text. */
static void clear_progress(void)
{
	if (progress_cols)
		fprintf(stderr, "\r%*s\r", (int)progress_cols, "");
	progress_cols = 0;
}

static void vsay(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

static void vsay(const char *fmt, va_list ap)
{
	pthread_mutex_lock(&lock);
	clear_progress();
	fputs("logfold: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	pthread_mutex_unlock(&lock);
}

void msg_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsay(fmt, ap);
	va_end(ap);
}

void msg_info(const char *fmt, ...)
{
	if (quiet)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsay(fmt, ap);
	va_end(ap);
}

void msg_progress(const char *text)
{
	size_t n = strlen("logfold: ") + strlen(text);
	pthread_mutex_lock(&lock);
	/* over the old line; spaces blank what a longer old one leaves */
	fprintf(stderr, "\rlogfold: %s%*s", text,
		(int)(progress_cols > n ? progress_cols - n : 0), "");
	fflush(stderr);
	progress_cols = n > progress_cols ? n : progress_cols;
	pthread_mutex_unlock(&lock);
}

void msg_progress_clear(void)
{
	pthread_mutex_lock(&lock);
	clear_progress();
	fflush(stderr);
	pthread_mutex_unlock(&lock);
}
