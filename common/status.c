/*
 * status.c - words for enum lf_status. Kept here so that every module can
 * name an error the same way without printing it itself.
 */
#include "status.h"

const char *lf_status_str(enum lf_status st)
{
	switch (st) {
	case LF_OK: return "success";
	case LF_ERR_NOMEM: return "out of memory";
	case LF_ERR_IO: return "input/output error";
	case LF_ERR_CORRUPT: return "corrupt or truncated compressed data";
	case LF_ERR_FORMAT: return "unrecognised format";
	case LF_ERR_LIMIT: return "limit exceeded";
	case LF_ERR_DB: return "database error";
	case LF_ERR_USAGE: return "invalid value";
	case LF_ERR_BUSY: return "database is locked";
	case LF_EOF: return "end of input";
	}
	return "unknown error";
}
