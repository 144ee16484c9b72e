/*
 * clf.h - the Common Log Format family: common, combined, and their
 * virtual-host variants vcommon and vcombined (Apache's "%v:%p " prefix).
 *
 *   common:    host ident user [time] "request" status bytes
 *   combined:  common + "referer" "user-agent"
 *   v*:        "vhost:port " + the above
 *
 * The scanner only finds field boundaries: it returns slices into the line,
 * still escaped, and copies nothing. Quoted fields end at the first '"' not
 * escaped by a backslash (Apache writes \" and \\, nginx \x22 and \x5C).
 * Fields after those a format names (nginx's "$http_x_forwarded_for" ...)
 * are ignored.
 */
#ifndef LF_CLF_H
#define LF_CLF_H

#include <stdbool.h>

#include "../../common/slice.h"
#include "fields.h"
#include "logformat.h"

/*
 * Split line into fields of format f (not FMT_AUTO). With strict, nothing
 * may follow the last field of common and vcommon (used by detection, so
 * that a combined line is not taken for common; combined keeps allowing
 * extra fields). Returns NULL, or a static reason.
 */
const char *clf_scan(struct slice line, enum log_format f, bool strict, struct raw_fields *out);

#endif
