/*
 * uap.h - uap-core's user-agent regexes (regexes.yaml): loaded and compiled
 * once, then an agent is parsed into what the uap specification defines:
 * the user agent (family, major, minor, patch, patch_minor), the operating
 * system (family, major, minor, patch, patch_minor) and the device (family,
 * brand, model), each list's first matching regex deciding.
 *
 * Replacements follow the specification: a field's *_replacement, when
 * given, is used with $1..$9 replaced by the regex's groups (an unset group
 * is empty); otherwise the field is its default group. The result is
 * trimmed of spaces and an empty field is absent. A family that nothing
 * fills is "Other". This module keeps nothing of the agent after a call;
 * the reduction to what logfold keeps is agent.c's.
 */
#ifndef LF_UAP_H
#define LF_UAP_H

#include "../../common/slice.h"
#include "../../common/status.h"
#include "rxset.h"

/* Where Debian's uap-core package puts the regexes. */
#define UAP_DEFAULT_REGEXES "/usr/share/uap-core/regexes.yaml"

/* Longest field kept, in bytes; a longer one (a group that captured a long
 * stretch of the agent) is cut. The longest in uap-core's device suite is 148 bytes. */
#define UAP_FIELD_MAX 256

enum uap_list { UAP_UA, UAP_OS, UAP_DEVICE, UAP_NLISTS };

/* Fields per list: ua and os use all five, device the first three. */
#define UAP_NFIELDS 5
enum { UAP_FAMILY, UAP_MAJOR, UAP_MINOR, UAP_PATCH, UAP_PATCH_MINOR };
enum { UAP_DEV_FAMILY, UAP_DEV_BRAND, UAP_DEV_MODEL };

struct uap_rule {
	char *repl[UAP_NFIELDS]; /* NULL: no replacement for that field */
	char *pattern;           /* the regex's text */
};

struct uap {
	struct rxset set[UAP_NLISTS];
	struct uap_rule *rules[UAP_NLISTS]; /* parallel to set[l].rules */
	size_t cap[UAP_NLISTS];
	unsigned regexes; /* compiled, all lists */
};

/* One parse. A field is absent when its length is 0. */
struct uap_result {
	char field[UAP_NLISTS][UAP_NFIELDS][UAP_FIELD_MAX];
	size_t len[UAP_NLISTS][UAP_NFIELDS];
	int rule[UAP_NLISTS]; /* the regex that matched, or -1 */
};

/*
 * Load and compile the regexes at path. LF_ERR_IO (errno set) when it cannot
 * be read; LF_ERR_FORMAT with "LINE: REASON" or "regex N: OFFSET: REASON"
 * in err when the file or a regex is bad; LF_ERR_NOMEM. On failure u holds
 * nothing to release.
 */
enum lf_status uap_load(struct uap *u, const char *path, char *err, size_t errlen);

/* Parse the prepared agent sub into *out. prefilter: as rxset_first. */
void uap_parse(struct uap *u, const struct rxset_subject *sub, bool prefilter,
	       struct uap_result *out);

/*
 * Expand one replacement: repl with $1..$9 replaced by cap[1..9] (an unset
 * group: nothing), or, when repl is NULL, the group dflt (0: none). The
 * result, trimmed of spaces and cut to UAP_FIELD_MAX - 1 bytes, goes to out
 * (NUL-terminated); returns its length, 0 for absent.
 */
size_t uap_expand(const char *repl, const struct slice cap[REGEX_MAX_CAPS], int dflt,
		  char out[UAP_FIELD_MAX]);

/* True when field f of list l in r is spelled, as it is, in the text of
 * the regex that matched or in that field's replacement: a name uap-core
 * chose, not text the regex captured from the agent. */
bool uap_field_is_fixed(const struct uap *u, const struct uap_result *r, enum uap_list l, int f);

void uap_release(struct uap *u);

#endif
