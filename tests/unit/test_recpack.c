/*
 * test_recpack.c - packed pageview records (aggregate/recpack.h).
 *
 * Expected values come from outside recpack: the bytes of small
 * encodings are worked out by hand from recpack.h's description (LEB128
 * varints, a mask of equal slots); the order records come back in is a
 * reference sort of our own (qsort on the key extended by the arrival
 * index, which makes it stable) of the records as they were added, over
 * every round of recpack_add; sizes follow from the encoding's rules.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../aggregate/records.h"
#include "../../aggregate/recpack.h"
#include "harness.h"

/* splitmix64: a fixed sequence, so a failure repeats */
static uint64_t rnd(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* n zeroed records of nslots slots (padding zero, as decode writes it). */
static unsigned char *new_records(size_t n, int nslots)
{
	unsigned char *p = calloc(n ? n : 1, records_stride(nslots));
	if (!p)
		abort();
	return p;
}

static struct agg_pv *at(unsigned char *base, size_t i, int nslots)
{
	return (struct agg_pv *)(void *)(base + i * records_stride(nslots));
}

static void set(unsigned char *base, size_t i, int nslots, uint64_t visitor, uint32_t sec,
		uint32_t page, const uint32_t *vals)
{
	struct agg_pv *r = at(base, i, nslots);
	*r = (struct agg_pv){ visitor, sec, page };
	if (nslots)
		memcpy(records_values(r), vals, (size_t)nslots * sizeof(*vals));
}

/* Pack the n records at in (a copy: recpack_add sorts its array) in one
 * round and check they decode to want (n records), byte for byte. */
static void round_trip(const unsigned char *in, const unsigned char *want, size_t n, int nslots)
{
	size_t stride = records_stride(nslots);
	unsigned char *copy = new_records(n, nslots), *out = new_records(n, nslots);
	memcpy(copy, in, n * stride);
	struct recpack pk = { 0 };
	CHECK_INT(recpack_add(&pk, copy, n, stride, nslots), LF_OK);
	CHECK_INT(pk.n, n);
	CHECK(pk.bytes <= n * RECPACK_MAX_RECORD);
	memset(out, 0xa5, n * stride); /* padding must come back zeroed */
	recpack_decode(&pk, out, stride, nslots);
	CHECK(memcmp(out, want, n * stride) == 0);
	recpack_release(&pk);
	CHECK(pk.p == NULL && pk.n == 0 && pk.bytes == 0);
	free(copy);
	free(out);
}

/* Nothing to pack: pk stays empty, decode writes nothing. */
static void test_empty(void)
{
	struct recpack pk = { 0 };
	unsigned char rec[64];
	memset(rec, 0x5a, sizeof(rec));
	CHECK_INT(recpack_add(&pk, rec, 0, records_stride(6), 6), LF_OK);
	CHECK(pk.p == NULL && pk.n == 0 && pk.bytes == 0);
	recpack_decode(&pk, rec, records_stride(6), 6);
	CHECK(rec[0] == 0x5a && rec[63] == 0x5a);
	recpack_release(&pk);
}

/*
 * Three records of 2 slots, bytes by hand (prev starts as visitor 0,
 * second 0, slots 0):
 *   {1, 100, 3, {5, 0}}:  visitor +1 = 01; another visitor, second whole
 *     100 = 64; page 03; mask: slot 1 equal (0) = 02; slot 0's 5 = 05
 *   {1, 130, 3, {5, 7}}:  00; same visitor, +30 = 1e; 03; mask slot 0
 *     equal = 01; slot 1's 7 = 07
 *   {300, 5, 200, {5, 7}}: +299 = 0b10_0101011 -> ab 02; 05; 200 -> c8 01;
 *     mask both equal = 03
 */
static void test_bytes(void)
{
	static const unsigned char want[] = { 0x01, 0x64, 0x03, 0x02, 0x05, 0x00, 0x1e, 0x03,
					      0x01, 0x07, 0xab, 0x02, 0x05, 0xc8, 0x01, 0x03 };
	unsigned char *in = new_records(3, 2);
	set(in, 0, 2, 1, 100, 3, (const uint32_t[]){ 5, 0 });
	set(in, 1, 2, 1, 130, 3, (const uint32_t[]){ 5, 7 });
	set(in, 2, 2, 300, 5, 200, (const uint32_t[]){ 5, 7 });
	unsigned char *copy = new_records(3, 2);
	memcpy(copy, in, 3 * records_stride(2));
	struct recpack pk = { 0 };
	CHECK_INT(recpack_add(&pk, copy, 3, records_stride(2), 2), LF_OK);
	CHECK_INT(pk.bytes, sizeof(want));
	CHECK(pk.bytes == sizeof(want) && memcmp(pk.p, want, sizeof(want)) == 0);
	recpack_release(&pk);
	round_trip(in, in, 3, 2);
	free(in);
	free(copy);
}

/* Slot k of record i: 0, UINT32_MAX or some other value, by turns. */
static uint32_t extreme(uint32_t i, uint32_t k)
{
	static const uint32_t v[3] = { 0, UINT32_MAX, 977 };
	return v[(i + k) % 3] + ((i + k) % 3 == 2 ? i * 977 + k : 0);
}

/*
 * Extreme values, sorted by hand, for every number of slots 0 .. 16:
 * visitor 0 (the encoder's starting point) and UINT64_MAX (a difference
 * of 2^64 - 1: a 10-byte varint), repeats of each, seconds 0 and
 * UINT32_MAX, page ids 0 and UINT32_MAX, slot values 0, UINT32_MAX and
 * alternating, and equal keys with different slots (their order kept).
 */
#define N 8
static void test_extremes(void)
{
	static const uint64_t vis[N] = { 0,          0,          0,         1, UINT64_MAX - 1,
					 UINT64_MAX, UINT64_MAX, UINT64_MAX };
	static const uint32_t sec[N] = { 0, 0, UINT32_MAX, 0, 7, 0, UINT32_MAX, UINT32_MAX };
	static const uint32_t page[N] = { 0, 0, UINT32_MAX, UINT32_MAX, 1u << 28, 0, 5, 5 };
	for (int nslots = 0; nslots <= RECORDS_MAX_SLOTS; nslots++) {
		unsigned char *in = new_records(N, nslots);
		for (size_t i = 0; i < N; i++) {
			uint32_t vals[RECORDS_MAX_SLOTS];
			for (int k = 0; k < nslots; k++)
				vals[k] = extreme((uint32_t)i, (uint32_t)k);
			set(in, i, nslots, vis[i], sec[i], page[i], vals);
		}
		round_trip(in, in, N, nslots);
		free(in);
	}
}
#undef N

/*
 * 1000 pageviews of one visitor (1), a second every 10 s, page 7, six
 * slots all 42: the first takes visitor 01, second 00, page 07, mask 00
 * and six values 2a (10 bytes); each other one visitor 00, +10 0a, 07 and
 * a mask of all equal 3f (4 bytes, as recpack.h says): 10 + 999 * 4.
 * Then near the worst case: visitors 0, M, 2M, 3M (M = UINT64_MAX / 3 =
 * 0x5555555555555555, 63 bits: a 9-byte varint for each step), seconds
 * and page ids near UINT32_MAX (5 bytes each), 16 slots all changing
 * (mask 2 bytes, 16 values of 5): the first record (visitor 0: 1 byte)
 * 1 + 5 + 5 + 2 + 80 = 93 bytes, each other 9 + 5 + 5 + 2 + 80 = 101, one
 * below RECPACK_MAX_RECORD (a 10-byte step would make it).
 */
#define N 1000
static void test_size(void)
{
	uint32_t vals[RECORDS_MAX_SLOTS];
	unsigned char *in = new_records(N, 6);
	for (int k = 0; k < 6; k++)
		vals[k] = 42;
	for (size_t i = 0; i < N; i++)
		set(in, i, 6, 1, (uint32_t)(i * 10), 7, vals);
	struct recpack pk = { 0 };
	CHECK_INT(recpack_add(&pk, in, N, records_stride(6), 6), LF_OK);
	CHECK_INT(pk.bytes, 10 + (N - 1) * 4);
	recpack_release(&pk);
	free(in);

	in = new_records(4, RECORDS_MAX_SLOTS);
	for (size_t i = 0; i < 4; i++) {
		for (int k = 0; k < RECORDS_MAX_SLOTS; k++)
			vals[k] = UINT32_MAX - (uint32_t)i;
		set(in, i, RECORDS_MAX_SLOTS, i * (UINT64_MAX / 3), UINT32_MAX - (uint32_t)i,
		    UINT32_MAX - (uint32_t)i, vals);
	}
	CHECK_INT(recpack_add(&pk, in, 4, records_stride(RECORDS_MAX_SLOTS), RECORDS_MAX_SLOTS),
		  LF_OK);
	CHECK_INT(pk.bytes, 93 + 3 * 101);
	CHECK_INT(RECPACK_MAX_RECORD, 102);
	recpack_release(&pk);
	free(in);
}
#undef N

/* The reference: records keyed (visitor, second, page, arrival). */
struct ref {
	uint64_t visitor;
	uint32_t sec, page;
	size_t arrival;
};

static int ref_cmp(const void *x, const void *y)
{
	const struct ref *a = x, *b = y;
	if (a->visitor != b->visitor)
		return a->visitor < b->visitor ? -1 : 1;
	if (a->sec != b->sec)
		return a->sec < b->sec ? -1 : 1;
	if (a->page != b->page)
		return a->page < b->page ? -1 : 1;
	return (a->arrival > b->arrival) - (a->arrival < b->arrival);
}

/*
 * Records added in rounds of random sizes (some of 1, some empty), in
 * random order, with few visitors, seconds and pages so that equal keys
 * abound; each record's slots hold its arrival index and a pattern. After
 * every round, decode equals the reference sort of all records so far.
 */
static void test_rounds(int nslots, size_t total, uint64_t seed)
{
	size_t stride = records_stride(nslots);
	unsigned char *all = new_records(total, nslots), *out = new_records(total, nslots);
	unsigned char *round = new_records(total, nslots), *want = new_records(total, nslots);
	struct ref *ref = malloc(total * sizeof(*ref));
	if (!ref)
		abort();
	uint64_t s = seed;
	for (size_t i = 0; i < total; i++) {
		uint32_t vals[RECORDS_MAX_SLOTS];
		for (int k = 0; k < nslots; k++)
			vals[k] = k == 0 ? (uint32_t)i : (uint32_t)(rnd(&s) % 4) * (uint32_t)k;
		set(all, i, nslots, rnd(&s) % 50 * 0x0123456789abcdefULL, (uint32_t)(rnd(&s) % 40),
		    (uint32_t)(rnd(&s) % 3), vals);
		ref[i] = (struct ref){ at(all, i, nslots)->visitor, at(all, i, nslots)->sec,
				       at(all, i, nslots)->page, i };
	}
	struct recpack pk = { 0 };
	int bad = 0;
	for (size_t done = 0; done < total;) {
		size_t n = (size_t)(rnd(&s) % 4 == 0 ? rnd(&s) % 3 : rnd(&s) % 700);
		n = n > total - done ? total - done : n;
		memcpy(round, all + done * stride, n * stride);
		CHECK_INT(recpack_add(&pk, round, n, stride, nslots), LF_OK);
		done += n;
		qsort(ref, done, sizeof(*ref), ref_cmp);
		for (size_t i = 0; i < done; i++)
			memcpy(want + i * stride, all + ref[i].arrival * stride, stride);
		recpack_decode(&pk, out, stride, nslots);
		bad += pk.n != done || memcmp(out, want, done * stride) != 0;
	}
	CHECK_INT(bad, 0);
	recpack_release(&pk);
	free(all);
	free(out);
	free(round);
	free(want);
	free(ref);
}

static void test_merge(void)
{
	for (int nslots = 1; nslots <= RECORDS_MAX_SLOTS; nslots += 5)
		test_rounds(nslots, 3000, (uint64_t)nslots);
	test_rounds(6, 20000, 99);
}

TEST_MAIN(test_empty, test_bytes, test_extremes, test_size, test_merge)
