/*
 * recsort.h - sorts a day's pageview records (records.h) by (visitor,
 * second, page), stably: records with equal keys keep their arrival order,
 * so the result is byte for byte the one of glibc's qsort (a stable merge
 * sort) with records_cmp, which the day computation used before.
 *
 * It is a sort for these records only: the key is the fixed header of
 * records.h, the stride that of records_stride(). It does not know what
 * the value slots hold; they move with their record.
 */
#ifndef LF_RECSORT_H
#define LF_RECSORT_H

#include <stddef.h>

#include "../common/status.h"

/*
 * Sort the n records of stride bytes at base in place, in records_cmp's
 * order, equal keys in their order at base. stride is records_stride() of
 * 0 to RECORDS_MAX_SLOTS slots; base is aligned for struct agg_pv.
 * Up to 32 records are sorted without allocating; more take one scratch
 * copy of the array (and a small table of buckets), freed before return.
 * LF_ERR_NOMEM when it cannot be had: base is then left as it was.
 * Safe to call from several threads at once on different arrays.
 */
enum lf_status records_sort(unsigned char *base, size_t n, size_t stride);

#endif
