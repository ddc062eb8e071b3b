#!/usr/bin/env bash
# The main job, end to end: build lazydind into a Debian devbox image, run it
# as a KubeOpenCode-style pod (Command overridden to `sh -c 'sleep infinity'`,
# no entrypoint of ours), and let the agent's first `docker run` start Docker.
#
#   make demo            (or: bash demo/run.sh ./lazydind)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-./lazydind}
# shellcheck source=../tests/testbed/lib.sh
. tests/testbed/lib.sh

tb_ensure_host_docker
tb_pod_image "$bin" >/dev/null
trap 'tb_pod_rm demo' EXIT
tb_pod_run demo
# the image's local registry stands in for Docker Hub (no registry is
# reachable from this machine)
tb_pod_registry_start demo

echo "demo: pod is up; nothing Docker-related runs in it yet:"
tb_pod_sh demo 'ps -eo pid,args | grep -E "dockerd|lazydind" | grep -v grep || echo "  (no dockerd, no supervisor)"'
echo
echo "demo: the agent runs its first docker command:"
echo "  \$ docker run --rm $TB_REGISTRY_BUSYBOX echo hello from a lazily started Docker"
start=$(date +%s%N)
tb_pod_exec demo docker run --rm "$TB_REGISTRY_BUSYBOX" echo hello from a lazily started Docker
end=$(date +%s%N)
echo "demo: first docker run (daemon start + pull + run) took $(( (end - start) / 1000000 )) ms"
echo
start=$(date +%s%N)
tb_pod_exec demo docker run --rm "$TB_REGISTRY_BUSYBOX" echo second run
end=$(date +%s%N)
echo "demo: second docker run (daemon already up) took $(( (end - start) / 1000000 )) ms"
echo
echo "demo: lazydind status in the pod:"
tb_pod_exec demo lazydind status
