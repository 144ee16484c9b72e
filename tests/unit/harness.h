/*
 * harness.h - the tiny unit-test harness. Each tests/unit/test_*.c includes
 * it, calls CHECK* from functions listed in TEST_MAIN, and ends by printing
 * "FILE: N passed, N failed" (tests/run.sh adds the counts up). A failed
 * check prints file:line and the values, and the test goes on.
 */
#ifndef LF_HARNESS_H
#define LF_HARNESS_H

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static int h_pass, h_fail;

#define CHECK(cond)                                                             \
	do {                                                                    \
		if (cond)                                                       \
			h_pass++;                                               \
		else {                                                          \
			h_fail++;                                               \
			fprintf(stderr, "%s:%d: CHECK(%s) failed\n", __FILE__,  \
				__LINE__, #cond);                               \
		}                                                               \
	} while (0)

#define CHECK_INT(got, want)                                                    \
	do {                                                                    \
		long long g_ = (long long)(got), w_ = (long long)(want);        \
		if (g_ == w_)                                                   \
			h_pass++;                                               \
		else {                                                          \
			h_fail++;                                               \
			fprintf(stderr, "%s:%d: %s = %lld, want %lld\n",        \
				__FILE__, __LINE__, #got, g_, w_);              \
		}                                                               \
	} while (0)

/* got is a pointer and a length; want is a C string. */
#define CHECK_MEM(gp, gn, want)                                                 \
	do {                                                                    \
		const char *w_ = (want);                                        \
		size_t gn_ = (size_t)(gn);                                      \
		if (gn_ == strlen(w_) && memcmp((gp), w_, gn_) == 0)            \
			h_pass++;                                               \
		else {                                                          \
			h_fail++;                                               \
			fprintf(stderr, "%s:%d: %s = '%.*s', want '%s'\n",      \
				__FILE__, __LINE__, #gp, (int)gn_, (gp), w_);   \
		}                                                               \
	} while (0)

#define CHECK_STR(got, want) CHECK_MEM((got), strlen(got), (want))

#define TEST_MAIN(...)                                                          \
	int main(void)                                                          \
	{                                                                       \
		void (*fns_[])(void) = { __VA_ARGS__ };                         \
		for (size_t i_ = 0; i_ < sizeof(fns_) / sizeof(fns_[0]); i_++) \
			fns_[i_]();                                             \
		printf("%s: %d passed, %d failed\n", __FILE__, h_pass, h_fail); \
		return h_fail != 0;                                             \
	}

#endif
