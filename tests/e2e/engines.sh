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

# 40. docker build (BuildKit, the default builder) as the first command in
#     a fresh pod: a COPY and a RUN, the image runs; buildx's default
#     builder is the engine itself (docker driver).
test_engine_build() {
    pod_new a --registry || return 1
    local out err rc
    psh a 10 "$ENG_CTX" || { fail "could not write the build context"; return 1; }
    err=$(psh a 180 "$(eng_buildkit_env) cd /workspace/ctx && docker build --progress=plain -t eb . 2>&1 >/dev/null"); rc=$?
    expect_rc "first command: docker build --progress=plain -t eb ." 0 $rc || show "its output" "$err"
    expect_has "its output" "$err" "lazydind: starting Docker daemon"
    # BuildKit's plain progress: numbered steps, the Dockerfile loaded as [internal]
    expect_has "its output (BuildKit's progress)" "$err" "[internal] load build definition from Dockerfile"
    expect_has "its output (BuildKit's progress)" "$err" "COPY file.txt /file.txt"
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
    err=$(psh a 180 'cd /workspace/ctx && docker buildx build --progress=plain --load -t bl . 2>&1 >/dev/null'); rc=$?
    expect_rc "first command: docker buildx build --load -t bl ." 0 $rc || show "its output" "$err"
    expect_has "its output" "$err" "lazydind: starting Docker daemon"
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
    err=$(psh a 180 'cd /workspace/app && docker compose up -d 2>&1'); rc=$?
    expect_rc "first command: docker compose up -d" 0 $rc || show "its output" "$err"
    expect_has "its output" "$err" "lazydind: starting Docker daemon"
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
    local out err rc port=18080
    err=$(psh a 120 "docker run -d --name web -p 127.0.0.1:$port:8080 $REG sh -c 'mkdir -p /www && echo hello-run >/www/index.html && echo serving && exec httpd -f -p 8080 -h /www' 2>&1 >/dev/null"); rc=$?
    expect_rc "first command: docker run -d -p 127.0.0.1:$port:8080 ... httpd" 0 $rc || show "its output" "$err"
    expect_has "its output" "$err" "lazydind: starting Docker daemon"
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

TESTS+=(engine_build engine_buildx_load engine_compose engine_run
        engine_activate_python engine_activate_node engine_plugins_client_only)
