# The unit tests once more under AddressSanitizer and UndefinedBehaviorSanitizer
# (`make unit-asan`, part of `make check`). Objects go to build/asan/; any
# report is fatal (-fno-sanitize-recover, halt_on_error) and leaks count
# (detect_leaks=1). gcc ships both runtimes (libasan, libubsan); clang works
# too: `make unit-asan SAN_CC=clang`.
SAN_CC     ?= $(CC)
SAN_FLAGS  := -fsanitize=address,undefined -fno-sanitize-recover=all \
              -fno-omit-frame-pointer -O1 -g
SAN_CFLAGS := $(filter-out -O2 -O3 -D_FORTIFY_SOURCE=2,$(CFLAGS)) $(SAN_FLAGS)
# clang has no -Wformat-truncation
ifneq ($(findstring clang,$(SAN_CC)),)
SAN_CFLAGS := $(filter-out -Wno-format-truncation,$(SAN_CFLAGS))
endif
SAN_DIR    := build/asan
SAN_OBJS   := $(patsubst src/%.c,$(SAN_DIR)/src/%.o,$(SRCS))
SAN_BINS   := $(patsubst tests/unit/%,$(SAN_DIR)/unit/%,$(UNIT_BINS))
# What a report looks like matters more than speed here.
SAN_ENV    := ASAN_OPTIONS=detect_leaks=1:halt_on_error=1:abort_on_error=0:strict_string_checks=1:detect_stack_use_after_return=1 \
              UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

.PHONY: unit-asan
check: unit-asan
# keep the objects: they are only reached through pattern rules
.SECONDARY: $(SAN_OBJS)

$(SAN_DIR)/src/%.o: src/%.c $(HDRS)
	@mkdir -p $(@D)
	$(SAN_CC) $(CPPFLAGS) $(SAN_CFLAGS) -c -o $@ $<

$(SAN_DIR)/unit/%: tests/unit/%.c $(SAN_OBJS) $(HDRS) $(UNIT_HDRS)
	@mkdir -p $(@D)
	$(SAN_CC) $(CPPFLAGS) $(SAN_CFLAGS) -Isrc -o $@ $< $(SAN_OBJS) -lcmocka -ljansson

unit-asan: $(SAN_BINS)
	@pass=0; fail=0; \
	for t in $(SAN_BINS); do \
	  if $(SAN_ENV) ./$$t; then pass=$$((pass+1)); else fail=$$((fail+1)); echo "unit-asan: $$t FAILED"; fi; \
	done; \
	echo "unit: $$pass programs passed, $$fail failed (ASan+UBSan)"; test $$fail -eq 0
