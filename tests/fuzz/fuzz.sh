#!/bin/sh
# fuzz.sh [--merge] NAME... - `make fuzz` and `make fuzz-merge` (see the
# Makefile, which passes FUZZ_SECONDS, FUZZ_TIMEOUT, FUZZ_CC, FUZZ_CFLAGS, FUZZ_SRC_LIB
# and FUZZ_LIBS). For each target NAME (fuzz_NAME.c, or format_FAMILY built
# from format.c):
#   build/fuzz/lf-NAME        the target under libFuzzer, ASan and UBSan
#                             (every UBSan report aborts: a finding)
#   build/fuzz/new-NAME/      what libFuzzer found that adds coverage
#   build/fuzz/found-NAME/    crashes, hangs (over FUZZ_TIMEOUT s: raised
#                             on a busy machine, where a run may wait
#                             that long for a CPU) and leaks
# A run reads tests/fuzz/corpus/NAME/ (never writes it) and lasts
# FUZZ_SECONDS. --merge instead adds to tests/fuzz/corpus/NAME/ the fewest
# inputs of new-NAME/ that reach the code edges the corpus does not
# (libFuzzer's greedy set cover, on edges alone: hit counts would keep
# hundreds of near copies), to be reviewed and committed.
# Prints one line per target and exits 1 when any found something.
set -u
cd "$(dirname "$0")/../.." || exit 1
merge=false
if [ "${1:-}" = --merge ]; then
	merge=true
	shift
fi
found=0
for name; do
	case $name in
	format_*) src=tests/fuzz/format.c def="-DFUZZ_FORMAT=\"${name#format_}\"" ;;
	*) src=tests/fuzz/fuzz_$name.c def= ;;
	esac
	out=build/fuzz/lf-$name
	mkdir -p build/fuzz/new-$name build/fuzz/found-$name tests/fuzz/corpus/$name
	# shellcheck disable=SC2086 # the flags are words
	if ! $FUZZ_CC $FUZZ_CFLAGS $def -o "$out" "$src" $FUZZ_SRC_LIB $FUZZ_LIBS; then
		echo "fuzz: $name: does not build"
		found=1
		continue
	fi
	if $merge; then
		"$out" -set_cover_merge=1 -use_counters=0 "tests/fuzz/corpus/$name" \
			"build/fuzz/new-$name" 2>"build/fuzz/merge-$name.log"
		echo "fuzz: $name: corpus now $(ls tests/fuzz/corpus/$name | wc -l) files"
		continue
	fi
	if "$out" -max_total_time="$FUZZ_SECONDS" -timeout="$FUZZ_TIMEOUT" -print_final_stats=1 \
		-artifact_prefix="build/fuzz/found-$name/" "build/fuzz/new-$name" \
		"tests/fuzz/corpus/$name" >"build/fuzz/run-$name.log" 2>&1; then
		echo "fuzz: $name: $FUZZ_SECONDS s, nothing found ($(grep -m 1 'stat::number_of_executed_units' "build/fuzz/run-$name.log" | sed 's/.*: *//') runs)"
	else
		echo "fuzz: $name: FOUND something: see build/fuzz/run-$name.log and build/fuzz/found-$name/"
		found=1
	fi
done
exit $found
