#!/bin/bash
# Rehearse CI on a fresh Debian 12 machine (manual check; CI does not run it).
#
#   tests/testbed/fresh-ci.sh [REPO_DIR]
#
# Builds (once) a bare Debian bookworm minbase image with mmdebstrap, runs a
# container from it like a privileged pod (TB_PRIV_FLAGS) with its own
# /var/lib/docker volume (so its dockerd stores on ext4, as on a VM), copies
# in the repo's files (tracked and untracked-but-not-ignored, minus build
# outputs), and runs `bash .ci/run` there with CI=true and no stdin. The
# whole test bed (apt installs, host dockerd, devbox image, nested pods)
# then starts from nothing, which shows a missing install step that a green
# CI on a well-used machine would hide. Exits with .ci/run's status.
set -euo pipefail

repo=$(cd "${1:-$(dirname "${BASH_SOURCE[0]}")/../..}" && pwd)
. "$repo/tests/testbed/lib.sh"
tb_ensure_host_docker

name=lazydind-ci-sim
image=lazydind-fresh-debian:$(tb_hash "${BASH_SOURCE[0]}")
if ! tb_image_exists "$image"; then
    mirror=$(tb_apt_mirror)
    tmp=$(mktemp -d /var/tmp/lazydind-fresh.XXXXXX)
    tb_log "building $image"
    mmdebstrap --mode=root --variant=minbase bookworm "$tmp/rootfs.tar" "deb $mirror bookworm main" >&2
    docker import --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
        --change 'CMD ["/bin/bash"]' "$tmp/rootfs.tar" "$image" >/dev/null
    rm -rf "$tmp"
fi

cleanup() {
    docker rm -f "$name" >/dev/null 2>&1 || true
    docker volume rm "$name-docker" >/dev/null 2>&1 || true
}
cleanup
trap cleanup EXIT
# a VM has /dev/fuse and /dev/net/tun (the rootless tests use them); a
# container gets them only when asked
docker run -d --name "$name" "${TB_PRIV_FLAGS[@]}" -v "$name-docker:/var/lib/docker" \
    --device /dev/fuse --device /dev/net/tun \
    "$image" sleep infinity >/dev/null

# What a clone would hold: tracked and not-ignored files, no build outputs.
(cd "$repo" && git ls-files -co --exclude-standard -z |
    grep -zv -e '^lazydind$' -e '\.o$' -e '^tests/unit/[a-z]*/test_[^.]*$' |
    tar --null -T - -cf -) | docker exec -i "$name" sh -c 'mkdir -p /src && tar -xf - -C /src'
# CI puts a copy of shared/ beside the clone (the CRDs the manifests are
# checked against)
if [ -d "$repo/../shared" ]; then
    tar -C "$repo/.." -cf - shared | docker exec -i "$name" sh -c 'tar -xf - -C /'
fi

t0=$SECONDS
set +e
docker exec -e CI=true "$name" bash -c 'cd /src && bash .ci/run </dev/null'
rc=$?
set -e
tb_log ".ci/run in a fresh container: exit $rc after $((SECONDS - t0)) s"
exit $rc
