/*
 * yamlseq.c - libyaml's event stream folded into records. A small state
 * machine over the nesting: the top-level mapping (its keys name the
 * sections), a sequence of records, a record (a mapping of scalars), and a
 * sequence value inside a record. Anything deeper is skipped whole. Scalars
 * are copied into one growing buffer per record, because libyaml frees an
 * event's text when the next event is parsed.
 */
#include "yamlseq.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "grow.h"

/* Longest key and section name kept: uap's longest key is 18 bytes. */
#define YAMLSEQ_KEY_MAX 64

enum where { W_TOP, W_TOPMAP, W_RECORDS, W_RECORD, W_VALUES };

struct reader {
	enum where where;
	int skip;          /* depth inside a skipped container; 0 = none */
	bool top_seq;      /* the records sequence is the document itself */
	char section[YAMLSEQ_KEY_MAX];
	char key[YAMLSEQ_KEY_MAX];
	size_t key_len;
	bool have_key;     /* key holds a key waiting for its value */
	char *buf;         /* the record's strings, NUL after each */
	size_t len, cap;
	size_t off[2 * YAMLSEQ_MAX_PAIRS], slen[2 * YAMLSEQ_MAX_PAIRS];
	bool null[2 * YAMLSEQ_MAX_PAIRS];
	int nstr;
};

static enum lf_status push(struct reader *r, const char *s, size_t n, bool null)
{
	if (r->nstr == 2 * YAMLSEQ_MAX_PAIRS)
		return LF_ERR_LIMIT;
	if (!GROW(r->buf, r->cap, r->len + n + 1, 1024))
		return LF_ERR_NOMEM;
	memcpy(r->buf + r->len, s, n);
	r->buf[r->len + n] = '\0';
	r->off[r->nstr] = r->len;
	r->slen[r->nstr] = n;
	r->null[r->nstr++] = null || n == 0;
	r->len += n + 1;
	return LF_OK;
}

static enum lf_status pair(struct reader *r, const char *v, size_t n, bool null)
{
	enum lf_status st = push(r, r->key, r->key_len, false);
	return st == LF_OK ? push(r, v, n, null) : st;
}

static enum lf_status emit(struct reader *r, yamlseq_fn fn, void *ctx)
{
	struct yamlseq_pair pairs[YAMLSEQ_MAX_PAIRS];
	int np = r->nstr / 2;
	for (int i = 0; i < np; i++) {
		pairs[i].key = slice_make(r->buf + r->off[2 * i], r->slen[2 * i]);
		pairs[i].value = r->null[2 * i + 1]
					 ? (struct slice){ NULL, 0 }
					 : slice_make(r->buf + r->off[2 * i + 1], r->slen[2 * i + 1]);
	}
	r->nstr = 0;
	r->len = 0;
	r->have_key = false;
	return fn(ctx, r->section, pairs, np);
}

static void copy_name(char *dst, const yaml_event_t *ev, size_t *len)
{
	size_t n = ev->data.scalar.length;
	if (n >= YAMLSEQ_KEY_MAX)
		n = YAMLSEQ_KEY_MAX - 1; /* longer names match nothing logfold asks for */
	memcpy(dst, ev->data.scalar.value, n);
	dst[n] = '\0';
	if (len)
		*len = n;
}

/* A scalar, by where it stands. */
static enum lf_status on_scalar(struct reader *r, const yaml_event_t *ev)
{
	const char *s = (const char *)ev->data.scalar.value;
	size_t n = ev->data.scalar.length;
	bool null = n == 0 && ev->data.scalar.plain_implicit;
	if (r->where == W_TOPMAP) {
		if (!r->have_key)
			copy_name(r->section, ev, NULL);
		r->have_key = !r->have_key;
	} else if (r->where == W_RECORD) {
		if (!r->have_key) {
			copy_name(r->key, ev, &r->key_len);
			r->have_key = true;
			return LF_OK;
		}
		r->have_key = false;
		return pair(r, s, n, null);
	} else if (r->where == W_VALUES) {
		return pair(r, s, n, null);
	}
	return LF_OK;
}

/* A mapping or sequence starts (open) or ends (!open). */
static enum lf_status on_container(struct reader *r, bool seq, bool open, yamlseq_fn fn,
				   void *ctx)
{
	if (r->skip) {
		r->skip += open ? 1 : -1;
		if (r->skip == 0 && (r->where == W_RECORD || r->where == W_TOPMAP))
			r->have_key = false; /* the skipped thing was a value */
		return LF_OK;
	}
	if (!open) {
		switch (r->where) {
		case W_VALUES: r->where = W_RECORD; r->have_key = false; return LF_OK;
		case W_RECORD: r->where = W_RECORDS; return emit(r, fn, ctx);
		case W_RECORDS: r->where = r->top_seq ? W_TOP : W_TOPMAP; r->have_key = false;
			return LF_OK;
		default: r->where = W_TOP; return LF_OK;
		}
	}
	if (r->where == W_TOP) {
		r->top_seq = seq;
		r->where = seq ? W_RECORDS : W_TOPMAP;
		r->section[0] = '\0';
	} else if (r->where == W_TOPMAP && seq && r->have_key) {
		r->where = W_RECORDS;
	} else if (r->where == W_RECORDS && !seq) {
		r->where = W_RECORD;
		r->have_key = false;
	} else if (r->where == W_RECORD && seq && r->have_key) {
		r->where = W_VALUES;
	} else {
		r->skip = 1;
	}
	return LF_OK;
}

static enum lf_status run(yaml_parser_t *p, struct reader *r, yamlseq_fn fn, void *ctx,
			  char *err, size_t errlen)
{
	enum lf_status st = LF_OK;
	for (bool done = false; !done && st == LF_OK;) {
		yaml_event_t ev;
		if (!yaml_parser_parse(p, &ev)) {
			if (p->error == YAML_MEMORY_ERROR)
				return LF_ERR_NOMEM; /* not the file's fault */
			snprintf(err, errlen, "%zu: %s", (size_t)p->problem_mark.line + 1,
				 p->problem ? p->problem : "bad YAML");
			return LF_ERR_FORMAT;
		}
		switch (ev.type) {
		case YAML_SCALAR_EVENT: st = r->skip ? LF_OK : on_scalar(r, &ev); break;
		case YAML_SEQUENCE_START_EVENT: st = on_container(r, true, true, fn, ctx); break;
		case YAML_SEQUENCE_END_EVENT: st = on_container(r, true, false, fn, ctx); break;
		case YAML_MAPPING_START_EVENT: st = on_container(r, false, true, fn, ctx); break;
		case YAML_MAPPING_END_EVENT: st = on_container(r, false, false, fn, ctx); break;
		case YAML_STREAM_END_EVENT: done = true; break;
		default: break;
		}
		if (st == LF_ERR_LIMIT) {
			snprintf(err, errlen, "%zu: more than %d values in one record",
				 (size_t)ev.start_mark.line + 1, YAMLSEQ_MAX_PAIRS);
			st = LF_ERR_FORMAT;
		}
		yaml_event_delete(&ev);
	}
	return st;
}

enum lf_status yamlseq_read(const char *path, const char *text, size_t n, yamlseq_fn fn,
			    void *ctx, char *err, size_t errlen)
{
	FILE *f = NULL;
	yaml_parser_t p;
	struct reader *r = calloc(1, sizeof(*r));
	if (!r)
		return LF_ERR_NOMEM;
	if (path && !(f = fopen(path, "rb"))) {
		int e = errno;
		free(r);
		errno = e;
		return LF_ERR_IO;
	}
	if (!yaml_parser_initialize(&p)) {
		if (f)
			fclose(f);
		free(r);
		return LF_ERR_NOMEM;
	}
	if (f)
		yaml_parser_set_input_file(&p, f);
	else
		yaml_parser_set_input_string(&p, (const unsigned char *)text, n);
	enum lf_status st = run(&p, r, fn, ctx, err, errlen);
	yaml_parser_delete(&p);
	if (f)
		fclose(f);
	free(r->buf);
	free(r);
	return st;
}

void yamlseq_library_version(char *buf, size_t cap)
{
	snprintf(buf, cap, "libyaml %s", yaml_get_version_string());
}
