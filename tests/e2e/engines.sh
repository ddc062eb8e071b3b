# shellcheck shell=bash
# End-to-end tests of what agents run on a current Docker: BuildKit builds
# (docker build through buildx's default builder, docker buildx build
# --load), compose v2 with a user-defined network, docker run with a
# published port, and socket activation with docker-py and with a Node.js
# client (dockerode). Each starts from a fresh pod, so the command tested is
# the one that starts dockerd. They run on every engine (E2E_ENGINE, see
# README.md). Sourced by run.sh, which provides pod_new, psh, expect_* and
# the TESTS list.

# shellcheck source=../testbed/npm.sh
. "$REPO/tests/testbed/npm.sh"

# A build context in the pod at /workspace/ctx: a Dockerfile with a COPY and
# a RUN from the pod's registry image.
ENG_CTX='mkdir -p /workspace/ctx && cd /workspace/ctx &&
    echo from-context >file.txt &&
    printf "FROM 127.0.0.1:5000/busybox\nCOPY file.txt /file.txt\nRUN echo \"built by \$(cat /file.txt)\" >/out\nCMD [\"cat\", \"/out\"]\n" >Dockerfile'

# The docker CLI of 20.10 builds with BuildKit only when asked (23.0 and
# later make buildx's `docker build` the default): what a user of each does.
eng_buildkit_env() {
    case $TB_ENGINE in bookworm) echo 'export DOCKER_BUILDKIT=1;' ;; esac
}

# A compose project: web (busybox httpd) and client, on a user-defined
# network appnet; the client fetches web's page by service name.
ENG_COMPOSE='mkdir -p /workspace/app && cat >/workspace/app/compose.yaml <<"EOF"
name: lzc
services:
  web:
    image: 127.0.0.1:5000/busybox
    command: ["sh", "-c", "mkdir -p /www && echo hello-compose >/www/index.html && exec httpd -f -p 8080 -h /www"]
    networks: [appnet]
  client:
    image: 127.0.0.1:5000/busybox
    command: ["sh", "-c", "for i in 1 2 3 4 5 6 7 8 9 10; do wget -qO- http://web:8080/ && exit 0; sleep 0.5; done; exit 1"]
    networks: [appnet]
    depends_on: [web]
    profiles: [client]
networks:
  appnet: {}
EOF'

# eng_first_command LABEL SECS CMD: CMD (it redirects its own streams) as
# the first docker command in pod a: it succeeds and starts the daemon,
# whose notice is in its output; the output stays in ENG_OUT for the test's
# own checks.
eng_first_command() {
    local label=$1 secs=$2 cmd=$3 rc
    ENG_OUT=$(psh a "$secs" "$cmd"); rc=$?
    expect_rc "first command: $label" 0 $rc || show "its output" "$ENG_OUT"
    expect_has "its output" "$ENG_OUT" "lazydind: starting Docker daemon"
}

# 40. docker build (BuildKit, the default builder) as the first command in
#     a fresh pod: a COPY and a RUN, the image runs; buildx's default
#     builder is the engine itself (docker driver).
test_engine_build() {
    pod_new a --registry || return 1
    local out rc
    psh a 10 "$ENG_CTX" || { fail "could not write the build context"; return 1; }
    eng_first_command "docker build --progress=plain -t eb ." 180 \
        "$(eng_buildkit_env) cd /workspace/ctx && docker build --progress=plain -t eb . 2>&1 >/dev/null"
    # BuildKit's plain progress: numbered steps, the Dockerfile loaded as [internal]
    expect_has "its output (BuildKit's progress)" "$ENG_OUT" "[internal] load build definition from Dockerfile"
    expect_has "its output (BuildKit's progress)" "$ENG_OUT" "COPY file.txt /file.txt"
    out=$(psh a 60 'docker run --rm eb'); rc=$?
    expect_rc "docker run --rm eb" 0 $rc
    expect_eq "its stdout" "built by from-context" "$out"
    out=$(psh a 30 'docker buildx ls 2>&1'); rc=$?
    expect_rc "docker buildx ls" 0 $rc
    show "docker buildx ls" "$out"
    expect_has "docker buildx ls (the default builder)" "$out" "default"
    expect_has "docker buildx ls (the engine's own BuildKit)" "$out" "docker"
    expect_eq "live dockerd processes" 1 "$(psh a 10 "$LIVE_DOCKERD")"
}

# 41. docker buildx build --load as the first command in a fresh pod: the
#     image lands in the engine's image store and runs; a second build of
#     the same context is served from BuildKit's cache.
test_engine_buildx_load() {
    pod_new a --registry || return 1
    local out err rc
    psh a 10 "$ENG_CTX" || { fail "could not write the build context"; return 1; }
    eng_first_command "docker buildx build --load -t bl ." 180 \
        'cd /workspace/ctx && docker buildx build --progress=plain --load -t bl . 2>&1 >/dev/null'
    expect_eq "docker image inspect bl: its command" '["cat","/out"]' \
        "$(psh a 30 "docker image inspect -f '{{json .Config.Cmd}}' bl")"
    out=$(psh a 60 'docker run --rm bl'); rc=$?
    expect_rc "docker run --rm bl" 0 $rc
    expect_eq "its stdout" "built by from-context" "$out"
    err=$(psh a 120 'cd /workspace/ctx && docker buildx build --progress=plain --load -t bl2 . 2>&1 >/dev/null'); rc=$?
    expect_rc "the same build again" 0 $rc
    expect_has "its output (the RUN step from BuildKit's cache)" "$err" "CACHED"
}

# 42. docker compose up/down with a user-defined network as the first
#     command in a fresh pod: both services reach each other by name; down
#     removes the containers and the network.
test_engine_compose() {
    pod_new a --registry || return 1
    local out err rc
    psh a 10 "$ENG_COMPOSE" || { fail "could not write compose.yaml"; return 1; }
    eng_first_command "docker compose up -d" 180 'cd /workspace/app && docker compose up -d 2>&1'
    expect_eq "docker compose ps: running services" web \
        "$(psh a 30 "cd /workspace/app && docker compose ps --status running --format '{{.Service}}'")"
    expect_eq "the project's network" lzc_appnet \
        "$(psh a 30 "docker network ls --filter label=com.docker.compose.project=lzc --format '{{.Name}}'")"
    expect_eq "its driver" bridge "$(psh a 30 "docker network inspect -f '{{.Driver}}' lzc_appnet")"
    out=$(psh a 120 'cd /workspace/app && docker compose run --rm client 2>/dev/null'); rc=$?
    expect_rc "docker compose run --rm client (wget http://web:8080/)" 0 $rc
    expect_eq "its stdout" hello-compose "$out"
    err=$(psh a 120 'cd /workspace/app && docker compose down 2>&1'); rc=$?
    expect_rc "docker compose down" 0 $rc || show "its output" "$err"
    expect_eq "containers left" "" "$(psh a 30 'docker ps -aq')"
    expect_eq "the project's network after down" "" \
        "$(psh a 30 "docker network ls --filter label=com.docker.compose.project=lzc --format '{{.Name}}'")"
}

# 43. docker run as the first command in a fresh pod: a detached server with
#     a published loopback port answers from the pod; exec, logs and rm work.
test_engine_run() {
    pod_new a --registry || return 1
    local out rc port=18080
    eng_first_command "docker run -d -p 127.0.0.1:$port:8080 ... httpd" 120 \
        "docker run -d --name web -p 127.0.0.1:$port:8080 $REG sh -c 'mkdir -p /www && echo hello-run >/www/index.html && echo serving && exec httpd -f -p 8080 -h /www' 2>&1 >/dev/null"
    out=$(psh a 30 "for i in 1 2 3 4 5 6 7 8 9 10; do curl -sf http://127.0.0.1:$port/ && exit 0; sleep 0.5; done; exit 1"); rc=$?
    expect_rc "curl http://127.0.0.1:$port/ in the pod" 0 $rc
    expect_eq "its body" hello-run "$out"
    expect_eq "docker exec web cat /www/index.html" hello-run "$(psh a 30 'docker exec web cat /www/index.html')"
    expect_eq "docker logs web" serving "$(psh a 30 'docker logs web 2>&1')"
    psh a 30 'docker rm -f web >/dev/null'; rc=$?
    expect_rc "docker rm -f web" 0 $rc
    expect_eq "containers left" "" "$(psh a 30 'docker ps -aq')"
}

# docker-py (Debian's python3-docker) on an activated socket, with the
# defaults (docker.from_env(): DOCKER_HOST unset): version, a user-defined
# network, a container on it.
ENG_PY='import docker
c = docker.from_env(timeout=120)
v = c.version()
print("engine", v["Version"], "api", v["ApiVersion"])
net = c.networks.create("pynet", driver="bridge")
out = c.containers.run("127.0.0.1:5000/busybox", ["echo", "hello from docker-py"], network="pynet", remove=True)
print(out.decode().strip())
net.remove()'

# 44. Socket activation with docker-py: `lazydind activate` (the postStart
#     hook), then a Python client's first connection starts dockerd, and it
#     pulls, creates a network and runs a container.
test_engine_activate_python() {
    pod_new a --registry || return 1
    local out rc
    out=$(psh a 30 'lazydind activate; echo "rc=$?"' 2>&1)
    expect_has "lazydind activate" "$out" "rc=0"
    expect_eq "dockerd processes after activate" 0 "$(psh a 10 'pgrep -x dockerd | wc -l')"
    out=$(psh a 180 "python3 -c '$ENG_PY'" 2>&1); rc=$?
    expect_rc "python3-docker: version, network, run (the first connection)" 0 $rc || show "its output" "$out"
    expect_has "its output" "$out" "engine $(psh a 10 'dockerd --version | sed "s/^Docker version \([^,+]*\).*/\1/"')"
    expect_eq "its last line" "hello from docker-py" "$(tail -n1 <<<"$out")"
    expect_eq "live dockerd processes" 1 "$(psh a 10 "$LIVE_DOCKERD")"
}

# 45. Socket activation with a Node.js client (dockerode from the npm
#     registry, installed on the host and copied in): its first connection
#     starts dockerd; it pulls, runs a container and reads its logs.
test_engine_activate_node() {
    pod_new a --registry || return 1
    local out rc
    tb_pod_node_clients "$(pod a)" || { fail "could not copy the Node.js clients into the pod"; return 1; }
    out=$(psh a 30 'lazydind activate; echo "rc=$?"' 2>&1)
    expect_has "lazydind activate" "$out" "rc=0"
    expect_eq "dockerd processes after activate" 0 "$(psh a 10 'pgrep -x dockerd | wc -l')"
    out=$(psh a 180 "cd /opt/lazydind-node && node dockerode-run.js $REG hello from node" 2>&1); rc=$?
    expect_rc "node dockerode-run.js (the first connection)" 0 $rc || show "its output" "$out"
    show "node's output" "$out"
    expect_eq "its last line" "hello from node" "$(tail -n1 <<<"$out")"
    expect_eq "live dockerd processes" 1 "$(psh a 10 "$LIVE_DOCKERD")"
}

# 46. The plugins' client-only invocations start nothing and skip the
#     preflight: in an unprivileged pod, where `docker ps` gets the
#     preflight's refusal, `docker compose version`, `docker buildx version`
#     and the plugins' --help print what the real CLI prints, exit 0, and
#     leave no dockerd, no supervisor and no lazydind notice.
test_engine_plugins_client_only() {
    local -a TB_PRIV_FLAGS=()
    pod_new a || return 1
    local out rc cmd real
    for cmd in 'compose version' 'buildx version' 'compose --help' 'compose up --help' \
               'buildx --help' 'buildx build --help' 'compose -f /nonexistent.yaml version'; do
        out=$(psh a 30 "docker $cmd 2>/tmp/err"); rc=$?
        expect_rc "docker $cmd (unprivileged pod)" 0 $rc
        real=$(psh a 30 "/usr/bin/docker $cmd 2>/dev/null")
        expect_eq "docker $cmd: stdout, as /usr/bin/docker's" "$real" "$out"
        expect_lacks "docker $cmd: stderr" "$(psh a 10 'cat /tmp/err')" "lazydind:"
    done
    expect_has "docker compose version" "$(psh a 30 'docker compose version')" "Docker Compose version"
    expect_has "docker buildx version" "$(psh a 30 'docker buildx version')" "github.com/docker/buildx"
    expect_eq "dockerd processes, supervisor.pid" "0 absent" \
        "$(psh a 10 'echo "$(pgrep -x dockerd | wc -l) $([ -e /run/lazydind/supervisor.pid ] && echo present || echo absent)"')"
    # the pod is one where the daemon cannot start: the preflight says so
    out=$(psh a 30 'docker ps 2>&1'); rc=$?
    expect_rc "docker ps in the unprivileged pod" 1 $rc
    expect_has "its message (the preflight's)" "$out" "lazydind:"
}

# The version `dockerd --version` prints in a pod ("28.5.2+dfsg4").
ENG_DOCKERD_VERSION='dockerd --version | sed -n "s/^Docker version \([^,]*\),.*/\1/p"'

# 47. The engine's version: status, doctor and config name it before
#     anything started and after; it is asked once per binary (the cache in
#     the runtime dir names the binary's dev:ino:mtime:size), and asked again
#     when the binary changes.
test_engine_version_reported() {
    pod_new a || return 1
    local v out rc id id2
    v=$(psh a 10 "$ENG_DOCKERD_VERSION")
    [ -n "$v" ] || { fail "dockerd --version printed no version"; return 1; }
    expect_has "lazydind status (nothing started)" "$(psh a 20 'lazydind status')" \
        "engine:        Docker $v (/usr/sbin/dockerd)"
    out=$(psh a 30 'lazydind doctor'); rc=$?
    expect_rc "lazydind doctor" 0 $rc
    expect_has "lazydind doctor" "$out" "info  engine              Docker $v (/usr/sbin/dockerd): serves API"
    expect_has "lazydind doctor" "$out" "ok    cli-api             the docker CLI /usr/bin/docker speaks API"
    expect_has "lazydind config" "$(psh a 20 'lazydind config')" "engine: Docker $v (/usr/sbin/dockerd)"
    psh a 90 'docker ps >/dev/null'; rc=$?
    expect_rc "docker ps (start)" 0 $rc
    expect_has "the log" "$(psh a 10 "cat $DLOG")" "lazydind: [info] engine: Docker $v (/usr/sbin/dockerd)"
    expect_has "lazydind status --json" "$(psh a 20 'lazydind status --json')" "\"version\": \"$v\""
    out=$(psh a 10 'cat /run/lazydind/engine')
    show "/run/lazydind/engine" "$out"
    id=$(sed -n 's/^id=//p' <<<"$out")
    expect_eq "the cache's binary id" "$(psh a 10 'stat -Lc "%d:%i:%Y" /usr/sbin/dockerd')" \
        "$(cut -d: -f1-3 <<<"$id" | sed 's/\.[0-9]*$//')"
    psh a 10 'touch /usr/sbin/dockerd'
    expect_has "lazydind status after the binary changed" "$(psh a 20 'lazydind status')" "Docker $v"
    id2=$(psh a 10 'sed -n "s/^id=//p" /run/lazydind/engine')
    if [ -n "$id2" ] && [ "$id2" != "$id" ]; then pass "the cache was renewed ($id -> $id2)"
    else fail "the cache still says '$id2' (was '$id')"; fi
}

# 48. The pod's MTU reaches user-defined networks (compose's project
#     network, docker network create) where dockerd has default-network-opts
#     (>= 24); on 20.10 the generated config leaves that key out (dockerd
#     would refuse it) and only docker0 gets the MTU.
test_engine_network_mtu() {
    local net="lazydind-e2e-emtu-$RUN_ID" out rc want
    trap 'tb_pod_rm "$(pod a)"; docker network rm "'"$net"'" >/dev/null 2>&1' EXIT
    docker network create -o com.docker.network.driver.mtu=1450 \
        --label "lazydind-e2e.run=$RUN_ID" "$net" >/dev/null || { fail "docker network create $net"; return 1; }
    pod_new a --registry --network "$net" || return 1
    psh a 10 "$ENG_COMPOSE" || { fail "could not write compose.yaml"; return 1; }
    out=$(psh a 180 'cd /workspace/app && docker compose up -d 2>&1'); rc=$?
    expect_rc "first command: docker compose up -d (pod MTU 1450)" 0 $rc || show "its output" "$out"
    case $TB_ENGINE in
    bookworm)
        want=1500
        expect_lacks "the generated config (dockerd 20.10)" "$(psh a 10 "cat $GEN")" default-network-opts ;;
    *)
        want=1450
        expect_has "the generated config" "$(psh a 10 "cat $GEN")" '"com.docker.network.driver.mtu": "1450"'
        expect_eq "lzc_appnet's driver MTU option" 1450 \
            "$(psh a 20 "docker network inspect lzc_appnet -f '{{index .Options \"com.docker.network.driver.mtu\"}}'")" ;;
    esac
    expect_eq "eth0 MTU in a container on the compose network" $want \
        "$(psh a 120 'cd /workspace/app && docker compose run --rm client cat /sys/class/net/eth0/mtu 2>/dev/null')"
    expect_eq "eth0 MTU in a container on docker0 (every engine)" 1450 \
        "$(psh a 60 "docker run --rm $REG cat /sys/class/net/eth0/mtu")"
    psh a 60 'cd /workspace/app && docker compose down >/dev/null 2>&1'
}

# 49. LAZYDIND_MIN_API_VERSION: a bad value is exit 2 naming it, nothing
#     started; a good one reaches dockerd >= 25 (DOCKER_MIN_API_VERSION:
#     Docker 29 serves 1.44 and later unless lowered; 25-28 serve 1.24 and
#     later and refuse a lower minimum, so here it is raised to 1.30, which a
#     client pinned to 1.25 then sees); doctor warns about a CLI older than
#     the engine's minimum and names the fix.
test_engine_min_api() {
    pod_new a || return 1
    local out rc
    out=$(psh a 30 'LAZYDIND_MIN_API_VERSION=banana docker ps 2>&1'); rc=$?
    expect_rc "LAZYDIND_MIN_API_VERSION=banana docker ps" 2 $rc
    expect_has "its message" "$out" "LAZYDIND_MIN_API_VERSION='banana' is not an API version from 1.24"
    out=$(psh a 30 'mkdir -p /etc/lazydind && echo "min-api-version = 1.20" >/etc/lazydind/lazydind.conf; docker ps 2>&1'); rc=$?
    expect_rc "min-api-version = 1.20 in lazydind.conf, docker ps" 2 $rc
    expect_has "its message" "$out" "/etc/lazydind/lazydind.conf:1:19: min-api-version='1.20' is not an API version from 1.24"
    psh a 10 'rm /etc/lazydind/lazydind.conf'
    expect_eq "dockerd processes" 0 "$(psh a 10 'pgrep -x dockerd | wc -l')"
    # doctor: a CLI pinned to API 1.25 (DOCKER_API_VERSION), the minimum 1.30
    out=$(psh a 30 'DOCKER_API_VERSION=1.25 LAZYDIND_MIN_API_VERSION=1.30 lazydind doctor')
    case $TB_ENGINE in
    bookworm)
        expect_has "doctor: a CLI at API 1.25 (20.10 serves 1.12 and later, reads no minimum)" \
            "$out" "ok    cli-api" ;;
    *)
        expect_has "doctor: a CLI at API 1.25, min-api-version 1.30" "$out" \
            "warn  cli-api             the docker CLI /usr/bin/docker speaks API 1.25, older than dockerd"
        expect_has "its fix" "$out" "fix: LAZYDIND_MIN_API_VERSION=1.25"
        expect_has "doctor without min-api-version" \
            "$(psh a 30 'DOCKER_API_VERSION=1.25 lazydind doctor')" "ok    cli-api" ;;
    esac
    psh a 90 'LAZYDIND_MIN_API_VERSION=1.30 docker ps >/dev/null'; rc=$?
    expect_rc "LAZYDIND_MIN_API_VERSION=1.30 docker ps (start)" 0 $rc
    out=$(psh a 30 "docker version --format '{{.Server.MinAPIVersion}}'")
    case $TB_ENGINE in
    bookworm)
        expect_eq "the engine's minimum API version (20.10: 1.12, no setting)" 1.12 "$out"
        expect_has "the log" "$(psh a 10 "cat $DLOG")" "min-api-version 1.30: nothing to set" ;;
    *)
        expect_eq "the engine's minimum API version" 1.30 "$out"
        expect_has "dockerd's environment" \
            "$(psh a 10 'tr "\0" "\n" </proc/$(pgrep -x dockerd)/environ')" "DOCKER_MIN_API_VERSION=1.30"
        out=$(psh a 30 'DOCKER_API_VERSION=1.25 docker ps 2>&1'); rc=$?
        expect_rc "docker ps with the CLI pinned to API 1.25" 1 $rc
        expect_has "its message (dockerd's)" "$out" "Minimum supported API version is 1.30" ;;
    esac
    out=$(psh a 30 'DOCKER_API_VERSION=1.30 docker version --format "{{.Server.APIVersion}}" 2>&1'); rc=$?
    expect_rc "docker version with the CLI pinned to API 1.30" 0 $rc || show "its output" "$out"
}

# The containerd image store (Docker 29's default) in daemon.json.
ENG_SNAPSHOTTER='mkdir -p "$(dirname "$1")" && echo "{\"features\": {\"containerd-snapshotter\": true}}" >"$1"'

# 50. The containerd image store on an overlay data-root: with lazydind's
#     tmpfs (the default) its snapshots (<data-root>/containerd) are on the
#     tmpfs and the first docker run works; with LAZYDIND_TMPFS=never they
#     would be on overlayfs, where its overlayfs snapshotter fails every run
#     with "invalid argument": lazydind picks the native snapshotter
#     instead, says so once, and docker run works; as uid 1000 (rootless,
#     where fuse-overlayfs is a graph driver only) likewise. On 20.10 the
#     feature does not exist and the graph driver is used.
test_engine_containerd_store() {
    pod_new a --registry || return 1
    local out rc err store
    psh a 10 "set -- /etc/docker/daemon.json; $ENG_SNAPSHOTTER" || { fail "daemon.json"; return 1; }
    out=$(psh a 120 "docker run --rm $REG echo via-containerd-store 2>/dev/null"); rc=$?
    expect_rc "first command: docker run (containerd image store, tmpfs data-root)" 0 $rc
    expect_eq "its stdout" via-containerd-store "$out"
    store=$(psh a 30 "docker info --format '{{.Driver}} {{json .DriverStatus}}'")
    show "docker info: driver" "$store"
    case $TB_ENGINE in
    bookworm) expect_eq "storage driver (20.10 has no containerd store)" overlay2 "${store%% *}" ;;
    *)        expect_has "docker info: the containerd store" "$store" io.containerd.snapshotter.v1
              expect_eq "filesystem of <data-root>/containerd" tmpfs \
                  "$(psh a 10 'stat -fc %T /var/lib/docker/containerd')" ;;
    esac
    # (20.10 has no containerd store: LAZYDIND_TMPFS=never there is the graph
    # driver's fallback, which is not this test's)
    if [ "$TB_ENGINE" != bookworm ]; then
        pod_new b --registry || return 1
        psh b 10 "set -- /etc/docker/daemon.json; $ENG_SNAPSHOTTER"
        out=$(psh b 180 "LAZYDIND_TMPFS=never docker run --rm $REG echo on-overlay 2>/tmp/err"); rc=$?
        err=$(psh b 10 'cat /tmp/err')
        expect_rc "LAZYDIND_TMPFS=never: docker run (data-root on overlayfs)" 0 $rc || show "its stderr" "$err"
        expect_eq "its stdout" on-overlay "$out"
        expect_has "its stderr (the notice, once)" "$err" \
            "lazydind: the containerd image store keeps its snapshots in /var/lib/docker/containerd, which is on overlayfs"
        expect_eq "storage driver" native "$(psh b 30 "docker info --format '{{.Driver}}'")"
        expect_has "lazydind config" "$(psh b 20 'LAZYDIND_TMPFS=never lazydind config')" \
            'storage-driver           "native"                           auto: the containerd image store'
    fi
    # rootless, data-root in $HOME on the pod's overlayfs
    rootless_pod c || return 1
    psh c 10 "set -- \$HOME/.config/docker/daemon.json; $ENG_SNAPSHOTTER"
    out=$(psh c 180 "$BB_IMPORT && docker run --rm bb echo rootless-store" 2>&1); rc=$?
    expect_rc "rootless: docker import + docker run (containerd image store)" 0 $rc || show "its output" "$out"
    expect_eq "its last line" rootless-store "$(tail -n1 <<<"$out")"
    case $TB_ENGINE in
    bookworm) expect_eq "rootless storage driver (20.10)" fuse-overlayfs "$(psh c 30 "docker info --format '{{.Driver}}'")" ;;
    *)        expect_eq "rootless storage driver" native "$(psh c 30 "docker info --format '{{.Driver}}'")" ;;
    esac
}

TESTS+=(engine_build engine_buildx_load engine_compose engine_run
        engine_activate_python engine_activate_node engine_plugins_client_only
        engine_version_reported engine_network_mtu engine_min_api
        engine_containerd_store)
