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
SUITE=nightly
. "$ROOT/tests/counts.sh"
rm -rf "$W"
mkdir -p "$W"
cd "$W" || exit 1


. "$ROOT/tests/clf.sh"

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
# a CSV-only run exports each day's state, with the K and mask it was
# computed with (the defaults, 5 and 2)
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
cp late.db late-one.db
"$LOGFOLD" -q --rebuild 2024-06-10 --close-all --db late.db late1.log late2.log 2>err.txt
check "--rebuild counts every file of the day" "$(pd late.db)" "2024-06-10 /x 3 3"
check "--rebuild with every file of the day: no warning" "$(grep -c 'rebuild' err.txt)" 0
# a file an earlier run read for that day, not given: written without it, said
"$LOGFOLD" -q --rebuild 2024-06-10 --close-all --db late-one.db late1.log 2>err.txt
check "--rebuild without a file of the day: written without it" "$(pd late-one.db)" \
	"2024-06-10 /x 2 2"
check "--rebuild without a file of the day: the file is named" \
	"$(grep -c "warning: --rebuild 2024-06-10: 'late2.log', read by an earlier run, holds lines of that day" err.txt)" 1
check "--rebuild: a file of other days only is not named" "$(grep -c "'ct.log'\|'late1.log'" err.txt)" 0
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
check "retention: site_daily too (table_defs)" "$(q ret.db "SELECT day FROM site_daily")" "2024-11-15"
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
# site_daily: web1 2 pageviews by 2 visitors in 2 visits, web2 the same:
# 4, 4, 4 (.1 is a visitor of each server)
check "merge: site_daily adds too" \
	"$(q all.db "SELECT pageviews || ' ' || visitors || ' ' || visits FROM site_daily")" "4 4 4"
check "merge: a day is closed only if closed in every input" \
	"$(q all.db "SELECT state FROM days")" "open"
# another table through the same generic code: the beacon case's load
# times, merged from two databases of the same log (two runs: two
# databases, two ids; a copy would be the same database): n and sum_ms
# double, max_ms stays (the larger of two equal maxima), every row matched
"$LOGFOLD" -q -k 1 --db lb1.db "$ROOT/testdata/beacon/access.log"
"$LOGFOLD" -q -k 1 --db lb2.db "$ROOT/testdata/beacon/access.log"
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

# --- merge is idempotent (issue 15, point 7) --------------------------------
# The same merge again: each source's day replaces what it gave before, so
# nothing changes (it used to add again: /x 6 6, /y 2 2), and it says so.
"$LOGFOLD" merge all.db web1.db web2.db 2>err.txt
check "merge twice: exit 0" "$?" 0
check "merge twice: counts as after the first" "$(pd all.db)" "2024-06-10 /x 3 3 2024-06-10 /y 1 1"
check "merge twice: says the days replaced" \
	"$(grep -c "'web2.db': 1 days merged, 1 of them in place of the same days merged from it before" err.txt)" 1
"$LOGFOLD" merge -q all.db web2.db web1.db
check "merge in another order: the same" "$(pd all.db)" "2024-06-10 /x 3 3 2024-06-10 /y 1 1"
# web2's day was open: its next night adds /y by .4 and /x by .5. Merged
# again (web2 alone): the day is web1's (/x 2 2) plus web2's now (/x by .1
# and .5: 2 2; /y by .3 and .4: 2 2): /x 4 4, /y 2 2.
{
	cat web2.log
	line 192.0.2.4 10/Jun/2024:12:00:00 /y
	line 192.0.2.5 10/Jun/2024:12:30:00 /x
} >web2b.log
"$LOGFOLD" -q --db web2.db web2b.log
check "merge: the source's open day grew" "$(pd web2.db)" "2024-06-10 /x 2 2 2024-06-10 /y 2 2"
"$LOGFOLD" merge -q all.db web2.db
check "merge: a changed day replaces what the source gave" "$(pd all.db)" \
	"2024-06-10 /x 4 4 2024-06-10 /y 2 2"
# web2's day closes (--close-all): merged, the day is closed (web1 closed it
# already), the counts as before
"$LOGFOLD" -q --close-all --rebuild 2024-06-10 --db web2.db web2b.log
"$LOGFOLD" merge -q all.db web1.db web2.db
check "merge: closed once every source is" "$(q all.db "SELECT state FROM days")" closed
check "merge: and the counts stay" "$(pd all.db)" "2024-06-10 /x 4 4 2024-06-10 /y 2 2"
check "merge: one (site, day, source) per source" "$(q all.db "SELECT count(*) FROM merge_sources")" 2
# ids: one per database, random (two databases of the same log differ)
check "database id: one, an integer" "$(q web1.db "SELECT count(*), typeof(id) FROM database_id")" "1 integer"
check "database id: two databases of one log differ" \
	"$([ "$(q lb1.db "SELECT id FROM database_id")" != "$(q lb2.db "SELECT id FROM database_id")" ] && echo yes)" yes
# a database merged with itself, or with a copy of itself: refused (exit 2)
cp all.db all-copy.db
"$LOGFOLD" merge all.db all-copy.db 2>err.txt
check "merge a copy of the output: refused (exit 2)" "$?" 2
check "merge a copy of the output: says why" "$(grep -c "'all-copy.db': it is the output database itself, or a copy of it" err.txt)" 1
cp web1.db web1-copy.db
"$LOGFOLD" merge all.db web1.db web1-copy.db 2>err.txt
check "merge a source and its copy: refused (exit 2)" "$?" 2
check "merge a source and its copy: nothing written" "$(pd all.db)" "2024-06-10 /x 4 4 2024-06-10 /y 2 2"

# --- merge is safe (issue 21, point 5) --------------------------------------
# OUT also an IN (by another name: a symlink, ./): refused at once, by
# device and inode, where it used to wait for its own lock.
ln -s all.db all-link.db
for same in all.db ./all.db all-link.db; do
	start=$SECONDS
	"$LOGFOLD" merge --wait 30 all.db web1.db "$same" 2>err.txt
	check "merge all.db ... $same: refused (exit 2)" "$?" 2
	check "merge all.db ... $same: at once" "$([ $((SECONDS - start)) -lt 5 ] && echo yes)" yes
	check "merge all.db ... $same: says why" "$(grep -c "'all.db' is the output of the merge" err.txt)" 1
done
"$LOGFOLD" merge new.db web1.db ./web1.db 2>err.txt
check "an input named twice: refused (exit 2)" "$?" 2
# an input that cannot be read is named, not the output: a damaged page
# (page 2, page_daily's root, overwritten with 0xFF)
cp web1.db bad.db
head -c 4096 /dev/zero | tr '\0' '\377' | dd of=bad.db bs=4096 seek=1 conv=notrunc 2>/dev/null
"$LOGFOLD" merge all.db web2.db bad.db 2>err.txt
check "a damaged input: exit 4" "$?" 4
check "a damaged input: named" "$(grep -c "cannot read database 'bad.db': database disk image is malformed" err.txt)" 1
check "a damaged input: the output not blamed" "$(grep -c "all.db" err.txt)" 0
check "a damaged input: nothing written" "$(pd all.db)" "2024-06-10 /x 4 4 2024-06-10 /y 2 2"
"$LOGFOLD" merge all.db web2.db missing.db 2>err.txt
check "a missing input: named" "$(grep -c "cannot read database 'missing.db': No such file or directory" err.txt)" 1
# a failed merge into a new OUT leaves no OUT behind
# (after a good input: damaged, another version, missing, a copy of it)
for broken in "web2.db bad.db" "web2.db old.db" "web2.db missing.db" "web1.db web1-copy.db"; do
	# shellcheck disable=SC2086 # two names
	"$LOGFOLD" merge -q fresh.db $broken 2>/dev/null
	check "failed merge into a new OUT ($broken): exit 2 or 4" "$?" "$([ "$broken" = "web1.db web1-copy.db" ] && echo 2 || echo 4)"
	check "failed merge into a new OUT ($broken): no fresh.db left" "$([ -e fresh.db ] && echo left || echo none)" none
done

# --- CSV keeps history (issue 15, point 8) --------------------------------
# Three nights of a cron job that reads what logrotate left of the last
# two days, `logfold access.log.1 access.log` (older files are compressed
# away and not given):
#   night 1: access.log = a.log (10 June: /x by .1 and .2, /y by .1; 11 June
#            00:20 /x by .3, which closes 10 June)
#   night 2: access.log.1 = a.log; access.log = 11 June 10:00 /y by .4,
#            12 June 00:30 /x by .5 (closes 11 June)
#   night 3: access.log.1 = night 2's; access.log = 13 June 00:30 /y by .6
#            (closes 12 June)
# Every pageview is a visit of its own (.1's are two hours apart). After
# night 3 the CSV files must hold every day: 10 June /x 2 2, /y 1 1; 11 June
# /x 1 1, /y 1 1; 12 June /x 1 1; 13 June /y 1 1, with 10 to 12 June
# closed. They used to hold the last run's days only (with --db), or what
# the two files given hold (CSV alone: 11 June without .3's /x, 10 June
# gone).
mkdir -p night1 night2 night3
cp a.log night1/access.log
cp a.log night2/access.log.1
{
	line 192.0.2.4 11/Jun/2024:10:00:00 /y
	line 192.0.2.5 12/Jun/2024:00:30:00 /x
} >night2/access.log
cp night2/access.log night3/access.log.1
line 192.0.2.6 13/Jun/2024:00:30:00 /y >night3/access.log
HIST="2024-06-10,/x,2,2 2024-06-10,/y,1,1 2024-06-11,/x,1,1 2024-06-11,/y,1,1 2024-06-12,/x,1,1 2024-06-13,/y,1,1"
csvpd() { cut -d, -f2-5 "$1/page_daily.csv" | tail -n +2 | tr '\n' ' ' | sed 's/ $//'; }
csvdays() { cut -d, -f2,3 "$1/days.csv" | tail -n +2 | tr '\n' ' ' | sed 's/ $//'; }
# CSV alone: the database beside the directory keeps the history
"$LOGFOLD" --csv hist night1/access.log 2>err.txt
check "CSV alone: a database beside the directory" "$([ -f hist.db ] && echo yes)" yes
check "CSV alone: says where, the first time" "$(grep -c "no --db: the tables are kept in 'hist.db', beside 'hist'" err.txt)" 1
"$LOGFOLD" --csv hist/ night2/access.log.1 night2/access.log 2>err.txt
check "CSV alone: says it once only" "$(grep -c "no --db" err.txt)" 0
"$LOGFOLD" -q --csv hist night3/access.log.1 night3/access.log
check "CSV alone, three nights: every day in page_daily.csv" "$(csvpd hist)" "$HIST"
check "CSV alone, three nights: every day in days.csv" "$(csvdays hist)" \
	"2024-06-10,closed 2024-06-11,closed 2024-06-12,closed 2024-06-13,open"
check "CSV alone, three nights: three runs in runs.csv" "$(($(wc -l <hist/runs.csv) - 1))" 3
check "CSV alone: the CSV is the database's table" "$(csvpd hist)" \
	"$(sqlite3 -csv hist.db "SELECT day, page, pageviews, visitors FROM page_daily ORDER BY site, day, page" | tr '\n' ' ' | sed 's/ $//')"
# --db and --csv: the same
for n in 1 2 3; do
	"$LOGFOLD" -q --db histdb.db --csv histdb night$n/access.log*
done
check "--db and --csv, three nights: every day in page_daily.csv" "$(csvpd histdb)" "$HIST"
check "--db and --csv: no other database made" "$([ -e histdb.db ] && [ ! -e histdb/../histdb.db.db ] && echo yes)" yes
# prune with --csv: the export follows the retention
# today 13 July 2025, 13 months: the first day kept is 13 June 2024
LOGFOLD_TODAY=2025-07-13 "$LOGFOLD" prune -q --retention 13 --csv hist
check "prune --csv: the days gone from the CSV too" "$(csvpd hist)" "2024-06-13,/y,1,1"
check "prune --csv: from its database" "$(pd hist.db)" "2024-06-13 /y 1 1"
# merge --csv: OUT's tables exported
"$LOGFOLD" merge -q --csv allcsv all.db web1.db web2.db
check "merge --csv: OUT's rows" "$(csvpd allcsv)" "2024-06-10,/x,4,4 2024-06-10,/y,2,2"
# a directory with no name of its own has no place beside it
(cd hist && "$LOGFOLD" -q --csv . ../a.log) 2>err.txt
check "--csv . without --db: refused (exit 2)" "$?" 2
check "--csv . without --db: says to give --db" "$(grep -c "give --db PATH" err.txt)" 1

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
