#!/bin/bash
# check-identical.sh - issue 14 point 1: two logs that differ only in what
# masking and reduction remove give byte-identical databases (and CSV
# files). Each pair of logs is written twice from one list of requests: once
# with one set of the bytes logfold must drop, once with another. What
# differs: the masked-away bytes of each address (the last two of IPv4 with
# the default --mask-bytes 2, and all past the /48 of IPv6), the ident and
# user fields, query strings, cookies, and the minor version of each agent.
# What does not: each address keeps its masked network and stays distinct
# from the others (a substitution, one to one, so that the visitors are the
# same people in both), and so does each agent. Both are read in the same
# nightly sequence (a first night, then the log rotated, grown and
# gzipped), under the same file names, each in its own directory, with
# --min-visitors 1 so that every breakdown value (browser and version, OS,
# device) is written, not folded away; then the
# two databases are compared with cmp, and the CSV directories with diff.
# One value differs by design: each database's own id (database_id, issue
# 15 point 7), random bits drawn when it is made; the comparison is of
# copies with that one value set alike.
# Prints "identical: N passed, N failed".

set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
LOGFOLD=${LOGFOLD:-$ROOT/logfold}
W=$ROOT/build/identical
export LOGFOLD_TODAY=${LOGFOLD_TODAY:-2024-12-01}
SUITE=identical
# shellcheck source=tests/counts.sh
. "$ROOT/tests/counts.sh"
rm -rf "$W"
mkdir -p "$W"

# The requests: address index, time, request target, status, agent index.
# Addresses 0-3 are IPv4 in two /16s, 4-5 IPv6 in one /48; agents 0-2 are
# browsers, 3 a robot. Two days (10 and 11 June), pages, a static file, a
# 404, a robot, query strings to drop, and a day that closes in between.
REQUESTS='0 10/Jun/2024:09:00:00 /?utm_source=x 200 0
1 10/Jun/2024:09:01:00 /a?id=1 200 1
0 10/Jun/2024:09:02:00 /b 200 0
2 10/Jun/2024:09:03:00 /style.css?v=1 200 2
3 10/Jun/2024:09:04:00 /a 200 2
4 10/Jun/2024:09:05:00 /a?q=secret 200 1
5 10/Jun/2024:09:06:00 /missing 404 0
0 10/Jun/2024:09:07:00 / 200 3
4 10/Jun/2024:10:00:00 /b?page=2 200 1
1 10/Jun/2024:10:30:00 /c 200 1
2 10/Jun/2024:11:00:00 /a 304 2
5 10/Jun/2024:23:50:00 /c?x=y 200 0
0 11/Jun/2024:00:20:00 / 200 0
3 11/Jun/2024:00:30:00 /a?ref=mail 200 2
1 11/Jun/2024:01:00:00 /b 200 1
4 11/Jun/2024:02:00:00 /c 200 1
2 11/Jun/2024:03:00:00 / 200 2
5 11/Jun/2024:04:00:00 /a 200 0
0 11/Jun/2024:05:00:00 /b?utm_campaign=z 200 0
1 11/Jun/2024:06:00:00 /c 200 1
3 11/Jun/2024:06:30:00 / 200 2
4 11/Jun/2024:07:00:00 /a 200 1
2 11/Jun/2024:08:00:00 /b 200 2
5 11/Jun/2024:09:00:00 /c 200 0'

# Variant 0 and 1 of each dropped part. Addresses: same /16 (IPv4) or /48
# (IPv6), other bytes after it, still distinct from each other.
IP0=(198.51.100.7 198.51.2.200 203.0.113.9 203.0.7.7 2001:db8:aa:1::5 2001:db8:aa:2:3::9)
IP1=(198.51.77.1 198.51.0.3 203.0.250.250 203.0.9.1 2001:db8:aa:ffff::1 2001:db8:aa:7:7::7)
UA0=('Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0'
	'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.71 Safari/537.36'
	'Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1'
	'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)')
UA1=('Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.9'
	'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6111.5 Safari/537.36'
	'Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1'
	'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)')

# log VARIANT: the requests as a combined log with a cookie field (nginx
# format below), the dropped parts of VARIANT.
log() {
	local v=$1 n=0 ip t target status ua
	while read -r ip t target status ua; do
		n=$((n + 1))
		local addr user ident query cookie agent
		if [ "$v" = 0 ]; then
			addr=${IP0[$ip]} agent=${UA0[$ua]} user=alice ident=- cookie="sid=s$n; pref=a"
		else
			addr=${IP1[$ip]} agent=${UA1[$ua]} user="u$n" ident="id$n" cookie="sid=other$n$n"
		fi
		query=$target
		# a query string's values are dropped: variant 1 changes them
		[ "$v" = 1 ] && case $target in *=*) query="${target%%=*}=v1$n" ;; esac
		printf '%s %s %s [%s +0000] "GET %s HTTP/1.1" %s 512 "-" "%s" "%s"\n' \
			"$addr" "$ident" "$user" "$t" "$query" "$status" "$agent" "$cookie"
	done <<<"$REQUESTS"
}
FMT='$remote_addr $remote_ident $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" "$http_cookie"'

for v in 0 1; do
	d=$W/v$v
	mkdir -p "$d"
	log "$v" >"$d/full.log"
done
check "the two logs differ" "$(cmp -s "$W/v0/full.log" "$W/v1/full.log" && echo same)" ""

# night NAME ARGS...: the same logfold run in both directories
night() {
	local v
	for v in 0 1; do
		(cd "$W/v$v" && "$LOGFOLD" -q --min-visitors 1 --log-format "$FMT" --db out.db --csv csv "$@") 2>"$W/v$v/err.txt" ||
			echo "v$v exit $?" >>"$W/v$v/err.txt"
	done
}

for v in 0 1; do
	# night 1: 10 lines in access.log (10 June open)
	head -n 10 "$W/v$v/full.log" >"$W/v$v/access.log"
done
night access.log
for v in 0 1; do
	# 10 more lines, then rotated with delaycompress; the rest in a new
	# access.log; night 2 gzips the day before (logrotate's next turn)
	head -n 20 "$W/v$v/full.log" >"$W/v$v/access.log.1"
	tail -n +21 "$W/v$v/full.log" >"$W/v$v/access.log"
done
night access.log access.log.1
for v in 0 1; do
	gzip -n "$W/v$v/access.log.1"
	mv "$W/v$v/access.log.1.gz" "$W/v$v/access.log.2.gz"
done
night access.log access.log.2.gz
check "the runs went well" "$(cat "$W"/v*/err.txt)" ""
check "the database has rows" "$(sqlite3 "$W/v0/out.db" "SELECT count(*) > 0 FROM page_daily; SELECT count(*) FROM resume" | tr '\n' ' ')" "1 2 "
# same_id DB: a copy of DB with its random id set to 1 (the one value
# that must differ between two databases)
same_id() {
	cp "$1" "$1.cmp" && sqlite3 "$1.cmp" "UPDATE database_id SET id = 1" && echo "$1.cmp"
}
check "the ids are random: they differ" \
	"$(sqlite3 "$W/v0/out.db" "SELECT id FROM database_id" | grep -cxF "$(sqlite3 "$W/v1/out.db" "SELECT id FROM database_id")")" 0
check "the databases are byte for byte the same (but for their ids)" \
	"$(cmp "$(same_id "$W/v0/out.db")" "$(same_id "$W/v1/out.db")" 2>&1 && echo same)" same
check "the CSV files are the same" "$(diff -r "$W/v0/csv" "$W/v1/csv" 2>&1 && echo same)" same

# the control: one page changed (what the tables hold) is seen, both in the
# tables and in the resume point (the page is in the first line's signature)
for c in c0 c1; do
	mkdir -p "$W/$c"
	cp "$W/v0/full.log" "$W/$c/access.log"
done
sed -i '1s|GET /?utm_source=x|GET /other|' "$W/c1/access.log"
for c in c0 c1; do
	(cd "$W/$c" && "$LOGFOLD" -q --log-format "$FMT" --db out.db access.log)
done
check "the control: another page, another database" \
	"$(cmp -s "$(same_id "$W/c0/out.db")" "$(same_id "$W/c1/out.db")" && echo same)" ""
check "the control: another first line, another fingerprint" \
	"$(sqlite3 "$W/c0/out.db" "SELECT fingerprint FROM resume" | grep -cxF "$(sqlite3 "$W/c1/out.db" "SELECT fingerprint FROM resume")")" 0

echo "identical: $pass passed, $fail failed"
[ "$fail" = 0 ]
