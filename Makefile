# SPDX-License-Identifier: GPL-2.0-only
# mmucheck: find missing or undersized mmu_notifier brackets in Linux.

VERSION := 0.3
CC ?= gcc
# CFLAGS is the user's (optimisation, debug); the warnings and the version
# are always added, so `make CFLAGS=-O0` keeps them.
CFLAGS ?= -O2 -g
MMU_CFLAGS := -Wall -Wextra -DMMUCHECK_VERSION='"$(VERSION)"'
BUILD := build
COCCI_SRC := $(wildcard cocci/src/*.cocci.in)
COCCI := $(patsubst cocci/src/%.cocci.in,cocci/%.cocci,$(COCCI_SRC))
# Every rule in one semantic patch: spatch parses each file once.
MERGED := cocci/mmucheck.cocci
KDIR ?=

DRIVER_SRC := $(wildcard driver/*.c)
DRIVER_HDR := $(wildcard driver/*.h)

PLUGIN_SRC := $(wildcard gcc-plugin/*.c) common/callgraph.c
PLUGIN_HDR := $(wildcard gcc-plugin/*.h) common/callgraph.h common/mmu_roles.h common/mmu_rules.h \
	api/mmu_api.def api/mmu_roles.def api/mmu_rules.def
PLUGIN := $(BUILD)/gcc-plugin/mmucheck.so
GCC_PLUGIN_DIR := $(shell $(CC) -print-file-name=plugin)

all: $(COCCI) $(MERGED) $(BUILD)/mmucheck $(PLUGIN)

# The GCC plugin: C in the kernel's plugin style, built as C++ against the
# installed gcc's plugin headers (Debian: gcc-N-plugin-dev), like
# scripts/gcc-plugins/.  It must be built by the gcc that builds the kernel.
$(PLUGIN): $(PLUGIN_SRC) $(PLUGIN_HDR)
	@mkdir -p $(dir $@)
	@test -f $(GCC_PLUGIN_DIR)/include/gcc-plugin.h || \
		{ echo "mmucheck: no GCC plugin headers in $(GCC_PLUGIN_DIR): run make deps" >&2; exit 1; }
	$(CXX) -O2 -g -Wall -fPIC -shared -fno-rtti -fno-exceptions \
		-Wno-format-diag -I$(GCC_PLUGIN_DIR)/include \
		-DMMUCHECK_VERSION='"$(VERSION)"' \
		-x c++ -o $@ $(PLUGIN_SRC)

# The driver links jansson (Debian: libjansson-dev) for JSON and SARIF, and
# libelf (libelf-dev) for the plugin's facts inside objects.
# It reads the rule registry api/mmu_rules.def (through common/mmu_rules.h).
$(BUILD)/mmucheck: $(DRIVER_SRC) $(DRIVER_HDR) common/callgraph.c common/callgraph.h common/mmu_rules.h api/mmu_rules.def
	@mkdir -p $(BUILD)
	$(CC) $(CFLAGS) $(MMU_CFLAGS) -D_GNU_SOURCE -o $@ $(DRIVER_SRC) common/callgraph.c -ljansson -lelf

$(BUILD)/gencocci: tools/gencocci.c api/mmu_api.def api/mmu_roles.def common/mmu_roles.h
	@mkdir -p $(BUILD)
	$(CC) $(CFLAGS) $(MMU_CFLAGS) -o $@ $<
# The rule registry: each semantic patch's header.
$(BUILD)/gencocci: api/mmu_rules.def common/mmu_rules.h

COCCI_SHARED := $(wildcard cocci/src/*.cocci cocci/src/*.py)

cocci/%.cocci: cocci/src/%.cocci.in $(COCCI_SHARED) $(BUILD)/gencocci
	$(BUILD)/gencocci cocci/src $< > $@.tmp && mv $@.tmp $@

$(BUILD)/mergecocci: tools/mergecocci.c
	@mkdir -p $(BUILD)
	$(CC) $(CFLAGS) $(MMU_CFLAGS) -o $@ $<

$(MERGED): $(COCCI) $(BUILD)/mergecocci
	$(BUILD)/mergecocci $(COCCI) > $@.tmp && mv $@.tmp $@

deps:
	@scripts/install-deps

# The main job: scan a kernel tree (default: Debian's linux-source-6.12,
# unpacked once into ~/.cache/mmucheck).  Exit 1 means findings.
scan: all
	$(BUILD)/mmucheck scan $(if $(KDIR),$(KDIR),"$$(scripts/mmucheck-scan --prepare --debian 6.12)") \
		|| [ $$? = 1 ]

PREFIX ?= /usr/local
install: all
	install -D -m 755 $(BUILD)/mmucheck $(DESTDIR)$(PREFIX)/bin/mmucheck
	install -m 755 scripts/mmucheck-scan $(DESTDIR)$(PREFIX)/bin/mmucheck-scan
	install -m 755 scripts/mmucheck-gcc $(DESTDIR)$(PREFIX)/bin/mmucheck-gcc
	install -d $(DESTDIR)$(PREFIX)/share/mmucheck/cocci
	install -m 644 $(COCCI) $(MERGED) $(DESTDIR)$(PREFIX)/share/mmucheck/cocci/
	install -D -m 755 $(PLUGIN) $(DESTDIR)$(PREFIX)/lib/mmucheck/mmucheck.so

check: all
	tests/run

check-quick: all
	tests/run --quick

bench: all
	M=$(M) tests/bench

# libFuzzer (clang) on the facts, baseline and report-line readers; not
# part of make check.  FUZZ_TIME=600 seconds per target.
fuzz: all
	FUZZ_TIME=$(FUZZ_TIME) tests/fuzz/run

clean:
	rm -rf $(BUILD) $(COCCI) $(MERGED)

.PHONY: all deps scan install check check-quick bench fuzz clean
