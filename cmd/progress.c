/*
 * progress.c - the progress line (see progress.h). It keeps its own clock
 * readings and counts; what it draws goes through msg.c, which also clears
 * it before any other message, so that a notice or an error never lands in
 * the middle of the line. It does not estimate the whole run: only the file
 * being read has a known size and a time left.
 */
#include "progress.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../parsers/input/input.h"
#include "msg.h"

/* Microseconds since t0: a file read in a few milliseconds still has a
 * rate. */
static int64_t us_since(const struct timespec *t0)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)(t.tv_sec - t0->tv_sec) * 1000000 + (t.tv_nsec - t0->tv_nsec) / 1000;
}

void progress_start(struct progress *p, enum progress_mode mode, bool quiet, size_t count,
		    const struct timespec *start)
{
	memset(p, 0, sizeof(*p));
	p->on = !quiet && mode != PROGRESS_NEVER &&
		(mode == PROGRESS_ALWAYS || isatty(STDERR_FILENO));
	p->step = PROGRESS_STEP_MIN;
	p->next = p->on ? p->step : UINT64_MAX;
	p->last_draw_us = -1;
	p->count = count;
	p->start = *start;
}

/* How far into the file the lines handed out reach: the offset past the
 * last line of a plain file (exact, and a resumed file starts past its
 * start), the compressed bytes read of a gzip file (in blocks ahead of the
 * lines, which is close enough for a time left). */
static uint64_t file_bytes(const struct input *in)
{
	return input_is_gzip(in) ? input_raw_bytes(in) : input_offset(in);
}

void progress_file(struct progress *p, const struct input *in, uint64_t lines)
{
	struct stat st;
	if (!p->on)
		return;
	const char *name = input_name(in);
	p->name = name;
	p->size = 0;
	if (strcmp(name, "(stdin)") != 0 && stat(name, &st) == 0 && S_ISREG(st.st_mode))
		p->size = (uint64_t)st.st_size;
	p->index++;
	p->file_us = us_since(&p->start); /* its rate is measured from here */
	p->file_lines = lines;
	p->file_bytes = file_bytes(in);
}

/* "12.3 MB": SI units, as the bench counts MB. */
static void human_bytes(uint64_t b, char *buf, size_t cap)
{
	static const char *const units[] = { "kB", "MB", "GB", "TB" };
	double v = (double)b;
	int u = -1;
	while (v >= 1000.0 && u < 3) {
		v /= 1000.0;
		u++;
	}
	if (u < 0)
		snprintf(buf, cap, "%u B", (unsigned)b);
	else
		snprintf(buf, cap, "%.1f %s", v, units[u]);
}

/* "850 k lines/s", "1.23 M lines/s". */
static void human_rate(double r, char *buf, size_t cap)
{
	if (r >= 1e6)
		snprintf(buf, cap, "%.2f M lines/s", r / 1e6);
	else if (r >= 1e4)
		snprintf(buf, cap, "%.0f k lines/s", r / 1e3);
	else
		snprintf(buf, cap, "%.0f lines/s", r);
}

/* "0:21 left", "1:02:03 left". */
static void human_left(double s, char *buf, size_t cap)
{
	unsigned long t = s > 0 && s < 360000.0 ? (unsigned long)(s + 0.5) : 0;
	if (t >= 3600)
		snprintf(buf, cap, ", %lu:%02lu:%02lu left", t / 3600, t / 60 % 60, t % 60);
	else
		snprintf(buf, cap, ", %lu:%02lu left", t / 60, t % 60);
}

/* What is read of the file: "12.3 MB of 40.0 MB (31%), R, 0:21 left", or
 * for a file of unknown size "1234567 lines, R". */
static void describe(const struct progress *p, uint64_t lines, uint64_t bytes, double secs,
		     char *buf, size_t cap)
{
	char rate[32] = "", read[16], size[16], left[32] = "";
	double lps = secs > 0 ? (double)(lines - p->file_lines) / secs : 0;
	double bps = secs > 0 ? (double)(bytes - p->file_bytes) / secs : 0;
	if (secs > 0)
		human_rate(lps, rate, sizeof(rate));
	if (!p->size || bytes > p->size) {
		snprintf(buf, cap, "%llu lines%s%s", (unsigned long long)(lines - p->file_lines),
			 rate[0] ? ", " : "",
			 rate);
		return;
	}
	human_bytes(bytes, read, sizeof(read));
	human_bytes(p->size, size, sizeof(size));
	if (bps > 0)
		human_left((double)(p->size - bytes) / bps, left, sizeof(left));
	snprintf(buf, cap, "%s of %s (%d%%)%s%s%s", read, size, (int)(100 * bytes / p->size),
		 rate[0] ? ", " : "", rate, left);
}

/* "[2/7] NAME: WHAT", the name cut from the left to fit PROGRESS_WIDTH. */
static void draw(struct progress *p, uint64_t lines, uint64_t bytes, int64_t now)
{
	char what[128], head[48] = "", line[256];
	describe(p, lines, bytes, (double)(now - p->file_us) / 1e6, what, sizeof(what));
	if (p->count > 1)
		snprintf(head, sizeof(head), "[%zu/%zu] ", p->index, p->count);
	/* "logfold: " (9), the head, ": " and what: the name gets the rest */
	int room = PROGRESS_WIDTH - 9 - (int)strlen(head) - 2 - (int)strlen(what);
	const char *name = p->name ? p->name : "";
	int n = (int)strlen(name);
	if (room < 4)
		room = 4;
	if (n > room)
		snprintf(line, sizeof(line), "%s...%s: %s", head, name + n - (room - 3), what);
	else
		snprintf(line, sizeof(line), "%s%s: %s", head, name, what);
	msg_progress(line);
	p->last_draw_us = now;
}

void progress_tick(struct progress *p, uint64_t lines, const struct input *in)
{
	int64_t now = us_since(&p->start);
	/* The next look about PROGRESS_LOOK_MS from now at the run's mean
	 * line rate: a pipe delivers lines in bursts (input.c fills 1 MiB
	 * first), and the rate between two looks would swing from a burst's
	 * to a pause's. */
	uint64_t step = now > 0 ? lines * PROGRESS_LOOK_MS * 1000 / (uint64_t)now : 0;
	p->step = step < PROGRESS_STEP_MIN ? PROGRESS_STEP_MIN
		  : step > PROGRESS_STEP_MAX ? PROGRESS_STEP_MAX : step;
	p->next = lines + p->step;
	if (now >= PROGRESS_DELAY_MS * 1000 &&
	    (p->last_draw_us < 0 || now - p->last_draw_us >= PROGRESS_REDRAW_MS * 1000))
		draw(p, lines, file_bytes(in), now);
}

void progress_end(struct progress *p)
{
	if (p->on && p->last_draw_us >= 0)
		msg_progress_clear();
	p->next = UINT64_MAX;
}
