/*
 * privacy.h - `logfold privacy`: the effective settings (config file, then
 * options) checked against the CNIL consent exemption, one line per item,
 * and a privacy-policy paragraph in English and French made from them.
 */
#ifndef LF_PRIVACY_H
#define LF_PRIVACY_H

#include <stdbool.h>
#include <stddef.h>

#include "options.h"

/* Longest reason or policy text one check writes. */
#define PRIVACY_TEXT_MAX 512

/* One item of the checklist: true when cfg is inside the exemption on it,
 * with the reason (what the setting is, and the fix when it fails). */
struct privacy_check {
	const char *id;    /* JSON key and stable name: "ip_mask" ... */
	const char *title; /* "IP addresses masked" */
	bool (*check)(const struct config *cfg, char *why, size_t n);
};

/* The checklist, in the order it is printed. */
extern const struct privacy_check privacy_checks[];
extern const size_t privacy_ncheck;

/* Print the checklist and the policy for cfg (parsed with
 * OPTIONS_MODE_PRIVACY). Returns the exit status: 0 inside the exemption,
 * 1 outside, 4 when stdout cannot be written. */
int privacy_main(const struct config *cfg);

#endif
