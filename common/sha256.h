/*
 * sha256.h - SHA-256 (FIPS 180-4) of a buffer in one call, and its
 * base64 form, for one use: the Content-Security-Policy of the HTML
 * report names its inline script and style by hash ('sha256-...'), so
 * that no other script or style can run in the page, even one injected.
 * Not for secrets (no key, no streaming, nothing wiped).
 */
#ifndef LF_SHA256_H
#define LF_SHA256_H

#include <stddef.h>
#include <stdint.h>

/* The 32-byte digest of n bytes at p. */
void sha256(const void *p, size_t n, unsigned char out[32]);

/* The digest of n bytes at p in base64 (RFC 4648, with padding), as CSP
 * writes it: 44 characters and a NUL. */
void sha256_base64(const void *p, size_t n, char out[45]);

#endif
