// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs;

/**
 * A file's attributes, as stat(2)/statx(2) give them. Times are seconds and nanoseconds since the epoch.
 * A backend that cannot give btime, gen or dataVersion leaves them 0.
 */
public record Attr(long dev, long ino, int mode, int uid, int gid, long nlink, long rdev, long size,
        long blksize, long blocks, long atimeSec, long atimeNsec, long mtimeSec, long mtimeNsec, long ctimeSec,
        long ctimeNsec, long btimeSec, long btimeNsec, long gen, long dataVersion) {

    /** The identity the server builds the qid from. */
    public FileId fileId() {
        return new FileId(dev, ino, mode, mtimeSec ^ (mtimeNsec << 24) ^ size);
    }
}
