/*
 * msg.c - stderr output. The quiet flag is the one mutable global, and it
 * lives in cmd/ as the house style allows.
 */
#include "msg.h"

#include <stdarg.h>
#include <stdio.h>

static bool quiet;

void msg_set_quiet(bool q)
{
	quiet = q;
}

static void vsay(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

static void vsay(const char *fmt, va_list ap)
{
	fputs("logfold: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
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
