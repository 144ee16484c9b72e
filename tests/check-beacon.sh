#!/bin/bash
# check-beacon.sh - beacon/logfold.js stays small and keeps its promises.
#   - it parses (node --check), when node is there;
#   - minified (comments, indentation and blank lines stripped: a crude
#     minifier, so the real one can only do better) and gzipped, it is at
#     most 2048 bytes;
#   - it touches no storage and no fingerprinting surface: none of
#     localStorage sessionStorage indexedDB "document.cookie =" canvas
#     getContext toDataURL plugins fonts language timeZone screen.width
#     screen.height deviceMemory hardwareConcurrency Math.random.
# Last line: "beacon: N passed, N failed".
cd "$(dirname "$0")/.." || exit 1
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL beacon: $*"; }
js=beacon/logfold.js

if command -v node >/dev/null 2>&1; then
	node --check "$js" && ok || bad "node --check $js failed"
fi
# Strip /* */ blocks, // comments that start a line or follow whitespace,
# leading and trailing blanks, empty lines.
min=$(sed -e '/^\s*\/\*/,/\*\/\s*$/d' -e 's#\(^\|\s\)//.*$##' -e 's/^\s*//' -e 's/\s*$//' -e '/^$/d' "$js")
size=$(printf '%s' "$min" | gzip -9 | wc -c)
echo "beacon: $(printf '%s' "$min" | wc -c) bytes minified, $size gzipped"
[ "$size" -le 2048 ] && ok || bad "minified and gzipped $size bytes, more than 2048"
# the stripped text must still parse: the crude minifier cut nothing it needed
if command -v node >/dev/null 2>&1; then
	printf '%s' "$min" >build/logfold.min.js 2>/dev/null || { mkdir -p build && printf '%s' "$min" >build/logfold.min.js; }
	node --check build/logfold.min.js && ok || bad "the minified text does not parse"
fi
for w in localStorage sessionStorage indexedDB 'document.cookie =' 'cookie=' canvas getContext \
	toDataURL plugins fonts language timeZone 'screen.width' 'screen.height' deviceMemory \
	hardwareConcurrency 'Math.random'; do
	printf '%s' "$min" | grep -qF -- "$w" && bad "the beacon uses '$w'" || ok
done
echo "beacon: $pass passed, $fail failed"
[ $fail = 0 ]
