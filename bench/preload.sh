#!/bin/bash
# bench/preload.sh [LAZYDIND_BINARY]: the first `docker run` of an image in a
# fresh pod, preloaded (LAZYDIND_PRELOAD, docs/preload.md) against pulled
# from the pod's local registry, and the first `docker ps` with and
# without a preload configured. Each sample is a fresh pod; the modes are
# interleaved round by round. Prints the medians side by side and writes
# bench/results/preload.txt. BENCH_PRELOAD_N rounds (default 5).
#
#   preload-run   pod with the busybox test image's archive (docker save |
#                 gzip) on a read-only volume, no registry: docker run --rm
#                 IMAGE true (dockerd's start + waiting for the load)
#   registry-run  pod with its local registry (127.0.0.1:5000), no
#                 preload: docker run --rm 127.0.0.1:5000/busybox true
#                 (dockerd's start + the pull)
#   plain-ps      pod without preload: docker ps (dockerd's start alone)
#   preload-ps    pod with the archive: docker ps (not held up by the load)
set -u

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$BENCH_DIR/.." && pwd)
BIN=${1:-$REPO/lazydind}
N=${BENCH_PRELOAD_N:-5}

# shellcheck source=../tests/testbed/lib.sh
. "$REPO/tests/testbed/lib.sh"
# shellcheck disable=SC2034  # read by the tb_* functions
TB_POD_PREFIX=lazydind-bench-preload-
# shellcheck disable=SC2034
TB_POD_LABEL=lazydind-bench=1
export TB_RUN_ID=bench-preload-$$
# shellcheck disable=SC2034
TB_POD_IMAGE=lazydind-pod:bench-preload

RAW=$(mktemp -d /tmp/lazydind-bench-preload.XXXXXX)
CACHE=$RAW/cache
MODES=(preload-run registry-run plain-ps preload-ps)

log() { printf 'bench: %s\n' "$*" >&2; }
die() { log "FATAL: $*"; exit 1; }
trap tb_pod_cleanup_all EXIT
trap 'exit 130' INT TERM

# timed POD CMD: runs CMD in POD, prints its wall time in ms (or FAIL).
timed() {
    timeout -k 5 200 docker exec "$(tb_pod_name "$1")" sh -c \
        's=$(date +%s%N); '"$2"' >/dev/null 2>&1 || { echo FAIL; exit; }; e=$(date +%s%N); echo $(((e - s) / 1000000))'
}

# sample MODE ROUND: one fresh pod, one first command; prints ms.
sample() {
    local p=$1-$2 img
    img=$(tb_busybox_image) || return 1
    case $1 in
    preload-*) tb_pod_run "$p" -v "$CACHE:/var/cache/images:ro" \
                   -e LAZYDIND_PRELOAD=/var/cache/images || return 1 ;;
    *) tb_pod_run "$p" || return 1 ;;
    esac
    [ "$1" = registry-run ] && { tb_pod_registry_start "$p" || return 1; }
    sleep 0.5 # let the host engine settle after creating the pod
    case $1 in
    preload-run) timed "$p" "docker run --rm $img true" ;;
    registry-run) timed "$p" "docker run --rm $TB_REGISTRY_BUSYBOX true" ;;
    *) timed "$p" "docker ps" ;;
    esac
    tb_pod_rm "$p"
}

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR) print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2); else print "-" }'; }

main() {
    [ -f "$BIN" ] || die "no lazydind binary at $BIN (run make first)"
    tb_ensure_host_docker >"$RAW/setup.log" 2>&1 || die "no Docker engine (see $RAW/setup.log)"
    tb_pod_image "$BIN" >>"$RAW/setup.log" 2>&1 || die "no pod image (see $RAW/setup.log)"
    local img r m out
    img=$(tb_busybox_image 2>>"$RAW/setup.log") || die "no busybox test image"
    mkdir -p "$CACHE" && docker save "$img" | gzip >"$CACHE/busybox.tar.gz" || die "docker save"
    chmod -R a+rX "$CACHE"
    log "archive: $(stat -c %s "$CACHE/busybox.tar.gz") bytes; $N rounds of ${MODES[*]}"
    for r in $(seq "$N"); do
        for m in "${MODES[@]}"; do
            out=$(sample "$m" "$r" 2>>"$RAW/setup.log") || out=FAIL
            echo "$out" >>"$RAW/$m"
            log "round $r $m: $out ms"
        done
    done
    {
        echo "first command in a fresh pod, median of $N (ms), $(date -u +%Y-%m-%dT%H:%MZ)"
        printf '%-14s %8s   %s\n' mode median samples
        for m in "${MODES[@]}"; do
            printf '%-14s %8s   %s\n' "$m" "$(grep -v FAIL "$RAW/$m" | median)" "$(tr '\n' ' ' <"$RAW/$m")"
        done
    } | tee "$BENCH_DIR/results/preload.txt"
    log "raw samples in $RAW"
}

main
