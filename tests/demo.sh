#!/bin/bash
# demo.sh - `make demo`: logfold on the bundled sample, and a look at what
# it wrote.
#
# Reads testdata/sample/ (two rotated gzip days and the current plain log,
# see its README) into build/demo/logfold.db and build/demo/csv/, showing
# logfold's own summary, then prints with the sqlite3 CLI: the top pages,
# the days, and the runs table, and ends by writing the HTML report to
# build/demo/report.html and printing its path. The database is made afresh
# each time, so the demo can be run again and again.

set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT" || exit 1
LOGFOLD=${LOGFOLD:-./logfold}
S=testdata/sample
D=build/demo

[ -x "$LOGFOLD" ] || { echo "demo: no '$LOGFOLD' (run make)" >&2; exit 1; }
command -v sqlite3 >/dev/null || { echo "demo: the sqlite3 command is needed (make deps-demo)" >&2; exit 1; }
rm -rf "$D"
mkdir -p "$D"

# The sample's days are 2024-03-04 to 03-06. Today is taken as the day after
# (cmd/options.c reads LOGFOLD_TODAY), as for a run over last night's logs:
# otherwise --retention (13 months back from today) would delete them at once.
export LOGFOLD_TODAY=2024-03-07
echo "\$ export LOGFOLD_TODAY=$LOGFOLD_TODAY   # the sample is from March 2024"
# Oldest first, as logrotate numbers them; the order does not change the result.
echo "\$ $LOGFOLD --site www.example.org --db $D/logfold.db --csv $D/csv $S/access.log.2.gz $S/access.log.1.gz $S/access.log"
"$LOGFOLD" --site www.example.org --db "$D/logfold.db" --csv "$D/csv" \
	"$S/access.log.2.gz" "$S/access.log.1.gz" "$S/access.log"
rc=$?
if [ $rc != 0 ]; then
	echo "demo: logfold exited with status $rc" >&2
	exit $rc
fi

q() {
	echo
	echo "-- $1"
	sqlite3 -box "$D/logfold.db" "$2" || exit 1
}

q "top pages over all days (visitors add up per day; bounce rate = bounces / entrances)" "
SELECT page,
       sum(pageviews) AS pageviews,
       sum(visitors) AS visitor_days,
       sum(visits) AS visits,
       sum(entrances) AS entrances,
       printf('%.0f%%', 100.0 * sum(bounces) / max(sum(entrances), 1)) AS bounce_rate,
       sum(exits) AS exits,
       CASE WHEN sum(time_on_page_n) > 0
            THEN printf('%.0f s', 1.0 * sum(time_on_page_s) / sum(time_on_page_n))
            ELSE '-' END AS avg_time
FROM page_daily GROUP BY page ORDER BY sum(pageviews) DESC, page LIMIT 12;"

q "the days (a visit is a session: one entrance each)" "
SELECT site, day, count(*) AS pages, sum(pageviews) AS pageviews,
       sum(entrances) AS visits, sum(bounces) AS bounces
FROM page_daily GROUP BY site, day ORDER BY site, day;"

q "the site's own totals (site_daily: a visitor of several pages counts once a day)" "
SELECT site, day, pageviews, visitors, visits, bounces,
       printf('%.0f%%', 100.0 * bounces / max(visits, 1)) AS bounce_rate
FROM site_daily ORDER BY site, day;"

q "runs: when (a day, nothing finer), inputs, and every skipped line by reason" "
SELECT * FROM runs;"

echo
echo "demo: the same tables as CSV are in $D/csv/:"
ls -l "$D/csv"

# the sample's three days (the default, the 30 days ending on the last one,
# would draw 27 of them as gaps)
echo
echo "\$ $LOGFOLD report --db $D/logfold.db --from 2024-03-04 -o $D/report.html"
"$LOGFOLD" report --db "$D/logfold.db" --from 2024-03-04 -o "$D/report.html" || exit $?
echo "demo: the report, one self-contained page to open in a browser: $ROOT/$D/report.html"
