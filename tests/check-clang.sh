#!/bin/sh
# check-clang.sh - the build is warning-free on clang as well as gcc: every
# source file is compiled by clang with the Makefile's warnings and -Werror
# (syntax and semantic checks only, no code generation, so it is quick).
cd "$(dirname "$0")/.." || exit 1
pass=0 fail=0
flags=$(make -s --no-print-directory print-cflags EXTRA_WARN=-Werror)
for f in common/*.c parsers/*/*.c aggregate/*.c output/*.c cmd/*.c tests/unit/*.c tests/tools/*.c \
	tests/fuzz/*.c tests/fault/*.c; do
	[ -f "$f" ] || continue
	# ISA-L's wrapper is built only where the Makefile found libisal
	case "$f $flags" in *codec_igzip.c*LF_HAVE_ISAL*) ;; *codec_igzip.c*) continue ;; esac
	# eval: the flags carry shell quoting (-DLOGFOLD_VERSION='"x"').
	if eval "clang $flags -fsyntax-only \"\$f\"" 2>build/clang-check.err; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		cat build/clang-check.err >&2
	fi
done
echo "clang: $pass passed, $fail failed"
