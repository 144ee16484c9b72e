/*
 * skip.c - the names of the skip reasons, shared by the summary, the runs
 * table and the CSV header so that they are spelled once.
 */
#include "skip.h"

const char *const skip_reason_names[SKIP_NREASONS] = {
	[SKIP_MALFORMED] = "malformed",
	[SKIP_NOT_GET] = "not_get",
	[SKIP_STATUS] = "status",
	[SKIP_STATIC] = "static",
	[SKIP_BOT] = "bot",
};
