/*
 * thread.c - helper threads started with every signal blocked (thread.h).
 */
#include "thread.h"

#include <signal.h>

int thread_start(pthread_t *t, size_t stack, void *(*fn)(void *), void *arg)
{
	pthread_attr_t attr;
	sigset_t all, old;
	int have_attr = stack && pthread_attr_init(&attr) == 0;
	if (have_attr)
		(void)pthread_attr_setstacksize(&attr, stack); /* else the default */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	int rc = pthread_create(t, have_attr ? &attr : NULL, fn, arg);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (have_attr)
		pthread_attr_destroy(&attr);
	return rc;
}
