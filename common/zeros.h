/*
 * zeros.h - clearing a struct of a few hundred bytes once a line.
 *
 * gcc (12, -O2, x86-64's generic tuning) makes a memset of a known 128
 * bytes or more a "rep stosq", whose start-up cost, some tens of cycles,
 * is paid on every call: the memset of struct raw_fields (232 bytes) was
 * a third of clf_scan's samples, ~3 % of a run on make bench's log. A
 * copy from a block of zeros that the compiler cannot see into is a few
 * vector loads and stores instead.
 */
#ifndef LF_ZEROS_H
#define LF_ZEROS_H

#include <string.h>

#define ZEROS_MAX 512

extern const unsigned char zeros[ZEROS_MAX];

/* memset(p, 0, n) for a constant n of at most ZEROS_MAX. */
#define ZERO_BYTES(p, n)                                                     \
	do {                                                                 \
		_Static_assert((n) <= ZEROS_MAX, "ZERO_BYTES: n too large"); \
		memcpy((p), zeros, (n));                                     \
	} while (0)

#endif
