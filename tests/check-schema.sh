#!/bin/bash
# check-schema.sh - databases written by every earlier schema version
# upgrade, in one transaction, and give the same answers; a database of a
# newer logfold is refused and left byte for byte as it was.
#
# The fixtures tests/schema/vN.db were made by tests/schema/make-fixture.sh
# from the DDL of migrations 0 .. N-1 (output/db_schema.c) and the rows of
# tests/schema/rows/1..N.sql. For each, on a copy, `logfold prune
# --retention 25` (which deletes nothing: the rows are of March 2024, and
# today is 2024-12-01, tests/run.sh) opens it, and then:
#   - user_version is DB_SCHEMA_VERSION (output/db.h);
#   - every table and view the fixture had returns the same rows, in the
#     fixture's columns, as before: the same answers;
#   - the schema is the one logfold makes for a new database (every
#     CREATE statement compared), so later runs meet what they expect;
#   - below version 7, `days` holds each (site, day) of page_daily,
#     closed (migration 6 -> 7 says days written before were whole);
#     runs from before version 8 read 0 in the columns added since;
#   - a run of the bundled sample into it succeeds, one runs row more.
# One transaction: a fixture below 8 whose runs table already has the
# column `future` makes migration 7 -> 8 fail after the earlier ones ran;
# logfold must exit 4 and leave the file byte-identical (no version in
# between). A fixture for every version below DB_SCHEMA_VERSION must exist:
# a new migration adds tests/schema/rows/N.sql and vN.db (DEVELOPING.md).
# Prints "schema: N passed, N failed".

set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT" || exit 1
SUITE=schema
. "$ROOT/tests/counts.sh"
LOGFOLD=${LOGFOLD:-$ROOT/logfold}
F=$ROOT/tests/schema
W=$ROOT/build/schema
rm -rf "$W"
mkdir -p "$W"
export LOGFOLD_TODAY=2024-12-01
NOW=$(sed -n 's/^#define DB_SCHEMA_VERSION \([0-9]*\)$/\1/p' output/db.h)
S=testdata/sample

q() { sqlite3 -bail -batch -noheader "$@"; }
# answers DB TABLE COLS: every row of TABLE in COLS, quoted, sorted
answers() { q -quote "$1" "SELECT $3 FROM $2 ORDER BY $3"; }
cols() { q "$1" "SELECT group_concat(name, ', ') FROM pragma_table_info('$2')"; }
prune() { "$LOGFOLD" prune --db "$1" --retention 25 2>"$W/err"; }

# the schema of a database logfold makes today
"$LOGFOLD" prune --db "$W/fresh.db" 2>/dev/null
check "a new database" "$(q "$W/fresh.db" 'PRAGMA user_version')" "$NOW"
# every object's CREATE statement, by name (VACUUM may reorder them)
schema() { q "$1" "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name"; }
schema "$W/fresh.db" >"$W/fresh.schema"

for ((v = 1; v < NOW; v++)); do
	check "a fixture for schema $v" "$([ -f "$F/v$v.db" ] && echo yes)" yes
done

for fixture in $(ls "$F"/v*.db | sort -V); do
	v=$(basename "$fixture" .db)
	v=${v#v}
	db=$W/v$v.db
	cp "$fixture" "$db"
	check "v$v: its version" "$(q "$db" 'PRAGMA user_version')" "$v"
	objs=$(q "$db" "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') ORDER BY name")
	for t in $objs; do
		answers "$db" "$t" "$(cols "$db" "$t")" >"$W/v$v.$t.before"
	done
	prune "$db"
	check "v$v: opens and upgrades" "$?:$(cat "$W/err")" \
		"0:logfold: deleted 0 rows of days before 2022-11-01 from '$db'"
	check "v$v: now version $NOW" "$(q "$db" 'PRAGMA user_version')" "$NOW"
	for t in $objs; do
		# resume points of raw bytes (before schema 13) are dropped by
		# design: they cannot be matched by points of line signatures
		if [ "$t" = resume ] && [ "$v" -lt 13 ]; then
			check "v$v: its resume points of raw bytes dropped" \
				"$(q "$db" 'SELECT count(*) FROM resume')" 0
			continue
		fi
		answers "$db" "$t" "$(cols "$fixture" "$t")" >"$W/v$v.$t.after"
		cmp -s "$W/v$v.$t.before" "$W/v$v.$t.after" && ok=same || ok="differs"
		check "v$v: $t gives the same answers" "$ok" same
	done
	check "v$v: the schema of a new database" \
		"$(schema "$db" | cmp -s - "$W/fresh.schema" && echo same)" same
	if [ "$v" -lt 7 ]; then
		check "v$v: days from page_daily, closed" \
			"$(q "$db" "SELECT group_concat(site || ' ' || day || ' ' || state, ', ')
				FROM (SELECT * FROM days ORDER BY site, day)")" \
			"shop.example.org 2024-03-05 closed, www.example.org 2024-03-04 closed, www.example.org 2024-03-05 closed"
	fi
	if [ "$v" -lt 8 ]; then
		check "v$v: old runs read 0 in the new columns" \
			"$(q "$db" 'SELECT count(*) FROM runs WHERE not_request + expired + future != 0')" 0
	fi
	if [ "$v" -ge 10 ] && [ "$v" -lt 14 ]; then
		check "v$v: merged days from before schema 14 are of no shard" \
			"$(q "$db" 'SELECT count(*), count(shard_count) FROM merge_sources')" "2|0"
		check "v$v: and the database is no shard's" "$(q "$db" 'SELECT count(*) FROM shard')" 0
	fi
	runs=$(q "$db" 'SELECT count(*) FROM runs')
	"$LOGFOLD" -q --site www.example.org --db "$db" "$S/access.log.2.gz" "$S/access.log.1.gz" \
		"$S/access.log"
	check "v$v: a run into it" "$?:$(q "$db" 'SELECT count(*) FROM runs')" "0:$((runs + 1))"

	# one transaction: the last migration fails, nothing of the others stays
	if [ "$v" -lt 8 ] && [ "$NOW" -ge 8 ]; then
		bad=$W/v$v-bad.db
		cp "$fixture" "$bad"
		q "$bad" 'ALTER TABLE runs ADD COLUMN future INTEGER'
		cp "$bad" "$bad.orig"
		prune "$bad"
		check "v$v: a failed migration exits 4" "$?" 4
		check "v$v: and says why" "$(grep -c "duplicate column name: future" "$W/err")" 1
		check "v$v: and leaves the file as it was" "$(cmp -s "$bad" "$bad.orig" && echo same)" same
		# (journal_mode TRUNCATE leaves an empty -journal: nothing in it)
		check "v$v: and no journal" "$(find "$W" -name "$(basename "$bad")-*" -size +0 2>/dev/null)" ""
	fi
done

# --- a newer logfold's database ------------------------------------------------
newer=$W/newer.db
cp "$W/fresh.db" "$newer"
q "$newer" "PRAGMA user_version = $((NOW + 1))"
cp "$newer" "$newer.orig"
want="logfold: cannot use database '$newer': schema version $((NOW + 1)) is newer than this logfold's ($NOW)"
prune "$newer"
check "newer: prune exits 4" "$?" 4
check "newer: prune says why" "$(cat "$W/err")" "$want"
"$LOGFOLD" --db "$newer" "$S/access.log" 2>"$W/err"
check "newer: a run exits 4" "$?" 4
check "newer: a run says why" "$(grep -cxF "$want" "$W/err")" 1
"$LOGFOLD" merge "$newer" "$W/fresh.db" 2>"$W/err"
check "newer: merge into it exits 4" "$?:$(grep -cxF "$want" "$W/err")" "4:1"
check "newer: left byte for byte" "$(cmp -s "$newer" "$newer.orig" && echo same)" same
check "newer: no journal" "$(find "$W" -name "$(basename "$newer")-*" -size +0 2>/dev/null)" ""
echo "schema: $pass passed, $fail failed"
[ "$fail" = 0 ]
