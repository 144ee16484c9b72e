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

# Spans: with --jobs the main thread hands the workers whole runs of the
# lines already read (input_span), which they split as input_next does:
# the '\r' of a CRLF line dropped (so a line of 65536 bytes and a '\r' is
# not too long), a line over 65536 bytes malformed, a blank line, a '#'
# inside a line, a last line without newline. Lines 1-6: CRLF pageviews of
# /a, /b, /c; line 7 of 70 000 bytes; line 8 of 65 536 and a '\r'; line 9
# blank; line 10 garbage; lines 11-13 pageviews with '#' in the agent;
# line 14 /d with no newline. By hand: 10 pageviews; malformed lines 7, 8
# and 10, only 7 for its length; the same at every --jobs.
{
	for i in 1 2 3 4 5 6; do
		printf '%s\r\n' "$(line 192.0.2.$i 10/Nov/2024:10:0$i:00 /$(echo abc | cut -c$(((i - 1) % 3 + 1))))"
	done
	head -c 70000 /dev/zero | tr '\0' x
	echo
	head -c 65536 /dev/zero | tr '\0' y
	printf '\r\n\nnot a log line\n'
	for i in 1 2 3; do
		line 198.51.100.$i 10/Nov/2024:11:0$i:00 /a '"Mozilla/5.0 (#'$i') Firefox/120.0"'
	done
	printf '%s' "$(line 198.51.100.9 10/Nov/2024:12:00:00 /d)"
} >spans.log
said() { "$LOGFOLD" --no-progress --max-bad 50 --db "$1" "${@:2}" spans.log 2>&1 |
	sed -nE 's/.*spans\.log:([0-9]+): malformed: (.*)/\1 \2/p' | tr '\n' ';'; }
s1=$(said s1.db --jobs 1)
check "spans: malformed lines by number" "$(echo "$s1" | sed 's/ [^;]*//g')" "7;8;10;"
check "spans: only line 7 too long" "$(echo "$s1" | tr ';' '\n' | grep -c 'longer than')/${s1%%;*}" \
	"1/7 line longer than 65536 bytes"
check "spans: pageviews (by hand)" "$(sqlite3 s1.db 'SELECT sum(pageviews) FROM page_daily')" 10
check "spans: --jobs 2 says the same lines" "$(said s2.db --jobs 2)" "$s1"
check "spans: --jobs 2's tables are --jobs 1's" "$(dump s2.db)" "$(dump s1.db)"
check "spans: --jobs 3 in chunks of 2 lines says the same" \
	"$(LOGFOLD_CHUNK_LINES=2 said s3.db --jobs 3)" "$s1"
check "spans: --jobs 3 in chunks of 2 lines, same tables" "$(dump s3.db)" "$(dump s1.db)"

# A W3C log whose second #Fields line, after 200 lines, swaps the page
# and the client: a span must end before it, so that the main thread reads
# it and the chunks after it are read with the new fields. By hand: 200
# pageviews of /x by 4 clients, 200 of /y by 4.
{
	echo '#Fields: date time c-ip cs-method cs-uri-stem sc-status cs(User-Agent)'
	for i in $(seq 0 199); do
		printf '2024-11-10 10:%02d:%02d 192.0.2.%d GET /x 200 Mozilla/5.0+Firefox/120.0\n' \
			$((i / 60)) $((i % 60)) $((i % 4))
	done
	echo '#Fields: date time cs-uri-stem cs-method c-ip sc-status cs(User-Agent)'
	for i in $(seq 0 199); do
		printf '2024-11-10 11:%02d:%02d /y GET 198.51.100.%d 200 Mozilla/5.0+Firefox/120.0\n' \
			$((i / 60)) $((i % 60)) $((i % 4))
	done
} >w3c.log
"$LOGFOLD" -q --jobs 1 --format w3c --db w1.db w3c.log
"$LOGFOLD" -q --jobs 2 --format w3c --db w2.db w3c.log
LOGFOLD_CHUNK_LINES=50 "$LOGFOLD" -q --jobs 2 --format w3c --db w3.db w3c.log
check "w3c: a #Fields line after 200 lines reads the next ones (by hand)" \
	"$(q w1.db 'SELECT page, pageviews, visitors FROM page_daily ORDER BY 1')" "/x 200 4 /y 200 4"
check "w3c: --jobs 2's tables are --jobs 1's" "$(dump w2.db)" "$(dump w1.db)"
check "w3c: --jobs 2 in chunks of 50 lines, same tables" "$(dump w3.db)" "$(dump w1.db)"

echo "jobs: $pass passed, $fail failed"
[ "$fail" = 0 ]
