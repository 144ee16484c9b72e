#!/bin/sh
# check-help-man.sh - --help and the man page come from the same facts: every
# long option and every exit status one names, the other names too.
cd "$(dirname "$0")/.." || exit 1
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "help-man: $*" >&2; }

help_opts=$(./logfold --help | grep -o -- '--[a-z][a-z-]*' | sort -u)
man_opts=$(grep -Eo -- '\\-\\-[a-z]+(\\-[a-z]+)*' docs/logfold.1 | sed 's/\\//g' | sort -u)
for o in $help_opts; do
	echo "$man_opts" | grep -qx -- "$o" && ok || bad "'$o' is in --help but not in docs/logfold.1"
done
for o in $man_opts; do
	echo "$help_opts" | grep -qx -- "$o" && ok || bad "'$o' is in docs/logfold.1 but not in --help"
done
for code in 0 1 2 3 4 5 6; do
	./logfold --help | grep -q "$code [a-z]" && ok || bad "exit status $code missing from --help"
	grep -q "^\.B $code\$" docs/logfold.1 && ok || bad "exit status $code missing from the man page"
done
./logfold --version | grep -q "^logfold $(sed -n 's/^VERSION *:= *//p' Makefile)\$" && ok ||
	bad "--version does not print the Makefile's VERSION"
grep -q "logfold $(sed -n 's/^VERSION *:= *//p' Makefile)" docs/logfold.1 && ok ||
	bad "the man page header names another version"
# an 80-column terminal shows --help without wrapping it
wide=$(./logfold --help | awk 'length > 80 { n++ } END { print n + 0 }')
[ "$wide" = 0 ] && ok || bad "$wide lines of --help are wider than 80 columns"
echo "help-man: $pass passed, $fail failed"
