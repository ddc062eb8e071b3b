#!/bin/bash
# The warm path counted, not timed: what one warm `docker ps -q` through the
# shim costs beyond one bare exec, in numbers that load does not change.
#
#   bash bench/warmpath.sh [LAZYDIND_BINARY]     (not part of make bench)
#
# In one emulated privileged pod (tests/testbed/lib.sh; the bench's image,
# own pod name and label), with dockerd started through the shim, the shim
# exec'ing a static no-op as the real CLI (LAZYDIND_DOCKER=execfloor) is put
# side by side with execfloor exec'ing the same no-op (the exec floor):
#   syscalls  strace: the calls from the process's start to its exec of the
#             real CLI, listed for the shim (also with the real CLI found on
#             PATH, as in a pod);
#   faults    wait4's ru_minflt, median of 200 runs (bench/src/faults.c);
#   Ir        callgrind's instruction count up to the exec (--dump-before=execv).
# The host's strace and valgrind are copied into the pod (both are Debian
# 12's, as the pod image is). Prints the table and writes
# bench/results/warmpath.txt. About a minute.
#
# WARMPATH_BEFORE=OTHER_BINARY adds OTHER_BINARY (e.g. the build before a
# change) as /opt/before/docker in the same pod, reading the same state, and
# times both shims against the exec floor, interleaved in random order
# (lztimer, WARMPATH_N rounds, default 400): shim cost minus exec floor for
# each, with 95% bootstrap intervals, under the same load.
set -u

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$BENCH_DIR/.." && pwd)
BIN=${1:-$REPO/lazydind}
OUT=${WARMPATH_OUT:-$BENCH_DIR/results/warmpath.txt}

# shellcheck source=../tests/testbed/lib.sh
. "$REPO/tests/testbed/lib.sh"
# shellcheck disable=SC2034  # read by the tb_* functions
TB_POD_PREFIX=lazydind-warmpath-
# shellcheck disable=SC2034
TB_POD_LABEL=lazydind-bench=1
export TB_RUN_ID=warmpath-$$
# shellcheck disable=SC2034
TB_POD_IMAGE=lazydind-pod:bench

RAW=$(mktemp -d /tmp/lazydind-warmpath.XXXXXX)
log() { printf 'warmpath: %s\n' "$*" >&2; }
die() { log "FATAL: $*"; exit 1; }
trap 'tb_pod_rm w' EXIT

T=/opt/bench
psh() { timeout -k 5 120 docker exec -i "$(tb_pod_name w)" sh -c "$1"; }

# tools_in: the static tools, and the host's strace and callgrind with the
# libraries strace needs, copied into the pod.
tools_in() {
    mkdir -p "$RAW/tools"
    for p in execfloor faults lztimer; do
        gcc -static -O2 -Wall -Wextra -o "$RAW/tools/$p" "$BENCH_DIR/src/$p.c" ||
            die "cannot build bench/src/$p.c"
    done
    docker cp "$RAW/tools/." "$(tb_pod_name w):$T/" >/dev/null || die "docker cp"
    if ! command -v strace >/dev/null || ! command -v valgrind.bin >/dev/null; then
        die "needs strace and valgrind on the host (apt-get install strace valgrind)"
    fi
    {
        echo /usr/bin/strace
        ldd /usr/bin/strace | awk '$3 ~ /^\// { print $3 }'
        echo /usr/bin/valgrind.bin
        ls -d /usr/libexec/valgrind/{default.supp,callgrind-amd64-linux,vgpreload_core-amd64-linux.so}
    } | sed 's|^/||' >"$RAW/list"
    tar -C / -chf - -T "$RAW/list" | docker exec -i "$(tb_pod_name w)" tar -C / -xf - ||
        die "cannot copy strace and valgrind into the pod"
}

# syscalls_until_exec FILE: the lines of an strace log after the first
# execve and before the second (the process's own calls before its exec).
syscalls_until_exec() {
    awk '/^execve\(/ { n++; next } n == 1' "$1"
}

[ -f "$BIN" ] || die "no lazydind binary at $BIN (run make first)"
tb_ensure_host_docker >"$RAW/setup.log" 2>&1 || die "no Docker engine"
tb_pod_image "$BIN" >>"$RAW/setup.log" 2>&1 || { cat "$RAW/setup.log" >&2; die "pod image"; }
tb_pod_run w || die "cannot start the pod"
tools_in
psh "docker version >/dev/null" 2>"$RAW/start.err" || { cat "$RAW/start.err" >&2; die "no daemon"; }

SHIM_ENV="LAZYDIND_DOCKER=$T/execfloor"
log "syscalls"
psh "$SHIM_ENV strace -o /tmp/shim.st docker ps -q; strace -o /tmp/real.st docker ps -q >/dev/null;
     strace -o /tmp/floor.st $T/execfloor $T/execfloor ps -q" 2>/dev/null
for f in shim real floor; do
    docker cp "$(tb_pod_name w):/tmp/$f.st" "$RAW/$f.st" >/dev/null
    syscalls_until_exec "$RAW/$f.st" >"$RAW/$f.calls"
done
log "page faults"
faults_shim=$(psh "$T/faults -n 200 $SHIM_ENV /usr/local/bin/docker ps -q" | awk '{ print $2 }')
faults_floor=$(psh "$T/faults -n 200 $T/execfloor $T/execfloor ps -q" | awk '{ print $2 }')
log "instructions (callgrind)"
ir() {  # ENV CMD...: callgrind's Ir total up to the first execv
    local env=$1; shift
    psh "rm -f /tmp/cg.*; $env VALGRIND_LIB=/usr/libexec/valgrind valgrind.bin --tool=callgrind \
        --dump-before=execv --callgrind-out-file=/tmp/cg.out $* >/dev/null 2>&1;
        sed -n 's/^summary: //p; s/^totals: //p' /tmp/cg.out.1 | head -n 1"
}
ir_shim=$(ir "$SHIM_ENV" docker ps -q)
ir_floor=$(ir "" $T/execfloor $T/execfloor ps -q)

# ab_timing: both shims in front of /bin/true, the exec floor and /bin/true
# alone, interleaved; medians and the differences' bootstrap intervals.
ab_timing() {
    local n=${WARMPATH_N:-400}
    # all three programs written into the pod the same way (cat): how a file
    # was written (one large write, a linker's many small ones, an image
    # layer) changes what its exec costs by up to ~100 us (page cache)
    local b
    for b in "before:$WARMPATH_BEFORE" "after:$BIN" "floor:$RAW/tools/execfloor"; do
        docker exec -i "$(tb_pod_name w)" sh -c "mkdir -p /opt/${b%%:*} &&
            cat >/opt/${b%%:*}/prog && chmod 755 /opt/${b%%:*}/prog &&
            ln -sf prog /opt/${b%%:*}/docker" <"${b#*:}" || die "cannot copy ${b#*:}"
    done
    log "timing: $n interleaved rounds of each shim, the exec floor and /bin/true"
    timeout 900 docker exec -i "$(tb_pod_name w)" $T/lztimer seq -n "$n" -w 20 -r 1 \
        after -a docker LAZYDIND_DOCKER=/bin/true /opt/after/docker ps -q :: \
        before -a docker LAZYDIND_DOCKER=/bin/true /opt/before/docker ps -q :: \
        floor /opt/floor/prog /bin/true ps -q :: \
        true /bin/true ps -q >"$RAW/ab.txt" || die "lztimer"
    python3 - "$RAW/ab.txt" <<'PY'
import collections, random, statistics, sys
d = collections.defaultdict(list)
for line in open(sys.argv[1]):
    f = line.split()
    if len(f) >= 6 and f[5] == "0":
        d[f[0]].append(int(f[4]) / 1e3)
def diff(a, b, iters=2000):
    r = random.Random(2)
    v = sorted(statistics.median(r.choices(a, k=len(a))) - statistics.median(r.choices(b, k=len(b)))
               for _ in range(iters))
    return statistics.median(a) - statistics.median(b), v[int(0.025 * iters)], v[int(0.975 * iters) - 1]
print("  timed, interleaved in one pod (median us; n=%d each)" % len(d["floor"]))
print("    /bin/true %.1f | exec floor (execfloor /bin/true) %.1f | shim before %.1f | shim after %.1f"
      % tuple(statistics.median(d[k]) for k in ("true", "floor", "before", "after")))
for k in ("before", "after"):
    m, lo, hi = diff(d[k], d["floor"])
    print("    shim cost minus exec floor, %-6s  %.1f us (95%% CI %.1f-%.1f)" % (k, m, lo, hi))
m, lo, hi = diff(d["after"], d["before"])
print("    after minus before                  %.1f us (95%% CI %.1f-%.1f)" % (m, lo, hi))
PY
}

n_shim=$(wc -l <"$RAW/shim.calls")
n_real=$(wc -l <"$RAW/real.calls")
n_floor=$(wc -l <"$RAW/floor.calls")
{
    echo "lazydind warm path, counted  $(date -u +%Y-%m-%dT%H:%M:%SZ)  (binary $BIN, $(stat -c %s "$BIN") bytes, sha256 $(sha256sum "$BIN" | cut -c1-12); tree $(git -C "$REPO" rev-parse --short HEAD 2>/dev/null))"
    echo "one warm docker ps -q through the shim (dockerd up, the supervisor listening) vs execfloor"
    printf '  %-44s shim %s | exec floor %s | shim, real CLI on PATH %s\n' \
        "syscalls from start to the exec" "$n_shim" "$n_floor" "$n_real"
    printf '  %-44s shim %s | exec floor %s (both in front of the no-op)\n' \
        "page faults (ru_minflt, median of 200)" "$faults_shim" "$faults_floor"
    printf '  %-44s shim %s | exec floor %s\n' "instructions up to the exec (callgrind Ir)" \
        "${ir_shim:-?}" "${ir_floor:-?}"
    echo "  the shim's calls beyond the C library's start-up (LAZYDIND_DOCKER=execfloor):"
    # the start-up's calls are the floor's; list the rest with their paths
    grep -v -E '^(brk|arch_prctl|set_tid_address|set_robust_list|rseq|prlimit64|getrandom|mprotect)\(' \
        "$RAW/shim.calls" | grep -v '^readlink("/proc/self/exe"' | sed 's/^/    /' | cut -c1-150
    echo "  with the real CLI found on PATH:"
    grep -E '^(newfstatat|access|openat)\(' "$RAW/real.calls" | sed 's/^/    /' | cut -c1-150
    if [ -n "${WARMPATH_BEFORE:-}" ]; then
        echo "  load average $(cut -d' ' -f1-3 /proc/loadavg) before the timing"
        ab_timing
    fi
} | tee "$OUT"
log "raw data in $RAW"
