# shellcheck shell=bash
# The cgroup v2 node of the lazydind test bed: a qemu VM (software
# emulation, TCG: KVM does not boot here) running Debian's cloud kernel with
# cgroup v2 and Docker as the node's engine, without systemd.
#
# Source after tests/testbed/lib.sh. Typical use:
#   tb_v2_image                       # build or reuse the cached node
#   mkdir job; cp lazydind job/; printf '...' >job/job.sh
#   tb_v2_run job out 420             # boot, run job.sh, power off
#   cat out/rc out/...                # what job.sh left in $OUT
#
# The node image is cached under $TB_V2_CACHE (default
# /var/cache/lazydind-testbed/v2node) by a hash of its build files, the
# mirror and the kernel version, like lib.sh caches the devbox image.

TB_V2_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TB_V2_CACHE=${TB_V2_CACHE:-/var/cache/lazydind-testbed/v2node}
TB_V2_MEM=${TB_V2_MEM:-3072}      # MiB of the VM
TB_V2_SMP=${TB_V2_SMP:-2}

# tb_v2_deps: install what building and booting the node needs.
tb_v2_deps() {
    tb_apt_install qemu-system-x86 mmdebstrap e2fsprogs util-linux iproute2
}

# tb_v2_hash: the cache key of the node image.
tb_v2_hash() {
    local mirror=$1 kver
    kver=$(apt-cache policy linux-image-cloud-amd64 2>/dev/null | awk '/Candidate:/ { print $2 }')
    { cat "$TB_V2_DIR/build.sh" "$TB_V2_DIR/init" "$TB_V2_DIR/packages.txt"
      echo "$mirror $kver"; } | sha256sum | cut -c1-12
}

# tb_v2_image: build the node image unless cached; sets TB_V2_IMAGE to its
# directory (vmlinuz, root.img, build-times) and prints it. Builds under a
# lock (parallel tests share one build); older images are removed.
tb_v2_image() {
    local mirror h dir t0=$SECONDS
    tb_v2_deps || return 1
    mirror=$(tb_apt_mirror) || return 1
    h=$(tb_v2_hash "$mirror")
    dir=$TB_V2_CACHE/$h
    mkdir -p "$TB_V2_CACHE" || return 1
    (
        flock 9
        [ -f "$dir/root.img" ] && exit 0
        tb_log "building the cgroup v2 node image $dir (about 2 minutes)"
        rm -rf "$dir.tmp"
        bash "$TB_V2_DIR/build.sh" "$dir.tmp" "$mirror" 9>&- || { rm -rf "$dir.tmp"; exit 1; }
        mv "$dir.tmp" "$dir"
        find "$TB_V2_CACHE" -mindepth 1 -maxdepth 1 ! -name "$h" ! -name lock -exec rm -rf {} +
        tb_log "built $dir in $((SECONDS - t0)) s"
    ) 9>"$TB_V2_CACHE/lock" || return 1
    TB_V2_IMAGE=$dir
    echo "$dir"
}

# tb_v2_run JOBDIR OUTDIR [BOUND]: boot the node with JOBDIR as /job, run
# /job/job.sh (OUT=/job/out), power off; unpack /job/out into OUTDIR
# (OUTDIR/rc is job.sh's exit status; OUTDIR/console.log the serial
# console). The root disk is a snapshot: nothing a run does is kept. BOUND
# (default 480) bounds the VM's life twice: the guest's watchdog powers off
# after BOUND s, and the host kills qemu 30 s later. Returns job.sh's
# status, or 125 when the VM gave no result.
tb_v2_run() {
    local job=$1 out=$2 bound=${3:-480} t0=$SECONDS rc
    [ -n "${TB_V2_IMAGE:-}" ] || tb_v2_image >/dev/null || return 125
    mkdir -p "$out" || return 125
    tar -C "$job" -cf "$out/job.img" . || return 125
    truncate -s 256M "$out/out.img"
    timeout -k 5 $((bound + 30)) qemu-system-x86_64 \
        -accel tcg,thread=multi -cpu max -m "$TB_V2_MEM" -smp "$TB_V2_SMP" \
        -nodefaults -display none -no-reboot -nic none \
        -serial "file:$out/console.log" \
        -kernel "$TB_V2_IMAGE/vmlinuz" \
        -drive "file=$TB_V2_IMAGE/root.img,if=none,id=root,format=raw,snapshot=on,cache=unsafe" \
        -drive "file=$out/job.img,if=none,id=job,format=raw,readonly=on" \
        -drive "file=$out/out.img,if=none,id=out,format=raw,cache=unsafe" \
        -device nvme,id=nvme0,serial=lzv2 \
        -device nvme-ns,bus=nvme0,drive=root,nsid=1 \
        -device nvme-ns,bus=nvme0,drive=job,nsid=2 \
        -device nvme-ns,bus=nvme0,drive=out,nsid=3 \
        -append "console=ttyS0 panic=-1 quiet root=/dev/nvme0n1 rw init=/sbin/lazydind-v2-init lzv2.bound=$bound" \
        </dev/null >"$out/qemu.log" 2>&1
    tar -xf "$out/out.img" -C "$out" 2>/dev/null
    rm -f "$out/job.img" "$out/out.img"
    echo "vm $((SECONDS - t0))" >>"$out/times"
    rc=$(cat "$out/rc" 2>/dev/null) || rc=125
    return "$rc"
}

# tb_v2_marks OUTDIR: the progress lines of a run (LZV2: ... @uptime).
tb_v2_marks() { grep -ao 'LZV2: .*' "$1/console.log" | tr -d '\r'; }
