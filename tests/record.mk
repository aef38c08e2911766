# Recording and replay: the tool that makes test recordings links the
# recorder, and `make fuzz` runs a libFuzzer harness on the replay decoder.

$(OUTPUT)/tests/tools/mkrec: tests/tools/mkrec.c $(OUTPUT)/libmodel.a
	$(call msg,TOOL,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) $< $(OUTPUT)/libmodel.a -lz -lm -o $@

# The decoder, the model and batch output under ASan and UBSan, fed from
# memory; checksums are not enforced (FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION)
# so that mutations get past them. New inputs go to .output/fuzz/corpus, the
# committed seeds stay as they are. FUZZ_SECONDS bounds the run.
FUZZ_SECONDS ?= 60
FUZZ_PKGS := clang libclang-rt-14-dev zlib1g-dev
FUZZ_DIR := $(OUTPUT)/fuzz
FUZZ_SAN := address,undefined -fno-sanitize-recover=undefined
FUZZ_CFLAGS := -g -O1 -std=gnu11 -D_GNU_SOURCE -I. -DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
FUZZ_OBJS := $(patsubst views/%.c,$(FUZZ_DIR)/views/%.o,$(MODEL_SRCS))

$(FUZZ_DIR)/views/%.o: views/%.c
	$(call msg,FUZZCC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CLANG) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link,$(FUZZ_SAN) -MMD -MP -c $< -o $@

$(FUZZ_DIR)/replay_fuzz: tests/fuzz/replay_fuzz.c $(FUZZ_OBJS)
	$(call msg,FUZZLD,$@)
	$(Q)$(CLANG) $(FUZZ_CFLAGS) -fsanitize=fuzzer,$(FUZZ_SAN) $^ -lz -lm -o $@

fuzz-deps:
	$(Q)./.ci/deps.sh fuzz $(FUZZ_PKGS)

fuzz: fuzz-deps
	$(Q)$(MAKE) --no-print-directory $(FUZZ_DIR)/replay_fuzz
	$(Q)mkdir -p $(FUZZ_DIR)/corpus $(FUZZ_DIR)/crashes
	$(FUZZ_DIR)/replay_fuzz -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=2048 \
		-max_len=16384 -print_final_stats=1 -artifact_prefix=$(FUZZ_DIR)/crashes/ \
		$(FUZZ_DIR)/corpus tests/fuzz/replay

.PHONY: fuzz-deps
