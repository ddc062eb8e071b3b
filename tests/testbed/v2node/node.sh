# shellcheck shell=bash
# Helpers for job scripts running on the cgroup v2 node (sourced by a job.sh
# the test bed's init runs as root, with the node's dockerd up, in /job,
# OUT=/job/out). A pod is a node container started the way a privileged
# Kubernetes pod is, from the node's pod image, with the lazydind binary of
# the job (/job/lazydind) installed as its docker:
#   v2_pod p1 private -m 600m     # private cgroup namespace (0::/)
#   v2_pod p2 host -m 600m        # the node's cgroup namespace
#   v2_psh p1 'docker run --rm bb true'
# Facts for the host side go to $OUT/facts as KEY=VALUE lines (v2_fact).

V2_POD_IMAGE=lazydind-v2/pod:1

# v2_t: seconds since boot, with two decimals.
v2_t() { cut -d' ' -f1 /proc/uptime; }

# v2_fact KEY VALUE...: record a fact (newlines become spaces).
v2_fact() { local k=$1; shift; printf '%s=%s\n' "$k" "$(printf '%s' "$*" | tr '\n' ' ')" >>"$OUT/facts"; }

# v2_log MSG: a progress line on the console (and in $OUT/log).
v2_log() { echo "LZV2: job: $* @$(v2_t)" | tee -a "$OUT/log"; }

# v2_pod NAME LAYOUT [docker-run args...]: start pod NAME (LAYOUT private or
# host cgroup namespace), privileged, command sleep infinity, HOME=/tmp, and
# `lazydind install` in it.
v2_pod() {
    local name=$1 layout=$2; shift 2
    docker run -d --name "$name" --privileged --cgroupns "$layout" \
        -v /job/lazydind:/usr/local/bin/lazydind:ro -v /opt/lazydind-v2:/opt/lazydind-v2:ro \
        -e HOME=/tmp "$@" "$V2_POD_IMAGE" sh -c 'sleep infinity' >/dev/null &&
    docker exec "$name" lazydind install >/dev/null 2>&1 &&
    v2_warm "$name"
}

# v2_warm NAME: read the engine's binaries in pod NAME once (into the page
# cache): under emulation on a loaded machine a cold first read can push
# containerd's start past the time dockerd waits for it.
v2_warm() {
    docker exec "$1" sh -c 'cat /usr/sbin/dockerd /usr/bin/containerd /usr/bin/containerd-shim-runc-v2 /usr/sbin/runc /usr/bin/docker >/dev/null 2>&1' || true
}

# v2_psh NAME SCRIPT: run `sh -c SCRIPT` in pod NAME.
v2_psh() { docker exec -i "$1" sh -c "$2"; }

# v2_pod_bb NAME: import the busybox image as "bb" in pod NAME (its first
# docker command: this starts the pod's dockerd).
v2_pod_bb() { v2_psh "$1" 'docker import /opt/lazydind-v2/busybox.tar bb >/dev/null'; }

# v2_pod_cg NAME: the pod's own cgroup as the node sees it (cgroupfs driver).
v2_pod_cg() { echo "/docker/$(docker inspect -f '{{.Id}}' "$1")"; }

# v2_cg_of PID: the cgroup of node process PID, as the node sees it.
v2_cg_of() { sed -n 's/^0:://p' "/proc/$1/cgroup"; }

# v2_pid_of PATTERN: the node pid of the (newest) process matching PATTERN.
v2_pid_of() { pgrep -n -f "$1"; }

# v2_finish_by BOUND: a job's own watchdog: SECONDS before init's bound
# (lzv2.bound), write what $OUT holds so far (rc=124) onto the results disk
# and power off, so that a job cut short still reports its facts.
v2_finish_by() {
    local left
    left=$(awk -v b="$1" '{ printf "%d", b - $1 - 20 }' /proc/uptime)
    [ "$left" -gt 0 ] || return 0
    ( sleep "$left"
      echo "LZV2: job: cut short by its bound @$(v2_t)"
      echo 124 >"$OUT/rc"; dmesg >"$OUT/dmesg" 2>/dev/null
      tar -C "$OUT" -cf /dev/nvme0n3 . && sync
      busybox poweroff -f ) </dev/null >/dev/console 2>&1 &
}
