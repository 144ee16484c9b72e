#!/bin/bash
# check-rotation.sh - the nightly sequence of issue 6: a log rotated by
# logrotate (Debian: at 06:25, delaycompress: access.log -> access.log.1 ->
# access.log.2.gz ...) and a cron job running `logfold access.log*` twice a
# day, at 00:05 (before the previous day may close: --grace is 10 min) and
# at 07:00 (after the rotation). After every run:
#   - every day the database says is closed equals, table by table, what
#     one `--close-all` run over the whole log gives (the reference);
#   - running the same night again changes nothing (runs table aside);
# and at the end one `--close-all` run over the last night's files makes
# every day equal to the reference. The log is loggen's (5 days, sorted):
# the reference is computed by logfold from one file, with no resume point
# and no rotation, so the check is independent of the code under test.
# Prints "rotation: N passed, N failed".

set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
LOGFOLD=${LOGFOLD:-$ROOT/logfold}
LOGGEN=${LOGGEN:-$ROOT/build/tools/loggen}
W=$ROOT/build/rotation
export LOGFOLD_TODAY=${LOGFOLD_TODAY:-2024-12-01}
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() {
	fail=$((fail + 1))
	echo "rotation: FAIL $*"
}

rm -rf "$W"
mkdir -p "$W/logs"
"$LOGGEN" --lines 40000 --days 5 --seed 7 >"$W/full.log" || {
	echo "rotation: loggen failed"
	echo "rotation: 0 passed, 1 failed"
	exit 1
}
# one thread's, whatever LOGFOLD_JOBS the runs below have (tests/run.sh)
LOGFOLD_JOBS=1 "$LOGFOLD" -q --close-all --db "$W/ref.db" "$W/full.log" || bad "reference run failed"

# segment FROM TO: the lines with FROM <= time < TO; times as "DD HH:MM"
# (the log is in one month: "[04/Mar/2024:00:00:15" -> "04 00:00").
segment() {
	awk -v from="$1" -v to="$2" '{
		k = substr($4, 2, 2) " " substr($4, 14, 5)
		if (k >= from && k < to) print
	}' "$W/full.log"
}

# PER_DAY: the per-day tables compared (breakdown_daily is empty without
# breakdown options, but compared all the same).
PER_DAY="page_daily breakdown_daily"

# closed_equal DB: every closed day of DB equals the reference.
closed_equal() {
	local t diff
	for t in $PER_DAY; do
		diff=$(sqlite3 "$1" "ATTACH '$W/ref.db' AS ref;
			SELECT 'missing', * FROM (SELECT * FROM ref.$t WHERE (site, day) IN
				(SELECT site, day FROM main.days WHERE state = 'closed')
			  EXCEPT SELECT * FROM main.$t)
			UNION ALL
			SELECT 'extra', * FROM (SELECT * FROM main.$t WHERE (site, day) IN
				(SELECT site, day FROM main.days WHERE state = 'closed')
			  EXCEPT SELECT * FROM ref.$t);")
		[ -z "$diff" ] || {
			echo "$diff" | head -5
			return 1
		}
	done
}

# dump DB: everything but the runs table, in a fixed order.
dump() {
	sqlite3 "$1" "SELECT * FROM page_daily ORDER BY 1, 2, 3;
		SELECT * FROM breakdown_daily ORDER BY 1, 2, 3, 4, 5;
		SELECT * FROM days ORDER BY 1, 2;
		SELECT * FROM resume ORDER BY 1, 2;"
}

# night NAME FIRST_OPEN: run logfold on the logs as they are, check, run
# again, check. The days before FIRST_OPEN ("DD") must be closed, the others
# open: 10 minutes of grace close a day at 00:10, so at 00:05 the day
# before is still open and at 07:00 it is closed.
night() {
	local want
	want=$(awk -v first="$2" '{ d = substr($4, 2, 2); if (d < first) print d }' "$W/full.log" |
		sort -u | wc -l)
	(cd "$W/logs" && "$LOGFOLD" -q --db "$W/night.db" access.log*) 2>"$W/$1.err" ||
		bad "$1: exit $? ($(head -c 300 "$W/$1.err"))"
	if closed_equal "$W/night.db"; then ok; else bad "$1: a closed day differs from the reference"; fi
	local closed opened
	closed=$(sqlite3 "$W/night.db" "SELECT count(*) FROM days WHERE state = 'closed'")
	opened=$(sqlite3 "$W/night.db" "SELECT count(*) FROM days WHERE state = 'open'
		AND substr(day, 9, 2) < '$2'")
	if [ "$closed" = "$want" ] && [ "$opened" = 0 ]; then ok; else
		bad "$1: $closed days closed ($opened too early still open), $want expected"
	fi
	dump "$W/night.db" >"$W/$1.dump"
	(cd "$W/logs" && "$LOGFOLD" -q --db "$W/night.db" access.log*) 2>>"$W/$1.err" ||
		bad "$1: second run: exit $?"
	dump "$W/night.db" >"$W/$1.again"
	if cmp -s "$W/$1.dump" "$W/$1.again"; then ok; else bad "$1: running the night twice changed the database"; fi
}

# rotate: logrotate with delaycompress: .N.gz -> .N+1.gz, .1 -> .2.gz,
# access.log -> .1, a new empty access.log.
rotate() {
	local n
	cd "$W/logs" || return
	for n in $(ls access.log.*.gz 2>/dev/null | sed 's/access.log.\([0-9]*\).gz/\1/' | sort -rn); do
		mv "access.log.$n.gz" "access.log.$((n + 1)).gz"
	done
	[ -f access.log.1 ] && gzip -n -c access.log.1 >access.log.2.gz && rm access.log.1
	mv access.log access.log.1
	: >access.log
	cd - >/dev/null || return
}

# The days of the log: 04 to 09 March. The file access.log is written up to
# "now" by appending the lines since the last append.
last="00 00:00"
append_to() {
	segment "$last" "$1" >>"$W/logs/access.log"
	last=$1
}
: >"$W/logs/access.log"
for d in 05 06 07 08 09; do
	append_to "$d 00:05"
	night "$d-0005" "$(printf %02d $((10#$d - 1)))"
	append_to "$d 06:25"
	rotate
	append_to "$d 07:00"
	night "$d-0700" "$d"
done
append_to "99 99:99"
(cd "$W/logs" && "$LOGFOLD" -q --close-all --db "$W/night.db" access.log*) ||
	bad "final --close-all run: exit $?"
n_open=$(sqlite3 "$W/night.db" "SELECT count(*) FROM days WHERE state = 'open'")
n_days=$(sqlite3 "$W/night.db" "SELECT count(*) FROM days")
n_ref=$(sqlite3 "$W/ref.db" "SELECT count(*) FROM days")
if [ "$n_open" = 0 ] && [ "$n_days" = "$n_ref" ] && [ "$n_days" -ge 5 ]; then ok; else
	bad "after --close-all: $n_open open days, $n_days days, reference $n_ref"
fi
if closed_equal "$W/night.db"; then ok; else bad "after --close-all: a day differs from the reference"; fi
# the reference itself: one day with rows per date of the log (awk's count)
ref_rows=$(sqlite3 "$W/ref.db" "SELECT count(DISTINCT day) FROM page_daily")
log_days=$(awk '{ print substr($4, 2, 11) }' "$W/full.log" | sort -u | wc -l)
if [ "$ref_rows" = "$log_days" ]; then ok; else bad "reference: $ref_rows days with rows, the log has $log_days dates"; fi
echo "rotation: $pass passed, $fail failed"
[ "$fail" = 0 ]
