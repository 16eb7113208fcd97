// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.client;

import dev.ninefs.protocol.Dotl;
import dev.ninefs.protocol.Message;
import dev.ninefs.protocol.Qid;
import java.time.Instant;

/**
 * A file's attributes, from Rgetattr. Only the fields whose bit is set in {@link #valid} were filled in by the
 * server (see {@link Dotl#GETATTR_MODE} and friends); the others are zero.
 *
 * @param mode file type and permission bits, as st_mode
 * @param btime birth time, when the server knows it ({@link Dotl#GETATTR_BTIME})
 */
public record FileAttr(long valid, Qid qid, int mode, long uid, long gid, long nlink, long rdev, long size,
        long blksize, long blocks, Instant atime, Instant mtime, Instant ctime, Instant btime, long gen,
        long dataVersion) {

    /** st_mode's file type bits and values. */
    public static final int S_IFMT = 0170000, S_IFSOCK = 0140000, S_IFLNK = 0120000, S_IFREG = 0100000,
            S_IFBLK = 060000, S_IFDIR = 040000, S_IFCHR = 020000, S_IFIFO = 010000;

    static FileAttr of(Message.Rgetattr r) {
        return new FileAttr(r.valid(), r.qid(), r.mode(), Integer.toUnsignedLong(r.uid()),
                Integer.toUnsignedLong(r.gid()), r.nlink(), r.rdev(), r.size(), r.blksize(), r.blocks(),
                time(r.atimeSec(), r.atimeNsec()), time(r.mtimeSec(), r.mtimeNsec()),
                time(r.ctimeSec(), r.ctimeNsec()), time(r.btimeSec(), r.btimeNsec()), r.gen(), r.dataVersion());
    }

    private static Instant time(long sec, long nsec) {
        return Instant.ofEpochSecond(sec, nsec);
    }

    /** Whether the server filled in the fields of {@code mask} (one or more GETATTR_* bits). */
    public boolean has(long mask) {
        return (valid & mask) == mask;
    }

    /** The type bits of {@link #mode}: {@link #S_IFREG}, {@link #S_IFDIR}... */
    public int fileType() {
        return mode & S_IFMT;
    }

    /** Permission bits with setuid, setgid and sticky: mode & 07777. */
    public int permissions() {
        return mode & 07777;
    }

    public boolean isDirectory() {
        return fileType() == S_IFDIR;
    }

    public boolean isRegularFile() {
        return fileType() == S_IFREG;
    }

    public boolean isSymlink() {
        return fileType() == S_IFLNK;
    }

    /** The major number of a device file's {@link #rdev} (Linux encoding). */
    public int rdevMajor() {
        return (int) (((rdev >>> 32) & 0xfffff000L) | ((rdev >>> 8) & 0xfffL));
    }

    /** The minor number of a device file's {@link #rdev} (Linux encoding). */
    public int rdevMinor() {
        return (int) (((rdev >>> 12) & 0xffffff00L) | (rdev & 0xffL));
    }
}
