#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# A throwaway single-node Ceph cluster for tests: one mon, one OSD, one MDS and a CephFS, on 127.0.0.1 only,
# with every file (state, logs, admin sockets, PIDs) under DIR. No systemd, no containers.
#
#   ceph-cluster.sh start  DIR   create and start a fresh cluster; prints `export KEY=VALUE` lines for eval
#                                (CEPH_CONF, CEPH_FS_NAME, CEPH_MON_HOST, CEPH_CLUSTER_DIR) once the MDS is active
#   ceph-cluster.sh env    DIR   prints those lines again
#   ceph-cluster.sh status DIR   which recorded daemons are alive, then `ceph -s`
#   ceph-cluster.sh stop   DIR   stops the daemons by their recorded PIDs and removes DIR (KEEP=1 keeps it)
#
# Settings (environment):
#   CEPH_CLUSTER_STORE      memstore (default: data in the OSD's RAM, about twice the bytes written) or bluestore
#                           (a sparse file DIR/osd.0.block, for tests that write a lot)
#   CEPH_CLUSTER_OSD_BYTES  OSD capacity (default 2 GiB memstore, 10 GiB bluestore)
#   CEPH_CLUSTER_MGR        1 = also run ceph-mgr (~300 MB, a few seconds): statfs reports 0 blocks without one
#   CEPH_CLUSTER_FS         filesystem name (default cephfs)
#   CEPH_CLUSTER_TIMEOUT    seconds to wait for the active MDS (default 120)
#   CEPH_CLUSTER_OWNER_PID  stop the cluster when this process is gone (a test JVM that crashed or was killed
#                           cannot stop it itself): a watchdog checks every second
#
# Exit status: 0 ok, 1 failure, 2 usage, 3 the Ceph packages are missing and cannot be installed here.
# Installs Debian's packages when missing (root and apt needed): ceph-mon ceph-osd ceph-mds ceph-common
# libcephfs2, and ceph-mgr only with CEPH_CLUSTER_MGR=1.
set -euo pipefail

here=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
cmd=${1:-}
dir=${2:-}
fs_name=${CEPH_CLUSTER_FS:-cephfs}
store=${CEPH_CLUSTER_STORE:-memstore}
want_mgr=${CEPH_CLUSTER_MGR:-0}
t0=$(date +%s%N)

log() { echo "[ceph-cluster] $*" >&2; }
die() { log "ERROR: $*"; exit 1; }
elapsed_ms() { echo $((($(date +%s%N) - t0) / 1000000)); }

usage() { echo "usage: $0 start|stop|status|env DIR" >&2; exit 2; }
[ -n "$cmd" ] && [ -n "$dir" ] || usage
case "$dir" in /*) ;; *) die "DIR must be absolute: $dir" ;; esac
dir=${dir%/}
case "$dir" in "" | /tmp | /var/tmp | "$HOME") die "refusing DIR=$dir" ;; esac
marker=$dir/.ninefs-ceph-cluster

# Packages ----------------------------------------------------------------------------------------------------

packages_present() {
    local b
    for b in ceph-mon ceph-osd ceph-mds ceph monmaptool; do command -v "$b" >/dev/null || return 1; done
    [ "$want_mgr" != 1 ] || command -v ceph-mgr >/dev/null || return 1
    ls /usr/lib/*/libcephfs.so.2 >/dev/null 2>&1 || return 1
    /usr/bin/python3 -c 'import rados' 2>/dev/null || return 1
}

ensure_packages() {
    packages_present && return 0
    local pkgs="ceph-mon ceph-osd ceph-mds ceph-common libcephfs2"
    [ "$want_mgr" = 1 ] && pkgs="$pkgs ceph-mgr"
    if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
        log "Ceph packages missing and cannot be installed here (needs root and apt-get): $pkgs"
        exit 3
    fi
    log "installing $pkgs"
    local start=$SECONDS
    if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $pkgs; } >&2
    then
        log "apt-get could not install: $pkgs"
        exit 3
    fi
    log "installed in $((SECONDS - start)) s"
    packages_present || { log "packages installed but still incomplete"; exit 3; }
}

# Processes ---------------------------------------------------------------------------------------------------

alive() { # the process exists and is not a zombie (daemons are reparented to init, which reaps them late)
    [ -r "/proc/$1/status" ] && ! grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null
}

ours() { # alive and started for this DIR: guards against a recycled PID
    alive "$1" && tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null | grep -qF -- "-c $dir/ceph.conf"
}

launch() { # NAME BINARY ARGS...: in the foreground (-f) of its own session, so $! is the daemon itself
    local name=$1
    shift
    setsid "$@" -f -c "$dir/ceph.conf" </dev/null >"$dir/log/$name.out" 2>&1 &
    local pid=$!
    echo "$pid" >"$dir/pids/$name"
    # Until the forked child has exec'd the daemon, its cmdline is this script's and ours() says "not ours": on a
    # loaded machine the mon check below then saw a live, starting mon as "exited". Wait for the exec.
    while alive "$pid" && ! ours "$pid"; do sleep 0.01; done
}

signal_and_wait() { # SIGNAL GRACE_SECONDS PIDFILE...: KILL whatever outlives the grace period
    local sig=$1 grace=$2 pids=() f p
    shift 2
    for f in "$@"; do
        [ -f "$f" ] || continue
        p=$(cat "$f")
        if ours "$p"; then
            kill "-$sig" "$p" 2>/dev/null || true
            pids+=("$p")
        fi
    done
    local deadline=$((SECONDS + grace))
    for p in "${pids[@]}"; do
        while alive "$p" && [ $SECONDS -lt $deadline ]; do sleep 0.02; done
        if alive "$p"; then
            log "pid $p outlived SIG$sig by ${grace} s; killing it"
            kill -KILL "$p" 2>/dev/null || true
            while alive "$p"; do sleep 0.02; done
        fi
    done
}

free_port() {
    /usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

uuid() { cat /proc/sys/kernel/random/uuid; }

# Configuration -----------------------------------------------------------------------------------------------

write_conf() { # PORT FSID
    local port=$1 fsid=$2
    {
        cat <<EOF
[global]
fsid = $fsid
mon host = v2:127.0.0.1:$port
ms bind msgr1 = false
ms bind ipv4 = true
ms bind ipv6 = false
auth cluster required = none
auth service required = none
auth client required = none
run dir = $dir/run
crash dir = $dir/crash
pid file = $dir/run/\$name.pid
admin socket = $dir/run/\$name.asok
log file = $dir/log/\$name.log
osd pool default size = 1
osd pool default min size = 1
osd pool default pg autoscale mode = off
osd crush chooseleaf type = 0
mon allow pool size one = true
mon allow pool delete = true
mon warn on pool no redundancy = false
# the test directory may sit on a nearly full disk: do not refuse writes for that
mon data avail warn = 2
mon data avail crit = 1

[mon]
mon data = $dir/mon.\$id
public addrv = v2:127.0.0.1:$port
mon cluster log file = $dir/log/\$cluster.\$channel.log
# commit map changes every 0.1 s instead of every second: the cluster is ready in ~1.3 s instead of ~5.5 s
paxos propose interval = 0.1

[osd]
osd data = $dir/osd.\$id
public addr = 127.0.0.1
cluster addr = 127.0.0.1
EOF
        if [ "$store" = bluestore ]; then
            cat <<EOF
osd objectstore = bluestore
bluestore block path = $dir/osd.\$id.block
bluestore block create = true
bluestore block size = ${CEPH_CLUSTER_OSD_BYTES:-10737418240}
bluestore fsck on mkfs = false
bluestore fsck on mount = false
osd memory target = 939524096
EOF
        else
            cat <<EOF
osd objectstore = memstore
memstore device bytes = ${CEPH_CLUSTER_OSD_BYTES:-2147483648}
EOF
        fi
        cat <<EOF

[mds]
mds data = $dir/mds.\$id
# flush the journal (and so ack clients' cap flushes) every 0.5 s, not 5 s: a client that wrote unmounts in
# ~1 s instead of ~5 s
mds tick interval = 0.5
public addr = 127.0.0.1

[mgr]
mgr data = $dir/mgr.\$id
public addr = 127.0.0.1

[client]
# a client that cannot reach the cluster fails after this many seconds instead of five minutes
client mount timeout = 30
# one socket and log per process (a library client adds its own suffix per mount)
admin socket = $dir/run/\$name.\$pid.asok
log file = $dir/log/\$name.\$pid.log
EOF
    } >"$dir/ceph.conf"
}

print_env() {
    [ -f "$dir/ceph.conf" ] || die "no cluster in $dir"
    echo "export CEPH_CONF=$dir/ceph.conf"
    echo "export CEPH_FS_NAME=$(cat "$dir/fs_name")"
    echo "export CEPH_MON_HOST=v2:127.0.0.1:$(cat "$dir/port")"
    echo "export CEPH_CLUSTER_DIR=$dir"
}

# Commands ----------------------------------------------------------------------------------------------------

do_start() {
    case "$store" in memstore | bluestore) ;; *) die "CEPH_CLUSTER_STORE must be memstore or bluestore" ;; esac
    ensure_packages
    t0=$(date +%s%N) # the start time excludes a package installation
    if [ -e "$dir" ]; then
        [ -f "$marker" ] || [ -z "$(ls -A "$dir")" ] || die "$dir exists and is not a cluster directory of this script"
        local f
        for f in "$dir"/pids/*; do
            [ -f "$f" ] && ours "$(cat "$f")" && die "a cluster is running in $dir; stop it first"
        done
        rm -rf "$dir"
    fi
    # admin sockets are Unix sockets: their paths must stay under 108 bytes
    [ ${#dir} -le 64 ] || die "DIR is too long for admin socket paths (max 64 chars): $dir"
    mkdir -p "$dir"/{pids,run,log,crash,mon.a,osd.0,mds.a,mgr.x}
    touch "$marker"
    echo "$fs_name" >"$dir/fs_name"
    # from here on a failure kills whatever was started, keeping the logs
    trap 'rc=$?; if [ $rc != 0 ]; then log "start failed; logs kept in $dir/log"; fast=1 keep=1 do_stop; fi' EXIT

    local port fsid osd_uuid osd_id
    port=$(free_port)
    echo "$port" >"$dir/port"
    fsid=$(uuid)
    write_conf "$port" "$fsid"
    monmaptool --create --clobber --fsid "$fsid" --addv a "[v2:127.0.0.1:$port]" "$dir/monmap" >/dev/null
    ceph-mon --mkfs -i a --monmap "$dir/monmap" -c "$dir/ceph.conf" >"$dir/log/mon.a.mkfs" 2>&1 \
        || die "mon mkfs failed; see $dir/log/mon.a.mkfs"
    launch mon.a ceph-mon -i a
    until ss -Htln "sport = :$port" | grep -q .; do
        ours "$(cat "$dir/pids/mon.a")" || die "ceph-mon exited; see $dir/log/mon.a.log and mon.a.out"
        sleep 0.02
    done

    osd_uuid=$(uuid)
    osd_id=$(/usr/bin/python3 "$here/ceph/mon.py" "$dir" "$fs_name" bootstrap "$osd_uuid") \
        || die "bootstrap failed; see $dir/log/mon.a.log"
    ceph-osd -i "$osd_id" --mkfs --osd-uuid "$osd_uuid" -c "$dir/ceph.conf" >"$dir/log/osd.mkfs" 2>&1 \
        || die "osd mkfs failed; see $dir/log/osd.mkfs"
    launch "osd.$osd_id" ceph-osd -i "$osd_id"
    launch mds.a ceph-mds -i a
    [ "$want_mgr" = 1 ] && launch mgr.x ceph-mgr -i x
    /usr/bin/python3 "$here/ceph/mon.py" "$dir" "$fs_name" wait "${CEPH_CLUSTER_TIMEOUT:-120}" "$want_mgr" \
        || die "cluster not ready; logs in $dir/log"
    trap - EXIT
    if [ -n "${CEPH_CLUSTER_OWNER_PID:-}" ]; then
        setsid "$here/ceph-cluster.sh" watch "$dir" "$CEPH_CLUSTER_OWNER_PID" </dev/null >/dev/null 2>&1 &
        echo $! >"$dir/watchdog.pid"
    fi
    local ms
    ms=$(elapsed_ms)
    echo "$ms" >"$dir/start-ms"
    log "filesystem $fs_name active after $ms ms ($store$([ "$want_mgr" = 1 ] && echo ", mgr"), mon port $port, dir $dir)"
    print_env
}

do_stop() {
    if [ ! -f "$marker" ]; then
        log "no cluster in $dir"
        return 0
    fi
    local start
    start=$(date +%s%N)
    if [ "${fast:-0}" = 1 ]; then
        signal_and_wait KILL 5 "$dir"/pids/*
    else
        # MDS and mgr get KILL: their state lives in RADOS, which goes away with the OSD, and a TERMed Pacific MDS
        # takes ~5 s and can deadlock in its purge queue after files were deleted.
        signal_and_wait KILL 5 "$dir"/pids/mds.* "$dir"/pids/mgr.*
        signal_and_wait TERM 10 "$dir"/pids/osd.*
        signal_and_wait TERM 10 "$dir"/pids/mon.*
    fi
    rm -f "$dir"/pids/*
    if [ -f "$dir/watchdog.pid" ]; then
        local watchdog
        watchdog=$(cat "$dir/watchdog.pid")
        rm -f "$dir/watchdog.pid"
        # the watchdog itself may be the one stopping the cluster
        if [ "$watchdog" != "$$" ] && tr '\0' ' ' <"/proc/$watchdog/cmdline" 2>/dev/null | grep -qF "watch $dir "; then
            kill "$watchdog" 2>/dev/null || true
        fi
    fi
    local ms=$((($(date +%s%N) - start) / 1000000))
    if [ "${keep:-${KEEP:-0}}" = 1 ]; then
        log "stopped in $ms ms; kept $dir"
    else
        rm -rf "$dir"
        log "stopped in $ms ms; removed $dir"
    fi
}

do_status() {
    [ -f "$marker" ] || die "no cluster in $dir"
    local f p state=0
    for f in "$dir"/pids/*; do
        [ -f "$f" ] || continue
        p=$(cat "$f")
        if ours "$p"; then echo "$(basename "$f") pid $p running"; else echo "$(basename "$f") pid $p not running"; state=1; fi
    done
    timeout 20 ceph -c "$dir/ceph.conf" --connect-timeout 10 -s || state=1
    return $state
}

do_watch() { # OWNER_PID: stops the cluster once the owner is gone
    local owner=$1
    while [ -f "$marker" ] && kill -0 "$owner" 2>/dev/null; do sleep 1; done
    if [ -f "$marker" ]; then
        log "owner pid $owner is gone; stopping the cluster in $dir"
        do_stop
    fi
}

case "$cmd" in
    start) do_start ;;
    watch) do_watch "${3:?owner pid}" ;;
    stop) do_stop ;;
    status) do_status ;;
    env) print_env ;;
    *) usage ;;
esac
