/*
 * lookahead.c - the lines of an input's start, copied once into one
 * growing text and an array of entries (see lookahead.h). Allocation
 * happens while looking, a few times per input, never per line read after.
 */
#include "lookahead.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../../common/grow.h"

/* One line looked at. */
struct la_entry {
	uint64_t line_no;
	size_t off, len;    /* in text; len 0 for a too long line */
	enum lf_status st;  /* LF_OK, LF_ERR_LIMIT */
};

struct lookahead {
	char *text;
	size_t len, cap;
	struct la_entry entry[LOOKAHEAD_SEEN_MAX];
	size_t n;
	size_t next;             /* entries handed out by lookahead_next */
	enum lf_status end;      /* what ended the look: LF_OK (it stopped
				  * early), LF_EOF, LF_ERR_CORRUPT, LF_ERR_IO */
	int err;                 /* errno of LF_ERR_IO */
	bool end_given;          /* end handed out */
};

/* Room for n more bytes of text. */
static bool reserve(struct lookahead *la, size_t n)
{
	return GROW(la->text, la->cap, la->len + n, 16384);
}

/* Keep line number line_no (its text unless too long). */
static bool keep(struct lookahead *la, enum lf_status st, struct slice line, uint64_t line_no)
{
	size_t n = st == LF_OK ? line.n : 0;
	if (!reserve(la, n + 1))
		return false;
	if (n)
		memcpy(la->text + la->len, line.p, n);
	la->entry[la->n++] = (struct la_entry){ line_no, la->len, n, st };
	la->len += n;
	la->text[la->len++] = '\n';
	return true;
}

enum lf_status lookahead_read(struct lookahead **out, struct input *in)
{
	struct lookahead *la = calloc(1, sizeof(*la));
	size_t usable = 0;
	*out = NULL;
	if (!la)
		return LF_ERR_NOMEM;
	while (usable < LOOKAHEAD_LINES && la->n < LOOKAHEAD_SEEN_MAX) {
		struct slice line;
		enum lf_status st = input_next(in, &line);
		if (st != LF_OK && st != LF_ERR_LIMIT) {
			la->end = st;
			la->err = errno;
			break;
		}
		if (!keep(la, st, line, input_line_no(in))) {
			lookahead_free(la);
			return LF_ERR_NOMEM;
		}
		usable += st == LF_OK && line.n > 0;
	}
	*out = la;
	return LF_OK;
}

int lookahead_read_error(const struct lookahead *la)
{
	return la->end == LF_ERR_IO ? (la->err ? la->err : EIO) : 0;
}

struct slice lookahead_text(const struct lookahead *la)
{
	return slice_make(la->text ? la->text : "", la->len);
}

size_t lookahead_count(const struct lookahead *la)
{
	return la->n;
}

enum lf_status lookahead_line(const struct lookahead *la, size_t i, struct slice *line,
			      uint64_t *line_no)
{
	const struct la_entry *e = &la->entry[i];
	*line = slice_make(la->text + e->off, e->len);
	*line_no = e->line_no;
	return e->st;
}

bool lookahead_at_end(const struct lookahead *la)
{
	return la->end != LF_OK;
}

bool lookahead_drained(const struct lookahead *la)
{
	return !la || (la->next >= la->n && la->end == LF_OK);
}

enum lf_status lookahead_next(struct lookahead *la, struct input *in, struct slice *line,
			      uint64_t *line_no)
{
	if (la && la->next < la->n)
		return lookahead_line(la, la->next++, line, line_no);
	if (la && la->end != LF_OK && !la->end_given) {
		la->end_given = true;
		*line = slice_make("", 0);
		*line_no = input_line_no(in);
		errno = la->err;
		return la->end;
	}
	enum lf_status st = input_next(in, line);
	*line_no = input_line_no(in);
	return st;
}

void lookahead_free(struct lookahead *la)
{
	if (!la)
		return;
	free(la->text);
	free(la);
}
