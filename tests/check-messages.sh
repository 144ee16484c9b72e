#!/bin/bash
# check-messages.sh - issue 21 point 6: a database that cannot be written
# is reported with the system's true reason. SQLite hides it: it retries a
# read-write open read-only (a new file in a directory we may not write
# into then fails with "No such file or directory"), opens a read-only file
# read-only without a word, and calls a journal it may not create "a
# readonly database". Each case: status 4, the database named, the true
# cause ("Permission denied", or the directory that is missing), nothing
# else said, and the database unchanged; for a run, before any input is read.
# Permissions do not bind root: as root, logfold runs as 'nobody' (setpriv).
# Prints "messages: N passed, N failed".

set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
LOGFOLD=${LOGFOLD:-$ROOT/logfold}
W=$ROOT/build/check-messages
export LOGFOLD_TODAY=2024-12-01
SUITE=messages
. "$ROOT/tests/counts.sh"
rm -rf "$W"
mkdir -p "$W"
chmod 755 "$W"
cd "$W" || exit 1

as_user=()
if [ "$(id -u)" = 0 ]; then
	if ! command -v setpriv >/dev/null; then
		echo "messages: skipped: running as root without setpriv (util-linux)"
		echo "messages: 0 passed, 0 failed"
		exit 0
	fi
	as_user=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
fi
# 'nobody' must reach the work folder by its full path (logfold resolves
# its inputs' paths); a checkout under a private folder (mktemp -d) hides
# it: then the work folder and the binary move to a folder of their own.
if [ ${#as_user[@]} -gt 0 ] && ! "${as_user[@]}" test -x "$W"; then
	cd / && rm -rf "$W"
	W=$(mktemp -d /tmp/lf-messages.XXXXXX) || exit 1
	chmod 755 "$W"
	cp "$LOGFOLD" "$W/logfold"
	LOGFOLD=$W/logfold
	trap 'rm -rf "$W"' EXIT
	cd "$W" || exit 1
fi
lf() { "${as_user[@]}" "$LOGFOLD" -q --uap-regexes none --geo off "$@"; }

UA='"Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0"'
echo "192.0.2.1 - - [10/Nov/2024:10:00:00 +0000] \"GET /a HTTP/1.1\" 200 5 \"-\" $UA" >a.log
chmod 644 a.log
mkdir ro rw
"$LOGFOLD" -q --uap-regexes none --geo off --db ro/old.db a.log
"$LOGFOLD" -q --uap-regexes none --geo off --db rw/readonly.db a.log
chmod 666 ro/old.db
chmod 444 rw/readonly.db
chmod 555 ro
chmod 777 rw
sum() { cksum <"$1"; }
old=$(sum ro/old.db)
readonly_sum=$(sum rw/readonly.db)

# expect NAME STATUS WANT: the last command's status, and stderr = WANT
expect() {
	check "$1: status" "$2" 4
	check "$1: message" "$(cat err)" "logfold: $3"
}

lf --db ro/new.db a.log 2>err
expect "a new database in a directory not writable" $? \
	"cannot open database 'ro/new.db': Permission denied (the directory 'ro/', where SQLite would create it)"
# (old.db's journal, empty: TRUNCATE mode keeps the file, with nothing in it)
check "  and no file made" "$(ls ro | grep -vx 'old.db-journal')" old.db

lf --db ro/old.db a.log 2>err
expect "a database in a directory not writable (its journal)" $? \
	"cannot open database 'ro/old.db': Permission denied (the directory 'ro/', where SQLite writes its journal)"
check "  and the database unchanged" "$(sum ro/old.db)" "$old"

lf --db rw/readonly.db a.log 2>err
expect "a read-only database file" $? "cannot open database 'rw/readonly.db': Permission denied"
check "  and the database unchanged" "$(sum rw/readonly.db)" "$readonly_sum"

lf --db missing/x.db a.log 2>err
expect "a directory that does not exist" $? \
	"cannot open database 'missing/x.db': No such file or directory (the directory 'missing/', where SQLite would create it)"

# a run says it before reading any input: a FIFO nobody writes into would
# hang a run that read first
mkfifo rw/never.fifo
chmod 666 rw/never.fifo
timeout 10 "${as_user[@]}" "$LOGFOLD" -q --uap-regexes none --geo off --db ro/new.db rw/never.fifo 2>err
check "said before the inputs are read" "$?" 4

"${as_user[@]}" "$LOGFOLD" merge -q ro/new.db rw/readonly.db 2>err
expect "merge into a directory not writable" $? \
	"cannot open database 'ro/new.db': Permission denied (the directory 'ro/', where SQLite would create it)"
"${as_user[@]}" "$LOGFOLD" prune -q --db rw/readonly.db 2>err
expect "prune of a read-only database" $? "cannot open database 'rw/readonly.db': Permission denied"

chmod 755 ro
echo "messages: $pass passed, $fail failed"
[ "$fail" = 0 ]
