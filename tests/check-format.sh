#!/bin/sh
# check-format.sh - the lines a branch changes follow .clang-format.
#
# Only changed lines are looked at (clang-format --lines), never a whole
# file: the tables laid out by hand stay as they are, and a change is held
# to the format without reformatting what it did not touch. "Changed" is
# relative to a base: $FORMAT_BASE if set, else where HEAD left origin/main
# or main (git merge-base), else HEAD itself (only what is not committed).
# On main, or a fresh clone of it, there is then nothing to check; without
# git, or outside a git checkout, nothing is checked either (a tarball has
# no base). Files not tracked by git yet count as changed in full.
#
# One pass or failure per changed .c/.h file; a failure shows what
# clang-format would make of it (to apply: clang-format -i --lines=A:B FILE,
# the ranges printed).
cd "$(dirname "$0")/.." || exit 1
pass=0 fail=0

if ! command -v git >/dev/null 2>&1 || ! git rev-parse --git-dir >/dev/null 2>&1; then
	echo "format: no git checkout: no base to compare with, nothing checked"
	echo "format: 0 passed, 0 failed"
	exit 0
fi
if ! command -v clang-format >/dev/null 2>&1; then
	echo "format: clang-format not found (make deps-check installs it)" >&2
	echo "format: 0 passed, 1 failed"
	exit 1
fi

base=${FORMAT_BASE:-}
if [ -z "$base" ]; then
	for ref in origin/main main; do
		git rev-parse -q --verify "$ref^{commit}" >/dev/null 2>&1 || continue
		base=$(git merge-base HEAD "$ref" 2>/dev/null) && break
	done
fi
[ -n "$base" ] || base=HEAD
echo "format: lines changed since $(git rev-parse --short "$base" 2>/dev/null || echo "$base")"

tmp=$(mktemp) || exit 1
trap 'rm -f "$tmp"' EXIT

# ranges FILE: "--lines=A:B" for each hunk of FILE's diff to the base (a
# file git does not track yet: all of it).
ranges() {
	if ! git ls-files --error-unmatch -- "$1" >/dev/null 2>&1; then
		echo "--lines=1:$(wc -l <"$1" | tr -d ' ')"
		return
	fi
	git diff -U0 --no-color "$base" -- "$1" |
		sed -n 's/^@@ -[0-9,]* +\([0-9]*\)\(,\([0-9]*\)\)\{0,1\} @@.*/\1 \3/p' |
		while read -r start count; do
			[ -n "$count" ] || count=1
			[ "$count" -gt 0 ] || continue # lines only deleted
			echo "--lines=$start:$((start + count - 1))"
		done
}

files=$( (git diff --name-only --diff-filter=ACMR "$base" -- '*.c' '*.h'
	git ls-files --others --exclude-standard -- '*.c' '*.h') | sort -u)
for f in $files; do
	[ -f "$f" ] || continue
	lines=$(ranges "$f")
	[ -n "$lines" ] || continue
	# shellcheck disable=SC2086 # one word per range
	if clang-format --style=file $lines "$f" | diff -u "$f" - >"$tmp"; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "format: $f: changed lines differ from .clang-format (" $lines ")" >&2
		head -n 60 "$tmp" >&2
	fi
done
echo "format: $pass passed, $fail failed"
[ $fail = 0 ]
