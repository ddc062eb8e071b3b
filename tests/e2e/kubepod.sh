# shellcheck shell=bash
# End-to-end tests of lazydind in pods started from deploy/'s manifests by
# tests/testbed/kubepod (as a kubelet would: hooks, limits, volumes,
# termination). Sourced by run.sh, which provides psh, expect_* and the TESTS
# list; images.sh uses kp_pod and kp_manifest for its pods too.
#
# Each test is its own kubepod "cluster" (KUBEPOD_CLUSTER), so its PVCs and
# node directories are its own; run.sh's run_one calls kp_cleanup after it.

KUBEPOD=$REPO/tests/testbed/kubepod

# kp ARGS...: tests/testbed/kubepod in the current test's cluster.
kp() { KUBEPOD_CLUSTER=lazydind-e2e-$RUN_ID-$T_NAME "$KUBEPOD" "$@"; }

# kp_cleanup: remove the current test's pods, PVCs and node directories
# (quickly nothing when it ran no kubepod: the cluster's directory is made
# by its first `kubepod run`).
kp_cleanup() {
    [ -d "${KUBEPOD_NODE_DIR:-/var/lib/kubepod}/lazydind-e2e-$RUN_ID-$T_NAME" ] || return 0
    kp cleanup >/dev/null 2>&1 || true
}

# kp_cleanup_run: kp_cleanup for every test of this run (run.sh's EXIT trap,
# for a run that was interrupted).
kp_cleanup_run() {
    local d
    for d in "${KUBEPOD_NODE_DIR:-/var/lib/kubepod}/lazydind-e2e-$RUN_ID-"*; do
        [ -d "$d" ] && KUBEPOD_CLUSTER=${d##*/} "$KUBEPOD" cleanup >/dev/null 2>&1
    done
    return 0
}

# kp_manifest OUT BASE [--from FILE] [--py CODE]: write to OUT the Agent of
# deploy/BASE, with spec.persistence, spec.proxy and podSpec.extraEnv (merged
# by name) taken from deploy/FILE -- what deploy/agent-persistent.yaml and
# agent-mirror.yaml say works unchanged on the other Agents -- then CODE run
# with `a` (the Agent) and `docs` (all documents) bound. Prints nothing.
kp_manifest() {
    local out=$1 base=$2 from="" code=""; shift 2
    while [ $# -gt 0 ]; do
        case $1 in --from) from=$2; shift 2 ;; --py) code=$2; shift 2 ;; *) return 2 ;; esac
    done
    python3 - "$REPO/deploy/$base" "${from:+$REPO/deploy/$from}" "$code" >"$out" <<'EOF'
import sys, yaml
docs = list(yaml.safe_load_all(open(sys.argv[1])))
a = docs[0]
if sys.argv[2]:
    f = next(yaml.safe_load_all(open(sys.argv[2])))
    for k in ("persistence", "proxy"):
        if k in f["spec"]:
            a["spec"][k] = f["spec"][k]
    env = {e["name"]: e for e in a["spec"]["podSpec"].get("extraEnv", [])}
    env.update({e["name"]: e for e in f["spec"]["podSpec"].get("extraEnv", [])})
    a["spec"]["podSpec"]["extraEnv"] = list(env.values())
exec(sys.argv[3])
yaml.safe_dump_all(docs, sys.stdout, sort_keys=False)
EOF
}

# kp_pod NAME MANIFEST [kubepod-run args...]: start pod NAME of the current
# test (the container tb_pod_name "$(pod NAME)", as pod_new names it) from
# MANIFEST with kubepod run; fails the test with kubepod's output when it
# fails.
kp_pod() {
    local name=$1 manifest=$2 out; shift 2
    echo "$name" >>"$T_PODS"
    out=$(kp run "$manifest" --name "$(tb_pod_name "$(pod "$name")")" --label "$TB_POD_LABEL" \
              --label "lazydind-e2e.run=$RUN_ID" "$@" 2>&1 >/dev/null) || {
        fail "kubepod run $(basename "$manifest") (pod $name) failed"; show "its output" "$out"; return 1; }
}

# kp_delete NAME [--grace-period N]: kubepod delete pod NAME; sets KP_OUT to
# its output and KP_PRESTOP to the seconds preStop took ("" without one).
kp_delete() {
    local name=$1; shift
    KP_OUT=$(kp delete "$(tb_pod_name "$(pod "$name")")" "$@" 2>&1)
    show "kubepod delete $name $*" "$KP_OUT"
    KP_PRESTOP=$(sed -n 's/^preStop: exit [0-9]* in \([0-9.]*\) s.*/\1/p' <<<"$KP_OUT")
}

# A busybox image made in the pod from /bin/busybox (no registry needed).
KP_BB_IMPORT='d=$(mktemp -d) && mkdir "$d/bin" && cp /bin/busybox "$d/bin/" &&
    for a in sh echo cat sleep; do ln -s busybox "$d/bin/$a"; done &&
    tar -C "$d" -c . | docker import - bb >/dev/null && rm -rf "$d"'

# 60. postStart `lazydind activate` from deploy/agent-privileged.yaml has run
#     when kubepod run returns: the supervisor listens, no dockerd yet; the
#     first client starts it.
test_kubepod_poststart() {
    local m=$LOG_DIR/$T_NAME.yaml out
    kp_manifest "$m" agent-privileged.yaml
    kp_pod a "$m" --image "$TB_POD_RUN_IMAGE" || return 1
    expect_eq "socket, supervisors, dockerd right after kubepod run (no docker command yet)" \
        "socket 1 0" "$(psh a 10 'echo "$([ -S /var/run/docker.sock ] && echo socket) $(pgrep -x lazydind | wc -l) $(pgrep -x dockerd | wc -l)"')"
    expect_has "lazydind status --json" "$(psh a 10 'lazydind status --json')" '"listening": true'
    out=$(psh a 90 'curl -s --unix-socket /var/run/docker.sock http://d/_ping')
    expect_eq "/_ping on the socket (the first client)" OK "$out"
    expect_eq "live dockerd processes" 1 "$(psh a 10 "$LIVE_DOCKERD")"
}

# kp_broken_conf_manifest OUT STRICT: agent-privileged.yaml with a
# lazydind.conf from a ConfigMap (a key lazydind does not know) at
# /etc/lazydind; with STRICT=1 the postStart hook is `lazydind activate
# --strict`.
kp_broken_conf_manifest() {
    kp_manifest "$1" agent-privileged.yaml --py "
ps = a['spec']['podSpec']
if $2:
    ps['lifecycle']['postStart']['exec']['command'].append('--strict')
ps['extraVolumes'] = [{'name': 'lazydind-conf', 'configMap': {'name': 'lazydind-conf'}}]
ps['extraVolumeMounts'] = [{'name': 'lazydind-conf', 'mountPath': '/etc/lazydind'}]
docs.append({'apiVersion': 'v1', 'kind': 'ConfigMap',
             'metadata': {'name': 'lazydind-conf', 'namespace': a['metadata']['namespace']},
             'data': {'lazydind.conf': 'idle-timout = 15m\\n'}})"
}

# 61. A broken lazydind.conf from a ConfigMap: with `lazydind activate
#     --strict` as postStart, kubepod run fails with lazydind's message (the
#     kubelet kills the container); deploy/'s plain `activate` returns 0 by
#     design, and the first docker command reports the same message.
test_kubepod_poststart_fails() {
    local m=$LOG_DIR/$T_NAME.yaml out rc
    kp_broken_conf_manifest "$m" 1
    out=$(kp run "$m" --name "$(tb_pod_name "$(pod a)")" --image "$TB_POD_RUN_IMAGE" \
              --label "$TB_POD_LABEL" --label "lazydind-e2e.run=$RUN_ID" 2>&1); rc=$?
    echo a >>"$T_PODS"
    show "kubepod run (postStart: lazydind activate --strict)" "$out"
    if [ $rc -ne 0 ]; then pass "kubepod run failed (exit $rc)"; else fail "kubepod run succeeded"; fi
    expect_has "its output" "$out" "postStart hook"
    expect_has "its output (lazydind's message)" "$out" "lazydind: /etc/lazydind/lazydind.conf:1:1"
    expect_has "its output (the unknown key)" "$out" "idle-timout"
    expect_eq "the pod after a failed postStart" gone \
        "$(docker container inspect "$(tb_pod_name "$(pod a)")" >/dev/null 2>&1 && echo there || echo gone)"
    kp_broken_conf_manifest "$m" 0
    kp_pod b "$m" --image "$TB_POD_RUN_IMAGE" || return 1
    out=$(psh b 30 'docker ps 2>&1'); rc=$?
    expect_rc "docker ps in the pod whose hook was plain 'lazydind activate'" 2 $rc
    expect_has "its message" "$out" "lazydind: /etc/lazydind/lazydind.conf:1:1"
}

# 62. The memory limit of deploy/agent-privileged.yaml (8Gi) is the limit of
#     the pod's memory cgroup, as seen in the pod.
test_kubepod_memory_limit() {
    local m=$LOG_DIR/$T_NAME.yaml lim
    kp_manifest "$m" agent-privileged.yaml
    kp_pod a "$m" --image "$TB_POD_RUN_IMAGE" || return 1
    lim=$(python3 -c 'import sys, yaml; print(next(yaml.safe_load_all(open(sys.argv[1])))["spec"]["podSpec"]["resources"]["limits"]["memory"])' "$m")
    expect_eq "the manifest's limit" 8Gi "$lim"
    expect_eq "memory.limit_in_bytes of the pod's cgroup (/proc/self/cgroup)" $((8 * 1024 * 1024 * 1024)) \
        "$(psh a 10 'cat "/sys/fs/cgroup/memory$(sed -n "s/^[0-9]*:memory://p" /proc/self/cgroup)/memory.limit_in_bytes"')"
}

# kp_fill_pvc POD: in POD (data-root on the PVC), make what must survive:
# image bb, image keepme (a RUN step: build cache), volume v1 holding a
# file, two running containers; then start a docker build that is in its
# RUN step (sleep 300) when this returns.
kp_fill_pvc() {
    local out rc
    out=$(psh "$1" 180 "$KP_BB_IMPORT && printf 'FROM bb\nRUN echo layer > /l\n' | docker build -q -t keepme - >/dev/null &&
        docker volume create v1 >/dev/null && docker run --rm -v v1:/d bb sh -c 'echo kept > /d/f' &&
        docker run -d --name sleeper1 bb sleep 600 >/dev/null && docker run -d --name sleeper2 -v v1:/d bb sleep 600 >/dev/null &&
        docker info --format '{{.DockerRootDir}} {{.Driver}}'"); rc=$?
    expect_rc "pod $1: import, build keepme, volume v1, two containers" 0 $rc || return 1
    expect_eq "pod $1: data-root and driver" "/workspace/.docker-data overlay2" "$out"
    docker exec -d "$(tb_pod_name "$(pod "$1")")" sh -c \
        "printf 'FROM bb\nRUN sleep 300\n' | docker build -t slow - >/tmp/build.log 2>&1"
    out=$(psh "$1" 60 'i=0; until grep -q "Running in" /tmp/build.log; do i=$((i + 1)); [ $i -gt 500 ] && exit 1; sleep 0.1; done; docker ps --format "{{.Names}}" | sort | tr "\n" " "')
    expect_has "pod $1: containers while the build's RUN step runs" "$out" "sleeper1 sleeper2"
}

# kp_check_pvc POD: in a new POD on the same PVC: dockerd starts, images,
# volume and build cache are there.
kp_check_pvc() {
    local out rc
    out=$(psh "$1" 120 'docker info --format "{{.DockerRootDir}} {{.Driver}}"'); rc=$?
    expect_rc "pod $1: docker info (starts dockerd on the PVC)" 0 $rc
    expect_eq "pod $1: data-root and driver" "/workspace/.docker-data overlay2" "$out"
    expect_eq "pod $1: images bb and keepme" "bb keepme" \
        "$(psh "$1" 30 'docker images --format "{{.Repository}}" | grep -xE "bb|keepme" | sort | tr "\n" " " | sed "s/ $//"')"
    expect_eq "pod $1: file in volume v1" kept "$(psh "$1" 60 'docker run --rm -v v1:/d bb cat /d/f' 2>&1)"
    expect_has "pod $1: rebuilding keepme" "$(psh "$1" 120 "printf 'FROM bb\nRUN echo layer > /l\n' | docker build -t keepme - 2>&1")" "Using cache"
    show "pod $1: docker ps -a (what became of the containers)" \
        "$(psh "$1" 30 'docker ps -a --format "{{.Names}} {{.Status}}"' 2>&1)"
}

# 63. deploy/agent-persistent.yaml's PVC and data-root on the privileged
#     Agent: deleting the pod during a docker build with containers running
#     runs preStop `lazydind stop --timeout 20s`, which ends inside the 30 s
#     grace period; a new pod on the PVC finds images, volume, build cache.
test_kubepod_pvc_prestop() {
    local m=$LOG_DIR/$T_NAME.yaml
    kp_manifest "$m" agent-privileged.yaml --from agent-persistent.yaml
    kp_pod a "$m" --image "$TB_POD_RUN_IMAGE" || return 1
    kp_fill_pvc a || return 1
    kp_delete a
    expect_has "kubepod delete" "$KP_OUT" "preStop: exit 0 in"
    if [ -n "$KP_PRESTOP" ] && awk -v t="$KP_PRESTOP" 'BEGIN { exit !(t < 30) }'; then
        pass "preStop (lazydind stop --timeout 20s) took $KP_PRESTOP s, inside the 30 s grace period"
    else fail "preStop took '${KP_PRESTOP:-?}' s (grace period 30 s)"; fi
    kp_pod b "$m" --image "$TB_POD_RUN_IMAGE" || return 1
    kp_check_pvc b
    psh b 60 'lazydind stop >/dev/null 2>&1'
}

# 64. The same without preStop: everything in the pod gets SIGKILL at the end
#     of the grace period (--grace-period 3, as kubectl delete takes it); a
#     new pod on the PVC still starts dockerd with images, volume, cache.
test_kubepod_pvc_sigkill() {
    local m=$LOG_DIR/$T_NAME.yaml
    kp_manifest "$m" agent-privileged.yaml --from agent-persistent.yaml \
        --py "del a['spec']['podSpec']['lifecycle']['preStop']"
    kp_pod a "$m" --image "$TB_POD_RUN_IMAGE" || return 1
    kp_fill_pvc a || return 1
    kp_delete a --grace-period 3
    expect_has "kubepod delete" "$KP_OUT" "preStop: none"
    expect_has "kubepod delete" "$KP_OUT" "ended: SIGKILL"
    kp_pod b "$m" --image "$TB_POD_RUN_IMAGE" || return 1
    kp_check_pvc b
    show "pod b: dockerd's warnings and errors at its start on the PVC" \
        "$(psh b 30 "grep -E 'level=(warning|error|fatal)' $DLOG | cut -c1-300" 2>&1)"
    psh b 60 'lazydind stop >/dev/null 2>&1'
}

# 65. lazydind.conf from a ConfigMap at /etc/lazydind (kubelet's layout:
#     lazydind.conf -> ..data/lazydind.conf, ..data -> ..<timestamp>), with
#     defaultMode 0644 and 0666: lazydind reads it.
test_kubepod_configmap_conf() {
    local m mode out
    for mode in 0644 0666; do
        m=$LOG_DIR/$T_NAME-$mode.yaml
        kp_manifest "$m" agent-privileged.yaml --py "
ps = a['spec']['podSpec']
ps['extraVolumes'] = [{'name': 'lazydind-conf', 'configMap': {'name': 'lazydind-conf', 'defaultMode': $((8#${mode#0}))}}]
ps['extraVolumeMounts'] = [{'name': 'lazydind-conf', 'mountPath': '/etc/lazydind'}]
docs.append({'apiVersion': 'v1', 'kind': 'ConfigMap',
             'metadata': {'name': 'lazydind-conf', 'namespace': a['metadata']['namespace']},
             'data': {'lazydind.conf': 'registry-mirrors = https://mirror.example.com\n'}})"
        kp_pod "m$mode" "$m" --image "$TB_POD_RUN_IMAGE" || return 1
        expect_eq "mode $mode: readlink /etc/lazydind/lazydind.conf, ..data" \
            "..data/lazydind.conf ..$(date -u +%Y)_" \
            "$(psh "m$mode" 10 'echo "$(readlink /etc/lazydind/lazydind.conf) $(readlink /etc/lazydind/..data | cut -c1-7)"')"
        expect_eq "mode $mode: mode of the file behind the symlink" "${mode#0}" \
            "$(psh "m$mode" 10 'stat -L -c %a /etc/lazydind/lazydind.conf')"
        out=$(psh "m$mode" 30 'lazydind config 2>&1'); 
        expect_has "mode $mode: lazydind config" "$out" "https://mirror.example.com"
        expect_has "mode $mode: lazydind config (the origin)" "$out" "/etc/lazydind/lazydind.conf"
    done
}

# 66. The runner itself: a plain Pod's securityContext, limits, volumes and
#     env reach the container as a kubelet would put them there; sysbox-runc
#     and hostUsers: false are refused with the reason, and nothing starts.
test_kubepod_runner() {
    local m=$LOG_DIR/$T_NAME.yaml out rc
    out=$(kp run "$REPO/deploy/agent-sysbox.yaml" --image "$TB_POD_RUN_IMAGE" 2>&1); rc=$?
    expect_rc "kubepod run deploy/agent-sysbox.yaml" 2 $rc
    expect_has "its message" "$out" "runtimeClassName: sysbox-runc"
    cat >"$m" <<YAML
apiVersion: v1
kind: Pod
metadata: {name: p, namespace: t}
spec:
  hostUsers: false
  containers: [{name: c, image: x}]
YAML
    out=$(kp run "$m" --image "$TB_POD_RUN_IMAGE" 2>&1); rc=$?
    expect_rc "kubepod run of a pod with hostUsers: false" 2 $rc
    expect_has "its message" "$out" "hostUsers: false"
    expect_eq "pods of this test's cluster after the refusals" 0 \
        "$(docker ps -aq --filter "label=kubepod.cluster=lazydind-e2e-$RUN_ID-$T_NAME" | wc -l)"
    cat >"$m" <<YAML
apiVersion: v1
kind: Pod
metadata: {name: p, namespace: t}
spec:
  terminationGracePeriodSeconds: 2
  securityContext: {runAsUser: 1000, runAsGroup: 1000, supplementalGroups: [4000]}
  containers:
  - name: c
    image: x
    command: [sh, -c, 'sleep 86400']
    env:
    - {name: A, value: one}
    - {name: B, value: \$(A)-two}
    - name: POD
      valueFrom: {fieldRef: {fieldPath: metadata.name}}
    securityContext:
      allowPrivilegeEscalation: false
      readOnlyRootFilesystem: true
      capabilities: {drop: [ALL], add: [NET_BIND_SERVICE]}
      seccompProfile: {type: RuntimeDefault}
    resources: {limits: {cpu: 500m, memory: 256Mi}}
    volumeMounts: [{name: scratch, mountPath: /scratch}]
  volumes:
  - {name: scratch, emptyDir: {medium: Memory, sizeLimit: 64Mi}}
YAML
    kp_pod a "$m" --image "$TB_POD_RUN_IMAGE" || return 1
    expect_eq "uid gid groups" "1000 1000 1000 4000" "$(psh a 10 'echo "$(id -u) $(id -g) $(id -G)"')"
    expect_eq "CapBnd, NoNewPrivs, Seccomp (2 = filter)" "0000000000000400 1 2" \
        "$(psh a 10 'awk "/^NoNewPrivs|^Seccomp:|^CapBnd/ {print \$2}" /proc/self/status | tr "\n" " " | sed "s/ $//"')"
    expect_eq "writing to / (readOnlyRootFilesystem)" refused "$(psh a 10 'touch /x 2>/dev/null && echo written || echo refused')"
    expect_eq "/scratch: type, size, writable" "tmpfs 64M written" \
        "$(psh a 10 'echo "$(stat -fc %T /scratch) $(df -h /scratch | awk "NR == 2 {print \$2}") $(touch /scratch/x && echo written)"')"
    expect_eq "env B (\$(A) expanded), POD (fieldRef), KUBERNETES_SERVICE_HOST" \
        "one-two $(tb_pod_name "$(pod a)") 10.96.0.1" "$(psh a 10 'echo "$B $POD $KUBERNETES_SERVICE_HOST"')"
    expect_eq "service-account token and namespace" "t t" \
        "$(psh a 10 'd=/var/run/secrets/kubernetes.io/serviceaccount; [ -s $d/token ] && echo "t $(cat $d/namespace)"')"
    expect_eq "memory and cpu limits of the container (HostConfig)" "268435456 500000000" \
        "$(docker inspect -f '{{.HostConfig.Memory}} {{.HostConfig.NanoCpus}}' "$(tb_pod_name "$(pod a)")")"
    expect_eq "PID 1" "sh -c sleep 86400" "$(psh a 10 'tr "\0" " " </proc/1/cmdline | sed "s/ $//"')"
    kp_delete a
    expect_has "kubepod delete (sh as PID 1 ignores SIGTERM)" "$KP_OUT" "ended: SIGKILL at"
    out=$(sed -n 's/^ended: SIGKILL at \([0-9.]*\) s.*/\1/p' <<<"$KP_OUT")
    if awk -v t="${out:-0}" 'BEGIN { exit !(t >= 2) }'; then pass "SIGKILL after the 2 s grace period ($out s)"
    else fail "SIGKILL at '${out:-?}' s, before the 2 s grace period ended"; fi
}

TESTS+=(kubepod_runner kubepod_poststart kubepod_poststart_fails kubepod_memory_limit kubepod_pvc_prestop
        kubepod_pvc_sigkill kubepod_configmap_conf)
