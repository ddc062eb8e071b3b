# shellcheck shell=bash
# End-to-end tests of socket activation in rootless mode (docs/modes.md), in
# the documented environment (rootless_env.sh: USER 1000, XDG_RUNTIME_DIR=
# /tmp/.docker/run, DOCKER_HOST naming its socket, HOME=/tmp): `lazydind
# activate` leaves a listener and no dockerd; an API client's first
# connection starts it; once it answers, dockerd's own socket has the user's
# path and the supervisor no longer listens. Sourced by rootless.sh (after
# rootless_env.sh).

RL_SOCK=/tmp/.docker/run/docker.sock
# Listening unix sockets bound at the user's path in the pod's network
# namespace: the supervisor's (dockerd's lives in rootlesskit's namespace).
# A listener re-armed after dockerd ended is bound at a temp path first and
# renamed, so /proc/net/unix names that path.
RL_LISTENERS='awk -v p='$RL_SOCK' -v t=/tmp/.docker/run/lazydind/listen.sock '\''($8 == p || $8 == t) && $4 == "00010000"'\'' /proc/net/unix | wc -l'
# Live dockerd and rootlesskit processes.
RL_DAEMONS='ps -e -o stat=,comm= | awk '\''($2 == "dockerd" || $2 == "rootlesskit") && $1 !~ /^Z/'\'' | wc -l'

# The first contact of an API client: one GET /_ping (no retry), then an
# image imported and a container run through the API (docker-py).
RL_PY_FIRST='
import io, tarfile, docker
c = docker.from_env()
print("ping", c.ping())
buf = io.BytesIO()
with tarfile.open(fileobj=buf, mode="w") as t:
    t.add("/bin/busybox", arcname="bin/busybox")
    for a in ("sh", "echo"):
        i = tarfile.TarInfo("bin/" + a)
        i.type, i.linkname = tarfile.SYMTYPE, "busybox"
        t.addfile(i)
c.api.import_image_from_data(buf.getvalue(), repository="bb", tag="latest")
print(c.containers.run("bb", ["echo", "via the API"], remove=True).decode().strip())
c.close()
'
RL_PY_PING='
import docker
c = docker.from_env()
print("ping", c.ping())
c.close()
'

# rl_wait_listening NAME N: until the pod has N listeners at the user's
# path (10 s at most); prints the last count.
rl_wait_listening() {
    local n
    for _ in $(seq 50); do
        n=$(psh "$1" 10 "$RL_LISTENERS")
        [ "$n" = "$2" ] && break
        sleep 0.2
    done
    echo "$n"
}

# 70. activate, then an API client's first connection starts the daemon;
#     after the hand-over the supervisor no longer listens (dockerd's socket
#     has the path); kill -9 of dockerd re-arms, the next API connection
#     activates again.
test_rootless_activation() {
    rl_env_pod a || return 1
    local out rc ino
    out=$(psh a 30 'lazydind activate 2>&1; echo "rc=$?"')
    expect_has "lazydind activate (postStart)" "$out" "rc=0"
    expect_eq "dockerd and rootlesskit after activate" 0 "$(psh a 10 "$RL_DAEMONS")"
    expect_eq "listeners at $RL_SOCK after activate" 1 "$(psh a 10 "$RL_LISTENERS")"
    out=$(psh a 30 'lazydind status --json')
    expect_has "lazydind status --json (armed)" "$out" '"phase": "armed"'
    expect_has "lazydind status --json (listening)" "$out" '"listening": true'
    ino=$(psh a 10 "stat -c %i $RL_SOCK")
    out=$(psh a 180 'python3 -' <<<"$RL_PY_FIRST" 2>&1); rc=$?
    expect_rc "docker-py: first GET /_ping, import, containers.run" 0 $rc
    expect_eq "its output" "ping True
via the API" "$out"
    expect_eq "listeners at $RL_SOCK after the hand-over" 0 "$(rl_wait_listening a 0)"
    expect_lacks "inode of $RL_SOCK (dockerd's now, not the listener's $ino)" \
        "$(psh a 10 "stat -c %i $RL_SOCK")" "$ino"
    out=$(psh a 30 'lazydind status --json')
    expect_has "lazydind status --json (handed over)" "$out" '"listening": false'
    expect_has "lazydind status --json (ready)" "$out" '"ready": true'
    expect_has "lazydind status" "$(psh a 30 'lazydind status')" "itself (handed over)"
    out=$(psh a 60 'python3 -' <<<"$RL_PY_PING" 2>&1); rc=$?
    expect_rc "a second API client after the hand-over" 0 $rc
    expect_eq "its output" "ping True" "$out"
    psh a 10 'pkill -9 -x dockerd'
    expect_eq "listeners at $RL_SOCK after kill -9 of dockerd (re-armed)" 1 \
        "$(rl_wait_listening a 1)"
    expect_eq "dockerd and rootlesskit after the re-arm" 0 "$(psh a 10 "$RL_DAEMONS")"
    out=$(psh a 120 'python3 -' <<<"$RL_PY_PING" 2>&1); rc=$?
    expect_rc "the next API connection (first GET /_ping) activates again" 0 $rc
    expect_eq "its output" "ping True" "$out"
    expect_eq "listeners at $RL_SOCK after the second hand-over" 0 "$(rl_wait_listening a 0)"
    out=$(psh a 60 'docker run --rm bb echo again'); rc=$?
    expect_rc "docker run --rm bb echo again" 0 $rc
    expect_eq "its stdout" again "$out"
    # dockerd killed at once after a hand-over (the old listener still being
    # drained): a new listener takes the path all the same
    out=$(psh a 120 'lazydind stop --keep-socket >/dev/null 2>&1 &&
        python3 - && pkill -9 -x dockerd' <<<"$RL_PY_PING" 2>&1); rc=$?
    expect_rc "activate, then kill -9 of dockerd at once" 0 $rc
    expect_eq "listeners at $RL_SOCK after that (re-armed)" 1 "$(rl_wait_listening a 1)"
    out=$(psh a 120 'python3 -' <<<"$RL_PY_PING" 2>&1); rc=$?
    expect_rc "the next API connection activates again" 0 $rc
    expect_eq "its output" "ping True" "$out"
    psh a 60 'lazydind stop >/dev/null 2>&1'; rc=$?
    expect_rc "lazydind stop" 0 $rc
    expect_eq "dockerd and rootlesskit after stop" 0 "$(psh a 10 "$RL_DAEMONS")"
    expect_eq "socket after stop" gone "$(psh a 10 "[ -e $RL_SOCK ] || echo gone")"
}

# 71. activate, then `docker build` as the first command, with two `docker
#     info` racing it: one start, one notice for the three, then the
#     listener is handed over.
test_rootless_activation_build() {
    rl_env_pod a || return 1
    local out rc err
    psh a 30 'lazydind activate >/dev/null 2>&1'
    expect_eq "dockerd and rootlesskit after activate" 0 "$(psh a 10 "$RL_DAEMONS")"
    err=$(psh a 180 "$RL_CTX"' && { docker info >/dev/null & docker info >/dev/null &
        docker build -q -t t1 "$d" >/dev/null; r=$?; wait; exit $r; }' 2>&1); rc=$?
    expect_rc "first command docker build (two docker info racing it)" 0 $rc ||
        show "its stderr" "$err"
    expect_eq "'starting Docker daemon' notices" 1 "$(grep -c 'starting Docker daemon' <<<"$err")" ||
        show "the stderr of the three" "$err"
    expect_eq "rootless dockerd starts (the log)" 1 \
        "$(psh a 10 'grep -c "connection on .*: started" /tmp/.docker/run/lazydind/dockerd.log')"
    out=$(psh a 60 'docker run --rm t1 busybox cat /x'); rc=$?
    expect_rc "docker run --rm t1 busybox cat /x" 0 $rc
    expect_eq "its stdout" built "$out"
    expect_eq "listeners at $RL_SOCK after the hand-over" 0 "$(rl_wait_listening a 0)"
    psh a 60 'lazydind stop >/dev/null 2>&1'
}

# 72. A start that fails (slirp4netns cannot open /dev/net/tun; the
#     preflight check that would catch it is off): two API clients waiting on
#     the listener both get the reason, as a 503 the client shows; the
#     listener stays; a docker command prints the reason once.
test_rootless_activation_fails() {
    local -a TB_PRIV_FLAGS=("${ROOTLESS_FLAGS[@]}")
    pod_new a "${RL_ENV[@]}" -e LAZYDIND_PREFLIGHT=0 || return 1
    docker exec -u 0 "$(tb_pod_name "$(pod a)")" chmod 666 /dev/fuse ||
        { fail "could not make /dev/fuse openable"; return 1; }
    local out rc
    psh a 30 'lazydind activate >/dev/null 2>&1'
    out=$(psh a 120 'for i in 1 2; do python3 -c "
import docker
try:
    docker.from_env().ping(); print(\"up\")
except Exception as e:
    print(\"503\" in str(e), \"Docker daemon failed to start\" in str(e))
" & done; wait' 2>&1)
    expect_eq "two API clients at once: a 503, the reason" "True True
True True" "$out"
    expect_eq "dockerd and rootlesskit left" 0 "$(psh a 10 "$RL_DAEMONS")"
    expect_eq "listeners at $RL_SOCK (still armed)" 1 "$(rl_wait_listening a 1)"
    out=$(psh a 120 'docker ps 2>&1'); rc=$?
    expect_rc "docker ps" 1 $rc
    expect_eq "lines with the reason" 1 "$(grep -c "failed to start" <<<"$out")" ||
        show "its output" "$out"
    psh a 60 'lazydind stop >/dev/null 2>&1'
}

# 73. Idle stop in rootless mode (LAZYDIND_IDLE_TIMEOUT=3s): an open API
#     connection (docker events) keeps dockerd up; idle, it is stopped and the
#     listener comes back; the next API connection activates again.
test_rootless_activation_idle() {
    rl_env_pod a -e LAZYDIND_IDLE_TIMEOUT=3s || return 1
    local out rc n=
    psh a 30 'lazydind activate >/dev/null 2>&1'
    out=$(psh a 120 'python3 -' <<<"$RL_PY_PING" 2>&1); rc=$?
    expect_rc "first API connection" 0 $rc
    psh a 30 'timeout 6 docker events >/dev/null 2>&1; true'
    expect_eq "dockerd up after 6 s with docker events open" 1 \
        "$(psh a 10 "$RL_DAEMONS" | awk '{ print ($1 > 0) }')"
    for _ in $(seq 100); do
        n=$(psh a 10 "$RL_DAEMONS")
        [ "$n" = 0 ] && break
        sleep 0.2
    done
    expect_eq "dockerd and rootlesskit once idle" 0 "$n"
    expect_eq "listeners at $RL_SOCK once idle" 1 "$(rl_wait_listening a 1)"
    expect_has "the log" "$(psh a 10 'cat /tmp/.docker/run/lazydind/dockerd.log')" "idle for"
    out=$(psh a 120 'python3 -' <<<"$RL_PY_PING" 2>&1); rc=$?
    expect_rc "the next API connection activates again" 0 $rc
    expect_eq "its output" "ping True" "$out"
    psh a 60 'lazydind stop >/dev/null 2>&1'
}

# 74. The config is built at the start, not at activate: a daemon.json the
#     user writes after the postStart hook applies to the first connection's
#     dockerd; a broken one is answered to that connection with its reason.
test_rootless_activation_config() {
    rl_env_pod a || return 1
    local out rc
    psh a 30 'lazydind activate >/dev/null 2>&1'
    psh a 10 'mkdir -p /tmp/.config/docker && echo "{\"labels\": [\"late=1\"]}" >/tmp/.config/docker/daemon.json'
    out=$(psh a 120 'python3 -c "
import docker
c = docker.from_env()
print(c.info()[\"Labels\"])
"' 2>&1); rc=$?
    expect_rc "docker-py info as first contact" 0 $rc
    expect_has "its labels (daemon.json written after activate)" "$out" "late=1"
    psh a 60 'lazydind stop --keep-socket >/dev/null 2>&1; echo "{\"labels\": [" >/tmp/.config/docker/daemon.json'
    out=$(psh a 120 'python3 -c "
import docker
try:
    docker.from_env().ping(); print(\"up\")
except Exception as e:
    print(e)
"' 2>&1)
    expect_has "the next first contact with daemon.json broken" "$out" "503"
    expect_has "its reason" "$out" "/tmp/.config/docker/daemon.json"
    expect_eq "dockerd and rootlesskit" 0 "$(psh a 10 "$RL_DAEMONS")"
    psh a 60 'rm /tmp/.config/docker/daemon.json && lazydind stop >/dev/null 2>&1'
}

TESTS+=(rootless_activation rootless_activation_build rootless_activation_fails
        rootless_activation_idle rootless_activation_config)
