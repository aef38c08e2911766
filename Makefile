# tcpscope: top for TCP.
#   make          build ./tcpscope (installs missing build packages when root on Debian)
#   make run      build and start the interactive screen
#   make test     build and run every test (unit, real-kernel, screen)
#   make test-kernels  the real-kernel tests on other kernels, in QEMU
#   make bench    overhead and completeness against the peers
#   make install  PREFIX=/usr/local DESTDIR= (also the systemd unit and Prometheus files of contrib/)
# V=1 shows the commands.

# SAN=1 builds everything with AddressSanitizer and UBSan into .output-san
ifeq ($(SAN),1)
OUTPUT := .output-san
BIN := $(OUTPUT)/tcpscope
SAN_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
EXTRA_CFLAGS += $(SAN_FLAGS)
EXTRA_LDFLAGS += $(SAN_FLAGS)
else
OUTPUT := .output
BIN := tcpscope
endif
CLANG ?= clang
BPFTOOL ?= bpftool
CC ?= cc
PREFIX ?= /usr/local
ARCH := $(shell uname -m | sed 's/x86_64/x86/; s/aarch64/arm64/')
VERSION := 0.1.0

ifeq ($(V),1)
Q :=
msg :=
else
Q := @
msg = @printf '  %-8s %s\n' "$(1)" "$(2)";
endif

# What building and testing need, as Debian packages (checked by deps.sh).
BUILD_PKGS := clang llvm libbpf-dev libelf-dev libncurses-dev zlib1g-dev bpftool make gcc pkg-config \
	libmicrohttpd-dev
TEST_PKGS := iproute2 nftables tmux procps psmisc libcap2-bin valgrind man-db strace \
	openssh-server openssh-client jq prometheus curl openssl
BENCH_PKGS := libbpf-tools linux-perf

WARN := -Wall -Wextra -Werror -Wno-unused-parameter -Wshadow -Wformat=2 -Wno-format-nonliteral
CFLAGS ?= -O2 -g
CFLAGS += -std=gnu11 $(WARN) -D_GNU_SOURCE -DTCPSCOPE_VERSION='"$(VERSION)"' \
	-I$(OUTPUT) -I. $(EXTRA_CFLAGS)
LDLIBS := -lbpf -lelf -lz -lncursesw -lm -lmicrohttpd -lpthread
LDFLAGS += $(EXTRA_LDFLAGS)

# maps.bpf.c defines what the others declare extern: the linker wants it first
BPF_SRCS := bpf/maps.bpf.c $(filter-out bpf/maps.bpf.c,$(wildcard bpf/*.bpf.c))
BPF_OBJS := $(patsubst bpf/%.bpf.c,$(OUTPUT)/bpf/%.bpf.o,$(BPF_SRCS))
# the same without BPF atomics (compare-and-swap), for kernels whose verifier lacks them (5.10)
BPF_OBJS_NA := $(patsubst bpf/%.bpf.c,$(OUTPUT)/bpf/na/%.bpf.o,$(BPF_SRCS))
BPF_CFLAGS = -g -O2 -target bpf -mcpu=v3 -D__TARGET_ARCH_$(ARCH) -I$(OUTPUT) -Ibpf \
	-Wall -Werror -Wno-unused-function

# curses-free model and views: the unit tests link these alone
MODEL_SRCS := $(wildcard views/*.c)
KEYMAP_SRCS := $(wildcard keymaps/*.c)
LIVE_SRCS := $(filter-out bpf/%.bpf.c,$(wildcard bpf/*.c))
TUI_SRCS := $(wildcard tui/*.c)

MODEL_OBJS := $(patsubst %.c,$(OUTPUT)/%.o,$(MODEL_SRCS))
KEYMAP_OBJS := $(patsubst %.c,$(OUTPUT)/%.o,$(KEYMAP_SRCS))
LIVE_OBJS := $(patsubst %.c,$(OUTPUT)/%.o,$(LIVE_SRCS))
TUI_OBJS := $(patsubst %.c,$(OUTPUT)/%.o,$(TUI_SRCS))

.PHONY: all deps run test test-unit test-kernel test-tui bench install man clean format fuzz
.DELETE_ON_ERROR:

all: $(BIN)

deps:
	$(Q)./.ci/deps.sh build $(BUILD_PKGS)

$(OUTPUT)/deps.stamp: .ci/deps.sh
	$(Q)mkdir -p $(OUTPUT)
	$(Q)./.ci/deps.sh build $(BUILD_PKGS)
	$(Q)touch $@

$(OUTPUT)/vmlinux.h: | $(OUTPUT)/deps.stamp
	$(call msg,BTF,$@)
	$(Q)mkdir -p $(OUTPUT)
	$(Q)test -r /sys/kernel/btf/vmlinux || { echo "tcpscope: /sys/kernel/btf/vmlinux is missing: this kernel has no BTF (CONFIG_DEBUG_INFO_BTF=y is needed)" >&2; exit 1; }
	$(Q)$(BPFTOOL) btf dump file /sys/kernel/btf/vmlinux format c > $@

$(OUTPUT)/bpf/%.bpf.o: bpf/%.bpf.c $(wildcard bpf/*.bpf.h) bpf/events.h $(OUTPUT)/vmlinux.h
	$(call msg,BPF,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(OUTPUT)/bpf/na/%.bpf.o: bpf/%.bpf.c $(wildcard bpf/*.bpf.h) bpf/events.h $(OUTPUT)/vmlinux.h
	$(call msg,BPF,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CLANG) $(BPF_CFLAGS) -DTS_NO_ATOMICS -c $< -o $@

$(OUTPUT)/tcpscope.bpf.o: $(BPF_OBJS)
	$(call msg,LINK,$@)
	$(Q)$(BPFTOOL) gen object $@ $^

$(OUTPUT)/tcpscope_na.bpf.o: $(BPF_OBJS_NA)
	$(call msg,LINK,$@)
	$(Q)$(BPFTOOL) gen object $@ $^

$(OUTPUT)/tcpscope.skel.h: $(OUTPUT)/tcpscope.bpf.o
	$(call msg,SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< name tcpscope_bpf > $@

# load.c opens the skeleton of tcpscope_bpf with this object's bytes where
# atomics are missing: everything but the bytes must be the same
$(OUTPUT)/tcpscope_na.skel.h: $(OUTPUT)/tcpscope_na.bpf.o $(OUTPUT)/tcpscope.skel.h
	$(call msg,SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< name tcpscope_na_bpf > $@
	$(Q)sed 's/tcpscope_na_bpf/tcpscope_bpf/g; s/TCPSCOPE_NA_BPF/TCPSCOPE_BPF/g; /__elf_bytes(size_t \*sz)$$/q' $@ > $@.layout
	$(Q)sed '/__elf_bytes(size_t \*sz)$$/q' $(OUTPUT)/tcpscope.skel.h | cmp -s - $@.layout || \
		{ echo "tcpscope: the objects with and without atomics differ in layout" >&2; rm -f $@; exit 1; }
	$(Q)rm -f $@.layout

$(OUTPUT)/%.o: %.c | $(OUTPUT)/deps.stamp
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) -MMD -MP -c $< -o $@

# the live source includes the skeletons
$(LIVE_OBJS): $(OUTPUT)/tcpscope.skel.h $(OUTPUT)/tcpscope_na.skel.h

# the default keymap is a text file, built in as a C string
$(OUTPUT)/keymaps/default_keys.c: keymaps/default.keys
	$(call msg,GEN,$@)
	$(Q)mkdir -p $(@D)
	$(Q){ echo 'const char keymap_default_text[] ='; \
	      sed 's/\\/\\\\/g; s/"/\\"/g; s/^/"/; s/$$/\\n"/' $<; echo ';'; } > $@

KEYMAP_OBJS += $(OUTPUT)/keymaps/default_keys.o

$(OUTPUT)/keymaps/default_keys.o: $(OUTPUT)/keymaps/default_keys.c
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) -c $< -o $@

$(OUTPUT)/libmodel.a: $(MODEL_OBJS) $(KEYMAP_OBJS)
	$(call msg,AR,$@)
	$(Q)rm -f $@ && ar rcs $@ $^

$(BIN): $(TUI_OBJS) $(LIVE_OBJS) $(OUTPUT)/libmodel.a
	$(call msg,LD,$@)
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) $^ $(LDLIBS) -o $@

run: tcpscope
	./tcpscope $(ARGS)

-include tests/tests.mk
-include bench/bench.mk

# the manual's KEYS section comes from the keymap itself
$(OUTPUT)/tcpscope.8: tui/tcpscope.8.in tcpscope
	$(call msg,MAN,$@)
	$(Q)./tcpscope --list-keys --keys /dev/null | sed 's/\\/\\e/g; s/^-/\\-/' > $@.keys
	$(Q)sed -e 's/@VERSION@/$(VERSION)/' -e '/@KEYS@/{r $@.keys' -e 'd}' $< > $@
	$(Q)rm -f $@.keys

man: $(OUTPUT)/tcpscope.8

# the service (contrib/): a systemd unit, and a Prometheus scrape job and alert rules for it
SYSTEMD_UNIT_DIR ?= $(PREFIX)/lib/systemd/system
$(OUTPUT)/tcpscope.service: contrib/tcpscope.service.in
	$(call msg,GEN,$@)
	$(Q)mkdir -p $(@D)
	$(Q)sed 's|@SBINDIR@|$(PREFIX)/sbin|' $< > $@

install: tcpscope $(OUTPUT)/tcpscope.8 $(OUTPUT)/tcpscope.service
	install -D -m 0755 tcpscope $(DESTDIR)$(PREFIX)/sbin/tcpscope
	install -D -m 0644 $(OUTPUT)/tcpscope.8 $(DESTDIR)$(PREFIX)/share/man/man8/tcpscope.8
	install -D -m 0644 $(OUTPUT)/tcpscope.service $(DESTDIR)$(SYSTEMD_UNIT_DIR)/tcpscope.service
	install -D -m 0644 contrib/prometheus.yml $(DESTDIR)$(PREFIX)/share/tcpscope/prometheus.yml
	install -D -m 0644 contrib/tcpscope.rules.yml \
		$(DESTDIR)$(PREFIX)/share/tcpscope/tcpscope.rules.yml

format:
	clang-format -i $(wildcard bpf/*.[ch] views/*.[ch] tui/*.[ch] keymaps/*.[ch] tests/unit/*.[ch] bench/*.[ch])

clean:
	rm -rf .output .output-san tcpscope

-include $(shell find $(OUTPUT) -name '*.d' 2>/dev/null)

# screenshots/*.png from a replay of screenshots/demo.tcps (no root needed)
SHOT_PKGS := tmux aha wkhtmltopdf pngquant fonts-dejavu-core
screenshots: $(BIN)
	$(Q)./.ci/deps.sh "make screenshots" $(SHOT_PKGS)
	$(Q)screenshots/take.sh
.PHONY: screenshots
