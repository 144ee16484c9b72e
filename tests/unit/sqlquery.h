/*
 * sqlquery.h - for the unit tests that read a database back: its rows as
 * text, by raw sqlite3 calls independent of output/db.c. Included by one
 * test file each (its functions are static), after harness.h.
 */
#ifndef LF_TEST_SQLQUERY_H
#define LF_TEST_SQLQUERY_H

#include <stdio.h>
#include <stdlib.h>

#include <sqlite3.h>

/* All rows of a query on the database at path, columns joined by '|', each
 * row ended by '\n'; "ERROR: ..." when it cannot run. Caller frees. */
static char *raw_query(const char *path, const char *sql)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st;
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK &&
	    sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
		while (sqlite3_step(st) == SQLITE_ROW) {
			for (int i = 0; i < sqlite3_column_count(st); i++) {
				const unsigned char *t = sqlite3_column_text(st, i);
				fprintf(m, "%s%s", i ? "|" : "", t ? (const char *)t : "NULL");
			}
			fputc('\n', m);
		}
		sqlite3_finalize(st);
	} else {
		fprintf(m, "ERROR: %s", sqlite3_errmsg(db));
	}
	sqlite3_close(db);
	fclose(m);
	return buf;
}

static void raw_exec(const char *path, const char *sql)
{
	sqlite3 *db = NULL;

	if (sqlite3_open(path, &db) == SQLITE_OK)
		CHECK_INT(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

#define CHECK_QUERY(path, sql, want)                                            \
	do {                                                                    \
		char *q_ = raw_query((path), (sql));                            \
		CHECK_STR(q_, (want));                                          \
		free(q_);                                                       \
	} while (0)

#endif
