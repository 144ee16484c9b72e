#!/bin/bash
# check-shard.sh - `--shard I/N` (issue 19): the merge of a complete set of
# shard databases is one run's database exactly, and every misuse of a
# shard's database is refused.
#
# The logs are made by tests/shard/gen.awk (several shapes: visitors with
# visits on several of 5 days, their lines spread over several files of
# several compressions, beacon events, rare pages and referrers so that the
# small-cell rule folds cells in every table that has it). The expected
# values are independent of the sharding code:
#   - one unsharded run over the same files: every table of the merge of
#     --shard 0/N .. N-1/N equals it row for row (the sharded path must
#     reproduce what the unsharded one computes; the folds are checked to
#     happen, so that "(other)" rows, whose visitors need the shards' sets,
#     are compared too);
#   - site_daily's pageviews and visitors counted by awk from the log
#     itself (lines of a page, not the beacon, not the robot; distinct
#     address and agent per day): no logfold code involved;
#   - each shard's visitors add up to the whole (every visitor in exactly
#     one shard), and no shard holds all of them.
# The refusals: report, CSV export and privacy of a shard's database;
# merging shards of different N, of different settings, a shard with an
# unsharded database of the same days, an incomplete set (the missing
# shards named); exit 2 each, the files left alone.
# Prints "shard: N passed, N failed".

set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT" || exit 1
SUITE=shard
. "$ROOT/tests/counts.sh"
LOGFOLD=${LOGFOLD:-$ROOT/logfold}
W=$ROOT/build/shard
rm -rf "$W"
mkdir -p "$W"
export LOGFOLD_TODAY=2024-12-01 LC_ALL=C

q() { sqlite3 -bail -batch -noheader "$1" "$2"; }
TABLES="page_daily site_daily breakdown_daily site_breakdown_daily load_hourly engagement_daily
	action_daily bots_daily days"
# rows DB TABLE: every row, sorted
rows() { q "$1" "SELECT * FROM $2" | sort; }

# gen SEED VISITORS OUT: the log, in time order
gen() {
	awk -v seed="$1" -v nvis="$2" -f tests/shard/gen.awk | sort -n -s -k1,1 |
		awk -f tests/shard/fmt.awk >"$3"
}

# shape NAME SEED VISITORS NFILES SHARDS [OPTION...]: the log cut into
# NFILES files (the 2nd gzip, the 3rd zstd, the 4th xz), one run, the
# SHARDS shards, their merge; every table compared.
shape() {
	local name=$1 seed=$2 nvis=$3 nfiles=$4 n=$5
	shift 5
	local d=$W/$name
	mkdir -p "$d"
	gen "$seed" "$nvis" "$d/all.log"
	(cd "$d" && split -n "l/$nfiles" -d all.log part)
	local files=() i=0
	for f in "$d"/part*; do
		case $i in
		1) gzip "$f" && f=$f.gz ;;
		2) zstd -q --rm "$f" && f=$f.zst ;;
		3) xz "$f" && f=$f.xz ;;
		esac
		files+=("$f")
		i=$((i + 1))
	done
	"$LOGFOLD" -q "$@" --db "$d/one.db" "${files[@]}"
	check "$name: one run" "$?" 0
	local shards=()
	for ((i = 0; i < n; i++)); do
		"$LOGFOLD" -q "$@" --shard "$i/$n" --db "$d/shard-$i.db" "${files[@]}"
		check "$name: shard $i/$n" "$?" 0
		shards+=("$d/shard-$i.db")
	done
	# in another order than the shards' than to show that it does not matter
	"$LOGFOLD" merge -q "$d/all.db" $(printf '%s\n' "${shards[@]}" | sort -r)
	check "$name: merge" "$?" 0
	for t in $TABLES; do
		rows "$d/one.db" "$t" >"$d/one.$t"
		rows "$d/all.db" "$t" >"$d/all.$t"
		case $t in page_daily | site_daily | breakdown_daily | bots_daily | days)
			check "$name: $t has rows" "$([ -s "$d/one.$t" ] && echo yes)" yes ;;
		esac
		check "$name: $t of the merge is the one run's" \
			"$(cmp -s "$d/one.$t" "$d/all.$t" && echo same)" same
	done
	check "$name: no shard's sets nor unfolded rows left in the merged database" \
		"$(q "$d/all.db" 'SELECT (SELECT count(*) FROM shard_sets) + (SELECT count(*) FROM
			merge_shard_sets) + (SELECT count(*) FROM merge_breakdown_daily) + (SELECT
			count(*) FROM merge_action_daily) + (SELECT count(*) FROM merge_page_daily)')" 0
	check "$name: the merge is no shard's" "$(q "$d/all.db" 'SELECT count(*) FROM shard')" 0
	# what awk counts in the log: pageviews and distinct visitors per day
	awk '$7 !~ /^\/logfold\.gif/ && !/Googlebot/ {
		day = substr($4, 2, 2); pv[day]++
		split($0, q, "\""); if (!seen[day, $1, q[6]]++) vis[day]++
	} END { for (d in pv) printf "2024-05-%s|%d|%d\n", d, pv[d], vis[d] }' "$d/all.log" |
		sort >"$d/awk.site"
	check "$name: site_daily's pageviews and visitors are the log's" \
		"$(q "$d/all.db" 'SELECT day, pageviews, visitors FROM site_daily ORDER BY day')" \
		"$(cat "$d/awk.site")"
	local sum=0 v
	for s in "${shards[@]}"; do
		v=$(q "$s" 'SELECT sum(visitors) FROM site_daily')
		sum=$((sum + v))
		check "$name: $(basename "$s") holds some of the visitors only" \
			"$([ "$v" -gt 0 ] && [ "$v" -lt "$(q "$d/one.db" 'SELECT sum(visitors) FROM site_daily')" ] && echo yes)" yes
	done
	check "$name: the shards' visitors add up" "$sum" \
		"$(q "$d/one.db" 'SELECT sum(visitors) FROM site_daily')"
}

# (other) rows of DB in every table that folds: the test saw folds
folds() {
	q "$1" "SELECT (SELECT count(*) > 0 FROM breakdown_daily WHERE value = '(other)'),
		(SELECT count(*) > 0 FROM action_daily WHERE label = '(other)'),
		(SELECT count(*) > 0 FROM engagement_daily WHERE page = '(other)'),
		(SELECT count(*) > 0 FROM load_hourly WHERE hour LIKE '%T(other)')"
}

shape a 7 300 4 3
check "a: cells folded in every table that folds" "$(folds "$W/a/one.db")" "1|1|1|1"
shape b 11 60 3 3
check "b: site-wide cells folded too" \
	"$(q "$W/b/one.db" "SELECT count(*) > 0 FROM site_breakdown_daily WHERE value = '(other)'")" 1
shape c 3 150 4 5 --min-visitors 3
check "c: cells folded under K 3" "$(folds "$W/c/one.db")" "1|1|1|1"
shape d 5 40 2 2 --min-visitors 1

# merging the same set again changes nothing; nor does merging a set made
# anew (other database ids) into the same output
a=$W/a
"$LOGFOLD" merge -q "$a/all.db" "$a/shard-0.db" "$a/shard-1.db" "$a/shard-2.db"
check "again: merge" "$?" 0
mkdir -p "$a/anew"
for i in 0 1 2; do
	"$LOGFOLD" -q --shard "$i/3" --db "$a/anew/shard-$i.db" "$a"/part0*
done
"$LOGFOLD" merge -q "$a/all.db" "$a"/anew/shard-*.db
check "anew: merge" "$?" 0
for t in $TABLES; do
	check "again and anew: the same $t" \
		"$(rows "$a/all.db" "$t" | cmp -s - "$a/one.$t" && echo same)" same
done
# and what the merge publishes keeps the small-cell rule (K 5)
for t in breakdown_daily site_breakdown_daily action_daily engagement_daily load_hourly; do
	check "a: no row of $t under 5 visitors" \
		"$(q "$a/all.db" "SELECT count(*) FROM $t WHERE visitors < 5")" 0
done

# --- refusals ------------------------------------------------------------------
# refused CMD...: exit 2, and the message on stderr
refused() {
	"$@" >"$W/out" 2>"$W/err"
	echo "$?:$(cat "$W/err")"
}
s0=$a/shard-0.db
cp "$s0" "$W/s0.orig"
want="merge the shards first"
r=$(refused "$LOGFOLD" report --db "$s0" --text)
check "report of a shard" "${r%%:*}:$(grep -c "$want" "$W/err")" "2:1"
check "report of a shard: says which" "$(grep -c "'$s0' is shard 0/3" "$W/err")" 1
r=$(refused "$LOGFOLD" report --db "$s0" --json)
check "report --json of a shard" "${r%%:*}:$(grep -c "$want" "$W/err")" "2:1"
r=$(refused "$LOGFOLD" privacy --db "$s0")
check "privacy of a shard" "${r%%:*}:$(grep -c "$want" "$W/err")" "2:1"
r=$(refused "$LOGFOLD" prune --db "$s0" --csv "$W/csv")
check "CSV export of a shard (prune --csv)" "${r%%:*}:$(grep -c "$want" "$W/err")" "2:1"
check "CSV export of a shard: no file" "$(ls "$W/csv" 2>/dev/null | wc -l)" 0
r=$(refused "$LOGFOLD" --shard 0/3 --csv "$W/csv2" "$a/part00")
check "--shard with --csv" "${r%%:*}:$(grep -c "$want" "$W/err")" "2:1"
r=$(refused "$LOGFOLD" --shard 0/3 --db "$W/x.db" --report "$W/x.html" "$a/part00")
check "--shard with --report" "${r%%:*}:$(grep -c "$want" "$W/err")" "2:1"
check "the shard left as it was" "$(cmp -s "$s0" "$W/s0.orig" && echo same)" same

# merges: each exit 2, and no output file made
other=$W/other
mkdir -p "$other"
"$LOGFOLD" -q --shard 1/4 --db "$other/n4.db" "$a"/part0*
"$LOGFOLD" -q --shard 1/3 --min-visitors 7 --db "$other/k7.db" "$a"/part0*
r=$(refused "$LOGFOLD" merge "$W/m1.db" "$s0" "$other/n4.db" "$a/shard-2.db")
check "mixed N: exit 2" "${r%%:*}" 2
check "mixed N: says so" "$(grep -c "shards of different counts" "$W/err")" 1
r=$(refused "$LOGFOLD" merge "$W/m2.db" "$s0" "$other/k7.db" "$a/shard-2.db")
check "mixed settings: exit 2" "${r%%:*}" 2
check "mixed settings: says so" "$(grep -c "different settings" "$W/err")" 1
r=$(refused "$LOGFOLD" merge "$W/m3.db" "$a/one.db" "$s0" "$a/shard-1.db" "$a/shard-2.db")
check "sharded with unsharded: exit 2" "${r%%:*}" 2
check "sharded with unsharded: says so" "$(grep -c "from unsharded logs" "$W/err")" 1
r=$(refused "$LOGFOLD" merge "$W/m4.db" "$s0" "$a/shard-1.db" "$a/shard-2.db" "$a/one.db")
check "unsharded after shards: exit 2" "${r%%:*}" 2
r=$(refused "$LOGFOLD" merge "$W/m5.db" "$a/shard-1.db")
check "incomplete set: exit 2" "${r%%:*}" 2
check "incomplete set: names the missing shards" \
	"$(grep -c "missing shard 0/3, 2/3" "$W/err")" 1
c=$W/c
r=$(refused "$LOGFOLD" merge "$W/m6.db" "$c/shard-0.db" "$c/shard-2.db" "$c/shard-4.db")
check "incomplete set of 5: names the missing shards" \
	"${r%%:*}:$(grep -c "missing shard 1/5, 3/5 " "$W/err")" "2:1"
r=$(refused "$LOGFOLD" merge "$W/m7.db" "$s0" "$s0.copy" 2>/dev/null)
cp "$s0" "$W/s0copy.db"
r=$(refused "$LOGFOLD" merge "$W/m7.db" "$s0" "$W/s0copy.db" "$a/shard-1.db" "$a/shard-2.db")
check "a shard twice: exit 2" "${r%%:*}:$(grep -c "both are shard 0/3" "$W/err")" "2:1"
check "no output made by a refused merge" "$(ls "$W"/m?.db 2>/dev/null | wc -l)" 0
r=$(refused "$LOGFOLD" merge "$s0" "$a/shard-1.db")
check "merge into a shard: exit 2" "${r%%:*}" 2

# a shard's database takes that shard's runs only
r=$(refused "$LOGFOLD" -q --db "$s0" "$a/part00")
check "a run without --shard into a shard" "${r%%:*}:$(grep -c "only a run with --shard 0/3" "$W/err")" "2:1"
r=$(refused "$LOGFOLD" -q --shard 1/3 --db "$s0" "$a/part00")
check "another shard's run into a shard" "${r%%:*}" 2
r=$(refused "$LOGFOLD" -q --shard 0/3 --db "$a/one.db" "$a/part00")
check "a shard's run into an unsharded database" "${r%%:*}:$(grep -c "needs a database of its own" "$W/err")" "2:1"
check "and the shard left as it was" "$(cmp -s "$s0" "$W/s0.orig" && echo same)" same
# the config key
printf 'shard = 2/3\n' >"$W/shard.conf"
"$LOGFOLD" -q --config "$W/shard.conf" --db "$W/conf.db" "$a/part00"
check "config key shard" "$?:$(q "$W/conf.db" 'SELECT shard_index, shard_count FROM shard')" "0:2|3"
for bad in 3/3 -1/3 1 a/b 0/0 1/1001 0/3x; do
	r=$(refused "$LOGFOLD" --shard "$bad" --db "$W/bad.db" "$a/part00")
	check "--shard $bad: exit 2" "${r%%:*}:$(grep -c "0 <= I < N" "$W/err")" "2:1"
done
echo "shard: $pass passed, $fail failed"
[ "$fail" = 0 ]
