# shellcheck shell=bash
# End-to-end tests of cgroup containment on a cgroup v2 node: the test bed's
# qemu VM (tests/testbed/v2node) with pods in a private cgroup namespace
# (0::/) and in the node's cgroup namespace (privileged, --cgroupns host).
# Sourced by run.sh, which provides fail/pass/expect_* and the TESTS list.
#
# Each test boots the node once and runs one job script there (see
# tests/testbed/v2node/node.sh for the helpers it uses); the job records
# facts (KEY=VALUE) and the test asserts on them here. The node image is
# built once and cached (about 2 minutes cold).

# shellcheck source=../testbed/v2node/lib.sh
. "$REPO/tests/testbed/v2node/lib.sh"

# v2_job SCRIPT [BOUND]: run SCRIPT (bash, after node.sh) on a fresh boot of
# the node with this run's lazydind binary; its results land in $V2_OUT.
# Fails the test when the VM gives no result.
v2_job() {
    local job=$LOG_DIR/$T_NAME.v2job rc
    V2_OUT=$LOG_DIR/$T_NAME.v2
    rm -rf "$job" "$V2_OUT"; mkdir -p "$job"
    tb_v2_image >>"$LOG_DIR/v2node-build.log" 2>&1 || {
        fail "could not build the cgroup v2 node image:"; tail -n 20 "$LOG_DIR/v2node-build.log"; return 1; }
    cp "$BIN" "$job/lazydind" && cp "$TB_V2_DIR/node.sh" "$job/" || { fail "cannot prepare the job"; return 1; }
    printf '%s\n' 'set -u' '. /job/node.sh' "$1" >"$job/job.sh"
    tb_v2_run "$job" "$V2_OUT" "${2:-420}"; rc=$?
    show "node progress" "$(tb_v2_marks "$V2_OUT")"
    if [ $rc = 125 ]; then
        fail "the cgroup v2 node gave no result; its console:"; tail -n 40 "$V2_OUT/console.log"; return 1
    fi
    [ -s "$V2_OUT/log" ] && show "job log" "$(cat "$V2_OUT/log")"
    return 0
}

# v2_get KEY: a fact the job recorded.
v2_get() { sed -n "s/^$1=//p" "$V2_OUT/facts" 2>/dev/null | tail -n1; }

# The layout's checks, run on the node: LAYOUT is private or host.
v2_layout_job() {
    cat <<EOF
layout=$1
v2_log "pod \$layout"
v2_pod pa "\$layout" -m 600m; v2_fact pod_rc \$?
v2_fact pod_cg "\$(v2_pod_cg pa)"
v2_fact pod_self_cgroup "\$(v2_psh pa 'cat /proc/self/cgroup')"
v2_log "pod's dockerd"
v2_pod_bb pa; v2_fact bb_rc \$?
v2_log "inner run"
v2_psh pa 'docker run -d --name sl bb sleep 1234567 >/dev/null'; v2_fact run_rc \$?
v2_fact inner_cg "\$(v2_cg_of "\$(v2_pid_of 'sleep 1234567')")"
v2_fact dockerd_cg "\$(v2_cg_of "\$(pgrep -n -x dockerd)")"
v2_psh pa 'lazydind status' >"\$OUT/status" 2>&1
v2_psh pa 'tail -n 50 /var/log/lazydind/dockerd.log' >"\$OUT/pod-dockerd.log" 2>&1
v2_log "done"
EOF
}

# v2_common_checks LAYOUT: what holds on every layout.
v2_common_checks() {
    expect_eq "job exit status" 0 "$(cat "$V2_OUT/rc")"
    expect_eq "pod started on the node" 0 "$(v2_get pod_rc)"
    expect_eq "first docker command in the pod (docker import of busybox)" 0 "$(v2_get bb_rc)"
    expect_eq "docker run -d bb sleep in the pod" 0 "$(v2_get run_rc)"
    show "cgroups as the node sees them" "pod $(v2_get pod_cg)
pod's dockerd $(v2_get dockerd_cg)
inner container $(v2_get inner_cg)"
}

# 60. cgroup v2 node, pod in a private cgroup namespace: the pod sees 0::/,
#     its dockerd starts and runs a container.
test_cgroup_v2_private() {
    v2_job "$(v2_layout_job private)" || return 1
    v2_common_checks private
    expect_eq "the pod's /proc/self/cgroup" "0::/" "$(v2_get pod_self_cgroup)"
}

# 61. cgroup v2 node, privileged pod in the node's cgroup namespace: the pod
#     sees its node path, its dockerd starts and runs a container.
test_cgroup_v2_nodens() {
    v2_job "$(v2_layout_job host)" || return 1
    v2_common_checks host
    expect_eq "the pod's /proc/self/cgroup" "0::$(v2_get pod_cg)" "$(v2_get pod_self_cgroup)"
}

TESTS+=(cgroup_v2_private cgroup_v2_nodens)
