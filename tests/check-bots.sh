#!/bin/bash
# check-bots.sh - robot detection (parsers/reduce/agent.c) on two lists:
#   tests/bots/crawler-instances.txt  every example agent of the
#                                     crawler-user-agents list: all robots
#   tests/bots/browsers.txt           200 real browser agents: none a robot
# Last line: "bots: N passed, N failed" (one per agent).
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
TOOL=$ROOT/build/tools/agentcheck
REGEXES=${UAP_CORE:-/usr/share/uap-core}/regexes.yaml
pass=0
fail=0
. "$ROOT/tests/counts.sh"
for arg in "--bots crawler-instances.txt" "--people browsers.txt"; do
	set -- $arg
	out=$("$TOOL" "$REGEXES" "$1" "$ROOT/tests/bots/$2" 2>&1)
	printf '%s\n' "$out" | tail -n 20
	count_last "$out"
done
echo "bots: $pass passed, $fail failed"
[ "$fail" = 0 ]
