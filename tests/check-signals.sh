#!/bin/bash
# check-signals.sh - issue 21 point 4: SIGTERM and SIGINT stop logfold
# within a second wherever it waits or works: on a stalled pipe (plain and
# gzip, on stdin and named as a file), on a FIFO no writer ever opens, in
# an endless line (/dev/zero, plain and inflated), in an endless stream of
# short lines, in the lock wait behind another run, and while the writer
# thread writes a long backfill. Each time: exit status 6, "stopped by
# signal", and the database exactly as before the run (or, for a signal
# that comes too late to stop anything, as a complete run leaves it).
# `merge` and `prune` stop the same way.
#
# The stalled writers are this shell itself (a FIFO held open on fd 3), so
# no helper process outlives the test. Prints "signals: N passed, N failed".

set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
LOGFOLD=${LOGFOLD:-$ROOT/logfold}
LOGGEN=${LOGGEN:-$ROOT/build/tools/loggen}
W=$ROOT/build/check-signals
export LOGFOLD_TODAY=2024-12-01
SUITE=signals
. "$ROOT/tests/counts.sh"
rm -rf "$W"
mkdir -p "$W"
cd "$W" || exit 1

# The limit, in ms, from the signal to the exit. Under sanitizers a process
# also spends time in its exit-time checks, so the limit is the issue's 1 s
# only for plain builds (LOGFOLD_SIGNAL_MS to change it).
LIMIT_MS=${LOGFOLD_SIGNAL_MS:-1000}
if nm -D "$LOGFOLD" 2>/dev/null | grep -q __asan_init; then
	LIMIT_MS=${LOGFOLD_SIGNAL_MS:-2500}
fi

. "$ROOT/tests/clf.sh"
# started in the background as "${LF[@]}" ... &, never through a function:
# $! must be logfold's own pid, not a subshell's
LF=("$LOGFOLD" -q --uap-regexes none --geo off)
lf() { "${LF[@]}" "$@"; }
dump() {
	sqlite3 "$1" "PRAGMA integrity_check; SELECT * FROM page_daily ORDER BY 1, 2, 3;
		SELECT * FROM days ORDER BY 1, 2; SELECT * FROM resume ORDER BY 1, 2;
		SELECT count(*) FROM runs;" | cksum
}
now_ms() { echo $(($(date +%s%N) / 1000000)); }
# finish PID: wait for PID, at most 5 s, then SIGKILL it (a run that does
# not stop must fail the test, not hang it); sets rc and ms (since t0).
finish() {
	local n=0
	while kill -0 "$1" 2>/dev/null && [ $n -lt 250 ]; do
		sleep 0.02
		n=$((n + 1))
	done
	ms=$(($(now_ms) - t0))
	kill -KILL "$1" 2>/dev/null
	wait "$1"
	rc=$?
}

# A database with one run in it: the state every stopped run must leave.
{
	line 192.0.2.1 10/Nov/2024:10:00:00 /a
	line 192.0.2.2 11/Nov/2024:10:00:00 /b
} >first.log
lf --db base.db first.log
before=$(dump base.db)
check "the first run" "$(sqlite3 base.db 'SELECT count(*) FROM page_daily')" 2
{
	line 192.0.2.3 12/Nov/2024:10:00:00 /c
	line 192.0.2.4 13/Nov/2024:10:00:00 /d
} >more.log
gzip -c more.log >more.log.gz

# caught PID: wait (5 s at most) until PID catches SIGTERM and SIGINT
# (bits 15 and 2 of SigCgt in /proc/PID/status): a signal sent before
# would kill it, which says nothing of logfold, only of a loaded machine.
caught() {
	local n=0 mask
	while [ $n -lt 250 ]; do
		mask=$(sed -n 's/^SigCgt:[[:space:]]*//p' "/proc/$1/status" 2>/dev/null)
		[ -n "$mask" ] && [ $((0x$mask & 0x4002)) = $((0x4002)) ] && return 0
		sleep 0.02
		n=$((n + 1))
	done
}

# stop NAME SIG PID DB: once PID catches signals and 0.3 s later (where it
# waits by then), send SIG and check the exit status (6), the time it
# took, the message and DB (unchanged).
stop() {
	local name=$1 sig=$2 pid=$3 db=$4
	caught "$pid"
	sleep 0.3
	t0=$(now_ms)
	kill -"$sig" "$pid"
	finish "$pid"
	check "$name: exit 6" "$rc" 6
	check "$name: within ${LIMIT_MS} ms" "$([ "$ms" -lt "$LIMIT_MS" ] && echo yes || echo "no: $ms ms")" yes
	check "$name: said" "$(grep -c "stopped by signal $(kill -l "$sig"): nothing written" "$name.err")" 1
	check "$name: database as before" "$(dump "$db")" "$before"
}

# --- a stalled pipe on stdin: a few lines, then the writer says nothing ---
for kind in plain gzip; do
	for sig in TERM INT; do
		name=stdin-$kind-$sig
		cp base.db "$name.db"
		rm -f "$name.fifo"
		mkfifo "$name.fifo"
		"${LF[@]}" --db "$name.db" - <"$name.fifo" 2>"$name.err" &
		pid=$!
		exec 3>"$name.fifo"
		if [ $kind = plain ]; then cat more.log >&3; else cat more.log.gz >&3; fi
		stop "$name" $sig $pid "$name.db"
		exec 3>&-
	done
done

# --- a FIFO named as a file: stalled, and with no writer at all -----------
name=fifo-stalled
cp base.db $name.db
mkfifo $name.fifo
"${LF[@]}" --db $name.db first.log $name.fifo 2>$name.err &
pid=$!
exec 3>$name.fifo
cat more.log >&3
stop $name TERM $pid $name.db
exec 3>&-
name=fifo-no-writer
cp base.db $name.db
mkfifo $name.fifo
"${LF[@]}" --db $name.db $name.fifo 2>$name.err &
stop $name TERM $! $name.db

# --- endless input: one endless line, plain and inflated; endless lines ---
name=dev-zero
cp base.db $name.db
"${LF[@]}" --db $name.db /dev/zero 2>$name.err &
stop $name TERM $! $name.db
name=gzip-zeros # 100 members of 50 MB of zeros: 5 GB inflated, 5 MB read
cp base.db $name.db
head -c 50000000 /dev/zero | gzip -c >zero.gz
for i in $(seq 100); do cat zero.gz; done >zeros.gz
"${LF[@]}" --db $name.db zeros.gz 2>$name.err &
stop $name INT $! $name.db
rm -f zero.gz zeros.gz
name=endless-lines # "y" forever: malformed lines, read as fast as they come
cp base.db $name.db
mkfifo $name.fifo
"${LF[@]}" --format combined --db $name.db $name.fifo 2>$name.err &
pid=$!
exec 3>$name.fifo
yes >&3 2>/dev/null &
ypid=$!
stop $name TERM $pid $name.db
kill $ypid 2>/dev/null
wait $ypid 2>/dev/null
exec 3>&-

# --- the lock wait: a run holds the database, a second waits (--wait 60) --
name=lock-wait
cp base.db $name.db
mkfifo $name.fifo
"${LF[@]}" --db $name.db - <$name.fifo 2>holder.err &
holder=$!
exec 3>$name.fifo
sleep 0.3 # the holder has the lock
"${LF[@]}" --wait 60 --db $name.db more.log 2>$name.err &
stop $name TERM $! $name.db
t0=$(now_ms)
kill -TERM $holder
finish $holder
check "lock-wait: the holder stopped too" "$rc" 6
exec 3>&-
check "lock-wait: database as before" "$(dump $name.db)" "$before"

# --- merge and prune waiting for the lock ---------------------------------
for cmd in merge prune; do
	name=$cmd-wait
	cp base.db $name.db
	mkfifo $name.fifo
	"${LF[@]}" --db $name.db - <$name.fifo 2>holder.err &
	holder=$!
	exec 3>$name.fifo
	sleep 0.3
	if [ $cmd = merge ]; then
		"$LOGFOLD" merge -q --wait 60 $name.db base.db 2>$name.err &
	else
		"$LOGFOLD" prune -q --wait 60 --db $name.db 2>$name.err &
	fi
	stop $name TERM $! $name.db
	t0=$(now_ms)
	kill -TERM $holder
	finish $holder
	exec 3>&-
done

# --- the writer thread busy with a long backfill ---------------------------
# 120 daily files; the signal is sent once the database's journal exists,
# that is once the writer thread has begun to write days into it.
"$LOGGEN" --lines 600000 --days 120 --seed 5 --pages 20000 | awk '
	{ d = substr($4, 2, 11); gsub("/", "-", d); if (d != cur) { if (f) close(f); cur = d; f = "bf-" d ".log" }
	  print > f }'
check "backfill: 120 daily files" "$(ls bf-*.log | wc -l)" 120
cp base.db bf-ref.db
LOGFOLD_TODAY=2024-08-01 lf --close-all --db bf-ref.db bf-*.log 2>/dev/null
complete=$(dump bf-ref.db)
for i in 1 2 3; do
	name=backfill-$i
	cp base.db $name.db
	LOGFOLD_TODAY=2024-08-01 "${LF[@]}" --close-all --db $name.db bf-*.log 2>$name.err &
	pid=$!
	n=0
	while [ ! -e $name.db-journal ] && [ $n -lt 1000 ] && kill -0 $pid 2>/dev/null; do
		sleep 0.01
		n=$((n + 1))
	done
	sleep "0.0$i" # a little later into the writing each time
	t0=$(now_ms)
	kill -TERM $pid
	finish $pid
	got=$(dump $name.db)
	# the signal may come too late to stop a run already committing: then
	# it is complete and exits 0
	if [ $rc = 0 ]; then
		check "$name: too late to stop, complete" "$got" "$complete"
	else
		check "$name: exit 6" "$rc" 6
		check "$name: database as before" "$got" "$before"
		check "$name: said" "$(grep -c 'stopped by signal 15: nothing written' $name.err)" 1
	fi
	check "$name: within ${LIMIT_MS} ms" "$([ "$ms" -lt "$LIMIT_MS" ] && echo yes || echo "no: $ms ms")" yes
	# (TRUNCATE mode may leave the journal's file, empty)
	check "$name: no journal left" "$([ -s $name.db-journal ] && echo left || echo none)" none
done

echo "signals: $pass passed, $fail failed"
[ "$fail" = 0 ]
