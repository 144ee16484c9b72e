# logfold - plain GNU make. `make` builds ./logfold; `make check` builds with
# -Werror and runs every test; `make demo` runs logfold on the bundled sample;
# `make bench` measures speed. `make deps` installs missing Debian packages
# (as root; otherwise it prints the apt-get command and stops).

CC      ?= cc
VERSION := 0.1.0
PKGS    := zlib sqlite3

WARN := -Wall -Wextra -Wstrict-prototypes -Wmissing-prototypes -Wvla -Wshadow \
        -Wpointer-arith -Wcast-qual -Wwrite-strings -Wformat=2 -Wundef \
        -Wno-unused-parameter
OPT  ?= -O2 -g
CFLAGS_ALL = -std=c11 -D_GNU_SOURCE $(OPT) $(WARN) $(EXTRA_WARN) \
             -DLOGFOLD_VERSION='"$(VERSION)"' $(shell pkg-config --cflags $(PKGS) 2>/dev/null) $(CFLAGS)
LIBS     = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lpthread -lm

ifdef SANITIZE
CFLAGS_ALL += -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all
LDFLAGS    += -fsanitize=$(SANITIZE)
endif

# Debian packages: to build, to run the tests, to show the demo.
DEB_BUILD := gcc make pkg-config zlib1g-dev libsqlite3-dev
DEB_CHECK := $(DEB_BUILD) gzip
DEB_DEMO  := $(DEB_BUILD) sqlite3

B := build
LIB_DIRS := common parsers aggregate output
LIB_SRC  := $(sort $(foreach d,$(LIB_DIRS),$(wildcard $(d)/*.c)))
CMD_SRC  := $(sort $(wildcard cmd/*.c))
LIB_OBJ  := $(LIB_SRC:%.c=$(B)/%.o)
CMD_OBJ  := $(CMD_SRC:%.c=$(B)/%.o)
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(B)/tests/%)
TOOL_SRC := $(sort $(wildcard tests/tools/*.c))
TOOL_BIN := $(TOOL_SRC:tests/tools/%.c=$(B)/tools/%)

.PHONY: all check demo bench deps deps-check deps-demo clean fuzz
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

logfold: $(LIB_OBJ) $(CMD_OBJ)
	@echo "  LINK    $@"
	@$(CC) $(LDFLAGS) -o $@ $^ $(LIBS)

$(B)/tests/%: tests/unit/%.c $(LIB_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -MMD -MP -o $@ $< $(LIB_OBJ) $(LDFLAGS) $(LIBS)

$(B)/tools/%: tests/tools/%.c $(LIB_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -MMD -MP -o $@ $< $(LIB_OBJ) $(LDFLAGS) $(LIBS)

deps:
	@tests/deps.sh $(DEB_BUILD)
deps-check:
	@tests/deps.sh $(DEB_CHECK)
deps-demo:
	@tests/deps.sh $(DEB_DEMO)

check: deps-check
	@$(MAKE) --no-print-directory EXTRA_WARN=-Werror logfold $(UNIT_BIN) $(TOOL_BIN)
	@tests/run.sh

demo: deps-demo
	@$(MAKE) --no-print-directory logfold
	@tests/demo.sh

bench: deps
	@$(MAKE) --no-print-directory logfold $(TOOL_BIN)
	@tests/bench/bench.sh

clean:
	rm -rf $(B) logfold

-include $(LIB_OBJ:.o=.d) $(CMD_OBJ:.o=.d) $(UNIT_BIN:=.d) $(TOOL_BIN:=.d)
