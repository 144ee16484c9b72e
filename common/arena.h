/*
 * arena.h - a bump allocator for long-lived keys (page paths, site names).
 *
 * Strings interned once live until arena_release(); there is no per-object
 * free. Chunks grow geometrically from 64 KiB, so interning N bytes costs
 * O(log N) mallocs. It is not for per-line data: the hot path interns only
 * what it has not seen before.
 */
#ifndef LF_ARENA_H
#define LF_ARENA_H

#include <stddef.h>

struct arena_chunk;

struct arena {
	struct arena_chunk *head;
	size_t used;  /* bytes used in head */
	size_t total; /* bytes handed out, for the memory figures */
};

void arena_init(struct arena *a);

/*
 * Return n bytes aligned for any type, or NULL when memory is exhausted.
 * The memory is owned by the arena and freed by arena_release().
 */
void *arena_alloc(struct arena *a, size_t n);

/* Copy n bytes and a terminating NUL into the arena; NULL when out of memory. */
char *arena_strndup(struct arena *a, const char *s, size_t n);

/* Free every chunk; the arena is then empty and may be reused. */
void arena_release(struct arena *a);

#endif
