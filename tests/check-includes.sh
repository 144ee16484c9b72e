#!/bin/sh
# check-includes.sh - includes flow one way (STYLE.md, the folder READMEs):
# cmd -> {parsers, aggregate, output} -> common, parsers/ in its order
# input -> formats -> reduce. For each library folder, the project headers
# its files may include ("..." includes, resolved from the including file;
# <...> ones are system or third-party and not looked at). A folder's
# README says the same in words: change both together. cmd/ and tests/ may
# include anything; nothing else may include cmd/ (a test of cmd/'s own
# modules, tests/unit/test_options.c, does).
cd "$(dirname "$0")/.." || exit 1
pass=0 fail=0

# allowed DIR: the path prefixes a file of DIR may include.
allowed() {
	case $1 in
	common) echo "common/" ;;
	parsers/input) echo "common/ parsers/input/" ;;
	parsers/formats) echo "common/ parsers/formats/ parsers/input/input.h" ;;
	parsers/reduce) echo "common/ parsers/input/ parsers/formats/ parsers/reduce/" ;;
	aggregate) echo "common/ aggregate/ parsers/reduce/hit.h" ;;
	# load.h: the load-time buckets of tables.h; report_assets.h is made by
	# the Makefile into build/gen/
	output) echo "common/ output/ aggregate/tables.h aggregate/load.h report_assets.h" ;;
	*) echo "" ;;
	esac
}

for dir in common parsers/input parsers/formats parsers/reduce aggregate output cmd tests/unit \
	tests/tools tests/fuzz tests/fault; do
	ok_list=$(allowed "$dir")
	for f in "$dir"/*.c "$dir"/*.h; do
		[ -f "$f" ] || continue
		bad=0
		for inc in $(sed -n 's/^[ \t]*#[ \t]*include[ \t]*"\([^"]*\)".*/\1/p' "$f"); do
			# the included path from the top: resolved from $dir, or as given
			# when it is not there (a generated header in build/gen)
			if [ -e "$dir/$inc" ]; then
				path=$(realpath -m --relative-to=. "$dir/$inc")
			else
				path=$inc
			fi
			case $path in
			cmd/*)
				[ "${dir%%/*}" = cmd ] || [ "${dir%%/*}" = tests ] && continue
				echo "$f: includes '$inc': nothing includes cmd/" >&2
				bad=1
				continue
				;;
			esac
			[ -n "$ok_list" ] || continue
			hit=0
			for p in $ok_list; do
				case $path in "$p"*) hit=1 ;; esac
			done
			if [ $hit = 0 ]; then
				echo "$f: includes '$inc' ($path): $dir/ may include only $ok_list" >&2
				bad=1
			fi
		done
		if [ $bad = 0 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); fi
	done
done
echo "includes: $pass passed, $fail failed"
[ $fail = 0 ]
