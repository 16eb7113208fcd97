// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs.ceph;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import dev.ninefs.fs.Attr;
import java.lang.foreign.MemorySegment;

/**
 * {@code struct ceph_statx} of Ceph 16.2 on x86_64 (include/cephfs/ceph_ll_client.h), 136 bytes:
 *
 * <pre>
 *   0 u32 mask     4 u32 blksize   8 u32 nlink   12 u32 uid   16 u32 gid   20 u16 mode  22 (2 bytes padding)
 *  24 u64 ino     32 u64 size     40 u64 blocks  48 dev_t dev  56 dev_t rdev
 *  64 timespec atime   80 timespec ctime   96 timespec mtime   112 timespec btime    (each {i64 sec, i64 nsec})
 * 128 u64 version (the change attribute)
 * </pre>
 *
 * The same struct carries the values of {@code ceph_ll_setattr}, selected by the CEPH_SETATTR_* mask.
 */
final class CephStatx {
    static final long SIZE = 136;
    static final long MASK = 0, BLKSIZE = 4, NLINK = 8, UID = 12, GID = 16, MODE = 20, INO = 24, FILE_SIZE = 32,
            BLOCKS = 40, DEV = 48, RDEV = 56, ATIME = 64, CTIME = 80, MTIME = 96, BTIME = 112, VERSION = 128;
    /** Offset of tv_nsec inside a timespec. */
    static final long NSEC = 8;

    /** CEPH_STATX_* want bits: everything stat gives, plus btime and the change attribute. */
    static final int WANT_ALL = 0x1fff;
    /** Only what a FileId needs: mode, ino, size, mtime, and the change attribute. */
    static final int WANT_ID = 0x1 | 0x40 | 0x100 | 0x200 | 0x1000;

    /** AT_SYMLINK_NOFOLLOW for the flags of the lookup calls (the ll_ calls never follow, but say so). */
    static final int AT_SYMLINK_NOFOLLOW = 0x100;

    /** ceph_ll_setattr mask bits (CEPH_SETATTR_*). */
    static final int SET_MODE = 1, SET_UID = 2, SET_GID = 4, SET_MTIME = 8, SET_ATIME = 16, SET_SIZE = 32,
            SET_CTIME = 64;

    private CephStatx() {}

    static int mode(MemorySegment stx) {
        return Short.toUnsignedInt(stx.get(JAVA_SHORT, MODE));
    }

    static long ino(MemorySegment stx) {
        return stx.get(JAVA_LONG, INO);
    }

    /** The attributes in {@code stx}, as the SPI gives them (gen is 0: Ceph has none). */
    static Attr toAttr(MemorySegment stx) {
        return new Attr(stx.get(JAVA_LONG, DEV), ino(stx), mode(stx), stx.get(JAVA_INT, UID), stx.get(JAVA_INT, GID),
                Integer.toUnsignedLong(stx.get(JAVA_INT, NLINK)), stx.get(JAVA_LONG, RDEV),
                stx.get(JAVA_LONG, FILE_SIZE), Integer.toUnsignedLong(stx.get(JAVA_INT, BLKSIZE)),
                stx.get(JAVA_LONG, BLOCKS), stx.get(JAVA_LONG, ATIME), stx.get(JAVA_LONG, ATIME + NSEC),
                stx.get(JAVA_LONG, MTIME), stx.get(JAVA_LONG, MTIME + NSEC), stx.get(JAVA_LONG, CTIME),
                stx.get(JAVA_LONG, CTIME + NSEC), stx.get(JAVA_LONG, BTIME), stx.get(JAVA_LONG, BTIME + NSEC), 0,
                stx.get(JAVA_LONG, VERSION));
    }

    static void setTime(MemorySegment stx, long offset, long sec, long nsec) {
        stx.set(JAVA_LONG, offset, sec);
        stx.set(JAVA_LONG, offset + NSEC, nsec);
    }
}
