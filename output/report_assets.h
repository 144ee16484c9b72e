/*
 * report_assets.h - the HTML report's style and script, made from
 * output/report.css and output/report.js by the Makefile (a C string per
 * file, byte for byte), so that they are edited as CSS and JavaScript and
 * inlined into every report. The report names each by its SHA-256 in its
 * Content-Security-Policy.
 */
#ifndef LF_REPORT_ASSETS_H
#define LF_REPORT_ASSETS_H

extern const char report_css[];
extern const char report_js[];

#endif
