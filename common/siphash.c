/*
 * siphash.c - SipHash-2-4 written from the paper's description: two
 * compression rounds per 8-byte word, four finalisation rounds. Checked
 * against the paper's test vectors in tests/unit/test_common.c.
 */
#include "siphash.h"

#include <string.h>

#define ROTL(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))

static inline void sipround(struct siphash *h)
{
	h->v0 += h->v1; h->v1 = ROTL(h->v1, 13); h->v1 ^= h->v0; h->v0 = ROTL(h->v0, 32);
	h->v2 += h->v3; h->v3 = ROTL(h->v3, 16); h->v3 ^= h->v2;
	h->v0 += h->v3; h->v3 = ROTL(h->v3, 21); h->v3 ^= h->v0;
	h->v2 += h->v1; h->v1 = ROTL(h->v1, 17); h->v1 ^= h->v2; h->v2 = ROTL(h->v2, 32);
}

static inline uint64_t load_le64(const unsigned char *p)
{
	return (uint64_t)p[0] | (uint64_t)p[1] << 8 | (uint64_t)p[2] << 16 |
	       (uint64_t)p[3] << 24 | (uint64_t)p[4] << 32 | (uint64_t)p[5] << 40 |
	       (uint64_t)p[6] << 48 | (uint64_t)p[7] << 56;
}

static inline uint64_t load_le32(const unsigned char *p)
{
	return (uint64_t)p[0] | (uint64_t)p[1] << 8 | (uint64_t)p[2] << 16 | (uint64_t)p[3] << 24;
}

/* The k < 8 bytes at p as a little-endian word, read without going past
 * p + k: two overlapping 4-byte reads for 4 to 7 (the bytes both read land
 * in the same place), the first, middle and last byte for 1 to 3. Every
 * field of a visitor leaves a few such bytes: a loop over them, a shift and
 * an or a byte, cost as much as the rounds. */
static inline uint64_t load_le_short(const unsigned char *p, size_t k)
{
	if (k >= 4)
		return load_le32(p) | load_le32(p + k - 4) << (8 * (k - 4));
	if (k == 0)
		return 0;
	return (uint64_t)p[0] | (uint64_t)p[k / 2] << (8 * (k / 2)) |
	       (uint64_t)p[k - 1] << (8 * (k - 1));
}

static inline void absorb(struct siphash *h, uint64_t m)
{
	h->v3 ^= m;
	sipround(h);
	sipround(h);
	h->v0 ^= m;
}

void siphash_init(struct siphash *h, const unsigned char k[16])
{
	uint64_t k0 = load_le64(k), k1 = load_le64(k + 8);
	h->v0 = k0 ^ 0x736f6d6570736575ULL;
	h->v1 = k1 ^ 0x646f72616e646f6dULL;
	h->v2 = k0 ^ 0x6c7967656e657261ULL;
	h->v3 = k1 ^ 0x7465646279746573ULL;
	h->tail = 0;
	h->len = 0;
}

void siphash_update(struct siphash *h, const void *data, size_t n)
{
	const unsigned char *p = data;
	size_t fill = h->len & 7;
	h->len += n;
	if (fill) { /* top up the pending word */
		size_t take = n < 8 - fill ? n : 8 - fill;
		h->tail |= load_le_short(p, take) << (8 * fill);
		if (fill + take < 8)
			return;
		absorb(h, h->tail);
		p += take;
		n -= take;
	}
	for (; n >= 8; p += 8, n -= 8)
		absorb(h, load_le64(p));
	h->tail = load_le_short(p, n);
}

uint64_t siphash_final(struct siphash *h)
{
	uint64_t b = h->tail | (uint64_t)(h->len & 0xff) << 56;
	absorb(h, b);
	h->v2 ^= 0xff;
	for (int i = 0; i < 4; i++)
		sipround(h);
	uint64_t out = h->v0 ^ h->v1 ^ h->v2 ^ h->v3;
	memset(h, 0, sizeof(*h));
	return out;
}

uint64_t siphash24(const unsigned char k[16], const void *p, size_t n)
{
	struct siphash h;
	siphash_init(&h, k);
	siphash_update(&h, p, n);
	return siphash_final(&h);
}
