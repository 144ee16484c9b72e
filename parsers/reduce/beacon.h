/*
 * beacon.h - the one query string logfold reads: that of a request to the
 * beacon endpoint (beacon/logfold.js, default /logfold.gif) or to a
 * Matomo/Piwik tracker the site serves itself (/matomo.php, /piwik.php,
 * /ppms.php).
 *
 * Only the documented keys are looked at (tables below); every other key,
 * the trackers' identifiers among them (_id uid cid _idts _idvc _viewts cvar
 * _cvar dimension* _rcn _rck pv_id uadata ...), is skipped without its value
 * being decoded or copied. Every value is validated: numbers are 1 to 9
 * decimal digits within a stated range, names come from a fixed list,
 * labels are at most BEACON_LABEL_MAX characters of a safe set with
 * identifier-shaped words replaced. A key given twice is ambiguous and
 * dropped. What comes out is reduced: a class, a few numbers, a cleaned
 * label, the page still to be normalised by the parser like any path.
 *
 * It does not decide whether a request is a beacon (the parser compares
 * the path) nor count anything.
 */
#ifndef LF_BEACON_H
#define LF_BEACON_H

#include <stdbool.h>
#include <stdint.h>

#include "../../common/slice.h"
#include "hit.h"
#include "page.h"

/* Longest label kept (action_daily.label), in bytes. */
#define BEACON_LABEL_MAX 64

/* Longest client time accepted, in ms: ten minutes. A navigation slower
 * than that is a tab left in the background, not a load time. */
#define BEACON_MS_MAX 600000

/* Longest engaged time accepted for one page view, in seconds: a day. */
#define BEACON_ENGAGED_MAX 86400

/* Widest screen or viewport accepted, in CSS pixels. */
#define BEACON_WIDTH_MAX 100000

enum beacon_source {
	BEACON_LOGFOLD, /* beacon/logfold.js: keys p e w tb dc ld en sc lb */
	BEACON_MATOMO,  /* the Matomo/Piwik tracking API: url res pf_* e_c e_a
			 * e_n link download ping */
};

/* Where the decoded values live: caller-owned, valid while the result is. */
struct beacon_buf {
	char target[PAGE_MAX];              /* the page, decoded */
	char url[PAGE_MAX];                 /* a link or download URL, decoded */
	char label[BEACON_LABEL_MAX + 1];   /* the label, cleaned */
	char part[BEACON_LABEL_MAX + 1];    /* one decoded value */
};

/* What one request reported. */
struct beacon {
	enum hit_kind kind;       /* HIT_NOTHING when nothing usable was sent */
	enum action action;
	const char *screen;       /* width class (static), or NULL */
	uint32_t load_ms;         /* or HIT_NO_LOAD_TIME */
	uint32_t engaged_s;
	uint8_t scroll;           /* or HIT_NO_SCROLL */
	struct slice target;      /* the page as sent (decoded); to normalise */
	struct slice label;       /* cleaned; empty when none or refused */
};

/*
 * Read query (the part after '?', without the fragment, as logged) of a
 * request from src into *out, decoded values in *buf. Never fails: what is
 * not valid is left out, and a request without a valid event and page
 * gives kind HIT_NOTHING.
 */
void beacon_parse(struct slice query, enum beacon_source src, struct beacon_buf *buf,
		  struct beacon *out);

/* The viewport-width class of a width in CSS pixels: xs <576, sm <768,
 * md <992, lg <1200, xl <1400, xxl (Bootstrap's breakpoints). */
const char *beacon_width_class(uint32_t width);

/*
 * Clean a decoded label into out (BEACON_LABEL_MAX + 1 bytes, NUL-ended):
 * 1..BEACON_LABEL_MAX bytes of A-Z a-z 0-9 space . _ - / ; identifier-shaped
 * words (UUIDs, runs of 10+ digits, tokens of 20+ characters mixing letters
 * and digits) replaced by :uuid, :num, :token as in paths. Returns the
 * length, or 0 when the label is refused (empty, too long, other bytes).
 */
size_t beacon_label_clean(struct slice in, char out[BEACON_LABEL_MAX + 1]);

#endif
