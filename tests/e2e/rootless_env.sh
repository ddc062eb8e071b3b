# shellcheck shell=bash
# End-to-end tests of rootless mode in the environment the KubeOpenCode guide
# documents: XDG_RUNTIME_DIR=/tmp/.docker/run (which nothing creates),
# DOCKER_HOST naming its socket, HOME=/tmp as the controller sets it.
# Sourced by rootless.sh (ROOTLESS_FLAGS).

RL_ENV=(-e HOME=/tmp -e XDG_RUNTIME_DIR=/tmp/.docker/run
        -e DOCKER_HOST=unix:///tmp/.docker/run/docker.sock)

# rl_env_pod NAME [FLAGS...]: a rootless-capable pod with the documented
# environment; only the device nodes are made openable (as a node would),
# no runtime dir is created.
rl_env_pod() {
    local name=$1; shift
    local -a TB_PRIV_FLAGS=("${ROOTLESS_FLAGS[@]}")
    pod_new "$name" "${RL_ENV[@]}" "$@" || return 1
    docker exec -u 0 "$(tb_pod_name "$(pod "$name")")" chmod 666 /dev/fuse /dev/net/tun ||
        { fail "could not make the devices openable"; return 1; }
}

# A build context whose image is busybox alone (no registry, no base image).
RL_CTX='d=$(mktemp -d) && cp /bin/busybox "$d/" &&
    printf "FROM scratch\nCOPY busybox /bin/busybox\nCOPY busybox /bin/sh\nRUN echo built > /x\n" >"$d/Dockerfile"'

# 67. The documented environment: the first command is `docker build`, which
#     makes /tmp/.docker/run (0700, the user's), starts the rootless daemon
#     with lazydind's generated config (a registry mirror from
#     LAZYDIND_REGISTRY_MIRRORS reaches dockerd), then `docker run`; compose
#     when the pod has it; DOCKER_HOST in another spelling is still ours.
test_rootless_documented_env() {
    rl_env_pod a -e LAZYDIND_REGISTRY_MIRRORS=http://10.0.2.2:5000 || return 1
    local out rc err
    err=$(psh a 180 "$RL_CTX"' && docker build -q -t t1 "$d"' 2>&1 >/dev/null); rc=$?
    expect_rc "first docker command (docker build) as uid 1000" 0 $rc || show "its stderr" "$err"
    expect_has "its stderr" "$err" "lazydind: starting Docker daemon (rootless)..."
    expect_eq "runtime dir and its parent: owner, mode" "1000 700 1000 700" \
        "$(psh a 10 'stat -c "%u %a" /tmp/.docker/run /tmp/.docker | tr "\n" " " | sed "s/ $//"')"
    out=$(psh a 60 'docker run --rm t1 busybox cat /x'); rc=$?
    expect_rc "docker run --rm t1 busybox cat /x" 0 $rc
    expect_eq "its stdout" built "$out"
    expect_has "registry mirror (docker info)" \
        "$(psh a 30 'docker info --format "{{.RegistryConfig.Mirrors}}"')" "http://10.0.2.2:5000/"
    expect_has "dockerd's config file (lazydind config)" \
        "$(psh a 30 'lazydind config')" "--config-file /tmp/.docker/run/lazydind/daemon.json"
    if psh a 10 'docker compose version >/dev/null 2>&1'; then
        out=$(psh a 120 'c=$(mktemp -d) && printf "services:\n  s:\n    image: t1\n    command: busybox cat /x\n" >"$c/compose.yaml" && docker compose -f "$c/compose.yaml" run --rm s'); rc=$?
        expect_rc "docker compose run" 0 $rc
        expect_has "its stdout" "$out" built
    else
        echo "# skip compose: the pod image (docker.io $(psh a 10 'docker version --format {{.Client.Version}}' 2>/dev/null)) has no docker compose"
    fi
    expect_eq "processes running as root" 0 "$(psh a 10 'ps -eo user= | grep -c "^root"')"
    psh a 60 'lazydind stop >/dev/null 2>&1'; rc=$?
    expect_rc "lazydind stop" 0 $rc
    out=$(psh a 120 'DOCKER_HOST=unix:////tmp//.docker/run/./docker.sock docker ps -q 2>&1'); rc=$?
    expect_rc "docker ps with DOCKER_HOST spelled unix:////tmp//.docker/run/./docker.sock" 0 $rc ||
        show "its output" "$out"
    psh a 60 'lazydind stop >/dev/null 2>&1'
}

# 68. A runtime dir lazydind will not use: a symlink, or a directory with
#     group/other access. Exit 2, the value and the fix named, nothing
#     started, nothing changed.
test_rootless_xdg_refused() {
    local -a TB_PRIV_FLAGS=("${ROOTLESS_FLAGS[@]}")
    pod_new a -e HOME=/tmp || return 1
    local out rc
    psh a 10 'mkdir -m 700 /tmp/real && ln -s /tmp/real /tmp/link && mkdir -m 755 /tmp/open'
    out=$(psh a 30 'XDG_RUNTIME_DIR=/tmp/link docker ps 2>&1'); rc=$?
    expect_rc "docker ps with XDG_RUNTIME_DIR a symlink" 2 $rc
    expect_has "its message" "$out" "XDG_RUNTIME_DIR=/tmp/link: /tmp/link is a symlink"
    out=$(psh a 30 'XDG_RUNTIME_DIR=/tmp/open docker ps 2>&1'); rc=$?
    expect_rc "docker ps with XDG_RUNTIME_DIR mode 755" 2 $rc
    expect_has "its message" "$out" "XDG_RUNTIME_DIR=/tmp/open: /tmp/open has mode 755"
    expect_has "its fix" "$out" "chmod 700 /tmp/open"
    expect_eq "mode left as it was" 755 "$(psh a 10 'stat -c %a /tmp/open')"
    expect_eq "nothing made in the link's target" "" "$(psh a 10 'ls -A /tmp/real')"
    expect_eq "dockerd processes" 0 "$(psh a 10 'pgrep -x dockerd | wc -l')"
    out=$(psh a 30 'XDG_RUNTIME_DIR=/tmp/link docker --version'); rc=$?
    expect_rc "docker --version (client only) still works" 0 $rc
}

TESTS+=(rootless_documented_env rootless_xdg_refused)

# 69. An API client in the documented environment: docker-py reads
#     DOCKER_HOST. The pod's postStart runs `lazydind activate`, which
#     leaves a listener (rootless_activation.sh tests that first contact);
#     the client's connection is answered.
test_rootless_api_client() {
    rl_env_pod a || return 1
    local out rc
    out=$(psh a 30 'lazydind activate 2>&1; echo "rc=$?"')
    expect_has "lazydind activate (postStart)" "$out" "rc=0"
    out=$(psh a 120 'python3 -c "
import time, docker
for i in range(600):
    try:
        c = docker.from_env()  # docker-py 6+ asks the version here
        print(c.ping()); break
    except Exception:
        time.sleep(0.1)
print(c.version()[\"Version\"] != \"\")
"'); rc=$?
    expect_rc "docker-py through DOCKER_HOST" 0 $rc
    expect_eq "its ping and version" "True
True" "$out"
    expect_eq "runtime dir made by activate: owner, mode" "1000 700" \
        "$(psh a 10 'stat -c "%u %a" /tmp/.docker/run')"
    psh a 60 'lazydind stop >/dev/null 2>&1'
}

TESTS+=(rootless_api_client)
