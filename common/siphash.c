/*
 * siphash.c - SipHash-c-d written from the paper's description: c
 * compression rounds per 8-byte word, d finalisation rounds; 2-4 and 1-3.
 * Checked against the paper's test vectors (2-4) and Python's hash of
 * bytes (1-3) in tests/unit/test_common.c.
 */
#include "siphash.h"

#include <string.h>

#define ROTL(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))

/* The state in locals while words are absorbed: through h, every store
 * might change the bytes being read (they are chars), and the compiler
 * would store and load the state for each round. */
struct sipv {
	uint64_t v0, v1, v2, v3;
};

static inline void sipround(struct sipv *v)
{
	/* the paper's four lines */
	/* clang-format off */
	v->v0 += v->v1; v->v1 = ROTL(v->v1, 13); v->v1 ^= v->v0; v->v0 = ROTL(v->v0, 32);
	v->v2 += v->v3; v->v3 = ROTL(v->v3, 16); v->v3 ^= v->v2;
	v->v0 += v->v3; v->v3 = ROTL(v->v3, 21); v->v3 ^= v->v0;
	v->v2 += v->v1; v->v1 = ROTL(v->v1, 17); v->v1 ^= v->v2; v->v2 = ROTL(v->v2, 32);
	/* clang-format on */
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

static inline void absorb(struct sipv *v, uint64_t m, int c)
{
	v->v3 ^= m;
	for (int i = 0; i < c; i++)
		sipround(v);
	v->v0 ^= m;
}

static void init_rounds(struct siphash *h, const unsigned char k[16], int c, int d)
{
	uint64_t k0 = load_le64(k), k1 = load_le64(k + 8);
	h->v0 = k0 ^ 0x736f6d6570736575ULL;
	h->v1 = k1 ^ 0x646f72616e646f6dULL;
	h->v2 = k0 ^ 0x6c7967656e657261ULL;
	h->v3 = k1 ^ 0x7465646279746573ULL;
	h->tail = 0;
	h->len = 0;
	h->c = c;
	h->d = d;
}

void siphash_init(struct siphash *h, const unsigned char k[16])
{
	init_rounds(h, k, 2, 4);
}

void siphash13_init(struct siphash *h, const unsigned char k[16])
{
	init_rounds(h, k, 1, 3);
}

/* siphash_update with c rounds a word: c is a constant where this is
 * inlined, so that the rounds unroll. */
static inline void update_rounds(struct siphash *h, const unsigned char *p, size_t n, int c)
{
	struct sipv v = { h->v0, h->v1, h->v2, h->v3 };
	size_t fill = h->len & 7;
	h->len += n;
	if (fill) { /* top up the pending word */
		size_t take = n < 8 - fill ? n : 8 - fill;
		h->tail |= load_le_short(p, take) << (8 * fill);
		if (fill + take < 8)
			return;
		absorb(&v, h->tail, c);
		p += take;
		n -= take;
	}
	for (; n >= 8; p += 8, n -= 8)
		absorb(&v, load_le64(p), c);
	h->tail = load_le_short(p, n);
	h->v0 = v.v0, h->v1 = v.v1, h->v2 = v.v2, h->v3 = v.v3;
}

void siphash_update(struct siphash *h, const void *data, size_t n)
{
	if (h->c == 1)
		update_rounds(h, data, n, 1);
	else
		update_rounds(h, data, n, 2);
}

uint64_t siphash_final(struct siphash *h)
{
	struct sipv v = { h->v0, h->v1, h->v2, h->v3 };
	absorb(&v, h->tail | (uint64_t)(h->len & 0xff) << 56, h->c);
	v.v2 ^= 0xff;
	for (int i = 0; i < h->d; i++)
		sipround(&v);
	uint64_t out = v.v0 ^ v.v1 ^ v.v2 ^ v.v3;
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
