/*
 * reporting.c - `logfold report` and --report (reporting.h). The report is
 * built in memory (a few MB at most: report.h's cuts) and written in one
 * go: to standard output, or to FILE.tmp beside FILE, renamed over it once
 * complete, so that a web server never serves half a report.
 */
#include "reporting.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../output/rbuf.h"
#include "../output/report.h"
#include "../output/report_html.h"
#include "../output/report_json.h"
#include "../output/report_text.h"
#include "commands.h"
#include "msg.h"

enum report_format { FORMAT_HTML, FORMAT_TEXT, FORMAT_JSON };

/* The opt-out means of a rule set (the global one or a [site] section's). */
static void optouts(const struct page_rules_spec *r, struct report_options *o)
{
	o->honor_gpc |= r->honor_gpc;
	o->honor_dnt |= r->honor_dnt;
	o->optout_cookie |= r->list[RULE_OPTOUT_COOKIE].n || r->list[RULE_OPTOUT_FIELD].n;
}

static void make_options(const struct config *cfg, char today[11], struct report_options *o)
{
	options_today(today);
	*o = (struct report_options){ .site = cfg->site_given ? cfg->site : NULL,
				      .from = cfg->from,
				      .to = cfg->to,
				      .public_page = cfg->public_page,
				      .wait_s = cfg->wait,
				      .retention = cfg->retention,
				      .config_file = cfg->config_file,
				      .version = LOGFOLD_VERSION,
				      .today = today };
	optouts(&cfg->rules, o);
	for (int i = 0; i < cfg->nsites; i++)
		optouts(&cfg->site_rules[i], o);
}

static enum exit_code load_status(enum report_error e)
{
	switch (e) {
	case REPORT_OK: return EXIT_OK;
	case REPORT_ERR_SITE:
	case REPORT_ERR_RANGE: return EXIT_USAGE;
	case REPORT_ERR_BUSY: return EXIT_BUSY;
	case REPORT_ERR_NOMEM: return EXIT_OUTPUT;
	case REPORT_ERR_OPEN:
	case REPORT_ERR_NOT_OURS:
	case REPORT_ERR_OLD:
	case REPORT_ERR_NEW:
	case REPORT_ERR_EMPTY: break;
	}
	return EXIT_INPUT;
}

static enum exit_code write_stdout(const struct rbuf *b)
{
	if (fwrite(b->p, 1, b->n, stdout) != b->n || fflush(stdout) != 0) {
		msg_error("cannot write the report to standard output: %s", strerror(errno));
		return EXIT_OUTPUT;
	}
	return EXIT_OK;
}

/* b into path, through path.tmp and a rename. */
static enum exit_code write_file(const char *path, const struct rbuf *b)
{
	size_t n = strlen(path);
	char *tmp = malloc(n + 5);
	if (!tmp) {
		msg_error("out of memory");
		return EXIT_OUTPUT;
	}
	memcpy(tmp, path, n);
	memcpy(tmp + n, ".tmp", 5);
	FILE *f = fopen(tmp, "wb");
	const char *what = f ? path : tmp;
	int err = f ? 0 : errno;
	if (f && (fwrite(b->p, 1, b->n, f) != b->n || fflush(f) != 0 || fsync(fileno(f)) != 0))
		err = errno ? errno : EIO;
	if (f && fclose(f) != 0 && !err)
		err = errno;
	if (!err && rename(tmp, path) != 0)
		err = errno;
	if (err) {
		if (f)
			unlink(tmp);
		msg_error("cannot write '%s': %s", what, strerror(err));
	}
	free(tmp);
	return err ? EXIT_OUTPUT : EXIT_OK;
}

static bool render(const struct report *rep, enum report_format fmt, struct rbuf *b)
{
	if (fmt == FORMAT_JSON)
		return report_json(rep, b);
	if (fmt == FORMAT_TEXT)
		return report_text(rep, b);
	return report_html(rep, b);
}

static const char *const format_words[] = { "HTML", "text", "JSON" };

/* Read the report of cfg->db and write it in fmt to out (NULL or "-":
 * standard output). */
static enum exit_code report(const struct config *cfg, enum report_format fmt, const char *out)
{
	struct report rep;
	struct report_options opt;
	struct rbuf b;
	char today[11], err[512];
	make_options(cfg, today, &opt);
	enum report_error e = report_load(&rep, cfg->db, &opt, err, sizeof(err));
	enum exit_code code = load_status(e);
	rbuf_init(&b);
	if (code != EXIT_OK) {
		msg_error("%s", err);
	} else if (!render(&rep, fmt, &b)) {
		msg_error("out of memory while writing the report");
		code = EXIT_OUTPUT;
	} else {
		if (!rep.any_data)
			msg_info("no data from %s to %s in '%s': the report says so", rep.from,
				 rep.to, cfg->db);
		bool to_stdout = !out || strcmp(out, "-") == 0;
		code = to_stdout ? write_stdout(&b) : write_file(out, &b);
		if (code == EXIT_OK && !to_stdout)
			msg_info("wrote the %s report of %zu site%s, %s to %s, to '%s' (%zu bytes)",
				 format_words[fmt], rep.nsites, rep.nsites > 1 ? "s" : "", rep.from,
				 rep.to, out, b.n);
	}
	rbuf_free(&b);
	report_free(&rep);
	return code;
}

int report_main(const struct config *cfg)
{
	enum report_format fmt = cfg->json ? FORMAT_JSON : cfg->text ? FORMAT_TEXT : FORMAT_HTML;
	if (fmt == FORMAT_HTML && !cfg->output && isatty(STDOUT_FILENO)) {
		msg_error("an HTML report is not for a terminal: give -o FILE (or -o - for standard "
			  "output, or --text); see 'logfold --help'");
		return EXIT_USAGE;
	}
	enum exit_code e = refuse_partial(cfg->db, cfg->wait, "report on it");
	return e == EXIT_OK ? report(cfg, fmt, cfg->output) : e;
}

enum exit_code report_after_run(const struct config *cfg)
{
	return report(cfg, FORMAT_HTML, cfg->report);
}
