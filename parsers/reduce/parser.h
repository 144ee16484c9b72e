/*
 * parser.h - the privacy boundary: one raw log line in, one struct hit (or
 * a skip reason) out.
 *
 * This is the only code that sees a raw line, a full IP address or a user
 * agent. It masks the address at once, drops user, ident, query string and
 * fragment, reduces the agent to the facts logfold keeps, and turns the
 * visitor into a keyed hash under a key it holds for the run and wipes in
 * parser_free(). What it returns holds no identifier (see hit.h).
 */
#ifndef LF_PARSER_H
#define LF_PARSER_H

#include <stdbool.h>
#include <stdint.h>

#include "../../common/skip.h"
#include "../../common/slice.h"
#include "../../common/status.h"
#include "../formats/logformat.h"
#include "hit.h"

/* What the configuration points to; the parser only keeps the pointers. */
struct agents;
struct client_ip_config;
struct geo;
struct ipaddr;
struct json_map;
struct logfmt;
struct lookahead;
struct page_rules_spec;
struct suffix_list;

/* The parser: opaque. Its scratch buffers, scanner, compiled rules and key
 * stay in parser.c; a caller holds a pointer and uses the functions below. */
struct parser;

/* Longest site name: a DNS name is at most 253 bytes. */
#define SITE_MAX 253

/* What parser_line returns besides a skip reason: a pageview; a beacon or
 * tracker request (never a pageview; see beacon.h); a request that carries
 * its site's opt-out marker (not a skip reason, because such a line is not
 * even counted). Each a distinct value past the skip reasons. */
#define PARSE_PAGEVIEW SKIP_NREASONS
#define PARSE_BEACON (SKIP_NREASONS + 1)
#define PARSE_OPTOUT (SKIP_NREASONS + 2)

/* Tracker endpoints recognised at most (--tracker-path). */
#define PARSER_TRACKERS_MAX 8

/* Sites with rules of their own ([site HOST] sections), and hosts named by
 * --site-allow: a handful in practice; 64 bounds the linear lookups. */
#define PARSER_SITES_MAX 64

/* A site with rules of its own. */
struct parser_site {
	const char *host; /* lower-case */
	const struct page_rules_spec *rules;
};

/* The visitor key: 128 bits, SipHash's key size. */
#define PARSER_KEY_BYTES 16

struct parser_config {
	enum log_format format; /* FMT_AUTO until parser_set_format() */
	const char *site;       /* site for formats without a virtual host */
	int mask_bytes;         /* 1..4 */
	struct geo *geo;        /* country/region of the masked IP; NULL: none */
	const struct suffix_list *psl; /* --referrer-domain; NULL: referrer hosts as
					* they are */
	const struct page_rules_spec *rules; /* every site's (and its aliases),
					      * unless in sites[] */
	const struct parser_site *sites;
	int nsites;
	const char *const *site_allow;       /* lower-case hosts; none: any host */
	int nsite_allow;
	const char *beacon_path; /* the beacon's endpoint, or NULL for none */
	const char *trackers[PARSER_TRACKERS_MAX]; /* Matomo/Piwik endpoints */
	int ntrackers;
	struct agents *agents;  /* user-agent classification (owned by the
				 * caller); NULL: the heuristic robot test only */
	const struct logfmt *custom;     /* FMT_CUSTOM's program, else NULL */
	const struct json_map *json_map; /* FMT_JSON's map, else NULL */
	bool use_tz;            /* days in the process's TZ zone (--tz) */
	int32_t expire_before;  /* a line of a local day before this one (days
				 * since 1970-01-01) is SKIP_EXPIRED: older than
				 * the retention; INT32_MIN: none is (0, as in a
				 * zeroed config, expires nothing after 1970) */
	bool any_content_type;  /* --any-content-type: a logged response
				 * type never makes a line not a page */
	const struct client_ip_config *client_ip; /* NULL: the remote address */
	/* --shard I/N: the run counts the visitors whose routing hash modulo N
	 * is I (parser_route_hash); a pageview or beacon request of another
	 * shard's visitor comes back with hit.elsewhere. N 0 or 1: every
	 * visitor is the run's. */
	uint32_t shard_index, shard_count;
};


/*
 * A new parser in *out (owned by the caller: parser_free) with cfg and a
 * copy of key, compiling the page rules (cfg's strings and the objects it
 * points to must outlive it). LF_ERR_USAGE when the site name is empty or
 * too long, mask_bytes is out of range, there are too many sites or a rule
 * is refused; LF_ERR_NOMEM. On failure *out is NULL and nothing is left
 * to free. The caller should wipe its own copy of key.
 */
enum lf_status parser_new(struct parser **out, const struct parser_config *cfg,
			  const unsigned char key[PARSER_KEY_BYTES]);

/* The format in use: cfg.format, or the one parser_set_format fixed. */
enum log_format parser_format(const struct parser *p);

/* The scanner's state as the lines read so far left it (a W3C #Fields
 * line changes it): what logfold privacy's checks read of the format, and
 * what parser_set_scanner gives another parser of the same run. Valid
 * until p's next call. */
const struct scanner *parser_scanner(const struct parser *p);

/* Make p read the next lines as the parser whose parser_scanner() s is
 * (or a copy of it, scanner_copy) would: the same format and #Fields.
 * For a worker that takes over lines from the middle of an input. */
void parser_set_scanner(struct parser *p, const struct scanner *s);

/* The parser's own buffers a hit's slices may point into (checks). */
enum parser_buf {
	PARSER_BUF_PAGE,  /* the page after its rules: hit.page */
	PARSER_BUF_SITE,  /* --site or the line's host: hit.site */
	PARSER_BUF_LABEL, /* a beacon action's label: hit.label */
};

/* Whether s lies wholly inside buffer b of p. */
bool parser_holds(const struct parser *p, enum parser_buf b, struct slice s);

/* Fix the format (after detection; not FMT_CUSTOM nor FMT_JSON, whose
 * program or map only parser_new receives). */
void parser_set_format(struct parser *p, enum log_format f);

/*
 * Parse one line. Returns PARSE_PAGEVIEW and fills *out, PARSE_OPTOUT for
 * a request carrying its site's opt-out marker (*out untouched), or
 * PARSE_BEACON
 * and fills *out with the event (out->kind; HIT_NOTHING when the request
 * carried nothing usable), or the reason the line is neither (among them
 * SKIP_NOT_REQUEST: a blank line, a comment or W3C directive, a server's
 * own message, a TCP connection without HTTP); for SKIP_MALFORMED *why is
 * a static phrase that never quotes the line; for SKIP_BOT out->site,
 * out->day and out->bot are set (nothing else); a line of a day before
 * cfg.expire_before is SKIP_EXPIRED, whatever else it is (once its time
 * and status are read).
 * A beacon or tracker request is a GET with a good status to one of the
 * configured paths, by an agent that is not a robot; its own page goes
 * through the same normalisation as a pageview's. *out's slices are valid
 * until the next call.
 */
enum skip_reason parser_line(struct parser *p, struct slice line, struct hit *out,
			     const char **why);

/* The time of a line of any kind (asset, bot, POST ...) in UTC seconds,
 * and its UTC offset (seconds east, after --tz); false when the line has
 * no readable time. Sees nothing else of it. */
bool parser_line_time(struct parser *p, struct slice line, int64_t *utc, int32_t *offset);

/*
 * A line's signature: a 64-bit checksum, under a fixed public key, of what
 * the line reduces to, never of its bytes: its outcome (pageview, beacon
 * event and its kind, or the skip reason) and, as far as the line gets,
 * its site (not a host --site-allow refuses), local day and hour, status,
 * masked client address and, for a page, the page after its rules. Two
 * lines that differ only in what masking and reduction drop (the masked
 * bytes of an address, user, ident, cookie, query string, agent version)
 * have the same signature. *day: the line's local day, INT32_MIN when it
 * has no time. Used at the start of each input only (parsers/input/
 * resume.h); it parses the line (without geography) and leaves *out of
 * parser_line's last call invalid.
 */
uint64_t parser_signature(struct parser *p, struct slice line, int32_t *day);

/* The signature of a line too long to read (its outcome alone). */
uint64_t parser_signature_long(void);

/* A line read before, passed over uncounted: only a directive in it (W3C
 * "#Fields:") is taken, as it changes how the next lines read. */
void parser_pass(struct parser *p, struct slice line);

/* Lines of an input's start that are signed: RESUME_SIG_LINES
 * (parsers/input/resume.h; parser.c checks that they agree). */
#define PARSER_SIG_LINES 64

/* What the look at an input's start tells the run (parser_look). */
struct parser_start {
	int64_t first_time; /* UTC time of its first line with one; INT64_MIN: none */
	int32_t first_offset; /* that line's UTC offset, seconds east (0: none) */
	int32_t first_day;  /* the earliest local day of its signed lines; INT32_MIN: none */
	uint64_t sig[PARSER_SIG_LINES]; /* signatures of its first lines */
	uint32_t nsig;      /* fewer than PARSER_SIG_LINES only for a shorter input */
};

/* Read the start la kept (the format set) into *out. A time after
 * time_max (a line from the future) is no first time. */
void parser_look(struct parser *p, const struct lookahead *la, int64_t time_max,
		 struct parser_start *out);

/*
 * The routing hash of --shard: SipHash-2-4, under a fixed public key (the
 * same on every machine), of the fields that define a visitor, taken from
 * the one list the run's keyed visitor hash uses: the client address
 * (ip's 16 bytes when family is set, else the text client), the agent, the
 * site. It only says which shard counts the visitor; nothing keeps it. For
 * the tests, and for whatever else must split visitors alike.
 */
uint64_t parser_route_hash(const struct ipaddr *ip, struct slice client, struct slice agent,
			   struct slice site);

/* Free the compiled rules; wipe the key and everything the parser saw;
 * free p. NULL is fine. */
void parser_free(struct parser *p);

#endif
