# clf.sh - sourced by check scripts that write small hand-made logs in the
# combined format and read back what logfold stored:
#   UA, BOT                 a desktop Firefox and Googlebot user agent
#   line IP TIME PAGE [UA]  one GET of PAGE answered 200, TIME as
#                           'DD/Mon/YYYY:HH:MM:SS' in UTC
#   q DB SQL                the rows of SQL on DB, space-separated, on one line
#   pd DB                   page_daily as "day page pageviews visitors ..."
#   days DB                 the days table as "day state ..."
# A script that needs other columns defines its own after sourcing this.
UA='"Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0"'
BOT='"Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"'
line() { echo "$1 - - [$2 +0000] \"GET $3 HTTP/1.1\" 200 100 \"-\" ${4:-$UA}"; }
q() { sqlite3 -separator ' ' "$1" "$2" | tr '\n' ' ' | sed 's/ $//'; }
pd() { q "$1" "SELECT day, page, pageviews, visitors FROM page_daily ORDER BY 1, 2"; }
days() { q "$1" "SELECT day, state FROM days ORDER BY 1"; }
