#!/bin/bash
# Build the Debian bookworm "devbox" image for the lazydind test bed.
#
#   build-devbox.sh TAG MIRROR_URL
#
# mmdebstrap (minbase + the packages of devbox-packages.txt) writes a rootfs
# tarball that `docker import` turns into image TAG. A user `agent` (uid 1000)
# with /etc/subuid and /etc/subgid ranges is created for later rootless work.
# Debian's real docker CLI stays at /usr/bin/docker.
#
# The image tag chosen by lib.sh hashes this file and the package list, so
# editing either one makes the next run rebuild the image.
set -euo pipefail

tag=${1:?usage: build-devbox.sh TAG MIRROR_URL}
mirror=${2:?usage: build-devbox.sh TAG MIRROR_URL}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# Package list: strip comments and blank lines, join with commas.
pkgs=$(sed -e 's/#.*//' -e 's/[[:space:]]//g' "$here/devbox-packages.txt" | grep -v '^$' | paste -sd, -)

work=$(mktemp -d /var/tmp/lazydind-devbox.XXXXXX)
trap 'rm -rf "$work"' EXIT

mmdebstrap \
    --mode=root \
    --variant=minbase \
    --aptopt='APT::Install-Recommends "false"' \
    --include="$pkgs" \
    --customize-hook='chroot "$1" useradd --create-home --uid 1000 --user-group --shell /bin/bash agent' \
    --customize-hook='echo agent:100000:65536 >"$1/etc/subuid"; echo agent:100000:65536 >"$1/etc/subgid"' \
    --customize-hook='mkdir -p "$1/workspace"' \
    bookworm "$work/rootfs.tar" "deb $mirror bookworm main" >&2

docker import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV LANG=C.UTF-8' \
    --change 'WORKDIR /workspace' \
    --change 'CMD ["/bin/bash"]' \
    "$work/rootfs.tar" "$tag" >/dev/null
