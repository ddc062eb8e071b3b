#!/bin/bash
# Each page fault of one warm `docker ps -q` through the shim, named: the
# address, the kind, and the input section and object holding it (from the
# link map), to find what src/warmpath.ld should put side by side.
#
#   bash bench/warmfaults.sh [LAZYDIND_BINARY MAP]   (not part of make bench)
#
# Without arguments it relinks ./lazydind with a map (same bytes). Needs perf
# on the host (apt-get install linux-perf): the kernel's
# exceptions:page_fault_user tracepoint, system-wide, for the few ms of one
# call in an emulated privileged pod (tests/testbed/lib.sh; own pod name and
# label); only the shim's process until its exec of the no-op is listed.
# error_code: 0x14 instruction fetch, 0x4 read, 0x6 write (not present),
# 0x7 write to a present page (copy on write).
set -u

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$BENCH_DIR/.." && pwd)
RAW=$(mktemp -d /tmp/lazydind-warmfaults.XXXXXX)
BIN=${1:-}
MAP=${2:-}

# shellcheck source=../tests/testbed/lib.sh
. "$REPO/tests/testbed/lib.sh"
# shellcheck disable=SC2034  # read by the tb_* functions
TB_POD_PREFIX=lazydind-warmfaults-
# shellcheck disable=SC2034
TB_POD_LABEL=lazydind-bench=1
export TB_RUN_ID=warmfaults-$$
# shellcheck disable=SC2034
TB_POD_IMAGE=lazydind-pod:bench

log() { printf 'warmfaults: %s\n' "$*" >&2; }
die() { log "FATAL: $*"; exit 1; }
trap 'tb_pod_rm w' EXIT

# relink: ./lazydind again, with its link map
relink() {
    make -C "$REPO" -s -W src/warmpath.ld LDFLAGS="-Wl,-Map=$RAW/lazydind.map" lazydind ||
        die "cannot relink"
    BIN=$REPO/lazydind
    MAP=$RAW/lazydind.map
}

# record: one warm call of /opt/shim/docker in front of the no-op, under perf
record() {
    perf record -q -e sched:sched_process_exec -e exceptions:page_fault_user -a \
        -o "$RAW/pf.data" -- docker exec "$(tb_pod_name w)" sh -c \
        'LAZYDIND_DOCKER=/opt/execfloor /opt/shim/docker ps -q' >/dev/null 2>&1 ||
        die "perf record (is linux-perf installed?)"
    perf script -i "$RAW/pf.data" -F pid,event,trace 2>/dev/null | awk '
        /sched_process_exec/ { if (index($0, "filename=/opt/shim/docker ")) { pid = $1; on = 1; next }
                               else if ($1 == pid) on = 0 }
        on && $1 == pid { sub(/.*address=/, ""); print }'
}

command -v perf >/dev/null || die "needs perf on the host (apt-get install linux-perf)"
[ -n "$BIN" ] || relink
{ [ -f "$BIN" ] && [ -f "$MAP" ]; } || die "usage: warmfaults.sh [LAZYDIND_BINARY MAP]"
tb_ensure_host_docker >"$RAW/setup.log" 2>&1 || die "no Docker engine"
tb_pod_image "$BIN" >>"$RAW/setup.log" 2>&1 || { cat "$RAW/setup.log" >&2; die "pod image"; }
tb_pod_run w || die "cannot start the pod"
gcc -static -O2 -o "$RAW/execfloor" "$BENCH_DIR/src/execfloor.c" || die "execfloor"
docker cp "$RAW/execfloor" "$(tb_pod_name w):/opt/execfloor" >/dev/null || die "docker cp"
# written with one cat, as bench/warmpath.sh writes the programs it times
tb_pod_sh w "mkdir -p /opt/shim && cat >/opt/shim/prog && chmod 755 /opt/shim/prog &&
    ln -s prog /opt/shim/docker && docker version >/dev/null" <"$BIN" 2>"$RAW/start.err" ||
    { cat "$RAW/start.err" >&2; die "no daemon"; }
record >"$RAW/faults"
echo "page faults of one warm call  $(date -u +%Y-%m-%dT%H:%M:%SZ)  (binary $BIN, sha256 $(sha256sum "$BIN" | cut -c1-12)): $(wc -l <"$RAW/faults")"
while read -r addr ip code; do
    what=$(python3 "$BENCH_DIR/warmmap.py" where "$MAP" "${addr#0x}" | cut -c16-)
    [ "$what" = "-" ] && what="(not in the binary: stack, heap or vdso)"
    printf '  %-16s %-18s %-16s %s\n' "$addr" "$ip" "$code" "$what"
done <"$RAW/faults"
