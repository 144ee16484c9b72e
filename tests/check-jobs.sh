#!/bin/bash
# check-jobs.sh - issue 18 point 1: --jobs N starts the workers a log keeps
# busy, not N up front. Each worker has its own parser (uap-core's regexes
# compiled again, some 1.5 MB and 15 ms), so the default on a many-core
# machine (the CPUs online, at most 64) would make a short nightly log pay
# for 64 of them. Checked, with the summary's peak RSS (getrusage):
#   - a one-line log at --jobs 64 peaks within 8 MiB of the same run at
#     --jobs 2 (64 parsers made up front: some 100 MiB more);
#   - the tables are the same at --jobs 1, 2 and 64, and for a log long
#     enough (20 000 lines, chunks of 50 lines) to start every worker of
#     --jobs 4 on a 2-core machine as on a larger one.
# Prints "jobs: N passed, N failed".

set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
LOGFOLD=${LOGFOLD:-$ROOT/logfold}
W=$ROOT/build/check-jobs
export LOGFOLD_TODAY=2024-12-01
SUITE=jobs
# shellcheck source=tests/counts.sh
. "$ROOT/tests/counts.sh"
# shellcheck source=tests/clf.sh
. "$ROOT/tests/clf.sh"
rm -rf "$W"
mkdir -p "$W"
cd "$W" || exit 1

# peak RSS in KiB of a run, from its summary ("peak RSS 9.6 MiB")
peak() {
	"$LOGFOLD" --db "$1" "${@:2}" 2>&1 |
		sed -nE 's/.*peak RSS ([0-9.]+) MiB.*/\1/p' | awk '{ printf "%d", $1 * 1024 }'
}
dump() { sqlite3 "$1" "SELECT * FROM page_daily ORDER BY 1, 2, 3;
	SELECT * FROM breakdown_daily ORDER BY 1, 2, 3, 4, 5; SELECT * FROM days ORDER BY 1, 2;"; }

line 192.0.2.1 10/Nov/2024:10:00:00 /a >one.log
two=$(peak j2.db --jobs 2 one.log)
many=$(peak j64.db --jobs 64 one.log)
check "one line: a peak RSS is said" "$([ -n "$two" ] && [ -n "$many" ] && echo yes)" yes
check "one line: --jobs 64 peaks within 8 MiB of --jobs 2 ($many KiB, $two KiB)" \
	"$([ "${many:-0}" -le $((${two:-0} + 8192)) ] && echo yes)" yes
"$LOGFOLD" -q --jobs 1 --db j1.db one.log
check "one line: --jobs 64's tables are --jobs 1's" "$(dump j64.db)" "$(dump j1.db)"
check "one line: one pageview" "$(sqlite3 j64.db 'SELECT sum(pageviews) FROM page_daily')" 1

# 20 000 lines: 50 addresses, 4 pages, over two days (10 000 lines each)
awk -v ua="$UA" 'BEGIN { for (i = 0; i < 20000; i++) { s = i % 10000
	printf "192.0.2.%d - - [%d/Nov/2024:%02d:%02d:%02d +0000] \"GET /p%d HTTP/1.1\" 200 10 \"-\" %s\n",
		i % 50, 10 + int(i / 10000), int(s / 3600) + 1, int(s / 60) % 60, s % 60, i % 4, ua } }' >long.log
"$LOGFOLD" -q --jobs 1 --db l1.db long.log
LOGFOLD_CHUNK_LINES=50 "$LOGFOLD" -q --jobs 4 --db l4.db long.log
check "20 000 lines: --jobs 4 (chunks of 50) = --jobs 1" "$(dump l4.db)" "$(dump l1.db)"
# by hand: 10 000 pageviews a day, 2 500 per page (i mod 4); address v
# makes the lines i = v + 50 k, whose pages (v + 2 k) mod 4 have v's
# parity: each page has the 25 addresses of its parity
check "20 000 lines: pageviews" "$(sqlite3 l4.db 'SELECT sum(pageviews) FROM page_daily')" 20000
check "20 000 lines: per page and day" \
	"$(sqlite3 l4.db 'SELECT DISTINCT pageviews || "/" || visitors FROM page_daily')" "2500/25"

echo "jobs: $pass passed, $fail failed"
[ "$fail" = 0 ]
