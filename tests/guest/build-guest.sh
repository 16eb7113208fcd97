#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Prepares the QEMU guest that mounts 9P exports with the Linux kernel client, from Debian's packages only.
#
#   tests/guest/build-guest.sh [--cache DIR] --out DIR
#
# The slow part (kernel, modules, busybox, fio, dbench, attr, util-linux pieces and their shared libraries) is
# packed once into a "base" initramfs under the cache dir, keyed by the package versions and this script's hash,
# and reused. The suite (init, suite.sh, the static nfcheck helper) is packed into a small second archive on every
# call: the kernel unpacks concatenated cpio archives in order, so editing the suite never rebuilds the base.
# Writes OUT/vmlinuz and OUT/initrd.cpio, and prints KERNEL=... and INITRD=... lines.
set -euo pipefail

here=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
cache=${NINEFS_GUEST_CACHE:-/var/cache/ninefs-guest}
out=
while [ $# -gt 0 ]; do
    case $1 in
        --cache) cache=$2; shift 2 ;;
        --out) out=$2; shift 2 ;;
        *) echo "usage: $0 [--cache DIR] --out DIR" >&2; exit 2 ;;
    esac
done
[ -n "$out" ] || { echo "usage: $0 [--cache DIR] --out DIR" >&2; exit 2; }

log() { echo "build-guest: $*" >&2; }

# Host packages: QEMU and the servers compared against, the guest's programs (copied from the host's own install,
# so their libraries come from Debian too), and gcc for the static test helper.
host_packages=(qemu-system-x86 busybox-static cpio kmod fio dbench attr util-linux diod gcc libc6-dev)
ensure_host_packages() {
    local missing=() p
    for p in "${host_packages[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    log "installing ${missing[*]}"
    [ "$(id -u)" -eq 0 ] || { echo "build-guest: need root to apt-get install ${missing[*]}" >&2; exit 1; }
    DEBIAN_FRONTEND=noninteractive apt-get update -q >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
}

# The generic kernel flavour ships the 9p modules (the cloud one does not). linux-image-amd64 is a metapackage:
# resolve the real package first, since `apt-get download` of a virtual name can fetch every version.
kernel_package() {
    local pkg
    pkg=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/ {print $2; exit}')
    if [ -z "$pkg" ]; then
        DEBIAN_FRONTEND=noninteractive apt-get update -q >&2
        pkg=$(apt-cache depends linux-image-amd64 | awk '/Depends: linux-image-[0-9]/ {print $2; exit}')
    fi
    [ -n "$pkg" ] || { echo "build-guest: cannot resolve linux-image-amd64" >&2; exit 1; }
    echo "$pkg"
}

installed_version() { dpkg-query -W -f='${Version}' "$1"; }

ensure_host_packages
kpkg=$(kernel_package)
kver=$(apt-cache policy "$kpkg" | awk '/Candidate:/ {print $2}')
key_text="$kpkg=$kver"
for p in busybox-static fio dbench attr util-linux kmod libc6; do key_text+=" $p=$(installed_version "$p")"; done
key_text+=" script=$(sha256sum "${BASH_SOURCE[0]}" | cut -c1-16)"
key=$(printf '%s' "$key_text" | sha256sum | cut -c1-16)
base_dir=$cache/$key

build_base() {
    local tmp root kdir modroot krel
    mkdir -p "$cache"
    tmp=$(mktemp -d "$cache/.build.XXXXXX")
    root=$tmp/root
    log "building base guest $key ($key_text)"

    (cd "$tmp" && apt-get download -q -o APT::Sandbox::User=root "$kpkg=$kver" >&2)
    mkdir -p "$tmp/kernel"
    dpkg-deb -x "$tmp"/"$kpkg"_*.deb "$tmp/kernel"
    kdir=$(ls -d "$tmp"/kernel/lib/modules/*/ | head -n1)
    krel=$(basename "$kdir")
    cp "$tmp/kernel/boot/vmlinuz-$krel" "$tmp/vmlinuz"

    mkdir -p "$root"/{bin,sbin,lib,lib64,usr/bin,usr/sbin,usr/share/dbench,etc,proc,sys,dev,tmp,mnt,run,root}
    chmod 755 "$root"

    # Modules: the closure of what the guest needs, from modules.dep, then depmod inside the image.
    depmod -b "$tmp/kernel" "$krel"
    modroot=$root/lib/modules/$krel
    mkdir -p "$modroot"
    local want=(fs/9p/9p.ko net/9p/9pnet_virtio.ko net/9p/9pnet_fd.ko drivers/net/virtio_net.ko
                drivers/char/virtio_console.ko drivers/virtio/virtio_pci.ko)
    local m deps
    for m in "${want[@]}"; do
        deps=$(awk -v m="kernel/$m:" '$1 == m { $1 = ""; print }' "$kdir/modules.dep")
        for d in "kernel/$m" $deps; do
            mkdir -p "$modroot/$(dirname "$d")"
            cp "$kdir/$d" "$modroot/$d"
        done
    done
    cp "$kdir"/modules.{order,builtin,builtin.modinfo} "$modroot/" 2>/dev/null || true
    depmod -b "$root" "$krel"

    cp /bin/busybox "$root/bin/busybox"
    # Real programs the suite needs beyond busybox, each with its shared libraries at the path ldd resolved.
    local progs=(/usr/bin/fio /usr/bin/dbench /usr/bin/setfattr /usr/bin/getfattr /usr/bin/flock /usr/bin/kmod)
    local p lib
    for p in "${progs[@]}"; do
        cp -L "$p" "$root/usr/bin/"
        for lib in $(ldd "$p" | awk '/=>/ && $3 ~ /^\// {print $3} /^\t\/lib/ {print $1}'); do
            mkdir -p "$root$(dirname "$lib")"
            cp -L "$lib" "$root$lib"
        done
    done
    for p in modprobe insmod lsmod depmod; do ln -sf /usr/bin/kmod "$root/sbin/$p"; done
    cp /usr/share/dbench/client.txt "$root/usr/share/dbench/client.txt"
    # ld.so.cache so that libraries outside the default search path (libceph-common) resolve.
    printf '%s\n' /lib/x86_64-linux-gnu /usr/lib/x86_64-linux-gnu /usr/lib/x86_64-linux-gnu/ceph > "$root/etc/ld.so.conf"
    ldconfig -r "$root"
    printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/sh\n' > "$root/etc/passwd"
    printf 'root:x:0:\nnogroup:x:65534:\n' > "$root/etc/group"

    (cd "$root" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc --quiet) > "$tmp/base.cpio"
    printf '%s\n' "$key_text" > "$tmp/manifest"
    mkdir -p "$base_dir"
    mv "$tmp/vmlinuz" "$tmp/base.cpio" "$tmp/manifest" "$base_dir/"
    rm -rf "$tmp"
    # Older bases (other package versions or an older script) are never used again.
    find "$cache" -mindepth 1 -maxdepth 1 -type d -regextype posix-extended -regex '.*/[0-9a-f]{16}' \
        ! -name "$key" -exec rm -rf {} + 2>/dev/null || true
    log "base guest ready: $(du -h "$base_dir/base.cpio" | cut -f1) initramfs, kernel $krel"
}

[ -s "$base_dir/base.cpio" ] && [ -s "$base_dir/vmlinuz" ] || build_base

# The suite archive: rebuilt on every call (a second or two).
mkdir -p "$out"
suite=$(mktemp -d "$out/.suite.XXXXXX")
trap 'rm -rf "$suite"' EXIT
mkdir -p "$suite/suite"
gcc -static -O2 -Wall -Wextra -Werror -o "$suite/suite/nfcheck" "$here/nfcheck.c"
install -m 755 "$here/init" "$suite/init"
install -m 755 "$here/suite.sh" "$suite/suite/suite.sh"
(cd "$suite" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc --quiet) > "$out/suite.cpio"
rm -rf "$suite"
cat "$base_dir/base.cpio" "$out/suite.cpio" > "$out/initrd.cpio"
cp "$base_dir/vmlinuz" "$out/vmlinuz"
echo "KERNEL=$out/vmlinuz"
echo "INITRD=$out/initrd.cpio"
echo "GUEST_KEY=$key"
