/*
 * schema_ddl.c - print the SQL that makes an empty logfold database of an
 * earlier schema version, as the logfold of that version made it:
 * migrations 0 .. V-1 of output/db_schema.c, which are never edited once
 * released. tests/schema/make-fixture.sh pipes it into the sqlite3 CLI.
 *
 *   schema_ddl V      1 <= V <= DB_SCHEMA_VERSION
 *   schema_ddl U V    migrations U .. V-1 only (0 <= U < V): from schema
 *                     version U to V, for a fixture filled version by
 *                     version as a database lives through them
 *   schema_ddl        prints DB_SCHEMA_VERSION
 */
#include <stdio.h>
#include <stdlib.h>

#include "../../output/db.h"

int main(int argc, char **argv)
{
	if (argc < 2) {
		printf("%d\n", DB_SCHEMA_VERSION);
		return 0;
	}
	char *end, *end0 = NULL;
	long u = 0, v = strtol(argv[argc - 1], &end, 10);
	if (argc == 3)
		u = strtol(argv[1], &end0, 10);
	if (argc > 3 || *end || (end0 && *end0) || u < 0 || v <= u || v > DB_SCHEMA_VERSION) {
		fprintf(stderr, "usage: schema_ddl [[U] V]  (0 <= U < V <= %d)\n",
			DB_SCHEMA_VERSION);
		return 2;
	}
	for (long i = u; i < v; i++)
		if (printf("%s\n", db_migration_sql((int)i)) < 0)
			return 1;
	return fflush(stdout) == 0 ? 0 : 1;
}
