#!/bin/bash
# check-report-browser.sh - logfold's HTML report in a real browser:
# Debian's Chromium, headless, driven by playwright-core (installed by
# `make check` into build/browser/), opens the report from disk, with every
# request intercepted; tests/browser/report.js says what it checks. The
# database: loggen's 6 days of a 600-page site (2024-03-04 to 03-09, the
# day 03-06 removed: a gap), plus a page, a referrer, a robot and a second
# site whose names are an attack, written into the tables directly (a log
# cannot carry them). The report covers 2024-03-03 to 03-09 (03-03: no
# data either). Screenshots are left in build/report-browser/.
# Bounded: the browser part is killed after 120 s.
# Last line: "report-browser: N passed, N failed".
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
LOGFOLD=${LOGFOLD:-$ROOT/logfold}
LOGGEN=${LOGGEN:-$ROOT/build/tools/loggen}
W=$ROOT/build/report-browser
PW_MODULES=${PW_MODULES:-$ROOT/build/browser/node_modules}
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
export LOGFOLD_TODAY=2024-12-01
XSS='/</script><img src=x onerror=alert(1)>'

blocked() {
	echo "report-browser: cannot run: $*"
	echo "report-browser: 0 passed, 1 failed"
	exit 1
}
[ -x "$LOGFOLD" ] || blocked "no executable '$LOGFOLD' (run make)"
[ -x "$LOGGEN" ] || blocked "no '$LOGGEN' (make check builds it)"
command -v node >/dev/null 2>&1 || blocked "no node (make check installs nodejs)"
command -v sqlite3 >/dev/null 2>&1 || blocked "no sqlite3 command (make check installs it)"
[ -x "$CHROMIUM" ] || blocked "no chromium at '$CHROMIUM' (make check installs chromium)"
[ -f "$PW_MODULES/playwright-core/package.json" ] ||
	blocked "no playwright-core in '$PW_MODULES' (make check installs it with npm)"

rm -rf "$W"
mkdir -p "$W"
"$LOGGEN" --lines 30000 --days 6 --seed 3 --pages 600 | grep -v '^[^[]*\[06/Mar/2024:' >"$W/access.log"
"$LOGFOLD" -q --db "$W/stats.db" "$W/access.log" || blocked "logfold failed on the log"
sqlite3 "$W/stats.db" "
INSERT INTO page_daily VALUES ('default', '2024-03-05', '$XSS', 999999, 1, 1, 1, 1, 1, 0, 0);
INSERT INTO breakdown_daily VALUES ('default', '2024-03-05', '$XSS', 'referrer', '$XSS', 7, 7);
INSERT INTO site_breakdown_daily VALUES ('default', '2024-03-05', 'referrer', '$XSS', 999999, 999999);
INSERT INTO bots_daily VALUES ('default', '2024-03-05', '$XSS', 999999);
INSERT INTO days (site, day, state) VALUES ('$XSS', '2024-03-05', 'closed');
INSERT INTO site_daily VALUES ('$XSS', '2024-03-05', 3, 2, 2, 1, 10, 1);" ||
	blocked "sqlite3 could not add the hostile rows"
"$LOGFOLD" report -q --db "$W/stats.db" --from 2024-03-03 --to 2024-03-09 -o "$W/report.html" ||
	blocked "logfold report failed"

PW_MODULES=$PW_MODULES CHROMIUM=$CHROMIUM timeout 120 node "$ROOT/tests/browser/report.js" \
	"$W/report.html" "$W/stats.db" 2024-03-03 2024-03-09 "$W"
rc=$?
[ $rc -ge 124 ] && echo "report-browser: 0 passed, 1 failed (timed out or killed: $rc)"
exit $rc
