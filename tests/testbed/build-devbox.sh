#!/bin/bash
# Build a Debian "devbox" image for the lazydind test bed.
#
#   build-devbox.sh TAG MIRROR_URL [SUITE]
#
# SUITE (default bookworm) is the Debian release whose Docker engine the
# image carries: bookworm (docker.io 20.10), trixie (26.1) or sid (28.5).
# mmdebstrap (minbase + the packages of devbox-packages.txt and of
# devbox-packages-SUITE.txt) writes a rootfs tarball that `docker import`
# turns into image TAG. A user `agent` (uid 1000) with /etc/subuid and
# /etc/subgid ranges is created for the rootless tests. Debian's real docker
# CLI stays at /usr/bin/docker (trixie and sid ship it in docker-cli, a
# Recommends of docker.io that minbase leaves out, so the list names it).
#
# bookworm has no buildx and only compose v1: its list takes docker-buildx
# and docker-compose (v2) from trixie (static Go programs; libc6 >= 2.34),
# with trixie pinned below bookworm so nothing else comes from there; the
# image's sources.list names bookworm alone afterwards.
#
# sid's Release file on the mirror is past its Valid-Until date, so the
# check is off for sid (in the image too: its apt.conf.d keeps the option).
#
# The image tag chosen by lib.sh hashes this file and the package lists, so
# editing any of them makes the next run rebuild the image.
set -euo pipefail

usage='usage: build-devbox.sh TAG MIRROR_URL [bookworm|trixie|sid]'
tag=${1:?$usage}
mirror=${2:?$usage}
suite=${3:-bookworm}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
[ -f "$here/devbox-packages-$suite.txt" ] || { echo "$usage" >&2; exit 2; }

# Package list: strip comments and blank lines, join with commas.
pkgs=$(sed -e 's/#.*//' -e 's/[[:space:]]//g' "$here/devbox-packages.txt" \
           "$here/devbox-packages-$suite.txt" | grep -v '^$' | paste -sd, -)

opts=(--aptopt='APT::Install-Recommends "false"')
sources=("deb $mirror $suite main")
hooks=()
case $suite in
bookworm)
    sources+=("deb $mirror trixie main")
    opts+=(--aptopt='APT::Default-Release "bookworm"')
    hooks+=(--customize-hook='echo "deb '"$mirror"' bookworm main" >"$1/etc/apt/sources.list"') ;;
sid)
    opts+=(--aptopt='Acquire::Check-Valid-Until "false"') ;;
esac

work=$(mktemp -d /var/tmp/lazydind-devbox.XXXXXX)
trap 'rm -rf "$work"' EXIT

mmdebstrap \
    --mode=root \
    --variant=minbase \
    "${opts[@]}" \
    --include="$pkgs" \
    --customize-hook='chroot "$1" useradd --create-home --uid 1000 --user-group --shell /bin/bash agent' \
    --customize-hook='echo agent:100000:65536 >"$1/etc/subuid"; echo agent:100000:65536 >"$1/etc/subgid"' \
    --customize-hook='mkdir -p "$1/workspace"' \
    "${hooks[@]}" \
    "$suite" "$work/rootfs.tar" "${sources[@]}" >&2

docker import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV LANG=C.UTF-8' \
    --change 'WORKDIR /workspace' \
    --change 'CMD ["/bin/bash"]' \
    "$work/rootfs.tar" "$tag" >/dev/null
