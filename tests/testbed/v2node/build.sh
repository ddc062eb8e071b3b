#!/bin/bash
# Build the cgroup v2 VM node of the lazydind test bed.
#
#   build.sh OUT_DIR MIRROR_URL
#
# Writes OUT_DIR/vmlinuz (Debian's linux-image-cloud-amd64: NVMe built in,
# so no initramfs), OUT_DIR/root.img (ext4, the root disk) and
# OUT_DIR/build-times (seconds per step). The root filesystem is mmdebstrap
# minbase + packages.txt + the kernel's modules + init (the VM's PID 1,
# no systemd). The node's Docker data-root already holds two images, imported
# at native speed by the rootfs's own dockerd run here in a chroot (a private
# mount, network and pid namespace, --bridge none; docker import under emulation
# takes minutes):
#   lazydind-v2/pod:1     the same root filesystem, as the pods' image
#   lazydind-v2/busybox:1 busybox-static, for quick node-level containers
# and /opt/lazydind-v2/busybox.tar is a busybox rootfs tarball the pods
# import into their inner dockerd (a second or so).
set -euo pipefail

out=${1:?usage: build.sh OUT_DIR MIRROR_URL}
mirror=${2:?usage: build.sh OUT_DIR MIRROR_URL}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
mkdir -p "$out"
work=$(mktemp -d /var/tmp/lazydind-v2node.XXXXXX)
trap 'rm -rf "$work"' EXIT
times=$out/build-times
: >"$times"
step_t0=$SECONDS
# step NAME: record the seconds since the last step under NAME.
step() { echo "$1 $((SECONDS - step_t0))" >>"$times"; echo "v2node build: $1: $((SECONDS - step_t0)) s" >&2; step_t0=$SECONDS; }

# 1. The kernel: the metapackage names the versioned package.
(
    cd "$work"
    kpkg=$(apt-cache depends linux-image-cloud-amd64 | awk '/Depends: linux-image-[0-9]/ { print $2; exit }')
    [ -n "$kpkg" ] || { echo "no linux-image-*-cloud-amd64 behind linux-image-cloud-amd64" >&2; exit 1; }
    apt-get download -q "$kpkg" >&2
    mkdir kernel
    dpkg-deb -x ./"$kpkg"_*.deb kernel
)
kver=$(ls "$work/kernel/lib/modules")
cp "$work/kernel/boot/vmlinuz-$kver" "$out/vmlinuz"
step kernel

# 2. The root filesystem.
pkgs=$(sed -e 's/#.*//' -e 's/[[:space:]]//g' "$here/packages.txt" | grep -v '^$' | paste -sd, -)
mmdebstrap --mode=root --variant=minbase --aptopt='APT::Install-Recommends "false"' \
    --include="$pkgs" bookworm "$work/rootfs.tar" "deb $mirror bookworm main" >&2
step mmdebstrap
r=$work/rootfs
mkdir "$r"
tar -xf "$work/rootfs.tar" -C "$r"
mkdir -p "$r/lib/modules"
cp -a "$work/kernel/lib/modules/$kver" "$r/lib/modules/"
chroot "$r" depmod "$kver"
install -m 755 "$here/init" "$r/sbin/lazydind-v2-init"
mkdir -p "$r/opt/lazydind-v2" "$work/bb/bin"
cp "$r/bin/busybox" "$work/bb/bin/"
chroot "$work/bb" /bin/busybox --install -s /bin
tar -C "$work/bb" -cf "$r/opt/lazydind-v2/busybox.tar" .
step rootfs

# 3. The two images, in the node's data-root.
unshare -m -n -p --fork bash -euo pipefail -c '
    r=$1 work=$2
    mount --bind "$r" "$r"            # dockerd remounts / (must be a mount)
    mount --make-rprivate "$r"
    mount --rbind /sys "$r/sys"
    mount --rbind /dev "$r/dev"
    mount -t proc proc "$r/proc"
    mount -t tmpfs tmpfs "$r/run"
    mount -t tmpfs tmpfs "$r/tmp"
    ip link set lo up
    chroot "$r" dockerd --bridge none --iptables=false --ip6tables=false \
        >"$work/dockerd.log" 2>&1 &
    pid=$!
    for _ in $(seq 300); do chroot "$r" docker info >/dev/null 2>&1 && break; sleep 0.2; done
    chroot "$r" docker import \
        --change "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
        --change "CMD [\"/bin/bash\"]" - lazydind-v2/pod:1 <"$work/rootfs.tar" >/dev/null
    chroot "$r" docker import --change "CMD [\"/bin/sh\"]" - lazydind-v2/busybox:1 \
        <"$r/opt/lazydind-v2/busybox.tar" >/dev/null
    chroot "$r" docker images >&2
    kill "$pid"; wait "$pid" || true
' import "$r" "$work" || { tail -n 30 "$work/dockerd.log" >&2; exit 1; }
rm -rf "$r/var/lib/docker/network" "$r/var/lib/docker/tmp" "$r/var/lib/docker/runtimes"
step import

# 4. The disk image (sparse; the writes of a run go to a snapshot).
truncate -s 8G "$out/root.img"
mkfs.ext4 -q -F -L lzv2root -d "$r" "$out/root.img"
echo "$kver" >"$out/kernel-version"
step mkfs
