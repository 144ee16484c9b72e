#!/bin/bash
# canary.sh - the privacy canary: nothing logfold writes may carry an
# identifier from its input.
#
# It builds a log in which every identifying field carries a canary token:
# the client addresses (IPv4 198.51.100.187, IPv6
# 2001:db8:dead:beef:1234:5678:9abc:def0, mapped ::ffff:203.0.113.199), the
# ident and user fields, query keys and values (plain and %-encoded), the
# beacon's and Matomo's query strings (identifier keys, identifier-shaped
# labels, the page's own query),
# fragments, user agents (plain, \" and \xNN escaped; robots, whose
# families go to bots_daily), referer paths and
# queries (internal, external with user info and port, android-app, garbage;
# internal paths through the page rules: excluded and off-list areas,
# identifiers, rewrites, in a log of their own),
# cookie-like session ids, identifiers in path segments (an e-mail address, a
# UUID, a long number, a token, a JWT: replaced by default), and the text of
# malformed lines; and one visitor's own load time, engaged seconds and
# click label, which no table may hold with K >= 5 (the small-cell rule:
# every run but those with --min-visitors 1 also checks that no row of
# breakdown_daily, action_daily, engagement_daily or load_hourly has fewer
# than 5 visitors). Every
# token contains "zqx", a string found nowhere else, so one search for zqx
# (any case, as hex text, as %XX, as \xNN) finds a leak of any of them; the
# tokens are also searched one by one so a failure names the field.
#
# The same identifiers are also written as an nginx --log-format log (with
# X-Forwarded-For, cookie and DNT headers, the client taken from the header
# behind a trusted proxy), a W3C log with two #Fields, a Caddy JSON log
# (headers, user_id, client_ip), an IIS Advanced Logging log (quoted
# values: agent, cookie with spaces and quotes, referer, user), an
# Incapsula export (visitor and session ids, host/path), a Traefik JSON log
# (request_* headers, ClientUsername) and a Matomo nginx JSON log; each is
# one more run below.
#
# Then it runs logfold in every output mode - --db only, --csv only, both,
# the default ./logfold.db, stdin, gzip file, gzip on stdin, --site, vcombined,
# --min-visitors 1 (beacon labels unfolded), a run that
# replaces days already in the database (also one left in WAL mode by
# another program), a nightly run that resumes inputs known by their
# fingerprints, a pipe read once, a run that holds back an open day whose
# input it lacks, `logfold merge`, `logfold prune` (and --day), a merge into
# a database merged into before (its merge_ tables) with --csv, `prune --csv`,
# --shard runs and their merge (shard_sets, merge_shard_sets),
# --csv alone (its database beside the directory), a run over the malformed limit,
# a truncated gzip, --mask-bytes 1, geography from a test GeoIP database,
# referrers with --site-alias and --referrer-domain, page rules with opt-out
# and --site-allow (whose opted-out, excluded and folded lines carry tokens
# too), the progress line drawn (--progress, a slow stdin) - each in an
# empty working directory with
# its own empty TMPDIR, and searches every byte written: the database and any
# -journal/-wal left beside it (a journal must be empty, a WAL absent),
# every CSV, every report (`logfold report` as HTML, public HTML, text and
# JSON, and a run's --report), stdout, stderr, every file left in
# the working directory or TMPDIR, and any file new in /tmp or /var/tmp. (A journal deleted before exit
# cannot be read afterwards; it only ever holds pages of the database, which
# are searched.) The database is also checked for columns that would hold an
# identifier and for values that look like an address or a hash, but for
# its random id (database_id, source_id), whose type is checked instead, and
# the ids of all databases written must differ (drawn, not derived).
#
# One test per run (plus one that the search finds every token in the input
# itself, so a broken search cannot pass). Last line:
# "canary: N passed, N failed".

set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
LOGFOLD=${LOGFOLD:-$ROOT/logfold}
# The test logs are from 2024: a fixed "today" keeps --retention from
# deleting them (cmd/options.c reads LOGFOLD_TODAY).
export LOGFOLD_TODAY=${LOGFOLD_TODAY:-2024-12-01}
W=$ROOT/build/canary
rm -rf "$W"
mkdir -p "$W/in"
pass=0
fail=0

if [ ! -x "$LOGFOLD" ]; then
	echo "canary: no executable '$LOGFOLD' (run make)" >&2
	echo "canary: 0 passed, 1 failed"
	exit 1
fi

# --- the canary log ------------------------------------------------------
UA1='Mozilla/5.0 (X11; Linux x86_64; uazqxa01) Gecko/20100101 Firefox/120.0'
UA2='Mozilla/5.0 (Windows NT 10.0; uazqxa02) AppleWebKit/537.36 Chrome/120.0 Safari/537.36'
UA3='Mozilla/5.0 (iPhone; uazqxa03) AppleWebKit/605.1.15 Mobile/15E148 Safari/604.1'
V4=198.51.100.187
V6=2001:db8:dead:beef:1234:5678:9abc:def0
M4=::ffff:203.0.113.199
T='[20/Jun/2024:10:%02d:00 +0000]'
# identifiers in paths that cannot hold "zqx" (hex, digits): searched as such
UUID=5ca1ab1e-0bad-4cab-8dad-c0ffee15c0de
DIGITS=0612349876
{
	# every identifying field of a pageview
	printf "$V4 identzqxb01 userzqxb02 $T \"GET /canary/page?qkeyzqxb03=qvalzqxb04&PHPSESSID=cookiezqxb05#fragzqxb06 HTTP/1.1\" 200 512 \"https://ref.example/refpathzqxb07?refkeyzqxb08=refvalzqxb09&sid=refcookiezqxb10\" \"$UA1\"\n" 0
	printf "$V6 - userzqxc01 $T \"GET /canary/other?tokenzqxc02=1 HTTP/1.1\" 200 512 \"https://ref.example/?utm_source=refzqxc03\" \"$UA2\"\n" 1
	printf "$M4 - - $T \"GET http://host.example/canary/abs?abszqxc04=1#absfragzqxc05 HTTP/1.1\" 200 512 \"-\" \"$UA3\"\n" 2
	# the same visitors again, so that sessions and time on page exist
	printf "$V4 identzqxb01 userzqxb02 $T \"GET /canary/other?q=%%7A%%71%%78d01 HTTP/1.1\" 200 512 \"https://ref.example/canary/page?refq=zqxd02\" \"$UA1\"\n" 3
	printf "$V6 - userzqxc01 $T \"GET /canary/page?email=mailzqxd03%%40example.org HTTP/1.1\" 200 512 \"-\" \"$UA2\"\n" 4
	# escapes in the user agent: \" and \xNN (\x7A is z)
	printf "$V4 - - $T \"GET /canary/page HTTP/1.1\" 200 512 \"-\" \"Mozilla/5.0 (X11; \\\\\"uaesczqxe01\\\\\" \\\\x7Aqxe02)\"\n" 5
	# referrers: the site itself (an alias in the referrers run) with a
	# query and fragment, user info, an Android app with a path and query,
	# garbage; only the page, the host or the app id may remain
	printf "$V4 - - $T \"GET /canary/r1 HTTP/1.1\" 200 512 \"https://www.canary.example/canary/page?refq=zqxi01#reffragzqxi02\" \"$UA1\"\n" 30
	printf "$V6 - - $T \"GET /canary/r2 HTTP/1.1\" 200 512 \"https://userzqxi03:pwzqxi04@ref.example:8443/refpathzqxi05?k=zqxi06\" \"$UA2\"\n" 31
	printf "$M4 - - $T \"GET /canary/r3 HTTP/1.1\" 200 512 \"android-app://com.example.app/apppathzqxi07?q=zqxi08\" \"$UA3\"\n" 32
	printf "$V4 - - $T \"GET /canary/r4 HTTP/1.1\" 200 512 \"garbagezqxi09 not a url\" \"$UA1\"\n" 33
	# not pageviews: bot, static, 404, POST - they carry tokens too
	printf "$V4 - - $T \"GET /canary/page?botqzqxf01=1 HTTP/1.1\" 200 512 \"-\" \"Mozilla/5.0 (compatible; Googlebot/2.1; botuazqxf02)\"\n" 6
	# robots whose names uap-core's catch-all regexes would capture from the
	# agent: bots_daily must name them without agent text
	printf "$V4 - - $T \"GET /canary/page HTTP/1.1\" 200 512 \"-\" \"Mozilla/5.0 (compatible; zqxf08spybot/1.0; +http://crawlzqxf10.example/)\"\n" 6
	printf "$V6 - - $T \"GET /canary/page HTTP/1.1\" 200 512 \"-\" \"uazqxf09-Crawler/2.0\"\n" 6
	printf "$V6 - - $T \"GET /canary/app.js?v=staticzqxf03 HTTP/1.1\" 200 512 \"https://ref.example/staticrefzqxf04\" \"$UA2\"\n" 7
	printf "$M4 - userzqxf05 $T \"GET /canary/missing?nfzqxf06=1 HTTP/1.1\" 404 512 \"-\" \"$UA3\"\n" 8
	printf "$V4 - - $T \"POST /canary/form?postzqxf07=1 HTTP/1.1\" 200 512 \"-\" \"$UA1\"\n" 9
	# identifiers in path segments: pageviews whose pages must be reduced
	printf "$V4 - - $T \"GET /canary/u/mailzqxp01@example.org/x HTTP/1.1\" 200 512 \"-\" \"$UA1\"\n" 41
	printf "$V6 - - $T \"GET /canary/order/$UUID.pdf HTTP/1.1\" 200 512 \"-\" \"$UA2\"\n" 42
	printf "$V4 - - $T \"GET /canary/tel/$DIGITS HTTP/1.1\" 200 512 \"-\" \"$UA1\"\n" 43
	printf "$V6 - - $T \"GET /canary/reset/zqxp05a1b2c3d4e5f6a7b8c9 HTTP/1.1\" 200 512 \"-\" \"$UA2\"\n" 44
	printf "$M4 - - $T \"GET /canary/auth/eyJzqxp02aGVsbG8.eyJzqxp03d29ybGQ.c2lnzqxp04 HTTP/1.1\" 200 512 \"-\" \"$UA3\"\n" 45
	# beacon and tracker requests (issue 8): identifiers in every key
	# logfold must skip unread, in the page's own query, and in labels
	# shaped like identifiers (a token, alone and after a dot; an e-mail:
	# replaced or refused; a run of digits cannot hold zqx: test_beacon)
	printf "$V4 - - $T \"GET /logfold.gif?p=%%2Fcanary%%2Fpage%%3Fsid%%3Dbeaconzqxi01%%23fragzqxi02&e=load&w=md&ld=120&uid=beaconzqxi03&_id=beaconzqxi04 HTTP/1.1\" 200 43 \"https://ref.example/?r=zqxi05\" \"$UA1\"\n" 30
	printf "$V4 - - $T \"GET /logfold.gif?p=%%2Fcanary%%2Fpage&e=click&lb=zqxi06a1b2c3d4e5f6a7b8c9 HTTP/1.1\" 200 43 \"-\" \"$UA1\"\n" 31
	printf "$V4 - - $T \"GET /logfold.gif?p=%%2Fcanary%%2Fpage&e=click&lb=order.zqxk01a2b3c4d5e6f7a8b9 HTTP/1.1\" 200 43 \"-\" \"$UA1\"\n" 32
	printf "$V4 - - $T \"GET /logfold.gif?p=%%2Fcanary%%2Fpage&e=click&lb=mailzqxi07%%40example.org HTTP/1.1\" 200 43 \"-\" \"$UA1\"\n" 33
	printf "$V4 - - $T \"GET /logfold.gif?p=%%2Fcanary%%2Fpage&e=select&lb=selectedtextzqxi08 HTTP/1.1\" 200 43 \"-\" \"$UA1\"\n" 34
	printf "$V4 - - $T \"GET /logfold.gif?p=%%2Fcanary%%2Fpage&e=leave&en=30&sc=50&vid=zqxi09 HTTP/1.1\" 200 43 \"-\" \"$UA1\"\n" 35
	printf "$V6 - - $T \"GET /matomo.php?idsite=1&rec=1&url=https%%3A%%2F%%2Fwww.canary.example%%2Fcanary%%2Fother%%3Femail%%3Dzqxj01&res=1920x1080&pf_net=5&_id=zqxj02abcdef&uid=zqxj03&cid=zqxj04&_idts=zqxj05&_idvc=zqxj06&_viewts=zqxj07&cvar=%%7B%%22zqxj08%%22%%7D&_cvar=zqxj09&dimension1=zqxj10&dimension42=zqxj11&_rcn=zqxj12&_rck=zqxj13&pv_id=zqxj14&uadata=zqxj15&_ref=https%%3A%%2F%%2Fzqxj16.example HTTP/1.1\" 200 43 \"-\" \"$UA2\"\n" 36
	printf "$V6 - - $T \"GET /matomo.php?url=%%2Fcanary%%2Fother&e_c=zqxj17a1b2c3d4e5f6a7b8c9&e_a=mail&e_n=zqxj18%%40example.org&uid=zqxj19 HTTP/1.1\" 200 43 \"-\" \"$UA2\"\n" 37
	printf "$V6 - - $T \"GET /matomo.php?url=%%2Fcanary%%2Fother&link=https%%3A%%2F%%2Fout.example%%2Fpathzqxj20%%3Fq%%3Dzqxj21&_id=zqxj22 HTTP/1.1\" 200 43 \"-\" \"$UA2\"\n" 38
	printf "$V6 - - $T \"GET /piwik.php?url=%%2Fcanary%%2Fother&download=https%%3A%%2F%%2Fx.example%%2Ffilezqxj23.pdf%%3Ftoken%%3Dzqxj24 HTTP/1.1\" 200 43 \"-\" \"$UA2\"\n" 39
	printf "$V6 - - $T \"GET /matomo.php?url=%%2Fcanary%%2Fother&ping=1&pv_id=zqxj25&_idn=zqxj26 HTTP/1.1\" 200 43 \"-\" \"$UA2\"\n" 40
	# one visitor's own measures (issue 14: the small-cell rule): a load
	# time, engaged seconds and a click label no other visitor shares; with
	# K >= 5 no table may hold them (KNEEDLES), with K = 1 they are there
	printf "$V6 - - $T \"GET /logfold.gif?p=%%2Fcanary%%2Fother&e=load&w=xl&ld=58831 HTTP/1.1\" 200 43 \"-\" \"$UA2\"\n" 46
	printf "$V6 - - $T \"GET /logfold.gif?p=%%2Fcanary%%2Fother&e=leave&en=6827&sc=100 HTTP/1.1\" 200 43 \"-\" \"$UA2\"\n" 47
	printf "$V6 - - $T \"GET /logfold.gif?p=%%2Fcanary%%2Fother&e=click&lb=kcanarylabel HTTP/1.1\" 200 43 \"-\" \"$UA2\"\n" 48
	# malformed lines full of identifiers: reported by number only
	printf "$V4 identzqxg01 userzqxg02 [20/Foo/2024:10:10:00 +0000] \"GET /canary/page?malzqxg03=1 HTTP/1.1\" 200 1 \"-\" \"uazqxg04\"\n"
	printf "zqxg05 garbage $V4 $V6 $M4 uazqxg06\n"
	# enough ordinary lines (tokens in their queries and agents) to stay
	# under the default 10 %% malformed limit
	for i in 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29; do
		printf "$V4 - - $T \"GET /canary/n$i?idzqxh$i=$i HTTP/1.1\" 200 512 \"-\" \"$UA1\"\n" "$i"
	done
} >"$W/in/access.log"
gzip -n -c "$W/in/access.log" >"$W/in/access.log.gz"
# a gzip cut short in its second member (an error path that names the file)
{
	head -n 12 "$W/in/access.log" | gzip -n
	tail -n +13 "$W/in/access.log" | gzip -n | head -c 40
} >"$W/in/truncated.gz"
# the same log moved a day on, for the run that replaces a day
sed 's|20/Jun/2024|21/Jun/2024|' "$W/in/access.log" >"$W/in/next.log"
# the same log as vcombined, "%v:%p " in front of every line
sed 's|^|www.canary.example:443 |' "$W/in/access.log" >"$W/in/vhost.log"
# the same log through an nginx format string, with X-Forwarded-For (the
# client is taken from it: the canary address behind a trusted proxy), a
# cookie and Do-Not-Track header, read by --log-format
sed 's|$| "'"$V4"', 10.0.0.1" "sessionid=cookiezqxn01; pref=zqxn02" "dntzqxn03"|' \
	"$W/in/access.log" >"$W/in/nginx.log"
NGINX_FMT='$remote_addr $remote_ident $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" "$http_x_forwarded_for" "$http_cookie" "$http_dnt"'
# a W3C log (#Fields, '+' for spaces) and a Caddy JSON log, every
# identifying field with a token
{
	echo '#Software: Microsoft Internet Information Services 10.0'
	echo '#Fields: date time c-ip cs-username cs-method cs-uri-stem cs-uri-query sc-status cs(User-Agent) cs(Referer) cs(Cookie) x-forwarded-for'
	for i in 10 11 12 13 14 15 16 17 18 19 20 21; do
		echo "2024-06-20 10:$i:00 $V4 userzqxw01 GET /canary/w$i qzqxw02=$i 200 Mozilla/5.0+(X11;+uazqxw03) https://ref.example/refzqxw04 ASPSESSIONID=cookiezqxw05 $V6"
	done
	echo "2024-06-20 10:30:00 $M4 - GET /canary/w q=zqxw06 200 Mozilla/5.0+(uazqxw07) - - -"
	echo '#Fields: date time c-ip cs-method cs-uri-stem sc-status'
	echo "2024-06-20 10:31:00 $V6 GET /canary/w?qzqxw08=1 200"
	echo "2024-06-20 10:32:00 zqxw09 garbage"
} >"$W/in/w3c.log"
{
	for i in 10 11 12 13 14 15 16 17 18 19 20 21; do
		printf '{"level":"info","ts":17188776%s.5,"logger":"http.log.access","msg":"handled request","request":{"remote_ip":"10.0.0.9","remote_port":"5%s","client_ip":"%s","proto":"HTTP/2.0","method":"GET","host":"www.canary.example","uri":"/canary/j%s?qzqxj01=1#fzqxj02","headers":{"User-Agent":["Mozilla/5.0 (uazqxj03 \\u007aqxj04)"],"Cookie":["sid=cookiezqxj05"],"Referer":["https://ref.example/refzqxj06"],"X-Forwarded-For":["%s"]}},"user_id":"userzqxj07","duration":0.01,"size":10,"status":200}\n' \
			"$i" "$i" "$V6" "$i" "$V4"
	done
	echo '{"ts":1718877700,"request":{"client_ip":"zqxj08'
} >"$W/in/caddy.log"
# internal referrers (issue 14): paths of the site itself with tokens in an
# excluded area, off the allow-list, in identifier-shaped segments, under a
# rewrite and in a query; read with --site www.canary.example and those
# rules (run refrules), where each must be reduced by the page rules.
RUA='Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0'
{
	n=0
	for ref in /canary/admin/panelzqxr01/users /canary/offlist/secretzqxr02 \
		/canary/u/mailzqxr03@example.org/orders /canary/reset/zqxr04a1b2c3d4e5f6a7b8c9 \
		/canary/tel/$DIGITS '/canary/page?q=zqxr05#fragzqxr06' /canary/item/zqxr07/x \
		/canary/auth/eyJzqxr08aGVsbG8.eyJzqxr09d29ybGQ.c2lnzqxr10; do
		n=$((n + 1))
		printf '198.51.%d.%d - - [20/Jun/2024:11:%02d:00 +0000] "GET /canary/ok HTTP/1.1" 200 1 "https://www.canary.example%s" "%s"\n' \
			"$n" "$n" "$n" "$ref" "$RUA"
	done
} >"$W/in/refrules.log"
# issue 15's variants: IIS Advanced Logging (local time, every value in
# quotes, a cookie with spaces), Incapsula's W3C export (host/path in
# cs-uri), Traefik's JSON (headers as request_*) and Matomo's nginx JSON
{
	echo '#Software: IIS Advanced Logging Module'
	echo ''
	echo '#Fields:  date-local time-local  c-ip cs(User-Agent) cs(Cookie) cs(Referer) cs-uri-stem cs-uri-query cs-username sc-status TimeTakenMS'
	for i in 10 11 12 13 14 15 16 17 18 19 20 21; do
		echo "2024-06-20 10:$i:00.500 \"$V4\" \"Mozilla/5.0 (X11; uazqxv01)\" \"sid=cookiezqxv02; x=\"\"zqxv03 y\"\"\" \"https://ref.example/refzqxv04?q=zqxv05\" /canary/v$i \"qzqxv06=1\" \"userzqxv07\" 200 15"
	done
	echo "2024-06-20 10:30:00.000 \"$V6\" \"unterminated zqxv08 200"
} >"$W/in/iisadv.log"
{
	echo '#Software: Incapsula LOGS API'
	echo '#Fields: date time cs-vid c-ip cs(User-Agent) cs-sessionid cs-uri cs(Referrer) cs-method cs-uri-query sc-status s-xff'
	for i in 10 11 12 13 14 15 16 17 18 19 20 21; do
		echo "\"2024-06-20\" \"10:$i:00\" \"vidzqxi01\" \"$V4\" \"Mozilla/5.0 (uazqxi02)\" \"sesszqxi03\" \"www.canary.example/canary/i$i\" \"https://ref.example/refzqxi04\" \"GET\" \"qzqxi05=1\" \"200\" \"$V6\""
	done
} >"$W/in/incapsula.log"
{
	for i in 10 11 12 13 14 15 16 17 18 19 20 21; do
		printf '{"ClientAddr":"%s:5%s","ClientHost":"%s","ClientUsername":"userzqxt01","DownstreamStatus":200,"Duration":12000000,"RequestHost":"www.canary.example","RequestMethod":"GET","RequestPath":"/canary/t%s?qzqxt02=1","StartLocal":"2024-06-20T10:%s:00+00:00","request_User-Agent":"Mozilla/5.0 (uazqxt03)","request_Referer":"https://ref.example/refzqxt04","request_Cookie":"sid=cookiezqxt05","request_X-Forwarded-For":"%s","downstream_Content-Type":"text/html"}\n' \
			"$V4" "$i" "$V4" "$i" "$i" "$V6"
	done
} >"$W/in/traefik.log"
{
	for i in 10 11 12 13 14 15 16 17 18 19 20 21; do
		printf '{"ip": "%s","host": "www.canary.example","path": "/canary/m%s?qzqxm01=1","status": "200","referrer": "https://ref.example/refzqxm02?s=zqxm03","user_agent": "Mozilla/5.0 (uazqxm04)","length": 10,"generation_time_milli": 0.010,"date": "2024-06-20T10:%s:00+00:00"}\n' \
			"$M4" "$i" "$i"
	done
} >"$W/in/matomo.log"
# and with one line in ten for another host, the only one allowed (and
# only its root page: the rest are dropped), so nearly all are skipped
awk '{ printf "%s %s\n", (NR % 10 == 0 ? "other.example" : "www.canary.example:443"), $0 }' \
	"$W/in/access.log" >"$W/in/vhost_mixed.log"
printf 'other.example 192.0.2.99 - - [20/Jun/2024:11:00:00 +0000] "GET / HTTP/1.1" 200 1 "-" "Mozilla/5.0"\n' >>"$W/in/vhost_mixed.log"

# --- what must never appear -----------------------------------------------
# Text needles, searched case-insensitively. zqx is in every token.
TOKENS=$(grep -haoiE '[a-z]*zqx[a-z0-9]*' "$W/in/access.log" "$W/in/nginx.log" "$W/in/w3c.log" \
	"$W/in/caddy.log" "$W/in/refrules.log" "$W/in/iisadv.log" "$W/in/incapsula.log" \
	"$W/in/traefik.log" "$W/in/matomo.log" | sort -u)
NEEDLES_COMMON="zqx
$UUID
5ca1ab1e
c0ffee15c0de
$DIGITS
%7Aqx
%7A%71%78
\\x7Aqx
7a7178
$V4
100.187
$V6
9abc:def0
1234:5678
203.0.113.199
113.199
$TOKENS"
# with the default --mask-bytes 2, the masked-away bytes too
NEEDLES_MASK2="198.51.100
beef:1234
dead:beef"
# one visitor's own measures (above): in no table of a run with K >= 5
# (searched in the files written, not in stderr, whose timings are numbers)
KNEEDLES="58831
6827
kcanarylabel"
# binary needles (hex of the raw bytes): the full addresses, the parts masked away
BIN_COMMON="c63364bb
20010db8deadbeef123456789abcdef0
123456789abcdef0
cb0071c7
ffffcb0071c7"
BIN_MASK2="c63364
beef123456789abcdef0"

# bytes_re HEX: a grep -P pattern (under LC_ALL=C) for those bytes.
bytes_re() { printf '%s' "$1" | sed 's/../\\x&/g'; }

# scan_file FILE TEXT-NEEDLES BIN-NEEDLES: print one line per needle found.
# One grep per kind of needle tells a clean file (nearly every one) at
# once; only a file where one occurs is searched needle by needle, to name
# each that does.
scan_file() {
	local f=$1 n list
	[ -f "$f" ] || return 0 # another program's temp file, gone already
	list=$(grep -v '^$' <<<"$2")
	if [ -n "$list" ] && LC_ALL=C grep -saqiF -- "$list" "$f"; then
		while IFS= read -r n; do
			LC_ALL=C grep -saqiF -- "$n" "$f" && echo "'$n' in ${f#"$W"/}"
		done <<<"$list"
	fi
	[ -s "$f" ] || return 0
	list=
	while IFS= read -r n; do
		[ -n "$n" ] && list="${list:+$list|}$(bytes_re "$n")"
	done <<<"$3"
	if [ -n "$list" ] && LC_ALL=C grep -saqP -- "$list" "$f"; then
		while IFS= read -r n; do
			[ -z "$n" ] && continue
			LC_ALL=C grep -saqP -- "$(bytes_re "$n")" "$f" && echo "bytes $n in ${f#"$W"/}"
		done <<<"$3"
	fi
	return 0
}

# check_db DB: no identifier-shaped column, no address- or hash-shaped value.
check_db() {
	local db=$1 cols dump
	cols=$(sqlite3 -batch "$db" "SELECT m.name || '.' || p.name FROM sqlite_master m, pragma_table_info(m.name) p WHERE m.type = 'table';" 2>&1)
	echo "$cols" | grep -iE '\.(ip|client|address|addr|agent|user_agent|useragent|ua|user|ident|hash|visitor|visitor_id|referer|referrer|query|fragment|cookie)$' |
		sed 's/^/identifier-shaped column: /'
	# resume keeps, per input, what recognises it without a byte of it: the
	# fingerprint of its first lines' signatures (computed from what they
	# reduce to), line numbers, the days of its lines, the name it was given;
	# resume_days the open days it holds. Their schemas are checked here,
	# and every value: the integers are integers, the fingerprint is not
	# scanned as a hash (it is one, of reduced values: nothing to recover a
	# line from), and every text (names, sites, days) goes to the scans.
	local rcols rtypes
	# (a database of another program or version, found in /tmp: no resume)
	if [ "$(sqlite3 -batch "$db" "SELECT count(*) FROM sqlite_master WHERE name IN ('resume', 'resume_days')" 2>&1)" = 2 ]; then
		rcols=$(sqlite3 -batch "$db" "SELECT group_concat(name || ':' || type, ' ') FROM pragma_table_info('resume')" 2>&1)
		[ "$rcols" = "fingerprint:INTEGER fp_lines:INTEGER name:TEXT closed_line:INTEGER reached_line:INTEGER first_day:TEXT last_day:TEXT" ] ||
			echo "resume holds more than a fingerprint, line numbers, days and a name: $rcols"
		rcols=$(sqlite3 -batch "$db" "SELECT group_concat(name || ':' || type, ' ') FROM pragma_table_info('resume_days')" 2>&1)
		[ "$rcols" = "fingerprint:INTEGER fp_lines:INTEGER site:TEXT day:TEXT" ] ||
			echo "resume_days holds more than points' open days: $rcols"
		rtypes=$(sqlite3 -batch "$db" "SELECT DISTINCT typeof(fingerprint) || typeof(fp_lines) || typeof(closed_line) || typeof(reached_line) FROM resume UNION SELECT DISTINCT typeof(fingerprint) || typeof(fp_lines) || 'integerinteger' FROM resume_days" 2>&1)
		[ -z "$rtypes" ] || [ "$rtypes" = "integerintegerintegerinteger" ] ||
			echo "resume holds a number that is not an integer: $rtypes"
		rtypes=$(sqlite3 -batch "$db" "SELECT count(*) FROM resume WHERE NOT fp_lines BETWEEN 1 AND 64 OR closed_line > reached_line OR first_day NOT GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' OR last_day NOT GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'" 2>&1)
		[ "$rtypes" = 0 ] || echo "resume has a row out of shape: $rtypes"
		rtypes=$(sqlite3 -batch "$db" "SELECT count(*) FROM resume_days WHERE day NOT GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'" 2>&1)
		[ "$rtypes" = 0 ] || echo "resume_days has a day that is not one: $rtypes"
		# days: the state, and the K and mask each day was computed with
		rtypes=$(sqlite3 -batch "$db" "SELECT count(*) FROM days WHERE typeof(min_visitors) NOT IN ('integer', 'null') OR typeof(mask_bytes) NOT IN ('integer', 'null')" 2>&1)
		[ "$rtypes" = 0 ] || echo "days holds a K or mask that is not a number: $rtypes"
	fi
	# database_id holds one random integer; merge_sources and every
	# merge_TABLE say whose rows by that integer (source_id). A random
	# 63-bit number is as long as a hash: those columns are checked for
	# their type here and left out of the scans below, which read every
	# other column of every other table.
	# (a database of another program or version, found in /tmp: none)
	local ids
	if [ "$(sqlite3 -batch "$db" "SELECT count(*) FROM sqlite_master WHERE name = 'database_id'" 2>&1)" = 1 ]; then
		ids=$(sqlite3 -batch "$db" "SELECT group_concat(name || ':' || type, ' ') FROM pragma_table_info('database_id')" 2>&1)
		[ "$ids" = "id:INTEGER" ] || echo "database_id holds more than one integer: $ids"
		ids=$(sqlite3 -batch "$db" "SELECT count(*) || ':' || group_concat(DISTINCT typeof(id)) FROM database_id" 2>&1)
		[ "$ids" = "1:integer" ] || echo "database_id is not one integer: $ids"
		ids=$(for t in $(sqlite3 -batch "$db" "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'merge\_%' ESCAPE '\'"); do
			sqlite3 -batch "$db" "SELECT DISTINCT typeof(source_id) FROM $t"; done 2>&1 | sort -u)
		[ -z "$ids" ] || [ "$ids" = integer ] || echo "a source_id that is not an integer: $ids"
	fi
	dump=$(for t in $(sqlite3 -batch "$db" "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT IN ('resume', 'resume_days', 'database_id')"); do
		cols=$(sqlite3 -batch "$db" "SELECT group_concat(name, ', ') FROM pragma_table_info('$t') WHERE name <> 'source_id'")
		sqlite3 -batch "$db" "SELECT sql FROM sqlite_master WHERE name = '$t'"
		sqlite3 -batch -quote "$db" "SELECT $cols FROM $t"; done 2>&1
		sqlite3 -batch "$db" "SELECT name, first_day, last_day FROM resume; SELECT site, day FROM resume_days" 2>/dev/null)
	echo "$dump" | grep -oE '([0-9]{1,3}\.){3}[0-9]{1,3}' | sed 's/^/address-shaped value: /'
	echo "$dump" | grep -oiE "[0-9a-f]{16,}|X'[0-9a-f]+'" | sed 's/^/hash-shaped value: /'
	return 0
}

# check_k DB: every row of the tables under the small-cell rule stands for
# at least 5 visitors (K's default), "(other)" rows included.
check_k() {
	local t n
	for t in breakdown_daily action_daily engagement_daily load_hourly; do
		n=$(sqlite3 -batch "$1" "SELECT count(*) FROM $t WHERE visitors < 5" 2>&1)
		[ "$n" = 0 ] || echo "$t: $n rows of fewer than 5 visitors in ${1#"$W"/}"
	done
	return 0
}

ok() {
	pass=$((pass + 1))
}
bad() {
	fail=$((fail + 1))
	echo "FAIL canary $1"
	[ $# -gt 1 ] && printf '%s\n' "$2" | sed 's/^/    /'
	return 0
}

# --- the search must see every token in the input -------------------------
self=$(cat "$W/in/access.log" "$W/in/nginx.log" "$W/in/w3c.log" "$W/in/caddy.log" \
	"$W/in/refrules.log" "$W/in/iisadv.log" "$W/in/incapsula.log" "$W/in/traefik.log" \
	"$W/in/matomo.log" >"$W/in/all.txt"
	scan_file "$W/in/all.txt" "$NEEDLES_COMMON" "")
missing=
while IFS= read -r n; do
	[ -z "$n" ] && continue
	case $n in '%7Aqx' | '\x7Aqx' | 7a7178 | 1234:5678 | 9abc:def0 | 100.187 | 113.199 | 5ca1ab1e | c0ffee15c0de) continue ;; esac
	printf '%s\n' "$self" | grep -qiF -- "'$n' in" || missing="$missing $n"
done <<<"$NEEDLES_COMMON"
if [ -z "$missing" ] && [ "$(echo "$TOKENS" | wc -l)" -ge 40 ]; then
	ok
else
	bad "self-test: the search misses needles in the input:$missing ($(echo "$TOKENS" | wc -l) tokens)"
fi

# --- the runs -------------------------------------------------------------
# run NAME WANT-STATUS OUTPUTS STDIN ARGS...: run logfold in a fresh cwd and
# TMPDIR, then search everything written. OUTPUTS says which tables must
# exist afterwards: db, csv, both, cwddb or none. STDIN is a file or -.
run() {
	local name=$1 want=$2 outputs=$3 stdin=$4
	shift 4
	local d=$W/$name
	mkdir -p "$d/cwd" "$d/tmp" "$d/out"
	touch "$d/.start"
	local rc=0
	if [ "$stdin" = - ]; then
		(cd "$d/cwd" && TMPDIR=$d/tmp exec "$LOGFOLD" "$@" </dev/null) >"$d/stdout" 2>"$d/stderr" || rc=$?
	else
		(cd "$d/cwd" && TMPDIR=$d/tmp exec "$LOGFOLD" "$@" <"$stdin") >"$d/stdout" 2>"$d/stderr" || rc=$?
	fi
	local problems=
	[ "$rc" = "$want" ] || problems="exit status $rc, want $want ($(head -c 300 "$d/stderr"))"
	local text=$NEEDLES_COMMON bin=$BIN_COMMON
	if [ "$name" != mask1 ]; then
		text="$text
$NEEDLES_MASK2"
		bin="$bin
$BIN_MASK2"
	fi
	local f found=
	while IFS= read -r f; do
		case $f in
		"$d"/*) found="$found$(scan_file "$f" "$text" "$bin")
" ;;
		# a file outside the run's directories may be another program's:
		# search it only for the zqx tokens, which nothing else contains
		*) found="$found$(scan_file "$f" "$(grep -i 'zqx\|7a7178\|%7a' <<<"$text")" "")
" ;;
		esac
		case $f in
		*.db) found="$found$(check_db "$f")
" ;;
		# the rollback journal holds a run's pages as they were (deleted
		# rows included) only until the commit cuts it to nothing; no WAL
		# (the run's own files: in /tmp another program may be mid-run)
		"$d"/*.db-journal) [ -s "$f" ] && found="$found
journal left with content: ${f#"$W"/}" ;;
		"$d"/*.db-wal) found="$found
WAL file left: ${f#"$W"/}" ;;
		esac
	done < <(
		find "$d" -type f ! -name .start
		# and anything new in the system temp directories, in case some
		# code ignores TMPDIR (glibc's tmpfile() does); but not the unit
		# tests' fixture folders (tests/unit/fixture.h: lf_TAG_XXXXXX),
		# whose random text may hold a token when they run alongside
		find /tmp /var/tmp -maxdepth 2 -type f -newer "$d/.start" -size -50M \
			! -path "$W/*" ! -path '/tmp/lf_*_??????/*' 2>/dev/null
	)
	# K >= 5 (every run but those that set K = 1): no one visitor's own
	# measures in the files written, and no row of the tables under the
	# small-cell rule of fewer than 5 visitors
	local db=
	case $outputs in
	db | both) db=$d/out/logfold.db ;;
	cwddb) db=$d/cwd/logfold.db ;;
	csvdb) db=$d/out/csv.db ;; # --csv alone: the database beside the directory
	esac
	case " $* " in
	# a shard's database keeps its cells unfolded by design (partial:
	# refused by report, CSV and privacy, never published); the merge of
	# the set is searched as any database
	*" --min-visitors 1 "* | *" --shard "*) ;;
	*)
		while IFS= read -r f; do
			found="$found$(scan_file "$f" "$KNEEDLES" "")
"
		done < <(find "$d/out" "$d/cwd" -type f 2>/dev/null)
		[ -n "$db" ] && [ -f "$db" ] && found="$found$(check_k "$db")
"
		;;
	esac
	found=$(printf '%s' "$found" | grep -v '^$')
	[ -n "$found" ] && problems="$problems
$found"
	# the run must really have written its tables, or the search proves nothing
	if [ -n "$db" ]; then
		local rows
		rows=$(sqlite3 -batch "$db" 'SELECT count(*) FROM page_daily;' 2>&1)
		[ "$rows" -gt 0 ] 2>/dev/null || problems="$problems
no page_daily rows in ${db#"$W"/}: $rows"
	fi
	case $outputs in
	csv | both | csvdb)
		[ "$(wc -l <"$d/out/csv/page_daily.csv" 2>/dev/null || echo 0)" -gt 1 ] ||
			problems="$problems
no page_daily rows in $name/out/csv/page_daily.csv"
		;;
	esac
	problems=$(printf '%s' "$problems" | grep -v '^$')
	if [ -z "$problems" ]; then
		ok
	else
		bad "$name:" "$problems"
	fi
}

IN=$W/in
run db_only 0 db - --db "$W/db_only/out/logfold.db" "$IN/access.log"
run csv_only 0 csvdb - --csv "$W/csv_only/out/csv" "$IN/access.log"
run both 0 both - --db "$W/both/out/logfold.db" --csv "$W/both/out/csv" "$IN/access.log"
run default_db 0 cwddb - "$IN/access.log"
run stdin 0 both "$IN/access.log" --db "$W/stdin/out/logfold.db" --csv "$W/stdin/out/csv" -
run gzip_file 0 both - --db "$W/gzip_file/out/logfold.db" --csv "$W/gzip_file/out/csv" "$IN/access.log.gz"
run gzip_stdin 0 both "$IN/access.log.gz" --db "$W/gzip_stdin/out/logfold.db" --csv "$W/gzip_stdin/out/csv"
run site 0 both - --site canary.example --db "$W/site/out/logfold.db" --csv "$W/site/out/csv" "$IN/access.log"
run vcombined 0 both - --format vcombined --db "$W/vcombined/out/logfold.db" --csv "$W/vcombined/out/csv" "$IN/vhost.log"
# internal referrers through the page rules (issue 14): excluded, off the
# allow-list, identifier-shaped, rewritten; K = 1 so that every value is
# written, and then it is exactly the reduced ones
run refrules 0 both - --site www.canary.example --min-visitors 1 --page-exclude '^/canary/admin' \
	--page-allow '^/canary/(ok|u|reset|tel|page|item|auth)' --page-rewrite '^/canary/item/[^/]+=>/canary/item/:id' \
	--db "$W/refrules/out/logfold.db" --csv "$W/refrules/out/csv" "$IN/refrules.log"
kept=$(sqlite3 -batch "$W/refrules/out/logfold.db" "SELECT DISTINCT value FROM breakdown_daily WHERE dimension = 'referrer' ORDER BY value;" 2>&1)
want='(other)
/canary/auth/:token
/canary/item/:id/x
/canary/page
/canary/reset/:token
/canary/tel/:num
/canary/u/:email/orders'
if [ "$kept" = "$want" ]; then ok; else bad "internal referrer values" "$kept"; fi
# K = 1: no label folds into (other), so the beacon labels are written as
# cleaned, and must carry none of their identifiers
run k1 0 both - --min-visitors 1 --db "$W/k1/out/logfold.db" --csv "$W/k1/out/csv" "$IN/access.log"
# and the one visitor's own measures are there with K = 1 (so that their
# absence elsewhere means the rule, not a search that cannot find them)
kept=$(sqlite3 -batch "$W/k1/out/logfold.db" "SELECT (SELECT count(*) FROM load_hourly WHERE max_ms = 58831), (SELECT count(*) FROM engagement_daily WHERE engaged_s >= 6827), (SELECT count(*) FROM action_daily WHERE label = 'kcanarylabel');" 2>&1)
if [ "$kept" = "1|1|1" ]; then ok; else bad "k1: the one visitor's measures are not there with K = 1" "$kept"; fi
run mask1 0 both - --mask-bytes 1 --db "$W/mask1/out/logfold.db" --csv "$W/mask1/out/csv" "$IN/access.log"
run truncated 3 both - --db "$W/truncated/out/logfold.db" --csv "$W/truncated/out/csv" "$IN/truncated.gz"
run nginx_string 0 both - --log-format "$NGINX_FMT" --client-ip xff-last --trusted-proxy 10.0.0.0/8 --db "$W/nginx_string/out/logfold.db" --csv "$W/nginx_string/out/csv" "$IN/nginx.log"
run w3c 0 both - --format w3c --db "$W/w3c/out/logfold.db" --csv "$W/w3c/out/csv" "$IN/w3c.log"
run caddy_json 0 both - --client-ip xff-first --tz Europe/Paris --db "$W/caddy_json/out/logfold.db" --csv "$W/caddy_json/out/csv" "$IN/caddy.log"
run iis_advanced 0 both - --min-visitors 1 --tz Europe/Paris --db "$W/iis_advanced/out/logfold.db" --csv "$W/iis_advanced/out/csv" "$IN/iisadv.log"
run incapsula 0 both - --min-visitors 1 --client-ip xff-last --db "$W/incapsula/out/logfold.db" --csv "$W/incapsula/out/csv" "$IN/incapsula.log"
run traefik_json 0 both - --min-visitors 1 --client-ip xff-first --db "$W/traefik_json/out/logfold.db" --csv "$W/traefik_json/out/csv" "$IN/traefik.log"
run matomo_json 0 both - --min-visitors 1 --db "$W/matomo_json/out/logfold.db" --csv "$W/matomo_json/out/csv" "$IN/matomo.log"
run rules 0 both - --site-allow Default --optout-field "user-agent=$UA3" --honor-gpc \
	--page-exclude '^/canary/missing' --page-allow '^/canary/(page|other|n1)' --keep-query lang \
	--page-rewrite '^/canary/(n2)[0-9]=>/canary/$1x' --db "$W/rules/out/logfold.db" --csv "$W/rules/out/csv" "$IN/access.log"
run vhost_rules 0 both - --format vcombined --site-allow other.example --page-allow-drop --page-allow '^/$' \
	--db "$W/vhost_rules/out/logfold.db" --csv "$W/vhost_rules/out/csv" "$IN/vhost_mixed.log"
run over_limit 1 none - --max-bad 1 --db "$W/over_limit/out/logfold.db" --csv "$W/over_limit/out/csv" "$IN/access.log"

# geography from a test database (tests/geo/mkmmdb.pl: 198.51.0.0/16 is FR,
# 198.51.100.0/24 DE, 2001:db8::/32 CA, 2001:db8:dead:beef::/64 US) and
# every referrer kept with K = 1
perl "$ROOT/tests/geo/mkmmdb.pl" "$W/in/geo.mmdb"
run geo 0 both - --geo region --geoip "$W/in/geo.mmdb" --min-visitors 1 \
	--db "$W/geo/out/logfold.db" --csv "$W/geo/out/csv" "$IN/access.log"
run referrers 0 both - --min-visitors 1 --site-alias WWW.canary.example --referrer-domain \
	--db "$W/referrers/out/logfold.db" --csv "$W/referrers/out/csv" "$IN/access.log"
# ... and what they kept is the host, the page, the app id: nothing else
kept=$(sqlite3 -batch "$W/referrers/out/logfold.db" "SELECT DISTINCT value FROM breakdown_daily WHERE dimension = 'referrer' ORDER BY value;" 2>&1)
want='(direct)
(invalid)
/canary/page
com.example.app
ref.example'
if [ "$kept" = "$want" ]; then ok; else bad "referrer values" "$kept"; fi
kept=$(sqlite3 -batch "$W/geo/out/logfold.db" "SELECT DISTINCT value FROM breakdown_daily WHERE dimension IN ('country', 'region') ORDER BY value;" 2>&1)
# (the full addresses would give DE, DE-BE and US, US-WA)
want='(unknown)
CA
CA-QC
FR
FR-IDF'
if [ "$kept" = "$want" ]; then ok; else bad "geo values (masked lookup)" "$kept"; fi

# a database that already holds the days: this run replaces one of them
mkdir -p "$W/replace/out"
"$LOGFOLD" -q --db "$W/replace/out/logfold.db" "$IN/access.log" "$IN/next.log" >/dev/null 2>&1
run replace 0 db - --db "$W/replace/out/logfold.db" "$IN/next.log"

# the same, in a database another program put in WAL mode: the run takes
# it out (no WAL file is left, whose frames would keep the replaced rows)
mkdir -p "$W/wal/out"
"$LOGFOLD" -q --db "$W/wal/out/logfold.db" "$IN/access.log" "$IN/next.log" >/dev/null 2>&1
sqlite3 "$W/wal/out/logfold.db" "PRAGMA journal_mode = WAL" >/dev/null
run wal 0 db - --db "$W/wal/out/logfold.db" "$IN/next.log"

# nightly: a database that holds resume points; the same log again under
# another name and gzipped (read once, resumed), with a later file
mkdir -p "$W/nightly/out"
"$LOGFOLD" -q --db "$W/nightly/out/logfold.db" "$IN/access.log" >/dev/null 2>&1
mkdir -p "$W/nightly_in" && cp "$IN/access.log" "$W/nightly_in/access.log.1"
run nightly 0 db - --db "$W/nightly/out/logfold.db" "$W/nightly_in/access.log.1" "$IN/access.log.gz" "$IN/next.log"

# the progress line (issue 20): stdin held back past its 1 s delay, then
# the log 20 times (over a thousand lines, more than the 256 between two
# looks at the clock), so that it is drawn; it must say no more than names
# and counts
mkfifo "$W/in/slow.fifo"
(sleep 1.2; for i in $(seq 1 20); do cat "$IN/access.log"; done) >"$W/in/slow.fifo" &
run progress 0 both "$W/in/slow.fifo" --progress --db "$W/progress/out/logfold.db" \
	--csv "$W/progress/out/csv" -
wait
if grep -q '(stdin): [0-9]* lines' "$W/progress/stderr"; then ok; else
	bad "progress: no progress line drawn, the mode was not tried" "$(head -c 300 "$W/progress/stderr")"
fi
# a pipe, read once: its name (/dev/fd/N) and its lines' signatures stored
mkdir -p "$W/pipe/out"
run pipe 0 db - --db "$W/pipe/out/logfold.db" <(cat "$IN/access.log")

# an open day (20 June) held by access.log, which the run lacks: another
# log of 20 June (its first line's page changed: another input) is not
# counted into it; exit 3, the day as it was, both inputs' points stored
mkdir -p "$W/held/out"
sed '1s|/canary/page|/canary/first|' "$IN/access.log" >"$W/in/other20.log"
"$LOGFOLD" -q --db "$W/held/out/logfold.db" "$IN/access.log" >/dev/null 2>&1
run held 3 db - --db "$W/held/out/logfold.db" "$W/in/other20.log"

# merge and prune write databases of their own
mkdir -p "$W/merge/out" "$W/prune/out"
run merge 0 db - merge "$W/merge/out/logfold.db" "$W/db_only/out/logfold.db" "$W/both/out/logfold.db"
cp "$W/both/out/logfold.db" "$W/prune/out/logfold.db"
run prune 0 db - prune --retention 25 --db "$W/prune/out/logfold.db"
# a merge into a database that already holds merged and own days (its
# merge_ tables), again, with its tables exported; prune --csv alike
mkdir -p "$W/merge_again/out" "$W/prune_csv/out"
cp "$W/merge/out/logfold.db" "$W/merge_again/out/logfold.db"
"$LOGFOLD" -q --db "$W/merge_again/out/logfold.db" "$IN/next.log" >/dev/null 2>&1
run merge_again 0 both - merge --csv "$W/merge_again/out/csv" "$W/merge_again/out/logfold.db" \
	"$W/db_only/out/logfold.db" "$W/both/out/logfold.db" "$W/nightly/out/logfold.db"
cp "$W/merge_again/out/logfold.db" "$W/prune_csv/out/logfold.db"
run prune_csv 0 both - prune --retention 25 --db "$W/prune_csv/out/logfold.db" --csv "$W/prune_csv/out/csv"

# --shard (issue 19): a shard's database (its cells unfolded, its sets of
# values per visitor, its shard row) and the merge of the set
mkdir -p "$W/shard0/out" "$W/shard1/out" "$W/shard_merge/out"
run shard0 0 db - --shard 0/2 --db "$W/shard0/out/logfold.db" "$IN/access.log" "$IN/next.log"
run shard1 0 db - --shard 1/2 --db "$W/shard1/out/logfold.db" "$IN/access.log" "$IN/next.log"
run shard_merge 0 db - merge "$W/shard_merge/out/logfold.db" "$W/shard0/out/logfold.db" \
	"$W/shard1/out/logfold.db"

# every database's id is drawn at random: the databases of runs over the
# same log differ, so that no id can come from what was read (prune,
# merge_again and prune_csv work on copies, which keep their original's)
ids=$(for f in "$W"/*/out/logfold.db "$W"/*/out/csv.db "$W"/*/cwd/logfold.db; do
	case $f in "$W"/prune/* | "$W"/merge_again/* | "$W"/prune_csv/*) continue ;; esac
	[ -f "$f" ] && sqlite3 -batch "$f" "SELECT id FROM database_id"; done 2>&1)
if [ "$(echo "$ids" | wc -l)" -ge 20 ] && [ "$(echo "$ids" | sort -u | wc -l)" = "$(echo "$ids" | wc -l)" ] &&
	! echo "$ids" | grep -qv '^[0-9]*$'; then
	ok
else
	bad "database ids: not one distinct integer per database" "$ids"
fi

# the report, in every form, from the database the canary run wrote: it
# can only show what the tables hold, and must show it all escaped
run report_html 0 none - report --db "$W/both/out/logfold.db" -o "$W/report_html/out/report.html"
run report_public 0 none - report --public --db "$W/both/out/logfold.db" -o "$W/report_public/out/report.html"
run report_text 0 none - report --text --db "$W/both/out/logfold.db"
run report_json 0 none - report --json --db "$W/both/out/logfold.db"
run report_beacon 0 none - report --json --db "$W/k1/out/logfold.db"
# and written by a run's --report, with every breakdown value kept (K = 1)
run run_report 0 both - --min-visitors 1 --db "$W/run_report/out/logfold.db" --csv "$W/run_report/out/csv" \
	--report "$W/run_report/out/report.html" "$IN/access.log"
for f in report_html/out/report.html report_public/out/report.html report_text/stdout \
	report_json/stdout report_beacon/stdout run_report/out/report.html; do
	if [ -s "$W/$f" ]; then ok; else bad "report: '$f' is empty: the search proves nothing"; fi
done
mkdir -p "$W/prune_day/out"
cp "$W/replace/out/logfold.db" "$W/prune_day/out/logfold.db"
run prune_day 0 db - prune --day 2024-06-20 --db "$W/prune_day/out/logfold.db"

echo "canary: $pass passed, $fail failed"
[ $fail = 0 ]
