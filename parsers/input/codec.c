/*
 * codec.c - the table of compressions: those logfold reads (one codec_NAME.c
 * each) and those it only names in a refusal. Detection is by magic bytes,
 * never by file name. Includes no library: each row's functions live in its
 * own file.
 */
#include "codec.h"

#include <string.h>

extern const struct codec codec_gzip, codec_zstd, codec_xz, codec_bzip2;
#ifdef LF_HAVE_ISAL
extern const struct codec codec_igzip;
#endif

/* The compressions read. A faster implementation of a format comes after
 * its fallback: the last row that matches wins (so ISA-L's igzip, when the
 * build has it, reads gzip; zlib's row stays, tested, for builds without
 * it). Later rows may be added; the order of the first ones is the fuzz
 * corpus's (tests/fuzz/fuzz_codec.c: its first byte picks a row). */
static const struct codec *const readers[] = {
	&codec_gzip, &codec_zstd, &codec_xz, &codec_bzip2,
#ifdef LF_HAVE_ISAL
	&codec_igzip,
#endif
};

#define NREADERS (sizeof(readers) / sizeof(readers[0]))

/* Recognised, never read (each named in the error instead of being parsed
 * as text): the well-known magic numbers of other compressors and archives.
 * Each is long enough that no text log starts with it. */
static const struct codec refused[] = {
	{ .name = "lz4", .magic = { 0x04, 0x22, 0x4d, 0x18 }, .magic_n = 4 },
	{ .name = "lz4", .magic = { 0x02, 0x21, 0x4c, 0x18 }, .magic_n = 4 }, /* legacy */
	{ .name = "zip", .magic = { 'P', 'K', 3, 4 }, .magic_n = 4 },
	{ .name = "zip", .magic = { 'P', 'K', 5, 6 }, .magic_n = 4 }, /* empty */
	{ .name = "zip", .magic = { 'P', 'K', 7, 8 }, .magic_n = 4 }, /* spanned */
	{ .name = "7z", .magic = { '7', 'z', 0xbc, 0xaf, 0x27, 0x1c }, .magic_n = 6 },
	{ .name = "rar", .magic = { 'R', 'a', 'r', '!', 0x1a, 0x07 }, .magic_n = 6 },
	{ .name = "lzip", .magic = { 'L', 'Z', 'I', 'P', 0x01 }, .magic_n = 5 },
	/* .lzma (LZMA alone): the usual properties byte 0x5d, dictionary size
	 * starting with two zero bytes */
	{ .name = "lzma", .magic = { 0x5d, 0x00, 0x00 }, .magic_n = 3 },
	{ .name = "lzw", .magic = { 0x1f, 0x9d }, .magic_n = 2 }, /* compress(1), .Z */
	{ .name = "lzo", .magic = { 0x89, 'L', 'Z', 'O', 0x00, 0x0d, 0x0a, 0x1a, 0x0a },
	  .magic_n = 9 },
	{ .name = "snappy", .magic = { 0xff, 0x06, 0x00, 0x00, 's', 'N', 'a', 'P', 'p', 'Y' },
	  .magic_n = 10 },
};

_Static_assert(sizeof(refused[0].magic) <= CODEC_SNIFF, "the sniff holds every magic");

bool codec_starts(const struct codec *c, const unsigned char *p, size_t n)
{
	if (c->match)
		return c->match(p, n);
	return n >= c->magic_n && memcmp(p, c->magic, c->magic_n) == 0;
}

const struct codec *codec_detect(const unsigned char *p, size_t n)
{
	for (size_t i = NREADERS; i-- > 0;)
		if (codec_starts(readers[i], p, n))
			return readers[i];
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++)
		if (codec_starts(&refused[i], p, n))
			return &refused[i];
	return NULL;
}

const struct codec *codec_at(size_t i)
{
	return i < NREADERS ? readers[i] : NULL;
}
