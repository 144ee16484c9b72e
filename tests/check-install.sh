#!/bin/bash
# check-install.sh - `make install` / `make uninstall` into a DESTDIR, and
# the systemd units, logrotate and cron examples they install.
#
#   - every file lands where the Makefile's header says (the list below is
#     written by hand from issue 20: binary, man page, config, defaults,
#     beacon files and examples under share/logfold, units, completion),
#     with PREFIX=/usr/local (the default) and with PREFIX=/usr;
#   - an existing config is never overwritten, and uninstall keeps a
#     changed one but removes everything else: no file is left;
#   - the installed unit and timer pass `systemd-analyze verify`, and the
#     service's `systemd-analyze security --offline=true` exposure is at
#     most 2.0 ("OK" or better); no running systemd is needed;
#   - the logrotate snippet parses (`logrotate -d`), the cron.d line has
#     its seven fields and runs as logfold.
# Prints "install: N passed, N failed".

set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT" || exit 1
SUITE=install
. "$ROOT/tests/counts.sh"
W=$ROOT/build/install
rm -rf "$W"
mkdir -p "$W"
# a make started by `make check` would pass its variables (SANITIZE ...)
unset MAKEFLAGS MFLAGS MAKELEVEL
files() { (cd "$1" && find . \( -type f -o -type l \) | sed 's|^\./|/|' | LC_ALL=C sort); }

D=$W/local
make --no-print-directory install DESTDIR="$D" >"$W/install.log" 2>&1
check "make install exit status" "$?" 0
want="/etc/default/logfold
/etc/logfold.conf
/usr/local/bin/logfold
/usr/local/lib/systemd/system/logfold.service
/usr/local/lib/systemd/system/logfold.timer
/usr/local/share/bash-completion/completions/logfold
/usr/local/share/logfold/examples/Caddyfile
/usr/local/share/logfold/examples/apache.conf
/usr/local/share/logfold/examples/cron.d-logfold
/usr/local/share/logfold/examples/logrotate-postrotate
/usr/local/share/logfold/examples/nginx.conf
/usr/local/share/logfold/logfold.gif
/usr/local/share/logfold/logfold.js
/usr/local/share/logfold/optout.html
/usr/local/share/man/man1/logfold.1
/usr/local/share/zsh/site-functions/_logfold"
check "files installed" "$(files "$D")" "$want"
check "binary mode" "$(stat -c %a "$D/usr/local/bin/logfold")" 755
check "other modes" "$(cd "$D" && find . -type f ! -path ./usr/local/bin/logfold ! -perm 0644 | wc -l)" 0
check "the binary runs" "$("$D/usr/local/bin/logfold" --version | head -n 1)" \
	"logfold $(sed -n 's/^VERSION *:= *//p' Makefile)"
check "the config is the example" "$(cmp -s docs/logfold.conf "$D/etc/logfold.conf" && echo same)" same
check "the unit runs the installed binary" \
	"$(grep -c "^ExecStart=/bin/sh -c 'exec /usr/local/bin/logfold \$\$LOGFOLD_LOGS'$" \
		"$D/usr/local/lib/systemd/system/logfold.service")" 1
check "the unit reads the installed defaults" \
	"$(grep -c '^EnvironmentFile=-/etc/default/logfold$' "$D/usr/local/lib/systemd/system/logfold.service")" 1
check "no @placeholder@ left" "$(grep -cE '@[a-z]+@' "$D/usr/local/lib/systemd/system/logfold.service")" 0

# again, over a config the administrator changed: kept
echo "site-allow = www.example.net" >>"$D/etc/logfold.conf"
cp "$D/etc/logfold.conf" "$W/changed.conf"
make --no-print-directory install DESTDIR="$D" >"$W/install2.log" 2>&1
check "second install exit status" "$?" 0
check "a changed config is kept" "$(cmp -s "$W/changed.conf" "$D/etc/logfold.conf" && echo kept)" kept
check "and it says so" "$(grep -c "^keeping $D/etc/logfold.conf" "$W/install2.log")" 1

# --- the units, offline -------------------------------------------------------
U=$D/usr/local/lib/systemd/system
if command -v systemd-analyze >/dev/null; then
	# Documentation=man:logfold(1) is looked up with man: the installed page
	MANPATH=$D/usr/local/share/man systemd-analyze verify "$U/logfold.service" "$U/logfold.timer" \
		>"$W/verify.log" 2>&1
	check "systemd-analyze verify" "$?:$(cat "$W/verify.log")" "0:"
	systemd-analyze security --offline=true "$U/logfold.service" >"$W/security.log" 2>&1
	score=$(sed -n 's/.*Overall exposure level for logfold.service: \([0-9.]*\) .*/\1/p' "$W/security.log")
	echo "install: systemd-analyze security logfold.service: $(grep -o 'Overall exposure.*' "$W/security.log")"
	check "security exposure at most 2.0 (got '$score')" \
		"$(awk -v s="$score" 'BEGIN { print (s != "" && s + 0 <= 2.0) }')" 1
	check "timer: daily, persistent" "$(grep -cE '^(OnCalendar=\*-\*-\* 01:30:00|Persistent=true)$' "$U/logfold.timer")" 2
else
	check "systemd-analyze is installed (make check installs systemd)" no yes
fi
for k in Type=oneshot User=logfold NoNewPrivileges=yes PrivateNetwork=yes ProtectSystem=strict \
	StateDirectory=logfold SystemCallFilter=@system-service; do
	check "unit has $k" "$(grep -cx "$k" "$U/logfold.service")" 1
done

# --- the examples for machines without systemd -----------------------------------
E=$D/usr/local/share/logfold/examples
if command -v logrotate >/dev/null; then
	cp "$E/logrotate-postrotate" "$W/logrotate.conf"
	chmod 0644 "$W/logrotate.conf"
	logrotate -d -s "$W/logrotate.state" "$W/logrotate.conf" >"$W/logrotate.log" 2>&1
	check "logrotate -d parses the snippet" "$?:$(grep -ci '^error' "$W/logrotate.log")" "0:0"
else
	check "logrotate is installed (make check installs it)" no yes
fi
check "cron.d: m h dom mon dow user command" \
	"$(grep -v '^#' "$E/cron.d-logfold" | grep -cE '^[0-9]+[[:space:]]+[0-9]+[[:space:]]+\*[[:space:]]+\*[[:space:]]+\*[[:space:]]+logfold[[:space:]]+.*/usr/bin/logfold -q ')" 1

# --- uninstall -------------------------------------------------------------------
make --no-print-directory uninstall DESTDIR="$D" >"$W/uninstall.log" 2>&1
check "make uninstall exit status" "$?" 0
check "only the changed config is left" "$(files "$D")" "/etc/logfold.conf"
cp docs/logfold.conf "$D/etc/logfold.conf"
make --no-print-directory uninstall DESTDIR="$D" >>"$W/uninstall.log" 2>&1
check "an unchanged config goes: nothing left" "$(files "$D")" ""
check "share/logfold removed" "$([ -e "$D/usr/local/share/logfold" ] && echo left)" ""

# --- PREFIX=/usr -------------------------------------------------------------------
D=$W/usr
make --no-print-directory install DESTDIR="$D" PREFIX=/usr >"$W/install-usr.log" 2>&1
check "PREFIX=/usr exit status" "$?" 0
check "PREFIX=/usr: 16 files under /usr and /etc" \
	"$(files "$D" | grep -cE '^/(usr/(bin|lib|share)|etc)/')" 16
check "PREFIX=/usr: the unit runs /usr/bin/logfold" \
	"$(grep -c "exec /usr/bin/logfold " "$D/usr/lib/systemd/system/logfold.service")" 1
make --no-print-directory uninstall DESTDIR="$D" PREFIX=/usr >>"$W/install-usr.log" 2>&1
check "PREFIX=/usr: nothing left" "$(files "$D")" ""
echo "install: $pass passed, $fail failed"
[ "$fail" = 0 ]
