#!/bin/bash
# What a splice(2) proxy in the rootless supervisor would cost per request
# (docs/modes.md, "Socket activation in rootless mode"): the median time of
# N `GET /_ping` round trips, each on a fresh connection, through
# bench/src/spliceproxy.c vs directly on the daemon's socket, in R rounds
# that alternate the two (so that the machine's load hits both alike).
#
#   bash bench/proxy.sh [INNER_SOCKET]     (default /var/run/docker.sock)
#
# Only GET /_ping is sent: any running dockerd will do. Knobs: BENCH_PROXY_N
# (requests per round, default 500), BENCH_PROXY_ROUNDS (default 7). Prints
# one line per round and the medians; writes bench/results/proxy.txt.
set -eu

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
INNER=${1:-/var/run/docker.sock}
N=${BENCH_PROXY_N:-500}
ROUNDS=${BENCH_PROXY_ROUNDS:-7}
WORK=$(mktemp -d /tmp/lazydind-proxy.XXXXXX)
PROXY_PID=

cleanup() {
    [ -n "$PROXY_PID" ] && kill "$PROXY_PID" 2>/dev/null
    rm -rf "$WORK"
}
trap cleanup EXIT

build_tools() {
    local p
    for p in spliceproxy pingn; do
        gcc -O2 -Wall -Wextra -o "$WORK/$p" "$BENCH_DIR/src/$p.c"
    done
}

start_proxy() {
    "$WORK/spliceproxy" "$WORK/proxy.sock" "$INNER" &
    PROXY_PID=$!
    local i=0
    until [ -S "$WORK/proxy.sock" ]; do
        i=$((i + 1)); [ $i -gt 100 ] && { echo "spliceproxy did not start" >&2; exit 1; }
        sleep 0.05
    done
}

# median of the numbers on stdin
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

main() {
    build_tools
    start_proxy
    "$WORK/pingn" 50 "$INNER" >/dev/null   # warm-up
    "$WORK/pingn" 50 "$WORK/proxy.sock" >/dev/null
    local r d p
    : >"$WORK/direct"; : >"$WORK/proxied"
    echo "round  direct: median p90 min (us)   proxied: median p90 min (us)"
    for r in $(seq "$ROUNDS"); do
        d=$("$WORK/pingn" "$N" "$INNER")
        p=$("$WORK/pingn" "$N" "$WORK/proxy.sock")
        echo "$d" | cut -d' ' -f1 >>"$WORK/direct"
        echo "$p" | cut -d' ' -f1 >>"$WORK/proxied"
        printf '%5d  %-30s %s\n' "$r" "$d" "$p"
    done
    d=$(median <"$WORK/direct"); p=$(median <"$WORK/proxied")
    {
        echo "splice proxy cost per request, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, N=$N x $ROUNDS rounds"
        echo "GET /_ping, fresh connection each: direct median $d us, through the proxy $p us"
        awk -v d="$d" -v p="$p" 'BEGIN { printf "cost of the proxy: %.1f us per request (%.0f%%)\n", p - d, (p - d) * 100 / d }'
    } | tee "$BENCH_DIR/results/proxy.txt"
}

main "$@"
