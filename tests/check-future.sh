#!/bin/bash
# check-future.sh - issue 21 point 2: a line dated more than a day past the
# run's clock is skipped as `future` (counted in the runs column and the
# summary, its file and line named) and moves nothing: it closes no day,
# orders no input, writes no row. Several small logs of that shape, each
# with the expected rows worked out in its comment.
#
# The run's clock: LOGFOLD_TODAY=2024-12-01 makes it the end of that day,
# 2024-12-02 00:00 UTC (cmd/options.c, options_now), so the last time
# still counted is 2024-12-03 00:00:00 UTC. --grace is the default, 10 min.
# Prints "future: N passed, N failed".

set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
LOGFOLD=${LOGFOLD:-$ROOT/logfold}
W=$ROOT/build/check-future
export LOGFOLD_TODAY=2024-12-01
SUITE=future
. "$ROOT/tests/counts.sh"
rm -rf "$W"
mkdir -p "$W"
cd "$W" || exit 1

. "$ROOT/tests/clf.sh"
# line IP 'DD/Mon/YYYY:HH:MM:SS +ZZZZ' PAGE [AGENT]: one request
line() { echo "$1 - - [$2] \"GET $3 HTTP/1.1\" 200 100 \"-\" ${4:-$UA}"; }
lf() { "$LOGFOLD" --uap-regexes none --geo off "$@"; }
pd() { q "$1" "SELECT day, page, pageviews FROM page_daily ORDER BY 1, 2"; }
future() { q "$1" "SELECT future FROM runs ORDER BY run_id"; }

# --- two nights, a line from 2031 in the first ----------------------------
# Night 1 reads 28 Nov /a, 29 Nov 09:00 /b, a line of 2031, 29 Nov 10:00 /c:
# the clock is 29 Nov 10:00, so 28 Nov closes (its end + 10 min passed) and
# 29 Nov stays open. Night 2 reads the rotated file again and the new one
# (29 Nov 20:00 /d, 30 Nov 08:00 /e): 29 Nov closes with /b /c /d, 30 Nov is
# open. Had the 2031 line moved the clock, night 1 would have closed 29 Nov
# and written a day 2031-01-01, and /d would be late.
{
	line 192.0.2.1 '28/Nov/2024:10:00:00 +0000' /a
	line 192.0.2.2 '29/Nov/2024:09:00:00 +0000' /b
	line 192.0.2.3 '01/Jan/2031:00:00:00 +0000' /x
	line 192.0.2.4 '29/Nov/2024:10:00:00 +0000' /c
} >night1.log
{
	line 192.0.2.5 '29/Nov/2024:20:00:00 +0000' /d
	line 192.0.2.6 '30/Nov/2024:08:00:00 +0000' /e
} >night2.log
lf --db n.db night1.log 2>n1.err
check "night 1: exit 0" "$?" 0
check "night 1: 28 Nov closed, 29 Nov open, no 2031" "$(days n.db)" \
	"2024-11-28 closed 2024-11-29 open"
check "night 1: the future line is named by file and line" \
	"$(grep -c "night1.log:3: future: dated after 2024-12-03 00:00 UTC" n1.err)" 1
check "night 1: the summary counts it" "$(grep -c ', future 1)' n1.err)" 1
lf --db n.db night1.log night2.log 2>n2.err
check "night 2: exit 0" "$?" 0
check "night 2: 29 Nov complete and closed" "$(pd n.db)" \
	"2024-11-28 /a 1 2024-11-29 /b 1 2024-11-29 /c 1 2024-11-29 /d 1 2024-11-30 /e 1"
check "night 2: days" "$(days n.db)" "2024-11-28 closed 2024-11-29 closed 2024-11-30 open"
check "night 2: nothing late" "$(grep -c 'late pageviews' n2.err)" 0
# night 2 reads night1.log again from its first line of 29 Nov (line 2), so
# it meets the 2031 line again
check "runs.future of both nights" "$(future n.db)" "1 1"

# --- year 9999, the largest year a log can say ----------------------------
# 1 Nov /a, 9999-12-31 /y, 2 Nov 10:00 /b: the clock stays at 2 Nov 10:00,
# 1 Nov closes, 2 Nov is open, no day 9999.
{
	line 192.0.2.1 '01/Nov/2024:10:00:00 +0000' /a
	line 192.0.2.2 '31/Dec/9999:23:59:59 +0000' /y
	line 192.0.2.3 '02/Nov/2024:10:00:00 +0000' /b
} >y9999.log
lf -q --db y.db y9999.log
check "9999: exit 0" "$?" 0
check "9999: days" "$(days y.db)" "2024-11-01 closed 2024-11-02 open"
check "9999: rows" "$(pd y.db)" "2024-11-01 /a 1 2024-11-02 /b 1"
check "9999: runs.future" "$(future y.db)" 1

# --- the edge: 2024-12-03 00:00:00 UTC counts, one second later does not --
# In UTC and in two zones: 01:00 +0100 is 00:00 UTC (counted); 23:00:01
# -0100 on 2 Dec is 00:00:01 UTC (future). The counted lines are of the
# local days 3 Dec (UTC and +0100) and 2 Dec (-0100 00:00 UTC is 23:00).
{
	line 192.0.2.1 '03/Dec/2024:00:00:00 +0000' /utc-in
	line 192.0.2.2 '03/Dec/2024:00:00:01 +0000' /utc-out
	line 192.0.2.3 '03/Dec/2024:01:00:00 +0100' /plus-in
	line 192.0.2.4 '03/Dec/2024:01:00:01 +0100' /plus-out
	line 192.0.2.5 '02/Dec/2024:23:00:00 -0100' /minus-in
	line 192.0.2.6 '02/Dec/2024:23:00:01 -0100' /minus-out
} >edge.log
lf -q --db e.db edge.log
check "edge: rows" "$(pd e.db)" "2024-12-02 /minus-in 1 2024-12-03 /plus-in 1 2024-12-03 /utc-in 1"
check "edge: runs.future" "$(future e.db)" 3

# --- a future first line does not order the inputs ------------------------
# other.log: 11 Nov 10:00 /a, 12 Nov 10:00 /b. fut.log: 2031 first, then
# 11 Nov 09:00 /c. fut.log's first time is 11 Nov 09:00 (its 2031 line
# skipped), so it is read first and 11 Nov holds /a and /c. Ordered by the
# 2031 line, other.log would be read first, close 11 Nov, and /c be late.
{
	line 192.0.2.1 '11/Nov/2024:10:00:00 +0000' /a
	line 192.0.2.2 '12/Nov/2024:10:00:00 +0000' /b
} >other.log
{
	line 192.0.2.3 '01/Jan/2031:00:00:00 +0000' /x
	line 192.0.2.4 '11/Nov/2024:09:00:00 +0000' /c
} >fut.log
lf --db o.db other.log fut.log 2>o.err
check "order: rows" "$(pd o.db)" "2024-11-11 /a 1 2024-11-11 /c 1 2024-11-12 /b 1"
check "order: nothing late" "$(grep -c 'late pageviews' o.err)" 0

# --- a robot's and a beacon's request from the future ----------------------
# Each would write a row (bots_daily, a beacon event) and a day 2031: both
# are skipped as future instead, and neither is counted as bot nor beacon.
{
	line 192.0.2.1 '05/Nov/2024:10:00:00 +0000' /a
	line 192.0.2.2 '01/Jan/2031:00:00:00 +0000' /robots-page "$BOT"
	line 192.0.2.3 '01/Jan/2031:00:00:05 +0000' '/logfold.gif?p=%2Fa&e=click&lb=x'
} >kinds.log
lf -q --db k.db kinds.log
check "robot, beacon: days" "$(days k.db)" "2024-11-05 open"
check "robot, beacon: no robot row" "$(q k.db "SELECT count(*) FROM bots_daily")" 0
check "robot, beacon: no event row" "$(q k.db "SELECT count(*) FROM action_daily")" 0
check "robot, beacon: runs" "$(q k.db "SELECT pageviews, bot, beacon, future FROM runs")" \
	"1 0 0 2"

# --- a file entirely from the future: nothing written but its run --------
{
	line 192.0.2.1 '01/Jan/2031:00:00:00 +0000' /x
	line 192.0.2.2 '02/Jan/2031:00:00:00 +0000' /y
} >all.log
lf -q --db a.db --csv csv all.log
check "all future: exit 0" "$?" 0
check "all future: no day" "$(q a.db "SELECT count(*) FROM days")" 0
# future is the last column but one (runs.csv's header; inputs, a quoted
# JSON cell, holds commas, so count from the end)
check "all future: runs.csv's header" "$(head -n 1 csv/runs.csv | awk -F, '{ print $(NF - 1) }')" \
	future
check "all future: runs.csv says 2" "$(tail -n 1 csv/runs.csv | awk -F, '{ print $(NF - 1) }')" 2

echo "future: $pass passed, $fail failed"
[ "$fail" = 0 ]
