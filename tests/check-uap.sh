#!/bin/bash
# check-uap.sh - uap-core's own test suites against parsers/reduce/uap.c, one line
# per suite (build/tools/uapcheck prints "SUITE: N passed, N failed"), then
# test_ua and test_os again with the prefilter off (every regex run in
# order: the prefilter must change no result), and last
# "uap: N passed, N failed" over all of them.
# Required: every case of test_ua.yaml, test_os.yaml and test_device.yaml.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
TOOL=$ROOT/build/tools/uapcheck
DIR=${UAP_CORE:-/usr/share/uap-core}
pass=0
fail=0
if [ ! -x "$TOOL" ] || [ ! -f "$DIR/regexes.yaml" ]; then
	echo "uap: no $TOOL or no $DIR/regexes.yaml (make check builds the tool; apt-get install uap-core)"
	echo "uap: 0 passed, 1 failed"
	exit 1
fi
. "$ROOT/tests/counts.sh"
run() {
	local out
	out=$("$TOOL" "$@" 2>&1)
	printf '%s\n' "$out"
	count_last "$out"
}
for s in test_ua test_os test_device; do
	run "$DIR/regexes.yaml" "$DIR/tests/$s.yaml"
done
echo "(prefilter off:)"
run --no-prefilter "$DIR/regexes.yaml" "$DIR/tests/test_ua.yaml"
run --no-prefilter "$DIR/regexes.yaml" "$DIR/tests/test_os.yaml"
echo "uap: $pass passed, $fail failed"
[ "$fail" = 0 ]
