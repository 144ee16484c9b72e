#!/bin/bash
# check-zlib.sh - gzip as a build without ISA-L reads it: the end-to-end
# gzip cases run again with build/logfold-zlib (the Makefile's logfold
# whose codec table has zlib's gzip row only), so that the fallback stays
# tested where the build has libisal. Where it has not, ./logfold is that
# build already and the cases run with it. tests/unit/test_codec.c tests
# both gzip readers under the decoder directly.
# Prints "zlib: N passed, N failed" (cases).
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
bin=$ROOT/build/logfold-zlib
if [ ! -x "$bin" ]; then
	if nm "$ROOT/logfold" 2>/dev/null | grep -q isal_inflate; then
		echo "zlib: no $bin (make check builds it)"
		echo "zlib: 0 passed, 1 failed"
		exit 1
	fi
	bin=$ROOT/logfold
fi
cases=()
for d in "$ROOT"/testdata/gzip_* "$ROOT"/testdata/stdin_gzip; do
	[ -f "$d/args" ] && cases+=("$(basename "$d")")
done
out=$(LOGFOLD=$bin bash "$ROOT/tests/e2e.sh" "${cases[@]}")
rc=$?
printf '%s\n' "$out" | sed '$d'
printf '%s\n' "$out" | tail -n 1 | sed 's/^e2e:/zlib:/'
exit $rc
