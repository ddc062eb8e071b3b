#!/bin/bash
# Rootless socket activation (docs/modes.md), side by side in one run, in a
# rootless pod with the documented environment (uid 1000,
# XDG_RUNTIME_DIR=/tmp/.docker/run, DOCKER_HOST naming its socket):
#
#  1. the first connection's cost: the supervisor listens (`lazydind
#     activate`, or re-armed by `lazydind stop --keep-socket`), one API
#     client connects ONCE and sends GET /_ping (bench/src/connping.c):
#     connect -> the full answer, i.e. rootlesskit + dockerd's start + the
#     copy through the supervisor; R cold starts, alternating with the
#     reference: dockerd-rootless.sh started by hand, /_ping polled every
#     1 ms (bench/src/pingwait.c);
#  2. the cost per request after the hand-over: N GET /_ping, each on a fresh
#     connection (bench/src/pingn.c), on the user's socket (now dockerd's
#     own) vs directly on dockerd's socket inode (a hard link to it in the
#     same directory, the path as long: the reference) vs through a splice(2) proxy (bench/src/spliceproxy.c:
#     what proxying every request, the design not taken, would cost),
#     interleaved request by request.
#
#   bash bench/rootless-activation.sh [LAZYDIND_BINARY]   (default ./lazydind)
#
# Needs root, the host's Docker engine and gcc with a static libc. Knobs:
# BENCH_RL_COLD (cold starts, default 7), BENCH_RL_N (requests per round,
# default 500), BENCH_RL_ROUNDS (default 7). Writes
# bench/results/rootless-activation.txt. No test asserts these numbers.
set -eu

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$BENCH_DIR/.." && pwd)
BIN=${1:-$REPO/lazydind}
COLD=${BENCH_RL_COLD:-7}
N=${BENCH_RL_N:-500}
ROUNDS=${BENCH_RL_ROUNDS:-7}
PUB=/tmp/.docker/run/docker.sock
DIRECT=/tmp/.docker/run/direct.sock   # a hard link to dockerd's socket: same dir, same path length
WORK=$(mktemp -d /tmp/lazydind-rlbench.XXXXXX)
POD=lazydind-bench-rootless-$$

# shellcheck source=../tests/testbed/lib.sh
. "$REPO/tests/testbed/lib.sh"
TB_POD_IMAGE=lazydind-pod:bench-rootless   # our own tag: no other run retags it

cleanup() {
    docker rm -f "$POD" >/dev/null 2>&1 || true
    rm -rf "$WORK"
}
trap cleanup EXIT

# in_pod SCRIPT: sh -c SCRIPT as the pod's user.
in_pod() { docker exec -i "$POD" sh -c "$1"; }

build_tools() {
    local p
    for p in connping pingn pingwait spliceproxy; do
        gcc -static -O2 -Wall -Wextra -o "$WORK/$p" "$BENCH_DIR/src/$p.c"
    done
}

start_pod() {
    local id
    tb_pod_image "$BIN" >"$WORK/image.log" 2>&1 || { cat "$WORK/image.log"; exit 1; }
    id=$(docker image inspect -f '{{.Id}}' "$TB_POD_IMAGE")
    docker run -d --name "$POD" --label lazydind-bench=1 --user 1000:1000 \
        --cap-add SYS_ADMIN --cap-add NET_ADMIN --security-opt seccomp=unconfined \
        --security-opt apparmor=unconfined --security-opt systempaths=unconfined \
        --device /dev/fuse --device /dev/net/tun -e HOME=/tmp \
        -e XDG_RUNTIME_DIR=/tmp/.docker/run -e DOCKER_HOST=unix://$PUB \
        "$id" sh -c 'sleep infinity' >/dev/null
    docker exec -u 0 "$POD" sh -c 'chmod 666 /dev/fuse /dev/net/tun && mkdir -m 777 /opt/bench'
    docker cp "$WORK/connping" "$POD:/opt/bench/" && docker cp "$WORK/pingn" "$POD:/opt/bench/" &&
        docker cp "$WORK/spliceproxy" "$POD:/opt/bench/" && docker cp "$WORK/pingwait" "$POD:/opt/bench/"
}

# wait_armed: until the supervisor listens again (state phase armed).
wait_armed() {
    local i
    for i in $(seq 100); do
        in_pod 'grep -q "^phase=armed" /tmp/.docker/run/lazydind/state 2>/dev/null' && return 0
        sleep 0.1
    done
    echo "the supervisor did not re-arm" >&2
    exit 1
}

# ref_start: the reference, dockerd-rootless.sh started by hand with the
# same config (lazydind's generated daemon.json but its hosts) and storage
# driver, /_ping polled every 1 ms (bench/src/pingwait.c): spawn -> first OK,
# in ms; then it is stopped.
ref_start() {
    local line
    line=$(in_pod "/opt/bench/pingwait -t 120 -l /tmp/ref-dockerd.log /tmp/.docker/run/ref.sock \
        /usr/share/docker.io/contrib/dockerd-rootless.sh --storage-driver fuse-overlayfs \
        --config-file /tmp/ref-daemon.json -H unix:///tmp/.docker/run/ref.sock")
    echo "ref: $line"
    awk '$1 == "ok" { printf "%.1f\n", $4 / 1e6 }' <<<"$line" >>"$WORK/ref"
    in_pod 'p=$(pgrep -x rootlesskit | head -1); [ -n "$p" ] && kill $p;
        while pgrep -x rootlesskit >/dev/null || pgrep -x dockerd >/dev/null; do sleep 0.05; done;
        rm -f /tmp/.docker/run/ref.sock; sleep 1'
}

# lz_start: one first connection on a freshly armed listener (`lazydind
# activate`), in ms; lazydind's own view (the log's "ready N ms after the
# first connection") goes to $WORK/cold_log; then all is stopped.
lz_start() {
    local line out api
    in_pod 'lazydind activate >/dev/null 2>&1'
    wait_armed
    out=$(in_pod "/opt/bench/connping -t 120 $PUB; date +%s.%N")
    line=$(head -1 <<<"$out")
    echo "cold: $line"
    awk '$1 == "ok" { printf "%.1f\n", $5 / 1e6 }' <<<"$line" >>"$WORK/cold"
    # dockerd's "API listen on" (it serves from then on) -> the client's answer
    api=$(in_pod 'date -d "$(grep -o "^time=\"[^\"]*\" level=info msg=\"API listen on" \
        /tmp/.docker/run/lazydind/dockerd.log | tail -1 | cut -d\" -f2)" +%s.%N')
    awk -v e="$(tail -1 <<<"$out")" -v a="$api" 'BEGIN { printf "%.1f\n", (e - a) * 1000 }' \
        >>"$WORK/after_listen"
    in_pod 'grep -o "dockerd is ready ([0-9]* ms" /tmp/.docker/run/lazydind/dockerd.log | tail -1' |
        grep -o '[0-9]*' >>"$WORK/cold_log"
    if [ ! -s "$WORK/ref-config-made" ]; then
        in_pod "python3 -c 'import json
d = json.load(open(\"/tmp/.docker/run/lazydind/daemon.json\"))
d.pop(\"hosts\", None)
json.dump(d, open(\"/tmp/ref-daemon.json\", \"w\"))'" && echo yes >"$WORK/ref-config-made"
    fi
    in_pod 'lazydind stop >/dev/null 2>&1; sleep 1'
}

# cold_starts: R of each, the order swapped every round (what runs first
# after a stop is no advantage).
cold_starts() {
    local r
    : >"$WORK/cold"; : >"$WORK/ref"; : >"$WORK/cold_log"; : >"$WORK/after_listen"
    lz_start   # warm-up, not counted
    : >"$WORK/cold"; : >"$WORK/cold_log"; : >"$WORK/after_listen"
    for r in $(seq "$COLD"); do
        if [ $((r % 2)) = 1 ]; then lz_start; ref_start; else ref_start; lz_start; fi
    done
    in_pod 'lazydind activate >/dev/null 2>&1 && sleep 0.2'
    in_pod "/opt/bench/connping -t 120 $PUB >/dev/null && sleep 1.5" # handed over
}

# per_request: alternating rounds on the three paths.
per_request() {
    local r d h p out
    in_pod "ln -f $PUB $DIRECT &&
        (setsid /opt/bench/spliceproxy /opt/bench/proxy.sock $PUB >/dev/null 2>&1 &) &&
        sleep 0.3 && /opt/bench/pingn 50 $DIRECT >/dev/null && /opt/bench/pingn 50 /opt/bench/proxy.sock >/dev/null &&
        /opt/bench/pingn 50 $PUB >/dev/null"
    : >"$WORK/direct"; : >"$WORK/handed"; : >"$WORK/proxied"
    echo "round  direct: median p90 min (us)   handed over: median p90 min   proxied: median p90 min"
    for r in $(seq "$ROUNDS"); do
        # the three interleaved request by request (pingn rotates the order)
        out=$(in_pod "/opt/bench/pingn $N $DIRECT $PUB /opt/bench/proxy.sock")
        d=$(sed -n 1p <<<"$out"); h=$(sed -n 2p <<<"$out"); p=$(sed -n 3p <<<"$out")
        echo "${d%% *}" >>"$WORK/direct"; echo "${h%% *}" >>"$WORK/handed"
        echo "${p%% *}" >>"$WORK/proxied"
        printf '%5d  %-30s %-30s %s\n' "$r" "$d" "$h" "$p"
    done
}

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

report() {
    local c cmin cmax d h p
    local f fmin fmax
    f=$(median <"$WORK/ref"); fmin=$(sort -n "$WORK/ref" | head -1)
    fmax=$(sort -n "$WORK/ref" | tail -1)
    c=$(median <"$WORK/cold"); cmin=$(sort -n "$WORK/cold" | head -1)
    cmax=$(sort -n "$WORK/cold" | tail -1)
    d=$(median <"$WORK/direct"); h=$(median <"$WORK/handed"); p=$(median <"$WORK/proxied")
    {
        echo "rootless socket activation, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores (shared), $(in_pod 'docker version --format {{.Server.Version}}' 2>/dev/null) in a rootless pod"
        echo "first connection (GET /_ping on the armed listener, connect -> answer): median $c ms over $(wc -l <"$WORK/cold") cold starts (min $cmin, max $cmax)"
        echo "  lazydind's log (first connection -> the inner socket answers): median $(median <"$WORK/cold_log") ms"
        echo "  dockerd's \"API listen on\" -> the client's answer (the ping loop, the rename, the copy; a date(1) exec included): median $(median <"$WORK/after_listen") ms (max $(sort -n "$WORK/after_listen" | tail -1))"
        echo "reference, dockerd-rootless.sh by hand, /_ping polled every 1 ms (spawn -> OK): median $f ms (min $fmin, max $fmax)"
        awk -v c="$c" -v f="$f" 'BEGIN { printf "  activation over the reference: %+.1f ms\n", c - f }'
        echo "per request after the hand-over, GET /_ping on a fresh connection, median of $ROUNDS x $N:"
        echo "  direct on dockerd's socket $d us, the user's socket (handed over) $h us, through a splice proxy $p us"
        awk -v d="$d" -v h="$h" -v p="$p" 'BEGIN { printf "  cost after the hand-over: %+.1f us per request (%+.0f%%); a proxy on every request would cost %+.1f us (%+.0f%%)\n", h - d, (h - d) * 100 / d, p - d, (p - d) * 100 / d }'
        echo
        echo "the samples (connping / pingwait lines in ns; rounds in us):"
        cat "$WORK/samples"
    } | tee "$BENCH_DIR/results/rootless-activation.txt"
}

main() {
    build_tools
    start_pod
    { cold_starts; per_request; } | tee "$WORK/samples"
    report
    in_pod 'lazydind stop >/dev/null 2>&1' || true
}

main "$@"
