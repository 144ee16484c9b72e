#!/bin/bash
# check-report.sh - logfold report beyond the e2e cases (testdata/report_*):
# its figures against independent SQL over the same database, the JSON's
# validity and shape, --public, the cuts (top 500 pages, 100 drill-downs),
# escaping of hostile values put straight into the database (the logs
# cannot carry them: a page or host with '<' does not survive the parser),
# 80 columns of text, several sites and --site, the database left as it
# was, --report after a run, and write failures. The expected values are
# SQL written here, never logfold's output.
#
# Data: loggen (tests/tools/loggen.c) makes 6 days of a site of 600 pages
# (2024-03-04 to 03-09, +0100), one day removed (03-06: a gap); then rows
# are added by hand: a page, a referrer, a robot and a second site all
# named XSS below. Last line: "report: N passed, N failed".
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
LOGFOLD=${LOGFOLD:-$ROOT/logfold}
LOGGEN=${LOGGEN:-$ROOT/build/tools/loggen}
W=$ROOT/build/check-report
SUITE=report
. "$ROOT/tests/counts.sh"
export LOGFOLD_TODAY=2024-12-01
XSS='/</script><img src=x onerror=alert(1)>'
rm -rf "$W"
mkdir -p "$W"
cd "$W" || exit 1

if [ ! -x "$LOGFOLD" ] || [ ! -x "$LOGGEN" ]; then
	echo "report: no '$LOGFOLD' or '$LOGGEN' (make check builds them)"
	echo "report: 0 passed, 1 failed"
	exit 1
fi

# q SQL: one query on the database, values separated by |
q() { sqlite3 -batch -noheader stats.db "$1"; }
# j PATH [FILE]: a JSON path of the report (sqlite's JSON functions)
j() { sqlite3 -batch -noheader :memory: "SELECT json_extract(readfile('${2:-report.json}'), '$1')"; }

"$LOGGEN" --lines 30000 --days 6 --seed 3 --pages 600 | grep -v '^[^[]*\[06/Mar/2024:' >access.log
"$LOGFOLD" -q --db stats.db access.log
check "the run wrote days" "$(q "SELECT count(*) FROM days")" 5
# the hostile values, in the database itself
sqlite3 stats.db "
INSERT INTO page_daily VALUES ('default', '2024-03-05', '$XSS', 999999, 1, 1, 1, 1, 1, 0, 0);
INSERT INTO breakdown_daily VALUES ('default', '2024-03-05', '$XSS', 'referrer', '$XSS', 7, 7);
INSERT INTO site_breakdown_daily VALUES ('default', '2024-03-05', 'referrer', '$XSS', 999999, 999999);
INSERT INTO bots_daily VALUES ('default', '2024-03-05', '$XSS', 999999);
INSERT INTO days (site, day, state) VALUES ('$XSS', '2024-03-05', 'closed');
INSERT INTO site_daily VALUES ('$XSS', '2024-03-05', 3, 2, 2, 1, 10, 1);"
sum_before=$(cksum <stats.db)

# --- JSON: valid, and its figures are the tables' --------------------------
"$LOGFOLD" report -q --db stats.db --site default --json -o report.json
check "json: status" $? 0
check "json: valid" "$(sqlite3 :memory: "SELECT json_valid(readfile('report.json'))")" 1
check "json: the range ends on the last day" "$(j '$.from')|$(j '$.to')" "2024-02-09|2024-03-09"
check "json: the previous period" "$(j '$.previous.from')|$(j '$.previous.to')" \
	"2024-01-10|2024-02-08"
for c in pageviews visitors visits bounces time_on_page_s time_on_page_n; do
	check "json: overview $c = sum of site_daily" "$(j "\$.sites[0].overview.$c")" \
		"$(q "SELECT sum($c) FROM site_daily WHERE site = 'default'")"
done
check "json: pages total = distinct pages" "$(j '$.sites[0].pages.total')" \
	"$(q "SELECT count(DISTINCT page) FROM page_daily WHERE site = 'default'")"
# jn PATH: the length of a JSON array of the report
jn() { sqlite3 -batch -noheader :memory: "SELECT json_array_length(json_extract(readfile('report.json'), '$1'))"; }
check "json: 500 page rows" "$(jn '$.sites[0].pages.rows')" 500
check "json: 100 drill-downs" "$(jn '$.sites[0].drilldowns')" 100
check "json: the second page and its pageviews" \
	"$(j '$.sites[0].pages.rows[1].page')|$(j '$.sites[0].pages.rows[1].pageviews')" \
	"$(q "SELECT page || '|' || pv FROM (SELECT page, sum(pageviews) AS pv, sum(visitors) AS v
	      FROM page_daily WHERE site = 'default' GROUP BY page ORDER BY pv DESC, v DESC, page
	      LIMIT 1 OFFSET 1)")"
check "json: the hostile page first, as it is" "$(j '$.sites[0].pages.rows[0].page')" "$XSS"
check "json: no '<' anywhere (safe in a script element)" "$(grep -c '<' report.json)" 0
check "json: days, a gap on 03-06" "$(j '$.sites[0].days[26].day')|$(j '$.sites[0].days[26].state')|$(j '$.sites[0].days[26].totals')" \
	"2024-03-06|none|"
check "json: referrer values = site_breakdown_daily's" "$(j '$.sites[0].breakdowns.referrer.total_values')" \
	"$(q "SELECT count(DISTINCT value) FROM site_breakdown_daily WHERE site = 'default' AND dimension = 'referrer' AND value <> '(other)'")"
check "json: bots and runs" "$(j '$.sites[0].bots.total_values')|$(j '$.runs.total')" \
	"$(q "SELECT count(DISTINCT bot) FROM bots_daily WHERE site = 'default'")|1"
"$LOGFOLD" report -q --db stats.db --site default --json --public -o public.json
check "json --public: valid" "$(sqlite3 :memory: "SELECT json_valid(readfile('public.json'))")" 1
check "json --public: no bots, quality, runs, settings" \
	"$(j '$.sites[0].bots' public.json)|$(j '$.sites[0].quality' public.json)|$(j '$.runs' public.json)|$(j '$.settings' public.json)" "|||"

# --- the settings kept with the days (days.min_visitors, days.mask_bytes) ---
# the run wrote K 5 and mask 2 (the defaults) with every day it wrote
cp stats.db kept.db
"$LOGFOLD" report -q --db kept.db --site default --json -o kept.json
check "kept settings: K and mask from the days" \
	"$(j '$.sites[0].kept_settings.min_visitors' kept.json)|$(j '$.sites[0].kept_settings.mask_bytes' kept.json)" \
	'{"min":5,"max":5,"some_days_unknown":false}|{"min":2,"max":2,"some_days_unknown":false}'
check "kept settings: in the statement" \
	"$(j '$.privacy_statement' kept.json | grep -o 'fewer than 5 visitors\|an IPv4 address: 2)' | tr '\n' ' ')" \
	"an IPv4 address: 2) fewer than 5 visitors "
sqlite3 kept.db "UPDATE days SET min_visitors = 4 WHERE day = '2024-03-04'; UPDATE days SET mask_bytes = NULL WHERE day = '2024-03-05'"
"$LOGFOLD" report -q --db kept.db --site default --json -o kept.json
check "kept settings: a change within the range, and a day that does not say, both said" \
	"$(j '$.privacy_statement' kept.json | grep -o 'IPv4 address: 2 (not recorded for some days)\|fewer than 4 to 5 (it changed within the range) visitors' | tr '\n' ' ')" \
	"IPv4 address: 2 (not recorded for some days) fewer than 4 to 5 (it changed within the range) visitors "
# days written before logfold kept them (NULL): unknown
sqlite3 kept.db "UPDATE days SET min_visitors = NULL, mask_bytes = NULL"
"$LOGFOLD" report -q --db kept.db --site default --json -o kept.json
check "kept settings: unknown for days written before they were kept" \
	"$(j '$.sites[0].kept_settings.min_visitors' kept.json)|$(j '$.privacy_statement' kept.json | grep -o 'not recorded with these days' | wc -l)" "|2"
# without the columns at all (a database of an older schema, its version
# faked new): unknown too
cp stats.db nocols.db
sqlite3 nocols.db "ALTER TABLE days DROP COLUMN min_visitors; ALTER TABLE days DROP COLUMN mask_bytes"
"$LOGFOLD" report -q --db nocols.db --site default --json -o nocols.json
check "kept settings: unknown without the columns" "$(j '$.sites[0].kept_settings.min_visitors' nocols.json)" ""
rm nocols.db nocols.json
rm kept.db kept.json

# --- HTML: the hostile values are text ---------------------------------------
"$LOGFOLD" report -q --db stats.db -o report.html
check "html: status" $? 0
check "html: one script, ours" "$(grep -o '<script' report.html | wc -l)" 1
check "html: no img element" "$(grep -c '<img' report.html)" 0
check "html: the page as text" \
	"$([ "$(grep -o '/&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;' report.html | wc -l)" -ge 3 ] && echo yes)" yes
check "html: a policy that forbids every load" \
	"$(grep -c "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'sha256-[A-Za-z0-9+/]*='; script-src 'sha256-[A-Za-z0-9+/]*='; base-uri 'none'; form-action 'none'\">" report.html)" 1
check "html: two sites, a link to each" "$(grep -o '<a href="#s[01]">' report.html | wc -l)" 2
check "html: no file written beside" "$(ls)" "$(printf '%s\n' access.log public.json report.html report.json stats.db)"
"$LOGFOLD" report -q --db stats.db --site default -o one.html
check "html --site: one site" "$(grep -o '<section class="site"' one.html | wc -l)" 1
check "html: top 500 of all pages" \
	"$(grep -o 'Top 500 of [0-9]* pages shown' one.html)" \
	"Top 500 of $(q "SELECT count(DISTINCT page) FROM page_daily WHERE site = 'default'") pages shown"
check "html: 100 drill-downs" "$(grep -o '<template id="s0-d[0-9]*">' one.html | wc -l)" 100
"$LOGFOLD" report -q --db stats.db --site default --public -o public.html
check "html --public: no robots, runs, settings, quality" \
	"$(grep -c -e '<h3>Robots</h3>' -e 'id="runs"' -e 'id="settings"' -e 'Data quality' public.html)" 0
check "html --public: the privacy statement stays" "$(grep -c 'How these statistics were made' public.html)" 1

# --- text -----------------------------------------------------------------------
long=$(printf 'p%.0s' $(seq 300))
sqlite3 stats.db "INSERT INTO page_daily VALUES ('default', '2024-03-09', '/$long', 999998, 1, 1, 1, 1, 1, 0, 0);
INSERT INTO days (site, day, state) VALUES ('$(printf 's%.0s' $(seq 200)).example', '2024-03-09', 'open');"
"$LOGFOLD" report --db stats.db --text >report.txt
check "text: status" $? 0
check "text: no line over 80 columns" "$(awk '{ if (length($0) > 80) n++ } END { print n + 0 }' report.txt)" 0
check "text: the long page cut with ..." "$(grep -c '^  /ppppp*\.\.\. ' report.txt)" 1
check "text: no escape byte" "$(grep -c $'\x1b' report.txt)" 0
sqlite3 stats.db "DELETE FROM page_daily WHERE page = '/$long'; DELETE FROM days WHERE site LIKE 'sss%';"
check "the report changed nothing (the test's own rows gone again)" "$(q "SELECT count(*) FROM days")" 6

# --- the database is only read ------------------------------------------------------
sum_before=$(cksum <stats.db)
"$LOGFOLD" report -q --db stats.db --json >/dev/null
check "read-only: the database unchanged" "$(cksum <stats.db)" "$sum_before"
check "read-only: no journal" "$(ls stats.db-* 2>/dev/null | wc -l)" 0
"$LOGFOLD" report -q --db nothere.db --text >/dev/null 2>&1
check "a missing database: status 3" $? 3
check "a missing database is not created" "$(ls nothere.db 2>/dev/null | wc -l)" 0

# --- write failures -----------------------------------------------------------------
"$LOGFOLD" report -q --db stats.db -o nodir/report.html 2>err.txt
check "-o into a missing directory: status 4" $? 4
check "-o: the message" "$(cat err.txt)" \
	"logfold: cannot write 'nodir/report.html.tmp': No such file or directory"
if [ -w /dev/full ]; then
	"$LOGFOLD" report -q --db stats.db --text >/dev/full 2>err.txt
	check "stdout full: status 4" $? 4
	check "stdout full: the message" "$(cat err.txt)" \
		"logfold: cannot write the report to standard output: No space left on device"
fi
check "no .tmp left" "$(ls ./*.tmp nodir 2>/dev/null | wc -l)" 0

# --- --report after a run -----------------------------------------------------------
mkdir run && cd run || exit 1
head -n 3000 ../access.log >a.log
printf 'not a log line\n%.0s' $(seq 400) >>a.log
"$LOGFOLD" -q --db r.db --report r.html a.log 2>err.txt
check "--report: the run's status stays (too many malformed: 1)" $? 1
check "--report: the report written all the same" "$(grep -c '</html>' r.html)" 1
"$LOGFOLD" -q --db r.db --report nodir/r2.html a.log 2>err.txt
check "--report failing: the higher status, the report's (4)" $? 4
cd ..

# --- a previous period with data on fewer days (testdata/report_partial_previous)
# 2024-06-17 (before), 06-19 and 06-20 (the range): the change is said
# with the days each period holds, in the cards and under them
"$LOGFOLD" -q --uap-regexes none --close-all --db partial.db \
	"$ROOT/testdata/report_partial_previous/access.log"
"$LOGFOLD" report -q --db partial.db --from 2024-06-19 --to 2024-06-20 -o partial.html
check "partial previous: the cards say the days with data" \
	"$(grep -o 'against the 2 days before (1 with data, 2 now)' partial.html | wc -l)" 5
check "partial previous: the note says why" \
	"$(grep -c '1 of the 2 days before, 2 of these' partial.html)" 1

echo "report: $pass passed, $fail failed"
[ "$fail" = 0 ]
