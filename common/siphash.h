/*
 * siphash.h - SipHash-2-4 (Aumasson & Bernstein, 2012), 64-bit output, with
 * an incremental interface so that fields scattered over a log line can be
 * hashed without first being copied together.
 *
 * logfold uses it for one thing: a visitor is siphash(key, ip, agent, site)
 * under a 128-bit key made at random for the run and never written. The
 * output is an identifier only inside one run.
 */
#ifndef LF_SIPHASH_H
#define LF_SIPHASH_H

#include <stddef.h>
#include <stdint.h>

struct siphash {
	uint64_t v0, v1, v2, v3;
	uint64_t tail;   /* pending bytes, little-endian */
	size_t len;      /* total bytes absorbed */
};

/* Start a hash under the 16-byte key k. */
void siphash_init(struct siphash *h, const unsigned char k[16]);

/* Absorb n bytes. */
void siphash_update(struct siphash *h, const void *p, size_t n);

/* Finish and return the 64-bit tag; h must be re-initialised to reuse it. */
uint64_t siphash_final(struct siphash *h);

/* One-shot convenience. */
uint64_t siphash24(const unsigned char k[16], const void *p, size_t n);

#endif
