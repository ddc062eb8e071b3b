# shellcheck shell=bash
# The security pass (docs/security.md says what each test proves): a
# non-root user of a rootful pod cannot redirect what lazydind writes as root,
# cannot make it start anything as root unless that user can already reach
# the daemon socket, and no LAZYDIND_* value reaches a shell or becomes a
# dockerd argument it does not name. Sourced by run.sh.

# as_agent SCRIPT: run SCRIPT as the pod's non-root user agent (uid 1000).
AS_AGENT='su agent -s /bin/sh -c'

# 41. A non-root user prepares traps for what root writes or obeys:
#     symlinks and pre-created files or dirs where the runtime dir or the log
#     will be, a world-writable parent, a lazydind.conf or daemon.json that
#     user can change. lazydind refuses each with the path and the reason,
#     writes nothing through them, and starts nothing; the default locations
#     cannot be touched by the user at all.
test_security_redirect() {
    pod_new a || return 1
    local out sums
    out=$(psh a 20 "$AS_AGENT"' "
        mkdir /run/lazydind 2>&1; mkdir -p /var/log/lazydind 2>&1
        ln -s /etc/shadow /var/run/docker.pid 2>&1; ln -s /etc /var/run/docker.sock 2>&1
        true"')
    show "the user at the default locations" "$out"
    expect_eq "things the user could create at the default locations" 4 "$(grep -c 'Permission denied' <<<"$out")"
    sums=$(psh a 10 'ls -ld /etc | cut -c1-10; md5sum /etc/passwd /etc/shadow')
    # the runtime dir: a symlink to /etc, then the user's own dir
    out=$(psh a 30 "$AS_AGENT 'ln -s /etc /tmp/lzrun'; LAZYDIND_RUN_DIR=/tmp/lzrun docker ps 2>&1; echo \"rc=\$?\"")
    expect_has "LAZYDIND_RUN_DIR=/tmp/lzrun, a symlink of the user's to /etc" "$out" "will not use the runtime dir /tmp/lzrun: /tmp/lzrun is owned by uid 1000"
    expect_has "its exit status" "$out" "rc=1"
    out=$(psh a 30 "rm /tmp/lzrun; $AS_AGENT 'mkdir -m 777 /tmp/lzrun'; LAZYDIND_RUN_DIR=/tmp/lzrun docker ps 2>&1; echo \"rc=\$?\"")
    expect_has "LAZYDIND_RUN_DIR=/tmp/lzrun, a dir of the user's" "$out" "/tmp/lzrun is owned by uid 1000"
    expect_eq "files root put in the user's dir" "" "$(psh a 10 'ls -A /tmp/lzrun')"
    # a world-writable (not sticky) parent made by root by mistake
    out=$(psh a 30 'mkdir -m 777 /srv/shared && chmod 777 /srv/shared; LAZYDIND_RUN_DIR=/srv/shared/lz docker ps 2>&1; echo "rc=$?"')
    expect_has "LAZYDIND_RUN_DIR under a world-writable dir" "$out" "/srv/shared is writable by others"
    expect_has "its exit status" "$out" "rc=1"
    # the log: a symlink to /etc/passwd, then a file of the user's, then a dir
    # of the user's around it
    out=$(psh a 30 "$AS_AGENT 'ln -s /etc/passwd /tmp/lz.log'; LAZYDIND_LOG=/tmp/lz.log docker ps 2>&1; echo \"rc=\$?\"")
    expect_has "LAZYDIND_LOG=/tmp/lz.log, a symlink of the user's to /etc/passwd" "$out" "will not write the log /tmp/lz.log"
    expect_has "its exit status" "$out" "rc=1"
    out=$(psh a 60 "lazydind stop >/dev/null 2>&1; rm -f /tmp/lz.log; $AS_AGENT 'touch /tmp/lz.log'; LAZYDIND_LOG=/tmp/lz.log docker ps 2>&1; echo \"rc=\$?\"")
    expect_has "LAZYDIND_LOG=/tmp/lz.log, a file of the user's" "$out" "/tmp/lz.log is owned by uid 1000"
    out=$(psh a 60 "lazydind stop >/dev/null 2>&1; $AS_AGENT 'mkdir /tmp/logs'; LAZYDIND_LOG=/tmp/logs/dockerd.log docker ps 2>&1; echo \"rc=\$?\"")
    expect_has "LAZYDIND_LOG in a dir of the user's" "$out" "/tmp/logs is owned by uid 1000"
    # files root obeys: lazydind.conf (it may name the dockerd binary) and
    # daemon.json, when another user could change them
    out=$(psh a 30 "$AS_AGENT 'printf \"dockerd = /tmp/evil\\n\" >/tmp/agent.conf'
        LAZYDIND_CONFIG=/tmp/agent.conf docker ps 2>&1; echo \"rc=\$?\"")
    expect_has "LAZYDIND_CONFIG=/tmp/agent.conf, the user's file" "$out" "will not read the config file /tmp/agent.conf as root: /tmp/agent.conf is owned by uid 1000"
    expect_has "its exit status" "$out" "rc=2"
    out=$(psh a 30 'mkdir -p /etc/lazydind && printf "log-level = info\n" >/etc/lazydind/lazydind.conf && chmod 666 /etc/lazydind/lazydind.conf
        docker ps 2>&1; echo "rc=$?"; rm /etc/lazydind/lazydind.conf')
    expect_has "a world-writable /etc/lazydind/lazydind.conf" "$out" "/etc/lazydind/lazydind.conf is writable by others"
    # a ConfigMap volume: a 0777 dir, mounted read-only, with root's file
    out=$(psh a 30 'mkdir /cm && mount -t tmpfs tmpfs /cm && chmod 777 /cm && printf "quiet = 1\n" >/cm/lazydind.conf &&
        mount -o remount,ro /cm && LAZYDIND_CONFIG=/cm/lazydind.conf docker --version >/dev/null 2>&1; echo "rc=$?"')
    expect_has "LAZYDIND_CONFIG in a read-only 0777 dir, as a ConfigMap volume" "$out" "rc=0"
    out=$(psh a 30 'mkdir -p /etc/docker && echo "{}" >/etc/docker/daemon.json && chmod 666 /etc/docker/daemon.json
        docker ps 2>&1; echo "rc=$?"; rm /etc/docker/daemon.json')
    expect_has "a world-writable /etc/docker/daemon.json" "$out" "will not use /etc/docker/daemon.json as root: /etc/docker/daemon.json is writable by others"
    expect_lacks "its exit status" "$out" "rc=0"
    expect_eq "/etc and the password files, untouched" "$sums" \
        "$(psh a 10 'ls -ld /etc | cut -c1-10; md5sum /etc/passwd /etc/shadow')"
    expect_eq "dockerd processes" 0 "$(psh a 10 'pgrep -x dockerd | wc -l')"
    # and the defaults work
    out=$(psh a 90 'lazydind stop >/dev/null 2>&1; docker ps >/dev/null; echo "rc=$?"')
    expect_has "docker ps with the default locations" "$out" "rc=0"
    expect_eq "runtime dir, log dir and log: owner and mode" \
        "drwx------ root root|drwxr-x--- root root|-rw-r----- root root" \
        "$(psh a 10 'for f in /run/lazydind /var/log/lazydind /var/log/lazydind/dockerd.log; do ls -ld $f | awk "{print \$1, \$3, \$4}"; done | paste -sd"|"')"
}

# 42. A non-root user of a rootful pod: without access to the daemon socket
#     the shim starts nothing as root (it says only root can start it and
#     runs the real CLI); with access (group docker, dockerd's convention for
#     root-equivalent users) the connection starts dockerd, as it would reach
#     a running one. The socket is 0660 root:docker, or root:root when there
#     is no docker group.
test_security_nonroot_user() {
    pod_new a || return 1
    local out
    # nothing activated: the user's rootful docker ps starts nothing. The
    # cold path's preflight check refuses first (dockerd as root needs uid
    # 0); without it the shim says only root can start it and runs the CLI
    out=$(psh a 30 "$AS_AGENT 'LAZYDIND_MODE=rootful docker ps 2>&1; echo rc=\$?'")
    show "the user's docker ps, nothing running" "$out"
    expect_has "the user's docker ps, nothing running" "$out" "needs uid 0"
    expect_lacks "its exit status" "$out" "rc=0"
    out=$(psh a 30 "$AS_AGENT 'LAZYDIND_PREFLIGHT=0 LAZYDIND_MODE=rootful docker ps 2>&1; echo rc=\$?'")
    expect_has "the same with LAZYDIND_PREFLIGHT=0" "$out" "only root can start it in this pod"
    expect_has "the real CLI's answer" "$out" "Cannot connect to the Docker daemon"
    expect_lacks "its exit status" "$out" "rc=0"
    expect_eq "processes started" "0 0" "$(psh a 10 'echo $(pgrep -x dockerd | wc -l) $(pgrep -x lazydind | wc -l)')"
    # and in the default mode (rootless for a non-root user) nothing runs as root
    out=$(psh a 30 "$AS_AGENT 'docker ps 2>&1; echo rc=\$?'")
    show "the user's docker ps in the default mode" "$out"
    expect_eq "processes of root's daemon" "0 0" "$(psh a 10 'echo $(pgrep -x dockerd | wc -l) $(pgrep -x lazydind | wc -l)')"
    # root activates the socket: the user, not in group docker, cannot connect
    psh a 30 'lazydind activate' || fail "lazydind activate"
    expect_eq "socket mode, owner and group" "srw-rw---- root docker" \
        "$(psh a 10 'ls -l /var/run/docker.sock | awk "{print \$1, \$3, \$4}"')"
    out=$(psh a 30 "$AS_AGENT 'LAZYDIND_PREFLIGHT=0 LAZYDIND_MODE=rootful docker ps 2>&1; echo rc=\$?; curl -s --unix-socket /var/run/docker.sock http://docker/_ping; echo curl=\$?'")
    show "the user (not in group docker) on the activated socket" "$out"
    expect_has "the docker CLI's answer" "$out" "permission denied"
    expect_lacks "its exit status" "$out" "rc=0"
    expect_lacks "curl on the socket" "$out" "curl=0"
    expect_eq "dockerd processes" 0 "$(psh a 10 'pgrep -x dockerd | wc -l')"
    # in group docker the user reaches the socket, which starts dockerd
    out=$(psh a 90 "gpasswd -a agent docker >/dev/null && $AS_AGENT 'LAZYDIND_MODE=rootful docker ps >/dev/null; echo rc=\$?'")
    expect_has "the user in group docker" "$out" "rc=0"
    expect_eq "dockerd processes, and their user" "1 root" "$(psh a 10 'echo $(pgrep -x dockerd | wc -l) $(ps -o user= -p $(pgrep -x dockerd))')"
    # no docker group: root:root, still 0660
    out=$(psh a 60 'lazydind stop >/dev/null 2>&1; groupdel docker && lazydind activate && ls -l /var/run/docker.sock | awk "{print \$1, \$3, \$4}"')
    expect_eq "socket without a docker group" "srw-rw---- root root" "$out"
}

# 43. LAZYDIND_* values never reach a shell, and become exactly the dockerd
#     setting they name: shell syntax in a value is refused or taken
#     literally, a value cannot smuggle in another dockerd option, mount
#     options cannot be added through the tmpfs size.
test_security_injection() {
    pod_new a || return 1
    local out
    out=$(psh a 30 'LAZYDIND_DOCKERD_ARGS="--label a\$(touch /tmp/pwned1)" docker ps 2>&1; echo "rc=$?"
        LAZYDIND_DOCKERD_ARGS="--label a;touch /tmp/pwned2" docker ps 2>&1; echo "rc=$?"
        LAZYDIND_DOCKERD_ARGS="--label \"a\`touch /tmp/pwned3\`\"" docker ps 2>&1; echo "rc=$?"
        LAZYDIND_TMPFS_SIZE="1g,mode=777" docker ps 2>&1; echo "rc=$?"
        LAZYDIND_START_TIMEOUT="5s; touch /tmp/pwned4" docker ps 2>&1; echo "rc=$?"')
    show "values with shell syntax" "$out"
    expect_eq "refused with exit status 2" 5 "$(grep -c '^rc=2$' <<<"$out")"
    expect_has "the reason" "$out" "would need a shell, and none runs"
    expect_eq "dockerd processes" 0 "$(psh a 10 'pgrep -x dockerd | wc -l')"
    # quoted, the same text is one literal argument (the script comes on
    # stdin so that no shell of the test expands it on the way)
    out=$(psh a 90 'sh -s' <<'EOF'
export LAZYDIND_DATA_ROOT='/var/lib/docker-x --iptables=false $(touch /tmp/pwned5)'
export LAZYDIND_DOCKERD_ARGS="--label 'x=1;touch /tmp/pwned6' --label 'y=\$(touch /tmp/pwned7)'"
docker info --format '{{.DockerRootDir}}|{{json .Labels}}'; echo "rc=$?"
EOF
)
    expect_has "docker info: the data-root, literally" "$out" \
        '/var/lib/docker-x --iptables=false $(touch /tmp/pwned5)|'
    expect_has "docker info: a label, literally" "$out" '"x=1;touch /tmp/pwned6"'
    expect_has "docker info: a label, literally" "$out" '"y=$(touch /tmp/pwned7)"'
    out=$(psh a 10 'p=$(pgrep -x dockerd) && tr "\0" "\n" </proc/$p/cmdline')
    show "dockerd's argv" "$out"
    expect_has "dockerd's argv" "$out" "dockerd"
    expect_lacks "dockerd's argv" "$out" "--iptables=false"
    # a dockerd "name" with an option in it is a name, looked up on PATH
    out=$(psh a 60 'lazydind stop >/dev/null 2>&1; LAZYDIND_DOCKERD="dockerd --debug" docker ps 2>&1; echo "rc=$?"')
    expect_has "LAZYDIND_DOCKERD='dockerd --debug'" "$out" "dockerd --debug"
    expect_has "LAZYDIND_DOCKERD='dockerd --debug'" "$out" "not found"
    expect_has "its exit status" "$out" "rc=1"
    expect_eq "dockerd processes" 0 "$(psh a 10 'pgrep -x dockerd | wc -l')"
    expect_eq "files a shell would have made" "" "$(psh a 10 'ls /tmp/pwned* 2>/dev/null')"
}

TESTS+=(security_redirect security_nonroot_user security_injection)
