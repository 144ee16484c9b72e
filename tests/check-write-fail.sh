#!/bin/bash
# check-write-fail.sh - a write that fails mid-run: the days are written by
# a thread of their own (cmd/writer.c) while the next input is read, so a
# failure there must still stop the run with status 4 ("output error,
# nothing written"), say which file, and leave every output as the last
# good run left it: the database's tables and the CSV files byte for byte.
# With --csv alone, a failed write of the CSV export keeps the old files
# and the database beside them as they were.
#
# The failure is real: the file size limit (ulimit -f, with SIGXFSZ
# ignored, so that write() fails with EFBIG) is set between the size the
# outputs have after a first run over one day and what seven days need.
# Inputs: loggen's seven days, one file per day (as a backfill reads them).
# Prints "write-fail: N passed, N failed".

set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
LOGFOLD=${LOGFOLD:-$ROOT/logfold}
LOGGEN=${LOGGEN:-$ROOT/build/tools/loggen}
W=$ROOT/build/check-write-fail
export LOGFOLD_TODAY=2024-03-11 # loggen's days are 2024-03-04 to 03-10
SUITE=write-fail
. "$ROOT/tests/counts.sh"
rm -rf "$W"
mkdir -p "$W/csv"
cd "$W" || exit 1
"$LOGGEN" --lines 140000 --days 7 --seed 7 | awk '
	{ d = substr($4, 2, 2); if (d != cur) { if (f) close(f); cur = d; f = "day-" d ".log" }
	  print > f }'
check "seven daily files" "$(ls day-*.log | wc -l)" 7
first=$(ls day-*.log | head -n 1)

"$LOGFOLD" -q --close-all --db w.db --csv csv "$first" 2>first.err
check "first run" "$?" 0
dump() {
	sqlite3 w.db "SELECT * FROM page_daily ORDER BY 1, 2, 3;
		SELECT * FROM breakdown_daily ORDER BY 1, 2, 3, 4, 5;
		SELECT site, day, state FROM days ORDER BY 1, 2;
		SELECT count(*) FROM runs;" | cksum
}
before_db=$(dump)
before_csv=$(cat csv/*.csv | cksum)
size=$(($(stat -c %s w.db) / 1024))

# Room for a little more than the database holds: the second run's first
# days fit, a later one does not. Once into the database alone, once into
# the database and the CSV files (which fail first: they are larger).
limited() {
	(
		ulimit -f $((size + 400))
		trap '' XFSZ
		exec "$LOGFOLD" --close-all "$@" day-*.log
	) >limited.out 2>limited.err
}
for outputs in "--db w.db" "--db w.db --csv csv"; do
	limited $outputs
	check "$outputs: exit status of the failed run" "$?" 4
	# (a write of a day, or the commit, whichever the limit reaches first:
	# the days' rows are fewer since the small-cell rule withholds the
	# (other) cells under K, so it may be the commit's journal)
	check "$outputs: the failure is said with the file" \
		"$(grep -c "cannot \(write\|commit\) .*w\.db\|cannot write .*csv/" limited.err)" 1
	check "$outputs: the database as the first run left it" "$(dump)" "$before_db"
	check "$outputs: the CSV files as the first run left them" \
		"$(cat csv/*.csv | cksum)" "$before_csv"
	check "$outputs: no temporary CSV left behind" "$(ls csv | grep -c '\.tmp$')" 0
done

# CSV alone (the database beside the directory, csv.db): a second night
# brings one more day. The CSV files now hold every day, so the largest
# grows to about twice its size; the limit, half as much again as it is
# now, stops it there. The database's new rows wait in SQLite's page cache
# until its commit, which comes after the CSV files are written: so the
# write that fails is the CSV export's, and then the CSV files are as the
# last good run left them (issue 15, point 8), the database too.
rm -rf csv csv.db
"$LOGFOLD" -q --close-all --csv csv "$first" 2>first.err
check "CSV alone: first run" "$?" 0
second=$(ls day-*.log | sed -n 2p)
before_csv=$(cat csv/*.csv | cksum)
before_db=$(sqlite3 csv.db "SELECT * FROM page_daily ORDER BY 1, 2, 3; SELECT count(*) FROM runs;" | cksum)
largest=$(stat -c %s csv/*.csv | sort -n | tail -n 1)
(
	ulimit -f $((largest * 3 / 2 / 1024))
	trap '' XFSZ
	exec "$LOGFOLD" --close-all --csv csv "$second"
) >limited.out 2>limited.err
check "CSV alone: the failed export's exit status" "$?" 4
check "CSV alone: the failure names the CSV file" \
	"$(grep -c "cannot write '[^']*csv/[a-z_]*\.csv\.tmp': File too large" limited.err)" 1
check "CSV alone: the CSV files as the first run left them" "$(cat csv/*.csv | cksum)" "$before_csv"
check "CSV alone: no temporary CSV left behind" "$(ls csv | grep -c '\.tmp$')" 0
check "CSV alone: its database as the first run left it" \
	"$(sqlite3 csv.db "SELECT * FROM page_daily ORDER BY 1, 2, 3; SELECT count(*) FROM runs;" | cksum)" "$before_db"
"$LOGFOLD" -q --close-all --csv csv "$second"
check "CSV alone: without the limit, both days in page_daily.csv" \
	"$(cut -d, -f2 csv/page_daily.csv | tail -n +2 | sort -u | wc -l)" 2
# A day replaced, then a later day's write fails: "replaced day" is said
# once the replacement is committed, so never by a run that fails (issue
# 21, point 6). The first day is written open (no --close-all), so the
# second run replaces it before it fails on a later day.
"$LOGFOLD" -q --db r.db "$first" 2>/dev/null
rsize=$(($(stat -c %s r.db) / 1024))
(
	ulimit -f $((rsize + 400))
	trap '' XFSZ
	exec "$LOGFOLD" --close-all --db r.db day-*.log
) >limited.out 2>limited.err
check "replaced, then failed: exit status" "$?" 4
check "replaced, then failed: the replacement is not said" "$(grep -c 'replaced day' limited.err)" 0
"$LOGFOLD" --close-all --db r.db day-*.log 2>unlimited.err
check "replaced and committed: said" "$(grep -c "replaced day 2024-03-04 of site 'default' in 'r.db'" unlimited.err)" 1

# And the same files without the limit: every day written.
"$LOGFOLD" -q --close-all --db w.db --csv csv day-*.log 2>third.err
check "the run without a limit" "$?" 0
check "seven days in the database" "$(sqlite3 w.db 'SELECT count(*) FROM days')" 7

echo "write-fail: $pass passed, $fail failed"
[ "$fail" = 0 ]
