/*
 * fuzz_db.c - libFuzzer target for what reads a database logfold did not
 * write this run: the input is the file given as an IN.db to `merge`
 * (damaged pages, a foreign schema with the right user_version, absurd
 * values). Each reader in `readers` gets it; each must end in a status,
 * never a crash or a read out of bounds. The merge goes into a new
 * database in memory, so every input starts from the same empty one.
 *
 * The readers: `merge` and `logfold report` (its model read, then drawn
 * as HTML, text and JSON). A new reader of databases is one entry in
 * `readers`: a function that takes the path of the fuzzed file.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../output/db.h"
#include "../../output/rbuf.h"
#include "../../output/report.h"
#include "../../output/report_html.h"
#include "../../output/report_json.h"
#include "../../output/report_text.h"
#include "tmpfile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* merge IN.db into an empty OUT.db in memory (a file would cost its
 * journal's writes on every input), never committed. */
static void read_merge(const char *in)
{
	char err[256];
	struct sink *s;
	if (db_open(&s, ":memory:", 0, err, sizeof(err)) != LF_OK)
		abort(); /* an empty database of our own: always opens */
	struct db_merge_stats ms;
	(void)db_merge(s, in, &ms);
	sink_close(s);
}

/* logfold report on IN.db: every site, the default range, then each form
 * drawn (what it read must be safe to draw, whatever the file held). */
static void read_report(const char *in)
{
	struct report rep;
	struct rbuf b;
	char err[512];
	struct report_options opt = { .version = "fuzz", .today = "2024-12-01", .retention = 13 };
	if (report_load(&rep, in, &opt, err, sizeof(err)) == REPORT_OK) {
		rbuf_init(&b);
		(void)report_html(&rep, &b);
		rbuf_free(&b);
		rbuf_init(&b);
		(void)report_text(&rep, &b);
		rbuf_free(&b);
		rbuf_init(&b);
		(void)report_json(&rep, &b);
		rbuf_free(&b);
	}
	report_free(&rep);
}

static void (*const readers[])(const char *in) = {
	read_merge,
	read_report,
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[] = "/tmp/logfold-fuzz-db-in-XXXXXX";
	fuzz_write_tmp(path, "", 0, data, size);
	for (size_t i = 0; i < sizeof(readers) / sizeof(readers[0]); i++)
		readers[i](path);
	unlink(path);
	/* a header that says WAL can make SQLite leave these beside it */
	static const char *const side[] = { "-wal", "-shm", "-journal" };
	for (size_t i = 0; i < sizeof(side) / sizeof(side[0]); i++) {
		char p[sizeof(path) + 8];
		snprintf(p, sizeof(p), "%s%s", path, side[i]);
		unlink(p);
	}
	return 0;
}
