// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs.synth;

/** A device node, FIFO or socket: only its attributes exist here (the client's kernel does the I/O). */
final class Special extends Inode {
    final long rdev;

    Special(long ino, int mode, int uid, int gid, Timestamp now, long rdev) {
        super(ino, mode, uid, gid, now);
        this.rdev = rdev;
    }

    @Override
    long size() {
        return 0;
    }

    /** The Linux encoding of a device number (glibc's makedev). */
    static long makedev(long major, long minor) {
        return ((major & 0xfffff000L) << 32) | ((major & 0xfffL) << 8) | ((minor & 0xffffff00L) << 12)
                | (minor & 0xffL);
    }
}
