/*
 * zeros.c - the block of zeros of zeros.h, in a unit of its own, so that
 * no caller's compiler sees that it copies zeros (and makes it a memset).
 */
#include "zeros.h"

const unsigned char zeros[ZEROS_MAX];
