/*
 * yamlseq.h - the one wrapper around libyaml: reads the one shape of YAML
 * logfold needs, a sequence of flat mappings ("records"), either at the top
 * level (a JSON array of objects) or as the values of a top-level mapping
 * (uap-core's regexes.yaml: user_agent_parsers, os_parsers, device_parsers;
 * its test suites: test_cases). It does not build a document tree, resolve
 * tags or anchors, or keep anything after the callback returns.
 */
#ifndef LF_YAMLSEQ_H
#define LF_YAMLSEQ_H

#include <stddef.h>

#include "slice.h"
#include "status.h"

/* Most key/value pairs in one record: uap records have at most 6 keys,
 * the crawler list's objects about as many plus one per instance. */
#define YAMLSEQ_MAX_PAIRS 256

struct yamlseq_pair {
	struct slice key;
	struct slice value; /* a null or empty scalar: {NULL, 0} */
};

/*
 * Called once per record. section is the top-level key the record sits
 * under (NUL-terminated), or "" for a top-level sequence. A value that is
 * a sequence of scalars gives one pair per element, all with its key;
 * deeper values (mappings in mappings) are skipped. Slices are valid only
 * during the call. A non-OK return stops the read with that status.
 */
typedef enum lf_status (*yamlseq_fn)(void *ctx, const char *section,
				     const struct yamlseq_pair *pairs, int npairs);

/*
 * Read the YAML file at path (or, when path is NULL, the n bytes at text)
 * and call fn per record. LF_ERR_IO (errno set) when the file cannot be
 * opened; LF_ERR_FORMAT with "LINE: REASON" in err when the YAML does not
 * parse or has more than YAMLSEQ_MAX_PAIRS pairs in a record; LF_ERR_NOMEM;
 * or fn's status.
 */
enum lf_status yamlseq_read(const char *path, const char *text, size_t n, yamlseq_fn fn,
			    void *ctx, char *err, size_t errlen);

/* "libyaml X.Y.Z": the libyaml library linked, into buf (cap
 * bytes, cut short if need be), for logfold --version. */
void yamlseq_library_version(char *buf, size_t cap);

#endif
