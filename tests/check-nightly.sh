#!/bin/bash
# check-nightly.sh - issue 6's other promises, each on a small hand-made log
# whose expected counts are worked out in the comments:
#   same file under two names, recompressed file, copytruncate, late lines
#   and --rebuild, retention boundaries and `logfold prune`, `logfold merge`,
#   the lock (--wait, exit 5), SIGTERM (exit 6, nothing written), and a loop
#   that kills runs with SIGKILL at random points and compares every
#   surviving database with the one before the run or a clean run.
# LOGFOLD_KILL_LOOPS sets the loop's length (default 20; more for a soak).
# Prints "nightly: N passed, N failed".

set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
LOGFOLD=${LOGFOLD:-$ROOT/logfold}
LOGGEN=${LOGGEN:-$ROOT/build/tools/loggen}
LOOPS=${LOGFOLD_KILL_LOOPS:-20}
W=$ROOT/build/nightly
export LOGFOLD_TODAY=${LOGFOLD_TODAY:-2024-12-01}
pass=0
fail=0
rm -rf "$W"
mkdir -p "$W"
cd "$W" || exit 1

# check NAME GOT WANT
check() {
	if [ "$2" = "$3" ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		printf 'nightly: FAIL %s\n  got:  %s\n  want: %s\n' "$1" "$2" "$3"
	fi
}

UA='"Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0"'
# line IP 'DD/Mon/YYYY:HH:MM:SS' PAGE: one pageview
line() { echo "$1 - - [$2 +0000] \"GET $3 HTTP/1.1\" 200 100 \"-\" $UA"; }
q() { sqlite3 -separator ' ' "$1" "$2" | tr '\n' ' ' | sed 's/ $//'; }
pd() { q "$1" "SELECT day, page, pageviews, visitors FROM page_daily ORDER BY 1, 2"; }

# --- the same file under two names, and recompressed -------------------
# a.log: 10 June: /x by .1 and .2, /y by .1; 11 June 00:20: /x by .3 (which
# closes 10 June: 20 min past its end).
{
	line 192.0.2.1 10/Jun/2024:10:00:00 /x
	line 192.0.2.2 10/Jun/2024:11:00:00 /x
	line 192.0.2.1 10/Jun/2024:12:00:00 /y
	line 192.0.2.3 11/Jun/2024:00:20:00 /x
} >a.log
cp a.log b.log
"$LOGFOLD" -q --db two.db a.log b.log
check "same file under two names: counted once" "$(pd two.db)" \
	"2024-06-10 /x 2 2 2024-06-10 /y 1 1 2024-06-11 /x 1 1"
check "days: 10 June closed, 11 June open" "$(q two.db "SELECT day, state FROM days ORDER BY 1")" \
	"2024-06-10 closed 2024-06-11 open"
# --grace 30m: 11 June 00:20 is not 30 minutes past 10 June: both open
"$LOGFOLD" -q --grace 30m --db grace.db a.log
check "--grace 30m: 10 June still open" "$(q grace.db "SELECT day, state FROM days ORDER BY 1")" \
	"2024-06-10 open 2024-06-11 open"
# a CSV-only run keeps no state but exports each day's state, with the K
# and mask it was computed with (the defaults, 5 and 2)
"$LOGFOLD" -q --csv csv a.log
check "CSV: days.csv carries the state, K and mask" "$(tr '\n' ' ' <csv/days.csv)" \
	"site,day,state,min_visitors,mask_bytes default,2024-06-10,closed,5,2 default,2024-06-11,open,5,2 "
"$LOGFOLD" -q --db twice.db a.log a.log
check "same file twice: counted once" "$(pd twice.db)" "$(pd two.db)"
# a.log renamed a.log.1 and gzipped: 11 June is open, so it is read again
# from its first line of 11 June, and the database does not change
gzip -n -c a.log >a.log.1.gz
before=$(pd two.db)
"$LOGFOLD" -q --db two.db a.log.1.gz
check "recompressed file: the same input" "$(pd two.db)" "$before"
# with every day closed, the gzipped copy is known and nothing in it is new
# (it is read through to its end: no size is stored to tell it sooner)
"$LOGFOLD" -q --close-all --db closed.db a.log
"$LOGFOLD" --db closed.db a.log.1.gz 2>err.txt
check "recompressed file, all days closed: nothing new" \
	"$(grep -c "'a.log.1.gz': read before, nothing new" err.txt)" 1
# grown then compressed: 11 June gets /y from .4; the open day is rewritten
# whole from the resume point: 11 June /x 1 1 and /y 1 1
cp a.log grown.log
line 192.0.2.4 11/Jun/2024:09:00:00 /y >>grown.log
gzip -n grown.log
"$LOGFOLD" -q --db two.db grown.log.gz
check "grown and gzipped: the open day rewritten whole" "$(pd two.db)" \
	"2024-06-10 /x 2 2 2024-06-10 /y 1 1 2024-06-11 /x 1 1 2024-06-11 /y 1 1"
# one point: grown.log.gz continued a.log's (the same first lines); it holds
# 11 June open from line 4 (3 lines before it), has 5 lines, days 10 to 11
check "resume points: one per input, line numbers" \
	"$(q two.db "SELECT count(*), fp_lines, closed_line, reached_line, first_day, last_day, name FROM resume")" \
	"1 5 3 5 2024-06-10 2024-06-11 grown.log.gz"
check "resume points: the open day it holds" "$(q two.db "SELECT site, day FROM resume_days")" \
	"default 2024-06-11"

# --- copytruncate: same name, new start: a new input ----------------------
# ct.log is read, then truncated and written again with other lines. Had it
# been resumed from its old line (beyond the new end), nothing would count.
{
	line 192.0.2.1 12/Jun/2024:10:00:00 /a
	line 192.0.2.2 12/Jun/2024:11:00:00 /a
} >ct.log
"$LOGFOLD" -q --db ct.db ct.log
: >ct.log
line 192.0.2.9 12/Jun/2024:23:00:00 /b >>ct.log
"$LOGFOLD" -q --db ct.db ct.log 2>err.txt
# 12 June is open and held by the old content, which is gone (no copy was
# kept): it is not replaced by the new file's share (issue 14 point 8), /b
# is not counted, and the run says so (exit 3)
check "copytruncate without the copy: the open day kept, exit 3" "$?:$(pd ct.db)" "3:2024-06-12 /a 2 2"
check "copytruncate without the copy: the old input named" \
	"$(grep -c "holds lines of 'ct.log', read before, which this run was not given" err.txt)" 1
# the operator lets the old share go: the day is deleted, the next run
# writes it from the new file, a new input read from its first line
"$LOGFOLD" prune -q --db ct.db --day 2024-06-12
"$LOGFOLD" -q --db ct.db ct.log
check "copytruncate: the new content is a new input" "$(pd ct.db)" "2024-06-12 /b 1 1"

# --- late lines and --rebuild ---------------------------------------------
# late1.log closes 10 June with --close-all; late2.log brings one more /x
# pageview of 10 June from .7: late, not counted, and said; --rebuild then
# counts both files: /x 3 3.
{
	line 192.0.2.1 10/Jun/2024:10:00:00 /x
	line 192.0.2.2 10/Jun/2024:11:00:00 /x
} >late1.log
line 192.0.2.7 10/Jun/2024:23:59:00 /x >late2.log
"$LOGFOLD" -q --close-all --db late.db late1.log
"$LOGFOLD" --db late.db late2.log 2>err.txt
check "late line: not counted" "$(pd late.db)" "2024-06-10 /x 2 2"
check "late line: counted in the summary" "$(grep -c '1 late pageviews' err.txt)" 1
check "late line: the day and --rebuild are named" \
	"$(grep -c "late lines for day 2024-06-10 of site 'default'.*--rebuild 2024-06-10" err.txt)" 1
"$LOGFOLD" -q --rebuild 2024-06-10 --close-all --db late.db late1.log late2.log
check "--rebuild counts every file of the day" "$(pd late.db)" "2024-06-10 /x 3 3"
"$LOGFOLD" -q --rebuild 2024-02-30 --db late.db late1.log
check "--rebuild refuses a date that does not exist" "$?" 2

# --- retention ------------------------------------------------------------
# today 2024-12-15, --retention 1: the first day kept is 2024-11-15.
{
	line 192.0.2.1 14/Nov/2024:10:00:00 /old
	line 192.0.2.1 15/Nov/2024:10:00:00 /kept
} >ret.log
LOGFOLD_TODAY=2024-12-15 "$LOGFOLD" -q --close-all --retention 1 --db ret.db ret.log
check "retention: the day before the window goes, its first day stays" \
	"$(q ret.db "SELECT day FROM page_daily UNION ALL SELECT day FROM days")" "2024-11-15 2024-11-15"
"$LOGFOLD" -q --retention 26 --db ret.db ret.log
check "retention: more than 25 months refused" "$?" 2
LOGFOLD_TODAY=2024-12-15 "$LOGFOLD" -q --close-all --retention 25 --db ret25.db ret.log
check "retention 25 accepted" "$(q ret25.db "SELECT count(*) FROM page_daily")" 2
# 31 March minus one month: 29 February 2024 (the month's last day)
LOGFOLD_TODAY=2024-12-16 "$LOGFOLD" prune -q --retention 1 --db ret25.db
check "prune: 14 and 15 November gone with today 16 December" \
	"$(q ret25.db "SELECT count(*) FROM page_daily")" 0

# --- merge ----------------------------------------------------------------
# web1: 10 June /x by .1 and .2; web2: /x by .1 (the same visitor on the
# other server) and /y by .3. Merged: /x 3 pageviews, visitors 2 + 1 = 3
# (.1 counted twice, as documented), /y 1 1.
{
	line 192.0.2.1 10/Jun/2024:10:00:00 /x
	line 192.0.2.2 10/Jun/2024:10:30:00 /x
} >web1.log
{
	line 192.0.2.1 10/Jun/2024:11:00:00 /x
	line 192.0.2.3 10/Jun/2024:11:30:00 /y
} >web2.log
"$LOGFOLD" -q --close-all --db web1.db web1.log
"$LOGFOLD" -q --db web2.db web2.log
"$LOGFOLD" merge -q all.db web1.db web2.db
check "merge: counts and visitors add" "$(pd all.db)" "2024-06-10 /x 3 3 2024-06-10 /y 1 1"
check "merge: a day is closed only if closed in every input" \
	"$(q all.db "SELECT state FROM days")" "open"
# another table through the same generic code: the beacon case's load
# times, merged from two databases of the same log: n and sum_ms double,
# max_ms stays (the larger of two equal maxima), every row matched
"$LOGFOLD" -q -k 1 --db lb1.db "$ROOT/testdata/beacon/access.log"
cp lb1.db lb2.db
"$LOGFOLD" merge -q lb.db lb1.db lb2.db
check "merge: load_hourly adds n and sum_ms, keeps the larger max_ms" \
	"$(q lb.db "ATTACH 'lb1.db' AS one; SELECT count(*), sum(m.n = 2 * o.n AND m.sum_ms = 2 * o.sum_ms
		AND m.max_ms = o.max_ms AND m.le_1000 = 2 * o.le_1000), (SELECT count(*) FROM one.load_hourly)
		FROM main.load_hourly m JOIN one.load_hourly o USING (site, hour, page, source)")" \
	"$(q lb1.db "SELECT count(*), count(*), count(*) FROM load_hourly")"
check "merge: load_hourly has rows to compare" "$([ "$(q lb1.db "SELECT count(*) FROM load_hourly")" -gt 0 ] && echo yes)" yes
cp web2.db old.db
sqlite3 old.db "PRAGMA user_version = 2"
"$LOGFOLD" merge all.db old.db 2>err.txt
check "merge: another schema version refused (exit 4)" "$?" 4
check "merge: says why" "$(grep -c "schema version 2" err.txt)" 1
check "merge: nothing written when refused" "$(pd all.db)" "2024-06-10 /x 3 3 2024-06-10 /y 1 1"

# --- the lock -------------------------------------------------------------
# a writer holds lock.db for 3 s; --wait 1 gives up (exit 5, nothing
# written), --wait 20 waits and writes. 10 June stays open, so the second
# run is given both files (as a nightly run is): /x by .1, .2 and .1 again
# in one run: 3 pageviews, 2 visitors.
"$LOGFOLD" -q --db lock.db web1.log
(echo "BEGIN IMMEDIATE;"; sleep 3; echo "COMMIT;") | sqlite3 lock.db &
holder=$!
sleep 0.5
"$LOGFOLD" -q --wait 1 --db lock.db web2.log 2>err.txt
check "lock: --wait 1 expires with exit 5" "$?" 5
check "lock: a clear message" "$(grep -c "another run or program held it for more than 1 s (--wait)" err.txt)" 1
"$LOGFOLD" -q --wait 20 --db lock.db web1.log web2.log
check "lock: --wait 20 waits and writes" "$?" 0
wait $holder
check "lock: counted once" "$(pd lock.db)" "2024-06-10 /x 3 2 2024-06-10 /y 1 1"

# --- SIGTERM and SIGKILL --------------------------------------------------
# base.db: a first night on night1.log; the run under test adds night2.log
# (one log cut in two). A survivor must dump like base.db or like clean.db.
"$LOGGEN" --lines 150000 --days 3 --seed 3 >big.log
head -n 50000 big.log >night1.log
tail -n +50001 big.log >night2.log
"$LOGFOLD" -q --db base.db night1.log
cp base.db clean.db
"$LOGFOLD" -q --db clean.db night1.log night2.log
# dump DB [runs]: the tables, with the number of runs when asked
dump() {
	sqlite3 "$1" "SELECT * FROM page_daily ORDER BY 1, 2, 3; SELECT * FROM days ORDER BY 1, 2;
		SELECT * FROM resume ORDER BY 1, 2; ${2:+SELECT count(*) FROM runs;}" | cksum
}
base=$(dump base.db runs)
clean=$(dump clean.db runs)
clean_tables=$(dump clean.db)
check "kill loop: the run adds something" "$([ "$base" != "$clean" ] && echo differs)" differs
cp base.db term.db
"$LOGFOLD" -q --db term.db night1.log night2.log &
pid=$!
sleep 0.1
kill -TERM $pid
wait $pid
rc=$?
# a run that finished before the signal is fine too (exit 0, clean)
if [ $rc = 6 ]; then
	check "SIGTERM: nothing written" "$(dump term.db runs)" "$base"
else
	check "SIGTERM: exit 6, or 0 when already done" "$rc:$(dump term.db runs)" "0:$clean"
fi
before=0 after=0 other=0
for i in $(seq 1 "$LOOPS"); do
	cp base.db kill.db
	"$LOGFOLD" -q --db kill.db night1.log night2.log 2>/dev/null &
	pid=$!
	sleep "0.$(printf '%03d' $((RANDOM % 600)))"
	kill -KILL $pid 2>/dev/null
	wait $pid 2>/dev/null
	got=$(dump kill.db runs)
	if [ "$got" = "$base" ]; then
		before=$((before + 1))
	elif [ "$got" = "$clean" ]; then
		after=$((after + 1))
	else
		other=$((other + 1))
		cp kill.db "kill-$i.db"
	fi
	# and the next night's run over a survivor gives the clean tables
	"$LOGFOLD" -q --db kill.db night1.log night2.log 2>/dev/null
	[ "$(dump kill.db)" = "$clean_tables" ] || other=$((other + 1))
done
# VACUUM after a prune that frees most of the file: no free page is left
# and the file shrinks (secure_delete zeroed the pages before)
cp clean.db vac.db
pages=$(q vac.db "PRAGMA page_count")
LOGFOLD_TODAY=2026-12-01 "$LOGFOLD" prune -q --db vac.db
check "prune + VACUUM: no free page left" "$(q vac.db "PRAGMA freelist_count")" 0
check "prune + VACUUM: the file shrank" "$([ "$(q vac.db "PRAGMA page_count")" -lt "$pages" ] && echo yes)" yes
echo "nightly: kill loop: $LOOPS runs killed, $before left the database as before, $after fully updated"
check "kill loop: every survivor as before or fully updated, and the rerun exact" "$other" 0

echo "nightly: $pass passed, $fail failed"
[ "$fail" = 0 ]
