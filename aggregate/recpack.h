/*
 * recpack.h - a day's pageview records (records.h) held compactly in
 * memory: sorted in records_cmp's order and encoded as differences from
 * the record before (a repeat visitor, a few seconds later, with the same
 * breakdown values, costs a few bytes instead of records_stride()). The
 * aggregator packs the records of days the log has left behind and
 * unpacks them when it computes the day (agg.c).
 *
 * The encoding lives in memory only and for the run only: it is never
 * written anywhere, and it holds what the records hold, nothing more (a
 * visitor is the run's keyed hash, as in the record). Round trips are
 * exact: every record's bytes come back, the padding of the stride past
 * the value slots as zeros, in the order they were packed.
 *
 * Encoding of one record, after the one before it (for the first: a
 * record of visitor 0, second 0, every slot 0), each number an unsigned
 * LEB128 varint (7 bits a byte, low first):
 *   visitor - previous visitor (mod 2^64; 0 for the same visitor),
 *   the second: minus the previous one (mod 2^32) for the same visitor,
 *     whole for another,
 *   the page id,
 *   (nslots + 7) / 8 bytes of mask, bit k (of byte k / 8) set when slot k
 *     equals the previous record's,
 *   the value of each slot whose bit is clear, in slot order.
 * Sorted records make the differences small; any order still round-trips
 * (the arithmetic wraps), only larger.
 */
#ifndef LF_RECPACK_H
#define LF_RECPACK_H

#include <stddef.h>

#include "../common/status.h"

/* The most bytes one record takes: a 64-bit varint (10 bytes), two
 * 32-bit ones (5 each), a mask of 16 slots (2) and 16 slot values (5
 * each). A record of a repeat visitor whose second differs from the one
 * before by less than 128, with a page id below 128 and every slot as
 * before, takes 3 bytes and the mask (1 byte up to 8 slots). */
#define RECPACK_MAX_RECORD (10 + 5 + 5 + 2 + 16 * 5)

/* Packed records: n of them in bytes bytes at p, allocated to exactly
 * that size (NULL when n is 0). All zero is empty. */
struct recpack {
	unsigned char *p;
	size_t bytes;
	size_t n;
};

/*
 * Add the n records at base (stride bytes each, records_stride(nslots),
 * 0 to RECORDS_MAX_SLOTS slots) to pk: base is sorted in place
 * (records_sort: equal keys keep their order), then merged with the
 * records pk holds into a new encoding, pk's first on equal keys (they
 * are taken to have come before base's); the old encoding is freed. So
 * records packed in several rounds come back sorted, equal keys in the
 * order they were added. The caller keeps base (its order changed).
 * LF_ERR_NOMEM: pk is left as it was (base may be sorted already).
 * Needs no state but its arguments: safe on several threads at once for
 * different pk.
 */
enum lf_status recpack_add(struct recpack *pk, unsigned char *base, size_t n, size_t stride,
			   int nslots);

/* Write pk's pk->n records, in their packed order, to dst (room for
 * pk->n * stride bytes, aligned for struct agg_pv); stride and nslots as
 * they were packed with. pk is unchanged. */
void recpack_decode(const struct recpack *pk, unsigned char *dst, size_t stride, int nslots);

/* Free pk's bytes and leave it empty. */
void recpack_release(struct recpack *pk);

#endif
