#!/bin/bash
# check-privacy.sh - the privacy controls end to end, where one case directory
# cannot say it:
#
#   opt-out byte identity  a log with opted-out requests added (some from a
#                          counted visitor's own address and agent, some that
#                          would be malformed, static, bots or POSTs) gives
#                          every table byte for byte what the log without them
#                          gives: CSV files, the SQLite tables, and the
#                          summary's counts. Only the input's size in runs.inputs
#                          differs (a fact about the file). A control run
#                          without the opt-out options must differ, so the
#                          test cannot pass by ignoring the added lines.
#   logfold privacy        ✓/✗ lines, exit status, --json (valid JSON, the same
#                          verdicts) and the policy paragraphs, for a good and
#                          a bad configuration; for every item that can fail,
#                          a configuration that passes and one that fails
#                          (mask, K, retention, each opt-out signal against a
#                          format that logs it and one that cannot, hosts,
#                          identifiers); the policy names what the run
#                          writes (browser, load times, beacon measures,
#                          referrer, country, proxies' header, K, retention,
#                          only the opt-outs the format can carry) and never
#                          "before anything else"; usage errors.
#   the run's warning      an opt-out the format cannot log: one warning on
#                          stderr, even with -q; none when it can.
#
# Last line: "privacy: N passed, N failed".

set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
LOGFOLD=${LOGFOLD:-$ROOT/logfold}
# The test logs are from 2024: a fixed "today" keeps --retention from
# skipping them as expired (cmd/options.c reads LOGFOLD_TODAY).
export LOGFOLD_TODAY=${LOGFOLD_TODAY:-2024-12-01}
W=$ROOT/build/check-privacy
rm -rf "$W"
mkdir -p "$W"
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() {
	fail=$((fail + 1))
	echo "FAIL privacy $1"
	[ $# -gt 1 ] && printf '%s\n' "$2" | sed 's/^/    /'
	return 0
}

# --- opt-out byte identity ------------------------------------------------
FF='Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0'
OPT_REF='https://www.example.org/optout'
OPT_UA='Mozilla/5.0 NoStats/1.0'
BASE=$ROOT/testdata/basic/access.log
mkdir -p "$W/a" "$W/b" "$W/c"
cp "$BASE" "$W/a/access.log"
# The basic log with opted-out lines interleaved: after line 1 (visitor A's
# own address and agent, which would otherwise join A's visit and change its
# time on page), a new page, a bad status, a POST, a static file, a bot
# agent, another day, and a line as long as the malformed one.
awk -v ref="$OPT_REF" -v ua="$OPT_UA" -v ff="$FF" '
{ print }
NR == 1 {
	printf "192.0.2.10 - - [10/May/2024:10:00:30 +0000] \"GET /about HTTP/1.1\" 200 1 \"%s\" \"%s\"\n", ref, ff
	printf "192.0.2.10 - - [10/May/2024:10:00:40 +0000] \"GET /secret-page HTTP/1.1\" 200 1 \"%s\" \"%s\"\n", ref, ff
}
NR == 5 {
	printf "203.0.113.9 - - [10/May/2024:10:05:00 +0000] \"GET /new HTTP/1.1\" 2x0 1 \"-\" \"%s\"\n", ua
	printf "203.0.113.9 - - [10/May/2024:10:05:01 +0000] \"POST /form HTTP/1.1\" 200 1 \"-\" \"%s\"\n", ua
	printf "203.0.113.9 - - [10/May/2024:10:05:02 +0000] \"GET /app.js HTTP/1.1\" 200 1 \"-\" \"%s\"\n", ua
	printf "203.0.113.9 - - [11/May/2024:10:05:03 +0000] \"GET /next-day HTTP/1.1\" 200 1 \"-\" \"%s\"\n", ua
	printf "192.0.2.20 - - [10/May/2024:10:05:04 +0000] \"GET / HTTP/1.1\" 200 1 \"%s\" \"Googlebot\"\n", ref
}' "$BASE" >"$W/b/access.log"
cp "$W/b/access.log" "$W/c/access.log"
[ "$(wc -l <"$W/b/access.log")" -eq $(($(wc -l <"$BASE") + 7)) ] || bad "setup: the opted-out lines were not added"

OPTS=(--optout-field "referer=$OPT_REF" --optout-field "user-agent=$OPT_UA" --honor-gpc)
(cd "$W/a" && "$LOGFOLD" "${OPTS[@]}" --csv csv --db out.db access.log) >"$W/a/stdout" 2>"$W/a/stderr"
rc_a=$?
(cd "$W/b" && "$LOGFOLD" "${OPTS[@]}" --csv csv --db out.db access.log) >"$W/b/stdout" 2>"$W/b/stderr"
rc_b=$?
(cd "$W/c" && "$LOGFOLD" --csv csv --db out.db access.log) >"$W/c/stdout" 2>"$W/c/stderr"
[ "$rc_a" = 0 ] && [ "$rc_b" = 0 ] && ok || bad "opt-out runs: exit $rc_a and $rc_b, want 0" "$(cat "$W/b/stderr")"

# tables: the CSVs byte for byte (runs.csv without the inputs' line counts:
# b's file has the opted-out lines more)
for f in "$W"/a/csv/*.csv; do
	n=$(basename "$f")
	if [ "$n" = runs.csv ]; then
		sed 's/""lines"":[0-9]*//' "$f" | cut -d, -f1,2,4- >"$W/a/runs.cmp"
		sed 's/""lines"":[0-9]*//' "$W/b/csv/$n" | cut -d, -f1,2,4- >"$W/b/runs.cmp"
		cmp -s "$W/a/runs.cmp" "$W/b/runs.cmp" && ok ||
			bad "opt-out: runs.csv differs" "$(diff "$W/a/runs.cmp" "$W/b/runs.cmp")"
	else
		cmp -s "$f" "$W/b/csv/$n" && ok || bad "opt-out: $n differs" "$(diff "$f" "$W/b/csv/$n")"
	fi
done
# the database, dumped with the inputs, resume points and id blanked
dump() {
	cp "$1" "$1.cmp"
	# (resume: the two inputs differ by the opted-out lines, so do their
	# line counts and the fingerprints that key their open days;
	# database_id: random, another in every database)
	sqlite3 -batch "$1.cmp" "UPDATE runs SET inputs = ''; DELETE FROM resume;
		DELETE FROM resume_days; DELETE FROM database_id;" .dump 2>&1
}
da=$(dump "$W/a/out.db")
db=$(dump "$W/b/out.db")
[ -n "$da" ] && [ "$da" = "$db" ] && ok || bad "opt-out: the databases differ" "$(diff <(echo "$da") <(echo "$db"))"
# the summary's counts (not its timing)
sa=$(grep -o '[0-9]* lines, .*)' "$W/a/stderr")
sb=$(grep -o '[0-9]* lines, .*)' "$W/b/stderr")
[ -n "$sa" ] && [ "$sa" = "$sb" ] && ok || bad "opt-out: summaries differ" "$sa
$sb"
# the control: without the options the added lines count
cmp -s "$W/a/csv/page_daily.csv" "$W/c/csv/page_daily.csv" &&
	bad "opt-out control: the added lines change nothing even without the options" || ok

# --- logfold privacy ----------------------------------------------------------
P=$W/privacy
mkdir -p "$P"
# A format that logs the opt-out signals it is asked to honour: the cookie
# and Sec-GPC headers ($http_cookie, $http_sec_gpc), and a duration.
NGINX_OPT='$host $remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" "$http_cookie" "$http_sec_gpc" $request_time'
cat >"$P/good.conf" <<EOF
# a configuration inside the exemption
log-format = $NGINX_OPT
mask-bytes = 2
site-allow = www.example.org
honor-gpc = true
optout-cookie = nostats
keep-query = lang
referrer-domain = true
# a database named: what a run would use (logfold privacy does not open it)
geoip = /usr/share/GeoIP/named.mmdb
[site www.example.org]
page-exclude = ^/admin
EOF
cat >"$P/bad.conf" <<'EOF'
mask-bytes = 1
min-visitors = 2
geo = region
geoip = /usr/share/GeoIP/named.mmdb
[site www.example.org]
keep-path-ids = true
EOF

# privacy_run NAME ARGS...: run it, keep stdout, stderr and the status.
privacy_run() {
	local name=$1
	shift
	(cd "$P" && "$LOGFOLD" privacy "$@") >"$P/$name.out" 2>"$P/$name.err"
	echo $? >"$P/$name.rc"
}
# has NAME LINE...: each line occurs in NAME's stdout.
has() {
	local name=$1 l
	shift
	for l in "$@"; do
		grep -qF -- "$l" "$P/$name.out" && ok || bad "$name: no line '$l'" "$(cat "$P/$name.out" "$P/$name.err")"
	done
}
hasnt() {
	local name=$1 l
	shift
	for l in "$@"; do
		grep -qF -- "$l" "$P/$name.out" && bad "$name: has '$l'" "$(cat "$P/$name.out")" || ok
	done
}
status() {
	[ "$(cat "$P/$1.rc")" = "$2" ] && ok || bad "$1: exit $(cat "$P/$1.rc"), want $2" "$(cat "$P/$1.out" "$P/$1.err")"
}
# item NAME ID VERDICT TEXT: the item ID of NAME's checklist is ✓ (VERDICT
# pass) or ✗ (fail), and its line holds TEXT.
item() {
	local mark=✓
	[ "$3" = fail ] && mark=✗
	grep -F -- "$mark $2:" "$P/$1.out" | grep -qF -- "$4" && ok ||
		bad "$1: no '$mark $2: ...$4...'" "$(grep -F -- "$2:" "$P/$1.out")"
}

# The good configuration: every item holds, so it is inside: exit 0.
privacy_run good --config good.conf
status good 0
has good "settings: good.conf and the command line" \
	"✓ query strings dropped: only kept: lang" \
	"✓ geography from the masked address, no finer than region: country only, looked up on the masked address only" \
	"✓ referrers host-only: external referrers by registrable domain, never their path or query" \
	"✓ identifiers in paths replaced" \
	"✓ bots excluded" "✓ no raw data kept: always" \
	"inside the CNIL consent exemption" \
	"Query strings are removed (except lang); identifiers in addresses (e-mail addresses, long numbers, tokens) are replaced; robots" \
	"paramètres des adresses sont supprimés (sauf lang) ; les identifiants" \
	"You can object to it by turning on your browser's Global Privacy Control signal, or with the opt-out link on this page." \
	"en activant le signal Global Privacy Control de votre navigateur"
[ "$(grep -c '^✗' "$P/good.out")" = 0 ] && ok || bad "good: an item fails" "$(cat "$P/good.out")"

# --- each item: a configuration that passes and one that fails -------------
# IP mask: 2 bytes pass (the line says what the full address is still used
# for: the visitor hash, and with a proxies' header the client), 1 fails.
item good "IP addresses masked" pass "the last 2 bytes of every IPv4 address zeroed (IPv6 kept to /48) before anything is stored or looked up; the full address is used only in memory, under the per-run key, to tell visitors apart"
privacy_run mask1 --config good.conf --mask-bytes 1
status mask1 1
item mask1 "IP addresses masked" fail "mask-bytes 1 zeroes only 1 byte of an IPv4 address (IPv6 kept to /64): set mask-bytes 2 or more"
privacy_run xff --config good.conf --client-ip xff-last --trusted-proxy 10.0.0.0/8
status xff 0
item xff "IP addresses masked" pass "to tell visitors apart and to pick the client from the proxies' header"
# K: 5 passes (the boundary), 4 fails.
item good "small-cell threshold" pass "no row of breakdown_daily, site_breakdown_daily, action_daily, engagement_daily or load_hourly stands for fewer than 5 visitors"
privacy_run k4 --config good.conf --min-visitors 4
status k4 1
item k4 "small-cell threshold" fail "min-visitors 4 publishes cells of fewer than 5 visitors: set min-visitors 5 or more"
# Retention: 13 and 20 pass (20 with the advice), above 25 is refused when
# the option is read (usage error, exit 2), none fails.
item good "retention at most 25 months" pass "days older than 13 months are deleted by every run into a database and by 'logfold prune', and older lines are not counted"
privacy_run ret20 --config good.conf --retention 20
status ret20 0
item ret20 "retention at most 25 months" pass "days older than 20 months are deleted by every run into a database and by 'logfold prune', and older lines are not counted; 13 recommended"
privacy_run ret26 --config good.conf --retention 26
status ret26 2
privacy_run retnone --config good.conf --retention none
status retnone 1
item retnone "retention at most 25 months" fail "retention none: days are never deleted; set retention to at most 25 months (13 recommended)"
# Opt-out: a marker whose field the format logs passes, one it cannot log
# fails, naming it. The cookie: the good format logs $http_cookie; combined
# logs no header at all.
item good "opt-out honoured" pass "requests carrying the opt-out marker are dropped uncounted (the format logs its field)"
privacy_run cookie_combined --config good.conf --format combined
status cookie_combined 1
item cookie_combined "opt-out honoured" fail "optout-cookie (the format logs no Cookie header) for site www.example.org can never match: format combined"
# GPC: a format string with $http_sec_gpc passes, vcombined fails.
privacy_run gpc_ok --log-format "$NGINX_OPT" --honor-gpc --site-allow a.example
item gpc_ok "opt-out honoured" pass "dropped uncounted"
privacy_run gpc_vcombined --format vcombined --honor-gpc --site-allow a.example
item gpc_vcombined "opt-out honoured" fail "honor-gpc (the format logs no Sec-GPC header) can never match: format vcombined"
# DNT: Caddy's JSON logs every request header (Dnt among them), common none.
privacy_run dnt_caddy --format caddy --honor-dnt --site-allow a.example
item dnt_caddy "opt-out honoured" pass "dropped uncounted"
privacy_run dnt_common --format common --honor-dnt
item dnt_common "opt-out honoured" fail "honor-dnt (the format logs no DNT header) can never match: format common"
# A field: combined logs the user agent, not an X-Optout header.
privacy_run field_ok --format combined --optout-field 'user-agent=NoStats'
item field_ok "opt-out honoured" pass "dropped uncounted"
privacy_run field_bad --format combined --optout-field 'X-Optout=1'
item field_bad "opt-out honoured" fail "optout-field x-optout (the format logs no such field) can never match: format combined"
# In a [site] section: named.
printf 'log-format = %s\n[site a.example]\noptout-cookie = x\n[site b.example]\nhonor-dnt = true\n' "$NGINX_OPT" >"$P/section.conf"
privacy_run section --config section.conf --honor-gpc --site-allow a.example --site-allow b.example
item section "opt-out honoured" fail "honor-dnt (the format logs no DNT header) for site b.example can never match"
# W3C: its fields are the log's #Fields line: passes, saying so.
privacy_run w3c --format w3c --optout-cookie x --site-allow a.example
item w3c "opt-out honoured" pass "when the log's #Fields line names its field"
# auto: the format is chosen at run time, so the check cannot tell: fails.
privacy_run auto --optout-cookie x
item auto "opt-out honoured" fail "the format is detected at run time (format auto): name it"
privacy_run none_optout --format combined
item none_optout "opt-out honoured" fail "no opt-out marker"
# Hosts: site-allow passes; a format without a virtual host passes; one
# with virtual hosts and no list fails.
item good "pages limited to the site's own hosts" pass "only 1 listed host counted (site-allow), checked before anything is recorded"
item field_ok "pages limited to the site's own hosts" pass "one site 'default': the format logs no virtual host"
privacy_run hosts_v --format vcombined
item hosts_v "pages limited to the site's own hosts" fail "any virtual host in the logs is counted: name the site's own with site-allow"
# Identifiers in paths: replaced by default; keep-path-ids fails.
privacy_run ids_kept --config good.conf --keep-path-ids
item ids_kept "identifiers in paths replaced" fail "keep-path-ids is set"

# The bad configuration (mask 1, K 2, a site keeping ids, no opt-out, any
# host): read as ./logfold.conf by default, options on top.
cp "$P/bad.conf" "$P/logfold.conf"
privacy_run bad --format auto
rm "$P/logfold.conf"
status bad 1
has bad "settings: logfold.conf and the command line" \
	"✗ IP addresses masked" "✗ small-cell threshold" \
	"✗ identifiers in paths replaced: keep-path-ids is set for site www.example.org" \
	"✗ opt-out honoured: no opt-out marker" \
	"✗ pages limited to the site's own hosts" \
	"✓ geography from the masked address, no finer than region: country and ISO 3166-2 region" \
	"✓ referrers host-only: external referrers by host," \
	"then it is shortened (1 byte removed) and serves only to find the country and region." \
	"puis elle est tronquée (1 octet effacé) et ne sert qu'à en déduire le pays et la région."
hasnt bad "identifiers in addresses" "You can object"

# --- the policy says what the run writes, and nothing false -----------------
# The address: never "shortened before anything else" (the full address
# makes the visitor hash, and may pick the client from X-Forwarded-For).
hasnt good "before anything else" "avant tout traitement"
has good "Your IP address is never stored: in full, it serves only in memory during one processing run, to tell visitors apart by a random key destroyed afterwards; then it is shortened (2 bytes removed) and serves only to find the country." \
	"Votre adresse IP n'est jamais conservée : entière, elle ne sert qu'en mémoire pendant un traitement, à distinguer les visiteurs par une clé aléatoire détruite ensuite ; puis elle est tronquée (2 octets effacés) et ne sert qu'à en déduire le pays."
has xff "to tell visitors apart by a random key destroyed afterwards and to find your address behind our proxies;" \
	"et à retrouver votre adresse derrière nos serveurs mandataires"
hasnt good "behind our proxies"
# Browser, OS, device: with uap-core (the default), not with none.
has good "your browser and operating system (name and major version) and the type of your device" \
	"votre navigateur et votre système d'exploitation"
privacy_run no_uap --config good.conf --uap-regexes none
hasnt no_uap "your browser and" "votre navigateur et"
# Load times: a format with a duration, or the beacon; neither: none.
has good "how long pages took to load, per hour" "le temps de chargement des pages, par heure"
privacy_run no_load --format combined --beacon-path none --tracker-path none --optout-field user-agent=x
hasnt no_load "how long pages took" "temps de chargement"
privacy_run beacon_load --format combined --tracker-path none --optout-field user-agent=x
has beacon_load "how long pages took to load, per hour"
# The beacon's and trackers' measures: screen class, engagement, scroll,
# clicks: only when an endpoint is set.
has good "the class of your screen size, the time you spend on a page, how far you scroll, and clicks on links and buttons (never what you type or select)" \
	"la classe de taille de votre écran, le temps passé sur une page, la profondeur de défilement et les clics"
hasnt no_load "screen size" "taille de votre écran"
# The referrer: combined logs it, common does not.
has no_load "the site you came from (its host name only) or the page of this site you came from"
privacy_run no_ref --format common --beacon-path none --tracker-path none --optout-field user-agent=x
hasnt no_ref "the site you came from" "le site d'où vous venez"
# Geography: with a database named, the country; geo off, none.
has good "; your country;" " ; votre pays ;"
privacy_run geo_off --config good.conf --geo off
hasnt geo_off "your country" "votre pays" "serves only to find"
# K and retention, as set.
has good "Figures by origin, browser, country, hour, engagement or click are published only for groups of at least 5 visitors." \
	"ne sont publiés que pour des groupes d'au moins 5 visiteurs." \
	"These statistics are kept 13 months," "Ces statistiques sont conservées 13 mois,"
has retnone "These statistics are kept without a time limit," "conservées sans limite de durée,"
# An opt-out the format cannot log is not promised.
hasnt cookie_combined "You can object" "Vous pouvez vous y opposer"
has gpc_ok "You can object to it by turning on your browser's Global Privacy Control signal."
hasnt gpc_ok "opt-out link"

# The same as JSON: valid, and the same verdicts.
privacy_run good_json --config good.conf --json
status good_json 0
q() { sqlite3 -batch -noheader :memory: "SELECT $1 FROM (SELECT readfile('$P/$2.out') AS j);"; }
[ "$(q 'json_valid(j)' good_json)" = 1 ] && ok || bad "good_json: not valid JSON" "$(cat "$P/good_json.out")"
[ "$(q "json_extract(j, '\$.inside')" good_json)" = 1 ] && ok || bad "good_json: inside is not true"
[ "$(q "(SELECT count(*) FROM json_each(j, '\$.checks') WHERE json_extract(value, '\$.ok') = 0)" good_json)" = 0 ] &&
	ok || bad "good_json: a check fails" "$(cat "$P/good_json.out")"
[ "$(q "json_array_length(j, '\$.checks')" good_json)" = "$(grep -c '^[✓✗]' "$P/good.out")" ] && ok ||
	bad "good_json: not one check per text line"
case $(q "json_extract(j, '\$.policy.fr')" good_json) in *"Votre adresse IP"*) ok ;; *) bad "good_json: no French policy" ;; esac
privacy_run k4_json --config good.conf --min-visitors 4 --json
status k4_json 1
[ "$(q "(SELECT json_extract(value, '\$.ok') FROM json_each(j, '\$.checks') WHERE json_extract(value, '\$.id') = 'small_cells')" k4_json)" = 0 ] &&
	ok || bad "k4_json: small_cells is not false" "$(cat "$P/k4_json.out")"

# Usage: no log files, --json only for privacy, options checked as for a run.
privacy_run files access.log
status files 2
grep -qF "'logfold privacy' reads no log file ('access.log')" "$P/files.err" && ok || bad "files: message" "$(cat "$P/files.err")"
privacy_run badopt --keep-query utm_medium
status badopt 2
(cd "$P" && "$LOGFOLD" --json /dev/null) >/dev/null 2>"$P/json.err"
[ $? = 2 ] && grep -qF -- "--json is for 'logfold privacy'" "$P/json.err" && ok || bad "--json without privacy" "$(cat "$P/json.err")"

# --- a run whose opt-out the format cannot log says so, once --------------
# The basic log (combined) with a cookie opt-out and GPC: neither can ever
# match. One warning (the first marker that cannot), even with -q; the run
# still writes (exit 0). The same opt-out with a format string that logs
# the cookie: no warning.
R=$W/warn
mkdir -p "$R"
(cd "$R" && "$LOGFOLD" -q --optout-cookie nostats --honor-gpc --db a.db "$BASE") >"$R/a.out" 2>"$R/a.err"
rc=$?
[ $rc = 0 ] && ok || bad "warn: exit $rc, want 0" "$(cat "$R/a.err")"
[ "$(grep -c 'warning:' "$R/a.err")" = 1 ] && ok || bad "warn: not one warning" "$(cat "$R/a.err")"
grep -qF "logfold: warning: optout-cookie (the format logs no Cookie header) can never match: format combined; opted-out requests are counted" "$R/a.err" &&
	ok || bad "warn: message" "$(cat "$R/a.err")"
sed 's/$/ "nostats=1" -/' "$BASE" >"$R/cookie.log"
(cd "$R" && "$LOGFOLD" -q --optout-cookie nostats --db b.db \
	--log-format '$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" "$http_cookie" $request_time' \
	cookie.log) >"$R/b.out" 2>"$R/b.err"
grep -q 'warning' "$R/b.err" && bad "warn: a warning for a format that logs the cookie" "$(cat "$R/b.err")" || ok
# ... and there the marker does drop every line (all carry the cookie)
[ "$(sqlite3 -batch "$R/b.db" 'SELECT count(*) FROM page_daily' 2>&1)" = 0 ] && ok ||
	bad "warn: the logged cookie did not opt out" "$(sqlite3 -batch "$R/b.db" 'SELECT * FROM page_daily' 2>&1)"

echo "privacy: $pass passed, $fail failed"
[ $fail = 0 ]
