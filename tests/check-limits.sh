#!/bin/bash
# check-limits.sh - issue 21 point 6: logfold exits cleanly at every memory
# limit. A run (uap-core's regexes, a gzip input, the database and the CSV
# files), a `merge` and a `prune` are each run under `ulimit -v` from 4 MB
# up, 100 KB at a time to 12 MB (where the loader, the libraries and the
# set-up run out: the stack frames, uap-core's regexes), 400 KB at a time
# above, until three limits in a row let them finish. At
# every limit: no crash (no status above 127: a SIGSEGV from a large stack
# frame, an abort from a double free), and either
#   - status 0, with the database equal to the run's without a limit, or
#   - status 127 (the dynamic loader cannot even map libc: not ours), or
#   - another status with an error that says memory ran out ("out of
#     memory", "Cannot allocate memory"), and no message that blames
#     something else: the regex file ("bad user-agent regexes", "bad
#     YAML"), the log ("malformed"), a missing file.
# Under AddressSanitizer, which reserves terabytes of address space,
# ulimit -v cannot work: the sweep is skipped (and says so).
# Prints "limits: N passed, N failed".

set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
LOGFOLD=${LOGFOLD:-$ROOT/logfold}
W=$ROOT/build/check-limits
export LOGFOLD_TODAY=2024-12-01
SUITE=limits
. "$ROOT/tests/counts.sh"
rm -rf "$W"
mkdir -p "$W"
cd "$W" || exit 1

if nm -D "$LOGFOLD" 2>/dev/null | grep -q __asan_init; then
	echo "limits: skipped: ulimit -v cannot apply under AddressSanitizer"
	echo "limits: 0 passed, 0 failed"
	exit 0
fi

. "$ROOT/tests/clf.sh"
{
	for h in 10 11 12 13; do
		line 192.0.2.1 10/Nov/2024:$h:00:00 /a
		line 192.0.2.2 10/Nov/2024:$h:05:00 /b
		line 192.0.2.3 10/Nov/2024:$h:10:00 /robots "$BOT"
	done
	line 192.0.2.4 11/Nov/2024:10:00:00 /c
} | gzip -c >in.log.gz
dump() { sqlite3 "$1" "SELECT * FROM page_daily ORDER BY 1, 2, 3; SELECT * FROM days ORDER BY 1, 2;
	SELECT * FROM bots_daily ORDER BY 1, 2, 3;" 2>&1 | cksum; }

# The runs without a limit, whose results a run under a limit must equal.
"$LOGFOLD" -q --db ref.db --csv ref in.log.gz
check "the run without a limit" "$?" 0
check "the run without a limit: its rows" "$(sqlite3 ref.db 'SELECT count(*) FROM page_daily')" 3
ref_run=$(dump ref.db)
# (a merge into a new database: a copy of ref.db has its id, and merging a
# database into a copy of itself is refused)
rm -f merge-ref.db
"$LOGFOLD" merge -q merge-ref.db ref.db
ref_merge=$(dump merge-ref.db)
cp ref.db prune-ref.db
LOGFOLD_TODAY=2025-12-11 "$LOGFOLD" prune -q --db prune-ref.db
ref_prune=$(dump prune-ref.db)

# sweep NAME REF CMD...: CMD under each limit, in a fresh copy of out.db.
sweep() {
	local name=$1 ref=$2 kb=4000 ok=0 crashes=0 lies=0 wrong=0 mute=0 oom=0 rc step=100
	shift 2
	while [ $ok -lt 3 ] && [ $kb -le 100000 ]; do
		rm -rf out.db out.db-journal out
		case $name in prune) cp ref.db out.db ;; esac
		(ulimit -v $kb && exec "$@") >out.txt 2>err.txt
		rc=$?
		if [ $rc -ge 128 ]; then
			crashes=$((crashes + 1))
			echo "limits: $name at $kb KB: status $rc: $(tail -n 2 err.txt | tr '\n' ' ')"
		elif grep -q -e 'bad user-agent regexes' -e 'bad YAML' -e 'malformed' \
			-e 'No such file' err.txt; then
			lies=$((lies + 1))
			echo "limits: $name at $kb KB: $(grep -m 1 -e 'bad user' -e 'bad YAML' -e 'malformed' -e 'No such' err.txt)"
		elif [ $rc = 0 ]; then
			ok=$((ok + 1))
			if [ "$(dump out.db)" != "$ref" ]; then
				wrong=$((wrong + 1))
				echo "limits: $name at $kb KB: status 0 with other rows"
			fi
		elif [ $rc != 127 ]; then
			oom=$((oom + 1))
			ok=0
			if ! grep -q -e 'out of memory' -e 'Cannot allocate memory' err.txt; then
				mute=$((mute + 1))
				echo "limits: $name at $kb KB: status $rc: $(tail -n 1 err.txt)"
			fi
		fi
		step=$([ $kb -lt 12000 ] && echo 100 || echo 400)
		kb=$((kb + step))
	done
	echo "limits: $name: finished from $((kb - 3 * step)) KB on; $oom limits said out of memory"
	check "$name: no crash at any limit" "$crashes" 0
	check "$name: no message blames something else" "$lies" 0
	check "$name: every failure says memory ran out" "$mute" 0
	check "$name: every success is exact" "$wrong" 0
	check "$name: the sweep reached a limit that lets it finish" "$ok" 3
	check "$name: and met limits that stopped it" "$([ $oom -gt 0 ] && echo yes)" yes
}
sweep run "$ref_run" "$LOGFOLD" -q --db out.db --csv out in.log.gz
sweep merge "$ref_merge" "$LOGFOLD" merge -q out.db ref.db
export LOGFOLD_TODAY=2025-12-11 # everything older than 13 months: pruned
sweep prune "$ref_prune" "$LOGFOLD" prune -q --db out.db

echo "limits: $pass passed, $fail failed"
[ "$fail" = 0 ]
