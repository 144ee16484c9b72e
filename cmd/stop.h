/*
 * stop.h - SIGINT and SIGTERM, caught so that a run, merge or prune stops
 * within a second wherever it waits: on a stalled pipe, inside an endless
 * line, in SQLite's lock wait or a long statement, or while the writer
 * thread writes a backfill. The handler only sets a flag and writes a byte
 * to a pipe ("self-pipe"): code that blocks (the input's reads, the gzip
 * helper) polls the pipe's read end along with its own descriptor; code
 * that computes (SQLite's progress handler, the read loop) reads the flag.
 * Nothing is committed after a signal; the caller exits with status 6.
 *
 * Signals are taken by the main thread only: the helper threads (gzip,
 * writer) start with every signal blocked. This module does not decide
 * what to do on a signal: it only makes it seen.
 */
#ifndef LF_STOP_H
#define LF_STOP_H

#include <signal.h>

/* Install the handlers (without SA_RESTART, so that a blocking call returns
 * EINTR) and make the pipe. Once per process; a failure to make the pipe
 * leaves the flag working alone (stop_fd() is then -1). */
void stop_catch(void);

/* The signal caught (SIGINT or SIGTERM), or 0. */
int stop_signal(void);

/* The flag stop_signal() reads, for modules that must not include cmd/. */
const volatile sig_atomic_t *stop_flag(void);

/* The pipe's read end: readable once a signal was caught; -1 when none. */
int stop_fd(void);

#endif
