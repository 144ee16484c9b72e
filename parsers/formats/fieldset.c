/*
 * fieldset.c - the fields a format can log (fieldset.h), from its
 * description: the CLF family's fixed list, a program's steps (format
 * strings, the fixed-field formats, W3C's #Fields once read), a JSON map's
 * entries.
 */
#include "fieldset.h"

#include <string.h>

/* The slot of a field every format names, or SLOT_EXTRA for any other
 * name (a header or variable, looked up by name). */
static enum logfmt_slot named_slot(const char *name)
{
	static const struct {
		const char *name;
		enum logfmt_slot slot;
	} fixed[] = {
		{ "vhost", SLOT_VHOST },     { "client", SLOT_CLIENT },
		{ "status", SLOT_STATUS },   { "referer", SLOT_REFERER },
		{ "user-agent", SLOT_AGENT }, { "request", SLOT_REQUEST },
		{ "duration", SLOT_DURATION },
	};
	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		if (strcmp(fixed[i].name, name) == 0)
			return fixed[i].slot;
	return SLOT_EXTRA;
}

/* Does a step or entry of this slot (and extra name) give the field? */
static bool gives(enum logfmt_slot slot, const char *extra, enum logfmt_slot want,
		  const char *name)
{
	if (want == SLOT_EXTRA)
		return slot == SLOT_EXTRA && strcmp(extra, name) == 0;
	if (want == SLOT_CLIENT)
		return slot == SLOT_CLIENT || slot == SLOT_CLIENT_PORT;
	if (want == SLOT_STATUS)
		return slot == SLOT_STATUS || slot == SLOT_CODE_STATUS;
	return slot == want;
}

/* combined, common and their v* variants: fixed fields, no extra. */
static enum field_logged clf_logged(enum log_format f, enum logfmt_slot want)
{
	bool v = f == FMT_VCOMBINED || f == FMT_VCOMMON;
	bool combined = f == FMT_COMBINED || f == FMT_VCOMBINED;
	switch (want) {
	case SLOT_VHOST: return v ? FIELD_LOGGED : FIELD_NOT_LOGGED;
	case SLOT_CLIENT:
	case SLOT_STATUS:
	case SLOT_REQUEST: return FIELD_LOGGED;
	case SLOT_REFERER:
	case SLOT_AGENT: return combined ? FIELD_LOGGED : FIELD_NOT_LOGGED;
	default: return FIELD_NOT_LOGGED;
	}
}

static enum field_logged prog_logged(const struct logfmt *p, enum logfmt_slot want,
				     const char *name)
{
	for (int i = 0; i < p->nsteps; i++) {
		const struct logfmt_step *st = &p->step[i];
		if (st->lit_len == 0 && gives((enum logfmt_slot)st->slot, p->text + st->name, want, name))
			return FIELD_LOGGED;
	}
	return FIELD_NOT_LOGGED;
}

static enum field_logged map_logged(const struct json_map *m, enum logfmt_slot want,
				    const char *name)
{
	/* nginx-json: every top-level key named as a core variable is read,
	 * so every field but the extras the map lists may be there */
	if (m->by_variable && want != SLOT_EXTRA)
		return FIELD_LOGGED;
	for (int i = 0; i < m->n; i++)
		if (gives((enum logfmt_slot)m->e[i].slot, m->text + m->e[i].name, want, name))
			return FIELD_LOGGED;
	return FIELD_NOT_LOGGED;
}

enum field_logged fieldset_logged(const struct scanner *s, const char *name)
{
	enum logfmt_slot want = named_slot(name);
	switch (s->format) {
	case FMT_AUTO:
	case FMT_COUNT:
		return FIELD_UNKNOWN;
	case FMT_COMBINED:
	case FMT_COMMON:
	case FMT_VCOMBINED:
	case FMT_VCOMMON:
		return clf_logged(s->format, want);
	case FMT_W3C:
	case FMT_CLOUDFRONT:
		return s->w3c_ready ? prog_logged(s->prog, want, name) : FIELD_UNKNOWN;
	case FMT_CADDY:
	case FMT_NGINX_JSON:
	case FMT_JSON:
		return s->map ? map_logged(s->map, want, name) : FIELD_UNKNOWN;
	default:
		return s->prog ? prog_logged(s->prog, want, name) : FIELD_UNKNOWN;
	}
}
