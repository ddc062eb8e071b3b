# The binary that the e2e test valgrind_shim_paths runs under valgrind's
# memcheck in a pod (tests/e2e/valgrind.sh): the same sources, built -O1 -g
# and linked dynamically against glibc (memcheck replaces malloc only in a
# dynamically linked program) with jansson linked in statically (the pod
# image has no libjansson). `make check` builds it before the e2e suite.
VG_BIN    := build/vg/lazydind
VG_CFLAGS := $(filter-out -O2 -O3 -D_FORTIFY_SOURCE=2,$(CFLAGS)) -O1 -g
VG_OBJS   := $(patsubst src/%.c,build/vg/src/%.o,$(SRCS) src/cli/main.c)

.PHONY: vg-bin
.SECONDARY: $(VG_OBJS)
vg-bin: $(VG_BIN)
e2e: $(VG_BIN)

build/vg/src/%.o: src/%.c $(HDRS)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(VG_CFLAGS) -c -o $@ $<

$(VG_BIN): $(VG_OBJS)
	$(CC) -o $@ $^ -Wl,-Bstatic -ljansson -Wl,-Bdynamic
