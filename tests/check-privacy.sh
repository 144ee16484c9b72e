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
#                          a bad configuration; usage errors.
#
# Last line: "privacy: N passed, N failed".

set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
LOGFOLD=${LOGFOLD:-$ROOT/logfold}
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
# the database, dumped with the inputs and resume points blanked
dump() {
	cp "$1" "$1.cmp"
	# (resume: the two inputs differ by the opted-out lines, so do their
	# line counts and the fingerprints that key their open days)
	sqlite3 -batch "$1.cmp" "UPDATE runs SET inputs = ''; DELETE FROM resume;
		DELETE FROM resume_days;" .dump 2>&1
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
cat >"$P/good.conf" <<'EOF'
# a configuration inside the exemption
format = vcombined
mask-bytes = 2
site-allow = www.example.org
honor-gpc = true
optout-cookie = nostats
keep-query = lang
referrer-domain = true
[site www.example.org]
page-exclude = ^/admin
EOF
cat >"$P/bad.conf" <<'EOF'
mask-bytes = 1
min-visitors = 2
geo = region
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
		grep -qF -- "$l" "$P/$name.out" && bad "$name: has '$l'" || ok
	done
}
status() {
	[ "$(cat "$P/$1.rc")" = "$2" ] && ok || bad "$1: exit $(cat "$P/$1.rc"), want $2" "$(cat "$P/$1.err")"
}

# The good configuration: every item holds, so it is inside: exit 0.
privacy_run good --config good.conf
status good 0
has good "settings: good.conf and the command line" \
	"✓ IP addresses masked: the last 2 bytes of every IPv4 address zeroed (IPv6 kept to /48)" \
	"✓ query strings dropped: only kept: lang" \
	"✓ geography from the masked address, no finer than region: country only, looked up on the masked address only" \
	"✓ referrers host-only: external referrers by registrable domain, never their path or query" \
	"✓ identifiers in paths replaced" \
	"✓ opt-out honoured" \
	"✓ pages limited to the site's own hosts: only 1 listed host counted" \
	"✓ bots excluded" "✓ no raw data kept: always" \
	"✓ retention at most 25 months: days older than 13 months are deleted by every run into a database and by 'logfold prune'" \
	"inside the CNIL consent exemption" \
	"Your IP address is shortened (2 bytes removed)" \
	"query strings are removed (except lang); identifiers in addresses (e-mail addresses, long numbers, tokens) are replaced; robots" \
	"les paramètres des adresses sont supprimés (sauf lang) ; les identifiants" \
	"You can object to it by turning on your browser's Global Privacy Control signal, or with the opt-out link on this page." \
	"Votre adresse IP est tronquée (2 octets effacés)" \
	"en activant le signal Global Privacy Control de votre navigateur"
[ "$(grep -c '^✗' "$P/good.out")" = 0 ] && ok || bad "good: an item fails" "$(cat "$P/good.out")"
# Retention above the recommendation holds, with the advice; above 25 is
# refused when the option is read (a usage error, exit 2).
privacy_run ret20 --config good.conf --retention 20
status ret20 0
has ret20 "✓ retention at most 25 months: days older than 20 months are deleted by every run into a database and by 'logfold prune'; 13 recommended"
privacy_run ret26 --config good.conf --retention 26
status ret26 2

# The same as JSON: valid, and the same verdicts.
privacy_run good_json --config good.conf --json
status good_json 0
q() { sqlite3 -batch -noheader :memory: "SELECT $1 FROM (SELECT readfile('$P/good_json.out') AS j);"; }
[ "$(q 'json_valid(j)')" = 1 ] && ok || bad "good_json: not valid JSON" "$(cat "$P/good_json.out")"
[ "$(q "json_extract(j, '\$.inside')")" = 1 ] && ok || bad "good_json: inside is not true"
[ "$(q "(SELECT count(*) FROM json_each(j, '\$.checks') WHERE json_extract(value, '\$.ok') = 0)")" = 0 ] &&
	ok || bad "good_json: a check fails" "$(cat "$P/good_json.out")"
[ "$(q "json_array_length(j, '\$.checks')")" = "$(grep -c '^[✓✗]' "$P/good.out")" ] && ok ||
	bad "good_json: not one check per text line"
case $(q "json_extract(j, '\$.policy.fr')") in *"Votre adresse IP"*) ok ;; *) bad "good_json: no French policy" ;; esac

# The bad configuration (mask 1, K 2, a site keeping ids, no opt-out, any
# host): read as ./logfold.conf by default, options on top.
cp "$P/bad.conf" "$P/logfold.conf"
privacy_run bad --format auto
rm "$P/logfold.conf"
status bad 1
has bad "settings: logfold.conf and the command line" \
	"✓ IP addresses masked: the last 1 byte of every IPv4 address zeroed (IPv6 kept to /64) before anything else sees it; 2 recommended" \
	"✓ small-cell threshold: breakdown values seen by fewer than 2 visitors are folded into (other); K >= 5 recommended" \
	"✗ identifiers in paths replaced: keep-path-ids is set for site www.example.org" \
	"✗ opt-out honoured: no opt-out marker" \
	"✗ pages limited to the site's own hosts" \
	"✓ geography from the masked address, no finer than region: country and ISO 3166-2 region" \
	"✓ referrers host-only: external referrers by host," \
	"Your IP address is shortened (1 byte removed) before anything else, then serves only to find the country and region;" \
	"Votre adresse IP est tronquée (1 octet effacé)"
hasnt bad "identifiers in addresses" "You can object"

# Usage: no log files, --json only for privacy, options checked as for a run.
privacy_run files access.log
status files 2
grep -qF "'logfold privacy' reads no log file ('access.log')" "$P/files.err" && ok || bad "files: message" "$(cat "$P/files.err")"
privacy_run badopt --keep-query utm_medium
status badopt 2
(cd "$P" && "$LOGFOLD" --json /dev/null) >/dev/null 2>"$P/json.err"
[ $? = 2 ] && grep -qF -- "--json is for 'logfold privacy'" "$P/json.err" && ok || bad "--json without privacy" "$(cat "$P/json.err")"

echo "privacy: $pass passed, $fail failed"
[ $fail = 0 ]
