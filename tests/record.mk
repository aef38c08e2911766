# Recording and replay: the tool that makes test recordings links the
# recorder, and `make fuzz` runs a libFuzzer harness on the replay decoder.

$(OUTPUT)/tests/tools/mkrec: tests/tools/mkrec.c $(OUTPUT)/libmodel.a
	$(call msg,TOOL,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) $< $(OUTPUT)/libmodel.a -lz -lm -o $@

# Fuzzing (libFuzzer, with ASan and UBSan): the replay decoder (fed the
# model and every batch view), the filter language, keymap files, the CSV
# writer and the string sanitiser. Seeds are committed under tests/fuzz/NAME;
# new inputs go to .output/fuzz/corpus/NAME. Checksums are not enforced in
# these builds (FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION) so that mutations
# get past them. FUZZ_SECONDS bounds each harness's run; CI runs them all.
FUZZ_SECONDS ?= 60
FUZZERS := replay filter keymap csv text
FUZZ_PKGS := clang libclang-rt-14-dev zlib1g-dev
FUZZ_DIR := $(OUTPUT)/fuzz
FUZZ_SAN := address,undefined -fno-sanitize-recover=undefined
FUZZ_CFLAGS := -g -O1 -std=gnu11 -D_GNU_SOURCE -I. -I$(OUTPUT) -DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION \
	-DTCPSCOPE_VERSION='"$(VERSION)"'
FUZZ_SRCS := $(MODEL_SRCS) $(KEYMAP_SRCS) $(OUTPUT)/keymaps/default_keys.c
FUZZ_OBJS := $(patsubst %.c,$(FUZZ_DIR)/%.o,$(patsubst $(OUTPUT)/%,%,$(FUZZ_SRCS)))

$(FUZZ_DIR)/views/%.o: views/%.c
	$(call msg,FUZZCC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CLANG) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link,$(FUZZ_SAN) -MMD -MP -c $< -o $@

$(FUZZ_DIR)/keymaps/%.o: keymaps/%.c
	$(call msg,FUZZCC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CLANG) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link,$(FUZZ_SAN) -MMD -MP -c $< -o $@

$(FUZZ_DIR)/keymaps/default_keys.o: $(OUTPUT)/keymaps/default_keys.c
	$(Q)mkdir -p $(@D)
	$(Q)$(CLANG) $(FUZZ_CFLAGS) -c $< -o $@

$(FUZZ_DIR)/%_fuzz: tests/fuzz/%_fuzz.c $(FUZZ_OBJS)
	$(call msg,FUZZLD,$@)
	$(Q)$(CLANG) $(FUZZ_CFLAGS) -fsanitize=fuzzer,$(FUZZ_SAN) $^ -lz -lm -o $@

fuzz-deps:
	$(Q)./.ci/deps.sh fuzz $(FUZZ_PKGS)

fuzz: fuzz-deps
	$(Q)$(MAKE) --no-print-directory $(patsubst %,$(FUZZ_DIR)/%_fuzz,$(FUZZERS))
	$(Q)mkdir -p $(FUZZ_DIR)/crashes
	$(Q)for f in $(FUZZERS); do \
		echo "== fuzz $$f: $(FUZZ_SECONDS) s"; \
		mkdir -p $(FUZZ_DIR)/corpus/$$f; \
		$(FUZZ_DIR)/$${f}_fuzz -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=2048 \
			-max_len=16384 -print_final_stats=1 -artifact_prefix=$(FUZZ_DIR)/crashes/$$f- \
			$(FUZZ_DIR)/corpus/$$f tests/fuzz/$$f >$(FUZZ_DIR)/$$f.log 2>&1; \
		rc=$$?; \
		grep -E '(DONE|ERROR|SUMMARY)' $(FUZZ_DIR)/$$f.log; \
		[ $$rc = 0 ] || { echo "fuzz $$f: failed (status $$rc), see $(FUZZ_DIR)/$$f.log"; exit 1; }; \
	done

.SECONDARY: $(FUZZ_OBJS)
.PHONY: fuzz-deps fuzz

# Records that grow (views/record_format.md): the model and views built again
# with a field appended to CLOSE in a format 1.1 (TS_RECORD_GROWTH_TEST), and
# the test that replays today's recordings with them: test_grown_records.
GROWN_DIR := $(OUTPUT)/grown
GROWN_OBJS := $(patsubst %.c,$(GROWN_DIR)/%.o,$(MODEL_SRCS) $(KEYMAP_SRCS))

$(GROWN_DIR)/%.o: %.c | $(OUTPUT)/deps.stamp
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) -DTS_RECORD_GROWTH_TEST -MMD -MP -c $< -o $@

$(GROWN_DIR)/libmodel.a: $(GROWN_OBJS) $(OUTPUT)/keymaps/default_keys.o
	$(call msg,AR,$@)
	$(Q)rm -f $@ && ar rcs $@ $^

$(OUTPUT)/tests/unit/test_grown_records: tests/unit/test_grown_records.c tests/tap.h \
		$(GROWN_DIR)/libmodel.a
	$(call msg,TEST,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) -DTS_RECORD_GROWTH_TEST -DGOLDEN_DIR='"$(CURDIR)/tests/golden"' \
		$(LDFLAGS) $< $(GROWN_DIR)/libmodel.a -lz -lm -o $@
