#!/bin/bash
# check-resume.sh - how an input is recognised, resumed and how a day's
# state is kept (issues 14, 15, 21), each on small hand-made logs whose
# expected counts are worked out in the comments:
#   recognition: renamed, grown, truncated, recompressed, an older copy and
#     the grown file in one run (either order), '-' twice, stdin in two runs
#   an open day held by an input a run lacks (files, stdin)
#   inputs read once: <(cat a.log), /dev/stdin on a pipe, a FIFO, and
#     <(cat a.log) a.log counted once
#   detection past a bad start: a first line over 64 KiB, a gzip that
#     starts with 10 MB of zeros, 30 lines of messages; on a pipe too
#   the last day of a truncated log closes; another site's does not
#   the summary says how many lines were read before
#   K and mask kept per day; --rebuild refuses to weaken a closed day;
#     prune --day
#   retention deletes resume points; the journal keeps no deleted row
#   the first run after an upgrade from schema 12 (resume points of raw bytes)
#   a robot's request never rewrites a closed (or another) day
# Prints "resume: N passed, N failed".

set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
LOGFOLD=${LOGFOLD:-$ROOT/logfold}
W=$ROOT/build/resume
export LOGFOLD_TODAY=${LOGFOLD_TODAY:-2024-12-01}
SUITE=resume
# shellcheck source=tests/counts.sh
. "$ROOT/tests/counts.sh"
rm -rf "$W"
mkdir -p "$W"
cd "$W" || exit 1

. "$ROOT/tests/clf.sh"
# line IP 'DD/Mon/YYYY:HH:MM:SS' PAGE [AGENT]: one pageview (or a robot's)
lf() { "$LOGFOLD" -q "$@"; }

# a.log: 10 June /x by .1 and .2, /y by .1; 11 June 00:20 /x by .3, which
# closes 10 June (20 minutes past its end, grace 10 minutes); 11 June open.
{
	line 192.0.2.1 10/Jun/2024:10:00:00 /x
	line 192.0.2.2 10/Jun/2024:11:00:00 /x
	line 192.0.2.1 10/Jun/2024:12:00:00 /y
	line 192.0.2.3 11/Jun/2024:00:20:00 /x
} >a.log
A_PD="2024-06-10 /x 2 2 2024-06-10 /y 1 1 2024-06-11 /x 1 1"

# --- recognition --------------------------------------------------------
lf --db ren.db a.log
mv a.log a.log.1
lf --db ren.db a.log.1
check "renamed: the same input, the same counts" "$(pd ren.db)" "$A_PD"
check "renamed: one point, under its last name; 11 June open from line 4" \
	"$(q ren.db "SELECT count(*), name, closed_line, reached_line FROM resume")" "1 a.log.1 3 4"
mv a.log.1 a.log

# grown: one more /x on 11 June (.4): 11 June rewritten whole: /x 2 2
cp a.log grow.log
lf --db grow.db grow.log
line 192.0.2.4 11/Jun/2024:09:00:00 /x >>grow.log
lf --db grow.db grow.log
check "grown: the open day rewritten whole" "$(pd grow.db)" \
	"2024-06-10 /x 2 2 2024-06-10 /y 1 1 2024-06-11 /x 2 2"

# truncated, the same start: trunc.log has 70 lines of 10 June (/t by .1)
# and 2 of 11 June (/x by .3 and .4), then loses its last. Rewriting 11
# June from its first line would lose .4's pageview: the day is kept as it
# was, the run says why and exits 3. (Its first 64 lines, what knows it,
# are all there; a file cut below its signed lines is another input, and
# the day is held as a missing input's: see below.)
{
	for i in $(seq 0 69); do
		line 192.0.2.1 "$(printf '10/Jun/2024:%02d:%02d:00' $((10 + i / 60)) $((i % 60)))" /t
	done
	line 192.0.2.3 11/Jun/2024:00:20:00 /x
	line 192.0.2.4 11/Jun/2024:09:00:00 /x
} >trunc.log
lf --db trunc.db trunc.log
head -n 71 trunc.log >cut && mv cut trunc.log
"$LOGFOLD" --db trunc.db trunc.log 2>err.txt
check "truncated: the open day kept, exit 3" "$?:$(pd trunc.db)" \
	"3:2024-06-10 /t 70 1 2024-06-11 /x 2 2"
check "truncated: said" "$(grep -c "'trunc.log' has 71 lines, 72 when read before" err.txt):$(grep -c "day 2024-06-11 of site 'default' is kept as it was: 'trunc.log' is shorter" err.txt)" "1:1"
# a short file cut below its signed lines: another input; the open day is
# held by the missing one, kept as it was (grow.log: 5 lines, 11 June /x 2)
cp grow.log short.log
lf --db short.db short.log
head -n 4 grow.log >short.log
lf --db short.db short.log 2>err.txt
check "cut short: the open day kept, exit 3" "$?:$(q short.db "SELECT pageviews FROM page_daily WHERE day = '2024-06-11'")" "3:2"

# recompressed (and renamed): plain, then gzip: nothing new
lf --db gz.db a.log
gzip -n -c a.log >a.log.2.gz
lf --db gz.db a.log.2.gz
check "recompressed: the same input" "$(pd gz.db):$(q gz.db "SELECT count(*) FROM resume")" "$A_PD:1"

# an older copy and the grown file in one run, in either order: one log,
# every line once (copy: 4 lines; grown: 5, .4's /x on 11 June the fifth)
cp a.log copy.log
for order in "copy.log grow.log" "grow.log copy.log"; do
	rm -f pair.db
	# shellcheck disable=SC2086
	lf --db pair.db $order
	check "an older copy and the grown file ($order): every line once" "$(pd pair.db)" \
		"2024-06-10 /x 2 2 2024-06-10 /y 1 1 2024-06-11 /x 2 2"
done

# '-' named twice in one run: standard input read once
lf --db dash.db - - <a.log
check "'-' twice: read once" "$(pd dash.db)" "$A_PD"
# stdin in two runs with the same log: the same input, named (stdin)
lf --db stdin.db <a.log
lf --db stdin.db <a.log
check "stdin twice: known again" "$(pd stdin.db):$(q stdin.db "SELECT count(*), name FROM resume")" \
	"$A_PD:1 (stdin)"

# --- an open day held by an input the run lacks ---------------------------
# A.log holds 11 June open (/x by .3); B.log has 11 June /b by .5 and 12
# June /c by .5. Run 2 on B alone: 11 June kept (/x 1 1), B's /b not
# counted, exit 3 naming A.log; 12 June written. Run 3 on both: 11 June
# rewritten from both (/b 1 1, /x 1 1): B's point stayed before its /b.
cp a.log A.log
{
	line 192.0.2.5 11/Jun/2024:05:00:00 /b
	line 192.0.2.5 12/Jun/2024:05:00:00 /c
} >B.log
lf --db held.db A.log
lf --db held.db B.log 2>err.txt
check "held: exit 3, 11 June as it was" "$?:$(pd held.db)" \
	"3:2024-06-10 /x 2 2 2024-06-10 /y 1 1 2024-06-11 /x 1 1 2024-06-12 /c 1 1"
check "held: A.log named" "$(grep -c "day 2024-06-11 of site 'default' is open and holds lines of 'A.log', read before, which this run was not given: its 1 pageviews" err.txt)" 1
check "held: B's point stays before its 11 June line" \
	"$(q held.db "SELECT closed_line, reached_line FROM resume WHERE name = 'B.log'")" "0 2"
lf --db held.db A.log B.log
check "held: a run with both counts both" "$(pd held.db)" \
	"2024-06-10 /x 2 2 2024-06-10 /y 1 1 2024-06-11 /b 1 1 2024-06-11 /x 1 1 2024-06-12 /c 1 1"
# two different logs on stdin in two runs
lf --db held2.db <A.log
lf --db held2.db <B.log 2>err.txt
check "held, stdin: exit 3, (stdin) named" \
	"$?:$(grep -c "holds lines of '(stdin)', read before, which this run was not given" err.txt)" "3:1"
check "held, stdin: 11 June as it was" "$(q held2.db "SELECT page, pageviews FROM page_daily WHERE day = '2024-06-11'")" "/x 1"

# --- inputs read once ------------------------------------------------------
lf --db ps.db <(cat a.log)
check "<(cat a.log): read" "$(pd ps.db)" "$A_PD"
cat a.log | lf --db devstdin.db /dev/stdin
check "/dev/stdin on a pipe: read" "$(pd devstdin.db)" "$A_PD"
rm -f fifo
mkfifo fifo
(cat a.log >fifo &)
timeout 20 "$LOGFOLD" -q --db fifo.db fifo
check "FIFO: read, no hang" "$?:$(pd fifo.db)" "0:$A_PD"
lf --db once.db <(cat a.log) a.log
check "<(cat a.log) a.log: counted once" "$(pd once.db)" "$A_PD"
lf --db once2.db a.log <(cat a.log)
check "a.log <(cat a.log): counted once" "$(pd once2.db)" "$A_PD"
lf --db psgz.db <(gzip -n -c a.log)
check "a gzip through a pipe: read" "$(pd psgz.db)" "$A_PD"

# --- detection past a bad start ---------------------------------------------
# long.log: a first line of 70000 bytes, then a.log: detected from a.log's
# lines; the long line is one malformed line; a.log's counts.
{
	head -c 70000 /dev/zero | tr '\0' x
	echo
	cat a.log
} >long.log
"$LOGFOLD" --max-bad 50 --db long.db long.log 2>err.txt
check "first line over 64 KiB: detected, the rest counted" "$?:$(pd long.db)" "0:$A_PD"
check "first line over 64 KiB: one malformed line" "$(grep -c 'long.log:1: malformed: line longer than 65536 bytes' err.txt)" 1
"$LOGFOLD" --max-bad 50 --db longpipe.db <(cat long.log) 2>err.txt
check "first line over 64 KiB, on a pipe: detected, nothing lost" "$?:$(pd longpipe.db)" "0:$A_PD"
# zeros.gz: 10 MB of zero bytes, then a.log, gzipped: the zeros and a.log's
# first line are one line of 10 MB (malformed); lines 2 to 4 are counted:
# 10 June /x by .2, /y by .1; 11 June /x by .3
{
	head -c 10000000 /dev/zero
	cat a.log
} | gzip -n >zeros.gz
"$LOGFOLD" --max-bad 50 --db zeros.db zeros.gz 2>err.txt
check "a gzip starting with 10 MB of zeros: detected" "$?:$(pd zeros.db)" \
	"0:2024-06-10 /x 1 1 2024-06-10 /y 1 1 2024-06-11 /x 1 1"
# 30 lines of a server's messages, then a.log (1/34 malformed at most)
{
	for i in $(seq 1 30); do echo "Proxy www started ($i)."; done
	cat a.log
} >msgs.log
lf --max-bad 100 --db msgs.db msgs.log
check "30 lines of messages first: detected" "$(pd msgs.db)" "$A_PD"

# --- the last day of a truncated log closes -----------------------------
# cut.log: 11 June /x (open). Then the log is truncated and written again
# with 13 June lines: 11 June has no line left anywhere, and the log is
# far past its end and the grace: it closes, its rows as they were.
line 192.0.2.1 11/Jun/2024:10:00:00 /x >cut.log
lf --db cut.db cut.log
line 192.0.2.1 13/Jun/2024:10:00:00 /z >cut.log
lf --db cut.db cut.log
check "truncated log: its last day closed, rows kept" "$(days cut.db):$(pd cut.db)" \
	"2024-06-11 closed 2024-06-13 open:2024-06-11 /x 1 1 2024-06-13 /z 1 1"
# 00:05 on 12 June is 5 minutes past 11 June's end, less than the grace
line 192.0.2.1 11/Jun/2024:10:00:00 /x >cut2.log
lf --db cut2.db cut2.log
line 192.0.2.1 12/Jun/2024:00:05:00 /z >cut2.log
lf --db cut2.db cut2.log
check "truncated log, within the grace: the day stays open" "$(days cut2.db)" "2024-06-11 open 2024-06-12 open"
# another site's log moves nothing: site b's run leaves site a's day open
line 192.0.2.1 11/Jun/2024:10:00:00 /x >site_a.log
line 192.0.2.1 20/Jun/2024:10:00:00 /x >site_b.log
lf --site a --db sites.db site_a.log
lf --site b --db sites.db site_b.log
check "another site's log closes nothing" "$(q sites.db "SELECT site, day, state FROM days ORDER BY 1")" \
	"a 2024-06-11 open b 2024-06-20 open"

# --- the summary after a resume ---------------------------------------------
# a.log again: 3 lines of closed 10 June passed over, 1 line read
lf --db sum.db a.log
"$LOGFOLD" --db sum.db a.log 2>err.txt
check "summary: lines read, and lines read before" \
	"$(grep -c '1 lines, 1 pageviews' err.txt):$(grep -c 'and 3 lines read before .*passed over: 4 lines in all' err.txt)" "1:1"
check "runs.inputs: the input's lines, read or passed over" \
	"$(q sum.db "SELECT inputs FROM runs ORDER BY run_id DESC LIMIT 1")" '[{"name":"a.log","lines":4}]'

# --- K and mask of a day; --rebuild; prune --day -----------------------------
lf --close-all --db k.db a.log
check "days keep K and mask" "$(q k.db "SELECT DISTINCT min_visitors, mask_bytes FROM days")" "5 2"
before=$(pd k.db)
lf --rebuild 2024-06-10 -k 3 --db k.db a.log 2>err.txt
check "rebuild with a smaller K: refused, exit 2" "$?:$(pd k.db)" "2:$before"
check "rebuild with a smaller K: said" "$(grep -c "refusing to publish closed day 2024-06-10 of site 'default' again: it was published with --min-visitors 5, this run has 3; delete it first with 'logfold prune --day 2024-06-10 --site default'" err.txt)" 1
lf --rebuild 2024-06-10 -m 1 --db k.db a.log 2>err.txt
check "rebuild with fewer mask bytes: refused, exit 2" "$?:$(grep -c 'published with --mask-bytes 2, this run has 1' err.txt)" "2:1"
lf --rebuild 2024-06-10 -k 7 --close-all --db k.db a.log
check "rebuild with a larger K: done" "$?:$(q k.db "SELECT min_visitors FROM days WHERE day = '2024-06-10'")" "0:7"
"$LOGFOLD" prune -q --db k.db --day 2024-06-10 --site default
check "prune --day: rows gone, the day closed with K and mask 0" \
	"$(q k.db "SELECT count(*) FROM page_daily WHERE day = '2024-06-10'"):$(q k.db "SELECT state, min_visitors, mask_bytes FROM days WHERE day = '2024-06-10'")" \
	"0:closed 0 0"
# a later run's lines of the emptied day are late, not a day begun anew
line 192.0.2.9 10/Jun/2024:15:00:00 /late >late.log
lf --db k.db late.log
check "prune --day: a later line of that day is late" "$(q k.db "SELECT count(*) FROM page_daily WHERE day = '2024-06-10'")" 0
lf --rebuild 2024-06-10 -k 2 --close-all --db k.db a.log
check "prune --day, then rebuild with a smaller K: done" \
	"$?:$(q k.db "SELECT min_visitors, mask_bytes FROM days WHERE day = '2024-06-10'"):$(q k.db "SELECT page, pageviews FROM page_daily WHERE day = '2024-06-10' ORDER BY 1")" \
	"0:2 2:/x 2 /y 1"
"$LOGFOLD" prune --db k.db --day 2024-07-01 2>err.txt
check "prune --day of a day not there: nothing deleted" "$?:$(grep -c "no day 2024-07-01 in 'k.db': nothing deleted" err.txt)" "0:1"
# a day written before K was kept (NULL): refused until deleted
sqlite3 k.db "UPDATE days SET min_visitors = NULL, mask_bytes = NULL WHERE day = '2024-06-10'"
lf --rebuild 2024-06-10 --db k.db a.log 2>err.txt
check "rebuild of a day of unknown K: refused" "$?:$(grep -c 'published before logfold kept its K and mask' err.txt)" "2:1"
"$LOGFOLD" --day 2024-06-10 --db k.db a.log 2>err.txt
check "--day outside prune: a usage error" "$?:$(grep -c "\-\-day is for 'logfold prune'" err.txt)" "2:1"

# --- retention deletes resume points with their days -------------------------
# today 2024-12-01, --retention 13: days before 2023-11-01 go. old.log is
# all of 2023-01: its days and its point go; span.log runs from 2023-10-31
# to 2023-11-01: its point stays (its last day is kept). Its line of
# 2023-10-31 is older than the retention, so it is skipped as expired
# (issue 15 point 6) and its point's days begin on 2023-11-01.
line 192.0.2.1 15/Jan/2023:10:00:00 /o >old.log
{
	line 192.0.2.1 31/Oct/2023:10:00:00 /s
	line 192.0.2.1 01/Nov/2023:10:00:00 /s
} >span.log
lf --db ret.db old.log span.log
check "retention: the old input's point gone, the spanning one's kept" \
	"$(q ret.db "SELECT name, first_day, last_day FROM resume")" "span.log 2023-11-01 2023-11-01"
check "retention: no open day before the first day kept" \
	"$(q ret.db "SELECT count(*) FROM resume_days WHERE day < '2023-11-01'")" 0

# --- a line that expires between two nights keeps its input known ---------
# exp.log: 13 Oct (kept by night 1, today 2024-11-12 with --retention 1: days
# from 2024-10-12), 10 Nov, 11 Nov (left open). Night 2 (today 2024-12-01:
# days before 2024-11-01 expire) is given exp.log again: its 13 Oct line
# now expires, but its signature (what it reduces to, retention aside)
# is the same, so exp.log is known, read from its 11 Nov line: nothing
# late, nothing held, 11 Nov rewritten with its one pageview.
{
	line 192.0.2.1 13/Oct/2024:10:00:00 /o
	line 192.0.2.1 10/Nov/2024:10:00:00 /a
	line 192.0.2.2 11/Nov/2024:10:00:00 /b
} >exp.log
LOGFOLD_TODAY=2024-11-12 "$LOGFOLD" -q --retention 1 --db exp.db exp.log
LOGFOLD_TODAY=2024-12-01 "$LOGFOLD" --retention 1 --db exp.db exp.log 2>err.txt
check "an expiring line: the input known again, nothing late or held" \
	"$?:$(grep -c 'late\|was not given' err.txt):$(grep -c '2 lines read before' err.txt)" "0:0:1"
check "an expiring line: 11 November as before" \
	"$(q exp.db "SELECT page, pageviews FROM page_daily WHERE day = '2024-11-11'")" "/b 1"

# --- the journal keeps no deleted row ----------------------------------------
# jr.db holds a page named /gonezqk1 on 10 June; another program puts it
# in WAL mode; prune --day deletes the day. No byte of the name is left in
# the database, beside it (-journal, -wal) or anywhere in the directory.
mkdir -p jr
line 192.0.2.1 10/Jun/2024:10:00:00 /gonezqk1 >jr/j.log
line 192.0.2.1 11/Jun/2024:10:00:00 /kept >>jr/j.log
lf --db jr/jr.db jr/j.log
check "journal: the planted page is stored first" "$(grep -c gonezqk1 jr/jr.db | sed 's/^[1-9][0-9]*$/yes/')" yes
sqlite3 jr/jr.db "PRAGMA journal_mode = WAL" >/dev/null
"$LOGFOLD" prune -q --db jr/jr.db --day 2024-06-10
check "journal: no byte of a deleted row left in any file" "$(cat jr/jr.db* | grep -c gonezqk1)" 0
check "journal: out of WAL mode, no -wal file, the journal empty" \
	"$(q jr/jr.db "PRAGMA journal_mode"):$([ -e jr/jr.db-wal ] && echo wal):$(stat -c %s jr/jr.db-journal 2>/dev/null || echo 0)" \
	"delete::0"

# --- the first run after an upgrade from schema 12 -----------------------------
# up.db: a.log read (10 June closed, 11 June open), then taken back to
# schema 12 (the last with resume points of raw bytes; schema 14's shard
# tables undone too) with an old-style resume row. The run after the upgrade reads
# a.log from its start: 10 June's 3 pageviews are late (not counted
# again), 11 June is rewritten whole: every count as before.
lf --db up.db a.log
sqlite3 up.db "ALTER TABLE days DROP COLUMN min_visitors; ALTER TABLE days DROP COLUMN mask_bytes;
	DROP TABLE resume; DROP TABLE resume_days;
	CREATE TABLE resume (fingerprint INTEGER NOT NULL, fp_bytes INTEGER NOT NULL,
	 closed_offset INTEGER NOT NULL, reached_offset INTEGER NOT NULL,
	 closed_line INTEGER NOT NULL, reached_line INTEGER NOT NULL,
	 PRIMARY KEY (fp_bytes, fingerprint)) WITHOUT ROWID;
	INSERT INTO resume VALUES (123, 460, 400, 460, 3, 4);
	DROP TABLE shard; DROP TABLE shard_sets; DROP TABLE merge_shard_sets;
	ALTER TABLE merge_sources DROP COLUMN shard_index;
	ALTER TABLE merge_sources DROP COLUMN shard_count; PRAGMA user_version = 12;"
"$LOGFOLD" --db up.db a.log 2>err.txt
check "upgrade: not counted twice" "$?:$(pd up.db)" "0:$A_PD"
check "upgrade: said, and the closed day's lines late" \
	"$(grep -c "kept resume points of an older logfold" err.txt):$(grep -c '3 late pageviews' err.txt)" "1:1"
check "upgrade: a new point" "$(q up.db "PRAGMA user_version; SELECT count(*), fp_lines, closed_line FROM resume")" "14 1 4 3"

# --- a robot's request never rewrites a closed or another day ----------------
# bots.log: 10 June /x, 11 June /x and a Googlebot request, 12 June /y.
# --rebuild 10 June reads the robot's 11 June line too: before, it wrote 11
# June again with its robot alone, its page_daily row gone.
{
	line 192.0.2.1 10/Jun/2024:10:00:00 /x
	line 192.0.2.2 11/Jun/2024:10:00:00 /x
	line 192.0.2.5 11/Jun/2024:11:00:00 /r '"Googlebot/2.1 (+http://www.google.com/bot.html)"'
	line 192.0.2.3 12/Jun/2024:10:00:00 /y
} >bots.log
lf --close-all --db bots.db bots.log
lf --rebuild 2024-06-10 --close-all --db bots.db bots.log
check "rebuild: the other days' rows kept" "$(pd bots.db)" \
	"2024-06-10 /x 1 1 2024-06-11 /x 1 1 2024-06-12 /y 1 1"
check "rebuild: the robot counted once" "$(q bots.db "SELECT day, requests FROM bots_daily")" "2024-06-11 1"
# --- a day written ahead, then reached again in the same input ---------------
# ahead.log: 10 June /x, then 11 June 10:00, which takes the log past 10
# June's end + grace + an hour (the day is written ahead), then a late 10
# June /y in the same file (the day is computed and written again), then
# 12 June. The rows are whole; a run that finds no day stored says none
# replaced, and a --rebuild of 10 June says it once, not once per write.
{
	line 192.0.2.1 10/Jun/2024:10:00:00 /x
	line 192.0.2.2 11/Jun/2024:10:00:00 /x
	line 192.0.2.1 10/Jun/2024:12:00:00 /y
	line 192.0.2.3 12/Jun/2024:10:00:00 /y
} >ahead.log
AHEAD_PD="2024-06-10 /x 1 1 2024-06-10 /y 1 1 2024-06-11 /x 1 1 2024-06-12 /y 1 1"
for j in 1 2; do # --jobs 2 in chunks of a line: a helper writes ahead
	LOGFOLD_CHUNK_LINES=1 "$LOGFOLD" --jobs $j --close-all --db ahead$j.db ahead.log 2>err.txt
	check "written ahead, then reached (--jobs $j): whole, nothing replaced" \
		"$(pd ahead$j.db):$(grep -c 'replaced day' err.txt)" "$AHEAD_PD:0"
	LOGFOLD_CHUNK_LINES=1 "$LOGFOLD" --jobs $j --rebuild 2024-06-10 --close-all \
		--db ahead$j.db ahead.log 2>err.txt
	check "rebuilt, written ahead, then reached (--jobs $j): replaced said once" \
		"$(pd ahead$j.db):$(grep -c "replaced day 2024-06-10 of site 'default'" err.txt)" "$AHEAD_PD:1"
done

# a late robot of a closed day: not counted, the day not rewritten
line 192.0.2.6 11/Jun/2024:12:00:00 /r '"Googlebot/2.1 (+http://www.google.com/bot.html)"' >latebot.log
lf --db bots.db latebot.log
check "a late robot: the closed day kept" "$(pd bots.db):$(q bots.db "SELECT requests FROM bots_daily")" \
	"2024-06-10 /x 1 1 2024-06-11 /x 1 1 2024-06-12 /y 1 1:1"

echo "resume: $pass passed, $fail failed"
[ "$fail" = 0 ]
