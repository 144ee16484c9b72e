/*
 * test_input.c - unit tests for parsers/input: lines out of plain and gzip
 * files and stdin, line limits, block boundaries, damaged gzip, peek,
 * offsets and closing early. Every fixture is made at run time in a temp dir
 * (gzip with zlib's deflate here), so no binary file is committed. Expected
 * values come from the test's own record of what it wrote, or by hand.
 * zstd, xz and bzip2 fixtures are made by their commands (test_codec.c
 * tests every codec further).
 */
#include "harness.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <zlib.h>

#include "../../parsers/input/input.h"
#include "fixture.h"

#define LM INPUT_LINE_MAX
/* input.c reads plain files and inflates gzip in blocks of this size; the
 * fixtures put lines across its multiples on purpose. Other sizes would only
 * move the boundaries: the random part of the big fixture covers those. */
#define BLK ((size_t)1 << 20)

/* ---- fixtures -------------------------------------------------------- */

static char made[128][FIXTURE_PATH_MAX];
static int nmade;

/* Write a fixture file in the temp dir; returns its path (static storage). */
static const char *fixture(const char *name, const void *p, size_t n)
{
	if (nmade == 128)
		abort();
	char *path = made[nmade++];
	fixture_path(path, "input", name);
	FILE *f = fopen(path, "wb");
	CHECK(f != NULL);
	if (!f)
		return path;
	CHECK(n == 0 || fwrite(p, 1, n, f) == n);
	CHECK(fclose(f) == 0);
	return path;
}

/* One gzip member holding p[0..n), appended to out; when name is given,
 * its header carries it as the original file name (FNAME). */
static void gz_named(struct buf *out, const void *p, size_t n, char *name)
{
	z_stream z;
	gz_header head;
	memset(&z, 0, sizeof(z));
	memset(&head, 0, sizeof(head));
	head.name = (Bytef *)name;
	CHECK_INT(deflateInit2(&z, 6, Z_DEFLATED, 16 + MAX_WBITS, 8,
			       Z_DEFAULT_STRATEGY), Z_OK);
	if (name)
		CHECK_INT(deflateSetHeader(&z, &head), Z_OK);
	size_t bound = deflateBound(&z, (uLong)n) + (name ? strlen(name) : 0);
	if (out->n + bound > out->cap) {
		out->cap = out->n + bound;
		out->p = realloc(out->p, out->cap);
		if (!out->p)
			abort();
	}
	z.next_in = (Bytef *)(uintptr_t)p; /* zlib does not write to it */
	z.avail_in = (uInt)n;
	z.next_out = out->p + out->n;
	z.avail_out = (uInt)bound;
	CHECK_INT(deflate(&z, Z_FINISH), Z_STREAM_END);
	out->n += bound - z.avail_out;
	deflateEnd(&z);
}

static void gz_member(struct buf *out, const void *p, size_t n)
{
	gz_named(out, p, n, NULL);
}

/* How many bytes an independent inflate gets out of a damaged gzip. */
static size_t inflated_size(const unsigned char *p, size_t n)
{
	static unsigned char out[1 << 16];
	z_stream z;
	memset(&z, 0, sizeof(z));
	CHECK_INT(inflateInit2(&z, 16 + MAX_WBITS), Z_OK);
	z.next_in = (Bytef *)(uintptr_t)p;
	z.avail_in = (uInt)n;
	size_t total = 0;
	int rc;
	do {
		z.next_out = out;
		z.avail_out = sizeof(out);
		rc = inflate(&z, Z_NO_FLUSH);
		total += sizeof(out) - z.avail_out;
	} while (rc == Z_OK);
	inflateEnd(&z);
	return total;
}

/* Open file descriptors, to check at the end that none leaked. */
static int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;
	if (!d)
		return -1;
	while (readdir(d))
		n++;
	closedir(d);
	return n;
}

static int fds_at_start;

/* ---- small inputs: the events as one string ------------------------- */

/* Read everything; describe each event: "[text]" for a line (a long one as
 * "[N*c]" when all its bytes are c), "LIMIT@n", "CORRUPT", "IO", "EOF".
 * Also checks that LF_EOF repeats after the end. */
static void events(struct input *in, char *out, size_t cap)
{
	size_t o = 0;
	out[0] = 0;
	for (int guard = 0; guard < 100 && o + 64 < cap; guard++) {
		struct slice s;
		enum lf_status st = input_next(in, &s);
		if (o)
			out[o++] = ' ';
		char *at = out + o;
		size_t room = cap - o;
		if (st == LF_OK && s.n <= 32) {
			int len = (int)s.n;
			o += (size_t)snprintf(at, room, "[%.*s]", len, s.p);
			continue;
		}
		if (st == LF_OK) {
			size_t k = 0;
			while (k < s.n && s.p[k] == s.p[0])
				k++;
			o += (size_t)snprintf(at, room, "[%zu*%c]", s.n,
					      k == s.n ? s.p[0] : '?');
			continue;
		}
		if (st == LF_ERR_LIMIT) {
			o += (size_t)snprintf(at, room, "LIMIT@%" PRIu64,
					      input_line_no(in));
			continue;
		}
		o += (size_t)snprintf(at, room, "%s",
				      st == LF_EOF ? "EOF" :
				      st == LF_ERR_CORRUPT ? "CORRUPT" :
				      st == LF_ERR_IO ? "IO" :
				      st == LF_ERR_FORMAT ? "FORMAT" : "OTHER");
		if (st != LF_EOF)
			continue;
		CHECK_INT(input_next(in, &s), LF_EOF);
		return;
	}
}

/* Open path, describe its events in out, return the reader's error text. */
static void read_events(const char *path, char *out, size_t cap, char *err,
			size_t errcap)
{
	struct input *in;
	out[0] = err[0] = 0;
	CHECK_INT(input_open(&in, path), LF_OK);
	if (!in)
		return;
	events(in, out, cap);
	snprintf(err, errcap, "%s", input_error(in));
	input_close(in);
}

#define EXPECT_EVENTS(path, want, want_err)                                    \
	do {                                                                   \
		char ev_[512], er_[128];                                       \
		read_events((path), ev_, sizeof(ev_), er_, sizeof(er_));       \
		CHECK_STR(ev_, (want));                                        \
		CHECK_STR(er_, (want_err));                                    \
	} while (0)

static const char *gz_fixture(const char *name, const char *text)
{
	struct buf g = { 0 };
	gz_member(&g, text, strlen(text));
	const char *path = fixture(name, g.p, g.n);
	free(g.p);
	return path;
}

static void test_plain_lines(void)
{
	fds_at_start = count_fds();
	const char *p = fixture("plain.txt", "a\nbb\n\nccc\n", 10);
	EXPECT_EVENTS(p, "[a] [bb] [] [ccc] EOF", "");
	/* One '\r' is stripped, not two; "z" has no newline and is a line. */
	const char *crlf = "x\r\ny\r\r\n\r\n\nz";
	p = fixture("crlf.txt", crlf, strlen(crlf));
	EXPECT_EVENTS(p, "[x] [y\r] [] [] [z] EOF", "");
	p = fixture("nonl.txt", "one\ntwo", 7);
	EXPECT_EVENTS(p, "[one] [two] EOF", "");
	p = fixture("empty.txt", "", 0);
	EXPECT_EVENTS(p, "EOF", "");
	p = fixture("onebyte.txt", "\x1f", 1); /* half a magic: plain */
	EXPECT_EVENTS(p, "[\x1f] EOF", "");
}

/* A UTF-8 byte order mark at the start is no part of the first line, in
 * the offsets too (they count from the file's first byte); elsewhere it is
 * text. */
static void test_bom(void)
{
	const char *text = "\xEF\xBB\xBF#Fields: a\nbb\n"; /* 3 + 10 + 3 bytes */
	struct input *in;
	struct slice s;
	const char *p = fixture("bom.txt", text, strlen(text));
	EXPECT_EVENTS(p, "[#Fields: a] [bb] EOF", "");
	EXPECT_EVENTS(gz_fixture("bom.gz", text), "[#Fields: a] [bb] EOF", "");
	CHECK_INT(input_open(&in, p), LF_OK);
	if (in) {
		CHECK_INT(input_peek(in, &s), LF_OK);
		CHECK(slice_eq(s, SLICE_LIT("#Fields: a\nbb\n")));
		CHECK_INT(input_next(in, &s), LF_OK);
		CHECK_INT(input_offset(in), 14);
		input_close(in);
	}
	CHECK_INT(input_open(&in, p), LF_OK); /* a resume point past line 1 */
	if (in) {
		CHECK_INT(input_skip_to(in, 14, 1), LF_OK);
		CHECK_INT(input_next(in, &s), LF_OK);
		CHECK(slice_eq(s, SLICE_LIT("bb")));
		CHECK_INT(input_offset(in), 17);
		input_close(in);
	}
	EXPECT_EVENTS(fixture("bom-only.txt", "\xEF\xBB\xBF", 3), "EOF", "");
	/* "\x62": 'b', which would be read as part of the hex escape */
	const char *late = "a\n\xEF\xBB\xBF\x62\n";
	EXPECT_EVENTS(fixture("bom-late.txt", late, 7), "[a] [\xEF\xBB\xBF\x62] EOF", "");
	EXPECT_EVENTS(fixture("bom-half.txt", "\xEF\xBBx\n", 4), "[\xEF\xBBx] EOF", "");
}

/* Offsets just past each line (newline included), numbers, raw bytes. */
static void check_offsets(const char *path, uint64_t raw)
{
	static const uint64_t want[] = { 2, 5, 6, 11, 12 };
	struct input *in;
	struct slice s;
	CHECK_INT(input_open(&in, path), LF_OK);
	if (!in)
		return;
	CHECK_INT(input_offset(in), 0);
	for (int i = 0; i < 5; i++) {
		CHECK_INT(input_next(in, &s), LF_OK);
		CHECK_INT(input_offset(in), want[i]);
		CHECK_INT(input_line_no(in), i + 1);
	}
	CHECK_INT(input_next(in, &s), LF_EOF);
	CHECK_INT(input_offset(in), 12);
	CHECK_INT(input_line_no(in), 5);
	CHECK_INT(input_raw_bytes(in), raw);
	input_close(in);
}

static void test_offsets(void)
{
	const char *text = "a\nbb\n\nccc\r\nz"; /* 12 bytes */
	check_offsets(fixture("off.txt", text, 12), 12);
	struct buf g = { 0 };
	gz_member(&g, text, 12);
	check_offsets(fixture("off.gz", g.p, g.n), g.n);
	free(g.p);
}

/* The limit counts the line without '\n' and one '\r'. */
static void test_line_limit(void)
{
	struct buf b = { 0 };
	buf_add(&b, "first\n", 6);
	for (size_t i = 0; i < LM; i++)
		buf_add(&b, "a", 1);
	buf_add(&b, "\n", 1);
	for (size_t i = 0; i < LM + 1; i++)
		buf_add(&b, "b", 1);
	buf_add(&b, "\nafter\n", 7);
	for (size_t i = 0; i < LM; i++)
		buf_add(&b, "c", 1);
	buf_add(&b, "\r\n", 2);
	for (size_t i = 0; i < 3 * BLK; i++) /* over several reads */
		buf_add(&b, "d", 1);
	buf_add(&b, "\nend", 4);
	const char *want = "[first] [65536*a] LIMIT@3 [after] [65536*c] "
			   "LIMIT@6 [end] EOF";
	EXPECT_EVENTS(fixture("limit.txt", b.p, b.n), want, "");
	struct buf g = { 0 };
	gz_member(&g, b.p, b.n);
	EXPECT_EVENTS(fixture("limit.gz", g.p, g.n), want, "");
	/* Over the limit as the last line, without newline: one byte over
	 * and two bytes over (the carry buffer holds one spare byte). */
	b.n = 0;
	for (size_t i = 0; i < LM + 1; i++)
		buf_add(&b, "e", 1);
	EXPECT_EVENTS(fixture("limit1.txt", b.p, b.n), "LIMIT@1 EOF", "");
	buf_add(&b, "e", 1);
	EXPECT_EVENTS(fixture("limit2.txt", b.p, b.n), "LIMIT@1 EOF", "");
	free(b.p);
	free(g.p);
}

/* Detection by content: a gzip named .txt, a plain file named .gz. */
static void test_gzip_by_magic(void)
{
	const char *text = "GET /\r\n\nlast";
	const char *want = "[GET /] [] [last] EOF";
	struct input *in;
	const char *p = gz_fixture("really-gzip.txt", text);
	EXPECT_EVENTS(p, want, "");
	CHECK_INT(input_open(&in, p), LF_OK);
	CHECK(in && input_is_gzip(in));
	CHECK(in && strcmp(input_name(in), p) == 0);
	input_close(in);
	p = fixture("really-plain.gz", text, strlen(text));
	EXPECT_EVENTS(p, want, "");
	CHECK_INT(input_open(&in, p), LF_OK);
	CHECK(in && !input_is_gzip(in));
	input_close(in);
	EXPECT_EVENTS(gz_fixture("empty.gz", ""), "EOF", "");
}

/* `cat a.gz b.gz`: bytes join across members, an empty member is fine. */
static void test_concatenated(void)
{
	struct buf g = { 0 };
	gz_member(&g, "a\nb", 3);
	gz_member(&g, "c\nd\n", 4);
	gz_member(&g, "", 0);
	gz_member(&g, "e", 1);
	EXPECT_EVENTS(fixture("cat.gz", g.p, g.n), "[a] [bc] [d] [e] EOF", "");
	free(g.p);
}

/* "a\nb\n" in one member, then damaged: byte n-8 is the CRC-32, n-1 the
 * length's top byte, byte 2 the method (8 = deflate). */
static void test_damaged_small(void)
{
	struct buf g = { 0 };
	gz_member(&g, "a\nb\n", 4);
	size_t n = g.n;
	g.p[n - 8] ^= 0xff;
	EXPECT_EVENTS(fixture("crc.gz", g.p, n), "[a] [b] CORRUPT EOF",
		      "incorrect data check");
	g.p[n - 8] ^= 0xff;
	g.p[n - 1] ^= 0x01;
	EXPECT_EVENTS(fixture("isize.gz", g.p, n), "[a] [b] CORRUPT EOF",
		      "incorrect length check");
	g.p[n - 1] ^= 0x01;
	g.p[2] = 7;
	EXPECT_EVENTS(fixture("method.gz", g.p, n), "CORRUPT EOF",
		      "unknown compression method");
	g.p[2] = 8;
	EXPECT_EVENTS(fixture("notrailer.gz", g.p, n - 4),
		      "[a] [b] CORRUPT EOF", "unexpected end of file");
	EXPECT_EVENTS(fixture("header.gz", g.p, 10), "CORRUPT EOF",
		      "unexpected end of file");
	/* After the member: zero padding is fine, anything else is not. */
	static const char zeros[600];
	buf_add(&g, zeros, sizeof(zeros));
	EXPECT_EVENTS(fixture("padded.gz", g.p, g.n), "[a] [b] EOF", "");
	buf_add(&g, "x", 1);
	EXPECT_EVENTS(fixture("padjunk.gz", g.p, g.n), "[a] [b] CORRUPT EOF",
		      "trailing garbage after gzip data");
	g.n = n;
	buf_add(&g, "junk\n", 5);
	EXPECT_EVENTS(fixture("junk.gz", g.p, g.n), "[a] [b] CORRUPT EOF",
		      "trailing garbage after gzip data");
	g.n = n + 1; /* half a magic after the member */
	g.p[n] = 0x1f;
	EXPECT_EVENTS(fixture("half.gz", g.p, g.n), "[a] [b] CORRUPT EOF",
		      "trailing garbage after gzip data");
	free(g.p);
}

/* The first member ends one byte before 2 MiB, so the second one's magic
 * is split between two 1 MiB reads: 1f at the end of one, 8b at the start
 * of the next. A long file name in the header sets the member's size. */
static void test_split_magic(void)
{
	struct buf g = { 0 };
	gz_member(&g, "a\n", 2);
	size_t bare = g.n, want = 2 * BLK - 1;
	size_t len = want - bare - 1; /* the name and its NUL */
	char *name = malloc(len + 1);
	if (!name)
		abort();
	memset(name, 'n', len);
	name[len] = 0;
	g.n = 0;
	gz_named(&g, "a\n", 2, name);
	free(name);
	CHECK_INT(g.n, want);
	gz_member(&g, "b\n", 2);
	CHECK_INT(g.p[want], 0x1f);
	EXPECT_EVENTS(fixture("split-magic.gz", g.p, g.n), "[a] [b] EOF", "");
	free(g.p);
}

/* The file `name` made by the shell command cmd (a filter from text to the
 * file), e.g. "zstd -q -c": the zstd, xz and bzip2 commands (DEB_CHECK)
 * make the fixtures, independent of the libraries that read them
 * (tests/unit/test_codec.c tests those further). */
static const char *cmd_fixture(const char *name, const char *cmd, const char *text)
{
	char src[64], line[1024];
	snprintf(src, sizeof(src), "%s.src", name);
	const char *in = fixture(src, text, strlen(text));
	char in_path[320];
	snprintf(in_path, sizeof(in_path), "%s", in);
	const char *out = fixture(name, "", 0);
	snprintf(line, sizeof(line), "(%s) < '%s' > '%s'", cmd, in_path, out);
	CHECK_INT(system(line), 0);
	return out;
}

/* zstd, xz and bzip2 as gzip: by magic, whatever the name; lines as from
 * the plain text; their name for messages. */
static void test_other_compressions(void)
{
	static const struct {
		const char *cmd, *name;
	} cz[] = { { "zstd -q -c", "zstd" }, { "xz -q -c", "xz" }, { "bzip2 -q -c", "bzip2" } };
	const char *text = "GET /\r\n\nlast";
	for (size_t i = 0; i < sizeof(cz) / sizeof(cz[0]); i++) {
		char name[32];
		snprintf(name, sizeof(name), "really-%s.txt", cz[i].name);
		const char *p = cmd_fixture(name, cz[i].cmd, text);
		EXPECT_EVENTS(p, "[GET /] [] [last] EOF", "");
		struct input *in;
		CHECK_INT(input_open(&in, p), LF_OK);
		CHECK(in && !input_is_gzip(in));
		CHECK(in && strcmp(input_codec_name(in), cz[i].name) == 0);
		input_close(in);
		/* cut before its end: the good lines, then the damage */
		snprintf(name, sizeof(name), "cut-%s", cz[i].name);
		char cmd[64];
		snprintf(cmd, sizeof(cmd), "%s | head -c -1", cz[i].cmd);
		EXPECT_EVENTS(cmd_fixture(name, cmd, "a\nb\n"), "[a] [b] CORRUPT EOF",
			      "unexpected end of file");
	}
	struct input *in;
	CHECK_INT(input_open(&in, fixture("plain.log", "x\n", 2)), LF_OK);
	CHECK(in && strcmp(input_codec_name(in), "") == 0);
	input_close(in);
}

/* A compression logfold does not read: no line, LF_ERR_FORMAT naming it at
 * once, and peek shows nothing (never the compressed bytes as text). */
static void test_refused(void)
{
	static const struct {
		const char *bytes;
		size_t n;
		const char *why;
	} rf[] = {
		{ "\x04\x22\x4d\x18\x64\x40\xa7GET /\n", 13,
		  "lz4-compressed, which logfold does not read" },
		{ "PK\x03\x04\x14\x00GET /\n", 12, "zip-compressed, which logfold does not read" },
		{ "7z\xbc\xaf\x27\x1c\x00\x04GET /\n", 14,
		  "7z-compressed, which logfold does not read" },
	};
	for (size_t i = 0; i < sizeof(rf) / sizeof(rf[0]); i++) {
		char name[32];
		snprintf(name, sizeof(name), "refused%zu.log", i);
		const char *p = fixture(name, rf[i].bytes, rf[i].n);
		EXPECT_EVENTS(p, "FORMAT EOF", rf[i].why);
		struct input *in;
		struct slice s;
		CHECK_INT(input_open(&in, p), LF_OK);
		if (!in)
			continue;
		CHECK_INT(input_peek(in, &s), LF_OK);
		CHECK_INT(s.n, 0);
		CHECK_INT(input_next(in, &s), LF_ERR_FORMAT);
		CHECK_INT(input_line_no(in), 0);
		CHECK_INT(input_next(in, &s), LF_EOF);
		input_close(in);
	}
}

static void test_open_errors(void)
{
	static int dummy;
	struct input *in = (struct input *)(void *)&dummy; /* reset to NULL */
	errno = 0;
	CHECK_INT(input_open(&in, "/nonexistent/lf/x.log"), LF_ERR_IO);
	CHECK_INT(errno, ENOENT);
	CHECK(in == NULL);
	errno = 0;
	CHECK_INT(input_open(&in, "/"), LF_ERR_IO);
	CHECK_INT(errno, EISDIR);
	CHECK(in == NULL);
}

/* ---- the big fixture: every line recorded as it is written ----------- */

struct rec {
	size_t len;   /* what input_next must return: no '\r', no '\n' */
	uint64_t end; /* offset just past the line's newline */
};

struct big {
	struct buf text;
	struct rec *r;
	size_t nr, capr;
};

/* Byte k of line i depends on both, so that a byte lost, doubled or moved
 * at a boundary, or a line out of order, shows. Every fourth byte is a hash:
 * the gzip is then several MiB, so that it too is read in several pieces. */
static char line_byte(size_t i, size_t k)
{
	if (k % 4)
		return (char)('a' + (i * 7 + k) % 26);
	uint32_t x = (uint32_t)(i * 0x9e3779b1u + k);
	x ^= x >> 15;
	x *= 0x2c1b3c6du;
	x ^= x >> 12;
	return (char)('a' + x % 26);
}

static void add_line(struct big *b, size_t len, bool cr, bool nl)
{
	char piece[4096];
	size_t i = b->nr, k = 0;
	while (k < len) {
		size_t m = 0;
		for (; m < sizeof(piece) && k < len; m++, k++)
			piece[m] = line_byte(i, k);
		buf_add(&b->text, piece, m);
	}
	if (cr)
		buf_add(&b->text, "\r", 1);
	if (nl)
		buf_add(&b->text, "\n", 1);
	if (b->nr == b->capr) {
		b->capr = b->capr ? 2 * b->capr : 1024;
		b->r = realloc(b->r, b->capr * sizeof(*b->r));
		if (!b->r)
			abort();
	}
	b->r[b->nr++] = (struct rec){ len, b->text.n };
}

/* Lines of up to 1000 bytes until the text is exactly `target` long. */
static void pad_to(struct big *b, size_t target)
{
	while (b->text.n < target) {
		size_t room = target - b->text.n;
		add_line(b, room <= 1000 ? room - 1 : 999, false, true);
	}
}

static uint64_t rng_next(uint64_t *s) /* xorshift64 */
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* Mostly log-sized lines; now and then a long one, one of exactly the
 * limit, one just over, one far over; every seventh line CRLF. */
static void add_random(struct big *b, size_t lines)
{
	uint64_t s = 0x9e3779b97f4a7c15u;
	for (size_t j = 0; j < lines; j++) {
		uint64_t h = rng_next(&s);
		size_t len = (size_t)(h >> 32) % 400;
		switch (h % 2000) {
		case 0: len = LM; break;
		case 1: len = LM + 1; break;
		case 2: len = 3 * LM + (size_t)(h >> 40) % 1000; break;
		case 3: case 4: case 5: case 6: case 7:
			len = 40000 + (size_t)(h >> 40) % 20000;
			break;
		}
		add_line(b, len, (h >> 16) % 7 == 0, true);
	}
}

/* Lines placed across multiples of BLK, then random lines, then a last
 * line of exactly the limit without newline. About 18 MB. */
static void make_big(struct big *b)
{
	memset(b, 0, sizeof(*b));
	pad_to(b, BLK - 1000);
	add_line(b, LM, false, true);      /* the limit, across BLK */
	pad_to(b, 2 * BLK - 5);
	add_line(b, LM + 1, false, true);  /* one over, across 2 BLK */
	add_line(b, 10, false, true);
	pad_to(b, 3 * BLK - 1);
	add_line(b, 1, false, true);       /* 1 byte, then '\n' at 3 BLK */
	pad_to(b, 4 * BLK - 11);
	add_line(b, 10, false, true);      /* '\n' is the block's last byte */
	add_line(b, 5, false, true);
	pad_to(b, 5 * BLK - 11);
	add_line(b, 10, true, true);       /* '\r' | '\n' across 5 BLK */
	pad_to(b, 6 * BLK - LM - 1);
	add_line(b, LM, true, true);       /* limit + '\r' | '\n' at 6 BLK */
	pad_to(b, 6 * BLK + 100);
	add_line(b, 3 * BLK, false, true); /* over several blocks */
	add_line(b, 20, false, true);
	add_random(b, 20000);
	add_line(b, LM, false, false);
}

struct seen {
	size_t events, bad, first_bad;
	enum lf_status end;
};

/* Does the event for record i match what was written? */
static bool matches(const struct big *b, size_t i, enum lf_status st,
		    struct slice s, const struct input *in)
{
	const struct rec *r = &b->r[i];
	if (input_line_no(in) != i + 1)
		return false;
	if (st == LF_ERR_LIMIT)
		return r->len > LM;
	if (r->len > LM || s.n != r->len || input_offset(in) != r->end)
		return false;
	for (size_t k = 0; k < s.n; k++)
		if (s.p[k] != line_byte(i, k))
			return false;
	return true;
}

/* Read to the end, comparing every line with the record from line start. */
static struct seen verify_from(struct input *in, const struct big *b, size_t start)
{
	struct seen v = { 0, 0, (size_t)-1, LF_OK };
	struct slice s;
	for (;;) {
		enum lf_status st = input_next(in, &s);
		if (st != LF_OK && st != LF_ERR_LIMIT) {
			v.end = st;
			return v;
		}
		size_t i = start + v.events++;
		if (i < b->nr && matches(b, i, st, s, in))
			continue;
		if (v.bad++ == 0)
			v.first_bad = i;
	}
}

static struct seen verify(struct input *in, const struct big *b)
{
	return verify_from(in, b, 0);
}

/* Open path, read it all, expect the whole record and a clean end. */
static void expect_big(const char *path, const struct big *b, uint64_t raw)
{
	struct input *in;
	struct slice s;
	CHECK_INT(input_open(&in, path), LF_OK);
	if (!in)
		return;
	struct seen v = verify(in, b);
	CHECK_INT(v.end, LF_EOF);
	CHECK_INT(v.events, b->nr);
	CHECK_INT(v.bad, 0);
	CHECK_INT(input_offset(in), b->text.n);
	CHECK_INT(input_raw_bytes(in), raw);
	CHECK_INT(input_next(in, &s), LF_EOF);
	CHECK_STR(input_error(in), "");
	input_close(in);
}

static struct big big;
static struct buf big_gz, big3; /* one member; three members */
static const char *big_path, *big_gz_path;

static void test_big_plain_and_gzip(void)
{
	make_big(&big);
	CHECK(big.text.n > 6 * BLK + 3 * BLK);
	gz_member(&big_gz, big.text.p, big.text.n);
	CHECK(big_gz.n > 2 * BLK); /* several reads of compressed input too */
	big_path = fixture("big.log", big.text.p, big.text.n);
	big_gz_path = fixture("big.log.gz", big_gz.p, big_gz.n);
	expect_big(big_path, &big, big.text.n);
	expect_big(big_gz_path, &big, big_gz.n);
}

/* Whether line i of b, cut from a span as input_next cuts it (without
 * its '\n' and one '\r'; too long past the limit), is what was written. */
static bool span_line_matches(const struct big *b, size_t i, struct slice l)
{
	if (i >= b->nr)
		return false;
	if (l.n && l.p[l.n - 1] == '\r')
		l.n--;
	if (l.n > LM)
		return b->r[i].len > LM;
	if (l.n != b->r[i].len)
		return false;
	for (size_t k = 0; k < l.n; k++)
		if (l.p[k] != line_byte(i, k))
			return false;
	return true;
}

/* Read path taking whole lines by input_span and input_take where it
 * offers them (at most max bytes, cycling through sizes from 1 byte to
 * the read buffer, and 1, 3 or all of its lines), else by input_next:
 * every line comes once, in order, with the numbers and offsets of
 * input_next alone. */
static void expect_spans(const char *path, const struct big *b)
{
	static const size_t maxes[] = { 1, 50, 1000, 100000, BLK, 3 * LM };
	struct input *in;
	struct slice s;
	size_t next = 0, bad = 0, spans = 0, round = 0; /* spans: lines so taken */
	CHECK_INT(input_open(&in, path), LF_OK);
	if (!in)
		return;
	for (;; round++) {
		struct slice span = input_span(in, maxes[round % 6]);
		if (span.n) {
			CHECK(span.p[span.n - 1] == '\n');
			size_t want = round % 3 == 0 ? 1 : round % 3 == 1 ? 3 : SIZE_MAX;
			size_t k = 0, at = 0;
			while (at < span.n && k < want) {
				const char *nl = memchr(span.p + at, '\n', span.n - at);
				size_t n = (size_t)(nl - (span.p + at));
				bad += !span_line_matches(b, next + k, slice_make(span.p + at, n));
				at += n + 1;
				k++;
			}
			input_take(in, at, k);
			next += k;
			spans += k;
			bad += input_line_no(in) != next || input_offset(in) != b->r[next - 1].end;
			continue;
		}
		enum lf_status st = input_next(in, &s);
		if (st != LF_OK && st != LF_ERR_LIMIT) {
			CHECK_INT(st, LF_EOF);
			break;
		}
		bad += next >= b->nr || !matches(b, next, st, s, in);
		next++;
	}
	CHECK_INT(next, b->nr);
	CHECK_INT(bad, 0);
	CHECK(spans > b->nr / 2); /* most lines came in spans */
	input_close(in);
}

static void test_spans(void)
{
	expect_spans(big_path, &big);
	expect_spans(big_gz_path, &big);
	/* nothing whole in memory: a line carried across a read, none left */
	struct input *in;
	struct slice s;
	CHECK_INT(input_open(&in, fixture("span.txt", "ab\ncd", 5)), LF_OK);
	if (!in)
		return;
	CHECK_INT(input_span(in, BLK).n, 0); /* nothing read yet */
	CHECK_INT(input_next(in, &s), LF_OK);
	CHECK_INT(input_span(in, BLK).n, 0); /* "cd" has no newline */
	CHECK_INT(input_next(in, &s), LF_OK);
	CHECK_INT(input_line_no(in), 2);
	CHECK_INT(input_span(in, BLK).n, 0);
	CHECK_INT(input_next(in, &s), LF_EOF);
	input_close(in);
}

/* The big text cut in three members at arbitrary places, mid-line. */
static void test_big_members(void)
{
	size_t a = big.text.n / 3 + 17, c = 2 * big.text.n / 3 + 5;
	gz_member(&big3, big.text.p, a);
	gz_member(&big3, big.text.p + a, c - a);
	gz_member(&big3, big.text.p + c, big.text.n - c);
	expect_big(fixture("big3.gz", big3.p, big3.n), &big, big3.n);
}

/* Cut the .gz in half: the lines an independent inflate recovers whole
 * come back, then LF_ERR_CORRUPT once, then LF_EOF. */
static void test_truncated(void)
{
	size_t cut = big_gz.n / 2;
	size_t got = inflated_size(big_gz.p, cut);
	size_t k = 0;
	while (k < big.nr && big.r[k].end <= got)
		k++;
	CHECK(k > 0 && k < big.nr);
	struct input *in;
	struct slice s;
	CHECK_INT(input_open(&in, fixture("cut.gz", big_gz.p, cut)), LF_OK);
	if (!in)
		return;
	struct seen v = verify(in, &big);
	CHECK_INT(v.end, LF_ERR_CORRUPT);
	CHECK_STR(input_error(in), "unexpected end of file");
	/* An over-long line cut by the damage may already have been reported
	 * as LF_ERR_LIMIT: that is the one case with one more event. */
	if (v.events == k + 1 && big.r[k].len > LM)
		v.events = k;
	CHECK_INT(v.events, k);
	CHECK_INT(v.bad, 0);
	CHECK_INT(input_next(in, &s), LF_EOF);
	CHECK_INT(input_next(in, &s), LF_EOF);
	input_close(in);
}

/* Flip bytes in the middle of the compressed data. What inflate makes of
 * the damaged part cannot be predicted; the first lines come from intact
 * data at the start, and the end is LF_ERR_CORRUPT once, then LF_EOF. */
static void test_corrupt(void)
{
	struct buf g = { 0 };
	buf_add(&g, big_gz.p, big_gz.n);
	for (size_t i = 0; i < 16; i++)
		g.p[g.n / 2 + i] ^= 0x55;
	struct input *in;
	struct slice s;
	CHECK_INT(input_open(&in, fixture("flip.gz", g.p, g.n)), LF_OK);
	free(g.p);
	if (!in)
		return;
	struct seen v = verify(in, &big);
	CHECK_INT(v.end, LF_ERR_CORRUPT);
	CHECK(v.first_bad >= 100);
	CHECK(v.events < big.nr);
	CHECK(input_error(in)[0] != 0);
	CHECK_INT(input_next(in, &s), LF_EOF);
	input_close(in);
}

/* ---- stdin ----------------------------------------------------------- */

/* Put a pipe on fd 0, fed by a child that writes p[0..n) in pieces of 7777
 * bytes (so our reads come back short), then, when hold is given, waits for
 * the pipe hold[] to close before it exits. *saved keeps the old fd 0. */
static pid_t stdin_pipe(const void *p, size_t n, int *saved, const int *hold)
{
	int fds[2];
	CHECK(pipe(fds) == 0);
	pid_t pid = fork();
	if (pid == 0) {
		close(fds[0]);
		if (hold)
			close(hold[1]);
		for (size_t o = 0; o < n;) {
			ssize_t w = write(fds[1], (const char *)p + o,
					  n - o < 7777 ? n - o : 7777);
			if (w <= 0)
				_exit(1);
			o += (size_t)w;
		}
		char c;
		while (hold && read(hold[0], &c, 1) > 0)
			;
		_exit(0);
	}
	CHECK(pid > 0);
	close(fds[1]);
	*saved = dup(0);
	CHECK(dup2(fds[0], 0) == 0);
	close(fds[0]);
	return pid;
}

static void stdin_file(const char *path, int *saved)
{
	int fd = open(path, O_RDONLY);
	CHECK(fd >= 0);
	*saved = dup(0);
	CHECK(dup2(fd, 0) == 0);
	close(fd);
}

static void stdin_restore(int saved, pid_t pid)
{
	CHECK(dup2(saved, 0) == 0);
	close(saved);
	if (pid > 0)
		CHECK(waitpid(pid, NULL, 0) == pid);
}

static void test_stdin(void)
{
	int saved;
	pid_t pid = stdin_pipe(big.text.p, big.text.n, &saved, NULL);
	expect_big("-", &big, big.text.n);
	stdin_restore(saved, pid);
	pid = stdin_pipe(big_gz.p, big_gz.n, &saved, NULL);
	expect_big("-", &big, big_gz.n);
	stdin_restore(saved, pid);
	pid = stdin_pipe(big3.p, big3.n, &saved, NULL);
	expect_big("-", &big, big3.n);
	stdin_restore(saved, pid);
	stdin_file(fixture("big2.gz", big_gz.p, big_gz.n), &saved);
	expect_big("-", &big, big_gz.n);
	struct input *in;
	CHECK_INT(input_open(&in, "-"), LF_OK);
	CHECK(in && strcmp(input_name(in), "(stdin)") == 0);
	input_close(in);
	stdin_restore(saved, 0);
	stdin_file(fixture("plain-stdin.txt", "a\r\nb", 4), &saved);
	EXPECT_EVENTS("-", "[a] [b] EOF", "");
	stdin_restore(saved, 0);
}

/* ---- peek and closing early ------------------------------------------ */

/* Peek shows the start; the first line still comes first afterwards. */
static void check_peek(const char *path, const void *start, size_t n,
		       size_t first_len)
{
	struct input *in;
	struct slice s;
	CHECK_INT(input_open(&in, path), LF_OK);
	if (!in)
		return;
	CHECK_INT(input_peek(in, &s), LF_OK);
	CHECK(s.n == n && memcmp(s.p, start, n) == 0);
	CHECK_INT(input_peek(in, &s), LF_OK); /* twice is the same */
	CHECK(s.n == n && memcmp(s.p, start, n) == 0);
	CHECK_INT(input_offset(in), 0);
	CHECK_INT(input_next(in, &s), LF_OK);
	CHECK(s.n == first_len && memcmp(s.p, start, first_len) == 0);
	CHECK_INT(input_line_no(in), 1);
	CHECK_INT(input_peek(in, &s), LF_ERR_USAGE); /* too late */
	input_close(in);
}

static void test_peek(void)
{
	const char *t = "first line\nsecond\n";
	check_peek(fixture("peek.txt", t, strlen(t)), t, strlen(t), 10);
	check_peek(gz_fixture("peek.gz", t), t, strlen(t), 10);
	/* Big input: exactly INPUT_PEEK_MAX bytes, also from a pipe. */
	size_t first = big.r[0].len;
	check_peek(big_path, big.text.p, INPUT_PEEK_MAX, first);
	int saved;
	pid_t pid = stdin_pipe(big.text.p, 3 * INPUT_PEEK_MAX, &saved, NULL);
	check_peek("-", big.text.p, INPUT_PEEK_MAX, first);
	stdin_restore(saved, pid);
	pid = stdin_pipe(big_gz.p, big_gz.n, &saved, NULL);
	check_peek("-", big.text.p, INPUT_PEEK_MAX, first);
	stdin_restore(saved, pid);
	struct input *in;
	struct slice s;
	CHECK_INT(input_open(&in, gz_fixture("peek-empty.gz", "")), LF_OK);
	CHECK_INT(input_peek(in, &s), LF_OK);
	CHECK_INT(s.n, 0);
	CHECK_INT(input_next(in, &s), LF_EOF);
	input_close(in);
	/* Damage is left to input_next: peek shows the good bytes before it
	 * (here all 4, the length field is missing), then come the lines. */
	struct buf g = { 0 };
	gz_member(&g, "a\nb\n", 4);
	CHECK_INT(input_open(&in, fixture("peek-cut.gz", g.p, g.n - 4)), LF_OK);
	free(g.p);
	CHECK_INT(input_peek(in, &s), LF_OK);
	CHECK_MEM(s.p, s.n, "a\nb\n");
	char ev[128];
	events(in, ev, sizeof(ev));
	CHECK_STR(ev, "[a] [b] CORRUPT EOF");
	input_close(in);
}

/* Close while the helper thread is busy, waits for a free block, or waits
 * in read(2) on a pipe whose writer has gone quiet: close must return. */
static void test_early_close(void)
{
	const char *gz = big_gz_path;
	struct input *in;
	struct slice s;
	CHECK_INT(input_open(&in, gz), LF_OK);
	input_close(in);
	CHECK_INT(input_open(&in, gz), LF_OK);
	CHECK_INT(input_peek(in, &s), LF_OK);
	input_close(in);
	CHECK_INT(input_open(&in, gz), LF_OK);
	CHECK_INT(input_next(in, &s), LF_OK);
	usleep(50000); /* let the helper fill the ring and wait */
	input_close(in);
	int hold[2], saved;
	CHECK(pipe(hold) == 0);
	pid_t pid = stdin_pipe(big_gz.p, 4096, &saved, hold);
	close(hold[0]);
	alarm(20); /* a hang here kills the test: SIGALRM */
	CHECK_INT(input_open(&in, "-"), LF_OK);
	CHECK(in && input_is_gzip(in));
	usleep(50000); /* the helper is now blocked waiting for input */
	input_close(in);
	alarm(0);
	close(hold[1]);
	stdin_restore(saved, pid);
}

/* Resume at the start of line i (0-based) of the big fixture, after a peek
 * as a run does: every later line comes out whole, numbered on. */
static void expect_skip(const char *path, size_t i)
{
	struct input *in;
	struct slice start;
	uint64_t offset = i ? big.r[i - 1].end : 0;
	CHECK_INT(input_open(&in, path), LF_OK);
	if (!in)
		return;
	CHECK_INT(input_peek(in, &start), LF_OK);
	CHECK_INT(input_skip_to(in, offset, i), LF_OK);
	CHECK_INT(input_offset(in), offset);
	struct seen v = verify_from(in, &big, i);
	CHECK_INT(v.end, LF_EOF);
	CHECK_INT(v.events, big.nr - i);
	CHECK_INT(v.bad, 0);
	input_close(in);
}

static void test_skip_to(void)
{
	/* the first line, one inside the first block, the lines around the
	 * block boundaries of make_big, one far into the random part, the last */
	size_t at[] = { 0, 3, 0, 0, 0, big.nr / 2, big.nr - 1 };
	for (size_t i = 0; i < big.nr && !at[2]; i++)
		if (big.r[i].end > BLK) /* the line across the first boundary */
			at[2] = i;
	for (size_t i = 0; i < big.nr && !at[3]; i++)
		if (big.r[i].end > 4 * BLK - 11)
			at[3] = i + 1; /* starts right after a block's last '\n' */
	for (size_t i = 0; i < big.nr && !at[4]; i++)
		if (big.r[i].end > 6 * BLK + 100)
			at[4] = i; /* the line over several blocks */
	for (size_t k = 0; k < sizeof(at) / sizeof(at[0]); k++) {
		expect_skip(big_path, at[k]);
		expect_skip(big_gz_path, at[k]);
	}
	/* past the end: nothing to read */
	struct input *in;
	struct slice s;
	CHECK_INT(input_open(&in, big_gz_path), LF_OK);
	CHECK_INT(input_skip_to(in, big.text.n + 1, 1), LF_EOF);
	CHECK_INT(input_next(in, &s), LF_EOF);
	input_close(in);
	/* only before the first line */
	CHECK_INT(input_open(&in, big_path), LF_OK);
	CHECK_INT(input_next(in, &s), LF_OK);
	CHECK_INT(input_skip_to(in, 0, 0), LF_ERR_USAGE);
	input_close(in);
}

/* The end is known without reading from a plain file's size and a gzip
 * file's trailer; never from a pipe. */
static void test_at_end(void)
{
	struct input *in;
	CHECK_INT(input_open(&in, big_path), LF_OK);
	CHECK(input_at_end(in, big.text.n));
	CHECK(!input_at_end(in, big.text.n - 1));
	input_close(in);
	CHECK_INT(input_open(&in, big_gz_path), LF_OK);
	CHECK(input_at_end(in, big.text.n));
	CHECK(!input_at_end(in, big.text.n + 1));
	input_close(in);
	int saved;
	stdin_file(big_path, &saved);
	CHECK_INT(input_open(&in, "-"), LF_OK);
	CHECK(!input_at_end(in, big.text.n));
	input_close(in);
	stdin_restore(saved, 0);
}

/* Remove the fixtures and free what the tests kept. */
static void test_cleanup(void)
{
	for (int i = 0; i < nmade; i++)
		CHECK(unlink(made[i]) == 0);
	CHECK(!fixture_dir[0] || rmdir(fixture_dir) == 0);
	CHECK_INT(count_fds(), fds_at_start);
	free(big.text.p);
	free(big.r);
	free(big_gz.p);
	free(big3.p);
}

TEST_MAIN(test_plain_lines, test_bom, test_offsets, test_line_limit, test_gzip_by_magic,
	  test_concatenated, test_damaged_small, test_split_magic, test_other_compressions,
	  test_refused, test_open_errors, test_big_plain_and_gzip, test_spans, test_big_members,
	  test_truncated, test_corrupt, test_skip_to, test_at_end, test_stdin, test_peek,
	  test_early_close, test_cleanup)
