/*
 * grow.h - the one way an array grows (git's ALLOC_GROW, with its size
 * checks): GROW(p, cap, need, first) makes room for at least need
 * elements of *p, doubling the capacity from first (when cap is 0) until it
 * is enough, and realloc'ing once. The element count times the element
 * size is checked for overflow, so no caller multiplies a size itself.
 *
 * It does not shrink, zero the new room, or know what the elements are.
 */
#ifndef LF_GROW_H
#define LF_GROW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

/*
 * The capacity that holds need elements of size bytes, from *cap (first
 * when 0) doubled as often as needed: false when it would overflow
 * size_t bytes. For GROW; exposed for its unit test.
 */
static inline bool grow_capacity(size_t cap, size_t need, size_t size, size_t first,
				 size_t *out)
{
	size_t c = cap ? cap : (first ? first : 1);
	while (c < need) {
		if (c > SIZE_MAX / 2)
			return false;
		c *= 2;
	}
	if (size && c > SIZE_MAX / size)
		return false;
	*out = c;
	return true;
}

/*
 * p (need elements of size bytes at least) realloc'd to the capacity
 * grow_capacity gives, *cap updated; on failure (overflow, out of memory)
 * p itself is returned and *cap is left as it was, so nothing is lost.
 */
static inline void *grow_realloc(void *p, size_t *cap, size_t need, size_t size, size_t first)
{
	size_t c;
	if (!grow_capacity(*cap, need, size, first, &c))
		return p;
	void *q = realloc(p, c * size);
	if (!q)
		return p;
	*cap = c;
	return q;
}

/*
 * Room for need elements in p (a pointer lvalue, NULL when cap is 0) of
 * capacity cap (a size_t lvalue): true when there is, after growing if
 * need be; false when memory ran out or the size would overflow, p and its
 * contents and cap as they were. need is evaluated twice: no side effects.
 */
#define GROW(p, cap, need, first)                                                          \
	((need) <= (cap) ||                                                                  \
	 ((p) = grow_realloc((p), &(cap), (need), sizeof(*(p)), (first)), (need) <= (cap)))

#endif
