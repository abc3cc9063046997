# rrkit — one non-recursive Makefile.
#   make            build build/rrkit
#   make demo       install what is missing, build, run the three jobs on samples/seed
#   make check      install what is missing, build, run every test (also under ASan+UBSan)
#   make bench      performance figures next to a baseline measured in the same run
#   make fuzz       libFuzzer targets (clang)
#   make robust     the mutation sweep in full, under ASan+UBSan
#   make install    PREFIX=/usr/local DESTDIR= (make uninstall the same)
#   make man        rewrite docs/man/*.1 from the option tables
#   make check-deps layering rules;  make fmt  clang-format
#   make agreement  lint vs sim on generated designs (tests/agreement)

PREFIX ?= /usr/local
DESTDIR ?=
DOCDIR = $(PREFIX)/share/doc/rrkit
CC ?= cc
O := build
# V=1 shows the full commands
Q := $(if $(V),,@)

PKGS := yaml-0.1 libpcre2-8 libxml-2.0
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lm
CMOCKA_LIBS = $(shell pkg-config --libs cmocka 2>/dev/null || echo -lcmocka)

WARN := -Wall -Wextra -Wpedantic -Werror -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Wformat=2 -Wvla -Wimplicit-fallthrough \
	-Wcast-qual -Wwrite-strings
BASE_CFLAGS := -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE $(WARN) -I.
OPT ?= -O2 -g
CFLAGS_ALL = $(BASE_CFLAGS) $(OPT) $(PKG_CFLAGS) $(CFLAGS)
SAN := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
# bgp and bgpsim are held to -Wconversion
CONV := -Wconversion -Wsign-conversion

MODULES := model parsers resolve analyze validate emitters bgp bgpsim rollout
model_SRC := $(wildcard model/*.c)
parsers_SRC := $(wildcard parsers/*.c)
resolve_SRC := $(wildcard resolve/*.c)
analyze_SRC := $(wildcard analyze/*.c)
validate_SRC := $(wildcard validate/*.c)
emitters_SRC := $(wildcard emitters/*.c)
bgp_SRC := $(wildcard bgp/*.c)
bgpsim_SRC := $(wildcard bgpsim/*.c)
rollout_SRC := $(wildcard rollout/*.c)
cli_SRC := $(wildcard cli/*.c)
LIB_SRC := $(foreach m,$(MODULES),$($(m)_SRC))
UNIT_SRC := $(wildcard tests/unit/test_*.c)
FUZZ_SRC := $(wildcard tests/fuzz/fuzz_*.c)

# variant: normal objects in build/, sanitized in build/asan/
obj = $(patsubst %.c,$(1)/%.o,$(2))
LIB_OBJ := $(call obj,$(O),$(LIB_SRC))
CLI_OBJ := $(call obj,$(O),$(cli_SRC)) $(O)/gen/rules_doc.o
ASAN_LIB_OBJ := $(call obj,$(O)/asan,$(LIB_SRC))
ASAN_CLI_OBJ := $(call obj,$(O)/asan,$(cli_SRC)) $(O)/asan/gen/rules_doc.o
UNIT_BIN := $(patsubst tests/unit/%.c,$(O)/tests/%,$(UNIT_SRC))
ASAN_UNIT_BIN := $(patsubst tests/unit/%.c,$(O)/asan/tests/%,$(UNIT_SRC))

.PHONY: all deps deps-check demo check unit unit-asan golden golden-update \
	corpus interop robust bench fuzz install uninstall man check-deps fmt fmt-check clean agreement

all: $(O)/rrkit

$(O)/librrkit.a: $(LIB_OBJ)
	@rm -f $@
	$(Q)ar rcs $@ $^
$(O)/asan/librrkit.a: $(ASAN_LIB_OBJ)
	@rm -f $@
	$(Q)ar rcs $@ $^

$(O)/rrkit: $(CLI_OBJ) $(O)/librrkit.a
	@echo "  LD      $@"
	$(Q)$(CC) $(CFLAGS_ALL) -o $@ $^ $(PKG_LIBS) $(LDFLAGS)
$(O)/asan/rrkit: $(ASAN_CLI_OBJ) $(O)/asan/librrkit.a
	@echo "  LD      $@"
	$(Q)$(CC) $(CFLAGS_ALL) $(SAN) -o $@ $^ $(PKG_LIBS) $(LDFLAGS)

$(O)/bgpsim/%.o: bgpsim/%.c
	@mkdir -p $(@D)
	@echo "  CC      $@"
	$(Q)$(CC) $(CFLAGS_ALL) $(CONV) -MMD -MP -c -o $@ $<
$(O)/asan/bgpsim/%.o: bgpsim/%.c
	@mkdir -p $(@D)
	@echo "  CC      $@"
	$(Q)$(CC) $(CFLAGS_ALL) $(CONV) $(SAN) -MMD -MP -c -o $@ $<
$(O)/bgp/%.o: bgp/%.c
	@mkdir -p $(@D)
	@echo "  CC      $@"
	$(Q)$(CC) $(CFLAGS_ALL) $(CONV) -MMD -MP -c -o $@ $<
$(O)/asan/bgp/%.o: bgp/%.c
	@mkdir -p $(@D)
	@echo "  CC      $@"
	$(Q)$(CC) $(CFLAGS_ALL) $(CONV) $(SAN) -MMD -MP -c -o $@ $<
$(O)/asan/%.o: %.c
	@mkdir -p $(@D)
	@echo "  CC      $@"
	$(Q)$(CC) $(CFLAGS_ALL) $(SAN) -MMD -MP -c -o $@ $<
$(O)/%.o: %.c
	@mkdir -p $(@D)
	@echo "  CC      $@"
	$(Q)$(CC) $(CFLAGS_ALL) -MMD -MP -c -o $@ $<

$(O)/tests/%: tests/unit/%.c $(O)/librrkit.a
	@mkdir -p $(@D)
	@echo "  LD      $@"
	$(Q)$(CC) $(CFLAGS_ALL) -Wno-missing-prototypes -o $@ $< $(O)/librrkit.a $(PKG_LIBS) $(CMOCKA_LIBS)
$(O)/asan/tests/%: tests/unit/%.c $(O)/asan/librrkit.a
	@mkdir -p $(@D)
	@echo "  LD      $@"
	$(Q)$(CC) $(CFLAGS_ALL) $(SAN) -Wno-missing-prototypes -o $@ $< $(O)/asan/librrkit.a $(PKG_LIBS) $(CMOCKA_LIBS)

-include $(shell find $(O) -name '*.d' 2>/dev/null)

# the commit and build date `rrkit version` prints (tools/version.sh),
# rewritten only when they change
.PHONY: FORCE
$(O)/version.h: FORCE
	@mkdir -p $(@D)
	@DOCDIR=$(DOCDIR) tools/version.sh >$@.tmp && { cmp -s $@.tmp $@ || mv $@.tmp $@; }; rm -f $@.tmp
$(O)/cli/version.o $(O)/asan/cli/version.o: $(O)/version.h
$(O)/cli/version.o $(O)/asan/cli/version.o: CFLAGS += -I$(O)

# docs/rules.md compiled in: the rule help SARIF carries (tools/rules-doc.sh)
$(O)/gen/rules_doc.c: docs/rules.md tools/rules-doc.sh
	@mkdir -p $(@D)
	$(Q)tools/rules-doc.sh docs/rules.md >$@.tmp && mv $@.tmp $@
$(O)/gen/rules_doc.o: $(O)/gen/rules_doc.c
	@echo "  CC      $@"
	$(Q)$(CC) $(CFLAGS_ALL) -MMD -MP -c -o $@ $<
$(O)/asan/gen/rules_doc.o: $(O)/gen/rules_doc.c
	@mkdir -p $(@D)
	@echo "  CC      $@"
	$(Q)$(CC) $(CFLAGS_ALL) $(SAN) -MMD -MP -c -o $@ $<

deps:
	@tools/deps.sh build
deps-check:
	@tools/deps.sh check

demo: deps
	@$(MAKE) --no-print-directory all
	@tools/demo.sh $(O)/rrkit

# make check: everything, with one summary line at the end
check: deps-check
	@$(MAKE) --no-print-directory all $(O)/asan/rrkit $(UNIT_BIN) $(ASAN_UNIT_BIN)
	@tests/check.sh $(O)

unit: $(UNIT_BIN)
	@tests/run-unit.sh $(O)/tests
unit-asan: $(ASAN_UNIT_BIN)
	@tests/run-unit.sh $(O)/asan/tests
golden: all
	@tests/golden/run.sh $(O)/rrkit
golden-update: all
	@tests/golden/run.sh --update $(O)/rrkit
interop: all
	@tests/interop/run.sh $(O)/rrkit

# make robust: every reader fed the samples, the corpus and mutated copies
# under ASan+UBSan (tests/robust/sweep.py; make check runs a short form).
# ROBUST_ARGS="--rounds 3 --seed 7" for more.
robust: all $(O)/asan/rrkit
	@python3 tests/robust/sweep.py --full --bin $(O)/asan/rrkit \
		--keep $(O)/robust/failures $(ROBUST_ARGS)
# lint/sim agreement on generated designs; AGREE="--strict --per 3" etc.
agreement: all
	@tests/agreement/run.py --rrkit $(O)/rrkit $(AGREE)

# bench programs: bench/bench_<name>.c -> build/bench/bench_<name>
BENCH_SRC := $(wildcard bench/bench_*.c)
BENCH_BIN := $(patsubst bench/%.c,$(O)/bench/%,$(BENCH_SRC))
$(O)/bench/%: bench/%.c $(O)/librrkit.a
	@mkdir -p $(@D)
	@echo "  LD      $@"
	$(Q)$(CC) $(CFLAGS_ALL) -Wno-missing-prototypes -o $@ $< $(O)/librrkit.a $(PKG_LIBS)

bench: deps
	@$(MAKE) --no-print-directory all $(BENCH_BIN)
	@bench/run.sh $(O)

# libFuzzer targets: build/fuzz/fuzz_<name>; FUZZ_TIME seconds each, or
# FUZZ_EXECS=10000000 executions each; FUZZ_ONLY=fuzz_pcap,... a subset;
# FUZZ_ARGS=... more libFuzzer options (docs/fuzzing.md: rates, time to 10^7)
FUZZ_TIME ?= 60
# UBSan stops at its first report, as in the unit build: recovering, it
# prints and goes on, and libFuzzer counts no crash
FUZZ_SAN := address,undefined -fno-sanitize-recover=all
FUZZ_FLAGS := $(BASE_CFLAGS) -O1 -g -fsanitize=fuzzer,$(FUZZ_SAN) $(PKG_CFLAGS)
FUZZ_BIN := $(patsubst tests/fuzz/%.c,$(O)/fuzz/%,$(FUZZ_SRC))
# the library compiled once for every target (instrumented, not linked
# with libFuzzer's main), each target linked against it
FUZZ_LIB_OBJ := $(call obj,$(O)/fuzz/obj,$(LIB_SRC))
# The simulation's mechanics (run loop, event queue, TCP, sessions,
# Adj-RIB-Out, inbound queue, caches, hashes) get edge coverage but not
# comparison tracing: they compare simulated times, counters, queue
# lengths and hashes, not input bytes a mutation could copy, and the
# tracing calls were half of fuzz_rollout's CPU (docs/fuzzing.md).  The
# parsers, the wire codec, the state machine, policies and best-path
# keep it.
FUZZ_NOCMP := $(addprefix $(O)/fuzz/obj/bgpsim/,sched.o tcp.o session.o \
	adjout.o inbound.o cache.o chash.o sim.o)
$(FUZZ_NOCMP): FUZZ_COV := -fno-sanitize-coverage=trace-cmp
$(O)/fuzz/obj/%.o: %.c
	@mkdir -p $(@D)
	@echo "  FUZZCC  $@"
	$(Q)clang $(BASE_CFLAGS) -O1 -g -fsanitize=fuzzer-no-link,$(FUZZ_SAN) $(FUZZ_COV) $(PKG_CFLAGS) -MMD -MP -c -o $@ $<
$(O)/fuzz/librrkit.a: $(FUZZ_LIB_OBJ)
	@rm -f $@
	$(Q)ar rcs $@ $^
$(O)/fuzz/%: tests/fuzz/%.c $(O)/fuzz/librrkit.a
	@mkdir -p $(@D)
	@echo "  FUZZ    $@"
	$(Q)clang $(FUZZ_FLAGS) -Wno-missing-prototypes -o $@ $< $(O)/fuzz/librrkit.a $(PKG_LIBS)
fuzz:
	@tools/deps.sh fuzz
	@$(MAKE) --no-print-directory $(FUZZ_BIN)
	@FUZZ_EXECS=$(FUZZ_EXECS) FUZZ_ONLY=$(FUZZ_ONLY) \
		tests/fuzz/run.sh $(O)/fuzz $(FUZZ_TIME)

# make install: the binary (stripped), a man page per command, bash and zsh
# completion, the documentation (DOCDIR: SARIF reports link to rules.md
# there), under DESTDIR/PREFIX; make uninstall removes exactly those
BINDIR = $(PREFIX)/bin
MAN1DIR = $(PREFIX)/share/man/man1
BASHCOMPDIR = $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR = $(PREFIX)/share/zsh/site-functions
MAN_PAGES := $(wildcard docs/man/*.1)
DOC_FILES := $(wildcard docs/*.md)
STRIP ?= strip
install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MAN1DIR) $(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR)
	install -m 755 $(O)/rrkit $(DESTDIR)$(BINDIR)/rrkit
	$(STRIP) $(DESTDIR)$(BINDIR)/rrkit
	install -m 644 $(MAN_PAGES) $(DESTDIR)$(MAN1DIR)/
	$(O)/rrkit completion bash >$(DESTDIR)$(BASHCOMPDIR)/rrkit
	$(O)/rrkit completion zsh >$(DESTDIR)$(ZSHCOMPDIR)/_rrkit
	chmod 644 $(DESTDIR)$(BASHCOMPDIR)/rrkit $(DESTDIR)$(ZSHCOMPDIR)/_rrkit
	install -d $(DESTDIR)$(DOCDIR)
	install -m 644 README.md $(DOC_FILES) $(DESTDIR)$(DOCDIR)/
uninstall:
	rm -f $(DESTDIR)$(BINDIR)/rrkit $(DESTDIR)$(BASHCOMPDIR)/rrkit $(DESTDIR)$(ZSHCOMPDIR)/_rrkit
	rm -f $(patsubst docs/man/%,$(DESTDIR)$(MAN1DIR)/%,$(MAN_PAGES))
	rm -f $(DESTDIR)$(DOCDIR)/README.md $(patsubst docs/%,$(DESTDIR)$(DOCDIR)/%,$(DOC_FILES))
	-rmdir $(DESTDIR)$(DOCDIR) 2>/dev/null

# docs/man/*.1 are written by rrkit from its option tables (cli/commands.c);
# the cli suite fails when they are stale
man: all
	@for c in "" $$($(O)/rrkit help | sed -n 's/^  \([a-z]*\)  .*/\1/p'); do \
		$(O)/rrkit help --man $$c >docs/man/rrkit$${c:+-$$c}.1 || exit 1; done
	@echo "  MAN     docs/man/"

# Layering (README "Layout"; enforced by tools/check-deps.sh): model <- {parsers, validate, emitters, bgp <- bgpsim} <- cli
check-deps:
	@tools/check-deps.sh

fmt:
	clang-format -i $(wildcard */*.c */*.h tests/*/*.c)
fmt-check:
	@tools/fmt-check.sh

clean:
	rm -rf $(O)
