# counts.sh - sourced by check scripts that add up sub-tests: count_last
# OUTPUT adds the "NAME: N passed, N failed" last line of OUTPUT to the
# shell variables pass and fail (a missing line is one failure); check NAME
# GOT WANT adds one pass when GOT is WANT, else one failure, said as
# "SUITE: FAIL NAME: got '...', want '...'".
pass=0
fail=0

check() {
	if [ "$2" = "$3" ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "$SUITE: FAIL $1: got '$2', want '$3'"
	fi
}
count_last() {
	local last p f
	last=$(printf '%s\n' "$1" | tail -n 1)
	p=$(printf '%s\n' "$last" | sed -nE 's/.*: ([0-9]+) passed, ([0-9]+) failed$/\1/p')
	f=$(printf '%s\n' "$last" | sed -nE 's/.*: ([0-9]+) passed, ([0-9]+) failed$/\2/p')
	if [ -z "$p" ]; then
		fail=$((fail + 1))
	else
		pass=$((pass + p))
		fail=$((fail + f))
	fi
}
