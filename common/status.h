/*
 * status.h - the error values every module returns.
 *
 * Errors are values: a function that can fail returns enum lf_status and
 * leaves the message to its caller. Only cmd/ turns a status into words on
 * stderr and an exit code; nothing below it prints or exits.
 */
#ifndef LF_STATUS_H
#define LF_STATUS_H

enum lf_status {
	LF_OK = 0,
	LF_ERR_NOMEM,   /* an allocation failed */
	LF_ERR_IO,      /* read or write failed; errno holds the cause */
	LF_ERR_CORRUPT, /* compressed input is damaged or truncated */
	LF_ERR_FORMAT,  /* input does not match the expected format */
	LF_ERR_LIMIT,   /* a stated maximum was exceeded */
	LF_ERR_DB,      /* SQLite refused; the sink keeps its message */
	LF_ERR_USAGE,   /* a caller-supplied value is invalid */
	LF_ERR_BUSY,    /* another writer held the database past --wait */
	LF_EOF,         /* not an error: the input has no more lines */
};

/* A short lowercase phrase for st, suitable after "cannot ...: ". Static. */
const char *lf_status_str(enum lf_status st);

#endif
