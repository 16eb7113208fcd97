// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.client;

import dev.ninefs.protocol.Message;

/**
 * What statfs(2) says about the file system a file lives on, from Rstatfs.
 *
 * @param type the file system's magic number (V9FS_MAGIC 0x01021997 for servers that hide the real one)
 * @param bsize the block size; {@link #blocks}, {@link #bfree} and {@link #bavail} count in it
 */
public record FsStat(int type, int bsize, long blocks, long bfree, long bavail, long files, long ffree, long fsid,
        int namelen) {

    static FsStat of(Message.Rstatfs r) {
        return new FsStat(r.fsType(), r.bsize(), r.blocks(), r.bfree(), r.bavail(), r.files(), r.ffree(), r.fsid(),
                r.namelen());
    }

    /** Total size in bytes. */
    public long totalBytes() {
        return blocks * Integer.toUnsignedLong(bsize);
    }

    /** Bytes an unprivileged user may still write. */
    public long availableBytes() {
        return bavail * Integer.toUnsignedLong(bsize);
    }
}
