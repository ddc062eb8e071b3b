# shellcheck shell=bash
# End-to-end tests of `lazydind install` and of finding the real CLI, in a
# pod (it changes /usr/bin). Sourced by run.sh.

# 19. install: idempotent, refuses to clobber, --divert moves the real CLI to
#     docker.real and the shim finds it there; the shim never execs itself.
test_install() {
    pod_new a || return 1
    local out rc
    out=$(psh a 10 'lazydind install 2>&1'); rc=$?
    expect_rc "lazydind install, a second time" 0 $rc
    expect_has "its notice" "$out" "already installed"
    out=$(psh a 10 'lazydind install --prefix /usr/bin 2>&1'); rc=$?
    expect_rc "lazydind install --prefix /usr/bin (the real CLI is there)" 1 $rc
    expect_has "its message" "$out" "is not lazydind"
    expect_eq "/usr/bin/docker untouched" file "$(psh a 10 '[ -f /usr/bin/docker ] && [ ! -L /usr/bin/docker ] && echo file')"
    out=$(psh a 10 'lazydind install --prefix relative/dir 2>&1'); rc=$?
    expect_rc "lazydind install --prefix relative/dir" 2 $rc
    # --divert: the real CLI becomes /usr/bin/docker.real, /usr/bin/docker the shim
    out=$(psh a 10 'rm /usr/local/bin/docker && lazydind install --divert 2>&1'); rc=$?
    expect_rc "lazydind install --divert" 0 $rc
    expect_eq "/usr/bin/docker" /usr/local/bin/lazydind "$(psh a 10 'readlink /usr/bin/docker')"
    expect_eq "/usr/bin/docker.real is the real CLI" yes "$(psh a 10 '/usr/bin/docker.real --version | grep -q "^Docker version" && echo yes')"
    out=$(psh a 10 'lazydind install --divert 2>&1'); rc=$?
    expect_rc "lazydind install --divert, a second time" 0 $rc
    expect_has "its notice" "$out" "already installed"
    out=$(psh a 90 'docker version --format "{{.Server.Version}}"'); rc=$?
    expect_rc "docker version through the diverted shim" 0 $rc
    expect_eq "server version" "$(psh a 10 '/usr/bin/docker.real version --format "{{.Server.Version}}"')" "$out"
    # LAZYDIND_DOCKER pointing at the shim itself: a clear error, no loop
    out=$(psh a 10 'LAZYDIND_DOCKER=/usr/local/bin/lazydind docker ps 2>&1'); rc=$?
    expect_rc "LAZYDIND_DOCKER=<the shim> docker ps" 2 $rc
    expect_has "its message" "$out" "loop"
    # no real CLI anywhere: a clear error naming the fix
    out=$(psh a 10 'mv /usr/bin/docker.real /root/ && docker ps 2>&1'); rc=$?
    expect_rc "docker ps without a real CLI" 2 $rc
    expect_has "its message" "$out" "LAZYDIND_DOCKER"
}

TESTS+=(install)
