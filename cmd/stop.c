/*
 * stop.c - the flag and self-pipe of stop.h. Both are mutable globals, as
 * a signal handler needs; they live in cmd/ as the house style allows. The
 * pipe is never read: once written it stays readable, so every later poll
 * sees the stop too.
 */
#include "stop.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t caught;
static int pipe_fd[2] = { -1, -1 };

static void on_signal(int sig)
{
	int e = errno; /* write(2) may change it under the interrupted code */
	caught = sig;
	if (pipe_fd[1] >= 0)
		(void)!write(pipe_fd[1], "", 1); /* full pipe: already readable */
	errno = e;
}

void stop_catch(void)
{
	struct sigaction sa;
	if (pipe_fd[0] < 0 && pipe2(pipe_fd, O_CLOEXEC | O_NONBLOCK) != 0)
		pipe_fd[0] = pipe_fd[1] = -1;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0; /* no SA_RESTART: a blocking read returns EINTR */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

int stop_signal(void)
{
	return caught;
}

const volatile sig_atomic_t *stop_flag(void)
{
	return &caught;
}

int stop_fd(void)
{
	return pipe_fd[0];
}
