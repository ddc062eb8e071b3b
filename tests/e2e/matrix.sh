#!/bin/bash
# The engine matrix: the e2e suite runs whole on bookworm's docker.io 20.10
# (`make check`); this runs a representative subset on the other engines.
#
#   tests/e2e/matrix.sh [LAZYDIND_BINARY] [ENGINE...]
#
# ENGINE: trixie (docker.io 26.1) and sid (28.5) by default; bookworm works
# too. The devbox images of all of them are built first, at the same time
# (each is mostly apt downloads and dpkg). Then, one engine after the other,
# tests/e2e/run.sh runs MATRIX_TESTS with E2E_ENGINE set; each prints its own
# "N passed, N failed" line (.ci/run adds them up). Exits non-zero if any
# engine had a failure. Which tests and why: README.md in this directory.
set -u

E2E_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$E2E_DIR/../.." && pwd)
BIN=${1:-$REPO/lazydind}
[ $# -gt 0 ] && shift
ENGINES=("$@")
[ ${#ENGINES[@]} -gt 0 ] || ENGINES=(trixie sid)

# The subset, by group (README.md): what differs between engines is the
# daemon's start, its config keys, networking, storage and the clients, so
# each group keeps the tests that exercise those and drops the ones that
# only test lazydind's own logic again.
MATRIX_TESTS=(
    # core
    first_run parallel_first crash_recovery bad_config_reason bad_config_syntax
    no_daemon_needed passthrough
    # activation (and engine_activate_* below)
    activate_api_client activate_crash_rearm
    # configuration
    config_daemon_json_kept config_bad_input config_mtu config_pod_network config_changes
    # faults
    fault_kill_containerd fault_full_tmpfs fault_stale_socket
    # rootless (rootless_documented_env: the generated config through
    # dockerd-rootless.sh --config-file, docker build first)
    rootless_run rootless_no_xdg rootless_activation rootless_documented_env
    # preload (the image load API: dockerd 28 cancelled a half-closed load)
    preload_volume
    # current Docker: BuildKit, buildx, compose, docker-py and Node.js clients,
    # client-only plugins, the engine's version, MTU, min-api-version, the
    # containerd image store
    engine_build engine_buildx_load engine_compose engine_run engine_activate_python
    engine_activate_node engine_plugins_client_only engine_version_reported
    engine_network_mtu engine_min_api engine_containerd_store
)

# shellcheck source=../testbed/lib.sh
. "$REPO/tests/testbed/lib.sh"

# prebuild: every engine's devbox image at once; a failure shows in its run
prebuild() {
    local e t0=$SECONDS
    for e in "${ENGINES[@]}"; do
        ( TB_ENGINE=$e; tb_devbox_image >/dev/null 2>"/tmp/lazydind-matrix-$e.log" ||
              { echo "# devbox image for $e failed:"; sed 's/^/#   /' "/tmp/lazydind-matrix-$e.log" | tail -n 20; } ) &
    done
    wait
    echo "# devbox images for ${ENGINES[*]} ready in $((SECONDS - t0)) s"
}

main() {
    local e rc=0 t0
    prebuild
    for e in "${ENGINES[@]}"; do
        t0=$SECONDS
        echo "== engine $e: ${#MATRIX_TESTS[@]} tests"
        E2E_ENGINE=$e bash "$E2E_DIR/run.sh" "$BIN" "${MATRIX_TESTS[@]}" || rc=1
        echo "# engine $e: $((SECONDS - t0)) s"
    done
    return $rc
}

main
