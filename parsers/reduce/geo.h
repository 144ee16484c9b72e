/*
 * geo.h - country and region of a masked client address, from a MaxMind DB
 * (.mmdb: GeoLite2/GeoIP2 City or Country, DB-IP). The only wrapper of
 * libmaxminddb: nothing else includes maxminddb.h.
 *
 * It is only ever given the masked network (struct masked_ip), so its
 * answer cannot be finer than the mask allows. It keeps nothing finer than
 * a region: a value that is not an ISO 3166-1 alpha-2 country, or an
 * ISO 3166-2 subdivision code of one to three letters or digits, is
 * "(unknown)" - a misconfigured --geoip-field cannot turn city names or
 * coordinates into output.
 */
#ifndef LF_GEO_H
#define LF_GEO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../../common/slice.h"
#include "../../common/status.h"
#include "hit.h"

/* The value of a lookup that found nothing usable. */
#define GEO_UNKNOWN "(unknown)"

/* Components of a --geoip-field path ("subdivisions.0.iso_code" has 3). */
#define GEO_PATH_MAX 8

/* The default fields: the GeoIP2 / DB-IP layout. The country is where the
 * address is, not registered_country (where its owner registered it). */
#define GEO_COUNTRY_FIELD "country.iso_code"
#define GEO_REGION_FIELD "subdivisions.0.iso_code"

struct geo_config {
	const char *path;          /* the .mmdb file */
	bool region;               /* look regions up too */
	const char *country_field; /* dot-separated path in a record */
	const char *region_field;
};

struct geo;

/*
 * Open the database. On failure writes "cannot open GeoIP database
 * 'PATH': CAUSE" into err and returns LF_ERR_IO (the file cannot be read),
 * LF_ERR_FORMAT (it is not a valid MaxMind DB: corrupt, truncated, another
 * kind of file), LF_ERR_USAGE (a field path is empty or has more than
 * GEO_PATH_MAX parts) or LF_ERR_NOMEM.
 */
enum lf_status geo_open(struct geo **out, const struct geo_config *cfg, char *err,
			size_t errlen);

/*
 * The country ("FR") and, when configured, region ("FR-IDF") of ip, or
 * GEO_UNKNOWN. The slices point into g and are valid until the next call.
 * Answers are cached per masked network (2^16 entries, geo.c); a
 * lookup the database fails on (a damaged record) is unknown and counted.
 */
void geo_lookup(struct geo *g, const struct masked_ip *ip, struct slice *country,
		struct slice *region);

/* How many lookups failed on a damaged database (see geo_lookup). */
uint64_t geo_errors(const struct geo *g);

void geo_close(struct geo *g);

/* Write into buf (len bytes) the first database found in the usual places
 * (/usr/share/GeoIP/, /var/lib/GeoIP/; City before Country); false when
 * there is none. */
bool geo_find_default(char *buf, size_t len);

/* "libmaxminddb X.Y.Z": the libmaxminddb library linked, into buf (cap
 * bytes, cut short if need be), for logfold --version. */
void geo_library_version(char *buf, size_t cap);

#endif
