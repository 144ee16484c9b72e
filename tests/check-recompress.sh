#!/bin/bash
# check-recompress.sh - a log read before is the same input after it is
# recompressed into any compression logfold reads (issue 19: "a file read
# before is recognised after recompression ... and not counted twice"):
# identity is decided on the decompressed content, never on the file's
# bytes or name. On a small hand-made log whose counts are worked out below:
#   - a.log read, then a.log.1.gz / .zst / .xz / .bz2, one run each: the
#     open day is re-read from its resume point, nothing counts twice;
#   - with every day closed: each recompressed copy adds nothing;
#   - the three copies in one run of their own: read once;
#   - a grown log, recompressed: only the new line counts.
# Prints "recompress: N passed, N failed".

set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
LOGFOLD=${LOGFOLD:-$ROOT/logfold}
W=$ROOT/build/recompress
export LOGFOLD_TODAY=${LOGFOLD_TODAY:-2024-12-01}
SUITE=recompress
. "$ROOT/tests/counts.sh"
rm -rf "$W"
mkdir -p "$W"
cd "$W" || exit 1


. "$ROOT/tests/clf.sh"
lines() { q "$1" "SELECT lines FROM runs ORDER BY rowid DESC LIMIT 1"; }

# a.log: 10 June: /x by .1 and .2, /y by .1; 11 June 00:20: /x by .3, which
# closes 10 June (20 min past its end, --grace 10 min) and leaves 11 June
# open. So: 10 June /x 2 pageviews 2 visitors, /y 1 1; 11 June /x 1 1.
{
	line 192.0.2.1 10/Jun/2024:10:00:00 /x
	line 192.0.2.2 10/Jun/2024:11:00:00 /x
	line 192.0.2.1 10/Jun/2024:12:00:00 /y
	line 192.0.2.3 11/Jun/2024:00:20:00 /x
} >a.log
want="2024-06-10 /x 2 2 2024-06-10 /y 1 1 2024-06-11 /x 1 1"
gzip -n -c a.log >a.log.1.gz
zstd -q -c a.log >a.log.1.zst
xz -q -c a.log >a.log.1.xz
bzip2 -q -c a.log >a.log.1.bz2

"$LOGFOLD" -q --db open.db a.log
check "a.log read" "$(pd open.db)" "$want"
for ext in gz zst xz bz2; do
	"$LOGFOLD" -q --db open.db a.log.1.$ext
	check "recompressed .$ext, 11 June open: the same input, nothing twice" "$(pd open.db)" "$want"
	# re-read from the first line of 11 June (the open day): one line
	check "recompressed .$ext: only the open day's line read again" "$(lines open.db)" 1
done

"$LOGFOLD" -q --close-all --db closed.db a.log
for ext in gz zst xz bz2; do
	"$LOGFOLD" -q --db closed.db a.log.1.$ext
	check "recompressed .$ext, every day closed: nothing new" "$(pd closed.db)" "$want"
	check "recompressed .$ext, every day closed: no line read" "$(lines closed.db)" 0
done

# the three in one run, on a fresh database: one input, read once
"$LOGFOLD" --db three.db a.log.1.zst a.log.1.xz a.log.1.bz2 2>three.err
check "three recompressions in one run: counted once" "$(pd three.db)" "$want"
check "three recompressions in one run: two read as the first" \
	"$(grep -c 'holds the same log as' three.err)" 2

# grown, then compressed: 11 June gets /y from .4; the open day is
# rewritten whole from the resume point: 11 June /x 1 1 and /y 1 1
cp a.log grown.log
line 192.0.2.4 11/Jun/2024:09:00:00 /y >>grown.log
for ext in zst xz bz2; do
	rm -f grown.db
	"$LOGFOLD" -q --db grown.db a.log
	case $ext in
	zst) zstd -q -c grown.log >grown.log.$ext ;;
	xz) xz -q -c grown.log >grown.log.$ext ;;
	bz2) bzip2 -q -c grown.log >grown.log.$ext ;;
	esac
	"$LOGFOLD" -q --db grown.db grown.log.$ext
	check "grown and recompressed .$ext: the new line only" "$(pd grown.db)" \
		"2024-06-10 /x 2 2 2024-06-10 /y 1 1 2024-06-11 /x 1 1 2024-06-11 /y 1 1"
done

echo "recompress: $pass passed, $fail failed"
[ "$fail" = 0 ]
