# shellcheck shell=bash
# End-to-end tests of rootless mode: a pod running as uid 1000 with what
# DEVELOPERS.md lists (SYS_ADMIN, NET_ADMIN, seccomp and apparmor unconfined,
# unmasked /proc, /dev/fuse and /dev/net/tun openable by the user). Sourced
# by run.sh.

# What a rootless-capable pod gets (in Kubernetes: capabilities add, seccomp
# Unconfined, procMount: Unmasked, hostPath CharDevice volumes).
ROOTLESS_FLAGS=(
    --user 1000:1000
    --cap-add SYS_ADMIN --cap-add NET_ADMIN
    --security-opt seccomp=unconfined --security-opt apparmor=unconfined
    --security-opt systempaths=unconfined
    --device /dev/fuse --device /dev/net/tun
)

# rootless_pod NAME: a fresh rootless pod. The device nodes are made
# openable by uid 1000 and /run/user/1000 created, as a node's device
# plugin / the image would; nothing of that runs as root afterwards.
rootless_pod() {
    local -a TB_PRIV_FLAGS=("${ROOTLESS_FLAGS[@]}")
    pod_new "$1" -e HOME=/home/agent || return 1
    docker exec -u 0 "$(tb_pod_name "$(pod "$1")")" sh -c \
        'chmod 666 /dev/fuse /dev/net/tun && mkdir -p /run/user/1000 &&
         chown 1000:1000 /run/user/1000 && chmod 700 /run/user/1000' ||
        { fail "could not prepare the rootless pod"; return 1; }
}

# A busybox image made in the pod from /bin/busybox (rootless dockerd lives
# in slirp4netns' network namespace, where the pod's 127.0.0.1:5000 registry
# is not reachable).
BB_IMPORT='d=$(mktemp -d) && mkdir "$d/bin" && cp /bin/busybox "$d/bin/" &&
    for a in sh echo cat id sleep; do ln -s busybox "$d/bin/$a"; done &&
    tar -C "$d" -c . | docker import - bb >/dev/null'

# 17. Rootless end to end: the first docker command starts a rootless dockerd
#     through the shim; run and build work; the storage driver is reported;
#     nothing runs as root; stop works.
test_rootless_run() {
    rootless_pod a || return 1
    local out rc err
    err=$(psh a 120 "$BB_IMPORT" 2>&1 >/dev/null); rc=$?
    expect_rc "first docker command (docker import) as uid 1000" 0 $rc
    expect_has "its stderr" "$err" "lazydind: starting Docker daemon (rootless)..."
    expect_has "its stderr" "$err" "lazydind: Docker daemon ready in"
    out=$(psh a 60 'docker run --rm bb echo hello rootless'); rc=$?
    expect_rc "docker run --rm bb echo" 0 $rc
    expect_eq "its stdout" "hello rootless" "$out"
    out=$(psh a 120 'printf "FROM bb\nRUN echo built > /x\n" | docker build -q -t bb2 - >/dev/null && docker run --rm bb2 cat /x'); rc=$?
    expect_rc "docker build from stdin, then run" 0 $rc
    expect_eq "its stdout" built "$out"
    # /home/agent is on the pod's overlayfs: fuse-overlayfs, not vfs
    expect_eq "storage driver (docker info)" fuse-overlayfs "$(psh a 30 'docker info --format {{.Driver}}')"
    expect_has "security options (docker info)" "$(psh a 30 'docker info --format "{{.SecurityOptions}}"')" rootless
    expect_eq "processes running as root" 0 "$(psh a 10 'ps -eo user= | grep -c "^root"')"
    expect_eq "socket" present "$(psh a 10 '[ -S /run/user/1000/docker.sock ] && echo present')"
    psh a 60 'lazydind stop'; rc=$?
    expect_rc "lazydind stop" 0 $rc
    expect_eq "dockerd and rootlesskit left" 0 "$(psh a 10 'pgrep -x dockerd; pgrep -x rootlesskit' | wc -l)"
}

# 18. Rootless without XDG_RUNTIME_DIR and without /run/user/UID: a clear
#     error naming the fix, nothing started; client-only commands still work.
test_rootless_no_xdg() {
    local -a TB_PRIV_FLAGS=("${ROOTLESS_FLAGS[@]}")
    pod_new a -e HOME=/home/agent || return 1
    local out rc
    out=$(psh a 30 'docker ps 2>&1'); rc=$?
    expect_rc "docker ps" 1 $rc
    expect_has "its message" "$out" "XDG_RUNTIME_DIR"
    expect_eq "dockerd processes" 0 "$(psh a 10 'pgrep -x dockerd | wc -l')"
    out=$(psh a 30 'docker --version'); rc=$?
    expect_rc "docker --version" 0 $rc
}

TESTS+=(rootless_run rootless_no_xdg)

# the environment the KubeOpenCode guide documents (/tmp/.docker/run)
# shellcheck source=rootless_env.sh
. "$E2E_DIR/rootless_env.sh"
# socket activation in rootless mode (the same environment)
# shellcheck source=rootless_activation.sh
. "$E2E_DIR/rootless_activation.sh"
