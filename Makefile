# lazydind: plain Makefile. `make` builds the static binary, `make check`
# runs the unit tests (cmocka) and the end-to-end suite against a real dockerd.
CC      ?= cc
CFLAGS  ?= -O2 -g
# snprintf truncation is bounded by design (paths are capped at LZ_PATH_MAX);
# the warning cannot see those caps.
CFLAGS  += -std=c11 -Wall -Wextra -Werror -Wno-format-truncation -D_FORTIFY_SOURCE=2
# one section per function, so the static link keeps only what is used
CFLAGS  += -ffunction-sections -fdata-sections
# headers are named by layer: #include "base/util.h"
CPPFLAGS += -Isrc
LDFLAGS ?=
PREFIX  ?= /usr/local
MANDIR  ?= $(PREFIX)/share/man
DESTDIR ?=

# src/ has one folder per layer (README.md, Layout)
LAYERS := base config pod daemon cli
SRCS := $(filter-out src/cli/main.c,$(foreach l,$(LAYERS),$(wildcard src/$(l)/*.c)))
OBJS := $(SRCS:.c=.o)
HDRS := $(foreach l,$(LAYERS),$(wildcard src/$(l)/*.h))

UNIT_SRCS := $(foreach l,$(LAYERS),$(wildcard tests/unit/$(l)/test_*.c))
UNIT_BINS := $(UNIT_SRCS:.c=)
# the tests' shared helpers and fixtures (tests/unit/helpers.h, conf_fixture.h)
UNIT_HDRS := $(wildcard tests/unit/*.h tests/unit/*/*.h)

.PHONY: all check unit e2e install clean demo bench

all: lazydind

src/%.o: src/%.c $(HDRS)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

# src/warmpath.ld: the warm path's code and start-up data side by side (fewer page faults per exec)
lazydind: src/cli/main.o $(OBJS) src/warmpath.ld
	$(CC) $(LDFLAGS) -static -Wl,--gc-sections -Wl,-T,src/warmpath.ld -o $@ src/cli/main.o $(OBJS) -ljansson

# Unit tests link the same objects dynamically against cmocka.
tests/unit/%: tests/unit/%.c $(OBJS) $(HDRS) $(UNIT_HDRS)
	$(CC) $(CPPFLAGS) $(CFLAGS) -o $@ $< $(OBJS) -lcmocka -ljansson

unit: $(UNIT_BINS)
	@pass=0; fail=0; \
	for t in $(UNIT_BINS); do \
	  if ./$$t; then pass=$$((pass+1)); else fail=$$((fail+1)); fi; \
	done; \
	echo "unit: $$pass programs passed, $$fail failed"; test $$fail -eq 0

e2e: lazydind
	bash tests/e2e/run.sh ./lazydind

check: unit e2e

# the binary and its manual page (lazydind.1: mk/man.mk)
install: lazydind lazydind.1
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(MANDIR)/man1
	install -m 0755 lazydind $(DESTDIR)$(PREFIX)/bin/lazydind
	install -m 0644 lazydind.1 $(DESTDIR)$(MANDIR)/man1/lazydind.1

demo: lazydind
	bash demo/run.sh ./lazydind

bench: lazydind
	bash bench/run.sh ./lazydind

clean:
	rm -f lazydind src/*/*.o $(UNIT_BINS)

# Further targets (fuzzing, sanitizers, ...) live in mk/*.mk, one concern
# per file.
-include $(wildcard mk/*.mk)

# src/'s layering and the absence of include circles (scripts/check-layers.py).
.PHONY: layers
check: layers
layers:
	python3 scripts/check-layers.py
