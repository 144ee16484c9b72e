/*
 * fieldset.h - which fields the lines of a format can carry: asked of a
 * scanner set up for the format (scanner_init), before or while a log is
 * read. `logfold privacy` and the run use it to tell an opt-out marker the
 * format can never log (a cookie in the combined format) from one it logs.
 *
 * It reads the format's description only (CLF's fixed fields, a compiled
 * program's steps, a JSON map's entries), never a line.
 */
#ifndef LF_FIELDSET_H
#define LF_FIELDSET_H

#include "logformat.h"

enum field_logged {
	FIELD_NOT_LOGGED, /* no line of this format holds it */
	FIELD_LOGGED,     /* the format names it: a line may hold it */
	FIELD_UNKNOWN,    /* not known yet: W3C or CloudFront before the
			   * log's #Fields line, or no format chosen (auto) */
};

/*
 * Can lines read by s hold the field named name? name is what
 * raw_field_get() and --optout-field take: a header or variable by its
 * lower-case name ("cookie", "sec-gpc", "dnt", "cookie_consent"), or one
 * of the fields every format names: "vhost", "client", "status",
 * "referer", "user-agent", "request"; or "duration" (a load time).
 */
enum field_logged fieldset_logged(const struct scanner *s, const char *name);

#endif
