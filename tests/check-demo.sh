#!/bin/bash
# check-demo.sh - `make demo` shows what it wrote: tests/demo.sh run as a
# user runs it (no LOGFOLD_TODAY of the test suite's) on the bundled sample
# of March 2024 must still find its three days in the database. Before the
# demo said which day is today, --retention (13 months back from the real
# today) deleted every row it had just written and the demo showed empty
# tables. The CSV output is never pruned: the database must hold the same
# page_daily rows. Prints "demo: N passed, N failed".

set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT" || exit 1
SUITE=demo
. "$ROOT/tests/counts.sh"
out=$(env -u LOGFOLD_TODAY tests/demo.sh 2>&1)
check "demo.sh exit status" "$?" 0
DB=build/demo/logfold.db
check "days in the database" \
	"$(sqlite3 "$DB" "SELECT group_concat(day, ' ') FROM (SELECT day FROM days ORDER BY day)")" \
	"2024-03-04 2024-03-05 2024-03-06"
csv_rows=$(($(wc -l <build/demo/csv/page_daily.csv) - 1))
check "page_daily rows, database = CSV" "$(sqlite3 "$DB" "SELECT count(*) FROM page_daily")" \
	"$csv_rows"
check "page_daily has rows" "$([ "$csv_rows" -gt 0 ] && echo yes)" yes
check "the top pages show the home page" \
	"$(printf '%s\n' "$out" | grep -c '^│ / ')" 1
check "the demo ends with the report's path" "$(printf '%s\n' "$out" | tail -n 1)" \
	"demo: the report, one self-contained page to open in a browser: $ROOT/build/demo/report.html"
check "the report is a whole page" "$(tail -n 1 build/demo/report.html)" "</html>"
echo "demo: $pass passed, $fail failed"
[ "$fail" = 0 ]
