/*
 * test_codec.c - unit tests for parsers/input's codecs and decoder: every
 * implementation in the table (gzip by zlib and, when built, by ISA-L;
 * zstd, xz, bzip2), each on a good, concatenated, padded, truncated and
 * corrupt input, from a file and from a pipe, through the decoder thread;
 * and each codec's step alone, fed a byte or a few at a time. The fixtures
 * are made at run time by the gzip, zstd, xz and bzip2 commands (Debian's:
 * DEB_CHECK), independent of the libraries under test; the expected output
 * is the text the test wrote, or a prefix of it where damage ends a stream.
 */
#include "harness.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../parsers/input/codec.h"
#include "../../parsers/input/decoder.h"
#include "../../parsers/input/input.h"
#include "fixture.h"

/* ---- buffers and files ----------------------------------------------- */

static const char *tmp_path(const char *name)
{
	static char path[FIXTURE_PATH_MAX];
	fixture_path(path, "codec", name);
	return path;
}

static void write_file(const char *path, const void *p, size_t n)
{
	FILE *f = fopen(path, "wb");
	if (!f || (n && fwrite(p, 1, n, f) != n) || fclose(f) != 0)
		abort();
}

static void read_file(const char *path, struct buf *out)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		abort();
	char piece[65536];
	size_t k;
	while ((k = fread(piece, 1, sizeof(piece), f)) > 0)
		buf_add(out, piece, k);
	fclose(f);
}

/* The command that makes a stream of the codec's format. */
static const char *cli(const struct codec *c)
{
	if (strcmp(c->name, "gzip") == 0)
		return "gzip -n -c";
	if (strcmp(c->name, "zstd") == 0)
		return "zstd -q -c";
	if (strcmp(c->name, "xz") == 0)
		return "xz -q -c -T1 -3";
	return "bzip2 -q -c";
}

/* What each command made of which bytes: gzip's two readers share their
 * fixtures, and each big fixture is made once. */
static struct made {
	const char *cmd;
	const void *p;
	size_t n;
	struct buf z;
} fixtures[64];
static size_t nmade;

static void compress_run(const char *cmd, const void *p, size_t n, struct buf *out);

/* p[0..n) compressed by the command cmd, appended to out. */
static void compress_with(const char *cmd, const void *p, size_t n, struct buf *out)
{
	for (size_t i = 0; i < nmade; i++)
		if (fixtures[i].cmd == cmd && fixtures[i].p == p && fixtures[i].n == n) {
			buf_add(out, fixtures[i].z.p, fixtures[i].z.n);
			return;
		}
	struct buf z = { 0 };
	compress_run(cmd, p, n, &z);
	buf_add(out, z.p, z.n);
	if (nmade < sizeof(fixtures) / sizeof(fixtures[0]))
		fixtures[nmade++] = (struct made){ cmd, p, n, z };
	else
		free(z.p);
}

static void compress_run(const char *cmd, const void *p, size_t n, struct buf *out)
{
	char in[512], res[512], line[1200];
	snprintf(in, sizeof(in), "%s", tmp_path("in"));
	snprintf(res, sizeof(res), "%s", tmp_path("out"));
	write_file(in, p, n);
	snprintf(line, sizeof(line), "(%s) < '%s' > '%s'", cmd, in, res);
	if (system(line) != 0) {
		fprintf(stderr, "failed: %s\n", line);
		abort();
	}
	read_file(res, out);
	unlink(in);
	unlink(res);
}

static void compress(const struct codec *c, const void *p, size_t n, struct buf *out)
{
	compress_with(cli(c), p, n, out);
}

/* ---- the text -------------------------------------------------------- */

static uint64_t rng_next(uint64_t *s) /* splitmix64 */
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15u);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

/* Lines of 0 to 299 random letters, about n bytes: random enough that every
 * codec's output is over 1 MiB for 3 MiB of text, so that it is read in
 * several pieces. */
static void make_text(struct buf *t, size_t n, uint64_t seed)
{
	char line[320];
	while (t->n < n) {
		size_t len = (size_t)(rng_next(&seed) % 300);
		for (size_t k = 0; k < len; k++)
			line[k] = (char)('a' + rng_next(&seed) % 26);
		line[len] = '\n';
		buf_add(t, line, len + 1);
	}
}

static struct buf text;   /* ~3 MiB */
static struct buf small;  /* a few lines */

/* ---- decoding through the decoder thread ----------------------------- */

struct result {
	enum lf_status st;
	struct buf out;
	char why[128];
	uint64_t raw;
};

/* Decode fd with c to its end; blocks never exceed DECODER_BLOCK. */
static void decode_fd(const struct codec *c, int fd, struct result *r)
{
	char *rbuf = malloc((size_t)1 << 20);
	struct decoder *d;
	memset(r, 0, sizeof(*r));
	if (!rbuf)
		abort();
	r->st = decoder_open(&d, c, fd, -1, rbuf, (size_t)1 << 20, 0);
	CHECK_INT(r->st, LF_OK);
	if (r->st != LF_OK) {
		free(rbuf);
		return;
	}
	struct decoder_block b;
	do {
		decoder_next(d, &b);
		CHECK(b.n <= DECODER_BLOCK);
		buf_add(&r->out, b.data, b.n);
	} while (b.st == LF_OK);
	r->st = b.st;
	r->raw = b.raw;
	snprintf(r->why, sizeof(r->why), "%s", b.why);
	decoder_close(d);
	free(rbuf);
}

static void decode_bytes(const struct codec *c, const struct buf *z, struct result *r)
{
	const char *path = tmp_path("z");
	write_file(path, z->p, z->n);
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		abort();
	decode_fd(c, fd, r);
	close(fd);
	unlink(path);
}

/* The decoded bytes are exactly want[0..n). */
static bool same(const struct result *r, const void *want, size_t n)
{
	return r->out.n == n && (n == 0 || memcmp(r->out.p, want, n) == 0);
}

/* The decoded bytes are a prefix of want[0..n) of at least least bytes. */
static bool prefix(const struct result *r, const void *want, size_t n, size_t least)
{
	return r->out.n >= least && r->out.n <= n &&
	       (r->out.n == 0 || memcmp(r->out.p, want, r->out.n) == 0);
}

#define EXPECT(c, z, st_, why_, cond)                                          \
	do {                                                                   \
		struct result r_;                                              \
		decode_bytes((c), (z), &r_);                                   \
		CHECK_INT(r_.st, (st_));                                       \
		CHECK_STR(r_.why, (why_));                                     \
		const struct result *r = &r_;                                  \
		if (!(cond))                                                   \
			fprintf(stderr, "  (%s/%s: %zu bytes out)\n",          \
				(c)->name, (c)->library, r_.out.n);            \
		CHECK(cond);                                                   \
		free(r_.out.p);                                                \
	} while (0)

/* ---- per codec -------------------------------------------------------- */

static void test_good(const struct codec *c)
{
	struct buf z = { 0 };
	compress(c, text.p, text.n, &z);
	CHECK(z.n > ((size_t)1 << 20)); /* read in several pieces */
	struct result res;
	decode_bytes(c, &z, &res);
	CHECK_INT(res.st, LF_EOF);
	CHECK(same(&res, text.p, text.n));
	CHECK_INT(res.raw, z.n);
	free(res.out.p);
	z.n = 0;
	compress(c, "", 0, &z); /* an empty stream: nothing, cleanly */
	EXPECT(c, &z, LF_EOF, "", r->out.n == 0);
	free(z.p);
}

/* Three streams cut mid-line, then an empty one: read whole. */
static void test_concatenated(const struct codec *c)
{
	struct buf z = { 0 };
	size_t a = text.n / 3 + 17, b = 2 * text.n / 3 + 5;
	compress(c, text.p, a, &z);
	compress(c, text.p + a, b - a, &z);
	compress(c, text.p + b, text.n - b, &z);
	compress(c, "", 0, &z);
	EXPECT(c, &z, LF_EOF, "", same(r, text.p, text.n));
	free(z.p);
}

/* After the last stream: zeros are padding; anything else is garbage, all
 * the data before it handed out. A stream after padding is garbage too,
 * except for xz, whose format has stream padding. */
static void test_after(const struct codec *c)
{
	static const unsigned char zeros[600];
	char garbage[64];
	snprintf(garbage, sizeof(garbage), "trailing garbage after %s data", c->name);
	struct buf z = { 0 }, first = { 0 };
	compress(c, small.p, small.n, &first);
	size_t one = first.n;
	buf_add(&z, first.p, one);
	buf_add(&z, zeros, sizeof(zeros));
	EXPECT(c, &z, LF_EOF, "", same(r, small.p, small.n));
	buf_add(&z, "x", 1);
	EXPECT(c, &z, LF_ERR_CORRUPT, garbage, same(r, small.p, small.n));
	z.n = one;
	buf_add(&z, "junk\n", 5);
	EXPECT(c, &z, LF_ERR_CORRUPT, garbage, same(r, small.p, small.n));
	z.n = one;
	buf_add(&z, first.p, 1); /* the magic's first byte alone */
	EXPECT(c, &z, LF_ERR_CORRUPT, garbage, same(r, small.p, small.n));
	z.n = one;
	buf_add(&z, zeros, 8); /* 8: a multiple of 4, as xz wants it */
	buf_add(&z, first.p, one);
	if (c->padding_between) {
		struct buf twice = { 0 };
		buf_add(&twice, small.p, small.n);
		buf_add(&twice, small.p, small.n);
		EXPECT(c, &z, LF_EOF, "", same(r, twice.p, twice.n));
		free(twice.p);
	} else {
		EXPECT(c, &z, LF_ERR_CORRUPT, garbage, same(r, small.p, small.n));
	}
	free(z.p);
	free(first.p);
}

/* Cut anywhere: what comes out is a true prefix, then "unexpected end of
 * file". Cut in the middle, at least one whole block of the format came
 * before (gzip and zstd: 128 KiB, xz -3: its 4 MiB block holds all, so
 * nothing is certain but the prefix; bzip2: 900 kB). */
static void test_truncated(const struct codec *c)
{
	struct buf z = { 0 };
	compress(c, text.p, text.n, &z);
	size_t n = z.n;
	static const size_t cuts[] = { 1, 2, 5, 11, 20, 100 };
	for (size_t i = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++) {
		z.n = cuts[i];
		EXPECT(c, &z, LF_ERR_CORRUPT, "unexpected end of file",
		       prefix(r, text.p, text.n, 0));
	}
	z.n = n / 2;
	size_t least = strcmp(c->name, "xz") == 0 ? 0 : 1;
	EXPECT(c, &z, LF_ERR_CORRUPT, "unexpected end of file",
	       prefix(r, text.p, text.n, least) && r->out.n < text.n);
	z.n = n - 1;
	EXPECT(c, &z, LF_ERR_CORRUPT, "unexpected end of file",
	       prefix(r, text.p, text.n, 0));
	free(z.p);
}

/* The check after the data, damaged: every byte comes out, then the error.
 * Where it is: gzip, 8 bytes from the end (its CRC-32; then ISIZE); zstd,
 * the last 4 bytes (zstd(1) ends a frame with its checksum); xz, the last 2
 * (the footer's magic "YZ"); bzip2, the last byte (it holds bits of the
 * stream's CRC, maybe padding bits too: all 8 are flipped). zstd is the
 * exception to "every byte": a frame this small, whose size its header
 * gives, is decoded in one pass and checked before anything is handed out,
 * so nothing (or all) may come out. */
static void test_check(const struct codec *c)
{
	struct buf z = { 0 };
	compress(c, small.p, small.n, &z);
	const char *why;
	size_t at;
	bool all = true;
	if (strcmp(c->name, "gzip") == 0) {
		at = z.n - 8, why = "incorrect data check";
	} else if (strcmp(c->name, "zstd") == 0) {
		at = z.n - 1, why = "restored data doesn't match checksum";
		all = false;
	} else if (strcmp(c->name, "xz") == 0) {
		at = z.n - 1, why = "compressed data is corrupt";
	} else {
		at = z.n - 1, why = "data integrity error";
	}
	z.p[at] ^= 0xff;
	EXPECT(c, &z, LF_ERR_CORRUPT, why,
	       all ? same(r, small.p, small.n) : prefix(r, small.p, small.n, 0));
	if (strcmp(c->name, "gzip") == 0) { /* the length, not the CRC */
		z.p[at] ^= 0xff;
		z.p[z.n - 1] ^= 0x01;
		EXPECT(c, &z, LF_ERR_CORRUPT, "incorrect length check",
		       same(r, small.p, small.n));
		z.p[z.n - 1] ^= 0x01;
		z.p[2] = 7; /* the method: 8 is deflate */
		EXPECT(c, &z, LF_ERR_CORRUPT, "unknown compression method", r->out.n == 0);
	}
	free(z.p);
}

/* Bytes flipped in the middle: the start comes out right (the first 64 KiB
 * at least: every format's first block is intact), then the damage. */
static void test_corrupt(const struct codec *c)
{
	struct buf z = { 0 };
	compress(c, text.p, text.n, &z);
	for (size_t i = 0; i < 16; i++)
		z.p[z.n / 2 + i] ^= 0x55;
	struct result r;
	decode_bytes(c, &z, &r);
	CHECK_INT(r.st, LF_ERR_CORRUPT);
	CHECK(r.why[0] != 0);
	CHECK(r.out.n >= 65536 && memcmp(r.out.p, text.p, 65536) == 0);
	free(r.out.p);
	free(z.p);
}

/* From a pipe fed 7777 bytes at a time: the same bytes. */
static void test_pipe(const struct codec *c)
{
	struct buf z = { 0 };
	compress(c, text.p, text.n / 2, &z);
	compress(c, text.p + text.n / 2, text.n - text.n / 2, &z);
	int fds[2];
	CHECK(pipe(fds) == 0);
	pid_t pid = fork();
	if (pid == 0) {
		close(fds[0]);
		for (size_t o = 0; o < z.n;) {
			ssize_t w = write(fds[1], z.p + o, z.n - o < 7777 ? z.n - o : 7777);
			if (w <= 0)
				_exit(1);
			o += (size_t)w;
		}
		_exit(0);
	}
	close(fds[1]);
	struct result r;
	decode_fd(c, fds[0], &r);
	close(fds[0]);
	CHECK(waitpid(pid, NULL, 0) == pid);
	CHECK_INT(r.st, LF_EOF);
	CHECK(same(&r, text.p, text.n));
	free(r.out.p);
	free(z.p);
}

/* ---- each codec's step alone, a few bytes at a time -------------------- */

/* Run c over two streams of small, giving it at most `in_step` bytes of
 * input and `out_step` of room per call: CODEC_OK must mean progress or a
 * need for more; CODEC_END must leave the input exactly at the second
 * stream's first byte, then at the end. */
static void check_steps(const struct codec *c, size_t in_step, size_t out_step)
{
	void *st = c->open();
	CHECK(st != NULL);
	if (!st)
		return;
	struct buf z = { 0 }, out = { 0 };
	compress(c, small.p, small.n, &z);
	compress(c, small.p, small.n, &z);
	size_t one = z.n / 2;
	size_t pos = 0, ends = 0, give = in_step, stuck = 0;
	unsigned char room[16];
	while (ends < 2 && stuck < 1000) {
		size_t avail = z.n - pos < give ? z.n - pos : give;
		struct codec_io io = { z.p + pos, avail, room, out_step, "" };
		enum codec_rc rc = c->step(st, &io);
		size_t used = avail - io.in_n, got = out_step - io.out_n;
		buf_add(&out, room, got);
		pos += used;
		if (rc != CODEC_OK && rc != CODEC_END)
			break; /* ends < 2: fails below */
		if (rc == CODEC_END) {
			CHECK_INT(pos, (ends + 1) * one);
			CHECK_INT(c->restart(st), CODEC_OK);
			ends++;
			give = in_step;
		} else if (used == 0 && got == 0) {
			give++; /* it needs more than it was given */
			stuck++;
		} else {
			give = in_step;
		}
	}
	CHECK_INT(ends, 2);
	CHECK(out.n == 2 * small.n && memcmp(out.p, small.p, small.n) == 0 &&
	      memcmp(out.p + small.n, small.p, small.n) == 0);
	c->close(st);
	free(z.p);
	free(out.p);
}

static void test_steps(const struct codec *c)
{
	check_steps(c, 1, 1);
	check_steps(c, 3, 5);
	check_steps(c, 7, 16);
	check_steps(c, 4096, 16);
}

/* ---- the table ------------------------------------------------------- */

static void test_each_codec(void)
{
	size_t n = 0;
	for (const struct codec *c; (c = codec_at(n)) != NULL; n++) {
		CHECK(c->open && c->step && c->restart && c->close && c->version);
		test_good(c);
		test_concatenated(c);
		test_after(c);
		test_truncated(c);
		test_check(c);
		test_corrupt(c);
		test_pipe(c);
		test_steps(c);
	}
#ifdef LF_HAVE_ISAL
	CHECK_INT(n, 5);
#else
	CHECK_INT(n, 4);
#endif
}

/* The codec of that name (the last row: the one detection picks). */
static const struct codec *named(const char *name)
{
	const struct codec *c = NULL;
	for (size_t i = 0; codec_at(i); i++)
		if (strcmp(codec_at(i)->name, name) == 0)
			c = codec_at(i);
	CHECK(c != NULL);
	return c;
}

/* zstd frames without checksum (zstd --no-check): nothing after the last
 * block's data, so the frame's end is its last byte. */
static void test_zstd_no_check(void)
{
	const struct codec *c = named("zstd");
	if (!c)
		return;
	static const char *no_check = "zstd -q -c --no-check";
	struct buf z = { 0 };
	size_t a = text.n / 2 + 12345;
	compress_with(no_check, text.p, a, &z);
	compress_with(no_check, text.p + a, text.n - a, &z);
	EXPECT(c, &z, LF_EOF, "", same(r, text.p, text.n));
	free(z.p);
}

/* CRC-32 (IEEE, as xz's headers use it), bit by bit. */
static uint32_t crc32_ieee(const unsigned char *p, size_t n)
{
	uint32_t c = 0xffffffffu;
	for (size_t i = 0; i < n; i++) {
		c ^= p[i];
		for (int k = 0; k < 8; k++)
			c = c >> 1 ^ (0xedb88320u & (0u - (c & 1)));
	}
	return ~c;
}

/* Memory is bounded: a zstd frame whose window is 256 MiB (zstd's long
 * mode from a pipe, so that zstd cannot shrink it to the input's size) and
 * an xz block whose dictionary is 4 GiB (its header patched: xz -T1 from a
 * pipe writes a 12-byte block header after the 12-byte stream header:
 * size 02, flags 00, filter 21 (LZMA2), 01 property byte, the dictionary
 * size code, padding, CRC-32 of the 8 bytes before; code 40 is 4 GiB - 1)
 * are refused before anything is decoded. */
static void test_memory_bounds(void)
{
	const struct codec *zs = named("zstd"), *xz = named("xz");
	if (!zs || !xz)
		return;
	struct buf z = { 0 };
	compress_with("cat | zstd -q -c --long=28", small.p, small.n, &z);
	EXPECT(zs, &z, LF_ERR_CORRUPT, "frame requires too much memory for decoding",
	       r->out.n == 0);
	z.n = 0;
	compress_with("cat | xz -q -c -T1", small.p, small.n, &z);
	CHECK(z.n > 24 && z.p[12] == 0x02 && z.p[13] == 0 && z.p[14] == 0x21 && z.p[15] == 1);
	z.p[16] = 40;
	uint32_t crc = crc32_ieee(z.p + 12, 8);
	for (int k = 0; k < 4; k++)
		z.p[20 + k] = (unsigned char)(crc >> (8 * k));
	EXPECT(xz, &z, LF_ERR_CORRUPT, "needs more than 128 MiB of memory to decompress",
	       r->out.n == 0);
	free(z.p);
}

/* A codec of the test's own that takes its whole stream in at once and
 * hands it out a byte per call: "HL", a length byte, the bytes. A real
 * decoder can do the same at a stream's end (its last input consumed,
 * output still held): the decoder must keep calling it at the end of the
 * file, not call the stream cut short. */
struct hold {
	unsigned char b[258];
	size_t have, given;
};

static void *hold_open(void)
{
	return calloc(1, sizeof(struct hold));
}

static enum codec_rc hold_step(void *state, struct codec_io *io)
{
	struct hold *h = state;
	size_t want = h->have >= 3 ? 3 + (size_t)h->b[2] : 3;
	while (h->have < want && io->in_n > 0) {
		h->b[h->have++] = *io->in++;
		io->in_n--;
		want = h->have >= 3 ? 3 + (size_t)h->b[2] : 3;
	}
	if (h->have >= 3 && h->given + 3 < h->have && io->out_n > 0) {
		*io->out++ = h->b[3 + h->given++];
		io->out_n--;
	}
	return h->have == want && h->given + 3 == want ? CODEC_END : CODEC_OK;
}

static enum codec_rc hold_restart(void *state)
{
	memset(state, 0, sizeof(struct hold));
	return CODEC_OK;
}

static const char *hold_version(void)
{
	return "1";
}

static const struct codec hold = {
	.name = "hold", .library = "test", .magic = { 'H', 'L' }, .magic_n = 2,
	.open = hold_open, .step = hold_step, .restart = hold_restart,
	.close = free, .version = hold_version,
};

static void test_held_output(void)
{
	struct buf z = { 0 };
	buf_add(&z, "HL\005hello", 8);
	EXPECT(&hold, &z, LF_EOF, "", same(r, "hello", 5));
	buf_add(&z, "HL\003abc", 6);
	EXPECT(&hold, &z, LF_EOF, "", same(r, "helloabc", 8));
	z.n--; /* cut: "ab", then the end */
	EXPECT(&hold, &z, LF_ERR_CORRUPT, "unexpected end of file", same(r, "helloab", 7));
	free(z.p);
}

/* What is detected as what: by magic, with the first CODEC_SNIFF bytes. */
static void test_detect(void)
{
	static const struct {
		const char *bytes;
		size_t n;
		const char *name; /* NULL: plain */
		bool reads;
	} cases[] = {
		{ "\x1f\x8b\x08", 3, "gzip", true },
		{ "\x28\xb5\x2f\xfd\x00", 5, "zstd", true },
		{ "\x5a\x2a\x4d\x18\x00", 5, "zstd", true }, /* skippable frame */
		{ "\xfd" "7zXZ\x00\x00", 7, "xz", true },
		{ "BZh91AY&SY", 10, "bzip2", true },
		{ "BZh9\x17\x72\x45\x38\x50\x90", 10, "bzip2", true }, /* empty */
		{ "BZh91AY&S", 9, NULL, false },  /* too short: text */
		{ "BZh01AY&SY", 10, NULL, false }, /* block size 0: text */
		{ "\x04\x22\x4d\x18", 4, "lz4", false },
		{ "PK\x03\x04", 4, "zip", false },
		{ "7z\xbc\xaf\x27\x1c", 6, "7z", false },
		{ "\x1f\x9d\x90", 3, "lzw", false },
		{ "\x5d\x00\x00\x80\x00", 5, "lzma", false },
		{ "LZIP\x01", 5, "lzip", false },
		{ "Rar!\x1a\x07\x00", 7, "rar", false },
		{ "\x1f", 1, NULL, false },
		{ "PK", 2, NULL, false },
		{ "127.0.0.1 - -", 13, NULL, false },
		{ "", 0, NULL, false },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct codec *c =
			codec_detect((const unsigned char *)cases[i].bytes, cases[i].n);
		if (!cases[i].name) {
			CHECK(c == NULL);
			continue;
		}
		CHECK(c != NULL);
		if (!c)
			continue;
		CHECK_STR(c->name, cases[i].name);
		CHECK_INT(c->open != NULL, cases[i].reads);
	}
#ifdef LF_HAVE_ISAL
	const struct codec *g = codec_detect((const unsigned char *)"\x1f\x8b", 2);
	CHECK(g && strcmp(g->library, "isa-l") == 0); /* the faster one wins */
#endif
}

/* input_library: every library read with, and its version. */
static void test_libraries(void)
{
	const char *want[] = { "zlib", "libzstd", "liblzma", "libbz2", "isa-l" };
	bool seen[5] = { false };
	const char *v;
	size_t n = 0;
	for (const char *lib; (lib = input_library(n, &v)) != NULL; n++) {
		CHECK(v != NULL && v[0] >= '1' && v[0] <= '9');
		for (size_t k = 0; k < 5; k++)
			if (strcmp(lib, want[k]) == 0)
				seen[k] = true;
	}
	CHECK(input_library(n, &v) == NULL && v == NULL);
	for (size_t k = 0; k < 4; k++)
		CHECK(seen[k]);
#ifdef LF_HAVE_ISAL
	CHECK(seen[4]);
#else
	CHECK(!seen[4]);
#endif
}

static void test_setup(void)
{
	make_text(&text, (size_t)3 << 20, 42);
	make_text(&small, 2000, 7);
}

static void test_cleanup(void)
{
	for (size_t i = 0; i < nmade; i++)
		free(fixtures[i].z.p);
	CHECK(rmdir(fixture_dir) == 0);
	free(text.p);
	free(small.p);
}

TEST_MAIN(test_setup, test_detect, test_libraries, test_each_codec, test_zstd_no_check,
	  test_memory_bounds, test_held_output, test_cleanup)
