# shellcheck shell=bash
# Orphans reaped (issue 16): the pod's PID 1 (the controller's `sh -c`, here
# `sleep infinity`'s sh) may never reap, so processes that dockerd and
# containerd leave behind would stay zombies and fill the pid limit. The
# supervisor is the child subreaper of everything it starts and reaps them.
# And a stale containerd.pid whose pid now runs something else is removed
# before dockerd starts (it would cost dockerd's containerd timeout).
# Sourced by run.sh.

# These pods' PID 1 is `sleep infinity` itself, which never reaps (a shell
# as PID 1 may reap orphans while it waits, hiding what this tests).
orphan_pod() { TB_POD_CMD="sleep infinity" pod_new "$@"; }

# Zombies in the pod, as "pid ppid comm" lines.
ZOMBIES='ps -eo stat=,pid=,ppid=,comm= | awk '\''$1 ~ /^Z/ { print $2, $3, $4 }'\'''

# expect_no_zombies POD WHAT: none once things settle (up to 30 s).
expect_no_zombies() {
    local z
    z=$(psh "$1" 40 "for i in \$(seq 60); do z=\$($ZOMBIES); [ -z \"\$z\" ] && exit 0; sleep 0.5; done; echo \"\$z\"")
    if [ -z "$z" ]; then pass "no zombies in the pod $2"
    else fail "zombies in the pod $2:"; show "pid ppid comm" "$z"; fi
}

# The shims of running containers lose their containerd; what exits while
# it is gone is reaped, and the next command works.
test_orphans_containerd_killed() {
    orphan_pod a --registry || return 1
    local out rc
    psh a 120 "docker run -d --name s1 $REG sleep 300 >/dev/null &&
               docker run -d --name s2 $REG sleep 300 >/dev/null" ||
        { fail "could not start two containers"; return 1; }
    psh a 10 'kill -9 $(pgrep -x containerd)'
    # the containers' processes end while containerd is gone
    psh a 10 'for p in $(pgrep -x sleep); do [ "$(cat /proc/$p/comm)" = sleep ] && kill -9 $p; done; true'
    out=$(psh a 120 "i=0; until docker run --rm $REG echo back 2>/tmp/e; do i=\$((i + 1)); [ \$i -ge 30 ] && break; sleep 1; done; cat /tmp/e"); rc=$?
    expect_has "docker run after kill -9 containerd (retried up to 30 s)" "$out" "back"
    expect_no_zombies a "after kill -9 of containerd with two containers running"
    out=$(psh a 60 'docker ps -a --format "{{.Names}} {{.Status}}" 2>&1'); rc=$?
    expect_rc "docker ps -a afterwards" 0 $rc
    show "docker ps -a" "$out"
}

# dockerd killed during a `docker build`: its containerd, the build's
# container and shim are left behind; the next command starts a new dockerd
# and nothing stays a zombie.
test_orphans_dockerd_killed_build() {
    orphan_pod a --registry || return 1
    local out rc
    psh a 90 'docker ps >/dev/null' || { fail "docker ps (start)"; return 1; }
    psh a 10 "printf 'FROM $REG\nRUN sleep 20\n' >/tmp/Dockerfile"
    # the client runs under its own `docker exec` shell, which reaps it: a
    # zombie left now can only be one that dockerd or containerd left
    docker exec -d "$(tb_pod_name "$(pod a)")" \
        sh -c 'docker build -t slow -f /tmp/Dockerfile /tmp >/tmp/build.log 2>&1'
    psh a 40 'for i in $(seq 150); do pgrep -f "sleep 20" >/dev/null && exit 0; sleep 0.2; done; exit 1' ||
        fail "the build's RUN did not start"
    psh a 10 'kill -9 $(pgrep -x dockerd)'
    out=$(psh a 120 "i=0; until docker run --rm $REG echo again 2>/tmp/e; do i=\$((i + 1)); [ \$i -ge 30 ] && break; sleep 1; done; cat /tmp/e"); rc=$?
    expect_has "docker run after kill -9 of dockerd mid-build (retried up to 30 s)" "$out" "again"
    psh a 40 'for i in $(seq 60); do pgrep -f "sleep 20" >/dev/null || exit 0; sleep 0.5; done'
    expect_no_zombies a "after kill -9 of dockerd during docker build"
}

# After a restart the pid in containerd.pid can be anyone's: a live process
# that is not containerd does not make dockerd wait for it.
test_orphans_stale_containerd_pid() {
    orphan_pod a --registry || return 1
    local out rc t0 t1
    psh a 90 'docker ps >/dev/null' || { fail "docker ps (start)"; return 1; }
    psh a 60 'lazydind stop >/dev/null 2>&1'
    psh a 10 'mkdir -p /var/run/docker/containerd
              setsid sleep 600 </dev/null >/dev/null 2>&1 & echo $! >/var/run/docker/containerd/containerd.pid'
    t0=$(date +%s%N)
    out=$(psh a 120 "docker run --rm $REG echo fresh 2>&1"); rc=$?
    t1=$(date +%s%N)
    expect_rc "docker run with a containerd.pid naming a live sleep" 0 $rc
    expect_has "its output" "$out" "fresh"
    echo "# first command took $(((t1 - t0) / 1000000)) ms (dockerd's containerd timeout is 15 s)"
    out=$(psh a 10 "grep 'containerd.pid' $DLOG")
    expect_has "lazydind's log" "$out" "removed stale /var/run/docker/containerd/containerd.pid"
    expect_has "lazydind's log" "$out" "runs /usr/bin/sleep, not containerd"
}

TESTS+=(orphans_containerd_killed orphans_dockerd_killed_build orphans_stale_containerd_pid)
