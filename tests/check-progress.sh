#!/bin/bash
# check-progress.sh - the progress line (cmd/progress.c) where it should be
# and nowhere else.
#
# A feeder waits 1.1 s, then writes a log into logfold's stdin in chunks a
# few hundredths of a second apart, for about a second, and closes. While
# logfold waits for stdin's first bytes (to detect its format and order
# the inputs), the run passes the line's 1 s delay whatever the machine's
# speed; then it reads the other input first, a file whose lines come
# earlier in time, then stdin as it comes. logfold runs
#   - on a pseudo-terminal (util-linux's `script`): the line is drawn, as
#     "[1/2] FILE: X of Y (P%), R lines/s, M:SS left" and then "[2/2]
#     (stdin): N lines, R lines/s", at most 4 times a second, within 79
#     columns, then blanked, and the summary starts a clean line after it;
#   - on a terminal with --no-progress, with -q: no line;
#   - into a pipe: no line, and none of the \r that draws it; with
#     --progress: the line as on the terminal;
#   - on a terminal, a run shorter than a second (the sample): no line.
# The expected counts are the feeder's: CHUNKS x CHUNK stdin lines and
# FILE_LINES file lines, all pageviews of one valid CLF shape.
# Prints "progress: N passed, N failed".

set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT" || exit 1
SUITE=progress
. "$ROOT/tests/counts.sh"
LOGFOLD=${LOGFOLD:-$ROOT/logfold}
W=$ROOT/build/progress
rm -rf "$W"
mkdir -p "$W"
export LOGFOLD_TODAY=2024-03-07

CHUNK=2000 CHUNKS=40 FILE_LINES=50000
awk -v n=$CHUNK 'BEGIN { for (i = 0; i < n; i++)
	printf "10.0.%d.%d - - [04/Mar/2024:10:00:00 +0100] \"GET /a HTTP/1.1\" 200 5\n", i / 250, i % 250 }' >"$W/chunk"
awk -v n=$FILE_LINES 'BEGIN { for (i = 0; i < n; i++)
	printf "10.1.%d.%d - - [04/Mar/2024:09:00:00 +0100] \"GET /b HTTP/1.1\" 200 5\n", i / 250 % 250, i % 250 }' >"$W/slow2.log"
cat >"$W/feed.sh" <<FEED
sleep 1.1
for i in \$(seq 1 $CHUNKS); do cat "$W/chunk"; sleep 0.02; done
FEED
TOTAL=$((CHUNK * CHUNKS + FILE_LINES))
RUN="sh '$W/feed.sh' | '$LOGFOLD' --format common --uap-regexes none --geo off --db '$W/t.db'"

# on_tty NAME ARGS...: logfold with stdin from the feeder and stderr on a
# pseudo-terminal; what the terminal got in $W/NAME.out, seconds in SECS.
on_tty() {
	local name=$1 t0=$EPOCHREALTIME
	shift
	rm -f "$W"/t.db*
	script -qefc "$RUN $* - '$W/slow2.log'" /dev/null </dev/null >"$W/$name.out"
	check "$name: exit status" "$?" 0
	SECS=$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { print b - a }')
}
# in_pipe NAME ARGS...: the same with stderr into a pipe.
in_pipe() {
	local name=$1 t0=$EPOCHREALTIME
	shift
	rm -f "$W"/t.db*
	sh -c "$RUN $* - '$W/slow2.log'" 2>&1 </dev/null | cat >"$W/$name.out"
	check "$name: exit status" "${PIPESTATUS[0]}" 0
	SECS=$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { print b - a }')
}
# segments NAME: what was written between carriage returns and newlines,
# one a line (a terminal's \r\n is one break).
segments() {
	sed 's/\r$//' "$W/$1.out" | tr '\r' '\n'
}
STDIN_RE='^logfold: \[2/2\] \(stdin\): [0-9]+ lines, [0-9.]+ [kM]? ?lines/s *$'
FILE_RE='^logfold: \[1/2\] .*slow2\.log: [0-9.]+ [kMG]?B of [0-9.]+ [kMG]?B \([0-9]+%\), [0-9.]+ [kM]? ?lines/s, [0-9]+:[0-9][0-9] left *$'
PROG_RE='^logfold: \[[12]/2\] '

# drawn NAME: the checks of a run that shows the line.
drawn() {
	local name=$1 segs draws
	segs=$(segments "$name")
	check "$name: stdin line" "$(printf '%s\n' "$segs" | grep -cE "$STDIN_RE" | awk '{ print ($1 > 0) }')" 1
	check "$name: file line" "$(printf '%s\n' "$segs" | grep -cE "$FILE_RE" | awk '{ print ($1 > 0) }')" 1
	draws=$(printf '%s\n' "$segs" | grep -cE "$PROG_RE")
	# the first after 1 s, then at least 250 ms apart
	check "$name: at most 4 draws a second ($draws in $SECS s)" \
		"$(awk -v d="$draws" -v s="$SECS" 'BEGIN { print (d <= (s - 1) * 4 + 1) }')" 1
	check "$name: every draw within 79 columns" \
		"$(printf '%s\n' "$segs" | grep -E "$PROG_RE" | awk 'length > 79 { n++ } END { print n + 0 }')" 0
	# after the last draw: a blank, then the summary on a clean line
	check "$name: blanked, then the summary" "$(printf '%s\n' "$segs" | awk -v re="$PROG_RE" '
		$0 ~ re { last = NR }
		/^logfold: [0-9]+ lines, / { sum = NR; said = $2 }
		{ line[NR] = $0 }
		END { print (last && sum == last + 2 && line[last + 1] ~ /^ +$/) ? said : "no" }')" "$TOTAL"
}
# none NAME: no line drawn, and no \r but a terminal's line ends.
none() {
	check "$1: no progress line" "$(segments "$1" | grep -cE "$PROG_RE")" 0
	check "$1: no carriage return" "$(sed 's/\r$//' "$W/$1.out" | tr -cd '\r' | wc -c)" 0
}

on_tty tty
drawn tty
on_tty tty_off --no-progress
none tty_off
check "tty_off: summary" "$(segments tty_off | grep -c "^logfold: $TOTAL lines, ")" 1
on_tty tty_quiet -q
none tty_quiet
check "tty_quiet: nothing said" "$(wc -c <"$W/tty_quiet.out")" 0
# the last of --progress and --no-progress wins
on_tty tty_last --progress --no-progress
none tty_last
in_pipe pipe
none pipe
in_pipe pipe_forced --progress
drawn pipe_forced
# a run shorter than a second: the line never shows
script -qefc "'$LOGFOLD' --db '$W/s.db' testdata/sample/access.log" /dev/null </dev/null >"$W/short.out"
check "short: exit status" "$?" 0
none short
echo "progress: $pass passed, $fail failed"
[ "$fail" = 0 ]
