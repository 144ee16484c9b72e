/*
 * fixture.h - what the unit tests that read files share: a growable byte
 * buffer to build inputs in, and a private temporary folder to write them
 * to ($TMPDIR or /tmp, made on first use). Any failure to allocate or
 * create aborts the test: the fixture, not the code under test, broke.
 */
#ifndef LF_FIXTURE_H
#define LF_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct buf {
	unsigned char *p;
	size_t n, cap;
};

static void buf_add(struct buf *b, const void *p, size_t n)
{
	if (b->n + n > b->cap) {
		b->cap = (b->n + n) * 2;
		b->p = realloc(b->p, b->cap);
		if (!b->p)
			abort();
	}
	if (n)
		memcpy(b->p + b->n, p, n);
	b->n += n;
}

/* The folder, named "lf_TAG_XXXXXX"; the caller removes it when done. */
static char fixture_dir[256];

/* path (of size FIXTURE_PATH_MAX) = the folder's file NAME. */
#define FIXTURE_PATH_MAX 320
static void fixture_path(char *path, const char *tag, const char *name)
{
	if (!fixture_dir[0]) {
		const char *t = getenv("TMPDIR");
		snprintf(fixture_dir, sizeof(fixture_dir), "%s/lf_%s_XXXXXX", t && *t ? t : "/tmp",
			 tag);
		if (!mkdtemp(fixture_dir))
			abort();
	}
	snprintf(path, FIXTURE_PATH_MAX, "%s/%s", fixture_dir, name);
}

#endif
