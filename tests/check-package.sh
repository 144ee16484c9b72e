#!/bin/bash
# check-package.sh - the Debian package (debian/) builds, holds what it
# should, and its binary works.
#
# In a copy of the source tree under build/package/ (dpkg-buildpackage
# cleans its tree first: `make clean` in this one would delete the running
# test suite's build/), `dpkg-buildpackage -us -uc -b` with
# DEB_BUILD_OPTIONS=nocheck must make logfold_VERSION_ARCH.deb, VERSION
# being the Makefile's (debian/changelog must agree: a native package;
# debian/control's Build-Depends must name every -dev package of the
# Makefile's DEB_BUILD, or a clean chroot cannot build it). Then:
#   - `dpkg-deb -c` lists the files `make install` puts under PREFIX=/usr
#     (tests/check-install.sh), at Debian's places (units in /lib, zsh in
#     vendor-completions, the man page gzipped), and /var/lib/logfold/;
#   - its control: shlibs found the five libraries, uap-core is a Depends
#     (read at every start), publicsuffix a Recommends (--referrer-domain
#     only), adduser a Depends (the postinst makes the logfold user);
#     /etc/logfold.conf and /etc/default/logfold are conffiles;
#   - lintian finds no error;
#   - `dpkg-deb -x`, then the extracted logfold reads the bundled sample
#     (testdata/sample: 3199 lines over 2024-03-04..06, per its README) and
#     writes the same page_daily as the tree's own build; its unit passes
#     systemd-analyze verify and security (at most 2.0).
# Prints "package: N passed, N failed".

set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT" || exit 1
SUITE=package
. "$ROOT/tests/counts.sh"
# a make started by `make check` would pass its variables (SANITIZE ...)
unset MAKEFLAGS MFLAGS MAKELEVEL
VERSION=$(sed -n 's/^VERSION *:= *//p' Makefile)
ARCH=$(dpkg --print-architecture)
W=$ROOT/build/package
SRC=$W/logfold-$VERSION
rm -rf "$W"
mkdir -p "$SRC"

check "debian/changelog's version is the Makefile's" \
	"$(dpkg-parsechangelog -l debian/changelog -S Version 2>/dev/null)" "$VERSION"
# Every library the Makefile builds against (DEB_BUILD's -dev packages) is
# in Build-Depends: a clean chroot (sbuild, pbuilder) has nothing else, and
# one missing .pc file empties the Makefile's whole pkg-config line.
build_deps=$(sed -n '/^Build-Depends:/,/^[A-Z]/p' debian/control | tr ',|' '\n\n' |
	sed 's/^ *//; s/[ (].*//; s/^Build-Depends://; s/^ *//' | sort -u)
missing=
for p in $(awk '/^DEB_BUILD *:=/ { on = 1 } on { print; if (!/\\$/) exit }' Makefile |
	tr ' \\' '\n\n' | grep -- '-dev$'); do
	printf '%s\n' "$build_deps" | grep -qx -- "$p" || missing="$missing $p"
done
check "debian/control: DEB_BUILD's -dev packages are Build-Depends" "$missing" ""
tar --exclude=./build --exclude=./.git --exclude=./logfold -cf - . | tar -xf - -C "$SRC"
(cd "$SRC" && DEB_BUILD_OPTIONS="nocheck parallel=2" nice dpkg-buildpackage -us -uc -b) \
	>"$W/build.log" 2>&1
rc=$?
check "dpkg-buildpackage exit status" "$rc" 0
[ $rc = 0 ] || tail -n 30 "$W/build.log"
DEB=$W/logfold_${VERSION}_$ARCH.deb
check "the .deb is made" "$([ -f "$DEB" ] && echo yes)" yes
if [ ! -f "$DEB" ]; then
	echo "package: $pass passed, $fail failed"
	exit 1
fi

# --- what it holds ------------------------------------------------------------
dpkg-deb -c "$DEB" | awk '{ print $6 }' | sed 's|^\./|/|' | LC_ALL=C sort >"$W/contents"
for f in /usr/bin/logfold /usr/share/man/man1/logfold.1.gz /etc/logfold.conf /etc/default/logfold \
	/lib/systemd/system/logfold.service /lib/systemd/system/logfold.timer \
	/usr/share/bash-completion/completions/logfold /usr/share/zsh/vendor-completions/_logfold \
	/usr/share/logfold/logfold.js /usr/share/logfold/logfold.gif /usr/share/logfold/optout.html \
	/usr/share/logfold/examples/cron.d-logfold /usr/share/logfold/examples/logrotate-postrotate \
	/usr/share/doc/logfold/copyright /var/lib/logfold/; do
	check "holds $f" "$(grep -cxF "$f" "$W/contents")" 1
done
check "nothing under /usr/local" "$(grep -c '^/usr/local' "$W/contents")" 0
check "the binary is executable" "$(dpkg-deb -c "$DEB" | awk '$6 == "./usr/bin/logfold" { print $1 }')" \
	"-rwxr-xr-x"
dep=$(dpkg-deb -f "$DEB" Depends)
for lib in libc6 libsqlite3-0 zlib1g libpcre2-8-0 libmaxminddb0 libyaml-0-2 uap-core adduser; do
	check "Depends: $lib" "$(printf '%s\n' "$dep" | tr ',' '\n' | grep -cE "^ *$lib( |\$)")" 1
done
check "Recommends: publicsuffix" "$(dpkg-deb -f "$DEB" Recommends | tr ',' '\n' | grep -c '^ *publicsuffix')" 1
check "conffiles" "$(dpkg-deb --ctrl-tarfile "$DEB" | tar -xOf - ./conffiles | LC_ALL=C sort | tr '\n' ' ')" \
	"/etc/default/logfold /etc/logfold.conf "
check "postinst makes the logfold user" \
	"$(dpkg-deb --ctrl-tarfile "$DEB" | tar -xOf - ./postinst | grep -c 'adduser --system --group')" 1
if command -v lintian >/dev/null; then
	lintian --fail-on error "$DEB" >"$W/lintian.log" 2>&1
	check "lintian finds no error" "$?:$(grep -c '^E:' "$W/lintian.log")" "0:0"
	grep '^[EW]:' "$W/lintian.log" | sed 's/^/package: lintian: /'
else
	check "lintian is installed (make check installs it)" no yes
fi

# --- what it does ----------------------------------------------------------------
X=$W/root
dpkg-deb -x "$DEB" "$X"
check "extracted: --version" "$("$X/usr/bin/logfold" --version | head -n 1)" "logfold $VERSION"
S=testdata/sample
# the sample is from March 2024: today is the day after, or --retention
# would delete what was just written
export LOGFOLD_TODAY=2024-03-07
"$X/usr/bin/logfold" -q --site www.example.org --db "$W/pkg.db" \
	"$S/access.log.2.gz" "$S/access.log.1.gz" "$S/access.log" 2>"$W/run.log"
check "extracted: exit status" "$?" 0
check "extracted: lines of the sample" "$(sqlite3 "$W/pkg.db" 'SELECT lines FROM runs')" 3199
check "extracted: its days" \
	"$(sqlite3 "$W/pkg.db" "SELECT group_concat(day, ' ') FROM (SELECT day FROM days ORDER BY day)")" \
	"2024-03-04 2024-03-05 2024-03-06"
./logfold -q --site www.example.org --db "$W/tree.db" \
	"$S/access.log.2.gz" "$S/access.log.1.gz" "$S/access.log" 2>>"$W/run.log"
q='SELECT site, day, page, pageviews, visitors, visits FROM page_daily ORDER BY 1, 2, 3'
check "extracted: page_daily has rows" "$(sqlite3 "$W/pkg.db" 'SELECT count(*) > 0 FROM page_daily')" 1
check "extracted: page_daily as the tree's build" \
	"$(sqlite3 "$W/pkg.db" "$q" | cksum)" "$(sqlite3 "$W/tree.db" "$q" | cksum)"
if command -v systemd-analyze >/dev/null; then
	U=$X/lib/systemd/system
	MANPATH=$X/usr/share/man systemd-analyze verify "$U/logfold.service" "$U/logfold.timer" \
		>"$W/verify.log" 2>&1
	check "extracted units: systemd-analyze verify" "$?:$(cat "$W/verify.log")" "0:"
	score=$(systemd-analyze security --offline=true "$U/logfold.service" 2>&1 |
		sed -n 's/.*Overall exposure level for logfold.service: \([0-9.]*\) .*/\1/p')
	check "extracted unit: exposure at most 2.0 (got '$score')" \
		"$(awk -v s="$score" 'BEGIN { print (s != "" && s + 0 <= 2.0) }')" 1
fi
echo "package: $pass passed, $fail failed"
[ "$fail" = 0 ]
