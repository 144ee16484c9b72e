#!/bin/sh
# check-fuzz.sh - replay every fuzz corpus through its target (built by
# `make check` as build/fuzz/replay_NAME). A crash is a failure. Each
# corpus is replayed by one process (a process per file would cost more
# than the replay); when it fails, file by file, to name the culprit.
cd "$(dirname "$0")/.." || exit 1
pass=0 fail=0
for bin in build/fuzz/replay_*; do
	case $bin in *.d) continue ;; esac
	name=${bin##*/replay_}
	n=$(ls tests/fuzz/corpus/"$name" | wc -l)
	if "$bin" tests/fuzz/corpus/"$name"/* >/dev/null 2>build/fuzz/last-$name.err; then
		pass=$((pass + n))
		continue
	fi
	for f in tests/fuzz/corpus/"$name"/*; do
		if "$bin" "$f" >/dev/null 2>build/fuzz/last-$name.err; then
			pass=$((pass + 1))
		else
			fail=$((fail + 1))
			echo "fuzz: $name crashed on '$f'" >&2
			tail -5 build/fuzz/last-$name.err >&2
		fi
	done
done
echo "fuzz: $pass passed, $fail failed"
