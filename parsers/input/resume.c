/*
 * resume.c - recognising an input read before and settling where it was
 * left, on line signatures and line numbers (see resume.h). Pure: what it
 * decides depends on its arguments alone, so each case is a unit test.
 */
#include "resume.h"

#include "../../common/siphash.h"

/* A fixed key: the fingerprint is a checksum of reduced values, which are
 * no secret, so a secret key would protect nothing (and could not be kept
 * from run to run without being stored beside it). */
static const unsigned char fp_key[16] = "logfold-resume-1";

/* Absorb one signature, little-endian whatever the machine. */
static void absorb(struct siphash *h, uint64_t sig)
{
	unsigned char le[8];
	for (int b = 0; b < 8; b++)
		le[b] = (unsigned char)(sig >> (8 * b));
	siphash_update(h, le, sizeof(le));
}

uint64_t resume_fingerprint(const uint64_t *sig, uint32_t n)
{
	struct siphash h;
	siphash_init(&h, fp_key);
	for (uint32_t i = 0; i < n; i++)
		absorb(&h, sig[i]);
	return siphash_final(&h);
}

void resume_fingerprints(const uint64_t *sig, uint32_t n, uint64_t *fps)
{
	struct siphash h;
	siphash_init(&h, fp_key);
	for (uint32_t i = 0; i < n; i++) {
		absorb(&h, sig[i]);
		struct siphash end = h; /* final consumes its state */
		fps[i] = siphash_final(&end);
	}
}

bool resume_same_start(const uint64_t *a, uint32_t na, const uint64_t *b, uint32_t nb)
{
	uint32_t n = na < nb ? na : nb;
	if (n == 0)
		return false;
	for (uint32_t i = 0; i < n; i++)
		if (a[i] != b[i])
			return false;
	return true;
}

const struct resume_point *resume_find(const struct resume_point *points, size_t n,
				       const uint64_t *fps, uint32_t nsig)
{
	const struct resume_point *best = NULL;
	for (size_t i = 0; i < n; i++) {
		const struct resume_point *p = &points[i];
		if (p->fp_lines == 0 || p->fp_lines > nsig || (best && p->fp_lines <= best->fp_lines))
			continue;
		if (fps[p->fp_lines - 1] == p->fingerprint)
			best = p;
	}
	return best;
}

uint64_t resume_start(const struct resume_point *from)
{
	return from ? from->closed_line : 0;
}

enum resume_state resume_classify(const struct resume_point *from, uint64_t lines)
{
	if (!from)
		return RESUME_NEW;
	if (lines < from->reached_line)
		return RESUME_TRUNCATED;
	if (lines > from->reached_line)
		return RESUME_GROWN;
	return from->closed_line == from->reached_line ? RESUME_SAME : RESUME_REREAD;
}

static int32_t min_day(int32_t a, int32_t b)
{
	if (a == RESUME_NO_DAY)
		return b;
	return b == RESUME_NO_DAY || a < b ? a : b;
}

static int32_t max_day(int32_t a, int32_t b)
{
	return a > b ? a : b; /* RESUME_NO_DAY is the smallest int32 */
}

bool resume_settle(const struct resume_point *from, const struct resume_read *rd,
		   struct resume_point *now)
{
	if (resume_classify(from, rd->lines) == RESUME_TRUNCATED)
		return false;
	now->reached_line = rd->lines;
	now->closed_line = rd->lines;
	if (rd->days_lost) /* some day may be open: read again all that was read */
		now->closed_line = resume_start(from);
	for (size_t i = 0; i < rd->ndays; i++)
		if (rd->days[i].open && rd->days[i].line < now->closed_line)
			now->closed_line = rd->days[i].line;
	now->first_day = min_day(from ? from->first_day : RESUME_NO_DAY, rd->first_day);
	now->last_day = max_day(from ? from->last_day : RESUME_NO_DAY, rd->last_day);
	return now->first_day != RESUME_NO_DAY;
}

void resume_withheld(const struct resume_point *points, size_t n, const bool *present,
		     resume_withheld_fn fn, void *ctx)
{
	for (size_t i = 0; i < n; i++)
		for (size_t d = 0; !present[i] && d < points[i].nopen; d++)
			fn(ctx, &points[i], &points[i].open[d]);
}
