/*
 * version.c - `logfold --version`: what a bug report needs to know about
 * this build and this machine. The version, then each linked library's own
 * version, as its wrapper file reports it (only that file includes the
 * library), then the dates of the data files read at start. It does not
 * open a database or read the data files: a date is the file's mtime,
 * which Debian sets to the data's release date (uap-core 1:0.16.0 ships a
 * regexes.yaml of 2022-08-03, publicsuffix 20230209 a list of 2023-02-09).
 */
#include "version.h"

#include <stdio.h>
#include <sys/stat.h>
#include <time.h>

#include "../common/regex.h"
#include "../common/yamlseq.h"
#include "../output/db.h"
#include "../parsers/input/input.h"
#include "../parsers/reduce/geo.h"
#include "../parsers/reduce/suffix.h"
#include "../parsers/reduce/uap.h"

/* One line of a library's version; 128 bytes hold the longest
 * ("PCRE2 10.42 2022-12-11 (JIT)"). */
#define VERSION_LINE_MAX 128

/* Each linked library: one row here and a function in its wrapper; the
 * decompression libraries are listed by parsers/input (input_library). */
static void (*const libraries[])(char *buf, size_t cap) = {
	db_library_version,    /* output/db.c */
	regex_library_version, /* common/regex.c */
	geo_library_version,   /* parsers/reduce/geo.c */
	yamlseq_library_version, /* common/yamlseq.c */
};

/* The data files read at start (their default paths). */
static const struct data_file {
	const char *what, *path;
} data_files[] = {
	{ "uap-core regexes", UAP_DEFAULT_REGEXES },
	{ "public suffix list", SUFFIX_LIST_PATH },
};

/* "NAME YYYY-MM-DD (PATH)", or "NAME not found (PATH)". */
static int print_data_file(const struct data_file *d)
{
	struct stat st;
	struct tm tm;
	char date[11] = "not found";
	if (stat(d->path, &st) == 0 && gmtime_r(&st.st_mtime, &tm))
		strftime(date, sizeof(date), "%Y-%m-%d", &tm);
	return printf("%s %s (%s)\n", d->what, date, d->path);
}

bool version_print(void)
{
	char line[VERSION_LINE_MAX];
	bool ok = printf("logfold %s\n", LOGFOLD_VERSION) > 0;
	for (size_t i = 0; i < sizeof(libraries) / sizeof(libraries[0]); i++) {
		libraries[i](line, sizeof(line));
		ok = printf("%s\n", line) > 0 && ok;
	}
	const char *name, *v;
	for (size_t i = 0; (name = input_library(i, &v)) != NULL; i++)
		ok = printf("%s %s\n", name, v) > 0 && ok;
	for (size_t i = 0; i < sizeof(data_files) / sizeof(data_files[0]); i++)
		ok = print_data_file(&data_files[i]) > 0 && ok;
	return fflush(stdout) == 0 && ok;
}
