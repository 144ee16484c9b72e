/*
 * grow.h - the one way an array grows (git's ALLOC_GROW, with its size
 * checks): GROW(p, cap, need, first) makes room for at least need
 * elements of *p, doubling the capacity from first (when cap is 0) until it
 * is enough, and realloc'ing once. The element count times the element
 * size is checked for overflow, so no caller multiplies a size itself.
 * GROW_SIZE does the same for elements whose size is known only at run
 * time (records of a configured stride).
 *
 * The capacity is a size_t or a uint32_t lvalue: arrays indexed by the
 * 32-bit ids of intern.h and pairindex.h keep a uint32_t count, and their
 * capacity then never passes UINT32_MAX elements (a doubling that would is
 * refused like an overflow, where a hand-written `cap * 2` wrapped to 0).
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
 * The capacity that holds need elements of size bytes, from cap (first
 * when 0) doubled as often as needed, at most max elements: false when it
 * would pass max or overflow size_t bytes. For GROW; exposed for its unit
 * test.
 */
static inline bool grow_capacity_max(size_t cap, size_t need, size_t size, size_t first, size_t max,
				     size_t *out)
{
	size_t c = cap ? cap : (first ? first : 1);
	while (c < need) {
		if (c > max / 2)
			return false;
		c *= 2;
	}
	if (c > max || (size && c > SIZE_MAX / size))
		return false;
	*out = c;
	return true;
}

/* grow_capacity_max for a size_t capacity. */
static inline bool grow_capacity(size_t cap, size_t need, size_t size, size_t first, size_t *out)
{
	return grow_capacity_max(cap, need, size, first, SIZE_MAX, out);
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

/* grow_realloc for a uint32_t capacity: never past UINT32_MAX elements. */
static inline void *grow_realloc32(void *p, uint32_t *cap, size_t need, size_t size, size_t first)
{
	size_t c;
	if (!grow_capacity_max(*cap, need, size, first, UINT32_MAX, &c))
		return p;
	void *q = realloc(p, c * size);
	if (!q)
		return p;
	*cap = (uint32_t)c;
	return q;
}

/*
 * Room for need elements of size bytes in p (a pointer lvalue, NULL when
 * cap is 0) of capacity cap (a size_t or uint32_t lvalue; another type does
 * not compile): true when there is, after growing if need be; false when
 * memory ran out or the size would overflow, p and its contents and cap as
 * they were. need is evaluated twice: no side effects. (Where size_t is
 * uint32_t, both kinds of capacity take grow_realloc32: the same limit.)
 */
/* (clang-format 14 would break _Generic's associations apart) */
/* clang-format off */
#define GROW_SIZE(p, cap, need, size, first)                                                 \
	((need) <= (cap) ||                                                                  \
	 ((p) = _Generic(&(cap), uint32_t *: grow_realloc32, default: grow_realloc)(         \
		  (p), &(cap), (need), (size), (first)),                                      \
	  (need) <= (cap)))
/* clang-format on */

/* GROW_SIZE for elements of *p's type, the usual case. */
#define GROW(p, cap, need, first) GROW_SIZE(p, cap, need, sizeof(*(p)), first)

#endif
