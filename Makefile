# logfold - plain GNU make. `make` builds ./logfold; `make check` builds with
# -Werror and runs every test; `make demo` runs logfold on the bundled sample;
# `make bench` measures speed; `make bench-backfill` a long backfill's memory.
# `make deps` installs missing Debian packages (as root; otherwise it prints
# the apt-get command and stops).

CC      ?= cc
VERSION := 0.1.0
PKGS    := zlib sqlite3 libpcre2-8 libmaxminddb yaml-0.1 libzstd liblzma
# gzip is read by ISA-L's igzip when the build finds it (about 2.8x zlib's
# inflate: README, "Compressed input"), by zlib otherwise or with ISAL=no
# (Debian builds libisal for some architectures only).
ifndef ISAL
ISAL    := $(shell pkg-config --exists libisal 2>/dev/null && echo yes || echo no)
endif
ifeq ($(ISAL),yes)
PKGS    += libisal
CODEC_DEFS := -DLF_HAVE_ISAL
endif

WARN := -Wall -Wextra -Wstrict-prototypes -Wmissing-prototypes -Wvla -Wshadow \
        -Wpointer-arith -Wcast-qual -Wwrite-strings -Wformat=2 -Wundef \
        -Wno-unused-parameter
OPT  ?= -O2 -g
CFLAGS_ALL = -std=c11 -D_GNU_SOURCE $(OPT) $(WARN) $(EXTRA_WARN) \
             -DLOGFOLD_VERSION='"$(VERSION)"' $(shell pkg-config --cflags $(PKGS) 2>/dev/null) $(CFLAGS)
CFLAGS_ALL += $(CODEC_DEFS)
# libbz2 has no pkg-config file in Debian 12
LIBS     = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lbz2 -lpthread -lm

ifdef SANITIZE
CFLAGS_ALL += -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all
LDFLAGS    += -fsanitize=$(SANITIZE)
endif

# Debian packages: to build, to run the tests, to show the demo.
DEB_BUILD := gcc make pkg-config zlib1g-dev libsqlite3-dev libpcre2-dev libmaxminddb-dev \
             publicsuffix tzdata libyaml-dev uap-core libzstd-dev liblzma-dev libbz2-dev
# Installed where Debian has it, its absence not an error: gzip falls back
# to zlib (ISAL above).
DEB_OPTIONAL := libisal-dev
# libmaxmind-db-writer-perl: the tests build their .mmdb fixtures with it.
# nginx, chromium and node run the browser test (tests/check-browser.sh);
# node's npm installs playwright-core into build/browser/ (never committed).
# gzip, zstd, xz-utils, bzip2: the tests compress their fixtures with them.
DEB_CHECK := $(DEB_BUILD) gzip zstd xz-utils bzip2 sqlite3 clang libmaxmind-db-writer-perl \
             nginx chromium
PLAYWRIGHT_CORE := 1.49.1
DEB_DEMO  := $(DEB_BUILD) sqlite3
DEB_BENCH := $(DEB_BUILD) gzip zstd xz-utils bzip2 time libmaxmind-db-writer-perl

B := build
LIB_DIRS := common parsers/input parsers/formats parsers/reduce aggregate output
LIB_SRC  := $(sort $(foreach d,$(LIB_DIRS),$(wildcard $(d)/*.c)))
ifneq ($(ISAL),yes)
LIB_SRC  := $(filter-out parsers/input/codec_igzip.c,$(LIB_SRC))
endif
CMD_SRC  := $(sort $(wildcard cmd/*.c))
LIB_OBJ  := $(LIB_SRC:%.c=$(B)/%.o) $(B)/gen/crawlers.o
CMD_OBJ  := $(CMD_SRC:%.c=$(B)/%.o)
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(B)/tests/%)
TOOL_SRC := $(sort $(wildcard tests/tools/*.c))
TOOL_BIN := $(TOOL_SRC:tests/tools/%.c=$(B)/tools/%)
FUZZ_SRC := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BIN := $(FUZZ_SRC:tests/fuzz/fuzz_%.c=$(B)/fuzz/replay_%)
FUZZ_SECONDS ?= 60

.PHONY: all check demo bench bench-backfill print-cflags deps deps-optional deps-check deps-demo deps-bench browser-deps clean fuzz update-crawlers
all: logfold

# Rebuild everything when the flags change (e.g. SANITIZE on and off).
FLAGS_STAMP := $(B)/.flags
$(FLAGS_STAMP): FORCE
	@mkdir -p $(B)
	@echo '$(CC) $(CFLAGS_ALL) $(LDFLAGS)' | cmp -s - $@ || echo '$(CC) $(CFLAGS_ALL) $(LDFLAGS)' > $@
FORCE:

$(B)/%.o: %.c $(FLAGS_STAMP)
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(CFLAGS_ALL) -MMD -MP -c $< -o $@

# The robot patterns, compiled in from the committed list (see
# parsers/reduce/crawler-user-agents.txt and `make update-crawlers`): each line a C
# string, with \ " and ? escaped (? so that no ??x trigraph forms).
$(B)/gen/crawlers.c: parsers/reduce/crawler-user-agents.txt
	@mkdir -p $(dir $@)
	@echo "  GEN     $@"
	@{ echo '/* generated from parsers/reduce/crawler-user-agents.txt by the Makefile */'; \
	  echo '#include "../../parsers/reduce/crawlers.h"'; \
	  echo 'const char *const crawler_patterns[] = {'; \
	  grep -v '^#' $< | sed -e 's/[\\"?]/\\&/g' -e 's/.*/\t"&",/'; \
	  echo '};'; \
	  echo 'const unsigned crawler_npatterns = sizeof(crawler_patterns) / sizeof(crawler_patterns[0]);'; \
	} > $@.tmp && mv $@.tmp $@

update-crawlers:
	@tests/bots/update-crawlers.sh

logfold: $(LIB_OBJ) $(CMD_OBJ)
	@echo "  LINK    $@"
	@$(CC) $(LDFLAGS) -o $@ $^ $(LIBS)

# logfold as a build without libisal is: gzip read by zlib (the codec
# table without ISA-L's row), for tests/check-zlib.sh. Only where the
# build has ISA-L: otherwise ./logfold is that build.
ZLIB_ONLY := $(if $(filter yes,$(ISAL)),$(B)/logfold-zlib)
$(B)/zlib/codec.o: parsers/input/codec.c $(FLAGS_STAMP)
	@mkdir -p $(dir $@)
	@echo "  CC      $< (without ISA-L)"
	@$(CC) $(filter-out -DLF_HAVE_ISAL,$(CFLAGS_ALL)) -MMD -MP -c $< -o $@
$(B)/logfold-zlib: $(filter-out $(B)/parsers/input/codec.o $(B)/parsers/input/codec_igzip.o,\
		   $(LIB_OBJ)) $(B)/zlib/codec.o $(CMD_OBJ)
	@echo "  LINK    $@"
	@$(CC) $(LDFLAGS) -o $@ $^ $(LIBS)

$(B)/tests/%: tests/unit/%.c $(LIB_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -MMD -MP -o $@ $< $(LIB_OBJ) $(LDFLAGS) $(LIBS)

$(B)/tools/%: tests/tools/%.c $(LIB_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -MMD -MP -o $@ $< $(LIB_OBJ) $(LDFLAGS) $(LIBS)

# Corpus replay for `make check`: each fuzz target linked with a plain main.
$(B)/fuzz/replay_%: tests/fuzz/fuzz_%.c tests/fuzz/replay.c $(LIB_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -MMD -MP -o $@ $< tests/fuzz/replay.c $(LIB_OBJ) $(LDFLAGS) $(LIBS)

# `make fuzz`: libFuzzer (clang) on each target for FUZZ_SECONDS, new
# findings saved to build/fuzz/found-NAME/ (add the instructive ones to the corpus).
fuzz: $(B)/gen/crawlers.c
	@tests/deps.sh clang $(DEB_BUILD)
	@set -e; for src in $(FUZZ_SRC); do \
		name=$$(basename $$src .c); out=$(B)/fuzz/lf-$$name; mkdir -p $(B)/fuzz/found-$$name; \
		clang -std=c11 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined \
			$$(pkg-config --cflags $(PKGS)) $(CODEC_DEFS) -DLOGFOLD_VERSION='"$(VERSION)"' \
			-o $$out $$src $(LIB_SRC) $(B)/gen/crawlers.c $(LIBS); \
		$$out -max_total_time=$(FUZZ_SECONDS) -artifact_prefix=$(B)/fuzz/found-$$name/ \
			$(B)/fuzz/found-$$name tests/fuzz/corpus/$${name#fuzz_}; \
	done

# deps-optional: tried, never fatal (the build then does without).
deps-optional:
	@tests/deps.sh $(DEB_OPTIONAL) 2>/dev/null || echo "not installed: $(DEB_OPTIONAL) (gzip read by zlib)"
deps: deps-optional
	@tests/deps.sh $(DEB_BUILD)
deps-check: deps-optional
	@tests/deps.sh $(DEB_CHECK)
deps-demo: deps-optional
	@tests/deps.sh $(DEB_DEMO)
deps-bench: deps-optional
	@tests/deps.sh $(DEB_BENCH)

check: deps-check browser-deps
	@$(MAKE) --no-print-directory EXTRA_WARN=-Werror logfold $(UNIT_BIN) $(TOOL_BIN) $(FUZZ_BIN) \
		$(ZLIB_ONLY)
	@tests/run.sh

# node and npm from Debian unless the machine has them already (another
# packaging of node would conflict with Debian's npm); then playwright-core,
# the one npm package, pinned, into build/browser/node_modules. A failure
# here is not fatal: tests/check-browser.sh then fails and says what is missing.
browser-deps:
	@command -v npm >/dev/null 2>&1 || tests/deps.sh nodejs npm || true
	@v=$$(sed -n 's/^  "version": "\(.*\)",$$/\1/p' $(B)/browser/node_modules/playwright-core/package.json 2>/dev/null); \
	if [ "$$v" != "$(PLAYWRIGHT_CORE)" ] && command -v npm >/dev/null 2>&1; then \
		echo "installing: playwright-core@$(PLAYWRIGHT_CORE) (npm, into $(B)/browser)"; \
		mkdir -p $(B)/browser && echo '{"private": true}' > $(B)/browser/package.json && \
		npm install --prefix $(B)/browser --no-save --no-audit --no-fund --silent \
			playwright-core@$(PLAYWRIGHT_CORE) >/dev/null || echo "npm install failed" >&2; \
	fi

demo: deps-demo
	@$(MAKE) --no-print-directory logfold
	@tests/demo.sh

bench: deps-bench
	@$(MAKE) --no-print-directory logfold $(TOOL_BIN) $(ZLIB_ONLY)
	@tests/bench/bench.sh

# The compiler flags, for tests/check-clang.sh (without SANITIZE: clang
# only parses, it links nothing).
print-cflags:
	$(info $(filter-out -fsanitize=% -fno-sanitize-recover=all,$(CFLAGS_ALL)))
	@:

# Peak RSS of a 365-day backfill against one day (26 GB of logs, minutes).
bench-backfill: deps-bench
	@$(MAKE) --no-print-directory logfold $(TOOL_BIN)
	@tests/bench/backfill.sh

clean:
	rm -rf $(B) logfold

-include $(LIB_OBJ:.o=.d) $(CMD_OBJ:.o=.d) $(B)/zlib/codec.d $(UNIT_BIN:=.d) $(TOOL_BIN:=.d) $(FUZZ_BIN:=.d)
