# shellcheck shell=bash
# Soak: 64 concurrent callers for 20 rounds, mixed with daemon kills.
# Sourced by run.sh; not in the default list (it takes a few minutes): run it
# with `make soak` (or `tests/e2e/run.sh ./lazydind soak`). SOAK_ROUNDS and
# SOAK_CALLERS change the size.
#
# Each round starts from one of: the daemon warm; dockerd just killed with
# SIGKILL; dockerd and the supervisor just killed; everything stopped (a cold
# start); everything stopped and, 50 ms into the cold start, the supervisor
# killed while the callers wait for it. Kills come before or during the
# start, never while a started CLI talks to dockerd (a daemon killed under
# a running request fails that request, whatever starts it). Every caller
# must succeed: the count of failures must be 0.

# 44. (make soak) The soak, with the failures reported.
test_soak() {
    pod_new a || return 1
    local out rounds=${SOAK_ROUNDS:-20} callers=${SOAK_CALLERS:-64}
    out=$(psh a 1500 "
        export LAZYDIND_START_TIMEOUT=120s
        rounds=$rounds callers=$callers"'
        fails=0; calls=0; t0=$(date +%s)
        r=1; while [ $r -le $rounds ]; do
            case $((r % 5)) in
                1) how=warm ;;
                2) how="dockerd killed"; pkill -9 -x dockerd ;;
                3) how="dockerd and supervisor killed"; pkill -9 -x lazydind; pkill -9 -x dockerd ;;
                4) how=cold; lazydind stop >/dev/null 2>&1 ;;
                0) how="cold, supervisor killed at 50 ms"; lazydind stop >/dev/null 2>&1 ;;
            esac
            s=$(date +%s%N)
            i=1; while [ $i -le $callers ]; do
                ( timeout 150 docker version --format "{{.Server.Os}}" >/tmp/s.$i.out 2>/tmp/s.$i.err
                  echo $? >/tmp/s.$i.rc ) &
                i=$((i + 1))
            done
            [ $((r % 5)) = 0 ] && { sleep 0.05; pkill -9 -x lazydind; }
            wait
            bad=0; i=1; while [ $i -le $callers ]; do
                rc=$(cat /tmp/s.$i.rc); calls=$((calls + 1))
                if [ "$rc" != 0 ] || [ "$(cat /tmp/s.$i.out)" != linux ]; then
                    bad=$((bad + 1))
                    [ $bad -le 2 ] && { echo "  round $r caller $i: rc=$rc"; sed "s/^/    /" /tmp/s.$i.err; }
                fi
                i=$((i + 1))
            done
            fails=$((fails + bad))
            echo "round $r ($how): $bad of $callers failed, $(( ($(date +%s%N) - s) / 1000000 )) ms, dockerd=$(pgrep -x dockerd | wc -l) supervisors=$(pgrep -x lazydind | wc -l)"
            r=$((r + 1))
        done
        echo "soak: $calls calls in $rounds rounds, $fails failed, $(( $(date +%s) - t0 )) s"')
    show "rounds" "$out"
    expect_has "the soak" "$out" "soak: $((rounds * callers)) calls in $rounds rounds, 0 failed"
    # one dockerd after every round; its supervisor, unless one was killed
    # after it had started dockerd (that dockerd serves on, unsupervised,
    # until it dies: then the next command starts a new supervisor)
    expect_eq "rounds that ended with one dockerd and at most one supervisor" "$rounds" \
        "$(grep -cE 'dockerd=1 supervisors=[01]$' <<<"$out")"
}
