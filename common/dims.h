/*
 * dims.h - the breakdown dimensions of a pageview: what breakdown_daily
 * counts per page and day besides the page itself. The parser fills the
 * values (already reduced: a browser family, never an agent string), the
 * aggregator counts them, the sinks write their names. Each name is part of
 * the public schema (breakdown_daily.dimension).
 */
#ifndef LF_DIMS_H
#define LF_DIMS_H

enum dimension {
	DIM_BROWSER,       /* "Firefox 125" */
	DIM_OS,            /* "Android 14" */
	DIM_DEVICE,        /* desktop | mobile | tablet | other */
	DIM_COUNTRY,       /* ISO 3166-1 alpha-2 */
	DIM_REGION,        /* ISO 3166-2 */
	DIM_REFERRER,      /* host, or an internal page, or (direct) */
	DIM_REFERRER_TYPE, /* direct | internal | search | social | external */
	DIM_SCREEN,        /* viewport width class */
	DIM_COUNT
};

/* Names in enum order: "browser", "os", ... */
extern const char *const dimension_names[DIM_COUNT];

/* The value every cell with fewer than --min-visitors visitors folds into. */
#define DIM_OTHER "(other)"

/* What a visitor did on a page, as the beacon or a tracker reported it
 * (action_daily.action): a click on a link or button, a text selection
 * (never its content), a tracker's custom event. */
enum action {
	ACTION_CLICK,
	ACTION_SELECT,
	ACTION_EVENT,
	ACTION_COUNT
};

/* Names in enum order: "click", "select", "event". */
extern const char *const action_names[ACTION_COUNT];

#endif
