#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# The guest suite, run by busybox sh from /init with the share mounted at /mnt/share and fd 3 on the result port.
# Each check runs in its own directory under /mnt/share/t/NAME, in a child `sh suite.sh one NAME` under a timeout,
# and becomes one line:  RESULT <name> PASS|FAIL|SKIP <detail>.  Figures become  METRIC <name> key=value ...
# Its exit code decides: 0 pass, 77 skip, anything else fail; its last output line is the detail.
#
# Instructions come from the kernel command line (exported by /init): nf_mode=light|full, nf_sm (the export's
# security model, for details only), nf_multidevs=1 when the host mounted two filesystems under devs/, nf_only=a,b
# to run only the named checks (for debugging one).
NF=/suite/nfcheck
SHARE=/mnt/share
mode=${nf_mode:-light}
if [ "$mode" = full ]; then
    FIO_4K_MB=128 FIO_1M_MB=512 FIO_RAND_MB=32 DBENCH_SECS=60 TREE_FILES=4000 APPEND_RECS=2000
else
    FIO_4K_MB=16 FIO_1M_MB=64 FIO_RAND_MB=8 DBENCH_SECS=20 TREE_FILES=600 APPEND_RECS=500
fi

emit() { echo "$*" >&3; echo "$*"; }
metric() { emit "METRIC $*"; }
fail() { echo "$*"; exit 1; }
skip() { echo "$*"; exit 77; }
expect_eq() { [ "$1" = "$2" ] || fail "$3: got '$1', want '$2'"; }

# ---- checks written in shell -------------------------------------------------------------------------------
c_create_read_write() {
    echo hello > f || fail "create"
    expect_eq "$(cat f)" hello "read back"
    head -c 1048576 /dev/urandom > /tmp/rw.src
    cp /tmp/rw.src big || fail "write 1 MiB"
    cmp -s /tmp/rw.src big || fail "1 MiB file differs after write"
    dd if=/dev/zero of=big bs=4096 seek=10 count=1 conv=notrunc 2>/dev/null || fail "overwrite in place"
    dd if=/dev/zero of=/tmp/rw.src bs=4096 seek=10 count=1 conv=notrunc 2>/dev/null
    cmp -s /tmp/rw.src big || fail "in-place overwrite differs"
    expect_eq "$(stat -c %s big)" 1048576 "size"
    echo "small and 1 MiB files, in-place overwrite"
}
c_append() {
    echo one > f && echo two >> f && echo three >> f || fail "append"
    expect_eq "$(cat f | tr '\n' ' ')" "one two three " "content"
    echo "shell >> appends"
}
c_hardlink() {
    echo x > f && ln f g || fail "link"
    expect_eq "$(stat -c %h f)" 2 "nlink after link"
    expect_eq "$(stat -c %i g)" "$(stat -c %i f)" "inode of the link"
    echo y >> g
    expect_eq "$(cat f | tr '\n' ' ')" "x y " "content through the other name"
    rm g || fail "unlink"
    expect_eq "$(stat -c %h f)" 1 "nlink after unlink"
    echo "nlink 2 then 1, same inode, shared content"
}
c_dir_nlink() {
    mkdir d d/s1 d/s2 || fail "mkdir"
    expect_eq "$(stat -c %h d)" 4 "nlink of a directory with two subdirectories"
    echo "directory nlink counts subdirectories"
}
c_symlink() {
    echo data > target
    ln -s target l || fail "symlink"
    expect_eq "$(readlink l)" target "readlink"
    expect_eq "$(cat l)" data "read through the link"
    expect_eq "$(stat -c %F l)" "symbolic link" "lstat type"
    ln -s /no/such/place dangling || fail "dangling symlink"
    expect_eq "$(readlink dangling)" /no/such/place "readlink of a dangling link"
    long=$(printf '%0250d' 0)
    ln -s "$long" longlink || fail "symlink with a 250-byte target"
    expect_eq "$(readlink longlink)" "$long" "long target"
    echo "readlink, follow, dangling, 250-byte target"
}
c_rmdir_nonempty() {
    mkdir d && echo x > d/f
    if msg=$(rmdir d 2>&1); then fail "rmdir of a non-empty directory succeeded"; fi
    case $msg in *"not empty"*|*"exists"*) ;; *) fail "unexpected error: $msg" ;; esac
    [ -f d/f ] || fail "content lost"
    rm d/f && rmdir d || fail "rmdir after emptying"
    [ ! -e d ] || fail "directory still there"
    echo "refused: ${msg##*: }"
}
c_chmod() {
    echo x > f
    for m in 751 600 4755 2711 1777 0; do
        chmod "$m" f || fail "chmod $m"
        expect_eq "$(stat -c %a f)" "$m" "mode after chmod $m"
    done
    mkdir d && chmod 700 d && expect_eq "$(stat -c %a d)" 700 "dir mode"
    echo "file modes incl. setuid/setgid/sticky, dir mode"
}
c_chown() {
    echo x > f
    chown 1234:5678 f || fail "chown 1234:5678"
    expect_eq "$(stat -c %u:%g f)" 1234:5678 "owner"
    chown 65534 f && expect_eq "$(stat -c %u:%g f)" 65534:5678 "owner after uid-only chown"
    chgrp 42 f && expect_eq "$(stat -c %u:%g f)" 65534:42 "owner after chgrp"
    echo y > kept && chown 1234:5678 kept
    ln -s f l && chown -h 77:88 l || fail "lchown"
    expect_eq "$(stat -c %u:%g l)" 77:88 "symlink owner"
    expect_eq "$(stat -c %u:%g f)" 65534:42 "target owner after lchown"
    echo "chown, chgrp, lchown"
}
c_mknod_fifo() {
    out=$(mkfifo p 2>&1) || fail "mkfifo: $out"
    expect_eq "$(stat -c %F p)" fifo "type"
    (echo through-the-fifo > p) &
    got=$(cat p)
    wait
    expect_eq "$got" through-the-fifo "data through the fifo"
    echo "fifo created and usable"
}
c_mknod_chardev() {
    out=$(mknod c c 1 3 2>&1) || fail "mknod c 1 3: $out"
    expect_eq "$(stat -c '%F %t %T' c)" "character special file 1 3" "type and numbers"
    expect_eq "$(head -c 10 c | wc -c)" 0 "reading the null device"
    echo "character device 1:3 works"
}
c_xattr_user() {
    echo x > f
    setfattr -n user.test -v hello f || fail "setfattr"
    expect_eq "$(getfattr --only-values -n user.test f)" hello "getfattr"
    setfattr -n user.bin -v 0x00ff10 f || fail "setfattr binary"
    expect_eq "$(getfattr -e hex -n user.bin f 2>/dev/null | sed -n 's/^user.bin=//p')" 0x00ff10 "binary value"
    big=$(printf '%03000d' 7)
    setfattr -n user.big -v "$big" f || fail "setfattr 3000 bytes"
    expect_eq "$(getfattr --only-values -n user.big f)" "$big" "3000-byte value"
    names=$(getfattr -m '^user\.' --absolute-names -d f | grep -c '^user\.')
    expect_eq "$names" 3 "listed user.* names"
    setfattr -x user.test f || fail "removexattr"
    if getfattr -n user.test f >/dev/null 2>&1; then fail "removed attribute still readable"; fi
    mkdir d && setfattr -n user.dir -v v d && expect_eq "$(getfattr --only-values -n user.dir d)" v "xattr on a dir"
    echo "set, get, binary, 3000 bytes, list, remove, on a directory"
}
c_df() {
    line=$(df -k "$SHARE" | tail -n 1)
    set -- $line
    [ "${2:-0}" -gt 0 ] 2>/dev/null || fail "df reports no size: $line"
    echo "size ${2} KiB, used ${3} KiB, available ${4} KiB"
}
c_tree_host_to_guest() {
    [ -f "$SHARE/hosttree.md5" ] || skip "the host did not prepare hosttree"
    cd "$SHARE/hosttree" || fail "no hosttree"
    n=$(wc -l < "$SHARE/hosttree.md5")
    bad=$(md5sum -c "$SHARE/hosttree.md5" 2>&1 | grep -v ': OK$' | head -n 3 | tr '\n' ' ')
    [ -z "$bad" ] || fail "mismatch: $bad"
    echo "$n files written on the host read identically in the guest"
}
c_tree_guest_write() {
    start=$(date +%s)
    $NF mktree "$SHARE/guesttree" 200 "$TREE_FILES" 4242 >/dev/null || fail "mktree failed"
    written=$(date +%s)
    cd "$SHARE/guesttree" && find . -type f | sort | xargs md5sum > "$SHARE/guesttree.md5" || fail "md5sum"
    end=$(date +%s)
    metric tree files=$TREE_FILES seconds=$((end - start)) write_seconds=$((written - start)) sum_seconds=$((end - written))
    echo "$TREE_FILES files in 200 directories written in $((written - start)) s, summed in $((end - written)) s (host compares)"
}
c_multidevs_ino() {
    [ "${nf_multidevs:-}" = 1 ] || skip "export not set up with a second device"
    a=$(stat -c %i "$SHARE/devs/a/same") b=$(stat -c %i "$SHARE/devs/b/same") || fail "stat"
    [ "$a" != "$b" ] || fail "two files on different devices share inode $a"
    echo "inodes $a and $b differ"
}
c_fio() {  # name bs size_mb rw
    name=$1 bs=$2 size=$3 rw=$4
    mkdir -p fio
    fio --name="$name" --directory="$PWD/fio" --rw="$rw" --bs="$bs" --size="${size}M" --ioengine=psync \
        --thread --end_fsync=1 --verify=crc32c --do_verify=1 --verify_fatal=1 --minimal > /tmp/fio.$name 2>&1
    rc=$?
    [ $rc -eq 0 ] || fail "fio exit $rc: $(tail -n 3 /tmp/fio.$name | tr '\n' ' ')"
    line=$(grep "^3;" /tmp/fio.$name | tail -n 1)
    # terse v3: field 7 = read bandwidth KiB/s (the verify pass), 48 = write bandwidth KiB/s, 5 = error
    err=$(echo "$line" | cut -d';' -f5) rbw=$(echo "$line" | cut -d';' -f7) wbw=$(echo "$line" | cut -d';' -f48)
    [ "$err" = 0 ] || fail "fio reported error $err"
    metric "$name" size_mib=$size write_kib_s=$wbw verify_read_kib_s=$rbw
    rm -rf fio
    echo "${size} MiB verified with crc32c; write $((wbw / 1024)) MiB/s, verify read $((rbw / 1024)) MiB/s"
}
c_dbench() {
    dbench -c /usr/share/dbench/client.txt -D "$PWD" -t "$DBENCH_SECS" 2 > /tmp/dbench.out 2>&1
    rc=$?
    tput=$(sed -n 's/^Throughput \([0-9.]*\) MB\/sec.*max_latency=\([0-9.]*\) ms.*/\1 \2/p' /tmp/dbench.out)
    [ $rc -eq 0 ] && [ -n "$tput" ] || fail "dbench exit $rc: $(grep -iE 'error|fail|unlink|open' /tmp/dbench.out | head -n 2 | tr '\n' ' ')"
    set -- $tput
    metric dbench clients=2 seconds=$DBENCH_SECS mb_s=$1 max_latency_ms=$2
    echo "2 clients, ${DBENCH_SECS} s: $1 MB/s, max latency $2 ms"
}

# ---- driver -------------------------------------------------------------------------------------------------
if [ "${1:-}" = one ]; then
    name=$2; shift 2
    case $name in
        fio_4k) c_fio fio_4k 4k "$FIO_4K_MB" write ;;
        fio_1m) c_fio fio_1m 1m "$FIO_1M_MB" write ;;
        fio_rand4k) c_fio fio_rand4k 4k "$FIO_RAND_MB" randwrite ;;
        *) "c_$name" ;;
    esac
    exit $?
fi

# check NAME TIMEOUT [nfcheck ARGS...]: with no ARGS, the shell function c_NAME runs.
check() {
    name=$1 limit=$2
    shift 2
    if [ -n "${nf_only:-}" ]; then
        case ",$nf_only," in *",$name,"*) ;; *) return ;; esac
    fi
    dir=$SHARE/t/$name
    mkdir -p "$dir" || { emit "RESULT $name FAIL cannot create $dir"; return; }
    start=$(date +%s)
    if [ $# -eq 0 ]; then
        (cd "$dir" && timeout "$limit" sh /suite/suite.sh one "$name") > /tmp/check.out 2>&1
    else
        (cd "$dir" && timeout "$limit" "$NF" "$@") > /tmp/check.out 2>&1
    fi
    rc=$?
    secs=$(($(date +%s) - start))
    detail=$(grep -v '^METRIC ' /tmp/check.out | tail -n 1 | tr -d '\r' | cut -c1-300)
    case $rc in
        0) status=PASS ;;
        77) status=SKIP ;;
        124|143) status=FAIL detail="timed out after $limit s; $detail" ;;
        *) status=FAIL ;;
    esac
    emit "RESULT $name $status ${secs}s ${detail:-exit $rc}"
}

mkdir -p "$SHARE/t"
check create_read_write 120
check append 60
check truncate 60 truncate .
check create_mode 60 create_mode .
check errno_basics 60 errno_basics .
check rename_file_over_file 60 rename . file_over_file
check rename_dir_over_empty_dir 60 rename . dir_over_empty_dir
check rename_dir_over_nonempty_dir 60 rename . dir_over_nonempty_dir
check rename_type_mismatch 60 rename . type_mismatch
check hardlink 60
check dir_nlink 60
check symlink 60
check unlink_open 60 unlink_open .
check unlink_open_fstat 60 unlink_open_fstat .
check rmdir_nonempty 60
check chmod 60
check chown 60
check utimes_ns 60 utimes .
check perm_nobody 60 perm_nobody .
check create_owner_nobody 60 create_owner .
check mknod_fifo 60
check mknod_chardev 60
check sparse_5g 120 sparse .
check mmap_read 60 mmap_read .
check mmap_shared_write 60 mmap_shared_write .
check xattr_user 60
check df 60
check statfs 60 statfs .
check fsync 60 fsync .
if [ -f "$SHARE/hoststamp" ]; then
    check stat_ns_from_host 60 stat_ns "$SHARE/hoststamp" 1000000000 123456789
fi
check append_two_writers 300 append2 . "$APPEND_RECS"
check flock_two_procs 60 flock .
check fcntl_lock_two_procs 60 fcntl_lock .
if [ -f "$SHARE/hostlock" ]; then
    check fcntl_lock_vs_host 60 hostlock_fcntl "$SHARE/hostlock"
    check flock_vs_host 60 hostlock_flock "$SHARE/hostlock"
fi
if [ "$mode" = full ] || [ ! -d "$SHARE/bigdir" ]; then
    check dir_10000_entries 1800 bigdir . 10000 create 2
else
    check dir_10000_entries 900 bigdir "$SHARE/bigdir" 10000 existing 10
fi
check multidevs_ino 60
check tree_host_to_guest 600
check tree_guest_write 900
check fio_4k 1800
check fio_1m 1800
check fio_rand4k 1800
check dbench $((DBENCH_SECS + 600))
