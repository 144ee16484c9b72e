#!/bin/bash
# e2e.sh [CASE...] - the end-to-end cases under testdata/.
#
# A case is a directory testdata/NAME/ holding an `args` file. Every case runs
# in its own scratch copy under build/e2e/NAME/case (testdata/ is never
# written), as:
#
#   [setup]  sh ./setup           optional; may make .gz files, a `stdin` file,
#                                 or run $LOGFOLD beforehand (env: LOGFOLD, OUT,
#                                 TESTDATA, CASE)
#   [env VARS] logfold --csv $OUT --db $OUT/logfold.db ARGS <stdin
#                                 ARGS = the words of `args`, eval'ed by the
#                                 shell; stdin = the `stdin` file or /dev/null;
#                                 VARS = the words of an `env` file (TZ=...).
#                                 With an `own_outputs` file the runner adds no
#                                 --csv/--db: the case names its own outputs.
#
# and is checked against, each when present:
#   status                   the exit code (default 0)
#   expected/page_daily.csv  byte-exact against $OUT/page_daily.csv, and against
#                            the SQLite page_daily rendered as the same CSV
#                            (the CSV files are the database's tables in
#                            full, rows in key order, whatever the run wrote)
#   expected/TABLE.csv       for breakdown_daily, load_hourly, engagement_daily
#                            action_daily, bots_daily and days: byte-exact
#                            against $OUT/TABLE.csv, and (rows sorted, as the
#                            SQLite order of dimensions differs) against the
#                            SQLite table rendered the same way; load_hourly
#                            from the view load_hourly_stats, which adds the
#                            percentiles the CSV has
#   expected/runs_counts     "lines=26 pageviews=8 ..." against the last runs.csv
#                            row and the last row of the SQLite runs table;
#                            runs.csv's header must be the contract's
#   expected/none            nothing was written: no page_daily.csv, no db
#   stderr                   every line must occur in stderr (grep -F)
#   stdout                   every line must occur in stdout (grep -F)
#   stderr_not               no line may occur in stderr (grep -F)
#   README                   why every number is what it is (not read here)
#
# The SQLite rows are rendered by SQL (below), not by the CLI's -csv mode:
# that mode quotes far more eagerly than the CSV sink (any space, quote or
# non-ASCII byte) and knows nothing of the formula guard, so it cannot be
# compared byte for byte. The rendering applies the two rules the spec names:
# a leading ' on a cell starting with = + - @, then RFC 4180 quoting of a
# cell holding , " CR or LF.
#
# e2e.sh --jobs [CASE...] runs each case three times, with LOGFOLD_JOBS
# (the default of --jobs) 1, 2 and 7, the last two with chunks of 3 and of
# 1 line: each run must pass every check above, and the three must write
# the same tables, rows sorted (dump_tables). `make check` runs this mode.
#
# Cases run E2E_PARALLEL at a time (default: the CPUs online), each in its
# own folder. Prints one FAIL line per failed check with its diff, and last
# "e2e: N passed, N failed" (cases). Exit status 1 when any case failed.

set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
TESTDATA=$ROOT/testdata
LOGFOLD=${LOGFOLD:-$ROOT/logfold}
WORK=$ROOT/build/e2e
export LOGFOLD TESTDATA
# The test logs are from 2024: a fixed "today" keeps --retention from
# deleting them (cmd/options.c reads LOGFOLD_TODAY).
export LOGFOLD_TODAY=${LOGFOLD_TODAY:-2024-12-01}

pass=0
fail=0

if [ ! -x "$LOGFOLD" ]; then
	echo "e2e: no executable '$LOGFOLD' (run make)" >&2
	echo "e2e: 0 passed, 1 failed"
	exit 1
fi
if ! command -v sqlite3 >/dev/null 2>&1; then
	echo "e2e: the sqlite3 command is needed (apt-get install sqlite3)" >&2
	echo "e2e: 0 passed, 1 failed"
	exit 1
fi

# csv_cell SQL-EXPR: the expression rendered as one CSV cell (see above).
csv_cell() {
	local g="(CASE WHEN substr($1,1,1) IN ('=','+','-','@') THEN '''' || $1 ELSE $1 END)"
	printf "(CASE WHEN instr(%s,'\"')+instr(%s,',')+instr(%s,char(10))+instr(%s,char(13)) > 0 THEN '\"' || replace(%s,'\"','\"\"') || '\"' ELSE %s END)" \
		"$g" "$g" "$g" "$g" "$g" "$g"
}

PD_COLS="site,day,page,pageviews,visitors,visits,entrances,bounces,exits,time_on_page_s,time_on_page_n"
RUNS_COLS="started,version,inputs,lines,pageviews,malformed,not_get,status,static,bot,other_site,excluded,not_request,expired,future,beacon"
PD_SQL="SELECT $(csv_cell site) || ',' || $(csv_cell day) || ',' || $(csv_cell page)"
for c in pageviews visitors visits entrances bounces exits time_on_page_s time_on_page_n; do
	PD_SQL="$PD_SQL || ',' || $c"
done
PD_SQL="$PD_SQL FROM page_daily ORDER BY site, day, page;"

# db_page_daily DB: page_daily as CSV text, header first.
db_page_daily() {
	echo "$PD_COLS"
	sqlite3 -bail -batch -noheader -list "$1" "$PD_SQL"
}

# db_table TABLE COLS: the SQLite rows of TABLE (load_hourly: its view
# load_hourly_stats) as CSV text with the columns COLS, sorted, no header.
db_table() {
	local src=$1 cols=$2 sql= c
	[ "$src" = load_hourly ] && src=load_hourly_stats
	for c in ${cols//,/ }; do
		sql="${sql:+$sql || ',' || }$(csv_cell "$c")"
	done
	sqlite3 -bail -batch -noheader -list "$OUT/logfold.db" "SELECT $sql FROM $src;" | LC_ALL=C sort
}

# check_table TABLE: expected/TABLE.csv against the CSV and the database.
check_table() {
	local t=$1 want=$dir/expected/$1.csv
	if [ ! -f "$OUT/$t.csv" ]; then
		bad "no $t.csv written"
	elif ! cmp -s "$want" "$OUT/$t.csv"; then
		bad "$t.csv differs" "$(diff -u "$want" "$OUT/$t.csv")"
	fi
	[ -f "$OUT/logfold.db" ] || return 0
	db_table "$t" "$(head -n 1 "$want")" >"$base/db_$t.csv" 2>&1
	tail -n +2 "$want" | LC_ALL=C sort >"$base/want_$t.csv"
	cmp -s "$base/want_$t.csv" "$base/db_$t.csv" ||
		bad "SQLite $t differs" "$(diff -u "$base/want_$t.csv" "$base/db_$t.csv")"
}

# ok/bad: record the result of one check of the current case.
case_failed=0
bad() {
	case_failed=1
	echo "FAIL $name: $1"
	[ $# -gt 1 ] && printf '%s\n' "$2" | sed 's/^/    /'
	return 0
}

# check_counts WHAT GET-COMMAND: compare expected/runs_counts with the values
# GET-COMMAND prints for a column name.
check_counts() {
	local what=$1 getter=$2 kv key want got
	for kv in $(cat "$dir/expected/runs_counts"); do
		key=${kv%%=*}
		want=${kv#*=}
		got=$($getter "$key" 2>&1)
		[ "$got" = "$want" ] || bad "$what: $key = '$got', want '$want'"
	done
}
csv_runs_col() {
	sqlite3 -bail -batch -noheader -list :memory: \
		".import --csv '$OUT/runs.csv' r" "SELECT \"$1\" FROM r ORDER BY rowid DESC LIMIT 1;"
}
db_runs_col() {
	sqlite3 -bail -batch -noheader -list "$OUT/logfold.db" \
		"SELECT \"$1\" FROM runs ORDER BY rowid DESC LIMIT 1;"
}

run_case() {
	name=$1
	dir=$TESTDATA/$name
	case_failed=0
	local base=$WORK/$name
	rm -rf "$base"
	mkdir -p "$base/out"
	cp -R "$dir/." "$base/case"
	OUT=$base/out
	export OUT CASE=$name

	if [ -f "$dir/setup" ]; then
		if ! (cd "$base/case" && sh ./setup) >"$base/setup.log" 2>&1; then
			bad "setup failed" "$(cat "$base/setup.log")"
			return
		fi
	fi

	local argv
	argv=$(cat "$dir/args")
	local stdin=/dev/null
	[ -f "$base/case/stdin" ] && stdin=$base/case/stdin
	local envs=
	[ -f "$dir/env" ] && envs=$(cat "$dir/env")
	local outs='--csv "$OUT" --db "$OUT/logfold.db"'
	[ -f "$dir/own_outputs" ] && outs=
	local rc=0
	(cd "$base/case" && eval "exec env $envs \"\$LOGFOLD\" $outs $argv") \
		<"$stdin" >"$base/stdout" 2>"$base/stderr" || rc=$?

	local want_rc=0
	[ -f "$dir/status" ] && want_rc=$(cat "$dir/status")
	if [ "$rc" != "$want_rc" ]; then
		bad "exit status $rc, want $want_rc" "$(head -n 20 "$base/stderr")"
	fi
	if [ "$rc" -ge 128 ]; then
		return # a crash: nothing else is meaningful
	fi

	local line
	if [ -f "$dir/stderr" ]; then
		while IFS= read -r line || [ -n "$line" ]; do
			[ -z "$line" ] && continue
			grep -qF -- "$line" "$base/stderr" ||
				bad "stderr lacks: $line" "$(cat "$base/stderr")"
		done <"$dir/stderr"
	fi
	if [ -f "$dir/stdout" ]; then
		while IFS= read -r line || [ -n "$line" ]; do
			[ -z "$line" ] && continue
			grep -qF -- "$line" "$base/stdout" ||
				bad "stdout lacks: $line" "$(head -n 20 "$base/stdout")"
		done <"$dir/stdout"
	fi
	if [ -f "$dir/stderr_not" ]; then
		while IFS= read -r line || [ -n "$line" ]; do
			[ -z "$line" ] && continue
			grep -qF -- "$line" "$base/stderr" &&
				bad "stderr has: $line" "$(cat "$base/stderr")"
		done <"$dir/stderr_not"
	fi

	if [ -f "$dir/expected/page_daily.csv" ]; then
		if [ ! -f "$OUT/page_daily.csv" ]; then
			bad "no page_daily.csv written"
		elif ! cmp -s "$dir/expected/page_daily.csv" "$OUT/page_daily.csv"; then
			bad "page_daily.csv differs" \
				"$(diff -u "$dir/expected/page_daily.csv" "$OUT/page_daily.csv")"
		fi
		local want_db=$dir/expected/page_daily.csv
		if [ ! -f "$OUT/logfold.db" ]; then
			bad "no database written"
		else
			db_page_daily "$OUT/logfold.db" >"$base/db_page_daily.csv" 2>&1
			cmp -s "$want_db" "$base/db_page_daily.csv" ||
				bad "SQLite page_daily differs" \
					"$(diff -u "$want_db" "$base/db_page_daily.csv")"
		fi
	fi
	local t
	for t in breakdown_daily load_hourly engagement_daily action_daily bots_daily days site_daily \
		site_breakdown_daily; do
		[ -f "$dir/expected/$t.csv" ] && check_table "$t"
	done
	if [ -f "$dir/expected/runs_counts" ]; then
		if [ -f "$OUT/runs.csv" ]; then
			line=$(head -n 1 "$OUT/runs.csv")
			[ "$line" = "$RUNS_COLS" ] || bad "runs.csv header '$line', want '$RUNS_COLS'"
			check_counts runs.csv csv_runs_col
		else
			bad "no runs.csv written"
		fi
		[ -f "$OUT/logfold.db" ] && check_counts "SQLite runs" db_runs_col
	fi
	if [ -f "$dir/expected/none" ]; then
		local f
		for f in "$OUT"/* "$base"/case/logfold.db; do
			[ -e "$f" ] && bad "wrote '${f#"$base"/}' although nothing should be written"
		done
	fi
}

# dump_tables DIR: every table a case wrote, rows sorted, to compare runs
# of it with different --jobs: the CSV files, and the SQLite tables but
# the run's start time and the database's random id.
dump_tables() {
	local f t cols
	for f in "$OUT"/*.csv; do
		[ -f "$f" ] || continue
		echo "== ${f##*/}"
		if [ "${f##*/}" = runs.csv ]; then
			cut -d, -f2- "$f" | LC_ALL=C sort
		else
			LC_ALL=C sort "$f"
		fi
	done
	[ -f "$OUT/logfold.db" ] || return 0
	for t in $(sqlite3 -batch -noheader "$OUT/logfold.db" \
		"SELECT name FROM sqlite_master WHERE type = 'table' AND name <> 'database_id' ORDER BY name;"); do
		cols=$(sqlite3 -batch -noheader "$OUT/logfold.db" \
			"SELECT group_concat(quote(name), ',') FROM pragma_table_info('$t') WHERE name <> 'started';")
		echo "== db $t"
		sqlite3 -batch -noheader -list "$OUT/logfold.db" "SELECT $cols FROM \"$t\";" | LC_ALL=C sort
	done
}

# --jobs: every case three times, with LOGFOLD_JOBS (the default of --jobs,
# its set-up's runs too) 1, 2 and 7, the last two cutting chunks of 3 and
# of 1 line so that every session, visitor and directive crosses chunk
# boundaries even in a small log. Each run passes every check of the case,
# and the three write the same tables (sorted).
JOBS_MODE=0
if [ "${1:-}" = --jobs ]; then
	JOBS_MODE=1
	shift
fi

# run_jobs NAME: the case at --jobs 1, 2 and 7; the dumps compared.
run_jobs() {
	local j lines any_failed=0
	for j in 1 2 7; do
		lines=
		[ $j = 2 ] && lines=3
		[ $j = 7 ] && lines=1
		LOGFOLD_JOBS=$j LOGFOLD_CHUNK_LINES=$lines run_case "$1"
		[ $case_failed = 0 ] || any_failed=1
		dump_tables >"$WORK/$1.jobs$j" 2>&1
		if [ $j != 1 ] && ! cmp -s "$WORK/$1.jobs1" "$WORK/$1.jobs$j"; then
			bad "--jobs $j wrote other tables than --jobs 1" \
				"$(diff -u "$WORK/$1.jobs1" "$WORK/$1.jobs$j" | head -n 40)"
			any_failed=1
		fi
	done
	case_failed=$any_failed
}

cases=("$@")
if [ ${#cases[@]} -eq 0 ]; then
	for d in "$TESTDATA"/*/; do
		[ -f "$d/args" ] && cases+=("$(basename "$d")")
	done
fi

# The cases run E2E_PARALLEL at a time (default: the CPUs online), each in
# its own folder under $WORK; each one's output is kept and printed in the
# cases' order, and a case whose run dies without saying it passed fails.
par=${E2E_PARALLEL:-$(nproc 2>/dev/null || echo 1)}
running=0
mkdir -p "$WORK"
for c in "${cases[@]}"; do
	rm -f "$WORK/$c.passed"
	(
		if [ $JOBS_MODE = 1 ]; then
			run_jobs "$c"
		else
			run_case "$c"
		fi
		[ $case_failed = 0 ] && : >"$WORK/$c.passed"
	) >"$WORK/$c.out" 2>&1 &
	running=$((running + 1))
	if [ $running -ge "$par" ]; then
		wait -n
		running=$((running - 1))
	fi
done
wait
for c in "${cases[@]}"; do
	cat "$WORK/$c.out"
	if [ -f "$WORK/$c.passed" ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
	fi
done

echo "e2e: $pass passed, $fail failed"
[ $fail = 0 ]
