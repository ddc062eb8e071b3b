#!/bin/sh
# install-engine.sh [rootless]: installs the Docker engine of the image's
# distribution, with BuildKit's CLI (buildx) and compose v2, for both
# executor images (their Dockerfiles run it; one copy of the choice).
#
# From Docker's apt repository where it is configured (the KubeOpenCode
# devbox has it for docker-ce-cli): docker-ce, docker-ce-cli, containerd.io,
# docker-buildx-plugin, docker-compose-plugin (and docker-ce-rootless-extras:
# dockerd-rootless.sh, rootlesskit). Otherwise the distribution's docker.io
# (its dockerd-rootless.sh is in /usr/share/docker.io/contrib, where lazydind
# looks) and rootlesskit, its CLI (docker-cli: a package of its own from
# Debian 13 on, a Recommends that --no-install-recommends leaves out),
# docker-buildx and compose v2 (Debian's docker-compose from 2.x on, Ubuntu's
# docker-compose-v2). Debian 12 has neither buildx nor compose v2: its image
# gets the engine alone (a note says so; a trixie or sid base has both).
# Both: iptables, ca-certificates; rootless also slirp4netns (network),
# uidmap (newuidmap and newgidmap, setuid root), fuse-overlayfs (storage on
# the pod's overlayfs) and iproute2 (ip, used by rootlesskit).
set -eu

rootless=
case "${1:-}" in
    rootless) rootless=1 ;;
    "") ;;
    *) echo "install-engine.sh: unknown argument '$1' (only 'rootless')" >&2; exit 2 ;;
esac

has() { apt-cache policy "$1" 2>/dev/null | grep -q 'Candidate: [0-9]'; }
candidate() { apt-cache policy "$1" 2>/dev/null | sed -n 's/^ *Candidate: //p'; }

docker_ce_packages() {
    echo "docker-ce docker-ce-cli containerd.io docker-buildx-plugin docker-compose-plugin" \
         "${rootless:+docker-ce-rootless-extras}"
}

distribution_packages() {
    p="docker.io${rootless:+ rootlesskit}"
    if has docker-cli; then p="$p docker-cli"; fi
    if has docker-buildx; then p="$p docker-buildx"
    else echo "note: no docker-buildx package: docker build uses the legacy builder" >&2; fi
    if has docker-compose-v2; then p="$p docker-compose-v2"
    elif has docker-compose && dpkg --compare-versions "$(candidate docker-compose)" ge 2; then
        p="$p docker-compose"
    else echo "note: no compose v2 package: no docker compose" >&2; fi
    echo "$p"
}

apt-get update
if has docker-ce; then engine=$(docker_ce_packages); else engine=$(distribution_packages); fi
extra="iptables ca-certificates${rootless:+ slirp4netns uidmap fuse-overlayfs iproute2}"
# shellcheck disable=SC2086  # word lists
DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $engine $extra
rm -rf /var/lib/apt/lists/*
command -v dockerd >/dev/null
[ -z "$rootless" ] || command -v rootlesskit >/dev/null
/usr/bin/docker --version
