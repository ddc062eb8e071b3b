# Fuzzing the parsers that take outside input (fuzz/fuzz_*.c, libFuzzer).
#
#   make fuzz [FUZZ_SECONDS=60] [FUZZ=ping]   run every harness (or one) for
#       FUZZ_SECONDS each; inputs that crash land in fuzz/out/NAME/ (copy
#       them into fuzz/regress/NAME/ once fixed: they are replayed for ever)
#   make fuzz-regress   (part of `make check`) every harness, built with the
#       sanitizers and fuzz/replay.c instead of libFuzzer, over its seed
#       corpus fuzz/corpus/NAME/ and its crash inputs fuzz/regress/NAME/.
#       Needs no clang and takes a second.
#
# Other fragments may add harnesses: FUZZ_HARNESSES += NAME for
# fuzz/fuzz_NAME.c with a corpus in fuzz/corpus/NAME/.
FUZZ_CC       ?= clang
FUZZ_SECONDS  ?= 60
FUZZ_HARNESSES += ping pick_reason kv shsplit classify proc env detect cert
FUZZ          ?= $(FUZZ_HARNESSES)
FUZZ_DIR      := build/fuzz
FUZZ_CFLAGS   := $(filter-out -O2 -O3 -D_FORTIFY_SOURCE=2 -Wno-format-truncation,$(CFLAGS)) \
                 -O1 -g -fno-omit-frame-pointer \
                 -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all
FUZZ_OBJS     := $(patsubst src/%.c,$(FUZZ_DIR)/src/%.o,$(SRCS))
# the replay builds share the ASan+UBSan objects of mk/sanitize.mk
REPLAY_DIR    := build/fuzz-replay
REPLAY_OBJS   := $(patsubst src/%.c,build/asan/src/%.o,$(SRCS))
REPLAY_CFLAGS := $(filter-out -O2 -O3 -D_FORTIFY_SOURCE=2,$(CFLAGS)) -O1 -g \
                 -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
ifneq ($(findstring clang,$(SAN_CC)),)
REPLAY_CFLAGS := $(filter-out -Wno-format-truncation,$(REPLAY_CFLAGS))
endif
REPLAY_ENV    := ASAN_OPTIONS=detect_leaks=1:halt_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

.PHONY: fuzz fuzz-build fuzz-regress
.SECONDARY: $(FUZZ_OBJS)
check: fuzz-regress

$(FUZZ_DIR)/src/%.o: src/%.c $(HDRS)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(CPPFLAGS) $(FUZZ_CFLAGS) -c -o $@ $<

$(FUZZ_DIR)/fuzz_%: fuzz/fuzz_%.c fuzz/fuzz.h $(FUZZ_OBJS) $(HDRS)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(CPPFLAGS) $(FUZZ_CFLAGS) -fsanitize=fuzzer -Isrc -o $@ $< $(FUZZ_OBJS) -ljansson

$(REPLAY_DIR)/fuzz_%: fuzz/fuzz_%.c fuzz/fuzz.h fuzz/replay.c $(REPLAY_OBJS) $(HDRS)
	@mkdir -p $(@D)
	$(SAN_CC) $(CPPFLAGS) $(REPLAY_CFLAGS) -Isrc -o $@ $< fuzz/replay.c $(REPLAY_OBJS) -ljansson

fuzz-build: $(addprefix $(FUZZ_DIR)/fuzz_,$(FUZZ))

# -fork=1 keeps going after a crash (each crash input is saved);
# fuzz/out/NAME/corpus keeps what the fuzzer learned between runs.
fuzz: fuzz-build
	@rc=0; for h in $(FUZZ); do \
	  mkdir -p fuzz/out/$$h/corpus; \
	  echo "== fuzz_$$h for $(FUZZ_SECONDS) s"; \
	  $(FUZZ_DIR)/fuzz_$$h -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
	    -artifact_prefix=fuzz/out/$$h/ -timeout=10 -rss_limit_mb=2048 \
	    fuzz/out/$$h/corpus fuzz/corpus/$$h 2>fuzz/out/$$h/log || rc=1; \
	  grep -E '^stat::(number_of_executed_units|peak_rss_mb)|^Done|ERROR' fuzz/out/$$h/log; \
	  ls fuzz/out/$$h/ | grep -E '^(crash|leak|timeout|oom)-' | sed "s|^|   found: fuzz/out/$$h/|"; \
	done; test $$rc -eq 0

fuzz-regress: $(addprefix $(REPLAY_DIR)/fuzz_,$(FUZZ_HARNESSES))
	@rc=0; for h in $(FUZZ_HARNESSES); do \
	  dirs=""; for d in fuzz/corpus/$$h fuzz/regress/$$h; do [ -d $$d ] && dirs="$$dirs $$d"; done; \
	  $(REPLAY_ENV) $(REPLAY_DIR)/fuzz_$$h $$dirs || { rc=1; echo "fuzz-regress: fuzz_$$h FAILED"; }; \
	done; \
	test $$rc -eq 0 && echo "fuzz-regress: every seed and crash input replayed cleanly"
