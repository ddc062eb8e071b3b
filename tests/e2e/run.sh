#!/bin/bash
# End-to-end tests of lazydind in emulated privileged KubeOpenCode pods.
#
#   tests/e2e/run.sh [LAZYDIND_BINARY] [TEST_NAME...]
#
# LAZYDIND_BINARY defaults to ./lazydind at the repo root. With TEST_NAME
# arguments only those tests run (names as printed, e.g. first_run).
#
# Prints "ok - NAME" / "not ok - NAME" (with the test's log, pod
# diagnostics included, on failure), then a last line "N passed, N failed";
# exits non-zero if any test failed. When no Docker engine can be had it
# prints "SKIP: <reason>" and exits 0, unless CI=true, where that is a
# failure. Environment:
#   E2E_LOG_DIR  where per-test logs go (default: a new /tmp/lazydind-e2e.*)
#   E2E_TIMES=1  print each test's duration as a "# ..." line
#   E2E_JOBS=N   run up to N tests at once (default 1)
#   E2E_ENGINE   the Docker engine in the pods: bookworm (docker.io 20.10,
#                the default), trixie (26.1) or sid (28.5); see README.md
set -u

E2E_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$E2E_DIR/../.." && pwd)
BIN=${1:-$REPO/lazydind}
[ $# -gt 0 ] && shift
ONLY=("$@")

export TB_ENGINE=${E2E_ENGINE:-${TB_ENGINE:-bookworm}}
# shellcheck source=../testbed/lib.sh
. "$REPO/tests/testbed/lib.sh"

RUN_ID=$$
export TB_RUN_ID=$RUN_ID           # labels this run's pods, for cleanup
LOG_DIR=${E2E_LOG_DIR:-$(mktemp -d /tmp/lazydind-e2e.XXXXXX)}
mkdir -p "$LOG_DIR"
REG=$TB_REGISTRY_BUSYBOX          # 127.0.0.1:5000/busybox inside every pod
DLOG=/var/log/lazydind/dockerd.log

# ---------------------------------------------------------------- setup --

# give_up REASON: no engine (or no test bed): SKIP, or fail under CI=true.
give_up() {
    [ -s "$LOG_DIR/setup.log" ] && tail -n 15 "$LOG_DIR/setup.log" | sed 's/^/# /'
    if [ "${CI:-}" = true ]; then
        echo "FAIL: $1 (CI=true, so this is not skipped)"
        echo "0 passed, 1 failed"
        exit 1
    fi
    echo "SKIP: $1"
    exit 0
}

# broken REASON: the test bed itself could not be set up.
broken() {
    echo "not ok - setup: $1"
    echo "0 passed, 1 failed"
    exit 1
}

setup() {
    local t0=$SECONDS id
    command -v apt-get >/dev/null || [ -x "$(command -v docker)" ] ||
        give_up "no apt-get and no docker on this machine"
    if [ "$(id -u)" != 0 ]; then
        docker info >/dev/null 2>&1 || give_up "not root and no Docker engine answers"
    fi
    tb_ensure_host_docker >"$LOG_DIR/setup.log" 2>&1 ||
        give_up "no Docker engine could be started (see $LOG_DIR/setup.log)"
    [ -f "$BIN" ] || broken "no lazydind binary at $BIN (run make first)"
    tb_pod_image "$BIN" >>"$LOG_DIR/setup.log" 2>&1 || {
        sed 's/^/# /' "$LOG_DIR/setup.log"
        broken "could not build the pod image"
    }
    # Pin pods to this build's image id, so a concurrent run retagging
    # lazydind-pod:test cannot swap the binary under us.
    id=$(docker image inspect -f '{{.Id}}' "$TB_POD_IMAGE") || broken "no $TB_POD_IMAGE"
    export TB_POD_RUN_IMAGE=$id
    [ "${E2E_TIMES:-}" = 1 ] && echo "# test bed ready in $((SECONDS - t0)) s"
    return 0
}

# -------------------------------------------------------------- helpers --

# pod NAME: the name of the current test's pod NAME in this run.
pod() { echo "$RUN_ID-$T_NAME-$1"; }

# pod_new NAME [--registry] [docker-run args...]: start a fresh pod and
# (with --registry) its local registry. Fails the test if it cannot.
pod_new() {
    local name=$1 reg=0; shift
    [ "${1:-}" = --registry ] && { reg=1; shift; }
    echo "$name" >>"$T_PODS"
    tb_pod_run "$(pod "$name")" "$@" || { fail "could not start pod $name"; return 1; }
    if [ $reg = 1 ]; then
        tb_pod_registry_start "$(pod "$name")" || { fail "registry did not start in pod $name"; return 1; }
    fi
}

# psh POD SECS SCRIPT: run `sh -c SCRIPT` in POD, killed after SECS seconds
# (exit 124 then). stdin, stdout, stderr pass through.
psh() {
    timeout -k 5 $(($2 + 20)) docker exec -i "$(tb_pod_name "$(pod "$1")")" \
        timeout -k 5 "$2" sh -c "$3"
}

# Shell snippets for use inside a pod.
# Number of live (non-zombie) dockerd processes.
LIVE_DOCKERD='ps -e -o stat=,comm= | awk '\''$2 == "dockerd" && $1 !~ /^Z/'\'' | wc -l'
# Filesystem type mounted exactly at /var/lib/docker (last mount wins), or "none".
VLD_FSTYPE='awk '\''$2 == "/var/lib/docker" { t = $3 } END { print (t == "" ? "none" : t) }'\'' /proc/mounts'

# fail MSG: record a failed check of the current test.
fail() { echo "FAIL: $*"; T_FAILS=$((T_FAILS + 1)); return 1; }
pass() { echo "ok: $*"; }

# expect_eq WHAT EXPECTED ACTUAL
expect_eq() {
    if [ "$2" = "$3" ]; then pass "$1 = '$3'"; else fail "$1: expected '$2', got '$3'"; fi
}

# expect_rc WHAT EXPECTED ACTUAL
expect_rc() { expect_eq "$1: exit status" "$2" "$3"; }

# expect_has WHAT HAYSTACK NEEDLE: HAYSTACK contains NEEDLE (fixed string).
expect_has() {
    if grep -qF -- "$3" <<<"$2"; then pass "$1 contains '$3'"
    else fail "$1 does not contain '$3'; it is:"; sed 's/^/    | /' <<<"$2"; fi
}

# expect_lacks WHAT HAYSTACK NEEDLE
expect_lacks() {
    if ! grep -qF -- "$3" <<<"$2"; then pass "$1 lacks '$3'"
    else fail "$1 contains '$3'; it is:"; sed 's/^/    | /' <<<"$2"; fi
}

# show WHAT TEXT: put TEXT in the log, indented.
show() { echo "  $1:"; sed 's/^/    | /' <<<"$2"; }

# pod_diag NAME: what a failing test leaves behind in pod NAME.
pod_diag() {
    echo "--- diagnostics of pod $1"
    psh "$1" 20 '
        echo "## ps"; ps -eo pid,ppid,stat,args
        echo "## /run/lazydind"; ls -la /run/lazydind 2>&1
        for f in /run/lazydind/state /run/lazydind/exit /run/lazydind/supervisor.pid; do
            [ -f "$f" ] && { echo "## $f"; cat "$f"; echo; }
        done
        echo "## mounts at /var/lib/docker"; grep " /var/lib/docker" /proc/mounts
        echo "## tail '"$DLOG"'"; tail -n 30 '"$DLOG"' 2>&1' 2>&1
}

# ---------------------------------------------------------------- tests --
# Each test_* function runs in a subshell with stdin from /dev/null and its
# output going to its log; it passes when no check failed and it returns 0.

# 1. The first docker command in a fresh pod pulls and runs; build from a
#    stdin Dockerfile works; /var/lib/docker is a tmpfs; one dockerd.
test_first_run() {
    pod_new a --registry || return 1
    local out rc
    out=$(psh a 120 "docker run --rm $REG echo hello"); rc=$?
    expect_rc "first command: docker run --rm $REG echo hello" 0 $rc
    expect_eq "its stdout" hello "$out"
    out=$(psh a 120 "printf 'FROM $REG\nRUN echo built > /x\n' | docker build -t t1 - >/dev/null && docker run --rm t1 cat /x"); rc=$?
    expect_rc "docker build -t t1 - (Dockerfile on stdin), then docker run --rm t1 cat /x" 0 $rc
    expect_eq "its stdout" built "$out"
    expect_eq "stat -fc %T /var/lib/docker" tmpfs "$(psh a 10 'stat -fc %T /var/lib/docker')"
    expect_eq "type of the mount at /var/lib/docker in /proc/mounts" tmpfs "$(psh a 10 "$VLD_FSTYPE")"
    expect_eq "live dockerd processes" 1 "$(psh a 10 "$LIVE_DOCKERD")"
}

# 2. 32 parallel first `docker version` calls: all succeed, none hangs, one
#    dockerd.
test_parallel_first() {
    pod_new a || return 1
    local out bad
    out=$(psh a 150 '
        i=1; while [ $i -le 32 ]; do
            ( timeout 90 docker version >/tmp/v.$i.out 2>/tmp/v.$i.err; echo $? >/tmp/v.$i.rc ) &
            i=$((i + 1))
        done
        wait
        i=1; while [ $i -le 32 ]; do echo "$i $(cat /tmp/v.$i.rc)"; i=$((i + 1)); done')
    expect_eq "exit statuses collected" 32 "$(grep -c '^[0-9]* [0-9]*$' <<<"$out")"
    bad=$(awk '$2 != 0' <<<"$out")
    if [ -z "$bad" ]; then pass "all 32 calls exited 0"
    else
        fail "some calls did not exit 0 (124 = hung past 90 s): $(awk '{print $2}' <<<"$bad" | sort | uniq -c | tr -s ' \n' ' ')"
        show "stderr of call $(head -n1 <<<"$bad" | cut -d' ' -f1)" \
            "$(psh a 10 "cat /tmp/v.$(head -n1 <<<"$bad" | cut -d' ' -f1).err")"
    fi
    expect_eq "live dockerd processes" 1 "$(psh a 10 "$LIVE_DOCKERD")"
}

# 3. dockerd or the supervisor killed with SIGKILL: the next docker command
#    works again.
test_crash_recovery() {
    pod_new a || return 1
    local rc pid pid2 sup
    psh a 90 'docker ps >/dev/null'; rc=$?
    expect_rc "docker ps (start)" 0 $rc || return 1
    pid=$(psh a 10 'pgrep -x dockerd')
    [ -n "$pid" ] || { fail "no dockerd after docker ps"; return 1; }
    psh a 10 "kill -9 $pid"
    psh a 90 'docker ps >/dev/null'; rc=$?
    expect_rc "docker ps after kill -9 dockerd" 0 $rc
    pid2=$(psh a 10 'pgrep -x dockerd' | tr '\n' ' ')
    show "dockerd pid before / after" "$pid / $pid2"
    expect_eq "live dockerd processes afterwards" 1 "$(psh a 10 "$LIVE_DOCKERD")"
    sup=$(psh a 10 "pgrep -f '^(/usr/local/bin/)?lazydind supervise'")
    if [ -n "$sup" ]; then pass "supervisor found by pgrep -f 'lazydind supervise': $sup"
    else
        sup=$(psh a 10 'cat /run/lazydind/supervisor.pid 2>/dev/null')
        fail "no process matches pgrep -f '^lazydind supervise' (supervisor.pid says '$sup')"
    fi
    [ -n "$sup" ] || { fail "no supervisor pid"; return 1; }
    psh a 10 "kill -9 $sup"
    psh a 90 'docker ps >/dev/null'; rc=$?
    expect_rc "docker ps after kill -9 of the supervisor ($sup)" 0 $rc
    expect_eq "live dockerd processes afterwards" 1 "$(psh a 10 "$LIVE_DOCKERD")"
}

# 4a. Unknown daemon.json option: fails fast (< 3 s), exit 1, with dockerd's
#     reason and the log path on stderr.
test_bad_config_reason() {
    pod_new a || return 1
    local out rc ms err
    out=$(psh a 60 '
        mkdir -p /etc/docker && echo "{\"no-such-option\": true}" >/etc/docker/daemon.json
        s=$(date +%s%N); docker ps >/tmp/out 2>/tmp/err; rc=$?; e=$(date +%s%N)
        echo "$rc $(( (e - s) / 1000000 ))"')
    rc=${out% *}; ms=${out#* }
    err=$(psh a 10 'cat /tmp/err')
    expect_rc "docker ps with an unknown daemon.json option" 1 "$rc"
    if [ "${ms:-99999}" -lt 3000 ] 2>/dev/null; then pass "failed in $ms ms (< 3000)"
    else fail "took $ms ms to fail (limit 3000)"; fi
    expect_has "stderr" "$err" "no-such-option"
    expect_has "stderr (the file the user wrote)" "$err" "/etc/docker/daemon.json"
    expect_has "stderr" "$err" "$DLOG"
    expect_has "stderr" "$err" "lazydind:"
    expect_eq "stdout" "" "$(psh a 10 'cat /tmp/out')"
}

# 4b. Two concurrent first callers with that config both get exit 1 and the
#     reason.
test_bad_config_concurrent() {
    pod_new a || return 1
    local out
    out=$(psh a 60 '
        mkdir -p /etc/docker && echo "{\"no-such-option\": true}" >/etc/docker/daemon.json
        for i in 1 2; do ( docker ps >/dev/null 2>/tmp/err.$i; echo $? >/tmp/rc.$i ) & done
        wait; echo "$(cat /tmp/rc.1) $(cat /tmp/rc.2)"')
    expect_eq "exit statuses of the two callers" "1 1" "$out"
    expect_has "stderr of caller 1" "$(psh a 10 'cat /tmp/err.1')" "no-such-option"
    expect_has "stderr of caller 2" "$(psh a 10 'cat /tmp/err.2')" "no-such-option"
}

# 4c. Syntactically broken daemon.json: exit 2 naming the file and a
#     line:column, and no dockerd started.
test_bad_config_syntax() {
    pod_new a || return 1
    local err rc
    err=$(psh a 60 '
        mkdir -p /etc/docker && printf "{\"debug\": tru" >/etc/docker/daemon.json
        docker ps 2>&1 >/dev/null'); rc=$?
    expect_rc "docker ps with daemon.json '{\"debug\": tru'" 2 $rc
    expect_has "stderr" "$err" "/etc/docker/daemon.json"
    if grep -qE '[0-9]+:[0-9]+' <<<"$err"; then pass "stderr has a line:column"
    else fail "stderr has no line:column: $err"; fi
    expect_eq "dockerd processes (any state)" 0 "$(psh a 10 'pgrep -x dockerd | wc -l')"
}

# 5. CLI-only commands start no daemon; a foreign DOCKER_HOST is passed
#    straight to the real CLI.
test_no_daemon_needed() {
    pod_new a || return 1
    local rc out a b
    psh a 30 'docker --version'; rc=$?
    expect_rc "docker --version" 0 $rc
    psh a 30 'docker --help >/dev/null'; rc=$?
    expect_rc "docker --help" 0 $rc
    expect_eq "dockerd processes after --version/--help" 0 "$(psh a 10 'pgrep -x dockerd | wc -l')"
    expect_eq "supervisor.pid after --version/--help" absent \
        "$(psh a 10 '[ -e /run/lazydind/supervisor.pid ] && echo present || echo absent')"
    a=$(psh a 60 'DOCKER_HOST=tcp://127.0.0.1:1 docker ps 2>&1; echo "rc=$?"')
    b=$(psh a 60 'DOCKER_HOST=tcp://127.0.0.1:1 /usr/bin/docker ps 2>&1; echo "rc=$?"')
    expect_eq "DOCKER_HOST=tcp://127.0.0.1:1 docker ps: output and status, same as /usr/bin/docker's" "$b" "$a"
    expect_eq "dockerd processes after DOCKER_HOST=... docker ps" 0 "$(psh a 10 'pgrep -x dockerd | wc -l')"
    expect_eq "supervisor.pid after DOCKER_HOST=... docker ps" absent \
        "$(psh a 10 '[ -e /run/lazydind/supervisor.pid ] && echo present || echo absent')"
}

# 5b. A docker context chosen with `docker context use` (currentContext in
#     ~/.docker/config.json, or in $DOCKER_CONFIG/config.json) aims the CLI
#     at another daemon: the shim passes the call straight through, as the
#     real CLI answers it, and starts nothing.
test_context_elsewhere() {
    pod_new a || return 1
    local rc a b
    psh a 30 'docker context create elsewhere --docker host=tcp://127.0.0.1:1 >/dev/null &&
        docker context use elsewhere >/dev/null'; rc=$?
    expect_rc "docker context create elsewhere && docker context use elsewhere" 0 $rc
    expect_has "currentContext in ~/.docker/config.json" \
        "$(psh a 10 'cat "$HOME/.docker/config.json"')" '"currentContext": "elsewhere"'
    a=$(psh a 60 'docker ps 2>&1; echo "rc=$?"')
    b=$(psh a 60 '/usr/bin/docker ps 2>&1; echo "rc=$?"')
    expect_eq "docker ps in context elsewhere: output and status, same as /usr/bin/docker's" "$b" "$a"
    # the same context through DOCKER_CONFIG, with no ~/.docker
    psh a 10 'mv "$HOME/.docker" /tmp/dockercfg'
    a=$(psh a 60 'DOCKER_CONFIG=/tmp/dockercfg docker ps 2>&1; echo "rc=$?"')
    b=$(psh a 60 'DOCKER_CONFIG=/tmp/dockercfg /usr/bin/docker ps 2>&1; echo "rc=$?"')
    expect_eq "DOCKER_CONFIG=... docker ps: output and status, same as /usr/bin/docker's" "$b" "$a"
    expect_eq "dockerd processes" 0 "$(psh a 10 'pgrep -x dockerd | wc -l')"
    expect_eq "supervisor.pid" absent \
        "$(psh a 10 '[ -e /run/lazydind/supervisor.pid ] && echo present || echo absent')"
}

# 6. stdout, exit status and stdin pass through the shim unchanged, also on
#    the cold path.
test_passthrough() {
    pod_new a --registry || return 1
    local out rc
    out=$(psh a 120 '
        f="{{.Server.Version}}"
        docker version --format "$f" >/tmp/cold.out 2>/tmp/cold.err || echo "cold failed: $?"
        /usr/bin/docker version --format "$f" >/tmp/real.out 2>&1 || echo "real CLI failed: $?"
        docker version --format "$f" >/tmp/warm.out 2>/tmp/warm.err || echo "warm failed: $?"
        cmp /tmp/cold.out /tmp/real.out && echo cold-same
        cmp /tmp/warm.out /tmp/real.out && echo warm-same
        echo "real: $(od -c /tmp/real.out | head -n 3)"
        echo "cold: $(od -c /tmp/cold.out | head -n 3)"')
    show "version outputs" "$out"
    expect_has "cold call" "$out" cold-same
    expect_has "warm call" "$out" warm-same
    psh a 60 "docker run --rm $REG sh -c 'exit 7'"; rc=$?
    expect_rc "docker run --rm busybox sh -c 'exit 7'" 7 $rc
    out=$(psh a 60 "echo piped | docker run -i --rm $REG cat"); rc=$?
    expect_rc "echo piped | docker run -i --rm busybox cat" 0 $rc
    expect_eq "its stdout" piped "$out"
    out=$(echo piped2 | psh a 60 "docker run -i --rm $REG cat"); rc=$?
    expect_eq "stdin from the host through docker exec -i, then the shim" piped2 "$out"
}

# 7. lazydind status / logs / stop.
test_status_logs_stop() {
    pod_new a || return 1
    local out rc pid n
    psh a 90 'docker ps >/dev/null'; rc=$?
    expect_rc "docker ps (start)" 0 $rc || return 1
    out=$(psh a 20 'lazydind status --json'); rc=$?
    show "lazydind status --json (exit $rc)" "$out"
    out=$(psh a 20 'lazydind status --json | python3 -c "
import json, sys
d = json.load(sys.stdin)
print(\"running=%s dockerd_pid=%s\" % (str(d.get(\"running\")).lower(), d.get(\"dockerd_pid\")))"' 2>&1)
    expect_has "status --json, parsed" "$out" "running=true"
    pid=$(sed -n 's/.*dockerd_pid=\([0-9][0-9]*\).*/\1/p' <<<"$out")
    expect_eq "comm of dockerd_pid ${pid:-?}" dockerd "$(psh a 10 "cat /proc/${pid:-0}/comm 2>/dev/null")"
    out=$(psh a 20 'lazydind logs -n 5'); rc=$?
    expect_rc "lazydind logs -n 5" 0 $rc
    n=$(printf '%s' "$out" | grep -c '')
    if [ "$n" -le 5 ]; then pass "logs -n 5 printed $n lines"
    else fail "logs -n 5 printed $n lines"; show "output" "$out"; fi
    out=$(psh a 60 'lazydind stop 2>&1'); rc=$?
    expect_rc "lazydind stop" 0 $rc || show "its output" "$out"
    expect_eq "live dockerd processes after stop" 0 "$(psh a 10 "$LIVE_DOCKERD")"
    expect_eq "filesystem mounted at /var/lib/docker after stop" none "$(psh a 10 "$VLD_FSTYPE")"
    out=$(psh a 20 'lazydind status --json | python3 -c "
import json, sys
print(\"running=%s\" % str(json.load(sys.stdin).get(\"running\")).lower())"' 2>&1)
    expect_has "status --json after stop, parsed" "$out" "running=false"
}

# status tells a dockerd's uptime from the kernel, whoever started it: a
# dockerd started by hand (not by lazydind) that has run for a while is not
# "up 0s" (issue 11).
test_status_foreign_dockerd() {
    pod_new a || return 1
    local out up
    psh a 10 'setsid dockerd >/tmp/hand-dockerd.log 2>&1 </dev/null &' || return 1
    psh a 60 'for i in $(seq 300); do [ -S /var/run/docker.sock ] && break; sleep 0.2; done; sleep 3'
    out=$(psh a 20 'LAZYDIND_PREFLIGHT=0 lazydind status 2>&1')
    show "lazydind status" "$out"
    up=$(sed -n 's/^dockerd: *pid [0-9]*, up \([0-9]*\)s$/\1/p' <<<"$out")
    if [ -n "$up" ] && [ "$up" -ge 3 ]; then pass "a hand-started dockerd is up ${up}s"
    else fail "uptime of a hand-started dockerd: '${up}' (want >= 3)"; fi
    out=$(psh a 20 'lazydind status --json | python3 -c "
import json, sys
print(\"uptime=%d\" % json.load(sys.stdin)[\"uptime_s\"])"' 2>&1)
    expect_has "status --json uptime_s" "$out" "uptime="
    [ "${out#uptime=}" -ge 3 ] 2>/dev/null && pass "status --json uptime_s ${out#uptime=} >= 3" ||
        fail "status --json: $out"
}

# 8. The lock file is not inherited by dockerd, containerd, shims or
#    containers.
test_lock_not_inherited() {
    pod_new a --registry || return 1
    local rc out
    psh a 90 "docker run -d --name sleeper $REG sleep 300 >/dev/null"; rc=$?
    expect_rc "docker run -d ... sleep 300" 0 $rc
    out=$(psh a 20 '
        # (comm is cut at 15 characters: containerd-shim-runc-v2 shows as containerd-shim)
        for name in dockerd containerd containerd-shim sleep; do
            for p in $(pgrep -x "$name"); do
                echo "checked $name $p"
                ls -l /proc/$p/fd 2>/dev/null | grep -F /run/lazydind/lock | sed "s/^/LEAK $name $p: /"
            done
        done')
    show "processes checked" "$(grep '^checked' <<<"$out")"
    expect_has "processes checked" "$out" "checked dockerd"
    expect_has "processes checked" "$out" "checked containerd"
    expect_lacks "fd scan" "$out" "LEAK"
}

# 9. Cold path notices go to stderr only, and LAZYDIND_QUIET=1 silences them.
test_cold_notices() {
    pod_new a || return 1
    local rc out err
    psh a 90 'docker ps -q >/tmp/out 2>/tmp/err'; rc=$?
    expect_rc "docker ps -q (cold)" 0 $rc
    expect_eq "its stdout" "" "$(psh a 10 'cat /tmp/out')"
    err=$(psh a 10 'cat /tmp/err')
    expect_has "its stderr" "$err" "lazydind: starting Docker daemon"
    expect_has "its stderr" "$err" "lazydind: Docker daemon ready in"
    pod_new b || return 1
    psh b 90 'LAZYDIND_QUIET=1 docker ps -q >/tmp/out 2>/tmp/err'; rc=$?
    expect_rc "LAZYDIND_QUIET=1 docker ps -q (cold)" 0 $rc
    expect_eq "its stdout" "" "$(psh b 10 'cat /tmp/out')"
    expect_lacks "its stderr" "$(psh b 10 'cat /tmp/err')" "lazydind:"
}

# 10. A bad LAZYDIND_* value is a usage error (exit 2) and starts nothing.
test_bad_env() {
    pod_new a || return 1
    local rc err
    err=$(psh a 30 'LAZYDIND_START_TIMEOUT=banana docker ps 2>&1 >/dev/null'); rc=$?
    expect_rc "LAZYDIND_START_TIMEOUT=banana docker ps" 2 $rc
    expect_has "stderr" "$err" LAZYDIND_START_TIMEOUT
    expect_eq "dockerd processes (any state)" 0 "$(psh a 10 'pgrep -x dockerd | wc -l')"
}

TESTS=(first_run parallel_first crash_recovery bad_config_reason bad_config_concurrent
       bad_config_syntax no_daemon_needed context_elsewhere passthrough status_logs_stop status_foreign_dockerd
       lock_not_inherited
       cold_notices bad_env)
# socket activation (lazydind activate)
# shellcheck source=activation.sh
. "$E2E_DIR/activation.sh"
# rootless mode
# shellcheck source=rootless.sh
. "$E2E_DIR/rootless.sh"
# lazydind doctor: privileged, unprivileged and rootless pods (after rootless.sh)
# shellcheck source=doctor.sh
. "$E2E_DIR/doctor.sh"
# the executor images (images/, make images)
# shellcheck source=images.sh
. "$E2E_DIR/images.sh"
# lazydind install, finding the real CLI
# shellcheck source=install.sh
. "$E2E_DIR/install.sh"
# fault injection: kills at each phase of a start, full or unmountable storage
# shellcheck source=faults.sh
. "$E2E_DIR/faults.sh"
# the shim's paths under valgrind's memcheck
# shellcheck source=valgrind.sh
. "$E2E_DIR/valgrind.sh"
# security: redirection by non-root users, who may start the daemon, injection
# shellcheck source=security.sh
. "$E2E_DIR/security.sh"
# the soak (make soak; not in the default list)
# shellcheck source=soak.sh
. "$E2E_DIR/soak.sh"
# configuration: lazydind.conf, the generated dockerd config, the pod's network
# shellcheck source=config.sh
. "$E2E_DIR/config.sh"
# pods from deploy/'s manifests through tests/testbed/kubepod: hooks, limits, PVCs
# shellcheck source=kubepod.sh
. "$E2E_DIR/kubepod.sh"
# a corporate CA: LAZYDIND_CA_CERTS, CUSTOM_CA_CERT_PATH
# shellcheck source=ca.sh
. "$E2E_DIR/ca.sh"
# orphans reaped, a stale containerd.pid
# shellcheck source=orphans.sh
. "$E2E_DIR/orphans.sh"
# cgroup containment, on the cgroup v2 VM node of tests/testbed/v2node
# shellcheck source=cgroup.sh
. "$E2E_DIR/cgroup.sh"

# preloaded image archives (LAZYDIND_PRELOAD)
# shellcheck source=preload.sh
. "$E2E_DIR/preload.sh"
# current Docker: BuildKit, buildx, compose, docker-py and Node.js clients
# shellcheck source=engines.sh
. "$E2E_DIR/engines.sh"

# --------------------------------------------------------------- runner --

# run_one NAME: run test NAME, leave its log in $LOG_DIR/NAME.log and its
# result ("ok" or "not ok" and the seconds it took) in $LOG_DIR/NAME.result.
run_one() {
    local name=$1 t0=$SECONDS rc p
    T_NAME=${name//_/-}
    T_PODS=$LOG_DIR/$name.pods
    : >"$T_PODS"
    (
        T_FAILS=0
        "test_$name"
        rc=$?
        [ $T_FAILS -eq 0 ] && [ $rc -eq 0 ]
    ) </dev/null >"$LOG_DIR/$name.log" 2>&1
    rc=$?
    while read -r p; do
        [ $rc -ne 0 ] && pod_diag "$p" >>"$LOG_DIR/$name.log" 2>&1
        tb_pod_rm "$(pod "$p")"
    done <"$T_PODS"
    kp_cleanup
    if [ $rc -eq 0 ]; then echo "ok $((SECONDS - t0))"; else echo "not ok $((SECONDS - t0))"; fi \
        >"$LOG_DIR/$name.result"
}

# report NAME: print the result line of test NAME (and its log on failure).
report() {
    local res secs
    res=$(cat "$LOG_DIR/$1.result" 2>/dev/null || echo "not ok 0")
    secs=${res##* }; res=${res% *}
    echo "$res - $1"
    [ "$res" = ok ] || sed 's/^/# /' "$LOG_DIR/$1.log"
    [ "${E2E_TIMES:-}" = 1 ] && echo "# $1: $secs s"
    [ "$res" = ok ]
}

main() {
    local t selected=() passed=0 failed=0 jobs=${E2E_JOBS:-1} i
    if [ ${#ONLY[@]} -gt 0 ]; then
        for t in "${ONLY[@]}"; do
            declare -F "test_$t" >/dev/null || broken "no test named $t (tests: ${TESTS[*]})"
            selected+=("$t")
        done
    else
        selected=("${TESTS[@]}")
    fi
    trap 'tb_pod_cleanup_all; kp_cleanup_run' EXIT
    trap 'exit 130' INT TERM
    setup
    # Run in batches of $jobs tests; report in order.
    for ((i = 0; i < ${#selected[@]}; i += jobs)); do
        for t in "${selected[@]:i:jobs}"; do run_one "$t" & done
        wait
        for t in "${selected[@]:i:jobs}"; do
            if report "$t"; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
        done
    done
    [ "${E2E_TIMES:-}" = 1 ] && echo "# logs in $LOG_DIR"
    echo "$passed passed, $failed failed"
    [ $failed -eq 0 ]
}

main
