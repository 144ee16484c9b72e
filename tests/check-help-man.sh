#!/bin/bash
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
# Each option's head: its short letter (or none) and whether it takes a
# value, in --help (made from the option table, cmd/opttable.c) and in a
# .TP entry of the man page's OPTIONS; "LONG SHORT ARG", ARG 1 or 0. A
# value is the upper-case word after the name (as check-completion.sh).
help_heads=$(./logfold --help | grep -E '^  (-[A-Za-z], |    )--[a-z]' | awk '{
	s = "-"; if ($1 ~ /,$/) { s = substr($1, 1, 2); $1 = ""; $0 = $0 }
	print $1, s, ($2 ~ /^[A-Z]/ ? 1 : 0) }' | sort)
# ".BR \-f ", " \-\-format " " \fIFMT\fR", ".BR \-\-from " " \fIDAY\fR ", " \-\-to ..."
man_heads=$(sed -n '/^\.SH OPTIONS/,/^\.SH /p' docs/logfold.1 | awk '
	/^\.BR \\-/ { if (prev != ".TP") printf "untitled %s\n", $0
		line = $0; sub(/^\.BR /, "", line); gsub(/\\-/, "-", line)
		n = split(line, part, /", "/); s = "-"
		for (i = 1; i <= n; i++) {
			split(part[i], w, " ")
			if (w[1] ~ /^-[A-Za-z]$/) { s = w[1]; continue }
			print w[1], s, (part[i] ~ /\\fI/ ? 1 : 0); s = "-" } }
	{ prev = $0 }' | sort)
untitled=$(echo "$man_heads" | grep '^untitled' | cut -d' ' -f2-)
[ -z "$untitled" ] && ok || bad "a man page option without its .TP: $untitled"
man_heads=$(echo "$man_heads" | grep -v '^untitled')
[ -n "$help_heads" ] && [ "$help_heads" = "$man_heads" ] && ok ||
	bad "--help and the man page's OPTIONS differ in an option's letter or value:
$(diff <(echo "$help_heads") <(echo "$man_heads"))"

# The options that are no config key: --help names them from the table;
# the man page's CONFIGURATION FILE and README's "Config file" too.
help_cli=$(./logfold --help | tr '\n' ' ' |
	sed -n 's/.*each long option but \(.*\) is also a config file key.*/\1/p' |
	sed 's/,/ /g; s/ and / /' | tr ' ' '\n' | grep -v '^$' | sort)
man_cli=$(sed -n '/^\.SH CONFIGURATION FILE/,/^\.SH LOGFOLD/p' docs/logfold.1 | tr '\n' ' ' |
	sed -n 's/.*Every long option but \(.*\) is also a key.*/\1/p' |
	grep -o '\\fB[a-z\\-]*\\fR' | sed 's/\\fB//; s/\\fR//; s/\\-/-/g' | sort)
readme_cli=$(sed -n '/^### Config file/,/^### /p' README.md | tr '\n' ' ' |
	sed -n 's/.*Every long option but \(.*\) is also a config key.*/\1/p' |
	grep -o '`[a-z-]*`' | tr -d '`' | sort)
[ -n "$help_cli" ] && ok || bad "--help names no command-line-only option"
[ "$man_cli" = "$help_cli" ] && ok ||
	bad "the man page's non-key options differ from --help's: $(echo $man_cli) / $(echo $help_cli)"
[ "$readme_cli" = "$help_cli" ] && ok ||
	bad "README's non-key options differ from --help's: $(echo $readme_cli) / $(echo $help_cli)"
./logfold --version | grep -q "^logfold $(sed -n 's/^VERSION *:= *//p' Makefile)\$" && ok ||
	bad "--version does not print the Makefile's VERSION"
grep -q "logfold $(sed -n 's/^VERSION *:= *//p' Makefile)" docs/logfold.1 && ok ||
	bad "the man page header names another version"
# an 80-column terminal shows --help without wrapping it
wide=$(./logfold --help | awk 'length > 80 { n++ } END { print n + 0 }')
[ "$wide" = 0 ] && ok || bad "$wide lines of --help are wider than 80 columns"
echo "help-man: $pass passed, $fail failed"
