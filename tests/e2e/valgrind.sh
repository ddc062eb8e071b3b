# shellcheck shell=bash
# The shim's paths once under valgrind's memcheck, errors fatal. Sourced by
# run.sh.
#
# Where: in a pod, against the pod's own dockerd, because the cold path
# binds /var/run/docker.sock, mounts a tmpfs and moves cgroups, which must
# not happen on the host. The pod image has no valgrind, so the host's
# (Debian 12, like the pod: same glibc) is copied in: memcheck, its preload
# libraries and suppressions, and libc6-dbg's debug files. The binary is
# build/vg/lazydind (mk/valgrind.mk): dynamically linked against glibc, or
# memcheck could not watch malloc.
#
# Under valgrind the supervisor (spawned from /proc/self/exe, so traced too)
# shows as "memcheck-amd64-" in /proc/PID/comm, where lazydind looks for
# "lazydind": so it is stopped here by its pid from the state file, with
# SIGTERM, as `lazydind stop` would.

VG_BIN=${VG_BIN:-$REPO/build/vg/lazydind}

# vg_install POD: copy valgrind (memcheck only) and the glibc debug files
# from the host into POD.
vg_install() {
    local list
    command -v valgrind.bin >/dev/null || { fail "no valgrind on the host (apt-get install valgrind)"; return 1; }
    list=$(mktemp)
    {
        printf '%s\n' /usr/bin/valgrind.bin /usr/lib/valgrind/debian.supp
        ls -d /usr/libexec/valgrind/{default.supp,memcheck-amd64-linux,vgpreload_core-amd64-linux.so,vgpreload_memcheck-amd64-linux.so,getoff-amd64-linux}
        dpkg -L libc6-dbg 2>/dev/null | while read -r f; do [ -f "$f" ] && [ ! -L "$f" ] && echo "$f"; done
    } | sed 's|^/||' >"$list"
    tar -C / -cf - -T "$list" | docker exec -i "$(tb_pod_name "$(pod "$1")")" tar -C / -xf -
    local rc=$?
    rm -f "$list"
    [ $rc -eq 0 ] || { fail "could not copy valgrind into the pod"; return 1; }
    docker exec -i "$(tb_pod_name "$(pod "$1")")" sh -c \
        'mkdir -p /opt/vg /tmp/vg && cat >/opt/vg/lazydind && chmod 755 /opt/vg/lazydind &&
         ln -s lazydind /opt/vg/docker && ln -s /usr/bin/docker /opt/vg/docker.real' <"$VG_BIN" ||
        { fail "could not copy $VG_BIN into the pod"; return 1; }
}

# memcheck, exiting 99 at the first error; children traced, except the
# real docker CLI, dockerd and what it runs, and the iptables probes.
VG_RUN="/usr/bin/valgrind.bin --tool=memcheck --error-exitcode=99 --exit-on-first-error=yes\
 --leak-check=full --errors-for-leak-kinds=definite --show-leak-kinds=definite --trace-children=yes\
 '--trace-children-skip=*/docker.real,/usr/bin/docker,*dockerd*,*containerd*,*iptables*,*tables-*' --log-file=/tmp/vg/%p.log"

# 40. Under memcheck: a client-only call, the cold path (shim and the
#     supervisor it spawns, until that supervisor exits), the warm path,
#     activate, logs, config, doctor, status and stop: every one exits as
#     without valgrind, and no log shows an error.
test_valgrind_shim_paths() {
    [ -x "$VG_BIN" ] || { fail "no $VG_BIN: run make vg-bin (make check builds it)"; return 1; }
    pod_new a || return 1
    vg_install a || return 1
    local out rc sup
    out=$(psh a 60 "$VG_RUN /opt/vg/docker --version"); rc=$?
    expect_rc "client-only: docker --version under memcheck" 0 $rc
    expect_has "its stdout" "$out" "Docker version"
    out=$(psh a 180 "$VG_RUN /opt/vg/docker ps 2>&1"); rc=$?
    expect_rc "cold path: docker ps under memcheck" 0 $rc
    expect_has "its output" "$out" "lazydind: Docker daemon ready in"
    out=$(psh a 60 "$VG_RUN /opt/vg/docker ps -q 2>&1"); rc=$?
    expect_rc "warm path: docker ps -q under memcheck" 0 $rc
    expect_eq "its output" "" "$out"
    out=$(psh a 60 "$VG_RUN /opt/vg/docker --context default version --format '{{.Server.Os}}' 2>&1"); rc=$?
    expect_rc "warm path with --context default under memcheck" 0 $rc
    expect_eq "its output" linux "$out"
    # the other subcommands a user runs, in-process (99: a memcheck error)
    out=$(psh a 120 "for c in 'activate' 'logs -n 2' 'config' 'doctor' 'status --json'; do
        $VG_RUN /opt/vg/lazydind \$c >/dev/null 2>&1; echo \"\$c: \$?\"; done")
    show "subcommands under memcheck (exit statuses)" "$out"
    expect_lacks "their exit statuses" "$out" ": 99"
    expect_has "lazydind activate on a running daemon" "$out" "activate: 0"
    out=$(psh a 60 "$VG_RUN /opt/vg/lazydind status 2>&1"); rc=$?
    expect_rc "lazydind status under memcheck" 0 $rc
    expect_has "its output" "$out" "running:       yes"
    sup=$(psh a 10 "sed -n 's/^supervisor_pid=//p' /run/lazydind/state")
    [ -n "$sup" ] || fail "no supervisor_pid in /run/lazydind/state"
    out=$(psh a 90 "kill -TERM $sup; i=0; while kill -0 $sup 2>/dev/null && [ \$i -lt 600 ]; do sleep 0.1; i=\$((i + 1)); done
                    kill -0 $sup 2>/dev/null && echo 'supervisor still running' || echo 'supervisor exited'
                    $VG_RUN /opt/vg/lazydind stop 2>&1; echo \"stop rc=\$?\"")
    expect_has "the supervisor under memcheck, after SIGTERM" "$out" "supervisor exited"
    expect_has "lazydind stop under memcheck" "$out" "stop rc=0"
    expect_eq "dockerd processes left" 0 "$(psh a 10 'pgrep -x dockerd | wc -l')"
    # every error record (memcheck prints it as it happens, with its stack)
    out=$(psh a 20 'cd /tmp/vg && for f in *.log; do
        echo "== $f: $(sed -n "s/^==[0-9]*== Command: //p" $f | head -n1)"
        grep -E "ERROR SUMMARY" $f
        grep -E -A25 "are definitely lost|Invalid (read|write|free)|uninitialised|Conditional jump|Syscall param|Mismatched|overlap" $f | head -n 60
    done')
    show "memcheck logs (command, summary, then any error with its stack)" "$out"
    expect_has "memcheck logs" "$out" "lazydind supervise --report-fd"
    expect_eq "logs of the supervisor with ERROR SUMMARY: 0 errors" 1 \
        "$(psh a 10 'grep -l "Command: /opt/vg/lazydind supervise" /tmp/vg/*.log | xargs grep -l "ERROR SUMMARY: 0 errors" | wc -l')"
    expect_eq "error records in all memcheck logs" 0 \
        "$(grep -cE 'are definitely lost|Invalid (read|write|free)|uninitialised|Conditional jump|Syscall param|Mismatched|overlap|ERROR SUMMARY: [1-9]' <<<"$out")"
}

TESTS+=(valgrind_shim_paths)
