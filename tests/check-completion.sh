#!/bin/bash
# check-completion.sh - the bash and zsh completion (dist/completion/)
# cannot drift from the program, and completes what it should.
#
# Against the program, computed independently of the completion files:
#   options, and which take a value: `logfold --help`, made from the option
#     table of cmd/options.c (a value is the upper-case word after the name);
#   subcommands: the entries of cmd/main.c's subcommands table;
#   formats: parsers/formats/logformat.c's format_names but "custom" (not a
#     --format value), each also accepted by logfold --format.
# bash: the lists in logfold.bash; zsh: the specs _logfold hands to
# _arguments (run with a stub _arguments that prints them).
# Then each is run: bash's function called with COMP_WORDS as bash would,
# zsh's through an interactive zsh on a pseudo-terminal
# (tests/completion/zsh-capture.zsh), in a directory of known files.
# Prints "completion: N passed, N failed".

set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT" || exit 1
SUITE=completion
. "$ROOT/tests/counts.sh"
C=$ROOT/dist/completion
W=$ROOT/build/completion
rm -rf "$W"
mkdir -p "$W/dir/out" "$W/dir/sub"
touch "$W/dir/access.log" "$W/dir/my log.gz"
words() { tr ' \t' '\n\n' | grep -v '^$' | LC_ALL=C sort -u | tr '\n' ' '; }

# --- the program's facts --------------------------------------------------
help=$(./logfold --help)
# "  -f, --format FMT  text" / "      --geo MODE  text" / "  -C, --close-all  text"
opt_lines=$(printf '%s\n' "$help" | grep -E '^ {2,6}(-[A-Za-z], )?--[a-z]')
want_arg=$(printf '%s\n' "$opt_lines" | awk '{ s = ""; if ($1 ~ /,$/) { s = substr($1, 1, 2); $1 = "" ; $0 = $0 }
	if ($2 ~ /^[A-Z]/) print s, $1 }' | words)
want_switch=$(printf '%s\n' "$opt_lines" | awk '{ s = ""; if ($1 ~ /,$/) { s = substr($1, 1, 2); $1 = ""; $0 = $0 }
	if ($2 !~ /^[A-Z]/) print s, $1 }' | words)
want_sub=$(sed -n 's/^[[:space:]]*{ "\([a-z-]*\)", OPTIONS_MODE.*/\1/p' cmd/main.c | words)
want_fmt=$(sed -n '/format_names\[FMT_COUNT\] = {/,/^};/p' parsers/formats/logformat.c |
	grep -o '"[a-z0-9-]*"' | tr -d '"' | grep -vx custom | words)
check "the table gives options" "$([ -n "$want_arg" ] && [ -n "$want_switch" ] && echo yes)" yes
check "the table gives subcommands" "$([ -n "$want_sub" ] && echo yes)" yes
for f in $want_fmt; do
	./logfold privacy --config /dev/null --format "$f" 2>&1 | grep -q "for --format" &&
		check "--format $f accepted" no yes
done

# --- bash: the lists -------------------------------------------------------
# shellcheck source=/dev/null
. "$C/logfold.bash"
check "bash: options with a value" "$(echo "$_logfold_with_arg" | words)" "$want_arg"
check "bash: switches" "$(echo "$_logfold_switches" | words)" "$want_switch"
check "bash: subcommands" "$(echo "$_logfold_subcommands" | words)" "$want_sub"
check "bash: formats" "$(echo "$_logfold_formats" | words)" "$want_fmt"
check "bash: registered for logfold" "$(complete -p logfold 2>/dev/null)" "complete -F _logfold logfold"

# --- zsh: the specs ----------------------------------------------------------
if command -v zsh >/dev/null; then
	specs=$(zsh -f -c '_arguments() { print -rl -- "$@" }; _alternative() { }
		_describe() { }; words=(logfold --x ""); CURRENT=3
		source "$1"' zsh "$C/_logfold")
	# "(-f --format)-f+[...]:...", "*--site-alias=[...]:...", "--json[...]"
	names=$(printf '%s\n' "$specs" | grep -E '^(\([^)]*\))?\*?-' | sed -E 's/^\([^)]*\)//; s/^\*//')
	got_arg=$(printf '%s\n' "$names" | sed -nE 's/^(-[A-Za-z]|--[a-z-]+)[=+]?(\[[^]]*\])?:.*/\1/p' | words)
	got_switch=$(printf '%s\n' "$names" | sed -nE 's/^(-[A-Za-z]|--[a-z-]+)\[[^]]*\]$/\1/p' | words)
	check "zsh: options with a value" "$got_arg" "$want_arg"
	check "zsh: switches" "$got_switch" "$want_switch"
	check "zsh: subcommands" "$(zsh -f -c '_arguments() { }; _alternative() { print -rl -- $subcommands }
		_describe() { }; words=(logfold ""); CURRENT=2; source "$1"' zsh "$C/_logfold" |
		cut -d: -f1 | words)" "$want_sub"
	check "zsh: formats" "$(zsh -f -c '_arguments() { print -rl -- $formats }; _alternative() { }
		_describe() { }; words=(logfold --x ""); CURRENT=3; source "$1"' zsh "$C/_logfold" |
		words)" "$want_fmt"
else
	check "zsh is installed (make check installs it)" no yes
fi

# --- bash: what it offers ------------------------------------------------------
# bash_offers WORD...: the candidates after the words, the last being
# completed, as bash would call the function.
bash_offers() {
	(cd "$W/dir" && COMP_WORDS=("$@") && COMP_CWORD=$((${#COMP_WORDS[@]} - 1)) &&
		COMPREPLY=() && _logfold 2>/dev/null && printf '%s\n' "${COMPREPLY[@]}" | LC_ALL=C sort | tr '\n' '|')
}
check "bash: --for" "$(bash_offers logfold --for)" "--format|"
check "bash: --format c" "$(bash_offers logfold --format c)" "caddy|cloudfront|combined|common|"
check "bash: -f v" "$(bash_offers logfold -f v)" "vcombined|vcommon|"
check "bash: --format=n" "$(bash_offers logfold --format = n)" "nginx-json|"
check "bash: first word" "$(bash_offers logfold '')" "access.log|merge|my log.gz|out|privacy|prune|report|sub|"
check "bash: subcommand" "$(bash_offers logfold pr)" "privacy|prune|"
check "bash: privacy reads no file" "$(bash_offers logfold privacy '')" "|"
check "bash: privacy's options" "$(bash_offers logfold privacy --js)" "--json|--json-map|"
check "bash: merge's databases" "$(bash_offers logfold merge a)" "access.log|"
check "bash: files after an option" "$(bash_offers logfold -q m)" "my log.gz|"
check "bash: --csv takes a directory" "$(bash_offers logfold --csv '')" "out|sub|"
check "bash: --geo" "$(bash_offers logfold --geo '')" "country|off|region|"
check "bash: --client-ip x" "$(bash_offers logfold --client-ip x)" "xff-first|xff-last|"
check "bash: --mask-bytes has no files" "$(bash_offers logfold --mask-bytes '')" "|"
check "bash: --uap-regexes" "$(bash_offers logfold --uap-regexes n)" "none|"
[ -d /usr/share/zoneinfo/Europe ] &&
	check "bash: --tz" "$(bash_offers logfold --tz Europe/Par)" "Europe/Paris|"

# --- zsh: what it offers --------------------------------------------------------
# zsh_offers LINE: the candidates zsh offers after LINE.
zsh_offers() {
	(cd "$W/dir" && TERM=dumb timeout 20 zsh -f "$ROOT/tests/completion/zsh-capture.zsh" "$C" "$1") |
		tr -d '\r' | grep -ao '@@@C.*' | sed 's/^@@@C//' | LC_ALL=C sort -u | tr '\n' '|'
}
if command -v zsh >/dev/null; then
	check "zsh: --for" "$(zsh_offers 'logfold --for')" "--format|"
	check "zsh: --format c" "$(zsh_offers 'logfold --format c')" "caddy|cloudfront|combined|common|"
	check "zsh: first word" "$(zsh_offers 'logfold ')" 'access.log|merge|my\ log.gz|out|privacy|prune|report|sub|'
	check "zsh: subcommand" "$(zsh_offers 'logfold pr')" "privacy|prune|"
	check "zsh: privacy's options" "$(zsh_offers 'logfold privacy --js')" "--json|--json-map|"
	# a directory is offered without its '/' (a suffix compadd adds)
	check "zsh: --csv takes a directory" "$(zsh_offers 'logfold --csv ')" "out|sub|"
	check "zsh: --geo" "$(zsh_offers 'logfold --geo ')" "country|off|region|"
	check "zsh: files after an option" "$(zsh_offers 'logfold -q m' | tr '|' '\n' | grep -cx 'my\\ log.gz')" 1
fi
echo "completion: $pass passed, $fail failed"
[ "$fail" = 0 ]
