#!/bin/bash
# shard.sh LOG - `--shard` (issue 19): the total CPU time of a 3-shard run
# (the 3 shards, one after the other, each reading every line of LOG, and
# their merge) against one run's, run by `make bench` on its log (or alone:
# tests/bench/shard.sh FILE, with LOGFOLD_TODAY set for the file's days).
# Every shard parses every line (I/O and parsing x3); only its own
# visitors cost the aggregation, so the total is expected between 1x and
# 3x one run's, and the slowest shard's wall time is what a 3-machine run
# waits for. BENCH_RUNS times (default 3), in rounds; the best of each.
# A benchmark: it fails only when a command does.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT" || exit 1
LOGFOLD=${LOGFOLD:-./logfold}
RUNS=${BENCH_RUNS:-3}
TIME=/usr/bin/time
LOG=${1:?usage: shard.sh LOG}

die() {
	echo "bench: $*" >&2
	exit 1
}
[ -x "$TIME" ] || die "GNU time is needed: apt-get install time"
[ -r "$LOG" ] || die "cannot read '$LOG'"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/logfold-shard.XXXXXX") || die "mktemp failed"
trap 'rm -rf "$TMP"' EXIT

# cpu CMD...: run once; CPU (user + system seconds) and WALL of it
cpu() {
	"$TIME" -f '%U %S %e' -o "$TMP/t" "$@" || die "failed: $*"
	read -r u s WALL <"$TMP/t"
	CPU=$(awk -v u="$u" -v s="$s" 'BEGIN { printf "%.2f", u + s }')
}
# min A B: the smaller number
min() { awk -v a="$1" -v b="$2" 'BEGIN { print (a == "" || b < a) ? b : a }'; }

one= shards= merge= slowest=
for ((r = 1; r <= RUNS; r++)); do
	rm -f "$TMP"/*.db*
	cpu "$LOGFOLD" -q --db "$TMP/one.db" "$LOG"
	one=$(min "$one" "$CPU")
	total=0 worst=0
	for i in 0 1 2; do
		cpu "$LOGFOLD" -q --shard "$i/3" --db "$TMP/shard-$i.db" "$LOG"
		total=$(awk -v a="$total" -v b="$CPU" 'BEGIN { print a + b }')
		worst=$(awk -v a="$worst" -v b="$WALL" 'BEGIN { print (b > a) ? b : a }')
	done
	cpu "$LOGFOLD" merge -q "$TMP/all.db" "$TMP"/shard-*.db
	shards=$(min "$shards" "$total")
	merge=$(min "$merge" "$CPU")
	slowest=$(min "$slowest" "$worst")
done
awk -v o="$one" -v s="$shards" -v m="$merge" -v w="$slowest" 'BEGIN {
	if (o <= 0) o = 0.01
	printf "bench: --shard (issue 19), total CPU, best of rounds\n"
	printf "  one run:                  %7.2f s CPU\n", o
	printf "  3 shards (each all lines): %7.2f s CPU (%.2fx one run), slowest shard %.2f s wall\n",
		s, s / o, w
	printf "  their merge:              %7.2f s CPU; shards + merge = %.2fx one run\n",
		m, (s + m) / o
}'
