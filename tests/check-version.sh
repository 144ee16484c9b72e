#!/bin/bash
# check-version.sh - `logfold --version` says what is installed: each linked
# library's version as Debian's package of that library says it (upstream
# version: no epoch, no Debian revision, no +dfsg), and each data file's
# date as the file's mtime (date -r), the way a bug report reads them.
# Independent of logfold's own code: dpkg-query and date compute the
# expected lines. Prints "version: N passed, N failed".

set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT" || exit 1
SUITE=version
. "$ROOT/tests/counts.sh"

out=$(./logfold --version)
check "exit status" "$?" 0
check "first line" "$(printf '%s\n' "$out" | head -n 1)" \
	"logfold $(sed -n 's/^VERSION *:= *//p' Makefile)"

# upstream PACKAGE: the upstream part of an installed package's version
upstream() {
	dpkg-query -W -f='${Version}' "$1" 2>/dev/null |
		sed -E 's/^[0-9]+://; s/-[^-]*$//; s/[.+~]dfsg.*$//'
}
# has LINE-PREFIX WANT: the line of --version starting with LINE-PREFIX
has() {
	local got
	got=$(printf '%s\n' "$out" | grep -m 1 -F -- "$1 " | cut -d' ' -f"$(($(echo "$1" | wc -w) + 1))")
	check "$1" "$got" "$2"
}
has SQLite "$(upstream libsqlite3-0)"
has zlib "$(upstream zlib1g)"
has PCRE2 "$(upstream libpcre2-8-0)"
has libmaxminddb "$(upstream libmaxminddb0)"
has libyaml "$(upstream libyaml-0-2)"
for f in "uap-core regexes:/usr/share/uap-core/regexes.yaml" \
	"public suffix list:/usr/share/publicsuffix/public_suffix_list.dat"; do
	name=${f%%:*} path=${f#*:}
	check "$name" "$(printf '%s\n' "$out" | grep -F -- "$name ")" \
		"$name $(TZ=UTC date -r "$path" +%F) ($path)"
done
# stdout that cannot be written is an error, not a silent exit 0
./logfold --version >/dev/full 2>/dev/null
check "exit status on a full stdout" "$?" 2
echo "version: $pass passed, $fail failed"
[ "$fail" = 0 ]
