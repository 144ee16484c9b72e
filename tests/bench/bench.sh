#!/bin/bash
# bench.sh - `make bench`: how fast logfold reads, and how much memory.
#
# Generates BENCH_LINES lines (default 2000000; BENCH_SEED, default 1) over
# BENCH_DAYS days (default 7; issue 18's targets are for
# `make bench BENCH_LINES=10000000 BENCH_DAYS=30`) with build/tools/loggen
# into build/bench/access.log and a gzip copy (kept and reused while
# lines, seed, days and the loggen binary are the same), then runs
#
#   cat access.log > /dev/null        the floor for plain input
#   logfold -q --db DB access.log
#   logfold -q --db DB --log-format '<nginx combined>' access.log
#   zcat access.log.gz > /dev/null    the floor for gzip input
#   logfold -q --db DB access.log.gz
#   build/logfold-zlib ... access.log.gz  the same through zlib, as a build
#                                     without ISA-L reads it (when built)
#   zstd -dc, xz -dc, bzip2 -dc > /dev/null  each decoder alone, and
#   logfold -q --db DB access.log.zst / .xz / .bz2  (issue 19; compressed
#                                     once by zstd -3, xz -6 -T0, bzip2 -9)
#   logfold -q --uap-regexes none --db DB access.log
#                                     the foundation's features: no user-agent
#                                     classification (issue 4), no geography
#   logfold -q --uap-regexes none --db DB --geo region --geoip bench.mmdb
#          access.log                 issue 5's geography on top (a database
#                                     of ~57 000 networks built by
#                                     tests/geo/mkmmdb.pl, cached); referrers
#                                     are always on, in the line above too;
#                                     the log has no duration to time loads
#   logfold -q --uap-regexes none --db DB --geo region --geoip bench.mmdb
#          --log-format '<nginx combined> $request_time' access-timed.log
#                                     and load times: the same lines with a
#                                     $request_time (loggen --format timed)
#   the first and the last again, on the same lines split into one file a
#                                     day (build/bench/daily/), as logrotate
#                                     leaves a week: a file's days are written
#                                     while the next one is read
#   the same with classification on: every feature at once
#   logfold --progress / --no-progress --db DB access.log, stderr to
#                                     /dev/null: the progress line (issue
#                                     20) drawn, against never drawn
#                                     (target: within 2 %, i.e. nothing
#                                     measurable)
#   agentcheck --bench: uap-core's ~18,000 suite agents classified cold
#   logfold --jobs 1 / --jobs 2, plain and gzip (issue 18: the other rows
#                                     run with the default, the CPUs online)
#   goaccess LOG --log-format=COMBINED -o report.json: the same log by
#                                     GoAccess, when installed (DEB_BENCH)
#
# each BENCH_RUNS times (default 3), in rounds of one run of each, so that a
# slow spell of the machine falls on all of them and the ratios hold (every
# logfold run gets a fresh database; its input files are read once, untimed,
# just before it: the ~11 GB of inputs of a 10 M-line bench outgrow the page
# cache a round leaves them, and a row read from disk measured the disk:
# the load-times row took 9.7 s of system time cold, 0.9 s warm), and
# prints the best wall time, lines/s, MB/s (of uncompressed log) and peak
# RSS, the ratio logfold-gzip / zcat, each compression's time against plain
# (issue 18: .gz <= 1.15x; issue 19: .zst <= 1.05x; .xz and .bz2 bounded by
# their decoders: against xz -dc and bzip2 -dc, which run on one core while
# logfold parses on the other), and issue 5's runs against the foundation's
# (target >= 75 % of its lines/s). Then it pipes the same log
# and one twice as long (same seed, days, visitors and pages: the same
# universe visited twice as often) into logfold on stdin and prints both
# peak RSS figures: memory should follow distinct pages and visitors, not
# lines. The targets of issue 2 (>= 1 M lines/s plain, gzip within 1.5x of
# zcat) are printed beside the figures. Then tests/bench/shard.sh: the
# total CPU of a 3-shard run (--shard 0/3 .. 2/3 and their merge) against
# one run's, on the plain log. Last, tests/bench/report.sh: the
# time and size of `logfold report` on a 30-day database of 10 M lines.
#
# A benchmark, not a test: it never fails on timing. It fails only when a
# tool is missing or logfold itself fails (then the figures mean nothing).

set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT" || exit 1
LOGFOLD=${LOGFOLD:-./logfold}
LOGGEN=${LOGGEN:-build/tools/loggen}
LINES=${BENCH_LINES:-2000000}
SEED=${BENCH_SEED:-1}
RUNS=${BENCH_RUNS:-3}
DAYS=${BENCH_DAYS:-7}
# loggen's days start on 2024-03-04. Today is taken as the day after the
# last (cmd/options.c reads LOGFOLD_TODAY), as for a run over last night's
# logs: otherwise --retention would delete at once the days written.
export LOGFOLD_TODAY=$(date -u -d "2024-03-04 + $DAYS days" +%F)
D=build/bench
LOG=$D/access.log
GZ=$D/access.log.gz
ZST=$D/access.log.zst
XZ=$D/access.log.xz
BZ2=$D/access.log.bz2
TIMED=$D/access-timed.log

die() {
	echo "bench: $*" >&2
	exit 1
}
[ -x "$LOGFOLD" ] || die "no '$LOGFOLD' (run make)"
[ -x "$LOGGEN" ] || die "no '$LOGGEN' (make bench builds it)"
TIME=/usr/bin/time
[ -x "$TIME" ] || die "GNU time is needed for peak RSS: apt-get install time"
case $LINES in '' | *[!0-9]*) die "BENCH_LINES must be a number" ;; esac
case $DAYS in '' | *[!0-9]* | 0) die "BENCH_DAYS must be a number of days, 1 or more" ;; esac
[ "$LINES" -ge 1 ] || die "BENCH_LINES must be at least 1"
mkdir -p "$D"

# --- the input, cached ---------------------------------------------------
stamp="lines=$LINES seed=$SEED days=$DAYS loggen=$(cksum <"$LOGGEN" | cut -d' ' -f1)"
# one file per day of each, named by the day of the month, as logrotate
# leaves a week of logs
split_days() {
	awk -v pre="$2" '{ d = substr($4, 2, 2)
		if (d != cur) { if (f) close(f); cur = d; f = pre "-" d ".log" }
		print > f }' "$1"
}
if [ -f "$LOG" ] && [ -f "$TIMED" ] && [ -f "$GZ" ] && [ -f "$ZST" ] && [ -f "$XZ" ] &&
	[ -f "$BZ2" ] && [ -d "$D/daily" ] &&
	[ "$(cat "$D/stamp" 2>/dev/null)" = "$stamp" ]; then
	echo "bench: reusing $LOG ($LINES lines, seed $SEED)"
else
	echo "bench: generating $LINES lines (seed $SEED) into $LOG ..."
	rm -f "$D/stamp"
	"$LOGGEN" --lines "$LINES" --seed "$SEED" --days "$DAYS" >"$LOG" || die "loggen failed"
	"$LOGGEN" --lines "$LINES" --seed "$SEED" --days "$DAYS" --format timed >"$TIMED" ||
		die "loggen failed"
	gzip -6 -n -c "$LOG" >"$GZ" || die "gzip failed"
	zstd -q -3 -c "$LOG" >"$ZST" || die "zstd failed"
	xz -q -6 -T0 -c "$LOG" >"$XZ" || die "xz failed"
	bzip2 -q -9 -c "$LOG" >"$BZ2" || die "bzip2 failed"
	rm -rf "$D/daily"
	mkdir -p "$D/daily"
	split_days "$LOG" "$D/daily/plain" && split_days "$TIMED" "$D/daily/timed" ||
		die "splitting by day failed"
	echo "$stamp" >"$D/stamp"
fi
BYTES=$(wc -c <"$LOG")
GZBYTES=$(wc -c <"$GZ")

TMP=$(mktemp -d "${TMPDIR:-/tmp}/logfold-bench.XXXXXX") || die "mktemp failed"
trap 'rm -rf "$TMP"' EXIT

# measure CMD...: run once; sets SECS (wall, from bash's microsecond clock)
# and RSS (peak resident KiB, from GNU time). Fails when CMD fails.
measure() {
	local t0=$EPOCHREALTIME t1
	"$TIME" -f '%M' -o "$TMP/rss" "$@" || return 1
	t1=$EPOCHREALTIME
	SECS=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
	RSS=$(tail -n 1 "$TMP/rss")
}

# warm ARG...: every argument that names a file (a command's inputs) read
# into the page cache, untimed.
warm() {
	local a
	for a in "$@"; do
		[ -f "$a" ] && cat "$a" >/dev/null
	done
	return 0
}

# best_alternate NAME...: the commands in the arrays NAME... run in turn,
# RUNS times each (so that a slow spell of the machine falls on all of them
# and their ratios hold); sets NAME_SECS, the best time, and NAME_RSS, the
# largest peak seen (so that a lucky run cannot hide memory), of each. A
# command may contain the word @DB@, replaced by a fresh database path for
# every run.
best_alternate() {
	local i which
	for which in "$@"; do
		printf -v "${which}_SECS" '%s' ''
		printf -v "${which}_RSS" '%s' 0
	done
	for ((i = 1; i <= RUNS; i++)); do
		for which in "$@"; do
			local -n cmd=$which secs=${which}_SECS rss=${which}_RSS
			local args=() a
			rm -f "$TMP"/run.db*
			for a in "${cmd[@]}"; do
				args+=("${a//@DB@/$TMP/run.db}")
			done
			warm "${args[@]}"
			measure "${args[@]}" || die "failed: ${args[*]}"
			if [ -z "$secs" ] || awk -v a="$SECS" -v b="$secs" 'BEGIN { exit !(a < b) }'; then
				secs=$SECS
			fi
			[ "$RSS" -gt "$rss" ] && rss=$RSS
			unset -n cmd secs rss
		done
	done
	return 0
}

echo "bench: $LINES lines, $(awk -v b="$BYTES" 'BEGIN { printf "%.1f", b / 1e6 }') MB plain, $(awk -v b="$GZBYTES" 'BEGIN { printf "%.1f", b / 1e6 }') MB gzip; best of $RUNS"
echo "  (MB/s is uncompressed log bytes per second in every row; $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg): other work on the machine skews timings)"

GEODB=$D/bench.mmdb
if [ ! -f "$GEODB" ] || [ tests/geo/mkmmdb.pl -nt "$GEODB" ]; then
	perl tests/geo/mkmmdb.pl "$GEODB" bench || die "cannot build $GEODB (libmaxmind-db-writer-perl)"
fi
NGINX_COMBINED='$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent"'
# Every command below runs once a round, RUNS rounds: the ratios (the
# targets) compare runs made side by side, whatever the machine did.
# cat and zcat through sh, so that /usr/bin/time can time a redirection.
CAT=(sh -c 'exec cat "$1" >/dev/null' sh "$LOG")
PLAIN=("$LOGFOLD" -q --db @DB@ "$LOG")
# the same lines through a format string equivalent to combined: the
# compiled scanner against the built-in one (issue 3: within 15 %)
STRING=("$LOGFOLD" -q --db @DB@ --log-format "$NGINX_COMBINED" "$LOG")
ZCAT=(sh -c 'exec zcat "$1" >/dev/null' sh "$GZ")
GZIP=("$LOGFOLD" -q --db @DB@ "$GZ")
# gzip through zlib (the build without ISA-L), when make built it
ZLIB_BIN=build/logfold-zlib
GZIP_ZLIB=("$ZLIB_BIN" -q --db @DB@ "$GZ")
[ -x "$ZLIB_BIN" ] || GZIP_ZLIB=(true)
UNZSTD=(sh -c 'exec zstd -q -dc "$1" >/dev/null' sh "$ZST")
ZSTD=("$LOGFOLD" -q --db @DB@ "$ZST")
UNXZ=(sh -c 'exec xz -q -dc -T1 "$1" >/dev/null' sh "$XZ")
XZ_RUN=("$LOGFOLD" -q --db @DB@ "$XZ")
UNBZ2=(sh -c 'exec bzip2 -q -dc "$1" >/dev/null' sh "$BZ2")
BZ2_RUN=("$LOGFOLD" -q --db @DB@ "$BZ2")
# issue 5: geography, referrers and load times against the foundation's
# features; classification (issue 4) is off in all three
FOUND=("$LOGFOLD" -q --uap-regexes none --db @DB@ "$LOG")
GEO=("$LOGFOLD" -q --uap-regexes none --db @DB@ --geo region --geoip "$GEODB" "$LOG")
FEAT=("$LOGFOLD" -q --uap-regexes none --db @DB@ --geo region --geoip "$GEODB"
	--log-format "$NGINX_COMBINED \$request_time" "$TIMED")
# the same lines as a week of daily files: the days of one file are written
# (by a thread of their own) while the next is read, as in a backfill
DAILY_FOUND=("$LOGFOLD" -q --uap-regexes none --db @DB@ "$D"/daily/plain-*.log)
DAILY_FEAT=("$LOGFOLD" -q --uap-regexes none --db @DB@ --geo region --geoip "$GEODB"
	--log-format "$NGINX_COMBINED \$request_time" "$D"/daily/timed-*.log)
EVERY=("$LOGFOLD" -q --db @DB@ --geo region --geoip "$GEODB"
	--log-format "$NGINX_COMBINED \$request_time" "$TIMED")
# the progress line forced on (drawn into /dev/null: the cost is the
# logfold side's) against forced off; -q would turn it off, so neither has it
# issue 18: one thread against two, plain and gzip; GoAccess on the same log
J1=("$LOGFOLD" -q --jobs 1 --db @DB@ "$LOG")
J2=("$LOGFOLD" -q --jobs 2 --db @DB@ "$LOG")
GZ_J1=("$LOGFOLD" -q --jobs 1 --db @DB@ "$GZ")
GZ_J2=("$LOGFOLD" -q --jobs 2 --db @DB@ "$GZ")
GOACCESS=(true)
if command -v goaccess >/dev/null 2>&1; then
	# its "Cleaning up resources..." on stdout kept off the table, and its
	# parsing spinner off stderr (GoAccess 1.7, Debian 12's, has no --jobs)
	GOACCESS=(sh -c 'exec goaccess "$1" --no-global-config --no-progress --no-parsing-spinner \
		--log-format=COMBINED -o "$2" >/dev/null' sh "$LOG" "$TMP/goaccess.json")
fi
PROG=(sh -c 'exec "$0" "$@" 2>/dev/null' "$LOGFOLD" --progress --db @DB@ "$LOG")
NOPROG=(sh -c 'exec "$0" "$@" 2>/dev/null' "$LOGFOLD" --no-progress --db @DB@ "$LOG")
best_alternate CAT PLAIN STRING ZCAT GZIP GZIP_ZLIB UNZSTD ZSTD UNXZ XZ_RUN UNBZ2 BZ2_RUN \
	FOUND GEO FEAT DAILY_FOUND DAILY_FEAT EVERY PROG NOPROG J1 J2 GZ_J1 GZ_J2 GOACCESS
# show NAME LABEL: one line of the table from NAME_SECS and NAME_RSS.
show() {
	local -n secs=${1}_SECS rss=${1}_RSS
	awk -v n="$2" -v s="$secs" -v l="$LINES" -v b="$BYTES" -v r="$rss" 'BEGIN {
		if (s <= 0) s = 0.001
		printf "  %-24s %8.3f s %12.0f lines/s %9.1f MB/s %9.1f MiB RSS\n",
			n, s, l / s, b / s / 1e6, r / 1024
	}'
}
show CAT "cat > /dev/null"
show PLAIN "logfold plain"
show STRING "logfold --log-format"
show ZCAT "zcat > /dev/null"
show GZIP "logfold gzip"
[ -x "$ZLIB_BIN" ] && show GZIP_ZLIB "logfold gzip, zlib build"
show UNZSTD "zstd -dc > /dev/null"
show ZSTD "logfold zstd"
show UNXZ "xz -dc > /dev/null"
show XZ_RUN "logfold xz"
show UNBZ2 "bzip2 -dc > /dev/null"
show BZ2_RUN "logfold bzip2"
show FOUND "logfold --uap-regexes none"
show GEO "  + geo"
show FEAT "  + geo, load times"
show DAILY_FOUND "daily files, no agents"
show DAILY_FEAT "  + geo, load times"
show EVERY "every feature"
show PROG "--progress"
show NOPROG "--no-progress"
show J1 "--jobs 1"
show J2 "--jobs 2"
show GZ_J1 "gzip --jobs 1"
show GZ_J2 "gzip --jobs 2"
command -v goaccess >/dev/null 2>&1 && show GOACCESS "goaccess $(goaccess --version 2>/dev/null | sed -n 's/^GoAccess - \([0-9.]*[0-9]\).*/\1/p')"
awk -v a="$J1_SECS" -v b="$J2_SECS" -v g1="$GZ_J1_SECS" -v g2="$GZ_J2_SECS" -v r="$J2_RSS" \
	-v l="$LINES" 'BEGIN {
	if (a <= 0) a = 0.001
	if (b <= 0) b = 0.001
	printf "  --jobs 2 / --jobs 1: %.2fx the lines/s (target >= 1.8: %s); %.2f M lines/s (target >= 2.5: %s)\n",
		a / b, (a / b >= 1.8) ? "met" : "NOT met", l / b / 1e6, (l / b >= 2.5e6) ? "met" : "NOT met"
	printf "  gzip / plain: %.2fx at --jobs 1, %.2fx at --jobs 2 (target <= 1.15: %s)\n",
		g1 / a, g2 / b, (g2 / b <= 1.15) ? "met" : "NOT met"
	printf "  peak RSS at --jobs 2: %.1f MiB (target <= 100: %s)\n", r / 1024,
		(r / 1024 <= 100) ? "met" : "NOT met"
}'
if command -v goaccess >/dev/null 2>&1; then
	awk -v g="$GOACCESS_SECS" -v a="$J1_SECS" -v b="$J2_SECS" 'BEGIN {
		if (a <= 0) a = 0.001
		if (b <= 0) b = 0.001
		printf "  GoAccess / logfold: %.1fx at --jobs 1, %.1fx at --jobs 2 (GoAccess on one thread)\n",
			g / a, g / b
	}'
fi

awk -v p="$PLAIN_SECS" -v c="$CAT_SECS" -v g="$GZIP_SECS" -v z="$ZCAT_SECS" -v l="$LINES" 'BEGIN {
	if (p <= 0) p = 0.001
	if (z <= 0) z = 0.001
	printf "  plain: %.2f M lines/s (target >= 1 M lines/s: %s), %.1fx cat\n",
		l / p / 1e6, (l / p >= 1e6) ? "met" : "NOT met", (c > 0) ? p / c : 0
	printf "  gzip:  logfold-gzip / zcat = %.2f (target <= 1.5: %s)\n",
		g / z, (g / z <= 1.5) ? "met" : "NOT met"
}'
# ratio NAME LABEL TARGET: NAME's time over plain's, against a target
ratio() {
	local -n secs=${1}_SECS
	awk -v s="$secs" -v p="$PLAIN_SECS" -v n="$2" -v t="$3" 'BEGIN {
		if (p <= 0) p = 0.001
		printf "  %-22s %.2fx plain (target <= %s: %s)\n", n, s / p, t,
			(s / p <= t) ? "met" : "NOT met"
	}'
}
ratio GZIP "gzip (issue 18):" 1.15
[ -x "$ZLIB_BIN" ] && awk -v s="$GZIP_ZLIB_SECS" -v p="$PLAIN_SECS" -v g="$GZIP_SECS" 'BEGIN {
	if (p <= 0) p = 0.001
	printf "  gzip, zlib build:      %.2fx plain (%.2fx the ISA-L build)\n", s / p, s / g
}'
ratio ZSTD "zstd (issue 19):" 1.05
# xz and bzip2 decode slower than logfold parses: their bound is the decoder
awk -v x="$XZ_RUN_SECS" -v ux="$UNXZ_SECS" -v b="$BZ2_RUN_SECS" -v ub="$UNBZ2_SECS" \
	-v p="$PLAIN_SECS" 'BEGIN {
	if (ux <= 0) ux = 0.001
	if (ub <= 0) ub = 0.001
	if (p <= 0) p = 0.001
	printf "  xz:    %.2fx plain, %.2fx xz -dc alone (bounded by its decoder: near 1)\n", x / p, x / ux
	printf "  bzip2: %.2fx plain, %.2fx bzip2 -dc alone (bounded by its decoder: near 1)\n", b / p, b / ub
}'
awk -v p="$FOUND_SECS" -v g="$GEO_SECS" -v f="$FEAT_SECS" 'BEGIN {
	if (g <= 0) g = 0.001
	if (f <= 0) f = 0.001
	printf "  geo, referrers (the foundation'"'"'s log): %.0f %% of the foundation'"'"'s lines/s (target >= 75 %%: %s)\n",
		100 * p / g, (p / g >= 0.75) ? "met" : "NOT met"
	printf "  geo, referrers, load times (a duration on every line): %.0f %% (target >= 75 %%: %s)\n",
		100 * p / f, (p / f >= 0.75) ? "met" : "NOT met"
}'
awk -v p="$DAILY_FOUND_SECS" -v f="$DAILY_FEAT_SECS" 'BEGIN {
	if (f <= 0) f = 0.001
	printf "  the same as daily files: %.0f %% (target >= 75 %%: %s)\n",
		100 * p / f, (p / f >= 0.75) ? "met" : "NOT met"
}'
awk -v p="$PLAIN_SECS" -v s="$STRING_SECS" 'BEGIN {
	if (p <= 0) p = 0.001
	printf "  format string / built-in combined = %.2f (target <= 1.15: %s)\n",
		s / p, (s / p <= 1.15) ? "met" : "NOT met"
}'

awk -v p="$PROG_SECS" -v n="$NOPROG_SECS" 'BEGIN {
	if (n <= 0) n = 0.001
	printf "  progress line: --progress / --no-progress = %.3f (target <= 1.02: %s)\n",
		p / n, (p / n <= 1.02) ? "met" : "NOT met"
}'

# --- user agents (issue 4) ---------------------------------------------------
# logfold classifies agents by default; the same log without classification
# (--uap-regexes none) is the reference: with it on, lines/s must stay
# >= 80 % of the figure without. Then every agent of uap-core's three test
# suites classified cold (no cache), by build/tools/agentcheck.
awk -v on="$PLAIN_SECS" -v off="$FOUND_SECS" 'BEGIN {
	if (on <= 0) on = 0.001
	printf "  agents on / off: %.0f %% of the lines/s (target >= 80 %%: %s)\n",
		100 * off / on, (off / on >= 0.8) ? "met" : "NOT met"
}'
UAP=${UAP_CORE:-/usr/share/uap-core}
if [ -x build/tools/agentcheck ] && [ -f "$UAP/regexes.yaml" ]; then
	echo "bench: user agents classified cold (uap-core's test suites)"
	build/tools/agentcheck "$UAP/regexes.yaml" --bench "$UAP/tests/test_ua.yaml" \
		"$UAP/tests/test_os.yaml" "$UAP/tests/test_device.yaml" || die "agentcheck failed"
fi

# --- memory against lines: the same universe, twice the lines --------------
echo "bench: peak RSS against lines (loggen piped into logfold on stdin, one run each)"
for k in 1 2; do
	n=$((LINES * k))
	rm -f "$TMP"/run.db*
	t0=$EPOCHREALTIME
	"$LOGGEN" --lines "$n" --seed "$SEED" --days "$DAYS" |
		"$TIME" -f '%M' -o "$TMP/rss" "$LOGFOLD" -q --db "$TMP/run.db" - ||
		die "logfold failed on $n piped lines"
	rss=$(tail -n 1 "$TMP/rss")
	awk -v n="$n" -v r="$rss" 'BEGIN { printf "  %9d lines: %9.1f MiB RSS\n", n, r / 1024 }'
	eval "RSS_$k=$rss"
done
awk -v a="$RSS_1" -v b="$RSS_2" 'BEGIN {
	printf "  2x lines -> RSS x %.2f (same pages and visitors: should stay near 1)\n", b / a
}'

# --- --shard (issue 19): 3 shards' total CPU against one run's ---------------
LOGFOLD=$LOGFOLD BENCH_RUNS=$RUNS tests/bench/shard.sh "$LOG" || die "the shards' benchmark failed"

# --- the report (issue 16): its time and size on 30 days of 10 M lines ------
LOGFOLD=$LOGFOLD LOGGEN=$LOGGEN BENCH_RUNS=$RUNS tests/bench/report.sh || die "the report's benchmark failed"
exit 0
