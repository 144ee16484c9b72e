# logfold - plain GNU make. `make` builds ./logfold; `make check` builds with
# -Werror and runs every test; `make demo` runs logfold on the bundled sample;
# `make bench` measures speed; `make bench-backfill` a long backfill's memory.
# `make deps` installs missing Debian packages (as root; otherwise it prints
# the apt-get command and stops). `make install` / `make uninstall` honour
# PREFIX (default /usr/local) and DESTDIR; debian/ builds the Debian package.

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
             -DLOGFOLD_VERSION='"$(VERSION)"' -DLOGFOLD_SYSCONFDIR='"$(SYSCONFDIR)"' \
             $(shell pkg-config --cflags $(PKGS) 2>/dev/null) $(CPPFLAGS) $(CFLAGS)
CFLAGS_ALL += $(CODEC_DEFS)
# libbz2 has no pkg-config file in Debian 12
LIBS     = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lbz2 -lpthread -lm

ifdef SANITIZE
CFLAGS_ALL += -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all
LDFLAGS    += -fsanitize=$(SANITIZE)
endif

# Where `make install` puts things (DESTDIR before each). The config is read
# from SYSCONFDIR/logfold.conf (compiled in), /etc whatever the PREFIX, as
# logfold always did: a /usr/local build still reads /etc/logfold.conf.
# systemd reads units from /usr/local/lib/systemd/system too; bash-completion
# and zsh look under /usr/local/share as under /usr/share.
PREFIX         ?= /usr/local
BINDIR         ?= $(PREFIX)/bin
MANDIR         ?= $(PREFIX)/share/man
DATADIR        ?= $(PREFIX)/share/logfold
SYSCONFDIR     ?= /etc
SYSTEMDUNITDIR ?= $(PREFIX)/lib/systemd/system
BASHCOMPDIR    ?= $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR     ?= $(PREFIX)/share/zsh/site-functions

# Debian packages: to build, to run the tests, to show the demo.
DEB_BUILD := gcc make pkg-config zlib1g-dev libsqlite3-dev libpcre2-dev libmaxminddb-dev \
             publicsuffix tzdata libyaml-dev uap-core libzstd-dev liblzma-dev libbz2-dev
# Installed where Debian has it, its absence not an error: gzip falls back
# to zlib (ISAL above).
DEB_OPTIONAL := libisal-dev
# libmaxmind-db-writer-perl: the tests build their .mmdb fixtures with it.
# nginx, chromium and node run the browser test (tests/check-browser.sh);
# node's npm installs playwright-core into build/browser/ (never committed).
# zsh and bash-completion: the completion test; systemd (systemd-analyze),
# man-db, logrotate: the install test; debhelper, dpkg-dev, fakeroot,
# lintian, adduser: the package test (tests/check-install.sh,
# tests/check-package.sh). gzip, zstd, xz-utils, bzip2: the tests compress
# their fixtures with them. clang-format: tests/check-format.sh (make
# format-check). slurm-wlm, munge: the single-node cluster of
# tests/check-slurm.sh (--shard as a job array).
DEB_CHECK := $(DEB_BUILD) gzip zstd xz-utils bzip2 sqlite3 clang libmaxmind-db-writer-perl \
             nginx chromium zsh bash-completion systemd man-db logrotate debhelper dpkg-dev \
             fakeroot lintian adduser clang-format slurm-wlm munge
PLAYWRIGHT_CORE := 1.49.1
DEB_DEMO  := $(DEB_BUILD) sqlite3
# goaccess: the bench's comparison (issue 18), never needed by a test.
DEB_BENCH := $(DEB_BUILD) gzip zstd xz-utils bzip2 time libmaxmind-db-writer-perl sqlite3 \
             goaccess

B := build
LIB_DIRS := common parsers/input parsers/formats parsers/reduce aggregate output
LIB_SRC  := $(sort $(foreach d,$(LIB_DIRS),$(wildcard $(d)/*.c)))
ifneq ($(ISAL),yes)
LIB_SRC  := $(filter-out parsers/input/codec_igzip.c,$(LIB_SRC))
endif
CMD_SRC  := $(sort $(wildcard cmd/*.c))
LIB_OBJ  := $(LIB_SRC:%.c=$(B)/%.o) $(B)/gen/crawlers.o $(B)/gen/report_assets.o
CMD_OBJ  := $(CMD_SRC:%.c=$(B)/%.o)
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(B)/tests/%)
TOOL_SRC := $(sort $(wildcard tests/tools/*.c))
TOOL_BIN := $(TOOL_SRC:tests/tools/%.c=$(B)/tools/%)
FUZZ_SRC := $(sort $(wildcard tests/fuzz/fuzz_*.c))
# One target per log format family, built from tests/fuzz/format.c: a new
# family is one word here (and a corpus in tests/fuzz/corpus/format_NAME/).
FUZZ_FORMATS := clf w3c cloudfront elb alb caddy traefik haproxy squid nginx_json json custom
FUZZ_NAMES := $(FUZZ_SRC:tests/fuzz/fuzz_%.c=%) $(FUZZ_FORMATS:%=format_%)
FUZZ_BIN := $(FUZZ_NAMES:%=$(B)/fuzz/replay_%)
FUZZ_SECONDS ?= 60
FUZZ_TIMEOUT ?= 10
FUZZ_TARGETS ?= $(FUZZ_NAMES)

.PHONY: all install uninstall check format-check demo bench bench-backfill print-cflags deps deps-optional deps-check deps-demo deps-bench browser-deps clean fuzz fuzz-merge update-crawlers
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

# The HTML report's style and script, inlined into every report: each line
# of output/report.css and output/report.js a C string, with \ " and ?
# escaped, so that the string is the file byte for byte.
$(B)/gen/report_assets.c: output/report.css output/report.js
	@mkdir -p $(dir $@)
	@echo "  GEN     $@"
	@{ echo '/* generated from output/report.css and output/report.js by the Makefile */'; \
	  echo '#include "../../output/report_assets.h"'; \
	  echo 'const char report_css[] ='; \
	  sed -e 's/[\\"?]/\\&/g' -e 's/.*/\t"&\\n"/' output/report.css; \
	  echo ';'; \
	  echo 'const char report_js[] ='; \
	  sed -e 's/[\\"?]/\\&/g' -e 's/.*/\t"&\\n"/' output/report.js; \
	  echo ';'; \
	} > $@.tmp && mv $@.tmp $@

$(B)/gen/report_assets.o: $(B)/gen/report_assets.c $(FLAGS_STAMP)
	@echo "  CC      $<"
	@$(CC) $(CFLAGS_ALL) -c $< -o $@

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

# The option table's test drives cmd/'s parsing itself: it links cmd/ but
# its main().
CMD_LIB_OBJ := $(filter-out $(B)/cmd/main.o,$(CMD_OBJ))
$(B)/tests/test_options: tests/unit/test_options.c $(LIB_OBJ) $(CMD_LIB_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -MMD -MP -o $@ $< $(CMD_LIB_OBJ) $(LIB_OBJ) $(LDFLAGS) $(LIBS)

$(B)/tools/%: tests/tools/%.c $(LIB_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -MMD -MP -o $@ $< $(LIB_OBJ) $(LDFLAGS) $(LIBS)

# The fault-injection shim of tests/check-faults.sh (LD_PRELOAD), built
# without the sanitizers: it is loaded before their runtime.
$(B)/tools/faultfs.so: tests/fault/faultfs.c
	@mkdir -p $(dir $@)
	$(CC) -std=c11 -O2 -g $(WARN) $(EXTRA_WARN) -fPIC -shared -o $@ $< -ldl

# Corpus replay for `make check`: each fuzz target linked with a plain main.
$(FUZZ_FORMATS:%=$(B)/fuzz/replay_format_%): $(B)/fuzz/replay_format_%: tests/fuzz/format.c \
		tests/fuzz/replay.c $(LIB_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -DFUZZ_FORMAT='"$*"' -MMD -MP -o $@ $< tests/fuzz/replay.c $(LIB_OBJ) $(LDFLAGS) $(LIBS)
$(B)/fuzz/replay_%: tests/fuzz/fuzz_%.c tests/fuzz/replay.c $(LIB_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -MMD -MP -o $@ $< tests/fuzz/replay.c $(LIB_OBJ) $(LDFLAGS) $(LIBS)

# `make fuzz`: libFuzzer (clang, ASan, UBSan) on each of FUZZ_TARGETS (all
# by default) for FUZZ_SECONDS with its corpus (an input running over
# FUZZ_TIMEOUT seconds is a finding); `make fuzz-merge` then adds
# what added coverage to tests/fuzz/corpus/ (see tests/fuzz/fuzz.sh).
FUZZ_ENV = FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_TIMEOUT=$(FUZZ_TIMEOUT) FUZZ_CC=clang \
	FUZZ_CFLAGS="-std=c11 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=all $$(pkg-config --cflags $(PKGS)) $(CODEC_DEFS) -DLOGFOLD_VERSION='\"$(VERSION)\"'" \
	FUZZ_SRC_LIB="$(LIB_SRC) $(B)/gen/crawlers.c $(B)/gen/report_assets.c" FUZZ_LIBS="$(LIBS)"
fuzz: $(B)/gen/crawlers.c $(B)/gen/report_assets.c
	@tests/deps.sh clang $(DEB_BUILD)
	@$(FUZZ_ENV) tests/fuzz/fuzz.sh $(FUZZ_TARGETS)
fuzz-merge: $(B)/gen/crawlers.c $(B)/gen/report_assets.c
	@$(FUZZ_ENV) tests/fuzz/fuzz.sh --merge $(FUZZ_TARGETS)

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
		$(B)/tools/faultfs.so $(ZLIB_ONLY)
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

# The lines changed since main (git merge-base) against .clang-format;
# tests/check-format.sh says which base, and does nothing without git.
# make check runs it too, as it runs every tests/check-*.sh.
format-check:
	@tests/check-format.sh

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

# ---- make install / make uninstall ----------------------------------------
# The config files are never overwritten (an existing one is the
# administrator's) and uninstall removes them only when unchanged. The
# systemd unit is made from its .in with the paths of this install. Nothing
# is stripped: a package strips (and keeps the symbols apart) itself.
# install builds nothing (`make` first): run from a test inside `make
# check`, a build with other flags would replace the binary under test.
INSTALL      ?= install
BEACON_FILES := beacon/logfold.js beacon/logfold.gif beacon/optout.html
EXAMPLES     := beacon/nginx.conf beacon/apache.conf beacon/Caddyfile \
                dist/examples/cron.d-logfold dist/examples/logrotate-postrotate
# installed file <- source, for the config files
CONF_FILES   := $(SYSCONFDIR)/logfold.conf:docs/logfold.conf \
                $(SYSCONFDIR)/default/logfold:dist/default/logfold
INSTALLED    := $(BINDIR)/logfold $(MANDIR)/man1/logfold.1 \
                $(addprefix $(DATADIR)/,$(notdir $(BEACON_FILES))) \
                $(addprefix $(DATADIR)/examples/,$(notdir $(EXAMPLES))) \
                $(SYSTEMDUNITDIR)/logfold.service $(SYSTEMDUNITDIR)/logfold.timer \
                $(BASHCOMPDIR)/logfold $(ZSHCOMPDIR)/_logfold

install:
	@test -x logfold || { echo "make install: no ./logfold: run make first" >&2; exit 1; }
	$(INSTALL) -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(DATADIR)/examples \
		$(DESTDIR)$(SYSCONFDIR)/default $(DESTDIR)$(SYSTEMDUNITDIR) \
		$(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR)
	$(INSTALL) -m 0755 logfold $(DESTDIR)$(BINDIR)/logfold
	$(INSTALL) -m 0644 docs/logfold.1 $(DESTDIR)$(MANDIR)/man1/logfold.1
	$(INSTALL) -m 0644 $(BEACON_FILES) $(DESTDIR)$(DATADIR)/
	$(INSTALL) -m 0644 $(EXAMPLES) $(DESTDIR)$(DATADIR)/examples/
	sed -e 's|@bindir@|$(BINDIR)|g' -e 's|@sysconfdir@|$(SYSCONFDIR)|g' \
		dist/systemd/logfold.service.in > $(DESTDIR)$(SYSTEMDUNITDIR)/logfold.service.tmp
	mv $(DESTDIR)$(SYSTEMDUNITDIR)/logfold.service.tmp $(DESTDIR)$(SYSTEMDUNITDIR)/logfold.service
	chmod 0644 $(DESTDIR)$(SYSTEMDUNITDIR)/logfold.service
	$(INSTALL) -m 0644 dist/systemd/logfold.timer $(DESTDIR)$(SYSTEMDUNITDIR)/logfold.timer
	$(INSTALL) -m 0644 dist/completion/logfold.bash $(DESTDIR)$(BASHCOMPDIR)/logfold
	$(INSTALL) -m 0644 dist/completion/_logfold $(DESTDIR)$(ZSHCOMPDIR)/_logfold
	@for f in $(CONF_FILES); do \
		dst=$(DESTDIR)$${f%%:*} src=$${f#*:}; \
		if [ -e "$$dst" ]; then echo "keeping $$dst (not overwritten; the new one is $$src)"; \
		else echo "$(INSTALL) -m 0644 $$src $$dst"; $(INSTALL) -m 0644 "$$src" "$$dst" || exit 1; fi; \
	done

uninstall:
	rm -f $(addprefix $(DESTDIR),$(INSTALLED))
	@for f in $(CONF_FILES); do \
		dst=$(DESTDIR)$${f%%:*} src=$${f#*:}; \
		if cmp -s "$$src" "$$dst"; then echo "rm -f $$dst"; rm -f "$$dst"; \
		elif [ -e "$$dst" ]; then echo "keeping $$dst (changed since installed)"; fi; \
	done
	-rmdir $(DESTDIR)$(DATADIR)/examples $(DESTDIR)$(DATADIR) 2>/dev/null

clean:
	rm -rf $(B) logfold

-include $(LIB_OBJ:.o=.d) $(CMD_OBJ:.o=.d) $(B)/zlib/codec.d $(UNIT_BIN:=.d) $(TOOL_BIN:=.d) $(FUZZ_BIN:=.d)
