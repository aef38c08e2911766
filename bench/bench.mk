# make bench: tcpscope's overhead and completeness under heavy connection
# churn, against the churn alone and the peers (bench/run.sh has the
# details). Bounded to a few minutes by default; knobs:
#   make bench BENCH_SECONDS=5 BENCH_RUNS=5 BENCH_THREADS=2 BENCH_SEND=100 BENCH_RECV=1000
#              BENCH_CHURNS=2 (two churn processes at once; 1: one of BENCH_THREADS threads)
#              BENCH_MODES="alone floor all csv screen record tcplife tcpstates"
#              BENCH_BULK_BYTES=2147483648 BENCH_SESSIONS=10000000 BENCH_ROWS=100000
#              BENCH_REPLAY_SESSIONS=10000000
#              BENCH_BPF_STATS=1 (per-program BPF run time; flips a global sysctl meanwhile)
# Results: the table on standard output and in bench/results/latest.{csv,md}.

BENCH_SECONDS ?= 5
BENCH_RUNS ?= 5
BENCH_THREADS ?= 2
BENCH_SEND ?= 100
BENCH_RECV ?= 1000
BENCH_MODES ?= alone floor all csv screen record tcplife tcpstates
BENCH_CHURNS ?= 2
BENCH_BULK_BYTES ?= 2147483648
BENCH_SESSIONS ?= 10000000
BENCH_ROWS ?= 100000
BENCH_SERIES ?= 10000
BENCH_REPLAY_SESSIONS ?= 10000000
BENCH_BPF_STATS ?= 1

BENCH_BINS := $(OUTPUT)/bench/rows_bench $(OUTPUT)/bench/feed_bench $(OUTPUT)/bench/floor \
	$(OUTPUT)/bench/metrics_bench

# small programs that time the curses-free model alone
$(OUTPUT)/bench/%: bench/%.c $(OUTPUT)/libmodel.a
	$(call msg,BENCH,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) $< $(OUTPUT)/libmodel.a -lz -lm -o $@

# --serve with many series: the model, and the real HTTP server
$(OUTPUT)/bench/metrics_bench: bench/metrics_bench.c $(OUTPUT)/tui/serve.o $(OUTPUT)/tui/serve_opts.o \
		$(OUTPUT)/libmodel.a
	$(call msg,BENCH,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) $(filter %.c %.o %.a,$^) -lmicrohttpd -lpthread -lz -lm -o $@

# the cost floor: empty programs on tcpscope's hooks, and their loader
$(OUTPUT)/bench/floor.bpf.o: bench/floor.bpf.c $(OUTPUT)/vmlinux.h
	$(call msg,BPF,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CLANG) -g -O2 -target bpf -mcpu=v3 -D__TARGET_ARCH_$(ARCH) -I$(OUTPUT) -Wall -Werror \
		-c $< -o $@

$(OUTPUT)/bench/floor.skel.h: $(OUTPUT)/bench/floor.bpf.o
	$(call msg,SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< name floor_bpf > $@

$(OUTPUT)/bench/floor: bench/floor.c $(OUTPUT)/bench/floor.skel.h
	$(call msg,BENCH,$@)
	$(Q)$(CC) $(CFLAGS) -I$(OUTPUT)/bench $(LDFLAGS) $< -lbpf -lelf -lz -o $@

bench-deps:
	$(Q)./.ci/deps.sh bench $(BUILD_PKGS) $(TEST_PKGS) $(BENCH_PKGS)

bench-bins: tcpscope $(OUTPUT)/tests/tools/tcpgen $(BENCH_BINS)

bench: bench-deps
	$(Q)$(MAKE) --no-print-directory bench-bins
	$(Q)BENCH_SECONDS='$(BENCH_SECONDS)' BENCH_RUNS='$(BENCH_RUNS)' \
		BENCH_THREADS='$(BENCH_THREADS)' BENCH_SEND='$(BENCH_SEND)' \
		BENCH_RECV='$(BENCH_RECV)' BENCH_MODES='$(BENCH_MODES)' BENCH_CHURNS='$(BENCH_CHURNS)' \
		BENCH_BULK_BYTES='$(BENCH_BULK_BYTES)' BENCH_SESSIONS='$(BENCH_SESSIONS)' \
		BENCH_ROWS='$(BENCH_ROWS)' BENCH_SERIES='$(BENCH_SERIES)' BENCH_REPLAY_SESSIONS='$(BENCH_REPLAY_SESSIONS)' BENCH_BPF_STATS='$(BENCH_BPF_STATS)' bench/run.sh

.PHONY: bench-deps bench-bins
