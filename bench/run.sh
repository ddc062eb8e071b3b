#!/bin/bash
# lazydind benchmark: warm overhead, cold start, socket activation (an API
# client's first connection), 64 concurrent first calls, start-failure
# reporting and footprint, against the bash lazy-init wrapper of the
# KubeOpenCode guide (bench/baseline/docker-lazy-init.sh) and against the
# limit (dockerd spawned by hand, /_ping polled every 1 ms).
#
#   bash bench/run.sh [LAZYDIND_BINARY]        (make bench)
#
# Everything is timed inside emulated privileged pods (tests/testbed/lib.sh)
# by small static C programs (bench/src/). Prints a table and writes
# bench/results/latest.json (and latest.txt); raw per-call data stays in
# $BENCH_RAW_DIR (default: a new /tmp/lazydind-bench.* directory).
#
# Knobs (environment): BENCH_WARM_N (calls per tool for docker ps -q and
# docker version, default 100), BENCH_SHIM_N (calls per variant for the shim
# cost, default 400), BENCH_COLD_N (rounds of fresh pods, one per tool, for
# the cold start and the activation, default 7), BENCH_CONC_N (parallel first
# calls, default 64), BENCH_PHASES (a subset of "warm cold act conc fail", for
# trying things out; "act" without "cold" measures the limit beside it).
# Takes 5-7 minutes.
set -u

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$BENCH_DIR/.." && pwd)
BIN=${1:-$REPO/lazydind}
WARM_N=${BENCH_WARM_N:-100}
SHIM_N=${BENCH_SHIM_N:-400}
COLD_N=${BENCH_COLD_N:-7}
CONC_N=${BENCH_CONC_N:-64}
PHASES=" ${BENCH_PHASES:-warm cold act conc fail} "
want() { [[ $PHASES == *" $1 "* ]]; }

# shellcheck source=../tests/testbed/lib.sh
. "$REPO/tests/testbed/lib.sh"

# Our pods: own name prefix, own label, own run id, own image tag, so that
# neither the e2e suite's cleanup nor its image rebuilds touch them (and
# ours never touch its pods).
# shellcheck disable=SC2034  # read by the tb_* functions
TB_POD_PREFIX=lazydind-bench-
# shellcheck disable=SC2034
TB_POD_LABEL=lazydind-bench=1
export TB_RUN_ID=bench-$$
TB_POD_IMAGE=lazydind-pod:bench

RAW=${BENCH_RAW_DIR:-$(mktemp -d /tmp/lazydind-bench.XXXXXX)}
mkdir -p "$RAW/tools" "$BENCH_DIR/results"
T_START=$SECONDS

log() { printf 'bench: %s\n' "$*" >&2; }
die() { log "FATAL: $*"; exit 1; }

cleanup() { tb_pod_cleanup_all; }
trap cleanup EXIT
trap 'exit 130' INT TERM

# Inside-pod paths.
SHIM=/usr/local/bin/docker            # -> lazydind
REAL=/usr/bin/docker
WRAP=/opt/bench/docker-lazy-init.sh
LZ=/usr/local/bin/lazydind
T=/opt/bench                          # lztimer, pingwait, procwatch, execfloor, connping, shimwork
# Live (non-zombie) dockerd processes in a pod.
LIVE_DOCKERD='ps -e -o stat=,comm= | awk '\''$2 == "dockerd" && $1 !~ /^Z/'\'' | wc -l'

# pod_new NAME: fresh pod with the bench tools in /opt/bench (docker cp).
pod_new() {
    tb_pod_run "$1" || return 1
    docker cp "$RAW/tools/." "$(tb_pod_name "$1"):/opt/bench/" >/dev/null || return 1
    sleep 0.5  # let the host engine settle after creating the pod
}

# psh NAME SECS SCRIPT: sh -c SCRIPT in pod NAME, bounded.
psh() {
    timeout -k 5 "$(($2 + 15))" docker exec -i "$(tb_pod_name "$1")" \
        timeout -k 5 "$2" sh -c "$3"
}

# ----------------------------------------------------------------- setup --
[ -f "$BIN" ] || die "no lazydind binary at $BIN (run make first)"
BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")
log "host engine"
tb_ensure_host_docker >"$RAW/setup.log" 2>&1 || { cat "$RAW/setup.log" >&2; die "no Docker engine"; }
log "building the static C tools"
for p in lztimer pingwait procwatch execfloor connping; do
    gcc -static -O2 -Wall -Wextra -o "$RAW/tools/$p" "$BENCH_DIR/src/$p.c" ||
        die "cannot build bench/src/$p.c (needs gcc and a static libc)"
done
# shimwork runs the shim's own steps (src/cli/shim.h), linked with the
# objects `make` built for this binary
SHIM_OBJS=()
for c in "$REPO"/src/*/*.c; do  # the sources' objects: a stale .o left by a removed file is no part
    o=${c%.c}.o
    [ "$o" = "$REPO/src/cli/main.o" ] || SHIM_OBJS+=("$o")
done
if [ ${#SHIM_OBJS[@]} -gt 0 ] && gcc -static -O2 -Wall -Wextra -I"$REPO/src" \
    -o "$RAW/tools/shimwork" "$BENCH_DIR/src/shimwork.c" "${SHIM_OBJS[@]}" -ljansson; then
    :
else
    log "no shimwork (run make first): the step-by-step breakdown is skipped"
fi
install -m 0755 "$BENCH_DIR/baseline/docker-lazy-init.sh" "$RAW/tools/docker-lazy-init.sh"
log "building the pod image ($TB_POD_IMAGE)"
tb_pod_image "$BIN" >>"$RAW/setup.log" 2>&1 || { cat "$RAW/setup.log" >&2; die "pod image"; }
TB_POD_RUN_IMAGE=$(docker image inspect -f '{{.Id}}' "$TB_POD_IMAGE") || die "no $TB_POD_IMAGE"
export TB_POD_RUN_IMAGE

{
    echo "date=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "nproc=$(nproc)"
    echo "kernel=$(uname -r)"
    echo "cpu=$(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)"
    echo "mem_kb=$(awk '/MemTotal/ { print $2 }' /proc/meminfo)"
    echo "host_dockerd=$(docker version -f '{{.Server.Version}}' 2>/dev/null)"
    echo "binary=$BIN"
    echo "binary_bytes=$(stat -c %s "$BIN")"
    echo "binary_sha256=$(sha256sum "$BIN" | cut -c1-16)"
    echo "git=$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null)$(git -C "$REPO" diff --quiet HEAD -- src Makefile 2>/dev/null || echo -dirty)"
    echo "loadavg_start=$(cut -d' ' -f1-3 /proc/loadavg)"
    echo "other_pods_start=$(docker ps -q | wc -l)"
    echo "warm_n=$WARM_N"; echo "shim_n=$SHIM_N"; echo "cold_n=$COLD_N"; echo "conc_n=$CONC_N"
    read -ra phase_list <<<"$PHASES"; echo "phases=${phase_list[*]}"
} >"$RAW/meta.txt"

# ------------------------------------------------------ 1. warm overhead --
if want warm; then
log "warm: starting the daemon in pod warm"
pod_new warm || die "cannot start pod warm"
psh warm 90 "$SHIM version >/dev/null" 2>"$RAW/warm-start.err" ||
    { cat "$RAW/warm-start.err" >&2; die "lazydind could not start the daemon in pod warm"; }
psh warm 20 "dockerd --version; lazydind --version" >"$RAW/versions.txt" 2>&1
{
    echo "pod_dockerd=$(sed -n 1p "$RAW/versions.txt")"
    echo "lazydind_version=$(sed -n 2p "$RAW/versions.txt")"
} >>"$RAW/meta.txt"

log "warm: docker ps -q, $WARM_N calls each of shim / direct / wrapper, interleaved"
psh warm 600 "$T/lztimer seq -n $WARM_N -w 3 \
    shim -a docker $SHIM ps -q :: direct -a docker $REAL ps -q :: wrapper $WRAP ps -q" \
    >"$RAW/warm-ps.txt" || log "warm ps run failed"
log "warm: docker version, $WARM_N calls each"
psh warm 600 "$T/lztimer seq -n $WARM_N -w 3 \
    shim -a docker $SHIM version :: direct -a docker $REAL version :: wrapper $WRAP version" \
    >"$RAW/warm-version.txt" || log "warm version run failed"

# The shim's own cost: the shim exec'ing /bin/true as the real docker, with
# the daemon up (so its check of the daemon is included), against /bin/true
# alone; plus a breakdown: one bare extra exec (execfloor), the shim in front
# of a static no-op with and without the daemon check (docker ps -q needs
# the daemon, docker --version does not), and the no-op alone. Each round
# runs in its own random order (-r): what a call costs depends by tens of µs
# on what ran just before it.
log "warm: shim cost, $SHIM_N calls per variant"
psh warm 600 "$T/lztimer seq -n $SHIM_N -w 20 -r 1 \
    shim_true -a docker LAZYDIND_DOCKER=/bin/true $SHIM ps -q :: \
    true /bin/true ps -q :: \
    exec_true $T/execfloor /bin/true ps -q :: \
    shim_nop -a docker LAZYDIND_DOCKER=$T/execfloor $SHIM ps -q :: \
    shim_nop_noping -a docker LAZYDIND_DOCKER=$T/execfloor $SHIM --version :: \
    nop $T/execfloor" >"$RAW/shim-cost.txt" || log "shim cost run failed"

# lazydind's own work, step by step, each in a fresh process as in the shim
# (settings, finding the real CLI, deciding whether the daemon is needed,
# the bring-up, which on the warm path is the look at the state).
if [ -x "$RAW/tools/shimwork" ]; then
    log "warm: lazydind's own work step by step, $SHIM_N runs of shimwork"
    psh warm 600 "i=0; while [ \$i -lt $SHIM_N ]; do
        LAZYDIND_DOCKER=/bin/true $T/shimwork ps -q; i=\$((i + 1)); done" \
        >"$RAW/shim-work.txt" || log "shimwork run failed"
fi

# Reference for section 3: the same 64 parallel `docker version` calls,
# straight to the real CLI, with the daemon already up: what the CLI alone
# costs when 64 of them share this machine.
log "warm: $CONC_N parallel docker version calls straight to the real CLI (daemon up)"
psh warm 120 "$T/lztimer par -n $CONC_N direct /usr/bin/timeout 60 $REAL version" \
    >"$RAW/conc-warm-direct.txt" || log "parallel warm run failed"

log "warm: supervisor footprint"
psh warm 20 "pid=\$(sed -n 's/^supervisor_pid=//p' /run/lazydind/state)
    echo supervisor_pid=\$pid
    echo supervisor_cmdline=\$(tr '\\0' ' ' </proc/\$pid/cmdline)
    for k in VmRSS VmHWM RssAnon RssFile; do
        echo supervisor_\$k=\$(awk -v k=\$k: '\$1 == k { print \$2 }' /proc/\$pid/status)
    done
    echo dockerd_count=\$($LIVE_DOCKERD)" >"$RAW/footprint.txt" 2>&1
tb_pod_rm warm
fi

# ------------------------------------- 2. cold start, 2b. socket activation --
# One fresh pod per sample; the tools take turns, order rotated per round:
# lazydind, the wrapper and the limit for the cold start, `activate` for the
# socket activation, which is compared with the limit samples of the same
# rounds (measured anyway when only the "act" phase runs).
: >"$RAW/cold.txt"
: >"$RAW/act.txt"
cold_one() {  # TOOL ROUND
    local tool=$1 i=$2 pod=cold-$1-$2 out file=$RAW/cold.txt
    pod_new "$pod" || { log "cannot start pod $pod"; return 1; }
    case $tool in
    activate)
        # `lazydind activate` as a postStart hook would run it, timed; again
        # (the idempotent path); then, with the supervisor idle in poll, is
        # anything but the listener running? Then one API client connects
        # once and sends GET /_ping, no retries (connping); procwatch notes
        # when that connection got dockerd exec'd.
        file=$RAW/act.txt
        out=$(psh "$pod" 120 "$T/lztimer seq -n 1 -e /tmp/act.err activate $LZ activate
            $T/lztimer seq -n 1 -e /tmp/act.err activate_again $LZ activate
            sleep 1
            echo idle dockerd=\$($LIVE_DOCKERD) socket=\$(test -S /var/run/docker.sock && echo 1 || echo 0)
            $T/procwatch -t 90 -a dockerd >/tmp/pw.out &
            sleep 0.1
            echo client \$($T/connping -t 90 /var/run/docker.sock)
            wait; echo spawn \$(cat /tmp/pw.out)
            echo after dockerd=\$($LIVE_DOCKERD)
            echo msg \$(grep -v '^\$' /tmp/act.err | tr '\n' '|' | cut -c1-300)")
        ;;
    lazydind)  # procwatch: when dockerd was exec'd, for the breakdown
        out=$(psh "$pod" 100 "$T/procwatch -t 90 -a dockerd >/tmp/pw.out &
                              $T/lztimer seq -n 1 -e /tmp/cold.err lazydind -a docker $SHIM version
                              wait; echo spawn \$(cat /tmp/pw.out)
                              echo msg \$(grep -o 'ready in [0-9]* ms' /tmp/cold.err)")
        ;;
    wrapper)
        out=$(psh "$pod" 100 "$T/procwatch -t 90 -a dockerd >/tmp/pw.out &
                              $T/lztimer seq -n 1 wrapper $WRAP version
                              wait; echo spawn \$(cat /tmp/pw.out)")
        ;;
    limit)
        out=$(psh "$pod" 100 "mkdir -p /var/lib/docker &&
            mount -t tmpfs -o nosuid,mode=0711 tmpfs /var/lib/docker &&
            $T/pingwait -t 90 /var/run/docker.sock /usr/sbin/dockerd -- $REAL version")
        ;;
    esac
    printf '%s\n' "$out" | sed "s/^/$tool $i /" >>"$file"
    tb_pod_rm "$pod"
}
TOOLS=()
want cold && TOOLS+=(lazydind wrapper limit)
want act && TOOLS+=(activate)
want act && ! want cold && TOOLS+=(limit)
if [ ${#TOOLS[@]} -gt 0 ]; then
    for i in $(seq 1 "$COLD_N"); do
        log "cold/activation: round $i/$COLD_N (${TOOLS[*]})"
        for k in $(seq 0 $((${#TOOLS[@]} - 1))); do
            cold_one "${TOOLS[$(((i + k) % ${#TOOLS[@]}))]}" "$i"
        done
    done
fi

# -------------------------------------------------------- 3. concurrency --
conc_one() {  # TOOL CMD
    local tool=$1 cmd=$2 pod=conc-$1
    log "concurrency: $CONC_N parallel first calls through $tool (each bounded by timeout 60)"
    pod_new "$pod" || { log "cannot start pod $pod"; return 1; }
    psh "$pod" 120 "$T/lztimer par -n $CONC_N -e /tmp/par.err $tool /usr/bin/timeout 60 $cmd version" \
        >"$RAW/conc-$tool.txt"
    psh "$pod" 20 "echo dockerd_count=\$($LIVE_DOCKERD)
        echo supervisor_count=\$(ps -e -o args= | grep -c '^lazydind supervise')
        echo starting_msgs=\$(grep -ci 'starting docker daemon' /tmp/par.err)
        echo ready_msgs=\$(grep -ci 'daemon ready' /tmp/par.err)
        echo error_lines=\$(grep -ci 'error' /tmp/par.err)" >"$RAW/conc-$tool.post" 2>&1
    psh "$pod" 20 "sort /tmp/par.err | uniq -c | sort -rn | head -n 5" >"$RAW/conc-$tool.err" 2>&1
    tb_pod_rm "$pod"
}
if want conc; then
    conc_one lazydind "$SHIM"
    conc_one wrapper "$WRAP"
fi

# ------------------------------------------------------ 4. start failure --
# dockerd rejects the config and exits; procwatch records when (pidfd), the
# caller's return is when it was told.
fail_one() {  # TOOL CMD
    local tool=$1 cmd=$2 pod=fail-$1
    log "start failure through $tool (bounded at 40 s)"
    pod_new "$pod" || { log "cannot start pod $pod"; return 1; }
    psh "$pod" 60 "mkdir -p /etc/docker && echo '{\"no-such-option\": true}' >/etc/docker/daemon.json
        $T/procwatch -t 45 dockerd >/tmp/pw.out &
        $T/lztimer seq -n 1 -e /tmp/fail.err $tool /usr/bin/timeout 40 $cmd version
        wait
        echo watch \$(cat /tmp/pw.out)
        echo msg \$(grep -v '^\$' /tmp/fail.err | tr '\n' '|' | cut -c1-400)" >"$RAW/fail-$tool.txt" 2>&1
    tb_pod_rm "$pod"
}
if want fail; then
    fail_one lazydind "$SHIM"
    fail_one wrapper "$WRAP"
fi

# -------------------------------------------------------------- report --
echo "loadavg_end=$(cut -d' ' -f1-3 /proc/loadavg)" >>"$RAW/meta.txt"
echo "bench_seconds=$((SECONDS - T_START))" >>"$RAW/meta.txt"
log "done in $((SECONDS - T_START)) s; raw data in $RAW"
python3 "$BENCH_DIR/report.py" "$RAW" "$BENCH_DIR/results/latest.json" |
    tee "$BENCH_DIR/results/latest.txt"
