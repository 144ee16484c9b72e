/*
 * test_resume.c - parsers/input/resume.c (recognising an input read before,
 * where to start, what to store) and parsers/input/lookahead.c (the first
 * lines read once and handed out again). resume.c is pure: each case is a
 * hand-made point and a list of made-up signatures (small integers: only
 * their equality matters), and the expected decisions are worked out in
 * the comments. The lookahead fixtures are written at run time.
 */
#include "harness.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "../../parsers/input/lookahead.h"
#include "../../parsers/input/resume.h"

/* Signatures 1, 2, 3 ... n: one log; 101, 102 ...: another. */
static void sigs(uint64_t *s, uint32_t n, uint64_t base)
{
	for (uint32_t i = 0; i < n; i++)
		s[i] = base + i + 1;
}

/* A point stored for the log whose first fp_lines signatures are base+1... */
static struct resume_point point(uint64_t base, uint32_t fp_lines, uint64_t closed,
				 uint64_t reached)
{
	uint64_t s[RESUME_SIG_LINES];
	sigs(s, fp_lines, base);
	return (struct resume_point){ resume_fingerprint(s, fp_lines), fp_lines, closed, reached,
				      19884, 19885, "access.log", NULL, 0 };
}

static void test_fingerprints(void)
{
	uint64_t s[RESUME_SIG_LINES], fps[RESUME_SIG_LINES], t[3] = { 1, 2, 4 };
	sigs(s, RESUME_SIG_LINES, 0);
	resume_fingerprints(s, RESUME_SIG_LINES, fps);
	/* the incremental ones are the one-shot ones, start by start */
	for (uint32_t k = 1; k <= RESUME_SIG_LINES; k++)
		CHECK(fps[k - 1] == resume_fingerprint(s, k));
	/* one signature changed: another fingerprint; order matters too */
	CHECK(resume_fingerprint(t, 3) != resume_fingerprint(s, 3));
	t[1] = 3;
	t[2] = 2;
	CHECK(resume_fingerprint(t, 3) != resume_fingerprint(s, 3));
	/* a fingerprint is of its n lines, not of the n - 1 before */
	CHECK(fps[0] != fps[1]);
}

static void test_same_start(void)
{
	uint64_t a[5], b[3], c[3] = { 1, 2, 9 };
	sigs(a, 5, 0);
	sigs(b, 3, 0);
	CHECK(resume_same_start(a, 5, b, 3)); /* b is a's start */
	CHECK(resume_same_start(b, 3, a, 5)); /* either way round */
	CHECK(resume_same_start(a, 5, a, 5));
	CHECK(!resume_same_start(a, 5, c, 3)); /* the third line differs */
	CHECK(!resume_same_start(a, 0, a, 5)); /* an unsigned input is no one's copy */
}

/* new, known, the longest match; a stored start longer than the input. */
static void test_find(void)
{
	uint64_t s[RESUME_SIG_LINES], fps[RESUME_SIG_LINES];
	struct resume_point pts[4] = {
		point(0, 2, 2, 2),     /* this log when it had 2 lines */
		point(0, 64, 50, 80),  /* this log at 64 lines and more */
		point(100, 64, 9, 9),  /* another log */
		point(0, 64, 1, 1),    /* changed below: wrong fingerprint */
	};
	pts[3].fingerprint ^= 1;
	sigs(s, RESUME_SIG_LINES, 0);
	resume_fingerprints(s, RESUME_SIG_LINES, fps);
	/* the input has 64 signed lines: both of its points match, the
	 * longer one is its point */
	CHECK(resume_find(pts, 4, fps, 64) == &pts[1]);
	/* with 10 signed lines (the input is 10 lines long) only the 2-line
	 * point can match: the 64-line one needs 64 lines */
	CHECK(resume_find(pts, 4, fps, 10) == &pts[0]);
	/* another log's start: nothing */
	sigs(s, RESUME_SIG_LINES, 200);
	resume_fingerprints(s, RESUME_SIG_LINES, fps);
	CHECK(resume_find(pts, 4, fps, 64) == NULL);
	CHECK(resume_find(pts, 0, fps, 64) == NULL);
	/* a one-line point is matched by an input whose first line signs alike */
	struct resume_point one = point(200, 1, 1, 1);
	CHECK(resume_find(&one, 1, fps, 64) == &one);
}

/* Where reading starts, and what the input turns out to be. */
static void test_start_and_classify(void)
{
	struct resume_point p = point(0, 64, 70, 100); /* closed 70, read 100 */
	struct resume_point closed = point(0, 64, 100, 100); /* every day closed */
	CHECK_INT(resume_start(NULL), 0);   /* new: from its first line */
	CHECK_INT(resume_start(&p), 70);    /* the 70 lines of closed days passed */
	CHECK_INT(resume_classify(NULL, 5), RESUME_NEW);
	CHECK_INT(resume_classify(&closed, 100), RESUME_SAME);  /* renamed, recompressed */
	CHECK_INT(resume_classify(&p, 100), RESUME_REREAD);     /* its open days again */
	CHECK_INT(resume_classify(&p, 101), RESUME_GROWN);
	CHECK_INT(resume_classify(&closed, 150), RESUME_GROWN);
	CHECK_INT(resume_classify(&p, 99), RESUME_TRUNCATED);   /* in the open part */
	CHECK_INT(resume_classify(&p, 10), RESUME_TRUNCATED);   /* in the closed part */
}

static void test_settle(void)
{
	struct resume_point p = point(0, 64, 70, 100), now;
	/* Read on from line 70 to 120: day A starts at line 70 (70 lines
	 * before it) and closed; day B at line 95, open; day C at 110, open:
	 * the first open day's start is where the next run reads again. */
	struct resume_day_start days[3] = { { 70, false }, { 95, true }, { 110, true } };
	struct resume_read rd = { 120, days, 3, false, 19885, 19887 };
	CHECK(resume_settle(&p, &rd, &now));
	CHECK_INT(now.closed_line, 95);
	CHECK_INT(now.reached_line, 120);
	CHECK_INT(now.first_day, 19884); /* the stored point's, earlier */
	CHECK_INT(now.last_day, 19887);  /* this run's, later */
	/* every day closed: everything read is closed */
	days[1].open = days[2].open = false;
	CHECK(resume_settle(&p, &rd, &now));
	CHECK_INT(now.closed_line, 120);
	/* days lost (out of memory): nothing past what was closed before */
	rd.days_lost = true;
	CHECK(resume_settle(&p, &rd, &now));
	CHECK_INT(now.closed_line, 70);
	rd.days_lost = false;
	/* a new input of 5 lines, its only day open from line 1 (0 before) */
	struct resume_day_start one = { 0, true };
	struct resume_read fresh = { 5, &one, 1, false, 19900, 19900 };
	CHECK(resume_settle(NULL, &fresh, &now));
	CHECK_INT(now.closed_line, 0);
	CHECK_INT(now.reached_line, 5);
	CHECK_INT(now.first_day, 19900);
	/* truncated: nothing to store, the old point stays */
	rd.lines = 99;
	CHECK(!resume_settle(&p, &rd, &now));
	/* a new input without a dated line: nothing to store */
	struct resume_read undated = { 7, NULL, 0, false, RESUME_NO_DAY, RESUME_NO_DAY };
	CHECK(!resume_settle(NULL, &undated, &now));
}

struct held {
	int n;
	char got[128];
};

static void note_held(void *ctx, const struct resume_point *holder, const struct resume_open *d)
{
	struct held *h = ctx;
	size_t used = strlen(h->got);
	snprintf(h->got + used, sizeof(h->got) - used, "%s:%s:%d ", holder->name, d->site,
		 (int)d->day);
	h->n++;
}

static void test_withheld(void)
{
	struct resume_open a_open[2] = { { "example.org", 19885 }, { "other.org", 19885 } };
	struct resume_open b_open[1] = { { "example.org", 19886 } };
	struct resume_point pts[3] = { point(0, 64, 1, 2), point(100, 64, 1, 2),
				       point(200, 64, 2, 2) };
	pts[0].name = "A.log";
	pts[0].open = a_open;
	pts[0].nopen = 2;
	pts[1].name = "(stdin)";
	pts[1].open = b_open;
	pts[1].nopen = 1;
	/* A is missing, B and C are here: A's two open days are held back */
	bool present[3] = { false, true, true };
	struct held h = { 0, "" };
	resume_withheld(pts, 3, present, note_held, &h);
	CHECK_INT(h.n, 2);
	CHECK_STR(h.got, "A.log:example.org:19885 A.log:other.org:19885 ");
	/* every input here: nothing held */
	bool all[3] = { true, true, true };
	struct held none = { 0, "" };
	resume_withheld(pts, 3, all, note_held, &none);
	CHECK_INT(none.n, 0);
	/* C holds no open day: missing, it holds nothing back */
	bool no_c[3] = { true, true, false };
	resume_withheld(pts, 3, no_c, note_held, &none);
	CHECK_INT(none.n, 0);
}

/* ---- lookahead ----------------------------------------------------------- */

static char tmp[256];

static const char *write_tmp(const char *name, const char *text, size_t n)
{
	static char path[320];
	snprintf(path, sizeof(path), "%s/%s", tmp, name);
	FILE *f = fopen(path, "wb");
	CHECK(f != NULL);
	if (f) {
		CHECK(fwrite(text, 1, n, f) == n);
		CHECK(fclose(f) == 0);
	}
	return path;
}

/* Every line of in through la, as "N:text" or "N:long", '|'-joined. */
static void drain(struct lookahead *la, struct input *in, char *out, size_t cap)
{
	struct slice line;
	uint64_t no;
	enum lf_status st;
	size_t used = 0;
	out[0] = '\0';
	while ((st = lookahead_next(la, in, &line, &no)) == LF_OK || st == LF_ERR_LIMIT)
		used += (size_t)snprintf(out + used, cap - used, "%s%llu:%.*s", used ? "|" : "",
					 (unsigned long long)no, st == LF_OK ? (int)line.n : 4,
					 st == LF_OK ? line.p : "long");
	CHECK_INT(st, LF_EOF);
}

/* A bad start: a line over INPUT_LINE_MAX, a blank line, then lines. The
 * look keeps them numbered as the reader numbers them, its text holds the
 * readable ones, and a pipe-like replay gives every line once. */
static void test_lookahead_bad_start(void)
{
	size_t big = INPUT_LINE_MAX + 10;
	char *text = malloc(big + 64);
	if (!text)
		return;
	memset(text, 'z', big);
	memcpy(text + big, "\n\nb\nc\n", 6);
	const char *path = write_tmp("bad.log", text, big + 6);
	free(text);
	struct input *in;
	struct lookahead *la;
	char got[256];
	CHECK_INT(input_open(&in, path), LF_OK);
	CHECK_INT(lookahead_read(&la, in), LF_OK);
	CHECK_INT(lookahead_count(la), 4); /* long, blank, b, c: then the end */
	CHECK(lookahead_at_end(la));
	struct slice t = lookahead_text(la);
	CHECK_MEM(t.p, t.n, "\n\nb\nc\n"); /* the long line as an empty one */
	struct slice line;
	uint64_t no;
	CHECK_INT(lookahead_line(la, 0, &line, &no), LF_ERR_LIMIT);
	CHECK_INT(no, 1);
	CHECK_INT(lookahead_line(la, 3, &line, &no), LF_OK);
	CHECK_INT(no, 4);
	CHECK_MEM(line.p, line.n, "c");
	drain(la, in, got, sizeof(got));
	CHECK_STR(got, "1:long|2:|3:b|4:c");
	lookahead_free(la);
	input_close(in);
}

/* More lines than the look keeps: the kept ones first, then the input's,
 * numbered on; the look stops after LOOKAHEAD_LINES non-blank lines. */
static void test_lookahead_long_input(void)
{
	char text[4096];
	size_t n = 0;
	for (int i = 1; i <= LOOKAHEAD_LINES + 5; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "l%d\n", i);
	const char *path = write_tmp("long.log", text, n);
	struct input *in;
	struct lookahead *la;
	CHECK_INT(input_open(&in, path), LF_OK);
	CHECK_INT(lookahead_read(&la, in), LF_OK);
	CHECK_INT(lookahead_count(la), LOOKAHEAD_LINES);
	CHECK(!lookahead_at_end(la));
	struct slice line;
	uint64_t no, count = 0, last = 0;
	enum lf_status st;
	bool in_order = true;
	while ((st = lookahead_next(la, in, &line, &no)) == LF_OK) {
		char want[16];
		snprintf(want, sizeof(want), "l%llu", (unsigned long long)no);
		in_order &= no == last + 1 && line.n == strlen(want) && !memcmp(line.p, want, line.n);
		last = no;
		count++;
	}
	CHECK(in_order);
	CHECK_INT(count, LOOKAHEAD_LINES + 5);
	CHECK_INT(st, LF_EOF);
	lookahead_free(la);
	input_close(in);
	/* NULL: input_next itself */
	CHECK_INT(input_open(&in, path), LF_OK);
	CHECK_INT(lookahead_next(NULL, in, &line, &no), LF_OK);
	CHECK_INT(no, 1);
	input_close(in);
}

/* A pipe gives its bytes once: input_reopenable says so; a file can be
 * opened again. */
static void test_reopenable(void)
{
	int fd[2];
	struct input *in;
	const char *path = write_tmp("file.log", "a\n", 2);
	CHECK_INT(input_open(&in, path), LF_OK);
	CHECK(input_reopenable(in));
	input_close(in);
	if (pipe(fd) != 0)
		return;
	CHECK(write(fd[1], "x\ny\n", 4) == 4);
	close(fd[1]);
	char name[64];
	snprintf(name, sizeof(name), "/dev/fd/%d", fd[0]);
	CHECK_INT(input_open(&in, name), LF_OK);
	CHECK(!input_reopenable(in));
	struct lookahead *la;
	char got[64];
	CHECK_INT(lookahead_read(&la, in), LF_OK);
	drain(la, in, got, sizeof(got));
	CHECK_STR(got, "1:x|2:y");
	lookahead_free(la);
	input_close(in);
	close(fd[0]);
}

static void test_setup(void)
{
	const char *t = getenv("TMPDIR");
	snprintf(tmp, sizeof(tmp), "%s/lf_resume_XXXXXX", t && *t ? t : "/tmp");
	CHECK(mkdtemp(tmp) != NULL);
}

static void test_cleanup(void)
{
	const char *names[] = { "bad.log", "long.log", "file.log" };
	char path[320];
	for (size_t i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "%s/%s", tmp, names[i]);
		unlink(path);
	}
	CHECK(rmdir(tmp) == 0);
}

TEST_MAIN(test_setup, test_fingerprints, test_same_start, test_find, test_start_and_classify,
	  test_settle, test_withheld, test_lookahead_bad_start, test_lookahead_long_input,
	  test_reopenable, test_cleanup)
