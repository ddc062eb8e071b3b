# shellcheck shell=bash
# End-to-end tests of socket activation (`lazydind activate`): any client's
# first connection to /var/run/docker.sock starts dockerd. Sourced by run.sh,
# which provides pod_new, psh, expect_* and the TESTS list.

# The Engine API over the unix socket, with curl (no docker CLI involved).
# api METHOD PATH [BODY]: prints the HTTP status, then the body.
API_FN='api() { curl -s --unix-socket /var/run/docker.sock -X "$1" -H "Content-Type: application/json" ${3:+-d "$3"} -w "\n%{http_code}\n" "http://docker$2"; }'

# A python3-docker client (Debian's python3-docker is in the pod image)
# creating and running a container, with no docker CLI involved.
PY_RUN='import docker
c = docker.DockerClient(base_url="unix:///var/run/docker.sock", timeout=120)
out = c.containers.run("127.0.0.1:5000/busybox", ["echo", "hello from python"], remove=True)
print(out.decode().strip())'

# 11. activate: nothing but the listener runs; a third-party client's first
#     connection starts dockerd and its container runs; activate again is a
#     no-op.
test_activate_api_client() {
    pod_new a --registry || return 1
    local out rc
    out=$(psh a 30 'lazydind activate; echo "rc=$?"' 2>&1)
    expect_has "lazydind activate" "$out" "rc=0"
    expect_eq "dockerd processes after activate" 0 "$(psh a 10 'pgrep -x dockerd | wc -l')"
    expect_eq "supervisors after activate" 1 "$(psh a 10 'pgrep -x lazydind | wc -l')"
    expect_eq "socket mode, owner and group" "srw-rw---- root docker" \
        "$(psh a 10 'ls -l /var/run/docker.sock | awk "{print \$1, \$3, \$4}"')"
    out=$(psh a 30 'lazydind activate; echo "rc=$?"; pgrep -x lazydind | wc -l' 2>&1)
    expect_has "second lazydind activate" "$out" "rc=0"
    expect_eq "supervisors after a second activate" 1 "$(tail -n1 <<<"$out")"
    out=$(psh a 150 "python3 -c '$PY_RUN'" 2>&1); rc=$?
    expect_rc "python3-docker client runs a container" 0 $rc
    expect_eq "its output" "hello from python" "$(tail -n1 <<<"$out")"
    expect_eq "live dockerd processes" 1 "$(psh a 10 "$LIVE_DOCKERD")"
    expect_has "lazydind status --json" "$(psh a 10 'lazydind status --json')" '"listening": true'
}

# 12. 16 API clients at once on an activated socket: all answered, one dockerd.
test_activate_concurrent_clients() {
    pod_new a || return 1
    psh a 30 'lazydind activate' || { fail "lazydind activate failed"; return 1; }
    local out bad
    out=$(psh a 150 "$API_FN"'
        i=1; while [ $i -le 16 ]; do
            ( timeout 90 curl -s -o /tmp/c.$i.out -w "%{http_code}" --unix-socket /var/run/docker.sock http://docker/version >/tmp/c.$i.code; echo $? >/tmp/c.$i.rc ) &
            i=$((i + 1))
        done
        wait
        i=1; while [ $i -le 16 ]; do echo "$i $(cat /tmp/c.$i.rc) $(cat /tmp/c.$i.code)"; i=$((i + 1)); done')
    expect_eq "answers collected" 16 "$(grep -c '^[0-9]* [0-9]* [0-9]*$' <<<"$out")"
    bad=$(awk '$2 != 0 || $3 != 200' <<<"$out")
    if [ -z "$bad" ]; then pass "all 16 clients got 200"
    else fail "some clients failed (curl rc, http code): $(awk '{print $2 "/" $3}' <<<"$bad" | sort | uniq -c | tr -s ' \n' ' ')"; fi
    expect_has "a /version answer" "$(psh a 10 'cat /tmp/c.1.out')" '"ApiVersion"'
    expect_eq "live dockerd processes" 1 "$(psh a 10 "$LIVE_DOCKERD")"
}

# 13. dockerd killed while a client waits on it: that client's connection
#     ends, and the next connection starts a new dockerd.
test_activate_crash_rearm() {
    pod_new a || return 1
    psh a 30 'lazydind activate' || { fail "lazydind activate failed"; return 1; }
    local out rc pid pid2
    out=$(psh a 90 "$API_FN"'; api GET /_ping | tail -n1'); expect_eq "first /_ping" 200 "$out"
    pid=$(psh a 10 'pgrep -x dockerd')
    # a client waiting on a long request (events stream) while dockerd dies
    out=$(psh a 60 'curl -s -N --max-time 40 --unix-socket /var/run/docker.sock http://docker/events >/dev/null & c=$!; sleep 1; kill -9 $(pgrep -x dockerd); wait $c; echo "curl=$?"')
    expect_has "the waiting client was cut off, not left hanging" "$out" "curl="
    expect_lacks "the waiting client" "$out" "curl=28"
    out=$(psh a 90 "$API_FN"'; api GET /_ping | tail -n1'); expect_eq "/_ping after the crash" 200 "$out"
    pid2=$(psh a 10 'pgrep -x dockerd')
    [ -n "$pid2" ] && [ "$pid2" != "$pid" ] && pass "a new dockerd ($pid2, was $pid)" ||
        fail "no new dockerd (was $pid, now '$pid2')"
    expect_has "lazydind status" "$(psh a 10 'lazydind status')" "killed by signal 9"
    rc=$(psh a 60 'docker ps >/dev/null; echo $?'); expect_eq "docker ps through the shim" 0 "$rc"
}

# 14. A dockerd that cannot start: every connection gets the reason at once
#     (a 503 with dockerd's own message); a burst of failures backs off and
#     ends with the socket removed and the reason in `lazydind status`.
test_activate_crash_burst() {
    pod_new a || return 1
    psh a 30 'echo "{\"no-such-option\": true}" >/etc/docker/daemon.json && lazydind activate' ||
        { fail "lazydind activate failed"; return 1; }
    local out i t0 t1 status
    t0=$(date +%s%N)
    out=$(psh a 30 "$API_FN"'; api GET /_ping')
    t1=$(date +%s%N)
    expect_eq "status of the first /_ping" 503 "$(tail -n1 <<<"$out")"
    expect_has "its message" "$out" "no-such-option"
    show "first failure answered after (ms)" "$(( (t1 - t0) / 1000000 ))"
    # keep connecting until the supervisor gives up (6 failures within a
    # minute, backing off 0 1 2 4 8 s): bounded by 60 tries
    out=$(psh a 120 "$API_FN"'
        i=0; while [ -S /var/run/docker.sock ] && [ $i -lt 60 ]; do
            api GET /_ping | tail -n1; i=$((i + 1))
        done; echo "tries=$i"')
    show "statuses until the socket went away" "$(tr '\n' ' ' <<<"$out")"
    expect_lacks "statuses" "$out" "tries=60"
    expect_eq "socket removed after the burst" gone "$(psh a 10 '[ -e /var/run/docker.sock ] && echo present || echo gone')"
    status=$(psh a 10 'lazydind status')
    expect_has "lazydind status" "$status" "gave up"
    expect_has "lazydind status" "$status" "no-such-option"
    expect_has "the log" "$(psh a 10 "grep 'giving up' $DLOG")" "failed 6 times"
    expect_eq "supervisors left" 0 "$(psh a 10 'pgrep -x lazydind | wc -l')"
    # the docker CLI through the shim still says why (it starts a new listener)
    out=$(psh a 30 'docker ps 2>&1; echo "rc=$?"')
    expect_has "docker ps after the burst" "$out" "no-such-option"
    expect_has "docker ps after the burst" "$out" "rc=1"
}

# 15. Idle shutdown: no container and no connection for LAZYDIND_IDLE_TIMEOUT
#     stops dockerd but keeps listening; the next connection starts it again;
#     a running container keeps it up.
test_activate_idle() {
    pod_new a --registry || return 1
    psh a 30 'LAZYDIND_IDLE_TIMEOUT=3s lazydind activate' || { fail "lazydind activate failed"; return 1; }
    local out
    out=$(psh a 90 "$API_FN"'; api GET /_ping | tail -n1'); expect_eq "/_ping" 200 "$out"
    expect_eq "live dockerd processes after the first connection" 1 "$(psh a 10 "$LIVE_DOCKERD")"
    out=$(psh a 40 'i=0; while pgrep -x dockerd >/dev/null && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done; echo $i')
    [ "$out" -lt 300 ] && pass "dockerd stopped when idle (after ~$((out / 10)) s)" || fail "dockerd still runs 30 s after the last connection"
    expect_eq "socket still there" present "$(psh a 10 '[ -S /var/run/docker.sock ] && echo present || echo gone')"
    expect_has "the log" "$(psh a 10 "cat $DLOG")" "idle for"
    out=$(psh a 90 "$API_FN"'; api GET /_ping | tail -n1'); expect_eq "/_ping after the idle stop" 200 "$out"
    # a running container keeps dockerd up past the idle timeout
    psh a 120 "docker run -d --name sleeper $REG sleep 60 >/dev/null" || fail "docker run -d failed"
    sleep 8
    expect_eq "live dockerd processes with a container running, 8 s later" 1 "$(psh a 10 "$LIVE_DOCKERD")"
    expect_eq "the container" running "$(psh a 30 'docker inspect -f {{.State.Status}} sleeper')"
}

# 16. stop --keep-socket stops only dockerd; the next connection starts it;
#     stop ends the listener and removes the socket.
test_activate_stop() {
    pod_new a || return 1
    psh a 30 'lazydind activate' || { fail "lazydind activate failed"; return 1; }
    local out rc
    out=$(psh a 90 "$API_FN"'; api GET /_ping | tail -n1'); expect_eq "/_ping" 200 "$out"
    psh a 60 'lazydind stop --keep-socket'; rc=$?
    expect_rc "lazydind stop --keep-socket" 0 $rc
    expect_eq "dockerd processes" 0 "$(psh a 10 'pgrep -x dockerd | wc -l')"
    expect_eq "supervisors" 1 "$(psh a 10 'pgrep -x lazydind | wc -l')"
    out=$(psh a 90 "$API_FN"'; api GET /_ping | tail -n1'); expect_eq "/_ping after --keep-socket" 200 "$out"
    psh a 60 'lazydind stop'; rc=$?
    expect_rc "lazydind stop" 0 $rc
    expect_eq "dockerd and supervisors left" 0 "$(psh a 10 'pgrep -x dockerd; pgrep -x lazydind' | wc -l)"
    expect_eq "socket" gone "$(psh a 10 '[ -e /var/run/docker.sock ] && echo present || echo gone')"
    expect_eq "mount at /var/lib/docker" none "$(psh a 10 "$VLD_FSTYPE")"
}

TESTS+=(activate_api_client activate_concurrent_clients activate_crash_rearm
        activate_crash_burst activate_idle activate_stop)
