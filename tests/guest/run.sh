#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Mounts 9P exports with the Linux kernel client in a QEMU guest and runs the guest suite against ninefs, against
# QEMU's own 9p server and against diod, side by side.
#
#   tests/guest/run.sh [--mode light|full] [--configs a,b,...] [--only check,...] [--work DIR] [--keep] [--cache DIR]
#
# Configurations (default: all but diod-fd):
#   ninefs-passthrough   ninefs-mapped-xattr   qemu-passthrough   qemu-mapped-xattr   diod
#   ninefs-fd            diod-fd      (trans=fd through a virtio-serial port wired to the server's TCP port;
#                                      a subset of the checks, see fd_checks)
#   ninefs-cephfs        ninefs's cephfs backend on a throwaway Ceph cluster started with scripts/ceph-cluster.sh;
#                        the host side reaches the same CephFS through ceph-fuse
# Each boots its own guest (fresh export directory, fresh server). Checks expected to fail are listed with the reason
# in known-differences.txt; any other failure makes the script exit 1. A listed check that passes is reported as an
# unexpected pass (loudly, without failing) so the list can be pruned.
# Needs root (apt-get, QEMU's passthrough model, tmpfs mounts for the multidevs check, ceph-fuse).
set -euo pipefail

here=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
root=${NINEFS_ROOT:-$(cd "$here/../.." && pwd)}
mode=light
configs=ninefs-passthrough,ninefs-mapped-xattr,ninefs-fd,qemu-passthrough,qemu-mapped-xattr,diod,ninefs-cephfs
# trans=fd goes through a userspace relay in the guest (see nfcheck.c fdmount): it proves the transport, not speed,
# so the fd configurations run this subset unless --only says otherwise.
fd_checks=create_read_write,append,truncate,rename_file_over_file,hardlink,symlink,unlink_open,xattr_user,df,fsync,fcntl_lock_two_procs,tree_host_to_guest,fio_1m
work=
keep=0
only=
cache_args=()
while [ $# -gt 0 ]; do
    case $1 in
        --mode) mode=$2; shift 2 ;;
        --configs) configs=$2; shift 2 ;;
        --work) work=$2; shift 2 ;;
        --keep) keep=1; shift ;;
        --only) only=$2; shift 2 ;;
        --cache) cache_args=(--cache "$2"); shift 2 ;;
        -h|--help) sed -n '3,/^set -euo/p' "$0" | grep '^#' | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "run.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done
case $mode in light|full) ;; *) echo "run.sh: --mode light|full" >&2; exit 2 ;; esac
[ "$(id -u)" -eq 0 ] || { echo "run.sh: run as root" >&2; exit 2; }

# Hard limit for one guest: boot, suite, power-off. Generous: TCG on a loaded 2-core machine is slow.
if [ "$mode" = full ]; then guest_timeout=5400; else guest_timeout=1500; fi
# Sizes the host must agree on with suite.sh (the guest reports its own tree size back as a METRIC).
if [ "$mode" = full ]; then host_tree_files=2000; else host_tree_files=300; fi

[ -n "$work" ] || work=$(mktemp -d /var/tmp/ninefs-guest.XXXXXX)
mkdir -p "$work"
# mktemp makes it 0700: a server that acts as the attaching user (diod attaches the kernel's uname) could not reach
# the exports inside it.
chmod 755 "$work"
work=$(cd "$work" && pwd)
log() { echo "run.sh: $*" >&2; }

# ---- processes and mounts we own; all undone on exit ----------------------------------------------------------
pids=()
mounts=()
cleanup() {
    local p m
    for p in "${pids[@]}"; do
        kill "$p" 2>/dev/null || true
    done
    for p in "${pids[@]}"; do
        wait "$p" 2>/dev/null || true
    done
    pids=()
    for m in "${mounts[@]}"; do
        umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true
    done
    mounts=()
}
finish() {
    cleanup
    ceph_stop
    if [ "$keep" = 0 ]; then rm -rf "$work"; else log "kept $work"; fi
}
trap finish EXIT
trap 'exit 130' INT TERM

stop_pid() {
    local p=$1 rest=()
    kill "$p" 2>/dev/null || true
    wait "$p" 2>/dev/null || true
    for q in "${pids[@]}"; do [ "$q" = "$p" ] || rest+=("$q"); done
    pids=("${rest[@]}")
}

# A TCP port nobody listens on. Another process could take it before the server binds it; then the server fails
# to start and the configuration reports that.
free_port() {
    local used=" " p _n local_addr _rest
    while read -r _n local_addr _rest; do
        [ "$_n" = sl ] || used+="$((16#${local_addr##*:})) "
    done < <(cat /proc/net/tcp /proc/net/tcp6 2>/dev/null)
    for _ in $(seq 1 200); do
        p=$((20000 + RANDOM % 30000))
        [[ $used == *" $p "* ]] || { echo "$p"; return 0; }
    done
    return 1
}

# Wait until PORT is in LISTEN state on 127.0.0.1, or the server process died, or LIMIT seconds passed.
wait_listen() {
    local port=$1 pid=$2 limit=$3 hex deadline
    hex=$(printf '%04X' "$port")
    deadline=$((SECONDS + limit))
    while [ $SECONDS -lt $deadline ]; do
        awk -v h=":$hex" 'NR > 1 && $4 == "0A" && substr($2, length($2) - 4) == h {found = 1} END {exit !found}' \
            /proc/net/tcp /proc/net/tcp6 2>/dev/null && return 0
        kill -0 "$pid" 2>/dev/null || return 1
        sleep 0.2
    done
    return 1
}

# ---- the cephfs configuration: a Ceph cluster and a ceph-fuse mount of it, for the host side -----------------
# The server reaches CephFS through libcephfs; the host's fixtures and checks go through ceph-fuse, a second,
# independent Ceph client of the same filesystem (what a second gateway would see). Both outlive the guest's
# processes (cleanup) so that host_checks can read the tree, and are stopped by ceph_stop.
ceph_dir=
ceph_fuse_pid=
ceph_mnt=
ceph_start() {  # DIR: prints nothing; sets ceph_dir, CEPH_CONF, CEPH_FS_NAME
    local want=$1
    if ! command -v ceph-fuse >/dev/null; then
        log "installing ceph-fuse"
        { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ceph-fuse; } >&2 \
            || { log "ceph-fuse could not be installed"; return 1; }
    fi
    # Admin socket paths are Unix socket names (< 108 bytes): the script refuses a DIR longer than 64 characters.
    [ ${#want} -le 64 ] || want=$(mktemp -d /var/tmp/ninefs-ceph.XXXXXX)
    ceph_dir=$want
    # bluestore on a sparse file (the suite writes a few hundred MiB: memstore would hold twice that in RAM) and a
    # mgr (without one, statfs reports 0 blocks and df fails). The watchdog stops the cluster if this script dies.
    local env
    env=$(CEPH_CLUSTER_STORE=bluestore CEPH_CLUSTER_MGR=1 CEPH_CLUSTER_OWNER_PID=$$ \
          "$root/scripts/ceph-cluster.sh" start "$ceph_dir" 2>"$work/ceph-start.log") \
        || { log "the Ceph cluster did not start: $(tail -n 3 "$work/ceph-start.log" | tr '\n' ' ')"; return 1; }
    CEPH_CONF=$(sed -n 's/^export CEPH_CONF=//p' <<<"$env")
    CEPH_FS_NAME=$(sed -n 's/^export CEPH_FS_NAME=//p' <<<"$env")
    log "$(tail -n 1 "$work/ceph-start.log")"
}
ceph_mount() {  # MOUNTPOINT: the whole CephFS through ceph-fuse, in the foreground so that $! is ceph-fuse itself
    ceph_mnt=$1
    mkdir -p "$ceph_mnt"
    ceph-fuse -f -c "$CEPH_CONF" --client_fs "$CEPH_FS_NAME" "$ceph_mnt" > "$work/ceph-fuse.log" 2>&1 &
    ceph_fuse_pid=$!
    local deadline=$((SECONDS + 60))
    until mountpoint -q "$ceph_mnt"; do
        kill -0 "$ceph_fuse_pid" 2>/dev/null && [ $SECONDS -lt $deadline ] \
            || { log "ceph-fuse did not mount: $(tail -n 3 "$work/ceph-fuse.log" | tr '\n' ' ')"; return 1; }
        sleep 0.1
    done
}
ceph_stop() {
    if [ -n "$ceph_mnt" ]; then
        umount "$ceph_mnt" 2>/dev/null || umount -l "$ceph_mnt" 2>/dev/null || true
        ceph_mnt=
    fi
    if [ -n "$ceph_fuse_pid" ]; then
        # ceph-fuse exits once unmounted; TERM only if it did not
        local deadline=$((SECONDS + 10))
        while kill -0 "$ceph_fuse_pid" 2>/dev/null && [ $SECONDS -lt $deadline ]; do sleep 0.1; done
        kill "$ceph_fuse_pid" 2>/dev/null || true
        wait "$ceph_fuse_pid" 2>/dev/null || true
        ceph_fuse_pid=
    fi
    if [ -n "$ceph_dir" ]; then
        KEEP=$keep "$root/scripts/ceph-cluster.sh" stop "$ceph_dir" 2>>"$work/ceph-stop.log" || true
        ceph_dir=
    fi
}

# ---- the guest ---------------------------------------------------------------------------------------------
guest_env=$("$here/build-guest.sh" "${cache_args[@]}" --out "$work/guest")
kernel=$(sed -n 's/^KERNEL=//p' <<<"$guest_env")
initrd=$(sed -n 's/^INITRD=//p' <<<"$guest_env")
hostcheck=$work/nfcheck-host
gcc -O2 -Wall -Wextra -Werror -o "$hostcheck" "$here/nfcheck.c"

# Is there a ninefs that can serve? (The launcher builds the project on first use.)
ninefs_ready() {
    [ -x "$root/bin/ninefs" ] && "$root/bin/ninefs" serve --help >"$work/ninefs-help.txt" 2>&1
}

# ---- one configuration ---------------------------------------------------------------------------------------
# Sets: server kind, security model, transport, multidevs for the config NAME.
describe() {
    case $1 in
        # multidevs=remap: two tmpfs mounts inside the export, and the guest checks their files' inodes differ.
        ninefs-passthrough)  kind=ninefs sm=passthrough  trans=tcp    multidevs=remap ;;
        ninefs-mapped-xattr) kind=ninefs sm=mapped-xattr trans=tcp    multidevs= ;;
        ninefs-fd)           kind=ninefs sm=passthrough  trans=fd     multidevs= ;;
        # one CephFS is one device to the server: nothing mounted below the export on the host reaches libcephfs
        ninefs-cephfs)       kind=ninefs sm=passthrough  trans=tcp    multidevs= backend=cephfs ;;
        qemu-passthrough)    kind=qemu   sm=passthrough  trans=virtio multidevs=remap ;;
        qemu-mapped-xattr)   kind=qemu   sm=mapped-xattr trans=virtio multidevs= ;;
        diod)                kind=diod   sm=passthrough  trans=tcp    multidevs= ;;
        diod-fd)             kind=diod   sm=passthrough  trans=fd     multidevs= ;;
        *) echo "run.sh: unknown configuration $1" >&2; exit 2 ;;
    esac
}

# Files the guest checks against: a tree written on the host, a timestamp with nanoseconds, a file a host process
# keeps locked, and (for multidevs) two tmpfs mounts whose first files share an inode number.
prepare_export() {
    local export=$1 dir=$2
    mkdir -p "$export"
    chmod 755 "$export"
    "$hostcheck" mktree "$export/hosttree" 50 "$host_tree_files" 7 >/dev/null
    (cd "$export/hosttree" && find . -type f | LC_ALL=C sort | xargs md5sum) > "$export/hosttree.md5"
    echo stamp > "$export/hoststamp"
    touch -d '2001-09-09 01:46:40.123456789' "$export/hoststamp"
    if [ "$mode" = light ]; then
        # The 10,000-entry directory: made here in light mode (creating it over TCP in TCG takes minutes).
        mkdir "$export/bigdir"
        for i in $(seq -f %05g 0 9999); do : > "$export/bigdir/f$i"; done
    fi
    : > "$export/hostlock"
    "$hostcheck" holdlock "$export/hostlock" > "$dir/holdlock.out" 2>&1 &
    pids+=($!)
    local deadline=$((SECONDS + 10))
    until grep -q locked "$dir/holdlock.out" 2>/dev/null; do
        [ $SECONDS -lt $deadline ] || { log "holdlock did not start"; rm -f "$export/hostlock"; break; }
        sleep 0.1
    done
    if [ -n "$multidevs" ]; then
        mkdir -p "$export/devs/a" "$export/devs/b"
        mount -t tmpfs -o size=1m,mode=755 ninefs-devs-a "$export/devs/a" && mounts+=("$export/devs/a")
        mount -t tmpfs -o size=1m,mode=755 ninefs-devs-b "$export/devs/b" && mounts+=("$export/devs/b")
        echo a > "$export/devs/a/same"
        echo b > "$export/devs/b/same"
        echo "INFO host inodes of devs/a/same and devs/b/same: $(stat -c %i "$export/devs/a/same") $(stat -c %i "$export/devs/b/same")" >> "$dir/host.results"
    fi
}

# Checks made on the host after the guest has powered off.
host_checks() {
    local export=$1 results=$2 out=$3
    local files expected
    files=$(sed -n 's/^METRIC tree files=\([0-9]*\).*/\1/p' "$results" | head -n 1)
    if [ -n "$files" ] && [ -d "$export/guesttree" ]; then
        "$hostcheck" mktree "$work/expected-tree" 200 "$files" 4242 >/dev/null
        (cd "$work/expected-tree" && find . -type f | LC_ALL=C sort | xargs md5sum) > "$work/expected-tree.md5"
        rm -rf "$work/expected-tree"
        local bad
        bad=$(cd "$export/guesttree" && md5sum -c "$work/expected-tree.md5" 2>&1 | grep -v ': OK$' | head -n 3 | tr '\n' ' ' || true)
        if [ -z "$bad" ]; then
            echo "RESULT tree_guest_to_host PASS host $files files written in the guest match on the host" >> "$out"
        else
            echo "RESULT tree_guest_to_host FAIL host $bad" >> "$out"
        fi
        if LC_ALL=C sort "$export/guesttree.md5" | cmp -s - <(LC_ALL=C sort "$work/expected-tree.md5"); then
            echo "RESULT tree_guest_readback PASS host the guest's own checksums match the host's" >> "$out"
        else
            echo "RESULT tree_guest_readback FAIL host guest checksums differ from the host's" >> "$out"
        fi
    elif [ -z "$run_only" ] || [[ ,$run_only, == *,tree_guest_write,* ]]; then
        echo "RESULT tree_guest_to_host FAIL host the guest wrote no tree" >> "$out"
    fi
    # How the export looks on the host after the guest's chown and mknod: passthrough stores them as they are;
    # mapped-xattr must not (the server may run unprivileged) and keeps them in user.virtfs.* attributes.
    local kept=$export/t/chown/kept dev=$export/t/mknod_chardev/c
    if [ -e "$kept" ]; then
        local owner xuid
        owner=$(stat -c %u:%g "$kept")
        xuid=$(getfattr --only-values -n user.virtfs.uid "$kept" 2>/dev/null | od -An -tu4 | tr -d ' ' || true)
        if [ "$sm" = passthrough ]; then
            [ "$owner" = 1234:5678 ] && st=PASS || st=FAIL
            echo "RESULT host_view_chown $st host owner on the host $owner" >> "$out"
        else
            [ "$owner" != 1234:5678 ] && [ "$xuid" = 1234 ] && st=PASS || st=FAIL
            echo "RESULT host_view_chown $st host owner on the host $owner, user.virtfs.uid=${xuid:-none}" >> "$out"
        fi
    fi
    if [ -e "$dev" ]; then
        local type
        type=$(stat -c %F "$dev")
        if [ "$sm" = passthrough ]; then
            [ "$type" = "character special file" ] && st=PASS || st=FAIL
        else
            [[ $type == regular* ]] && st=PASS || st=FAIL
        fi
        echo "RESULT host_view_mknod $st host the guest's mknod c 1 3 is a $type on the host" >> "$out"
    fi
}

run_config() {
    local name=$1
    local dir=$work/$name export port=
    local kind sm trans multidevs backend=local
    describe "$name"
    mkdir -p "$dir"
    export=$dir/export
    : > "$dir/host.results"
    local t_start=$SECONDS t_cluster=$SECONDS t_fixtures
    if [ "$backend" = cephfs ]; then
        # The export is /share of the CephFS; on the host it is DIR/cephfs/share through ceph-fuse.
        if ! ceph_start "$dir/ceph" || ! ceph_mount "$dir/cephfs"; then
            echo "RESULT mount FAIL no Ceph cluster or ceph-fuse mount: see $work/ceph-start.log, ceph-fuse.log" > "$dir/guest.results"
            ceph_stop
            return
        fi
        export=$ceph_mnt/share
        t_cluster=$SECONDS
    fi
    prepare_export "$export" "$dir"
    t_fixtures=$SECONDS

    local qemu_dev=() src opts aname server_pid=
    case $kind in
        ninefs)
            if ! ninefs_ready; then
                echo "RESULT mount FAIL ninefs serve is not available: $(tail -n 2 "$work/ninefs-help.txt" | tr '\n' ' ')" > "$dir/guest.results"
                cleanup
                return
            fi
            port=$(free_port)
            local spec="tag=share,path=$export,security_model=$sm${multidevs:+,multidevs=$multidevs}"
            [ "$backend" = cephfs ] && spec="tag=share,fsdriver=cephfs,conf=$CEPH_CONF,fs=$CEPH_FS_NAME,path=/share,security_model=$sm"
            "$root/bin/ninefs" serve --export "$spec" \
                --listen "tcp://127.0.0.1:$port" --msize 1048576 > "$dir/server.log" 2>&1 &
            server_pid=$!
            aname=share ;;
        diod)
            port=$(free_port)
            # -n: no munge authentication; root may attach (access=client mounts attach as root).
            /usr/sbin/diod -f -n -l "127.0.0.1:$port" -e "$export" -L "$dir/server.log" &
            server_pid=$!
            aname=$export ;;
        qemu) ;;
    esac
    if [ -n "$server_pid" ]; then
        pids+=("$server_pid")
        if ! wait_listen "$port" "$server_pid" 600; then
            echo "RESULT mount FAIL $kind did not listen on 127.0.0.1:$port: $(tail -n 3 "$dir/server.log" | tr '\n' ' ')" > "$dir/guest.results"
            cleanup
            return
        fi
    fi

    local cmdline="console=ttyS0 loglevel=4 panic=-1 nf_config=$name nf_mode=$mode nf_sm=$sm"
    [ "$multidevs" = remap ] && cmdline+=" nf_multidevs=1"
    local run_only=$only
    [ -z "$run_only" ] && [ "$trans" = fd ] && run_only=$fd_checks
    [ -n "$run_only" ] && cmdline+=" nf_only=$run_only"
    case $trans in
        tcp)
            cmdline+=" nf_src=10.0.2.2 nf_opts=trans=tcp,port=$port,version=9p2000.L,aname=$aname,msize=1048576,access=client" ;;
        virtio)
            local vf="local,path=$export,mount_tag=h0,security_model=$sm,id=h0"
            [ -n "$multidevs" ] && vf+=",multidevs=$multidevs"
            qemu_dev=(-virtfs "$vf")
            cmdline+=" nf_src=h0 nf_opts=version=9p2000.L,trans=virtio,msize=512000,access=client" ;;
        fd)
            qemu_dev=(-device virtio-serial-pci -chardev "socket,id=c9,host=127.0.0.1,port=$port"
                      -device "virtserialport,chardev=c9,name=ninefs")
            cmdline+=" nf_src=ninefs nf_fdport=ninefs nf_opts=version=9p2000.L,aname=$aname,msize=65536,access=client" ;;
    esac

    log "$name: set up in $((SECONDS - t_start)) s (cluster $((t_cluster - t_start)) s, fixtures $((t_fixtures - t_cluster)) s, server $((SECONDS - t_fixtures)) s); booting guest ($mode mode)"
    local start=$SECONDS
    qemu-system-x86_64 -accel tcg,thread=multi -cpu max -smp 2 -m 2048 -nodefaults -no-reboot \
        -display none -monitor none \
        -serial "file:$dir/console.log" -serial "file:$dir/results.log" \
        -netdev user,id=n0 -device virtio-net-pci,netdev=n0 \
        "${qemu_dev[@]}" \
        -kernel "$kernel" -initrd "$initrd" -append "$cmdline" > "$dir/qemu.log" 2>&1 &
    local qpid=$!
    pids+=("$qpid")
    local deadline=$((SECONDS + guest_timeout)) timed_out=0
    while kill -0 "$qpid" 2>/dev/null; do
        if [ $SECONDS -ge $deadline ]; then timed_out=1; break; fi
        sleep 1
    done
    stop_pid "$qpid"
    local secs=$((SECONDS - start))
    # The port can repeat its last bytes at power-off: everything up to the first END counts, first line wins.
    tr -d '\r' < "$dir/results.log" | sed '/^END$/q' > "$dir/guest.results"
    if ! grep -qx END "$dir/guest.results"; then
        local why="the guest did not finish"
        [ $timed_out = 1 ] && why="the guest was stopped after $guest_timeout s"
        echo "RESULT guest_finished FAIL $why; last console lines: $(tail -n 3 "$dir/console.log" | tr -d '\r' | tr '\n' ' ' | cut -c1-300)" >> "$dir/guest.results"
    fi
    echo "METRIC guest seconds=$secs" >> "$dir/guest.results"
    cleanup
    host_checks "$export" "$dir/guest.results" "$dir/host.results"
    ceph_stop
    log "$name: done in ${secs}s"
}

IFS=, read -r -a config_list <<<"$configs"
total_start=$SECONDS
for c in "${config_list[@]}"; do
    run_config "$c"
done
total_secs=$((SECONDS - total_start))

# ---- report ---------------------------------------------------------------------------------------------------
"$here/report.sh" --known "$here/known-differences.txt" --work "$work" --seconds "$total_secs" "${config_list[@]}"
