# shellcheck shell=bash
# lazydind test bed: host Docker, locally built images, and "pods".
#
# Source this file from bash (tests, benchmarks, .ci/run); it defines tb_*
# functions and TB_* variables, exports DOCKER_BUILDKIT=0 and changes no
# shell options. Everything is built locally (no registry is reachable): a
# FROM-scratch busybox image, a Debian bookworm devbox image made with
# mmdebstrap, a derived image with a local registry holding that busybox
# image, and the pod image with lazydind.
#
# A "pod" is a host container run like a privileged KubeOpenCode pod: its
# command is overridden (sh -c 'sleep infinity'), HOME=/tmp, and it gets the
# closest thing to --privileged this machine allows (TB_PRIV_FLAGS).
# tests/testbed/kubepod starts pods from manifests instead (deploy/'s Agents),
# as a kubelet would, and uses TB_PRIV_FLAGS for privileged: true (README).
#
# Typical use:
#   . tests/testbed/lib.sh
#   tb_ensure_host_docker
#   tb_pod_image ./lazydind            # builds all the images it needs
#   trap tb_pod_cleanup_all EXIT
#   tb_pod_run t1 && tb_pod_registry_start t1
#   tb_pod_exec t1 docker run --rm 127.0.0.1:5000/busybox echo hello
#
# Functions print progress on stderr; those that make an image print its
# tag on stdout.

TB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TB_POD_PREFIX=lazydind-e2e-          # every pod's name starts with this
TB_POD_LABEL=lazydind-e2e=1          # and carries this label
TB_RUN_ID=${TB_RUN_ID:-}             # if set, also label lazydind-e2e.run=ID
# The Debian suite whose Docker engine the devbox image carries: bookworm
# (docker.io 20.10, the default), trixie (26.1) or sid (28.5); each with
# buildx and compose v2 (devbox-packages-SUITE.txt).
TB_ENGINE=${TB_ENGINE:-bookworm}
TB_POD_IMAGE=lazydind-pod:test
[ "$TB_ENGINE" = bookworm ] || TB_POD_IMAGE=lazydind-pod:test-$TB_ENGINE
TB_BUSYBOX_IMAGE=lazydind-test/busybox:1
TB_HOST_DOCKERD_LOG=${TB_HOST_DOCKERD_LOG:-/var/log/lazydind-testbed-dockerd.log}
# In-pod registry (baked into the registry devbox image).
TB_REGISTRY=127.0.0.1:5000
# shellcheck disable=SC2034  # used by the tests
TB_REGISTRY_BUSYBOX=$TB_REGISTRY/busybox

# What a privileged pod can do here: `docker run --privileged` fails on this
# kind of machine (the bounding set lacks CAP_SYS_RESOURCE), so spell it out.
TB_PRIV_FLAGS=(
    --cap-add ALL --cap-drop SYS_RESOURCE
    --security-opt seccomp=unconfined
    --security-opt apparmor=unconfined
    --security-opt systempaths=unconfined
    --device-cgroup-rule='a *:* rwm'
    --cgroupns host
    -v /sys/fs/cgroup:/sys/fs/cgroup:rw
)

# The legacy builder works with every CLI/daemon pair on these machines.
export DOCKER_BUILDKIT=0

# tb_log MSG...: progress message on stderr.
tb_log() { printf 'testbed: %s\n' "$*" >&2; }

# tb_apt_mirror: print the URI of the apt source whose suite is "bookworm",
# read from /etc/apt/sources.list.d/*.sources (deb822) or *.list (one-line
# "deb URL suite comp..."), then /etc/apt/sources.list.
tb_apt_mirror() {
    local f
    for f in /etc/apt/sources.list.d/*.sources; do
        [ -f "$f" ] || continue
        # deb822: stanzas separated by blank lines; want URIs of the stanza
        # whose Suites contain exactly "bookworm".
        awk '
            function flush() { if (hit && !off && uri != "") { print uri; found = 1; exit }
                               hit = 0; off = 0; uri = "" }
            /^[[:space:]]*$/ { flush(); next }
            /^[[:space:]]*#/ { next }
            tolower($1) == "uris:"   { uri = $2 }
            tolower($1) == "suites:" { for (i = 2; i <= NF; i++) if ($i == "bookworm") hit = 1 }
            tolower($1) == "enabled:" && tolower($2) == "no" { off = 1 }
            END { if (!found) flush() }
        ' "$f" | head -n1 | grep . && return 0
    done
    for f in /etc/apt/sources.list.d/*.list /etc/apt/sources.list; do
        [ -f "$f" ] || continue
        # "deb [opts] URL suite comp..." -- skip the optional [opts] field.
        awk '
            $1 == "deb" { i = 2; if ($i ~ /^\[/) { while ($i !~ /\]$/) i++; i++ }
                          if ($(i+1) == "bookworm") { print $i; exit } }
        ' "$f" | head -n1 | grep . && return 0
    done
    tb_log "no apt source with suite bookworm found in /etc/apt"
    return 1
}

# tb_apt_install PKG...: apt-get install the packages not yet installed;
# runs `apt-get update` once per shell before the first install.
tb_apt_install() {
    local p missing=()
    for p in "$@"; do
        [ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" = "install ok installed" ] || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ -z "${TB_APT_UPDATED:-}" ]; then
        tb_log "apt-get update"
        apt-get update -qq >&2 || return 1
        TB_APT_UPDATED=1
    fi
    tb_log "apt-get install ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
}

# tb_wait_docker SECONDS: wait until `docker info` answers; 1 on timeout.
tb_wait_docker() {
    local deadline=$((SECONDS + ${1:-60}))
    until docker info >/dev/null 2>&1; do
        [ $SECONDS -ge $deadline ] && return 1
        sleep 0.5
    done
}

# tb_ensure_host_docker: install the host-side packages and make sure a host
# dockerd answers (starting one in the background if needed, waiting up to
# $TB_DOCKER_WAIT s, default 60). Returns non-zero if no engine could be had.
tb_ensure_host_docker() {
    tb_apt_install docker.io containerd runc iptables mmdebstrap busybox-static \
        docker-registry curl ca-certificates || return 1
    docker info >/dev/null 2>&1 && return 0
    tb_log "starting host dockerd (log: $TB_HOST_DOCKERD_LOG)"
    setsid nohup dockerd >"$TB_HOST_DOCKERD_LOG" 2>&1 </dev/null &
    if ! tb_wait_docker "${TB_DOCKER_WAIT:-60}"; then
        tb_log "host dockerd did not answer within ${TB_DOCKER_WAIT:-60} s; last log lines:"
        tail -n 20 "$TB_HOST_DOCKERD_LOG" >&2
        return 1
    fi
}

# tb_image_exists REF: true if the host engine has image REF.
tb_image_exists() { docker image inspect "$1" >/dev/null 2>&1; }

# tb_docker_build TAG CONTEXT_DIR: docker build quietly; shows the build
# output on stderr only if it fails.
tb_docker_build() {
    local out
    out=$(docker build -t "$1" "$2" 2>&1) && return 0
    printf '%s\n' "$out" >&2
    tb_log "docker build of $1 failed"
    return 1
}

# tb_hash FILE...: short content hash of the files (and their order).
tb_hash() { cat "$@" | sha256sum | cut -c1-12; }

# tb_busybox_image: build $TB_BUSYBOX_IMAGE (FROM scratch + busybox-static)
# unless that tag exists; prints the tag.
tb_busybox_image() {
    if ! tb_image_exists "$TB_BUSYBOX_IMAGE"; then
        tb_log "building $TB_BUSYBOX_IMAGE"
        local ctx
        ctx=$(mktemp -d) || return 1
        cp /bin/busybox "$ctx/busybox" || { rm -rf "$ctx"; return 1; }
        printf '%s\n' 'FROM scratch' 'COPY busybox /bin/busybox' \
            'RUN ["/bin/busybox","--install","-s","/bin"]' 'CMD ["/bin/sh"]' >"$ctx/Dockerfile"
        tb_docker_build "$TB_BUSYBOX_IMAGE" "$ctx"
        local rc=$?
        rm -rf "$ctx"
        [ $rc -eq 0 ] || return $rc
    fi
    echo "$TB_BUSYBOX_IMAGE"
}

# tb_devbox_image: build the Debian devbox image of $TB_ENGINE with
# mmdebstrap (build-devbox.sh) unless it exists; prints its tag,
# lazydind-devbox:<hash of the suite, the package lists and the build
# script> (bookworm) or lazydind-devbox-SUITE:<hash>. Takes 1-2 minutes when
# cold.
tb_devbox_image() {
    local tag mirror t0=$SECONDS suite=$TB_ENGINE repo=lazydind-devbox
    [ -f "$TB_DIR/devbox-packages-$suite.txt" ] ||
        { tb_log "TB_ENGINE=$suite: no such engine (bookworm, trixie or sid)"; return 1; }
    [ "$suite" = bookworm ] || repo=$repo-$suite
    tag=$repo:$( { echo "$suite"; cat "$TB_DIR/devbox-packages.txt" \
        "$TB_DIR/devbox-packages-$suite.txt" "$TB_DIR/build-devbox.sh"; } | sha256sum | cut -c1-12)
    if ! tb_image_exists "$tag"; then
        mirror=$(tb_apt_mirror) || return 1
        tb_log "building $tag with mmdebstrap (1-2 minutes)"
        bash "$TB_DIR/build-devbox.sh" "$tag" "$mirror" "$suite" || return 1
        tb_log "built $tag in $((SECONDS - t0)) s"
    fi
    echo "$tag"
}

# tb_free_port: print a loopback TCP port nobody listens on.
tb_free_port() {
    local p
    for p in $(shuf -i 20000-40000 -n 50); do
        (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return 0; }
    done
    return 1
}

# tb_registry_config ADDR DIR: print a docker-registry config (no auth)
# listening on ADDR with filesystem storage in DIR.
tb_registry_config() {
    cat <<EOF
version: 0.1
log:
  level: warn
  fields:
    service: registry
storage:
  filesystem:
    rootdirectory: $2
  delete:
    enabled: true
http:
  addr: $1
EOF
}

# tb_registry_image: build lazydind-devbox-reg:<hash>, the devbox image plus
# a registry storage (/var/lib/docker-registry) holding the busybox test
# image as repository "busybox" and a config (/etc/docker/registry/config.yml)
# listening on 127.0.0.1:5000. The storage is filled by pushing to a
# temporary docker-registry on the host. Prints the tag.
tb_registry_image() {
    local devbox bb tag
    devbox=$(tb_devbox_image) || return 1
    bb=$(tb_busybox_image) || return 1
    tag=lazydind-devbox-reg:$( { docker image inspect -f '{{.Id}}' "$devbox" "$bb"
                                 declare -f tb_registry_image tb_registry_config tb_registry_push; } |
                               sha256sum | cut -c1-12)
    if ! tb_image_exists "$tag"; then
        tb_log "building $tag"
        local ctx rc
        ctx=$(mktemp -d /var/tmp/lazydind-reg.XXXXXX) || return 1
        tb_registry_push "$bb" "$ctx/storage" && {
            tb_registry_config 127.0.0.1:5000 /var/lib/docker-registry >"$ctx/config.yml"
            printf '%s\n' "FROM $devbox" \
                'COPY storage /var/lib/docker-registry' \
                'COPY config.yml /etc/docker/registry/config.yml' >"$ctx/Dockerfile"
            tb_docker_build "$tag" "$ctx"
        }
        rc=$?
        rm -rf "$ctx"
        [ $rc -eq 0 ] || return $rc
    fi
    echo "$tag"
}

# tb_registry_push IMAGE DIR: run a docker-registry on the host with storage
# DIR on a free loopback port, push IMAGE to it as <port>/busybox:latest,
# stop it. The host dockerd treats 127.0.0.0/8 registries as insecure.
tb_registry_push() {
    local image=$1 dir=$2 port pid rc=1
    port=$(tb_free_port) || return 1
    mkdir -p "$dir" || return 1
    tb_registry_config "127.0.0.1:$port" "$dir" >"$dir.yml"
    docker-registry serve "$dir.yml" >"$dir.log" 2>&1 &
    pid=$!
    for _ in $(seq 100); do
        curl -sf "http://127.0.0.1:$port/v2/" >/dev/null && break
        sleep 0.1
    done
    if docker tag "$image" "127.0.0.1:$port/busybox:latest" &&
       docker push "127.0.0.1:$port/busybox:latest" >&2; then
        rc=0
    else
        tb_log "push to host registry failed; its log:"; cat "$dir.log" >&2
    fi
    docker rmi "127.0.0.1:$port/busybox:latest" >/dev/null 2>&1
    kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
    rm -f "$dir.yml" "$dir.log"
    return $rc
}

# tb_pod_image LAZYDIND_BINARY: build $TB_POD_IMAGE (lazydind-pod:test): the
# registry devbox image + the binary at /usr/local/bin/lazydind + `lazydind
# install`. Rebuilt on every call (a few seconds). Prints the tag.
tb_pod_image() {
    local bin=${1:?usage: tb_pod_image LAZYDIND_BINARY} base ctx rc
    [ -f "$bin" ] || { tb_log "no such binary: $bin"; return 1; }
    base=$(tb_registry_image) || return 1
    ctx=$(mktemp -d) || return 1
    cp "$bin" "$ctx/lazydind" && chmod 755 "$ctx/lazydind" &&
    printf '%s\n' "FROM $base" 'COPY lazydind /usr/local/bin/lazydind' \
        'RUN ["/usr/local/bin/lazydind", "install"]' >"$ctx/Dockerfile" &&
    tb_docker_build "$TB_POD_IMAGE" "$ctx"
    rc=$?
    rm -rf "$ctx"
    [ $rc -eq 0 ] || return $rc
    echo "$TB_POD_IMAGE"
}

# tb_pod_name NAME: the container name of pod NAME (adds $TB_POD_PREFIX).
tb_pod_name() {
    case $1 in "$TB_POD_PREFIX"*) echo "$1" ;; *) echo "$TB_POD_PREFIX$1" ;; esac
}

# tb_pod_run NAME [docker-run args...]: start pod NAME from $TB_POD_IMAGE
# (or $TB_POD_RUN_IMAGE) like KubeOpenCode does: command overridden with
# sh -c 'sleep infinity' (TB_POD_CMD, split on spaces, replaces it), HOME=/tmp,
# privileged emulation. Removes a stale pod of that name first.
tb_pod_run() {
    local name
    name=$(tb_pod_name "${1:?usage: tb_pod_run NAME [args...]}"); shift
    docker rm -f "$name" >/dev/null 2>&1
    docker run -d --name "$name" --label "$TB_POD_LABEL" \
        ${TB_RUN_ID:+--label "lazydind-e2e.run=$TB_RUN_ID"} "${TB_PRIV_FLAGS[@]}" \
        -e HOME=/tmp "$@" "${TB_POD_RUN_IMAGE:-$TB_POD_IMAGE}" \
        ${TB_POD_CMD:-sh -c 'sleep infinity'} >/dev/null
}

# tb_pod_exec NAME CMD...: run CMD in pod NAME (docker exec; stdin is passed
# through when it is not a terminal, so `echo x | tb_pod_exec p cat` works).
tb_pod_exec() {
    local name
    name=$(tb_pod_name "${1:?usage: tb_pod_exec NAME CMD...}"); shift
    docker exec -i "$name" "$@"
}

# tb_pod_sh NAME SCRIPT: run `sh -c SCRIPT` in pod NAME.
tb_pod_sh() { tb_pod_exec "$1" sh -c "$2"; }

# tb_pod_rm NAME: remove pod NAME; never fails.
tb_pod_rm() { docker rm -f "$(tb_pod_name "$1")" >/dev/null 2>&1 || true; }

# tb_pod_cleanup_all: remove every pod carrying $TB_POD_LABEL, or only those
# of run $TB_RUN_ID when that is set (for traps).
tb_pod_cleanup_all() {
    local ids label=$TB_POD_LABEL
    [ -n "$TB_RUN_ID" ] && label=lazydind-e2e.run=$TB_RUN_ID
    mapfile -t ids < <(docker ps -aq --filter "label=$label" 2>/dev/null)
    [ ${#ids[@]} -gt 0 ] && docker rm -f "${ids[@]}" >/dev/null 2>&1
    return 0
}

# tb_pod_registry_start NAME: start the baked-in registry in pod NAME in the
# background and wait (up to 20 s) until http://127.0.0.1:5000/v2/ answers.
tb_pod_registry_start() {
    local name
    name=$(tb_pod_name "${1:?usage: tb_pod_registry_start NAME}")
    docker exec -d "$name" sh -c \
        'exec docker-registry serve /etc/docker/registry/config.yml >/var/log/docker-registry.log 2>&1' || return 1
    for _ in $(seq 200); do
        docker exec "$name" curl -sf --max-time 2 -o /dev/null "http://$TB_REGISTRY/v2/" && return 0
        sleep 0.1
    done
    tb_log "registry in $name did not answer within 20 s; its log:"
    docker exec "$name" cat /var/log/docker-registry.log >&2
    return 1
}
