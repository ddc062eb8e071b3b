# shellcheck shell=bash
# Fault injection: processes killed with SIGKILL at each phase of a start,
# storage that is full or cannot be mounted, the runtime dir deleted under a
# running daemon, a stale socket, a dockerd that never answers. After each:
# no caller hangs past the start timeout, the next command recovers or fails
# with a clear reason, nothing is left running that should not be, and no
# data in a persistent data-root is lost. Sourced by run.sh.
#
# Phases are widened with a slow dockerd (LAZYDIND_DOCKERD pointing at a
# script that sleeps, then execs dockerd) and with a FIFO as the log, which
# holds the supervisor in open(2) before it reports, so that the caller that
# spawned it sits in the start lock.

# A dockerd that takes $SLOW_DOCKERD_SECS (default 4) s before it starts.
SLOW_DOCKERD='cat >/usr/local/sbin/slow-dockerd <<"EOF"
#!/bin/sh
sleep "${SLOW_DOCKERD_SECS:-4}"
exec dockerd "$@"
EOF
chmod 755 /usr/local/sbin/slow-dockerd'

# A "dockerd" that never answers: it holds the socket (fd 3) and sleeps.
HUNG_DOCKERD='cat >/usr/local/sbin/hung-dockerd <<"EOF"
#!/bin/sh
exec sleep 1000
EOF
chmod 755 /usr/local/sbin/hung-dockerd'

# Live (non-zombie) processes of the daemon side, as "dockerd=N
# containerd=N lazydind=N other=N" (other: the fakes and the containerd
# shims).
RUNNING='ps -e -o stat=,comm= | awk '\''$1 !~ /^Z/ {
    if ($2 == "dockerd" || $2 == "containerd" || $2 == "lazydind") n[$2]++
    else if ($2 == "slow-dockerd" || $2 == "hung-dockerd" || $2 ~ /^containerd-shim/) n["other"]++ }
    END { printf "dockerd=%d containerd=%d lazydind=%d other=%d\n", n["dockerd"], n["containerd"], n["lazydind"], n["other"] }'\'''
# ps does not show sleep's argument in comm: count "sleep 1000" apart.
FAKE_SLEEPS='pgrep -fx "sleep 1000" | wc -l'

# rc_of POD FILE: the exit status a background caller left in FILE.
rc_of() { psh "$1" 10 "cat $2 2>/dev/null || echo none"; }

# expect_stopped POD: `lazydind stop` ends everything: no dockerd,
# containerd, supervisor or fake left.
expect_stopped() {
    local out
    out=$(psh "$1" 60 'lazydind stop 2>&1; echo "rc=$?"')
    expect_has "lazydind stop" "$out" "rc=0"
    expect_eq "processes left after lazydind stop" "dockerd=0 containerd=0 lazydind=0 other=0" \
        "$(psh "$1" 10 "$RUNNING")"
    expect_eq "fake dockerd sleeps left" 0 "$(psh "$1" 10 "$FAKE_SLEEPS")"
}

# 30. The shim that spawned the supervisor is killed while it holds the start
#     lock (the supervisor is held in open(2) of a FIFO log, so it has not
#     reported yet). The lock is released with it; a caller that comes next
#     starts its own supervisor and gets the daemon; the orphaned supervisor,
#     once it gets going, leaves without harm (the FIFO is no regular file
#     for a log, and the socket is taken).
test_fault_kill_shim_holding_lock() {
    pod_new a || return 1
    local out rc
    out=$(psh a 60 '
        mkfifo /tmp/log.fifo
        LAZYDIND_LOG=/tmp/log.fifo docker ps >/dev/null 2>/tmp/first.err &
        i=0; until [ -e /run/lazydind/lock ] && ! flock -n /run/lazydind/lock true; do
            sleep 0.05; i=$((i + 1)); [ $i -gt 200 ] && break; done
        flock -n /run/lazydind/lock true && echo "lock: free" || echo "lock: held"
        shim=$(pgrep -x docker); echo "shim: $shim"
        kill -9 $shim; sleep 0.2
        flock -n /run/lazydind/lock true && echo "lock after kill: free" || echo "lock after kill: held"')
    show "before and after kill -9 of the shim" "$out"
    expect_has "the first caller" "$out" "lock: held"
    expect_has "the lock after the kill" "$out" "lock after kill: free"
    out=$(psh a 90 'docker ps >/dev/null 2>/tmp/next.err; echo "rc=$?"; cat /tmp/next.err')
    expect_has "the next docker ps (while the orphaned supervisor is stuck)" "$out" "rc=0"
    # let the orphaned supervisor go on: it must leave the running daemon alone
    out=$(psh a 30 '
        cat /tmp/log.fifo >/tmp/fifo.log & sleep 2
        docker ps >/dev/null && echo "still ok"
        cat /tmp/fifo.log')
    show "the orphaned supervisor's log once released" "$out"
    expect_has "docker ps after the orphan went on" "$out" "still ok"
    # it left (a FIFO is no log for it, or the socket is taken): one supervisor
    expect_eq "daemon side" "dockerd=1 containerd=1 lazydind=1 other=0" "$(psh a 10 "$RUNNING")"
    expect_stopped a
}

# 31. Callers killed while they wait for a slow dockerd: the others get it,
#     nothing hangs, the next command works, one dockerd.
test_fault_kill_shim_waiting() {
    pod_new a || return 1
    local out
    out=$(psh a 90 "$SLOW_DOCKERD"'
        export LAZYDIND_DOCKERD=/usr/local/sbin/slow-dockerd SLOW_DOCKERD_SECS=3
        for i in 1 2 3 4; do ( docker ps >/dev/null 2>/tmp/w.$i.err; echo $? >/tmp/w.$i.rc ) & done
        sleep 1
        pgrep -x docker | head -n 2 | xargs kill -9
        wait
        for i in 1 2 3 4; do printf "%s " "$(cat /tmp/w.$i.rc)"; done; echo')
    show "exit statuses of the 4 callers (2 killed)" "$out"
    expect_eq "callers killed (137)" 2 "$(tr ' ' '\n' <<<"$out" | grep -c '^137$')"
    expect_eq "callers that got the daemon" 2 "$(tr ' ' '\n' <<<"$out" | grep -c '^0$')"
    out=$(psh a 60 'docker ps >/dev/null; echo "rc=$?"')
    expect_has "the next docker ps" "$out" "rc=0"
    expect_eq "daemon side" "dockerd=1 containerd=1 lazydind=1 other=0" "$(psh a 10 "$RUNNING")"
    expect_stopped a
}

# 32. The supervisor killed while dockerd starts (slow dockerd): the waiting
#     caller still gets the daemon (dockerd holds the socket), the next
#     command works; when that orphaned dockerd dies, the next command starts
#     a new supervisor and dockerd.
test_fault_kill_supervisor_starting() {
    pod_new a || return 1
    local out
    out=$(psh a 90 "$SLOW_DOCKERD"'
        export LAZYDIND_DOCKERD=/usr/local/sbin/slow-dockerd SLOW_DOCKERD_SECS=3
        ( docker ps >/dev/null 2>/tmp/c.err; echo $? >/tmp/c.rc ) &
        sleep 1; kill -9 $(pgrep -x lazydind); wait
        echo "caller rc=$(cat /tmp/c.rc)"; cat /tmp/c.err')
    show "the caller waiting while its supervisor was killed" "$out"
    expect_has "the waiting caller" "$out" "caller rc=0"
    out=$(psh a 60 'docker ps >/dev/null; echo "rc=$?"')
    expect_has "the next docker ps" "$out" "rc=0"
    expect_eq "daemon side (no supervisor)" "dockerd=1 containerd=1 lazydind=0 other=0" "$(psh a 10 "$RUNNING")"
    out=$(psh a 90 'kill -9 $(pgrep -x dockerd); sleep 0.5; docker ps >/dev/null 2>/tmp/n.err; echo "rc=$?"; cat /tmp/n.err')
    expect_has "docker ps after the orphaned dockerd was killed too" "$out" "rc=0"
    expect_eq "daemon side" "dockerd=1 containerd=1 lazydind=1 other=0" "$(psh a 10 "$RUNNING")"
    expect_stopped a
}

# 33. The supervisor, dockerd, containerd killed at 3 points of a start (from
#     storage preparation to readiness): the caller either gets the daemon
#     or a reason within the start timeout, and the next command always
#     works. Between rounds everything is stopped.
test_fault_kill_during_start() {
    pod_new a || return 1
    local out
    out=$(psh a 400 '
        export LAZYDIND_START_TIMEOUT=30s
        for victim in lazydind dockerd containerd; do
          for d in 0.02 0.2 1.5; do
            ( timeout 60 docker ps >/dev/null 2>/tmp/k.err; echo $? >/tmp/k.rc ) &
            sleep $d; pkill -9 -x $victim; wait
            rc=$(cat /tmp/k.rc)
            reason=$(grep -c "^lazydind: " /tmp/k.err)
            timeout 60 docker ps >/dev/null 2>/tmp/n.err; nrc=$?
            echo "$victim $d first=$rc reason_lines=$reason next=$nrc"
            [ $nrc = 0 ] || sed "s/^/    next: /" /tmp/n.err
            [ $rc = 0 ] || sed "s/^/    first: /" /tmp/k.err
            lazydind stop >/dev/null 2>&1
          done
        done')
    show "victim, delay (s), first caller, next caller" "$out"
    expect_eq "rounds" 9 "$(grep -c ' first=' <<<"$out")"
    expect_lacks "first callers" "$out" "first=124"
    expect_eq "rounds where the next command failed" 0 "$(grep ' first=' <<<"$out" | grep -vc ' next=0$')"
    # a first caller that failed said why (lines starting lazydind:)
    expect_eq "failed first callers without a reason" 0 \
        "$(grep ' first=' <<<"$out" | grep -v ' first=0 ' | grep -c 'reason_lines=0')"
    expect_eq "processes left" "dockerd=0 containerd=0 lazydind=0 other=0" "$(psh a 10 "$RUNNING")"
}

# 34. containerd killed under a running dockerd: dockerd restarts it and
#     containers run again.
test_fault_kill_containerd() {
    pod_new a --registry || return 1
    local out rc
    psh a 90 'docker ps >/dev/null' || { fail "docker ps (start)"; return 1; }
    psh a 10 'kill -9 $(pgrep -x containerd)'
    out=$(psh a 120 "i=0; until docker run --rm $REG echo back 2>/tmp/e; do i=\$((i + 1)); [ \$i -ge 20 ] && break; sleep 1; done; cat /tmp/e"); rc=$?
    expect_has "docker run after kill -9 containerd (retried up to 20 s)" "$out" "back"
    expect_eq "daemon side" "dockerd=1 containerd=1 lazydind=1 other=0" "$(psh a 10 "$RUNNING")"
    expect_stopped a
}

# 35. A full tmpfs: docker reports "no space left on device"; the daemon
#     keeps answering; after space is freed it works again. And a daemon
#     started on an already full tmpfs says so, or works.
test_fault_full_tmpfs() {
    pod_new a --registry || return 1
    local out rc
    out=$(psh a 90 'LAZYDIND_TMPFS_SIZE=24M docker ps >/dev/null; echo "rc=$?"; df -k /var/lib/docker | tail -n1')
    expect_has "docker ps with LAZYDIND_TMPFS_SIZE=24M" "$out" "rc=0"
    show "df" "$out"
    psh a 10 'dd if=/dev/zero of=/var/lib/docker/fill bs=64k 2>/dev/null; true'
    out=$(psh a 60 "docker run --rm $REG echo hi 2>&1; echo \"rc=\$?\"")
    expect_has "docker run on a full tmpfs" "$out" "no space left on device"
    expect_lacks "docker run on a full tmpfs" "$out" "rc=0"
    out=$(psh a 30 'docker ps >/dev/null; echo "rc=$?"')
    expect_has "docker ps on a full tmpfs" "$out" "rc=0"
    # restart dockerd on the full tmpfs (--keep-socket keeps the mount)
    out=$(psh a 90 'lazydind stop --keep-socket >/dev/null 2>&1; timeout 60 docker ps >/dev/null 2>/tmp/e; echo "rc=$?"; cat /tmp/e')
    show "docker ps starting dockerd on a full tmpfs" "$out"
    if grep -q 'rc=0' <<<"$out"; then pass "dockerd started on a full tmpfs"
    else expect_has "the reason it did not" "$out" "no space left on device"; fi
    psh a 10 'rm -f /var/lib/docker/fill'
    out=$(psh a 120 "timeout 90 docker run --rm $REG echo after 2>&1; echo \"rc=\$?\"")
    expect_has "docker run once space is freed" "$out" "after"
    expect_stopped a
}

# 36. A data-root where no tmpfs can be mounted (no CAP_SYS_ADMIN): every
#     caller fails fast with the reason and the fix; the supervisor stays
#     (and `lazydind stop` ends it); nothing else runs.
test_fault_unmountable_data_root() {
    pod_new a --cap-drop SYS_ADMIN || return 1
    local out
    # the preflight sees the missing capability first and starts nothing
    out=$(psh a 30 'docker ps 2>&1; echo "rc=$?"')
    expect_has "docker ps (preflight)" "$out" "rc=1"
    expect_has "docker ps (preflight)" "$out" "SYS_ADMIN"
    expect_eq "daemon side after the preflight" "dockerd=0 containerd=0 lazydind=0 other=0" "$(psh a 10 "$RUNNING")"
    # past the preflight, the supervisor's own mount failure reaches every caller
    out=$(psh a 60 'export LAZYDIND_PREFLIGHT=0
        for i in 1 2 3; do ( timeout 30 docker ps >/dev/null 2>/tmp/u.$i.err; echo $? >/tmp/u.$i.rc ) & done; wait
        for i in 1 2 3; do echo "rc=$(cat /tmp/u.$i.rc)"; done; cat /tmp/u.1.err /tmp/u.2.err /tmp/u.3.err')
    show "three callers" "$out"
    expect_eq "callers that exited 1" 3 "$(grep -c '^rc=1$' <<<"$out")"
    expect_has "their stderr" "$out" "cannot mount a tmpfs on data-root /var/lib/docker"
    expect_has "their stderr" "$out" "CAP_SYS_ADMIN"
    expect_eq "daemon side" "dockerd=0 containerd=0 lazydind=1 other=0" "$(psh a 10 "$RUNNING")"
    expect_stopped a
}

# 37. The runtime dir deleted under a running daemon: docker keeps working,
#     status still finds the daemon, stop stops everything, and the next
#     command starts it again.
test_fault_rundir_deleted() {
    pod_new a || return 1
    local out
    psh a 90 'docker ps >/dev/null' || { fail "docker ps (start)"; return 1; }
    psh a 10 'rm -rf /run/lazydind'
    out=$(psh a 30 'docker ps >/dev/null; echo "rc=$?"')
    expect_has "docker ps after rm -rf /run/lazydind" "$out" "rc=0"
    out=$(psh a 30 'lazydind status')
    expect_has "lazydind status" "$out" "running:       yes"
    expect_stopped a
    out=$(psh a 90 'docker ps >/dev/null; echo "rc=$?"')
    expect_has "docker ps after the stop" "$out" "rc=0"
    expect_eq "daemon side" "dockerd=1 containerd=1 lazydind=1 other=0" "$(psh a 10 "$RUNNING")"
    # and deleted while the supervisor waits for the first connection
    psh a 60 'lazydind stop >/dev/null 2>&1; lazydind activate && rm -rf /run/lazydind'
    out=$(psh a 90 'docker ps >/dev/null; echo "rc=$?"')
    expect_has "docker ps on an activated socket whose runtime dir is gone" "$out" "rc=0"
    expect_stopped a
}

# 38. A stale socket file with nothing behind it is replaced; a socket path
#     that is not a socket is refused with the fix; a stale docker.pid naming
#     a live process that is not dockerd does not stop dockerd.
test_fault_stale_socket() {
    pod_new a || return 1
    local out
    psh a 10 'python3 -c "import socket; socket.socket(socket.AF_UNIX).bind(\"/var/run/docker.sock\")"; ls -l /var/run/docker.sock' ||
        { fail "could not make a stale socket"; return 1; }
    out=$(psh a 90 'echo 1 >/var/run/docker.pid; docker ps >/dev/null; echo "rc=$?"')
    expect_has "docker ps over a stale socket and a docker.pid naming pid 1" "$out" "rc=0"
    psh a 60 'lazydind stop >/dev/null 2>&1; rm -f /var/run/docker.sock; echo not a socket >/var/run/docker.sock'
    out=$(psh a 30 'docker ps 2>&1 >/dev/null; echo "rc=$?"')
    expect_has "docker ps with a regular file at the socket path" "$out" "rc=1"
    expect_has "its message" "$out" "/var/run/docker.sock exists and is not a socket; remove it"
    expect_eq "daemon side" "dockerd=0 containerd=0 lazydind=0 other=0" "$(psh a 10 "$RUNNING")"
}

# 39. A dockerd that never answers: every caller gives up at the start
#     timeout with a message saying so; stop ends the fake.
test_fault_hung_dockerd() {
    pod_new a || return 1
    local out t0 t1
    t0=$(date +%s)
    out=$(psh a 60 "$HUNG_DOCKERD"'
        export LAZYDIND_DOCKERD=/usr/local/sbin/hung-dockerd LAZYDIND_START_TIMEOUT=3s
        for i in 1 2 3 4; do ( timeout 50 docker ps >/dev/null 2>/tmp/h.$i.err; echo $? >/tmp/h.$i.rc ) & done; wait
        for i in 1 2 3 4; do echo "rc=$(cat /tmp/h.$i.rc)"; done; cat /tmp/h.1.err')
    t1=$(date +%s)
    show "four callers" "$out"
    expect_eq "callers that exited 1" 4 "$(grep -c '^rc=1$' <<<"$out")"
    expect_has "the message" "$out" "did not answer on /var/run/docker.sock within 3000 ms"
    if [ $((t1 - t0)) -lt 40 ]; then pass "done in $((t1 - t0)) s (start timeout 3 s, bound 40 s)"
    else fail "took $((t1 - t0)) s (start timeout 3 s)"; fi
    out=$(psh a 30 'LAZYDIND_START_TIMEOUT=2s docker ps 2>&1; echo "rc=$?"')
    expect_has "the next docker ps" "$out" "rc=1"
    expect_stopped a
}

# 46. What a supervisor killed during storage preparation leaves: the tmpfs
#     mounted on the data-root, without (killed between mount and record)
#     or with its record in the runtime dir. The next start uses that tmpfs
#     as it is (never a second one on top, files in it kept); stop unmounts
#     only a tmpfs lazydind recorded as its own.
test_fault_storage_left_mounted() {
    pod_new a || return 1
    local out MOUNTS="awk '\$2 == \"/var/lib/docker\"' /proc/mounts | wc -l"
    psh a 10 'mkdir -p /var/lib/docker && mount -t tmpfs -o mode=0711 tmpfs /var/lib/docker && echo left >/var/lib/docker/marker'
    out=$(psh a 90 'docker ps >/dev/null; echo "rc=$?"')
    expect_has "docker ps over a tmpfs left without a record" "$out" "rc=0"
    expect_eq "mounts at /var/lib/docker" 1 "$(psh a 10 "$MOUNTS")"
    expect_eq "the file left in it" left "$(psh a 10 'cat /var/lib/docker/marker')"
    expect_has "lazydind status" "$(psh a 10 'lazydind status --json')" '"tmpfs_mounted": false'
    psh a 60 'lazydind stop >/dev/null 2>&1'
    expect_eq "mounts at /var/lib/docker after stop (not lazydind's to unmount)" 1 "$(psh a 10 "$MOUNTS")"
    # with the record, as the supervisor writes it right after its mount
    psh a 10 'printf "path=/var/lib/docker\n" >/run/lazydind/mounted'
    out=$(psh a 90 'docker ps >/dev/null; echo "rc=$?"')
    expect_has "docker ps over a recorded tmpfs" "$out" "rc=0"
    expect_eq "mounts at /var/lib/docker" 1 "$(psh a 10 "$MOUNTS")"
    expect_has "lazydind status" "$(psh a 10 'lazydind status --json')" '"tmpfs_mounted": true'
    psh a 60 'lazydind stop >/dev/null 2>&1'
    expect_eq "mounts at /var/lib/docker after stop" 0 "$(psh a 10 "$MOUNTS")"
}

# 45. A persistent data-root (a volume, as a PVC would be): an image, a
#     named volume's file and a stopped container survive kill -9 of
#     dockerd (idle, and in the middle of a build), of dockerd and the
#     supervisor together, of containerd, and a pod restart after all that.
test_fault_persistent_data_root() {
    local vol="lazydind-e2e-faults-$RUN_ID" dr=/workspace/.docker-data out rc
    trap 'tb_pod_rm "$(pod a)"; tb_pod_rm "$(pod b)"; docker volume rm -f "'"$vol"'" >/dev/null 2>&1' EXIT
    docker volume create --label "lazydind-e2e.run=$RUN_ID" "$vol" >/dev/null || { fail "docker volume create"; return 1; }
    pod_new a --registry -v "$vol:$dr" -e LAZYDIND_DATA_ROOT=$dr || return 1
    out=$(psh a 180 "printf 'FROM $REG\nRUN echo persisted > /p\n' | docker build -q -t keepme - >/dev/null &&
        docker volume create v1 >/dev/null && docker run --rm -v v1:/d keepme sh -c 'echo kept > /d/f' &&
        docker create --name c1 keepme true >/dev/null && echo made"); rc=$?
    expect_has "pod 1: image keepme, volume v1 with a file, container c1" "$out" made
    # the check, after each fault
    local CHECK="docker images -q keepme | grep -q . && echo image;
        docker run --rm -v v1:/d keepme cat /d/f;
        docker inspect -f '{{.Name}}' c1"
    local want=$'image
kept
/c1'
    psh a 10 'kill -9 $(pgrep -x dockerd)'
    expect_eq "after kill -9 dockerd" "$want" "$(psh a 120 "$CHECK" 2>/dev/null)"
    out=$(psh a 120 "printf 'FROM keepme\nRUN sleep 3; echo x > /x\n' | docker build -q - >/dev/null 2>&1 &
        sleep 2; kill -9 \$(pgrep -x dockerd); wait; echo built-or-not")
    expect_eq "after kill -9 dockerd in the middle of a docker build" "$want" "$(psh a 120 "$CHECK" 2>/dev/null)"
    psh a 10 'kill -9 $(pgrep -x lazydind) $(pgrep -x dockerd)'
    expect_eq "after kill -9 of the supervisor and dockerd" "$want" "$(psh a 120 "$CHECK" 2>/dev/null)"
    psh a 10 'kill -9 $(pgrep -x containerd)'
    out=$(psh a 120 "i=0; until docker run --rm keepme true 2>/dev/null; do i=\$((i + 1)); [ \$i -ge 20 ] && break; sleep 1; done; $CHECK" 2>/dev/null)
    expect_eq "after kill -9 containerd" "$want" "$out"
    expect_lacks "pod 1: tmpfs mounts at $dr" "$(psh a 10 "awk '\$2 == \"$dr\" {print \$3}' /proc/mounts")" tmpfs
    psh a 10 'kill -9 $(pgrep -x dockerd)'
    tb_pod_rm "$(pod a)"
    pod_new b -v "$vol:$dr" -e LAZYDIND_DATA_ROOT=$dr || return 1
    expect_eq "pod 2 on the same volume" "$want" "$(psh b 120 "$CHECK" 2>/dev/null)"
}

TESTS+=(fault_kill_shim_holding_lock fault_kill_shim_waiting fault_kill_supervisor_starting
        fault_kill_during_start fault_kill_containerd fault_full_tmpfs
        fault_unmountable_data_root fault_rundir_deleted fault_stale_socket fault_hung_dockerd
        fault_persistent_data_root fault_storage_left_mounted)
