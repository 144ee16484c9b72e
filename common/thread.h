/*
 * thread.h - how every helper thread starts: with every signal blocked.
 * SIGINT and SIGTERM are the main thread's (cmd/stop.h): its blocking
 * calls are the ones a signal must interrupt, and its handler sets the
 * flag every loop reads. A helper that took the signal would leave the
 * main thread waiting.
 */
#ifndef LF_THREAD_H
#define LF_THREAD_H

#include <pthread.h>
#include <stddef.h>

/* pthread_create's result for fn(arg) on *t, every signal blocked in it;
 * stack bytes of stack (0, or attributes that cannot be set: the
 * default). The caller's signal mask is as it was. */
int thread_start(pthread_t *t, size_t stack, void *(*fn)(void *), void *arg);

#endif
