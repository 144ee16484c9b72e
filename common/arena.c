/*
 * arena.c - chunked bump allocation. Chunks are never resized or moved, so
 * pointers stay valid until arena_release(). A request larger than a chunk
 * gets a chunk of its own.
 */
#include "arena.h"

#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* 64 KiB: small enough for a run over a tiny log, large enough that a
 * million distinct pages cost a few hundred mallocs. */
#define ARENA_MIN_CHUNK ((size_t)64 * 1024)

struct arena_chunk {
	struct arena_chunk *next;
	size_t size;
	alignas(max_align_t) unsigned char data[];
};

void arena_init(struct arena *a)
{
	a->head = NULL;
	a->used = 0;
	a->total = 0;
}

void *arena_alloc(struct arena *a, size_t n)
{
	const size_t align = alignof(max_align_t);
	size_t need = (n + align - 1) & ~(align - 1);
	if (need < n)
		return NULL;
	if (!a->head || a->head->size - a->used < need) {
		size_t size = a->head ? a->head->size * 2 : ARENA_MIN_CHUNK;
		if (size < need)
			size = need;
		if (size > SIZE_MAX - sizeof(struct arena_chunk))
			return NULL;
		struct arena_chunk *c = malloc(sizeof(*c) + size);
		if (!c)
			return NULL;
		c->next = a->head;
		c->size = size;
		a->head = c;
		a->used = 0;
	}
	void *p = a->head->data + a->used;
	a->used += need;
	a->total += need;
	return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, n + 1);
	if (!p)
		return NULL;
	if (n)
		memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

void arena_release(struct arena *a)
{
	struct arena_chunk *c = a->head;
	while (c) {
		struct arena_chunk *next = c->next;
		free(c);
		c = next;
	}
	arena_init(a);
}
