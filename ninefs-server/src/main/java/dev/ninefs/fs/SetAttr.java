// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs;

import dev.ninefs.protocol.Dotl;

/**
 * The changes of a Tsetattr. {@code valid} has the {@link Dotl#SETATTR_MODE}... bits; a field whose bit is not
 * set is meaningless. Times: with ATIME (MTIME) but not ATIME_SET (MTIME_SET) the time is set to now; with both,
 * to the given seconds and nanoseconds. CTIME alone means "touch ctime".
 */
public record SetAttr(int valid, int mode, int uid, int gid, long size, long atimeSec, long atimeNsec,
        long mtimeSec, long mtimeNsec) {

    public boolean has(int bit) {
        return (valid & bit) != 0;
    }
}
