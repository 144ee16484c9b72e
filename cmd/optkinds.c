/*
 * optkinds.c - each kind of option value, parsed, checked and stored as
 * its row says (see optkinds.h), and the few checks and custom parsers the
 * rows name. A kind stores through the row's field offset and the field
 * type opttable.h's OPT_FTYPE found, never by the option's name. It does
 * not print, and knows nothing of where a value came from: options.c does
 * the messages, the lists' replacement and the modes.
 */
#include "optkinds.h"

#include <assert.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../common/civil.h"
#include "../common/host.h"
#include "../parsers/reduce/page.h"

/* ---- storing into a row's field ------------------------------------------- */

static void *field(const struct opt_def *o, void *base)
{
	return (char *)base + o->field;
}

static int *list_count(const struct opt_def *o, void *base)
{
	return (int *)(void *)((char *)base + o->count);
}

static void store_long(const struct opt_def *o, void *base, long v)
{
	if (!base)
		return;
	switch (o->ftype) {
	case FT_BOOL:
		*(bool *)field(o, base) = v != 0;
		return;
	case FT_INT:
		*(int *)field(o, base) = (int)v;
		return;
	case FT_UINT:
		*(unsigned *)field(o, base) = (unsigned)v;
		return;
	default:
		assert(!"a number stored into a field that is not one");
	}
}

static void store_str(const struct opt_def *o, void *base, const char *s)
{
	if (base) {
		assert(o->ftype == FT_STR);
		*(const char **)field(o, base) = s;
	}
}

/* One more value of a string list; the reason when it is full. */
static const char *add_value(const struct opt_def *o, const char *value, void *base, char *err,
			     size_t cap)
{
	if (!base)
		return NULL;
	int *n = list_count(o, base);
	if (*n >= o->max) {
		if (o->full)
			return o->full;
		snprintf(err, cap, "more than %d values", o->max);
		return err;
	}
	((const char **)field(o, base))[(*n)++] = value;
	return NULL;
}

/* ---- the kinds ------------------------------------------------------------- */

/* A switch's value in a config file: true/yes/on/1 or false/no/off/0. On
 * the command line a switch is always "1". */
static const char *kind_switch(const struct opt_def *o, char *value, void *base, char *err,
			       size_t cap)
{
	static const char *const yes[] = { "1", "true", "yes", "on" };
	static const char *const no[] = { "0", "false", "no", "off" };
	for (size_t i = 0; i < 4; i++) {
		if (strcasecmp(value, yes[i]) == 0 || strcasecmp(value, no[i]) == 0) {
			store_long(o, base, strcasecmp(value, yes[i]) == 0);
			return NULL;
		}
	}
	return o->want ? o->want : "true or false";
}

static const char *kind_const(const struct opt_def *o, char *value, void *base, char *err,
			      size_t cap)
{
	store_long(o, base, o->lo);
	return NULL;
}

/* A whole decimal number in [lo, hi]. */
static const char *kind_int(const struct opt_def *o, char *value, void *base, char *err, size_t cap)
{
	char *end;
	long v = strtol(value, &end, 10);
	if (end == value || *end || v < o->lo || v > o->hi) {
		if (o->want)
			return o->want;
		snprintf(err, cap, "a number from %ld to %ld", o->lo, o->hi);
		return err;
	}
	store_long(o, base, v);
	return NULL;
}

/* A decimal number in [lo, hi], the row's unit ("%") allowed after it. */
static const char *kind_decimal(const struct opt_def *o, char *value, void *base, char *err,
				size_t cap)
{
	char *end;
	double v = strtod(value, &end);
	if (end == value || (*end && (!o->unit || strcmp(end, o->unit) != 0)) ||
	    !(v >= (double)o->lo && v <= (double)o->hi)) {
		if (o->want)
			return o->want;
		snprintf(err, cap, "a number from %ld to %ld", o->lo, o->hi);
		return err;
	}
	if (base) {
		assert(o->ftype == FT_DOUBLE);
		*(double *)field(o, base) = v;
	}
	return NULL;
}

/* seconds as the user would write them: 0, 90s, 30m, 24h. */
static void duration_words(long s, char *buf, size_t cap)
{
	if (s == 0)
		snprintf(buf, cap, "0");
	else if (s % 3600 == 0)
		snprintf(buf, cap, "%ldh", s / 3600);
	else if (s % 60 == 0)
		snprintf(buf, cap, "%ldm", s / 60);
	else
		snprintf(buf, cap, "%lds", s);
}

/* "30" (minutes), "30m", "1800s", "1h": seconds in [lo, hi]. A number
 * with a unit is at least 1, so that "0s" is no slip for a zero: zero is
 * the bare "0", and only where lo is 0. */
static const char *kind_duration(const struct opt_def *o, char *value, void *base, char *err,
				 size_t cap)
{
	char *end;
	long v = strtol(value, &end, 10), unit = 60;
	if (o->lo == 0 && strcmp(value, "0") == 0) {
		store_long(o, base, 0);
		return NULL;
	}
	if (*end == 's')
		unit = 1;
	else if (*end == 'h')
		unit = 3600;
	else if (*end != 'm' && *end != '\0')
		unit = 0; /* no such unit */
	if (end == value || unit == 0 || (*end && end[1]) || v < 1 || v > o->hi / unit ||
	    v * unit < o->lo) {
		char lo[24], hi[24];
		if (o->want)
			return o->want;
		duration_words(o->lo, lo, sizeof(lo));
		duration_words(o->hi, hi, sizeof(hi));
		snprintf(err, cap, "a duration from %s to %s", lo, hi);
		return err;
	}
	store_long(o, base, v * unit);
	return NULL;
}

/* YYYY-MM-DD: its day number into an int field, or the text itself. */
static const char *kind_day(const struct opt_def *o, char *value, void *base, char *err, size_t cap)
{
	int32_t d;
	if (!day_parse(value, strlen(value), &d))
		return o->want ? o->want : "a day as YYYY-MM-DD";
	if (o->ftype == FT_STR)
		store_str(o, base, value);
	else
		store_long(o, base, d);
	return NULL;
}

/* Text of lo..hi bytes (hi 0: any), then the row's check; a list's value
 * is added to it. */
static const char *kind_string(const struct opt_def *o, char *value, void *base, char *err,
			       size_t cap)
{
	size_t n = strlen(value);
	const char *why = NULL;
	if (n < (size_t)o->lo || (o->hi && n > (size_t)o->hi)) {
		if (o->want)
			return o->want;
		snprintf(err, cap, "a text of %ld to %ld bytes", o->lo, o->hi ? o->hi : LONG_MAX);
		return err;
	}
	if (o->check && (why = o->check(o, value, err, cap)) != NULL)
		return why;
	if (opt_is_list(o))
		return add_value(o, value, base, err, cap);
	store_str(o, base, value);
	return NULL;
}

/* One of the row's choices, stored as its index. */
static const char *kind_enum(const struct opt_def *o, char *value, void *base, char *err,
			     size_t cap)
{
	size_t used = 0;
	for (long i = 0; o->choices[i]; i++)
		if (strcmp(value, o->choices[i]) == 0) {
			store_long(o, base, i);
			return NULL;
		}
	if (o->want)
		return o->want;
	used = (size_t)snprintf(err, cap, "one of");
	for (size_t i = 0; o->choices[i] && used < cap; i++)
		used += (size_t)snprintf(err + used, cap - used, "%s %s", i ? "," : "",
					 o->choices[i]);
	return err;
}

static const char *kind_custom(const struct opt_def *o, char *value, void *base, char *err,
			       size_t cap)
{
	return o->parse(o, value, base, err, cap);
}

static opt_parse_fn *const kinds[] = {
	[OPT_SWITCH] = kind_switch,   [OPT_CONST] = kind_const,       [OPT_INT] = kind_int,
	[OPT_DECIMAL] = kind_decimal, [OPT_DURATION] = kind_duration, [OPT_DAY] = kind_day,
	[OPT_STRING] = kind_string,   [OPT_PATH] = kind_string,       [OPT_DIR] = kind_string,
	[OPT_ENUM] = kind_enum,       [OPT_CUSTOM] = kind_custom,
};

const char *optkind_apply(const struct opt_def *o, char *value, void *base, char *err, size_t cap)
{
	assert((size_t)o->kind < sizeof(kinds) / sizeof(kinds[0]) && kinds[o->kind]);
	if ((o->flags & OPTF_NONE) && strcmp(value, "none") == 0) {
		if (base)
			optkind_clear(o, base);
		return NULL;
	}
	return kinds[o->kind](o, value, base, err, cap);
}

void optkind_clear(const struct opt_def *o, void *base)
{
	if (opt_is_list(o)) {
		*list_count(o, base) = 0;
		return;
	}
	switch (o->ftype) {
	case FT_BOOL:
	case FT_INT:
	case FT_UINT:
		store_long(o, base, o->kind == OPT_DAY ? REBUILD_NONE : 0);
		return;
	case FT_DOUBLE:
		*(double *)field(o, base) = 0;
		return;
	case FT_STR:
		store_str(o, base, NULL);
		return;
	default: /* a custom kind's own, set by its default */
		return;
	}
}

bool optkind_reset(const struct opt_def *o, void *base)
{
	char err[OPTKIND_ERR_MAX];
	optkind_clear(o, base);
	for (size_t i = 0; o->def && o->def[i]; i++) {
		/* Not written to: no row with a default has a check that rewrites
		 * its value (the unit test sees to it). */
		char *v = (char *)(uintptr_t)o->def[i];
		if (optkind_apply(o, v, base, err, sizeof(err)))
			return false;
	}
	if (o->def_fn)
		store_long(o, base, o->def_fn());
	return true;
}

void *optkind_base(const struct opt_def *o, struct config *cfg)
{
	return o->site ? (void *)&cfg->rules : (void *)cfg;
}

/* ---- the checks ------------------------------------------------------------- */

const char *optkind_host_check(char *h)
{
	return host_normalize(slice_cstr(h), 0, h, NULL) ? NULL : HOST_WANT;
}

const char *optkind_host(const struct opt_def *o, char *value, char *err, size_t cap)
{
	return optkind_host_check(value);
}

/* An endpoint path: as page_normalize would write it, so that it compares
 * equal to the pages of requests for it. */
const char *optkind_endpoint(const struct opt_def *o, char *value, char *err, size_t cap)
{
	char buf[PAGE_MAX];
	struct slice page;
	if (value[0] == '/' && page_normalize(slice_cstr(value), buf, &page) == NULL &&
	    slice_eq_cstr(page, value))
		return NULL;
	return "a normalised path starting with '/', or none";
}

/* Is zone one the system's tzdata has (a TZif file under TZDIR)? */
const char *optkind_tz(const struct opt_def *o, char *zone, char *err, size_t cap)
{
	const char *dir = getenv("TZDIR");
	char path[512];
	unsigned char magic[4] = { 0 };
	if (!dir || !*dir)
		dir = "/usr/share/zoneinfo";
	snprintf(path, sizeof(path), "%s/%s", dir, zone);
	FILE *f = (zone[0] && zone[0] != '/' && !strstr(zone, "..")) ? fopen(path, "rb") : NULL;
	size_t n = f ? fread(magic, 1, 4, f) : 0;
	if (f)
		fclose(f);
	if (n == 4 && memcmp(magic, "TZif", 4) == 0)
		return NULL;
	return "an IANA zone name such as Europe/Paris (none such in the system's tzdata)";
}

/* A page rule of kind o->param; a --site-alias host is normalised. */
const char *optkind_rule(const struct opt_def *o, char *value, char *err, size_t cap)
{
	const char *why = pagerule_check((enum rule_kind)o->param, value, err, cap);
	if (!why && o->param == RULE_ALIAS)
		(void)optkind_host_check(value); /* checked by pagerule_check: normalises */
	return why;
}

/* ---- the custom parsers ------------------------------------------------------ */

/* The row's words for a refused value (.want), else the parser's own. */
static const char *refused(const struct opt_def *o, const char *own)
{
	return o->want ? o->want : own;
}

const char *optkind_format(const struct opt_def *o, char *value, void *base, char *err, size_t cap)
{
	enum log_format f = log_format_parse(value);
	if (f == FMT_COUNT)
		return refused(o, "one of combined, common, vcombined, vcommon, w3c, cloudfront, "
				  "elb, alb, caddy, traefik, haproxy, squid, nginx-json, "
				  "traefik-json, matomo-json, json, auto");
	store_long(o, base, f);
	return NULL;
}

const char *optkind_client_ip(const struct opt_def *o, char *value, void *base, char *err,
			      size_t cap)
{
	struct client_ip_config scratch;
	if (!client_ip_mode_parse(value,
				  base ? (struct client_ip_config *)field(o, base) : &scratch))
		return refused(o,
			       "remote, xff-first, xff-last or header:NAME (NAME up to 63 bytes)");
	return NULL;
}

/* The list is full before the value is looked at. */
const char *optkind_cidr(const struct opt_def *o, char *value, void *base, char *err, size_t cap)
{
	struct cidr scratch;
	int *n = base ? list_count(o, base) : NULL;
	if (n && *n >= o->max) {
		if (o->full)
			return o->full;
		snprintf(err, cap, "more than %d values", o->max);
		return err;
	}
	if (!cidr_parse(value, n ? &((struct cidr *)field(o, base))[*n] : &scratch))
		return refused(o, "an address or ADDRESS/BITS");
	if (n)
		(*n)++;
	return NULL;
}

/* "country=PATH" or "region=PATH" into the config's geoip_country or
 * geoip_region (the row names no field: two are set); the path is checked
 * when the database is opened. */
const char *optkind_geoip_field(const struct opt_def *o, char *value, void *base, char *err,
				size_t cap)
{
	struct config *cfg = base;
	const char *eq = strchr(value, '=');
	size_t n = eq ? (size_t)(eq - value) : 0;
	const char **to = NULL;
	if (eq && eq[1] && n == 7 && strncmp(value, "country", 7) == 0)
		to = cfg ? &cfg->geoip_country : NULL;
	else if (eq && eq[1] && n == 6 && strncmp(value, "region", 6) == 0)
		to = cfg ? &cfg->geoip_region : NULL;
	else
		return refused(o, "country=PATH or region=PATH");
	if (to)
		*to = eq + 1;
	return NULL;
}

/* "I/N", 0 <= I < N <= OPTKIND_SHARDS_MAX, into the config's shard_index
 * and shard_count (two fields: the row names none). */
const char *optkind_shard(const struct opt_def *o, char *value, void *base, char *err, size_t cap)
{
	struct config *cfg = base;
	char *end, *nend = NULL;
	long i = strtol(value, &end, 10), n = 0;
	if (end != value && *end == '/' && end[1] >= '0' && end[1] <= '9')
		n = strtol(end + 1, &nend, 10);
	if (!nend || *nend || n < 1 || n > OPTKIND_SHARDS_MAX || i < 0 || i >= n)
		return refused(o, "I/N with 0 <= I < N <= 1000");
	if (cfg) {
		cfg->shard_index = (uint32_t)i;
		cfg->shard_count = (uint32_t)n;
	}
	return NULL;
}
