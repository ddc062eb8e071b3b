# shellcheck shell=bash
# End-to-end tests of the executor images (images/devbox-dind and
# images/devbox-dind-rootless). Sourced by run.sh, which provides pod_new,
# psh, expect_* and the TESTS list.
#
# Both images are built with `make images` from the local Debian devbox
# image (BASE and BUILDER), cached by a tag that hashes what goes into them
# (Makefile, src/, the Dockerfiles, mk/images.mk, the base image id), so a
# rerun with unchanged sources builds nothing. E2E_IMAGE_REV=<commit> builds
# lazydind from that commit instead of the work tree (make's IMAGE_REV). The
# pods come from deploy/'s Agents through tests/testbed/kubepod (kubepod.sh:
# kp_pod, kp_manifest), as KubeOpenCode and a kubelet would run them, hooks
# included; test_image_rootless's pod (devices given whole, fuse-overlayfs),
# which no manifest describes, is started from its own docker-run flags.
#
# On trixie and sid (E2E_ENGINE) BASE is the devbox with its Docker packages
# purged (img_base), so the Dockerfiles' own install of the distribution's
# engine, CLI, buildx and compose is what runs; on bookworm, which has no
# buildx or compose v2 to install, BASE is the devbox itself.

IMG_DIND_REPO=lazydind-devbox-dind
IMG_ROOTLESS_REPO=lazydind-devbox-dind-rootless
if [ "$TB_ENGINE" != bookworm ]; then
    IMG_DIND_REPO=$IMG_DIND_REPO-$TB_ENGINE
    IMG_ROOTLESS_REPO=$IMG_ROOTLESS_REPO-$TB_ENGINE
fi
IMG_BASE_PURGE='apt-get purge -y -qq docker.io docker-cli docker-buildx docker-compose containerd runc rootlesskit >/dev/null && apt-get autoremove -y -qq >/dev/null && ! command -v dockerd && ! test -e /usr/bin/docker'
IMG_LOCK=/tmp/lazydind-images.lock
# KubeOpenCode's environment for the executor container
IMG_KOC_ENV=(-e SHELL=/bin/bash -e PATH=/tools:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin)

# A busybox image made in the pod from /bin/busybox (no registry needed).
IMG_BB_IMPORT='d=$(mktemp -d) && mkdir "$d/bin" && cp /bin/busybox "$d/bin/" &&
    for a in sh echo cat id sleep; do ln -s busybox "$d/bin/$a"; done &&
    tar -C "$d" -c . | docker import - bb >/dev/null && rm -rf "$d"'

# img_hash: a short hash of everything the two images are built from.
img_hash() {
    local dev=$1
    {
        docker image inspect -f '{{.Id}}' "$dev"
        if [ -n "${E2E_IMAGE_REV:-}" ]; then
            git -C "$REPO" rev-parse "$E2E_IMAGE_REV:src" "$E2E_IMAGE_REV:Makefile" "$E2E_IMAGE_REV:images"
        else
            cat "$REPO/Makefile" "$REPO"/src/*/*.c "$REPO"/src/*/*.h "$REPO"/src/warmpath.ld
        fi
        cat "$REPO"/images/*/Dockerfile "$REPO"/images/*.sh "$REPO/mk/images.mk"
        echo "$IMG_BASE_PURGE"
    } | sha256sum | cut -c1-12
}

# img_base DEVBOX: print the BASE for make images: DEVBOX on bookworm, else
# lazydind-executor-base-SUITE:<hash>, DEVBOX without its Docker packages
# (an executor base as KubeOpenCode's is: tools, no engine), built once.
img_base() {
    local dev=$1 tag
    [ "$TB_ENGINE" = bookworm ] && { echo "$dev"; return 0; }
    tag=lazydind-executor-base-$TB_ENGINE:$( { docker image inspect -f '{{.Id}}' "$dev"
                                               echo "$IMG_BASE_PURGE"; } | sha256sum | cut -c1-12)
    if ! tb_image_exists "$tag"; then
        printf '%s\n' "FROM $dev" "RUN $IMG_BASE_PURGE" |
            docker build -q -t "$tag" - >/dev/null || return 1
    fi
    echo "$tag"
}

# img_ensure: set IMG_DIND and IMG_ROOTLESS to the images of the current
# sources, building them (once, under a lock shared by parallel tests) when
# missing. The build's output goes to $LOG_DIR/images-build.log.
img_ensure() {
    local dev base h t0=$SECONDS out
    dev=$(tb_devbox_image 2>>"$LOG_DIR/images-build.log") || { fail "no devbox image"; return 1; }
    h=$(img_hash "$dev") || { fail "cannot hash the image sources"; return 1; }
    IMG_DIND=$IMG_DIND_REPO:$h
    IMG_ROOTLESS=$IMG_ROOTLESS_REPO:$h
    (
        flock 9
        tb_image_exists "$IMG_DIND" && tb_image_exists "$IMG_ROOTLESS" && exit 0
        base=$(img_base "$dev" 2>>"$LOG_DIR/images-build.log") || exit 1
        echo "== make images ($IMG_DIND, $IMG_ROOTLESS) BASE=$base" >>"$LOG_DIR/images-build.log"
        make -C "$REPO" --no-print-directory images BASE="$base" BUILDER="$dev" \
            DIND_IMAGE="$IMG_DIND" ROOTLESS_IMAGE="$IMG_ROOTLESS" \
            IMAGE_REV="${E2E_IMAGE_REV:-}" >>"$LOG_DIR/images-build.log" 2>&1 || exit 1
        # older builds of these images
        docker images --format '{{.Repository}}:{{.Tag}}' |
            grep -E "^($IMG_DIND_REPO|$IMG_ROOTLESS_REPO):" |
            grep -vxF -e "$IMG_DIND" -e "$IMG_ROOTLESS" |
            xargs -r docker rmi >/dev/null 2>&1
        exit 0
    ) 9>"$IMG_LOCK"
    if [ $? -ne 0 ]; then
        fail "make images failed; the end of $LOG_DIR/images-build.log:"
        tail -n 30 "$LOG_DIR/images-build.log" | sed 's/^/    | /'
        return 1
    fi
    pass "images $IMG_DIND and $IMG_ROOTLESS ready ($((SECONDS - t0)) s)"
}

# img_dind_pod NAME [MANIFEST]: a pod of the devbox-dind image from
# deploy/agent-privileged.yaml (or MANIFEST) through kubepod.
img_dind_pod() {
    kp_pod "$1" "${2:-$REPO/deploy/agent-privileged.yaml}" --image "$IMG_DIND"
}

# img_rootless_k8s_pod NAME [PY]: a pod of the devbox-dind-rootless image
# from deploy/agent-rootless.yaml (edited by the python statements PY, see
# kp_manifest) through kubepod, on a node whose /dev/net/tun and /dev/fuse
# are mode 0666 (the node setup the manifest assumes).
img_rootless_k8s_pod() {
    local m=$LOG_DIR/$T_NAME-$1.yaml node=$LOG_DIR/$T_NAME-node
    kp_manifest "$m" agent-rootless.yaml --py "${2:-}"
    mkdir -p "$node/dev/net" && rm -f "$node/dev/fuse" "$node/dev/net/tun" &&
        mknod -m 666 "$node/dev/fuse" c 10 229 && mknod -m 666 "$node/dev/net/tun" c 10 200 ||
        { fail "mknod of the node's devices"; return 1; }
    kp_pod "$1" "$m" --image "$IMG_ROOTLESS" --node-root "$node"
}

# What deploy/extras/kyverno-userns.yaml adds to the rootless pod (without
# hostUsers: false, which cannot run here: tests/testbed/README).
IMG_PROC_UNMASKED="a['spec']['podSpec']['securityContext']['procMount'] = 'Unmasked'"

# img_rootless_pod NAME [docker-run args...]: a rootless pod from the
# devbox-dind-rootless image, with the user the image sets (no --user).
img_rootless_pod() {
    local name=$1; shift
    local TB_POD_RUN_IMAGE=$IMG_ROOTLESS
    local -a TB_PRIV_FLAGS=(
        --cap-add SYS_ADMIN --cap-add NET_ADMIN
        --security-opt seccomp=unconfined --security-opt apparmor=unconfined
        --security-opt systempaths=unconfined
    )
    pod_new "$name" "${IMG_KOC_ENV[@]}" "$@"
}

# 30. devbox-dind in a privileged pod: docker is lazydind, the first docker
#     command starts dockerd, run and build work, one dockerd, tmpfs
#     data-root; `lazydind stop` (the preStop hook) stops it.
test_image_dind() {
    img_ensure || return 1
    img_dind_pod a || return 1
    local out rc err
    expect_eq "docker on PATH resolves to" /usr/local/bin/lazydind \
        "$(psh a 10 'readlink -f "$(command -v docker)"')"
    expect_eq "user and directory (USER 0:0, WORKDIR /workspace)" "0:0 /workspace" \
        "$(psh a 10 'echo "$(id -u):$(id -g) $(pwd)"')"
    out=$(psh a 30 'lazydind doctor'); rc=$?
    expect_rc "lazydind doctor" 0 $rc
    expect_eq "its verdict on the pod" privileged "$(awk '$1 == "pod:" { print $2 }' <<<"$out")"
    expect_eq "its mode" rootful "$(awk '$1 == "mode:" { print $2 }' <<<"$out")"
    expect_eq "dockerd processes before any docker command" 0 "$(psh a 10 'pgrep -x dockerd | wc -l')"
    err=$(psh a 120 "$IMG_BB_IMPORT" 2>&1 >/dev/null); rc=$?
    expect_rc "first docker command (docker import of a busybox image)" 0 $rc
    expect_has "its stderr" "$err" "lazydind: starting Docker daemon"
    expect_has "its stderr" "$err" "lazydind: Docker daemon ready in"
    out=$(psh a 60 'docker run --rm bb echo hello'); rc=$?
    expect_rc "docker run --rm bb echo hello" 0 $rc
    expect_eq "its stdout" hello "$out"
    out=$(psh a 120 'printf "FROM bb\nRUN echo built > /x\n" | docker build -q -t t1 - >/dev/null && docker run --rm t1 cat /x'); rc=$?
    expect_rc "docker build from stdin, then run" 0 $rc
    expect_eq "its stdout" built "$out"
    expect_eq "live dockerd processes" 1 "$(psh a 10 "$LIVE_DOCKERD")"
    expect_eq "type of the mount at /var/lib/docker" tmpfs "$(psh a 10 "$VLD_FSTYPE")"
    out=$(psh a 60 'lazydind stop --timeout 20s 2>&1'); rc=$?
    expect_rc "lazydind stop --timeout 20s (preStop)" 0 $rc || show "its output" "$out"
    expect_eq "live dockerd processes after stop" 0 "$(psh a 10 "$LIVE_DOCKERD")"
}

# 31. devbox-dind with the postStart hook: `lazydind activate` returns at
#     once and starts no dockerd; an API client's first connection does.
test_image_dind_activate() {
    img_ensure || return 1
    img_dind_pod a || return 1
    local out rc ms
    out=$(psh a 30 's=$(date +%s%N); lazydind activate; rc=$?; e=$(date +%s%N); echo "$rc $(( (e - s) / 1000000 ))"')
    expect_eq "lazydind activate: exit status" 0 "${out%% *}"
    ms=${out##* }
    if [ "${ms:-99999}" -lt 2000 ] 2>/dev/null; then pass "activate returned in $ms ms"
    else fail "activate took $ms ms (a postStart hook must return quickly)"; fi
    expect_eq "dockerd processes after activate" 0 "$(psh a 10 'pgrep -x dockerd | wc -l')"
    expect_eq "the socket" socket "$(psh a 10 '[ -S /var/run/docker.sock ] && echo socket')"
    out=$(psh a 90 'curl -s --unix-socket /var/run/docker.sock http://docker/version'); rc=$?
    expect_rc "curl /version on the socket (no docker CLI)" 0 $rc
    expect_has "its answer" "$out" '"ApiVersion"'
    expect_eq "live dockerd processes" 1 "$(psh a 10 "$LIVE_DOCKERD")"
    psh a 60 "$IMG_BB_IMPORT" || fail "docker import of a busybox image"
    out=$(psh a 60 "python3 -c 'import docker; print(docker.from_env().containers.run(\"bb\", [\"echo\", \"hi from python\"], remove=True).decode().strip())'" 2>&1); rc=$?
    expect_rc "python3-docker runs a container" 0 $rc
    expect_eq "its output" "hi from python" "$(tail -n1 <<<"$out")"
}

# 32. The PVC variant: LAZYDIND_DATA_ROOT on the workspace volume (ext4
#     here): no tmpfs, overlay2, and the images are still there in a new pod
#     on the same volume.
test_image_dind_persistent() {
    img_ensure || return 1
    local m=$LOG_DIR/$T_NAME.yaml out rc
    # deploy/agent-persistent.yaml's persistence and extraEnv on the
    # privileged Agent (the PVC outlives the pods; kp_cleanup removes it)
    kp_manifest "$m" agent-privileged.yaml --from agent-persistent.yaml
    img_dind_pod a "$m" || return 1
    psh a 120 "$IMG_BB_IMPORT"; rc=$?
    expect_rc "first docker command (import)" 0 $rc
    expect_eq "data-root and storage driver" "/workspace/.docker-data overlay2" \
        "$(psh a 30 'docker info --format "{{.DockerRootDir}} {{.Driver}}"')"
    expect_eq "filesystem of the data-root" ext2/ext3 "$(psh a 10 'stat -fc %T /workspace/.docker-data')"
    expect_eq "mount at /var/lib/docker" none "$(psh a 10 "$VLD_FSTYPE")"
    out=$(psh a 60 'lazydind stop 2>&1'); rc=$?
    expect_rc "lazydind stop" 0 $rc || show "its output" "$out"
    tb_pod_rm "$(pod a)"
    img_dind_pod b "$m" || return 1
    out=$(psh b 120 'docker run --rm bb echo still here'); rc=$?
    expect_rc "docker run --rm bb in a new pod on the same volume (no import)" 0 $rc
    expect_eq "its stdout" "still here" "$out"
    psh b 60 'lazydind stop >/dev/null 2>&1'
}

# 33. devbox-dind-rootless as the image says (USER 1000:0, XDG_RUNTIME_DIR),
#     HOME=/tmp as KubeOpenCode sets it, devices given and made openable by
#     uid 1000: docker runs as uid 1000, fuse-overlayfs, nothing runs as root;
#     stop, then activate (eager in rootless mode) serves the socket.
test_image_rootless() {
    img_ensure || return 1
    img_rootless_pod a --device /dev/fuse --device /dev/net/tun || return 1
    docker exec -u 0 "$(tb_pod_name "$(pod a)")" chmod 666 /dev/fuse /dev/net/tun ||
        { fail "could not make the devices openable"; return 1; }
    local out rc err
    expect_eq "user, XDG_RUNTIME_DIR, DOCKER_HOST" \
        "1000:0 /tmp/.docker/run unix:///tmp/.docker/run/docker.sock" \
        "$(psh a 10 'echo "$(id -u):$(id -g) $XDG_RUNTIME_DIR ${DOCKER_HOST:--}"')"
    expect_eq "runtime dir before the first start" absent \
        "$(psh a 10 '[ -e "$XDG_RUNTIME_DIR" ] || echo absent')"
    expect_eq "subordinate ids of uid 1000's user" "agent:100000:65536" \
        "$(psh a 10 'grep "^$(id -un):" /etc/subuid')"
    err=$(psh a 120 "$IMG_BB_IMPORT" 2>&1 >/dev/null); rc=$?
    expect_rc "first docker command (import) as uid 1000" 0 $rc
    expect_has "its stderr" "$err" "lazydind: starting Docker daemon (rootless)..."
    expect_eq "runtime dir made: owner and mode" "1000 700" "$(psh a 10 'stat -c "%u %a" "$XDG_RUNTIME_DIR"')"
    out=$(psh a 60 'docker run --rm bb id -u'); rc=$?
    expect_rc "docker run --rm bb id -u" 0 $rc
    expect_eq "uid in the container (root of the user namespace)" 0 "$out"
    out=$(psh a 120 'printf "FROM bb\nRUN echo built > /x\n" | docker build -q -t t1 - >/dev/null && docker run --rm t1 cat /x'); rc=$?
    expect_rc "docker build from stdin, then run" 0 $rc
    expect_eq "its stdout" built "$out"
    expect_eq "storage driver (data-root /tmp/.local/share/docker on overlayfs)" fuse-overlayfs \
        "$(psh a 30 'docker info --format {{.Driver}}')"
    expect_eq "processes running as root" 0 "$(psh a 10 'ps -eo user= | grep -c "^root"')"
    out=$(psh a 60 'lazydind stop --timeout 20s 2>&1'); rc=$?
    expect_rc "lazydind stop (preStop)" 0 $rc || show "its output" "$out"
    expect_eq "dockerd and rootlesskit left" 0 "$(psh a 10 'pgrep -x dockerd; pgrep -x rootlesskit' | wc -l)"
    out=$(psh a 30 'lazydind activate; echo "rc=$?"' 2>&1)
    expect_has "lazydind activate (optional postStart)" "$out" "rc=0"
    out=$(psh a 90 'i=0; until curl -sf --unix-socket "$XDG_RUNTIME_DIR/docker.sock" http://d/_ping; do
                       i=$((i + 1)); [ $i -gt 600 ] && exit 1; sleep 0.1; done')
    expect_eq "/_ping on \$XDG_RUNTIME_DIR/docker.sock after activate" OK "$out"
    psh a 60 'lazydind stop >/dev/null 2>&1'
}

# 34. The rootless pod as Kubernetes would make it from deploy/agent-rootless
#     .yaml: device nodes as hostPath bind mounts (mode 0666 on the "node",
#     no device cgroup rule), the data-root on an emptyDir-like volume,
#     DOCKER_HOST set for API clients. /dev/fuse cannot be opened then (the
#     runtime's default device rules allow tun, not fuse), and none is
#     needed: overlay2 on the volume.
test_image_rootless_k8s_devices() {
    img_ensure || return 1
    local out rc
    # the manifest's hostPath devices and emptyDir (a directory on the
    # node's disk, mode 0777); XDG_RUNTIME_DIR and DOCKER_HOST as it sets them
    img_rootless_k8s_pod b "$IMG_PROC_UNMASKED" || return 1
    out=$(psh b 10 '(exec 3<>/dev/net/tun) 2>&1 && echo tun-ok; (exec 3<>/dev/fuse) 2>&1 && echo fuse-ok')
    show "opening the hostPath-style device nodes as uid 1000" "$out"
    expect_has "opening /dev/net/tun" "$out" tun-ok
    out=$(psh b 30 'lazydind doctor'); rc=$?
    expect_rc "lazydind doctor" 0 $rc
    expect_eq "its verdict on the pod" rootless-capable "$(awk '$1 == "pod:" { print $2 }' <<<"$out")"
    expect_has "its fuse check" "$out" "not needed"
    psh b 120 "$IMG_BB_IMPORT"; rc=$?
    expect_rc "first docker command, with DOCKER_HOST set to the managed socket" 0 $rc
    out=$(psh b 60 'docker run --rm bb echo hello'); rc=$?
    expect_rc "docker run --rm bb echo hello" 0 $rc
    expect_eq "its stdout" hello "$out"
    expect_eq "data-root and storage driver" "/var/lib/docker-data/root overlay2" \
        "$(psh b 30 'docker info --format "{{.DockerRootDir}} {{.Driver}}"')"
    expect_eq "processes running as root" 0 "$(psh b 10 'ps -eo user= | grep -c "^root"')"
    psh b 60 'lazydind stop >/dev/null 2>&1'
}

# 35. Why deploy/agent-rootless.yaml needs an unmasked /proc: with the
#     runtime's masked paths the daemon starts but no container can.
test_image_rootless_masked_proc() {
    img_ensure || return 1
    local out rc
    # deploy/agent-rootless.yaml as it is, without the policy that unmasks /proc
    img_rootless_k8s_pod a || return 1
    docker exec -u 0 "$(tb_pod_name "$(pod a)")" chmod 666 /dev/fuse /dev/net/tun ||
        { fail "could not make the devices openable"; return 1; }
    out=$(psh a 30 'lazydind doctor'); rc=$?
    expect_rc "lazydind doctor with a masked /proc" 1 $rc
    expect_eq "its proc check" fail "$(awk '$2 == "proc" { print $1; exit }' <<<"$out")"
    expect_has "its fix" "$out" "procMount: Unmasked"
    # the daemon may start (the container then cannot), or lazydind's
    # preflight may refuse at once with the doctor's explanation
    out=$(psh a 120 "$IMG_BB_IMPORT && docker run --rm bb echo hello" 2>&1); rc=$?
    if [ $rc -ne 0 ]; then pass "docker import + docker run with a masked /proc fail (exit $rc)"
    else fail "docker run worked with a masked /proc"; fi
    if grep -qE 'error mounting "proc"|procMount' <<<"$out"; then
        pass "the error names the cause: $(grep -E -m1 'error mounting "proc"|procMount' <<<"$out" | cut -c1-160)"
    else fail "the error does not name the masked /proc:"; show "output" "$out"; fi
    psh a 60 'lazydind stop >/dev/null 2>&1'
}

# 36. The mirror/proxy variant (deploy/agent-mirror.yaml): the registry
#     mirror from LAZYDIND_REGISTRY_MIRRORS and the proxy that spec.proxy
#     injects reach dockerd.
test_image_dind_mirror() {
    img_ensure || return 1
    local m=$LOG_DIR/$T_NAME.yaml out rc
    # deploy/agent-mirror.yaml's proxy and extraEnv on the privileged Agent
    kp_manifest "$m" agent-privileged.yaml --from agent-mirror.yaml
    img_dind_pod a "$m" || return 1
    out=$(psh a 120 'docker info --format "{{json .RegistryConfig.Mirrors}} {{.HTTPProxy}} {{.HTTPSProxy}} {{.NoProxy}}"'); rc=$?
    expect_rc "docker info (first command)" 0 $rc
    expect_has "registry mirrors" "$out" '"https://mirror.corp.example.com/"'
    expect_has "dockerd's HTTPS proxy" "$out" " http://proxy.corp.example.com:8080 "
    expect_has "dockerd's NO_PROXY" "$out" "mirror.corp.example.com"
}

# 37. devbox-dind has BuildKit's CLI and compose v2 from the Dockerfile's
#     install (on trixie and sid; bookworm's come with the devbox base):
#     docker build goes through BuildKit, compose brings a project up on a
#     user-defined network and down again.
test_image_dind_plugins() {
    img_ensure || return 1
    img_dind_pod a || return 1
    local out rc err
    expect_has "docker buildx version" "$(psh a 30 'docker buildx version 2>&1')" "github.com/docker/buildx"
    expect_has "docker compose version" "$(psh a 30 'docker compose version 2>&1')" "Docker Compose version"
    psh a 120 "$IMG_BB_IMPORT" || { fail "docker import of a busybox image"; return 1; }
    err=$(psh a 120 'printf "FROM bb\nRUN echo built-by-buildkit > /x\n" |
        DOCKER_BUILDKIT=1 docker build --progress=plain -t t1 - 2>&1 >/dev/null'); rc=$?
    expect_rc "docker build (BuildKit) from stdin" 0 $rc || show "its output" "$err"
    expect_has "its output (BuildKit's progress)" "$err" "[internal] load build definition"
    expect_eq "docker run --rm t1 cat /x" built-by-buildkit "$(psh a 60 'docker run --rm t1 cat /x')"
    out=$(psh a 120 'mkdir -p /tmp/app && cd /tmp/app && printf "%s\n" "name: img" "services:" \
        "  s:" "    image: bb" "    command: [\"sleep\", \"60\"]" "    networks: [n]" "networks:" "  n: {}" >compose.yaml &&
        docker compose up -d 2>&1 && docker network ls --format "{{.Name}}" && docker compose down 2>&1 &&
        docker network ls --format "{{.Name}}"'); rc=$?
    expect_rc "docker compose up -d, then down, on network n" 0 $rc || show "its output" "$out"
    expect_has "the networks while up" "$out" "img_n"
    expect_eq "img_n after down" 1 "$(grep -c '^img_n$' <<<"$out")"
}

TESTS+=(image_dind_plugins)
TESTS+=(image_dind image_dind_activate image_dind_persistent image_rootless
        image_rootless_k8s_devices image_rootless_masked_proc image_dind_mirror)
