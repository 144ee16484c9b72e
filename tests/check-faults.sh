#!/bin/bash
# check-faults.sh - issue 21 point 8: the fault-injection sweep, after
# SQLite's I/O-error tests. An LD_PRELOAD shim (tests/fault/faultfs.c)
# counts every call that changes a file under the outputs' directory:
# open, write, fsync, rename, close, unlink, ftruncate, mkdir, and stdio's
# fwrite, fflush, fclose (glibc's stdio writes through a write(2) no shim
# sees). A clean run counts them; then the same command runs once per
# call, that call failing (ENOSPC for writes, EIO for the rest). Every
# call is a fault point but stdio's buffered fwrite (every 10th of those:
# they reach the disk only through the fflush and fclose that follow,
# which are all swept). Each time:
#   - the exit status is not 0, and stderr names the file that failed
#     (the database, a CSV file or their directory) and the cause; or the
#     status is 0 with everything written exactly, and either the failure
#     is said as a warning naming the file and cause (VACUUM, after the
#     commit) or the call is one SQLite and logfold ignore by design (see
#     ignorable(): directory syncs, closes after everything is synced);
#   - the database passes PRAGMA integrity_check and holds exactly what it
#     held before the command or what the command writes when nothing
#     fails: never a mix;
#   - each CSV file is byte for byte the one before or the complete one,
#     and no NAME.csv.tmp is left (unless the disk stays broken: its
#     unlink fails too);
#   - a failure after the database committed (a CSV file's, as the database
#     commits first) says that the database "holds this run": exit status
#     4 alone means that nothing was kept;
#   - when nothing was written, the same command run again without a
#     fault completes the work exactly.
# Three commands are swept: a nightly run into a database and CSV files
# (it replaces an open day, prunes and VACUUMs), `merge` and `prune`; each
# with the one call failing, then (every 3rd point) with that call and
# every later one failing: a disk that stays full or broken.
# The count is generic (the Nth call, whatever it is), so the sweep follows
# the code as it changes. FAULT_STEP=K sweeps every Kth point only (the
# sanitizer builds use 3: they are slower). Prints the number of fault
# points swept, and "faults: N passed, N failed".

set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
LOGFOLD=${LOGFOLD:-$ROOT/logfold}
SHIM=${FAULTFS:-$ROOT/build/tools/faultfs.so}
W=$ROOT/build/check-faults
SUITE=faults
. "$ROOT/tests/counts.sh"
rm -rf "$W"
mkdir -p "$W/in" "$W/out"
cd "$W" || exit 1
D=$W/out # FAULT_DIR: the outputs, and merge's inputs
STEP=${FAULT_STEP:-1}
asan=false
if nm -D "$LOGFOLD" 2>/dev/null | grep -q __asan_init; then
	asan=true
	STEP=${FAULT_STEP:-3}
	# the shim comes before the sanitizer's runtime in the library list
	export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0
fi
export SQLITE_TMPDIR=$D # VACUUM's temporary database: counted too
if [ ! -f "$SHIM" ]; then
	echo "faults: no $SHIM (make check builds it)"
	echo "faults: 0 passed, 1 failed"
	exit 1
fi

. "$ROOT/tests/clf.sh"
LF=("$LOGFOLD" -q --uap-regexes none --geo off)

# --- the logs --------------------------------------------------------------
# Night 1 (today 2024-11-12, --retention 1: days from 2024-10-12 kept):
# 13 Oct, 150 pages (enough rows that pruning them frees most of the file,
# so that night 2 VACUUMs), 10 Nov /a, 11 Nov /b (left open). Night 2
# (today 2024-12-01: days before 2024-11-01 pruned) reads night 1's file
# again and n2.log: 11 Nov /c (the open day replaced), 12 and 13 Nov.
{
	for i in $(seq 150); do line 192.0.2.$((i % 200)) 13/Oct/2024:10:00:00 /old/$i; done
	line 192.0.2.1 10/Nov/2024:10:00:00 /a
	line 192.0.2.2 11/Nov/2024:10:00:00 /b
} >in/n1.log
{
	line 192.0.2.3 11/Nov/2024:12:00:00 /c
	line 192.0.2.4 12/Nov/2024:10:00:00 /d
	line 192.0.2.5 13/Nov/2024:10:00:00 /e
} >in/n2.log

# --- the state of the outputs ---------------------------------------------
# dump DB: its integrity, then every table's rows in a fixed order (the
# tables of a logfold database: listed once, from the state before).
dump() { sqlite3 -bail "$1" "PRAGMA integrity_check; PRAGMA user_version; $DUMPQ" 2>&1 | cksum; }
dump_query() {
	local t
	DUMPQ=
	local order
	for t in $(sqlite3 "$1" "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY 1"); do
		# by its first three columns, or as many as it has (database_id: one)
		order=$(sqlite3 "$1" "SELECT group_concat(cid + 1, ', ') FROM pragma_table_info('$t') WHERE cid < 3")
		DUMPQ="$DUMPQ SELECT '$t'; SELECT * FROM $t ORDER BY $order;"
	done
}
# csvs DIR: "CKSUM SIZE NAME" of every file in DIR (a .tmp too), or "none".
csvs() { [ -d "$1" ] && (cd "$1" && cksum -- *) || echo none; }

# The causes a message may give: the system's words, or SQLite's.
CAUSES='No space left on device|Input/output error|disk I/O error|database or disk is full|unable to open database file'

# The calls whose failure changes nothing that matters, so that the run
# rightly succeeds, silently: SQLite's directory sync after it creates a
# journal (open, fdatasync, close of the directory: SQLite ignores their
# errors, as some file systems cannot sync a directory), the CSV
# directory's sync after the renames (unchecked for the same reason: the
# files are complete and in place), and a close after everything is synced
# (SQLite ignores close errors by design).
ignorable() {
	case $1 in
	"open64 $D" | "open $D" | "fdatasync $D" | "fsync $D" | "close $D") return 0 ;;
	"open $D/csv" | "fsync $D/csv" | "close $D/csv") return 0 ;;
	"close "*.db | "close "*-journal) return 0 ;;
	*) return 1 ;;
	esac
}
# said: stderr names a file under the outputs' directory and a cause.
said() { grep -E "'$D/[^']*'" fault.err | grep -qE "$CAUSES"; }

# points: the calls to fail, by number: every one but fwrite, fputs and
# fputc (stdio's buffered calls, which reach the disk only through the
# fflush or fclose that follow, swept each), of which every 10th; with
# FAULT_STEP=K, every Kth of those; in the sticky pass, every 3Kth.
points() {
	awk -v step="$([ "$STICKY" = 1 ] && echo $((3 * STEP)) || echo "$STEP")" '
		$2 ~ /^(fwrite|fputs|fputc)$/ { if (nbuf++ % 10) next }
		{ if (n++ % step == 0) print $1 }' count.log
}

# sweep NAME SETUP CMD...: SETUP (a function) makes the state before, kept
# in $W/before and restored from it for each point; CMD is run once clean
# (the state after) and then once per fault point.
sweep() {
	local name=$1 setup=$2 n i rc call before after before_csv after_csv got got_csv
	shift 2
	rm -rf "$D" before && mkdir "$D" && "$setup" && cp -a "$D" before
	dump_query "$DB"
	before=$(dump "$DB")
	before_csv=$(csvs "$CSV")
	"$@" 2>clean.err
	check "$name: the clean run" "$?" 0
	after=$(dump "$DB")
	after_csv=$(csvs "$CSV")
	check "$name: the clean run changes the database" \
		"$([ "$before" != "$after" ] && echo yes)" yes
	rm -rf "$D" count.log && cp -a before "$D"
	FAULT_DIR=$D FAULT_LOG=$W/count.log LD_PRELOAD=$SHIM "$@" 2>/dev/null
	check "$name: under the shim, with no fault: the same" "$?:$(dump "$DB")" "0:$after"
	n=$(wc -l <count.log)
	local swept=0 bad_status=0 bad_msg=0 bad_db=0 bad_csv=0 bad_rerun=0 lost=0 quiet=0 warned=0
	for i in $(points); do
		rm -rf "$D" fault.log && cp -a before "$D"
		FAULT_DIR=$D FAULT_LOG=$W/fault.log FAULT_AT=$i FAULT_STICKY=$STICKY LD_PRELOAD=$SHIM \
			"$@" 2>fault.err
		rc=$?
		swept=$((swept + 1))
		call=$(sed -n "${i}p" count.log | cut -d ' ' -f 2,3)
		if ! grep -q "^$i .* FAILED$" fault.log; then
			lost=$((lost + 1)) # the calls came in another order
			echo "faults: $name #$i ($call): not reached in the same order"
			continue
		fi
		got=$(dump "$DB")
		got_csv=$(csvs "$CSV")
		# status 0: everything written, and the failure said as a warning
		# or one SQLite and logfold ignore by design
		if [ $rc = 0 ] && [ "$got" = "$after" ] && ignorable "$call" && [ ! -s fault.err ]; then
			quiet=$((quiet + 1))
		elif [ $rc = 0 ] && [ "$got" = "$after" ] && said; then
			warned=$((warned + 1))
		elif [ $rc = 0 ] || [ $rc -ge 128 ]; then
			bad_status=$((bad_status + 1))
			echo "faults: $name #$i ($call): status $rc: $(head -c 300 fault.err)"
		elif ! said; then
			bad_msg=$((bad_msg + 1))
			echo "faults: $name #$i ($call): said: $(head -c 300 fault.err)"
		elif [ "$got" = "$after" ] && [ "$got" != "$before" ] && ! grep -q 'holds this run' fault.err; then
			bad_msg=$((bad_msg + 1)) # status 4 says "nothing kept": untrue here
			echo "faults: $name #$i ($call): failed, written, and not said: $(head -c 300 fault.err)"
		fi
		if [ "$got" != "$before" ] && [ "$got" != "$after" ]; then
			bad_db=$((bad_db + 1))
			echo "faults: $name #$i ($call): the database is neither before nor after"
		fi
		if [ -n "$CSV" ] && ! csv_ok "$got_csv" "$before_csv" "$after_csv"; then
			bad_csv=$((bad_csv + 1))
			echo "faults: $name #$i ($call): CSV files: $(echo $got_csv)"
		fi
		# nothing written: the same command, run again, does it all
		if [ "$got" = "$before" ] && [ "$("$@" 2>rerun.err; echo "$?:$(dump "$DB")")" != "0:$after" ]; then
			bad_rerun=$((bad_rerun + 1))
			echo "faults: $name #$i ($call): the run again without a fault: $(head -c 300 rerun.err)"
		fi
	done
	echo "faults: $name: $n calls counted, $swept fault points swept ($quiet ignored by design," \
		"$warned said as a warning with everything written)"
	SWEPT=$((SWEPT + swept))
	check "$name: every fault reached in the same order" "$lost" 0
	check "$name: every failure exits non-zero (or is harmless and said)" "$bad_status" 0
	check "$name: every failure says which file and why" "$bad_msg" 0
	check "$name: the database is as before or as after, never a mix" "$bad_db" 0
	check "$name: each CSV file as before or as after, no .tmp left" "$bad_csv" 0
	check "$name: a run without the fault completes the work" "$bad_rerun" 0
}

# csv_ok GOT BEFORE AFTER: every file of GOT is in BEFORE or AFTER. A
# NAME.csv.tmp is left only when the disk stays broken (sticky): then its
# unlink fails too, and the next run truncates it.
csv_ok() {
	local f
	while read -r f; do
		[ -n "$f" ] || continue
		case $f in *.tmp) [ "$STICKY" = 1 ] && continue || return 1 ;; esac
		printf '%s\n%s\n' "$2" "$3" | grep -qxF -- "$f" || return 1
	done <<<"$1"
	return 0
}

SWEPT=0
DB=$D/x.db CSV=$D/csv
night1() { LOGFOLD_TODAY=2024-11-12 "${LF[@]}" --retention 1 --db "$DB" --csv "$CSV" in/n1.log; }
night2() { LOGFOLD_TODAY=2024-12-01 "${LF[@]}" --retention 1 --db "$DB" --csv "$CSV" in/n1.log in/n2.log; }
merge_setup() {
	LOGFOLD_TODAY=2024-11-12 "${LF[@]}" --retention 1 --db "$DB" in/n1.log
	LOGFOLD_TODAY=2024-12-01 "${LF[@]}" --db "$D/in1.db" in/n2.log
	LOGFOLD_TODAY=2024-12-01 "${LF[@]}" --db "$D/in2.db" in/n1.log in/n2.log
}
merge_run() { LOGFOLD_TODAY=2024-12-01 "$LOGFOLD" merge -q "$DB" "$D/in1.db" "$D/in2.db"; }
prune_setup() { LOGFOLD_TODAY=2024-11-12 "${LF[@]}" --retention 1 --db "$DB" in/n1.log; }
prune_run() { LOGFOLD_TODAY=2024-12-01 "$LOGFOLD" prune -q --retention 1 --db "$DB"; }

# Each command twice: the one call failing, then that call and every one
# after it (FAULT_STICKY: a disk that stays full, so that the roll-back
# and the clean-up fail too; SQLite's hot journal must then put the
# database back when it is next opened).
for STICKY in 0 1; do
	tag=$([ $STICKY = 1 ] && echo ", sticky")
	# a nightly run: database and CSV files
	DB=$D/x.db CSV=$D/csv
	sweep "run$tag" night1 night2
	# merge: two servers' databases into one (inputs under FAULT_DIR too)
	DB=$D/m.db CSV=
	sweep "merge$tag" merge_setup merge_run
	# prune: the retention alone, and the VACUUM it leads to
	DB=$D/p.db CSV=
	sweep "prune$tag" prune_setup prune_run
done

echo "faults: $SWEPT fault points swept$([ "$STEP" != 1 ] && echo " (one point in $STEP)")"
echo "faults: $pass passed, $fail failed"
[ "$fail" = 0 ]
