/*
 * input.h - bytes in, lines out: one log file (or stdin), plain or
 * compressed (gzip, zstd, xz, bzip2).
 *
 * Compression is detected by magic bytes, never by the file name;
 * concatenated streams (`cat a.gz b.gz`, zstd frames, xz and bzip2 streams)
 * are read whole. A compression logfold does not read (lz4, zip, 7z ...) is
 * recognised and refused, never parsed as text. Lines are handed out as
 * slices into a large read buffer: nothing is allocated per line. A line
 * longer than INPUT_LINE_MAX is skipped whole and reported, never split into
 * pieces. The libraries are behind parsers/input/codec.h, one file each. It
 * does not look at what a line says: that is the parser's job.
 */
#ifndef LF_INPUT_H
#define LF_INPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../../common/slice.h"
#include "../../common/status.h"

/* Longest accepted line, newline excluded: 64 KiB. Real access-log lines are
 * under 8 KiB (nginx's default large_client_header_buffers); anything longer
 * is either an attack or a broken writer, and is counted as malformed. */
#define INPUT_LINE_MAX ((size_t)64 * 1024)

/* How much of the decompressed start input_peek() can show: 64 KiB. */
#define INPUT_PEEK_MAX ((size_t)64 * 1024)

struct input;

/*
 * Open path for reading; "-" means standard input. On success *out is a new
 * reader owned by the caller (input_close). LF_ERR_IO with errno set when the
 * file cannot be opened; LF_ERR_NOMEM.
 */
enum lf_status input_open(struct input **out, const char *path);

/*
 * input_open, stoppable: cancel is a descriptor that becomes readable when
 * reading must stop (the read end of a signal handler's self-pipe), or -1.
 * Every wait for bytes (a pipe, a terminal, a FIFO with no writer yet, the
 * gzip helper's reads) also waits for cancel, and every chunk read checks
 * it, so an input that stalls or never ends (an endless line) stops at
 * once: input_open, input_peek's chunk or input_next then end as a read
 * error (LF_ERR_IO) with errno ECANCELED. A FIFO is opened without waiting
 * for its writer (then waits in its first read, with cancel).
 */
enum lf_status input_open_cancel(struct input **out, const char *path, int cancel);

/*
 * Show up to INPUT_PEEK_MAX bytes of the decompressed start of the input
 * without consuming them (for format detection and fingerprints); fewer at
 * end of input, and only the good bytes before any damage (the damage
 * itself is reported by input_next() after the lines before it). Returns
 * LF_OK, or LF_ERR_USAGE once input_next() has taken a line.
 */
enum lf_status input_peek(struct input *in, struct slice *start);

/*
 * Next line, without its '\n' and without one trailing '\r'. A last line
 * without a newline is still a line. The slice is valid until the next call.
 *   LF_OK          *line is set; input_line_no() is its 1-based number
 *   LF_ERR_LIMIT   a line over INPUT_LINE_MAX was skipped; its number is
 *                  input_line_no(); reading may go on
 *   LF_EOF         no more lines
 *   LF_ERR_CORRUPT the compressed data is damaged or truncated here: every
 *                  complete line before the damage has been returned; the
 *                  incomplete line at the damage is not. Further calls
 *                  return LF_EOF. input_error() has the reason (the
 *                  library's, or "unexpected end of file", "trailing
 *                  garbage after gzip data").
 *   LF_ERR_FORMAT  a compression logfold does not read, on the first call
 *                  (no line comes before): input_error() says which
 *                  ("lz4-compressed, which logfold does not read");
 *                  further calls return LF_EOF
 *   LF_ERR_IO      a read failed (errno); further calls return LF_EOF
 */
enum lf_status input_next(struct input *in, struct slice *line);

/* The length of a line's text as input_next hands it out: p[0..n) is the
 * line without its '\n', less one trailing '\r'. The line is too long
 * (LF_ERR_LIMIT) when that is over INPUT_LINE_MAX. */
static inline size_t input_line_len(const char *p, size_t n)
{
	return n && p[n - 1] == '\r' ? n - 1 : n;
}

/*
 * The whole lines at the cursor that are in memory already, each with its
 * '\n' (and the '\r' before it, if any), in at most max bytes: to be
 * handed on in one piece rather than line by line (--jobs). Valid until
 * the next call. Empty when the next line is not whole in memory (it
 * straddles two reads, or the input is at its end, damaged or failed) or
 * is longer than max: input_next takes it. Nothing is taken until
 * input_take.
 */
struct slice input_span(struct input *in, size_t max);

/* Take the first n bytes of input_span's span (whole lines: n is just
 * past a '\n'), which hold lines lines: input_line_no() and
 * input_offset() count them as if input_next had returned each. The
 * taker splits them, cuts each as input_line_len says and reports those
 * over INPUT_LINE_MAX, as input_next would. */
void input_take(struct input *in, size_t n, uint64_t lines);

/*
 * Go to decompressed offset (which must be the start of a line, as
 * input_offset() gave it in an earlier run) without splitting what lies
 * before it into lines; line_no is the number of lines before it. Only
 * before the first input_next() (input_peek() is fine). LF_EOF when the
 * input is shorter than offset (then input_next() returns LF_EOF);
 * LF_ERR_USAGE when lines were already taken.
 */
enum lf_status input_skip_to(struct input *in, uint64_t offset, uint64_t line_no);

/*
 * True when offset is known, without reading on, to be the end of the
 * decompressed input: a plain regular file of that size, or a gzip file
 * whose trailer gives that size (modulo 2^32: the ISIZE field; a file of
 * several members gives its last member's size, which only makes a match
 * less likely). False when unknown (pipes, stdin, zstd, xz, bzip2: their
 * sizes are not at the end of the file).
 */
bool input_at_end(const struct input *in, uint64_t offset);

/* Whether the input can be opened again and read from its start: a regular
 * file named by its path. False for stdin, pipes (<(zcat x.gz),
 * /dev/stdin on a pipe), FIFOs and devices, which give their bytes once. */
bool input_reopenable(const struct input *in);

/* 1-based number of the line last returned (or skipped). */
uint64_t input_line_no(const struct input *in);

/* Decompressed byte offset just past the last line returned. */
uint64_t input_offset(const struct input *in);

/* Bytes read from the file so far (the compressed size when compressed). */
uint64_t input_raw_bytes(const struct input *in);

bool input_is_gzip(const struct input *in);

/* The compression, as messages name it ("gzip", "zstd", "xz", "bzip2", or
 * one not read: "lz4" ...); "" for plain input. Static storage. */
const char *input_codec_name(const struct input *in);

/* The name given to input_open ("-" shown as "(stdin)"). */
const char *input_name(const struct input *in);

/* A short reason for the last LF_ERR_CORRUPT or LF_ERR_FORMAT, or "". */
const char *input_error(const struct input *in);

/* Close the file (not stdin), stop any helper thread, free everything. */
void input_close(struct input *in);

/*
 * The i-th decompression library linked in (i from 0), for --version: its
 * name ("zlib", "libzstd", "liblzma", "libbz2", "isa-l") is returned and its
 * version, as the library reports it at run time (ISA-L: as built), is set
 * in *version; NULL (and *version NULL) past the last. Static storage.
 */
const char *input_library(size_t i, const char **version);

#endif
