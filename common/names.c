/*
 * names.c - the public names of the skip reasons, the breakdown dimensions
 * and the actions, shared by the summary, the tables and the CSV headers so
 * that each is spelled once.
 */
#include "dims.h"
#include "skip.h"

const char *const skip_reason_names[SKIP_NREASONS] = {
	[SKIP_MALFORMED] = "malformed",
	[SKIP_NOT_GET] = "not_get",
	[SKIP_STATUS] = "status",
	[SKIP_STATIC] = "static",
	[SKIP_BOT] = "bot",
	[SKIP_OTHER_SITE] = "other_site",
	[SKIP_EXCLUDED] = "excluded",
	[SKIP_NOT_REQUEST] = "not_request",
	[SKIP_EXPIRED] = "expired",
	[SKIP_FUTURE] = "future",
};

const char *const dimension_names[DIM_COUNT] = {
	[DIM_BROWSER] = "browser",
	[DIM_OS] = "os",
	[DIM_DEVICE] = "device",
	[DIM_COUNTRY] = "country",
	[DIM_REGION] = "region",
	[DIM_REFERRER] = "referrer",
	[DIM_REFERRER_TYPE] = "referrer_type",
	[DIM_SCREEN] = "screen",
};

const char *const action_names[ACTION_COUNT] = {
	[ACTION_CLICK] = "click",
	[ACTION_SELECT] = "select",
	[ACTION_EVENT] = "event",
};
