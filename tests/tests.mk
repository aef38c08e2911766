# Tests: unit tests link the curses-free model alone; the shell tests drive
# the real binary against the real kernel (root) and in tmux.

UNIT_SRCS := $(wildcard tests/unit/*.c)
UNIT_BINS := $(patsubst tests/unit/%.c,$(OUTPUT)/tests/unit/%,$(UNIT_SRCS))
TOOL_SRCS := $(wildcard tests/tools/*.c)
TOOL_BINS := $(patsubst tests/tools/%.c,$(OUTPUT)/tests/tools/%,$(TOOL_SRCS))

$(OUTPUT)/tests/unit/%: tests/unit/%.c tests/tap.h $(wildcard tests/unit/*.h) $(OUTPUT)/libmodel.a
	$(call msg,TEST,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) $< $(OUTPUT)/libmodel.a -lz -lm -o $@

$(OUTPUT)/tests/tools/%: tests/tools/%.c
	$(call msg,TOOL,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) $< -lpthread -o $@

test-deps:
	$(Q)./.ci/deps.sh "build and test" $(BUILD_PKGS) $(TEST_PKGS)

test-bins: $(BIN) $(UNIT_BINS) $(TOOL_BINS)

# everything: unit tests (also under valgrind), the real kernel, the screen
test: test-deps
	$(Q)$(MAKE) --no-print-directory test-bins
	$(Q)tests/run.sh unit valgrind kernel tui

# the whole suite again, built with AddressSanitizer and UBSan (CI runs it too)
test-san: test-deps
	$(Q)$(MAKE) --no-print-directory SAN=1 test-bins
	$(Q)OUTPUT=.output-san TCPSCOPE=$(CURDIR)/.output-san/tcpscope SOAK_KEY_MS=200 MEM_LIMIT_MB=192 \
		tests/run.sh unit kernel tui

test-valgrind: $(UNIT_BINS)
	$(Q)tests/run.sh valgrind

# the soak, long: ten minutes under churn and loss, keys answered within 100 ms
soak: test-bins
	$(Q)SOAK_SECONDS=$${SOAK_SECONDS:-600} tests/tui/soak.sh

test-unit: $(UNIT_BINS)
	$(Q)tests/run.sh unit

test-kernel: test-bins
	$(Q)tests/run.sh kernel

test-tui: test-bins
	$(Q)tests/run.sh tui

.PHONY: test-deps test-bins test-san test-valgrind soak

# the command-line parser, with the little it needs from the live side
$(OUTPUT)/tests/unit/test_options: tests/unit/test_options.c tests/tap.h $(wildcard tests/unit/*.h) \
		$(OUTPUT)/tui/options.o $(OUTPUT)/tui/serve_opts.o $(OUTPUT)/tui/usage.o \
		$(OUTPUT)/tui/rtt_opts.o \
		$(OUTPUT)/bpf/plan.o $(OUTPUT)/bpf/live_opts.o $(OUTPUT)/libmodel.a
	$(call msg,TEST,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) $< $(filter %.o %.a,$^) -lbpf -lelf -lz -lm -o $@

# the hook plan, from described kernels
$(OUTPUT)/tests/unit/test_plan: tests/unit/test_plan.c tests/tap.h $(OUTPUT)/bpf/plan.o
	$(call msg,TEST,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) $< $(OUTPUT)/bpf/plan.o -o $@

# recording and replay: mkrec, make fuzz
include tests/record.mk
# the real-kernel tests on other kernels, in QEMU: make test-kernels
include tests/vm/vm.mk
