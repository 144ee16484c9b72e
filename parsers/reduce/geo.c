/*
 * geo.c - the libmaxminddb wrapper: open, look up a masked network, keep
 * the answer in a small cache, close.
 *
 * The cache is direct-mapped: GEO_CACHE_SLOTS entries, a new network
 * replaces whatever shared its slot. Masked networks repeat a lot (a /16
 * holds every visitor of a city's provider), so most lookups become one
 * memcmp; an LRU would save a few more misses for more code and memory
 * traffic. Lookups never allocate.
 */
#include "geo.h"

#include <errno.h>
#include <glob.h>
#include <stdio.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <maxminddb.h>

/* 2^16 entries of 32 bytes: 2 MiB, as many slots as there are IPv4 /16s
 * (the default mask), so a busy site's networks mostly stay cached. */
#define GEO_CACHE_BITS 16
#define GEO_CACHE_SLOTS (1u << GEO_CACHE_BITS)

/* "FR-IDF": ISO 3166-2 is a country, '-', and up to three characters. */
#define GEO_REGION_MAX 6

struct geo_entry {
	struct masked_ip key;
	bool used;
	uint8_t ncountry, nregion;
	char country[2];
	char region[GEO_REGION_MAX];
};

struct geo {
	MMDB_s mmdb;
	bool region;
	const char *country_path[GEO_PATH_MAX + 1]; /* NULL-terminated, into paths */
	const char *region_path[GEO_PATH_MAX + 1];
	uint64_t errors;
	char *paths; /* the copied field paths, split at the dots */
	struct geo_entry cache[GEO_CACHE_SLOTS];
};

/* Split the copy s at dots into path (GEO_PATH_MAX + 1 entries). */
static bool split_path(char *s, const char **path)
{
	int n = 0;
	for (char *p = s;; p++) {
		char *dot = strchr(p, '.');
		if (dot)
			*dot = '\0';
		if (*p == '\0' || n == GEO_PATH_MAX)
			return false;
		path[n++] = p;
		if (!dot)
			break;
		p = dot;
	}
	path[n] = NULL;
	return true;
}

static enum lf_status fail(char *err, size_t errlen, const char *path, const char *cause,
			   enum lf_status st)
{
	snprintf(err, errlen, "cannot open GeoIP database '%s': %s", path, cause);
	return st;
}

enum lf_status geo_open(struct geo **out, const struct geo_config *cfg, char *err, size_t errlen)
{
	size_t nc = strlen(cfg->country_field) + 1, nr = strlen(cfg->region_field) + 1;
	struct geo *g = calloc(1, sizeof(*g));
	if (!g || !(g->paths = malloc(nc + nr))) {
		free(g);
		return fail(err, errlen, cfg->path, strerror(ENOMEM), LF_ERR_NOMEM);
	}
	memcpy(g->paths, cfg->country_field, nc);
	memcpy(g->paths + nc, cfg->region_field, nr);
	if (!split_path(g->paths, g->country_path) || !split_path(g->paths + nc, g->region_path)) {
		geo_close(g);
		return fail(err, errlen, cfg->path, "bad --geoip-field path", LF_ERR_USAGE);
	}
	g->region = cfg->region;
	int rc = MMDB_open(cfg->path, MMDB_MODE_MMAP, &g->mmdb);
	if (rc != MMDB_SUCCESS) {
		int e = errno;
		free(g->paths);
		free(g);
		if (rc == MMDB_FILE_OPEN_ERROR)
			return fail(err, errlen, cfg->path, strerror(e ? e : ENOENT), LF_ERR_IO);
		if (rc == MMDB_OUT_OF_MEMORY_ERROR)
			return fail(err, errlen, cfg->path, strerror(ENOMEM), LF_ERR_NOMEM);
		return fail(err, errlen, cfg->path, MMDB_strerror(rc), LF_ERR_FORMAT);
	}
	*out = g;
	return LF_OK;
}

void geo_close(struct geo *g)
{
	if (!g)
		return;
	if (g->mmdb.file_content)
		MMDB_close(&g->mmdb);
	free(g->paths);
	free(g);
}

uint64_t geo_errors(const struct geo *g)
{
	return g->errors;
}

/* A string of 1..max ASCII letters or digits at path, upper-cased into
 * out; 0 when absent, not a string, or anything else. */
static uint8_t code_at(struct geo *g, MMDB_entry_s *e, const char *const *path, char *out,
		       size_t min, size_t max)
{
	MMDB_entry_data_s d;
	int rc = MMDB_aget_value(e, &d, path);
	if (rc != MMDB_SUCCESS && rc != MMDB_LOOKUP_PATH_DOES_NOT_MATCH_DATA_ERROR &&
	    rc != MMDB_INVALID_LOOKUP_PATH_ERROR)
		g->errors++;
	if (rc != MMDB_SUCCESS || !d.has_data || d.type != MMDB_DATA_TYPE_UTF8_STRING ||
	    d.data_size < min || d.data_size > max)
		return 0;
	for (uint32_t i = 0; i < d.data_size; i++) {
		char c = d.utf8_string[i];
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 32);
		if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')))
			return 0;
		out[i] = c;
	}
	return (uint8_t)d.data_size;
}

/* The subdivision part of a region value: "IDF", or "FR-IDF" with the
 * country given again (some databases store it whole). */
static uint8_t region_at(struct geo *g, MMDB_entry_s *e, struct geo_entry *c)
{
	char sub[GEO_REGION_MAX];
	uint8_t n = code_at(g, e, (const char *const *)g->region_path, sub, 1, 3);
	if (!n)
		return 0;
	memcpy(c->region, c->country, 2);
	c->region[2] = '-';
	memcpy(c->region + 3, sub, n);
	return (uint8_t)(n + 3);
}

static void resolve(struct geo *g, const struct masked_ip *ip, struct geo_entry *c)
{
	struct sockaddr_storage ss = { 0 };
	int rc;
	if (ip->family == 4) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
		sin->sin_family = AF_INET;
		memcpy(&sin->sin_addr, ip->bytes, 4);
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
		sin6->sin6_family = AF_INET6;
		memcpy(&sin6->sin6_addr, ip->bytes, 16);
	}
	MMDB_lookup_result_s r = MMDB_lookup_sockaddr(&g->mmdb, (struct sockaddr *)&ss, &rc);
	/* An IPv6 network in an IPv4-only database is simply not in it. */
	if (rc != MMDB_SUCCESS && rc != MMDB_IPV6_LOOKUP_IN_IPV4_DATABASE_ERROR)
		g->errors++;
	if (rc != MMDB_SUCCESS || !r.found_entry)
		return;
	c->ncountry = code_at(g, &r.entry, (const char *const *)g->country_path, c->country, 2, 2);
	if (c->ncountry && g->region)
		c->nregion = region_at(g, &r.entry, c);
}

static size_t slot_of(const struct masked_ip *ip)
{
	uint64_t a, b;
	memcpy(&a, ip->bytes, 8);
	memcpy(&b, ip->bytes + 8, 8);
	uint64_t h = (a ^ (b * 0xff51afd7ed558ccdULL) ^ ip->family) * 0x9e3779b97f4a7c15ULL;
	return (size_t)(h >> (64 - GEO_CACHE_BITS));
}

void geo_lookup(struct geo *g, const struct masked_ip *ip, struct slice *country,
		struct slice *region)
{
	*country = SLICE_LIT(GEO_UNKNOWN);
	*region = g->region ? SLICE_LIT(GEO_UNKNOWN) : SLICE_LIT("");
	if (ip->family != 4 && ip->family != 6)
		return;
	struct geo_entry *c = &g->cache[slot_of(ip)];
	if (!c->used || memcmp(&c->key, ip, sizeof(*ip)) != 0) {
		*c = (struct geo_entry){ .key = *ip, .used = true };
		resolve(g, ip, c);
	}
	if (c->ncountry)
		*country = slice_make(c->country, c->ncountry);
	if (c->nregion)
		*region = slice_make(c->region, c->nregion);
}

bool geo_find_default(char *buf, size_t len)
{
	/* City first: it answers --geo region too. */
	static const char *const patterns[] = {
		"/usr/share/GeoIP/GeoLite2-City.mmdb",   "/usr/share/GeoIP/GeoIP2-City.mmdb",
		"/usr/share/GeoIP/dbip-city*.mmdb",      "/var/lib/GeoIP/GeoLite2-City.mmdb",
		"/var/lib/GeoIP/GeoIP2-City.mmdb",       "/var/lib/GeoIP/dbip-city*.mmdb",
		"/usr/share/GeoIP/GeoLite2-Country.mmdb", "/usr/share/GeoIP/GeoIP2-Country.mmdb",
		"/usr/share/GeoIP/dbip-country*.mmdb",   "/var/lib/GeoIP/GeoLite2-Country.mmdb",
		"/var/lib/GeoIP/GeoIP2-Country.mmdb",    "/var/lib/GeoIP/dbip-country*.mmdb",
	};
	for (size_t i = 0; i < sizeof(patterns) / sizeof(patterns[0]); i++) {
		glob_t gl;
		if (glob(patterns[i], 0, NULL, &gl) == 0 && gl.gl_pathc > 0) {
			/* the last in sort order: DB-IP names end in the month */
			snprintf(buf, len, "%s", gl.gl_pathv[gl.gl_pathc - 1]);
			globfree(&gl);
			return true;
		}
		globfree(&gl);
	}
	return false;
}

void geo_library_version(char *buf, size_t cap)
{
	snprintf(buf, cap, "libmaxminddb %s", MMDB_lib_version());
}
