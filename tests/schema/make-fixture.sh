#!/bin/sh
# make-fixture.sh V - make tests/schema/vV.db, a database as the logfold of
# schema version V left it: for each version i = 1 .. V, migration i-1
# (output/db.c, printed by build/tools/schema_ddl; released migrations are
# never edited), then the rows of rows/i.sql (what version i added, in its
# columns), as a database lives through the versions (so that a table a
# later migration remakes, resume in 13, holds only what it kept). Run once when a migration
# is added (make build/tools/schema_ddl first), and commit the .db:
# tests/check-schema.sh upgrades every vN.db here to today's schema.
set -eu
cd "$(dirname "$0")"
V=$1
DDL=../../build/tools/schema_ddl
[ -x "$DDL" ] || { echo "make-fixture: run 'make build/tools/schema_ddl' first" >&2; exit 1; }
out=v$V.db
rm -f "$out" "$out.tmp"
{
	i=1
	while [ "$i" -le "$V" ]; do
		"$DDL" $((i - 1)) "$i"
		cat "rows/$i.sql"
		i=$((i + 1))
	done
	echo "VACUUM;"
} | sqlite3 -bail "$out.tmp"
mv "$out.tmp" "$out"
echo "make-fixture: $out (schema $(sqlite3 "$out" 'PRAGMA user_version'))"
