# shellcheck shell=bash
# End-to-end tests of configuration: lazydind.conf and LAZYDIND_* settings,
# the dockerd config generated from the user's daemon.json, the pod-derived
# MTU, address pools and NO_PROXY, a persistent data-root. Sourced by run.sh,
# which provides pod_new, psh, expect_* and the TESTS list.

GEN=/run/lazydind/daemon.json

# A registry mirror set in lazydind.conf works offline: the pod's own
#     registry serves library/<name>, a plain `docker pull <name>` goes
#     through it, and `docker info` lists it.
test_config_mirror() {
    pod_new a --registry || return 1
    local out rc name=lazydind-mirror-test
    psh a 10 'mkdir -p /etc/lazydind && printf "%s\n" "# the pod registry as a Docker Hub mirror" \
        "registry-mirrors = http://127.0.0.1:5000" >/etc/lazydind/lazydind.conf'
    out=$(psh a 180 "docker pull -q $REG >/dev/null &&
        docker tag $REG 127.0.0.1:5000/library/$name:latest &&
        docker push 127.0.0.1:5000/library/$name:latest >/dev/null &&
        docker rmi $REG 127.0.0.1:5000/library/$name:latest >/dev/null && echo pushed" 2>&1); rc=$?
    expect_rc "pull $REG, push it as 127.0.0.1:5000/library/$name, remove both tags" 0 $rc || { show output "$out"; return 1; }
    expect_eq "docker image inspect $name before the pull" absent \
        "$(psh a 20 "docker image inspect $name >/dev/null 2>&1 && echo present || echo absent")"
    out=$(psh a 120 "docker pull $name 2>&1"); rc=$?
    expect_rc "docker pull $name (Docker Hub name, served by the mirror)" 0 $rc || show output "$out"
    expect_has "docker pull $name" "$out" "docker.io/library/$name:latest"
    expect_eq "docker run --rm $name echo via-mirror" via-mirror \
        "$(psh a 60 "docker run --rm $name echo via-mirror")"
    out=$(psh a 20 'docker info 2>/dev/null')
    expect_has "docker info" "$out" "Registry Mirrors:"
    expect_has "docker info" "$out" "http://127.0.0.1:5000/"
    out=$(psh a 20 'lazydind config')
    expect_has "lazydind config" "$out" "/etc/lazydind/lazydind.conf:2 (registry-mirrors)"
}

# The user's daemon.json: its keys reach dockerd (log-level warn in the
#     generated config and in dockerd's log), the file stays byte for byte
#     the same; a LAZYDIND_* variable beats it, and `lazydind config` says so.
test_config_daemon_json_kept() {
    pod_new a || return 1
    local out rc before after n
    psh a 10 'mkdir -p /etc/docker && printf "%s\n" "{" "  \"log-level\": \"warn\"," \
        "  \"labels\": [\"from-image=1\"]," "  \"hosts\": [\"unix:///var/run/docker.sock\"]" "}" \
        >/etc/docker/daemon.json'
    before=$(psh a 10 'sha256sum /etc/docker/daemon.json; stat -c "%s %Y %a" /etc/docker/daemon.json')
    psh a 90 'docker ps >/dev/null'; rc=$?
    expect_rc "docker ps" 0 $rc || return 1
    expect_eq "dockerd's command line" "/usr/sbin/dockerd --config-file $GEN" \
        "$(psh a 10 'ps -o args= -C dockerd')"
    out=$(psh a 10 "cat $GEN")
    expect_has "$GEN" "$out" '"log-level": "warn"'
    expect_has "$GEN" "$out" '"from-image=1"'
    expect_eq "mode of $GEN" 600 "$(psh a 10 "stat -c %a $GEN")"
    expect_eq "docker info: labels" '["from-image=1"]' \
        "$(psh a 20 "docker info --format '{{json .Labels}}'")"
    out=$(psh a 20 'lazydind config')
    show "lazydind config" "$out"
    expect_has "lazydind config" "$out" 'log-level                "warn"                             /etc/docker/daemon.json'
    # dockerd at warn logs no info lines (lazydind's own lines are "[info]")
    n=$(psh a 10 "grep -c 'level=info' $DLOG")
    expect_eq "level=info lines in dockerd's log at log-level warn" 0 "$n"
    after=$(psh a 10 'sha256sum /etc/docker/daemon.json; stat -c "%s %Y %a" /etc/docker/daemon.json')
    expect_eq "/etc/docker/daemon.json: hash, size, mtime, mode after the start" "$before" "$after"

    # a variable beats daemon.json
    psh a 60 'lazydind stop >/dev/null 2>&1; : >'"$DLOG"
    psh a 90 'LAZYDIND_LOG_LEVEL=debug docker ps >/dev/null'; rc=$?
    expect_rc "LAZYDIND_LOG_LEVEL=debug docker ps (after lazydind stop)" 0 $rc
    expect_has "$GEN" "$(psh a 10 "cat $GEN")" '"log-level": "debug"'
    out=$(psh a 20 'LAZYDIND_LOG_LEVEL=debug lazydind config')
    expect_has "lazydind config" "$out" "LAZYDIND_LOG_LEVEL (beats /etc/docker/daemon.json's \"warn\")"
    n=$(psh a 10 "grep -c 'level=debug' $DLOG")
    if [ "${n:-0}" -gt 0 ]; then pass "dockerd logs at debug ($n lines)"
    else fail "no level=debug line in dockerd's log"; fi
    n=$(psh a 10 "grep -c 'level=info' $DLOG")
    if [ "${n:-0}" -gt 0 ]; then pass "and at info ($n lines), which warn had hidden"
    else fail "no level=info line in dockerd's log at debug either"; fi
    after=$(psh a 10 'sha256sum /etc/docker/daemon.json; stat -c "%s %Y %a" /etc/docker/daemon.json')
    expect_eq "/etc/docker/daemon.json after the second start" "$before" "$after"
}

# Bad input: exit 2, a message naming the file:line:column or the
#     variable, and nothing started (no dockerd, no listener, no socket).
test_config_bad_input() {
    pod_new a || return 1
    local err rc out
    # nothing_started WHAT
    nothing_started() {
        expect_eq "$1: dockerd and supervisor processes" 0 \
            "$(psh a 10 'pgrep -x dockerd; pgrep -x lazydind' | wc -l)"
        expect_eq "$1: /var/run/docker.sock" absent \
            "$(psh a 10 '[ -e /var/run/docker.sock ] && echo present || echo absent')"
    }
    err=$(psh a 30 'mkdir -p /etc/docker && printf "{\n  \"debug\": true,\n  \"mtu\" 1400\n}\n" >/etc/docker/daemon.json
        docker ps 2>&1 >/dev/null'); rc=$?
    expect_rc "docker ps with a malformed daemon.json" 2 $rc
    expect_has "stderr" "$err" "/etc/docker/daemon.json:3:"
    nothing_started "malformed daemon.json"
    psh a 10 'rm /etc/docker/daemon.json'

    err=$(psh a 30 'mkdir -p /etc/lazydind && printf "mtu = 1450\nregistry_mirror = http://m\n" >/etc/lazydind/lazydind.conf
        docker ps 2>&1 >/dev/null'); rc=$?
    expect_rc "docker ps with an unknown key in lazydind.conf" 2 $rc
    expect_has "stderr" "$err" "/etc/lazydind/lazydind.conf:2:1: unknown key 'registry_mirror'"
    expect_has "stderr" "$err" "did you mean 'registry-mirrors'?"
    nothing_started "unknown conf key"
    err=$(psh a 30 'printf "mtu = 99999\n" >/etc/lazydind/lazydind.conf; lazydind activate --strict 2>&1'); rc=$?
    expect_rc "lazydind activate --strict with mtu = 99999 in lazydind.conf" 2 $rc
    expect_has "stderr" "$err" "/etc/lazydind/lazydind.conf:1:7: mtu='99999' is not a number between 576 and 9216"
    nothing_started "mtu out of range in lazydind.conf"
    psh a 10 'rm /etc/lazydind/lazydind.conf'

    err=$(psh a 30 'LAZYDIND_MTU=abc docker ps 2>&1 >/dev/null'); rc=$?
    expect_rc "LAZYDIND_MTU=abc docker ps" 2 $rc
    expect_has "stderr" "$err" "LAZYDIND_MTU='abc' is not a number between 576 and 9216"
    nothing_started "LAZYDIND_MTU=abc"
    err=$(psh a 30 'LAZYDIND_MTU=1400 LAZYDIND_DOCKERD_ARGS="--mtu 1300" docker ps 2>&1 >/dev/null'); rc=$?
    expect_rc "LAZYDIND_MTU and --mtu in LAZYDIND_DOCKERD_ARGS" 2 $rc
    expect_has "stderr" "$err" "LAZYDIND_MTU and --mtu in LAZYDIND_DOCKERD_ARGS both set"
    err=$(psh a 30 'LAZYDIND_CONFIG=/nonexistent.conf lazydind config 2>&1 >/dev/null'); rc=$?
    expect_rc "LAZYDIND_CONFIG=/nonexistent.conf lazydind config" 2 $rc
    expect_has "stderr" "$err" "cannot read the config file /nonexistent.conf (LAZYDIND_CONFIG)"
    out=$(psh a 30 'LAZYDIND_REGISTRY_MIRROR=http://m lazydind config 2>&1')
    expect_has "lazydind config with a misspelt variable" "$out" \
        "warning: LAZYDIND_REGISTRY_MIRROR is not a lazydind setting (ignored); did you mean LAZYDIND_REGISTRY_MIRRORS?"
    nothing_started "all the above"
}

# MTU: a pod on a network of MTU 1450 (a host bridge network made with
#     com.docker.network.driver.mtu=1450): the inner docker0 and its
#     containers get 1450 without any setting.
test_config_mtu() {
    local net="lazydind-e2e-mtu-$RUN_ID" out rc
    trap 'tb_pod_rm "$(pod a)"; docker network rm "'"$net"'" >/dev/null 2>&1' EXIT
    docker network create -o com.docker.network.driver.mtu=1450 \
        --label "lazydind-e2e.run=$RUN_ID" "$net" >/dev/null || { fail "docker network create $net"; return 1; }
    pod_new a --registry --network "$net" || return 1
    expect_eq "the pod's eth0 MTU" 1450 "$(psh a 10 'cat /sys/class/net/eth0/mtu')"
    out=$(psh a 120 "docker run --rm $REG cat /sys/class/net/eth0/mtu"); rc=$?
    expect_rc "docker run --rm busybox cat /sys/class/net/eth0/mtu" 0 $rc
    expect_eq "a container's eth0 MTU" 1450 "$out"
    # an idle docker0 reads 1500 (a Linux bridge without ports); with a
    # container attached it is the minimum of its ports
    psh a 60 "docker run -d --name idle $REG sleep 300 >/dev/null"
    expect_eq "docker0's MTU with a container attached" 1450 \
        "$(psh a 10 'cat /sys/class/net/docker0/mtu')"
    psh a 30 'docker rm -f idle >/dev/null'
    expect_eq "docker network inspect bridge: driver.mtu" 1450 \
        "$(psh a 20 "docker network inspect bridge -f '{{index .Options \"com.docker.network.driver.mtu\"}}'")"
    expect_has "lazydind config" "$(psh a 20 'lazydind config')" \
        "auto: eth0, the interface of the pod's default route, has MTU 1450"
}

# A persistent data-root on a volume (a PVC in Kubernetes): an image
#     built in pod 1 is there in pod 2 with the same volume; no tmpfs.
test_config_data_root_volume() {
    local vol="lazydind-e2e-data-$RUN_ID" out rc
    trap 'tb_pod_rm "$(pod a)"; tb_pod_rm "$(pod b)"; docker volume rm -f "'"$vol"'" >/dev/null 2>&1' EXIT
    docker volume create --label "lazydind-e2e.run=$RUN_ID" "$vol" >/dev/null || { fail "docker volume create"; return 1; }
    local dr=/workspace/.docker-data
    pod_new a --registry -v "$vol:$dr" -e LAZYDIND_DATA_ROOT=$dr || return 1
    out=$(psh a 180 "printf 'FROM $REG\nRUN echo persisted > /p\n' | docker build -q -t keepme - >/dev/null && docker run --rm keepme cat /p"); rc=$?
    expect_rc "pod 1: docker build -t keepme, docker run --rm keepme cat /p" 0 $rc
    expect_eq "its stdout" persisted "$out"
    out=$(psh a 10 "stat -fc %T $dr")
    case $out in tmpfs|overlayfs) fail "pod 1: $dr is on $out" ;; *) pass "pod 1: $dr is on $out (the volume)" ;; esac
    expect_lacks "pod 1: tmpfs mounts at $dr" "$(psh a 10 "awk '\$2 == \"$dr\" {print \$3}' /proc/mounts")" tmpfs
    expect_has "pod 1: lazydind status --json" "$(psh a 10 'lazydind status --json')" '"tmpfs_mounted": false'
    expect_has "pod 1: $GEN" "$(psh a 10 "cat $GEN")" "\"data-root\": \"$dr\""
    tb_pod_rm "$(pod a)"
    pod_new b -v "$vol:$dr" -e LAZYDIND_DATA_ROOT=$dr || return 1
    out=$(psh b 120 "docker images --format '{{.Repository}}:{{.Tag}}' keepme"); rc=$?
    expect_eq "pod 2: docker images keepme" "keepme:latest" "$out"
    out=$(psh b 120 "docker run --rm keepme cat /p"); rc=$?
    expect_rc "pod 2: docker run --rm keepme cat /p (no registry in pod 2)" 0 $rc
    expect_eq "its stdout" persisted "$out"
    expect_lacks "pod 2: tmpfs mounts at $dr" "$(psh b 10 "awk '\$2 == \"$dr\" {print \$3}' /proc/mounts")" tmpfs
    expect_eq "pod 2: tmpfs anywhere under /workspace or /var/lib/docker" 0 \
        "$(psh b 10 "awk '\$3 == \"tmpfs\" && (\$2 ~ /^\\/workspace/ || \$2 ~ /^\\/var\\/lib\\/docker/)' /proc/mounts | wc -l")"
}

# The pod's network: docker's default bridge overlaps the pod's own
#     network in this test bed (172.17.0.0/16), so lazydind gives dockerd
#     the other pools and says so once; proxies reach dockerd with the pod's
#     address and docker0's network added to NO_PROXY.
test_config_pod_network() {
    pod_new a --registry -e HTTPS_PROXY=http://agent:s3cret@127.0.0.1:3128 -e no_proxy=.svc || return 1
    local out err rc ip bridge=172.18.0.0/16
    ip=$(psh a 10 "ip -4 -o addr show eth0 | sed -n 's/.* inet \\([0-9.]*\\).*/\\1/p'")
    err=$(psh a 120 'docker ps 2>&1 >/dev/null'); rc=$?
    expect_rc "docker ps" 0 $rc
    case $ip in
    172.17.*)
        # the usual host: pods on docker0's 172.17.0.0/16, the clash case
        expect_has "its stderr" "$err" "lazydind: docker's default bridge 172.17.0.0/16 overlaps the pod's route 172.17.0.0/16 (eth0): docker0 gets 172.18.0.0/16 instead"
        expect_eq "docker0's network" 172.18.0.0/16 \
            "$(psh a 20 "docker network inspect bridge -f '{{(index .IPAM.Config 0).Subnet}}'")" ;;
    *)
        # a host whose pods are elsewhere (CI rehearsed one level deeper):
        # docker0 keeps its default, which must not be the pod's network
        bridge=$(psh a 20 "docker network inspect bridge -f '{{(index .IPAM.Config 0).Subnet}}'")
        show "pod address $ip (not on 172.17.0.0/16): no bridge clash to test; docker0 is" "$bridge"
        case $ip in "${bridge%.0.0/16}".*) fail "docker0 ($bridge) overlaps the pod ($ip)" ;; esac ;;
    esac
    expect_eq "notices about the pools on a second call" "" \
        "$(psh a 30 'docker ps 2>&1 >/dev/null')"
    out=$(psh a 30 "docker network create lzn >/dev/null && docker network inspect lzn -f '{{(index .IPAM.Config 0).Subnet}}'")
    case $out in 172.1[89].*|172.2*|172.3*|192.168.*) pass "a new docker network got $out" ;;
                 *) fail "a new docker network got '$out'" ;; esac
    out=$(psh a 10 'tr "\0" "\n" </proc/$(pgrep -x dockerd)/environ | grep -i -E "^(https?|no)_proxy="')
    show "dockerd's proxy environment" "$out"
    expect_has "dockerd's environment" "$out" "HTTPS_PROXY=http://agent:s3cret@127.0.0.1:3128"
    expect_has "dockerd's environment" "$out" "NO_PROXY=.svc,$ip,$bridge"
    expect_has "dockerd's environment" "$out" "no_proxy=.svc,$ip,$bridge"
    out=$(psh a 20 "docker info 2>/dev/null")
    expect_has "docker info" "$out" "No Proxy: .svc,$ip,$bridge"
    out=$(psh a 20 'lazydind config')
    expect_has "lazydind config" "$out" "HTTPS_PROXY=http://agent:***@127.0.0.1:3128"
    expect_lacks "lazydind config" "$out" "s3cret"
    # loopback never goes through the proxy (nothing listens on 3128)
    psh a 120 "docker pull -q $REG >/dev/null"; rc=$?
    expect_rc "docker pull $REG with a dead proxy set" 0 $rc
}

# daemon.json changed while the listener waits: broken, an API client gets
#     the file:line:column at once (a 503, as for a storage failure) and the
#     shim exit 2;
#     fixed, the next command starts dockerd; changed again, SIGHUP to the
#     supervisor regenerates dockerd's config before dockerd reloads it.
test_config_changes() {
    pod_new a || return 1
    local out err rc ms sup
    psh a 30 'lazydind activate' || { fail "lazydind activate"; return 1; }
    out=$(psh a 60 'printf "{\n  \"labels\": [\"a=1\"\n" >/etc/docker/daemon.json 2>/dev/null ||
        { mkdir -p /etc/docker && printf "{\n  \"labels\": [\"a=1\"\n" >/etc/docker/daemon.json; }
        s=$(date +%s%N); docker ps >/dev/null 2>/tmp/err; rc=$?; e=$(date +%s%N)
        echo "$rc $(( (e - s) / 1000000 ))"')
    rc=${out% *}; ms=${out#* }
    err=$(psh a 10 'cat /tmp/err')
    expect_rc "docker ps after daemon.json broke under a listening supervisor" 2 "$rc"
    expect_has "its stderr" "$err" "/etc/docker/daemon.json:3:"
    if [ "${ms:-99999}" -lt 3000 ] 2>/dev/null; then pass "answered in $ms ms"
    else fail "took $ms ms to answer"; fi
    # an API client: the supervisor's own answer
    out=$(psh a 30 'curl -s -w "\n%{http_code}" --unix-socket /var/run/docker.sock http://docker/_ping')
    expect_eq "curl /_ping: HTTP status" 503 "$(tail -n1 <<<"$out")"
    expect_has "curl /_ping: the supervisor's message" "$out" "/etc/docker/daemon.json:3:"
    expect_eq "dockerd processes" 0 "$(psh a 10 'pgrep -x dockerd | wc -l')"
    psh a 10 'echo "{\"labels\": [\"a=1\"]}" >/etc/docker/daemon.json'
    expect_eq "docker info labels once fixed" '["a=1"]' \
        "$(psh a 90 "docker info --format '{{json .Labels}}'")"
    psh a 10 'echo "{\"labels\": [\"b=2\"]}" >/etc/docker/daemon.json'
    sup=$(psh a 10 'pgrep -x lazydind')
    psh a 10 "kill -HUP $sup"
    out=""
    for _ in 1 2 3 4 5 6 7 8 9 10; do
        out=$(psh a 20 "docker info --format '{{json .Labels}}'")
        [ "$out" = '["b=2"]' ] && break
        sleep 0.5
    done
    expect_eq "docker info labels after the change and SIGHUP to the supervisor" '["b=2"]' "$out"
    expect_has "$GEN" "$(psh a 10 "cat $GEN")" '"b=2"'
    expect_eq "the same dockerd (reloaded, not restarted)" 1 "$(psh a 10 "$LIVE_DOCKERD")"
}

# dockerd's config is built once per dockerd start, by the supervisor
#     that spawns it: the shim's check and the supervisor's start-up do not
#     build it (its log numbers every build; it would say 2 for the first
#     start if either did), and a restart after a crash builds it once more.
test_config_built_once() {
    pod_new a || return 1
    local out rc pid
    psh a 90 'docker ps >/dev/null'; rc=$?
    expect_rc "docker ps (first start)" 0 $rc || return 1
    pid=$(psh a 10 'pgrep -x dockerd')
    psh a 10 "kill -9 $pid"
    psh a 90 'docker ps >/dev/null'; rc=$?
    expect_rc "docker ps after kill -9 dockerd (second start)" 0 $rc
    out=$(psh a 10 "grep -E \"dockerd's config built|connection on .*: started \" $DLOG")
    show "the supervisor's log" "$out"
    expect_eq "builds logged" 2 "$(grep -c "dockerd's config built" <<<"$out")"
    expect_eq "dockerd starts logged" 2 "$(grep -c 'connection on .*: started ' <<<"$out")"
    expect_has "the first start's build" "$out" \
        "dockerd's config built for start 1 (builds by this supervisor: 1)"
    expect_has "the second start's build" "$out" \
        "dockerd's config built for start 2 (builds by this supervisor: 2)"
}

TESTS+=(config_mirror config_daemon_json_kept config_bad_input config_mtu
        config_data_root_volume config_pod_network config_changes config_built_once)
