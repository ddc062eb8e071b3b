# shellcheck shell=bash
# End-to-end tests of cgroup containment on a cgroup v2 node: the test bed's
# qemu VM (tests/testbed/v2node) with pods in a private cgroup namespace
# (0::/) and in the node's cgroup namespace (privileged, --cgroupns host).
# Sourced by run.sh, which provides fail/pass/expect_* and the TESTS list.
#
# Each layout's job runs on its own boot of the node (see
# tests/testbed/v2node/node.sh for the helpers it uses; both VMs boot at once,
# v2_nodes); the job records facts (KEY=VALUE) and the test asserts on them
# here. The node image is built once and cached (2-9 minutes cold).

# shellcheck source=../testbed/v2node/lib.sh
. "$REPO/tests/testbed/v2node/lib.sh"

V2_BOUND=1500   # seconds a node may live (under emulation on a loaded machine)

# v2_boot LAYOUT: boot a node for LAYOUT's job (v2_layout_job) with this
# run's lazydind binary; its results land in $LOG_DIR/v2-LAYOUT (rc: 124 cut
# short, 125 no result).
v2_boot() {
    local job=$LOG_DIR/v2-$1.job out=$LOG_DIR/v2-$1 rc
    rm -rf "$job" "$out"; mkdir -p "$job"
    cp "$BIN" "$job/lazydind" && cp "$TB_V2_DIR/node.sh" "$job/" || return 125
    printf '%s\n' 'set -u' '. /job/node.sh' "v2_finish_by $V2_BOUND" "$(v2_layout_job "$1")" >"$job/job.sh"
    tb_v2_run "$job" "$out" "$V2_BOUND"; rc=$?
    echo "$rc" >"$out/vm-rc"
}

# v2_nodes LAYOUT: make sure LAYOUT's node has run in this run of the
# suite. The first cgroup v2 test boots the nodes of every selected v2 test
# at once (two VMs overlap; one after the other they take twice as long);
# the others find their results. Sets V2_OUT; fails the test when its node
# gave no result.
v2_nodes() {
    local want=$1 l rc
    V2_OUT=$LOG_DIR/v2-$want
    tb_v2_image >>"$LOG_DIR/v2node-build.log" 2>&1 || {
        fail "could not build the cgroup v2 node image:"; tail -n 20 "$LOG_DIR/v2node-build.log"; return 1; }
    (
        flock 9
        [ -f "$V2_OUT/vm-rc" ] && exit 0
        for l in private host; do
            [ "$l" = "$want" ] || v2_selected "$l" || continue
            [ -f "$LOG_DIR/v2-$l/vm-rc" ] || v2_boot "$l" &
        done
        wait
    ) 9>"$LOG_DIR/v2.lock"
    rc=$(cat "$V2_OUT/vm-rc" 2>/dev/null || echo 125)
    show "node progress" "$(tb_v2_marks "$V2_OUT")"
    [ "$rc" = 124 ] && fail "the job on the cgroup v2 node was cut short by its bound ($V2_BOUND s)"
    if [ "$rc" = 125 ]; then
        fail "the cgroup v2 node gave no result; its console:"; tail -n 40 "$V2_OUT/console.log"; return 1
    fi
    [ -s "$V2_OUT/log" ] && show "job log" "$(cat "$V2_OUT/log")"
    return 0
}

# v2_selected LAYOUT: the test of LAYOUT runs in this run of the suite.
v2_selected() {
    local t=cgroup_v2_private
    [ "$1" = host ] && t=cgroup_v2_nodens
    [ ${#ONLY[@]} -eq 0 ] && return 0
    printf '%s\n' "${ONLY[@]}" | grep -qx "$t"
}

# v2_get KEY: a fact the job recorded.
v2_get() { sed -n "s/^$1=//p" "$V2_OUT/facts" 2>/dev/null | tail -n1; }

# The layout's checks, run on the node: LAYOUT is private or host. A
# neighbour pod, the pod (600 MiB) with an "agent" (sleep 7777), its first
# docker command while `docker exec`s join the pod, inner containers and
# their limits, an inner OOM, then the data-root filled from the pod.
v2_layout_job() {
    cat <<EOF
layout=$1
EOF
    cat <<'EOF'
pids() { echo "dockerd=$(pgrep -n -x dockerd) containerd=$(pgrep -n -x containerd) supervisor=$(pgrep -n -f '^(/usr/local/bin/)?lazydind supervise') agent=$(v2_pid_of '^sleep 7777')"; }
kills() { dmesg | grep -o 'Killed process [0-9]* ([^)]*)' | tr '\n' ' '; }
v2_log "pods ($layout)"
docker run -d --name other lazydind-v2/busybox:1 sleep 99999 >/dev/null
v2_fact other_pid "$(docker inspect -f '{{.State.Pid}}' other)"
v2_pod pa "$layout" -m 600m -e LAZYDIND_START_TIMEOUT=300; v2_fact pod_rc $?
pcg=$(v2_pod_cg pa)
v2_fact pod_cg "$pcg"
v2_fact pod_self_cgroup "$(v2_psh pa 'cat /proc/self/cgroup')"
v2_psh pa 'lazydind doctor' >"$OUT/doctor" 2>&1
docker exec -d pa sleep 7777
v2_log "the pod's dockerd, while docker execs join the pod"
( for i in 1 2 3 4 5 6; do docker exec pa true; echo "exec $?"; done >"$OUT/joiners" 2>&1 ) &
jp=$!
v2_pod_bb pa 2>"$OUT/bb.err"; v2_fact bb_rc $?
wait $jp
# under emulation on a loaded machine dockerd's own wait for containerd can
# time out: then once more (recorded), so the other checks still run
v2_psh pa 'docker image inspect bb >/dev/null 2>&1' || { v2_log "again"; v2_pod_bb pa; v2_fact bb_retry_rc $?; }
v2_fact joiners_failed "$(grep -vc '^exec 0$' "$OUT/joiners")"
v2_fact exec_after "$(docker exec pa echo ok 2>&1)"
v2_log "inner containers"
v2_psh pa 'docker run --pull never -d --name sl bb sleep 1234567 >/dev/null'; v2_fact run_rc $?
v2_fact inner_cg "$(v2_cg_of "$(v2_pid_of 'sleep 1234567')")"
v2_fact dockerd_cg "$(v2_cg_of "$(pgrep -n -x dockerd)")"
v2_fact containerd_cg "$(v2_cg_of "$(pgrep -n -x containerd)")"
v2_fact agent_cg "$(v2_cg_of "$(v2_pid_of 'sleep 7777')")"
v2_fact ctr_max "$(cat "/sys/fs/cgroup$pcg/lazydind/containers/memory.max")"
v2_fact limits "$(v2_psh pa 'docker run --pull never --rm --memory 64m --cpus 0.5 --pids-limit 50 bb cat /sys/fs/cgroup/memory.max /sys/fs/cgroup/cpu.max /sys/fs/cgroup/pids.max' 2>&1)"
v2_psh pa 'docker run --pull never --rm --memory 64m --tmpfs /m:size=200m bb dd if=/dev/zero of=/m/x bs=1M count=150' >/dev/null 2>&1
v2_fact m64_rc $?
v2_psh pa 'docker run --pull never -d --name st --memory 64m bb sleep 100000 >/dev/null'
v2_fact stats "$(v2_psh pa "docker stats --no-stream --format '{{.MemUsage}}' st" 2>&1)"
v2_fact pids_before "$(pids)"
v2_fact kills_before "$(kills)"
v2_log "an inner container writes 700 MiB"
v2_psh pa 'docker run --pull never --rm --tmpfs /m:size=1g bb dd if=/dev/zero of=/m/x bs=1M count=700' >/dev/null 2>&1
v2_fact oom_rc $?
v2_fact pids_after "$(pids)"
v2_fact kills_after "$(kills)"
v2_fact other_pid_after "$(docker inspect -f '{{.State.Pid}}' other)"
v2_fact ctr_oom "$(grep oom_kill "/sys/fs/cgroup$pcg/lazydind/containers/memory.events")"
v2_log "the data-root filled from the pod"
v2_fact tmpfs_kb "$(v2_psh pa "df -k /var/lib/docker | awk 'NR==2 {print \$2}'")"
v2_fact fill "$(v2_psh pa 'dd if=/dev/zero of=/var/lib/docker/fill bs=1M count=500 2>&1; echo "rc=$?"')"
v2_fact kills_fill "$(kills)"
v2_psh pa 'lazydind status' >"$OUT/status" 2>&1
v2_psh pa 'rm -f /var/lib/docker/fill'
v2_fact version_after "$(v2_psh pa 'docker version --format {{.Server.Version}}' 2>&1)"
v2_psh pa 'tail -n 60 /var/log/lazydind/dockerd.log' >"$OUT/pod-dockerd.log" 2>&1
v2_log "done"
EOF
}

# v2_checks LAYOUT: what must hold on every layout (facts of v2_layout_job).
v2_checks() {
    local pcg
    expect_eq "job exit status" 0 "$(cat "$V2_OUT/rc")"
    expect_eq "pod started on the node" 0 "$(v2_get pod_rc)"
    pcg=$(v2_get pod_cg)
    show "the pod's lazydind doctor" "$(cat "$V2_OUT/doctor")"
    expect_has "doctor's containment check" "$(grep containment "$V2_OUT/doctor")" "ok"
    if [ "$(v2_get bb_rc)" = 0 ]; then
        pass "first docker command while docker execs join the pod: exit status 0"
    elif grep -q "timeout waiting for containerd to start" "$V2_OUT/bb.err" && [ "$(v2_get bb_retry_rc)" = 0 ]; then
        pass "first docker command: dockerd's own wait for containerd timed out under emulation (it is not lazydind's); the next start worked"
        show "its stderr" "$(cat "$V2_OUT/bb.err")"
    else
        fail "first docker command while docker execs join the pod: exit status $(v2_get bb_rc)"
        show "its stderr" "$(cat "$V2_OUT/bb.err")"
    fi
    expect_eq "docker execs that failed meanwhile" 0 "$(v2_get joiners_failed)"
    expect_eq "docker exec into the pod afterwards" ok "$(v2_get exec_after)"
    expect_eq "docker run -d bb sleep in the pod" 0 "$(v2_get run_rc)"
    show "cgroups as the node sees them" "pod $pcg
dockerd $(v2_get dockerd_cg)
containerd $(v2_get containerd_cg)
agent $(v2_get agent_cg)
inner container $(v2_get inner_cg)"
    expect_has "the inner container's cgroup (node's view)" "$(v2_get inner_cg)" "$pcg/lazydind/containers/"
    expect_eq "the pod's dockerd's cgroup (node's view)" "$pcg/lazydind/daemon" "$(v2_get dockerd_cg)"
    expect_eq "the pod's containerd's cgroup (node's view)" "$pcg/lazydind/daemon" "$(v2_get containerd_cg)"
    expect_eq "the agent's cgroup (node's view)" "$pcg/init" "$(v2_get agent_cg)"
    expect_eq "memory.max of the containers' subtree (600 MiB less 150 MiB)" 471859200 "$(v2_get ctr_max)"
    expect_eq "memory.max, cpu.max, pids.max in docker run --memory 64m --cpus 0.5 --pids-limit 50" \
        "67108864 50000 100000 50" "$(v2_get limits)"
    expect_eq "docker run --memory 64m writing 150 MiB: exit status (OOM-killed)" 137 "$(v2_get m64_rc)"
    expect_has "docker stats --no-stream of a --memory 64m container" "$(v2_get stats)" "/ 64MiB"
    expect_eq "docker run writing 700 MiB in a 600 MiB pod: exit status (OOM-killed)" 137 "$(v2_get oom_rc)"
    expect_eq "dockerd, containerd, supervisor, agent pids after it" "$(v2_get pids_before)" "$(v2_get pids_after)"
    local killed
    killed=$(v2_get kills_after); killed=${killed#"$(v2_get kills_before)"}
    show "processes the kernel killed meanwhile" "$killed"
    expect_has "the OOM victims" "$killed" "(dd)"
    local p
    for p in dockerd containerd lazydind sleep containerd-shim; do expect_lacks "the OOM victims" "$killed" "($p)"; done
    expect_has "OOM kills counted in the containers' subtree" "$(v2_get ctr_oom)" "oom_kill"
    expect_eq "the neighbour pod's pid after it" "$(v2_get other_pid)" "$(v2_get other_pid_after)"
    expect_eq "size of the tmpfs data-root in KiB (half of 600 MiB)" 307200 "$(v2_get tmpfs_kb)"
    expect_has "dd of 500 MiB into the data-root" "$(v2_get fill)" "No space left on device"
    expect_eq "processes killed while the data-root filled" "$(v2_get kills_after)" "$(v2_get kills_fill)"
    show "lazydind status with the data-root full" "$(cat "$V2_OUT/status")"
    expect_has "lazydind status" "$(cat "$V2_OUT/status")" "lazydind/daemon (dockerd's, inside the pod's cgroup)"
    expect_has "lazydind status" "$(cat "$V2_OUT/status")" "no space left on device"
    expect_has "docker version afterwards" "$(v2_get version_after)" "20.10"
}

# 60. cgroup v2 node, pod in a private cgroup namespace (0::/): everything
#     lazydind starts and every inner container stays in the pod's cgroup.
test_cgroup_v2_private() {
    v2_nodes private || return 1
    expect_eq "the pod's /proc/self/cgroup before its first docker command" "0::/" "$(v2_get pod_self_cgroup)"
    v2_checks private
}

# 61. cgroup v2 node, privileged pod in the node's cgroup namespace: the
#     same, where the pod sees the node's whole tree.
test_cgroup_v2_nodens() {
    v2_nodes host || return 1
    expect_eq "the pod's /proc/self/cgroup before its first docker command" "0::$(v2_get pod_cg)" "$(v2_get pod_self_cgroup)"
    v2_checks host
}

# ------------------------------------------------ cgroup v1 (this host) --
# Pods of the test bed's privileged emulation see the node's cgroup tree
# (--cgroupns host -v /sys/fs/cgroup:/sys/fs/cgroup:rw), layout 1.

# v1_cg_of PID CONTROLLER: the cgroup of host process PID in that hierarchy.
v1_cg_of() { awk -F: -v c="$2" '{ n = split($2, a, ","); for (i = 1; i <= n; i++) if (a[i] == c) print $3 }' "/proc/$1/cgroup"; }

# v1_pod_cg NAME: pod NAME's cgroup on this host (cgroupfs driver).
v1_pod_cg() { echo "/docker/$(docker inspect -f '{{.Id}}' "$(tb_pod_name "$(pod "$1")")")"; }

# v1_kills: the kernel's "Killed process" lines so far.
v1_kills() { dmesg 2>/dev/null | grep -o 'Killed process [0-9]* ([^)]*)'; }

# 62. cgroup v1, the pod sees the node's tree: inner containers sit under
#     the pod's cgroup in every hierarchy, their subtree is limited below
#     the pod's 400 MiB, inner --memory/--cpus/--pids-limit apply and show in
#     docker stats; an inner container writing 700 MiB is the OOM victim,
#     and dockerd, containerd, the supervisor, the agent and a neighbour pod
#     keep their pids; status shows dockerd's cgroup.
test_cgroup_v1_contained() {
    pod_new a --registry -m 400m || return 1
    pod_new n || return 1
    local pcg mark pid out rc c before after k0 k1 killed p npid
    pcg=$(v1_pod_cg a)
    npid=$(docker inspect -f '{{.State.Pid}}' "$(tb_pod_name "$(pod n)")")
    mark=$((3000000 + RUN_ID % 100000))
    docker exec -d "$(tb_pod_name "$(pod a)")" sleep 7777
    psh a 120 "docker run -d --name sl $REG sleep $mark >/dev/null"; rc=$?
    expect_rc "docker run -d busybox sleep $mark" 0 $rc || return 1
    pid=$(pgrep -n -f "^sleep $mark\$")
    for c in memory cpu pids; do
        expect_has "the inner container's $c cgroup (the host's view)" "$(v1_cg_of "$pid" $c)" "$pcg/lazydind/containers/"
    done
    expect_eq "memory.limit_in_bytes of the containers' subtree (400 MiB less 128 MiB)" 285212672 \
        "$(cat "/sys/fs/cgroup/memory$pcg/lazydind/containers/memory.limit_in_bytes")"
    out=$(psh a 120 "docker run --rm --memory 64m --cpus 0.5 --pids-limit 50 $REG cat /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/cpu/cpu.cfs_quota_us /sys/fs/cgroup/pids/pids.max" 2>&1 | tr '\n' ' ')
    expect_eq "memory, cpu quota, pids in docker run --memory 64m --cpus 0.5 --pids-limit 50" "67108864 50000 50 " "$out"
    psh a 120 "docker run --rm --memory 64m --tmpfs /m:size=200m $REG dd if=/dev/zero of=/m/x bs=1M count=150" >/dev/null 2>&1; rc=$?
    expect_rc "docker run --memory 64m writing 150 MiB (OOM-killed)" 137 $rc
    psh a 60 "docker run -d --name st --memory 64m $REG sleep 100000 >/dev/null"
    expect_has "docker stats --no-stream of a --memory 64m container" \
        "$(psh a 60 "docker stats --no-stream --format '{{.MemUsage}}' st" 2>&1)" "/ 64MiB"
    out=$(psh a 20 'lazydind status')
    show "lazydind status" "$out"
    expect_has "lazydind status" "$out" "cgroup:        $pcg"
    local pids='echo "dockerd=$(pgrep -x dockerd) containerd=$(pgrep -x containerd) supervisor=$(pgrep -f "^(/usr/local/bin/)?lazydind supervise") agent=$(pgrep -f "^sleep 7777")"'
    before=$(psh a 20 "$pids"); k0=$(v1_kills | wc -l)
    psh a 180 "docker run --rm --tmpfs /m:size=1g $REG dd if=/dev/zero of=/m/x bs=1M count=700" >/dev/null 2>&1; rc=$?
    after=$(psh a 20 "$pids"); k1=$(v1_kills | wc -l)
    expect_rc "docker run writing 700 MiB in a 400 MiB pod (OOM-killed)" 137 $rc
    expect_eq "dockerd, containerd, supervisor, agent pids after it" "$before" "$after"
    killed=$(v1_kills | tail -n $((k1 - k0)))
    [ "$k1" -gt "$k0" ] || killed=""
    show "processes the kernel killed meanwhile" "$killed"
    expect_has "the OOM victims" "$killed" "(dd)"
    for p in dockerd containerd lazydind containerd-shim; do expect_lacks "the OOM victims" "$killed" "($p)"; done
    expect_eq "the neighbour pod's pid" "$npid" "$(docker inspect -f '{{.State.Pid}}' "$(tb_pod_name "$(pod n)")")"
    expect_eq "docker version afterwards" 0 "$(psh a 60 'docker version >/dev/null 2>&1; echo $?')"
}

# 63. In a 500 MiB pod the tmpfs data-root is 250 MiB; filling it gives
#     "No space left on device" and nothing in the pod is OOM-killed; status
#     says how full it is and what to do; an explicit LAZYDIND_TMPFS_SIZE
#     above the limit gets a warning.
test_cgroup_tmpfs_enospc() {
    pod_new a -m 500m || return 1
    local pcg out rc oom0 oom1
    pcg=$(v1_pod_cg a)
    psh a 120 'docker version >/dev/null'; rc=$?
    expect_rc "docker version (start)" 0 $rc
    expect_eq "size of the tmpfs data-root in KiB (half of 500 MiB)" 256000 \
        "$(psh a 10 "df -k /var/lib/docker | awk 'NR == 2 { print \$2 }'")"
    oom0=$(awk '$1 == "oom_kill" { print $2 }' "/sys/fs/cgroup/memory$pcg/memory.oom_control")
    out=$(psh a 120 'dd if=/dev/zero of=/var/lib/docker/fill bs=1M count=400 2>&1; echo "rc=$?"')
    expect_has "dd of 400 MiB into the data-root" "$out" "No space left on device"
    oom1=$(awk '$1 == "oom_kill" { print $2 }' "/sys/fs/cgroup/memory$pcg/memory.oom_control")
    expect_eq "OOM kills in the pod's memory cgroup (oom_control) meanwhile" "$oom0" "$oom1"
    out=$(psh a 20 'lazydind status')
    show "lazydind status" "$out"
    expect_has "lazydind status" "$out" "(100%), in memory, inside the pod's limit 500M"
    expect_has "lazydind status" "$out" "docker system prune"
    out=$(psh a 60 'docker version 2>&1 >/dev/null; echo "rc=$?"')
    expect_has "docker version with the data-root full: exit status" "$out" "rc=0"
    expect_has "its stderr" "$out" "lazydind: the data-root /var/lib/docker is 100% full"
    expect_has "its stderr" "$out" "half the pod's memory limit 500M"
    pod_new b -m 500m -e LAZYDIND_TMPFS_SIZE=1g || return 1
    out=$(psh b 120 'docker version 2>&1 >/dev/null')
    expect_has "stderr of the first docker command with LAZYDIND_TMPFS_SIZE=1g" "$out" \
        "LAZYDIND_TMPFS_SIZE=1073741824 (1G) is above the pod's memory limit 500M"
}

# 64. doctor's containment verdict: ok where the pod sees the node's tree
#     (its cgroup named), a warning with the reason where a private cgroup
#     namespace is laid over the node's whole cgroupfs (the pod's cgroup is
#     outside what the mount shows it).
test_cgroup_doctor() {
    pod_new a || return 1
    local out pcg
    pcg=$(v1_pod_cg a)
    out=$(psh a 30 'lazydind doctor')
    show "lazydind doctor" "$out"
    expect_has "containment" "$(grep containment <<<"$out")" "ok    containment"
    expect_has "containment" "$(grep containment <<<"$out")" "inside the pod's cgroup $pcg"
    pod_new b --cgroupns private || return 1
    out=$(psh b 30 'lazydind doctor')
    expect_has "containment, private cgroupns over the node's cgroupfs" "$(grep -A1 containment <<<"$out")" "warn  containment"
    expect_has "its reason" "$out" "inner containers would be placed outside the pod, beyond its limits"
}

TESTS+=(cgroup_v1_contained cgroup_tmpfs_enospc cgroup_doctor cgroup_v2_private cgroup_v2_nodens)
