# shellcheck shell=bash
# End-to-end tests of `lazydind doctor`: what a pod allows (privileged,
# Sysbox, rootless-capable, unprivileged), each check, and the manifest
# lines that would make each option work. Sourced by run.sh after
# rootless.sh (ROOTLESS_FLAGS, rootless_pod). Sysbox cannot run here: its
# detection is unit-tested on fixtures (tests/unit/pod/test_parse_*.c, test_doctor.c).

# psh_as USER POD SECS SCRIPT: psh as another user of the pod.
psh_as() {
    timeout -k 5 $(($3 + 20)) docker exec -i -u "$1" "$(tb_pod_name "$(pod "$2")")" \
        timeout -k 5 "$3" sh -c "$4"
}

# What doctor must never do: start a supervisor or dockerd, or make the
# runtime dir. Prints "0 0 none" when nothing was started.
NOTHING_STARTED='echo "$(pgrep -x dockerd | wc -l) $(pgrep -x lazydind | wc -l) $(ls -d /run/lazydind /run/user/1000/lazydind 2>/dev/null || echo none)"'

# The fields of `lazydind doctor --json`: pod, mode.selected, mode.ok, the
# status of the checks named on the command line (as id/for=status).
JSON_FIELDS='import json, sys
d = json.load(sys.stdin)
print(d["pod"], d["mode"]["selected"], d["mode"]["ok"])
for c in d["checks"]:
    print("%s/%s=%s" % (c["id"], c["for"], c["status"]))
for name, o in d["options"].items():
    print("option %s works=%s lines=%d" % (name, o["works"], len(o["manifest"])))'

# 30. Privileged emulation: doctor says privileged, rootful can work, and
#     overlay-on-overlay is handled by a tmpfs; it starts nothing; --json
#     says the same.
test_doctor_privileged() {
    pod_new a || return 1
    local out rc
    out=$(psh a 30 'lazydind doctor'); rc=$?
    show "lazydind doctor" "$out"
    expect_rc "lazydind doctor" 0 $rc
    expect_has "its verdict" "$out" "pod:   privileged"
    expect_has "its mode" "$out" "mode:  rootful (LAZYDIND_MODE=auto, root): can work here"
    expect_has "its storage check" "$out" "overlay-on-overlay handled by tmpfs"
    expect_has "its options" "$out" "privileged  yes:"
    expect_lacks "its rootful checks" "$(sed -n '/^dockerd as root/,/^$/p' <<<"$out")" "fail "
    expect_eq "dockerd, supervisors, runtime dir after doctor" "0 0 none" "$(psh a 10 "$NOTHING_STARTED")"
    out=$(psh a 30 "lazydind doctor --json | python3 -c '$JSON_FIELDS'"); rc=$?
    expect_rc "lazydind doctor --json (parsed by python3)" 0 $rc
    expect_eq "pod, selected mode, ok (--json)" "privileged rootful True" "$(head -n1 <<<"$out")"
    expect_has "--json checks" "$out" "storage/rootful=ok"
    expect_has "--json options" "$out" "option privileged works=True"
    # LAZYDIND_MODE=rootless as root: cannot work, exit 1
    out=$(psh a 30 'LAZYDIND_MODE=rootless lazydind doctor'); rc=$?
    expect_rc "LAZYDIND_MODE=rootless lazydind doctor (as root)" 1 $rc
    expect_has "its mode" "$out" "mode:  rootless (LAZYDIND_MODE=rootless): cannot work here"
    # a bad value is bad input
    out=$(psh a 30 'LAZYDIND_MODE=sideways lazydind doctor 2>&1'); rc=$?
    expect_rc "LAZYDIND_MODE=sideways lazydind doctor" 2 $rc
    expect_has "its message" "$out" "LAZYDIND_MODE='sideways'"
}

# 31. An unprivileged pod (default docker run: Docker's capabilities,
#     seccomp filter, masked /proc, read-only cgroups): doctor fails the
#     rootful checks, exits 1, and gives for each option what to add; as
#     uid 1000 it names what rootless lacks. Nothing is started; the shim
#     fails fast with the same explanation instead of dockerd's raw error.
test_doctor_unprivileged() {
    local -a TB_PRIV_FLAGS=()
    pod_new a || return 1
    local out rc
    out=$(psh a 30 'lazydind doctor'); rc=$?
    show "lazydind doctor" "$out"
    expect_rc "lazydind doctor" 1 $rc
    expect_has "its verdict" "$out" "pod:   unprivileged"
    expect_has "its mode" "$out" "rootful (LAZYDIND_MODE=auto, root): cannot work here"
    expect_has "capabilities" "$out" "fail  capabilities        CapEff lacks NET_ADMIN, SYS_ADMIN"
    expect_has "seccomp" "$out" "fail  seccomp"
    expect_has "cgroups" "$out" "fail  cgroups"
    # every option says what to add
    expect_has "option privileged" "$out" "privileged  no:  needs the lines below"
    expect_has "its line" "$out" "privileged: true"
    expect_has "option sysbox" "$out" "runtimeClassName: sysbox-runc"
    expect_has "option rootless" "$out" "rootless    no:  needs the lines below"
    expect_has "its user" "$out" "runAsUser: 1000"
    expect_has "its /proc" "$out" "procMount: Unmasked"
    expect_has "its devices" "$out" "{name: dev-net-tun, hostPath: {path: /dev/net/tun, type: CharDevice}}"
    expect_has "its seccomp" "$out" "seccompProfile: {type: Unconfined}"
    expect_has "the Pod Security label" "$out" "pod-security.kubernetes.io/enforce: privileged"
    # as the image's user: rootless is selected and names what is missing
    out=$(psh_as 1000 a 30 'lazydind doctor'); rc=$?
    show "lazydind doctor as uid 1000" "$out"
    expect_rc "lazydind doctor as uid 1000" 1 $rc
    expect_has "its mode" "$out" "mode:  rootless (LAZYDIND_MODE=auto, not root): cannot work here"
    expect_has "capabilities" "$out" "fail  capabilities        the bounding set lacks SYS_ADMIN"
    expect_has "/proc" "$out" "fail  proc                /proc is masked"
    expect_has "tun" "$out" "fail  tun                 /dev/net/tun is absent"
    expect_has "fuse" "$out" "fail  fuse                /dev/fuse is absent"
    expect_has "subids" "$out" "ok    subids              agent: uids 100000+65536"
    expect_eq "dockerd, supervisors, runtime dirs after doctor" "0 0 none" "$(psh a 10 "$NOTHING_STARTED")"
    # the shim fails fast with the same explanation, starting nothing
    local t0=$SECONDS
    out=$(psh a 30 'docker ps 2>&1'); rc=$?
    show "docker ps" "$out"
    expect_rc "docker ps in the unprivileged pod" 1 $rc
    expect_has "its message" "$out" "lazydind: the Docker daemon cannot start in this pod:"
    expect_has "its reason" "$out" "capabilities: CapEff lacks NET_ADMIN, SYS_ADMIN"
    expect_has "its fix" "$out" "fix: securityContext: privileged: true"
    expect_lacks "dockerd's raw error" "$out" "Operation not permitted"
    [ $((SECONDS - t0)) -le 5 ] && pass "it failed within 5 s" || fail "docker ps took $((SECONDS - t0)) s"
    expect_eq "dockerd, supervisors after docker ps" "0 0" "$(psh a 10 "$NOTHING_STARTED" | cut -d' ' -f1,2)"
    out=$(psh_as 1000 a 30 'docker ps 2>&1'); rc=$?
    expect_rc "docker ps as uid 1000" 1 $rc
    expect_has "its message" "$out" "this pod cannot run rootless dockerd"
    expect_has "its reason" "$out" "proc: /proc is masked"
}

# rl_shim NAME ID: `docker ps` in pod NAME fails and its message names
# check ID (the shim's preflight says what doctor said).
rl_shim() {
    local out rc
    out=$(psh "$1" 30 'docker ps 2>&1'); rc=$?
    expect_rc "docker ps in pod $1" 1 $rc
    expect_has "its message" "$out" "  $2: "
    expect_eq "dockerd processes in pod $1" 0 "$(psh "$1" 10 'pgrep -x dockerd | wc -l')"
}

# rl_doctor NAME PREP [docker-run flags...]: a rootless pod with the given
# flags (instead of ROOTLESS_FLAGS), PREP run as root first; then
# `lazydind doctor` as uid 1000. Sets OUT and RC.
rl_doctor() {
    local name=$1 prep=$2; shift 2
    local -a TB_PRIV_FLAGS=("$@")
    pod_new "$name" -e HOME=/home/agent || return 1
    docker exec -u 0 "$(tb_pod_name "$(pod "$name")")" sh -c "mkdir -p /run/user/1000 &&
        chown 1000:1000 /run/user/1000 && chmod 700 /run/user/1000; $prep" ||
        { fail "could not prepare pod $name"; return 1; }
    OUT=$(psh "$name" 30 'lazydind doctor'); RC=$?
    show "lazydind doctor in pod $name" "$OUT"
}

# 32. A rootless-capable pod as uid 1000 (the flags of rootless.sh): doctor
#     says rootless-capable and ok; then one requirement removed at a time
#     -- /dev/net/tun not openable, /proc masked, no subuid entry, no
#     /dev/fuse -- and doctor names the missing piece (fail, exit 1), and so
#     does the shim's start error.
test_doctor_rootless() {
    local OUT RC
    local -a no_sp no_fuse
    flags_without no_sp systempaths=unconfined
    flags_without no_fuse /dev/fuse

    rl_doctor ok 'chmod 666 /dev/fuse /dev/net/tun' "${ROOTLESS_FLAGS[@]}" || return 1
    expect_rc "doctor in a rootless-capable pod" 0 "$RC"
    expect_has "its verdict" "$OUT" "pod:   rootless-capable"
    expect_has "its mode" "$OUT" "mode:  rootless (LAZYDIND_MODE=auto, not root): can work here"
    expect_has "its options" "$OUT" "rootless    yes: as agent (uid 1000)"
    expect_lacks "its rootless checks" "$(sed -n '/^rootless dockerd/,/^$/p' <<<"$OUT")" "fail "
    expect_has "its storage" "$OUT" "storage driver fuse-overlayfs"

    rl_doctor notun 'chmod 666 /dev/fuse; chmod 600 /dev/net/tun' "${ROOTLESS_FLAGS[@]}" || return 1
    expect_rc "doctor without access to /dev/net/tun" 1 "$RC"
    expect_has "the missing piece" "$OUT" "fail  tun                 /dev/net/tun is there but its mode does not let this user open it"
    expect_has "its fix" "$OUT" "make the node's /dev/net/tun mode 0666"
    expect_lacks "nothing else" "$OUT" "fail  fuse"
    rl_shim notun tun

    rl_doctor masked 'chmod 666 /dev/fuse /dev/net/tun' "${no_sp[@]}" || return 1
    expect_rc "doctor with a masked /proc" 1 "$RC"
    expect_has "the missing piece" "$OUT" "fail  proc                /proc is masked"
    expect_has "what it breaks" "$OUT" "mount proc ... operation not permitted"
    expect_has "the manifest line" "$OUT" "procMount: Unmasked"
    expect_has "and what it needs" "$OUT" "hostUsers: false"
    rl_shim masked proc

    rl_doctor nosubuid 'chmod 666 /dev/fuse /dev/net/tun; sed -i "/^agent:/d" /etc/subuid' \
        "${ROOTLESS_FLAGS[@]}" || return 1
    expect_rc "doctor without a subuid entry" 1 "$RC"
    expect_has "the missing piece" "$OUT" "fail  subids              no /etc/subuid range for agent (uid 1000)"
    expect_has "its fix" "$OUT" "echo agent:100000:65536 >>/etc/subuid"
    rl_shim nosubuid subids

    rl_doctor nofuse 'chmod 666 /dev/net/tun' "${no_fuse[@]}" || return 1
    expect_rc "doctor without /dev/fuse" 1 "$RC"
    expect_has "the missing piece" "$OUT" "fail  fuse                /dev/fuse is absent"
    expect_has "the manifest line" "$OUT" "{name: dev-fuse, hostPath: {path: /dev/fuse, type: CharDevice}}"
    rl_shim nofuse fuse
    local out rc
    out=$(psh nofuse 30 'LAZYDIND_STORAGE_DRIVER=vfs lazydind doctor'); rc=$?
    expect_rc "doctor without /dev/fuse, LAZYDIND_STORAGE_DRIVER=vfs" 0 $rc
    expect_has "its fuse check" "$out" "info  fuse"
    expect_eq "dockerd, supervisors, runtime dirs after doctor" "0 0 none" "$(psh nofuse 10 "$NOTHING_STARTED")"
}

# flags_without ARRAY VALUE: ARRAY := ROOTLESS_FLAGS without VALUE and the
# option flag before it (e.g. "--device /dev/fuse").
flags_without() {
    local -n out_=$1
    local i n=${#ROOTLESS_FLAGS[@]}
    out_=()
    for ((i = 0; i < n; i++)); do
        if [ $((i + 1)) -lt $n ] && [ "${ROOTLESS_FLAGS[i + 1]}" = "$2" ]; then
            i=$((i + 1))
            continue
        fi
        out_+=("${ROOTLESS_FLAGS[i]}")
    done
}

TESTS+=(doctor_privileged doctor_unprivileged doctor_rootless)
