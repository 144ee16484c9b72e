/*
 * logfmt_build.h - the builder the format-string front ends (logfmt_vars.c)
 * emit into, and logfmt.c finishes. Internal to parsers/.
 */
#ifndef LF_LOGFMT_BUILD_H
#define LF_LOGFMT_BUILD_H

#include "logfmt.h"

struct logfmt_builder {
	struct logfmt *fmt;
	int owner[SLOT_COUNT]; /* step index + 1 of the slot's best field */
	int rank[SLOT_COUNT];
	char *err;
	size_t errlen;
	bool failed;
};

/* Start building into out (cleared); messages go to err. */
void logfmt_begin(struct logfmt_builder *b, struct logfmt *out, char *err, size_t errlen);

/* Append literal bytes (joined with a literal just before). */
void logfmt_literal(struct logfmt_builder *b, const char *s, size_t n);

/*
 * Append a field for slot. rank: a later field of the same slot replaces an
 * earlier one only with a higher rank. arg: the enum time_form of a
 * SLOT_TIME, the enum duration_unit of a SLOT_DURATION. name, nlen: the
 * SLOT_EXTRA name (lower-cased here).
 */
void logfmt_field(struct logfmt_builder *b, enum logfmt_slot slot, int rank, int arg,
		  const char *name, size_t nlen);

/* The strftime pattern of the TF_STRFTIME time just appended (its spaces
 * are passed over when a space ends the field). */
void logfmt_time_pattern(struct logfmt_builder *b, const char *pat, size_t n);

/* Record the first error (printf-style); later ones are dropped. */
void logfmt_error(struct logfmt_builder *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Check and finish: LF_OK or LF_ERR_USAGE with the message in err. */
enum lf_status logfmt_end(struct logfmt_builder *b);

/* The first '"' at or after p that no backslash escapes, or NULL. */
const char *logfmt_quote_end(const char *p, const char *end);

/* What an nginx variable means to logfold (also JSON keys and --json-map
 * fields, which are named as nginx variables). */
struct logfmt_var {
	uint8_t slot, rank, arg;
	char name[64]; /* SLOT_EXTRA: "x-forwarded-for" for $http_x_forwarded_for */
	size_t nlen;
};

/* Look up the nginx variable name[0..n). Unknown names are SLOT_EXTRA
 * under their own name (cut at 63 bytes). */
void logfmt_nginx_var(const char *name, size_t n, struct logfmt_var *out);

/* Store v into the raw field of slot (SLOT_EXTRA: under name, a
 * NUL-terminated string that outlives out; dropped when extra[] is full). */
void logfmt_store(enum logfmt_slot slot, const char *name, struct slice v,
		  struct raw_fields *out);

#endif
