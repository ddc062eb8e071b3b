# shellcheck shell=bash
# End-to-end tests of LAZYDIND_PRELOAD (docs/preload.md): image archives
# that the first dockerd of a pod loads after it is ready. Sourced by
# run.sh, which provides pod_new, psh, expect_* and the TESTS list.
#
# The archives are made on the host with `docker save` of the test bed's
# busybox image (retagged), gzip'd and plain, plus a corrupt one (a gzip'd
# save cut in half), and reach the pod on a read-only volume (a node's
# hostPath cache) or copied into its filesystem (an archive in the image).
# No pod here runs a registry: Docker Hub is not reachable either, so a
# preloaded image that runs was not pulled.

# pre_archives DIR: the three archives in DIR (made on the host), their
# tags (this test's own: tests run in parallel) in PRE_TAG_*.
pre_archives() {
    local dir=$1 bb
    PRE_TAG_GZ=lzpre-$RUN_ID-${T_NAME//_/-}/gz:1
    PRE_TAG_PLAIN=${PRE_TAG_GZ%/*}/plain:1
    PRE_TAG_BAD=${PRE_TAG_GZ%/*}/corrupt:1
    bb=$(tb_busybox_image) || { fail "no busybox test image"; return 1; }
    mkdir -p "$dir" || return 1
    docker tag "$bb" "$PRE_TAG_GZ" && docker tag "$bb" "$PRE_TAG_PLAIN" &&
        docker tag "$bb" "$PRE_TAG_BAD" || { fail "docker tag"; return 1; }
    docker save "$PRE_TAG_GZ" | gzip >"$dir/a-busybox.tar.gz" &&
        docker save "$PRE_TAG_PLAIN" >"$dir/b-plain.tar" &&
        docker save "$PRE_TAG_BAD" | gzip >"$dir/c-corrupt.full" ||
        { fail "docker save"; return 1; }
    head -c $(($(stat -c %s "$dir/c-corrupt.full") / 2)) "$dir/c-corrupt.full" >"$dir/c-corrupt.tar.gz"
    rm -f "$dir/c-corrupt.full"
    docker rmi "$PRE_TAG_GZ" "$PRE_TAG_PLAIN" "$PRE_TAG_BAD" >/dev/null
    chmod -R a+rX "$dir"
}

# pre_wait_done POD: waits (up to 60 s) until status --json says the
# preload is done; prints the status.
pre_wait_done() {
    psh "$1" 70 'for i in $(seq 300); do
            lazydind status --json | grep -q "\"state\": \"done\"" && break
            sleep 0.2
        done; lazydind status'
}

# pre_checks POD DIR: what a user of a pod with DIR preloaded sees.
pre_checks() {
    local p=$1 dir=$2 out err rc
    out=$(psh "$p" 120 'docker ps --format "{{.ID}}" 2>/tmp/ps.err'); rc=$?
    err=$(psh "$p" 10 'cat /tmp/ps.err')
    expect_rc "first command: docker ps" 0 $rc
    expect_lacks "docker ps's stderr (it does not wait for the preload)" "$err" "waiting for"
    out=$(psh "$p" 120 "docker run --rm $PRE_TAG_GZ echo from-gz 2>/tmp/run.err"); rc=$?
    expect_rc "docker run --rm $PRE_TAG_GZ echo from-gz (no registry reachable)" 0 $rc
    expect_eq "its stdout" from-gz "$out"
    show "its stderr" "$(psh "$p" 10 'cat /tmp/run.err')"
    out=$(psh "$p" 120 "docker run --rm $PRE_TAG_PLAIN echo from-plain"); rc=$?
    expect_rc "docker run --rm $PRE_TAG_PLAIN echo from-plain" 0 $rc
    expect_eq "its stdout" from-plain "$out"
    out=$(pre_wait_done "$p")
    show "lazydind status" "$out"
    expect_has "lazydind status" "$out" "preload:       done, 2 of 3 loaded, 1 failed"
    expect_has "lazydind status" "$out" "loaded   $dir/a-busybox.tar.gz [\"$PRE_TAG_GZ\"]"
    expect_has "lazydind status" "$out" "loaded   $dir/b-plain.tar [\"$PRE_TAG_PLAIN\"]"
    expect_has "lazydind status" "$out" "failed   $dir/c-corrupt.tar.gz"
    out=$(psh "$p" 20 'lazydind status --json')
    expect_has "lazydind status --json" "$out" "\"path\": \"$dir/c-corrupt.tar.gz\""
    expect_has "lazydind status --json" "$out" '"state": "failed"'
    psh "$p" 20 "docker image inspect $PRE_TAG_BAD >/dev/null 2>&1"; rc=$?
    expect_rc "docker image inspect $PRE_TAG_BAD (the corrupt archive's image)" 1 $rc
    out=$(psh "$p" 20 "docker images --format '{{.Repository}}:{{.Tag}}'")
    expect_eq "docker images" "$(printf '%s\n' "$PRE_TAG_GZ" "$PRE_TAG_PLAIN" | sort)" \
        "$(sort <<<"$out")"
    out=$(psh "$p" 10 "grep 'preload:' $DLOG")
    expect_has "the log" "$out" "preload: skipped $dir/c-corrupt.tar.gz"
    expect_has "the log" "$out" "preload: loaded $dir/a-busybox.tar.gz"
}

# 1. Archives on a read-only volume (a node-local hostPath cache).
test_preload_volume() {
    local dir
    dir=$(mktemp -d /tmp/lazydind-preload.XXXXXX) || return 1
    pre_archives "$dir" || { rm -rf "$dir"; return 1; }
    pod_new a -v "$dir:/var/cache/images:ro" -e LAZYDIND_PRELOAD=/var/cache/images ||
        { rm -rf "$dir"; return 1; }
    pre_checks a /var/cache/images
    rm -rf "$dir"
}

# 2. Archives in the pod's own filesystem (baked into the image), named one
#    by one.
test_preload_in_image() {
    local dir
    dir=$(mktemp -d /tmp/lazydind-preload.XXXXXX) || return 1
    pre_archives "$dir" || { rm -rf "$dir"; return 1; }
    pod_new a -e LAZYDIND_PRELOAD=/opt/images/a-busybox.tar.gz:/opt/images/b-plain.tar,/opt/images/c-corrupt.tar.gz ||
        { rm -rf "$dir"; return 1; }
    docker cp "$dir" "$(tb_pod_name "$(pod a)"):/opt/images" || fail "docker cp"
    rm -rf "$dir"
    pre_checks a /opt/images
}

# 3. A bad LAZYDIND_PRELOAD: exit 2 naming the value and the fix, nothing
#    started.
test_preload_bad_input() {
    pod_new a || return 1
    local err rc
    err=$(psh a 30 'LAZYDIND_PRELOAD=/nowhere/images docker ps 2>&1 >/dev/null'); rc=$?
    expect_rc "LAZYDIND_PRELOAD=/nowhere/images docker ps" 2 $rc
    expect_has "its stderr" "$err" "LAZYDIND_PRELOAD='/nowhere/images' has '/nowhere/images', which does not exist"
    err=$(psh a 30 'LAZYDIND_PRELOAD=images docker ps 2>&1 >/dev/null'); rc=$?
    expect_rc "LAZYDIND_PRELOAD=images docker ps" 2 $rc
    expect_has "its stderr" "$err" "'images', which is not an absolute path"
    expect_eq "dockerd processes (any state)" 0 "$(psh a 10 'pgrep -x dockerd | wc -l')"
}

TESTS+=(preload_volume preload_in_image preload_bad_input)
