#!/bin/bash
# report.sh - the time and size of `logfold report` on the 30-day benchmark
# database (issue 16: at most 2 s and 3 MB), run by `make bench` at its end
# (or alone: tests/bench/report.sh).
#
# The database: BENCH_REPORT_LINES (default 10000000) lines of loggen over
# 30 days (--format timed: with $request_time, so load times too), read
# with logfold's defaults and geography from the bench's test GeoIP
# database, piped (the log is never stored). It is made once and kept in
# build/bench/report30.db while the lines, seed and loggen are the same and
# its schema is this logfold's (some 15 s of logfold, a minute of loggen).
# Then the HTML report of the whole range, BENCH_RUNS times (default 3):
# the best wall time, its CPU time, peak RSS and the file's size, and the
# table sizes behind it. A benchmark: it fails only when a command does.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT" || exit 1
LOGFOLD=${LOGFOLD:-./logfold}
LOGGEN=${LOGGEN:-build/tools/loggen}
LINES=${BENCH_REPORT_LINES:-10000000}
RUNS=${BENCH_RUNS:-3}
D=build/bench
DB=$D/report30.db
GEODB=$D/bench.mmdb
TIME=/usr/bin/time
# loggen's 30 days start on 2024-03-04; today is the day after the last
export LOGFOLD_TODAY=2024-04-03

die() {
	echo "bench: $*" >&2
	exit 1
}
[ -x "$LOGFOLD" ] && [ -x "$LOGGEN" ] || die "build first (make bench does)"
[ -x "$TIME" ] || die "GNU time is needed: apt-get install time"
mkdir -p "$D"
if [ ! -f "$GEODB" ] || [ tests/geo/mkmmdb.pl -nt "$GEODB" ]; then
	perl tests/geo/mkmmdb.pl "$GEODB" bench || die "cannot build $GEODB (libmaxmind-db-writer-perl)"
fi
TMP=$(mktemp -d "${TMPDIR:-/tmp}/logfold-report.XXXXXX") || die "mktemp failed"
trap 'rm -rf "$TMP"' EXIT

# the schema this logfold writes, to know whether the cached database is its
: | "$LOGFOLD" -q --db "$TMP/v.db" - || die "logfold failed on an empty input"
schema=$(sqlite3 "$TMP/v.db" 'PRAGMA user_version')
stamp="lines=$LINES seed=1 loggen=$(cksum <"$LOGGEN" | cut -d' ' -f1) schema=$schema"
if [ "$(cat "$DB.stamp" 2>/dev/null)" != "$stamp" ] || [ ! -f "$DB" ]; then
	echo "bench: making the 30-day database ($LINES lines) into $DB ..."
	rm -f "$DB" "$DB.stamp"
	"$LOGGEN" --lines "$LINES" --seed 1 --days 30 --format timed |
		"$LOGFOLD" -q --db "$DB" --geoip "$GEODB" --log-format \
			'$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" $request_time' - ||
		die "logfold failed on the generated log"
	echo "$stamp" >"$DB.stamp"
fi

rows() { sqlite3 "$DB" "SELECT count(*) FROM $1"; }
echo "bench: logfold report on the 30-day database: $(rows page_daily) page_daily," \
	"$(rows breakdown_daily) breakdown_daily, $(rows site_breakdown_daily) site_breakdown_daily," \
	"$(rows load_hourly) load_hourly rows; best of $RUNS"
best=
for ((i = 1; i <= RUNS; i++)); do
	t0=$EPOCHREALTIME
	"$TIME" -f '%U %S %M' -o "$TMP/t" "$LOGFOLD" report -q --db "$DB" -o "$TMP/report.html" ||
		die "logfold report failed"
	secs=$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.3f", b - a }')
	if [ -z "$best" ] || awk -v a="$secs" -v b="$best" 'BEGIN { exit !(a < b) }'; then
		best=$secs
		read -r user sys rss <"$TMP/t"
	fi
done
bytes=$(wc -c <"$TMP/report.html")
awk -v s="$best" -v u="$user" -v y="$sys" -v r="$rss" -v b="$bytes" 'BEGIN {
	printf "  logfold report: %.3f s (CPU %.2f s), %.2f MB, %.1f MiB RSS (targets <= 2 s: %s, <= 3 MB: %s)\n",
		s, u + y, b / 1e6, r / 1024, (s <= 2) ? "met" : "NOT met", (b <= 3e6) ? "met" : "NOT met"
}'
echo "  kept: the top 500 pages (the first 100 with a drill-down: their days, top 5 values of"
echo "  each breakdown, load times, engagement, top 5 actions), the top 10 values of each"
echo "  breakdown, the 10 slowest pages per source, 20 actions, 20 robots, 50 runs"
echo "  (load average $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) CPUs: other work skews the wall time)"
exit 0
