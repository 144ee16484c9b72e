/*
 * json.h - JSON lines (one object per line, as Caddy, nginx's escape=json
 * and most log shippers write them): a map from key paths to logfold's
 * fields, and a scanner that walks one object in a single pass and keeps
 * slices of the values the map names. Our own small scanner, not a library:
 * logfold needs no tree, no numbers converted and no allocation, only
 * where each value starts and ends, and a library that builds a document
 * per line would cost more than the rest of the parser.
 *
 * It does not validate the whole object beyond what it walks: a line is
 * malformed when its structure breaks, not when a number is odd.
 */
#ifndef LF_JSON_H
#define LF_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../../common/slice.h"
#include "../../common/status.h"
#include "fields.h"

/* Map entries: a map names a few fields, rarely more than a dozen. */
#define JSON_MAP_MAX 32
/* Bytes of key paths and names of one map. */
#define JSON_MAP_TEXT 2048
/* Nesting the scanner follows (no map names a deeper path); deeper
 * objects and arrays are skipped whole, by a flat walk that needs no
 * stack, so any nesting a line can hold is read. */
#define JSON_DEPTH_MAX 8
/* Longest dotted key path followed ("request.headers.User-Agent"). */
#define JSON_PATH_MAX 256

struct json_map_entry {
	uint16_t path, path_len; /* the dotted key path, in text[] */
	uint8_t slot, rank, arg; /* as logfmt_field() */
	uint16_t name;           /* SLOT_EXTRA: lower-case name in text[] */
};

struct json_map {
	int n;
	struct json_map_entry e[JSON_MAP_MAX];
	char text[JSON_MAP_TEXT];
	size_t ntext;
	bool by_variable; /* nginx-json: every top-level key is an nginx
			   * variable name; e[] is not used */
	bool has_referer; /* e[] maps the referer: a line without its key
			   * had none (direct), not a format without one */
	bool agent_always; /* the format logs every request's headers: a
			    * line without the agent's key had none (empty,
			    * a robot), not a format that logs none */
};

/*
 * Parse a --json-map "FIELD=PATH,FIELD=PATH": FIELD is an nginx variable
 * name (remote_addr, time_iso8601, request_uri, status, http_user_agent,
 * http_x_forwarded_for ...) or "time" (a number is epoch seconds, a string
 * ISO 8601 or CLF); PATH is a key, dotted for nested objects. LF_OK, or
 * LF_ERR_USAGE with a message in err; a map without a time, a request or
 * path, or a status is refused as a log format is.
 */
enum lf_status json_map_parse(struct json_map *m, const char *spec, char *err, size_t errlen);

/* The built-in maps: Caddy's access log; nginx-json (keys = variables);
 * Traefik's JSON access log; the nginx JSON layout of Matomo's importer. */
void json_map_caddy(struct json_map *m);
void json_map_nginx(struct json_map *m);
void json_map_traefik(struct json_map *m);
void json_map_matomo(struct json_map *m);

/*
 * Walk the object on line and fill *out (cleared first) from m. NULL;
 * logfmt_not_request for an object with neither a request (or path) nor a
 * status (a server's own message, as Caddy writes to the same stream); or
 * a static reason that never quotes the line. Values are slices of the text
 * between the quotes, still JSON-escaped (out->escape is ESC_BACKSLASH);
 * an array's first element stands for the array (Caddy logs each header
 * as a list).
 */
const char *json_scan(const struct json_map *m, struct slice line, struct raw_fields *out);

#endif
