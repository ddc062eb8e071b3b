#!/bin/bash
# Baseline for the lazydind benchmark: the lazy-init docker wrapper from the
# KubeOpenCode "Docker in Docker" guide (docker-lazy-init.sh), kept as is
# except for its paths:
#   - the real CLI is /usr/bin/docker (the guide moves it to docker.real);
#   - lock, log and pid file live in a root-only directory instead of /tmp
#     (created 0700 on the cold path only, so the warm path costs nothing
#     more than the guide's).
# Its behaviour is the guide's: `docker info` before every call, flock on a
# lock file (whose fd 200 dockerd inherits), `sleep 1` polling, a 30 s limit.
# Not used by lazydind; only bench/run.sh calls it, by absolute path.
DOCKER_REAL="/usr/bin/docker"
STATE_DIR="/run/docker-lazy-init"
DOCKERD_LOG="${STATE_DIR}/dockerd.log"
DOCKERD_PIDFILE="${STATE_DIR}/dockerd.pid"
# Check if dockerd is already running
if ! ${DOCKER_REAL} info >/dev/null 2>&1; then
    [ -d "${STATE_DIR}" ] || mkdir -m 0700 "${STATE_DIR}"
    # Acquire lock to prevent concurrent dockerd starts
    exec 200>"${STATE_DIR}/dockerd.lock"
    flock -n 200 || {
        # Another process is starting dockerd, wait for it
        flock 200
        exec ${DOCKER_REAL} "$@"
    }
    # Double-check after acquiring lock
    if ! ${DOCKER_REAL} info >/dev/null 2>&1; then
        # Mount tmpfs at /var/lib/docker to avoid overlay-on-overlay issues.
        if ! mountpoint -q /var/lib/docker 2>/dev/null; then
            mkdir -p /var/lib/docker
            mount -t tmpfs tmpfs /var/lib/docker
        fi
        echo "Starting Docker daemon..." >&2
        dockerd &>"${DOCKERD_LOG}" &
        echo $! > "${DOCKERD_PIDFILE}"
        # Wait for Docker daemon to be ready
        timeout=30
        while ! ${DOCKER_REAL} info >/dev/null 2>&1; do
            timeout=$((timeout - 1))
            if [ $timeout -le 0 ]; then
                echo "ERROR: Docker daemon failed to start. Check ${DOCKERD_LOG}" >&2
                exit 1
            fi
            sleep 1
        done
        echo "Docker daemon ready" >&2
    fi
fi
exec ${DOCKER_REAL} "$@"
