#!/bin/bash
# run.sh - every test `make check` knows, and one total.
#
# Runs, in this order:
#   build/tests/test_*   the C unit tests (tests/unit/test_*.c)
#   tests/e2e.sh --jobs  the end-to-end cases under testdata/, at --jobs 1, 2, 7
#   tests/canary.sh      the privacy canary
#   tests/check-*.sh     any other check (help/man agreement ...)
#   jobs7-check-{rotation,resume,nightly}.sh  those three again, 7 threads
# Each prints as its last line "NAME: N passed, N failed". run.sh adds the
# numbers up and prints, as its very last line, "N passed, N failed". A test
# that crashes (killed by a signal), or ends without that summary line, or
# exits non-zero while claiming no failure, counts as one more failure: a
# silent death is never a pass. Exit status 1 when anything failed.
#
# Every test's output is shown as it runs; the log of each is also kept in
# build/test-logs/NAME.log.

set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT" || exit 1
# The test logs are from 2024: a fixed "today" keeps --retention from
# deleting them (cmd/options.c reads LOGFOLD_TODAY).
export LOGFOLD_TODAY=${LOGFOLD_TODAY:-2024-12-01}
LOGS=build/test-logs
mkdir -p "$LOGS"

total_pass=0
total_fail=0
problems=()

# run_one NAME CMD...: run a test, show its output, and add up its counts.
run_one() {
	local name=$1
	shift
	local log=$LOGS/$(basename "$name").log
	local rc=0
	"$@" >"$log" 2>&1 || rc=$?
	cat "$log"
	local last
	last=$(grep -E '^[^ ]+: [0-9]+ passed, [0-9]+ failed$' "$log" | tail -n 1)
	if [ -z "$last" ]; then
		total_fail=$((total_fail + 1))
		if [ $rc -ge 128 ]; then
			problems+=("$name: killed by signal $((rc - 128)), no summary line")
		else
			problems+=("$name: exit $rc without a 'N passed, N failed' line")
		fi
		return
	fi
	local p f
	p=$(printf '%s\n' "$last" | sed -E 's/.*: ([0-9]+) passed, ([0-9]+) failed$/\1/')
	f=$(printf '%s\n' "$last" | sed -E 's/.*: ([0-9]+) passed, ([0-9]+) failed$/\2/')
	total_pass=$((total_pass + p))
	total_fail=$((total_fail + f))
	if [ $rc -ge 128 ]; then
		total_fail=$((total_fail + 1))
		problems+=("$name: killed by signal $((rc - 128)) after its summary")
	elif [ $rc -ne 0 ] && [ "$f" = 0 ]; then
		total_fail=$((total_fail + 1))
		problems+=("$name: exit $rc although it reports no failure")
	fi
}

for t in build/tests/test_*; do
	[ -f "$t" ] && [ -x "$t" ] || continue
	case $t in *.d | *.o) continue ;; esac
	run_one "$t" "$t"
done
# a unit test that was never built is a failure, not a silent skip
for src in tests/unit/test_*.c; do
	[ -f "$src" ] || continue
	bin=build/tests/$(basename "$src" .c)
	if [ ! -x "$bin" ]; then
		total_fail=$((total_fail + 1))
		problems+=("$src: no $bin (make check builds it)")
	fi
done

# e2e.sh --jobs: every case at --jobs 1, 2 and 7 (e2e.sh says how)
run_one tests/e2e.sh bash tests/e2e.sh --jobs
for s in tests/canary.sh tests/check-*.sh; do
	[ -f "$s" ] || continue
	run_one "$s" bash "$s"
done
# Rotation, resume points and the kill-and-rerun loop once more with 7
# threads (the run above used the default: the CPUs online) and chunks of
# 64 lines, so that their logs cross thousands of chunk boundaries; the
# rotation's reference is always one thread's (check-rotation.sh).
for s in tests/check-rotation.sh tests/check-resume.sh tests/check-nightly.sh; do
	run_one "jobs7-$(basename "$s")" env LOGFOLD_JOBS=7 LOGFOLD_CHUNK_LINES=64 bash "$s"
done

for p in "${problems[@]+"${problems[@]}"}"; do
	echo "run: $p"
done
echo "$total_pass passed, $total_fail failed"
[ $total_fail = 0 ]
