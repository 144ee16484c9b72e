/*
 * siphash.h - SipHash-2-4 (Aumasson & Bernstein, 2012), 64-bit output, with
 * an incremental interface so that fields scattered over a log line can be
 * hashed without first being copied together.
 *
 * Two variants: SipHash-2-4 (siphash_init), for what is stable across
 * runs and machines (--shard's routing hash, resume signatures), and
 * SipHash-1-3 (siphash13_init: one compression round per word, three at
 * the end; the variant Python and Rust hash their tables with), for the
 * visitor: siphash13(key, ip, agent, site) under a 128-bit key made at
 * random for the run and never written, an identifier only inside one
 * run, hashed once per pageview, where the second round cost ~2 % of a
 * run's time.
 */
#ifndef LF_SIPHASH_H
#define LF_SIPHASH_H

#include <stddef.h>
#include <stdint.h>

struct siphash {
	uint64_t v0, v1, v2, v3;
	uint64_t tail;   /* pending bytes, little-endian */
	size_t len;      /* total bytes absorbed */
	int c, d;        /* rounds per word, rounds at the end */
};

/* Start a SipHash-2-4 under the 16-byte key k. */
void siphash_init(struct siphash *h, const unsigned char k[16]);

/* Start a SipHash-1-3 under the 16-byte key k. */
void siphash13_init(struct siphash *h, const unsigned char k[16]);

/* Absorb n bytes. */
void siphash_update(struct siphash *h, const void *p, size_t n);

/* Finish and return the 64-bit tag; h must be re-initialised to reuse it. */
uint64_t siphash_final(struct siphash *h);

/* One-shot convenience. */
uint64_t siphash24(const unsigned char k[16], const void *p, size_t n);

#endif
